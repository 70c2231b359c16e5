// Copyright 2026 The bgpy Authors.
//
// transport.cc: the epoll loop behind bgpy/posix/transport.h.
#include "bgpy/posix/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bgpy {
namespace posix {
namespace {

// epoll_event.data.u64: kind (4 bits) | id (28 bits) | connection serial.
enum Kind : uint64_t { kWake = 1, kSignal = 2, kListener = 3, kPeer = 4 };
constexpr uint64_t kIdMask = (uint64_t{1} << 28) - 1;

uint64_t Tag(Kind kind, uint64_t id, uint32_t serial) {
  return (uint64_t{kind} << 60) | ((id & kIdMask) << 32) | serial;
}
Kind TagKind(uint64_t tag) { return static_cast<Kind>(tag >> 60); }
uint32_t TagId(uint64_t tag) {
  return static_cast<uint32_t>((tag >> 32) & kIdMask);
}
uint32_t TagSerial(uint64_t tag) { return static_cast<uint32_t>(tag); }

// `a` as a socket address; an IPv4 address becomes v4-mapped (RFC 4291
// §2.5.5.2) when `as_v6` is set.
socklen_t ToSockaddr(const IpAddress& a, uint16_t port, bool as_v6,
                     sockaddr_storage* ss) {
  std::memset(ss, 0, sizeof(*ss));
  if (a.is_v4() && !as_v6) {
    auto* sin = reinterpret_cast<sockaddr_in*>(ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, a.bytes(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(ss);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  if (a.is_v4()) {
    sin6->sin6_addr.s6_addr[10] = 0xff;
    sin6->sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&sin6->sin6_addr.s6_addr[12], a.bytes(), 4);
  } else {
    std::memcpy(&sin6->sin6_addr, a.bytes(), 16);
  }
  return sizeof(sockaddr_in6);
}

// The address of `ss` (v4-mapped IPv6 becomes IPv4).
IpAddress FromSockaddr(const sockaddr_storage& ss, uint16_t* port) {
  if (ss.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    *port = ntohs(sin->sin_port);
    return IpAddress::V4Bytes(reinterpret_cast<const uint8_t*>(&sin->sin_addr));
  }
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  *port = ntohs(sin6->sin6_port);
  const uint8_t* b = sin6->sin6_addr.s6_addr;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMappedPrefix, sizeof(kMappedPrefix)) == 0)
    return IpAddress::V4Bytes(b + 12);
  return IpAddress::V6Bytes(b);
}

absl::Status SetInt(int fd, int level, int name, int value,
                    absl::string_view what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
    return absl::ErrnoToStatus(errno, what);
  return absl::OkStatus();
}

// RFC 2385 key for `peer` on socket `fd` (of family `fd_v6`); an empty key
// deletes it.
absl::Status SetMd5Key(int fd, bool fd_v6, const IpAddress& peer,
                       absl::string_view key) {
  tcp_md5sig sig;
  std::memset(&sig, 0, sizeof(sig));
  ToSockaddr(peer, 0, fd_v6, &sig.tcpm_addr);
  sig.tcpm_keylen = static_cast<uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) < 0)
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("TCP_MD5SIG on ", peer.ToString()));
  return absl::OkStatus();
}

// TTL (RFC 5082 §3 GTSM sends with 255) and minimum TTL, by address family.
absl::Status SetTtl(int fd, const IpAddress& peer, int ttl, int min_ttl) {
  const std::string who = peer.ToString();
  if (ttl > 0) {
    if (peer.is_v4()) {
      BGPY_RETURN_IF_ERROR(
          SetInt(fd, IPPROTO_IP, IP_TTL, ttl, absl::StrCat("IP_TTL on ", who)));
    } else {
      BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl,
                                  absl::StrCat("IPV6_UNICAST_HOPS on ", who)));
    }
  }
  if (min_ttl > 0) {
    if (peer.is_v4()) {
      BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_IP, IP_MINTTL, min_ttl,
                                  absl::StrCat("IP_MINTTL on ", who)));
    } else {
      BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, min_ttl,
                                  absl::StrCat("IPV6_MINHOPCOUNT on ", who)));
    }
  }
  return absl::OkStatus();
}

absl::Status SetBuffers(int fd, const PeerConfig& c) {
  const std::string who = c.address.ToString();
  if (c.send_buffer_size > 0)
    BGPY_RETURN_IF_ERROR(SetInt(fd, SOL_SOCKET, SO_SNDBUF, c.send_buffer_size,
                                absl::StrCat("SO_SNDBUF on ", who)));
  if (c.receive_buffer_size > 0)
    BGPY_RETURN_IF_ERROR(SetInt(fd, SOL_SOCKET, SO_RCVBUF,
                                c.receive_buffer_size,
                                absl::StrCat("SO_RCVBUF on ", who)));
  return absl::OkStatus();
}

// Sends FIN after the flushed output and discards unread input, so that the
// close does not turn into a RST that could destroy the NOTIFICATION in
// flight (RFC 793 §3.5: unread data at close aborts the connection).
void CloseGracefully(int fd) {
  shutdown(fd, SHUT_WR);
  uint8_t sink[4096];
  for (int i = 0; i < 64; ++i) {
    ssize_t n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
    if (n <= 0) break;
  }
  close(fd);
}

int TimeoutMs(Duration d) {
  if (d <= Duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::min<int64_t>(ms, 3600 * 1000));
}

}  // namespace

std::string FormatEndpoint(const IpAddress& address, uint16_t port) {
  if (address.is_v6()) return absl::StrCat("[", address.ToString(), "]:", port);
  return absl::StrCat(address.ToString(), ":", port);
}

struct EventLoop::Peer {
  Peer(PeerId i, PeerConfig c, bool d)
      : id(i), config(std::move(c)), session(config.session), dynamic(d) {}

  PeerId id;
  PeerConfig config;
  Session session;
  bool dynamic;  // created by accept_any; removed once closed

  int fd = -1;
  uint32_t serial = 0;    // tags this fd's epoll registration
  uint32_t interest = 0;  // current epoll events
  bool connecting = false;
  uint64_t attempt = 0;  // Session::connect_attempt() of the connect
  Instant connect_deadline;
  std::optional<Instant> close_deadline;
  bool backlogged = false;  // output waited for the socket
  bool inbound = false;     // the connection was accepted
  bool lost = false;        // stopped by a collision; closes, then forgotten
  bool dirty = false;
  bool removed = false;
  std::optional<std::pair<IpAddress, uint16_t>> accepted_from;
  std::vector<absl::Status> errors;  // not yet delivered
  PeerStats stats;

  // A second connection during a collision (RFC 4271 §6.8): a Peer of the
  // same id whose `owner` is this one. Only its connection fields and
  // session are used; counters go to the owner.
  std::unique_ptr<Peer> rival;
  Peer* owner = nullptr;

  PeerStats& counters() { return owner != nullptr ? owner->stats : stats; }
  // Has a connection, up or coming up.
  bool live() const { return fd >= 0 || session.connected(); }

  // Exchanges everything that belongs to the connection (not to the peer)
  // with `o`; the epoll tag (id, serial) moves with the descriptor.
  void SwapConnection(Peer& o) {
    std::swap(session, o.session);
    std::swap(fd, o.fd);
    std::swap(serial, o.serial);
    std::swap(interest, o.interest);
    std::swap(connecting, o.connecting);
    std::swap(attempt, o.attempt);
    std::swap(connect_deadline, o.connect_deadline);
    std::swap(close_deadline, o.close_deadline);
    std::swap(backlogged, o.backlogged);
    std::swap(inbound, o.inbound);
    std::swap(lost, o.lost);
    std::swap(errors, o.errors);
  }
};

struct EventLoop::Listener {
  int fd = -1;
  bool v6 = false;
  IpAddress address;
  uint16_t port = 0;
  ListenConfig config;
};

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
  ev.data.u64 = Tag(kWake, 0, 0);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) {
    init_status_ = absl::InternalError(
        absl::StrCat("epoll_ctl eventfd: ", std::strerror(errno)));
  }
}

EventLoop::~EventLoop() {
  for (auto& [id, p] : peers_) {
    if (p->fd >= 0) close(p->fd);
    if (p->rival && p->rival->fd >= 0) close(p->rival->fd);
  }
  for (auto& l : listeners_)
    if (l->fd >= 0) close(l->fd);
  if (signal_fd_ >= 0) close(signal_fd_);
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
  return &p->session;
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
  if (p == nullptr || p->fd < 0 || p->connecting) return std::nullopt;
  sockaddr_storage local, remote;
  socklen_t local_len = sizeof(local), remote_len = sizeof(remote);
  if (getsockname(p->fd, reinterpret_cast<sockaddr*>(&local), &local_len) < 0 ||
      getpeername(p->fd, reinterpret_cast<sockaddr*>(&remote), &remote_len) < 0)
    return std::nullopt;
  ConnectionInfo info;
  info.local_address = FromSockaddr(local, &info.local_port);
  info.remote_address = FromSockaddr(remote, &info.remote_port);
  info.inbound = p->inbound;
  return info;
}

int EventLoop::connection_count(PeerId id) const {
  const Peer* p = Find(id);
  if (p == nullptr) return 0;
  return (p->fd >= 0 ? 1 : 0) + (p->rival && p->rival->fd >= 0 ? 1 : 0);
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
  if (!dynamic) {
    if (by_address_.contains(config.address))
      return absl::AlreadyExistsError(
          absl::StrCat("peer ", config.address.ToString(), " already exists"));
    if (!config.md5_password.empty()) {
      for (auto& l : listeners_) {
        if (l->fd < 0 || (config.address.is_v6() && !l->v6)) continue;
        BGPY_RETURN_IF_ERROR(
            SetMd5Key(l->fd, l->v6, config.address, config.md5_password));
      }
    }
  }
  if (next_id_ > kIdMask)
    return absl::ResourceExhaustedError("too many peers for one loop");
  PeerId id = next_id_++;
  auto peer = std::make_unique<Peer>(id, std::move(config), dynamic);
  Peer& p = *peer;
  BGPY_RETURN_IF_ERROR(p.session.Start(now));
  peers_.emplace(id, std::move(peer));
  if (!dynamic) by_address_[p.config.address] = id;
  MarkDirty(p);
  return id;
}

void EventLoop::RemovePeer(PeerId id) {
  Peer* p = Find(id);
  if (p == nullptr) return;
  if (p->fd >= 0) {
    close(p->fd);
    p->fd = -1;
    p->connecting = false;
  }
  if (p->rival) {
    if (p->rival->fd >= 0) close(p->rival->fd);
    p->rival->fd = -1;
    p->rival->removed = true;
  }
  if (!p->dynamic) {
    if (!p->config.md5_password.empty()) {
      for (auto& l : listeners_)
        if (l->fd >= 0 && (p->config.address.is_v4() || l->v6))
          (void)SetMd5Key(l->fd, l->v6, p->config.address, "");
    }
    by_address_.erase(p->config.address);
  }
  p->removed = true;
  garbage_ = true;
}

void EventLoop::StopPeer(PeerId id, CeaseSubcode subcode,
                         absl::string_view text) {
  Peer* p = Find(id);
  if (p == nullptr) return;
  Instant now = Now();
  p->session.Stop(now, subcode, text);
  MarkDirty(*p);
  if (p->rival) {
    p->rival->session.Stop(now, subcode, text);
    MarkDirty(*p->rival);
  }
}

absl::Status EventLoop::QueueUpdate(PeerId id,
                                    absl::Span<const uint8_t> bytes) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  Instant now = Now();
  absl::Status st = p->session.QueueUpdate(bytes, now);
  if (absl::IsResourceExhausted(st)) p->backlogged = true;
  if (p->fd >= 0 && !p->connecting) Flush(*p, now);
  MarkDirty(*p);
  return st;
}

absl::Status EventLoop::QueueEndOfRib(PeerId id, Family family) {
  Peer* p = Find(id);
  if (p == nullptr) return absl::NotFoundError(absl::StrCat("no peer ", id));
  Instant now = Now();
  absl::Status st = p->session.QueueEndOfRib(family, now);
  if (p->fd >= 0 && !p->connecting) Flush(*p, now);
  MarkDirty(*p);
  return st;
}

// --- Connections
// ---------------------------------------------------------------

void EventLoop::Register(Peer& p) {
  p.serial = next_conn_serial_++;
  p.interest = EPOLLIN | (p.connecting ? uint32_t{EPOLLOUT} : 0u);
  epoll_event ev{};
  ev.events = p.interest;
  ev.data.u64 = Tag(kPeer, p.id, p.serial);
  (void)epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, p.fd, &ev);
}

void EventLoop::UpdateInterest(Peer& p) {
  if (p.fd < 0) return;
  uint32_t want = EPOLLIN;
  if (p.connecting || !p.session.PendingOutput().empty()) want |= EPOLLOUT;
  if (want == p.interest) return;
  p.interest = want;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = Tag(kPeer, p.id, p.serial);
  (void)epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, p.fd, &ev);
}

void EventLoop::CloseFd(Peer& p) {
  if (p.fd >= 0) close(p.fd);
  p.fd = -1;
  p.connecting = false;
  p.close_deadline.reset();
  p.interest = 0;
}

void EventLoop::StartConnect(Peer& p, Instant now) {
  const PeerConfig& c = p.config;
  const std::string who = FormatEndpoint(c.address, c.port);
  p.attempt = p.session.connect_attempt();
  int fd = socket(c.address.is_v4() ? AF_INET : AF_INET6,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ConnectFailed(
        p, absl::ErrnoToStatus(errno, absl::StrCat("socket for ", who)), now);
    return;
  }
  p.fd = fd;
  p.connecting = true;
  p.inbound = false;
  auto fail = [&](const absl::Status& st) {
    CloseFd(p);
    ConnectFailed(p, st, now);
  };
  absl::Status st = SetInt(fd, IPPROTO_TCP, TCP_NODELAY, 1,
                           absl::StrCat("TCP_NODELAY on ", who));
  if (st.ok()) st = SetTtl(fd, c.address, c.ttl, c.min_ttl);
  if (st.ok()) st = SetBuffers(fd, c);
  if (st.ok() && !c.md5_password.empty())
    st = SetMd5Key(fd, c.address.is_v6(), c.address, c.md5_password);
  if (!st.ok()) return fail(st);
  if (c.local_address || c.local_port != 0) {
    IpAddress local = c.local_address.value_or(
        c.address.is_v4() ? IpAddress::V4(0)
                          : IpAddress::V6(std::array<uint8_t, 16>{}));
    if (c.local_port != 0) (void)SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "");
    sockaddr_storage ss;
    socklen_t len = ToSockaddr(local, c.local_port, c.address.is_v6(), &ss);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0)
      return fail(absl::ErrnoToStatus(
          errno, absl::StrCat("bind ", FormatEndpoint(local, c.local_port))));
  }
  sockaddr_storage ss;
  socklen_t len = ToSockaddr(c.address, c.port, c.address.is_v6(), &ss);
  int rc;
  do {
    rc = connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0 && errno != EINPROGRESS)
    return fail(absl::ErrnoToStatus(errno, absl::StrCat("connect to ", who)));
  Register(p);
  p.connect_deadline = now + c.connect_timeout;
  if (rc == 0) FinishConnect(p, now);
}

void EventLoop::FinishConnect(Peer& p, Instant now) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err == 0) {
    // A spurious wakeup leaves the socket unconnected: wait for the next.
    sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getpeername(p.fd, reinterpret_cast<sockaddr*>(&ss), &sl) < 0) {
      if (errno == ENOTCONN) return;
      err = errno;
    }
  }
  if (err != 0) {
    CloseFd(p);
    ConnectFailed(
        p,
        absl::ErrnoToStatus(
            err, absl::StrCat("connect to ",
                              FormatEndpoint(p.config.address, p.config.port))),
        now);
    return;
  }
  p.connecting = false;
  ++p.counters().connects;
  if (!p.session.OnConnected(now).ok()) {
    CloseFd(p);
  }
  MarkDirty(p);
}

void EventLoop::ConnectFailed(Peer& p, const absl::Status& error, Instant now) {
  p.errors.push_back(error);
  p.session.OnConnectFailed(now);
  MarkDirty(p);
}

void EventLoop::CloseConnection(Peer& p, Instant now, bool graceful) {
  if (p.fd >= 0) {
    if (graceful && !p.connecting) {
      CloseGracefully(p.fd);
      p.fd = -1;
    }
    CloseFd(p);
  }
  if (p.session.connected()) p.session.OnClosed(now);
  MarkDirty(p);
}

void EventLoop::DropConnection(Peer& p, const absl::Status& error,
                               Instant now) {
  p.errors.push_back(error);
  CloseFd(p);
  if (p.session.connected()) p.session.OnClosed(now);
  MarkDirty(p);
}

bool EventLoop::Flush(Peer& p, Instant now) {
  bool had_output = !p.session.PendingOutput().empty();
  while (true) {
    absl::Span<const uint8_t> out = p.session.PendingOutput();
    if (out.empty()) break;
    ssize_t n = send(p.fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      p.counters().bytes_sent += static_cast<uint64_t>(n);
      p.session.ConsumeOutput(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      p.backlogged = true;
      break;
    }
    DropConnection(
        p,
        absl::ErrnoToStatus(
            errno, absl::StrCat("send to ", FormatEndpoint(p.config.address,
                                                           p.config.port))),
        now);
    return false;
  }
  if (had_output) MarkDirty(p);
  return true;
}

void EventLoop::HandleReadable(Peer& p, Instant now) {
  for (int i = 0; i < 16 && p.fd >= 0; ++i) {
    ssize_t n = recv(p.fd, read_buf_.data(), read_buf_.size(), MSG_DONTWAIT);
    if (n > 0) {
      p.counters().bytes_received += static_cast<uint64_t>(n);
      if (!p.session.connected()) break;
      absl::Status st = p.session.Receive(
          absl::MakeConstSpan(read_buf_.data(), static_cast<size_t>(n)), now);
      MarkDirty(p);
      // On error the NOTIFICATION is queued: Service() flushes and closes.
      if (!st.ok() || p.session.WantsClose()) break;
      if (static_cast<size_t>(n) < read_buf_.size()) break;
      continue;
    }
    if (n == 0) {  // the peer closed
      CloseConnection(p, now, /*graceful=*/false);
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    DropConnection(
        p,
        absl::ErrnoToStatus(
            errno, absl::StrCat("recv from ", FormatEndpoint(p.config.address,
                                                             p.config.port))),
        now);
    break;
  }
}

void EventLoop::Adopt(Peer& p, int fd, Instant now) {
  if (p.fd >= 0) CloseFd(p);  // abandon our own connect attempt
  const PeerConfig& c = p.config;
  absl::Status st =
      SetInt(fd, IPPROTO_TCP, TCP_NODELAY, 1,
             absl::StrCat("TCP_NODELAY on ", c.address.ToString()));
  if (st.ok()) st = SetTtl(fd, c.address, c.ttl, c.min_ttl);
  if (st.ok()) st = SetBuffers(fd, c);
  if (!st.ok()) {
    close(fd);
    p.errors.push_back(st);
    MarkDirty(p);
    return;
  }
  p.fd = fd;
  p.connecting = false;
  p.inbound = true;
  Register(p);
  ++p.counters().connects;
  if (!p.session.OnConnected(now).ok()) CloseFd(p);
  MarkDirty(p);
}

void EventLoop::AdoptRival(Peer& p, int fd, Instant now) {
  // The same configuration, passive: the Session waits in Active and takes
  // this connection (RFC 4271 §8.1.1 PassiveTcpEstablishment).
  SessionConfig config = p.config.session;
  config.passive = true;
  auto r = std::make_unique<Peer>(p.id, p.config, /*dynamic=*/false);
  r->session = Session(std::move(config));
  r->owner = &p;
  if (!r->session.Start(now).ok()) {
    close(fd);
    return;
  }
  p.rival = std::move(r);
  Adopt(*p.rival, fd, now);
}

// --- Listening
// -------------------------------------------------------------------

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
  const bool v6 = config.address.is_v6();
  int fd = socket(v6 ? AF_INET6 : AF_INET,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return absl::ErrnoToStatus(errno, absl::StrCat("socket for ", who));
  absl::Status st = SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1,
                           absl::StrCat("SO_REUSEADDR on ", who));
  if (st.ok()) {
    sockaddr_storage ss;
    socklen_t len = ToSockaddr(config.address, config.port, v6, &ss);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0)
      st = absl::ErrnoToStatus(errno, absl::StrCat("bind ", who));
  }
  // RFC 2385 keys live on the listener: the SYN is checked before accept().
  for (const auto& [id, p] : peers_) {
    if (!st.ok()) break;
    if (p->removed || p->dynamic || p->config.md5_password.empty()) continue;
    if (p->config.address.is_v6() && !v6) continue;
    st = SetMd5Key(fd, v6, p->config.address, p->config.md5_password);
  }
  for (const auto& [addr, key] : config.md5_keys) {
    if (!st.ok()) break;
    if (addr.is_v6() && !v6) continue;
    st = SetMd5Key(fd, v6, addr, key);
  }
  if (st.ok() && config.min_ttl > 0)
    st = SetTtl(fd, config.address, 0, config.min_ttl);
  if (st.ok() && listen(fd, SOMAXCONN) < 0)
    st = absl::ErrnoToStatus(errno, absl::StrCat("listen ", who));
  uint16_t port = config.port;
  if (st.ok()) {
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) {
      st = absl::ErrnoToStatus(errno, absl::StrCat("getsockname ", who));
    } else {
      FromSockaddr(ss, &port);
    }
  }
  if (st.ok()) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = Tag(kListener, listeners_.size(), 0);
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0)
      st = absl::ErrnoToStatus(errno, absl::StrCat("epoll_ctl ", who));
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

void EventLoop::Accept(Listener& l, Instant now) {
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd = accept4(l.fd, reinterpret_cast<sockaddr*>(&ss), &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN, or out of descriptors: try again on the next event
    }
    if (stopping_) {
      close(fd);
      continue;
    }
    uint16_t remote_port = 0;
    IpAddress remote = FromSockaddr(ss, &remote_port);
    auto it = by_address_.find(remote);
    if (it != by_address_.end()) {
      Peer* p = Find(it->second);
      if (p == nullptr) {
        close(fd);
        continue;
      }
      const SessionState state = p->session.state();
      if (p->fd < 0 && !p->session.connected() &&
          (state == SessionState::kConnect || state == SessionState::kActive)) {
        Adopt(*p, fd, now);  // the Session waits for a connection
      } else if (p->fd >= 0 && !p->inbound && !p->rival &&
                 (p->connecting || p->session.CanCollide())) {
        AdoptRival(*p, fd, now);  // a collision (RFC 4271 §6.8)
      } else {
        // Established (the established connection wins, RFC 4271 §6.8),
        // stopped, or already two connections: refused without a message.
        close(fd);
      }
      continue;
    }
    if (!l.config.accept_any) {
      close(fd);
      continue;
    }
    std::optional<PeerConfig> cfg = l.config.factory(remote, remote_port);
    if (!cfg) {
      close(fd);
      continue;
    }
    cfg->address = remote;
    cfg->port = remote_port;
    cfg->session.passive = true;
    if (cfg->min_ttl == 0) cfg->min_ttl = l.config.min_ttl;
    absl::StatusOr<PeerId> id = CreatePeer(*std::move(cfg), true, now);
    if (!id.ok()) {
      close(fd);
      continue;
    }
    Peer& p = *peers_[*id];
    p.accepted_from = std::make_pair(remote, remote_port);
    Adopt(p, fd, now);
  }
}

// --- The loop
// --------------------------------------------------------------------

void EventLoop::Deliver(Peer& p) {
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
  while (auto ev = p.session.PollEvent()) {
    if (on_event) on_event(p.id, *ev);
    if (p.removed) return;
  }
}

void EventLoop::Service(Peer& p, Instant now) {
  p.dirty = false;
  if (p.removed) return;
  ResolveCollision(p, now);
  ServiceConnection(p, now);
  if (p.removed || !p.rival) return;
  ServiceConnection(*p.rival, now);
  if (p.removed) return;
  ResolveCollision(p, now);
  // An incoming connection that won and ended: its Session is passive; an
  // active peer gets a fresh Session from its configuration, which connects.
  if (!p.rival && !p.live() && !p.session.HasEvents() &&
      p.session.config().passive != p.config.session.passive &&
      (p.session.state() == SessionState::kActive ||
       p.session.state() == SessionState::kConnect)) {
    p.session = Session(p.config.session);
    (void)p.session.Start(now);  // validated by AddPeer()
    MarkDirty(p);
  }
}

void EventLoop::ResolveCollision(Peer& p, Instant now) {
  if (!p.rival) return;
  Peer& r = *p.rival;
  // The peer's own connection is gone (connect failed, closed): the other
  // one carries on as the peer's.
  if (!p.live() && r.live() && !r.lost) {
    p.SwapConnection(r);
    r.lost = true;
    r.session.Stop(now, CeaseSubcode::kConnectionCollisionResolution);
    MarkDirty(p);
    MarkDirty(r);
  }
  if (!r.live() && !r.session.HasEvents() && r.errors.empty()) {
    p.rival.reset();  // finished: forgotten
    return;
  }
  if (r.lost || !r.live() || !p.live() || p.inbound == r.inbound) return;
  // RFC 4271 §6.8: resolved once one side knows the peer's BGP identifier
  // (OpenConfirm, or a jump to Established within one read) and the other
  // has sent its OPEN.
  auto knows_id = [](const Session& s) {
    return s.negotiated() != nullptr &&
           (s.state() == SessionState::kOpenConfirm ||
            s.state() == SessionState::kEstablished);
  };
  auto open_sent = [&](const Session& s) {
    return s.CanCollide() || knows_id(s);
  };
  Peer* loser = nullptr;
  const Negotiated* n = nullptr;
  if (knows_id(p.session) && open_sent(r.session)) {
    n = p.session.negotiated();
  } else if (knows_id(r.session) && open_sent(p.session)) {
    n = r.session.negotiated();
  }
  if (n != nullptr) {
    CollisionWinner w = bgpy::ResolveCollision(
        p.config.session.router_id, n->peer_id, n->local_as, n->peer_as);
    const bool keep_inbound = w == CollisionWinner::kRemotelyInitiated;
    loser = p.inbound == keep_inbound ? &r : &p;
  } else if (r.session.state() == SessionState::kEstablished &&
             !p.session.connected()) {
    loser = &p;  // ours is still connecting: the established one wins
  }
  if (loser == nullptr) return;
  if (loser == &p) p.SwapConnection(r);  // the loser lives on as the rival
  r.lost = true;
  r.session.Stop(now, CeaseSubcode::kConnectionCollisionResolution);
  ++p.stats.collisions;
  MarkDirty(p);
  MarkDirty(r);
}

void EventLoop::ServiceConnection(Peer& p, Instant now) {
  p.dirty = false;
  if (p.removed) return;
  Deliver(p);
  if (p.removed) return;
  // Abandon a connect the Session no longer wants (stopped, or a newer
  // attempt after ConnectRetry).
  if (p.fd >= 0 && p.connecting &&
      (stopping_ || !p.session.WantsConnect() ||
       p.session.connect_attempt() != p.attempt)) {
    CloseFd(p);
  }
  if (p.fd >= 0 && !p.connecting && Flush(p, now)) {
    if (p.session.WantsClose() || !p.session.connected()) {
      if (p.session.PendingOutput().empty() || !p.session.connected()) {
        CloseConnection(p, now, /*graceful=*/true);
      } else if (!p.close_deadline) {
        p.close_deadline = now + options_.close_grace;
      }
    }
  }
  if (p.fd < 0 && !stopping_ && !p.lost && p.session.WantsConnect())
    StartConnect(p, now);
  if (p.owner == nullptr && p.backlogged && p.fd >= 0 && !p.connecting &&
      p.session.PendingOutput().empty() &&
      p.session.state() == SessionState::kEstablished) {
    p.backlogged = false;
    if (on_writable) on_writable(p.id);
    if (p.removed) return;
  }
  if (p.dynamic && !p.rival && p.fd < 0 && !p.session.connected() &&
      !p.session.HasEvents() && p.errors.empty()) {
    p.removed = true;  // an accepted peer lives as long as its connection
    garbage_ = true;
    return;
  }
  if (p.session.HasEvents() || !p.errors.empty() || p.accepted_from)
    MarkDirty(p);
  UpdateInterest(p);
}

bool EventLoop::ProcessDirty(Instant now) {
  for (int round = 0; round < 64 && !dirty_.empty(); ++round) {
    std::vector<PeerId> ids;
    ids.swap(dirty_);
    for (PeerId id : ids) {
      auto it = peers_.find(id);
      if (it != peers_.end()) Service(*it->second, now);
    }
  }
  return dirty_.empty();
}

std::optional<Instant> EventLoop::EarliestDeadline() const {
  std::optional<Instant> best;
  auto take = [&best](Instant t) {
    if (!best || t < *best) best = t;
  };
  auto add = [&take](const Peer& c) {
    if (auto t = c.session.NextDeadline()) take(*t);
    if (c.fd >= 0 && c.connecting) take(c.connect_deadline);
    if (c.close_deadline) take(*c.close_deadline);
  };
  for (const auto& [id, p] : peers_) {
    if (p->removed) continue;
    add(*p);
    if (p->rival) add(*p->rival);
  }
  return best;
}

void EventLoop::FireTimers(Instant now) {
  std::vector<Peer*> conns;
  for (auto& [id, ptr] : peers_) {
    if (ptr->removed) continue;
    conns.push_back(ptr.get());
    if (ptr->rival) conns.push_back(ptr->rival.get());
  }
  for (Peer* c : conns) {
    Peer& p = *c;
    if (p.fd >= 0 && p.connecting && p.connect_deadline <= now) {
      CloseFd(p);
      ConnectFailed(
          p,
          absl::DeadlineExceededError(absl::StrCat(
              "connect to ", FormatEndpoint(p.config.address, p.config.port),
              ": timed out after ",
              std::chrono::duration_cast<std::chrono::milliseconds>(
                  p.config.connect_timeout)
                  .count(),
              " ms")),
          now);
    }
    if (p.close_deadline && *p.close_deadline <= now) {
      // The peer did not take our last output in time: give up on it.
      CloseConnection(p, now, /*graceful=*/false);
    }
    if (auto t = p.session.NextDeadline(); t && *t <= now) {
      p.session.OnTimer(now);
      MarkDirty(p);
    }
  }
}

void EventLoop::CollectGarbage() {
  if (!garbage_) return;
  garbage_ = false;
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto cur = it++;
    if (cur->second->removed) {
      if (cur->second->fd >= 0) close(cur->second->fd);
      if (cur->second->rival && cur->second->rival->fd >= 0)
        close(cur->second->rival->fd);
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
  bool idle = ProcessDirty(now);
  Duration wait = idle ? timeout : Duration::zero();
  if (auto t = EarliestDeadline()) wait = std::min(wait, *t - now);
  epoll_event events[64];
  int n = epoll_wait(epoll_fd_, events, 64, TimeoutMs(wait));
  if (n < 0) {
    if (errno != EINTR) return absl::ErrnoToStatus(errno, "epoll_wait");
    n = 0;
  }
  now = Now();
  for (int i = 0; i < n; ++i) {
    uint64_t tag = events[i].data.u64;
    uint32_t what = events[i].events;
    switch (TagKind(tag)) {
      case kWake:
        DrainWakeups();
        break;
      case kSignal: {
        signalfd_siginfo info;
        while (read(signal_fd_, &info, sizeof(info)) > 0) {
        }
        stop_pending_ = true;
        break;
      }
      case kListener:
        if (TagId(tag) < listeners_.size() && listeners_[TagId(tag)]->fd >= 0)
          Accept(*listeners_[TagId(tag)], now);
        break;
      case kPeer: {
        Peer* p = Find(TagId(tag));
        if (p != nullptr && p->serial != TagSerial(tag))
          p = p->rival && p->rival->serial == TagSerial(tag) ? p->rival.get()
                                                             : nullptr;
        if (p == nullptr || p->fd < 0) break;
        if (p->connecting) {
          if (what & (EPOLLOUT | EPOLLERR | EPOLLHUP)) FinishConnect(*p, now);
          break;
        }
        if ((what & EPOLLOUT) && !Flush(*p, now)) break;
        if (p->fd >= 0 && (what & (EPOLLIN | EPOLLERR | EPOLLHUP)))
          HandleReadable(*p, now);
        MarkDirty(*p);
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
    ev.data.u64 = Tag(kSignal, 0, 0);
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
    p->session.Stop(now, CeaseSubcode::kAdministrativeShutdown,
                    options_.shutdown_text);
    MarkDirty(*p);
    if (p->rival) {
      p->rival->session.Stop(now, CeaseSubcode::kAdministrativeShutdown,
                             options_.shutdown_text);
      MarkDirty(*p->rival);
    }
  }
  for (auto& l : listeners_) {
    if (l->fd >= 0) close(l->fd);
    l->fd = -1;
  }
  const Instant deadline = now + options_.close_grace;
  auto any_open = [this] {
    for (const auto& [id, p] : peers_)
      if (!p->removed && (p->fd >= 0 || (p->rival && p->rival->fd >= 0)))
        return true;
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
    if (p->fd >= 0) CloseConnection(*p, now, /*graceful=*/false);
    if (p->rival && p->rival->fd >= 0)
      CloseConnection(*p->rival, now, /*graceful=*/false);
  }
  ProcessDirty(now);
  CollectGarbage();
  in_step_ = false;
  shut_down_ = true;
}

}  // namespace posix
}  // namespace bgpy
