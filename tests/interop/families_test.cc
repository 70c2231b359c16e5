// Copyright 2026 The bgpy Authors.
//
// Interop (issue 8): the families beyond IP unicast against real GoBGP
// (gobgpd 3.x), both ways, on 127.0.30.0/24.
//
//   1. bgpy-inject -> GoBGP: 10,000 routes each of l3vpn-ipv4-unicast,
//      l3vpn-ipv6-unicast, ipv4-labelled-unicast, l2vpn-evpn types 2, 3 and
//      5, ipv4-flowspec and ipv6-flowspec, one bgpy-inject per run (its own
//      source address, its own GoBGP neighbour), all at once into three
//      gobgpd; ipv4-unicast with ADD-PATH, 2 paths per prefix; 2,000 rtc
//      routes into a fourth (see kRtcRoutes). Counts from `gobgp global rib
//      summary`; ADD-PATH from `gobgp neighbor ADDR adj-in`; the first
//      and the last route of every run from `gobgp global rib -a X -j`,
//      compared field by field with what we generated (RD, labels, route
//      targets, MAC, ESI, Ethernet tag, IPs, FlowSpec components and
//      actions, next hop).
//   2. GoBGP -> bgpy-listen: one route of each family added with `gobgp
//      global rib -a X add ...`; bgpy-listen --print=json shows exactly
//      those values, in our operator text.
//
// iBGP (one AS) so attributes pass unchanged. GoBGP rejects next hops in
// 127/8: routes carry 192.0.2.1 / 2001:db8::1.
//
// Listing a table costs GoBGP time in proportion to the NLRI count of the
// UPDATE each route came in: it keeps each path's MP_REACH_NLRI whole and
// prints it with every path (10,000 routes packed ~250 per UPDATE make a
// 240 MB JSON listing). GoBGP 3.10 filters listings by prefix only for IP
// unicast (and EVPN by route type), so the listed runs use --rate=2500:
// UPDATEs of a few routes, a listing of 5-15 MB per run. The whole test
// takes ~45 s on a loaded 2-core machine (GoBGP's listings are most of it).
//
// Addresses (unique to this file): 127.0.30.1..14 and 127.0.30.20..21.
// Labelled `interop`; a missing daemon or tool skips (fails with CI=true).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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
using ::testing::HasSubstr;

constexpr uint32_t kAs = 65030;  // bgpy and GoBGP: iBGP
constexpr int kRoutes = 10000;
// GoBGP 3.10 takes RT membership routes slowly, slower as its table grows
// (here ~2,500 in the first 2 s, then ~300/s, ~100/s by 8,000: 10,000
// would take minutes), so the rtc run is smaller.
constexpr int kRtcRoutes = 2000;
constexpr char kRate[] = "--rate=2500";  // see the file comment
constexpr char kGobgp[] = "127.0.30.2";
constexpr char kRtcGobgp[] = "127.0.30.12";
constexpr size_t kAddPathDaemon = 2;

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

// --- bgpy-inject -> GoBGP --------------------------------------------------

// One bgpy-inject run: its own source address and GoBGP neighbour.
struct InjectRun {
  std::string name;
  std::string source;     // 127.0.30.x
  std::string family;     // ours = GoBGP's afi-safi name
  std::string gobgp_afi;  // `gobgp global rib -a X`
  std::string evpn_type;  // GoBGP listing filter (EVPN only)
  int daemon = 0;         // which gobgpd
  int count = kRoutes;
  bool add_path = false;
  std::vector<std::string> flags;  // bgpy-inject flags of the family
  // The first and the last route: GoBGP's key for it, its "nlri" object
  // (Compact), the extended communities (attribute 16, Compact) and the
  // next hop of MP_REACH_NLRI.
  struct Route {
    std::string key, nlri;
  };
  Route first, last;
  std::string ext;
  std::string next_hop;
};

// The route targets as GoBGP shows them (two-octet AS, subtype 2).
std::string GobgpRt(const std::string& value) {
  return absl::StrCat("[{type:0,subtype:2,value:", value, "}]");
}

std::string VpnNlri(const std::string& prefix, int label,
                    const std::string& rd_json) {
  return absl::StrCat("{prefix:", prefix, ",labels:[", label, "],rd:", rd_json,
                      "}");
}

// GoBGP prints an EVPN label as the raw 3 octets (label << 4 | bottom of
// stack), the way it reads a VNI there (RFC 8365); ours is label << 4 | 1.
int EvpnRaw(int label) { return label << 4 | 1; }

constexpr char kEsiFlag[] = "--esi=00:11:22:33:44:55:66:77:88:99";
constexpr char kEsiGobgp[] = "ESI_ARBITRARY | 11:22:33:44:55:66:77:88:99";

std::vector<InjectRun> Runs() {
  std::vector<InjectRun> runs;
  {
    InjectRun r;
    r.name = "vpnv4";
    r.source = "127.0.30.1";
    r.family = "l3vpn-ipv4-unicast";
    r.gobgp_afi = "vpnv4";
    r.flags = {"--prefix=10.0.0.0/24",
               "--rd=65030:100",
               "--rd-step=1",
               "--label=1000",
               "--label-step=1",
               "--next-hop=192.0.2.1",
               "--route-targets=rt:65030:1"};
    // Route 9,999: 10.0.0.0/24 + 9,999 blocks = 10.39.15.0/24.
    r.first = {
        "65030:100:10.0.0.0/24",
        VpnNlri("10.0.0.0/24", 1000, "{type:0,admin:65030,assigned:100}")};
    r.last = {
        "65030:10099:10.39.15.0/24",
        VpnNlri("10.39.15.0/24", 10999, "{type:0,admin:65030,assigned:10099}")};
    r.ext = GobgpRt("65030:1");
    r.next_hop = "192.0.2.1";
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "vpnv6";
    r.source = "127.0.30.3";
    r.family = "l3vpn-ipv6-unicast";
    r.gobgp_afi = "vpnv6";
    r.flags = {"--prefix=2001:db8:32::/64",
               "--rd=192.0.2.1:200",
               "--rd-step=1",
               "--label=2000",
               "--label-step=1",
               "--next-hop=2001:db8::1",
               "--route-targets=rt:65030:2"};
    r.first = {"192.0.2.1:200:2001:db8:32::/64",
               VpnNlri("2001:db8:32::/64", 2000,
                       "{type:1,admin:192.0.2.1,assigned:200}")};
    r.last = {"192.0.2.1:10199:2001:db8:32:270f::/64",
              VpnNlri("2001:db8:32:270f::/64", 11999,
                      "{type:1,admin:192.0.2.1,assigned:10199}")};
    r.ext = GobgpRt("65030:2");
    r.next_hop = "2001:db8::1";
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "labelled";
    r.source = "127.0.30.4";
    r.family = "ipv4-labelled-unicast";
    r.gobgp_afi = "ipv4-labelled";
    r.flags = {"--prefix=10.100.0.0/32", "--label=3000", "--label-step=1",
               "--next-hop=192.0.2.1", "--route-targets=rt:65030:3"};
    r.first = {"10.100.0.0/32", "{prefix:10.100.0.0/32,labels:[3000]}"};
    r.last = {"10.100.39.15/32", "{prefix:10.100.39.15/32,labels:[12999]}"};
    r.ext = GobgpRt("65030:3");
    r.next_hop = "192.0.2.1";
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "evpn-2";
    r.daemon = 1;
    r.source = "127.0.30.5";
    r.family = "l2vpn-evpn";
    r.gobgp_afi = "evpn";
    r.evpn_type = "macadv";
    r.flags = {"--evpn-route-type=2",
               "--rd=192.0.2.1:100",
               "--rd-step=1",
               "--mac=aa:bb:cc:00:00:01",
               kEsiFlag,
               "--ethernet-tag=7",
               "--label=4000",
               "--label-step=1",
               "--prefix=10.50.0.1/32",
               "--next-hop=192.0.2.1",
               "--route-targets=rt:65030:5"};
    auto nlri = [](int i) {
      return absl::StrCat(
          "{type:2,value:{rd:{type:1,admin:192.0.2.1,assigned:", 100 + i,
          "},esi:", kEsiGobgp,
          ",etag:7,mac:", i == 0 ? "aa:bb:cc:00:00:01" : "aa:bb:cc:00:27:10",
          ",ip:", i == 0 ? "10.50.0.1" : "10.50.39.16", ",labels:[",
          EvpnRaw(4000 + i), "]}}");
    };
    r.first = {
        "[type:macadv][rd:192.0.2.1:100][etag:7][mac:aa:bb:cc:00:00:01]"
        "[ip:10.50.0.1]",
        nlri(0)};
    r.last = {
        "[type:macadv][rd:192.0.2.1:10099][etag:7][mac:aa:bb:cc:00:27:10]"
        "[ip:10.50.39.16]",
        nlri(9999)};
    r.ext = GobgpRt("65030:5");
    r.next_hop = "192.0.2.1";
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "evpn-3";
    r.daemon = 2;
    r.source = "127.0.30.6";
    r.family = "l2vpn-evpn";
    r.gobgp_afi = "evpn";
    r.evpn_type = "multicast";
    r.flags = {"--evpn-route-type=3",
               "--rd=65030:300",
               "--rd-step=1",
               "--ethernet-tag=8",
               "--prefix=10.60.0.1/32",
               "--next-hop=192.0.2.1",
               "--route-targets=rt:65030:6"};
    r.first = {"[type:multicast][rd:65030:300][etag:8][ip:10.60.0.1]",
               "{type:3,value:{rd:{type:0,admin:65030,assigned:300},etag:8,"
               "ip:10.60.0.1}}"};
    r.last = {"[type:multicast][rd:65030:10299][etag:8][ip:10.60.39.16]",
              "{type:3,value:{rd:{type:0,admin:65030,assigned:10299},etag:8,"
              "ip:10.60.39.16}}"};
    r.ext = GobgpRt("65030:6");
    r.next_hop = "192.0.2.1";
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "evpn-5";
    r.daemon = 2;
    r.source = "127.0.30.7";
    r.family = "l2vpn-evpn";
    r.gobgp_afi = "evpn";
    r.evpn_type = "prefix";
    r.flags = {"--evpn-route-type=5",  "--rd=65030:500",
               "--rd-step=1",          kEsiFlag,
               "--ethernet-tag=9",     "--label=5000",
               "--label-step=1",       "--prefix=10.70.0.0/24",
               "--next-hop=192.0.2.1", "--route-targets=rt:65030:7"};
    auto nlri = [](int i) {
      return absl::StrCat(
          "{type:5,value:{rd:{type:0,admin:65030,assigned:", 500 + i,
          "},esi:", kEsiGobgp,
          ",etag:9,prefix:", i == 0 ? "10.70.0.0/24" : "10.109.15.0/24",
          ",gateway:0.0.0.0,label:", EvpnRaw(5000 + i), "}}");
    };
    r.first = {"[type:Prefix][rd:65030:500][etag:9][prefix:10.70.0.0/24]",
               nlri(0)};
    r.last = {"[type:Prefix][rd:65030:10499][etag:9][prefix:10.109.15.0/24]",
              nlri(9999)};
    r.ext = GobgpRt("65030:7");
    r.next_hop = "192.0.2.1";
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "flowspec4";
    r.daemon = 2;
    r.source = "127.0.30.8";
    r.family = "ipv4-flowspec";
    r.gobgp_afi = "ipv4-flowspec";
    r.flags = {"--prefix=10.128.0.0/24", "--next-hop=192.0.2.1",
               "--flowspec=destination {prefix} protocol =6 "
               "destination-port >=1024&<=2048 action discard"};
    // op 129: end of list, "=" (RFC 8955 §4.2.1.1); 19 / 213: 2-octet
    // values, ">=" / "&<=" with the end bit on the last.
    auto nlri = [](const char* prefix) {
      return absl::StrCat("{value:[{type:1,value:{prefix:", prefix,
                          "}},{type:3,value:[{op:129,value:6}]},{type:5,"
                          "value:[{op:19,value:1024},{op:213,value:2048}]}]}");
    };
    r.first = {
        "[destination: 10.128.0.0/24][protocol: ==tcp]"
        "[destination-port: >=1024&<=2048]",
        nlri("10.128.0.0/24")};
    r.last = {
        "[destination: 10.167.15.0/24][protocol: ==tcp]"
        "[destination-port: >=1024&<=2048]",
        nlri("10.167.15.0/24")};
    // traffic-rate 0 (discard), RFC 8955 §7.1.
    r.ext = "[{type:128,subtype:6,as:0,rate:0}]";
    r.next_hop = "0.0.0.0";  // none sent (length 0): GoBGP shows 0.0.0.0
    runs.push_back(r);
  }
  {
    InjectRun r;
    r.name = "flowspec6";
    r.daemon = 2;
    r.source = "127.0.30.9";
    r.family = "ipv6-flowspec";
    r.gobgp_afi = "ipv6-flowspec";
    r.flags = {"--prefix=2001:db8:90::/64", "--next-hop=2001:db8::1",
               "--flowspec=destination {prefix} next-header =17 "
               "action rate-limit 1000"};
    auto nlri = [](const char* prefix) {
      return absl::StrCat("{value:[{type:1,value:{prefix:", prefix,
                          "},offset:0},{type:3,value:[{op:129,value:17}]}]}");
    };
    r.first = {"[destination: 2001:db8:90::/64/0][protocol: ==udp]",
               nlri("2001:db8:90::/64")};
    r.last = {"[destination: 2001:db8:90:270f::/64/0][protocol: ==udp]",
              nlri("2001:db8:90:270f::/64")};
    r.ext = "[{type:128,subtype:6,as:0,rate:1000}]";
    r.next_hop = "::";
    runs.push_back(r);
  }
  return runs;
}

NeighborSpec Neighbor(const std::string& address, const std::string& family) {
  NeighborSpec n;
  n.address = address;
  n.as = kAs;
  n.passive = true;  // bgpy-inject connects
  n.multihop = 0;    // iBGP
  n.families = {family};
  return n;
}

std::vector<std::string> InjectArgs(const std::string& tool,
                                    const std::string& peer, uint16_t port,
                                    const std::string& source,
                                    const std::string& family, int count,
                                    const std::vector<std::string>& extra) {
  std::vector<std::string> a = {tool,
                                absl::StrCat("--peer=", peer),
                                absl::StrCat("--port=", port),
                                absl::StrCat("--local-address=", source),
                                absl::StrCat("--local-as=", kAs),
                                absl::StrCat("--peer-as=", kAs),
                                absl::StrCat("--family=", family),
                                absl::StrCat("--count=", count),
                                "--print=none"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// "Destination: 10000, Path: 20000" of `gobgp global rib summary -a AFI`.
std::optional<std::pair<int, int>> GobgpCount(Daemon& g,
                                              const std::string& afi) {
  absl::StatusOr<std::string> out =
      g.Cli({"global", "rib", "summary", "-a", afi});
  if (!out.ok()) return std::nullopt;
  size_t d = out->find("Destination: "), p = out->find("Path: ");
  if (d == std::string::npos || p == std::string::npos) return std::nullopt;
  std::pair<int, int> n;
  absl::string_view ds = absl::string_view(*out).substr(d + 13);
  absl::string_view ps = absl::string_view(*out).substr(p + 6);
  ds = ds.substr(0, ds.find(','));
  ps = ps.substr(0, ps.find_first_of("\r\n"));
  if (!absl::SimpleAtoi(ds, &n.first) || !absl::SimpleAtoi(ps, &n.second))
    return std::nullopt;
  return n;
}

// Polls until the table holds `destinations` (and `paths`), `timeout`
// passes or a tool exits; the last count.
std::optional<std::pair<int, int>> WaitCount(
    Daemon& g, const std::string& afi, int destinations, int paths,
    Millis timeout, const std::vector<ToolProcess*>& tools) {
  std::optional<std::pair<int, int>> last;
  auto deadline = Clock::now() + timeout;
  while (true) {
    last = GobgpCount(g, afi);
    if (last && last->first == destinations && last->second == paths)
      return last;
    if (Clock::now() >= deadline) return last;
    for (ToolProcess* t : tools)
      if (!t->Running()) return last;
    std::this_thread::sleep_for(Millis(500));
  }
}

std::string CountText(const std::optional<std::pair<int, int>>& n) {
  return n ? absl::StrCat(n->first, " destinations, ", n->second, " paths")
           : "(no count)";
}

// `gobgp global rib -a AFI [EVPN-TYPE] -j` of one run, checked: every route
// of the run is there, and its first and last are exactly what we sent.
void CheckListing(const InjectRun& run, const std::string& listing) {
  SCOPED_TRACE(run.name);
  absl::StatusOr<JsonValue> j = ParseJson(listing);
  ASSERT_TRUE(j.ok()) << j.status() << "\n" << listing.substr(0, 2000);
  EXPECT_EQ(j->members().size(), static_cast<size_t>(run.count));
  for (const InjectRun::Route* r : {&run.first, &run.last}) {
    SCOPED_TRACE(r->key);
    const JsonValue* paths = j->Get(r->key);
    ASSERT_NE(paths, nullptr) << "not in GoBGP's table";
    ASSERT_EQ(paths->items().size(), 1u) << Compact(*paths);
    const JsonValue& path = paths->items()[0];
    const JsonValue* nlri = path.Get("nlri");
    ASSERT_NE(nlri, nullptr);
    EXPECT_EQ(Compact(*nlri), r->nlri);
    const JsonValue* origin = GobgpAttr(path, 1);
    ASSERT_NE(origin, nullptr);
    EXPECT_EQ(*origin->GetText("value"), "0");  // IGP
    const JsonValue* ext = GobgpAttr(path, 16);
    ASSERT_NE(ext, nullptr) << Compact(path);
    EXPECT_EQ(Compact(*ext->Get("value")), run.ext);
    const JsonValue* mp = GobgpAttr(path, 14);
    ASSERT_NE(mp, nullptr) << Compact(path);
    EXPECT_EQ(*mp->GetText("nexthop"), run.next_hop);
    EXPECT_EQ(*path.GetText("neighbor-ip"), run.source);
  }
}

TEST(FamiliesInterop, InjectIntoGobgp) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  BGPY_REQUIRE_TOOL(inject, "bgpy-inject");
  const auto started = Clock::now();
  std::vector<InjectRun> runs = Runs();
  const std::string kAddPathSrc = "127.0.30.10", kRtcSrc = "127.0.30.11";

  // Three gobgpd, a core's worth of work for GoBGP each at most, plus one
  // for rtc. GoBGP 3.10 takes EVPN MAC/IP routes slowly, slower as its EVPN
  // table grows (~10 s for 10,000 alone here; minutes after 20,000 others):
  // type 2 has a gobgpd of its own. RT membership routes make GoBGP
  // re-examine its VPN routes (RFC 4684 §6): rtc too.
  const std::vector<std::string> kDaemons = {kGobgp, "127.0.30.13",
                                             "127.0.30.14"};
  std::vector<std::unique_ptr<Daemon>> daemons;
  for (size_t k = 0; k < kDaemons.size(); ++k) {
    DaemonSpec spec;
    spec.local_address = kDaemons[k];
    spec.local_as = kAs;
    for (const InjectRun& r : runs)
      if (r.daemon == static_cast<int>(k))
        spec.neighbors.push_back(Neighbor(r.source, r.family));
    if (k == kAddPathDaemon) {
      NeighborSpec ap = Neighbor(kAddPathSrc, "ipv4-unicast");
      ap.add_path_receive = true;
      spec.neighbors.push_back(ap);
    }
    auto g = Daemon::Start(DaemonKind::kGobgp, spec);
    ASSERT_TRUE(g.ok()) << g.status();
    daemons.push_back(std::move(*g));
  }
  Daemon& apd = *daemons[kAddPathDaemon];
  DaemonSpec rtc_spec;
  rtc_spec.local_address = kRtcGobgp;
  rtc_spec.local_as = kAs;
  rtc_spec.neighbors = {Neighbor(kRtcSrc, "rtc")};
  auto rtc_gobgp = Daemon::Start(DaemonKind::kGobgp, rtc_spec);
  ASSERT_TRUE(rtc_gobgp.ok()) << rtc_gobgp.status();
  Daemon& rd = **rtc_gobgp;

  // Every run at once, each from its own address.
  std::vector<std::unique_ptr<ToolProcess>> tools;
  std::vector<ToolProcess*> all;
  for (const InjectRun& r : runs) {
    std::vector<std::string> extra = r.flags;
    extra.push_back(kRate);
    Daemon& d = *daemons[r.daemon];
    auto p = ToolProcess::Start(InjectArgs(inject, d.address(), d.port(),
                                           r.source, r.family, r.count, extra));
    ASSERT_TRUE(p.ok()) << p.status();
    all.push_back(p->get());
    tools.push_back(std::move(*p));
  }
  // ADD-PATH: path ids 1 and 2, next hops 192.0.2.1 and 192.0.2.2.
  auto add_path = ToolProcess::Start(InjectArgs(
      inject, apd.address(), apd.port(), kAddPathSrc, "ipv4-unicast", kRoutes,
      {"--prefix=10.200.0.0/24", "--next-hop=192.0.2.1", "--add-path=2"}));
  ASSERT_TRUE(add_path.ok()) << add_path.status();
  all.push_back(add_path->get());
  auto rtc = ToolProcess::Start(InjectArgs(
      inject, kRtcGobgp, rd.port(), kRtcSrc, "rtc", kRtcRoutes,
      {"--route-targets=rt:65030:100", "--next-hop=192.0.2.1", kRate}));
  ASSERT_TRUE(rtc.ok()) << rtc.status();
  all.push_back(rtc->get());
  auto tails = [&](Daemon& d) {
    std::string s;
    for (ToolProcess* t : all) absl::StrAppend(&s, t->Tail(500), "\n");
    return absl::StrCat(s, "--- gobgpd ---\n", d.LogTail(1500));
  };

  auto ms = [&] {
    return static_cast<long long>(
        std::chrono::duration_cast<Millis>(Clock::now() - started).count());
  };
  // Two workers wait for each run's table to hold every route, then list
  // it (`gobgp global rib -a AFI [EVPN-TYPE] -j`), the fast daemons' runs
  // first so that they overlap the EVPN type 2 run. Only this thread looks
  // at the tools (ToolProcess is not thread-safe).
  std::map<std::pair<int, std::string>, int> tables;  // EVPN runs share one
  for (const InjectRun& r : runs) tables[{r.daemon, r.gobgp_afi}] += r.count;
  struct Listing {
    std::optional<std::pair<int, int>> count;
    int want = 0;
    absl::StatusOr<std::string> out = absl::UnknownError("not listed");
  };
  std::vector<Listing> listed(runs.size());
  std::vector<size_t> order;
  for (int k : {0, 2, 1})
    for (size_t i = 0; i < runs.size(); ++i)
      if (runs[i].daemon == k) order.push_back(i);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t o; (o = next++) < order.size();) {
      const InjectRun& r = runs[order[o]];
      Listing& l = listed[order[o]];
      Daemon& d = *daemons[r.daemon];
      l.want = tables[{r.daemon, r.gobgp_afi}];
      l.count = WaitCount(d, r.gobgp_afi, l.want, l.want, Millis(40000), {});
      std::vector<std::string> args = {"global", "rib", "-a", r.gobgp_afi};
      if (!r.evpn_type.empty()) args.push_back(r.evpn_type);
      args.push_back("-j");
      l.out = d.Cli(args, Millis(60000));
      std::printf("  %s: counted and listed (%zu bytes) at %lld ms\n",
                  r.name.c_str(), l.out.ok() ? l.out->size() : 0, ms());
    }
  };
  std::thread w1(worker), w2(worker);

  auto ap_count =
      WaitCount(apd, "ipv4", kRoutes, 2 * kRoutes, Millis(30000), all);
  EXPECT_EQ(CountText(ap_count),
            CountText(std::make_pair(kRoutes, 2 * kRoutes)))
      << tails(apd);
  auto rtc_count =
      WaitCount(rd, "rtc", kRtcRoutes, kRtcRoutes, Millis(30000), all);
  EXPECT_EQ(CountText(rtc_count),
            CountText(std::make_pair(kRtcRoutes, kRtcRoutes)))
      << tails(rd);
  w1.join();
  w2.join();
  std::printf("counted and listed: %lld ms\n", ms());
  for (size_t i = 0; i < runs.size(); ++i) {
    const InjectRun& r = runs[i];
    EXPECT_EQ(CountText(listed[i].count),
              CountText(std::make_pair(listed[i].want, listed[i].want)))
        << r.name << " (" << r.gobgp_afi << ")\n"
        << tails(*daemons[r.daemon]);
    ASSERT_TRUE(listed[i].out.ok()) << r.name << ": " << listed[i].out.status();
    CheckListing(r, *listed[i].out);
  }

  // ADD-PATH: both paths of the first and the last prefix, each with its
  // own next hop (GoBGP's JSON has no path id; its adj-in text has).
  for (const char* prefix : {"10.200.0.0/24", "10.239.15.0/24"}) {
    SCOPED_TRACE(prefix);
    absl::StatusOr<std::string> out =
        apd.Cli({"global", "rib", "-a", "ipv4", prefix, "-j"});
    ASSERT_TRUE(out.ok()) << out.status();
    absl::StatusOr<JsonValue> j = ParseJson(*out);
    ASSERT_TRUE(j.ok()) << j.status() << *out;
    const JsonValue* paths = j->Get(prefix);
    ASSERT_NE(paths, nullptr) << *out;
    std::multiset<std::string> hops;
    for (const JsonValue& p : paths->items()) {
      const JsonValue* nh = GobgpAttr(p, 3);
      hops.insert(nh != nullptr && nh->GetText("nexthop") != nullptr
                      ? *nh->GetText("nexthop")
                      : "(none)");
      EXPECT_EQ(*p.GetText("neighbor-ip"), kAddPathSrc);
    }
    EXPECT_EQ(hops, std::multiset<std::string>({"192.0.2.1", "192.0.2.2"}))
        << *out;
    out = apd.Cli({"neighbor", kAddPathSrc, "adj-in", prefix});
    ASSERT_TRUE(out.ok()) << out.status();
    // "   ID  Network  Next Hop ..." then "   1   PREFIX  192.0.2.1 ...".
    std::set<std::string> rows;
    for (absl::string_view line : absl::StrSplit(*out, '\n')) {
      std::vector<absl::string_view> w =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (w.size() >= 3 && w[1] == prefix)
        rows.insert(absl::StrCat(w[0], " ", w[2]));
    }
    EXPECT_EQ(rows, std::set<std::string>({"1 192.0.2.1", "2 192.0.2.2"}))
        << *out;
  }

  // RTC: origin AS 65030 and route target 65030:100 + i.
  {
    absl::StatusOr<std::string> out =
        rd.Cli({"global", "rib", "-a", "rtc", "-j"}, Millis(30000));
    ASSERT_TRUE(out.ok()) << out.status();
    absl::StatusOr<JsonValue> j = ParseJson(*out);
    ASSERT_TRUE(j.ok()) << j.status();
    EXPECT_EQ(j->members().size(), static_cast<size_t>(kRtcRoutes));
    for (int i : {0, kRtcRoutes - 1}) {
      std::string key = absl::StrCat("65030:65030:", 100 + i);
      SCOPED_TRACE(key);
      const JsonValue* paths = j->Get(key);
      ASSERT_NE(paths, nullptr);
      ASSERT_EQ(paths->items().size(), 1u);
      const JsonValue& path = paths->items()[0];
      EXPECT_EQ(Compact(*path.Get("nlri")), absl::StrCat("{prefix:", key, "}"));
      const JsonValue* ext = GobgpAttr(path, 16);
      ASSERT_NE(ext, nullptr);
      EXPECT_EQ(Compact(*ext->Get("value")), GobgpRt("65030:100"));
      const JsonValue* mp = GobgpAttr(path, 14);
      ASSERT_NE(mp, nullptr);
      EXPECT_EQ(*mp->GetText("nexthop"), "192.0.2.1");
    }
  }

  // Every session is still up; each tool ends cleanly (Cease).
  for (ToolProcess* t : all) {
    EXPECT_TRUE(t->Running()) << t->Tail();
    EXPECT_EQ(t->Stop().value_or(-2), 0) << t->Tail();
  }
  std::printf(
      "bgpy-inject -> GoBGP: %lld ms\n",
      static_cast<long long>(
          std::chrono::duration_cast<Millis>(Clock::now() - started).count()));
}

// --- GoBGP -> bgpy-listen --------------------------------------------------

// One route GoBGP announces and what bgpy-listen prints for it.
struct Announced {
  std::vector<std::string> add;  // `gobgp global rib ARGS`
  std::string family;            // listen's announce key
  std::string route;             // Compact of listen's route object
  std::string next_hop;          // listen's "next_hop" ("" if none)
  std::string ext;               // Compact of "ext_communities"
};

std::vector<Announced> GobgpRoutes() {
  std::vector<Announced> a;
  a.push_back({{"-a", "vpnv4", "add", "10.0.0.0/24", "label", "100", "rd",
                "65000:1", "rt", "65000:1", "nexthop", "192.0.2.1"},
               "l3vpn-ipv4-unicast",
               "{rd:65000:1,prefix:10.0.0.0/24,labels:[100]}",
               // An RD of zero before the address (RFC 4364 §4.3.2).
               "0:0 192.0.2.1",
               "[rt:65000:1]"});
  a.push_back({{"-a", "vpnv6", "add", "2001:db8:1::/64", "label", "101", "rd",
                "192.0.2.1:2", "rt", "65000:2", "nexthop", "2001:db8::1"},
               "l3vpn-ipv6-unicast",
               "{rd:192.0.2.1:2,prefix:2001:db8:1::/64,labels:[101]}",
               "0:0 2001:db8::1",
               "[rt:65000:2]"});
  a.push_back({{"-a", "ipv4-labelled", "add", "10.2.0.0/24", "100", "nexthop",
                "192.0.2.1"},
               "ipv4-labelled-unicast",
               "{prefix:10.2.0.0/24,labels:[100]}",
               "192.0.2.1",
               ""});
  a.push_back({{"-a", "ipv6-labelled", "add", "2001:db8:3::/64", "200",
                "nexthop", "2001:db8::1"},
               "ipv6-labelled-unicast",
               "{prefix:2001:db8:3::/64,labels:[200]}",
               "2001:db8::1",
               ""});
  // GoBGP writes an EVPN "label" as the raw 3 octets (a VNI, RFC 8365):
  // 1000 = 0x0003e8 reads as MPLS label 62 (0x0003e8 >> 4) or VNI 1000;
  // bgpy-listen shows both. GoBGP sets its own address as the next hop.
  a.push_back({{"-a", "evpn", "add", "macadv", "aa:bb:cc:dd:ee:01", "10.0.0.1",
                "esi", "0", "etag", "10", "label", "1000", "rd", "65000:11",
                "rt", "65000:11", "encap", "vxlan"},
               "l2vpn-evpn",
               "{route_type:2,rd:65000:11,esi:0,ethernet_tag:10,"
               "mac:aa:bb:cc:dd:ee:01,ip:10.0.0.1,labels:[62],vnis:[1000]}",
               "127.0.30.21",
               "[rt:65000:11,encap:vxlan]"});
  a.push_back({{"-a", "evpn", "add", "multicast", "10.0.0.2", "etag", "20",
                "rd", "65000:12", "rt", "65000:12"},
               "l2vpn-evpn",
               "{route_type:3,rd:65000:12,ethernet_tag:20,"
               "originating_router:10.0.0.2}",
               "127.0.30.21",
               "[rt:65000:12]"});
  a.push_back(
      {{"-a", "evpn", "add", "prefix", "10.1.0.0/24", "gw", "172.16.0.1", "esi",
        "0", "etag", "30", "rd", "65000:13", "rt", "65000:13", "label", "3000"},
       "l2vpn-evpn",
       "{route_type:5,rd:65000:13,esi:0,ethernet_tag:30,"
       "prefix:10.1.0.0/24,gateway:172.16.0.1,labels:[187],"
       "vnis:[3000]}",
       "127.0.30.21",
       "[rt:65000:13]"});
  a.push_back({{"-a", "ipv4-flowspec", "add", "match", "destination",
                "10.0.0.0/24", "protocol", "tcp", "destination-port",
                ">=1024&<=2048", "then", "discard"},
               "ipv4-flowspec",
               "{rule:destination 10.0.0.0/24 protocol =6 destination-port "
               ">=1024&<=2048,destination:10.0.0.0/24,protocol:=6,"
               "destination-port:>=1024&<=2048}",
               "",
               "[discard]"});
  a.push_back({{"-a", "ipv6-flowspec", "add", "match", "destination",
                "2001:db8:2::/64", "source", "2001:db8:4::/48", "protocol",
                "udp", "then", "rate-limit", "1000"},
               "ipv6-flowspec",
               "{rule:destination 2001:db8:2::/64 source 2001:db8:4::/48 "
               "protocol =17,destination:2001:db8:2::/64,"
               "source:2001:db8:4::/48,protocol:=17}",
               "",
               "[rate-limit:1000]"});
  return a;
}

// Route key -> what listen printed: "family|route" -> "next_hop|ext".
std::map<std::string, std::string> ListenRoutes(const std::string& out,
                                                std::vector<std::string>* bad) {
  std::map<std::string, std::string> routes;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    absl::StatusOr<JsonValue> j = ParseJson(line);
    if (!j.ok()) {
      bad->push_back(std::string(line));
      continue;
    }
    const std::string* type = j->GetText("type");
    if (type == nullptr || *type != "UPDATE") continue;
    const JsonValue* announce = j->Get("announce");
    if (announce == nullptr) continue;
    const std::string* nh = j->GetText("next_hop");
    std::string ext;
    if (const JsonValue* a = j->Get("attributes"))
      if (const JsonValue* e = a->Get("ext_communities")) ext = Compact(*e);
    for (const auto& [family, list] : announce->members())
      for (const JsonValue& r : list.items())
        routes[absl::StrCat(family, "|", Compact(r))] =
            absl::StrCat(nh != nullptr ? *nh : "", "|", ext);
  }
  return routes;
}

TEST(FamiliesInterop, GobgpIntoListen) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  BGPY_REQUIRE_TOOL(listen_tool, "bgpy-listen");
  const std::string kListen = "127.0.30.20", kGobgpSrc = "127.0.30.21";
  absl::StatusOr<uint16_t> port = FreePort(kListen);
  ASSERT_TRUE(port.ok()) << port.status();
  auto listen = ToolProcess::Start(
      {listen_tool, absl::StrCat("--listen=", kListen, ":", *port),
       absl::StrCat("--local-as=", kAs), "--print=json", "--hold-time=30"});
  ASSERT_TRUE(listen.ok()) << listen.status();

  DaemonSpec spec;
  spec.local_address = kGobgpSrc;
  spec.local_as = kAs;
  NeighborSpec n;
  n.address = kListen;
  n.as = kAs;
  n.port = *port;
  n.multihop = 0;
  // No rtc: GoBGP's CLI cannot originate RT membership routes ("unsupported
  // route family"), and with rtc negotiated GoBGP 3.10 sends a route of any
  // other family only if one of its route targets matches a membership the
  // peer announced (bgpy-listen announces none).
  n.families = {
      "l3vpn-ipv4-unicast",    "l3vpn-ipv6-unicast", "ipv4-labelled-unicast",
      "ipv6-labelled-unicast", "l2vpn-evpn",         "ipv4-flowspec",
      "ipv6-flowspec"};
  spec.neighbors = {n};
  auto gobgp = Daemon::Start(DaemonKind::kGobgp, spec);
  ASSERT_TRUE(gobgp.ok()) << gobgp.status();
  Daemon& d = **gobgp;

  std::map<std::string, std::string> want;
  for (const Announced& a : GobgpRoutes()) {
    std::vector<std::string> args = {"global", "rib"};
    args.insert(args.end(), a.add.begin(), a.add.end());
    absl::StatusOr<std::string> out = d.Cli(args);
    ASSERT_TRUE(out.ok()) << out.status();
    want[absl::StrCat(a.family, "|", a.route)] =
        absl::StrCat(a.next_hop, "|", a.ext);
  }
  std::map<std::string, std::string> got;
  std::vector<std::string> bad;
  auto all_there = [&] {
    bad.clear();
    got = ListenRoutes((*listen)->Stdout(), &bad);
    return got.size() >= want.size();
  };
  EXPECT_TRUE(WaitFor(all_there, Millis(30000), Millis(200)))
      << (*listen)->Tail() << "\n--- gobgpd ---\n"
      << d.LogTail();
  EXPECT_THAT(bad, ::testing::IsEmpty());
  EXPECT_EQ(got, want);
  d.Stop();
  EXPECT_EQ((*listen)->Stop().value_or(-2), 0) << (*listen)->Tail();
  EXPECT_THAT((*listen)->Stderr(), HasSubstr("-> Established"));
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
