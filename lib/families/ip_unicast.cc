// Copyright 2026 The bgpy Authors.
//
// IPv4/IPv6 unicast and multicast: RFC 4271 §4.3 (IPv4 in the UPDATE body),
// RFC 4760 §5 and RFC 2545 (MP_REACH). An entry is a length octet followed by
// the fewest octets that hold that many bits; the typed value is a Prefix.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/errors.h"
#include "bgpy/json.h"
#include "families/registry.h"

namespace bgpy::internal {
namespace {

bool SplitPrefix(wire::Reader& r, wire::Bytes& entry, int max_bits,
                 std::string* why) {
  const wire::Bytes rest = r.rest();
  if (rest.empty()) {
    if (why) *why = "empty entry";
    return false;
  }
  const int len = rest[0];
  const size_t nbytes = (len + 7u) / 8u;
  if (len > max_bits) {
    if (why)
      *why = absl::StrFormat("prefix length %d exceeds %d", len, max_bits);
    return false;
  }
  if (rest.size() - 1 < nbytes) {
    if (why) {
      *why = absl::StrFormat("prefix length %d needs %d octets, %d left", len,
                             nbytes, rest.size() - 1);
    }
    return false;
  }
  r.ReadBytes(1 + nbytes, entry);
  return true;
}

// The hooks, per address family.
template <Afi kAfi>
struct IpRow {
  static absl::Status Decode(wire::Bytes entry, NlriValue& out) {
    absl::StatusOr<Prefix> p = DecodeIpPrefix(kAfi, entry);
    if (!p.ok()) return p.status();
    out = *p;
    return absl::OkStatus();
  }
  static const Prefix* Get(const NlriValue& v) {
    const Prefix* p = std::get_if<Prefix>(&v);
    return p != nullptr && p->afi() == kAfi ? p : nullptr;
  }
  static bool Encode(const NlriValue& v, wire::Writer& w) {
    const Prefix* p = Get(v);
    return p != nullptr && EncodeIpPrefix(*p, w);
  }
  static size_t Size(const NlriValue& v) {
    const Prefix* p = Get(v);
    return p != nullptr ? IpPrefixEncodedSize(*p) : 0;
  }
  static absl::StatusOr<NlriValue> Parse(absl::string_view text) {
    absl::StatusOr<Prefix> p = Prefix::Parse(text);
    if (!p.ok()) return p.status();
    if (p->afi() != kAfi) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", text, "\" is not an ",
                       kAfi == Afi::kIpv4 ? "IPv4" : "IPv6", " prefix"));
    }
    return NlriValue(*p);
  }
  static absl::StatusOr<NlriValue> Advance(const NlriValue& v, uint64_t n) {
    const Prefix* p = Get(v);
    if (p == nullptr) return absl::InvalidArgumentError("not an IP prefix");
    absl::StatusOr<Prefix> q = p->Advance(n);
    if (!q.ok()) return q.status();
    return NlriValue(*q);
  }
  static absl::StatusOr<NlriValue> Generate(const RouteTemplate& t,
                                            uint64_t i) {
    if (t.prefix.afi() != kAfi) {
      return absl::InvalidArgumentError(
          absl::StrCat("the first prefix ", t.prefix.ToString(), " is not an ",
                       kAfi == Afi::kIpv4 ? "IPv4" : "IPv6", " prefix"));
    }
    absl::StatusOr<Prefix> q = t.prefix.Advance(i);
    if (!q.ok()) return q.status();
    return NlriValue(*q);
  }
  static void Text(const NlriValue& v, std::string& out) {
    if (const Prefix* p = std::get_if<Prefix>(&v)) {
      out += p->ToString();
    } else {
      OpaqueText(v, out);
    }
  }
  static void Json(const NlriValue& v, JsonWriter& j) {
    if (const Prefix* p = std::get_if<Prefix>(&v)) {
      j.Field("prefix", p->ToString());
    } else {
      OpaqueJson(v, j);
    }
  }
};

template <Afi kAfi>
constexpr FamilyDesc IpFamily(Family family, const char* name) {
  using Row = IpRow<kAfi>;
  const bool v4 = kAfi == Afi::kIpv4;
  return FamilyDesc{
      .family = family,
      .name = name,
      .opaque = false,
      .prefix_bits = static_cast<uint8_t>(v4 ? 32 : 128),
      .split_entry = v4 ? &SplitIpv4Prefix : &SplitIpv6Prefix,
      .decode = &Row::Decode,
      .encode = &Row::Encode,
      .encoded_size = &Row::Size,
      .parse = &Row::Parse,
      .advance = &Row::Advance,
      .generate = &Row::Generate,
      .text = &Row::Text,
      .json = &Row::Json,
      .check_next_hop = v4 ? &CheckV4NextHop : &CheckV6NextHop,
      .decode_next_hop = &DecodeNextHop,
      .encode_next_hop = &EncodeNextHop,
  };
}

}  // namespace

bool SplitIpv4Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why) {
  return SplitPrefix(r, entry, 32, why);
}
bool SplitIpv6Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why) {
  return SplitPrefix(r, entry, 128, why);
}

const FamilyDesc kIpv4UnicastFamily =
    IpFamily<Afi::kIpv4>(kIpv4Unicast, "ipv4-unicast");
const FamilyDesc kIpv6UnicastFamily =
    IpFamily<Afi::kIpv6>(kIpv6Unicast, "ipv6-unicast");
const FamilyDesc kIpv4MulticastFamily = IpFamily<Afi::kIpv4>(
    Family(Afi::kIpv4, Safi::kMulticast), "ipv4-multicast");
const FamilyDesc kIpv6MulticastFamily = IpFamily<Afi::kIpv6>(
    Family(Afi::kIpv6, Safi::kMulticast), "ipv6-multicast");

}  // namespace bgpy::internal
