// Copyright 2026 The bgpy Authors.
//
// The family table: one extern row per family file, listed in registry.inc,
// and the helpers rows share. Not installed.
#ifndef BGPY_LIB_FAMILIES_REGISTRY_H_
#define BGPY_LIB_FAMILIES_REGISTRY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/attributes.h"
#include "bgpy/nlri.h"

namespace bgpy::internal {

#define BGPY_FAMILY(row) extern const FamilyDesc row;
#include "families/registry.inc"
#undef BGPY_FAMILY

// Shared by IP-prefix families (unicast, multicast): length octet + bytes.
bool SplitIpv4Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why);
bool SplitIpv6Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why);

// Next hops shared by rows. IPv4 families: 4 octets, or 16/32 under RFC 8950
// extended next hop. IPv6 families: 16, or 32 with a link-local (RFC 2545).
absl::Status CheckV4NextHop(wire::Bytes nh);
absl::Status CheckV6NextHop(wire::Bytes nh);
// DecodeMpNextHop / EncodeMpNextHop as row hooks.
absl::StatusOr<MpNextHop> DecodeNextHop(wire::Bytes nh);
bool EncodeNextHop(const MpNextHop& nh, wire::Writer& w);

// Opaque NLRI (families without a row): the whole field is one OpaqueNlri
// entry, hex as text.
absl::Status DecodeOpaque(wire::Bytes entry, NlriValue& out);
bool EncodeOpaque(const NlriValue& v, wire::Writer& w);
absl::StatusOr<NlriValue> ParseOpaque(absl::string_view text);
void OpaqueText(const NlriValue& v, std::string& out);
void OpaqueJson(const NlriValue& v, JsonWriter& j);

}  // namespace bgpy::internal

#endif  // BGPY_LIB_FAMILIES_REGISTRY_H_
