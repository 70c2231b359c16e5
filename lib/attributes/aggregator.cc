// Copyright 2026 The bgpy Authors.
//
// aggregator.cc: AGGREGATOR (RFC 4271 §4.3 g, RFC 6793 §3) and
// AS4_AGGREGATOR (RFC 6793 §3).
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

// "AS 65000, 192.0.2.1".
void AggregatorText(wire::Bytes value, bool four_octet, std::string& out) {
  auto a = DecodeAggregator(value, four_octet);
  if (!a.ok()) {
    AppendHex(&out, value);
    return;
  }
  absl::StrAppend(&out, "AS ", a->asn, ", ", FormatIpv4(a->address));
}

// {"asn":65000,"address":"192.0.2.1"}
void AggregatorJson(wire::Bytes value, bool four_octet, JsonWriter& j) {
  auto a = DecodeAggregator(value, four_octet);
  if (!a.ok()) {
    j.BeginObject().Field("hex", HexString(value)).EndObject();
    return;
  }
  j.BeginObject()
      .Field("asn", a->asn)
      .Field("address", FormatIpv4(a->address))
      .EndObject();
}

bool DecodeInto(wire::Bytes value, bool four_octet,
                std::optional<Aggregator>& field) {
  if (field) return false;
  auto a = DecodeAggregator(value, four_octet);
  if (!a.ok()) return false;
  field = *a;
  return true;
}

absl::Status ValidateAggregator(wire::Bytes value, const AttrContext& ctx) {
  return internal::CheckFixedLength(AttrCode::kAggregator, value,
                                    internal::FourOctetAs(ctx) ? 8 : 6);
}

bool DecodeAggregatorHook(wire::Bytes value, const AttrContext& ctx,
                          PathAttributes& out) {
  return DecodeInto(value, internal::FourOctetAs(ctx), out.aggregator);
}

bool EncodeAggregatorHook(const PathAttributes& a, const AttrContext& ctx,
                          wire::Writer& w) {
  if (!a.aggregator) return true;
  const bool four = internal::FourOctetAs(ctx);
  return internal::WriteAttribute(
      AttrCode::kAggregator,
      [&](wire::Writer& v) { return EncodeAggregator(*a.aggregator, four, v); },
      w);
}

void TextAggregator(wire::Bytes value, const AttrContext& ctx,
                    std::string& out) {
  AggregatorText(value, internal::FourOctetAs(ctx), out);
}

void JsonAggregator(wire::Bytes value, const AttrContext& ctx, JsonWriter& j) {
  AggregatorJson(value, internal::FourOctetAs(ctx), j);
}

absl::Status ValidateAs4Aggregator(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kAs4Aggregator, value, 8);
}

bool DecodeAs4AggregatorHook(wire::Bytes value, const AttrContext&,
                             PathAttributes& out) {
  return DecodeInto(value, /*four_octet=*/true, out.as4_aggregator);
}

// Writes `as4_aggregator` when set. Otherwise, RFC 6793 §4.2.2: on a
// 2-octet session an AGGREGATOR whose ASN is above 65535 goes out as
// AS_TRANS, and AS4_AGGREGATOR carries the real ASN.
bool EncodeAs4AggregatorHook(const PathAttributes& a, const AttrContext& ctx,
                             wire::Writer& w) {
  const Aggregator* g = a.as4_aggregator ? &*a.as4_aggregator : nullptr;
  if (g == nullptr && !internal::FourOctetAs(ctx) && a.aggregator &&
      a.aggregator->asn > 0xffff) {
    g = &*a.aggregator;
  }
  if (g == nullptr) return true;
  return internal::WriteAttribute(
      AttrCode::kAs4Aggregator,
      [&](wire::Writer& v) {
        return EncodeAggregator(*g, /*four_octet=*/true, v);
      },
      w);
}

void TextAs4Aggregator(wire::Bytes value, const AttrContext&,
                       std::string& out) {
  AggregatorText(value, /*four_octet=*/true, out);
}

void JsonAs4Aggregator(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  AggregatorJson(value, /*four_octet=*/true, j);
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
    .json_key = "aggregator",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAggregator,
    .decode = &DecodeAggregatorHook,
    .encode = &EncodeAggregatorHook,
    .text = &TextAggregator,
    .json = &JsonAggregator,
};
// RFC 6793 §3 optional transitive; §6 attribute discard.
extern const AttributeDesc kAs4AggregatorDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAs4Aggregator),
    .name = "AS4_AGGREGATOR",
    .json_key = "as4_aggregator",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAs4Aggregator,
    .decode = &DecodeAs4AggregatorHook,
    .encode = &EncodeAs4AggregatorHook,
    .text = &TextAs4Aggregator,
    .json = &JsonAs4Aggregator,
};
}  // namespace internal
}  // namespace bgpy
