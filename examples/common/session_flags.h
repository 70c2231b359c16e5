// Copyright 2026 The bgpy Authors.
//
// session_flags.h: the flags bgpy-inject and bgpy-listen share, defined once
// (session_flags.cc, linked into those two tools only): --local-as,
// --peer-as, --router-id, --hold-time, --print and --duration. Tools' code,
// not the library's.
#ifndef BGPY_EXAMPLES_COMMON_SESSION_FLAGS_H_
#define BGPY_EXAMPLES_COMMON_SESSION_FLAGS_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace bgpy::tools {

// --help of a tool that uses these flags lists this file's flags too.
inline constexpr char kSessionFlagsFile[] = "common/session_flags.cc";
// The duration flags a bare number (seconds) is accepted for.
inline constexpr const char* kSessionDurationFlags[] = {"duration"};

enum class PrintMode { kNone, kText, kJson };

struct SessionFlags {
  uint32_t local_as = 0;
  uint32_t peer_as = 0;               // 0 = any
  std::optional<uint32_t> router_id;  // std::nullopt: the tool's default
  uint16_t hold_time = 90;            // seconds
  PrintMode print = PrintMode::kText;
  std::optional<absl::Duration> duration;  // std::nullopt: until a signal
};

// Reads and checks the shared flags; kInvalidArgument "--<flag>: ..." (see
// UsageError()) for a missing --local-as, an AS of 0, a zero router id, a
// hold time of 1 or 2 or above 65535 (RFC 4271 §4.2), an unknown --print, a
// --duration that is not positive.
absl::StatusOr<SessionFlags> ParseSessionFlags();

// One socket per session: lifts the soft limit on open descriptors to the
// hard one (1,000 sessions need more than the usual 1,024).
void RaiseDescriptorLimit();

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_COMMON_SESSION_FLAGS_H_
