// Copyright 2026 The bgpy Authors.
//
// otc.cc: Only to Customer (RFC 9234 §5).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

uint32_t OtcValue(wire::Bytes value) {
  return static_cast<uint32_t>(internal::LoadBe(value.data(), 4));
}

absl::Status ValidateOtc(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kOtc, value, 4);
}

bool DecodeOtc(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (out.otc) return false;
  out.otc = OtcValue(value);
  return true;
}

bool EncodeOtc(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (!a.otc) return true;
  return internal::WriteAttribute(
      AttrCode::kOtc, [&](wire::Writer& v) { return v.WriteU32(*a.otc); }, w);
}

void TextOtc(wire::Bytes value, const AttrContext&, std::string& out) {
  absl::StrAppend(&out, OtcValue(value));
}

void JsonOtc(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  j.Uint(OtcValue(value));
}

}  // namespace

namespace internal {
// RFC 9234 §5: optional transitive, 4 octets; malformed => treat-as-withdraw.
extern const AttributeDesc kOtcDesc = {
    .code = static_cast<uint8_t>(AttrCode::kOtc),
    .name = "OTC",
    .json_key = "otc",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateOtc,
    .decode = &DecodeOtc,
    .encode = &EncodeOtc,
    .text = &TextOtc,
    .json = &JsonOtc,
};
}  // namespace internal
}  // namespace bgpy
