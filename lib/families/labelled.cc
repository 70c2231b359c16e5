// Copyright 2026 The bgpy Authors.
//
// Labelled unicast, SAFI 4 (RFC 8277; RFC 3107 before it): an MPLS label
// stack and an IP prefix per entry (families/mpls_nlri.h). The next hop is
// the IP unicast one: IPv4 4 octets (16 or 32 under RFC 8950 extended next
// hop), IPv6 16 or 32 with a link-local (RFC 2545 §3).
#include "families/mpls_nlri.h"

namespace bgpy::internal {

const FamilyDesc kIpv4LabelledUnicastFamily = MplsFamily<Afi::kIpv4, false>(
    Family(Afi::kIpv4, Safi::kLabeledUnicast), "ipv4-labelled-unicast",
    &CheckV4NextHop, &DecodeNextHop, &EncodeNextHop);
const FamilyDesc kIpv6LabelledUnicastFamily = MplsFamily<Afi::kIpv6, false>(
    Family(Afi::kIpv6, Safi::kLabeledUnicast), "ipv6-labelled-unicast",
    &CheckV6NextHop, &DecodeNextHop, &EncodeNextHop);

}  // namespace bgpy::internal
