// bgpy-encode-stream: writes a pre-encoded stream of maximum-size UPDATE
// messages to a file, for bench/inject_bench.py's ingestion ceiling (a script
// that writes this file straight to a BGP socket).
//
//   bgpy-encode-stream --out=FILE [--count=1000000] [--prefix=10.0.0.0/32]
//                      [--local-as=65500] [--next-hop=192.0.2.1]
//                      [--max-message-size=4096] [--two-octet-as]
//                      [--family=ipv4-unicast] [--rd=65000:1] [--label=N]
//
// Every route gets ORIGIN IGP, AS_PATH "<local-as>" and NEXT_HOP; routes are
// consecutive blocks of the prefix length, packed by bgpy's UpdateBuilder as
// the injector packs them. Another --family (a registry name, e.g.
// l3vpn-ipv4-unicast) takes route i from the family row's generate hook with
// the template bgpy-inject builds from --prefix, --rd and --label (RD step 0,
// label step 0), in MP_REACH_NLRI with the row's encoding of --next-hop, as
// bgpy-inject sends them. Prints "routes updates bytes" on stdout.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bgpy/bgpy.h"

namespace {

bool Flag(const char* arg, const char* name, std::string* value) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

bool ParseU64(const std::string& s, uint64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  // Accept 1e6-style counts too.
  const double d = std::strtod(s.c_str(), &end);
  if (errno != 0 || *end != '\0' || d < 0 || d > 1e15) return false;
  *out = static_cast<uint64_t>(d);
  return static_cast<double>(*out) == d;
}

int Usage(const char* why) {
  std::fprintf(stderr,
               "bgpy-encode-stream: %s\n"
               "usage: bgpy-encode-stream --out=FILE [--count=N] "
               "[--prefix=P] [--local-as=ASN] [--next-hop=A] "
               "[--max-message-size=4096|65535] [--two-octet-as] "
               "[--family=NAME] [--rd=RD] [--label=N]\n",
               why);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_path, value;
  uint64_t count = 1000000, local_as = 65500, max_size = 4096;
  std::string prefix_text = "10.0.0.0/32", next_hop_text = "192.0.2.1";
  bool two_octet = false;
  std::string family_name = "ipv4-unicast", rd_text, label_text;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (Flag(a, "--out", &value)) {
      out_path = value;
    } else if (Flag(a, "--count", &value)) {
      if (!ParseU64(value, &count)) return Usage("bad --count");
    } else if (Flag(a, "--prefix", &value)) {
      prefix_text = value;
    } else if (Flag(a, "--local-as", &value)) {
      if (!ParseU64(value, &local_as) || local_as == 0 ||
          local_as > 0xffffffffu)
        return Usage("bad --local-as");
    } else if (Flag(a, "--next-hop", &value)) {
      next_hop_text = value;
    } else if (Flag(a, "--max-message-size", &value)) {
      if (!ParseU64(value, &max_size) ||
          (max_size != bgpy::kMaxMessageSize &&
           max_size != bgpy::kMaxExtendedMessageSize))
        return Usage("--max-message-size must be 4096 or 65535");
    } else if (Flag(a, "--family", &value)) {
      family_name = value;
    } else if (Flag(a, "--rd", &value)) {
      rd_text = value;
    } else if (Flag(a, "--label", &value)) {
      label_text = value;
    } else if (std::strcmp(a, "--two-octet-as") == 0) {
      two_octet = true;
    } else {
      return Usage((std::string("unknown argument ") + a).c_str());
    }
  }
  if (out_path.empty()) return Usage("--out is required");
  if (two_octet && local_as > 0xffff)
    return Usage("--two-octet-as needs --local-as <= 65535");

  auto start = bgpy::Prefix::Parse(prefix_text);
  if (!start.ok()) return Usage("bad --prefix");
  auto next_hop = bgpy::IpAddress::Parse(next_hop_text);
  if (!next_hop.ok()) return Usage("bad --next-hop");
  const bgpy::FamilyDesc* desc = bgpy::FindFamilyByName(family_name);
  if (desc == nullptr || desc->opaque) return Usage("bad --family");
  // IPv4 unicast takes the inline prefix path (as bgpy-inject's fast
  // generator); every other family goes through its row.
  const bool generic = desc->family != bgpy::kIpv4Unicast;
  bgpy::RouteTemplate tmpl;
  tmpl.prefix = *start;
  if (!rd_text.empty()) {
    auto rd = bgpy::RouteDistinguisher::Parse(rd_text);
    if (!rd.ok()) return Usage("bad --rd");
    tmpl.rd = *rd;
  }
  if (!label_text.empty()) {
    uint64_t label = 0;
    if (!ParseU64(label_text, &label) || label > 0xfffff)
      return Usage("bad --label");
    tmpl.label = static_cast<uint32_t>(label);
  }

  bgpy::SessionParams params;
  params.four_octet_as = !two_octet;
  params.extended_message = max_size == bgpy::kMaxExtendedMessageSize;

  bgpy::PathAttributes attrs;
  attrs.origin = bgpy::Origin::kIgp;
  attrs.as_path = bgpy::AsPath{{bgpy::AsPathSegment{
      bgpy::AsSegmentType::kSequence, {static_cast<uint32_t>(local_as)}}}};
  bgpy::MpNextHop mp_next_hop;
  mp_next_hop.address = *next_hop;
  if (!generic) attrs.next_hop = *next_hop;

  bgpy::UpdateBuilder builder(params);
  if (absl::Status s =
          generic ? builder.SetAttributes(attrs, desc->family, mp_next_hop)
                  : builder.SetAttributes(attrs, bgpy::kIpv4Unicast);
      !s.ok()) {
    std::fprintf(stderr, "bgpy-encode-stream: %s\n", s.ToString().c_str());
    return 1;
  }

  std::FILE* f = std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "bgpy-encode-stream: %s: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::vector<uint8_t> buf;
  uint64_t updates = 0, bytes = 0;
  auto drain = [&]() -> bool {
    if (buf.empty()) return true;
    if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size()) return false;
    bytes += buf.size();
    buf.clear();
    return true;
  };
  for (uint64_t i = 0; generic && i < count; ++i) {
    absl::StatusOr<bgpy::NlriValue> v = desc->generate(tmpl, i);
    if (!v.ok()) {
      std::fclose(f);
      std::fprintf(stderr, "bgpy-encode-stream: route %llu: %s\n",
                   static_cast<unsigned long long>(i),
                   v.status().ToString().c_str());
      return 1;
    }
    absl::Status st = builder.AnnounceValue(*v);
    if (absl::IsResourceExhausted(st)) {
      if (builder.Flush(buf) > 0) ++updates;
      st = builder.AnnounceValue(*v);
    }
    if (!st.ok()) {
      std::fclose(f);
      return Usage(st.ToString().c_str());
    }
    if (buf.size() >= (1u << 20) && !drain()) break;
  }
  for (uint64_t i = 0; !generic && i < count; ++i) {
    auto p = start->Advance(i);
    if (!p.ok()) {
      std::fclose(f);
      return Usage("--count runs past the end of the address space");
    }
    if (!builder.Announce(*p)) {
      if (builder.Flush(buf) > 0) ++updates;
      if (!builder.Announce(*p)) {
        std::fclose(f);
        return Usage("a route does not fit an empty UPDATE");
      }
    }
    if (buf.size() >= (1u << 20) && !drain()) break;
  }
  if (builder.Flush(buf) > 0) ++updates;
  const bool ok = drain() && std::fclose(f) == 0;
  if (!ok) {
    std::fprintf(stderr, "bgpy-encode-stream: write %s: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::printf("%llu %llu %llu\n", static_cast<unsigned long long>(count),
              static_cast<unsigned long long>(updates),
              static_cast<unsigned long long>(bytes));
  return 0;
}
