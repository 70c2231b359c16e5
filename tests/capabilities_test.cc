// Copyright 2026 The bgpy Authors.

#include "bgpy/capabilities.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::HasSubstr;
using ::testing::VariantWith;

std::vector<uint8_t> Encode(const Capability& c) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  absl::Status st = EncodeCapability(c, w);
  EXPECT_TRUE(st.ok()) << st;
  w.Finish();
  return out;
}

// A golden capability: code, value, and the struct it decodes to. Valid
// value lengths are `head + k * entry` (entry 0: exactly `head`); any other
// length of a prefix or an extension of the value is malformed.
struct Golden {
  const char* what;
  uint8_t code;
  std::string value_hex;
  Capability want;
  size_t head;
  size_t entry;
};

std::vector<Golden> Goldens() {
  std::vector<Golden> g;
  // RFC 4760 §8: AFI 1 (IPv4), Reserved 0, SAFI 1 (unicast).
  g.push_back({"multiprotocol", 1, "0001 00 01",
               MultiprotocolCapability{kIpv4Unicast, 0}, 4, 0});
  // AFI 2 (IPv6), Reserved 0x5a kept as found, SAFI 128 (MPLS VPN).
  g.push_back({"multiprotocol reserved", 1, "0002 5a 80",
               MultiprotocolCapability{Family(2, 128), 0x5a}, 4, 0});
  // RFC 2918 §2: empty value.
  g.push_back({"route refresh", 2, "", RouteRefreshCapability{false}, 0, 0});
  g.push_back(
      {"route refresh cisco", 128, "", RouteRefreshCapability{true}, 0, 0});
  // RFC 8950 §3: NLRI AFI 1, NLRI SAFI 1 (2 octets), Nexthop AFI 2; then
  // NLRI AFI 1, NLRI SAFI 128, Nexthop AFI 2.
  g.push_back({"extended next hop", 5, "0001 0001 0002  0001 0080 0002",
               ExtendedNextHopCapability{{{Afi::kIpv4, 1, Afi::kIpv6},
                                          {Afi::kIpv4, 128, Afi::kIpv6}}},
               0, 6});
  // RFC 8654 §3: empty value.
  g.push_back({"extended message", 6, "", ExtendedMessageCapability{}, 0, 0});
  // RFC 8277 §2.1: AFI 1, SAFI 4, Count 3.
  g.push_back({"multiple labels", 8, "0001 04 03",
               MultipleLabelsCapability{{{Family(1, 4), 3}}}, 0, 4});
  // RFC 9234 §4.1: Role 3 = Customer.
  g.push_back({"role", 9, "03", RoleCapability{Role::kCustomer}, 1, 0});
  // RFC 4724 §3: R=1 N=0 (flags 0x8), Restart Time 180 = 0x0b4; AFI 1,
  // SAFI 1, Flags 0x80 (forwarding state); AFI 2, SAFI 1, Flags 0.
  g.push_back({"graceful restart", 64, "80b4  0001 01 80  0002 01 00",
               GracefulRestartCapability{
                   0x8, 180, {{kIpv4Unicast, 0x80}, {kIpv6Unicast, 0}}},
               2, 4});
  // Flags 0x4 (N, RFC 8538), Restart Time 4095, no families.
  g.push_back({"graceful restart notification", 64, "4fff",
               GracefulRestartCapability{0x4, 4095, {}}, 2, 4});
  // RFC 6793 §3: AS 4200000000 = 0xfa56ea00.
  g.push_back(
      {"4-octet AS", 65, "fa56ea00", FourOctetAsCapability{4200000000u}, 4, 0});
  // RFC 7911 §4: AFI 1, SAFI 1, Send/Receive 3 (both); AFI 2, SAFI 1, 1.
  g.push_back({"add-path", 69, "0001 01 03  0002 01 01",
               AddPathCapability{{{kIpv4Unicast, AddPathMode::kBoth},
                                  {kIpv6Unicast, AddPathMode::kReceive}}},
               0, 4});
  // RFC 7313 §3: empty value.
  g.push_back({"enhanced route refresh", 70, "",
               EnhancedRouteRefreshCapability{}, 0, 0});
  // RFC 9494 §2: AFI 1, SAFI 1, Flags 0x80, Stale Time 3600 = 0x000e10.
  g.push_back({"long-lived GR", 71, "0001 01 80 000e10",
               LongLivedGracefulRestartCapability{{{kIpv4Unicast, 0x80, 3600}}},
               0, 7});
  // draft-walton-bgp-hostname-capability: len 5 "host1", len 4 "test".
  g.push_back({"fqdn", 73, "05 686f737431  04 74657374",
               FqdnCapability{"host1", "test"}, 11, 0});
  // Empty hostname and domain.
  g.push_back({"fqdn empty", 73, "00 00", FqdnCapability{"", ""}, 2, 0});
  // draft-abraitis-bgp-version-capability: len 6 "bgpy/1".
  g.push_back({"software version", 75, "06 626770792f31",
               SoftwareVersionCapability{"bgpy/1"}, 7, 0});
  // An unassigned code: the value as found.
  g.push_back(
      {"unknown", 200, "010203", UnknownCapability{200, {1, 2, 3}}, 0, 1});
  // BGPsec (RFC 8205) is known by name only: kept as bytes.
  g.push_back(
      {"bgpsec", 7, "8800 01", UnknownCapability{7, {0x88, 0, 1}}, 0, 1});
  return g;
}

bool ValidLength(const Golden& g, size_t n) {
  if (g.entry == 0) return n == g.head;
  return n >= g.head && (n - g.head) % g.entry == 0;
}

TEST(CapabilityTest, GoldenDecodeAndEncode) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.what);
    const std::vector<uint8_t> value = FromHex(g.value_hex);
    std::string why = "stale";
    Capability c = DecodeCapability(g.code, value, &why);
    EXPECT_EQ(c, g.want);
    EXPECT_EQ(why, "");
    EXPECT_EQ(CapabilityCodeOf(c), g.code);
    absl::StatusOr<Capability> strict = DecodeCapabilityStrict(g.code, value);
    ASSERT_TRUE(strict.ok()) << strict.status();
    EXPECT_EQ(*strict, g.want);
    // Encoding gives code, length and the exact value back.
    std::vector<uint8_t> want = {g.code, static_cast<uint8_t>(value.size())};
    want.insert(want.end(), value.begin(), value.end());
    EXPECT_EQ(ToHex(Encode(g.want)), ToHex(want));
    EXPECT_EQ(CapabilityEncodedSize(g.want), want.size());
  }
}

// Every cut of every golden value, and every golden value with one octet
// more: either a valid shorter/longer form that re-encodes exactly, or
// UnknownCapability with the bytes kept and a reason.
TEST(CapabilityTest, TruncationAndTrailingBytes) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.what);
    std::vector<uint8_t> value = FromHex(g.value_hex);
    std::vector<std::vector<uint8_t>> variants;
    for (size_t n = 0; n < value.size(); ++n)
      variants.emplace_back(value.begin(), value.begin() + n);
    std::vector<uint8_t> longer = value;
    longer.push_back(0x01);
    variants.push_back(longer);
    for (const auto& v : variants) {
      SCOPED_TRACE(absl::StrCat("value ", ToHex(v)));
      std::string why;
      Capability c = DecodeCapability(g.code, v, &why);
      absl::StatusOr<Capability> strict = DecodeCapabilityStrict(g.code, v);
      if (ValidLength(g, v.size())) {
        EXPECT_EQ(why, "");
        EXPECT_TRUE(strict.ok()) << strict.status();
      } else {
        EXPECT_THAT(
            c, VariantWith<UnknownCapability>(UnknownCapability{g.code, v}));
        EXPECT_THAT(why, HasSubstr(CapabilityName(g.code)));
        EXPECT_EQ(strict.status().code(), absl::StatusCode::kInvalidArgument);
      }
      // Either way the bytes come back unchanged.
      std::vector<uint8_t> want = {g.code, static_cast<uint8_t>(v.size())};
      want.insert(want.end(), v.begin(), v.end());
      EXPECT_EQ(ToHex(Encode(c)), ToHex(want));
    }
  }
}

TEST(CapabilityTest, MalformedReasons) {
  std::string why;
  // 4-octet AS with 5 octets: trailing octet.
  EXPECT_THAT(DecodeCapability(65, FromHex("0000fde801"), &why),
              VariantWith<UnknownCapability>(
                  UnknownCapability{65, FromHex("0000fde801")}));
  EXPECT_THAT(why, HasSubstr("4-octet AS"));
  EXPECT_THAT(why, HasSubstr("1 trailing octets"));
  // ADD-PATH Send/Receive 0 and 4 are undefined (RFC 7911 §4).
  DecodeCapability(69, FromHex("00010100"), &why);
  EXPECT_THAT(why, HasSubstr("Send/Receive value 0"));
  EXPECT_TRUE(std::holds_alternative<UnknownCapability>(
      DecodeCapability(69, FromHex("00010104"))));
  // Route refresh with a value.
  EXPECT_TRUE(std::holds_alternative<UnknownCapability>(
      DecodeCapability(2, FromHex("00"), &why)));
  EXPECT_THAT(why, HasSubstr("Route Refresh"));
  // FQDN whose hostname length overruns.
  DecodeCapability(73, FromHex("09 686f7374"), &why);
  EXPECT_THAT(why, HasSubstr("Hostname"));
  // Passing no `malformed` is fine.
  EXPECT_TRUE(std::holds_alternative<UnknownCapability>(
      DecodeCapability(1, FromHex("0001"))));
}

TEST(CapabilityTest, Names) {
  EXPECT_EQ(CapabilityName(1), "Multiprotocol");
  EXPECT_EQ(CapabilityName(2), "Route Refresh");
  EXPECT_EQ(CapabilityName(65), "4-octet AS");
  EXPECT_EQ(CapabilityName(69), "ADD-PATH");
  EXPECT_EQ(CapabilityName(64), "Graceful Restart");
  EXPECT_EQ(CapabilityName(7), "BGPsec");
  EXPECT_EQ(CapabilityName(200), "capability 200");
  EXPECT_EQ(CapabilityName(0), "capability 0");
  EXPECT_STREQ(RoleName(Role::kProvider), "provider");
  EXPECT_STREQ(RoleName(Role::kRouteServer), "rs");
  EXPECT_STREQ(RoleName(Role::kRouteServerClient), "rs-client");
  EXPECT_STREQ(RoleName(Role::kCustomer), "customer");
  EXPECT_STREQ(RoleName(Role::kPeer), "peer");
  EXPECT_STREQ(RoleName(static_cast<Role>(7)), "unknown");
}

TEST(CapabilityTest, UnknownKeepsItsCodeEvenIfKnown) {
  // A malformed 4-octet AS stays code 65 with its 2 bytes.
  UnknownCapability u{65, {0xfd, 0xe8}};
  EXPECT_EQ(CapabilityCodeOf(u), 65);
  EXPECT_EQ(ToHex(Encode(u)), "4102fde8");
}

TEST(CapabilityTest, EncodeRejectsValuesThatDoNotFit) {
  std::vector<uint8_t> out = {0xaa};
  wire::Writer w(&out);
  EXPECT_EQ(EncodeCapability(
                FqdnCapability{std::string(200, 'h'), std::string(60, 'd')}, w)
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      EncodeCapability(UnknownCapability{200, std::vector<uint8_t>(256)}, w)
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      EncodeCapability(SoftwareVersionCapability{std::string(255, 'v')}, w)
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeCapability(GracefulRestartCapability{0, 4096, {}}, w).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeCapability(GracefulRestartCapability{0x10, 0, {}}, w).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      EncodeCapability(
          LongLivedGracefulRestartCapability{{{kIpv4Unicast, 0, 0x1000000}}}, w)
          .code(),
      absl::StatusCode::kInvalidArgument);
  // Nothing was written by the failed calls.
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.size(), 0u);
  // The largest that fits: 254 octets of version text + its length octet.
  EXPECT_TRUE(
      EncodeCapability(SoftwareVersionCapability{std::string(254, 'v')}, w)
          .ok());
  EXPECT_EQ(w.size(), 257u);
  w.Finish();
  EXPECT_EQ(out[0], 0xaa);  // the writer appended
  EXPECT_EQ(out[1], 75);
  EXPECT_EQ(out[2], 255);
}

TEST(CapabilityTest, FixedBufferTooSmall) {
  uint8_t buf[5];
  wire::Writer w(absl::MakeSpan(buf));
  EXPECT_EQ(EncodeCapability(FourOctetAsCapability{65000}, w).code(),
            absl::StatusCode::kOutOfRange);
  uint8_t ok_buf[6];
  wire::Writer w2(absl::MakeSpan(ok_buf));
  EXPECT_TRUE(EncodeCapability(FourOctetAsCapability{65000}, w2).ok());
  EXPECT_EQ(ToHex(w2.written()), "41040000fde8");
}

// Seeded random typed values: Decode(Encode(x)) == x.
Capability RandomCapability(std::mt19937& rng) {
  auto u8 = [&] { return static_cast<uint8_t>(rng()); };
  auto u16 = [&] { return static_cast<uint16_t>(rng()); };
  auto fam = [&] { return Family(u16(), u8()); };
  auto str = [&](size_t max) {
    std::string s(rng() % (max + 1), ' ');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  };
  const size_t n = rng() % 6;
  switch (rng() % 14) {
    case 0:
      return MultiprotocolCapability{fam(), u8()};
    case 1:
      return RouteRefreshCapability{rng() % 2 == 0};
    case 2: {
      ExtendedNextHopCapability c;
      for (size_t i = 0; i < n; ++i)
        c.entries.push_back(
            {static_cast<Afi>(u16()), u16(), static_cast<Afi>(u16())});
      return c;
    }
    case 3:
      return ExtendedMessageCapability{};
    case 4: {
      MultipleLabelsCapability c;
      for (size_t i = 0; i < n; ++i) c.entries.push_back({fam(), u8()});
      return c;
    }
    case 5:
      return RoleCapability{static_cast<Role>(u8())};
    case 6: {
      GracefulRestartCapability c;
      c.flags = u8() & 0xf;
      c.restart_time = u16() & 0xfff;
      for (size_t i = 0; i < n; ++i) c.entries.push_back({fam(), u8()});
      return c;
    }
    case 7:
      return FourOctetAsCapability{static_cast<uint32_t>(rng())};
    case 8: {
      AddPathCapability c;
      for (size_t i = 0; i < n; ++i)
        c.entries.push_back({fam(), static_cast<AddPathMode>(1 + rng() % 3)});
      return c;
    }
    case 9:
      return EnhancedRouteRefreshCapability{};
    case 10: {
      LongLivedGracefulRestartCapability c;
      for (size_t i = 0; i < n; ++i)
        c.entries.push_back(
            {fam(), u8(), static_cast<uint32_t>(rng()) & 0xffffff});
      return c;
    }
    case 11:
      return FqdnCapability{str(120), str(120)};
    case 12:
      return SoftwareVersionCapability{str(254)};
    default: {
      UnknownCapability c;
      c.code = u8();
      c.value.resize(rng() % 256);
      for (auto& b : c.value) b = u8();
      return c;
    }
  }
}

TEST(CapabilityTest, RandomTypedRoundTrip) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 rng(seed);
    for (int i = 0; i < 2000; ++i) {
      const Capability c = RandomCapability(rng);
      const std::vector<uint8_t> bytes = Encode(c);
      ASSERT_EQ(bytes.size(), CapabilityEncodedSize(c));
      ASSERT_GE(bytes.size(), 2u);
      EXPECT_EQ(bytes[0], CapabilityCodeOf(c));
      ASSERT_EQ(bytes[1], bytes.size() - 2);
      const wire::Bytes value = wire::Bytes(bytes).subspan(2);
      if (std::holds_alternative<UnknownCapability>(c)) {
        // An unknown with a known code may happen to parse: only the bytes
        // must survive.
        EXPECT_EQ(Encode(DecodeCapability(bytes[0], value)), bytes);
      } else {
        std::string why;
        EXPECT_EQ(DecodeCapability(bytes[0], value, &why), c) << why;
      }
    }
  }
}

// Seeded random bytes under every code: Encode(Decode(b)) == b.
TEST(CapabilityTest, RandomBytesRoundTrip) {
  for (uint32_t seed = 10; seed <= 12; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 rng(seed);
    for (int code = 0; code < 256; ++code) {
      for (int i = 0; i < 40; ++i) {
        std::vector<uint8_t> value(rng() % 24);
        for (auto& b : value) b = static_cast<uint8_t>(rng());
        // Make length-prefixed strings and ADD-PATH modes plausible often.
        if (i % 2 == 0 && !value.empty())
          value[0] = static_cast<uint8_t>(value.size() - 1);
        std::vector<uint8_t> want = {static_cast<uint8_t>(code),
                                     static_cast<uint8_t>(value.size())};
        want.insert(want.end(), value.begin(), value.end());
        const Capability c =
            DecodeCapability(static_cast<uint8_t>(code), value);
        EXPECT_EQ(ToHex(Encode(c)), ToHex(want));
      }
    }
  }
}

}  // namespace
}  // namespace bgpy
