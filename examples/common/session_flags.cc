// Copyright 2026 The bgpy Authors.
#include "common/session_flags.h"

#include <sys/resource.h>

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

namespace bgpy::tools {

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
