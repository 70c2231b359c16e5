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
// unicast and IPv4 multicast. Shared by the UPDATE and round-trip targets so
// their corpora mean the same thing.
inline SessionParams ParamsFrom(uint8_t b) {
  SessionParams p;
  p.four_octet_as = (b & 0x01) != 0;
  p.extended_message = (b & 0x02) != 0;
  if (b & 0x04) p.SetAddPath(kIpv4Unicast, true);
  if (b & 0x08) p.SetAddPath(kIpv6Unicast, true);
  if (b & 0x10) p.SetAddPath(Family(Afi::kIpv4, Safi::kMulticast), true);
  return p;
}

}  // namespace bgpy::fuzz

// Aborts with a message when `cond` is false (kept in release builds).
#define FUZZ_CHECK(cond, why)                                               \
  do {                                                                      \
    if (!(cond)) ::bgpy::fuzz::CheckFailed(__FILE__, __LINE__, #cond, why); \
  } while (0)

#define FUZZ_CHECK_BYTES(want, got, why) \
  ::bgpy::fuzz::CheckSameBytes(__FILE__, __LINE__, why, want, got)

#endif  // BGPY_TESTS_FUZZ_FUZZ_CHECK_H_
