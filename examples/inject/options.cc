// Copyright 2026 The bgpy Authors.
//
// bgpy-inject's own flags and the checks of every flag it takes.
#include "inject/options.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bgpy/errors.h"
#include "bgpy/flowspec.h"
#include "bgpy/nlri.h"
#include "common/tool_flags.h"

// Connection.
ABSL_FLAG(std::string, peer, "", "the peer's address (required)");
ABSL_FLAG(int32_t, port, 179,
          "the peer's TCP port; with --passive, the port to listen on");
ABSL_FLAG(std::string, local_address, "",
          "source address of the (first) session; default: the address the "
          "kernel picks to reach --peer");
ABSL_FLAG(int32_t, ttl, 0,
          "IP TTL / hop limit of our segments (multihop eBGP); 0 = system "
          "default");
ABSL_FLAG(std::string, md5_password, "", "TCP MD5 signature key (RFC 2385)");
ABSL_FLAG(bool, passive, false,
          "wait for the peer to connect to --local-address:--port instead "
          "of connecting");
// Routes.
ABSL_FLAG(std::string, family, "",
          bgpy::tools::FamilyFlagHelp(
              "families to announce, comma-separated, all in one session, "
              "each in UPDATEs of its own (default: ipv4-unicast; with --mrt, "
              "the families of the file's routes)"));
ABSL_FLAG(std::string, prefix, "",
          "first route, e.g. 10.0.0.0/32; every route has its length and each "
          "next route is the next block of that length. A list gives one per "
          "address family (10.0.0.0/24,2001:db8::/64): each family takes the "
          "first of its AFI. Required by the families whose routes use it");
ABSL_FLAG(std::string, count, "",
          "routes (prefixes) per session: one number for every family, or a "
          "comma list with one per --family (required)");
ABSL_FLAG(std::string, next_hop, "",
          "next hop; default: the session's local address (FlowSpec: none). "
          "A list gives one per address family: each family takes the first "
          "of its AFI");
ABSL_FLAG(std::string, origin, "igp", "igp, egp or incomplete");
ABSL_FLAG(std::string, as_path, "",
          "AS path, e.g. \"65500 65001\" (sets {1 2} allowed); on eBGP our AS "
          "is prepended unless the path starts with it");
ABSL_FLAG(std::optional<uint32_t>, med, std::nullopt,
          "MULTI_EXIT_DISC (absent by default)");
ABSL_FLAG(std::optional<uint32_t>, local_pref, std::nullopt,
          "LOCAL_PREF (default: 100 on iBGP, absent on eBGP). Sent as "
          "given, on eBGP too, so a "
          "router's handling can be tested (RFC 4271 §5.1.5: eBGP receivers "
          "ignore it)");
ABSL_FLAG(std::string, communities, "",
          "communities, e.g. 65000:1,no-export (RFC 1997)");
ABSL_FLAG(std::string, large_communities, "",
          "large communities, e.g. 65000:1:2,... (RFC 8092)");
ABSL_FLAG(std::string, ext_communities, "",
          "extended communities, e.g. rt:65000:1,ro:192.0.2.1:7 (RFC 4360)");
// What the family rows generate from (bgpy::RouteTemplate).
ABSL_FLAG(std::string, rd, "",
          "route distinguisher of route 0 (VPN and EVPN families), e.g. "
          "65000:1 or 192.0.2.1:1");
ABSL_FLAG(uint64_t, rd_step, 0,
          "route i's RD has the assigned number of --rd plus i * this (0: "
          "every route in the same VRF)");
ABSL_FLAG(std::string, label, "",
          "MPLS label of route 0 (labelled and VPN families), 16..1048575; "
          "default: the family's");
ABSL_FLAG(uint32_t, label_step, 0, "route i's label is --label + i * this");
ABSL_FLAG(std::string, route_targets, "",
          "route targets, e.g. rt:65000:1,rt:65000:2: added to every route's "
          "extended communities; the first is route 0's target for rtc");
ABSL_FLAG(int32_t, evpn_route_type, 2,
          "EVPN route type, 1..5 (RFC 7432, "
          "RFC 9136)");
ABSL_FLAG(std::string, mac, "",
          "MAC address of EVPN route 0, e.g. aa:bb:cc:00:00:01 (type 2 steps "
          "it by one per route)");
ABSL_FLAG(std::string, esi, "", "EVPN Ethernet segment identifier (10 octets)");
ABSL_FLAG(uint32_t, ethernet_tag, 0, "EVPN Ethernet tag");
ABSL_FLAG(std::optional<uint32_t>, vni, std::nullopt,
          "VXLAN network identifier (RFC 8365), 0..16777215: EVPN routes "
          "carry it in the label's place");
ABSL_FLAG(std::string, flowspec, "",
          "FlowSpec rule with {prefix} where route i's prefix goes, e.g. "
          "'destination {prefix} protocol =6 destination-port =80 action "
          "discard'");
ABSL_FLAG(std::string, mrt, "",
          "MRT file to replay instead of generated routes (raw, gzip or "
          "bzip2): a TABLE_DUMP / TABLE_DUMP_V2 RIB dump (its routes) or a "
          "BGP4MP updates file (its announcements and withdrawals, in "
          "order). --count and --prefix are not used");
ABSL_FLAG(std::string, mrt_peers, "",
          "with --mrt: the peers whose routes are replayed, comma-separated: "
          "an index (TABLE_DUMP_V2: in the PEER_INDEX_TABLE; other types: "
          "0, 1, ... in order of first appearance), ASn (the peer's AS, e.g. "
          "AS65001) or an address; default: the peer with the most routes");
ABSL_FLAG(std::string, mrt_prefix, "",
          "with --mrt: replay only routes inside one of these prefixes "
          "(e.g. 10.0.0.0/8,2001:db8::/32)");
ABSL_FLAG(std::string, mrt_as, "",
          "with --mrt: replay only routes whose AS_PATH contains one of "
          "these AS numbers (comma-separated)");
ABSL_FLAG(bool, mrt_keep_attributes, false,
          "with --mrt: send the attributes as found (next hop, AS_PATH, MED, "
          "LOCAL_PREF); default: next hop ours, our AS prepended and, on "
          "eBGP, LOCAL_PREF and MED dropped, as an eBGP speaker passes a "
          "route on");
ABSL_FLAG(double, speed, 0,
          "with --mrt on a BGP4MP updates file: 1 replays with the original "
          "timing, 2 twice as fast, ...; 0 = as fast as the peer takes them");
ABSL_FLAG(uint32_t, add_path, 0,
          "N: offer ADD-PATH send (RFC 7911) for every --family and announce "
          "N paths per prefix, path k (0-based) with path id --path-id + k "
          "and next hop + k; 0: not offered. Where the peer does not agree "
          "to receive, one path is sent (a line on stderr says so)");
ABSL_FLAG(uint32_t, path_id, 1, "path identifier of the first path");
ABSL_FLAG(std::string, receive_families, "default",
          "families offered for receiving besides --family: default (ipv4 "
          "and ipv6 unicast), none, all (every family bgpy decodes) or a "
          "list");
// Pacing and lifetime.
ABSL_FLAG(std::optional<uint64_t>, rate, std::nullopt,
          "routes per second per session (token bucket); default: as fast "
          "as the peer takes them");
ABSL_FLAG(int32_t, max_message_size, 65535,
          "65535 offers the Extended Message capability (RFC 8654; used if "
          "the peer agrees), 4096 does not");
ABSL_FLAG(std::optional<absl::Duration>, withdraw_after, std::nullopt,
          "withdraw every route this long after announcing them (e.g. 10s)");
ABSL_FLAG(std::optional<absl::Duration>, flap, std::nullopt,
          "PERIOD: withdraw every route PERIOD after announcing them, "
          "re-announce PERIOD later, and so on");
ABSL_FLAG(std::string, sessions, "1",
          "number of sessions, from consecutive local addresses starting at "
          "--local-address, all on one event loop and one thread; with "
          "--mrt, mrt-peers: one session per peer replayed (every peer of "
          "the file unless --mrt-peers), each with the peer's AS as ours");
ABSL_FLAG(std::string, sessions_prefixes, "offset",
          "offset: session i announces the --count blocks after session "
          "i-1's; shared: every session announces the same routes");

namespace bgpy::tools {
namespace {

constexpr char kUsage[] =
    "Injects generated routes into a BGP peer, or replays an MRT file.\n"
    "\n"
    "  bgpy-inject --peer=ADDR --local-as=ASN --prefix=10.0.0.0/32 "
    "--count=N [...]\n"
    "  bgpy-inject --peer=ADDR --local-as=ASN --mrt=FILE [--mrt-peers=...] "
    "[...]\n"
    "\n"
    "Brings each session to Established, announces --count routes packed "
    "into\n"
    "as few UPDATEs as the negotiated message size allows, sends End-of-RIB,\n"
    "then stays up printing what the peer sends until --duration passes or\n"
    "SIGINT/SIGTERM (NOTIFICATION Cease / Administrative Shutdown). A\n"
    "stdout whose reader went away (broken pipe, e.g. | head) stops it\n"
    "the same way, with one line on stderr and a SIGTERM's exit status.\n"
    "A progress line goes to stderr when stdout is a terminal; a summary\n"
    "line per session and a total always go to stderr.\n"
    "\n"
    "Exit codes: 0 done; 1 usage or configuration error (the message names\n"
    "the flag); 2 a session failed (connection refused or timed out, or a\n"
    "NOTIFICATION received or sent: the message gives code, subcode and "
    "text).\n";

// The most sessions: consecutive local addresses, one socket each.
constexpr int kMaxSessions = 10000;

absl::StatusOr<IpAddress> ParseAddressFlag(absl::string_view flag,
                                           absl::string_view text) {
  absl::StatusOr<IpAddress> a = IpAddress::Parse(text);
  if (!a.ok())
    return UsageError(flag, absl::StrCat("'", text, "' is not an IP address"));
  return *a;
}

template <typename T, typename ParseFn>
absl::Status ParseList(absl::string_view flag, absl::string_view text,
                       ParseFn parse, std::vector<T>& out) {
  for (absl::string_view item :
       absl::StrSplit(text, absl::ByAnyChar(", "), absl::SkipEmpty())) {
    auto v = parse(item);
    if (!v.ok()) {
      return UsageError(
          flag,
          absl::StrCat("'", item, "' is not valid: ", v.status().message()));
    }
    out.push_back(*v);
  }
  return absl::OkStatus();
}

absl::Status ParseConnection(Options& o) {
  const std::string peer = absl::GetFlag(FLAGS_peer);
  if (peer.empty()) return UsageError("peer", "required (the peer's address)");
  BGPY_ASSIGN_OR_RETURN(o.peer, ParseAddressFlag("peer", peer));
  const int32_t port = absl::GetFlag(FLAGS_port);
  if (port < 1 || port > 65535)
    return UsageError("port", absl::StrCat(port, " is outside 1..65535"));
  o.port = static_cast<uint16_t>(port);
  if (std::string la = absl::GetFlag(FLAGS_local_address); !la.empty()) {
    BGPY_ASSIGN_OR_RETURN(o.local_address,
                          ParseAddressFlag("local-address", la));
    if (o.local_address->is_v6() != o.peer.is_v6())
      return UsageError("local-address", "not of the same family as --peer");
  }
  BGPY_ASSIGN_OR_RETURN(o.session, ParseSessionFlags());
  o.ttl = absl::GetFlag(FLAGS_ttl);
  if (o.ttl < 0 || o.ttl > 255)
    return UsageError("ttl", absl::StrCat(o.ttl, " is outside 0..255"));
  if (o.session.ttl_security > 0) {  // GTSM, RFC 5082 §3: send with 255
    if (o.ttl != 0 && o.ttl != 255)
      return UsageError("ttl",
                        "--ttl-security sends with TTL 255; leave --ttl out");
    o.ttl = 255;
    o.min_ttl = o.session.gtsm_min_ttl();
  }
  o.md5_password = absl::GetFlag(FLAGS_md5_password);
  if (o.md5_password.size() > 80)  // posix::kMaxMd5KeyLength
    return UsageError("md5-password", "longer than 80 octets");
  o.passive = absl::GetFlag(FLAGS_passive);
  return absl::OkStatus();
}

// A comma list of addresses or prefixes: each family takes the first of its
// AFI, else the first given.
template <typename T>
std::optional<T> PickForFamily(const std::vector<T>& list, Afi afi) {
  for (const T& v : list)
    if (v.afi() == afi) return v;
  if (!list.empty()) return list.front();
  return std::nullopt;
}

// The entry of a generated value, to compare two of them without needing
// operator== on every value type.
std::vector<uint8_t> Encoded(const FamilyDesc& d, const NlriValue& v) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    d.encode(v, w);
  }
  return out;
}

// True if the family's routes depend on RouteTemplate::prefix: route 0 with
// two different prefixes differs (or one fails).
bool UsesPrefix(const FamilyDesc& d, RouteTemplate t) {
  t.prefix = *Prefix::Parse("10.0.0.0/32");
  absl::StatusOr<NlriValue> a = d.generate(t, 0);
  t.prefix = *Prefix::Parse("2001:db8::/128");
  absl::StatusOr<NlriValue> b = d.generate(t, 0);
  if (a.ok() != b.ok()) return true;
  return a.ok() && Encoded(d, *a) != Encoded(d, *b);
}

// The template fields every family shares (everything but the prefix).
absl::Status ParseTemplate(Options& o, RouteTemplate& t) {
  if (std::string rd = absl::GetFlag(FLAGS_rd); !rd.empty()) {
    absl::StatusOr<RouteDistinguisher> v = RouteDistinguisher::Parse(rd);
    if (!v.ok())
      return UsageError("rd",
                        absl::StrCat("'", rd, "': ", v.status().message()));
    t.rd = *v;
  }
  t.rd_step = absl::GetFlag(FLAGS_rd_step);
  if (std::string label = absl::GetFlag(FLAGS_label); !label.empty()) {
    // RFC 3032 §2.1: 0..15 are reserved.
    BGPY_ASSIGN_OR_RETURN(uint64_t v,
                          ParseUintFlag("label", label, 16, (1u << 20) - 1));
    t.label = static_cast<uint32_t>(v);
  }
  t.label_step = absl::GetFlag(FLAGS_label_step);
  if (t.label_step >= (1u << 20))
    return UsageError("label-step",
                      absl::StrCat(t.label_step, " is outside 0..1048575"));
  std::vector<ExtendedCommunity> rts;
  BGPY_RETURN_IF_ERROR(ParseList("route-targets",
                                 absl::GetFlag(FLAGS_route_targets),
                                 &ExtendedCommunity::Parse, rts));
  for (const ExtendedCommunity& c : rts) {
    if (!c.IsRouteTarget())
      return UsageError("route-targets", absl::StrCat("'", c.ToString(),
                                                      "' is not a route "
                                                      "target (rt:...)"));
  }
  if (!rts.empty()) {
    uint64_t v = 0;
    for (uint8_t b : rts.front().bytes) v = (v << 8) | b;
    t.route_target = v;
  }
  o.ext_communities.insert(o.ext_communities.end(), rts.begin(), rts.end());
  const int32_t type = absl::GetFlag(FLAGS_evpn_route_type);
  if (type < 1 || type > 5)
    return UsageError("evpn-route-type",
                      absl::StrCat(type, " is outside 1..5"));
  t.evpn_route_type = static_cast<uint8_t>(type);
  if (std::string mac = absl::GetFlag(FLAGS_mac); !mac.empty()) {
    absl::StatusOr<MacAddress> v = MacAddress::Parse(mac);
    if (!v.ok())
      return UsageError("mac",
                        absl::StrCat("'", mac, "': ", v.status().message()));
    t.mac = *v;
  }
  if (std::string esi = absl::GetFlag(FLAGS_esi); !esi.empty()) {
    absl::StatusOr<Esi> v = Esi::Parse(esi);
    if (!v.ok())
      return UsageError("esi",
                        absl::StrCat("'", esi, "': ", v.status().message()));
    t.esi = *v;
  }
  t.ethernet_tag = absl::GetFlag(FLAGS_ethernet_tag);
  t.vni = absl::GetFlag(FLAGS_vni);
  if (t.vni && *t.vni >= (1u << 24))
    return UsageError("vni", absl::StrCat(*t.vni, " is outside 0..16777215"));
  t.flowspec = absl::GetFlag(FLAGS_flowspec);
  if (absl::StrContains(t.flowspec, '\n'))
    return UsageError("flowspec", "one line");
  if (absl::StatusOr<std::vector<ExtendedCommunity>> actions =
          ParseFlowspecActions(t.flowspec);
      !actions.ok()) {
    return UsageError("flowspec", actions.status().message());
  }
  // RTC membership routes originate from our AS.
  t.origin_as = o.session.local_as;
  return absl::OkStatus();
}

std::string FamilyFlag() {
  std::string f = absl::GetFlag(FLAGS_family);
  return f.empty() ? std::string("ipv4-unicast") : f;
}

absl::Status ParseRoutes(Options& o) {
  BGPY_ASSIGN_OR_RETURN(std::vector<Family> families,
                        ParseFamilyListFlag("family", FamilyFlag()));

  std::vector<uint64_t> counts;
  const std::string count_text = absl::GetFlag(FLAGS_count);
  for (absl::string_view c :
       absl::StrSplit(count_text, absl::ByAnyChar(", "), absl::SkipEmpty())) {
    BGPY_ASSIGN_OR_RETURN(uint64_t n,
                          ParseUintFlag("count", c, 1, uint64_t{1} << 40));
    counts.push_back(n);
  }
  if (counts.empty())
    return UsageError("count", "required (number of routes, at least 1)");
  if (counts.size() != 1 && counts.size() != families.size())
    return UsageError(
        "count", absl::StrCat(counts.size(), " counts for ", families.size(),
                              " families: give one, or one per --family"));

  std::vector<Prefix> prefixes;
  const std::string prefix = absl::GetFlag(FLAGS_prefix);
  BGPY_RETURN_IF_ERROR(ParseList("prefix", prefix, &Prefix::Parse, prefixes));
  std::vector<IpAddress> next_hops;
  BGPY_RETURN_IF_ERROR(ParseList("next-hop", absl::GetFlag(FLAGS_next_hop),
                                 &IpAddress::Parse, next_hops));

  RouteTemplate base;
  BGPY_RETURN_IF_ERROR(ParseTemplate(o, base));

  for (size_t i = 0; i < families.size(); ++i) {
    InjectFamily f;
    f.desc = FindFamily(families[i]);
    f.count = counts.size() == 1 ? counts[0] : counts[i];
    f.tmpl = base;
    const Afi afi = f.desc->family.afi;
    const std::optional<Prefix> p = PickForFamily(prefixes, afi);
    if (p) f.tmpl.prefix = *p;
    if (!p && UsesPrefix(*f.desc, f.tmpl))
      return UsageError("prefix", absl::StrCat("required for ", f.desc->name,
                                               " (e.g. 10.0.0.0/32)"));
    if (p && f.ip_prefix() && p->afi() != afi)
      return UsageError(
          "prefix",
          absl::StrCat(p->ToString(), " is not in family ", f.desc->name));
    f.next_hop = PickForFamily(next_hops, afi);
    // RFC 8950: IPv4 routes may take an IPv6 next hop (extended next hop,
    // offered for them and checked when the session is up).
    if (f.next_hop && f.ip_prefix() && f.next_hop->afi() != afi &&
        !(afi == Afi::kIpv4 && f.next_hop->is_v6()))
      return UsageError("next-hop",
                        absl::StrCat(f.next_hop->ToString(),
                                     " is not an address of ", f.desc->name));
    // Route 0 tells whether the family has what it needs (the row's
    // message names the flag).
    absl::StatusOr<NlriValue> first = f.desc->generate(f.tmpl, 0);
    if (!first.ok())
      return UsageError(
          "family", absl::StrCat(f.desc->name, ": ", first.status().message()));
    o.families.push_back(std::move(f));
  }

  const std::string receive = absl::GetFlag(FLAGS_receive_families);
  std::vector<Family> receive_list;
  if (receive == "default") {
    receive_list = {kIpv4Unicast, kIpv6Unicast};
  } else if (receive == "all") {
    receive_list = DecodedFamilies();
  } else if (receive != "none") {
    BGPY_ASSIGN_OR_RETURN(receive_list,
                          ParseFamilyListFlag("receive-families", receive));
  }
  for (Family r : receive_list) {
    bool injected = false;
    for (const InjectFamily& f : o.families) injected |= f.family() == r;
    if (!injected) o.receive_families.push_back(r);
  }

  absl::StatusOr<Origin> origin = ParseOrigin(absl::GetFlag(FLAGS_origin));
  if (!origin.ok()) return UsageError("origin", "igp, egp or incomplete");
  o.origin = *origin;
  if (std::string path = absl::GetFlag(FLAGS_as_path); !path.empty()) {
    absl::StatusOr<AsPath> ap = AsPath::Parse(path);
    if (!ap.ok())
      return UsageError("as-path",
                        absl::StrCat("'", path, "': ", ap.status().message()));
    o.as_path = *ap;
  }
  o.med = absl::GetFlag(FLAGS_med);
  o.local_pref = absl::GetFlag(FLAGS_local_pref);
  BGPY_RETURN_IF_ERROR(ParseList("communities",
                                 absl::GetFlag(FLAGS_communities),
                                 &ParseCommunity, o.communities));
  BGPY_RETURN_IF_ERROR(ParseList("large-communities",
                                 absl::GetFlag(FLAGS_large_communities),
                                 &LargeCommunity::Parse, o.large_communities));
  std::vector<ExtendedCommunity> ext;
  BGPY_RETURN_IF_ERROR(ParseList("ext-communities",
                                 absl::GetFlag(FLAGS_ext_communities),
                                 &ExtendedCommunity::Parse, ext));
  // --ext-communities first, then --route-targets (ParseTemplate put them).
  o.ext_communities.insert(o.ext_communities.begin(), ext.begin(), ext.end());
  o.add_path = absl::GetFlag(FLAGS_add_path);
  if (o.add_path > 1000)
    return UsageError("add-path", absl::StrCat(o.add_path, " is above 1000"));
  o.path_id = absl::GetFlag(FLAGS_path_id);
  if (o.add_path > 1 && o.path_id > UINT32_MAX - (o.add_path - 1))
    return UsageError("path-id", "path ids run past 2^32-1");
  return absl::OkStatus();
}

absl::Status ParsePacing(Options& o) {
  if (std::optional<uint64_t> rate = absl::GetFlag(FLAGS_rate)) {
    if (*rate < 1 || *rate > 1000000000)
      return UsageError("rate", absl::StrCat(*rate, " is outside 1..1e9"));
    o.rate = static_cast<double>(*rate);
  }
  const int32_t mms = absl::GetFlag(FLAGS_max_message_size);
  if (mms != 4096 && mms != 65535)
    return UsageError("max-message-size",
                      absl::StrCat("'", mms,
                                   "': 4096 or 65535 (other sizes are not "
                                   "available yet)"));
  o.extended_message = mms == 65535;
  o.withdraw_after = absl::GetFlag(FLAGS_withdraw_after);
  if (o.withdraw_after)
    BGPY_RETURN_IF_ERROR(CheckPositive("withdraw-after", *o.withdraw_after));
  o.flap = absl::GetFlag(FLAGS_flap);
  if (o.flap) BGPY_RETURN_IF_ERROR(CheckPositive("flap", *o.flap));
  if (o.withdraw_after && o.flap)
    return UsageError("flap", "cannot be combined with --withdraw-after");
  const std::string sessions = absl::GetFlag(FLAGS_sessions);
  if (sessions == "mrt-peers") {
    if (!o.mrt) return UsageError("sessions", "mrt-peers needs --mrt");
    o.mrt->sessions_per_peer = true;
    o.sessions = 1;  // set from the file (run.cc)
  } else {
    int64_t n = 0;
    if (!absl::SimpleAtoi(sessions, &n))
      return UsageError(
          "sessions", absl::StrCat("'", sessions, "': a number or mrt-peers"));
    if (n < 1 || n > kMaxSessions)
      return UsageError("sessions",
                        absl::StrCat(n, " is outside 1..", kMaxSessions));
    o.sessions = static_cast<int>(n);
  }
  const std::string sp = absl::GetFlag(FLAGS_sessions_prefixes);
  if (sp == "offset") {
    o.sessions_prefixes = SharedPrefixes::kOffset;
  } else if (sp == "shared") {
    o.sessions_prefixes = SharedPrefixes::kShared;
  } else {
    return UsageError("sessions-prefixes",
                      absl::StrCat("'", sp, "': offset or shared"));
  }
  return absl::OkStatus();
}

// --mrt and its companions; --family (when given), --next-hop and
// --receive-families as for generated routes. --count and --prefix are not
// used.
absl::Status ParseMrt(Options& o) {
  MrtOptions m;
  m.path = absl::GetFlag(FLAGS_mrt);
  // A first pass counts each peer's routes, then each session reads the
  // file again.
  if (m.path == "-")
    return UsageError("mrt", "a file (standard input cannot be read twice)");
  for (const char* f : {"count", "prefix", "as_path", "add_path"}) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(f);
    if (flag != nullptr && flag->CurrentValue() != flag->DefaultValue())
      return UsageError(absl::StrReplaceAll(f, {{"_", "-"}}),
                        "not used with --mrt (the file gives the routes)");
  }
  for (absl::string_view item :
       absl::StrSplit(absl::GetFlag(FLAGS_mrt_peers), absl::ByAnyChar(", "),
                      absl::SkipEmpty())) {
    MrtPeerSelector s;
    s.text = std::string(item);
    uint32_t n = 0;
    if (absl::SimpleAtoi(item, &n)) {
      s.kind = MrtPeerSelector::Kind::kIndex;
      s.number = n;
    } else if ((absl::StartsWithIgnoreCase(item, "AS")) &&
               absl::SimpleAtoi(absl::StripPrefix(item.substr(2), ":"), &n)) {
      s.kind = MrtPeerSelector::Kind::kAs;
      s.number = n;
    } else if (absl::StatusOr<IpAddress> a = IpAddress::Parse(item); a.ok()) {
      s.kind = MrtPeerSelector::Kind::kAddress;
      s.address = *a;
    } else {
      return UsageError(
          "mrt-peers",
          absl::StrCat("'", item,
                       "': a peer index (3), an AS (AS65001) or an address"));
    }
    m.peers.push_back(std::move(s));
  }
  BGPY_RETURN_IF_ERROR(ParseList("mrt-prefix", absl::GetFlag(FLAGS_mrt_prefix),
                                 &Prefix::Parse, m.prefixes));
  for (absl::string_view item :
       absl::StrSplit(absl::GetFlag(FLAGS_mrt_as), absl::ByAnyChar(", "),
                      absl::SkipEmpty())) {
    absl::string_view digits = item;
    if (absl::StartsWithIgnoreCase(digits, "AS"))
      digits = absl::StripPrefix(digits.substr(2), ":");
    uint32_t n = 0;
    if (!absl::SimpleAtoi(digits, &n))
      return UsageError("mrt-as",
                        absl::StrCat("'", item, "' is not an AS number"));
    m.as_filter.push_back(n);
  }
  m.keep_attributes = absl::GetFlag(FLAGS_mrt_keep_attributes);
  m.speed = absl::GetFlag(FLAGS_speed);
  if (!(m.speed >= 0) || m.speed > 1e6)
    return UsageError("speed", absl::StrCat(m.speed, " is outside 0..1e6"));
  BGPY_RETURN_IF_ERROR(ParseList("next-hop", absl::GetFlag(FLAGS_next_hop),
                                 &IpAddress::Parse, m.next_hops));
  m.family_given = !absl::GetFlag(FLAGS_family).empty();
  if (m.family_given) {
    BGPY_ASSIGN_OR_RETURN(
        std::vector<Family> families,
        ParseFamilyListFlag("family", absl::GetFlag(FLAGS_family)));
    for (Family f : families) {
      InjectFamily fam;
      fam.desc = FindFamily(f);
      fam.next_hop = PickForFamily(m.next_hops, f.afi);
      o.families.push_back(std::move(fam));
    }
  }
  o.mrt = std::move(m);
  const std::string receive = absl::GetFlag(FLAGS_receive_families);
  if (receive == "default") {
    o.receive_families = {kIpv4Unicast, kIpv6Unicast};
  } else if (receive == "all") {
    o.receive_families = DecodedFamilies();
  } else if (receive != "none") {
    BGPY_ASSIGN_OR_RETURN(o.receive_families,
                          ParseFamilyListFlag("receive-families", receive));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> ParseInjectCommandLine(int argc, char** argv) {
  return ParseToolCommandLine(argc, argv, kUsage,
                              {"inject/options.cc", kSessionFlagsFile},
                              {"duration", "withdraw_after", "flap"});
}

absl::StatusOr<Options> ParseOptions() {
  Options o;
  BGPY_RETURN_IF_ERROR(ParseConnection(o));
  if (!absl::GetFlag(FLAGS_mrt).empty()) {
    BGPY_RETURN_IF_ERROR(ParseMrt(o));
  } else {
    for (const char* f : {"mrt-peers", "mrt-prefix", "mrt-as"}) {
      const absl::CommandLineFlag* flag =
          absl::FindCommandLineFlag(absl::StrReplaceAll(f, {{"-", "_"}}));
      if (flag != nullptr && !flag->CurrentValue().empty())
        return UsageError(f, "needs --mrt");
    }
    if (absl::GetFlag(FLAGS_mrt_keep_attributes))
      return UsageError("mrt-keep-attributes", "needs --mrt");
    if (absl::GetFlag(FLAGS_speed) != 0)
      return UsageError("speed", "needs --mrt");
    BGPY_RETURN_IF_ERROR(ParseRoutes(o));
  }
  BGPY_RETURN_IF_ERROR(ParsePacing(o));
  return o;
}

}  // namespace bgpy::tools
