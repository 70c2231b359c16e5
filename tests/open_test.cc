// Copyright 2026 The bgpy Authors.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::Fragment;
using ::bgpy::testing::FromHex;
using ::bgpy::testing::Join;
using ::bgpy::testing::ToHex;
using ::testing::ElementsAre;
using ::testing::Optional;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";

std::vector<uint8_t> Encode(const Open& o) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  absl::Status st = EncodeOpen(o, w);
  EXPECT_TRUE(st.ok()) << st;
  w.Finish();
  return out;
}

std::optional<NotificationInfo> NotificationOf(wire::Bytes b) {
  return GetNotification(DecodeOpen(b).status());
}

// Sets the header's length field to the span's size.
std::vector<uint8_t> WithLength(std::vector<uint8_t> m) {
  m[16] = static_cast<uint8_t>(m.size() >> 8);
  m[17] = static_cast<uint8_t>(m.size());
  return m;
}

// A modern OPEN: one Capabilities parameter holding four capabilities.
const std::vector<Fragment> kModernOpen = {
    {kMarker, "marker"},
    {"0033", "length 51"},
    {"01", "type OPEN"},
    {"04", "version 4"},
    {"fde8", "My AS 65000"},
    {"005a", "Hold Time 90"},
    {"c0000201", "BGP Identifier 192.0.2.1"},
    {"16", "Opt Parm Len 22"},
    {"02 14", "parameter: Capabilities, 20 octets"},
    {"01 04 0001 00 01", "Multiprotocol IPv4 unicast (RFC 4760)"},
    {"02 00", "Route Refresh (RFC 2918)"},
    {"41 04 0000fde8", "4-octet AS 65000 (RFC 6793)"},
    {"45 04 0001 01 03", "ADD-PATH IPv4 unicast send/receive (RFC 7911)"},
};

// An older style: one capability per parameter, AS_TRANS as My AS.
const std::vector<Fragment> kOnePerParameterOpen = {
    {kMarker, "marker"},
    {"0035", "length 53"},
    {"01", "type OPEN"},
    {"04", "version 4"},
    {"5ba0", "My AS 23456 (AS_TRANS)"},
    {"00b4", "Hold Time 180"},
    {"0a000001", "BGP Identifier 10.0.0.1"},
    {"18", "Opt Parm Len 24"},
    {"02 06 01 04 0001 00 01", "Capabilities: Multiprotocol IPv4 unicast"},
    {"02 02 02 00", "Capabilities: Route Refresh"},
    {"02 02 80 00", "Capabilities: Route Refresh (Cisco, code 128)"},
    {"02 06 41 04 fa56ea00", "Capabilities: 4-octet AS 4200000000"},
};

// RFC 9072 §2: extended optional parameters length.
const std::vector<Fragment> kExtendedOpen = {
    {kMarker, "marker"},
    {"0029", "length 41"},
    {"01", "type OPEN"},
    {"04", "version 4"},
    {"fde9", "My AS 65001"},
    {"0000", "Hold Time 0"},
    {"0a000002", "BGP Identifier 10.0.0.2"},
    {"ff", "Non-Ext OP Len 255"},
    {"ff", "Non-Ext OP Type 255"},
    {"0009", "Extended Opt. Parm. Length 9"},
    {"02 0006", "Capabilities, 2-octet length 6"},
    {"01 04 0002 00 01", "Multiprotocol IPv6 unicast"},
};

// The smallest OPEN: no optional parameters.
const std::vector<Fragment> kBareOpen = {
    {kMarker, "marker"},    {"001d", "length 29"},    {"01", "type OPEN"},
    {"04", "version 4"},    {"0001", "My AS 1"},      {"0003", "Hold Time 3"},
    {"01020304", "BGP Id"}, {"00", "Opt Parm Len 0"},
};

TEST(OpenTest, ModernGolden) {
  const std::vector<uint8_t> bytes = Join(kModernOpen);
  absl::StatusOr<Open> o = DecodeOpen(bytes);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->version, 4);
  EXPECT_EQ(o->my_as, 65000);
  EXPECT_EQ(o->hold_time, 90);
  EXPECT_EQ(o->bgp_id, 0xc0000201u);
  EXPECT_FALSE(o->extended_parameters);
  ASSERT_EQ(o->parameters.size(), 1u);
  EXPECT_EQ(o->parameters[0].type, kOptParamCapabilities);
  EXPECT_THAT(
      o->parameters[0].capabilities,
      ElementsAre(
          Capability(MultiprotocolCapability{kIpv4Unicast, 0}),
          Capability(RouteRefreshCapability{false}),
          Capability(FourOctetAsCapability{65000}),
          Capability(AddPathCapability{{{kIpv4Unicast, AddPathMode::kBoth}}})));
  EXPECT_EQ(o->Capabilities().size(), 4u);
  EXPECT_EQ(o->EffectiveAs(), 65000u);
  ASSERT_NE(o->Find<AddPathCapability>(), nullptr);
  EXPECT_EQ(o->Find<GracefulRestartCapability>(), nullptr);
  EXPECT_EQ(ToHex(Encode(*o)), ToHex(bytes));

  // Open::Make builds the same message.
  Open made =
      Open::Make(65000, 90, 0xc0000201,
                 {MultiprotocolCapability{kIpv4Unicast, 0},
                  RouteRefreshCapability{}, FourOctetAsCapability{65000},
                  AddPathCapability{{{kIpv4Unicast, AddPathMode::kBoth}}}});
  EXPECT_EQ(made, *o);
  EXPECT_EQ(ToHex(Encode(made)), ToHex(bytes));
}

TEST(OpenTest, OneCapabilityPerParameterGolden) {
  const std::vector<uint8_t> bytes = Join(kOnePerParameterOpen);
  absl::StatusOr<Open> o = DecodeOpen(bytes);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->my_as, kAsTrans);
  EXPECT_EQ(o->hold_time, 180);
  ASSERT_EQ(o->parameters.size(), 4u);
  for (const auto& p : o->parameters) EXPECT_EQ(p.capabilities.size(), 1u);
  EXPECT_EQ(o->EffectiveAs(), 4200000000u);
  const auto caps = o->Capabilities();
  ASSERT_EQ(caps.size(), 4u);
  EXPECT_EQ(*caps[2], Capability(RouteRefreshCapability{true}));
  // Re-encodes with the same parameter layout.
  EXPECT_EQ(ToHex(Encode(*o)), ToHex(bytes));

  // Open::Make for a 4-octet AS puts AS_TRANS in My AS.
  Open made = Open::Make(4200000000u, 180, 0x0a000001,
                         {FourOctetAsCapability{4200000000u}});
  EXPECT_EQ(made.my_as, kAsTrans);
  EXPECT_EQ(made.EffectiveAs(), 4200000000u);
}

TEST(OpenTest, ExtendedLengthGolden) {
  const std::vector<uint8_t> bytes = Join(kExtendedOpen);
  absl::StatusOr<Open> o = DecodeOpen(bytes);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->extended_parameters);
  EXPECT_EQ(o->EffectiveAs(), 65001u);
  ASSERT_EQ(o->parameters.size(), 1u);
  EXPECT_THAT(
      o->parameters[0].capabilities,
      ElementsAre(Capability(MultiprotocolCapability{kIpv6Unicast, 0})));
  EXPECT_EQ(ToHex(Encode(*o)), ToHex(bytes));
  // The same OPEN without the flag uses the short form.
  Open short_form = *o;
  short_form.extended_parameters = false;
  EXPECT_EQ(
      ToHex(Encode(short_form)),
      ToHex(FromHex(absl::StrCat(
          kMarker, "0025 01 04 fde9 0000 0a000002 08 0206 01040002 0001"))));
}

TEST(OpenTest, BareGolden) {
  const std::vector<uint8_t> bytes = Join(kBareOpen);
  absl::StatusOr<Open> o = DecodeOpen(bytes);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->parameters.empty());
  EXPECT_TRUE(o->Capabilities().empty());
  EXPECT_EQ(o->EffectiveAs(), 1u);
  EXPECT_EQ(ToHex(Encode(*o)), ToHex(bytes));
  EXPECT_EQ(Open::Make(1, 3, 0x01020304, {}), *o);
}

// Cutting a golden OPEN anywhere: with the header length left as it was the
// framing is wrong (1/2, data = length field); with the length fixed up,
// shorter than 29 is 1/2 and anything else is an inconsistent optional
// parameter length (2/0).
TEST(OpenTest, TruncationAtEveryByte) {
  for (const auto* golden :
       {&kModernOpen, &kOnePerParameterOpen, &kExtendedOpen, &kBareOpen}) {
    const std::vector<uint8_t> full = Join(*golden);
    SCOPED_TRACE(ToHex(full));
    for (size_t n = 0; n < full.size(); ++n) {
      SCOPED_TRACE(absl::StrCat("cut at ", n));
      std::vector<uint8_t> cut(full.begin(), full.begin() + n);
      absl::Status st = DecodeOpen(cut).status();
      ASSERT_FALSE(st.ok());
      if (n < kHeaderSize) {
        // Not a message at all: a caller mistake, nothing to send.
        EXPECT_EQ(GetNotification(st), std::nullopt);
        continue;
      }
      EXPECT_THAT(GetNotification(st),
                  Optional(NotificationInfo{1, 2, {full[16], full[17]}}));
      const std::vector<uint8_t> fixed = WithLength(cut);
      if (n < 29) {
        EXPECT_THAT(
            NotificationOf(fixed),
            Optional(NotificationInfo{1, 2, {0, static_cast<uint8_t>(n)}}));
      } else {
        EXPECT_THAT(NotificationOf(fixed),
                    Optional(NotificationInfo{2, 0, {}}));
      }
    }
  }
}

TEST(OpenTest, UnsupportedVersion) {
  std::vector<uint8_t> b = Join(kModernOpen);
  for (uint8_t v : {0, 1, 2, 3, 5, 255}) {
    b[19] = v;
    absl::Status st = DecodeOpen(b).status();
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    // RFC 4271 §6.2: data is the largest supported version, 2 octets.
    EXPECT_THAT(GetNotification(st), Optional(NotificationInfo{2, 1, {0, 4}}));
  }
}

TEST(OpenTest, UnsupportedOptionalParameter) {
  // Type 1 (deprecated Authentication, RFC 5492 §4) with 2 octets.
  std::vector<uint8_t> b = FromHex(
      absl::StrCat(kMarker, "0021 01 04 fde8 005a c0000201 04 01 02 abcd"));
  EXPECT_THAT(NotificationOf(b), Optional(NotificationInfo{2, 4, {}}));
  // An unknown type after a valid capabilities parameter.
  b = FromHex(absl::StrCat(kMarker,
                           "0025 01 04 fde8 005a c0000201 08 0202 0200 "
                           "03 02 abcd"));
  EXPECT_THAT(NotificationOf(b), Optional(NotificationInfo{2, 4, {}}));
  // Extended form, unknown type.
  b = FromHex(absl::StrCat(kMarker,
                           "0025 01 04 fde8 005a c0000201 ff ff 0005 "
                           "07 0002 abcd"));
  EXPECT_THAT(NotificationOf(b), Optional(NotificationInfo{2, 4, {}}));
}

TEST(OpenTest, InconsistentLengths) {
  struct Case {
    const char* what;
    std::string body;  // after the header; the length field is set for it
  };
  const Case cases[] = {
      {"opt len beyond the message", "04 fde8 005a c0000201 05 0202 0200"},
      {"opt len short of the message", "04 fde8 005a c0000201 03 0202 0200"},
      {"parameter overruns opt len", "04 fde8 005a c0000201 04 0203 0200"},
      {"parameter length missing", "04 fde8 005a c0000201 01 02"},
      {"capability overruns parameter",
       "04 fde8 005a c0000201 06 0204 4104 0000"},
      {"capability header cut", "04 fde8 005a c0000201 03 0201 41"},
      {"extended length beyond",
       "04 fde8 005a c0000201 ff ff 0006 020002 0200"},
      {"extended length short", "04 fde8 005a c0000201 ff ff 0004 020002 0200"},
      {"extended length cut", "04 fde8 005a c0000201 ff ff 00"},
      {"extended parameter overruns",
       "04 fde8 005a c0000201 ff ff 0004 020002 02"},
      {"opt len 255 with only 1 octet", "04 fde8 005a c0000201 ff 02"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::vector<uint8_t> b =
        WithLength(FromHex(absl::StrCat(kMarker, "0000 01", c.body)));
    EXPECT_THAT(NotificationOf(b), Optional(NotificationInfo{2, 0, {}}));
  }
}

TEST(OpenTest, FramingErrors) {
  std::vector<uint8_t> b = Join(kModernOpen);
  // Length field disagrees with the bytes given.
  b[17] = 0x34;
  EXPECT_THAT(NotificationOf(b),
              Optional(NotificationInfo{1, 2, {0x00, 0x34}}));
  // Not an OPEN: a caller mistake, no NOTIFICATION.
  b = Join(kModernOpen);
  b[18] = 2;
  absl::Status st = DecodeOpen(b).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetNotification(st), std::nullopt);
  EXPECT_FALSE(DecodeOpen({}).ok());
}

TEST(OpenTest, MalformedCapabilityIsKeptAndRoundTrips) {
  // A 4-octet AS capability of 2 octets: kept as unknown, not an error.
  std::vector<uint8_t> b = FromHex(
      absl::StrCat(kMarker, "0023 01 04 fde8 005a c0000201 06 0204 4102 fde9"));
  absl::StatusOr<Open> o = DecodeOpen(b);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->parameters[0].capabilities,
              ElementsAre(Capability(UnknownCapability{65, {0xfd, 0xe9}})));
  EXPECT_EQ(o->EffectiveAs(), 65000u);
  EXPECT_EQ(ToHex(Encode(*o)), ToHex(b));
}

TEST(OpenTest, EmptyCapabilitiesParameterRoundTrips) {
  std::vector<uint8_t> b =
      FromHex(absl::StrCat(kMarker, "001f 01 04 fde8 005a c0000201 02 0200"));
  absl::StatusOr<Open> o = DecodeOpen(b);
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_EQ(o->parameters.size(), 1u);
  EXPECT_TRUE(o->parameters[0].capabilities.empty());
  EXPECT_EQ(ToHex(Encode(*o)), ToHex(b));
}

TEST(OpenTest, EncodeChoosesExtendedWhenNeeded) {
  std::vector<Capability> caps;
  for (int i = 0; i < 50; ++i)
    caps.push_back(
        MultiprotocolCapability{Family(1, static_cast<uint8_t>(i)), 0});
  Open o = Open::Make(65000, 90, 1, caps);  // 300 octets of capabilities
  const std::vector<uint8_t> b = Encode(o);
  ASSERT_EQ(b.size(), 19u + 10 + 3 + 3 + 300);
  EXPECT_EQ(b[28], 255);  // Non-Ext OP Len
  EXPECT_EQ(b[29], 255);  // Non-Ext OP Type
  EXPECT_EQ(b[30] << 8 | b[31], 303);
  EXPECT_EQ(b[32], 2);
  EXPECT_EQ(b[33] << 8 | b[34], 300);
  absl::StatusOr<Open> back = DecodeOpen(b);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->extended_parameters);
  o.extended_parameters = true;
  EXPECT_EQ(*back, o);

  // 42 capabilities (252 octets) + 2 octets of parameter header = 254 still
  // fits the short form.
  caps.resize(42);
  o = Open::Make(65000, 90, 1, caps);
  EXPECT_EQ(Encode(o)[28], 254);
}

TEST(OpenTest, EncodeRejects) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  Open o;
  o.parameters.push_back({kOptParamExtendedLength, {}, {}});
  EXPECT_EQ(EncodeOpen(o, w).code(), absl::StatusCode::kInvalidArgument);
  // Too big for 4096 octets (RFC 8654 keeps OPEN at 4096).
  Open big;
  for (int i = 0; i < 20; ++i) {
    OptionalParameter p;
    for (int j = 0; j < 40; ++j)
      p.capabilities.push_back(FourOctetAsCapability{static_cast<uint32_t>(j)});
    big.parameters.push_back(p);
  }
  EXPECT_EQ(EncodeOpen(big, w).code(), absl::StatusCode::kOutOfRange);
  // A fixed buffer that is too small.
  uint8_t buf[28];
  wire::Writer small(absl::MakeSpan(buf));
  EXPECT_EQ(EncodeOpen(Open{}, small).code(), absl::StatusCode::kOutOfRange);
}

TEST(OpenTest, OtherParameterTypesEncodeRaw) {
  Open o;
  o.my_as = 1;
  o.parameters.push_back({1, {}, {0xab, 0xcd}});
  EXPECT_EQ(ToHex(Encode(o)),
            ToHex(FromHex(absl::StrCat(kMarker,
                                       "0021 01 04 0001 005a 00000000 04 "
                                       "01 02 abcd"))));
}

TEST(OpenTest, RandomRoundTrip) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 rng(seed);
    for (int i = 0; i < 500; ++i) {
      Open o;
      o.my_as = static_cast<uint16_t>(rng());
      o.hold_time = static_cast<uint16_t>(rng());
      o.bgp_id = static_cast<uint32_t>(rng());
      o.extended_parameters = rng() % 4 == 0;
      const int params = static_cast<int>(rng() % 4);
      for (int p = 0; p < params; ++p) {
        OptionalParameter op;
        const int caps = static_cast<int>(rng() % 5);
        for (int c = 0; c < caps; ++c) {
          switch (rng() % 5) {
            case 0:
              op.capabilities.push_back(
                  MultiprotocolCapability{Family(static_cast<uint16_t>(rng()),
                                                 static_cast<uint8_t>(rng())),
                                          0});
              break;
            case 1:
              op.capabilities.push_back(RouteRefreshCapability{rng() % 2 == 1});
              break;
            case 2:
              op.capabilities.push_back(
                  FourOctetAsCapability{static_cast<uint32_t>(rng())});
              break;
            case 3:
              op.capabilities.push_back(
                  FqdnCapability{std::string(rng() % 40, 'h'), "example"});
              break;
            default: {
              UnknownCapability u{static_cast<uint8_t>(200 + rng() % 50), {}};
              u.value.resize(rng() % 30, static_cast<uint8_t>(rng()));
              op.capabilities.push_back(u);
            }
          }
        }
        o.parameters.push_back(op);
      }
      const std::vector<uint8_t> b = Encode(o);
      absl::StatusOr<Open> back = DecodeOpen(b);
      ASSERT_TRUE(back.ok()) << back.status() << " " << ToHex(b);
      // Big parameter sets switch to the extended form by themselves.
      if (back->extended_parameters && !o.extended_parameters) {
        o.extended_parameters = true;
      }
      EXPECT_EQ(*back, o) << ToHex(b);
      EXPECT_EQ(Encode(*back), b);
    }
  }
}

// Seeded mutations of the goldens (header left valid): decoding never
// crashes, and whatever decodes re-encodes to the same bytes.
TEST(OpenTest, MutatedGoldensDecodeOrFailCleanly) {
  const uint32_t seed = 2026;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  int decoded = 0;
  for (const auto* golden :
       {&kModernOpen, &kOnePerParameterOpen, &kExtendedOpen, &kBareOpen}) {
    const std::vector<uint8_t> full = Join(*golden);
    for (int i = 0; i < 3000; ++i) {
      std::vector<uint8_t> b = full;
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < flips; ++k) {
        // Leave version alone most of the time so the body gets exercised.
        const size_t at = 20 + rng() % (b.size() - 20);
        b[at] = static_cast<uint8_t>(
            rng() % 4 == 0 ? rng() : b[at] ^ (1 << (rng() % 8)));
      }
      if (rng() % 3 == 0) b.resize(29 + rng() % (b.size() - 28));
      b = WithLength(b);
      absl::StatusOr<Open> o = DecodeOpen(b);
      if (!o.ok()) {
        EXPECT_TRUE(GetNotification(o.status()).has_value()) << o.status();
        continue;
      }
      ++decoded;
      EXPECT_EQ(ToHex(Encode(*o)), ToHex(b));
    }
  }
  EXPECT_GT(decoded, 100);
}

}  // namespace
}  // namespace bgpy
