// Copyright 2026 The bgpy Authors.
//
// update_fuzzer: octet 0 picks the SessionParams (bit 0 four_octet_as,
// bit 1 extended_message, bit 2 ADD-PATH for IPv4 unicast, bit 3 ADD-PATH
// for IPv6 unicast, bit 4 ADD-PATH for IPv4 multicast, bit 5 external:
// eBGP, so LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST are discarded, RFC 7606
// §7.5, §7.9, §7.10); octet 1 is spare
// (bit 0: parse without collecting findings as well). The rest is one whole
// UPDATE message, header included (routecore fuzzes (bytes, SessionConfig)).
//
// Properties:
//  - UpdateView::Parse never crashes; on an UPDATE (type 2, at least a
//    header) it fails only with a NOTIFICATION (kSessionReset), and a failure
//    or success does not depend on whether findings are collected, and the
//    verdict is the strongest finding's;
//  - with `external`, LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST are never
//    found (RFC 7606 §7.5, §7.9, §7.10);
//  - iterating attributes, withdrawn routes, NLRI and MP NLRI, the typed
//    getters and DecodePathAttributes stay in bounds;
//  - a clean message (verdict kOk) survives ToOwned -> EncodeUpdate byte for
//    byte, and DecodeUpdate agrees with ToOwned.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/update.h"
#include "fuzz_check.h"

namespace bgpy::fuzz {
namespace {

// Touches every entry of `nlri`; checks IP entries decode.
size_t WalkNlri(const NlriView& nlri) {
  size_t n = 0;
  const FamilyDesc* desc = FindFamily(nlri.family());
  for (const NlriEntryView& e : nlri) {
    ++n;
    FUZZ_CHECK(e.path_id.has_value() == nlri.add_path(),
               "path id presence differs from the ADD-PATH setting");
    if (desc != nullptr && desc->prefix_bits != 0) {
      FUZZ_CHECK(!e.bytes.empty(), "empty IP prefix entry");
      absl::StatusOr<Prefix> p = DecodeIpPrefix(nlri.family().afi, e.bytes);
      FUZZ_CHECK(p.ok(), "a checked IP prefix entry does not decode");
      const Prefix q = IpPrefixOf(nlri.family().afi, e.bytes);
      FUZZ_CHECK(*p == q, "DecodeIpPrefix and IpPrefixOf disagree");
    }
    (void)FormatNlriEntry(nlri.family(), e.bytes);
  }
  FUZZ_CHECK(n == nlri.size(), "NlriView::size() disagrees with iteration");
  return n;
}

void Check(wire::Bytes msg, const SessionParams& params, bool twice) {
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(msg, params, &findings);
  if (twice) {
    absl::StatusOr<UpdateView> w = UpdateView::Parse(msg, params);
    FUZZ_CHECK(w.ok() == v.ok(), "Parse depends on collecting findings");
    if (v.ok()) {
      FUZZ_CHECK(w->verdict() == v->verdict(),
                 "verdict depends on collecting findings");
    }
  }
  absl::StatusOr<Update> owned = DecodeUpdate(msg, params);
  FUZZ_CHECK(owned.ok() == v.ok(), "DecodeUpdate and Parse disagree");
  if (!v.ok()) {
    // Shorter than a header or another message type is the caller's
    // mistake (kInvalidArgument, no payload); anything else is peer input.
    if (msg.size() >= kHeaderSize &&
        msg[18] == static_cast<uint8_t>(MessageType::kUpdate)) {
      FUZZ_CHECK(GetNotification(v.status()).has_value(),
                 "Parse failed without a NOTIFICATION");
    }
    return;
  }
  const UpdateView& u = *v;
  // The strongest action wins (findings of kOk are notes, e.g. an ignored
  // NEXT_HOP).
  Verdict strongest = Verdict::kOk;
  for (const Finding& f : findings) {
    if (f.verdict > strongest) strongest = f.verdict;
  }
  FUZZ_CHECK(strongest == u.verdict(), "verdict is not the strongest finding");
  FUZZ_CHECK(u.verdict() != Verdict::kSessionReset,
             "Parse succeeded with kSessionReset");
  // RFC 7606 §7.5, §7.9, §7.10: from an external peer these are never
  // handed out.
  if (params.external) {
    FUZZ_CHECK(!u.local_pref().has_value() &&
                   !u.Find(AttrCode::kLocalPref).has_value() &&
                   !u.Find(AttrCode::kOriginatorId).has_value() &&
                   !u.Find(AttrCode::kClusterList).has_value(),
               "an eBGP-only discard was handed out");
  }

  // Attributes: every one in order, formatted through its row.
  for (const AttributeView& a : u.attributes()) {
    FUZZ_CHECK(a.raw.size() >= a.value.size() + 3, "raw shorter than value");
    (void)LookupAttribute(a.code);
    (void)AttributeName(a.code);
    (void)FormatAttributeValue(a.code, a.value, params);
    (void)u.discarded(a.code);
    std::optional<AttributeView> f = u.Find(a.code);
    if (f.has_value()) {
      FUZZ_CHECK(f->code == a.code, "Find returned another code");
    }
  }
  WalkNlri(u.withdrawn());
  WalkNlri(u.nlri());
  if (auto n = u.mp_reach_nlri()) WalkNlri(*n);
  if (auto n = u.mp_unreach_nlri()) WalkNlri(*n);

  // Typed getters.
  if (auto o = u.origin()) (void)OriginName(*o);
  if (auto p = u.as_path()) {
    (void)p->ToString();
    (void)p->Length();
  }
  if (auto nh = u.next_hop()) (void)nh->ToString();
  (void)u.med();
  (void)u.local_pref();
  if (auto r = u.mp_reach()) {
    absl::StatusOr<MpNextHop> nh = DecodeMpNextHop(r->next_hop);
    if (nh.ok()) (void)nh->ToString();
  }
  (void)u.mp_unreach();
  if (auto f = u.end_of_rib()) (void)FamilyName(*f);

  const PathAttributes typed =
      DecodePathAttributes(u.attributes_bytes(), params);
  (void)typed;

  // Owned form and back.
  const Update mine = u.ToOwned();
  FUZZ_CHECK(mine == *owned, "DecodeUpdate differs from ToOwned");
  if (u.verdict() == Verdict::kOk) {
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      FUZZ_CHECK(EncodeUpdate(mine, params, w).ok(),
                 "a clean UPDATE does not re-encode");
    }
    FUZZ_CHECK_BYTES(msg, wire::Bytes(out), "re-encoded UPDATE differs");
  }
}

}  // namespace
}  // namespace bgpy::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bgpy::SessionParams params = bgpy::fuzz::ParamsFrom(data[0]);
  const bool twice = (data[1] & 0x01) != 0;
  bgpy::fuzz::Check(bgpy::wire::Bytes(data + 2, size - 2), params, twice);
  return 0;
}
