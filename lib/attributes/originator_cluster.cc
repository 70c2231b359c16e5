// Copyright 2026 The bgpy Authors.
//
// originator_cluster.cc: ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8).
#include <cstdint>
#include <string>
#include <vector>

#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

// Dotted quads of a list of 4-octet values.
std::vector<std::string> Ids(wire::Bytes value) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 4 <= value.size(); i += 4) {
    out.push_back(FormatIpv4(
        static_cast<uint32_t>(internal::LoadBe(value.data() + i, 4))));
  }
  return out;
}

void TextIds(wire::Bytes value, const AttrContext&, std::string& out) {
  internal::AppendJoined(Ids(value), out);
}

absl::Status ValidateOriginatorId(wire::Bytes value, const AttrContext&) {
  return internal::CheckFixedLength(AttrCode::kOriginatorId, value, 4);
}

bool DecodeOriginatorId(wire::Bytes value, const AttrContext&,
                        PathAttributes& out) {
  if (out.originator_id) return false;
  out.originator_id = static_cast<uint32_t>(internal::LoadBe(value.data(), 4));
  return true;
}

bool EncodeOriginatorId(const PathAttributes& a, const AttrContext&,
                        wire::Writer& w) {
  if (!a.originator_id) return true;
  return internal::WriteAttribute(
      AttrCode::kOriginatorId,
      [&](wire::Writer& v) { return v.WriteU32(*a.originator_id); }, w);
}

// "192.0.2.1"
void JsonOriginatorId(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  std::vector<std::string> ids = Ids(value);
  j.String(ids.empty() ? "" : ids[0]);
}

absl::Status ValidateClusterList(wire::Bytes value, const AttrContext&) {
  return internal::CheckListLength(AttrCode::kClusterList, value, 4);
}

bool DecodeClusterList(wire::Bytes value, const AttrContext&,
                       PathAttributes& out) {
  if (!out.cluster_list.empty()) return false;
  auto l = DecodeU32List(value);
  if (!l.ok()) return false;
  out.cluster_list = *std::move(l);
  return true;
}

bool EncodeClusterList(const PathAttributes& a, const AttrContext&,
                       wire::Writer& w) {
  if (a.cluster_list.empty()) return true;
  return internal::WriteAttribute(
      AttrCode::kClusterList,
      [&](wire::Writer& v) {
        for (uint32_t id : a.cluster_list) v.WriteU32(id);
        return v.ok();
      },
      w);
}

// ["192.0.2.1","192.0.2.2"]
void JsonClusterList(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  internal::WriteStringArray(Ids(value), j);
}

}  // namespace

namespace internal {
// RFC 4456 §8 optional non-transitive; RFC 7606 §7.9 treat-as-withdraw.
extern const AttributeDesc kOriginatorIdDesc = {
    .code = static_cast<uint8_t>(AttrCode::kOriginatorId),
    .name = "ORIGINATOR_ID",
    .json_key = "originator_id",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateOriginatorId,
    .decode = &DecodeOriginatorId,
    .encode = &EncodeOriginatorId,
    .text = &TextIds,
    .json = &JsonOriginatorId,
};
// RFC 4456 §8 optional non-transitive; RFC 7606 §7.10 treat-as-withdraw.
extern const AttributeDesc kClusterListDesc = {
    .code = static_cast<uint8_t>(AttrCode::kClusterList),
    .name = "CLUSTER_LIST",
    .json_key = "cluster_list",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateClusterList,
    .decode = &DecodeClusterList,
    .encode = &EncodeClusterList,
    .text = &TextIds,
    .json = &JsonClusterList,
};
}  // namespace internal
}  // namespace bgpy
