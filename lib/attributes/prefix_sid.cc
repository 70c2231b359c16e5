// Copyright 2026 The bgpy Authors.
//
// prefix_sid.cc: BGP Prefix-SID (RFC 8669), with the SRv6 service TLVs of
// RFC 9252.
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

constexpr uint16_t kLabelIndexLength = 7;  // RFC 8669 §3.1
constexpr size_t kSrgbSize = 6;            // RFC 8669 §3.2: 3 + 3 octets
constexpr size_t kSidInfoMinSize = 21;     // RFC 9252 §3.1, before sub-TLVs
constexpr uint8_t kSubTlvSidInfo = 1;      // RFC 9252 §3.1

absl::Status SidError(wire::Bytes value, absl::string_view message) {
  // RFC 8669 §6: a malformed Prefix-SID is discarded (the row's verdict);
  // the NOTIFICATION form is the RFC 4271 §6.3 Optional Attribute Error.
  return internal::AttrError(UpdateSubcode::kOptionalAttributeError,
                             AttrCode::kPrefixSid, value,
                             absl::StrCat("PREFIX_SID: ", message));
}

// Type, 2-octet length and value; false if the header or value is cut.
bool ReadTlv(wire::Reader& r, uint8_t& type, wire::Bytes& value) {
  uint16_t len = 0;
  wire::Reader cur = r;
  if (!cur.ReadU8(type) || !cur.ReadU16(len) || !cur.ReadBytes(len, value)) {
    return false;
  }
  r = cur;
  return true;
}

bool WriteTlv(uint8_t type, wire::Bytes value, wire::Writer& w) {
  if (value.size() > 0xffff) return false;
  return w.WriteU8(type) && w.WriteU16(static_cast<uint16_t>(value.size())) &&
         w.WriteBytes(value);
}

const char* TlvName(uint8_t type) {
  switch (type) {
    case kPrefixSidLabelIndex:
      return "label-index";
    case kPrefixSidOriginatorSrgb:
      return "srgb";
    case kPrefixSidSrv6L3Service:
      return "srv6-l3-service";
    case kPrefixSidSrv6L2Service:
      return "srv6-l2-service";
    default:
      return "tlv";
  }
}

struct ValueWriter {
  wire::Writer& w;
  bool operator()(const std::vector<uint8_t>& raw) { return w.WriteBytes(raw); }
  bool operator()(const PrefixSidLabelIndex& l) {
    return w.WriteU8(l.reserved) && w.WriteU16(l.flags) &&
           w.WriteU32(l.label_index);
  }
  bool operator()(const PrefixSidOriginatorSrgb& s) {
    if (!w.WriteU16(s.flags)) return false;
    for (const SrgbRange& r : s.ranges) {
      if (!w.WriteU24(r.first_label & 0xffffff) ||
          !w.WriteU24(r.count & 0xffffff)) {
        return false;
      }
    }
    return true;
  }
  bool operator()(const PrefixSidSrv6Service& s) {
    if (!w.WriteU8(s.reserved)) return false;
    for (const Srv6ServiceSubTlv& t : s.sub_tlvs) {
      if (!WriteTlv(t.type, t.value, w)) return false;
    }
    return true;
  }
};

std::string SubTlvText(const Srv6ServiceSubTlv& t) {
  if (auto sid = t.sid()) {
    return absl::StrFormat("sid %s behavior 0x%04x", sid->ToString(),
                           *t.behavior());
  }
  return absl::StrCat("sub-tlv ", t.type, " ", HexString(t.value));
}

struct ValueText {
  uint8_t type;
  std::string operator()(const std::vector<uint8_t>& raw) {
    return absl::StrCat("tlv ", type, " ", HexString(raw));
  }
  std::string operator()(const PrefixSidLabelIndex& l) {
    std::string out = absl::StrCat("label-index ", l.label_index);
    if (l.flags != 0)
      absl::StrAppend(&out, absl::StrFormat(" flags 0x%04x", l.flags));
    return out;
  }
  std::string operator()(const PrefixSidOriginatorSrgb& s) {
    std::string out = "srgb";
    for (const SrgbRange& r : s.ranges) {
      absl::StrAppend(&out, " ", r.first_label, "+", r.count);
    }
    if (s.flags != 0)
      absl::StrAppend(&out, absl::StrFormat(" flags 0x%04x", s.flags));
    return out;
  }
  std::string operator()(const PrefixSidSrv6Service& s) {
    std::string out = TlvName(type);
    for (const Srv6ServiceSubTlv& t : s.sub_tlvs) {
      absl::StrAppend(&out, " ", SubTlvText(t));
    }
    return out;
  }
};

struct ValueJson {
  JsonWriter& j;
  void operator()(const std::vector<uint8_t>& raw) {
    j.Field("hex", HexString(raw));
  }
  void operator()(const PrefixSidLabelIndex& l) {
    j.Field("label_index", l.label_index).Field("flags", l.flags);
  }
  void operator()(const PrefixSidOriginatorSrgb& s) {
    j.Field("flags", s.flags).Key("srgb").BeginArray();
    for (const SrgbRange& r : s.ranges) {
      j.BeginObject()
          .Field("first_label", r.first_label)
          .Field("count", r.count)
          .EndObject();
    }
    j.EndArray();
  }
  void operator()(const PrefixSidSrv6Service& s) {
    j.Key("sub_tlvs").BeginArray();
    for (const Srv6ServiceSubTlv& t : s.sub_tlvs) {
      j.BeginObject().Field("type", t.type);
      if (auto sid = t.sid()) {
        j.Field("sid", sid->ToString()).Field("behavior", *t.behavior());
      }
      j.Field("hex", HexString(t.value)).EndObject();
    }
    j.EndArray();
  }
};

// The typed value of one TLV (checked per RFC 8669 §6 / RFC 9252 §8).
absl::StatusOr<decltype(PrefixSidTlv::value)> DecodeTlvValue(wire::Bytes attr,
                                                             uint8_t type,
                                                             wire::Bytes v) {
  wire::Reader r(v);
  switch (type) {
    case kPrefixSidLabelIndex: {
      if (v.size() != kLabelIndexLength) {
        return SidError(attr, absl::StrCat("Label-Index TLV length ", v.size(),
                                           ", expected 7"));
      }
      PrefixSidLabelIndex l;
      r.ReadU8(l.reserved);
      r.ReadU16(l.flags);
      r.ReadU32(l.label_index);
      return l;
    }
    case kPrefixSidOriginatorSrgb: {
      if (v.size() < 2 + kSrgbSize || (v.size() - 2) % kSrgbSize != 0) {
        return SidError(attr,
                        absl::StrCat("Originator SRGB TLV length ", v.size(),
                                     ", expected 2 + a multiple of 6"));
      }
      PrefixSidOriginatorSrgb s;
      r.ReadU16(s.flags);
      while (!r.empty()) {
        SrgbRange range;
        r.ReadU24(range.first_label);
        r.ReadU24(range.count);
        s.ranges.push_back(range);
      }
      return s;
    }
    case kPrefixSidSrv6L3Service:
    case kPrefixSidSrv6L2Service: {
      PrefixSidSrv6Service s;
      if (!r.ReadU8(s.reserved)) {
        return SidError(
            attr, absl::StrCat(TlvName(type), " TLV has no reserved octet"));
      }
      while (!r.empty()) {
        Srv6ServiceSubTlv t;
        wire::Bytes sub;
        if (!ReadTlv(r, t.type, sub)) {
          return SidError(
              attr, absl::StrCat(TlvName(type), " sub-TLV overruns the TLV"));
        }
        if (t.type == kSubTlvSidInfo && sub.size() < kSidInfoMinSize) {
          return SidError(attr, absl::StrCat("SRv6 SID Information sub-TLV "
                                             "length ",
                                             sub.size(), ", at least 21"));
        }
        t.value.assign(sub.begin(), sub.end());
        s.sub_tlvs.push_back(std::move(t));
      }
      return s;
    }
    default:
      return std::vector<uint8_t>(v.begin(), v.end());
  }
}

absl::Status ValidatePrefixSid(wire::Bytes value, const AttrContext&) {
  return DecodePrefixSid(value).status();
}

bool DecodeHook(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (out.prefix_sid) return false;
  auto p = DecodePrefixSid(value);
  if (!p.ok()) return false;
  out.prefix_sid = *std::move(p);
  return true;
}

bool EncodeHook(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (!a.prefix_sid) return true;
  return internal::WriteAttribute(
      AttrCode::kPrefixSid,
      [&](wire::Writer& v) { return EncodePrefixSid(*a.prefix_sid, v); }, w);
}

void TextHook(wire::Bytes value, const AttrContext&, std::string& out) {
  auto p = DecodePrefixSid(value);
  if (!p.ok()) {
    AppendHex(&out, value);
    return;
  }
  out += p->ToString();
}

// [{"type":1,"name":"label-index","label_index":30,"flags":0},...]
void JsonHook(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  auto p = DecodePrefixSid(value);
  if (!p.ok()) {
    j.BeginObject().Field("hex", HexString(value)).EndObject();
    return;
  }
  j.BeginArray();
  for (const PrefixSidTlv& t : p->tlvs) {
    j.BeginObject().Field("type", t.type).Field("name", TlvName(t.type));
    std::visit(ValueJson{j}, t.value);
    j.EndObject();
  }
  j.EndArray();
}

}  // namespace

std::optional<IpAddress> Srv6ServiceSubTlv::sid() const {
  if (type != kSubTlvSidInfo || value.size() < kSidInfoMinSize) {
    return std::nullopt;
  }
  return IpAddress::V6Bytes(value.data() + 1);  // after Reserved1
}

std::optional<uint16_t> Srv6ServiceSubTlv::behavior() const {
  if (type != kSubTlvSidInfo || value.size() < kSidInfoMinSize) {
    return std::nullopt;
  }
  // Reserved1 (1), SID (16), SID Flags (1), then the behavior.
  return static_cast<uint16_t>(internal::LoadBe(value.data() + 18, 2));
}

std::optional<uint32_t> PrefixSid::label_index() const {
  for (const PrefixSidTlv& t : tlvs) {
    if (auto* l = std::get_if<PrefixSidLabelIndex>(&t.value)) {
      return l->label_index;
    }
  }
  return std::nullopt;
}

std::string PrefixSid::ToString() const {
  std::string out;
  for (const PrefixSidTlv& t : tlvs) {
    if (!out.empty()) out += ", ";
    out += std::visit(ValueText{t.type}, t.value);
  }
  return out.empty() ? "(empty)" : out;
}

absl::StatusOr<PrefixSid> DecodePrefixSid(wire::Bytes value) {
  wire::Reader r(value);
  PrefixSid p;
  for (int index = 1; !r.empty(); ++index) {
    PrefixSidTlv t;
    wire::Bytes v;
    if (!ReadTlv(r, t.type, v)) {
      return SidError(value,
                      absl::StrCat("TLV ", index, " overruns the attribute"));
    }
    BGPY_ASSIGN_OR_RETURN(t.value, DecodeTlvValue(value, t.type, v));
    p.tlvs.push_back(std::move(t));
  }
  return p;
}

bool EncodePrefixSid(const PrefixSid& p, wire::Writer& w) {
  for (const PrefixSidTlv& t : p.tlvs) {
    std::vector<uint8_t> v;
    {
      wire::Writer vw(&v);
      if (!std::visit(ValueWriter{vw}, t.value) || !vw.ok()) return false;
    }
    if (!WriteTlv(t.type, v, w)) return false;
  }
  return w.ok();
}

namespace internal {
// RFC 8669 §3 optional transitive; §6 attribute discard.
extern const AttributeDesc kPrefixSidDesc = {
    .code = static_cast<uint8_t>(AttrCode::kPrefixSid),
    .name = "PREFIX_SID",
    .json_key = "prefix_sid",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidatePrefixSid,
    .decode = &DecodeHook,
    .encode = &EncodeHook,
    .text = &TextHook,
    .json = &JsonHook,
};
}  // namespace internal
}  // namespace bgpy
