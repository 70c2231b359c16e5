// Copyright 2026 The bgpy Authors.
//
// The malformed-input table (issue 10): every crafted message is sent to a
// bgpy Session run by the POSIX EventLoop over real loopback TCP, with this
// test as a raw-socket peer on 127.0.0.1. Each case brings the session to
// the state it needs (OpenSent, OpenConfirm or Established, with the
// negotiated context the case names), sends its bytes, and asserts what
// comes back: the exact NOTIFICATION octets (code, subcode, data) and the
// close, or the RFC 7606 verdict and the exact routes the session reported
// announced or withdrawn. Every wait is bounded.
//
// The same table is docs/malformed-input.md: DocMatchesTable renders it and
// compares it with the file, and
//   BGPY_REGENERATE_DOCS=1 build/bin/malformed_table_test
// rewrites the file. The issue 10 defects that are not messages point at
// the tests that prove them; DefectProofsExist checks those tests exist.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "bgpy/decode_context.h"
#include "bgpy/errors.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/update.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using posix::EventLoop;
using posix::PeerId;
using std::chrono::milliseconds;
using testing::FromHex;
using testing::ToHex;

// --- The two speakers
// ----------------------------------------------------------

constexpr uint32_t kLocalAs = 65001;  // bgpy
constexpr uint32_t kPeerAs = 65002;   // this test (0xfdea)
constexpr uint32_t kLocalId = 0x0a000001;
constexpr char kLocalIdHex[] = "0a000001";
constexpr char kPeerIdHex[] = "0a000002";

// The negotiated context a case runs in.
struct Context {
  bool four_octet = true;         // the peer sends capability 65
  bool add_path = false;          // IPv4 unicast, peer sends, bgpy receives
  bool extended_message = false;  // RFC 8654 on both sides
  bool ipv6 = false;              // IPv6 unicast offered by both
  bool ibgp = false;              // the peer is in AS 65001
  uint16_t peer_hold = 90;        // the peer's OPEN
  std::optional<Role> local_role;
  bool strict_role = false;
  std::string peer_caps_extra;  // capability hex appended to the peer's

  std::string Describe() const {
    std::vector<std::string> v;
    v.push_back(ibgp ? "iBGP" : "eBGP");
    v.push_back(four_octet ? "4-octet AS" : "2-octet AS");
    if (add_path) v.push_back("ADD-PATH IPv4");
    if (extended_message) v.push_back("extended message");
    if (ipv6) v.push_back("IPv6 unicast");
    if (peer_hold != 90) v.push_back(absl::StrCat("peer hold ", peer_hold));
    if (local_role) {
      v.push_back(absl::StrCat("bgpy role ", RoleName(*local_role),
                               strict_role ? " (strict)" : ""));
    }
    return absl::StrJoin(v, ", ");
  }
};

std::string Hex2(uint32_t v) { return ToHex({uint8_t(v >> 8), uint8_t(v)}); }
std::string Hex1(uint32_t v) { return ToHex({uint8_t(v)}); }

// A whole message: marker, length, type, body (RFC 4271 §4.1).
std::string MsgHex(int type, const std::string& body_hex) {
  return absl::StrCat(std::string(32, 'f'), Hex2(19 + body_hex.size() / 2),
                      Hex1(type), body_hex);
}
// A header with any length field, then `body_hex` (RFC 4271 §4.1).
std::string RawHex(int length, int type, const std::string& body_hex) {
  return absl::StrCat(std::string(32, 'f'), Hex2(length), Hex1(type), body_hex);
}

// One path attribute (RFC 4271 §4.3): flags, type, length (2 octets with
// the Extended Length bit), value.
std::string Attr(int flags, int code, const std::string& value_hex) {
  const size_t n = value_hex.size() / 2;
  return absl::StrCat(Hex1(flags), Hex1(code),
                      (flags & 0x10) ? Hex2(n) : Hex1(n), value_hex);
}

// An UPDATE body (RFC 4271 §4.3).
std::string UpdateHex(const std::string& withdrawn, const std::string& attrs,
                      const std::string& nlri) {
  return MsgHex(2, absl::StrCat(Hex2(withdrawn.size() / 2), withdrawn,
                                Hex2(attrs.size() / 2), attrs, nlri));
}

const std::string kOrigin = "40010100";             // IGP
const std::string kAsPath4 = "40020602010000fdea";  // AS_SEQUENCE 65002
const std::string kAsPath2 = "4002040201fdea";      // 2-octet encoding
const std::string kNextHop = "4003047f000002";      // 127.0.0.2
const std::string kBase4 = kOrigin + kAsPath4 + kNextHop;
const std::string kBase2 = kOrigin + kAsPath2 + kNextHop;
const std::string kP24 = "180a0000";  // 10.0.0.0/24
const std::string kP16 = "100a01";    // 10.1.0.0/16
// MP_REACH_NLRI IPv6 unicast, next hop 2001:db8::1, 2001:db8:1::/48.
const std::string kMpReach6 = Attr(0x80, 14,
                                   "0002011020010db800000000000000000000000100"
                                   "3020010db80001");
// MP_UNREACH_NLRI IPv6 unicast, 2001:db8:2::/48.
const std::string kMpUnreach6 = Attr(0x80, 15,
                                     "000201"
                                     "3020010db80002");

// The peer's OPEN for `c` (RFC 4271 §4.2, RFC 5492 capabilities).
std::string CapsHex(const Context& c) {
  std::string caps = "010400010001";  // MP IPv4 unicast
  if (c.ipv6) caps += "010400020001";
  caps += "0200";  // route refresh
  const uint32_t as = c.ibgp ? kLocalAs : kPeerAs;
  if (c.four_octet) caps += absl::StrCat("4104", Hex2(0), Hex2(as));
  if (c.add_path)
    caps +=
        "4504000101"
        "02";  // IPv4 unicast, send
  if (c.extended_message) caps += "0600";
  caps += c.peer_caps_extra;
  return caps;
}
std::string OpenHex(int version, uint32_t my_as, uint16_t hold,
                    const std::string& id_hex, const std::string& caps) {
  std::string params = absl::StrCat("02", Hex1(caps.size() / 2), caps);
  return MsgHex(1, absl::StrCat(Hex1(version), Hex2(my_as), Hex2(hold), id_hex,
                                Hex1(params.size() / 2), params));
}
std::string PeerOpenHex(const Context& c) {
  return OpenHex(4, c.ibgp ? kLocalAs : kPeerAs, c.peer_hold, kPeerIdHex,
                 CapsHex(c));
}
const std::string kKeepalive = MsgHex(4, "");

SessionConfig ConfigFor(const Context& c) {
  SessionConfig s;
  s.local_as = kLocalAs;
  s.peer_as = c.ibgp ? kLocalAs : kPeerAs;
  s.router_id = kLocalId;
  s.passive = true;
  s.hold_time = 90;
  if (c.ipv6) s.families.push_back(kIpv6Unicast);
  if (c.add_path) {
    s.add_path.push_back(
        AddPathConfig{.family = kIpv4Unicast, .send = false, .receive = true});
  }
  s.extended_message = c.extended_message;
  s.enhanced_route_refresh = true;
  s.role = c.local_role;
  s.strict_role = c.strict_role;
  return s;
}

// --- Expectations
// --------------------------------------------------------------

enum class Phase { kOpenSent, kOpenConfirm, kEstablished };

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kOpenSent:
      return "OpenSent";
    case Phase::kOpenConfirm:
      return "OpenConfirm";
    case Phase::kEstablished:
      return "Established";
  }
  return "?";
}

struct Outcome {
  enum class Kind {
    kNotification,  // the NOTIFICATION below, then the connection closes
    kSilentClose,   // no reply; the connection closes
    kOpenAccepted,  // KEEPALIVE in reply, OpenConfirm
    kAccepted,      // the message is processed; the session stays up
  };
  Kind kind = Kind::kAccepted;
  uint8_t code = 0, subcode = 0;
  std::vector<uint8_t> data;
  // kAccepted: the RFC 7606 verdict (UPDATE) and what the session reported:
  // "withdrawn A, B; announced C", "End-of-RIB ipv4-unicast", ...
  Verdict verdict = Verdict::kOk;
  std::string detail;
  // Observed only: the NOTIFICATION as received, header included.
  std::vector<uint8_t> raw;

  // `short_data`: long data shortened (for the document; the test compares
  // the whole).
  std::string Render(bool short_data = false) const {
    std::string hex = ToHex(data);
    if (short_data && data.size() > 32) {
      hex = absl::StrCat(hex.substr(0, 64), "…` (", data.size(), " octets)");
    } else {
      hex += "`";
    }
    switch (kind) {
      case Kind::kNotification:
        return absl::StrCat("NOTIFICATION ", code, "/", subcode, " ",
                            ErrorSubcodeName(code, subcode), ", data ",
                            data.empty() ? "(none)" : absl::StrCat("`", hex));
      case Kind::kSilentClose:
        return "no reply, connection closed";
      case Kind::kOpenAccepted:
        return "accepted: KEEPALIVE sent, OpenConfirm";
      case Kind::kAccepted:
        return absl::StrCat(VerdictName(verdict),
                            detail.empty() ? "" : absl::StrCat("; ", detail));
    }
    return "?";
  }
};

Outcome Notify(uint8_t code, uint8_t subcode, const std::string& data_hex) {
  Outcome o;
  o.kind = Outcome::Kind::kNotification;
  o.code = code;
  o.subcode = subcode;
  o.data = FromHex(data_hex);
  return o;
}
Outcome Verdicts(Verdict v, const std::string& detail) {
  Outcome o;
  o.kind = Outcome::Kind::kAccepted;
  o.verdict = v;
  o.detail = detail;
  return o;
}
Outcome Ok(const std::string& detail) { return Verdicts(Verdict::kOk, detail); }
Outcome Taw(const std::string& detail) {
  return Verdicts(Verdict::kTreatAsWithdraw, detail);
}
Outcome Discard(const std::string& detail) {
  return Verdicts(Verdict::kAttributeDiscard, detail);
}
Outcome OpenAccepted() {
  Outcome o;
  o.kind = Outcome::Kind::kOpenAccepted;
  return o;
}
Outcome SilentClose() {
  Outcome o;
  o.kind = Outcome::Kind::kSilentClose;
  return o;
}

struct Case {
  std::string id;
  std::string rfc;
  std::string input;  // what is sent, in words
  Context ctx;
  Phase phase = Phase::kEstablished;
  std::string hex;  // the crafted bytes (empty: `action` or silence)
  // Instead of bytes: something done to the session (ManualStop).
  std::function<void(EventLoop&, PeerId)> action;
  Outcome expect;
  std::string note;  // bgpy's reading / a known deviation
  milliseconds wait{3000};
  // Runs offline (bgpy::DecodeContext) instead of over the wire (issue 10
  // defect 4).
  bool offline = false;
};

// --- The table
// -----------------------------------------------------------------

std::vector<Case> AllCases() {
  std::vector<Case> t;
  auto add = [&t](std::string id, std::string rfc, std::string input,
                  Phase phase, std::string hex, Outcome expect,
                  std::string note = "") {
    Case c;
    c.id = std::move(id);
    c.rfc = std::move(rfc);
    c.input = std::move(input);
    c.phase = phase;
    c.hex = std::move(hex);
    c.expect = std::move(expect);
    c.note = std::move(note);
    t.push_back(std::move(c));
    return &t.back();
  };
  const Phase kOs = Phase::kOpenSent;
  const Phase kOc = Phase::kOpenConfirm;
  const Phase kEs = Phase::kEstablished;
  Context two;
  two.four_octet = false;
  Context ibgp;
  ibgp.ibgp = true;
  Context v6;
  v6.ipv6 = true;

  // ---- RFC 4271 §6.1: message header errors.
  add("H01", "4271 §6.1", "KEEPALIVE with marker octet 0 = 0x00", kEs,
      absl::StrCat("00", kKeepalive.substr(2)), Notify(1, 1, ""));
  add("H02", "4271 §6.1", "first message after OPEN with a zero marker", kOs,
      absl::StrCat(std::string(32, '0'), "001304"), Notify(1, 1, ""));
  add("H03", "4271 §6.1", "length field 18 (< 19)", kEs, RawHex(18, 4, ""),
      Notify(1, 2, "0012"));
  add("H04", "4271 §6.1", "length field 0", kEs, RawHex(0, 4, ""),
      Notify(1, 2, "0000"));
  add("H05", "4271 §6.1", "KEEPALIVE of 20 octets", kEs, RawHex(20, 4, "00"),
      Notify(1, 2, "0014"));
  add("H06", "4271 §6.1", "OPEN of 28 octets (minimum 29)", kOs,
      RawHex(28, 1, "04fdea005a0a000002"), Notify(1, 2, "001c"));
  add("H07", "4271 §6.1", "UPDATE of 22 octets (minimum 23)", kEs,
      RawHex(22, 2, "000000"), Notify(1, 2, "0016"));
  add("H08", "4271 §6.1", "NOTIFICATION of 20 octets (minimum 21)", kEs,
      RawHex(20, 3, "06"), Notify(1, 2, "0014"),
      "header errors are answered whatever the type (§6.1); §6.4 covers "
      "a NOTIFICATION's contents (F10)");
  add("H09", "4271 §6.1, 2918 §3", "ROUTE-REFRESH of 22 octets (minimum 23)",
      kEs, RawHex(22, 5, "000100"), Notify(1, 2, "0016"));
  add("H10", "4271 §6.1, 8654 §4",
      "UPDATE of 4097 octets, extended message not negotiated", kEs,
      UpdateHex("", kBase4 + Attr(0xd0, 99, std::string(2 * 4046, 'a')), kP24),
      Notify(1, 2, "1001"));
  add("H11", "4271 §6.1", "message type 0", kEs, RawHex(19, 0, ""),
      Notify(1, 3, "00"));
  add("H12", "4271 §6.1", "message type 6", kEs, RawHex(19, 6, ""),
      Notify(1, 3, "06"));
  add("H13", "4271 §6.1", "message type 255 in OpenSent", kOs,
      RawHex(19, 255, ""), Notify(1, 3, "ff"));
  {
    Context ext;
    ext.extended_message = true;
    Case* c =
        add("H14", "8654 §4",
            "UPDATE of 4097 octets, extended message negotiated", kEs,
            UpdateHex("", kBase4 + Attr(0xd0, 99, std::string(2 * 4046, 'a')),
                      kP24),
            Ok("announced 10.0.0.0/24"));
    c->ctx = ext;
    c = add("H15", "8654 §4",
            "KEEPALIVE of 4097 octets, extended message negotiated", kEs,
            RawHex(4097, 4, std::string(2 * 4078, '0')), Notify(1, 2, "1001"));
    c->ctx = ext;
  }

  // ---- RFC 4271 §6.2: OPEN message errors (the peer's OPEN in OpenSent).
  const Context d;
  add("O01", "4271 §6.2", "OPEN version 3", kOs,
      OpenHex(3, kPeerAs, 90, kPeerIdHex, CapsHex(d)), Notify(2, 1, "0004"),
      "data: the largest version supported, 4");
  add("O02", "4271 §6.2", "OPEN version 5", kOs,
      OpenHex(5, kPeerAs, 90, kPeerIdHex, CapsHex(d)), Notify(2, 1, "0004"));
  add("O03", "4271 §6.2", "My AS 65003, 65002 configured", kOs,
      OpenHex(4, 65003, 90, kPeerIdHex, "010400010001"), Notify(2, 2, ""));
  add("O04", "4271 §6.2, 7607 §3", "My AS 0", kOs,
      OpenHex(4, 0, 90, kPeerIdHex, "010400010001"), Notify(2, 2, ""));
  add("O05", "6793 §4.1", "4-octet AS capability says 65003", kOs,
      OpenHex(4, 23456, 90, kPeerIdHex, "41040000fdeb"), Notify(2, 2, ""));
  add("O06", "6793 §4.1, 7607 §3", "4-octet AS capability says 0", kOs,
      OpenHex(4, 23456, 90, kPeerIdHex, "410400000000"), Notify(2, 2, ""));
  add("O07", "6793 §4.1", "My AS 23456 (AS_TRANS) without the capability", kOs,
      OpenHex(4, 23456, 90, kPeerIdHex, "010400010001"), Notify(2, 2, ""));
  add("O08", "4271 §6.2", "hold time 1", kOs,
      OpenHex(4, kPeerAs, 1, kPeerIdHex, CapsHex(d)), Notify(2, 6, ""));
  add("O09", "4271 §6.2", "hold time 2", kOs,
      OpenHex(4, kPeerAs, 2, kPeerIdHex, CapsHex(d)), Notify(2, 6, ""));
  add("O10", "4271 §4.2", "hold time 0 (no keepalives)", kOs,
      OpenHex(4, kPeerAs, 0, kPeerIdHex, CapsHex(d)), OpenAccepted());
  add("O11", "4271 §4.2", "hold time 3", kOs,
      OpenHex(4, kPeerAs, 3, kPeerIdHex, CapsHex(d)), OpenAccepted());
  add("O12", "4271 §6.2, 6286 §2.2", "BGP Identifier 0.0.0.0", kOs,
      OpenHex(4, kPeerAs, 90, "00000000", CapsHex(d)), Notify(2, 3, ""));
  add("O13", "6286 §2.1", "iBGP, BGP Identifier equal to bgpy's", kOs,
      OpenHex(4, kLocalAs, 90, kLocalIdHex, CapsHex(ibgp)), Notify(2, 3, ""))
      ->ctx = ibgp;
  add("O14", "6286 §2.1", "eBGP, BGP Identifier equal to bgpy's", kOs,
      OpenHex(4, kPeerAs, 90, kLocalIdHex, CapsHex(d)), OpenAccepted(),
      "identifiers need only differ within an AS");
  add("O15", "4271 §6.2", "optional parameter type 1 (authentication)", kOs,
      MsgHex(1, absl::StrCat("04fdea005a", kPeerIdHex, "04", "0102abcd")),
      Notify(2, 4, ""));
  add("O16", "4271 §6.2", "Optional Parameters Length 10, 8 octets follow", kOs,
      MsgHex(1,
             absl::StrCat("04fdea005a", kPeerIdHex, "0a", "0206010400010001")),
      Notify(2, 0, ""), "bgpy's choice: no subcode names it");
  add("O17", "5492 §4", "capability length overruns its parameter", kOs,
      MsgHex(1,
             absl::StrCat("04fdea005a", kPeerIdHex, "08", "0206010800010001")),
      Notify(2, 0, ""), "bgpy's choice: no subcode names it");
  add("O18", "5492 §3", "unknown capability 200 (ignored)", kOs,
      OpenHex(4, kPeerAs, 90, kPeerIdHex, CapsHex(d) + "c802abcd"),
      OpenAccepted());
  add("O19", "9072 §2", "capabilities in an extended-length parameter", kOs,
      MsgHex(1, absl::StrCat("04fdea005a", kPeerIdHex, "ff", "ff", "000f",
                             "02000c", "010400010001", "41040000fdea")),
      OpenAccepted());
  {
    Context r;
    r.local_role = Role::kProvider;
    add("O20", "9234 §4.2", "role provider against bgpy's provider", kOs,
        OpenHex(4, kPeerAs, 90, kPeerIdHex, CapsHex(d) + "090100"),
        Notify(2, 11, ""))
        ->ctx = r;
    add("O21", "9234 §4.2", "role customer against bgpy's provider", kOs,
        OpenHex(4, kPeerAs, 90, kPeerIdHex, CapsHex(d) + "090103"),
        OpenAccepted())
        ->ctx = r;
    add("O22", "9234 §4.2", "two different roles", kOs,
        OpenHex(4, kPeerAs, 90, kPeerIdHex, CapsHex(d) + "090103090104"),
        Notify(2, 11, ""))
        ->ctx = r;
    r.strict_role = true;
    add("O23", "9234 §4.2", "no role, bgpy in strict mode", kOs,
        OpenHex(4, kPeerAs, 90, kPeerIdHex, CapsHex(d)), Notify(2, 11, ""))
        ->ctx = r;
  }

  add("O24", "6793 §4.1", "My AS 65001 (not AS_TRANS), capability 65002", kOs,
      OpenHex(4, kLocalAs, 90, kPeerIdHex, "41040000fdea"), OpenAccepted(),
      "the capability's AS is the peer's AS");

  // ---- RFC 4271 §6.5: hold timer.
  {
    Context h;
    h.peer_hold = 3;
    Case* c =
        add("T01", "4271 §6.5", "peer negotiates hold time 3, then silent", kEs,
            "", Notify(4, 0, ""));
    c->ctx = h;
    c->wait = milliseconds(6000);
    c = add("T02", "4271 §6.5, §8.2.2",
            "peer's OPEN with hold time 3, then no KEEPALIVE", kOc, "",
            Notify(4, 0, ""));
    c->ctx = h;
    c->wait = milliseconds(6000);
  }

  // ---- RFC 4271 §6.6, RFC 6608: FSM errors.
  add("F01", "4271 §6.6, 6608 §3", "KEEPALIVE in OpenSent", kOs, kKeepalive,
      Notify(5, 1, ""));
  add("F02", "4271 §6.6, 6608 §3", "UPDATE in OpenSent", kOs,
      UpdateHex("", kBase4, kP24), Notify(5, 1, ""));
  add("F03", "4271 §6.6, 6608 §3", "ROUTE-REFRESH in OpenSent", kOs,
      MsgHex(5, "00010001"), Notify(5, 1, ""));
  add("F04", "4271 §6.6, 6608 §3", "UPDATE in OpenConfirm", kOc,
      UpdateHex("", kBase4, kP24), Notify(5, 2, ""));
  add("F05", "4271 §6.6, 6608 §3", "second OPEN in OpenConfirm", kOc,
      PeerOpenHex(d), Notify(5, 2, ""));
  add("F06", "4271 §6.6, 6608 §3", "ROUTE-REFRESH in OpenConfirm", kOc,
      MsgHex(5, "00010001"), Notify(5, 2, ""));
  add("F07", "4271 §6.6, 6608 §3", "OPEN in Established", kEs, PeerOpenHex(d),
      Notify(5, 3, ""));
  add("F08", "4271 §4.5", "NOTIFICATION Cease/2 in Established", kEs,
      MsgHex(3, "0602"), SilentClose(), "a NOTIFICATION is never answered");
  add("F09", "4271 §4.5", "NOTIFICATION 2/2 in OpenSent", kOs,
      MsgHex(3, "0202"), SilentClose());

  add("F10", "4271 §6.4", "NOTIFICATION with unknown code 99 in Established",
      kEs, MsgHex(3, "6301"), SilentClose());
  add("F11", "4271 §6.4, 9003 §2",
      "Cease/2 whose shutdown length (200) overruns the data", kEs,
      MsgHex(3, "0602c8414243"), SilentClose());

  // ---- Cease (RFC 4486, RFC 9003) sent by bgpy.
  {
    Case* c = add("C01", "4486 §4, 9003 §2",
                  "ManualStop with shutdown text \"maintenance\"", kEs, "",
                  Notify(6, 2, "0b6d61696e74656e616e6365"));
    c->action = [](EventLoop& loop, PeerId id) {
      loop.StopPeer(id, CeaseSubcode::kAdministrativeShutdown, "maintenance");
    };
    c = add("C02", "4486 §4", "ManualStop, administrative reset, no text", kEs,
            "", Notify(6, 4, ""));
    c->action = [](EventLoop& loop, PeerId id) {
      loop.StopPeer(id, CeaseSubcode::kAdministrativeReset, "");
    };
  }

  // ---- ROUTE-REFRESH (RFC 2918, RFC 7313).
  add("R01", "2918 §4", "ROUTE-REFRESH IPv4 unicast", kEs,
      MsgHex(5, "00010001"), Ok("refresh ipv4-unicast subtype 0"));
  add("R02", "7313 §5", "BoRR with one octet after AFI/SAFI", kEs,
      MsgHex(5, "0001010100"), Notify(7, 1, MsgHex(5, "0001010100")),
      "data: the whole ROUTE-REFRESH");
  add("R03", "7313 §5", "unknown subtype 5 (ignored)", kEs,
      MsgHex(5, "00010501"), Ok("ignored"));
  add("R04", "2918 §4", "ROUTE-REFRESH for a family not negotiated (ignored)",
      kEs, MsgHex(5, "00020001"), Ok("ignored"));

  // ---- RFC 4271 §6.3 / RFC 7606: UPDATE message errors.
  const std::string ann = "announced 10.0.0.0/24";
  const std::string wd = "withdrawn 10.0.0.0/24";
  add("U01", "4271 §6.3, 7606 §5.1", "Withdrawn Routes Length overruns", kEs,
      MsgHex(2, "0010180a00000000"), Notify(3, 1, ""));
  add("U02", "4271 §6.3, 7606 §5.1", "Total Path Attribute Length overruns",
      kEs, MsgHex(2, absl::StrCat("0000", "0020", kOrigin)), Notify(3, 1, ""));
  add("U03", "4271 §6.3, 7606 §5.3", "NLRI prefix length 33", kEs,
      UpdateHex("", kBase4, "210a000000ff"), Notify(3, 10, ""));
  add("U04", "4271 §6.3, 7606 §5.3", "withdrawn prefix length 33", kEs,
      UpdateHex("210a000000ff", "", ""), Notify(3, 10, ""));
  add("U05", "4271 §6.3, 7606 §5.3", "NLRI /24 with 2 address octets", kEs,
      UpdateHex("", kBase4, "180a00"), Notify(3, 10, ""));
  add("U06", "7606 §3(d)", "only withdrawn routes, no attributes", kEs,
      UpdateHex(kP24, "", ""), Ok(wd),
      "mandatory attributes are needed only with NLRI");
  add("U07", "4724 §2", "empty UPDATE (End-of-RIB)", kEs, UpdateHex("", "", ""),
      Ok("End-of-RIB ipv4-unicast"));
  add("U08", "4271 §6.3, 7606 §3(d)", "NLRI without ORIGIN", kEs,
      UpdateHex("", kAsPath4 + kNextHop, kP24), Taw(wd));
  add("U09", "4271 §6.3, 7606 §3(d)", "NLRI without AS_PATH", kEs,
      UpdateHex("", kOrigin + kNextHop, kP24), Taw(wd));
  add("U10", "4271 §6.3, 7606 §3(d)", "NLRI without NEXT_HOP", kEs,
      UpdateHex("", kOrigin + kAsPath4, kP24), Taw(wd));
  add("U11", "7606 §3(d), 4760 §3",
      "MP_REACH IPv6 without NEXT_HOP (none needed)", kEs,
      UpdateHex("", kOrigin + kAsPath4 + kMpReach6, ""),
      Ok("announced 2001:db8:1::/48"))
      ->ctx = v6;
  add("U12", "7606 §3(d)", "MP_REACH IPv6 without ORIGIN", kEs,
      UpdateHex("", kAsPath4 + kMpReach6, ""), Taw("withdrawn 2001:db8:1::/48"))
      ->ctx = v6;
  add("U13", "7606 §3(d)", "MP_UNREACH only, no other attribute", kEs,
      UpdateHex("", kMpUnreach6, ""), Ok("withdrawn 2001:db8:2::/48"))
      ->ctx = v6;
  add("U14", "7606 §3(c), §7.1", "ORIGIN flags optional (0xc0)", kEs,
      UpdateHex("", "c0010100" + kAsPath4 + kNextHop, kP24), Taw(wd));
  add("U15", "7606 §7.1", "ORIGIN length 2", kEs,
      UpdateHex("", "4001020000" + kAsPath4 + kNextHop, kP24), Taw(wd));
  add("U16", "4271 §6.3, 7606 §7.1", "ORIGIN value 3", kEs,
      UpdateHex("", "40010103" + kAsPath4 + kNextHop, kP24), Taw(wd));
  add("U17", "7606 §7.1", "ORIGIN length 0", kEs,
      UpdateHex("", "400100" + kAsPath4 + kNextHop, kP24), Taw(wd));
  add("U18", "7606 §3(g)", "ORIGIN twice (second discarded)", kEs,
      UpdateHex("", kBase4 + "40010102", kP24), Discard(ann));
  add("U19", "7606 §3(g)", "MP_REACH_NLRI twice", kEs,
      UpdateHex("", kOrigin + kAsPath4 + kMpReach6 + kMpReach6, ""),
      Notify(3, 1, ""))
      ->ctx = v6;
  add("U20", "7606 §3(g)", "MP_UNREACH_NLRI twice", kEs,
      UpdateHex("", kMpUnreach6 + kMpUnreach6, ""), Notify(3, 1, ""))
      ->ctx = v6;
  add("U21", "7606 §7.2", "AS_PATH segment length 2 with one AS", kEs,
      UpdateHex("", kOrigin + "40020602020000fdea" + kNextHop, kP24), Taw(wd));
  add("U22", "7606 §7.2", "AS_PATH segment of length 0", kEs,
      UpdateHex("", kOrigin + "4002020200" + kNextHop, kP24), Taw(wd));
  add("U23", "7606 §7.2", "AS_PATH segment type 5", kEs,
      UpdateHex("", kOrigin + "40020605010000fdea" + kNextHop, kP24), Taw(wd));
  add("U24", "7606 §7.2", "AS_PATH, 2-octet session, 3 octets after header",
      kEs, UpdateHex("", kOrigin + "4002050201fdea00" + kNextHop, kP24),
      Taw(wd))
      ->ctx = two;
  add("U25", "7606 §3(c)", "AS_PATH flags optional transitive (0xc0)", kEs,
      UpdateHex("", kOrigin + "c0020602010000fdea" + kNextHop, kP24), Taw(wd));
  add("U26", "7606 §7.3", "NEXT_HOP length 5", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "4003057f00000200", kP24), Taw(wd));
  add("U27", "4271 §6.3, 7606 §7.3", "NEXT_HOP 0.0.0.0", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "40030400000000", kP24), Taw(wd));
  add("U28", "4271 §6.3, 7606 §7.3", "NEXT_HOP 224.0.0.1 (multicast)", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "400304e0000001", kP24), Taw(wd));
  add("U29", "4271 §6.3, 7606 §7.3", "NEXT_HOP 255.255.255.255", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "400304ffffffff", kP24), Taw(wd));
  add("U30", "4760 §3, 7606 §7.3",
      "NEXT_HOP length 5 with no IPv4 NLRI (ignored)", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "4003057f00000200" + kMpReach6, ""),
      Ok("announced 2001:db8:1::/48"))
      ->ctx = v6;
  add("U31", "7606 §3(c)", "NEXT_HOP flags optional (0x80)", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "8003047f000002", kP24), Taw(wd));
  add("U32", "7606 §7.4", "MULTI_EXIT_DISC length 3", kEs,
      UpdateHex("", kBase4 + "800403000001", kP24), Taw(wd));
  add("U33", "7606 §7.5", "LOCAL_PREF length 2, iBGP", kEs,
      UpdateHex("", kOrigin + "400200" + kNextHop + "40050200ff", kP24),
      Taw(wd))
      ->ctx = ibgp;
  add("U34", "7606 §7.6", "ATOMIC_AGGREGATE length 1", kEs,
      UpdateHex("", kBase4 + "40060100", kP24), Discard(ann));
  add("U35", "7606 §3(c), §7.6", "ATOMIC_AGGREGATE flags optional (0xc0)", kEs,
      UpdateHex("", kBase4 + "c00600", kP24), Taw(wd),
      "flags conflicts are treat-as-withdraw even where a bad value is "
      "discarded");
  add("U36", "7606 §7.7", "AGGREGATOR length 6 on a 4-octet session", kEs,
      UpdateHex("", kBase4 + "c00706fdea0a000002", kP24), Discard(ann));
  add("U37", "7606 §7.7", "AGGREGATOR length 8 on a 2-octet session", kEs,
      UpdateHex("", kBase2 + "c007080000fdea0a000002", kP24), Discard(ann))
      ->ctx = two;
  add("U38", "6793 §4.1", "AGGREGATOR length 8 on a 4-octet session", kEs,
      UpdateHex("", kBase4 + "c007080000fdea0a000002", kP24), Ok(ann));
  add("U39", "7606 §7.8", "COMMUNITIES length 5", kEs,
      UpdateHex("", kBase4 + "c00805fde8000100", kP24), Taw(wd));
  add("U40", "7606 §7.8", "COMMUNITIES length 0", kEs,
      UpdateHex("", kBase4 + "c00800", kP24), Taw(wd));
  add("U41", "7606 §3(c)", "COMMUNITIES flags well-known (0x40)", kEs,
      UpdateHex("", kBase4 + "400804fde80001", kP24), Taw(wd));
  add("U42", "7606 §7.9", "ORIGINATOR_ID length 5, iBGP", kEs,
      UpdateHex("", kOrigin + "400200" + kNextHop + "8009050a00000200", kP24),
      Taw(wd))
      ->ctx = ibgp;
  add("U43", "7606 §7.10", "CLUSTER_LIST length 6, iBGP", kEs,
      UpdateHex("", kOrigin + "400200" + kNextHop + "800a060a0000020000", kP24),
      Taw(wd))
      ->ctx = ibgp;
  add("U44", "4760 §7, 7606 §7.11", "MP_REACH IPv6, next hop length 5", kEs,
      UpdateHex("",
                kOrigin + kAsPath4 +
                    Attr(0x80, 14,
                         "000201052001db800100"
                         "3020010db80001"),
                ""),
      Notify(3, 9,
             Attr(0x80, 14,
                  "000201052001db800100"
                  "3020010db80001")))
      ->ctx = v6;
  add("U45", "4760 §7, 7606 §7.11", "MP_REACH IPv6, NLRI /64 with 2 octets",
      kEs,
      UpdateHex("",
                kOrigin + kAsPath4 +
                    Attr(0x80, 14,
                         "0002011020010db800000000000000000000000100"
                         "402001"),
                ""),
      Notify(3, 9,
             Attr(0x80, 14,
                  "0002011020010db800000000000000000000000100"
                  "402001")),
      "data: the attribute (4271 §6.3)")
      ->ctx = v6;
  add("U46", "4760 §7, 7606 §7.11", "MP_REACH of 2 octets (AFI only)", kEs,
      UpdateHex("", kOrigin + kAsPath4 + Attr(0x80, 14, "0002"), ""),
      Notify(3, 9, Attr(0x80, 14, "0002")))
      ->ctx = v6;
  add("U47", "4760 §7, 7606 §7.11", "MP_REACH AFI 99 SAFI 1", kEs,
      UpdateHex("",
                kOrigin + kAsPath4 +
                    Attr(0x80, 14,
                         "006301047f00000200"
                         "180a0000"),
                ""),
      Ok("announced 180a0000"),
      "bgpy's choice: an unknown family is handed over undecoded (hex); "
      "RFC 4760 prescribes nothing, the owner ignores what it did not "
      "negotiate");
  add("U69", "4760 §6", "MP_REACH IPv6, IPv6 not negotiated", kEs,
      UpdateHex("", kOrigin + kAsPath4 + kMpReach6, ""),
      Ok("announced 2001:db8:1::/48"),
      "bgpy's choice: reported as received; the owner ignores families it "
      "did not negotiate");
  add("U70", "7606 §7.5, 4271 §5.1.5", "LOCAL_PREF 100 from an external peer",
      kEs, UpdateHex("", kBase4 + "40050400000064", kP24), Discard(ann),
      "the session is eBGP (AS 65002 to AS 65001): the attribute is never "
      "handed out");
  add("U71", "7606 §7.5", "LOCAL_PREF length 2 from an external peer", kEs,
      UpdateHex("", kBase4 + "40050200ff", kP24), Discard(ann),
      "any LOCAL_PREF from eBGP is discarded, malformed or not (U33: the "
      "iBGP answer)");
  add("U48", "4760 §7, 7606 §7.11", "MP_UNREACH of 2 octets", kEs,
      UpdateHex("", Attr(0x80, 15, "0002"), ""),
      Notify(3, 9, Attr(0x80, 15, "0002")))
      ->ctx = v6;
  add("U49", "4760 §7, 7606 §7.11", "MP_UNREACH IPv6, NLRI /48 with 1 octet",
      kEs,
      UpdateHex("",
                Attr(0x80, 15,
                     "000201"
                     "3020"),
                ""),
      Notify(3, 9,
             Attr(0x80, 15,
                  "000201"
                  "3020")),
      "data: the attribute (4271 §6.3)")
      ->ctx = v6;
  add("U50", "7606 §3(c)", "MP_REACH flags optional transitive (0xc0)", kEs,
      UpdateHex("", kOrigin + kAsPath4 + "c00e" + kMpReach6.substr(4), ""),
      Notify(3, 4, "c00e" + kMpReach6.substr(4)),
      "a malformed MP_REACH resets the session (7606 §7.11); data: the "
      "attribute")
      ->ctx = v6;
  add("U51", "7606 §7.14", "EXTENDED_COMMUNITIES length 7", kEs,
      UpdateHex("", kBase4 + "c0100700020000fdea00", kP24), Taw(wd));
  add("U52", "8092 §6", "LARGE_COMMUNITY length 11", kEs,
      UpdateHex("", kBase4 + "c0200b0000fdea00000001000000", kP24), Taw(wd));
  add("U53", "6793 §6", "AS4_PATH of 3 octets, 2-octet session", kEs,
      UpdateHex("", kBase2 + "c01103020100", kP24), Discard(ann))
      ->ctx = two;
  add("U54", "6793 §6", "AS4_AGGREGATOR length 6, 2-octet session", kEs,
      UpdateHex("", kBase2 + "c01206fdea0a000002", kP24), Discard(ann))
      ->ctx = two;
  add("U55", "4271 §6.3", "unrecognized well-known attribute 99 (0x40)", kEs,
      UpdateHex("", kBase4 + "40630100", kP24), Notify(3, 2, "40630100"),
      "data: the attribute");
  add("U56", "4271 §5", "unknown optional non-transitive 99 (ignored)", kEs,
      UpdateHex("", kBase4 + "80630100", kP24), Ok(ann));
  add("U57", "4271 §5", "unknown optional transitive 99, Partial bit", kEs,
      UpdateHex("", kBase4 + "e0630100", kP24), Ok(ann));
  add("U58", "7606 §3(c)", "ORIGIN with the Partial bit (0x60)", kEs,
      UpdateHex("", "60010100" + kAsPath4 + kNextHop, kP24), Ok(ann),
      "7606 §3(c) checks only the Optional and Transitive bits");
  add("U59", "4271 §4.3", "ORIGIN with Extended Length, length 1", kEs,
      UpdateHex("", "5001000100" + kAsPath4 + kNextHop, kP24), Ok(ann));
  add("U72", "2545 §3", "MP_REACH IPv6, global and link-local next hop", kEs,
      UpdateHex("",
                kOrigin + kAsPath4 +
                    Attr(0x80, 14,
                         "0002012020010db8000000000000000000000001"
                         "fe80000000000000000000000000000100"
                         "3020010db80001"),
                ""),
      Ok("announced 2001:db8:1::/48"))
      ->ctx = v6;
  add("U73", "4271 §6.3, 8654 §4",
      "4096-octet UPDATE: unrecognized well-known attribute of 4069 octets",
      kEs, UpdateHex("", Attr(0x50, 99, std::string(2 * 4069, 'b')), ""),
      Notify(3, 2, Attr(0x50, 99, std::string(2 * 4069, 'b'))),
      "a 4094-octet NOTIFICATION: the data always fits");
  add("U74", "4271 §6.3",
      "eBGP AS_PATH whose first AS (65099) is not the "
      "peer's",
      kEs, UpdateHex("", kOrigin + "40020602010000fe4b" + kNextHop, kP24),
      Ok(ann), "the check is a MAY; bgpy leaves it to the owner");
  add("U75", "7606 §7.9", "ORIGINATOR_ID from an external peer", kEs,
      UpdateHex("", kBase4 + "8009040a000002", kP24), Discard(ann),
      "the session is eBGP: the attribute is never handed out");
  add("U76", "7606 §7.10", "CLUSTER_LIST from an external peer", kEs,
      UpdateHex("", kBase4 + "800a040a000002", kP24), Discard(ann), "as U75");
  add("U80", "4271 §5.1.5, 7606 §7.5, §7.9, §7.10",
      "LOCAL_PREF 100, ORIGINATOR_ID and CLUSTER_LIST, iBGP", kEs,
      UpdateHex("",
                kOrigin + "400200" + kNextHop + "40050400000064" +
                    "8009040a000002" + "800a040a000003",
                kP24),
      Ok(ann + "; LOCAL_PREF 100 kept; ORIGINATOR_ID 0a000002 kept; "
               "CLUSTER_LIST 0a000003 kept"),
      "the same AS on both sides: kept (U70, U75, U76: the eBGP answers)")
      ->ctx = ibgp;
  add("U77", "5065 §5", "eBGP AS_PATH of one AS_CONFED_SEQUENCE segment", kEs,
      UpdateHex("", kOrigin + "40020603010000fdea" + kNextHop, kP24), Ok(ann),
      "the codec does not know the peer is outside the confederation; the "
      "owner must check");
  add("U78", "7606 §3(c), §7.7", "AGGREGATOR flags well-known (0x40)", kEs,
      UpdateHex("", kBase4 + "4007080000fdea0a000002", kP24), Taw(wd));
  add("U79", "7606 §3(c), 6793 §6",
      "AS4_PATH flags well-known (0x40), 2-octet session", kEs,
      UpdateHex("", kBase2 + "40110602010000fdea", kP24), Taw(wd))
      ->ctx = two;
  add("U60", "7606 §4 (issue 10 defect 3)",
      "COMMUNITIES says 8 octets, 4 left in the list", kEs,
      UpdateHex("", kBase4 + "c00808fde80001", kP24), Taw(wd));
  add("U61", "7606 §4 (issue 10 defect 3)",
      "overrun, withdrawn and announced routes", kEs,
      UpdateHex(kP16, kBase4 + "c00808fde80001", kP24),
      Taw("withdrawn 10.1.0.0/16, 10.0.0.0/24"));
  add("U62", "7606 §4, §3 last paragraph",
      "MP_REACH_NLRI length overruns the list", kEs,
      UpdateHex("", kBase4 + "800e2000020110", ""), Notify(3, 1, ""))
      ->ctx = v6;
  add("U63", "7606 §4, §3 last paragraph",
      "MP_UNREACH_NLRI length overruns the list", kEs,
      UpdateHex("", kBase4 + "800f10000201", ""), Notify(3, 1, ""))
      ->ctx = v6;
  add("U64", "7606 §4", "2 octets left in the list (flags, type 8)", kEs,
      UpdateHex("", kBase4 + "c008", kP24), Taw(wd));
  add("U65", "7606 §4", "1 octet left in the list", kEs,
      UpdateHex("", kBase4 + "c0", kP24), Notify(3, 1, ""),
      "the type is unknown: it may be MP_REACH (7606 §3, last paragraph)");
  add("U66", "7606 §5.2", "malformed ORIGIN and no routes at all", kEs,
      UpdateHex("", "40010103", ""), Notify(3, 1, ""),
      "nothing to withdraw: bgpy resets");
  {
    Context ap;
    ap.add_path = true;
    add("U67", "7911 §3 (issue 10 defect 4)",
        "ADD-PATH NLRI `01020304 20 c1000201`", kEs,
        UpdateHex("", kBase4, "0102030420c1000201"),
        Ok("announced 193.0.2.1/32 path 16909060"))
        ->ctx = ap;
    add("U68", "7911 §3, 7606 §5.3", "ADD-PATH negotiated, NLRI without id",
        kEs, UpdateHex("", kBase4, "180a0000"), Notify(3, 10, ""))
        ->ctx = ap;
  }
  {
    Case c;
    c.id = "D04";
    c.rfc = "7911 §3 (issue 10 defect 4)";
    c.input = "offline, no OPEN: NLRI `01020304 20 c1000201`";
    c.offline = true;
    c.expect = Ok("announced 193.0.2.1/32 path 16909060");
    c.note = "bgpy::DecodeContext (bgpy-decode auto) picks ADD-PATH";
    t.push_back(std::move(c));
  }
  return t;
}

// --- The raw peer
// --------------------------------------------------------------

// A bgpy passive session on 127.0.0.1 and a plain TCP socket connected to
// it, both driven from this thread.
class Wire {
 public:
  explicit Wire(const Context& ctx) {
    loop_.on_event = [this](PeerId, const SessionEvent& ev) {
      events_.push_back(ev);
    };
    posix::ListenConfig lc;
    lc.address = *IpAddress::Parse("127.0.0.1");
    lc.port = 0;
    absl::StatusOr<uint16_t> port = loop_.Listen(lc);
    EXPECT_TRUE(port.ok()) << port.status();
    if (!port.ok()) return;
    posix::PeerConfig pc;
    pc.address = *IpAddress::Parse("127.0.0.1");
    pc.session = ConfigFor(ctx);
    absl::StatusOr<PeerId> id = loop_.AddPeer(pc);
    EXPECT_TRUE(id.ok()) << id.status();
    if (!id.ok()) return;
    id_ = *id;
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0x7f000001);
    sin.sin_port = htons(*port);
    // The kernel completes the handshake from the listen backlog.
    EXPECT_EQ(connect(fd_, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0)
        << std::strerror(errno);
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~Wire() {
    if (fd_ >= 0) close(fd_);
  }

  EventLoop& loop() { return loop_; }
  PeerId id() const { return id_; }
  Session* session() { return loop_.session(id_); }
  const std::vector<std::vector<uint8_t>>& messages() const { return msgs_; }
  const std::vector<SessionEvent>& events() const { return events_; }
  bool closed() const { return eof_; }

  // Runs the loop and reads the socket until `done()` or `timeout`.
  bool Pump(const std::function<bool()>& done, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      (void)loop_.RunOnce(milliseconds(2));
      Read();
    }
    return true;
  }

  void Send(const std::vector<uint8_t>& bytes) {
    size_t off = 0;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (off < bytes.size() && std::chrono::steady_clock::now() < deadline) {
      ssize_t n = send(fd_, bytes.data() + off, bytes.size() - off,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        off += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return;
      (void)loop_.RunOnce(milliseconds(1));
      Read();
    }
  }

  // Messages from bgpy of `type` received so far.
  size_t Count(int type) const {
    size_t n = 0;
    for (const auto& m : msgs_) n += m[18] == type;
    return n;
  }

 private:
  void Read() {
    if (eof_ || fd_ < 0) return;
    uint8_t buf[8192];
    for (;;) {
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n > 0) {
        in_.insert(in_.end(), buf, buf + n);
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) eof_ = true;
      break;
    }
    // Whole messages (bgpy's output is well-formed; the length is trusted
    // only as far as the bytes go).
    while (in_.size() >= 19) {
      const size_t len = size_t{in_[16]} << 8 | in_[17];
      if (len < 19 || in_.size() < len) break;
      msgs_.emplace_back(in_.begin(), in_.begin() + len);
      in_.erase(in_.begin(), in_.begin() + len);
    }
  }

  EventLoop loop_;
  PeerId id_ = 0;
  int fd_ = -1;
  bool eof_ = false;
  std::vector<uint8_t> in_;
  std::vector<std::vector<uint8_t>> msgs_;
  std::vector<SessionEvent> events_;
};

// "withdrawn A, B; announced C" for an UPDATE the session accepted, routes
// under treat-as-withdraw counted as withdrawn (RFC 7606 §2).
std::string RoutesOf(const UpdateView& v) {
  std::vector<std::string> withdrawn, announced;
  for (const RouteView& r : v.routes()) {
    std::string text = r.Text();
    if (r.path_id) absl::StrAppend(&text, " path ", *r.path_id);
    if (r.withdraw || v.verdict() >= Verdict::kTreatAsWithdraw) {
      withdrawn.push_back(text);
    } else {
      announced.push_back(text);
    }
  }
  std::vector<std::string> parts;
  if (!withdrawn.empty())
    parts.push_back(absl::StrCat("withdrawn ", absl::StrJoin(withdrawn, ", ")));
  if (!announced.empty())
    parts.push_back(absl::StrCat("announced ", absl::StrJoin(announced, ", ")));
  return absl::StrJoin(parts, "; ");
}

std::vector<uint8_t> NotificationBytes(const Outcome& o) {
  std::string body = absl::StrCat(Hex1(o.code), Hex1(o.subcode), ToHex(o.data));
  return FromHex(MsgHex(3, body));
}

// Brings a Wire to the case's phase; false (with failures) if it did not get
// there.
bool Reach(Wire& w, const Case& c) {
  // bgpy's OPEN first.
  if (!w.Pump([&] { return w.Count(1) == 1; }, milliseconds(3000))) {
    ADD_FAILURE() << "no OPEN from bgpy";
    return false;
  }
  if (c.phase == Phase::kOpenSent) return true;
  w.Send(FromHex(PeerOpenHex(c.ctx)));
  if (!w.Pump([&] { return w.Count(4) >= 1; }, milliseconds(3000))) {
    ADD_FAILURE() << "no KEEPALIVE from bgpy after our OPEN";
    return false;
  }
  if (c.phase == Phase::kOpenConfirm) {
    EXPECT_EQ(w.session()->state(), SessionState::kOpenConfirm);
    return true;
  }
  w.Send(FromHex(kKeepalive));
  if (!w.Pump(
          [&] { return w.session()->state() == SessionState::kEstablished; },
          milliseconds(3000))) {
    ADD_FAILURE() << "not Established";
    return false;
  }
  return true;
}

// What bgpy did with the crafted input, in the form of an Outcome.
Outcome Observe(Wire& w, const Case& c, size_t msg_mark, size_t ev_mark) {
  const int sent_type =
      c.hex.size() >= 38 ? FromHex(c.hex.substr(36, 2))[0] : -1;
  auto done = [&] {
    if (w.closed()) return true;
    if (c.expect.kind == Outcome::Kind::kOpenAccepted)
      return w.Count(4) >= 1 &&
             w.session()->state() == SessionState::kOpenConfirm;
    if (c.expect.kind != Outcome::Kind::kAccepted) return false;
    for (size_t i = ev_mark; i < w.events().size(); ++i) {
      const auto* m = std::get_if<MessageReceived>(&w.events()[i]);
      if (m != nullptr && static_cast<int>(m->type) == sent_type) return true;
    }
    return false;
  };
  w.Pump(done, c.wait);
  // A NOTIFICATION reaches the socket before the close; read what is left.
  if (w.closed() || c.expect.kind == Outcome::Kind::kNotification) {
    w.Pump([&] { return w.closed(); }, milliseconds(500));
  }

  Outcome o;
  std::vector<std::vector<uint8_t>> notes;
  for (size_t i = msg_mark; i < w.messages().size(); ++i) {
    if (w.messages()[i][18] == 3) notes.push_back(w.messages()[i]);
  }
  if (!notes.empty()) {
    EXPECT_EQ(notes.size(), 1u);
    EXPECT_TRUE(w.closed()) << "connection not closed after the NOTIFICATION";
    const std::vector<uint8_t>& n = notes[0];
    o.kind = Outcome::Kind::kNotification;
    if (n.size() >= 21) {
      o.code = n[19];
      o.subcode = n[20];
      o.data.assign(n.begin() + 21, n.end());
    }
    o.raw = n;
    return o;
  }
  if (w.closed()) {
    o.kind = Outcome::Kind::kSilentClose;
    return o;
  }
  if (c.expect.kind == Outcome::Kind::kOpenAccepted &&
      w.session()->state() == SessionState::kOpenConfirm) {
    o.kind = Outcome::Kind::kOpenAccepted;
    return o;
  }
  o.kind = Outcome::Kind::kAccepted;
  std::vector<std::string> detail;
  bool refresh = false, seen = false;
  for (size_t i = ev_mark; i < w.events().size(); ++i) {
    const SessionEvent& ev = w.events()[i];
    if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (static_cast<int>(m->type) != sent_type) continue;
      seen = true;
      if (m->type != MessageType::kUpdate) continue;
      o.verdict = m->verdict;
      std::optional<UpdateView> v = m->update();
      if (v) {
        std::string routes = RoutesOf(*v);
        if (!routes.empty()) detail.push_back(routes);
        // The iBGP-only attributes the session hands out (RFC 7606 §7.5,
        // §7.9, §7.10: none from an external peer).
        if (auto lp = v->local_pref()) {
          detail.push_back(absl::StrCat("LOCAL_PREF ", *lp, " kept"));
        }
        for (AttrCode code :
             {AttrCode::kOriginatorId, AttrCode::kClusterList}) {
          if (auto a = v->Find(code)) {
            detail.push_back(absl::StrCat(AttributeName(a->code), " ",
                                          ToHex(a->value), " kept"));
          }
        }
      }
    } else if (const auto* e = std::get_if<EndOfRib>(&ev)) {
      detail.push_back(absl::StrCat("End-of-RIB ", FamilyName(e->family)));
    } else if (const auto* r = std::get_if<RouteRefreshReceived>(&ev)) {
      refresh = true;
      detail.push_back(absl::StrCat("refresh ", FamilyName(r->family),
                                    " subtype ", r->subtype));
    } else if (std::holds_alternative<NotificationSent>(ev)) {
      ADD_FAILURE() << "NotificationSent without a NOTIFICATION on the wire";
    }
  }
  if (!seen) {
    o.detail = "(nothing processed)";
    return o;
  }
  if (sent_type == 5 && !refresh) detail.push_back("ignored");
  o.detail = absl::StrJoin(detail, "; ");
  EXPECT_EQ(w.session()->state(), SessionState::kEstablished);
  return o;
}

// The offline row (defect 4): bgpy::DecodeContext without OPENs.
Outcome RunOffline() {
  const std::vector<uint8_t> msg =
      FromHex(UpdateHex("", kBase4, "0102030420c1000201"));
  const SessionParams p = DecodeContext().For(msg);
  absl::StatusOr<UpdateView> v = UpdateView::Parse(msg, p);
  Outcome o;
  if (!v.ok()) {
    o.detail = std::string(v.status().message());
    return o;
  }
  o.verdict = v->verdict();
  o.detail = RoutesOf(*v);
  return o;
}

Outcome RunCase(const Case& c) {
  if (c.offline) return RunOffline();
  Wire w(c.ctx);
  if (w.session() == nullptr || !Reach(w, c)) return Outcome{};
  const size_t msg_mark = w.messages().size();
  const size_t ev_mark = w.events().size();
  if (c.action) {
    c.action(w.loop(), w.id());
  } else if (!c.hex.empty()) {
    w.Send(FromHex(c.hex));
  }
  Outcome o = Observe(w, c, msg_mark, ev_mark);
  // The session's own account of what it sent agrees with the wire.
  if (o.kind == Outcome::Kind::kNotification) {
    bool found = false;
    for (size_t i = ev_mark; i < w.events().size(); ++i) {
      if (const auto* n = std::get_if<NotificationSent>(&w.events()[i])) {
        found = true;
        EXPECT_EQ(n->notification.code, o.code);
        EXPECT_EQ(n->notification.subcode, o.subcode);
      }
    }
    EXPECT_TRUE(found) << "no NotificationSent event";
  }
  return o;
}

class MalformedTable : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedTable, AnswerIsTheRfcs) {
  const Case& c = GetParam();
  const auto start = std::chrono::steady_clock::now();
  Outcome got = RunCase(c);
  EXPECT_EQ(got.Render(), c.expect.Render())
      << c.id << " (" << c.rfc << "): " << c.input;
  if (c.expect.kind == Outcome::Kind::kNotification) {
    // The exact octets: marker, length, type 3, code, subcode, data.
    EXPECT_EQ(ToHex(got.raw), ToHex(NotificationBytes(c.expect))) << c.id;
  }
  if (c.id[0] == 'T') {
    // Hold time 3: the expiry comes after 3 s, not before.
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, milliseconds(2900));
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, MalformedTable, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.id;
                         });

TEST(MalformedTableTest, AtLeastSixtyMessageCasesWithUniqueIds) {
  std::vector<Case> cases = AllCases();
  size_t wire = 0;
  std::set<std::string> ids;
  for (const Case& c : cases) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id;
    if (!c.hex.empty()) ++wire;
  }
  EXPECT_GE(wire, 60u);
}

// --- The document
// --------------------------------------------------------------

// Issue 10 defects that are not messages, and the tests that prove them.
// A test that proves a defect: `needle` must occur in `file` (relative to
// the source tree); for this file, `needle` is the id of a row.
struct Proof {
  std::string file;
  std::string needle;
};
constexpr char kThisFile[] = "tests/malformed_table_test.cc";
struct Defect {
  std::string number;
  std::string what;
  std::vector<Proof> proofs;
};

std::vector<Defect> Defects() {
  std::vector<Defect> d;
  auto add = [&d](std::string n, std::string what) {
    d.push_back(Defect{std::move(n), std::move(what), {}});
    return &d.back();
  };
  auto p = [](std::string f, std::string n) {
    return Proof{std::move(f), std::move(n)};
  };
  Defect* x = add("1",
                  "a user's first Release build must not fail on a warning: "
                  "BGPY_WERROR is off by default and on in scripts/test (and "
                  "CI)");
  x->proofs.push_back(p("CMakeLists.txt", "option(BGPY_WERROR"));
  x->proofs.push_back(p("scripts/test", "-DBGPY_WERROR=ON"));
  x = add("2",
          "bgpy-inject that never reaches Established (no OPEN, refused, "
          "wrong TCP MD5 key) exits 2 with one line naming the cause");
  x->proofs.push_back(p("tests/tools/inject_errors_test.cc",
                        "TEST(InjectErrorsTest, NoOpenFromThePeerExitsTwo)"));
  x->proofs.push_back(p("tests/tools/inject_errors_test.cc",
                        "TEST(InjectErrorsTest, ConnectionRefusedExitsTwo)"));
  x->proofs.push_back(
      p("tests/tools/inject_errors_test.cc",
        "TEST(InjectErrorsTest, WrongMd5PasswordTimesOutNamingTheKey)"));
  x = add("3",
          "an attribute whose length overruns the attribute list: "
          "treat-as-withdraw when its header is readable and it is not "
          "MP_REACH/MP_UNREACH (RFC 7606 §4)");
  x->proofs.push_back(p("tests/malformed_table_test.cc", "U60"));
  x->proofs.push_back(p("tests/malformed_table_test.cc", "U61"));
  x->proofs.push_back(p("tests/malformed_table_test.cc", "U62"));
  x->proofs.push_back(p("tests/malformed_table_test.cc", "U64"));
  x->proofs.push_back(
      p("tests/update_test.cc",
        "TEST(UpdateViewTest, AttributeOverrunIsTreatAsWithdraw)"));
  x = add("4",
          "bgpy-decode's automatic ADD-PATH choice: `01020304 20 c1000201` "
          "is path 16909060, 193.0.2.1/32");
  x->proofs.push_back(p("tests/malformed_table_test.cc", "D04"));
  x->proofs.push_back(p("tests/malformed_table_test.cc", "U67"));
  x->proofs.push_back(p("tests/decode_context_test.cc",
                        "TEST(DecodeContextTest, "
                        "HostBitsMakeAReadingWithoutPathIdsImplausible)"));
  x = add("5",
          "the router closes or resets mid-injection: bgpy-inject's summary "
          "counts the routes written to the socket, not those queued");
  x->proofs.push_back(
      p("tests/tools/inject_errors_test.cc",
        "TEST(InjectErrorsTest, ResetMidInjectionCountsRoutesWritten)"));
  x->proofs.push_back(
      p("tests/tools/inject_errors_test.cc",
        "TEST(InjectErrorsTest, CloseMidInjectionCountsRoutesWritten)"));
  x = add("6",
          "bgpy-listen JSON output speed (measured, not a pass/fail test)");
  x->proofs.push_back(p("bench/README.md", "**Defect 6**"));
  x = add("7",
          "bgpy-listen with a slow stdout: the loop never blocks; the "
          "flooding peer is paused without its Hold timer expiring");
  x->proofs.push_back(p(
      "tests/tools/listen_backpressure_test.cc",
      "TEST(ListenBackpressureTest, SlowStdoutThrottlesOnlyTheFloodingPeer)"));
  x->proofs.push_back(
      p("tests/tools/listen_backpressure_test.cc",
        "TEST(ListenBackpressureTest, FastStdoutIsNeverThrottled)"));
  x->proofs.push_back(
      p("tests/posix_pause_test.cc",
        "TEST(PosixPauseTest, PausedPeerIsHeldBackButKeptAlive)"));
  x->proofs.push_back(
      p("tests/posix_pause_test.cc",
        "TEST(PosixPauseTest, WatchFdReportsWhenAPipeTakesOutput)"));
  x = add("8",
          "a reset mid-injection: the socket's error (\"connection reset by "
          "peer after N routes\") is the last line, not an internal state");
  x->proofs.push_back(p("tests/tools/inject_errors_test.cc",
                        "HasSubstr(\"connection reset by peer after \")"));
  x->proofs.push_back(
      p("tests/tools/inject_errors_test.cc", "Not(HasSubstr(\"in state\"))"));
  return d;
}

std::string SourceDir() {
  if (const char* s = std::getenv("BGPY_SOURCE_DIR"); s != nullptr && *s)
    return s;
#ifdef BGPY_SOURCE_TREE
  return BGPY_SOURCE_TREE;  // tests/extra.cmake
#else
  std::string f = __FILE__;
  const std::string tail = "/tests/malformed_table_test.cc";
  if (absl::EndsWith(f, tail)) return f.substr(0, f.size() - tail.size());
  return ".";
#endif
}

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Cell(std::string s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}});
}

// The input's octets after the marker, shortened when long.
std::string InputHex(const std::string& hex) {
  if (hex.empty()) return "";
  std::string h = hex.size() > 32 ? hex.substr(32) : hex;
  if (hex.substr(0, 32) != std::string(32, 'f'))
    h = hex;  // a bad marker is part of the point
  if (h.size() > 64)
    return absl::StrCat("`", h.substr(0, 64), "…` (", hex.size() / 2,
                        " octets)");
  return absl::StrCat("`", h, "`");
}

std::string RenderDoc() {
  std::string out;
  absl::StrAppend(
      &out,
      "# Malformed input: what bgpy answers\n\n"
      "Generated by `tests/malformed_table_test.cc`; do not edit. After "
      "changing the table, run\n"
      "`BGPY_REGENERATE_DOCS=1 build/bin/malformed_table_test` to rewrite "
      "this file\n(the test fails while the two differ).\n\n"
      "Each row is one test case "
      "(`Cases/MalformedTable.AnswerIsTheRfcs/<id>`): "
      "the test runs a bgpy\n`Session` in the POSIX `EventLoop` (passive, AS "
      "65001, BGP Identifier 10.0.0.1) and\nconnects to it from a raw socket "
      "on 127.0.0.1 as AS 65002 (10.0.0.2). It exchanges\nOPEN and KEEPALIVE "
      "up to the state in the *state* column, sends the input, and\nchecks "
      "the answer:\n\n"
      "- a NOTIFICATION: the exact octets received (marker, length, type 3, "
      "code, subcode,\n  data) and that bgpy closed the connection;\n"
      "- otherwise the RFC 7606 verdict bgpy reported for the message and "
      "the routes it\n  reported, routes of a treat-as-withdraw UPDATE "
      "counted as withdrawn; the session\n  stays Established and sends no "
      "NOTIFICATION. Verdicts (RFC 7606 §2): `ok`, "
      "`attribute-discard`\n  (the attribute is dropped, the routes kept), "
      "`treat-as-withdraw`;\n"
      "- no reply: bgpy closed the connection without sending anything;\n"
      "- for an OPEN that is accepted: bgpy's KEEPALIVE and the state "
      "OpenConfirm.\n\n"
      "Each case runs on a new connection; the whole table takes about 10 s "
      "(T01 and T02\nwait for a 3 s hold timer).\n\n"
      "*Input* shows the octets after the 16-octet marker (all of them when "
      "the marker is\nthe error). Attributes used: ORIGIN IGP `40010100`, "
      "AS_PATH 65002 `40020602010000fdea`\n(4-octet) or `4002040201fdea` "
      "(2-octet), NEXT_HOP 127.0.0.2 `4003047f000002`.\n\n");
  // Rows by group (in the order of the RFC sections), then by id.
  std::vector<Case> rows = AllCases();
  size_t sent = 0, notified = 0;
  for (const Case& c : rows) {
    sent += !c.hex.empty();
    notified += c.expect.kind == Outcome::Kind::kNotification;
  }
  absl::StrAppend(&out, rows.size(), " rows: ", sent,
                  " crafted messages sent over the wire, ", notified,
                  " answered with a NOTIFICATION.\n\n");
  auto group = [](const Case& c) {
    return std::string("HOTFCRUD").find(c.id[0]);
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Case& a, const Case& b) {
    if (group(a) != group(b)) return group(a) < group(b);
    return a.id < b.id;
  });
  absl::StrAppend(&out,
                  "| id | RFC | context | state | input | bgpy's answer | note "
                  "|\n|---|---|---|---|---|---|---|\n");
  for (const Case& c : rows) {
    const bool offline = c.offline;
    absl::StrAppend(
        &out, "| ", c.id, " | ", Cell(c.rfc), " | ",
        Cell(offline ? "no session" : c.ctx.Describe()), " | ",
        offline ? "–" : PhaseName(c.phase), " | ",
        Cell(c.hex.empty() ? c.input
                           : absl::StrCat(c.input, " ", InputHex(c.hex))),
        " | ", Cell(c.expect.Render(/*short_data=*/true)), " | ", Cell(c.note),
        " |\n");
  }
  absl::StrAppend(
      &out,
      "\n## Not applicable\n\n"
      "- RFC 5492 §5 Unsupported Capability (2/7): bgpy requires no "
      "capability of its peer,\n  so it never sends it; unknown capabilities "
      "are ignored (O18).\n"
      "- RFC 4271 §6.4 NOTIFICATION errors: a NOTIFICATION is never answered "
      "(F08-F11).\n"
      "\n## eBGP and iBGP\n\n"
      "- RFC 7606 §7.5, §7.9, §7.10: LOCAL_PREF, ORIGINATOR_ID and "
      "CLUSTER_LIST from an external\n  peer are attribute discard, "
      "malformed or not (U70, U71, U75, U76). The session\n  marks its "
      "receive side `SessionParams::external` when the peer's AS differs "
      "from\n  its own (`Negotiate`; confederations are not modelled), and "
      "`UpdateView::Parse`\n  then never hands them out. From an internal "
      "peer they are kept (U80) and a\n  malformed one is treat-as-withdraw "
      "(U33, U42, U43). Offline decoding (no session)\n  keeps them.\n"
      "\n## Issue 10 defects\n\n"
      "Defects 3 and 4 are rows of the table above. The others are not "
      "messages; these\ntests prove them (`DefectProofsExist` checks that "
      "each named test is still there).\n\n"
      "| defect | what | proof |\n|---|---|---|\n");
  for (const Defect& d : Defects()) {
    std::vector<std::string> proofs;
    for (const Proof& p : d.proofs) {
      proofs.push_back(p.file == kThisFile
                           ? absl::StrCat("row ", p.needle)
                           : absl::StrCat("`", p.file, "`: `", p.needle, "`"));
    }
    absl::StrAppend(&out, "| ", d.number, " | ", Cell(d.what), " | ",
                    Cell(absl::StrJoin(proofs, "<br>")), " |\n");
  }
  return out;
}

TEST(MalformedTableTest, DefectProofsExist) {
  const std::string root = SourceDir();
  std::set<std::string> ids;
  for (const Case& c : AllCases()) ids.insert(c.id);
  for (const Defect& d : Defects()) {
    for (const Proof& p : d.proofs) {
      if (p.file == kThisFile) {
        EXPECT_TRUE(ids.count(p.needle))
            << "defect " << d.number << ": no row " << p.needle;
        continue;
      }
      std::optional<std::string> text = ReadText(root + "/" + p.file);
      ASSERT_TRUE(text.has_value()) << root << "/" << p.file;
      EXPECT_TRUE(absl::StrContains(*text, p.needle))
          << "defect " << d.number << ": " << p.file << " has no \"" << p.needle
          << "\"";
    }
  }
}

TEST(MalformedTableTest, DocMatchesTable) {
  const std::string path = SourceDir() + "/docs/malformed-input.md";
  const std::string doc = RenderDoc();
  if (const char* r = std::getenv("BGPY_REGENERATE_DOCS"); r && *r == '1') {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << doc;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    return;
  }
  std::optional<std::string> have = ReadText(path);
  ASSERT_TRUE(have.has_value()) << path << " is missing; run "
                                << "BGPY_REGENERATE_DOCS=1 "
                                   "build/bin/malformed_table_test";
  if (*have == doc) return;
  // The first differing line, for the failure message.
  std::istringstream a(*have), b(doc);
  std::string la, lb;
  int line = 0;
  while (true) {
    ++line;
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) break;
    if (!ga || !gb || la != lb) break;
  }
  ADD_FAILURE() << path << " differs from the table at line " << line
                << ":\n  file:  " << la << "\n  table: " << lb
                << "\nRegenerate: BGPY_REGENERATE_DOCS=1 "
                   "build/bin/malformed_table_test";
}

}  // namespace
}  // namespace bgpy
