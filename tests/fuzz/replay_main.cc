// Copyright 2026 The bgpy Authors.
//
// replay_main.cc: runs fuzz inputs through LLVMFuzzerTestOneInput without
// libFuzzer, so the seed corpus is a regression test under any compiler.
//
//   message_fuzzer_replay tests/fuzz/corpus/message_fuzzer [more files/dirs]
//
// Each argument is a file or a directory (every regular file in it, in name
// order). Exits 0 when every input ran; a failed property aborts.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool ReadFile(const std::filesystem::path& p, std::vector<uint8_t>& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in),
             std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> in_dir;
      for (const auto& e : std::filesystem::directory_iterator(arg, ec)) {
        if (e.is_regular_file()) in_dir.push_back(e.path());
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n(no inputs found)\n",
                 argv[0]);
    return 2;
  }
  size_t ran = 0;
  for (const auto& f : files) {
    std::vector<uint8_t> data;
    if (!ReadFile(f, data)) {
      std::fprintf(stderr, "cannot read %s\n", f.c_str());
      return 1;
    }
    std::fprintf(stderr, "running %s (%zu octets)\n", f.c_str(), data.size());
    // A copy of exactly the input's size, so ASan catches reads past the
    // end. (A heap array rather than a vector copy: g++ 12 -O3 wrongly flags
    // the vector's destructor with -Wfree-nonheap-object.)
    std::unique_ptr<uint8_t[]> exact(data.empty() ? nullptr
                                                  : new uint8_t[data.size()]);
    if (!data.empty()) std::memcpy(exact.get(), data.data(), data.size());
    LLVMFuzzerTestOneInput(exact.get(), data.size());
    ++ran;
  }
  std::fprintf(stderr, "ran %zu inputs\n", ran);
  return 0;
}
