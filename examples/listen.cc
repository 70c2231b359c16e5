// Copyright 2026 The bgpy Authors.
//
// bgpy-listen: a passive BGP speaker / collector. Accepts sessions from any
// number of peers, offers every family it decodes, prints every message it
// receives, and prints a per-peer summary on exit. DESIGN.md "bgpy-listen".
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bgpy/errors.h"
#include "bgpy/format.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/nlri.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "common/session_flags.h"
#include "common/tool_flags.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:179",
          "ADDR:PORT to listen on ([::]:179 for IPv6, which takes IPv4 too); "
          "a bare ADDR means port 179, :PORT means 0.0.0.0");
ABSL_FLAG(std::string, families, "all",
          bgpy::tools::FamilyFlagHelp(
              "families offered: all (every family bgpy decodes) or a list "
              "such as ipv4-unicast,ipv6-unicast"));
ABSL_FLAG(std::string, mrt_out, "", "MRT BGP4MP output: not available yet");

namespace bgpy::tools {
namespace {

constexpr char kUsage[] =
    "Accepts BGP sessions and prints what peers send.\n"
    "\n"
    "  bgpy-listen [--listen=ADDR:PORT] --local-as=ASN [--peer-as=ASN]\n"
    "              [--router-id=A.B.C.D] [--hold-time=90] [--families=all]\n"
    "              [--print=text|json|none] [--duration=DURATION]\n"
    "\n"
    "Passive: any number of peers may connect. Offers every family it\n"
    "decodes, 4-octet AS, route refresh, ADD-PATH receive and extended\n"
    "message. It announces nothing: once Established it sends End-of-RIB\n"
    "for every negotiated family (peers that wait for it, such as RTC\n"
    "speakers (RFC 4684 §6), then send their routes). Every received\n"
    "message goes to stdout (json: exactly one line each), flushed at once;\n"
    "session changes, End-of-RIB (with the count of routes announced so\n"
    "far) and, on exit, a per-peer summary go to stderr.\n"
    "\n"
    "Exit codes: 0 done; 1 usage or configuration error (the message names\n"
    "the flag, or the address that cannot be bound).\n";

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;

struct Options {
  IpAddress address;
  uint16_t port = posix::kBgpPort;
  uint32_t local_as = 0;
  uint32_t peer_as = 0;
  uint32_t router_id = 0;
  uint16_t hold_time = kDefaultHoldTime;
  std::vector<Family> families;
  std::optional<OutputFormat> print;
  std::optional<absl::Duration> duration;
};

absl::StatusOr<Options> ParseOptions() {
  Options o;
  if (!absl::GetFlag(FLAGS_mrt_out).empty())
    return UsageError("mrt-out", "not available yet");

  // ADDR:PORT, [V6]:PORT, ADDR, :PORT.
  std::string listen = absl::GetFlag(FLAGS_listen);
  std::string addr = listen, port = "179";
  if (!listen.empty() && listen[0] == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos)
      return UsageError("listen", absl::StrCat("'", listen, "': missing ']'"));
    addr = listen.substr(1, close - 1);
    if (close + 1 < listen.size()) {
      if (listen[close + 1] != ':')
        return UsageError("listen",
                          absl::StrCat("'", listen, "': expected ':'"));
      port = listen.substr(close + 2);
    }
  } else if (size_t colon = listen.rfind(':');
             colon != std::string::npos &&
             listen.find(':') == colon) {  // one colon: IPv4 with a port
    addr = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (addr.empty()) addr = "0.0.0.0";
  absl::StatusOr<IpAddress> a = IpAddress::Parse(addr);
  if (!a.ok())
    return UsageError("listen",
                      absl::StrCat("'", addr, "' is not an IP address"));
  o.address = *a;
  absl::StatusOr<uint64_t> p = ParseUintFlag("listen", port, 0, 65535);
  if (!p.ok()) return p.status();
  o.port = static_cast<uint16_t>(*p);

  BGPY_ASSIGN_OR_RETURN(SessionFlags f, ParseSessionFlags());
  o.local_as = f.local_as;
  o.peer_as = f.peer_as;
  if (f.router_id) {
    o.router_id = *f.router_id;
  } else if (o.address.is_v4() && o.address.v4() != 0) {
    o.router_id = o.address.v4();
  } else {
    o.router_id = 0x01010101;  // 1.1.1.1
  }
  o.hold_time = f.hold_time;
  if (f.print == PrintMode::kText) o.print = OutputFormat::kText;
  if (f.print == PrintMode::kJson) o.print = OutputFormat::kJson;
  o.duration = f.duration;

  const std::string families = absl::GetFlag(FLAGS_families);
  if (families == "all") {
    o.families = DecodedFamilies();
  } else {
    BGPY_ASSIGN_OR_RETURN(o.families,
                          ParseFamilyListFlag("families", families));
  }

  return o;
}

void Err(absl::string_view s) {
  std::fprintf(stderr, "bgpy-listen: %.*s\n", static_cast<int>(s.size()),
               s.data());
  std::fflush(stderr);
}

// Counters of one accepted connection.
struct PeerCounters {
  std::string name;  // "127.0.0.2:40123"
  std::string address;
  std::map<MessageType, uint64_t> messages;
  // Per family: routes announced, withdrawn.
  std::map<Family, std::pair<uint64_t, uint64_t>> routes;
  std::string last_state = "Idle";
  std::string end;  // why the session ended, if it did
};

const char* TypeName(MessageType t) {
  switch (t) {
    case MessageType::kOpen:
      return "OPEN";
    case MessageType::kUpdate:
      return "UPDATE";
    case MessageType::kNotification:
      return "NOTIFICATION";
    case MessageType::kKeepalive:
      return "KEEPALIVE";
    case MessageType::kRouteRefresh:
      return "ROUTE_REFRESH";
  }
  return "unknown";
}

// Counts the routes of an UPDATE the session parsed (no second parse).
void CountUpdate(const UpdateView& v, PeerCounters& c) {
  if (v.end_of_rib()) return;
  // One map lookup per run of routes of one family, not one per route.
  std::pair<uint64_t, uint64_t>* counts = nullptr;
  Family family;
  for (const RouteView& r : v.routes()) {
    if (counts == nullptr || r.family != family) {
      family = r.family;
      counts = &c.routes[family];
    }
    ++(r.withdraw ? counts->second : counts->first);
  }
}

std::string DescribeNotification(const Notification& n) {
  return absl::StrFormat("%s / %s (%d/%d)%s", ErrorCodeName(n.code),
                         ErrorSubcodeName(n.code, n.subcode), n.code, n.subcode,
                         n.ShutdownMessage()
                             ? absl::StrCat(": \"", *n.ShutdownMessage(), "\"")
                             : std::string());
}

int Main(int argc, char** argv) {
  std::vector<std::string> positional = ParseToolCommandLine(
      argc, argv, kUsage, {"listen.cc", kSessionFlagsFile}, {"duration"});
  if (positional.size() > 1) {
    Err(absl::StrCat("unexpected argument '", positional[1], "'"));
    return kExitUsage;
  }
  absl::StatusOr<Options> options = ParseOptions();
  if (!options.ok()) {
    Err(options.status().message());
    return kExitUsage;
  }
  const Options& o = *options;
  RaiseDescriptorLimit();

  SessionConfig session;
  session.local_as = o.local_as;
  session.peer_as = o.peer_as;
  session.router_id = o.router_id;
  session.hold_time = o.hold_time;
  session.passive = true;
  session.families = o.families;
  for (Family f : o.families) {
    session.add_path.push_back({f, false, true});
    // RFC 8950: IPv4 routes (unicast, multicast, VPN) may come with an IPv6
    // next hop.
    if (f.afi == Afi::kIpv4 &&
        (f.safi == Safi::kUnicast || f.safi == Safi::kMulticast ||
         f.safi == Safi::kMplsVpn)) {
      session.extended_next_hop.push_back(
          {Afi::kIpv4, static_cast<uint16_t>(f.safi), Afi::kIpv6});
    }
  }
  session.extended_message = true;
  session.route_refresh = true;
  if (absl::Status st = session.Validate(); !st.ok()) {
    Err(st.message());
    return kExitUsage;
  }

  posix::EventLoop loop;
  if (!loop.init_status().ok()) {
    Err(loop.init_status().message());
    return kExitUsage;
  }
  std::map<posix::PeerId, PeerCounters> peers;  // ordered by arrival
  std::string out;  // one message's output; its capacity is reused

  posix::ListenConfig lc;
  lc.address = o.address;
  lc.port = o.port;
  lc.accept_any = true;
  lc.factory = [&session](const IpAddress& addr,
                          uint16_t) -> std::optional<posix::PeerConfig> {
    posix::PeerConfig pc;
    pc.address = addr;
    pc.session = session;
    return pc;
  };
  loop.on_accept = [&peers](posix::PeerId id, const IpAddress& addr,
                            uint16_t port) {
    PeerCounters& c = peers[id];
    c.address = addr.ToString();
    c.name = posix::FormatEndpoint(addr, port);
    Err(absl::StrCat(c.name, ": connected"));
  };
  loop.on_error = [&peers](posix::PeerId id, const absl::Status& st) {
    auto it = peers.find(id);
    if (it == peers.end()) return;
    it->second.end = std::string(st.message());
    Err(absl::StrCat(it->second.name, ": ", st.message()));
  };
  loop.on_event = [&](posix::PeerId id, const SessionEvent& ev) {
    PeerCounters& c = peers[id];
    Session* s = loop.session(id);
    if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      ++c.messages[m->type];
      if (s == nullptr) return;
      // The session parsed the UPDATE once; counting and printing use that
      // parse.
      const std::optional<UpdateView> update = m->update();
      if (update) CountUpdate(*update, c);
      if (o.print) {
        MessageMeta meta;
        meta.time = absl::Now();
        meta.peer = c.address;
        out.clear();
        if (update && *o.print != OutputFormat::kHex) {
          AppendUpdate(&out, *update, m->findings, *o.print, meta);
        } else {
          out = RenderMessage(m->bytes, s->recv_params(), *o.print, meta);
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);
      }
    } else if (const auto* eor = std::get_if<EndOfRib>(&ev)) {
      // Every route before it has been counted (and printed).
      const auto it = c.routes.find(eor->family);
      Err(absl::StrCat(c.name, ": End-of-RIB ", FamilyName(eor->family), " (",
                       it == c.routes.end() ? 0 : it->second.first,
                       " announced)"));
    } else if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      c.last_state = SessionStateName(sc->to);
      Err(absl::StrCat(c.name, ": ", SessionStateName(sc->from), " -> ",
                       SessionStateName(sc->to), " (", sc->reason, ")"));
      // Our initial update is empty, so it is complete at once: End-of-RIB
      // for every negotiated family (RFC 4724 §2). A speaker that
      // negotiated RTC defers its VPN routes (GoBGP: every route) until
      // the RT membership End-of-RIB arrives (RFC 4684 §6).
      if (sc->to == SessionState::kEstablished && s != nullptr &&
          s->state() == SessionState::kEstablished &&
          s->negotiated() != nullptr) {
        for (Family f : s->negotiated()->families) {
          absl::Status st = loop.QueueEndOfRib(id, f);
          if (!st.ok())
            Err(absl::StrCat(c.name, ": End-of-RIB ", FamilyName(f), ": ",
                             st.message()));
        }
      }
    } else if (const auto* nr = std::get_if<NotificationReceived>(&ev)) {
      c.end = absl::StrCat("NOTIFICATION received: ",
                           DescribeNotification(nr->notification));
      Err(absl::StrCat(c.name, ": ", c.end));
    } else if (const auto* ns = std::get_if<NotificationSent>(&ev)) {
      c.end = absl::StrCat(
          "NOTIFICATION sent: ", DescribeNotification(ns->notification), " (",
          ns->reason, ")");
      Err(absl::StrCat(c.name, ": ", c.end));
    }
  };

  absl::StatusOr<uint16_t> port = loop.Listen(lc);
  if (!port.ok()) {
    Err(absl::StrCat("--listen: ", port.status().message()));
    return kExitUsage;
  }
  if (absl::Status st = loop.CatchSignals({SIGINT, SIGTERM}); !st.ok()) {
    Err(st.message());
    return kExitUsage;
  }
  Err(absl::StrCat("listening on ", posix::FormatEndpoint(o.address, *port),
                   ", AS ", o.local_as, ", router id ",
                   FormatIpv4(o.router_id)));

  std::optional<Instant> until;
  if (o.duration)
    until = posix::EventLoop::Now() + absl::ToChronoNanoseconds(*o.duration);
  absl::Status st = loop.Run(until);
  loop.Shutdown();  // no-op if a signal already shut it down
  if (!st.ok()) Err(st.message());

  // Per-peer summary.
  for (const auto& [id, c] : peers) {
    std::vector<std::string> msgs;
    for (const auto& [t, n] : c.messages)
      msgs.push_back(absl::StrCat(n, " ", TypeName(t)));
    std::vector<std::string> routes;
    for (const auto& [f, aw] : c.routes) {
      routes.push_back(absl::StrCat(FamilyName(f), " ", aw.first, " announced ",
                                    aw.second, " withdrawn"));
    }
    Err(absl::StrCat("summary ", c.name, ": ",
                     msgs.empty() ? "no messages" : absl::StrJoin(msgs, ", "),
                     "; ",
                     routes.empty() ? "no routes" : absl::StrJoin(routes, "; "),
                     c.end.empty() ? "" : absl::StrCat("; ended: ", c.end)));
  }
  return kExitOk;
}

}  // namespace
}  // namespace bgpy::tools

int main(int argc, char** argv) { return bgpy::tools::Main(argc, argv); }
