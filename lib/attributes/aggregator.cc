// Copyright 2026 The bgpy Authors.
//
// aggregator.cc: AGGREGATOR (RFC 4271 §4.3 g, RFC 6793 §3) and
// AS4_AGGREGATOR (RFC 6793 §3).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

std::string FormatAggregatorValue(const Aggregator& a) {
  return absl::StrCat(a.asn, " ", FormatIpv4(a.address));
}

absl::Status ValidateAggregator(wire::Bytes value, const AttrContext& ctx) {
  return internal::CheckFixedLength(AttrCode::kAggregator, value,
                                    internal::FourOctetAs(ctx) ? 8 : 6);
}

std::string FormatAggregator(wire::Bytes value, const AttrContext& ctx) {
  auto a = DecodeAggregator(value, internal::FourOctetAs(ctx));
  return a.ok() ? FormatAggregatorValue(*a) : internal::Hex(value);
}

absl::Status ValidateAs4Aggregator(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kAs4Aggregator, value, 8);
}

std::string FormatAs4Aggregator(wire::Bytes value, const AttrContext&) {
  auto a = DecodeAggregator(value, /*four_octet=*/true);
  return a.ok() ? FormatAggregatorValue(*a) : internal::Hex(value);
}

}  // namespace

absl::StatusOr<Aggregator> DecodeAggregator(wire::Bytes value,
                                            bool four_octet) {
  const size_t want = four_octet ? 8 : 6;  // RFC 6793 §3 / RFC 4271 §4.3 g
  if (value.size() != want) {
    return UpdateError(
        UpdateSubcode::kAttributeLengthError,
        internal::CanonicalAttributeBytes(
            static_cast<uint8_t>(AttrCode::kAggregator), value),
        absl::StrCat("AGGREGATOR length ", value.size(), ", expected ", want));
  }
  wire::Reader r(value);
  Aggregator a;
  if (four_octet) {
    r.ReadU32(a.asn);
  } else {
    uint16_t asn;
    r.ReadU16(asn);
    a.asn = asn;
  }
  r.ReadU32(a.address);
  return a;
}

bool EncodeAggregator(const Aggregator& a, bool four_octet, wire::Writer& w) {
  bool ok = four_octet
                ? w.WriteU32(a.asn)
                : w.WriteU16(a.asn > 0xffff ? kAsTrans  // RFC 6793 §4.2.2
                                            : static_cast<uint16_t>(a.asn));
  return ok && w.WriteU32(a.address);
}

namespace internal {
// RFC 4271 §5.1.7 optional transitive; RFC 7606 §7.7 attribute discard.
extern const AttributeDesc kAggregatorDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAggregator),
    .name = "AGGREGATOR",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAggregator,
    .format = &FormatAggregator,
};
// RFC 6793 §3 optional transitive; §6 attribute discard.
extern const AttributeDesc kAs4AggregatorDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAs4Aggregator),
    .name = "AS4_AGGREGATOR",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAs4Aggregator,
    .format = &FormatAs4Aggregator,
};
}  // namespace internal
}  // namespace bgpy
