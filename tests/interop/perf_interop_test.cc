// Copyright 2026 The bgpy Authors.
//
// Interop (issue 11): bgpy-perf measuring real routers. Each test starts the
// router (BIRD 2, FRR bgpd or GoBGP) with three passive eBGP neighbours: two
// injecting sessions (AS 65051, 127.0.50.1 and .2) and the monitor (AS
// 65053, 127.0.50.3); the router (AS 65050, 127.0.50.10) passes every route
// on (import all / export all). bgpy-perf runs its floor first, then
// 100,000 routes from the two injectors to the one monitor (GoBGP, which
// needs about 8 s of CPU per 100,000 routes and phase, takes 20,000 in the
// flap, canary, passive-monitor and IPv6 cases):
//   announce:  every route arrives, delays positive and ordered, the floor
//              and the router's CPU and peak RSS reported;
//   withdraw:  a withdrawal of every route reaches the monitor;
//   best-path: peer 0's long path, then peer 1's shorter one: the monitor
//              sees the change for every prefix;
//   flap:      two withdraw + announce cycles, each complete;
//   canary:    canaries announced and withdrawn one by one during the
//              load, each event seen at the monitor;
//   passive monitor: the router connects to bgpy-perf's monitor;
//   IPv6:      withdraw with IPv6 routes over the IPv4 sessions.
// GoBGP and FRR refuse next hops in 127.0.0.0/8: the routes carry
// 192.0.2.1 (a value only: nothing reaches the kernel).
//
// Addresses (unique to this file): 127.0.50.0/24. Labelled `interop`; a
// missing daemon or tool skips (fails with CI=true).
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interop/daemons.h"
#include "interop/tools_util.h"
#include "testlib/json.h"

namespace bgpy {
namespace interop {
namespace {

using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;

constexpr uint32_t kRouterAs = 65050;
constexpr uint32_t kInjectAs = 65051;
constexpr uint32_t kMonitorAs = 65053;
constexpr char kRouter[] = "127.0.50.10";
constexpr char kInject1[] = "127.0.50.1";
constexpr char kInject2[] = "127.0.50.2";
constexpr char kMonitor[] = "127.0.50.3";
constexpr int kRoutes = 100000;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

double Num(const JsonValue& j, absl::string_view key) {
  const JsonValue* v = j.Get(key);
  EXPECT_TRUE(v != nullptr && v->is_number()) << key << " missing or null";
  double d = -1;
  if (v != nullptr && v->is_number()) {
    EXPECT_TRUE(absl::SimpleAtod(v->text(), &d));
  }
  return d;
}

// The times and delays of a complete phase (or of the floor, `prefix`
// "floor_"): everything arrived, in order.
void CheckComplete(const JsonValue& j, const std::string& prefix, int routes) {
  SCOPED_TRACE(prefix.empty() ? "phase" : prefix);
  EXPECT_EQ(Num(j, prefix + "routes"), routes);
  EXPECT_EQ(Num(j, prefix + "received"), routes);
  EXPECT_EQ(Num(j, prefix + "missing"), 0);
  const double t_first = Num(j, prefix + "t_first_s");
  const double t_50 = Num(j, prefix + "t_50_s");
  const double t_99 = Num(j, prefix + "t_99_s");
  const double t_all = Num(j, prefix + "t_all_s");
  EXPECT_GT(t_first, 0);
  EXPECT_LE(t_first, t_50);
  EXPECT_LE(t_50, t_99);
  EXPECT_LE(t_99, t_all);
  const double p50 = Num(j, prefix + "delay_p50_ms");
  const double p90 = Num(j, prefix + "delay_p90_ms");
  const double p99 = Num(j, prefix + "delay_p99_ms");
  const double max = Num(j, prefix + "delay_max_ms");
  EXPECT_GT(p50, 0);
  EXPECT_LE(p50, p90);
  EXPECT_LE(p90, p99);
  EXPECT_LE(p99, max);
  EXPECT_LE(max / 1e3, t_all + 1e-6);
}

int seq = 0;

// Starts `kind` as the router and runs bgpy-perf --scenario=`scenario`
// through it; returns result.json.
struct RunOptions {
  // The router connects to the monitor (bgpy-perf --monitor-passive).
  bool monitor_passive = false;
  std::vector<std::string> extra_args;
  // 0: kRoutes (100,000 from the 2 injecting peers), for every router.
  int routes = 0;
  // IPv6 routes (over the IPv4 sessions) instead of IPv4 ones.
  bool v6 = false;
};

void RunThrough(DaemonKind kind, const std::string& scenario, JsonValue* out,
                const RunOptions& ro = RunOptions()) {
  BGPY_REQUIRE_DAEMON(kind);
  BGPY_REQUIRE_TOOL(perf, "bgpy-perf");
  const int routes = ro.routes > 0 ? ro.routes : kRoutes;
  DaemonSpec spec;
  spec.local_address = kRouter;
  spec.local_as = kRouterAs;
  uint16_t monitor_port = 0;
  if (ro.monitor_passive) {
    absl::StatusOr<uint16_t> port = FreePort(kMonitor);
    ASSERT_TRUE(port.ok()) << port.status();
    monitor_port = *port;
  }
  for (const char* a : {kInject1, kInject2, kMonitor}) {
    NeighborSpec n;
    n.address = a;
    n.as = a == kMonitor ? kMonitorAs : kInjectAs;
    n.passive = true;
    if (ro.v6) n.families = {"ipv6-unicast"};
    if (a == kMonitor && ro.monitor_passive) {
      n.passive = false;  // the router connects to the monitor
      n.port = monitor_port;
    }
    spec.neighbors.push_back(n);
  }
  absl::StatusOr<std::unique_ptr<Daemon>> router = Daemon::Start(kind, spec);
  ASSERT_TRUE(router.ok()) << router.status();
  const std::string dir = absl::StrCat(::testing::TempDir(), "/perf_interop_",
                                       ::getpid(), "_", ++seq);
  std::vector<std::string> argv = {
      perf, absl::StrCat("--router=", kRouter),
      absl::StrCat("--port=", (*router)->port()),
      absl::StrCat("--router-as=", kRouterAs),
      absl::StrCat("--inject-from=", kInject1, ",", kInject2),
      absl::StrCat("--inject-as=", kInjectAs),
      monitor_port == 0
          ? absl::StrCat("--monitor-at=", kMonitor)
          : absl::StrCat("--monitor-at=", kMonitor, ":", monitor_port),
      absl::StrCat("--monitor-as=", kMonitorAs),
      absl::StrCat("--scenario=", scenario),
      ro.v6 ? "--prefix=2001:db8:50::/64" : "--prefix=10.50.0.0/32",
      absl::StrCat("--count=", routes),
      ro.v6 ? "--next-hop=2001:db8::1" : "--next-hop=192.0.2.1",
      absl::StrCat("--router-pid=", (*router)->pid()),
      // Per phase; GoBGP takes 100,000 routes in about 10 s of CPU, more
      // on a loaded machine or under the sanitizers.
      "--timeout=120s",

      absl::StrCat("--out=", dir)};
  if (ro.monitor_passive) argv.push_back("--monitor-passive");
  argv.insert(argv.end(), ro.extra_args.begin(), ro.extra_args.end());
  absl::StatusOr<std::unique_ptr<ToolProcess>> p = ToolProcess::Start(argv);
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<int> code = (*p)->Wait(Millis(400000));
  ASSERT_TRUE(code.ok()) << code.status() << "\n" << (*p)->Tail();
  EXPECT_EQ(*code, 0) << (*p)->Tail() << "\n" << (*router)->LogTail();
  absl::StatusOr<JsonValue> j = ParseJson(ReadFile(dir + "/result.json"));
  ASSERT_TRUE(j.ok()) << j.status() << "\n" << (*p)->Tail();
  EXPECT_EQ(*j->GetText("scenario"), scenario);
  CheckComplete(*j, "", routes);
  CheckComplete(*j, "floor_", routes);
  // The router's own cost.
  EXPECT_GE(Num(*j, "router_cpu_s"), 0);
  EXPECT_GT(Num(*j, "router_rss_mb"), 0);
  // The whole summary is one line on stderr.
  EXPECT_THAT((*p)->Stderr(), ::testing::HasSubstr("floor: t_all="));
  *out = *j;
}

// The names and received counts of the phases.
void CheckPhases(const JsonValue& j, const std::vector<std::string>& names) {
  const std::string* routes = j.GetText("routes");
  ASSERT_NE(routes, nullptr);
  const JsonValue* phases = j.Get("phases");
  ASSERT_TRUE(phases != nullptr && phases->is_array());
  ASSERT_EQ(phases->items().size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    const JsonValue& p = phases->items()[i];
    EXPECT_EQ(*p.GetText("name"), names[i]);
    EXPECT_EQ(*p.GetText("received"), *routes) << names[i];
    EXPECT_EQ(*p.GetText("missing"), "0") << names[i];
  }
}

class PerfInteropTest : public ::testing::TestWithParam<DaemonKind> {};

// The routes of the scenarios beyond the proof (announce, withdraw,
// best-path: 100,000 routes from 2 peers on every router): GoBGP spends
// about 8 s of CPU per 100,000 routes and phase, so the many-phase and
// extra scenarios run 20,000 through it to stay near a minute each.
int ExtraScenarioRoutes(DaemonKind kind) {
  return kind == DaemonKind::kGobgp ? 20000 : 0;
}

TEST_P(PerfInteropTest, Announce) {
  JsonValue j;
  RunThrough(GetParam(), "announce", &j);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckPhases(j, {"announce"});
  EXPECT_EQ(Num(j, "at_monitor_end"), Num(j, "routes"));
}

TEST_P(PerfInteropTest, WithdrawLeavesTheMonitorEmpty) {
  JsonValue j;
  RunThrough(GetParam(), "withdraw", &j);
  if (HasFatalFailure() || IsSkipped()) return;
  // A withdrawal of every route reached the monitor: none is left there.
  CheckPhases(j, {"announce", "withdraw"});
  EXPECT_EQ(Num(j, "at_monitor_end"), 0);
}

TEST_P(PerfInteropTest, BestPathChangesEveryPrefix) {
  JsonValue j;
  RunThrough(GetParam(), "best-path", &j);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckPhases(j, {"announce-long-path", "best-path"});
}

// Two flap cycles: every withdrawal and every re-announcement arrives.
TEST_P(PerfInteropTest, FlapTwice) {
  JsonValue j;
  RunOptions ro;
  ro.routes = ExtraScenarioRoutes(GetParam());
  ro.extra_args.push_back("--cycles=2");
  RunThrough(GetParam(), "flap", &j, ro);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckPhases(j, {"announce", "flap1-withdraw", "flap1-announce",
                  "flap2-withdraw", "flap2-announce"});
}

// Canaries through the loaded router, each announcement and withdrawal
// seen at the monitor (a withdrawal waits for its announcement: routers
// fold an announcement withdrawn before it went out into nothing).
TEST_P(PerfInteropTest, CanariesDuringTheLoad) {
  JsonValue j;
  RunOptions ro;
  ro.routes = ExtraScenarioRoutes(GetParam());
  ro.extra_args = {"--canaries=5", "--canary-interval=10ms"};
  const int events = 10;
  RunThrough(GetParam(), "canary", &j, ro);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckPhases(j, {"announce"});
  EXPECT_EQ(Num(j, "canary_events"), events);
  EXPECT_EQ(Num(j, "canary_missing"), 0);
  EXPECT_GT(Num(j, "canary_delay_p50_ms"), 0);
}

// The router connects to the monitor.
TEST_P(PerfInteropTest, PassiveMonitor) {
  JsonValue j;
  RunOptions ro;
  ro.routes = ExtraScenarioRoutes(GetParam());
  ro.monitor_passive = true;
  RunThrough(GetParam(), "announce", &j, ro);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckPhases(j, {"announce"});
}

// IPv6 routes (MP_REACH_NLRI / MP_UNREACH_NLRI over the IPv4 sessions):
// every announcement and every withdrawal arrives.
TEST_P(PerfInteropTest, Ipv6Withdraw) {
  JsonValue j;
  RunOptions ro;
  ro.routes = ExtraScenarioRoutes(GetParam());
  ro.v6 = true;
  RunThrough(GetParam(), "withdraw", &j, ro);
  if (HasFatalFailure() || IsSkipped()) return;
  CheckPhases(j, {"announce", "withdraw"});
  EXPECT_EQ(Num(j, "at_monitor_end"), 0);
}

INSTANTIATE_TEST_SUITE_P(Routers, PerfInteropTest,
                         ::testing::Values(DaemonKind::kBird, DaemonKind::kFrr,
                                           DaemonKind::kGobgp),
                         [](const ::testing::TestParamInfo<DaemonKind>& info) {
                           switch (info.param) {
                             case DaemonKind::kBird:
                               return "Bird";
                             case DaemonKind::kFrr:
                               return "Frr";
                             case DaemonKind::kGobgp:
                               return "Gobgp";
                             default:
                               return "Other";
                           }
                         });

}  // namespace
}  // namespace interop
}  // namespace bgpy
