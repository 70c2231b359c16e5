// Copyright 2026 The bgpy Authors.
//
// route_refresh.cc: the ROUTE-REFRESH message (RFC 2918 §3) with the
// Message Subtype of RFC 7313 §3 and ORF entries (RFC 5291) kept as bytes.

#include "absl/strings/str_format.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"

namespace bgpy {
namespace {

bool IsBorrOrEorr(uint8_t subtype) {
  return subtype ==
             static_cast<uint8_t>(RouteRefreshSubtype::kBeginOfRouteRefresh) ||
         subtype ==
             static_cast<uint8_t>(RouteRefreshSubtype::kEndOfRouteRefresh);
}

}  // namespace

absl::StatusOr<RouteRefresh> DecodeRouteRefresh(wire::Bytes message) {
  // The minimum of 23 octets is ParseHeader's; RFC 7313 §5 below.
  BGPY_RETURN_IF_ERROR(
      CheckMessage(message, kMaxExtendedMessageSize, MessageType::kRouteRefresh)
          .status());
  wire::Reader r(message);
  r.Skip(kHeaderSize);
  uint16_t afi = 0;
  uint8_t subtype = 0, safi = 0;
  r.ReadU16(afi);
  r.ReadU8(subtype);
  r.ReadU8(safi);
  if (IsBorrOrEorr(subtype) && !r.empty()) {
    // RFC 7313 §5: BoRR/EoRR bodies are exactly 4 octets; the data is the
    // whole message.
    return NotifyError(
        ErrorCode::kRouteRefresh,
        static_cast<uint8_t>(RouteRefreshSubcode::kInvalidMessageLength),
        message,
        absl::StrFormat("ROUTE-REFRESH subtype %d with %d octets after "
                        "AFI/Subtype/SAFI, must be none",
                        subtype, r.remaining()));
  }
  // Subtypes above 2 are to be ignored by the session (RFC 7313 §5); they
  // are decoded here, any body kept, so the message still round-trips.
  RouteRefresh rr;
  rr.family = Family(afi, safi);
  rr.subtype = subtype;
  rr.orf.assign(r.rest().begin(), r.rest().end());
  return rr;
}

absl::Status EncodeRouteRefresh(const RouteRefresh& r, wire::Writer& w) {
  if (IsBorrOrEorr(r.subtype) && !r.orf.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "ROUTE-REFRESH subtype %d cannot carry ORF entries (RFC 7313 §5)",
        r.subtype));
  }
  const size_t start = BeginMessage(MessageType::kRouteRefresh, w);
  w.WriteU16(static_cast<uint16_t>(r.family.afi));
  w.WriteU8(r.subtype);
  w.WriteU8(static_cast<uint8_t>(r.family.safi));
  w.WriteBytes(r.orf);
  // ORF entries may need the extended size (RFC 8654 §4); the session knows
  // whether it was negotiated.
  return FinishMessage(start, kMaxExtendedMessageSize, w);
}

}  // namespace bgpy
