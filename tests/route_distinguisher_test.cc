// Copyright 2026 The bgpy Authors.
#include "bgpy/route_distinguisher.h"

#include <string>

#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using testing::FromHex;

// RFC 4364 §4.2: type (2 octets), administrator, assigned number.
TEST(RouteDistinguisher, ThreeTypesOnTheWireAndAsText) {
  struct Case {
    const char* text;
    const char* wire;
    uint16_t type;
  };
  const Case cases[] = {
      {"65000:1", "0000 fde8 00000001", 0},
      {"65000:4294967295", "0000 fde8 ffffffff", 0},
      {"192.0.2.1:7", "0001 c0000201 0007", 1},
      {"4200000000:65535", "0002 fa56ea00 ffff", 2},
      {"65000L:1", "0002 0000fde8 0001", 2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<RouteDistinguisher> rd = RouteDistinguisher::Parse(c.text);
    ASSERT_TRUE(rd.ok()) << rd.status();
    EXPECT_EQ(rd->type(), c.type);
    const std::vector<uint8_t> wire = FromHex(c.wire);
    const std::array<uint8_t, 8> b = rd->bytes();
    EXPECT_EQ(std::vector<uint8_t>(b.begin(), b.end()), wire);
    EXPECT_EQ(RouteDistinguisher::FromBytes(wire.data()), *rd);
    EXPECT_EQ(rd->ToString(), c.text);
  }
}

TEST(RouteDistinguisher, UnknownTypeKeptAndShownAsHex) {
  const std::vector<uint8_t> wire = FromHex("0003 0123456789ab");
  const RouteDistinguisher rd = RouteDistinguisher::FromBytes(wire.data());
  EXPECT_EQ(rd.type(), 3);
  EXPECT_EQ(rd.ToString(), "3:0123456789ab");
  EXPECT_EQ(RouteDistinguisher::Parse("3:0123456789ab")
                .value_or(RouteDistinguisher()),
            rd);
  EXPECT_FALSE(RouteDistinguisher::Parse("3:0123456789ag").ok());
  EXPECT_EQ(rd.Advance(1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RouteDistinguisher, RefusesWhatDoesNotFit) {
  for (const char* bad : {"", "65000", "65000:", ":1", "x:1", "192.0.2.1:65536",
                          "4200000000:65536", "65000L:65536", "4294967296:1",
                          "1.2.3:4", "65000:4294967296", "-1:1", "65000:+1"}) {
    EXPECT_FALSE(RouteDistinguisher::Parse(bad).ok()) << bad;
  }
  EXPECT_FALSE(
      RouteDistinguisher::Make(RouteDistinguisher::kTwoOctetAs, 70000, 1).ok());
  EXPECT_FALSE(
      RouteDistinguisher::Make(RouteDistinguisher::kIpv4, 1, 70000).ok());
}

TEST(RouteDistinguisher, AdvanceStepsTheAssignedNumber) {
  const RouteDistinguisher rd = *RouteDistinguisher::Parse("65000:1");
  EXPECT_EQ(rd.Advance(9)->ToString(), "65000:10");
  EXPECT_EQ(
      RouteDistinguisher::Parse("192.0.2.1:65534")->Advance(1)->ToString(),
      "192.0.2.1:65535");
  EXPECT_EQ(
      RouteDistinguisher::Parse("192.0.2.1:65535")->Advance(1).status().code(),
      absl::StatusCode::kOutOfRange);
  EXPECT_EQ(
      RouteDistinguisher::Parse("65000:4294967295")->Advance(1).status().code(),
      absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace bgpy
