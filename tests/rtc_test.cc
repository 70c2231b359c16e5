// Copyright 2026 The bgpy Authors.
//
// Route Target membership NLRI (RFC 4684, lib/families/rtc.cc): golden
// entries built by hand from the RFC 4684 §4 layout, malformed entries, the
// operator text, generation, seeded round trips (wire -> typed -> wire,
// text -> typed -> text), and every SAFI 132 route of the shared corpus
// against tshark's decode.
#include "bgpy/rtc.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/decode_context.h"
#include "bgpy/json.h"
#include "bgpy/nlri.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/corpus.h"
#include "testlib/hex.h"
#include "testlib/json.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

const Family kRtc(Afi::kIpv4, Safi::kRouteTarget);

const FamilyDesc& Row() {
  const FamilyDesc* d = FindFamilyByName("rtc");
  EXPECT_NE(d, nullptr);
  return *d;
}

std::vector<uint8_t> Encode(const NlriValue& v) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    EXPECT_TRUE(Row().encode(v, w));
  }
  return out;
}

absl::StatusOr<RtcRoute> Decode(absl::string_view hex) {
  const std::vector<uint8_t> bytes = FromHex(hex);
  wire::Reader r(bytes);
  wire::Bytes entry;
  std::string why;
  if (!Row().split_entry(r, entry, &why))
    return absl::InvalidArgumentError(why);
  if (!r.empty()) return absl::InvalidArgumentError("bytes left over");
  NlriValue v;
  if (absl::Status st = Row().decode(entry, v); !st.ok()) return st;
  return std::get<RtcRoute>(v);
}

RtcRoute Rtc(uint32_t as, uint64_t rt, uint8_t len) {
  RtcRoute r;
  r.origin_as = as;
  r.route_target = rt;
  r.length = len;
  return r;
}

TEST(RtcTest, RowIsRegisteredAndDecoded) {
  EXPECT_EQ(Row().family, kRtc);
  EXPECT_FALSE(Row().opaque);
  EXPECT_TRUE(IsKnownFamily(kRtc));
  EXPECT_THAT(DecodedFamilies(), ::testing::Contains(kRtc));
}

// Hand-built per RFC 4684 §4: length (bits), origin AS (4), route target (8),
// truncated to the length.
TEST(RtcTest, GoldenEntries) {
  struct Golden {
    const char* hex;
    RtcRoute value;
    const char* text;
  };
  const Golden goldens[] = {
      // The default route target: zero length, nothing else.
      {"00", Rtc(0, 0, 0), "default"},
      // AS 65000, rt:65000:100 (type 0x00, subtype 0x02, AS2 0xfde8,
      // local 100).
      {"60"
       "0000fde8"
       "0002fde800000064",
       Rtc(65000, 0x0002fde800000064, 96), "65000:rt:65000:100"},
      // IPv4-address route target rt:192.0.2.1:7 from AS 4200000000.
      {"60"
       "fa56ea00"
       "0102c000020100"
       "07",
       Rtc(4200000000u, 0x0102c00002010007, 96), "4200000000:rt:192.0.2.1:7"},
      // The origin AS alone.
      {"20"
       "00000016",
       Rtc(22, 0, 32), "22:0x00:0x00:000000000000/32"},
      // The route target's type and subtype only (48 bits).
      {"30"
       "00000016"
       "0002",
       Rtc(22, 0x0002000000000000, 48), "22:rt:0:0/48"},
      // A length that ends inside an octet: 83 bits (51 of the target).
      {"53"
       "00000017"
       "0102010203"
       "04"
       "e0",
       Rtc(23, 0x010201020304e000, 83), "23:rt:1.2.3.4:57344/83"},
  };
  for (const Golden& g : goldens) {
    SCOPED_TRACE(g.text);
    absl::StatusOr<RtcRoute> r = Decode(g.hex);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, g.value);
    EXPECT_EQ(ToHex(Encode(g.value)), g.hex);
    EXPECT_EQ(Row().encoded_size(g.value), FromHex(g.hex).size());
    EXPECT_EQ(g.value.ToString(), g.text);
    EXPECT_EQ(NlriText(kRtc, g.value), g.text);
    absl::StatusOr<RtcRoute> back = RtcRoute::Parse(g.text);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, g.value);
  }
}

TEST(RtcTest, Json) {
  std::string out;
  JsonWriter j(&out);
  j.BeginObject();
  Row().json(Rtc(65000, 0x0002fde800000064, 96), j);
  j.EndObject();
  EXPECT_EQ(out,
            "{\"rtc\":\"65000:rt:65000:100\",\"origin_as\":65000,"
            "\"route_target\":\"rt:65000:100\",\"prefix_length\":96}");
  out.clear();
  JsonWriter k(&out);
  k.BeginObject();
  Row().json(RtcRoute(), k);
  k.EndObject();
  EXPECT_EQ(out, "{\"rtc\":\"default\",\"default\":true,\"prefix_length\":0}");
}

TEST(RtcTest, MalformedEntries) {
  struct Bad {
    const char* hex;
    const char* why;
  };
  const Bad bad[] = {
      {"", "empty"},
      // RFC 4684 §4: 1..31 bits would cut the origin AS.
      {"01"
       "00",
       "0 or 32..96"},
      {"1f"
       "00000000",
       "0 or 32..96"},
      {"61"
       "0000fde80002fde80000006400",
       "exceeds 96"},
      {"ff", "exceeds 96"},
      // Shorter than the length says.
      {"60"
       "0000fde80002fde8000000",
       "needs 12 octets"},
      {"20"
       "000000",
       "needs 4 octets"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.hex);
    absl::StatusOr<RtcRoute> r = Decode(b.hex);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr(b.why));
  }
  // A whole NLRI field with a bad second entry is refused as 3/9 material.
  const std::vector<uint8_t> field = FromHex(
      "00"
      "1f00000000");
  EXPECT_FALSE(NlriView::Validate(kRtc, field, false, 9).ok());
  EXPECT_TRUE(NlriView::Validate(kRtc,
                                 FromHex("00"
                                         "2000000016"),
                                 false, 9)
                  .ok());
  // decode of an entry whose size does not match its length.
  NlriValue v;
  const std::vector<uint8_t> entry = FromHex("2000000016ff");
  EXPECT_FALSE(Row().decode(entry, v).ok());
  // Bits past the length are irrelevant: cleared on decode.
  absl::StatusOr<RtcRoute> r = Decode(
      "21"
      "00000016"
      "ff");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Rtc(22, 0x8000000000000000, 33));
  // encode refuses values outside the family's lengths.
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  EXPECT_FALSE(Row().encode(Rtc(1, 0, 12), w));
  EXPECT_FALSE(Row().encode(NlriValue(OpaqueNlri{}), w));
}

TEST(RtcTest, MalformedText) {
  for (const char* text :
       {"", "65000", "65000:rt:65000:100/31", "65000:rt:65000:100/97",
        "65000:rt:65000:100/0", "x:rt:65000:100", "-1:rt:65000:100",
        "65000:rt:bogus", "65000:rt:65000:100/40",  // bits past /40 set
        "65000:rt:65000:100/", "4294967296:rt:1:1", "Default"}) {
    SCOPED_TRACE(text);
    absl::StatusOr<RtcRoute> r = RtcRoute::Parse(text);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(ParseNlri(kRtc, text).ok());
  }
}

TEST(RtcTest, GenerateStepsTheLocalNumber) {
  RouteTemplate t;
  t.origin_as = 65000;
  absl::StatusOr<NlriValue> none = Row().generate(t, 0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(none.status().message()),
              ::testing::HasSubstr("--route-targets"));

  auto rt = [](const char* text) {
    absl::StatusOr<ExtendedCommunity> c = ExtendedCommunity::Parse(text);
    EXPECT_TRUE(c.ok()) << text;
    uint64_t v = 0;
    for (uint8_t b : c->bytes) v = (v << 8) | b;
    return v;
  };
  t.route_target = rt("rt:65000:100");
  EXPECT_EQ(NlriText(kRtc, *Row().generate(t, 0)), "65000:rt:65000:100");
  EXPECT_EQ(NlriText(kRtc, *Row().generate(t, 5)), "65000:rt:65000:105");
  // A 4-octet local number (type 0x00) goes past 65535.
  EXPECT_EQ(NlriText(kRtc, *Row().generate(t, 70000)), "65000:rt:65000:70100");
  EXPECT_EQ(Row().generate(t, 0xffffffffull).status().code(),
            absl::StatusCode::kOutOfRange);
  // IPv4-address and 4-octet-AS targets have a 2-octet local number.
  t.route_target = rt("rt:192.0.2.1:65534");
  EXPECT_EQ(NlriText(kRtc, *Row().generate(t, 1)), "65000:rt:192.0.2.1:65535");
  EXPECT_EQ(Row().generate(t, 2).status().code(),
            absl::StatusCode::kOutOfRange);
  t.route_target = rt("rt:4200000000:1");
  EXPECT_EQ(NlriText(kRtc, *Row().generate(t, 9)), "65000:rt:4200000000:10");
  // Not a route target.
  t.route_target = rt("ro:65000:1");
  EXPECT_FALSE(Row().generate(t, 0).ok());
  // advance agrees with generate.
  t.route_target = rt("rt:65000:100");
  absl::StatusOr<NlriValue> a = Row().advance(*Row().generate(t, 0), 7);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(std::get<RtcRoute>(*a), std::get<RtcRoute>(*Row().generate(t, 7)));
}

RtcRoute RandomRtc(std::mt19937_64& rng) {
  const int n = static_cast<int>(rng() % 66);
  if (n == 65) return RtcRoute();
  RtcRoute r;
  r.length = static_cast<uint8_t>(32 + n);
  r.origin_as = static_cast<uint32_t>(rng());
  const int rt_bits = r.length - 32;
  r.route_target = rt_bits == 0    ? 0
                   : rt_bits == 64 ? rng()
                                   : rng() & ~(~uint64_t{0} >> rt_bits);
  return r;
}

TEST(RtcTest, SeededRoundTrips) {
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    std::mt19937_64 rng(seed);
    const RtcRoute v = RandomRtc(rng);
    SCOPED_TRACE(absl::StrCat("seed ", seed, " ", v.ToString()));
    // wire -> typed -> wire
    const std::vector<uint8_t> bytes = Encode(v);
    EXPECT_EQ(bytes.size(), 1 + (v.length + 7u) / 8u);
    absl::StatusOr<RtcRoute> back = Decode(ToHex(bytes));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, v);
    // text -> typed -> text
    const std::string text = v.ToString();
    absl::StatusOr<RtcRoute> parsed = RtcRoute::Parse(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, v);
    EXPECT_EQ(parsed->ToString(), text);
  }
}

// An UPDATE of RTC routes built with UpdateBuilder reads back route by route.
TEST(RtcTest, BuilderAndRouteView) {
  SessionParams params;
  UpdateBuilder b(params);
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{};
  MpNextHop nh;
  nh.address = *IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(b.SetAttributes(a, kRtc, nh).ok());
  const RtcRoute routes[] = {RtcRoute(), Rtc(65000, 0x0002fde800000064, 96),
                             Rtc(22, 0x0002000000000000, 48)};
  for (const RtcRoute& r : routes) ASSERT_TRUE(b.AnnounceValue(r).ok());
  std::vector<uint8_t> out;
  ASSERT_GT(b.Flush(out), 0u);
  absl::StatusOr<UpdateView> v = UpdateView::Parse(out, params);
  ASSERT_TRUE(v.ok()) << v.status();
  std::vector<std::string> texts;
  for (const RouteView& r : v->routes()) {
    EXPECT_EQ(r.family, kRtc);
    EXPECT_EQ(ToHex(r.next_hop_bytes), "c0000201");
    texts.push_back(r.Text());
  }
  EXPECT_EQ(texts, std::vector<std::string>(
                       {"default", "65000:rt:65000:100", "22:rt:0:0/48"}));
}

// Every SAFI 132 route in the corpus: decodes, re-encodes to its bytes, and
// agrees with tshark where tshark decodes it (full /96 entries; tshark
// shows nothing for partial ones).
TEST(RtcTest, Corpus) {
  std::optional<std::string> shared = ::bgpy::testing::FindSharedDir();
  if (!shared) GTEST_SKIP() << "no shared corpus";
  absl::StatusOr<::bgpy::testing::Corpus> corpus =
      ::bgpy::testing::Corpus::Load(*shared + "/corpus");
  ASSERT_TRUE(corpus.ok()) << corpus.status();
  int files = 0, messages = 0, routes = 0, compared = 0;
  std::vector<std::string> texts;
  for (const std::string& file : corpus->hex_files()) {
    absl::StatusOr<std::vector<std::string>> lines = corpus->ReadHexLines(file);
    ASSERT_TRUE(lines.ok()) << lines.status();
    absl::StatusOr<std::vector<::bgpy::testing::TsharkMessage>> tshark =
        corpus->LoadTshark(file);
    bool file_has = false;
    for (size_t i = 0; i < lines->size(); ++i) {
      const std::vector<uint8_t> bytes = FromHex((*lines)[i]);
      if (bytes.size() < 19 || bytes[18] != 2) continue;  // UPDATEs only
      const SessionParams params = DecodeContext().For(bytes);
      absl::StatusOr<UpdateView> v = UpdateView::Parse(bytes, params);
      if (!v.ok()) continue;
      std::vector<std::string> in_message;
      for (const RouteView& r : v->routes()) {
        if (r.family != kRtc) continue;
        SCOPED_TRACE(absl::StrCat(file, ":", i + 1));
        NlriValue value;
        ASSERT_TRUE(r.Decode(value).ok());
        std::vector<uint8_t> again = Encode(value);
        EXPECT_EQ(ToHex(again),
                  ToHex(std::vector<uint8_t>(r.entry.begin(), r.entry.end())));
        in_message.push_back(NlriText(kRtc, value));
        ++routes;
      }
      if (in_message.empty()) continue;
      file_has = true;
      ++messages;
      texts.insert(texts.end(), in_message.begin(), in_message.end());
      // tshark: "bgp.originating_as" and "bgp.community_prefix" of /96s.
      if (!tshark.ok() || i >= tshark->size()) continue;
      const std::vector<std::string> as =
          ::bgpy::testing::FindAllText((*tshark)[i].bgp, "bgp.originating_as");
      const std::vector<std::string> rt = ::bgpy::testing::FindAllText(
          (*tshark)[i].bgp, "bgp.community_prefix");
      ASSERT_EQ(as.size(), rt.size());
      size_t k = 0;
      for (const std::string& t : in_message) {
        if (absl::StrContains(t, "/")) continue;  // partial: not decoded
        ASSERT_LT(k, as.size());
        const std::string theirs = absl::StrCat(as[k], ":rt:", rt[k]);
        if (t == "22:rt:100000:65535") {
          // tshark 4.0.17 prints the global administrator of a 4-octet-AS
          // route target (type 0x02) as 4294967295; the octets are
          // 02 02 000186a0 ffff: AS 100000 (RFC 5668 §2), local 65535.
          EXPECT_EQ(theirs, "22:rt:4294967295:65535");
        } else {
          EXPECT_EQ(t, theirs);
        }
        ++k;
        ++compared;
      }
      EXPECT_EQ(k, as.size());
    }
    files += file_has;
  }
  // What the corpus holds today: one capture (tcpdump's bgp-rt-prefix),
  // eight UPDATEs of one route each, three of them full-length.
  EXPECT_EQ(files, 1);
  EXPECT_EQ(messages, 8);
  EXPECT_EQ(routes, 8);
  EXPECT_EQ(compared, 3);
  EXPECT_EQ(texts, std::vector<std::string>(
                       {"22:0x00:0x00:000000000000/32", "22:rt:0:0/48",
                        "22:rt:65536:0/80", "22:rt:1:65537",
                        "22:rt:100000:65535", "23:rt:0.0.0.0:0/48",
                        "23:rt:1.2.3.4:57344/83", "23:rt:1.2.3.4:65535"}));
}

}  // namespace
}  // namespace bgpy
