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
  std::string failure;
  std::optional<Clock::time_point> established_at;
  std::optional<Clock::time_point> announce_done_at;
  uint64_t bytes_at_established = 0;
  uint64_t bytes = 0;  // sent from Established until announced
};

class Injection {
 public:
  explicit Injection(const Options& o) : o_(o) {}

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
      if (s == nullptr || loop_.stop_requested() || s->done) return;
      Fail(*s, std::string(st.message()));
    };
    for (int i = 0; i < o_.sessions; ++i) {
      absl::StatusOr<IpAddress> local = AddressPlus(first_local, i);
      if (!local.ok())
        return UsageError("sessions",
                          "local addresses run past the address space");
      BGPY_RETURN_IF_ERROR(AddSession(i, *local));
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
        loop_.Shutdown();  // Cease / Administrative Shutdown to every peer
        break;
      }
      if (AllDone()) {
        loop_.Shutdown();
        break;
      }
      Clock::time_point wake = now + std::chrono::hours(1);
      if (end) wake = std::min(wake, *end);
      if (tty) wake = std::min(wake, now + std::chrono::milliseconds(250));
      if (next_wake_) wake = std::min(wake, *next_wake_);
      absl::Status st = loop_.RunOnce(
          std::max<Clock::duration>(wake - now, Clock::duration::zero()));
      if (absl::IsCancelled(st)) break;  // a signal: shut down gracefully
      if (!st.ok()) {
        PrintErr(st.message());
        break;
      }
      Watch();
      if (tty) {
        uint64_t routes = 0;
        for (const auto& s : sessions_) routes += s->feed.announced();
        std::fprintf(
            stderr, "\r\033[Kbgpy-inject: %llu/%llu routes, %.1f s",
            static_cast<unsigned long long>(routes),
            static_cast<unsigned long long>(o_.routes_per_session() *
                                            o_.sessions),
            std::chrono::duration<double>(Clock::now() - start_).count());
        std::fflush(stderr);
        progress_shown = true;
      }
    }
    if (progress_shown) {
      std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
    }
    return Summary();
  }

 private:
  absl::Status AddSession(int i, const IpAddress& local) {
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
    s->router_id = router_id;
    s->next_hops = std::move(next_hops);
    s->name = absl::StrCat(local.ToString(), " -> ",
                           posix::FormatEndpoint(o_.peer, o_.port));

    posix::PeerConfig pc;
    pc.address = o_.peer;
    pc.port = o_.port;
    if (o_.local_address) pc.local_address = local;
    pc.ttl = o_.ttl;
    pc.md5_password = o_.md5_password;
    SessionConfig& c = pc.session;
    c.local_as = o_.session.local_as;
    c.peer_as = o_.session.peer_as;
    c.router_id = router_id;
    c.hold_time = o_.session.hold_time;
    c.passive = o_.passive;
    // The injected families, then those offered only for receiving.
    c.families.clear();
    for (size_t fi = 0; fi < o_.families.size(); ++fi) {
      const InjectFamily& f = o_.families[fi];
      c.families.push_back(f.family());
      if (o_.add_path > 0) c.add_path.push_back({f.family(), true, false});
      // RFC 8950: IPv4 NLRI with an IPv6 next hop needs extended next hop.
      if (f.family().afi == Afi::kIpv4 && s->next_hops[fi].is_v6()) {
        c.extended_next_hop.push_back(
            {Afi::kIpv4, static_cast<uint16_t>(f.family().safi), Afi::kIpv6});
      }
    }
    for (Family f : o_.receive_families) c.families.push_back(f);
    c.extended_message = o_.extended_message;
    c.connect_retry = std::chrono::seconds(5);
    c.seed = static_cast<uint64_t>(i) + 1;
    c.max_output_backlog = kBacklogBytes;
    if (o_.passive) {
      posix::ListenConfig lc;
      lc.address = local;
      lc.port = o_.port;
      absl::StatusOr<uint16_t> port = loop_.Listen(lc);
      if (!port.ok())
        return UsageError("local-address", port.status().message());
    }
    absl::StatusOr<posix::PeerId> id = loop_.AddPeer(std::move(pc));
    if (!id.ok()) return UsageError("peer", id.status().message());
    s->id = *id;
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

  void Fail(InjectSession& s, std::string why) {
    if (s.done) return;
    s.failed = true;
    s.done = true;
    s.failure = std::move(why);
    PrintErr(absl::StrCat(s.name, ": ", s.failure));
    if (!loop_.stop_requested()) loop_.StopPeer(s.id);
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
      if (sc->to == SessionState::kEstablished) {
        OnEstablished(s);
      } else if (sc->from == SessionState::kEstablished &&
                 !loop_.stop_requested()) {
        // Failed after this batch of events unless a NOTIFICATION event
        // (which says more) comes with it.
        s.down_reason = absl::StrCat("session down: ", sc->reason);
        Watch(s);
      }
    } else if (const auto* ns = std::get_if<NotificationSent>(&ev)) {
      if (!loop_.stop_requested() && !s.done) {
        Fail(s, absl::StrCat("NOTIFICATION sent: ",
                             DescribeNotification(ns->notification), " (",
                             ns->reason, ")"));
      }
    } else if (const auto* nr = std::get_if<NotificationReceived>(&ev)) {
      Fail(s, absl::StrCat("NOTIFICATION received: ",
                           DescribeNotification(nr->notification)));
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
    // One segment per family and path: each has its next hop, so its own
    // UPDATEs.
    std::vector<Segment> segments;
    for (size_t fi = 0; fi < o_.families.size(); ++fi) {
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
      Fail(s, absl::StrCat("routes: ", st.message()));
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
      if (s.down_reason) Fail(s, *std::exchange(s.down_reason, std::nullopt));
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
      Fail(s, absl::StrCat("routes: ", s.feed.status().message()));
      return;
    }
    if (!withdraw && !s.eor_sent) {
      s.eor_sent = true;
      for (const InjectFamily& f : o_.families) {
        absl::Status st = loop_.QueueEndOfRib(s.id, f.family());
        if (!st.ok()) {
          Fail(s, absl::StrCat("End-of-RIB: ", st.message()));
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

  int Summary() {
    // One line per session up to this many; beyond, failures and the total.
    constexpr int kSessionLines = 16;
    bool any_failed = false;
    uint64_t routes = 0, updates = 0, bytes = 0, withdrawn = 0;
    double seconds = 0;
    int not_established = 0;
    for (const auto& s : sessions_) {
      any_failed = any_failed || s->failed;
      if (!s->established_at) {
        ++not_established;
        if (o_.sessions <= kSessionLines || s->failed)
          PrintErr(absl::StrCat(s->name, ": not established",
                                s->failed ? ": " + s->failure : ""));
        continue;
      }
      // Each End-of-RIB counts as an UPDATE message.
      const uint64_t s_updates =
          s->feed.updates() + (s->eor_sent ? o_.families.size() : 0);
      uint64_t s_bytes = s->bytes;
      if (!s->announce_done_at) {  // still sending: what went out so far
        const posix::PeerStats* st = loop_.stats(s->id);
        s_bytes = st != nullptr ? st->bytes_sent - s->bytes_at_established : 0;
      }
      if (o_.sessions <= kSessionLines) {
        PrintErr(SummaryLine(s->name, s->feed.announced(), s_updates, s_bytes,
                             Seconds(*s), s->feed.withdrawn()));
      }
      routes += s->feed.announced();
      updates += s_updates;
      bytes += s_bytes;
      withdrawn += s->feed.withdrawn();
      seconds = std::max(seconds, Seconds(*s));
    }
    std::string total =
        SummaryLine(absl::StrCat("total (", o_.sessions, " session",
                                 o_.sessions == 1 ? "" : "s", ")"),
                    routes, updates, bytes, seconds, withdrawn);
    if (not_established > 0)
      absl::StrAppend(&total, ", ", not_established, " not established");
    PrintErr(total);
    return any_failed ? kExitSessionFailed : kExitOk;
  }

  const Options& o_;
  posix::EventLoop loop_;
  std::vector<std::unique_ptr<InjectSession>> sessions_;
  std::vector<int> by_peer_;  // PeerId -> index in sessions_
  std::vector<int> watch_;    // sessions to look at after the next step
  std::optional<Clock::time_point> next_wake_;
  Clock::time_point start_;
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
