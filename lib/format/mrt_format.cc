// Copyright 2026 The bgpy Authors.
//
// MRT records as bgpy-decode prints them: `bgpdump -m` lines, JSON lines
// and text. The routes come from mrt::RouteWalker, so they are read by the
// same codec as a live session; this file only lays them out.
//
// bgpdump -m layout (bgpdump 1.6), one line per route:
//   TYPE|time|A|peer|peer_as|prefix|[path_id|]as_path|origin|next_hop|
//     local_pref|med|communities|AG/NAG|aggregator|
//   TYPE|time|W|peer|peer_as|prefix[|path_id]
//   TYPE|time|STATE|peer|peer_as|old_state|new_state
// with TYPE one of TABLE_DUMP, TABLE_DUMP2(_AP), BGP4MP(_ET)(_LOCAL)(_AP)
// and BGP (the deprecated type 5, whose A lines run the MED and the
// communities together and so have one field less).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bgpy/errors.h"
#include "bgpy/format.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "bgpy/mrt.h"
#include "format/fast_text.h"
#include "format/update_json.h"

namespace bgpy {
namespace {

using mrt::Type;

// --- Small fast writers (the bgpdump path runs per route) -----------------

void AppendUint(std::string* out, uint64_t v) {
  char buf[absl::numbers_internal::kFastToBufferSize];
  char* end = absl::numbers_internal::FastIntToBuffer(v, buf);
  out->append(buf, static_cast<size_t>(end - buf));
}

void AppendIpv4(std::string* out, const uint8_t* b) {
  char buf[16];
  char* p = buf;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) *p++ = '.';
    unsigned v = b[i];
    if (v >= 100) {
      *p++ = static_cast<char>('0' + v / 100);
      v %= 100;
      *p++ = static_cast<char>('0' + v / 10);
      *p++ = static_cast<char>('0' + v % 10);
    } else if (v >= 10) {
      *p++ = static_cast<char>('0' + v / 10);
      *p++ = static_cast<char>('0' + v % 10);
    } else {
      *p++ = static_cast<char>('0' + v);
    }
  }
  out->append(buf, static_cast<size_t>(p - buf));
}

void AppendAddress(std::string* out, const IpAddress& a) {
  if (a.is_v4()) {
    AppendIpv4(out, a.bytes());
  } else {
    out->append(a.ToString());
  }
}

// The prefix as on the wire, bits beyond the length included (bgpdump
// prints the octets it read).
void AppendWirePrefix(std::string* out, Afi afi, wire::Bytes entry) {
  const int len = entry[0];
  if (afi == Afi::kIpv4) {
    uint8_t b[4] = {};
    for (size_t i = 1; i < entry.size() && i <= 4; ++i) b[i - 1] = entry[i];
    AppendIpv4(out, b);
  } else {
    uint8_t b[16] = {};
    for (size_t i = 1; i < entry.size() && i <= 16; ++i) b[i - 1] = entry[i];
    out->append(IpAddress::V6Bytes(b).ToString());
  }
  out->push_back('/');
  AppendUint(out, static_cast<uint64_t>(len));
}

// bgpdump's AS path text: sequences space-separated, {a,b} for AS_SET,
// (a b) for AS_CONFED_SEQUENCE, [a,b] for AS_CONFED_SET.
char SegmentOpen(AsSegmentType t) {
  switch (t) {
    case AsSegmentType::kSet:
      return '{';
    case AsSegmentType::kConfedSequence:
      return '(';
    case AsSegmentType::kConfedSet:
      return '[';
    default:
      return 0;
  }
}
char SegmentClose(AsSegmentType t) {
  switch (t) {
    case AsSegmentType::kSet:
      return '}';
    case AsSegmentType::kConfedSequence:
      return ')';
    case AsSegmentType::kConfedSet:
      return ']';
    default:
      return 0;
  }
}
bool IsSet(AsSegmentType t) {
  return t == AsSegmentType::kSet || t == AsSegmentType::kConfedSet;
}

// Segment by segment: `next(type, count)` starts a segment, `asn(i)` reads
// its numbers. Shared by the wire walk and the merged (AS4_PATH) path.
class AsPathText {
 public:
  explicit AsPathText(std::string* out) : out_(out) {}
  void Segment(AsSegmentType type) {
    if (any_) {
      if (char c = SegmentClose(prev_)) out_->push_back(c);
      out_->push_back(' ');
    }
    if (char c = SegmentOpen(type)) out_->push_back(c);
    prev_ = type;
    any_ = true;
    first_in_segment_ = true;
  }
  void Asn(uint32_t asn) {
    if (!first_in_segment_) out_->push_back(IsSet(prev_) ? ',' : ' ');
    first_in_segment_ = false;
    AppendUint(out_, asn);
  }
  void Finish() {
    if (any_) {
      if (char c = SegmentClose(prev_)) out_->push_back(c);
    }
  }

 private:
  std::string* out_;
  AsSegmentType prev_ = AsSegmentType::kSequence;
  bool any_ = false;
  bool first_in_segment_ = true;
};

// From a checked AS_PATH value (UpdateView validated it).
void AppendWireAsPath(std::string* out, wire::Bytes value, bool four_octet) {
  AsPathText text(out);
  wire::Reader r(value);
  const size_t width = four_octet ? 4 : 2;
  while (!r.empty()) {
    uint8_t type = 0, count = 0;
    if (!r.ReadU8(type) || !r.ReadU8(count)) break;
    text.Segment(static_cast<AsSegmentType>(type));
    for (unsigned i = 0; i < count; ++i) {
      uint32_t asn = 0;
      if (width == 4) {
        if (!r.ReadU32(asn)) break;
      } else {
        uint16_t a16 = 0;
        if (!r.ReadU16(a16)) break;
        asn = a16;
      }
      text.Asn(asn);
    }
  }
  text.Finish();
}

void AppendAsPath(std::string* out, const UpdateView& u) {
  std::optional<AttributeView> path = u.Find(AttrCode::kAsPath);
  if (!path) return;
  // RFC 6793 §4.2.3: a 2-octet session's AS4_PATH is merged (bgpdump does
  // the same); UpdateView::as_path() does it.
  if (!u.four_octet_as() && u.Find(AttrCode::kAs4Path)) {
    std::optional<AsPath> merged = u.as_path();
    if (!merged) return;
    AsPathText text(out);
    for (const AsPathSegment& s : merged->segments) {
      text.Segment(s.type);
      for (uint32_t asn : s.asns) text.Asn(asn);
    }
    text.Finish();
    return;
  }
  AppendWireAsPath(out, path->value, u.four_octet_as());
}

// "BGP4MP_ET_LOCAL_AP" and friends, for the record a route comes from.
void AppendLineType(std::string* out, const mrt::Record& rec, bool path_id) {
  switch (static_cast<Type>(rec.header.type)) {
    case Type::kTableDump:
      out->append("TABLE_DUMP");
      return;
    case Type::kTableDumpV2: {
      const auto* rib = std::get_if<mrt::Rib>(&rec.body);
      out->append(rib != nullptr && rib->add_path ? "TABLE_DUMP2_AP"
                                                  : "TABLE_DUMP2");
      return;
    }
    case Type::kBgp:
      out->append("BGP");
      return;
    case Type::kBgp4mp:
    case Type::kBgp4mpEt: {
      out->append(rec.header.extended_time() ? "BGP4MP_ET" : "BGP4MP");
      if (const auto* m = std::get_if<mrt::Bgp4mpMessage>(&rec.body)) {
        if (m->local) out->append("_LOCAL");
        // The subtype, or a route read with a path id under a plain subtype
        // (RouteWalker's fallback): the line has the path id field.
        if (m->add_path || path_id) out->append("_AP");
      }
      return;
    }
  }
  out->append(mrt::TypeName(rec.header.type));
}

void AppendLineTime(std::string* out, const mrt::RecordHeader& h) {
  AppendUint(out, h.timestamp);
  if (h.extended_time()) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%06u", h.microseconds);
    out->append(buf);
  }
}

bool IsBgpdumpFamily(Family f) {
  return (f.afi == Afi::kIpv4 || f.afi == Afi::kIpv6) &&
         (f.safi == Safi::kUnicast || f.safi == Safi::kMulticast);
}

// --- The A/W/B line, written into a scratch buffer -------------------------

using format_internal::CharBuffer;
using format_internal::PutIpv4;
using format_internal::PutStr;
using format_internal::PutUint;

// The attributes a line shows, found in one walk with UpdateView::Find's
// answers: the first of each code, none when Parse discarded it. The walk
// reads the framing inline (AttributeIterator's: it stops at an attribute
// that runs past the list) and keeps only the values.
// The attributes a bgpdump line shows, by slot; and each code's slot.
enum LineSlot {
  kOrigin,
  kAsPath,
  kNextHop,
  kMed,
  kLocalPref,
  kCommunities,
  kAtomicAggregate,
  kAggregator,
  kAs4Path,
  kAs4Aggregator,
  kSlots
};
struct LineSlotTable {
  int8_t slot[64];
  constexpr LineSlotTable() : slot() {
    for (int8_t& v : slot) v = -1;
    slot[static_cast<int>(AttrCode::kOrigin)] = kOrigin;
    slot[static_cast<int>(AttrCode::kAsPath)] = kAsPath;
    slot[static_cast<int>(AttrCode::kNextHop)] = kNextHop;
    slot[static_cast<int>(AttrCode::kMultiExitDisc)] = kMed;
    slot[static_cast<int>(AttrCode::kLocalPref)] = kLocalPref;
    slot[static_cast<int>(AttrCode::kCommunities)] = kCommunities;
    slot[static_cast<int>(AttrCode::kAtomicAggregate)] = kAtomicAggregate;
    slot[static_cast<int>(AttrCode::kAggregator)] = kAggregator;
    slot[static_cast<int>(AttrCode::kAs4Path)] = kAs4Path;
    slot[static_cast<int>(AttrCode::kAs4Aggregator)] = kAs4Aggregator;
  }
};
inline constexpr LineSlotTable kLineSlotOf{};

class LineAttributes {
 public:
  explicit LineAttributes(const UpdateView& u) {
    const wire::Bytes attrs = u.attributes_bytes();
    const uint8_t* const b = attrs.data();
    const size_t n = attrs.size();
    uint64_t seen = 0;
    size_t at = 0;
    while (n - at >= 3) {
      const uint8_t flags = b[at];
      const uint8_t code = b[at + 1];
      size_t hdr = 3;
      size_t len = b[at + 2];
      if (flags & kAttrExtendedLength) {
        if (n - at < 4) break;
        hdr = 4;
        len = (size_t{b[at + 2]} << 8) | b[at + 3];
      }
      if (n - at - hdr < len) break;
      const uint8_t* const value = b + at + hdr;
      at += hdr + len;
      if (code >= 64) continue;
      const uint64_t bit = uint64_t{1} << code;
      if (seen & bit) continue;
      seen |= bit;
      const int slot = kLineSlotOf.slot[code];
      if (slot < 0 || u.discarded(code)) continue;
      have_ |= 1u << slot;
      data_[slot] = value;
      size_[slot] = len;
    }
  }
  bool has(LineSlot s) const { return have_ >> s & 1; }
  // The value; empty when absent.
  wire::Bytes value(LineSlot s) const {
    return has(s) ? wire::Bytes(data_[s], size_[s]) : wire::Bytes();
  }

 private:
  // Only the slots whose bit is set in have_ are written (nothing is
  // zero-filled: this runs once per route).
  uint32_t have_ = 0;
  const uint8_t* data_[kSlots];
  size_t size_[kSlots];
};

uint32_t U32Value(const LineAttributes& la, LineSlot s) {
  const wire::Bytes v = la.value(s);
  if (v.size() != 4) return 0;
  return (uint32_t{v[0]} << 24) | (uint32_t{v[1]} << 16) |
         (uint32_t{v[2]} << 8) | v[3];
}

// The AS path from a checked AS_PATH value (AppendWireAsPath's text);
// at most 3 characters per octet.
char* PutWireAsPath(char* p, wire::Bytes value, bool four_octet) {
  const uint8_t* v = value.data();
  const size_t n = value.size();
  const size_t width = four_octet ? 4 : 2;
  size_t i = 0;
  bool any = false;
  char close = 0;
  while (i + 2 <= n) {
    const auto type = static_cast<AsSegmentType>(v[i]);
    const unsigned count = v[i + 1];
    i += 2;
    if (any) {
      if (close) *p++ = close;
      *p++ = ' ';
    }
    any = true;
    if (char c = SegmentOpen(type)) *p++ = c;
    close = SegmentClose(type);
    const char sep = IsSet(type) ? ',' : ' ';
    for (unsigned k = 0; k < count; ++k) {
      if (i + width > n) {
        i = n;
        break;
      }
      uint32_t asn;
      if (width == 4) {
        asn = (uint32_t{v[i]} << 24) | (uint32_t{v[i + 1]} << 16) |
              (uint32_t{v[i + 2]} << 8) | v[i + 3];
      } else {
        asn = (uint32_t{v[i]} << 8) | v[i + 1];
      }
      i += width;
      if (k > 0) *p++ = sep;
      p = PutUint(p, asn);
    }
  }
  if (any && close) *p++ = close;
  return p;
}

// bgpdump's community text (AppendCommunities); at most 13 characters
// per 4 octets.
char* PutCommunities(char* p, wire::Bytes value) {
  const uint8_t* v = value.data();
  for (size_t i = 0; i + 4 <= value.size(); i += 4) {
    if (i > 0) *p++ = ' ';
    const uint32_t c = (uint32_t{v[i]} << 24) | (uint32_t{v[i + 1]} << 16) |
                       (uint32_t{v[i + 2]} << 8) | v[i + 3];
    switch (c) {
      case 0xFFFFFF01:
        p = PutStr(p, "no-export");
        break;
      case 0xFFFFFF02:
        p = PutStr(p, "no-advertise");
        break;
      case 0xFFFFFF03:
        p = PutStr(p, "local-AS");
        break;
      default:
        p = PutUint(p, c >> 16);
        *p++ = ':';
        p = PutUint(p, c & 0xFFFF);
    }
  }
  return p;
}

// AppendAggregator from the walked attributes.
char* PutAggregator(char* p, const LineAttributes& la, bool four_octet) {
  if (!la.has(kAggregator)) return p;
  absl::StatusOr<Aggregator> agg =
      DecodeAggregator(la.value(kAggregator), four_octet);
  if (!agg.ok()) return p;
  // RFC 6793 §4.2.3: AS_TRANS in AGGREGATOR defers to AS4_AGGREGATOR.
  if (!four_octet && agg->asn == kAsTrans && la.has(kAs4Aggregator)) {
    if (absl::StatusOr<Aggregator> agg4 =
            DecodeAggregator(la.value(kAs4Aggregator), true);
        agg4.ok()) {
      agg = agg4;
    }
  }
  p = PutUint(p, agg->asn);
  *p++ = ' ';
  const uint8_t b[4] = {static_cast<uint8_t>(agg->address >> 24),
                        static_cast<uint8_t>(agg->address >> 16),
                        static_cast<uint8_t>(agg->address >> 8),
                        static_cast<uint8_t>(agg->address)};
  return PutIpv4(p, b);
}

// The line from the origin on, at `p`; returns its end.
char* PutBgpdumpRest(char* p, bool old_bgp, const mrt::Route& r,
                     const UpdateView& u, const LineAttributes& la) {
  *p++ = '|';
  const char* origin = "INCOMPLETE";  // also when ORIGIN is absent
  if (const wire::Bytes o = la.value(kOrigin); o.size() == 1) {
    if (o[0] == 0) origin = "IGP";
    if (o[0] == 1) origin = "EGP";
  }
  p = PutStr(p, origin);
  *p++ = '|';
  // The next hop (AppendNextHop): the MP_REACH next hop (global address)
  // for MP routes, else NEXT_HOP, else bgpdump's "none" 255.255.255.255.
  const wire::Bytes nh = r.route.next_hop_bytes;
  bool done = false;
  if (r.route.mp && !nh.empty() && !r.next_hop_absent) {
    if (r.route.family.afi == Afi::kIpv4 && nh.size() == 4) {
      p = PutIpv4(p, nh.data());
      done = true;
    } else if (nh.size() == 16 || nh.size() == 32) {
      p = PutStr(p, IpAddress::V6Bytes(nh.data()).ToString());
      done = true;
    } else if (std::optional<MpNextHop> d = r.route.next_hop()) {
      p = PutStr(p, d->address.ToString());
      done = true;
    }
  }
  if (!done) {
    if (const wire::Bytes v4 = la.value(kNextHop); v4.size() == 4) {
      p = PutIpv4(p, v4.data());
    } else {
      p = PutStr(p, "255.255.255.255");
    }
  }
  *p++ = '|';
  p = PutUint(p, U32Value(la, kLocalPref));
  *p++ = '|';
  p = PutUint(p, U32Value(la, kMed));
  // The deprecated BGP type: bgpdump writes the communities straight after
  // the MED, without a separator.
  if (!old_bgp) *p++ = '|';
  if (la.has(kCommunities)) {
    p = PutCommunities(p, la.value(kCommunities));
  }
  p = PutStr(p, la.has(kAtomicAggregate) ? "|AG|" : "|NAG|");
  p = PutAggregator(p, la, u.four_octet_as());
  return PutStr(p, "|\n");
}

// The texts the routes of one TABLE_DUMP_V2 RIB record share: its prefix
// (every entry has the record's NLRI), and per peer index "peer|peer_as"
// (kept across records while the peer stays the same).
class RibLineCache {
 public:
  // "peer|peer_as" of the route's peer.
  absl::string_view Peer(const mrt::Route& r) {
    if (r.peer_index >= peers_.size()) peers_.resize(r.peer_index + 1);
    PeerText& t = peers_[r.peer_index];
    if (t.text.empty() || t.address != r.peer_address || t.as != r.peer_as) {
      t.address = r.peer_address;
      t.as = r.peer_as;
      t.text.clear();
      AppendAddress(&t.text, t.address);
      t.text.push_back('|');
      AppendUint(&t.text, t.as);
    }
    return t.text;
  }
  // The record's prefix text, made from its first route.
  absl::string_view Prefix(const mrt::Route& r) {
    if (!prefix_set_) {
      prefix_.clear();
      if (r.route.is_ip_prefix()) {
        AppendWirePrefix(&prefix_, r.route.family.afi, r.route.entry);
      } else {
        prefix_ = r.route.Text();
      }
      prefix_set_ = true;
    }
    return prefix_;
  }
  void NewRecord() { prefix_set_ = false; }

 private:
  struct PeerText {
    IpAddress address;
    uint32_t as = 0;
    std::string text;
  };
  std::vector<PeerText> peers_;
  std::string prefix_;
  bool prefix_set_ = false;
};

// The route's line, written at the end of `lines`.
void PutBgpdumpRoute(CharBuffer& lines, const mrt::Record& rec,
                     const mrt::Route& r, absl::string_view head,
                     RibLineCache* cache) {
  const bool old_bgp = rec.header.type == static_cast<uint16_t>(Type::kBgp);
  const UpdateView& u = *r.update;
  // Texts without a simple bound, made first.
  const auto* m = std::get_if<mrt::Bgp4mpMessage>(&rec.body);
  // bgpdump names the recorder's side for *_LOCAL messages.
  const bool local = m != nullptr && m->local;
  const IpAddress& who = local ? m->local_address : r.peer_address;
  const uint32_t who_as = local ? m->local_as : r.peer_as;
  std::string slow;  // a non-IPv4 address or prefix, a merged AS path
  std::string who_text;
  absl::string_view cached_peer, cached_prefix;
  const bool v4_prefix =
      r.route.is_ip_prefix() && r.route.family.afi == Afi::kIpv4;
  if (cache != nullptr) {
    cached_peer = cache->Peer(r);
    cached_prefix = cache->Prefix(r);
  } else {
    if (!v4_prefix) {
      if (r.route.is_ip_prefix()) {
        AppendWirePrefix(&slow, r.route.family.afi, r.route.entry);
      } else {
        slow = r.route.Text();
      }
    }
    if (!who.is_v4()) who_text = who.ToString();
  }

  // (A withdrawal's UPDATE usually has no attributes to walk.)
  const LineAttributes la(u);
  std::string merged;  // the AS path merged with AS4_PATH
  // RFC 6793 §4.2.3: a 2-octet session's AS4_PATH is merged (bgpdump does
  // the same); UpdateView::as_path() does it.
  if (!r.route.withdraw && la.has(kAsPath) && !u.four_octet_as() &&
      la.has(kAs4Path)) {
    AppendAsPath(&merged, u);
  }
  // Room for the line: the fixed fields, the texts made beforehand, and at
  // most 4 characters per attribute octet (AS path, communities).
  const size_t bound = 256 + head.size() + slow.size() + who_text.size() +
                       cached_peer.size() + cached_prefix.size() +
                       merged.size() + 4 * u.attributes_bytes().size();
  char* p = PutStr(lines.Room(bound), head);
  p = PutStr(p, r.rib ? "|B|" : r.route.withdraw ? "|W|" : "|A|");
  if (cache != nullptr) {
    p = PutStr(p, cached_peer);
    *p++ = '|';
    p = PutStr(p, cached_prefix);
  } else {
    p = who.is_v4() ? PutIpv4(p, who.bytes()) : PutStr(p, who_text);
    *p++ = '|';
    p = PutUint(p, who_as);
    *p++ = '|';
  }
  if (cache == nullptr && v4_prefix) {
    const wire::Bytes e = r.route.entry;
    uint8_t b[4] = {};
    for (size_t i = 1; i < e.size() && i <= 4; ++i) b[i - 1] = e[i];
    p = PutIpv4(p, b);
    *p++ = '/';
    p = PutUint(p, e[0]);
  } else if (cache == nullptr) {
    p = PutStr(p, slow);
  }
  if (r.route.withdraw) {
    if (r.route.path_id) {
      *p++ = '|';
      p = PutUint(p, *r.route.path_id);
    }
    *p++ = '\n';
    lines.Advance(p);
    return;
  }
  *p++ = '|';
  if (r.route.path_id) {
    p = PutUint(p, *r.route.path_id);
    *p++ = '|';
  }
  if (!merged.empty()) {
    p = PutStr(p, merged);
  } else if (la.has(kAsPath)) {
    p = PutWireAsPath(p, la.value(kAsPath), u.four_octet_as());
  }
  lines.Advance(PutBgpdumpRest(p, old_bgp, r, u, la));
}

void AppendBgpdumpState(std::string* out, const mrt::Record& rec,
                        const mrt::StateChange& s) {
  out->append(rec.header.type == static_cast<uint16_t>(Type::kBgp) ? "BGP"
              : rec.header.extended_time()                         ? "BGP4MP_ET"
                                                                   : "BGP4MP");
  out->push_back('|');
  AppendLineTime(out, rec.header);
  out->append("|STATE|");
  AppendAddress(out, s.peer_address);
  out->push_back('|');
  AppendUint(out, s.peer_as);
  out->push_back('|');
  AppendUint(out, s.old_state);
  out->push_back('|');
  AppendUint(out, s.new_state);
  out->push_back('\n');
}

// --- JSON and text --------------------------------------------------------

std::string RecordKind(const mrt::Record& rec) {
  return absl::StrCat(mrt::TypeName(rec.header.type), "/",
                      mrt::SubtypeName(rec.header.type, rec.header.subtype));
}

// The "mrt" object: where the record came from.
void MrtJson(JsonWriter& j, const mrt::Record& rec, const MrtRecordMeta& meta) {
  j.Key("mrt").BeginObject();
  j.Field("type", mrt::TypeName(rec.header.type));
  j.Field("subtype", mrt::SubtypeName(rec.header.type, rec.header.subtype));
  j.Key("offset").Uint(meta.offset);
  j.Key("length").Uint(rec.bytes.size());
  j.EndObject();
}

// Splices `fields` (a rendered JSON object "{...}\n") after "{" of a
// message line: {"time":...} → {<prefix>,"time":...}.
void SpliceJson(std::string* out, absl::string_view line,
                absl::string_view prefix) {
  if (line.size() < 2 || line[0] != '{') {
    absl::StrAppend(out, line);
    return;
  }
  out->push_back('{');
  absl::StrAppend(out, prefix);
  if (line[1] != '}') out->push_back(',');
  absl::StrAppend(out, line.substr(1));
}

std::string PeerText(const IpAddress& a) {
  std::string s;
  AppendAddress(&s, a);
  return s;
}

// One RIB entry's JSON: the UPDATE's JSON object (AppendUpdate's) with
// "peer_index" and "peer_as" first and the entry's time and peer, written
// into a reused buffer and appended to the record's line. The
// "originated" timestamp and the peer text are kept from the entry before
// (consecutive entries often share them). UPDATEs the direct writer does
// not cover (format_internal::PutUpdateJsonTail) go the general way.
class EntryJson {
 public:
  void Append(std::string* out, const mrt::Route& r) {
    if (!time_ok_ || r.originated != time_) {
      time_ = r.originated;
      time_ok_ = true;
      time_text_ = JsonString(FormatTimestamp(absl::FromUnixSeconds(time_)));
    }
    // The peer's JSON text, kept per peer index.
    if (r.peer_index >= peers_.size()) peers_.resize(r.peer_index + 1);
    PeerJson& peer = peers_[r.peer_index];
    if (peer.text.empty() || r.peer_address != peer.address) {
      peer.address = r.peer_address;
      peer.text = JsonString(PeerText(peer.address));
    }
    const std::string& peer_text = peer.text;
    buf_.Clear();
    char* p = buf_.Room(80 + time_text_.size() + peer_text.size());
    p = format_internal::PutLit(p, "{\"peer_index\":");
    p = PutUint(p, r.peer_index);
    p = format_internal::PutLit(p, ",\"peer_as\":");
    p = PutUint(p, r.peer_as);
    p = format_internal::PutLit(p, ",\"time\":");
    p = PutStr(p, time_text_);
    p = format_internal::PutLit(p, ",\"peer\":");
    p = PutStr(p, peer_text);
    buf_.Advance(p);
    // A RIB entry's UPDATE has the one route the walker passes.
    if (format_internal::PutUpdateJsonTail(*r.update,
                                           r.rib ? &r.route : nullptr, buf_)) {
      out->append(buf_.view().data(), buf_.size());
      return;
    }
    Slow(out, r);
  }

 private:
  // The general way: the line with the fields spliced in.
  void Slow(std::string* out, const mrt::Route& r) {
    std::string peer = PeerText(r.peer_address);
    MessageMeta mm;
    mm.time = absl::FromUnixSeconds(r.originated);
    mm.peer = peer;
    std::string line;
    AppendUpdate(&line, *r.update, {}, OutputFormat::kJson, mm);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    SpliceJson(out, line,
               absl::StrCat("\"peer_index\":", r.peer_index,
                            ",\"peer_as\":", r.peer_as));
  }

  CharBuffer buf_;
  uint32_t time_ = 0;
  bool time_ok_ = false;
  std::string time_text_;
  struct PeerJson {
    IpAddress address;
    std::string text;
  };
  std::vector<PeerJson> peers_;
};

// A TABLE_DUMP_V2 RIB record's line, as RecordJson's JsonWriter lays it
// out for TABLE_DUMP records, written directly: the fixed texts of the
// record type and family made once, each entry by EntryJson.
//   {"time":T,"peer":null,"type":"RIB","mrt":{"type":..,"subtype":..,
//    "offset":N,"length":N},"family":F,"sequence":N,"entries":[...]
//    [,"error":..]}
absl::Status RibJson(std::string* out, const mrt::Record& rec,
                     const mrt::Rib& rib, const std::string& time_text,
                     mrt::RouteWalker& walker, const MrtRecordMeta& meta) {
  struct Texts {
    uint16_t type = 0, subtype = 0;
    Family family;
    std::string time_source, time;  // FormatTimestamp's text, and as JSON
    std::string kind;               // ,"peer":null ... "offset":
    std::string family_text;        // },"family":F,"sequence":
  };
  thread_local Texts t;
  if (t.kind.empty() || t.type != rec.header.type ||
      t.subtype != rec.header.subtype) {
    t.type = rec.header.type;
    t.subtype = rec.header.subtype;
    t.kind = absl::StrCat(",\"peer\":null,\"type\":\"RIB\",\"mrt\":{\"type\":",
                          JsonString(mrt::TypeName(t.type)), ",\"subtype\":",
                          JsonString(mrt::SubtypeName(t.type, t.subtype)),
                          ",\"offset\":");
  }
  if (t.family_text.empty() || t.family != rib.family) {
    t.family = rib.family;
    t.family_text = absl::StrCat(
        "},\"family\":", JsonString(FamilyName(t.family)), ",\"sequence\":");
  }
  if (t.time.empty() || t.time_source != time_text) {
    t.time_source = time_text;
    t.time = JsonString(time_text);
  }
  char num[2 * absl::numbers_internal::kFastToBufferSize];
  out->append("{\"time\":");
  out->append(t.time);
  out->append(t.kind);
  out->append(num, static_cast<size_t>(PutUint(num, meta.offset) - num));
  out->append(",\"length\":");
  out->append(num, static_cast<size_t>(PutUint(num, rec.bytes.size()) - num));
  out->append(t.family_text);
  out->append(num, static_cast<size_t>(PutUint(num, rib.sequence) - num));
  out->append(",\"entries\":[");
  thread_local EntryJson entries;
  bool first = true;
  absl::Status result = walker.Walk(rec, [&](const mrt::Route& r) {
    if (!first) out->push_back(',');
    first = false;
    entries.Append(out, r);
  });
  out->push_back(']');
  if (!result.ok()) {
    out->append(",\"error\":");
    out->append(JsonString(DescribeStatus(result)));
  }
  out->append("}\n");
  return result;
}

absl::Status RecordJson(std::string* out, const mrt::Record& rec,
                        mrt::RouteWalker& walker, const MrtRecordMeta& meta) {
  const absl::Time time = rec.header.time();
  if (const auto* m = std::get_if<mrt::Bgp4mpMessage>(&rec.body)) {
    std::string mrt_obj;
    {
      JsonWriter j(&mrt_obj);
      j.BeginObject();
      MrtJson(j, rec, meta);
      j.EndObject();
    }
    // mrt_obj is {"mrt":{...}}: its inside is the prefix to splice.
    const absl::string_view mrt_fields =
        absl::string_view(mrt_obj).substr(1, mrt_obj.size() - 2);
    std::string peer = PeerText(m->peer_address);
    MessageMeta mm;
    mm.time = time;
    mm.peer = peer;
    mm.source = meta.source;
    std::string extra = absl::StrCat(
        mrt_fields, ",\"peer_as\":", m->peer_as, ",\"local\":\"",
        PeerText(m->local_address), "\",\"local_as\":", m->local_as,
        ",\"direction\":\"", m->local ? "sent" : "received", "\"");
    std::string line;
    absl::Status st =
        AppendMessage(&line, m->message, m->params(), OutputFormat::kJson, mm);
    SpliceJson(out, line, extra);
    return st;
  }

  // The records of a RIB dump share their time: formatted once.
  thread_local absl::Time last_time = absl::InfinitePast();
  thread_local std::string last_time_text;
  if (time != last_time || last_time_text.empty()) {
    last_time = time;
    last_time_text = FormatTimestamp(time);
  }
  if (const auto* rib = std::get_if<mrt::Rib>(&rec.body)) {
    return RibJson(out, rec, *rib, last_time_text, walker, meta);
  }
  JsonWriter j(out);
  j.BeginObject();
  j.Field("time", last_time_text);
  absl::Status result;
  if (const auto* s = std::get_if<mrt::StateChange>(&rec.body)) {
    j.Field("peer", PeerText(s->peer_address));
    j.Field("type", "STATE_CHANGE");
    MrtJson(j, rec, meta);
    j.Key("peer_as").Uint(s->peer_as);
    j.Field("local", PeerText(s->local_address));
    j.Key("local_as").Uint(s->local_as);
    j.Field("old_state", mrt::StateName(s->old_state));
    j.Field("new_state", mrt::StateName(s->new_state));
  } else if (const auto* t = std::get_if<mrt::PeerIndexTable>(&rec.body)) {
    // The walker keeps the table for the RIB records that follow.
    result = walker.Walk(rec, [](const mrt::Route&) {});
    j.Key("peer").Null();
    j.Field("type", "PEER_INDEX_TABLE");
    MrtJson(j, rec, meta);
    const uint8_t id[4] = {static_cast<uint8_t>(t->collector_bgp_id >> 24),
                           static_cast<uint8_t>(t->collector_bgp_id >> 16),
                           static_cast<uint8_t>(t->collector_bgp_id >> 8),
                           static_cast<uint8_t>(t->collector_bgp_id)};
    std::string ids;
    AppendIpv4(&ids, id);
    j.Field("collector_bgp_id", ids);
    j.Field("view_name", t->view_name);
    j.Key("peers").BeginArray();
    for (size_t i = 0; i < t->peers.size(); ++i) {
      const mrt::Peer& p = t->peers[i];
      const uint8_t b[4] = {static_cast<uint8_t>(p.bgp_id >> 24),
                            static_cast<uint8_t>(p.bgp_id >> 16),
                            static_cast<uint8_t>(p.bgp_id >> 8),
                            static_cast<uint8_t>(p.bgp_id)};
      std::string bid;
      AppendIpv4(&bid, b);
      j.BeginObject()
          .Key("index")
          .Uint(i)
          .Field("bgp_id", bid)
          .Field("address", PeerText(p.address))
          .Key("as")
          .Uint(p.as)
          .EndObject();
    }
    j.EndArray();
  } else if (std::holds_alternative<mrt::Rib>(rec.body) ||
             std::holds_alternative<mrt::TableDump>(rec.body)) {
    j.Key("peer").Null();
    j.Field("type", "RIB");
    MrtJson(j, rec, meta);
    if (const auto* rib = std::get_if<mrt::Rib>(&rec.body)) {
      j.Field("family", FamilyName(rib->family));
      j.Key("sequence").Uint(rib->sequence);
    } else {
      const auto& td = std::get<mrt::TableDump>(rec.body);
      j.Field("family", FamilyName(Family{td.prefix.afi(), Safi::kUnicast}));
      j.Key("sequence").Uint(td.sequence);
      j.Key("view").Uint(td.view);
    }
    j.Key("entries").BeginArray();
    thread_local EntryJson entries;
    result = walker.Walk(rec, [&](const mrt::Route& r) {
      j.Raw({});  // the comma between entries
      entries.Append(out, r);
    });
    j.EndArray();
    if (!result.ok()) j.Field("error", DescribeStatus(result));
  } else {
    const auto& u = std::get<mrt::Unsupported>(rec.body);
    j.Key("peer").Null();
    j.Field("type", "UNSUPPORTED");
    MrtJson(j, rec, meta);
    j.Field("hex", HexString(u.body));
  }
  j.EndObject();
  out->push_back('\n');
  return result;
}

absl::Status RecordText(std::string* out, const mrt::Record& rec,
                        mrt::RouteWalker& walker, const MrtRecordMeta& meta) {
  const absl::Time time = rec.header.time();
  absl::StrAppend(out, FormatTimestamp(time), " MRT ", RecordKind(rec),
                  " at offset ", meta.offset, ", ", rec.bytes.size(),
                  " octets\n");
  if (const auto* m = std::get_if<mrt::Bgp4mpMessage>(&rec.body)) {
    absl::StrAppend(out, "  peer ", PeerText(m->peer_address), " AS",
                    m->peer_as, ", local ", PeerText(m->local_address), " AS",
                    m->local_as, m->local ? " (sent)" : " (received)", "\n");
    std::string peer = PeerText(m->peer_address);
    MessageMeta mm;
    mm.time = time;
    mm.peer = peer;
    mm.source = meta.source;
    return AppendMessage(out, m->message, m->params(), OutputFormat::kText, mm);
  }
  if (const auto* s = std::get_if<mrt::StateChange>(&rec.body)) {
    absl::StrAppend(out, "  peer ", PeerText(s->peer_address), " AS",
                    s->peer_as, ", local ", PeerText(s->local_address), " AS",
                    s->local_as, "\n  state ", mrt::StateName(s->old_state),
                    " -> ", mrt::StateName(s->new_state), "\n");
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<mrt::PeerIndexTable>(&rec.body)) {
    BGPY_RETURN_IF_ERROR(walker.Walk(rec, [](const mrt::Route&) {}));
    const uint8_t id[4] = {static_cast<uint8_t>(t->collector_bgp_id >> 24),
                           static_cast<uint8_t>(t->collector_bgp_id >> 16),
                           static_cast<uint8_t>(t->collector_bgp_id >> 8),
                           static_cast<uint8_t>(t->collector_bgp_id)};
    out->append("  collector ");
    AppendIpv4(out, id);
    absl::StrAppend(out, ", view '", t->view_name, "', ", t->peers.size(),
                    " peers\n");
    for (size_t i = 0; i < t->peers.size(); ++i) {
      absl::StrAppend(out, "    peer ", i, ": ", PeerText(t->peers[i].address),
                      " AS", t->peers[i].as, "\n");
    }
    return absl::OkStatus();
  }
  if (std::holds_alternative<mrt::Rib>(rec.body) ||
      std::holds_alternative<mrt::TableDump>(rec.body)) {
    return walker.Walk(rec, [&](const mrt::Route& r) {
      absl::StrAppend(out, "  entry: peer ", PeerText(r.peer_address), " AS",
                      r.peer_as, ", originated ",
                      FormatTimestamp(absl::FromUnixSeconds(r.originated)),
                      "\n");
      std::string peer = PeerText(r.peer_address);
      MessageMeta mm;
      mm.time = absl::FromUnixSeconds(r.originated);
      mm.peer = peer;
      AppendUpdate(out, *r.update, {}, OutputFormat::kText, mm);
    });
  }
  const auto& u = std::get<mrt::Unsupported>(rec.body);
  absl::StrAppend(out, "  (not decoded) ", HexString(u.body), "\n");
  return absl::OkStatus();
}

}  // namespace

absl::Status AppendBgpdump(std::string* out, const mrt::Record& record,
                           mrt::RouteWalker& walker,
                           const BgpdumpOptions& options) {
  if (const auto* s = std::get_if<mrt::StateChange>(&record.body)) {
    AppendBgpdumpState(out, record, *s);
    return absl::OkStatus();
  }
  // The record's lines, appended to `out` at once.
  thread_local CharBuffer lines;
  lines.Clear();
  // TABLE_DUMP_V2 RIB records: the prefix and peer texts made once.
  thread_local RibLineCache rib_cache;
  rib_cache.NewRecord();
  RibLineCache* const cache =
      std::holds_alternative<mrt::Rib>(record.body) ? &rib_cache : nullptr;
  // "TYPE|time", the same for every route of the record but for the _AP
  // of routes with path ids: made once each.
  // (Kept between records: no allocation per record.)
  thread_local std::string heads[2];
  heads[0].clear();
  heads[1].clear();
  absl::Status st = walker.Walk(record, [&](const mrt::Route& r) {
    if (options.only_bgpdump_families && !IsBgpdumpFamily(r.route.family)) {
      if (options.skipped_routes != nullptr) ++*options.skipped_routes;
      return;
    }
    const bool path_id = r.route.path_id.has_value();
    std::string& head = heads[path_id];
    if (head.empty()) {
      AppendLineType(&head, record, path_id);
      head.push_back('|');
      AppendLineTime(&head, record.header);
    }
    PutBgpdumpRoute(lines, record, r, head, cache);
  });
  out->append(lines.view().data(), lines.size());
  return st;
}

absl::Status AppendMrtRecord(std::string* out, const mrt::Record& record,
                             mrt::RouteWalker& walker, OutputFormat f,
                             const MrtRecordMeta& meta) {
  switch (f) {
    case OutputFormat::kJson:
      return RecordJson(out, record, walker, meta);
    case OutputFormat::kText:
      return RecordText(out, record, walker, meta);
    case OutputFormat::kHex:
      AppendHex(out, record.bytes);
      out->push_back('\n');
      // Keep the walker's peer index table current.
      return walker.Walk(record, [](const mrt::Route&) {});
  }
  return absl::OkStatus();
}

std::string RenderMrtError(wire::Bytes bytes, const absl::Status& status,
                           OutputFormat f, const MrtRecordMeta& meta) {
  std::string what = absl::StrCat(meta.source, meta.source.empty() ? "" : ": ",
                                  "MRT record at offset ", meta.offset);
  if (!meta.type_name.empty())
    absl::StrAppend(&what, " (", meta.type_name, ")");
  absl::StrAppend(&what, ": ", DescribeStatus(status));
  if (f == OutputFormat::kJson) {
    std::string line;
    JsonWriter j(&line);
    j.BeginObject().Field("error", what).Key("offset").Uint(meta.offset);
    j.Field("hex", HexString(bytes)).EndObject();
    line.push_back('\n');
    return line;
  }
  return absl::StrCat("error: ", what, "\n");
}

}  // namespace bgpy
