// Copyright 2026 The bgpy Authors.
//
// Runs the built bgpy-inject and bgpy-listen against each other on loopback
// (127.0.0.0/8, ports picked by the kernel): routes and attributes arrive as
// sent, --sessions, --withdraw-after, usage errors, connection refused and a
// graceful SIGTERM. Every wait is bounded. Also unit-tests the route
// generator they share.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bgpy/nlri.h"
#include "bgpy/update.h"
#ifndef BGPY_NO_TOOLS
#include "common/route_gen.h"
#endif
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/json.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::kSanitizedBuild;
using ::bgpy::testing::ReadWholeFile;
using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;
using ::testing::HasSubstr;

#ifndef BGPY_NO_TOOLS

// --- The route generator
// ----------------------------------------------------------

Prefix P(absl::string_view text) {
  absl::StatusOr<Prefix> p = Prefix::Parse(text);
  EXPECT_TRUE(p.ok()) << text;
  return p.ok() ? *p : Prefix();
}

TEST(RouteGeneratorTest, EachRouteIsTheNextBlock) {
  absl::StatusOr<tools::RouteGenerator> g =
      tools::RouteGenerator::Make(P("10.0.0.0/32"), 2000);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->At(0), P("10.0.0.0/32"));
  EXPECT_EQ(g->At(256), P("10.0.1.0/32"));
  EXPECT_EQ(g->At(1999), P("10.0.7.207/32"));

  absl::StatusOr<tools::RouteGenerator> g24 =
      tools::RouteGenerator::Make(P("192.0.255.0/24"), 3, /*offset=*/1);
  ASSERT_TRUE(g24.ok());
  EXPECT_EQ(g24->At(0), P("192.1.0.0/24"));
  EXPECT_EQ(g24->At(2), P("192.1.2.0/24"));

  absl::StatusOr<tools::RouteGenerator> g6 =
      tools::RouteGenerator::Make(P("2001:db8::/64"), 70000);
  ASSERT_TRUE(g6.ok());
  EXPECT_EQ(g6->At(65536), P("2001:db8:1::/64"));
  EXPECT_EQ(g6->At(1), P("2001:db8:0:1::/64"));
}

TEST(RouteGeneratorTest, RefusesToRunPastTheAddressSpace) {
  EXPECT_TRUE(tools::RouteGenerator::Make(P("255.255.255.0/24"), 1).ok());
  EXPECT_EQ(
      tools::RouteGenerator::Make(P("255.255.255.0/24"), 2).status().code(),
      absl::StatusCode::kOutOfRange);
  EXPECT_EQ(
      tools::RouteGenerator::Make(P("255.255.254.0/24"), 1, 2).status().code(),
      absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(tools::RouteGenerator::Make(P("0.0.0.0/0"), 1).ok());
  EXPECT_FALSE(tools::RouteGenerator::Make(P("0.0.0.0/0"), 2).ok());
  EXPECT_FALSE(tools::RouteGenerator::Make(P("10.0.0.0/8"), 0).ok());
  EXPECT_TRUE(tools::RouteGenerator::Make(P("::/128"), uint64_t{1} << 40).ok());
}

// Fill() packs routes into full UPDATEs, stops at the batch size only after
// a full message, and hands out every route exactly once, in order.
TEST(RouteGeneratorTest, FillPacksEveryRouteOnceIntoFullMessages) {
  for (bool v6 : {false, true}) {
    SCOPED_TRACE(v6 ? "ipv6" : "ipv4");
    const uint64_t kCount = 5000;
    absl::StatusOr<tools::RouteGenerator> g = tools::RouteGenerator::Make(
        P(v6 ? "2001:db8::/48" : "10.0.0.0/32"), kCount);
    ASSERT_TRUE(g.ok());
    SessionParams params;
    UpdateBuilder b(params);
    PathAttributes a;
    a.origin = Origin::kIgp;
    a.as_path = AsPath{};
    std::vector<uint8_t> nh;
    if (v6) {
      nh.assign(16, 0);
      nh[0] = 0x20;
      nh[1] = 0x01;
      nh[15] = 1;
    } else {
      a.next_hop = IpAddress::V4(0xc0000201);
    }
    ASSERT_TRUE(b.SetAttributes(a, v6 ? kIpv6Unicast : kIpv4Unicast, nh).ok());

    uint64_t messages = 0, seen = 0;
    int batches = 0;
    while (!g->done()) {
      std::vector<uint8_t> out;
      const uint64_t before = messages;
      uint64_t n =
          g->Fill(b, out, UINT64_MAX, 8192, false, std::nullopt, &messages);
      ++batches;
      ASSERT_GT(n, 0u);
      ASSERT_EQ(b.pending(), 0u);
      // Walk the messages of the batch.
      size_t off = 0;
      uint64_t in_batch = 0;
      while (off < out.size()) {
        ASSERT_GE(out.size() - off, kHeaderSize);
        const size_t len = (size_t{out[off + 16]} << 8) | out[off + 17];
        ASSERT_LE(len, kMaxMessageSize);
        absl::StatusOr<UpdateView> v = UpdateView::Parse(
            absl::MakeConstSpan(out).subspan(off, len), params);
        ASSERT_TRUE(v.ok()) << v.status();
        NlriView nlri = v6 ? *v->mp_reach_nlri() : v->nlri();
        for (const NlriEntryView& e : nlri) {
          Prefix want = g->At(seen);
          ASSERT_EQ(NlriEntry::FromView(e), NlriEntry::FromPrefix(want))
              << "route " << seen;
          ++seen;
        }
        // Every message but the last of all is full: one more route would
        // not have fit.
        if (seen < kCount) {
          const size_t entry = 1 + (v6 ? 6 : 4);
          EXPECT_GT(len + entry, kMaxMessageSize) << "message not full";
        }
        off += len;
        ++in_batch;
      }
      EXPECT_EQ(in_batch, messages - before);
    }
    EXPECT_EQ(seen, kCount);
    EXPECT_GT(batches, 1);
    // Rewind starts over.
    g->Rewind();
    EXPECT_EQ(g->emitted(), 0u);
    std::vector<uint8_t> out;
    EXPECT_EQ(g->Fill(b, out, 3, SIZE_MAX, true, std::nullopt, &messages), 3u);
  }
}

// --- Running the tools
// ------------------------------------------------------------

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out = absl::StrSplit(s, '\n', absl::SkipEmpty());
  return out;
}

// bgpy-listen on 127.0.0.1, a port the kernel picks (--listen=...:0).
class Listener {
 public:
  explicit Listener(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--local-as=65001",
                                     "--print=json", "--duration=20s"};
    args.insert(args.end(), extra.begin(), extra.end());
    proc_ = std::make_unique<ToolProcess>(ToolPath("bgpy-listen"), args);
    EXPECT_TRUE(proc_->WaitFor("listening on 127.0.0.1:")) << proc_->err();
    std::string err = proc_->err();
    size_t at = err.find("listening on 127.0.0.1:");
    if (at != std::string::npos) {
      size_t start = at + std::string("listening on 127.0.0.1:").size();
      size_t end = err.find(',', start);
      EXPECT_TRUE(absl::SimpleAtoi(err.substr(start, end - start), &port_));
    }
  }
  ToolProcess& proc() { return *proc_; }
  int port() const { return port_; }
  // Stops it (SIGTERM) and returns every JSON line it printed.
  std::vector<JsonValue> Stop() {
    proc_->Signal(SIGTERM);
    EXPECT_EQ(proc_->Wait(), 0) << proc_->err();
    std::vector<JsonValue> out;
    for (const std::string& line : Lines(proc_->out())) {
      absl::StatusOr<JsonValue> v = ParseJson(line);
      EXPECT_TRUE(v.ok()) << v.status() << ": " << line;
      if (v.ok()) out.push_back(*v);
    }
    return out;
  }

 private:
  std::unique_ptr<ToolProcess> proc_;
  int port_ = 0;
};

std::string Text(const JsonValue& v, absl::string_view key) {
  const std::string* t = v.GetText(key);
  return t != nullptr ? *t : "";
}

// Prefixes of one family announced (or withdrawn) over all UPDATEs.
std::vector<std::string> Routes(const std::vector<JsonValue>& msgs,
                                absl::string_view what,
                                absl::string_view family = "ipv4-unicast") {
  std::vector<std::string> out;
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE") continue;
    const JsonValue* routes = m.Get(what);
    if (routes == nullptr) continue;
    const JsonValue* list = routes->Get(family);
    if (list == nullptr) continue;
    for (const JsonValue& r : list->items()) out.push_back(Text(r, "prefix"));
  }
  return out;
}

std::vector<std::string> V4Range(uint32_t first, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    uint32_t a = first + i;
    out.push_back(absl::StrCat(a >> 24, ".", (a >> 16) & 255, ".",
                               (a >> 8) & 255, ".", a & 255, "/32"));
  }
  return out;
}

std::vector<std::string> InjectArgs(int port, std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "--peer=127.0.0.1",          absl::StrCat("--port=", port),
      "--local-address=127.0.0.2", "--local-as=65500",
      "--prefix=10.0.0.0/32",      "--print=none"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// examples/embed/embed.cc (a Session in the caller's own poll() loop, no
// bgpy::posix) establishes with bgpy-listen, announces, and stops with
// Cease and its shutdown text.
TEST(InjectListenTest, EmbedExampleDrivesASessionFromItsOwnLoop) {
  Listener listen;
  ToolProcess embed(ToolPath("bgpy-embed-example"),
                    {"127.0.0.1", absl::StrCat(listen.port()), "65002", "25"});
  EXPECT_EQ(embed.Wait(), 0) << embed.err();
  EXPECT_TRUE(absl::StrContains(embed.out(), "OpenConfirm -> Established"))
      << embed.out();
  ASSERT_TRUE(listen.proc().WaitFor("embed example done"))
      << listen.proc().err();
  std::vector<JsonValue> msgs = listen.Stop();
  EXPECT_EQ(Routes(msgs, "announce"), V4Range(0x0a000000, 25));
}

TEST(InjectListenTest, AnnouncesRoutesWithTheirAttributes) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      InjectArgs(listen.port(), {"--count=2000", "--duration=2s", "--med=50",
                                 "--communities=65000:1,65000:2",
                                 "--large-communities=65000:1:2",
                                 "--ext-communities=rt:65000:1",
                                 "--as-path=65500 65010", "--print=json"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("127.0.0.2 -> 127.0.0.1:"));
  EXPECT_THAT(inject.err(), HasSubstr(": 2000 routes, "));
  EXPECT_THAT(inject.err(), HasSubstr("total (1 session): 2000 routes, "));
  // inject printed what it received (the listener's OPEN) as JSON lines.
  EXPECT_THAT(inject.out(), HasSubstr("\"type\":\"OPEN\""));

  std::vector<JsonValue> msgs = listen.Stop();
  EXPECT_EQ(Routes(msgs, "announce"), V4Range(0x0a000000, 2000));
  EXPECT_TRUE(Routes(msgs, "withdraw").empty());
  int updates = 0;
  bool eor = false;
  for (const JsonValue& m : msgs) {
    EXPECT_EQ(Text(m, "peer"), "127.0.0.2");
    if (Text(m, "type") != "UPDATE") continue;
    if (Text(m, "end_of_rib") == "ipv4-unicast") {
      eor = true;
      continue;
    }
    ++updates;
    const JsonValue* a = m.Get("attributes");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(Text(*a, "origin"), "IGP");
    EXPECT_EQ(Text(*a, "next_hop"), "127.0.0.2");  // the local address
    EXPECT_EQ(Text(*a, "med"), "50");
    // eBGP and the path starts with our AS: sent as given.
    EXPECT_EQ(::bgpy::testing::FindAllText(*a, "asns"),
              std::vector<std::string>({"65500", "65010"}));
    auto list = [a](absl::string_view key) {
      std::vector<std::string> out;
      if (const JsonValue* v = a->Get(key))
        for (const JsonValue& c : v->items()) out.push_back(c.text());
      return out;
    };
    EXPECT_EQ(list("communities"),
              std::vector<std::string>({"65000:1", "65000:2"}));
    EXPECT_EQ(list("large_communities"),
              std::vector<std::string>({"65000:1:2"}));
    EXPECT_EQ(list("ext_communities"),
              std::vector<std::string>({"rt:65000:1"}));
  }
  EXPECT_TRUE(eor);
  EXPECT_GE(updates, 1);
  // The session ended with Cease / Administrative Shutdown from inject.
  EXPECT_THAT(listen.proc().err(),
              HasSubstr("NOTIFICATION received: Cease / Administrative "
                        "Shutdown (6/2)"));
  EXPECT_THAT(listen.proc().err(), HasSubstr("ipv4-unicast 2000 announced"));
}

// bgpy-listen announces nothing, so its initial update is complete at once:
// it sends End-of-RIB for exactly the negotiated families (a speaker that
// negotiated RTC waits for the RTC one before sending VPN routes, RFC 4684
// §6; GoBGP sends nothing at all until then).
TEST(InjectListenTest, ListenSendsEndOfRibForEveryNegotiatedFamily) {
  Listener listen(
      {"--families=ipv4-unicast,l3vpn-ipv4-unicast,rtc,"
       "l2vpn-evpn"});
  ASSERT_NE(listen.port(), 0);
  // inject offers ipv4-unicast (injected), rtc and l3vpn-ipv4-unicast
  // (--receive-families); l2vpn-evpn is offered by listen only.
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      InjectArgs(listen.port(), {"--count=10", "--duration=2s", "--print=json",
                                 "--receive-families=rtc,l3vpn-ipv4-unicast"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::multiset<std::string> eors;
  for (const std::string& line : Lines(inject.out())) {
    absl::StatusOr<JsonValue> v = ParseJson(line);
    ASSERT_TRUE(v.ok()) << v.status() << ": " << line;
    if (Text(*v, "type") == "UPDATE") {
      EXPECT_NE(Text(*v, "end_of_rib"), "") << line;  // nothing else
      eors.insert(Text(*v, "end_of_rib"));
    }
  }
  EXPECT_EQ(eors, std::multiset<std::string>(
                      {"ipv4-unicast", "l3vpn-ipv4-unicast", "rtc"}))
      << inject.out();
  listen.Stop();
}

TEST(InjectListenTest, ThreeSessionsFromConsecutiveAddresses) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(listen.port(), {"--count=100", "--sessions=3",
                                                "--duration=2s"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("total (3 sessions): 300 routes"));
  std::vector<JsonValue> msgs = listen.Stop();
  std::set<std::string> open_peers;
  for (const JsonValue& m : msgs)
    if (Text(m, "type") == "OPEN") open_peers.insert(Text(m, "peer"));
  EXPECT_EQ(open_peers,
            std::set<std::string>({"127.0.0.2", "127.0.0.3", "127.0.0.4"}));
  const std::string err = listen.proc().err();
  int established = 0;
  for (size_t at = 0; (at = err.find("-> Established", at)) != err.npos; ++at)
    ++established;
  EXPECT_EQ(established, 3) << err;
  // Offset prefixes (the default): 300 distinct routes.
  std::vector<std::string> routes = Routes(msgs, "announce");
  std::set<std::string> distinct(routes.begin(), routes.end());
  EXPECT_EQ(routes.size(), 300u);
  std::vector<std::string> want = V4Range(0x0a000000, 300);
  EXPECT_EQ(distinct, std::set<std::string>(want.begin(), want.end()));
}

TEST(InjectListenTest, WithdrawAfterLeavesNothing) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      InjectArgs(listen.port(),
                 {"--count=500", "--withdraw-after=300ms", "--duration=2s"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("500 withdrawn"));
  std::vector<JsonValue> msgs = listen.Stop();
  std::vector<std::string> announced = Routes(msgs, "announce");
  std::vector<std::string> withdrawn = Routes(msgs, "withdraw");
  EXPECT_EQ(announced, V4Range(0x0a000000, 500));
  EXPECT_EQ(withdrawn, announced);  // every route withdrawn: 0 left
}

TEST(InjectListenTest, SigtermSendsCeaseAndExitsZero) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(listen.port(), {"--count=10"}));
  ASSERT_TRUE(listen.proc().WaitForStdout("\"end_of_rib\""))
      << listen.proc().err();
  inject.Signal(SIGTERM);
  EXPECT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("10 routes"));
  std::vector<JsonValue> msgs = listen.Stop();
  ASSERT_FALSE(msgs.empty());
  const JsonValue& last = msgs.back();
  EXPECT_EQ(Text(last, "type"), "NOTIFICATION");
  EXPECT_EQ(Text(last, "code"), "6");
  EXPECT_EQ(Text(last, "subcode"), "2");
  EXPECT_EQ(Text(last, "subcode_name"), "Administrative Shutdown");
}

TEST(InjectListenTest, Ipv6UnicastWithNextHopAndPrependedAs) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.0.2", "--local-as=65500", "--family=ipv6-unicast",
       "--prefix=2001:db8::/64", "--count=300", "--next-hop=2001:db8::1",
       "--as-path=65010", "--duration=1s", "--print=none"});
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::vector<JsonValue> msgs = listen.Stop();
  std::vector<std::string> routes = Routes(msgs, "announce", "ipv6-unicast");
  ASSERT_EQ(routes.size(), 300u);
  EXPECT_EQ(routes[0], "2001:db8::/64");
  EXPECT_EQ(routes[299], "2001:db8:0:12b::/64");
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE" || m.Get("end_of_rib") != nullptr) continue;
    EXPECT_EQ(Text(m, "next_hop"), "2001:db8::1");
    // eBGP: our AS is prepended to the configured path.
    EXPECT_EQ(::bgpy::testing::FindAllText(*m.Get("attributes"), "asns"),
              std::vector<std::string>({"65500", "65010"}));
  }
}

// Any family whose row decodes can be injected: the family list comes from
// the registry, not from a list in the tool.
TEST(InjectListenTest, Ipv4MulticastFromTheFamilyTable) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.0.2", "--local-as=65500",
       "--family=ipv4-multicast", "--prefix=232.0.0.0/32", "--count=500",
       "--duration=1s", "--print=none"});
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::vector<JsonValue> msgs = listen.Stop();
  std::vector<std::string> routes = Routes(msgs, "announce", "ipv4-multicast");
  ASSERT_EQ(routes.size(), 500u);
  EXPECT_EQ(routes[0], "232.0.0.0/32");
  EXPECT_EQ(routes[499], "232.0.1.243/32");
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE" || m.Get("end_of_rib") != nullptr) continue;
    EXPECT_EQ(Text(m, "next_hop"), "127.0.0.2");
  }
}

// RFC 8950: IPv4 unicast routes with an IPv6 next hop. bgpy-inject offers
// extended next hop for them, bgpy-listen agrees, and the routes travel in
// MP_REACH_NLRI (AFI 1, SAFI 1) with a 16-octet next hop.
TEST(InjectListenTest, Ipv4UnicastWithAnIpv6NextHop) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.0.2", "--local-as=65500", "--family=ipv4-unicast",
       "--prefix=10.9.0.0/24", "--count=200", "--next-hop=2001:db8::9",
       "--duration=1s", "--print=none"});
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::vector<JsonValue> msgs = listen.Stop();
  std::vector<std::string> routes = Routes(msgs, "announce", "ipv4-unicast");
  ASSERT_EQ(routes.size(), 200u);
  EXPECT_EQ(routes[0], "10.9.0.0/24");
  EXPECT_EQ(routes[199], "10.9.199.0/24");
  int updates = 0;
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE" || m.Get("end_of_rib") != nullptr) continue;
    ++updates;
    EXPECT_EQ(Text(m, "next_hop"), "2001:db8::9");
    // No NEXT_HOP attribute: the next hop is MP_REACH_NLRI's.
    EXPECT_THAT(::bgpy::testing::FindAllText(*m.Get("attributes"), "code"),
                ::testing::Not(::testing::Contains("3")));
  }
  EXPECT_GT(updates, 0);
}

TEST(InjectListenTest, FlapWithdrawsAndReannounces) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(listen.port(), {"--count=50", "--flap=300ms",
                                                "--duration=1500ms"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::vector<JsonValue> msgs = listen.Stop();
  const size_t announced = Routes(msgs, "announce").size();
  const size_t withdrawn = Routes(msgs, "withdraw").size();
  // Announce at 0, withdraw at ~0.3 s, announce at ~0.6 s, ...
  EXPECT_GE(announced, 100u);
  EXPECT_GE(withdrawn, 50u);
  EXPECT_EQ(announced % 50, 0u);
  EXPECT_EQ(withdrawn % 50, 0u);
  EXPECT_LE(announced - withdrawn, 50u);
}

TEST(InjectListenTest, NotificationSentExitsTwoNamingIt) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(listen.port(), {"--count=10", "--peer-as=65999",
                                                "--duration=5s"}));
  EXPECT_EQ(inject.Wait(), 2) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("NOTIFICATION sent: OPEN Message Error "
                                      "/ Bad Peer AS (2/2)"));
  std::vector<JsonValue> msgs = listen.Stop();
  ASSERT_FALSE(msgs.empty());
  EXPECT_EQ(Text(msgs.back(), "type"), "NOTIFICATION");
  EXPECT_EQ(Text(msgs.back(), "code"), "2");
  EXPECT_EQ(Text(msgs.back(), "subcode"), "2");
}

// A port with nothing listening on 127.0.0.1.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(0x7f000001);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  socklen_t len = sizeof(sin);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
  close(fd);  // bound, never listened: refused until someone takes it
  return ntohs(sin.sin_port);
}

TEST(InjectListenTest, ConnectionRefusedExitsTwo) {
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(ClosedPort(), {"--count=10", "--duration=5s"}));
  EXPECT_EQ(inject.Wait(), 2) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("Connection refused"));
  EXPECT_THAT(inject.err(), HasSubstr("not established"));
}

TEST(InjectListenTest, UsageErrorsExitOneNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string want;
  };
  const Case cases[] = {
      // Typed flags: Abseil names the flag ("... for flag 'count'").
      {{"--count=abc"}, "--count"},
      {{"--count=10", "--med=-1"}, "flag 'med'"},
      {{"--count=10", "--duration=soon"}, "flag 'duration'"},
      {{"--count=10", "--duration=0"}, "--duration: '0' must be positive"},
      {{"--count=10", "--sessions=0"}, "--sessions"},
      {{"--count=10", "--family=bogus"}, "--family"},
      {{"--count=10", "--mrt=x.mrt"}, "--count: not used with --mrt"},
      {{"--count=10", "--communities=65000:x"}, "--communities"},
      {{"--count=10", "--hold-time=2"}, "--hold-time"},
      {{"--count=10", "--no-such-flag=1"}, "no_such_flag"},
      {{"--count=10", "--flap=1s", "--withdraw-after=1s"}, "--flap"},
  };
  std::vector<Case> all(std::begin(cases), std::end(cases));
  // A family the table names but does not decode yet (if any is left).
  for (const FamilyDesc* d : RegisteredFamilies()) {
    if (!d->opaque) continue;
    Case c;
    c.args = {"--count=10", absl::StrCat("--family=", d->name)};
    c.want = "not available yet";
    all.push_back(c);
    break;
  }
  for (const Case& c : all) {
    SCOPED_TRACE(c.args.back());
    ToolProcess inject(ToolPath("bgpy-inject"), InjectArgs(9, c.args));
    EXPECT_EQ(inject.Wait(), 1);
    std::string err = inject.err();
    EXPECT_THAT(err, HasSubstr(c.want));
    EXPECT_EQ(Lines(err).size(), 1u) << err;
  }
  ToolProcess listen(ToolPath("bgpy-listen"),
                     {"--local-as=65001", "--mrt-out=/nonexistent-dir/x.mrt"});
  EXPECT_EQ(listen.Wait(), 1);
  EXPECT_THAT(listen.err(), HasSubstr("--mrt-out: cannot open"));
  ToolProcess no_as(ToolPath("bgpy-listen"), {"--listen=127.0.0.1:0"});
  EXPECT_EQ(no_as.Wait(), 1);
  EXPECT_THAT(no_as.err(), HasSubstr("--local-as"));
}

// /proc/PID/status field `key` ("VmRSS", "Threads"): its number, or -1.
int64_t ProcStatus(pid_t pid, absl::string_view key) {
  for (const std::string& line :
       Lines(ReadWholeFile(absl::StrCat("/proc/", pid, "/status")))) {
    if (!absl::StartsWith(line, absl::StrCat(key, ":"))) continue;
    std::vector<std::string> f =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    int64_t v = -1;
    if (f.size() >= 2 && absl::SimpleAtoi(f[1], &v)) return v;
  }
  return -1;
}

int Count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t at = 0; (at = s.find(what, at)) != s.npos; at += what.size()) ++n;
  return n;
}

// --sessions=1000 from one process on one thread (DESIGN.md: one loop, many
// sessions): sources 127.0.1.1 .. 127.0.4.232, every session Established,
// every route arrives.
TEST(InjectListenTest, ThousandSessionsOnOneThread) {
  constexpr int kSessions = 1000;
  constexpr int kCount = 10;
  Listener listen({"--print=none", "--duration=55s"});
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.1.1", "--local-as=65500", "--prefix=10.0.0.0/32",
       absl::StrCat("--count=", kCount), absl::StrCat("--sessions=", kSessions),
       "--print=none", "--duration=50s"});
  // Every session Established at the listener.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(40);
  int established = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    established = Count(listen.proc().err(), "-> Established");
    if (established >= kSessions) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(established, kSessions) << inject.err();
  // One thread, however many sessions.
  EXPECT_EQ(ProcStatus(inject.pid(), "Threads"), 1);
  const int64_t rss_kb = ProcStatus(inject.pid(), "VmRSS");
  EXPECT_GT(rss_kb, 0);
  // Not bounded in a sanitizer build: ASan's shadow and quarantine.
  if (!kSanitizedBuild) {
    EXPECT_LT(rss_kb, 200 * 1024) << "RSS " << rss_kb << " kB";
  }
  std::fprintf(stderr, "bgpy-inject: %d sessions, RSS %lld kB\n", kSessions,
               static_cast<long long>(rss_kb));
  // Routes are in flight; the End-of-RIB of each session ends them.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  inject.Signal(SIGTERM);
  ASSERT_EQ(inject.Wait(std::chrono::seconds(15)), 0) << inject.err();
  EXPECT_THAT(inject.err(),
              HasSubstr(absl::StrCat("total (", kSessions, " sessions): ",
                                     kSessions * kCount, " routes")));
  EXPECT_THAT(inject.err(), ::testing::Not(HasSubstr("not established")));
  listen.Stop();
  const std::string err = listen.proc().err();
  EXPECT_EQ(Count(err, absl::StrCat("ipv4-unicast ", kCount, " announced")),
            kSessions)
      << err.substr(0, 2000);
}

// --- Families, ADD-PATH and what is offered (issue 8)
// ----------------------------------------------

// The families of the Multiprotocol capabilities of the first OPEN in
// `msgs`, in order.
std::vector<std::string> OpenFamilies(const std::vector<JsonValue>& msgs) {
  std::vector<std::string> out;
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "OPEN") continue;
    if (const JsonValue* caps = m.Get("capabilities")) {
      for (const JsonValue& c : caps->items())
        if (Text(c, "code") == "1") out.push_back(Text(c, "family"));
    }
    break;
  }
  return out;
}

std::vector<JsonValue> JsonLines(const std::string& text) {
  std::vector<JsonValue> out;
  for (const std::string& line : Lines(text)) {
    absl::StatusOr<JsonValue> v = ParseJson(line);
    EXPECT_TRUE(v.ok()) << v.status() << ": " << line;
    if (v.ok()) out.push_back(*v);
  }
  return out;
}

std::vector<std::string> DecodedNames() {
  std::vector<std::string> out;
  for (Family f : DecodedFamilies()) out.push_back(FamilyName(f));
  return out;
}

// Two families in one session, a count each: each family's routes arrive in
// UPDATEs of their own, exactly as many as asked.
TEST(InjectFamiliesTest, TwoFamiliesInOneSessionWithACountList) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.0.2", "--local-as=65500",
       "--family=ipv4-unicast,ipv6-unicast",
       "--prefix=10.0.0.0/32,2001:db8::/64", "--next-hop=127.0.0.2,2001:db8::1",
       "--count=30,20", "--duration=1s", "--print=none"});
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("total (1 session): 50 routes"));
  std::vector<JsonValue> msgs = listen.Stop();
  EXPECT_EQ(Routes(msgs, "announce", "ipv4-unicast"), V4Range(0x0a000000, 30));
  std::vector<std::string> v6 = Routes(msgs, "announce", "ipv6-unicast");
  ASSERT_EQ(v6.size(), 20u);
  EXPECT_EQ(v6[0], "2001:db8::/64");
  EXPECT_EQ(v6[19], "2001:db8:0:13::/64");
  std::set<std::string> eor;
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE") continue;
    if (m.Get("end_of_rib") != nullptr) {
      eor.insert(Text(m, "end_of_rib"));
      continue;
    }
    // One family per UPDATE.
    EXPECT_EQ(m.Get("announce")->members().size(), 1u);
  }
  EXPECT_EQ(eor, std::set<std::string>({"ipv4-unicast", "ipv6-unicast"}));
  EXPECT_THAT(listen.proc().err(), HasSubstr("ipv4-unicast 30 announced"));
  EXPECT_THAT(listen.proc().err(), HasSubstr("ipv6-unicast 20 announced"));
}

// --add-path=2: every prefix twice, path ids 1 and 2, next hops +0 and +1.
TEST(InjectFamiliesTest, AddPathSendsTwoPathsPerPrefix) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(listen.port(), {"--count=10", "--add-path=2",
                                                "--duration=1s"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  EXPECT_THAT(inject.err(), HasSubstr("total (1 session): 20 routes"));
  std::vector<JsonValue> msgs = listen.Stop();
  std::map<std::string, std::set<std::string>> paths;  // prefix -> "id nh"
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE" || m.Get("end_of_rib") != nullptr) continue;
    const JsonValue* list = m.Get("announce")->Get("ipv4-unicast");
    ASSERT_NE(list, nullptr);
    for (const JsonValue& r : list->items()) {
      paths[Text(r, "prefix")].insert(
          absl::StrCat(Text(r, "path_id"), " ", Text(m, "next_hop")));
    }
  }
  ASSERT_EQ(paths.size(), 10u);
  for (const std::string& p : V4Range(0x0a000000, 10)) {
    EXPECT_EQ(paths[p], std::set<std::string>({"1 127.0.0.2", "2 127.0.0.3"}))
        << p;
  }
}

// --receive-families: what inject's OPEN offers besides --family.
TEST(InjectFamiliesTest, ReceiveFamiliesShapeTheOpen) {
  std::vector<std::string> all = {"ipv4-multicast"};
  for (const std::string& n : DecodedNames())
    if (n != "ipv4-multicast") all.push_back(n);
  struct Case {
    std::string flag;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"", {"ipv4-multicast", "ipv4-unicast", "ipv6-unicast"}},
      {"--receive-families=none", {"ipv4-multicast"}},
      {"--receive-families=ipv6-unicast", {"ipv4-multicast", "ipv6-unicast"}},
      {"--receive-families=all", all},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flag);
    Listener listen;
    ASSERT_NE(listen.port(), 0);
    std::vector<std::string> args = {"--family=ipv4-multicast",
                                     "--prefix=232.0.0.0/32", "--count=3",
                                     "--duration=300ms"};
    if (!c.flag.empty()) args.push_back(c.flag);
    ToolProcess inject(ToolPath("bgpy-inject"),
                       InjectArgs(listen.port(), args));
    ASSERT_EQ(inject.Wait(), 0) << inject.err();
    std::vector<JsonValue> msgs = listen.Stop();
    EXPECT_EQ(OpenFamilies(msgs), c.want);
  }
}

// bgpy-listen offers every decoded family by default; --families narrows
// its OPEN (inject prints what it receives).
TEST(InjectFamiliesTest, ListenFamiliesNarrowsItsOpen) {
  for (const std::string& flag :
       {std::string(), std::string("--families=ipv4-unicast,rtc")}) {
    SCOPED_TRACE(flag);
    Listener listen(flag.empty() ? std::vector<std::string>{}
                                 : std::vector<std::string>{flag});
    ASSERT_NE(listen.port(), 0);
    ToolProcess inject(
        ToolPath("bgpy-inject"),
        InjectArgs(listen.port(),
                   {"--count=1", "--duration=300ms", "--print=json"}));
    ASSERT_EQ(inject.Wait(), 0) << inject.err();
    listen.Stop();
    EXPECT_EQ(OpenFamilies(JsonLines(inject.out())),
              flag.empty() ? DecodedNames()
                           : std::vector<std::string>({"ipv4-unicast", "rtc"}));
  }
}

// RTC membership routes (RFC 4684) from --route-targets, origin AS = ours.
TEST(InjectFamiliesTest, RtcRoutesFromRouteTargets) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.0.2", "--local-as=65500", "--family=rtc",
       "--route-targets=rt:65000:100", "--count=5", "--duration=1s",
       "--print=none"});
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::vector<JsonValue> msgs = listen.Stop();
  std::vector<std::string> rtc;
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE" || m.Get("end_of_rib") != nullptr) continue;
    EXPECT_EQ(Text(m, "next_hop"), "127.0.0.2");
    EXPECT_EQ(
        ::bgpy::testing::FindAllText(*m.Get("attributes"), "ext_communities"),
        std::vector<std::string>({"rt:65000:100"}));
    if (const JsonValue* list = m.Get("announce")->Get("rtc"))
      for (const JsonValue& r : list->items()) rtc.push_back(Text(r, "rtc"));
  }
  EXPECT_EQ(
      rtc, std::vector<std::string>({"65500:rt:65000:100", "65500:rt:65000:101",
                                     "65500:rt:65000:102", "65500:rt:65000:103",
                                     "65500:rt:65000:104"}));
  EXPECT_THAT(listen.proc().err(), HasSubstr("End-of-RIB rtc (5 announced)"));
}

// FlowSpec rules are not forwarded to a next hop: without --next-hop they
// carry none (length 0) rather than the local address, so ipv6-flowspec runs
// over an IPv4 session too (an IPv4 address is no IPv6 FlowSpec next hop).
TEST(InjectFamiliesTest, FlowspecCarriesNoNextHopByDefault) {
  Listener listen;
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      {"--peer=127.0.0.1", absl::StrCat("--port=", listen.port()),
       "--local-address=127.0.0.2", "--local-as=65500",
       "--family=ipv4-flowspec,ipv6-flowspec", "--count=2",
       "--prefix=10.0.0.0/24,2001:db8::/48",
       "--flowspec=destination {prefix} action discard", "--duration=1s",
       "--print=none"});
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  std::vector<JsonValue> msgs = listen.Stop();
  std::vector<std::string> rules, next_hops;
  for (const JsonValue& m : msgs) {
    if (Text(m, "type") != "UPDATE" || m.Get("end_of_rib") != nullptr) continue;
    const JsonValue* attrs = m.Get("attributes");
    ASSERT_NE(attrs, nullptr);
    for (const std::string& nh :
         ::bgpy::testing::FindAllText(*attrs, "next_hop"))
      next_hops.push_back(nh);
    for (const auto& [family, list] : m.Get("announce")->members())
      for (const JsonValue& r : list.items())
        rules.push_back(absl::StrCat(family, " ", Text(r, "rule")));
  }
  EXPECT_EQ(rules, std::vector<std::string>(
                       {"ipv4-flowspec destination 10.0.0.0/24",
                        "ipv4-flowspec destination 10.0.1.0/24",
                        "ipv6-flowspec destination 2001:db8::/48",
                        "ipv6-flowspec destination 2001:db8:1::/48"}));
  EXPECT_EQ(next_hops, std::vector<std::string>({"", ""}));
}

TEST(InjectFamiliesTest, UsageErrorsOfTheNewFlags) {
  struct Case {
    std::vector<std::string> args;
    std::string want;
  };
  const Case cases[] = {
      {{"--count=1,2"}, "--count"},
      {{"--family=rtc", "--count=1"}, "--route-targets"},
      {{"--count=1", "--rd=bogus"}, "--rd"},
      {{"--count=1", "--rd-step=x"}, "rd_step"},
      {{"--count=1", "--label=5"}, "--label"},
      {{"--count=1", "--label-step=2000000"}, "--label-step"},
      {{"--count=1", "--route-targets=rt:x"}, "--route-targets"},
      {{"--count=1", "--route-targets=ro:65000:1"}, "--route-targets"},
      {{"--count=1", "--evpn-route-type=9"}, "--evpn-route-type"},
      {{"--count=1", "--mac=zz"}, "--mac"},
      {{"--count=1", "--esi=zz"}, "--esi"},
      {{"--count=1", "--ethernet-tag=-1"}, "ethernet_tag"},
      {{"--count=1", "--vni=16777216"}, "--vni"},
      {{"--count=1", "--add-path=5000"}, "--add-path"},
      {{"--count=1", "--receive-families=bogus"}, "--receive-families"},
      {{"--count=1", "--family=ipv4-unicast,ipv4-unicast"}, "--family"},
      {{"--count=1", "--family=ipv6-unicast"}, "--prefix"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.back());
    ToolProcess inject(ToolPath("bgpy-inject"), InjectArgs(9, c.args));
    EXPECT_EQ(inject.Wait(), 1);
    const std::string err = inject.err();
    EXPECT_THAT(err, HasSubstr(c.want));
    EXPECT_EQ(Lines(err).size(), 1u) << err;
  }
  ToolProcess listen(ToolPath("bgpy-listen"),
                     {"--local-as=65001", "--families=bogus"});
  EXPECT_EQ(listen.Wait(), 1);
  EXPECT_THAT(listen.err(), HasSubstr("--families"));
  EXPECT_EQ(Lines(listen.err()).size(), 1u) << listen.err();
  // --help lists the families from the table.
  ToolProcess help(ToolPath("bgpy-inject"), {"--helpfull"});
  help.Wait();
  for (const std::string& n : DecodedNames())
    EXPECT_THAT(help.out() + help.err(), HasSubstr(n));
}

#endif  // BGPY_NO_TOOLS

}  // namespace
}  // namespace bgpy
