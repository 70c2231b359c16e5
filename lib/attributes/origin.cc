// Copyright 2026 The bgpy Authors.
//
// origin.cc: ORIGIN (RFC 4271 §4.3 a, §5.1.1).
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

absl::Status ValidateOrigin(wire::Bytes value, const AttrContext&) {
  BGPY_RETURN_IF_ERROR(internal::CheckFixedLength(AttrCode::kOrigin, value, 1));
  if (value[0] > static_cast<uint8_t>(Origin::kIncomplete)) {
    // RFC 4271 §6.3: undefined ORIGIN value.
    return internal::AttrError(UpdateSubcode::kInvalidOriginAttribute,
                               AttrCode::kOrigin, value,
                               absl::StrCat("ORIGIN value ", value[0]));
  }
  return absl::OkStatus();
}

bool DecodeOrigin(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (out.origin) return false;
  out.origin = static_cast<Origin>(value[0]);
  return true;
}

bool EncodeOrigin(const PathAttributes& a, const AttrContext&,
                  wire::Writer& w) {
  if (!a.origin) return true;
  return internal::WriteAttribute(
      AttrCode::kOrigin,
      [&](wire::Writer& v) {
        return v.WriteU8(static_cast<uint8_t>(*a.origin));
      },
      w);
}

void TextOrigin(wire::Bytes value, const AttrContext&, std::string& out) {
  out += OriginName(static_cast<Origin>(value[0]));
}

void JsonOrigin(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  j.String(OriginName(static_cast<Origin>(value[0])));
}

}  // namespace

const char* OriginName(Origin o) {
  switch (o) {
    case Origin::kIgp:
      return "IGP";
    case Origin::kEgp:
      return "EGP";
    case Origin::kIncomplete:
      return "INCOMPLETE";
  }
  return "?";
}

absl::StatusOr<Origin> ParseOrigin(absl::string_view text) {
  std::string t = absl::AsciiStrToLower(text);
  if (t == "igp" || t == "i") return Origin::kIgp;
  if (t == "egp" || t == "e") return Origin::kEgp;
  if (t == "incomplete" || t == "?") return Origin::kIncomplete;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown origin \"", text, "\" (igp|egp|incomplete)"));
}

namespace internal {
// RFC 4271 §5.1.1 well-known mandatory; RFC 7606 §7.1 treat-as-withdraw.
extern const AttributeDesc kOriginDesc = {
    .code = static_cast<uint8_t>(AttrCode::kOrigin),
    .name = "ORIGIN",
    .json_key = "origin",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateOrigin,
    .decode = &DecodeOrigin,
    .encode = &EncodeOrigin,
    .text = &TextOrigin,
    .json = &JsonOrigin,
};
}  // namespace internal
}  // namespace bgpy
