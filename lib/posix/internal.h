// Copyright 2026 The bgpy Authors.
//
// lib/posix/internal.h: what the files of the POSIX transport share (never
// installed): socket helpers (socket_options.cc) and the loop's per-peer
// and per-listener state (listener.cc, connection.cc, event_loop.cc).
#ifndef BGPY_LIB_POSIX_INTERNAL_H_
#define BGPY_LIB_POSIX_INTERNAL_H_

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bgpy/collision.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/types.h"

namespace bgpy {
namespace posix {
namespace internal {

// --- Socket options (socket_options.cc) --------------------------------------

// `a` as a socket address; an IPv4 address becomes v4-mapped (RFC 4291
// §2.5.5.2) when `as_v6` is set.
socklen_t ToSockaddr(const IpAddress& a, uint16_t port, bool as_v6,
                     sockaddr_storage* ss);
// The address of `ss` (v4-mapped IPv6 becomes IPv4).
IpAddress FromSockaddr(const sockaddr_storage& ss, uint16_t* port);
// The local address of a connected or bound socket.
std::optional<IpAddress> LocalAddress(int fd);

absl::Status SetInt(int fd, int level, int name, int value,
                    absl::string_view what);
// RFC 2385 key for `peer` on socket `fd` (of family `fd_v6`); an empty key
// deletes it.
absl::Status SetMd5Key(int fd, bool fd_v6, const IpAddress& peer,
                       absl::string_view key);
// RFC 2385 key for every peer inside `prefix` (TCP_MD5SIG_EXT with
// TCP_MD5SIG_FLAG_PREFIX, Linux >= 4.13); an empty key deletes it.
absl::Status SetMd5PrefixKey(int fd, bool fd_v6, const Prefix& prefix,
                             absl::string_view key);
// TTL (RFC 5082 §3 GTSM sends with 255) and minimum TTL, by address family.
absl::Status SetTtl(int fd, const IpAddress& peer, int ttl, int min_ttl);
// The same on a listening socket of family `v6`: an IPv6 one gets the IPv4
// options too (for v4-mapped peers).
absl::Status SetListenerTtl(int fd, bool v6, int ttl, int min_ttl);
// `a` is inside `p` (same family, first p.length() bits equal).
bool PrefixContains(const Prefix& p, const IpAddress& a);
// TCP_NODELAY, TTL / minimum TTL and buffer sizes of a peer's connection.
absl::Status ConfigureConnection(int fd, const PeerConfig& c);
// Sends FIN after the flushed output and discards unread input, so that the
// close does not turn into a RST that could destroy the NOTIFICATION in
// flight (RFC 793 §3.5: unread data at close aborts the connection).
void CloseGracefully(int fd);

// --- The loop's state ------------------------------------------------------

// epoll_event.data.u64: kind (4 bits) | id (28 bits) | connection serial.
enum Kind : uint64_t {
  kWake = 1,
  kSignal = 2,
  kListener = 3,
  kPeer = 4,
  kWatch = 5,  // EventLoop::WatchFd; the id is the descriptor
};
inline constexpr uint64_t kIdMask = (uint64_t{1} << 28) - 1;

inline uint64_t Tag(Kind kind, uint64_t id, uint32_t serial) {
  return (uint64_t{kind} << 60) | ((id & kIdMask) << 32) | serial;
}
inline Kind TagKind(uint64_t tag) { return static_cast<Kind>(tag >> 60); }
inline uint32_t TagId(uint64_t tag) {
  return static_cast<uint32_t>((tag >> 32) & kIdMask);
}
inline uint32_t TagSerial(uint64_t tag) { return static_cast<uint32_t>(tag); }

// The TCP side of one slot of PeerConnections.
struct Connection {
  int fd = -1;
  uint32_t serial = 0;    // tags this fd's epoll registration
  uint32_t interest = 0;  // current epoll events
  bool connecting = false;
  uint64_t attempt = 0;  // Session::connect_attempt() of the connect
  Instant connect_deadline;
  std::optional<Instant> close_deadline;
  bool backlogged = false;  // output waited: tell the owner on_writable
  // The last write was short or refused: wait for EPOLLOUT before the next.
  bool write_blocked = false;
};

// (remote address, remote port, local address): what tells configured
// peers apart. The local address is the unspecified one when not bound.
using PeerKey = std::tuple<IpAddress, uint16_t, IpAddress>;
PeerKey KeyOf(const PeerConfig& c);

}  // namespace internal

struct EventLoop::Peer {
  Peer(PeerId i, PeerConfig c, bool d)
      : id(i), config(std::move(c)), link(config.session), dynamic(d) {}

  Session& session() { return link.session(); }
  // Has a connection in `slot`, up or coming up.
  bool live(int slot) const {
    return conn[slot].fd >= 0 ||
           (link.has(slot) && link.session(slot).connected());
  }
  int fd_count() const {
    return (conn[0].fd >= 0 ? 1 : 0) + (conn[1].fd >= 0 ? 1 : 0);
  }

  PeerId id;
  PeerConfig config;
  PeerConnections link;  // the Sessions of both slots and the collision
  bool dynamic;          // created by accept_any; removed once closed
  internal::Connection conn[PeerConnections::kSlots];

  bool dirty = false;
  bool removed = false;
  bool read_paused = false;  // EventLoop::SetReadPaused
  // Counted in accepted_per_source_ under this address until erased.
  std::optional<IpAddress> counted_source;
  std::optional<std::pair<IpAddress, uint16_t>> accepted_from;
  std::vector<absl::Status> errors;  // not yet delivered
  PeerStats stats;

  // The deadline queued in the loop's heap (see EventLoop::Schedule).
  std::optional<Instant> scheduled;
  uint32_t timer_generation = 0;
};

struct EventLoop::Listener {
  int fd = -1;
  bool v6 = false;
  IpAddress address;
  uint16_t port = 0;
  ListenConfig config;
};

}  // namespace posix
}  // namespace bgpy

#endif  // BGPY_LIB_POSIX_INTERNAL_H_
