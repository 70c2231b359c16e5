// Copyright 2026 The bgpy Authors.
//
// The cheap ways to write and read IP NLRI: UpdateBuilder::AnnounceAll /
// WithdrawAll (many routes per call) against Announce() / Withdraw() route
// by route, and IpPrefixLength / Ipv6PrefixAddress against hand-built
// entries (RFC 4271 §4.3: a length octet, then the prefix in as few octets
// as hold it) and against IpPrefixOf.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/types/span.h"
#include "bgpy/framing.h"
#include "bgpy/nlri.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

// --- Reading: IpPrefixLength, Ipv6PrefixAddress

TEST(Ipv6PrefixAddressTest, HandBuiltEntries) {
  // 2001:db8::/32: length 32, 4 octets.
  std::vector<uint8_t> e = FromHex("20 20010db8");
  EXPECT_EQ(IpPrefixLength(e), 32);
  EXPECT_EQ(Ipv6PrefixAddress(e), (Ipv6Halves{0x20010db800000000u, 0}));
  // 2001:db8:1:2:3:4:5:6/128: all 16 octets, both halves.
  e = FromHex("80 20010db8000100020003000400050006");
  EXPECT_EQ(IpPrefixLength(e), 128);
  EXPECT_EQ(Ipv6PrefixAddress(e),
            (Ipv6Halves{0x20010db800010002u, 0x0003000400050006u}));
  // ::/0: the length octet alone.
  e = FromHex("00");
  EXPECT_EQ(IpPrefixLength(e), 0);
  EXPECT_EQ(Ipv6PrefixAddress(e), (Ipv6Halves{0, 0}));
  // /65 with host bits set on the wire: cleared (RFC 4271 §4.3 calls them
  // irrelevant), as IpPrefixOf does.
  e = FromHex("41 20010db8000000 00 ff");
  EXPECT_EQ(IpPrefixLength(e), 65);
  EXPECT_EQ(Ipv6PrefixAddress(e),
            (Ipv6Halves{0x20010db800000000u, 0x8000000000000000u}));
  // /12 with host bits in the second octet: 2001:d00:: is 2001:0::/12.
  e = FromHex("0c 20 1d");
  EXPECT_EQ(Ipv6PrefixAddress(e), (Ipv6Halves{0x2010000000000000u, 0}));
}

TEST(Ipv6PrefixAddressTest, AgreesWithIpPrefixOfForEveryLength) {
  for (int len = 0; len <= 128; ++len) {
    // Every bit set, host bits included.
    std::vector<uint8_t> e;
    e.push_back(static_cast<uint8_t>(len));
    for (int i = 0; i < (len + 7) / 8; ++i) e.push_back(0xff);
    const Prefix p = IpPrefixOf(Afi::kIpv6, e);
    const Ipv6Halves h = Ipv6PrefixAddress(e);
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; ++i) {
      hi = (hi << 8) | p.address().bytes()[i];
      lo = (lo << 8) | p.address().bytes()[8 + i];
    }
    EXPECT_EQ(h, (Ipv6Halves{hi, lo})) << "length " << len;
    EXPECT_EQ(IpPrefixLength(e), len);
  }
}

TEST(Ipv6PrefixAddressTest, WalksAnMpReachField) {
  // Three IPv6 entries as an MP_REACH_NLRI field holds them.
  const std::vector<uint8_t> field = FromHex(
      "30 20010db80001  40 20010db800020003  80 "
      "20010db8000000000000000000000001");
  ASSERT_TRUE(NlriView::Validate(kIpv6Unicast, field, false, 10).ok());
  std::vector<int> lengths;
  std::vector<Ipv6Halves> addrs;
  for (const NlriEntryView& e : NlriView(kIpv6Unicast, field, false)) {
    lengths.push_back(IpPrefixLength(e.bytes));
    addrs.push_back(Ipv6PrefixAddress(e.bytes));
  }
  EXPECT_THAT(lengths, ::testing::ElementsAre(48, 64, 128));
  EXPECT_THAT(addrs,
              ::testing::ElementsAre(Ipv6Halves{0x20010db800010000u, 0},
                                     Ipv6Halves{0x20010db800020003u, 0},
                                     Ipv6Halves{0x20010db800000000u, 1}));
}

// --- Writing: UpdateBuilder::AnnounceAll / WithdrawAll

PathAttributes Attrs() {
  PathAttributes a;
  a.origin = Origin::kIgp;
  AsPath path;
  AsPathSegment seg;
  seg.type = AsSegmentType::kSequence;
  seg.asns.push_back(65000);
  path.segments.push_back(seg);
  a.as_path = path;
  a.next_hop = *IpAddress::Parse("192.0.2.1");
  return a;
}

std::vector<Prefix> Routes(const char* first, int n) {
  std::vector<Prefix> v;
  const Prefix p = *Prefix::Parse(first);
  for (int i = 0; i < n; ++i) v.push_back(*p.Advance(static_cast<uint64_t>(i)));
  return v;
}

// The stream of UPDATEs for `routes`: one by one, or in batches of `batch`.
std::vector<uint8_t> Build(const SessionParams& params, Family family,
                           const MpNextHop& nh,
                           const std::vector<Prefix>& routes, bool withdraw,
                           size_t batch,
                           std::optional<uint32_t> path_id = std::nullopt) {
  UpdateBuilder b(params);
  EXPECT_TRUE(b.SetAttributes(Attrs(), family, nh).ok());
  std::vector<uint8_t> out;
  size_t i = 0;
  while (i < routes.size()) {
    if (batch == 0) {
      const bool ok = withdraw ? b.Withdraw(routes[i], path_id)
                               : b.Announce(routes[i], path_id);
      if (ok) {
        ++i;
      } else {
        EXPECT_GT(b.Flush(out), 0u);
      }
      continue;
    }
    const size_t n = std::min(batch, routes.size() - i);
    const absl::Span<const Prefix> span(routes.data() + i, n);
    const size_t took =
        withdraw ? b.WithdrawAll(span, path_id) : b.AnnounceAll(span, path_id);
    i += took;
    if (took < n) {
      EXPECT_GT(b.Flush(out), 0u);
    }
  }
  b.Flush(out);
  return out;
}

TEST(UpdateBuilderAllTest, GoldenMessage) {
  // Three /24s in one UPDATE: RFC 4271 §4.3 layout, hand-built.
  SessionParams p;
  UpdateBuilder b(p);
  ASSERT_TRUE(b.SetAttributes(Attrs(), kIpv4Unicast, MpNextHop()).ok());
  const std::vector<Prefix> r = Routes("10.0.0.0/24", 3);
  EXPECT_EQ(b.AnnounceAll(r), 3u);
  EXPECT_EQ(b.pending(), 3u);
  std::vector<uint8_t> out;
  b.Flush(out);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex("ffffffffffffffffffffffffffffffff 0037 02"
                          "0000"                  // no withdrawn routes
                          "0014"                  // 20 octets of attributes
                          "40010100"              // ORIGIN IGP
                          "400206 0201 0000fde8"  // AS_PATH [65000]
                          "400304 c0000201"       // NEXT_HOP 192.0.2.1
                          "180a0000 180a0001 180a0002")));
}

TEST(UpdateBuilderAllTest, SameBytesAsOneByOne) {
  SessionParams p;
  const std::vector<Prefix> v4 = Routes("10.0.0.0/32", 3000);
  const std::vector<Prefix> v4short = Routes("10.0.0.0/20", 2000);
  for (size_t batch : {size_t{1}, size_t{7}, size_t{64}, size_t{5000}}) {
    SCOPED_TRACE(batch);
    for (bool withdraw : {false, true}) {
      const std::vector<uint8_t> want =
          Build(p, kIpv4Unicast, MpNextHop(), v4, withdraw, 0);
      EXPECT_EQ(Build(p, kIpv4Unicast, MpNextHop(), v4, withdraw, batch), want);
      EXPECT_EQ(Build(p, kIpv4Unicast, MpNextHop(), v4short, withdraw, batch),
                Build(p, kIpv4Unicast, MpNextHop(), v4short, withdraw, 0));
    }
  }
  // IPv6 in MP_REACH / MP_UNREACH, extended messages, ADD-PATH.
  MpNextHop nh;
  nh.address = *IpAddress::Parse("2001:db8::1");
  const std::vector<Prefix> v6 = Routes("2001:db8::/64", 3000);
  SessionParams ext;
  ext.extended_message = true;
  SessionParams ap;
  ASSERT_TRUE(ap.SetAddPath(kIpv6Unicast, true));
  for (const SessionParams& params : {p, ext, ap}) {
    for (bool withdraw : {false, true}) {
      const std::vector<uint8_t> want =
          Build(params, kIpv6Unicast, nh, v6, withdraw, 0, 7);
      EXPECT_EQ(Build(params, kIpv6Unicast, nh, v6, withdraw, 100, 7), want);
    }
  }
}

TEST(UpdateBuilderAllTest, FillsMessagesToTheLimit) {
  // /32s take 5 octets; a 4096-octet UPDATE with these 20 octets of
  // attributes holds (4096 - 19 - 4 - 20) / 5 = 810 of them.
  SessionParams p;
  UpdateBuilder b(p);
  ASSERT_TRUE(b.SetAttributes(Attrs(), kIpv4Unicast, MpNextHop()).ok());
  const std::vector<Prefix> r = Routes("10.0.0.0/32", 1000);
  EXPECT_EQ(b.AnnounceAll(r), 810u);
  EXPECT_EQ(b.AnnounceAll(absl::MakeConstSpan(r).subspan(810)), 0u);
  EXPECT_FALSE(b.Announce(r[810]));
  std::vector<uint8_t> out;
  EXPECT_EQ(b.Flush(out), 4093u);  // 4096 would need 3 more octets
  EXPECT_EQ(b.AnnounceAll({}), 0u);
  // Withdrawals share the message with announcements (IPv4 unicast).
  EXPECT_EQ(b.AnnounceAll(absl::MakeConstSpan(r).subspan(0, 10)), 10u);
  EXPECT_EQ(b.WithdrawAll(absl::MakeConstSpan(r).subspan(10)), 800u);
  EXPECT_EQ(b.pending(), 810u);
  out.clear();
  b.Flush(out);
  absl::StatusOr<UpdateView> v = UpdateView::Parse(out, p);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->nlri().size(), 10u);
  EXPECT_EQ(v->withdrawn().size(), 800u);
}

}  // namespace
}  // namespace bgpy
