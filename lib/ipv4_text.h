// Copyright 2026 The bgpy Authors.
//
// ipv4_text.h (internal): dotted quads written into the caller's memory,
// for the renderers that run once per route (FormatIpv4 without the
// allocation).
#ifndef BGPY_LIB_IPV4_TEXT_H_
#define BGPY_LIB_IPV4_TEXT_H_

#include <cstdint>

namespace bgpy::internal {

// Writes the dotted quad of `host_order` at `out`, which has room for 15
// characters, and returns the end.
char* WriteIpv4(uint32_t host_order, char* out);

}  // namespace bgpy::internal

#endif  // BGPY_LIB_IPV4_TEXT_H_
