// Copyright 2026 The bgpy Authors.
//
// bgpy-inject's failures (issue 10), against peers in this process on
// loopback: a TCP server that never sends OPEN, a closed port, a listener
// whose RFC 2385 key differs (the kernel drops the SYNs), and a raw BGP
// peer that reads part of a large injection and then resets (or closes)
// the connection. Each run exits 2 with one line naming the cause, and the
// summary counts the routes written to the socket, not those generated.
// Every wait is bounded.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

#ifndef BGPY_NO_TOOLS

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

std::string InjectBinary() {
  if (std::getenv("BGPY_BINARY_DIR") != nullptr) return ToolPath("bgpy-inject");
  return BGPY_INJECT_BINARY;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out = absl::StrSplit(s, '\n', absl::SkipEmpty());
  return out;
}

// bgpy-inject run to completion (at most `timeout`): exit code and stderr.
struct InjectRun {
  int exit_code = -1;
  std::string err;
  double seconds = 0;
};

InjectRun RunInject(const std::vector<std::string>& args,
                    std::chrono::seconds timeout = std::chrono::seconds(20)) {
  InjectRun r;
  const Clock::time_point start = Clock::now();
  ToolProcess inject(InjectBinary(), args);
  if (!inject.started()) return r;
  r.exit_code = inject.Wait(timeout);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.err = inject.err();
  return r;
}

std::string LastLine(const std::string& s) {
  std::vector<std::string> lines = Lines(s);
  return lines.empty() ? "" : lines.back();
}

// The routes of the "total (...)" summary line; -1 if there is none.
int64_t TotalRoutes(const std::string& err) {
  for (const std::string& line : Lines(err)) {
    size_t at = line.find("total (");
    if (at == std::string::npos) continue;
    at = line.find("): ", at);
    if (at == std::string::npos) return -1;
    const size_t start = at + 3;
    const size_t end = line.find(" routes", start);
    int64_t n = -1;
    if (end == std::string::npos ||
        !absl::SimpleAtoi(line.substr(start, end - start), &n))
      return -1;
    return n;
  }
  return -1;
}

sockaddr_in Loopback(uint32_t host_order, uint16_t port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(host_order);
  sin.sin_port = htons(port);
  return sin;
}

// A listening socket on 127.0.0.1, a port the kernel picks.
int ListenSocket(uint16_t* port, int rcvbuf = 0) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_GE(fd, 0);
  if (rcvbuf > 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  sockaddr_in sin = Loopback(0x7f000001, 0);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  EXPECT_EQ(listen(fd, 4), 0);
  socklen_t len = sizeof(sin);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
  *port = ntohs(sin.sin_port);
  return fd;
}

// Accepts one connection within `timeout`; -1 if none came.
int AcceptWithin(int listen_fd, std::chrono::milliseconds timeout) {
  pollfd p{listen_fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return -1;
  return accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
}

std::vector<std::string> InjectArgs(uint16_t port,
                                    std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "--peer=127.0.0.1",          absl::StrCat("--port=", port),
      "--local-address=127.0.0.2", "--local-as=65500",
      "--prefix=10.0.0.0/32",      "--print=none"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// (a) A TCP server that accepts and never sends OPEN: the run ends with
// --duration, exits 2, and its last line says no OPEN came.
TEST(InjectErrorsTest, NoOpenFromThePeerExitsTwo) {
  uint16_t port = 0;
  const int lfd = ListenSocket(&port);
  std::atomic<bool> accepted{false};
  std::thread server([&] {
    int c = AcceptWithin(lfd, std::chrono::seconds(10));
    if (c < 0) return;
    accepted = true;
    // Read (and drop) whatever comes, until the client goes.
    char buf[4096];
    pollfd p{c, POLLIN, 0};
    while (poll(&p, 1, 10000) > 0 && read(c, buf, sizeof(buf)) > 0) {
    }
    close(c);
  });
  InjectRun r = RunInject(InjectArgs(port, {"--count=10", "--duration=2s"}));
  server.join();
  close(lfd);
  EXPECT_TRUE(accepted);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_LT(r.seconds, 8) << r.err;
  EXPECT_THAT(LastLine(r.err), HasSubstr("not established: no OPEN within 2."))
      << r.err;
  EXPECT_EQ(TotalRoutes(r.err), 0) << r.err;
}

// (b) Nothing listens: exit 2 at once, "connection refused".
TEST(InjectErrorsTest, ConnectionRefusedExitsTwo) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sin = Loopback(0x7f000001, 0);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  socklen_t len = sizeof(sin);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
  close(fd);  // bound, never listened: refused
  InjectRun r = RunInject(
      InjectArgs(ntohs(sin.sin_port), {"--count=10", "--duration=10s"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_LT(r.seconds, 5) << r.err;
  EXPECT_THAT(LastLine(r.err),
              HasSubstr("not established: connection refused (connect to "
                        "127.0.0.1:"))
      << r.err;
}

// (c) The listener holds another RFC 2385 key for 127.0.0.2: Linux drops
// the signed SYNs without a word, so all bgpy-inject can say is that the
// connect timed out, and that a key mismatch looks like this.
TEST(InjectErrorsTest, WrongMd5PasswordTimesOutNamingTheKey) {
  uint16_t port = 0;
  const int lfd = ListenSocket(&port);
  tcp_md5sig sig{};
  sockaddr_in peer = Loopback(0x7f000002, 0);
  std::memcpy(&sig.tcpm_addr, &peer, sizeof(peer));
  const char kKey[] = "the-right-key";
  sig.tcpm_keylen = sizeof(kKey) - 1;
  std::memcpy(sig.tcpm_key, kKey, sizeof(kKey) - 1);
  if (setsockopt(lfd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) != 0) {
    close(lfd);
    GTEST_SKIP() << "TCP_MD5SIG: " << std::strerror(errno);
  }
  // The connect timeout (5 s) comes before --duration.
  InjectRun r = RunInject(InjectArgs(
      port, {"--count=10", "--duration=15s", "--md5-password=a-wrong-key"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_GT(r.seconds, 4) << r.err;
  EXPECT_LT(r.seconds, 12) << r.err;
  EXPECT_THAT(LastLine(r.err),
              HasSubstr("not established: connect timed out after 5.0 s (no "
                        "SYN-ACK; with --md5-password set, a key mismatch "
                        "looks like this)"))
      << r.err;
  // The kernel never completed a handshake.
  EXPECT_LT(AcceptWithin(lfd, std::chrono::milliseconds(0)), 0);
  // With --duration shorter than the connect timeout, the same cause.
  InjectRun r2 = RunInject(InjectArgs(
      port, {"--count=10", "--duration=2s", "--md5-password=a-wrong-key"}));
  EXPECT_EQ(r2.exit_code, 2) << r2.err;
  EXPECT_THAT(LastLine(r2.err), HasSubstr("not established: connect timed out"))
      << r2.err;
  EXPECT_THAT(LastLine(r2.err), HasSubstr("key mismatch")) << r2.err;
  close(lfd);
}

// --- A raw BGP peer that goes away in the middle of an injection ----------

std::vector<uint8_t> Message(uint8_t type, std::vector<uint8_t> body) {
  std::vector<uint8_t> m(16, 0xff);
  const size_t len = 19 + body.size();
  m.push_back(static_cast<uint8_t>(len >> 8));
  m.push_back(static_cast<uint8_t>(len));
  m.push_back(type);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

// Routes in the whole UPDATE messages (RFC 4271 §4.3: withdrawn length and
// routes, attributes length and attributes, NLRI to the end) at the start
// of `bytes`.
uint64_t RoutesIn(const std::vector<uint8_t>& bytes) {
  uint64_t routes = 0;
  size_t off = 0;
  while (bytes.size() - off >= 19) {
    const size_t len = (size_t{bytes[off + 16]} << 8) | bytes[off + 17];
    if (len < 19 || bytes.size() - off < len) break;  // a partial message
    if (bytes[off + 18] == 2 && len >= 23) {
      size_t p = off + 19;
      const size_t end = off + len;
      const size_t wlen = (size_t{bytes[p]} << 8) | bytes[p + 1];
      p += 2 + wlen;
      if (p + 2 > end) break;
      const size_t alen = (size_t{bytes[p]} << 8) | bytes[p + 1];
      p += 2 + alen;
      while (p < end) {
        p += 1 + (bytes[p] + 7) / 8;
        if (p <= end) ++routes;
      }
    }
    off += len;
  }
  return routes;
}

// Accepts bgpy-inject, answers its OPEN with OPEN and KEEPALIVE, reads
// `read_limit` bytes after its OPEN, then resets the connection (SO_LINGER
// 0) or, with `fin`, shuts down its side, waits half a second and drains
// until the injector closes. routes_read: the routes of the whole UPDATEs it
// read.
struct RawPeer {
  uint16_t port = 0;
  int lfd = -1;
  std::thread thread;
  std::atomic<uint64_t> routes_read{0};
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<bool> done{false};

  RawPeer(size_t read_limit, bool fin) {
    lfd = ListenSocket(&port, /*rcvbuf=*/16384);
    thread = std::thread([this, read_limit, fin] { Serve(read_limit, fin); });
  }
  ~RawPeer() {
    if (thread.joinable()) thread.join();
    close(lfd);
  }

  void Serve(size_t read_limit, bool fin) {
    int c = AcceptWithin(lfd, std::chrono::seconds(10));
    if (c < 0) return;
    timeval tv{10, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    // Its OPEN: one whole message (header, then the rest).
    uint8_t buf[4096];
    auto read_exactly = [c, &buf](size_t n) {
      size_t got = 0;
      while (got < n) {
        ssize_t k = read(c, buf + got, n - got);
        if (k <= 0) return false;
        got += static_cast<size_t>(k);
      }
      return true;
    };
    if (read_exactly(19)) {
      const size_t len = (size_t{buf[16]} << 8) | buf[17];
      if (len > 19 && len <= sizeof(buf)) read_exactly(len - 19);
    }
    // OPEN: version 4, AS 65001, hold time 90, BGP Identifier 10.9.9.9.
    std::vector<uint8_t> out =
        Message(1, {4, 0xfd, 0xe9, 0, 90, 10, 9, 9, 9, 0});
    std::vector<uint8_t> ka = Message(4, {});
    out.insert(out.end(), ka.begin(), ka.end());
    ssize_t w = write(c, out.data(), out.size());
    EXPECT_EQ(w, static_cast<ssize_t>(out.size()));
    // The injection, up to read_limit bytes.
    std::vector<uint8_t> got;
    got.reserve(read_limit);
    while (got.size() < read_limit) {
      ssize_t n = read(c, buf, std::min(sizeof(buf), read_limit - got.size()));
      if (n <= 0) break;
      got.insert(got.end(), buf, buf + n);
    }
    bytes_read = got.size();
    routes_read = RoutesIn(got);
    if (fin) {
      // FIN, then nothing read for a while: the injector sees the end of
      // the stream with its output still backed up.
      shutdown(c, SHUT_WR);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      while (read(c, buf, sizeof(buf)) > 0) {
      }
    } else {
      linger l{1, 0};  // close with RST
      setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    close(c);
    done = true;
  }
};

// (d) The peer resets the connection after reading ~200 kB of a million
// routes: exit 2, the last line names the reset, and the summary counts the
// routes written to the socket: fewer than asked, and at least as many as
// the peer read (the kernel buffers what was written).
TEST(InjectErrorsTest, ResetMidInjectionCountsRoutesWritten) {
  constexpr uint64_t kCount = 1000000;
  RawPeer peer(200000, /*fin=*/false);
  InjectRun r = RunInject(InjectArgs(
      peer.port, {absl::StrCat("--count=", kCount), "--duration=15s"}));
  peer.thread.join();
  EXPECT_TRUE(peer.done);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string last = LastLine(r.err);
  EXPECT_THAT(last, HasSubstr("connection reset by peer after ")) << r.err;
  EXPECT_THAT(last,
              HasSubstr(absl::StrCat(" of ", kCount, " routes were written")))
      << r.err;
  EXPECT_THAT(last, ::testing::Not(HasSubstr("in state"))) << r.err;
  const int64_t written = TotalRoutes(r.err);
  ASSERT_GE(written, 0) << r.err;
  EXPECT_GT(peer.routes_read.load(), 10000u);
  EXPECT_GE(static_cast<uint64_t>(written), peer.routes_read.load()) << r.err;
  EXPECT_LT(static_cast<uint64_t>(written), kCount) << r.err;
  // The failure line gives the same count.
  EXPECT_THAT(last, HasSubstr(absl::StrCat("after ", written, " of ")))
      << r.err;
}

// The peer closes (FIN) instead: "connection closed by peer", same counts.
TEST(InjectErrorsTest, CloseMidInjectionCountsRoutesWritten) {
  constexpr uint64_t kCount = 1000000;
  RawPeer peer(100000, /*fin=*/true);
  InjectRun r = RunInject(InjectArgs(
      peer.port, {absl::StrCat("--count=", kCount), "--duration=15s"}));
  peer.thread.join();
  EXPECT_TRUE(peer.done);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string last = LastLine(r.err);
  EXPECT_THAT(last, HasSubstr("connection closed by peer after ")) << r.err;
  const int64_t written = TotalRoutes(r.err);
  ASSERT_GE(written, 0) << r.err;
  EXPECT_GT(peer.routes_read.load(), 5000u);
  EXPECT_GE(static_cast<uint64_t>(written), peer.routes_read.load()) << r.err;
  EXPECT_LT(static_cast<uint64_t>(written), kCount) << r.err;
}

#endif  // BGPY_NO_TOOLS

}  // namespace
}  // namespace bgpy
