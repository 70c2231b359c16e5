// Copyright 2026 The bgpy Authors.
//
// FlowSpec (RFC 8955, RFC 8956): ipv4-flowspec and ipv6-flowspec (SAFI
// 133), l3vpn-ipv4-flowspec and l3vpn-ipv6-flowspec (SAFI 134: an RD before
// the components, RFC 8955 §8). An entry is a 1- or 2-octet length and the
// rule; the typed value is a FlowspecRule (flowspec.h).
//
// Where checks happen: split_entry checks the framing only (the length
// field, and room for the RD), which the entry's own length makes exact;
// decode checks the components (order, operators, prefixes) and names the
// one at fault. So an UPDATE whose rule is malformed still parses and its
// other routes stay readable, and the malformed rule is identified (what
// treat-as-withdraw needs, RFC 7606 §5.3); a framing error fails the field.
//
// Next hop (RFC 8955 §6: a FlowSpec route has no next hop of its own; most
// speakers send length 0): accepted lengths are 0, and for IPv4 4/16/32,
// for IPv6 16/32, for the VPN families also the RD forms 12 (IPv4) and
// 24/48 (IPv6). A 0-length next hop decodes to the unspecified address of
// the family; encode writes length 0 when the address is unspecified (0.0.0.0
// or ::) with no RD or link-local, otherwise the address as given (some
// speakers use it for redirect-to-IP, RFC 8955 §7 / draft redirect-ip).
#include "bgpy/flowspec.h"

#include <cstring>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bgpy/json.h"
#include "families/registry.h"

namespace bgpy::internal {
namespace {

bool IsUnspecified(const IpAddress& a) {
  for (int i = 0; i < a.byte_length(); ++i) {
    if (a.bytes()[i] != 0) return false;
  }
  return true;
}

template <Afi kAfi, bool kVpn>
struct FlowspecRow {
  static constexpr const char* kFamilyText =
      kAfi == Afi::kIpv4 ? (kVpn ? "l3vpn-ipv4-flowspec" : "ipv4-flowspec")
                         : (kVpn ? "l3vpn-ipv6-flowspec" : "ipv6-flowspec");

  static bool Split(wire::Reader& r, wire::Bytes& entry, std::string* why) {
    return SplitFlowspecEntry(r, kVpn, entry, why);
  }
  static absl::Status Decode(wire::Bytes entry, NlriValue& out) {
    wire::Reader r(entry);
    wire::Bytes e;
    std::string why;
    if (!SplitFlowspecEntry(r, kVpn, e, &why)) {
      return absl::InvalidArgumentError(why);
    }
    if (!r.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "FlowSpec entry has %d octets after its NLRI", r.remaining()));
    }
    absl::StatusOr<FlowspecRule> rule =
        FlowspecRule::Decode(kAfi, kVpn, FlowspecEntryValue(entry));
    if (!rule.ok()) return rule.status();
    out = *std::move(rule);
    return absl::OkStatus();
  }
  static const FlowspecRule* Get(const NlriValue& v) {
    const FlowspecRule* r = std::get_if<FlowspecRule>(&v);
    return r != nullptr && r->afi == kAfi && r->rd.has_value() == kVpn
               ? r
               : nullptr;
  }
  static bool Encode(const NlriValue& v, wire::Writer& w) {
    const FlowspecRule* r = Get(v);
    return r != nullptr && r->Encode(w);
  }
  static size_t Size(const NlriValue& v) {
    const FlowspecRule* r = Get(v);
    return r != nullptr ? r->EncodedSize() : 0;
  }
  static absl::StatusOr<NlriValue> Parse(absl::string_view text) {
    absl::StatusOr<FlowspecRule> r = FlowspecRule::Parse(kAfi, kVpn, text);
    if (!r.ok()) return r.status();
    return NlriValue(*std::move(r));
  }
  // Steps the destination prefix (the one thing generators vary).
  static absl::StatusOr<FlowspecRule> Step(FlowspecRule rule, uint64_t n) {
    FlowspecComponent* d = rule.Find(FlowspecType::kDestination);
    if (d == nullptr) {
      return absl::InvalidArgumentError(
          "a FlowSpec rule without a destination prefix has no next rule");
    }
    absl::StatusOr<Prefix> p = d->prefix.Advance(n);
    if (!p.ok()) return p.status();
    // The stepped prefix must stay clear of the bits before the offset.
    const uint8_t* b = p->address().bytes();
    for (int bit = 0; bit < d->offset; ++bit) {
      if (b[bit / 8] & (0x80 >> (bit % 8))) {
        return absl::OutOfRangeError(absl::StrCat(
            "destination ", p->ToString(), " reaches into offset ", d->offset));
      }
    }
    d->prefix = *p;
    return rule;
  }
  static absl::StatusOr<NlriValue> Advance(const NlriValue& v, uint64_t n) {
    const FlowspecRule* r = Get(v);
    if (r == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("not an ", kFamilyText, " rule"));
    }
    absl::StatusOr<FlowspecRule> s = Step(*r, n);
    if (!s.ok()) return s.status();
    return NlriValue(*std::move(s));
  }
  // The parsed template, per thread: generators call this once per route
  // with the same template, so the text is parsed once per run.
  struct Cached {
    std::string text;
    Prefix first;
    std::optional<RouteDistinguisher> rd;
    absl::StatusOr<FlowspecRule> rule = absl::UnknownError("");
    bool dest_slot = false;
    bool source_slot = false;
  };
  static absl::StatusOr<NlriValue> Generate(const RouteTemplate& t,
                                            uint64_t i) {
    if (t.flowspec.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--flowspec: ", kFamilyText,
          " routes need a rule (\"destination {prefix} protocol =6 action "
          "discard\")"));
    }
    if (t.prefix.afi() != kAfi &&
        t.flowspec.find("{prefix}") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("the first prefix ", t.prefix.ToString(), " is not an ",
                       kAfi == Afi::kIpv4 ? "IPv4" : "IPv6", " prefix"));
    }
    thread_local Cached cache;
    if (cache.text != t.flowspec || cache.first != t.prefix ||
        cache.rd != t.rd) {
      cache.text = t.flowspec;
      cache.first = t.prefix;
      cache.rd = t.rd;
      std::string text =
          absl::StrReplaceAll(t.flowspec, {{"{prefix}", t.prefix.ToString()}});
      // VPN rows take the RD from --rd when the rule does not give one.
      if (kVpn && t.rd && !absl::StartsWith(text, "rd ")) {
        text = absl::StrCat("rd ", t.rd->ToString(), " ", text);
      }
      cache.rule = FlowspecRule::Parse(kAfi, kVpn, text);
      std::vector<absl::string_view> tok = absl::StrSplit(
          t.flowspec, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
      cache.dest_slot = cache.source_slot = false;
      size_t slots = 0, uses = 0;
      for (size_t k = 0; k < tok.size(); ++k) {
        if (tok[k] == "action" || tok[k] == "then") break;
        if (tok[k].find("{prefix}") != absl::string_view::npos) ++uses;
        if (tok[k] != "{prefix}" || k == 0) continue;
        if (tok[k - 1] == "destination") cache.dest_slot = true, ++slots;
        if (tok[k - 1] == "source") cache.source_slot = true, ++slots;
      }
      if (slots != uses) {
        cache.rule = absl::InvalidArgumentError(
            "--flowspec: \"{prefix}\" goes after \"destination\" or "
            "\"source\"");
      }
    }
    if (!cache.rule.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--flowspec: ", cache.rule.status().message()));
    }
    FlowspecRule rule = *cache.rule;
    if (i != 0 && (cache.dest_slot || cache.source_slot)) {
      absl::StatusOr<Prefix> p = t.prefix.Advance(i);
      if (!p.ok()) return p.status();
      for (FlowspecComponent& c : rule.components) {
        if ((c.type == FlowspecType::kDestination && cache.dest_slot) ||
            (c.type == FlowspecType::kSource && cache.source_slot)) {
          // Bits before the offset are not on the wire: clear them, as
          // Parse does.
          uint8_t bytes[16];
          std::memcpy(bytes, p->address().bytes(), 16);
          for (int bit = 0; bit < c.offset; ++bit) {
            bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
          }
          c.prefix = PrefixInternal::Unchecked(kAfi == Afi::kIpv6
                                                   ? IpAddress::V6Bytes(bytes)
                                                   : IpAddress::V4Bytes(bytes),
                                               p->length());
        }
      }
    }
    if (t.rd && kVpn && t.rd_step != 0 && i != 0) {
      absl::StatusOr<RouteDistinguisher> rd = rule.rd->Advance(i * t.rd_step);
      if (!rd.ok()) return rd.status();
      rule.rd = *rd;
    }
    return NlriValue(std::move(rule));
  }
  static void Text(const NlriValue& v, std::string& out) {
    if (const FlowspecRule* r = std::get_if<FlowspecRule>(&v)) {
      r->AppendTo(out);
    } else {
      OpaqueText(v, out);
    }
  }
  // {"rd":"65000:1","rule":"destination 10.0.0.0/24 protocol =6",
  //  "destination":"10.0.0.0/24","protocol":"=6"}
  static void Json(const NlriValue& v, JsonWriter& j) {
    const FlowspecRule* r = std::get_if<FlowspecRule>(&v);
    if (r == nullptr) {
      OpaqueJson(v, j);
      return;
    }
    if (r->rd) j.Field("rd", r->rd->ToString());
    FlowspecRule match = *r;
    match.rd.reset();
    j.Field("rule", match.ToString());
    for (const FlowspecComponent& c : r->components) {
      FlowspecRule one;
      one.afi = r->afi;
      one.components.push_back(c);
      std::string text = one.ToString();
      const char* name = FlowspecTypeName(c.type);
      if (name == nullptr) continue;
      const size_t skip = std::strlen(name) + 1;
      j.Field(name, text.size() > skip ? text.substr(skip) : "");
    }
  }
  static absl::Status CheckNextHop(wire::Bytes nh) {
    const size_t n = nh.size();
    const bool ok =
        n == 0 ||
        (kAfi == Afi::kIpv4
             ? (n == 4 || n == 16 || n == 32 ||
                (kVpn && (n == 12 || n == 24 || n == 48)))
             : (n == 16 || n == 32 || (kVpn && (n == 24 || n == 48))));
    if (ok) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s next hop length %d (expected 0%s)", kFamilyText, n,
        kAfi == Afi::kIpv4
            ? (kVpn ? ", 4, 12, 16, 24, 32 or 48" : ", 4, 16 or 32")
            : (kVpn ? ", 16, 24, 32 or 48" : ", 16 or 32")));
  }
  static absl::StatusOr<MpNextHop> DecodeNh(wire::Bytes nh) {
    if (nh.empty()) {
      MpNextHop out;
      if (kAfi == Afi::kIpv6) {
        const uint8_t zero[16] = {};
        out.address = IpAddress::V6Bytes(zero);
      }
      return out;
    }
    return DecodeMpNextHop(nh);
  }
  static bool EncodeNh(const MpNextHop& nh, wire::Writer& w) {
    if (!nh.rd && !nh.link_local && IsUnspecified(nh.address)) return w.ok();
    return EncodeMpNextHop(nh, w);
  }
};

template <Afi kAfi, bool kVpn>
constexpr FamilyDesc FlowspecFamily() {
  using Row = FlowspecRow<kAfi, kVpn>;
  return FamilyDesc{
      .family = Family(kAfi, kVpn ? Safi::kFlowSpecVpn : Safi::kFlowSpec),
      .name = Row::kFamilyText,
      .opaque = false,
      .prefix_bits = 0,
      .split_entry = &Row::Split,
      .decode = &Row::Decode,
      .encode = &Row::Encode,
      .encoded_size = &Row::Size,
      .parse = &Row::Parse,
      .advance = &Row::Advance,
      .generate = &Row::Generate,
      .text = &Row::Text,
      .json = &Row::Json,
      .check_next_hop = &Row::CheckNextHop,
      .decode_next_hop = &Row::DecodeNh,
      .encode_next_hop = &Row::EncodeNh,
  };
}

}  // namespace

// RFC 8955, RFC 8956.
const FamilyDesc kIpv4FlowspecFamily = FlowspecFamily<Afi::kIpv4, false>();
const FamilyDesc kIpv6FlowspecFamily = FlowspecFamily<Afi::kIpv6, false>();
const FamilyDesc kL3vpnIpv4FlowspecFamily = FlowspecFamily<Afi::kIpv4, true>();
const FamilyDesc kL3vpnIpv6FlowspecFamily = FlowspecFamily<Afi::kIpv6, true>();

}  // namespace bgpy::internal
