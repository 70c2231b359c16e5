// Copyright 2026 The bgpy Authors.
#include "bgpy/evpn.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace {

TEST(MacAddress, ParsesPrintsAndSteps) {
  absl::StatusOr<MacAddress> m = MacAddress::Parse("AA-bb-cc-00-00-ff");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->ToString(), "aa:bb:cc:00:00:ff");
  EXPECT_EQ(m->Advance(1)->ToString(), "aa:bb:cc:00:01:00");
  EXPECT_EQ(MacAddress::Parse("ff:ff:ff:ff:ff:ff")->Advance(1).status().code(),
            absl::StatusCode::kOutOfRange);
  for (const char* bad :
       {"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb-cc:dd:ee:ff",
        "ag:bb:cc:dd:ee:ff", "aabb.ccdd.eeff"}) {
    EXPECT_FALSE(MacAddress::Parse(bad).ok()) << bad;
  }
}

TEST(Esi, ZeroAndTenOctets) {
  EXPECT_TRUE(Esi::Parse("0")->is_zero());
  EXPECT_EQ(Esi().ToString(), "0");
  absl::StatusOr<Esi> e = Esi::Parse("01:11:22:33:44:55:66:77:88:99");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->type(), 1);
  EXPECT_EQ(e->ToString(), "01:11:22:33:44:55:66:77:88:99");
  EXPECT_FALSE(Esi::Parse("01:11:22").ok());
}

}  // namespace
}  // namespace bgpy
