// Copyright 2026 The bgpy Authors.
//
// errors.h: NOTIFICATION codes (RFC 4271 §4.5 and later RFCs), the Status
// convention that carries them, and RFC 7606 verdicts.
//
// A NOTIFICATION-worthy error is an absl::Status whose payload holds the
// code, subcode and data to send. Build it with NotifyError(), read it with
// GetNotification(). The absl code follows the NOTIFICATION code:
//   1 Header -> kDataLoss; 2 OPEN, 3 UPDATE, 7 ROUTE-REFRESH ->
//   kInvalidArgument (2/7 Unsupported Capability -> kUnimplemented); 4 Hold ->
//   kDeadlineExceeded; 5 FSM -> kFailedPrecondition; 6 Cease -> kAborted (6/1
//   -> kResourceExhausted).
// Caller mistakes get kInvalidArgument/kOutOfRange with no payload.
#ifndef BGPY_ERRORS_H_
#define BGPY_ERRORS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

// Returns from the enclosing function if `expr` is not OK.
#define BGPY_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::absl::Status bgpy_status_ = (expr);        \
    if (!bgpy_status_.ok()) return bgpy_status_; \
  } while (0)

#define BGPY_INTERNAL_CONCAT2(a, b) a##b
#define BGPY_INTERNAL_CONCAT(a, b) BGPY_INTERNAL_CONCAT2(a, b)
// `BGPY_ASSIGN_OR_RETURN(auto x, StatusOrExpr);`
#define BGPY_ASSIGN_OR_RETURN(lhs, expr) \
  BGPY_INTERNAL_ASSIGN_OR_RETURN(        \
      BGPY_INTERNAL_CONCAT(bgpy_statusor_, __LINE__), lhs, expr)
#define BGPY_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();       \
  lhs = *std::move(tmp)

namespace bgpy {

// NOTIFICATION error codes. RFC 4271 §4.5, RFC 7313 §5.
enum class ErrorCode : uint8_t {
  kMessageHeader = 1,
  kOpenMessage = 2,
  kUpdateMessage = 3,
  kHoldTimerExpired = 4,
  kFsm = 5,
  kCease = 6,
  kRouteRefresh = 7,
};

// RFC 4271 §6.1.
enum class HeaderSubcode : uint8_t {
  kUnspecific = 0,
  kConnectionNotSynchronized = 1,
  kBadMessageLength = 2,
  kBadMessageType = 3,
};

// RFC 4271 §6.2, RFC 5492 §5, RFC 9234 §4.2.
enum class OpenSubcode : uint8_t {
  kUnspecific = 0,
  kUnsupportedVersionNumber = 1,
  kBadPeerAs = 2,
  kBadBgpIdentifier = 3,
  kUnsupportedOptionalParameter = 4,
  // 5 is deprecated (Authentication Failure).
  kUnacceptableHoldTime = 6,
  kUnsupportedCapability = 7,
  kRoleMismatch = 11,
};

// RFC 4271 §6.3.
enum class UpdateSubcode : uint8_t {
  kUnspecific = 0,
  kMalformedAttributeList = 1,
  kUnrecognizedWellKnownAttribute = 2,
  kMissingWellKnownAttribute = 3,
  kAttributeFlagsError = 4,
  kAttributeLengthError = 5,
  kInvalidOriginAttribute = 6,
  // 7 is deprecated (AS Routing Loop).
  kInvalidNextHopAttribute = 8,
  kOptionalAttributeError = 9,
  kInvalidNetworkField = 10,
  kMalformedAsPath = 11,
};

// RFC 6608.
enum class FsmSubcode : uint8_t {
  kUnspecified = 0,
  kUnexpectedInOpenSent = 1,
  kUnexpectedInOpenConfirm = 2,
  kUnexpectedInEstablished = 3,
};

// RFC 4486, RFC 8538.
enum class CeaseSubcode : uint8_t {
  kUnspecific = 0,
  kMaxPrefixesReached = 1,
  kAdministrativeShutdown = 2,
  kPeerDeconfigured = 3,
  kAdministrativeReset = 4,
  kConnectionRejected = 5,
  kOtherConfigurationChange = 6,
  kConnectionCollisionResolution = 7,
  kOutOfResources = 8,
  kHardReset = 9,  // RFC 8538
  kBfdDown = 10,   // RFC 9384
};

// RFC 7313 §5.
enum class RouteRefreshSubcode : uint8_t {
  kReserved = 0,
  kInvalidMessageLength = 1,
};

// Names for logs and tools: "UPDATE Message Error", "Malformed AS_PATH".
// Unknown values give "code 9" / "subcode 42".
std::string ErrorCodeName(uint8_t code);
std::string ErrorSubcodeName(uint8_t code, uint8_t subcode);

// What a NOTIFICATION-worthy Status carries.
struct NotificationInfo {
  uint8_t code = 0;
  uint8_t subcode = 0;
  std::vector<uint8_t> data;
  bool operator==(const NotificationInfo&) const = default;
};

// An error that should be answered with NOTIFICATION (code, subcode, data).
// `message` is for humans: which field, what was wrong.
absl::Status NotifyError(uint8_t code, uint8_t subcode,
                         absl::Span<const uint8_t> data,
                         absl::string_view message);
inline absl::Status NotifyError(ErrorCode code, uint8_t subcode,
                                absl::Span<const uint8_t> data,
                                absl::string_view message) {
  return NotifyError(static_cast<uint8_t>(code), subcode, data, message);
}
inline absl::Status HeaderError(HeaderSubcode sub,
                                absl::Span<const uint8_t> data,
                                absl::string_view message) {
  return NotifyError(ErrorCode::kMessageHeader, static_cast<uint8_t>(sub), data,
                     message);
}
inline absl::Status OpenError(OpenSubcode sub, absl::Span<const uint8_t> data,
                              absl::string_view message) {
  return NotifyError(ErrorCode::kOpenMessage, static_cast<uint8_t>(sub), data,
                     message);
}
inline absl::Status UpdateError(UpdateSubcode sub,
                                absl::Span<const uint8_t> data,
                                absl::string_view message) {
  return NotifyError(ErrorCode::kUpdateMessage, static_cast<uint8_t>(sub), data,
                     message);
}
inline absl::Status UpdateError(UpdateSubcode sub, absl::string_view message) {
  return UpdateError(sub, {}, message);
}

// The NOTIFICATION a Status asks for, if any.
std::optional<NotificationInfo> GetNotification(const absl::Status& status);

// RFC 7606 outcomes, weakest first; the strongest found wins.
enum class Verdict : uint8_t {
  kOk = 0,
  kAttributeDiscard = 1,  // RFC 7606 §2: drop the attribute, keep the route
  kTreatAsWithdraw = 2,   // RFC 7606 §2: withdraw the UPDATE's routes
  kAfiSafiDisable = 3,    // RFC 7606 §2 / RFC 4760 §7
  kSessionReset = 4,      // RFC 7606 §2: NOTIFICATION and close
};
const char* VerdictName(Verdict v);

// One RFC 7606 finding: what the decoder saw and what it decided.
struct Finding {
  Verdict verdict = Verdict::kOk;
  uint8_t attr_code = 0;  // 0 when not about one attribute
  std::string detail;
  bool operator==(const Finding&) const = default;
};

}  // namespace bgpy

#endif  // BGPY_ERRORS_H_
