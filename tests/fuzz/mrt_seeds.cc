// Copyright 2026 The bgpy Authors.
//
// mrt_seeds: writes the seed inputs of mrt_fuzzer:
//
//   fuzz_mrt_seeds OUT_DIR [MRT_DIR]
//
// OUT_DIR/<file> gets the first records of every file in MRT_DIR (the
// shared corpus/mrt/, read in place through mrt::FileReader; skipped when
// absent): up to 8 records and 64 KiB. OUT_DIR/<file>.<type>.<subtype>
// gets the first record of each kind in the file (after the file's
// PEER_INDEX_TABLE for RIB records). A few hand-made inputs (empty, a bare
// header, an _ET header too short) are always written, so the directory is
// never empty. Nothing goes into the source tree.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/mrt.h"
#include "bgpy/mrt_file.h"

namespace fs = std::filesystem;

namespace {

bool Write(const fs::path& p, const std::vector<uint8_t>& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()),
            static_cast<std::streamsize>(b.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [MRT_DIR]\n", argv[0]);
    return 2;
  }
  const fs::path out_dir = argv[1];
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "cannot create %s\n", out_dir.c_str());
    return 1;
  }
  size_t written = 0;
  auto put = [&](const std::string& name, const std::vector<uint8_t>& b) {
    if (!Write(out_dir / name, b)) {
      std::fprintf(stderr, "cannot write %s\n", name.c_str());
      std::exit(1);
    }
    ++written;
  };
  put("hand.empty", {});
  put("hand.header", {0, 0, 0, 1, 0, 13, 0, 2, 0, 0, 0, 0});
  put("hand.et_short", {0, 0, 0, 1, 0, 17, 0, 4, 0, 0, 0, 2, 0, 0});

  if (argc >= 3 && fs::is_directory(argv[2])) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(argv[2])) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      bgpy::mrt::FileReader in;
      if (!in.Open(f.string()).ok()) continue;
      const std::string name = f.filename().string();
      std::vector<uint8_t> first, peer_index;
      std::map<std::pair<int, int>, bool> kinds;
      size_t records = 0;
      // Enough records to meet each kind the file has early on.
      while (records < 5000) {
        auto next = in.Next();
        if (!next.ok() || !next->has_value()) break;
        const bgpy::wire::Bytes rec = **next;
        ++records;
        if (records <= 8 && first.size() + rec.size() <= 65536) {
          first.insert(first.end(), rec.begin(), rec.end());
        }
        auto h = bgpy::mrt::ParseRecordHeader(rec);
        if (!h.ok()) continue;
        if (h->type == 13 && h->subtype == 1 && peer_index.empty()) {
          peer_index.assign(rec.begin(), rec.end());
        }
        if (kinds[{h->type, h->subtype}] || rec.size() > 65536) continue;
        kinds[{h->type, h->subtype}] = true;
        std::vector<uint8_t> seed;
        if (h->type == 13 && h->subtype != 1) seed = peer_index;
        seed.insert(seed.end(), rec.begin(), rec.end());
        put(absl::StrCat(name, ".", h->type, ".", h->subtype), seed);
      }
      if (!first.empty()) put(name, first);
    }
  }
  std::printf("wrote %zu seeds into %s\n", written, out_dir.c_str());
  return 0;
}
