// Copyright 2026 The bgpy Authors.
//
// capabilities.cc: one table row per known capability code (RFC 5492):
// code, name, decode, size and encode. Anything else round-trips as
// UnknownCapability.

#include "bgpy/capabilities.h"

#include <string>
#include <type_traits>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bgpy/errors.h"

namespace bgpy {
namespace {

// Maximum value length: the capability length is one octet (RFC 5492 §4).
constexpr size_t kMaxCapabilityValue = 255;

// A decoder reads the value from `r` (the table checks that nothing is left
// over). It returns kInvalidArgument naming the field on a malformed value.
using DecodeFn = absl::StatusOr<Capability> (*)(uint8_t code, wire::Reader& r);
// Value size in octets (code and length octets excluded).
using SizeFn = size_t (*)(const Capability& c);
// Writes the value only. Checks field ranges before writing anything.
using EncodeFn = absl::Status (*)(const Capability& c, wire::Writer& w);

struct CapabilityDesc {
  uint8_t code;
  const char* name;
  DecodeFn decode;  // nullptr: known by name only, kept as UnknownCapability
  SizeFn size;
  EncodeFn encode;
};

absl::Status Short(const char* field) {
  return absl::InvalidArgumentError(absl::StrCat(field, " is truncated"));
}

// Reads AFI (2 octets) and SAFI (1 octet).
bool ReadFamily(wire::Reader& r, Family& f) {
  wire::Reader copy = r;
  uint16_t afi;
  uint8_t safi;
  if (!copy.ReadU16(afi) || !copy.ReadU8(safi)) return false;
  f = Family(afi, safi);
  r = copy;
  return true;
}

void WriteFamily(Family f, wire::Writer& w) {
  w.WriteU16(static_cast<uint16_t>(f.afi));
  w.WriteU8(static_cast<uint8_t>(f.safi));
}

// --- 1 Multiprotocol, RFC 4760 §8: AFI(2) Reserved(1) SAFI(1) ---------------

absl::StatusOr<Capability> DecodeMultiprotocol(uint8_t, wire::Reader& r) {
  uint16_t afi;
  uint8_t reserved, safi;
  if (!r.ReadU16(afi) || !r.ReadU8(reserved) || !r.ReadU8(safi))
    return Short("AFI/Reserved/SAFI");
  MultiprotocolCapability c;
  c.family = Family(afi, safi);
  c.reserved = reserved;
  return c;
}
size_t SizeMultiprotocol(const Capability&) { return 4; }
absl::Status EncodeMultiprotocol(const Capability& cap, wire::Writer& w) {
  const auto& c = std::get<MultiprotocolCapability>(cap);
  w.WriteU16(static_cast<uint16_t>(c.family.afi));
  w.WriteU8(c.reserved);
  w.WriteU8(static_cast<uint8_t>(c.family.safi));
  return absl::OkStatus();
}

// --- Capabilities with an empty value: 2/128, 6, 70
// ---------------------------

absl::StatusOr<Capability> DecodeRouteRefresh(uint8_t code, wire::Reader&) {
  RouteRefreshCapability c;  // RFC 2918 §2: length 0
  c.cisco = code == static_cast<uint8_t>(CapabilityCode::kRouteRefreshCisco);
  return c;
}
absl::StatusOr<Capability> DecodeExtendedMessage(uint8_t, wire::Reader&) {
  return ExtendedMessageCapability{};  // RFC 8654 §3: length 0
}
absl::StatusOr<Capability> DecodeEnhancedRouteRefresh(uint8_t, wire::Reader&) {
  return EnhancedRouteRefreshCapability{};  // RFC 7313 §3: length 0
}
size_t SizeEmpty(const Capability&) { return 0; }
absl::Status EncodeEmpty(const Capability&, wire::Writer&) {
  return absl::OkStatus();
}

// --- 5 Extended Next Hop, RFC 8950 §3: (AFI(2) SAFI(2) NH AFI(2))* ----------

absl::StatusOr<Capability> DecodeExtendedNextHop(uint8_t, wire::Reader& r) {
  ExtendedNextHopCapability c;
  while (!r.empty()) {
    uint16_t afi, safi, nh_afi;
    if (!r.ReadU16(afi) || !r.ReadU16(safi) || !r.ReadU16(nh_afi))
      return Short("NLRI AFI/NLRI SAFI/Nexthop AFI tuple");
    c.entries.push_back(
        {static_cast<Afi>(afi), safi, static_cast<Afi>(nh_afi)});
  }
  return c;
}
size_t SizeExtendedNextHop(const Capability& cap) {
  return 6 * std::get<ExtendedNextHopCapability>(cap).entries.size();
}
absl::Status EncodeExtendedNextHop(const Capability& cap, wire::Writer& w) {
  for (const auto& e : std::get<ExtendedNextHopCapability>(cap).entries) {
    w.WriteU16(static_cast<uint16_t>(e.nlri_afi));
    w.WriteU16(e.nlri_safi);
    w.WriteU16(static_cast<uint16_t>(e.next_hop_afi));
  }
  return absl::OkStatus();
}

// --- 8 Multiple Labels, RFC 8277 §2.1: (AFI(2) SAFI(1) Count(1))* -----------

absl::StatusOr<Capability> DecodeMultipleLabels(uint8_t, wire::Reader& r) {
  MultipleLabelsCapability c;
  while (!r.empty()) {
    MultipleLabelsCapability::Entry e;
    if (!ReadFamily(r, e.family) || !r.ReadU8(e.count))
      return Short("AFI/SAFI/Count tuple");
    c.entries.push_back(e);
  }
  return c;
}
size_t SizeMultipleLabels(const Capability& cap) {
  return 4 * std::get<MultipleLabelsCapability>(cap).entries.size();
}
absl::Status EncodeMultipleLabels(const Capability& cap, wire::Writer& w) {
  for (const auto& e : std::get<MultipleLabelsCapability>(cap).entries) {
    WriteFamily(e.family, w);
    w.WriteU8(e.count);
  }
  return absl::OkStatus();
}

// --- 9 Role, RFC 9234 §4.1: one octet --------------------------------------

absl::StatusOr<Capability> DecodeRole(uint8_t, wire::Reader& r) {
  uint8_t v;
  if (!r.ReadU8(v)) return Short("Role value");
  // Unassigned values are kept as found; RFC 9234 §4.2 leaves the reaction
  // to the session.
  return RoleCapability{static_cast<Role>(v)};
}
size_t SizeRole(const Capability&) { return 1; }
absl::Status EncodeRole(const Capability& cap, wire::Writer& w) {
  w.WriteU8(static_cast<uint8_t>(std::get<RoleCapability>(cap).role));
  return absl::OkStatus();
}

// --- 64 Graceful Restart, RFC 4724 §3 ----------------------------------------
// Flags(4 bits) Restart Time(12 bits), then (AFI(2) SAFI(1) Flags(1))*.

absl::StatusOr<Capability> DecodeGracefulRestart(uint8_t, wire::Reader& r) {
  uint16_t head;
  if (!r.ReadU16(head)) return Short("Restart Flags/Restart Time");
  GracefulRestartCapability c;
  c.flags = static_cast<uint8_t>(head >> 12);
  c.restart_time = head & 0x0fff;
  while (!r.empty()) {
    GracefulRestartCapability::Entry e;
    if (!ReadFamily(r, e.family) || !r.ReadU8(e.flags))
      return Short("AFI/SAFI/Flags for Address Family tuple");
    c.entries.push_back(e);
  }
  return c;
}
size_t SizeGracefulRestart(const Capability& cap) {
  return 2 + 4 * std::get<GracefulRestartCapability>(cap).entries.size();
}
absl::Status EncodeGracefulRestart(const Capability& cap, wire::Writer& w) {
  const auto& c = std::get<GracefulRestartCapability>(cap);
  if (c.flags > 0xf || c.restart_time > 0xfff) {
    return absl::InvalidArgumentError(
        absl::StrCat("Graceful Restart: flags ", c.flags, " / restart time ",
                     c.restart_time, " do not fit 4 / 12 bits"));
  }
  w.WriteU16(static_cast<uint16_t>(c.flags << 12 | c.restart_time));
  for (const auto& e : c.entries) {
    WriteFamily(e.family, w);
    w.WriteU8(e.flags);
  }
  return absl::OkStatus();
}

// --- 65 4-octet AS, RFC 6793 §3: four octets ---------------------------------

absl::StatusOr<Capability> DecodeFourOctetAs(uint8_t, wire::Reader& r) {
  uint32_t asn;
  if (!r.ReadU32(asn)) return Short("AS number");
  return FourOctetAsCapability{asn};
}
size_t SizeFourOctetAs(const Capability&) { return 4; }
absl::Status EncodeFourOctetAs(const Capability& cap, wire::Writer& w) {
  w.WriteU32(std::get<FourOctetAsCapability>(cap).asn);
  return absl::OkStatus();
}

// --- 69 ADD-PATH, RFC 7911 §4: (AFI(2) SAFI(1) Send/Receive(1))* -----------

absl::StatusOr<Capability> DecodeAddPath(uint8_t, wire::Reader& r) {
  AddPathCapability c;
  while (!r.empty()) {
    AddPathCapability::Entry e;
    uint8_t mode;
    if (!ReadFamily(r, e.family) || !r.ReadU8(mode))
      return Short("AFI/SAFI/Send/Receive tuple");
    if (mode < 1 || mode > 3) {  // RFC 7911 §4: only 1, 2 and 3 are defined
      return absl::InvalidArgumentError(
          absl::StrCat("Send/Receive value ", mode, " is not 1, 2 or 3"));
    }
    e.mode = static_cast<AddPathMode>(mode);
    c.entries.push_back(e);
  }
  return c;
}
size_t SizeAddPath(const Capability& cap) {
  return 4 * std::get<AddPathCapability>(cap).entries.size();
}
absl::Status EncodeAddPath(const Capability& cap, wire::Writer& w) {
  for (const auto& e : std::get<AddPathCapability>(cap).entries) {
    WriteFamily(e.family, w);
    w.WriteU8(static_cast<uint8_t>(e.mode));
  }
  return absl::OkStatus();
}

// --- 71 Long-Lived GR, RFC 9494 §2
// -------------------------------------------- (AFI(2) SAFI(1) Flags(1)
// Long-lived Stale Time(3))*.

absl::StatusOr<Capability> DecodeLlgr(uint8_t, wire::Reader& r) {
  LongLivedGracefulRestartCapability c;
  while (!r.empty()) {
    LongLivedGracefulRestartCapability::Entry e;
    if (!ReadFamily(r, e.family) || !r.ReadU8(e.flags) ||
        !r.ReadU24(e.stale_time))
      return Short("AFI/SAFI/Flags/Long-lived Stale Time tuple");
    c.entries.push_back(e);
  }
  return c;
}
size_t SizeLlgr(const Capability& cap) {
  return 7 * std::get<LongLivedGracefulRestartCapability>(cap).entries.size();
}
absl::Status EncodeLlgr(const Capability& cap, wire::Writer& w) {
  const auto& c = std::get<LongLivedGracefulRestartCapability>(cap);
  for (const auto& e : c.entries) {
    if (e.stale_time > 0xffffff) {
      return absl::InvalidArgumentError(
          absl::StrCat("Long-Lived Graceful Restart: stale time ", e.stale_time,
                       " does not fit 24 bits"));
    }
  }
  for (const auto& e : c.entries) {
    WriteFamily(e.family, w);
    w.WriteU8(e.flags);
    w.WriteU24(e.stale_time);
  }
  return absl::OkStatus();
}

// --- 73 FQDN, draft-walton-bgp-hostname-capability §3
// -------------------------- Hostname Length(1) Hostname, Domain Name Length(1)
// Domain Name.

bool ReadString8(wire::Reader& r, std::string& out) {
  wire::Reader copy = r;
  uint8_t len;
  wire::Bytes b;
  if (!copy.ReadU8(len) || !copy.ReadBytes(len, b)) return false;
  out.assign(reinterpret_cast<const char*>(b.data()), b.size());
  r = copy;
  return true;
}
void WriteString8(const std::string& s, wire::Writer& w) {
  w.WriteU8(static_cast<uint8_t>(s.size()));
  w.WriteBytes(
      wire::Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

absl::StatusOr<Capability> DecodeFqdn(uint8_t, wire::Reader& r) {
  FqdnCapability c;
  if (!ReadString8(r, c.hostname)) return Short("Hostname");
  if (!ReadString8(r, c.domain_name)) return Short("Domain Name");
  return c;
}
size_t SizeFqdn(const Capability& cap) {
  const auto& c = std::get<FqdnCapability>(cap);
  return 2 + c.hostname.size() + c.domain_name.size();
}
absl::Status EncodeFqdn(const Capability& cap, wire::Writer& w) {
  const auto& c = std::get<FqdnCapability>(cap);
  WriteString8(c.hostname, w);
  WriteString8(c.domain_name, w);
  return absl::OkStatus();
}

// --- 75 Software Version, draft-abraitis-bgp-version-capability §2 ----------
// Version Length(1) Version.

absl::StatusOr<Capability> DecodeSoftwareVersion(uint8_t, wire::Reader& r) {
  SoftwareVersionCapability c;
  if (!ReadString8(r, c.version)) return Short("Software Version");
  return c;
}
size_t SizeSoftwareVersion(const Capability& cap) {
  return 1 + std::get<SoftwareVersionCapability>(cap).version.size();
}
absl::Status EncodeSoftwareVersion(const Capability& cap, wire::Writer& w) {
  WriteString8(std::get<SoftwareVersionCapability>(cap).version, w);
  return absl::OkStatus();
}

// --- UnknownCapability: the value as found
// ------------------------------------

size_t SizeUnknown(const Capability& cap) {
  return std::get<UnknownCapability>(cap).value.size();
}
absl::Status EncodeUnknown(const Capability& cap, wire::Writer& w) {
  w.WriteBytes(std::get<UnknownCapability>(cap).value);
  return absl::OkStatus();
}

// The registry: one row per known code.
constexpr CapabilityDesc kCapabilities[] = {
    {1, "Multiprotocol", &DecodeMultiprotocol, &SizeMultiprotocol,
     &EncodeMultiprotocol},
    {2, "Route Refresh", &DecodeRouteRefresh, &SizeEmpty, &EncodeEmpty},
    {3, "Outbound Route Filtering", nullptr, nullptr, nullptr},  // RFC 5291
    {5, "Extended Next Hop", &DecodeExtendedNextHop, &SizeExtendedNextHop,
     &EncodeExtendedNextHop},
    {6, "Extended Message", &DecodeExtendedMessage, &SizeEmpty, &EncodeEmpty},
    {7, "BGPsec", nullptr, nullptr, nullptr},  // RFC 8205
    {8, "Multiple Labels", &DecodeMultipleLabels, &SizeMultipleLabels,
     &EncodeMultipleLabels},
    {9, "Role", &DecodeRole, &SizeRole, &EncodeRole},
    {64, "Graceful Restart", &DecodeGracefulRestart, &SizeGracefulRestart,
     &EncodeGracefulRestart},
    {65, "4-octet AS", &DecodeFourOctetAs, &SizeFourOctetAs,
     &EncodeFourOctetAs},
    {67, "Dynamic Capability", nullptr, nullptr, nullptr},
    {68, "Multisession", nullptr, nullptr, nullptr},
    {69, "ADD-PATH", &DecodeAddPath, &SizeAddPath, &EncodeAddPath},
    {70, "Enhanced Route Refresh", &DecodeEnhancedRouteRefresh, &SizeEmpty,
     &EncodeEmpty},
    {71, "Long-Lived Graceful Restart", &DecodeLlgr, &SizeLlgr, &EncodeLlgr},
    {73, "FQDN", &DecodeFqdn, &SizeFqdn, &EncodeFqdn},
    {75, "Software Version", &DecodeSoftwareVersion, &SizeSoftwareVersion,
     &EncodeSoftwareVersion},
    {128, "Route Refresh (Cisco)", &DecodeRouteRefresh, &SizeEmpty,
     &EncodeEmpty},
    // Pre-standard codes still seen on the wire, known by name only.
    {129, "Outbound Route Filtering (Cisco)", nullptr, nullptr, nullptr},
    {130, "Outbound Route Filtering (Cisco)", nullptr, nullptr, nullptr},
    {131, "Multisession (Cisco)", nullptr, nullptr, nullptr},
};

const CapabilityDesc* FindDesc(uint8_t code) {
  for (const CapabilityDesc& d : kCapabilities)
    if (d.code == code) return &d;
  return nullptr;
}

// Decodes through the table; the value must be consumed exactly.
absl::StatusOr<Capability> DecodeKnown(const CapabilityDesc& d,
                                       wire::Bytes value) {
  wire::Reader r(value);
  absl::StatusOr<Capability> c = d.decode(d.code, r);
  absl::Status st = c.status();
  if (st.ok() && !r.empty()) {
    st = absl::InvalidArgumentError(
        absl::StrCat(r.remaining(), " trailing octets"));
  }
  if (!st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(d.name, " capability (", d.code, ") with ", value.size(),
                     "-octet value: ", st.message()));
  }
  return c;
}

template <class T>
constexpr bool kIsUnknown = std::is_same_v<T, UnknownCapability>;

}  // namespace

const char* RoleName(Role r) {
  switch (r) {  // RFC 9234 §4.1
    case Role::kProvider:
      return "provider";
    case Role::kRouteServer:
      return "rs";
    case Role::kRouteServerClient:
      return "rs-client";
    case Role::kCustomer:
      return "customer";
    case Role::kPeer:
      return "peer";
  }
  return "unknown";
}

uint8_t CapabilityCodeOf(const Capability& c) {
  return std::visit(
      [](const auto& v) -> uint8_t {
        using T = std::decay_t<decltype(v)>;
        constexpr auto code = [](CapabilityCode x) {
          return static_cast<uint8_t>(x);
        };
        if constexpr (std::is_same_v<T, MultiprotocolCapability>) {
          return code(CapabilityCode::kMultiprotocol);
        } else if constexpr (std::is_same_v<T, RouteRefreshCapability>) {
          return code(v.cisco ? CapabilityCode::kRouteRefreshCisco
                              : CapabilityCode::kRouteRefresh);
        } else if constexpr (std::is_same_v<T, ExtendedNextHopCapability>) {
          return code(CapabilityCode::kExtendedNextHop);
        } else if constexpr (std::is_same_v<T, ExtendedMessageCapability>) {
          return code(CapabilityCode::kExtendedMessage);
        } else if constexpr (std::is_same_v<T, MultipleLabelsCapability>) {
          return code(CapabilityCode::kMultipleLabels);
        } else if constexpr (std::is_same_v<T, RoleCapability>) {
          return code(CapabilityCode::kRole);
        } else if constexpr (std::is_same_v<T, GracefulRestartCapability>) {
          return code(CapabilityCode::kGracefulRestart);
        } else if constexpr (std::is_same_v<T, FourOctetAsCapability>) {
          return code(CapabilityCode::kFourOctetAs);
        } else if constexpr (std::is_same_v<T, AddPathCapability>) {
          return code(CapabilityCode::kAddPath);
        } else if constexpr (std::is_same_v<T,
                                            EnhancedRouteRefreshCapability>) {
          return code(CapabilityCode::kEnhancedRouteRefresh);
        } else if constexpr (std::is_same_v<
                                 T, LongLivedGracefulRestartCapability>) {
          return code(CapabilityCode::kLongLivedGracefulRestart);
        } else if constexpr (std::is_same_v<T, FqdnCapability>) {
          return code(CapabilityCode::kFqdn);
        } else if constexpr (std::is_same_v<T, SoftwareVersionCapability>) {
          return code(CapabilityCode::kSoftwareVersion);
        } else {
          static_assert(kIsUnknown<T>, "every alternative needs a code");
          return v.code;
        }
      },
      c);
}

std::string CapabilityName(uint8_t code) {
  if (const CapabilityDesc* d = FindDesc(code)) return d->name;
  return absl::StrCat("capability ", code);
}

Capability DecodeCapability(uint8_t code, wire::Bytes value,
                            std::string* malformed) {
  if (malformed != nullptr) malformed->clear();
  const CapabilityDesc* d = FindDesc(code);
  if (d != nullptr && d->decode != nullptr) {
    absl::StatusOr<Capability> c = DecodeKnown(*d, value);
    if (c.ok()) return *std::move(c);
    if (malformed != nullptr) *malformed = std::string(c.status().message());
  }
  return UnknownCapability{code,
                           std::vector<uint8_t>(value.begin(), value.end())};
}

absl::StatusOr<Capability> DecodeCapabilityStrict(uint8_t code,
                                                  wire::Bytes value) {
  const CapabilityDesc* d = FindDesc(code);
  if (d == nullptr || d->decode == nullptr) {
    return UnknownCapability{code,
                             std::vector<uint8_t>(value.begin(), value.end())};
  }
  return DecodeKnown(*d, value);
}

namespace {

// The size and encode functions for `c`: the table row of its code, or the
// raw value for UnknownCapability (whatever its code).
const CapabilityDesc* EncoderFor(const Capability& c) {
  static constexpr CapabilityDesc kUnknown = {0, "unknown", nullptr,
                                              &SizeUnknown, &EncodeUnknown};
  if (std::holds_alternative<UnknownCapability>(c)) return &kUnknown;
  const CapabilityDesc* d = FindDesc(CapabilityCodeOf(c));
  return d != nullptr && d->encode != nullptr ? d : &kUnknown;
}

}  // namespace

size_t CapabilityEncodedSize(const Capability& c) {
  return 2 + EncoderFor(c)->size(c);
}

absl::Status EncodeCapability(const Capability& c, wire::Writer& w) {
  const CapabilityDesc* d = EncoderFor(c);
  const uint8_t code = CapabilityCodeOf(c);
  const size_t size = d->size(c);
  if (size > kMaxCapabilityValue) {
    return absl::InvalidArgumentError(
        absl::StrCat(CapabilityName(code), " capability value of ", size,
                     " octets does not fit 255 (RFC 5492 §4)"));
  }
  const size_t start = w.size();
  w.WriteU8(code);
  w.WriteU8(static_cast<uint8_t>(size));
  absl::Status st = d->encode(c, w);
  if (!st.ok()) {
    w.Truncate(start);
    return st;
  }
  if (!w.ok()) {
    return absl::OutOfRangeError(
        absl::StrCat("no room for the ", CapabilityName(code), " capability"));
  }
  return absl::OkStatus();
}

}  // namespace bgpy
