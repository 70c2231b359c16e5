// Copyright 2026 The bgpy Authors.
//
// Two Sessions wired back to back in memory on a fake clock, with an
// optional one-way delay and chunking: the in-process peer pair of
// STYLE.md §7 (after ngtcp2's examples/sim.h). Nothing sleeps: time moves
// only when the test asks, jumping from one deadline to the next.
#ifndef BGPY_TESTS_TESTLIB_SESSION_PAIR_H_
#define BGPY_TESTS_TESTLIB_SESSION_PAIR_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "bgpy/session.h"

namespace bgpy::testing {

// A fixed, arbitrary origin for fake clocks (never steady_clock::now()).
inline Instant FakeEpoch() { return Instant{} + std::chrono::hours(1000); }

class SessionPair {
 public:
  struct Options {
    Duration delay{};  // one-way delay of every chunk
    size_t chunk = 0;  // deliver in chunks of at most this many octets
    Instant start = FakeEpoch();
  };
  SessionPair(SessionConfig a, SessionConfig b);
  SessionPair(SessionConfig a, SessionConfig b, Options options);

  Session& a() { return a_.session; }
  Session& b() { return b_.session; }
  Instant now() const { return now_; }

  // Start() on both (a connects unless passive; b too unless passive).
  void StartBoth();
  // Processes everything due up to `t` in time order, then sets now = t.
  void RunUntil(Instant t);
  void RunFor(Duration d) { RunUntil(now_ + d); }
  // Runs until `done()` holds, at most `limit` of fake time. Returns done().
  bool RunUntil(const std::function<bool()>& done, Duration limit);
  // Processes what is due now (after the test called into a session).
  void Pump();

  // Events each side produced so far (drained from the sessions).
  std::vector<SessionEvent>& events_a() { return a_.events; }
  std::vector<SessionEvent>& events_b() { return b_.events; }
  // Every octet each side put on the wire, in order.
  const std::vector<uint8_t>& sent_a() const { return a_.sent; }
  const std::vector<uint8_t>& sent_b() const { return b_.sent; }
  // First non-OK Receive() status seen on each side.
  const absl::Status& receive_status_a() const { return a_.receive_status; }
  const absl::Status& receive_status_b() const { return b_.receive_status; }

  // Silently drops what a (or b) sends from now on, while on.
  void BlackholeFromA(bool on) { a_.blackhole = on; }
  void BlackholeFromB(bool on) { b_.blackhole = on; }
  // When off, a side's output stays in its Session (a stalled reader).
  void DrainA(bool on) { a_.drain = on; }
  void DrainB(bool on) { b_.drain = on; }

  // The TCP connection is lost now (reset, cable pulled): bytes in flight
  // are lost and both sessions get OnClosed().
  void DropLink() { CloseLink(); }

  bool link_up() const { return up_; }
  int connections() const { return connections_; }

 private:
  struct Chunk {
    Instant at;
    std::vector<uint8_t> bytes;
  };
  struct Side {
    explicit Side(SessionConfig c) : session(std::move(c)) {}
    Session session;
    std::vector<SessionEvent> events;
    std::vector<uint8_t> sent;
    std::deque<Chunk> in_flight;  // toward the other side
    absl::Status receive_status;
    bool blackhole = false;
    bool drain = true;
  };
  bool Step();  // one pass; true if anything happened
  std::optional<Instant> NextTime() const;
  bool Listening(const Session& s) const;
  void CloseLink();

  Side a_, b_;
  Options options_;
  Instant now_;
  bool up_ = false;
  std::optional<Instant> close_at_;
  int connections_ = 0;
};

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_SESSION_PAIR_H_
