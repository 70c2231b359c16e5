// Copyright 2026 The bgpy Authors.
//
// FlowSpec (RFC 8955, RFC 8956): golden encodings from the RFCs' examples
// and hand-built per their layouts, malformed rules, operator text, seeded
// random round trips, generation, next hops and the traffic actions.
#include "bgpy/flowspec.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"
#include "gtest/gtest.h"
#include "testlib/flowspec_random.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::RandomFlowspecRule;
using ::bgpy::testing::ToHex;

const FamilyDesc& Row(Afi afi, bool vpn) {
  const FamilyDesc* d =
      FindFamily(Family(afi, vpn ? Safi::kFlowSpecVpn : Safi::kFlowSpec));
  EXPECT_NE(d, nullptr);
  return *d;
}

// Splits, decodes and renders one entry; re-encodes and compares.
std::string DecodeText(Afi afi, bool vpn, const std::string& hex) {
  const FamilyDesc& d = Row(afi, vpn);
  const std::vector<uint8_t> bytes = FromHex(hex);
  wire::Reader r(bytes);
  wire::Bytes entry;
  std::string why;
  if (!d.split_entry(r, entry, &why)) return absl::StrCat("split: ", why);
  EXPECT_TRUE(r.empty());
  NlriValue v;
  absl::Status st = d.decode(entry, v);
  if (!st.ok()) return absl::StrCat("decode: ", st.message());
  std::vector<uint8_t> again;
  {
    wire::Writer w(&again);
    EXPECT_TRUE(d.encode(v, w));
  }
  EXPECT_EQ(ToHex(again), hex);
  EXPECT_EQ(d.encoded_size(v), again.size());
  std::string text;
  d.text(v, text);
  // Text parses back to the same value.
  absl::StatusOr<NlriValue> parsed = d.parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (parsed.ok()) {
    EXPECT_EQ(*parsed, v) << text;
  }
  return text;
}

std::string Encode(Afi afi, bool vpn, const std::string& text) {
  const FamilyDesc& d = Row(afi, vpn);
  absl::StatusOr<NlriValue> v = d.parse(text);
  if (!v.ok()) return absl::StrCat("parse: ", v.status().message());
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  if (!d.encode(*v, w)) return "encode failed";
  return ToHex(w.written());
}

// --- RFC examples
// -------------------------------------------------------------

TEST(FlowspecGolden, Rfc8955Examples) {
  // RFC 8955 §4.3, first example: to 192.0.2.0/24, TCP, port 25.
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "0b0118c0000203810604"
                       "8119"),
            "destination 192.0.2.0/24 protocol =6 port =25");
  // Second: to 192.0.2.0/24 from 203.0.113.0/24, port [137, 139] or 8080.
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "120118c0000202"
                       "18cb0071040389458b911f90"),
            "destination 192.0.2.0/24 source 203.0.113.0/24 "
            "port >=137&<=139|=8080");
  EXPECT_EQ(Encode(Afi::kIpv4, false,
                   "destination 192.0.2.0/24 protocol =6 port =25"),
            "0b0118c00002038106048119");
}

TEST(FlowspecGolden, Rfc8956Examples) {
  // RFC 8956 §3.8, first example: to 2001:db8::/32, from the 40 bits at
  // offset 64 (::1234:5678:9a00:0/64-104), upper-layer protocol TCP.
  EXPECT_EQ(
      DecodeText(Afi::kIpv6, false, "1201200020010db8026840123456789a038106"),
      "destination 2001:db8::/32 source ::1234:5678:9a00:0/104 "
      "offset 64 protocol =6");
  // Second: offset 65, the last octet holds one bit of padding.
  EXPECT_EQ(DecodeText(Afi::kIpv6, false,
                       "0f01200020010db802684124"
                       "68acf134"),
            "destination 2001:db8::/32 source ::1234:5678:9a00:0/104 "
            "offset 65");
  EXPECT_EQ(Encode(Afi::kIpv6, false,
                   "destination 2001:db8::/32 source ::1234:5678:9a00:0/104 "
                   "offset 65"),
            "0f01200020010db8026841"
            "2468acf134");
  // Bits before the offset are not sent: text with them set parses to the
  // same rule (they are cleared).
  EXPECT_EQ(Encode(Afi::kIpv6, false, "destination 2001:db8::/32 offset 8"),
            "06012008010db8");
}

// --- Hand-built, per RFC 8955 §4.2 ------------------------------------------

TEST(FlowspecGolden, EveryComponentType) {
  // The operator rule from the brief, in wire order. Bytes by hand:
  //  01 18 0a0000          destination 10.0.0.0/24
  //  02 18 c00002          source 192.0.2.0/24
  //  03 81 06              protocol =6 (e, len 1, eq)
  //  04 01 50 81 01bb?     port =80|=443: 01 50 | 91 01bb (len 2)
  //  05 13 0400 d5 0800    destination-port >=1024 & <=2048 (len 2)
  //  09 01 02 c2 10        tcp-flags match:syn & !ack (m; e a n)
  //  0a 82 64              packet-length >100
  //  0b 81 2e              dscp =46
  //  0c 80 02              fragment is-fragment
  const std::string text =
      "destination 10.0.0.0/24 source 192.0.2.0/24 protocol =6 "
      "destination-port >=1024&<=2048 port =80|=443 tcp-flags match:syn&!ack "
      "fragment is-fragment packet-length >100 dscp =46";
  const std::string hex =
      "28"
      "01180a0000"
      "0218c00002"
      "038106"
      "04015091"
      "01bb"
      "05130400d50800"
      "09010"
      "2c210"
      "0a8264"
      "0b812e"
      "0c8002";
  EXPECT_EQ(Encode(Afi::kIpv4, false, text), hex);
  EXPECT_EQ(DecodeText(Afi::kIpv4, false, hex),
            "destination 10.0.0.0/24 source 192.0.2.0/24 protocol =6 "
            "port =80|=443 destination-port >=1024&<=2048 "
            "tcp-flags match:syn&!ack packet-length >100 dscp =46 "
            "fragment is-fragment");
  // Types 6, 7, 8 and IPv6 13 (flow label, 20 bits: length 4).
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "0d"
                       "069204"
                       "00"
                       "078103"
                       "088100"
                       "0c8101"),
            "source-port >1024 icmp-type =3 icmp-code =0 fragment "
            "match:dont-fragment");
  EXPECT_EQ(DecodeText(Afi::kIpv6, false,
                       "06"
                       "0da1"
                       "000fffff"),
            "flow-label =1048575");
  EXPECT_EQ(DecodeText(Afi::kIpv6, false,
                       "06"
                       "0d81"
                       "2a"
                       "0b81"
                       "00"),
            "decode: FlowSpec component 11 (dscp): comes after component "
            "type 13 (types must strictly increase, RFC 8955 §4.2: "
            "malformed)");
}

TEST(FlowspecGolden, OperatorLengthsAndOperators) {
  // Lengths 1, 2, 4, 8 (len field 00, 01, 10, 11), minimal values decimal,
  // non-minimal ones hex with their width.
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "03"
                       "0a8164"),
            "packet-length =100");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "04"
                       "0a9105dc"),
            "packet-length =1500");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "06"
                       "0aa100010000"),
            "packet-length =65536");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "0a"
                       "0ab10000000100000000"),
            "packet-length =4294967296");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "04"
                       "0a910050"),
            "packet-length =0x0050");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "06"
                       "0aa100000050"),
            "packet-length =0x00000050");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "0a"
                       "0ab10000000000000050"),
            "packet-length =0x0000000000000050");
  // All eight numeric operators (lt gt eq), or-chains and and-chains.
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "11"
                       "0a"
                       "0001"
                       "0102"
                       "0203"
                       "0304"
                       "0405"
                       "0506"
                       "0607"
                       "8708"),
            "packet-length false:1|=2|>3|>=4|<5|<=6|!=7|true:8");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "03"
                       "0a8700"),
            "packet-length true");
  // An AND bit on the first term is kept.
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "03"
                       "04c150"),
            "port &=80");
  // Bitmask: n and m, names joined by "+", unnamed bits as numbers.
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "07"
                       "090312"
                       "4382"
                       "83ff"),
            "tcp-flags match:!syn+ack&match:!syn+cwr|match:!fin+syn+rst+psh+"
            "ack+urg+ece+cwr");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "05"
                       "0c"
                       "0010"
                       "8005"),
            "fragment 16|dont-fragment+first-fragment");
  EXPECT_EQ(DecodeText(Afi::kIpv4, false,
                       "04"
                       "09900012"),
            "tcp-flags 0x0012");
  // "," is "|" on input.
  EXPECT_EQ(Encode(Afi::kIpv4, false, "port =80,=443"),
            Encode(Afi::kIpv4, false, "port =80|=443"));
}

TEST(FlowspecGolden, VpnRd) {
  // RFC 8955 §8: the RD comes first inside the length.
  EXPECT_EQ(DecodeText(Afi::kIpv4, true,
                       "10"
                       "0000fde800000001"
                       "01180a0000"
                       "038106"),
            "rd 65000:1 destination 10.0.0.0/24 protocol =6");
  EXPECT_EQ(
      Encode(Afi::kIpv6, true, "rd 192.0.2.1:7 destination 2001:db8::/32"),
      "0f"
      "0001c00002010007"
      "0120002001"
      "0db8");
  EXPECT_EQ(DecodeText(Afi::kIpv4, true,
                       "08"
                       "0000fde800000001"),
            "rd 65000:1 any");
  EXPECT_EQ(Encode(Afi::kIpv4, true, "destination 10.0.0.0/8"),
            "parse: bad FlowSpec rule: a VPN rule starts with \"rd RD\" "
            "(\"rd 65000:1 ...\")");
  EXPECT_EQ(Encode(Afi::kIpv4, false, "rd 65000:1 destination 10.0.0.0/8"),
            "parse: bad FlowSpec rule: \"rd\" is for the VPN families "
            "(l3vpn-ipv4/ipv6-flowspec)");
}

TEST(FlowspecGolden, TwoOctetLength) {
  // 60 or-ed port terms: 120 octets of terms... make it 130 terms of 2
  // octets: value 261 octets, so the length is 0xf105 (RFC 8955 §4.1).
  std::string text = "packet-length =1";
  for (int i = 2; i <= 130; ++i) absl::StrAppend(&text, "|=", i);
  const std::string hex = Encode(Afi::kIpv4, false, text);
  ASSERT_EQ(hex.substr(0, 6), "f1050a");
  EXPECT_EQ(hex.size(), 2 * (2 + 1 + 130 * 2));
  EXPECT_EQ(DecodeText(Afi::kIpv4, false, hex), text);
  // A short rule in the 2-octet form is read (re-encoded in the short form).
  const FamilyDesc& d = Row(Afi::kIpv4, false);
  std::vector<uint8_t> b = FromHex("f003038106");
  wire::Reader r(b);
  wire::Bytes entry;
  ASSERT_TRUE(d.split_entry(r, entry, nullptr));
  NlriValue v;
  ASSERT_TRUE(d.decode(entry, v).ok());
  EXPECT_EQ(NlriText(d.family, v), "protocol =6");
  // A truncated 2-octet length, and a length past the data.
  for (const char* bad : {"f1", "f10503", "0501180a00"}) {
    std::vector<uint8_t> x = FromHex(bad);
    wire::Reader rr(x);
    std::string why;
    EXPECT_FALSE(d.split_entry(rr, entry, &why)) << bad;
    EXPECT_EQ(rr.offset(), 0u);
    EXPECT_NE(why.find("FlowSpec"), std::string::npos) << why;
  }
  // NlriView::Validate names the entry.
  absl::Status st = NlriView::Validate(d.family,
                                       FromHex("038106"
                                               "0501"),
                                       false, 9);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("entry 1"), std::string::npos) << st;
}

// --- Malformed --------------------------------------------------------------

TEST(FlowspecMalformed, ErrorsNameTheComponent) {
  struct Case {
    Afi afi;
    const char* hex;
    const char* want;
  };
  const Case cases[] = {
      // Out of order and repeated types (RFC 8955 §4.2).
      {Afi::kIpv4,
       "08038106"
       "0118"
       "0a0000",
       "component 1 (destination): comes after component type 3"},
      {Afi::kIpv4,
       "06038106"
       "038111",
       "component 3 (protocol): comes after component type 3"},
      // Unknown types: 0, 13 in IPv4, 14.
      {Afi::kIpv4, "03008106", "component type 0: unknown type"},
      {Afi::kIpv4, "030d8106",
       "component 13 (flow-label): unknown type for IPv4"},
      {Afi::kIpv6, "030e8106", "component type 14: unknown type"},
      // Truncated operator value (len 2, one octet there).
      {Afi::kIpv4, "03049101",
       "component 4 (port): term 1 value needs 2 octets, 1 left"},
      // No end-of-list bit.
      {Afi::kIpv4,
       "05040150"
       "0151",
       "component 4 (port): term 2 lacks the end-of-list bit"},
      {Afi::kIpv4, "0104", "component 4 (port): no operator"},
      // Bad prefix lengths and offsets.
      {Afi::kIpv4,
       "060121"
       "0a000000",
       "component 1 (destination): prefix length 33 exceeds 32"},
      {Afi::kIpv4,
       "030218"
       "0a",
       "component 2 (source): prefix /24 needs 3 octets, 1 left"},
      {Afi::kIpv6,
       "040181"
       "00"
       "00",
       "component 1 (destination): prefix length 129 exceeds 128"},
      {Afi::kIpv6,
       "04012021"
       "00",
       "component 1 (destination): offset 33 beyond prefix length 32"},
      {Afi::kIpv6,
       "04024000"
       "20",
       "component 2 (source): prefix /64 needs 8 octets, 1 left"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    const std::string got = DecodeText(c.afi, false, c.hex);
    EXPECT_NE(got.find(c.want), std::string::npos) << got;
    EXPECT_EQ(got.rfind("decode: FlowSpec ", 0), 0u) << got;
  }
}

TEST(FlowspecMalformed, BadText) {
  const char* bad[] = {
      "",
      "destination",
      "destination 10.0.0.0/33",
      "destination 2001:db8::/32",
      "destination 10.0.0.0/8 offset 4",
      "port",
      "port 80",
      "port =80|",
      "port =x",
      "port =0x123",
      "tcp-flags match:bogus",
      "frobnicate =1",
      "port =1 port =2",
      "flow-label =1",
      "any port =1",
  };
  for (const char* t : bad) {
    absl::StatusOr<NlriValue> v = Row(Afi::kIpv4, false).parse(t);
    EXPECT_FALSE(v.ok()) << t;
    if (!v.ok()) {
      EXPECT_FALSE(v.status().message().empty());
      EXPECT_TRUE(absl::IsInvalidArgument(v.status()));
    }
  }
  EXPECT_FALSE(
      Row(Afi::kIpv6, false).parse("destination 2001:db8::/32 offset 33").ok());
}

TEST(FlowspecText, ActionSuffixIgnoredAndSorted) {
  const FamilyDesc& d = Row(Afi::kIpv4, false);
  absl::StatusOr<NlriValue> a =
      d.parse("protocol =6 destination 10.0.0.0/24 action discard");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(NlriText(d.family, *a), "destination 10.0.0.0/24 protocol =6");
  EXPECT_TRUE(std::holds_alternative<FlowspecRule>(*d.parse("any")));
  EXPECT_EQ(NlriText(d.family, *d.parse("any")), "any");
}

// --- Properties -------------------------------------------------------------

TEST(FlowspecProperty, WireTypedWireAndTextTypedText) {
  for (bool vpn : {false, true}) {
    for (Afi afi : {Afi::kIpv4, Afi::kIpv6}) {
      const FamilyDesc& d = Row(afi, vpn);
      int long_form = 0;
      for (uint64_t seed = 1; seed <= 1500; ++seed) {
        SCOPED_TRACE(absl::StrCat(d.name, " seed ", seed));
        std::mt19937_64 rng(seed);
        const FlowspecRule rule = RandomFlowspecRule(afi, vpn, rng);
        ASSERT_TRUE(rule.Validate().ok()) << rule.Validate();
        const NlriValue v = rule;
        // wire -> typed -> wire
        std::vector<uint8_t> bytes;
        {
          wire::Writer w(&bytes);
          ASSERT_TRUE(d.encode(v, w));
        }
        ASSERT_EQ(bytes.size(), d.encoded_size(v));
        if (bytes[0] >= 0xf0) ++long_form;
        wire::Reader r(bytes);
        wire::Bytes entry;
        std::string why;
        ASSERT_TRUE(d.split_entry(r, entry, &why)) << why;
        ASSERT_TRUE(r.empty());
        NlriValue back;
        absl::Status st = d.decode(entry, back);
        ASSERT_TRUE(st.ok()) << st;
        ASSERT_EQ(back, v);
        std::vector<uint8_t> again;
        {
          wire::Writer w(&again);
          ASSERT_TRUE(d.encode(back, w));
        }
        ASSERT_EQ(again, bytes);
        // text -> typed -> text
        std::string text;
        d.text(v, text);
        absl::StatusOr<NlriValue> parsed = d.parse(text);
        ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << text;
        ASSERT_EQ(*parsed, v) << text;
        std::string text2;
        d.text(*parsed, text2);
        ASSERT_EQ(text2, text);
        // The JSON names the rule.
      }
      EXPECT_GT(long_form, 0) << d.name;  // the 0xfnnn form was exercised
    }
  }
}

// Truncating or flipping octets of valid rules never crashes and every
// failure names the problem.
TEST(FlowspecProperty, MangledInputFailsCleanly) {
  for (Afi afi : {Afi::kIpv4, Afi::kIpv6}) {
    const FamilyDesc& d = Row(afi, false);
    for (uint64_t seed = 1; seed <= 1000; ++seed) {
      std::mt19937_64 rng(seed);
      std::vector<uint8_t> bytes;
      {
        wire::Writer w(&bytes);
        ASSERT_TRUE(d.encode(RandomFlowspecRule(afi, false, rng), w));
      }
      bytes[rng() % bytes.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      bytes.resize(1 + rng() % bytes.size());
      wire::Reader r(bytes);
      wire::Bytes entry;
      std::string why;
      if (!d.split_entry(r, entry, &why)) {
        EXPECT_FALSE(why.empty());
        continue;
      }
      NlriValue v;
      absl::Status st = d.decode(entry, v);
      if (!st.ok()) {
        EXPECT_FALSE(st.message().empty());
      }
    }
  }
}

// --- Generation -------------------------------------------------------------

TEST(FlowspecGenerate, SubstitutesThePrefix) {
  const FamilyDesc& d = Row(Afi::kIpv4, false);
  RouteTemplate t;
  t.prefix = *Prefix::Parse("10.0.0.0/24");
  EXPECT_TRUE(absl::IsInvalidArgument(d.generate(t, 0).status()));
  EXPECT_NE(d.generate(t, 0).status().message().find("--flowspec"),
            std::string::npos);
  t.flowspec = "destination {prefix} protocol =6 action discard";
  for (uint64_t i : {0u, 1u, 255u, 70000u}) {
    absl::StatusOr<NlriValue> v = d.generate(t, i);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(NlriText(d.family, *v),
              absl::StrCat("destination ", t.prefix.Advance(i)->ToString(),
                           " protocol =6"));
    // advance() from route 0 gives the same rule.
    absl::StatusOr<NlriValue> a = d.advance(*d.generate(t, 0), i);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, *v);
  }
  // 100k routes stay cheap (the template is parsed once).
  for (uint64_t i = 0; i < 100000; ++i) ASSERT_TRUE(d.generate(t, i).ok());
  EXPECT_TRUE(absl::IsOutOfRange(d.generate(t, 1u << 24).status()));
  t.flowspec = "protocol =6";
  EXPECT_TRUE(
      absl::IsInvalidArgument(d.advance(*d.generate(t, 0), 1).status()));
  t.flowspec = "destination {prefix} port =bad";
  EXPECT_TRUE(absl::IsInvalidArgument(d.generate(t, 0).status()));
  // VPN: the RD from --rd, stepped per route.
  const FamilyDesc& vpn = Row(Afi::kIpv4, true);
  t.flowspec = "destination {prefix}";
  t.rd = *RouteDistinguisher::Parse("65000:1");
  t.rd_step = 1;
  EXPECT_EQ(NlriText(vpn.family, *vpn.generate(t, 2)),
            "rd 65000:3 destination 10.0.2.0/24");
  // IPv6 with an offset.
  const FamilyDesc& v6 = Row(Afi::kIpv6, false);
  RouteTemplate t6;
  t6.prefix = *Prefix::Parse("2001:db8::/48");
  t6.flowspec = "destination {prefix} offset 16 next-header =58";
  EXPECT_EQ(NlriText(v6.family, *v6.generate(t6, 1)),
            "destination 0:db8:1::/48 offset 16 protocol =58");
}

// --- Next hop ---------------------------------------------------------------

TEST(FlowspecNextHop, LengthZeroIsNormal) {
  for (bool vpn : {false, true}) {
    for (Afi afi : {Afi::kIpv4, Afi::kIpv6}) {
      const FamilyDesc& d = Row(afi, vpn);
      SCOPED_TRACE(d.name);
      EXPECT_TRUE(d.check_next_hop({}).ok());
      absl::StatusOr<MpNextHop> nh = d.decode_next_hop({});
      ASSERT_TRUE(nh.ok());
      EXPECT_EQ(nh->address.afi(), afi);
      std::vector<uint8_t> out;
      {
        wire::Writer w(&out);
        ASSERT_TRUE(d.encode_next_hop(*nh, w));
      }
      EXPECT_TRUE(out.empty());
      // A given address is written.
      MpNextHop given;
      given.address =
          *IpAddress::Parse(afi == Afi::kIpv4 ? "192.0.2.1" : "2001:db8::1");
      {
        wire::Writer w(&out);
        ASSERT_TRUE(d.encode_next_hop(given, w));
      }
      EXPECT_EQ(out.size(), afi == Afi::kIpv4 ? 4u : 16u);
      EXPECT_TRUE(d.check_next_hop(out).ok());
      EXPECT_EQ(d.decode_next_hop(out)->address, given.address);
      EXPECT_FALSE(d.check_next_hop(FromHex("0102")).ok());
      EXPECT_EQ(d.check_next_hop(std::vector<uint8_t>(12)).ok(),
                vpn && afi == Afi::kIpv4);
    }
  }
}

// --- Traffic actions --------------------------------------------------------

TEST(FlowspecActions, CommunitiesGoldenAndText) {
  struct Case {
    const char* text;
    const char* hex;
  };
  const Case cases[] = {
      {"discard", "8006000000000000"},
      // 1000 = 0x447a0000 as IEEE float32.
      {"rate-limit:1000", "80060000447a0000"},
      {"rate-limit:65000:1.5", "8006fde83fc00000"},
      {"rate-limit-packets:100", "800c000042c80000"},
      {"action:sample", "8007000000000002"},
      {"action:terminal", "8007000000000001"},
      {"action:sample,terminal", "8007000000000003"},
      {"action:none", "8007000000000000"},
      {"redirect:65000:100", "8008fde800000064"},
      {"redirect:192.0.2.1:100", "8108c00002010064"},
      {"redirect:4200000000:100", "8208fa56ea000064"},
      {"redirect:65000L:100", "82080000fde80064"},
      {"mark:46", "800900000000002e"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<ExtendedCommunity> e = ExtendedCommunity::Parse(c.text);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(ToHex(e->bytes), c.hex);
    EXPECT_EQ(e->ToString(), c.text);
  }
  // A NaN rate or stray bits fall back to the generic form.
  ExtendedCommunity odd;
  odd.bytes = {0x80, 0x09, 0, 0, 0, 0, 1, 0x2e};
  EXPECT_EQ(odd.ToString(), "0x80:0x09:00000000012e");
  odd.bytes = {0x80, 0x06, 0, 0, 0x7f, 0xc0, 0, 0};
  EXPECT_EQ(odd.ToString(), "0x80:0x06:00007fc00000");
  for (const char* bad : {"rate-limit:x", "mark:64", "action:fast",
                          "redirect:1.2.3.4:70000", "rate-limit:1:2:3"}) {
    EXPECT_FALSE(ExtendedCommunity::Parse(bad).ok()) << bad;
  }
}

TEST(FlowspecActions, RuleActionPart) {
  auto texts = [](absl::string_view rule) {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<ExtendedCommunity>> a =
        ParseFlowspecActions(rule);
    if (!a.ok())
      return std::vector<std::string>{std::string(a.status().message())};
    for (const ExtendedCommunity& c : *a) out.push_back(c.ToString());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(texts("destination 10.0.0.0/24"), V{});
  EXPECT_EQ(texts("destination 10.0.0.0/24 action discard"), V{"discard"});
  EXPECT_EQ(texts("action rate-limit 1000"), V{"rate-limit:1000"});
  EXPECT_EQ(texts("action rate-limit-packets 100"),
            V{"rate-limit-packets:100"});
  EXPECT_EQ(texts("action redirect 65000:100"), V{"redirect:65000:100"});
  EXPECT_EQ(texts("action redirect 192.0.2.1:100"),
            V{"redirect:192.0.2.1:100"});
  EXPECT_EQ(texts("action redirect 4200000000:100"),
            V{"redirect:4200000000:100"});
  EXPECT_EQ(texts("action mark 46"), V{"mark:46"});
  EXPECT_EQ(texts("action sample"), V{"action:sample"});
  EXPECT_EQ(texts("action terminal"), V{"action:terminal"});
  EXPECT_EQ(texts("action sample,terminal"), V{"action:sample,terminal"});
  EXPECT_EQ(texts("port =80 action mark 46, sample rate-limit 5 terminal"),
            (V{"mark:46", "action:sample,terminal", "rate-limit:5"}));
  EXPECT_EQ(texts("action"), V{"\"action\" with no action after it"});
  EXPECT_EQ(texts("action mark 99"),
            V{"action mark: \"99\" is not a DSCP value (0-63)"});
  EXPECT_EQ(texts("action rate-limit"), V{"action rate-limit needs a value"});
  EXPECT_NE(texts("action explode")[0].find("unknown action \"explode\""),
            std::string::npos);
}

}  // namespace
}  // namespace bgpy
