// Copyright 2026 The bgpy Authors.
//
// bgpy-inject: the route injector. Brings up one or more BGP sessions,
// announces generated routes as fast as the peer takes them (or at --rate),
// then stays up printing what the peer sends. DESIGN.md "bgpy-inject".
//
// Each session runs in its own thread with its own bgpy::posix::EventLoop
// (N sessions to one peer address need N loops: a loop keys peers by
// address). The main thread waits for SIGINT/SIGTERM, --duration and the
// sessions, and draws the progress line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/format.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "common/route_gen.h"
#include "common/tool_flags.h"

// Connection.
ABSL_FLAG(std::string, peer, "", "the peer's address (required)");
ABSL_FLAG(std::string, port, "179",
          "the peer's TCP port; with --passive, the port to listen on");
ABSL_FLAG(std::string, local_address, "",
          "source address of the (first) session; default: the address the "
          "kernel picks to reach --peer");
ABSL_FLAG(std::string, local_as, "", "our AS number (required)");
ABSL_FLAG(std::string, peer_as, "0",
          "the peer's AS number; 0 (the default) accepts any");
ABSL_FLAG(std::string, router_id, "",
          "BGP identifier A.B.C.D; default: the session's local address when "
          "it is IPv4 (consecutive for --sessions), else 1.1.1.1 (+ session "
          "index)");
ABSL_FLAG(std::string, hold_time, "90",
          "hold time offered, seconds (0 or 3..65535)");
ABSL_FLAG(std::string, ttl, "0",
          "IP TTL / hop limit of our segments (multihop eBGP); 0 = system "
          "default");
ABSL_FLAG(std::string, md5_password, "", "TCP MD5 signature key (RFC 2385)");
ABSL_FLAG(bool, passive, false,
          "wait for the peer to connect to --local-address:--port instead "
          "of connecting");
// Routes.
ABSL_FLAG(std::string, family, "ipv4-unicast", "ipv4-unicast or ipv6-unicast");
ABSL_FLAG(std::string, prefix, "",
          "first route, e.g. 10.0.0.0/32; every route has its length and each "
          "next route is the next block of that length (required)");
ABSL_FLAG(std::string, count, "", "number of routes per session (required)");
ABSL_FLAG(std::string, next_hop, "",
          "next hop; default: the session's local address (ipv6-unicast "
          "needs an IPv6 one)");
ABSL_FLAG(std::string, origin, "igp", "igp, egp or incomplete");
ABSL_FLAG(std::string, as_path, "",
          "AS path, e.g. \"65500 65001\" (sets {1 2} allowed); on eBGP our AS "
          "is prepended unless the path starts with it");
ABSL_FLAG(std::string, med, "", "MULTI_EXIT_DISC (absent by default)");
ABSL_FLAG(std::string, local_pref, "",
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
ABSL_FLAG(std::string, path_id, "1",
          "path identifier sent with every route under --add-path");
// Pacing and lifetime.
ABSL_FLAG(std::string, rate, "",
          "routes per second per session (token bucket); default: as fast "
          "as the peer takes them");
ABSL_FLAG(std::string, max_message_size, "65535",
          "65535 offers the Extended Message capability (RFC 8654; used if "
          "the peer agrees), 4096 does not");
ABSL_FLAG(std::string, withdraw_after, "",
          "withdraw every route this long after announcing them (e.g. 10s)");
ABSL_FLAG(std::string, flap, "",
          "PERIOD: withdraw every route PERIOD after announcing them, "
          "re-announce PERIOD later, and so on");
ABSL_FLAG(std::string, duration, "",
          "stop (Cease / Administrative Shutdown) after this long; default: "
          "run until SIGINT/SIGTERM");
ABSL_FLAG(std::string, sessions, "1",
          "number of sessions, from consecutive local addresses starting at "
          "--local-address");
ABSL_FLAG(std::string, sessions_prefixes, "offset",
          "offset: session i announces the --count blocks after session "
          "i-1's; shared: every session announces the same routes");
ABSL_FLAG(std::string, print, "text",
          "received messages: text, json (one line each) or none");

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

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitSessionFailed = 2;

// Bytes of UPDATEs built per QueueUpdate(): large enough that syscalls and
// checks are per batch, small enough to stay in cache.
constexpr size_t kBatchBytes = size_t{64} << 10;

using Clock = std::chrono::steady_clock;

// --- Options
// ----------------------------------------------------------------------

enum class SharedPrefixes { kOffset, kShared };

struct Options {
  IpAddress peer;
  uint16_t port = posix::kBgpPort;
  std::optional<IpAddress> local_address;
  uint32_t local_as = 0;
  uint32_t peer_as = 0;
  std::optional<uint32_t> router_id;
  uint16_t hold_time = kDefaultHoldTime;
  int ttl = 0;
  std::string md5_password;
  bool passive = false;
  Family family = kIpv4Unicast;
  Prefix prefix;
  uint64_t count = 0;
  std::optional<IpAddress> next_hop;
  Origin origin = Origin::kIgp;
  AsPath as_path;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  std::vector<uint32_t> communities;
  std::vector<LargeCommunity> large_communities;
  std::vector<ExtendedCommunity> ext_communities;
  bool add_path = false;
  uint32_t path_id = 1;
  std::optional<double> rate;
  bool extended_message = true;
  std::optional<absl::Duration> withdraw_after;
  std::optional<absl::Duration> flap;
  std::optional<absl::Duration> duration;
  int sessions = 1;
  SharedPrefixes sessions_prefixes = SharedPrefixes::kOffset;
  std::optional<OutputFormat> print;  // nullopt: none
};

absl::Status Usage(absl::string_view flag, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", what));
}

absl::StatusOr<IpAddress> ParseAddressFlag(absl::string_view flag,
                                           absl::string_view text) {
  absl::StatusOr<IpAddress> a = IpAddress::Parse(text);
  if (!a.ok())
    return Usage(flag, absl::StrCat("'", text, "' is not an IP address"));
  return *a;
}

template <typename T, typename ParseFn>
absl::Status ParseList(absl::string_view flag, absl::string_view text,
                       ParseFn parse, std::vector<T>& out) {
  for (absl::string_view item :
       absl::StrSplit(text, absl::ByAnyChar(", "), absl::SkipEmpty())) {
    auto v = parse(item);
    if (!v.ok()) {
      return Usage(
          flag,
          absl::StrCat("'", item, "' is not valid: ", v.status().message()));
    }
    out.push_back(*v);
  }
  return absl::OkStatus();
}

absl::StatusOr<Options> ParseOptions() {
  Options o;
  const std::pair<const char*, std::string> later[] = {
      {"rd", absl::GetFlag(FLAGS_rd)},
      {"label", absl::GetFlag(FLAGS_label)},
      {"mrt", absl::GetFlag(FLAGS_mrt)}};
  for (const auto& [name, value] : later)
    if (!value.empty()) return Usage(name, "not available yet");

  const std::string peer = absl::GetFlag(FLAGS_peer);
  if (peer.empty()) return Usage("peer", "required (the peer's address)");
  auto v1 = ParseAddressFlag("peer", peer);
  if (!v1.ok()) return v1.status();
  o.peer = *v1;
  auto v2 = ParseUintFlag("port", absl::GetFlag(FLAGS_port), 1, 65535);
  if (!v2.ok()) return v2.status();
  uint64_t port = *v2;
  o.port = static_cast<uint16_t>(port);
  if (std::string la = absl::GetFlag(FLAGS_local_address); !la.empty()) {
    auto v3 = ParseAddressFlag("local-address", la);
    if (!v3.ok()) return v3.status();
    o.local_address = *v3;
    if (o.local_address->is_v6() != o.peer.is_v6())
      return Usage("local-address", "not of the same family as --peer");
  }
  const std::string local_as = absl::GetFlag(FLAGS_local_as);
  if (local_as.empty()) return Usage("local-as", "required (our AS number)");
  auto v4 = ParseAsnFlag("local-as", local_as);
  if (!v4.ok()) return v4.status();
  o.local_as = *v4;
  if (std::string pa = absl::GetFlag(FLAGS_peer_as); pa != "0" && !pa.empty()) {
    auto v5 = ParseAsnFlag("peer-as", pa);
    if (!v5.ok()) return v5.status();
    o.peer_as = *v5;
  }
  if (std::string rid = absl::GetFlag(FLAGS_router_id); !rid.empty()) {
    absl::StatusOr<uint32_t> id = ParseIpv4(rid);
    if (!id.ok() || *id == 0)
      return Usage("router-id",
                   absl::StrCat("'", rid, "' is not a non-zero A.B.C.D"));
    o.router_id = *id;
  }
  auto v6 =
      ParseUintFlag("hold-time", absl::GetFlag(FLAGS_hold_time), 0, 65535);
  if (!v6.ok()) return v6.status();
  uint64_t hold = *v6;
  if (hold == 1 || hold == 2)
    return Usage("hold-time", "must be 0 or at least 3 (RFC 4271 §4.2)");
  o.hold_time = static_cast<uint16_t>(hold);
  auto v7 = ParseUintFlag("ttl", absl::GetFlag(FLAGS_ttl), 0, 255);
  if (!v7.ok()) return v7.status();
  uint64_t ttl = *v7;
  o.ttl = static_cast<int>(ttl);
  o.md5_password = absl::GetFlag(FLAGS_md5_password);
  if (o.md5_password.size() > posix::kMaxMd5KeyLength)
    return Usage("md5-password", "longer than 80 octets");
  o.passive = absl::GetFlag(FLAGS_passive);

  const std::string family = absl::GetFlag(FLAGS_family);
  absl::StatusOr<Family> fam = ParseFamily(family);
  if (!fam.ok())
    return Usage("family", absl::StrCat("unknown family '", family, "'"));
  if (*fam != kIpv4Unicast && *fam != kIpv6Unicast)
    return Usage("family", absl::StrCat(family, " is not available yet"));
  o.family = *fam;

  const std::string prefix = absl::GetFlag(FLAGS_prefix);
  if (prefix.empty()) return Usage("prefix", "required (e.g. 10.0.0.0/32)");
  absl::StatusOr<Prefix> p = Prefix::Parse(prefix);
  if (!p.ok())
    return Usage("prefix",
                 absl::StrCat("'", prefix, "': ", p.status().message()));
  if ((p->afi() == Afi::kIpv6) != (o.family.afi == Afi::kIpv6))
    return Usage("prefix", absl::StrCat(prefix, " is not in family ", family));
  o.prefix = *p;
  const std::string count = absl::GetFlag(FLAGS_count);
  if (count.empty()) return Usage("count", "required (number of routes)");
  auto v8 = ParseUintFlag("count", count, 1, uint64_t{1} << 40);
  if (!v8.ok()) return v8.status();
  o.count = *v8;

  if (std::string nh = absl::GetFlag(FLAGS_next_hop); !nh.empty()) {
    auto v9 = ParseAddressFlag("next-hop", nh);
    if (!v9.ok()) return v9.status();
    o.next_hop = *v9;
    if (o.next_hop->afi() != o.family.afi)
      return Usage("next-hop", absl::StrCat(nh, " is not an address of ",
                                            FamilyName(o.family)));
  }
  if (absl::StatusOr<Origin> origin = ParseOrigin(absl::GetFlag(FLAGS_origin));
      origin.ok()) {
    o.origin = *origin;
  } else {
    return Usage("origin", "igp, egp or incomplete");
  }
  if (std::string path = absl::GetFlag(FLAGS_as_path); !path.empty()) {
    absl::StatusOr<AsPath> ap = AsPath::Parse(path);
    if (!ap.ok())
      return Usage("as-path",
                   absl::StrCat("'", path, "': ", ap.status().message()));
    o.as_path = *ap;
  }
  if (std::string med = absl::GetFlag(FLAGS_med); !med.empty()) {
    auto v10 = ParseUintFlag("med", med, 0, 0xffffffff);
    if (!v10.ok()) return v10.status();
    uint64_t v = *v10;
    o.med = static_cast<uint32_t>(v);
  }
  if (std::string lp = absl::GetFlag(FLAGS_local_pref); !lp.empty()) {
    auto v11 = ParseUintFlag("local-pref", lp, 0, 0xffffffff);
    if (!v11.ok()) return v11.status();
    uint64_t v = *v11;
    o.local_pref = static_cast<uint32_t>(v);
  }
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
  auto v12 =
      ParseUintFlag("path-id", absl::GetFlag(FLAGS_path_id), 0, 0xffffffff);
  if (!v12.ok()) return v12.status();
  uint64_t path_id = *v12;
  o.path_id = static_cast<uint32_t>(path_id);

  if (std::string rate = absl::GetFlag(FLAGS_rate); !rate.empty()) {
    auto v13 = ParseUintFlag("rate", rate, 1, 1000000000);
    if (!v13.ok()) return v13.status();
    uint64_t r = *v13;
    o.rate = static_cast<double>(r);
  }
  const std::string mms = absl::GetFlag(FLAGS_max_message_size);
  if (mms == "65535") {
    o.extended_message = true;
  } else if (mms == "4096") {
    o.extended_message = false;
  } else {
    return Usage("max-message-size",
                 absl::StrCat("'", mms,
                              "': 4096 or 65535 (other sizes are not "
                              "available yet)"));
  }
  if (std::string d = absl::GetFlag(FLAGS_withdraw_after); !d.empty()) {
    auto v14 = ParseDurationFlag("withdraw-after", d);
    if (!v14.ok()) return v14.status();
    o.withdraw_after = *v14;
  }
  if (std::string d = absl::GetFlag(FLAGS_flap); !d.empty()) {
    auto v15 = ParseDurationFlag("flap", d);
    if (!v15.ok()) return v15.status();
    o.flap = *v15;
  }
  if (o.withdraw_after && o.flap)
    return Usage("flap", "cannot be combined with --withdraw-after");
  if (std::string d = absl::GetFlag(FLAGS_duration); !d.empty()) {
    auto v16 = ParseDurationFlag("duration", d);
    if (!v16.ok()) return v16.status();
    o.duration = *v16;
  }
  auto v17 = ParseUintFlag("sessions", absl::GetFlag(FLAGS_sessions), 1, 1000);
  if (!v17.ok()) return v17.status();
  uint64_t sessions = *v17;
  o.sessions = static_cast<int>(sessions);
  const std::string sp = absl::GetFlag(FLAGS_sessions_prefixes);
  if (sp == "offset") {
    o.sessions_prefixes = SharedPrefixes::kOffset;
  } else if (sp == "shared") {
    o.sessions_prefixes = SharedPrefixes::kShared;
  } else {
    return Usage("sessions-prefixes",
                 absl::StrCat("'", sp, "': offset or shared"));
  }
  const std::string print = absl::GetFlag(FLAGS_print);
  if (print == "none") {
    o.print.reset();
  } else if (print == "text") {
    o.print = OutputFormat::kText;
  } else if (print == "json") {
    o.print = OutputFormat::kJson;
  } else {
    return Usage("print", absl::StrCat("'", print, "': text, json or none"));
  }
  return o;
}

// The address `i` after `a` (consecutive local addresses); kOutOfRange past
// the end of the address space.
absl::StatusOr<IpAddress> AddressPlus(const IpAddress& a, uint64_t i) {
  absl::StatusOr<Prefix> p = Prefix::Make(a, a.bit_length());
  if (!p.ok()) return p.status();
  auto v18 = p->Advance(i);
  if (!v18.ok()) return v18.status();
  Prefix q = *v18;
  return q.address();
}

// The source address the kernel would use to reach `peer` (a connected UDP
// socket sends nothing).
absl::StatusOr<IpAddress> RouteSource(const IpAddress& peer, uint16_t port) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (peer.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, peer.bytes(), 4);
    len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, peer.bytes(), 16);
    len = sizeof(sockaddr_in6);
  }
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) {
    int e = errno;
    close(fd);
    return absl::ErrnoToStatus(e,
                               absl::StrCat("no route to ", peer.ToString()));
  }
  sockaddr_storage local{};
  socklen_t llen = sizeof(local);
  int rc = getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen);
  close(fd);
  if (rc < 0) return absl::ErrnoToStatus(errno, "getsockname");
  if (local.ss_family == AF_INET) {
    return IpAddress::V4Bytes(reinterpret_cast<const uint8_t*>(
        &reinterpret_cast<sockaddr_in*>(&local)->sin_addr));
  }
  return IpAddress::V6Bytes(reinterpret_cast<const uint8_t*>(
      &reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr));
}

// --- Output
// -----------------------------------------------------------------------

std::mutex output_mu;  // stdout and stderr lines from several threads

void PrintOut(absl::string_view s) {
  std::lock_guard<std::mutex> lock(output_mu);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}
void PrintErr(absl::string_view s) {
  std::lock_guard<std::mutex> lock(output_mu);
  std::fprintf(stderr, "bgpy-inject: %.*s\n", static_cast<int>(s.size()),
               s.data());
  std::fflush(stderr);
}

std::string DescribeNotification(const Notification& n) {
  return absl::StrFormat("%s / %s (%d/%d)%s", ErrorCodeName(n.code),
                         ErrorSubcodeName(n.code, n.subcode), n.code, n.subcode,
                         n.ShutdownMessage()
                             ? absl::StrCat(": \"", *n.ShutdownMessage(), "\"")
                             : std::string());
}

// --- One session
// ------------------------------------------------------------------

// What the session is sending.
enum class Phase {
  kWaiting,      // not Established yet
  kAnnouncing,   // routes left to announce
  kWithdrawing,  // routes left to withdraw
  kIdle,         // all sent; waiting for the next phase (or forever)
};

class Injector {
 public:
  Injector(const Options& o, int index, IpAddress local, uint32_t router_id,
           IpAddress next_hop, RouteGenerator gen)
      : o_(o),
        index_(index),
        local_(local),
        router_id_(router_id),
        next_hop_(next_hop),
        gen_(std::move(gen)) {
    name_ = absl::StrCat(local_.ToString(), " -> ",
                         posix::FormatEndpoint(o_.peer, o_.port));
  }

  posix::EventLoop& loop() { return loop_; }
  const std::string& name() const { return name_; }
  bool failed() const { return failed_; }
  const std::string& failure() const { return failure_; }
  uint64_t routes_announced() const { return announced_.load(); }
  uint64_t updates() const { return updates_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t withdrawn() const { return withdrawn_; }
  bool established_once() const { return established_at_.has_value(); }
  // Seconds from Established until the first announcement was handed to
  // the socket (or until now if still sending).
  double seconds() const {
    if (!established_at_) return 0;
    Clock::time_point end = announce_done_at_.value_or(Clock::now());
    return std::chrono::duration<double>(end - *established_at_).count();
  }

  // Sets up the loop and the peer (main thread, before Run()).
  absl::Status Setup() {
    BGPY_RETURN_IF_ERROR(loop_.init_status());
    posix::PeerConfig pc;
    pc.address = o_.peer;
    pc.port = o_.port;
    if (o_.local_address) pc.local_address = local_;
    pc.ttl = o_.ttl;
    pc.md5_password = o_.md5_password;
    SessionConfig& s = pc.session;
    s.local_as = o_.local_as;
    s.peer_as = o_.peer_as;
    s.router_id = router_id_;
    s.hold_time = o_.hold_time;
    s.passive = o_.passive;
    s.families = {o_.family};
    if (o_.add_path) s.add_path.push_back({o_.family, true, false});
    s.extended_message = o_.extended_message;
    s.connect_retry = std::chrono::seconds(5);
    s.seed = static_cast<uint64_t>(index_) + 1;
    // Room for two batches; QueueUpdate() refuses beyond (back-pressure).
    s.max_output_backlog = 2 * kBatchBytes + kMaxExtendedMessageSize;
    loop_.on_event = [this](posix::PeerId id, const SessionEvent& ev) {
      OnEvent(id, ev);
    };
    loop_.on_error = [this](posix::PeerId, const absl::Status& st) {
      if (loop_.stop_requested() || done_) return;
      Fail(std::string(st.message()));
    };
    loop_.on_writable = [this](posix::PeerId) { Pump(); };
    if (o_.passive) {
      posix::ListenConfig lc;
      lc.address = local_;
      lc.port = o_.port;
      absl::StatusOr<uint16_t> port = loop_.Listen(lc);
      if (!port.ok()) return Usage("local-address", port.status().message());
    }
    absl::StatusOr<posix::PeerId> id = loop_.AddPeer(std::move(pc));
    if (!id.ok()) return Usage("peer", id.status().message());
    id_ = *id;
    return absl::OkStatus();
  }

  // The session's thread.
  void Run() {
    while (true) {
      const Clock::time_point now = Clock::now();
      Clock::time_point wake = now + std::chrono::hours(1);
      if (next_phase_at_) wake = std::min(wake, *next_phase_at_);
      if (token_wait_at_) wake = std::min(wake, *token_wait_at_);
      absl::Status st = loop_.RunOnce(
          std::max<Clock::duration>(wake - now, Clock::duration::zero()));
      if (absl::IsCancelled(st)) break;  // shut down gracefully
      if (!st.ok()) {
        Fail(std::string(st.message()));
        break;
      }
      const Clock::time_point after = Clock::now();
      if (next_phase_at_ && *next_phase_at_ <= after) {
        next_phase_at_.reset();
        StartPhase(next_is_withdraw_ ? Phase::kWithdrawing
                                     : Phase::kAnnouncing);
      }
      if (token_wait_at_ && *token_wait_at_ <= after) {
        token_wait_at_.reset();
        Pump();
      }
      NoteDrained();
      if (down_reason_) Fail(*std::exchange(down_reason_, std::nullopt));
      if (done_ && !loop_.stop_requested()) loop_.Shutdown();
    }
  }

 private:
  void Fail(std::string why) {
    if (done_) return;
    failed_ = true;
    done_ = true;
    failure_ = std::move(why);
    PrintErr(absl::StrCat(name_, ": ", failure_));
    loop_.Shutdown();  // from a callback: stops when RunOnce() returns
  }

  void OnEvent(posix::PeerId id, const SessionEvent& ev) {
    Session* s = loop_.session(id);
    if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (o_.print && s != nullptr) {
        const std::string peer = o_.peer.ToString();
        MessageMeta meta;
        meta.time = absl::Now();
        meta.peer = peer;
        PrintOut(RenderMessage(m->bytes, s->recv_params(), *o_.print, meta));
      }
    } else if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      if (sc->to == SessionState::kEstablished) {
        OnEstablished(s);
      } else if (sc->from == SessionState::kEstablished &&
                 !loop_.stop_requested()) {
        // Failed after this batch of events unless a NOTIFICATION event
        // (which says more) comes with it.
        down_reason_ = absl::StrCat("session down: ", sc->reason);
      }
    } else if (const auto* ns = std::get_if<NotificationSent>(&ev)) {
      if (!loop_.stop_requested() && !done_) {
        Fail(absl::StrCat(
            "NOTIFICATION sent: ", DescribeNotification(ns->notification), " (",
            ns->reason, ")"));
      }
    } else if (const auto* nr = std::get_if<NotificationReceived>(&ev)) {
      Fail(absl::StrCat("NOTIFICATION received: ",
                        DescribeNotification(nr->notification)));
    }
  }

  void OnEstablished(Session* s) {
    if (s == nullptr) return;
    established_at_ = Clock::now();
    const Negotiated* n = s->negotiated();
    builder_.emplace(s->send_params());
    PathAttributes a;
    a.origin = o_.origin;
    AsPath path = o_.as_path;
    if (n != nullptr && !n->ibgp) {
      // eBGP: our AS first (RFC 4271 §5.1.2), unless the path has it.
      const bool has = !path.segments.empty() &&
                       path.segments[0].type == AsSegmentType::kSequence &&
                       !path.segments[0].asns.empty() &&
                       path.segments[0].asns[0] == o_.local_as;
      if (!has) {
        if (path.segments.empty() ||
            path.segments[0].type != AsSegmentType::kSequence ||
            path.segments[0].asns.size() >= 255) {
          path.segments.insert(path.segments.begin(),
                               AsPathSegment{AsSegmentType::kSequence, {}});
        }
        path.segments[0].asns.insert(path.segments[0].asns.begin(),
                                     o_.local_as);
      }
    }
    a.as_path = path;
    a.med = o_.med;
    a.local_pref = o_.local_pref;
    a.communities = o_.communities;
    a.large_communities = o_.large_communities;
    a.ext_communities = o_.ext_communities;
    std::vector<uint8_t> mp_next_hop;
    if (o_.family == kIpv4Unicast) {
      a.next_hop = next_hop_;
    } else {
      mp_next_hop.assign(next_hop_.bytes(), next_hop_.bytes() + 16);
    }
    absl::Status st = builder_->SetAttributes(a, o_.family, mp_next_hop);
    if (!st.ok()) {
      Fail(absl::StrCat("attributes: ", st.message()));
      return;
    }
    path_id_ = n != nullptr && n->AddPathSend(o_.family)
                   ? std::optional<uint32_t>(o_.path_id)
                   : std::nullopt;
    batch_.clear();
    batch_.reserve(kBatchBytes + kMaxExtendedMessageSize);
    eor_sent_ = false;
    tokens_ = 1;
    last_refill_ = Clock::now();
    StartPhase(Phase::kAnnouncing);
  }

  void StartPhase(Phase p) {
    phase_ = p;
    gen_.Rewind();
    Pump();
  }

  // Hands routes to the session until the backlog is full, the tokens run
  // out or the phase is done.
  void Pump() {
    if (done_ || loop_.stop_requested()) return;
    if (phase_ != Phase::kAnnouncing && phase_ != Phase::kWithdrawing) return;
    const bool withdraw = phase_ == Phase::kWithdrawing;
    while (true) {
      if (!batch_.empty()) {
        absl::Status st = loop_.QueueUpdate(id_, batch_);
        if (absl::IsResourceExhausted(st)) return;  // on_writable resumes
        if (!st.ok()) {
          Fail(absl::StrCat("queueing UPDATEs: ", st.message()));
          return;
        }
        bytes_ += batch_.size();
        batch_.clear();
      }
      if (gen_.done()) break;
      uint64_t max_routes = UINT64_MAX;
      if (o_.rate) {
        Refill();
        if (tokens_ < 1) {
          const double wait_us = (1 - tokens_) / *o_.rate * 1e6;
          token_wait_at_ =
              Clock::now() +
              std::chrono::microseconds(static_cast<int64_t>(wait_us) + 1);
          return;
        }
        max_routes = static_cast<uint64_t>(tokens_);
      }
      uint64_t n = gen_.Fill(*builder_, batch_, max_routes, kBatchBytes,
                             withdraw, path_id_, &updates_);
      if (o_.rate) tokens_ -= static_cast<double>(n);
      if (withdraw) {
        withdrawn_ += n;
      } else {
        announced_.fetch_add(n, std::memory_order_relaxed);
      }
    }
    // Every route of the phase is queued.
    phase_ = Phase::kIdle;
    Clock::time_point now = Clock::now();
    if (!withdraw && !eor_sent_) {
      eor_sent_ = true;
      absl::Status st = loop_.QueueEndOfRib(id_, o_.family);
      if (!st.ok()) {
        Fail(absl::StrCat("End-of-RIB: ", st.message()));
        return;
      }
      ++updates_;
      bytes_ += UpdateBuilder::EndOfRib(o_.family).size();
      awaiting_drain_ = true;
    }
    if (!withdraw && o_.withdraw_after && !withdraw_scheduled_) {
      withdraw_scheduled_ = true;
      next_is_withdraw_ = true;
      next_phase_at_ = now + absl::ToChronoNanoseconds(*o_.withdraw_after);
    } else if (o_.flap) {
      next_is_withdraw_ = !withdraw;
      next_phase_at_ = now + absl::ToChronoNanoseconds(*o_.flap);
    }
  }

  void Refill() {
    Clock::time_point now = Clock::now();
    const double elapsed =
        std::chrono::duration<double>(now - last_refill_).count();
    last_refill_ = now;
    // Bursts of at most 20 ms of routes (and at least one route).
    const double cap = std::max(1.0, *o_.rate / 50);
    tokens_ = std::min(cap, tokens_ + elapsed * *o_.rate);
  }

  // The first announcement is done once the socket took all of it.
  void NoteDrained() {
    if (!awaiting_drain_) return;
    Session* s = loop_.session(id_);
    if (s != nullptr && s->PendingOutput().empty()) {
      awaiting_drain_ = false;
      announce_done_at_ = Clock::now();
    }
  }

  const Options& o_;
  const int index_;
  const IpAddress local_;
  const uint32_t router_id_;
  const IpAddress next_hop_;
  RouteGenerator gen_;
  std::string name_;
  posix::EventLoop loop_;
  posix::PeerId id_ = 0;

  std::optional<UpdateBuilder> builder_;
  std::vector<uint8_t> batch_;  // UPDATEs not yet taken by the session
  std::optional<uint32_t> path_id_;
  Phase phase_ = Phase::kWaiting;
  bool eor_sent_ = false;
  bool withdraw_scheduled_ = false;
  bool next_is_withdraw_ = false;
  std::optional<Clock::time_point> next_phase_at_;
  std::optional<Clock::time_point> token_wait_at_;
  double tokens_ = 0;
  Clock::time_point last_refill_;

  std::optional<std::string> down_reason_;
  bool done_ = false;
  bool failed_ = false;
  std::string failure_;
  bool awaiting_drain_ = false;
  std::optional<Clock::time_point> established_at_;
  std::optional<Clock::time_point> announce_done_at_;
  std::atomic<uint64_t> announced_{0};  // read by the progress line
  uint64_t updates_ = 0;
  uint64_t bytes_ = 0;
  uint64_t withdrawn_ = 0;
};

std::string SummaryLine(absl::string_view who, uint64_t routes,
                        uint64_t updates, uint64_t bytes, double seconds,
                        uint64_t withdrawn) {
  std::string line = absl::StrFormat(
      "%s: %d routes, %d UPDATE messages, %d bytes, %.3f s, %.0f routes/s", who,
      routes, updates, bytes, seconds,
      seconds > 0 ? static_cast<double>(routes) / seconds : 0.0);
  if (withdrawn > 0) absl::StrAppend(&line, ", ", withdrawn, " withdrawn");
  return line;
}

int Main(int argc, char** argv) {
  std::vector<std::string> positional =
      ParseToolCommandLine(argc, argv, kUsage, "inject.cc");
  if (positional.size() > 1) {
    PrintErr(absl::StrCat("unexpected argument '", positional[1], "'"));
    return kExitUsage;
  }
  absl::StatusOr<Options> options = ParseOptions();
  if (!options.ok()) {
    PrintErr(options.status().message());
    return kExitUsage;
  }
  const Options& o = *options;

  IpAddress first_local;
  if (o.local_address) {
    first_local = *o.local_address;
  } else if (absl::StatusOr<IpAddress> src = RouteSource(o.peer, o.port);
             src.ok()) {
    first_local = *src;
  } else {
    PrintErr(absl::StrCat("--peer: ", src.status().message()));
    return kExitUsage;
  }
  if (o.sessions > 1 && !o.local_address) {
    PrintErr("--local-address: required with --sessions above 1");
    return kExitUsage;
  }

  std::vector<std::unique_ptr<Injector>> injectors;
  for (int i = 0; i < o.sessions; ++i) {
    absl::StatusOr<IpAddress> local = AddressPlus(first_local, i);
    if (!local.ok()) {
      PrintErr("--sessions: local addresses run past the address space");
      return kExitUsage;
    }
    uint32_t router_id;
    if (o.router_id) {
      router_id = *o.router_id + static_cast<uint32_t>(i);
    } else if (local->is_v4() && local->v4() != 0) {
      router_id = local->v4();
    } else {
      router_id = 0x01010101 + static_cast<uint32_t>(i);  // 1.1.1.1 + i
    }
    IpAddress next_hop = o.next_hop.value_or(*local);
    if (next_hop.afi() != o.family.afi) {
      PrintErr(absl::StrCat("--next-hop: required: ", FamilyName(o.family),
                            " needs an ",
                            o.family.afi == Afi::kIpv6 ? "IPv6" : "IPv4",
                            " next hop and the local address ",
                            local->ToString(), " is not one"));
      return kExitUsage;
    }
    const uint64_t offset =
        o.sessions_prefixes == SharedPrefixes::kOffset ? o.count * i : 0;
    absl::StatusOr<RouteGenerator> gen =
        RouteGenerator::Make(o.prefix, o.count, offset);
    if (!gen.ok()) {
      PrintErr(gen.status().message());
      return kExitUsage;
    }
    auto inj = std::make_unique<Injector>(o, i, *local, router_id, next_hop,
                                          *std::move(gen));
    if (absl::Status st = inj->Setup(); !st.ok()) {
      PrintErr(st.message());
      return kExitUsage;
    }
    injectors.push_back(std::move(inj));
  }

  // Signals go to the main thread's signalfd; the threads inherit the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  int done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (sig_fd < 0 || done_fd < 0) {
    PrintErr(absl::StrCat("signalfd/eventfd: ", std::strerror(errno)));
    return kExitUsage;
  }

  const Clock::time_point start = Clock::now();
  std::atomic<int> running{o.sessions};
  std::vector<std::thread> threads;
  for (auto& inj : injectors) {
    threads.emplace_back([&inj, &running, done_fd] {
      inj->Run();
      running.fetch_sub(1);
      uint64_t one = 1;
      ssize_t n = write(done_fd, &one, sizeof(one));
      (void)n;
    });
  }

  const bool tty = isatty(1) != 0;
  std::optional<Clock::time_point> end;
  if (o.duration) end = start + absl::ToChronoNanoseconds(*o.duration);
  bool stopping = false;
  bool progress_shown = false;
  auto stop_all = [&] {
    if (stopping) return;
    stopping = true;
    for (auto& inj : injectors) inj->loop().RequestStop();
  };
  while (running.load() > 0) {
    int timeout_ms = -1;
    const Clock::time_point now = Clock::now();
    if (end && !stopping) {
      if (now >= *end) {
        stop_all();
        continue;
      }
      timeout_ms = static_cast<int>(
          std::chrono::ceil<std::chrono::milliseconds>(*end - now).count());
    }
    if (tty) timeout_ms = timeout_ms < 0 ? 250 : std::min(timeout_ms, 250);
    pollfd fds[2] = {{sig_fd, POLLIN, 0}, {done_fd, POLLIN, 0}};
    int n = poll(fds, 2, timeout_ms);
    if (n < 0 && errno != EINTR) break;
    if (n > 0 && (fds[0].revents & POLLIN)) {
      signalfd_siginfo info;
      while (read(sig_fd, &info, sizeof(info)) > 0) {
      }
      stop_all();
    }
    if (n > 0 && (fds[1].revents & POLLIN)) {
      uint64_t v;
      while (read(done_fd, &v, sizeof(v)) > 0) {
      }
    }
    if (tty) {
      uint64_t routes = 0;
      for (auto& inj : injectors) routes += inj->routes_announced();
      const double secs =
          std::chrono::duration<double>(Clock::now() - start).count();
      std::lock_guard<std::mutex> lock(output_mu);
      std::fprintf(stderr, "\r\033[Kbgpy-inject: %llu/%llu routes, %.1f s",
                   static_cast<unsigned long long>(routes),
                   static_cast<unsigned long long>(o.count * o.sessions), secs);
      std::fflush(stderr);
      progress_shown = true;
    }
  }
  for (std::thread& t : threads) t.join();
  close(sig_fd);
  close(done_fd);
  if (progress_shown) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

  bool any_failed = false;
  uint64_t routes = 0, updates = 0, bytes = 0, withdrawn = 0;
  double seconds = 0;
  for (auto& inj : injectors) {
    any_failed = any_failed || inj->failed();
    if (!inj->established_once()) {
      PrintErr(absl::StrCat(inj->name(), ": not established",
                            inj->failed() ? ": " + inj->failure() : ""));
      continue;
    }
    PrintErr(SummaryLine(inj->name(), inj->routes_announced(), inj->updates(),
                         inj->bytes(), inj->seconds(), inj->withdrawn()));
    routes += inj->routes_announced();
    updates += inj->updates();
    bytes += inj->bytes();
    withdrawn += inj->withdrawn();
    seconds = std::max(seconds, inj->seconds());
  }
  PrintErr(SummaryLine(absl::StrCat("total (", o.sessions, " session",
                                    o.sessions == 1 ? "" : "s", ")"),
                       routes, updates, bytes, seconds, withdrawn));
  return any_failed ? kExitSessionFailed : kExitOk;
}

}  // namespace
}  // namespace bgpy::tools

int main(int argc, char** argv) { return bgpy::tools::Main(argc, argv); }
