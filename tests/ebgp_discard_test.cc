// Copyright 2026 The bgpy Authors.
//
// RFC 7606 §7.5, §7.9, §7.10: LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST
// received from an external peer are "attribute discard", whatever their
// value; from an internal peer they are kept (and a malformed one is
// treat-as-withdraw). SessionParams::external says which; Negotiate() sets
// it from the two ASes.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/format.h"
#include "bgpy/negotiate.h"
#include "bgpy/params.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::ElementsAre;

// An UPDATE announcing 10.0.0.0/24 with ORIGIN IGP, AS_PATH [65002] (4-octet)
// and NEXT_HOP 192.0.2.1, then `extra` attributes (hex).
std::vector<uint8_t> MakeUpdate(const std::string& extra) {
  const std::string attrs =
      absl::StrCat("40010100",            // ORIGIN IGP
                   "40020602010000fdea",  // AS_PATH AS_SEQUENCE [65002]
                   "400304c0000201",      // NEXT_HOP 192.0.2.1
                   extra);
  const std::string nlri = "180a0000";  // 10.0.0.0/24
  const size_t len = 19 + 2 + 2 + attrs.size() / 2 + nlri.size() / 2;
  std::vector<uint8_t> m(16, 0xff);
  m.push_back(static_cast<uint8_t>(len >> 8));
  m.push_back(static_cast<uint8_t>(len));
  m.push_back(2);  // UPDATE
  m.push_back(0);  // withdrawn routes length 0
  m.push_back(0);
  m.push_back(static_cast<uint8_t>(attrs.size() / 2 >> 8));
  m.push_back(static_cast<uint8_t>(attrs.size() / 2));
  for (uint8_t b : FromHex(attrs + nlri)) m.push_back(b);
  return m;
}

SessionParams Params(bool external) {
  SessionParams p;
  p.four_octet_as = true;
  p.external = external;
  return p;
}

constexpr char kLocalPref100[] = "40050400000064";  // LOCAL_PREF 100
constexpr char kOriginatorId[] = "8009040a000002";  // ORIGINATOR_ID 10.0.0.2
constexpr char kClusterList[] = "800a080a0000010a000002";  // 10.0.0.1 10.0.0.2

TEST(EbgpDiscardTest, FlagIsPartOfEquality) {
  EXPECT_FALSE(SessionParams().external);
  SessionParams a, b;
  b.external = true;
  EXPECT_FALSE(a == b);
  a.external = true;
  EXPECT_TRUE(a == b);
}

TEST(EbgpDiscardTest, LocalPrefFromExternalPeerIsDiscarded) {
  const std::vector<uint8_t> m = MakeUpdate(kLocalPref100);
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(true), &findings);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{Verdict::kAttributeDiscard, 5,
                                  "LOCAL_PREF from an external peer discarded "
                                  "(RFC 7606 §7.5)"}));
  EXPECT_TRUE(v->discarded(5));
  EXPECT_FALSE(v->Find(AttrCode::kLocalPref).has_value());
  EXPECT_FALSE(v->local_pref().has_value());
  // The route itself stays announced.
  ASSERT_EQ(v->nlri().size(), 1u);
  EXPECT_EQ(ToHex((*v->nlri().begin()).bytes), "180a0000");
  EXPECT_EQ(v->origin(), Origin::kIgp);
  // The attribute is still in the list, in order (formatting shows it
  // discarded; ToOwned keeps it so the message re-encodes as received).
  std::vector<uint8_t> codes;
  for (const AttributeView& a : v->attributes()) codes.push_back(a.code);
  EXPECT_THAT(codes, ElementsAre(1, 2, 3, 5));
  const Update owned = v->ToOwned();
  ASSERT_NE(owned.FindAttribute(5), nullptr);
}

TEST(EbgpDiscardTest, LocalPrefFromInternalPeerIsKept) {
  const std::vector<uint8_t> m = MakeUpdate(kLocalPref100);
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(false), &findings);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kOk);
  EXPECT_TRUE(findings.empty());
  EXPECT_FALSE(v->discarded(5));
  EXPECT_EQ(v->local_pref(), 100u);
}

// ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 attributes): discarded from an
// external peer, kept from an internal one.
TEST(EbgpDiscardTest, RouteReflectionAttributesFromExternalPeerAreDiscarded) {
  struct Case {
    const char* attribute;  // hex
    uint8_t code;
    const char* finding;
    const char* value;  // hex, as kept on iBGP
  };
  const Case cases[] = {
      {kOriginatorId, 9,
       "ORIGINATOR_ID from an external peer discarded (RFC 7606 §7.9)",
       "0a000002"},
      {kClusterList, 10,
       "CLUSTER_LIST from an external peer discarded (RFC 7606 §7.10)",
       "0a0000010a000002"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.finding);
    const std::vector<uint8_t> m = MakeUpdate(c.attribute);
    std::vector<Finding> findings;
    absl::StatusOr<UpdateView> v =
        UpdateView::Parse(m, Params(true), &findings);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0],
              (Finding{Verdict::kAttributeDiscard, c.code, c.finding}));
    EXPECT_TRUE(v->discarded(c.code));
    EXPECT_FALSE(v->Find(c.code).has_value());

    absl::StatusOr<UpdateView> i = UpdateView::Parse(m, Params(false));
    ASSERT_TRUE(i.ok()) << i.status();
    EXPECT_EQ(i->verdict(), Verdict::kOk);
    ASSERT_TRUE(i->Find(c.code).has_value());
    EXPECT_EQ(ToHex(i->Find(c.code)->value), c.value);
  }
}

TEST(EbgpDiscardTest, AllThreeDiscardedTogether) {
  const std::vector<uint8_t> m =
      MakeUpdate(absl::StrCat(kLocalPref100, kOriginatorId, kClusterList));
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(true), &findings);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  std::vector<uint8_t> codes;
  for (const Finding& f : findings) {
    EXPECT_EQ(f.verdict, Verdict::kAttributeDiscard);
    codes.push_back(f.attr_code);
  }
  EXPECT_THAT(codes, ElementsAre(5, 9, 10));
  EXPECT_TRUE(v->discarded(5) && v->discarded(9) && v->discarded(10));
  // Other attributes are untouched.
  EXPECT_FALSE(v->discarded(1) || v->discarded(2) || v->discarded(3));
}

// RFC 7606 §7.5: from an external peer any LOCAL_PREF is discarded, so a
// malformed one (length 3) is attribute discard, not treat-as-withdraw.
TEST(EbgpDiscardTest, MalformedLocalPrefFromExternalPeerIsDiscardNotWithdraw) {
  const std::vector<uint8_t> m = MakeUpdate("400503000064");
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(true), &findings);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].attr_code, 5);
  EXPECT_EQ(findings[0].verdict, Verdict::kAttributeDiscard);
  EXPECT_FALSE(v->local_pref().has_value());

  // The same bytes from an internal peer: treat-as-withdraw.
  absl::StatusOr<UpdateView> i = UpdateView::Parse(m, Params(false));
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->verdict(), Verdict::kTreatAsWithdraw);
}

// Bad flags (LOCAL_PREF marked optional) from eBGP: still discard, the
// attribute is not looked at.
TEST(EbgpDiscardTest, LocalPrefWithBadFlagsFromExternalPeerIsDiscard) {
  const std::vector<uint8_t> m = MakeUpdate("80050400000064");
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(true));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  absl::StatusOr<UpdateView> i = UpdateView::Parse(m, Params(false));
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->verdict(), Verdict::kTreatAsWithdraw);
}

// A repeated LOCAL_PREF from eBGP: the first is the eBGP discard, the second
// the RFC 7606 §3(g) repeat discard.
TEST(EbgpDiscardTest, RepeatedLocalPrefFromExternalPeer) {
  const std::vector<uint8_t> m =
      MakeUpdate(absl::StrCat(kLocalPref100, "400504000000c8"));
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(true), &findings);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].detail,
            "repeated LOCAL_PREF discarded (RFC 7606 §3(g))");
  EXPECT_FALSE(v->local_pref().has_value());
}

// A withdrawal-only UPDATE with a malformed LOCAL_PREF from eBGP: nothing to
// withdraw would make treat-as-withdraw a reset (RFC 7606 §5.2); discard
// keeps the session.
TEST(EbgpDiscardTest, DiscardNeedsNoRoutes) {
  const std::string attrs = "40050200ff";
  std::vector<uint8_t> m(16, 0xff);
  const std::vector<uint8_t> body =
      FromHex(absl::StrCat("0000", "0005", attrs));
  m.push_back(0);
  m.push_back(static_cast<uint8_t>(19 + body.size()));
  m.push_back(2);
  m.insert(m.end(), body.begin(), body.end());
  absl::StatusOr<UpdateView> v = UpdateView::Parse(m, Params(true));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verdict(), Verdict::kAttributeDiscard);
  EXPECT_FALSE(UpdateView::Parse(m, Params(false)).ok());
}

// The JSON bgpy-listen prints marks the attribute discarded.
TEST(EbgpDiscardTest, JsonMarksDiscarded) {
  const std::vector<uint8_t> m = MakeUpdate(kLocalPref100);
  const std::string ebgp = JsonLine(m, Params(true));
  EXPECT_THAT(ebgp, ::testing::HasSubstr("\"discarded\":true"));
  const std::string ibgp = JsonLine(m, Params(false));
  EXPECT_THAT(ibgp, ::testing::Not(::testing::HasSubstr("discarded")));
}

// --- Negotiate() sets recv_params.external -------------------------------

SessionConfig Config(uint32_t local_as, uint32_t peer_as, uint32_t id) {
  SessionConfig c;
  c.local_as = local_as;
  c.peer_as = peer_as;
  c.router_id = id;
  return c;
}

TEST(EbgpDiscardTest, NegotiateFourOctetAses) {
  // Different ASes, both above 65535: My AS is AS_TRANS on both sides, the
  // capability tells them apart.
  {
    const SessionConfig c = Config(4200000001u, 4200000002u, 1);
    const Open peer = BuildOpen(Config(4200000002u, 0, 2));
    ASSERT_EQ(peer.my_as, kAsTrans);
    absl::StatusOr<Negotiated> n = Negotiate(c, BuildOpen(c), peer);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_FALSE(n->ibgp);
    EXPECT_TRUE(n->recv_params.external);
    EXPECT_FALSE(n->send_params.external);  // receive side only
  }
  // The same AS: iBGP.
  {
    const SessionConfig c = Config(4200000001u, 4200000001u, 1);
    const Open peer = BuildOpen(Config(4200000001u, 0, 2));
    absl::StatusOr<Negotiated> n = Negotiate(c, BuildOpen(c), peer);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_TRUE(n->ibgp);
    EXPECT_FALSE(n->recv_params.external);
  }
  // Accept-any peer AS (0) in a different AS.
  {
    const SessionConfig c = Config(65001, 0, 1);
    absl::StatusOr<Negotiated> n =
        Negotiate(c, BuildOpen(c), BuildOpen(Config(65002, 0, 2)));
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_TRUE(n->recv_params.external);
  }
}

TEST(EbgpDiscardTest, NegotiateTwoOctetAses) {
  // A peer without capability 65: its AS is My AS.
  const Open other = Open::Make(65002, 90, 2, {});
  ASSERT_EQ(other.Find<FourOctetAsCapability>(), nullptr);
  {
    const SessionConfig c = Config(65001, 65002, 1);
    absl::StatusOr<Negotiated> n = Negotiate(c, BuildOpen(c), other);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_FALSE(n->four_octet_as);
    EXPECT_TRUE(n->recv_params.external);
  }
  {
    const SessionConfig c = Config(65002, 65002, 1);
    absl::StatusOr<Negotiated> n = Negotiate(c, BuildOpen(c), other);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_TRUE(n->ibgp);
    EXPECT_FALSE(n->recv_params.external);
  }
}

// Offline decoding has no "our" side: ParamsFromOpens leaves it false.
TEST(EbgpDiscardTest, ParamsFromOpensLeavesExternalFalse) {
  const Open a = BuildOpen(Config(65001, 0, 1));
  const Open b = BuildOpen(Config(65002, 0, 2));
  EXPECT_FALSE(ParamsFromOpens(a, b).external);
  EXPECT_FALSE(ParamsFromOpens(b, a).external);
}

// The owned attribute bundle agrees: from an external peer the three are
// not typed (kept as found in `others`, as malformed ones are); from an
// internal peer LOCAL_PREF is the typed field.
TEST(EbgpDiscardTest, DecodePathAttributesLeavesThemUntyped) {
  const std::vector<uint8_t> attrs = FromHex(
      absl::StrCat("40010100", kLocalPref100, kOriginatorId, kClusterList));
  const PathAttributes ext = DecodePathAttributes(attrs, Params(true));
  EXPECT_FALSE(ext.local_pref.has_value());
  std::vector<int> codes;
  for (const PathAttribute& o : ext.others) codes.push_back(o.code);
  EXPECT_THAT(codes, ElementsAre(5, 9, 10));
  const PathAttributes in = DecodePathAttributes(attrs, Params(false));
  EXPECT_EQ(in.local_pref, 100u);
}

}  // namespace
}  // namespace bgpy
