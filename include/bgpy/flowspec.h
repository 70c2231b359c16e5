// Copyright 2026 The bgpy Authors.
//
// flowspec.h: the value of the FlowSpec families (RFC 8955, RFC 8956):
// ipv4-flowspec / ipv6-flowspec (SAFI 133) and their VPN forms
// l3vpn-ipv4-flowspec / l3vpn-ipv6-flowspec (SAFI 134, a route
// distinguisher before the components), and the traffic actions operators
// attach to a rule (extended communities, RFC 8955 §7).
//
// Operator text (what FlowspecRule::ToString writes and Parse takes back):
//
//   [rd RD] COMPONENT... [action ACTION...]
//
// with one COMPONENT per type, in increasing type order:
//
//   destination PREFIX [offset N]   type 1 (offset: IPv6 only, RFC 8956 §3.1)
//   source PREFIX [offset N]        type 2
//   protocol ITEMS                  type 3 (IPv6 "next-header" is an alias)
//   port ITEMS                      type 4
//   destination-port ITEMS          type 5
//   source-port ITEMS               type 6
//   icmp-type ITEMS                 type 7
//   icmp-code ITEMS                 type 8
//   tcp-flags BITS                  type 9
//   packet-length ITEMS             type 10
//   dscp ITEMS                      type 11
//   fragment BITS                   type 12
//   flow-label ITEMS                type 13 (IPv6 only)
//
// ITEMS is one or more numeric terms with no space inside: the first term,
// then each further term joined by "&" (AND bit set) or "|" (AND bit clear;
// "," is taken as "|" on input). A term is an operator and a value:
// "=80", ">1024", ">=1024", "<2048", "<=2048", "!=25", and the two
// value-independent operators "true:V" / "false:V" (lt=gt=eq set / clear;
// "true" / "false" alone mean value 0). A leading "&" on the first term
// keeps an AND bit the wire had there (meaningless, but kept).
//   destination-port >=1024&<=2048      port =80|=443
// BITS is the same with bitmask terms: optional "match:" (the m bit: all
// bits of the value set, instead of any), optional "!" (the n bit: negate)
// and the value. TCP flag values are names joined by "+" (fin syn rst psh
// ack urg ece cwr), fragment values likewise (dont-fragment is-fragment
// first-fragment last-fragment); other bits are numbers.
//   tcp-flags match:syn&!ack        fragment is-fragment|first-fragment
// Values are decimal when the operator's length field is the smallest that
// holds them (1, 2, 4 or 8 octets); otherwise hex with two digits per octet
// ("=0x0050": 80 in a 2-octet field), so text keeps the length and the
// encoding is byte-identical.
// A rule with no component is written "any".
#ifndef BGPY_FLOWSPEC_H_
#define BGPY_FLOWSPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bgpy/route_distinguisher.h"
#include "bgpy/types.h"
#include "bgpy/wire.h"

namespace bgpy {

struct ExtendedCommunity;  // attributes.h

// Component types (IANA "Flow Spec Component Types").
enum class FlowspecType : uint8_t {
  kDestination = 1,
  kSource = 2,
  kProtocol = 3,  // IPv6: upper-layer protocol / next header
  kPort = 4,
  kDestinationPort = 5,
  kSourcePort = 6,
  kIcmpType = 7,
  kIcmpCode = 8,
  kTcpFlags = 9,  // bitmask
  kPacketLength = 10,
  kDscp = 11,
  kFragment = 12,   // bitmask
  kFlowLabel = 13,  // IPv6 only (RFC 8956 §3.7)
};

// The keyword of a type ("destination-port"), or nullptr.
const char* FlowspecTypeName(FlowspecType t);
// True for the bitmask types (TCP flags, fragment).
inline bool IsFlowspecBitmask(FlowspecType t) {
  return t == FlowspecType::kTcpFlags || t == FlowspecType::kFragment;
}

// One (operator, value) term of a numeric (RFC 8955 §4.2.1.1) or bitmask
// (§4.2.1.2) component. The end-of-list bit is not stored: encoding sets it
// on the last term of the component, decoding ends the list there.
struct FlowspecTerm {
  bool and_bit = false;  // a: AND with the previous term (else OR)
  uint8_t length = 1;    // value octets: 1, 2, 4 or 8 (the len field)
  // Numeric operators.
  bool lt = false;
  bool gt = false;
  bool eq = false;
  // Bitmask operators.
  bool not_bit = false;  // n
  bool match = false;    // m
  uint64_t value = 0;

  // The operator octet, with the end-of-list bit as given.
  uint8_t OperatorOctet(bool bitmask, bool end) const;
  friend bool operator==(const FlowspecTerm&, const FlowspecTerm&) = default;
};

// One component: a prefix (types 1 and 2) or a list of terms.
struct FlowspecComponent {
  FlowspecType type = FlowspecType::kDestination;
  // Types 1 and 2. IPv6 (RFC 8956 §3.1): the prefix matches bits
  // [offset, length) of the address; bits before the offset are zero
  // (they are not on the wire).
  Prefix prefix;
  uint8_t offset = 0;
  // Other types; never empty.
  std::vector<FlowspecTerm> terms;

  friend bool operator==(const FlowspecComponent&,
                         const FlowspecComponent&) = default;
};

// A FlowSpec NLRI: the match part of a rule.
struct FlowspecRule {
  Afi afi = Afi::kIpv4;
  std::optional<RouteDistinguisher> rd;  // SAFI 134
  std::vector<FlowspecComponent> components;

  // The component of type `t`, or nullptr.
  const FlowspecComponent* Find(FlowspecType t) const;
  FlowspecComponent* Find(FlowspecType t);

  // Checks the value can be encoded: types strictly increasing and known
  // for the AFI, prefixes fit the AFI, offsets only for IPv6 and not past
  // the length, term lists non-empty, lengths 1/2/4/8 holding the value,
  // total size within 4095 octets. kInvalidArgument naming the component.
  absl::Status Validate() const;

  // Decodes the NLRI value (after the length field; RD first when `vpn`).
  // kInvalidArgument naming the component when malformed (RFC 8955 §4.2:
  // out-of-order or unknown types, truncated terms, bad prefixes).
  static absl::StatusOr<FlowspecRule> Decode(Afi afi, bool vpn,
                                             wire::Bytes value);
  // Octets of the NLRI value (without the length field).
  size_t ValueSize() const;
  // Octets of the whole entry: length field (1 or 2) + value.
  size_t EncodedSize() const;
  // Writes the length field and the value. False if `w` is full or the
  // rule does not Validate().
  bool Encode(wire::Writer& w) const;

  // Operator text (see the top of this file).
  std::string ToString() const;
  void AppendTo(std::string& out) const;
  // Parses operator text; an "action ..." suffix is ignored (the NLRI is
  // the match part; see ParseFlowspecActions). `vpn`: the text must start
  // with "rd RD" (and must not otherwise).
  static absl::StatusOr<FlowspecRule> Parse(Afi afi, bool vpn,
                                            absl::string_view text);

  friend bool operator==(const FlowspecRule&, const FlowspecRule&) = default;
};

// Splits one FlowSpec NLRI entry (length field + value) off `r`: checks the
// length field (RFC 8955 §4.1: one octet below 240, else 0xfnnn) and that
// the value is there (and holds an RD when `vpn`). The components are
// checked by FlowspecRule::Decode.
bool SplitFlowspecEntry(wire::Reader& r, bool vpn, wire::Bytes& entry,
                        std::string* why);
// The value of an entry SplitFlowspecEntry produced (without the length).
wire::Bytes FlowspecEntryValue(wire::Bytes entry);

// Parses the traffic actions of a rule's text: everything after the word
// "action" ("destination 10.0.0.0/24 action rate-limit 1000,sample"); none
// when the text has no "action". Actions, separated by spaces or commas:
//   discard                     traffic-rate 0 (RFC 8955 §7.3)
//   rate-limit BYTES_PER_S      traffic-rate-bytes (0x80 0x06), float32
//   rate-limit-packets PPS      traffic-rate-packets (0x80 0x0c, RFC 8955 §7)
//   redirect ASN:N | A.B.C.D:N  redirect (0x80/0x81/0x82 0x08; 4-octet ASNs
//                               above 65535 use 0x82)
//   mark DSCP                   traffic-marking (0x80 0x09)
//   sample | terminal           traffic-action (0x80 0x07) bits; both given
//                               together make one community
// kInvalidArgument naming the action.
absl::StatusOr<std::vector<ExtendedCommunity>> ParseFlowspecActions(
    absl::string_view rule_text);

// The traffic-action extended communities (RFC 8955 §7): constructors.
ExtendedCommunity FlowspecTrafficRate(float bytes_per_second, uint16_t asn = 0);
ExtendedCommunity FlowspecTrafficRatePackets(float packets_per_second,
                                             uint16_t asn = 0);
ExtendedCommunity FlowspecTrafficAction(bool sample, bool terminal);
// Redirect to the VRF whose route target is ASN:N / A.B.C.D:N. A 2-octet
// ASN takes a 4-octet number; 4-octet ASNs and IPv4 a 2-octet number.
absl::StatusOr<ExtendedCommunity> FlowspecRedirect(absl::string_view rt);
ExtendedCommunity FlowspecTrafficMarking(uint8_t dscp);

}  // namespace bgpy

#endif  // BGPY_FLOWSPEC_H_
