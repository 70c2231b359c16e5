// Copyright 2026 The bgpy Authors.

#include <algorithm>
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
using ::testing::Optional;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";

std::vector<uint8_t> Encode(const Notification& n) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  absl::Status st = EncodeNotification(n, w);
  EXPECT_TRUE(st.ok()) << st;
  w.Finish();
  return out;
}

// RFC 9003 shutdown communication "maintenance".
const std::vector<Fragment> kShutdown = {
    {kMarker, "marker"},
    {"0021", "length 33"},
    {"03", "type NOTIFICATION"},
    {"06", "code 6 Cease"},
    {"02", "subcode 2 Administrative Shutdown"},
    {"0b", "Shutdown Communication length 11"},
    {"6d61696e74656e616e6365", "\"maintenance\""},
};

// RFC 4271 §6.2: Unsupported Version Number, data = version 4 (2 octets).
const std::vector<Fragment> kBadVersion = {
    {kMarker, "marker"},
    {"0017", "length 23"},
    {"03", "type NOTIFICATION"},
    {"02", "code 2 OPEN Message Error"},
    {"01", "subcode 1 Unsupported Version Number"},
    {"0004", "data: version 4"},
};

// RFC 8538 §3: Hard Reset wrapping UPDATE / Malformed AS_PATH.
const std::vector<Fragment> kHardReset = {
    {kMarker, "marker"},
    {"0017", "length 23"},
    {"03", "type NOTIFICATION"},
    {"06", "code 6 Cease"},
    {"09", "subcode 9 Hard Reset"},
    {"03", "inner code 3 UPDATE Message Error"},
    {"0b", "inner subcode 11 Malformed AS_PATH"},
};

// The smallest: Hold Timer Expired, no data.
const std::vector<Fragment> kHoldTimer = {
    {kMarker, "marker"},         {"0015", "length 21"},
    {"03", "type NOTIFICATION"}, {"04", "code 4 Hold Timer Expired"},
    {"00", "subcode 0"},
};

TEST(NotificationTest, Goldens) {
  struct Row {
    const std::vector<Fragment>* golden;
    Notification want;
    std::string describe;
  };
  // Rows are added one by one: g++ 12 at -O3 wrongly reports the vectors
  // of an aggregate array initializer as maybe-uninitialized.
  auto notification = [](uint8_t code, uint8_t subcode,
                         std::vector<uint8_t> data) {
    Notification n;
    n.code = code;
    n.subcode = subcode;
    n.data = std::move(data);
    return n;
  };
  std::vector<Row> rows;
  rows.push_back({&kShutdown,
                  notification(6, 2, FromHex("0b 6d61696e74656e616e6365")),
                  "Cease / Administrative Shutdown: maintenance"});
  rows.push_back(
      {&kBadVersion, notification(2, 1, {0, 4}),
       "OPEN Message Error / Unsupported Version Number (data 0004)"});
  rows.push_back(
      {&kHardReset, notification(6, 9, {3, 11}),
       "Cease / Hard Reset (UPDATE Message Error / Malformed AS_PATH)"});
  rows.push_back(
      {&kHoldTimer, notification(4, 0, {}), "Hold Timer Expired / Unspecific"});
  for (const Row& r : rows) {
    const std::vector<uint8_t> bytes = Join(*r.golden);
    SCOPED_TRACE(ToHex(bytes));
    absl::StatusOr<Notification> n = DecodeNotification(bytes);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, r.want);
    EXPECT_EQ(n->Describe(), r.describe);
    EXPECT_EQ(ToHex(Encode(*n)), ToHex(bytes));
  }
}

TEST(NotificationTest, TruncationAtEveryByte) {
  for (const auto* golden :
       {&kShutdown, &kBadVersion, &kHardReset, &kHoldTimer}) {
    const std::vector<uint8_t> full = Join(*golden);
    SCOPED_TRACE(ToHex(full));
    for (size_t n = 0; n < full.size(); ++n) {
      SCOPED_TRACE(absl::StrCat("cut at ", n));
      std::vector<uint8_t> cut(full.begin(), full.begin() + n);
      absl::Status st = DecodeNotification(cut).status();
      ASSERT_FALSE(st.ok());
      if (n < kHeaderSize) {
        EXPECT_EQ(GetNotification(st), std::nullopt);
        continue;
      }
      // The length field no longer matches: 1/2 with the length field.
      EXPECT_THAT(GetNotification(st),
                  Optional(NotificationInfo{1, 2, {full[16], full[17]}}));
      // With the length fixed: below 21 is still 1/2; above, the data is
      // just shorter.
      cut[16] = 0;
      cut[17] = static_cast<uint8_t>(n);
      absl::StatusOr<Notification> fixed = DecodeNotification(cut);
      if (n < 21) {
        EXPECT_THAT(
            GetNotification(fixed.status()),
            Optional(NotificationInfo{1, 2, {0, static_cast<uint8_t>(n)}}));
      } else {
        ASSERT_TRUE(fixed.ok()) << fixed.status();
        EXPECT_EQ(fixed->data.size(), n - 21);
      }
    }
  }
}

TEST(NotificationTest, WrongType) {
  std::vector<uint8_t> b = Join(kHoldTimer);
  b[18] = 4;
  absl::Status st = DecodeNotification(b).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetNotification(st), std::nullopt);
}

TEST(NotificationTest, ShutdownMessage) {
  auto n = [](uint8_t code, uint8_t sub, const char* hex) {
    return Notification{code, sub, FromHex(hex)};
  };
  EXPECT_THAT(n(6, 2, "02 6869").ShutdownMessage(),
              Optional(std::string("hi")));
  EXPECT_THAT(n(6, 4, "02 6869").ShutdownMessage(),
              Optional(std::string("hi")));
  EXPECT_THAT(n(6, 2, "00").ShutdownMessage(), Optional(std::string("")));
  // Bytes after the communication are ignored.
  EXPECT_THAT(n(6, 2, "01 68 ffff").ShutdownMessage(),
              Optional(std::string("h")));
  // UTF-8: "é" (c3 a9) and "€" (e2 82 ac) and U+1F600 (f0 9f 98 80).
  EXPECT_THAT(n(6, 2, "09 c3a9 e282ac f09f9880").ShutdownMessage(),
              Optional(std::string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")));
  // Absent or malformed.
  EXPECT_EQ(n(6, 2, "").ShutdownMessage(), std::nullopt);
  EXPECT_EQ(n(6, 2, "03 6869").ShutdownMessage(), std::nullopt);  // overrun
  EXPECT_EQ(n(6, 3, "02 6869").ShutdownMessage(), std::nullopt);  // subcode
  EXPECT_EQ(n(3, 2, "02 6869").ShutdownMessage(), std::nullopt);  // code
  for (const char* bad : {"01 80", "01 c3", "02 c0af", "02 c1bf", "03 e080af",
                          "03 eda080", "04 f4908080", "04 f8888080", "01 ff",
                          "02 c328", "03 e282 28", "04 f09f98"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(n(6, 2, bad).ShutdownMessage(), std::nullopt);
  }
}

TEST(NotificationTest, ShutdownBuilder) {
  Notification n = Notification::Shutdown(2, "maintenance");
  EXPECT_EQ(ToHex(Encode(n)), ToHex(Join(kShutdown)));
  EXPECT_THAT(n.ShutdownMessage(), Optional(std::string("maintenance")));

  Notification reset = Notification::Shutdown(4, "");
  EXPECT_EQ(reset.code, 6);
  EXPECT_EQ(reset.subcode, 4);
  EXPECT_EQ(reset.data, std::vector<uint8_t>{0});
  EXPECT_EQ(reset.Describe(), "Cease / Administrative Reset");

  // 300 ASCII octets are cut to 255.
  Notification long_ascii = Notification::Shutdown(2, std::string(300, 'a'));
  EXPECT_EQ(long_ascii.data.size(), 256u);
  EXPECT_EQ(long_ascii.data[0], 255);
  // 254 ASCII then "€" (3 octets): the euro does not fit and is dropped
  // whole, not split.
  std::string text = std::string(254, 'a') + "\xe2\x82\xac";
  Notification cut = Notification::Shutdown(2, text);
  EXPECT_EQ(cut.data[0], 254);
  EXPECT_THAT(cut.ShutdownMessage(), Optional(std::string(254, 'a')));
  // 90 euros (270 octets) cut to 85 (255 octets exactly).
  std::string euros;
  for (int i = 0; i < 90; ++i) euros += "\xe2\x82\xac";
  Notification e = Notification::Shutdown(2, euros);
  EXPECT_EQ(e.data[0], 255);
  EXPECT_EQ(e.ShutdownMessage()->size(), 255u);
}

TEST(NotificationTest, ShutdownRandomTextIsAlwaysValid) {
  const uint32_t seed = 5;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  const char* pieces[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
  for (int i = 0; i < 300; ++i) {
    std::string text;
    const int count = static_cast<int>(rng() % 150);
    for (int k = 0; k < count; ++k) text += pieces[rng() % 4];
    Notification n = Notification::Shutdown(2, text);
    std::optional<std::string> got = n.ShutdownMessage();
    ASSERT_TRUE(got.has_value()) << ToHex(n.data);
    EXPECT_LE(got->size(), 255u);
    EXPECT_EQ(text.compare(0, got->size(), *got), 0);  // a prefix of the text
    EXPECT_GT(got->size() + 4, std::min<size_t>(text.size(), 255));
  }
}

TEST(NotificationTest, HardResetCause) {
  Notification hr{6, 9, FromHex("06 02 05 6869206f6b")};
  std::optional<Notification> inner = hr.HardResetCause();
  ASSERT_TRUE(inner.has_value());
  EXPECT_EQ(*inner, (Notification{6, 2, FromHex("05 6869206f6b")}));
  EXPECT_EQ(hr.Describe(),
            "Cease / Hard Reset (Cease / Administrative Shutdown: hi ok)");
  EXPECT_EQ((Notification{6, 9, {3}}).HardResetCause(), std::nullopt);
  EXPECT_EQ((Notification{6, 2, {3, 1}}).HardResetCause(), std::nullopt);
  EXPECT_EQ((Notification{6, 9, {}}).Describe(), "Cease / Hard Reset");
  // Deep nesting is described without unbounded recursion.
  std::vector<uint8_t> nested;
  for (int i = 0; i < 1000; ++i) {
    nested.push_back(6);
    nested.push_back(9);
  }
  EXPECT_FALSE((Notification{6, 9, nested}).Describe().empty());
}

TEST(NotificationTest, DescribeEscapesAndUnknowns) {
  EXPECT_EQ(Notification::Shutdown(2, "a\nb").Describe(),
            "Cease / Administrative Shutdown: a\\x0ab");
  EXPECT_EQ((Notification{6, 2, FromHex("05 6869")}).Describe(),
            "Cease / Administrative Shutdown (malformed shutdown "
            "communication 056869)");
  EXPECT_EQ((Notification{9, 9, {}}).Describe(), "code 9 / subcode 9");
  EXPECT_EQ((Notification{3, 11, {}}).Describe(),
            "UPDATE Message Error / Malformed AS_PATH");
}

TEST(NotificationTest, EncodeLimits) {
  // NOTIFICATION may carry the extended size; more than 65535 is refused.
  Notification big{3, 1, std::vector<uint8_t>(65535 - 21)};
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    EXPECT_TRUE(EncodeNotification(big, w).ok());
  }
  EXPECT_EQ(out.size(), 65535u);
  big.data.push_back(0);
  out.clear();
  {
    wire::Writer w(&out);
    EXPECT_EQ(EncodeNotification(big, w).code(), absl::StatusCode::kOutOfRange);
  }
  uint8_t buf[20];
  wire::Writer small(absl::MakeSpan(buf));
  EXPECT_EQ(EncodeNotification(Notification{4, 0, {}}, small).code(),
            absl::StatusCode::kOutOfRange);
}

TEST(NotificationTest, RandomRoundTrip) {
  const uint32_t seed = 3;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 1000; ++i) {
    Notification n{
        static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng()), {}};
    n.data.resize(rng() % 64);
    for (auto& b : n.data) b = static_cast<uint8_t>(rng());
    const std::vector<uint8_t> b = Encode(n);
    EXPECT_EQ(b.size(), 21 + n.data.size());
    EXPECT_EQ(*DecodeNotification(b), n);
    EXPECT_FALSE(n.Describe().empty());
  }
}

}  // namespace
}  // namespace bgpy
