// Copyright 2026 The bgpy Authors.
//
// next_hop.cc: NEXT_HOP (RFC 4271 §4.3 c, §5.1.3).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

absl::Status ValidateNextHop(wire::Bytes value, const AttrContext&) {
  BGPY_RETURN_IF_ERROR(
      internal::CheckFixedLength(AttrCode::kNextHop, value, 4));
  uint32_t a = static_cast<uint32_t>(internal::LoadBe(value.data(), 4));
  // RFC 4271 §6.3: a syntactically incorrect NEXT_HOP. Checks that need the
  // session (own address, shared subnet) are the caller's.
  const bool bad = a == 0 ||                          // 0.0.0.0
                   (a & 0xf0000000) == 0xe0000000 ||  // 224/4 multicast
                   a == 0xffffffff;                   // limited broadcast
  if (bad) {
    return internal::AttrError(
        UpdateSubcode::kInvalidNextHopAttribute, AttrCode::kNextHop, value,
        absl::StrCat("NEXT_HOP ", FormatIpv4(a), " is not a unicast address"));
  }
  return absl::OkStatus();
}

std::string NextHopText(wire::Bytes value) {
  return FormatIpv4(static_cast<uint32_t>(internal::LoadBe(value.data(), 4)));
}

bool DecodeNextHop(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (out.next_hop) return false;
  out.next_hop = IpAddress::V4Bytes(value.data());
  return true;
}

// Only an IPv4 next hop has a NEXT_HOP attribute; others go in MP_REACH_NLRI.
bool EncodeNextHop(const PathAttributes& a, const AttrContext&,
                   wire::Writer& w) {
  if (!a.next_hop || !a.next_hop->is_v4()) return true;
  return internal::WriteAttribute(
      AttrCode::kNextHop,
      [&](wire::Writer& v) { return v.WriteU32(a.next_hop->v4()); }, w);
}

void TextNextHop(wire::Bytes value, const AttrContext&, std::string& out) {
  out += NextHopText(value);
}

void JsonNextHop(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  j.String(NextHopText(value));
}

}  // namespace

namespace internal {
// RFC 4271 §5.1.3 well-known mandatory; RFC 7606 §7.3 treat-as-withdraw.
extern const AttributeDesc kNextHopDesc = {
    .code = static_cast<uint8_t>(AttrCode::kNextHop),
    .name = "NEXT_HOP",
    .json_key = "next_hop",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateNextHop,
    .decode = &DecodeNextHop,
    .encode = &EncodeNextHop,
    .text = &TextNextHop,
    .json = &JsonNextHop,
};
}  // namespace internal
}  // namespace bgpy
