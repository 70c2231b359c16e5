// Copyright 2026 The bgpy Authors.
//
// open.cc: the OPEN message (RFC 4271 §4.2) with capabilities in optional
// parameters (RFC 5492) and extended optional parameters length (RFC 9072).
//
// Error choices (RFC 4271 §6.2 names no subcode for inconsistent lengths):
//  - the message shorter than 29 octets, or its length field not matching
//    the bytes given: 1/2 Bad Message Length, data = the length field
//    (RFC 4271 §6.1), as the header check would report it;
//  - inside the OPEN body (Optional Parameters Length not matching the rest
//    of the message, a parameter or capability running past its container,
//    a truncated RFC 9072 length): 2/0 Unspecific, no data. The framing was
//    consistent; the OPEN's own fields are not.
// Hold time (2/6) and BGP Identifier (2/3) checks need local policy and are
// left to the session.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"

namespace bgpy {
namespace {

constexpr uint8_t kBgpVersion = 4;      // RFC 4271 §4.2
constexpr size_t kMaxShortParam = 255;  // RFC 5492 §4: one-octet lengths
constexpr size_t kMaxExtParam = 65535;  // RFC 9072 §2: two-octet lengths

absl::Status Unspecific(absl::string_view why) {
  return OpenError(OpenSubcode::kUnspecific, {}, absl::StrCat("OPEN: ", why));
}

// Decodes the capabilities of one type-2 parameter (RFC 5492 §4).
absl::Status DecodeCapabilities(wire::Reader r, OptionalParameter& p) {
  while (!r.empty()) {
    uint8_t code, len;
    wire::Bytes value;
    if (!r.ReadU8(code) || !r.ReadU8(len)) {
      return Unspecific(absl::StrFormat(
          "capability header truncated at offset %d of a %d-octet parameter",
          r.offset(), r.size()));
    }
    if (!r.ReadBytes(len, value)) {
      return Unspecific(absl::StrFormat(
          "%s capability length %d overruns its parameter (%d octets left)",
          CapabilityName(code), len, r.remaining()));
    }
    p.capabilities.push_back(DecodeCapability(code, value));
  }
  return absl::OkStatus();
}

// The value length of a parameter as it will be encoded.
size_t ParameterValueSize(const OptionalParameter& p) {
  if (p.type != kOptParamCapabilities) return p.value.size();
  size_t n = 0;
  for (const Capability& c : p.capabilities) n += CapabilityEncodedSize(c);
  return n;
}

}  // namespace

absl::StatusOr<Open> DecodeOpen(wire::Bytes message) {
  // OPEN stays within 4096 octets whatever was negotiated (RFC 8654 §4).
  BGPY_RETURN_IF_ERROR(
      CheckMessage(message, kMaxMessageSize, MessageType::kOpen).status());
  wire::Reader r(message);
  r.Skip(kHeaderSize);
  Open o;
  uint8_t opt_len = 0;
  // At least 10 octets remain (CheckMessage: 29 for an OPEN), so these
  // reads succeed.
  r.ReadU8(o.version);
  r.ReadU16(o.my_as);
  r.ReadU16(o.hold_time);
  r.ReadU32(o.bgp_id);
  r.ReadU8(opt_len);
  if (o.version != kBgpVersion) {
    // RFC 4271 §6.2: data is the largest locally supported version.
    const uint8_t supported[2] = {0, kBgpVersion};
    return OpenError(
        OpenSubcode::kUnsupportedVersionNumber, supported,
        absl::StrFormat("OPEN: version %d, only 4 is supported", o.version));
  }

  uint8_t first_type = 0;
  if (opt_len == 255 && r.PeekU8(first_type) &&
      first_type == kOptParamExtendedLength) {
    // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, then a
    // two-octet Extended Opt. Parm. Length.
    uint16_t ext_len = 0;
    r.Skip(1);
    if (!r.ReadU16(ext_len)) {
      return Unspecific("Extended Opt. Parm. Length (RFC 9072) truncated");
    }
    if (ext_len != r.remaining()) {
      return Unspecific(
          absl::StrFormat("Extended Opt. Parm. Length %d but %d octets follow",
                          ext_len, r.remaining()));
    }
    o.extended_parameters = true;
  } else if (opt_len != r.remaining()) {
    return Unspecific(
        absl::StrFormat("Optional Parameters Length %d but %d octets follow",
                        opt_len, r.remaining()));
  }

  while (!r.empty()) {
    uint8_t type = 0;
    size_t len = 0;
    r.ReadU8(type);
    if (o.extended_parameters) {
      uint16_t l;
      if (!r.ReadU16(l)) return Unspecific("parameter length truncated");
      len = l;
    } else {
      uint8_t l;
      if (!r.ReadU8(l)) return Unspecific("parameter length truncated");
      len = l;
    }
    wire::Reader value;
    if (!r.Sub(len, value)) {
      return Unspecific(absl::StrFormat(
          "optional parameter %d of length %d overruns the %d octets left",
          type, len, r.remaining()));
    }
    if (type != kOptParamCapabilities) {
      // RFC 4271 §6.2; RFC 5492 §4 leaves only type 2 in use.
      return OpenError(
          OpenSubcode::kUnsupportedOptionalParameter, {},
          absl::StrFormat("OPEN: unsupported optional parameter type %d",
                          type));
    }
    OptionalParameter p;
    p.type = type;
    BGPY_RETURN_IF_ERROR(DecodeCapabilities(value, p));
    o.parameters.push_back(std::move(p));
  }
  return o;
}

absl::Status EncodeOpen(const Open& open, wire::Writer& w) {
  // Pick the encoding: RFC 9072 when asked for or when needed.
  bool ext = open.extended_parameters;
  size_t short_total = 0;
  size_t ext_total = 0;
  for (const OptionalParameter& p : open.parameters) {
    if (p.type == kOptParamExtendedLength) {
      return absl::InvalidArgumentError(
          "OPEN: optional parameter type 255 is reserved (RFC 9072 §2)");
    }
    const size_t n = ParameterValueSize(p);
    if (n > kMaxExtParam) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "OPEN: optional parameter of %d octets exceeds 65535", n));
    }
    if (n > kMaxShortParam) ext = true;
    short_total += 2 + n;
    ext_total += 3 + n;
  }
  if (short_total > kMaxShortParam) ext = true;
  if (ext && ext_total > kMaxExtParam) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "OPEN: optional parameters of %d octets exceed 65535", ext_total));
  }

  const size_t start = BeginMessage(MessageType::kOpen, w);
  w.WriteU8(open.version);
  w.WriteU16(open.my_as);
  w.WriteU16(open.hold_time);
  w.WriteU32(open.bgp_id);
  if (ext) {
    w.WriteU8(255);  // RFC 9072 §2: Non-Ext OP Len
    w.WriteU8(kOptParamExtendedLength);
    w.WriteU16(static_cast<uint16_t>(ext_total));
  } else {
    w.WriteU8(static_cast<uint8_t>(short_total));
  }
  for (const OptionalParameter& p : open.parameters) {
    const size_t n = ParameterValueSize(p);
    w.WriteU8(p.type);
    if (ext) {
      w.WriteU16(static_cast<uint16_t>(n));
    } else {
      w.WriteU8(static_cast<uint8_t>(n));
    }
    if (p.type == kOptParamCapabilities) {
      for (const Capability& c : p.capabilities) {
        BGPY_RETURN_IF_ERROR(EncodeCapability(c, w));
      }
    } else {
      w.WriteBytes(p.value);
    }
  }
  // RFC 8654 §4: OPEN never exceeds 4096 octets.
  return FinishMessage(start, kMaxMessageSize, w);
}

std::vector<const Capability*> Open::Capabilities() const {
  std::vector<const Capability*> out;
  for (const OptionalParameter& p : parameters) {
    if (p.type != kOptParamCapabilities) continue;
    for (const Capability& c : p.capabilities) out.push_back(&c);
  }
  return out;
}

uint32_t Open::EffectiveAs() const {
  // RFC 6793 §4.1: the capability carries the real AS.
  if (const auto* c = Find<FourOctetAsCapability>()) return c->asn;
  return my_as;
}

Open Open::Make(uint32_t asn, uint16_t hold_time, uint32_t bgp_id,
                std::vector<Capability> caps) {
  Open o;
  // RFC 6793 §4.1: AS_TRANS in My Autonomous System for 4-octet ASes.
  o.my_as = asn > 0xffff ? kAsTrans : static_cast<uint16_t>(asn);
  o.hold_time = hold_time;
  o.bgp_id = bgp_id;
  if (!caps.empty()) {
    OptionalParameter p;
    p.type = kOptParamCapabilities;
    p.capabilities = std::move(caps);
    o.parameters.push_back(std::move(p));
  }
  return o;
}

}  // namespace bgpy
