// Copyright 2026 The bgpy Authors.
//
// ipv6_ext_communities.cc: IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY
// (RFC 5701).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

constexpr size_t kEntrySize = 20;              // RFC 5701 §2
constexpr uint8_t kTypeTransitive = 0x00;      // RFC 5701 §2
constexpr uint8_t kSubtypeRouteTarget = 0x02;  // RFC 5701 §3

absl::Status ValidateIpv6ExtendedCommunities(wire::Bytes value,
                                             const AttrContext&) {
  return internal::CheckListLength(AttrCode::kIpv6ExtendedCommunities, value,
                                   kEntrySize);
}

// "rt:2001:db8::1:100" per entry.
std::vector<std::string> Strings(wire::Bytes value) {
  std::vector<std::string> out;
  auto list = DecodeIpv6ExtendedCommunities(value);
  if (list.ok()) {
    for (const Ipv6ExtendedCommunity& c : *list) out.push_back(c.ToString());
  }
  return out;
}

bool DecodeHook(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (!out.ipv6_ext_communities.empty()) return false;
  auto l = DecodeIpv6ExtendedCommunities(value);
  if (!l.ok()) return false;
  out.ipv6_ext_communities = *std::move(l);
  return true;
}

bool EncodeHook(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (a.ipv6_ext_communities.empty()) return true;
  return internal::WriteAttribute(
      AttrCode::kIpv6ExtendedCommunities,
      [&](wire::Writer& v) {
        for (const Ipv6ExtendedCommunity& e : a.ipv6_ext_communities) {
          v.WriteBytes(e.bytes);
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

std::string Ipv6ExtendedCommunity::ToString() const {
  std::string addr = IpAddress::V6Bytes(bytes.data() + 2).ToString();
  uint64_t local = internal::LoadBe(bytes.data() + 18, 2);
  if (type() == kTypeTransitive && subtype() == kSubtypeRouteTarget) {
    return absl::StrCat("rt:", addr, ":", local);
  }
  return absl::StrFormat("0x%02x:0x%02x:%s:%d", type(), subtype(), addr, local);
}

absl::StatusOr<std::vector<Ipv6ExtendedCommunity>>
DecodeIpv6ExtendedCommunities(wire::Bytes value) {
  if (value.size() % kEntrySize != 0) {
    return UpdateError(UpdateSubcode::kAttributeLengthError,
                       absl::StrCat("IPV6_EXT_COMMUNITIES length ",
                                    value.size(), " is not a multiple of 20"));
  }
  std::vector<Ipv6ExtendedCommunity> out(value.size() / kEntrySize);
  for (size_t i = 0; i < out.size(); ++i) {
    std::copy_n(value.data() + i * kEntrySize, kEntrySize,
                out[i].bytes.begin());
  }
  return out;
}

namespace internal {
// RFC 5701 §2 optional transitive; malformed like EXTENDED_COMMUNITIES,
// RFC 7606 §7.14: treat-as-withdraw.
extern const AttributeDesc kIpv6ExtendedCommunitiesDesc = {
    .code = static_cast<uint8_t>(AttrCode::kIpv6ExtendedCommunities),
    .name = "IPV6_EXT_COMMUNITIES",
    .json_key = "ipv6_ext_communities",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateIpv6ExtendedCommunities,
    .decode = &DecodeHook,
    .encode = &EncodeHook,
    .text = &TextHook,
    .json = &JsonHook,
};
}  // namespace internal
}  // namespace bgpy
