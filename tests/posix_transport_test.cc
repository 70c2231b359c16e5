// Copyright 2026 The bgpy Authors.
//
// The POSIX transport over loopback sockets (127.0.0.0/8, unprivileged
// ports chosen by the kernel). Every wait is bounded.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace posix {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

IpAddress Addr(absl::string_view text) { return *IpAddress::Parse(text); }

ListenConfig ListenAt(absl::string_view address, uint16_t port) {
  ListenConfig c;
  c.address = Addr(address);
  c.port = port;
  return c;
}

// A port bound on 127.0.0.1 but not listening: connecting to it is refused.
// The socket stays open (so the port stays taken) until destruction.
class BoundPort {
 public:
  BoundPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0x7f000001);
    sin.sin_port = 0;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) == 0) {
      socklen_t len = sizeof(sin);
      getsockname(fd_, reinterpret_cast<sockaddr*>(&sin), &len);
      port_ = ntohs(sin.sin_port);
    }
  }
  ~BoundPort() { close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Whether this kernel lets us set TCP_MD5SIG; the reason if not.
std::optional<std::string> Md5Unavailable() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  tcp_md5sig sig{};
  auto* sin = reinterpret_cast<sockaddr_in*>(&sig.tcpm_addr);
  sin->sin_family = AF_INET;
  sin->sin_addr.s_addr = htonl(0x7f000002);
  sig.tcpm_keylen = 3;
  std::memcpy(sig.tcpm_key, "abc", 3);
  int rc = setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig));
  int err = errno;
  close(fd);
  if (rc == 0) return std::nullopt;
  if (err == EPERM || err == ENOPROTOOPT || err == EACCES)
    return absl::StrCat("TCP_MD5SIG not available here: ", std::strerror(err));
  return std::nullopt;
}

SessionConfig Config(uint32_t as, uint32_t peer_as, uint32_t id, bool passive) {
  SessionConfig c;
  c.local_as = as;
  c.peer_as = peer_as;
  c.router_id = id;
  c.passive = passive;
  c.hold_time = 30;
  c.connect_retry = seconds(1);
  c.seed = id;
  return c;
}

// What one loop saw, per peer.
struct Seen {
  std::map<PeerId, SessionState> state;
  std::map<PeerId, std::set<Prefix>> prefixes;
  std::map<PeerId, int> updates;
  std::map<PeerId, int> end_of_rib;
  std::map<PeerId, std::vector<NotificationReceived>> notifications;
  std::map<PeerId, std::vector<absl::Status>> errors;
  std::map<PeerId, int> writable;
};

void Watch(EventLoop& loop, Seen& seen) {
  loop.on_event = [&loop, &seen](PeerId id, const SessionEvent& ev) {
    if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      seen.state[id] = sc->to;
    } else if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (m->type != MessageType::kUpdate) return;
      Session* s = loop.session(id);
      ASSERT_NE(s, nullptr);
      auto view = UpdateView::Parse(m->bytes, s->recv_params());
      ASSERT_TRUE(view.ok()) << view.status();
      if (view->end_of_rib()) return;
      ++seen.updates[id];
      for (const NlriEntryView& e : view->nlri())
        seen.prefixes[id].insert(IpPrefixOf(Afi::kIpv4, e.bytes));
    } else if (std::holds_alternative<EndOfRib>(ev)) {
      ++seen.end_of_rib[id];
    } else if (const auto* n = std::get_if<NotificationReceived>(&ev)) {
      seen.notifications[id].push_back(*n);
    }
  };
  loop.on_error = [&seen](PeerId id, const absl::Status& st) {
    seen.errors[id].push_back(st);
  };
  loop.on_writable = [&seen](PeerId id) { ++seen.writable[id]; };
}

// Announces `count` /32 routes from 10.0.0.0 on `id`, then End-of-RIB,
// honouring back-pressure: Pump() queues until kResourceExhausted and is
// called again from on_writable.
class Injector {
 public:
  Injector(EventLoop& loop, PeerId id, int count)
      : loop_(loop), id_(id), count_(count) {}

  void Pump() {
    Session* s = loop_.session(id_);
    if (s == nullptr || s->state() != SessionState::kEstablished || done_)
      return;
    if (!builder_) {
      builder_.emplace(s->send_params());
      PathAttributes attrs;
      attrs.origin = Origin::kIgp;
      attrs.as_path = AsPath{{{AsSegmentType::kSequence, {65001}}}};
      attrs.next_hop = Addr("127.0.0.2");
      ASSERT_TRUE(builder_->SetAttributes(attrs, kIpv4Unicast).ok());
    }
    while (true) {
      if (pending_.empty()) {
        if (next_ == count_) {
          if (builder_->pending() == 0) {
            ASSERT_TRUE(loop_.QueueEndOfRib(id_, kIpv4Unicast).ok());
            done_ = true;
            return;
          }
          builder_->Flush(pending_);
        } else {
          Prefix p = *Prefix::Parse("10.0.0.0/32")->Advance(next_);
          if (builder_->Announce(p)) {
            ++next_;
            continue;
          }
          builder_->Flush(pending_);
        }
      }
      absl::Status st = loop_.QueueUpdate(id_, pending_);
      if (absl::IsResourceExhausted(st)) {
        ++exhausted_;
        return;  // wait for on_writable
      }
      ASSERT_TRUE(st.ok()) << st;
      ++messages_;
      pending_.clear();
    }
  }
  bool done() const { return done_; }
  int messages() const { return messages_; }
  int exhausted() const { return exhausted_; }

 private:
  EventLoop& loop_;
  PeerId id_;
  int count_;
  int next_ = 0;
  std::optional<UpdateBuilder> builder_;
  std::vector<uint8_t> pending_;
  bool done_ = false;
  int messages_ = 0;
  int exhausted_ = 0;
};

// One loop: a passive peer behind a listener on 127.0.0.1 and an active
// peer connecting from 127.0.0.2.
struct Pair {
  EventLoop loop;
  Seen seen;
  PeerId passive = 0;  // on 127.0.0.1, expects 127.0.0.2
  PeerId active = 0;   // from 127.0.0.2 to 127.0.0.1
  uint16_t port = 0;

  absl::Status Setup(const std::string& passive_key,
                     const std::string& active_key,
                     size_t backlog = size_t{1} << 20, int buffers = 0) {
    Watch(loop, seen);
    PeerConfig b;
    b.address = Addr("127.0.0.2");
    b.session = Config(65002, 65001, 0x0a000002, /*passive=*/true);
    b.md5_password = passive_key;
    b.receive_buffer_size = buffers;
    BGPY_ASSIGN_OR_RETURN(passive, loop.AddPeer(b));
    BGPY_ASSIGN_OR_RETURN(port, loop.Listen(ListenAt("127.0.0.1", 0)));
    PeerConfig a;
    a.address = Addr("127.0.0.1");
    a.port = port;
    a.local_address = Addr("127.0.0.2");
    a.session = Config(65001, 65002, 0x0a000001, /*passive=*/false);
    a.session.max_output_backlog = backlog;
    a.md5_password = active_key;
    a.send_buffer_size = buffers;
    a.connect_timeout = milliseconds(500);  // below ConnectRetry (1 s)
    BGPY_ASSIGN_OR_RETURN(active, loop.AddPeer(a));
    return absl::OkStatus();
  }
  bool Established() {
    return seen.state[passive] == SessionState::kEstablished &&
           seen.state[active] == SessionState::kEstablished;
  }
};

TEST(PosixTransportTest, FormatEndpoint) {
  EXPECT_EQ(FormatEndpoint(Addr("127.0.0.2"), 179), "127.0.0.2:179");
  EXPECT_EQ(FormatEndpoint(Addr("::1"), 1179), "[::1]:1179");
}

TEST(PosixTransportTest, TwoSessionsExchangeRoutes) {
  Pair p;
  ASSERT_TRUE(p.Setup("", "").ok());
  ASSERT_TRUE(p.loop.RunUntil([&] { return p.Established(); }, seconds(10)));
  const Negotiated* n = p.loop.session(p.active)->negotiated();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->peer_as, 65002u);
  EXPECT_EQ(n->hold_time, 30);

  Injector inj(p.loop, p.active, 1000);
  p.loop.on_writable = [&](PeerId id) {
    ++p.seen.writable[id];
    if (id == p.active) inj.Pump();
  };
  inj.Pump();
  ASSERT_TRUE(p.loop.RunUntil([&] { return p.seen.end_of_rib[p.passive] == 1; },
                              seconds(10)));
  EXPECT_TRUE(inj.done());
  EXPECT_EQ(p.seen.prefixes[p.passive].size(), 1000u);
  EXPECT_EQ(*p.seen.prefixes[p.passive].begin(), *Prefix::Parse("10.0.0.0/32"));
  EXPECT_EQ(*p.seen.prefixes[p.passive].rbegin(),
            *Prefix::Parse("10.0.3.231/32"));
  EXPECT_EQ(p.seen.updates[p.passive], inj.messages());
  // 1000 /32s need 5 octets each: two 4096-octet UPDATEs.
  EXPECT_EQ(inj.messages(), 2);
  EXPECT_TRUE(p.seen.prefixes[p.active].empty());
  EXPECT_TRUE(p.seen.errors.empty());
  EXPECT_EQ(p.loop.stats(p.active)->connects, 1u);
  EXPECT_EQ(p.loop.stats(p.passive)->connects, 1u);
  EXPECT_EQ(p.loop.stats(p.active)->bytes_sent,
            p.loop.stats(p.passive)->bytes_received);
}

TEST(PosixTransportTest, BackPressureDeliversEveryRoute) {
  constexpr int kRoutes = 200000;
  Pair p;
  // Small socket buffers and a 16 KiB backlog: the owner must wait.
  ASSERT_TRUE(p.Setup("", "", /*backlog=*/16384, /*buffers=*/8192).ok());
  ASSERT_TRUE(p.loop.RunUntil([&] { return p.Established(); }, seconds(10)));
  Injector inj(p.loop, p.active, kRoutes);
  p.loop.on_writable = [&](PeerId id) {
    ++p.seen.writable[id];
    if (id == p.active) inj.Pump();
  };
  inj.Pump();
  ASSERT_TRUE(p.loop.RunUntil([&] { return p.seen.end_of_rib[p.passive] == 1; },
                              seconds(10)));
  EXPECT_EQ(p.seen.prefixes[p.passive].size(), static_cast<size_t>(kRoutes));
  EXPECT_EQ(p.seen.updates[p.passive], inj.messages());
  // The 16 KiB backlog refused UPDATEs and the loop asked for more.
  EXPECT_GT(inj.exhausted(), 0);
  EXPECT_GT(p.seen.writable[p.active], 0);
}

TEST(PosixTransportTest, Md5SameKeyEstablishes) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  Pair p;
  absl::Status st = p.Setup("s3cret-key", "s3cret-key");
  ASSERT_TRUE(st.ok()) << st;
  ASSERT_TRUE(p.loop.RunUntil([&] { return p.Established(); }, seconds(10)));
  EXPECT_TRUE(p.seen.errors.empty());
}

TEST(PosixTransportTest, Md5MismatchDoesNotEstablish) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  Pair p;
  absl::Status st = p.Setup("key-one", "key-two");
  ASSERT_TRUE(st.ok()) << st;
  // The kernel drops the SYNs with a wrong signature: nothing comes up.
  EXPECT_FALSE(p.loop.RunUntil(
      [&] {
        return p.seen.state[p.passive] == SessionState::kOpenSent ||
               p.seen.state[p.passive] == SessionState::kEstablished;
      },
      seconds(3)));
  EXPECT_NE(p.loop.session(p.active)->state(), SessionState::kEstablished);
  EXPECT_EQ(p.loop.stats(p.passive)->connects, 0u);
  EXPECT_EQ(p.loop.stats(p.active)->connects, 0u);
  // The unanswered SYNs end in the connect timeout (500 ms), named.
  ASSERT_FALSE(p.seen.errors[p.active].empty());
  EXPECT_EQ(p.seen.errors[p.active].front().message(),
            absl::StrCat("connect to 127.0.0.1:", p.port,
                         ": timed out after 500 ms"));
  EXPECT_EQ(p.seen.errors[p.active].front().code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST(PosixTransportTest, ConnectionRefusedNamesTheAddress) {
  BoundPort closed;
  ASSERT_NE(closed.port(), 0);
  EventLoop loop;
  Seen seen;
  Watch(loop, seen);
  PeerConfig c;
  c.address = Addr("127.0.0.1");
  c.port = closed.port();
  c.session = Config(65001, 65002, 0x0a000001, false);
  auto id = loop.AddPeer(c);
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(
      loop.RunUntil([&] { return !seen.errors[*id].empty(); }, seconds(10)));
  const absl::Status& st = seen.errors[*id].front();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(st.message(), absl::StrCat("connect to 127.0.0.1:", closed.port(),
                                       ": Connection refused"));
  // The Session was told and waits for ConnectRetry.
  EXPECT_EQ(loop.session(*id)->state(), SessionState::kActive);
}

TEST(PosixTransportTest, AddressInUseNamesTheAddress) {
  EventLoop first;
  auto port = first.Listen(ListenAt("127.0.0.1", 0));
  ASSERT_TRUE(port.ok()) << port.status();

  EventLoop second;
  auto again = second.Listen(ListenAt("127.0.0.1", *port));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(),
            absl::StrCat("bind 127.0.0.1:", *port, ": Address already in use"));

  // The same through an active peer's source port.
  Seen seen;
  Watch(second, seen);
  PeerConfig c;
  c.address = Addr("127.0.0.3");
  c.local_address = Addr("127.0.0.1");
  c.local_port = *port;
  c.session = Config(65001, 65002, 0x0a000001, false);
  auto id = second.AddPeer(c);
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(
      second.RunUntil([&] { return !seen.errors[*id].empty(); }, seconds(10)));
  EXPECT_EQ(seen.errors[*id].front().message(),
            absl::StrCat("bind 127.0.0.1:", *port, ": Address already in use"));
}

TEST(PosixTransportTest, BadConfigurationIsRefused) {
  EventLoop loop;
  PeerConfig c;
  c.address = Addr("127.0.0.1");
  c.session = Config(65001, 65002, 0x0a000001, false);
  c.md5_password = std::string(81, 'k');
  EXPECT_EQ(loop.AddPeer(c).status().code(),
            absl::StatusCode::kInvalidArgument);
  c.md5_password = "";
  c.local_address = Addr("::1");
  EXPECT_EQ(loop.AddPeer(c).status().code(),
            absl::StatusCode::kInvalidArgument);
  c.local_address.reset();
  ASSERT_TRUE(loop.AddPeer(c).ok());
  EXPECT_EQ(loop.AddPeer(c).status().code(), absl::StatusCode::kAlreadyExists);
  c.address = Addr("127.0.0.9");
  c.session.router_id = 0;
  EXPECT_FALSE(loop.AddPeer(c).ok());
}

TEST(PosixTransportTest, StopPeerSendsAdministrativeShutdown) {
  Pair p;
  ASSERT_TRUE(p.Setup("", "").ok());
  ASSERT_TRUE(p.loop.RunUntil([&] { return p.Established(); }, seconds(10)));
  p.loop.StopPeer(p.active, CeaseSubcode::kAdministrativeShutdown,
                  "maintenance window");
  ASSERT_TRUE(p.loop.RunUntil(
      [&] { return !p.seen.notifications[p.passive].empty(); }, seconds(10)));
  const NotificationReceived& n = p.seen.notifications[p.passive].front();
  EXPECT_EQ(n.notification.code, 6);     // Cease
  EXPECT_EQ(n.notification.subcode, 2);  // Administrative Shutdown
  EXPECT_EQ(n.shutdown_text, "maintenance window");
  ASSERT_TRUE(p.loop.RunUntil(
      [&] {
        return p.seen.state[p.passive] != SessionState::kEstablished &&
               !p.loop.session(p.active)->connected() &&
               !p.loop.session(p.passive)->connected();
      },
      seconds(10)));
  EXPECT_EQ(p.loop.session(p.active)->state(), SessionState::kIdle);
}

// Two loops (one per side) so that one can shut down while the other
// watches. Shutdown is triggered by a signal through CatchSignals().
TEST(PosixTransportTest, SignalShutsDownWithCease) {
  EventLoop server;
  Seen server_seen;
  Watch(server, server_seen);
  PeerConfig b;
  b.address = Addr("127.0.0.2");
  b.session = Config(65002, 65001, 0x0a000002, true);
  auto passive = server.AddPeer(b);
  ASSERT_TRUE(passive.ok());
  auto port = server.Listen(ListenAt("127.0.0.1", 0));
  ASSERT_TRUE(port.ok()) << port.status();

  LoopOptions options;
  options.shutdown_text = "bye for now";
  EventLoop client(options);
  Seen client_seen;
  Watch(client, client_seen);
  PeerConfig a;
  a.address = Addr("127.0.0.1");
  a.port = *port;
  a.local_address = Addr("127.0.0.2");
  a.session = Config(65001, 65002, 0x0a000001, false);
  auto active = client.AddPeer(a);
  ASSERT_TRUE(active.ok());

  auto run_both = [&](auto done) {
    const Instant deadline = EventLoop::Now() + seconds(10);
    while (!done() && EventLoop::Now() < deadline) {
      (void)server.RunOnce(milliseconds(1));
      (void)client.RunOnce(milliseconds(1));
    }
    return done();
  };
  ASSERT_TRUE(run_both([&] {
    return server_seen.state[*passive] == SessionState::kEstablished &&
           client_seen.state[*active] == SessionState::kEstablished;
  }));

  ASSERT_TRUE(client.CatchSignals({SIGUSR1}).ok());
  ASSERT_EQ(raise(SIGUSR1), 0);  // blocked: pending until the signalfd reads it
  absl::Status st = client.RunOnce(milliseconds(100));
  EXPECT_TRUE(absl::IsCancelled(st)) << st;
  EXPECT_TRUE(client.stop_requested());
  EXPECT_EQ(client.session(*active)->state(), SessionState::kIdle);
  EXPECT_FALSE(client.session(*active)->connected());

  ASSERT_TRUE(
      run_both([&] { return !server_seen.notifications[*passive].empty(); }));
  const NotificationReceived& n = server_seen.notifications[*passive].front();
  EXPECT_EQ(n.notification.code, 6);
  EXPECT_EQ(n.notification.subcode, 2);
  EXPECT_EQ(n.shutdown_text, "bye for now");
  EXPECT_TRUE(absl::IsCancelled(client.RunOnce(milliseconds(0))));
}

// IPv6 on ::1, one loop per side (both peers have the address ::1).
TEST(PosixTransportTest, Ipv6LoopbackEstablishes) {
  EventLoop server;
  Seen server_seen;
  Watch(server, server_seen);
  PeerConfig b;
  b.address = Addr("::1");
  b.session = Config(65002, 65001, 0x0a000002, true);
  b.min_ttl = 255;  // GTSM (RFC 5082): directly connected only
  auto passive = server.AddPeer(b);
  ASSERT_TRUE(passive.ok()) << passive.status();
  auto port = server.Listen(ListenAt("::1", 0));
  if (!port.ok() && absl::StrContains(port.status().message(),
                                      "Cannot assign requested address"))
    GTEST_SKIP() << "no IPv6 loopback here: " << port.status();
  ASSERT_TRUE(port.ok()) << port.status();

  EventLoop client;
  Seen client_seen;
  Watch(client, client_seen);
  PeerConfig a;
  a.address = Addr("::1");
  a.port = *port;
  a.local_address = Addr("::1");
  a.ttl = 255;
  a.session = Config(65001, 65002, 0x0a000001, false);
  auto active = client.AddPeer(a);
  ASSERT_TRUE(active.ok()) << active.status();
  const Instant deadline = EventLoop::Now() + seconds(10);
  auto up = [&] {
    return server_seen.state[*passive] == SessionState::kEstablished &&
           client_seen.state[*active] == SessionState::kEstablished;
  };
  while (!up() && EventLoop::Now() < deadline) {
    (void)server.RunOnce(milliseconds(1));
    (void)client.RunOnce(milliseconds(1));
  }
  ASSERT_TRUE(up());
  EXPECT_TRUE(server_seen.errors.empty());
  EXPECT_TRUE(client_seen.errors.empty());
}

// accept_any: a connection from an unconfigured address gets a peer from
// the factory; it is forgotten when the connection ends.
TEST(PosixTransportTest, AcceptAnyCreatesPeers) {
  EventLoop loop;
  Seen seen;
  Watch(loop, seen);
  std::vector<IpAddress> asked;
  PeerId accepted = 0;
  loop.on_accept = [&](PeerId id, const IpAddress& from, uint16_t) {
    accepted = id;
    EXPECT_EQ(from, Addr("127.0.0.5"));
  };
  ListenConfig lc = ListenAt("127.0.0.1", 0);
  lc.accept_any = true;
  lc.factory = [&](const IpAddress& from,
                   uint16_t) -> std::optional<PeerConfig> {
    asked.push_back(from);
    PeerConfig c;
    c.session = Config(65002, 0, 0x0a000002, true);
    return c;
  };
  auto port = loop.Listen(lc);
  ASSERT_TRUE(port.ok()) << port.status();
  PeerConfig a;
  a.address = Addr("127.0.0.1");
  a.port = *port;
  a.local_address = Addr("127.0.0.5");
  a.session = Config(65001, 65002, 0x0a000001, false);
  auto active = loop.AddPeer(a);
  ASSERT_TRUE(active.ok());
  ASSERT_TRUE(loop.RunUntil(
      [&] {
        return accepted != 0 &&
               seen.state[accepted] == SessionState::kEstablished &&
               seen.state[*active] == SessionState::kEstablished;
      },
      seconds(10)));
  EXPECT_THAT(asked, ::testing::ElementsAre(Addr("127.0.0.5")));
  ASSERT_NE(loop.session(accepted), nullptr);
  EXPECT_EQ(loop.session(accepted)->negotiated()->peer_as, 65001u);

  loop.StopPeer(*active);
  ASSERT_TRUE(loop.RunUntil([&] { return loop.session(accepted) == nullptr; },
                            seconds(10)));
  EXPECT_THAT(loop.peers(), ::testing::ElementsAre(*active));
}

// Connection collision (RFC 4271 §6.8): two loops, each listening and
// each with an active peer toward the other, connect at the same time.
// Both connections come up; both sides keep the one opened by the speaker
// with the higher BGP identifier and close the other with Cease/7.
struct CollisionSide {
  EventLoop loop;
  PeerId peer = 0;
  uint16_t port = 0;
  std::vector<Notification> sent;
  std::vector<Notification> received;
  int to_idle = 0;  // StateChanged events to Idle (the loser's end)

  void Watch() {
    loop.on_event = [this](PeerId, const SessionEvent& ev) {
      if (const auto* s = std::get_if<NotificationSent>(&ev)) {
        sent.push_back(s->notification);
      } else if (const auto* r = std::get_if<NotificationReceived>(&ev)) {
        received.push_back(r->notification);
      } else if (const auto* sc = std::get_if<StateChanged>(&ev)) {
        if (sc->to == SessionState::kIdle) ++to_idle;
      }
    };
  }
  bool Established() {
    Session* s = loop.session(peer);
    return s != nullptr && s->state() == SessionState::kEstablished &&
           loop.connection_count(peer) == 1;
  }
};

void RunCollision(uint32_t id_a, uint32_t id_b) {
  SCOPED_TRACE(absl::StrCat("id_a=", id_a, " id_b=", id_b));
  CollisionSide a, b;  // a on 127.0.0.1, b on 127.0.0.2
  a.Watch();
  b.Watch();
  auto port_a = a.loop.Listen(ListenAt("127.0.0.1", 0));
  ASSERT_TRUE(port_a.ok()) << port_a.status();
  auto port_b = b.loop.Listen(ListenAt("127.0.0.2", 0));
  ASSERT_TRUE(port_b.ok()) << port_b.status();

  // ConnectRetry far beyond the test: only the collision handling can bring
  // the sessions up, on the first two connections.
  PeerConfig to_b;
  to_b.address = Addr("127.0.0.2");
  to_b.port = *port_b;
  to_b.local_address = Addr("127.0.0.1");
  to_b.session = Config(65001, 65002, id_a, /*passive=*/false);
  to_b.session.connect_retry = seconds(60);
  PeerConfig to_a;
  to_a.address = Addr("127.0.0.1");
  to_a.port = *port_a;
  to_a.local_address = Addr("127.0.0.2");
  to_a.session = Config(65002, 65001, id_b, /*passive=*/false);
  to_a.session.connect_retry = seconds(60);
  auto peer_a = a.loop.AddPeer(to_b);
  ASSERT_TRUE(peer_a.ok()) << peer_a.status();
  auto peer_b = b.loop.AddPeer(to_a);
  ASSERT_TRUE(peer_b.ok()) << peer_b.status();
  a.peer = *peer_a;
  b.peer = *peer_b;

  auto run_both = [&](auto done, Duration limit) {
    const Instant deadline = EventLoop::Now() + limit;
    while (!done() && EventLoop::Now() < deadline) {
      (void)a.loop.RunOnce(milliseconds(1));
      (void)b.loop.RunOnce(milliseconds(1));
    }
    return done();
  };
  // Both connect before either accepts: a collision on each side.
  ASSERT_TRUE(a.loop.RunOnce(milliseconds(0)).ok());
  ASSERT_TRUE(b.loop.RunOnce(milliseconds(0)).ok());
  ASSERT_TRUE(run_both([&] { return a.Established() && b.Established(); },
                       seconds(10)));

  // Exactly the two colliding connections came up, and one is left.
  EXPECT_EQ(a.loop.stats(a.peer)->connects, 2u);
  EXPECT_EQ(b.loop.stats(b.peer)->connects, 2u);
  EXPECT_EQ(a.loop.connection_count(a.peer), 1);
  EXPECT_EQ(b.loop.connection_count(b.peer), 1);
  EXPECT_GE(a.loop.stats(a.peer)->collisions + b.loop.stats(b.peer)->collisions,
            1u);

  // Both sides are on the same TCP connection...
  auto ca = a.loop.connection(a.peer);
  auto cb = b.loop.connection(b.peer);
  ASSERT_TRUE(ca.has_value());
  ASSERT_TRUE(cb.has_value());
  EXPECT_EQ(ca->local_address, Addr("127.0.0.1"));
  EXPECT_EQ(ca->remote_address, Addr("127.0.0.2"));
  EXPECT_EQ(ca->local_address, cb->remote_address);
  EXPECT_EQ(ca->local_port, cb->remote_port);
  EXPECT_EQ(ca->remote_address, cb->local_address);
  EXPECT_EQ(ca->remote_port, cb->local_port);
  EXPECT_NE(ca->inbound, cb->inbound);
  // ...the one opened by the higher BGP identifier.
  EXPECT_EQ(ca->inbound, id_b > id_a);
  if (id_a > id_b) {
    EXPECT_EQ(cb->local_port, *port_b);
  } else {
    EXPECT_EQ(ca->local_port, *port_a);
  }

  // The loser was closed with Cease/Connection Collision Resolution (6/7),
  // sent by at least one side (the other may have seen it, or just the
  // close); no other NOTIFICATION was exchanged.
  EXPECT_GE(a.sent.size() + b.sent.size(), 1u);
  for (const auto* list : {&a.sent, &b.sent, &a.received, &b.received}) {
    for (const Notification& n : *list) {
      EXPECT_EQ(n.code, 6);
      EXPECT_EQ(n.subcode, 7);
    }
  }
  EXPECT_EQ(a.to_idle, static_cast<int>(a.sent.size() + a.received.size()));
  EXPECT_EQ(b.to_idle, static_cast<int>(b.sent.size() + b.received.size()));

  // A third connection while Established is refused: closed at once, and
  // the session stays up on its connection.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  from.sin_addr.s_addr = htonl(0x7f000002);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)), 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(0x7f000001);
  to.sin_port = htons(*port_a);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
  bool closed = false;
  ASSERT_TRUE(run_both(
      [&] {
        uint8_t byte;
        ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
        closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
        return closed || n > 0;
      },
      seconds(10)));
  close(fd);
  EXPECT_TRUE(closed);  // nothing was sent on it
  EXPECT_TRUE(a.Established());
  EXPECT_EQ(a.loop.connection(a.peer)->local_port, ca->local_port);
  EXPECT_EQ(a.loop.stats(a.peer)->connects, 2u);
}

TEST(PosixTransportTest, CollisionKeepsConnectionOfHigherIdOnA) {
  RunCollision(/*id_a=*/0x0a000009, /*id_b=*/0x0a000001);
}

TEST(PosixTransportTest, CollisionKeepsConnectionOfHigherIdOnB) {
  RunCollision(/*id_a=*/0x0a000001, /*id_b=*/0x0a000009);
}

}  // namespace
}  // namespace posix
}  // namespace bgpy
