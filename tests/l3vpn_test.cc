// Copyright 2026 The bgpy Authors.
//
// L3VPN (SAFI 128; RFC 4364 §4.3.4 IPv4, RFC 4659 §3.2 IPv6): golden
// entries built by hand from the layout (length in bits, label stack, RD of
// types 0/1/2, prefix), withdrawal label fields, malformed entries, seeded
// round trips, ADD-PATH, VPN next hops (12/24/48 octets, RFC 8950 extended
// next hop for IPv4 NLRI) with golden MP_REACH messages, the Extended Next
// Hop capability's negotiation, and route generation.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/capabilities.h"
#include "bgpy/errors.h"
#include "bgpy/json.h"
#include "bgpy/negotiate.h"
#include "bgpy/nlri.h"
#include "bgpy/update.h"
#include "bgpy/vpn.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::HasSubstr;

const Family kV4Vpn(Afi::kIpv4, Safi::kMplsVpn);
const Family kV6Vpn(Afi::kIpv6, Safi::kMplsVpn);

const FamilyDesc& Row(Family f) {
  const FamilyDesc* d = FindFamily(f);
  EXPECT_NE(d, nullptr);
  return *d;
}

std::vector<uint8_t> Encode(Family f, const NlriValue& v) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  EXPECT_TRUE(Row(f).encode(v, w));
  w.Finish();
  return out;
}

std::string Json(Family f, const NlriValue& v) {
  std::string out;
  JsonWriter j(&out);
  j.BeginObject();
  Row(f).json(v, j);
  j.EndObject();
  return out;
}

// --- Golden entries ------------------------------------------------------

struct Golden {
  Family family;
  const char* hex;
  const char* text;
  const char* json;  // "" to skip
};

std::vector<Golden> GoldenEntries() {
  std::vector<Golden> g;
  // RD type 0 (2-octet ASN 65000 = 0xfde8, number 1); label 100 (0x000641);
  // length 24 + 64 + 24 = 112 (0x70).
  g.push_back({kV4Vpn, "70 000641 0000fde800000001 0a0000",
               "65000:1:10.0.0.0/24 label 100",
               R"({"rd":"65000:1","prefix":"10.0.0.0/24","labels":[100]})"});
  // RD type 1: 192.0.2.1:7.
  g.push_back(
      {kV4Vpn, "70 000641 0001c00002010007 0a0000",
       "192.0.2.1:7:10.0.0.0/24 label 100",
       R"({"rd":"192.0.2.1:7","prefix":"10.0.0.0/24","labels":[100]})"});
  // RD type 2: 4200000000 (0xfa56ea00):1, and a small ASN kept in type 2.
  g.push_back({kV4Vpn, "70 000641 0002fa56ea000001 0a0000",
               "4200000000:1:10.0.0.0/24 label 100", ""});
  g.push_back({kV4Vpn, "70 000641 00020000fde80001 0a0000",
               "65000L:1:10.0.0.0/24 label 100", ""});
  // Two labels: 48 + 64 + 24 = 136 (0x88).
  g.push_back(
      {kV4Vpn, "88 000640 000c81 0000fde800000001 0a0000",
       "65000:1:10.0.0.0/24 label 100,200",
       R"({"rd":"65000:1","prefix":"10.0.0.0/24","labels":[100,200]})"});
  // Default route in a VRF: 24 + 64 = 88 (0x58).
  g.push_back({kV4Vpn, "58 000641 0000fde800000001",
               "65000:1:0.0.0.0/0 label 100", ""});
  // Withdrawal label fields (RFC 8277 §2.4 / RFC 3107 §3).
  g.push_back({kV4Vpn, "70 800000 0000fde800000001 0a0000",
               "65000:1:10.0.0.0/24",
               R"({"rd":"65000:1","prefix":"10.0.0.0/24","labels":[]})"});
  g.push_back({kV4Vpn, "70 000000 0000fde800000001 0a0000",
               "65000:1:10.0.0.0/24 label 0/nobos", ""});
  // IPv6 (RFC 4659 §3.2): 24 + 64 + 32 = 120 (0x78).
  g.push_back({kV6Vpn, "78 000101 0000fde800000001 20010db8",
               "65000:1:2001:db8::/32 label 16",
               R"({"rd":"65000:1","prefix":"2001:db8::/32","labels":[16]})"});
  // Two labels, a host route: 48 + 64 + 128 = 240 (0xf0).
  g.push_back({kV6Vpn,
               "f0 000100 000111 0001c00002010007 "
               "20010db8000000000000000000000001",
               "192.0.2.1:7:2001:db8::1/128 label 16,17", ""});
  g.push_back({kV6Vpn, "98 800000 0002fa56ea000001 20010db800010000",
               "4200000000:1:2001:db8:1::/64", ""});
  return g;
}

TEST(L3vpnGolden, DecodeTextJsonEncode) {
  for (const Golden& c : GoldenEntries()) {
    SCOPED_TRACE(c.hex);
    const std::vector<uint8_t> wire_bytes = FromHex(c.hex);
    EXPECT_TRUE(NlriView::Validate(c.family, wire_bytes, false, 9).ok());
    NlriView view(c.family, wire_bytes, false);
    ASSERT_EQ(view.size(), 1u);
    NlriValue v;
    ASSERT_TRUE(DecodeNlri(c.family, wire_bytes, v).ok());
    ASSERT_TRUE(std::holds_alternative<VpnPrefix>(v));
    EXPECT_EQ(NlriText(c.family, v), c.text);
    if (*c.json) {
      EXPECT_EQ(Json(c.family, v), c.json);
    }
    EXPECT_EQ(ToHex(Encode(c.family, v)), ToHex(wire_bytes));
    EXPECT_EQ(Row(c.family).encoded_size(v), wire_bytes.size());
    absl::StatusOr<NlriValue> parsed = ParseNlri(c.family, c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, v);
  }
}

TEST(L3vpnGolden, HostBitsClearedRdTypesKept) {
  NlriValue v;
  // 10.0.0.0/20 with host bits set; an RD of type 3 (unknown) kept as is.
  ASSERT_TRUE(
      DecodeNlri(kV4Vpn, FromHex("6c 000641 0003010203040506 0a000f"), v).ok());
  const VpnPrefix& p = std::get<VpnPrefix>(v);
  EXPECT_EQ(p.rd.type(), 3);
  EXPECT_EQ(p.prefix.ToString(), "10.0.0.0/20");
  EXPECT_EQ(ToHex(Encode(kV4Vpn, v)),
            "6c0006410003010203040506"
            "0a0000");
  const std::string text = NlriText(kV4Vpn, v);
  absl::StatusOr<NlriValue> back = ParseNlri(kV4Vpn, text);
  ASSERT_TRUE(back.ok()) << text << ": " << back.status();
  EXPECT_EQ(*back, v);
}

// --- Malformed entries ---------------------------------------------------

TEST(L3vpnMalformed, ErrorsNameTheField) {
  struct Bad {
    Family family;
    const char* hex;
    const char* says;
  };
  const Bad cases[] = {
      // 80 bits: a label and 7 octets of RD.
      {kV4Vpn, "50 000641 0000fde8000000",
       "does not cover a label and the route distinguisher"},
      // Two labels and 100 bits: the RD is cut short.
      {kV4Vpn, "64 000640 000c81 0000fde8000000",
       "does not cover 6 label octets and the route distinguisher"},
      // 33 prefix bits after label and RD.
      {kV4Vpn, "79 000641 0000fde800000001 0a00000000", "prefix length 33"},
      {kV6Vpn, "d9 000641 0000fde800000001 20010db8000000000000000000000000 00",
       "prefix length 129"},
      // No bottom-of-stack bit in any 3-octet group within the length.
      {kV4Vpn, "70 000640 0000006400000002 0a0000", "bottom-of-stack"},
      // The length runs past the field.
      {kV4Vpn, "70 000641 0000fde800000001 0a", "needs 14 octets"},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.hex);
    const std::vector<uint8_t> b = FromHex(c.hex);
    absl::Status st = NlriView::Validate(c.family, b, false, 9);
    ASSERT_FALSE(st.ok());
    EXPECT_THAT(st.message(), HasSubstr(c.says));
    std::optional<NotificationInfo> n = GetNotification(st);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->code, 3);
    EXPECT_EQ(n->subcode, 9);
    NlriValue v;
    absl::Status d = DecodeNlri(c.family, b, v);
    EXPECT_FALSE(d.ok());
    EXPECT_THAT(d.message(), HasSubstr(c.says));
  }
}

TEST(L3vpnMalformed, ParseSaysWhy) {
  for (const char* bad :
       {"10.0.0.0/24 label 100", "65000:10.0.0.0/24", "x:1:10.0.0.0/24",
        "65000:1:2001:db8::/32 label 16", "65000:1:10.0.0.0/24 label",
        "65000:1:10.0.0.1/24", "65000:1:10.0.0.0/24 label 1048576"}) {
    absl::StatusOr<NlriValue> v = ParseNlri(kV4Vpn, bad);
    EXPECT_FALSE(v.ok()) << bad;
    if (!v.ok()) {
      EXPECT_FALSE(v.status().message().empty());
    }
  }
  EXPECT_THAT(ParseNlri(kV4Vpn, "10.0.0.0/24").status().message(),
              HasSubstr("RD:PREFIX"));
}

// --- Round trips over seeded random values -------------------------------

Prefix RandomPrefix(Afi afi, std::mt19937_64& rng) {
  uint8_t bytes[16];
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  const int bits = afi == Afi::kIpv4 ? 32 : 128;
  const int len = static_cast<int>(rng() % (bits + 1));
  for (int i = 0; i < 16; ++i) {
    const int keep = len - 8 * i;
    if (keep <= 0) {
      bytes[i] = 0;
    } else if (keep < 8) {
      bytes[i] &= static_cast<uint8_t>(0xff << (8 - keep));
    }
  }
  return *Prefix::Make(
      afi == Afi::kIpv4 ? IpAddress::V4Bytes(bytes) : IpAddress::V6Bytes(bytes),
      len);
}

RouteDistinguisher RandomRd(std::mt19937_64& rng) {
  // Types 0, 1, 2 and (now and then) an unknown type.
  const uint64_t type = rng() % 8 == 0 ? 3 + rng() % 0xfff0 : rng() % 3;
  return RouteDistinguisher::FromRaw(type << 48 | (rng() & 0xffffffffffff));
}

LabelStack RandomStack(std::mt19937_64& rng, int max_labels) {
  LabelStack s;
  switch (rng() % 10) {
    case 0:
      return s;
    case 1:
      s.entries.push_back(MplsLabel{0, 0, false});
      return s;
    default:
      break;
  }
  const int n = 1 + static_cast<int>(rng() % max_labels);
  for (int i = 0; i < n; ++i) {
    MplsLabel e;
    e.label = static_cast<uint32_t>(rng() % (MplsLabel::kMaxLabel + 1));
    e.tc = static_cast<uint8_t>(rng() % 4 == 0 ? rng() % 8 : 0);
    e.bottom = i + 1 == n;
    if (i == 0 && !e.bottom && e.tc == 0 && (e.label == 0 || e.label == 524288))
      e.label = 16;
    s.entries.push_back(e);
  }
  return s;
}

VpnPrefix RandomVpn(Afi afi, std::mt19937_64& rng) {
  VpnPrefix v;
  v.prefix = RandomPrefix(afi, rng);
  v.rd = RandomRd(rng);
  // 48 label bits + 64 + 128 fit the length octet; so do 72 + 64 + 32.
  v.labels = RandomStack(rng, afi == Afi::kIpv4 ? 3 : 2);
  return v;
}

TEST(L3vpnProperty, WireTypedWire) {
  std::mt19937_64 rng(4364);
  for (int i = 0; i < 1000; ++i) {
    const Family f = i % 2 ? kV6Vpn : kV4Vpn;
    const VpnPrefix vp = RandomVpn(f.afi, rng);
    SCOPED_TRACE(vp.ToString());
    const std::vector<uint8_t> b = Encode(f, vp);
    ASSERT_FALSE(b.empty());
    ASSERT_TRUE(NlriView::Validate(f, b, false, 9).ok());
    NlriValue back;
    ASSERT_TRUE(DecodeNlri(f, b, back).ok());
    EXPECT_EQ(back, NlriValue(vp));
    EXPECT_EQ(Encode(f, back), b);
  }
}

TEST(L3vpnProperty, RandomWireDecodesOrSaysWhy) {
  std::mt19937_64 rng(4659);
  int decoded = 0;
  for (int i = 0; i < 1000; ++i) {
    const Family f = i % 2 ? kV6Vpn : kV4Vpn;
    std::vector<uint8_t> b(1 + rng() % 31);
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
    b[0] = static_cast<uint8_t>(8 * (b.size() - 1) - rng() % 8);
    if (b.size() >= 4 && rng() % 2) b[3] |= 1;
    NlriValue v;
    const absl::Status st = DecodeNlri(f, b, v);
    EXPECT_EQ(st.ok(), NlriView::Validate(f, b, false, 9).ok()) << ToHex(b);
    if (!st.ok()) {
      EXPECT_FALSE(st.message().empty());
      continue;
    }
    ++decoded;
    const std::vector<uint8_t> again = Encode(f, v);
    ASSERT_EQ(again.size(), b.size());
    NlriValue v2;
    ASSERT_TRUE(DecodeNlri(f, again, v2).ok());
    EXPECT_EQ(v2, v);
  }
  EXPECT_GT(decoded, 100);
}

TEST(L3vpnProperty, TextTypedText) {
  std::mt19937_64 rng(4659);
  for (int i = 0; i < 1000; ++i) {
    const Family f = i % 2 ? kV6Vpn : kV4Vpn;
    const VpnPrefix vp = RandomVpn(f.afi, rng);
    const std::string text = NlriText(f, vp);
    SCOPED_TRACE(text);
    absl::StatusOr<NlriValue> parsed = ParseNlri(f, text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, NlriValue(vp));
    EXPECT_EQ(NlriText(f, *parsed), text);
  }
}

// --- ADD-PATH --------------------------------------------------------------

TEST(L3vpnAddPath, PathIdBeforeLength) {
  const std::vector<uint8_t> b = FromHex(
      "00000001 70 000641 0000fde800000001 0a0000 "
      "00000002 78 000101 0001c00002010007 20010db8");
  // (The second entry is IPv6-sized on purpose: read as IPv4 it is a /32
  // after 3 + 8 octets.)
  ASSERT_TRUE(NlriView::Validate(kV4Vpn, b, true, 9).ok());
  std::vector<std::string> got;
  for (const NlriEntryView& e : NlriView(kV4Vpn, b, true)) {
    NlriValue v;
    ASSERT_TRUE(DecodeNlri(kV4Vpn, e.bytes, v).ok());
    got.push_back(
        absl::StrCat(e.path_id.value_or(0), " ", NlriText(kV4Vpn, v)));
  }
  EXPECT_THAT(got,
              ::testing::ElementsAre("1 65000:1:10.0.0.0/24 label 100",
                                     "2 192.0.2.1:7:32.1.13.184/32 label 16"));
}

// --- Next hops -------------------------------------------------------------

TEST(L3vpnNextHop, RdForms) {
  struct Case {
    Family family;
    const char* hex;
    const char* text;
  };
  const Case ok[] = {
      // RFC 4364 §4.3.2: RD of zeros + IPv4.
      {kV4Vpn, "0000000000000000 c0000201", "0:0 192.0.2.1"},
      // RFC 8950 §3: IPv4 VPN NLRI with a VPN-IPv6 next hop (24 / 48).
      {kV4Vpn, "0000000000000000 20010db8000000000000000000000001",
       "0:0 2001:db8::1"},
      {kV4Vpn,
       "0000000000000000 20010db8000000000000000000000001 "
       "0000000000000000 fe800000000000000000000000000001",
       "0:0 2001:db8::1 fe80::1"},
      // RFC 4659 §3.2.1.
      {kV6Vpn, "0000000000000000 00000000000000000000ffffac140001",
       "0:0 ::ffff:172.20.0.1"},
      {kV6Vpn,
       "0000000000000000 20010db8000000000000000000000001 "
       "0000000000000000 fe800000000000000000000000000001",
       "0:0 2001:db8::1 fe80::1"},
  };
  for (const Case& c : ok) {
    SCOPED_TRACE(c.hex);
    const FamilyDesc& d = Row(c.family);
    const std::vector<uint8_t> nh = FromHex(c.hex);
    ASSERT_TRUE(d.check_next_hop(nh).ok()) << d.check_next_hop(nh);
    absl::StatusOr<MpNextHop> hop = d.decode_next_hop(nh);
    ASSERT_TRUE(hop.ok());
    EXPECT_EQ(hop->ToString(), c.text);
    ASSERT_TRUE(hop->rd.has_value());
    std::vector<uint8_t> out;
    wire::Writer w(&out);
    ASSERT_TRUE(d.encode_next_hop(*hop, w));
    w.Finish();
    EXPECT_EQ(ToHex(out), ToHex(nh));
  }
  struct BadCase {
    Family family;
    const char* hex;
    const char* says;
  };
  const BadCase bad[] = {
      {kV4Vpn, "c0000201", "length 4"},
      {kV4Vpn, "20010db8000000000000000000000001", "length 16"},
      {kV6Vpn, "0000000000000000 c0000201", "length 12"},
      {kV4Vpn, "0000fde800000001 c0000201", "route distinguisher"},
      {kV6Vpn,
       "0000000000000000 20010db8000000000000000000000001 "
       "0000000000000001 fe800000000000000000000000000001",
       "route distinguisher at octet 24"},
  };
  for (const BadCase& c : bad) {
    absl::Status st = Row(c.family).check_next_hop(FromHex(c.hex));
    EXPECT_FALSE(st.ok()) << c.hex;
    EXPECT_THAT(st.message(), HasSubstr(c.says)) << c.hex;
  }
  // The builder's plain address gets its RD of zeros.
  MpNextHop plain;
  plain.address = *IpAddress::Parse("192.0.2.1");
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  ASSERT_TRUE(Row(kV4Vpn).encode_next_hop(plain, w));
  w.Finish();
  EXPECT_EQ(ToHex(out), "0000000000000000c0000201");
}

std::vector<uint8_t> Message(const std::string& body_hex) {
  const std::vector<uint8_t> body = FromHex(body_hex);
  std::vector<uint8_t> m(16, 0xff);
  const size_t len = 19 + body.size();
  m.push_back(static_cast<uint8_t>(len >> 8));
  m.push_back(static_cast<uint8_t>(len));
  m.push_back(2);  // UPDATE
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

// RFC 8950 §3: IPv4 unicast NLRI in MP_REACH_NLRI (AFI 1, SAFI 1) with a
// 16-octet (global) and a 32-octet (global + link-local) IPv6 next hop.
TEST(ExtendedNextHop, Ipv4UnicastWithIpv6NextHopGolden) {
  struct Case {
    const char* body;
    const char* next_hop;
  };
  const Case cases[] = {
      {"0000 0023 400101 00 400200 "
       "800e19 0001 01 10 20010db8000000000000000000000001 00 180a0000",
       "2001:db8::1"},
      {"0000 0033 400101 00 400200 "
       "800e29 0001 01 20 20010db8000000000000000000000001 "
       "fe800000000000000000000000000001 00 180a0000",
       "2001:db8::1 fe80::1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    const std::vector<uint8_t> msg = Message(c.body);
    SessionParams params;
    absl::StatusOr<UpdateView> v = UpdateView::Parse(msg, params);
    ASSERT_TRUE(v.ok()) << v.status();
    std::vector<std::string> got;
    for (const RouteView& r : v->routes()) {
      EXPECT_EQ(r.family, kIpv4Unicast);
      EXPECT_TRUE(r.mp);
      ASSERT_TRUE(r.next_hop().has_value());
      got.push_back(absl::StrCat(r.Text(), " via ", r.next_hop()->ToString()));
    }
    EXPECT_THAT(got, ::testing::ElementsAre(
                         absl::StrCat("10.0.0.0/24 via ", c.next_hop)));
    // Re-encodes to the same bytes.
    absl::StatusOr<Update> u = DecodeUpdate(msg, params);
    ASSERT_TRUE(u.ok()) << u.status();
    std::vector<uint8_t> out;
    wire::Writer w(&out);
    ASSERT_TRUE(EncodeUpdate(*u, params, w).ok());
    w.Finish();
    EXPECT_EQ(ToHex(out), ToHex(msg));
  }
}

// RFC 8950 §3 built: UpdateBuilder puts IPv4 unicast routes with an IPv6
// next hop in MP_REACH_NLRI (AFI 1, SAFI 1, 16-octet next hop), and their
// withdrawals in MP_UNREACH_NLRI; with an IPv4 next hop they stay in the
// body.
TEST(ExtendedNextHop, Ipv4UnicastWithIpv6NextHopBuilt) {
  SessionParams params;
  UpdateBuilder b(params);
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{};
  MpNextHop nh;
  nh.address = *IpAddress::Parse("2001:db8::1");
  ASSERT_TRUE(b.SetAttributes(attrs, kIpv4Unicast, nh).ok());
  ASSERT_TRUE(b.Announce(*Prefix::Parse("10.0.0.0/24")));
  std::vector<uint8_t> out;
  b.Flush(out);
  EXPECT_EQ(
      ToHex(out),
      ToHex(Message("0000 0024 "
                    "900e0019 0001 01 10 20010db8000000000000000000000001 "
                    "00 180a0000 400101 00 400200")));
  ASSERT_TRUE(b.Withdraw(*Prefix::Parse("10.0.0.0/24")));
  out.clear();
  b.Flush(out);
  EXPECT_EQ(ToHex(out), ToHex(Message("0000 000b 900f0007 0001 01 180a0000")));
  // An IPv4 next hop: the body and NEXT_HOP, as always.
  attrs.next_hop = *IpAddress::Parse("192.0.2.1");
  nh.address = *IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(b.SetAttributes(attrs, kIpv4Unicast, nh).ok());
  ASSERT_TRUE(b.Announce(*Prefix::Parse("10.0.0.0/24")));
  out.clear();
  b.Flush(out);
  EXPECT_EQ(ToHex(out), ToHex(Message("0000 000e 400101 00 400200 "
                                      "400304c0000201 180a0000")));
}

// SAFI 128 with a 24-octet next hop: IPv4 VPN routes over an IPv6 core
// (RFC 8950 §3), built by UpdateBuilder and compared with hand-built bytes.
TEST(ExtendedNextHop, VpnIpv4With24OctetNextHopGolden) {
  SessionParams params;
  UpdateBuilder b(params);
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{};
  MpNextHop nh;
  nh.address = *IpAddress::Parse("2001:db8::1");
  ASSERT_TRUE(b.SetAttributes(attrs, kV4Vpn, nh).ok());
  ASSERT_TRUE(
      b.AnnounceValue(*ParseNlri(kV4Vpn, "65000:1:10.0.0.0/24 label 100"))
          .ok());
  std::vector<uint8_t> out;
  b.Flush(out);
  const std::vector<uint8_t> want = Message(
      "0000 0037 "
      "900e002c 0001 80 18 0000000000000000 20010db8000000000000000000000001 "
      "00 70 000641 0000fde800000001 0a0000 "
      "400101 00 400200");
  EXPECT_EQ(ToHex(out), ToHex(want));
  absl::StatusOr<UpdateView> v = UpdateView::Parse(want, params);
  ASSERT_TRUE(v.ok()) << v.status();
  int n = 0;
  for (const RouteView& r : v->routes()) {
    ++n;
    EXPECT_EQ(r.family, kV4Vpn);
    EXPECT_EQ(r.Text(), "65000:1:10.0.0.0/24 label 100");
    ASSERT_TRUE(r.next_hop().has_value());
    EXPECT_EQ(r.next_hop()->ToString(), "0:0 2001:db8::1");
  }
  EXPECT_EQ(n, 1);
  // A 16-octet next hop is refused for SAFI 128 (no RD): 3/9.
  const std::vector<uint8_t> bad = Message(
      "0000 002f "
      "900e0024 0001 80 10 20010db8000000000000000000000001 "
      "00 70 000641 0000fde800000001 0a0000 "
      "400101 00 400200");
  absl::StatusOr<UpdateView> r = UpdateView::Parse(bad, params);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("next hop length 16"));
}

TEST(ExtendedNextHop, CapabilityNegotiatedPerFamily) {
  auto config = [](uint32_t id) {
    SessionConfig c;
    c.local_as = 65001;
    c.peer_as = 65001;
    c.router_id = id;
    c.families = {kIpv4Unicast, kV4Vpn};
    return c;
  };
  SessionConfig a = config(0x01010101);
  a.extended_next_hop = {{Afi::kIpv4, 1, Afi::kIpv6},
                         {Afi::kIpv4, 128, Afi::kIpv6}};
  SessionConfig b = config(0x02020202);
  b.extended_next_hop = {{Afi::kIpv4, 128, Afi::kIpv6}};
  const Open oa = BuildOpen(a);
  const Open ob = BuildOpen(b);
  ASSERT_NE(oa.Find<ExtendedNextHopCapability>(), nullptr);
  absl::StatusOr<Negotiated> n = Negotiate(a, oa, ob);
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_EQ(n->extended_next_hop.size(), 1u);
  EXPECT_EQ(n->extended_next_hop[0].nlri_safi, 128);
  EXPECT_EQ(n->extended_next_hop[0].next_hop_afi, Afi::kIpv6);
}

// --- Route generation ------------------------------------------------------

TEST(L3vpnGenerate, RdPrefixLabel) {
  const FamilyDesc& d = Row(kV4Vpn);
  RouteTemplate t;
  t.prefix = *Prefix::Parse("10.0.0.0/24");
  absl::StatusOr<NlriValue> v = d.generate(t, 0);
  ASSERT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(v.status().message(),
              HasSubstr("a route distinguisher (--rd) is needed"));
  t.rd = *RouteDistinguisher::Parse("65000:1");
  v = d.generate(t, 0);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(NlriText(kV4Vpn, *v), "65000:1:10.0.0.0/24 label 16");
  t.rd_step = 1;
  t.label = 100;
  t.label_step = 2;
  v = d.generate(t, 5);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(NlriText(kV4Vpn, *v), "65000:6:10.0.5.0/24 label 110");
  // Same VRF for every route with rd_step 0.
  t.rd_step = 0;
  v = d.generate(t, 5);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(NlriText(kV4Vpn, *v), "65000:1:10.0.5.0/24 label 110");
  // IPv6 VPN, type 1 RD.
  t.prefix = *Prefix::Parse("2001:db8::/48");
  t.rd = *RouteDistinguisher::Parse("192.0.2.1:65535");
  t.rd_step = 1;
  EXPECT_EQ(Row(kV6Vpn).generate(t, 1).status().code(),
            absl::StatusCode::kOutOfRange);  // the 2-octet number ends
  v = Row(kV6Vpn).generate(t, 0);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(NlriText(kV6Vpn, *v), "192.0.2.1:65535:2001:db8::/48 label 100");
  EXPECT_EQ(d.generate(t, 0).status().code(),
            absl::StatusCode::kInvalidArgument);  // IPv6 prefix for IPv4
  // Advance steps the prefix only.
  absl::StatusOr<NlriValue> a =
      d.advance(*ParseNlri(kV4Vpn, "65000:1:10.0.0.0/24 label 100"), 2);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(NlriText(kV4Vpn, *a), "65000:1:10.0.2.0/24 label 100");
}

}  // namespace
}  // namespace bgpy
