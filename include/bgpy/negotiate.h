// Copyright 2026 The bgpy Authors.
//
// negotiate.h: what a session is configured to offer (SessionConfig), the
// OPEN it sends, and what both OPENs negotiate (Negotiated), with the OPEN
// checks of RFC 4271 §6.2, RFC 6286, RFC 6793 and RFC 9234.
//
// Pure functions over values: no clock, no I/O. Session (session.h) calls
// them; tools and tests may call them directly.
#ifndef BGPY_NEGOTIATE_H_
#define BGPY_NEGOTIATE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/capabilities.h"
#include "bgpy/message.h"
#include "bgpy/params.h"
#include "bgpy/types.h"

namespace bgpy {

inline constexpr uint8_t kBgpVersion = 4;  // RFC 4271 §4.2
// RFC 4271 §4.2: a non-zero hold time is at least 3 seconds.
inline constexpr uint16_t kMinHoldTime = 3;
// RFC 4271 §10 suggested value for the hold time.
inline constexpr uint16_t kDefaultHoldTime = 90;
// RFC 4271 §10 suggested ConnectRetryTime.
inline constexpr std::chrono::seconds kDefaultConnectRetryTime{120};
// RFC 4271 §8.2.2: "the HoldTimer to a large value" in OpenSent; "A HoldTimer
// value of 4 minutes is suggested".
inline constexpr std::chrono::seconds kLargeHoldTime{240};
// draft-abraitis-bgp-version-capability: at most 64 octets are sent.
inline constexpr size_t kMaxSoftwareVersionLength = 64;

// ADD-PATH wanted for one family (RFC 7911 §4).
struct AddPathConfig {
  Family family;
  bool send = false;
  bool receive = false;
  bool operator==(const AddPathConfig&) const = default;
};

// Everything one session offers and how its timers behave. Plain data;
// Validate() says whether it is usable.
struct SessionConfig {
  uint32_t local_as = 0;   // 4-octet; AS_TRANS goes in OPEN when > 65535
  uint32_t peer_as = 0;    // 0 = accept any AS
  uint32_t router_id = 0;  // BGP Identifier, host order, non-zero (RFC 6286)

  // Seconds; 0 = no hold timer and no KEEPALIVEs; 1 and 2 are invalid
  // (RFC 4271 §4.2).
  uint16_t hold_time = kDefaultHoldTime;
  // Seconds between KEEPALIVEs; 0 = a third of the negotiated hold time
  // (RFC 4271 §10). Never more than the negotiated hold time.
  uint16_t keepalive_time = 0;

  // RFC 4271 §8.1.1 PassiveTcpEstablishment: wait in Active for the peer to
  // connect; never ask for an outgoing connection.
  bool passive = false;
  // RFC 4271 §8.1.1 DelayOpen / DelayOpenTime; 0 = send OPEN on connect.
  std::chrono::seconds delay_open{0};
  // RFC 4271 §8.2.2: the HoldTimer in OpenSent (OPEN sent, none received)
  // is set to "a large value"; 4 minutes is suggested. Its expiry sends
  // NOTIFICATION Hold Timer Expired (4/0) and closes. A listener shortens it
  // to drop connections that never send an OPEN. Must be positive.
  std::chrono::milliseconds open_hold_time{kLargeHoldTime};
  // RFC 4271 §8.1.1 ConnectRetryTime. Each further failed attempt doubles
  // it up to connect_retry_max; every value is jittered by 0.75..1.0
  // (RFC 4271 §10).
  std::chrono::seconds connect_retry{kDefaultConnectRetryTime};
  std::chrono::seconds connect_retry_max{std::chrono::seconds(600)};
  // RFC 4271 §8.1.1 DampPeerOscillations: after an error (not after Stop())
  // and when auto_restart is set, stay Idle for idle_hold (doubled after each
  // consecutive failure up to idle_hold_max), then restart by itself
  // (AutomaticStart, event 3/5).
  bool auto_restart = false;
  std::chrono::seconds idle_hold{std::chrono::seconds(5)};
  std::chrono::seconds idle_hold_max{std::chrono::seconds(300)};
  // Seeds the jitter PRNG: equal seeds replay equal timer sequences.
  uint64_t seed = 0;

  // Multiprotocol capabilities offered (RFC 4760), in this order.
  // (Not "= {kIpv4Unicast}": g++ 12 warns maybe-uninitialized on that
  // initializer list when a default SessionConfig is inlined at -O2.)
  std::vector<Family> families = std::vector<Family>(1, kIpv4Unicast);
  // ADD-PATH per family and direction (RFC 7911). Families must be offered.
  std::vector<AddPathConfig> add_path;
  bool extended_message = false;        // RFC 8654
  bool route_refresh = true;            // RFC 2918
  bool enhanced_route_refresh = false;  // RFC 7313
  // RFC 8950: families whose NLRI may carry a next hop of another AFI.
  std::vector<ExtendedNextHopCapability::Entry> extended_next_hop;
  // RFC 4724: offered as given (restart time, flags, families).
  std::optional<GracefulRestartCapability> graceful_restart;
  // RFC 9234 role; only sent on eBGP sessions. With strict_role, a peer that
  // sends no role is refused with 2/11 (RFC 9234 §4.2).
  std::optional<Role> role;
  bool strict_role = false;
  // Software version capability (75); empty = not sent.
  std::string software_version;

  // QueueUpdate() refuses with kResourceExhausted while the unsent output
  // plus the new bytes would exceed this (a first message always fits).
  size_t max_output_backlog = size_t{1} << 20;

  // kInvalidArgument naming the field: local_as 0, router_id 0, hold time 1
  // or 2, keepalive above the hold time, connect_retry 0, an ADD-PATH family
  // not offered, a software version over 64 octets, a zero backlog, a
  // maximum below its base value.
  absl::Status Validate() const;
};

// ADD-PATH as negotiated for one family (RFC 7911 §5).
struct AddPathNegotiated {
  Family family;
  bool send = false;     // we may send path identifiers
  bool receive = false;  // the peer sends path identifiers
  bool operator==(const AddPathNegotiated&) const = default;
};

// The outcome of one OPEN exchange.
struct Negotiated {
  uint32_t local_as = 0;
  uint32_t peer_as = 0;  // the peer's real (4-octet) AS
  uint32_t peer_id = 0;  // host order
  bool ibgp = false;

  bool four_octet_as = false;               // RFC 6793: both sent capability 65
  std::vector<Family> families;             // offered by both (RFC 4760 §8)
  std::vector<AddPathNegotiated> add_path;  // only families with send/receive
  bool extended_message = false;            // RFC 8654: both sent it
  bool route_refresh = false;               // RFC 2918: both sent 2 (or 128)
  bool enhanced_route_refresh = false;      // RFC 7313: both sent it
  // RFC 8950: entries both sides sent.
  std::vector<ExtendedNextHopCapability::Entry> extended_next_hop;
  bool graceful_restart = false;  // RFC 4724: both sent capability 64
  std::optional<GracefulRestartCapability> peer_graceful_restart;
  std::optional<Role> local_role;  // as sent (eBGP only)
  std::optional<Role> peer_role;   // as received
  std::optional<std::string> peer_software_version;

  uint16_t local_hold_time = 0;
  uint16_t peer_hold_time = 0;
  uint16_t hold_time = 0;       // min of both; 0 = no hold timer
  uint16_t keepalive_time = 0;  // 0 = no KEEPALIVEs

  Open local_open;
  Open peer_open;

  // Codec context for what we receive and what we send.
  SessionParams recv_params;
  SessionParams send_params;

  bool HasFamily(Family f) const;
  bool AddPathSend(Family f) const;
  bool AddPathReceive(Family f) const;
};

// The OPEN a session with `config` sends: version 4, My AS (AS_TRANS above
// 65535), hold time, identifier, and in one capabilities parameter:
// Multiprotocol per family, Route Refresh, Enhanced Route Refresh, Extended
// Message, Extended Next Hop, Role (unless `ibgp`), Graceful Restart,
// 4-octet AS, ADD-PATH, Software Version, in that order.
Open BuildOpen(const SessionConfig& config);

// The families an OPEN offers: its Multiprotocol capabilities in order, or
// IPv4 unicast alone when it has none (RFC 4760 §8).
std::vector<Family> OfferedFamilies(const Open& open);

// The codec context of the messages that the speaker of `sender` sends to
// the speaker of `receiver`, from the two OPENs alone. The one place
// SessionParams are derived from a pair of OPENs: Negotiate, DecodeContext
// (decode_context.h) and the tests use it.
//   four_octet_as: both sent capability 65 (RFC 6793 §4);
//   extended_message: both sent capability 6 (RFC 8654 §3);
//   ADD-PATH: each family both offer that `sender` may send (mode Send or
//   Both) and `receiver` may receive (Receive or Both) (RFC 7911 §4, §5).
SessionParams ParamsFromOpens(const Open& sender, const Open& receiver);

// Checks the peer's OPEN against our configuration and negotiates. Errors
// carry the NOTIFICATION to send (RFC 4271 §6.2):
//   2/1 version other than 4 (data: 00 04, the version we support);
//   2/2 My AS 0, AS_TRANS without capability 65, capability 65 with AS 0, or
//       an AS other than config.peer_as (when non-zero) (RFC 6793 §4.1,
//       RFC 7607 §3);
//   2/3 identifier 0 (RFC 6286 §2.2) or equal to ours on iBGP (RFC 6286 §2.1);
//   2/6 hold time 1 or 2;
//   2/11 roles that do not pair, differing repeated roles, or no role under
//       strict_role (RFC 9234 §4.2).
// send_params and recv_params are ParamsFromOpens(local, peer) and
// ParamsFromOpens(peer, local), except that recv_params accepts extended
// messages as soon as we offered them (RFC 8654 §3), and recv_params.external
// is set when the peer's AS differs from config.local_as (eBGP; RFC 7606
// §7.5, §7.9, §7.10). ParamsFromOpens leaves external false: offline decoding
// does not know which side is "ours".
absl::StatusOr<Negotiated> Negotiate(const SessionConfig& config,
                                     const Open& local, const Open& peer);

}  // namespace bgpy

#endif  // BGPY_NEGOTIATE_H_
