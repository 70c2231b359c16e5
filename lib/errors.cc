// Copyright 2026 The bgpy Authors.
//
// errors.cc: NOTIFICATION codes and names, the Status payload that carries
// them, and RFC 7606 verdict names.

#include "bgpy/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace bgpy {
namespace {

// Where NotifyError() keeps code, subcode and data in the Status.
constexpr absl::string_view kNotificationTypeUrl = "bgpy.dev/notification";

// RFC 4271 §4.5 and the table in errors.h.
absl::StatusCode CodeFor(uint8_t code, uint8_t subcode) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::kMessageHeader:
      return absl::StatusCode::kDataLoss;
    case ErrorCode::kOpenMessage:
      if (subcode == static_cast<uint8_t>(OpenSubcode::kUnsupportedCapability))
        return absl::StatusCode::kUnimplemented;
      return absl::StatusCode::kInvalidArgument;
    case ErrorCode::kUpdateMessage:
    case ErrorCode::kRouteRefresh:
      return absl::StatusCode::kInvalidArgument;
    case ErrorCode::kHoldTimerExpired:
      return absl::StatusCode::kDeadlineExceeded;
    case ErrorCode::kFsm:
      return absl::StatusCode::kFailedPrecondition;
    case ErrorCode::kCease:
      if (subcode == static_cast<uint8_t>(CeaseSubcode::kMaxPrefixesReached))
        return absl::StatusCode::kResourceExhausted;
      return absl::StatusCode::kAborted;
  }
  // A code no RFC defines: still a NOTIFICATION to send.
  return absl::StatusCode::kInvalidArgument;
}

const char* HeaderSubcodeName(uint8_t s) {  // RFC 4271 §6.1
  switch (static_cast<HeaderSubcode>(s)) {
    case HeaderSubcode::kUnspecific:
      return "Unspecific";
    case HeaderSubcode::kConnectionNotSynchronized:
      return "Connection Not Synchronized";
    case HeaderSubcode::kBadMessageLength:
      return "Bad Message Length";
    case HeaderSubcode::kBadMessageType:
      return "Bad Message Type";
  }
  return nullptr;
}

const char* OpenSubcodeName(uint8_t s) {  // RFC 4271 §6.2, RFC 5492, 9234
  switch (s) {
    case 5:
      return "Authentication Failure";  // deprecated, RFC 4271 Appendix A
    case 8:
    case 9:
    case 10:
      return nullptr;  // deprecated, never named by an RFC we implement
  }
  switch (static_cast<OpenSubcode>(s)) {
    case OpenSubcode::kUnspecific:
      return "Unspecific";
    case OpenSubcode::kUnsupportedVersionNumber:
      return "Unsupported Version Number";
    case OpenSubcode::kBadPeerAs:
      return "Bad Peer AS";
    case OpenSubcode::kBadBgpIdentifier:
      return "Bad BGP Identifier";
    case OpenSubcode::kUnsupportedOptionalParameter:
      return "Unsupported Optional Parameter";
    case OpenSubcode::kUnacceptableHoldTime:
      return "Unacceptable Hold Time";
    case OpenSubcode::kUnsupportedCapability:
      return "Unsupported Capability";
    case OpenSubcode::kRoleMismatch:
      return "Role Mismatch";
  }
  return nullptr;
}

const char* UpdateSubcodeName(uint8_t s) {  // RFC 4271 §6.3
  if (s == 7) return "AS Routing Loop";     // deprecated, RFC 4271 Appendix A
  switch (static_cast<UpdateSubcode>(s)) {
    case UpdateSubcode::kUnspecific:
      return "Unspecific";
    case UpdateSubcode::kMalformedAttributeList:
      return "Malformed Attribute List";
    case UpdateSubcode::kUnrecognizedWellKnownAttribute:
      return "Unrecognized Well-known Attribute";
    case UpdateSubcode::kMissingWellKnownAttribute:
      return "Missing Well-known Attribute";
    case UpdateSubcode::kAttributeFlagsError:
      return "Attribute Flags Error";
    case UpdateSubcode::kAttributeLengthError:
      return "Attribute Length Error";
    case UpdateSubcode::kInvalidOriginAttribute:
      return "Invalid ORIGIN Attribute";
    case UpdateSubcode::kInvalidNextHopAttribute:
      return "Invalid NEXT_HOP Attribute";
    case UpdateSubcode::kOptionalAttributeError:
      return "Optional Attribute Error";
    case UpdateSubcode::kInvalidNetworkField:
      return "Invalid Network Field";
    case UpdateSubcode::kMalformedAsPath:
      return "Malformed AS_PATH";
  }
  return nullptr;
}

const char* FsmSubcodeName(uint8_t s) {  // RFC 6608 §4
  switch (static_cast<FsmSubcode>(s)) {
    case FsmSubcode::kUnspecified:
      return "Unspecified Error";
    case FsmSubcode::kUnexpectedInOpenSent:
      return "Receive Unexpected Message in OpenSent State";
    case FsmSubcode::kUnexpectedInOpenConfirm:
      return "Receive Unexpected Message in OpenConfirm State";
    case FsmSubcode::kUnexpectedInEstablished:
      return "Receive Unexpected Message in Established State";
  }
  return nullptr;
}

const char* CeaseSubcodeName(uint8_t s) {  // RFC 4486 §4, RFC 8538, 9384
  switch (static_cast<CeaseSubcode>(s)) {
    case CeaseSubcode::kUnspecific:
      return "Unspecific";
    case CeaseSubcode::kMaxPrefixesReached:
      return "Maximum Number of Prefixes Reached";
    case CeaseSubcode::kAdministrativeShutdown:
      return "Administrative Shutdown";
    case CeaseSubcode::kPeerDeconfigured:
      return "Peer De-configured";
    case CeaseSubcode::kAdministrativeReset:
      return "Administrative Reset";
    case CeaseSubcode::kConnectionRejected:
      return "Connection Rejected";
    case CeaseSubcode::kOtherConfigurationChange:
      return "Other Configuration Change";
    case CeaseSubcode::kConnectionCollisionResolution:
      return "Connection Collision Resolution";
    case CeaseSubcode::kOutOfResources:
      return "Out of Resources";
    case CeaseSubcode::kHardReset:
      return "Hard Reset";
    case CeaseSubcode::kBfdDown:
      return "BFD Down";
  }
  return nullptr;
}

const char* RouteRefreshSubcodeName(uint8_t s) {  // RFC 7313 §5
  switch (static_cast<RouteRefreshSubcode>(s)) {
    case RouteRefreshSubcode::kReserved:
      return "Reserved";
    case RouteRefreshSubcode::kInvalidMessageLength:
      return "Invalid Message Length";
  }
  return nullptr;
}

}  // namespace

std::string ErrorCodeName(uint8_t code) {
  switch (static_cast<ErrorCode>(code)) {  // RFC 4271 §4.5, RFC 7313 §5
    case ErrorCode::kMessageHeader:
      return "Message Header Error";
    case ErrorCode::kOpenMessage:
      return "OPEN Message Error";
    case ErrorCode::kUpdateMessage:
      return "UPDATE Message Error";
    case ErrorCode::kHoldTimerExpired:
      return "Hold Timer Expired";
    case ErrorCode::kFsm:
      return "Finite State Machine Error";
    case ErrorCode::kCease:
      return "Cease";
    case ErrorCode::kRouteRefresh:
      return "ROUTE-REFRESH Message Error";
  }
  return absl::StrCat("code ", int{code});
}

std::string ErrorSubcodeName(uint8_t code, uint8_t subcode) {
  const char* name = nullptr;
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::kMessageHeader:
      name = HeaderSubcodeName(subcode);
      break;
    case ErrorCode::kOpenMessage:
      name = OpenSubcodeName(subcode);
      break;
    case ErrorCode::kUpdateMessage:
      name = UpdateSubcodeName(subcode);
      break;
    case ErrorCode::kHoldTimerExpired:
      // RFC 4271 §6.5 defines no subcodes.
      if (subcode == 0) name = "Unspecific";
      break;
    case ErrorCode::kFsm:
      name = FsmSubcodeName(subcode);
      break;
    case ErrorCode::kCease:
      name = CeaseSubcodeName(subcode);
      break;
    case ErrorCode::kRouteRefresh:
      name = RouteRefreshSubcodeName(subcode);
      break;
  }
  if (name != nullptr) return name;
  return absl::StrCat("subcode ", int{subcode});
}

absl::Status NotifyError(uint8_t code, uint8_t subcode,
                         absl::Span<const uint8_t> data,
                         absl::string_view message) {
  absl::Status st(CodeFor(code, subcode), message);
  std::string payload;
  payload.reserve(2 + data.size());
  payload.push_back(static_cast<char>(code));
  payload.push_back(static_cast<char>(subcode));
  payload.append(reinterpret_cast<const char*>(data.data()), data.size());
  st.SetPayload(kNotificationTypeUrl, absl::Cord(payload));
  return st;
}

std::optional<NotificationInfo> GetNotification(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  absl::optional<absl::Cord> payload = status.GetPayload(kNotificationTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  std::string bytes(*payload);
  if (bytes.size() < 2) return std::nullopt;
  NotificationInfo info;
  info.code = static_cast<uint8_t>(bytes[0]);
  info.subcode = static_cast<uint8_t>(bytes[1]);
  info.data.assign(bytes.begin() + 2, bytes.end());
  return info;
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kAttributeDiscard:
      return "attribute-discard";
    case Verdict::kTreatAsWithdraw:
      return "treat-as-withdraw";
    case Verdict::kAfiSafiDisable:
      return "afi-safi-disable";
    case Verdict::kSessionReset:
      return "session-reset";
  }
  return "unknown";
}

}  // namespace bgpy
