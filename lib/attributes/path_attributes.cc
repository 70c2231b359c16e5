// Copyright 2026 The bgpy Authors.
//
// path_attributes.cc: the typed bundle (PathAttributes) to and from an
// attribute field, as loops over the rows of registry.inc: each row's
// decode fills its field and its encode writes it, so nothing here knows
// an attribute code.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {

PathAttributes DecodePathAttributes(wire::Bytes attrs,
                                    const SessionParams& params) {
  const AttrContext ctx{&params};
  PathAttributes out;
  for (AttributeIterator it(attrs), end; it != end; ++it) {
    const AttributeView& a = *it;
    // MP_REACH_NLRI / MP_UNREACH_NLRI carry routes, not attributes: the
    // routes are read through UpdateView, and the bundle does not keep them.
    if (a.code == static_cast<uint8_t>(AttrCode::kMpReachNlri) ||
        a.code == static_cast<uint8_t>(AttrCode::kMpUnreachNlri)) {
      continue;
    }
    const AttributeDesc* desc = LookupAttribute(a.code);
    // RFC 7606 §7.5, §7.9, §7.10: from an external peer these are
    // discarded (UpdateView::Parse), so never typed.
    const bool external_discard =
        params.external &&
        (a.code == static_cast<uint8_t>(AttrCode::kLocalPref) ||
         a.code == static_cast<uint8_t>(AttrCode::kOriginatorId) ||
         a.code == static_cast<uint8_t>(AttrCode::kClusterList));
    // Unknown, malformed, untyped, repeated or discarded: kept as found.
    if (desc == nullptr || external_discard ||
        !desc->validate(a.value, ctx).ok() ||
        !desc->decode(a.value, ctx, out)) {
      out.others.push_back(PathAttribute::FromView(a));
    }
  }
  return out;
}

bool EncodePathAttributes(const PathAttributes& a, const SessionParams& params,
                          wire::Writer& w) {
  const AttrContext ctx{&params};
  // `others` goes out merged in type-code order; of the same code, the
  // row's own attribute first.
  std::vector<const PathAttribute*> others;
  others.reserve(a.others.size());
  for (const PathAttribute& o : a.others) others.push_back(&o);
  std::stable_sort(others.begin(), others.end(),
                   [](const PathAttribute* x, const PathAttribute* y) {
                     return x->code < y->code;
                   });
  auto next = others.begin();
  auto write_others_below = [&](int code) {
    for (; next != others.end() && (*next)->code < code; ++next) {
      if (!EncodeAttribute(**next, w)) return false;
    }
    return true;
  };
  // The rows in type-code order (LookupAttribute's row of each code),
  // found once: not 256 lookups per attribute list.
  static const std::vector<const AttributeDesc*>* const rows = [] {
    auto* v = new std::vector<const AttributeDesc*>;
    for (int code = 0; code < 256; ++code) {
      const AttributeDesc* desc = LookupAttribute(static_cast<uint8_t>(code));
      if (desc != nullptr) v->push_back(desc);
    }
    return v;
  }();
  for (const AttributeDesc* desc : *rows) {
    if (!write_others_below(desc->code) || !desc->encode(a, ctx, w))
      return false;
  }
  return write_others_below(256) && w.ok();
}

}  // namespace bgpy
