// Copyright 2026 The bgpy Authors.
//
// Conformance against the third-party corpus in <shared>/corpus (read in
// place; see its README.md and EDGE_CASES.md):
//  - every well-framed message of the normal group decodes, and re-encodes
//    to the exact same bytes;
//  - the normalized fields (type, OPEN basics and capabilities, UPDATE
//    prefixes/next hops/AS_PATH/communities/ORIGIN/MED/LOCAL_PREF,
//    NOTIFICATION code/subcode) match tshark 4.0.17's decode, except where
//    tshark is known to be unreliable (TSHARK_FLAGGED.tsv, its AS-size and
//    ADD-PATH heuristics);
//  - fuzz-group and framing-broken lines never crash, every failure has a
//    message, and broken framing gives a header error (NOTIFICATION 1/x).
//
// Skipped with a message when the corpus is absent, except under CI=true.
#include "testlib/corpus.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bgpy/attributes.h"
#include "bgpy/capabilities.h"
#include "bgpy/decode_context.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/update.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::CanonicalIpBytes;
using ::bgpy::testing::Corpus;
using ::bgpy::testing::Expectation;
using ::bgpy::testing::ExpectedMp;
using ::bgpy::testing::ExpectedSegment;
using ::bgpy::testing::FormatPrefix;
using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::bgpy::testing::TsharkMessage;

// Messages of the normal group that are malformed on purpose (README,
// "Fuzz group" caveat) and that a correct decoder must reject, with the
// NOTIFICATION code/subcode it must ask for.
struct ExpectedRejection {
  const char* file;
  int line;
  bool four_octet_as;  // the context to decode it in (no OPENs in the file)
  bool add_path;       // IPv4 and IPv6 unicast
  uint8_t code;
  uint8_t subcodes[2];  // any of these
  const char* why;
};
constexpr ExpectedRejection kExpectedRejections[] = {
    // Two MP_REACH_NLRI and two MP_UNREACH_NLRI in one UPDATE, the first
    // MP_REACH with flags 0x40 (not optional), NEXT_HOP of length 0.
    {"tcpdump_bgp-addpath.pcap.hex",
     1,
     false,
     true,
     3,
     {1, 4},
     "session reset: RFC 7606 §3(g) MP_REACH/MP_UNREACH more than once "
     "(3/1 Malformed Attribute List), or the MP_REACH flags conflict "
     "(RFC 4271 §6.3 3/4; RFC 7606 §5.3 no treat-as-withdraw when the "
     "MP NLRI cannot be trusted)"},
};

const ExpectedRejection* FindRejection(const std::string& file, int line) {
  for (const auto& r : kExpectedRejections) {
    if (file == r.file && line == r.line) return &r;
  }
  return nullptr;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// Loads the corpus once; nullptr (and the reason) when it is absent.
const Corpus* GetCorpus(std::string* why) {
  static const std::optional<Corpus>* corpus = [] {
    auto* c = new std::optional<Corpus>();
    if (auto shared = testing::FindSharedDir()) {
      auto loaded = Corpus::Load(*shared + "/corpus");
      if (loaded.ok()) {
        *c = *std::move(loaded);
      } else {
        ADD_FAILURE() << "corpus present but unreadable: " << loaded.status();
      }
    }
    return c;
  }();
  if (!corpus->has_value()) {
    *why =
        "conformance corpus not found: set BGPY_SHARED_DIR to the folder "
        "holding corpus/ (default: <source>/../shared)";
    return nullptr;
  }
  return &**corpus;
}

#define BGPY_REQUIRE_CORPUS(var)                              \
  std::string corpus_why_;                                    \
  const Corpus* var = GetCorpus(&corpus_why_);                \
  if (var == nullptr) {                                       \
    if (InCi()) FAIL() << corpus_why_ << " (required in CI)"; \
    GTEST_SKIP() << corpus_why_;                              \
  }

// --- Session context ------------------------------------------------------

std::string Describe(const SessionParams& p) {
  std::vector<std::string> ap;
  for (Family f : p.add_path_families()) ap.push_back(FamilyName(f));
  return absl::StrCat(p.four_octet_as ? "4-octet AS" : "2-octet AS",
                      p.extended_message ? ", extended message" : "",
                      ap.empty() ? "" : ", ADD-PATH ", absl::StrJoin(ap, ","));
}

// --- Our side of the comparison --------------------------------------------

std::string PrefixText(Afi afi, const NlriEntryView& e, bool* ok) {
  auto p = DecodeIpPrefix(afi, e.bytes);
  if (!p.ok()) {
    *ok = false;
    return absl::StrCat("<", p.status().message(), ">");
  }
  return FormatPrefix(
      CanonicalIpBytes(p->address().bytes(), p->address().byte_length()),
      p->length(), e.path_id);
}

std::vector<std::string> Prefixes(const NlriView& v, Afi afi, bool* ok) {
  std::vector<std::string> out;
  for (const NlriEntryView& e : v) out.push_back(PrefixText(afi, e, ok));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ExpectedSegment> Segments(const AsPath& path) {
  std::vector<ExpectedSegment> out;
  for (const auto& s : path.segments) {
    out.push_back(ExpectedSegment{static_cast<int>(s.type), s.asns});
  }
  return out;
}

std::string SegmentsText(const std::vector<ExpectedSegment>& segs) {
  std::vector<std::string> parts;
  for (const auto& s : segs) {
    parts.push_back(
        absl::StrCat(s.type, ":[", absl::StrJoin(s.asns, " "), "]"));
  }
  return absl::StrJoin(parts, " ");
}

// RFC 6793 §4.2.3 for the plain case (every segment an AS_SEQUENCE): keep
// the leading AS_PATH ASNs so the result has as many as AS_PATH. nullopt
// when a segment is not a sequence (not checked here).
std::optional<std::vector<ExpectedSegment>> SimpleMerge(
    const std::vector<ExpectedSegment>& as_path,
    const std::vector<ExpectedSegment>& as4_path) {
  std::vector<uint32_t> a, b;
  for (const auto& s : as_path) {
    if (s.type != 2) return std::nullopt;
    a.insert(a.end(), s.asns.begin(), s.asns.end());
  }
  for (const auto& s : as4_path) {
    if (s.type != 2) return std::nullopt;
    b.insert(b.end(), s.asns.begin(), s.asns.end());
  }
  if (b.size() > a.size()) return as_path;  // AS4_PATH ignored
  std::vector<uint32_t> merged(a.begin(), a.begin() + (a.size() - b.size()));
  merged.insert(merged.end(), b.begin(), b.end());
  if (merged.empty()) return std::vector<ExpectedSegment>{};
  return std::vector<ExpectedSegment>{ExpectedSegment{2, merged}};
}

// --- Bookkeeping
// ---------------------------------------------------------------

struct Stats {
  std::map<std::string, int> compared;  // field -> comparisons
  std::map<std::string, int> mismatched;
  std::map<std::string, int> skipped;  // reason -> count
  std::vector<std::string> failures;
  int decoded = 0;
  int round_tripped = 0;
  int rejected_as_expected = 0;

  void Fail(const std::string& where, const std::string& what) {
    failures.push_back(absl::StrCat(where, ": ", what));
  }
  // `ref` names where the expected value comes from.
  template <typename T, typename U>
  void Compare(const std::string& where, const std::string& field,
               const T& ours, const U& expected, const char* ref = "tshark") {
    ++compared[field];
    if (!(ours == expected)) {
      ++mismatched[field];
      failures.push_back(absl::StrCat(where, ": ", field, ": ours ",
                                      ToText(ours), " vs ", ref, " ",
                                      ToText(expected)));
    }
  }
  void Skip(const std::string& reason) { ++skipped[reason]; }

  static std::string ToText(const std::string& s) { return "'" + s + "'"; }
  static std::string ToText(const char* s) { return ToText(std::string(s)); }
  template <typename T>
  static std::string ToText(const std::optional<T>& o) {
    return o ? ToText(*o) : std::string("(absent)");
  }
  static std::string ToText(const std::vector<std::string>& v) {
    return "[" + absl::StrJoin(v, ", ") + "]";
  }
  static std::string ToText(const std::vector<ExpectedSegment>& v) {
    return "{" + SegmentsText(v) + "}";
  }
  static std::string ToText(const std::vector<int>& v) {
    return "[" + absl::StrJoin(v, ",") + "]";
  }
  static std::string ToText(const std::vector<std::pair<int, int>>& v) {
    std::vector<std::string> s;
    for (auto [a, b] : v) s.push_back(absl::StrCat(a, "/", b));
    return ToText(s);
  }
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
  static std::string ToText(T v) {
    return absl::StrCat(+v);
  }

  void Report(const char* title) const {
    std::string s = absl::StrCat(
        title, ": decoded ", decoded, ", re-encoded exactly ", round_tripped,
        ", rejected as expected ", rejected_as_expected, "\n");
    int total = 0;
    for (const auto& [field, n] : compared) {
      auto it = mismatched.find(field);
      int bad = it == mismatched.end() ? 0 : it->second;
      absl::StrAppend(&s, "  ", field, ": ", n, " compared, ", bad,
                      " mismatched\n");
      total += n;
    }
    absl::StrAppend(&s, "  total field comparisons: ", total, "\n");
    for (const auto& [reason, n] : skipped) {
      absl::StrAppend(&s, "  skipped (", reason, "): ", n, "\n");
    }
    absl::StrAppend(&s, "  failures: ", failures.size(), "\n");
    std::printf("%s", s.c_str());
    std::fflush(stdout);
  }

  // One gtest failure per problem (the first 300), then a count.
  void Emit() const {
    size_t n = 0;
    for (const std::string& f : failures) {
      if (++n > 300) break;
      ADD_FAILURE() << f;
    }
    if (failures.size() > 300) {
      ADD_FAILURE() << failures.size() - 300 << " more failures not shown";
    }
  }
};

// --- Comparison per message
// ------------------------------------------------------

void CompareOpen(const std::string& where, const Open& o, const Expectation& x,
                 Stats& st) {
  st.Compare(where, "open.my_as", std::optional<uint32_t>(o.my_as), x.my_as);
  st.Compare(where, "open.hold_time", std::optional<uint32_t>(o.hold_time),
             x.hold_time);
  const uint8_t id[4] = {static_cast<uint8_t>(o.bgp_id >> 24),
                         static_cast<uint8_t>(o.bgp_id >> 16),
                         static_cast<uint8_t>(o.bgp_id >> 8),
                         static_cast<uint8_t>(o.bgp_id)};
  st.Compare(where, "open.identifier",
             std::optional<std::string>(CanonicalIpBytes(id, 4)), x.identifier);
  std::vector<int> codes;
  std::vector<std::pair<int, int>> mp;
  std::optional<uint32_t> four;
  for (const Capability* c : o.Capabilities()) {
    codes.push_back(CapabilityCodeOf(*c));
    if (const auto* m = std::get_if<MultiprotocolCapability>(c)) {
      mp.emplace_back(static_cast<int>(m->family.afi),
                      static_cast<int>(m->family.safi));
    }
    if (const auto* f = std::get_if<FourOctetAsCapability>(c)) {
      if (!four) four = f->asn;
    }
  }
  st.Compare(where, "open.capability_codes", codes, x.capability_codes);
  st.Compare(where, "open.mp_families", mp, x.mp_families);
  st.Compare(where, "open.four_octet_as", four, x.four_octet_as);
}

struct UpdateCompareOptions {
  bool compare_as_path = true;
  bool compare_prefixes = true;
};

void CompareUpdate(const std::string& where, const UpdateView& v,
                   const SessionParams& params, const Expectation& x,
                   const UpdateCompareOptions& opt, Stats& st) {
  bool ok = true;
  if (opt.compare_prefixes) {
    st.Compare(where, "update.withdrawn",
               Prefixes(v.withdrawn(), Afi::kIpv4, &ok), x.withdrawn);
    st.Compare(where, "update.nlri", Prefixes(v.nlri(), Afi::kIpv4, &ok),
               x.nlri);
  }

  std::vector<ExpectedMp> reach, unreach;
  std::optional<AsPath> as_path_raw, as4_path_raw;
  std::optional<std::vector<std::string>> communities, large;
  for (const AttributeView& a : v.attributes()) {
    switch (a.code) {
      case static_cast<uint8_t>(AttrCode::kMpReachNlri): {
        auto r = DecodeMpReach(a.value);
        ExpectedMp m;
        if (!r.ok()) {
          st.Fail(where, absl::StrCat("MP_REACH does not decode: ",
                                      r.status().message()));
          break;
        }
        m.afi = static_cast<int>(r->family.afi);
        m.safi = static_cast<int>(r->family.safi);
        if (r->family == kIpv4Unicast || r->family == kIpv6Unicast) {
          auto nh = DecodeMpNextHop(r->next_hop);
          if (nh.ok()) {
            m.next_hop = CanonicalIpBytes(nh->address.bytes(),
                                          nh->address.byte_length());
            if (nh->link_local) {
              m.link_local = CanonicalIpBytes(nh->link_local->bytes(),
                                              nh->link_local->byte_length());
            }
          } else {
            m.next_hop = absl::StrCat("<", nh.status().message(), ">");
          }
          NlriView nv(r->family, r->nlri, params.HasAddPath(r->family));
          m.prefixes = Prefixes(nv, r->family.afi, &ok);
        }
        reach.push_back(std::move(m));
        break;
      }
      case static_cast<uint8_t>(AttrCode::kMpUnreachNlri): {
        auto u = DecodeMpUnreach(a.value);
        ExpectedMp m;
        if (!u.ok()) {
          st.Fail(where, absl::StrCat("MP_UNREACH does not decode: ",
                                      u.status().message()));
          break;
        }
        m.afi = static_cast<int>(u->family.afi);
        m.safi = static_cast<int>(u->family.safi);
        if (u->family == kIpv4Unicast || u->family == kIpv6Unicast) {
          NlriView nv(u->family, u->withdrawn, params.HasAddPath(u->family));
          m.prefixes = Prefixes(nv, u->family.afi, &ok);
        }
        unreach.push_back(std::move(m));
        break;
      }
      case static_cast<uint8_t>(AttrCode::kAsPath): {
        auto p = DecodeAsPath(a.value, params.four_octet_as);
        if (p.ok()) {
          as_path_raw = *p;
        } else {
          st.Fail(where, absl::StrCat("AS_PATH does not decode: ",
                                      p.status().message()));
        }
        break;
      }
      case static_cast<uint8_t>(AttrCode::kAs4Path): {
        auto p = DecodeAsPath(a.value, true);
        if (p.ok()) as4_path_raw = *p;
        break;
      }
      case static_cast<uint8_t>(AttrCode::kCommunities): {
        auto c = DecodeU32List(a.value);
        communities.emplace();
        if (c.ok()) {
          for (uint32_t x32 : *c) communities->push_back(FormatCommunity(x32));
        } else {
          communities->push_back(absl::StrCat("<", c.status().message(), ">"));
        }
        break;
      }
      case static_cast<uint8_t>(AttrCode::kLargeCommunities): {
        auto c = DecodeLargeCommunities(a.value);
        large.emplace();
        if (c.ok()) {
          for (const auto& lc : *c) large->push_back(lc.ToString());
        } else {
          large->push_back(absl::StrCat("<", c.status().message(), ">"));
        }
        break;
      }
      default:
        break;
    }
  }
  if (!ok) st.Fail(where, "a prefix the view accepted does not decode");

  st.Compare(where, "update.mp_reach.count", reach.size(), x.mp_reach.size());
  for (size_t i = 0; i < std::min(reach.size(), x.mp_reach.size()); ++i) {
    std::string f = "update.mp_reach";
    st.Compare(where, f + ".afi_safi",
               std::vector<std::pair<int, int>>{{reach[i].afi, reach[i].safi}},
               std::vector<std::pair<int, int>>{
                   {x.mp_reach[i].afi, x.mp_reach[i].safi}});
    bool unicast = (x.mp_reach[i].afi == 1 || x.mp_reach[i].afi == 2) &&
                   x.mp_reach[i].safi == 1;
    if (!unicast) continue;
    st.Compare(where, f + ".next_hop", reach[i].next_hop,
               x.mp_reach[i].next_hop);
    st.Compare(where, f + ".link_local", reach[i].link_local,
               x.mp_reach[i].link_local);
    if (opt.compare_prefixes) {
      st.Compare(where, f + ".prefixes", reach[i].prefixes,
                 x.mp_reach[i].prefixes);
    }
  }
  st.Compare(where, "update.mp_unreach.count", unreach.size(),
             x.mp_unreach.size());
  for (size_t i = 0; i < std::min(unreach.size(), x.mp_unreach.size()); ++i) {
    std::string f = "update.mp_unreach";
    st.Compare(
        where, f + ".afi_safi",
        std::vector<std::pair<int, int>>{{unreach[i].afi, unreach[i].safi}},
        std::vector<std::pair<int, int>>{
            {x.mp_unreach[i].afi, x.mp_unreach[i].safi}});
    bool unicast = (x.mp_unreach[i].afi == 1 || x.mp_unreach[i].afi == 2) &&
                   x.mp_unreach[i].safi == 1;
    if (unicast && opt.compare_prefixes) {
      st.Compare(where, f + ".prefixes", unreach[i].prefixes,
                 x.mp_unreach[i].prefixes);
    }
  }

  // NEXT_HOP as on the wire (tshark shows it even where RFC 4760 §3 says
  // to ignore it); the typed accessor must agree unless it was discarded.
  std::optional<std::string> nh;
  for (const AttributeView& a : v.attributes()) {
    if (a.code == static_cast<uint8_t>(AttrCode::kNextHop) &&
        a.value.size() == 4) {
      nh = CanonicalIpBytes(a.value.data(), 4);
      break;
    }
  }
  st.Compare(where, "update.next_hop", nh, x.next_hop);
  if (!v.discarded(static_cast<uint8_t>(AttrCode::kNextHop))) {
    std::optional<std::string> typed;
    if (auto a = v.next_hop()) {
      typed = CanonicalIpBytes(a->bytes(), a->byte_length());
    }
    st.Compare(where, "update.next_hop.typed", typed, nh, "wire NEXT_HOP");
  }

  // RFC 7606 outcome: a message tshark decodes without complaint needs no
  // error handling, except that routes without the well-known mandatory
  // attributes are treat-as-withdraw (RFC 7606 §3(d)): ORIGIN, AS_PATH
  // (for which BGPsec_PATH stands in, RFC 8205 §4.1) and, for IPv4 NLRI in
  // the NLRI field, NEXT_HOP (RFC 4760 §3: an MP-only UPDATE's NEXT_HOP is
  // ignored, so it cannot make the routes malformed).
  auto has = [&](int code) {
    return std::find(x.attribute_codes.begin(), x.attribute_codes.end(),
                     code) != x.attribute_codes.end();
  };
  auto mp_nlri = v.mp_reach_nlri();
  bool has_nlri = !v.nlri().empty() || (mp_nlri && !mp_nlri->empty());
  bool missing = has_nlri && (!has(1) || (!has(2) && !has(33)) ||
                              (!v.nlri().empty() && !has(3)));
  std::string want_verdict = missing ? "treat-as-withdraw" : "ok";
  std::string verdict = VerdictName(v.verdict());
  if (verdict == want_verdict) {
    st.Compare(where, "update.verdict", want_verdict, want_verdict);
  } else {
    std::vector<Finding> findings;
    (void)UpdateView::Parse(v.message(), params, &findings);
    for (const Finding& f : findings) {
      absl::StrAppend(&verdict, "; ", VerdictName(f.verdict), " ",
                      AttributeName(f.attr_code), ": ", f.detail);
    }
    st.Compare(where, "update.verdict", verdict, want_verdict,
               "RFC 7606 §3(d) expectation");
  }

  if (opt.compare_as_path) {
    std::optional<std::vector<ExpectedSegment>> ours_path, ours_path4;
    if (as_path_raw) ours_path = Segments(*as_path_raw);
    if (as4_path_raw) ours_path4 = Segments(*as4_path_raw);
    st.Compare(where, "update.as_path", ours_path, x.as_path);
    st.Compare(where, "update.as4_path", ours_path4, x.as4_path);
    // The merged path (RFC 6793 §4.2.3) the view reports.
    if (x.as_path) {
      std::optional<std::vector<ExpectedSegment>> want = *x.as_path;
      if (x.as4_path && !params.four_octet_as) {
        want = SimpleMerge(*x.as_path, *x.as4_path);
      }
      if (want) {
        std::optional<std::vector<ExpectedSegment>> got;
        if (auto p = v.as_path()) got = Segments(*p);
        st.Compare(where, "update.as_path.merged", got, want,
                   "RFC 6793 §4.2.3 merge of tshark's paths");
      }
    }
  }

  if (communities && x.communities_unordered) {
    std::sort(communities->begin(), communities->end());
  }
  st.Compare(where, "update.communities", communities, x.communities);
  st.Compare(where, "update.large_communities", large, x.large_communities);
  std::optional<int> origin;
  if (auto o = v.origin()) origin = static_cast<int>(*o);
  st.Compare(where, "update.origin", origin, x.origin);
  st.Compare(where, "update.med", v.med(), x.med);
  st.Compare(where, "update.local_pref", v.local_pref(), x.local_pref);
}

// Endpoint keys of the OPENs seen per TCP stream.
using OpenTable = std::map<std::pair<int, std::string>, Open>;

TEST(CorpusTest, TablesAndTsharkDecodesLoad) {
  BGPY_REQUIRE_CORPUS(corpus);
  EXPECT_EQ(corpus->malformed_count(), 13u);  // README: 13 broken lines
  int lines = 0, normal_flagged = 0;
  for (const std::string& file : corpus->hex_files()) {
    SCOPED_TRACE(file);
    auto hex = corpus->ReadHexLines(file);
    ASSERT_TRUE(hex.ok()) << hex.status();
    EXPECT_EQ(static_cast<int>(hex->size()), corpus->IndexedLines(file));
    EXPECT_FALSE(corpus->Group(file).empty()) << "not in INDEX.tsv";
    auto tshark = corpus->LoadTshark(file);
    ASSERT_TRUE(tshark.ok()) << tshark.status();
    ASSERT_EQ(tshark->size(), hex->size()) << "tshark decode not aligned";
    for (size_t i = 0; i < hex->size(); ++i) {
      int line = static_cast<int>(i) + 1;
      ++lines;
      if (corpus->IsTsharkFlagged(file, line) && !corpus->IsFuzz(file)) {
        ++normal_flagged;
      }
      if (corpus->IsFuzz(file) || corpus->IsMalformed(file, line)) continue;
      auto x = testing::ExtractExpectation((*tshark)[i].bgp);
      EXPECT_TRUE(x.ok()) << file << ":" << line << ": " << x.status();
      // tshark's length field agrees with the line.
      const std::string* len = (*tshark)[i].bgp.GetText("bgp.length");
      ASSERT_NE(len, nullptr) << file << ":" << line;
      EXPECT_EQ(*len, std::to_string((*hex)[i].size() / 2))
          << file << ":" << line;
    }
  }
  EXPECT_EQ(lines, 1321);         // README
  EXPECT_EQ(normal_flagged, 12);  // README: 12 outside the fuzz group
}

TEST(CorpusTest, NormalMessagesDecodeRoundTripAndMatchTshark) {
  BGPY_REQUIRE_CORPUS(corpus);
  Stats st;
  for (const std::string& file : corpus->hex_files()) {
    if (corpus->IsFuzz(file)) continue;
    auto hex = corpus->ReadHexLines(file);
    auto tshark = corpus->LoadTshark(file);
    ASSERT_TRUE(hex.ok() && tshark.ok()) << file;
    ASSERT_EQ(hex->size(), tshark->size()) << file;
    OpenTable opens;
    for (size_t i = 0; i < hex->size(); ++i) {
      const int line = static_cast<int>(i) + 1;
      const std::string where = absl::StrCat(file, ":", line);
      if (corpus->IsMalformed(file, line)) continue;  // none outside fuzz
      const TsharkMessage& tm = (*tshark)[i];
      const std::vector<uint8_t> bytes = FromHex((*hex)[i]);
      ASSERT_GE(bytes.size(), kHeaderSize) << where;

      // Session context: both OPENs of this TCP stream, if seen.
      std::optional<SessionParams> known;
      auto snd = opens.find({tm.tcp_stream, tm.src});
      auto rcv = opens.find({tm.tcp_stream, tm.dst});
      if (snd != opens.end() && rcv != opens.end()) {
        known = ParamsFromOpens(snd->second, rcv->second);
        if (bytes.size() > kMaxMessageSize && !known->extended_message) {
          st.Fail(where, "message over 4096 octets without RFC 8654");
          known->extended_message = true;
        }
      }
      // Without both OPENs: the library's guessing order (DecodeContext).
      const SessionParams chosen = known ? *known : DecodeContext().For(bytes);
      std::optional<SessionParams> params;
      absl::Status first_error = DecodeMessage(bytes, chosen).status();
      if (first_error.ok()) params = chosen;

      if (const ExpectedRejection* r = FindRejection(file, line)) {
        SessionParams rp;
        rp.four_octet_as = r->four_octet_as;
        rp.SetAddPath(kIpv4Unicast, r->add_path);
        rp.SetAddPath(kIpv6Unicast, r->add_path);
        first_error = UpdateView::Parse(bytes, rp).status();
        if (first_error.ok()) params = rp;
        auto n = GetNotification(first_error);
        if (params) {
          st.Fail(where,
                  absl::StrCat("decoded, but must be rejected: ", r->why));
        } else if (!n || n->code != r->code ||
                   (n->subcode != r->subcodes[0] &&
                    n->subcode != r->subcodes[1])) {
          st.Fail(where, absl::StrCat("rejected with ", first_error.ToString(),
                                      "; want NOTIFICATION ", r->code, "/",
                                      r->subcodes[0], " or ", r->code, "/",
                                      r->subcodes[1], ": ", r->why));
        } else {
          ++st.rejected_as_expected;
        }
        continue;
      }
      if (!params) {
        st.Fail(where, absl::StrCat("decode failed (",
                                    known ? "negotiated" : "inferred",
                                    " context): ", first_error.ToString()));
        continue;
      }

      auto msg = DecodeMessage(bytes, *params);
      if (!msg.ok()) {
        st.Fail(where,
                absl::StrCat("DecodeMessage failed under ", Describe(*params),
                             ": ", msg.status().ToString()));
        continue;
      }
      ++st.decoded;
      if (TypeOf(*msg) == MessageType::kOpen) {
        opens[{tm.tcp_stream, tm.src}] = std::get<Open>(*msg);
      }

      // Exact re-encoding.
      auto enc = EncodeMessage(*msg, *params);
      if (!enc.ok()) {
        st.Fail(where, absl::StrCat("EncodeMessage failed: ",
                                    enc.status().ToString()));
      } else if (*enc != bytes) {
        st.Fail(where, absl::StrCat("re-encoding differs:\n  in  ", (*hex)[i],
                                    "\n  out ", ToHex(*enc)));
      } else {
        ++st.round_tripped;
      }

      // Against tshark.
      if (corpus->IsTsharkFlagged(file, line)) {
        st.Skip("tshark flagged the message (TSHARK_FLAGGED.tsv)");
        continue;
      }
      auto x = testing::ExtractExpectation(tm.bgp);
      if (!x.ok()) {
        st.Fail(where, absl::StrCat("tshark decode unreadable: ",
                                    x.status().ToString()));
        continue;
      }
      st.Compare(where, "type", static_cast<int>(TypeOf(*msg)), x->type);
      switch (TypeOf(*msg)) {
        case MessageType::kOpen:
          CompareOpen(where, std::get<Open>(*msg), *x, st);
          break;
        case MessageType::kNotification: {
          const auto& n = std::get<Notification>(*msg);
          st.Compare(where, "notification.code", std::optional<int>(n.code),
                     x->error_code);
          st.Compare(where, "notification.subcode",
                     std::optional<int>(n.subcode), x->error_subcode);
          break;
        }
        case MessageType::kUpdate: {
          auto v = UpdateView::Parse(bytes, *params);
          if (!v.ok()) {
            st.Fail(where, "UpdateView::Parse disagrees with DecodeMessage");
            break;
          }
          if (!(v->ToOwned() == std::get<Update>(*msg))) {
            st.Fail(where, "UpdateView::ToOwned() != DecodeMessage's Update");
          }
          UpdateCompareOptions opt;
          // tshark guesses the AS size per message (bgp.asn_len: auto);
          // where it guessed differently from the negotiated or inferred
          // size, its AS_PATH is not a reference.
          int ours_size = params->four_octet_as ? 4 : 2;
          if (x->as_path_asn_size != 0 && x->as_path_asn_size != ours_size) {
            opt.compare_as_path = false;
            st.Skip(known ? "tshark AS-size heuristic disagrees with the OPENs"
                          : "AS size unknown without OPENs (tshark heuristic)");
          }
          // tshark also guesses ADD-PATH per message.
          bool ours_ap = params->HasAddPath(kIpv4Unicast) ||
                         params->HasAddPath(kIpv6Unicast);
          if (x->has_path_id != ours_ap &&
              !(v->withdrawn().empty() && v->nlri().empty() && !v->mp_reach() &&
                !v->mp_unreach())) {
            opt.compare_prefixes = false;
            st.Skip(known
                        ? "tshark ADD-PATH heuristic disagrees with the OPENs"
                        : "ADD-PATH unknown without OPENs (tshark heuristic)");
          }
          CompareUpdate(where, *v, *params, *x, opt, st);
          break;
        }
        default:
          break;
      }
    }
  }
  st.Report("corpus conformance (normal group)");
  st.Emit();
  EXPECT_GT(st.decoded, 1200);
}

// Decodes `bytes` every way a tool might; must not crash; every failure
// must say what is wrong.
void DecodeEveryWay(const std::string& where, const std::vector<uint8_t>& bytes,
                    Stats& st) {
  for (const SessionParams& p : DecodeContext().Candidates()) {
    for (bool ext : {false, true}) {
      SessionParams q = p;
      q.extended_message = ext;
      auto msg = DecodeMessage(bytes, q);
      if (!msg.ok()) {
        if (msg.status().message().empty()) {
          st.Fail(where, absl::StrCat("DecodeMessage error without a message (",
                                      Describe(q), ")"));
        }
      } else {
        ++st.decoded;
        // A message that decodes is well formed: it must re-encode exactly.
        auto enc = EncodeMessage(*msg, q);
        if (enc.ok() && *enc == bytes) {
          ++st.round_tripped;
        } else {
          st.Fail(where, absl::StrCat("decoded under ", Describe(q),
                                      " but does not re-encode exactly"));
        }
      }
      if (bytes.size() >= kHeaderSize &&
          bytes[18] == static_cast<uint8_t>(MessageType::kUpdate)) {
        std::vector<Finding> findings;
        auto v = UpdateView::Parse(bytes, q, &findings);
        if (!v.ok()) {
          if (v.status().message().empty()) {
            st.Fail(where, "UpdateView::Parse error without a message");
          }
          continue;
        }
        // Walk everything the view offers: every span it hands out lies
        // inside the message.
        const uint8_t* lo = bytes.data();
        const uint8_t* hi = bytes.data() + bytes.size();
        auto inside = [&](wire::Bytes b) {
          if (b.empty()) return;
          if (b.data() < lo || b.data() + b.size() > hi) {
            st.Fail(where, "a view points outside the message");
          }
        };
        for (const auto& e : v->withdrawn()) inside(e.bytes);
        for (const auto& e : v->nlri()) inside(e.bytes);
        for (const AttributeView& a : v->attributes()) {
          inside(a.value);
          inside(a.raw);
        }
        if (auto r = v->mp_reach_nlri()) {
          for (const auto& e : *r) inside(e.bytes);
        }
        if (auto u = v->mp_unreach_nlri()) {
          for (const auto& e : *u) inside(e.bytes);
        }
        (void)v->as_path();
        (void)v->origin();
        (void)v->next_hop();
        (void)v->end_of_rib();
        (void)v->ToOwned();
        for (const Finding& f : findings) {
          if (f.detail.empty())
            st.Fail(where, "RFC 7606 finding without detail");
        }
      }
    }
  }
}

TEST(CorpusTest, FuzzAndBrokenFramingNeverCrash) {
  BGPY_REQUIRE_CORPUS(corpus);
  Stats st;
  int lines = 0, broken = 0;
  for (const std::string& file : corpus->hex_files()) {
    auto hex = corpus->ReadHexLines(file);
    ASSERT_TRUE(hex.ok()) << file;
    for (size_t i = 0; i < hex->size(); ++i) {
      const int line = static_cast<int>(i) + 1;
      const bool malformed = corpus->IsMalformed(file, line);
      if (!corpus->IsFuzz(file) && !malformed) continue;
      const std::string where = absl::StrCat(file, ":", line);
      const std::vector<uint8_t> bytes = FromHex((*hex)[i]);
      ++lines;
      DecodeEveryWay(where, bytes, st);
      if (malformed) {
        ++broken;
        // Broken marker or length: a header error (RFC 4271 §6.1),
        // whatever the context.
        for (bool ext : {false, true}) {
          SessionParams p;
          p.extended_message = ext;
          auto msg = DecodeMessage(bytes, p);
          auto n = GetNotification(msg.status());
          if (msg.ok()) {
            st.Fail(where, "broken framing decoded");
          } else if (!n || n->code != 1) {
            st.Fail(where, absl::StrCat("broken framing: want a header error "
                                        "(NOTIFICATION 1/x), got ",
                                        msg.status().ToString()));
          } else {
            ++st.compared["header error"];
          }
        }
      }
    }
  }
  EXPECT_EQ(lines, 46);   // README: fuzz group, 46 lines
  EXPECT_EQ(broken, 13);  // README: 13 with broken framing
  st.Report("fuzz group robustness");
  st.Emit();
}

// Every byte-prefix of every normal message is rejected cleanly (and never
// read past): framing checks hold for each message type in the corpus.
TEST(CorpusTest, TruncatedNormalMessagesFailCleanly) {
  BGPY_REQUIRE_CORPUS(corpus);
  Stats st;
  int checked = 0;
  for (const std::string& file : corpus->hex_files()) {
    if (corpus->IsFuzz(file)) continue;
    auto hex = corpus->ReadHexLines(file);
    ASSERT_TRUE(hex.ok()) << file;
    // The first three messages of each file keep the run short.
    for (size_t i = 0; i < hex->size() && i < 3; ++i) {
      const std::vector<uint8_t> bytes = FromHex((*hex)[i]);
      SessionParams p;
      p.extended_message = true;
      for (size_t n = 0; n < bytes.size(); ++n) {
        std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
        auto msg = DecodeMessage(cut, p);
        ++checked;
        if (msg.ok()) {
          st.Fail(absl::StrCat(file, ":", i + 1),
                  absl::StrCat("decoded when cut to ", n, " octets"));
        } else if (msg.status().message().empty()) {
          st.Fail(absl::StrCat(file, ":", i + 1),
                  absl::StrCat("error without message when cut to ", n));
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
  st.Emit();
}

}  // namespace
}  // namespace bgpy
