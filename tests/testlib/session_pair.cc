// Copyright 2026 The bgpy Authors.
#include "testlib/session_pair.h"

#include <algorithm>
#include <utility>

#include "gtest/gtest.h"

namespace bgpy::testing {

SessionPair::SessionPair(SessionConfig a, SessionConfig b)
    : SessionPair(std::move(a), std::move(b), Options()) {}

SessionPair::SessionPair(SessionConfig a, SessionConfig b, Options options)
    : a_(std::move(a)),
      b_(std::move(b)),
      options_(options),
      now_(options.start) {}

void SessionPair::StartBoth() {
  EXPECT_TRUE(a_.session.Start(now_).ok());
  EXPECT_TRUE(b_.session.Start(now_).ok());
  Pump();
}

bool SessionPair::Listening(const Session& s) const {
  return !s.connected() && (s.state() == SessionState::kActive ||
                            s.state() == SessionState::kConnect);
}

void SessionPair::CloseLink() {
  up_ = false;
  close_at_.reset();
  a_.in_flight.clear();
  b_.in_flight.clear();
  if (a_.session.connected()) a_.session.OnClosed(now_);
  if (b_.session.connected()) b_.session.OnClosed(now_);
}

bool SessionPair::Step() {
  bool progress = false;
  Side* sides[2][2] = {{&a_, &b_}, {&b_, &a_}};

  // Connection setup: one TCP connection at a time.
  if (!up_) {
    for (auto& xy : sides) {
      Side& x = *xy[0];
      Side& y = *xy[1];
      if (!x.session.WantsConnect()) continue;
      progress = true;
      if (Listening(y.session)) {
        up_ = true;
        ++connections_;
        EXPECT_TRUE(x.session.OnConnected(now_).ok());
        EXPECT_TRUE(y.session.OnConnected(now_).ok());
        break;
      }
      x.session.OnConnectFailed(now_);
    }
  }

  // Output onto the link.
  for (auto& xy : sides) {
    Side& x = *xy[0];
    if (!x.drain) continue;
    absl::Span<const uint8_t> out = x.session.PendingOutput();
    if (out.empty()) continue;
    progress = true;
    if (up_ && !x.blackhole) {
      x.sent.insert(x.sent.end(), out.begin(), out.end());
      size_t step = options_.chunk == 0 ? out.size() : options_.chunk;
      for (size_t i = 0; i < out.size(); i += step) {
        size_t n = std::min(step, out.size() - i);
        x.in_flight.push_back(
            Chunk{now_ + options_.delay,
                  std::vector<uint8_t>(out.begin() + i, out.begin() + i + n)});
      }
    }
    x.session.ConsumeOutput(out.size(), now_);
  }

  // Delivery.
  for (auto& xy : sides) {
    Side& x = *xy[0];
    Side& y = *xy[1];
    while (!x.in_flight.empty() && x.in_flight.front().at <= now_) {
      progress = true;
      Chunk c = std::move(x.in_flight.front());
      x.in_flight.pop_front();
      if (!y.session.connected()) continue;
      absl::Status st = y.session.Receive(c.bytes, now_);
      if (!st.ok() && y.receive_status.ok()) y.receive_status = st;
    }
  }

  // Timers.
  for (auto& xy : sides) {
    Session& s = xy[0]->session;
    if (auto t = s.NextDeadline(); t && *t <= now_) {
      s.OnTimer(now_);
      progress = true;
    }
  }

  // Close: once the closing side's output is on the link, after it arrives.
  auto ready_to_close = [](const Side& s) {
    return s.session.WantsClose() &&
           (s.session.PendingOutput().empty() || !s.drain);
  };
  if (up_ && !close_at_ && (ready_to_close(a_) || ready_to_close(b_))) {
    Instant at = now_;
    for (Side* s : {&a_, &b_})
      if (s->session.WantsClose() && !s->in_flight.empty())
        at = std::max(at, s->in_flight.back().at);
    close_at_ = at;
    progress = true;
  }
  if (close_at_ && *close_at_ <= now_) {
    CloseLink();
    progress = true;
  }
  if (!up_) {
    // A session that wants a stale connection closed (none is up here).
    for (Side* s : {&a_, &b_}) {
      if (s->session.WantsClose()) {
        s->session.OnClosed(now_);
        progress = true;
      }
    }
  }

  // Events.
  for (Side* s : {&a_, &b_}) {
    while (auto ev = s->session.PollEvent()) {
      s->events.push_back(std::move(*ev));
      progress = true;
    }
  }
  return progress;
}

void SessionPair::Pump() {
  for (int i = 0; i < 10'000'000 && Step(); ++i) {
  }
}

std::optional<Instant> SessionPair::NextTime() const {
  std::optional<Instant> next;
  auto consider = [&](std::optional<Instant> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  consider(a_.session.NextDeadline());
  consider(b_.session.NextDeadline());
  if (!a_.in_flight.empty()) consider(a_.in_flight.front().at);
  if (!b_.in_flight.empty()) consider(b_.in_flight.front().at);
  consider(close_at_);
  return next;
}

void SessionPair::RunUntil(Instant t) {
  for (;;) {
    Pump();
    std::optional<Instant> next = NextTime();
    if (!next || *next > t) break;
    if (*next <= now_) {
      ADD_FAILURE() << "SessionPair: work due now was not processed";
      break;
    }
    now_ = *next;
  }
  if (t > now_) now_ = t;
  Pump();
}

bool SessionPair::RunUntil(const std::function<bool()>& done, Duration limit) {
  Instant end = now_ + limit;
  Pump();
  while (!done()) {
    std::optional<Instant> next = NextTime();
    if (!next || *next > end) {
      if (now_ < end) {
        now_ = end;
        Pump();
      }
      return done();
    }
    if (*next <= now_) {
      ADD_FAILURE() << "SessionPair: work due now was not processed";
      return done();
    }
    now_ = *next;
    Pump();
  }
  return true;
}

}  // namespace bgpy::testing
