// Copyright 2026 The bgpy Authors.
//
// fast_text.h (internal to bgpy::format): numbers, dotted quads and
// literals written through a raw pointer into memory the caller has sized,
// and a growable character buffer to write them into. For the renderers
// that run once per route (bgpdump lines, the JSON of RIB entries); the
// text is the same as absl::StrCat's and FormatIpv4's.
#ifndef BGPY_LIB_FORMAT_FAST_TEXT_H_
#define BGPY_LIB_FORMAT_FAST_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"

namespace bgpy::format_internal {

inline char* PutStr(char* p, absl::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// A string literal, its length known at compile time.
template <size_t N>
inline char* PutLit(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + (N - 1);
}

// "00" to "99".
struct TwoDigits {
  char text[100][2];
  constexpr TwoDigits() : text() {
    for (int v = 0; v < 100; ++v) {
      text[v][0] = static_cast<char>('0' + v / 10);
      text[v][1] = static_cast<char>('0' + v % 10);
    }
  }
};
inline constexpr TwoDigits kTwoDigits;

inline int DecimalDigits(uint64_t v) {
  int n = 1;
  while (true) {
    if (v < 10) return n;
    if (v < 100) return n + 1;
    if (v < 1000) return n + 2;
    if (v < 10000) return n + 3;
    v /= 10000;
    n += 4;
  }
}

// Eight decimal digits of `v` (< 10^8), leading zeros included, as the
// 8 characters of a little-endian word's memory order: the digit pairs
// are found independently rather than one after the other.
inline uint64_t EightDigits(uint32_t v) {
  const uint32_t hi = v / 10000, lo = v % 10000;
  char b[8];
  std::memcpy(b, kTwoDigits.text[hi / 100], 2);
  std::memcpy(b + 2, kTwoDigits.text[hi % 100], 2);
  std::memcpy(b + 4, kTwoDigits.text[lo / 100], 2);
  std::memcpy(b + 6, kTwoDigits.text[lo % 100], 2);
  uint64_t w;
  std::memcpy(&w, b, 8);
  return w;
}

// The decimal text of `v` at `p` (room for 20 characters: up to 8 more
// than the text may be written).
inline char* PutUint(char* p, uint64_t v) {
  if (v < 100) {
    if (v < 10) {
      *p = static_cast<char>('0' + v);
      return p + 1;
    }
    std::memcpy(p, kTwoDigits.text[v], 2);
    return p + 2;
  }
  if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    if (v < 100000000) {
      const int n = 3 + (v >= 1000) + (v >= 10000) + (v >= 100000) +
                    (v >= 1000000) + (v >= 10000000);
      // Drop the 8 - n leading zeros: the first characters are the low
      // octets of the word.
      const uint64_t w = EightDigits(static_cast<uint32_t>(v)) >> (8 * (8 - n));
      std::memcpy(p, &w, 8);
      return p + n;
    }
  }
  char* const end = p + DecimalDigits(v);
  char* q = end;
  while (v >= 100) {
    q -= 2;
    std::memcpy(q, kTwoDigits.text[v % 100], 2);
    v /= 100;
  }
  if (v >= 10) {
    std::memcpy(q - 2, kTwoDigits.text[v], 2);
  } else {
    q[-1] = static_cast<char>('0' + v);
  }
  return end;
}

// Decimal text of every octet value, padded to 4 characters: the first
// `len` are the digits followed by '.'.
struct OctetText {
  char text[256][4];
  uint8_t len[256];
  constexpr OctetText() : text(), len() {
    for (int v = 0; v < 256; ++v) {
      int n = 0;
      if (v >= 100) text[v][n++] = static_cast<char>('0' + v / 100);
      if (v >= 10) text[v][n++] = static_cast<char>('0' + v / 10 % 10);
      text[v][n++] = static_cast<char>('0' + v % 10);
      text[v][n] = '.';
      len[v] = static_cast<uint8_t>(n);
    }
  }
};
inline constexpr OctetText kOctets;

// A dotted quad of 4 octets at `p` (room for 16 characters).
inline char* PutIpv4(char* p, const uint8_t* b) {
  for (int i = 0; i < 4; ++i) {
    std::memcpy(p, kOctets.text[b[i]], 4);
    p += kOctets.len[b[i]] + 1;
  }
  return p - 1;
}
inline char* PutIpv4(char* p, uint32_t host_order) {
  const uint8_t b[4] = {static_cast<uint8_t>(host_order >> 24),
                        static_cast<uint8_t>(host_order >> 16),
                        static_cast<uint8_t>(host_order >> 8),
                        static_cast<uint8_t>(host_order)};
  return PutIpv4(p, b);
}

inline uint32_t LoadU32(const uint8_t* v) {
  return (uint32_t{v[0]} << 24) | (uint32_t{v[1]} << 16) |
         (uint32_t{v[2]} << 8) | v[3];
}

// A character buffer written through a pointer: Room(n) makes room for n
// more characters at cursor() (growing keeps what was written), the writer
// stores and then moves the cursor with Advance(). Memory is kept between
// uses (Clear()).
class CharBuffer {
 public:
  ABSL_ATTRIBUTE_ALWAYS_INLINE char* Room(size_t n) {
    if (ABSL_PREDICT_FALSE(static_cast<size_t>(cap_ - end_) < n)) Grow(n);
    return end_;
  }
  void Advance(char* to) { end_ = to; }
  absl::string_view view() const {
    return absl::string_view(data_.get(), static_cast<size_t>(end_ - begin()));
  }
  size_t size() const { return static_cast<size_t>(end_ - begin()); }
  void Clear() { end_ = begin(); }
  void Truncate(size_t n) {
    if (n < size()) end_ = begin() + n;
  }
  ABSL_ATTRIBUTE_ALWAYS_INLINE void Append(absl::string_view s) {
    char* p = Room(s.size());
    Advance(PutStr(p, s));
  }

 private:
  char* begin() const { return data_.get(); }
  ABSL_ATTRIBUTE_NOINLINE void Grow(size_t n) {
    const size_t used = size();
    size_t want = 2 * static_cast<size_t>(cap_ - begin());
    if (want < used + n) want = used + n;
    if (want < 4096) want = 4096;
    std::unique_ptr<char[]> next(new char[want]);
    if (used > 0) std::memcpy(next.get(), begin(), used);
    data_ = std::move(next);
    end_ = data_.get() + used;
    cap_ = data_.get() + want;
  }

  std::unique_ptr<char[]> data_;
  char* end_ = nullptr;
  char* cap_ = nullptr;
};

}  // namespace bgpy::format_internal

#endif  // BGPY_LIB_FORMAT_FAST_TEXT_H_
