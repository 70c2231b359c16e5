// Copyright 2026 The bgpy Authors.
//
// MAC addresses and ESIs (RFC 7432 §5) as operator text.
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bgpy/evpn.h"

namespace bgpy {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Exactly `n` octets of two hex digits each, separated by ':' (or '-').
bool ParseOctets(absl::string_view text, uint8_t* out, size_t n) {
  if (text.size() != 3 * n - 1) return false;
  const char sep = n > 1 ? text[2] : ':';
  if (sep != ':' && sep != '-') return false;
  for (size_t i = 0; i < n; ++i) {
    const int hi = HexDigit(text[3 * i]);
    const int lo = HexDigit(text[3 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    if (i + 1 < n && text[3 * i + 2] != sep) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

void AppendOctets(const uint8_t* p, size_t n, std::string& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ':';
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
}

}  // namespace

absl::StatusOr<MacAddress> MacAddress::Parse(absl::string_view text) {
  MacAddress m;
  if (!ParseOctets(text, m.bytes.data(), m.bytes.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad MAC address \"", text, "\" (want aa:bb:cc:dd:ee:ff)"));
  }
  return m;
}

void MacAddress::AppendTo(std::string& out) const {
  AppendOctets(bytes.data(), bytes.size(), out);
}

std::string MacAddress::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

absl::StatusOr<MacAddress> MacAddress::Advance(uint64_t n) const {
  uint64_t v = 0;
  for (uint8_t b : bytes) v = v << 8 | b;
  constexpr uint64_t kMax = (uint64_t{1} << 48) - 1;
  if (n > kMax - v) {
    return absl::OutOfRangeError(
        absl::StrCat("MAC address ", ToString(), " + ", n, " passes the end"));
  }
  v += n;
  MacAddress m;
  for (int i = 5; i >= 0; --i) {
    m.bytes[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
  return m;
}

bool Esi::is_zero() const {
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

absl::StatusOr<Esi> Esi::Parse(absl::string_view text) {
  Esi e;
  if (text == "0") return e;
  if (!ParseOctets(text, e.bytes.data(), e.bytes.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad ESI \"", text,
        "\" (want 0 or ten hex octets 00:11:22:33:44:55:66:77:88:99)"));
  }
  return e;
}

void Esi::AppendTo(std::string& out) const {
  if (is_zero()) {
    out += '0';
    return;
  }
  AppendOctets(bytes.data(), bytes.size(), out);
}

std::string Esi::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

}  // namespace bgpy
