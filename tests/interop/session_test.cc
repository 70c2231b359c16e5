// Copyright 2026 The bgpy Authors.
//
// Interop (issue 3): a bgpy session (bgpy::posix::EventLoop) establishes with
// real BGP daemons started by the test: BIRD 2 and GoBGP, each with its own
// configuration on 127.0.10.0/24 and free ports, stopped afterwards. Checks
// the negotiated capabilities, sends 1,000 routes and End-of-RIB and asks
// the daemon's CLI how many it holds, decodes the daemon's own routes, and
// ends with an administrative Cease the daemon reports.
//
// Addresses (unique to this file): bgpy 127.0.10.1; BIRD 127.0.10.2 (BIRD
// passive) and 127.0.10.3 (BIRD active); GoBGP 127.0.10.4.
//
// Labelled `interop` (ctest -L interop). A missing daemon skips the test
// with a message naming the package; with CI=true it fails instead.
//
// Quirks met:
// - BIRD 2.0.12 binds its listening socket to `local` only with
//   `strict bind on`; loopback peers need `multihop`. It keeps routes whose
//   127.x next hop it cannot resolve (they count in `show route count`).
// - BIRD waits `connect delay time` (default 5 s) before its first connect
//   (`start delay time` is deprecated in 2.0.12).
// - BIRD cannot send IPv6 routes over an IPv4 session without `next hop
//   address` in the ipv6 channel ("Missing next hop address").
// - GoBGP (and FRR) reject next hops in 127.0.0.0/8 as martians: routes
//   sent to GoBGP use 192.0.2.1 (RFC 5737), a value only.
// - GoBGP 3.10 has no extended message (RFC 8654) and, unless configured,
//   no graceful restart and no enhanced route refresh; its CLI slows it down
//   while it loads routes, so the test polls every 500 ms.
#include "bgpy/session.h"

#include <signal.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"
#include "bgpy/posix/transport.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interop/daemons.h"

namespace bgpy {
namespace interop {
namespace {

using posix::EventLoop;
using posix::PeerConfig;
using posix::PeerId;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr char kBgpyAddress[] = "127.0.10.1";
constexpr uint32_t kBgpyAs = 65001;
constexpr uint32_t kDaemonAs = 65002;
constexpr int kRoutes = 1000;

IpAddress Addr(absl::string_view text) { return *IpAddress::Parse(text); }

// Everything one peer of the loop saw.
struct Recorder {
  SessionState state = SessionState::kIdle;
  std::vector<SessionState> states;
  std::map<Family, std::set<Prefix>> prefixes;
  std::set<Family> end_of_rib;
  std::vector<NotificationReceived> notifications_received;
  std::vector<NotificationSent> notifications_sent;
  std::vector<std::string> errors;
  std::vector<std::string> decode_errors;
};

void Record(EventLoop& loop, std::map<PeerId, Recorder>& seen) {
  loop.on_event = [&loop, &seen](PeerId id, const SessionEvent& ev) {
    Recorder& r = seen[id];
    if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      r.state = sc->to;
      r.states.push_back(sc->to);
    } else if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (m->type != MessageType::kUpdate) return;
      Session* s = loop.session(id);
      if (s == nullptr) return;
      auto view = UpdateView::Parse(m->bytes, s->recv_params());
      if (!view.ok()) {
        r.decode_errors.push_back(std::string(view.status().message()));
        return;
      }
      for (const NlriEntryView& e : view->nlri())
        r.prefixes[kIpv4Unicast].insert(IpPrefixOf(Afi::kIpv4, e.bytes));
      if (auto mp = view->mp_reach_nlri()) {
        Family f = mp->family();
        if (f == kIpv4Unicast || f == kIpv6Unicast) {
          for (const NlriEntryView& e : *mp)
            r.prefixes[f].insert(IpPrefixOf(f.afi, e.bytes));
        }
      }
    } else if (const auto* eor = std::get_if<EndOfRib>(&ev)) {
      r.end_of_rib.insert(eor->family);
    } else if (const auto* n = std::get_if<NotificationReceived>(&ev)) {
      r.notifications_received.push_back(*n);
    } else if (const auto* n = std::get_if<NotificationSent>(&ev)) {
      r.notifications_sent.push_back(*n);
    }
  };
  loop.on_error = [&seen](PeerId id, const absl::Status& st) {
    seen[id].errors.push_back(st.ToString());
  };
}

// Announces `count` IPv4 /32 routes from `first` with next hop `next_hop`,
// then End-of-RIB, as fast as the transport drains: Pump() queues until
// kResourceExhausted and is called again from on_writable.
class Injector {
 public:
  Injector(EventLoop& loop, PeerId id, int count, absl::string_view first,
           absl::string_view next_hop)
      : loop_(loop),
        id_(id),
        count_(count),
        first_(*Prefix::Parse(first)),
        next_hop_(Addr(next_hop)) {}

  void Pump() {
    Session* s = loop_.session(id_);
    if (s == nullptr || s->state() != SessionState::kEstablished || done_ ||
        !error_.ok())
      return;
    if (!builder_) {
      builder_.emplace(s->send_params());
      PathAttributes attrs;
      attrs.origin = Origin::kIgp;
      attrs.as_path = AsPath{{{AsSegmentType::kSequence, {kBgpyAs}}}};
      attrs.next_hop = next_hop_;
      error_ = builder_->SetAttributes(attrs, kIpv4Unicast);
      if (!error_.ok()) return;
      if (s->negotiated() != nullptr &&
          s->negotiated()->AddPathSend(kIpv4Unicast))
        path_id_ = 1;  // RFC 7911: one path per prefix, identifier 1
    }
    while (true) {
      if (pending_.empty()) {
        if (next_ == count_) {
          if (builder_->pending() == 0) {
            error_ = loop_.QueueEndOfRib(id_, kIpv4Unicast);
            done_ = true;
            return;
          }
          builder_->Flush(pending_);
        } else {
          Prefix p = *first_.Advance(next_);
          if (builder_->Announce(p, path_id_)) {
            ++next_;
            continue;
          }
          builder_->Flush(pending_);
        }
      }
      absl::Status st = loop_.QueueUpdate(id_, pending_);
      if (absl::IsResourceExhausted(st)) return;  // wait for on_writable
      if (!st.ok()) {
        error_ = st;
        return;
      }
      ++messages_;
      pending_.clear();
    }
  }
  bool done() const { return done_; }
  int messages() const { return messages_; }
  const absl::Status& error() const { return error_; }

 private:
  EventLoop& loop_;
  PeerId id_;
  int count_;
  Prefix first_;
  IpAddress next_hop_;
  int next_ = 0;
  std::optional<uint32_t> path_id_;
  std::optional<UpdateBuilder> builder_;
  std::vector<uint8_t> pending_;
  bool done_ = false;
  int messages_ = 0;
  absl::Status error_;
};

SessionConfig BgpySession(bool passive) {
  SessionConfig c;
  c.local_as = kBgpyAs;
  c.peer_as = kDaemonAs;
  c.router_id = 0x0a000a01;  // 10.0.10.1
  c.hold_time = 90;
  c.passive = passive;
  c.connect_retry = seconds(1);
  c.connect_retry_max = seconds(2);
  c.families = {kIpv4Unicast, kIpv6Unicast};
  c.route_refresh = true;
  c.enhanced_route_refresh = true;
  c.extended_message = true;
  GracefulRestartCapability gr;
  gr.restart_time = 120;
  gr.entries = {{kIpv4Unicast, 0}, {kIpv6Unicast, 0}};
  c.graceful_restart = gr;
  return c;
}

// "Total: 1000 of 1003 routes for 1003 networks in 2 tables" -> 1000 (BIRD
// `show route protocol P count`).
std::optional<int> BirdTotal(absl::string_view out) {
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (!absl::ConsumePrefix(&line, "Total: ")) continue;
    std::vector<absl::string_view> words = absl::StrSplit(line, ' ');
    int n;
    if (!words.empty() && absl::SimpleAtoi(words[0], &n)) return n;
  }
  return std::nullopt;
}

// "Destination: 1000, Path: 1000" -> 1000 (gobgp global rib summary).
std::optional<int> GobgpDestinations(absl::string_view out) {
  size_t at = out.find("Destination: ");
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = out.substr(at + 13);
  rest = rest.substr(0, rest.find(','));
  int n;
  if (!absl::SimpleAtoi(rest, &n)) return std::nullopt;
  return n;
}

// Polls the daemon's CLI (rarely: every 500 ms) while the loop runs, until
// `parse(output)` gives `want` or `timeout` passes; returns the last value.
std::optional<int> PollCount(EventLoop& loop, Daemon& d,
                             const std::vector<std::string>& cli,
                             std::optional<int> (*parse)(absl::string_view),
                             int want, milliseconds timeout,
                             std::string* last_output) {
  std::optional<int> last;
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    loop.RunUntil([] { return false; }, milliseconds(500));
    absl::StatusOr<std::string> out = d.Cli(cli);
    if (!out.ok()) {
      *last_output = std::string(out.status().message());
      continue;
    }
    *last_output = *out;
    last = parse(*out);
    if (last == want) break;
  }
  return last;
}

std::set<Prefix> Prefixes(std::initializer_list<const char*> texts) {
  std::set<Prefix> s;
  for (const char* t : texts) s.insert(*Prefix::Parse(t));
  return s;
}

// --- BIRD 2
// ------------------------------------------------------------------

DaemonSpec BirdSpec(absl::string_view address, uint16_t bgpy_port,
                    bool passive) {
  DaemonSpec spec;
  spec.local_address = std::string(address);
  spec.local_as = kDaemonAs;
  spec.extended_message = true;
  spec.originate = {"203.0.113.0/24", "198.51.100.0/24", "192.0.2.128/25",
                    "2001:db8:10::/48"};
  NeighborSpec n;
  n.address = kBgpyAddress;
  n.as = kBgpyAs;
  n.port = bgpy_port;
  n.passive = passive;
  n.families = {"ipv4-unicast", "ipv6-unicast"};
  spec.neighbors.push_back(n);
  return spec;
}

// What BIRD 2.0.12 negotiates with BgpySession() and BirdSpec().
void ExpectBirdNegotiated(const Negotiated& n) {
  EXPECT_EQ(n.peer_as, kDaemonAs);
  EXPECT_FALSE(n.ibgp);
  EXPECT_TRUE(n.four_octet_as);
  EXPECT_TRUE(n.HasFamily(kIpv4Unicast));
  EXPECT_TRUE(n.HasFamily(kIpv6Unicast));
  EXPECT_TRUE(n.route_refresh);
  EXPECT_TRUE(n.enhanced_route_refresh);
  EXPECT_TRUE(n.extended_message);
  EXPECT_EQ(n.send_params.max_message_size(), 65535u);  // RFC 8654 §2
  // BIRD is "graceful restart aware" by default: it sends capability 64.
  EXPECT_TRUE(n.graceful_restart);
  EXPECT_TRUE(n.peer_graceful_restart.has_value());
  EXPECT_TRUE(n.add_path.empty());
  EXPECT_EQ(n.hold_time, 90);
  EXPECT_EQ(n.keepalive_time, 30);
}

// Sends kRoutes routes, checks BIRD holds them, checks BIRD's own routes
// arrived, then stops with a Cease BIRD reports.
void ExchangeWithBird(EventLoop& loop, std::map<PeerId, Recorder>& seen,
                      PeerId id, Daemon& bird) {
  Injector inj(loop, id, kRoutes, "10.10.0.0/32", kBgpyAddress);
  loop.on_writable = [&](PeerId p) {
    if (p == id) inj.Pump();
  };
  inj.Pump();
  ASSERT_TRUE(loop.RunUntil([&] { return inj.done() || !inj.error().ok(); },
                            seconds(10)));
  ASSERT_TRUE(inj.error().ok()) << inj.error();
  // Extended message: 1,000 /32s (5 octets each) fit one UPDATE of 64 KB.
  EXPECT_EQ(inj.messages(), 1);

  std::string out;
  std::optional<int> count =
      PollCount(loop, bird, {"show", "route", "protocol", "peer1", "count"},
                &BirdTotal, kRoutes, seconds(15), &out);
  EXPECT_EQ(count, kRoutes) << out;

  // BIRD's static routes, with its own address as next hop (eBGP).
  Recorder& r = seen[id];
  ASSERT_TRUE(loop.RunUntil(
      [&] {
        return r.prefixes[kIpv4Unicast].size() >= 3 &&
               !r.prefixes[kIpv6Unicast].empty();
      },
      seconds(10)))
      << bird.LogTail();
  EXPECT_EQ(r.prefixes[kIpv4Unicast],
            Prefixes({"203.0.113.0/24", "198.51.100.0/24", "192.0.2.128/25"}));
  EXPECT_EQ(r.prefixes[kIpv6Unicast], Prefixes({"2001:db8:10::/48"}));
  EXPECT_TRUE(r.decode_errors.empty()) << r.decode_errors[0];
  EXPECT_EQ(loop.session(id)->state(), SessionState::kEstablished);

  // Administrative stop: the Cease (RFC 9003 text included) reaches BIRD.
  loop.StopPeer(id, CeaseSubcode::kAdministrativeShutdown, "interop done");
  ASSERT_TRUE(loop.RunUntil([&] { return !loop.session(id)->connected(); },
                            seconds(5)));
  ASSERT_EQ(r.notifications_sent.size(), 1u);
  EXPECT_EQ(r.notifications_sent[0].notification.code,
            static_cast<uint8_t>(ErrorCode::kCease));
  EXPECT_EQ(r.notifications_sent[0].notification.subcode,
            static_cast<uint8_t>(CeaseSubcode::kAdministrativeShutdown));
  ASSERT_TRUE(WaitFor(
      [&] {
        absl::StatusOr<std::string> o =
            bird.Cli({"show", "protocols", "all", "peer1"});
        out = o.ok() ? *o : std::string(o.status().message());
        return absl::StrContains(out, "Administrative shutdown");
      },
      milliseconds(5000), milliseconds(250)))
      << out;
  EXPECT_THAT(out, HasSubstr("interop done"));
}

class InteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A peer that closes while we write must not kill the test.
    signal(SIGPIPE, SIG_IGN);
  }
};

// BIRD waits (passive on 127.0.10.2, strict bind); bgpy connects.
TEST_F(InteropTest, BirdPassiveBgpyConnects) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  auto bird = Daemon::Start(DaemonKind::kBird,
                            BirdSpec("127.0.10.2", 179, /*passive=*/true));
  ASSERT_TRUE(bird.ok()) << bird.status();

  EventLoop loop;
  ASSERT_TRUE(loop.init_status().ok()) << loop.init_status();
  std::map<PeerId, Recorder> seen;
  Record(loop, seen);
  PeerConfig pc;
  pc.address = Addr("127.0.10.2");
  pc.port = (*bird)->port();
  pc.local_address = Addr(kBgpyAddress);
  pc.ttl = 2;  // multihop, as BIRD is configured
  pc.session = BgpySession(/*passive=*/false);
  pc.connect_timeout = milliseconds(900);
  auto id = loop.AddPeer(pc);
  ASSERT_TRUE(id.ok()) << id.status();

  ASSERT_TRUE(loop.RunUntil(
      [&] { return seen[*id].state == SessionState::kEstablished; },
      seconds(15)))
      << "state " << SessionStateName(seen[*id].state) << "\n"
      << (*bird)->LogTail();
  const Negotiated* n = loop.session(*id)->negotiated();
  ASSERT_NE(n, nullptr);
  ExpectBirdNegotiated(*n);
  EXPECT_EQ(n->peer_id, 0x7f000a02u);  // router id = its address

  auto proto = (*bird)->Cli({"show", "protocols", "peer1"});
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_THAT(*proto, HasSubstr("Established"));

  ExchangeWithBird(loop, seen, *id, **bird);
}

// bgpy waits (listening on 127.0.10.1); BIRD on 127.0.10.3 connects.
TEST_F(InteropTest, BirdConnectsToPassiveBgpy) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  EventLoop loop;
  ASSERT_TRUE(loop.init_status().ok()) << loop.init_status();
  std::map<PeerId, Recorder> seen;
  Record(loop, seen);
  posix::ListenConfig lc;
  lc.address = Addr(kBgpyAddress);
  lc.port = 0;
  auto port = loop.Listen(lc);
  ASSERT_TRUE(port.ok()) << port.status();
  PeerConfig pc;
  pc.address = Addr("127.0.10.3");
  pc.ttl = 2;
  pc.session = BgpySession(/*passive=*/true);
  auto id = loop.AddPeer(pc);
  ASSERT_TRUE(id.ok()) << id.status();

  auto bird = Daemon::Start(DaemonKind::kBird,
                            BirdSpec("127.0.10.3", *port, /*passive=*/false));
  ASSERT_TRUE(bird.ok()) << bird.status();
  // BIRD's first connect comes after its `connect delay time` (1 s here).
  ASSERT_TRUE(loop.RunUntil(
      [&] { return seen[*id].state == SessionState::kEstablished; },
      seconds(15)))
      << "state " << SessionStateName(seen[*id].state) << "\n"
      << (*bird)->LogTail();
  const Negotiated* n = loop.session(*id)->negotiated();
  ASSERT_NE(n, nullptr);
  ExpectBirdNegotiated(*n);
  EXPECT_EQ(n->peer_id, 0x7f000a03u);

  ExchangeWithBird(loop, seen, *id, **bird);
}

// --- GoBGP
// ------------------------------------------------------------------

// gobgpd on 127.0.10.4 waits (passive-mode); bgpy connects with ADD-PATH.
TEST_F(InteropTest, GobgpEstablishesAndTakesRoutes) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  DaemonSpec spec;
  spec.local_address = "127.0.10.4";
  spec.local_as = kDaemonAs;
  spec.originate = {"203.0.113.0/24", "198.51.100.0/24"};
  NeighborSpec nb;
  nb.address = kBgpyAddress;
  nb.as = kBgpyAs;
  nb.passive = true;
  nb.families = {"ipv4-unicast", "ipv6-unicast"};
  nb.add_path_send = true;
  nb.add_path_receive = true;
  spec.neighbors.push_back(nb);
  auto gobgp = Daemon::Start(DaemonKind::kGobgp, spec);
  ASSERT_TRUE(gobgp.ok()) << gobgp.status();

  EventLoop loop;
  ASSERT_TRUE(loop.init_status().ok()) << loop.init_status();
  std::map<PeerId, Recorder> seen;
  Record(loop, seen);
  PeerConfig pc;
  pc.address = Addr("127.0.10.4");
  pc.port = (*gobgp)->port();
  pc.local_address = Addr(kBgpyAddress);
  pc.ttl = 2;
  pc.session = BgpySession(/*passive=*/false);
  pc.session.add_path = {{kIpv4Unicast, /*send=*/true, /*receive=*/true}};
  pc.connect_timeout = milliseconds(900);
  auto id = loop.AddPeer(pc);
  ASSERT_TRUE(id.ok()) << id.status();

  ASSERT_TRUE(loop.RunUntil(
      [&] { return seen[*id].state == SessionState::kEstablished; },
      seconds(15)))
      << "state " << SessionStateName(seen[*id].state) << "\n"
      << (*gobgp)->LogTail();
  const Negotiated* n = loop.session(*id)->negotiated();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->peer_as, kDaemonAs);
  EXPECT_EQ(n->peer_id, 0x7f000a04u);
  EXPECT_TRUE(n->four_octet_as);
  EXPECT_TRUE(n->HasFamily(kIpv4Unicast));
  EXPECT_TRUE(n->HasFamily(kIpv6Unicast));
  EXPECT_TRUE(n->route_refresh);
  // GoBGP 3.10 implements no extended message (RFC 8654) and offers
  // neither (unconfigured) graceful restart nor enhanced route refresh.
  EXPECT_FALSE(n->extended_message);
  // We must not send more than 4096 octets (RFC 8654 §4); what we accept
  // stays as we offered it.
  EXPECT_EQ(n->send_params.max_message_size(), 4096u);
  EXPECT_FALSE(n->graceful_restart);
  EXPECT_FALSE(n->enhanced_route_refresh);
  EXPECT_TRUE(n->AddPathSend(kIpv4Unicast));
  EXPECT_TRUE(n->AddPathReceive(kIpv4Unicast));
  EXPECT_FALSE(n->AddPathSend(kIpv6Unicast));
  EXPECT_EQ(n->hold_time, 90);

  // 1,000 routes with a documentation next hop (GoBGP drops 127/8 ones).
  Injector inj(loop, *id, kRoutes, "10.20.0.0/32", "192.0.2.1");
  loop.on_writable = [&](PeerId p) {
    if (p == *id) inj.Pump();
  };
  inj.Pump();
  ASSERT_TRUE(loop.RunUntil([&] { return inj.done() || !inj.error().ok(); },
                            seconds(10)));
  ASSERT_TRUE(inj.error().ok()) << inj.error();
  // 1,000 /32s with path identifiers (9 octets each) need 3 UPDATEs of at
  // most 4096 octets.
  EXPECT_EQ(inj.messages(), 3);

  // The global RIB holds our 1,000 plus GoBGP's own 2.
  std::string out;
  std::optional<int> count =
      PollCount(loop, **gobgp, {"global", "rib", "summary", "-a", "ipv4"},
                &GobgpDestinations, kRoutes + 2, seconds(15), &out);
  EXPECT_EQ(count, kRoutes + 2) << out;
  auto adj = (*gobgp)->Cli(
      {"neighbor", kBgpyAddress, "adj-in", "-a", "ipv4", "10.20.3.231/32"});
  ASSERT_TRUE(adj.ok()) << adj.status();
  EXPECT_THAT(*adj, HasSubstr("192.0.2.1"));

  // GoBGP's routes arrive with path identifiers (ADD-PATH receive).
  Recorder& r = seen[*id];
  ASSERT_TRUE(loop.RunUntil(
      [&] { return r.prefixes[kIpv4Unicast].size() >= 2; }, seconds(10)));
  EXPECT_EQ(r.prefixes[kIpv4Unicast],
            Prefixes({"203.0.113.0/24", "198.51.100.0/24"}));
  EXPECT_TRUE(r.decode_errors.empty()) << r.decode_errors[0];

  // Administrative stop: GoBGP sees the Cease and drops to Active/Idle.
  loop.StopPeer(*id, CeaseSubcode::kAdministrativeShutdown, "interop done");
  ASSERT_TRUE(loop.RunUntil([&] { return !loop.session(*id)->connected(); },
                            seconds(5)));
  ASSERT_TRUE(WaitFor(
      [&] {
        absl::StatusOr<std::string> o = (*gobgp)->Cli({"neighbor"});
        out = o.ok() ? *o : std::string(o.status().message());
        return o.ok() && !absl::StrContains(out, "Establ");
      },
      milliseconds(5000), milliseconds(250)))
      << out;
  EXPECT_TRUE((*gobgp)->Running()) << (*gobgp)->LogTail();
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
