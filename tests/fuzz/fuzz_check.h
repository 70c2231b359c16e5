// Copyright 2026 The bgpy Authors.
//
// fuzz_check.h: property checks shared by the fuzz targets. A failed check
// prints what differed and aborts, which libFuzzer (and the replay main)
// report as a crash.
#ifndef BGPY_TESTS_FUZZ_FUZZ_CHECK_H_
#define BGPY_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bgpy/hex.h"
#include "bgpy/params.h"
#include "bgpy/types.h"

namespace bgpy::fuzz {

// Prints `b` as hex on stderr, prefixed by `what`.
inline void DumpHex(const char* what, absl::Span<const uint8_t> b) {
  std::fprintf(stderr, "%s (%zu octets):", what, b.size());
  for (size_t i = 0; i < b.size(); i += 32) {
    const std::string line = HexString(b.subspan(i, 32));
    std::fprintf(stderr, "\n  %s", line.c_str());
  }
  std::fprintf(stderr, "\n");
}

[[noreturn]] inline void CheckFailed(const char* file, int line,
                                     const char* cond, const char* why) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", file, line, cond,
               why);
  std::abort();
}

// Checks that two byte strings are equal; dumps both when not.
inline void CheckSameBytes(const char* file, int line, const char* why,
                           absl::Span<const uint8_t> want,
                           absl::Span<const uint8_t> got) {
  if (want == got) return;
  DumpHex("want", want);
  DumpHex("got ", got);
  CheckFailed(file, line, "want == got", why);
}

// The session context a fuzz input picks with its first byte: bit 0 4-octet
// AS, bit 1 extended message, bits 2-4 ADD-PATH for IPv4 unicast, IPv6
// unicast and IPv4 multicast, bit 5 external (eBGP: LOCAL_PREF,
// ORIGINATOR_ID and CLUSTER_LIST discarded, RFC 7606 §7.5). Shared by the
// UPDATE and round-trip targets so their corpora mean the same thing.
inline SessionParams ParamsFrom(uint8_t b) {
  SessionParams p;
  p.four_octet_as = (b & 0x01) != 0;
  p.extended_message = (b & 0x02) != 0;
  if (b & 0x04) p.SetAddPath(kIpv4Unicast, true);
  if (b & 0x08) p.SetAddPath(kIpv6Unicast, true);
  if (b & 0x10) p.SetAddPath(Family(Afi::kIpv4, Safi::kMulticast), true);
  p.external = (b & 0x20) != 0;
  return p;
}

// A strict JSON syntax check (RFC 8259) of one whole value: objects,
// arrays, strings with their escapes, numbers, true/false/null. Enough to
// tell that a writer produced parseable text; no values are built.
class JsonSyntax {
 public:
  static bool Valid(absl::string_view s) {
    JsonSyntax p(s);
    return p.Value(0) && (p.Space(), p.i_ == s.size());
  }

 private:
  explicit JsonSyntax(absl::string_view s) : s_(s) {}
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' ||
                              s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }
  bool Eat(char c) {
    Space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Word(absl::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  static bool Digit(char c) { return c >= '0' && c <= '9'; }
  static bool HexDigit(char c) {
    return Digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
  bool String() {
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k) {
          if (i_ >= s_.size() || !HexDigit(s_[i_++])) return false;
        }
      } else if (absl::string_view("\"\\/bfnrt").find(e) ==
                 absl::string_view::npos) {
        return false;
      }
    }
    return false;
  }
  bool Number() {
    const size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size()) return false;
    if (s_[i_] == '0') {
      ++i_;
    } else if (Digit(s_[i_])) {
      while (i_ < s_.size() && Digit(s_[i_])) ++i_;
    } else {
      return false;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || !Digit(s_[i_])) return false;
      while (i_ < s_.size() && Digit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || !Digit(s_[i_])) return false;
      while (i_ < s_.size() && Digit(s_[i_])) ++i_;
    }
    return i_ > start;
  }
  bool Value(int depth) {
    if (depth > 64) return false;
    Space();
    if (i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        ++i_;
        if (Eat('}')) return true;
        do {
          if (!String() || !Eat(':') || !Value(depth + 1)) return false;
        } while (Eat(','));
        return Eat('}');
      case '[':
        ++i_;
        if (Eat(']')) return true;
        do {
          if (!Value(depth + 1)) return false;
        } while (Eat(','));
        return Eat(']');
      case '"':
        return String();
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Number();
    }
  }

  absl::string_view s_;
  size_t i_ = 0;
};

}  // namespace bgpy::fuzz

// Aborts with a message when `cond` is false (kept in release builds).
#define FUZZ_CHECK(cond, why)                                               \
  do {                                                                      \
    if (!(cond)) ::bgpy::fuzz::CheckFailed(__FILE__, __LINE__, #cond, why); \
  } while (0)

#define FUZZ_CHECK_BYTES(want, got, why) \
  ::bgpy::fuzz::CheckSameBytes(__FILE__, __LINE__, why, want, got)

#endif  // BGPY_TESTS_FUZZ_FUZZ_CHECK_H_
