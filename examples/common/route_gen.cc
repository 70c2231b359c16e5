// Copyright 2026 The bgpy Authors.
#include "common/route_gen.h"

#include <array>

#include "absl/strings/str_cat.h"

namespace bgpy::tools {

namespace {

using U128 = unsigned __int128;

U128 ToInt(const IpAddress& a) {
  U128 v = 0;
  for (int i = 0; i < a.byte_length(); ++i) v = (v << 8) | a.bytes()[i];
  return v;
}

}  // namespace

absl::StatusOr<RouteGenerator> RouteGenerator::Make(const Prefix& first,
                                                    uint64_t count,
                                                    uint64_t offset) {
  if (count == 0)
    return absl::InvalidArgumentError("--count: must be at least 1");
  RouteGenerator g;
  g.v6_ = first.address().is_v6();
  g.length_ = first.length();
  const int bits = first.address().bit_length();
  const int host_bits = bits - g.length_;
  // Number of blocks of this length in the address space, from `first` on.
  const U128 base = ToInt(first.address());
  const U128 first_block = host_bits >= 128 ? 0 : base >> host_bits;
  // A /128 has 2^128 blocks, more than U128 holds (and more than any
  // count): not computed, never checked (shifting by 128 is undefined).
  const U128 blocks_left = g.length_ == 0 ? 1
                           : g.length_ >= 128
                               ? 0
                               : (U128{1} << g.length_) - first_block;
  // Guard the sum first: offset + count may overflow 64 bits.
  const U128 wanted = U128{offset} + U128{count};
  if (g.length_ < 128 && wanted > blocks_left) {
    return absl::OutOfRangeError(
        absl::StrCat("--count: ", count, " routes of /", g.length_,
                     " starting ", offset, " blocks after ", first.ToString(),
                     " run past the end of the address space"));
  }
  g.step_ = host_bits >= 128 ? 0 : U128{1} << host_bits;
  g.first_ = base + U128{offset} * g.step_;
  g.count_ = count;
  g.Rewind();
  return g;
}

void RouteGenerator::Rewind() {
  emitted_ = 0;
  next_ = first_;
}

Prefix RouteGenerator::Make(U128 address) const {
  // Host bits are zero by construction (first_ is aligned, step_ is one
  // block), so the prefix is valid as built.
  if (!v6_) {
    return PrefixInternal::Unchecked(
        IpAddress::V4(static_cast<uint32_t>(address)), length_);
  }
  std::array<uint8_t, 16> b;
  for (int i = 15; i >= 0; --i) {
    b[i] = static_cast<uint8_t>(address);
    address >>= 8;
  }
  return PrefixInternal::Unchecked(IpAddress::V6(b), length_);
}

Prefix RouteGenerator::At(uint64_t i) const {
  return Make(first_ + U128{i} * step_);
}

uint64_t RouteGenerator::Fill(UpdateBuilder& b, std::vector<uint8_t>& out,
                              uint64_t max_routes, size_t target_bytes,
                              bool withdraw, std::optional<uint32_t> path_id,
                              uint64_t* messages) {
  uint64_t added = 0;
  while (added < max_routes && emitted_ < count_) {
    const Prefix p = Make(next_);
    const bool ok = withdraw ? b.Withdraw(p, path_id) : b.Announce(p, path_id);
    if (!ok) {
      // The message is full: out it goes, then this route starts the next
      // one (unless the batch is big enough already).
      if (b.Flush(out) > 0) ++*messages;
      if (out.size() >= target_bytes) return added;
      const bool again =
          withdraw ? b.Withdraw(p, path_id) : b.Announce(p, path_id);
      if (!again) return added;  // cannot happen: one route fits a message
    }
    ++added;
    ++emitted_;
    next_ += step_;
  }
  if (b.Flush(out) > 0) ++*messages;
  return added;
}

}  // namespace bgpy::tools
