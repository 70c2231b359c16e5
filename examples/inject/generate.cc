// Copyright 2026 The bgpy Authors.
#include "inject/generate.h"

#include <algorithm>
#include <utility>

#include "bgpy/flowspec.h"

namespace bgpy::tools {

RouteAttributes MakeAttributes(const Options& o, const InjectFamily& f,
                               const Negotiated* n, const IpAddress& next_hop) {
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
  // RFC 4271 §5.1.5: LOCAL_PREF is in every UPDATE to an internal peer
  // (FRR drops iBGP routes without it); 100 is the common default.
  if (!a.local_pref && n != nullptr && n->ibgp) a.local_pref = 100;
  a.communities = o.communities;
  a.large_communities = o.large_communities;
  a.ext_communities = o.ext_communities;  // --ext-communities, --route-targets
  const Safi safi = f.family().safi;
  if (safi == Safi::kFlowSpec || safi == Safi::kFlowSpecVpn) {
    // The "action ..." part of --flowspec: traffic-action extended
    // communities (RFC 8955 §7). Checked at startup (options.cc).
    absl::StatusOr<std::vector<ExtendedCommunity>> actions =
        ParseFlowspecActions(f.tmpl.flowspec);
    if (actions.ok()) {
      a.ext_communities.insert(a.ext_communities.end(), actions->begin(),
                               actions->end());
    }
  }
  if (f.family() == kIpv4Unicast && next_hop.is_v4()) {
    a.next_hop = next_hop;
  } else {
    // The family's row encodes the MP_REACH next hop (UpdateBuilder).
    r.next_hop.address = next_hop;
  }
  return r;
}

void RouteFeed::StartPhase(bool withdraw, std::vector<Segment> segments) {
  if (!withdraw_ && announced_ > 0) first_phase_ = false;
  withdraw_ = withdraw;
  segments_ = std::move(segments);
  segment_ = 0;
  next_ = 0;
  for (FamilyRoutes& f : families_)
    if (f.fast) f.fast->Rewind();
  attrs_set_ = false;
  finished_ = false;
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

void RouteFeed::NextSegment() {
  ++segment_;
  next_ = 0;
  attrs_set_ = false;
  if (segment_ < segments_.size()) {
    FamilyRoutes& f = families_[segments_[segment_].family];
    if (f.fast) f.fast->Rewind();
  }
}

uint64_t RouteFeed::AddRoutes(UpdateBuilder& b, uint64_t budget, bool* full) {
  const Segment& s = segments_[segment_];
  FamilyRoutes& f = families_[s.family];
  uint64_t added = 0;
  if (f.fast) {
    RouteGenerator& gen = *f.fast;
    while (added < budget && !gen.done()) {
      const Prefix p = gen.Next();
      const bool ok =
          withdraw_ ? b.Withdraw(p, s.path_id) : b.Announce(p, s.path_id);
      if (!ok) {  // the message is full: the session sends it, calls again
        gen.Unget();
        *full = true;
        break;
      }
      ++added;
    }
    return added;
  }
  const InjectFamily& fam = *f.family;
  while (added < budget && next_ < fam.count) {
    absl::StatusOr<NlriValue> v =
        fam.desc->generate(fam.tmpl, f.offset + next_);
    if (!v.ok()) {
      status_ =
          absl::Status(v.status().code(),
                       absl::StrCat(fam.desc->name, " route ", f.offset + next_,
                                    ": ", v.status().message()));
      return added;
    }
    absl::Status st = withdraw_ ? b.WithdrawValue(*v, s.path_id)
                                : b.AnnounceValue(*v, s.path_id);
    if (absl::IsResourceExhausted(st)) {
      *full = true;
      break;
    }
    if (!st.ok()) {
      status_ = st;
      return added;
    }
    ++added;
    ++next_;
  }
  return added;
}

void RouteFeed::Settle() {
  if (marks_.empty() || marks_.back().settled || !position_) return;
  marks_.back().end = position_();
  marks_.back().settled = true;
}

void RouteFeed::Written(uint64_t bytes) {
  while (!marks_.empty() && marks_.front().settled &&
         marks_.front().end <= bytes) {
    const Mark& m = marks_.front();
    switch (m.kind) {
      case Kind::kAnnounce:
        announced_written_ += m.routes;
        break;
      case Kind::kWithdraw:
        withdrawn_written_ += m.routes;
        break;
      case Kind::kReannounce:
        later_written_ += m.routes;
        break;
    }
    ++updates_written_;
    marks_.pop_front();
  }
}

RouteSource::Fill RouteFeed::FillFromProducer(UpdateBuilder& b) {
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
  bool withdraw = false;
  const uint64_t added = producer_->Fill(b, budget, &withdraw);
  if (rate_) tokens_ -= static_cast<double>(added);
  Kind kind = Kind::kReannounce;
  if (withdraw || withdraw_) {
    withdrawn_ += added;
    kind = Kind::kWithdraw;
  } else if (first_phase_) {
    announced_ += added;
    kind = Kind::kAnnounce;
  } else {
    later_announced_ += added;
  }
  if (b.pending() > 0) {
    ++updates_;
    Mark m;
    m.routes = static_cast<uint32_t>(b.pending());
    m.kind = kind;
    marks_.push_back(m);
  }
  if (!producer_->status().ok()) status_ = producer_->status();
  if (!status_.ok() || (producer_->done() && b.pending() == 0)) {
    finished_ = true;
    return Fill::kDone;
  }
  if (added == 0) {
    token_wait_at_ = producer_->wait_until();
    if (token_wait_at_) return Fill::kIdle;
  }
  return Fill::kMore;
}

RouteSource::Fill RouteFeed::FillUpdate(UpdateBuilder& b) {
  // The session appended the UPDATE of the previous call (if any) and
  // nothing since: where its output ends now is where that UPDATE ends.
  Settle();
  token_wait_at_.reset();
  if (producer_ != nullptr) return FillFromProducer(b);
  uint64_t added = 0;
  bool full = false;
  bool out_of_tokens = false;
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
  while (segment_ < segments_.size() && status_.ok()) {
    const Segment& s = segments_[segment_];
    if (!attrs_set_) {
      // A new segment starts a new message: attributes (and family) first.
      if (b.pending() > 0) break;
      const InjectFamily& fam = *families_[s.family].family;
      status_ = b.SetAttributes(s.attrs.attrs, fam.family(), s.attrs.next_hop);
      if (!status_.ok()) break;
      attrs_set_ = true;
    }
    added += AddRoutes(b, budget - added, &full);
    if (full || !status_.ok()) break;
    const FamilyRoutes& f = families_[s.family];
    const bool segment_done =
        f.fast ? f.fast->done() : next_ >= f.family->count;
    if (!segment_done) {
      out_of_tokens = true;
      break;
    }
    NextSegment();
  }
  if (rate_) tokens_ -= static_cast<double>(added);
  Kind kind = Kind::kReannounce;
  if (withdraw_) {
    withdrawn_ += added;
    kind = Kind::kWithdraw;
  } else if (first_phase_) {
    announced_ += added;
    kind = Kind::kAnnounce;
  } else {
    later_announced_ += added;
  }
  if (b.pending() > 0) {
    ++updates_;
    // The session flushes the message right after this call.
    Mark m;
    m.routes = static_cast<uint32_t>(b.pending());
    m.kind = kind;
    marks_.push_back(m);
  }
  if (!status_.ok() || segment_ >= segments_.size()) {
    finished_ = true;
    return Fill::kDone;
  }
  (void)out_of_tokens;  // the next call waits for tokens
  return Fill::kMore;
}

}  // namespace bgpy::tools
