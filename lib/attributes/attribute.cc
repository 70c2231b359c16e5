// Copyright 2026 The bgpy Authors.
//
// attribute.cc: attribute framing (RFC 4271 §4.3), the owned form, and the
// table of rows listed in registry.inc.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

// Reads one attribute without building a Status; `r` moves only on success.
bool ReadAttributeRaw(wire::Reader& r, AttributeView& out) {
  wire::Reader cur = r;
  uint8_t flags, code;
  if (!cur.ReadU8(flags) || !cur.ReadU8(code)) return false;
  uint16_t len = 0;
  if (flags & kAttrExtendedLength) {  // RFC 4271 §4.3: 2-octet length
    if (!cur.ReadU16(len)) return false;
  } else {
    uint8_t len8;
    if (!cur.ReadU8(len8)) return false;
    len = len8;
  }
  wire::Bytes value;
  if (!cur.ReadBytes(len, value)) return false;
  out.flags = flags;
  out.code = code;
  out.value = value;
  out.raw = r.rest().subspan(0, cur.offset() - r.offset());
  r = cur;
  return true;
}

// code -> row, built once from registry.inc.
struct Table {
  std::array<const AttributeDesc*, 256> by_code{};
  std::vector<const AttributeDesc*> all;
};

const Table& GetTable() {
  static const Table* table = [] {
    auto* t = new Table;
#define BGPY_ATTRIBUTE(desc) t->all.push_back(&internal::desc);
#include "attributes/registry.inc"
#undef BGPY_ATTRIBUTE
    for (const AttributeDesc* d : t->all) t->by_code[d->code] = d;
    return t;
  }();
  return *table;
}

}  // namespace

absl::Status ReadAttribute(wire::Reader& r, AttributeView& out) {
  if (ReadAttributeRaw(r, out)) return absl::OkStatus();
  wire::Reader cur = r;
  uint8_t flags = 0, code = 0;
  if (!cur.ReadU8(flags) || !cur.ReadU8(code)) {
    return UpdateError(
        UpdateSubcode::kMalformedAttributeList,
        absl::StrCat("attribute header truncated at offset ", r.offset()));
  }
  bool ext = flags & kAttrExtendedLength;
  if (cur.remaining() < (ext ? 2u : 1u)) {
    return UpdateError(
        UpdateSubcode::kMalformedAttributeList,
        absl::StrCat(AttributeName(code), " length field truncated"));
  }
  uint16_t len = 0;
  if (ext) {
    cur.ReadU16(len);
  } else {
    uint8_t len8 = 0;
    cur.ReadU8(len8);
    len = len8;
  }
  return UpdateError(
      UpdateSubcode::kMalformedAttributeList,
      absl::StrCat(AttributeName(code), " length ", len, " overruns the ",
                   cur.remaining(), " bytes left"));  // RFC 7606 §4
}

void AttributeIterator::Advance() {
  done_ = r_.empty() || !ReadAttributeRaw(r_, cur_);
}

bool EncodeAttribute(uint8_t flags, uint8_t code, wire::Bytes value,
                     wire::Writer& w) {
  if (value.size() > 0xffff) return false;
  bool ext = (flags & kAttrExtendedLength) || value.size() > 0xff;
  if (ext) {
    flags |= kAttrExtendedLength;
    return w.WriteU8(flags) && w.WriteU8(code) &&
           w.WriteU16(static_cast<uint16_t>(value.size())) &&
           w.WriteBytes(value);
  }
  return w.WriteU8(flags) && w.WriteU8(code) &&
         w.WriteU8(static_cast<uint8_t>(value.size())) && w.WriteBytes(value);
}

bool EncodeAttribute(const PathAttribute& a, wire::Writer& w) {
  return EncodeAttribute(a.flags, a.code, a.value, w);
}

size_t AttributeEncodedSize(const PathAttribute& a) {
  bool ext = (a.flags & kAttrExtendedLength) || a.value.size() > 0xff;
  return (ext ? 4 : 3) + a.value.size();
}

PathAttribute PathAttribute::FromView(const AttributeView& v) {
  PathAttribute a;
  a.flags = v.flags;
  a.code = v.code;
  a.value.assign(v.value.begin(), v.value.end());
  return a;
}

const AttributeDesc* LookupAttribute(uint8_t code) {
  return GetTable().by_code[code];
}

absl::Span<const AttributeDesc* const> RegisteredAttributes() {
  return GetTable().all;
}

std::string AttributeName(uint8_t code) {
  const AttributeDesc* d = LookupAttribute(code);
  if (d != nullptr) return d->name;
  return absl::StrCat("attribute ", code);
}

std::string FormatAttributeValue(uint8_t code, wire::Bytes value,
                                 const SessionParams& params) {
  const AttributeDesc* d = LookupAttribute(code);
  AttrContext ctx{&params};
  if (d == nullptr || !d->validate(value, ctx).ok()) return HexString(value);
  std::string out;
  d->text(value, ctx, out);
  return out;
}

const char* AttributeJsonKey(uint8_t code) {
  const AttributeDesc* d = LookupAttribute(code);
  return d != nullptr ? d->json_key : "";
}

namespace internal {

std::vector<uint8_t> CanonicalAttributeBytes(uint8_t code, wire::Bytes value) {
  const AttributeDesc* d = LookupAttribute(code);
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  EncodeAttribute(d != nullptr ? d->flags : kAttrOptional, code,
                  value.subspan(0, 0xffff), w);
  w.Finish();
  return out;
}

absl::Status AttrError(UpdateSubcode subcode, AttrCode code, wire::Bytes value,
                       absl::string_view message) {
  uint8_t c = static_cast<uint8_t>(code);
  return UpdateError(subcode, CanonicalAttributeBytes(c, value), message);
}

absl::Status FixedLengthError(AttrCode code, wire::Bytes value, size_t want) {
  // RFC 4271 §6.3: length conflicts with the type code.
  return AttrError(UpdateSubcode::kAttributeLengthError, code, value,
                   absl::StrCat(AttributeName(static_cast<uint8_t>(code)),
                                " length ", value.size(), ", expected ", want));
}

absl::Status ListLengthError(AttrCode code, wire::Bytes value, size_t unit) {
  return AttrError(
      UpdateSubcode::kAttributeLengthError, code, value,
      absl::StrCat(AttributeName(static_cast<uint8_t>(code)), " length ",
                   value.size(), " is not a non-zero multiple of ", unit));
}

bool FourOctetAs(const AttrContext& ctx) {
  return ctx.params == nullptr || ctx.params->four_octet_as;
}

void AppendJoined(const std::vector<std::string>& items, std::string& out) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += items[i];
  }
}

void WriteStringArray(const std::vector<std::string>& items, JsonWriter& j) {
  j.BeginArray();
  for (const std::string& s : items) j.String(s);
  j.EndArray();
}

absl::Status RawValidate(wire::Bytes, const AttrContext&) {
  return absl::OkStatus();
}

bool RawDecode(wire::Bytes, const AttrContext&, PathAttributes&) {
  return false;  // no typed field: the attribute goes to `others`
}

bool RawEncode(const PathAttributes&, const AttrContext&, wire::Writer&) {
  return true;  // written from `others`
}

void RawText(wire::Bytes value, const AttrContext&, std::string& out) {
  if (value.empty()) {
    out += "(empty)";
  } else {
    AppendHex(&out, value);
  }
}

void RawJson(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  j.BeginObject().Field("hex", HexString(value)).EndObject();
}

void StoreBe(uint8_t* p, int n, uint64_t v) {
  for (int i = n - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

bool ParseUint(absl::string_view text, uint64_t max, uint64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (d > max || v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

}  // namespace internal
}  // namespace bgpy
