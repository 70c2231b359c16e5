// Copyright 2026 The bgpy Authors.

#include "bgpy/errors.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace {

using ::testing::Optional;

TEST(NotifyErrorTest, CarriesCodeSubcodeDataAndMessage) {
  const uint8_t data[] = {0x00, 0x04};
  absl::Status st = NotifyError(2, 1, data, "version 3");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "version 3");
  EXPECT_THAT(GetNotification(st),
              Optional(NotificationInfo{2, 1, {0x00, 0x04}}));
}

TEST(NotifyErrorTest, EmptyDataAndAllByteValues) {
  std::vector<uint8_t> data;
  for (int i = 0; i < 256; ++i) data.push_back(static_cast<uint8_t>(i));
  EXPECT_THAT(GetNotification(NotifyError(3, 11, data, "x")),
              Optional(NotificationInfo{3, 11, data}));
  EXPECT_THAT(GetNotification(NotifyError(6, 2, {}, "")),
              Optional(NotificationInfo{6, 2, {}}));
}

TEST(NotifyErrorTest, AbslCodeFollowsTable) {
  struct Row {
    uint8_t code, subcode;
    absl::StatusCode want;
  };
  const Row rows[] = {
      {1, 1, absl::StatusCode::kDataLoss},
      {1, 2, absl::StatusCode::kDataLoss},
      {2, 1, absl::StatusCode::kInvalidArgument},
      {2, 7, absl::StatusCode::kUnimplemented},
      {3, 11, absl::StatusCode::kInvalidArgument},
      {7, 1, absl::StatusCode::kInvalidArgument},
      {4, 0, absl::StatusCode::kDeadlineExceeded},
      {5, 1, absl::StatusCode::kFailedPrecondition},
      {6, 2, absl::StatusCode::kAborted},
      {6, 1, absl::StatusCode::kResourceExhausted},
      {6, 9, absl::StatusCode::kAborted},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(absl::StrCat(r.code, "/", r.subcode));
    EXPECT_EQ(NotifyError(r.code, r.subcode, {}, "m").code(), r.want);
  }
}

TEST(NotifyErrorTest, TypedHelpers) {
  const uint8_t len[] = {0x00, 0x05};
  EXPECT_THAT(
      GetNotification(HeaderError(HeaderSubcode::kBadMessageLength, len, "x")),
      Optional(NotificationInfo{1, 2, {0x00, 0x05}}));
  EXPECT_THAT(GetNotification(OpenError(
                  OpenSubcode::kUnsupportedOptionalParameter, {}, "")),
              Optional(NotificationInfo{2, 4, {}}));
  EXPECT_THAT(GetNotification(UpdateError(UpdateSubcode::kMalformedAsPath, "")),
              Optional(NotificationInfo{3, 11, {}}));
  EXPECT_THAT(GetNotification(NotifyError(ErrorCode::kCease, 2, {}, "")),
              Optional(NotificationInfo{6, 2, {}}));
}

TEST(GetNotificationTest, NoneForPlainErrorsAndOk) {
  EXPECT_EQ(GetNotification(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(GetNotification(absl::InvalidArgumentError("a /33 prefix")),
            std::nullopt);
  EXPECT_EQ(GetNotification(absl::OutOfRangeError("too big")), std::nullopt);
}

TEST(GetNotificationTest, SurvivesCopy) {
  absl::Status st = UpdateError(UpdateSubcode::kInvalidOriginAttribute, "o");
  absl::Status copy = st;
  EXPECT_THAT(GetNotification(copy), Optional(NotificationInfo{3, 6, {}}));
}

TEST(ErrorNamesTest, CodeNames) {
  EXPECT_EQ(ErrorCodeName(1), "Message Header Error");
  EXPECT_EQ(ErrorCodeName(2), "OPEN Message Error");
  EXPECT_EQ(ErrorCodeName(3), "UPDATE Message Error");
  EXPECT_EQ(ErrorCodeName(4), "Hold Timer Expired");
  EXPECT_EQ(ErrorCodeName(5), "Finite State Machine Error");
  EXPECT_EQ(ErrorCodeName(6), "Cease");
  EXPECT_EQ(ErrorCodeName(7), "ROUTE-REFRESH Message Error");
  EXPECT_EQ(ErrorCodeName(0), "code 0");
  EXPECT_EQ(ErrorCodeName(9), "code 9");
  EXPECT_EQ(ErrorCodeName(255), "code 255");
}

TEST(ErrorNamesTest, SubcodeNamesFromRfcs) {
  EXPECT_EQ(ErrorSubcodeName(1, 1), "Connection Not Synchronized");
  EXPECT_EQ(ErrorSubcodeName(1, 2), "Bad Message Length");
  EXPECT_EQ(ErrorSubcodeName(1, 3), "Bad Message Type");
  EXPECT_EQ(ErrorSubcodeName(2, 1), "Unsupported Version Number");
  EXPECT_EQ(ErrorSubcodeName(2, 2), "Bad Peer AS");
  EXPECT_EQ(ErrorSubcodeName(2, 3), "Bad BGP Identifier");
  EXPECT_EQ(ErrorSubcodeName(2, 4), "Unsupported Optional Parameter");
  EXPECT_EQ(ErrorSubcodeName(2, 6), "Unacceptable Hold Time");
  EXPECT_EQ(ErrorSubcodeName(2, 7), "Unsupported Capability");
  EXPECT_EQ(ErrorSubcodeName(2, 11), "Role Mismatch");
  EXPECT_EQ(ErrorSubcodeName(3, 1), "Malformed Attribute List");
  EXPECT_EQ(ErrorSubcodeName(3, 3), "Missing Well-known Attribute");
  EXPECT_EQ(ErrorSubcodeName(3, 6), "Invalid ORIGIN Attribute");
  EXPECT_EQ(ErrorSubcodeName(3, 8), "Invalid NEXT_HOP Attribute");
  EXPECT_EQ(ErrorSubcodeName(3, 10), "Invalid Network Field");
  EXPECT_EQ(ErrorSubcodeName(3, 11), "Malformed AS_PATH");
  EXPECT_EQ(ErrorSubcodeName(5, 2),
            "Receive Unexpected Message in OpenConfirm State");
  EXPECT_EQ(ErrorSubcodeName(6, 1), "Maximum Number of Prefixes Reached");
  EXPECT_EQ(ErrorSubcodeName(6, 2), "Administrative Shutdown");
  EXPECT_EQ(ErrorSubcodeName(6, 4), "Administrative Reset");
  EXPECT_EQ(ErrorSubcodeName(6, 9), "Hard Reset");
  EXPECT_EQ(ErrorSubcodeName(6, 10), "BFD Down");
  EXPECT_EQ(ErrorSubcodeName(7, 1), "Invalid Message Length");
}

TEST(ErrorNamesTest, UnknownSubcodes) {
  EXPECT_EQ(ErrorSubcodeName(1, 4), "subcode 4");
  EXPECT_EQ(ErrorSubcodeName(2, 42), "subcode 42");
  EXPECT_EQ(ErrorSubcodeName(3, 12), "subcode 12");
  EXPECT_EQ(ErrorSubcodeName(4, 1), "subcode 1");
  EXPECT_EQ(ErrorSubcodeName(6, 11), "subcode 11");
  EXPECT_EQ(ErrorSubcodeName(9, 1), "subcode 1");
}

// Every enumerator declared in errors.h has a real name (not "subcode N").
TEST(ErrorNamesTest, EveryEnumeratorNamed) {
  struct Sub {
    ErrorCode code;
    std::vector<uint8_t> subcodes;
  };
  const Sub all[] = {
      {ErrorCode::kMessageHeader, {0, 1, 2, 3}},
      {ErrorCode::kOpenMessage, {0, 1, 2, 3, 4, 6, 7, 11}},
      {ErrorCode::kUpdateMessage, {0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11}},
      {ErrorCode::kHoldTimerExpired, {0}},
      {ErrorCode::kFsm, {0, 1, 2, 3}},
      {ErrorCode::kCease, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {ErrorCode::kRouteRefresh, {0, 1}},
  };
  std::set<std::string> code_names;
  for (const Sub& s : all) {
    const auto code = static_cast<uint8_t>(s.code);
    const std::string cname = ErrorCodeName(code);
    EXPECT_NE(cname.rfind("code ", 0), 0u) << cname;
    code_names.insert(cname);
    std::set<std::string> names;
    for (uint8_t sub : s.subcodes) {
      const std::string n = ErrorSubcodeName(code, sub);
      EXPECT_NE(n.rfind("subcode ", 0), 0u) << int{code} << "/" << int{sub};
      names.insert(n);
    }
    EXPECT_EQ(names.size(), s.subcodes.size())
        << "duplicate names for " << cname;
  }
  EXPECT_EQ(code_names.size(), 7u);
}

TEST(VerdictTest, NamesAndOrder) {
  EXPECT_STREQ(VerdictName(Verdict::kOk), "ok");
  EXPECT_STREQ(VerdictName(Verdict::kAttributeDiscard), "attribute-discard");
  EXPECT_STREQ(VerdictName(Verdict::kTreatAsWithdraw), "treat-as-withdraw");
  EXPECT_STREQ(VerdictName(Verdict::kAfiSafiDisable), "afi-safi-disable");
  EXPECT_STREQ(VerdictName(Verdict::kSessionReset), "session-reset");
  EXPECT_STREQ(VerdictName(static_cast<Verdict>(9)), "unknown");
  EXPECT_LT(Verdict::kAttributeDiscard, Verdict::kTreatAsWithdraw);
  EXPECT_LT(Verdict::kAfiSafiDisable, Verdict::kSessionReset);
}

TEST(MacrosTest, ReturnIfErrorAndAssignOrReturn) {
  auto half = [](int x) -> absl::StatusOr<int> {
    if (x % 2) return absl::InvalidArgumentError("odd");
    return x / 2;
  };
  auto quarter = [&](int x) -> absl::StatusOr<int> {
    BGPY_ASSIGN_OR_RETURN(int h, half(x));
    BGPY_ASSIGN_OR_RETURN(int q, half(h));
    return q;
  };
  auto check = [&](int x) -> absl::Status {
    BGPY_RETURN_IF_ERROR(quarter(x).status());
    return absl::OkStatus();
  };
  EXPECT_EQ(*quarter(8), 2);
  EXPECT_EQ(quarter(6).status().message(), "odd");
  EXPECT_TRUE(check(4).ok());
  EXPECT_EQ(check(2).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bgpy
