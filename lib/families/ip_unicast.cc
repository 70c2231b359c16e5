// Copyright 2026 The bgpy Authors.
//
// IPv4/IPv6 unicast and multicast: RFC 4271 §4.3 (IPv4 in the UPDATE body),
// RFC 4760 §5 and RFC 2545 (MP_REACH). An entry is a length octet followed by
// the fewest octets that hold that many bits.
#include "absl/strings/str_format.h"
#include "bgpy/errors.h"
#include "families/registry.h"

namespace bgpy::internal {
namespace {

bool SplitPrefix(wire::Reader& r, wire::Bytes& entry, int max_bits,
                 std::string* why) {
  const wire::Bytes rest = r.rest();
  if (rest.empty()) {
    if (why) *why = "empty entry";
    return false;
  }
  const int len = rest[0];
  const size_t nbytes = (len + 7u) / 8u;
  if (len > max_bits) {
    if (why)
      *why = absl::StrFormat("prefix length %d exceeds %d", len, max_bits);
    return false;
  }
  if (rest.size() - 1 < nbytes) {
    if (why) {
      *why = absl::StrFormat("prefix length %d needs %d octets, %d left", len,
                             nbytes, rest.size() - 1);
    }
    return false;
  }
  r.ReadBytes(1 + nbytes, entry);
  return true;
}

std::string FormatPrefix(Afi afi, wire::Bytes entry) {
  auto p = DecodeIpPrefix(afi, entry);
  if (!p.ok()) return "(malformed prefix)";
  return p->ToString();
}

// Next hops: IPv4 families take an IPv4 address, or an IPv6 one (16 or 32
// octets) under RFC 8950 extended next hop; IPv6 families take 16 octets, or
// 32 with a link-local second address (RFC 2545 §3).
absl::Status CheckV4NextHop(wire::Bytes nh) {
  if (nh.size() == 4 || nh.size() == 16 || nh.size() == 32) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("next hop length %d (expected 4, 16 or 32)", nh.size()));
}
absl::Status CheckV6NextHop(wire::Bytes nh) {
  if (nh.size() == 16 || nh.size() == 32) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("next hop length %d (expected 16 or 32)", nh.size()));
}

}  // namespace

bool SplitIpv4Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why) {
  return SplitPrefix(r, entry, 32, why);
}
bool SplitIpv6Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why) {
  return SplitPrefix(r, entry, 128, why);
}
std::string FormatIpv4Prefix(wire::Bytes entry) {
  return FormatPrefix(Afi::kIpv4, entry);
}
std::string FormatIpv6Prefix(wire::Bytes entry) {
  return FormatPrefix(Afi::kIpv6, entry);
}

const FamilyDesc kIpv4UnicastFamily = {
    .family = kIpv4Unicast,
    .name = "ipv4-unicast",
    .prefix_bits = 32,
    .split_entry = &SplitIpv4Prefix,
    .format_entry = &FormatIpv4Prefix,
    .check_next_hop = &CheckV4NextHop,
};
const FamilyDesc kIpv6UnicastFamily = {
    .family = kIpv6Unicast,
    .name = "ipv6-unicast",
    .prefix_bits = 128,
    .split_entry = &SplitIpv6Prefix,
    .format_entry = &FormatIpv6Prefix,
    .check_next_hop = &CheckV6NextHop,
};
const FamilyDesc kIpv4MulticastFamily = {
    .family = Family(Afi::kIpv4, Safi::kMulticast),
    .name = "ipv4-multicast",
    .prefix_bits = 32,
    .split_entry = &SplitIpv4Prefix,
    .format_entry = &FormatIpv4Prefix,
    .check_next_hop = &CheckV4NextHop,
};
const FamilyDesc kIpv6MulticastFamily = {
    .family = Family(Afi::kIpv6, Safi::kMulticast),
    .name = "ipv6-multicast",
    .prefix_bits = 128,
    .split_entry = &SplitIpv6Prefix,
    .format_entry = &FormatIpv6Prefix,
    .check_next_hop = &CheckV6NextHop,
};

}  // namespace bgpy::internal
