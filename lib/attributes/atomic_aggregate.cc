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

std::string FormatAtomicAggregate(wire::Bytes, const AttrContext&) {
  return "true";  // the attribute has no value; its presence is the fact
}

}  // namespace

namespace internal {
// RFC 4271 §5.1.6 well-known discretionary; RFC 7606 §7.6 attribute discard.
extern const AttributeDesc kAtomicAggregateDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAtomicAggregate),
    .name = "ATOMIC_AGGREGATE",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAtomicAggregate,
    .format = &FormatAtomicAggregate,
};
}  // namespace internal
}  // namespace bgpy
