// Copyright 2026 The bgpy Authors.
//
// types.h: IPv4/IPv6 addresses and prefixes, AFI/SAFI and families.
#ifndef BGPY_TYPES_H_
#define BGPY_TYPES_H_

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bgpy {

// Address Family Identifier (IANA "Address Family Numbers").
enum class Afi : uint16_t {
  kIpv4 = 1,
  kIpv6 = 2,
  kL2vpn = 25,
  kBgpLs = 16388,
};

// Subsequent Address Family Identifier (IANA SAFI registry).
enum class Safi : uint8_t {
  kUnicast = 1,
  kMulticast = 2,
  kLabeledUnicast = 4,  // RFC 8277
  kVpls = 65,           // RFC 4761
  kEvpn = 70,           // RFC 7432
  kBgpLs = 71,          // RFC 7752
  kBgpLsVpn = 72,       // RFC 7752
  kSrPolicy = 73,       // RFC 9830
  kMplsVpn = 128,       // RFC 4364
  kRouteTarget = 132,   // RFC 4684
  kFlowSpec = 133,      // RFC 8955
  kFlowSpecVpn = 134,   // RFC 8955
};

// An (AFI, SAFI) pair.
struct Family {
  Afi afi = Afi::kIpv4;
  Safi safi = Safi::kUnicast;
  constexpr Family() = default;
  constexpr Family(Afi a, Safi s) : afi(a), safi(s) {}
  constexpr Family(uint16_t a, uint8_t s)
      : afi(static_cast<Afi>(a)), safi(static_cast<Safi>(s)) {}
  friend constexpr bool operator==(Family, Family) = default;
  friend constexpr auto operator<=>(Family a, Family b) {
    return (uint32_t{static_cast<uint16_t>(a.afi)} << 8 |
            static_cast<uint8_t>(a.safi)) <=>
           (uint32_t{static_cast<uint16_t>(b.afi)} << 8 |
            static_cast<uint8_t>(b.safi));
  }
  template <typename H>
  friend H AbslHashValue(H h, Family f) {
    return H::combine(std::move(h), static_cast<uint16_t>(f.afi),
                      static_cast<uint8_t>(f.safi));
  }
};

inline constexpr Family kIpv4Unicast{Afi::kIpv4, Safi::kUnicast};
inline constexpr Family kIpv6Unicast{Afi::kIpv6, Safi::kUnicast};

// GoBGP-style name ("ipv4-unicast"), or "afi-N-safi-M" for unknown pairs.
std::string FamilyName(Family f);
// Parses a family name as printed by FamilyName(). kInvalidArgument if unknown.
absl::StatusOr<Family> ParseFamily(absl::string_view name);

// An IPv4 or IPv6 address. Stored as 16 bytes; IPv4 uses the first 4.
class IpAddress {
 public:
  constexpr IpAddress() = default;
  static IpAddress V4(uint32_t host_order) {
    IpAddress a;
    a.bytes_[0] = static_cast<uint8_t>(host_order >> 24);
    a.bytes_[1] = static_cast<uint8_t>(host_order >> 16);
    a.bytes_[2] = static_cast<uint8_t>(host_order >> 8);
    a.bytes_[3] = static_cast<uint8_t>(host_order);
    return a;
  }
  static IpAddress V4Bytes(const uint8_t b[4]) {
    IpAddress a;
    std::memcpy(a.bytes_.data(), b, 4);
    return a;
  }
  static IpAddress V6(const std::array<uint8_t, 16>& bytes);
  static IpAddress V6Bytes(const uint8_t b[16]) {
    IpAddress a;
    a.v6_ = true;
    std::memcpy(a.bytes_.data(), b, 16);
    return a;
  }

  // Text form: dotted quad or RFC 5952 IPv6. kInvalidArgument otherwise.
  static absl::StatusOr<IpAddress> Parse(absl::string_view text);

  Afi afi() const { return v6_ ? Afi::kIpv6 : Afi::kIpv4; }
  bool is_v4() const { return !v6_; }
  bool is_v6() const { return v6_; }
  // 4 or 16.
  int byte_length() const { return v6_ ? 16 : 4; }
  int bit_length() const { return v6_ ? 128 : 32; }
  const uint8_t* bytes() const { return bytes_.data(); }
  uint8_t* mutable_bytes() { return bytes_.data(); }
  // IPv4 only: the address as a host-order integer.
  uint32_t v4() const {
    return (uint32_t{bytes_[0]} << 24) | (uint32_t{bytes_[1]} << 16) |
           (uint32_t{bytes_[2]} << 8) | bytes_[3];
  }

  std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  // IPv4 before IPv6, then by address.
  friend auto operator<=>(const IpAddress& a, const IpAddress& b) {
    if (a.v6_ != b.v6_) return a.v6_ <=> b.v6_;
    return a.bytes_ <=> b.bytes_;
  }
  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.v6_, a.bytes_);
  }

 private:
  // Bytes first and 4-aligned, so reading an IPv4 address right after
  // building one forwards from the store (the NLRI hot path).
  alignas(4) std::array<uint8_t, 16> bytes_{};
  bool v6_ = false;
};

// An IP prefix: address with all host bits zero, and a length.
class Prefix {
 public:
  constexpr Prefix() = default;
  // kInvalidArgument if the length exceeds the family's or host bits are set.
  static absl::StatusOr<Prefix> Make(const IpAddress& addr, int length);
  // "10.0.0.0/24", "2001:db8::/32". A bare address means a host prefix.
  static absl::StatusOr<Prefix> Parse(absl::string_view text);

  const IpAddress& address() const { return addr_; }
  int length() const { return len_; }
  Afi afi() const { return addr_.afi(); }
  // Bytes the prefix takes in NLRI encoding (without the length octet).
  int nlri_bytes() const { return (len_ + 7) / 8; }

  // The prefix `n` blocks of this prefix's size after this one, wrapping is
  // an error (kOutOfRange). Used by route generators.
  absl::StatusOr<Prefix> Advance(uint64_t n) const;

  std::string ToString() const;

  friend bool operator==(const Prefix&, const Prefix&) = default;
  friend auto operator<=>(const Prefix&, const Prefix&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Prefix& p) {
    return H::combine(std::move(h), p.addr_, p.len_);
  }

 private:
  IpAddress addr_;
  uint8_t len_ = 0;
  friend class PrefixInternal;
};

// Used by the codec to build a prefix it has already validated.
class PrefixInternal {
 public:
  static Prefix Unchecked(const IpAddress& a, int len) {
    Prefix p;
    p.addr_ = a;
    p.len_ = static_cast<uint8_t>(len);
    return p;
  }
  // Rewrites the address of IPv4 prefix `p` in place with one 4-octet
  // store: a generator refilling a batch of prefixes builds and copies no
  // Prefix per route (a copy right after building one waits on its stores).
  static void SetV4Address(Prefix& p, uint32_t host_order) {
    const uint8_t b[4] = {static_cast<uint8_t>(host_order >> 24),
                          static_cast<uint8_t>(host_order >> 16),
                          static_cast<uint8_t>(host_order >> 8),
                          static_cast<uint8_t>(host_order)};
    std::memcpy(p.addr_.mutable_bytes(), b, 4);
  }
};

// Formats a 32-bit router id / IPv4 value as dotted quad.
std::string FormatIpv4(uint32_t host_order);
// Parses a dotted quad into a host-order integer.
absl::StatusOr<uint32_t> ParseIpv4(absl::string_view text);

}  // namespace bgpy

#endif  // BGPY_TYPES_H_
