// Copyright 2026 The bgpy Authors.
//
// route_distinguisher.h: the 8-octet route distinguisher of VPN families
// (RFC 4364 §4.2): L3VPN, FlowSpec VPN, EVPN, and the RD of VPN next hops.
// Operators write it "65000:1" (type 0), "192.0.2.1:1" (type 1) or
// "4200000000:1" (type 2); "65000L:1" keeps a small ASN in type 2.
#ifndef BGPY_ROUTE_DISTINGUISHER_H_
#define BGPY_ROUTE_DISTINGUISHER_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bgpy {

class RouteDistinguisher {
 public:
  // RFC 4364 §4.2 type field.
  enum Type : uint16_t {
    kTwoOctetAs = 0,  // 2-octet ASN : 4-octet number
    kIpv4 = 1,        // IPv4 address : 2-octet number
    kFourOctetAs = 2  // 4-octet ASN : 2-octet number
  };

  constexpr RouteDistinguisher() = default;
  // The RD of 8 octets as found on the wire (any type, kept as found).
  static RouteDistinguisher FromBytes(const uint8_t* wire8);
  // The RD whose 8 octets, big-endian, are `raw`.
  static constexpr RouteDistinguisher FromRaw(uint64_t raw) {
    RouteDistinguisher rd;
    rd.raw_ = raw;
    return rd;
  }
  // Type 0, 1 or 2 from its administrator and assigned number.
  // kInvalidArgument when a field does not fit its type.
  static absl::StatusOr<RouteDistinguisher> Make(Type type,
                                                 uint32_t administrator,
                                                 uint32_t assigned);
  // "65000:1", "192.0.2.1:1", "4200000000:1", "65000L:1", and "TYPE:HEX12"
  // for other types (as ToString writes them).
  static absl::StatusOr<RouteDistinguisher> Parse(absl::string_view text);

  uint16_t type() const { return static_cast<uint16_t>(raw_ >> 48); }
  // The administrator subfield (ASN, or IPv4 address in host order), and
  // the assigned number, for types 0–2.
  uint32_t administrator() const;
  uint32_t assigned() const;
  uint64_t raw() const { return raw_; }
  void ToBytes(uint8_t* wire8) const;
  std::array<uint8_t, 8> bytes() const {
    std::array<uint8_t, 8> b;
    ToBytes(b.data());
    return b;
  }

  // The RD whose assigned number is `n` higher (how generators spread
  // routes over VRFs). kOutOfRange past the end of the number's field;
  // kInvalidArgument for types other than 0–2.
  absl::StatusOr<RouteDistinguisher> Advance(uint64_t n) const;

  // Operator text, as Parse takes it. Types other than 0–2 are written
  // "TYPE:HEX12" ("3:0123456789ab").
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  friend bool operator==(RouteDistinguisher, RouteDistinguisher) = default;
  friend auto operator<=>(RouteDistinguisher, RouteDistinguisher) = default;

 private:
  uint64_t raw_ = 0;
};

}  // namespace bgpy

#endif  // BGPY_ROUTE_DISTINGUISHER_H_
