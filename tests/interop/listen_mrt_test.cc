// Copyright 2026 The bgpy Authors.
//
// Interop: GoBGP -> bgpy-listen --mrt-out. GoBGP announces IPv4 and IPv6
// routes (iBGP, so AS path and next hop arrive as configured), then
// withdraws one; `bgpdump -m` of the recorded file must show exactly those
// announcements and the withdrawal, and the session's state changes up to
// Established and back to Idle when GoBGP stops. Skips without GoBGP or
// bgpdump (fails under CI=true).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "interop/daemons.h"
#include "interop/tools_util.h"

namespace bgpy {
namespace interop {
namespace {

using ::testing::ElementsAreArray;

constexpr char kBgpdump[] = "/usr/bin/bgpdump";
constexpr uint32_t kAs = 65040;  // bgpy and GoBGP: iBGP

// bgpdump -m's lines for `path`, each without its time field.
std::vector<std::string> Bgpdump(const std::string& path) {
  std::vector<std::string> out;
  absl::StatusOr<CommandResult> r =
      RunCommand({kBgpdump, "-m", path}, Millis(20000));
  if (!r.ok()) {
    ADD_FAILURE() << r.status();
    return out;
  }
  for (absl::string_view line :
       absl::StrSplit(r->output, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, '|');
    if (f.size() < 3 || !absl::StartsWith(f[0], "BGP4MP")) continue;
    f.erase(f.begin() + 1);
    out.push_back(absl::StrJoin(f, "|"));
  }
  return out;
}

std::vector<std::string> Select(const std::vector<std::string>& lines,
                                absl::string_view kind) {
  std::vector<std::string> out;
  for (const std::string& l : lines)
    if (absl::StrContains(l, absl::StrCat("|", kind, "|"))) out.push_back(l);
  return out;
}

TEST(ListenMrtInterop, GobgpRoutesInBgpdump) {
  BGPY_REQUIRE_DAEMON(DaemonKind::kGobgp);
  BGPY_REQUIRE_TOOL(listen_tool, "bgpy-listen");
  if (access(kBgpdump, X_OK) != 0) {
    if (InCi()) FAIL() << kBgpdump << " missing (CI=true)";
    GTEST_SKIP() << kBgpdump << " missing";
  }
  std::string tmpl = absl::StrCat(
      std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp", "/mrtiXXXXXX");
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::string file = absl::StrCat(tmpl, "/gobgp.mrt");

  const std::string kListen = "127.0.40.1", kGobgp = "127.0.40.2";
  absl::StatusOr<uint16_t> port = FreePort(kListen);
  ASSERT_TRUE(port.ok()) << port.status();
  auto listen = ToolProcess::Start(
      {listen_tool, absl::StrCat("--listen=", kListen, ":", *port),
       absl::StrCat("--local-as=", kAs), "--print=none", "--hold-time=30",
       absl::StrCat("--mrt-out=", file)});
  ASSERT_TRUE(listen.ok()) << listen.status();

  DaemonSpec spec;
  spec.local_address = kGobgp;
  spec.local_as = kAs;
  NeighborSpec n;
  n.address = kListen;
  n.as = kAs;
  n.port = *port;
  n.multihop = 0;
  n.families = {"ipv4-unicast", "ipv6-unicast"};
  spec.neighbors = {n};
  auto gobgp = Daemon::Start(DaemonKind::kGobgp, spec);
  ASSERT_TRUE(gobgp.ok()) << gobgp.status();
  Daemon& d = **gobgp;

  struct Route {
    const char* afi;
    const char* prefix;
    const char* next_hop;
    const char* as_path;  // GoBGP CLI syntax
    const char* med;
    const char* local_pref;
    const char* communities;  // GoBGP CLI syntax
    const char* want;         // bgpdump -m, from the prefix on
  };
  const Route routes[] = {
      {"ipv4", "10.60.1.0/24", "192.0.2.1", "65001,65002", "10", "200",
       "65000:1,65000:2",
       "10.60.1.0/24|65001 65002|IGP|192.0.2.1|200|10|65000:1 65000:2|NAG||"},
      {"ipv4", "10.60.2.0/23", "192.0.2.2", "65001,{65003,65004}", "11", "201",
       "65000:3",
       "10.60.2.0/23|65001 {65003,65004}|IGP|192.0.2.2|201|11|65000:3|NAG||"},
      {"ipv6", "2001:db8:60::/48", "2001:db8::1", "4200000001", "12", "202",
       "65000:4",
       "2001:db8:60::/48|4200000001|IGP|2001:db8::1|202|12|65000:4|NAG||"},
  };
  std::vector<std::string> want;
  for (const Route& r : routes) {
    absl::StatusOr<std::string> out =
        d.Cli({"global", "rib", "add", "-a", r.afi, r.prefix, "origin", "igp",
               "aspath", r.as_path, "nexthop", r.next_hop, "med", r.med,
               "local-pref", r.local_pref, "community", r.communities});
    ASSERT_TRUE(out.ok()) << out.status();
    want.push_back(absl::StrCat("BGP4MP_ET|A|", kGobgp, "|", kAs, "|", r.want));
  }
  std::sort(want.begin(), want.end());

  // The records are written after each loop step: poll the file.
  std::vector<std::string> got;
  EXPECT_TRUE(WaitFor(
      [&] {
        got = Select(Bgpdump(file), "A");
        std::sort(got.begin(), got.end());
        return got.size() >= want.size();
      },
      Millis(30000)))
      << (*listen)->Tail() << "\n--- GoBGP ---\n"
      << d.LogTail();
  EXPECT_THAT(got, ElementsAreArray(want));

  ASSERT_TRUE(
      d.Cli({"global", "rib", "del", "-a", "ipv4", "10.60.1.0/24"}).ok());
  const std::string withdrawn =
      absl::StrCat("BGP4MP_ET|W|", kGobgp, "|", kAs, "|10.60.1.0/24");
  EXPECT_TRUE(WaitFor(
      [&] {
        std::vector<std::string> w = Select(Bgpdump(file), "W");
        return std::find(w.begin(), w.end(), withdrawn) != w.end();
      },
      Millis(30000)))
      << (*listen)->Tail();

  d.Stop();
  EXPECT_TRUE(
      WaitFor([&] { return absl::StrContains((*listen)->Stderr(), "-> Idle"); },
              Millis(10000)))
      << (*listen)->Tail();
  EXPECT_EQ((*listen)->Stop().value_or(-2), 0) << (*listen)->Tail();

  const std::vector<std::string> lines = Bgpdump(file);
  got = Select(lines, "A");
  std::sort(got.begin(), got.end());
  EXPECT_THAT(got, ElementsAreArray(want));
  EXPECT_THAT(Select(lines, "W"), ElementsAreArray({withdrawn}));
  // The session up (RFC 6396 §4.4.1: 1 Idle ... 6 Established) and down.
  std::vector<std::string> states;
  for (const std::string& l : Select(lines, "STATE")) {
    std::vector<std::string> f = absl::StrSplit(l, '|');
    ASSERT_EQ(f.size(), 6u) << l;
    EXPECT_EQ(f[2], kGobgp);
    states.push_back(absl::StrCat(f[4], ">", f[5]));
  }
  EXPECT_THAT(states, ElementsAreArray({"1>3", "3>4", "4>5", "5>6", "6>1"}));

  // The round trip: bgpy-decode reads bgpy's file exactly as bgpdump does.
  std::string why;
  std::optional<std::string> decode = ToolPath("bgpy-decode", &why);
  ASSERT_TRUE(decode.has_value()) << why;
  absl::StatusOr<CommandResult> ours = RunCommand(
      {*decode, "--input=mrt", "--format=bgpdump", file}, Millis(20000));
  ASSERT_TRUE(ours.ok()) << ours.status();
  absl::StatusOr<CommandResult> theirs =
      RunCommand({kBgpdump, "-m", file}, Millis(20000));
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  // (Their output interleaves stderr: keep the record lines.)
  auto records = [](const std::string& out) {
    std::vector<std::string> v;
    for (absl::string_view l : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
      if (absl::StartsWith(l, "BGP4MP")) v.emplace_back(l);
    }
    return v;
  };
  EXPECT_EQ(records(ours->output), records(theirs->output));
  EXPECT_GE(records(ours->output).size(), want.size());

  std::remove(file.c_str());
  rmdir(tmpl.c_str());
}

}  // namespace
}  // namespace interop
}  // namespace bgpy
