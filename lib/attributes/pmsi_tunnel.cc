// Copyright 2026 The bgpy Authors.
//
// pmsi_tunnel.cc: PMSI_TUNNEL (RFC 6514 §5), with the tunnel identifier
// forms of RFC 6514 §5 (RSVP-TE P2MP per RFC 4875, mLDP per RFC 6388).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

constexpr size_t kFixedSize = 5;      // flags, type, 3-octet label
constexpr size_t kRsvpTeIdSize = 12;  // RFC 4875 §19.1.1 (IPv4)
constexpr uint16_t kLdpAfIpv4 = 1;    // RFC 6388 §2.2: IANA AFI
constexpr uint16_t kLdpAfIpv6 = 2;    // RFC 6388 §2.2: IANA AFI
constexpr uint8_t kMldpFecP2mp = 6;   // RFC 6388 §2.2
constexpr uint8_t kMldpFecMp2mp = 8;  // RFC 6388 §3.2

absl::Status PmsiError(wire::Bytes value, absl::string_view message) {
  // No RFC 7606 section names PMSI_TUNNEL: RFC 4271 §6.3 Optional
  // Attribute Error, handled as the row says (treat-as-withdraw).
  return internal::AttrError(UpdateSubcode::kOptionalAttributeError,
                             AttrCode::kPmsiTunnel, value, message);
}

std::optional<IpAddress> Address(wire::Bytes b) {
  if (b.size() == 4) return IpAddress::V4Bytes(b.data());
  if (b.size() == 16) return IpAddress::V6Bytes(b.data());
  return std::nullopt;
}

// The typed identifier for `type`, or the bytes when they do not fit.
decltype(PmsiTunnel::tunnel_id) DecodeTunnelId(PmsiTunnelType type,
                                               wire::Bytes id) {
  std::vector<uint8_t> raw(id.begin(), id.end());
  switch (type) {
    case PmsiTunnelType::kIngressReplication:
      if (auto a = Address(id)) return *a;
      break;
    case PmsiTunnelType::kPimSsm:
    case PmsiTunnelType::kPimSm:
    case PmsiTunnelType::kBidirPim: {
      const size_t half = id.size() / 2;
      if (id.size() == 8 || id.size() == 32) {
        return PmsiPimTree{*Address(id.subspan(0, half)),
                           *Address(id.subspan(half))};
      }
      break;
    }
    case PmsiTunnelType::kRsvpTeP2mp: {
      wire::Reader r(id);
      PmsiRsvpTeP2mp t;
      uint16_t reserved = 0;
      if (id.size() == kRsvpTeIdSize && r.ReadU32(t.extended_tunnel_id) &&
          r.ReadU16(reserved) && reserved == 0 && r.ReadU16(t.tunnel_id) &&
          r.ReadU32(t.p2mp_id)) {
        return t;
      }
      break;
    }
    case PmsiTunnelType::kMldpP2mp:
    case PmsiTunnelType::kMldpMp2mp: {
      wire::Reader r(id);
      PmsiMldpFec f;
      uint16_t af = 0, opaque_len = 0;
      uint8_t addr_len = 0;
      wire::Bytes root, opaque;
      if (r.ReadU8(f.fec_type) &&
          (f.fec_type == kMldpFecP2mp || f.fec_type == kMldpFecMp2mp) &&
          r.ReadU16(af) && r.ReadU8(addr_len) &&
          ((af == kLdpAfIpv4 && addr_len == 4) ||
           (af == kLdpAfIpv6 && addr_len == 16)) &&
          r.ReadBytes(addr_len, root) && r.ReadU16(opaque_len) &&
          r.ReadBytes(opaque_len, opaque) && r.empty()) {
        f.root = *Address(root);
        f.opaque.assign(opaque.begin(), opaque.end());
        return f;
      }
      break;
    }
    default:
      break;
  }
  return raw;
}

bool WriteAddress(const IpAddress& a, wire::Writer& w) {
  return w.WriteBytes(wire::Bytes(a.bytes(), a.byte_length()));
}

struct TunnelIdWriter {
  wire::Writer& w;
  bool operator()(const std::vector<uint8_t>& raw) { return w.WriteBytes(raw); }
  bool operator()(const IpAddress& a) { return WriteAddress(a, w); }
  bool operator()(const PmsiPimTree& t) {
    return WriteAddress(t.sender, w) && WriteAddress(t.group, w);
  }
  bool operator()(const PmsiRsvpTeP2mp& t) {
    return w.WriteU32(t.extended_tunnel_id) && w.WriteU16(0) &&
           w.WriteU16(t.tunnel_id) && w.WriteU32(t.p2mp_id);
  }
  bool operator()(const PmsiMldpFec& f) {
    if (f.opaque.size() > 0xffff) return false;
    return w.WriteU8(f.fec_type) &&
           w.WriteU16(f.root.is_v4() ? kLdpAfIpv4 : kLdpAfIpv6) &&
           w.WriteU8(static_cast<uint8_t>(f.root.byte_length())) &&
           WriteAddress(f.root, w) &&
           w.WriteU16(static_cast<uint16_t>(f.opaque.size())) &&
           w.WriteBytes(f.opaque);
  }
};

// Text of the identifier ("endpoint 192.0.2.1"); empty for no bytes.
struct TunnelIdText {
  std::string operator()(const std::vector<uint8_t>& raw) {
    return raw.empty() ? "" : absl::StrCat("id ", HexString(raw));
  }
  std::string operator()(const IpAddress& a) {
    return absl::StrCat("endpoint ", a.ToString());
  }
  std::string operator()(const PmsiPimTree& t) {
    return absl::StrCat("sender ", t.sender.ToString(), " group ",
                        t.group.ToString());
  }
  std::string operator()(const PmsiRsvpTeP2mp& t) {
    return absl::StrCat("extended-tunnel-id ", FormatIpv4(t.extended_tunnel_id),
                        " tunnel-id ", t.tunnel_id, " p2mp-id ", t.p2mp_id);
  }
  std::string operator()(const PmsiMldpFec& f) {
    return absl::StrCat(f.fec_type == kMldpFecMp2mp ? "mp2mp" : "p2mp",
                        " root ", f.root.ToString(), " opaque ",
                        HexString(f.opaque));
  }
};

// The identifier as a JSON object.
struct TunnelIdJson {
  JsonWriter& j;
  void operator()(const std::vector<uint8_t>& raw) {
    j.BeginObject().Field("hex", HexString(raw)).EndObject();
  }
  void operator()(const IpAddress& a) {
    j.BeginObject().Field("endpoint", a.ToString()).EndObject();
  }
  void operator()(const PmsiPimTree& t) {
    j.BeginObject()
        .Field("sender", t.sender.ToString())
        .Field("group", t.group.ToString())
        .EndObject();
  }
  void operator()(const PmsiRsvpTeP2mp& t) {
    j.BeginObject()
        .Field("extended_tunnel_id", FormatIpv4(t.extended_tunnel_id))
        .Field("tunnel_id", t.tunnel_id)
        .Field("p2mp_id", t.p2mp_id)
        .EndObject();
  }
  void operator()(const PmsiMldpFec& f) {
    j.BeginObject()
        .Field("fec_type", f.fec_type)
        .Field("root", f.root.ToString())
        .Field("opaque", HexString(f.opaque))
        .EndObject();
  }
};

absl::Status ValidatePmsiTunnel(wire::Bytes value, const AttrContext&) {
  return DecodePmsiTunnel(value).status();
}

bool DecodeHook(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (out.pmsi_tunnel) return false;
  auto t = DecodePmsiTunnel(value);
  if (!t.ok()) return false;
  out.pmsi_tunnel = *std::move(t);
  return true;
}

bool EncodeHook(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (!a.pmsi_tunnel) return true;
  return internal::WriteAttribute(
      AttrCode::kPmsiTunnel,
      [&](wire::Writer& v) { return EncodePmsiTunnel(*a.pmsi_tunnel, v); }, w);
}

void TextHook(wire::Bytes value, const AttrContext&, std::string& out) {
  auto t = DecodePmsiTunnel(value);
  if (!t.ok()) {
    AppendHex(&out, value);
    return;
  }
  out += t->ToString();
}

// {"type":"ingress-replication","type_code":6,"flags":0,
//  "leaf_info_required":false,"label":100,"label_field":1600,
//  "tunnel_id":{"endpoint":"192.0.2.1"}}
void JsonHook(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  auto t = DecodePmsiTunnel(value);
  if (!t.ok()) {
    j.BeginObject().Field("hex", HexString(value)).EndObject();
    return;
  }
  j.BeginObject()
      .Field("type", PmsiTunnelTypeName(t->type))
      .Field("type_code", static_cast<int>(t->type))
      .Field("flags", static_cast<int>(t->flags))
      .Field("leaf_info_required", t->leaf_info_required())
      .Field("label", t->label())
      .Field("label_field", t->label_field)
      .Key("tunnel_id");
  std::visit(TunnelIdJson{j}, t->tunnel_id);
  j.EndObject();
}

}  // namespace

std::string PmsiTunnelTypeName(PmsiTunnelType t) {
  switch (t) {
    case PmsiTunnelType::kNoTunnelInfo:
      return "no-tunnel-info";
    case PmsiTunnelType::kRsvpTeP2mp:
      return "rsvp-te-p2mp";
    case PmsiTunnelType::kMldpP2mp:
      return "mldp-p2mp";
    case PmsiTunnelType::kPimSsm:
      return "pim-ssm";
    case PmsiTunnelType::kPimSm:
      return "pim-sm";
    case PmsiTunnelType::kBidirPim:
      return "bidir-pim";
    case PmsiTunnelType::kIngressReplication:
      return "ingress-replication";
    case PmsiTunnelType::kMldpMp2mp:
      return "mldp-mp2mp";
  }
  return absl::StrCat("type ", static_cast<int>(t));
}

std::string PmsiTunnel::ToString() const {
  std::string out = PmsiTunnelTypeName(type);
  // A label field whose low 4 bits are set is not an MPLS label (a VXLAN
  // VNI, RFC 8365): shown whole.
  if (label_field & 0xf) {
    absl::StrAppend(&out, " label-field ", label_field);
  } else {
    absl::StrAppend(&out, " label ", label());
  }
  std::string id = std::visit(TunnelIdText{}, tunnel_id);
  if (!id.empty()) absl::StrAppend(&out, " ", id);
  if (leaf_info_required()) out += " leaf-info-required";
  if (flags & ~kPmsiLeafInfoRequired) {
    absl::StrAppend(&out, absl::StrFormat(" flags 0x%02x", flags));
  }
  return out;
}

absl::StatusOr<PmsiTunnel> DecodePmsiTunnel(wire::Bytes value) {
  wire::Reader r(value);
  PmsiTunnel t;
  uint8_t type = 0;
  if (!r.ReadU8(t.flags) || !r.ReadU8(type) || !r.ReadU24(t.label_field)) {
    return PmsiError(value, absl::StrCat("PMSI_TUNNEL length ", value.size(),
                                         ", at least ", kFixedSize));
  }
  t.type = static_cast<PmsiTunnelType>(type);
  wire::Bytes id = r.rest();
  // RFC 6514 §5: the ingress-replication identifier is the endpoint's
  // unicast address; anything else cannot be used to build the tunnel.
  if (t.type == PmsiTunnelType::kIngressReplication && id.size() != 4 &&
      id.size() != 16) {
    return PmsiError(value,
                     absl::StrCat("PMSI_TUNNEL ingress-replication endpoint "
                                  "length ",
                                  id.size(), ", expected 4 or 16"));
  }
  t.tunnel_id = DecodeTunnelId(t.type, id);
  return t;
}

bool EncodePmsiTunnel(const PmsiTunnel& t, wire::Writer& w) {
  return w.WriteU8(t.flags) && w.WriteU8(static_cast<uint8_t>(t.type)) &&
         w.WriteU24(t.label_field & 0xffffff) &&
         std::visit(TunnelIdWriter{w}, t.tunnel_id) && w.ok();
}

namespace internal {
// RFC 6514 §5 optional transitive. No RFC 7606 section covers it: the
// RFC 7606 §3(c) default for a route-affecting attribute, treat-as-withdraw.
extern const AttributeDesc kPmsiTunnelDesc = {
    .code = static_cast<uint8_t>(AttrCode::kPmsiTunnel),
    .name = "PMSI_TUNNEL",
    .json_key = "pmsi_tunnel",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidatePmsiTunnel,
    .decode = &DecodeHook,
    .encode = &EncodeHook,
    .text = &TextHook,
    .json = &JsonHook,
};
}  // namespace internal
}  // namespace bgpy
