// Copyright 2026 The bgpy Authors.
//
// Opaque NLRI: a family without a row (RFC 4760 AFI/SAFI bgpy does not
// know) keeps its whole NLRI field as one OpaqueNlri entry, shown as hex and
// re-encoded as found. Rows fall back to these for a value of another type.
#include "absl/strings/str_cat.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "families/registry.h"

namespace bgpy::internal {

absl::Status DecodeOpaque(wire::Bytes entry, NlriValue& out) {
  OpaqueNlri o;
  o.bytes.assign(entry.begin(), entry.end());
  out = std::move(o);
  return absl::OkStatus();
}

bool EncodeOpaque(const NlriValue& v, wire::Writer& w) {
  const OpaqueNlri* o = std::get_if<OpaqueNlri>(&v);
  return o != nullptr &&
         w.WriteBytes(wire::Bytes(o->bytes.data(), o->bytes.size()));
}

absl::StatusOr<NlriValue> ParseOpaque(absl::string_view text) {
  absl::StatusOr<std::vector<uint8_t>> bytes = ParseHex(text);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "NLRI of this family is given as hex: ", bytes.status().message()));
  }
  OpaqueNlri o;
  o.bytes.assign(bytes->begin(), bytes->end());
  return NlriValue(std::move(o));
}

void OpaqueText(const NlriValue& v, std::string& out) {
  if (const OpaqueNlri* o = std::get_if<OpaqueNlri>(&v)) {
    AppendHex(&out, wire::Bytes(o->bytes.data(), o->bytes.size()));
  }
}

void OpaqueJson(const NlriValue& v, JsonWriter& j) {
  std::string hex;
  OpaqueText(v, hex);
  j.Field("hex", hex);
}

}  // namespace bgpy::internal
