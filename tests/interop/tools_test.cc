// Copyright 2026 The bgpy Authors.
//
// Interop (issue 4): the built tools bgpy-inject and bgpy-listen against
// real daemons started by each test (BIRD 2, GoBGP, FRR bgpd, ExaBGP), each
// with its own configuration on 127.0.20.0/24 and free ports, stopped after.
//
//   1. bgpy-inject -> BIRD: 100,000 IPv4 /32 + 10,000 IPv6 /128 with MED,
//      LOCAL_PREF, communities, large and extended communities and an AS
//      path; `birdc show route count` and `show route P all`; then
//      --withdraw-after leaves 0; a --flap run ends with the full set.
//   2. bgpy-inject -> GoBGP: the same, `gobgp global rib summary` / `-j`.
//   3. bgpy-inject -> FRR: the same, vtysh `show bgp ... json`.
//   4. GoBGP -> bgpy-listen: IPv4 and IPv6 routes with every attribute,
//      bgpy-listen --print=json lists each with exactly those.
//   5. ExaBGP -> bgpy-listen: the same from ExaBGP static routes, with an
//      AS_SET in the path.
//   6. bgpy-inject --sessions=50 -> BIRD with 50 neighbours: all establish,
//      all 50,000 routes (offset prefixes) present.
//
// iBGP everywhere (bgpy and the daemon in the same AS): LOCAL_PREF is only
// carried on iBGP (RFC 4271 §5.1.5: a speaker MUST NOT send it to an
// external peer, and receivers ignore it from one), and we want to check it
// end to end. On iBGP bgpy-inject sends --as-path as given (no prepend).
// GoBGP and FRR reject next hops in 127.0.0.0/8, so every injected route
// carries next hop 192.0.2.1 / 2001:db8::1 (a value only; nothing reaches
// the kernel: BIRD has no kernel protocol, FRR runs without zebra).
//
// Addresses (unique to this file): 127.0.20.1..12 and 127.0.20.128/26.
// Labelled `interop`; a missing daemon or tool skips (fails with CI=true).
#include <signal.h>

#include <functional>
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
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr uint32_t kAs = 65020;  // bgpy and the daemon: iBGP
constexpr int kV4Routes = 100000;
constexpr int kV6Routes = 10000;
constexpr char kV4First[] = "10.20.0.0/32";
constexpr char kV4Last[] = "10.21.134.159/32";  // 10.20.0.0 + 99,999
constexpr char kV6First[] = "2001:db8:20::/128";
constexpr char kV6Last[] = "2001:db8:20::270f/128";  // + 9,999
constexpr char kNextHop4[] = "192.0.2.1";            // RFC 5737: a value only
constexpr char kNextHop6[] = "2001:db8::1";

// The attributes every injected route carries.
const std::vector<std::string> kAttributeFlags = {
    "--as-path=65001 65002",
    "--med=20",
    "--local-pref=300",
    "--communities=65000:1,65000:2",
    "--large-communities=65000:1:2,65000:3:4",
    "--ext-communities=rt:65000:7",
};

// bgpy-inject arguments for one run into `peer:port`.
std::vector<std::string> InjectArgs(const std::string& tool,
                                    const std::string& peer, uint16_t port,
                                    const std::string& local, bool v6,
                                    int count,
                                    std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {
      tool,
      absl::StrCat("--peer=", peer),
      absl::StrCat("--port=", port),
      absl::StrCat("--local-address=", local),
      absl::StrCat("--local-as=", kAs),
      absl::StrCat("--peer-as=", kAs),
      absl::StrCat("--family=", v6 ? "ipv6-unicast" : "ipv4-unicast"),
      absl::StrCat("--prefix=", v6 ? kV6First : kV4First),
      absl::StrCat("--count=", count),
      absl::StrCat("--next-hop=", v6 ? kNextHop6 : kNextHop4),
      "--print=none"};
  a.insert(a.end(), kAttributeFlags.begin(), kAttributeFlags.end());
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// "100000 of 100000 routes for 100000 networks in table master4" -> 100000.
std::optional<int> FirstNumberOfLineWith(absl::string_view out,
                                         absl::string_view needle) {
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (!absl::StrContains(line, needle)) continue;
    std::vector<absl::string_view> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    int n;
    if (!words.empty() && absl::SimpleAtoi(words[0], &n)) return n;
  }
  return std::nullopt;
}

// --- BIRD ------------------------------------------------------------------

std::optional<int> BirdCount(Daemon& bird, const char* table) {
  absl::StatusOr<std::string> out =
      bird.Cli({"show", "route", "count", "table", table});
  if (!out.ok()) return std::nullopt;
  return FirstNumberOfLineWith(*out, "routes for");
}

NeighborSpec IbgpNeighbor(const std::string& address, const char* family) {
  NeighborSpec n;
  n.address = address;
  n.as = kAs;
  n.passive = true;  // bgpy-inject connects
  n.multihop = 0;    // iBGP is multihop already
  n.families = {family};
  return n;
}

// BIRD 2 with one passive iBGP neighbour per (address, family).
absl::StatusOr<std::unique_ptr<Daemon>> StartBird(
    const std::string& address,
    const std::vector<std::pair<std::string, const char*>>& neighbors) {
  DaemonSpec spec;
  spec.local_address = address;
  spec.local_as = kAs;
  spec.extended_message = true;
  for (const auto& [a, f] : neighbors)
    spec.neighbors.push_back(IbgpNeighbor(a, f));
  // BIRD keeps iBGP routes whose next hop it cannot resolve (no IGP here):
  // they count in `show route count` and show every attribute.
  return Daemon::Start(DaemonKind::kBird, spec);
}

void ExpectBirdAttributes(Daemon& bird, const char* prefix, bool v6) {
  SCOPED_TRACE(prefix);
  absl::StatusOr<std::string> out = bird.Cli({"show", "route", prefix, "all"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(*out, HasSubstr(absl::StrCat(prefix, " ")));
  EXPECT_THAT(*out, HasSubstr("BGP.origin: IGP"));
  EXPECT_THAT(*out, HasSubstr("BGP.as_path: 65001 65002\n"));
  EXPECT_THAT(*out, HasSubstr(absl::StrCat("BGP.next_hop: ",
                                           v6 ? kNextHop6 : kNextHop4)));
  EXPECT_THAT(*out, HasSubstr("BGP.med: 20\n"));
  EXPECT_THAT(*out, HasSubstr("BGP.local_pref: 300\n"));
  EXPECT_THAT(*out, HasSubstr("BGP.community: (65000,1) (65000,2)\n"));
  EXPECT_THAT(*out,
              HasSubstr("BGP.large_community: (65000, 1, 2) (65000, 3, 4)\n"));
  EXPECT_THAT(*out, HasSubstr("BGP.ext_community: (rt, 65000, 7)\n"));
}

TEST(ToolsInterop, InjectIntoBird) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  const std::string kBird = "127.0.20.2", kV4Src = "127.0.20.1",
                    kV6Src = "127.0.20.12";
  auto bird =
      StartBird(kBird, {{kV4Src, "ipv4-unicast"}, {kV6Src, "ipv6-unicast"}});
  ASSERT_TRUE(bird.ok()) << bird.status();
  Daemon& d = **bird;

  // Announce, check every route and the attributes, then --withdraw-after
  // takes them all away while the sessions stay up.
  auto v4 =
      ToolProcess::Start(InjectArgs(inject, kBird, d.port(), kV4Src, false,
                                    kV4Routes, {"--withdraw-after=6s"}));
  ASSERT_TRUE(v4.ok()) << v4.status();
  auto v6 = ToolProcess::Start(InjectArgs(inject, kBird, d.port(), kV6Src, true,
                                          kV6Routes, {"--withdraw-after=6s"}));
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(PollCount([&] { return BirdCount(d, "master4"); }, kV4Routes,
                      Millis(5000), Millis(100), v4->get()),
            kV4Routes)
      << (*v4)->Tail() << d.LogTail();
  EXPECT_EQ(PollCount([&] { return BirdCount(d, "master6"); }, kV6Routes,
                      Millis(5000), Millis(100), v6->get()),
            kV6Routes)
      << (*v6)->Tail() << d.LogTail();
  ExpectBirdAttributes(d, kV4First, false);
  ExpectBirdAttributes(d, kV4Last, false);
  ExpectBirdAttributes(d, kV6First, true);
  ExpectBirdAttributes(d, kV6Last, true);

  EXPECT_EQ(PollCount([&] { return BirdCount(d, "master4"); }, 0, Millis(15000),
                      Millis(200)),
            0);
  EXPECT_EQ(PollCount([&] { return BirdCount(d, "master6"); }, 0, Millis(5000),
                      Millis(200)),
            0);
  // Withdrawn, not disconnected: both are still running.
  EXPECT_TRUE((*v4)->Running()) << (*v4)->Tail();
  EXPECT_TRUE((*v6)->Running()) << (*v6)->Tail();
  absl::StatusOr<int> code = (*v4)->Stop();
  EXPECT_EQ(code.value_or(-2), 0) << (*v4)->Tail();
  EXPECT_THAT((*v4)->Stderr(), HasSubstr("withdrawn"));
  code = (*v6)->Stop();
  EXPECT_EQ(code.value_or(-2), 0) << (*v6)->Tail();
}

// --flap=3s --duration=8s: announced [0,3), withdrawn [3,6), announced
// [6,8): the run ends with the full set, seen before --duration closes the
// session; it exits 0 by itself.
TEST(ToolsInterop, InjectFlapIntoBird) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  const std::string kBird = "127.0.20.2", kSrc = "127.0.20.1";
  auto bird = StartBird(kBird, {{kSrc, "ipv4-unicast"}});
  ASSERT_TRUE(bird.ok()) << bird.status();
  Daemon& d = **bird;
  auto p =
      ToolProcess::Start(InjectArgs(inject, kBird, d.port(), kSrc, false,
                                    kV4Routes, {"--flap=3s", "--duration=8s"}));
  ASSERT_TRUE(p.ok()) << p.status();
  auto count = [&] { return BirdCount(d, "master4"); };
  EXPECT_EQ(PollCount(count, kV4Routes, Millis(4000), Millis(100), p->get()),
            kV4Routes)
      << (*p)->Tail();
  EXPECT_EQ(PollCount(count, 0, Millis(4000), Millis(100), p->get()), 0)
      << (*p)->Tail();
  EXPECT_EQ(PollCount(count, kV4Routes, Millis(4000), Millis(100), p->get()),
            kV4Routes)
      << (*p)->Tail();
  EXPECT_TRUE((*p)->Running()) << "ended before the last announce was seen";
  absl::StatusOr<int> code = (*p)->Wait(Millis(10000));
  EXPECT_EQ(code.value_or(-2), 0) << (*p)->Tail();
}

// --- GoBGP -----------------------------------------------------------------

NeighborSpec GobgpNeighbor(const std::string& address, bool passive,
                           uint16_t port = 179) {
  NeighborSpec n;
  n.address = address;
  n.as = kAs;
  n.port = port;
  n.passive = passive;
  n.multihop = 0;
  n.families = {"ipv4-unicast", "ipv6-unicast"};
  return n;
}

// "Table ipv4-unicast\nDestination: 1000, Path: 1000" -> 1000.
std::optional<int> GobgpCount(Daemon& g, const char* afi) {
  absl::StatusOr<std::string> out =
      g.Cli({"global", "rib", "summary", "-a", afi});
  if (!out.ok()) return std::nullopt;
  size_t at = out->find("Destination: ");
  if (at == std::string::npos) return std::nullopt;
  absl::string_view rest = absl::string_view(*out).substr(at + 13);
  rest = rest.substr(0, rest.find(','));
  int n;
  if (!absl::SimpleAtoi(rest, &n)) return std::nullopt;
  return n;
}

std::vector<std::string> Texts(const JsonValue* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  for (const JsonValue& i : v->items()) out.push_back(i.text());
  return out;
}

void ExpectGobgpAttributes(Daemon& g, const char* prefix, bool v6) {
  SCOPED_TRACE(prefix);
  absl::StatusOr<std::string> out =
      g.Cli({"global", "rib", "-a", v6 ? "ipv6" : "ipv4", prefix, "-j"});
  ASSERT_TRUE(out.ok()) << out.status();
  absl::StatusOr<JsonValue> j = ParseJson(*out);
  ASSERT_TRUE(j.ok()) << j.status() << "\n" << *out;
  // {"PREFIX": [path, ...]}
  const JsonValue* paths = j->Get(prefix);
  ASSERT_NE(paths, nullptr) << *out;
  ASSERT_EQ(paths->items().size(), 1u) << *out;
  const JsonValue& path = paths->items()[0];
  const JsonValue* origin = GobgpAttr(path, 1);
  ASSERT_NE(origin, nullptr) << *out;
  EXPECT_EQ(origin->GetText("value") ? *origin->GetText("value") : "", "0");
  const JsonValue* as_path = GobgpAttr(path, 2);
  ASSERT_NE(as_path, nullptr) << *out;
  const JsonValue* segments = as_path->Get("as_paths");
  ASSERT_NE(segments, nullptr) << *out;
  ASSERT_EQ(segments->items().size(), 1u) << *out;
  EXPECT_EQ(*segments->items()[0].GetText("segment_type"), "2");  // SEQUENCE
  EXPECT_THAT(Texts(segments->items()[0].Get("asns")),
              ElementsAre("65001", "65002"));
  const JsonValue* med = GobgpAttr(path, 4);
  ASSERT_NE(med, nullptr) << *out;
  EXPECT_EQ(*med->GetText("metric"), "20");
  const JsonValue* lp = GobgpAttr(path, 5);
  ASSERT_NE(lp, nullptr) << *out;
  EXPECT_EQ(*lp->GetText("value"), "300");
  const JsonValue* comms = GobgpAttr(path, 8);
  ASSERT_NE(comms, nullptr) << *out;
  // 65000:1 and 65000:2 as 32-bit numbers (65000 << 16 | n).
  EXPECT_THAT(Texts(comms->Get("communities")),
              ElementsAre("4259840001", "4259840002"));
  const JsonValue* ext = GobgpAttr(path, 16);
  ASSERT_NE(ext, nullptr) << *out;
  ASSERT_EQ(ext->Get("value")->items().size(), 1u) << *out;
  EXPECT_EQ(*ext->Get("value")->items()[0].GetText("value"), "65000:7");
  EXPECT_EQ(*ext->Get("value")->items()[0].GetText("subtype"), "2");  // RT
  const JsonValue* large = GobgpAttr(path, 32);
  ASSERT_NE(large, nullptr) << *out;
  std::vector<std::string> lcs;
  for (const JsonValue& lc : large->Get("value")->items()) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : lc.members()) parts.push_back(v.text());
    lcs.push_back(absl::StrJoin(parts, ":"));
  }
  EXPECT_THAT(lcs, ElementsAre("65000:1:2", "65000:3:4")) << *out;
  if (v6) {
    const JsonValue* mp = GobgpAttr(path, 14);
    ASSERT_NE(mp, nullptr) << *out;
    EXPECT_THAT(*out, HasSubstr(absl::StrCat("\"", kNextHop6, "\"")));
  } else {
    const JsonValue* nh = GobgpAttr(path, 3);
    ASSERT_NE(nh, nullptr) << *out;
    EXPECT_EQ(*nh->GetText("nexthop"), kNextHop4);
  }
}

TEST(ToolsInterop, InjectIntoGobgp) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  const std::string kGobgp = "127.0.20.4", kV4Src = "127.0.20.3",
                    kV6Src = "127.0.20.13";
  DaemonSpec spec;
  spec.local_address = kGobgp;
  spec.local_as = kAs;
  spec.neighbors = {GobgpNeighbor(kV4Src, true), GobgpNeighbor(kV6Src, true)};
  auto gobgp = Daemon::Start(DaemonKind::kGobgp, spec);
  ASSERT_TRUE(gobgp.ok()) << gobgp.status();
  Daemon& d = **gobgp;

  // GoBGP takes ~20k routes/s here: --withdraw-after leaves time to count
  // and to read the attributes. Polled rarely (its CLI slows it down).
  auto v4 =
      ToolProcess::Start(InjectArgs(inject, kGobgp, d.port(), kV4Src, false,
                                    kV4Routes, {"--withdraw-after=15s"}));
  ASSERT_TRUE(v4.ok()) << v4.status();
  auto v6 =
      ToolProcess::Start(InjectArgs(inject, kGobgp, d.port(), kV6Src, true,
                                    kV6Routes, {"--withdraw-after=15s"}));
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(PollCount([&] { return GobgpCount(d, "ipv4"); }, kV4Routes,
                      Millis(20000), Millis(1000), v4->get()),
            kV4Routes)
      << (*v4)->Tail() << d.LogTail();
  EXPECT_EQ(PollCount([&] { return GobgpCount(d, "ipv6"); }, kV6Routes,
                      Millis(5000), Millis(1000), v6->get()),
            kV6Routes)
      << (*v6)->Tail() << d.LogTail();
  ExpectGobgpAttributes(d, kV4First, false);
  ExpectGobgpAttributes(d, kV4Last, false);
  ExpectGobgpAttributes(d, kV6First, true);
  ExpectGobgpAttributes(d, kV6Last, true);

  EXPECT_EQ(PollCount([&] { return GobgpCount(d, "ipv4"); }, 0, Millis(30000),
                      Millis(1000)),
            0);
  EXPECT_EQ(PollCount([&] { return GobgpCount(d, "ipv6"); }, 0, Millis(5000),
                      Millis(1000)),
            0);
  EXPECT_TRUE((*v4)->Running()) << (*v4)->Tail();
  EXPECT_TRUE((*v6)->Running()) << (*v6)->Tail();
  EXPECT_EQ((*v4)->Stop().value_or(-2), 0) << (*v4)->Tail();
  EXPECT_EQ((*v6)->Stop().value_or(-2), 0) << (*v6)->Tail();
}

// --- FRR -------------------------------------------------------------------

// pfxRcd of `peer` in `show bgp AFI unicast summary json`.
std::optional<int> FrrCount(Daemon& frr, const char* afi,
                            const std::string& peer) {
  absl::StatusOr<std::string> out =
      frr.Cli({"show", "bgp", afi, "unicast", "summary", "json"});
  if (!out.ok()) return std::nullopt;
  absl::StatusOr<JsonValue> j = ParseJson(*out);
  if (!j.ok()) return std::nullopt;
  for (const JsonValue* peers : testing::FindAll(*j, "peers")) {
    const JsonValue* p = peers->Get(peer);
    if (p == nullptr || p->GetText("pfxRcd") == nullptr) continue;
    int n;
    if (absl::SimpleAtoi(*p->GetText("pfxRcd"), &n)) return n;
  }
  return std::nullopt;
}

void ExpectFrrAttributes(Daemon& frr, const char* prefix, bool v6) {
  SCOPED_TRACE(prefix);
  absl::StatusOr<std::string> out =
      frr.Cli({"show", "bgp", v6 ? "ipv6" : "ipv4", "unicast", prefix, "json"});
  ASSERT_TRUE(out.ok()) << out.status();
  absl::StatusOr<JsonValue> j = ParseJson(*out);
  ASSERT_TRUE(j.ok()) << j.status() << "\n" << *out;
  const JsonValue* paths = j->Get("paths");
  ASSERT_NE(paths, nullptr) << *out;
  ASSERT_EQ(paths->items().size(), 1u) << *out;
  const JsonValue& p = paths->items()[0];
  auto text = [&p](const char* key, const char* sub) -> std::string {
    const JsonValue* v = p.Get(key);
    if (v == nullptr) return "(absent)";
    if (sub == nullptr) return v->text();
    const std::string* t = v->GetText(sub);
    return t != nullptr ? *t : "(absent)";
  };
  EXPECT_EQ(text("aspath", "string"), "65001 65002") << *out;
  EXPECT_EQ(text("origin", nullptr), "IGP") << *out;
  EXPECT_EQ(text("metric", nullptr), "20") << *out;
  EXPECT_EQ(text("locPrf", nullptr), "300") << *out;
  EXPECT_EQ(text("community", "string"), "65000:1 65000:2") << *out;
  EXPECT_EQ(text("largeCommunity", "string"), "65000:1:2 65000:3:4") << *out;
  EXPECT_EQ(text("extendedCommunity", "string"), "RT:65000:7") << *out;
  EXPECT_THAT(testing::FindAllText(p, "ip"),
              ::testing::Contains(v6 ? kNextHop6 : kNextHop4))
      << *out;
}

TEST(ToolsInterop, InjectIntoFrr) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kFrr);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  const std::string kFrr = "127.0.20.6", kV4Src = "127.0.20.5",
                    kV6Src = "127.0.20.14";
  DaemonSpec spec;
  spec.local_address = kFrr;
  spec.local_as = kAs;
  spec.neighbors = {IbgpNeighbor(kV4Src, "ipv4-unicast"),
                    IbgpNeighbor(kV6Src, "ipv6-unicast")};
  auto frr = Daemon::Start(DaemonKind::kFrr, spec);
  ASSERT_TRUE(frr.ok()) << frr.status();
  Daemon& d = **frr;

  auto v4 = ToolProcess::Start(InjectArgs(inject, kFrr, d.port(), kV4Src, false,
                                          kV4Routes, {"--withdraw-after=15s"}));
  ASSERT_TRUE(v4.ok()) << v4.status();
  auto v6 = ToolProcess::Start(InjectArgs(inject, kFrr, d.port(), kV6Src, true,
                                          kV6Routes, {"--withdraw-after=15s"}));
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(PollCount([&] { return FrrCount(d, "ipv4", kV4Src); }, kV4Routes,
                      Millis(15000), Millis(500), v4->get()),
            kV4Routes)
      << (*v4)->Tail() << d.LogTail();
  EXPECT_EQ(PollCount([&] { return FrrCount(d, "ipv6", kV6Src); }, kV6Routes,
                      Millis(5000), Millis(500), v6->get()),
            kV6Routes)
      << (*v6)->Tail() << d.LogTail();
  ExpectFrrAttributes(d, kV4First, false);
  ExpectFrrAttributes(d, kV4Last, false);
  ExpectFrrAttributes(d, kV6First, true);
  ExpectFrrAttributes(d, kV6Last, true);

  EXPECT_EQ(PollCount([&] { return FrrCount(d, "ipv4", kV4Src); }, 0,
                      Millis(30000), Millis(500)),
            0);
  EXPECT_EQ(PollCount([&] { return FrrCount(d, "ipv6", kV6Src); }, 0,
                      Millis(5000), Millis(500)),
            0);
  EXPECT_TRUE((*v4)->Running()) << (*v4)->Tail();
  EXPECT_TRUE((*v6)->Running()) << (*v6)->Tail();
  EXPECT_EQ((*v4)->Stop().value_or(-2), 0) << (*v4)->Tail();
  EXPECT_EQ((*v6)->Stop().value_or(-2), 0) << (*v6)->Tail();
}

// --- --sessions=50 ----------------------------------------------------------

TEST(ToolsInterop, FiftySessionsIntoBird) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kBird);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  constexpr int kSessions = 50, kEach = 1000;
  const std::string kBird = "127.0.20.11";
  std::vector<std::pair<std::string, const char*>> neighbors;
  for (int i = 0; i < kSessions; ++i)
    neighbors.push_back({absl::StrCat("127.0.20.", 130 + i), "ipv4-unicast"});
  auto bird = StartBird(kBird, neighbors);
  ASSERT_TRUE(bird.ok()) << bird.status();
  Daemon& d = **bird;
  // Offset prefixes (the default): session i announces 10.20.0.0 + 1000 i.
  auto p = ToolProcess::Start(
      InjectArgs(inject, kBird, d.port(), "127.0.20.130", false, kEach,
                 {absl::StrCat("--sessions=", kSessions)}));
  ASSERT_TRUE(p.ok()) << p.status();
  auto established = [&]() -> std::optional<int> {
    absl::StatusOr<std::string> out = d.Cli({"show", "protocols"});
    if (!out.ok()) return std::nullopt;
    int n = 0;
    for (absl::string_view line : absl::StrSplit(*out, '\n'))
      n += absl::StartsWith(line, "peer") &&
           absl::StrContains(line, "Established");
    return n;
  };
  EXPECT_EQ(
      PollCount(established, kSessions, Millis(20000), Millis(250), p->get()),
      kSessions)
      << (*p)->Tail() << d.LogTail();
  EXPECT_EQ(PollCount([&] { return BirdCount(d, "master4"); },
                      kSessions * kEach, Millis(20000), Millis(250), p->get()),
            kSessions * kEach)
      << (*p)->Tail();
  // Every session's block, first and last route: from the right neighbour.
  for (int i : {0, 1, 24, 49}) {
    int first = i * kEach, last = first + kEach - 1;
    for (int n : {first, last}) {
      std::string prefix = absl::StrCat("10.20.", n / 256, ".", n % 256, "/32");
      absl::StatusOr<std::string> out = d.Cli({"show", "route", prefix, "all"});
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_THAT(*out, HasSubstr(absl::StrCat("peer", i + 1, " ")))
          << prefix << "\n"
          << *out;
    }
  }
  EXPECT_EQ((*p)->Stop(Millis(10000)).value_or(-2), 0) << (*p)->Tail();
}

// --- Daemons -> bgpy-listen ------------------------------------------------

// A JSON value as compact text: strings and numbers bare, [a,b], {k:v}.
std::string Compact(const JsonValue& v) {
  switch (v.kind()) {
    case JsonValue::Kind::kArray: {
      std::vector<std::string> items;
      for (const JsonValue& i : v.items()) items.push_back(Compact(i));
      return absl::StrCat("[", absl::StrJoin(items, ","), "]");
    }
    case JsonValue::Kind::kObject: {
      std::vector<std::string> items;
      for (const auto& [k, m] : v.members())
        items.push_back(absl::StrCat(k, ":", Compact(m)));
      return absl::StrCat("{", absl::StrJoin(items, ","), "}");
    }
    case JsonValue::Kind::kBool:
      return v.boolean() ? "true" : "false";
    case JsonValue::Kind::kNull:
      return "null";
    default:
      return v.text();
  }
}

// Each route announced in bgpy-listen's JSON output (`stdout`, one object
// per line) -> its attributes as key -> Compact(value), plus "next_hop"
// (the family's next hop) and "family"; mp_reach_nlri itself is left out
// (its next hop is the route's "next_hop"). A later announcement replaces
// an earlier one. Lines that are not JSON are reported in `bad`.
using Attrs = std::map<std::string, std::string>;
std::map<std::string, Attrs> ListenRoutes(const std::string& stdout_text,
                                          std::vector<std::string>* bad) {
  std::map<std::string, Attrs> routes;
  for (absl::string_view line :
       absl::StrSplit(stdout_text, '\n', absl::SkipEmpty())) {
    absl::StatusOr<JsonValue> j = ParseJson(line);
    if (!j.ok()) {
      bad->push_back(std::string(line));
      continue;
    }
    const std::string* type = j->GetText("type");
    if (type == nullptr || *type != "UPDATE") continue;
    const JsonValue* announce = j->Get("announce");
    if (announce == nullptr) continue;
    Attrs attrs;
    if (const JsonValue* a = j->Get("attributes")) {
      for (const auto& [k, v] : a->members())
        if (k != "mp_reach_nlri") attrs[k] = Compact(v);
    }
    if (const std::string* nh = j->GetText("next_hop")) attrs["next_hop"] = *nh;
    for (const auto& [family, list] : announce->members()) {
      for (const JsonValue& r : list.items()) {
        const std::string* prefix = r.GetText("prefix");
        if (prefix == nullptr) continue;
        Attrs with = attrs;
        with["family"] = family;
        routes[*prefix] = with;
      }
    }
  }
  return routes;
}

// What ListenRoutes() gives for a route with these attributes.
Attrs Expected(const std::string& family, const std::string& next_hop,
               const std::string& as_path, int med, int local_pref,
               const std::string& communities, const std::string& large,
               const std::string& ext) {
  return {{"family", family},
          {"next_hop", next_hop},
          {"origin", "IGP"},
          {"as_path", as_path},
          {"med", absl::StrCat(med)},
          {"local_pref", absl::StrCat(local_pref)},
          {"communities", communities},
          {"large_communities", large},
          {"ext_communities", ext}};
}

constexpr char kPathWithSet[] =
    "[{type:AS_SEQUENCE,asns:[65001,65002]},{type:AS_SET,asns:[65003,65004]}]";

// Starts bgpy-listen on `address`:free port, iBGP AS kAs, JSON output.
absl::StatusOr<std::unique_ptr<ToolProcess>> StartListen(
    const std::string& tool, const std::string& address, uint16_t* port) {
  absl::StatusOr<uint16_t> p = FreePort(address);
  if (!p.ok()) return p.status();
  *port = *p;
  return ToolProcess::Start({tool, absl::StrCat("--listen=", address, ":", *p),
                             absl::StrCat("--local-as=", kAs), "--print=json",
                             "--hold-time=30"});
}

// Waits (bounded) until bgpy-listen printed every prefix of `want`, then
// compares each route's attributes exactly.
void ExpectListenRoutes(ToolProcess& listen,
                        const std::map<std::string, Attrs>& want,
                        Millis timeout, const std::string& daemon_log) {
  std::map<std::string, Attrs> got;
  std::vector<std::string> bad;
  auto all_there = [&] {
    bad.clear();
    got = ListenRoutes(listen.Stdout(), &bad);
    for (const auto& [prefix, attrs] : want)
      if (!got.count(prefix)) return false;
    return true;
  };
  EXPECT_TRUE(WaitFor(all_there, timeout, Millis(200)))
      << listen.Tail() << "\n--- daemon ---\n"
      << daemon_log;
  EXPECT_THAT(bad, ::testing::IsEmpty());
  for (const auto& [prefix, attrs] : want) {
    SCOPED_TRACE(prefix);
    auto it = got.find(prefix);
    if (it == got.end()) {
      ADD_FAILURE() << "not received";
      continue;
    }
    EXPECT_EQ(it->second, attrs);
  }
  EXPECT_EQ(got.size(), want.size()) << listen.Stdout();
}

TEST(ToolsInterop, GobgpIntoListen) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  BGPY_REQUIRE_TOOL(listen_tool, "bgpy-listen");
  const std::string kListen = "127.0.20.7", kGobgp = "127.0.20.8";
  uint16_t port = 0;
  auto listen = StartListen(listen_tool, kListen, &port);
  ASSERT_TRUE(listen.ok()) << listen.status();
  DaemonSpec spec;
  spec.local_address = kGobgp;
  spec.local_as = kAs;
  spec.neighbors = {GobgpNeighbor(kListen, false, port)};
  auto gobgp = Daemon::Start(DaemonKind::kGobgp, spec);
  ASSERT_TRUE(gobgp.ok()) << gobgp.status();
  Daemon& d = **gobgp;
  struct Route {
    const char* afi;
    const char* prefix;
    const char* next_hop;
    const char* as_path;  // GoBGP CLI syntax
    int med, local_pref;
    const char* communities;
    const char* large;
    const char* rt;
    std::string want_path;
  };
  const Route routes[] = {
      {"ipv4", "10.40.1.0/24", kNextHop4, "65001,65002,{65003,65004}", 10, 200,
       "65000:1,65000:2", "65000:1:2,65000:3:4", "65000:7", kPathWithSet},
      {"ipv4", "10.40.2.0/23", kNextHop4, "65001", 11, 201, "65000:3",
       "65000:5:6", "65000:8", "[{type:AS_SEQUENCE,asns:[65001]}]"},
      {"ipv6", "2001:db8:40::/48", kNextHop6, "65001,65002,{65003,65004}", 12,
       202, "65000:4,65000:5", "65000:7:8", "65000:9", kPathWithSet},
      {"ipv6", "2001:db8:41::/64", kNextHop6, "65005", 13, 203, "65000:6",
       "65000:9:10,65000:11:12", "65000:10",
       "[{type:AS_SEQUENCE,asns:[65005]}]"},
  };
  std::map<std::string, Attrs> want;
  for (const Route& r : routes) {
    absl::StatusOr<std::string> out = d.Cli({"global",
                                             "rib",
                                             "add",
                                             "-a",
                                             r.afi,
                                             r.prefix,
                                             "origin",
                                             "igp",
                                             "aspath",
                                             r.as_path,
                                             "nexthop",
                                             r.next_hop,
                                             "med",
                                             absl::StrCat(r.med),
                                             "local-pref",
                                             absl::StrCat(r.local_pref),
                                             "community",
                                             r.communities,
                                             "large-community",
                                             r.large,
                                             "rt",
                                             r.rt});
    ASSERT_TRUE(out.ok()) << out.status();
    auto list = [](const char* csv, const char* prefix) {
      std::vector<std::string> v;
      for (absl::string_view s : absl::StrSplit(csv, ','))
        v.push_back(absl::StrCat(prefix, s));
      return absl::StrCat("[", absl::StrJoin(v, ","), "]");
    };
    want[r.prefix] =
        Expected(absl::StrCat(r.afi, "-unicast"), r.next_hop, r.want_path,
                 r.med, r.local_pref, list(r.communities, ""),
                 list(r.large, ""), list(r.rt, "rt:"));
  }
  ExpectListenRoutes(**listen, want, Millis(30000), d.LogTail());
  d.Stop();
  EXPECT_EQ((*listen)->Stop().value_or(-2), 0) << (*listen)->Tail();
}

TEST(ToolsInterop, ExabgpIntoListen) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kExabgp);
  BGPY_REQUIRE_TOOL(listen_tool, "bgpy-listen");
  const std::string kListen = "127.0.20.9", kExabgp = "127.0.20.10";
  uint16_t port = 0;
  auto listen = StartListen(listen_tool, kListen, &port);
  ASSERT_TRUE(listen.ok()) << listen.status();
  DaemonSpec spec;
  spec.local_address = kExabgp;
  spec.local_as = kAs;
  NeighborSpec n;
  n.address = kListen;
  n.as = kAs;
  n.port = port;
  n.multihop = 0;
  n.families = {"ipv4-unicast", "ipv6-unicast"};
  spec.neighbors = {n};
  // ExaBGP 4.2: `as-path [ SEQ... ( SET... ) ]`.
  spec.exabgp_static = {
      "route 10.50.1.0/24 next-hop 192.0.2.1 origin igp "
      "as-path [ 65001 65002 ( 65003 65004 ) ] med 10 local-preference 200 "
      "community [ 65000:1 65000:2 ] large-community [ 65000:1:2 65000:3:4 ] "
      "extended-community [ target:65000:7 ];",
      "route 10.50.2.0/23 next-hop 192.0.2.1 origin igp as-path [ 65001 ] "
      "med 11 local-preference 201 community [ 65000:3 ] "
      "large-community [ 65000:5:6 ] extended-community [ target:65000:8 ];",
      "route 2001:db8:50::/48 next-hop 2001:db8::1 origin igp "
      "as-path [ 65001 65002 ( 65003 65004 ) ] med 12 local-preference 202 "
      "community [ 65000:4 65000:5 ] large-community [ 65000:7:8 ] "
      "extended-community [ target:65000:9 ];",
  };
  auto exabgp = Daemon::Start(DaemonKind::kExabgp, spec);
  ASSERT_TRUE(exabgp.ok()) << exabgp.status();
  Daemon& d = **exabgp;
  std::map<std::string, Attrs> want = {
      {"10.50.1.0/24",
       Expected("ipv4-unicast", kNextHop4, kPathWithSet, 10, 200,
                "[65000:1,65000:2]", "[65000:1:2,65000:3:4]", "[rt:65000:7]")},
      {"10.50.2.0/23",
       Expected("ipv4-unicast", kNextHop4, "[{type:AS_SEQUENCE,asns:[65001]}]",
                11, 201, "[65000:3]", "[65000:5:6]", "[rt:65000:8]")},
      {"2001:db8:50::/48",
       Expected("ipv6-unicast", kNextHop6, kPathWithSet, 12, 202,
                "[65000:4,65000:5]", "[65000:7:8]", "[rt:65000:9]")},
  };
  ExpectListenRoutes(**listen, want, Millis(30000), d.LogTail());
  d.Stop();
  EXPECT_EQ((*listen)->Stop().value_or(-2), 0) << (*listen)->Tail();
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
