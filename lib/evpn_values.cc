// Copyright 2026 The bgpy Authors.
//
// MAC addresses, ESIs (RFC 7432 §5), label fields and EVPN routes
// (RFC 7432 §7, RFC 9136 §3): wire form and operator text.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bgpy/evpn.h"
#include "bgpy/hex.h"

namespace bgpy {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Exactly `n` octets of two hex digits each, separated by ':' (or '-').
bool ParseOctets(absl::string_view text, uint8_t* out, size_t n) {
  if (text.size() != 3 * n - 1) return false;
  const char sep = n > 1 ? text[2] : ':';
  if (sep != ':' && sep != '-') return false;
  for (size_t i = 0; i < n; ++i) {
    const int hi = HexDigit(text[3 * i]);
    const int lo = HexDigit(text[3 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    if (i + 1 < n && text[3 * i + 2] != sep) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

void AppendOctets(const uint8_t* p, size_t n, std::string& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ':';
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
}

}  // namespace

absl::StatusOr<MacAddress> MacAddress::Parse(absl::string_view text) {
  MacAddress m;
  if (!ParseOctets(text, m.bytes.data(), m.bytes.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad MAC address \"", text, "\" (want aa:bb:cc:dd:ee:ff)"));
  }
  return m;
}

void MacAddress::AppendTo(std::string& out) const {
  AppendOctets(bytes.data(), bytes.size(), out);
}

std::string MacAddress::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

absl::StatusOr<MacAddress> MacAddress::Advance(uint64_t n) const {
  uint64_t v = 0;
  for (uint8_t b : bytes) v = v << 8 | b;
  constexpr uint64_t kMax = (uint64_t{1} << 48) - 1;
  if (n > kMax - v) {
    return absl::OutOfRangeError(
        absl::StrCat("MAC address ", ToString(), " + ", n, " passes the end"));
  }
  v += n;
  MacAddress m;
  for (int i = 5; i >= 0; --i) {
    m.bytes[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
  return m;
}

bool Esi::is_zero() const {
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

namespace {

// Decimal, at most `max`.
bool ParseNumber(absl::string_view text, uint64_t max, uint64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(text, &out) && out <= max;
}

void StoreBe(uint8_t* p, int n, uint64_t v) {
  for (int i = n - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

// The typed forms of RFC 7432 §5: "KIND:FIRST:NUMBER".
bool ParseTypedEsi(absl::string_view text, Esi& e) {
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos) return false;
  const absl::string_view kind = text.substr(0, colon);
  const absl::string_view rest = text.substr(colon + 1);
  const size_t last = rest.rfind(':');
  if (last == absl::string_view::npos) return false;
  const absl::string_view first = rest.substr(0, last);
  const absl::string_view number = rest.substr(last + 1);
  uint64_t n;
  e = Esi();
  if (kind == "lacp" || kind == "bridge" || kind == "mac") {
    const bool mac_based = kind == "mac";
    if (!ParseOctets(first, &e.bytes[1], 6) ||
        !ParseNumber(number, mac_based ? 0xffffff : 0xffff, n)) {
      return false;
    }
    e.bytes[0] = kind == "lacp"     ? Esi::kLacp
                 : kind == "bridge" ? Esi::kBridge
                                    : Esi::kMacBased;
    StoreBe(&e.bytes[7], mac_based ? 3 : 2, n);
    return true;
  }
  if (kind == "router-id") {
    absl::StatusOr<uint32_t> id = ParseIpv4(first);
    if (!id.ok() || !ParseNumber(number, 0xffffffff, n)) return false;
    e.bytes[0] = Esi::kRouterId;
    StoreBe(&e.bytes[1], 4, *id);
    StoreBe(&e.bytes[5], 4, n);
    return true;
  }
  if (kind == "as") {
    uint64_t asn;
    if (!ParseNumber(first, 0xffffffff, asn) ||
        !ParseNumber(number, 0xffffffff, n)) {
      return false;
    }
    e.bytes[0] = Esi::kAsBased;
    StoreBe(&e.bytes[1], 4, asn);
    StoreBe(&e.bytes[5], 4, n);
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Esi> Esi::Parse(absl::string_view text) {
  Esi e;
  if (text == "0") return e;
  if (!ParseOctets(text, e.bytes.data(), e.bytes.size()) &&
      !ParseTypedEsi(text, e)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad ESI \"", text,
        "\" (want 0, ten hex octets 00:11:22:33:44:55:66:77:88:99, "
        "lacp:MAC:KEY, bridge:MAC:PRIORITY, mac:MAC:N, router-id:A.B.C.D:N "
        "or as:ASN:N)"));
  }
  return e;
}

void Esi::AppendTo(std::string& out) const {
  if (is_zero()) {
    out += '0';
    return;
  }
  AppendOctets(bytes.data(), bytes.size(), out);
}

std::string Esi::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

// --- Labels and routes --------------------------------------------------

void EvpnLabel::AppendTo(std::string& out) const {
  if (vni) {
    absl::StrAppend(&out, "vni ", raw);
  } else {
    absl::StrAppend(&out, "label ", label());
  }
}

namespace {

constexpr size_t kRdSize = 8;
constexpr size_t kEsiSize = 10;
constexpr size_t kLabelSize = 3;

absl::Status Bad(uint8_t type, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("EVPN route type ", type, ": ", what));
}

// An IP length octet in bits and the address after it (types 2, 3, 4).
bool ReadIp(wire::Reader& r, size_t bytes, IpAddress& out) {
  uint8_t b[16];
  if (!r.CopyBytes(bytes, b)) return false;
  out = bytes == 4 ? IpAddress::V4Bytes(b) : IpAddress::V6Bytes(b);
  return true;
}

void ReadLabel(wire::Reader& r, std::vector<EvpnLabel>& labels) {
  uint32_t v = 0;
  r.ReadU24(v);
  labels.push_back(EvpnLabel::FromRaw(v));
}

size_t IpSize(const IpAddress& a) { return a.is_v4() ? 4 : 16; }

void WriteIp(const IpAddress& a, wire::Writer& w) {
  w.WriteBytes(wire::Bytes(a.bytes(), IpSize(a)));
}

// Octets of the value (after type and length); 0 for a route that cannot
// be encoded (no known route type has an empty value).
size_t ValueSize(const EvpnRoute& r) {
  switch (r.type) {
    case EvpnRoute::kEthernetAutoDiscovery:
      return kRdSize + kEsiSize + 4 + kLabelSize;
    case EvpnRoute::kMacIpAdvertisement:
      if (r.labels.empty() || r.labels.size() > 2) return 0;
      return kRdSize + kEsiSize + 4 + 1 + 6 + 1 + (r.ip ? IpSize(*r.ip) : 0) +
             kLabelSize * r.labels.size();
    case EvpnRoute::kInclusiveMulticast:
      return r.ip ? kRdSize + 4 + 1 + IpSize(*r.ip) : 0;
    case EvpnRoute::kEthernetSegment:
      return r.ip ? kRdSize + kEsiSize + 1 + IpSize(*r.ip) : 0;
    case EvpnRoute::kIpPrefix:
      if (!r.ip || r.ip->is_v4() != r.gateway.is_v4()) return 0;
      return r.ip->is_v4() ? 34 : 58;
    default:
      return r.raw.size();
  }
}

bool Encodable(const EvpnRoute& r) {
  const size_t n = ValueSize(r);
  if (n > 255) return false;
  switch (r.type) {
    case EvpnRoute::kEthernetAutoDiscovery:
    case EvpnRoute::kIpPrefix:
      return n != 0 && r.labels.size() == 1;
    case EvpnRoute::kMacIpAdvertisement:
    case EvpnRoute::kInclusiveMulticast:
    case EvpnRoute::kEthernetSegment:
      return n != 0;
    default:
      return true;
  }
}

// An RD as RouteDistinguisher::ToString writes it, including "TYPE:HEX12"
// for types other than 0-2 (which RouteDistinguisher::Parse does not take;
// twelve characters after the colon are never a type 0-2 RD).
absl::StatusOr<RouteDistinguisher> ParseRd(absl::string_view text) {
  const size_t colon = text.find(':');
  uint64_t type;
  uint8_t b[8];
  if (colon != absl::string_view::npos && text.size() - colon - 1 == 12 &&
      ParseNumber(text.substr(0, colon), 0xffff, type) && type > 2) {
    bool hex = true;
    for (int i = 0; i < 6 && hex; ++i) {
      const int hi = HexDigit(text[colon + 1 + 2 * i]);
      const int lo = HexDigit(text[colon + 2 + 2 * i]);
      hex = hi >= 0 && lo >= 0;
      b[2 + i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    if (hex) {
      StoreBe(b, 2, type);
      return RouteDistinguisher::FromBytes(b);
    }
  }
  return RouteDistinguisher::Parse(text);
}

}  // namespace

absl::Status EvpnRoute::Decode(wire::Bytes entry, EvpnRoute& out) {
  out = EvpnRoute();
  if (entry.size() < 2) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "EVPN route of %d octets has no route type and length", entry.size()));
  }
  const uint8_t type = entry[0];
  const size_t len = entry[1];
  if (entry.size() != 2 + len) {
    return Bad(type, absl::StrFormat("length %d but %d octets follow", len,
                                     entry.size() - 2));
  }
  out.type = type;
  wire::Reader r(entry.subspan(2));
  auto read_rd = [&] {
    uint64_t rd = 0;
    r.ReadU64(rd);
    out.rd = RouteDistinguisher::FromRaw(rd);
  };
  auto read_esi = [&] { r.CopyBytes(kEsiSize, out.esi.bytes.data()); };
  auto read_tag = [&] { r.ReadU32(out.ethernet_tag); };
  auto want = [&](size_t n) -> absl::Status {
    if (len == n) return absl::OkStatus();
    return Bad(type, absl::StrFormat("length %d (expected %d)", len, n));
  };
  switch (type) {
    case kEthernetAutoDiscovery: {
      if (absl::Status st = want(kRdSize + kEsiSize + 4 + kLabelSize);
          !st.ok()) {
        return st;
      }
      read_rd();
      read_esi();
      read_tag();
      ReadLabel(r, out.labels);
      return absl::OkStatus();
    }
    case kMacIpAdvertisement: {
      constexpr size_t kMin = kRdSize + kEsiSize + 4 + 1 + 6 + 1;
      if (len < kMin + kLabelSize) {
        return Bad(type, absl::StrFormat("length %d (at least %d)", len,
                                         kMin + kLabelSize));
      }
      read_rd();
      read_esi();
      read_tag();
      uint8_t mac_len = 0;
      r.ReadU8(mac_len);
      if (mac_len != 48) {
        return Bad(type, absl::StrFormat("MAC address length %d (expected 48)",
                                         mac_len));
      }
      r.CopyBytes(6, out.mac.bytes.data());
      uint8_t ip_len = 0;
      r.ReadU8(ip_len);
      if (ip_len != 0 && ip_len != 32 && ip_len != 128) {
        return Bad(type,
                   absl::StrFormat("IP address length %d (expected 0, 32 or "
                                   "128)",
                                   ip_len));
      }
      const size_t ip_bytes = ip_len / 8u;
      const size_t labels = len - kMin;
      if (labels != ip_bytes + kLabelSize &&
          labels != ip_bytes + 2 * kLabelSize) {
        return Bad(
            type, absl::StrFormat("length %d does not fit IP address length %d "
                                  "and one or two MPLS label fields (%d or %d)",
                                  len, ip_len, kMin + ip_bytes + kLabelSize,
                                  kMin + ip_bytes + 2 * kLabelSize));
      }
      if (ip_bytes != 0) {
        IpAddress a;
        ReadIp(r, ip_bytes, a);
        out.ip = a;
      }
      while (!r.empty()) ReadLabel(r, out.labels);
      return absl::OkStatus();
    }
    case kInclusiveMulticast:
    case kEthernetSegment: {
      const size_t fixed = type == kInclusiveMulticast ? kRdSize + 4 + 1
                                                       : kRdSize + kEsiSize + 1;
      if (len < fixed) {
        return Bad(type, absl::StrFormat("length %d (expected %d or %d)", len,
                                         fixed + 4, fixed + 16));
      }
      read_rd();
      if (type == kInclusiveMulticast) {
        read_tag();
      } else {
        read_esi();
      }
      uint8_t ip_len = 0;
      r.ReadU8(ip_len);
      if (ip_len != 32 && ip_len != 128) {
        return Bad(type, absl::StrFormat("originating router's IP address "
                                         "length %d (expected 32 or 128)",
                                         ip_len));
      }
      if (len != fixed + ip_len / 8u) {
        return Bad(type, absl::StrFormat("length %d does not fit originating "
                                         "router's IP address length %d "
                                         "(expected %d)",
                                         len, ip_len, fixed + ip_len / 8u));
      }
      IpAddress a;
      ReadIp(r, ip_len / 8u, a);
      out.ip = a;
      return absl::OkStatus();
    }
    case kIpPrefix: {
      if (len != 34 && len != 58) {
        return Bad(type,
                   absl::StrFormat(
                       "length %d (expected 34 for IPv4, 58 for IPv6)", len));
      }
      const size_t ip_bytes = len == 34 ? 4 : 16;
      read_rd();
      read_esi();
      read_tag();
      r.ReadU8(out.prefix_length);
      if (out.prefix_length > ip_bytes * 8) {
        return Bad(type, absl::StrFormat("IP prefix length %d exceeds %d",
                                         out.prefix_length, ip_bytes * 8));
      }
      IpAddress a;
      ReadIp(r, ip_bytes, a);
      out.ip = a;
      ReadIp(r, ip_bytes, out.gateway);
      ReadLabel(r, out.labels);
      return absl::OkStatus();
    }
    default:
      out.raw.assign(entry.begin() + 2, entry.end());
      return absl::OkStatus();
  }
}

size_t EvpnRoute::EncodedSize() const {
  return Encodable(*this) ? 2 + ValueSize(*this) : 0;
}

bool EvpnRoute::Encode(wire::Writer& w) const {
  if (!Encodable(*this)) return false;
  w.WriteU8(type);
  w.WriteU8(static_cast<uint8_t>(ValueSize(*this)));
  auto labels_out = [&] {
    for (const EvpnLabel& l : labels) w.WriteU24(l.raw & 0xffffff);
  };
  switch (type) {
    case kEthernetAutoDiscovery:
      w.WriteU64(rd.raw());
      w.WriteBytes(esi.bytes);
      w.WriteU32(ethernet_tag);
      labels_out();
      break;
    case kMacIpAdvertisement:
      w.WriteU64(rd.raw());
      w.WriteBytes(esi.bytes);
      w.WriteU32(ethernet_tag);
      w.WriteU8(48);
      w.WriteBytes(mac.bytes);
      w.WriteU8(static_cast<uint8_t>(ip ? IpSize(*ip) * 8 : 0));
      if (ip) WriteIp(*ip, w);
      labels_out();
      break;
    case kInclusiveMulticast:
      w.WriteU64(rd.raw());
      w.WriteU32(ethernet_tag);
      w.WriteU8(static_cast<uint8_t>(IpSize(*ip) * 8));
      WriteIp(*ip, w);
      break;
    case kEthernetSegment:
      w.WriteU64(rd.raw());
      w.WriteBytes(esi.bytes);
      w.WriteU8(static_cast<uint8_t>(IpSize(*ip) * 8));
      WriteIp(*ip, w);
      break;
    case kIpPrefix:
      w.WriteU64(rd.raw());
      w.WriteBytes(esi.bytes);
      w.WriteU32(ethernet_tag);
      w.WriteU8(prefix_length);
      WriteIp(*ip, w);
      WriteIp(gateway, w);
      labels_out();
      break;
    default:
      w.WriteBytes(wire::Bytes(raw.data(), raw.size()));
      break;
  }
  return w.ok();
}

void EvpnRoute::AppendTo(std::string& out) const {
  auto field = [&](auto&& write) {
    out += '[';
    write();
    out += ']';
  };
  auto ip_text = [&](const IpAddress& a) { out += a.ToString(); };
  absl::StrAppend(&out, "[", type, "]");
  switch (type) {
    case kEthernetAutoDiscovery:
    case kMacIpAdvertisement:
    case kInclusiveMulticast:
    case kEthernetSegment:
    case kIpPrefix:
      break;
    default:
      field([&] { AppendHex(&out, wire::Bytes(raw.data(), raw.size())); });
      return;
  }
  field([&] { rd.AppendTo(out); });
  if (type != kInclusiveMulticast) field([&] { esi.AppendTo(out); });
  if (type != kEthernetSegment) {
    field([&] { absl::StrAppend(&out, ethernet_tag); });
  }
  switch (type) {
    case kMacIpAdvertisement:
      field([&] { mac.AppendTo(out); });
      field([&] {
        if (ip) ip_text(*ip);
      });
      break;
    case kInclusiveMulticast:
    case kEthernetSegment:
      field([&] {
        if (ip) ip_text(*ip);
      });
      break;
    case kIpPrefix:
      field([&] {
        if (ip) ip_text(*ip);
        absl::StrAppend(&out, "/", prefix_length);
      });
      field([&] { ip_text(gateway); });
      break;
    default:
      break;
  }
  for (const EvpnLabel& l : labels) {
    out += ' ';
    l.AppendTo(out);
  }
}

std::string EvpnRoute::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

absl::StatusOr<EvpnRoute> EvpnRoute::Parse(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad EVPN route \"", text, "\": ", why));
  };
  // The bracketed fields, then the words after them.
  std::vector<absl::string_view> fields;
  absl::string_view rest = text;
  while (!rest.empty() && rest[0] == '[') {
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) return bad("unclosed '['");
    fields.push_back(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
  }
  if (fields.empty()) {
    return bad("want [TYPE][RD]... (e.g. [2][65000:1][0][0][MAC][IP] label N)");
  }
  EvpnRoute r;
  uint64_t n;
  if (!ParseNumber(fields[0], 255, n)) return bad("route type not 0-255");
  r.type = static_cast<uint8_t>(n);
  size_t want_fields = 0;
  size_t min_labels = 0, max_labels = 0;
  switch (r.type) {
    case kEthernetAutoDiscovery:
      want_fields = 4, min_labels = max_labels = 1;
      break;
    case kMacIpAdvertisement:
      want_fields = 6, min_labels = 1, max_labels = 2;
      break;
    case kInclusiveMulticast:
    case kEthernetSegment:
      want_fields = 4;
      break;
    case kIpPrefix:
      want_fields = 6, min_labels = max_labels = 1;
      break;
    default:
      want_fields = 2;
      break;
  }
  if (fields.size() != want_fields) {
    return bad(absl::StrFormat("route type %d has %d bracketed fields, not %d",
                               r.type, want_fields, fields.size()));
  }
  if (want_fields == 2 && !rest.empty()) {
    return bad("a route of an unknown type has no labels");
  }
  // Labels: "label N" / "vni N", space-separated.
  if (!rest.empty() && rest[0] != ' ') return bad("want a space after ']'");
  std::vector<absl::string_view> words =
      absl::StrSplit(rest, ' ', absl::SkipEmpty());
  if (words.size() % 2 != 0) return bad("want \"label N\" or \"vni N\"");
  for (size_t i = 0; i < words.size(); i += 2) {
    if (words[i] == "label") {
      if (!ParseNumber(words[i + 1], 0xfffff, n)) {
        return bad("label not 0-1048575");
      }
      r.labels.push_back(EvpnLabel::Mpls(static_cast<uint32_t>(n)));
    } else if (words[i] == "vni") {
      if (!ParseNumber(words[i + 1], 0xffffff, n)) {
        return bad("vni not 0-16777215");
      }
      r.labels.push_back(EvpnLabel::Vni(static_cast<uint32_t>(n)));
    } else {
      return bad(absl::StrCat("unexpected \"", words[i], "\""));
    }
  }
  if (r.labels.size() < min_labels || r.labels.size() > max_labels) {
    return bad(absl::StrFormat("route type %d takes %d to %d labels", r.type,
                               min_labels, max_labels));
  }
  if (want_fields == 2) {
    absl::StatusOr<std::vector<uint8_t>> hex = ParseHex(fields[1]);
    if (!hex.ok()) return bad(hex.status().message());
    if (hex->size() > 255) return bad("value longer than 255 octets");
    r.raw = *std::move(hex);
    return r;
  }
  size_t f = 1;
  absl::StatusOr<RouteDistinguisher> rd = ParseRd(fields[f++]);
  if (!rd.ok()) return bad(rd.status().message());
  r.rd = *rd;
  if (r.type != kInclusiveMulticast) {
    absl::StatusOr<Esi> esi = Esi::Parse(fields[f++]);
    if (!esi.ok()) return bad(esi.status().message());
    r.esi = *esi;
  }
  if (r.type != kEthernetSegment) {
    if (!ParseNumber(fields[f++], 0xffffffff, n)) {
      return bad("Ethernet tag not 0-4294967295");
    }
    r.ethernet_tag = static_cast<uint32_t>(n);
  }
  auto parse_ip = [&](absl::string_view t,
                      absl::string_view what) -> absl::Status {
    absl::StatusOr<IpAddress> a = IpAddress::Parse(t);
    if (!a.ok()) return bad(absl::StrCat(what, ": ", a.status().message()));
    r.ip = *a;
    return absl::OkStatus();
  };
  switch (r.type) {
    case kMacIpAdvertisement: {
      absl::StatusOr<MacAddress> mac = MacAddress::Parse(fields[f++]);
      if (!mac.ok()) return bad(mac.status().message());
      r.mac = *mac;
      if (!fields[f].empty()) {
        if (absl::Status st = parse_ip(fields[f], "IP address"); !st.ok()) {
          return st;
        }
      }
      break;
    }
    case kInclusiveMulticast:
    case kEthernetSegment:
      if (absl::Status st =
              parse_ip(fields[f], "originating router's IP address");
          !st.ok()) {
        return st;
      }
      break;
    case kIpPrefix: {
      const absl::string_view p = fields[f++];
      const size_t slash = p.rfind('/');
      if (slash == absl::string_view::npos) return bad("IP prefix wants /LEN");
      if (absl::Status st = parse_ip(p.substr(0, slash), "IP prefix");
          !st.ok()) {
        return st;
      }
      if (!ParseNumber(p.substr(slash + 1), r.ip->is_v4() ? 32 : 128, n)) {
        return bad("IP prefix length out of range");
      }
      r.prefix_length = static_cast<uint8_t>(n);
      absl::StatusOr<IpAddress> gw = IpAddress::Parse(fields[f]);
      if (!gw.ok()) {
        return bad(absl::StrCat("gateway IP address: ", gw.status().message()));
      }
      if (gw->is_v4() != r.ip->is_v4()) {
        return bad("gateway IP address of another family than the prefix");
      }
      r.gateway = *gw;
      break;
    }
    default:
      break;
  }
  return r;
}

}  // namespace bgpy
