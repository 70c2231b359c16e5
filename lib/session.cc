// Copyright 2026 The bgpy Authors.
//
// The RFC 4271 §8 finite-state machine, sans I/O. Each input is one
// `switch (state_)` following the RFC's steps for that event, with the RFC
// event number in a comment.
#include "bgpy/session.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bgpy/update.h"
#include "bgpy/wire.h"

namespace bgpy {
namespace {

// RFC 4271 §4.4: a KEEPALIVE is a bare header of type 4.
constexpr uint8_t kKeepaliveMessage[kHeaderSize] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x04};
constexpr size_t kTypeOffset = 18;  // RFC 4271 §4.1

// Output beyond this many consumed bytes is compacted.
constexpr size_t kCompactThreshold = 64 * 1024;

const SessionParams& DefaultParams() {
  static const SessionParams* const kParams = new SessionParams();
  return *kParams;
}

Duration Seconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

// `base` doubled `doublings` times, at most `max`.
std::chrono::seconds Backoff(std::chrono::seconds base, uint32_t doublings,
                             std::chrono::seconds max) {
  std::chrono::seconds v = base;
  for (uint32_t i = 0; i < doublings && v < max; ++i) v *= 2;
  return std::min(v, max);
}

}  // namespace

const char* SessionStateName(SessionState s) {
  switch (s) {
    case SessionState::kIdle:
      return "Idle";
    case SessionState::kConnect:
      return "Connect";
    case SessionState::kActive:
      return "Active";
    case SessionState::kOpenSent:
      return "OpenSent";
    case SessionState::kOpenConfirm:
      return "OpenConfirm";
    case SessionState::kEstablished:
      return "Established";
  }
  return "?";
}

Session::Session(SessionConfig config)
    : config_(std::move(config)),
      rng_state_(config_.seed),
      splitter_(kMaxMessageSize) {}

// --- Helpers
// ----------------------------------------------------------------------

void Session::SetState(SessionState to, absl::string_view reason) {
  if (to == state_) return;
  SessionState from = state_;
  state_ = to;
  events_.push_back(StateChanged{from, to, std::string(reason)});
}

void Session::DisarmAll() {
  for (auto& t : timers_) t.reset();
}

double Session::Jitter() {
  // splitmix64: the same seed gives the same sequence on every platform.
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  double unit = static_cast<double>(z >> 11) * 0x1.0p-53;  // [0, 1)
  return 0.75 + 0.25 * unit;                               // RFC 4271 §10
}

void Session::ArmConnectRetry(Instant now) {
  std::chrono::seconds base =
      Backoff(config_.connect_retry, retry_backoff_, config_.connect_retry_max);
  Arm(Timer::kConnectRetry,
      now + Seconds(static_cast<double>(base.count()) * Jitter()));
}

void Session::ArmKeepalive(Instant now) {
  if (!negotiated_ || negotiated_->keepalive_time == 0) {
    Disarm(Timer::kKeepalive);
    return;
  }
  Arm(Timer::kKeepalive, now + Seconds(negotiated_->keepalive_time * Jitter()));
}

void Session::ArmHold(Instant now) {
  if (!negotiated_ || negotiated_->hold_time == 0) {
    Disarm(Timer::kHold);
    return;
  }
  Arm(Timer::kHold, now + std::chrono::seconds(negotiated_->hold_time));
}

void Session::InitiateConnection(Instant /*now*/) { ++connect_attempt_; }

void Session::ResetConnectionState() {
  source_ = nullptr;
  builder_.reset();
  splitter_ = MessageSplitter(kMaxMessageSize);
  negotiated_.reset();
  local_open_.reset();
  out_.clear();
  out_pos_ = 0;
  close_requested_ = false;
}

void Session::EnterIdle(Instant now, absl::string_view reason, bool error) {
  DisarmAll();
  close_requested_ = connected_;
  if (error) {
    ++connect_retry_counter_;
    // RFC 4271 §8.1.1 DampPeerOscillations: wait before restarting.
    if (config_.auto_restart && !manually_stopped_) {
      std::chrono::seconds hold =
          Backoff(config_.idle_hold, idle_backoff_, config_.idle_hold_max);
      ++idle_backoff_;
      Arm(Timer::kIdleHold, now + hold);
    }
  }
  SetState(SessionState::kIdle, reason);
}

void Session::Append(absl::Span<const uint8_t> bytes) {
  out_.insert(out_.end(), bytes.begin(), bytes.end());
}

void Session::SendOpen(Instant /*now*/) {
  local_open_ = BuildOpen(config_);
  wire::Writer w(&out_);
  // Start() checked that this OPEN encodes.
  (void)EncodeOpen(*local_open_, w);
  ++messages_sent_;
}

void Session::SendKeepalive() {
  Append(kKeepaliveMessage);
  ++messages_sent_;
}

void Session::SendNotification(const Notification& n,
                               absl::string_view reason) {
  {
    wire::Writer w(&out_);
    (void)EncodeNotification(n, w);  // cannot fail: data came from us
  }
  ++messages_sent_;
  events_.push_back(
      NotificationSent{n, n.ShutdownMessage(), std::string(reason)});
}

absl::Status Session::Fail(absl::Status error, Instant now,
                           absl::string_view reason) {
  std::optional<NotificationInfo> info = GetNotification(error);
  std::string why =
      reason.empty() ? std::string(error.message()) : std::string(reason);
  if (info) {
    Notification n{info->code, info->subcode, info->data};
    SendNotification(n, why);
  }
  EnterIdle(now, why, /*error=*/true);
  return error;
}

absl::Status Session::FsmError(MessageType type) {
  // RFC 6608 §3: the subcode names the state the message arrived in.
  FsmSubcode sub = FsmSubcode::kUnspecified;
  switch (state_) {
    case SessionState::kOpenSent:
      sub = FsmSubcode::kUnexpectedInOpenSent;
      break;
    case SessionState::kOpenConfirm:
      sub = FsmSubcode::kUnexpectedInOpenConfirm;
      break;
    case SessionState::kEstablished:
      sub = FsmSubcode::kUnexpectedInEstablished;
      break;
    case SessionState::kIdle:
    case SessionState::kConnect:
    case SessionState::kActive:
      break;
  }
  return NotifyError(ErrorCode::kFsm, static_cast<uint8_t>(sub), {},
                     absl::StrCat(MessageTypeName(static_cast<uint8_t>(type)),
                                  " unexpected in ", SessionStateName(state_)));
}

void Session::EmitReceived(MessageType type, absl::Span<const uint8_t> msg,
                           Verdict verdict, std::vector<Finding> findings) {
  events_.push_back(
      MessageReceived{type, std::vector<uint8_t>(msg.begin(), msg.end()),
                      verdict, std::move(findings), std::nullopt});
}

// --- Administrative events
// ------------------------------------------------------

absl::Status Session::Start(Instant now) {
  BGPY_RETURN_IF_ERROR(config_.Validate());
  {
    // An OPEN that no encoding holds (too many capabilities) is a
    // configuration error too.
    std::vector<uint8_t> probe;
    wire::Writer w(&probe);
    absl::Status st = EncodeOpen(BuildOpen(config_), w);
    if (!st.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("configuration gives an OPEN that cannot be encoded: ",
                       st.message()));
  }
  switch (state_) {
    case SessionState::kIdle:
      // Event 1 (ManualStart) / 4 (with PassiveTcpEstablishment).
      manually_stopped_ = false;
      connect_retry_counter_ = 0;
      retry_backoff_ = 0;
      idle_backoff_ = 0;
      Disarm(Timer::kIdleHold);
      if (connected_) {
        // The previous connection has not been closed yet: it must be
        // before a new one comes up.
        close_requested_ = true;
      }
      if (config_.passive) {
        SetState(SessionState::kActive, "ManualStart (passive)");
      } else {
        ArmConnectRetry(now);
        InitiateConnection(now);
        SetState(SessionState::kConnect, "ManualStart");
      }
      return absl::OkStatus();
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      return absl::OkStatus();  // Event 1 is ignored outside Idle.
  }
  return absl::OkStatus();
}

void Session::Stop(Instant now, CeaseSubcode subcode, absl::string_view text) {
  manually_stopped_ = true;
  idle_backoff_ = 0;
  switch (state_) {
    case SessionState::kIdle:
      // Event 2 is ignored in Idle; it cancels a pending automatic restart.
      Disarm(Timer::kIdleHold);
      return;
    case SessionState::kConnect:
    case SessionState::kActive:
      // Event 2: drop the connection, ConnectRetryCounter = 0, Idle.
      connect_retry_counter_ = 0;
      EnterIdle(now, "ManualStop", /*error=*/false);
      return;
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished: {
      // Event 2: NOTIFICATION Cease, ConnectRetryCounter = 0, Idle.
      uint8_t sub = static_cast<uint8_t>(subcode);
      Notification n;
      if (!text.empty() && (subcode == CeaseSubcode::kAdministrativeShutdown ||
                            subcode == CeaseSubcode::kAdministrativeReset)) {
        n = Notification::Shutdown(sub, text);  // RFC 9003 §2
      } else {
        n.code = static_cast<uint8_t>(ErrorCode::kCease);
        n.subcode = sub;
      }
      std::string reason = absl::StrCat("ManualStop: ", n.Describe());
      SendNotification(n, reason);
      connect_retry_counter_ = 0;
      EnterIdle(now, reason, /*error=*/false);
      return;
    }
  }
}

// --- Connection events
// ----------------------------------------------------------

absl::Status Session::OnConnected(Instant now) {
  if (connected_)
    return absl::FailedPreconditionError("a connection is already up");
  switch (state_) {
    case SessionState::kConnect:
    case SessionState::kActive:
      // Events 16/17 (Tcp_CR_Acked / TcpConnectionConfirmed).
      ResetConnectionState();
      connected_ = true;
      Disarm(Timer::kConnectRetry);
      if (config_.delay_open.count() > 0) {
        Arm(Timer::kDelayOpen, now + config_.delay_open);
        return absl::OkStatus();
      }
      SendOpen(now);
      Arm(Timer::kHold, now + config_.open_hold_time);
      SetState(SessionState::kOpenSent, "connection up, OPEN sent");
      return absl::OkStatus();
    case SessionState::kIdle:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      break;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "connection not wanted in state ", SessionStateName(state_)));
}

void Session::OnConnectFailed(Instant now) {
  switch (state_) {
    case SessionState::kConnect:
      // Event 18 while connecting: retry after ConnectRetry, from Active.
      if (connected_) {
        OnClosed(now);
        return;
      }
      ++retry_backoff_;
      ArmConnectRetry(now);
      SetState(SessionState::kActive, "connection attempt failed");
      return;
    case SessionState::kIdle:
    case SessionState::kActive:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      if (connected_) OnClosed(now);
      return;
  }
}

void Session::OnClosed(Instant now) {
  bool was_connected = connected_;
  bool requested = close_requested_;
  connected_ = false;
  close_requested_ = false;
  out_.clear();
  out_pos_ = 0;
  splitter_ = MessageSplitter(kMaxMessageSize);
  // The close the session asked for (after an error, Stop(), or a restart
  // while the old connection was still up) is not event 18.
  if (!was_connected || requested) return;
  switch (state_) {
    case SessionState::kIdle:
      return;
    case SessionState::kConnect:
    case SessionState::kActive:
      // Event 18 with DelayOpen running: restart ConnectRetry, stop
      // DelayOpen, Active.
      Disarm(Timer::kDelayOpen);
      ++retry_backoff_;
      if (!config_.passive) ArmConnectRetry(now);
      SetState(SessionState::kActive, "connection closed");
      return;
    case SessionState::kOpenSent:
      // Event 18: close, restart ConnectRetry, Active.
      Disarm(Timer::kHold);
      ++retry_backoff_;
      if (!config_.passive) ArmConnectRetry(now);
      SetState(SessionState::kActive, "connection closed in OpenSent");
      return;
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      // Event 18: ConnectRetryCounter += 1, Idle.
      EnterIdle(now, "connection closed", /*error=*/true);
      return;
  }
}

// --- Timers
// -------------------------------------------------------------------------

std::optional<Instant> Session::NextDeadline() const {
  std::optional<Instant> next;
  for (const auto& t : timers_)
    if (t && (!next || *t < *next)) next = t;
  return next;
}

void Session::OnTimer(Instant now) {
  auto due = [&](Timer t) {
    const auto& at = timers_[static_cast<int>(t)];
    if (!at || *at > now) return false;
    Disarm(t);
    return true;
  };
  if (due(Timer::kIdleHold)) OnIdleHoldExpired(now);
  if (due(Timer::kConnectRetry)) OnConnectRetryExpired(now);
  if (due(Timer::kDelayOpen)) OnDelayOpenExpired(now);
  if (due(Timer::kHold)) OnHoldExpired(now);
  if (due(Timer::kKeepalive)) OnKeepaliveExpired(now);
}

void Session::OnConnectRetryExpired(Instant now) {
  switch (state_) {
    case SessionState::kConnect:
      // Event 9: abandon the attempt, restart the timer, connect again.
      ++retry_backoff_;
      ArmConnectRetry(now);
      InitiateConnection(now);
      return;
    case SessionState::kActive:
      // Event 9: restart the timer, connect, Connect.
      if (config_.passive || connected_) return;
      ArmConnectRetry(now);
      InitiateConnection(now);
      SetState(SessionState::kConnect, "ConnectRetry timer expired");
      return;
    case SessionState::kIdle:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      return;  // Not armed in these states.
  }
}

void Session::OnHoldExpired(Instant now) {
  switch (state_) {
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished: {
      // Event 10: NOTIFICATION Hold Timer Expired, Idle.
      Notification n{static_cast<uint8_t>(ErrorCode::kHoldTimerExpired), 0, {}};
      SendNotification(n, "Hold timer expired");
      EnterIdle(now, "Hold timer expired", /*error=*/true);
      return;
    }
    case SessionState::kIdle:
    case SessionState::kConnect:
    case SessionState::kActive:
      return;
  }
}

void Session::OnKeepaliveExpired(Instant now) {
  switch (state_) {
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      // Event 11: send KEEPALIVE, restart the KeepaliveTimer.
      SendKeepalive();
      ArmKeepalive(now);
      return;
    case SessionState::kIdle:
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent:
      return;  // Not armed in these states.
  }
}

void Session::OnDelayOpenExpired(Instant now) {
  switch (state_) {
    case SessionState::kConnect:
    case SessionState::kActive:
      // Event 12: send OPEN, HoldTimer to the large value, OpenSent.
      if (!connected_) return;
      SendOpen(now);
      Arm(Timer::kHold, now + config_.open_hold_time);
      SetState(SessionState::kOpenSent, "DelayOpen timer expired, OPEN sent");
      return;
    case SessionState::kIdle:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      return;
  }
}

void Session::OnIdleHoldExpired(Instant now) {
  if (state_ != SessionState::kIdle || manually_stopped_) return;
  // Event 13 leads to AutomaticStart (event 3, or 5 when passive).
  connect_retry_counter_ = 0;
  if (connected_) close_requested_ = true;
  if (config_.passive) {
    SetState(SessionState::kActive, "AutomaticStart (passive)");
  } else {
    ArmConnectRetry(now);
    InitiateConnection(now);
    SetState(SessionState::kConnect, "AutomaticStart");
  }
}

// --- Input
// --------------------------------------------------------------------------

absl::Status Session::Receive(absl::Span<const uint8_t> bytes, Instant now) {
  if (!connected_)
    return absl::FailedPreconditionError("Receive() without a connection");
  if (state_ == SessionState::kIdle || close_requested_)
    return absl::OkStatus();  // Idle ignores input; the close is pending.
  splitter_.Feed(bytes);
  for (;;) {
    absl::StatusOr<std::optional<wire::Bytes>> next = splitter_.Next();
    if (!next.ok()) return Fail(next.status(), now, "");  // RFC 4271 §6.1
    if (!next->has_value()) return absl::OkStatus();
    ++messages_received_;
    BGPY_RETURN_IF_ERROR(HandleMessage(**next, now));
    if (state_ == SessionState::kIdle) return absl::OkStatus();
  }
}

absl::Status Session::HandleMessage(absl::Span<const uint8_t> msg,
                                    Instant now) {
  // The splitter checked the header (RFC 4271 §6.1): the type is known.
  switch (static_cast<MessageType>(msg[kTypeOffset])) {
    case MessageType::kOpen:
      return HandleOpen(msg, now);
    case MessageType::kUpdate:
      return HandleUpdate(msg, now);
    case MessageType::kNotification:
      return HandleNotification(msg, now);
    case MessageType::kKeepalive:
      return HandleKeepalive(msg, now);
    case MessageType::kRouteRefresh:
      return HandleRouteRefresh(msg, now);
  }
  return Fail(HeaderError(HeaderSubcode::kBadMessageType,
                          msg.subspan(kTypeOffset, 1), "unknown type"),
              now, "");
}

absl::Status Session::HandleOpen(absl::Span<const uint8_t> msg, Instant now) {
  EmitReceived(MessageType::kOpen, msg);
  switch (state_) {
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent: {
      // Event 19 (BGPOpen) with DelayOpen running, or in OpenSent; event 22
      // (BGPOpenMsgErr) on a bad OPEN. A NOTIFICATION is sent even before
      // our OPEN (SendNOTIFICATIONwithoutOPEN, RFC 4271 §8.1.1).
      absl::StatusOr<Open> peer = DecodeOpen(msg);
      if (!peer.ok()) return Fail(peer.status(), now, "");
      bool delayed = state_ != SessionState::kOpenSent;
      Open local = delayed ? BuildOpen(config_) : *local_open_;
      absl::StatusOr<Negotiated> n = Negotiate(config_, local, *peer);
      if (!n.ok()) return Fail(n.status(), now, "");
      Disarm(Timer::kConnectRetry);
      Disarm(Timer::kDelayOpen);
      if (delayed) SendOpen(now);
      negotiated_ = *std::move(n);
      splitter_.set_max_size(negotiated_->recv_params.max_message_size());
      SendKeepalive();
      ArmKeepalive(now);
      ArmHold(now);
      SetState(SessionState::kOpenConfirm, "OPEN received");
      return absl::OkStatus();
    }
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished:
      // A second OPEN on this connection: other event, FSM error.
      return Fail(FsmError(MessageType::kOpen), now, "");
    case SessionState::kIdle:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Session::HandleUpdate(absl::Span<const uint8_t> msg, Instant now) {
  switch (state_) {
    case SessionState::kEstablished: {
      // Event 27 (UpdateMsg) or 28 (UpdateMsgErr).
      std::vector<Finding> findings;
      absl::StatusOr<UpdateView> view =
          UpdateView::Parse(msg, negotiated_->recv_params, &findings);
      if (!view.ok()) {
        EmitReceived(MessageType::kUpdate, msg, Verdict::kSessionReset,
                     std::move(findings));
        return Fail(view.status(), now, "");
      }
      ArmHold(now);
      std::optional<Family> eor = view->end_of_rib();
      EmitReceived(MessageType::kUpdate, msg, view->verdict(),
                   std::move(findings));
      // Hand the parse over with the event (rebased onto its own copy).
      MessageReceived& ev = std::get<MessageReceived>(events_.back());
      ev.parsed = view->Rebase(ev.bytes);
      if (eor) events_.push_back(EndOfRib{*eor});
      return absl::OkStatus();
    }
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
      EmitReceived(MessageType::kUpdate, msg);
      return Fail(FsmError(MessageType::kUpdate), now, "");
    case SessionState::kIdle:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Session::HandleNotification(absl::Span<const uint8_t> msg,
                                         Instant now) {
  EmitReceived(MessageType::kNotification, msg);
  switch (state_) {
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
    case SessionState::kEstablished: {
      // Events 24/25 (NotifMsgVerErr / NotifMsg): no NOTIFICATION in reply
      // (RFC 4271 §4.5); release the connection, Idle.
      absl::StatusOr<Notification> n = DecodeNotification(msg);
      if (!n.ok()) {
        EnterIdle(now, "malformed NOTIFICATION received", /*error=*/true);
        return absl::OkStatus();
      }
      std::string reason =
          absl::StrCat("NOTIFICATION received: ", n->Describe());
      events_.push_back(NotificationReceived{*n, n->ShutdownMessage()});
      EnterIdle(now, reason, /*error=*/true);
      return absl::OkStatus();
    }
    case SessionState::kIdle:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Session::HandleKeepalive(absl::Span<const uint8_t> msg,
                                      Instant now) {
  EmitReceived(MessageType::kKeepalive, msg);
  switch (state_) {
    case SessionState::kOpenConfirm:
      // Event 26: restart the HoldTimer, Established.
      ArmHold(now);
      retry_backoff_ = 0;
      idle_backoff_ = 0;
      SetState(SessionState::kEstablished, "KEEPALIVE received");
      return absl::OkStatus();
    case SessionState::kEstablished:
      // Event 26: restart the HoldTimer.
      ArmHold(now);
      return absl::OkStatus();
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent:
      return Fail(FsmError(MessageType::kKeepalive), now, "");
    case SessionState::kIdle:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Session::HandleRouteRefresh(absl::Span<const uint8_t> msg,
                                         Instant now) {
  switch (state_) {
    case SessionState::kEstablished: {
      absl::StatusOr<RouteRefresh> rr = DecodeRouteRefresh(msg);
      if (!rr.ok()) {
        EmitReceived(MessageType::kRouteRefresh, msg, Verdict::kSessionReset);
        return Fail(rr.status(), now, "");  // RFC 7313 §5: 7/1
      }
      EmitReceived(MessageType::kRouteRefresh, msg);
      ArmHold(now);
      // RFC 2918 §5: ignore families not negotiated; RFC 7313 §5: ignore
      // unknown subtypes, and BoRR/EoRR without the capability.
      if (!config_.route_refresh || !negotiated_->HasFamily(rr->family))
        return absl::OkStatus();
      if (rr->subtype > 2) return absl::OkStatus();
      if (rr->subtype != 0 && !negotiated_->enhanced_route_refresh)
        return absl::OkStatus();
      events_.push_back(RouteRefreshReceived{rr->family, rr->subtype});
      return absl::OkStatus();
    }
    case SessionState::kConnect:
    case SessionState::kActive:
    case SessionState::kOpenSent:
    case SessionState::kOpenConfirm:
      EmitReceived(MessageType::kRouteRefresh, msg);
      return Fail(FsmError(MessageType::kRouteRefresh), now, "");
    case SessionState::kIdle:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// --- Output
// ---------------------------------------------------------------------------

void Session::ConsumeOutput(size_t n, Instant now) {
  out_pos_ += std::min(n, backlog());
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  } else if (out_pos_ >= kCompactThreshold && out_pos_ * 2 >= out_.size()) {
    out_.erase(out_.begin(), out_.begin() + static_cast<ptrdiff_t>(out_pos_));
    out_pos_ = 0;
  }
  if (source_ != nullptr) PullRoutes(now);
}

absl::Status Session::SetRouteSource(RouteSource* source, Instant now) {
  if (source != nullptr && state_ != SessionState::kEstablished) {
    return absl::FailedPreconditionError(
        absl::StrCat("SetRouteSource() in state ", SessionStateName(state_)));
  }
  source_ = source;
  if (source_ == nullptr) {
    builder_.reset();
    return absl::OkStatus();
  }
  builder_.emplace(negotiated_->send_params);
  PullRoutes(now);
  return absl::OkStatus();
}

void Session::PullRoutes(Instant now) {
  if (source_ == nullptr || state_ != SessionState::kEstablished) return;
  // Each round either sends a message or ends the loop: a source that says
  // kMore twice without adding a route is not asked again until the next
  // drain.
  int empty_rounds = 0;
  while (backlog() < config_.max_output_backlog && empty_rounds < 2) {
    const RouteSource::Fill fill = source_->FillUpdate(*builder_);
    if (builder_->Flush(out_) != 0) {
      ++messages_sent_;
      ArmKeepalive(now);  // RFC 4271 §8.2.2: sending an UPDATE restarts it.
      empty_rounds = 0;
    } else {
      ++empty_rounds;
    }
    if (fill == RouteSource::Fill::kDone) {
      source_ = nullptr;
      builder_.reset();
      return;
    }
    if (fill == RouteSource::Fill::kIdle) return;
  }
}

std::optional<SessionEvent> Session::PollEvent() {
  if (events_.empty()) return std::nullopt;
  SessionEvent ev = std::move(events_.front());
  events_.pop_front();
  return ev;
}

bool Session::WantsConnect() const {
  return state_ == SessionState::kConnect && !connected_ && !config_.passive;
}

bool Session::CanCollide() const {
  return state_ == SessionState::kOpenSent ||
         state_ == SessionState::kOpenConfirm;
}

const SessionParams& Session::recv_params() const {
  return negotiated_ ? negotiated_->recv_params : DefaultParams();
}

const SessionParams& Session::send_params() const {
  return negotiated_ ? negotiated_->send_params : DefaultParams();
}

absl::Status Session::QueueUpdate(absl::Span<const uint8_t> bytes,
                                  Instant now) {
  if (state_ != SessionState::kEstablished)
    return absl::FailedPreconditionError(
        absl::StrCat("QueueUpdate() in state ", SessionStateName(state_)));
  // Whole UPDATE messages only (RFC 4271 §4.1, §4.3).
  const size_t max = negotiated_->send_params.max_message_size();
  size_t count = 0;
  wire::Reader r(bytes);
  while (!r.empty()) {
    absl::StatusOr<MessageHeader> h = ParseHeader(r.rest(), max);
    wire::Bytes msg;
    absl::Status st = h.status();
    if (st.ok() && !r.ReadBytes(h->length, msg))
      st = absl::InvalidArgumentError("truncated message");
    if (st.ok()) st = CheckMessage(msg, max, MessageType::kUpdate).status();
    // The caller's mistake: nothing is sent, whatever the framing error.
    if (!st.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("QueueUpdate(): ", st.message()));
    ++count;
  }
  if (backlog() != 0 && backlog() + bytes.size() > config_.max_output_backlog)
    return absl::ResourceExhaustedError(
        absl::StrCat("output backlog ", backlog(), " + ", bytes.size(),
                     " octets exceeds ", config_.max_output_backlog));
  Append(bytes);
  messages_sent_ += count;
  ArmKeepalive(now);  // RFC 4271 §8.2.2: sending an UPDATE restarts it.
  return absl::OkStatus();
}

absl::Status Session::QueueEndOfRib(Family family, Instant now) {
  if (state_ != SessionState::kEstablished)
    return absl::FailedPreconditionError(
        absl::StrCat("QueueEndOfRib() in state ", SessionStateName(state_)));
  if (!negotiated_->HasFamily(family))
    return absl::InvalidArgumentError(
        absl::StrCat("family ", FamilyName(family), " not negotiated"));
  Append(UpdateBuilder::EndOfRib(family));
  ++messages_sent_;
  ArmKeepalive(now);
  return absl::OkStatus();
}

absl::Status Session::SendRouteRefresh(Family family, Instant /*now*/,
                                       RouteRefreshSubtype subtype) {
  if (state_ != SessionState::kEstablished)
    return absl::FailedPreconditionError(
        absl::StrCat("SendRouteRefresh() in state ", SessionStateName(state_)));
  if (!negotiated_->route_refresh)
    return absl::FailedPreconditionError("route refresh not negotiated");
  if (subtype != RouteRefreshSubtype::kRequest &&
      !negotiated_->enhanced_route_refresh)
    return absl::FailedPreconditionError(
        "enhanced route refresh not negotiated");
  if (!negotiated_->HasFamily(family))
    return absl::InvalidArgumentError(
        absl::StrCat("family ", FamilyName(family), " not negotiated"));
  RouteRefresh rr{family, static_cast<uint8_t>(subtype), {}};
  wire::Writer w(&out_);
  BGPY_RETURN_IF_ERROR(EncodeRouteRefresh(rr, w));
  ++messages_sent_;
  return absl::OkStatus();
}

}  // namespace bgpy
