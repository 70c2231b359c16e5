// Copyright 2026 The bgpy Authors.
//
// bgpy-perf: measures a router under test (DESIGN.md "bgpy-perf"). Injecting
// sessions toward the router and a monitoring session from it run on one
// event loop in one thread; every route is timed from the socket write of
// its UPDATE to its decode at the monitor (bench.cc). Before the real run,
// the same routes go straight into bgpy-perf's own monitor (the floor: what
// bgpy-perf itself costs).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bgpy/errors.h"
#include "bgpy/types.h"
#include "common/tool_flags.h"
#include "perf/bench.h"
#include "perf/report.h"

ABSL_FLAG(std::string, router, "", "the router's address");
ABSL_FLAG(int, port, 179, "the router's BGP port");
ABSL_FLAG(std::string, router_as, "", "the router's AS");
ABSL_FLAG(std::string, inject_from, "",
          "ADDR[,ADDR...]: one injecting session from each address");
ABSL_FLAG(std::string, inject_as, "", "AS of the injecting sessions");
ABSL_FLAG(std::string, monitor_at, "",
          "ADDR[:PORT] of the monitoring session: its source address "
          "(active), or where it listens for the router (--monitor-passive; "
          "port 179 by default)");
ABSL_FLAG(std::string, monitor_as, "", "AS of the monitoring session");
ABSL_FLAG(bool, monitor_passive, false,
          "the router connects to the monitor at --monitor-at");
ABSL_FLAG(std::string, scenario, "announce",
          "announce | withdraw | flap | best-path | canary");
ABSL_FLAG(std::string, prefix, "10.0.0.0/32",
          "first route; each next route is the next block of that length");
ABSL_FLAG(std::string, count, "",
          "number of routes, split between the "
          "injecting sessions");
ABSL_FLAG(std::string, next_hop, "",
          "next hop of every injected route (default: the injecting "
          "session's own address)");
ABSL_FLAG(uint64_t, canaries, 10,
          "--scenario=canary: prefixes (after the --count routes) that the "
          "last --inject-from session announces and withdraws one event at "
          "a time during the load (a withdrawal waits until its announcement "
          "reached the monitor)");
ABSL_FLAG(std::string, canary_interval, "20ms",
          "--scenario=canary: time between two canary events");
ABSL_FLAG(int, cycles, 3, "--scenario=flap: withdraw+announce cycles");
ABSL_FLAG(std::string, router_pid, "",
          "the router's process id: its CPU time and peak RSS are reported");
ABSL_FLAG(std::string, timeout, "120s",
          "bound on the whole run (the floor included)");
ABSL_FLAG(std::string, settle, "5s",
          "a phase ends this long after the monitor last made progress, once "
          "every route is written and one arrived (else at --timeout)");
ABSL_FLAG(int, hold_time, 90, "hold time offered by every session (seconds)");
ABSL_FLAG(std::string, out, "",
          "DIR: writes result.json, timeline.csv and chart.svg there");
ABSL_FLAG(bool, floor, false,
          "no router: the injectors connect straight to bgpy-perf's own "
          "monitor on 127.0.0.1 (what bgpy-perf itself costs)");
ABSL_FLAG(bool, with_floor, true,
          "before the router run, the floor run with the same routes");

namespace bgpy::tools::perf {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitIncomplete = 2;

constexpr char kUsage[] =
    "bgpy-perf --router=ADDR [--port=179] --router-as=ASN "
    "--inject-from=ADDR[,ADDR...] --inject-as=ASN --monitor-at=ADDR[:PORT] "
    "--monitor-as=ASN [--monitor-passive] "
    "[--scenario=announce|withdraw|flap|best-path|canary] --prefix=10.0.0.0/32 "
    "--count=N [--router-pid=PID] [--timeout=DURATION] [--out=DIR]\n"
    "bgpy-perf --floor --count=N [...]: no router, bgpy-perf's own delays";

void Err(absl::string_view s) {
  std::fprintf(stderr, "bgpy-perf: %.*s\n", static_cast<int>(s.size()),
               s.data());
  std::fflush(stderr);
}

absl::StatusOr<IpAddress> ParseAddress(absl::string_view flag,
                                       absl::string_view text) {
  absl::StatusOr<IpAddress> a = IpAddress::Parse(text);
  if (!a.ok())
    return UsageError(flag, absl::StrCat("'", text, "' is not an IP address"));
  return *a;
}

absl::StatusOr<uint32_t> RequiredAs(absl::string_view flag,
                                    const std::string& text, bool required,
                                    uint32_t fallback) {
  if (text.empty()) {
    if (required) return UsageError(flag, "required");
    return fallback;
  }
  return ParseAsnFlag(flag, text);
}

absl::StatusOr<Options> ParseOptions() {
  Options o;
  o.floor_only = absl::GetFlag(FLAGS_floor);
  o.with_floor = absl::GetFlag(FLAGS_with_floor);
  const bool need = !o.floor_only;
  const std::string router = absl::GetFlag(FLAGS_router);
  if (need && router.empty()) return UsageError("router", "required");
  if (!router.empty()) {
    BGPY_ASSIGN_OR_RETURN(o.router, ParseAddress("router", router));
  }
  const int port = absl::GetFlag(FLAGS_port);
  if (port < 1 || port > 65535) return UsageError("port", "must be 1..65535");
  o.port = static_cast<uint16_t>(port);
  BGPY_ASSIGN_OR_RETURN(
      o.router_as,
      RequiredAs("router-as", absl::GetFlag(FLAGS_router_as), need, 0));
  BGPY_ASSIGN_OR_RETURN(
      o.inject_as,
      RequiredAs("inject-as", absl::GetFlag(FLAGS_inject_as), need, 65001));
  BGPY_ASSIGN_OR_RETURN(
      o.monitor_as,
      RequiredAs("monitor-as", absl::GetFlag(FLAGS_monitor_as), need, 65002));
  const std::string from = absl::GetFlag(FLAGS_inject_from);
  if (need && from.empty()) return UsageError("inject-from", "required");
  for (absl::string_view a : absl::StrSplit(from, ',', absl::SkipEmpty())) {
    BGPY_ASSIGN_OR_RETURN(IpAddress ip, ParseAddress("inject-from", a));
    for (const IpAddress& b : o.inject_from)
      if (b == ip)
        return UsageError("inject-from",
                          absl::StrCat(ip.ToString(), " given twice"));
    o.inject_from.push_back(ip);
  }
  const std::string mon = absl::GetFlag(FLAGS_monitor_at);
  if (need && mon.empty()) return UsageError("monitor-at", "required");
  if (!mon.empty()) {
    // ADDR, ADDR:PORT, [V6]:PORT or a bare IPv6 address.
    std::string addr = mon;
    std::string port_text;
    if (mon[0] == '[') {
      const size_t close = mon.find(']');
      if (close == std::string::npos)
        return UsageError("monitor-at", "missing ']'");
      addr = mon.substr(1, close - 1);
      if (close + 1 < mon.size()) {
        if (mon[close + 1] != ':')
          return UsageError("monitor-at", "expected ':PORT' after ']'");
        port_text = mon.substr(close + 2);
      }
    } else if (std::count(mon.begin(), mon.end(), ':') == 1) {
      addr = mon.substr(0, mon.find(':'));
      port_text = mon.substr(mon.find(':') + 1);
    }
    BGPY_ASSIGN_OR_RETURN(o.monitor_address, ParseAddress("monitor-at", addr));
    if (!port_text.empty()) {
      BGPY_ASSIGN_OR_RETURN(uint64_t p,
                            ParseUintFlag("monitor-at", port_text, 1, 65535));
      o.monitor_port = static_cast<uint16_t>(p);
    }
  }
  o.monitor_passive = absl::GetFlag(FLAGS_monitor_passive);
  // One session per (router, source address): the monitor needs its own.
  for (const IpAddress& a : o.inject_from)
    if (!o.floor_only && !o.monitor_passive && a == o.monitor_address)
      return UsageError("monitor-at",
                        absl::StrCat(a.ToString(),
                                     " is also an --inject-from address; the "
                                     "monitor needs an address of its own"));

  const std::string scenario = absl::GetFlag(FLAGS_scenario);
  if (scenario == "announce") {
    o.scenario = Scenario::kAnnounce;
  } else if (scenario == "withdraw") {
    o.scenario = Scenario::kWithdraw;
  } else if (scenario == "flap") {
    o.scenario = Scenario::kFlap;
  } else if (scenario == "best-path") {
    o.scenario = Scenario::kBestPath;
  } else if (scenario == "canary") {
    o.scenario = Scenario::kCanary;
  } else {
    return UsageError(
        "scenario",
        absl::StrCat("unknown '", scenario,
                     "' (announce, withdraw, flap, best-path, canary)"));
  }
  const size_t injectors =
      o.floor_only && o.inject_from.empty() ? 2 : o.inject_from.size();
  if (o.scenario == Scenario::kBestPath && injectors < 2)
    return UsageError("inject-from",
                      "best-path needs two addresses (peer 0 announces a "
                      "long path, peer 1 a shorter one)");
  if (o.scenario == Scenario::kCanary && injectors < 2)
    return UsageError("inject-from",
                      "canary needs two addresses (the last one sends only "
                      "the canaries)");

  // Prefix::Parse refuses host bits: received prefixes map back to their
  // index by address.
  absl::StatusOr<Prefix> prefix = Prefix::Parse(absl::GetFlag(FLAGS_prefix));
  if (!prefix.ok())
    return UsageError("prefix", absl::StrCat("'", absl::GetFlag(FLAGS_prefix),
                                             "': ", prefix.status().message()));
  o.prefix = *prefix;
  const std::string count = absl::GetFlag(FLAGS_count);
  if (count.empty()) return UsageError("count", "required");
  BGPY_ASSIGN_OR_RETURN(o.count,
                        ParseUintFlag("count", count, 1, uint64_t{1} << 32));
  {
    // The last route must exist.
    absl::StatusOr<Prefix> last = o.prefix.Advance(o.count - 1);
    if (!last.ok())
      return UsageError("count", "the routes run past the address space");
  }
  if (o.prefix.address().is_v4()) {
    for (const IpAddress& a : o.inject_from)
      if (!a.is_v4())
        return UsageError("inject-from",
                          "IPv4 routes need IPv4 addresses (their next hop)");
  }
  const std::string nh = absl::GetFlag(FLAGS_next_hop);
  if (!nh.empty()) {
    BGPY_ASSIGN_OR_RETURN(IpAddress a, ParseAddress("next-hop", nh));
    if (o.prefix.address().is_v4() && !a.is_v4())
      return UsageError("next-hop", "IPv4 routes need an IPv4 next hop");
    if (o.prefix.address().is_v6() && !a.is_v6())
      return UsageError("next-hop", "IPv6 routes need an IPv6 next hop");
    o.next_hop = a;
  }
  o.canaries = absl::GetFlag(FLAGS_canaries);
  if (o.scenario == Scenario::kCanary && o.canaries == 0)
    return UsageError("canaries", "must be at least 1");
  BGPY_ASSIGN_OR_RETURN(
      o.canary_interval,
      ParseDurationFlag("canary-interval",
                        absl::GetFlag(FLAGS_canary_interval)));
  if (o.scenario == Scenario::kCanary &&
      !o.prefix.Advance(o.count + o.canaries - 1).ok())
    return UsageError("canaries", "the canaries run past the address space");
  o.cycles = absl::GetFlag(FLAGS_cycles);
  if (o.cycles < 1) return UsageError("cycles", "must be at least 1");
  const std::string pid = absl::GetFlag(FLAGS_router_pid);
  if (!pid.empty()) {
    BGPY_ASSIGN_OR_RETURN(uint64_t p,
                          ParseUintFlag("router-pid", pid, 1, INT32_MAX));
    o.router_pid = static_cast<int>(p);
  }
  BGPY_ASSIGN_OR_RETURN(
      o.timeout, ParseDurationFlag("timeout", absl::GetFlag(FLAGS_timeout)));
  BGPY_ASSIGN_OR_RETURN(
      o.settle, ParseDurationFlag("settle", absl::GetFlag(FLAGS_settle)));
  const int hold = absl::GetFlag(FLAGS_hold_time);
  if (hold == 1 || hold == 2 || hold < 0 || hold > 65535)
    return UsageError("hold-time", "must be 0 or 3..65535 (RFC 4271 §4.2)");
  o.hold_time = static_cast<uint16_t>(hold);
  o.out_dir = absl::GetFlag(FLAGS_out);
  return o;
}

int Main(int argc, char** argv) {
  std::vector<std::string> positional =
      ParseToolCommandLine(argc, argv, kUsage, {"perf/main.cc"},
                           {"timeout", "settle", "canary_interval"});
  if (positional.size() > 1) {
    Err(absl::StrCat("unexpected argument '", positional[1], "'"));
    return kExitUsage;
  }
  absl::StatusOr<Options> o = ParseOptions();
  if (!o.ok()) {
    Err(o.status().message());
    return kExitUsage;
  }
  Report report;
  absl::Status st = RunBench(*o, &report);
  if (!st.ok() && absl::IsInvalidArgument(st)) {
    Err(st.message());
    return kExitUsage;
  }
  if (!st.ok()) Err(st.message());
  bool complete = st.ok() && !report.phases.empty();
  for (const PhaseResult& p : report.phases)
    complete = complete && p.missing == 0;
  for (const CanaryResult& c : report.canary)
    complete = complete && c.delay_ms.has_value();
  if (!report.phases.empty()) Err(SummaryLine(report));
  if (!o->out_dir.empty()) {
    if (absl::Status w = WriteOutputs(report, o->out_dir); !w.ok()) {
      Err(w.message());
      return kExitUsage;
    }
  }
  return complete ? kExitOk : kExitIncomplete;
}

}  // namespace
}  // namespace bgpy::tools::perf

int main(int argc, char** argv) { return bgpy::tools::perf::Main(argc, argv); }
