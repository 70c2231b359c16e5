// Copyright 2026 The bgpy Authors.
//
// mp_reach.cc: MP_REACH_NLRI and MP_UNREACH_NLRI framing (RFC 4760 §3, §4)
// and IP next hops (RFC 2545 §3, RFC 4364 §4.3.2, RFC 4659 §3.2.1).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"

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

std::string FormatNlri(Family family, wire::Bytes nlri,
                       const AttrContext& ctx) {
  bool add_path = ctx.params != nullptr && ctx.params->HasAddPath(family);
  if (!NlriView::Validate(
           family, nlri, add_path,
           static_cast<uint8_t>(UpdateSubcode::kOptionalAttributeError))
           .ok()) {
    return internal::Hex(nlri);
  }
  std::string out;
  for (const NlriEntryView& e : NlriView(family, nlri, add_path)) {
    if (!out.empty()) out.push_back(' ');
    if (e.path_id) absl::StrAppend(&out, "path-id ", *e.path_id, " ");
    out += FormatNlriEntry(family, e.bytes);
  }
  return out;
}

absl::Status ValidateMpReach(wire::Bytes value, const AttrContext&) {
  return DecodeMpReach(value).status();
}

absl::Status ValidateMpUnreach(wire::Bytes value, const AttrContext&) {
  return DecodeMpUnreach(value).status();
}

std::string FormatMpReach(wire::Bytes value, const AttrContext& ctx) {
  auto mp = DecodeMpReach(value);
  if (!mp.ok()) return internal::Hex(value);
  auto nh = DecodeMpNextHop(mp->next_hop);
  std::string out =
      absl::StrCat(FamilyName(mp->family), " next-hop ",
                   nh.ok() ? nh->ToString() : internal::Hex(mp->next_hop));
  if (!mp->nlri.empty()) {
    absl::StrAppend(&out, " nlri ", FormatNlri(mp->family, mp->nlri, ctx));
  }
  return out;
}

std::string FormatMpUnreach(wire::Bytes value, const AttrContext& ctx) {
  auto mp = DecodeMpUnreach(value);
  if (!mp.ok()) return internal::Hex(value);
  std::string out = FamilyName(mp->family);
  if (!mp->withdrawn.empty()) {
    absl::StrAppend(&out, " withdrawn ",
                    FormatNlri(mp->family, mp->withdrawn, ctx));
  }
  return out;
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
    .flags = kAttrOptional,
    .on_malformed = Verdict::kSessionReset,
    .validate = &ValidateMpReach,
    .format = &FormatMpReach,
};
// RFC 4760 §4 optional non-transitive; RFC 7606 §7.11 as above.
extern const AttributeDesc kMpUnreachNlriDesc = {
    .code = static_cast<uint8_t>(AttrCode::kMpUnreachNlri),
    .name = "MP_UNREACH_NLRI",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kSessionReset,
    .validate = &ValidateMpUnreach,
    .format = &FormatMpUnreach,
};
}  // namespace internal
}  // namespace bgpy
