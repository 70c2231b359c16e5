// Copyright 2026 The bgpy Authors.
//
// Access control of the POSIX transport's listener over loopback: GTSM
// (RFC 5082: TTL 255 sent, minimum TTL required), TCP MD5 keys per prefix
// (RFC 2385, TCP_MD5SIG_EXT), the allow list, the per-source connection
// limit and the OpenSent hold time (SessionConfig::open_hold_time). The
// peers are raw client sockets, so that each test sets exactly the TTL and
// key it means. Every wait is bounded.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace posix {
namespace {

using std::chrono::milliseconds;

IpAddress Addr(absl::string_view text) { return *IpAddress::Parse(text); }
Prefix Pfx(absl::string_view text) { return *Prefix::Parse(text); }

SessionConfig ListenerSession() {
  SessionConfig s;
  s.local_as = 65000;
  s.router_id = 0x01010101;
  s.passive = true;
  return s;
}

// A loop listening on `lc` (port 0 = a free one) that creates a passive
// peer for every accepted connection and records refusals.
struct Server {
  explicit Server(ListenConfig lc, SessionConfig session = ListenerSession()) {
    lc.accept_any = true;
    lc.factory = [session](const IpAddress& a,
                           uint16_t) -> std::optional<PeerConfig> {
      PeerConfig pc;
      pc.address = a;
      pc.session = session;
      return pc;
    };
    loop.on_refused = [this](const IpAddress& a, uint16_t, Refusal r) {
      refused.emplace_back(a, r);
    };
    loop.on_accept = [this](PeerId, const IpAddress&, uint16_t) { ++accepted; };
    absl::StatusOr<uint16_t> p = loop.Listen(std::move(lc));
    status = p.status();
    if (p.ok()) port = *p;
  }
  EventLoop loop;
  absl::Status status;
  uint16_t port = 0;
  int accepted = 0;
  std::vector<std::pair<IpAddress, Refusal>> refused;
};

// A raw TCP client: non-blocking connect from `source` with the given TTL
// (0 = default) and MD5 key for the server's address (empty = none).
class Client {
 public:
  Client(const IpAddress& source, const IpAddress& server, uint16_t port,
         int ttl = 0, const std::string& md5_key = "") {
    const bool v6 = server.is_v6();
    fd_ = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd_ < 0) return;
    if (ttl > 0) {
      if (v6) {
        setsockopt(fd_, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
      } else {
        setsockopt(fd_, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
      }
    }
    if (!md5_key.empty()) {
      tcp_md5sig sig{};
      Fill(server, 0, &sig.tcpm_addr);
      sig.tcpm_keylen = static_cast<uint16_t>(md5_key.size());
      std::memcpy(sig.tcpm_key, md5_key.data(), md5_key.size());
      setup_error_ =
          setsockopt(fd_, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) < 0
              ? errno
              : 0;
    }
    sockaddr_storage ss{};
    socklen_t len = Fill(source, 0, &ss);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&ss), len) < 0)
      setup_error_ = errno;
    len = Fill(server, port, &ss);
    connect(fd_, reinterpret_cast<sockaddr*>(&ss), len);
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  int setup_error() const { return setup_error_; }
  int fd() const { return fd_; }

  // Connected: the handshake completed (the kernel completes it on
  // loopback before the server's accept()).
  bool Connected() const {
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, 0) <= 0 || (p.revents & POLLOUT) == 0) return false;
    int err = 0;
    socklen_t l = sizeof(err);
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &l);
    return err == 0;
  }
  // Reads what arrived; false once the connection closed or failed.
  bool Poll() {
    uint8_t buf[4096];
    while (true) {
      ssize_t n = recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
      if (n > 0) {
        data_.insert(data_.end(), buf, buf + n);
        continue;
      }
      if (n == 0) closed_ = true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) closed_ = true;
      return !closed_;
    }
  }
  const std::vector<uint8_t>& data() const { return data_; }
  bool closed() const { return closed_; }
  // The type of the i-th BGP message received (0 if not there).
  int MessageType(size_t i) const {
    size_t off = 0;
    for (size_t k = 0; off + 19 <= data_.size(); ++k) {
      const size_t len = (size_t{data_[off + 16]} << 8) | data_[off + 17];
      if (len < 19 || off + len > data_.size()) return 0;
      if (k == i) return data_[off + 18];
      off += len;
    }
    return 0;
  }
  // The i-th message's bytes after the header.
  std::vector<uint8_t> Body(size_t i) const {
    size_t off = 0;
    for (size_t k = 0; off + 19 <= data_.size(); ++k) {
      const size_t len = (size_t{data_[off + 16]} << 8) | data_[off + 17];
      if (len < 19 || off + len > data_.size()) return {};
      if (k == i)
        return std::vector<uint8_t>(data_.begin() + off + 19,
                                    data_.begin() + off + len);
      off += len;
    }
    return {};
  }

 private:
  static socklen_t Fill(const IpAddress& a, uint16_t port,
                        sockaddr_storage* ss) {
    std::memset(ss, 0, sizeof(*ss));
    if (a.is_v4()) {
      auto* sin = reinterpret_cast<sockaddr_in*>(ss);
      sin->sin_family = AF_INET;
      sin->sin_port = htons(port);
      std::memcpy(&sin->sin_addr, a.bytes(), 4);
      return sizeof(sockaddr_in);
    }
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, a.bytes(), 16);
    return sizeof(sockaddr_in6);
  }

  int fd_ = -1;
  int setup_error_ = 0;
  std::vector<uint8_t> data_;
  bool closed_ = false;
};

constexpr int kOpen = 1;
constexpr int kNotification = 3;

// Runs the server until the client received an OPEN (true) or `timeout`.
bool ReachesOpen(Server& s, Client& c, milliseconds timeout) {
  return s.loop.RunUntil(
      [&c] {
        c.Poll();
        return c.MessageType(0) == kOpen;
      },
      timeout);
}

// The SYN never gets an answer: the client is still not connected after
// `wait` (the kernel retransmits the SYN after 1 s, dropped again).
bool NeverConnects(Server& s, Client& c, milliseconds wait) {
  s.loop.RunUntil([&c] { return c.Connected(); }, wait);
  return !c.Connected() && s.accepted == 0;
}

// --- GTSM (RFC 5082) ---------------------------------------------------------

ListenConfig Gtsm(absl::string_view address) {
  ListenConfig lc;
  lc.address = Addr(address);
  lc.port = 0;
  lc.ttl = 255;      // RFC 5082 §3: send with TTL 255
  lc.min_ttl = 255;  // directly connected: accept 255 only
  return lc;
}

// The client requires TTL 255 too (IP_MINTTL): it gets the SYN-ACK and the
// OPEN only if the listener sends with 255 (loopback does not decrement).
TEST(PosixGtsmTest, ListenerSendsWithTtl255) {
  Server s(Gtsm("127.0.0.1"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/255);
  int min = 255;
  ASSERT_EQ(setsockopt(c.fd(), IPPROTO_IP, IP_MINTTL, &min, sizeof(min)), 0);
  EXPECT_TRUE(ReachesOpen(s, c, milliseconds(3000)));
  EXPECT_EQ(s.accepted, 1);
}

TEST(PosixGtsmTest, WithoutTtl255TheGtsmClientNeverHearsBack) {
  ListenConfig lc = Gtsm("127.0.0.1");
  lc.ttl = 0;  // the system default (64): a GTSM client drops our segments
  Server s(std::move(lc));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/255);
  int min = 255;
  ASSERT_EQ(setsockopt(c.fd(), IPPROTO_IP, IP_MINTTL, &min, sizeof(min)), 0);
  EXPECT_FALSE(ReachesOpen(s, c, milliseconds(1500)));
  EXPECT_TRUE(c.data().empty());
}

TEST(PosixGtsmTest, ClientWithOpenReceivesBgpOpen) {
  Server s(Gtsm("127.0.0.1"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/255);
  ASSERT_TRUE(ReachesOpen(s, c, milliseconds(3000)));
  EXPECT_EQ(c.Body(0)[0], 4);  // OPEN version (RFC 4271 §4.2)
}

TEST(PosixGtsmTest, ClientWithTtl254NeverConnects) {
  Server s(Gtsm("127.0.0.1"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/254);
  EXPECT_TRUE(NeverConnects(s, c, milliseconds(1500)));
  c.Poll();
  EXPECT_TRUE(c.data().empty());
}

TEST(PosixGtsmTest, DefaultTtlClientNeverConnects) {
  Server s(Gtsm("127.0.0.1"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port);  // 64 on Linux
  EXPECT_TRUE(NeverConnects(s, c, milliseconds(1500)));
}

TEST(PosixGtsmTest, OneHopLessAcceptedWhenMinTtlIs254) {
  ListenConfig lc = Gtsm("127.0.0.1");
  lc.min_ttl = 254;  // two hops: 255 - (2 - 1)
  Server s(std::move(lc));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/254);
  EXPECT_TRUE(ReachesOpen(s, c, milliseconds(3000)));
  Client d(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/253);
  EXPECT_TRUE(NeverConnects(s, d, milliseconds(1200)) || s.accepted == 1);
  EXPECT_FALSE(d.Connected());
}

TEST(PosixGtsmTest, Ipv6HopLimit) {
  Server s(Gtsm("::1"));
  if (!s.status.ok()) GTEST_SKIP() << "no IPv6 loopback: " << s.status;
  Client good(Addr("::1"), Addr("::1"), s.port, /*ttl=*/255);
  EXPECT_TRUE(ReachesOpen(s, good, milliseconds(3000)));
  Client bad(Addr("::1"), Addr("::1"), s.port, /*ttl=*/254);
  s.loop.RunUntil([&bad] { return bad.Connected(); }, milliseconds(1200));
  EXPECT_FALSE(bad.Connected());
  EXPECT_EQ(s.accepted, 1);
}

TEST(PosixGtsmTest, Ipv6ListenerAppliesIpv4OptionsToMappedPeers) {
  Server s(Gtsm("::"));
  if (!s.status.ok()) GTEST_SKIP() << "no IPv6: " << s.status;
  Client good(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/255);
  EXPECT_TRUE(ReachesOpen(s, good, milliseconds(3000)));
  Client bad(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, /*ttl=*/254);
  s.loop.RunUntil([&bad] { return bad.Connected(); }, milliseconds(1200));
  EXPECT_FALSE(bad.Connected());
  EXPECT_EQ(s.accepted, 1);
}

// Two loops, both with GTSM: the active side's SYN and the listener's
// SYN-ACK both carry TTL 255, so the session comes up.
TEST(PosixGtsmTest, TwoGtsmSpeakersReachEstablished) {
  Server s(Gtsm("127.0.0.1"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  EventLoop client;
  PeerConfig pc;
  pc.address = Addr("127.0.0.1");
  pc.port = s.port;
  pc.ttl = 255;
  pc.min_ttl = 255;
  pc.session.local_as = 65001;
  pc.session.router_id = 0x02020202;
  absl::StatusOr<PeerId> id = client.AddPeer(pc);
  ASSERT_TRUE(id.ok()) << id.status();
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    client.RunOnce(milliseconds(10)).IgnoreError();
    s.loop.RunOnce(milliseconds(10)).IgnoreError();
    const Session* ss = client.session(*id);
    up = ss != nullptr && ss->state() == SessionState::kEstablished;
  }
  EXPECT_TRUE(up);
}

// --- TCP MD5 per prefix (RFC 2385) -----------------------------------------

// Whether this kernel lets us set TCP_MD5SIG; the reason if not.
std::optional<std::string> Md5Unavailable() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  tcp_md5sig sig{};
  auto* sin = reinterpret_cast<sockaddr_in*>(&sig.tcpm_addr);
  sin->sin_family = AF_INET;
  sin->sin_addr.s_addr = htonl(0x7f000001);
  sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
  sig.tcpm_prefixlen = 8;
  sig.tcpm_keylen = 3;
  std::memcpy(sig.tcpm_key, "abc", 3);
  int rc = setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG_EXT, &sig, sizeof(sig));
  int err = errno;
  close(fd);
  if (rc == 0) return std::nullopt;
  return absl::StrCat("TCP_MD5SIG_EXT: ", std::strerror(err),
                      " (kernel without CONFIG_TCP_MD5SIG or before 4.13)");
}

ListenConfig Md5Listener(absl::string_view prefix, absl::string_view key) {
  ListenConfig lc;
  lc.address = Addr("127.0.0.1");
  lc.port = 0;
  lc.md5_prefix_keys.emplace_back(Pfx(prefix), std::string(key));
  return lc;
}

TEST(PosixMd5PrefixTest, MatchingKeyReachesOpen) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  Server s(Md5Listener("127.0.0.0/8", "s3cret"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, 0, "s3cret");
  ASSERT_EQ(c.setup_error(), 0);
  EXPECT_TRUE(ReachesOpen(s, c, milliseconds(3000)));
}

TEST(PosixMd5PrefixTest, WrongOrNoKeyNeverConnects) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  Server s(Md5Listener("127.0.0.0/8", "s3cret"));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client wrong(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, 0, "other");
  Client none(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port);
  s.loop.RunUntil([&] { return wrong.Connected() || none.Connected(); },
                  milliseconds(1500));
  EXPECT_FALSE(wrong.Connected());
  EXPECT_FALSE(none.Connected());
  EXPECT_EQ(s.accepted, 0);
}

TEST(PosixMd5PrefixTest, LongestPrefixWinsAndOutsideIsUnsigned) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  ListenConfig lc;
  lc.address = Addr("0.0.0.0");
  lc.port = 0;
  lc.md5_prefix_keys.emplace_back(Pfx("127.0.0.0/24"), "wide");
  lc.md5_prefix_keys.emplace_back(Pfx("127.0.0.2/32"), "narrow");
  Server s(std::move(lc));
  ASSERT_TRUE(s.status.ok()) << s.status;
  // From 127.0.0.2 the /32 key applies: the /24 key is refused.
  Client narrow(Addr("127.0.0.2"), Addr("127.0.0.1"), s.port, 0, "narrow");
  EXPECT_TRUE(ReachesOpen(s, narrow, milliseconds(3000)));
  Client wide_at_2(Addr("127.0.0.2"), Addr("127.0.0.1"), s.port, 0, "wide");
  s.loop.RunUntil([&] { return wide_at_2.Connected(); }, milliseconds(1200));
  EXPECT_FALSE(wide_at_2.Connected());
  // From 127.0.0.3 the /24 key.
  Client wide(Addr("127.0.0.3"), Addr("127.0.0.1"), s.port, 0, "wide");
  EXPECT_TRUE(ReachesOpen(s, wide, milliseconds(3000)));
  // 127.0.1.1 is outside every prefix: no signature needed.
  Client plain(Addr("127.0.1.1"), Addr("127.0.0.1"), s.port);
  EXPECT_TRUE(ReachesOpen(s, plain, milliseconds(3000)));
}

// An IPv6 listener (::) takes IPv4 peers as v4-mapped: an IPv4 prefix key
// covers them (the kernel takes the IPv4 prefix length), ::/0 the IPv6 ones.
TEST(PosixMd5PrefixTest, Ipv6ListenerKeysForMappedAndIpv6Peers) {
  if (auto why = Md5Unavailable()) GTEST_SKIP() << *why;
  ListenConfig lc;
  lc.address = Addr("::");
  lc.port = 0;
  lc.md5_prefix_keys.emplace_back(Pfx("127.0.0.0/8"), "four");
  lc.md5_prefix_keys.emplace_back(Pfx("::/0"), "six");
  Server s(std::move(lc));
  if (!s.status.ok()) GTEST_SKIP() << "no IPv6: " << s.status;
  Client v4(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port, 0, "four");
  EXPECT_TRUE(ReachesOpen(s, v4, milliseconds(3000)));
  Client v6(Addr("::1"), Addr("::1"), s.port, 0, "six");
  EXPECT_TRUE(ReachesOpen(s, v6, milliseconds(3000)));
  Client v4_unsigned(Addr("127.0.0.2"), Addr("127.0.0.1"), s.port);
  Client v6_wrong(Addr("::1"), Addr("::1"), s.port, 0, "four");
  s.loop.RunUntil(
      [&] { return v4_unsigned.Connected() || v6_wrong.Connected(); },
      milliseconds(1200));
  EXPECT_FALSE(v4_unsigned.Connected());
  EXPECT_FALSE(v6_wrong.Connected());
  EXPECT_EQ(s.accepted, 2);
}

TEST(PosixMd5PrefixTest, KeyOverEightyOctetsRefused) {
  ListenConfig lc = Md5Listener("127.0.0.0/8", std::string(81, 'k'));
  EventLoop loop;
  absl::StatusOr<uint16_t> p = loop.Listen(lc);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(p.status())) << p.status();
}

// --- Allow list, per-source limit ------------------------------------------

TEST(PosixListenAccessTest, AllowListClosesOtherSourcesWithoutBytes) {
  ListenConfig lc;
  lc.address = Addr("0.0.0.0");
  lc.port = 0;
  lc.allow.push_back(Pfx("127.0.0.2/32"));
  lc.allow.push_back(Pfx("10.0.0.0/8"));
  Server s(std::move(lc));
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client outside(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port);
  ASSERT_TRUE(s.loop.RunUntil(
      [&] {
        outside.Poll();
        return outside.closed();
      },
      milliseconds(3000)));
  EXPECT_TRUE(outside.data().empty());  // not a single BGP byte
  ASSERT_EQ(s.refused.size(), 1u);
  EXPECT_EQ(s.refused[0].first, Addr("127.0.0.1"));
  EXPECT_EQ(s.refused[0].second, Refusal::kNotAllowed);
  EXPECT_EQ(s.accepted, 0);

  Client inside(Addr("127.0.0.2"), Addr("127.0.0.1"), s.port);
  EXPECT_TRUE(ReachesOpen(s, inside, milliseconds(3000)));
  EXPECT_EQ(s.accepted, 1);
  EXPECT_EQ(s.refused.size(), 1u);
}

TEST(PosixListenAccessTest, PerSourceLimitRefusesExtrasUntilOneCloses) {
  ListenConfig lc;
  lc.address = Addr("127.0.0.1");
  lc.port = 0;
  lc.max_connections_per_source = 2;
  Server s(std::move(lc));
  ASSERT_TRUE(s.status.ok()) << s.status;
  auto a =
      std::make_unique<Client>(Addr("127.0.0.3"), Addr("127.0.0.1"), s.port);
  Client b(Addr("127.0.0.3"), Addr("127.0.0.1"), s.port);
  ASSERT_TRUE(
      s.loop.RunUntil([&] { return s.accepted == 2; }, milliseconds(3000)));
  Client c(Addr("127.0.0.3"), Addr("127.0.0.1"), s.port);
  ASSERT_TRUE(s.loop.RunUntil(
      [&] {
        c.Poll();
        return c.closed();
      },
      milliseconds(3000)));
  EXPECT_TRUE(c.data().empty());
  ASSERT_EQ(s.refused.size(), 1u);
  EXPECT_EQ(s.refused[0].second, Refusal::kSourceLimit);
  // Another source is not limited by 127.0.0.3's connections.
  Client other(Addr("127.0.0.4"), Addr("127.0.0.1"), s.port);
  EXPECT_TRUE(ReachesOpen(s, other, milliseconds(3000)));
  // Once one of 127.0.0.3's connections is gone, a new one is accepted.
  a.reset();
  s.loop.RunUntil([] { return false; }, milliseconds(300));
  Client d(Addr("127.0.0.3"), Addr("127.0.0.1"), s.port);
  EXPECT_TRUE(ReachesOpen(s, d, milliseconds(3000)));
  EXPECT_EQ(s.refused.size(), 1u);
}

// Out of descriptors, a pending connection is taken with the loop's spare
// descriptor and closed (Refusal::kNoDescriptors): the listener does not
// stay ready with the loop spinning on it, and the clients hear a close.
TEST(PosixListenAccessTest, OutOfDescriptorsRefusesInsteadOfSpinning) {
  ListenConfig lc;
  lc.address = Addr("127.0.0.1");
  lc.port = 0;
  Server s(std::move(lc));
  ASSERT_TRUE(s.status.ok()) << s.status;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i)
    clients.push_back(
        std::make_unique<Client>(Addr("127.0.0.5"), Addr("127.0.0.1"), s.port));
  // Fill every free descriptor below the limit, then lower the limit to
  // the highest one: no accept() can get a descriptor now.
  rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 256;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> filler;
  for (int fd; (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
    filler.push_back(fd);
  const auto start = std::chrono::steady_clock::now();
  const bool all = s.loop.RunUntil(
      [&] {
        size_t n = 0;
        for (auto& c : clients) n += c->Poll() ? 0 : 1;
        return n == clients.size();
      },
      milliseconds(3000));
  for (int fd : filler) close(fd);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  EXPECT_TRUE(all) << "the clients were not closed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  ASSERT_EQ(s.refused.size(), 3u);
  for (const auto& [a, r] : s.refused) {
    EXPECT_EQ(a, Addr("127.0.0.5"));
    EXPECT_EQ(r, Refusal::kNoDescriptors);
  }
  for (auto& c : clients) EXPECT_TRUE(c->data().empty());
  EXPECT_EQ(s.accepted, 0);
  // With descriptors again, connections are accepted as before.
  Client later(Addr("127.0.0.5"), Addr("127.0.0.1"), s.port);
  EXPECT_TRUE(ReachesOpen(s, later, milliseconds(3000)));
}

// --- OpenSent hold time (RFC 4271 §8.2.2) ----------------------------------

TEST(PosixListenAccessTest, IdleConnectionGetsHoldTimerExpiredAtOpenHoldTime) {
  ListenConfig lc;
  lc.address = Addr("127.0.0.1");
  lc.port = 0;
  SessionConfig session = ListenerSession();
  session.open_hold_time = milliseconds(400);
  Server s(std::move(lc), session);
  ASSERT_TRUE(s.status.ok()) << s.status;
  Client c(Addr("127.0.0.1"), Addr("127.0.0.1"), s.port);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(s.loop.RunUntil(
      [&] {
        c.Poll();
        return c.closed();
      },
      milliseconds(5000)));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, milliseconds(350));
  ASSERT_EQ(c.MessageType(0), kOpen);
  ASSERT_EQ(c.MessageType(1), kNotification);
  const std::vector<uint8_t> n = c.Body(1);
  ASSERT_GE(n.size(), 2u);
  EXPECT_EQ(n[0], 4);  // Hold Timer Expired
  EXPECT_EQ(n[1], 0);
}

TEST(PosixListenAccessTest, ZeroOpenHoldTimeIsInvalid) {
  SessionConfig session = ListenerSession();
  session.open_hold_time = milliseconds(0);
  EXPECT_TRUE(absl::IsInvalidArgument(session.Validate()));
}

}  // namespace
}  // namespace posix
}  // namespace bgpy
