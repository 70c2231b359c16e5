// Copyright 2026 The bgpy Authors.
//
// bgpy-inject --mrt (DESIGN.md "bgpy-inject"): replays files of the shared
// corpus into bgpy-listen on loopback and compares the routes bgpy-listen
// prints (JSON) with the file's routes for the replayed peer, as the built
// bgpy-decode --input=mrt --format=bgpdump prints them (the format checked
// line for line against `bgpdump -m` by mrt_bgpdump_test): the same
// prefixes (and path ids), the AS_PATH with our AS prepended and our next
// hop (or, with --mrt-keep-attributes, everything as found), after applying
// the withdrawals of an updates file in order. Peer selection (default,
// index, AS, address), --mrt-prefix, --mrt-as and --sessions=mrt-peers each
// get a run. Every wait is bounded.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bgpy/types.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/corpus.h"
#include "testlib/json.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;
using ::testing::HasSubstr;

#ifndef BGPY_NO_TOOLS

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out = absl::StrSplit(s, '\n', absl::SkipEmpty());
  return out;
}

// A route as compared: key "prefix" or "prefix#path_id".
struct Attrs {
  std::string as_path;  // bgpdump notation
  std::string next_hop;
  std::string local_pref;  // "0" when absent, as bgpdump prints it
  std::string med;
  std::string communities;  // "65000:1 65000:2", kept in every mode
  bool operator==(const Attrs&) const = default;
};
using Table = std::map<std::string, Attrs>;

void PrintTo(const Attrs& a, std::ostream* os) {
  *os << "{path '" << a.as_path << "' nh " << a.next_hop << " lp "
      << a.local_pref << " med " << a.med << " comm '" << a.communities << "'}";
}

std::optional<std::string> Corpus(absl::string_view name) {
  std::optional<std::string> shared = testing::FindSharedDir();
  if (!shared) return std::nullopt;
  std::string path = absl::StrCat(*shared, "/corpus/mrt/", name);
  if (access(path.c_str(), R_OK) != 0) return std::nullopt;
  return path;
}

// One line of bgpdump -m output.
struct DumpLine {
  std::string kind;  // "B", "A", "W"
  std::string peer;
  uint32_t peer_as = 0;
  std::string key;
  std::string prefix;
  Attrs attrs;
};

std::vector<DumpLine> Decode(const std::string& file) {
  ToolProcess p(ToolPath("bgpy-decode"),
                {"--input=mrt", "--format=bgpdump", file});
  EXPECT_EQ(p.Wait(), 0) << p.err();
  std::vector<DumpLine> out;
  for (const std::string& line : Lines(p.out())) {
    std::vector<std::string> f = absl::StrSplit(line, '|');
    if (f.size() < 6) continue;
    DumpLine d;
    d.kind = f[2];
    if (d.kind != "B" && d.kind != "A" && d.kind != "W") continue;
    d.peer = f[3];
    EXPECT_TRUE(absl::SimpleAtoi(f[4], &d.peer_as)) << line;
    d.prefix = f[5];
    size_t i = 6;
    d.key = d.prefix;
    if (absl::EndsWith(f[0], "_AP")) {  // path id after the prefix
      d.key = absl::StrCat(d.prefix, "#", f[6]);
      ++i;
    }
    if (d.kind != "W") {
      EXPECT_GE(f.size(), i + 6) << line;
      if (f.size() < i + 6) continue;
      // The deprecated BGP type's lines have no communities column.
      if (f[0] != "BGP") d.attrs.communities = f[i + 5];
      d.attrs.as_path = f[i];
      d.attrs.next_hop = f[i + 2];
      d.attrs.local_pref = f[i + 3];
      d.attrs.med = f[i + 4];
    }
    out.push_back(std::move(d));
  }
  return out;
}

// The peer with the most announcements ("address AS").
std::pair<std::string, uint32_t> BusiestPeer(
    const std::vector<DumpLine>& lines) {
  std::map<std::pair<std::string, uint32_t>, int> n;
  for (const DumpLine& d : lines)
    if (d.kind != "W") ++n[{d.peer, d.peer_as}];
  std::pair<std::string, uint32_t> best;
  int most = -1;
  for (const auto& [k, v] : n) {
    if (v > most) {
      most = v;
      best = k;
    }
  }
  return best;
}

struct Rewrite {
  uint32_t prepend = 0;                  // 0: the path as found
  std::string next_hop_v4, next_hop_v6;  // empty: as found
  bool drop_med_lp = true;
};

// The table the peer's lines leave, rewritten as bgpy-inject does.
Table Expected(const std::vector<DumpLine>& lines, const std::string& peer,
               uint32_t peer_as, const Rewrite& rw,
               const std::function<bool(const DumpLine&)>& keep = nullptr) {
  Table t;
  for (const DumpLine& d : lines) {
    if (d.peer != peer || d.peer_as != peer_as) continue;
    if (keep && !keep(d)) continue;
    if (d.kind == "W") {
      t.erase(d.key);
      continue;
    }
    Attrs a = d.attrs;
    if (rw.prepend != 0) {
      a.as_path = a.as_path.empty() ? absl::StrCat(rw.prepend)
                                    : absl::StrCat(rw.prepend, " ", a.as_path);
    }
    const bool v6 = absl::StrContains(d.prefix, ':');
    if (!v6 && !rw.next_hop_v4.empty()) a.next_hop = rw.next_hop_v4;
    if (v6 && !rw.next_hop_v6.empty()) a.next_hop = rw.next_hop_v6;
    if (rw.drop_med_lp) a.local_pref = a.med = "0";
    t[d.key] = a;
  }
  return t;
}

std::string PathText(const JsonValue* path) {
  std::vector<std::string> segs;
  if (path == nullptr) return "";
  for (const JsonValue& seg : path->items()) {
    const std::string* type = seg.GetText("type");
    const JsonValue* asns = seg.Get("asns");
    std::vector<std::string> n;
    if (asns != nullptr)
      for (const JsonValue& a : asns->items()) n.push_back(a.text());
    if (type != nullptr && *type == "AS_SET") {
      segs.push_back(absl::StrCat("{", absl::StrJoin(n, ","), "}"));
    } else {
      segs.push_back(absl::StrJoin(n, " "));
    }
  }
  return absl::StrJoin(segs, " ");
}

// The tables bgpy-listen's JSON lines leave, by peer (source address).
struct Received {
  std::map<std::string, Table> tables;
  std::map<std::string, std::string> my_as;  // from each peer's OPEN
  uint64_t announced = 0, withdrawn = 0, updates = 0;
};

Received Apply(const std::string& out) {
  Received r;
  for (const std::string& line : Lines(out)) {
    absl::StatusOr<JsonValue> v = ParseJson(line);
    EXPECT_TRUE(v.ok()) << v.status() << ": " << line;
    if (!v.ok()) continue;
    const std::string* type = v->GetText("type");
    const std::string* peer = v->GetText("peer");
    if (type == nullptr || peer == nullptr) continue;
    if (*type == "OPEN") {
      if (const std::string* as = v->GetText("asn")) r.my_as[*peer] = *as;
      continue;
    }
    if (*type != "UPDATE") continue;
    ++r.updates;
    Table& t = r.tables[*peer];
    auto key = [](const JsonValue& route) {
      std::string k = *route.GetText("prefix");
      if (const std::string* id = route.GetText("path_id"))
        absl::StrAppend(&k, "#", *id);
      return k;
    };
    if (const JsonValue* w = v->Get("withdraw")) {
      for (const auto& fam : w->members()) {
        for (const JsonValue& route : fam.second.items()) {
          t.erase(key(route));
          ++r.withdrawn;
        }
      }
    }
    const JsonValue* ann = v->Get("announce");
    if (ann == nullptr || ann->members().empty()) continue;
    const JsonValue* attrs = v->Get("attributes");
    Attrs a;
    if (attrs != nullptr) {
      a.as_path = PathText(attrs->Get("as_path"));
      const std::string* lp = attrs->GetText("local_pref");
      a.local_pref = lp != nullptr ? *lp : "0";
      // From an external peer LOCAL_PREF arrives but is discarded (RFC 7606
      // §7.5): bgpy-listen prints it raw, marked "discarded".
      if (const JsonValue* raw = attrs->Get("local_pref");
          raw != nullptr && raw->is_object()) {
        const JsonValue* discarded = raw->Get("discarded");
        const std::string* hex = raw->GetText("hex");
        uint32_t v = 0;
        if (discarded != nullptr && discarded->is_bool() &&
            discarded->boolean() && hex != nullptr && hex->size() == 8 &&
            absl::SimpleHexAtoi(*hex, &v)) {
          a.local_pref = absl::StrCat(v, " (discarded)");
        }
      }
      const std::string* med = attrs->GetText("med");
      a.med = med != nullptr ? *med : "0";
      std::vector<std::string> comms;
      if (const JsonValue* c = attrs->Get("communities"))
        for (const JsonValue& x : c->items()) comms.push_back(x.text());
      a.communities = absl::StrJoin(comms, " ");
    }
    const std::string* nh = v->GetText("next_hop");
    if (nh != nullptr) {
      // A global and a link-local address: bgpdump prints the global one.
      std::vector<std::string> parts =
          absl::StrSplit(*nh, absl::ByAnyChar(", "), absl::SkipEmpty());
      a.next_hop = parts.empty() ? "" : parts[0];
    }
    for (const auto& fam : ann->members()) {
      for (const JsonValue& route : fam.second.items()) {
        t[key(route)] = a;
        ++r.announced;
      }
    }
  }
  return r;
}

// bgpy-listen on `address` (a port the kernel picks) receives what
// bgpy-inject --mrt replays from `local`; returns bgpy-listen's tables and
// bgpy-inject's stderr.
struct ReplayRun {
  Received received;
  std::string inject_err;
  int inject_exit = -1;
};

ReplayRun Replay(const std::string& address, const std::string& local,
                 const std::vector<std::string>& args) {
  ReplayRun run;
  ToolProcess listen(ToolPath("bgpy-listen"),
                     {absl::StrCat("--listen=", address, ":0"),
                      "--local-as=65001", "--print=json", "--duration=60s"});
  const std::string marker = absl::StrCat("listening on ", address, ":");
  EXPECT_TRUE(listen.WaitFor(marker)) << listen.err();
  std::string err = listen.err();
  size_t at = err.find(marker);
  int port = 0;
  if (at != std::string::npos) {
    size_t start = at + marker.size();
    EXPECT_TRUE(absl::SimpleAtoi(
        err.substr(start, err.find(',', start) - start), &port));
  }
  std::vector<std::string> all = {absl::StrCat("--peer=", address),
                                  absl::StrCat("--port=", port),
                                  absl::StrCat("--local-address=", local),
                                  "--local-as=65100",
                                  "--print=none",
                                  "--duration=2s"};
  all.insert(all.end(), args.begin(), args.end());
  ToolProcess inject(ToolPath("bgpy-inject"), all);
  run.inject_exit = inject.Wait();
  run.inject_err = inject.err();
  // Every route written is read within a moment on loopback.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(), 0) << listen.err();
  run.received = Apply(listen.out());
  return run;
}

#define REQUIRE_CORPUS(var, name)                                    \
  std::optional<std::string> var##_opt = Corpus(name);               \
  if (!var##_opt) GTEST_SKIP() << "shared corpus missing: " << name; \
  const std::string var = *var##_opt

TEST(InjectMrtTest, RibDumpRewrittenAsAnEbgpSpeaker) {
  REQUIRE_CORPUS(file, "mrtparse_quagga_rib");
  const std::vector<DumpLine> lines = Decode(file);
  auto [peer, peer_as] = BusiestPeer(lines);
  Rewrite rw;
  rw.prepend = 65100;
  rw.next_hop_v4 = "127.0.31.1";
  rw.next_hop_v6 = "2001:db8::1";
  const Table want = Expected(lines, peer, peer_as, rw);
  ASSERT_GE(want.size(), 6u);  // IPv4 and IPv6 routes
  ReplayRun run = Replay(
      "127.0.31.2", "127.0.31.1",
      {absl::StrCat("--mrt=", file), "--next-hop=127.0.31.1,2001:db8::1"});
  EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
  EXPECT_THAT(run.inject_err, HasSubstr(absl::StrCat("the most routes: #0 AS",
                                                     peer_as, " ", peer)));
  EXPECT_EQ(run.received.tables["127.0.31.1"], want);
}

TEST(InjectMrtTest, KeepAttributesSendsThemAsFound) {
  REQUIRE_CORPUS(file, "mrtparse_quagga_rib");
  const std::vector<DumpLine> lines = Decode(file);
  auto [peer, peer_as] = BusiestPeer(lines);
  Rewrite rw;
  rw.drop_med_lp = false;
  const Table want = Expected(lines, peer, peer_as, rw);
  ASSERT_GE(want.size(), 6u);
  // MED and LOCAL_PREF are in the file: kept.
  EXPECT_EQ(want.begin()->second.med, "10");
  // LOCAL_PREF goes out as found, and bgpy-listen (AS 65001, an eBGP peer
  // of AS 65100) discards it on receipt (RFC 7606 §7.5).
  EXPECT_EQ(want.begin()->second.local_pref, "100");
  Table want_received = want;
  for (auto& [k, a] : want_received)
    if (a.local_pref != "0") absl::StrAppend(&a.local_pref, " (discarded)");
  ReplayRun run =
      Replay("127.0.32.2", "127.0.32.1",
             {absl::StrCat("--mrt=", file), "--mrt-keep-attributes"});
  EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
  EXPECT_EQ(run.received.tables["127.0.32.1"], want_received);
}

// ADD-PATH RIB (RFC 8050): bgpy-listen receives ADD-PATH, so every path of
// the peer arrives with its path id. Peers chosen by index, AS and address.
TEST(InjectMrtTest, AddPathDumpPeerSelection) {
  REQUIRE_CORPUS(file, "bgpdump_bview.ipv4_unicast_add_path.gz");
  const std::vector<DumpLine> lines = Decode(file);
  std::vector<std::pair<std::string, uint32_t>> peers;
  for (const DumpLine& d : lines) {
    std::pair<std::string, uint32_t> p{d.peer, d.peer_as};
    // AS 0: the collector's own entries (no AS_PATH), not replayed.
    if (d.peer_as == 0) continue;
    if (std::find(peers.begin(), peers.end(), p) == peers.end())
      peers.push_back(p);
  }
  ASSERT_GE(peers.size(), 2u);
  Rewrite rw;
  rw.prepend = 65100;
  rw.next_hop_v4 = "127.0.33.1";
  {
    // By AS: the first peer of the file.
    const Table want = Expected(lines, peers[0].first, peers[0].second, rw);
    ASSERT_FALSE(want.empty());
    EXPECT_TRUE(absl::StrContains(want.begin()->first, "#"));
    ReplayRun run = Replay("127.0.33.2", "127.0.33.1",
                           {absl::StrCat("--mrt=", file),
                            absl::StrCat("--mrt-peers=AS", peers[0].second)});
    EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
    EXPECT_EQ(run.received.tables["127.0.33.1"], want);
  }
  {
    // By address: the last peer.
    const Table want =
        Expected(lines, peers.back().first, peers.back().second, rw);
    ReplayRun run = Replay("127.0.33.2", "127.0.33.1",
                           {absl::StrCat("--mrt=", file),
                            absl::StrCat("--mrt-peers=", peers.back().first)});
    EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
    EXPECT_EQ(run.received.tables["127.0.33.1"], want);
  }
  {
    // By index: the one bgpy-inject named for the address above.
    ReplayRun by_address =
        Replay("127.0.33.2", "127.0.33.1",
               {absl::StrCat("--mrt=", file),
                absl::StrCat("--mrt-peers=", peers[1].first)});
    const std::string marker = "replaying peer #";
    size_t at = by_address.inject_err.find(marker);
    ASSERT_NE(at, std::string::npos) << by_address.inject_err;
    at += marker.size();
    const std::string index = by_address.inject_err.substr(
        at, by_address.inject_err.find(' ', at) - at);
    const Table want = Expected(lines, peers[1].first, peers[1].second, rw);
    ReplayRun run = Replay(
        "127.0.33.2", "127.0.33.1",
        {absl::StrCat("--mrt=", file), absl::StrCat("--mrt-peers=", index)});
    EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
    EXPECT_EQ(run.received.tables["127.0.33.1"], want);
  }
  {
    // An AS no peer has: a usage error naming the item.
    ReplayRun run = Replay("127.0.33.2", "127.0.33.1",
                           {absl::StrCat("--mrt=", file), "--mrt-peers=0,AS0"});
    EXPECT_EQ(run.inject_exit, 1);
    EXPECT_THAT(run.inject_err, HasSubstr("--mrt-peers: 'AS0' matches no"));
  }
}

// An updates file: announcements and withdrawals in order; the table left
// is the peer's table at the end of the file. BGP4MP (2-octet AS, 2002),
// BGP4MP_ET, BGP4MP MESSAGE_AS4 with IPv6 (2016) and the deprecated BGP
// type (1999).
TEST(InjectMrtTest, UpdatesFileInOrderWithWithdrawals) {
  const char* const files[] = {
      "bgpdump_updates.20020722.2238.gz",
      "bgpdump_updates.et-header.2015.first-2000-records.gz",
      "bgpdump_updates.20160811.1600.gz",
      "bgpkit_rrc00_updates.19991214.1621.gz",
  };
  int n = 0;
  for (const char* name : files) {
    SCOPED_TRACE(name);
    std::optional<std::string> file = Corpus(name);
    if (!file) continue;
    ++n;
    const std::vector<DumpLine> lines = Decode(*file);
    auto [peer, peer_as] = BusiestPeer(lines);
    Rewrite rw;
    rw.prepend = 65100;
    rw.next_hop_v4 = "127.0.34.1";
    rw.next_hop_v6 = "2001:db8::1";
    const Table want = Expected(lines, peer, peer_as, rw);
    ASSERT_GT(want.size(), 100u);
    ReplayRun run = Replay(
        "127.0.34.2", "127.0.34.1",
        {absl::StrCat("--mrt=", *file), "--next-hop=127.0.34.1,2001:db8::1"});
    EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
    EXPECT_EQ(run.received.tables["127.0.34.1"], want);
    if (absl::StrContains(name, "2002")) {
      EXPECT_GT(run.received.withdrawn, 0u);
      EXPECT_THAT(run.inject_err, HasSubstr("withdrawn"));
    }
  }
  if (n == 0) GTEST_SKIP() << "shared corpus missing";
}

// --speed=400: the file's 880 s between the peer's first and last UPDATE
// take 2.2 s; the table left is the same.
TEST(InjectMrtTest, SpeedKeepsTheOriginalTiming) {
  REQUIRE_CORPUS(file, "bgpdump_updates.20020722.2238.gz");
  const std::vector<DumpLine> lines = Decode(file);
  auto [peer, peer_as] = BusiestPeer(lines);
  Rewrite rw;
  rw.prepend = 65100;
  rw.next_hop_v4 = "127.0.38.1";
  const Table want = Expected(lines, peer, peer_as, rw);
  ReplayRun run =
      Replay("127.0.38.2", "127.0.38.1",
             {absl::StrCat("--mrt=", file), "--speed=400", "--duration=4s"});
  EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
  EXPECT_EQ(run.received.tables["127.0.38.1"], want);
  // "127.0.38.1 -> ...: N routes, M UPDATE messages, B bytes, S s, ..."
  double seconds = -1;
  for (const std::string& line : Lines(run.inject_err)) {
    if (!absl::StrContains(line, "total (")) continue;
    std::vector<std::string> parts = absl::StrSplit(line, ", ");
    ASSERT_GE(parts.size(), 4u) << line;
    EXPECT_TRUE(absl::SimpleAtod(absl::StripSuffix(parts[3], " s"), &seconds))
        << line;
  }
  EXPECT_GE(seconds, 2.0) << run.inject_err;
  EXPECT_LT(seconds, 3.5) << run.inject_err;
}

TEST(InjectMrtTest, PrefixAndAsFilters) {
  REQUIRE_CORPUS(file, "bgpdump_updates.20020722.2238.gz");
  const std::vector<DumpLine> lines = Decode(file);
  auto [peer, peer_as] = BusiestPeer(lines);
  Rewrite rw;
  rw.prepend = 65100;
  rw.next_hop_v4 = "127.0.35.1";
  {
    // Inside 200.0.0.0/8 or 65.0.0.0/8.
    auto inside = [](const DumpLine& d) {
      return absl::StartsWith(d.prefix, "200.") ||
             absl::StartsWith(d.prefix, "65.");
    };
    const Table want = Expected(lines, peer, peer_as, rw, inside);
    const Table all = Expected(lines, peer, peer_as, rw);
    ASSERT_FALSE(want.empty());
    ASSERT_LT(want.size(), all.size());
    ReplayRun run = Replay(
        "127.0.35.2", "127.0.35.1",
        {absl::StrCat("--mrt=", file), "--mrt-prefix=200.0.0.0/8,65.0.0.0/8"});
    EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
    EXPECT_EQ(run.received.tables["127.0.35.1"], want);
  }
  {
    // AS_PATH contains 701. Withdrawals of routes never announced are not
    // sent; the table left is the same.
    auto via = [](const DumpLine& d) {
      if (d.kind == "W") return true;
      for (absl::string_view a :
           absl::StrSplit(d.attrs.as_path, absl::ByAnyChar(" {},")))
        if (a == "701") return true;
      return false;
    };
    const Table want = Expected(lines, peer, peer_as, rw, via);
    ASSERT_FALSE(want.empty());
    ReplayRun run = Replay("127.0.35.2", "127.0.35.1",
                           {absl::StrCat("--mrt=", file), "--mrt-as=701"});
    EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
    EXPECT_EQ(run.received.tables["127.0.35.1"], want);
    for (const auto& [k, a] : run.received.tables["127.0.35.1"])
      EXPECT_THAT(a.as_path, HasSubstr(" 701")) << k;
  }
}

// --sessions=mrt-peers: one session per peer, from consecutive addresses,
// each with the peer's AS as ours and its own routes (no prepend).
TEST(InjectMrtTest, OneSessionPerPeer) {
  REQUIRE_CORPUS(file, "bgpdump_bview.ipv4_unicast_add_path.gz");
  const std::vector<DumpLine> lines = Decode(file);
  std::vector<std::pair<std::string, uint32_t>> peers;
  for (const DumpLine& d : lines) {
    std::pair<std::string, uint32_t> p{d.peer, d.peer_as};
    // AS 0: the collector's own entries (no AS_PATH), not replayed.
    if (d.peer_as == 0) continue;
    if (std::find(peers.begin(), peers.end(), p) == peers.end())
      peers.push_back(p);
  }
  ASSERT_GE(peers.size(), 2u);
  ReplayRun run =
      Replay("127.0.36.2", "127.0.36.10",
             {absl::StrCat("--mrt=", file), "--sessions=mrt-peers"});
  EXPECT_EQ(run.inject_exit, 0) << run.inject_err;
  EXPECT_THAT(run.inject_err,
              HasSubstr(absl::StrCat("one session per peer: ", peers.size())));
  // Sessions in the order bgpy-inject names the peers (their index), from
  // .10, .11, ...
  std::vector<std::pair<std::string, uint32_t>> order;
  for (const std::string& line : Lines(run.inject_err)) {
    std::vector<std::string> w = absl::StrSplit(line, ' ');
    if (w.size() < 6 || w[1] != "replaying" || w[2] != "peer") continue;
    uint32_t as = 0;
    EXPECT_TRUE(absl::SimpleAtoi(absl::StripPrefix(w[4], "AS"), &as)) << line;
    order.push_back({w[5], as});
  }
  std::sort(order.begin(), order.end());
  std::sort(peers.begin(), peers.end());
  EXPECT_EQ(order, peers);
  peers.clear();
  for (const std::string& line : Lines(run.inject_err)) {
    std::vector<std::string> w = absl::StrSplit(line, ' ');
    if (w.size() < 6 || w[1] != "replaying" || w[2] != "peer") continue;
    uint32_t as = 0;
    (void)absl::SimpleAtoi(absl::StripPrefix(w[4], "AS"), &as);
    peers.push_back({w[5], as});
  }
  for (size_t i = 0; i < peers.size(); ++i) {
    const std::string local = absl::StrCat("127.0.36.", 10 + i);
    Rewrite rw;
    rw.next_hop_v4 = local;
    rw.drop_med_lp = peers[i].second != 65001;  // iBGP keeps them
    Table want = Expected(lines, peers[i].first, peers[i].second, rw);
    if (peers[i].second == 65001)
      for (auto& [k, a] : want)
        if (a.local_pref == "0") a.local_pref = "100";
    SCOPED_TRACE(local);
    EXPECT_EQ(run.received.my_as[local], absl::StrCat(peers[i].second));
    EXPECT_EQ(run.received.tables[local], want);
  }
}

TEST(InjectMrtTest, UsageErrors) {
  REQUIRE_CORPUS(file, "mrtparse_quagga_rib");
  struct Case {
    std::vector<std::string> args;
    std::string want;
  };
  std::vector<Case> cases;
  cases.push_back({{"--mrt=/nonexistent.mrt"}, "--mrt: /nonexistent.mrt"});
  cases.push_back(
      {{absl::StrCat("--mrt=", file), "--mrt-peers=bogus"}, "--mrt-peers"});
  cases.push_back(
      {{absl::StrCat("--mrt=", file), "--mrt-peers=7"}, "'7' matches no"});
  cases.push_back({{absl::StrCat("--mrt=", file), "--count=3"}, "--count"});
  cases.push_back({{absl::StrCat("--mrt=", file), "--speed=-1"}, "--speed"});
  cases.push_back({{"--count=3", "--mrt-as=1"}, "--mrt-as: needs --mrt"});
  cases.push_back(
      {{"--count=3", "--prefix=10.0.0.0/24", "--sessions=mrt-peers"},
       "--sessions: mrt-peers needs --mrt"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.front());
    std::vector<std::string> args = {"--peer=127.0.37.2", "--port=9",
                                     "--local-as=65100"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    ToolProcess inject(ToolPath("bgpy-inject"), args);
    EXPECT_EQ(inject.Wait(), 1);
    EXPECT_THAT(inject.err(), HasSubstr(c.want));
  }
}

#else
TEST(InjectMrtTest, ToolsNotBuilt) { GTEST_SKIP() << "built without tools"; }
#endif

}  // namespace
}  // namespace bgpy
