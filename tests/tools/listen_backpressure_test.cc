// Copyright 2026 The bgpy Authors.
//
// bgpy-listen with a slow stdout (issue 10, defect 7): the built
// bgpy-listen prints JSON into a pipe this test drains at 100 KB/s while
// bgpy-inject floods 200,000 routes. Meanwhile a hand-driven peer with
// hold time 9 s connects: it must reach Established at once and receive
// KEEPALIVEs every 3 s (the loop never blocks in a write), the flooding
// session must survive (no Hold Timer Expired while it is not read), the
// listener's RSS must stay bounded, and once the test drains fast, the
// output must hold every route exactly once and the summary must say that
// output throttled intake. Every wait is bounded; the test takes ~15 s.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/raw_peer.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::BgpKeepalive;
using ::bgpy::testing::BgpOpen;
using ::bgpy::testing::kSanitizedBuild;
using ::bgpy::testing::RawMessage;
using ::bgpy::testing::RawPeer;
using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

// Reads a pipe on its own thread: at `rate` octets/s while slow, as fast as
// it comes otherwise, until EOF.
class PipeReader {
 public:
  PipeReader(int fd, double rate) : fd_(fd), rate_(rate) {
    thread_ = std::thread([this] { Run(); });
  }
  ~PipeReader() {
    if (thread_.joinable()) {
      slow_ = false;
      thread_.join();
    }
    close(fd_);
  }
  void GoFast() { slow_ = false; }
  size_t bytes() const { return bytes_; }
  // Waits for EOF (at most `timeout`); the whole output.
  std::string Finish(std::chrono::milliseconds timeout) {
    slow_ = false;
    const auto deadline = Clock::now() + timeout;
    while (!eof_ && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(eof_) << "stdout of bgpy-listen did not end";
    if (!eof_) return {};
    thread_.join();
    return data_;
  }

 private:
  void Run() {
    std::vector<char> buf(1 << 20);
    while (true) {
      // 4 KiB at a time, then as long a pause as the rate asks for.
      const bool slow = slow_;
      const size_t want = slow ? 4096 : buf.size();
      pollfd pfd{fd_, POLLIN, 0};
      if (poll(&pfd, 1, 100) <= 0) continue;
      const ssize_t n = read(fd_, buf.data(), want);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      data_.append(buf.data(), static_cast<size_t>(n));
      bytes_ += static_cast<size_t>(n);
      if (slow)
        std::this_thread::sleep_for(std::chrono::microseconds(
            static_cast<int64_t>(static_cast<double>(n) * 1e6 / rate_)));
    }
    eof_ = true;
  }

  const int fd_;
  const double rate_;
  std::atomic<bool> slow_{true};
  std::atomic<bool> eof_{false};
  std::atomic<size_t> bytes_{0};
  std::string data_;  // read by Finish() after the join
  std::thread thread_;
};

// The type of `peer`'s next whole message within `timeout`; 0 when none
// came (or the connection ended).
uint8_t NextType(RawPeer& peer, std::chrono::milliseconds timeout) {
  std::optional<RawMessage> m = peer.Next(timeout);
  return m ? m->type : 0;
}

constexpr int kRoutes = 200000;

TEST(ListenBackpressureTest, SlowStdoutThrottlesOnlyTheFloodingPeer) {
  int pipefd[2];
  ASSERT_EQ(pipe2(pipefd, O_CLOEXEC), 0);
  ToolProcess listen(
      ToolPath("bgpy-listen"),
      {"--listen=127.0.0.1:0", "--local-as=65001", "--hold-time=9",
       "--print=json", "--output-buffer=256KB", "--duration=60s"},
      ToolProcess::Options{.stdout_fd = pipefd[1], .close_fd = pipefd[0]});
  close(pipefd[1]);
  PipeReader reader(pipefd[0], 100e3);  // 100 KB/s
  ASSERT_TRUE(listen.WaitFor("listening on 127.0.0.1:")) << listen.err();
  int port = 0;
  {
    const std::string err = listen.err();
    const std::string key = "listening on 127.0.0.1:";
    const size_t start = err.find(key) + key.size();
    ASSERT_TRUE(absl::SimpleAtoi(
        err.substr(start, err.find(',', start) - start), &port));
  }
  uint64_t max_rss_kib = listen.RssKib();

  // The flood: 200,000 /32s in 4096-octet UPDATEs (~5.6 MB of JSON, about
  // a minute of output at 100 KB/s).
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port),
       "--local-address=127.0.0.2", "--local-as=65500", "--prefix=10.0.0.0/32",
       absl::StrCat("--count=", kRoutes), "--max-message-size=4096",
       "--print=none", "--duration=60s"});
  ASSERT_TRUE(listen.WaitFor("127.0.0.2:")) << listen.err();
  ASSERT_TRUE(listen.WaitFor("-> Established")) << listen.err();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // stdout is behind

  // A second peer, hold time 9 s, while stdout is 100 KB/s behind.
  RawPeer peer("127.0.0.3", port);
  ASSERT_TRUE(peer.ok());
  const auto connected = Clock::now();
  peer.Send(BgpOpen(65502, 9, 0x7f000003));
  EXPECT_EQ(NextType(peer, std::chrono::seconds(5)), 1);  // OPEN
  EXPECT_EQ(NextType(peer, std::chrono::seconds(5)), 4);  // KEEPALIVE
  peer.Send(BgpKeepalive());
  // Established: the listener sends End-of-RIB (an UPDATE) at once.
  uint8_t type = 4;
  while (type == 4) type = NextType(peer, std::chrono::seconds(5));
  EXPECT_EQ(type, 2);
  const double establish_s =
      std::chrono::duration<double>(Clock::now() - connected).count();
  EXPECT_LT(establish_s, 3.0);

  // 8 s of flood at 100 KB/s: the listener's KEEPALIVEs keep coming every
  // hold time / 3 = 3 s (jittered down, RFC 4271 §10), our own every 2 s.
  auto last_keepalive = Clock::now();
  auto last_sent = last_keepalive;
  double max_gap_s = 0;
  int keepalives = 0, others = 0;
  const auto slow_end = Clock::now() + std::chrono::seconds(8);
  while (Clock::now() < slow_end) {
    max_rss_kib = std::max(max_rss_kib, listen.RssKib());
    if (Clock::now() - last_sent >= std::chrono::seconds(2)) {
      peer.Send(BgpKeepalive());
      last_sent = Clock::now();
    }
    const uint8_t type = NextType(peer, std::chrono::milliseconds(100));
    if (type == 0) continue;
    if (type != 4) {
      ++others;  // a NOTIFICATION would be a failure
      continue;
    }
    const auto now = Clock::now();
    max_gap_s = std::max(
        max_gap_s, std::chrono::duration<double>(now - last_keepalive).count());
    last_keepalive = now;
    ++keepalives;
  }
  max_gap_s = std::max(
      max_gap_s,
      std::chrono::duration<double>(Clock::now() - last_keepalive).count());
  EXPECT_EQ(others, 0);
  EXPECT_GE(keepalives, 2);
  // 3 s plus scheduling slack on a loaded machine.
  EXPECT_LT(max_gap_s, 3.6);
  // The flood is held back, not read into memory: its End-of-RIB (logged
  // after its last route is printed) has not come yet, ~1 MB of ~5.6 MB
  // of output having been taken.
  EXPECT_THAT(listen.err(), Not(HasSubstr("announced)")));
  EXPECT_LT(reader.bytes(), size_t{3} << 20);

  // Drain fast: everything arrives.
  reader.GoFast();
  const auto drain_deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < drain_deadline &&
         !absl::StrContains(listen.err(), "(200000 announced)")) {
    max_rss_kib = std::max(max_rss_kib, listen.RssKib());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_THAT(listen.err(), HasSubstr("End-of-RIB ipv4-unicast (200000 "
                                      "announced)"));
  inject.Signal(SIGTERM);
  inject.Wait();
  listen.Signal(SIGTERM);
  const std::string out = reader.Finish(std::chrono::seconds(20));
  EXPECT_EQ(listen.Wait(), 0) << listen.err();
  const std::string err = listen.err();

  // Bounded memory: the output buffer (256 KB) and what one loop step
  // reads, not the flood. Not in a sanitizer build, whose RSS is mostly
  // ASan's shadow and quarantine.
  if (!kSanitizedBuild) {
    EXPECT_LT(max_rss_kib, 64u * 1024) << "max VmRSS " << max_rss_kib << " kB";
  }
  EXPECT_GT(max_rss_kib, 0u);

  // Every route of the flood, once each, in order, on whole JSON lines.
  std::vector<uint32_t> got;
  got.reserve(kRoutes);
  int lines = 0, updates = 0;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    ++lines;
    ASSERT_TRUE(absl::StartsWith(line, "{\"time\":") &&
                absl::EndsWith(line, "}"))
        << line.substr(0, 200);
    if (!absl::StrContains(line, "\"peer\":\"127.0.0.2\"") ||
        !absl::StrContains(line, "\"type\":\"UPDATE\""))
      continue;
    ++updates;
    constexpr absl::string_view kKey = "{\"prefix\":\"";
    for (size_t at = line.find(kKey); at != absl::string_view::npos;
         at = line.find(kKey, at + 1)) {
      const size_t start = at + kKey.size();
      const absl::string_view p =
          line.substr(start, line.find('"', start) - start);
      std::vector<absl::string_view> f =
          absl::StrSplit(p, absl::ByAnyChar("./"));
      ASSERT_EQ(f.size(), 5u) << p;
      uint32_t a = 0;
      for (int i = 0; i < 4; ++i) {
        uint32_t octet = 0;
        ASSERT_TRUE(absl::SimpleAtoi(f[i], &octet)) << p;
        a = (a << 8) | octet;
      }
      EXPECT_EQ(f[4], "32");
      got.push_back(a);
    }
  }
  ASSERT_EQ(got.size(), static_cast<size_t>(kRoutes));
  for (int i = 0; i < kRoutes; ++i)
    ASSERT_EQ(got[i], 0x0a000000u + static_cast<uint32_t>(i)) << "route " << i;
  EXPECT_GT(updates, 50);  // 4096-octet messages
  EXPECT_GT(lines, updates);

  // The flooding session was never dropped: a paused session's Hold timer
  // is kept alive by the messages waiting in the kernel.
  EXPECT_THAT(err, Not(HasSubstr("Hold Timer Expired")));
  EXPECT_THAT(err, HasSubstr("ipv4-unicast 200000 announced 0 withdrawn"));
  // The summary says output throttled intake, and for how long (at least
  // the 8 s at 100 KB/s, less what fit in the buffers).
  const size_t at = err.find("summary: output throttled intake for ");
  ASSERT_NE(at, std::string::npos) << err;
  double seconds = 0;
  const size_t num =
      at + std::string("summary: output throttled intake for ").size();
  ASSERT_TRUE(
      absl::SimpleAtod(err.substr(num, err.find(' ', num) - num), &seconds))
      << err.substr(at, 200);
  std::printf(
      "established in %.2f s; longest KEEPALIVE gap %.2f s; max VmRSS %d kB; "
      "throttled %.1f s\n",
      establish_s, max_gap_s, static_cast<int>(max_rss_kib), seconds);
  EXPECT_GE(seconds, 5.0) << err.substr(at, 200);
  EXPECT_LE(seconds, 60.0) << err.substr(at, 200);
}

TEST(ListenBackpressureTest, FastStdoutIsNeverThrottled) {
  // Into a file: nothing waits, no summary line about throttling.
  ToolProcess listen(ToolPath("bgpy-listen"),
                     {"--listen=127.0.0.1:0", "--local-as=65001",
                      "--print=json", "--duration=30s"});
  ASSERT_TRUE(listen.WaitFor("listening on 127.0.0.1:")) << listen.err();
  const std::string err0 = listen.err();
  const std::string key = "listening on 127.0.0.1:";
  const size_t start = err0.find(key) + key.size();
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      err0.substr(start, err0.find(',', start) - start), &port));
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port),
       "--local-address=127.0.0.2", "--local-as=65500", "--prefix=10.0.0.0/32",
       "--count=20000", "--print=none", "--duration=30s"});
  ASSERT_TRUE(listen.WaitFor("(20000 announced)", std::chrono::seconds(15)))
      << listen.err();
  inject.Signal(SIGTERM);
  inject.Wait();
  listen.Signal(SIGTERM);
  ASSERT_EQ(listen.Wait(), 0) << listen.err();
  const std::string out = listen.out();
  size_t routes = 0;
  for (size_t at = out.find("{\"prefix\":\""); at != std::string::npos;
       at = out.find("{\"prefix\":\"", at + 1))
    ++routes;
  EXPECT_EQ(routes, 20000u);
  EXPECT_EQ(out.back(), '\n');
  EXPECT_THAT(listen.err(), Not(HasSubstr("throttled")));
}

TEST(ListenBackpressureTest, OutputBufferUsageError) {
  ToolProcess listen(ToolPath("bgpy-listen"),
                     {"--local-as=65001", "--output-buffer=lots"});
  EXPECT_EQ(listen.Wait(), 1);
  EXPECT_THAT(listen.err(), HasSubstr("--output-buffer"));
  EXPECT_THAT(listen.err(), HasSubstr("'lots' is not a size"));
}

}  // namespace
}  // namespace bgpy
