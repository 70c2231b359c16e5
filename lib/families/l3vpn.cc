// Copyright 2026 The bgpy Authors.
//
// L3VPN, SAFI 128 (RFC 4364 §4.3.4 for IPv4, RFC 4659 §3.2 for IPv6): an
// MPLS label stack, a route distinguisher and an IP prefix per entry
// (families/mpls_nlri.h).
//
// Next hop: a route distinguisher of zeros before each address (RFC 4364
// §4.3.2, RFC 4659 §3.2.1): RD + IPv4 (12 octets) for IPv4 VPN, RD + IPv6
// (24) or RD + IPv6 + RD + link-local (48) for IPv6 VPN, and for IPv4 VPN
// under RFC 8950 extended next hop (§3, the VPN-IPv6 forms).
#include "absl/strings/str_format.h"
#include "families/mpls_nlri.h"

namespace bgpy::internal {
namespace {

absl::Status CheckRdsZero(wire::Bytes nh) {
  // The RD before the address, and before the link-local in the 48 form.
  for (size_t at : {size_t{0}, size_t{24}}) {
    if (at + 8 > nh.size() || (at == 24 && nh.size() != 48)) continue;
    for (size_t i = 0; i < 8; ++i) {
      if (nh[at + i] != 0) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "next hop route distinguisher at octet %d is not zero (RFC 4364 "
            "§4.3.2, RFC 4659 §3.2.1)",
            at));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckVpnV4NextHop(wire::Bytes nh) {
  if (nh.size() != 12 && nh.size() != 24 && nh.size() != 48) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "next hop length %d (expected 12, or 24 or 48 under RFC 8950)",
        nh.size()));
  }
  return CheckRdsZero(nh);
}

absl::Status CheckVpnV6NextHop(wire::Bytes nh) {
  if (nh.size() != 24 && nh.size() != 48) {
    return absl::InvalidArgumentError(
        absl::StrFormat("next hop length %d (expected 24 or 48)", nh.size()));
  }
  return CheckRdsZero(nh);
}

// An RD before each address; zeros when the caller left it unset.
bool EncodeVpnNextHop(const MpNextHop& nh, wire::Writer& w) {
  MpNextHop with_rd = nh;
  if (!with_rd.rd) with_rd.rd = 0;
  return EncodeMpNextHop(with_rd, w);
}

}  // namespace

const FamilyDesc kL3vpnIpv4UnicastFamily = MplsFamily<Afi::kIpv4, true>(
    Family(Afi::kIpv4, Safi::kMplsVpn), "l3vpn-ipv4-unicast",
    &CheckVpnV4NextHop, &DecodeNextHop, &EncodeVpnNextHop);
const FamilyDesc kL3vpnIpv6UnicastFamily = MplsFamily<Afi::kIpv6, true>(
    Family(Afi::kIpv6, Safi::kMplsVpn), "l3vpn-ipv6-unicast",
    &CheckVpnV6NextHop, &DecodeNextHop, &EncodeVpnNextHop);

}  // namespace bgpy::internal
