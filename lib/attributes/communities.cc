// Copyright 2026 The bgpy Authors.
//
// communities.cc: COMMUNITIES (RFC 1997; RFC 7606 §7.8) and their text form.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

struct WellKnown {
  uint32_t value;
  const char* name;
};
constexpr WellKnown kWellKnown[] = {
    {kCommunityNoExport, "no-export"},                     // RFC 1997
    {kCommunityNoAdvertise, "no-advertise"},               // RFC 1997
    {kCommunityNoExportSubconfed, "no-export-subconfed"},  // RFC 1997
    {kCommunityNoPeer, "no-peer"},                         // RFC 3765
    {kCommunityBlackhole, "blackhole"},                    // RFC 7999
    {kCommunityGracefulShutdown, "graceful-shutdown"},     // RFC 8326
    {kCommunityLlgrStale, "llgr-stale"},                   // RFC 9494
    {kCommunityNoLlgr, "no-llgr"},                         // RFC 9494
};

absl::Status ValidateCommunities(wire::Bytes value, const AttrContext&) {
  return internal::CheckListLength(AttrCode::kCommunities, value, 4);
}

bool DecodeCommunities(wire::Bytes value, const AttrContext&,
                       PathAttributes& out) {
  if (!out.communities.empty()) return false;
  auto l = DecodeU32List(value);
  if (!l.ok()) return false;
  out.communities = *std::move(l);
  return true;
}

bool EncodeCommunities(const PathAttributes& a, const AttrContext&,
                       wire::Writer& w) {
  if (a.communities.empty()) return true;
  return internal::WriteAttribute(
      AttrCode::kCommunities,
      [&](wire::Writer& v) {
        for (uint32_t c : a.communities) v.WriteU32(c);
        return v.ok();
      },
      w);
}

uint32_t CommunityAt(wire::Bytes value, size_t i) {
  return static_cast<uint32_t>(internal::LoadBe(value.data() + i, 4));
}

// Well-known communities by name ("65000:1 no-export").
void TextCommunities(wire::Bytes value, const AttrContext&, std::string& out) {
  for (size_t i = 0; i + 4 <= value.size(); i += 4) {
    if (i > 0) out.push_back(' ');
    out += FormatCommunity(CommunityAt(value, i), /*names=*/true);
  }
}

// Numbers only (["65000:1","65535:65281"]), so consumers match one form.
void JsonCommunities(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  j.BeginArray();
  for (size_t i = 0; i + 4 <= value.size(); i += 4) {
    j.String(FormatCommunity(CommunityAt(value, i)));
  }
  j.EndArray();
}

}  // namespace

std::string FormatCommunity(uint32_t c, bool names) {
  if (names) {
    for (const WellKnown& wk : kWellKnown) {
      if (wk.value == c) return wk.name;
    }
  }
  return absl::StrCat(c >> 16, ":", c & 0xffff);
}

absl::StatusOr<uint32_t> ParseCommunity(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  for (const WellKnown& wk : kWellKnown) {
    if (lower == wk.name) return wk.value;
  }
  size_t colon = text.find(':');
  uint64_t hi, lo;
  if (colon == absl::string_view::npos) {
    if (internal::ParseUint(text, 0xffffffff, lo)) {
      return static_cast<uint32_t>(lo);
    }
  } else if (internal::ParseUint(text.substr(0, colon), 0xffff, hi) &&
             internal::ParseUint(text.substr(colon + 1), 0xffff, lo)) {
    return static_cast<uint32_t>(hi << 16 | lo);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("bad community \"", text,
                   "\" (want ASN:N with both 0-65535, a number, "
                   "or a well-known name such as no-export)"));
}

absl::StatusOr<std::vector<uint32_t>> DecodeU32List(wire::Bytes value) {
  if (value.size() % 4 != 0) {
    return UpdateError(
        UpdateSubcode::kAttributeLengthError,
        absl::StrCat("list length ", value.size(), " is not a multiple of 4"));
  }
  std::vector<uint32_t> out(value.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint32_t>(internal::LoadBe(value.data() + 4 * i, 4));
  }
  return out;
}

namespace internal {
// RFC 1997 optional transitive; RFC 7606 §7.8 treat-as-withdraw.
extern const AttributeDesc kCommunitiesDesc = {
    .code = static_cast<uint8_t>(AttrCode::kCommunities),
    .name = "COMMUNITIES",
    .json_key = "communities",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateCommunities,
    .decode = &DecodeCommunities,
    .encode = &EncodeCommunities,
    .text = &TextCommunities,
    .json = &JsonCommunities,
};
}  // namespace internal
}  // namespace bgpy
