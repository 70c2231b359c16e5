// Copyright 2026 The bgpy Authors.
//
// mrt_corpus_test.cc: every MRT file of the shared corpus (corpus/mrt/,
// read in place through mrt::FileReader) reads to its end, and the routes
// mrt::RouteWalker yields, counted per (record kind, A/W/B), equal the
// lines `bgpdump -m` printed for it (corpus/expected/<file>.bgpdump.txt or
// .txt.gz). Where they cannot agree the difference is listed in
// kKnownDifferences with the reason, and asserted as listed.
#include <zlib.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bgpy/mrt.h"
#include "bgpy/mrt_file.h"
#include "gtest/gtest.h"
#include "testlib/corpus.h"

namespace bgpy::mrt {
namespace {

namespace fs = std::filesystem;
using Counts = std::map<std::string, long>;

std::optional<std::string> MrtDir() {
  std::optional<std::string> shared = testing::FindSharedDir();
  if (!shared) return std::nullopt;
  const std::string dir = *shared + "/corpus/mrt";
  if (!fs::is_directory(dir)) return std::nullopt;
  return dir;
}

std::vector<std::string> MrtFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A whole file, gunzipped when `gz` (zlib's gzFile, test-only).
std::optional<std::string> ReadMaybeGz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return std::nullopt;
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out.append(buf, n);
  gzclose(f);
  if (n < 0) return std::nullopt;
  return out;
}

// bgpdump's record kind, as the first field of a -m line.
std::string Kind(const RecordHeader& h) {
  switch (static_cast<Type>(h.type)) {
    case Type::kBgp:
      return "BGP";
    case Type::kTableDump:
      return "TABLE_DUMP";
    case Type::kTableDumpV2:
      return h.subtype >= 8 ? "TABLE_DUMP2_AP" : "TABLE_DUMP2";
    case Type::kBgp4mp:
      return h.subtype >= 8 ? "BGP4MP_AP" : "BGP4MP";
    case Type::kBgp4mpEt:
      return h.subtype >= 8 ? "BGP4MP_ET_AP" : "BGP4MP_ET";
  }
  return TypeName(h.type);
}

// The families bgpdump -m prints routes of.
bool BgpdumpPrints(Family f) {
  return (f.afi == Afi::kIpv4 || f.afi == Afi::kIpv6) &&
         (f.safi == Safi::kUnicast || f.safi == Safi::kMulticast);
}

struct FileResult {
  Counts routes;  // "KIND|A" -> count, families bgpdump prints
  long other_families = 0;
  long records = 0;
  long decode_errors = 0;
  long walk_errors = 0;
  long afi_safi_ribs = 0;           // records DecodeAfiSafiRib read
  long afi_safi_mismatches = 0;     // it and DecodeRecord disagree
  std::vector<std::string> errors;  // first few, for the log
  std::optional<std::string> read_error;
};

FileResult ReadFile(const std::string& path) {
  FileResult res;
  FileReader in;
  absl::Status st = in.Open(path);
  if (!st.ok()) {
    res.read_error = std::string(st.message());
    return res;
  }
  RouteWalker walker;
  Record rec;
  auto note = [&](const absl::Status& s) {
    if (res.errors.size() < 5) {
      res.errors.push_back(absl::StrCat("@", in.offset(), ": ", s.message()));
    }
  };
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = in.Next();
    if (!next.ok()) {
      res.read_error = std::string(next.status().message());
      break;
    }
    if (!next->has_value()) break;
    ++res.records;
    st = DecodeRecord(**next, rec);
    // The AFI/SAFI-specific RIB fast path reads exactly these records, and
    // reads them as DecodeRecord does.
    {
      RecordHeader fh;
      Rib fr;
      const bool fast = DecodeAfiSafiRib(**next, fh, fr);
      const Rib* full = st.ok() ? std::get_if<Rib>(&rec.body) : nullptr;
      const uint16_t sub = rec.header.subtype;
      const bool specific = full != nullptr && rec.header.type == 13 &&
                            ((sub >= 2 && sub <= 5) || (sub >= 8 && sub <= 11));
      if (fast) ++res.afi_safi_ribs;
      const auto same = [](wire::Bytes a, wire::Bytes b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin());
      };
      if (fast != specific ||
          (fast &&
           (fh.timestamp != rec.header.timestamp ||
            fh.subtype != rec.header.subtype ||
            fh.length != rec.header.length || fr.sequence != full->sequence ||
            !(fr.family == full->family) || fr.add_path != full->add_path ||
            fr.entry_count != full->entry_count || !same(fr.nlri, full->nlri) ||
            !same(fr.entries, full->entries)))) {
        ++res.afi_safi_mismatches;
      }
    }
    if (!st.ok()) {
      ++res.decode_errors;
      note(st);
      continue;
    }
    const std::string kind = Kind(rec.header);
    st = walker.Walk(rec, [&](const Route& r) {
      if (!BgpdumpPrints(r.route.family)) {
        ++res.other_families;
        return;
      }
      const char* what = r.rib ? "B" : r.route.withdraw ? "W" : "A";
      ++res.routes[absl::StrCat(kind, "|", what)];
    });
    if (!st.ok()) {
      ++res.walk_errors;
      note(st);
    }
  }
  return res;
}

// Lines of bgpdump's output per (kind, A/W/B); STATE lines are not routes.
std::optional<Counts> ExpectedCounts(const std::string& expected_dir,
                                     const std::string& file) {
  const std::string base = expected_dir + "/" + file + ".bgpdump.txt";
  std::optional<std::string> text;
  if (fs::exists(base)) {
    text = ReadMaybeGz(base);
  } else if (fs::exists(base + ".gz")) {
    text = ReadMaybeGz(base + ".gz");
  }
  if (!text) return std::nullopt;
  Counts c;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    if (line.empty()) continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, '|');
    if (f.size() < 3) continue;
    if (f[2] == "A" || f[2] == "W" || f[2] == "B") {
      ++c[absl::StrCat(f[0], "|", f[2])];
    }
  }
  return c;
}

std::string Show(const Counts& c) {
  std::string out;
  for (const auto& [k, v] : c) absl::StrAppend(&out, " ", k, "=", v);
  return out.empty() ? " (none)" : out;
}

// Files where bgpy and bgpdump cannot agree, with the reason. The test
// asserts bgpy's result as listed here, so any change shows up.
struct KnownDifference {
  const char* file;
  const char* bgpy_counts;  // Show() of bgpy's counts
  long errors;              // decode + walk errors
  bool read_error;          // FileReader stopped with an error
  const char* reason;
};
const KnownDifference kKnownDifferences[] = {
    {"bgpdump_updates.nlri_mask_trailing_bits.gz", " (none)", 1, false,
     "the UPDATE's NLRI field is 11.13.0.0/13 followed by one stray octet "
     "(a prefix length of 11 with no prefix octets); bgpdump prints the "
     "first prefix and drops the rest, bgpy rejects the UPDATE (RFC 7606 "
     "§5.3: an NLRI field that does not parse is not treat-as-withdraw)"},
    {"bgpkit_rrc00_updates.20000325.0345.gz", " BGP|A=2 BGP|W=2", 1, true,
     "damaged file: the UPDATE record at offset 188 has a withdrawn-routes "
     "length of 33274 in a 14561-octet message (bgpy rejects it; bgpdump "
     "reads 2042 withdrawals out of the bytes that follow), and the record "
     "at offset 15024 has a length field of 3694573824, where both stop "
     "(bgpdump logs 'incomplete dump record')"},
    {"mrtparse_bird_bgp", " BGP4MP|A=14", 0, false,
     "BIRD wrote ADD-PATH NLRI (4-octet path ids) under BGP4MP "
     "MESSAGE_AS4, not MESSAGE_AS4_ADDPATH; bgpdump reads the path-id "
     "octets as prefixes (0.0.0.0/0 three times, 24.0.0.0/2) and stops at "
     "a prefix length of 172; bgpy's walker falls back to the ADD-PATH "
     "reading and yields the 14 routes with their path ids (the same "
     "prefixes and path ids as BIRD's RIB dump, mrtparse_bird-mrtdump_rib)"},
    {"mrtparse_bird6_bgp", " BGP4MP|A=14", 0, false,
     "as mrtparse_bird_bgp, for IPv6 (MP_REACH_NLRI with path ids under "
     "MESSAGE_AS4); bgpdump prints ::/0, 4000::/1 and other prefixes made of "
     "path-id octets"},
};

const KnownDifference* FindKnown(const std::string& file) {
  for (const KnownDifference& k : kKnownDifferences) {
    if (file == k.file) return &k;
  }
  return nullptr;
}

TEST(MrtCorpus, EveryFileMatchesBgpdump) {
  const std::optional<std::string> dir = MrtDir();
  if (!dir) GTEST_SKIP() << "no shared corpus/mrt";
  const std::string expected_dir = *dir + "/../expected";
  const std::vector<std::string> files = MrtFiles(*dir);
  EXPECT_EQ(files.size(), 35u);
  size_t compared = 0, known = 0;
  long total_routes = 0;
  long afi_safi_ribs = 0;
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const FileResult res = ReadFile(*dir + "/" + file);
    for (const auto& [k, v] : res.routes) total_routes += v;
    std::string log =
        absl::StrCat(file, ": ", res.records, " records,", Show(res.routes));
    if (res.other_families > 0) {
      absl::StrAppend(&log, ", other families ", res.other_families);
    }
    if (res.decode_errors + res.walk_errors > 0) {
      absl::StrAppend(&log, ", decode errors ", res.decode_errors,
                      ", walk errors ", res.walk_errors);
    }
    if (res.read_error)
      absl::StrAppend(&log, ", read error: ", *res.read_error);
    for (const std::string& e : res.errors) absl::StrAppend(&log, "\n    ", e);
    std::printf("%s\n", log.c_str());
    EXPECT_GT(res.records, 0);
    EXPECT_EQ(res.afi_safi_mismatches, 0);
    afi_safi_ribs += res.afi_safi_ribs;
    const std::optional<Counts> expected = ExpectedCounts(expected_dir, file);
    ASSERT_TRUE(expected.has_value()) << "no bgpdump output for " << file;
    if (const KnownDifference* k = FindKnown(file)) {
      ++known;
      std::printf("  known difference: bgpdump%s\n  reason: %s\n",
                  Show(*expected).c_str(), k->reason);
      EXPECT_EQ(Show(res.routes), k->bgpy_counts) << k->reason;
      EXPECT_EQ(res.decode_errors + res.walk_errors, k->errors);
      EXPECT_EQ(res.read_error.has_value(), k->read_error);
      continue;
    }
    ++compared;
    EXPECT_EQ(Show(res.routes), Show(*expected));
    EXPECT_FALSE(res.read_error.has_value()) << *res.read_error;
    EXPECT_EQ(res.decode_errors + res.walk_errors, 0);
  }
  std::printf("%zu files equal to bgpdump, %zu known differences, %ld routes\n",
              compared, known, total_routes);
  // The TABLE_DUMP_V2 files of the corpus hold 111 of them.
  std::printf("%ld AFI/SAFI-specific RIB records read by DecodeAfiSafiRib\n",
              afi_safi_ribs);
  EXPECT_GT(afi_safi_ribs, 100);
}

}  // namespace
}  // namespace bgpy::mrt
