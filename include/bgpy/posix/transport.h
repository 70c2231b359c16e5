// Copyright 2026 The bgpy Authors.
//
// posix/transport.h: an epoll event loop that runs any number of bgpy
// Sessions over non-blocking TCP sockets (target bgpy::posix, Linux).
//
// The loop is the only reader of std::chrono::steady_clock. It connects
// (source-address bind, TTL, GTSM, TCP MD5), accepts, writes each Session's
// PendingOutput() as the socket takes it, feeds received bytes to
// Session::Receive, fires timers from NextDeadline(), closes on WantsClose()
// after flushing and reconnects when WantsConnect(). Single-threaded: only
// RequestStop() may be called from another thread or a signal handler.
//
//   EventLoop loop;
//   loop.on_event = [&](PeerId id, const SessionEvent& ev) { ... };
//   loop.on_error = [&](PeerId id, const absl::Status& st) { ... };
//   BGPY_ASSIGN_OR_RETURN(PeerId id, loop.AddPeer(peer_config));
//   BGPY_RETURN_IF_ERROR(loop.CatchSignals({SIGINT, SIGTERM}));
//   BGPY_RETURN_IF_ERROR(loop.Run());  // until a signal: Cease sent, returns
//
// Back-pressure: the owner queues UPDATEs with QueueUpdate() until it returns
// kResourceExhausted, then waits for on_writable(id). The other way, an
// owner whose consumer of received messages falls behind stops reading a
// peer with SetReadPaused(id, true) (TCP flow control then slows the peer);
// WatchFd() lets it wait for its own output descriptor in the same loop.
//
// Peers. A configured peer is told apart by (remote address, remote port,
// local address), so one loop runs any number of sessions to one router
// from different source addresses. A connection accepted from an address
// goes to the configured peer of that address whose local address is the
// one it arrived on (or that has none). Timers are kept in a heap: a step
// costs O(log n) in the number of peers, not O(n).
//
// Connection collisions (RFC 4271 §6.8) are resolved by the peer's
// PeerConnections (bgpy/collision.h; the rules are there): the loop runs
// the TCP connection of each of its two slots and calls Resolve() after
// every input. While two connections exist, on_event receives the events of
// BOTH Sessions under the same PeerId, each in its own order: the loser's
// StateChanged events come too (it ends with NotificationSent or
// NotificationReceived Cease/7 and a StateChanged away from OpenSent,
// OpenConfirm or Established), so an owner tracking the state from
// StateChanged alone sees them interleaved; session(id) always names the
// Session of the connection that the loop considers the peer's (the
// survivor once resolved) and connection(id) tells which one that is.
#ifndef BGPY_POSIX_TRANSPORT_H_
#define BGPY_POSIX_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bgpy/collision.h"
#include "bgpy/errors.h"
#include "bgpy/negotiate.h"
#include "bgpy/session.h"
#include "bgpy/types.h"

namespace bgpy {
namespace posix {

// Names a peer of one EventLoop; never reused. 0 is never a valid id.
using PeerId = uint32_t;

inline constexpr uint16_t kBgpPort =
    179;  // RFC 4271 §2: BGP listens on TCP port 179
// RFC 2385 §4.1 leaves the key length open; Linux takes at most 80 octets.
inline constexpr size_t kMaxMd5KeyLength = 80;

// "127.0.0.1:179", "[::1]:179".
std::string FormatEndpoint(const IpAddress& address, uint16_t port);

struct PeerConfig {
  IpAddress address;  // the peer's address
  uint16_t port = kBgpPort;
  // Source address (and port, 0 = any) to bind before connecting.
  std::optional<IpAddress> local_address;
  uint16_t local_port = 0;

  // The session; session.passive (RFC 4271 §8.1.1 PassiveTcpEstablishment)
  // makes the loop wait for the peer to connect (through Listen()).
  SessionConfig session;

  // IP_TTL / IPV6_UNICAST_HOPS of outgoing segments; 0 = system default.
  // Multihop eBGP sets e.g. 64; GTSM (RFC 5082 §3) sends with 255.
  int ttl = 0;
  // GTSM (RFC 5082 §3): drop segments arriving with a TTL / hop limit below
  // this (IP_MINTTL / IPV6_MINHOPCOUNT); 0 = off. 255 = directly connected.
  int min_ttl = 0;
  // TCP MD5 signature key (RFC 2385), bound to `address`; empty = none. Also
  // installed on every listener of the same family.
  std::string md5_password;

  // SO_SNDBUF / SO_RCVBUF of the connection; 0 = system default (the
  // kernel doubles the value and applies its minimum). A small send buffer
  // makes back-pressure reach the owner sooner.
  int send_buffer_size = 0;
  int receive_buffer_size = 0;

  // An outgoing connection not up after this is abandoned (the Session
  // retries after ConnectRetry).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
};

struct ListenConfig {
  IpAddress address;         // 0.0.0.0 or :: for any (:: also takes IPv4)
  uint16_t port = kBgpPort;  // 0 = a free port (Listen() returns it)
  // Extra MD5 keys (RFC 2385) by peer address, for peers created through
  // `accept_any`; configured peers' keys are installed automatically.
  std::vector<std::pair<IpAddress, std::string>> md5_keys;
  // MD5 keys (RFC 2385) for every peer inside a prefix: TCP_MD5SIG_EXT with
  // TCP_MD5SIG_FLAG_PREFIX (Linux >= 4.13) on the listening socket, so the
  // kernel drops an unsigned or wrongly signed SYN from inside the prefix
  // before accept(). 0.0.0.0/0 or ::/0 covers every peer of the family; an
  // IPv4 prefix on an IPv6 listener covers the v4-mapped peers. Where
  // prefixes overlap, the kernel uses the longest match.
  std::vector<std::pair<Prefix, std::string>> md5_prefix_keys;
  // GTSM (RFC 5082 §3) on the listening socket, inherited by every accepted
  // connection: `ttl` is the TTL / hop limit of what we send (SYN-ACK
  // included; GTSM sends 255) and segments arriving with a TTL below
  // `min_ttl` are dropped (IP_MINTTL / IPV6_MINHOPCOUNT; an IPv6 listener
  // sets both, for v4-mapped peers). 0 = system default / off. Peers created
  // through `accept_any` whose PeerConfig leaves them 0 get these values.
  int ttl = 0;
  int min_ttl = 0;

  // Access control, checked right after accept(), before anything is sent:
  // a refused connection is closed at once (no BGP message) and reported
  // through EventLoop::on_refused.
  //  - Only sources inside one of `allow` are accepted (empty: any). This
  //    applies to configured peers too.
  std::vector<Prefix> allow;
  //  - At most this many connections at once from one source address to
  //    peers created through `accept_any` (0: no limit).
  int max_connections_per_source = 0;

  // A connection from an address with no configured peer is accepted only
  // when `accept_any` is set: `factory(remote address, remote port)` gives
  // its PeerConfig (std::nullopt refuses it). Such a peer is passive and is
  // removed once its connection closes.
  bool accept_any = false;
  std::function<std::optional<PeerConfig>(const IpAddress&, uint16_t)> factory;
};

struct LoopOptions {
  // Bound on flushing output (a NOTIFICATION) before closing on
  // WantsClose(), and on the whole graceful shutdown.
  std::chrono::milliseconds close_grace{std::chrono::seconds(2)};
  // Sent with Cease/Administrative Shutdown on Shutdown()/RequestStop()
  // (RFC 9003 shutdown communication; empty = none).
  std::string shutdown_text = "bgpy shutting down";
  // Bytes read per recv() call.
  size_t read_buffer_size = size_t{1} << 16;
  // recv() calls per connection each time it is readable (at least 1): the
  // most input one loop step feeds a Session is read_buffer_size times
  // this. An owner that pauses peers (SetReadPaused) decides after each
  // step, so fewer reads make its pause take hold sooner.
  int reads_per_wakeup = 16;
};

// Why a listener closed an accepted connection (EventLoop::on_refused).
enum class Refusal {
  kNotAllowed,   // the source is outside ListenConfig::allow
  kSourceLimit,  // ListenConfig::max_connections_per_source reached
  kNoPeer,       // no configured peer takes it and accept_any is off
  kFactory,      // ListenConfig::factory returned std::nullopt
  kError,        // the peer could not be created, or the loop is stopping
  // The process is out of descriptors (EMFILE / ENFILE): the loop accepts
  // with a descriptor it keeps in reserve and closes the connection at once,
  // rather than leave it pending and the listener ready for ever.
  kNoDescriptors,
};
const char* RefusalName(Refusal r);  // "not allowed", "per-source limit", ...

// Per-peer counters of the transport.
struct PeerStats {
  uint64_t connects = 0;  // connections that came up (either direction)
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  // Connection collisions resolved by closing one connection (RFC 4271
  // §6.8).
  uint64_t collisions = 0;
};

// The peer's current TCP connection.
struct ConnectionInfo {
  IpAddress local_address;
  uint16_t local_port = 0;
  IpAddress remote_address;
  uint16_t remote_port = 0;
  bool inbound = false;  // accepted (the peer initiated it)
};

class EventLoop {
 public:
  explicit EventLoop(LoopOptions options = {});
  ~EventLoop();  // closes every socket without sending anything
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // kInternal if epoll or eventfd could not be created (the loop is unusable
  // then; every call fails with this Status).
  const absl::Status& init_status() const { return init_status_; }

  // Every Session event, in order. The callbacks may call any method of the
  // loop (AddPeer, QueueUpdate, StopPeer, RemovePeer, ...).
  std::function<void(PeerId, const SessionEvent&)> on_event;
  // An OS error on a peer's connection ("connect to 127.0.0.2:179:
  // Connection refused"); the Session has been told (OnConnectFailed /
  // OnClosed) and retries by its own timers.
  std::function<void(PeerId, const absl::Status&)> on_error;
  // The peer's output backlog drained completely while Established: the
  // owner may queue more UPDATEs.
  std::function<void(PeerId)> on_writable;
  // A peer was created for an accepted connection (ListenConfig::accept_any).
  std::function<void(PeerId, const IpAddress&, uint16_t)> on_accept;
  // A listener closed an accepted connection from (address, port) without
  // sending anything. Called from inside the accept, once per connection.
  std::function<void(const IpAddress&, uint16_t, Refusal)> on_refused;

  // Adds a peer and starts its Session (ManualStart, RFC 4271 §8.1.2 event
  // 1 or 4); an active peer connects right away. kInvalidArgument for a bad
  // SessionConfig, an MD5 key over 80 octets, a local address of another
  // family; kAlreadyExists for a second peer with the same (address, port,
  // local address).
  absl::StatusOr<PeerId> AddPeer(PeerConfig config);
  // Closes the peer's connection at once (nothing sent) and forgets it.
  void RemovePeer(PeerId id);
  // ManualStop (event 2): sends Cease/`subcode` with `text` if connected,
  // flushes and closes. The peer stays known (Idle) until RemovePeer().
  void StopPeer(PeerId id,
                CeaseSubcode subcode = CeaseSubcode::kAdministrativeShutdown,
                absl::string_view text = "");

  // Opens a listening socket; returns the bound port (useful with port 0).
  // Errors name the address: "bind 127.0.0.1:1179: Address already in use",
  // "TCP_MD5SIG on 127.0.0.2: Operation not permitted".
  absl::StatusOr<uint16_t> Listen(ListenConfig config);

  // nullptr if unknown. The owner may call its const methods at any time;
  // for mutations use the methods below, which also write the output.
  Session* session(PeerId id);
  // The same without marking the peer for servicing: safe to call from
  // inside the loop's own calls (e.g. from a RouteSource the session is
  // pulling from), as for PendingOutput().
  const Session* session(PeerId id) const;
  const PeerConfig* peer_config(PeerId id) const;
  const PeerStats* stats(PeerId id) const;
  std::vector<PeerId> peers() const;
  // The peer's connection (the one session(id) runs on): std::nullopt when
  // unknown, not connected or still connecting.
  std::optional<ConnectionInfo> connection(PeerId id) const;
  // Open or connecting TCP connections of the peer: 0, 1, or 2 while a
  // collision is being resolved.
  int connection_count(PeerId id) const;

  // Session::QueueUpdate / QueueEndOfRib at the loop's clock, then writes
  // what the socket takes. kNotFound for an unknown peer.
  absl::Status QueueUpdate(PeerId id, absl::Span<const uint8_t> bytes);
  absl::Status QueueEndOfRib(PeerId id, Family family);
  // Session::SetRouteSource / PullRoutes at the loop's clock, then writes
  // what the socket takes. The session pulls from `source` whenever the
  // socket drains, building UPDATEs straight into its output.
  absl::Status SetRouteSource(PeerId id, RouteSource* source);
  absl::Status PullRoutes(PeerId id);

  // Input back-pressure, for an owner whose consumer of the peer's messages
  // (e.g. a slow stdout) falls behind. While paused the loop does not poll
  // the peer's connections for input, so the kernel's receive buffer fills
  // and TCP flow control slows the peer down; writes (KEEPALIVEs, UPDATEs,
  // NOTIFICATIONs), timers, connects and accepts go on as before. The
  // silence is ours, not the peer's, so the Hold timer must not see it:
  // whenever one of a paused peer's timers falls due, the loop first reads
  // up to one more whole message from the connection (the kernel holds it
  // if the peer is alive), which restarts the Hold timer as any message
  // does (RFC 4271 §4.4); a peer that really went silent has nothing to read
  // and its Hold timer expires as usual. So a paused peer still yields at
  // most one message per timer expiry (at least every hold time / 3, the
  // keepalive interval). An error or hang-up on the socket is still
  // handled. kNotFound for an unknown peer; a paused peer stays paused
  // across reconnects until resumed.
  absl::Status SetReadPaused(PeerId id, bool paused);
  bool read_paused(PeerId id) const;

  // Watches a descriptor the loop does not own (e.g. stdout for EPOLLOUT):
  // `on_ready(events)` is called from inside RunOnce() with the epoll
  // events (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP) that are ready. `events`
  // is the epoll interest; 0 stops polling the descriptor (which stays
  // known until UnwatchFd). Calling again for the same descriptor replaces
  // the interest and the callback. The callback may call WatchFd and
  // UnwatchFd. Errors: kInvalidArgument for a negative descriptor, kInternal
  // if epoll refuses it (a regular file, which is always ready).
  absl::Status WatchFd(int fd, uint32_t events,
                       std::function<void(uint32_t)> on_ready);
  // Sets only the interest of a watched descriptor (no-op if unknown).
  absl::Status SetWatchEvents(int fd, uint32_t events);
  // Forgets the descriptor (does not close it).
  void UnwatchFd(int fd);

  // Waits for I/O or timers at most `timeout` (zero = poll) and handles
  // everything ready. Returns kCancelled once a stop was requested (after
  // the graceful shutdown), kInternal if epoll_wait fails.
  absl::Status RunOnce(Duration timeout);
  // Runs until `until` (forever when std::nullopt) or until a stop is
  // requested; a requested stop shuts down gracefully and returns OK.
  absl::Status Run(std::optional<Instant> until = std::nullopt);
  // Runs until `done()` is true (checked after every step) or `timeout`
  // passes; true if done. For tests and scripted tools.
  bool RunUntil(const std::function<bool()>& done, Duration timeout);

  // Async-signal-safe and thread-safe: makes Run()/RunOnce() shut down.
  void RequestStop();
  bool stop_requested() const { return stopping_; }
  // Blocks `signals` in the calling thread and delivers them through a
  // signalfd: any of them makes the loop shut down gracefully.
  absl::Status CatchSignals(std::initializer_list<int> signals);

  // Stops every Session (Cease/Administrative Shutdown with
  // options.shutdown_text), flushes NOTIFICATIONs for at most
  // options.close_grace, closes every connection and listener. Called from
  // a callback, it only requests the stop (as RequestStop() does).
  void Shutdown();

  // The loop's clock (steady_clock).
  static Instant Now() { return std::chrono::steady_clock::now(); }

 private:
  struct Peer;
  struct Listener;
  struct HeapEntry {
    Instant at;
    PeerId id;
    uint32_t generation;
    bool operator>(const HeapEntry& o) const { return at > o.at; }
  };

  Peer* Find(PeerId id);
  const Peer* Find(PeerId id) const;
  void MarkDirty(Peer& p);
  absl::StatusOr<PeerId> CreatePeer(PeerConfig config, bool dynamic,
                                    Instant now);
  void ForgetKey(const Peer& p);
  // Delivers the peer's events, writes, closes, connects as its Sessions
  // ask, and resolves collisions.
  void Service(Peer& p, Instant now);
  bool ProcessDirty(Instant now);  // false if work is left over

  // Connections (connection.cc), by slot of the peer's PeerConnections.
  void Register(Peer& p, int slot);
  void UpdateInterest(Peer& p, int slot);
  void CloseFd(Peer& p, int slot);
  void StartConnect(Peer& p, int slot, Instant now);
  void FinishConnect(Peer& p, int slot, Instant now);
  void ConnectFailed(Peer& p, int slot, const absl::Status& error, Instant now);
  // Hands an accepted `fd` to the peer (PeerConnections::Accept); closes it
  // if refused.
  void Adopt(Peer& p, int fd, Instant now);
  void ServiceConnection(Peer& p, int slot, Instant now);
  void HandleReadable(Peer& p, int slot, Instant now);
  bool Flush(Peer& p, int slot, Instant now);  // false: connection gone
  void CloseConnection(Peer& p, int slot, Instant now, bool graceful);
  void DropConnection(Peer& p, int slot, const absl::Status& error,
                      Instant now);
  void Deliver(Peer& p, int slot);

  // Listening (listener.cc).
  void Accept(Listener& l, Instant now);
  void Refuse(int fd, const IpAddress& remote, uint16_t port, Refusal why);
  Peer* FindConfigured(const IpAddress& remote, const IpAddress& local);

  // Timers: a min-heap of (deadline, peer) with stale entries skipped.
  std::optional<Instant> PeerDeadline(const Peer& p) const;
  void Schedule(Peer& p);
  std::optional<Instant> EarliestDeadline();
  void FireTimers(Instant now);
  void FirePeerTimers(Peer& p, Instant now);

  // Reads a paused peer's connection until one more message has been
  // received, or nothing is left to read (see SetReadPaused).
  void ReadOneMessage(Peer& p, int slot, Instant now);

  struct FdWatch {
    uint32_t events = 0;  // the interest registered with epoll (0: none)
    std::function<void(uint32_t)> on_ready;
  };

  void CollectGarbage();
  void DrainWakeups();
  absl::Status Step(Duration timeout);

  LoopOptions options_;
  absl::Status init_status_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;    // eventfd for RequestStop()
  int signal_fd_ = -1;  // signalfd from CatchSignals()
  // Kept open so that a connection can still be accepted (and closed) when
  // the process is out of descriptors (Refusal::kNoDescriptors).
  int spare_fd_ = -1;
  PeerId next_id_ = 1;
  uint32_t next_conn_serial_ = 1;
  absl::flat_hash_map<PeerId, std::unique_ptr<Peer>> peers_;
  // Configured peers by (remote address, remote port, local address), and
  // by remote address alone for accepting.
  absl::flat_hash_map<std::tuple<IpAddress, uint16_t, IpAddress>, PeerId>
      by_key_;
  absl::flat_hash_map<IpAddress, std::vector<PeerId>> by_address_;
  // Peers created through accept_any, by source address, while they live
  // (ListenConfig::max_connections_per_source).
  absl::flat_hash_map<IpAddress, int> accepted_per_source_;
  std::vector<PeerId> dirty_;      // peers to Service()
  std::vector<HeapEntry> timers_;  // std::push_heap with std::greater
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<uint8_t> read_buf_;
  absl::flat_hash_map<int, FdWatch> watches_;
  bool garbage_ = false;       // removed peers to erase
  bool stop_pending_ = false;  // RequestStop() or a signal arrived
  bool stopping_ = false;
  bool shut_down_ = false;
  bool in_step_ = false;
};

}  // namespace posix
}  // namespace bgpy

#endif  // BGPY_POSIX_TRANSPORT_H_
