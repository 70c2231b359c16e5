// Copyright 2026 The bgpy Authors.
//
// evpn.h: values of the EVPN family (RFC 7432, RFC 9136): MAC addresses and
// Ethernet segment identifiers, as operators write them.
#ifndef BGPY_EVPN_H_
#define BGPY_EVPN_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

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
struct Esi {
  std::array<uint8_t, 10> bytes{};

  uint8_t type() const { return bytes[0]; }
  bool is_zero() const;
  // "0" for the zero ESI (single-homed), or ten colon-separated hex octets
  // "00:11:22:33:44:55:66:77:88:99".
  static absl::StatusOr<Esi> Parse(absl::string_view text);
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  friend bool operator==(const Esi&, const Esi&) = default;
  friend auto operator<=>(const Esi&, const Esi&) = default;
};

}  // namespace bgpy

#endif  // BGPY_EVPN_H_
