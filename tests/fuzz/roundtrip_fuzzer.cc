// Copyright 2026 The bgpy Authors.
//
// roundtrip_fuzzer: decode -> owned -> encode -> decode gives equal owned
// values (STYLE.md §8; quiche's WriterAndReaderStayInSync). Octet 0 picks
// the SessionParams as in update_fuzzer (bit 0 four_octet_as, bit 1
// extended_message, bit 2/3/4 ADD-PATH for IPv4 unicast / IPv6 unicast /
// IPv4 multicast); the rest is one whole message.
//
// Properties, whenever the first decode succeeds:
//  - Message: DecodeMessage(EncodeMessage(m)) == m;
//  - UPDATE (any verdict short of a reset): ToOwned -> EncodeUpdate ->
//    Parse succeeds with the same verdict and ToOwned gives the same Update;
//  - typed attributes of a clean UPDATE: DecodePathAttributes ->
//    EncodePathAttributes -> DecodePathAttributes is the identity (up to the
//    order of `others`, which comes back in code order), and so is
//    decode -> encode -> decode of AS_PATH, AS4_PATH, AGGREGATOR,
//    AS4_AGGREGATOR and AIGP values;
//  - IP prefixes: DecodeIpPrefix -> EncodeIpPrefix -> DecodeIpPrefix.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
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

void CheckMessage(wire::Bytes in, const SessionParams& params) {
  absl::StatusOr<Message> m = DecodeMessage(in, params);
  if (!m.ok()) return;
  absl::StatusOr<std::vector<uint8_t>> b = EncodeMessage(*m, params);
  FUZZ_CHECK(b.ok(), "a decoded message does not encode");
  absl::StatusOr<Message> again = DecodeMessage(*b, params);
  FUZZ_CHECK(again.ok(), "an encoded message does not decode");
  FUZZ_CHECK(*again == *m, "decode(encode(m)) != m");
  // Accessors of the owned forms.
  if (const Open* o = std::get_if<Open>(&*m)) {
    (void)o->EffectiveAs();
    (void)o->Capabilities();
  } else if (const Notification* n = std::get_if<Notification>(&*m)) {
    (void)n->ShutdownMessage();
    (void)n->HardResetCause();
    (void)n->Describe();
  }
}

void CheckPrefixes(const NlriView& nlri) {
  const FamilyDesc* desc = FindFamily(nlri.family());
  if (desc == nullptr || desc->prefix_bits == 0) return;
  for (const NlriEntryView& e : nlri) {
    absl::StatusOr<Prefix> p = DecodeIpPrefix(nlri.family().afi, e.bytes);
    FUZZ_CHECK(p.ok(), "a checked prefix entry does not decode");
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      FUZZ_CHECK(EncodeIpPrefix(*p, w), "a prefix does not encode");
    }
    FUZZ_CHECK(out.size() == IpPrefixEncodedSize(*p),
               "IpPrefixEncodedSize is wrong");
    absl::StatusOr<Prefix> q = DecodeIpPrefix(nlri.family().afi, out);
    FUZZ_CHECK(q.ok() && *q == *p, "prefix round trip differs");
  }
}

template <typename T, typename Decode, typename Encode>
void CheckValue(wire::Bytes value, Decode decode, Encode encode) {
  absl::StatusOr<T> a = decode(value);
  if (!a.ok()) return;
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    FUZZ_CHECK(encode(*a, w), "a decoded attribute value does not encode");
  }
  absl::StatusOr<T> b = decode(wire::Bytes(out));
  FUZZ_CHECK(b.ok(), "an encoded attribute value does not decode");
  FUZZ_CHECK(*b == *a, "attribute value round trip differs");
}

void CheckTypedAttributes(const UpdateView& u, const SessionParams& params) {
  const bool four = params.four_octet_as;
  for (const AttributeView& a : u.attributes()) {
    switch (static_cast<AttrCode>(a.code)) {
      case AttrCode::kAsPath:
      case AttrCode::kAs4Path: {
        const bool f =
            a.code == static_cast<uint8_t>(AttrCode::kAs4Path) || four;
        CheckValue<AsPath>(
            a.value, [f](wire::Bytes v) { return DecodeAsPath(v, f); },
            [f](const AsPath& p, wire::Writer& w) {
              return EncodeAsPath(p, f, w);
            });
        break;
      }
      case AttrCode::kAggregator:
      case AttrCode::kAs4Aggregator: {
        const bool f =
            a.code == static_cast<uint8_t>(AttrCode::kAs4Aggregator) || four;
        CheckValue<Aggregator>(
            a.value, [f](wire::Bytes v) { return DecodeAggregator(v, f); },
            [f](const Aggregator& g, wire::Writer& w) {
              return EncodeAggregator(g, f, w);
            });
        break;
      }
      case AttrCode::kAigp:
        CheckValue<Aigp>(
            a.value, [](wire::Bytes v) { return DecodeAigp(v); },
            [](const Aigp& g, wire::Writer& w) { return EncodeAigp(g, w); });
        break;
      default:
        break;
    }
  }
  const PathAttributes typed =
      DecodePathAttributes(u.attributes_bytes(), params);
  std::vector<uint8_t> enc;
  {
    wire::Writer w(&enc);
    FUZZ_CHECK(EncodePathAttributes(typed, params, w),
               "decoded path attributes do not encode");
  }
  PathAttributes again = DecodePathAttributes(enc, params);
  // EncodePathAttributes writes in type-code order, so `others` comes back
  // sorted by code: compare it as a multiset.
  PathAttributes want = typed;
  auto by_code = [](const PathAttribute& a, const PathAttribute& b) {
    return std::tie(a.code, a.flags, a.value) <
           std::tie(b.code, b.flags, b.value);
  };
  std::sort(want.others.begin(), want.others.end(), by_code);
  std::sort(again.others.begin(), again.others.end(), by_code);
  FUZZ_CHECK(again == want, "path attributes round trip differs");
}

void CheckUpdate(wire::Bytes in, const SessionParams& params) {
  std::vector<Finding> findings;
  absl::StatusOr<UpdateView> v = UpdateView::Parse(in, params, &findings);
  if (!v.ok()) return;
  const Update owned = v->ToOwned();
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    if (!EncodeUpdate(owned, params, w).ok()) {
      FUZZ_CHECK(false, "an UPDATE that parsed does not re-encode");
    }
  }
  std::vector<Finding> findings2;
  absl::StatusOr<UpdateView> v2 = UpdateView::Parse(out, params, &findings2);
  FUZZ_CHECK(v2.ok(), "a re-encoded UPDATE does not parse");
  FUZZ_CHECK(v2->verdict() == v->verdict(), "verdict changed on re-encoding");
  FUZZ_CHECK(v2->ToOwned() == owned, "owned UPDATE changed on re-encoding");

  CheckPrefixes(v->withdrawn());
  CheckPrefixes(v->nlri());
  if (auto n = v->mp_reach_nlri()) CheckPrefixes(*n);
  if (auto n = v->mp_unreach_nlri()) CheckPrefixes(*n);
  if (v->verdict() == Verdict::kOk) CheckTypedAttributes(*v, params);
}

}  // namespace
}  // namespace bgpy::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bgpy::SessionParams params = bgpy::fuzz::ParamsFrom(data[0]);
  const bgpy::wire::Bytes in(data + 1, size - 1);
  bgpy::fuzz::CheckMessage(in, params);
  if (in.size() > 18 &&
      in[18] == static_cast<uint8_t>(bgpy::MessageType::kUpdate)) {
    bgpy::fuzz::CheckUpdate(in, params);
  }
  return 0;
}
