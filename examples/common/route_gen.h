// Copyright 2026 The bgpy Authors.
//
// route_gen.h: the route generator of bgpy-inject. From a first prefix and a
// count it yields that many prefixes of the same length, each the next block
// of that length (10.0.0.0/32, 10.0.0.1/32, ...; 10.0.0.0/24, 10.0.1.0/24,
// ...), in O(1) memory, and feeds them to an UpdateBuilder a batch at a time
// as the socket drains. Tools' code, not the library's.
#ifndef BGPY_EXAMPLES_COMMON_ROUTE_GEN_H_
#define BGPY_EXAMPLES_COMMON_ROUTE_GEN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "bgpy/types.h"
#include "bgpy/update.h"

namespace bgpy::tools {

class RouteGenerator {
 public:
  // Routes `offset` .. `offset + count - 1` blocks after `first` (each block
  // has the size of `first`). kInvalidArgument if `count` is 0, kOutOfRange
  // if the last route would pass the end of the address space.
  static absl::StatusOr<RouteGenerator> Make(const Prefix& first,
                                             uint64_t count,
                                             uint64_t offset = 0);

  uint64_t count() const { return count_; }
  // Routes handed out since the last Rewind().
  uint64_t emitted() const { return emitted_; }
  bool done() const { return emitted_ == count_; }
  // Back to the first route (for withdrawing or re-announcing them all).
  void Rewind();

  // The route at index `i` (0 <= i < count()), computed directly.
  Prefix At(uint64_t i) const;

  // The next route (only while !done()), and a step back when that route
  // did not fit the message and must be offered again.
  Prefix Next() {
    // IPv4 inline: this runs once per route (a million times a second).
    const Prefix p =
        v6_ ? Make(next_)
            : PrefixInternal::Unchecked(
                  IpAddress::V4(static_cast<uint32_t>(next_)), length_);
    ++emitted_;
    next_ += step_;
    return p;
  }
  void Unget() {
    --emitted_;
    next_ -= step_;
  }

  // Adds up to `max_routes` next routes to `b` as announcements (or
  // withdrawals), appending every full UPDATE to `out`. Stops early once
  // `out` holds at least `target_bytes` (only right after a full message,
  // so messages stay full) or the routes run out; the last partial message
  // is flushed too, so `b` is left empty. `path_id` goes with every route
  // (ADD-PATH sessions). Returns the number of routes added; `*messages` is
  // increased by the number of UPDATEs appended.
  uint64_t Fill(UpdateBuilder& b, std::vector<uint8_t>& out,
                uint64_t max_routes, size_t target_bytes, bool withdraw,
                std::optional<uint32_t> path_id, uint64_t* messages);

 private:
  RouteGenerator() = default;
  Prefix Make(unsigned __int128 address) const;

  bool v6_ = false;
  int length_ = 0;
  unsigned __int128 first_ = 0;  // address of route 0 (right-aligned)
  unsigned __int128 step_ = 0;   // block size
  uint64_t count_ = 0;
  uint64_t emitted_ = 0;
  unsigned __int128 next_ = 0;  // address of route emitted_
};

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_COMMON_ROUTE_GEN_H_
