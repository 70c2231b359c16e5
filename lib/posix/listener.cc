// Copyright 2026 The bgpy Authors.
//
// Listening sockets: bind, RFC 2385 keys on the listener, GTSM, and the
// hand-over of each accepted connection to its configured peer (or to a new
// peer from ListenConfig::factory).
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "posix/internal.h"

namespace bgpy {
namespace posix {

absl::StatusOr<uint16_t> EventLoop::Listen(ListenConfig config) {
  BGPY_RETURN_IF_ERROR(init_status_);
  const std::string who = FormatEndpoint(config.address, config.port);
  if (shut_down_ || stopping_)
    return absl::FailedPreconditionError(
        absl::StrCat("listen ", who, ": the loop is shutting down"));
  if (config.accept_any && !config.factory)
    return absl::InvalidArgumentError(
        absl::StrCat("listen ", who, ": accept_any needs a factory"));
  for (const auto& [addr, key] : config.md5_keys)
    if (key.size() > kMaxMd5KeyLength)
      return absl::InvalidArgumentError(
          absl::StrCat("listen ", who, ": MD5 key for ", addr.ToString(),
                       " longer than ", kMaxMd5KeyLength, " octets"));
  for (const auto& [prefix, key] : config.md5_prefix_keys)
    if (key.size() > kMaxMd5KeyLength)
      return absl::InvalidArgumentError(
          absl::StrCat("listen ", who, ": MD5 key for ", prefix.ToString(),
                       " longer than ", kMaxMd5KeyLength, " octets"));
  if (config.ttl < 0 || config.ttl > 255 || config.min_ttl < 0 ||
      config.min_ttl > 255)
    return absl::InvalidArgumentError(
        absl::StrCat("listen ", who, ": ttl and min_ttl must be 0..255"));
  if (config.max_connections_per_source < 0)
    return absl::InvalidArgumentError(absl::StrCat(
        "listen ", who, ": max_connections_per_source is negative"));
  const bool v6 = config.address.is_v6();
  int fd = socket(v6 ? AF_INET6 : AF_INET,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return absl::ErrnoToStatus(errno, absl::StrCat("socket for ", who));
  absl::Status st = internal::SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1,
                                     absl::StrCat("SO_REUSEADDR on ", who));
  if (st.ok()) {
    sockaddr_storage ss;
    socklen_t len = internal::ToSockaddr(config.address, config.port, v6, &ss);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0)
      st = absl::ErrnoToStatus(errno, absl::StrCat("bind ", who));
  }
  // RFC 2385 keys live on the listener: the SYN is checked before accept().
  for (const auto& [id, p] : peers_) {
    if (!st.ok()) break;
    if (p->removed || p->dynamic || p->config.md5_password.empty()) continue;
    if (p->config.address.is_v6() && !v6) continue;
    st = internal::SetMd5Key(fd, v6, p->config.address, p->config.md5_password);
  }
  for (const auto& [addr, key] : config.md5_keys) {
    if (!st.ok()) break;
    if (addr.is_v6() && !v6) continue;
    st = internal::SetMd5Key(fd, v6, addr, key);
  }
  for (const auto& [prefix, key] : config.md5_prefix_keys) {
    if (!st.ok()) break;
    if (prefix.address().is_v6() && !v6) continue;
    st = internal::SetMd5PrefixKey(fd, v6, prefix, key);
  }
  if (st.ok() && (config.ttl > 0 || config.min_ttl > 0))
    st = internal::SetListenerTtl(fd, v6, config.ttl, config.min_ttl);
  if (st.ok() && listen(fd, SOMAXCONN) < 0)
    st = absl::ErrnoToStatus(errno, absl::StrCat("listen ", who));
  uint16_t port = config.port;
  if (st.ok()) {
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) {
      st = absl::ErrnoToStatus(errno, absl::StrCat("getsockname ", who));
    } else {
      internal::FromSockaddr(ss, &port);
    }
  }
  if (st.ok()) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = internal::Tag(internal::kListener, listeners_.size(), 0);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0)
      st = absl::ErrnoToStatus(errno, absl::StrCat("epoll_ctl ", who));
  }
  if (st.ok() && spare_fd_ < 0) {
    spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (spare_fd_ < 0)
      st = absl::ErrnoToStatus(errno, "open /dev/null (a spare descriptor)");
  }
  if (!st.ok()) {
    close(fd);
    return st;
  }
  auto l = std::make_unique<Listener>();
  l->fd = fd;
  l->v6 = v6;
  l->address = config.address;
  l->port = port;
  l->config = std::move(config);
  listeners_.push_back(std::move(l));
  return port;
}

EventLoop::Peer* EventLoop::FindConfigured(const IpAddress& remote,
                                           const IpAddress& local) {
  auto it = by_address_.find(remote);
  if (it == by_address_.end()) return nullptr;
  // The peer bound to the local address the connection arrived on, else
  // one bound to none; among several, the first added.
  Peer* unbound = nullptr;
  for (PeerId id : it->second) {
    Peer* p = Find(id);
    if (p == nullptr) continue;
    if (p->config.local_address) {
      if (*p->config.local_address == local) return p;
    } else if (unbound == nullptr) {
      unbound = p;
    }
  }
  return unbound;
}

const char* RefusalName(Refusal r) {
  switch (r) {
    case Refusal::kNotAllowed:
      return "not allowed";
    case Refusal::kSourceLimit:
      return "per-source connection limit";
    case Refusal::kNoPeer:
      return "no such peer";
    case Refusal::kFactory:
      return "refused by the owner";
    case Refusal::kError:
      return "error";
    case Refusal::kNoDescriptors:
      return "out of descriptors";
  }
  return "unknown";
}

void EventLoop::Refuse(int fd, const IpAddress& remote, uint16_t port,
                       Refusal why) {
  // Nothing was sent: a plain close (RST if the peer already sent bytes).
  close(fd);
  if (on_refused) on_refused(remote, port, why);
}

void EventLoop::Accept(Listener& l, Instant now) {
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd = accept4(l.fd, reinterpret_cast<sockaddr*>(&ss), &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if ((errno == EMFILE || errno == ENFILE) && spare_fd_ >= 0) {
        // Out of descriptors: the pending connection would keep the
        // listener ready and the loop spinning. Take it with the spare
        // descriptor and close it.
        close(spare_fd_);
        spare_fd_ = -1;
        len = sizeof(ss);
        fd = accept4(l.fd, reinterpret_cast<sockaddr*>(&ss), &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) close(fd);
        spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        uint16_t remote_port = 0;
        IpAddress remote = internal::FromSockaddr(ss, &remote_port);
        if (on_refused)
          on_refused(remote, remote_port, Refusal::kNoDescriptors);
        continue;
      }
      return;  // EAGAIN: wait for the next event
    }
    uint16_t remote_port = 0;
    IpAddress remote = internal::FromSockaddr(ss, &remote_port);
    if (stopping_) {
      Refuse(fd, remote, remote_port, Refusal::kError);
      continue;
    }
    if (!l.config.allow.empty() &&
        std::none_of(l.config.allow.begin(), l.config.allow.end(),
                     [&remote](const Prefix& p) {
                       return internal::PrefixContains(p, remote);
                     })) {
      Refuse(fd, remote, remote_port, Refusal::kNotAllowed);
      continue;
    }
    if (by_address_.contains(remote)) {
      std::optional<IpAddress> local = internal::LocalAddress(fd);
      Peer* p = local ? FindConfigured(remote, *local) : nullptr;
      if (p == nullptr) {
        Refuse(fd, remote, remote_port, Refusal::kNoPeer);
      } else {
        Adopt(*p, fd, now);
      }
      continue;
    }
    if (!l.config.accept_any) {
      Refuse(fd, remote, remote_port, Refusal::kNoPeer);
      continue;
    }
    if (l.config.max_connections_per_source > 0) {
      auto it = accepted_per_source_.find(remote);
      if (it != accepted_per_source_.end() &&
          it->second >= l.config.max_connections_per_source) {
        Refuse(fd, remote, remote_port, Refusal::kSourceLimit);
        continue;
      }
    }
    std::optional<PeerConfig> cfg = l.config.factory(remote, remote_port);
    if (!cfg) {
      Refuse(fd, remote, remote_port, Refusal::kFactory);
      continue;
    }
    cfg->address = remote;
    cfg->port = remote_port;
    cfg->session.passive = true;
    if (cfg->ttl == 0) cfg->ttl = l.config.ttl;
    if (cfg->min_ttl == 0) cfg->min_ttl = l.config.min_ttl;
    absl::StatusOr<PeerId> id = CreatePeer(*std::move(cfg), true, now);
    if (!id.ok()) {
      Refuse(fd, remote, remote_port, Refusal::kError);
      continue;
    }
    Peer& p = *peers_[*id];
    p.accepted_from = std::make_pair(remote, remote_port);
    p.counted_source = remote;
    ++accepted_per_source_[remote];
    Adopt(p, fd, now);
  }
}

}  // namespace posix
}  // namespace bgpy
