// Copyright 2026 The bgpy Authors.
//
// Runs the built bgpy-perf with no router (--floor: its injectors connect
// straight to its own monitor on loopback): every route is accounted for,
// the times are ordered, the summary line and result.json agree,
// chart.svg is well-formed XML with its polylines and timeline.csv is
// monotonic. Also the usage errors and the exit code of an incomplete run.
// Every wait is bounded.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/json.h"
#include "testlib/tool_process.h"
#ifndef BGPY_NO_TOOLS
#include "perf/report.h"
#endif

namespace bgpy {
namespace {

using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;
using ::testing::HasSubstr;

#ifndef BGPY_NO_TOOLS

// --- The statistics (perf/report.cc)
// ------------------------------------------------

using tools::perf::kDelayBins;
using tools::perf::PhaseResult;
using tools::perf::PhaseStamps;
using tools::perf::Report;
using tools::perf::Summarize;

constexpr int64_t kMs = 1000000;  // ns

// Per-route times (ns since the phase started, -1: never) as stamps with
// an event of its own for each route (the per-route arrays kept here).
struct Stamps {
  Stamps(const std::vector<int64_t>& sent,
         const std::vector<int64_t>& received) {
    s.sent_ns.push_back(-1);
    s.received_ns.push_back(-1);
    for (int64_t t : sent) {
      sent_event.push_back(t < 0 ? 0 : static_cast<uint32_t>(s.sent_ns.size()));
      if (t >= 0) s.sent_ns.push_back(t);
    }
    for (int64_t t : received) {
      received_event.push_back(
          t < 0 ? 0 : static_cast<uint32_t>(s.received_ns.size()));
      if (t >= 0) s.received_ns.push_back(t);
    }
    s.sent_event = sent_event;
    s.received_event = received_event;
  }
  operator const PhaseStamps&() const { return s; }
  std::vector<uint32_t> sent_event, received_event;
  PhaseStamps s;
};

// Ten routes written at 0, 1, ... 9 ms, received 5 ms later each, except
// route 3 (never written: not in the delays) and route 7 (never received).
TEST(PerfReportTest, TimesAndDelaysByNearestRank) {
  std::vector<int64_t> sent, received;
  for (int64_t i = 0; i < 10; ++i) {
    sent.push_back(i == 3 ? -1 : i * kMs);
    received.push_back(i == 7 ? -1 : i * kMs + (i + 1) * kMs);
  }
  const PhaseResult p = Summarize("announce", Stamps(sent, received), 2, true);
  EXPECT_EQ(p.routes, 10u);
  EXPECT_EQ(p.received, 9u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.unexpected, 2u);
  // Arrivals at 1, 3, 5, 7, 9, 11, 13, (15 missing), 17, 19 ms.
  EXPECT_DOUBLE_EQ(*p.t_first_s, 0.001);
  EXPECT_DOUBLE_EQ(*p.t_50_s, 0.009);  // 5th of 10
  EXPECT_FALSE(p.t_99_s.has_value());  // the 10th never came
  EXPECT_FALSE(p.t_all_s.has_value());
  // Delays (ms) of the 8 routes both written and received: 1 2 3 5 6 7 9
  // 10 (route 3 unwritten, route 7 missing).
  EXPECT_DOUBLE_EQ(*p.delay_p50_ms, 5);   // rank 4 of 8
  EXPECT_DOUBLE_EQ(*p.delay_p90_ms, 10);  // rank 8 (ceil 7.2)
  EXPECT_DOUBLE_EQ(*p.delay_p99_ms, 10);
  EXPECT_DOUBLE_EQ(*p.delay_max_ms, 10);
  // 40 bins of 10/40 ms: 1 -> 4, 2 -> 8, 3 -> 12, 5 -> 20, 6 -> 24,
  // 7 -> 28, 9 -> 36, 10 -> the last.
  ASSERT_EQ(p.delay_bins.size(), static_cast<size_t>(kDelayBins));
  std::vector<uint64_t> want(kDelayBins, 0);
  for (int b : {4, 8, 12, 20, 24, 28, 36, 39}) want[b] = 1;
  EXPECT_EQ(p.delay_bins, want);
}

// Routes written and decoded in groups (UPDATEs) share their events: 6
// routes written by 2 writes (0 ms: routes 0-2, 4 ms: routes 3-5), decoded
// in 3 UPDATEs (6 ms: 0-1, 7 ms: 2-3, 12 ms: 4), route 5 never.
TEST(PerfReportTest, RoutesSharingEvents) {
  const std::vector<uint32_t> sent_event = {1, 1, 1, 2, 2, 2};
  const std::vector<uint32_t> received_event = {1, 1, 2, 2, 3, 0};
  PhaseStamps s;
  s.sent_ns = {-1, 0, 4 * kMs};
  s.sent_event = sent_event;
  s.received_ns = {-1, 6 * kMs, 7 * kMs, 12 * kMs};
  s.received_event = received_event;
  const PhaseResult p = Summarize("announce", s, 0, true);
  EXPECT_EQ(p.routes, 6u);
  EXPECT_EQ(p.received, 5u);
  EXPECT_EQ(p.missing, 1u);
  // Arrivals 6, 6, 7, 7, 12 ms.
  EXPECT_DOUBLE_EQ(*p.t_first_s, 0.006);
  EXPECT_DOUBLE_EQ(*p.t_50_s, 0.007);  // 3rd of 6
  EXPECT_FALSE(p.t_99_s.has_value());
  // Delays 6, 6, 7, 3, 8 ms: sorted 3 6 6 7 8.
  EXPECT_DOUBLE_EQ(*p.delay_p50_ms, 6);  // rank 3 of 5
  EXPECT_DOUBLE_EQ(*p.delay_p90_ms, 8);  // rank 5
  EXPECT_DOUBLE_EQ(*p.delay_max_ms, 8);
  // Bins of 0.2 ms: 3 -> 15, 6 -> 30 (twice), 7 -> 35, 8 -> the last.
  std::vector<uint64_t> want(kDelayBins, 0);
  want[15] = 1;
  want[30] = 2;
  want[35] = 1;
  want[39] = 1;
  EXPECT_EQ(p.delay_bins, want);
}

TEST(PerfReportTest, EverythingArrived) {
  std::vector<int64_t> sent(200), received(200);
  for (int i = 0; i < 200; ++i) {
    sent[i] = 0;
    received[i] = (200 - i) * kMs;  // arrival order reversed
  }
  const PhaseResult p = Summarize("withdraw", Stamps(sent, received), 0, false);
  EXPECT_EQ(p.missing, 0u);
  EXPECT_DOUBLE_EQ(*p.t_first_s, 0.001);
  EXPECT_DOUBLE_EQ(*p.t_50_s, 0.100);
  EXPECT_DOUBLE_EQ(*p.t_99_s, 0.198);
  EXPECT_DOUBLE_EQ(*p.t_all_s, 0.200);
  EXPECT_DOUBLE_EQ(*p.delay_p90_ms, 180);
  EXPECT_TRUE(p.delay_bins.empty());  // not kept
}

TEST(PerfReportTest, FilesOfAReport) {
  Report r;
  r.scenario = "announce";
  std::vector<int64_t> sent = {0, 0}, received = {2 * kMs, -1};
  r.main = Summarize("announce", Stamps(sent, received), 0, true);
  r.phases.push_back(r.main);
  r.router_cpu_s = 1.25;
  r.at_monitor_end = 1;
  // 2 written in ms 0; 1 received in ms 2; at the monitor +1 in ms 2.
  r.written_per_ms = {2, 0, 0};
  r.received_per_ms = {0, 0, 1};
  r.at_monitor_delta_per_ms = {0, 0, 1};
  EXPECT_EQ(tools::perf::TimelineCsv(r),
            "t_s,written,received,at_monitor\n"
            "0.001,2,0,0\n0.002,2,0,0\n0.003,2,1,1\n");
  absl::StatusOr<JsonValue> j = ParseJson(tools::perf::ResultJson(r));
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(*j->GetText("routes"), "2");
  EXPECT_EQ(*j->GetText("received"), "1");
  EXPECT_EQ(*j->GetText("missing"), "1");
  EXPECT_EQ(*j->GetText("t_first_s"), "0.002000");
  EXPECT_EQ(*j->GetText("t_50_s"), "0.002000");
  ASSERT_NE(j->Get("t_all_s"), nullptr);
  EXPECT_TRUE(j->Get("t_all_s")->is_null());
  EXPECT_EQ(*j->GetText("delay_max_ms"), "2.000");
  EXPECT_EQ(*j->GetText("router_cpu_s"), "1.250");
  EXPECT_EQ(j->Get("floor_t_all_s"), nullptr);  // no floor run
  EXPECT_THAT(tools::perf::SummaryLine(r),
              HasSubstr("announce: routes=2 received=1 missing=1 unexpected=0 "
                        "t_first=0.002000s t_50=0.002000s t_99=null "
                        "t_all=null delay_p50=2.000ms"));
  // The delay histogram: the one delay (2 ms, the maximum) in the last of
  // the 40 bins, a bar of the full height (180).
  const std::string svg = tools::perf::ChartSvg(r);
  EXPECT_THAT(svg, HasSubstr("(announce), 1 routes"));
  EXPECT_THAT(svg, HasSubstr("y=\"400.0\" width=\"19.0\" height=\"180.0\""));
  EXPECT_THAT(svg, HasSubstr(">2.000 ms</text>"));
}

// --- Running bgpy-perf
// ----------------------------------------------------------

std::string PerfBinary() {
  if (const char* dir = std::getenv("BGPY_BINARY_DIR"))
    return absl::StrCat(dir, "/bin/bgpy-perf");
  return BGPY_PERF_BINARY;
}

int seq = 0;

struct RunResult {
  int exit_code = -1;
  std::string err;
  std::string dir;  // --out
};

// Runs bgpy-perf with `args` (plus --out=DIR), at most `timeout`.
RunResult RunPerf(std::vector<std::string> args,
                  std::chrono::seconds timeout = std::chrono::seconds(60)) {
  RunResult r;
  r.dir = absl::StrCat(::testing::TempDir(), "/perf_", ::getpid(), "_", ++seq,
                       ".out");
  args.push_back(absl::StrCat("--out=", r.dir));
  ::bgpy::testing::ToolProcess perf(PerfBinary(), args);
  if (!perf.started()) return r;
  r.exit_code = perf.Wait(timeout);
  r.err = perf.err();
  return r;
}

// The summary line's "key=value" fields (units stripped): "t_all" ->
// "0.013725".
std::map<std::string, std::string> SummaryFields(const std::string& err) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(err, '\n')) {
    if (!absl::StrContains(line, " routes=")) continue;
    // The measured phase comes first, up to the first ';'.
    line = line.substr(0, line.find(';'));
    for (absl::string_view field : absl::StrSplit(line, ' ')) {
      const size_t eq = field.find('=');
      if (eq == absl::string_view::npos) continue;
      absl::string_view v = field.substr(eq + 1);
      if (!absl::ConsumeSuffix(&v, "ms")) absl::ConsumeSuffix(&v, "s");
      out[std::string(field.substr(0, eq))] = std::string(v);
    }
  }
  return out;
}

double Num(const JsonValue& j, absl::string_view key) {
  const JsonValue* v = j.Get(key);
  EXPECT_TRUE(v != nullptr && v->is_number()) << key;
  double d = -1;
  if (v != nullptr && v->is_number()) {
    EXPECT_TRUE(absl::SimpleAtod(v->text(), &d));
  }
  return d;
}

// A small XML well-formedness check for what ChartSvg writes: every tag
// closed in order, attributes quoted, one root <svg>. Returns the tag
// names in document order; an error message in `*error`.
std::vector<std::string> CheckXml(const std::string& s, std::string* error,
                                  std::vector<std::string>* polylines) {
  std::vector<std::string> stack, tags;
  size_t i = 0;
  bool root_seen = false;
  while (i < s.size()) {
    const size_t lt = s.find('<', i);
    if (lt == std::string::npos) break;
    const size_t gt = s.find('>', lt);
    if (gt == std::string::npos) {
      *error = absl::StrCat("unterminated tag at ", lt);
      return tags;
    }
    std::string tag = s.substr(lt + 1, gt - lt - 1);
    i = gt + 1;
    if (absl::StartsWith(tag, "?")) continue;  // XML declaration
    if (absl::StartsWith(tag, "/")) {
      std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) {
        *error = absl::StrCat("</", name, "> closes ",
                              stack.empty() ? "nothing" : stack.back());
        return tags;
      }
      stack.pop_back();
      continue;
    }
    const bool self_closing = absl::EndsWith(tag, "/");
    if (self_closing) tag.pop_back();
    const std::string name = tag.substr(0, tag.find(' '));
    // Attributes: name="value" pairs.
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) {
      *error = absl::StrCat("unbalanced quotes in <", name, ">");
      return tags;
    }
    if (stack.empty()) {
      if (root_seen) {
        *error = "more than one root element";
        return tags;
      }
      root_seen = true;
    }
    tags.push_back(name);
    if (name == "polyline") {
      const size_t p = tag.find("points=\"");
      if (p != std::string::npos) {
        const size_t start = p + 8;
        polylines->push_back(tag.substr(start, tag.find('"', start) - start));
      }
    }
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) *error = absl::StrCat("<", stack.back(), "> not closed");
  return tags;
}

// Checks the three files of a complete run of `routes` routes and that
// result.json matches the summary line. Returns the parsed result.json.
void CheckOutputs(const RunResult& r, uint64_t routes,
                  const std::string& scenario, JsonValue* out = nullptr) {
  absl::StatusOr<JsonValue> j =
      ParseJson(::bgpy::testing::ReadWholeFile(r.dir + "/result.json"));
  ASSERT_TRUE(j.ok()) << j.status();
  if (out != nullptr) *out = *j;
  EXPECT_EQ(*j->GetText("scenario"), scenario);
  EXPECT_EQ(Num(*j, "routes"), static_cast<double>(routes));
  EXPECT_EQ(Num(*j, "received"), static_cast<double>(routes));
  EXPECT_EQ(Num(*j, "missing"), 0);
  EXPECT_EQ(Num(*j, "unexpected"), 0);
  const double t_first = Num(*j, "t_first_s"), t_50 = Num(*j, "t_50_s"),
               t_99 = Num(*j, "t_99_s"), t_all = Num(*j, "t_all_s");
  EXPECT_GT(t_first, 0);
  EXPECT_LE(t_first, t_50);
  EXPECT_LE(t_50, t_99);
  EXPECT_LE(t_99, t_all);
  const double p50 = Num(*j, "delay_p50_ms"), p90 = Num(*j, "delay_p90_ms"),
               p99 = Num(*j, "delay_p99_ms"), max = Num(*j, "delay_max_ms");
  EXPECT_GT(p50, 0);
  EXPECT_LE(p50, p90);
  EXPECT_LE(p90, p99);
  EXPECT_LE(p99, max);
  // A route cannot take longer from its write to the monitor than the whole
  // phase took.
  EXPECT_LE(max / 1e3, t_all + 1e-6);

  // The summary line says the same, to the digit.
  std::map<std::string, std::string> sum = SummaryFields(r.err);
  const std::pair<const char*, const char*> same[] = {
      {"routes", "routes"},
      {"received", "received"},
      {"missing", "missing"},
      {"t_first", "t_first_s"},
      {"t_50", "t_50_s"},
      {"t_99", "t_99_s"},
      {"t_all", "t_all_s"},
      {"delay_p50", "delay_p50_ms"},
      {"delay_p90", "delay_p90_ms"},
      {"delay_p99", "delay_p99_ms"},
      {"delay_max", "delay_max_ms"},
  };
  for (const auto& [s, k] : same) {
    ASSERT_TRUE(sum.count(s)) << s << " not in: " << r.err;
    const std::string* v = j->GetText(k);
    ASSERT_NE(v, nullptr) << k;
    EXPECT_EQ(sum[s], *v) << s;
  }

  // Routes at the monitor at the end: none after withdrawing them all.
  const double at_end = Num(*j, "at_monitor_end");
  EXPECT_EQ(at_end, scenario == "withdraw" ? 0 : routes);
  const JsonValue* phases = j->Get("phases");
  ASSERT_TRUE(phases != nullptr && phases->is_array());
  const double events = static_cast<double>(routes * phases->items().size());

  // timeline.csv: a header, then rows whose time and cumulative counts
  // never go down; the last holds every route event of every phase,
  // written and received, and the routes at the monitor at the end.
  std::vector<std::string> rows =
      absl::StrSplit(::bgpy::testing::ReadWholeFile(r.dir + "/timeline.csv"),
                     '\n', absl::SkipEmpty());
  EXPECT_GE(rows.size(), 2u);
  if (rows.size() >= 2) {
    EXPECT_EQ(rows[0], "t_s,written,received,at_monitor");
    double prev[4] = {-1, -1, -1, -1};
    for (size_t i = 1; i < rows.size(); ++i) {
      std::vector<std::string> f = absl::StrSplit(rows[i], ',');
      ASSERT_EQ(f.size(), 4u) << rows[i];
      for (int c = 0; c < 4; ++c) {
        double v = 0;
        ASSERT_TRUE(absl::SimpleAtod(f[c], &v)) << rows[i];
        if (c == 0) {
          EXPECT_GT(v, prev[c]) << rows[i];
        } else if (c < 3) {
          EXPECT_GE(v, prev[c]) << rows[i];
        } else {
          // A level, not a count: up and down, within the routes.
          EXPECT_GE(v, 0) << rows[i];
          EXPECT_LE(v, routes) << rows[i];
        }
        prev[c] = v;
      }
    }
    EXPECT_EQ(prev[1], events);
    EXPECT_EQ(prev[2], events);
    EXPECT_EQ(prev[3], at_end);
  }

  // chart.svg: well-formed, an <svg> root, three polylines of numbers
  // (written, received, at the monitor).
  std::string error;
  std::vector<std::string> polylines;
  std::vector<std::string> tags = CheckXml(
      ::bgpy::testing::ReadWholeFile(r.dir + "/chart.svg"), &error, &polylines);
  EXPECT_EQ(error, "");
  EXPECT_FALSE(tags.empty());
  if (!tags.empty()) {
    EXPECT_EQ(tags[0], "svg");
  }
  EXPECT_EQ(polylines.size(), 3u);
  for (const std::string& p : polylines) {
    std::vector<std::string> points = absl::StrSplit(p, ' ', absl::SkipEmpty());
    EXPECT_GE(points.size(), 2u);
    for (const std::string& pt : points) {
      std::vector<std::string> xy = absl::StrSplit(pt, ',');
      ASSERT_EQ(xy.size(), 2u) << pt;
      double x = 0, y = 0;
      EXPECT_TRUE(absl::SimpleAtod(xy[0], &x) && absl::SimpleAtod(xy[1], &y))
          << pt;
    }
  }
  EXPECT_GT(std::count(tags.begin(), tags.end(), "rect"), 1)
      << "the delay histogram";
}

TEST(PerfFloorTest, EveryRouteOfAHundredThousandAccounted) {
  RunResult r = RunPerf({"--floor", "--count=100000", "--timeout=45s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One summary line on stderr.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  CheckOutputs(r, 100000, "announce");
}

TEST(PerfFloorTest, SplitsRoutesBetweenThreePeersOfIpv6Prefixes) {
  RunResult r =
      RunPerf({"--floor", "--count=30001", "--prefix=2001:db8::/64",
               "--inject-from=127.0.0.1,127.0.0.2,127.0.0.3", "--timeout=45s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CheckOutputs(r, 30001, "announce");
}

TEST(PerfFloorTest, WithdrawTimesTheWithdrawals) {
  RunResult r = RunPerf(
      {"--floor", "--count=20000", "--scenario=withdraw", "--timeout=45s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  JsonValue j;
  CheckOutputs(r, 20000, "withdraw", &j);
  const JsonValue* phases = j.Get("phases");
  ASSERT_TRUE(phases != nullptr && phases->is_array());
  ASSERT_EQ(phases->items().size(), 2u);
  EXPECT_EQ(*phases->items()[0].GetText("name"), "announce");
  EXPECT_EQ(*phases->items()[1].GetText("name"), "withdraw");
  EXPECT_EQ(*phases->items()[0].GetText("missing"), "0");
}

TEST(PerfFloorTest, FlapReportsEveryCycle) {
  RunResult r = RunPerf({"--floor", "--count=10000", "--scenario=flap",
                         "--cycles=2", "--timeout=45s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  JsonValue j;
  CheckOutputs(r, 10000, "flap", &j);
  const JsonValue* phases = j.Get("phases");
  ASSERT_TRUE(phases != nullptr && phases->is_array());
  std::vector<std::string> names;
  for (const JsonValue& p : phases->items()) {
    names.push_back(*p.GetText("name"));
    EXPECT_EQ(*p.GetText("received"), "10000");
  }
  EXPECT_THAT(names, ::testing::ElementsAre("announce", "flap1-withdraw",
                                            "flap1-announce", "flap2-withdraw",
                                            "flap2-announce"));
}

TEST(PerfFloorTest, BestPathSeesEveryPrefixChange) {
  RunResult r = RunPerf(
      {"--floor", "--count=20000", "--scenario=best-path", "--timeout=45s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  JsonValue j;
  CheckOutputs(r, 20000, "best-path", &j);
  const JsonValue* phases = j.Get("phases");
  ASSERT_TRUE(phases != nullptr && phases->is_array());
  ASSERT_EQ(phases->items().size(), 2u);
  EXPECT_EQ(*phases->items()[0].GetText("received"), "20000");
}

// Canaries from the last session during the load, each event timed on its
// own.
TEST(PerfFloorTest, CanariesTimedOneByOne) {
  RunResult r =
      RunPerf({"--floor", "--count=50000", "--scenario=canary", "--canaries=4",
               "--canary-interval=5ms", "--timeout=45s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  JsonValue j;
  CheckOutputs(r, 50000, "canary", &j);
  EXPECT_EQ(Num(j, "canary_events"), 8);
  EXPECT_EQ(Num(j, "canary_missing"), 0);
  const JsonValue* c = j.Get("canary");
  ASSERT_TRUE(c != nullptr && c->is_array());
  ASSERT_EQ(c->items().size(), 8u);
  // 10.0.0.0/32 + 50,000 = 10.0.195.80: the first canary.
  const char* prefixes[] = {"10.0.195.80/32", "10.0.195.80/32",
                            "10.0.195.81/32", "10.0.195.81/32"};
  double last_sent = -1;
  for (size_t i = 0; i < c->items().size(); ++i) {
    const JsonValue& e = c->items()[i];
    if (i < 4) {
      EXPECT_EQ(*e.GetText("prefix"), prefixes[i]);
    }
    EXPECT_EQ(*e.GetText("kind"), i % 2 == 0 ? "announce" : "withdraw");
    const double sent = Num(e, "sent_s");
    EXPECT_GT(sent, last_sent);
    last_sent = sent;
    EXPECT_GT(Num(e, "delay_ms"), 0);
  }
  EXPECT_THAT(r.err, HasSubstr("canary: events=8 missing=0"));
}

TEST(PerfUsageTest, ClearErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({{"--count=10"}, "--router: required"});
  cases.push_back({{"--floor"}, "--count: required"});
  cases.push_back({{"--floor", "--count=10", "--scenario=canary",
                    "--inject-from=127.0.0.1"},
                   "--inject-from: canary needs two addresses"});
  cases.push_back({{"--floor", "--count=10", "--scenario=sideways"},
                   "--scenario: unknown 'sideways'"});
  cases.push_back({{"--floor", "--count=10", "--scenario=best-path",
                    "--inject-from=127.0.0.1"},
                   "--inject-from: best-path needs two addresses"});
  cases.push_back({{"--floor", "--count=10", "--prefix=10.0.0.1/24"},
                   "--prefix: '10.0.0.1/24'"});
  cases.push_back({{"--floor", "--count=2", "--prefix=255.255.255.255/32"},
                   "--count: the routes run past the address space"});
  cases.push_back(
      {{"--router=127.0.0.1", "--router-as=65000", "--inject-as=65001",
        "--monitor-as=65002", "--monitor-at=127.0.0.1", "--count=5"},
       "--inject-from: required"});
  cases.push_back(
      {{"--router=127.0.0.9", "--router-as=65000", "--inject-as=65001",
        "--monitor-as=65002", "--inject-from=127.0.0.1,127.0.0.2",
        "--monitor-at=127.0.0.2", "--count=5"},
       "--monitor-at: 127.0.0.2 is also an --inject-from"});
  for (const Case& c : cases) {
    RunResult r = RunPerf(c.args, std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
}

// No router listens: the sessions never come up within --timeout, the run
// says which and exits 2.
TEST(PerfUsageTest, RouterNotThereExitsTwo) {
  RunResult r = RunPerf({"--router=127.0.0.1", "--port=1", "--router-as=65000",
                         "--inject-from=127.0.0.1", "--inject-as=65001",
                         "--monitor-at=127.0.0.2", "--monitor-as=65002",
                         "--count=5", "--with-floor=false", "--timeout=2s"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("not Established before --timeout"));
}

#else
TEST(PerfTest, ToolsNotBuilt) { GTEST_SKIP() << "bgpy-perf is not built"; }
#endif

}  // namespace
}  // namespace bgpy
