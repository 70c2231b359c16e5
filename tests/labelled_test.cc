// Copyright 2026 The bgpy Authors.
//
// Labelled unicast (RFC 8277, SAFI 4): golden entries built by hand from
// the RFC 8277 §2 layout (length in bits, 3-octet label entries up to the
// bottom-of-stack one, prefix), withdrawal label fields (RFC 3107 §3,
// RFC 8277 §2.4), malformed entries, seeded round trips, ADD-PATH, next
// hops and route generation. Also the label stack type of vpn.h.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "bgpy/nlri.h"
#include "bgpy/vpn.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::testing::HasSubstr;

const Family kV4Lu(Afi::kIpv4, Safi::kLabeledUnicast);
const Family kV6Lu(Afi::kIpv6, Safi::kLabeledUnicast);

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

// --- Label stack entries (RFC 8277 §2, RFC 3032 §2.1 fields) -------------

TEST(MplsLabelTest, RawLayout) {
  // Label 100, TC 5, bottom: 0000 0000 0110 0100 | 101 | 1 = 0x00064b.
  const MplsLabel e{100, 5, true};
  EXPECT_EQ(e.raw(), 0x00064bu);
  EXPECT_EQ(MplsLabel::FromRaw(0x00064b), e);
  EXPECT_EQ(MplsLabel::FromRaw(0xfffff1).label, 0xfffffu);
  EXPECT_EQ(MplsLabel::FromRaw(MplsLabel::kWithdrawRaw).label, 524288u);
  EXPECT_FALSE(MplsLabel::FromRaw(MplsLabel::kWithdrawRaw).bottom);
}

TEST(LabelStackTest, TextForms) {
  EXPECT_EQ(LabelStack::Of({100}).ToString(), "100");
  EXPECT_EQ(LabelStack::Of({100, 200}).ToString(), "100,200");
  LabelStack tc = LabelStack::Of({100, 200});
  tc.entries[0].tc = 5;
  EXPECT_EQ(tc.ToString(), "100/tc5,200");
  EXPECT_FALSE(tc.canonical());
  EXPECT_EQ(*LabelStack::Parse("100/tc5,200"), tc);
  // The 0x000000 withdrawal field: label 0 without bottom-of-stack.
  LabelStack zero;
  zero.entries.push_back(MplsLabel{0, 0, false});
  EXPECT_EQ(zero.ToString(), "0/nobos");
  EXPECT_EQ(*LabelStack::Parse("0/nobos"), zero);
  // Bad text names the label.
  for (const char* bad : {"", "x", "1048576", "100,", "100/tc8", "100/foo",
                          "100/nobos", "0,0/nobos", "-1"}) {
    absl::StatusOr<LabelStack> s = LabelStack::Parse(bad);
    EXPECT_FALSE(s.ok()) << bad;
    if (!s.ok()) {
      EXPECT_THAT(s.status().message(), HasSubstr("label"));
    }
  }
}

TEST(LabelStackTest, ReadStopsAtBottomOrWithdrawalField) {
  size_t used = 0;
  std::vector<uint8_t> b = FromHex("000640 000c81 0a0000");
  absl::StatusOr<LabelStack> s = LabelStack::Read(b.data(), b.size(), &used);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, LabelStack::Of({100, 200}));
  EXPECT_EQ(used, 6u);
  // RFC 3107 §3 / RFC 8277 §2.4: 0x800000 is the whole (empty) stack.
  b = FromHex("800000 0a0000");
  s = LabelStack::Read(b.data(), b.size(), &used);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->empty());
  EXPECT_EQ(used, 3u);
  // 0x000000, as some speakers send in withdrawals.
  b = FromHex("000000 0a0000");
  s = LabelStack::Read(b.data(), b.size(), &used);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ToString(), "0/nobos");
  EXPECT_EQ(used, 3u);
  // No bottom-of-stack bit within the bytes.
  b = FromHex("000640 000c80");
  s = LabelStack::Read(b.data(), b.size(), &used);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("bottom-of-stack"));
}

// --- Golden entries ------------------------------------------------------

struct Golden {
  Family family;
  const char* hex;   // the entry as on the wire
  const char* text;  // operator text
  const char* json;  // "" to skip
};

std::vector<Golden> GoldenEntries() {
  std::vector<Golden> g;
  // 10.0.0.0/24, label 100: length 24 + 24 = 48 (0x30); entry 0x000641.
  g.push_back({kV4Lu, "30 000641 0a0000", "10.0.0.0/24 label 100",
               R"({"prefix":"10.0.0.0/24","labels":[100]})"});
  // Two labels (RFC 8277 §2.1 Multiple Labels): 24 + 48 = 72 (0x48).
  g.push_back({kV4Lu, "48 000640 000c81 0a0000", "10.0.0.0/24 label 100,200",
               R"({"prefix":"10.0.0.0/24","labels":[100,200]})"});
  // TC bits kept: label 100, TC 5.
  g.push_back(
      {kV4Lu, "30 00064b 0a0000", "10.0.0.0/24 label 100/tc5",
       R"({"prefix":"10.0.0.0/24","labels":[100],"label_stack":"100/tc5"})"});
  // Host route, label 1048575 (the highest), length 24 + 32 = 56.
  g.push_back({kV4Lu, "38 fffff1 c0000201", "192.0.2.1/32 label 1048575", ""});
  // Default route: the length covers only the label.
  g.push_back({kV4Lu, "18 000031", "0.0.0.0/0 label 3", ""});
  // Withdrawals (RFC 8277 §2.4): 0x800000 is the empty stack ...
  g.push_back({kV4Lu, "30 800000 0a0000", "10.0.0.0/24",
               R"({"prefix":"10.0.0.0/24","labels":[]})"});
  // ... and 0x000000 is kept as found.
  g.push_back({kV4Lu, "30 000000 0a0000", "10.0.0.0/24 label 0/nobos", ""});
  // IPv6: 2001:db8::/32 label 16 (0x000101), length 24 + 32 = 56.
  g.push_back({kV6Lu, "38 000101 20010db8", "2001:db8::/32 label 16",
               R"({"prefix":"2001:db8::/32","labels":[16]})"});
  g.push_back({kV6Lu, "b0 000100 000111 20010db8000000000000000000000001",
               "2001:db8::1/128 label 16,17", ""});
  g.push_back({kV6Lu, "58 800000 20010db800010000", "2001:db8:1::/64", ""});
  return g;
}

TEST(LabelledGolden, DecodeTextJsonEncode) {
  for (const Golden& c : GoldenEntries()) {
    SCOPED_TRACE(c.hex);
    const std::vector<uint8_t> wire_bytes = FromHex(c.hex);
    // The NLRI walk splits exactly this entry.
    EXPECT_TRUE(NlriView::Validate(c.family, wire_bytes, false, 9).ok());
    NlriView view(c.family, wire_bytes, false);
    ASSERT_EQ(view.size(), 1u);
    EXPECT_EQ(view.begin()->bytes.size(), wire_bytes.size());
    NlriValue v;
    ASSERT_TRUE(DecodeNlri(c.family, wire_bytes, v).ok());
    ASSERT_TRUE(std::holds_alternative<LabelledPrefix>(v));
    EXPECT_EQ(NlriText(c.family, v), c.text);
    if (*c.json) {
      EXPECT_EQ(Json(c.family, v), c.json);
    }
    EXPECT_EQ(Encode(c.family, v), wire_bytes);
    EXPECT_EQ(Row(c.family).encoded_size(v), wire_bytes.size());
    absl::StatusOr<NlriValue> parsed = ParseNlri(c.family, c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, v);
  }
}

TEST(LabelledGolden, HostBitsCleared) {
  // 10.0.0.0/20 with host bits set in the last octet (RFC 4271 §4.3: they
  // are irrelevant); re-encoded cleared.
  NlriValue v;
  ASSERT_TRUE(DecodeNlri(kV4Lu, FromHex("2c 000641 0a000f"), v).ok());
  EXPECT_EQ(NlriText(kV4Lu, v), "10.0.0.0/20 label 100");
  EXPECT_EQ(Encode(kV4Lu, v), FromHex("2c 000641 0a0000"));
}

TEST(LabelledGolden, EmptyStackEncodesTheWithdrawalField) {
  // A withdrawal built from operator text without a label carries 0x800000
  // (RFC 8277 §2.4, RFC 3107 §3).
  absl::StatusOr<NlriValue> v = ParseNlri(kV4Lu, "10.1.0.0/16");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Encode(kV4Lu, *v), FromHex("28 800000 0a01"));
}

// --- Malformed entries ---------------------------------------------------

TEST(LabelledMalformed, ErrorsNameTheField) {
  struct Bad {
    Family family;
    const char* hex;
    const char* says;
  };
  const Bad cases[] = {
      // Length 16 bits: not even the label.
      {kV4Lu, "10 000641", "does not cover a label"},
      // Length 0.
      {kV4Lu, "00", "does not cover a label"},
      // 33 prefix bits after the label.
      {kV4Lu, "39 000641 0a00000000", "prefix length 33"},
      // IPv6: 129 bits.
      {kV6Lu, "99 000101 20010db8000000000000000000000000 00",
       "prefix length 129"},
      // No bottom-of-stack bit within the entry's length.
      {kV4Lu, "30 000640 0a0000", "bottom-of-stack"},
      // Two labels but the length covers one and a bit.
      {kV4Lu, "20 000640 00", "bottom-of-stack"},
      // Length beyond the field.
      {kV4Lu, "30 000641 0a", "needs 6 octets"},
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

TEST(LabelledMalformed, ParseRefusesWhatDoesNotEncode) {
  EXPECT_FALSE(ParseNlri(kV4Lu, "2001:db8::/32 label 16").ok());
  EXPECT_FALSE(ParseNlri(kV6Lu, "10.0.0.0/8 label 16").ok());
  EXPECT_FALSE(ParseNlri(kV4Lu, "10.0.0.0/8 lable 16").ok());
  EXPECT_FALSE(ParseNlri(kV4Lu, "10.0.0.0/8 label").ok());
  EXPECT_FALSE(ParseNlri(kV4Lu, "10.0.0.1/8 label 16").ok());
  // Ten labels and a /32: 24 * 10 + 32 bits > 255.
  absl::StatusOr<NlriValue> big =
      ParseNlri(kV4Lu, "10.0.0.1/32 label 16,17,18,19,20,21,22,23,24,25");
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.status().message(), HasSubstr("255"));
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

// One to three labels with random TC (bottom on the last), sometimes the
// empty or 0x000000 withdrawal field.
LabelStack RandomStack(std::mt19937_64& rng, int max_labels) {
  LabelStack s;
  switch (rng() % 10) {
    case 0:
      return s;  // 0x800000
    case 1:
      s.entries.push_back(MplsLabel{0, 0, false});  // 0x000000
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
    // A top entry of 0x800000 / 0x000000 would read as a withdrawal field.
    if (i == 0 && !e.bottom && e.tc == 0 && (e.label == 0 || e.label == 524288))
      e.label = 16;
    s.entries.push_back(e);
  }
  return s;
}

TEST(LabelledProperty, WireTypedWire) {
  std::mt19937_64 rng(8277);
  for (int i = 0; i < 1000; ++i) {
    const Family f = i % 2 ? kV6Lu : kV4Lu;
    LabelledPrefix lp;
    lp.prefix = RandomPrefix(f.afi, rng);
    lp.labels = RandomStack(rng, 3);  // 72 + 128 bits fit the length octet
    SCOPED_TRACE(lp.ToString());
    const std::vector<uint8_t> b = Encode(f, lp);
    ASSERT_FALSE(b.empty());
    ASSERT_TRUE(NlriView::Validate(f, b, false, 9).ok());
    NlriValue back;
    ASSERT_TRUE(DecodeNlri(f, b, back).ok());
    EXPECT_EQ(back, NlriValue(lp));
    EXPECT_EQ(Encode(f, back), b);
  }
}

TEST(LabelledProperty, RandomWireDecodesOrSaysWhy) {
  // Arbitrary entries: whatever splits decodes and re-encodes to the same
  // bytes once host bits are cleared; nothing crashes.
  std::mt19937_64 rng(3107);
  int decoded = 0;
  for (int i = 0; i < 1000; ++i) {
    const Family f = i % 2 ? kV6Lu : kV4Lu;
    std::vector<uint8_t> b(1 + rng() % 24);
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng());
    b[0] = static_cast<uint8_t>(8 * (b.size() - 1) - rng() % 8);
    if (b.size() >= 4 && rng() % 2) b[3] |= 1;  // often one label
    NlriValue v;
    const absl::Status st = DecodeNlri(f, b, v);
    const bool splits = NlriView::Validate(f, b, false, 9).ok();
    EXPECT_EQ(st.ok(), splits) << testing::ToHex(b) << " " << st;
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

TEST(LabelledProperty, TextTypedText) {
  std::mt19937_64 rng(4364);
  for (int i = 0; i < 1000; ++i) {
    const Family f = i % 2 ? kV6Lu : kV4Lu;
    LabelledPrefix lp;
    lp.prefix = RandomPrefix(f.afi, rng);
    lp.labels = RandomStack(rng, 3);
    const std::string text = NlriText(f, lp);
    SCOPED_TRACE(text);
    absl::StatusOr<NlriValue> parsed = ParseNlri(f, text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, NlriValue(lp));
    EXPECT_EQ(NlriText(f, *parsed), text);
  }
}

// --- ADD-PATH (RFC 7911 §3: the path id comes before the length) ---------

TEST(LabelledAddPath, PathIdBeforeLength) {
  const std::vector<uint8_t> b =
      FromHex("00000005 30 000641 0a0000 00000006 48 000640 000c81 0a0100");
  ASSERT_TRUE(NlriView::Validate(kV4Lu, b, true, 9).ok());
  NlriView view(kV4Lu, b, true);
  std::vector<std::string> got;
  for (const NlriEntryView& e : view) {
    NlriValue v;
    ASSERT_TRUE(DecodeNlri(kV4Lu, e.bytes, v).ok());
    got.push_back(absl::StrCat(e.path_id.value_or(0), " ", NlriText(kV4Lu, v)));
  }
  EXPECT_THAT(got, ::testing::ElementsAre("5 10.0.0.0/24 label 100",
                                          "6 10.1.0.0/24 label 100,200"));
  // Without ADD-PATH the same bytes do not split.
  EXPECT_FALSE(NlriView::Validate(kV4Lu, b, false, 9).ok());
}

// --- Next hops: as IP unicast --------------------------------------------

TEST(LabelledNextHop, AsIpUnicast) {
  struct Case {
    Family family;
    const char* hex;
    const char* text;
  };
  const Case ok[] = {
      {kV4Lu, "c0000201", "192.0.2.1"},
      // RFC 8950 extended next hop: IPv6 global, and global + link-local.
      {kV4Lu, "20010db8000000000000000000000001", "2001:db8::1"},
      {kV4Lu,
       "20010db8000000000000000000000001fe800000000000000000000000000001",
       "2001:db8::1 fe80::1"},
      {kV6Lu, "20010db8000000000000000000000001", "2001:db8::1"},
      {kV6Lu,
       "20010db8000000000000000000000001fe800000000000000000000000000001",
       "2001:db8::1 fe80::1"},
  };
  for (const Case& c : ok) {
    SCOPED_TRACE(c.hex);
    const FamilyDesc& d = Row(c.family);
    const std::vector<uint8_t> nh = FromHex(c.hex);
    ASSERT_TRUE(d.check_next_hop(nh).ok());
    absl::StatusOr<MpNextHop> hop = d.decode_next_hop(nh);
    ASSERT_TRUE(hop.ok());
    EXPECT_EQ(hop->ToString(), c.text);
    std::vector<uint8_t> out;
    wire::Writer w(&out);
    ASSERT_TRUE(d.encode_next_hop(*hop, w));
    w.Finish();
    EXPECT_EQ(out, nh);
  }
  EXPECT_FALSE(Row(kV6Lu).check_next_hop(FromHex("c0000201")).ok());
  EXPECT_FALSE(
      Row(kV4Lu).check_next_hop(FromHex("0000000000000000c0000201")).ok());
}

// --- Route generation ----------------------------------------------------

TEST(LabelledGenerate, PrefixAndLabelStep) {
  RouteTemplate t;
  t.prefix = *Prefix::Parse("10.0.0.0/24");
  const FamilyDesc& d = Row(kV4Lu);
  absl::StatusOr<NlriValue> v = d.generate(t, 0);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(NlriText(kV4Lu, *v), "10.0.0.0/24 label 16");  // default label
  t.label = 1000;
  t.label_step = 10;
  v = d.generate(t, 258);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(NlriText(kV4Lu, *v), "10.1.2.0/24 label 3580");
  // Wraps within 16..1048575.
  t.label = 1048575;
  t.label_step = 1;
  v = d.generate(t, 1);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(NlriText(kV4Lu, *v), "10.0.1.0/24 label 16");
  v = d.generate(t, 1048560);  // one full turn
  ASSERT_TRUE(v.ok());
  EXPECT_THAT(NlriText(kV4Lu, *v), HasSubstr("label 1048575"));
  // Advance steps the prefix and keeps the labels.
  absl::StatusOr<NlriValue> a =
      d.advance(*ParseNlri(kV4Lu, "10.0.0.0/24 label 100,200"), 3);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(NlriText(kV4Lu, *a), "10.0.3.0/24 label 100,200");
  // The wrong address family, a label out of range, the end of the space.
  EXPECT_EQ(Row(kV6Lu).generate(t, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  t.label = 1048576;
  EXPECT_EQ(d.generate(t, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  t.label = 100;
  t.prefix = *Prefix::Parse("255.255.255.0/24");
  EXPECT_EQ(d.generate(t, 1).status().code(), absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace bgpy
