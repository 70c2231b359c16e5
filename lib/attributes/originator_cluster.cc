// Copyright 2026 The bgpy Authors.
//
// originator_cluster.cc: ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8).
#include <cstdint>
#include <string>

#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

absl::Status ValidateOriginatorId(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kOriginatorId, value, 4);
}

absl::Status ValidateClusterList(wire::Bytes value, const AttrContext&) {
  return internal::CheckListLength(AttrCode::kClusterList, value, 4);
}

// Dotted quads, space separated.
std::string FormatIds(wire::Bytes value, const AttrContext&) {
  std::string out;
  for (size_t i = 0; i + 4 <= value.size(); i += 4) {
    if (!out.empty()) out.push_back(' ');
    out += FormatIpv4(
        static_cast<uint32_t>(internal::LoadBe(value.data() + i, 4)));
  }
  return out;
}

}  // namespace

namespace internal {
// RFC 4456 §8 optional non-transitive; RFC 7606 §7.9 treat-as-withdraw.
extern const AttributeDesc kOriginatorIdDesc = {
    .code = static_cast<uint8_t>(AttrCode::kOriginatorId),
    .name = "ORIGINATOR_ID",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateOriginatorId,
    .format = &FormatIds,
};
// RFC 4456 §8 optional non-transitive; RFC 7606 §7.10 treat-as-withdraw.
extern const AttributeDesc kClusterListDesc = {
    .code = static_cast<uint8_t>(AttrCode::kClusterList),
    .name = "CLUSTER_LIST",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateClusterList,
    .format = &FormatIds,
};
}  // namespace internal
}  // namespace bgpy
