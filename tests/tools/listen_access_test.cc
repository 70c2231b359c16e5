// Copyright 2026 The bgpy Authors.
//
// bgpy-listen's access control (issue 10) run as a binary on loopback:
// --allow (refused at accept, no BGP byte), --md5-password per prefix and
// for all (RFC 2385), --ttl-security on both tools (GTSM, RFC 5082),
// --max-connections-per-source and --open-timeout against hundreds and
// thousands of idle connections while a real bgpy-inject session delivers
// routes, and both tools stopping cleanly (Cease to the peer, exit 0) when
// stdout's reader goes away instead of dying of SIGPIPE. The peers that
// must be refused are raw sockets with exactly the TTL / key under test.
// Every wait is bounded.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bgpy/types.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int Count(absl::string_view text, absl::string_view what) {
  int n = 0;
  for (size_t at = text.find(what); at != absl::string_view::npos;
       at = text.find(what, at + what.size()))
    ++n;
  return n;
}

// bgpy-listen on 127.0.0.1, a port the kernel picks; 0 if it did not start.
int StartedPort(ToolProcess& listen) {
  const std::string key = "listening on 127.0.0.1:";
  if (!listen.WaitFor(key)) return 0;
  const std::string err = listen.err();
  const size_t start = err.find(key) + key.size();
  int port = 0;
  (void)absl::SimpleAtoi(err.substr(start, err.find(',', start) - start),
                         &port);
  return port;
}

std::vector<std::string> ListenArgs(std::vector<std::string> extra) {
  std::vector<std::string> a = {"--listen=127.0.0.1:0", "--local-as=65001",
                                "--print=none", "--duration=60s"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// A raw TCP client to 127.0.0.1:port from `source`, non-blocking, with the
// given IP TTL (0 = default) and MD5 key for 127.0.0.1 (empty = none).
class Client {
 public:
  Client(const char* source, int port, int ttl = 0,
         const std::string& md5_key = "") {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
      error_ = errno;
      return;
    }
    if (ttl > 0) setsockopt(fd_, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_addr.s_addr = htonl(0x7f000001);
    server.sin_port = htons(static_cast<uint16_t>(port));
    if (!md5_key.empty()) {
      tcp_md5sig sig{};
      std::memcpy(&sig.tcpm_addr, &server, sizeof(server));
      sig.tcpm_keylen = static_cast<uint16_t>(md5_key.size());
      std::memcpy(sig.tcpm_key, md5_key.data(), md5_key.size());
      if (setsockopt(fd_, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) < 0)
        error_ = errno;
    }
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source, &local.sin_addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) < 0)
      error_ = errno;
    if (connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof(server)) <
            0 &&
        errno != EINPROGRESS)
      error_ = errno;
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  int error() const { return error_; }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  bool Connected() const {
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, 0) <= 0 || (p.revents & POLLOUT) == 0) return false;
    int err = 0;
    socklen_t l = sizeof(err);
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &l);
    return err == 0;
  }
  // Reads whatever is there; true once the connection ended.
  bool Drain() {
    uint8_t buf[4096];
    while (!closed_) {
      const ssize_t n = recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
      if (n > 0) {
        data_.insert(data_.end(), buf, buf + n);
      } else if (n == 0 ||
                 (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        closed_ = true;
      } else {
        break;
      }
    }
    return closed_;
  }
  // Waits until the connection ended (true) or `timeout`.
  bool WaitClosed(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!Drain() && Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      poll(&p, 1, 20);
    }
    return closed_;
  }
  // Waits until `n` whole messages arrived; their types.
  std::vector<int> WaitMessages(size_t n, milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Types().size() < n && !Drain() && Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      poll(&p, 1, 20);
    }
    return Types();
  }
  std::vector<int> Types() const { return Walk().first; }
  // The first two octets of every message body (NOTIFICATION code/subcode).
  std::vector<std::pair<int, int>> Heads() const { return Walk().second; }
  const std::vector<uint8_t>& data() const { return data_; }

 private:
  std::pair<std::vector<int>, std::vector<std::pair<int, int>>> Walk() const {
    std::vector<int> types;
    std::vector<std::pair<int, int>> heads;
    size_t off = 0;
    while (off + 19 <= data_.size()) {
      const size_t len = (size_t{data_[off + 16]} << 8) | data_[off + 17];
      if (len < 19 || off + len > data_.size()) break;
      types.push_back(data_[off + 18]);
      heads.emplace_back(len > 19 ? data_[off + 19] : -1,
                         len > 20 ? data_[off + 20] : -1);
      off += len;
    }
    return {types, heads};
  }

  int fd_ = -1;
  int error_ = 0;
  bool closed_ = false;
  std::vector<uint8_t> data_;
};

constexpr int kOpen = 1;
constexpr int kNotification = 3;

// The SYN is dropped (MD5 / GTSM): still not connected after `wait`.
bool NeverConnects(Client& c, milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (Clock::now() < deadline) {
    if (c.Connected()) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return !c.Connected();
}

std::optional<std::string> Md5Unavailable() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  tcp_md5sig sig{};
  auto* sin = reinterpret_cast<sockaddr_in*>(&sig.tcpm_addr);
  sin->sin_family = AF_INET;
  sin->sin_addr.s_addr = htonl(0x7f000000);
  sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
  sig.tcpm_prefixlen = 8;
  sig.tcpm_keylen = 3;
  std::memcpy(sig.tcpm_key, "abc", 3);
  const int rc = setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG_EXT, &sig, sizeof(sig));
  const int err = errno;
  close(fd);
  if (rc == 0) return std::nullopt;
  return absl::StrCat("TCP_MD5SIG_EXT: ", std::strerror(err),
                      " (kernel without TCP MD5 or before 4.13)");
}

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// --- Flags -------------------------------------------------------------------

TEST(ListenAccessTest, BadFlagsGiveOneLineAndExitOne) {
  struct Case {
    const char* flag;
    const char* says;
  };
  const Case cases[] = {
      {"--allow=10.0.0.1/8", "--allow: '10.0.0.1/8'"},
      {"--allow=10.0.0.0/8,,", "--allow: ''"},
      {"--allow=2001:db8::/129", "--allow: '2001:db8::/129'"},
      {"--md5-password=10.0.0.300/8=k", "--md5-password: '10.0.0.300/8'"},
      {"--md5-password=10.0.0.0/8=", "--md5-password: empty key"},
      {"--ttl-security=255", "--ttl-security: 255"},
      {"--max-connections-per-source=-1", "--max-connections-per-source"},
      {"--open-timeout=soon", "--open-timeout: 'soon'"},
  };
  for (const Case& c : cases) {
    ToolProcess p(ToolPath("bgpy-listen"), ListenArgs({c.flag}));
    EXPECT_EQ(p.Wait(), 1) << c.flag;
    const std::vector<std::string> lines = Lines(p.err());
    ASSERT_EQ(lines.size(), 1u) << c.flag << ": " << p.err();
    EXPECT_THAT(lines[0], HasSubstr(c.says)) << c.flag;
  }
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", "--local-as=65002", "--prefix=10.0.0.0/32",
       "--count=1", "--ttl=64", "--ttl-security=1"});
  EXPECT_EQ(inject.Wait(), 1);
  EXPECT_THAT(inject.err(), HasSubstr("--ttl: --ttl-security"));
}

// --- --allow
// -------------------------------------------------------------------

TEST(ListenAccessTest, AllowClosesOtherSourcesBeforeAnyByte) {
  ToolProcess listen(
      ToolPath("bgpy-listen"),
      ListenArgs({"--allow=127.0.0.2,10.0.0.0/8,2001:db8::/32"}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  std::vector<std::unique_ptr<Client>> outside;
  for (int i = 0; i < 5; ++i)
    outside.push_back(std::make_unique<Client>("127.0.0.1", port));
  for (auto& c : outside) {
    EXPECT_TRUE(c->WaitClosed(milliseconds(5000)));
    EXPECT_TRUE(c->data().empty()) << "a refused source got BGP bytes";
  }
  Client inside("127.0.0.2", port);
  EXPECT_EQ(inside.WaitMessages(1, milliseconds(5000)),
            std::vector<int>{kOpen});
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
  const std::string err = listen.err();
  // One line for the refused source, not one per connection.
  EXPECT_EQ(Count(err, "refused, not allowed (--allow)"), 1) << err;
  EXPECT_THAT(err, HasSubstr("127.0.0.1:"));
  EXPECT_THAT(err, HasSubstr("summary: 5 connections refused (5 not allowed)"));
  EXPECT_THAT(err, HasSubstr("127.0.0.2:")) << err;
}

// --- --md5-password
// ------------------------------------------------------------

TEST(ListenAccessTest, Md5KeyPerPrefix) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  ToolProcess listen(ToolPath("bgpy-listen"),
                     ListenArgs({"--md5-password=127.0.0.0/24=s3cret,"
                                 "127.0.0.3=other,key"}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  Client good("127.0.0.1", port, 0, "s3cret");
  ASSERT_EQ(good.error(), 0) << std::strerror(good.error());
  EXPECT_EQ(good.WaitMessages(1, milliseconds(5000)), std::vector<int>{kOpen});
  // The /32 key (it holds a comma) applies to 127.0.0.3, not the /24 one.
  Client narrow("127.0.0.3", port, 0, "other,key");
  EXPECT_EQ(narrow.WaitMessages(1, milliseconds(5000)),
            std::vector<int>{kOpen});
  Client wrong("127.0.0.1", port, 0, "wrong");
  Client none("127.0.0.1", port);
  Client wide_at_3("127.0.0.3", port, 0, "s3cret");
  EXPECT_TRUE(NeverConnects(wrong, milliseconds(1500)));
  EXPECT_FALSE(none.Connected());
  EXPECT_FALSE(wide_at_3.Connected());
  // Outside every prefix no signature is needed.
  Client outside("127.0.1.1", port);
  EXPECT_EQ(outside.WaitMessages(1, milliseconds(5000)),
            std::vector<int>{kOpen});
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
}

TEST(ListenAccessTest, Md5OneKeyForTheAllowedPrefixesWithInject) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  ToolProcess listen(
      ToolPath("bgpy-listen"),
      ListenArgs({"--allow=127.0.0.0/8", "--md5-password=s3cret"}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port), "--local-as=65002",
       "--prefix=10.0.0.0/32", "--count=1000", "--md5-password=s3cret",
       "--print=none", "--duration=2s"});
  EXPECT_TRUE(listen.WaitFor("End-of-RIB ipv4-unicast (1000 announced)"))
      << listen.err();
  EXPECT_EQ(inject.Wait(), 0) << inject.err();
  Client none("127.0.0.1", port);
  EXPECT_TRUE(NeverConnects(none, milliseconds(1200)));
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
}

// --- --ttl-security (GTSM)
// -------------------------------------------------------

TEST(ListenAccessTest, GtsmOnBothTools) {
  ToolProcess listen(ToolPath("bgpy-listen"), ListenArgs({"--ttl-security=1"}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  // bgpy-inject with GTSM: its SYN has TTL 255, and it takes our SYN-ACK
  // only because bgpy-listen sends with 255 too.
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port), "--local-as=65002",
       "--prefix=10.0.0.0/32", "--count=1000", "--ttl-security=1",
       "--print=none", "--duration=2s"});
  EXPECT_TRUE(listen.WaitFor("End-of-RIB ipv4-unicast (1000 announced)"))
      << listen.err();
  EXPECT_EQ(inject.Wait(), 0) << inject.err();
  Client ttl255("127.0.0.2", port, 255);
  EXPECT_EQ(ttl255.WaitMessages(1, milliseconds(5000)),
            std::vector<int>{kOpen});
  Client ttl254("127.0.0.3", port, 254);
  Client ttl64("127.0.0.4", port);
  EXPECT_TRUE(NeverConnects(ttl254, milliseconds(1500)));
  EXPECT_FALSE(ttl64.Connected());
  // bgpy-inject without GTSM (TTL 64) never gets through.
  ToolProcess plain(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port), "--local-as=65003",
       "--local-address=127.0.0.5", "--prefix=10.0.0.0/32", "--count=1",
       "--print=none", "--duration=1500ms"});
  EXPECT_EQ(plain.Wait(), 2);
  EXPECT_THAT(plain.err(), HasSubstr("connect timed out"));
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
  EXPECT_THAT(listen.err(), Not(HasSubstr("127.0.0.3:")));
  EXPECT_THAT(listen.err(), Not(HasSubstr("127.0.0.5:")));
}

// bgpy-inject --ttl-security against a listener without it: our SYN-ACK
// leaves with the default TTL, so inject drops it.
TEST(ListenAccessTest, InjectGtsmRequiresTtl255FromThePeer) {
  ToolProcess listen(ToolPath("bgpy-listen"), ListenArgs({}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  ToolProcess inject(ToolPath("bgpy-inject"),
                     {"--peer=127.0.0.1", absl::StrCat("--port=", port),
                      "--local-as=65002", "--prefix=10.0.0.0/32", "--count=1",
                      "--ttl-security=1", "--print=none", "--duration=1500ms"});
  EXPECT_EQ(inject.Wait(), 2);
  EXPECT_THAT(inject.err(), HasSubstr("connect timed out"));
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
  EXPECT_THAT(listen.err(), Not(HasSubstr("Established")));
}

// --- --max-connections-per-source, --open-timeout ----------------------------

// 200 idle connections from 127.0.0.2 (150 allowed at once) and a real
// session from 127.0.0.1: the real one comes up and its routes flow at
// once; the 50 extras are closed at accept without a byte; the 150 idle
// ones get OPEN, then Hold Timer Expired at --open-timeout, and close.
TEST(ListenAccessTest, IdleConnectionsDroppedWhileARealSessionFlows) {
  ToolProcess listen(
      ToolPath("bgpy-listen"),
      ListenArgs({"--max-connections-per-source=150", "--open-timeout=3s"}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  const auto start = Clock::now();
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 200; ++i)
    idle.push_back(std::make_unique<Client>("127.0.0.2", port));
  ToolProcess inject(ToolPath("bgpy-inject"),
                     {"--peer=127.0.0.1", absl::StrCat("--port=", port),
                      "--local-as=65002", "--prefix=10.0.0.0/32",
                      "--count=20000", "--print=none", "--duration=6s"});
  ASSERT_TRUE(listen.WaitFor("End-of-RIB ipv4-unicast (20000 announced)",
                             milliseconds(10000)))
      << listen.err();
  {
    // Its routes arrived before the idle connections timed out: it did not
    // wait for them.
    const std::string err = listen.err();
    EXPECT_LT(err.find("End-of-RIB ipv4-unicast (20000 announced)"),
              err.find("NOTIFICATION sent: Hold Timer Expired"));
  }
  int refused = 0, timed_out = 0;
  for (auto& c : idle) {
    ASSERT_TRUE(c->WaitClosed(milliseconds(8000)));
    const std::vector<int> types = c->Types();
    if (types.empty()) {
      ++refused;
      continue;
    }
    ASSERT_EQ(types.size(), 2u);
    EXPECT_EQ(types[0], kOpen);
    EXPECT_EQ(types[1], kNotification);
    EXPECT_EQ(c->Heads()[1], std::make_pair(4, 0));  // Hold Timer Expired
    ++timed_out;
  }
  EXPECT_EQ(refused, 50);
  EXPECT_EQ(timed_out, 150);
  EXPECT_GE(Clock::now() - start, milliseconds(2900));
  // Their slots are free again.
  Client again("127.0.0.2", port);
  EXPECT_EQ(again.WaitMessages(1, milliseconds(5000)), std::vector<int>{kOpen});
  again.Close();  // before its own --open-timeout
  // The real session stayed up until its --duration.
  EXPECT_EQ(inject.Wait(), 0) << inject.err();
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
  const std::string err = listen.err();
  EXPECT_THAT(err, HasSubstr("summary: 50 connections refused (50 "
                             "per-source connection limit)"));
  EXPECT_THAT(err, HasSubstr("summary: 150 connections closed for sending no "
                             "OPEN within --open-timeout=3s"));
  EXPECT_EQ(Count(err, "refused, per-source connection limit"), 1);
}

// 10,000 connections: 5,000 opened and closed at once, 5,000 left idle.
// The real session is not held up, the idle ones are dropped at
// --open-timeout, and bgpy-listen ends up holding no more descriptors than
// before.
TEST(ListenAccessTest, TenThousandConnectionsDoNotStallTheRealSession) {
  rlimit rl;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_max < 12000)
    GTEST_SKIP() << "descriptor limit " << rl.rlim_max << " below 12000";
  rl.rlim_cur = rl.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
  ToolProcess listen(ToolPath("bgpy-listen"),
                     ListenArgs({"--open-timeout=4s"}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  const int baseline = listen.Descriptors();
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port), "--local-as=65002",
       "--prefix=10.0.0.0/32", "--count=1000", "--print=none", "--duration=15s",
       "--hold-time=9"});
  ASSERT_TRUE(listen.WaitFor("End-of-RIB ipv4-unicast (1000 announced)"))
      << listen.err();
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 10000; ++i) {
    // Sources 127.0.1.0 .. 127.0.40.255.
    const std::string src =
        absl::StrCat("127.0.", 1 + i / 250, ".", i % 250 + 1);
    auto c = std::make_unique<Client>(src.c_str(), port);
    ASSERT_EQ(c->error(), 0) << src << ": " << std::strerror(c->error());
    if (i % 2 == 0) {
      c->Close();  // opened and closed at once
    } else {
      idle.push_back(std::move(c));
    }
  }
  // Every idle connection hears an OPEN, then Hold Timer Expired.
  int timed_out = 0;
  for (auto& c : idle) {
    if (!c->WaitClosed(milliseconds(30000))) break;
    const std::vector<int> types = c->Types();
    if (types.size() == 2 && types[1] == kNotification) ++timed_out;
  }
  EXPECT_EQ(timed_out, 5000);
  // The real session (Hold time 9 s) stayed up to its --duration: a
  // NOTIFICATION either way would make bgpy-inject exit 2.
  EXPECT_EQ(inject.Wait(milliseconds(30000)), 0) << inject.err();
  // Everything closed: back to the listener's own descriptors.
  const auto deadline = Clock::now() + milliseconds(5000);
  while (listen.Descriptors() > baseline && Clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(50));
  EXPECT_LE(listen.Descriptors(), baseline);
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(milliseconds(30000)), 0);
}

// --- A vanished stdout reader
// --------------------------------------------------

TEST(ListenAccessTest, ListenStopsCleanlyWhenStdoutReaderGoes) {
  int pipefd[2];
  ASSERT_EQ(pipe2(pipefd, O_CLOEXEC), 0);
  ToolProcess listen(
      ToolPath("bgpy-listen"),
      {"--listen=127.0.0.1:0", "--local-as=65001", "--print=text",
       "--duration=60s"},
      ToolProcess::Options{.stdout_fd = pipefd[1], .close_fd = pipefd[0]});
  close(pipefd[1]);
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  ToolProcess inject(ToolPath("bgpy-inject"),
                     {"--peer=127.0.0.1", absl::StrCat("--port=", port),
                      "--local-as=65002", "--prefix=10.0.0.0/32",
                      "--count=50000", "--print=none", "--duration=20s"});
  // `| head -1`: read one line, then go away.
  std::string line;
  char ch = 0;
  pollfd p{pipefd[0], POLLIN, 0};
  while (line.empty() || line.back() != '\n') {
    ASSERT_EQ(poll(&p, 1, 10000), 1) << listen.err();
    ASSERT_EQ(read(pipefd[0], &ch, 1), 1);
    line.push_back(ch);
  }
  close(pipefd[0]);
  EXPECT_EQ(listen.Wait(), 0) << listen.err();  // not 141 (SIGPIPE)
  const std::string err = listen.err();
  EXPECT_EQ(Count(err,
                  "bgpy-listen: stdout: the reader went away (broken "
                  "pipe); stopping as on SIGTERM"),
            1)
      << err;
  EXPECT_THAT(err, HasSubstr("NOTIFICATION sent: Cease / Administrative "
                             "Shutdown (6/2)"));
  EXPECT_THAT(err, HasSubstr("summary 127.0.0.1:"));
  // The peer heard the Cease.
  EXPECT_EQ(inject.Wait(), 2);
  EXPECT_THAT(inject.err(),
              HasSubstr("NOTIFICATION received: Cease / Administrative "
                        "Shutdown (6/2)"));
}

TEST(ListenAccessTest, InjectStopsCleanlyWhenStdoutReaderGoes) {
  ToolProcess listen(ToolPath("bgpy-listen"), ListenArgs({}));
  const int port = StartedPort(listen);
  ASSERT_GT(port, 0) << listen.err();
  int pipefd[2];
  ASSERT_EQ(pipe2(pipefd, O_CLOEXEC), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", port), "--local-as=65002",
       "--prefix=10.0.0.0/32", "--count=100", "--print=text", "--duration=20s"},
      ToolProcess::Options{.stdout_fd = pipefd[1], .close_fd = pipefd[0]});
  close(pipefd[1]);
  // Read until the first line, then go away; the KEEPALIVEs and End-of-RIB
  // bgpy-listen sends are written next.
  std::string line;
  char ch = 0;
  pollfd p{pipefd[0], POLLIN, 0};
  while (line.empty() || line.back() != '\n') {
    ASSERT_EQ(poll(&p, 1, 10000), 1) << inject.err();
    ASSERT_EQ(read(pipefd[0], &ch, 1), 1);
    line.push_back(ch);
  }
  close(pipefd[0]);
  // Its 100 routes were delivered: a stop as on SIGTERM exits 0.
  EXPECT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_EQ(Count(inject.err(), "bgpy-inject: stdout: the reader went away"), 1)
      << inject.err();
  EXPECT_TRUE(
      listen.WaitFor("NOTIFICATION received: Cease / Administrative "
                     "Shutdown (6/2)"))
      << listen.err();
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0);
}

}  // namespace
}  // namespace bgpy
