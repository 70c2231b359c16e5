// Copyright 2026 The bgpy Authors.
//
// family_samples.h: one RouteTemplate and MP_REACH next hop that suit every
// registered family, for the NLRI fuzz seeds (nlri_seeds.cc) and the family
// benchmarks (bench/family_benchmark.cc). Each family's generate hook reads
// the fields it has: prefix 10.0.0.0/24 (IPv4 AFI) or 2001:db8::/48 (other
// AFIs), RD 65000:1, label 100, MAC aa:bb:cc:00:00:01, ESI 0, EVPN route
// type 2, the FlowSpec rule "destination {prefix} protocol =6
// destination-port =80", origin AS 65000 and route target rt:65000:1.
#ifndef BGPY_TESTS_FUZZ_FAMILY_SAMPLES_H_
#define BGPY_TESTS_FUZZ_FAMILY_SAMPLES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"
#include "bgpy/route_distinguisher.h"
#include "bgpy/types.h"

namespace bgpy::fuzz {

inline RouteTemplate SampleTemplate(const FamilyDesc& d) {
  RouteTemplate t;
  t.prefix = d.family.afi == Afi::kIpv4 ? *Prefix::Parse("10.0.0.0/24")
                                        : *Prefix::Parse("2001:db8::/48");
  absl::StatusOr<RouteDistinguisher> rd = RouteDistinguisher::Parse("65000:1");
  if (rd.ok()) t.rd = *rd;
  t.rd_step = 0;
  t.label = 100;
  t.label_step = 1;
  t.evpn_route_type = 2;
  absl::StatusOr<MacAddress> mac = MacAddress::Parse("aa:bb:cc:00:00:01");
  if (mac.ok()) t.mac = *mac;
  t.esi = Esi{};
  t.ethernet_tag = 0;
  t.flowspec = "destination {prefix} protocol =6 destination-port =80";
  t.origin_as = 65000;
  absl::StatusOr<ExtendedCommunity> rt = ExtendedCommunity::Parse("rt:65000:1");
  if (rt.ok()) {
    uint64_t v = 0;
    for (uint8_t b : rt->bytes) v = v << 8 | b;
    t.route_target = v;
  }
  return t;
}

// The MP_REACH next hop bytes of the first form the family's
// check_next_hop accepts, among: IPv4, IPv6, IPv6 + link-local, RD + IPv4,
// RD + IPv6 (RD 0), and no next hop at all. Empty if none is accepted.
inline std::vector<uint8_t> SampleNextHop(const FamilyDesc& d) {
  const IpAddress v4 = *IpAddress::Parse("192.0.2.1");
  const IpAddress v6 = *IpAddress::Parse("2001:db8::1");
  const IpAddress ll = *IpAddress::Parse("fe80::1");
  std::vector<MpNextHop> forms(5);
  forms[0].address = v4;
  forms[1].address = v6;
  forms[2].address = v6;
  forms[2].link_local = ll;
  forms[3].address = v4;
  forms[3].rd = 0;
  forms[4].address = v6;
  forms[4].rd = 0;
  // The family's own AFI first.
  if (d.family.afi == Afi::kIpv6) std::swap(forms[0], forms[1]);
  for (const MpNextHop& nh : forms) {
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      if (!d.encode_next_hop(nh, w)) continue;
    }
    if (d.check_next_hop(wire::Bytes(out.data(), out.size())).ok()) return out;
  }
  return {};
}

// Routes 0..n-1 of the sample template; stops at the first failure and
// returns it when no route could be generated.
inline absl::StatusOr<std::vector<NlriValue>> SampleValues(const FamilyDesc& d,
                                                           uint64_t n) {
  const RouteTemplate t = SampleTemplate(d);
  std::vector<NlriValue> out;
  for (uint64_t i = 0; i < n; ++i) {
    absl::StatusOr<NlriValue> v = d.generate(t, i);
    if (!v.ok()) {
      if (out.empty()) return v.status();
      break;
    }
    out.push_back(*std::move(v));
  }
  return out;
}

// The NLRI field of `values` (path ids 1, 2, ... when `add_path`).
inline std::vector<uint8_t> EncodeField(const FamilyDesc& d,
                                        const std::vector<NlriValue>& values,
                                        bool add_path) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    uint32_t id = 0;
    for (const NlriValue& v : values) {
      if (add_path) w.WriteU32(++id);
      d.encode(v, w);
    }
  }
  return out;
}

}  // namespace bgpy::fuzz

#endif  // BGPY_TESTS_FUZZ_FAMILY_SAMPLES_H_
