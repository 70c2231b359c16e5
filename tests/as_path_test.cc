// Copyright 2026 The bgpy Authors.
//
// Tests for AS_PATH / AS4_PATH values, their text form and RFC 6793 merging.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

constexpr AsSegmentType kSeq = AsSegmentType::kSequence;
constexpr AsSegmentType kSet = AsSegmentType::kSet;
constexpr AsSegmentType kCSeq = AsSegmentType::kConfedSequence;
constexpr AsSegmentType kCSet = AsSegmentType::kConfedSet;

std::vector<uint8_t> Encode(const AsPath& p, bool four) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  EXPECT_TRUE(EncodeAsPath(p, four, w));
  w.Finish();
  return out;
}

uint8_t Subcode(const absl::Status& st) {
  auto n = GetNotification(st);
  return n ? n->subcode : 0;
}

// "65000 65001 {3 4} (65010)" in 4-octet form, one field per line.
const char kGolden4[] =
    "02 02 0000fde8 0000fde9"  // AS_SEQUENCE 65000 65001 (bytes 0-9)
    "01 02 00000003 00000004"  // AS_SET {3 4} (bytes 10-19)
    "03 01 0000fdf2";          // AS_CONFED_SEQUENCE (65010) (bytes 20-25)
const AsPath kGoldenPath{
    {{kSeq, {65000, 65001}}, {kSet, {3, 4}}, {kCSeq, {65010}}}};

TEST(AsPathTest, GoldenFourOctet) {
  std::vector<uint8_t> b = FromHex(kGolden4);
  auto p = DecodeAsPath(b, true);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, kGoldenPath);
  EXPECT_EQ(p->ToString(), "65000 65001 {3 4} (65010)");
  EXPECT_EQ(p->Length(), 3u);  // 2 + SET as 1 + confed as 0
  EXPECT_EQ(ToHex(Encode(*p, true)), ToHex(b));
}

TEST(AsPathTest, GoldenTwoOctetWithAsTrans) {
  std::vector<uint8_t> b = FromHex(
      "02 03"           // AS_SEQUENCE of 3
      "fde8 5ba0 0001"  // 65000 AS_TRANS 1
      "04 01 fdf3");    // AS_CONFED_SET [65011]
  auto p = DecodeAsPath(b, false);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ToString(), "65000 23456 1 [65011]");
  // RFC 6793 §4.2.2: a 4-octet ASN becomes AS_TRANS in 2-octet form.
  AsPath big{{{kSeq, {65000, 4200000000u, 1}}, {kCSet, {65011}}}};
  EXPECT_EQ(ToHex(Encode(big, false)), ToHex(b));
}

TEST(AsPathTest, TruncationAtEveryByte) {
  std::vector<uint8_t> b = FromHex(kGolden4);
  for (size_t n = 0; n < b.size(); ++n) {
    SCOPED_TRACE(absl::StrCat("cut at ", n));
    auto p = DecodeAsPath(wire::Bytes(b.data(), n), true);
    if (n == 0 || n == 10 || n == 20) {  // segment boundaries
      ASSERT_TRUE(p.ok());
      EXPECT_EQ(p->segments.size(), n / 10);
    } else {
      ASSERT_FALSE(p.ok());
      EXPECT_EQ(Subcode(p.status()),
                static_cast<uint8_t>(UpdateSubcode::kMalformedAsPath));
    }
  }
}

TEST(AsPathTest, MalformedSegments) {
  struct Case {
    const char* hex;
    const char* message;
  };
  const Case cases[] = {
      {"0200", "segment 1 is empty"},  // RFC 7606 §7.2
      {"0000", "segment 1 type 0"},
      {"0501 00000001", "segment 1 type 5"},
      {"0201 00000001 0203 00000001", "segment 2 of 3"},
      {"02", "segment 1 header truncated"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    auto p = DecodeAsPath(FromHex(c.hex), true);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(Subcode(p.status()),
              static_cast<uint8_t>(UpdateSubcode::kMalformedAsPath));
    EXPECT_THAT(std::string(p.status().message()),
                ::testing::HasSubstr(c.message));
  }
}

TEST(AsPathTest, LongSegmentsAreSplit) {
  AsPath p{{{kSeq, std::vector<uint32_t>(300, 65000)}}};
  std::vector<uint8_t> b = Encode(p, true);
  ASSERT_EQ(b.size(), 2 + 255 * 4 + 2 + 45 * 4);
  EXPECT_EQ(b[0], 2);
  EXPECT_EQ(b[1], 255);
  EXPECT_EQ(b[2 + 255 * 4 + 1], 45);
  auto d = DecodeAsPath(b, true);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->Length(), 300u);
  EXPECT_EQ(d->segments.size(), 2u);
}

TEST(AsPathTest, TextBothWays) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"", ""},
      {"65000", "65000"},
      {"65000 65001 {3 4} (65010)", "65000 65001 {3 4} (65010)"},
      {"65000 65001 {3,4} (65010) [65011]",
       "65000 65001 {3 4} (65010) [65011]"},
      {"  1   2  ", "1 2"},
      {"(1 2) 3 {4} 5", "(1 2) 3 {4} 5"},
      {"4294967295", "4294967295"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    auto p = AsPath::Parse(c.in);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->ToString(), c.out);
    auto again = AsPath::Parse(p->ToString());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *p);
  }
  EXPECT_EQ(
      AsPath::Parse("1 {2 3} 4")->segments,
      (std::vector<AsPathSegment>{{kSeq, {1}}, {kSet, {2, 3}}, {kSeq, {4}}}));
  for (const char* bad :
       {"{", "{}", "1 }", "{1 (2)}", "4294967296", "1 x", "(1]", "-1"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(AsPath::Parse(bad).ok());
  }
}

TEST(AsPathTest, RandomRoundTrip) {
  for (uint32_t seed = 1; seed <= 500; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 rng(seed);
    bool four = seed % 2 == 0;
    AsPath p;
    for (int s = rng() % 5; s > 0; --s) {
      AsPathSegment seg;
      seg.type = static_cast<AsSegmentType>(1 + rng() % 4);
      for (int n = 1 + rng() % 255; n > 0; --n) {
        seg.asns.push_back(four ? static_cast<uint32_t>(rng())
                                : static_cast<uint32_t>(rng() % 65536));
      }
      p.segments.push_back(std::move(seg));
    }
    auto d = DecodeAsPath(Encode(p, four), four);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(*d, p);
    // Text round trip when no two sequences are adjacent (text merges them).
    bool adjacent = false;
    for (size_t i = 1; i < p.segments.size(); ++i) {
      adjacent |= p.segments[i].type == kSeq && p.segments[i - 1].type == kSeq;
    }
    if (!adjacent) {
      auto t = AsPath::Parse(p.ToString());
      ASSERT_TRUE(t.ok());
      EXPECT_EQ(*t, p);
    }
  }
}

// --- RFC 6793 §4.2.3
// -----------------------------------------------------------

TEST(MergeAs4PathTest, ReplacesTheTrailingAsTrans) {
  // AS_PATH "200 1 23456 23456 23456" (5 ASNs) + AS4_PATH of 4 ASNs: keep the
  // leading 5 - 4 = 1 ASN of AS_PATH, then AS4_PATH.
  AsPath as_path = *AsPath::Parse("200 1 23456 23456 23456");
  AsPath as4 = *AsPath::Parse("1 4200000001 4200000002 4200000003");
  EXPECT_EQ(MergeAs4Path(as_path, as4).ToString(),
            "200 1 4200000001 4200000002 4200000003");
}

TEST(MergeAs4PathTest, Cases) {
  struct Case {
    const char* as_path;
    const char* as4_path;
    const char* merged;
  };
  const Case cases[] = {
      // Same length: AS4_PATH is the path.
      {"23456 23456", "4200000001 4200000002", "4200000001 4200000002"},
      // AS4_PATH longer than AS_PATH: ignored.
      {"65000 23456", "1 2 3", "65000 23456"},
      // Empty AS4_PATH: AS_PATH as is.
      {"65000 65001", "", "65000 65001"},
      // An AS_SET counts as one.
      {"65000 {1 2} 23456", "{1 2} 4200000000", "65000 {1 2} 4200000000"},
      {"65000 {1 2} 23456", "4200000000", "65000 {1 2} 4200000000"},
      // Leading confederation segments count 0 and are kept.
      {"(65010 65011) 65000 23456", "4200000000",
       "(65010 65011) 65000 4200000000"},
      {"(65010) 23456", "4200000000", "(65010) 4200000000"},
      // Confederation segments in AS4_PATH are dropped (RFC 6793 §6).
      {"65000 23456", "(7) 4200000000", "65000 4200000000"},
      // Prepends on a 2-octet speaker before the 4-octet part.
      {"64512 64512 64512 23456 23456", "4200000001 4200000002",
       "64512 64512 64512 4200000001 4200000002"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.as_path, " + ", c.as4_path));
    auto a = AsPath::Parse(c.as_path);
    auto b = AsPath::Parse(c.as4_path);
    ASSERT_TRUE(a.ok() && b.ok());
    AsPath m = MergeAs4Path(*a, *b);
    EXPECT_EQ(m.ToString(), c.merged);
    EXPECT_EQ(m.Length(), a->Length());  // as many ASNs as AS_PATH
  }
}

TEST(AsPathTest, Length) {
  EXPECT_EQ(AsPath{}.Length(), 0u);
  EXPECT_EQ(AsPath::Parse("1 2 3 {4 5 6} (7 8) [9]")->Length(), 4u);
}

}  // namespace
}  // namespace bgpy
