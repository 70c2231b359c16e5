// Copyright 2026 The bgpy Authors.
//
// bgpy-listen's access control against real daemons on loopback: a TCP MD5
// key per prefix (--md5-password=PREFIX=KEY, TCP_MD5SIG_EXT on the
// listening socket) with BIRD, GoBGP and FRR connecting with their own
// RFC 2385 support, and GTSM (--ttl-security, RFC 5082) with BIRD's
// `ttl security`. Each daemon connects to bgpy-listen: with the right key
// the session reaches Established (with BIRD and GTSM on both sides, its
// route arrives); with a wrong key (or no GTSM on the daemon) the kernel
// drops its SYNs and bgpy-listen never sees a connection.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "interop/daemons.h"
#include "interop/tools_util.h"

namespace bgpy {
namespace interop {
namespace {

constexpr char kDaemonAddress[] = "127.0.31.2";

struct Listener {
  std::unique_ptr<ToolProcess> proc;
  uint16_t port = 0;
};

// bgpy-listen on 127.0.0.1, a free port, with `flags`.
Listener StartListen(const std::string& path,
                     const std::vector<std::string>& flags) {
  Listener l;
  absl::StatusOr<uint16_t> port = FreePort("127.0.0.1");
  EXPECT_TRUE(port.ok()) << port.status();
  if (!port.ok()) return l;
  l.port = *port;
  std::vector<std::string> argv = {
      path, absl::StrCat("--listen=127.0.0.1:", *port), "--local-as=65001",
      "--print=none", "--duration=60s"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<std::unique_ptr<ToolProcess>> p = ToolProcess::Start(argv);
  EXPECT_TRUE(p.ok()) << p.status();
  if (p.ok()) l.proc = *std::move(p);
  return l;
}

DaemonSpec Spec(uint16_t listen_port, const std::string& md5) {
  DaemonSpec spec;
  spec.local_address = kDaemonAddress;
  spec.local_as = 65031;
  spec.originate = {"203.0.113.0/24"};
  NeighborSpec n;
  n.address = "127.0.0.1";
  n.as = 65001;
  n.port = listen_port;
  n.md5_password = md5;
  spec.neighbors.push_back(n);
  return spec;
}

class ListenMd5Test : public ::testing::TestWithParam<DaemonKind> {};

TEST_P(ListenMd5Test, KeyPerPrefix) {
  BGPY_REQUIRE_DAEMON(GetParam());
  BGPY_REQUIRE_TOOL(listen_path, "bgpy-listen");
  // The daemon's address is covered by a /24 key; another prefix has
  // another key.
  Listener l = StartListen(
      listen_path, {"--allow=127.0.31.0/24,127.0.32.0/24",
                    "--md5-password=127.0.31.0/24=s3cret,127.0.32.0/24=other"});
  ASSERT_NE(l.proc, nullptr);
  auto d = Daemon::Start(GetParam(), Spec(l.port, "s3cret"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(WaitFor(
      [&] {
        return absl::StrContains(l.proc->Stderr(),
                                 "OpenConfirm -> Established");
      },
      Millis(30000)))
      << DaemonName(GetParam()) << "\n"
      << l.proc->Tail() << (*d)->LogTail();
  (*d)->Stop();
  EXPECT_EQ(l.proc->Stop().value_or(-2), 0);
}

TEST_P(ListenMd5Test, WrongKeyNeverConnects) {
  BGPY_REQUIRE_DAEMON(GetParam());
  BGPY_REQUIRE_TOOL(listen_path, "bgpy-listen");
  Listener l =
      StartListen(listen_path, {"--md5-password=127.0.31.0/24=s3cret"});
  ASSERT_NE(l.proc, nullptr);
  auto d = Daemon::Start(GetParam(), Spec(l.port, "wrong"));
  ASSERT_TRUE(d.ok()) << d.status();
  // The daemons retry every 1-5 s: 8 s see several attempts dropped.
  EXPECT_FALSE(
      WaitFor([&] { return absl::StrContains(l.proc->Stderr(), "connected"); },
              Millis(8000)))
      << l.proc->Tail();
  (*d)->Stop();
  EXPECT_EQ(l.proc->Stop().value_or(-2), 0);
}

INSTANTIATE_TEST_SUITE_P(Daemons, ListenMd5Test,
                         ::testing::Values(DaemonKind::kBird,
                                           DaemonKind::kGobgp,
                                           DaemonKind::kFrr),
                         [](const auto& info) {
                           switch (info.param) {
                             case DaemonKind::kBird:
                               return std::string("Bird");
                             case DaemonKind::kGobgp:
                               return std::string("Gobgp");
                             case DaemonKind::kFrr:
                               return std::string("Frr");
                             case DaemonKind::kExabgp:
                               break;
                           }
                           return std::string("Exabgp");
                         });

// BIRD's session is written by hand (DaemonSpec has no GTSM field): `ttl
// security` sends with 255 and requires 256 - multihop (254) on what it
// receives; bgpy-listen --ttl-security=1 requires 255.
DaemonSpec BirdGtsmSpec(uint16_t listen_port, bool gtsm) {
  DaemonSpec spec;
  spec.local_address = kDaemonAddress;
  spec.local_as = 65031;
  spec.originate = {"203.0.113.0/24"};
  spec.extra_config = absl::StrCat(
      "protocol bgp gtsm {\n  local ", kDaemonAddress,
      " as 65031;\n  neighbor 127.0.0.1 port ", listen_port,
      " as 65001;\n  multihop 2;\n", gtsm ? "  ttl security yes;\n" : "",
      "  connect delay time 1;\n  connect retry time 2;\n",
      "  ipv4 { import all; export all; };\n}\n");
  return spec;
}

TEST(ListenGtsmTest, BirdWithTtlSecurity) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  BGPY_REQUIRE_TOOL(listen_path, "bgpy-listen");
  Listener l = StartListen(listen_path, {"--ttl-security=1"});
  ASSERT_NE(l.proc, nullptr);
  auto d = Daemon::Start(DaemonKind::kBird, BirdGtsmSpec(l.port, true));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(WaitFor(
      [&] {
        return absl::StrContains(l.proc->Stderr(),
                                 "End-of-RIB ipv4-unicast (1 announced)");
      },
      Millis(30000)))
      << l.proc->Tail() << (*d)->LogTail();
  (*d)->Stop();
  EXPECT_EQ(l.proc->Stop().value_or(-2), 0);
}

TEST(ListenGtsmTest, BirdWithoutTtlSecurityNeverConnects) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  BGPY_REQUIRE_TOOL(listen_path, "bgpy-listen");
  Listener l = StartListen(listen_path, {"--ttl-security=1"});
  ASSERT_NE(l.proc, nullptr);
  // multihop 2 without GTSM: BIRD sends with TTL 2.
  auto d = Daemon::Start(DaemonKind::kBird, BirdGtsmSpec(l.port, false));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(
      WaitFor([&] { return absl::StrContains(l.proc->Stderr(), "connected"); },
              Millis(6000)))
      << l.proc->Tail();
  (*d)->Stop();
  EXPECT_EQ(l.proc->Stop().value_or(-2), 0);
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
