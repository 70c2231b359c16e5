// Copyright 2026 The bgpy Authors.
//
// evpn.h: values of the EVPN family (RFC 7432, RFC 9136): MAC addresses,
// Ethernet segment identifiers, label fields and whole EVPN routes, as
// operators write them.
#ifndef BGPY_EVPN_H_
#define BGPY_EVPN_H_

#include <array>
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

// A 48-bit MAC address, "aa:bb:cc:dd:ee:ff".
struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  // "aa:bb:cc:dd:ee:ff" (also "-" as separator, either case).
  static absl::StatusOr<MacAddress> Parse(absl::string_view text);
  std::string ToString() const;
  void AppendTo(std::string& out) const;
  // The address `n` after this one, as a 48-bit number (how generators
  // step). kOutOfRange past ff:ff:ff:ff:ff:ff.
  absl::StatusOr<MacAddress> Advance(uint64_t n) const;

  friend bool operator==(const MacAddress&, const MacAddress&) = default;
  friend auto operator<=>(const MacAddress&, const MacAddress&) = default;
};

// The 10-octet Ethernet segment identifier (RFC 7432 §5): a type octet and
// nine octets of value.
//
// Text: "0" for the zero ESI (single-homed), else the ten octets in hex,
// colon-separated ("01:aa:bb:cc:dd:ee:ff:01:f4:00"), for all six types:
// the one notation every implementation prints and takes. Parse also takes
// the typed forms of RFC 7432 §5 and builds the ten octets from them:
//   "lacp:MAC:PORT-KEY"          type 1 (CE LACP system MAC, port key)
//   "bridge:MAC:PRIORITY"        type 2 (root bridge MAC and priority)
//   "mac:MAC:DISCRIMINATOR"      type 3 (system MAC, 24-bit discriminator)
//   "router-id:A.B.C.D:DISCR"    type 4 (router id, 32-bit discriminator)
//   "as:ASN:DISCRIMINATOR"       type 5 (ASN, 32-bit discriminator)
// (the unused trailing octets are zero).
struct Esi {
  std::array<uint8_t, 10> bytes{};

  // RFC 7432 §5 type octet.
  enum Type : uint8_t {
    kArbitrary = 0,
    kLacp = 1,
    kBridge = 2,
    kMacBased = 3,
    kRouterId = 4,
    kAsBased = 5,
  };

  uint8_t type() const { return bytes[0]; }
  bool is_zero() const;
  static absl::StatusOr<Esi> Parse(absl::string_view text);
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  friend bool operator==(const Esi&, const Esi&) = default;
  friend auto operator<=>(const Esi&, const Esi&) = default;
};

// One 3-octet MPLS Label field of an EVPN route (RFC 7432 §7), kept as its
// raw 24 bits so re-encoding is byte-identical. Under MPLS the label is the
// high 20 bits (the low 4 carry the bottom-of-stack bit); under VXLAN
// (RFC 8365 §5.1.3) the whole 24 bits are the VNI. The wire does not say
// which, so the text picks:
//   "label N"  raw = N << 4 | 1 (label N, bottom of stack set: how MPLS
//              EVPN speakers encode it), 0 <= N < 2^20
//   "vni N"    raw = N (the whole field), 0 <= N < 2^24
// A decoded field is shown as "label" when its low four bits are 0001 and
// as "vni" otherwise; `vni` remembers the form so text parses back exactly.
// Two fields are equal when their 24 bits are (`vni` is only how text
// shows them).
struct EvpnLabel {
  uint32_t raw = 0;  // 24 bits
  bool vni = false;  // shown as "vni N"

  static EvpnLabel Mpls(uint32_t label) {
    return EvpnLabel{(label & 0xfffff) << 4 | 1, false};
  }
  static EvpnLabel Vni(uint32_t vni) { return EvpnLabel{vni & 0xffffff, true}; }
  // The form a decoded field is shown in (see above).
  static EvpnLabel FromRaw(uint32_t raw) {
    raw &= 0xffffff;
    return EvpnLabel{raw, (raw & 0xf) != 1};
  }
  uint32_t label() const { return raw >> 4; }
  // "label 100" or "vni 10010".
  void AppendTo(std::string& out) const;

  friend bool operator==(const EvpnLabel& a, const EvpnLabel& b) {
    return a.raw == b.raw;
  }
};

// One EVPN NLRI entry (AFI 25, SAFI 70): route type, and the fields of that
// type (RFC 7432 §7.1–§7.4, RFC 9136 §3). Fields a type does not have stay
// at their defaults. A route type bgpy does not know keeps its value octets
// in `raw` and re-encodes them as found.
//
// Operator text, one line per route, brackets around each NLRI field in
// wire order, labels after:
//   [1][RD][ESI][TAG] label N
//   [2][RD][ESI][TAG][MAC][IP] label N [label M]    ("[]" when no IP)
//   [3][RD][TAG][ORIGINATING-ROUTER-IP]
//   [4][RD][ESI][ORIGINATING-ROUTER-IP]
//   [5][RD][ESI][TAG][PREFIX/LEN][GATEWAY-IP] label N
//   [T][HEX]                                         (other route types)
// e.g. "[2][65000:1][0][0][aa:bb:cc:dd:ee:ff][10.0.0.1] label 100". RD as
// RouteDistinguisher (and "TYPE:HEX12" for RD types other than 0-2), ESI
// as Esi, TAG decimal, labels as EvpnLabel ("label
// N" or "vni N"). Parse takes exactly what ToString writes.
struct EvpnRoute {
  enum Type : uint8_t {
    kEthernetAutoDiscovery = 1,  // RFC 7432 §7.1
    kMacIpAdvertisement = 2,     // §7.2
    kInclusiveMulticast = 3,     // §7.3
    kEthernetSegment = 4,        // §7.4
    kIpPrefix = 5,               // RFC 9136 §3
  };

  uint8_t type = kMacIpAdvertisement;
  RouteDistinguisher rd;      // all types
  Esi esi;                    // types 1, 2, 4, 5
  uint32_t ethernet_tag = 0;  // types 1, 2, 3, 5
  MacAddress mac;             // type 2 (MAC address length is always 48)
  // Type 2: the IP address, if any. Types 3 and 4: the originating router's
  // IP address (always set). Type 5: the IP prefix's address (kept as found,
  // host bits included).
  std::optional<IpAddress> ip;
  uint8_t prefix_length = 0;  // type 5
  IpAddress gateway;          // type 5, same family as the prefix
  // Type 1 and 5: one label; type 2: one or two.
  std::vector<EvpnLabel> labels;
  // Other route types: the value octets (after type and length).
  std::vector<uint8_t> raw;

  // Decodes one entry: type octet, length octet and exactly that many
  // octets. kInvalidArgument naming the field that is wrong (lengths per
  // RFC 7432 §7 and RFC 9136 §3).
  static absl::Status Decode(wire::Bytes entry, EvpnRoute& out);
  // Writes the entry (type, length, value). False if `w` is full or the
  // route cannot be encoded (a value over 255 octets, a type 3/4 route
  // without an IP, a type 5 gateway of the other family).
  bool Encode(wire::Writer& w) const;
  // Octets Encode writes.
  size_t EncodedSize() const;

  static absl::StatusOr<EvpnRoute> Parse(absl::string_view text);
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  friend bool operator==(const EvpnRoute&, const EvpnRoute&) = default;
};

}  // namespace bgpy

#endif  // BGPY_EVPN_H_
