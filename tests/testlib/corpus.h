// Copyright 2026 The bgpy Authors.
//
// corpus.h: reads the third-party conformance corpus in place
// (<shared>/corpus, see its README.md) and turns tshark's decode of each
// message into normalized expectations. Test-only: reads files.
//
// Nothing from the corpus is copied into the repository; tests read it
// where it lies and skip (or, in CI, fail) when it is absent.
#ifndef BGPY_TESTS_TESTLIB_CORPUS_H_
#define BGPY_TESTS_TESTLIB_CORPUS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "testlib/json.h"

namespace bgpy::testing {

// The shared folder holding corpus/: env BGPY_SHARED_DIR (set by ctest;
// when set, nothing else is tried), else <source>/../shared (source from
// env BGPY_SOURCE_DIR, else from this file's path). std::nullopt when that
// folder has no corpus/messages.
std::optional<std::string> FindSharedDir();

// Reads a whole file. kNotFound / kDataLoss on failure.
absl::StatusOr<std::string> ReadFile(const std::string& path);
// Splits on '\n'; a final empty piece (after the last '\n') is dropped.
std::vector<std::string> SplitLines(absl::string_view text);
// Canonical text of an IPv4/IPv6 address given as text ("2000:0:0:40::1")
// or bytes (4 or 16), via inet_pton/inet_ntop, independent of bgpy.
// std::nullopt if the text is not an address.
std::optional<std::string> CanonicalIp(absl::string_view text);
std::string CanonicalIpBytes(const uint8_t* bytes, int length);

// One message as tshark saw it (one element of expected/<pcap>.json).
struct TsharkMessage {
  int frame = 0;
  int msg_in_frame = 0;
  int tcp_stream = -1;
  std::string src;  // "addr:port"
  std::string dst;
  JsonValue bgp;  // tshark's bgp layer
};

// The corpus tables: INDEX.tsv (group), MALFORMED.tsv, TSHARK_FLAGGED.tsv.
class Corpus {
 public:
  // `corpus_dir` is <shared>/corpus. Fails if the tables are missing or
  // not in the documented format.
  static absl::StatusOr<Corpus> Load(const std::string& corpus_dir);

  const std::string& dir() const { return dir_; }
  // The messages/*.hex file names (e.g. "ryu_bgp4-open.pcap.hex"), sorted.
  const std::vector<std::string>& hex_files() const { return hex_files_; }
  // INDEX.tsv group of a .hex file ("normal", "fuzz"); "" if not listed.
  std::string Group(const std::string& hex_file) const;
  bool IsFuzz(const std::string& hex_file) const {
    return Group(hex_file) == "fuzz";
  }
  // 1-based line numbers.
  bool IsMalformed(const std::string& hex_file, int line) const {
    return malformed_.count({hex_file, line}) > 0;
  }
  bool IsTsharkFlagged(const std::string& hex_file, int line) const {
    return flagged_.count({hex_file, line}) > 0;
  }
  size_t malformed_count() const { return malformed_.size(); }
  size_t flagged_count() const { return flagged_.size(); }
  // Line count INDEX.tsv gives for a file (-1 if not listed).
  int IndexedLines(const std::string& hex_file) const;

  // The lines (hex strings) of messages/<hex_file>.
  absl::StatusOr<std::vector<std::string>> ReadHexLines(
      const std::string& hex_file) const;
  // expected/<pcap>.json for messages/<pcap>.hex, element N for line N+1.
  // Checks that element N sits on line N+2 of the file as documented.
  absl::StatusOr<std::vector<TsharkMessage>> LoadTshark(
      const std::string& hex_file) const;

 private:
  std::string dir_;
  std::vector<std::string> hex_files_;
  std::map<std::string, std::pair<std::string, int>> index_;  // group, lines
  std::set<std::pair<std::string, int>> malformed_;
  std::set<std::pair<std::string, int>> flagged_;
};

// --- Normalized expectations from tshark's decode ------------------------

// One AS_PATH / AS4_PATH segment.
struct ExpectedSegment {
  int type = 0;
  std::vector<uint32_t> asns;
  bool operator==(const ExpectedSegment&) const = default;
};

// One MP_REACH_NLRI or MP_UNREACH_NLRI attribute.
struct ExpectedMp {
  int afi = 0;
  int safi = 0;
  // Only for IPv4/IPv6 unicast (1/1, 2/1), sorted, FormatPrefix() form.
  std::vector<std::string> prefixes;
  // MP_REACH next hop for 1/1, 2/1: global (and link-local), canonical.
  std::optional<std::string> next_hop;
  std::optional<std::string> link_local;
};

// "10.0.0.0/24" or "10.0.0.0/24 id 5" (ADD-PATH); address canonical.
std::string FormatPrefix(const std::string& canonical_addr, int length,
                         std::optional<uint32_t> path_id);

struct Expectation {
  int type = 0;  // bgp.type

  // OPEN
  std::optional<uint32_t> my_as;
  std::optional<uint32_t> hold_time;
  std::optional<std::string> identifier;         // dotted quad
  std::vector<int> capability_codes;             // in order
  std::vector<std::pair<int, int>> mp_families;  // capability 1, in order
  std::optional<uint32_t> four_octet_as;         // capability 65

  // UPDATE
  std::vector<std::string> withdrawn;   // sorted
  std::vector<std::string> nlri;        // sorted
  std::vector<ExpectedMp> mp_reach;     // in order
  std::vector<ExpectedMp> mp_unreach;   // in order
  std::optional<std::string> next_hop;  // NEXT_HOP, canonical
  std::optional<std::vector<ExpectedSegment>> as_path;
  std::optional<std::vector<ExpectedSegment>> as4_path;
  // AS number size tshark used for AS_PATH: 2 or 4 (0: no ASN seen).
  int as_path_asn_size = 0;
  std::optional<std::vector<std::string>> communities;  // "a:b"
  // tshark keeps well-known and other communities under different keys,
  // so their relative order is lost when both occur: then `communities`
  // is sorted and should be compared sorted.
  bool communities_unordered = false;
  std::optional<std::vector<std::string>> large_communities;  // "a:b:c"
  std::optional<int> origin;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  // Type codes of the path attributes, in order.
  std::vector<int> attribute_codes;
  // True if any attribute or NLRI carried a path id in tshark's decode.
  bool has_path_id = false;

  // NOTIFICATION
  std::optional<int> error_code;
  std::optional<int> error_subcode;
};

// Extracts the expectations from one tshark bgp layer. kInvalidArgument
// if a field has an unexpected form (a number that is not a number...).
absl::StatusOr<Expectation> ExtractExpectation(const JsonValue& bgp);

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_CORPUS_H_
