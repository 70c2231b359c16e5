// Copyright 2026 The bgpy Authors.
//
// bgpy-inject's own flags and the checks of every flag it takes.
#include "inject/options.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bgpy/errors.h"
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
ABSL_FLAG(std::string, family, "ipv4-unicast",
          "the family to announce: ipv4-unicast, ipv6-unicast, ipv4-multicast "
          "or ipv6-multicast");
ABSL_FLAG(std::string, prefix, "",
          "first route, e.g. 10.0.0.0/32; every route has its length and each "
          "next route is the next block of that length (required)");
ABSL_FLAG(uint64_t, count, 0, "number of routes per session (required)");
ABSL_FLAG(std::string, next_hop, "",
          "next hop; default: the session's local address (ipv6-unicast "
          "needs an IPv6 one)");
ABSL_FLAG(std::string, origin, "igp", "igp, egp or incomplete");
ABSL_FLAG(std::string, as_path, "",
          "AS path, e.g. \"65500 65001\" (sets {1 2} allowed); on eBGP our AS "
          "is prepended unless the path starts with it");
ABSL_FLAG(std::optional<uint32_t>, med, std::nullopt,
          "MULTI_EXIT_DISC (absent by default)");
ABSL_FLAG(std::optional<uint32_t>, local_pref, std::nullopt,
          "LOCAL_PREF (absent by default). Sent as given, on eBGP too, so a "
          "router's handling can be tested (RFC 4271 §5.1.5: eBGP receivers "
          "ignore it)");
ABSL_FLAG(std::string, communities, "",
          "communities, e.g. 65000:1,no-export (RFC 1997)");
ABSL_FLAG(std::string, large_communities, "",
          "large communities, e.g. 65000:1:2,... (RFC 8092)");
ABSL_FLAG(std::string, ext_communities, "",
          "extended communities, e.g. rt:65000:1,ro:192.0.2.1:7 (RFC 4360)");
ABSL_FLAG(std::string, rd, "", "route distinguisher: not available yet");
ABSL_FLAG(std::string, label, "", "MPLS label: not available yet");
ABSL_FLAG(std::string, mrt, "", "MRT RIB dump to replay: not available yet");
ABSL_FLAG(bool, add_path, false,
          "offer ADD-PATH send (RFC 7911) for --family; when the peer agrees, "
          "every route carries path identifier --path-id");
ABSL_FLAG(uint32_t, path_id, 1,
          "path identifier sent with every route under --add-path");
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
ABSL_FLAG(int32_t, sessions, 1,
          "number of sessions, from consecutive local addresses starting at "
          "--local-address, all on one event loop and one thread");
ABSL_FLAG(std::string, sessions_prefixes, "offset",
          "offset: session i announces the --count blocks after session "
          "i-1's; shared: every session announces the same routes");

namespace bgpy::tools {
namespace {

constexpr char kUsage[] =
    "Injects generated routes into a BGP peer.\n"
    "\n"
    "  bgpy-inject --peer=ADDR --local-as=ASN --prefix=10.0.0.0/32 "
    "--count=N [...]\n"
    "\n"
    "Brings each session to Established, announces --count routes packed "
    "into\n"
    "as few UPDATEs as the negotiated message size allows, sends End-of-RIB,\n"
    "then stays up printing what the peer sends until --duration passes or\n"
    "SIGINT/SIGTERM (NOTIFICATION Cease / Administrative Shutdown).\n"
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
  o.md5_password = absl::GetFlag(FLAGS_md5_password);
  if (o.md5_password.size() > 80)  // posix::kMaxMd5KeyLength
    return UsageError("md5-password", "longer than 80 octets");
  o.passive = absl::GetFlag(FLAGS_passive);
  return absl::OkStatus();
}

absl::Status ParseRoutes(Options& o) {
  const std::string family = absl::GetFlag(FLAGS_family);
  absl::StatusOr<Family> fam = ParseFamily(family);
  if (!fam.ok())
    return UsageError("family", absl::StrCat("unknown family '", family, "'"));
  // Any family whose row decodes (and so generates) routes; the others are
  // named in the table but not built yet.
  if (!IsKnownFamily(*fam))
    return UsageError("family", absl::StrCat(family, " is not available yet"));
  o.family = *fam;

  const std::string prefix = absl::GetFlag(FLAGS_prefix);
  if (prefix.empty())
    return UsageError("prefix", "required (e.g. 10.0.0.0/32)");
  absl::StatusOr<Prefix> p = Prefix::Parse(prefix);
  if (!p.ok())
    return UsageError("prefix",
                      absl::StrCat("'", prefix, "': ", p.status().message()));
  if ((p->afi() == Afi::kIpv6) != (o.family.afi == Afi::kIpv6))
    return UsageError("prefix",
                      absl::StrCat(prefix, " is not in family ", family));
  o.prefix = *p;
  o.count = absl::GetFlag(FLAGS_count);
  if (o.count == 0)
    return UsageError("count", "required (number of routes, at least 1)");
  if (o.count > (uint64_t{1} << 40))
    return UsageError("count", absl::StrCat(o.count, " is above 2^40"));

  if (std::string nh = absl::GetFlag(FLAGS_next_hop); !nh.empty()) {
    BGPY_ASSIGN_OR_RETURN(o.next_hop, ParseAddressFlag("next-hop", nh));
    if (o.next_hop->afi() != o.family.afi)
      return UsageError("next-hop", absl::StrCat(nh, " is not an address of ",
                                                 FamilyName(o.family)));
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
  BGPY_RETURN_IF_ERROR(ParseList("ext-communities",
                                 absl::GetFlag(FLAGS_ext_communities),
                                 &ExtendedCommunity::Parse, o.ext_communities));
  o.add_path = absl::GetFlag(FLAGS_add_path);
  o.path_id = absl::GetFlag(FLAGS_path_id);
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
  o.sessions = absl::GetFlag(FLAGS_sessions);
  if (o.sessions < 1 || o.sessions > kMaxSessions)
    return UsageError(
        "sessions", absl::StrCat(o.sessions, " is outside 1..", kMaxSessions));
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

}  // namespace

std::vector<std::string> ParseInjectCommandLine(int argc, char** argv) {
  return ParseToolCommandLine(argc, argv, kUsage,
                              {"inject/options.cc", kSessionFlagsFile},
                              {"duration", "withdraw_after", "flap"});
}

absl::StatusOr<Options> ParseOptions() {
  Options o;
  const std::pair<const char*, std::string> later[] = {
      {"rd", absl::GetFlag(FLAGS_rd)},
      {"label", absl::GetFlag(FLAGS_label)},
      {"mrt", absl::GetFlag(FLAGS_mrt)}};
  for (const auto& [name, value] : later)
    if (!value.empty()) return UsageError(name, "not available yet");
  BGPY_RETURN_IF_ERROR(ParseConnection(o));
  BGPY_RETURN_IF_ERROR(ParseRoutes(o));
  BGPY_RETURN_IF_ERROR(ParsePacing(o));
  return o;
}

}  // namespace bgpy::tools
