// Copyright 2026 The bgpy Authors.
//
// message.h: the five BGP messages (RFC 4271 §4) and dispatch over them.
//
// Owned message types (Open, Update, Notification, Keepalive, RouteRefresh)
// keep everything needed to re-encode a decoded well-formed message to its
// exact bytes. Framing and the stream splitter are in framing.h; UPDATE
// (owned, view and builder) is in update.h. Both are included here, so
// message.h still gives everything; the includes run one way:
// framing.h <- update.h <- message.h.
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
#include "bgpy/framing.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "bgpy/wire.h"

namespace bgpy {

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

}  // namespace bgpy

#endif  // BGPY_MESSAGE_H_
