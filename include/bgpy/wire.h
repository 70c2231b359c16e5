// Copyright 2026 The bgpy Authors.
//
// wire.h: bounds-checked big-endian reader and writer over byte spans.
//
// Layer 1. Knows nothing about BGP. Every read is checked; a failed read
// returns false and leaves the cursor where it was, so callers can report a
// precise error and the reader stays usable. `Sub()` hands out a bounded
// child reader, so a length-prefixed field can never overrun its parent.
#ifndef BGPY_WIRE_H_
#define BGPY_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/types/span.h"

namespace bgpy::wire {

using Bytes = absl::Span<const uint8_t>;

// A read cursor over a borrowed buffer. Trivially copyable; copying it is
// the way to look ahead.
class Reader {
 public:
  constexpr Reader() = default;
  constexpr explicit Reader(Bytes data)
      : data_(data.data()), size_(data.size()) {}

  size_t remaining() const { return size_ - pos_; }
  bool empty() const { return pos_ == size_; }
  // Bytes consumed so far.
  size_t offset() const { return pos_; }
  size_t size() const { return size_; }
  // The unread bytes.
  Bytes rest() const { return Bytes(data_ + pos_, size_ - pos_); }
  // Everything this reader spans, read or not.
  Bytes all() const { return Bytes(data_, size_); }

  bool ReadU8(uint8_t& v) {
    if (remaining() < 1) return false;
    v = data_[pos_++];
    return true;
  }
  bool ReadU16(uint16_t& v) {
    if (remaining() < 2) return false;
    v = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool ReadU24(uint32_t& v) {
    if (remaining() < 3) return false;
    v = (uint32_t{data_[pos_]} << 16) | (uint32_t{data_[pos_ + 1]} << 8) |
        data_[pos_ + 2];
    pos_ += 3;
    return true;
  }
  bool ReadU32(uint32_t& v) {
    if (remaining() < 4) return false;
    v = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
        (uint32_t{data_[pos_ + 2]} << 8) | data_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  bool ReadU64(uint64_t& v) {
    uint32_t hi = 0, lo = 0;
    if (remaining() < 8) return false;
    ReadU32(hi);
    ReadU32(lo);
    v = (uint64_t{hi} << 32) | lo;
    return true;
  }
  // A view of the next n bytes.
  bool ReadBytes(size_t n, Bytes& out) {
    if (remaining() < n) return false;
    out = Bytes(data_ + pos_, n);
    pos_ += n;
    return true;
  }
  // Copies the next n bytes into dst.
  bool CopyBytes(size_t n, uint8_t* dst) {
    if (remaining() < n) return false;
    if (n != 0) std::memcpy(dst, data_ + pos_, n);
    pos_ += n;
    return true;
  }
  // A child reader over the next n bytes; this reader moves past them.
  bool Sub(size_t n, Reader& out) {
    if (remaining() < n) return false;
    out = Reader(Bytes(data_ + pos_, n));
    pos_ += n;
    return true;
  }
  bool Skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  bool PeekU8(uint8_t& v) const {
    if (remaining() < 1) return false;
    v = data_[pos_];
    return true;
  }
  bool PeekU16(uint16_t& v) const {
    Reader copy = *this;
    return copy.ReadU16(v);
  }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
};

// A big-endian writer. Either into caller memory of fixed capacity, or
// appending to a std::vector that grows. Failure is sticky: once a write does
// not fit, ok() is false and later writes do nothing.
class Writer {
 public:
  // Writes into `buf`; never allocates.
  explicit Writer(absl::Span<uint8_t> buf)
      : data_(buf.data()), cap_(buf.size()) {}
  // Appends to `*out` (which keeps its current contents). The vector grows
  // as writes need it; its spare capacity is not zero-filled up front (a
  // big send buffer with a few octets in it would cost a memset of all of
  // it per writer).
  explicit Writer(std::vector<uint8_t>* out)
      : vec_(out), base_(out->size()), data_(out->data() + base_) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer() { Finish(); }

  bool ok() const { return ok_; }
  // Bytes written so far.
  size_t size() const { return pos_; }
  size_t capacity() const { return vec_ ? SIZE_MAX : cap_; }
  // The bytes written so far.
  Bytes written() const { return Bytes(data_, pos_); }
  uint8_t* data() { return data_; }

  bool WriteU8(uint8_t v) {
    if (!Ensure(1)) return false;
    data_[pos_++] = v;
    return true;
  }
  bool WriteU16(uint16_t v) {
    if (!Ensure(2)) return false;
    data_[pos_] = static_cast<uint8_t>(v >> 8);
    data_[pos_ + 1] = static_cast<uint8_t>(v);
    pos_ += 2;
    return true;
  }
  bool WriteU24(uint32_t v) {
    if (!Ensure(3)) return false;
    data_[pos_] = static_cast<uint8_t>(v >> 16);
    data_[pos_ + 1] = static_cast<uint8_t>(v >> 8);
    data_[pos_ + 2] = static_cast<uint8_t>(v);
    pos_ += 3;
    return true;
  }
  bool WriteU32(uint32_t v) {
    if (!Ensure(4)) return false;
    data_[pos_] = static_cast<uint8_t>(v >> 24);
    data_[pos_ + 1] = static_cast<uint8_t>(v >> 16);
    data_[pos_ + 2] = static_cast<uint8_t>(v >> 8);
    data_[pos_ + 3] = static_cast<uint8_t>(v);
    pos_ += 4;
    return true;
  }
  bool WriteU64(uint64_t v) {
    return WriteU32(static_cast<uint32_t>(v >> 32)) &&
           WriteU32(static_cast<uint32_t>(v));
  }
  bool WriteBytes(Bytes b) {
    if (!Ensure(b.size())) return false;
    if (!b.empty()) std::memcpy(data_ + pos_, b.data(), b.size());
    pos_ += b.size();
    return true;
  }
  bool WriteZeros(size_t n) {
    if (!Ensure(n)) return false;
    std::memset(data_ + pos_, 0, n);
    pos_ += n;
    return true;
  }

  // Reserves a length field to be filled later with FillLength*(). Returns the
  // position of the field.
  size_t ReserveU8() {
    size_t at = pos_;
    WriteU8(0);
    return at;
  }
  size_t ReserveU16() {
    size_t at = pos_;
    WriteU16(0);
    return at;
  }
  // Sets the field reserved at `at` to the number of bytes written after it.
  // Fails (sticky) if the length does not fit the field.
  bool FillLength8(size_t at) { return Patch(at, 1, pos_ - at - 1); }
  bool FillLength16(size_t at) { return Patch(at, 2, pos_ - at - 2); }
  // Overwrites a field already written.
  bool PatchU16(size_t at, uint16_t v) { return Patch(at, 2, v); }
  bool PatchU8(size_t at, uint8_t v) { return Patch(at, 1, v); }

  // Drops everything written after `at` (e.g. to undo a partial write).
  void Truncate(size_t at) {
    if (at < pos_) pos_ = at;
  }
  // Trims a growing vector to what was written. Called by the destructor.
  void Finish() {
    if (vec_ != nullptr) {
      vec_->resize(base_ + pos_);
      cap_ = pos_;
      data_ = vec_->data() + base_;
      vec_ = nullptr;
    }
  }

 private:
  bool Ensure(size_t n) {
    if (!ok_) return false;
    if (cap_ - pos_ >= n) return true;
    if (vec_ == nullptr) {
      ok_ = false;
      return false;
    }
    // At least doubles what this writer has: few resizes, and the
    // zero-fill they do stays within twice the octets written.
    const size_t extra = pos_ > 64 ? pos_ : 64;
    vec_->resize(base_ + pos_ + (n > extra ? n : extra));
    data_ = vec_->data() + base_;
    cap_ = vec_->size() - base_;
    return true;
  }
  bool Patch(size_t at, int width, size_t v) {
    if (!ok_ || at + width > pos_) return ok_ = false;
    if (width == 1) {
      if (v > 0xff) return ok_ = false;
      data_[at] = static_cast<uint8_t>(v);
    } else {
      if (v > 0xffff) return ok_ = false;
      data_[at] = static_cast<uint8_t>(v >> 8);
      data_[at + 1] = static_cast<uint8_t>(v);
    }
    return true;
  }

  std::vector<uint8_t>* vec_ = nullptr;
  size_t base_ = 0;
  uint8_t* data_ = nullptr;
  size_t cap_ = 0;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace bgpy::wire

#endif  // BGPY_WIRE_H_
