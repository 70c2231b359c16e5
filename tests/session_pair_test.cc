// Copyright 2026 The bgpy Authors.
//
// Two Sessions back to back in memory on a fake clock (testlib/session_pair).
#include "testlib/session_pair.h"

#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/collision.h"
#include "bgpy/session.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::SessionPair;
using std::chrono::milliseconds;
using std::chrono::seconds;

SessionConfig ConfigA() {
  SessionConfig c;
  c.local_as = 65001;
  c.peer_as = 65002;
  c.router_id = 0x0a000001;
  c.seed = 1;
  return c;
}
SessionConfig ConfigB() {
  SessionConfig c;
  c.local_as = 65002;
  c.peer_as = 65001;
  c.router_id = 0x0a000002;
  c.passive = true;
  c.seed = 2;
  return c;
}

bool BothEstablished(SessionPair& p) {
  return p.a().state() == SessionState::kEstablished &&
         p.b().state() == SessionState::kEstablished;
}

template <typename T>
std::vector<T> EventsOf(const std::vector<SessionEvent>& events) {
  std::vector<T> out;
  for (const auto& e : events)
    if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
  return out;
}

TEST(SessionPairTest, Establishes) {
  for (auto [delay, chunk] :
       std::vector<std::pair<Duration, size_t>>{{Duration{}, 0},
                                                {milliseconds(25), 0},
                                                {milliseconds(3), 1},
                                                {milliseconds(40), 7}}) {
    SCOPED_TRACE(absl::StrCat("delay ", delay.count(), " chunk ", chunk));
    SessionConfig a = ConfigA();
    a.extended_message = true;
    a.families = {kIpv4Unicast, kIpv6Unicast};
    a.add_path = {{.family = kIpv6Unicast, .send = true, .receive = true}};
    SessionConfig b = ConfigB();
    b.extended_message = true;
    b.families = {kIpv6Unicast};
    b.add_path = {{.family = kIpv6Unicast, .send = false, .receive = true}};
    SessionPair p(a, b, {.delay = delay, .chunk = chunk});
    p.StartBoth();
    ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
    EXPECT_EQ(p.connections(), 1);
    const Negotiated* na = p.a().negotiated();
    const Negotiated* nb = p.b().negotiated();
    ASSERT_NE(na, nullptr);
    ASSERT_NE(nb, nullptr);
    EXPECT_EQ(na->peer_as, 65002u);
    EXPECT_EQ(nb->peer_as, 65001u);
    EXPECT_EQ(na->hold_time, 90);
    EXPECT_EQ(na->keepalive_time, 30);
    EXPECT_THAT(na->families, ::testing::ElementsAre(kIpv6Unicast));
    EXPECT_THAT(nb->families, ::testing::ElementsAre(kIpv6Unicast));
    EXPECT_TRUE(na->extended_message);
    // ADD-PATH: a sends, b receives; not the other way.
    EXPECT_TRUE(na->AddPathSend(kIpv6Unicast));
    EXPECT_FALSE(na->AddPathReceive(kIpv6Unicast));
    EXPECT_TRUE(nb->AddPathReceive(kIpv6Unicast));
    EXPECT_TRUE(p.a().send_params().HasAddPath(kIpv6Unicast));
    EXPECT_TRUE(p.b().recv_params().HasAddPath(kIpv6Unicast));
    EXPECT_FALSE(p.b().send_params().HasAddPath(kIpv6Unicast));
    EXPECT_EQ(p.a().send_params().max_message_size(), 65535u);
  }
}

// Announces `count` /24s from 20.0.0.0 from `from` to the peer, packed by
// UpdateBuilder, honouring back-pressure; returns how often it was pushed
// back.
int Announce(SessionPair& p, bool from_a, int count) {
  Session& s = from_a ? p.a() : p.b();
  UpdateBuilder builder(s.send_params());
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{{{AsSegmentType::kSequence, {s.config().local_as}}}};
  attrs.next_hop = IpAddress::V4(0xc0000201);
  EXPECT_TRUE(builder.SetAttributes(attrs, kIpv4Unicast).ok());
  Prefix first = *Prefix::Parse("20.0.0.0/24");
  int pushbacks = 0;
  auto drain = [&](bool on) {
    if (from_a)
      p.DrainA(on);
    else
      p.DrainB(on);
  };
  drain(false);  // let the backlog build up
  auto queue = [&] {
    std::vector<uint8_t> msg;
    builder.Flush(msg);
    for (;;) {
      absl::Status st = s.QueueUpdate(msg, p.now());
      if (st.ok()) break;
      EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted) << st;
      if (st.code() != absl::StatusCode::kResourceExhausted) return;
      ++pushbacks;
      EXPECT_LE(s.PendingOutput().size(), s.config().max_output_backlog);
      drain(true);
      p.RunFor(milliseconds(1));
      drain(false);
    }
  };
  for (int i = 0; i < count; ++i) {
    Prefix pfx = *first.Advance(i);
    if (!builder.Announce(pfx)) {
      queue();
      EXPECT_TRUE(builder.Announce(pfx));
    }
  }
  if (builder.pending() != 0) queue();
  EXPECT_TRUE(s.QueueEndOfRib(kIpv4Unicast, p.now()).ok());
  drain(true);
  p.RunFor(seconds(1));
  return pushbacks;
}

// Every IPv4 prefix announced in `events`, and the End-of-RIB count.
std::vector<Prefix> Received(const std::vector<SessionEvent>& events,
                             const SessionParams& params, int* eor) {
  std::vector<Prefix> out;
  for (const auto& m : EventsOf<MessageReceived>(events)) {
    if (m.type != MessageType::kUpdate) continue;
    auto view = UpdateView::Parse(m.bytes, params);
    EXPECT_TRUE(view.ok()) << view.status();
    if (!view.ok()) continue;
    EXPECT_EQ(view->verdict(), Verdict::kOk);
    for (const NlriEntryView& e : view->nlri()) {
      auto pfx = DecodeIpPrefix(Afi::kIpv4, e.bytes);
      EXPECT_TRUE(pfx.ok());
      if (pfx.ok()) out.push_back(*pfx);
    }
  }
  *eor = static_cast<int>(EventsOf<EndOfRib>(events).size());
  return out;
}

TEST(SessionPairTest, Exchanges10kRoutesEachWay) {
  constexpr int kRoutes = 10000;
  SessionConfig a = ConfigA();
  a.max_output_backlog = 16 * 1024;
  SessionConfig b = ConfigB();
  b.max_output_backlog = 16 * 1024;
  SessionPair p(a, b, {.delay = milliseconds(10)});
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));

  EXPECT_GT(Announce(p, /*from_a=*/true, kRoutes), 0);
  EXPECT_GT(Announce(p, /*from_a=*/false, kRoutes), 0);
  ASSERT_TRUE(BothEstablished(p));

  Prefix first = *Prefix::Parse("20.0.0.0/24");
  for (bool at_b : {true, false}) {
    SCOPED_TRACE(at_b ? "received by b" : "received by a");
    int eor = 0;
    std::vector<Prefix> got =
        Received(at_b ? p.events_b() : p.events_a(),
                 at_b ? p.b().recv_params() : p.a().recv_params(), &eor);
    ASSERT_EQ(got.size(), static_cast<size_t>(kRoutes));
    for (int i = 0; i < kRoutes; ++i) ASSERT_EQ(got[i], *first.Advance(i)) << i;
    EXPECT_EQ(eor, 1);
  }
  // 10k /24s at 4 octets each pack into about 10 messages of 4096 octets.
  EXPECT_LT(p.a().messages_sent(), 30u);
}

TEST(SessionPairTest, StaysUpOnKeepalives) {
  SessionConfig a = ConfigA();
  a.hold_time = 9;
  SessionPair p(a, ConfigB(), {.delay = milliseconds(100)});
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
  p.RunFor(seconds(600));
  EXPECT_TRUE(BothEstablished(p));
  // Keepalive every 2.25..3 s for 600 s: about 200-270 each way.
  size_t keepalives = 0;
  for (const auto& m : EventsOf<MessageReceived>(p.events_b()))
    keepalives += m.type == MessageType::kKeepalive;
  EXPECT_GE(keepalives, 200u);
  EXPECT_LE(keepalives, 270u);
}

TEST(SessionPairTest, HoldTimerExpirySendsHoldTimerExpired) {
  SessionConfig a = ConfigA();
  a.hold_time = 9;
  SessionPair p(a, ConfigB());
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
  Instant silent_from = p.now();
  p.BlackholeFromA(true);
  ASSERT_TRUE(p.RunUntil([&] { return p.b().state() == SessionState::kIdle; },
                         seconds(60)));
  EXPECT_EQ(p.now(), silent_from + seconds(9));
  auto sent = EventsOf<NotificationSent>(p.events_b());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].notification.code, 4);
  EXPECT_EQ(sent[0].notification.subcode, 0);
  auto received = EventsOf<NotificationReceived>(p.events_a());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].notification.code, 4);
  EXPECT_EQ(p.a().state(), SessionState::kIdle);
  EXPECT_FALSE(p.link_up());
  // The last bytes b sent: NOTIFICATION 4/0.
  std::string tail =
      ::bgpy::testing::ToHex(p.sent_b())
          .substr(::bgpy::testing::ToHex(p.sent_b()).size() - 42);
  EXPECT_EQ(tail, "ffffffffffffffffffffffffffffffff0015030400");
}

TEST(SessionPairTest, AdministrativeStopDeliversText) {
  SessionPair p(ConfigA(), ConfigB(), {.delay = milliseconds(5)});
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
  p.a().Stop(p.now(), CeaseSubcode::kAdministrativeShutdown,
             "maintenance window");
  p.RunFor(seconds(1));
  auto received = EventsOf<NotificationReceived>(p.events_b());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].notification.code, 6);
  EXPECT_EQ(received[0].notification.subcode, 2);
  EXPECT_EQ(received[0].shutdown_text, "maintenance window");
  EXPECT_EQ(p.a().state(), SessionState::kIdle);
  EXPECT_EQ(p.b().state(), SessionState::kIdle);
  EXPECT_FALSE(p.link_up());
  // Stopped: no restart.
  EXPECT_FALSE(p.a().NextDeadline().has_value());
}

TEST(SessionPairTest, BadPeerAs) {
  SessionConfig b = ConfigB();
  b.peer_as = 65009;
  SessionPair p(ConfigA(), b);
  p.StartBoth();
  p.RunFor(seconds(1));
  auto sent = EventsOf<NotificationSent>(p.events_b());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].notification.code, 2);
  EXPECT_EQ(sent[0].notification.subcode, 2);
  auto received = EventsOf<NotificationReceived>(p.events_a());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].notification.subcode, 2);
  EXPECT_EQ(p.receive_status_b().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(GetNotification(p.receive_status_b()).has_value());
  EXPECT_EQ(GetNotification(p.receive_status_b())->subcode, 2);
}

TEST(SessionPairTest, RestartsAfterErrorWithIdleHold) {
  SessionConfig a = ConfigA();
  a.hold_time = 9;
  a.auto_restart = true;
  a.idle_hold = seconds(5);
  SessionConfig b = ConfigB();
  b.auto_restart = true;
  b.idle_hold = seconds(1);
  SessionPair p(a, b);
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
  p.BlackholeFromB(true);
  ASSERT_TRUE(p.RunUntil([&] { return p.a().state() == SessionState::kIdle; },
                         seconds(60)));
  p.BlackholeFromB(false);
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(60)));
  EXPECT_EQ(p.connections(), 2);
}

TEST(SessionPairTest, RouteRefreshRoundTrip) {
  SessionConfig a = ConfigA();
  a.enhanced_route_refresh = true;
  SessionConfig b = ConfigB();
  b.enhanced_route_refresh = true;
  SessionPair p(a, b);
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
  ASSERT_TRUE(p.a().negotiated()->enhanced_route_refresh);
  ASSERT_TRUE(p.a().SendRouteRefresh(kIpv4Unicast, p.now()).ok());
  ASSERT_TRUE(p.b()
                  .SendRouteRefresh(kIpv4Unicast, p.now(),
                                    RouteRefreshSubtype::kBeginOfRouteRefresh)
                  .ok());
  p.Pump();
  auto at_b = EventsOf<RouteRefreshReceived>(p.events_b());
  ASSERT_EQ(at_b.size(), 1u);
  EXPECT_EQ(at_b[0].subtype, 0);
  auto at_a = EventsOf<RouteRefreshReceived>(p.events_a());
  ASSERT_EQ(at_a.size(), 1u);
  EXPECT_EQ(at_a[0].subtype, 1);
}

}  // namespace
}  // namespace bgpy

namespace bgpy {
namespace {

// Generates `count` consecutive /32s for the session to pull.
class CountingSource : public RouteSource {
 public:
  CountingSource(Prefix first, int count) : first_(first), count_(count) {}
  Fill FillUpdate(UpdateBuilder& b) override {
    if (!attrs_set_) {
      PathAttributes attrs;
      attrs.origin = Origin::kIgp;
      attrs.as_path = AsPath{{{AsSegmentType::kSequence, {65001}}}};
      attrs.next_hop = IpAddress::V4(0xc0000201);
      EXPECT_TRUE(b.SetAttributes(attrs, kIpv4Unicast).ok());
      attrs_set_ = true;
    }
    ++calls_;
    while (next_ < count_) {
      if (!b.Announce(*first_.Advance(next_))) return Fill::kMore;
      ++next_;
    }
    return Fill::kDone;
  }
  int calls() const { return calls_; }

 private:
  Prefix first_;
  int count_;
  int next_ = 0;
  int calls_ = 0;
  bool attrs_set_ = false;
};

TEST(SessionPairTest, Pulls100kRoutesAsOutputDrains) {
  constexpr int kRoutes = 100000;
  SessionConfig a = ConfigA();
  a.max_output_backlog = 32 * 1024;
  SessionPair p(a, ConfigB(), {.delay = milliseconds(5)});
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));

  const Prefix first = *Prefix::Parse("10.0.0.0/32");
  CountingSource source(first, kRoutes);
  ASSERT_TRUE(p.a().SetRouteSource(&source, p.now()).ok());
  // The backlog never grows past the limit plus one message.
  EXPECT_LE(p.a().PendingOutput().size(), a.max_output_backlog + 4096);
  ASSERT_TRUE(
      p.RunUntil([&] { return !p.a().has_route_source(); }, seconds(60)));
  p.RunFor(seconds(1));

  int eor = 0;
  std::vector<Prefix> got = Received(p.events_b(), p.b().recv_params(), &eor);
  ASSERT_EQ(got.size(), static_cast<size_t>(kRoutes));
  for (int i = 0; i < kRoutes; i += 997) ASSERT_EQ(got[i], *first.Advance(i));
  EXPECT_EQ(got.back(), *first.Advance(kRoutes - 1));
  // Packed: (4096 - 23 - attributes) / 5 routes per message.
  const size_t per_message = (4096 - 23 - 20) / 5;
  EXPECT_LE(p.a().messages_sent(),
            1 + 2 + (kRoutes + per_message - 1) / per_message);
  EXPECT_GT(source.calls(), 10);  // pulled in rounds, not all at once
  EXPECT_TRUE(BothEstablished(p));
}

TEST(SessionPairTest, RouteSourceNeedsEstablished) {
  SessionPair p(ConfigA(), ConfigB());
  CountingSource source(*Prefix::Parse("10.0.0.0/32"), 10);
  EXPECT_EQ(p.a().SetRouteSource(&source, p.now()).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace bgpy

namespace bgpy {
namespace {

// Losing the connection in Established (RFC 4271 §8.2.2, event 18): both
// sides leave Established, routes in flight are lost, and with automatic
// restart the sessions come back on a new connection.
TEST(SessionPairTest, ConnectionLossAndRecovery) {
  SessionConfig a = ConfigA();
  a.auto_restart = true;
  a.idle_hold = seconds(1);
  SessionConfig b = ConfigB();
  b.auto_restart = true;
  b.idle_hold = seconds(1);
  SessionPair p(a, b, {.delay = milliseconds(20)});
  p.StartBoth();
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(5)));
  EXPECT_EQ(p.connections(), 1);

  // An UPDATE is on the wire when the link drops: it never arrives.
  UpdateBuilder builder(p.a().send_params());
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{{{AsSegmentType::kSequence, {65001}}}};
  attrs.next_hop = IpAddress::V4(0xc0000201);
  ASSERT_TRUE(builder.SetAttributes(attrs, kIpv4Unicast).ok());
  ASSERT_TRUE(builder.Announce(*Prefix::Parse("10.9.0.0/16")));
  std::vector<uint8_t> msg;
  builder.Flush(msg);
  ASSERT_TRUE(p.a().QueueUpdate(msg, p.now()).ok());
  p.RunFor(milliseconds(5));  // sent, not yet delivered (20 ms delay)
  p.DropLink();
  EXPECT_NE(p.a().state(), SessionState::kEstablished);
  EXPECT_NE(p.b().state(), SessionState::kEstablished);
  int eor = 0;
  EXPECT_TRUE(Received(p.events_b(), p.b().recv_params(), &eor).empty());

  // Both come back on a second connection.
  ASSERT_TRUE(p.RunUntil([&] { return BothEstablished(p); }, seconds(300)));
  EXPECT_EQ(p.connections(), 2);
  // The state changes on b say why it left Established.
  bool saw_drop = false;
  for (const auto& sc : EventsOf<StateChanged>(p.events_b())) {
    if (sc.from == SessionState::kEstablished) {
      saw_drop = true;
      EXPECT_FALSE(sc.reason.empty());
    }
  }
  EXPECT_TRUE(saw_drop);
}

// RFC 4271 §6.8 with two connections between the same two speakers (each
// SessionPair is one TCP connection): the owner of each side runs
// ResolveCollision() once the peer's identifier is known; both owners pick
// the same connection, the loser is closed with Cease / Connection Collision
// Resolution, and the winner reaches Established.
void RunCollision(uint32_t id_a, uint32_t id_b) {
  SCOPED_TRACE(absl::StrCat("id_a=", id_a, " id_b=", id_b));
  // Connection 1 is opened by A, connection 2 by B.
  SessionConfig a1 = ConfigA(), b1 = ConfigB();
  SessionConfig a2 = ConfigA(), b2 = ConfigB();
  a1.router_id = a2.router_id = id_a;
  b1.router_id = b2.router_id = id_b;
  a2.passive = true;
  b2.passive = false;
  // A slow link so both connections sit in OpenSent/OpenConfirm together.
  SessionPair c1(a1, b1, {.delay = milliseconds(50)});
  SessionPair c2(b2, a2, {.delay = milliseconds(50)});  // c2.a() is B's
  c1.StartBoth();
  c2.StartBoth();
  auto known = [](Session& s) { return s.negotiated() != nullptr; };
  // Run both connections in step until each side has seen the other's OPEN
  // on one connection while the other connection can still collide.
  bool resolved = false;
  for (int step = 0; step < 200 && !resolved; ++step) {
    c1.RunFor(milliseconds(5));
    c2.RunFor(milliseconds(5));
    Session& a_out = c1.a();  // A's locally initiated connection
    Session& a_in = c2.b();   // A's remotely initiated connection
    Session& b_out = c2.a();
    Session& b_in = c1.b();
    if ((known(a_out) || known(a_in)) && a_out.CanCollide() &&
        a_in.CanCollide() && (known(b_out) || known(b_in)) &&
        b_out.CanCollide() && b_in.CanCollide()) {
      // Each owner decides with what it knows: its own id and the peer's.
      const CollisionWinner at_a = ResolveCollision(id_a, id_b);
      const CollisionWinner at_b = ResolveCollision(id_b, id_a);
      Session& a_loser =
          at_a == CollisionWinner::kLocallyInitiated ? a_in : a_out;
      Session& b_loser =
          at_b == CollisionWinner::kLocallyInitiated ? b_in : b_out;
      // Both owners must drop the same TCP connection.
      const bool a_drops_c1 = &a_loser == &a_out;
      const bool b_drops_c1 = &b_loser == &b_in;
      EXPECT_EQ(a_drops_c1, b_drops_c1);
      a_loser.Stop(c1.now(), CeaseSubcode::kConnectionCollisionResolution);
      b_loser.Stop(c1.now(), CeaseSubcode::kConnectionCollisionResolution);
      resolved = true;
    }
  }
  ASSERT_TRUE(resolved) << "the two connections never overlapped";
  c1.RunFor(seconds(2));
  c2.RunFor(seconds(2));
  // The connection opened by the higher identifier survives.
  SessionPair& winner = id_a > id_b ? c1 : c2;
  SessionPair& loser = id_a > id_b ? c2 : c1;
  EXPECT_EQ(winner.a().state(), SessionState::kEstablished);
  EXPECT_EQ(winner.b().state(), SessionState::kEstablished);
  EXPECT_NE(loser.a().state(), SessionState::kEstablished);
  EXPECT_NE(loser.b().state(), SessionState::kEstablished);
  auto sent = EventsOf<NotificationSent>(loser.events_a());
  auto sent_b = EventsOf<NotificationSent>(loser.events_b());
  sent.insert(sent.end(), sent_b.begin(), sent_b.end());
  ASSERT_FALSE(sent.empty());
  for (const auto& n : sent) {
    EXPECT_EQ(n.notification.code, 6);
    EXPECT_EQ(n.notification.subcode, 7);
  }
}

TEST(SessionPairTest, CollisionKeepsTheHigherIdsConnection) {
  RunCollision(0x0a000002, 0x0a000001);  // A higher: A's connection stays
  RunCollision(0x0a000001, 0x0a000002);  // B higher: B's connection stays
}

}  // namespace
}  // namespace bgpy
