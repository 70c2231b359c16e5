// Copyright 2026 The bgpy Authors.
//
// session_fuzzer: drives one bgpy::Session with a fake clock, the bytes a
// peer sends and the caller's calls all taken from the input (after
// ngtcp2's fuzz/read_write_pkt.cc).
//
// Input: octet 0 picks the configuration (see ConfigFrom); unless its bit 7
// is set, the peer's OPEN and KEEPALIVE are fed first so the session gets
// Established and the rest of the input reaches deep states. Then a stream
// of operations, each one octet (low 3 bits: the operation) and arguments:
//   0 n bytes...  Receive(next n octets)
//   1 hi lo       advance the clock (hi:lo ms, or (hi&0x7f):lo * 100 ms when
//                 hi's top bit is set), then OnTimer(now)
//   2             OnConnected(now)
//   3             OnClosed(now)
//   4 s           Stop(now, Cease subcode s % 11, short text)
//   5 c p...      QueueUpdate(an UPDATE built by UpdateBuilder with c % 8 + 1
//                 IPv4 prefixes, one octet each: length 8..31, bits from it)
//   6             jump to NextDeadline() (if any), then OnTimer(now)
//   7 x           misc by x % 8: Start, OnConnectFailed, stall/unstall the
//                 output, ConsumeOutput(half), QueueEndOfRib(IPv4 unicast),
//                 SendRouteRefresh, Receive(peer OPEN), Receive(KEEPALIVE)
// After every operation all events are polled and, unless stalled, all
// output is consumed.
//
// Invariants checked:
//  - after OnTimer(now) no timer is due: NextDeadline() is after now;
//  - StateChanged events chain (each `from` is the previous `to`) and end at
//    state();
//  - the output is a sequence of whole messages that decode, and a failed
//    Receive() has queued its NOTIFICATION (same code and subcode), from
//    Idle with WantsClose();
//  - UPDATEs reported while Established parse with recv_params();
//  - QueueUpdate of a builder's output fails only with FailedPrecondition
//    (not Established) or ResourceExhausted (back-pressure), and the unsent
//    output stays within the backlog limit plus one message.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/session.h"
#include "bgpy/update.h"
#include "fuzz_check.h"

namespace bgpy::fuzz {
namespace {

constexpr uint32_t kLocalAs = 65001;
constexpr uint32_t kPeerAs = 4200000001;  // 4-octet: AS_TRANS in OPEN
constexpr size_t kBacklog = 8192;

// Octet 0: bit 0 passive, bit 1 delay_open 5 s, bit 2 auto_restart,
// bit 3 extended_message, bit 4 ADD-PATH IPv4 send+receive,
// bit 5 enhanced route refresh + IPv6 unicast, bit 6 hold time 3 s (else
// 90 s), bit 7 no automatic handshake.
SessionConfig ConfigFrom(uint8_t b, bool local) {
  SessionConfig c;
  c.local_as = local ? kLocalAs : kPeerAs;
  c.peer_as = local ? kPeerAs : kLocalAs;
  c.router_id = local ? 0x0a000001 : 0x0a000002;
  c.passive = local && (b & 0x01);
  if (local && (b & 0x02)) c.delay_open = std::chrono::seconds(5);
  c.auto_restart = local && (b & 0x04);
  c.extended_message = (b & 0x08) != 0;
  if (b & 0x20) {
    c.families = {kIpv4Unicast, kIpv6Unicast};
    c.enhanced_route_refresh = true;
  }
  if (b & 0x10) c.add_path.push_back({kIpv4Unicast, true, true});
  c.hold_time = (b & 0x40) ? 3 : 90;
  c.connect_retry = std::chrono::seconds(30);
  c.idle_hold = std::chrono::seconds(2);
  c.max_output_backlog = kBacklog;
  c.seed = b;
  return c;
}

class Driver {
 public:
  Driver(wire::Bytes in) : in_(in) {}

  void Run() {
    if (in_.empty()) return;
    const uint8_t cfg = in_[0];
    pos_ = 1;
    const SessionConfig peer_config = ConfigFrom(cfg, /*local=*/false);
    {
      wire::Writer w(&peer_open_);
      FUZZ_CHECK(EncodeOpen(BuildOpen(peer_config), w).ok(),
                 "peer OPEN does not encode");
    }
    {
      wire::Writer w(&keepalive_);
      FUZZ_CHECK(EncodeMessage(Keepalive{}, SessionParams{}, w).ok(),
                 "KEEPALIVE does not encode");
    }
    Session s(ConfigFrom(cfg, /*local=*/true));
    session_ = &s;
    FUZZ_CHECK(s.Start(now_).ok(), "Start refused a valid configuration");
    After();
    if (!s.connected()) {
      (void)s.OnConnected(now_);
      After();
    }
    if (!(cfg & 0x80)) {
      Feed(peer_open_);
      Feed(keepalive_);
    }
    while (pos_ < in_.size()) Step();
  }

 private:
  uint8_t Next() { return pos_ < in_.size() ? in_[pos_++] : 0; }

  void Step() {
    Session& s = *session_;
    const uint8_t op = Next();
    switch (op & 7) {
      case 0: {
        const size_t n = std::min<size_t>(Next(), in_.size() - pos_);
        Feed(in_.subspan(pos_, n));
        pos_ += n;
        return;
      }
      case 1: {
        const uint16_t hi = Next();
        const uint16_t lo = Next();
        const auto ms =
            (hi & 0x80) ? ((hi & 0x7f) << 8 | lo) * 100 : (hi << 8 | lo);
        now_ += std::chrono::milliseconds(ms);
        Timer();
        return;
      }
      case 2: {
        const bool was_connected = s.connected();
        absl::Status st = s.OnConnected(now_);
        if (!st.ok()) {
          FUZZ_CHECK(st.code() == absl::StatusCode::kFailedPrecondition,
                     "OnConnected failed with an unexpected code");
        } else {
          FUZZ_CHECK(!was_connected,
                     "OnConnected accepted a second connection");
          checker_ = MessageSplitter(kMaxExtendedMessageSize);
        }
        After();
        return;
      }
      case 3:
        s.OnClosed(now_);
        FUZZ_CHECK(!s.connected(), "connected after OnClosed");
        FUZZ_CHECK(s.PendingOutput().empty(), "output kept after OnClosed");
        checker_ = MessageSplitter(kMaxExtendedMessageSize);
        expect_.reset();  // unsent output, NOTIFICATION included, is dropped
        After();
        return;
      case 4:
        s.Stop(now_, static_cast<CeaseSubcode>(Next() % 11), "fuzz");
        FUZZ_CHECK(s.state() == SessionState::kIdle, "not Idle after Stop");
        After();
        return;
      case 5:
        QueueUpdate();
        return;
      case 6:
        if (auto t = s.NextDeadline()) {
          if (*t > now_) now_ = *t;
        }
        Timer();
        return;
      case 7:
        Misc(Next());
        return;
    }
  }

  void Misc(uint8_t x) {
    Session& s = *session_;
    switch (x & 7) {
      case 0:
        (void)s.Start(now_);
        break;
      case 1:
        if (!s.connected()) s.OnConnectFailed(now_);
        break;
      case 2:
        stalled_ = !stalled_;
        break;
      case 3:
        Drain(s.PendingOutput().size() / 2);
        break;
      case 4: {
        absl::Status st = s.QueueEndOfRib(kIpv4Unicast, now_);
        if (s.state() == SessionState::kEstablished) {
          FUZZ_CHECK(st.ok(), "QueueEndOfRib for IPv4 unicast refused");
        }
        break;
      }
      case 5:
        (void)s.SendRouteRefresh(kIpv4Unicast, now_);
        break;
      case 6:
        Feed(peer_open_);
        return;
      case 7:
        Feed(keepalive_);
        return;
    }
    After();
  }

  void QueueUpdate() {
    Session& s = *session_;
    const size_t count = Next() % 8 + 1;
    UpdateBuilder b(s.send_params());
    PathAttributes attrs;
    attrs.origin = Origin::kIgp;
    attrs.as_path =
        AsPath{{AsPathSegment{AsSegmentType::kSequence, {kLocalAs}}}};
    attrs.next_hop = IpAddress::V4(0x0a000001);
    FUZZ_CHECK(b.SetAttributes(attrs, kIpv4Unicast).ok(),
               "builder refused plain attributes");
    for (size_t i = 0; i < count; ++i) {
      const uint8_t p = Next();
      const int len = 8 + p % 24;
      const uint32_t addr =
          (uint32_t{p} << 24 | uint32_t{p} << 8 | i) & ~(0xffffffffu >> len);
      absl::StatusOr<Prefix> prefix = Prefix::Make(IpAddress::V4(addr), len);
      FUZZ_CHECK(prefix.ok(), "a host-bits-clear prefix is refused");
      FUZZ_CHECK(b.Announce(*prefix, s.send_params().HasAddPath(kIpv4Unicast)
                                         ? std::optional<uint32_t>(i)
                                         : std::nullopt),
                 "eight prefixes do not fit one UPDATE");
    }
    std::vector<uint8_t> msg;
    b.Flush(msg);
    const size_t before = s.PendingOutput().size();
    absl::Status st = s.QueueUpdate(msg, now_);
    if (!st.ok()) {
      FUZZ_CHECK(st.code() == absl::StatusCode::kFailedPrecondition ||
                     st.code() == absl::StatusCode::kResourceExhausted,
                 "QueueUpdate refused a builder's UPDATE");
      FUZZ_CHECK((st.code() == absl::StatusCode::kFailedPrecondition) ==
                     (s.state() != SessionState::kEstablished),
                 "QueueUpdate: FailedPrecondition iff not Established");
      FUZZ_CHECK(s.PendingOutput().size() == before,
                 "a refused QueueUpdate queued something");
    }
    After();
  }

  void Feed(wire::Bytes bytes) {
    Session& s = *session_;
    const bool was_connected = s.connected();
    absl::Status st = s.Receive(bytes, now_);
    if (!st.ok()) {
      if (!was_connected) {
        FUZZ_CHECK(st.code() == absl::StatusCode::kFailedPrecondition,
                   "Receive without a connection: wrong code");
      } else {
        std::optional<NotificationInfo> n = GetNotification(st);
        FUZZ_CHECK(n.has_value(), "a failed Receive carries no NOTIFICATION");
        FUZZ_CHECK(s.state() == SessionState::kIdle, "not Idle after an error");
        FUZZ_CHECK(s.WantsClose(), "no WantsClose after an error");
        expect_ = *n;
      }
    }
    After();
    if (expect_.has_value() && !stalled_) {
      FUZZ_CHECK(false, "the NOTIFICATION of a failed Receive was not sent");
    }
  }

  void Timer() {
    Session& s = *session_;
    s.OnTimer(now_);
    if (auto t = s.NextDeadline()) {
      FUZZ_CHECK(*t > now_, "a timer is still due after OnTimer(now)");
    }
    After();
  }

  // Checks consumed output: whole messages that decode.
  void Drain(size_t n) {
    Session& s = *session_;
    const absl::Span<const uint8_t> out = s.PendingOutput();
    n = std::min(n, out.size());
    checker_.Feed(out.subspan(0, n));
    s.ConsumeOutput(n, now_);
    for (;;) {
      absl::StatusOr<std::optional<wire::Bytes>> next = checker_.Next();
      FUZZ_CHECK(next.ok(), "the session sent a bad message header");
      if (!next->has_value()) break;
      const wire::Bytes msg = **next;
      const MessageType type = static_cast<MessageType>(msg[18]);
      if (type == MessageType::kUpdate) continue;  // params vary; queued by us
      absl::StatusOr<Message> m = DecodeMessage(msg, SessionParams{});
      FUZZ_CHECK(m.ok(), "the session sent a message that does not decode");
      if (const Notification* note = std::get_if<Notification>(&*m)) {
        if (expect_.has_value()) {
          FUZZ_CHECK(
              note->code == expect_->code && note->subcode == expect_->subcode,
              "sent NOTIFICATION differs from the Receive error");
          expect_.reset();
        }
      }
    }
  }

  void After() {
    Session& s = *session_;
    while (std::optional<SessionEvent> ev = s.PollEvent()) {
      if (const auto* sc = std::get_if<StateChanged>(&*ev)) {
        if (verbose_) {
          std::fprintf(stderr, "  %s -> %s (%s)\n", SessionStateName(sc->from),
                       SessionStateName(sc->to), sc->reason.c_str());
        }
        FUZZ_CHECK(sc->from == state_, "StateChanged does not chain");
        state_ = sc->to;
      } else if (const auto* mr = std::get_if<MessageReceived>(&*ev)) {
        if (mr->type == MessageType::kUpdate &&
            s.state() == SessionState::kEstablished) {
          std::vector<Finding> findings;
          absl::StatusOr<UpdateView> v =
              UpdateView::Parse(mr->bytes, s.recv_params(), &findings);
          FUZZ_CHECK(v.ok(), "a reported UPDATE does not parse");
          FUZZ_CHECK(v->verdict() == mr->verdict, "reported verdict differs");
        }
      }
    }
    FUZZ_CHECK(state_ == s.state(), "events do not end at state()");
    if (!stalled_) Drain(s.PendingOutput().size());
    FUZZ_CHECK(
        s.PendingOutput().size() <= kBacklog + 2 * kMaxExtendedMessageSize,
        "unsent output exceeds the backlog limit");
    if (auto t = s.NextDeadline()) {
      FUZZ_CHECK(*t >= start_, "a deadline before the first call");
    }
  }

  wire::Bytes in_;
  size_t pos_ = 0;
  Session* session_ = nullptr;
  const Instant start_ = Instant{} + std::chrono::hours(1000);
  Instant now_ = start_;
  SessionState state_ = SessionState::kIdle;
  bool stalled_ = false;
  // BGPY_FUZZ_VERBOSE=1 prints the state changes (for reading a crash).
  const bool verbose_ = std::getenv("BGPY_FUZZ_VERBOSE") != nullptr;
  MessageSplitter checker_{kMaxExtendedMessageSize};
  std::optional<NotificationInfo> expect_;
  std::vector<uint8_t> peer_open_;
  std::vector<uint8_t> keepalive_;
};

}  // namespace
}  // namespace bgpy::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bgpy::fuzz::Driver d(bgpy::wire::Bytes(data, size));
  d.Run();
  return 0;
}
