#include "testlib/hex.h"

#include "gtest/gtest.h"

namespace bgpy::testing {

std::vector<uint8_t> FromHex(absl::string_view hex) {
  std::vector<uint8_t> out;
  int nibble = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == ':' || c == '|') {
      continue;
    } else {
      ADD_FAILURE() << "bad hex digit '" << c << "'";
      return {};
    }
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<uint8_t>(nibble << 4 | v));
      nibble = -1;
    }
  }
  if (nibble >= 0) {
    ADD_FAILURE() << "odd number of hex digits";
    return {};
  }
  return out;
}

std::string ToHex(absl::Span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::vector<uint8_t> Join(const std::vector<Fragment>& fragments) {
  std::vector<uint8_t> out;
  for (const auto& f : fragments) {
    auto b = FromHex(f.hex);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

}  // namespace bgpy::testing
