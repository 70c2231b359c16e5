// Copyright 2026 The bgpy Authors.
//
// evpn_ext_communities.cc: the extended communities EVPN routes carry.
// Type 0x06 (EVPN, IANA "EVPN Extended Community Sub-Types", RFC 7432 §7.5–
// §7.7, RFC 9135 §8.1): MAC mobility, ESI label, ES-import route target,
// router's MAC. Type 0x03 (transitive opaque): encapsulation (RFC 9012 §4.1,
// RFC 8365 §5.1.3) and default gateway (RFC 7432 §7.8).
//
// Text, each parsed back exactly as written:
//   mac-mobility:SEQ[:sticky]        0x06/0x00 flags (sticky 0x01), seq
//   esi-label:LABEL[:single-active]  0x06/0x01 flags, label << 4
//   es-import:aa:bb:cc:dd:ee:ff      0x06/0x02
//   router-mac:aa:bb:cc:dd:ee:ff     0x06/0x03
//   encap:vxlan (or encap:N)         0x03/0x0c tunnel type
//   default-gateway                  0x03/0x0d
// A community whose reserved octets or unknown flag bits are set, or whose
// ESI label field has low bits set, does not match its row and is written
// in the generic 0xTT:0xSS:HEX12 form, which keeps every bit.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "attributes/ext_community_kinds.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"
#include "bgpy/evpn.h"

namespace bgpy::internal {
namespace {

constexpr uint8_t kTypeEvpn = 0x06;
constexpr uint8_t kSubtypeMacMobility = 0x00;
constexpr uint8_t kSubtypeEsiLabel = 0x01;
constexpr uint8_t kSubtypeEsImport = 0x02;
constexpr uint8_t kSubtypeRouterMac = 0x03;
constexpr uint8_t kTypeOpaque = 0x03;
constexpr uint8_t kSubtypeEncapsulation = 0x0c;
constexpr uint8_t kSubtypeDefaultGateway = 0x0d;
constexpr uint8_t kFlagSticky = 0x01;        // RFC 7432 §7.7
constexpr uint8_t kFlagSingleActive = 0x01;  // RFC 7432 §7.5

absl::Status Bad(absl::string_view text, absl::string_view form) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad extended community \"", text, "\" (want ", form, ")"));
}

ExtendedCommunity Make(uint8_t type, uint8_t subtype) {
  ExtendedCommunity c;
  c.bytes[0] = type;
  c.bytes[1] = subtype;
  return c;
}

bool Is(const ExtendedCommunity& c, uint8_t type, uint8_t subtype) {
  return c.type() == type && c.subtype() == subtype;
}

// The text after "TAG:".
absl::string_view After(absl::string_view text) {
  const size_t colon = text.find(':');
  return colon == absl::string_view::npos ? absl::string_view()
                                          : text.substr(colon + 1);
}

// --- MAC mobility ---------------------------------------------------------

constexpr char kMacMobilityForm[] = "mac-mobility:SEQ[:sticky]";

bool MacMobilityMatch(const ExtendedCommunity& c) {
  return Is(c, kTypeEvpn, kSubtypeMacMobility) &&
         (c.bytes[2] & ~kFlagSticky) == 0 && c.bytes[3] == 0;
}

void MacMobilityText(const ExtendedCommunity& c, std::string& out) {
  absl::StrAppend(&out, "mac-mobility:", LoadBe(&c.bytes[4], 4),
                  (c.bytes[2] & kFlagSticky) ? ":sticky" : "");
}

absl::StatusOr<ExtendedCommunity> MacMobilityParse(absl::string_view text) {
  if (text.find(':') == absl::string_view::npos) {
    return Bad(text, kMacMobilityForm);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(After(text), ':');
  uint64_t seq;
  if (parts.size() > 2 || !ParseUint(parts[0], 0xffffffff, seq) ||
      (parts.size() == 2 && parts[1] != "sticky")) {
    return Bad(text, kMacMobilityForm);
  }
  ExtendedCommunity c = Make(kTypeEvpn, kSubtypeMacMobility);
  if (parts.size() == 2) c.bytes[2] = kFlagSticky;
  StoreBe(&c.bytes[4], 4, seq);
  return c;
}

// --- ESI label ------------------------------------------------------------

constexpr char kEsiLabelForm[] = "esi-label:LABEL[:single-active]";

bool EsiLabelMatch(const ExtendedCommunity& c) {
  return Is(c, kTypeEvpn, kSubtypeEsiLabel) &&
         (c.bytes[2] & ~kFlagSingleActive) == 0 && c.bytes[3] == 0 &&
         c.bytes[4] == 0 && (c.bytes[7] & 0x0f) == 0;
}

void EsiLabelText(const ExtendedCommunity& c, std::string& out) {
  absl::StrAppend(&out, "esi-label:", LoadBe(&c.bytes[5], 3) >> 4,
                  (c.bytes[2] & kFlagSingleActive) ? ":single-active" : "");
}

absl::StatusOr<ExtendedCommunity> EsiLabelParse(absl::string_view text) {
  if (text.find(':') == absl::string_view::npos) {
    return Bad(text, kEsiLabelForm);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(After(text), ':');
  uint64_t label;
  if (parts.size() > 2 || !ParseUint(parts[0], 0xfffff, label) ||
      (parts.size() == 2 && parts[1] != "single-active")) {
    return Bad(text, kEsiLabelForm);
  }
  ExtendedCommunity c = Make(kTypeEvpn, kSubtypeEsiLabel);
  if (parts.size() == 2) c.bytes[2] = kFlagSingleActive;
  StoreBe(&c.bytes[5], 3, label << 4);
  return c;
}

// --- ES-import route target and router's MAC --------------------------------

void MacText(const char* tag, const ExtendedCommunity& c, std::string& out) {
  MacAddress m;
  std::copy_n(&c.bytes[2], 6, m.bytes.begin());
  absl::StrAppend(&out, tag, ":");
  m.AppendTo(out);
}

absl::StatusOr<ExtendedCommunity> MacParse(uint8_t subtype,
                                           absl::string_view text,
                                           absl::string_view form) {
  absl::StatusOr<MacAddress> m = MacAddress::Parse(After(text));
  if (text.find(':') == absl::string_view::npos || !m.ok()) {
    return Bad(text, form);
  }
  ExtendedCommunity c = Make(kTypeEvpn, subtype);
  std::copy_n(m->bytes.begin(), 6, &c.bytes[2]);
  return c;
}

// --- Encapsulation --------------------------------------------------------

// IANA "BGP Tunnel Encapsulation Attribute Tunnel Types" with a short name.
struct TunnelName {
  uint16_t type;
  const char* name;
};
constexpr TunnelName kTunnelNames[] = {
    {1, "l2tpv3"},       {2, "gre"},        {7, "ip-in-ip"},
    {8, "vxlan"},        {9, "nvgre"},      {10, "mpls"},
    {11, "mpls-in-gre"}, {12, "vxlan-gpe"}, {13, "mpls-in-udp"},
};

constexpr char kEncapForm[] = "encap:vxlan, encap:mpls, encap:N";

bool EncapMatch(const ExtendedCommunity& c) {
  return Is(c, kTypeOpaque, kSubtypeEncapsulation) && c.bytes[2] == 0 &&
         c.bytes[3] == 0 && c.bytes[4] == 0 && c.bytes[5] == 0;
}

void EncapText(const ExtendedCommunity& c, std::string& out) {
  const uint16_t type = static_cast<uint16_t>(LoadBe(&c.bytes[6], 2));
  out += "encap:";
  for (const TunnelName& t : kTunnelNames) {
    if (t.type == type) {
      out += t.name;
      return;
    }
  }
  absl::StrAppend(&out, type);
}

absl::StatusOr<ExtendedCommunity> EncapParse(absl::string_view text) {
  if (text.find(':') == absl::string_view::npos) return Bad(text, kEncapForm);
  const absl::string_view name = After(text);
  uint64_t type = 0;
  bool found = false;
  for (const TunnelName& t : kTunnelNames) {
    if (name == t.name) {
      type = t.type;
      found = true;
    }
  }
  if (!found && !ParseUint(name, 0xffff, type)) return Bad(text, kEncapForm);
  ExtendedCommunity c = Make(kTypeOpaque, kSubtypeEncapsulation);
  StoreBe(&c.bytes[6], 2, type);
  return c;
}

// --- Default gateway ------------------------------------------------------

bool DefaultGatewayMatch(const ExtendedCommunity& c) {
  if (!Is(c, kTypeOpaque, kSubtypeDefaultGateway)) return false;
  for (int i = 2; i < 8; ++i) {
    if (c.bytes[i] != 0) return false;
  }
  return true;
}

}  // namespace

const ExtCommunityKind kMacMobilityKind = {
    .tag = "mac-mobility",
    .alias = nullptr,
    .form = kMacMobilityForm,
    .match = &MacMobilityMatch,
    .text = &MacMobilityText,
    .parse = &MacMobilityParse,
};

const ExtCommunityKind kEsiLabelKind = {
    .tag = "esi-label",
    .alias = nullptr,
    .form = kEsiLabelForm,
    .match = &EsiLabelMatch,
    .text = &EsiLabelText,
    .parse = &EsiLabelParse,
};

const ExtCommunityKind kEsImportKind = {
    .tag = "es-import",
    .alias = nullptr,
    .form = "es-import:MAC",
    .match =
        [](const ExtendedCommunity& c) {
          return Is(c, kTypeEvpn, kSubtypeEsImport);
        },
    .text = [](const ExtendedCommunity& c,
               std::string& out) { MacText("es-import", c, out); },
    .parse =
        [](absl::string_view text) {
          return MacParse(kSubtypeEsImport, text, "es-import:MAC");
        },
};

const ExtCommunityKind kRouterMacKind = {
    .tag = "router-mac",
    .alias = nullptr,
    .form = "router-mac:MAC",
    .match =
        [](const ExtendedCommunity& c) {
          return Is(c, kTypeEvpn, kSubtypeRouterMac);
        },
    .text = [](const ExtendedCommunity& c,
               std::string& out) { MacText("router-mac", c, out); },
    .parse =
        [](absl::string_view text) {
          return MacParse(kSubtypeRouterMac, text, "router-mac:MAC");
        },
};

const ExtCommunityKind kEncapsulationKind = {
    .tag = "encap",
    .alias = nullptr,
    .form = kEncapForm,
    .match = &EncapMatch,
    .text = &EncapText,
    .parse = &EncapParse,
};

const ExtCommunityKind kDefaultGatewayKind = {
    .tag = "default-gateway",
    .alias = nullptr,
    .form = "default-gateway",
    .match = &DefaultGatewayMatch,
    .text = [](const ExtendedCommunity&,
               std::string& out) { out += "default-gateway"; },
    .parse = [](absl::string_view text) -> absl::StatusOr<ExtendedCommunity> {
      if (!absl::EqualsIgnoreCase(text, "default-gateway")) {
        return Bad(text, "default-gateway");
      }
      return Make(kTypeOpaque, kSubtypeDefaultGateway);
    },
};

}  // namespace bgpy::internal
