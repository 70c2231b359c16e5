// Copyright 2026 The bgpy Authors.
//
// The interop daemon helper (interop/daemons.h) itself: the configuration
// builders, FreePort, RunCommand's capture and timeout, and a bgpy session
// establishing with FRR bgpd and ExaBGP (the daemons the issue-4 tool tests
// use besides BIRD and GoBGP, see session_test.cc).
//
// Addresses (unique to this file): bgpy 127.0.10.1 (source of active
// connections only); FRR 127.0.10.6; ExaBGP 127.0.10.7; BIRD 127.0.10.8.
//
// Quirks met:
// - FRR bgpd runs alone with -Z (no zebra) -S (no user switch) -P 0 (no vty
//   port); eBGP needs `no bgp ebgp-requires-policy`; loopback peers need
//   `ebgp-multihop`. It refuses 127/8 next hops: routes use 192.0.2.1.
// - ExaBGP 4.2 listens per neighbour with `listen PORT` on its local
//   address; `exabgp.tcp.bind=` (empty) stops its global listener, and
//   `exabgp.cli.enable=false` its named pipes in /run/exabgp.
#include "interop/daemons.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace interop {
namespace {

using posix::EventLoop;
using posix::PeerConfig;
using posix::PeerId;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBgpyAddress[] = "127.0.10.1";
constexpr uint32_t kBgpyAs = 65001;
constexpr uint32_t kDaemonAs = 65002;

IpAddress Addr(absl::string_view text) { return *IpAddress::Parse(text); }

DaemonSpec Spec(absl::string_view address, uint16_t port) {
  DaemonSpec spec;
  spec.local_address = std::string(address);
  spec.local_port = port;
  spec.local_as = kDaemonAs;
  spec.originate = {"203.0.113.0/24"};
  NeighborSpec n;
  n.address = kBgpyAddress;
  n.as = kBgpyAs;
  n.port = 1179;
  n.passive = true;
  n.families = {"ipv4-unicast", "ipv6-unicast"};
  n.add_path_receive = true;
  n.hold_time = 30;
  spec.neighbors.push_back(n);
  return spec;
}

TEST(DaemonConfigTest, Bird) {
  std::string c = BirdConfig(Spec("127.0.10.6", 2179), "/tmp/x");
  EXPECT_THAT(c, HasSubstr("router id 127.0.10.6;"));
  EXPECT_THAT(c, HasSubstr("log \"/tmp/x/bird.log\" all;"));
  EXPECT_THAT(c, HasSubstr("route 203.0.113.0/24 blackhole;"));
  EXPECT_THAT(c, HasSubstr("local 127.0.10.6 port 2179 as 65002;"));
  EXPECT_THAT(c, HasSubstr("strict bind on;"));
  EXPECT_THAT(c, HasSubstr("neighbor 127.0.10.1 port 1179 as 65001;"));
  EXPECT_THAT(c, HasSubstr("multihop 2;"));
  EXPECT_THAT(c, HasSubstr("passive on;"));
  EXPECT_THAT(c, HasSubstr("hold time 30;"));
  EXPECT_THAT(c, HasSubstr("add paths rx;"));
  // IPv6 over an IPv4 session needs an explicit next hop.
  EXPECT_THAT(c, HasSubstr("next hop address 2001:db8::1;"));
  EXPECT_THAT(c, Not(HasSubstr("extended messages")));
}

TEST(DaemonConfigTest, Gobgp) {
  std::string c = GobgpConfig(Spec("127.0.10.6", 2179));
  EXPECT_THAT(c, HasSubstr("as = 65002\n"));
  EXPECT_THAT(c, HasSubstr("port = 2179\n"));
  EXPECT_THAT(c, HasSubstr("local-address-list = [\"127.0.10.6\"]"));
  EXPECT_THAT(c, HasSubstr("neighbor-address = \"127.0.10.1\""));
  EXPECT_THAT(c, HasSubstr("remote-port = 1179\n"));
  EXPECT_THAT(c, HasSubstr("passive-mode = true\n"));
  EXPECT_THAT(c, HasSubstr("multihop-ttl = 2\n"));
  EXPECT_THAT(c, HasSubstr("afi-safi-name = \"ipv6-unicast\""));
  EXPECT_THAT(c, HasSubstr("receive = true\n"));
  EXPECT_THAT(c, Not(HasSubstr("send-max")));
}

TEST(DaemonConfigTest, Frr) {
  std::string c = FrrConfig(Spec("127.0.10.6", 2179), "/tmp/x");
  EXPECT_THAT(c, HasSubstr("router bgp 65002\n"));
  EXPECT_THAT(c, HasSubstr(" no bgp ebgp-requires-policy\n"));
  EXPECT_THAT(c, HasSubstr(" neighbor 127.0.10.1 remote-as 65001\n"));
  EXPECT_THAT(c, HasSubstr(" neighbor 127.0.10.1 port 1179\n"));
  EXPECT_THAT(c, HasSubstr(" neighbor 127.0.10.1 passive\n"));
  EXPECT_THAT(c, HasSubstr(" neighbor 127.0.10.1 ebgp-multihop 2\n"));
  EXPECT_THAT(c, HasSubstr(" address-family ipv4 unicast\n"
                           "  network 203.0.113.0/24\n"
                           "  neighbor 127.0.10.1 activate\n"));
  EXPECT_THAT(c, HasSubstr(" address-family ipv6 unicast\n"
                           "  neighbor 127.0.10.1 activate\n"));
}

TEST(DaemonConfigTest, Exabgp) {
  std::string c = ExabgpConfig(Spec("127.0.10.6", 2179), "/tmp/x");
  EXPECT_THAT(c, HasSubstr("run /tmp/x/api.sh;"));
  EXPECT_THAT(c, HasSubstr("neighbor 127.0.10.1 {"));
  EXPECT_THAT(c, HasSubstr("local-address 127.0.10.6;"));
  EXPECT_THAT(c, HasSubstr("listen 2179;"));
  EXPECT_THAT(c, HasSubstr("connect 1179;"));
  EXPECT_THAT(c, HasSubstr("passive true;"));
  EXPECT_THAT(c, HasSubstr("    ipv6 unicast;\n"));
  EXPECT_THAT(c, HasSubstr("add-path receive;"));
  EXPECT_THAT(c, HasSubstr("extended-message disable;"));
  EXPECT_THAT(c, HasSubstr("route 203.0.113.0/24 next-hop 192.0.2.1;"));
}

// VPN, EVPN and FlowSpec neighbours: each daemon's own family words, BIRD's
// tables of their own.
DaemonSpec FamilySpec() {
  DaemonSpec spec = Spec("127.0.10.6", 2179);
  spec.neighbors[0].families = {"l3vpn-ipv4-unicast", "ipv4-flowspec",
                                "ipv6-flowspec", "l2vpn-evpn"};
  spec.neighbors[0].add_path_receive = false;
  spec.exabgp_flow = {
      "route r1 { match { destination 10.0.0.0/24; } then { discard; } }"};
  return spec;
}

TEST(DaemonConfigTest, BirdFamilyTables) {
  EXPECT_EQ(BirdTable("ipv4-unicast"), "master4");
  EXPECT_EQ(BirdTable("ipv6-labelled-unicast"), "master6");
  EXPECT_EQ(BirdTable("l3vpn-ipv4-unicast"), "vpntab4");
  EXPECT_EQ(BirdTable("ipv6-flowspec"), "flowtab6");
  DaemonSpec spec = FamilySpec();
  spec.neighbors[0].families = {"l3vpn-ipv4-unicast", "ipv4-flowspec",
                                "ipv6-flowspec"};
  std::string c = BirdConfig(spec, "/tmp/x");
  EXPECT_THAT(c, HasSubstr("vpn4 table vpntab4;\n"));
  EXPECT_THAT(c, HasSubstr("flow4 table flowtab4;\n"));
  EXPECT_THAT(c, HasSubstr("flow6 table flowtab6;\n"));
  EXPECT_THAT(c, HasSubstr("  vpn4 mpls {\n    import all;\n"
                           "    export all;\n    table vpntab4;\n"));
  EXPECT_THAT(c, HasSubstr("  flow6 {\n    import all;\n"
                           "    export all;\n    table flowtab6;\n  };"));
  EXPECT_THAT(c, Not(HasSubstr("next hop address")));
}

TEST(DaemonConfigTest, FrrFamilies) {
  std::string c = FrrConfig(FamilySpec(), "/tmp/x");
  EXPECT_THAT(c, HasSubstr(" address-family ipv4 vpn\n"
                           "  neighbor 127.0.10.1 activate\n"));
  EXPECT_THAT(c, HasSubstr(" address-family ipv4 flowspec\n"
                           "  neighbor 127.0.10.1 activate\n"));
  EXPECT_THAT(c, HasSubstr(" address-family l2vpn evpn\n"
                           "  neighbor 127.0.10.1 activate\n"));
  // `network` only where the family takes it.
  EXPECT_THAT(c, Not(HasSubstr("network 203.0.113.0/24")));
}

TEST(DaemonConfigTest, ExabgpFlow) {
  std::string c = ExabgpConfig(FamilySpec(), "/tmp/x");
  EXPECT_THAT(c, HasSubstr("    ipv4 mpls-vpn;\n    ipv4 flow;\n"
                           "    ipv6 flow;\n    l2vpn evpn;\n"));
  EXPECT_THAT(c, HasSubstr("  flow {\n    route r1 { match { destination "
                           "10.0.0.0/24; } then { discard; } }\n  }\n"));
}

TEST(DaemonHelperTest, FreePortIsBindable) {
  auto port = FreePort("127.0.10.1");
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_GT(*port, 0);
  EXPECT_FALSE(FreePort("not-an-address").ok());
}

TEST(DaemonHelperTest, RunCommandCapturesOutputAndExitCode) {
  auto r = RunCommand({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_THAT(r->output, HasSubstr("out\n"));
  EXPECT_THAT(r->output, HasSubstr("err\n"));
  auto env = RunCommand({"sh", "-c", "echo $BGPY_X"}, milliseconds(5000),
                        {"BGPY_X=42"});
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ(env->output, "42\n");
  EXPECT_TRUE(absl::IsNotFound(RunCommand({"bgpy-no-such-program"}).status()));
}

TEST(DaemonHelperTest, RunCommandTimeoutKills) {
  auto start = Clock::now();
  // The background child keeps the pipe open: the whole group is killed.
  auto r = RunCommand({"sh", "-c", "sleep 30 & sleep 30"}, milliseconds(300));
  EXPECT_TRUE(absl::IsDeadlineExceeded(r.status())) << r.status();
  EXPECT_LT(Clock::now() - start, seconds(5));
}

// A test process that dies without running destructors (here: SIGKILL
// after starting BIRD) leaves no daemon behind: PR_SET_PDEATHSIG kills it.
TEST(DaemonHelperTest, DaemonDiesWithItsTestProcess) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    DaemonSpec spec;
    spec.local_address = "127.0.10.8";
    spec.local_as = kDaemonAs;
    auto d = Daemon::Start(DaemonKind::kBird, spec);
    std::string msg =
        d.ok() ? absl::StrCat((*d)->pid(), " ", (*d)->dir(), "\n") : "0 -\n";
    if (write(fds[1], msg.data(), msg.size()) < 0) _exit(2);
    raise(SIGKILL);  // no destructor runs
  }
  close(fds[1]);
  std::string msg;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) msg.append(buf, n);
  close(fds[0]);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  std::vector<std::string> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(msg), ' ');
  ASSERT_EQ(parts.size(), 2u) << msg;
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(parts[0], &pid) && pid > 0) << msg;
  // This process is the orphaned daemon's subreaper: it gets reaped here
  // (PID 1 of a container may never reap it).
  int daemon_status = 0;
  EXPECT_TRUE(
      WaitFor([&] { return waitpid(pid, &daemon_status, WNOHANG) == pid; },
              milliseconds(5000), milliseconds(50)))
      << "daemon " << pid << " survived its test process";
  EXPECT_TRUE(WIFSIGNALED(daemon_status) && WTERMSIG(daemon_status) == SIGKILL);
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  std::error_code ec;
  std::filesystem::remove_all(parts[1], ec);
}

// --- Sessions with FRR and ExaBGP ------------------------------------------

struct Seen {
  SessionState state = SessionState::kIdle;
  std::set<Prefix> prefixes;
  bool decode_error = false;
};

void Record(EventLoop& loop, Seen& seen) {
  loop.on_event = [&loop, &seen](PeerId id, const SessionEvent& ev) {
    if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      seen.state = sc->to;
    } else if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (m->type != MessageType::kUpdate) return;
      auto view = UpdateView::Parse(m->bytes, loop.session(id)->recv_params());
      if (!view.ok()) {
        seen.decode_error = true;
        return;
      }
      for (const NlriEntryView& e : view->nlri())
        seen.prefixes.insert(IpPrefixOf(Afi::kIpv4, e.bytes));
    }
  };
}

// Connects bgpy to `d`, waits for Established and sends 10 routes
// 10.30.0.0/32.. with next hop 192.0.2.1 and End-of-RIB.
struct Connected {
  EventLoop loop;
  Seen seen;
  PeerId id = 0;

  ::testing::AssertionResult Connect(const Daemon& d) {
    signal(SIGPIPE, SIG_IGN);
    Record(loop, seen);
    PeerConfig pc;
    pc.address = Addr(d.address());
    pc.port = d.port();
    pc.local_address = Addr(kBgpyAddress);
    pc.ttl = 2;
    pc.connect_timeout = milliseconds(900);
    pc.session.local_as = kBgpyAs;
    pc.session.peer_as = kDaemonAs;
    pc.session.router_id = 0x0a000a01;
    pc.session.hold_time = 30;
    pc.session.connect_retry = seconds(1);
    pc.session.connect_retry_max = seconds(2);
    pc.session.families = {kIpv4Unicast, kIpv6Unicast};
    pc.session.add_path = {{kIpv4Unicast, /*send=*/true, /*receive=*/false}};
    auto added = loop.AddPeer(pc);
    if (!added.ok()) return ::testing::AssertionFailure() << added.status();
    id = *added;
    if (!loop.RunUntil([&] { return seen.state == SessionState::kEstablished; },
                       seconds(15)))
      return ::testing::AssertionFailure()
             << "not Established: " << SessionStateName(seen.state);
    Session* s = loop.session(id);
    UpdateBuilder b(s->send_params());
    PathAttributes attrs;
    attrs.origin = Origin::kIgp;
    attrs.as_path = AsPath{{{AsSegmentType::kSequence, {kBgpyAs}}}};
    attrs.next_hop = Addr("192.0.2.1");
    if (!b.SetAttributes(attrs, kIpv4Unicast).ok())
      return ::testing::AssertionFailure() << "SetAttributes";
    std::optional<uint32_t> path_id;
    if (s->negotiated()->AddPathSend(kIpv4Unicast)) path_id = 7;
    for (int i = 0; i < 10; ++i)
      if (!b.Announce(*Prefix::Parse("10.30.0.0/32")->Advance(i), path_id))
        return ::testing::AssertionFailure() << "Announce";
    std::vector<uint8_t> msg;
    b.Flush(msg);
    absl::Status st = loop.QueueUpdate(id, msg);
    if (st.ok()) st = loop.QueueEndOfRib(id, kIpv4Unicast);
    if (!st.ok()) return ::testing::AssertionFailure() << st;
    return ::testing::AssertionSuccess();
  }
};

TEST(DaemonSessionTest, FrrEstablishesAndTakesRoutes) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kFrr);
  DaemonSpec spec = Spec("127.0.10.6", 0);
  spec.neighbors[0].port = 179;  // passive: FRR never connects
  auto frr = Daemon::Start(DaemonKind::kFrr, spec);
  ASSERT_TRUE(frr.ok()) << frr.status();
  Connected c;
  ASSERT_TRUE(c.Connect(**frr)) << (*frr)->LogTail();
  const Negotiated* n = c.loop.session(c.id)->negotiated();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->peer_as, kDaemonAs);
  EXPECT_EQ(n->peer_id, 0x7f000a06u);
  EXPECT_TRUE(n->four_octet_as);
  EXPECT_TRUE(n->HasFamily(kIpv4Unicast));
  EXPECT_TRUE(n->HasFamily(kIpv6Unicast));
  EXPECT_TRUE(n->route_refresh);
  EXPECT_TRUE(n->AddPathSend(kIpv4Unicast));  // FRR: add-path receive
  EXPECT_EQ(n->hold_time, 30);

  std::string out;
  EXPECT_TRUE(WaitFor(
      [&] {
        c.loop.RunUntil([] { return false; }, milliseconds(250));
        auto o =
            (*frr)->Cli({"show", "bgp", "ipv4", "unicast", "summary", "json"});
        out = o.ok() ? *o : std::string(o.status().message());
        return absl::StrContains(out, "\"pfxRcd\":10,");
      },
      milliseconds(10000), milliseconds(250)))
      << out;
  ASSERT_TRUE(c.loop.RunUntil(
      [&] { return c.seen.prefixes.count(*Prefix::Parse("203.0.113.0/24")); },
      seconds(10)));
  EXPECT_FALSE(c.seen.decode_error);
}

TEST(DaemonSessionTest, ExabgpEstablishesAndTakesRoutes) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kExabgp);
  DaemonSpec spec = Spec("127.0.10.7", 0);
  auto exa = Daemon::Start(DaemonKind::kExabgp, spec);
  ASSERT_TRUE(exa.ok()) << exa.status();
  Connected c;
  ASSERT_TRUE(c.Connect(**exa)) << (*exa)->LogTail();
  const Negotiated* n = c.loop.session(c.id)->negotiated();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->peer_as, kDaemonAs);
  EXPECT_EQ(n->peer_id, 0x7f000a07u);
  EXPECT_TRUE(n->four_octet_as);
  EXPECT_TRUE(n->HasFamily(kIpv4Unicast));
  EXPECT_TRUE(n->HasFamily(kIpv6Unicast));
  EXPECT_TRUE(n->route_refresh);
  EXPECT_TRUE(n->AddPathSend(kIpv4Unicast));
  EXPECT_FALSE(n->extended_message);  // disabled in its configuration

  // ExaBGP's API process writes one JSON line per received UPDATE.
  std::string all;
  EXPECT_TRUE(WaitFor(
      [&] {
        c.loop.RunUntil([] { return false; }, milliseconds(250));
        all.clear();
        for (const std::string& l : (*exa)->ExabgpMessages())
          absl::StrAppend(&all, l, "\n");
        return absl::StrContains(all, "10.30.0.9/32");
      },
      milliseconds(10000), milliseconds(250)))
      << all << (*exa)->LogTail();
  EXPECT_THAT(all, HasSubstr("\"10.30.0.0/32\""));
  EXPECT_THAT(all, HasSubstr("192.0.2.1"));
  ASSERT_TRUE(c.loop.RunUntil(
      [&] { return c.seen.prefixes.count(*Prefix::Parse("203.0.113.0/24")); },
      seconds(10)));
  EXPECT_FALSE(c.seen.decode_error);
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
