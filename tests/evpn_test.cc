// Copyright 2026 The bgpy Authors.
//
// l2vpn-evpn: golden vectors per route type hand-built from the layouts of
// RFC 7432 §7.1–§7.4 and RFC 9136 §3, malformed entries, seeded random
// round trips (wire and text), route generation, the EVPN extended
// communities, and a whole UPDATE with a type-3 route and a PMSI tunnel.
#include "bgpy/evpn.h"

#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/format.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "bgpy/nlri.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::HasSubstr;

const Family kEvpn(Afi::kL2vpn, Safi::kEvpn);

const FamilyDesc& Row() {
  const FamilyDesc* d = FindFamilyByName("l2vpn-evpn");
  EXPECT_NE(d, nullptr);
  return *d;
}

// Splits exactly one entry off `bytes` and decodes it with the row.
absl::StatusOr<EvpnRoute> DecodeOne(const std::vector<uint8_t>& bytes) {
  wire::Reader r(bytes);
  wire::Bytes entry;
  std::string why;
  if (!Row().split_entry(r, entry, &why)) {
    return absl::InvalidArgumentError(absl::StrCat("split: ", why));
  }
  if (!r.empty()) return absl::InvalidArgumentError("bytes after the entry");
  NlriValue v;
  if (absl::Status st = Row().decode(entry, v); !st.ok()) return st;
  if (!std::holds_alternative<EvpnRoute>(v)) {
    return absl::InternalError("not an EvpnRoute");
  }
  return std::get<EvpnRoute>(v);
}

std::vector<uint8_t> EncodeOne(const EvpnRoute& route) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    EXPECT_TRUE(Row().encode(NlriValue(route), w));
  }
  EXPECT_EQ(out.size(), Row().encoded_size(NlriValue(route)));
  return out;
}

std::string Text(const EvpnRoute& route) {
  std::string out;
  Row().text(NlriValue(route), out);
  return out;
}

std::string Json(const EvpnRoute& route) {
  std::string out;
  JsonWriter j(&out);
  j.BeginObject();
  Row().json(NlriValue(route), j);
  j.EndObject();
  return out;
}

// --- Golden vectors --------------------------------------------------------

struct Golden {
  const char* hex;
  const char* text;
};

// RD 65000:1 = 0000 fde8 00000001 (type 0); 192.0.2.1:1 = 0001 c0000201
// 0001 (type 1); 4200000000:7 = 0002 fa56ea00 0007 (type 2). Labels: 000641
// is label 100 with bottom of stack; 00271a, 0003e9 and 018a9c are VNIs.
// ESI types 0-5, one per vector: 0 (arbitrary), 1 (LACP), 2 (bridge),
// 3 (MAC-based), 4 (router id), 5 (AS-based).
const Golden kGolden[] = {
    // Type 1 (§7.1): RD, ESI, Ethernet tag, MPLS label.
    {"01 19 0000fde800000001 00112233445566778899 00000064 000641",
     "[1][65000:1][00:11:22:33:44:55:66:77:88:99][100] label 100"},
    // Type 2 (§7.2), no IP, one label.
    {"02 21 0001c00002010001 00000000000000000000 00000000 30 aabbccddeeff "
     "00 000641",
     "[2][192.0.2.1:1][0][0][aa:bb:cc:dd:ee:ff][] label 100"},
    // Type 2, IPv4, two labels (an MPLS label and a VNI).
    {"02 28 0000fde800000001 01aabbccddeeff010200 00000000 30 001122334455 "
     "20 0a000001 000641 0003e9",
     "[2][65000:1][01:aa:bb:cc:dd:ee:ff:01:02:00][0][00:11:22:33:44:55]"
     "[10.0.0.1] label 100 vni 1001"},
    // Type 2, IPv6, one VNI.
    {"02 31 0000fde800000001 02aabbccddeeff800000 0000000a 30 001122334455 "
     "80 20010db8000000000000000000000001 00271a",
     "[2][65000:1][02:aa:bb:cc:dd:ee:ff:80:00:00][10][00:11:22:33:44:55]"
     "[2001:db8::1] vni 10010"},
    // Type 3 (§7.3): RD, Ethernet tag, originating router's IP.
    {"03 11 0002fa56ea000007 00000000 20 c0000201",
     "[3][4200000000:7][0][192.0.2.1]"},
    {"03 1d 0000fde800000001 0000000a 80 20010db8000000000000000000000002",
     "[3][65000:1][10][2001:db8::2]"},
    // Type 4 (§7.4): RD, ESI, originating router's IP.
    {"04 17 0000fde800000001 03aabbccddeeff000001 20 c0000201",
     "[4][65000:1][03:aa:bb:cc:dd:ee:ff:00:00:01][192.0.2.1]"},
    {"04 23 0000fde800000001 04c00002010000000500 80 "
     "20010db8000000000000000000000002",
     "[4][65000:1][04:c0:00:02:01:00:00:00:05:00][2001:db8::2]"},
    // Type 5 (RFC 9136 §3.1): RD, ESI, tag, prefix length, prefix, gateway,
    // label; 34 octets for IPv4, 58 for IPv6.
    {"05 22 0000fde800000001 050000fde80000000100 00000000 18 0a010000 "
     "00000000 018a9c",
     "[5][65000:1][05:00:00:fd:e8:00:00:00:01:00][0][10.1.0.0/24][0.0.0.0] "
     "vni 101020"},
    {"05 3a 0000fde800000001 00000000000000000000 00000000 40 "
     "20010db8000100000000000000000000 20010db8000000000000000000000001 "
     "000641",
     "[5][65000:1][0][0][2001:db8:1::/64][2001:db8::1] label 100"},
    // Route types bgpy does not know: kept as found.
    {"09 03 aabbcc", "[9][aabbcc]"},
    {"00 00", "[0][]"},
};

TEST(EvpnGolden, DecodeEncodeTextParse) {
  for (const Golden& g : kGolden) {
    SCOPED_TRACE(g.text);
    const std::vector<uint8_t> bytes = FromHex(g.hex);
    absl::StatusOr<EvpnRoute> r = DecodeOne(bytes);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(Text(*r), g.text);
    EXPECT_EQ(ToHex(EncodeOne(*r)), ToHex(bytes));
    absl::StatusOr<NlriValue> parsed = Row().parse(g.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_TRUE(std::holds_alternative<EvpnRoute>(*parsed));
    EXPECT_EQ(std::get<EvpnRoute>(*parsed), *r);
    EXPECT_EQ(ToHex(EncodeOne(std::get<EvpnRoute>(*parsed))), ToHex(bytes));
    // The generic entry points agree with the row.
    EXPECT_EQ(FormatNlriEntry(kEvpn, bytes), g.text);
    EXPECT_EQ(NlriText(kEvpn, *parsed), g.text);
  }
}

TEST(EvpnGolden, TypedFields) {
  absl::StatusOr<EvpnRoute> r = DecodeOne(FromHex(kGolden[2].hex));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->type, EvpnRoute::kMacIpAdvertisement);
  EXPECT_EQ(r->rd, *RouteDistinguisher::Parse("65000:1"));
  EXPECT_EQ(r->esi.type(), Esi::kLacp);
  EXPECT_EQ(r->mac.ToString(), "00:11:22:33:44:55");
  ASSERT_TRUE(r->ip.has_value());
  EXPECT_EQ(r->ip->ToString(), "10.0.0.1");
  ASSERT_EQ(r->labels.size(), 2u);
  EXPECT_EQ(r->labels[0].label(), 100u);
  EXPECT_EQ(r->labels[0].raw, 0x641u);
  EXPECT_FALSE(r->labels[0].vni);
  EXPECT_EQ(r->labels[1].raw, 1001u);
  EXPECT_TRUE(r->labels[1].vni);

  r = DecodeOne(FromHex(kGolden[8].hex));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->type, EvpnRoute::kIpPrefix);
  EXPECT_EQ(r->esi.type(), Esi::kAsBased);
  EXPECT_EQ(r->prefix_length, 24);
  EXPECT_EQ(r->ip->ToString(), "10.1.0.0");
  EXPECT_EQ(r->gateway.ToString(), "0.0.0.0");
  EXPECT_EQ(r->labels[0].raw, 101020u);
}

TEST(EvpnGolden, Json) {
  absl::StatusOr<EvpnRoute> r = DecodeOne(FromHex(
      "02 25 0000fde800000001 00000000000000000000 00000000 30 aabbccddeeff "
      "20 0a000001 000641"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(
      Json(*r),
      "{\"route_type\":2,\"rd\":\"65000:1\",\"esi\":\"0\","
      "\"ethernet_tag\":0,\"mac\":\"aa:bb:cc:dd:ee:ff\",\"ip\":\"10.0.0.1\","
      "\"labels\":[100],\"vnis\":[1601]}");
  r = DecodeOne(FromHex(kGolden[4].hex));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Json(*r),
            "{\"route_type\":3,\"rd\":\"4200000000:7\",\"ethernet_tag\":0,"
            "\"originating_router\":\"192.0.2.1\"}");
  r = DecodeOne(FromHex(kGolden[8].hex));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Json(*r),
            "{\"route_type\":5,\"rd\":\"65000:1\","
            "\"esi\":\"05:00:00:fd:e8:00:00:00:01:00\",\"ethernet_tag\":0,"
            "\"prefix\":\"10.1.0.0/24\",\"gateway\":\"0.0.0.0\","
            "\"labels\":[6313],\"vnis\":[101020]}");
  r = DecodeOne(FromHex(kGolden[10].hex));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Json(*r), "{\"route_type\":9,\"hex\":\"aabbcc\"}");
}

TEST(EvpnGolden, EsiTypedForms) {
  struct Case {
    const char* text;
    const char* hex;
  };
  const Case cases[] = {
      {"lacp:aa:bb:cc:dd:ee:ff:258", "01aabbccddeeff010200"},
      {"bridge:aa:bb:cc:dd:ee:ff:32768", "02aabbccddeeff800000"},
      {"mac:aa:bb:cc:dd:ee:ff:1", "03aabbccddeeff000001"},
      {"router-id:192.0.2.1:5", "04c00002010000000500"},
      {"as:65000:1", "050000fde80000000100"},
      {"00:11:22:33:44:55:66:77:88:99", "00112233445566778899"},
      {"0", "00000000000000000000"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<Esi> e = Esi::Parse(c.text);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(ToHex(std::vector<uint8_t>(e->bytes.begin(), e->bytes.end())),
              c.hex);
    // What ToString writes parses back to the same ten octets.
    EXPECT_EQ(*Esi::Parse(e->ToString()), *e);
  }
  for (const char* bad :
       {"lacp:aa:bb:cc:dd:ee:ff:65536", "mac:aa:bb:cc:dd:ee:ff:16777216",
        "router-id:192.0.2:5", "as:4294967296:1", "lacp:aa:bb:cc:dd:ee:1",
        "foo:1:2", "1", ""}) {
    EXPECT_FALSE(Esi::Parse(bad).ok()) << bad;
  }
}

// --- Malformed -------------------------------------------------------------

TEST(EvpnMalformed, ErrorsNameTheField) {
  const std::string rd = "0000fde800000001";
  const std::string esi = "00000000000000000000";
  const std::string tag = "00000000";
  const std::string mac = "aabbccddeeff";
  struct Case {
    std::string hex;
    std::string want;
  };
  std::vector<Case> cases;
  cases.push_back({"01 18" + std::string(48, '0'), "length 24 (expected 25)"});
  cases.push_back({"02 21" + rd + esi + tag + "28" + mac + "00 000641",
                   "MAC address length 40 (expected 48)"});
  cases.push_back({"02 24" + rd + esi + tag + "30" + mac + "18 0a0000 000641",
                   "IP address length 24 (expected 0, 32 or 128)"});
  cases.push_back(
      {"02 22" + rd + esi + tag + "30" + mac + "00 00064100", "MPLS label"});
  cases.push_back({"02 2b" + rd + esi + tag + "30" + mac + "20 0a000001" +
                       "000641000641000641",
                   "MPLS label"});
  cases.push_back({"02 10" + std::string(32, '0'), "at least 33"});
  cases.push_back({"03 11" + rd + tag + "40 c0000201",
                   "originating router's IP address length 64"});
  cases.push_back({"03 11" + rd + tag + "80 c0000201",
                   "originating router's IP address length 128"});
  cases.push_back({"04 05 0102030405", "length 5"});
  cases.push_back({"04 17" + rd + esi + "00 c0000201",
                   "originating router's IP address length 0"});
  cases.push_back({"05 28" + std::string(80, '0'), "length 40 (expected 34"});
  cases.push_back({"05 22" + rd + esi + tag + "21 0a010000 00000000 000641",
                   "IP prefix length 33 exceeds 32"});
  cases.push_back(
      {"05 3a" + rd + esi + tag + "81" + std::string(64, '0') + "000641",
       "IP prefix length 129 exceeds 128"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    absl::StatusOr<EvpnRoute> r = DecodeOne(FromHex(c.hex));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.want));
    EXPECT_THAT(r.status().message(), HasSubstr("EVPN route type"));
  }
  // The route's own length octet must match its entry.
  EvpnRoute out;
  absl::Status st = EvpnRoute::Decode(FromHex("01 19 00"), out);
  EXPECT_THAT(st.message(), HasSubstr("length 25 but 1 octets follow"));
  EXPECT_FALSE(EvpnRoute::Decode(FromHex("01"), out).ok());
}

TEST(EvpnMalformed, SplitIsBoundsChecked) {
  struct Case {
    const char* hex;
    const char* want;
  };
  const Case cases[] = {
      {"02", "need a route type and a length"},
      {"02 21 00", "length 33 exceeds the 1 octets left"},
      {"03 ff", "length 255 exceeds the 0 octets left"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    const std::vector<uint8_t> bytes = FromHex(c.hex);
    wire::Reader r(bytes);
    wire::Bytes entry;
    std::string why;
    EXPECT_FALSE(Row().split_entry(r, entry, &why));
    EXPECT_THAT(why, HasSubstr(c.want));
    EXPECT_EQ(r.offset(), 0u);  // left where it was
    // The MP_REACH check turns it into an UPDATE error.
    EXPECT_FALSE(NlriView::Validate(kEvpn, bytes, false, 9).ok());
  }
  // Two entries back to back split into two.
  std::vector<uint8_t> two = FromHex(kGolden[4].hex);
  const std::vector<uint8_t> second = FromHex(kGolden[0].hex);
  two.insert(two.end(), second.begin(), second.end());
  ASSERT_TRUE(NlriView::Validate(kEvpn, two, false, 9).ok());
  NlriView view(kEvpn, two, false);
  EXPECT_EQ(view.size(), 2u);
}

TEST(EvpnMalformed, ParseRejects) {
  for (const char* bad : {
           "",
           "[2]",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][]",  // no label
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][] label 1 label 2 label 3",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:zz][] label 1",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][10.0.0.256] label 1",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][] label 1048576",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][] vni 16777216",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][] mpls 5",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][]label 5",
           "[1][65000:1][0][4294967296] label 1",
           "[1][x][0][0] label 1",
           "[3][65000:1][0][]",
           "[3][65000:1][0][192.0.2.1] label 5",
           "[4][65000:1][1][192.0.2.1]",
           "[5][65000:1][0][0][10.0.0.0/33][0.0.0.0] label 1",
           "[5][65000:1][0][0][10.0.0.0][0.0.0.0] label 1",
           "[5][65000:1][0][0][10.0.0.0/8][::] label 1",
           "[256][00]",
           "[9][zz]",
           "[9][00] label 1",
           "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][",
       }) {
    SCOPED_TRACE(bad);
    absl::StatusOr<NlriValue> v = Row().parse(bad);
    EXPECT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

// --- Seeded random round trips ---------------------------------------------

IpAddress RandomIp(std::mt19937_64& rng, bool v6) {
  if (!v6) return IpAddress::V4(static_cast<uint32_t>(rng()));
  std::array<uint8_t, 16> b;
  for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
  if (rng() % 3 == 0) std::fill(b.begin() + 4, b.begin() + 12, 0);
  return IpAddress::V6(b);
}

EvpnLabel RandomLabel(std::mt19937_64& rng) {
  uint32_t raw = static_cast<uint32_t>(rng()) & 0xffffff;
  if (rng() % 2 == 0) raw = (raw & ~0xfu) | 1;  // MPLS form
  return EvpnLabel::FromRaw(raw);
}

EvpnRoute RandomRoute(std::mt19937_64& rng) {
  EvpnRoute r;
  const int k = static_cast<int>(rng() % 7);
  if (k < 5) {
    r.type = static_cast<uint8_t>(k + 1);
  } else if (k == 5) {
    r.type = static_cast<uint8_t>(rng() % 2 ? 0 : 6 + rng() % 250);
    r.raw.resize(rng() % 40);
    for (uint8_t& b : r.raw) b = static_cast<uint8_t>(rng());
    return r;
  } else {
    r.type = EvpnRoute::kMacIpAdvertisement;
  }
  // Mostly RDs of types 0-2, sometimes any type.
  r.rd = RouteDistinguisher::FromRaw(
      rng() % 4 == 0 ? rng() : (rng() % 3) << 48 | (rng() & 0xffffffffffffULL));
  if (r.type != EvpnRoute::kInclusiveMulticast && rng() % 4 != 0) {
    for (uint8_t& b : r.esi.bytes) b = static_cast<uint8_t>(rng());
  }
  if (r.type != EvpnRoute::kEthernetSegment) {
    r.ethernet_tag = static_cast<uint32_t>(rng());
  }
  const bool v6 = rng() % 2 == 0;
  switch (r.type) {
    case EvpnRoute::kEthernetAutoDiscovery:
      r.labels.push_back(RandomLabel(rng));
      break;
    case EvpnRoute::kMacIpAdvertisement:
      for (uint8_t& b : r.mac.bytes) b = static_cast<uint8_t>(rng());
      if (rng() % 3 != 0) r.ip = RandomIp(rng, v6);
      r.labels.push_back(RandomLabel(rng));
      if (rng() % 2) r.labels.push_back(RandomLabel(rng));
      break;
    case EvpnRoute::kInclusiveMulticast:
    case EvpnRoute::kEthernetSegment:
      r.ip = RandomIp(rng, v6);
      break;
    default:  // type 5
      r.ip = RandomIp(rng, v6);
      r.prefix_length = static_cast<uint8_t>(rng() % (v6 ? 129 : 33));
      r.gateway = RandomIp(rng, v6);
      r.labels.push_back(RandomLabel(rng));
      break;
  }
  return r;
}

TEST(EvpnProperty, WireTypedWire) {
  std::mt19937_64 rng(0xe7e7);
  for (int i = 0; i < 3000; ++i) {
    const EvpnRoute route = RandomRoute(rng);
    const std::vector<uint8_t> bytes = EncodeOne(route);
    ASSERT_FALSE(bytes.empty());
    absl::StatusOr<EvpnRoute> back = DecodeOne(bytes);
    ASSERT_TRUE(back.ok()) << back.status() << " " << ToHex(bytes);
    ASSERT_EQ(*back, route) << ToHex(bytes);
    ASSERT_EQ(ToHex(EncodeOne(*back)), ToHex(bytes));
  }
}

TEST(EvpnProperty, TextTypedText) {
  std::mt19937_64 rng(0x7432);
  for (int i = 0; i < 3000; ++i) {
    const EvpnRoute route = RandomRoute(rng);
    const std::string text = Text(route);
    absl::StatusOr<NlriValue> parsed = Row().parse(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status() << " " << text;
    ASSERT_TRUE(std::holds_alternative<EvpnRoute>(*parsed));
    ASSERT_EQ(std::get<EvpnRoute>(*parsed), route) << text;
    ASSERT_EQ(Text(std::get<EvpnRoute>(*parsed)), text);
  }
}

// Random octets behind a valid type and length: decode either fails with
// a message or succeeds and re-encodes the same octets.
TEST(EvpnProperty, RandomOctetsNeverMisdecode) {
  std::mt19937_64 rng(9136);
  const uint8_t lengths[] = {17, 23, 25, 29, 33, 34, 35,
                             36, 37, 40, 49, 52, 58};
  int decoded = 0;
  for (int i = 0; i < 5000; ++i) {
    std::vector<uint8_t> bytes;
    bytes.push_back(static_cast<uint8_t>(1 + rng() % 6));
    const uint8_t len = rng() % 4 == 0 ? static_cast<uint8_t>(rng() % 64)
                                       : lengths[rng() % std::size(lengths)];
    bytes.push_back(len);
    for (int j = 0; j < len; ++j) bytes.push_back(static_cast<uint8_t>(rng()));
    // Make the length octets inside plausible half the time.
    if (rng() % 2 && bytes[0] == 2 && len >= 33) {
      bytes[2 + 22] = 48;
      bytes[2 + 29] =
          static_cast<uint8_t>(len - 33 == 4 || len - 36 == 4     ? 32
                               : len - 33 == 16 || len - 36 == 16 ? 128
                                                                  : 0);
    }
    absl::StatusOr<EvpnRoute> r = DecodeOne(bytes);
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty());
      continue;
    }
    ++decoded;
    ASSERT_EQ(ToHex(EncodeOne(*r)), ToHex(bytes));
    absl::StatusOr<NlriValue> again = Row().parse(Text(*r));
    ASSERT_TRUE(again.ok()) << again.status() << " " << Text(*r);
    ASSERT_EQ(std::get<EvpnRoute>(*again), *r);
  }
  EXPECT_GT(decoded, 1000);
}

// --- Generation ------------------------------------------------------------

EvpnRoute Generated(const RouteTemplate& t, uint64_t i) {
  absl::StatusOr<NlriValue> v = Row().generate(t, i);
  EXPECT_TRUE(v.ok()) << v.status();
  if (!v.ok()) return EvpnRoute();
  return std::get<EvpnRoute>(*v);
}

TEST(EvpnGenerate, MacIpRoutes) {
  RouteTemplate t;
  t.evpn_route_type = 2;
  t.rd = *RouteDistinguisher::Parse("65000:1");
  t.rd_step = 1;
  t.mac = *MacAddress::Parse("aa:bb:cc:00:00:ff");
  t.prefix = *Prefix::Parse("10.0.0.1/32");
  t.label = 100;
  t.label_step = 2;
  EXPECT_EQ(Text(Generated(t, 0)),
            "[2][65000:1][0][0][aa:bb:cc:00:00:ff][10.0.0.1] label 100");
  EXPECT_EQ(Text(Generated(t, 3)),
            "[2][65000:4][0][0][aa:bb:cc:00:01:02][10.0.0.4] label 106");
  // Not a host prefix: no IP. A VNI takes the label's place.
  t.prefix = *Prefix::Parse("10.0.0.0/24");
  t.vni = 10010;
  t.esi = *Esi::Parse("as:65000:1");
  t.ethernet_tag = 7;
  t.rd_step = 0;
  EXPECT_EQ(Text(Generated(t, 1)),
            "[2][65000:1][05:00:00:fd:e8:00:00:00:01:00][7][aa:bb:cc:00:01:00]"
            "[] vni 10010");
  // advance steps the MAC (and the IP when there is one).
  t.prefix = *Prefix::Parse("2001:db8::1/128");
  absl::StatusOr<NlriValue> a = Row().advance(NlriValue(Generated(t, 0)), 5);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(std::get<EvpnRoute>(*a), Generated(t, 5));
  // Default label 16; labels wrap above the reserved 0-15.
  RouteTemplate d;
  d.rd = *RouteDistinguisher::Parse("65000:1");
  d.mac = *MacAddress::Parse("00:00:00:00:00:01");
  EXPECT_EQ(Generated(d, 0).labels[0].label(), 16u);
  d.label = 0xfffff;
  d.label_step = 1;
  EXPECT_EQ(Generated(d, 1).labels[0].label(), 16u);
}

TEST(EvpnGenerate, OtherTypes) {
  RouteTemplate t;
  t.rd = *RouteDistinguisher::Parse("192.0.2.1:100");
  t.prefix = *Prefix::Parse("192.0.2.1/32");
  t.evpn_route_type = 3;
  EXPECT_EQ(Text(Generated(t, 2)), "[3][192.0.2.1:100][0][192.0.2.3]");
  t.evpn_route_type = 4;
  t.esi = *Esi::Parse("lacp:aa:bb:cc:dd:ee:ff:1");
  EXPECT_EQ(Text(Generated(t, 0)),
            "[4][192.0.2.1:100][01:aa:bb:cc:dd:ee:ff:00:01:00][192.0.2.1]");
  t.evpn_route_type = 1;
  t.ethernet_tag = 10;
  t.label = 500;
  EXPECT_EQ(Text(Generated(t, 1)),
            "[1][192.0.2.1:100][01:aa:bb:cc:dd:ee:ff:00:01:00][11] label 500");
  t.evpn_route_type = 5;
  t.prefix = *Prefix::Parse("10.1.0.0/24");
  t.esi = Esi();
  t.ethernet_tag = 0;
  t.vni = 101020;
  EXPECT_EQ(Text(Generated(t, 3)),
            "[5][192.0.2.1:100][0][0][10.1.3.0/24][0.0.0.0] vni 101020");
  absl::StatusOr<NlriValue> a = Row().advance(NlriValue(Generated(t, 0)), 3);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(std::get<EvpnRoute>(*a), Generated(t, 3));
  t.prefix = *Prefix::Parse("2001:db8::/64");
  t.vni.reset();
  EXPECT_EQ(Text(Generated(t, 1)),
            "[5][192.0.2.1:100][0][0][2001:db8:0:1::/64][::] label 500");
}

TEST(EvpnGenerate, ErrorsNameTheFlag) {
  RouteTemplate t;
  t.mac = *MacAddress::Parse("00:00:00:00:00:01");
  EXPECT_THAT(Row().generate(t, 0).status().message(), HasSubstr("--rd"));
  t.rd = *RouteDistinguisher::Parse("65000:1");
  t.mac = MacAddress();
  EXPECT_THAT(Row().generate(t, 0).status().message(), HasSubstr("--mac"));
  t.mac = *MacAddress::Parse("ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(Row().generate(t, 1).status().code(),
            absl::StatusCode::kOutOfRange);
  t.label = 3;
  EXPECT_THAT(Row().generate(t, 0).status().message(), HasSubstr("--label"));
  t.label.reset();
  t.vni = 1u << 24;
  EXPECT_THAT(Row().generate(t, 0).status().message(), HasSubstr("--vni"));
  t.vni.reset();
  t.evpn_route_type = 3;
  t.prefix = *Prefix::Parse("10.0.0.0/24");
  EXPECT_THAT(Row().generate(t, 0).status().message(), HasSubstr("--prefix"));
  t.evpn_route_type = 7;
  EXPECT_THAT(Row().generate(t, 0).status().message(),
              HasSubstr("--evpn-route-type"));
  for (absl::StatusCode code : {Row().generate(t, 0).status().code()}) {
    EXPECT_EQ(code, absl::StatusCode::kInvalidArgument);
  }
  EvpnRoute unknown;
  unknown.type = 9;
  EXPECT_EQ(Row().advance(NlriValue(unknown), 1).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(EvpnNextHop, Ipv4OrIpv6) {
  for (const char* ok :
       {"c0000201", "20010db8000000000000000000000001",
        "20010db8000000000000000000000001fe800000000000000000000000000001"}) {
    const std::vector<uint8_t> nh = FromHex(ok);
    EXPECT_TRUE(Row().check_next_hop(nh).ok()) << ok;
    absl::StatusOr<MpNextHop> d = Row().decode_next_hop(nh);
    ASSERT_TRUE(d.ok());
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      ASSERT_TRUE(Row().encode_next_hop(*d, w));
    }
    EXPECT_EQ(ToHex(out), ok);
  }
  EXPECT_FALSE(Row().check_next_hop(FromHex("c000020101")).ok());
  EXPECT_FALSE(Row().check_next_hop({}).ok());
}

// --- Extended communities --------------------------------------------------

TEST(EvpnExtCommunities, TextAndBytes) {
  struct Case {
    const char* hex;
    const char* text;
  };
  const Case cases[] = {
      {"0600000000000005", "mac-mobility:5"},
      {"0600010000000007", "mac-mobility:7:sticky"},
      {"0601000000000640", "esi-label:100"},
      {"0601010000000640", "esi-label:100:single-active"},
      {"0602aabbccddeeff", "es-import:aa:bb:cc:dd:ee:ff"},
      {"06030cdb11001b08", "router-mac:0c:db:11:00:1b:08"},
      {"030c000000000008", "encap:vxlan"},
      {"030c00000000000a", "encap:mpls"},
      {"030c00000000012c", "encap:300"},
      {"030d000000000000", "default-gateway"},
      // Bits the named forms cannot show: the generic form keeps them.
      {"0600020000000001", "0x06:0x00:020000000001"},
      {"0601000000000641", "0x06:0x01:000000000641"},
      {"030d000000000001", "0x03:0x0d:000000000001"},
      {"030c000100000008", "0x03:0x0c:000100000008"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ExtendedCommunity e;
    const std::vector<uint8_t> bytes = FromHex(c.hex);
    std::copy(bytes.begin(), bytes.end(), e.bytes.begin());
    EXPECT_EQ(e.ToString(), c.text);
    absl::StatusOr<ExtendedCommunity> p = ExtendedCommunity::Parse(c.text);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(ToHex(std::vector<uint8_t>(p->bytes.begin(), p->bytes.end())),
              c.hex);
  }
  for (const char* bad :
       {"mac-mobility:x", "mac-mobility:5:stiky", "mac-mobility",
        "mac-mobility:4294967296", "esi-label:1048576", "esi-label:1:active",
        "es-import:aa", "router-mac:aa:bb:cc:dd:ee:gg", "encap:bogus",
        "encap:65536", "default-gateway:1"}) {
    EXPECT_FALSE(ExtendedCommunity::Parse(bad).ok()) << bad;
  }
}

TEST(EvpnExtCommunities, RandomRoundTrip) {
  std::mt19937_64 rng(8365);
  const uint8_t kinds[][2] = {{0x06, 0x00}, {0x06, 0x01}, {0x06, 0x02},
                              {0x06, 0x03}, {0x03, 0x0c}, {0x03, 0x0d}};
  for (int i = 0; i < 2000; ++i) {
    ExtendedCommunity e;
    const auto& k = kinds[rng() % std::size(kinds)];
    e.bytes[0] = k[0];
    e.bytes[1] = k[1];
    for (int j = 2; j < 8; ++j) {
      // Mostly zero reserved octets and small flags, so named forms occur.
      e.bytes[j] = rng() % 3 == 0 ? static_cast<uint8_t>(rng())
                                  : static_cast<uint8_t>(rng() % 2);
    }
    const std::string text = e.ToString();
    absl::StatusOr<ExtendedCommunity> p = ExtendedCommunity::Parse(text);
    ASSERT_TRUE(p.ok()) << text << ": " << p.status();
    ASSERT_EQ(p->bytes, e.bytes) << text;
    ASSERT_EQ(p->ToString(), text);
  }
}

// --- A whole UPDATE: type-3 route with a PMSI tunnel -------------------------

TEST(EvpnUpdate, InclusiveMulticastWithPmsiTunnel) {
  SessionParams params;
  absl::StatusOr<EvpnRoute> route =
      EvpnRoute::Parse("[3][192.0.2.1:100][0][192.0.2.1]");
  ASSERT_TRUE(route.ok()) << route.status();

  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{};
  a.ext_communities.push_back(ExtendedCommunity::RouteTarget(65000, 100));
  a.ext_communities.push_back(*ExtendedCommunity::Parse("encap:vxlan"));
  PmsiTunnel pmsi;
  pmsi.type = PmsiTunnelType::kIngressReplication;
  pmsi.label_field = 10010;  // the VNI (RFC 8365 §5.1.3)
  pmsi.tunnel_id = IpAddress::V4(0xc0000201);
  a.pmsi_tunnel = pmsi;
  MpNextHop nh;
  nh.address = IpAddress::V4(0xc0000201);

  UpdateBuilder b(params);
  ASSERT_TRUE(b.SetAttributes(a, kEvpn, nh).ok());
  ASSERT_TRUE(b.AnnounceValue(NlriValue(*route)).ok());
  std::vector<uint8_t> msg;
  ASSERT_GT(b.Flush(msg), 0u);

  absl::StatusOr<UpdateView> v = UpdateView::Parse(msg, params);
  ASSERT_TRUE(v.ok()) << v.status();
  // Hand-built per RFC 4760 §3 and RFC 7432 §7.3: AFI 25, SAFI 70, next
  // hop 4 octets, reserved, then the route (type 3, length 17).
  std::optional<AttributeView> mp = v->Find(AttrCode::kMpReachNlri);
  ASSERT_TRUE(mp.has_value());
  EXPECT_EQ(ToHex(std::vector<uint8_t>(mp->value.begin(), mp->value.end())),
            "00194604c000020100"
            "0311"
            "0001c00002010064"
            "00000000"
            "20c0000201");
  // RFC 6514 §5: flags 0, type 6 (ingress replication), label field,
  // tunnel identifier = the IPv4 endpoint.
  std::optional<AttributeView> p = v->Find(AttrCode::kPmsiTunnel);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(ToHex(std::vector<uint8_t>(p->value.begin(), p->value.end())),
            "000600271ac0000201");

  size_t n = 0;
  for (const RouteView& r : v->routes()) {
    ++n;
    EXPECT_EQ(r.family, kEvpn);
    NlriValue value;
    ASSERT_TRUE(r.Decode(value).ok());
    EXPECT_EQ(std::get<EvpnRoute>(value), *route);
    EXPECT_EQ(r.Text(), "[3][192.0.2.1:100][0][192.0.2.1]");
    ASSERT_TRUE(r.next_hop().has_value());
    EXPECT_EQ(r.next_hop()->ToString(), "192.0.2.1");
  }
  EXPECT_EQ(n, 1u);

  // Decoded attributes build the same message again, byte for byte.
  const PathAttributes back =
      DecodePathAttributes(v->attributes_bytes(), params);
  ASSERT_TRUE(back.pmsi_tunnel.has_value());
  EXPECT_EQ(*back.pmsi_tunnel, pmsi);
  EXPECT_EQ(back.ext_communities, a.ext_communities);
  UpdateBuilder again(params);
  ASSERT_TRUE(again.SetAttributes(back, kEvpn, nh).ok());
  ASSERT_TRUE(again.AnnounceValue(NlriValue(*route)).ok());
  std::vector<uint8_t> msg2;
  again.Flush(msg2);
  EXPECT_EQ(ToHex(msg2), ToHex(msg));

  // Text and JSON rendering carry the route and the communities.
  const std::string text =
      RenderMessage(msg, params, OutputFormat::kText, MessageMeta{});
  EXPECT_THAT(text, HasSubstr("[3][192.0.2.1:100][0][192.0.2.1]"));
  EXPECT_THAT(text, HasSubstr("encap:vxlan"));
  const std::string json = JsonLine(msg, params);
  EXPECT_THAT(json, HasSubstr("\"route_type\":3"));
  EXPECT_THAT(json, HasSubstr("\"originating_router\":\"192.0.2.1\""));
}

}  // namespace
}  // namespace bgpy
