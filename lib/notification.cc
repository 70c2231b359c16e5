// Copyright 2026 The bgpy Authors.
//
// notification.cc: the NOTIFICATION message (RFC 4271 §4.5), shutdown
// communication (RFC 9003) and hard reset (RFC 8538).

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/errors.h"
#include "bgpy/hex.h"
#include "bgpy/message.h"

namespace bgpy {
namespace {

constexpr size_t kMaxShutdownLength = 255;  // RFC 9003 §2: one length octet

// Length of the UTF-8 sequence starting at s[i], or 0 if it is not a valid
// one (RFC 3629 §4: no overlong forms, no surrogates, at most U+10FFFF).
size_t Utf8SequenceLength(const uint8_t* s, size_t n, size_t i) {
  const uint8_t b = s[i];
  if (b < 0x80) return 1;
  size_t len;
  uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second octet
  if (b >= 0xc2 && b <= 0xdf) {
    len = 2;
  } else if (b >= 0xe0 && b <= 0xef) {
    len = 3;
    if (b == 0xe0) lo = 0xa0;  // overlong
    if (b == 0xed) hi = 0x9f;  // surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    len = 4;
    if (b == 0xf0) lo = 0x90;  // overlong
    if (b == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (n - i < len) return 0;
  if (s[i + 1] < lo || s[i + 1] > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if ((s[i + k] & 0xc0) != 0x80) return 0;
  }
  return len;
}

bool IsValidUtf8(const uint8_t* s, size_t n) {
  for (size_t i = 0; i < n;) {
    const size_t len = Utf8SequenceLength(s, n, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool IsShutdownSubcode(uint8_t code, uint8_t subcode) {
  return code == static_cast<uint8_t>(ErrorCode::kCease) &&
         (subcode ==
              static_cast<uint8_t>(CeaseSubcode::kAdministrativeShutdown) ||
          subcode == static_cast<uint8_t>(CeaseSubcode::kAdministrativeReset));
}

}  // namespace

absl::StatusOr<Notification> DecodeNotification(wire::Bytes message) {
  // The size the session negotiated is its business (RFC 8654 §4).
  BGPY_RETURN_IF_ERROR(
      CheckMessage(message, kMaxExtendedMessageSize, MessageType::kNotification)
          .status());
  Notification n;
  n.code = message[kHeaderSize];
  n.subcode = message[kHeaderSize + 1];
  n.data.assign(message.begin() + kHeaderSize + 2, message.end());
  return n;
}

absl::Status EncodeNotification(const Notification& n, wire::Writer& w) {
  const size_t start = BeginMessage(MessageType::kNotification, w);
  w.WriteU8(n.code);
  w.WriteU8(n.subcode);
  w.WriteBytes(n.data);
  // NOTIFICATION may use the extended size (RFC 8654 §4); whether the peer
  // accepts it is the session's business, which knows what was negotiated.
  return FinishMessage(start, kMaxExtendedMessageSize, w);
}

std::optional<std::string> Notification::ShutdownMessage() const {
  // RFC 9003 §2: Length (1 octet), then that many octets of UTF-8.
  if (!IsShutdownSubcode(code, subcode) || data.empty()) return std::nullopt;
  const size_t len = data[0];
  if (len > data.size() - 1) return std::nullopt;
  if (!IsValidUtf8(data.data() + 1, len)) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(data.data() + 1), len);
}

Notification Notification::Shutdown(uint8_t subcode, absl::string_view text) {
  Notification n;
  n.code = static_cast<uint8_t>(ErrorCode::kCease);
  n.subcode = subcode;
  size_t len = text.size();
  if (len > kMaxShutdownLength) {
    len = kMaxShutdownLength;
    // Back off to the start of a UTF-8 sequence so no character is split.
    while (len > 0 && (static_cast<uint8_t>(text[len]) & 0xc0) == 0x80) --len;
  }
  n.data.reserve(1 + len);
  n.data.push_back(static_cast<uint8_t>(len));
  n.data.insert(n.data.end(), text.begin(), text.begin() + len);
  return n;
}

std::optional<Notification> Notification::HardResetCause() const {
  // RFC 8538 §3: Cease / Hard Reset, data = ErrCode, Subcode, Data.
  if (code != static_cast<uint8_t>(ErrorCode::kCease) ||
      subcode != static_cast<uint8_t>(CeaseSubcode::kHardReset) ||
      data.size() < 2) {
    return std::nullopt;
  }
  Notification inner;
  inner.code = data[0];
  inner.subcode = data[1];
  inner.data.assign(data.begin() + 2, data.end());
  return inner;
}

namespace {

// The peer's text with control characters escaped, so one NOTIFICATION
// stays one log line.
std::string Printable(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<uint8_t>(c);
    if (u < 0x20 || u == 0x7f) {
      absl::StrAppendFormat(&out, "\\x%02x", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// `depth` bounds the nesting of Hard Reset inside Hard Reset.
std::string DescribeImpl(const Notification& n, int depth) {
  std::string out = absl::StrCat(ErrorCodeName(n.code), " / ",
                                 ErrorSubcodeName(n.code, n.subcode));
  if (IsShutdownSubcode(n.code, n.subcode)) {
    if (std::optional<std::string> text = n.ShutdownMessage()) {
      if (!text->empty()) absl::StrAppend(&out, ": ", Printable(*text));
    } else if (!n.data.empty()) {
      absl::StrAppend(&out, " (malformed shutdown communication ",
                      HexString(n.data), ")");
    }
    return out;
  }
  if (depth < 2) {
    if (std::optional<Notification> inner = n.HardResetCause()) {
      absl::StrAppend(&out, " (", DescribeImpl(*inner, depth + 1), ")");
      return out;
    }
  }
  if (!n.data.empty()) absl::StrAppend(&out, " (data ", HexString(n.data), ")");
  return out;
}

}  // namespace

std::string Notification::Describe() const { return DescribeImpl(*this, 0); }

}  // namespace bgpy
