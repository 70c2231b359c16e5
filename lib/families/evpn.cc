// Copyright 2026 The bgpy Authors.
//
// l2vpn-evpn (AFI 25, SAFI 70): RFC 7432 §7 route types 1–4 and RFC 9136
// §3 route type 5. An entry is a route type octet, a length octet and that
// many octets (RFC 7432 §7); the typed value is an EvpnRoute (bgpy/evpn.h,
// which also gives the operator text). The MP_REACH next hop is an IPv4 or
// IPv6 address (4, 16 or 32 octets).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "families/registry.h"

namespace bgpy::internal {
namespace {

bool Split(wire::Reader& r, wire::Bytes& entry, std::string* why) {
  const wire::Bytes rest = r.rest();
  if (rest.size() < 2) {
    if (why) {
      *why = absl::StrFormat(
          "EVPN route: %d octet(s) left, need a route type and a length",
          rest.size());
    }
    return false;
  }
  const size_t len = rest[1];
  if (rest.size() - 2 < len) {
    if (why) {
      *why = absl::StrFormat(
          "EVPN route type %d: length %d exceeds the %d octets left", rest[0],
          len, rest.size() - 2);
    }
    return false;
  }
  return r.ReadBytes(2 + len, entry);
}

absl::Status Decode(wire::Bytes entry, NlriValue& out) {
  EvpnRoute route;
  if (absl::Status st = EvpnRoute::Decode(entry, route); !st.ok()) return st;
  out = std::move(route);
  return absl::OkStatus();
}

bool Encode(const NlriValue& v, wire::Writer& w) {
  const EvpnRoute* r = std::get_if<EvpnRoute>(&v);
  return r != nullptr && r->Encode(w);
}

size_t Size(const NlriValue& v) {
  const EvpnRoute* r = std::get_if<EvpnRoute>(&v);
  return r != nullptr ? r->EncodedSize() : 0;
}

absl::StatusOr<NlriValue> Parse(absl::string_view text) {
  absl::StatusOr<EvpnRoute> r = EvpnRoute::Parse(text);
  if (!r.ok()) return r.status();
  return NlriValue(*std::move(r));
}

// The address `n` after `a` (same family). kOutOfRange past the end.
absl::StatusOr<IpAddress> AdvanceIp(const IpAddress& a, uint64_t n) {
  absl::StatusOr<Prefix> p = Prefix::Make(a, a.is_v4() ? 32 : 128);
  if (!p.ok()) return p.status();
  absl::StatusOr<Prefix> q = p->Advance(n);
  if (!q.ok()) return q.status();
  return q->address();
}

// Type 1: the Ethernet tag; type 2: the MAC (and the IP, if any); types 3
// and 4: the originating router's address; type 5: the prefix (the next
// block of its length).
absl::StatusOr<NlriValue> Advance(const NlriValue& v, uint64_t n) {
  const EvpnRoute* r = std::get_if<EvpnRoute>(&v);
  if (r == nullptr) return absl::InvalidArgumentError("not an EVPN route");
  EvpnRoute out = *r;
  switch (r->type) {
    case EvpnRoute::kEthernetAutoDiscovery:
      if (n > 0xffffffffu - r->ethernet_tag) {
        return absl::OutOfRangeError(absl::StrCat(
            "Ethernet tag ", r->ethernet_tag, " + ", n, " passes 2^32 - 1"));
      }
      out.ethernet_tag = static_cast<uint32_t>(r->ethernet_tag + n);
      break;
    case EvpnRoute::kMacIpAdvertisement: {
      absl::StatusOr<MacAddress> mac = r->mac.Advance(n);
      if (!mac.ok()) return mac.status();
      out.mac = *mac;
      if (r->ip) {
        absl::StatusOr<IpAddress> ip = AdvanceIp(*r->ip, n);
        if (!ip.ok()) return ip.status();
        out.ip = *ip;
      }
      break;
    }
    case EvpnRoute::kInclusiveMulticast:
    case EvpnRoute::kEthernetSegment: {
      if (!r->ip) return absl::InvalidArgumentError("no originating router");
      absl::StatusOr<IpAddress> ip = AdvanceIp(*r->ip, n);
      if (!ip.ok()) return ip.status();
      out.ip = *ip;
      break;
    }
    case EvpnRoute::kIpPrefix: {
      if (!r->ip) return absl::InvalidArgumentError("no IP prefix");
      absl::StatusOr<Prefix> p = Prefix::Make(*r->ip, r->prefix_length);
      if (!p.ok()) return p.status();
      absl::StatusOr<Prefix> q = p->Advance(n);
      if (!q.ok()) return q.status();
      out.ip = q->address();
      break;
    }
    default:
      return absl::UnimplementedError(absl::StrCat(
          "EVPN routes of type ", r->type, " have no order to step in"));
  }
  return NlriValue(std::move(out));
}

// The label of route i: --vni (the whole 24 bits) if given, else --label
// (default 16) + i * --label-step over the labels 16 .. 2^20 - 1.
absl::StatusOr<EvpnLabel> GenerateLabel(const RouteTemplate& t, uint64_t i) {
  if (t.vni) {
    if (*t.vni > 0xffffff) {
      return absl::InvalidArgumentError(
          absl::StrCat("--vni ", *t.vni, " exceeds 16777215 (24 bits)"));
    }
    return EvpnLabel::Vni(*t.vni);
  }
  const uint32_t base = t.label.value_or(16);
  if (base < 16 || base > 0xfffff) {
    return absl::InvalidArgumentError(
        absl::StrCat("--label ", base, " is not in 16..1048575"));
  }
  constexpr uint64_t kSpace = 0x100000 - 16;
  const uint64_t step = (i % kSpace) * (t.label_step % kSpace) % kSpace;
  return EvpnLabel::Mpls(
      static_cast<uint32_t>(16 + (base - 16 + step) % kSpace));
}

// The address of --prefix as the i-th host after it (route types 3, 4).
absl::StatusOr<IpAddress> GenerateRouter(const RouteTemplate& t, uint64_t i,
                                         int type) {
  const int host = t.prefix.afi() == Afi::kIpv4 ? 32 : 128;
  if (t.prefix.length() != host) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--prefix ", t.prefix.ToString(), ": EVPN route type ", type,
        " takes the originating router's address as a host prefix (e.g. "
        "192.0.2.1/32)"));
  }
  return AdvanceIp(t.prefix.address(), i);
}

absl::StatusOr<NlriValue> Generate(const RouteTemplate& t, uint64_t i) {
  const uint8_t type = t.evpn_route_type;
  if (type < EvpnRoute::kEthernetAutoDiscovery || type > EvpnRoute::kIpPrefix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--evpn-route-type ", type, " is not an EVPN route type (1-5)"));
  }
  if (!t.rd) {
    return absl::InvalidArgumentError(
        "--rd is required for l2vpn-evpn routes (e.g. --rd=65000:1)");
  }
  EvpnRoute r;
  r.type = type;
  if (t.rd_step != 0 && i != 0 && t.rd_step > UINT64_MAX / i) {
    return absl::OutOfRangeError("--rd-step times the route count overflows");
  }
  absl::StatusOr<RouteDistinguisher> rd = t.rd->Advance(i * t.rd_step);
  if (!rd.ok()) {
    return absl::Status(rd.status().code(),
                        absl::StrCat("--rd: ", rd.status().message()));
  }
  r.rd = *rd;
  r.esi = t.esi;
  r.ethernet_tag = t.ethernet_tag;
  auto label = [&]() -> absl::Status {
    absl::StatusOr<EvpnLabel> l = GenerateLabel(t, i);
    if (!l.ok()) return l.status();
    r.labels.push_back(*l);
    return absl::OkStatus();
  };
  switch (type) {
    case EvpnRoute::kEthernetAutoDiscovery: {
      // Distinct routes: the Ethernet tag steps.
      if (i > 0xffffffffu - t.ethernet_tag) {
        return absl::OutOfRangeError(
            "--ethernet-tag plus the route count passes 2^32 - 1");
      }
      r.ethernet_tag = static_cast<uint32_t>(t.ethernet_tag + i);
      if (absl::Status st = label(); !st.ok()) return st;
      break;
    }
    case EvpnRoute::kMacIpAdvertisement: {
      if (t.mac == MacAddress()) {
        return absl::InvalidArgumentError(
            "--mac is required for EVPN route type 2 (e.g. "
            "--mac=aa:bb:cc:00:00:01)");
      }
      absl::StatusOr<MacAddress> mac = t.mac.Advance(i);
      if (!mac.ok()) {
        return absl::OutOfRangeError(
            absl::StrCat("--mac: ", mac.status().message()));
      }
      r.mac = *mac;
      const int host = t.prefix.afi() == Afi::kIpv4 ? 32 : 128;
      if (t.prefix.length() == host) {
        absl::StatusOr<IpAddress> ip = AdvanceIp(t.prefix.address(), i);
        if (!ip.ok()) return ip.status();
        r.ip = *ip;
      }
      if (absl::Status st = label(); !st.ok()) return st;
      break;
    }
    case EvpnRoute::kInclusiveMulticast:
    case EvpnRoute::kEthernetSegment: {
      absl::StatusOr<IpAddress> ip = GenerateRouter(t, i, type);
      if (!ip.ok()) return ip.status();
      r.ip = *ip;
      // Fields the type does not have stay at their defaults.
      if (type == EvpnRoute::kEthernetSegment) r.ethernet_tag = 0;
      if (type == EvpnRoute::kInclusiveMulticast) r.esi = Esi();
      break;
    }
    default: {  // kIpPrefix
      absl::StatusOr<Prefix> p = t.prefix.Advance(i);
      if (!p.ok()) return p.status();
      r.ip = p->address();
      r.prefix_length = static_cast<uint8_t>(p->length());
      r.gateway = p->afi() == Afi::kIpv4
                      ? IpAddress::V4(0)
                      : IpAddress::V6(std::array<uint8_t, 16>{});
      if (absl::Status st = label(); !st.ok()) return st;
      break;
    }
  }
  return NlriValue(std::move(r));
}

void Text(const NlriValue& v, std::string& out) {
  if (const EvpnRoute* r = std::get_if<EvpnRoute>(&v)) {
    r->AppendTo(out);
  } else {
    OpaqueText(v, out);
  }
}

// {"route_type":2,"rd":"65000:1","esi":"0","ethernet_tag":0,
//  "mac":"aa:bb:cc:dd:ee:ff","ip":"10.0.0.1","labels":[100],"vnis":[1601]}
// Fields per route type as in the text; "labels" holds each label field's
// high 20 bits (the MPLS label) and "vnis" the whole 24 bits (the VNI under
// VXLAN), so a reader picks by the encapsulation. Type 3 and 4 give
// "originating_router"; type 5 "prefix" and "gateway"; other types "hex".
void Json(const NlriValue& v, JsonWriter& j) {
  const EvpnRoute* r = std::get_if<EvpnRoute>(&v);
  if (r == nullptr) {
    OpaqueJson(v, j);
    return;
  }
  j.Field("route_type", r->type);
  const bool known = r->type >= EvpnRoute::kEthernetAutoDiscovery &&
                     r->type <= EvpnRoute::kIpPrefix;
  if (!known) {
    j.Field("hex", HexString(wire::Bytes(r->raw.data(), r->raw.size())));
    return;
  }
  j.Field("rd", r->rd.ToString());
  if (r->type != EvpnRoute::kInclusiveMulticast) {
    j.Field("esi", r->esi.ToString());
  }
  if (r->type != EvpnRoute::kEthernetSegment) {
    j.Field("ethernet_tag", r->ethernet_tag);
  }
  switch (r->type) {
    case EvpnRoute::kMacIpAdvertisement:
      j.Field("mac", r->mac.ToString());
      if (r->ip) j.Field("ip", r->ip->ToString());
      break;
    case EvpnRoute::kInclusiveMulticast:
    case EvpnRoute::kEthernetSegment:
      if (r->ip) j.Field("originating_router", r->ip->ToString());
      break;
    case EvpnRoute::kIpPrefix:
      if (r->ip) {
        j.Field("prefix",
                absl::StrCat(r->ip->ToString(), "/", r->prefix_length));
      }
      j.Field("gateway", r->gateway.ToString());
      break;
    default:
      break;
  }
  if (!r->labels.empty()) {
    j.Key("labels").BeginArray();
    for (const EvpnLabel& l : r->labels) j.Uint(l.label());
    j.EndArray();
    j.Key("vnis").BeginArray();
    for (const EvpnLabel& l : r->labels) j.Uint(l.raw);
    j.EndArray();
  }
}

}  // namespace

// RFC 7432, RFC 9136.
const FamilyDesc kL2vpnEvpnFamily = {
    .family = Family(Afi::kL2vpn, Safi::kEvpn),
    .name = "l2vpn-evpn",
    .opaque = false,
    .prefix_bits = 0,
    .split_entry = &Split,
    .decode = &Decode,
    .encode = &Encode,
    .encoded_size = &Size,
    .parse = &Parse,
    .advance = &Advance,
    .generate = &Generate,
    .text = &Text,
    .json = &Json,
    .check_next_hop = &CheckV4NextHop,
    .decode_next_hop = &DecodeNextHop,
    .encode_next_hop = &EncodeNextHop,
};

}  // namespace bgpy::internal
