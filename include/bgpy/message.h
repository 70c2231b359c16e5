// Copyright 2026 The bgpy Authors.
//
// message.h: the five BGP messages (RFC 4271 §4), framing, and a stream
// splitter.
//
// Owned message types (Open, Update, Notification, Keepalive, RouteRefresh)
// keep everything needed to re-encode a decoded well-formed message to its
// exact bytes. For the UPDATE hot path use UpdateView (update.h).
#ifndef BGPY_MESSAGE_H_
#define BGPY_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bgpy/attributes.h"
#include "bgpy/capabilities.h"
#include "bgpy/errors.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
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

// --- OPEN (RFC 4271 §4.2, RFC 5492, RFC 9072) --------------------------------

inline constexpr uint8_t kOptParamCapabilities = 2;      // RFC 5492 §4
inline constexpr uint8_t kOptParamExtendedLength = 255;  // RFC 9072 §2

struct OptionalParameter {
  uint8_t type = kOptParamCapabilities;
  // For type 2: the capabilities in this parameter, in order.
  std::vector<Capability> capabilities;
  // For other types: the value as found.
  std::vector<uint8_t> value;
  bool operator==(const OptionalParameter&) const = default;
};

struct Open {
  uint8_t version = 4;
  uint16_t my_as = 0;  // AS_TRANS (23456) when the real AS is 4 octets
  uint16_t hold_time = 90;
  uint32_t bgp_id = 0;  // host order
  std::vector<OptionalParameter> parameters;
  // RFC 9072 encoding (non-ext opt len 255, type 255, 2-octet lengths).
  // Chosen automatically when the parameters do not fit 255 octets.
  bool extended_parameters = false;

  // All capabilities of all type-2 parameters, in order.
  std::vector<const Capability*> Capabilities() const;
  // The first capability of type T, if any.
  template <typename T>
  const T* Find() const {
    for (const auto& p : parameters)
      for (const auto& c : p.capabilities)
        if (const T* t = std::get_if<T>(&c)) return t;
    return nullptr;
  }
  // The AS to use: capability 65's if present, else my_as.
  uint32_t EffectiveAs() const;
  // Puts every capability in one parameter (the common modern form).
  static Open Make(uint32_t asn, uint16_t hold_time, uint32_t bgp_id,
                   std::vector<Capability> caps);
  bool operator==(const Open&) const = default;
};

// Decodes an OPEN (whole message, header included). Errors per RFC 4271
// §6.2: 2/1 with the supported version as data, 2/4 for unknown optional
// parameters, 1/2 or 2/0 for inconsistent lengths.
absl::StatusOr<Open> DecodeOpen(wire::Bytes message);
absl::Status EncodeOpen(const Open& open, wire::Writer& w);

// --- KEEPALIVE
// -----------------------------------------------------------------

struct Keepalive {
  bool operator==(const Keepalive&) const = default;
};

// --- NOTIFICATION (RFC 4271 §4.5, RFC 8203/9003, RFC 8538)
// --------------------

struct Notification {
  uint8_t code = 0;
  uint8_t subcode = 0;
  std::vector<uint8_t> data;

  // RFC 9003 shutdown communication for Cease/2 and Cease/4: a length octet
  // and that many octets of UTF-8. std::nullopt when absent or malformed.
  std::optional<std::string> ShutdownMessage() const;
  // Cease/2 or /4 with a shutdown communication. Text longer than 255 octets
  // is cut at a UTF-8 boundary.
  static Notification Shutdown(uint8_t subcode, absl::string_view text);
  // RFC 8538 §3: Cease/Hard Reset wraps the original code, subcode and data.
  std::optional<Notification> HardResetCause() const;
  // "Cease / Administrative Shutdown" (+ ": text" when there is one).
  std::string Describe() const;
  bool operator==(const Notification&) const = default;
};
absl::StatusOr<Notification> DecodeNotification(wire::Bytes message);
absl::Status EncodeNotification(const Notification& n, wire::Writer& w);

// --- ROUTE-REFRESH (RFC 2918, RFC 7313)
// -----------------------------------------

enum class RouteRefreshSubtype : uint8_t {
  kRequest = 0,
  kBeginOfRouteRefresh = 1,  // BoRR, RFC 7313
  kEndOfRouteRefresh = 2,    // EoRR, RFC 7313
};
struct RouteRefresh {
  Family family;
  uint8_t subtype = 0;
  std::vector<uint8_t> orf;  // RFC 5291 ORF entries, kept as bytes
  bool operator==(const RouteRefresh&) const = default;
};
// Errors: 7/1 Invalid Message Length for BoRR/EoRR of the wrong length.
absl::StatusOr<RouteRefresh> DecodeRouteRefresh(wire::Bytes message);
absl::Status EncodeRouteRefresh(const RouteRefresh& r, wire::Writer& w);

// --- UPDATE, owned (RFC 4271 §4.3)
// -----------------------------------------------

struct Update {
  std::vector<NlriEntry> withdrawn;       // IPv4 unicast
  std::vector<PathAttribute> attributes;  // in order, as found
  std::vector<NlriEntry> nlri;            // IPv4 unicast

  // The first attribute with `code`, if any.
  const PathAttribute* FindAttribute(uint8_t code) const;
  bool operator==(const Update&) const = default;
};
// Decodes through UpdateView::Parse (so the same checks apply).
absl::StatusOr<Update> DecodeUpdate(wire::Bytes message,
                                    const SessionParams& params);
// kOutOfRange if the message exceeds params.max_message_size().
absl::Status EncodeUpdate(const Update& u, const SessionParams& params,
                          wire::Writer& w);

// --- Any message
// -------------------------------------------------------------------

using Message =
    std::variant<Open, Update, Notification, Keepalive, RouteRefresh>;

MessageType TypeOf(const Message& m);
// Decodes one whole message (header included; `message.size()` must equal
// the length field).
absl::StatusOr<Message> DecodeMessage(wire::Bytes message,
                                      const SessionParams& params);
absl::Status EncodeMessage(const Message& m, const SessionParams& params,
                           wire::Writer& w);
// Convenience: a fresh vector.
absl::StatusOr<std::vector<uint8_t>> EncodeMessage(const Message& m,
                                                   const SessionParams& params);

// Writes a header with a placeholder length; FinishMessage fills it in.
size_t BeginMessage(MessageType type, wire::Writer& w);
// Fills the length of the message begun at `start`. kOutOfRange if it
// exceeds `max_size` or the writer overflowed.
absl::Status FinishMessage(size_t start, size_t max_size, wire::Writer& w);

}  // namespace bgpy

#endif  // BGPY_MESSAGE_H_
