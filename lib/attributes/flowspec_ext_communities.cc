// Copyright 2026 The bgpy Authors.
//
// The FlowSpec traffic filtering actions (RFC 8955 §7; redirect forms of
// RFC 7674, now in RFC 8955 §7.4), extended communities of the
// generic transitive experimental types 0x80, 0x81, 0x82:
//   0x80 0x06 traffic-rate-bytes   "rate-limit:1000", "discard" (rate 0)
//   0x80 0x0c traffic-rate-packets "rate-limit-packets:100"
//   0x80 0x07 traffic-action       "action:sample", "action:terminal",
//                                  "action:sample,terminal", "action:none"
//   0x80 0x08 redirect AS-2        "redirect:65000:100"
//   0x81 0x08 redirect IPv4        "redirect:192.0.2.1:100"
//   0x82 0x08 redirect AS-4        "redirect:4200000000:100" ("65000L")
//   0x80 0x09 traffic-marking      "mark:46"
// A rate's 2-octet AS field, when not 0, is written first:
// "rate-limit:65000:1000". Rates are IEEE float32, written in the shortest
// form that reads back to the same float.
// Also ParseFlowspecActions (flowspec.h): the "action ..." part of a rule.
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "attributes/ext_community_kinds.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"
#include "bgpy/flowspec.h"

namespace bgpy {
namespace {

constexpr uint8_t kTypeExp = 0x80;         // RFC 8955 §7
constexpr uint8_t kTypeExpIpv4 = 0x81;     // RFC 8955 §7 (RFC 7674)
constexpr uint8_t kTypeExpAs4 = 0x82;      // RFC 8955 §7 (RFC 7674)
constexpr uint8_t kSubRateBytes = 0x06;    // traffic-rate-bytes
constexpr uint8_t kSubAction = 0x07;       // traffic-action
constexpr uint8_t kSubRedirect = 0x08;     // rt-redirect
constexpr uint8_t kSubMarking = 0x09;      // traffic-marking
constexpr uint8_t kSubRatePackets = 0x0c;  // traffic-rate-packets
constexpr uint8_t kActionTerminal = 0x01;  // T, bit 47
constexpr uint8_t kActionSample = 0x02;    // S, bit 46

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

float BitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

ExtendedCommunity Rate(uint8_t subtype, float rate, uint16_t asn) {
  ExtendedCommunity c;
  c.bytes[0] = kTypeExp;
  c.bytes[1] = subtype;
  internal::StoreBe(&c.bytes[2], 2, asn);
  internal::StoreBe(&c.bytes[4], 4, FloatBits(rate));
  return c;
}

float RateOf(const ExtendedCommunity& c) {
  return BitsFloat(static_cast<uint32_t>(internal::LoadBe(&c.bytes[4], 4)));
}

bool IsRate(const ExtendedCommunity& c, uint8_t subtype) {
  return c.type() == kTypeExp && c.subtype() == subtype &&
         !std::isnan(RateOf(c));
}

void AppendFloat(float f, std::string& out) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, f);
  out.append(buf, res.ptr);
}

bool ParseFloat(absl::string_view s, float& out) {
  if (s.empty()) return false;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size() &&
         !std::isnan(out);
}

absl::Status BadText(absl::string_view text, absl::string_view form) {
  return absl::InvalidArgumentError(absl::StrCat(
      "bad FlowSpec extended community \"", text, "\" (want ", form, ")"));
}

void RateText(const ExtendedCommunity& c, std::string& out) {
  const uint64_t asn = internal::LoadBe(&c.bytes[2], 2);
  const uint32_t bits = static_cast<uint32_t>(internal::LoadBe(&c.bytes[4], 4));
  if (c.subtype() == kSubRateBytes && asn == 0 && bits == 0) {
    out += "discard";
    return;
  }
  out += c.subtype() == kSubRateBytes ? "rate-limit:" : "rate-limit-packets:";
  if (asn != 0) absl::StrAppend(&out, asn, ":");
  AppendFloat(RateOf(c), out);
}

absl::StatusOr<ExtendedCommunity> RateParse(uint8_t subtype,
                                            absl::string_view text) {
  const char* form = subtype == kSubRateBytes
                         ? "discard, rate-limit:BYTES_PER_S or "
                           "rate-limit:ASN:BYTES_PER_S"
                         : "rate-limit-packets:PPS or "
                           "rate-limit-packets:ASN:PPS";
  if (subtype == kSubRateBytes && absl::EqualsIgnoreCase(text, "discard")) {
    return Rate(subtype, 0.0f, 0);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  uint64_t asn = 0;
  float rate;
  if (parts.size() == 3) {
    if (!internal::ParseUint(parts[1], 0xffff, asn)) {
      return BadText(text, form);
    }
  } else if (parts.size() != 2) {
    return BadText(text, form);
  }
  if (!ParseFloat(parts.back(), rate)) return BadText(text, form);
  return Rate(subtype, rate, static_cast<uint16_t>(asn));
}

bool IsAction(const ExtendedCommunity& c) {
  if (c.type() != kTypeExp || c.subtype() != kSubAction) return false;
  for (int i = 2; i < 7; ++i) {
    if (c.bytes[i] != 0) return false;
  }
  return (c.bytes[7] & ~(kActionSample | kActionTerminal)) == 0;
}

void ActionText(const ExtendedCommunity& c, std::string& out) {
  const bool s = c.bytes[7] & kActionSample;
  const bool t = c.bytes[7] & kActionTerminal;
  out += "action:";
  out += s && t ? "sample,terminal" : s ? "sample" : t ? "terminal" : "none";
}

absl::StatusOr<ExtendedCommunity> ActionParse(absl::string_view text) {
  absl::string_view rest = text;
  if (!absl::ConsumePrefix(&rest, "action:") || rest.empty()) {
    return BadText(text,
                   "action:sample, action:terminal, "
                   "action:sample,terminal or action:none");
  }
  bool sample = false, terminal = false;
  if (rest != "none") {
    for (absl::string_view w : absl::StrSplit(rest, ',')) {
      if (w == "sample") {
        sample = true;
      } else if (w == "terminal") {
        terminal = true;
      } else {
        return BadText(text,
                       "action:sample, action:terminal, "
                       "action:sample,terminal or action:none");
      }
    }
  }
  return FlowspecTrafficAction(sample, terminal);
}

bool IsRedirect(const ExtendedCommunity& c) {
  return (c.type() == kTypeExp || c.type() == kTypeExpIpv4 ||
          c.type() == kTypeExpAs4) &&
         c.subtype() == kSubRedirect;
}

void RedirectText(const ExtendedCommunity& c, std::string& out) {
  const uint8_t* b = c.bytes.data();
  out += "redirect:";
  if (c.type() == kTypeExp) {
    absl::StrAppend(&out, internal::LoadBe(b + 2, 2), ":",
                    internal::LoadBe(b + 4, 4));
  } else if (c.type() == kTypeExpIpv4) {
    absl::StrAppend(
        &out, FormatIpv4(static_cast<uint32_t>(internal::LoadBe(b + 2, 4))),
        ":", internal::LoadBe(b + 6, 2));
  } else {
    const uint64_t asn = internal::LoadBe(b + 2, 4);
    absl::StrAppend(&out, asn, asn <= 0xffff ? "L" : "", ":",
                    internal::LoadBe(b + 6, 2));
  }
}

absl::StatusOr<ExtendedCommunity> RedirectParse(absl::string_view text) {
  absl::string_view rest = text;
  if (!absl::ConsumePrefix(&rest, "redirect:")) {
    return BadText(text, "redirect:ASN:N or redirect:A.B.C.D:N");
  }
  absl::StatusOr<ExtendedCommunity> c = FlowspecRedirect(rest);
  if (!c.ok()) return BadText(text, "redirect:ASN:N or redirect:A.B.C.D:N");
  return c;
}

bool IsMarking(const ExtendedCommunity& c) {
  if (c.type() != kTypeExp || c.subtype() != kSubMarking) return false;
  for (int i = 2; i < 7; ++i) {
    if (c.bytes[i] != 0) return false;
  }
  return c.bytes[7] <= 63;
}

absl::StatusOr<ExtendedCommunity> MarkingParse(absl::string_view text) {
  absl::string_view rest = text;
  uint64_t dscp;
  if (!absl::ConsumePrefix(&rest, "mark:") ||
      !internal::ParseUint(rest, 63, dscp)) {
    return BadText(text, "mark:DSCP, DSCP 0-63");
  }
  return FlowspecTrafficMarking(static_cast<uint8_t>(dscp));
}

}  // namespace

ExtendedCommunity FlowspecTrafficRate(float bytes_per_second, uint16_t asn) {
  return Rate(kSubRateBytes, bytes_per_second, asn);
}

ExtendedCommunity FlowspecTrafficRatePackets(float packets_per_second,
                                             uint16_t asn) {
  return Rate(kSubRatePackets, packets_per_second, asn);
}

ExtendedCommunity FlowspecTrafficAction(bool sample, bool terminal) {
  ExtendedCommunity c;
  c.bytes[0] = kTypeExp;
  c.bytes[1] = kSubAction;
  c.bytes[7] = static_cast<uint8_t>((sample ? kActionSample : 0) |
                                    (terminal ? kActionTerminal : 0));
  return c;
}

ExtendedCommunity FlowspecTrafficMarking(uint8_t dscp) {
  ExtendedCommunity c;
  c.bytes[0] = kTypeExp;
  c.bytes[1] = kSubMarking;
  c.bytes[7] = dscp & 0x3f;
  return c;
}

absl::StatusOr<ExtendedCommunity> FlowspecRedirect(absl::string_view rt) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad redirect target \"", rt, "\" (want ASN:N or A.B.C.D:N)"));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(rt, ':');
  if (parts.size() != 2) return bad();
  absl::string_view global = parts[0];
  ExtendedCommunity c;
  c.bytes[1] = kSubRedirect;
  uint64_t local;
  if (global.find('.') != absl::string_view::npos) {
    absl::StatusOr<uint32_t> a = ParseIpv4(global);
    if (!a.ok() || !internal::ParseUint(parts[1], 0xffff, local)) return bad();
    c.bytes[0] = kTypeExpIpv4;
    internal::StoreBe(&c.bytes[2], 4, *a);
    internal::StoreBe(&c.bytes[6], 2, local);
    return c;
  }
  const bool force_four =
      !global.empty() && (global.back() == 'L' || global.back() == 'l');
  if (force_four) global.remove_suffix(1);
  uint64_t asn;
  if (!internal::ParseUint(global, 0xffffffff, asn)) return bad();
  if (force_four || asn > 0xffff) {
    if (!internal::ParseUint(parts[1], 0xffff, local)) return bad();
    c.bytes[0] = kTypeExpAs4;
    internal::StoreBe(&c.bytes[2], 4, asn);
    internal::StoreBe(&c.bytes[6], 2, local);
    return c;
  }
  if (!internal::ParseUint(parts[1], 0xffffffff, local)) return bad();
  c.bytes[0] = kTypeExp;
  internal::StoreBe(&c.bytes[2], 2, asn);
  internal::StoreBe(&c.bytes[4], 4, local);
  return c;
}

absl::StatusOr<std::vector<ExtendedCommunity>> ParseFlowspecActions(
    absl::string_view rule_text) {
  std::vector<absl::string_view> tok =
      absl::StrSplit(rule_text, absl::ByAnyChar(" \t\n,"), absl::SkipEmpty());
  std::vector<ExtendedCommunity> out;
  size_t i = 0;
  while (i < tok.size() && tok[i] != "action" && tok[i] != "then") ++i;
  if (i == tok.size()) return out;
  ++i;
  if (i == tok.size()) {
    return absl::InvalidArgumentError("\"action\" with no action after it");
  }
  bool sample = false, terminal = false;
  int action_at = -1;  // where the traffic-action community goes
  auto arg = [&](absl::string_view what) -> absl::StatusOr<absl::string_view> {
    if (i + 1 >= tok.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("action ", what, " needs a value"));
    }
    return tok[++i];
  };
  for (; i < tok.size(); ++i) {
    const absl::string_view w = tok[i];
    if (w == "discard" || w == "drop") {
      out.push_back(FlowspecTrafficRate(0.0f));
    } else if (w == "rate-limit" || w == "rate-limit-packets") {
      absl::StatusOr<absl::string_view> v = arg(w);
      if (!v.ok()) return v.status();
      float rate;
      if (!ParseFloat(*v, rate) || rate < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("action ", w, ": \"", *v,
                         "\" is not a rate (a non-negative number)"));
      }
      out.push_back(w == "rate-limit" ? FlowspecTrafficRate(rate)
                                      : FlowspecTrafficRatePackets(rate));
    } else if (w == "redirect") {
      absl::StatusOr<absl::string_view> v = arg(w);
      if (!v.ok()) return v.status();
      absl::StatusOr<ExtendedCommunity> c = FlowspecRedirect(*v);
      if (!c.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("action redirect: ", c.status().message()));
      }
      out.push_back(*c);
    } else if (w == "mark") {
      absl::StatusOr<absl::string_view> v = arg(w);
      if (!v.ok()) return v.status();
      uint64_t dscp;
      if (!internal::ParseUint(*v, 63, dscp)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "action mark: \"", *v, "\" is not a DSCP value (0-63)"));
      }
      out.push_back(FlowspecTrafficMarking(static_cast<uint8_t>(dscp)));
    } else if (w == "sample" || w == "terminal") {
      (w == "sample" ? sample : terminal) = true;
      if (action_at < 0) {
        action_at = static_cast<int>(out.size());
        out.push_back(ExtendedCommunity{});
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown action \"", w,
          "\" (discard, rate-limit N, rate-limit-packets N, redirect ASN:N, "
          "redirect A.B.C.D:N, mark DSCP, sample, terminal)"));
    }
  }
  if (action_at >= 0) out[action_at] = FlowspecTrafficAction(sample, terminal);
  return out;
}

namespace internal {

const ExtCommunityKind kFlowspecTrafficRateKind = {
    .tag = "rate-limit",
    .alias = "discard",
    .form = "discard, rate-limit:BYTES_PER_S",
    .match =
        [](const ExtendedCommunity& c) { return IsRate(c, kSubRateBytes); },
    .text = &RateText,
    .parse =
        [](absl::string_view text) { return RateParse(kSubRateBytes, text); },
};

const ExtCommunityKind kFlowspecTrafficRatePacketsKind = {
    .tag = "rate-limit-packets",
    .alias = nullptr,
    .form = "rate-limit-packets:PPS",
    .match =
        [](const ExtendedCommunity& c) { return IsRate(c, kSubRatePackets); },
    .text = &RateText,
    .parse =
        [](absl::string_view text) { return RateParse(kSubRatePackets, text); },
};

const ExtCommunityKind kFlowspecTrafficActionKind = {
    .tag = "action",
    .alias = nullptr,
    .form = "action:sample|terminal|sample,terminal",
    .match = &IsAction,
    .text = &ActionText,
    .parse = &ActionParse,
};

const ExtCommunityKind kFlowspecRedirectKind = {
    .tag = "redirect",
    .alias = nullptr,
    .form = "redirect:ASN:N, redirect:A.B.C.D:N",
    .match = &IsRedirect,
    .text = &RedirectText,
    .parse = &RedirectParse,
};

const ExtCommunityKind kFlowspecTrafficMarkingKind = {
    .tag = "mark",
    .alias = nullptr,
    .form = "mark:DSCP",
    .match = &IsMarking,
    .text =
        [](const ExtendedCommunity& c, std::string& out) {
          absl::StrAppend(&out, "mark:", c.bytes[7]);
        },
    .parse = &MarkingParse,
};

}  // namespace internal
}  // namespace bgpy
