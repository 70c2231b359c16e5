// Copyright 2026 The bgpy Authors.
//
// opaque_rows.cc: rows for attributes bgpy names but does not decode: name
// and flags only, values shown as hex.
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy::internal {

// The RFC 7606 §3(c) default (treat-as-withdraw) applies unless the
// attribute's RFC says otherwise.

// RFC 6514 §5 optional transitive.
extern const AttributeDesc kPmsiTunnelDesc = {
    .code = static_cast<uint8_t>(AttrCode::kPmsiTunnel),
    .name = "PMSI_TUNNEL",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = nullptr,
    .format = nullptr,
};
// RFC 9012 §2 optional transitive.
extern const AttributeDesc kTunnelEncapsulationDesc = {
    .code = static_cast<uint8_t>(AttrCode::kTunnelEncapsulation),
    .name = "TUNNEL_ENCAPSULATION",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = nullptr,
    .format = nullptr,
};
// RFC 8205 §3 optional non-transitive; §5.2 treat-as-withdraw.
extern const AttributeDesc kBgpsecPathDesc = {
    .code = static_cast<uint8_t>(AttrCode::kBgpsecPath),
    .name = "BGPSEC_PATH",
    .flags = kAttrOptional,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = nullptr,
    .format = nullptr,
};
// RFC 8669 §3 optional transitive; §6 attribute discard.
extern const AttributeDesc kPrefixSidDesc = {
    .code = static_cast<uint8_t>(AttrCode::kPrefixSid),
    .name = "PREFIX_SID",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = nullptr,
    .format = nullptr,
};
// RFC 6368 §4 optional transitive.
extern const AttributeDesc kAttrSetDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAttrSet),
    .name = "ATTR_SET",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = nullptr,
    .format = nullptr,
};

}  // namespace bgpy::internal
