// Copyright 2026 The bgpy Authors.
#include "interop/daemons.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace bgpy {
namespace interop {
namespace {

bool IsV6(absl::string_view address) { return absl::StrContains(address, ':'); }

std::string RouterId(const DaemonSpec& spec) {
  if (!spec.router_id.empty()) return spec.router_id;
  return IsV6(spec.local_address) ? "10.255.255.254" : spec.local_address;
}

// Looks `name` up in PATH (and the sbin directories, which a non-root PATH
// may lack). Empty if not found.
std::string FindProgram(absl::string_view name) {
  if (absl::StrContains(name, '/'))
    return access(std::string(name).c_str(), X_OK) == 0 ? std::string(name)
                                                        : "";
  const char* path = std::getenv("PATH");
  std::string dirs =
      absl::StrCat(path ? path : "", ":/usr/sbin:/sbin:/usr/bin");
  for (absl::string_view d : absl::StrSplit(dirs, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(d, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The current user's name: ExaBGP switches to `exabgp.daemon.user` (default
// "nobody") when started as root, which could not write our directory.
std::string UserName() {
  const passwd* pw = getpwuid(getuid());
  return pw != nullptr ? pw->pw_name : "root";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteFile(const std::string& path, absl::string_view text,
                       mode_t mode = 0644) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  chmod(path.c_str(), mode);
  return absl::OkStatus();
}

// argv/envp as char* arrays built before fork(): the child only calls
// async-signal-safe functions.
struct ExecArgs {
  std::vector<std::string> storage;
  std::vector<char*> argv;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  ExecArgs(const std::vector<std::string>& args,
           const std::vector<std::string>& extra_env)
      : storage(args) {
    for (std::string& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (char** e = environ; *e != nullptr; ++e) env_storage.emplace_back(*e);
    for (const std::string& e : extra_env) env_storage.push_back(e);
    for (std::string& s : env_storage) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

// fork + exec with stdout/stderr on `out_fd` and stdin on /dev/null, in a
// new process group, killed when this thread exits (PR_SET_PDEATHSIG).
pid_t ForkExec(ExecArgs& args, int out_fd, const char* cwd) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;  // parent (or -1)
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent already died
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, 0);
  if (out_fd >= 0) {
    dup2(out_fd, 1);
    dup2(out_fd, 2);
  }
  // Unblock what a test may have blocked (EventLoop::CatchSignals).
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // No descriptor of the test (sockets of its event loop, pipes) leaks into
  // the daemon, which would keep them open after the test closed them.
  close_range(3, ~0U, 0);
  if (cwd != nullptr && chdir(cwd) != 0) _exit(127);
  execve(args.argv[0], args.argv.data(), args.envp.data());
  _exit(127);
}

// Waits for `pid` at most `timeout`; true if it was reaped.
bool WaitExit(pid_t pid, Millis timeout, int* status) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(Millis(20));
  }
}

std::string FamilyToBird(absl::string_view family) {
  if (family == "ipv4-unicast") return "ipv4";
  if (family == "ipv6-unicast") return "ipv6";
  if (family == "ipv4-multicast") return "ipv4 multicast";
  if (family == "ipv6-multicast") return "ipv6 multicast";
  if (family == "ipv4-labelled-unicast") return "ipv4 mpls";
  if (family == "ipv6-labelled-unicast") return "ipv6 mpls";
  if (family == "l3vpn-ipv4-unicast") return "vpn4 mpls";
  if (family == "l3vpn-ipv6-unicast") return "vpn6 mpls";
  if (family == "ipv4-flowspec") return "flow4";
  if (family == "ipv6-flowspec") return "flow6";
  return std::string(family);
}

// FRR's `address-family` words for a family name.
std::string FamilyToFrr(absl::string_view family) {
  if (family == "ipv4-labelled-unicast") return "ipv4 labeled-unicast";
  if (family == "ipv6-labelled-unicast") return "ipv6 labeled-unicast";
  if (family == "l3vpn-ipv4-unicast") return "ipv4 vpn";
  if (family == "l3vpn-ipv6-unicast") return "ipv6 vpn";
  if (family == "ipv4-flowspec") return "ipv4 flowspec";
  if (family == "ipv6-flowspec") return "ipv6 flowspec";
  if (family == "l2vpn-evpn") return "l2vpn evpn";
  std::string s(family);
  for (char& c : s)
    if (c == '-') c = ' ';
  return s;
}

// True for the families whose FRR address-family takes `network PREFIX`.
bool FrrTakesNetwork(absl::string_view family) {
  return family == "ipv4-unicast" || family == "ipv6-unicast" ||
         family == "ipv4-multicast" || family == "ipv6-multicast";
}

// "ipv4-unicast" -> "ipv4 unicast" (ExaBGP family).
std::string FamilyWords(absl::string_view family) {
  std::string s(family);
  if (s == "ipv4-labelled-unicast") return "ipv4 nlri-mpls";
  if (s == "ipv6-labelled-unicast") return "ipv6 nlri-mpls";
  if (s == "l3vpn-ipv4-unicast") return "ipv4 mpls-vpn";
  if (s == "l3vpn-ipv6-unicast") return "ipv6 mpls-vpn";
  if (s == "ipv4-flowspec") return "ipv4 flow";
  if (s == "ipv6-flowspec") return "ipv6 flow";
  if (s == "l2vpn-evpn") return "l2vpn evpn";
  for (char& c : s)
    if (c == '-') c = ' ';
  return s;
}

}  // namespace

std::string BirdTable(absl::string_view family) {
  if (family == "l3vpn-ipv4-unicast") return "vpntab4";
  if (family == "l3vpn-ipv6-unicast") return "vpntab6";
  if (family == "ipv4-flowspec") return "flowtab4";
  if (family == "ipv6-flowspec") return "flowtab6";
  return absl::StartsWith(family, "ipv6") ? "master6" : "master4";
}

const char* DaemonName(DaemonKind kind) {
  switch (kind) {
    case DaemonKind::kBird:
      return "BIRD 2";
    case DaemonKind::kGobgp:
      return "GoBGP";
    case DaemonKind::kFrr:
      return "FRR bgpd";
    case DaemonKind::kExabgp:
      return "ExaBGP";
  }
  return "?";
}

std::optional<DaemonBinaries> FindDaemon(DaemonKind kind, std::string* why) {
  DaemonBinaries b;
  std::string package;
  switch (kind) {
    case DaemonKind::kBird:
      b = {FindProgram("bird"), FindProgram("birdc")};
      package = "bird2";
      break;
    case DaemonKind::kGobgp:
      b = {FindProgram("gobgpd"), FindProgram("gobgp")};
      package = "gobgpd";
      break;
    case DaemonKind::kFrr:
      b = {FindProgram("/usr/lib/frr/bgpd"), FindProgram("vtysh")};
      package = "frr";
      break;
    case DaemonKind::kExabgp:
      b = {FindProgram("exabgp"), ""};
      package = "exabgp";
      break;
  }
  bool ok =
      !b.daemon.empty() && (kind == DaemonKind::kExabgp || !b.cli.empty());
  if (!ok) {
    if (why != nullptr)
      *why =
          absl::StrCat(DaemonName(kind), " is not installed (Debian package ",
                       package, "): interop test skipped");
    return std::nullopt;
  }
  return b;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && (std::string(ci) == "true" || std::string(ci) == "1");
}

absl::StatusOr<uint16_t> FreePort(absl::string_view address) {
  std::string addr(address);
  int family = IsV6(address) ? AF_INET6 : AF_INET;
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(std::strerror(errno));
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    len = sizeof(*sin);
    if (inet_pton(AF_INET, addr.c_str(), &sin->sin_addr) != 1) {
      close(fd);
      return absl::InvalidArgumentError(absl::StrCat("bad address ", addr));
    }
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    len = sizeof(*sin6);
    if (inet_pton(AF_INET6, addr.c_str(), &sin6->sin6_addr) != 1) {
      close(fd);
      return absl::InvalidArgumentError(absl::StrCat("bad address ", addr));
    }
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    int err = errno;
    close(fd);
    return absl::InternalError(
        absl::StrCat("bind ", addr, ":0: ", std::strerror(err)));
  }
  uint16_t port = family == AF_INET
                      ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                      : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  close(fd);
  return port;
}

absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv, Millis timeout,
    const std::vector<std::string>& extra_env) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  std::vector<std::string> args = argv;
  args[0] = FindProgram(argv[0]);
  if (args[0].empty())
    return absl::NotFoundError(absl::StrCat(argv[0], ": not found"));
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  ExecArgs exec(args, extra_env);
  pid_t pid = ForkExec(exec, fds[1], nullptr);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  CommandResult result;
  auto deadline = Clock::now() + timeout;
  bool timed_out = false;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: every writer closed
    // Bounded: a runaway command cannot fill memory.
    if (result.output.size() < (size_t{64} << 20))
      result.output.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  if (timed_out) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    WaitExit(pid, Millis(2000), &status);
    return absl::DeadlineExceededError(
        absl::StrCat(absl::StrJoin(argv, " "), ": no answer within ",
                     timeout.count(), " ms; output: ", result.output));
  }
  if (!WaitExit(pid, Millis(2000), &status)) {
    kill(-pid, SIGKILL);
    WaitExit(pid, Millis(2000), &status);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool WaitFor(const std::function<bool()>& done, Millis timeout,
             Millis interval) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
}

// --- Configuration builders ------------------------------------------------

std::string BirdConfig(const DaemonSpec& spec, absl::string_view dir) {
  std::string c;
  absl::StrAppend(&c, "router id ", RouterId(spec), ";\n");
  absl::StrAppend(&c, "log \"", dir, "/bird.log\" all;\n");
  absl::StrAppend(&c, "protocol device {}\n");
  // VPN and FlowSpec channels need a table of their type (only master4 and
  // master6 exist by default).
  std::vector<std::string> tables;
  for (const NeighborSpec& n : spec.neighbors) {
    for (const std::string& f : n.families) {
      std::string t = BirdTable(f);
      if (absl::StartsWith(t, "master") ||
          std::find(tables.begin(), tables.end(), t) != tables.end())
        continue;
      tables.push_back(t);
      // "vpn4 mpls" -> "vpn4", "flow6" -> "flow6".
      std::string type = FamilyToBird(f);
      type = type.substr(0, type.find(' '));
      absl::StrAppend(&c, type, " table ", t, ";\n");
    }
  }
  // Originated routes: static blackholes (no kernel protocol, so nothing
  // reaches the system's routing table).
  std::vector<std::string> v4, v6;
  for (const std::string& p : spec.originate) (IsV6(p) ? v6 : v4).push_back(p);
  if (!v4.empty()) {
    absl::StrAppend(&c, "protocol static originate4 {\n  ipv4;\n");
    for (const auto& p : v4)
      absl::StrAppend(&c, "  route ", p, " blackhole;\n");
    absl::StrAppend(&c, "}\n");
  }
  if (!v6.empty()) {
    absl::StrAppend(&c, "protocol static originate6 {\n  ipv6;\n");
    for (const auto& p : v6)
      absl::StrAppend(&c, "  route ", p, " blackhole;\n");
    absl::StrAppend(&c, "}\n");
  }
  int i = 0;
  for (const NeighborSpec& n : spec.neighbors) {
    // Protocol names are identifiers (`strict`, `any` are keywords): peerN.
    absl::StrAppend(&c, "protocol bgp peer", ++i, " {\n");
    absl::StrAppend(&c, "  local ", spec.local_address, " port ",
                    spec.local_port, " as ", spec.local_as, ";\n");
    // BIRD 2.0.12 binds the listening socket to `local` only with this.
    absl::StrAppend(&c, "  strict bind on;\n");
    absl::StrAppend(&c, "  neighbor ", n.address, " port ", n.port, " as ",
                    n.as, ";\n");
    if (n.multihop > 0) absl::StrAppend(&c, "  multihop ", n.multihop, ";\n");
    if (n.passive) absl::StrAppend(&c, "  passive on;\n");
    absl::StrAppend(&c, "  hold time ", n.hold_time, ";\n");
    // Connect soon after start and retry quickly (defaults: 5 s and 120 s).
    absl::StrAppend(&c, "  connect delay time 1;\n  connect retry time 2;\n");
    absl::StrAppend(&c, "  error wait time 1, 10;\n");
    if (spec.extended_message)
      absl::StrAppend(&c, "  enable extended messages on;\n");
    if (!n.md5_password.empty())
      absl::StrAppend(&c, "  password \"", n.md5_password, "\";\n");
    for (const std::string& f : n.families) {
      absl::StrAppend(&c, "  ", FamilyToBird(f), " {\n    import all;\n",
                      "    export all;\n");
      if (std::string t = BirdTable(f); !absl::StartsWith(t, "master"))
        absl::StrAppend(&c, "    table ", t, ";\n");
      // A family of the other IP version than the session has no next hop
      // of BIRD's own to send ("Missing next hop address"): give one.
      bool family_v6 =
          absl::StartsWith(f, "ipv6") || absl::StartsWith(f, "l3vpn-ipv6");
      // FlowSpec routes have no next hop.
      if (family_v6 != IsV6(spec.local_address) &&
          !absl::EndsWith(f, "-flowspec"))
        absl::StrAppend(
            &c, "    next hop address ",
            family_v6 ? spec.originate_next_hop_v6 : spec.originate_next_hop_v4,
            ";\n");
      if (n.add_path_send || n.add_path_receive) {
        const char* mode = n.add_path_send && n.add_path_receive ? "on"
                           : n.add_path_send                     ? "tx"
                                                                 : "rx";
        absl::StrAppend(&c, "    add paths ", mode, ";\n");
      }
      absl::StrAppend(&c, "  };\n");
    }
    absl::StrAppend(&c, "}\n");
  }
  absl::StrAppend(&c, spec.extra_config);
  return c;
}

std::string GobgpConfig(const DaemonSpec& spec) {
  std::string c;
  absl::StrAppend(&c, "[global.config]\n  as = ", spec.local_as, "\n",
                  "  router-id = \"", RouterId(spec), "\"\n",
                  "  port = ", spec.local_port, "\n",
                  "  local-address-list = [\"", spec.local_address, "\"]\n\n");
  for (const NeighborSpec& n : spec.neighbors) {
    absl::StrAppend(&c, "[[neighbors]]\n  [neighbors.config]\n",
                    "    neighbor-address = \"", n.address, "\"\n",
                    "    peer-as = ", n.as, "\n");
    if (!n.md5_password.empty())
      absl::StrAppend(&c, "    auth-password = \"", n.md5_password, "\"\n");
    absl::StrAppend(
        &c, "  [neighbors.timers.config]\n    hold-time = ", n.hold_time,
        "\n    keepalive-interval = ", std::max(1, n.hold_time / 3), "\n",
        "    connect-retry = 2\n");
    absl::StrAppend(&c, "  [neighbors.transport.config]\n",
                    "    local-address = \"", spec.local_address, "\"\n",
                    "    remote-port = ", n.port, "\n",
                    "    passive-mode = ", n.passive ? "true" : "false", "\n");
    if (n.multihop > 0)
      absl::StrAppend(&c, "  [neighbors.ebgp-multihop.config]\n",
                      "    enabled = true\n    multihop-ttl = ", n.multihop,
                      "\n");
    for (const std::string& f : n.families) {
      absl::StrAppend(&c, "  [[neighbors.afi-safis]]\n",
                      "    [neighbors.afi-safis.config]\n",
                      "      afi-safi-name = \"", f, "\"\n");
      if (n.add_path_send || n.add_path_receive) {
        absl::StrAppend(
            &c, "    [neighbors.afi-safis.add-paths.config]\n",
            "      receive = ", n.add_path_receive ? "true" : "false", "\n");
        if (n.add_path_send) absl::StrAppend(&c, "      send-max = 8\n");
      }
    }
    absl::StrAppend(&c, "\n");
  }
  absl::StrAppend(&c, spec.extra_config);
  return c;
}

std::string FrrConfig(const DaemonSpec& spec, absl::string_view dir) {
  std::string c;
  absl::StrAppend(&c, "frr defaults traditional\nhostname bgpy-interop\n",
                  "log file ", dir, "/bgpd.log\n!\n");
  absl::StrAppend(&c, "router bgp ", spec.local_as, "\n", " bgp router-id ",
                  RouterId(spec), "\n", " no bgp ebgp-requires-policy\n",
                  " no bgp default ipv4-unicast\n",
                  " no bgp network import-check\n");
  for (const NeighborSpec& n : spec.neighbors) {
    const std::string& a = n.address;
    absl::StrAppend(&c, " neighbor ", a, " remote-as ", n.as, "\n");
    absl::StrAppend(&c, " neighbor ", a, " port ", n.port, "\n");
    absl::StrAppend(&c, " neighbor ", a, " update-source ", spec.local_address,
                    "\n");
    absl::StrAppend(&c, " neighbor ", a, " timers 30 ", n.hold_time, "\n");
    absl::StrAppend(&c, " neighbor ", a, " timers connect 2\n");
    if (n.multihop > 0)
      absl::StrAppend(&c, " neighbor ", a, " ebgp-multihop ", n.multihop, "\n");
    if (n.passive) absl::StrAppend(&c, " neighbor ", a, " passive\n");
    if (!n.md5_password.empty())
      absl::StrAppend(&c, " neighbor ", a, " password ", n.md5_password, "\n");
  }
  std::vector<std::string> families;
  for (const NeighborSpec& n : spec.neighbors)
    for (const std::string& f : n.families)
      if (std::find(families.begin(), families.end(), f) == families.end())
        families.push_back(f);
  for (const std::string& f : families) {
    absl::StrAppend(&c, " address-family ", FamilyToFrr(f), "\n");
    for (const std::string& p : spec.originate)
      if (FrrTakesNetwork(f) && IsV6(p) == absl::StartsWith(f, "ipv6"))
        absl::StrAppend(&c, "  network ", p, "\n");
    for (const NeighborSpec& n : spec.neighbors) {
      if (std::find(n.families.begin(), n.families.end(), f) ==
          n.families.end())
        continue;
      absl::StrAppend(&c, "  neighbor ", n.address, " activate\n");
      if (n.add_path_send)
        absl::StrAppend(&c, "  neighbor ", n.address,
                        " addpath-tx-all-paths\n");
    }
    absl::StrAppend(&c, " exit-address-family\n");
  }
  absl::StrAppend(&c, "!\n", spec.extra_config);
  return c;
}

std::string ExabgpConfig(const DaemonSpec& spec, absl::string_view dir) {
  std::string c;
  // The API process: everything ExaBGP receives, as JSON lines, into a file.
  absl::StrAppend(&c, "process record {\n  run ", dir, "/api.sh;\n",
                  "  encoder json;\n}\n\n");
  for (const NeighborSpec& n : spec.neighbors) {
    absl::StrAppend(
        &c, "neighbor ", n.address, " {\n", "  router-id ", RouterId(spec),
        ";\n", "  local-address ", spec.local_address, ";\n", "  local-as ",
        spec.local_as, ";\n", "  peer-as ", n.as, ";\n", "  hold-time ",
        n.hold_time, ";\n",
        // Per-neighbour listening port (4.2: `listen`) and the
        // port it connects to (`connect`).
        "  listen ", spec.local_port, ";\n", "  connect ", n.port, ";\n");
    if (n.passive) absl::StrAppend(&c, "  passive true;\n");
    if (n.multihop > 0)
      absl::StrAppend(&c, "  outgoing-ttl ", n.multihop, ";\n");
    if (!n.md5_password.empty())
      absl::StrAppend(&c, "  md5-password \"", n.md5_password, "\";\n");
    absl::StrAppend(&c, "  family {\n");
    for (const std::string& f : n.families)
      absl::StrAppend(&c, "    ", FamilyWords(f), ";\n");
    absl::StrAppend(&c, "  }\n  capability {\n    route-refresh;\n",
                    "    extended-message ",
                    spec.extended_message ? "enable" : "disable", ";\n");
    if (n.add_path_send || n.add_path_receive)
      absl::StrAppend(&c, "    add-path ",
                      n.add_path_send && n.add_path_receive ? "send/receive"
                      : n.add_path_send                     ? "send"
                                                            : "receive",
                      ";\n");
    absl::StrAppend(&c, "  }\n");
    absl::StrAppend(&c, "  api {\n    processes [ record ];\n",
                    "    neighbor-changes;\n",
                    "    receive { parsed; update; notification; }\n  }\n");
    if (!spec.originate.empty() || !spec.exabgp_static.empty()) {
      absl::StrAppend(&c, "  static {\n");
      for (const std::string& p : spec.originate)
        absl::StrAppend(
            &c, "    route ", p, " next-hop ",
            IsV6(p) ? spec.originate_next_hop_v6 : spec.originate_next_hop_v4,
            ";\n");
      for (const std::string& line : spec.exabgp_static)
        absl::StrAppend(&c, "    ", line, "\n");
      absl::StrAppend(&c, "  }\n");
    }
    if (!spec.exabgp_flow.empty()) {
      absl::StrAppend(&c, "  flow {\n");
      for (const std::string& line : spec.exabgp_flow)
        absl::StrAppend(&c, "    ", line, "\n");
      absl::StrAppend(&c, "  }\n");
    }
    absl::StrAppend(&c, "}\n\n");
  }
  absl::StrAppend(&c, spec.extra_config);
  return c;
}

// --- Daemon ------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Start(DaemonKind kind,
                                                      DaemonSpec spec,
                                                      Millis ready_timeout) {
  std::string why;
  std::optional<DaemonBinaries> bin = FindDaemon(kind, &why);
  if (!bin) return absl::NotFoundError(why);
  if (spec.local_port == 0) {
    absl::StatusOr<uint16_t> port = FreePort(spec.local_address);
    if (!port.ok()) return port.status();
    spec.local_port = *port;
  }
  std::unique_ptr<Daemon> d(new Daemon(kind, std::move(spec), std::move(*bin)));
  absl::Status st = d->Launch(ready_timeout);
  if (!st.ok()) {
    std::string log = d->LogTail();
    d->Stop();
    return absl::Status(st.code(),
                        absl::StrCat(DaemonName(kind), ": ", st.message(),
                                     "\n--- log ---\n", log));
  }
  return d;
}

absl::Status Daemon::Launch(Millis ready_timeout) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/bgpy-interop-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr)
    return absl::InternalError(
        absl::StrCat("mkdtemp ", templ, ": ", std::strerror(errno)));
  dir_ = templ;
  // FRR and ExaBGP may drop privileges or run helpers as another user.
  chmod(dir_.c_str(), 0777);

  std::vector<std::string> argv;
  std::vector<std::string> env;
  switch (kind_) {
    case DaemonKind::kBird: {
      std::string conf = dir_ + "/bird.conf";
      absl::Status st = WriteFile(conf, BirdConfig(spec_, dir_));
      if (!st.ok()) return st;
      argv = {
          bin_.daemon,       "-f", "-c", conf, "-s", dir_ + "/bird.ctl", "-P",
          dir_ + "/bird.pid"};
      break;
    }
    case DaemonKind::kGobgp: {
      absl::StatusOr<uint16_t> api = FreePort("127.0.0.1");
      if (!api.ok()) return api.status();
      api_port_ = *api;
      std::string conf = dir_ + "/gobgpd.toml";
      absl::Status st = WriteFile(conf, GobgpConfig(spec_));
      if (!st.ok()) return st;
      argv = {bin_.daemon,
              "-f",
              conf,
              "-t",
              "toml",
              "--api-hosts",
              absl::StrCat("127.0.0.1:", api_port_),
              "--pprof-disable",
              "-l",
              "info"};
      break;
    }
    case DaemonKind::kFrr: {
      std::string conf = dir_ + "/bgpd.conf";
      absl::Status st = WriteFile(conf, FrrConfig(spec_, dir_));
      if (!st.ok()) return st;
      // -Z: no zebra (nothing reaches the kernel); -S: no user switch;
      // -P 0: no vty TCP port; -l/-p: BGP listen address and port.
      argv = {bin_.daemon,
              "-f",
              conf,
              "-S",
              "-Z",
              "-l",
              spec_.local_address,
              "-p",
              absl::StrCat(spec_.local_port),
              "-P",
              "0",
              "--vty_socket",
              dir_,
              "-i",
              dir_ + "/bgpd.pid",
              "--log",
              absl::StrCat("file:", dir_, "/bgpd.log"),
              "--log-level",
              "warnings"};
      break;
    }
    case DaemonKind::kExabgp: {
      std::string script = dir_ + "/api.sh";
      absl::Status st = WriteFile(
          script,
          // No `exec`: the shell keeps the stdout pipe open; ExaBGP takes
          // EOF on it for the helper's death and respawns it (5 times).
          absl::StrCat("#!/bin/sh\ncat >> ", dir_, "/api.json\n"), 0755);
      if (!st.ok()) return st;
      std::string conf = dir_ + "/exabgp.conf";
      st = WriteFile(conf, ExabgpConfig(spec_, dir_));
      if (!st.ok()) return st;
      argv = {bin_.daemon, conf};
      // No global listener (each neighbour has `listen PORT`); no CLI named
      // pipes (they live in /run/exabgp, shared between instances); run as
      // the current user; faster reactor than the default 10 ms per loop.
      env = {"exabgp.tcp.bind=",
             absl::StrCat("exabgp.tcp.port=", spec_.local_port),
             "exabgp.cli.enable=false",
             "exabgp.api.cli=false",
             absl::StrCat("exabgp.daemon.user=", UserName()),
             absl::StrCat("exabgp.daemon.pid=", dir_, "/exabgp.pid"),
             "exabgp.daemon.daemonize=false",
             "exabgp.log.destination=stdout",
             "exabgp.reactor.speed=0.01"};
      break;
    }
  }
  absl::Status st = Spawn(argv, env);
  if (!st.ok()) return st;
  auto deadline = Clock::now() + ready_timeout;
  while (!Ready()) {
    if (!Running()) return absl::InternalError("exited during start-up");
    if (Clock::now() >= deadline)
      return absl::DeadlineExceededError(
          absl::StrCat("not ready within ", ready_timeout.count(), " ms"));
    std::this_thread::sleep_for(Millis(100));
  }
  if (kind_ == DaemonKind::kGobgp) {
    for (const std::string& p : spec_.originate) {
      bool v6 = IsV6(p);
      absl::StatusOr<std::string> out =
          Cli({"global", "rib", "add", "-a", v6 ? "ipv6" : "ipv4", p, "nexthop",
               v6 ? spec_.originate_next_hop_v6 : spec_.originate_next_hop_v4});
      if (!out.ok()) return out.status();
    }
  }
  return absl::OkStatus();
}

absl::Status Daemon::Spawn(const std::vector<std::string>& argv,
                           const std::vector<std::string>& extra_env) {
  std::string log = dir_ + "/output.log";
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return absl::InternalError(
        absl::StrCat("open ", log, ": ", std::strerror(errno)));
  ExecArgs exec(argv, extra_env);
  pid_ = ForkExec(exec, fd, dir_.c_str());
  close(fd);
  if (pid_ < 0)
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  return absl::OkStatus();
}

bool Daemon::Ready() {
  switch (kind_) {
    case DaemonKind::kBird: {
      absl::StatusOr<std::string> out = Cli({"show", "status"}, Millis(2000));
      return out.ok() && absl::StrContains(*out, "up and running");
    }
    case DaemonKind::kGobgp: {
      absl::StatusOr<std::string> out = Cli({"global"}, Millis(2000));
      return out.ok() && absl::StrContains(*out, "AS:");
    }
    case DaemonKind::kFrr: {
      absl::StatusOr<std::string> out =
          Cli({"show", "bgp", "summary"}, Millis(2000));
      return out.ok();
    }
    case DaemonKind::kExabgp:
      // The API process starts once the configuration is loaded.
      return access((dir_ + "/api.json").c_str(), F_OK) == 0;
  }
  return false;
}

bool Daemon::Running() {
  if (pid_ <= 0) return false;
  int status;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    // Helpers left in its group (ExaBGP's API process) go too.
    kill(-pid_, SIGKILL);
    pid_ = -1;
  }
  return false;
}

void Daemon::Stop(Millis grace) {
  if (pid_ > 0) {
    int status;
    kill(-pid_, SIGTERM);
    kill(pid_, SIGTERM);
    if (!WaitExit(pid_, grace, &status)) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      WaitExit(pid_, Millis(5000), &status);
    }
    kill(-pid_, SIGKILL);  // anything left in its process group
    pid_ = -1;
  }
  if (!dir_.empty() && std::getenv("BGPY_INTEROP_KEEP") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

Daemon::~Daemon() { Stop(); }

std::vector<std::string> Daemon::CliArgv(
    const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  switch (kind_) {
    case DaemonKind::kBird:
      argv = {bin_.cli, "-s", dir_ + "/bird.ctl"};
      argv.insert(argv.end(), args.begin(), args.end());
      break;
    case DaemonKind::kGobgp:
      argv = {bin_.cli, "-u", "127.0.0.1", "-p", absl::StrCat(api_port_)};
      argv.insert(argv.end(), args.begin(), args.end());
      break;
    case DaemonKind::kFrr:
      argv = {bin_.cli, "--vty_socket",          dir_, "-d", "bgpd",
              "-c",     absl::StrJoin(args, " ")};
      break;
    case DaemonKind::kExabgp:
      break;
  }
  return argv;
}

absl::StatusOr<std::string> Daemon::Cli(const std::vector<std::string>& args,
                                        Millis timeout) {
  if (kind_ == DaemonKind::kExabgp)
    return absl::UnimplementedError(
        "ExaBGP has no CLI here: use ExabgpMessages()");
  std::vector<std::string> argv = CliArgv(args);
  absl::StatusOr<CommandResult> r = RunCommand(argv, timeout);
  if (!r.ok()) return r.status();
  if (r->exit_code != 0)
    return absl::InternalError(absl::StrCat(absl::StrJoin(argv, " "), ": exit ",
                                            r->exit_code, ": ", r->output));
  return std::move(r->output);
}

std::vector<std::string> Daemon::ExabgpMessages() const {
  std::vector<std::string> lines;
  if (dir_.empty()) return lines;
  for (absl::string_view l :
       absl::StrSplit(ReadFile(dir_ + "/api.json"), '\n', absl::SkipEmpty()))
    lines.emplace_back(l);
  return lines;
}

std::string Daemon::LogTail(size_t max_bytes) const {
  if (dir_.empty()) return "";
  std::string all = ReadFile(dir_ + "/output.log");
  for (const char* name : {"/bird.log", "/bgpd.log"}) {
    std::string more = ReadFile(dir_ + name);
    if (!more.empty()) absl::StrAppend(&all, "--- ", name + 1, " ---\n", more);
  }
  if (all.size() > max_bytes) all = all.substr(all.size() - max_bytes);
  return all;
}

}  // namespace interop
}  // namespace bgpy
