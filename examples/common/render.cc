// Copyright 2026 The bgpy Authors.
//
// render.cc: text / JSON / hex rendering of BGP messages for the tools.
#include "common/render.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bgpy/attributes.h"
#include "bgpy/capabilities.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/nlri.h"
#include "bgpy/types.h"
#include "bgpy/update.h"

namespace bgpy::tools {
namespace {

// --- A minimal JSON writer
// ----------------------------------------------------

// Appends JSON tokens with commas where needed. Compact (no spaces), so one
// message stays on one line.
class Json {
 public:
  Json& BeginObject() {
    Separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
  }
  Json& EndObject() {
    out_ += '}';
    first_.pop_back();
    return *this;
  }
  Json& BeginArray() {
    Separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
  }
  Json& EndArray() {
    out_ += ']';
    first_.pop_back();
    return *this;
  }
  Json& Key(absl::string_view k) {
    Separate();
    out_ += JsonString(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  Json& String(absl::string_view v) {
    Separate();
    out_ += JsonString(v);
    return *this;
  }
  Json& Number(uint64_t v) {
    Separate();
    absl::StrAppend(&out_, v);
    return *this;
  }
  Json& Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
    return *this;
  }
  Json& Null() {
    Separate();
    out_ += "null";
    return *this;
  }
  // An already-rendered JSON value.
  Json& Raw(absl::string_view v) {
    Separate();
    absl::StrAppend(&out_, v);
    return *this;
  }
  Json& Field(absl::string_view k, absl::string_view v) {
    return Key(k).String(v);
  }
  Json& Field(absl::string_view k, const char* v) { return Key(k).String(v); }
  Json& Field(absl::string_view k, const std::string& v) {
    return Key(k).String(v);
  }
  Json& Field(absl::string_view k, uint64_t v) { return Key(k).Number(v); }
  Json& Field(absl::string_view k, uint32_t v) { return Key(k).Number(v); }
  Json& Field(absl::string_view k, int v) {
    return Key(k).Number(static_cast<uint64_t>(v));
  }
  Json& Field(absl::string_view k, bool v) { return Key(k).Bool(v); }

  const std::string& str() const { return out_; }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

// --- Small formatters
// -----------------------------------------------------------

std::string FlagsText(uint8_t flags) {
  std::vector<const char*> names;
  if (flags & kAttrOptional) names.push_back("optional");
  if (flags & kAttrTransitive) names.push_back("transitive");
  if (flags & kAttrPartial) names.push_back("partial");
  if (flags & kAttrExtendedLength) names.push_back("extended-length");
  if (names.empty()) names.push_back("well-known");
  return absl::StrFormat("0x%02x [%s]", flags, absl::StrJoin(names, ", "));
}

const char* SegmentTypeName(AsSegmentType t) {
  switch (t) {
    case AsSegmentType::kSet:
      return "AS_SET";
    case AsSegmentType::kSequence:
      return "AS_SEQUENCE";
    case AsSegmentType::kConfedSequence:
      return "AS_CONFED_SEQUENCE";
    case AsSegmentType::kConfedSet:
      return "AS_CONFED_SET";
  }
  return "AS_SEGMENT_UNKNOWN";
}

const char* AddPathModeName(AddPathMode m) {
  switch (m) {
    case AddPathMode::kReceive:
      return "receive";
    case AddPathMode::kSend:
      return "send";
    case AddPathMode::kBoth:
      return "both";
  }
  return "invalid";
}

const char* RouteRefreshSubtypeName(uint8_t subtype) {
  switch (subtype) {
    case 0:
      return "request";  // RFC 2918 §3
    case 1:
      return "BoRR";  // RFC 7313 §3
    case 2:
      return "EoRR";  // RFC 7313 §3
    default:
      return "reserved";
  }
}

std::string FamilyText(Family f) {
  return absl::StrFormat("%s (afi %d, safi %d)", FamilyName(f),
                         static_cast<int>(f.afi), static_cast<int>(f.safi));
}

std::string AsPathText(const AsPath& p) {
  std::string s = p.ToString();
  return s.empty() ? "(empty)" : s;
}

void AsPathJson(const AsPath& p, Json& j) {
  j.BeginArray();
  for (const AsPathSegment& seg : p.segments) {
    j.BeginObject().Field("type", SegmentTypeName(seg.type)).Key("asns");
    j.BeginArray();
    for (uint32_t asn : seg.asns) j.Number(asn);
    j.EndArray().EndObject();
  }
  j.EndArray();
}

std::string TimeLine(const MessageMeta& meta) {
  std::string line = meta.time == absl::InfinitePast()
                         ? "(no timestamp)"
                         : FormatTimestamp(meta.time);
  if (!meta.peer.empty()) absl::StrAppend(&line, " peer ", meta.peer);
  return line;
}

void BeginJsonMessage(Json& j, const MessageMeta& meta, absl::string_view type,
                      size_t length) {
  j.BeginObject().Key("time");
  if (meta.time == absl::InfinitePast()) {
    j.Null();
  } else {
    j.String(FormatTimestamp(meta.time));
  }
  j.Key("peer");
  if (meta.peer.empty()) {
    j.Null();
  } else {
    j.String(meta.peer);
  }
  j.Field("type", type).Field("length", static_cast<uint64_t>(length));
}

// --- Attributes
// -------------------------------------------------------------------

// One attribute, rendered both ways.
struct AttrOut {
  std::string key;   // JSON key under "attributes"; empty: goes to "unknown"
  std::string json;  // the JSON value
  std::string text;  // the text value
  std::string error = {};  // why the typed decode failed, if it did
};

// The generic rendering: code, flags and hex (plus an error or note).
AttrOut Generic(const AttributeView& a, const SessionParams& params,
                absl::string_view error) {
  AttrOut out;
  const AttributeDesc* desc = LookupAttribute(a.code);
  Json j;
  j.BeginObject()
      .Field("code", static_cast<int>(a.code))
      .Field("flags", static_cast<int>(a.flags))
      .Field("hex", Hex(a.value));
  if (!error.empty()) {
    out.error = std::string(error);
    j.Field("error", error);
    out.text = absl::StrCat("malformed (", error,
                            "): ", a.value.empty() ? "(empty)" : Hex(a.value));
  } else if (desc != nullptr) {
    std::string value = FormatAttributeValue(a.code, a.value, params);
    j.Field("value", value);
    out.text = value;
  } else {
    out.text = a.value.empty() ? "(empty)" : Hex(a.value);
  }
  j.EndObject();
  out.json = j.str();
  if (desc != nullptr) out.key = absl::AsciiStrToLower(desc->name);
  return out;
}

std::optional<uint32_t> U32Value(wire::Bytes v) {
  wire::Reader r(v);
  uint32_t x = 0;
  if (v.size() != 4 || !r.ReadU32(x)) return std::nullopt;
  return x;
}

std::string MpNextHopText(wire::Bytes nh) {
  if (nh.empty()) return "";
  absl::StatusOr<MpNextHop> decoded = DecodeMpNextHop(nh);
  if (!decoded.ok()) return Hex(nh);
  return decoded->ToString();
}

template <typename T>
AttrOut StringList(std::string key, const std::vector<T>& items,
                   std::string (*fmt)(const T&), const char* sep = " ") {
  AttrOut out;
  out.key = std::move(key);
  Json j;
  j.BeginArray();
  std::vector<std::string> texts;
  for (const T& item : items) {
    texts.push_back(fmt(item));
    j.String(texts.back());
  }
  j.EndArray();
  out.json = j.str();
  out.text = absl::StrJoin(texts, sep);
  return out;
}

AttrOut DescribeAttribute(const AttributeView& a, const SessionParams& params) {
  AttrOut out;
  Json j;
  switch (static_cast<AttrCode>(a.code)) {
    case AttrCode::kOrigin: {  // RFC 4271 §4.3 a)
      if (a.value.size() != 1 || a.value[0] > 2)
        return Generic(a, params, "ORIGIN must be one octet 0..2");
      const char* name = OriginName(static_cast<Origin>(a.value[0]));
      return {"origin", JsonString(name), name};
    }
    case AttrCode::kAsPath:
    case AttrCode::kAs4Path: {  // RFC 4271 §4.3 b), RFC 6793 §3
      bool as4 = a.code == static_cast<uint8_t>(AttrCode::kAs4Path);
      absl::StatusOr<AsPath> path =
          DecodeAsPath(a.value, as4 || params.four_octet_as);
      if (!path.ok()) return Generic(a, params, path.status().message());
      AsPathJson(*path, j);
      return {as4 ? "as4_path" : "as_path", j.str(), AsPathText(*path)};
    }
    case AttrCode::kNextHop: {  // RFC 4271 §4.3 c)
      std::optional<uint32_t> v = U32Value(a.value);
      if (!v) return Generic(a, params, "NEXT_HOP must be 4 octets");
      std::string s = FormatIpv4(*v);
      return {"next_hop", JsonString(s), s};
    }
    case AttrCode::kMultiExitDisc:
    case AttrCode::kLocalPref:
    case AttrCode::kOtc: {  // RFC 4271 §4.3 d) e), RFC 9234 §5
      std::optional<uint32_t> v = U32Value(a.value);
      if (!v) return Generic(a, params, "value must be 4 octets");
      const char* key = a.code == 4   ? "med"
                        : a.code == 5 ? "local_pref"
                                      : "otc";
      return {key, absl::StrCat(*v), absl::StrCat(*v)};
    }
    case AttrCode::kAtomicAggregate:  // RFC 4271 §4.3 f)
      if (!a.value.empty())
        return Generic(a, params, "ATOMIC_AGGREGATE must be empty");
      return {"atomic_aggregate", "true", "present"};
    case AttrCode::kAggregator:
    case AttrCode::kAs4Aggregator: {  // RFC 4271 §4.3 g), RFC 6793 §3
      bool as4 = a.code == static_cast<uint8_t>(AttrCode::kAs4Aggregator);
      absl::StatusOr<Aggregator> agg =
          DecodeAggregator(a.value, as4 || params.four_octet_as);
      if (!agg.ok()) return Generic(a, params, agg.status().message());
      j.BeginObject()
          .Field("asn", agg->asn)
          .Field("address", FormatIpv4(agg->address))
          .EndObject();
      return {as4 ? "as4_aggregator" : "aggregator", j.str(),
              absl::StrCat("AS ", agg->asn, ", ", FormatIpv4(agg->address))};
    }
    case AttrCode::kCommunities: {  // RFC 1997
      absl::StatusOr<std::vector<uint32_t>> list = DecodeU32List(a.value);
      if (!list.ok()) return Generic(a, params, list.status().message());
      j.BeginArray();
      std::vector<std::string> texts;
      for (uint32_t c : *list) {
        j.String(FormatCommunity(c));
        texts.push_back(FormatCommunity(c, /*names=*/true));
      }
      j.EndArray();
      return {"communities", j.str(), absl::StrJoin(texts, " ")};
    }
    case AttrCode::kOriginatorId: {  // RFC 4456 §8
      std::optional<uint32_t> v = U32Value(a.value);
      if (!v) return Generic(a, params, "ORIGINATOR_ID must be 4 octets");
      std::string s = FormatIpv4(*v);
      return {"originator_id", JsonString(s), s};
    }
    case AttrCode::kClusterList: {  // RFC 4456 §8
      absl::StatusOr<std::vector<uint32_t>> list = DecodeU32List(a.value);
      if (!list.ok()) return Generic(a, params, list.status().message());
      std::vector<std::string> ids;
      for (uint32_t id : *list) ids.push_back(FormatIpv4(id));
      return StringList<std::string>(
          "cluster_list", ids, +[](const std::string& s) { return s; });
    }
    case AttrCode::kMpReachNlri: {  // RFC 4760 §3
      absl::StatusOr<MpReachView> mp = DecodeMpReach(a.value);
      if (!mp.ok()) return Generic(a, params, mp.status().message());
      std::string nh = MpNextHopText(mp->next_hop);
      j.BeginObject()
          .Field("family", FamilyName(mp->family))
          .Field("afi", static_cast<int>(mp->family.afi))
          .Field("safi", static_cast<int>(mp->family.safi))
          .Field("next_hop", nh)
          .EndObject();
      return {"mp_reach_nlri", j.str(),
              absl::StrCat(FamilyText(mp->family), ", next hop ",
                           nh.empty() ? "(none)" : nh)};
    }
    case AttrCode::kMpUnreachNlri: {  // RFC 4760 §4
      absl::StatusOr<MpUnreachView> mp = DecodeMpUnreach(a.value);
      if (!mp.ok()) return Generic(a, params, mp.status().message());
      j.BeginObject()
          .Field("family", FamilyName(mp->family))
          .Field("afi", static_cast<int>(mp->family.afi))
          .Field("safi", static_cast<int>(mp->family.safi))
          .EndObject();
      return {"mp_unreach_nlri", j.str(), FamilyText(mp->family)};
    }
    case AttrCode::kExtendedCommunities: {  // RFC 4360
      auto list = DecodeExtendedCommunities(a.value);
      if (!list.ok()) return Generic(a, params, list.status().message());
      return StringList<ExtendedCommunity>(
          "ext_communities", *list,
          +[](const ExtendedCommunity& c) { return c.ToString(); });
    }
    case AttrCode::kIpv6ExtendedCommunities: {  // RFC 5701
      auto list = DecodeIpv6ExtendedCommunities(a.value);
      if (!list.ok()) return Generic(a, params, list.status().message());
      return StringList<Ipv6ExtendedCommunity>(
          "ipv6_ext_communities", *list,
          +[](const Ipv6ExtendedCommunity& c) { return c.ToString(); });
    }
    case AttrCode::kLargeCommunities: {  // RFC 8092
      auto list = DecodeLargeCommunities(a.value);
      if (!list.ok()) return Generic(a, params, list.status().message());
      return StringList<LargeCommunity>(
          "large_communities", *list,
          +[](const LargeCommunity& c) { return c.ToString(); });
    }
    case AttrCode::kAigp: {  // RFC 7311 §3
      absl::StatusOr<Aigp> aigp = DecodeAigp(a.value);
      if (!aigp.ok()) return Generic(a, params, aigp.status().message());
      if (std::optional<uint64_t> m = aigp->metric();
          m && aigp->tlvs.size() == 1) {
        return {"aigp", absl::StrCat(*m), absl::StrCat("metric ", *m)};
      }
      j.BeginArray();
      std::vector<std::string> texts;
      for (const AigpTlv& t : aigp->tlvs) {
        j.BeginObject()
            .Field("type", static_cast<int>(t.type))
            .Field("hex", Hex(t.value))
            .EndObject();
        texts.push_back(absl::StrCat("tlv ", t.type, " ", Hex(t.value)));
      }
      j.EndArray();
      return {"aigp", j.str(), absl::StrJoin(texts, ", ")};
    }
    default:
      return Generic(a, params, "");
  }
}

// --- NLRI
// -------------------------------------------------------------------------

struct Route {
  std::optional<uint32_t> path_id;
  std::string text;
};

std::vector<Route> Routes(const NlriView& v) {
  std::vector<Route> out;
  for (const NlriEntryView& e : v)
    out.push_back({e.path_id, FormatNlriEntry(v.family(), e.bytes)});
  return out;
}

// Routes per family, in order of first appearance.
using FamilyRoutes = std::vector<std::pair<Family, std::vector<Route>>>;

void AddRoutes(FamilyRoutes& all, const NlriView& v) {
  if (v.empty()) return;
  std::vector<Route> routes = Routes(v);
  for (auto& [f, list] : all) {
    if (f == v.family()) {
      for (Route& r : routes) list.push_back(std::move(r));
      return;
    }
  }
  all.emplace_back(v.family(), std::move(routes));
}

void RoutesJson(const FamilyRoutes& all, Json& j) {
  j.BeginObject();
  for (const auto& [f, list] : all) {
    j.Key(FamilyName(f)).BeginArray();
    for (const Route& r : list) {
      j.BeginObject().Field("prefix", r.text);
      if (r.path_id) j.Field("path_id", *r.path_id);
      j.EndObject();
    }
    j.EndArray();
  }
  j.EndObject();
}

void RoutesText(absl::string_view title, Family f, absl::string_view where,
                const std::vector<Route>& routes, std::string& out) {
  absl::StrAppend(&out, "  ", title, " (", FamilyName(f), where,
                  "): ", routes.size(), "\n");
  for (const Route& r : routes) {
    absl::StrAppend(&out, "    ", r.text);
    if (r.path_id) absl::StrAppend(&out, " path-id ", *r.path_id);
    out += '\n';
  }
}

// --- Messages
// -----------------------------------------------------------------------

std::string RenderUpdate(const UpdateView& view, const SessionParams& params,
                         const std::vector<Finding>& findings, Format f,
                         const MessageMeta& meta) {
  std::optional<Family> eor = view.end_of_rib();

  // Attributes, in order.
  struct Item {
    const AttributeView* view;
    AttrOut out;
    bool discarded;
  };
  std::vector<AttributeView> attrs;
  for (const AttributeView& a : view.attributes()) attrs.push_back(a);
  std::vector<Item> items;
  std::string next_hop_v4, mp_next_hop;
  for (const AttributeView& a : attrs) {
    Item item{&a, DescribeAttribute(a, params), view.discarded(a.code)};
    if (a.code == static_cast<uint8_t>(AttrCode::kNextHop) && !item.discarded &&
        a.value.size() == 4) {
      next_hop_v4 = item.out.text;
    }
    if (a.code == static_cast<uint8_t>(AttrCode::kMpReachNlri)) {
      if (absl::StatusOr<MpReachView> mp = DecodeMpReach(a.value); mp.ok())
        mp_next_hop = MpNextHopText(mp->next_hop);
    }
    items.push_back(std::move(item));
  }

  FamilyRoutes announce, withdraw;
  AddRoutes(withdraw, view.withdrawn());
  if (std::optional<NlriView> v = view.mp_unreach_nlri())
    AddRoutes(withdraw, *v);
  AddRoutes(announce, view.nlri());
  if (std::optional<NlriView> v = view.mp_reach_nlri()) AddRoutes(announce, *v);

  if (f == Format::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "UPDATE", view.message().size());
    if (eor) j.Field("end_of_rib", FamilyName(*eor));
    j.Key("announce");
    RoutesJson(announce, j);
    j.Key("withdraw");
    RoutesJson(withdraw, j);
    if (!view.nlri().empty() && !next_hop_v4.empty()) {
      j.Field("next_hop", next_hop_v4);
    } else if (view.mp_reach().has_value() && !mp_next_hop.empty()) {
      j.Field("next_hop", mp_next_hop);
    } else if (!next_hop_v4.empty()) {
      j.Field("next_hop", next_hop_v4);
    }
    j.Key("attributes").BeginObject();
    std::vector<std::string> keys;
    std::vector<const Item*> unknown;
    for (const Item& item : items) {
      bool dup = false;
      for (const std::string& k : keys) dup = dup || k == item.out.key;
      if (item.out.key.empty() || dup) {
        unknown.push_back(&item);
        continue;
      }
      keys.push_back(item.out.key);
      if (item.discarded) {
        // RFC 7606: the value is ignored; show what it was and why.
        j.Key(item.out.key)
            .BeginObject()
            .Field("code", static_cast<int>(item.view->code))
            .Field("flags", static_cast<int>(item.view->flags))
            .Field("hex", Hex(item.view->value))
            .Field("discarded", true);
        if (!item.out.error.empty()) j.Field("error", item.out.error);
        j.EndObject();
        continue;
      }
      j.Key(item.out.key).Raw(item.out.json);
    }
    if (!unknown.empty()) {
      j.Key("unknown").BeginArray();
      for (const Item* item : unknown) {
        j.BeginObject()
            .Field("code", static_cast<int>(item->view->code))
            .Field("flags", static_cast<int>(item->view->flags))
            .Field("hex", Hex(item->view->value));
        if (!item->out.key.empty()) j.Field("name", item->out.key);
        if (!item->out.key.empty()) j.Field("duplicate", true);
        j.EndObject();
      }
      j.EndArray();
    }
    j.EndObject();
    if (view.verdict() != Verdict::kOk || !findings.empty()) {
      j.Field("verdict", VerdictName(view.verdict()));
      j.Key("findings").BeginArray();
      for (const Finding& fd : findings) {
        j.BeginObject().Field("verdict", VerdictName(fd.verdict));
        if (fd.attr_code != 0) {
          j.Field("attr_code", static_cast<int>(fd.attr_code))
              .Field("attribute", AttributeName(fd.attr_code));
        }
        j.Field("detail", fd.detail).EndObject();
      }
      j.EndArray();
    }
    j.EndObject();
    return j.str() + "\n";
  }

  std::string out = TimeLine(meta) + "\n";
  absl::StrAppend(&out, "UPDATE message, length ", view.message().size(), "\n");
  for (const auto& [fam, routes] : withdraw) {
    RoutesText("Withdrawn", fam, fam == kIpv4Unicast ? "" : ", MP_UNREACH_NLRI",
               routes, out);
  }
  if (!items.empty()) {
    absl::StrAppend(&out, "  Path attributes: ", items.size(), " (",
                    view.attributes_bytes().size(), " octets)\n");
  }
  for (const Item& item : items) {
    absl::StrAppend(&out, "    ", AttributeName(item.view->code), " (",
                    item.view->code, "), flags ", FlagsText(item.view->flags),
                    ", length ", item.view->value.size(), ": ", item.out.text);
    if (item.discarded) out += " [discarded, RFC 7606]";
    out += '\n';
  }
  for (const auto& [fam, routes] : announce) {
    bool body = fam == kIpv4Unicast && !view.nlri().empty();
    std::string where = body ? "" : ", MP_REACH_NLRI";
    std::string nh = body ? next_hop_v4 : mp_next_hop;
    if (!nh.empty()) absl::StrAppend(&where, ", next hop ", nh);
    if (view.verdict() >= Verdict::kTreatAsWithdraw)
      absl::StrAppend(&where, ", treated as withdrawn per RFC 7606");
    RoutesText("Announced", fam, where, routes, out);
  }
  if (eor) absl::StrAppend(&out, "  End-of-RIB: ", FamilyName(*eor), "\n");
  if (view.verdict() != Verdict::kOk || !findings.empty()) {
    absl::StrAppend(&out, "  RFC 7606 verdict: ", VerdictName(view.verdict()),
                    "\n");
    for (const Finding& fd : findings) {
      absl::StrAppend(&out, "    ", VerdictName(fd.verdict));
      if (fd.attr_code != 0) {
        absl::StrAppend(&out, " ", AttributeName(fd.attr_code), " (",
                        fd.attr_code, ")");
      }
      absl::StrAppend(&out, ": ", fd.detail, "\n");
    }
  }
  return out;
}

// One capability: its text (after "Name (code)") and its JSON fields.
void DescribeCapability(const Capability& cap, std::string& text, Json& j) {
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, MultiprotocolCapability>) {
          j.Field("family", FamilyName(c.family))
              .Field("afi", static_cast<int>(c.family.afi))
              .Field("safi", static_cast<int>(c.family.safi));
          text = FamilyText(c.family);
        } else if constexpr (std::is_same_v<T, ExtendedNextHopCapability>) {
          j.Key("entries").BeginArray();
          std::vector<std::string> parts;
          for (const auto& e : c.entries) {
            j.BeginObject()
                .Field("nlri_afi", static_cast<int>(e.nlri_afi))
                .Field("nlri_safi", static_cast<int>(e.nlri_safi))
                .Field("next_hop_afi", static_cast<int>(e.next_hop_afi));
            std::string nlri_family =
                e.nlri_safi <= 0xff
                    ? FamilyName(Family(static_cast<uint16_t>(e.nlri_afi),
                                        static_cast<uint8_t>(e.nlri_safi)))
                    : absl::StrCat("afi ", static_cast<int>(e.nlri_afi),
                                   " safi ", e.nlri_safi);
            j.Field("nlri_family", nlri_family).EndObject();
            parts.push_back(absl::StrCat(nlri_family, " via afi ",
                                         static_cast<int>(e.next_hop_afi)));
          }
          j.EndArray();
          text = absl::StrJoin(parts, ", ");
        } else if constexpr (std::is_same_v<T, MultipleLabelsCapability>) {
          j.Key("entries").BeginArray();
          std::vector<std::string> parts;
          for (const auto& e : c.entries) {
            j.BeginObject()
                .Field("family", FamilyName(e.family))
                .Field("count", static_cast<int>(e.count))
                .EndObject();
            parts.push_back(
                absl::StrCat(FamilyName(e.family), " count ", e.count));
          }
          j.EndArray();
          text = absl::StrJoin(parts, ", ");
        } else if constexpr (std::is_same_v<T, RoleCapability>) {
          j.Field("role", RoleName(c.role))
              .Field("value", static_cast<int>(c.role));
          text = absl::StrCat(RoleName(c.role), " (", static_cast<int>(c.role),
                              ")");
        } else if constexpr (std::is_same_v<T, GracefulRestartCapability>) {
          j.Field("flags", static_cast<int>(c.flags))
              .Field("restart_state", c.restart_state())
              .Field("notification", c.notification())
              .Field("restart_time", static_cast<int>(c.restart_time))
              .Key("families")
              .BeginArray();
          std::vector<std::string> parts;
          for (const auto& e : c.entries) {
            bool fwd = e.flags & 0x80;
            j.BeginObject()
                .Field("family", FamilyName(e.family))
                .Field("forwarding_state", fwd)
                .EndObject();
            parts.push_back(absl::StrCat(FamilyName(e.family),
                                         fwd ? " (forwarding preserved)" : ""));
          }
          j.EndArray();
          text = absl::StrFormat("flags 0x%x%s%s, restart time %ds", c.flags,
                                 c.restart_state() ? " (restarting)" : "",
                                 c.notification() ? " (notification)" : "",
                                 c.restart_time);
          if (!parts.empty())
            absl::StrAppend(&text, ", ", absl::StrJoin(parts, ", "));
        } else if constexpr (std::is_same_v<T, FourOctetAsCapability>) {
          j.Field("asn", c.asn);
          text = absl::StrCat(c.asn);
        } else if constexpr (std::is_same_v<T, AddPathCapability>) {
          j.Key("families").BeginArray();
          std::vector<std::string> parts;
          for (const auto& e : c.entries) {
            j.BeginObject()
                .Field("family", FamilyName(e.family))
                .Field("mode", AddPathModeName(e.mode))
                .EndObject();
            parts.push_back(absl::StrCat(FamilyName(e.family), " ",
                                         AddPathModeName(e.mode)));
          }
          j.EndArray();
          text = absl::StrJoin(parts, ", ");
        } else if constexpr (std::is_same_v<
                                 T, LongLivedGracefulRestartCapability>) {
          j.Key("families").BeginArray();
          std::vector<std::string> parts;
          for (const auto& e : c.entries) {
            bool fwd = e.flags & 0x80;
            j.BeginObject()
                .Field("family", FamilyName(e.family))
                .Field("forwarding_state", fwd)
                .Field("stale_time", e.stale_time)
                .EndObject();
            parts.push_back(absl::StrCat(FamilyName(e.family), " stale ",
                                         e.stale_time, "s",
                                         fwd ? " (forwarding preserved)" : ""));
          }
          j.EndArray();
          text = absl::StrJoin(parts, ", ");
        } else if constexpr (std::is_same_v<T, FqdnCapability>) {
          j.Field("hostname", c.hostname).Field("domain_name", c.domain_name);
          text = absl::StrCat("hostname ", JsonString(c.hostname), ", domain ",
                              JsonString(c.domain_name));
        } else if constexpr (std::is_same_v<T, SoftwareVersionCapability>) {
          j.Field("version", c.version);
          text = JsonString(c.version);
        } else if constexpr (std::is_same_v<T, UnknownCapability>) {
          j.Field("hex", Hex(c.value));
          text = c.value.empty() ? "" : Hex(c.value);
        } else {
          // Route refresh, extended message, enhanced route refresh: no
          // value.
          text = "";
        }
      },
      cap);
}

std::string RenderOpen(const Open& open, size_t length, Format f,
                       const MessageMeta& meta) {
  Json j;
  std::string out;
  if (f == Format::kJson) {
    BeginJsonMessage(j, meta, "OPEN", length);
    j.Field("version", static_cast<int>(open.version))
        .Field("my_as", static_cast<int>(open.my_as))
        .Field("hold_time", static_cast<int>(open.hold_time))
        .Field("bgp_id", FormatIpv4(open.bgp_id))
        .Field("asn", open.EffectiveAs());
    if (open.extended_parameters) j.Field("extended_parameters", true);
    j.Key("capabilities").BeginArray();
  } else {
    out = TimeLine(meta) + "\n";
    absl::StrAppend(&out, "OPEN message, length ", length, "\n");
    absl::StrAppend(&out, "  Version: ", open.version, "\n");
    absl::StrAppend(&out, "  My AS: ", open.my_as, "\n");
    absl::StrAppend(&out, "  Hold time: ", open.hold_time, "\n");
    absl::StrAppend(&out, "  BGP identifier: ", FormatIpv4(open.bgp_id), "\n");
    absl::StrAppend(&out, "  Optional parameters: ", open.parameters.size(),
                    open.extended_parameters ? " (RFC 9072 extended)" : "",
                    "\n");
  }
  for (const OptionalParameter& p : open.parameters) {
    if (p.type != kOptParamCapabilities) continue;
    for (const Capability& cap : p.capabilities) {
      uint8_t code = CapabilityCodeOf(cap);
      std::string text;
      if (f == Format::kJson) {
        j.BeginObject()
            .Field("code", static_cast<int>(code))
            .Field("name", CapabilityName(code));
      }
      Json scratch;
      DescribeCapability(cap, text, f == Format::kJson ? j : scratch);
      if (f == Format::kJson) {
        j.EndObject();
      } else {
        absl::StrAppend(&out, "    Capability ", CapabilityName(code), " (",
                        code, ")", text.empty() ? "" : ": ", text, "\n");
      }
    }
  }
  if (f == Format::kJson) {
    j.EndArray();
    bool any_other = false;
    for (const OptionalParameter& p : open.parameters)
      any_other = any_other || p.type != kOptParamCapabilities;
    if (any_other) {
      j.Key("parameters").BeginArray();
      for (const OptionalParameter& p : open.parameters) {
        if (p.type == kOptParamCapabilities) continue;
        j.BeginObject()
            .Field("type", static_cast<int>(p.type))
            .Field("hex", Hex(p.value))
            .EndObject();
      }
      j.EndArray();
    }
    j.EndObject();
    return j.str() + "\n";
  }
  for (const OptionalParameter& p : open.parameters) {
    if (p.type == kOptParamCapabilities) continue;
    absl::StrAppend(&out, "    Parameter type ", p.type, ": ",
                    p.value.empty() ? "(empty)" : Hex(p.value), "\n");
  }
  return out;
}

std::string RenderNotification(const Notification& n, size_t length, Format f,
                               const MessageMeta& meta) {
  std::optional<std::string> shutdown = n.ShutdownMessage();
  std::optional<Notification> cause = n.HardResetCause();
  if (f == Format::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "NOTIFICATION", length);
    j.Field("code", static_cast<int>(n.code))
        .Field("subcode", static_cast<int>(n.subcode))
        .Field("code_name", ErrorCodeName(n.code))
        .Field("subcode_name", ErrorSubcodeName(n.code, n.subcode))
        .Field("data", Hex(n.data));
    if (shutdown) j.Field("shutdown_message", *shutdown);
    if (cause) {
      j.Key("hard_reset_cause")
          .BeginObject()
          .Field("code", static_cast<int>(cause->code))
          .Field("subcode", static_cast<int>(cause->subcode))
          .Field("code_name", ErrorCodeName(cause->code))
          .Field("subcode_name", ErrorSubcodeName(cause->code, cause->subcode))
          .Field("data", Hex(cause->data))
          .EndObject();
    }
    j.EndObject();
    return j.str() + "\n";
  }
  std::string out = TimeLine(meta) + "\n";
  absl::StrAppend(&out, "NOTIFICATION message, length ", length, "\n");
  absl::StrAppend(&out, "  Error: ", ErrorCodeName(n.code), " / ",
                  ErrorSubcodeName(n.code, n.subcode), " (", n.code, "/",
                  n.subcode, ")\n");
  if (!n.data.empty()) {
    absl::StrAppend(&out, "  Data (", n.data.size(), " octets): ", Hex(n.data),
                    "\n");
  }
  if (shutdown) {
    absl::StrAppend(&out, "  Shutdown message: ", JsonString(*shutdown), "\n");
  }
  if (cause)
    absl::StrAppend(&out, "  Hard reset cause: ", cause->Describe(), "\n");
  return out;
}

std::string RenderRouteRefresh(const RouteRefresh& r, size_t length, Format f,
                               const MessageMeta& meta) {
  if (f == Format::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "ROUTE_REFRESH", length);
    j.Field("family", FamilyName(r.family))
        .Field("afi", static_cast<int>(r.family.afi))
        .Field("safi", static_cast<int>(r.family.safi))
        .Field("subtype", static_cast<int>(r.subtype))
        .Field("subtype_name", RouteRefreshSubtypeName(r.subtype));
    if (!r.orf.empty()) j.Field("orf", Hex(r.orf));
    j.EndObject();
    return j.str() + "\n";
  }
  std::string out = TimeLine(meta) + "\n";
  absl::StrAppend(&out, "ROUTE_REFRESH message, length ", length, "\n");
  absl::StrAppend(&out, "  Family: ", FamilyText(r.family), "\n");
  absl::StrAppend(&out, "  Subtype: ", r.subtype, " (",
                  RouteRefreshSubtypeName(r.subtype), ")\n");
  if (!r.orf.empty())
    absl::StrAppend(&out, "  ORF entries: ", Hex(r.orf), "\n");
  return out;
}

std::string RenderKeepalive(size_t length, Format f, const MessageMeta& meta) {
  if (f == Format::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "KEEPALIVE", length);
    j.EndObject();
    return j.str() + "\n";
  }
  return absl::StrCat(TimeLine(meta), "\nKEEPALIVE message, length ", length,
                      "\n");
}

// Header checks shared by all formats: a valid header whose length is the
// whole input.
absl::StatusOr<MessageHeader> CheckFraming(wire::Bytes message,
                                           const SessionParams& params) {
  BGPY_ASSIGN_OR_RETURN(MessageHeader h,
                        ParseHeader(message, params.max_message_size()));
  if (h.length != message.size()) {
    uint8_t len[2] = {static_cast<uint8_t>(h.length >> 8),
                      static_cast<uint8_t>(h.length)};
    return HeaderError(HeaderSubcode::kBadMessageLength, len,
                       absl::StrCat("header length ", h.length, " but ",
                                    message.size(), " octets given"));
  }
  return h;
}

absl::StatusOr<std::string> TryRender(wire::Bytes message,
                                      const SessionParams& params, Format f,
                                      const MessageMeta& meta) {
  BGPY_ASSIGN_OR_RETURN(MessageHeader h, CheckFraming(message, params));
  if (f == Format::kHex) {
    BGPY_ASSIGN_OR_RETURN(Message m, DecodeMessage(message, params));
    BGPY_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, EncodeMessage(m, params));
    return Hex(bytes) + "\n";
  }
  if (h.type == MessageType::kUpdate) {
    std::vector<Finding> findings;
    BGPY_ASSIGN_OR_RETURN(UpdateView view,
                          UpdateView::Parse(message, params, &findings));
    return RenderUpdate(view, params, findings, f, meta);
  }
  BGPY_ASSIGN_OR_RETURN(Message m, DecodeMessage(message, params));
  if (const auto* open = std::get_if<Open>(&m))
    return RenderOpen(*open, message.size(), f, meta);
  if (const auto* n = std::get_if<Notification>(&m))
    return RenderNotification(*n, message.size(), f, meta);
  if (const auto* rr = std::get_if<RouteRefresh>(&m))
    return RenderRouteRefresh(*rr, message.size(), f, meta);
  if (std::holds_alternative<Keepalive>(m))
    return RenderKeepalive(message.size(), f, meta);
  return absl::InternalError("UPDATE decoded through DecodeMessage");
}

}  // namespace

absl::StatusOr<Format> ParseFormat(absl::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  if (name == "hex") return Format::kHex;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format '", name, "' (text, json or hex)"));
}

std::string Render(wire::Bytes message, const SessionParams& params, Format f,
                   const MessageMeta& meta, absl::Status* status) {
  absl::StatusOr<std::string> out = TryRender(message, params, f, meta);
  if (status != nullptr) *status = out.status();
  if (!out.ok()) return RenderError(message, out.status(), f, meta);
  return *std::move(out);
}

std::string RenderError(wire::Bytes message, const absl::Status& status,
                        Format f, const MessageMeta& meta) {
  std::string what = DescribeStatus(status);
  if (f == Format::kJson) {
    Json j;
    j.BeginObject()
        .Field("error", meta.source.empty()
                            ? what
                            : absl::StrCat(meta.source, ": ", what))
        .Field("hex", Hex(message))
        .EndObject();
    return j.str() + "\n";
  }
  return absl::StrCat("error: ", meta.source, meta.source.empty() ? "" : ": ",
                      what, "\n");
}

std::string DescribeStatus(const absl::Status& status) {
  if (status.ok()) return "OK";
  if (std::optional<NotificationInfo> n = GetNotification(status)) {
    return absl::StrCat(ErrorCodeName(n->code), " / ",
                        ErrorSubcodeName(n->code, n->subcode), " (", n->code,
                        "/", n->subcode, "): ", status.message());
  }
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                      status.message());
}

std::string FormatTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

std::string JsonEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            absl::StrAppendFormat(&out, "\\u%04x", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // A multi-octet UTF-8 sequence (RFC 3629 §4): the continuation count and
    // the range allowed for the second octet (no overlongs, no surrogates,
    // nothing above U+10FFFF).
    size_t more = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c == 0xE0) {
      more = 2, lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC) {
      more = 2;
    } else if (c == 0xED) {
      more = 2, hi = 0x9F;
    } else if (c >= 0xEE && c <= 0xEF) {
      more = 2;
    } else if (c == 0xF0) {
      more = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      more = 3;
    } else if (c == 0xF4) {
      more = 3, hi = 0x8F;
    }
    bool valid = more > 0 && more <= s.size() - i - 1;
    if (valid) {
      uint8_t c1 = static_cast<uint8_t>(s[i + 1]);
      valid = c1 >= lo && c1 <= hi;
      for (size_t k = 2; valid && k <= more; ++k) {
        uint8_t ck = static_cast<uint8_t>(s[i + k]);
        valid = ck >= 0x80 && ck <= 0xBF;
      }
    }
    if (valid) {
      out.append(s.data() + i, more + 1);
      i += more + 1;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    }
  }
  return out;
}

std::string JsonString(absl::string_view s) {
  return absl::StrCat("\"", JsonEscape(s), "\"");
}

std::string Hex(wire::Bytes bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

}  // namespace bgpy::tools
