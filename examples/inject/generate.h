// Copyright 2026 The bgpy Authors.
//
// generate.h: bgpy-inject's routes as a bgpy::RouteSource. The session pulls
// from it whenever its output drains, so the UpdateBuilder writes straight
// into the session's output: no batch is built and copied. Tools' code.
#ifndef BGPY_EXAMPLES_INJECT_GENERATE_H_
#define BGPY_EXAMPLES_INJECT_GENERATE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bgpy/attributes.h"
#include "bgpy/negotiate.h"
#include "bgpy/session.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "common/route_gen.h"
#include "inject/options.h"

namespace bgpy::tools {

// The attributes of every route of a session: --origin, --as-path (our AS
// first on eBGP, RFC 4271 §5.1.2), --med, --local-pref, the communities;
// NEXT_HOP for IPv4 unicast, else `mp_next_hop` for MP_REACH_NLRI.
struct RouteAttributes {
  PathAttributes attrs;
  std::vector<uint8_t> mp_next_hop;
};
RouteAttributes MakeAttributes(const Options& o, const Negotiated* n,
                               const IpAddress& next_hop);

class RouteFeed : public RouteSource {
 public:
  using Clock = std::chrono::steady_clock;

  // `rate`: routes per second (token bucket, bursts of 20 ms), or as fast
  // as the session takes them.
  RouteFeed(RouteGenerator gen, std::optional<double> rate)
      : gen_(std::move(gen)), rate_(rate) {}

  // Starts a phase: every route again from the first, announced (or
  // withdrawn) with `a`; `path_id` goes with every route (ADD-PATH).
  void StartPhase(bool withdraw, RouteAttributes a, Family family,
                  std::optional<uint32_t> path_id);

  Fill FillUpdate(UpdateBuilder& b) override;

  bool withdrawing() const { return withdraw_; }
  // FillUpdate() said kDone: every route of the phase was handed to the
  // session (or status() failed), and the session let go of the feed.
  bool finished() const { return finished_; }
  // Set when FillUpdate() said kIdle for want of tokens: when to pull again.
  std::optional<Clock::time_point> token_wait_at() const {
    return token_wait_at_;
  }
  // The attributes did not fit a message (FillUpdate() said kDone).
  const absl::Status& status() const { return status_; }

  uint64_t announced() const { return announced_; }  // first phase only
  uint64_t withdrawn() const { return withdrawn_; }
  uint64_t updates() const { return updates_; }  // UPDATE messages built

 private:
  void Refill(Clock::time_point now);

  RouteGenerator gen_;
  std::optional<double> rate_;
  bool withdraw_ = false;
  bool first_phase_ = true;
  bool attrs_set_ = false;
  bool finished_ = false;
  RouteAttributes attrs_;
  Family family_ = kIpv4Unicast;
  std::optional<uint32_t> path_id_;
  double tokens_ = 0;
  Clock::time_point last_refill_;
  std::optional<Clock::time_point> token_wait_at_;
  absl::Status status_;
  uint64_t announced_ = 0;
  uint64_t withdrawn_ = 0;
  uint64_t updates_ = 0;
};

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_INJECT_GENERATE_H_
