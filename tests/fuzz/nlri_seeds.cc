// Copyright 2026 The bgpy Authors.
//
// nlri_seeds: writes the seed inputs of nlri_fuzzer (see nlri_fuzzer.cc for
// the input layout), one directory per registered family:
//
//   fuzz_nlri_seeds OUT_DIR [MESSAGES_DIR]
//
// OUT_DIR/<family name>/<16 hex digits of the input's FNV-1a hash> gets
//  - from every UPDATE in MESSAGES_DIR/*.hex (one hex message per line, the
//    shared corpus read in place; skipped when the folder is absent): each
//    MP_REACH_NLRI (next hop + NLRI) and MP_UNREACH_NLRI (NLRI) field of a
//    family with a row, and the IPv4 unicast NLRI and withdrawn routes
//    (with the NEXT_HOP attribute as next hop); ADD-PATH set when the field
//    is only valid with path ids;
//  - hand-made inputs: empty ones, next hops of every MP_REACH length,
//    routes made by the family's generate hook (with and without path ids,
//    whole and cut short), IP prefixes with host bits set.
// Nothing is written into the source tree; ctest runs it into the build
// tree before the replay tests.
//
//   fuzz_nlri_seeds --check-listed NAME...
//
// exits 1 unless NAME... (fuzz.cmake's BGPY_FUZZ_FAMILIES) are exactly the
// registered family names, so a family that lands without a fuzz target
// fails ctest.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "bgpy/hex.h"
#include "bgpy/nlri.h"
#include "family_samples.h"

namespace bgpy::fuzz {
namespace {

using Bytes = std::vector<uint8_t>;

class SeedWriter {
 public:
  explicit SeedWriter(std::filesystem::path out) : out_(std::move(out)) {}

  // Writes one input of family `d`: flags, next hop, field.
  void Add(const FamilyDesc& d, bool add_path, wire::Bytes nh,
           wire::Bytes field) {
    Bytes in;
    in.push_back(add_path ? 1 : 0);
    const size_t n = std::min<size_t>(nh.size(), 255);
    in.push_back(static_cast<uint8_t>(n));
    in.insert(in.end(), nh.begin(), nh.begin() + n);
    in.insert(in.end(), field.begin(), field.end());
    AddRaw(d, in);
  }

  // Writes one input as is.
  void AddRaw(const FamilyDesc& d, const Bytes& in) {
    uint64_t h = 1469598103934665603ull;
    for (uint8_t b : in) h = (h ^ b) * 1099511628211ull;
    const std::filesystem::path dir = out_ / d.name;
    std::filesystem::create_directories(dir);
    const std::filesystem::path file = dir / absl::StrFormat("%016x", h);
    if (!written_.insert(file.string()).second) return;
    std::ofstream f(file, std::ios::binary);
    f.write(reinterpret_cast<const char*>(in.data()),
            static_cast<std::streamsize>(in.size()));
    ++count_[d.name];
  }

  // A field as found: with ADD-PATH when only that reading is valid.
  void AddFound(const FamilyDesc& d, wire::Bytes nh, wire::Bytes field) {
    const bool plain = NlriView::Validate(d.family, field, false, 9).ok();
    const bool with_ids = NlriView::Validate(d.family, field, true, 9).ok();
    Add(d, !plain && with_ids, nh, field);
    if (plain && with_ids) Add(d, true, nh, field);
  }

  const std::map<std::string, int>& count() const { return count_; }

 private:
  std::filesystem::path out_;
  std::set<std::string> written_;
  std::map<std::string, int> count_;
};

// One attribute of an UPDATE.
struct Attr {
  uint8_t code;
  wire::Bytes value;
};

// Splits an UPDATE message into withdrawn, attributes and NLRI; false when
// it is not a well-framed UPDATE.
bool SplitUpdate(wire::Bytes msg, wire::Bytes& withdrawn,
                 std::vector<Attr>& attrs, wire::Bytes& nlri) {
  if (msg.size() < 23 || msg[18] != 2) return false;
  const size_t len = size_t{msg[16]} << 8 | msg[17];
  if (len != msg.size()) return false;
  wire::Reader r(msg.subspan(19));
  uint16_t wlen, alen;
  wire::Bytes abytes;
  if (!r.ReadU16(wlen) || !r.ReadBytes(wlen, withdrawn) || !r.ReadU16(alen) ||
      !r.ReadBytes(alen, abytes)) {
    return false;
  }
  nlri = r.rest();
  wire::Reader a(abytes);
  while (!a.empty()) {
    uint8_t flags, code;
    if (!a.ReadU8(flags) || !a.ReadU8(code)) return false;
    size_t vlen;
    if (flags & 0x10) {
      uint16_t v;
      if (!a.ReadU16(v)) return false;
      vlen = v;
    } else {
      uint8_t v;
      if (!a.ReadU8(v)) return false;
      vlen = v;
    }
    Attr at;
    at.code = code;
    if (!a.ReadBytes(vlen, at.value)) return false;
    attrs.push_back(at);
  }
  return true;
}

void FromMessage(SeedWriter& out, wire::Bytes msg) {
  wire::Bytes withdrawn, nlri;
  std::vector<Attr> attrs;
  if (!SplitUpdate(msg, withdrawn, attrs, nlri)) return;
  const FamilyDesc* v4 = FindFamily(kIpv4Unicast);
  wire::Bytes next_hop;
  for (const Attr& a : attrs) {
    if (a.code == 3) next_hop = a.value;
  }
  if (v4 != nullptr) {
    if (!withdrawn.empty()) out.AddFound(*v4, {}, withdrawn);
    if (!nlri.empty()) out.AddFound(*v4, next_hop, nlri);
  }
  for (const Attr& a : attrs) {
    if (a.code != 14 && a.code != 15) continue;
    wire::Reader r(a.value);
    uint16_t afi;
    uint8_t safi;
    if (!r.ReadU16(afi) || !r.ReadU8(safi)) continue;
    const FamilyDesc* d = FindFamily(Family(afi, safi));
    if (d == nullptr) continue;
    wire::Bytes nh;
    if (a.code == 14) {
      uint8_t nh_len, reserved;
      if (!r.ReadU8(nh_len) || !r.ReadBytes(nh_len, nh) ||
          !r.ReadU8(reserved)) {
        continue;
      }
    }
    out.AddFound(*d, nh, r.rest());
  }
}

int FromCorpus(SeedWriter& out, const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::fprintf(stderr, "no corpus at %s: hand-made seeds only\n",
                 dir.c_str());
    return 0;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".hex") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int messages = 0;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      absl::StatusOr<Bytes> msg = ParseHex(absl::StripAsciiWhitespace(line));
      if (!msg.ok()) continue;
      ++messages;
      FromMessage(out, wire::Bytes(msg->data(), msg->size()));
    }
  }
  return messages;
}

void HandMade(SeedWriter& out, const FamilyDesc& d) {
  out.AddRaw(d, {});
  out.AddRaw(d, {0x00});
  out.AddRaw(d, {0x01, 0x00});
  out.AddRaw(d, {0x00, 0xff, 0x00});
  // Next hops of every length DecodeMpNextHop knows, and one it does not.
  for (size_t len : {4, 12, 16, 24, 32, 48, 5}) {
    Bytes nh(len, 0);
    for (size_t i = 0; i < len; ++i) nh[i] = static_cast<uint8_t>(i * 7 + 1);
    out.Add(d, false, wire::Bytes(nh.data(), nh.size()), {});
  }
  const Bytes nh = SampleNextHop(d);
  const wire::Bytes nhb(nh.data(), nh.size());
  if (d.prefix_bits != 0) {
    // Prefixes with host bits set, a zero-length one, a full-length one and
    // one too long for the family.
    const uint8_t full = d.prefix_bits;
    Bytes f{23, 10, 0, 1, 0, 25, 192, 0, 2, 0xff, full};
    f.insert(f.end(), full / 8, 0x5a);
    out.Add(d, false, nhb, wire::Bytes(f.data(), f.size()));
    Bytes bad{static_cast<uint8_t>(full + 1)};
    bad.insert(bad.end(), full / 8 + 1, 0xff);
    out.Add(d, false, nhb, wire::Bytes(bad.data(), bad.size()));
  }
  absl::StatusOr<std::vector<NlriValue>> values = SampleValues(d, 4);
  if (!values.ok()) return;
  for (bool add_path : {false, true}) {
    const Bytes field = EncodeField(d, *values, add_path);
    const wire::Bytes fb(field.data(), field.size());
    out.Add(d, add_path, nhb, fb);
    if (!field.empty()) out.Add(d, add_path, nhb, fb.subspan(0, fb.size() - 1));
    const Bytes one = EncodeField(d, {values->front()}, add_path);
    out.Add(d, add_path, nhb, wire::Bytes(one.data(), one.size()));
  }
}

int CheckListed(int argc, char** argv) {
  std::set<std::string> listed(argv + 2, argv + argc);
  std::set<std::string> registered;
  for (const FamilyDesc* d : RegisteredFamilies()) registered.insert(d->name);
  int rc = 0;
  for (const std::string& n : registered) {
    if (!listed.count(n)) {
      std::fprintf(stderr,
                   "family %s has no fuzz target: add it to "
                   "BGPY_FUZZ_FAMILIES in tests/fuzz/fuzz.cmake\n",
                   n.c_str());
      rc = 1;
    }
  }
  for (const std::string& n : listed) {
    if (!registered.count(n)) {
      std::fprintf(stderr, "BGPY_FUZZ_FAMILIES lists %s, not registered\n",
                   n.c_str());
      rc = 1;
    }
  }
  if (rc == 0) {
    std::fprintf(stderr, "all %zu registered families have a fuzz target\n",
                 registered.size());
  }
  return rc;
}

}  // namespace
}  // namespace bgpy::fuzz

int main(int argc, char** argv) {
  using namespace bgpy;
  using namespace bgpy::fuzz;
  if (argc >= 2 && std::string(argv[1]) == "--check-listed") {
    return CheckListed(argc, argv);
  }
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr,
                 "usage: %s OUT_DIR [MESSAGES_DIR]\n"
                 "       %s --check-listed NAME...\n",
                 argv[0], argv[0]);
    return 2;
  }
  SeedWriter out{std::filesystem::path(argv[1])};
  for (const FamilyDesc* d : RegisteredFamilies()) HandMade(out, *d);
  const int messages =
      argc == 3 ? FromCorpus(out, std::filesystem::path(argv[2])) : 0;
  std::fprintf(stderr, "read %d corpus messages\n", messages);
  for (const FamilyDesc* d : RegisteredFamilies()) {
    auto it = out.count().find(d->name);
    std::fprintf(stderr, "%-22s %4d seeds\n", d->name,
                 it == out.count().end() ? 0 : it->second);
  }
  return 0;
}
