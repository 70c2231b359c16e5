// Copyright 2026 The bgpy Authors.
//
// One TCP connection of a peer (one slot of its PeerConnections): connect,
// accept hand-over, non-blocking writes of the Session's output, reads into
// Session::Receive, close.
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>

#include "absl/strings/str_cat.h"
#include "posix/internal.h"

namespace bgpy {
namespace posix {

using internal::Connection;

void EventLoop::Register(Peer& p, int slot) {
  Connection& c = p.conn[slot];
  c.serial = next_conn_serial_++;
  c.interest = (p.read_paused ? 0u : uint32_t{EPOLLIN}) |
               (c.connecting ? uint32_t{EPOLLOUT} : 0u);
  epoll_event ev{};
  ev.events = c.interest;
  ev.data.u64 = internal::Tag(internal::kPeer, p.id, c.serial);
  (void)epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &ev);
}

void EventLoop::UpdateInterest(Peer& p, int slot) {
  Connection& c = p.conn[slot];
  if (c.fd < 0) return;
  // A paused peer is not polled for input (epoll still reports errors and
  // hang-ups).
  uint32_t want = p.read_paused ? 0u : uint32_t{EPOLLIN};
  if (c.connecting ||
      (p.link.has(slot) && !p.link.session(slot).PendingOutput().empty()))
    want |= EPOLLOUT;
  if (want == c.interest) return;
  c.interest = want;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = internal::Tag(internal::kPeer, p.id, c.serial);
  (void)epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
}

void EventLoop::CloseFd(Peer& p, int slot) {
  Connection& c = p.conn[slot];
  if (c.fd >= 0) close(c.fd);
  c.fd = -1;
  c.connecting = false;
  c.write_blocked = false;
  c.close_deadline.reset();
  c.interest = 0;
}

void EventLoop::StartConnect(Peer& p, int slot, Instant now) {
  const PeerConfig& cfg = p.config;
  Connection& c = p.conn[slot];
  const std::string who = FormatEndpoint(cfg.address, cfg.port);
  c.attempt = p.link.session(slot).connect_attempt();
  int fd = socket(cfg.address.is_v4() ? AF_INET : AF_INET6,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ConnectFailed(p, slot,
                  absl::ErrnoToStatus(errno, absl::StrCat("socket for ", who)),
                  now);
    return;
  }
  c.fd = fd;
  c.connecting = true;
  auto fail = [&](const absl::Status& st) {
    CloseFd(p, slot);
    ConnectFailed(p, slot, st, now);
  };
  absl::Status st = internal::ConfigureConnection(fd, cfg);
  if (st.ok() && !cfg.md5_password.empty())
    st = internal::SetMd5Key(fd, cfg.address.is_v6(), cfg.address,
                             cfg.md5_password);
  if (!st.ok()) return fail(st);
  if (cfg.local_address || cfg.local_port != 0) {
    IpAddress local = cfg.local_address.value_or(
        cfg.address.is_v4() ? IpAddress::V4(0)
                            : IpAddress::V6(std::array<uint8_t, 16>{}));
    if (cfg.local_port != 0)
      (void)internal::SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "");
    sockaddr_storage ss;
    socklen_t len =
        internal::ToSockaddr(local, cfg.local_port, cfg.address.is_v6(), &ss);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0)
      return fail(absl::ErrnoToStatus(
          errno, absl::StrCat("bind ", FormatEndpoint(local, cfg.local_port))));
  }
  sockaddr_storage ss;
  socklen_t len =
      internal::ToSockaddr(cfg.address, cfg.port, cfg.address.is_v6(), &ss);
  int rc;
  do {
    rc = connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0 && errno != EINPROGRESS)
    return fail(absl::ErrnoToStatus(errno, absl::StrCat("connect to ", who)));
  Register(p, slot);
  c.connect_deadline = now + cfg.connect_timeout;
  if (rc == 0) FinishConnect(p, slot, now);
}

void EventLoop::FinishConnect(Peer& p, int slot, Instant now) {
  Connection& c = p.conn[slot];
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err == 0) {
    // A spurious wakeup leaves the socket unconnected: wait for the next.
    sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getpeername(c.fd, reinterpret_cast<sockaddr*>(&ss), &sl) < 0) {
      if (errno == ENOTCONN) return;
      err = errno;
    }
  }
  if (err != 0) {
    CloseFd(p, slot);
    ConnectFailed(
        p, slot,
        absl::ErrnoToStatus(
            err, absl::StrCat("connect to ",
                              FormatEndpoint(p.config.address, p.config.port))),
        now);
    return;
  }
  c.connecting = false;
  ++p.stats.connects;
  if (!p.link.session(slot).OnConnected(now).ok()) CloseFd(p, slot);
  MarkDirty(p);
}

void EventLoop::ConnectFailed(Peer& p, int slot, const absl::Status& error,
                              Instant now) {
  p.errors.push_back(error);
  p.link.session(slot).OnConnectFailed(now);
  MarkDirty(p);
}

void EventLoop::CloseConnection(Peer& p, int slot, Instant now, bool graceful) {
  Connection& c = p.conn[slot];
  if (c.fd >= 0) {
    if (graceful && !c.connecting) {
      internal::CloseGracefully(c.fd);
      c.fd = -1;
    }
    CloseFd(p, slot);
  }
  if (p.link.has(slot) && p.link.session(slot).connected())
    p.link.session(slot).OnClosed(now);
  MarkDirty(p);
}

void EventLoop::DropConnection(Peer& p, int slot, const absl::Status& error,
                               Instant now) {
  p.errors.push_back(error);
  CloseFd(p, slot);
  if (p.link.session(slot).connected()) p.link.session(slot).OnClosed(now);
  MarkDirty(p);
}

bool EventLoop::Flush(Peer& p, int slot, Instant now) {
  Connection& c = p.conn[slot];
  Session& s = p.link.session(slot);
  while (true) {
    absl::Span<const uint8_t> out = s.PendingOutput();
    if (out.empty()) break;
    ssize_t n = send(c.fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      p.stats.bytes_sent += static_cast<uint64_t>(n);
      // With a route source attached, this builds the next UPDATEs.
      s.ConsumeOutput(static_cast<size_t>(n), now);
      if (static_cast<size_t>(n) == out.size()) continue;
      // A short write: the socket buffer is full. Wait for EPOLLOUT, which
      // comes once a good part of it is free, rather than racing the
      // reader with a send() for every few bytes it takes.
      c.backlogged = true;
      c.write_blocked = true;
      break;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      c.backlogged = true;
      c.write_blocked = true;
      break;
    }
    const absl::Status error = absl::ErrnoToStatus(
        errno, absl::StrCat("send to ",
                            FormatEndpoint(p.config.address, p.config.port)));
    if (errno == EPIPE || errno == ECONNRESET) {
      // The peer has gone; what it sent before is still queued here and
      // may say why (a Cease after which it closed, and reset the
      // connection because our UPDATEs were still arriving). Read it
      // first: a NOTIFICATION received ends the session with its reason,
      // and the socket's error is only the consequence.
      // (Only what is queued; an end of stream or an error here is the
      // same departure, and the send's error stays the one reported.)
      for (int i = 0; i < 16 && s.connected() && !s.WantsClose(); ++i) {
        const ssize_t got =
            recv(c.fd, read_buf_.data(), read_buf_.size(), MSG_DONTWAIT);
        if (got <= 0) break;
        p.stats.bytes_received += static_cast<uint64_t>(got);
        (void)s.Receive(
            absl::MakeConstSpan(read_buf_.data(), static_cast<size_t>(got)),
            now);
        MarkDirty(p);
      }
      if (s.WantsClose() || !s.connected()) {
        CloseConnection(p, slot, now, /*graceful=*/false);
        return false;
      }
    }
    DropConnection(p, slot, error, now);
    return false;
  }
  return true;
}

void EventLoop::HandleReadable(Peer& p, int slot, Instant now) {
  Connection& c = p.conn[slot];
  Session& s = p.link.session(slot);
  const int reads = std::max(options_.reads_per_wakeup, 1);
  for (int i = 0; i < reads && c.fd >= 0; ++i) {
    ssize_t n = recv(c.fd, read_buf_.data(), read_buf_.size(), MSG_DONTWAIT);
    if (n > 0) {
      p.stats.bytes_received += static_cast<uint64_t>(n);
      if (!s.connected()) break;
      absl::Status st = s.Receive(
          absl::MakeConstSpan(read_buf_.data(), static_cast<size_t>(n)), now);
      MarkDirty(p);
      // On error the NOTIFICATION is queued: Service() flushes and closes.
      if (!st.ok() || s.WantsClose()) break;
      if (static_cast<size_t>(n) < read_buf_.size()) break;
      continue;
    }
    if (n == 0) {  // the peer closed
      CloseConnection(p, slot, now, /*graceful=*/false);
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    DropConnection(
        p, slot,
        absl::ErrnoToStatus(
            errno, absl::StrCat("recv from ", FormatEndpoint(p.config.address,
                                                             p.config.port))),
        now);
    break;
  }
}

void EventLoop::ReadOneMessage(Peer& p, int slot, Instant now) {
  Connection& c = p.conn[slot];
  if (c.fd < 0 || c.connecting || !p.link.has(slot)) return;
  Session& s = p.link.session(slot);
  const uint64_t before = s.messages_received();
  // Small reads, so that little more than the one message is taken; at most
  // two maximum-size (extended, RFC 8654) messages in all.
  constexpr size_t kChunk = 4096;
  size_t budget = 2 * 65535;
  while (c.fd >= 0 && s.connected() && !s.WantsClose() &&
         s.messages_received() == before && budget > 0) {
    const size_t want = std::min({kChunk, budget, read_buf_.size()});
    ssize_t n = recv(c.fd, read_buf_.data(), want, MSG_DONTWAIT);
    if (n > 0) {
      budget -= static_cast<size_t>(n);
      p.stats.bytes_received += static_cast<uint64_t>(n);
      (void)s.Receive(
          absl::MakeConstSpan(read_buf_.data(), static_cast<size_t>(n)), now);
      MarkDirty(p);
      continue;
    }
    if (n == 0) {  // the peer closed
      CloseConnection(p, slot, now, /*graceful=*/false);
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    DropConnection(
        p, slot,
        absl::ErrnoToStatus(
            errno, absl::StrCat("recv from ", FormatEndpoint(p.config.address,
                                                             p.config.port))),
        now);
    break;
  }
}

void EventLoop::Adopt(Peer& p, int fd, Instant now) {
  absl::Status st = internal::ConfigureConnection(fd, p.config);
  if (!st.ok()) {
    close(fd);
    p.errors.push_back(st);
    MarkDirty(p);
    return;
  }
  const int primary = p.link.primary();
  const bool in_flight = p.conn[primary].fd >= 0 && p.conn[primary].connecting;
  std::optional<int> slot = p.link.Accept(in_flight, now);
  if (!slot) {
    close(fd);  // RFC 4271 §6.8: refused without a message
    return;
  }
  Connection& c = p.conn[*slot];
  if (c.fd >= 0) CloseFd(p, *slot);  // a stale descriptor of a freed slot
  c = Connection();
  c.fd = fd;
  Register(p, *slot);
  ++p.stats.connects;
  MarkDirty(p);
}

void EventLoop::ServiceConnection(Peer& p, int slot, Instant now) {
  Connection& c = p.conn[slot];
  Session& s = p.link.session(slot);
  // Abandon a connect the Session no longer wants (stopped, or a newer
  // attempt after ConnectRetry).
  if (c.fd >= 0 && c.connecting &&
      (stopping_ || !s.WantsConnect() || s.connect_attempt() != c.attempt)) {
    CloseFd(p, slot);
  }
  // While the socket is full, only EPOLLOUT (Step) writes again.
  if (c.fd >= 0 && !c.connecting && (c.write_blocked || Flush(p, slot, now))) {
    if (s.WantsClose() || !s.connected()) {
      if (s.PendingOutput().empty() || !s.connected()) {
        CloseConnection(p, slot, now, /*graceful=*/true);
      } else if (!c.close_deadline) {
        c.close_deadline = now + options_.close_grace;
      }
    }
  }
  if (c.fd < 0 && !stopping_ && !p.link.lost(slot) && s.WantsConnect())
    StartConnect(p, slot, now);
  if (slot == p.link.primary() && c.backlogged && c.fd >= 0 && !c.connecting &&
      s.PendingOutput().empty() && s.state() == SessionState::kEstablished) {
    c.backlogged = false;
    if (on_writable) on_writable(p.id);
    if (p.removed) return;
  }
  UpdateInterest(p, slot);
}

}  // namespace posix
}  // namespace bgpy
