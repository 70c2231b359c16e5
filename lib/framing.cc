// Copyright 2026 The bgpy Authors.
//
// Framing (RFC 4271 §4.1, §6.1), the one framing check, the stream
// splitter and the header writers.
#include "bgpy/framing.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "bgpy/errors.h"

namespace bgpy {
namespace {

// Minimum total lengths per type, RFC 4271 §4.2-4.5, RFC 2918 §3.
constexpr size_t kMinOpen = 29;
constexpr size_t kMinUpdate = 23;
constexpr size_t kMinNotification = 21;
constexpr size_t kKeepaliveLength = 19;
constexpr size_t kMinRouteRefresh = 23;

}  // namespace

std::string MessageTypeName(uint8_t type) {
  switch (type) {
    case 1:
      return "OPEN";
    case 2:
      return "UPDATE";
    case 3:
      return "NOTIFICATION";
    case 4:
      return "KEEPALIVE";
    case 5:
      return "ROUTE_REFRESH";
  }
  return absl::StrCat("TYPE_", type);
}

absl::StatusOr<MessageHeader> ParseHeader(wire::Bytes data, size_t max_size) {
  if (data.size() < kHeaderSize) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "message header needs %d octets, have %d", kHeaderSize, data.size()));
  }
  // All ones is checked at once (two word loads); the loop only names the
  // first octet that is not.
  uint64_t m[2];
  std::memcpy(m, data.data(), sizeof m);
  static_assert(sizeof m == kMarkerSize);
  if ((m[0] & m[1]) != ~uint64_t{0}) {
    for (size_t i = 0; i < kMarkerSize; ++i) {
      if (data[i] != 0xff) {
        return HeaderError(
            HeaderSubcode::kConnectionNotSynchronized, {},
            absl::StrFormat("marker octet %d is 0x%02x, not 0xff", i, data[i]));
      }
    }
  }
  const uint16_t length = static_cast<uint16_t>(data[16] << 8 | data[17]);
  const uint8_t type = data[18];
  const uint8_t len_field[2] = {data[16], data[17]};
  auto bad_length = [&](absl::string_view why) {
    return HeaderError(HeaderSubcode::kBadMessageLength, len_field,
                       absl::StrFormat("%s length %d: %s",
                                       MessageTypeName(type), length, why));
  };
  if (type < 1 || type > 5) {
    return HeaderError(HeaderSubcode::kBadMessageType,
                       wire::Bytes(&data[18], 1),
                       absl::StrFormat("unknown message type %d", type));
  }
  if (length < kHeaderSize) return bad_length("shorter than the header");
  // RFC 8654 §4: OPEN and KEEPALIVE stay within 4096 octets.
  const size_t max =
      (type == 1 || type == 4) ? std::min(max_size, kMaxMessageSize) : max_size;
  if (length > max) {
    return bad_length(absl::StrFormat("exceeds the maximum of %d", max));
  }
  switch (static_cast<MessageType>(type)) {
    case MessageType::kOpen:
      if (length < kMinOpen) return bad_length("OPEN needs at least 29");
      break;
    case MessageType::kUpdate:
      if (length < kMinUpdate) return bad_length("UPDATE needs at least 23");
      break;
    case MessageType::kNotification:
      if (length < kMinNotification) {
        return bad_length("NOTIFICATION needs at least 21");
      }
      break;
    case MessageType::kKeepalive:
      if (length != kKeepaliveLength) return bad_length("KEEPALIVE is 19");
      break;
    case MessageType::kRouteRefresh:
      if (length < kMinRouteRefresh) {
        return bad_length("ROUTE-REFRESH needs at least 23");
      }
      break;
  }
  return MessageHeader{length, static_cast<MessageType>(type)};
}

absl::StatusOr<MessageHeader> CheckMessage(
    wire::Bytes message, size_t max_size, std::optional<MessageType> expected) {
  if (expected && message.size() >= kHeaderSize &&
      message[18] != static_cast<uint8_t>(*expected)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "message type is %s, not %s", MessageTypeName(message[18]),
        MessageTypeName(static_cast<uint8_t>(*expected))));
  }
  BGPY_ASSIGN_OR_RETURN(MessageHeader h, ParseHeader(message, max_size));
  if (h.length != message.size()) {
    const uint8_t len_field[2] = {message[16], message[17]};
    return HeaderError(
        HeaderSubcode::kBadMessageLength, len_field,
        absl::StrFormat("%s length field says %d octets, message has %d",
                        MessageTypeName(message[18]), h.length,
                        message.size()));
  }
  return h;
}

// --- MessageSplitter ---------------------------------------------------------

void MessageSplitter::Feed(wire::Bytes data) {
  if (!error_.ok()) return;  // the stream is dead; keep nothing more
  // Drop consumed bytes before growing, so the buffer holds at most one
  // partial message plus what was just fed.
  if (pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + pos_);
    pos_ = 0;
  }
  buf_.insert(buf_.end(), data.begin(), data.end());
}

absl::StatusOr<std::optional<wire::Bytes>> MessageSplitter::Next() {
  if (!error_.ok()) return error_;
  const size_t avail = buf_.size() - pos_;
  if (avail < kHeaderSize) return std::optional<wire::Bytes>();
  wire::Bytes head(buf_.data() + pos_, avail);
  auto h = ParseHeader(head, max_size_);
  if (!h.ok()) {
    error_ = h.status();
    return error_;
  }
  if (avail < h->length) return std::optional<wire::Bytes>();
  wire::Bytes msg(buf_.data() + pos_, h->length);
  pos_ += h->length;
  return std::optional<wire::Bytes>(msg);
}

// --- Writing helpers
// -----------------------------------------------------------

size_t BeginMessage(MessageType type, wire::Writer& w) {
  const size_t start = w.size();
  for (size_t i = 0; i < kMarkerSize; ++i) w.WriteU8(0xff);
  w.WriteU16(0);
  w.WriteU8(static_cast<uint8_t>(type));
  return start;
}

absl::Status FinishMessage(size_t start, size_t max_size, wire::Writer& w) {
  if (!w.ok()) return absl::OutOfRangeError("output buffer too small");
  const size_t len = w.size() - start;
  if (len > max_size) {
    return absl::OutOfRangeError(absl::StrFormat(
        "message of %d octets exceeds the maximum of %d", len, max_size));
  }
  w.PatchU16(start + kMarkerSize, static_cast<uint16_t>(len));
  return absl::OkStatus();
}

}  // namespace bgpy
