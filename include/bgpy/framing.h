// Copyright 2026 The bgpy Authors.
//
// framing.h: the message header (RFC 4271 §4.1), the one framing check
// (RFC 4271 §6.1) every decoder and the session use, the stream splitter,
// and the helpers that write a header.
#ifndef BGPY_FRAMING_H_
#define BGPY_FRAMING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/params.h"
#include "bgpy/wire.h"

namespace bgpy {

enum class MessageType : uint8_t {
  kOpen = 1,
  kUpdate = 2,
  kNotification = 3,
  kKeepalive = 4,
  kRouteRefresh = 5,  // RFC 2918
};
// "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE_REFRESH", "TYPE_N".
std::string MessageTypeName(uint8_t type);

struct MessageHeader {
  uint16_t length = 0;
  MessageType type = MessageType::kKeepalive;
};

// Checks the 19-octet header at the start of `data` (RFC 4271 §6.1): marker
// all ones (1/1), length within 19..max and right for the type (1/2, data =
// the length field), known type (1/3, data = the type). Needs only the
// first 19 octets (the stream splitter's half of CheckMessage). `max_size`
// is 4096 or 65535 (RFC 8654); OPEN and KEEPALIVE stay within 4096.
// kInvalidArgument (no NOTIFICATION) with fewer than 19 octets.
absl::StatusOr<MessageHeader> ParseHeader(wire::Bytes data, size_t max_size);

// The framing check of one whole message, used by every decoder, the
// session and bgpy::format: ParseHeader, then the length field must equal
// `message.size()` (1/2, data = the length field). With `expected`, a
// message of another type is a caller mistake: kInvalidArgument, no
// NOTIFICATION (checked before the header, so DecodeOpen on an UPDATE says
// so rather than what is wrong with the UPDATE).
absl::StatusOr<MessageHeader> CheckMessage(
    wire::Bytes message, size_t max_size,
    std::optional<MessageType> expected = std::nullopt);

// Splits a byte stream into whole messages, whatever the chunking.
// Buffers at most one partial message (bounded by max_size).
class MessageSplitter {
 public:
  explicit MessageSplitter(size_t max_size = kMaxMessageSize)
      : max_size_(max_size) {}
  void set_max_size(size_t m) { max_size_ = m; }

  // Appends received bytes.
  void Feed(wire::Bytes data);
  // The next whole message (header included), valid until the next call to
  // Feed() or Next(); std::nullopt when more bytes are needed; a header
  // error (RFC 4271 §6.1) is final: the stream cannot be resynchronised.
  absl::StatusOr<std::optional<wire::Bytes>> Next();
  // Bytes buffered and not yet returned.
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
  size_t max_size_;
  absl::Status error_;
};

// Writes a header with a placeholder length; FinishMessage fills it in.
size_t BeginMessage(MessageType type, wire::Writer& w);
// Fills the length of the message begun at `start`. kOutOfRange if it
// exceeds `max_size` or the writer overflowed.
absl::Status FinishMessage(size_t start, size_t max_size, wire::Writer& w);

}  // namespace bgpy

#endif  // BGPY_FRAMING_H_
