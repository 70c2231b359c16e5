// Copyright 2026 The bgpy Authors.
//
// MP_REACH next hops shared by the family rows (RFC 4760 §3, RFC 2545 §3,
// RFC 4364 §4.3.2, RFC 4659 §3.2.1, RFC 8950).
#include "absl/strings/str_format.h"
#include "families/registry.h"

namespace bgpy {

bool EncodeMpNextHop(const MpNextHop& nh, wire::Writer& w) {
  // The RD of a VPN next hop comes before each address (RFC 4659 §3.2.1).
  if (nh.rd) w.WriteU64(*nh.rd);
  w.WriteBytes(wire::Bytes(nh.address.bytes(), nh.address.byte_length()));
  if (nh.link_local) {
    if (nh.rd) w.WriteU64(*nh.rd);
    w.WriteBytes(
        wire::Bytes(nh.link_local->bytes(), nh.link_local->byte_length()));
  }
  return w.ok();
}

namespace internal {

absl::Status CheckV4NextHop(wire::Bytes nh) {
  if (nh.size() == 4 || nh.size() == 16 || nh.size() == 32) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("next hop length %d (expected 4, 16 or 32)", nh.size()));
}

absl::Status CheckV6NextHop(wire::Bytes nh) {
  if (nh.size() == 16 || nh.size() == 32) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("next hop length %d (expected 16 or 32)", nh.size()));
}

absl::StatusOr<MpNextHop> DecodeNextHop(wire::Bytes nh) {
  return DecodeMpNextHop(nh);
}

bool EncodeNextHop(const MpNextHop& nh, wire::Writer& w) {
  return EncodeMpNextHop(nh, w);
}

}  // namespace internal
}  // namespace bgpy
