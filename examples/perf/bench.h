// Copyright 2026 The bgpy Authors.
//
// perf/bench.h: bgpy-perf's run. Injecting sessions toward the router and a
// monitoring session from it, all on one posix::EventLoop in one thread.
// Every route is stamped twice into arrays sized once per run: when the
// UPDATE carrying it has been written to the socket whole (the session's
// output stream offset of its end passed by PeerStats::bytes_sent), and
// when the monitor decodes it (the route's index is (prefix - first) /
// block size, the generator's arithmetic backwards). Tools' code.
#ifndef BGPY_EXAMPLES_PERF_BENCH_H_
#define BGPY_EXAMPLES_PERF_BENCH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bgpy/types.h"
#include "perf/report.h"

namespace bgpy::tools::perf {

enum class Scenario { kAnnounce, kWithdraw, kFlap, kBestPath, kCanary };
const char* ScenarioName(Scenario s);

struct Options {
  // No router: the injectors connect straight to bgpy-perf's own monitor
  // (a listener on 127.0.0.1), which gives bgpy-perf's own delays.
  bool floor_only = false;
  // Before the real run, the floor run with the same routes.
  bool with_floor = true;
  IpAddress router;
  uint16_t port = 179;
  uint32_t router_as = 0;
  std::vector<IpAddress> inject_from;
  uint32_t inject_as = 0;
  IpAddress monitor_address;
  uint16_t monitor_port = 0;  // active: 0 = any local port
  uint32_t monitor_as = 0;
  bool monitor_passive = false;
  Scenario scenario = Scenario::kAnnounce;
  Prefix prefix;
  uint64_t count = 0;
  std::optional<IpAddress> next_hop;  // default: the injector's address
  int cycles = 3;                     // --scenario=flap
  // --scenario=canary: canaries announced then withdrawn, one event every
  // canary_interval, by the last injector while the others send the load.
  uint64_t canaries = 10;
  absl::Duration canary_interval = absl::Milliseconds(20);
  std::optional<int> router_pid;
  absl::Duration timeout = absl::Seconds(120);  // the whole run
  // A phase ends this long after the monitor last made progress once every
  // route is on the socket (routes the router never passes on).
  absl::Duration settle = absl::Seconds(5);
  uint16_t hold_time = 90;
  std::string out_dir;
};

// The run (and before it the floor, unless floor_only or !with_floor).
// Fills `report`; an error means a session never came up or the setup
// failed (the message names the cause).
absl::Status RunBench(const Options& o, Report* report);

}  // namespace bgpy::tools::perf

#endif  // BGPY_EXAMPLES_PERF_BENCH_H_
