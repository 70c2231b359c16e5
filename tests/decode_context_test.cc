// Copyright 2026 The bgpy Authors.
#include "bgpy/decode_context.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/capabilities.h"
#include "bgpy/negotiate.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";

// An UPDATE with ORIGIN IGP, an empty AS_PATH, NEXT_HOP 192.0.2.1 and the
// given IPv4 NLRI field (hex).
std::vector<uint8_t> UpdateWithNlri(const std::string& nlri_hex) {
  const std::string attrs =
      "40010100"
      "400200"
      "400304c0000201";
  const size_t body = 4 + attrs.size() / 2 + nlri_hex.size() / 2;
  return FromHex(absl::StrCat(kMarker, absl::Hex(19 + body, absl::kZeroPad4),
                              "02", "0000", "000e", attrs, nlri_hex));
}

Open OpenWith(uint32_t asn, std::vector<Capability> caps) {
  return Open::Make(asn, 90, asn, std::move(caps));
}

// Issue 10, defect 4: read without path ids, "01020304 20 c1000201" gives
// 0.0.0.0/1 and 0.0.0.0/3 with host bits set on the wire; with path ids it
// is path 16909060, 193.0.2.1/32. tshark picks the latter, and so do we.
TEST(DecodeContextTest, HostBitsMakeAReadingWithoutPathIdsImplausible) {
  const std::vector<uint8_t> msg = UpdateWithNlri("0102030420c1000201");
  const SessionParams p = DecodeContext().For(msg);
  EXPECT_TRUE(p.HasAddPath(kIpv4Unicast));
  absl::StatusOr<UpdateView> v = UpdateView::Parse(msg, p);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(ImplausibleReading(*v));

  SessionParams plain;
  absl::StatusOr<UpdateView> w = UpdateView::Parse(msg, plain);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_TRUE(ImplausibleReading(*w));
}

TEST(DecodeContextTest, PlainPrefixesStayWithoutPathIds) {
  const std::vector<uint8_t> msg = UpdateWithNlri(
      "180a0000"
      "10ac10");
  const SessionParams p = DecodeContext().For(msg);
  EXPECT_FALSE(p.HasAddPath(kIpv4Unicast));
  EXPECT_TRUE(p.four_octet_as);  // 4-octet first: both read an empty path
}

TEST(DecodeContextTest, FixedValuesWin) {
  const std::vector<uint8_t> msg = UpdateWithNlri("0102030420c1000201");
  DecodeContext c(DecodeContext::Fixed{.four_octet_as = false,
                                       .add_path = std::vector<Family>{}});
  ASSERT_EQ(c.Candidates().size(), 1u);
  const SessionParams p = c.For(msg);
  EXPECT_FALSE(p.four_octet_as);
  EXPECT_FALSE(p.HasAddPath(kIpv4Unicast));
}

TEST(DecodeContextTest, TwoOpensGiveBothDirections) {
  const Open a = OpenWith(
      65001, {MultiprotocolCapability{.family = kIpv4Unicast},
              FourOctetAsCapability{.asn = 65001},
              AddPathCapability{.entries = {{.family = kIpv4Unicast,
                                             .mode = AddPathMode::kSend}}}});
  const Open b = OpenWith(
      65002, {MultiprotocolCapability{.family = kIpv4Unicast},
              FourOctetAsCapability{.asn = 65002},
              AddPathCapability{.entries = {{.family = kIpv4Unicast,
                                             .mode = AddPathMode::kReceive}}}});
  const SessionParams ab = ParamsFromOpens(a, b);
  const SessionParams ba = ParamsFromOpens(b, a);
  EXPECT_TRUE(ab.four_octet_as);
  EXPECT_TRUE(ab.HasAddPath(kIpv4Unicast));
  EXPECT_FALSE(ba.HasAddPath(kIpv4Unicast));
  EXPECT_FALSE(ab.extended_message);

  DecodeContext c;
  c.OnOpen(a);
  EXPECT_EQ(c.Candidates().size(), 4u);  // one OPEN: still guessing
  c.OnOpen(b);
  const std::vector<SessionParams> cands = c.Candidates();
  ASSERT_EQ(cands.size(), 2u);
  EXPECT_TRUE(cands[0].HasAddPath(kIpv4Unicast));
  EXPECT_FALSE(cands[1].HasAddPath(kIpv4Unicast));
  EXPECT_TRUE(cands[0].extended_message);  // offline: accept 65535
}

TEST(DecodeContextTest, AddPathOnlyForFamiliesBothOffer) {
  const AddPathCapability both{
      .entries = {{.family = kIpv6Unicast, .mode = AddPathMode::kBoth}}};
  const Open a = OpenWith(65001, {both});  // no MP: IPv4 unicast only
  const Open b =
      OpenWith(65002, {MultiprotocolCapability{.family = kIpv6Unicast}, both});
  EXPECT_FALSE(ParamsFromOpens(a, b).HasAddPath(kIpv6Unicast));
  EXPECT_FALSE(ParamsFromOpens(a, b).four_octet_as);
}

SessionConfig Config(uint32_t asn, uint32_t id, AddPathConfig add_path) {
  SessionConfig c;
  c.local_as = asn;
  c.router_id = id;
  c.add_path.push_back(add_path);
  return c;
}

// Negotiate derives its params from the same function.
TEST(DecodeContextTest, NegotiateAgreesWithParamsFromOpens) {
  const SessionConfig local_config =
      Config(65001, 1, {.family = kIpv4Unicast, .send = true, .receive = true});
  const SessionConfig peer_config =
      Config(65002, 2, {.family = kIpv4Unicast, .receive = true});
  const Open local = BuildOpen(local_config);
  const Open peer = BuildOpen(peer_config);
  absl::StatusOr<Negotiated> n = Negotiate(local_config, local, peer);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->send_params, ParamsFromOpens(local, peer));
  // Negotiate also knows which side is ours: the peer is external.
  SessionParams recv = ParamsFromOpens(peer, local);
  EXPECT_FALSE(recv.external);
  recv.external = true;
  EXPECT_EQ(n->recv_params, recv);
  EXPECT_TRUE(n->AddPathSend(kIpv4Unicast));
  EXPECT_FALSE(n->AddPathReceive(kIpv4Unicast));
}

}  // namespace
}  // namespace bgpy
