// Copyright 2026 The bgpy Authors.
#include "inject/generate.h"

#include <algorithm>
#include <utility>

namespace bgpy::tools {

RouteAttributes MakeAttributes(const Options& o, const Negotiated* n,
                               const IpAddress& next_hop) {
  RouteAttributes r;
  PathAttributes& a = r.attrs;
  a.origin = o.origin;
  AsPath path = o.as_path;
  if (n != nullptr && !n->ibgp) {
    // eBGP: our AS first (RFC 4271 §5.1.2), unless the path has it.
    const uint32_t local_as = o.session.local_as;
    const bool has = !path.segments.empty() &&
                     path.segments[0].type == AsSegmentType::kSequence &&
                     !path.segments[0].asns.empty() &&
                     path.segments[0].asns[0] == local_as;
    if (!has) {
      if (path.segments.empty() ||
          path.segments[0].type != AsSegmentType::kSequence ||
          path.segments[0].asns.size() >= 255) {
        path.segments.insert(path.segments.begin(),
                             AsPathSegment{AsSegmentType::kSequence, {}});
      }
      path.segments[0].asns.insert(path.segments[0].asns.begin(), local_as);
    }
  }
  a.as_path = path;
  a.med = o.med;
  a.local_pref = o.local_pref;
  a.communities = o.communities;
  a.large_communities = o.large_communities;
  a.ext_communities = o.ext_communities;
  if (o.family == kIpv4Unicast) {
    a.next_hop = next_hop;
  } else {
    // The family's row writes its MP_REACH next hop.
    MpNextHop nh;
    nh.address = next_hop;
    wire::Writer w(&r.mp_next_hop);
    const FamilyDesc* d = FindFamily(o.family);
    if (d != nullptr) d->encode_next_hop(nh, w);
  }
  return r;
}

void RouteFeed::StartPhase(bool withdraw, RouteAttributes a, Family family,
                           std::optional<uint32_t> path_id) {
  if (!withdraw_ && announced_ > 0) first_phase_ = false;
  withdraw_ = withdraw;
  attrs_ = std::move(a);
  family_ = family;
  path_id_ = path_id;
  attrs_set_ = false;
  finished_ = false;
  gen_.Rewind();
  tokens_ = 1;
  last_refill_ = Clock::now();
  token_wait_at_.reset();
}

void RouteFeed::Refill(Clock::time_point now) {
  const double elapsed =
      std::chrono::duration<double>(now - last_refill_).count();
  last_refill_ = now;
  // Bursts of at most 20 ms of routes (and at least one route).
  const double cap = std::max(1.0, *rate_ / 50);
  tokens_ = std::min(cap, tokens_ + elapsed * *rate_);
}

RouteSource::Fill RouteFeed::FillUpdate(UpdateBuilder& b) {
  token_wait_at_.reset();
  if (!attrs_set_) {
    // A fresh builder for each SetRouteSource(): attributes first.
    status_ = b.SetAttributes(attrs_.attrs, family_, attrs_.mp_next_hop);
    if (!status_.ok()) {
      finished_ = true;
      return Fill::kDone;
    }
    attrs_set_ = true;
  }
  uint64_t budget = UINT64_MAX;
  if (rate_) {
    Refill(Clock::now());
    if (tokens_ < 1) {
      const double wait_us = (1 - tokens_) / *rate_ * 1e6;
      token_wait_at_ = Clock::now() + std::chrono::microseconds(
                                          static_cast<int64_t>(wait_us) + 1);
      return Fill::kIdle;
    }
    budget = static_cast<uint64_t>(tokens_);
  }
  uint64_t added = 0;
  bool full = false;
  while (added < budget && !gen_.done()) {
    const Prefix p = gen_.Next();
    const bool ok =
        withdraw_ ? b.Withdraw(p, path_id_) : b.Announce(p, path_id_);
    if (!ok) {  // the message is full: the session sends it and calls again
      gen_.Unget();
      full = true;
      break;
    }
    ++added;
  }
  if (rate_) tokens_ -= static_cast<double>(added);
  if (withdraw_) {
    withdrawn_ += added;
  } else if (first_phase_) {
    announced_ += added;
  }
  if (b.pending() > 0) ++updates_;
  if (full) return Fill::kMore;
  if (gen_.done()) {
    finished_ = true;
    return Fill::kDone;
  }
  return Fill::kMore;  // out of tokens: the next call waits for them
}

}  // namespace bgpy::tools
