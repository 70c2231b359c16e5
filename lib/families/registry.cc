// Copyright 2026 The bgpy Authors.
//
// The family table and everything derived from it: lookups, names, the list
// of decoded families, and the typed-value entry points.
#include "families/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "attributes/internal.h"
#include "bgpy/hex.h"

namespace bgpy {

absl::Span<const FamilyDesc* const> RegisteredFamilies() {
  static const FamilyDesc* const kRows[] = {
#define BGPY_FAMILY(row) &internal::row,
#include "families/registry.inc"
#undef BGPY_FAMILY
  };
  return kRows;
}

const FamilyDesc* FindFamily(Family f) {
  // The two unicast rows come first and are by far the most looked up.
  for (const FamilyDesc* d : RegisteredFamilies()) {
    if (d->family == f) return d;
  }
  return nullptr;
}

const FamilyDesc* FindFamilyByName(absl::string_view name) {
  for (const FamilyDesc* d : RegisteredFamilies()) {
    if (name == d->name) return d;
  }
  return nullptr;
}

std::vector<Family> DecodedFamilies() {
  std::vector<Family> out;
  for (const FamilyDesc* d : RegisteredFamilies()) {
    if (!d->opaque) out.push_back(d->family);
  }
  return out;
}

std::string FamilyName(Family f) {
  if (const FamilyDesc* d = FindFamily(f)) return d->name;
  return absl::StrCat("afi-", static_cast<uint16_t>(f.afi), "-safi-",
                      static_cast<int>(f.safi));
}

absl::StatusOr<Family> ParseFamily(absl::string_view name) {
  if (const FamilyDesc* d = FindFamilyByName(name)) return d->family;
  // "afi-N-safi-M", as FamilyName() prints unknown pairs.
  absl::string_view rest = name;
  if (absl::ConsumePrefix(&rest, "afi-")) {
    size_t dash = rest.find("-safi-");
    uint64_t afi, safi;
    if (dash != absl::string_view::npos &&
        internal::ParseUint(rest.substr(0, dash), 0xffff, afi) &&
        internal::ParseUint(rest.substr(dash + 6), 0xff, safi)) {
      return Family(static_cast<uint16_t>(afi), static_cast<uint8_t>(safi));
    }
  }
  std::string names;
  for (const FamilyDesc* d : RegisteredFamilies()) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", d->name);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown address family \"",
                                                 name, "\" (one of ", names,
                                                 ", or afi-N-safi-M)"));
}

absl::Status DecodeNlri(Family f, wire::Bytes entry, NlriValue& out) {
  if (const FamilyDesc* d = FindFamily(f)) return d->decode(entry, out);
  return internal::DecodeOpaque(entry, out);
}

std::string NlriText(Family f, const NlriValue& v) {
  std::string out;
  if (const FamilyDesc* d = FindFamily(f)) {
    d->text(v, out);
  } else {
    internal::OpaqueText(v, out);
  }
  return out;
}

absl::StatusOr<NlriValue> ParseNlri(Family f, absl::string_view text) {
  if (const FamilyDesc* d = FindFamily(f)) return d->parse(text);
  return internal::ParseOpaque(text);
}

bool EncodeNlri(Family f, const NlriValue& v, wire::Writer& w) {
  if (const FamilyDesc* d = FindFamily(f)) return d->encode(v, w);
  return internal::EncodeOpaque(v, w);
}

}  // namespace bgpy
