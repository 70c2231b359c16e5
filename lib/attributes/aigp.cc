// Copyright 2026 The bgpy Authors.
//
// aigp.cc: Accumulated IGP Metric (RFC 7311).
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

constexpr uint8_t kAigpTlvMetric = 1;      // RFC 7311 §3.1
constexpr uint16_t kTlvHeaderSize = 3;     // RFC 7311 §3: type + length
constexpr uint16_t kMetricTlvLength = 11;  // RFC 7311 §3.1

absl::Status ValidateAigp(wire::Bytes value, const AttrContext&) {
  auto a = DecodeAigp(value);
  if (!a.ok()) {
    return internal::AttrError(UpdateSubcode::kOptionalAttributeError,
                               AttrCode::kAigp, value, a.status().message());
  }
  return absl::OkStatus();
}

bool DecodeHook(wire::Bytes value, const AttrContext&, PathAttributes& out) {
  if (out.aigp) return false;
  auto a = DecodeAigp(value);
  if (!a.ok()) return false;
  out.aigp = *std::move(a);
  return true;
}

bool EncodeHook(const PathAttributes& a, const AttrContext&, wire::Writer& w) {
  if (!a.aigp) return true;
  return internal::WriteAttribute(
      AttrCode::kAigp, [&](wire::Writer& v) { return EncodeAigp(*a.aigp, v); },
      w);
}

// The common case, one metric TLV, is "metric 100"; otherwise every TLV as
// "tlv 1 0000000000000064", comma separated.
void TextHook(wire::Bytes value, const AttrContext&, std::string& out) {
  auto a = DecodeAigp(value);
  if (!a.ok()) {
    AppendHex(&out, value);
    return;
  }
  if (std::optional<uint64_t> m = a->metric(); m && a->tlvs.size() == 1) {
    absl::StrAppend(&out, "metric ", *m);
    return;
  }
  for (size_t i = 0; i < a->tlvs.size(); ++i) {
    if (i > 0) out += ", ";
    absl::StrAppend(&out, "tlv ", a->tlvs[i].type, " ",
                    HexString(a->tlvs[i].value));
  }
}

// 100, or [{"type":1,"hex":"..."},...].
void JsonHook(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  auto a = DecodeAigp(value);
  if (!a.ok()) {
    j.BeginObject().Field("hex", HexString(value)).EndObject();
    return;
  }
  if (std::optional<uint64_t> m = a->metric(); m && a->tlvs.size() == 1) {
    j.Uint(*m);
    return;
  }
  j.BeginArray();
  for (const AigpTlv& t : a->tlvs) {
    j.BeginObject()
        .Field("type", static_cast<int>(t.type))
        .Field("hex", HexString(t.value))
        .EndObject();
  }
  j.EndArray();
}

}  // namespace

std::optional<uint64_t> Aigp::metric() const {
  for (const AigpTlv& t : tlvs) {
    // RFC 7311 §3.1: only the first AIGP TLV counts.
    if (t.type == kAigpTlvMetric && t.value.size() == 8) {
      return internal::LoadBe(t.value.data(), 8);
    }
  }
  return std::nullopt;
}

Aigp Aigp::FromMetric(uint64_t metric) {
  AigpTlv t;
  t.type = kAigpTlvMetric;
  t.value.resize(8);
  internal::StoreBe(t.value.data(), 8, metric);
  Aigp a;
  a.tlvs.push_back(std::move(t));
  return a;
}

absl::StatusOr<Aigp> DecodeAigp(wire::Bytes value) {
  wire::Reader r(value);
  Aigp a;
  for (int index = 1; !r.empty(); ++index) {
    uint8_t type;
    uint16_t length;
    if (!r.ReadU8(type) || !r.ReadU16(length)) {
      return UpdateError(UpdateSubcode::kOptionalAttributeError,
                         absl::StrCat("AIGP TLV ", index, " header truncated"));
    }
    if (length < kTlvHeaderSize ||
        (type == kAigpTlvMetric && length != kMetricTlvLength)) {
      return UpdateError(
          UpdateSubcode::kOptionalAttributeError,
          absl::StrCat("AIGP TLV ", index, " type ", type, " length ", length));
    }
    wire::Bytes v;
    if (!r.ReadBytes(length - kTlvHeaderSize, v)) {
      return UpdateError(UpdateSubcode::kOptionalAttributeError,
                         absl::StrCat("AIGP TLV ", index, " length ", length,
                                      " overruns the attribute"));
    }
    a.tlvs.push_back(AigpTlv{type, std::vector<uint8_t>(v.begin(), v.end())});
  }
  return a;
}

bool EncodeAigp(const Aigp& a, wire::Writer& w) {
  for (const AigpTlv& t : a.tlvs) {
    if (t.value.size() > 0xffff - kTlvHeaderSize) return false;
    if (!w.WriteU8(t.type) ||
        !w.WriteU16(static_cast<uint16_t>(t.value.size() + kTlvHeaderSize)) ||
        !w.WriteBytes(t.value)) {
      return false;
    }
  }
  return w.ok();
}

namespace internal {
// RFC 7311 §3 optional non-transitive; malformed => attribute discard.
extern const AttributeDesc kAigpDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAigp),
    .name = "AIGP",
    .json_key = "aigp",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAigp,
    .decode = &DecodeHook,
    .encode = &EncodeHook,
    .text = &TextHook,
    .json = &JsonHook,
};
}  // namespace internal
}  // namespace bgpy
