// Copyright 2026 The bgpy Authors.
//
// The family table: one extern row per family file, listed in registry.inc.
#ifndef BGPY_LIB_FAMILIES_REGISTRY_H_
#define BGPY_LIB_FAMILIES_REGISTRY_H_

#include "bgpy/nlri.h"

namespace bgpy::internal {

#define BGPY_FAMILY(row) extern const FamilyDesc row;
#include "families/registry.inc"
#undef BGPY_FAMILY

// Shared by IP-prefix families (unicast, multicast): length octet + bytes.
bool SplitIpv4Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why);
bool SplitIpv6Prefix(wire::Reader& r, wire::Bytes& entry, std::string* why);
std::string FormatIpv4Prefix(wire::Bytes entry);
std::string FormatIpv6Prefix(wire::Bytes entry);

}  // namespace bgpy::internal

#endif  // BGPY_LIB_FAMILIES_REGISTRY_H_
