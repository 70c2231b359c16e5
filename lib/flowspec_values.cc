// Copyright 2026 The bgpy Authors.
//
// FlowSpec rules (RFC 8955 §4, RFC 8956 §3): wire encoding, checks and
// operator text. See flowspec.h for the text grammar.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bgpy/attributes.h"
#include "bgpy/flowspec.h"

namespace bgpy {
namespace {

constexpr size_t kMaxValue = 0xfff;  // RFC 8955 §4.1: 0xfnnn
constexpr size_t kRdSize = 8;

// RFC 8955 §4.2.1.1 / §4.2.1.2 operator bits.
constexpr uint8_t kOpEnd = 0x80;
constexpr uint8_t kOpAnd = 0x40;
constexpr uint8_t kOpLt = 0x04;
constexpr uint8_t kOpGt = 0x02;
constexpr uint8_t kOpEq = 0x01;
constexpr uint8_t kOpNot = 0x02;
constexpr uint8_t kOpMatch = 0x01;

struct FlagName {
  uint8_t bit;
  const char* name;
};
// RFC 8955 §4.2.2.9: TCP header flags, in header order (low bit first).
constexpr FlagName kTcpFlagNames[] = {
    {0x01, "fin"}, {0x02, "syn"}, {0x04, "rst"}, {0x08, "psh"},
    {0x10, "ack"}, {0x20, "urg"}, {0x40, "ece"}, {0x80, "cwr"},
};
// RFC 8955 §4.2.2.12: DF, IsF, FF, LF.
constexpr FlagName kFragmentNames[] = {
    {0x01, "dont-fragment"},
    {0x02, "is-fragment"},
    {0x04, "first-fragment"},
    {0x08, "last-fragment"},
};

absl::Span<const FlagName> FlagNames(FlowspecType t) {
  if (t == FlowspecType::kTcpFlags) return kTcpFlagNames;
  if (t == FlowspecType::kFragment) return kFragmentNames;
  return {};
}

bool KnownType(Afi afi, uint8_t type) {
  return type >= 1 && type <= (afi == Afi::kIpv6 ? 13 : 12);
}

std::string ComponentName(uint8_t type) {
  const char* n = FlowspecTypeName(static_cast<FlowspecType>(type));
  return n != nullptr ? absl::StrCat("component ", type, " (", n, ")")
                      : absl::StrCat("component type ", type);
}

absl::Status Bad(uint8_t type, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("FlowSpec ", ComponentName(type), ": ", what));
}

uint8_t LengthCode(uint8_t length) {
  switch (length) {
    case 1:
      return 0;
    case 2:
      return 1;
    case 4:
      return 2;
    default:
      return 3;
  }
}

// The smallest operator length that holds `v`.
uint8_t MinLength(uint64_t v) {
  if (v <= 0xff) return 1;
  if (v <= 0xffff) return 2;
  if (v <= 0xffffffffu) return 4;
  return 8;
}

bool FitsLength(uint64_t v, uint8_t length) {
  return length == 8 || v < (uint64_t{1} << (8 * length));
}

bool IsPrefixType(uint8_t t) { return t == 1 || t == 2; }

int PrefixBits(Afi afi) { return afi == Afi::kIpv6 ? 128 : 32; }

// Address bytes with bits outside [from, to) cleared.
void KeepBits(uint8_t* b, int from, int to) {
  for (int i = 0; i < 16; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      const int pos = i * 8 + bit;
      if (pos < from || pos >= to) b[i] &= static_cast<uint8_t>(~(0x80 >> bit));
    }
  }
}

Prefix MakePrefix(Afi afi, const uint8_t* b, int len) {
  return PrefixInternal::Unchecked(
      afi == Afi::kIpv6 ? IpAddress::V6Bytes(b) : IpAddress::V4Bytes(b), len);
}

// --- Wire -------------------------------------------------------------------

absl::Status DecodePrefix(Afi afi, uint8_t type, wire::Reader& r,
                          FlowspecComponent& c) {
  uint8_t len;
  if (!r.ReadU8(len)) return Bad(type, "prefix length missing");
  if (len > PrefixBits(afi)) {
    return Bad(type, absl::StrFormat("prefix length %d exceeds %d", len,
                                     PrefixBits(afi)));
  }
  uint8_t offset = 0;
  if (afi == Afi::kIpv6) {
    // RFC 8956 §3.1: length, offset, then the (length - offset) bits.
    if (!r.ReadU8(offset)) return Bad(type, "prefix offset missing");
    if (offset > len) {
      return Bad(type, absl::StrFormat("offset %d beyond prefix length %d",
                                       offset, len));
    }
  }
  const int bits = len - offset;
  const size_t n = (bits + 7) / 8;
  uint8_t pattern[16] = {};
  if (!r.CopyBytes(n, pattern)) {
    return Bad(type, absl::StrFormat("prefix /%d needs %d octets, %d left", len,
                                     n, r.remaining()));
  }
  uint8_t addr[16] = {};
  // Place pattern bit i at address bit offset + i.
  for (int i = 0; i < bits; ++i) {
    if (pattern[i / 8] & (0x80 >> (i % 8))) {
      const int pos = offset + i;
      addr[pos / 8] |= static_cast<uint8_t>(0x80 >> (pos % 8));
    }
  }
  c.prefix = MakePrefix(afi, addr, len);
  c.offset = offset;
  return absl::OkStatus();
}

void EncodePrefix(Afi afi, const FlowspecComponent& c, wire::Writer& w) {
  const int len = c.prefix.length();
  w.WriteU8(static_cast<uint8_t>(len));
  const int offset = afi == Afi::kIpv6 ? c.offset : 0;
  if (afi == Afi::kIpv6) w.WriteU8(static_cast<uint8_t>(offset));
  const int bits = len - offset;
  uint8_t pattern[16] = {};
  const uint8_t* addr = c.prefix.address().bytes();
  for (int i = 0; i < bits; ++i) {
    const int pos = offset + i;
    if (addr[pos / 8] & (0x80 >> (pos % 8))) {
      pattern[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    }
  }
  w.WriteBytes(wire::Bytes(pattern, (bits + 7) / 8));
}

size_t PrefixSize(Afi afi, const FlowspecComponent& c) {
  const int offset = afi == Afi::kIpv6 ? c.offset : 0;
  return 1 + (afi == Afi::kIpv6 ? 1 : 0) + (c.prefix.length() - offset + 7) / 8;
}

absl::Status DecodeTerms(uint8_t type, wire::Reader& r, FlowspecComponent& c) {
  const bool bitmask = IsFlowspecBitmask(static_cast<FlowspecType>(type));
  for (int i = 1;; ++i) {
    uint8_t op;
    if (!r.ReadU8(op)) {
      return Bad(type, i == 1 ? "no operator"
                              : absl::StrCat("term ", i - 1,
                                             " lacks the end-of-list bit"));
    }
    FlowspecTerm t;
    t.and_bit = op & kOpAnd;
    t.length = static_cast<uint8_t>(1u << ((op >> 4) & 3));
    if (bitmask) {
      t.not_bit = op & kOpNot;
      t.match = op & kOpMatch;
    } else {
      t.lt = op & kOpLt;
      t.gt = op & kOpGt;
      t.eq = op & kOpEq;
    }
    // Reserved bits (0x08 numeric, 0x0c bitmask) are ignored on receipt.
    uint8_t v[8];
    if (!r.CopyBytes(t.length, v)) {
      return Bad(type, absl::StrFormat("term %d value needs %d octets, %d left",
                                       i, t.length, r.remaining()));
    }
    for (int k = 0; k < t.length; ++k) t.value = t.value << 8 | v[k];
    c.terms.push_back(t);
    if (op & kOpEnd) return absl::OkStatus();
  }
}

// --- Text -------------------------------------------------------------------

void AppendValue(FlowspecType type, bool bitmask, uint64_t value,
                 uint8_t length, std::string& out) {
  if (MinLength(value) != length) {
    absl::StrAppend(&out, "0x", absl::StrFormat("%0*x", 2 * length, value));
    return;
  }
  if (bitmask && value != 0) {
    std::string names;
    uint64_t left = value;
    for (const FlagName& f : FlagNames(type)) {
      if (left & f.bit) {
        absl::StrAppend(&names, names.empty() ? "" : "+", f.name);
        left &= ~uint64_t{f.bit};
      }
    }
    if (left == 0) {
      out += names;
      return;
    }
  }
  absl::StrAppend(&out, value);
}

const char* NumericOp(const FlowspecTerm& t) {
  static constexpr const char* kOps[] = {
      "false", "=", ">", ">=", "<", "<=", "!=", "true"};
  return kOps[(t.lt ? 4 : 0) | (t.gt ? 2 : 0) | (t.eq ? 1 : 0)];
}

void AppendTerms(const FlowspecComponent& c, std::string& out) {
  const bool bitmask = IsFlowspecBitmask(c.type);
  for (size_t i = 0; i < c.terms.size(); ++i) {
    const FlowspecTerm& t = c.terms[i];
    if (i > 0 || t.and_bit) out += t.and_bit ? "&" : "|";
    if (bitmask) {
      if (t.match) out += "match:";
      if (t.not_bit) out += "!";
      AppendValue(c.type, true, t.value, t.length, out);
      continue;
    }
    const char* op = NumericOp(t);
    out += op;
    if (op[0] == 't' || op[0] == 'f') {
      if (t.value == 0 && t.length == 1) continue;
      out += ":";
    }
    AppendValue(c.type, false, t.value, t.length, out);
  }
}

absl::Status TextError(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("bad FlowSpec rule: ", what));
}

// "80", "0x0050" (length from the digits), or flag names "syn+ack".
absl::Status ParseValue(FlowspecType type, bool bitmask, absl::string_view s,
                        FlowspecTerm& t) {
  const char* name = FlowspecTypeName(type);
  if (s.empty()) return TextError(absl::StrCat(name, ": value missing"));
  if (absl::StartsWithIgnoreCase(s, "0x")) {
    const absl::string_view hex = s.substr(2);
    const size_t n = hex.size();
    if (n != 2 && n != 4 && n != 8 && n != 16) {
      return TextError(absl::StrCat(name, ": hex value \"", s,
                                    "\" needs 2, 4, 8 or 16 digits"));
    }
    uint64_t v = 0;
    for (char ch : hex) {
      const int d = absl::ascii_isdigit(static_cast<unsigned char>(ch))
                        ? ch - '0'
                        : (absl::ascii_isxdigit(static_cast<unsigned char>(ch))
                               ? absl::ascii_tolower(ch) - 'a' + 10
                               : -1);
      if (d < 0) return TextError(absl::StrCat(name, ": bad hex \"", s, "\""));
      v = v << 4 | static_cast<uint64_t>(d);
    }
    t.value = v;
    t.length = static_cast<uint8_t>(n / 2);
    return absl::OkStatus();
  }
  if (absl::ascii_isdigit(static_cast<unsigned char>(s[0]))) {
    uint64_t v;
    if (!absl::SimpleAtoi(s, &v)) {
      return TextError(absl::StrCat(name, ": bad number \"", s, "\""));
    }
    t.value = v;
    t.length = MinLength(v);
    return absl::OkStatus();
  }
  if (!bitmask) {
    return TextError(absl::StrCat(name, ": \"", s, "\" is not a number"));
  }
  uint64_t v = 0;
  for (absl::string_view part : absl::StrSplit(s, '+')) {
    bool found = false;
    for (const FlagName& f : FlagNames(type)) {
      if (absl::EqualsIgnoreCase(part, f.name)) {
        v |= f.bit;
        found = true;
      }
    }
    if (!found) {
      std::string names;
      for (const FlagName& f : FlagNames(type)) {
        absl::StrAppend(&names, names.empty() ? "" : " ", f.name);
      }
      return TextError(absl::StrCat(name, ": unknown flag \"", part,
                                    "\" (one of ", names, ", or a number)"));
    }
  }
  t.value = v;
  t.length = 1;
  return absl::OkStatus();
}

absl::Status ParseTerm(FlowspecType type, absl::string_view s,
                       FlowspecTerm& t) {
  const char* name = FlowspecTypeName(type);
  if (IsFlowspecBitmask(type)) {
    for (;;) {
      if (absl::ConsumePrefix(&s, "match:")) {
        t.match = true;
      } else if (absl::ConsumePrefix(&s, "!")) {
        t.not_bit = true;
      } else {
        break;
      }
    }
    return ParseValue(type, true, s, t);
  }
  struct Op {
    const char* text;
    bool lt, gt, eq;
  };
  static constexpr Op kOps[] = {
      {"!=", true, true, false},      {">=", false, true, true},
      {"<=", true, false, true},      {"==", false, false, true},
      {"=", false, false, true},      {">", false, true, false},
      {"<", true, false, false},      {"true", true, true, true},
      {"false", false, false, false},
  };
  for (const Op& op : kOps) {
    if (!absl::ConsumePrefix(&s, op.text)) continue;
    t.lt = op.lt;
    t.gt = op.gt;
    t.eq = op.eq;
    if (op.text[0] == 't' || op.text[0] == 'f') {
      if (s.empty()) {
        t.value = 0;
        t.length = 1;
        return absl::OkStatus();
      }
      if (!absl::ConsumePrefix(&s, ":")) break;
    }
    return ParseValue(type, false, s, t);
  }
  return TextError(
      absl::StrCat(name, ": term \"", s,
                   "\" needs an operator (=, >, >=, <, <=, !=, true, false)"));
}

absl::Status ParseTerms(FlowspecType type, absl::string_view s,
                        std::vector<FlowspecTerm>& out) {
  size_t i = 0;
  bool first = true;
  while (i <= s.size()) {
    FlowspecTerm t;
    if (i < s.size() && (s[i] == '&' || s[i] == '|' || s[i] == ',')) {
      t.and_bit = s[i] == '&';
      ++i;
    } else if (!first) {
      break;
    }
    size_t j = s.find_first_of("&|,", i);
    if (j == absl::string_view::npos) j = s.size();
    absl::Status st = ParseTerm(type, s.substr(i, j - i), t);
    if (!st.ok()) return st;
    out.push_back(t);
    first = false;
    i = j;
    if (i == s.size()) break;
  }
  return absl::OkStatus();
}

}  // namespace

const char* FlowspecTypeName(FlowspecType t) {
  switch (t) {
    case FlowspecType::kDestination:
      return "destination";
    case FlowspecType::kSource:
      return "source";
    case FlowspecType::kProtocol:
      return "protocol";
    case FlowspecType::kPort:
      return "port";
    case FlowspecType::kDestinationPort:
      return "destination-port";
    case FlowspecType::kSourcePort:
      return "source-port";
    case FlowspecType::kIcmpType:
      return "icmp-type";
    case FlowspecType::kIcmpCode:
      return "icmp-code";
    case FlowspecType::kTcpFlags:
      return "tcp-flags";
    case FlowspecType::kPacketLength:
      return "packet-length";
    case FlowspecType::kDscp:
      return "dscp";
    case FlowspecType::kFragment:
      return "fragment";
    case FlowspecType::kFlowLabel:
      return "flow-label";
  }
  return nullptr;
}

uint8_t FlowspecTerm::OperatorOctet(bool bitmask, bool end) const {
  uint8_t op = static_cast<uint8_t>(
      (end ? kOpEnd : 0) | (and_bit ? kOpAnd : 0) | LengthCode(length) << 4);
  if (bitmask) {
    op |= (not_bit ? kOpNot : 0) | (match ? kOpMatch : 0);
  } else {
    op |= (lt ? kOpLt : 0) | (gt ? kOpGt : 0) | (eq ? kOpEq : 0);
  }
  return op;
}

const FlowspecComponent* FlowspecRule::Find(FlowspecType t) const {
  for (const FlowspecComponent& c : components) {
    if (c.type == t) return &c;
  }
  return nullptr;
}

FlowspecComponent* FlowspecRule::Find(FlowspecType t) {
  for (FlowspecComponent& c : components) {
    if (c.type == t) return &c;
  }
  return nullptr;
}

absl::Status FlowspecRule::Validate() const {
  if (afi != Afi::kIpv4 && afi != Afi::kIpv6) {
    return absl::InvalidArgumentError("FlowSpec rule: AFI is not IPv4 or IPv6");
  }
  int prev = 0;
  for (const FlowspecComponent& c : components) {
    const uint8_t type = static_cast<uint8_t>(c.type);
    if (!KnownType(afi, type)) {
      return Bad(type,
                 afi == Afi::kIpv6 ? "unknown type" : "unknown type for IPv4");
    }
    if (type <= prev) {
      return Bad(type, absl::StrCat("comes after component type ", prev,
                                    " (types must increase, RFC 8955 §4.2)"));
    }
    prev = type;
    if (IsPrefixType(type)) {
      if (c.prefix.afi() != afi) return Bad(type, "prefix of the wrong family");
      if (afi != Afi::kIpv6 && c.offset != 0) {
        return Bad(type, "offset is for IPv6 prefixes only");
      }
      if (c.offset > c.prefix.length()) {
        return Bad(type, absl::StrFormat("offset %d beyond prefix length %d",
                                         c.offset, c.prefix.length()));
      }
      continue;
    }
    if (c.terms.empty()) return Bad(type, "no terms");
    for (size_t i = 0; i < c.terms.size(); ++i) {
      const FlowspecTerm& t = c.terms[i];
      if (t.length != 1 && t.length != 2 && t.length != 4 && t.length != 8) {
        return Bad(type,
                   absl::StrFormat("term %d length %d is not 1, 2, 4 or 8",
                                   i + 1, t.length));
      }
      if (!FitsLength(t.value, t.length)) {
        return Bad(type, absl::StrFormat("term %d value %d does not fit %d "
                                         "octets",
                                         i + 1, t.value, t.length));
      }
    }
  }
  if (ValueSize() > kMaxValue) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "FlowSpec rule of %d octets exceeds 4095 (RFC 8955 §4.1)",
        ValueSize()));
  }
  return absl::OkStatus();
}

absl::StatusOr<FlowspecRule> FlowspecRule::Decode(Afi afi, bool vpn,
                                                  wire::Bytes value) {
  FlowspecRule rule;
  rule.afi = afi;
  wire::Reader r(value);
  if (vpn) {
    if (r.remaining() < kRdSize) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "FlowSpec VPN rule of %d octets has no route distinguisher",
          value.size()));
    }
    rule.rd = RouteDistinguisher::FromBytes(r.rest().data());
    r.Skip(kRdSize);
  }
  int prev = 0;
  while (!r.empty()) {
    uint8_t type;
    r.ReadU8(type);
    if (!KnownType(afi, type)) {
      return Bad(type, afi == Afi::kIpv6
                           ? "unknown type (RFC 8955 §4.2: malformed)"
                           : "unknown type for IPv4 (RFC 8955 §4.2: "
                             "malformed)");
    }
    if (type <= prev) {
      return Bad(type, absl::StrCat("comes after component type ", prev,
                                    " (types must strictly increase, RFC 8955 "
                                    "§4.2: malformed)"));
    }
    prev = type;
    FlowspecComponent c;
    c.type = static_cast<FlowspecType>(type);
    absl::Status st = IsPrefixType(type) ? DecodePrefix(afi, type, r, c)
                                         : DecodeTerms(type, r, c);
    if (!st.ok()) return st;
    rule.components.push_back(std::move(c));
  }
  return rule;
}

size_t FlowspecRule::ValueSize() const {
  size_t n = rd ? kRdSize : 0;
  for (const FlowspecComponent& c : components) {
    n += 1;
    if (IsPrefixType(static_cast<uint8_t>(c.type))) {
      n += PrefixSize(afi, c);
    } else {
      for (const FlowspecTerm& t : c.terms) n += 1 + t.length;
    }
  }
  return n;
}

size_t FlowspecRule::EncodedSize() const {
  const size_t n = ValueSize();
  return (n < 240 ? 1 : 2) + n;
}

bool FlowspecRule::Encode(wire::Writer& w) const {
  if (!Validate().ok()) return false;
  const size_t n = ValueSize();
  if (n < 240) {
    w.WriteU8(static_cast<uint8_t>(n));
  } else {
    w.WriteU16(static_cast<uint16_t>(0xf000 | n));
  }
  if (rd) w.WriteU64(rd->raw());
  for (const FlowspecComponent& c : components) {
    w.WriteU8(static_cast<uint8_t>(c.type));
    if (IsPrefixType(static_cast<uint8_t>(c.type))) {
      EncodePrefix(afi, c, w);
      continue;
    }
    const bool bitmask = IsFlowspecBitmask(c.type);
    for (size_t i = 0; i < c.terms.size(); ++i) {
      const FlowspecTerm& t = c.terms[i];
      w.WriteU8(t.OperatorOctet(bitmask, i + 1 == c.terms.size()));
      for (int k = t.length - 1; k >= 0; --k) {
        w.WriteU8(static_cast<uint8_t>(t.value >> (8 * k)));
      }
    }
  }
  return w.ok();
}

void FlowspecRule::AppendTo(std::string& out) const {
  const size_t start = out.size();
  auto sep = [&] {
    if (out.size() != start) out += ' ';
  };
  if (rd) {
    out += "rd ";
    rd->AppendTo(out);
  }
  if (components.empty()) {
    sep();
    out += "any";
    return;
  }
  for (const FlowspecComponent& c : components) {
    sep();
    const char* name = FlowspecTypeName(c.type);
    if (name == nullptr) {
      absl::StrAppend(&out, "type-", static_cast<int>(c.type));
      continue;
    }
    out += name;
    out += ' ';
    if (IsPrefixType(static_cast<uint8_t>(c.type))) {
      out += c.prefix.ToString();
      if (c.offset != 0) absl::StrAppend(&out, " offset ", c.offset);
    } else {
      AppendTerms(c, out);
    }
  }
}

std::string FlowspecRule::ToString() const {
  std::string out;
  AppendTo(out);
  return out;
}

absl::StatusOr<FlowspecRule> FlowspecRule::Parse(Afi afi, bool vpn,
                                                 absl::string_view text) {
  std::vector<absl::string_view> tok =
      absl::StrSplit(text, absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
  FlowspecRule rule;
  rule.afi = afi;
  size_t i = 0;
  if (i < tok.size() && tok[i] == "rd") {
    if (!vpn) {
      return TextError(
          "\"rd\" is for the VPN families (l3vpn-ipv4/ipv6-flowspec)");
    }
    if (i + 1 >= tok.size()) return TextError("\"rd\" needs a value");
    absl::StatusOr<RouteDistinguisher> rd = RouteDistinguisher::Parse(tok[1]);
    if (!rd.ok()) return TextError(rd.status().message());
    rule.rd = *rd;
    i = 2;
  } else if (vpn) {
    return TextError("a VPN rule starts with \"rd RD\" (\"rd 65000:1 ...\")");
  }
  bool any = false;
  for (; i < tok.size(); ++i) {
    const absl::string_view word = tok[i];
    if (word == "action" || word == "then") break;
    if (any) return TextError(absl::StrCat("\"", word, "\" after \"any\""));
    if (word == "any") {
      if (!rule.components.empty()) {
        return TextError("\"any\" with other components");
      }
      any = true;
      continue;
    }
    int type = 0;
    for (int t = 1; t <= 13; ++t) {
      if (word == FlowspecTypeName(static_cast<FlowspecType>(t))) type = t;
    }
    if (word == "next-header") type = 3;
    if (word == "flow-label" && afi != Afi::kIpv6) {
      return TextError("flow-label is for IPv6 rules only");
    }
    if (type == 0) {
      return TextError(absl::StrCat(
          "unknown component \"", word,
          "\" (destination source protocol port destination-port source-port "
          "icmp-type icmp-code tcp-flags packet-length dscp fragment",
          afi == Afi::kIpv6 ? " flow-label" : "", ")"));
    }
    if (rule.Find(static_cast<FlowspecType>(type)) != nullptr) {
      return TextError(absl::StrCat(word, " given twice"));
    }
    if (i + 1 >= tok.size()) {
      return TextError(absl::StrCat(word, " needs a value"));
    }
    FlowspecComponent c;
    c.type = static_cast<FlowspecType>(type);
    const absl::string_view arg = tok[++i];
    if (IsPrefixType(static_cast<uint8_t>(type))) {
      absl::StatusOr<Prefix> p = Prefix::Parse(arg);
      if (!p.ok()) {
        return TextError(absl::StrCat(word, ": ", p.status().message()));
      }
      if (p->afi() != afi) {
        return TextError(absl::StrCat(word, ": ", arg, " is not an ",
                                      afi == Afi::kIpv6 ? "IPv6" : "IPv4",
                                      " prefix"));
      }
      uint64_t offset = 0;
      if (i + 1 < tok.size() && tok[i + 1] == "offset") {
        if (afi != Afi::kIpv6) {
          return TextError(
              absl::StrCat(word, ": offset is for IPv6 prefixes only"));
        }
        if (i + 2 >= tok.size() || !absl::SimpleAtoi(tok[i + 2], &offset) ||
            offset > static_cast<uint64_t>(p->length())) {
          return TextError(absl::StrCat(
              word, ": offset needs a number of bits up to the length ",
              p->length()));
        }
        i += 2;
      }
      // Bits before the offset are not matched (nor sent): clear them.
      uint8_t b[16];
      std::memcpy(b, p->address().bytes(), 16);
      KeepBits(b, static_cast<int>(offset), p->length());
      c.prefix = MakePrefix(afi, b, p->length());
      c.offset = static_cast<uint8_t>(offset);
    } else {
      absl::Status st = ParseTerms(c.type, arg, c.terms);
      if (!st.ok()) return st;
    }
    rule.components.push_back(std::move(c));
  }
  std::stable_sort(rule.components.begin(), rule.components.end(),
                   [](const FlowspecComponent& a, const FlowspecComponent& b) {
                     return a.type < b.type;
                   });
  if (rule.components.empty() && !any) {
    return TextError(
        "no components (\"destination 10.0.0.0/24 ...\", or \"any\")");
  }
  absl::Status st = rule.Validate();
  if (!st.ok()) return st;
  return rule;
}

bool SplitFlowspecEntry(wire::Reader& r, bool vpn, wire::Bytes& entry,
                        std::string* why) {
  const wire::Bytes rest = r.rest();
  if (rest.empty()) {
    if (why) *why = "empty FlowSpec entry";
    return false;
  }
  size_t hdr = 1;
  size_t len = rest[0];
  if ((rest[0] & 0xf0) == 0xf0) {
    // RFC 8955 §4.1: the extended 2-octet length 0xfnnn.
    if (rest.size() < 2) {
      if (why) *why = "FlowSpec 2-octet length field truncated";
      return false;
    }
    hdr = 2;
    len = (size_t{rest[0]} & 0x0f) << 8 | rest[1];
  }
  if (rest.size() - hdr < len) {
    if (why) {
      *why = absl::StrFormat("FlowSpec NLRI length %d, %d octets left", len,
                             rest.size() - hdr);
    }
    return false;
  }
  if (vpn && len < kRdSize) {
    if (why) {
      *why = absl::StrFormat(
          "FlowSpec VPN NLRI length %d has no room for the RD", len);
    }
    return false;
  }
  r.ReadBytes(hdr + len, entry);
  return true;
}

wire::Bytes FlowspecEntryValue(wire::Bytes entry) {
  if (entry.empty()) return entry;
  const size_t hdr = (entry[0] & 0xf0) == 0xf0 ? 2 : 1;
  return entry.subspan(std::min(hdr, entry.size()));
}

}  // namespace bgpy
