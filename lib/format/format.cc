// Copyright 2026 The bgpy Authors.
//
// format.cc: text / JSON / hex rendering of whole BGP messages (bgpy::format).
#include "bgpy/format.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bgpy/attributes.h"
#include "bgpy/capabilities.h"
#include "bgpy/errors.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "bgpy/message.h"
#include "bgpy/nlri.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "format/fast_text.h"
#include "format/update_json.h"
#include "ipv4_text.h"

namespace bgpy {
namespace {

// A JSON writer with its own buffer, for values assembled before they are
// placed (capabilities into a scratch writer, ...).
class Json : public JsonWriter {
 public:
  Json() : JsonWriter(&buf_) {}
  const std::string& str() const { return buf_; }

 private:
  std::string buf_;
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

std::string TimeLine(const MessageMeta& meta) {
  std::string line = meta.time == absl::InfinitePast()
                         ? "(no timestamp)"
                         : FormatTimestamp(meta.time);
  if (!meta.peer.empty()) absl::StrAppend(&line, " peer ", meta.peer);
  return line;
}

void BeginJsonMessage(JsonWriter& j, const MessageMeta& meta,
                      absl::string_view type, size_t length) {
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
  j.Field("type", type).Field("length", length);
}

// --- Attributes
// -------------------------------------------------------------------

// The RFC 7606 status of one attribute's value, from its row.
struct AttrState {
  const AttributeDesc* desc = nullptr;  // nullptr: unknown code
  bool valid = false;                   // passed the row's validate
  std::string error;                    // why not, when !valid
};

AttrState CheckAttribute(const AttributeView& a, const AttrContext& ctx) {
  AttrState s;
  s.desc = LookupAttribute(a.code);
  if (s.desc == nullptr) return s;
  absl::Status st = s.desc->validate(a.value, ctx);
  s.valid = st.ok();
  if (!s.valid) s.error = std::string(st.message());
  return s;
}

// The generic JSON of an attribute: code, flags and hex, plus why it is
// shown this way.
void GenericJson(const AttributeView& a, JsonWriter& j) {
  j.BeginObject()
      .Field("code", static_cast<int>(a.code))
      .Field("flags", static_cast<int>(a.flags))
      .Field("hex", HexString(a.value));
}

void AttributeText(const AttributeView& a, const AttrState& s,
                   const AttrContext& ctx, std::string& out) {
  if (s.desc != nullptr && s.valid) {
    s.desc->text(a.value, ctx, out);
    return;
  }
  if (!s.error.empty()) absl::StrAppend(&out, "malformed (", s.error, "): ");
  if (a.value.empty()) {
    out += "(empty)";
  } else {
    AppendHex(&out, a.value);
  }
}

// --- NLRI
// -------------------------------------------------------------------------

// The families of the routes of one direction, in order of appearance.
absl::InlinedVector<Family, 4> FamiliesOf(const RouteRange& routes,
                                          bool withdraw) {
  absl::InlinedVector<Family, 4> out;
  for (const RouteView& r : routes) {
    if (r.withdraw != withdraw) continue;
    bool seen = false;
    for (Family f : out) seen = seen || f == r.family;
    if (!seen) out.push_back(r.family);
  }
  return out;
}

// True for the rows of IPv4 unicast and multicast, whose text is the
// prefix ("10.0.0.0/24") and whose JSON is {"prefix":"10.0.0.0/24"}.
bool IsIpv4PrefixRow(const FamilyDesc* desc) {
  static const auto decode = FindFamily(kIpv4Unicast)->decode;
  return desc != nullptr && desc->decode == decode;
}

// Writes "A.B.C.D/L" of an IPv4 prefix entry (length octet and address
// octets, host bits cleared as the row's decode does) at `out`, which has
// room for 18 characters; nullptr when the entry does not decode (then the
// row's hooks render it, or the hex of it).
char* WriteIpv4PrefixEntry(wire::Bytes e, char* out) {
  if (e.empty()) return nullptr;
  const unsigned len = e[0];
  if (len > 32 || e.size() != 1 + (len + 7) / 8) return nullptr;
  uint32_t v = 0;
  for (size_t i = 1; i < e.size(); ++i) v |= uint32_t{e[i]} << (32 - 8 * i);
  if (len < 32) v &= len == 0 ? 0 : ~uint32_t{0} << (32 - len);
  out = internal::WriteIpv4(v, out);
  *out++ = '/';
  if (len >= 10) *out++ = static_cast<char>('0' + len / 10);
  *out++ = static_cast<char>('0' + len % 10);
  return out;
}

void RouteText(const RouteView& r, NlriValue& scratch, std::string& out) {
  if (IsIpv4PrefixRow(r.desc)) {
    char buf[18];
    if (const char* end = WriteIpv4PrefixEntry(r.entry, buf)) {
      out.append(buf, static_cast<size_t>(end - buf));
      return;
    }
  }
  if (r.desc != nullptr && r.desc->decode(r.entry, scratch).ok()) {
    r.desc->text(scratch, out);
  } else {
    AppendHex(&out, r.entry);
  }
}

// {"prefix":"A.B.C.D/L"} or {"prefix":"A.B.C.D/L","path_id":N} of an IPv4
// prefix entry, as RoutesJson writes it through the row, in one append;
// false when the entry does not decode.
bool Ipv4RouteJson(const RouteView& r, JsonWriter& j) {
  constexpr char kOpen[] = "{\"prefix\":\"";
  constexpr char kPathId[] = "\",\"path_id\":";
  char buf[sizeof kOpen + 18 + sizeof kPathId +
           absl::numbers_internal::kFastToBufferSize + 1];
  std::memcpy(buf, kOpen, sizeof kOpen - 1);
  char* p = WriteIpv4PrefixEntry(r.entry, buf + sizeof kOpen - 1);
  if (p == nullptr) return false;
  if (r.path_id) {
    std::memcpy(p, kPathId, sizeof kPathId - 1);
    p = absl::numbers_internal::FastIntToBuffer(*r.path_id,
                                                p + sizeof kPathId - 1);
  } else {
    *p++ = '"';
  }
  *p++ = '}';
  j.Raw(absl::string_view(buf, static_cast<size_t>(p - buf)));
  return true;
}

void RouteJson(const RouteView& r, NlriValue& scratch, JsonWriter& j) {
  if (IsIpv4PrefixRow(r.desc) && Ipv4RouteJson(r, j)) return;
  j.BeginObject();
  if (r.desc != nullptr && r.desc->decode(r.entry, scratch).ok()) {
    r.desc->json(scratch, j);
  } else {
    j.Field("hex", HexString(r.entry));
  }
  if (r.path_id) j.Field("path_id", *r.path_id);
  j.EndObject();
}

// "announce": {FAMILY: [route, ...], ...}, "withdraw": {...}, families in
// order of first appearance. The routes are walked once when the UPDATE
// announces one family and withdraws nothing: that walk writes the first
// family's announcements and notes every family of both directions; the
// others (if any) take one more walk each.
void RoutesJson(const RouteRange& routes, JsonWriter& j) {
  absl::InlinedVector<Family, 4> families[2];  // [withdraw]
  NlriValue scratch;
  j.Key("announce").BeginObject();
  bool open = false;
  Family first;
  for (const RouteView& r : routes) {
    absl::InlinedVector<Family, 4>& seen = families[r.withdraw];
    if (seen.empty() || seen.back() != r.family) {
      bool known = false;
      for (Family f : seen) known = known || f == r.family;
      if (!known) seen.push_back(r.family);
    }
    if (r.withdraw) continue;
    if (!open) {
      first = r.family;
      j.Key(FamilyName(first)).BeginArray();
      open = true;
    }
    if (r.family == first) RouteJson(r, scratch, j);
  }
  if (open) j.EndArray();
  auto array = [&](bool withdraw, Family f) {
    j.Key(FamilyName(f)).BeginArray();
    for (const RouteView& r : routes) {
      if (r.withdraw == withdraw && r.family == f) RouteJson(r, scratch, j);
    }
    j.EndArray();
  };
  for (size_t i = 1; i < families[0].size(); ++i) array(false, families[0][i]);
  j.EndObject();
  j.Key("withdraw").BeginObject();
  for (Family f : families[1]) array(true, f);
  j.EndObject();
}

void RoutesText(const RouteRange& routes, bool withdraw, Family f,
                absl::string_view title, absl::string_view where,
                std::string& out) {
  size_t n = 0;
  for (const RouteView& r : routes)
    n += r.withdraw == withdraw && r.family == f;
  absl::StrAppend(&out, "  ", title, " (", FamilyName(f), where, "): ", n,
                  "\n");
  NlriValue scratch;
  for (const RouteView& r : routes) {
    if (r.withdraw != withdraw || r.family != f) continue;
    out += "    ";
    RouteText(r, scratch, out);
    if (r.path_id) absl::StrAppend(&out, " path-id ", *r.path_id);
    out += '\n';
  }
}

// --- Messages
// -----------------------------------------------------------------------

void AppendFindingsJson(const UpdateView& view,
                        absl::Span<const Finding> findings, JsonWriter& j) {
  if (view.verdict() == Verdict::kOk && findings.empty()) return;
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

// The next hop of the UPDATE's announcements as text: NEXT_HOP for body
// NLRI, the MP_REACH next hop otherwise.
struct NextHops {
  std::string v4;  // NEXT_HOP, when present, valid and not discarded
  std::string mp;  // MP_REACH_NLRI's next hop
};

// The MP_REACH next hop as text: decoded by the family's row, else hex.
std::string MpNextHopText(const MpReachView& mp) {
  const FamilyDesc* d = FindFamily(mp.family);
  absl::StatusOr<MpNextHop> decoded = d != nullptr
                                          ? d->decode_next_hop(mp.next_hop)
                                          : DecodeMpNextHop(mp.next_hop);
  return decoded.ok() ? decoded->ToString() : HexString(mp.next_hop);
}

NextHops NextHopsOf(const UpdateView& view) {
  NextHops nh;
  if (std::optional<IpAddress> a = view.next_hop()) nh.v4 = a->ToString();
  if (std::optional<MpReachView> mp = view.mp_reach();
      mp && !mp->next_hop.empty()) {
    nh.mp = MpNextHopText(*mp);
  }
  return nh;
}

// --- UPDATE JSON straight into a character buffer ---------------------------
//
// The same bytes as UpdateJson below (the corpus JSON tests and the MRT
// comparisons run both), for the UPDATEs PutUpdateJsonTail covers.

using format_internal::CharBuffer;
using format_internal::LoadU32;
using format_internal::PutIpv4;
using format_internal::PutLit;
using format_internal::PutStr;
using format_internal::PutUint;

// `{"type":"AS_SEQUENCE","asns":[` per segment type 1..4 (PathJson's
// SegmentTypeName).
constexpr absl::string_view kSegmentJson[5] = {
    "",
    "{\"type\":\"AS_SET\",\"asns\":[",
    "{\"type\":\"AS_SEQUENCE\",\"asns\":[",
    "{\"type\":\"AS_CONFED_SEQUENCE\",\"asns\":[",
    "{\"type\":\"AS_CONFED_SET\",\"asns\":[",
};

// PathJson of a value CheckAsPath accepts; false for any other.
bool PutAsPathJson(wire::Bytes value, bool four_octet, CharBuffer& out) {
  const uint8_t* v = value.data();
  const size_t n = value.size();
  const size_t width = four_octet ? 4 : 2;
  // At most 36 characters per segment header (2 octets) and 11 per AS
  // number (2 or 4 octets).
  char* p = out.Room(2 + 18 * n);
  *p++ = '[';
  size_t i = 0;
  while (i < n) {
    if (n - i < 2) return false;
    const unsigned type = v[i];
    const unsigned count = v[i + 1];
    i += 2;
    if (type < 1 || type > 4 || count == 0 || (n - i) / width < count) {
      return false;
    }
    if (i > 2) *p++ = ',';
    p = PutStr(p, kSegmentJson[type]);
    for (unsigned k = 0; k < count; ++k, i += width) {
      if (k > 0) *p++ = ',';
      p = PutUint(
          p, four_octet ? LoadU32(v + i) : (uint32_t{v[i]} << 8) | v[i + 1]);
    }
    p = PutLit(p, "]}");
  }
  *p++ = ']';
  out.Advance(p);
  return true;
}

// ["65000:1",...] (JsonCommunities: numbers only).
bool PutCommunitiesJson(wire::Bytes value, CharBuffer& out) {
  if (value.size() % 4 != 0) return false;
  char* p = out.Room(2 + 4 * value.size());
  *p++ = '[';
  for (size_t i = 0; i < value.size(); i += 4) {
    if (i > 0) *p++ = ',';
    const uint32_t c = LoadU32(value.data() + i);
    *p++ = '"';
    p = PutUint(p, c >> 16);
    *p++ = ':';
    p = PutUint(p, c & 0xffff);
    *p++ = '"';
  }
  *p++ = ']';
  out.Advance(p);
  return true;
}

// ["65000:1:2",...] (RFC 8092 §5).
bool PutLargeCommunitiesJson(wire::Bytes value, CharBuffer& out) {
  if (value.size() % 12 != 0) return false;
  char* p = out.Room(2 + 4 * value.size());
  *p++ = '[';
  for (size_t i = 0; i < value.size(); i += 12) {
    if (i > 0) *p++ = ',';
    *p++ = '"';
    p = PutUint(p, LoadU32(value.data() + i));
    *p++ = ':';
    p = PutUint(p, LoadU32(value.data() + i + 4));
    *p++ = ':';
    p = PutUint(p, LoadU32(value.data() + i + 8));
    *p++ = '"';
  }
  *p++ = ']';
  out.Advance(p);
  return true;
}

// {"asn":N,"address":"A.B.C.D"} (AggregatorJson).
bool PutAggregatorJson(wire::Bytes value, bool four_octet, CharBuffer& out) {
  const uint8_t* v = value.data();
  uint32_t asn = 0;
  if (four_octet && value.size() == 8) {
    asn = LoadU32(v);
    v += 4;
  } else if (!four_octet && value.size() == 6) {
    asn = (uint32_t{v[0]} << 8) | v[1];
    v += 2;
  } else {
    return false;
  }
  char* p = out.Room(64);
  p = PutLit(p, "{\"asn\":");
  p = PutUint(p, asn);
  p = PutLit(p, ",\"address\":\"");
  p = PutIpv4(p, v);
  p = PutLit(p, "\"}");
  out.Advance(p);
  return true;
}

// The value of a valid attribute of a known code; false when it is not
// one of the codes written here or its value is not of the checked form.
bool PutAttributeJsonFast(const AttributeView& a, bool four_octet,
                          CharBuffer& out) {
  const wire::Bytes v = a.value;
  switch (static_cast<AttrCode>(a.code)) {
    case AttrCode::kOrigin: {
      if (v.size() != 1 || v[0] > 2) return false;
      char* p = out.Room(16);
      *p++ = '"';
      p = PutStr(p, OriginName(static_cast<Origin>(v[0])));
      *p++ = '"';
      out.Advance(p);
      return true;
    }
    case AttrCode::kAsPath:
      return PutAsPathJson(v, four_octet, out);
    case AttrCode::kAs4Path:
      return PutAsPathJson(v, /*four_octet=*/true, out);
    case AttrCode::kNextHop: {
      if (v.size() != 4) return false;
      char* p = out.Room(20);
      *p++ = '"';
      p = PutIpv4(p, v.data());
      *p++ = '"';
      out.Advance(p);
      return true;
    }
    case AttrCode::kMultiExitDisc:
    case AttrCode::kLocalPref: {
      if (v.size() != 4) return false;
      out.Advance(PutUint(out.Room(20), LoadU32(v.data())));
      return true;
    }
    case AttrCode::kAtomicAggregate:
      if (!v.empty()) return false;
      out.Append("true");
      return true;
    case AttrCode::kAggregator:
      return PutAggregatorJson(v, four_octet, out);
    case AttrCode::kAs4Aggregator:
      return PutAggregatorJson(v, /*four_octet=*/true, out);
    case AttrCode::kCommunities:
      return PutCommunitiesJson(v, out);
    case AttrCode::kLargeCommunities:
      return PutLargeCommunitiesJson(v, out);
    default:
      return false;
  }
}

// True if `s` needs no JSON escaping (keys and names from the tables).
bool PlainJson(absl::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

// `"key":` for the attribute codes with a row whose JSON key needs no
// escaping, empty for the others.
class AttributeKeys {
 public:
  static const AttributeKeys& Get() {
    static const AttributeKeys* const keys = new AttributeKeys();
    return *keys;
  }
  absl::string_view operator[](uint8_t code) const { return text_[code]; }
  // LookupAttribute(code).
  const AttributeDesc* row(uint8_t code) const { return rows_[code]; }

 private:
  AttributeKeys() {
    for (int code = 0; code < 256; ++code) {
      const AttributeDesc* d = LookupAttribute(static_cast<uint8_t>(code));
      rows_[code] = d;
      if (d != nullptr && PlainJson(d->json_key)) {
        text_[code] = absl::StrCat("\"", d->json_key, "\":");
      }
    }
  }
  std::string text_[256];
  const AttributeDesc* rows_[256] = {};
};

// "announce" and "withdraw" when every route is an IPv4 prefix of one
// family (RoutesJson's output for them); false otherwise.
bool PutRoutesJson(const UpdateView& view, const RouteView* only_route,
                   CharBuffer& out) {
  RouteRange routes;
  Family family;
  bool any = false, announces = false, withdraws = false;
  if (only_route != nullptr) {
    if (!IsIpv4PrefixRow(only_route->desc)) return false;
    family = only_route->family;
    any = true;
    (only_route->withdraw ? withdraws : announces) = true;
  } else {
    routes = view.routes();
    for (const RouteView& r : routes) {
      if (!IsIpv4PrefixRow(r.desc)) return false;
      if (any && r.family != family) return false;
      family = r.family;
      any = true;
      (r.withdraw ? withdraws : announces) = true;
    }
  }
  // The family's name, kept from the UPDATE before.
  thread_local Family name_of;
  thread_local std::string name;
  thread_local bool name_plain = false;
  if (any && (name.empty() || name_of != family)) {
    name_of = family;
    name = FamilyName(family);
    name_plain = PlainJson(name);
  }
  if (any && !name_plain) return false;
  auto section = [&](bool withdraw) {
    char* p = out.Room(8 + name.size());
    *p++ = '"';
    p = PutStr(p, name);
    p = PutLit(p, "\":[");
    out.Advance(p);
    bool first = true;
    // {"prefix":"A.B.C.D/L"} or {"prefix":"A.B.C.D/L","path_id":N}
    auto route = [&](const RouteView& r) {
      char* q = out.Room(64);
      if (!first) *q++ = ',';
      first = false;
      q = PutLit(q, "{\"prefix\":\"");
      q = WriteIpv4PrefixEntry(r.entry, q);
      if (q == nullptr) return false;
      if (r.path_id) {
        q = PutLit(q, "\",\"path_id\":");
        q = PutUint(q, *r.path_id);
      } else {
        *q++ = '"';
      }
      *q++ = '}';
      out.Advance(q);
      return true;
    };
    if (only_route != nullptr) {
      if (!route(*only_route)) return false;
    } else {
      for (const RouteView& r : routes) {
        if (r.withdraw == withdraw && !route(r)) return false;
      }
    }
    out.Append("]");
    return true;
  };
  out.Append(",\"announce\":{");
  if (announces && !section(false)) return false;
  out.Append("},\"withdraw\":{");
  if (withdraws && !section(true)) return false;
  out.Append("}");
  return true;
}

bool PutUpdateJsonTailUnchecked(const UpdateView& view,
                                const RouteView* only_route, CharBuffer& out) {
  char* p = out.Room(64);
  p = PutLit(p, ",\"type\":\"UPDATE\",\"length\":");
  p = PutUint(p, view.message().size());
  out.Advance(p);
  // (An End-of-RIB has no routes; a one-route UPDATE is none.)
  if (std::optional<Family> eor =
          only_route == nullptr ? view.end_of_rib() : std::nullopt) {
    out.Append(",\"end_of_rib\":");
    out.Append(JsonString(FamilyName(*eor)));
  }
  if (!PutRoutesJson(view, only_route, out)) return false;

  // NextHopsOf's choice: NEXT_HOP for body NLRI, else the MP_REACH next
  // hop, else NEXT_HOP.
  const std::optional<AttributeView> nh = view.Find(AttrCode::kNextHop);
  const bool v4 = nh.has_value() && nh->value.size() == 4;
  auto put_v4 = [&] {
    char* q = out.Room(32);
    q = PutLit(q, ",\"next_hop\":\"");
    q = PutIpv4(q, nh->value.data());
    *q++ = '"';
    out.Advance(q);
  };
  if (!view.nlri_bytes().empty() && v4) {
    put_v4();
  } else if (std::optional<MpReachView> mp = view.mp_reach();
             mp && !mp->next_hop.empty()) {
    out.Append(",\"next_hop\":");
    out.Append(JsonString(MpNextHopText(*mp)));
  } else if (v4) {
    put_v4();
  }

  // Attributes by their rows' keys (UpdateJson's loop). With a clean
  // verdict, Parse ran every attribute's validate under the same 4-octet
  // AS setting and all passed, but for a NEXT_HOP without IPv4 NLRI
  // (ignored, RFC 4760 §3): that one is checked here.
  out.Append(",\"attributes\":{");
  SessionParams params;
  params.four_octet_as = view.four_octet_as();
  const AttrContext ctx{&params};
  const AttributeKeys& keys = AttributeKeys::Get();
  uint64_t seen[4] = {};
  bool first = true;
  bool any_unknown = false;
  for (const AttributeView& a : view.attributes()) {
    const AttributeDesc* desc = keys.row(a.code);
    const bool dup = (seen[a.code >> 6] >> (a.code & 63)) & 1;
    seen[a.code >> 6] |= uint64_t{1} << (a.code & 63);
    if (desc == nullptr || dup) {
      any_unknown = true;
      continue;
    }
    if (view.discarded(a.code)) return false;
    if (a.code == static_cast<uint8_t>(AttrCode::kNextHop) &&
        view.nlri_bytes().empty() && !desc->validate(a.value, ctx).ok()) {
      return false;
    }
    const absl::string_view key = keys[a.code];
    if (key.empty()) return false;
    char* q = out.Room(1 + key.size());
    if (!first) *q++ = ',';
    first = false;
    out.Advance(PutStr(q, key));
    if (PutAttributeJsonFast(a, view.four_octet_as(), out)) continue;
    // Any other row renders itself (a fresh writer at depth 0 writes just
    // the value).
    std::string value;
    JsonWriter j(&value);
    desc->json(a.value, ctx, j);
    out.Append(value);
  }
  if (any_unknown) {
    std::string unknown;
    JsonWriter j(&unknown);
    j.BeginArray();
    uint64_t again[4] = {};
    for (const AttributeView& a : view.attributes()) {
      const AttributeDesc* desc = LookupAttribute(a.code);
      const bool dup = (again[a.code >> 6] >> (a.code & 63)) & 1;
      again[a.code >> 6] |= uint64_t{1} << (a.code & 63);
      if (desc != nullptr && !dup) continue;
      GenericJson(a, j);
      if (desc != nullptr)
        j.Field("name", desc->json_key).Field("duplicate", true);
      j.EndObject();
    }
    j.EndArray();
    out.Append(first ? "\"unknown\":" : ",\"unknown\":");
    out.Append(unknown);
  }
  out.Append("}}");
  return true;
}

void UpdateJson(const UpdateView& view, absl::Span<const Finding> findings,
                const AttrContext& ctx, const MessageMeta& meta,
                std::string& out) {
  if (findings.empty() && view.verdict() == Verdict::kOk) {
    thread_local CharBuffer buf;
    buf.Clear();
    buf.Append("{\"time\":");
    if (meta.time == absl::InfinitePast()) {
      buf.Append("null");
    } else {
      buf.Append(JsonString(FormatTimestamp(meta.time)));
    }
    buf.Append(",\"peer\":");
    if (meta.peer.empty()) {
      buf.Append("null");
    } else {
      buf.Append(JsonString(meta.peer));
    }
    if (format_internal::PutUpdateJsonTail(view, nullptr, buf)) {
      buf.Append("\n");
      out.append(buf.view().data(), buf.size());
      return;
    }
  }
  JsonWriter j(&out);
  BeginJsonMessage(j, meta, "UPDATE", view.message().size());
  if (std::optional<Family> eor = view.end_of_rib()) {
    j.Field("end_of_rib", FamilyName(*eor));
  }
  const RouteRange routes = view.routes();
  RoutesJson(routes, j);
  const NextHops nh = NextHopsOf(view);
  if (!view.nlri().empty() && !nh.v4.empty()) {
    j.Field("next_hop", nh.v4);
  } else if (view.mp_reach().has_value() && !nh.mp.empty()) {
    j.Field("next_hop", nh.mp);
  } else if (!nh.v4.empty()) {
    j.Field("next_hop", nh.v4);
  }

  // Attributes by their rows' keys; unknown codes and duplicates go to
  // "unknown".
  j.Key("attributes").BeginObject();
  uint64_t seen[4] = {};  // bit per code
  bool any_unknown = false;
  for (const AttributeView& a : view.attributes()) {
    const AttrState s = CheckAttribute(a, ctx);
    const bool dup = (seen[a.code >> 6] >> (a.code & 63)) & 1;
    seen[a.code >> 6] |= uint64_t{1} << (a.code & 63);
    if (s.desc == nullptr || dup) {
      any_unknown = true;
      continue;
    }
    j.Key(s.desc->json_key);
    if (view.discarded(a.code) || !s.valid) {
      // RFC 7606: the value is ignored (or malformed): show what it was and
      // why.
      GenericJson(a, j);
      if (view.discarded(a.code)) j.Field("discarded", true);
      if (!s.error.empty()) j.Field("error", s.error);
      j.EndObject();
      continue;
    }
    s.desc->json(a.value, ctx, j);
  }
  if (any_unknown) {
    j.Key("unknown").BeginArray();
    uint64_t again[4] = {};
    for (const AttributeView& a : view.attributes()) {
      const AttributeDesc* desc = LookupAttribute(a.code);
      const bool dup = (again[a.code >> 6] >> (a.code & 63)) & 1;
      again[a.code >> 6] |= uint64_t{1} << (a.code & 63);
      if (desc != nullptr && !dup) continue;
      GenericJson(a, j);
      if (desc != nullptr)
        j.Field("name", desc->json_key).Field("duplicate", true);
      j.EndObject();
    }
    j.EndArray();
  }
  j.EndObject();
  AppendFindingsJson(view, findings, j);
  j.EndObject();
  out += '\n';
}

void UpdateText(const UpdateView& view, absl::Span<const Finding> findings,
                const AttrContext& ctx, const MessageMeta& meta,
                std::string& out) {
  absl::StrAppend(&out, TimeLine(meta), "\n");
  absl::StrAppend(&out, "UPDATE message, length ", view.message().size(), "\n");
  const RouteRange routes = view.routes();
  for (Family f : FamiliesOf(routes, /*withdraw=*/true)) {
    RoutesText(routes, true, f, "Withdrawn",
               f == kIpv4Unicast && !view.withdrawn().empty()
                   ? ""
                   : ", MP_UNREACH_NLRI",
               out);
  }
  size_t count = 0;
  for (auto it = view.attributes_begin(); it != view.attributes_end(); ++it) {
    ++count;
  }
  if (count > 0) {
    absl::StrAppend(&out, "  Path attributes: ", count, " (",
                    view.attributes_bytes().size(), " octets)\n");
  }
  for (const AttributeView& a : view.attributes()) {
    absl::StrAppend(&out, "    ", AttributeName(a.code), " (", a.code,
                    "), flags ", FlagsText(a.flags), ", length ",
                    a.value.size(), ": ");
    AttributeText(a, CheckAttribute(a, ctx), ctx, out);
    if (view.discarded(a.code)) out += " [discarded, RFC 7606]";
    out += '\n';
  }
  const NextHops nh = NextHopsOf(view);
  for (Family f : FamiliesOf(routes, /*withdraw=*/false)) {
    const bool body = f == kIpv4Unicast && !view.nlri().empty();
    std::string where = body ? "" : ", MP_REACH_NLRI";
    const std::string& hop = body ? nh.v4 : nh.mp;
    if (!hop.empty()) absl::StrAppend(&where, ", next hop ", hop);
    if (view.verdict() >= Verdict::kTreatAsWithdraw)
      absl::StrAppend(&where, ", treated as withdrawn per RFC 7606");
    RoutesText(routes, false, f, "Announced", where, out);
  }
  if (std::optional<Family> eor = view.end_of_rib()) {
    absl::StrAppend(&out, "  End-of-RIB: ", FamilyName(*eor), "\n");
  }
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
}

// One capability: its text (after "Name (code)") and its JSON fields.
void DescribeCapability(const Capability& cap, std::string& text,
                        JsonWriter& j) {
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
          j.Field("hex", HexString(c.value));
          text = c.value.empty() ? "" : HexString(c.value);
        } else {
          // Route refresh, extended message, enhanced route refresh: no
          // value.
          text = "";
        }
      },
      cap);
}

std::string RenderOpen(const Open& open, size_t length, OutputFormat f,
                       const MessageMeta& meta) {
  Json j;
  std::string out;
  if (f == OutputFormat::kJson) {
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
      if (f == OutputFormat::kJson) {
        j.BeginObject()
            .Field("code", static_cast<int>(code))
            .Field("name", CapabilityName(code));
      }
      Json scratch;
      DescribeCapability(cap, text, f == OutputFormat::kJson ? j : scratch);
      if (f == OutputFormat::kJson) {
        j.EndObject();
      } else {
        absl::StrAppend(&out, "    Capability ", CapabilityName(code), " (",
                        code, ")", text.empty() ? "" : ": ", text, "\n");
      }
    }
  }
  if (f == OutputFormat::kJson) {
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
            .Field("hex", HexString(p.value))
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
                    p.value.empty() ? "(empty)" : HexString(p.value), "\n");
  }
  return out;
}

std::string RenderNotification(const Notification& n, size_t length,
                               OutputFormat f, const MessageMeta& meta) {
  std::optional<std::string> shutdown = n.ShutdownMessage();
  std::optional<Notification> cause = n.HardResetCause();
  if (f == OutputFormat::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "NOTIFICATION", length);
    j.Field("code", static_cast<int>(n.code))
        .Field("subcode", static_cast<int>(n.subcode))
        .Field("code_name", ErrorCodeName(n.code))
        .Field("subcode_name", ErrorSubcodeName(n.code, n.subcode))
        .Field("data", HexString(n.data));
    if (shutdown) j.Field("shutdown_message", *shutdown);
    if (cause) {
      j.Key("hard_reset_cause")
          .BeginObject()
          .Field("code", static_cast<int>(cause->code))
          .Field("subcode", static_cast<int>(cause->subcode))
          .Field("code_name", ErrorCodeName(cause->code))
          .Field("subcode_name", ErrorSubcodeName(cause->code, cause->subcode))
          .Field("data", HexString(cause->data))
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
    absl::StrAppend(&out, "  Data (", n.data.size(),
                    " octets): ", HexString(n.data), "\n");
  }
  if (shutdown) {
    absl::StrAppend(&out, "  Shutdown message: ", JsonString(*shutdown), "\n");
  }
  if (cause)
    absl::StrAppend(&out, "  Hard reset cause: ", cause->Describe(), "\n");
  return out;
}

std::string RenderRouteRefresh(const RouteRefresh& r, size_t length,
                               OutputFormat f, const MessageMeta& meta) {
  if (f == OutputFormat::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "ROUTE_REFRESH", length);
    j.Field("family", FamilyName(r.family))
        .Field("afi", static_cast<int>(r.family.afi))
        .Field("safi", static_cast<int>(r.family.safi))
        .Field("subtype", static_cast<int>(r.subtype))
        .Field("subtype_name", RouteRefreshSubtypeName(r.subtype));
    if (!r.orf.empty()) j.Field("orf", HexString(r.orf));
    j.EndObject();
    return j.str() + "\n";
  }
  std::string out = TimeLine(meta) + "\n";
  absl::StrAppend(&out, "ROUTE_REFRESH message, length ", length, "\n");
  absl::StrAppend(&out, "  Family: ", FamilyText(r.family), "\n");
  absl::StrAppend(&out, "  Subtype: ", r.subtype, " (",
                  RouteRefreshSubtypeName(r.subtype), ")\n");
  if (!r.orf.empty())
    absl::StrAppend(&out, "  ORF entries: ", HexString(r.orf), "\n");
  return out;
}

std::string RenderKeepalive(size_t length, OutputFormat f,
                            const MessageMeta& meta) {
  if (f == OutputFormat::kJson) {
    Json j;
    BeginJsonMessage(j, meta, "KEEPALIVE", length);
    j.EndObject();
    return j.str() + "\n";
  }
  return absl::StrCat(TimeLine(meta), "\nKEEPALIVE message, length ", length,
                      "\n");
}

absl::StatusOr<std::string> TryRender(wire::Bytes message,
                                      const SessionParams& params,
                                      OutputFormat f, const MessageMeta& meta) {
  BGPY_ASSIGN_OR_RETURN(MessageHeader h,
                        CheckMessage(message, params.max_message_size()));
  if (f == OutputFormat::kHex) {
    BGPY_ASSIGN_OR_RETURN(Message m, DecodeMessage(message, params));
    BGPY_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, EncodeMessage(m, params));
    return HexString(bytes) + "\n";
  }
  if (h.type == MessageType::kUpdate) {
    std::vector<Finding> findings;
    BGPY_ASSIGN_OR_RETURN(UpdateView view,
                          UpdateView::Parse(message, params, &findings));
    std::string out;
    AppendUpdate(&out, view, findings, f, meta);
    return out;
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

namespace format_internal {

bool PutUpdateJsonTail(const UpdateView& view, const RouteView* only_route,
                       CharBuffer& out) {
  if (view.verdict() != Verdict::kOk) return false;
  const size_t start = out.size();
  if (PutUpdateJsonTailUnchecked(view, only_route, out)) return true;
  out.Truncate(start);
  return false;
}

}  // namespace format_internal

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "hex") return OutputFormat::kHex;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format '", name, "' (text, json or hex)"));
}

void AppendUpdate(std::string* out, const UpdateView& view,
                  absl::Span<const Finding> findings, OutputFormat f,
                  const MessageMeta& meta) {
  SessionParams params;
  params.four_octet_as = view.four_octet_as();
  const AttrContext ctx{&params};
  switch (f) {
    case OutputFormat::kJson:
      UpdateJson(view, findings, ctx, meta, *out);
      return;
    case OutputFormat::kText:
      UpdateText(view, findings, ctx, meta, *out);
      return;
    case OutputFormat::kHex: {
      // The UPDATE re-encoded from its owned form.
      std::vector<uint8_t> bytes;
      absl::Status st;
      {
        wire::Writer w(&bytes);
        st = EncodeUpdate(view.ToOwned(), params, w);
      }
      if (!st.ok()) {
        *out += RenderError(view.message(), st, f, meta);
        return;
      }
      AppendHex(out, bytes);
      out->push_back('\n');
      return;
    }
  }
}

absl::Status AppendMessage(std::string* out, wire::Bytes message,
                           const SessionParams& params, OutputFormat f,
                           const MessageMeta& meta) {
  absl::StatusOr<std::string> r = TryRender(message, params, f, meta);
  if (!r.ok()) {
    *out += RenderError(message, r.status(), f, meta);
    return r.status();
  }
  *out += *r;
  return absl::OkStatus();
}

std::string RenderMessage(wire::Bytes message, const SessionParams& params,
                          OutputFormat f, const MessageMeta& meta,
                          absl::Status* status) {
  std::string out;
  absl::Status st = AppendMessage(&out, message, params, f, meta);
  if (status != nullptr) *status = st;
  return out;
}

std::string JsonLine(wire::Bytes message, const SessionParams& params,
                     const MessageMeta& meta) {
  return RenderMessage(message, params, OutputFormat::kJson, meta);
}

std::string RenderError(wire::Bytes message, const absl::Status& status,
                        OutputFormat f, const MessageMeta& meta) {
  std::string what = DescribeStatus(status);
  if (f == OutputFormat::kJson) {
    Json j;
    j.BeginObject()
        .Field("error", meta.source.empty()
                            ? what
                            : absl::StrCat(meta.source, ": ", what))
        .Field("hex", HexString(message))
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

}  // namespace bgpy
