// Copyright 2026 The bgpy Authors.
//
// bgpy-inject's command line (DESIGN.md "bgpy-inject"): the flags of its own
// (options.cc) and the ones it shares with bgpy-listen
// (common/session_flags.cc), read into Options.
#ifndef BGPY_EXAMPLES_INJECT_OPTIONS_H_
#define BGPY_EXAMPLES_INJECT_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bgpy/attributes.h"
#include "bgpy/types.h"
#include "common/session_flags.h"

namespace bgpy::tools {

enum class SharedPrefixes { kOffset, kShared };

struct Options {
  IpAddress peer;
  uint16_t port = 179;  // RFC 4271 §2
  std::optional<IpAddress> local_address;
  SessionFlags session;  // local/peer AS, router id, hold time, print, duration
  int ttl = 0;
  std::string md5_password;
  bool passive = false;
  Family family = kIpv4Unicast;
  Prefix prefix;
  uint64_t count = 0;
  std::optional<IpAddress> next_hop;
  Origin origin = Origin::kIgp;
  AsPath as_path;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  std::vector<uint32_t> communities;
  std::vector<LargeCommunity> large_communities;
  std::vector<ExtendedCommunity> ext_communities;
  bool add_path = false;
  uint32_t path_id = 1;
  std::optional<double> rate;  // routes per second per session
  bool extended_message = true;
  std::optional<absl::Duration> withdraw_after;
  std::optional<absl::Duration> flap;
  int sessions = 1;
  SharedPrefixes sessions_prefixes = SharedPrefixes::kOffset;
};

// Parses the command line (exits 1 on an unknown flag or a value of the
// wrong type, naming the flag) and returns the positional arguments.
std::vector<std::string> ParseInjectCommandLine(int argc, char** argv);
// Reads and checks every flag: kInvalidArgument from UsageError() naming
// the flag.
absl::StatusOr<Options> ParseOptions();

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_INJECT_OPTIONS_H_
