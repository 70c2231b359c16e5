// Copyright 2026 The bgpy Authors.
//
// path_attributes.cc: the typed bundle (PathAttributes) to and from an
// attribute field.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

uint32_t U32(wire::Bytes v) {
  return static_cast<uint32_t>(internal::LoadBe(v.data(), 4));
}

bool NeedsAs4(const AsPath& p) {
  for (const AsPathSegment& s : p.segments) {
    for (uint32_t asn : s.asns) {
      if (asn > 0xffff) return true;
    }
  }
  return false;
}

// Decodes one attribute into `out`. False if it has no typed field, its
// field is already set, or its value does not decode.
bool DecodeTyped(const AttributeView& a, const SessionParams& params,
                 PathAttributes& out) {
  const AttributeDesc* desc = LookupAttribute(a.code);
  if (desc == nullptr) return false;
  AttrContext ctx{&params};
  if (desc->validate != nullptr && !desc->validate(a.value, ctx).ok()) {
    return false;
  }
  switch (static_cast<AttrCode>(a.code)) {
    case AttrCode::kOrigin:
      if (out.origin) return false;
      out.origin = static_cast<Origin>(a.value[0]);
      return true;
    case AttrCode::kAsPath: {
      if (out.as_path) return false;
      auto p = DecodeAsPath(a.value, params.four_octet_as);
      if (!p.ok()) return false;
      out.as_path = *std::move(p);
      return true;
    }
    case AttrCode::kNextHop:
      if (out.next_hop) return false;
      out.next_hop = IpAddress::V4(U32(a.value));
      return true;
    case AttrCode::kMultiExitDisc:
      if (out.med) return false;
      out.med = U32(a.value);
      return true;
    case AttrCode::kLocalPref:
      if (out.local_pref) return false;
      out.local_pref = U32(a.value);
      return true;
    case AttrCode::kAtomicAggregate:
      if (out.atomic_aggregate) return false;
      out.atomic_aggregate = true;
      return true;
    case AttrCode::kAggregator: {
      if (out.aggregator) return false;
      auto g = DecodeAggregator(a.value, params.four_octet_as);
      if (!g.ok()) return false;
      out.aggregator = *g;
      return true;
    }
    case AttrCode::kCommunities: {
      if (!out.communities.empty()) return false;
      auto l = DecodeU32List(a.value);
      if (!l.ok()) return false;
      out.communities = *std::move(l);
      return true;
    }
    case AttrCode::kOriginatorId:
      if (out.originator_id) return false;
      out.originator_id = U32(a.value);
      return true;
    case AttrCode::kClusterList: {
      if (!out.cluster_list.empty()) return false;
      auto l = DecodeU32List(a.value);
      if (!l.ok()) return false;
      out.cluster_list = *std::move(l);
      return true;
    }
    case AttrCode::kExtendedCommunities: {
      if (!out.ext_communities.empty()) return false;
      auto l = DecodeExtendedCommunities(a.value);
      if (!l.ok()) return false;
      out.ext_communities = *std::move(l);
      return true;
    }
    case AttrCode::kAs4Path: {
      if (out.as4_path) return false;
      auto p = DecodeAsPath(a.value, /*four_octet=*/true);
      if (!p.ok()) return false;
      out.as4_path = *std::move(p);
      return true;
    }
    case AttrCode::kAs4Aggregator: {
      if (out.as4_aggregator) return false;
      auto g = DecodeAggregator(a.value, /*four_octet=*/true);
      if (!g.ok()) return false;
      out.as4_aggregator = *g;
      return true;
    }
    case AttrCode::kIpv6ExtendedCommunities: {
      if (!out.ipv6_ext_communities.empty()) return false;
      auto l = DecodeIpv6ExtendedCommunities(a.value);
      if (!l.ok()) return false;
      out.ipv6_ext_communities = *std::move(l);
      return true;
    }
    case AttrCode::kAigp: {
      if (out.aigp) return false;
      auto g = DecodeAigp(a.value);
      if (!g.ok()) return false;
      out.aigp = *std::move(g);
      return true;
    }
    case AttrCode::kLargeCommunities: {
      if (!out.large_communities.empty()) return false;
      auto l = DecodeLargeCommunities(a.value);
      if (!l.ok()) return false;
      out.large_communities = *std::move(l);
      return true;
    }
    case AttrCode::kOtc:
      if (out.otc) return false;
      out.otc = U32(a.value);
      return true;
    default:
      return false;
  }
}

// Collects attributes to write, each with its canonical flags.
class Collector {
 public:
  // Starts a typed attribute; write its value into the returned writer.
  template <typename F>
  bool Add(AttrCode code, F&& write_value) {
    PathAttribute a;
    a.code = static_cast<uint8_t>(code);
    a.flags = LookupAttribute(a.code)->flags;
    wire::Writer w(&a.value);
    if (!write_value(w) || !w.ok()) return false;
    w.Finish();
    attrs_.push_back(std::move(a));
    return true;
  }
  void AddRaw(const PathAttribute& a) { attrs_.push_back(a); }
  bool WriteSorted(wire::Writer& w) {
    std::stable_sort(attrs_.begin(), attrs_.end(),
                     [](const PathAttribute& x, const PathAttribute& y) {
                       return x.code < y.code;
                     });
    for (const PathAttribute& a : attrs_) {
      if (!EncodeAttribute(a, w)) return false;
    }
    return w.ok();
  }

 private:
  std::vector<PathAttribute> attrs_;
};

}  // namespace

PathAttributes DecodePathAttributes(wire::Bytes attrs,
                                    const SessionParams& params) {
  PathAttributes out;
  for (AttributeIterator it(attrs), end; it != end; ++it) {
    const AttributeView& a = *it;
    if (a.code == static_cast<uint8_t>(AttrCode::kMpReachNlri) ||
        a.code == static_cast<uint8_t>(AttrCode::kMpUnreachNlri)) {
      continue;
    }
    if (!DecodeTyped(a, params, out)) {
      out.others.push_back(PathAttribute::FromView(a));
    }
  }
  return out;
}

bool EncodePathAttributes(const PathAttributes& a, const SessionParams& params,
                          wire::Writer& w) {
  const bool four = params.four_octet_as;
  Collector c;
  auto u32 = [](uint32_t v) {
    return [v](wire::Writer& w) { return w.WriteU32(v); };
  };
  auto u32_list = [](const std::vector<uint32_t>& l) {
    return [&l](wire::Writer& w) {
      for (uint32_t v : l) w.WriteU32(v);
      return w.ok();
    };
  };
  bool ok = true;
  if (a.origin) {
    ok &= c.Add(AttrCode::kOrigin, [&](wire::Writer& w) {
      return w.WriteU8(static_cast<uint8_t>(*a.origin));
    });
  }
  if (a.as_path) {
    ok &= c.Add(AttrCode::kAsPath, [&](wire::Writer& w) {
      return EncodeAsPath(*a.as_path, four, w);
    });
    // RFC 6793 §4.2.2: a NEW speaker talking to an OLD one sends the real
    // path in AS4_PATH, without confederation segments.
    if (!four && !a.as4_path && NeedsAs4(*a.as_path)) {
      AsPath as4;
      for (const AsPathSegment& s : a.as_path->segments) {
        if (s.type == AsSegmentType::kSequence ||
            s.type == AsSegmentType::kSet) {
          as4.segments.push_back(s);
        }
      }
      ok &= c.Add(AttrCode::kAs4Path, [&](wire::Writer& w) {
        return EncodeAsPath(as4, /*four_octet=*/true, w);
      });
    }
  }
  if (a.next_hop && a.next_hop->is_v4()) {
    ok &= c.Add(AttrCode::kNextHop, u32(a.next_hop->v4()));
  }
  if (a.med) ok &= c.Add(AttrCode::kMultiExitDisc, u32(*a.med));
  if (a.local_pref) ok &= c.Add(AttrCode::kLocalPref, u32(*a.local_pref));
  if (a.atomic_aggregate) {
    ok &= c.Add(AttrCode::kAtomicAggregate, [](wire::Writer&) { return true; });
  }
  if (a.aggregator) {
    ok &= c.Add(AttrCode::kAggregator, [&](wire::Writer& w) {
      return EncodeAggregator(*a.aggregator, four, w);
    });
    // RFC 6793 §4.2.2: AS4_AGGREGATOR carries the real ASN.
    if (!four && !a.as4_aggregator && a.aggregator->asn > 0xffff) {
      ok &= c.Add(AttrCode::kAs4Aggregator, [&](wire::Writer& w) {
        return EncodeAggregator(*a.aggregator, /*four_octet=*/true, w);
      });
    }
  }
  if (!a.communities.empty()) {
    ok &= c.Add(AttrCode::kCommunities, u32_list(a.communities));
  }
  if (a.originator_id) {
    ok &= c.Add(AttrCode::kOriginatorId, u32(*a.originator_id));
  }
  if (!a.cluster_list.empty()) {
    ok &= c.Add(AttrCode::kClusterList, u32_list(a.cluster_list));
  }
  if (!a.ext_communities.empty()) {
    ok &= c.Add(AttrCode::kExtendedCommunities, [&](wire::Writer& w) {
      for (const ExtendedCommunity& e : a.ext_communities) {
        w.WriteBytes(e.bytes);
      }
      return w.ok();
    });
  }
  if (a.as4_path) {
    ok &= c.Add(AttrCode::kAs4Path, [&](wire::Writer& w) {
      return EncodeAsPath(*a.as4_path, /*four_octet=*/true, w);
    });
  }
  if (a.as4_aggregator) {
    ok &= c.Add(AttrCode::kAs4Aggregator, [&](wire::Writer& w) {
      return EncodeAggregator(*a.as4_aggregator, /*four_octet=*/true, w);
    });
  }
  if (!a.ipv6_ext_communities.empty()) {
    ok &= c.Add(AttrCode::kIpv6ExtendedCommunities, [&](wire::Writer& w) {
      for (const Ipv6ExtendedCommunity& e : a.ipv6_ext_communities) {
        w.WriteBytes(e.bytes);
      }
      return w.ok();
    });
  }
  if (a.aigp) {
    ok &= c.Add(AttrCode::kAigp,
                [&](wire::Writer& w) { return EncodeAigp(*a.aigp, w); });
  }
  if (!a.large_communities.empty()) {
    ok &= c.Add(AttrCode::kLargeCommunities, [&](wire::Writer& w) {
      for (const LargeCommunity& l : a.large_communities) {
        w.WriteU32(l.global);
        w.WriteU32(l.local1);
        w.WriteU32(l.local2);
      }
      return w.ok();
    });
  }
  if (a.otc) ok &= c.Add(AttrCode::kOtc, u32(*a.otc));
  for (const PathAttribute& o : a.others) c.AddRaw(o);
  return ok && c.WriteSorted(w);
}

}  // namespace bgpy
