// Copyright 2026 The bgpy Authors.
//
// capabilities.h: typed BGP capabilities (RFC 5492) carried in OPEN.
//
// Each known capability code decodes into its own struct; any other code, or
// a known code whose value does not parse, is kept as UnknownCapability and
// re-encoded byte for byte.
#ifndef BGPY_CAPABILITIES_H_
#define BGPY_CAPABILITIES_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/types.h"
#include "bgpy/wire.h"

namespace bgpy {

// IANA capability codes.
enum class CapabilityCode : uint8_t {
  kMultiprotocol = 1,              // RFC 4760
  kRouteRefresh = 2,               // RFC 2918
  kExtendedNextHop = 5,            // RFC 8950
  kExtendedMessage = 6,            // RFC 8654
  kBgpsec = 7,                     // RFC 8205
  kMultipleLabels = 8,             // RFC 8277
  kRole = 9,                       // RFC 9234
  kGracefulRestart = 64,           // RFC 4724
  kFourOctetAs = 65,               // RFC 6793
  kAddPath = 69,                   // RFC 7911
  kEnhancedRouteRefresh = 70,      // RFC 7313
  kLongLivedGracefulRestart = 71,  // RFC 9494
  kFqdn = 73,                      // draft-walton-bgp-hostname-capability
  kSoftwareVersion = 75,           // draft-abraitis-bgp-version-capability
  kRouteRefreshCisco = 128,        // pre-standard RFC 2918
};

struct MultiprotocolCapability {  // code 1, RFC 4760 §8
  Family family;
  uint8_t reserved = 0;
  bool operator==(const MultiprotocolCapability&) const = default;
};

struct RouteRefreshCapability {  // code 2, or 128 when `cisco`
  bool cisco = false;
  bool operator==(const RouteRefreshCapability&) const = default;
};

struct ExtendedNextHopCapability {  // code 5, RFC 8950 §3
  struct Entry {
    Afi nlri_afi = Afi::kIpv4;
    uint16_t nlri_safi = 1;  // two octets on the wire
    Afi next_hop_afi = Afi::kIpv6;
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  bool operator==(const ExtendedNextHopCapability&) const = default;
};

struct ExtendedMessageCapability {  // code 6, RFC 8654
  bool operator==(const ExtendedMessageCapability&) const = default;
};

struct MultipleLabelsCapability {  // code 8, RFC 8277 §2.1
  struct Entry {
    Family family;
    uint8_t count = 1;
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  bool operator==(const MultipleLabelsCapability&) const = default;
};

// RFC 9234 §4.1.
enum class Role : uint8_t {
  kProvider = 0,
  kRouteServer = 1,
  kRouteServerClient = 2,
  kCustomer = 3,
  kPeer = 4,
};
const char* RoleName(
    Role r);  // "provider", "rs", "rs-client", "customer", "peer"

struct RoleCapability {  // code 9
  Role role = Role::kPeer;
  bool operator==(const RoleCapability&) const = default;
};

struct GracefulRestartCapability {  // code 64, RFC 4724 §3, RFC 8538 §3
  // The 4 high bits of the first octet: 0x8 Restart State (R), 0x4
  // Graceful Notification (N, RFC 8538); the others kept as found.
  uint8_t flags = 0;
  uint16_t restart_time = 0;  // 12 bits
  struct Entry {
    Family family;
    uint8_t flags = 0;  // 0x80: Forwarding State preserved
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  bool restart_state() const { return flags & 0x8; }
  bool notification() const { return flags & 0x4; }
  bool operator==(const GracefulRestartCapability&) const = default;
};

struct FourOctetAsCapability {  // code 65, RFC 6793 §3
  uint32_t asn = 0;
  bool operator==(const FourOctetAsCapability&) const = default;
};

// RFC 7911 §4 Send/Receive field.
enum class AddPathMode : uint8_t { kReceive = 1, kSend = 2, kBoth = 3 };

struct AddPathCapability {  // code 69
  struct Entry {
    Family family;
    AddPathMode mode = AddPathMode::kBoth;
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  bool operator==(const AddPathCapability&) const = default;
};

struct EnhancedRouteRefreshCapability {  // code 70, RFC 7313
  bool operator==(const EnhancedRouteRefreshCapability&) const = default;
};

struct LongLivedGracefulRestartCapability {  // code 71, RFC 9494 §2
  struct Entry {
    Family family;
    uint8_t flags = 0;        // 0x80: Forwarding State preserved
    uint32_t stale_time = 0;  // 24 bits, seconds
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> entries;
  bool operator==(const LongLivedGracefulRestartCapability&) const = default;
};

struct FqdnCapability {     // code 73
  std::string hostname;     // at most 255 octets
  std::string domain_name;  // at most 255 octets
  bool operator==(const FqdnCapability&) const = default;
};

struct SoftwareVersionCapability {  // code 75
  std::string version;              // at most 255 octets
  bool operator==(const SoftwareVersionCapability&) const = default;
};

// Any other capability, or a known one whose value did not parse.
struct UnknownCapability {
  uint8_t code = 0;
  std::vector<uint8_t> value;
  bool operator==(const UnknownCapability&) const = default;
};

using Capability = std::variant<
    MultiprotocolCapability, RouteRefreshCapability, ExtendedNextHopCapability,
    ExtendedMessageCapability, MultipleLabelsCapability, RoleCapability,
    GracefulRestartCapability, FourOctetAsCapability, AddPathCapability,
    EnhancedRouteRefreshCapability, LongLivedGracefulRestartCapability,
    FqdnCapability, SoftwareVersionCapability, UnknownCapability>;

// The wire code of a capability.
uint8_t CapabilityCodeOf(const Capability& c);
// "Multiprotocol", "4-octet AS", ... or "capability N".
std::string CapabilityName(uint8_t code);

// Decodes one capability value. Never fails: a value that does not parse for
// its code comes back as UnknownCapability (so it still round-trips), and
// `*malformed` (if given) is set to say why.
Capability DecodeCapability(uint8_t code, wire::Bytes value,
                            std::string* malformed = nullptr);
// Strict form: kInvalidArgument naming the field if the value is malformed.
absl::StatusOr<Capability> DecodeCapabilityStrict(uint8_t code,
                                                  wire::Bytes value);

// Appends code, length and value. kInvalidArgument if the value does not fit
// 255 octets (a caller mistake).
absl::Status EncodeCapability(const Capability& c, wire::Writer& w);
// Bytes EncodeCapability() writes (code and length included).
size_t CapabilityEncodedSize(const Capability& c);

}  // namespace bgpy

#endif  // BGPY_CAPABILITIES_H_
