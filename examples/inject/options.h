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
#include "bgpy/nlri.h"
#include "bgpy/types.h"
#include "common/session_flags.h"

namespace bgpy::tools {

enum class SharedPrefixes { kOffset, kShared };

// One family bgpy-inject announces: its row, how many routes (prefixes; each
// carries --add-path paths) and the template its routes are generated from.
struct InjectFamily {
  const FamilyDesc* desc = nullptr;
  uint64_t count = 0;
  RouteTemplate tmpl;
  // --next-hop for this family (the first of the family's AFI, else the
  // first given); std::nullopt: the session's local address (FlowSpec:
  // none, see run.cc DefaultNextHop).
  std::optional<IpAddress> next_hop;
  Family family() const { return desc->family; }
  // Plain IP-prefix families take RouteGenerator's fast path.
  bool ip_prefix() const { return desc->prefix_bits != 0; }
};

// One item of --mrt-peers: a peer index ("3"), an AS ("AS65001") or an
// address ("192.0.2.1").
struct MrtPeerSelector {
  enum class Kind : uint8_t { kIndex, kAs, kAddress };
  Kind kind = Kind::kIndex;
  uint32_t number = 0;  // index or AS
  IpAddress address;
  std::string text;  // as given, for messages
};

// --mrt and its companions (inject/mrt_source.h).
struct MrtOptions {
  std::string path;
  std::vector<MrtPeerSelector> peers;  // empty: the peer with most routes
  std::vector<Prefix> prefixes;        // --mrt-prefix: routes inside any
  std::vector<uint32_t> as_filter;     // --mrt-as: AS_PATH contains any
  bool keep_attributes = false;        // --mrt-keep-attributes
  double speed = 0;                    // --speed (BGP4MP): 0 = at once
  bool sessions_per_peer = false;      // --sessions=mrt-peers
  bool family_given = false;           // --family on the command line
  // --next-hop (each family takes the first of its AFI).
  std::vector<IpAddress> next_hops;
};

struct Options {
  IpAddress peer;
  uint16_t port = 179;  // RFC 4271 §2
  std::optional<IpAddress> local_address;
  SessionFlags session;  // local/peer AS, router id, hold time, print, duration
  int ttl = 0;
  int min_ttl = 0;  // --ttl-security: GTSM minimum TTL (RFC 5082)
  std::string md5_password;
  bool passive = false;
  // --family, in order, each with its --count.
  std::vector<InjectFamily> families;
  // Offered for receiving besides `families` (--receive-families).
  std::vector<Family> receive_families;
  Origin origin = Origin::kIgp;
  AsPath as_path;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  std::vector<uint32_t> communities;
  std::vector<LargeCommunity> large_communities;
  // --ext-communities, then --route-targets.
  std::vector<ExtendedCommunity> ext_communities;
  // --add-path=N: N paths per prefix (0: ADD-PATH not offered). Path k
  // (0-based) has path id path_id + k and next hop + k.
  uint32_t add_path = 0;
  uint32_t path_id = 1;
  std::optional<double> rate;  // routes per second per session
  bool extended_message = true;
  std::optional<absl::Duration> withdraw_after;
  std::optional<absl::Duration> flap;
  int sessions = 1;
  SharedPrefixes sessions_prefixes = SharedPrefixes::kOffset;
  // --mrt: routes replayed from a file instead of generated (`families`
  // then only restricts what is replayed when --family was given).
  std::optional<MrtOptions> mrt;

  // Routes per session (every family, every path).
  uint64_t routes_per_session() const {
    uint64_t n = 0;
    for (const InjectFamily& f : families)
      n += f.count * (add_path > 1 ? add_path : 1);
    return n;
  }
};

// Parses the command line (exits 1 on an unknown flag or a value of the
// wrong type, naming the flag) and returns the positional arguments.
std::vector<std::string> ParseInjectCommandLine(int argc, char** argv);
// Reads and checks every flag: kInvalidArgument from UsageError() naming
// the flag.
absl::StatusOr<Options> ParseOptions();

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_INJECT_OPTIONS_H_
