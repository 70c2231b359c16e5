// Copyright 2026 The bgpy Authors.
//
// Corpus conformance of bgpy's `bgpdump -m` lines (bgpy::AppendBgpdump,
// what `bgpy-decode --input=mrt --format=bgpdump` prints) against bgpdump
// 1.6.2's own output for the same 35 MRT files (../shared/corpus/mrt and
// expected/<file>.bgpdump.txt[.gz], read in place).
//
// Lines are compared in order, field by field. Where they differ, the
// difference must be one of the documented cases below, each a place where
// bgpdump is wrong by the RFC text quoted with it; any other difference
// fails the test.
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bgpy/format.h"
#include "bgpy/mrt.h"
#include "bgpy/mrt_file.h"
#include "gtest/gtest.h"
#include "testlib/corpus.h"

namespace bgpy {
namespace {

namespace fs = std::filesystem;
using testing::FindSharedDir;

// Reads a text file, gzip-compressed or not (zlib reads plain files as they
// are).
std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return lines;
  std::string text;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, n);
  gzclose(f);
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    if (!l.empty()) lines.emplace_back(l);
  }
  return lines;
}

struct Ours {
  std::vector<std::string> lines;
  int read_errors = 0;
  int decode_errors = 0;
  std::vector<std::string> errors;
};

Ours Decode(const std::string& path) {
  Ours o;
  mrt::FileReader reader;
  if (absl::Status st = reader.Open(path); !st.ok()) {
    o.errors.push_back(std::string(st.message()));
    ++o.read_errors;
    return o;
  }
  mrt::RouteWalker walker;
  mrt::Record rec;
  BgpdumpOptions options;
  options.only_bgpdump_families = true;
  std::string out;
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = reader.Next();
    if (!next.ok()) {
      ++o.read_errors;
      o.errors.push_back(std::string(next.status().message()));
      break;  // errors are final
    }
    if (!next->has_value()) break;
    absl::Status st = mrt::DecodeRecord(**next, rec);
    if (!st.ok()) {
      ++o.decode_errors;
      o.errors.push_back(std::string(st.message()));
      continue;
    }
    st = AppendBgpdump(&out, rec, walker, options);
    if (!st.ok()) {
      ++o.decode_errors;
      o.errors.push_back(std::string(st.message()));
    }
  }
  for (absl::string_view l : absl::StrSplit(out, '\n')) {
    if (!l.empty()) o.lines.emplace_back(l);
  }
  return o;
}

// A documented disagreement with bgpdump: `applies` gets the two lines
// split on '|' and says whether this case explains them.
struct KnownDifference {
  const char* name;
  const char* why;
  bool (*applies)(const std::vector<absl::string_view>& ours,
                  const std::vector<absl::string_view>& theirs);
};

const KnownDifference kKnown[] = {
    {"placeholder", "none yet",
     [](const std::vector<absl::string_view>&,
        const std::vector<absl::string_view>&) { return false; }},
};

TEST(MrtBgpdumpTest, CorpusLineForLine) {
  std::optional<std::string> shared = FindSharedDir();
  if (!shared) GTEST_SKIP() << "no ../shared/corpus";
  const fs::path mrt_dir = fs::path(*shared) / "corpus" / "mrt";
  const fs::path expected_dir = fs::path(*shared) / "corpus" / "expected";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(mrt_dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 35u);

  std::map<std::string, int> explained;
  size_t total_lines = 0, equal_lines = 0;
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    std::string expected_path =
        (expected_dir / (name + ".bgpdump.txt")).string();
    if (!fs::exists(expected_path)) expected_path += ".gz";
    ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
    const std::vector<std::string> theirs = ReadLines(expected_path);
    const Ours ours = Decode(file.string());
    SCOPED_TRACE(name);
    size_t shown = 0;
    const size_t n = std::max(theirs.size(), ours.lines.size());
    for (size_t i = 0; i < n; ++i) {
      ++total_lines;
      const std::string a = i < ours.lines.size() ? ours.lines[i] : "";
      const std::string b = i < theirs.size() ? theirs[i] : "";
      if (a == b) {
        ++equal_lines;
        continue;
      }
      const std::vector<absl::string_view> fa = absl::StrSplit(a, '|');
      const std::vector<absl::string_view> fb = absl::StrSplit(b, '|');
      const KnownDifference* why = nullptr;
      for (const KnownDifference& k : kKnown) {
        if (k.applies(fa, fb)) {
          why = &k;
          break;
        }
      }
      if (why != nullptr) {
        ++explained[why->name];
        continue;
      }
      if (shown++ < 5) {
        ADD_FAILURE() << "line " << i + 1 << "\n  bgpy:    " << a
                      << "\n  bgpdump: " << b;
      }
    }
    if (shown > 5) ADD_FAILURE() << shown << " differing lines in all";
    for (size_t i = 0; i < ours.errors.size() && i < 3; ++i) {
      std::printf("%s: error %s\n", name.c_str(), ours.errors[i].c_str());
    }
    std::printf("%-58s bgpy %7zu lines, bgpdump %7zu, errors %d/%d\n",
                name.c_str(), ours.lines.size(), theirs.size(),
                ours.read_errors, ours.decode_errors);
  }
  std::printf("total %zu lines, %zu equal\n", total_lines, equal_lines);
  for (const auto& [k, v] : explained) {
    std::printf("explained by '%s': %d lines\n", k.c_str(), v);
  }
}

}  // namespace
}  // namespace bgpy
