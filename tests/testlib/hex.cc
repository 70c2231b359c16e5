#include "testlib/hex.h"

#include <utility>

#include "absl/status/statusor.h"
#include "bgpy/hex.h"
#include "gtest/gtest.h"

namespace bgpy::testing {

std::vector<uint8_t> FromHex(absl::string_view hex) {
  // The separators tests use between fields become whitespace, which
  // ParseHex skips between octets.
  std::string text(hex);
  for (char& c : text) {
    if (c == ':' || c == '|') c = ' ';
  }
  absl::StatusOr<std::vector<uint8_t>> bytes = ParseHex(text);
  if (!bytes.ok()) {
    ADD_FAILURE() << bytes.status();
    return {};
  }
  return *std::move(bytes);
}

std::string ToHex(absl::Span<const uint8_t> bytes) { return HexString(bytes); }

std::vector<uint8_t> Join(const std::vector<Fragment>& fragments) {
  std::vector<uint8_t> out;
  for (const auto& f : fragments) {
    auto b = FromHex(f.hex);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

}  // namespace bgpy::testing
