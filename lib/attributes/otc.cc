// Copyright 2026 The bgpy Authors.
//
// otc.cc: Only to Customer (RFC 9234 §5).
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

absl::Status ValidateOtc(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kOtc, value, 4);
}

std::string FormatOtc(wire::Bytes value, const AttrContext&) {
  return absl::StrCat(internal::LoadBe(value.data(), 4));
}

}  // namespace

namespace internal {
// RFC 9234 §5: optional transitive, 4 octets; malformed => treat-as-withdraw.
extern const AttributeDesc kOtcDesc = {
    .code = static_cast<uint8_t>(AttrCode::kOtc),
    .name = "OTC",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateOtc,
    .format = &FormatOtc,
};
}  // namespace internal
}  // namespace bgpy
