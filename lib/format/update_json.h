// Copyright 2026 The bgpy Authors.
//
// update_json.h (internal to bgpy::format): the JSON of an UPDATE written
// straight into a character buffer, for the renderers that run once per
// route (UpdateJson, the entries of MRT RIB records).
#ifndef BGPY_LIB_FORMAT_UPDATE_JSON_H_
#define BGPY_LIB_FORMAT_UPDATE_JSON_H_

#include "bgpy/update.h"
#include "format/fast_text.h"

namespace bgpy::format_internal {

// Appends what follows "peer" in the UPDATE's JSON object, from
// `,"type":"UPDATE","length":N` to the object's closing brace (no newline),
// byte for byte as the general renderer writes it, for the UPDATEs it
// covers: a clean verdict (no findings), IPv4 prefixes of one family, and
// attributes whose values are valid. Otherwise returns false with `out` as
// it was, and the caller renders through the general path. `only_route`,
// when given, is the UPDATE's one and only route (as the one-route UPDATEs
// of MRT RIB entries have): the routes are then not walked.
bool PutUpdateJsonTail(const UpdateView& view, const RouteView* only_route,
                       CharBuffer& out);

}  // namespace bgpy::format_internal

#endif  // BGPY_LIB_FORMAT_UPDATE_JSON_H_
