// Copyright 2026 The bgpy Authors.
//
// PeerConnections (RFC 4271 §6.8) back to back on a fake clock: each TCP
// connection is an in-memory Link between one slot of each side, carried
// byte for byte; nothing sleeps.
#include "bgpy/collision.h"

#include <memory>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "testlib/session_pair.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FakeEpoch;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint32_t kIdA = 0x0a000001;
constexpr uint32_t kIdB = 0x0a000002;

// Not inlined: g++ 12 warns (-Wmaybe-uninitialized, a false positive) about
// the families initializer list when this is inlined into a fixture.
[[gnu::noinline]] SessionConfig Config(uint32_t as, uint32_t peer_as,
                                       uint32_t id) {
  SessionConfig c;
  c.local_as = as;
  c.peer_as = peer_as;
  c.router_id = id;
  c.seed = id;
  return c;
}

// One side: a PeerConnections and every event of either slot.
struct Side {
  explicit Side(SessionConfig c) : peer(std::move(c)) {}
  PeerConnections peer;
  std::vector<SessionEvent> events;

  void Drain() {
    for (int slot = 0; slot < PeerConnections::kSlots; ++slot) {
      if (!peer.has(slot)) continue;
      while (auto ev = peer.session(slot).PollEvent())
        events.push_back(*std::move(ev));
    }
  }
  std::vector<Notification> Sent() const {
    std::vector<Notification> out;
    for (const auto& ev : events)
      if (const auto* n = std::get_if<NotificationSent>(&ev))
        out.push_back(n->notification);
    return out;
  }
};

// A TCP connection between slot `sa` of `a` and slot `sb` of `b`.
struct Link {
  Side* a;
  int sa;
  Side* b;
  int sb;
  bool open = true;

  // Moves output both ways until nothing moves; closes the link when a side
  // is done with it (flushed), or when a slot was freed under it.
  void Pump(Instant now, int rounds = 100) {
    for (int round = 0; round < rounds && open; ++round) {
      const bool a_to_b = Move(*a, sa, *b, sb, now);
      const bool b_to_a = Move(*b, sb, *a, sa, now);
      if (!a->peer.has(sa) || !b->peer.has(sb) || Done(*a, sa) ||
          Done(*b, sb)) {
        Close(now);
        return;
      }
      if (!a_to_b && !b_to_a) return;
    }
  }
  void Close(Instant now) {
    if (!open) return;
    open = false;
    if (a->peer.has(sa) && a->peer.session(sa).connected())
      a->peer.session(sa).OnClosed(now);
    if (b->peer.has(sb) && b->peer.session(sb).connected())
      b->peer.session(sb).OnClosed(now);
  }

 private:
  static bool Done(Side& x, int slot) {
    Session& s = x.peer.session(slot);
    return (s.WantsClose() || !s.connected()) && s.PendingOutput().empty();
  }
  static bool Move(Side& from, int fs, Side& to, int ts, Instant now) {
    if (!from.peer.has(fs) || !to.peer.has(ts)) return false;
    Session& src = from.peer.session(fs);
    const std::vector<uint8_t> out(src.PendingOutput().begin(),
                                   src.PendingOutput().end());
    if (out.empty()) return false;
    src.ConsumeOutput(out.size(), now);
    Session& dst = to.peer.session(ts);
    if (dst.connected()) (void)dst.Receive(out, now);
    return true;
  }
};

// Runs the links and both sides' Resolve() until nothing changes.
void Settle(std::vector<Link*> links, std::vector<Side*> sides, Instant now) {
  for (int round = 0; round < 100; ++round) {
    for (Link* l : links) l->Pump(now, /*rounds=*/1);
    bool changed = false;
    for (Side* s : sides) {
      s->Drain();
      changed = s->peer.Resolve(now) || changed;
      s->Drain();
    }
    if (!changed) {
      bool busy = false;
      for (Link* l : links) {
        if (!l->open || !l->a->peer.has(l->sa) || !l->b->peer.has(l->sb))
          continue;
        busy = busy || !l->a->peer.session(l->sa).PendingOutput().empty() ||
               !l->b->peer.session(l->sb).PendingOutput().empty();
      }
      if (!busy) return;
    }
  }
  ADD_FAILURE() << "did not settle";
}

TEST(CollisionTest, ResolveCollision) {
  EXPECT_EQ(ResolveCollision(0x0a000002, 0x0a000001),
            CollisionWinner::kLocallyInitiated);
  EXPECT_EQ(ResolveCollision(0x0a000001, 0x0a000002),
            CollisionWinner::kRemotelyInitiated);
  // Compared as unsigned: 128.0.0.1 > 10.0.0.1.
  EXPECT_EQ(ResolveCollision(0x80000001, 0x0a000001),
            CollisionWinner::kLocallyInitiated);
  // Equal identifiers (eBGP, RFC 6286 §2.3): the larger AS wins.
  EXPECT_EQ(ResolveCollision(1, 1, 65002, 65001),
            CollisionWinner::kLocallyInitiated);
  EXPECT_EQ(ResolveCollision(1, 1, 65001, 65002),
            CollisionWinner::kRemotelyInitiated);
}

// Both speakers connect at once; each accepts the other's connection beside
// its own. The connection opened by the higher identifier survives on both
// sides, the other is closed with Cease/Connection Collision Resolution.
void RunSimultaneousOpen(uint32_t id_a, uint32_t id_b) {
  SCOPED_TRACE(absl::StrCat("id_a=", id_a, " id_b=", id_b));
  Instant now = FakeEpoch();
  Side a(Config(65001, 65002, id_a)), b(Config(65002, 65001, id_b));
  ASSERT_TRUE(a.peer.Start(now).ok());
  ASSERT_TRUE(b.peer.Start(now).ok());
  ASSERT_TRUE(a.peer.session().WantsConnect());
  ASSERT_TRUE(b.peer.session().WantsConnect());
  // Both SYNs cross: each side accepts while its own connect is in flight.
  std::optional<int> at_b = b.peer.Accept(/*connect_in_flight=*/true, now);
  std::optional<int> at_a = a.peer.Accept(/*connect_in_flight=*/true, now);
  ASSERT_EQ(at_b, 1);
  ASSERT_EQ(at_a, 1);
  EXPECT_EQ(a.peer.live_count(), 2);
  ASSERT_TRUE(a.peer.session(0).OnConnected(now).ok());
  ASSERT_TRUE(b.peer.session(0).OnConnected(now).ok());
  Link by_a{&a, 0, &b, 1};  // opened by A
  Link by_b{&b, 0, &a, 1};  // opened by B
  Settle({&by_a, &by_b}, {&a, &b}, now);

  Link& winner = id_a > id_b ? by_a : by_b;
  Link& loser = id_a > id_b ? by_b : by_a;
  EXPECT_TRUE(winner.open);
  EXPECT_FALSE(loser.open);
  EXPECT_EQ(a.peer.session().state(), SessionState::kEstablished);
  EXPECT_EQ(b.peer.session().state(), SessionState::kEstablished);
  EXPECT_EQ(a.peer.primary(), id_a > id_b ? 0 : 1);
  EXPECT_EQ(b.peer.primary(), id_b > id_a ? 0 : 1);
  EXPECT_EQ(a.peer.collisions() + b.peer.collisions(), 2u);
  EXPECT_EQ(a.peer.live_count(), 1);
  EXPECT_EQ(b.peer.live_count(), 1);
  EXPECT_FALSE(a.peer.has(1 - a.peer.primary()));  // the loser's slot freed
  auto sent = a.Sent();
  auto sent_b = b.Sent();
  sent.insert(sent.end(), sent_b.begin(), sent_b.end());
  ASSERT_FALSE(sent.empty());
  for (const Notification& n : sent) {
    EXPECT_EQ(n.code, 6);
    EXPECT_EQ(n.subcode, 7);
  }
}

TEST(CollisionTest, SimultaneousOpenKeepsTheHigherIdsConnection) {
  RunSimultaneousOpen(kIdA, kIdB);
  RunSimultaneousOpen(kIdB, kIdA);
}

TEST(CollisionTest, EqualIdsKeepTheLargerAsConnection) {
  // RFC 6286 §2.3: A has the larger AS, so A's connection stays.
  Instant now = FakeEpoch();
  Side a(Config(65009, 65002, 7)), b(Config(65002, 65009, 7));
  ASSERT_TRUE(a.peer.Start(now).ok());
  ASSERT_TRUE(b.peer.Start(now).ok());
  ASSERT_EQ(b.peer.Accept(true, now), 1);
  ASSERT_EQ(a.peer.Accept(true, now), 1);
  ASSERT_TRUE(a.peer.session(0).OnConnected(now).ok());
  ASSERT_TRUE(b.peer.session(0).OnConnected(now).ok());
  Link by_a{&a, 0, &b, 1}, by_b{&b, 0, &a, 1};
  Settle({&by_a, &by_b}, {&a, &b}, now);
  EXPECT_TRUE(by_a.open);
  EXPECT_FALSE(by_b.open);
  EXPECT_EQ(a.peer.primary(), 0);
  EXPECT_EQ(a.peer.session().state(), SessionState::kEstablished);
}

// A's own connect is still in flight when B's connection arrives.
struct HalfOpen : ::testing::Test {
  void SetUp() override {
    ASSERT_TRUE(a.peer.Start(now).ok());
    ASSERT_TRUE(b.peer.Start(now).ok());
    ASSERT_EQ(a.peer.Accept(/*connect_in_flight=*/true, now), 1);
    ASSERT_TRUE(b.peer.session(0).OnConnected(now).ok());
  }
  Instant now = FakeEpoch();
  Side a{Config(65001, 65002, kIdA)};
  Side b{Config(65002, 65001, kIdB)};
  Link by_b{&b, 0, &a, 1};
};

// Rare path 1: our connect fails mid-collision; the incoming connection
// carries on as the peer's, and no collision is counted.
TEST_F(HalfOpen, OurConnectFailingLeavesTheIncomingOne) {
  by_b.Pump(now, /*rounds=*/1);  // OPENs cross: A's slot 1 in OpenConfirm
  a.Drain();
  EXPECT_FALSE(a.peer.Resolve(now));  // ours has sent no OPEN: no verdict
  EXPECT_EQ(a.peer.session(1).state(), SessionState::kOpenConfirm);
  a.peer.session(0).OnConnectFailed(now);
  Settle({&by_b}, {&a, &b}, now);
  EXPECT_EQ(a.peer.primary(), 1);
  EXPECT_TRUE(a.peer.inbound(1));
  EXPECT_FALSE(a.peer.has(0));
  EXPECT_EQ(a.peer.session().state(), SessionState::kEstablished);
  EXPECT_EQ(b.peer.session().state(), SessionState::kEstablished);
  EXPECT_EQ(a.peer.collisions(), 0u);
  EXPECT_TRUE(a.Sent().empty());
  EXPECT_TRUE(by_b.open);
}

// Rare path 2: the incoming connection reaches Established while ours is
// still connecting: it wins, and our attempt is abandoned (its Session
// stopped, so it no longer wants a connection).
TEST_F(HalfOpen, IncomingReachingEstablishedFirstWins) {
  Settle({&by_b}, {&a, &b}, now);
  EXPECT_EQ(a.peer.primary(), 1);
  EXPECT_EQ(a.peer.session().state(), SessionState::kEstablished);
  EXPECT_EQ(a.peer.collisions(), 1u);
  EXPECT_FALSE(a.peer.has(0));  // stopped, never connected: freed
  EXPECT_EQ(a.peer.live_count(), 1);
  EXPECT_TRUE(a.Sent().empty());  // nothing was sent on a connect
  // A third connection while Established is refused.
  EXPECT_EQ(a.peer.Accept(false, now), std::nullopt);
}

// The incoming winner ends with an error and no automatic restart: the
// peer stays Idle, as a lone Session would.
TEST_F(HalfOpen, IncomingWinnerEndingWithoutAutoRestartStaysIdle) {
  Settle({&by_b}, {&a, &b}, now);
  ASSERT_EQ(a.peer.primary(), 1);
  ASSERT_TRUE(a.peer.session().config().passive);
  // The TCP connection drops under the Established session.
  by_b.Close(now);
  Settle({}, {&a, &b}, now);
  EXPECT_EQ(a.peer.session().state(), SessionState::kIdle);
  EXPECT_FALSE(a.peer.session().WantsConnect());
  EXPECT_FALSE(a.peer.Resolve(now));  // Idle, not Active: no replacement
}

// Rare path 3: the incoming winner ends later; its Session is passive, so
// once it restarts (Active) a fresh Session from the configuration replaces
// it and connects again.
TEST(CollisionTest, FreshSessionReplacesAnIncomingWinner) {
  Instant now = FakeEpoch();
  SessionConfig ca = Config(65001, 65002, kIdA);
  ca.auto_restart = true;
  Side a(ca), b(Config(65002, 65001, kIdB));
  ASSERT_TRUE(a.peer.Start(now).ok());
  ASSERT_TRUE(b.peer.Start(now).ok());
  ASSERT_EQ(a.peer.Accept(true, now), 1);
  ASSERT_TRUE(b.peer.session(0).OnConnected(now).ok());
  Link by_b{&b, 0, &a, 1};
  Settle({&by_b}, {&a, &b}, now);
  ASSERT_EQ(a.peer.primary(), 1);
  ASSERT_EQ(a.peer.session().state(), SessionState::kEstablished);
  by_b.Close(now);  // an error ending: IdleHold, then AutomaticStart
  Settle({}, {&a}, now);
  ASSERT_EQ(a.peer.session().state(), SessionState::kIdle);
  ASSERT_TRUE(a.peer.session().NextDeadline().has_value());
  now = *a.peer.session().NextDeadline();
  a.peer.session().OnTimer(now);  // event 13: the passive one goes Active
  a.Drain();
  EXPECT_TRUE(a.peer.Resolve(now));
  EXPECT_FALSE(a.peer.session().config().passive);
  EXPECT_FALSE(a.peer.inbound(a.peer.primary()));
  EXPECT_TRUE(a.peer.session().WantsConnect());
  EXPECT_EQ(a.peer.session().state(), SessionState::kConnect);
  EXPECT_FALSE(a.peer.Resolve(now));  // stable
}

// The primary takes a connection when it waits with none in flight; a
// passive peer (Active) likewise.
TEST(CollisionTest, AcceptWhileWaitingTakesThePrimary) {
  Instant now = FakeEpoch();
  SessionConfig c = Config(65001, 65002, kIdA);
  c.passive = true;
  PeerConnections p(c);
  ASSERT_TRUE(p.Start(now).ok());
  EXPECT_EQ(p.Accept(false, now), 0);
  EXPECT_TRUE(p.inbound(0));
  EXPECT_EQ(p.session().state(), SessionState::kOpenSent);
  // Its OPEN is out: a second incoming connection is refused (ours is an
  // incoming one too, so there is no collision to resolve).
  EXPECT_EQ(p.Accept(false, now), std::nullopt);
}

TEST(CollisionTest, StoppedPeerRefusesConnections) {
  Instant now = FakeEpoch();
  PeerConnections p(Config(65001, 65002, kIdA));
  ASSERT_TRUE(p.Start(now).ok());
  p.Stop(now);
  EXPECT_EQ(p.Accept(false, now), std::nullopt);
  EXPECT_EQ(p.live_count(), 0);
}

}  // namespace
}  // namespace bgpy
