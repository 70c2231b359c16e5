// Copyright 2026 The bgpy Authors.
//
// Route distinguishers (RFC 4364 §4.2; type 2 as RFC 4364 defines it for
// 4-octet ASNs).
#include "bgpy/route_distinguisher.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/hex.h"
#include "bgpy/types.h"

namespace bgpy {
namespace {

bool ParseNumber(absl::string_view text, uint64_t max, uint64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, &out) && out <= max;
}

}  // namespace

RouteDistinguisher RouteDistinguisher::FromBytes(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return FromRaw(v);
}

void RouteDistinguisher::ToBytes(uint8_t* p) const {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(raw_ >> (56 - 8 * i));
}

absl::StatusOr<RouteDistinguisher> RouteDistinguisher::Make(
    Type type, uint32_t administrator, uint32_t assigned) {
  uint64_t raw = uint64_t{type} << 48;
  switch (type) {
    case kTwoOctetAs:
      if (administrator > 0xffff) {
        return absl::InvalidArgumentError(
            absl::StrCat("route distinguisher type 0 holds a 2-octet ASN, not ",
                         administrator));
      }
      raw |= uint64_t{administrator} << 32 | assigned;
      break;
    case kIpv4:
    case kFourOctetAs:
      if (assigned > 0xffff) {
        return absl::InvalidArgumentError(
            absl::StrCat("route distinguisher type ", static_cast<int>(type),
                         " holds a 2-octet assigned number, not ", assigned));
      }
      raw |= uint64_t{administrator} << 16 | assigned;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("route distinguisher type ", static_cast<int>(type),
                       " has no administrator/number form"));
  }
  return FromRaw(raw);
}

absl::StatusOr<RouteDistinguisher> RouteDistinguisher::Parse(
    absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad route distinguisher \"", text, "\": ", why,
                     " (want ASN:N, A.B.C.D:N or ASN4:N)"));
  };
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return bad("no ':'");
  absl::string_view admin = text.substr(0, colon);
  absl::string_view number = text.substr(colon + 1);
  uint64_t assigned;
  // "TYPE:HEX12", as ToString writes types other than 0-2: twelve digits
  // never come from types 0-2 (their numbers have at most 10).
  uint64_t type;
  if (number.size() == 12 && ParseNumber(admin, 0xffff, type) && type > 2) {
    absl::StatusOr<std::vector<uint8_t>> value = ParseHex(number);
    if (!value.ok() || value->size() != 6) return bad("not 12 hex digits");
    uint64_t raw = type << 48;
    for (int i = 0; i < 6; ++i) raw |= uint64_t{(*value)[i]} << (40 - 8 * i);
    return FromRaw(raw);
  }
  if (admin.find('.') != absl::string_view::npos) {
    absl::StatusOr<uint32_t> a = ParseIpv4(admin);
    if (!a.ok()) return bad("not an IPv4 address before ':'");
    if (!ParseNumber(number, 0xffff, assigned)) {
      return bad("the number after an IPv4 address is 0..65535");
    }
    return Make(kIpv4, *a, static_cast<uint32_t>(assigned));
  }
  bool four = false;
  if (!admin.empty() && (admin.back() == 'L' || admin.back() == 'l')) {
    four = true;
    admin.remove_suffix(1);
  }
  uint64_t asn;
  if (!ParseNumber(admin, 0xffffffff, asn)) return bad("not an ASN before ':'");
  if (four || asn > 0xffff) {
    if (!ParseNumber(number, 0xffff, assigned)) {
      return bad("the number after a 4-octet ASN is 0..65535");
    }
    return Make(kFourOctetAs, static_cast<uint32_t>(asn),
                static_cast<uint32_t>(assigned));
  }
  if (!ParseNumber(number, 0xffffffff, assigned)) {
    return bad("the number after a 2-octet ASN is 0..4294967295");
  }
  return Make(kTwoOctetAs, static_cast<uint32_t>(asn),
              static_cast<uint32_t>(assigned));
}

uint32_t RouteDistinguisher::administrator() const {
  switch (type()) {
    case kTwoOctetAs:
      return static_cast<uint32_t>((raw_ >> 32) & 0xffff);
    case kIpv4:
    case kFourOctetAs:
      return static_cast<uint32_t>(raw_ >> 16);
    default:
      return 0;
  }
}

uint32_t RouteDistinguisher::assigned() const {
  return type() == kTwoOctetAs ? static_cast<uint32_t>(raw_)
                               : static_cast<uint32_t>(raw_ & 0xffff);
}

absl::StatusOr<RouteDistinguisher> RouteDistinguisher::Advance(
    uint64_t n) const {
  const uint64_t max = type() == kTwoOctetAs ? 0xffffffffu : 0xffffu;
  if (type() > kFourOctetAs) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot step route distinguisher ", ToString()));
  }
  if (n > max - assigned()) {
    return absl::OutOfRangeError(absl::StrCat(
        "route distinguisher ", ToString(), " + ", n, " passes ", max));
  }
  return FromRaw(raw_ + n);
}

void RouteDistinguisher::AppendTo(std::string& out) const {
  switch (type()) {
    case kTwoOctetAs:
      absl::StrAppend(&out, administrator(), ":", assigned());
      return;
    case kIpv4:
      absl::StrAppend(&out, FormatIpv4(administrator()), ":", assigned());
      return;
    case kFourOctetAs:
      absl::StrAppend(&out, administrator(),
                      administrator() <= 0xffff ? "L" : "", ":", assigned());
      return;
    default: {
      absl::StrAppend(&out, type(), ":");
      const std::array<uint8_t, 8> b = bytes();
      AppendHex(&out, wire::Bytes(b.data() + 2, 6));
      return;
    }
  }
}

std::string RouteDistinguisher::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

}  // namespace bgpy
