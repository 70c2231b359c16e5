// Copyright 2026 The bgpy Authors.
//
// rtc.h: Route Target membership NLRI (RFC 4684, AFI 1 / SAFI 132).
//
// An entry is a prefix of up to 96 bits: a length octet (in bits), then the
// origin AS (4 octets) and the route target (an 8-octet extended community),
// of which only the first `length` bits are sent. Length 0 is the default
// route target ("every route target", RFC 4684 §4); otherwise the length is
// 32..96, since the origin AS is never a prefix. Bits past the length are
// zero in the typed value.
//
// Operator text (what RtcRoute::ToString writes and Parse reads back):
//   "default"                          length 0
//   "65000:rt:65000:100"               origin AS 65000, route target
//                                      rt:65000:100 (length 96)
//   "65000:rt:65000:0/48"              a partial route target: the first 16
//                                      bits of it, shown zero-padded, "/N"
//   "65000:0x00:0x00:000000000000/32"  the origin AS alone
// The route target is written as ExtendedCommunity::ToString writes it.
#ifndef BGPY_RTC_H_
#define BGPY_RTC_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bgpy {

struct RtcRoute {
  uint32_t origin_as = 0;
  // The route target's 8 octets, big-endian (octet 0 = extended community
  // type); bits past `length - 32` are zero.
  uint64_t route_target = 0;
  // Prefix length in bits: 0 (default) or 32..96.
  uint8_t length = 0;

  bool is_default() const { return length == 0; }
  // The operator text above.
  std::string ToString() const;
  // Parses the operator text above. kInvalidArgument naming the problem (a
  // length of 1..31 or above 96, bits set past the length, a bad AS or
  // route target).
  static absl::StatusOr<RtcRoute> Parse(absl::string_view text);
  bool operator==(const RtcRoute&) const = default;
};

}  // namespace bgpy

#endif  // BGPY_RTC_H_
