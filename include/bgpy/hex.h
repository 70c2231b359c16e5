// Copyright 2026 The bgpy Authors.
//
// hex.h: the one hex encoder and decoder of the library, used by every
// formatter, the tools and the tests.
#ifndef BGPY_HEX_H_
#define BGPY_HEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bgpy/wire.h"

namespace bgpy {

// Lowercase hex of `bytes`, no separators ("0a1bff").
std::string HexString(wire::Bytes bytes);
// Appends the same to `*out`.
void AppendHex(std::string* out, wire::Bytes bytes);
// Parses hex digits (either case). ASCII whitespace between octets and an
// optional leading "0x" are skipped. kInvalidArgument naming the offending
// character, or an odd number of digits.
absl::StatusOr<std::vector<uint8_t>> ParseHex(absl::string_view text);

}  // namespace bgpy

#endif  // BGPY_HEX_H_
