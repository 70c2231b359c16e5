// Copyright 2026 The bgpy Authors.

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

std::vector<uint8_t> Encode(const RouteRefresh& r) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  absl::Status st = EncodeRouteRefresh(r, w);
  EXPECT_TRUE(st.ok()) << st;
  w.Finish();
  return out;
}

// RFC 2918 §3: a plain request for IPv4 unicast.
const std::vector<Fragment> kRequest = {
    {kMarker, "marker"},
    {"0017", "length 23"},
    {"05", "type ROUTE-REFRESH"},
    {"0001", "AFI 1"},
    {"00", "Reserved / subtype 0"},
    {"01", "SAFI 1"},
};

// RFC 7313 §3: Begin-of-RIB-Route-Refresh for IPv6 unicast.
const std::vector<Fragment> kBorr = {
    {kMarker, "marker"}, {"0017", "length 23"},    {"05", "type ROUTE-REFRESH"},
    {"0002", "AFI 2"},   {"01", "subtype 1 BoRR"}, {"01", "SAFI 1"},
};

// RFC 7313 §3: End-of-RIB-Route-Refresh for VPNv4.
const std::vector<Fragment> kEorr = {
    {kMarker, "marker"}, {"0017", "length 23"},    {"05", "type ROUTE-REFRESH"},
    {"0001", "AFI 1"},   {"02", "subtype 2 EoRR"}, {"80", "SAFI 128"},
};

// RFC 5291 §4: a request with ORF entries, kept as bytes.
const std::vector<Fragment> kWithOrf = {
    {kMarker, "marker"},
    {"0020", "length 32"},
    {"05", "type ROUTE-REFRESH"},
    {"0001", "AFI 1"},
    {"00", "subtype 0"},
    {"01", "SAFI 1"},
    {"01", "When-to-refresh: IMMEDIATE"},
    {"40", "ORF Type 64 (Address Prefix ORF)"},
    {"0005", "Length of ORFs 5"},
    {"80 0000000a", "5 octets of ORF entries (opaque to the codec)"},
};

TEST(RouteRefreshTest, Goldens) {
  struct Row {
    const std::vector<Fragment>* golden;
    RouteRefresh want;
  };
  const Row rows[] = {
      {&kRequest, {kIpv4Unicast, 0, {}}},
      {&kBorr, {kIpv6Unicast, 1, {}}},
      {&kEorr, {Family(1, 128), 2, {}}},
      {&kWithOrf, {kIpv4Unicast, 0, FromHex("01 40 0005 80 0000000a")}},
  };
  for (const Row& r : rows) {
    const std::vector<uint8_t> bytes = Join(*r.golden);
    SCOPED_TRACE(ToHex(bytes));
    absl::StatusOr<RouteRefresh> rr = DecodeRouteRefresh(bytes);
    ASSERT_TRUE(rr.ok()) << rr.status();
    EXPECT_EQ(*rr, r.want);
    EXPECT_EQ(ToHex(Encode(*rr)), ToHex(bytes));
  }
}

TEST(RouteRefreshTest, BorrEorrWithBodyIsInvalidLength) {
  for (uint8_t subtype : {1, 2}) {
    SCOPED_TRACE(int{subtype});
    for (int extra = 1; extra <= 5; ++extra) {
      std::vector<uint8_t> b = Join(kRequest);
      b[21] = subtype;  // after AFI (octets 19-20)
      b.insert(b.end(), extra, 0xaa);
      b[17] = static_cast<uint8_t>(b.size());
      absl::Status st = DecodeRouteRefresh(b).status();
      EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
      // RFC 7313 §5: 7/1, data = the whole message.
      EXPECT_THAT(GetNotification(st), Optional(NotificationInfo{7, 1, b}));
    }
  }
}

TEST(RouteRefreshTest, UnknownSubtypeKeptForTheSession) {
  std::vector<uint8_t> b =
      FromHex(absl::StrCat(kMarker, "0019 05 0001 07 01 beef"));
  absl::StatusOr<RouteRefresh> rr = DecodeRouteRefresh(b);
  ASSERT_TRUE(rr.ok()) << rr.status();
  EXPECT_EQ(rr->subtype, 7);
  EXPECT_EQ(rr->orf, FromHex("beef"));
  EXPECT_EQ(ToHex(Encode(*rr)), ToHex(b));
}

TEST(RouteRefreshTest, TruncationAtEveryByte) {
  for (const auto* golden : {&kRequest, &kBorr, &kEorr, &kWithOrf}) {
    const std::vector<uint8_t> full = Join(*golden);
    SCOPED_TRACE(ToHex(full));
    for (size_t n = 0; n < full.size(); ++n) {
      SCOPED_TRACE(absl::StrCat("cut at ", n));
      std::vector<uint8_t> cut(full.begin(), full.begin() + n);
      absl::Status st = DecodeRouteRefresh(cut).status();
      ASSERT_FALSE(st.ok());
      if (n < kHeaderSize) {
        EXPECT_EQ(GetNotification(st), std::nullopt);
        continue;
      }
      EXPECT_THAT(GetNotification(st),
                  Optional(NotificationInfo{1, 2, {full[16], full[17]}}));
      cut[16] = 0;
      cut[17] = static_cast<uint8_t>(n);
      absl::StatusOr<RouteRefresh> fixed = DecodeRouteRefresh(cut);
      if (n < 23) {
        EXPECT_THAT(
            GetNotification(fixed.status()),
            Optional(NotificationInfo{1, 2, {0, static_cast<uint8_t>(n)}}));
      } else {
        // Only the ORF bytes are shorter.
        ASSERT_TRUE(fixed.ok()) << fixed.status();
        EXPECT_EQ(fixed->orf.size(), n - 23);
      }
    }
  }
}

TEST(RouteRefreshTest, WrongTypeIsCallerMistake) {
  std::vector<uint8_t> b = Join(kRequest);
  b[18] = 2;
  absl::Status st = DecodeRouteRefresh(b).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetNotification(st), std::nullopt);
}

TEST(RouteRefreshTest, EncodeRejectsOrfOnBorrEorr) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  EXPECT_EQ(EncodeRouteRefresh({kIpv4Unicast, 1, {1}}, w).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeRouteRefresh({kIpv4Unicast, 2, {1}}, w).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(w.size(), 0u);
  uint8_t buf[22];
  wire::Writer small(absl::MakeSpan(buf));
  EXPECT_EQ(EncodeRouteRefresh({kIpv4Unicast, 0, {}}, small).code(),
            absl::StatusCode::kOutOfRange);
}

TEST(RouteRefreshTest, RandomRoundTrip) {
  const uint32_t seed = 11;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 1000; ++i) {
    RouteRefresh r;
    r.family =
        Family(static_cast<uint16_t>(rng()), static_cast<uint8_t>(rng()));
    r.subtype = static_cast<uint8_t>(rng() % 4);
    if (r.subtype != 1 && r.subtype != 2) {
      r.orf.resize(rng() % 40);
      for (auto& b : r.orf) b = static_cast<uint8_t>(rng());
    }
    const std::vector<uint8_t> b = Encode(r);
    EXPECT_EQ(b.size(), 23 + r.orf.size());
    absl::StatusOr<RouteRefresh> back = DecodeRouteRefresh(b);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, r);
  }
}

}  // namespace
}  // namespace bgpy
