// Copyright 2026 The bgpy Authors.
//
// atomic_aggregate.cc: ATOMIC_AGGREGATE (RFC 4271 §4.3 f, §5.1.6).
#include <string>

#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

absl::Status ValidateAtomicAggregate(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kAtomicAggregate, value, 0);
}

bool DecodeAtomicAggregate(wire::Bytes, const AttrContext&,
                           PathAttributes& out) {
  if (out.atomic_aggregate) return false;
  out.atomic_aggregate = true;
  return true;
}

bool EncodeAtomicAggregate(const PathAttributes& a, const AttrContext&,
                           wire::Writer& w) {
  if (!a.atomic_aggregate) return true;
  return internal::WriteAttribute(
      AttrCode::kAtomicAggregate, [](wire::Writer&) { return true; }, w);
}

// The attribute has no value; its presence is the fact.
void TextAtomicAggregate(wire::Bytes, const AttrContext&, std::string& out) {
  out += "present";
}

void JsonAtomicAggregate(wire::Bytes, const AttrContext&, JsonWriter& j) {
  j.Bool(true);
}

}  // namespace

namespace internal {
// RFC 4271 §5.1.6 well-known discretionary; RFC 7606 §7.6 attribute discard.
extern const AttributeDesc kAtomicAggregateDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAtomicAggregate),
    .name = "ATOMIC_AGGREGATE",
    .json_key = "atomic_aggregate",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAtomicAggregate,
    .decode = &DecodeAtomicAggregate,
    .encode = &EncodeAtomicAggregate,
    .text = &TextAtomicAggregate,
    .json = &JsonAtomicAggregate,
};
}  // namespace internal
}  // namespace bgpy
