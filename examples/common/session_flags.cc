// Copyright 2026 The bgpy Authors.
#include "common/session_flags.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "bgpy/errors.h"
#include "bgpy/types.h"
#include "common/tool_flags.h"

ABSL_FLAG(std::string, local_as, "",
          "our AS number, e.g. 65000, 4200000000 or asdot 1.10 (required)");
ABSL_FLAG(std::string, peer_as, "0",
          "the peer's AS number; 0 (the default) accepts any");
ABSL_FLAG(std::string, router_id, "",
          "BGP identifier A.B.C.D; default: the local (or listen) address "
          "when it is a specific IPv4 address, else 1.1.1.1 (bgpy-inject: "
          "+ the session's index)");
ABSL_FLAG(int32_t, hold_time, 90, "hold time offered, seconds (0 or 3..65535)");
ABSL_FLAG(std::string, print, "text",
          "received messages: text, json (one line each) or none");
ABSL_FLAG(std::optional<absl::Duration>, duration, std::nullopt,
          "stop (Cease / Administrative Shutdown) after this long, e.g. 30s, "
          "1m30s, 250ms (a bare number is seconds); default: run until "
          "SIGINT/SIGTERM");

ABSL_FLAG(int32_t, ttl_security, 0,
          "GTSM (RFC 5082): send with IP TTL / hop limit 255 and drop "
          "segments that arrive with less than 256 - HOPS (1 = directly "
          "connected, accepts 255 only; N hops away accepts 256 - N and "
          "more); 0 = off");

namespace bgpy::tools {
namespace {

const char* g_tool = "bgpy";
volatile sig_atomic_t g_stdout_closed = 0;

void WriteStderr(const char* s) {
  size_t n = std::strlen(s);
  while (n > 0) {
    const ssize_t w = write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void OnSigpipe(int) {
  const int saved = errno;
  ReportClosedStdout();
  errno = saved;
}

}  // namespace

void ReportClosedStdout() {
  if (g_stdout_closed) return;
  g_stdout_closed = 1;
  WriteStderr(g_tool);
  WriteStderr(
      ": stdout: the reader went away (broken pipe); stopping as on "
      "SIGTERM\n");
  // Blocked and read by the loop's signalfd once it runs: a graceful stop.
  raise(SIGTERM);
}

void StopOnClosedStdout(const char* tool) {
  g_tool = tool;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSigpipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGPIPE, &sa, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

absl::StatusOr<SessionFlags> ParseSessionFlags() {
  SessionFlags f;
  const std::string local_as = absl::GetFlag(FLAGS_local_as);
  if (local_as.empty())
    return UsageError("local-as", "required (our AS number)");
  BGPY_ASSIGN_OR_RETURN(f.local_as, ParseAsnFlag("local-as", local_as));
  if (std::string pa = absl::GetFlag(FLAGS_peer_as); pa != "0" && !pa.empty()) {
    BGPY_ASSIGN_OR_RETURN(f.peer_as, ParseAsnFlag("peer-as", pa));
  }
  if (std::string rid = absl::GetFlag(FLAGS_router_id); !rid.empty()) {
    absl::StatusOr<uint32_t> id = ParseIpv4(rid);
    if (!id.ok() || *id == 0)
      return UsageError("router-id",
                        absl::StrCat("'", rid, "' is not a non-zero A.B.C.D"));
    f.router_id = *id;
  }
  const int32_t hold = absl::GetFlag(FLAGS_hold_time);
  if (hold < 0 || hold > 65535)
    return UsageError("hold-time", absl::StrCat(hold, " is outside 0..65535"));
  if (hold == 1 || hold == 2)
    return UsageError("hold-time", "must be 0 or at least 3 (RFC 4271 §4.2)");
  f.hold_time = static_cast<uint16_t>(hold);
  const std::string print = absl::GetFlag(FLAGS_print);
  if (print == "text") {
    f.print = PrintMode::kText;
  } else if (print == "json") {
    f.print = PrintMode::kJson;
  } else if (print == "none") {
    f.print = PrintMode::kNone;
  } else {
    return UsageError("print",
                      absl::StrCat("'", print, "': text, json or none"));
  }
  const int32_t hops = absl::GetFlag(FLAGS_ttl_security);
  if (hops < 0 || hops > 254)
    return UsageError("ttl-security",
                      absl::StrCat(hops, " is outside 0..254 (hops)"));
  f.ttl_security = hops;
  f.duration = absl::GetFlag(FLAGS_duration);
  if (f.duration) {
    BGPY_RETURN_IF_ERROR(CheckPositive("duration", *f.duration));
  }
  return f;
}

void RaiseDescriptorLimit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace bgpy::tools
