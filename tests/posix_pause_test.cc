// Copyright 2026 The bgpy Authors.
//
// EventLoop::SetReadPaused (input back-pressure) and EventLoop::WatchFd, over
// loopback sockets and a pipe. Every wait is bounded.
#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

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

IpAddress Addr(absl::string_view text) { return *IpAddress::Parse(text); }

SessionConfig Config(uint32_t as, uint32_t peer_as, uint32_t id, bool passive) {
  SessionConfig c;
  c.local_as = as;
  c.peer_as = peer_as;
  c.router_id = id;
  c.passive = passive;
  c.hold_time = 3;  // the smallest (RFC 4271 §4.2): KEEPALIVE every 1 s
  c.connect_retry = seconds(1);
  c.seed = id;
  return c;
}

// Queues `count` /32 routes from 10.0.0.0 then End-of-RIB on `id`, as the
// session's backlog allows (called again from on_writable).
class Injector {
 public:
  Injector(EventLoop& loop, PeerId id, int count)
      : loop_(loop), id_(id), count_(count) {}
  void Pump() {
    const Session* s = static_cast<const EventLoop&>(loop_).session(id_);
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
      if (absl::IsResourceExhausted(st)) return;  // wait for on_writable
      ASSERT_TRUE(st.ok()) << st;
      pending_.clear();
    }
  }
  bool done() const { return done_; }

 private:
  EventLoop& loop_;
  PeerId id_;
  int count_;
  int next_ = 0;
  std::optional<UpdateBuilder> builder_;
  std::vector<uint8_t> pending_;
  bool done_ = false;
};

TEST(PosixPauseTest, PausedPeerIsHeldBackButKeptAlive) {
  constexpr int kRoutes = 200000;
  EventLoop loop;
  std::map<PeerId, SessionState> state;
  std::map<PeerId, int> updates, end_of_rib, notifications;
  std::set<Prefix> prefixes;
  loop.on_event = [&](PeerId id, const SessionEvent& ev) {
    if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      state[id] = sc->to;
    } else if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (m->type != MessageType::kUpdate) return;
      std::optional<UpdateView> v = m->update();
      ASSERT_TRUE(v.has_value());
      if (v->end_of_rib()) return;
      ++updates[id];
      for (const NlriEntryView& e : v->nlri())
        prefixes.insert(IpPrefixOf(Afi::kIpv4, e.bytes));
    } else if (std::holds_alternative<EndOfRib>(ev)) {
      ++end_of_rib[id];
    } else if (std::holds_alternative<NotificationReceived>(ev) ||
               std::holds_alternative<NotificationSent>(ev)) {
      ++notifications[id];
    }
  };
  PeerConfig b;
  b.address = Addr("127.0.0.2");
  b.session = Config(65002, 65001, 0x0a000002, /*passive=*/true);
  // Default socket buffers on the paused side. (With SO_RCVBUF much below
  // two of loopback's 64 KiB segments the receiver never announces a
  // window after a zero window, RFC 1122 4.2.3.3, and the sender waits for
  // its backed-off persist timer after the resume.)
  absl::StatusOr<PeerId> passive = loop.AddPeer(b);
  ASSERT_TRUE(passive.ok()) << passive.status();
  ListenConfig lc;
  lc.address = Addr("127.0.0.1");
  lc.port = 0;
  absl::StatusOr<uint16_t> port = loop.Listen(lc);
  ASSERT_TRUE(port.ok()) << port.status();
  PeerConfig a;
  a.address = Addr("127.0.0.1");
  a.port = *port;
  a.local_address = Addr("127.0.0.2");
  a.session = Config(65001, 65002, 0x0a000001, /*passive=*/false);
  a.session.max_output_backlog = 16384;
  a.send_buffer_size = 8192;
  absl::StatusOr<PeerId> active = loop.AddPeer(a);
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_TRUE(loop.RunUntil(
      [&] {
        return state[*passive] == SessionState::kEstablished &&
               state[*active] == SessionState::kEstablished;
      },
      seconds(10)));
  ASSERT_EQ(loop.session(*passive)->negotiated()->hold_time, 3);

  EXPECT_FALSE(loop.read_paused(*passive));
  ASSERT_TRUE(loop.SetReadPaused(*passive, true).ok());
  EXPECT_TRUE(loop.read_paused(*passive));
  EXPECT_TRUE(absl::IsNotFound(loop.SetReadPaused(9999, true)));

  Injector inj(loop, *active, kRoutes);
  loop.on_writable = [&](PeerId id) {
    if (id == *active) inj.Pump();
  };
  inj.Pump();
  // 4.5 s paused: longer than the hold time (3 s). The sender is held
  // back (its backlog full, the kernel buffers full); the paused side took
  // at most a message or two per timer expiry (KEEPALIVE every 0.75..1 s,
  // the Hold timer), which kept its Hold timer from expiring.
  const uint64_t received_before = loop.stats(*passive)->bytes_received;
  EXPECT_FALSE(loop.RunUntil([] { return false; }, milliseconds(4500)));
  EXPECT_EQ(state[*passive], SessionState::kEstablished);
  EXPECT_EQ(state[*active], SessionState::kEstablished);
  EXPECT_EQ(notifications[*passive], 0);
  EXPECT_EQ(notifications[*active], 0);
  EXPECT_FALSE(inj.done());
  EXPECT_EQ(end_of_rib[*passive], 0);
  EXPECT_GE(updates[*passive], 1);   // kept alive by reading
  EXPECT_LE(updates[*passive], 24);  // <= 2 per expiry
  // Each expiry reads at most two 65535-octet messages' worth.
  EXPECT_LE(loop.stats(*passive)->bytes_received - received_before,
            uint64_t{12} * 2 * 65535);
  const int paused_updates = updates[*passive];

  // Resumed: everything arrives, in the same session.
  const auto resumed = EventLoop::Now();
  ASSERT_TRUE(loop.SetReadPaused(*passive, false).ok());
  EXPECT_FALSE(loop.read_paused(*passive));
  ASSERT_TRUE(
      loop.RunUntil([&] { return end_of_rib[*passive] == 1; }, seconds(20)));
  EXPECT_TRUE(inj.done());
  EXPECT_EQ(prefixes.size(), static_cast<size_t>(kRoutes));
  EXPECT_GT(updates[*passive], paused_updates);
  EXPECT_EQ(loop.stats(*passive)->connects, 1u);
  std::printf(
      "while paused 4.5 s: %d UPDATEs read; the rest in %.2f s\n",
      paused_updates,
      std::chrono::duration<double>(EventLoop::Now() - resumed).count());
}

TEST(PosixPauseTest, WatchFdReportsWhenAPipeTakesOutput) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  int calls = 0;
  uint32_t last = 0;
  ASSERT_TRUE(loop.WatchFd(fds[1], EPOLLOUT,
                           [&](uint32_t events) {
                             ++calls;
                             last = events;
                           })
                  .ok());
  ASSERT_TRUE(loop.RunOnce(milliseconds(200)).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(last & EPOLLOUT);

  // Full: no call.
  std::vector<char> junk(65536, 'x');
  while (write(fds[1], junk.data(), junk.size()) > 0) {
  }
  calls = 0;
  ASSERT_TRUE(loop.RunOnce(milliseconds(100)).ok());
  EXPECT_EQ(calls, 0);
  // Drained: called again.
  std::vector<char> sink(1 << 20);
  while (read(fds[0], sink.data(), sink.size()) > 0) {
  }
  ASSERT_TRUE(loop.RunOnce(milliseconds(200)).ok());
  EXPECT_EQ(calls, 1);
  // No interest: no call, although writable.
  ASSERT_TRUE(loop.SetWatchEvents(fds[1], 0).ok());
  calls = 0;
  ASSERT_TRUE(loop.RunOnce(milliseconds(50)).ok());
  EXPECT_EQ(calls, 0);
  // A callback that removes its own watch.
  ASSERT_TRUE(loop.WatchFd(fds[1], EPOLLOUT,
                           [&](uint32_t) {
                             ++calls;
                             loop.UnwatchFd(fds[1]);
                           })
                  .ok());
  ASSERT_TRUE(loop.RunOnce(milliseconds(200)).ok());
  ASSERT_TRUE(loop.RunOnce(milliseconds(50)).ok());
  EXPECT_EQ(calls, 1);

  EXPECT_TRUE(absl::IsInvalidArgument(loop.WatchFd(-1, EPOLLOUT, nullptr)));
  // epoll refuses regular files.
  char path[] = "/tmp/posix_pause_test_XXXXXX";
  const int file = mkstemp(path);
  ASSERT_GE(file, 0);
  unlink(path);
  EXPECT_FALSE(loop.WatchFd(file, EPOLLOUT, [](uint32_t) {}).ok());
  close(file);
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace posix
}  // namespace bgpy
