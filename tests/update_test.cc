#include "bgpy/update.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "bgpy/message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";

// A hand-built UPDATE, one field per line.
const std::vector<bgpy::testing::Fragment> kGolden = {
    {"ffffffffffffffffffffffffffffffff", "marker"},
    {"003b", "length 59"},
    {"02", "type UPDATE"},
    {"0000", "withdrawn routes length 0"},
    {"001b", "total path attribute length 27"},
    {"40 01 01 00", "ORIGIN IGP"},
    {"40 02 06 02 01 0000fde8", "AS_PATH sequence [65000], 4-octet"},
    {"40 03 04 c0000201", "NEXT_HOP 192.0.2.1"},
    {"80 04 04 00000064", "MED 100"},
    {"18 0a0000", "10.0.0.0/24"},
    {"20 0a000101", "10.0.1.1/32"},
};

std::vector<uint8_t> WithLength(std::vector<uint8_t> m) {
  m[16] = static_cast<uint8_t>(m.size() >> 8);
  m[17] = static_cast<uint8_t>(m.size());
  return m;
}

// Builds an UPDATE from hex body parts (withdrawn, attributes, nlri).
std::vector<uint8_t> MakeUpdate(const std::string& withdrawn,
                                const std::string& attrs,
                                const std::string& nlri) {
  auto w = FromHex(withdrawn), a = FromHex(attrs), n = FromHex(nlri);
  std::vector<uint8_t> m = FromHex(std::string(kMarker) + "0000" + "02");
  m.push_back(w.size() >> 8);
  m.push_back(w.size() & 0xff);
  m.insert(m.end(), w.begin(), w.end());
  m.push_back(a.size() >> 8);
  m.push_back(a.size() & 0xff);
  m.insert(m.end(), a.begin(), a.end());
  m.insert(m.end(), n.begin(), n.end());
  return WithLength(m);
}

constexpr char kBaseAttrs[] =
    "40010100"  // ORIGIN IGP
    "4002060201"
    "0000fde8"         // AS_PATH 65000
    "400304c0000201";  // NEXT_HOP 192.0.2.1

std::vector<std::string> Prefixes(const NlriView& v) {
  std::vector<std::string> out;
  for (const auto& e : v) {
    auto p = DecodeIpPrefix(v.family().afi, e.bytes);
    EXPECT_TRUE(p.ok()) << p.status();
    std::string s = p.ok() ? p->ToString() : "?";
    if (e.path_id) absl::StrAppend(&s, "#", *e.path_id);
    out.push_back(s);
  }
  return out;
}

uint8_t Subcode(const absl::Status& st) {
  auto n = GetNotification(st);
  EXPECT_TRUE(n.has_value()) << st;
  return n ? n->subcode : 255;
}

TEST(UpdateViewTest, GoldenFields) {
  const auto msg = bgpy::testing::Join(kGolden);
  ASSERT_EQ(msg.size(), 59u);
  auto v = UpdateView::Parse(msg, SessionParams{});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kOk);
  EXPECT_TRUE(v->withdrawn().empty());
  EXPECT_THAT(Prefixes(v->nlri()),
              ::testing::ElementsAre("10.0.0.0/24", "10.0.1.1/32"));
  EXPECT_EQ(v->origin(), Origin::kIgp);
  ASSERT_TRUE(v->as_path().has_value());
  EXPECT_EQ(v->as_path()->ToString(), "65000");
  EXPECT_EQ(v->next_hop()->ToString(), "192.0.2.1");
  EXPECT_EQ(v->med(), 100u);
  EXPECT_FALSE(v->local_pref().has_value());
  EXPECT_FALSE(v->mp_reach().has_value());
  EXPECT_FALSE(v->end_of_rib().has_value());
  int n = 0;
  for (const auto& a : v->attributes()) {
    EXPECT_EQ(a.code, std::vector<int>({1, 2, 3, 4})[n]);
    ++n;
  }
  EXPECT_EQ(n, 4);
}

TEST(UpdateViewTest, OwnedRoundTripIsByteIdentical) {
  const auto msg = bgpy::testing::Join(kGolden);
  auto u = DecodeUpdate(msg, SessionParams{});
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->nlri.size(), 2u);
  EXPECT_EQ(u->attributes.size(), 4u);
  auto e = EncodeMessage(Message(*u), SessionParams{});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(ToHex(*e), ToHex(msg));
}

// Truncating the message at every octet (and fixing the length field) gives
// the error RFC 4271 §6 prescribes for the field that was cut.
TEST(UpdateViewTest, TruncationAtEveryOctet) {
  const auto full = bgpy::testing::Join(kGolden);
  for (size_t cut = kHeaderSize; cut < full.size(); ++cut) {
    SCOPED_TRACE(cut);
    auto m = WithLength(std::vector<uint8_t>(full.begin(), full.begin() + cut));
    auto v = UpdateView::Parse(m, SessionParams{});
    if (cut < 23) {
      ASSERT_FALSE(v.ok());
      auto n = GetNotification(v.status());
      ASSERT_TRUE(n);
      EXPECT_EQ(n->code, 1);  // header: UPDATE is at least 23 octets
      EXPECT_EQ(n->subcode, 2);
    } else if (cut < 23 + 27) {
      ASSERT_FALSE(v.ok());
      EXPECT_EQ(Subcode(v.status()), 1);  // Malformed Attribute List
    } else if (cut == 50 || cut == 54) {
      // Between NLRI entries: a valid UPDATE with fewer routes.
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_EQ(v->nlri().size(), cut == 50 ? 0u : 1u);
    } else {
      ASSERT_FALSE(v.ok());
      EXPECT_EQ(Subcode(v.status()), 10);  // Invalid Network Field
    }
  }
}

TEST(UpdateViewTest, OverlongFieldLengths) {
  // Withdrawn length beyond the message.
  auto m = MakeUpdate("", "", "");
  m[20] = 5;
  EXPECT_EQ(Subcode(UpdateView::Parse(m, SessionParams{}).status()), 1);
}

TEST(UpdateViewTest, Rfc7606Verdicts) {
  std::vector<Finding> f;
  // ORIGIN 3 is malformed: treat-as-withdraw (RFC 7606 §7.1).
  auto bad_origin = MakeUpdate("",
                               "40010103"
                               "4002060201"
                               "0000fde8"
                               "400304c0000201",
                               "180a0000");
  auto v = UpdateView::Parse(bad_origin, SessionParams{}, &f);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kTreatAsWithdraw);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].attr_code, 1);

  // A repeated MED: discard the repeat (RFC 7606 §3(g)).
  f.clear();
  auto dup = MakeUpdate(
      "", std::string(kBaseAttrs) + "800404000000648004040000000a", "180a0000");
  v = UpdateView::Parse(dup, SessionParams{}, &f);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  EXPECT_EQ(v->med(), 100u);  // the first one counts

  // Missing NEXT_HOP with IPv4 NLRI: treat-as-withdraw (RFC 7606 §3(d)).
  auto no_nh = MakeUpdate("",
                          "40010100"
                          "4002060201"
                          "0000fde8",
                          "180a0000");
  v = UpdateView::Parse(no_nh, SessionParams{});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kTreatAsWithdraw);

  // ORIGIN with the Optional bit: flags conflict, treat-as-withdraw.
  auto flags = MakeUpdate("",
                          "c0010100"
                          "4002060201"
                          "0000fde8"
                          "400304c0000201",
                          "180a0000");
  v = UpdateView::Parse(flags, SessionParams{});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kTreatAsWithdraw);
  EXPECT_FALSE(v->origin().has_value());
}

TEST(UpdateViewTest, SessionResets) {
  // Two MP_REACH_NLRI: session reset (RFC 7606 §3(g)).
  const std::string mp =
      "900e0015"
      "0002"
      "01"
      "10"
      "20010db8000000000000000000000001"
      "00";
  auto two = MakeUpdate("", std::string(kBaseAttrs) + mp + mp, "");
  auto v = UpdateView::Parse(two, SessionParams{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(Subcode(v.status()), 1);

  // An unrecognized well-known attribute (RFC 4271 §6.3): 3/2, data = it.
  auto unk = MakeUpdate("", std::string(kBaseAttrs) + "405a0100", "180a0000");
  v = UpdateView::Parse(unk, SessionParams{});
  ASSERT_FALSE(v.ok());
  auto n = GetNotification(v.status());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->subcode, 2);
  EXPECT_EQ(ToHex(n->data), "405a0100");

  // Treat-as-withdraw with nothing to withdraw becomes a reset.
  auto empty = MakeUpdate("", "40010103", "");
  v = UpdateView::Parse(empty, SessionParams{});
  ASSERT_FALSE(v.ok());

  // Attribute length overrunning the attribute field.
  auto overrun = MakeUpdate("", "400104", "");
  v = UpdateView::Parse(overrun, SessionParams{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(Subcode(v.status()), 1);
}

// RFC 7606 §4 (issue 10, defect 3): an attribute whose length runs past the
// end of the attribute list is treat-as-withdraw when its header is readable
// and it is not MP_REACH/MP_UNREACH; the total attribute length still
// locates the NLRI, which is withdrawn.
TEST(UpdateViewTest, AttributeOverrunIsTreatAsWithdraw) {
  // COMMUNITIES claiming 8 octets with 4 left, then NLRI 10.0.0.0/24.
  auto m =
      MakeUpdate("", std::string(kBaseAttrs) + "c00808fde80001", "180a0000");
  std::vector<Finding> findings;
  auto v = UpdateView::Parse(m, SessionParams{}, &findings);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kTreatAsWithdraw);
  ASSERT_FALSE(findings.empty());
  EXPECT_THAT(findings.back().detail, ::testing::HasSubstr("COMMUNITIES"));
  EXPECT_THAT(Prefixes(v->nlri()), ::testing::ElementsAre("10.0.0.0/24"));
  EXPECT_FALSE(v->Find(AttrCode::kCommunities).has_value());

  // The same overrun in MP_REACH_NLRI: its NLRI would be lost, so the
  // session is reset (RFC 7606 §3, last paragraph): 3/1.
  auto mp = MakeUpdate("", std::string(kBaseAttrs) + "800e2000020110", "");
  v = UpdateView::Parse(mp, SessionParams{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(Subcode(v.status()), 1);
  // And in MP_UNREACH_NLRI.
  auto mpu = MakeUpdate("", std::string(kBaseAttrs) + "800f10000201", "");
  v = UpdateView::Parse(mpu, SessionParams{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(Subcode(v.status()), 1);
}

TEST(UpdateViewTest, UnknownOptionalAttributePassesThrough) {
  auto m = MakeUpdate("", std::string(kBaseAttrs) + "c0630300aabb", "180a0000");
  auto v = UpdateView::Parse(m, SessionParams{});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kOk);
  auto a = v->Find(99);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(ToHex(a->value), "00aabb");
  auto u = v->ToOwned();
  auto e = EncodeMessage(Message(u), SessionParams{});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToHex(*e), ToHex(m));
}

TEST(UpdateViewTest, AddPathIpv4) {
  SessionParams p;
  p.SetAddPath(kIpv4Unicast, true);
  auto m = MakeUpdate(
      "00000007"
      "200a000009",
      kBaseAttrs,
      "00000001"
      "180a0000"
      "00000002"
      "180a0000");
  auto v = UpdateView::Parse(m, p);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_THAT(Prefixes(v->withdrawn()),
              ::testing::ElementsAre("10.0.0.9/32#7"));
  EXPECT_THAT(Prefixes(v->nlri()),
              ::testing::ElementsAre("10.0.0.0/24#1", "10.0.0.0/24#2"));
  // Without ADD-PATH the same bytes do not parse as prefixes.
  EXPECT_FALSE(UpdateView::Parse(m, SessionParams{}).ok());
  auto e = EncodeMessage(Message(v->ToOwned()), p);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToHex(*e), ToHex(m));
}

TEST(UpdateViewTest, MpReachIpv6AndEndOfRib) {
  const std::string mp =
      "900e0023"
      "0002"
      "01"
      "10"
      "20010db8000000000000000000000001"
      "00"
      "20"
      "20010db8"  // 2001:db8::/32
      "40"
      "20010db800010002";  // 2001:db8:1:2::/64
  auto m = MakeUpdate("",
                      "40010100"
                      "4002060201"
                      "0000fde8" +
                          mp,
                      "");
  auto v = UpdateView::Parse(m, SessionParams{});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kOk);
  auto nl = v->mp_reach_nlri();
  ASSERT_TRUE(nl);
  EXPECT_EQ(nl->family(), kIpv6Unicast);
  EXPECT_THAT(Prefixes(*nl),
              ::testing::ElementsAre("2001:db8::/32", "2001:db8:1:2::/64"));
  EXPECT_EQ(ToHex(v->mp_reach()->next_hop), "20010db8000000000000000000000001");

  auto eor4 = UpdateBuilder::EndOfRib(kIpv4Unicast);
  auto e4 = UpdateView::Parse(eor4, SessionParams{});
  ASSERT_TRUE(e4.ok());
  EXPECT_EQ(e4->end_of_rib(), kIpv4Unicast);
  auto eor6 = UpdateBuilder::EndOfRib(kIpv6Unicast);
  auto e6 = UpdateView::Parse(eor6, SessionParams{});
  ASSERT_TRUE(e6.ok()) << e6.status();
  EXPECT_EQ(e6->end_of_rib(), kIpv6Unicast);
}

TEST(UpdateViewTest, BadMpNextHopLengthIsAReset) {
  const std::string mp =
      "900e000a"
      "0002"
      "01"
      "05"
      "0102030405"
      "00";
  auto m = MakeUpdate("",
                      std::string("40010100") +
                          "4002060201"
                          "0000fde8" +
                          mp,
                      "");
  auto v = UpdateView::Parse(m, SessionParams{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(Subcode(v.status()), 9);
}

TEST(UpdateViewTest, OpaqueFamilyRoundTrips) {
  // AFI 25 / SAFI 70 (EVPN) is opaque for now: kept as bytes.
  const std::string mp =
      "900e000e"
      "0019"
      "46"
      "04"
      "c0000201"
      "00"
      "0203aabbcc";
  auto m = MakeUpdate("", std::string("40010100") + "400200" + mp, "");
  auto v = UpdateView::Parse(m, SessionParams{});
  ASSERT_TRUE(v.ok()) << v.status();
  auto nl = v->mp_reach_nlri();
  ASSERT_TRUE(nl);
  ASSERT_EQ(nl->size(), 1u);
  EXPECT_EQ(ToHex(nl->begin()->bytes), "0203aabbcc");
  auto e = EncodeMessage(Message(v->ToOwned()), SessionParams{});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToHex(*e), ToHex(m));
}

TEST(UpdateViewTest, TwoOctetAsMergesAs4Path) {
  SessionParams p;
  p.four_octet_as = false;
  // AS_PATH [100 23456], AS4_PATH [4200000000].
  auto m = MakeUpdate("",
                      "40010100"
                      "4002060202"
                      "00645ba0"
                      "400304c0000201"
                      "c011060201"
                      "fa56ea00",
                      "180a0000");
  auto v = UpdateView::Parse(m, p);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(v->as_path());
  EXPECT_EQ(v->as_path()->ToString(), "100 4200000000");
}

// RFC 6793 §4.2.3: when AGGREGATOR carries an AS other than AS_TRANS, the
// aggregating speaker was OLD and AS4_PATH (and AS4_AGGREGATOR) are to be
// ignored: AS_PATH alone is the path.
TEST(UpdateViewTest, As4PathIgnoredWhenAggregatorIsNotAsTrans) {
  SessionParams p;
  p.four_octet_as = false;
  const std::vector<uint8_t> m = MakeUpdate(
      "",
      "40 01 01 00"               // ORIGIN IGP
      "40 02 06 02 02 0064 5ba0"  // AS_PATH sequence [100 23456], 2-octet
      "40 03 04 c0000201"         // NEXT_HOP 192.0.2.1
      "c0 07 06 00c8 c0000209"    // AGGREGATOR AS 200, 192.0.2.9
      "c0 11 06 02 01 fa56ea00",  // AS4_PATH sequence [4200000000]
      "18 0a0000");               // 10.0.0.0/24
  auto v = UpdateView::Parse(m, p);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(v->as_path().has_value());
  EXPECT_EQ(v->as_path()->ToString(), "100 23456");
}

// The same UPDATE with AGGREGATOR AS_TRANS still merges AS4_PATH.
TEST(UpdateViewTest, As4PathMergedWhenAggregatorIsAsTrans) {
  SessionParams p;
  p.four_octet_as = false;
  const std::vector<uint8_t> m = MakeUpdate(
      "",
      "40 01 01 00"                  // ORIGIN IGP
      "40 02 06 02 02 0064 5ba0"     // AS_PATH sequence [100 23456], 2-octet
      "40 03 04 c0000201"            // NEXT_HOP 192.0.2.1
      "c0 07 06 5ba0 c0000209"       // AGGREGATOR AS_TRANS, 192.0.2.9
      "c0 11 06 02 01 fa56ea00"      // AS4_PATH sequence [4200000000]
      "c0 12 08 fa56ea00 c0000209",  // AS4_AGGREGATOR 4200000000, 192.0.2.9
      "18 0a0000");                  // 10.0.0.0/24
  auto v = UpdateView::Parse(m, p);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(v->as_path().has_value());
  EXPECT_EQ(v->as_path()->ToString(), "100 4200000000");
}

TEST(UpdateBuilderTest, PacksIntoFewestMessages) {
  SessionParams p;
  UpdateBuilder b(p);
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{{AsPathSegment{AsSegmentType::kSequence, {65000}}}};
  attrs.next_hop = *IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(b.SetAttributes(attrs, kIpv4Unicast).ok());
  std::vector<uint8_t> out;
  auto start = *Prefix::Parse("10.0.0.0/32");
  const int kCount = 2000;
  for (int i = 0; i < kCount; ++i) {
    auto pfx = *start.Advance(i);
    if (!b.Announce(pfx)) {
      b.Flush(out);
      ASSERT_TRUE(b.Announce(pfx));
    }
  }
  b.Flush(out);
  // Walk the stream: every message parses, fits 4096, routes in order.
  MessageSplitter s;
  s.Feed(out);
  int messages = 0, routes = 0;
  size_t attr_len = 0;
  for (;;) {
    auto next = s.Next();
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    ++messages;
    EXPECT_LE((*next)->size(), 4096u);
    auto v = UpdateView::Parse(**next, p);
    ASSERT_TRUE(v.ok()) << v.status();
    attr_len = v->attributes_bytes().size();
    for (const auto& e : v->nlri()) {
      auto pf = DecodeIpPrefix(Afi::kIpv4, e.bytes);
      ASSERT_TRUE(pf.ok());
      EXPECT_EQ(*pf, *start.Advance(routes));
      ++routes;
    }
  }
  EXPECT_EQ(routes, kCount);
  const size_t per_message = (4096 - 23 - attr_len) / 5;
  EXPECT_EQ(messages,
            static_cast<int>((kCount + per_message - 1) / per_message));
}

TEST(UpdateBuilderTest, Ipv6WithdrawAndAnnounceWithAddPath) {
  SessionParams p;
  p.SetAddPath(kIpv6Unicast, true);
  UpdateBuilder b(p);
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{};
  auto nh = FromHex("20010db8000000000000000000000001");
  ASSERT_TRUE(b.SetAttributes(attrs, kIpv6Unicast, nh).ok());
  ASSERT_TRUE(b.Announce(*Prefix::Parse("2001:db8::/48"), 5));
  ASSERT_TRUE(b.Withdraw(*Prefix::Parse("2001:db8:1::/48"), 6));
  std::vector<uint8_t> out;
  ASSERT_GT(b.Flush(out), 0u);
  auto v = UpdateView::Parse(out, p);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_THAT(Prefixes(*v->mp_reach_nlri()),
              ::testing::ElementsAre("2001:db8::/48#5"));
  EXPECT_THAT(Prefixes(*v->mp_unreach_nlri()),
              ::testing::ElementsAre("2001:db8:1::/48#6"));
  EXPECT_EQ(b.pending(), 0u);
  EXPECT_EQ(b.Flush(out), 0u);
}

TEST(UpdateBuilderTest, ExtendedMessagePacksMore) {
  SessionParams p;
  p.extended_message = true;
  UpdateBuilder b(p);
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{};
  attrs.next_hop = *IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(b.SetAttributes(attrs, kIpv4Unicast).ok());
  auto start = *Prefix::Parse("10.0.0.0/32");
  int n = 0;
  while (b.Announce(*start.Advance(n))) ++n;
  EXPECT_GT(n, 13000);
  std::vector<uint8_t> out;
  b.Flush(out);
  EXPECT_LE(out.size(), 65535u);
  EXPECT_GT(out.size(), 65530u);
}

}  // namespace
}  // namespace bgpy
