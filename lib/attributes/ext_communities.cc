// Copyright 2026 The bgpy Authors.
//
// ext_communities.cc: EXTENDED_COMMUNITIES (RFC 4360; RFC 5668 for the
// 4-octet AS specific type; RFC 7606 §7.14).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "attributes/ext_community_kinds.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

// RFC 4360 §3.1, §3.2; RFC 5668 §2: transitive AS/IPv4 specific types.
constexpr uint8_t kTypeTwoOctetAs = 0x00;
constexpr uint8_t kTypeIpv4 = 0x01;
constexpr uint8_t kTypeFourOctetAs = 0x02;
// RFC 4360 §4: Route Target and Route Origin sub-types.
constexpr uint8_t kSubtypeRouteTarget = 0x02;
constexpr uint8_t kSubtypeRouteOrigin = 0x03;
constexpr size_t kEntrySize = 8;  // RFC 4360 §2

bool IsAddressSpecific(uint8_t type) {
  return type == kTypeTwoOctetAs || type == kTypeIpv4 ||
         type == kTypeFourOctetAs;
}

ExtendedCommunity Make(uint8_t subtype, uint32_t global, uint32_t local,
                       bool ipv4_global) {
  ExtendedCommunity c;
  c.bytes[1] = subtype;
  if (ipv4_global) {
    c.bytes[0] = kTypeIpv4;
    internal::StoreBe(&c.bytes[2], 4, global);
    internal::StoreBe(&c.bytes[6], 2, local & 0xffff);
  } else if (global > 0xffff) {
    c.bytes[0] = kTypeFourOctetAs;
    internal::StoreBe(&c.bytes[2], 4, global);
    internal::StoreBe(&c.bytes[6], 2, local & 0xffff);
  } else {
    c.bytes[0] = kTypeTwoOctetAs;
    internal::StoreBe(&c.bytes[2], 2, global);
    internal::StoreBe(&c.bytes[4], 4, local);
  }
  return c;
}

bool ParseHexByte(absl::string_view text, uint8_t& out) {
  if (text.size() != 4 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    return false;
  int v = 0;
  for (char ch : text.substr(2)) {
    int d;
    if (ch >= '0' && ch <= '9') {
      d = ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      d = ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'F') {
      d = ch - 'A' + 10;
    } else {
      return false;
    }
    v = v * 16 + d;
  }
  out = static_cast<uint8_t>(v);
  return true;
}

absl::Status ValidateExtendedCommunities(wire::Bytes value,
                                         const AttrContext&) {
  return internal::CheckListLength(AttrCode::kExtendedCommunities, value,
                                   kEntrySize);
}

// "rt:65000:1" per entry.
std::vector<std::string> Strings(wire::Bytes value) {
  std::vector<std::string> out;
  auto list = DecodeExtendedCommunities(value);
  if (list.ok()) {
    for (const ExtendedCommunity& c : *list) out.push_back(c.ToString());
  }
  return out;
}

bool DecodeHook(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (!out.ext_communities.empty()) return false;
  auto l = DecodeExtendedCommunities(value);
  if (!l.ok()) return false;
  out.ext_communities = *std::move(l);
  return true;
}

bool EncodeHook(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (a.ext_communities.empty()) return true;
  return internal::WriteAttribute(
      AttrCode::kExtendedCommunities,
      [&](wire::Writer& v) {
        for (const ExtendedCommunity& e : a.ext_communities) {
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

bool ExtendedCommunity::IsRouteTarget() const {
  return IsAddressSpecific(type()) && subtype() == kSubtypeRouteTarget;
}

bool ExtendedCommunity::IsRouteOrigin() const {
  return IsAddressSpecific(type()) && subtype() == kSubtypeRouteOrigin;
}

ExtendedCommunity ExtendedCommunity::RouteTarget(uint32_t global,
                                                 uint32_t local,
                                                 bool ipv4_global) {
  return Make(kSubtypeRouteTarget, global, local, ipv4_global);
}

ExtendedCommunity ExtendedCommunity::RouteOrigin(uint32_t global,
                                                 uint32_t local,
                                                 bool ipv4_global) {
  return Make(kSubtypeRouteOrigin, global, local, ipv4_global);
}

std::string ExtendedCommunity::ToString() const {
  std::string out;
  for (const internal::ExtCommunityKind* k : internal::ExtCommunityKinds()) {
    if (k->match(*this)) {
      k->text(*this, out);
      return out;
    }
  }
  return absl::StrFormat("0x%02x:0x%02x:%s", type(), subtype(),
                         HexString(wire::Bytes(bytes.data() + 2, 6)));
}

absl::StatusOr<ExtendedCommunity> ExtendedCommunity::Parse(
    absl::string_view text) {
  const absl::string_view tag = text.substr(0, text.find(':'));
  for (const internal::ExtCommunityKind* k : internal::ExtCommunityKinds()) {
    if (absl::EqualsIgnoreCase(tag, k->tag) ||
        (k->alias != nullptr && absl::EqualsIgnoreCase(tag, k->alias))) {
      return k->parse(text);
    }
  }
  auto bad = [&] {
    std::string forms;
    for (const internal::ExtCommunityKind* k : internal::ExtCommunityKinds()) {
      absl::StrAppend(&forms, k->form, ", ");
    }
    return absl::InvalidArgumentError(absl::StrCat("bad extended community \"",
                                                   text, "\" (want ", forms,
                                                   "or 0xTT:0xSS:HEX12)"));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  if (parts.size() != 3) return bad();
  ExtendedCommunity c;
  if (!ParseHexByte(parts[0], c.bytes[0]) ||
      !ParseHexByte(parts[1], c.bytes[1]) || parts[2].size() != 12) {
    return bad();
  }
  for (int i = 0; i < 6; ++i) {
    std::string byte = absl::StrCat("0x", parts[2].substr(2 * i, 2));
    if (!ParseHexByte(byte, c.bytes[2 + i])) return bad();
  }
  return c;
}

absl::StatusOr<std::vector<ExtendedCommunity>> DecodeExtendedCommunities(
    wire::Bytes value) {
  if (value.size() % kEntrySize != 0) {
    return UpdateError(UpdateSubcode::kAttributeLengthError,
                       absl::StrCat("EXTENDED_COMMUNITIES length ",
                                    value.size(), " is not a multiple of 8"));
  }
  std::vector<ExtendedCommunity> out(value.size() / kEntrySize);
  for (size_t i = 0; i < out.size(); ++i) {
    std::copy_n(value.data() + i * kEntrySize, kEntrySize,
                out[i].bytes.begin());
  }
  return out;
}

namespace internal {
namespace {

// Route target and route origin (RFC 4360 §4, RFC 5668): "rt:65000:1",
// "rt:192.0.2.1:1", "rt:4200000000:1" ("rt:65000L:1" keeps a small ASN in
// the 4-octet AS type).
void AddressSpecificText(const ExtendedCommunity& c, std::string& out) {
  out += c.IsRouteTarget() ? "rt:" : "ro:";
  const uint8_t* b = c.bytes.data();
  switch (c.type()) {
    case kTypeTwoOctetAs:
      absl::StrAppend(&out, LoadBe(b + 2, 2), ":", LoadBe(b + 4, 4));
      return;
    case kTypeIpv4:
      absl::StrAppend(&out, FormatIpv4(static_cast<uint32_t>(LoadBe(b + 2, 4))),
                      ":", LoadBe(b + 6, 2));
      return;
    default: {  // kTypeFourOctetAs
      const uint64_t asn = LoadBe(b + 2, 4);
      absl::StrAppend(&out, asn, asn <= 0xffff ? "L" : "", ":",
                      LoadBe(b + 6, 2));
      return;
    }
  }
}

absl::StatusOr<ExtendedCommunity> AddressSpecificParse(uint8_t subtype,
                                                       absl::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("bad extended community \"", text,
                     "\" (want TAG:ASN:N or TAG:A.B.C.D:N)"));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  if (parts.size() != 3) return bad();
  absl::string_view global = parts[1];
  uint64_t local;
  if (global.find('.') != absl::string_view::npos) {
    auto addr = ParseIpv4(global);
    if (!addr.ok() || !ParseUint(parts[2], 0xffff, local)) return bad();
    return Make(subtype, *addr, static_cast<uint32_t>(local), true);
  }
  const bool force_four =
      !global.empty() && (global.back() == 'L' || global.back() == 'l');
  if (force_four) global.remove_suffix(1);
  uint64_t asn;
  if (!ParseUint(global, 0xffffffff, asn)) return bad();
  if (force_four || asn > 0xffff) {
    if (!ParseUint(parts[2], 0xffff, local)) return bad();
    ExtendedCommunity c;
    c.bytes[0] = kTypeFourOctetAs;
    c.bytes[1] = subtype;
    StoreBe(&c.bytes[2], 4, asn);
    StoreBe(&c.bytes[6], 2, local);
    return c;
  }
  if (!ParseUint(parts[2], 0xffffffff, local)) return bad();
  return Make(subtype, static_cast<uint32_t>(asn), static_cast<uint32_t>(local),
              false);
}

}  // namespace

const ExtCommunityKind kRouteTargetKind = {
    .tag = "rt",
    .alias = "target",
    .form = "rt:ASN:N, rt:A.B.C.D:N",
    .match = [](const ExtendedCommunity& c) { return c.IsRouteTarget(); },
    .text = &AddressSpecificText,
    .parse =
        [](absl::string_view text) {
          return AddressSpecificParse(kSubtypeRouteTarget, text);
        },
};

const ExtCommunityKind kRouteOriginKind = {
    .tag = "ro",
    .alias = "origin",
    .form = "ro:ASN:N, ro:A.B.C.D:N",
    .match = [](const ExtendedCommunity& c) { return c.IsRouteOrigin(); },
    .text = &AddressSpecificText,
    .parse =
        [](absl::string_view text) {
          return AddressSpecificParse(kSubtypeRouteOrigin, text);
        },
};

absl::Span<const ExtCommunityKind* const> ExtCommunityKinds() {
  static constexpr const ExtCommunityKind* kRows[] = {
#define BGPY_EXT_COMMUNITY(row) &row,
#include "attributes/ext_community_kinds.inc"
#undef BGPY_EXT_COMMUNITY
  };
  return kRows;
}

// RFC 4360 §2 optional transitive; RFC 7606 §7.14 treat-as-withdraw.
extern const AttributeDesc kExtendedCommunitiesDesc = {
    .code = static_cast<uint8_t>(AttrCode::kExtendedCommunities),
    .name = "EXTENDED_COMMUNITIES",
    .json_key = "ext_communities",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateExtendedCommunities,
    .decode = &DecodeHook,
    .encode = &EncodeHook,
    .text = &TextHook,
    .json = &JsonHook,
};
}  // namespace internal
}  // namespace bgpy
