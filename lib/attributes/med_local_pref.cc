// Copyright 2026 The bgpy Authors.
//
// med_local_pref.cc: MULTI_EXIT_DISC and LOCAL_PREF (RFC 4271 §4.3 d, e).
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

uint32_t U32(wire::Bytes value) {
  return static_cast<uint32_t>(internal::LoadBe(value.data(), 4));
}

bool DecodeU32Field(wire::Bytes value, std::optional<uint32_t>& field) {
  if (field) return false;
  field = U32(value);
  return true;
}

bool EncodeU32Field(AttrCode code, const std::optional<uint32_t>& field,
                    wire::Writer& w) {
  if (!field) return true;
  return internal::WriteAttribute(
      code, [&](wire::Writer& v) { return v.WriteU32(*field); }, w);
}

absl::Status ValidateMed(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kMultiExitDisc, value, 4);
}

bool DecodeMed(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  return DecodeU32Field(value, out.med);
}

bool EncodeMed(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  return EncodeU32Field(AttrCode::kMultiExitDisc, a.med, w);
}

absl::Status ValidateLocalPref(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kLocalPref, value, 4);
}

bool DecodeLocalPref(wire::Bytes value, const AttrContext&,
                     PathAttributes& out) {
  return DecodeU32Field(value, out.local_pref);
}

bool EncodeLocalPref(const PathAttributes& a, const AttrContext&,
                     wire::Writer& w) {
  return EncodeU32Field(AttrCode::kLocalPref, a.local_pref, w);
}

void TextU32(wire::Bytes value, const AttrContext&, std::string& out) {
  absl::StrAppend(&out, U32(value));
}

void JsonU32(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  j.Uint(U32(value));
}

}  // namespace

namespace internal {
// RFC 4271 §5.1.4 optional non-transitive; RFC 7606 §7.4 treat-as-withdraw.
extern const AttributeDesc kMultiExitDiscDesc = {
    .code = static_cast<uint8_t>(AttrCode::kMultiExitDisc),
    .name = "MULTI_EXIT_DISC",
    .json_key = "med",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateMed,
    .decode = &DecodeMed,
    .encode = &EncodeMed,
    .text = &TextU32,
    .json = &JsonU32,
};
// RFC 4271 §5.1.5 well-known; RFC 7606 §7.5 treat-as-withdraw.
extern const AttributeDesc kLocalPrefDesc = {
    .code = static_cast<uint8_t>(AttrCode::kLocalPref),
    .name = "LOCAL_PREF",
    .json_key = "local_pref",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateLocalPref,
    .decode = &DecodeLocalPref,
    .encode = &EncodeLocalPref,
    .text = &TextU32,
    .json = &JsonU32,
};
}  // namespace internal
}  // namespace bgpy
