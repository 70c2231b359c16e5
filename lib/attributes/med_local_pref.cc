// Copyright 2026 The bgpy Authors.
//
// med_local_pref.cc: MULTI_EXIT_DISC and LOCAL_PREF (RFC 4271 §4.3 d, e).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

absl::Status ValidateMed(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kMultiExitDisc, value, 4);
}

absl::Status ValidateLocalPref(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kLocalPref, value, 4);
}

std::string FormatU32(wire::Bytes value, const AttrContext&) {
  return absl::StrCat(internal::LoadBe(value.data(), 4));
}

}  // namespace

namespace internal {
// RFC 4271 §5.1.4 optional non-transitive; RFC 7606 §7.4 treat-as-withdraw.
extern const AttributeDesc kMultiExitDiscDesc = {
    .code = static_cast<uint8_t>(AttrCode::kMultiExitDisc),
    .name = "MULTI_EXIT_DISC",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateMed,
    .format = &FormatU32,
};
// RFC 4271 §5.1.5 well-known; RFC 7606 §7.5 treat-as-withdraw.
extern const AttributeDesc kLocalPrefDesc = {
    .code = static_cast<uint8_t>(AttrCode::kLocalPref),
    .name = "LOCAL_PREF",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateLocalPref,
    .format = &FormatU32,
};
}  // namespace internal
}  // namespace bgpy
