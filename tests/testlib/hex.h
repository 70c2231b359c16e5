// Test helpers: hex conversion and truncation checks.
#ifndef BGPY_TESTS_TESTLIB_HEX_H_
#define BGPY_TESTS_TESTLIB_HEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace bgpy::testing {

// Hex to bytes through bgpy::ParseHex; whitespace, ':' and '|' separators
// between octets are ignored. Aborts the test (ADD_FAILURE + empty result)
// on odd length or a bad digit.
std::vector<uint8_t> FromHex(absl::string_view hex);
// Lowercase hex, no separators (bgpy::HexString).
std::string ToHex(absl::Span<const uint8_t> bytes);

// A golden vector built one field at a time; each field records the error
// expected if the input stops inside or right before it (quiche's
// PacketFragments). Use with CheckEveryTruncation-style loops in tests.
struct Fragment {
  std::string hex;          // the field's bytes
  std::string description;  // what it is, for failure messages
};
std::vector<uint8_t> Join(const std::vector<Fragment>& fragments);

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_HEX_H_
