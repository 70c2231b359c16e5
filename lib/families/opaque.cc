// Copyright 2026 The bgpy Authors.
//
// Families bgpy names (DESIGN.md "Families") but does not decode yet: the
// whole NLRI field is one OpaqueNlri entry, shown as hex and re-encoded as
// found. A family that gets its own row file moves out of here.
#include "absl/strings/str_cat.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "families/registry.h"

namespace bgpy::internal {

bool SplitOpaque(wire::Reader& r, wire::Bytes& entry, std::string*) {
  return r.ReadBytes(r.remaining(), entry);
}

absl::Status DecodeOpaque(wire::Bytes entry, NlriValue& out) {
  OpaqueNlri o;
  o.bytes.assign(entry.begin(), entry.end());
  out = std::move(o);
  return absl::OkStatus();
}

bool EncodeOpaque(const NlriValue& v, wire::Writer& w) {
  const OpaqueNlri* o = std::get_if<OpaqueNlri>(&v);
  return o != nullptr &&
         w.WriteBytes(wire::Bytes(o->bytes.data(), o->bytes.size()));
}

size_t OpaqueSize(const NlriValue& v) {
  const OpaqueNlri* o = std::get_if<OpaqueNlri>(&v);
  return o != nullptr ? o->bytes.size() : 0;
}

absl::StatusOr<NlriValue> ParseOpaque(absl::string_view text) {
  absl::StatusOr<std::vector<uint8_t>> bytes = ParseHex(text);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "NLRI of this family is given as hex: ", bytes.status().message()));
  }
  OpaqueNlri o;
  o.bytes.assign(bytes->begin(), bytes->end());
  return NlriValue(std::move(o));
}

absl::StatusOr<NlriValue> AdvanceOpaque(const NlriValue&, uint64_t) {
  return absl::UnimplementedError(
      "routes of this family cannot be generated yet (its NLRI is opaque)");
}

absl::StatusOr<NlriValue> GenerateOpaque(const RouteTemplate&, uint64_t) {
  return absl::UnimplementedError(
      "routes of this family cannot be generated yet (its NLRI is opaque)");
}

void OpaqueText(const NlriValue& v, std::string& out) {
  if (const OpaqueNlri* o = std::get_if<OpaqueNlri>(&v)) {
    AppendHex(&out, wire::Bytes(o->bytes.data(), o->bytes.size()));
  }
}

void OpaqueJson(const NlriValue& v, JsonWriter& j) {
  std::string hex;
  OpaqueText(v, hex);
  j.Field("hex", hex);
}

absl::Status CheckAnyNextHop(wire::Bytes) { return absl::OkStatus(); }

namespace {

constexpr FamilyDesc Opaque(Family family, const char* name) {
  return FamilyDesc{
      .family = family,
      .name = name,
      .opaque = true,
      .prefix_bits = 0,
      .split_entry = &SplitOpaque,
      .decode = &DecodeOpaque,
      .encode = &EncodeOpaque,
      .encoded_size = &OpaqueSize,
      .parse = &ParseOpaque,
      .advance = &AdvanceOpaque,
      .generate = &GenerateOpaque,
      .text = &OpaqueText,
      .json = &OpaqueJson,
      .check_next_hop = &CheckAnyNextHop,
      .decode_next_hop = &DecodeNextHop,
      .encode_next_hop = &EncodeNextHop,
  };
}

}  // namespace

// RFC 8277.
const FamilyDesc kIpv4LabelledUnicastFamily =
    Opaque(Family(Afi::kIpv4, Safi::kLabeledUnicast), "ipv4-labelled-unicast");
const FamilyDesc kIpv6LabelledUnicastFamily =
    Opaque(Family(Afi::kIpv6, Safi::kLabeledUnicast), "ipv6-labelled-unicast");
// RFC 4364, RFC 4659.
const FamilyDesc kL3vpnIpv4UnicastFamily =
    Opaque(Family(Afi::kIpv4, Safi::kMplsVpn), "l3vpn-ipv4-unicast");
const FamilyDesc kL3vpnIpv6UnicastFamily =
    Opaque(Family(Afi::kIpv6, Safi::kMplsVpn), "l3vpn-ipv6-unicast");
// RFC 7432.
const FamilyDesc kL2vpnEvpnFamily =
    Opaque(Family(Afi::kL2vpn, Safi::kEvpn), "l2vpn-evpn");
// RFC 8955, RFC 8956.
const FamilyDesc kIpv4FlowspecFamily =
    Opaque(Family(Afi::kIpv4, Safi::kFlowSpec), "ipv4-flowspec");
const FamilyDesc kIpv6FlowspecFamily =
    Opaque(Family(Afi::kIpv6, Safi::kFlowSpec), "ipv6-flowspec");
const FamilyDesc kL3vpnIpv4FlowspecFamily =
    Opaque(Family(Afi::kIpv4, Safi::kFlowSpecVpn), "l3vpn-ipv4-flowspec");
const FamilyDesc kL3vpnIpv6FlowspecFamily =
    Opaque(Family(Afi::kIpv6, Safi::kFlowSpecVpn), "l3vpn-ipv6-flowspec");

}  // namespace bgpy::internal
