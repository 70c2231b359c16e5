// Copyright 2026 The bgpy Authors.
//
// internal.h: helpers shared by the attribute rows (lib/attributes/*.cc).
// Not installed.
#ifndef BGPY_LIB_ATTRIBUTES_INTERNAL_H_
#define BGPY_LIB_ATTRIBUTES_INTERNAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "bgpy/wire.h"

namespace bgpy::internal {

// Every row, declared for registry.inc (defined in lib/attributes/<x>.cc).
#define BGPY_ATTRIBUTE(desc) extern const AttributeDesc desc;
#include "attributes/registry.inc"
#undef BGPY_ATTRIBUTE

// The attribute re-encoded with its canonical flags, used as the data of an
// RFC 4271 §6.3 NOTIFICATION ("the erroneous attribute (type, length and
// value)"). The caller may substitute the attribute exactly as received.
std::vector<uint8_t> CanonicalAttributeBytes(uint8_t code, wire::Bytes value);

// An UPDATE error (3/subcode) whose data is the attribute.
absl::Status AttrError(UpdateSubcode subcode, AttrCode code, wire::Bytes value,
                       absl::string_view message);
// The 3/5 Attribute Length Error of the two checks below (out of line: the
// checks run for every attribute of every UPDATE and are inlined).
absl::Status FixedLengthError(AttrCode code, wire::Bytes value, size_t want);
absl::Status ListLengthError(AttrCode code, wire::Bytes value, size_t unit);
// 3/5 Attribute Length Error unless value.size() == want.
inline absl::Status CheckFixedLength(AttrCode code, wire::Bytes value,
                                     size_t want) {
  if (ABSL_PREDICT_TRUE(value.size() == want)) return absl::OkStatus();
  return FixedLengthError(code, value, want);
}
// 3/5 unless value.size() is a non-zero multiple of `unit` (RFC 7606 §7).
inline absl::Status CheckListLength(AttrCode code, wire::Bytes value,
                                    size_t unit) {
  if (ABSL_PREDICT_TRUE(!value.empty() && value.size() % unit == 0)) {
    return absl::OkStatus();
  }
  return ListLengthError(code, value, unit);
}

// Session params from a context (4-octet AS when none given).
bool FourOctetAs(const AttrContext& ctx);

// Writes attribute `code` with its row's canonical flags; the value is what
// `write_value(wire::Writer&)` writes (it returns false on failure). False if
// `w` is full or the value does not fit.
template <typename F>
bool WriteAttribute(AttrCode code, const F& write_value, wire::Writer& w) {
  const uint8_t c = static_cast<uint8_t>(code);
  std::vector<uint8_t> value;
  {
    wire::Writer vw(&value);
    if (!write_value(vw) || !vw.ok()) return false;
  }
  return EncodeAttribute(LookupAttribute(c)->flags, c, value, w);
}

// Text and JSON of an operator string list ("a b c" / ["a","b","c"]).
void AppendJoined(const std::vector<std::string>& items, std::string& out);
void WriteStringArray(const std::vector<std::string>& items, JsonWriter& j);

// Shared hooks for rows without a typed field in PathAttributes (the value
// stays in PathAttributes::others): any value is accepted, decode declines,
// encode writes nothing (`others` is encoded by EncodePathAttributes), text
// is the hex ("(empty)" for no value) and JSON is {"hex":"..."}.
absl::Status RawValidate(wire::Bytes value, const AttrContext& ctx);
bool RawDecode(wire::Bytes value, const AttrContext& ctx, PathAttributes& out);
bool RawEncode(const PathAttributes& a, const AttrContext& ctx,
               wire::Writer& w);
void RawText(wire::Bytes value, const AttrContext& ctx, std::string& out);
void RawJson(wire::Bytes value, const AttrContext& ctx, JsonWriter& j);

// Reads a big-endian integer of `n` (<= 8) bytes from `p`.
inline uint64_t LoadBe(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}
void StoreBe(uint8_t* p, int n, uint64_t v);

// Parses a decimal number no larger than `max`.
bool ParseUint(absl::string_view text, uint64_t max, uint64_t& out);

}  // namespace bgpy::internal

#endif  // BGPY_LIB_ATTRIBUTES_INTERNAL_H_
