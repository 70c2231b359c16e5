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

// "65000:1:2" per entry.
std::vector<std::string> Strings(wire::Bytes value) {
  std::vector<std::string> out;
  auto list = DecodeLargeCommunities(value);
  if (list.ok()) {
    for (const LargeCommunity& c : *list) out.push_back(c.ToString());
  }
  return out;
}

bool DecodeHook(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (!out.large_communities.empty()) return false;
  auto l = DecodeLargeCommunities(value);
  if (!l.ok()) return false;
  out.large_communities = *std::move(l);
  return true;
}

bool EncodeHook(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (a.large_communities.empty()) return true;
  return internal::WriteAttribute(
      AttrCode::kLargeCommunities,
      [&](wire::Writer& v) {
        for (const LargeCommunity& l : a.large_communities) {
          v.WriteU32(l.global);
          v.WriteU32(l.local1);
          v.WriteU32(l.local2);
        }
        return v.ok();
      },
      w);
}

void TextHook(wire::Bytes value, const AttrContext&, std::string& out) {
  internal::AppendJoined(Strings(value), out);
}

void JsonHook(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  internal::WriteStringArray(Strings(value), j);
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
    .json_key = "large_communities",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateLargeCommunities,
    .decode = &DecodeHook,
    .encode = &EncodeHook,
    .text = &TextHook,
    .json = &JsonHook,
};
}  // namespace internal
}  // namespace bgpy
