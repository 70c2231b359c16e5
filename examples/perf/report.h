// Copyright 2026 The bgpy Authors.
//
// perf/report.h: what bgpy-perf measured and how it is written out: each
// phase's convergence times and per-route delays, the one summary line,
// result.json, timeline.csv and chart.svg (DESIGN.md "bgpy-perf"). Tools'
// code, not the library's.
#ifndef BGPY_EXAMPLES_PERF_REPORT_H_
#define BGPY_EXAMPLES_PERF_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace bgpy::tools::perf {

// One phase (announce, withdraw, best-path): the times are seconds since the
// phase started, the delays milliseconds from the socket write of a route
// to its decode at the monitor. std::nullopt when not reached.
struct PhaseResult {
  std::string name;
  uint64_t routes = 0;
  uint64_t received = 0;
  uint64_t missing = 0;
  uint64_t unexpected = 0;
  std::optional<double> t_first_s, t_50_s, t_99_s, t_all_s;
  std::optional<double> delay_p50_ms, delay_p90_ms, delay_p99_ms, delay_max_ms;
  // The histogram of the route delays (the measured phase only, else
  // empty): kDelayBins bins of equal width from 0 to max(delay_max_ms,
  // 0.001), the maximum in the last one; their sum is the number of delays.
  std::vector<uint64_t> delay_bins;
};
inline constexpr int kDelayBins = 40;

// The stamps of a phase. Route i was written with event sent_event[i] and
// decoded at the monitor with event received_event[i] (0: never); event e
// happened sent_ns[e] / received_ns[e] nanoseconds after the phase started
// (entry 0 unused). Routes written in one go (an UPDATE) or decoded from
// one UPDATE share an event: per route only 4 octets each way are kept,
// the times themselves once per event.
struct PhaseStamps {
  // Views of the caller's per-route arrays.
  absl::Span<const uint32_t> sent_event;
  absl::Span<const uint32_t> received_event;
  std::vector<int64_t> sent_ns;
  std::vector<int64_t> received_ns;
};

// The phase's times and delays from its stamps (routes: the size of
// received_event).
PhaseResult Summarize(const std::string& name, const PhaseStamps& stamps,
                      uint64_t unexpected, bool keep_delays);

// One canary event (--scenario=canary): a prefix announced or withdrawn on
// its own, timed on its own.
struct CanaryResult {
  std::string prefix;
  bool withdraw = false;
  std::optional<double> sent_s;    // since the phase started
  std::optional<double> delay_ms;  // std::nullopt: never seen
};

struct Report {
  std::string scenario;
  PhaseResult main;                  // the measured phase
  std::vector<PhaseResult> phases;   // every phase, in order
  std::optional<PhaseResult> floor;  // the same run with no router
  std::optional<double> router_cpu_s;
  std::optional<double> router_rss_mb;
  // bgpy-perf's own CPU time over the router run.
  std::optional<double> self_cpu_s;
  std::vector<CanaryResult> canary;
  // Route events per millisecond since the run started: written to the
  // socket, decoded at the monitor.
  std::vector<uint32_t> written_per_ms;
  std::vector<uint32_t> received_per_ms;
  // Change of the routes at the monitor (announced, not withdrawn) per
  // millisecond, and their number at the end.
  std::vector<int32_t> at_monitor_delta_per_ms;
  std::optional<uint64_t> at_monitor_end;
};

// "announce: routes=... received=... ...; floor: ...; router: ...".
std::string SummaryLine(const Report& r);
std::string ResultJson(const Report& r);
// "t_s,written,received,at_monitor" then one row per bucket: the
// cumulative counts of route events written and decoded at the monitor,
// and the routes at the monitor, at the end of the bucket.
std::string TimelineCsv(const Report& r);
std::string ChartSvg(const Report& r);
// Writes the three files into `dir` (created if missing).
absl::Status WriteOutputs(const Report& r, const std::string& dir);

}  // namespace bgpy::tools::perf

#endif  // BGPY_EXAMPLES_PERF_REPORT_H_
