// Copyright 2026 The bgpy Authors.
//
// Interop (issue 9): bgpy-inject --mrt replays a real table into real
// daemons. The file is the shared corpus's bgpdump_bview.20020722.2337.gz
// (TABLE_DUMP, ~115k routes of many peers); bgpy-inject replays its busiest
// peer (its default) over eBGP into
//   1. BIRD 2 (`birdc show route all`),
//   2. GoBGP (`gobgp global rib -j`),
// and the daemon then holds exactly the peer's prefixes, each with the
// peer's AS_PATH behind our AS and our next hop. The expectation is the
// file's routes as the built bgpy-decode --input=mrt --format=bgpdump
// prints them (checked line for line against `bgpdump -m` by
// mrt_bgpdump_test). Every wait is bounded; each run takes well under a
// minute.
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "interop/daemons.h"
#include "interop/tools_util.h"
#include "testlib/corpus.h"
#include "testlib/json.h"

namespace bgpy {
namespace interop {
namespace {

using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;

constexpr uint32_t kOurAs = 65100;
constexpr uint32_t kDaemonAs = 65000;
constexpr char kFile[] = "bgpdump_bview.20020722.2337.gz";

// Prefix -> AS_PATH ("65100 1853 701 {1 2}": sets with spaces).
using Table = std::map<std::string, std::string>;

std::string NormalisePath(std::string p) {
  absl::StrReplaceAll({{",", " "}, {"{ ", "{"}, {" }", "}"}}, &p);
  std::vector<std::string> w = absl::StrSplit(p, ' ', absl::SkipEmpty());
  return absl::StrJoin(w, " ");
}

struct Expectation {
  std::string peer;
  uint32_t peer_as = 0;
  Table table;
};

// The busiest peer's table, our AS prepended; routes whose path holds the
// daemon's AS are left out (its loop check drops them, RFC 4271 §9.1.2).
std::optional<Expectation> Expect(const std::string& decode,
                                  const std::string& file, std::string* why) {
  absl::StatusOr<CommandResult> r = RunCommand(
      {decode, "--input=mrt", "--format=bgpdump", file}, Millis(60000));
  if (!r.ok() || r->exit_code != 0) {
    *why = absl::StrCat(
        "bgpy-decode failed: ",
        r.ok() ? r->output.substr(0, 2000) : std::string(r.status().message()));
    return std::nullopt;
  }
  std::map<std::pair<std::string, uint32_t>, int> count;
  std::vector<std::vector<std::string>> lines;
  for (absl::string_view line : absl::StrSplit(r->output, '\n')) {
    std::vector<std::string> f = absl::StrSplit(line, '|');
    if (f.size() < 8 || f[2] != "B") continue;
    uint32_t as = 0;
    if (!absl::SimpleAtoi(f[4], &as)) continue;
    ++count[{f[3], as}];
    lines.push_back(std::move(f));
  }
  Expectation e;
  int most = 0;
  for (const auto& [k, n] : count) {
    if (n > most) {
      most = n;
      e.peer = k.first;
      e.peer_as = k.second;
    }
  }
  const std::string daemon_as = absl::StrCat(kDaemonAs);
  for (const std::vector<std::string>& f : lines) {
    uint32_t as = 0;
    (void)absl::SimpleAtoi(f[4], &as);
    if (f[3] != e.peer || as != e.peer_as) continue;
    const std::string path = NormalisePath(f[6]);
    std::vector<std::string> asns =
        absl::StrSplit(path, absl::ByAnyChar(" {}"), absl::SkipEmpty());
    if (std::find(asns.begin(), asns.end(), daemon_as) != asns.end()) continue;
    e.table[f[5]] =
        path.empty() ? absl::StrCat(kOurAs) : absl::StrCat(kOurAs, " ", path);
  }
  return e;
}

// The first differences, for a failure message.
std::string Diff(const Table& got, const Table& want) {
  std::string out;
  int n = 0;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    if (it == got.end()) {
      absl::StrAppend(&out, "  missing ", k, " ", v, "\n");
    } else if (it->second != v) {
      absl::StrAppend(&out, "  ", k, ": got '", it->second, "' want '", v,
                      "'\n");
    } else {
      continue;
    }
    if (++n == 10) break;
  }
  for (const auto& [k, v] : got) {
    if (n >= 20) break;
    if (!want.contains(k)) {
      absl::StrAppend(&out, "  unexpected ", k, " ", v, "\n");
      ++n;
    }
  }
  return out;
}

std::vector<std::string> InjectArgs(const std::string& inject,
                                    const std::string& peer, uint16_t port,
                                    const std::string& local,
                                    const std::string& file,
                                    const std::string& next_hop = "") {
  std::vector<std::string> a = {inject,
                                absl::StrCat("--peer=", peer),
                                absl::StrCat("--port=", port),
                                absl::StrCat("--local-address=", local),
                                absl::StrCat("--local-as=", kOurAs),
                                absl::StrCat("--peer-as=", kDaemonAs),
                                absl::StrCat("--mrt=", file),
                                "--family=ipv4-unicast",
                                "--print=none"};
  if (!next_hop.empty()) a.push_back(absl::StrCat("--next-hop=", next_hop));
  return a;
}

NeighborSpec Neighbor(const std::string& address) {
  NeighborSpec n;
  n.address = address;
  n.as = kOurAs;
  n.passive = true;  // bgpy-inject connects
  n.families = {"ipv4-unicast"};
  return n;
}

// --- BIRD ------------------------------------------------------------------

std::optional<int> BirdCount(Daemon& bird) {
  absl::StatusOr<std::string> out =
      bird.Cli({"show", "route", "count", "table", "master4"});
  if (!out.ok()) return std::nullopt;
  for (absl::string_view line : absl::StrSplit(*out, '\n')) {
    if (!absl::StrContains(line, "routes for")) continue;
    std::vector<absl::string_view> w =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    int n;
    if (!w.empty() && absl::SimpleAtoi(w[0], &n)) return n;
  }
  return std::nullopt;
}

// `show route all`: a route line starts with the prefix at column 0 (a
// further path of the same prefix starts with spaces); its attributes
// follow, indented.
Table BirdTable(const std::string& out, std::string* bad_next_hop) {
  Table t;
  std::string current;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (!line.empty() && line[0] != ' ' && line[0] != '\t' &&
        absl::StrContains(line.substr(0, line.find(' ')), '/')) {
      current = std::string(line.substr(0, line.find(' ')));
      continue;
    }
    absl::string_view s = absl::StripAsciiWhitespace(line);
    if (current.empty()) continue;
    if (absl::ConsumePrefix(&s, "BGP.as_path:")) {
      t[current] = NormalisePath(std::string(absl::StripAsciiWhitespace(s)));
    } else if (absl::ConsumePrefix(&s, "BGP.next_hop:") &&
               absl::StripAsciiWhitespace(s) != "127.0.40.1" &&
               bad_next_hop->empty()) {
      *bad_next_hop = absl::StrCat(current, ": ", s);
    }
  }
  return t;
}

TEST(InjectMrtInterop, TableDumpIntoBird) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  BGPY_REQUIRE_TOOL(decode, "bgpy-decode");
  std::optional<std::string> shared = testing::FindSharedDir();
  if (!shared) GTEST_SKIP() << "no shared corpus";
  const std::string file = absl::StrCat(*shared, "/corpus/mrt/", kFile);
  std::string why;
  std::optional<Expectation> e = Expect(decode, file, &why);
  ASSERT_TRUE(e.has_value()) << why;
  ASSERT_GT(e->table.size(), 100000u);

  const std::string kBird = "127.0.40.2", kSrc = "127.0.40.1";
  DaemonSpec spec;
  spec.local_address = kBird;
  spec.local_as = kDaemonAs;
  spec.extended_message = true;
  spec.neighbors.push_back(Neighbor(kSrc));
  auto bird = Daemon::Start(DaemonKind::kBird, spec);
  ASSERT_TRUE(bird.ok()) << bird.status();
  Daemon& d = **bird;

  auto p = ToolProcess::Start(InjectArgs(inject, kBird, d.port(), kSrc, file));
  ASSERT_TRUE(p.ok()) << p.status();
  const int want = static_cast<int>(e->table.size());
  std::optional<int> n;
  const auto deadline = Clock::now() + std::chrono::seconds(40);
  while (Clock::now() < deadline) {
    n = BirdCount(d);
    if (n == want || !(*p)->Running()) break;
    std::this_thread::sleep_for(Millis(500));
  }
  EXPECT_EQ(n, want) << (*p)->Tail() << d.LogTail();
  // Settled: nothing more arrives.
  std::this_thread::sleep_for(Millis(500));
  absl::StatusOr<std::string> all =
      d.Cli({"show", "route", "all", "table", "master4"}, Millis(60000));
  ASSERT_TRUE(all.ok()) << all.status();
  std::string bad_next_hop;
  const Table got = BirdTable(*all, &bad_next_hop);
  EXPECT_EQ(got.size(), e->table.size());
  EXPECT_TRUE(got == e->table) << Diff(got, e->table);
  EXPECT_EQ(bad_next_hop, "");
  EXPECT_TRUE((*p)->Running()) << (*p)->Tail();
  EXPECT_EQ((*p)->Stop().value_or(-2), 0) << (*p)->Tail();
  const std::string err = (*p)->Stderr();
  EXPECT_TRUE(absl::StrContains(
      err, absl::StrCat("replaying the peer with the most routes: #")))
      << err;
  EXPECT_TRUE(
      absl::StrContains(err, absl::StrCat("AS", e->peer_as, " ", e->peer)))
      << err;
}

// --- GoBGP -----------------------------------------------------------------

std::optional<int> GobgpCount(Daemon& g) {
  absl::StatusOr<std::string> out =
      g.Cli({"global", "rib", "summary", "-a", "ipv4"});
  if (!out.ok()) return std::nullopt;
  size_t at = out->find("Destination: ");
  if (at == std::string::npos) return std::nullopt;
  absl::string_view rest = absl::string_view(*out).substr(at + 13);
  rest = rest.substr(0, rest.find(','));
  int n;
  if (!absl::SimpleAtoi(rest, &n)) return std::nullopt;
  return n;
}

// `gobgp global rib -j`: {"PREFIX": [path, ...], ...}; AS_PATH is the
// attribute of type 2, segments of type 1 (SET) or 2 (SEQUENCE).
Table GobgpTable(const JsonValue& j, std::string* bad_next_hop) {
  Table t;
  for (const auto& [prefix, paths] : j.members()) {
    if (paths.items().empty()) continue;
    const JsonValue& path = paths.items()[0];
    const JsonValue* attrs = path.Get("attrs");
    std::vector<std::string> segs;
    if (attrs == nullptr) continue;
    for (const JsonValue& a : attrs->items()) {
      const std::string* type = a.GetText("type");
      if (type == nullptr) continue;
      if (*type == "3") {
        const std::string* nh = a.GetText("nexthop");
        if (nh != nullptr && *nh != "192.0.2.1" && bad_next_hop->empty())
          *bad_next_hop = absl::StrCat(prefix, ": ", *nh);
      }
      if (*type != "2") continue;
      const JsonValue* as_paths = a.Get("as_paths");
      if (as_paths == nullptr) continue;
      for (const JsonValue& seg : as_paths->items()) {
        std::vector<std::string> asns;
        if (const JsonValue* v = seg.Get("asns"))
          for (const JsonValue& x : v->items()) asns.push_back(x.text());
        const std::string* st = seg.GetText("segment_type");
        if (st != nullptr && *st == "1") {
          segs.push_back(absl::StrCat("{", absl::StrJoin(asns, " "), "}"));
        } else {
          segs.push_back(absl::StrJoin(asns, " "));
        }
      }
    }
    t[prefix] = NormalisePath(absl::StrJoin(segs, " "));
  }
  return t;
}

TEST(InjectMrtInterop, TableDumpIntoGobgp) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  BGPY_REQUIRE_TOOL(decode, "bgpy-decode");
  std::optional<std::string> shared = testing::FindSharedDir();
  if (!shared) GTEST_SKIP() << "no shared corpus";
  const std::string file = absl::StrCat(*shared, "/corpus/mrt/", kFile);
  std::string why;
  std::optional<Expectation> e = Expect(decode, file, &why);
  ASSERT_TRUE(e.has_value()) << why;

  const std::string kGobgp = "127.0.41.2", kSrc = "127.0.41.1";
  DaemonSpec spec;
  spec.local_address = kGobgp;
  spec.local_as = kDaemonAs;
  spec.neighbors.push_back(Neighbor(kSrc));
  auto gobgp = Daemon::Start(DaemonKind::kGobgp, spec);
  ASSERT_TRUE(gobgp.ok()) << gobgp.status();
  Daemon& d = **gobgp;

  // GoBGP treats a loopback next hop as invalid (treat-as-withdraw).
  auto p = ToolProcess::Start(
      InjectArgs(inject, kGobgp, d.port(), kSrc, file, "192.0.2.1"));
  ASSERT_TRUE(p.ok()) << p.status();
  const int want = static_cast<int>(e->table.size());
  std::optional<int> n;
  // GoBGP takes ~20k routes/s here; its CLI is polled rarely.
  const auto deadline = Clock::now() + std::chrono::seconds(45);
  while (Clock::now() < deadline) {
    n = GobgpCount(d);
    if (n == want || !(*p)->Running()) break;
    std::this_thread::sleep_for(Millis(1000));
  }
  EXPECT_EQ(n, want) << (*p)->Tail() << d.LogTail();
  absl::StatusOr<std::string> out =
      d.Cli({"global", "rib", "-a", "ipv4", "-j"}, Millis(60000));
  ASSERT_TRUE(out.ok()) << out.status();
  absl::StatusOr<JsonValue> j = ParseJson(*out);
  ASSERT_TRUE(j.ok()) << j.status() << "\n" << out->substr(0, 2000);
  std::string bad_next_hop;
  const Table got = GobgpTable(*j, &bad_next_hop);
  EXPECT_EQ(got.size(), e->table.size());
  EXPECT_TRUE(got == e->table) << Diff(got, e->table);
  EXPECT_EQ(bad_next_hop, "");
  EXPECT_EQ((*p)->Stop().value_or(-2), 0) << (*p)->Tail();
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
