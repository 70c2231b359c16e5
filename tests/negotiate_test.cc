// Tests of negotiate.h: the OPEN we build, Negotiate() of two OPENs, and
// ParamsFromOpens(), the one place SessionParams come from a pair of OPENs.
#include "bgpy/negotiate.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bgpy {
namespace {

SessionConfig Config() {
  SessionConfig c;
  c.local_as = 65001;
  c.peer_as = 65002;
  c.router_id = 0x01010101;
  c.seed = 7;
  return c;
}

TEST(NegotiateTest, CapabilitiesBothWays) {
  SessionConfig c = Config();
  c.families = {kIpv4Unicast, kIpv6Unicast};
  c.add_path = {{.family = kIpv4Unicast, .send = true, .receive = true},
                {.family = kIpv6Unicast, .send = true, .receive = false}};
  c.extended_message = true;
  c.enhanced_route_refresh = true;
  c.graceful_restart =
      GracefulRestartCapability{.restart_time = 120, .entries = {}};
  c.software_version = "bgpy/0.1";
  c.hold_time = 20;
  c.keepalive_time = 0;
  Open local = BuildOpen(c);
  EXPECT_EQ(local.my_as, 65001);
  EXPECT_EQ(local.hold_time, 20);
  ASSERT_NE(local.Find<AddPathCapability>(), nullptr);
  EXPECT_EQ(local.Find<AddPathCapability>()->entries[0].mode,
            AddPathMode::kBoth);
  EXPECT_EQ(local.Find<AddPathCapability>()->entries[1].mode,
            AddPathMode::kSend);

  SessionConfig pc;
  pc.local_as = 4200000000u;  // 4-octet: My AS is AS_TRANS
  pc.router_id = 0x02020202;
  pc.families = {kIpv6Unicast, kIpv4Unicast};
  pc.add_path = {{.family = kIpv4Unicast, .send = true, .receive = false},
                 {.family = kIpv6Unicast, .send = true, .receive = true}};
  pc.extended_message = false;
  pc.enhanced_route_refresh = true;
  pc.graceful_restart =
      GracefulRestartCapability{.restart_time = 90, .entries = {}};
  pc.software_version = "peer/2";
  pc.hold_time = 60;
  Open peer = BuildOpen(pc);
  EXPECT_EQ(peer.my_as, kAsTrans);

  c.peer_as = 4200000000u;
  auto n = Negotiate(c, local, peer);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->peer_as, 4200000000u);
  EXPECT_THAT(n->families, ::testing::ElementsAre(kIpv4Unicast, kIpv6Unicast));
  // ipv4: we send+receive, peer only sends -> we receive only.
  // ipv6: we send only, peer sends+receives -> we send only.
  EXPECT_THAT(n->add_path, ::testing::ElementsAre(
                               AddPathNegotiated{kIpv4Unicast, false, true},
                               AddPathNegotiated{kIpv6Unicast, true, false}));
  EXPECT_TRUE(n->recv_params.HasAddPath(kIpv4Unicast));
  EXPECT_FALSE(n->send_params.HasAddPath(kIpv4Unicast));
  EXPECT_TRUE(n->send_params.HasAddPath(kIpv6Unicast));
  EXPECT_FALSE(n->extended_message);
  EXPECT_TRUE(n->recv_params.extended_message);  // we advertised it
  EXPECT_FALSE(n->send_params.extended_message);
  EXPECT_TRUE(n->enhanced_route_refresh);
  EXPECT_TRUE(n->graceful_restart);
  ASSERT_TRUE(n->peer_graceful_restart.has_value());
  EXPECT_EQ(n->peer_graceful_restart->restart_time, 90);
  EXPECT_EQ(n->peer_software_version, "peer/2");
  EXPECT_EQ(n->hold_time, 20);
  EXPECT_EQ(n->keepalive_time, 6);
  EXPECT_EQ(n->peer_open, peer);
  EXPECT_EQ(n->local_open, local);
}

TEST(NegotiateTest, RoleIgnoredOnIbgp) {
  SessionConfig c = Config();
  c.peer_as = 65001;
  c.role = Role::kProvider;
  c.strict_role = true;
  Open local = BuildOpen(c);
  EXPECT_EQ(local.Find<RoleCapability>(), nullptr);  // RFC 9234 §4.1
  SessionConfig pc = c;
  pc.router_id = 0x02020202;
  auto n = Negotiate(c, local, BuildOpen(pc));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_TRUE(n->ibgp);
  EXPECT_FALSE(n->local_role.has_value());
}

TEST(ParamsFromOpensTest, EachDirectionFromTheTwoOpens) {
  SessionConfig a = Config();
  a.families.assign({kIpv4Unicast, kIpv6Unicast});
  a.add_path.resize(2);
  a.add_path[0].family = kIpv4Unicast;
  a.add_path[0].send = true;
  a.add_path[1].family = kIpv6Unicast;
  a.add_path[1].send = true;
  a.add_path[1].receive = true;
  a.extended_message = true;
  SessionConfig b = Config();
  b.local_as = 65002;
  b.router_id = 0x02020202;
  b.families.assign({kIpv4Unicast, kIpv6Unicast});
  b.add_path.resize(2);
  b.add_path[0].family = kIpv4Unicast;
  b.add_path[0].receive = true;
  b.add_path[1].family = kIpv6Unicast;
  b.add_path[1].receive = true;
  b.extended_message = false;
  const Open oa = BuildOpen(a);
  const Open ob = BuildOpen(b);
  EXPECT_THAT(OfferedFamilies(oa),
              ::testing::ElementsAre(kIpv4Unicast, kIpv6Unicast));

  // a -> b: a may send path ids on both, b receives both.
  SessionParams ab = ParamsFromOpens(oa, ob);
  EXPECT_TRUE(ab.four_octet_as);
  EXPECT_FALSE(ab.extended_message);  // only one side offered it
  EXPECT_TRUE(ab.HasAddPath(kIpv4Unicast));
  EXPECT_TRUE(ab.HasAddPath(kIpv6Unicast));
  // b -> a: b sends no path ids.
  SessionParams ba = ParamsFromOpens(ob, oa);
  EXPECT_TRUE(ba.add_path_families().empty());

  // An OPEN without capability 65 makes both directions 2-octet.
  Open old = ob;
  for (OptionalParameter& p : old.parameters) {
    std::erase_if(p.capabilities, [](const Capability& c) {
      return std::holds_alternative<FourOctetAsCapability>(c);
    });
  }
  EXPECT_FALSE(ParamsFromOpens(oa, old).four_octet_as);
  EXPECT_FALSE(ParamsFromOpens(old, oa).four_octet_as);

  // Negotiate() gives the same params each way (but accepts extended
  // messages as soon as we offered them, and marks an eBGP peer's messages
  // external).
  SessionConfig ca = a;
  ca.peer_as = 65002;
  absl::StatusOr<Negotiated> n = Negotiate(ca, oa, ob);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->send_params, ab);
  SessionParams expect_recv = ba;
  expect_recv.extended_message = true;
  expect_recv.external = true;
  EXPECT_EQ(n->recv_params, expect_recv);
}

}  // namespace
}  // namespace bgpy
