// Copyright 2026 The bgpy Authors.
//
// bgpy-inject's sessions on one event loop, in one thread.
#include "inject/run.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bgpy/errors.h"
#include "bgpy/format.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "common/route_gen.h"
#include "common/session_flags.h"
#include "common/tool_flags.h"
#include "inject/generate.h"
#ifdef BGPY_HAVE_MRT
#include "inject/mrt_source.h"
#endif

namespace bgpy::tools {
namespace {

using Clock = std::chrono::steady_clock;

// The session's unsent output is kept under this: the session pulls routes
// from its feed whenever the socket takes some, up to this backlog.
constexpr size_t kBacklogBytes = size_t{256} << 10;

// The address `i` after `a` (consecutive local addresses); kOutOfRange past
// the end of the address space.
absl::StatusOr<IpAddress> AddressPlus(const IpAddress& a, uint64_t i) {
  absl::StatusOr<Prefix> p = Prefix::Make(a, a.bit_length());
  if (!p.ok()) return p.status();
  BGPY_ASSIGN_OR_RETURN(Prefix q, p->Advance(i));
  return q.address();
}

// The source address the kernel would use to reach `peer` (a connected UDP
// socket sends nothing).
absl::StatusOr<IpAddress> KernelSource(const IpAddress& peer, uint16_t port) {
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

// The next hop of a family --next-hop gives none for: the session's local
// address, except for FlowSpec, whose rules are not forwarded to a next
// hop: none (length 0, the unspecified address), which also suits an
// ipv6-flowspec session over IPv4.
IpAddress DefaultNextHop(const InjectFamily& f, const IpAddress& local) {
  const Safi safi = f.family().safi;
  if (safi != Safi::kFlowSpec && safi != Safi::kFlowSpecVpn) return local;
  if (f.family().afi == Afi::kIpv6) return IpAddress::V6({});
  return IpAddress::V4(0);
}

// A family's next hop: the address family its NLRI needs for IP-prefix
// families (NEXT_HOP / RFC 4760), else whatever form the row accepts.
absl::Status CheckNextHop(const InjectFamily& f, const IpAddress& next_hop,
                          const IpAddress& local) {
  const Afi afi = f.family().afi;
  if (f.ip_prefix() && next_hop.afi() != afi &&
      !(afi == Afi::kIpv4 && next_hop.is_v6())) {  // RFC 8950
    return UsageError("next-hop",
                      absl::StrCat("required: ", f.desc->name, " needs an ",
                                   afi == Afi::kIpv6 ? "IPv6" : "IPv4",
                                   " next hop and the local address ",
                                   local.ToString(), " is not one"));
  }
  MpNextHop nh;
  nh.address = next_hop;
  std::vector<uint8_t> bytes;
  {
    wire::Writer w(&bytes);
    f.desc->encode_next_hop(nh, w);
  }
  if (absl::Status st = f.desc->check_next_hop(bytes); !st.ok()) {
    return UsageError("next-hop",
                      absl::StrCat(next_hop.ToString(), " for ", f.desc->name,
                                   ": ", st.message()));
  }
  return absl::OkStatus();
}

// True when both sides sent the RFC 8950 entry for IPv4 NLRI of `f` with
// an IPv6 next hop.
bool ExtendedNextHopAgreed(const Negotiated* n, Family f) {
  if (n == nullptr) return false;
  for (const ExtendedNextHopCapability::Entry& e : n->extended_next_hop) {
    if (e.nlri_afi == f.afi && e.nlri_safi == static_cast<uint16_t>(f.safi) &&
        e.next_hop_afi == Afi::kIpv6) {
      return true;
    }
  }
  return false;
}

void PrintOut(absl::string_view s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}
void PrintErr(absl::string_view s) {
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

// Routes, UPDATE messages and bytes written to the socket.
std::string SummaryLine(absl::string_view who, uint64_t routes,
                        uint64_t updates, uint64_t bytes, double seconds,
                        uint64_t withdrawn, uint64_t queued) {
  std::string line = absl::StrFormat(
      "%s: %d routes, %d UPDATE messages, %d bytes, %.3f s, %.0f routes/s", who,
      routes, updates, bytes, seconds,
      seconds > 0 ? static_cast<double>(routes) / seconds : 0.0);
  if (withdrawn > 0) absl::StrAppend(&line, ", ", withdrawn, " withdrawn");
  if (queued > 0)
    absl::StrAppend(&line, ", ", queued,
                    " routes still queued when the session ended");
  return line;
}

// True when `st` (from the transport: "connect to ...: <strerror>") carries
// errno `e`.
bool HasErrno(const absl::Status& st, int e) {
  return absl::EndsWith(st.message(), std::strerror(e));
}

// What an OS error on the connection means, in a few words; `*detail` gets
// the transport's message when the words do not already say it all.
std::string SocketCause(const absl::Status& st, const Options& o,
                        std::chrono::milliseconds connect_timeout,
                        std::string* detail) {
  if (absl::IsDeadlineExceeded(st)) {
    // Linux drops a SYN without the right RFC 2385 signature silently: a
    // key mismatch is indistinguishable from a peer that does not answer.
    return absl::StrFormat(
        "connect timed out after %.1f s (no SYN-ACK%s)",
        std::chrono::duration<double>(connect_timeout).count(),
        o.md5_password.empty()
            ? ""
            : "; with --md5-password set, a key mismatch looks like this");
  }
  std::string cause;
  if (HasErrno(st, ECONNREFUSED)) {
    cause = "connection refused";
  } else if (HasErrno(st, ECONNRESET) || HasErrno(st, EPIPE)) {
    cause = "connection reset by peer";
  } else if (HasErrno(st, ETIMEDOUT)) {
    cause = "connection timed out";
  } else if (HasErrno(st, EHOSTUNREACH) || HasErrno(st, ENETUNREACH)) {
    cause = "no route to the peer";
  } else {
    return std::string(st.message());
  }
  *detail = std::string(st.message());
  return cause;
}

// What a session is sending.
enum class Phase {
  kWaiting,      // not Established yet
  kAnnouncing,   // routes left to announce
  kWithdrawing,  // routes left to withdraw
  kIdle,         // all sent; waiting for the next phase (or forever)
};

struct InjectSession {
  InjectSession(std::vector<FamilyRoutes> families, std::optional<double> rate)
      : feed(std::move(families), rate) {}

  int index = 0;
  IpAddress local;
  uint32_t router_id = 0;
  std::vector<IpAddress> next_hops;  // per family of Options::families
  bool add_path_note_shown = false;
  std::string name;
  posix::PeerId id = 0;
  RouteFeed feed;
  Phase phase = Phase::kWaiting;
  bool eor_sent = false;
  bool withdraw_scheduled = false;
  bool next_is_withdraw = false;
  std::optional<Clock::time_point> next_phase_at;
  bool awaiting_drain = false;
  std::optional<std::string> down_reason;
  bool watched = false;  // in Injection::watch_

  bool done = false;  // failed, or stopped
  bool failed = false;
  // Why, in a few words ("connection reset by peer (send to ...)"). A
  // strong cause (an OS error on the socket, a NOTIFICATION) is kept once
  // set; a weak one (the session went down, an internal call refused)
  // gives way to the strong one that usually follows in the same step.
  std::string failure;
  bool strong_failure = false;
  std::string failure_detail;  // the OS's words, if any
  // Never Established: when the TCP connection came up (OpenSent), the
  // last state and why the session left it.
  std::optional<Clock::time_point> connected_at;
  std::string last_down;
  std::optional<Clock::time_point> established_at;
  std::optional<Clock::time_point> announce_done_at;
  uint64_t bytes_at_established = 0;
  uint64_t bytes = 0;  // sent from Established until announced

  // Families announced (End-of-RIB for each).
  std::vector<Family> eor_families;
  uint32_t local_as = 0;
#ifdef BGPY_HAVE_MRT
  // --mrt: the replay, its families and next hops, and the announcements
  // of its peers in the file (before filters).
  std::unique_ptr<MrtRoutes> mrt;
  std::vector<MrtFamilyOut> mrt_families;
  uint64_t mrt_routes = 0;
  // Routes the first announcement handed over, once it is done.
  std::optional<uint64_t> mrt_announced;
#endif
};

class Injection {
 public:
  explicit Injection(const Options& o) : o_(o), session_count_(o.sessions) {}

  // Builds every session; a usage error names the flag.
  absl::Status Setup() {
    BGPY_RETURN_IF_ERROR(loop_.init_status());
    IpAddress first_local;
    if (o_.local_address) {
      first_local = *o_.local_address;
    } else if (o_.sessions > 1) {
      return UsageError("local-address", "required with --sessions above 1");
    } else {
      absl::StatusOr<IpAddress> src = KernelSource(o_.peer, o_.port);
      if (!src.ok()) return UsageError("peer", src.status().message());
      first_local = *src;
    }
    loop_.on_event = [this](posix::PeerId id, const SessionEvent& ev) {
      if (InjectSession* s = Find(id)) OnEvent(*s, ev);
    };
    loop_.on_error = [this](posix::PeerId id, const absl::Status& st) {
      InjectSession* s = Find(id);
      if (s == nullptr || loop_.stop_requested()) return;
      const posix::PeerConfig* pc = loop_.peer_config(id);
      std::string detail;
      std::string cause = SocketCause(
          st, o_,
          pc != nullptr ? pc->connect_timeout : std::chrono::milliseconds(0),
          &detail);
      Fail(*s, std::move(cause), /*strong=*/true, std::move(detail));
    };
    std::vector<std::vector<size_t>> peers_of;  // --mrt: per session
    if (o_.mrt) {
      BGPY_RETURN_IF_ERROR(SetupMrt(peers_of));
      session_count_ = static_cast<int>(peers_of.size());
      if (session_count_ > 1 && !o_.local_address)
        return UsageError("local-address",
                          "required with more than one session");
    }
    for (int i = 0; i < session_count_; ++i) {
      absl::StatusOr<IpAddress> local = AddressPlus(first_local, i);
      if (!local.ok())
        return UsageError("sessions",
                          "local addresses run past the address space");
      BGPY_RETURN_IF_ERROR(
          AddSession(i, *local, o_.mrt ? peers_of[i] : std::vector<size_t>()));
    }
    return absl::OkStatus();
  }

  int Run() {
    if (absl::Status st = loop_.CatchSignals({SIGINT, SIGTERM}); !st.ok()) {
      PrintErr(st.message());
      return kExitUsage;
    }
    start_ = Clock::now();
    std::optional<Clock::time_point> end;
    if (o_.session.duration)
      end = start_ + absl::ToChronoNanoseconds(*o_.session.duration);
    const bool tty = isatty(1) != 0;
    bool progress_shown = false;
    while (true) {
      Clock::time_point now = Clock::now();
      if (end && now >= *end) {
        ended_by_ = "--duration ended";
        break;
      }
      if (AllDone()) break;
      Clock::time_point wake = now + std::chrono::hours(1);
      if (end) wake = std::min(wake, *end);
      if (tty) wake = std::min(wake, now + std::chrono::milliseconds(250));
      if (next_wake_) wake = std::min(wake, *next_wake_);
      absl::Status st = loop_.RunOnce(
          std::max<Clock::duration>(wake - now, Clock::duration::zero()));
      if (absl::IsCancelled(st)) {  // a signal: shut down gracefully
        ended_by_ = "interrupted";
        break;
      }
      if (!st.ok()) {
        PrintErr(st.message());
        break;
      }
      Watch();
      // With many sessions, each failure as it happens (after the step, so
      // the strongest cause of the step is the one shown).
      for (int i : std::exchange(failed_now_, {})) {
        if (progress_shown) std::fprintf(stderr, "\r\033[K");
        const InjectSession& f = *sessions_[i];
        PrintErr(absl::StrCat(f.name, ": ", f.failure,
                              f.failure_detail.empty()
                                  ? ""
                                  : absl::StrCat(" (", f.failure_detail, ")")));
      }
      if (tty) {
        uint64_t routes = 0;
        for (const auto& s : sessions_) {
          Account(*s);
          routes += s->feed.announced_written();
        }
        const double secs =
            std::chrono::duration<double>(Clock::now() - start_).count();
        std::fprintf(stderr, "\r\033[Kbgpy-inject: %llu/%llu routes, %.1f s%s",
                     static_cast<unsigned long long>(routes),
                     static_cast<unsigned long long>(TotalAsked()), secs,
                     MrtProgress(secs).c_str());
        std::fflush(stderr);
        progress_shown = true;
      }
    }
    if (progress_shown) {
      std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
    }
    // What the sessions stand at when the run ends, before Shutdown()
    // stops them (Cease / Administrative Shutdown to every peer).
    const Clock::time_point stop = Clock::now();
    for (const auto& s : sessions_) {
      Account(*s);
      if (!s->done) Unfinished(*s, stop);
    }
    loop_.Shutdown();
    for (const auto& s : sessions_) Account(*s);
    return Summary();
  }

 private:
#ifdef BGPY_HAVE_MRT
  // --mrt: the first pass over the file, the peers each session replays.
  absl::Status SetupMrt(std::vector<std::vector<size_t>>& peers_of) {
    const MrtOptions& m = *o_.mrt;
    absl::StatusOr<MrtScan> scan = ScanMrt(m.path);
    if (!scan.ok()) return UsageError("mrt", scan.status().message());
    scan_ = *std::move(scan);
    absl::StatusOr<std::vector<size_t>> peers =
        SelectMrtPeers(scan_, m.peers, m.sessions_per_peer);
    if (!peers.ok()) {
      return UsageError(m.peers.empty() ? "mrt" : "mrt-peers",
                        peers.status().message());
    }
    PrintErr(absl::StrFormat(
        "%s: %d records, %d routes of %d peers read in %.1f s", m.path,
        scan_.records, scan_.routes, scan_.peers.size(), scan_.seconds));
    if (m.sessions_per_peer) {
      for (size_t p : *peers) {
        if (scan_.peers[p].as == 0)
          return UsageError("mrt-peers",
                            absl::StrCat("peer ", DescribePeer(scan_.peers[p]),
                                         " has AS 0: it cannot be a "
                                         "session's AS"));
        peers_of.push_back({p});
      }
      PrintErr(
          absl::StrCat("one session per peer: ", peers->size(), " sessions"));
    } else {
      for (int i = 0; i < o_.sessions; ++i) peers_of.push_back(*peers);
    }
    for (size_t p : *peers) {
      PrintErr(absl::StrCat(m.peers.empty() && !m.sessions_per_peer
                                ? "replaying the peer with the most routes: "
                                : "replaying peer ",
                            DescribePeer(scan_.peers[p])));
    }
    return absl::OkStatus();
  }
#else
  absl::Status SetupMrt(std::vector<std::vector<size_t>>&) {
    return UsageError("mrt", "this build has no MRT support (zlib/bzip2)");
  }
#endif

  // --mrt: the session's families (--family, else those of its peers'
  // routes), each with the next hop it rewrites to.
  absl::Status SetupMrtSession(InjectSession& s, const IpAddress& local,
                               const std::vector<size_t>& peers,
                               SessionConfig& c) {
#ifdef BGPY_HAVE_MRT
    const MrtOptions& m = *o_.mrt;
    std::vector<Family> found;
    std::vector<Family> path_ids;
    for (size_t p : peers) {
      const MrtPeer& peer = scan_.peers[p];
      s.mrt_routes += peer.announcements;
      for (Family f : peer.families)
        if (std::find(found.begin(), found.end(), f) == found.end())
          found.push_back(f);
      for (Family f : peer.path_id_families) path_ids.push_back(f);
    }
    std::vector<Family> families;
    if (m.family_given) {
      for (const InjectFamily& f : o_.families) families.push_back(f.family());
    } else {
      families = found;
    }
    for (Family fam : families) {
      InjectFamily f;
      f.desc = FindFamily(fam);
      if (f.desc == nullptr || f.desc->opaque) continue;
      std::optional<IpAddress> given;
      for (const IpAddress& a : m.next_hops)
        if (!given && a.afi() == fam.afi) given = a;
      if (!given && !m.next_hops.empty()) given = m.next_hops.front();
      const IpAddress next_hop = given.value_or(DefaultNextHop(f, local));
      if (!m.keep_attributes) {
        if (absl::Status st = CheckNextHop(f, next_hop, local); !st.ok()) {
          if (m.family_given) return st;
          if (s.index == 0) {
            PrintErr(absl::StrCat(
                "the ", f.desc->name,
                " routes of the file are not replayed: ", st.message()));
          }
          continue;
        }
        // An IPv6 next hop for IPv4 routes needs RFC 8950.
        if (fam.afi == Afi::kIpv4 && next_hop.is_v6()) {
          c.extended_next_hop.push_back(
              {Afi::kIpv4, static_cast<uint16_t>(fam.safi), Afi::kIpv6});
        }
      }
      MrtFamilyOut out;
      out.family = fam;
      out.desc = f.desc;
      out.next_hop = next_hop;
      s.mrt_families.push_back(out);
      s.eor_families.push_back(fam);
      c.families.push_back(fam);
      if (std::find(path_ids.begin(), path_ids.end(), fam) != path_ids.end())
        c.add_path.push_back({fam, true, false});
    }
    if (s.mrt_families.empty())
      return UsageError("mrt", "no family of the file's routes to replay");
    std::vector<size_t> selected = peers;
    s.mrt = std::make_unique<MrtRoutes>(m, scan_, selected);
    s.feed.set_producer(s.mrt.get());
    return absl::OkStatus();
#else
    (void)s, (void)local, (void)peers, (void)c;
    return UsageError("mrt", "this build has no MRT support (zlib/bzip2)");
#endif
  }

  // Routes the session is to announce: --count per family, or with --mrt
  // those its replay handed over once it is done (before: the peers'
  // routes in the file).
  uint64_t Asked(const InjectSession& s) const {
#ifdef BGPY_HAVE_MRT
    if (s.mrt) return s.mrt_announced.value_or(s.mrt_routes);
#endif
    (void)s;
    return o_.routes_per_session();
  }
  // --mrt: ", N records, X MB/s" of the files read so far (every session
  // reads the file).
  std::string MrtProgress(double seconds) const {
#ifdef BGPY_HAVE_MRT
    if (!o_.mrt) return "";
    uint64_t records = 0, bytes = 0;
    for (const auto& s : sessions_) {
      if (!s->mrt) continue;
      records += s->mrt->records();
      bytes += s->mrt->bytes();
    }
    return absl::StrFormat(
        ", %d records, %.1f MB/s", records,
        seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0);
#else
    (void)seconds;
    return "";
#endif
  }

  uint64_t TotalAsked() const {
    uint64_t n = 0;
    for (const auto& s : sessions_) n += Asked(*s);
    return n;
  }

  absl::Status AddSession(int i, const IpAddress& local,
                          const std::vector<size_t>& mrt_peers) {
    uint32_t router_id;
    if (o_.session.router_id) {
      router_id = *o_.session.router_id + static_cast<uint32_t>(i);
    } else if (local.is_v4() && local.v4() != 0) {
      router_id = local.v4();
    } else {
      router_id = 0x01010101 + static_cast<uint32_t>(i);  // 1.1.1.1 + i
    }
    const uint64_t index = static_cast<uint64_t>(i);
    std::vector<FamilyRoutes> routes;
    std::vector<IpAddress> next_hops;
    for (const InjectFamily& f : o_.families) {
      if (o_.mrt) break;  // the file gives the routes
      const IpAddress next_hop = f.next_hop.value_or(DefaultNextHop(f, local));
      BGPY_RETURN_IF_ERROR(CheckNextHop(f, next_hop, local));
      // Path k's next hop is next hop + k: the last one must exist.
      if (o_.add_path > 1 && !AddressPlus(next_hop, o_.add_path - 1).ok())
        return UsageError(
            "add-path",
            absl::StrCat("next hop ", next_hop.ToString(), " + ",
                         o_.add_path - 1, " passes the address space"));
      next_hops.push_back(next_hop);
      FamilyRoutes r;
      r.family = &f;
      r.offset =
          o_.sessions_prefixes == SharedPrefixes::kOffset ? f.count * index : 0;
      if (f.ip_prefix()) {
        absl::StatusOr<RouteGenerator> gen =
            RouteGenerator::Make(f.tmpl.prefix, f.count, r.offset);
        if (!gen.ok()) return gen.status();
        r.fast = *std::move(gen);
      } else {
        // The session's last route must exist too (the row's message names
        // what runs out).
        absl::StatusOr<NlriValue> last =
            f.desc->generate(f.tmpl, r.offset + f.count - 1);
        if (!last.ok())
          return UsageError("count", absl::StrCat(f.desc->name, ": ",
                                                  last.status().message()));
      }
      routes.push_back(std::move(r));
    }
    auto s = std::make_unique<InjectSession>(std::move(routes), o_.rate);
    s->index = i;
    s->local = local;
    s->local_as = o_.session.local_as;
#ifdef BGPY_HAVE_MRT
    // --sessions=mrt-peers: the peer's AS is ours.
    if (o_.mrt && o_.mrt->sessions_per_peer && !mrt_peers.empty())
      s->local_as = scan_.peers[mrt_peers[0]].as;
#endif
    s->router_id = router_id;
    s->next_hops = std::move(next_hops);
    s->name = absl::StrCat(local.ToString(), " -> ",
                           posix::FormatEndpoint(o_.peer, o_.port));

    posix::PeerConfig pc;
    pc.address = o_.peer;
    pc.port = o_.port;
    if (o_.local_address) pc.local_address = local;
    pc.ttl = o_.ttl;
    pc.min_ttl = o_.min_ttl;
    pc.md5_password = o_.md5_password;
    SessionConfig& c = pc.session;
    c.local_as = s->local_as;
    c.peer_as = o_.session.peer_as;
    c.router_id = router_id;
    c.hold_time = o_.session.hold_time;
    c.passive = o_.passive;
    // The injected families, then those offered only for receiving.
    c.families.clear();
    if (o_.mrt) BGPY_RETURN_IF_ERROR(SetupMrtSession(*s, local, mrt_peers, c));
    for (size_t fi = 0; fi < o_.families.size() && !o_.mrt; ++fi) {
      const InjectFamily& f = o_.families[fi];
      s->eor_families.push_back(f.family());
      c.families.push_back(f.family());
      if (o_.add_path > 0) c.add_path.push_back({f.family(), true, false});
      // RFC 8950: IPv4 NLRI with an IPv6 next hop needs extended next hop.
      if (f.family().afi == Afi::kIpv4 && s->next_hops[fi].is_v6()) {
        c.extended_next_hop.push_back(
            {Afi::kIpv4, static_cast<uint16_t>(f.family().safi), Afi::kIpv6});
      }
    }
    for (Family f : o_.receive_families)
      if (std::find(c.families.begin(), c.families.end(), f) ==
          c.families.end())
        c.families.push_back(f);
    c.extended_message = o_.extended_message;
    c.connect_retry = std::chrono::seconds(5);
    c.seed = static_cast<uint64_t>(i) + 1;
    c.max_output_backlog = kBacklogBytes;
    if (o_.passive) {
      posix::ListenConfig lc;
      lc.address = local;
      lc.port = o_.port;
      lc.ttl = o_.ttl;
      lc.min_ttl = o_.min_ttl;
      absl::StatusOr<uint16_t> port = loop_.Listen(lc);
      if (!port.ok())
        return UsageError("local-address", port.status().message());
    }
    absl::StatusOr<posix::PeerId> id = loop_.AddPeer(std::move(pc));
    if (!id.ok()) return UsageError("peer", id.status().message());
    s->id = *id;
    // Where the session's output ends: written plus queued.
    s->feed.set_position([this, peer = *id]() -> uint64_t {
      const posix::PeerStats* st = loop_.stats(peer);
      const Session* ss = std::as_const(loop_).session(peer);
      return (st != nullptr ? st->bytes_sent : 0) +
             (ss != nullptr ? ss->PendingOutput().size() : 0);
    });
    if (by_peer_.size() <= *id) by_peer_.resize(*id + 1, -1);
    by_peer_[*id] = i;
    sessions_.push_back(std::move(s));
    return absl::OkStatus();
  }

  InjectSession* Find(posix::PeerId id) {
    if (id >= by_peer_.size() || by_peer_[id] < 0) return nullptr;
    return sessions_[by_peer_[id]].get();
  }

  bool AllDone() const {
    for (const auto& s : sessions_)
      if (!s->done) return false;
    return true;
  }

  void Watch(InjectSession& s) {
    if (s.watched) return;
    s.watched = true;
    watch_.push_back(s.index);
  }

  // Brings the session's count of routes written up to date: the last
  // UPDATE handed over gets its end offset while the session still holds
  // its output, then every UPDATE within the bytes written counts.
  void Account(InjectSession& s) {
    const Session* ss = std::as_const(loop_).session(s.id);
    if (ss != nullptr && ss->connected() &&
        ss->state() == SessionState::kEstablished)
      s.feed.Settle();
    if (const posix::PeerStats* st = loop_.stats(s.id))
      s.feed.Written(st->bytes_sent);
  }

  // The session has failed: `why` names the cause. The first strong cause
  // wins; a weak one only stands until a strong one comes.
  void Fail(InjectSession& s, std::string why, bool strong,
            std::string detail = "") {
    if (s.done && (!s.failed || s.strong_failure || !strong)) return;
    const bool first = !s.done;
    s.failed = true;
    s.done = true;
    s.failure = std::move(why);
    s.failure_detail = std::move(detail);
    s.strong_failure = strong;
    if (first) {
      if (session_count_ > 1) failed_now_.push_back(s.index);
      Account(s);  // before StopPeer queues the Cease
      if (!loop_.stop_requested()) loop_.StopPeer(s.id);
    }
  }

  // The run ends (--duration, a signal) with `s` still up: it failed unless
  // it reached Established and every route of the announcement is on the
  // socket.
  void Unfinished(InjectSession& s, Clock::time_point now) {
    const std::string ended = ended_by_.empty() ? "stopped" : ended_by_;
    if (!s.established_at) {
      const Session* ss = std::as_const(loop_).session(s.id);
      const SessionState state =
          ss != nullptr ? ss->state() : SessionState::kIdle;
      auto since = [now](Clock::time_point t) {
        return std::chrono::duration<double>(now - t).count();
      };
      std::string why;
      if (state == SessionState::kOpenSent && s.connected_at) {
        why = absl::StrFormat(
            "no OPEN within %.1f s (the TCP connection is up; the peer sent "
            "nothing)",
            since(*s.connected_at));
      } else if (state == SessionState::kOpenConfirm && s.connected_at) {
        why =
            absl::StrFormat("no KEEPALIVE after the peer's OPEN within %.1f s",
                            since(*s.connected_at));
      } else if (loop_.connection_count(s.id) > 0 &&
                 !loop_.connection(s.id).has_value()) {
        why = absl::StrFormat(
            "connect timed out after %.1f s (no SYN-ACK%s)", since(start_),
            o_.md5_password.empty()
                ? ""
                : "; with --md5-password set, a key mismatch looks like this");
      } else if (!s.last_down.empty()) {
        why = s.last_down;
      } else if (o_.passive) {
        why = "the peer never connected";
      } else {
        why = absl::StrCat("not connected (", SessionStateName(state), ")");
      }
      Fail(s, absl::StrCat(why, " when ", ended), /*strong=*/true);
      return;
    }
    const uint64_t asked = Asked(s);
    if (s.feed.announced_written() < asked) {
      Fail(s,
           absl::StrCat(ended, " after ", s.feed.announced_written(), " of ",
                        asked, " routes were written"),
           /*strong=*/true);
    }
  }

  void OnEvent(InjectSession& s, const SessionEvent& ev) {
    if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (o_.session.print == PrintMode::kNone) return;
      Session* session = loop_.session(s.id);
      if (session == nullptr) return;
      const std::string peer = o_.peer.ToString();
      MessageMeta meta;
      meta.time = absl::Now();
      meta.peer = peer;
      PrintOut(RenderMessage(m->bytes, session->recv_params(),
                             o_.session.print == PrintMode::kJson
                                 ? OutputFormat::kJson
                                 : OutputFormat::kText,
                             meta));
    } else if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      if (sc->to == SessionState::kOpenSent) s.connected_at = Clock::now();
      if (sc->to == SessionState::kEstablished) {
        OnEstablished(s);
      } else if (sc->from == SessionState::kEstablished &&
                 !loop_.stop_requested()) {
        // Failed after this batch of events unless a NOTIFICATION event
        // or an OS error (which say more) comes with it. The session's
        // reason for a close it did not ask for is "connection closed": the
        // peer closed (FIN).
        s.down_reason = sc->reason == "connection closed"
                            ? std::string("connection closed by peer")
                            : absl::StrCat("session down: ", sc->reason);
        Watch(s);
      } else if (sc->from == SessionState::kOpenSent &&
                 sc->reason == "connection closed in OpenSent") {
        s.last_down = "connection closed by peer before its OPEN";
      } else if (!s.established_at && !sc->reason.empty() &&
                 sc->to != SessionState::kConnect) {
        s.last_down = absl::StrCat(
            "session down in ", SessionStateName(sc->from), ": ", sc->reason);
      }
    } else if (const auto* ns = std::get_if<NotificationSent>(&ev)) {
      if (!loop_.stop_requested()) {
        Fail(s,
             absl::StrCat(
                 "NOTIFICATION sent: ", DescribeNotification(ns->notification),
                 " (", ns->reason, ")"),
             /*strong=*/true);
      }
    } else if (const auto* nr = std::get_if<NotificationReceived>(&ev)) {
      Fail(s,
           absl::StrCat("NOTIFICATION received: ",
                        DescribeNotification(nr->notification)),
           /*strong=*/true);
    }
  }

  void OnEstablished(InjectSession& s) {
    Session* session = loop_.session(s.id);
    if (session == nullptr || s.done) return;
    s.established_at = Clock::now();
    s.bytes_at_established = loop_.stats(s.id)->bytes_sent;
    s.eor_sent = false;
    StartPhase(s, /*withdraw=*/false);
  }

  void StartPhase(InjectSession& s, bool withdraw) {
    Session* session = loop_.session(s.id);
    if (session == nullptr || s.done || loop_.stop_requested()) return;
    const Negotiated* n = session->negotiated();
    std::vector<Segment> segments;
#ifdef BGPY_HAVE_MRT
    if (s.mrt) {
      MrtReplayContext ctx;
      ctx.negotiated = n;
      ctx.local_as = s.local_as;
      ctx.prepend = !o_.mrt->sessions_per_peer;
      for (const MrtFamilyOut& f : s.mrt_families) {
        if (n != nullptr && !n->HasFamily(f.family)) continue;
        if (f.family.afi == Afi::kIpv4 && f.next_hop.is_v6() &&
            !o_.mrt->keep_attributes && !ExtendedNextHopAgreed(n, f.family)) {
          PrintErr(absl::StrCat(s.name, ": the peer did not agree to ",
                                "extended next hop (RFC 8950) for ",
                                f.desc->name, ": its routes are not sent"));
          continue;
        }
        ctx.families.push_back(f);
      }
      s.eor_families.clear();
      for (const MrtFamilyOut& f : ctx.families)
        s.eor_families.push_back(f.family);
      s.mrt->Begin(std::move(ctx), withdraw);
    }
#endif
    // One segment per family and path: each has its next hop, so its own
    // UPDATEs.
    for (size_t fi = 0; fi < o_.families.size() && !o_.mrt; ++fi) {
      const InjectFamily& f = o_.families[fi];
      if (f.family().afi == Afi::kIpv4 && s.next_hops[fi].is_v6() &&
          !ExtendedNextHopAgreed(n, f.family())) {
        // Sending them anyway would make the peer reset the session.
        PrintErr(absl::StrCat(s.name, ": the peer did not agree to ",
                              "extended next hop (RFC 8950) for ", f.desc->name,
                              ": its routes with next hop ",
                              s.next_hops[fi].ToString(), " are not sent"));
        continue;
      }
      const bool add_path = n != nullptr && n->AddPathSend(f.family());
      uint32_t paths = 1;
      if (o_.add_path > 0 && add_path) {
        paths = o_.add_path;
      } else if (o_.add_path > 1 && !s.add_path_note_shown) {
        PrintErr(absl::StrCat(s.name,
                              ": the peer does not receive ADD-PATH "
                              "for ",
                              f.desc->name, ": one path per prefix"));
      }
      for (uint32_t k = 0; k < paths; ++k) {
        Segment seg;
        seg.family = fi;
        const IpAddress nh =
            AddressPlus(s.next_hops[fi], k)
                .value_or(s.next_hops[fi]);  // checked in AddSession
        seg.attrs = MakeAttributes(o_, f, n, nh);
        if (add_path) seg.path_id = o_.path_id + k;
        segments.push_back(std::move(seg));
      }
    }
    s.add_path_note_shown = true;
    s.feed.StartPhase(withdraw, std::move(segments));
    s.phase = withdraw ? Phase::kWithdrawing : Phase::kAnnouncing;
    Watch(s);
    absl::Status st = loop_.SetRouteSource(s.id, &s.feed);
    // Not Established any more: the events that follow say why.
    if (!st.ok() && !absl::IsFailedPrecondition(st))
      Fail(s, absl::StrCat("routes: ", st.message()), /*strong=*/false);
  }

  // After each step: the sessions that wait for something.
  void Watch() {
    next_wake_.reset();
    const Clock::time_point now = Clock::now();
    std::vector<int> keep;
    std::vector<int> list;
    list.swap(watch_);
    for (int i : list) {
      InjectSession& s = *sessions_[i];
      s.watched = false;
      if (s.down_reason)
        Fail(s, *std::exchange(s.down_reason, std::nullopt), /*strong=*/false);
      Account(s);
      if (s.done) continue;
      auto sending = [&s] {
        return s.phase == Phase::kAnnouncing || s.phase == Phase::kWithdrawing;
      };
      if (sending() && !s.feed.finished()) {
        if (auto t = s.feed.token_wait_at(); t && *t <= now)
          (void)loop_.PullRoutes(s.id);
      }
      if (s.next_phase_at && *s.next_phase_at <= now) {
        s.next_phase_at.reset();
        StartPhase(s, s.next_is_withdraw);
      }
      // A small phase is handed over within one pull.
      if (sending() && s.feed.finished()) PhaseDone(s, now);
      if (s.awaiting_drain) {
        Session* session = loop_.session(s.id);
        if (session != nullptr && session->PendingOutput().empty()) {
          s.awaiting_drain = false;
          s.announce_done_at = Clock::now();
          s.bytes = loop_.stats(s.id)->bytes_sent - s.bytes_at_established;
        }
      }
      if (s.done) continue;
      std::optional<Clock::time_point> wake = s.next_phase_at;
      if (s.phase == Phase::kAnnouncing || s.phase == Phase::kWithdrawing) {
        if (auto t = s.feed.token_wait_at(); t && (!wake || *t < *wake))
          wake = t;
      }
      const bool busy = s.phase == Phase::kAnnouncing ||
                        s.phase == Phase::kWithdrawing || s.awaiting_drain ||
                        s.next_phase_at.has_value();
      if (wake && (!next_wake_ || *wake < *next_wake_)) next_wake_ = wake;
      if (busy) keep.push_back(i);
    }
    for (int i : keep) Watch(*sessions_[i]);
  }

  void PhaseDone(InjectSession& s, Clock::time_point now) {
    const bool withdraw = s.phase == Phase::kWithdrawing;
    s.phase = Phase::kIdle;
    if (!s.feed.status().ok()) {
      Fail(s, absl::StrCat("routes: ", s.feed.status().message()),
           /*strong=*/true);
      return;
    }
#ifdef BGPY_HAVE_MRT
    if (!withdraw && s.mrt && !s.mrt_announced)
      s.mrt_announced = s.feed.announced();
#endif
    if (!withdraw && !s.eor_sent) {
      s.eor_sent = true;
      Account(s);  // the last UPDATE ends before the End-of-RIB
      for (Family f : s.eor_families) {
        absl::Status st = loop_.QueueEndOfRib(s.id, f);
        // Not Established any more: the events that follow say why (an OS
        // error, a NOTIFICATION), not this call.
        if (absl::IsFailedPrecondition(st)) return;
        if (!st.ok()) {
          Fail(s, absl::StrCat("End-of-RIB: ", st.message()), /*strong=*/false);
          return;
        }
      }
      s.awaiting_drain = true;
    }
    if (!withdraw && o_.withdraw_after && !s.withdraw_scheduled) {
      s.withdraw_scheduled = true;
      s.next_is_withdraw = true;
      s.next_phase_at = now + absl::ToChronoNanoseconds(*o_.withdraw_after);
    } else if (o_.flap) {
      s.next_is_withdraw = !withdraw;
      s.next_phase_at = now + absl::ToChronoNanoseconds(*o_.flap);
    }
  }

  double Seconds(const InjectSession& s) const {
    if (!s.established_at) return 0;
    Clock::time_point end = s.announce_done_at.value_or(Clock::now());
    return std::chrono::duration<double>(end - *s.established_at).count();
  }

  // Counts what reached the socket: routes of the UPDATEs written whole,
  // and what was still queued when the session ended. Failures come last,
  // one line each, naming the cause.
  int Summary() {
    // One line per session up to this many; beyond, failures and the total.
    constexpr int kSessionLines = 16;
    bool any_failed = false;
    uint64_t routes = 0, updates = 0, bytes = 0, withdrawn = 0, queued = 0;
    double seconds = 0;
    int not_established = 0;
    std::vector<std::string> failures;
    int failures_left_off = 0;
    for (const auto& s : sessions_) {
      const uint64_t asked = Asked(*s);
      any_failed = any_failed || s->failed;
      if (s->failed) {
        std::string line;
        if (!s->established_at) {
          line = absl::StrCat(s->name, ": not established: ", s->failure);
        } else {
          line = absl::StrCat(s->name, ": ", s->failure);
          if (s->feed.announced_written() < asked &&
              !absl::StrContains(s->failure, " routes were written")) {
            absl::StrAppend(&line, " after ", s->feed.announced_written(),
                            " of ", asked, " routes were written");
          }
          if (s->feed.routes_queued() > 0)
            absl::StrAppend(&line, ", ", s->feed.routes_queued(),
                            " more still queued");
        }
        if (!s->failure_detail.empty())
          absl::StrAppend(&line, " (", s->failure_detail, ")");
        if (failures.size() < kSessionLines) {
          failures.push_back(std::move(line));
        } else {
          ++failures_left_off;
        }
      }
      if (!s->established_at) {
        ++not_established;
        continue;
      }
      // Each End-of-RIB counts as an UPDATE message once it is written.
      const posix::PeerStats* st = loop_.stats(s->id);
      const uint64_t sent =
          st != nullptr ? st->bytes_sent - s->bytes_at_established : 0;
      const uint64_t s_updates =
          s->feed.updates_written() +
          (s->eor_sent && s->announce_done_at ? s->eor_families.size() : 0);
      const uint64_t s_bytes = s->announce_done_at ? s->bytes : sent;
      const uint64_t s_queued = s->feed.routes_queued();
      if (session_count_ <= kSessionLines) {
        PrintErr(SummaryLine(s->name, s->feed.announced_written(), s_updates,
                             s_bytes, Seconds(*s), s->feed.withdrawn_written(),
                             s_queued));
      }
      routes += s->feed.announced_written();
      updates += s_updates;
      bytes += s_bytes;
      withdrawn += s->feed.withdrawn_written();
      queued += s_queued;
      seconds = std::max(seconds, Seconds(*s));
    }
    std::string total =
        SummaryLine(absl::StrCat("total (", session_count_, " session",
                                 session_count_ == 1 ? "" : "s", ")"),
                    routes, updates, bytes, seconds, withdrawn, queued);
    if (not_established > 0)
      absl::StrAppend(&total, ", ", not_established, " not established");
    PrintErr(total);
    for (const std::string& f : failures) PrintErr(f);
    if (failures_left_off > 0)
      PrintErr(
          absl::StrCat("... and ", failures_left_off, " more sessions failed"));
    return any_failed ? kExitSessionFailed : kExitOk;
  }

  const Options& o_;
  int session_count_;  // o_.sessions, or one per peer (--sessions=mrt-peers)
#ifdef BGPY_HAVE_MRT
  MrtScan scan_;
#endif
  posix::EventLoop loop_;
  std::vector<std::unique_ptr<InjectSession>> sessions_;
  std::vector<int> by_peer_;     // PeerId -> index in sessions_
  std::vector<int> watch_;       // sessions to look at after the next step
  std::vector<int> failed_now_;  // failed in this step (--sessions above 1)
  std::optional<Clock::time_point> next_wake_;
  Clock::time_point start_;
  // Why the run ended with sessions still up: "--duration ended",
  // "interrupted" (SIGINT/SIGTERM).
  std::string ended_by_;
};

}  // namespace

int RunInjection(const Options& o) {
  RaiseDescriptorLimit();
  Injection injection(o);
  if (absl::Status st = injection.Setup(); !st.ok()) {
    PrintErr(st.message());
    return kExitUsage;
  }
  return injection.Run();
}

}  // namespace bgpy::tools
