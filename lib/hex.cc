// Copyright 2026 The bgpy Authors.
#include "bgpy/hex.h"

#include "absl/strings/str_format.h"

namespace bgpy {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

}  // namespace

void AppendHex(std::string* out, wire::Bytes bytes) {
  const size_t at = out->size();
  out->resize(at + 2 * bytes.size());
  char* p = out->data() + at;
  for (uint8_t b : bytes) {
    *p++ = kDigits[b >> 4];
    *p++ = kDigits[b & 0xf];
  }
}

std::string HexString(wire::Bytes bytes) {
  std::string out;
  AppendHex(&out, bytes);
  return out;
}

absl::StatusOr<std::vector<uint8_t>> ParseHex(absl::string_view text) {
  std::vector<uint8_t> out;
  out.reserve(text.size() / 2);
  size_t i = 0;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    i = 2;
  int high = -1;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (IsSpace(c) && high < 0) continue;
    const int v = DigitValue(c);
    if (v < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("bad hex character '%c' at column %d",
                          c >= 0x20 && c < 0x7f ? c : '?', i + 1));
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("odd number of hex digits (%d)", 2 * out.size() + 1));
  }
  return out;
}

}  // namespace bgpy
