// Copyright 2026 The bgpy Authors.
//
// large_communities.cc: LARGE_COMMUNITIES (RFC 8092).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

constexpr size_t kEntrySize = 12;  // RFC 8092 §3

absl::Status ValidateLargeCommunities(wire::Bytes value, const AttrContext&) {
  return internal::CheckListLength(AttrCode::kLargeCommunities, value,
                                   kEntrySize);
}

std::string FormatLargeCommunities(wire::Bytes value, const AttrContext&) {
  auto list = DecodeLargeCommunities(value);
  if (!list.ok()) return internal::Hex(value);
  std::string out;
  for (const LargeCommunity& c : *list) {
    if (!out.empty()) out.push_back(' ');
    out += c.ToString();
  }
  return out;
}

}  // namespace

std::string LargeCommunity::ToString() const {
  return absl::StrCat(global, ":", local1, ":", local2);  // RFC 8092 §5
}

absl::StatusOr<LargeCommunity> LargeCommunity::Parse(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  uint64_t v[3];
  if (parts.size() != 3 || !internal::ParseUint(parts[0], 0xffffffff, v[0]) ||
      !internal::ParseUint(parts[1], 0xffffffff, v[1]) ||
      !internal::ParseUint(parts[2], 0xffffffff, v[2])) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad large community \"", text, "\" (want GLOBAL:LOCAL1:LOCAL2)"));
  }
  return LargeCommunity{static_cast<uint32_t>(v[0]),
                        static_cast<uint32_t>(v[1]),
                        static_cast<uint32_t>(v[2])};
}

absl::StatusOr<std::vector<LargeCommunity>> DecodeLargeCommunities(
    wire::Bytes value) {
  if (value.size() % kEntrySize != 0) {
    return UpdateError(UpdateSubcode::kAttributeLengthError,
                       absl::StrCat("LARGE_COMMUNITIES length ", value.size(),
                                    " is not a multiple of 12"));
  }
  std::vector<LargeCommunity> out(value.size() / kEntrySize);
  wire::Reader r(value);
  for (LargeCommunity& c : out) {
    r.ReadU32(c.global);
    r.ReadU32(c.local1);
    r.ReadU32(c.local2);
  }
  return out;
}

namespace internal {
// RFC 8092 §3 optional transitive; §6 treat-as-withdraw.
extern const AttributeDesc kLargeCommunitiesDesc = {
    .code = static_cast<uint8_t>(AttrCode::kLargeCommunities),
    .name = "LARGE_COMMUNITIES",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateLargeCommunities,
    .format = &FormatLargeCommunities,
};
}  // namespace internal
}  // namespace bgpy
