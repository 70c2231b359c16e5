// Copyright 2026 The bgpy Authors.
//
// The epoll loop behind bgpy/posix/transport.h: peers, the dirty list, the
// timer heap, signals and the graceful shutdown.
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "posix/internal.h"

namespace bgpy {
namespace posix {
namespace {

int TimeoutMs(Duration d) {
  if (d <= Duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::min<int64_t>(ms, 3600 * 1000));
}

// Connected and not waiting for EPOLLOUT: a write may go out now.
bool Writable(const internal::Connection& c) {
  return c.fd >= 0 && !c.connecting && !c.write_blocked;
}

}  // namespace

EventLoop::EventLoop(LoopOptions options)
    : options_(std::move(options)),
      read_buf_(std::max<size_t>(options_.read_buffer_size, 4096)) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    init_status_ = absl::InternalError(
        absl::StrCat("epoll_create1: ", std::strerror(errno)));
    return;
  }
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    init_status_ =
        absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = internal::Tag(internal::kWake, 0, 0);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) {
    init_status_ = absl::InternalError(
        absl::StrCat("epoll_ctl eventfd: ", std::strerror(errno)));
  }
}

EventLoop::~EventLoop() {
  for (auto& [id, p] : peers_)
    for (const internal::Connection& c : p->conn)
      if (c.fd >= 0) close(c.fd);
  for (auto& l : listeners_)
    if (l->fd >= 0) close(l->fd);
  if (signal_fd_ >= 0) close(signal_fd_);
  if (spare_fd_ >= 0) close(spare_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

EventLoop::Peer* EventLoop::Find(PeerId id) {
  auto it = peers_.find(id);
  if (it == peers_.end() || it->second->removed) return nullptr;
  return it->second.get();
}
const EventLoop::Peer* EventLoop::Find(PeerId id) const {
  auto it = peers_.find(id);
  if (it == peers_.end() || it->second->removed) return nullptr;
  return it->second.get();
}

Session* EventLoop::session(PeerId id) {
  Peer* p = Find(id);
  if (p == nullptr) return nullptr;
  MarkDirty(*p);  // the owner may change it
  return &p->session();
}
const Session* EventLoop::session(PeerId id) const {
  const Peer* p = Find(id);
  return p == nullptr ? nullptr : &p->link.session();
}
const PeerConfig* EventLoop::peer_config(PeerId id) const {
  const Peer* p = Find(id);
  return p ? &p->config : nullptr;
}
const PeerStats* EventLoop::stats(PeerId id) const {
  const Peer* p = Find(id);
  return p ? &p->stats : nullptr;
}
std::vector<PeerId> EventLoop::peers() const {
  std::vector<PeerId> out;
  for (const auto& [id, p] : peers_)
    if (!p->removed) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<ConnectionInfo> EventLoop::connection(PeerId id) const {
  const Peer* p = Find(id);
  if (p == nullptr) return std::nullopt;
  const int slot = p->link.primary();
  const internal::Connection& c = p->conn[slot];
  if (c.fd < 0 || c.connecting) return std::nullopt;
  sockaddr_storage local, remote;
  socklen_t local_len = sizeof(local), remote_len = sizeof(remote);
  if (getsockname(c.fd, reinterpret_cast<sockaddr*>(&local), &local_len) < 0 ||
      getpeername(c.fd, reinterpret_cast<sockaddr*>(&remote), &remote_len) < 0)
    return std::nullopt;
  ConnectionInfo info;
  info.local_address = internal::FromSockaddr(local, &info.local_port);
  info.remote_address = internal::FromSockaddr(remote, &info.remote_port);
  info.inbound = p->link.inbound(slot);
  return info;
}

int EventLoop::connection_count(PeerId id) const {
  const Peer* p = Find(id);
  return p == nullptr ? 0 : p->fd_count();
}

void EventLoop::MarkDirty(Peer& p) {
  if (p.dirty || p.removed) return;
  p.dirty = true;
  dirty_.push_back(p.id);
}

// --- Peers -------------------------------------------------------------------

absl::StatusOr<PeerId> EventLoop::AddPeer(PeerConfig config) {
  return CreatePeer(std::move(config), /*dynamic=*/false, Now());
}

absl::StatusOr<PeerId> EventLoop::CreatePeer(PeerConfig config, bool dynamic,
                                             Instant now) {
  BGPY_RETURN_IF_ERROR(init_status_);
  const std::string who = FormatEndpoint(config.address, config.port);
  if (shut_down_ || stopping_)
    return absl::FailedPreconditionError(
        absl::StrCat("peer ", who, ": the loop is shutting down"));
  BGPY_RETURN_IF_ERROR(config.session.Validate());
  if (config.md5_password.size() > kMaxMd5KeyLength)
    return absl::InvalidArgumentError(
        absl::StrCat("peer ", who, ": MD5 password longer than ",
                     kMaxMd5KeyLength, " octets"));
  if (config.local_address &&
      config.local_address->afi() != config.address.afi())
    return absl::InvalidArgumentError(absl::StrCat(
        "peer ", who, ": local address ", config.local_address->ToString(),
        " is of another family"));
  if (config.connect_timeout <= std::chrono::milliseconds::zero())
    return absl::InvalidArgumentError(
        absl::StrCat("peer ", who, ": connect_timeout must be positive"));
  if (config.ttl < 0 || config.ttl > 255 || config.min_ttl < 0 ||
      config.min_ttl > 255)
    return absl::InvalidArgumentError(
        absl::StrCat("peer ", who, ": ttl and min_ttl must be 0..255"));
  const internal::PeerKey key = internal::KeyOf(config);
  if (!dynamic) {
    if (by_key_.contains(key))
      return absl::AlreadyExistsError(absl::StrCat(
          "peer ", who,
          config.local_address
              ? absl::StrCat(" from ", config.local_address->ToString())
              : std::string(),
          " already exists"));
    if (!config.md5_password.empty()) {
      for (auto& l : listeners_) {
        if (l->fd < 0 || (config.address.is_v6() && !l->v6)) continue;
        BGPY_RETURN_IF_ERROR(internal::SetMd5Key(l->fd, l->v6, config.address,
                                                 config.md5_password));
      }
    }
  }
  if (next_id_ > internal::kIdMask)
    return absl::ResourceExhaustedError("too many peers for one loop");
  PeerId id = next_id_++;
  auto peer = std::make_unique<Peer>(id, std::move(config), dynamic);
  Peer& p = *peer;
  BGPY_RETURN_IF_ERROR(p.link.Start(now));
  peers_.emplace(id, std::move(peer));
  if (!dynamic) {
    by_key_[key] = id;
    by_address_[p.config.address].push_back(id);
  }
  MarkDirty(p);
  return id;
}

void EventLoop::ForgetKey(const Peer& p) {
  if (p.dynamic) return;
  by_key_.erase(internal::KeyOf(p.config));
  auto it = by_address_.find(p.config.address);
  if (it == by_address_.end()) return;
  std::vector<PeerId>& ids = it->second;
  ids.erase(std::remove(ids.begin(), ids.end(), p.id), ids.end());
  bool key_still_used = false;
  for (PeerId other : ids) {
    const Peer* q = Find(other);
    key_still_used =
        key_still_used || (q != nullptr && !q->config.md5_password.empty());
  }
  if (ids.empty()) by_address_.erase(it);
  // The listeners' RFC 2385 key for this address goes with its last peer.
  if (!p.config.md5_password.empty() && !key_still_used) {
    for (auto& l : listeners_)
      if (l->fd >= 0 && (p.config.address.is_v4() || l->v6))
        (void)internal::SetMd5Key(l->fd, l->v6, p.config.address, "");
  }
}

void EventLoop::RemovePeer(PeerId id) {
  Peer* p = Find(id);
  if (p == nullptr) return;
  for (int slot = 0; slot < PeerConnections::kSlots; ++slot) CloseFd(*p, slot);
  p->removed = true;
  ForgetKey(*p);
  garbage_ = true;
}

void EventLoop::StopPeer(PeerId id, CeaseSubcode subcode,
                         absl::string_view text) {
  Peer* p = Find(id);
  if (p == nullptr) return;
  p->link.Stop(Now(), subcode, text);
  MarkDirty(*p);
}

absl::Status EventLoop::QueueUpdate(PeerId id,
                                    absl::Span<const uint8_t> bytes) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  Instant now = Now();
  const int slot = p->link.primary();
  absl::Status st = p->session().QueueUpdate(bytes, now);
  if (absl::IsResourceExhausted(st)) p->conn[slot].backlogged = true;
  if (Writable(p->conn[slot])) Flush(*p, slot, now);
  MarkDirty(*p);
  return st;
}

absl::Status EventLoop::QueueEndOfRib(PeerId id, Family family) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  Instant now = Now();
  const int slot = p->link.primary();
  absl::Status st = p->session().QueueEndOfRib(family, now);
  if (Writable(p->conn[slot])) Flush(*p, slot, now);
  MarkDirty(*p);
  return st;
}

absl::Status EventLoop::SetRouteSource(PeerId id, RouteSource* source) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  Instant now = Now();
  const int slot = p->link.primary();
  absl::Status st = p->session().SetRouteSource(source, now);
  if (Writable(p->conn[slot])) Flush(*p, slot, now);
  MarkDirty(*p);
  return st;
}

absl::Status EventLoop::PullRoutes(PeerId id) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  Instant now = Now();
  const int slot = p->link.primary();
  p->session().PullRoutes(now);
  if (Writable(p->conn[slot])) Flush(*p, slot, now);
  MarkDirty(*p);
  return absl::OkStatus();
}

absl::Status EventLoop::SetReadPaused(PeerId id, bool paused) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  if (p->read_paused == paused) return absl::OkStatus();
  p->read_paused = paused;
  for (int slot = 0; slot < PeerConnections::kSlots; ++slot)
    UpdateInterest(*p, slot);
  return absl::OkStatus();
}

bool EventLoop::read_paused(PeerId id) const {
  const Peer* p = Find(id);
  return p != nullptr && p->read_paused;
}

// --- Watched descriptors -----------------------------------------------------

absl::Status EventLoop::WatchFd(int fd, uint32_t events,
                                std::function<void(uint32_t)> on_ready) {
  BGPY_RETURN_IF_ERROR(init_status_);
  if (fd < 0 || static_cast<uint64_t>(fd) > internal::kIdMask)
    return absl::InvalidArgumentError(
        absl::StrCat("cannot watch descriptor ", fd));
  const bool known = watches_.contains(fd);
  watches_[fd].on_ready = std::move(on_ready);
  absl::Status st = SetWatchEvents(fd, events);
  if (!st.ok() && !known) watches_.erase(fd);
  return st;
}

absl::Status EventLoop::SetWatchEvents(int fd, uint32_t events) {
  auto it = watches_.find(fd);
  if (it == watches_.end() || it->second.events == events)
    return absl::OkStatus();
  FdWatch& w = it->second;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = internal::Tag(internal::kWatch, static_cast<uint64_t>(fd), 0);
  const int op = w.events == 0 ? EPOLL_CTL_ADD
                 : events == 0 ? EPOLL_CTL_DEL
                               : EPOLL_CTL_MOD;
  if (epoll_ctl(epoll_fd_, op, fd, &ev) < 0)
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("epoll_ctl descriptor ", fd));
  w.events = events;
  return absl::OkStatus();
}

void EventLoop::UnwatchFd(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  if (it->second.events != 0)
    (void)epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  watches_.erase(it);
}

// --- Servicing ---------------------------------------------------------------

void EventLoop::Deliver(Peer& p, int slot) {
  if (p.accepted_from) {
    auto from = *p.accepted_from;
    p.accepted_from.reset();
    if (on_accept) on_accept(p.id, from.first, from.second);
    if (p.removed) return;
  }
  while (!p.errors.empty()) {
    absl::Status st = std::move(p.errors.front());
    p.errors.erase(p.errors.begin());
    if (on_error) on_error(p.id, st);
    if (p.removed) return;
  }
  if (!p.link.has(slot)) return;
  while (auto ev = p.link.session(slot).PollEvent()) {
    if (on_event) on_event(p.id, *ev);
    if (p.removed || !p.link.has(slot)) return;
  }
}

void EventLoop::Service(Peer& p, Instant now) {
  p.dirty = false;
  for (int round = 0; round < 4 && !p.removed; ++round) {
    // The primary first: its events come before the rival's.
    const int first = p.link.primary();
    for (int slot : {first, 1 - first}) {
      if (!p.link.has(slot)) continue;
      Deliver(p, slot);
      if (p.removed) return;
      if (!p.link.has(slot)) continue;
      ServiceConnection(p, slot, now);
      if (p.removed) return;
    }
    const bool changed = p.link.Resolve(now);
    p.stats.collisions = p.link.collisions();
    // A slot the resolution freed may still hold a descriptor.
    for (int slot = 0; slot < PeerConnections::kSlots; ++slot)
      if (!p.link.has(slot) && p.conn[slot].fd >= 0) CloseFd(p, slot);
    if (!changed) break;
  }
  if (p.dynamic && p.link.live_count() == 0 && p.fd_count() == 0 &&
      !p.session().HasEvents() && p.errors.empty() && !p.accepted_from) {
    p.removed = true;  // an accepted peer lives as long as its connection
    garbage_ = true;
    return;
  }
  bool pending = !p.errors.empty() || p.accepted_from.has_value();
  for (int slot = 0; slot < PeerConnections::kSlots; ++slot)
    pending = pending || (p.link.has(slot) && p.link.session(slot).HasEvents());
  if (pending) MarkDirty(p);
}

bool EventLoop::ProcessDirty(Instant now) {
  for (int round = 0; round < 64 && !dirty_.empty(); ++round) {
    std::vector<PeerId> ids;
    ids.swap(dirty_);
    for (PeerId id : ids) {
      auto it = peers_.find(id);
      if (it == peers_.end()) continue;
      Peer& p = *it->second;
      Service(p, now);
      if (!p.removed) Schedule(p);
    }
  }
  return dirty_.empty();
}

// --- Timers ------------------------------------------------------------------

std::optional<Instant> EventLoop::PeerDeadline(const Peer& p) const {
  std::optional<Instant> best;
  auto take = [&best](Instant t) {
    if (!best || t < *best) best = t;
  };
  for (int slot = 0; slot < PeerConnections::kSlots; ++slot) {
    const internal::Connection& c = p.conn[slot];
    if (p.link.has(slot))
      if (auto t = p.link.session(slot).NextDeadline()) take(*t);
    if (c.fd >= 0 && c.connecting) take(c.connect_deadline);
    if (c.close_deadline) take(*c.close_deadline);
  }
  return best;
}

void EventLoop::Schedule(Peer& p) {
  std::optional<Instant> t = PeerDeadline(p);
  if (t == p.scheduled) return;
  p.scheduled = t;
  ++p.timer_generation;  // the entry pushed before is stale now
  if (!t) return;
  timers_.push_back(HeapEntry{*t, p.id, p.timer_generation});
  std::push_heap(timers_.begin(), timers_.end(), std::greater<>());
  // Stale entries pile up when deadlines move later (the keepalive timer
  // restarts with every message sent): rebuild from the live ones.
  if (timers_.size() > 2 * peers_.size() + 1024) {
    timers_.clear();
    for (const auto& [id, q] : peers_)
      if (!q->removed && q->scheduled)
        timers_.push_back(HeapEntry{*q->scheduled, id, q->timer_generation});
    std::make_heap(timers_.begin(), timers_.end(), std::greater<>());
  }
}

std::optional<Instant> EventLoop::EarliestDeadline() {
  while (!timers_.empty()) {
    const HeapEntry& top = timers_.front();
    const Peer* p = Find(top.id);
    if (p != nullptr && p->timer_generation == top.generation) return top.at;
    std::pop_heap(timers_.begin(), timers_.end(), std::greater<>());
    timers_.pop_back();
  }
  return std::nullopt;
}

void EventLoop::FireTimers(Instant now) {
  std::vector<PeerId> due;
  while (auto t = EarliestDeadline()) {
    if (*t > now) break;
    due.push_back(timers_.front().id);
    std::pop_heap(timers_.begin(), timers_.end(), std::greater<>());
    timers_.pop_back();
  }
  for (PeerId id : due) {
    Peer* p = Find(id);
    if (p == nullptr) continue;
    p->scheduled.reset();
    ++p->timer_generation;
    FirePeerTimers(*p, now);
    MarkDirty(*p);  // Service() schedules it again
  }
}

void EventLoop::FirePeerTimers(Peer& p, Instant now) {
  for (int slot = 0; slot < PeerConnections::kSlots; ++slot) {
    if (!p.link.has(slot)) continue;
    internal::Connection& c = p.conn[slot];
    if (c.fd >= 0 && c.connecting && c.connect_deadline <= now) {
      CloseFd(p, slot);
      ConnectFailed(
          p, slot,
          absl::DeadlineExceededError(absl::StrCat(
              "connect to ", FormatEndpoint(p.config.address, p.config.port),
              ": timed out after ",
              std::chrono::duration_cast<std::chrono::milliseconds>(
                  p.config.connect_timeout)
                  .count(),
              " ms")),
          now);
    }
    if (c.close_deadline && *c.close_deadline <= now) {
      // The peer did not take our last output in time: give up on it.
      CloseConnection(p, slot, now, /*graceful=*/false);
    }
    Session& s = p.link.session(slot);
    if (auto t = s.NextDeadline(); t && *t <= now) {
      // A paused peer's messages wait in the kernel: take one, which
      // restarts the Hold timer if the peer is alive (SetReadPaused).
      if (p.read_paused) ReadOneMessage(p, slot, now);
      if (auto t2 = s.NextDeadline(); t2 && *t2 <= now) s.OnTimer(now);
    }
  }
}

// --- The loop ----------------------------------------------------------------

void EventLoop::CollectGarbage() {
  if (!garbage_) return;
  garbage_ = false;
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto cur = it++;
    if (cur->second->removed) {
      for (const internal::Connection& c : cur->second->conn)
        if (c.fd >= 0) close(c.fd);
      if (const auto& src = cur->second->counted_source) {
        auto n = accepted_per_source_.find(*src);
        if (n != accepted_per_source_.end() && --n->second <= 0)
          accepted_per_source_.erase(n);
      }
      peers_.erase(cur);
    }
  }
}

void EventLoop::DrainWakeups() {
  uint64_t v;
  while (read(wake_fd_, &v, sizeof(v)) > 0) {
  }
  stop_pending_ = true;
}

absl::Status EventLoop::Step(Duration timeout) {
  Instant now = Now();
  // Peers with work may deliver callbacks that change what the owner waits
  // for (a session failed, all done): then only poll, and return, so that
  // the owner sees them before the loop sleeps for `timeout`.
  const bool had_work = !dirty_.empty();
  const bool idle = ProcessDirty(now) && !had_work;
  Duration wait = idle ? timeout : Duration::zero();
  if (auto t = EarliestDeadline()) wait = std::min(wait, *t - now);
  epoll_event events[256];
  int n = epoll_wait(epoll_fd_, events, 256, TimeoutMs(wait));
  if (n < 0) {
    if (errno != EINTR) return absl::ErrnoToStatus(errno, "epoll_wait");
    n = 0;
  }
  now = Now();
  for (int i = 0; i < n; ++i) {
    uint64_t tag = events[i].data.u64;
    uint32_t what = events[i].events;
    switch (internal::TagKind(tag)) {
      case internal::kWake:
        DrainWakeups();
        break;
      case internal::kSignal: {
        signalfd_siginfo info;
        while (read(signal_fd_, &info, sizeof(info)) > 0) {
        }
        stop_pending_ = true;
        break;
      }
      case internal::kListener: {
        const uint32_t index = internal::TagId(tag);
        if (index < listeners_.size() && listeners_[index]->fd >= 0)
          Accept(*listeners_[index], now);
        break;
      }
      case internal::kPeer: {
        Peer* p = Find(internal::TagId(tag));
        if (p == nullptr) break;
        int slot = -1;
        for (int s = 0; s < PeerConnections::kSlots; ++s)
          if (p->conn[s].fd >= 0 &&
              p->conn[s].serial == internal::TagSerial(tag))
            slot = s;
        if (slot < 0 || !p->link.has(slot)) break;
        internal::Connection& c = p->conn[slot];
        if (c.connecting) {
          if (what & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            FinishConnect(*p, slot, now);
          break;
        }
        if (what & EPOLLOUT) {
          c.write_blocked = false;
          if (!Flush(*p, slot, now)) break;
        }
        // A paused peer's input waits (its interest lacks EPOLLIN, but an
        // event of this batch may predate the pause); errors and hang-ups
        // are handled at once.
        if (c.fd >= 0 && (((what & EPOLLIN) && !p->read_paused) ||
                          (what & (EPOLLERR | EPOLLHUP))))
          HandleReadable(*p, slot, now);
        MarkDirty(*p);
        break;
      }
      case internal::kWatch: {
        auto it = watches_.find(static_cast<int>(internal::TagId(tag)));
        if (it == watches_.end() || it->second.events == 0) break;
        // A copy: the callback may replace or remove its own watch.
        std::function<void(uint32_t)> cb = it->second.on_ready;
        if (cb) cb(what);
        break;
      }
    }
  }
  FireTimers(now);
  ProcessDirty(now);
  CollectGarbage();
  return absl::OkStatus();
}

absl::Status EventLoop::RunOnce(Duration timeout) {
  BGPY_RETURN_IF_ERROR(init_status_);
  if (in_step_)
    return absl::FailedPreconditionError("RunOnce called from a callback");
  if (shut_down_) return absl::CancelledError("the loop was shut down");
  in_step_ = true;
  absl::Status st = Step(timeout);
  in_step_ = false;
  if (stop_pending_ && !stopping_) {
    Shutdown();
    return absl::CancelledError("stop requested");
  }
  return st;
}

absl::Status EventLoop::Run(std::optional<Instant> until) {
  while (true) {
    Duration timeout = std::chrono::hours(1);
    if (until) {
      Instant now = Now();
      if (now >= *until) return absl::OkStatus();
      timeout = *until - now;
    }
    absl::Status st = RunOnce(timeout);
    if (absl::IsCancelled(st)) return absl::OkStatus();
    BGPY_RETURN_IF_ERROR(st);
  }
}

bool EventLoop::RunUntil(const std::function<bool()>& done, Duration timeout) {
  const Instant deadline = Now() + timeout;
  while (!done()) {
    Instant now = Now();
    if (now >= deadline) return false;
    Duration step =
        std::min<Duration>(deadline - now, std::chrono::milliseconds(50));
    if (!RunOnce(step).ok()) return done();
  }
  return true;
}

void EventLoop::RequestStop() {
  if (wake_fd_ < 0) return;
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof(one));
  (void)n;
}

absl::Status EventLoop::CatchSignals(std::initializer_list<int> signals) {
  BGPY_RETURN_IF_ERROR(init_status_);
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (rc != 0) return absl::ErrnoToStatus(rc, "pthread_sigmask");
  int fd = signalfd(signal_fd_, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, "signalfd");
  if (signal_fd_ < 0) {
    signal_fd_ = fd;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = internal::Tag(internal::kSignal, 0, 0);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0)
      return absl::ErrnoToStatus(errno, "epoll_ctl signalfd");
  }
  return absl::OkStatus();
}

void EventLoop::Shutdown() {
  if (shut_down_ || !init_status_.ok()) return;
  if (in_step_) {  // from a callback: RunOnce() shuts down when it returns
    stop_pending_ = true;
    return;
  }
  stopping_ = true;
  in_step_ = true;
  Instant now = Now();
  for (auto& [id, p] : peers_) {
    if (p->removed) continue;
    p->link.Stop(now, CeaseSubcode::kAdministrativeShutdown,
                 options_.shutdown_text);
    MarkDirty(*p);
  }
  for (auto& l : listeners_) {
    if (l->fd >= 0) close(l->fd);
    l->fd = -1;
  }
  const Instant deadline = now + options_.close_grace;
  auto any_open = [this] {
    for (const auto& [id, p] : peers_)
      if (!p->removed && p->fd_count() > 0) return true;
    return false;
  };
  while (true) {
    now = Now();
    ProcessDirty(now);
    if (!any_open() || now >= deadline) break;
    (void)Step(
        std::min<Duration>(deadline - now, std::chrono::milliseconds(50)));
  }
  now = Now();
  for (auto& [id, p] : peers_) {
    if (p->removed) continue;
    for (int slot = 0; slot < PeerConnections::kSlots; ++slot)
      if (p->conn[slot].fd >= 0 && p->link.has(slot))
        CloseConnection(*p, slot, now, /*graceful=*/false);
  }
  ProcessDirty(now);
  CollectGarbage();
  in_step_ = false;
  shut_down_ = true;
}

}  // namespace posix
}  // namespace bgpy
