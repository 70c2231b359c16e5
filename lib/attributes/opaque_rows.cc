// Copyright 2026 The bgpy Authors.
//
// opaque_rows.cc: rows for attributes bgpy names but does not decode: any
// value is accepted and kept in PathAttributes::others, and shown as hex
// (the shared raw hooks of internal.h).
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy::internal {

// The RFC 7606 §3(c) default (treat-as-withdraw) applies unless the
// attribute's RFC says otherwise.

// RFC 9012 §2 optional transitive.
extern const AttributeDesc kTunnelEncapsulationDesc = {
    .code = static_cast<uint8_t>(AttrCode::kTunnelEncapsulation),
    .name = "TUNNEL_ENCAPSULATION",
    .json_key = "tunnel_encapsulation",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &RawValidate,
    .decode = &RawDecode,
    .encode = &RawEncode,
    .text = &RawText,
    .json = &RawJson,
};
// RFC 8205 §3 optional non-transitive; §5.2 treat-as-withdraw.
extern const AttributeDesc kBgpsecPathDesc = {
    .code = static_cast<uint8_t>(AttrCode::kBgpsecPath),
    .name = "BGPSEC_PATH",
    .json_key = "bgpsec_path",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &RawValidate,
    .decode = &RawDecode,
    .encode = &RawEncode,
    .text = &RawText,
    .json = &RawJson,
};
// RFC 6368 §4 optional transitive.
extern const AttributeDesc kAttrSetDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAttrSet),
    .name = "ATTR_SET",
    .json_key = "attr_set",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &RawValidate,
    .decode = &RawDecode,
    .encode = &RawEncode,
    .text = &RawText,
    .json = &RawJson,
};

}  // namespace bgpy::internal
