// Copyright 2026 The bgpy Authors.
//
// ext_community_kinds.h: the table of extended community kinds (RFC 4360
// and the registries built on it): how each kind is recognised, written as
// operator text and parsed back. ExtendedCommunity::ToString and ::Parse are
// loops over it; a kind nobody registered is written "0xTT:0xSS:HEX12".
// A new kind is one row in its own file (route targets in
// ext_communities.cc; EVPN and FlowSpec kinds beside their families) and
// one line in ext_community_kinds.inc. Not installed.
#ifndef BGPY_LIB_ATTRIBUTES_EXT_COMMUNITY_KINDS_H_
#define BGPY_LIB_ATTRIBUTES_EXT_COMMUNITY_KINDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bgpy/attributes.h"

namespace bgpy::internal {

struct ExtCommunityKind {
  // The word operator text starts with ("rt" in "rt:65000:1"), and another
  // word Parse takes for it (nullptr for none).
  const char* tag;
  const char* alias;
  // What Parse's error message shows for this kind ("rt:ASN:N").
  const char* form;
  // True if `c` is of this kind (type, subtype and, where it matters,
  // value). The first matching row in registry order writes the text.
  bool (*match)(const ExtendedCommunity& c);
  // Appends the whole text of `c`, tag included ("rt:65000:1").
  void (*text)(const ExtendedCommunity& c, std::string& out);
  // Parses the whole text (tag included, as `text` writes it).
  // kInvalidArgument naming the problem.
  absl::StatusOr<ExtendedCommunity> (*parse)(absl::string_view text);
};

#define BGPY_EXT_COMMUNITY(row) extern const ExtCommunityKind row;
#include "attributes/ext_community_kinds.inc"
#undef BGPY_EXT_COMMUNITY

// Every row, in registry order.
absl::Span<const ExtCommunityKind* const> ExtCommunityKinds();

}  // namespace bgpy::internal

#endif  // BGPY_LIB_ATTRIBUTES_EXT_COMMUNITY_KINDS_H_
