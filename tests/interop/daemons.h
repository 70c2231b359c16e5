// Copyright 2026 The bgpy Authors.
//
// interop/daemons.h: starts and stops real BGP daemons (BIRD 2, GoBGP, FRR
// bgpd, ExaBGP) for interop tests, each in a fresh temporary directory with
// its own configuration, sockets and pid file, on loopback addresses only.
//
//   DaemonSpec spec;
//   spec.local_address = "127.0.10.2";   // port 0: a free one is picked
//   spec.local_as = 65002;
//   spec.neighbors.push_back({.address = "127.0.10.1", .as = 65001,
//                             .passive = true});
//   auto bird = Daemon::Start(DaemonKind::kBird, spec);
//   ASSERT_TRUE(bird.ok()) << bird.status();
//   auto out = (*bird)->Cli({"show", "route", "count"});
//
// The daemon runs in the foreground as a child process in its own process
// group, with PR_SET_PDEATHSIG so that it dies with the test even if the test
// crashes. The destructor (or Stop()) sends SIGTERM to the group, waits a
// bounded grace and then sends SIGKILL: no process is left behind.
//
// Test binaries use BGPY_REQUIRE_DAEMON(kind): it skips the test with a clear
// message when the daemon is not installed, or fails it when the environment
// says CI=true (scripts/test installs every daemon there).
#ifndef BGPY_TESTS_INTEROP_DAEMONS_H_
#define BGPY_TESTS_INTEROP_DAEMONS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bgpy {
namespace interop {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

enum class DaemonKind { kBird, kGobgp, kFrr, kExabgp };
// "BIRD 2", "GoBGP", "FRR bgpd", "ExaBGP".
const char* DaemonName(DaemonKind kind);

// The daemon binary and its CLI, when both are installed.
struct DaemonBinaries {
  std::string daemon;  // bird, gobgpd, bgpd, exabgp
  std::string cli;     // birdc, gobgp, vtysh; empty for ExaBGP
};
// std::nullopt when missing; `why` (if given) then says what is missing.
std::optional<DaemonBinaries> FindDaemon(DaemonKind kind,
                                         std::string* why = nullptr);
// True when the environment variable CI is "true" (or "1").
bool InCi();

// One neighbour of the daemon (the bgpy side, usually).
struct NeighborSpec {
  std::string address;  // the neighbour's address, e.g. "127.0.10.1"
  uint32_t as = 0;
  // The neighbour's TCP port: the daemon connects there (unless passive).
  uint16_t port = 179;
  bool passive = false;  // the daemon only waits for the neighbour
  // eBGP multihop TTL; loopback peers need it on every daemon (0 = off).
  int multihop = 2;
  // GoBGP family names (DESIGN.md): "ipv4-unicast", "ipv6-unicast",
  // "l3vpn-ipv4-unicast", "l2vpn-evpn", "ipv4-flowspec", ... Each daemon's
  // configuration names them its own way (BIRD `vpn4 mpls`, FRR
  // `address-family ipv4 vpn`, ExaBGP `ipv4 mpls-vpn`); BIRD keeps the
  // routes of VPN and FlowSpec families in a table of their own
  // (BirdTable()).
  std::vector<std::string> families = {"ipv4-unicast"};
  // ADD-PATH (RFC 7911) on every family of this neighbour.
  bool add_path_send = false;
  bool add_path_receive = false;
  uint16_t hold_time = 90;
  std::string md5_password;  // RFC 2385; empty = none
};

// The daemon's own side.
struct DaemonSpec {
  std::string local_address = "127.0.0.2";
  uint16_t local_port = 0;  // 0 = a free port on local_address
  uint32_t local_as = 65000;
  std::string router_id;  // empty = local_address (IPv4 only)
  std::vector<NeighborSpec> neighbors;
  // Prefixes the daemon originates to every neighbour ("203.0.113.0/24",
  // "2001:db8:1::/48"): BIRD static routes, FRR `network`, GoBGP
  // `global rib add`, ExaBGP static routes.
  std::vector<std::string> originate;
  // Next hop of originated routes where the daemon needs one (GoBGP and
  // ExaBGP); BIRD and FRR use their own address on eBGP.
  std::string originate_next_hop_v4 = "192.0.2.1";
  std::string originate_next_hop_v6 = "2001:db8::1";
  // RFC 8654, BIRD and ExaBGP (FRR 8.4 always offers it, GoBGP 3.10 never).
  bool extended_message = false;
  // Appended verbatim to the generated configuration.
  std::string extra_config;
  // ExaBGP only: statements added verbatim to every neighbour's `static`
  // block, e.g. "route 10.0.0.0/24 next-hop 192.0.2.1 med 10;".
  std::vector<std::string> exabgp_static;
  // ExaBGP only: statements added verbatim to every neighbour's `flow`
  // block (FlowSpec rules; the neighbour needs "ipv4-flowspec" /
  // "ipv6-flowspec" in its families), e.g.
  // "route r1 { match { destination 10.0.0.0/24; } then { discard; } }".
  std::vector<std::string> exabgp_flow;
};

// The BIRD table that holds the routes of `family` (a NeighborSpec family
// name): "master4" / "master6" for the IP families, else a table BirdConfig
// declares: "vpntab4", "vpntab6" (L3VPN), "flowtab4", "flowtab6" (FlowSpec).
std::string BirdTable(absl::string_view family);

// Configuration text for each daemon. `dir` is the daemon's directory (for
// log files and the ExaBGP API script).
std::string BirdConfig(const DaemonSpec& spec, absl::string_view dir);
std::string GobgpConfig(const DaemonSpec& spec);
std::string FrrConfig(const DaemonSpec& spec, absl::string_view dir);
std::string ExabgpConfig(const DaemonSpec& spec, absl::string_view dir);

// A port nobody listens on at `address` now (bound to port 0 and released).
absl::StatusOr<uint16_t> FreePort(absl::string_view address);

struct CommandResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string output;  // stdout and stderr, interleaved
};
// Runs argv[0] (a path, or a name looked up in PATH) with `extra_env`
// ("K=V") added, waits at most `timeout` (then kills it: kDeadlineExceeded).
absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv, Millis timeout = Millis(10000),
    const std::vector<std::string>& extra_env = {});

// Calls `done` every `interval` until it is true or `timeout` passes.
bool WaitFor(const std::function<bool()>& done, Millis timeout,
             Millis interval = Millis(200));

class Daemon {
 public:
  // Writes the configuration into a fresh directory under $TMPDIR (or /tmp),
  // starts the daemon and waits (at most `ready_timeout`) until its control
  // interface answers; for GoBGP, then adds the `originate` routes. Errors
  // carry the tail of the daemon's log. kNotFound if it is not installed.
  static absl::StatusOr<std::unique_ptr<Daemon>> Start(
      DaemonKind kind, DaemonSpec spec, Millis ready_timeout = Millis(15000));

  ~Daemon();  // Stop()
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // SIGTERM to the process group, at most `grace` for it to exit, then
  // SIGKILL. Idempotent. Removes the directory unless BGPY_INTEROP_KEEP is
  // set in the environment.
  void Stop(Millis grace = Millis(3000));
  // False once the daemon exited (reaps it).
  bool Running();

  // Runs the daemon's CLI against this instance and returns its output;
  // kInternal (with the output) if it exits non-zero.
  //   BIRD:  birdc -s SOCKET ARGS...
  //   GoBGP: gobgp -u 127.0.0.1 -p API_PORT ARGS...
  //   FRR:   vtysh --vty_socket DIR -d bgpd -c "ARGS joined by spaces"
  // kUnimplemented for ExaBGP (read ExabgpMessages() instead).
  absl::StatusOr<std::string> Cli(const std::vector<std::string>& args,
                                  Millis timeout = Millis(10000));

  // ExaBGP only: the JSON lines its API process received so far (one JSON
  // object per line: state changes and parsed UPDATEs).
  std::vector<std::string> ExabgpMessages() const;

  // The last `max_bytes` of the daemon's log (stdout/stderr and log file).
  std::string LogTail(size_t max_bytes = 4000) const;

  DaemonKind kind() const { return kind_; }
  const DaemonSpec& spec() const { return spec_; }
  const std::string& address() const { return spec_.local_address; }
  uint16_t port() const { return spec_.local_port; }  // BGP port
  const std::string& dir() const { return dir_; }
  pid_t pid() const { return pid_; }

 private:
  Daemon(DaemonKind kind, DaemonSpec spec, DaemonBinaries bin)
      : kind_(kind), spec_(std::move(spec)), bin_(std::move(bin)) {}
  absl::Status Launch(Millis ready_timeout);
  absl::Status Spawn(const std::vector<std::string>& argv,
                     const std::vector<std::string>& extra_env);
  bool Ready();
  std::vector<std::string> CliArgv(const std::vector<std::string>& args) const;

  DaemonKind kind_;
  DaemonSpec spec_;
  DaemonBinaries bin_;
  std::string dir_;
  pid_t pid_ = -1;
  uint16_t api_port_ = 0;  // GoBGP gRPC API port
};

}  // namespace interop
}  // namespace bgpy

// Skips the current test when `kind` is not installed (fails under CI=true).
#define BGPY_REQUIRE_DAEMON(kind)                                          \
  do {                                                                     \
    std::string bgpy_why_;                                                 \
    if (!::bgpy::interop::FindDaemon((kind), &bgpy_why_)) {                \
      if (::bgpy::interop::InCi()) {                                       \
        FAIL() << bgpy_why_ << " (CI=true: scripts/test must install it)"; \
      }                                                                    \
      GTEST_SKIP() << bgpy_why_;                                           \
    }                                                                      \
  } while (0)

#endif  // BGPY_TESTS_INTEROP_DAEMONS_H_
