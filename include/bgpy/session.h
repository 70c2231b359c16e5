// Copyright 2026 The bgpy Authors.
//
// session.h: one BGP connection as a sans-I/O state machine (RFC 4271 §8).
//
// The Session never touches a socket, a clock or a thread. The caller (an
// event loop, a test, a fuzzer) feeds it what happened and the current time,
// and pulls back bytes to send, the next timer deadline and events:
//
//   Session s(config);                        // no I/O
//   s.Start(now);                             // event 1 (4 when passive)
//   if (s.WantsConnect()) Connect();          // state Connect
//   s.OnConnected(now);                       // event 16/17
//   absl::Status st = s.Receive(bytes, now);  // any chunking
//   while (auto ev = s.PollEvent()) Handle(*ev);
//   auto out = s.PendingOutput(); s.ConsumeOutput(Write(out), now);
//   if (auto t = s.NextDeadline()) Arm(*t);   // when due: s.OnTimer(now)
//   if (s.WantsClose()) { Flush(); Close(); s.OnClosed(now); }
//
// One Session is one TCP connection at a time. It may outlive connections:
// after an error it goes Idle and, with auto_restart, starts again after the
// IdleHold time (a new connection then). Output left from an old connection
// is dropped when it closes.
//
// Collisions (RFC 4271 §6.8) involve two connections and so two Sessions;
// PeerConnections (bgpy/collision.h) holds both and resolves them. A
// Session already Established always wins over a new connection (the RFC's
// default, CollisionDetectEstablishedState off).
//
// Deviations from the RFC 4271 §8 text, all as deployed implementations do:
// - A failed or closed connection in Connect/Active/OpenSent goes to Active
//   and retries after ConnectRetry (with backoff and jitter) instead of
//   dropping to Idle.
// - A NOTIFICATION is never answered with a NOTIFICATION (RFC 4271 §4.5): a
//   NOTIFICATION received in any connected state goes to Idle silently.
// - Any valid message in Established restarts the hold timer.
// - SendNOTIFICATIONwithoutOPEN is on: a bad OPEN or an unexpected message
//   while DelayOpen runs is answered with its NOTIFICATION (5/0 for the
//   latter, RFC 6608 having no subcode for Connect/Active).
#ifndef BGPY_SESSION_H_
#define BGPY_SESSION_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/update.h"

namespace bgpy {

// A point in time on the caller's monotonic clock; used as a value only.
using Instant = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

// RFC 4271 §8.2.2.
enum class SessionState : uint8_t {
  kIdle,
  kConnect,
  kActive,
  kOpenSent,
  kOpenConfirm,
  kEstablished,
};
// "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established".
const char* SessionStateName(SessionState s);

// --- Events the caller pulls
// ----------------------------------------------------

struct StateChanged {
  SessionState from = SessionState::kIdle;
  SessionState to = SessionState::kIdle;
  std::string reason;  // "ManualStart", "OPEN received", "Hold timer expired"
};

// Every message received, in order, as the bytes found (header included).
// For UPDATEs, the RFC 7606 verdict and findings (kOk when clean); the
// message was already checked, so UpdateView::Parse(bytes, recv_params())
// succeeds on it.
struct MessageReceived {
  MessageType type = MessageType::kKeepalive;
  std::vector<uint8_t> bytes;
  Verdict verdict = Verdict::kOk;
  std::vector<Finding> findings;
  // The session's own parse of an UPDATE it accepted, so the caller need
  // not parse it again: use update(), which points it at `bytes`.
  std::optional<UpdateView> parsed;

  // The UPDATE as the session parsed it, over this event's `bytes`
  // (std::nullopt for other messages and for an UPDATE that reset the
  // session). Valid while `bytes` is.
  std::optional<UpdateView> update() const {
    if (!parsed) return std::nullopt;
    return parsed->Rebase(bytes);
  }
};

struct NotificationSent {
  Notification notification;
  std::optional<std::string> shutdown_text;  // RFC 8203/9003
  std::string reason;                        // for humans
};

struct NotificationReceived {
  Notification notification;
  std::optional<std::string> shutdown_text;  // RFC 8203/9003
};

// An End-of-RIB marker (RFC 4724 §2) arrived (after its MessageReceived).
struct EndOfRib {
  Family family;
};

// A ROUTE-REFRESH for a negotiated family arrived (after its
// MessageReceived): the owner re-sends that family (subtype 0), or notes the
// start (1) / end (2) of the peer's re-advertisement (RFC 7313).
struct RouteRefreshReceived {
  Family family;
  uint8_t subtype = 0;
};

using SessionEvent =
    std::variant<StateChanged, MessageReceived, NotificationSent,
                 NotificationReceived, EndOfRib, RouteRefreshReceived>;

// --- Pulled routes
// --------------------------------------------------------------

// A caller's route generator that the session pulls from as its output
// drains: the alternative to QueueUpdate() for large tables. The session
// owns the UpdateBuilder (set up with the negotiated send parameters) and
// packs what the source adds into as few maximum-size UPDATEs as fit,
// keeping the backlog under config.max_output_backlog.
class RouteSource {
 public:
  enum class Fill : uint8_t {
    kMore,  // call again (the builder is full, or attributes must change)
    kIdle,  // nothing ready now; the owner calls Session::PullRoutes() later
    kDone,  // exhausted; the session lets go of the source
  };
  virtual ~RouteSource() = default;
  // Adds routes with b.Announce()/b.Withdraw() until one returns false (then
  // that route must be offered again on the next call) or no route is
  // ready. Sets attributes with b.SetAttributes() only while b.pending() is
  // 0; to change them with routes pending, return kMore: the session sends
  // the pending message and calls again with an empty builder.
  virtual Fill FillUpdate(UpdateBuilder& b) = 0;
};

// --- The session
// ----------------------------------------------------------------

class Session {
 public:
  explicit Session(SessionConfig config);

  Session(Session&&) = default;
  Session& operator=(Session&&) = default;

  const SessionConfig& config() const { return config_; }
  SessionState state() const { return state_; }

  // ManualStart (event 1) or, with config.passive, ManualStart with
  // PassiveTcpEstablishment (event 4): Idle -> Connect (WantsConnect()) or
  // Active. Ignored in other states. kInvalidArgument if the configuration
  // does not validate (nothing changes).
  absl::Status Start(Instant now);

  // ManualStop (event 2). In OpenSent, OpenConfirm and Established sends
  // NOTIFICATION Cease/`subcode` (with `text` as the RFC 9003 shutdown
  // communication for subcodes 2 and 4), then goes Idle with WantsClose().
  // No automatic restart follows.
  void Stop(Instant now,
            CeaseSubcode subcode = CeaseSubcode::kAdministrativeShutdown,
            absl::string_view text = "");

  // The TCP connection is up (events 16/17): sends OPEN (or starts the
  // DelayOpen timer) and goes OpenSent. kFailedPrecondition if not in
  // Connect or Active or already connected (a caller mistake; the caller
  // should close that connection).
  absl::Status OnConnected(Instant now);
  // The connection attempt failed (event 18): Active, retry after
  // ConnectRetry.
  void OnConnectFailed(Instant now);
  // The connection closed, by either side (event 18 when up). Drops unsent
  // output. Always call it after closing on WantsClose().
  void OnClosed(Instant now);

  // Bytes received, in any chunking. Whole messages are processed at once;
  // a partial one is buffered (at most one maximum-size message). On a
  // NOTIFICATION-worthy error (decode error, unexpected message, bad OPEN)
  // the NOTIFICATION is already queued, the session is Idle with
  // WantsClose(), and the Status (with GetNotification()) is returned; bytes
  // after the bad message are ignored, as is input while Idle.
  // kFailedPrecondition (no payload) if there is no connection.
  absl::Status Receive(absl::Span<const uint8_t> bytes, Instant now);

  // Fires every timer due at `now` (ConnectRetry, DelayOpen, Hold,
  // Keepalive, IdleHold; events 9, 12, 10, 11, 13). Early calls are no-ops.
  void OnTimer(Instant now);
  // The earliest armed timer, std::nullopt when none is.
  std::optional<Instant> NextDeadline() const;

  // Bytes to send, in order. Valid until the next non-const call.
  absl::Span<const uint8_t> PendingOutput() const {
    return absl::MakeConstSpan(out_).subspan(out_pos_);
  }
  // Marks the first `n` pending bytes as sent (clamped to what is pending).
  // With a RouteSource attached, pulls more routes at `now` (sending an
  // UPDATE restarts the keepalive timer from `now`).
  void ConsumeOutput(size_t n, Instant now);

  // The next event, oldest first.
  std::optional<SessionEvent> PollEvent();
  bool HasEvents() const { return !events_.empty(); }

  // The owner should start a TCP connection: state Connect, none up. A new
  // attempt (after ConnectRetry expired in Connect) increments
  // connect_attempt(); the owner then abandons the old attempt.
  bool WantsConnect() const;
  uint64_t connect_attempt() const { return connect_attempt_; }
  // The session is done with the current connection: flush PendingOutput()
  // (it holds the NOTIFICATION), close, call OnClosed().
  bool WantsClose() const { return connected_ && close_requested_; }
  bool connected() const { return connected_; }

  // True in OpenSent and OpenConfirm: the states in which a collision with
  // another connection to the same peer is resolved (bgpy/collision.h).
  bool CanCollide() const;

  // Set from OpenConfirm on (and kept in Idle until the next connection, for
  // reports); nullptr before.
  const Negotiated* negotiated() const {
    return negotiated_ ? &*negotiated_ : nullptr;
  }
  // Codec context: defaults (4-octet AS, 4096 octets, no ADD-PATH) until
  // negotiated.
  const SessionParams& recv_params() const;
  const SessionParams& send_params() const;

  // Queues one or more whole UPDATE messages (header included), as
  // UpdateBuilder::Flush() writes them. Established only. Errors:
  //   kFailedPrecondition: not Established;
  //   kInvalidArgument: not a sequence of whole UPDATEs within the
  //     negotiated maximum size (nothing queued);
  //   kResourceExhausted: the output backlog would exceed
  //     config.max_output_backlog (back-pressure: drain output, retry).
  absl::Status QueueUpdate(absl::Span<const uint8_t> bytes, Instant now);
  // Queues an End-of-RIB marker (RFC 4724 §2) for a negotiated family.
  // kFailedPrecondition if not Established, kInvalidArgument if `family` was
  // not negotiated. Not subject to the backlog limit.
  absl::Status QueueEndOfRib(Family family, Instant now);
  // Sends ROUTE-REFRESH (RFC 2918; subtypes 1 and 2 need RFC 7313).
  // kFailedPrecondition if not Established or the capability was not
  // negotiated, kInvalidArgument if `family` was not negotiated.
  absl::Status SendRouteRefresh(
      Family family, Instant now,
      RouteRefreshSubtype subtype = RouteRefreshSubtype::kRequest);

  // Attaches a route source (Established only; kFailedPrecondition
  // otherwise) and pulls from it at once. The session pulls again on every
  // ConsumeOutput() and PullRoutes() while the backlog is under
  // config.max_output_backlog, and lets go of the source when it says
  // kDone or the session leaves Established. The caller owns the source.
  absl::Status SetRouteSource(RouteSource* source, Instant now);
  // Pulls from the attached source now (after it returned kIdle and has
  // routes again).
  void PullRoutes(Instant now);
  // True while a source is attached.
  bool has_route_source() const { return source_ != nullptr; }

  // Counters for reports.
  uint32_t connect_retry_counter() const { return connect_retry_counter_; }
  uint64_t messages_received() const { return messages_received_; }
  uint64_t messages_sent() const { return messages_sent_; }

 private:
  enum class Timer : uint8_t {
    kConnectRetry,
    kHold,
    kKeepalive,
    kDelayOpen,
    kIdleHold,
    kCount
  };

  void SetState(SessionState to, absl::string_view reason);
  void Arm(Timer t, Instant at) { timers_[static_cast<int>(t)] = at; }
  void Disarm(Timer t) { timers_[static_cast<int>(t)].reset(); }
  bool Armed(Timer t) const { return timers_[static_cast<int>(t)].has_value(); }
  void DisarmAll();
  double Jitter();  // 0.75..1.0, RFC 4271 §10
  void ArmConnectRetry(Instant now);
  void ArmKeepalive(Instant now);
  void ArmHold(Instant now);
  void EnterIdle(Instant now, absl::string_view reason, bool error);
  void InitiateConnection(Instant now);
  void ResetConnectionState();

  // Timer expiries (RFC 4271 §8.1.3 events).
  void OnConnectRetryExpired(Instant now);  // event 9
  void OnHoldExpired(Instant now);          // event 10
  void OnKeepaliveExpired(Instant now);     // event 11
  void OnDelayOpenExpired(Instant now);     // event 12
  void OnIdleHoldExpired(Instant now);      // event 13

  // One whole message (events 19-28).
  absl::Status HandleMessage(absl::Span<const uint8_t> msg, Instant now);
  absl::Status HandleOpen(absl::Span<const uint8_t> msg, Instant now);
  absl::Status HandleUpdate(absl::Span<const uint8_t> msg, Instant now);
  absl::Status HandleNotification(absl::Span<const uint8_t> msg, Instant now);
  absl::Status HandleKeepalive(absl::Span<const uint8_t> msg, Instant now);
  absl::Status HandleRouteRefresh(absl::Span<const uint8_t> msg, Instant now);
  // Sends the NOTIFICATION `error` asks for, goes Idle, returns `error`.
  absl::Status Fail(absl::Status error, Instant now, absl::string_view reason);
  // RFC 6608 subcode for the current state.
  absl::Status FsmError(MessageType type);
  void EmitReceived(MessageType type, absl::Span<const uint8_t> msg,
                    Verdict verdict = Verdict::kOk,
                    std::vector<Finding> findings = {});

  void SendOpen(Instant now);
  void SendKeepalive();
  void SendNotification(const Notification& n, absl::string_view reason);
  void Append(absl::Span<const uint8_t> bytes);
  size_t backlog() const { return out_.size() - out_pos_; }

  SessionConfig config_;
  SessionState state_ = SessionState::kIdle;
  std::optional<Instant> timers_[static_cast<int>(Timer::kCount)];
  uint64_t rng_state_;

  bool connected_ = false;
  bool close_requested_ = false;
  bool manually_stopped_ = true;
  uint64_t connect_attempt_ = 0;
  uint32_t connect_retry_counter_ = 0;  // RFC 4271 §8 ConnectRetryCounter
  uint32_t retry_backoff_ = 0;          // doublings of connect_retry
  uint32_t idle_backoff_ = 0;           // doublings of idle_hold

  MessageSplitter splitter_;
  std::optional<Open> local_open_;  // as sent on this connection
  std::optional<Negotiated> negotiated_;

  std::vector<uint8_t> out_;
  size_t out_pos_ = 0;
  std::deque<SessionEvent> events_;

  uint64_t messages_received_ = 0;
  uint64_t messages_sent_ = 0;

  RouteSource* source_ = nullptr;
  std::optional<UpdateBuilder> builder_;
};

}  // namespace bgpy

#endif  // BGPY_SESSION_H_
