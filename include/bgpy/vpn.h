// Copyright 2026 The bgpy Authors.
//
// vpn.h: values of the labelled-unicast and L3VPN families: MPLS label
// stacks as BGP carries them (RFC 8277 §2), labelled prefixes (RFC 8277,
// SAFI 4) and VPN prefixes (RFC 4364 §4.3.4, RFC 4659 §3.2; SAFI 128).
//
// Operator text:
//   labelled   "10.0.0.0/24 label 100"          "2001:db8::/32 label 100,200"
//   VPN        "65000:1:10.0.0.0/24 label 100"  "192.0.2.1:7:2001:db8::/32
//   label 16"
// The RD is everything before the second ':' (RD text never holds more
// than one); the prefix follows. A withdrawal's label field of 0x800000
// (RFC 3107 §3, RFC 8277 §2.4) is an empty stack: no " label ..." part.
// Label entries whose TC bits are set, or whose bottom-of-stack bit is not
// where the stack ends, carry suffixes so re-encoding is byte-identical:
// "100/tc5", and "0/nobos" for a one-entry stack without the bit (the
// 0x000000 withdrawal form).
#ifndef BGPY_VPN_H_
#define BGPY_VPN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bgpy/route_distinguisher.h"
#include "bgpy/types.h"

namespace bgpy {

// One 3-octet label stack entry of BGP NLRI (RFC 8277 §2; the fields of an
// RFC 3032 §2.1 entry without the TTL): 20-bit label, 3-bit traffic class,
// bottom-of-stack bit.
struct MplsLabel {
  static constexpr uint32_t kMaxLabel = 0xfffff;
  // The label field of a withdrawal (RFC 3107 §3, RFC 8277 §2.4).
  static constexpr uint32_t kWithdrawRaw = 0x800000;

  uint32_t label = 0;  // 0 .. 1048575
  uint8_t tc = 0;      // 0 .. 7
  bool bottom = false;

  // The 24-bit entry: label << 4 | tc << 1 | bottom.
  constexpr uint32_t raw() const {
    return (label & kMaxLabel) << 4 | uint32_t{tc & 7u} << 1 |
           (bottom ? 1u : 0u);
  }
  static constexpr MplsLabel FromRaw(uint32_t raw24) {
    return MplsLabel{(raw24 >> 4) & kMaxLabel,
                     static_cast<uint8_t>((raw24 >> 1) & 7), (raw24 & 1) != 0};
  }
  friend bool operator==(const MplsLabel&, const MplsLabel&) = default;
};

// A label stack, top entry first. Empty: the withdrawal label 0x800000.
struct LabelStack {
  std::vector<MplsLabel> entries;

  // Labels with TC 0 and the bottom-of-stack bit on the last one.
  static LabelStack Of(std::initializer_list<uint32_t> labels);
  bool empty() const { return entries.empty(); }
  size_t size() const { return entries.size(); }
  // Octets on the wire: 3 per entry, 3 for the empty (withdrawal) stack.
  size_t wire_size() const { return entries.empty() ? 3 : 3 * entries.size(); }
  // True when every TC is 0 and only the last entry has bottom-of-stack:
  // the stack is just its label numbers.
  bool canonical() const;

  // "100", "100,200", "100/tc5,200", "0/nobos" (see the file comment).
  // kInvalidArgument naming the entry when a label, TC or suffix is out
  // of range, when bottom-of-stack is on an entry other than the last, or
  // when "/nobos" is on anything but a lone label 0.
  static absl::StatusOr<LabelStack> Parse(absl::string_view text);
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  // Reads a stack off the front of `data` (at most `data.size()` octets):
  // entries until the one with the bottom-of-stack bit. A first entry of
  // 0x800000 or 0x000000 (withdrawal forms, RFC 8277 §2.4) is the whole
  // stack. Sets `*used` to the octets read. kInvalidArgument when no entry
  // within `data` has the bottom-of-stack bit.
  static absl::StatusOr<LabelStack> Read(const uint8_t* data, size_t size,
                                         size_t* used);
  // Writes wire_size() octets at `out`.
  void Write(uint8_t* out) const;

  friend bool operator==(const LabelStack&, const LabelStack&) = default;
};

// RFC 8277 labelled unicast: a label stack and an IP prefix (host bits
// clear).
struct LabelledPrefix {
  LabelStack labels;
  Prefix prefix;

  // "10.0.0.0/24 label 100"; "10.0.0.0/24" for an empty stack.
  static absl::StatusOr<LabelledPrefix> Parse(absl::string_view text);
  std::string ToString() const;

  friend bool operator==(const LabelledPrefix&,
                         const LabelledPrefix&) = default;
};

// RFC 4364 §4.3.4 / RFC 4659 §3.2 VPN route: label stack, RD, IP prefix.
struct VpnPrefix {
  LabelStack labels;
  RouteDistinguisher rd;
  Prefix prefix;

  // "65000:1:10.0.0.0/24 label 100".
  static absl::StatusOr<VpnPrefix> Parse(absl::string_view text);
  std::string ToString() const;

  friend bool operator==(const VpnPrefix&, const VpnPrefix&) = default;
};

}  // namespace bgpy

#endif  // BGPY_VPN_H_
