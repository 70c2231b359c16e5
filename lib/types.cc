// Copyright 2026 The bgpy Authors.
//
// types.cc: addresses, prefixes and family names.

#include "bgpy/types.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "ipv4_text.h"

namespace bgpy {
namespace {

// Parses a decimal number of at most `max`, digits only (no sign, no
// spaces, at most 5 digits).
bool ParseSmallDecimal(absl::string_view s, uint32_t max, uint32_t& out) {
  if (s.empty() || s.size() > 5) return false;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

// Writes 0..255 in decimal without leading zeros; returns the end.
char* WriteDecimalOctet(uint32_t v, char* out) {
  if (v >= 100) {
    *out++ = static_cast<char>('0' + v / 100);
    v %= 100;
    *out++ = static_cast<char>('0' + v / 10);
  } else if (v >= 10) {
    *out++ = static_cast<char>('0' + v / 10);
  }
  *out++ = static_cast<char>('0' + v % 10);
  return out;
}

__extension__ typedef unsigned __int128 Uint128;

Uint128 ToInt(const IpAddress& a) {
  Uint128 v = 0;
  for (int i = 0; i < a.byte_length(); ++i) v = (v << 8) | a.bytes()[i];
  return v;
}

void FromInt(Uint128 v, IpAddress& a) {
  for (int i = a.byte_length() - 1; i >= 0; --i) {
    a.mutable_bytes()[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace

// --- IpAddress ---------------------------------------------------------------

IpAddress IpAddress::V6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.v6_ = true;
  a.bytes_ = bytes;
  return a;
}

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view text) {
  // inet_pton needs a NUL-terminated string; refuse embedded NULs and
  // anything longer than the longest textual address.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN ||
      text.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", absl::CHexEscape(text), "\" is not an IP address"));
  }
  std::string s(text);
  uint8_t buf[16];
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) return V4Bytes(buf);
  } else if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return V6Bytes(buf);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", absl::CHexEscape(text), "\" is not an IP address"));
}

std::string IpAddress::ToString() const {
  if (!v6_) return FormatIpv4(v4());
  // RFC 5952 §4: lowercase, no leading zeros, the longest run (first on a
  // tie) of two or more zero fields as "::"; §5: IPv4-mapped addresses in
  // mixed notation.
  uint16_t words[8];
  for (int i = 0; i < 8; ++i)
    words[i] = static_cast<uint16_t>(bytes_[2 * i] << 8 | bytes_[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;  // RFC 5952 §4.2.2
  bool mapped = best == 0 && best_len == 5 && words[5] == 0xffff;
  int end = mapped ? 6 : 8;
  std::string out;
  for (int i = 0; i < end; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    absl::StrAppend(&out, absl::Hex(words[i]));
  }
  if (mapped) {
    absl::StrAppend(&out, ":", FormatIpv4(uint32_t{words[6]} << 16 | words[7]));
  }
  return out;
}

// --- Prefix ------------------------------------------------------------------

absl::StatusOr<Prefix> Prefix::Make(const IpAddress& addr, int length) {
  if (length < 0 || length > addr.bit_length()) {
    return absl::InvalidArgumentError(
        absl::StrCat("prefix length ", length, " is out of range for ",
                     addr.is_v4() ? "IPv4 (0..32)" : "IPv6 (0..128)"));
  }
  for (int bit = length; bit < addr.bit_length(); ++bit) {
    if (addr.bytes()[bit / 8] & (0x80 >> (bit % 8))) {
      return absl::InvalidArgumentError(
          absl::StrCat(addr.ToString(), "/", length, " has host bits set"));
    }
  }
  return PrefixInternal::Unchecked(addr, length);
}

absl::StatusOr<Prefix> Prefix::Parse(absl::string_view text) {
  size_t slash = text.find('/');
  absl::string_view addr_text = text.substr(0, slash);
  absl::StatusOr<IpAddress> addr = IpAddress::Parse(addr_text);
  if (!addr.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", absl::CHexEscape(text),
                     "\" is not a prefix: ", addr.status().message()));
  }
  if (slash == absl::string_view::npos) {
    return PrefixInternal::Unchecked(*addr, addr->bit_length());
  }
  uint32_t length;
  if (!ParseSmallDecimal(text.substr(slash + 1), 999, length)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", absl::CHexEscape(text),
                     "\" is not a prefix: the length after '/' must be a "
                     "number"));
  }
  return Make(*addr, static_cast<int>(length));
}

absl::StatusOr<Prefix> Prefix::Advance(uint64_t n) const {
  const int bits = addr_.bit_length();
  const int host_bits = bits - len_;
  // The block index (network part) and how many blocks the family holds.
  Uint128 index = host_bits >= 128 ? 0 : ToInt(addr_) >> host_bits;
  Uint128 last = len_ == 0 ? 0 : (~Uint128{0} >> (128 - len_));
  if (Uint128{n} > last - index) {
    return absl::OutOfRangeError(
        absl::StrCat(ToString(), " + ", n,
                     " blocks runs past the end of the address space"));
  }
  index += n;
  IpAddress next = addr_;
  FromInt(host_bits >= 128 ? 0 : index << host_bits, next);
  return PrefixInternal::Unchecked(next, len_);
}

std::string Prefix::ToString() const {
  if (addr_.is_v4()) {
    char buf[15 + 4];
    char* end = internal::WriteIpv4(addr_.v4(), buf);
    *end++ = '/';
    end = WriteDecimalOctet(len_, end);
    return std::string(buf, end);
  }
  return absl::StrCat(addr_.ToString(), "/", static_cast<int>(len_));
}

// --- IPv4 helpers
// -------------------------------------------------------------

std::string FormatIpv4(uint32_t host_order) {
  char buf[15];
  return std::string(buf, internal::WriteIpv4(host_order, buf));
}

namespace internal {

char* WriteIpv4(uint32_t host_order, char* out) {
  out = WriteDecimalOctet(host_order >> 24, out);
  *out++ = '.';
  out = WriteDecimalOctet((host_order >> 16) & 0xff, out);
  *out++ = '.';
  out = WriteDecimalOctet((host_order >> 8) & 0xff, out);
  *out++ = '.';
  return WriteDecimalOctet(host_order & 0xff, out);
}

}  // namespace internal

absl::StatusOr<uint32_t> ParseIpv4(absl::string_view text) {
  absl::StatusOr<IpAddress> a = IpAddress::Parse(text);
  if (!a.ok() || !a->is_v4()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", absl::CHexEscape(text), "\" is not a dotted-quad IPv4 address"));
  }
  return a->v4();
}

}  // namespace bgpy
