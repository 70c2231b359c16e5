// Copyright 2026 The bgpy Authors.
//
// One Session against a scripted peer on a fake clock: every byte the
// session sends is asserted, every input is hand-built.
#include "bgpy/session.h"

#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"
#include "testlib/session_pair.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FakeEpoch;
using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";

// Local 65001 / 1.1.1.1, expecting 65002, hold 90.
SessionConfig Config() {
  SessionConfig c;
  c.local_as = 65001;
  c.peer_as = 65002;
  c.router_id = 0x01010101;
  c.seed = 7;
  return c;
}

// Our OPEN for Config(), field by field (RFC 4271 §4.2, RFC 5492).
std::string LocalOpenHex() {
  return absl::StrCat(kMarker,
                      "002d"          // length 45
                      "01"            // type OPEN
                      "04"            // version 4
                      "fde9"          // My AS 65001
                      "005a"          // hold time 90
                      "01010101"      // BGP Identifier 1.1.1.1
                      "10"            // optional parameters length 16
                      "020e"          // parameter 2 (capabilities), length 14
                      "010400010001"  // MP ipv4-unicast (RFC 4760)
                      "0200"          // route refresh (RFC 2918)
                      "41040000fde9"  // 4-octet AS 65001 (RFC 6793)
  );
}

// A peer OPEN built by hand. `caps` are capability TLVs; `params` further
// optional parameters (type, length, value), appended after the
// capabilities parameter.
std::vector<uint8_t> PeerOpen(uint8_t version = 4, uint16_t my_as = 65002,
                              uint16_t hold = 30, uint32_t id = 0x02020202,
                              std::string caps =
                                  "010400010001"
                                  "0200"
                                  "41040000fdea",
                              std::string params = "") {
  std::vector<uint8_t> cap_bytes = FromHex(caps);
  std::vector<uint8_t> extra = FromHex(params);
  std::vector<uint8_t> opt;
  if (!cap_bytes.empty()) {
    opt.push_back(2);
    opt.push_back(static_cast<uint8_t>(cap_bytes.size()));
    opt.insert(opt.end(), cap_bytes.begin(), cap_bytes.end());
  }
  opt.insert(opt.end(), extra.begin(), extra.end());
  std::vector<uint8_t> m = FromHex(kMarker);
  size_t len = 19 + 10 + opt.size();
  m.push_back(static_cast<uint8_t>(len >> 8));
  m.push_back(static_cast<uint8_t>(len));
  m.push_back(1);
  m.push_back(version);
  m.push_back(static_cast<uint8_t>(my_as >> 8));
  m.push_back(static_cast<uint8_t>(my_as));
  m.push_back(static_cast<uint8_t>(hold >> 8));
  m.push_back(static_cast<uint8_t>(hold));
  for (int s = 24; s >= 0; s -= 8) m.push_back(static_cast<uint8_t>(id >> s));
  m.push_back(static_cast<uint8_t>(opt.size()));
  m.insert(m.end(), opt.begin(), opt.end());
  return m;
}

std::vector<uint8_t> Keepalive() {
  return FromHex(absl::StrCat(kMarker, "001304"));
}
// NOTIFICATION without data.
std::string NotificationHex(int code, int sub) {
  return absl::StrCat(kMarker, "0015", "03", absl::Hex(code, absl::kZeroPad2),
                      absl::Hex(sub, absl::kZeroPad2));
}
// Empty UPDATE = IPv4 unicast End-of-RIB (RFC 4724 §2).
std::vector<uint8_t> EmptyUpdate() {
  return FromHex(absl::StrCat(kMarker, "0017", "02", "0000", "0000"));
}
// ROUTE-REFRESH ipv4-unicast, subtype `sub` (RFC 2918 §3, RFC 7313 §3).
std::vector<uint8_t> RouteRefreshMsg(int sub = 0) {
  return FromHex(absl::StrCat(kMarker, "0017", "05", "0001",
                              absl::Hex(sub, absl::kZeroPad2), "01"));
}

std::string Out(Session& s) {
  std::string hex = ToHex(s.PendingOutput());
  s.ConsumeOutput(s.PendingOutput().size(), FakeEpoch());
  return hex;
}

std::vector<SessionEvent> Drain(Session& s) {
  std::vector<SessionEvent> v;
  while (auto e = s.PollEvent()) v.push_back(std::move(*e));
  return v;
}

// A compact, comparable form of events.
std::string Describe(const SessionEvent& e) {
  if (auto* x = std::get_if<StateChanged>(&e))
    return absl::StrCat("state ", SessionStateName(x->from), "->",
                        SessionStateName(x->to));
  if (auto* x = std::get_if<MessageReceived>(&e))
    return absl::StrCat("recv ", MessageTypeName(static_cast<uint8_t>(x->type)),
                        " ", ToHex(x->bytes), " ", VerdictName(x->verdict));
  if (auto* x = std::get_if<NotificationSent>(&e))
    return absl::StrCat("sent-notif ", x->notification.code, "/",
                        x->notification.subcode, " ",
                        ToHex(x->notification.data));
  if (auto* x = std::get_if<NotificationReceived>(&e))
    return absl::StrCat("recv-notif ", x->notification.code, "/",
                        x->notification.subcode, " ",
                        x->shutdown_text.value_or("-"));
  if (auto* x = std::get_if<EndOfRib>(&e))
    return absl::StrCat("eor ", FamilyName(x->family));
  if (auto* x = std::get_if<RouteRefreshReceived>(&e))
    return absl::StrCat("rr ", FamilyName(x->family), " ", x->subtype);
  return "?";
}
std::vector<std::string> DescribeAll(const std::vector<SessionEvent>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(Describe(e));
  return out;
}

const Instant kT0 = FakeEpoch();

// Drives a session to `target` against the scripted peer; its output and
// events are drained.
void DriveTo(Session& s, SessionState target, Instant now = kT0) {
  ASSERT_TRUE(s.Start(now).ok());
  if (target == SessionState::kConnect) return;
  ASSERT_TRUE(s.OnConnected(now).ok());
  if (target == SessionState::kOpenSent) return;
  ASSERT_TRUE(s.Receive(PeerOpen(), now).ok());
  if (target == SessionState::kOpenConfirm) return;
  ASSERT_TRUE(s.Receive(Keepalive(), now).ok());
  ASSERT_EQ(s.state(), SessionState::kEstablished);
}
void DriveAndDrain(Session& s, SessionState target, Instant now = kT0) {
  DriveTo(s, target, now);
  ASSERT_EQ(s.state(), target);
  Out(s);
  Drain(s);
}

// --- Configuration
// ------------------------------------------------------------

TEST(SessionConfigTest, Validate) {
  EXPECT_TRUE(Config().Validate().ok());
  for (uint16_t hold : {1, 2}) {
    SessionConfig c = Config();
    c.hold_time = hold;
    EXPECT_EQ(c.Validate().code(), absl::StatusCode::kInvalidArgument) << hold;
  }
  for (uint16_t hold : {0, 3, 65535}) {
    SessionConfig c = Config();
    c.hold_time = hold;
    EXPECT_TRUE(c.Validate().ok()) << hold;
  }
  SessionConfig c = Config();
  c.local_as = 0;
  EXPECT_FALSE(c.Validate().ok());
  c = Config();
  c.router_id = 0;
  EXPECT_FALSE(c.Validate().ok());
  c = Config();
  c.add_path.push_back({.family = kIpv6Unicast, .send = true});
  EXPECT_FALSE(c.Validate().ok());
  c = Config();
  c.keepalive_time = 91;
  EXPECT_FALSE(c.Validate().ok());
  c = Config();
  c.software_version = std::string(65, 'x');
  EXPECT_FALSE(c.Validate().ok());

  // Start() refuses an invalid configuration and stays Idle.
  c = Config();
  c.hold_time = 2;
  Session s(c);
  EXPECT_EQ(s.Start(kT0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.state(), SessionState::kIdle);
}

// --- Idle, Connect, Active
// -------------------------------------------------------

TEST(SessionTest, StartConnectsThenSendsGoldenOpen) {
  Session s(Config());
  EXPECT_EQ(s.state(), SessionState::kIdle);
  EXPECT_FALSE(s.NextDeadline().has_value());
  ASSERT_TRUE(s.Start(kT0).ok());  // event 1
  EXPECT_EQ(s.state(), SessionState::kConnect);
  EXPECT_TRUE(s.WantsConnect());
  EXPECT_EQ(s.connect_attempt(), 1u);
  EXPECT_EQ(Out(s), "");
  // ConnectRetry: 120 s jittered into 90..120 s (RFC 4271 §10).
  ASSERT_TRUE(s.NextDeadline().has_value());
  EXPECT_GE(*s.NextDeadline(), kT0 + seconds(90));
  EXPECT_LE(*s.NextDeadline(), kT0 + seconds(120));

  ASSERT_TRUE(s.OnConnected(kT0).ok());  // event 16
  EXPECT_EQ(Out(s), LocalOpenHex());
  EXPECT_EQ(s.state(), SessionState::kOpenSent);
  EXPECT_FALSE(s.WantsConnect());
  // Only the large hold timer runs in OpenSent (RFC 4271 §8.2.2).
  EXPECT_EQ(s.NextDeadline(), kT0 + seconds(240));
  EXPECT_THAT(
      DescribeAll(Drain(s)),
      ::testing::ElementsAre("state Idle->Connect", "state Connect->OpenSent"));
  EXPECT_TRUE(s.CanCollide());
}

TEST(SessionTest, PassiveWaitsInActive) {
  SessionConfig c = Config();
  c.passive = true;
  Session s(c);
  ASSERT_TRUE(s.Start(kT0).ok());  // event 4
  EXPECT_EQ(s.state(), SessionState::kActive);
  EXPECT_FALSE(s.WantsConnect());
  EXPECT_FALSE(s.NextDeadline().has_value());
  ASSERT_TRUE(s.OnConnected(kT0).ok());  // event 17
  EXPECT_EQ(Out(s), LocalOpenHex());
  EXPECT_EQ(s.state(), SessionState::kOpenSent);
}

TEST(SessionTest, InputWithoutConnectionIsCallerError) {
  Session s(Config());
  EXPECT_EQ(s.Receive(Keepalive(), kT0).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.OnConnected(kT0).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(s.Start(kT0).ok());
  ASSERT_TRUE(s.OnConnected(kT0).ok());
  EXPECT_EQ(s.OnConnected(kT0).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SessionTest, ConnectRetryBacksOffWithJitter) {
  SessionConfig c = Config();
  c.connect_retry = seconds(10);
  c.connect_retry_max = seconds(40);
  Session s(c);
  ASSERT_TRUE(s.Start(kT0).ok());
  Instant now = kT0;
  // Each failed attempt: Active, then Connect again after 10, 20, 40, 40 s
  // (jittered by 0.75..1.0).
  for (int base : {20, 40, 40, 40}) {
    s.OnConnectFailed(now);  // event 18
    EXPECT_EQ(s.state(), SessionState::kActive);
    EXPECT_FALSE(s.WantsConnect());
    Instant due = *s.NextDeadline();
    EXPECT_GE(due - now, seconds(base) * 3 / 4) << base;
    EXPECT_LE(due - now, seconds(base)) << base;
    s.OnTimer(due - milliseconds(1));  // early: nothing
    EXPECT_EQ(s.state(), SessionState::kActive);
    uint64_t attempt = s.connect_attempt();
    s.OnTimer(due);  // event 9
    EXPECT_EQ(s.state(), SessionState::kConnect);
    EXPECT_TRUE(s.WantsConnect());
    EXPECT_EQ(s.connect_attempt(), attempt + 1);
    now = due;
  }
  // ConnectRetry expiring in Connect: a new attempt, still Connect.
  uint64_t attempt = s.connect_attempt();
  s.OnTimer(*s.NextDeadline());
  EXPECT_EQ(s.state(), SessionState::kConnect);
  EXPECT_EQ(s.connect_attempt(), attempt + 1);
}

TEST(SessionTest, JitterReplaysFromSeed) {
  auto deadlines = [](uint64_t seed) {
    SessionConfig c = Config();
    c.seed = seed;
    Session s(c);
    EXPECT_TRUE(s.Start(kT0).ok());
    std::vector<Instant> v;
    for (int i = 0; i < 5; ++i) {
      s.OnConnectFailed(kT0);
      v.push_back(*s.NextDeadline());
      s.OnTimer(*s.NextDeadline());
    }
    return v;
  };
  for (uint64_t seed : {0u, 1u, 99u}) {
    SCOPED_TRACE(seed);
    EXPECT_EQ(deadlines(seed), deadlines(seed));
  }
  EXPECT_NE(deadlines(1), deadlines(2));
}

TEST(SessionTest, StopInConnectAndActive) {
  for (bool passive : {false, true}) {
    SessionConfig c = Config();
    c.passive = passive;
    Session s(c);
    ASSERT_TRUE(s.Start(kT0).ok());
    s.Stop(kT0);  // event 2
    EXPECT_EQ(s.state(), SessionState::kIdle);
    EXPECT_EQ(Out(s), "");
    EXPECT_FALSE(s.NextDeadline().has_value());
    EXPECT_FALSE(s.WantsClose());
  }
}

// --- DelayOpen (RFC 4271 §8.1.1)
// ------------------------------------------------

TEST(SessionTest, DelayOpenExpires) {
  SessionConfig c = Config();
  c.delay_open = seconds(5);
  Session s(c);
  ASSERT_TRUE(s.Start(kT0).ok());
  ASSERT_TRUE(s.OnConnected(kT0).ok());
  EXPECT_EQ(s.state(), SessionState::kConnect);
  EXPECT_EQ(Out(s), "");
  EXPECT_EQ(s.NextDeadline(), kT0 + seconds(5));
  s.OnTimer(kT0 + seconds(5));  // event 12
  EXPECT_EQ(s.state(), SessionState::kOpenSent);
  EXPECT_EQ(Out(s), LocalOpenHex());
  EXPECT_EQ(s.NextDeadline(), kT0 + seconds(5) + seconds(240));
}

TEST(SessionTest, OpenDuringDelayOpen) {
  SessionConfig c = Config();
  c.delay_open = seconds(5);
  Session s(c);
  ASSERT_TRUE(s.Start(kT0).ok());
  ASSERT_TRUE(s.OnConnected(kT0).ok());
  ASSERT_TRUE(s.Receive(PeerOpen(), kT0 + seconds(1)).ok());  // event 20
  EXPECT_EQ(s.state(), SessionState::kOpenConfirm);
  // OPEN then KEEPALIVE.
  EXPECT_EQ(Out(s), LocalOpenHex() + ToHex(Keepalive()));
}

// --- OpenSent -> OpenConfirm -> Established
// ----------------------------------------

TEST(SessionTest, EstablishesAndNegotiates) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kOpenSent);
  ASSERT_TRUE(s.Receive(PeerOpen(), kT0).ok());  // event 19
  EXPECT_EQ(s.state(), SessionState::kOpenConfirm);
  EXPECT_EQ(Out(s), ToHex(Keepalive()));
  EXPECT_TRUE(s.CanCollide());
  const Negotiated* n = s.negotiated();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->peer_as, 65002u);
  EXPECT_EQ(n->peer_id, 0x02020202u);
  EXPECT_FALSE(n->ibgp);
  EXPECT_TRUE(n->four_octet_as);
  EXPECT_TRUE(n->route_refresh);
  EXPECT_FALSE(n->extended_message);
  EXPECT_THAT(n->families, ::testing::ElementsAre(kIpv4Unicast));
  EXPECT_EQ(n->peer_hold_time, 30);
  EXPECT_EQ(n->hold_time, 30);  // min(90, 30)
  EXPECT_EQ(n->keepalive_time, 10);
  // Keepalive 10 s jittered (7.5..10 s) comes first; hold at 30 s.
  ASSERT_TRUE(s.NextDeadline().has_value());
  EXPECT_GE(*s.NextDeadline(), kT0 + milliseconds(7500));
  EXPECT_LE(*s.NextDeadline(), kT0 + seconds(10));

  ASSERT_TRUE(s.Receive(Keepalive(), kT0 + seconds(1)).ok());  // event 26
  EXPECT_EQ(s.state(), SessionState::kEstablished);
  EXPECT_FALSE(s.CanCollide());
  EXPECT_EQ(Out(s), "");
  EXPECT_THAT(
      DescribeAll(Drain(s)),
      ::testing::ElementsAre("recv OPEN " + ToHex(PeerOpen()) + " ok",
                             "state OpenSent->OpenConfirm",
                             "recv KEEPALIVE " + ToHex(Keepalive()) + " ok",
                             "state OpenConfirm->Established"));
}

TEST(SessionTest, KeepalivesAndHoldTimerInEstablished) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kEstablished);
  Instant now = kT0;
  // Keepalives every 7.5..10 s while the peer keeps talking.
  for (int i = 0; i < 20; ++i) {
    Instant due = *s.NextDeadline();
    EXPECT_GE(due - now, milliseconds(7500));
    EXPECT_LE(due - now, seconds(10));
    s.OnTimer(due);  // event 11
    EXPECT_EQ(Out(s), ToHex(Keepalive()));
    ASSERT_TRUE(s.Receive(Keepalive(), due).ok());  // restarts hold
    now = due;
  }
  EXPECT_EQ(s.state(), SessionState::kEstablished);
  // The peer goes silent: the hold timer expires 30 s after its last
  // message (event 10) and NOTIFICATION 4/0 goes out.
  Instant hold_due = now + seconds(30);
  while (*s.NextDeadline() < hold_due) {
    s.OnTimer(*s.NextDeadline());
    EXPECT_EQ(Out(s), ToHex(Keepalive()));
  }
  s.OnTimer(hold_due);
  EXPECT_EQ(Out(s), NotificationHex(4, 0));
  EXPECT_EQ(s.state(), SessionState::kIdle);
  EXPECT_TRUE(s.WantsClose());
  EXPECT_FALSE(s.NextDeadline().has_value());
  s.OnClosed(hold_due);
  EXPECT_FALSE(s.WantsClose());
}

TEST(SessionTest, HoldTimeZeroMeansNoTimers) {
  SessionConfig c = Config();
  c.hold_time = 0;
  Session s(c);
  DriveAndDrain(s, SessionState::kEstablished);
  EXPECT_EQ(s.negotiated()->hold_time, 0);
  EXPECT_EQ(s.negotiated()->keepalive_time, 0);
  EXPECT_FALSE(s.NextDeadline().has_value());
}

TEST(SessionTest, ConfiguredKeepalive) {
  SessionConfig c = Config();
  c.keepalive_time = 3;
  Session s(c);
  DriveAndDrain(s, SessionState::kEstablished);
  EXPECT_EQ(s.negotiated()->keepalive_time, 3);
  EXPECT_LE(*s.NextDeadline(), kT0 + seconds(3));
}

// Timer expiries per state, with the exact bytes sent.
TEST(SessionTest, HoldExpiryPerState) {
  struct Case {
    SessionState state;
    Duration after;
  };
  for (const Case& c : {Case{SessionState::kOpenSent, seconds(240)},
                        Case{SessionState::kOpenConfirm, seconds(30)},
                        Case{SessionState::kEstablished, seconds(30)}}) {
    SCOPED_TRACE(SessionStateName(c.state));
    Session s(Config());
    DriveAndDrain(s, c.state);
    // Keepalives may fire first; the hold timer is never restarted by
    // our own sends.
    std::string out;
    while (*s.NextDeadline() < kT0 + c.after) {
      s.OnTimer(*s.NextDeadline());
      out += Out(s);
    }
    for (size_t i = 0; i < out.size(); i += ToHex(Keepalive()).size())
      EXPECT_EQ(out.substr(i, ToHex(Keepalive()).size()), ToHex(Keepalive()));
    s.OnTimer(kT0 + c.after);
    EXPECT_EQ(Out(s), NotificationHex(4, 0));
    EXPECT_EQ(s.state(), SessionState::kIdle);
    EXPECT_TRUE(s.WantsClose());
    EXPECT_THAT(DescribeAll(Drain(s)).back(),
                "state " + std::string(SessionStateName(c.state)) + "->Idle");
  }
}

// --- Unexpected messages: RFC 6608 subcodes
// --------------------------------------

TEST(SessionTest, UnexpectedMessagePerState) {
  struct Case {
    SessionState state;
    std::vector<uint8_t> message;
    int subcode;
  };
  const Case cases[] = {
      {SessionState::kOpenSent, Keepalive(), 1},
      {SessionState::kOpenSent, EmptyUpdate(), 1},
      {SessionState::kOpenSent, RouteRefreshMsg(), 1},
      {SessionState::kOpenConfirm, PeerOpen(), 2},
      {SessionState::kOpenConfirm, EmptyUpdate(), 2},
      {SessionState::kOpenConfirm, RouteRefreshMsg(), 2},
      {SessionState::kEstablished, PeerOpen(), 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(
        absl::StrCat(SessionStateName(c.state), " ", ToHex(c.message)));
    Session s(Config());
    DriveAndDrain(s, c.state);
    absl::Status st = s.Receive(c.message, kT0);
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
    auto info = GetNotification(st);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->code, 5);
    EXPECT_EQ(info->subcode, c.subcode);
    EXPECT_EQ(Out(s), NotificationHex(5, c.subcode));
    EXPECT_EQ(s.state(), SessionState::kIdle);
    EXPECT_TRUE(s.WantsClose());
    // Later input is ignored while the close is pending.
    EXPECT_TRUE(s.Receive(Keepalive(), kT0).ok());
    EXPECT_EQ(Out(s), "");
  }
}

TEST(SessionTest, NotificationReceivedPerState) {
  for (SessionState st : {SessionState::kOpenSent, SessionState::kOpenConfirm,
                          SessionState::kEstablished}) {
    SCOPED_TRACE(SessionStateName(st));
    Session s(Config());
    DriveAndDrain(s, st);
    // Cease / Administrative Shutdown with "bye" (RFC 9003).
    auto msg =
        FromHex(absl::StrCat(kMarker, "0019", "03", "0602", "03", "627965"));
    EXPECT_TRUE(s.Receive(msg, kT0).ok());
    EXPECT_EQ(Out(s), "");  // never answered (RFC 4271 §4.5)
    EXPECT_EQ(s.state(), SessionState::kIdle);
    EXPECT_TRUE(s.WantsClose());
    auto events = DescribeAll(Drain(s));
    EXPECT_THAT(events, ::testing::Contains("recv-notif 6/2 bye"));
  }
}

// --- Bad OPENs (RFC 4271 §6.2, RFC 6286, RFC 6793, RFC 9234)
// --------------------

TEST(SessionTest, BadOpens) {
  struct Case {
    std::string name;
    SessionConfig config;
    std::vector<uint8_t> open;
    std::string notification;  // hex of the NOTIFICATION we send
  };
  SessionConfig ibgp = Config();
  ibgp.peer_as = 65001;
  SessionConfig any = Config();
  any.peer_as = 0;
  SessionConfig provider = Config();
  provider.role = Role::kProvider;
  SessionConfig strict = provider;
  strict.strict_role = true;
  const Case cases[] = {
      {"version 3", Config(), PeerOpen(3),
       absl::StrCat(kMarker, "0017", "03", "0201", "0004")},
      {"wrong AS", Config(), PeerOpen(4, 65003, 30, 0x02020202, "41040000fdeb"),
       NotificationHex(2, 2)},
      {"4-octet AS differs from config", Config(),
       PeerOpen(4, 23456, 30, 0x02020202, "410400010000"),
       NotificationHex(2, 2)},
      {"AS_TRANS without capability 65", any,
       PeerOpen(4, 23456, 30, 0x02020202, "010400010001"),
       NotificationHex(2, 2)},
      {"My AS 0", any, PeerOpen(4, 0, 30, 0x02020202, ""),
       NotificationHex(2, 2)},
      {"identifier 0", Config(), PeerOpen(4, 65002, 30, 0),
       NotificationHex(2, 3)},
      {"iBGP identifier equal to ours", ibgp,
       PeerOpen(4, 65001, 30, 0x01010101, "41040000fde9"),
       NotificationHex(2, 3)},
      {"hold time 1", Config(), PeerOpen(4, 65002, 1), NotificationHex(2, 6)},
      {"hold time 2", Config(), PeerOpen(4, 65002, 2), NotificationHex(2, 6)},
      {"role mismatch provider/provider", provider,
       PeerOpen(4, 65002, 30, 0x02020202,
                "41040000fdea"
                "090100"),
       NotificationHex(2, 11)},
      {"differing repeated roles", provider,
       PeerOpen(4, 65002, 30, 0x02020202,
                "41040000fdea"
                "090103"
                "090104"),
       NotificationHex(2, 11)},
      {"strict role, none sent", strict, PeerOpen(), NotificationHex(2, 11)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Session s(c.config);
    DriveAndDrain(s, SessionState::kOpenSent);
    absl::Status st = s.Receive(c.open, kT0);
    EXPECT_FALSE(st.ok());
    EXPECT_TRUE(GetNotification(st).has_value());
    EXPECT_EQ(Out(s), c.notification);
    EXPECT_EQ(s.state(), SessionState::kIdle);
    EXPECT_TRUE(s.WantsClose());
    EXPECT_EQ(s.negotiated(), nullptr);
  }
}

TEST(SessionTest, UnsupportedOptionalParameter) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kOpenSent);
  // Optional parameter type 3 (unassigned), length 0 (RFC 4271 §6.2: 2/4).
  absl::Status st = s.Receive(
      PeerOpen(4, 65002, 30, 0x02020202, "41040000fdea", "0300"), kT0);
  auto info = GetNotification(st);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->code, 2);
  EXPECT_EQ(info->subcode, 4);
  EXPECT_EQ(Out(s).substr(0, 42),
            absl::StrCat(kMarker, "0015", "03", "0204").substr(0, 42));
  EXPECT_EQ(s.state(), SessionState::kIdle);
}

TEST(SessionTest, RolesThatPairAreAccepted) {
  SessionConfig c = Config();
  c.role = Role::kCustomer;
  Session s(c);
  DriveAndDrain(s, SessionState::kOpenSent);
  ASSERT_TRUE(s.Receive(PeerOpen(4, 65002, 30, 0x02020202,
                                 "41040000fdea"
                                 "090100"),
                        kT0)
                  .ok());
  ASSERT_NE(s.negotiated(), nullptr);
  EXPECT_EQ(s.negotiated()->peer_role, Role::kProvider);
  EXPECT_EQ(s.negotiated()->local_role, Role::kCustomer);
  // No multiprotocol capability: IPv4 unicast implied (RFC 4760 §8).
  EXPECT_THAT(s.negotiated()->families, ::testing::ElementsAre(kIpv4Unicast));
  EXPECT_FALSE(s.negotiated()->route_refresh);
}

// --- Header and UPDATE errors
// -------------------------------------------------------

TEST(SessionTest, HeaderErrors) {
  struct Case {
    std::string name;
    std::string input;
    std::string notification;
  };
  const Case cases[] = {
      // RFC 4271 §6.1: marker not all ones: 1/1.
      {"bad marker", absl::StrCat("00", std::string(30, 'f'), "001304"),
       NotificationHex(1, 1)},
      // Length 18: 1/2 with the length field as data.
      {"length 18", absl::StrCat(kMarker, "001204"),
       absl::StrCat(kMarker, "0017", "03", "0102", "0012")},
      // Type 9: 1/3 with the type as data.
      {"type 9", absl::StrCat(kMarker, "001309"),
       absl::StrCat(kMarker, "0016", "03", "0103", "09")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Session s(Config());
    DriveAndDrain(s, SessionState::kEstablished);
    absl::Status st = s.Receive(FromHex(c.input), kT0);
    EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(Out(s), c.notification);
    EXPECT_EQ(s.state(), SessionState::kIdle);
  }
}

TEST(SessionTest, MalformedUpdateResetsSession) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kEstablished);
  // Withdrawn routes length 0x00ff overruns the message: 3/1 (RFC 4271
  // §6.3, RFC 7606 §4 keeps it a session reset).
  auto msg = FromHex(absl::StrCat(kMarker, "0017", "02", "00ff", "0000"));
  absl::Status st = s.Receive(msg, kT0);
  auto info = GetNotification(st);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->code, 3);
  EXPECT_EQ(info->subcode, 1);
  EXPECT_EQ(Out(s), NotificationHex(3, 1));
  EXPECT_EQ(s.state(), SessionState::kIdle);
  auto events = DescribeAll(Drain(s));
  EXPECT_THAT(events, ::testing::Contains("recv UPDATE " + ToHex(msg) +
                                          " session-reset"));
}

TEST(SessionTest, TreatAsWithdrawKeepsSession) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kEstablished);
  // ORIGIN value 3 (RFC 7606 §7.1: treat-as-withdraw), with NLRI 10/8.
  auto msg = FromHex(absl::StrCat(kMarker,
                                  "002d",            // length 45
                                  "02",              // UPDATE
                                  "0000",            // no withdrawn routes
                                  "0014",            // attributes length 20
                                  "40010103",        // ORIGIN 3 (invalid)
                                  "400206020100"     // AS_PATH seq [
                                  "00fdea",          //   65002] (4-octet)
                                  "4003040a000001",  // NEXT_HOP 10.0.0.1
                                  "080a"));          // NLRI 10.0.0.0/8
  ASSERT_EQ(msg.size(), 0x2du);
  EXPECT_TRUE(s.Receive(msg, kT0).ok());
  EXPECT_EQ(s.state(), SessionState::kEstablished);
  EXPECT_EQ(Out(s), "");
  auto events = Drain(s);
  ASSERT_EQ(events.size(), 1u);
  auto* m = std::get_if<MessageReceived>(&events[0]);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->verdict, Verdict::kTreatAsWithdraw);
  EXPECT_EQ(m->bytes, msg);
}

TEST(SessionTest, EndOfRibAndRouteRefresh) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kEstablished);
  ASSERT_TRUE(s.Receive(EmptyUpdate(), kT0).ok());
  ASSERT_TRUE(s.Receive(RouteRefreshMsg(0), kT0).ok());
  // BoRR without enhanced route refresh: ignored (RFC 7313 §5).
  ASSERT_TRUE(s.Receive(RouteRefreshMsg(1), kT0).ok());
  // ipv6-unicast was not negotiated: ignored (RFC 2918 §5).
  ASSERT_TRUE(
      s.Receive(FromHex(absl::StrCat(kMarker, "00170500020001")), kT0).ok());
  EXPECT_EQ(s.state(), SessionState::kEstablished);
  EXPECT_THAT(
      DescribeAll(Drain(s)),
      ::testing::ElementsAre(
          "recv UPDATE " + ToHex(EmptyUpdate()) + " ok", "eor ipv4-unicast",
          "recv ROUTE_REFRESH " + ToHex(RouteRefreshMsg(0)) + " ok",
          "rr ipv4-unicast 0",
          "recv ROUTE_REFRESH " + ToHex(RouteRefreshMsg(1)) + " ok",
          "recv ROUTE_REFRESH " + absl::StrCat(kMarker, "00170500020001") +
              " ok"));
  ASSERT_TRUE(s.SendRouteRefresh(kIpv4Unicast, kT0).ok());
  EXPECT_EQ(Out(s), ToHex(RouteRefreshMsg(0)));
  EXPECT_EQ(s.SendRouteRefresh(kIpv6Unicast, kT0).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.SendRouteRefresh(kIpv4Unicast, kT0,
                               RouteRefreshSubtype::kBeginOfRouteRefresh)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(s.QueueEndOfRib(kIpv4Unicast, kT0).ok());
  EXPECT_EQ(Out(s), ToHex(EmptyUpdate()));
}

// --- Administrative stop
// -------------------------------------------------------------

TEST(SessionTest, StopSendsShutdownCommunication) {
  Session s(Config());
  DriveAndDrain(s, SessionState::kEstablished);
  s.Stop(kT0, CeaseSubcode::kAdministrativeShutdown, "maintenance");
  // Cease (6) / Administrative Shutdown (2), RFC 9003 length 11 + text.
  EXPECT_EQ(Out(s), absl::StrCat(kMarker, "0021", "03", "0602", "0b",
                                 "6d61696e74656e616e6365"));
  EXPECT_EQ(s.state(), SessionState::kIdle);
  EXPECT_TRUE(s.WantsClose());
  auto events = Drain(s);
  ASSERT_FALSE(events.empty());
  auto* sent = std::get_if<NotificationSent>(&events[0]);
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->shutdown_text, "maintenance");
  // Collision resolution uses the same entry point, without text.
  Session t(Config());
  DriveAndDrain(t, SessionState::kOpenConfirm);
  t.Stop(kT0, CeaseSubcode::kConnectionCollisionResolution);
  EXPECT_EQ(Out(t), NotificationHex(6, 7));
}

TEST(SessionTest, StopPerState) {
  struct Case {
    SessionState state;
    std::string sent;
  };
  const Case cases[] = {
      {SessionState::kConnect, ""},
      {SessionState::kOpenSent, NotificationHex(6, 2)},
      {SessionState::kOpenConfirm, NotificationHex(6, 2)},
      {SessionState::kEstablished, NotificationHex(6, 2)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(SessionStateName(c.state));
    Session s(Config());
    DriveAndDrain(s, c.state);
    s.Stop(kT0);  // event 2, no text: no shutdown communication
    EXPECT_EQ(Out(s), c.sent);
    EXPECT_EQ(s.state(), SessionState::kIdle);
    EXPECT_FALSE(s.NextDeadline().has_value());
    EXPECT_EQ(s.WantsClose(), c.state != SessionState::kConnect);
    s.Stop(kT0);  // ignored in Idle
    EXPECT_EQ(Out(s), "");
  }
}

TEST(SessionTest, StartIgnoredOutsideIdle) {
  for (SessionState st :
       {SessionState::kConnect, SessionState::kOpenSent,
        SessionState::kOpenConfirm, SessionState::kEstablished}) {
    Session s(Config());
    DriveAndDrain(s, st);
    EXPECT_TRUE(s.Start(kT0).ok());
    EXPECT_EQ(s.state(), st);
    EXPECT_EQ(Out(s), "");
    EXPECT_FALSE(s.HasEvents());
  }
}

TEST(SessionTest, UnexpectedMessageDuringDelayOpen) {
  SessionConfig c = Config();
  c.delay_open = seconds(5);
  Session s(c);
  ASSERT_TRUE(s.Start(kT0).ok());
  ASSERT_TRUE(s.OnConnected(kT0).ok());
  // RFC 6608: no state-specific subcode for Connect: 5/0.
  absl::Status st = s.Receive(Keepalive(), kT0);
  ASSERT_TRUE(GetNotification(st).has_value());
  EXPECT_EQ(Out(s), NotificationHex(5, 0));
  EXPECT_EQ(s.state(), SessionState::kIdle);
}

TEST(SessionTest, RandomInputNeverCrashes) {
  // Seeded random streams after a valid OPEN: every outcome is either still
  // up or Idle with exactly one NOTIFICATION sent.
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    uint64_t x = seed;
    auto next = [&x] {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return static_cast<uint8_t>(x);
    };
    Session s(Config());
    DriveAndDrain(s, SessionState::kEstablished);
    // A valid header with a random type and length, then random bytes.
    std::vector<uint8_t> in = FromHex(kMarker);
    size_t len = 19 + next() % 64;
    in.push_back(0);
    in.push_back(static_cast<uint8_t>(len));
    uint8_t type = static_cast<uint8_t>(1 + next() % 5);
    in.push_back(type);
    while (in.size() < len + 40) in.push_back(next());
    absl::Status st = s.Receive(in, kT0);
    if (st.ok()) {
      // Still up, or a NOTIFICATION received (never answered).
      if (type == 3) {
        EXPECT_EQ(s.state(), SessionState::kIdle);
        EXPECT_EQ(Out(s), "");
      } else {
        EXPECT_NE(s.state(), SessionState::kIdle);
      }
    } else {
      EXPECT_TRUE(GetNotification(st).has_value()) << st;
      EXPECT_EQ(s.state(), SessionState::kIdle);
      EXPECT_FALSE(Out(s).empty());
    }
  }
}

// --- Output back-pressure
// -------------------------------------------------------------

TEST(SessionTest, OutputBacklogLimit) {
  SessionConfig c = Config();
  c.max_output_backlog = 60;
  Session s(c);
  EXPECT_EQ(s.QueueUpdate(EmptyUpdate(), kT0).code(),
            absl::StatusCode::kFailedPrecondition);
  DriveAndDrain(s, SessionState::kEstablished);
  // Not whole UPDATEs: refused, nothing queued.
  EXPECT_EQ(s.QueueUpdate(Keepalive(), kT0).code(),
            absl::StatusCode::kInvalidArgument);
  auto partial = EmptyUpdate();
  partial.pop_back();
  EXPECT_EQ(s.QueueUpdate(partial, kT0).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Out(s), "");

  // Two 23-octet UPDATEs fit in 60; the third does not.
  ASSERT_TRUE(s.QueueUpdate(EmptyUpdate(), kT0).ok());
  ASSERT_TRUE(s.QueueUpdate(EmptyUpdate(), kT0).ok());
  EXPECT_EQ(s.QueueUpdate(EmptyUpdate(), kT0).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.PendingOutput().size(), 46u);
  s.ConsumeOutput(30, kT0);  // a partial write
  ASSERT_TRUE(s.QueueUpdate(EmptyUpdate(), kT0).ok());
  EXPECT_EQ(s.PendingOutput().size(), 39u);
  // A batch bigger than the limit passes only into an empty backlog.
  std::vector<uint8_t> batch;
  for (int i = 0; i < 4; ++i) {
    auto u = EmptyUpdate();
    batch.insert(batch.end(), u.begin(), u.end());
  }
  EXPECT_EQ(s.QueueUpdate(batch, kT0).code(),
            absl::StatusCode::kResourceExhausted);
  s.ConsumeOutput(1000, kT0);
  EXPECT_TRUE(s.QueueUpdate(batch, kT0).ok());
  EXPECT_EQ(s.PendingOutput().size(), 92u);
}

// --- Chunking: whole, byte by byte, split at every offset
// ------------------------

struct FeedResult {
  std::vector<std::string> events;
  std::string out;
  SessionState state;
};

FeedResult Feed(const std::vector<std::vector<uint8_t>>& chunks) {
  Session s(Config());
  EXPECT_TRUE(s.Start(kT0).ok());
  EXPECT_TRUE(s.OnConnected(kT0).ok());
  Out(s);
  Drain(s);
  FeedResult r;
  for (const auto& c : chunks) (void)s.Receive(c, kT0);
  r.events = DescribeAll(Drain(s));
  r.out = Out(s);
  r.state = s.state();
  return r;
}

TEST(SessionTest, AnyChunkingGivesSameEvents) {
  // OPEN, KEEPALIVE, UPDATE (EoR), ROUTE-REFRESH, KEEPALIVE, then a bad
  // header: the same events and bytes whatever the chunking.
  std::vector<uint8_t> stream;
  for (const auto& m :
       {PeerOpen(), Keepalive(), EmptyUpdate(), RouteRefreshMsg(), Keepalive(),
        FromHex(absl::StrCat(kMarker, "001204"))}) {
    stream.insert(stream.end(), m.begin(), m.end());
  }
  FeedResult whole = Feed({stream});
  EXPECT_EQ(whole.state, SessionState::kIdle);
  // 5 received, 2 state changes, EoR, refresh, NOTIFICATION sent, Idle.
  EXPECT_EQ(whole.events.size(), 11u);
  EXPECT_EQ(whole.out, ToHex(Keepalive()) +
                           absl::StrCat(kMarker, "0017", "03", "0102", "0012"));
  std::vector<std::vector<uint8_t>> bytes;
  for (uint8_t b : stream) bytes.push_back({b});
  FeedResult one = Feed(bytes);
  EXPECT_EQ(one.events, whole.events);
  EXPECT_EQ(one.out, whole.out);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SCOPED_TRACE(cut);
    FeedResult split =
        Feed({std::vector<uint8_t>(stream.begin(), stream.begin() + cut),
              std::vector<uint8_t>(stream.begin() + cut, stream.end())});
    ASSERT_EQ(split.events, whole.events);
    ASSERT_EQ(split.out, whole.out);
  }
}

// --- Auto restart after errors (IdleHold)
// ------------------------------------------

TEST(SessionTest, IdleHoldThenAutomaticStart) {
  SessionConfig c = Config();
  c.auto_restart = true;
  c.idle_hold = seconds(5);
  c.idle_hold_max = seconds(20);
  Session s(c);
  Instant now = kT0;
  for (int hold : {5, 10, 20, 20}) {
    SCOPED_TRACE(hold);
    DriveAndDrain(s, SessionState::kOpenSent, now);
    ASSERT_FALSE(s.Receive(PeerOpen(4, 65002, 1), now).ok());  // 2/6
    EXPECT_EQ(s.state(), SessionState::kIdle);
    s.OnClosed(now);
    EXPECT_EQ(s.NextDeadline(), now + seconds(hold));
    s.OnTimer(now + seconds(hold));  // event 13 -> AutomaticStart
    EXPECT_EQ(s.state(), SessionState::kConnect);
    EXPECT_TRUE(s.WantsConnect());
    now += seconds(hold);
  }
  // Stop() cancels a pending restart.
  DriveAndDrain(s, SessionState::kOpenSent, now);
  ASSERT_FALSE(s.Receive(PeerOpen(4, 65002, 1), now).ok());
  s.Stop(now);
  EXPECT_FALSE(s.NextDeadline().has_value());
}

// --- Collisions (RFC 4271 §6.8; ResolveCollision in collision_test.cc)
// -------------------------------------------------------

TEST(SessionTest, CanCollidePerState) {
  for (auto [state, can] : std::vector<std::pair<SessionState, bool>>{
           {SessionState::kConnect, false},
           {SessionState::kOpenSent, true},
           {SessionState::kOpenConfirm, true},
           {SessionState::kEstablished, false}}) {
    Session s(Config());
    DriveAndDrain(s, state);
    EXPECT_EQ(s.CanCollide(), can) << SessionStateName(state);
  }
}

TEST(SessionTest, ConnectionLossPerState) {
  // OpenSent: back to Active with ConnectRetry; OpenConfirm/Established: Idle.
  struct Case {
    SessionState from, to;
  };
  for (const Case& c :
       {Case{SessionState::kOpenSent, SessionState::kActive},
        Case{SessionState::kOpenConfirm, SessionState::kIdle},
        Case{SessionState::kEstablished, SessionState::kIdle}}) {
    SCOPED_TRACE(SessionStateName(c.from));
    Session s(Config());
    DriveAndDrain(s, c.from);
    s.OnClosed(kT0);  // event 18
    EXPECT_EQ(s.state(), c.to);
    EXPECT_FALSE(s.WantsClose());
    EXPECT_EQ(Out(s), "");
    EXPECT_EQ(s.NextDeadline().has_value(), c.to == SessionState::kActive);
  }
}

}  // namespace
}  // namespace bgpy
