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
  // --ttl-security=HOPS, GTSM (RFC 5082): 0 = off; else send with TTL 255
  // and require at least 256 - HOPS (1 = directly connected: 255).
  int ttl_security = 0;
  int gtsm_min_ttl() const { return ttl_security > 0 ? 256 - ttl_security : 0; }
};

// Reads and checks the shared flags; kInvalidArgument "--<flag>: ..." (see
// UsageError()) for a missing --local-as, an AS of 0, a zero router id, a
// hold time of 1 or 2 or above 65535 (RFC 4271 §4.2), an unknown --print, a
// --duration that is not positive.
absl::StatusOr<SessionFlags> ParseSessionFlags();

// SIGPIPE (stdout's reader went away, e.g. `bgpy-listen ... | head -1`)
// no longer kills the tool: the first one writes "<tool>: stdout: the
// reader went away (broken pipe); stopping as on SIGTERM" to stderr and
// raises SIGTERM, which the event loop (EventLoop::CatchSignals) turns into
// its graceful stop: Cease to every peer, summary on stderr, the exit status
// of a SIGTERM. The write itself fails with EPIPE. Call before anything is
// written to stdout; `tool` must outlive the process.
void StopOnClosedStdout(const char* tool);
// The same report and stop, for a write that failed with EPIPE (also when
// SIGPIPE was blocked or ignored). Async-signal-safe; only the first call of
// either does anything.
void ReportClosedStdout();

// One socket per session: lifts the soft limit on open descriptors to the
// hard one (1,000 sessions need more than the usual 1,024).
void RaiseDescriptorLimit();

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_COMMON_SESSION_FLAGS_H_
