// Copyright 2026 The bgpy Authors.
#include "testlib/flowspec_random.h"

#include <cstdint>

namespace bgpy::testing {

FlowspecRule RandomFlowspecRule(Afi afi, bool vpn, std::mt19937_64& rng) {
  FlowspecRule rule;
  rule.afi = afi;
  if (vpn) {
    const uint64_t type = rng() % 3;
    rule.rd =
        RouteDistinguisher::FromRaw(type << 48 | (rng() & 0xffffffffffffull));
  }
  if (rng() % 16 == 0) return rule;
  const int max_type = afi == Afi::kIpv6 ? 13 : 12;
  const int bits = afi == Afi::kIpv6 ? 128 : 32;
  for (int type = 1; type <= max_type; ++type) {
    if (rng() % 2 == 0) continue;
    FlowspecComponent c;
    c.type = static_cast<FlowspecType>(type);
    if (type <= 2) {
      const int len = static_cast<int>(rng() % (bits + 1));
      const int offset = afi == Afi::kIpv6 && rng() % 2 == 0
                             ? static_cast<int>(rng() % (len + 1))
                             : 0;
      uint8_t b[16];
      for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
      for (int pos = 0; pos < 128; ++pos) {
        if (pos < offset || pos >= len) {
          b[pos / 8] &= static_cast<uint8_t>(~(0x80 >> (pos % 8)));
        }
      }
      c.prefix = PrefixInternal::Unchecked(
          afi == Afi::kIpv6 ? IpAddress::V6Bytes(b) : IpAddress::V4Bytes(b),
          len);
      c.offset = static_cast<uint8_t>(offset);
    } else {
      // Now and then a long list, so rules reach the 2-octet length form.
      const int n = 1 + static_cast<int>(rng() % (rng() % 16 == 0 ? 24 : 4));
      for (int i = 0; i < n; ++i) {
        FlowspecTerm t;
        t.and_bit = rng() % 2 == 0;
        static constexpr uint8_t kLengths[] = {1, 2, 4, 8};
        t.length = kLengths[rng() % 4];
        const uint64_t op = rng();
        if (IsFlowspecBitmask(c.type)) {
          t.not_bit = op & 1;
          t.match = op & 2;
        } else {
          t.lt = op & 1;
          t.gt = op & 2;
          t.eq = op & 4;
        }
        // Small values half the time (non-minimal lengths when long).
        uint64_t v = rng();
        if (rng() % 2 == 0) v %= 300;
        if (t.length < 8) v &= (uint64_t{1} << (8 * t.length)) - 1;
        t.value = v;
        c.terms.push_back(t);
      }
    }
    rule.components.push_back(c);
  }
  return rule;
}

}  // namespace bgpy::testing
