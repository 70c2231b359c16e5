// Copyright 2026 The bgpy Authors.
#include "perf/report.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bgpy::tools::perf {
namespace {

// The nearest rank (1-based, ceil(q * n)) of n values.
uint64_t NearestRank(uint64_t n, double q) {
  const uint64_t r =
      static_cast<uint64_t>(std::ceil(q * static_cast<double>(n)));
  return std::clamp<uint64_t>(r, 1, n);
}

// Nearest rank of sorted `v`.
template <typename T>
T Rank(const std::vector<T>& v, double q) {
  return v[NearestRank(v.size(), q) - 1];
}

// `routes` routes of one value (a time or a delay, in ns).
struct Run {
  int64_t value = 0;
  uint64_t routes = 0;
};
void SortRuns(std::vector<Run>& runs) {
  std::sort(runs.begin(), runs.end(),
            [](const Run& a, const Run& b) { return a.value < b.value; });
}
// The k-th smallest (1-based) value of sorted runs (k at most their
// routes).
int64_t Kth(const std::vector<Run>& sorted, uint64_t k) {
  uint64_t seen = 0;
  for (const Run& r : sorted) {
    seen += r.routes;
    if (seen >= k) return r.value;
  }
  return sorted.back().value;
}

std::string Seconds(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.6f", *v) : std::string("null");
}
std::string Millis(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.3f", *v) : std::string("null");
}

// The fields of a phase, each as `prefix` + name.
void AppendPhaseJson(std::string& j, const PhaseResult& p,
                     const std::string& prefix) {
  absl::StrAppend(&j, "\"", prefix, "routes\": ", p.routes, ", \"", prefix,
                  "received\": ", p.received, ", \"", prefix,
                  "missing\": ", p.missing, ", \"", prefix,
                  "unexpected\": ", p.unexpected);
  absl::StrAppend(&j, ", \"", prefix, "t_first_s\": ", Seconds(p.t_first_s),
                  ", \"", prefix, "t_50_s\": ", Seconds(p.t_50_s), ", \"",
                  prefix, "t_99_s\": ", Seconds(p.t_99_s), ", \"", prefix,
                  "t_all_s\": ", Seconds(p.t_all_s));
  absl::StrAppend(&j, ", \"", prefix,
                  "delay_p50_ms\": ", Millis(p.delay_p50_ms), ", \"", prefix,
                  "delay_p90_ms\": ", Millis(p.delay_p90_ms), ", \"", prefix,
                  "delay_p99_ms\": ", Millis(p.delay_p99_ms), ", \"", prefix,
                  "delay_max_ms\": ", Millis(p.delay_max_ms));
}

// With the unit, for the summary line: "0.123456s", "1.234ms", "null".
std::string S(const std::optional<double>& v) {
  return v ? absl::StrCat(Seconds(v), "s") : "null";
}
std::string Ms(const std::optional<double>& v) {
  return v ? absl::StrCat(Millis(v), "ms") : "null";
}

std::string PhaseLine(const PhaseResult& p) {
  return absl::StrCat(
      p.name, ": routes=", p.routes, " received=", p.received,
      " missing=", p.missing, " unexpected=", p.unexpected,
      " t_first=", S(p.t_first_s), " t_50=", S(p.t_50_s), " t_99=", S(p.t_99_s),
      " t_all=", S(p.t_all_s), " delay_p50=", Ms(p.delay_p50_ms),
      " delay_p90=", Ms(p.delay_p90_ms), " delay_p99=", Ms(p.delay_p99_ms),
      " delay_max=", Ms(p.delay_max_ms));
}

// The level at the end of each bucket of the per-millisecond changes.
std::vector<uint64_t> Level(const std::vector<int32_t>& delta_per_ms,
                            size_t buckets, size_t bucket_ms) {
  std::vector<uint64_t> out(buckets, 0);
  int64_t level = 0;
  size_t ms = 0;
  for (size_t b = 0; b < buckets; ++b) {
    const size_t end = (b + 1) * bucket_ms;
    for (; ms < end && ms < delta_per_ms.size(); ++ms)
      level += delta_per_ms[ms];
    out[b] = static_cast<uint64_t>(std::max<int64_t>(0, level));
  }
  return out;
}

// Cumulative counts per bucket of `bucket_ms` milliseconds.
std::vector<uint64_t> Cumulative(const std::vector<uint32_t>& per_ms,
                                 size_t buckets, size_t bucket_ms) {
  std::vector<uint64_t> out(buckets, 0);
  uint64_t sum = 0;
  size_t ms = 0;
  for (size_t b = 0; b < buckets; ++b) {
    const size_t end = (b + 1) * bucket_ms;
    for (; ms < end && ms < per_ms.size(); ++ms) sum += per_ms[ms];
    out[b] = sum;
  }
  return out;
}

void Buckets(const Report& r, size_t* buckets, size_t* bucket_ms) {
  const size_t total =
      std::max<size_t>({1, r.written_per_ms.size(), r.received_per_ms.size(),
                        r.at_monitor_delta_per_ms.size()});
  *bucket_ms = std::max<size_t>(1, (total + 499) / 500);
  *buckets = (total + *bucket_ms - 1) / *bucket_ms;
}

// The canary events: how many, how many never seen, the delays' median
// and maximum.
struct CanaryStats {
  size_t events = 0;
  size_t missing = 0;
  std::optional<double> p50_ms, max_ms;
};
CanaryStats Canaries(const Report& r) {
  CanaryStats c;
  std::vector<double> d;
  for (const CanaryResult& e : r.canary) {
    ++c.events;
    if (e.delay_ms) {
      d.push_back(*e.delay_ms);
    } else {
      ++c.missing;
    }
  }
  if (!d.empty()) {
    std::sort(d.begin(), d.end());
    c.p50_ms = Rank(d, 0.5);
    c.max_ms = d.back();
  }
  return c;
}

}  // namespace

PhaseResult Summarize(const std::string& name, const PhaseStamps& stamps,
                      uint64_t unexpected, bool keep_delays) {
  PhaseResult p;
  p.name = name;
  p.routes = stamps.received_event.size();
  p.unexpected = unexpected;
  const size_t sent_events = stamps.sent_ns.size();
  const size_t received_events = stamps.received_ns.size();
  // Routes per receive event, and the delays as runs: routes next to each
  // other mostly share both events (one UPDATE written, one decoded), so
  // there are about as many runs as UPDATEs, not as routes.
  std::vector<uint64_t> arrivals(received_events, 0);
  std::vector<Run> delays;
  uint32_t last_s = 0, last_r = 0;
  for (size_t i = 0; i < p.routes; ++i) {
    const uint32_t r = stamps.received_event[i];
    if (r == 0 || r >= received_events) continue;
    ++arrivals[r];
    const uint32_t s = i < stamps.sent_event.size() ? stamps.sent_event[i] : 0;
    if (s == 0 || s >= sent_events) continue;
    if (s == last_s && r == last_r) {
      ++delays.back().routes;
      continue;
    }
    delays.push_back(Run{stamps.received_ns[r] - stamps.sent_ns[s], 1});
    last_s = s;
    last_r = r;
  }
  std::vector<Run> times;
  for (size_t e = 1; e < received_events; ++e) {
    if (arrivals[e] == 0) continue;
    times.push_back(Run{stamps.received_ns[e], arrivals[e]});
    p.received += arrivals[e];
  }
  p.missing = p.routes - p.received;
  auto s = [](int64_t ns) { return static_cast<double>(ns) / 1e9; };
  auto ms = [](int64_t ns) { return static_cast<double>(ns) / 1e6; };
  if (!times.empty()) {
    SortRuns(times);
    // Time until k routes of the phase arrived (k of all, not of those
    // received): unknown when fewer arrived.
    const double n = static_cast<double>(p.routes);
    auto until = [&](double q) -> std::optional<double> {
      const uint64_t k =
          std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * n)));
      if (k > p.received) return std::nullopt;
      return s(Kth(times, k));
    };
    p.t_first_s = s(times.front().value);
    p.t_50_s = until(0.5);
    p.t_99_s = until(0.99);
    p.t_all_s = until(1.0);
  }
  if (!delays.empty()) {
    SortRuns(delays);
    uint64_t nd = 0;
    for (const Run& r : delays) nd += r.routes;
    p.delay_p50_ms = ms(Kth(delays, NearestRank(nd, 0.5)));
    p.delay_p90_ms = ms(Kth(delays, NearestRank(nd, 0.9)));
    p.delay_p99_ms = ms(Kth(delays, NearestRank(nd, 0.99)));
    p.delay_max_ms = ms(delays.back().value);
    if (keep_delays) {
      const double d_max = std::max(1e-3, *p.delay_max_ms);
      p.delay_bins.assign(kDelayBins, 0);
      for (const Run& r : delays) {
        const int b = static_cast<int>(ms(r.value) / d_max * kDelayBins);
        p.delay_bins[std::clamp(b, 0, kDelayBins - 1)] += r.routes;
      }
    }
  }
  return p;
}

std::string SummaryLine(const Report& r) {
  std::string line = PhaseLine(r.main);
  if (r.at_monitor_end)
    absl::StrAppend(&line, "; at_monitor_end=", *r.at_monitor_end);
  // The earlier phases (the measured one is the last): only what is wrong.
  for (size_t i = 0; i + 1 < r.phases.size(); ++i) {
    if (r.phases[i].missing > 0)
      absl::StrAppend(&line, "; ", r.phases[i].name,
                      " missing=", r.phases[i].missing);
  }
  if (r.floor) {
    absl::StrAppend(&line, "; floor: t_all=", S(r.floor->t_all_s),
                    " delay_p50=", Ms(r.floor->delay_p50_ms),
                    " delay_p99=", Ms(r.floor->delay_p99_ms),
                    " delay_max=", Ms(r.floor->delay_max_ms));
  }
  if (!r.canary.empty()) {
    const CanaryStats c = Canaries(r);
    absl::StrAppend(&line, "; canary: events=", c.events,
                    " missing=", c.missing, " delay_p50=", Ms(c.p50_ms),
                    " delay_max=", Ms(c.max_ms));
  }
  if (r.router_cpu_s || r.router_rss_mb) {
    absl::StrAppend(&line, "; router:");
    if (r.router_cpu_s)
      absl::StrAppend(&line, absl::StrFormat(" cpu=%.3fs", *r.router_cpu_s));
    if (r.router_rss_mb)
      absl::StrAppend(&line, absl::StrFormat(" rss=%.1fMB", *r.router_rss_mb));
  }
  if (r.self_cpu_s)
    absl::StrAppend(&line,
                    absl::StrFormat("; bgpy-perf: cpu=%.3fs", *r.self_cpu_s));
  return line;
}

std::string ResultJson(const Report& r) {
  std::string j = absl::StrCat("{\"scenario\": \"", r.scenario, "\", ");
  AppendPhaseJson(j, r.main, "");
  if (r.floor) {
    absl::StrAppend(&j, ", ");
    AppendPhaseJson(j, *r.floor, "floor_");
  }
  if (r.router_cpu_s)
    absl::StrAppend(
        &j, absl::StrFormat(", \"router_cpu_s\": %.3f", *r.router_cpu_s));
  if (r.router_rss_mb)
    absl::StrAppend(
        &j, absl::StrFormat(", \"router_rss_mb\": %.1f", *r.router_rss_mb));
  if (r.at_monitor_end)
    absl::StrAppend(&j, ", \"at_monitor_end\": ", *r.at_monitor_end);
  if (r.self_cpu_s)
    absl::StrAppend(&j,
                    absl::StrFormat(", \"self_cpu_s\": %.3f", *r.self_cpu_s));
  if (!r.canary.empty()) {
    const CanaryStats c = Canaries(r);
    absl::StrAppend(&j, ", \"canary_events\": ", c.events,
                    ", \"canary_missing\": ", c.missing,
                    ", \"canary_delay_p50_ms\": ", Millis(c.p50_ms),
                    ", \"canary_delay_max_ms\": ", Millis(c.max_ms),
                    ", \"canary\": [");
    for (size_t i = 0; i < r.canary.size(); ++i) {
      const CanaryResult& e = r.canary[i];
      absl::StrAppend(&j, i ? ", " : "", "{\"prefix\": \"", e.prefix,
                      "\", \"kind\": \"", e.withdraw ? "withdraw" : "announce",
                      "\", \"sent_s\": ", Seconds(e.sent_s),
                      ", \"delay_ms\": ", Millis(e.delay_ms), "}");
    }
    absl::StrAppend(&j, "]");
  }
  absl::StrAppend(&j, ", \"phases\": [");
  for (size_t i = 0; i < r.phases.size(); ++i) {
    absl::StrAppend(&j, i ? ", " : "", "{\"name\": \"", r.phases[i].name,
                    "\", ");
    AppendPhaseJson(j, r.phases[i], "");
    absl::StrAppend(&j, "}");
  }
  absl::StrAppend(&j, "]}\n");
  return j;
}

std::string TimelineCsv(const Report& r) {
  size_t buckets = 0, bucket_ms = 0;
  Buckets(r, &buckets, &bucket_ms);
  const std::vector<uint64_t> w =
      Cumulative(r.written_per_ms, buckets, bucket_ms);
  const std::vector<uint64_t> v =
      Cumulative(r.received_per_ms, buckets, bucket_ms);
  const std::vector<uint64_t> m =
      Level(r.at_monitor_delta_per_ms, buckets, bucket_ms);
  std::string out = "t_s,written,received,at_monitor\n";
  for (size_t b = 0; b < buckets; ++b) {
    absl::StrAppend(
        &out,
        absl::StrFormat("%.3f", static_cast<double>((b + 1) * bucket_ms) / 1e3),
        ",", w[b], ",", v[b], ",", m[b], "\n");
  }
  return out;
}

std::string ChartSvg(const Report& r) {
  constexpr double kW = 900, kH = 640;
  constexpr double kLeft = 80, kRight = 20, kPlotH = 300, kTop1 = 40,
                   kTop2 = 400, kPlot2H = 180;
  const double pw = kW - kLeft - kRight;
  size_t buckets = 0, bucket_ms = 0;
  Buckets(r, &buckets, &bucket_ms);
  const std::vector<uint64_t> w =
      Cumulative(r.written_per_ms, buckets, bucket_ms);
  const std::vector<uint64_t> v =
      Cumulative(r.received_per_ms, buckets, bucket_ms);
  const std::vector<uint64_t> m =
      Level(r.at_monitor_delta_per_ms, buckets, bucket_ms);
  const double t_max = static_cast<double>(buckets * bucket_ms) / 1e3;
  uint64_t top = 1;
  for (const std::vector<uint64_t>* c : {&w, &v, &m})
    for (uint64_t x : *c) top = std::max(top, x);
  const double y_max = static_cast<double>(top);
  std::string s = absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
      "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
      "font-size=\"12\">\n",
      kW, kH, kW, kH);
  absl::StrAppend(&s, "<rect x=\"0\" y=\"0\" width=\"", kW, "\" height=\"", kH,
                  "\" fill=\"white\"/>\n");
  absl::StrAppend(&s, "<text x=\"", kLeft, "\" y=\"24\" font-size=\"15\">",
                  "bgpy-perf ", r.scenario,
                  ": routes written and at the monitor</text>\n");
  // Axes of the timeline.
  absl::StrAppend(&s,
                  absl::StrFormat("<path d=\"M %.1f %.1f V %.1f H %.1f\" "
                                  "stroke=\"black\" fill=\"none\"/>\n",
                                  kLeft, kTop1, kTop1 + kPlotH, kLeft + pw));
  absl::StrAppend(
      &s,
      absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                      "%.0f</text>\n<text x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"end\">0</text>\n",
                      kLeft - 4, kTop1 + 4, y_max, kLeft - 4, kTop1 + kPlotH));
  absl::StrAppend(
      &s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                          "%.3f s</text>\n",
                          kLeft + pw, kTop1 + kPlotH + 16, t_max));
  auto polyline = [&](const std::vector<uint64_t>& c, const char* color) {
    std::string p = absl::StrFormat("%.1f,%.1f", kLeft, kTop1 + kPlotH);
    for (size_t b = 0; b < c.size(); ++b) {
      const double x = kLeft + pw * static_cast<double>(b + 1) /
                                   static_cast<double>(c.size());
      const double y =
          kTop1 + kPlotH - kPlotH * static_cast<double>(c[b]) / y_max;
      absl::StrAppend(&p, absl::StrFormat(" %.1f,%.1f", x, y));
    }
    return absl::StrCat("<polyline fill=\"none\" stroke=\"", color,
                        "\" stroke-width=\"2\" points=\"", p, "\"/>\n");
  };
  absl::StrAppend(&s, polyline(w, "#1f77b4"), polyline(v, "#d62728"),
                  polyline(m, "#9467bd"));
  absl::StrAppend(
      &s, absl::StrFormat(
              "<text x=\"%.1f\" y=\"%.1f\" fill=\"#1f77b4\">route events "
              "written (cumulative)</text>\n<text x=\"%.1f\" y=\"%.1f\" "
              "fill=\"#d62728\">route events decoded at the monitor "
              "(cumulative)</text>\n<text x=\"%.1f\" y=\"%.1f\" "
              "fill=\"#9467bd\">routes at the monitor</text>\n",
              kLeft + 10, kTop1 + 14, kLeft + 10, kTop1 + 30, kLeft + 10,
              kTop1 + 46));
  // Delay histogram of the measured phase.
  constexpr int kBins = kDelayBins;
  // Binned by Summarize() (as kept for the measured phase).
  std::vector<uint64_t> bins = r.main.delay_bins;
  bins.resize(kBins, 0);
  uint64_t delays = 0;
  for (uint64_t b : bins) delays += b;
  const double d_max = r.main.delay_bins.empty() || !r.main.delay_max_ms
                           ? 1
                           : std::max(1e-3, *r.main.delay_max_ms);
  const double b_max = static_cast<double>(
      std::max<uint64_t>(1, *std::max_element(bins.begin(), bins.end())));
  absl::StrAppend(
      &s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\">"
                          "delay from socket write to monitor (%s), "
                          "%d routes</text>\n",
                          kLeft, kTop2 - 14, r.main.name, delays));
  absl::StrAppend(&s,
                  absl::StrFormat("<path d=\"M %.1f %.1f V %.1f H %.1f\" "
                                  "stroke=\"black\" fill=\"none\"/>\n",
                                  kLeft, kTop2, kTop2 + kPlot2H, kLeft + pw));
  for (int b = 0; b < kBins; ++b) {
    const double h = kPlot2H * static_cast<double>(bins[b]) / b_max;
    absl::StrAppend(
        &s, absl::StrFormat("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            "height=\"%.1f\" fill=\"#2ca02c\"/>\n",
                            kLeft + pw * b / kBins, kTop2 + kPlot2H - h,
                            pw / kBins - 1, h));
  }
  absl::StrAppend(
      &s, absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\">0 ms</text>\n"
                          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                          "%.3f ms</text>\n<text x=\"%.1f\" y=\"%.1f\" "
                          "text-anchor=\"end\">%.0f</text>\n",
                          kLeft, kTop2 + kPlot2H + 16, kLeft + pw,
                          kTop2 + kPlot2H + 16, d_max, kLeft - 4, kTop2 + 4,
                          b_max));
  absl::StrAppend(&s, "</svg>\n");
  return s;
}

absl::Status WriteOutputs(const Report& r, const std::string& dir) {
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    return absl::ErrnoToStatus(errno, absl::StrCat("--out: mkdir ", dir));
  const std::pair<const char*, std::string> files[] = {
      {"result.json", ResultJson(r)},
      {"timeline.csv", TimelineCsv(r)},
      {"chart.svg", ChartSvg(r)},
  };
  for (const auto& [name, text] : files) {
    const std::string path = absl::StrCat(dir, "/", name);
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr)
      return absl::ErrnoToStatus(errno, absl::StrCat("--out: ", path));
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok)
      return absl::ErrnoToStatus(errno, absl::StrCat("--out: write ", path));
  }
  return absl::OkStatus();
}

}  // namespace bgpy::tools::perf
