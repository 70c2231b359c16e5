// Copyright 2026 The bgpy Authors.
#include "testlib/corpus.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bgpy::testing {

namespace fs = std::filesystem;

namespace {

bool HasCorpus(const fs::path& shared) {
  std::error_code ec;
  return fs::is_directory(shared / "corpus" / "messages", ec);
}

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

}  // namespace

std::optional<std::string> FindSharedDir() {
  std::vector<fs::path> candidates;
  // An explicit BGPY_SHARED_DIR is the only place looked at.
  if (auto s = Env("BGPY_SHARED_DIR")) {
    candidates.emplace_back(*s);
  } else if (auto s = Env("BGPY_SOURCE_DIR")) {
    candidates.push_back(fs::path(*s) / ".." / "shared");
  }
  // This file is <source>/tests/testlib/corpus.cc.
  fs::path here(__FILE__);
  if (candidates.empty() && here.is_absolute()) {
    candidates.push_back(here.parent_path().parent_path().parent_path() / ".." /
                         "shared");
  }
  for (const fs::path& p : candidates) {
    if (HasCorpus(p)) {
      std::error_code ec;
      fs::path c = fs::weakly_canonical(p, ec);
      return (ec ? p : c).string();
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return ss.str();
}

std::vector<std::string> SplitLines(absl::string_view text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::optional<std::string> CanonicalIp(absl::string_view text) {
  std::string s(text);
  uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    return CanonicalIpBytes(buf, 4);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return CanonicalIpBytes(buf, 16);
  }
  return std::nullopt;
}

std::string CanonicalIpBytes(const uint8_t* bytes, int length) {
  char out[INET6_ADDRSTRLEN];
  const char* r =
      inet_ntop(length == 4 ? AF_INET : AF_INET6, bytes, out, sizeof(out));
  return r == nullptr ? std::string("?") : std::string(r);
}

// --- Corpus -------------------------------------------------------------

absl::StatusOr<Corpus> Corpus::Load(const std::string& corpus_dir) {
  Corpus c;
  c.dir_ = corpus_dir;
  std::error_code ec;
  for (const auto& e :
       fs::directory_iterator(fs::path(corpus_dir) / "messages", ec)) {
    std::string name = e.path().filename().string();
    if (absl::EndsWith(name, ".hex")) c.hex_files_.push_back(name);
  }
  if (ec)
    return absl::NotFoundError(
        absl::StrCat("cannot list ", corpus_dir, "/messages"));
  std::sort(c.hex_files_.begin(), c.hex_files_.end());
  if (c.hex_files_.empty()) {
    return absl::NotFoundError(absl::StrCat("no .hex files in ", corpus_dir));
  }

  // messages/INDEX.tsv: file lines OPEN UPDATE ... broken_framing group.
  auto index = ReadFile(corpus_dir + "/messages/INDEX.tsv");
  if (!index.ok()) return index.status();
  bool header = true;
  for (const std::string& row : SplitLines(*index)) {
    std::vector<std::string> cols = absl::StrSplit(row, '\t');
    if (header) {
      if (cols.size() < 9 || cols[0] != "file" || cols.back() != "group") {
        return absl::DataLossError("INDEX.tsv: unexpected header");
      }
      header = false;
      continue;
    }
    int lines;
    if (cols.size() < 9 || !absl::SimpleAtoi(cols[1], &lines)) {
      return absl::DataLossError(absl::StrCat("INDEX.tsv: bad row: ", row));
    }
    c.index_[cols[0]] = {cols.back(), lines};
  }

  // messages/MALFORMED.tsv: file line declared_length actual_bytes reason.
  auto mal = ReadFile(corpus_dir + "/messages/MALFORMED.tsv");
  if (!mal.ok()) return mal.status();
  header = true;
  for (const std::string& row : SplitLines(*mal)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cols = absl::StrSplit(row, '\t');
    int line;
    if (cols.size() < 2 || !absl::SimpleAtoi(cols[1], &line)) {
      return absl::DataLossError(absl::StrCat("MALFORMED.tsv: bad row: ", row));
    }
    c.malformed_.insert({cols[0], line});
  }

  // expected/TSHARK_FLAGGED.tsv: hex_file line frame group warnings.
  auto flagged = ReadFile(corpus_dir + "/expected/TSHARK_FLAGGED.tsv");
  if (!flagged.ok()) return flagged.status();
  header = true;
  for (const std::string& row : SplitLines(*flagged)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cols = absl::StrSplit(row, '\t');
    int line;
    if (cols.size() < 2 || !absl::SimpleAtoi(cols[1], &line)) {
      return absl::DataLossError(
          absl::StrCat("TSHARK_FLAGGED.tsv: bad row: ", row));
    }
    c.flagged_.insert({cols[0], line});
  }
  return c;
}

std::string Corpus::Group(const std::string& hex_file) const {
  auto it = index_.find(hex_file);
  return it == index_.end() ? std::string() : it->second.first;
}

int Corpus::IndexedLines(const std::string& hex_file) const {
  auto it = index_.find(hex_file);
  return it == index_.end() ? -1 : it->second.second;
}

absl::StatusOr<std::vector<std::string>> Corpus::ReadHexLines(
    const std::string& hex_file) const {
  auto text = ReadFile(dir_ + "/messages/" + hex_file);
  if (!text.ok()) return text.status();
  return SplitLines(*text);
}

absl::StatusOr<std::vector<TsharkMessage>> Corpus::LoadTshark(
    const std::string& hex_file) const {
  absl::string_view base = hex_file;
  if (!absl::ConsumeSuffix(&base, ".hex")) {
    return absl::InvalidArgumentError(absl::StrCat(hex_file, ": not .hex"));
  }
  std::string path = absl::StrCat(dir_, "/expected/", base, ".json");
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> lines = SplitLines(*text);
  if (lines.size() < 2 || lines.front() != "[" || lines.back() != "]") {
    return absl::DataLossError(
        absl::StrCat(path, ": not a one-per-line array"));
  }
  std::vector<TsharkMessage> out;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    absl::string_view l = lines[i];
    bool last = i + 2 == lines.size();
    if (!last && !absl::ConsumeSuffix(&l, ",")) {
      return absl::DataLossError(
          absl::StrCat(path, ":", i + 1, ": element does not end in ','"));
    }
    auto v = ParseJson(l);
    if (!v.ok()) {
      return absl::DataLossError(
          absl::StrCat(path, ":", i + 1, ": ", v.status().message()));
    }
    TsharkMessage m;
    const JsonValue* bgp = v->Get("bgp");
    if (bgp == nullptr || !bgp->is_object()) {
      return absl::DataLossError(absl::StrCat(path, ":", i + 1, ": no bgp"));
    }
    auto num = [&](const char* key, int& dst) {
      const JsonValue* x = v->Get(key);
      if (x != nullptr && x->is_number())
        (void)absl::SimpleAtoi(x->text(), &dst);
    };
    num("frame", m.frame);
    num("msg_in_frame", m.msg_in_frame);
    num("tcp_stream", m.tcp_stream);
    if (const std::string* s = v->GetText("src")) m.src = *s;
    if (const std::string* s = v->GetText("dst")) m.dst = *s;
    m.bgp = *bgp;
    out.push_back(std::move(m));
  }
  return out;
}

// --- Expectations --------------------------------------------------------

std::string FormatPrefix(const std::string& canonical_addr, int length,
                         std::optional<uint32_t> path_id) {
  std::string s = absl::StrCat(canonical_addr, "/", length);
  if (path_id) absl::StrAppend(&s, " id ", *path_id);
  return s;
}

namespace {

template <typename T>
absl::Status ToNumber(const JsonValue& v, absl::string_view what, T& out) {
  if (!(v.is_string() || v.is_number()) || !absl::SimpleAtoi(v.text(), &out)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not a number: '", v.text(), "'"));
  }
  return absl::OkStatus();
}

// The number in `obj[key]`, if present.
template <typename T>
absl::Status OptNumber(const JsonValue& obj, absl::string_view key,
                       std::optional<T>& out) {
  const JsonValue* v = obj.Get(key);
  if (v == nullptr) return absl::OkStatus();
  T x;
  if (absl::Status st = ToNumber(*v, key, x); !st.ok()) return st;
  out = x;
  return absl::OkStatus();
}

// Prefix entries inside a container object (withdrawn_routes, nlri,
// mp_(un)reach_nlri): every member value (arrays flattened) that holds
// bgp.prefix_length and `addr_key`.
absl::Status CollectPrefixes(const JsonValue& container,
                             std::initializer_list<absl::string_view> addr_keys,
                             std::vector<std::string>& out,
                             bool& path_id_seen) {
  if (!container.is_object()) return absl::OkStatus();
  for (const auto& [key, value] : container.members()) {
    std::vector<const JsonValue*> entries;
    if (value.is_array()) {
      for (const JsonValue& x : value.items()) entries.push_back(&x);
    } else {
      entries.push_back(&value);
    }
    for (const JsonValue* e : entries) {
      if (!e->is_object()) continue;
      const std::string* addr = nullptr;
      for (absl::string_view k : addr_keys) {
        if ((addr = e->GetText(k)) != nullptr) break;
      }
      if (addr == nullptr) continue;
      int length;
      const JsonValue* len = e->Get("bgp.prefix_length");
      if (len == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("prefix '", key, "' without bgp.prefix_length"));
      }
      if (absl::Status st = ToNumber(*len, "bgp.prefix_length", length);
          !st.ok()) {
        return st;
      }
      std::optional<uint32_t> path_id;
      if (absl::Status st = OptNumber(*e, "bgp.nlri_path_id", path_id);
          !st.ok()) {
        return st;
      }
      if (path_id) path_id_seen = true;
      std::optional<std::string> canon = CanonicalIp(*addr);
      if (!canon) {
        return absl::InvalidArgumentError(
            absl::StrCat("prefix address '", *addr, "' is not an address"));
      }
      out.push_back(FormatPrefix(*canon, length, path_id));
    }
  }
  std::sort(out.begin(), out.end());
  return absl::OkStatus();
}

absl::Status ExtractSegments(const JsonValue& attr,
                             std::vector<ExpectedSegment>& out, int* asn_size) {
  for (const JsonValue* seg :
       Members(attr, "bgp.update.path_attribute.as_path_segment")) {
    ExpectedSegment s;
    const JsonValue* type =
        seg->Get("bgp.update.path_attribute.as_path_segment.type");
    if (type == nullptr) {
      return absl::InvalidArgumentError("AS path segment without type");
    }
    if (absl::Status st = ToNumber(*type, "segment type", s.type); !st.ok()) {
      return st;
    }
    for (int size : {2, 4}) {
      std::string key =
          absl::StrCat("bgp.update.path_attribute.as_path_segment.as", size);
      for (const JsonValue* asn : Members(*seg, key)) {
        uint32_t a;
        if (absl::Status st = ToNumber(*asn, key, a); !st.ok()) return st;
        s.asns.push_back(a);
        if (asn_size != nullptr) *asn_size = size;
      }
    }
    out.push_back(std::move(s));
  }
  return absl::OkStatus();
}

absl::Status ExtractMp(const JsonValue& attr, bool reach, ExpectedMp& mp,
                       bool& path_id_seen) {
  const std::string p = reach ? "bgp.update.path_attribute.mp_reach_nlri"
                              : "bgp.update.path_attribute.mp_unreach_nlri";
  const JsonValue* afi = attr.Get(p + ".afi");
  const JsonValue* safi = attr.Get(p + ".safi");
  if (afi == nullptr || safi == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(p, " without afi/safi"));
  }
  if (absl::Status st = ToNumber(*afi, "afi", mp.afi); !st.ok()) return st;
  if (absl::Status st = ToNumber(*safi, "safi", mp.safi); !st.ok()) return st;
  bool unicast = (mp.afi == 1 || mp.afi == 2) && mp.safi == 1;
  if (!unicast) return absl::OkStatus();
  if (reach) {
    if (const JsonValue* tree = attr.Get(p + ".next_hop_tree")) {
      const std::string* nh = tree->GetText(p + ".next_hop.ipv4");
      if (nh == nullptr) nh = tree->GetText(p + ".next_hop.ipv6");
      if (nh != nullptr) mp.next_hop = CanonicalIp(*nh);
      if (const std::string* ll =
              tree->GetText(p + ".next_hop.ipv6.link_local")) {
        mp.link_local = CanonicalIp(*ll);
      }
    }
  }
  const std::string addr_prefix =
      reach ? "bgp.mp_reach_nlri_ipv" : "bgp.mp_unreach_nlri_ipv";
  if (const JsonValue* nlri = attr.Get(p)) {
    return CollectPrefixes(*nlri,
                           {addr_prefix + "4_prefix", addr_prefix + "6_prefix"},
                           mp.prefixes, path_id_seen);
  }
  return absl::OkStatus();
}

std::string Community(uint32_t v) {
  return absl::StrCat(v >> 16, ":", v & 0xFFFF);
}

absl::Status ExtractUpdate(const JsonValue& bgp, Expectation& x) {
  if (const JsonValue* w = bgp.Get("bgp.update.withdrawn_routes")) {
    if (absl::Status st = CollectPrefixes(*w, {"bgp.withdrawn_prefix"},
                                          x.withdrawn, x.has_path_id);
        !st.ok()) {
      return st;
    }
  }
  if (const JsonValue* n = bgp.Get("bgp.update.nlri")) {
    if (absl::Status st =
            CollectPrefixes(*n, {"bgp.nlri_prefix"}, x.nlri, x.has_path_id);
        !st.ok()) {
      return st;
    }
  }
  for (const JsonValue* attr : FindAll(bgp, "bgp.update.path_attribute")) {
    int code;
    const JsonValue* tc = attr->Get("bgp.update.path_attribute.type_code");
    if (tc == nullptr) continue;
    if (absl::Status st = ToNumber(*tc, "type_code", code); !st.ok()) return st;
    x.attribute_codes.push_back(code);
    absl::Status st;
    switch (code) {
      case 1:
        st = OptNumber(*attr, "bgp.update.path_attribute.origin", x.origin);
        break;
      case 2:
        x.as_path.emplace();
        st = ExtractSegments(*attr, *x.as_path, &x.as_path_asn_size);
        break;
      case 17:
        x.as4_path.emplace();
        st = ExtractSegments(*attr, *x.as4_path, nullptr);
        break;
      case 3:
        if (const std::string* nh =
                attr->GetText("bgp.update.path_attribute.next_hop")) {
          x.next_hop = CanonicalIp(*nh);
        }
        break;
      case 4:
        st = OptNumber(*attr, "bgp.update.path_attribute.multi_exit_disc",
                       x.med);
        break;
      case 5:
        st = OptNumber(*attr, "bgp.update.path_attribute.local_pref",
                       x.local_pref);
        break;
      case 8: {
        // COMMUNITIES: "communities" holds "community" objects (as, value)
        // and, directly, "community_wellknown" hex values; with both kinds
        // present, tshark's key folding loses their relative order.
        x.communities.emplace();
        const JsonValue* all =
            attr->Get("bgp.update.path_attribute.communities");
        if (all == nullptr) break;
        bool plain = false, wellknown = false;
        for (const auto& [key, value] : all->members()) {
          std::vector<const JsonValue*> items;
          if (value.is_array()) {
            for (const JsonValue& i : value.items()) items.push_back(&i);
          } else {
            items.push_back(&value);
          }
          for (const JsonValue* c : items) {
            if (key == "bgp.update.path_attribute.community_wellknown") {
              uint32_t v;
              if (!c->is_string() ||
                  !absl::SimpleHexAtoi(absl::StripPrefix(c->text(), "0x"),
                                       &v)) {
                return absl::InvalidArgumentError("bad well-known community");
              }
              x.communities->push_back(Community(v));
              wellknown = true;
            } else if (key == "bgp.update.path_attribute.community") {
              uint32_t as = 0, value = 0;
              const JsonValue* a =
                  c->Get("bgp.update.path_attribute.community_as");
              const JsonValue* v =
                  c->Get("bgp.update.path_attribute.community_value");
              if (a == nullptr || v == nullptr) {
                return absl::InvalidArgumentError("community without as/value");
              }
              if (!(st = ToNumber(*a, "community_as", as)).ok()) return st;
              if (!(st = ToNumber(*v, "community_value", value)).ok()) {
                return st;
              }
              x.communities->push_back(absl::StrCat(as, ":", value));
              plain = true;
            }
          }
        }
        if (plain && wellknown) {
          x.communities_unordered = true;
          std::sort(x.communities->begin(), x.communities->end());
        }
        break;
      }
      case 32: {
        x.large_communities.emplace();
        for (const JsonValue* c :
             FindAll(*attr, "bgp.large_communities_tree")) {
          uint32_t g, l1, l2;
          const JsonValue* a = c->Get("bgp.large_communities.ga");
          const JsonValue* b = c->Get("bgp.large_communities.ldp1");
          const JsonValue* d = c->Get("bgp.large_communities.ldp2");
          if (a == nullptr || b == nullptr || d == nullptr) {
            return absl::InvalidArgumentError("large community incomplete");
          }
          if (!(st = ToNumber(*a, "ga", g)).ok()) return st;
          if (!(st = ToNumber(*b, "ldp1", l1)).ok()) return st;
          if (!(st = ToNumber(*d, "ldp2", l2)).ok()) return st;
          x.large_communities->push_back(absl::StrCat(g, ":", l1, ":", l2));
        }
        break;
      }
      case 14:
      case 15: {
        ExpectedMp mp;
        st = ExtractMp(*attr, code == 14, mp, x.has_path_id);
        (code == 14 ? x.mp_reach : x.mp_unreach).push_back(std::move(mp));
        break;
      }
      default:
        break;
    }
    if (!st.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("attribute ", code, ": ", st.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status ExtractOpen(const JsonValue& bgp, Expectation& x) {
  if (absl::Status st = OptNumber(bgp, "bgp.open.myas", x.my_as); !st.ok()) {
    return st;
  }
  if (absl::Status st = OptNumber(bgp, "bgp.open.holdtime", x.hold_time);
      !st.ok()) {
    return st;
  }
  if (const std::string* id = bgp.GetText("bgp.open.identifier")) {
    x.identifier = *id;
  }
  for (const JsonValue* cap : FindAll(bgp, "bgp.cap")) {
    int code;
    const JsonValue* t = cap->Get("bgp.cap.type");
    if (t == nullptr) return absl::InvalidArgumentError("bgp.cap without type");
    if (absl::Status st = ToNumber(*t, "bgp.cap.type", code); !st.ok()) {
      return st;
    }
    x.capability_codes.push_back(code);
    if (code == 1) {
      int afi, safi;
      const JsonValue* a = cap->Get("bgp.cap.mp.afi");
      const JsonValue* s = cap->Get("bgp.cap.mp.safi");
      if (a != nullptr && s != nullptr && ToNumber(*a, "mp.afi", afi).ok() &&
          ToNumber(*s, "mp.safi", safi).ok()) {
        x.mp_families.emplace_back(afi, safi);
      }
    } else if (code == 65) {
      if (absl::Status st = OptNumber(*cap, "bgp.cap.4as", x.four_octet_as);
          !st.ok()) {
        return st;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ExtractNotification(const JsonValue& bgp, Expectation& x) {
  if (absl::Status st = OptNumber(bgp, "bgp.notify.major_error", x.error_code);
      !st.ok()) {
    return st;
  }
  // The subcode's key depends on the code: minor_error_cease, _open, ...
  for (const auto& [key, value] : bgp.members()) {
    if (absl::StartsWith(key, "bgp.notify.minor_error")) {
      int sub;
      if (absl::Status st = ToNumber(value, key, sub); !st.ok()) return st;
      x.error_subcode = sub;
      break;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Expectation> ExtractExpectation(const JsonValue& bgp) {
  Expectation x;
  const JsonValue* type = bgp.Get("bgp.type");
  if (type == nullptr) return absl::InvalidArgumentError("no bgp.type");
  if (absl::Status st = ToNumber(*type, "bgp.type", x.type); !st.ok()) {
    return st;
  }
  absl::Status st;
  switch (x.type) {
    case 1:
      st = ExtractOpen(bgp, x);
      break;
    case 2:
      st = ExtractUpdate(bgp, x);
      break;
    case 3:
      st = ExtractNotification(bgp, x);
      break;
    default:
      break;
  }
  if (!st.ok()) return st;
  return x;
}

}  // namespace bgpy::testing
