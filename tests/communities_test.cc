// Copyright 2026 The bgpy Authors.
//
// Tests for COMMUNITIES, EXTENDED_COMMUNITIES, IPv6 extended communities and
// LARGE_COMMUNITIES values and text.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

TEST(CommunityTest, FormatAndParse) {
  EXPECT_EQ(FormatCommunity(0xfde80064), "65000:100");
  EXPECT_EQ(FormatCommunity(kCommunityNoExport), "65535:65281");
  struct Name {
    uint32_t value;
    const char* name;
  };
  const Name names[] = {
      {kCommunityNoExport, "no-export"},
      {kCommunityNoAdvertise, "no-advertise"},
      {kCommunityNoExportSubconfed, "no-export-subconfed"},
      {kCommunityNoPeer, "no-peer"},
      {kCommunityBlackhole, "blackhole"},
      {kCommunityGracefulShutdown, "graceful-shutdown"},
      {kCommunityLlgrStale, "llgr-stale"},
      {kCommunityNoLlgr, "no-llgr"},
  };
  for (const Name& n : names) {
    SCOPED_TRACE(n.name);
    EXPECT_EQ(FormatCommunity(n.value, true), n.name);
    EXPECT_EQ(*ParseCommunity(n.name), n.value);
    EXPECT_EQ(*ParseCommunity(FormatCommunity(n.value)), n.value);
  }
  EXPECT_EQ(*ParseCommunity("NO-EXPORT"), kCommunityNoExport);
  EXPECT_EQ(*ParseCommunity("65000:100"), 0xfde80064u);
  EXPECT_EQ(*ParseCommunity("4259840100"), 0xfde80064u);
  EXPECT_EQ(*ParseCommunity("0:0"), 0u);
  for (const char* bad : {"", "65536:1", "1:65536", "a:b", "1:", ":1", "1:2:3",
                          "4294967296", "no-such"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseCommunity(bad).ok());
  }
}

TEST(CommunityTest, RandomTextRoundTrip) {
  std::mt19937 rng(7);
  SCOPED_TRACE("seed 7");
  for (int i = 0; i < 1000; ++i) {
    uint32_t c = static_cast<uint32_t>(rng());
    EXPECT_EQ(*ParseCommunity(FormatCommunity(c, i % 2 == 0)), c);
  }
}

TEST(CommunityTest, DecodeU32List) {
  auto l = DecodeU32List(FromHex("fde80064 ffffff01"));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, (std::vector<uint32_t>{0xfde80064, kCommunityNoExport}));
  EXPECT_TRUE(DecodeU32List({})->empty());
  for (size_t n : {1, 2, 3, 5, 7}) {
    std::vector<uint8_t> v(n);
    EXPECT_FALSE(DecodeU32List(v).ok()) << n;
  }
}

TEST(ExtendedCommunityTest, RouteTargetGoldens) {
  struct Case {
    ExtendedCommunity c;
    const char* hex;
    const char* text;
  };
  const Case cases[] = {
      // type 0x00 (2-octet AS), subtype 0x02, AS 65000, local 1.
      {ExtendedCommunity::RouteTarget(65000, 1), "0002 fde8 00000001",
       "rt:65000:1"},
      // type 0x01 (IPv4), subtype 0x02, 192.0.2.1, local 7.
      {ExtendedCommunity::RouteTarget(0xc0000201, 7, true),
       "0102 c0000201 0007", "rt:192.0.2.1:7"},
      // type 0x02 (4-octet AS, RFC 5668), AS 4200000000, local 1.
      {ExtendedCommunity::RouteTarget(4200000000u, 1), "0202 fa56ea00 0001",
       "rt:4200000000:1"},
      // Route origin, subtype 0x03.
      {ExtendedCommunity::RouteOrigin(65000, 70000), "0003 fde8 00011170",
       "ro:65000:70000"},
      {ExtendedCommunity::RouteOrigin(0xc0000201, 7, true),
       "0103 c0000201 0007", "ro:192.0.2.1:7"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ToHex(c.c.bytes), ToHex(FromHex(c.hex)));
    EXPECT_EQ(c.c.ToString(), c.text);
    auto p = ExtendedCommunity::Parse(c.text);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(*p, c.c);
    EXPECT_TRUE(c.c.transitive());
  }
  EXPECT_TRUE(cases[0].c.IsRouteTarget());
  EXPECT_FALSE(cases[0].c.IsRouteOrigin());
  EXPECT_TRUE(cases[3].c.IsRouteOrigin());
}

TEST(ExtendedCommunityTest, OtherFormsAsHex) {
  ExtendedCommunity c;
  std::vector<uint8_t> b = FromHex("4300 000000000002");
  std::copy(b.begin(), b.end(), c.bytes.begin());
  EXPECT_EQ(c.ToString(), "0x43:0x00:000000000002");
  EXPECT_FALSE(c.transitive());
  EXPECT_FALSE(c.IsRouteTarget());
  EXPECT_EQ(*ExtendedCommunity::Parse("0x43:0x00:000000000002"), c);
  EXPECT_EQ(*ExtendedCommunity::Parse("0X43:0X00:000000000002"), c);
  // A 4-octet AS route target with a small ASN keeps its type via "L".
  auto small = ExtendedCommunity::Parse("rt:100L:5");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(ToHex(small->bytes), "0202000000640005");
  EXPECT_EQ(small->ToString(), "rt:100L:5");
  for (const char* bad :
       {"", "rt:65000", "rt:65000:1:2", "xx:1:2", "rt:4200000000:65536",
        "rt:192.0.2.1:65536", "rt:1.2.3:1", "0x43:0x00:0000",
        "0x4:0x00:000000000000", "0x43:0x00:00000000000g",
        "rt:65000:4294967296"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ExtendedCommunity::Parse(bad).ok());
  }
}

TEST(ExtendedCommunityTest, RandomTextRoundTrip) {
  for (uint32_t seed = 1; seed <= 2000; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 rng(seed);
    ExtendedCommunity c;
    for (auto& b : c.bytes) b = static_cast<uint8_t>(rng());
    // Bias toward the named forms.
    if (seed % 2 == 0) {
      c.bytes[0] = static_cast<uint8_t>(rng() % 3);
      c.bytes[1] = static_cast<uint8_t>(2 + rng() % 2);
    }
    auto p = ExtendedCommunity::Parse(c.ToString());
    ASSERT_TRUE(p.ok()) << c.ToString();
    EXPECT_EQ(*p, c) << c.ToString();
  }
}

TEST(ExtendedCommunityTest, DecodeList) {
  auto l =
      DecodeExtendedCommunities(FromHex("0002fde800000001 0102c00002010007"));
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[0].ToString(), "rt:65000:1");
  EXPECT_EQ((*l)[1].ToString(), "rt:192.0.2.1:7");
  std::vector<uint8_t> b = FromHex("0002fde800000001");
  for (size_t n = 1; n < b.size(); ++n) {
    EXPECT_FALSE(DecodeExtendedCommunities(wire::Bytes(b.data(), n)).ok()) << n;
  }
}

TEST(Ipv6ExtendedCommunityTest, GoldenAndText) {
  std::vector<uint8_t> b = FromHex(
      "00 02"                             // transitive, route target
      "20010db8000000000000000000000001"  // global administrator
      "0064"                              // local administrator 100
      "40 03"                             // non-transitive, subtype 3
      "20010db8000000000000000000000002"
      "0005");
  auto l = DecodeIpv6ExtendedCommunities(b);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[0].ToString(), "rt:2001:db8::1:100");
  EXPECT_EQ((*l)[1].ToString(), "0x40:0x03:2001:db8::2:5");
  for (size_t n = 1; n < 20; ++n) {
    EXPECT_FALSE(DecodeIpv6ExtendedCommunities(wire::Bytes(b.data(), n)).ok())
        << n;
  }
}

TEST(LargeCommunityTest, GoldenTextAndRoundTrip) {
  std::vector<uint8_t> b = FromHex(
      "0000fde8"    // global administrator 65000
      "00000001"    // local data 1
      "00000002");  // local data 2
  auto l = DecodeLargeCommunities(b);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0], (LargeCommunity{65000, 1, 2}));
  EXPECT_EQ((*l)[0].ToString(), "65000:1:2");
  for (size_t n = 1; n < b.size(); ++n) {
    EXPECT_FALSE(DecodeLargeCommunities(wire::Bytes(b.data(), n)).ok()) << n;
  }
  EXPECT_EQ(*LargeCommunity::Parse("4294967295:0:7"),
            (LargeCommunity{4294967295u, 0, 7}));
  for (const char* bad :
       {"", "1:2", "1:2:3:4", "4294967296:1:1", "a:1:1", "1::1"}) {
    EXPECT_FALSE(LargeCommunity::Parse(bad).ok()) << bad;
  }
  std::mt19937 rng(11);
  SCOPED_TRACE("seed 11");
  for (int i = 0; i < 500; ++i) {
    LargeCommunity c{static_cast<uint32_t>(rng()), static_cast<uint32_t>(rng()),
                     static_cast<uint32_t>(rng())};
    EXPECT_EQ(*LargeCommunity::Parse(c.ToString()), c);
  }
}

}  // namespace
}  // namespace bgpy
