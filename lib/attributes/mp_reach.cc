// Copyright 2026 The bgpy Authors.
//
// mp_reach.cc: MP_REACH_NLRI and MP_UNREACH_NLRI framing (RFC 4760 §3, §4)
// and IP next hops (RFC 2545 §3, RFC 4364 §4.3.2, RFC 4659 §3.2.1).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

constexpr size_t kRdSize = 8;  // RFC 4364 §4.2

absl::Status MpError(AttrCode code, wire::Bytes value,
                     absl::string_view message) {
  // RFC 4760 §7 / RFC 4271 §6.3: Optional Attribute Error.
  return internal::AttrError(UpdateSubcode::kOptionalAttributeError, code,
                             value, message);
}

// "65000:1", "192.0.2.1:1", "4200000000:1" (RFC 4364 §4.2 types 0, 1, 2).
std::string FormatRd(uint64_t rd) {
  uint16_t type = static_cast<uint16_t>(rd >> 48);
  uint64_t v = rd & 0xffffffffffff;
  switch (type) {
    case 0:
      return absl::StrCat(v >> 32, ":", v & 0xffffffff);
    case 1:
      return absl::StrCat(FormatIpv4(static_cast<uint32_t>(v >> 16)), ":",
                          v & 0xffff);
    case 2:
      return absl::StrCat(v >> 16, ":", v & 0xffff);
    default:
      return absl::StrCat("0x", absl::Hex(rd, absl::kZeroPad16));
  }
}

absl::Status ValidateMpReach(wire::Bytes value, const AttrContext&) {
  return DecodeMpReach(value).status();
}

absl::Status ValidateMpUnreach(wire::Bytes value, const AttrContext&) {
  return DecodeMpUnreach(value).status();
}

// "ipv6-unicast (afi 2, safi 1)"
std::string FamilyText(Family f) {
  return absl::StrFormat("%s (afi %d, safi %d)", FamilyName(f),
                         static_cast<int>(f.afi), static_cast<int>(f.safi));
}

void FamilyFields(Family f, JsonWriter& j) {
  j.Field("family", FamilyName(f))
      .Field("afi", static_cast<int>(f.afi))
      .Field("safi", static_cast<int>(f.safi));
}

// The next hop(s) as text; "" when there is none, hex when the length fits
// no known form.
std::string NextHopText(wire::Bytes nh) {
  if (nh.empty()) return "";
  absl::StatusOr<MpNextHop> decoded = DecodeMpNextHop(nh);
  if (!decoded.ok()) return HexString(nh);
  return decoded->ToString();
}

// MP_REACH_NLRI and MP_UNREACH_NLRI carry routes, not path attributes: they
// have no field in PathAttributes (DecodePathAttributes skips them and
// UpdateBuilder writes them from the routes), so decode declines and encode
// writes nothing. Text and JSON show the family and next hop; the routes
// are rendered per family.
bool DecodeNothing(wire::Bytes, const AttrContext&, PathAttributes&) {
  return false;
}

bool EncodeNothing(const PathAttributes&, const AttrContext&, wire::Writer&) {
  return true;
}

// "ipv6-unicast (afi 2, safi 1), next hop 2001:db8::1"
void TextMpReach(wire::Bytes value, const AttrContext&, std::string& out) {
  auto mp = DecodeMpReach(value);
  if (!mp.ok()) {
    AppendHex(&out, value);
    return;
  }
  std::string nh = NextHopText(mp->next_hop);
  absl::StrAppend(&out, FamilyText(mp->family), ", next hop ",
                  nh.empty() ? "(none)" : nh);
}

// {"family":"ipv6-unicast","afi":2,"safi":1,"next_hop":"2001:db8::1"}
void JsonMpReach(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  auto mp = DecodeMpReach(value);
  j.BeginObject();
  if (mp.ok()) {
    FamilyFields(mp->family, j);
    j.Field("next_hop", NextHopText(mp->next_hop));
  } else {
    j.Field("hex", HexString(value));
  }
  j.EndObject();
}

// "ipv6-unicast (afi 2, safi 1)"
void TextMpUnreach(wire::Bytes value, const AttrContext&, std::string& out) {
  auto mp = DecodeMpUnreach(value);
  if (!mp.ok()) {
    AppendHex(&out, value);
    return;
  }
  out += FamilyText(mp->family);
}

// {"family":"ipv6-unicast","afi":2,"safi":1}
void JsonMpUnreach(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  auto mp = DecodeMpUnreach(value);
  j.BeginObject();
  if (mp.ok()) {
    FamilyFields(mp->family, j);
  } else {
    j.Field("hex", HexString(value));
  }
  j.EndObject();
}

}  // namespace

absl::StatusOr<MpReachView> DecodeMpReach(wire::Bytes value) {
  wire::Reader r(value);
  uint16_t afi;
  uint8_t safi, nh_len;
  MpReachView mp;
  if (!r.ReadU16(afi) || !r.ReadU8(safi) || !r.ReadU8(nh_len)) {
    return MpError(
        AttrCode::kMpReachNlri, value,
        absl::StrCat("MP_REACH_NLRI length ", value.size(),
                     " too short for AFI, SAFI and next-hop length"));
  }
  if (!r.ReadBytes(nh_len, mp.next_hop)) {
    return MpError(AttrCode::kMpReachNlri, value,
                   absl::StrCat("MP_REACH_NLRI next hop length ", nh_len,
                                " overruns the attribute"));
  }
  if (!r.ReadU8(mp.reserved)) {  // RFC 4760 §3: Reserved octet
    return MpError(AttrCode::kMpReachNlri, value,
                   "MP_REACH_NLRI reserved octet missing");
  }
  mp.family = Family(afi, safi);
  mp.nlri = r.rest();
  return mp;
}

absl::StatusOr<MpUnreachView> DecodeMpUnreach(wire::Bytes value) {
  wire::Reader r(value);
  uint16_t afi;
  uint8_t safi;
  if (!r.ReadU16(afi) || !r.ReadU8(safi)) {
    return MpError(AttrCode::kMpUnreachNlri, value,
                   absl::StrCat("MP_UNREACH_NLRI length ", value.size(),
                                " too short for AFI and SAFI"));
  }
  MpUnreachView mp;
  mp.family = Family(afi, safi);
  mp.withdrawn = r.rest();
  return mp;
}

absl::StatusOr<MpNextHop> DecodeMpNextHop(wire::Bytes nh) {
  wire::Reader r(nh);
  MpNextHop out;
  uint64_t rd;
  auto read_rd = [&](bool keep) {
    r.ReadU64(rd);
    if (keep) out.rd = rd;
  };
  auto read_v6 = [&]() {
    uint8_t b[16];
    r.CopyBytes(16, b);
    return IpAddress::V6Bytes(b);
  };
  switch (nh.size()) {
    case 4:  // RFC 4760 §3: IPv4
      out.address = IpAddress::V4Bytes(nh.data());
      return out;
    case 16:  // RFC 2545 §3: global
      out.address = read_v6();
      return out;
    case 32:  // RFC 2545 §3: global + link-local
      out.address = read_v6();
      out.link_local = read_v6();
      return out;
    case 12:  // RFC 4364 §4.3.2: RD + IPv4
      read_rd(true);
      out.address = IpAddress::V4Bytes(nh.data() + kRdSize);
      return out;
    case 24:  // RFC 4659 §3.2.1: RD + IPv6
      read_rd(true);
      out.address = read_v6();
      return out;
    case 48:  // RFC 4659 §3.2.1: RD + global, RD + link-local
      read_rd(true);
      out.address = read_v6();
      read_rd(false);
      out.link_local = read_v6();
      return out;
    default:
      break;
  }
  return UpdateError(UpdateSubcode::kOptionalAttributeError,
                     absl::StrCat("MP_REACH_NLRI next hop length ", nh.size(),
                                  " is not 4, 12, 16, 24, 32 or 48"));
}

std::string MpNextHop::ToString() const {
  std::string out;
  if (rd) absl::StrAppend(&out, FormatRd(*rd), " ");
  out += address.ToString();
  if (link_local) absl::StrAppend(&out, " ", link_local->ToString());
  return out;
}

namespace internal {
// RFC 4760 §3 optional non-transitive; RFC 7606 §7.11: a malformed
// MP_REACH_NLRI resets the session (or disables the AFI/SAFI).
extern const AttributeDesc kMpReachNlriDesc = {
    .code = static_cast<uint8_t>(AttrCode::kMpReachNlri),
    .name = "MP_REACH_NLRI",
    .json_key = "mp_reach_nlri",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kSessionReset,
    .validate = &ValidateMpReach,
    .decode = &DecodeNothing,
    .encode = &EncodeNothing,
    .text = &TextMpReach,
    .json = &JsonMpReach,
};
// RFC 4760 §4 optional non-transitive; RFC 7606 §7.11 as above.
extern const AttributeDesc kMpUnreachNlriDesc = {
    .code = static_cast<uint8_t>(AttrCode::kMpUnreachNlri),
    .name = "MP_UNREACH_NLRI",
    .json_key = "mp_unreach_nlri",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kSessionReset,
    .validate = &ValidateMpUnreach,
    .decode = &DecodeNothing,
    .encode = &EncodeNothing,
    .text = &TextMpUnreach,
    .json = &JsonMpUnreach,
};
}  // namespace internal
}  // namespace bgpy
