// Copyright 2026 The bgpy Authors.

#include "bgpy/types.h"

#include <cstdint>
#include <random>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace {

using ::testing::HasSubstr;

// --- Families ----------------------------------------------------------------

TEST(FamilyTest, GoBgpNames) {
  struct Row {
    uint16_t afi;
    uint8_t safi;
    const char* name;
  };
  const Row rows[] = {
      {1, 1, "ipv4-unicast"},          {2, 1, "ipv6-unicast"},
      {1, 2, "ipv4-multicast"},        {2, 2, "ipv6-multicast"},
      {1, 4, "ipv4-labelled-unicast"}, {2, 4, "ipv6-labelled-unicast"},
      {1, 128, "l3vpn-ipv4-unicast"},  {2, 128, "l3vpn-ipv6-unicast"},
      {25, 70, "l2vpn-evpn"},          {1, 133, "ipv4-flowspec"},
      {2, 133, "ipv6-flowspec"},       {1, 134, "l3vpn-ipv4-flowspec"},
      {2, 134, "l3vpn-ipv6-flowspec"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    const Family f(r.afi, r.safi);
    EXPECT_EQ(FamilyName(f), r.name);
    EXPECT_EQ(*ParseFamily(r.name), f);
  }
  EXPECT_EQ(FamilyName(kIpv4Unicast), "ipv4-unicast");
  EXPECT_EQ(FamilyName(kIpv6Unicast), "ipv6-unicast");
}

TEST(FamilyTest, UnknownPairsRoundTrip) {
  EXPECT_EQ(FamilyName(Family(16388, 71)), "afi-16388-safi-71");
  EXPECT_EQ(FamilyName(Family(0, 0)), "afi-0-safi-0");
  EXPECT_EQ(FamilyName(Family(65535, 255)), "afi-65535-safi-255");
  EXPECT_EQ(*ParseFamily("afi-16388-safi-71"), Family(16388, 71));
  // A known pair written numerically is the same family.
  EXPECT_EQ(*ParseFamily("afi-1-safi-1"), kIpv4Unicast);
  std::mt19937 rng(42);
  SCOPED_TRACE("seed 42");
  for (int i = 0; i < 1000; ++i) {
    const Family f(static_cast<uint16_t>(rng()), static_cast<uint8_t>(rng()));
    EXPECT_EQ(*ParseFamily(FamilyName(f)), f) << FamilyName(f);
  }
}

TEST(FamilyTest, RejectsJunk) {
  for (const char* bad :
       {"", "ipv4", "IPV4-UNICAST", "ipv4-unicast ", "afi-1-safi-",
        "afi--safi-1", "afi-65536-safi-1", "afi-1-safi-256", "afi-1-safi-+1",
        "afi-1-safi-1x", "afi-0x1-safi-1", "afi-1", "l2vpn-vpls"}) {
    SCOPED_TRACE(bad);
    absl::StatusOr<Family> f = ParseFamily(bad);
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_THAT(std::string(ParseFamily("ipv5-unicast").status().message()),
              HasSubstr("ipv5-unicast"));
}

// --- Addresses ---------------------------------------------------------------

TEST(IpAddressTest, V4) {
  IpAddress a = IpAddress::V4(0xc0000201);
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a.afi(), Afi::kIpv4);
  EXPECT_EQ(a.byte_length(), 4);
  EXPECT_EQ(a.bit_length(), 32);
  EXPECT_EQ(a.bytes()[0], 192);
  EXPECT_EQ(a.bytes()[3], 1);
  EXPECT_EQ(a.v4(), 0xc0000201u);
  EXPECT_EQ(a.ToString(), "192.0.2.1");
  const uint8_t b[4] = {192, 0, 2, 1};
  EXPECT_EQ(IpAddress::V4Bytes(b), a);
  EXPECT_EQ(*IpAddress::Parse("192.0.2.1"), a);
}

TEST(IpAddressTest, V6Rfc5952Output) {
  struct Row {
    const char* in;
    const char* out;
  };
  const Row rows[] = {
      {"2001:db8::1", "2001:db8::1"},
      {"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},  // §4.1,4.3
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // §4.2.2: no "::"
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},     // §4.2.3: first run
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},           // §4.2.3: longest
      {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},          // §5
      {"::ffff:c000:201", "::ffff:192.0.2.1"},
      {"::1.2.3.4", "::102:304"},  // compatible form is deprecated
      {"fe80::abcd:ef01", "fe80::abcd:ef01"},
      {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.in);
    absl::StatusOr<IpAddress> a = IpAddress::Parse(r.in);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(a->is_v6());
    EXPECT_EQ(a->bit_length(), 128);
    EXPECT_EQ(a->ToString(), r.out);
  }
}

TEST(IpAddressTest, V6Bytes) {
  std::array<uint8_t, 16> b{};
  b[0] = 0x20;
  b[1] = 0x01;
  b[2] = 0x0d;
  b[3] = 0xb8;
  b[15] = 1;
  IpAddress a = IpAddress::V6(b);
  EXPECT_EQ(a.afi(), Afi::kIpv6);
  EXPECT_EQ(a.byte_length(), 16);
  EXPECT_EQ(IpAddress::V6Bytes(b.data()), a);
  EXPECT_EQ(a.ToString(), "2001:db8::1");
  // Same first bytes, different family: not equal.
  EXPECT_NE(IpAddress::V4Bytes(b.data()), a);
}

TEST(IpAddressTest, RandomRoundTrip) {
  const uint32_t seed = 7;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    std::array<uint8_t, 16> b{};
    // Many zero words, so "::" placement is exercised.
    for (int w = 0; w < 8; ++w) {
      if (rng() % 2) continue;
      b[2 * w] = static_cast<uint8_t>(rng());
      b[2 * w + 1] = static_cast<uint8_t>(rng());
    }
    IpAddress a = IpAddress::V6(b);
    const std::string s = a.ToString();
    EXPECT_EQ(*IpAddress::Parse(s), a) << s;
    EXPECT_EQ(s.find(":::"), std::string::npos) << s;
    IpAddress v4 = IpAddress::V4(static_cast<uint32_t>(rng()));
    EXPECT_EQ(*IpAddress::Parse(v4.ToString()), v4);
  }
}

TEST(IpAddressTest, RejectsJunk) {
  for (absl::string_view bad :
       {absl::string_view(""), absl::string_view("1.2.3"),
        absl::string_view("1.2.3.4.5"), absl::string_view("256.1.1.1"),
        absl::string_view("01.2.3.4"), absl::string_view(" 1.2.3.4"),
        absl::string_view("1.2.3.4 "), absl::string_view("1.2.3.4/32"),
        absl::string_view("::1::2"), absl::string_view("fe80::1%eth0"),
        absl::string_view("12345::"), absl::string_view("g::"),
        absl::string_view("1.2.3.4\0junk", 12),
        absl::string_view("1111:2222:3333:4444:5555:6666:7777:8888:9999"),
        absl::string_view("localhost")}) {
    SCOPED_TRACE(absl::CHexEscape(bad));
    EXPECT_EQ(IpAddress::Parse(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(Ipv4HelpersTest, FormatAndParse) {
  EXPECT_EQ(FormatIpv4(0), "0.0.0.0");
  EXPECT_EQ(FormatIpv4(0xffffffff), "255.255.255.255");
  EXPECT_EQ(FormatIpv4(0x0a000001), "10.0.0.1");
  EXPECT_EQ(*ParseIpv4("10.0.0.1"), 0x0a000001u);
  EXPECT_EQ(*ParseIpv4("255.255.255.255"), 0xffffffffu);
  EXPECT_FALSE(ParseIpv4("::1").ok());
  EXPECT_FALSE(ParseIpv4("10.0.0").ok());
  EXPECT_FALSE(ParseIpv4("").ok());
}

// --- Prefixes ----------------------------------------------------------------

TEST(PrefixTest, ParseAndFormat) {
  struct Row {
    const char* in;
    const char* out;
    int len;
  };
  const Row rows[] = {
      {"10.0.0.0/24", "10.0.0.0/24", 24},
      {"0.0.0.0/0", "0.0.0.0/0", 0},
      {"192.0.2.1/32", "192.0.2.1/32", 32},
      {"192.0.2.1", "192.0.2.1/32", 32},  // bare address: host prefix
      {"2001:db8::/32", "2001:db8::/32", 32},
      {"2001:DB8::/32", "2001:db8::/32", 32},
      {"::/0", "::/0", 0},
      {"2001:db8::1", "2001:db8::1/128", 128},
      {"2001:db8::1/128", "2001:db8::1/128", 128},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.in);
    absl::StatusOr<Prefix> p = Prefix::Parse(r.in);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->ToString(), r.out);
    EXPECT_EQ(p->length(), r.len);
    EXPECT_EQ(p->nlri_bytes(), (r.len + 7) / 8);
    EXPECT_EQ(*Prefix::Parse(p->ToString()), *p);
  }
}

TEST(PrefixTest, ParseRejects) {
  for (const char* bad :
       {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "/24", "10.0.0.0/2 4",
        "10.0.0.0/+24", "10.0.0.0/24/", "10.0.0.0/24x", "10.0.0.0/0x18",
        "2001:db8::/129", "2001:db8::/1000", "junk", "", "10.0.0.1/24",
        "2001:db8::1/64", "10.0.0.0 /24", "10.0.0.0/ 24"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(Prefix::Parse(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(PrefixTest, MakeMessages) {
  IpAddress a = *IpAddress::Parse("10.0.0.1");
  absl::Status st = Prefix::Make(a, 24).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "10.0.0.1/24 has host bits set");
  EXPECT_THAT(std::string(Prefix::Make(a, 33).status().message()),
              HasSubstr("33"));
  EXPECT_FALSE(Prefix::Make(a, -1).ok());
  EXPECT_TRUE(Prefix::Make(a, 32).ok());
  EXPECT_FALSE(Prefix::Make(*IpAddress::Parse("::1"), 129).ok());
  // Only the host bits matter: 10.0.0.128/25 is fine, /24 is not.
  IpAddress b = *IpAddress::Parse("10.0.0.128");
  EXPECT_TRUE(Prefix::Make(b, 25).ok());
  EXPECT_FALSE(Prefix::Make(b, 24).ok());
  absl::StatusOr<Prefix> p = Prefix::Make(b, 25);
  EXPECT_EQ(p->address(), b);
  EXPECT_EQ(p->afi(), Afi::kIpv4);
}

TEST(PrefixTest, Advance) {
  auto adv = [](const char* p, uint64_t n) {
    absl::StatusOr<Prefix> r = Prefix::Parse(p)->Advance(n);
    return r.ok() ? r->ToString() : std::string(r.status().message());
  };
  EXPECT_EQ(adv("10.0.0.0/24", 0), "10.0.0.0/24");
  EXPECT_EQ(adv("10.0.0.0/24", 1), "10.0.1.0/24");
  EXPECT_EQ(adv("10.0.0.0/24", 256), "10.1.0.0/24");
  EXPECT_EQ(adv("10.0.0.0/32", 1999), "10.0.7.207/32");
  EXPECT_EQ(adv("10.0.0.0/8", 245), "255.0.0.0/8");
  EXPECT_EQ(adv("255.255.255.255/32", 0), "255.255.255.255/32");
  EXPECT_EQ(adv("0.0.0.0/0", 0), "0.0.0.0/0");
  EXPECT_EQ(adv("0.0.0.0/32", 0xffffffffu), "255.255.255.255/32");
  EXPECT_EQ(adv("2001:db8::/32", 1), "2001:db9::/32");
  EXPECT_EQ(adv("2001:db8::/64", 0x10000), "2001:db8:1::/64");
  EXPECT_EQ(adv("2001:db8::/128", 0x10001), "2001:db8::1:1/128");
  EXPECT_EQ(adv("::/128", ~uint64_t{0}), "::ffff:ffff:ffff:ffff/128");
  EXPECT_EQ(adv("ffff:ffff:ffff:fffe::/64", 1), "ffff:ffff:ffff:ffff::/64");
  EXPECT_EQ(adv("::/64", ~uint64_t{0}), "ffff:ffff:ffff:ffff::/64");
  EXPECT_EQ(adv("0.0.0.0/24", 3), "0.0.3.0/24");
  EXPECT_EQ(adv("::/0", 0), "::/0");

  // Wrapping past the end is kOutOfRange.
  struct Bad {
    const char* p;
    uint64_t n;
  };
  const Bad bads[] = {
      {"255.255.255.0/24", 1},
      {"10.0.0.0/8", 246},
      {"0.0.0.0/0", 1},
      {"0.0.0.0/32", 0x100000000u},
      {"0.0.0.0/1", 2},
      {"::/0", 1},
      {"ffff::/16", 1},
      {"255.255.255.255/32", ~uint64_t{0}},
      {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128", 2},
      {"ffff:ffff:ffff:ffff::/64", 1},
      {"8000::/1", 1},
  };
  for (const Bad& b : bads) {
    SCOPED_TRACE(absl::StrCat(b.p, " + ", b.n));
    absl::StatusOr<Prefix> r = Prefix::Parse(b.p)->Advance(b.n);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  }
}

TEST(PrefixTest, AdvanceIsConsecutive) {
  const uint32_t seed = 99;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 500; ++i) {
    const int len = 16 + static_cast<int>(rng() % 17);  // 999 blocks fit
    const uint32_t base = static_cast<uint32_t>(rng()) &
                          (len == 32 ? ~0u : ~(~0u >> len)) & 0x7fffffff;
    Prefix p = *Prefix::Make(IpAddress::V4(base), len);
    const uint64_t n = rng() % 1000;
    absl::StatusOr<Prefix> q = p.Advance(n);
    ASSERT_TRUE(q.ok()) << p.ToString() << " + " << n;
    const uint64_t step = uint64_t{1} << (32 - len);
    EXPECT_EQ(q->address().v4(), base + n * step) << p.ToString();
    EXPECT_EQ(q->length(), len);
    // Advance(a + b) == Advance(a).Advance(b).
    EXPECT_EQ(*p.Advance(n / 2)->Advance(n - n / 2), *q);
  }
}

TEST(PrefixTest, OrderingAndHashing) {
  absl::flat_hash_set<Prefix> set;
  set.insert(*Prefix::Parse("10.0.0.0/24"));
  set.insert(*Prefix::Parse("10.0.0.0/24"));
  set.insert(*Prefix::Parse("10.0.0.0/25"));
  EXPECT_EQ(set.size(), 2u);
  EXPECT_LT(*Prefix::Parse("10.0.0.0/24"), *Prefix::Parse("10.0.1.0/24"));
}

TEST(PrefixTest, SetV4AddressRewritesOnlyTheAddress) {
  Prefix p = PrefixInternal::Unchecked(IpAddress::V4(0), 32);
  PrefixInternal::SetV4Address(p, 0xC0000201u);
  EXPECT_EQ(p, *Prefix::Parse("192.0.2.1/32"));
  EXPECT_EQ(p.address().v4(), 0xC0000201u);
  PrefixInternal::SetV4Address(p, 0x0A000000u);
  EXPECT_EQ(p.ToString(), "10.0.0.0/32");
  EXPECT_TRUE(p.address().is_v4());
  EXPECT_EQ(p.length(), 32);
}

}  // namespace
}  // namespace bgpy
