// Copyright 2026 The bgpy Authors.
//
// Runs the built bgpy-decode on temporary files: hex round trip, error
// lines that keep output aligned with input, usage errors, raw input, and
// the session context taken from OPENs or given by flags.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/corpus.h"
#include "testlib/hex.h"
#include "testlib/json.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;
using ::testing::HasSubstr;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";  // RFC 4271 §4.1

std::string Msg(int type, absl::string_view body_hex) {
  return absl::StrFormat("%s%04x%02x%s", kMarker, 19 + body_hex.size() / 2,
                         type, body_hex);
}
std::string Update(absl::string_view withdrawn, absl::string_view attrs,
                   absl::string_view nlri) {
  return Msg(2, absl::StrFormat("%04x%s%04x%s%s", withdrawn.size() / 2,
                                withdrawn, attrs.size() / 2, attrs, nlri));
}

const std::string kKeepalive = Msg(4, "");
// ORIGIN IGP, AS_PATH 65000 65001 with 4-octet ASNs, NEXT_HOP 192.0.2.1.
const std::string kAttrs4 =
    "40010100"                    // ORIGIN: IGP
    "40020a02020000fde80000fde9"  // AS_PATH: AS_SEQUENCE 65000 65001 (4 oct)
    "400304c0000201";             // NEXT_HOP: 192.0.2.1
const std::string kUpdate = Update("", kAttrs4, "180a0000");  // 10.0.0.0/24
// The same NLRI cut one octet short (RFC 4271 §6.3: 3/10).
const std::string kBadUpdate = Update("", kAttrs4, "180a00");
// OPEN: version 4, AS 65000, hold 90, id 192.0.2.N, Multiprotocol
// ipv4-unicast only (no 4-octet AS capability).
std::string Open2Octet(int id) {
  return Msg(1, absl::StrFormat("04fde8005ac00002%02x"
                                "08"         // optional parameters length
                                "0206"       // capabilities, len 6
                                "0104"       // Multiprotocol, len 4
                                "00010001",  // AFI 1, SAFI 1
                                id));
}
// OPEN with 4-octet AS 65000 and ADD-PATH ipv4-unicast both.
std::string OpenAddPath(int id) {
  return Msg(1, absl::StrFormat("04fde8005ac00002%02x"
                                "0e"         // optional parameters length 14
                                "020c"       // capabilities, len 12
                                "4104"       // 4-octet AS, len 4
                                "0000fde8"   // 65000
                                "4504"       // ADD-PATH, len 4
                                "00010103",  // ipv4-unicast, both
                                id));
}

std::string Binary() {
  if (const char* dir = std::getenv("BGPY_BINARY_DIR"))
    return absl::StrCat(dir, "/bin/bgpy-decode");
#ifdef BGPY_DECODE_BINARY
  return BGPY_DECODE_BINARY;
#else
  return "bgpy-decode";
#endif
}

std::string TempFile(absl::string_view name, absl::string_view contents) {
  std::string path = absl::StrCat(::testing::TempDir(), "/decode_tool_test_",
                                  ::getpid(), "_", name);
  std::ofstream f(path, std::ios::binary);
  f.write(contents.data(), contents.size());
  return path;
}

struct Result {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

Result RunDecode(absl::string_view args) {
  std::string err_path = TempFile("stderr", "");
  std::string cmd = absl::StrCat(Binary(), " ", args, " 2>", err_path);
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "popen failed: " << cmd;
    return r;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  std::remove(err_path.c_str());
  return r;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out = absl::StrSplit(s, '\n');
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

JsonValue Json(const std::string& line) {
  absl::StatusOr<JsonValue> v = ParseJson(line);
  EXPECT_TRUE(v.ok()) << v.status() << ": " << line;
  return v.ok() ? *v : JsonValue();
}

std::string Str(const JsonValue& v, absl::string_view key) {
  const std::string* t = v.GetText(key);
  return t != nullptr ? *t : absl::StrCat("<no ", key, ">");
}

TEST(DecodeToolTest, HexRoundTripEqualsInput) {
  std::vector<std::string> lines = {
      kKeepalive, kUpdate, Update("", "", ""), Open2Octet(1), OpenAddPath(2),
      Msg(3, "0602"),      // NOTIFICATION Cease /
                           // Administrative Shutdown
      Msg(5, "00010001"),  // ROUTE-REFRESH ipv4-unicast
  };
  std::string input = absl::StrJoin(lines, "\n") + "\n";
  std::string path = TempFile("roundtrip.hex", input);
  Result r = RunDecode(absl::StrCat("--format=hex ", path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, input);
  EXPECT_EQ(r.err, "");
}

TEST(DecodeToolTest, BadLineGivesOneErrorLineAndDecodingGoesOn) {
  std::string input =
      absl::StrJoin({kKeepalive, kBadUpdate, std::string("zz"), kUpdate}, "\n");
  std::string path = TempFile("bad.hex", input);
  Result r = RunDecode(absl::StrCat("--format=json ", path));
  EXPECT_EQ(r.exit_code, 3);
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(Str(Json(lines[0]), "type"), "KEEPALIVE");
  JsonValue bad = Json(lines[1]);
  EXPECT_EQ(bad.members().size(), 2u) << lines[1];
  EXPECT_THAT(Str(bad, "error"),
              HasSubstr("line 2: UPDATE Message Error / Invalid Network Field "
                        "(3/10)"));
  EXPECT_EQ(Str(bad, "hex"), kBadUpdate);
  EXPECT_THAT(Str(Json(lines[2]), "error"), HasSubstr("line 3: "));
  JsonValue good = Json(lines[3]);
  EXPECT_EQ(Str(good, "type"), "UPDATE");
  ASSERT_NE(good.Get("announce"), nullptr);
  EXPECT_NE(good.Get("announce")->Get("ipv4-unicast"), nullptr);

  // Text: one error line per bad message, the good ones in full.
  r = RunDecode(path);
  EXPECT_EQ(r.exit_code, 3);
  lines = Lines(r.out);
  std::vector<std::string> errors;
  for (const std::string& l : lines)
    if (absl::StartsWith(l, "error: ")) errors.push_back(l);
  ASSERT_EQ(errors.size(), 2u) << r.out;
  EXPECT_THAT(errors[0], HasSubstr("error: line 2: UPDATE Message Error / "
                                   "Invalid Network Field (3/10): "));
  EXPECT_THAT(errors[1], HasSubstr("error: line 3: "));
  EXPECT_THAT(r.out, HasSubstr("    10.0.0.0/24\n"));
}

TEST(DecodeToolTest, HexFormatSendsErrorsToStderr) {
  std::string path =
      TempFile("bad2.hex", absl::StrCat(kBadUpdate, "\n", kKeepalive, "\n"));
  Result r = RunDecode(absl::StrCat("--format=hex ", path));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, kKeepalive + "\n");
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, HasSubstr("line 1: UPDATE Message Error"));
}

TEST(DecodeToolTest, UsageErrorsExitOneNamingTheFlag) {
  struct Case {
    const char* args;
    const char* expect;
  } cases[] = {
      {"--format=xml", "--format"},
      {"--input=pcap", "--input"},
      {"--input=mrt /nonexistent/x.mrt", "/nonexistent/x.mrt"},
      {"--format=bgpdump", "--format=bgpdump needs --input=mrt"},
      {"--four-octet-as=maybe", "--four-octet-as"},
      {"--add-path=ipv5-unicast", "--add-path"},
      {"--frobnicate", "frobnicate"},
      {"/nonexistent/input.hex", "/nonexistent/input.hex"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    Result r = RunDecode(absl::StrCat(c.args, " < /dev/null"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(c.expect));
    EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  }
}

TEST(DecodeToolTest, HelpDocumentsExitCodes) {
  Result r = RunDecode("--help");
  EXPECT_THAT(r.out + r.err, HasSubstr("3 at least one message failed"));
}

TEST(DecodeToolTest, StdinAndDash) {
  std::string path = TempFile("stdin.hex", kKeepalive + "\n");
  Result r = RunDecode(absl::StrCat("--format=json - < ", path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Lines(r.out).size(), 1u);
  EXPECT_EQ(Str(Json(Lines(r.out)[0]), "type"), "KEEPALIVE");
  r = RunDecode(absl::StrCat("--format=hex < ", path));
  EXPECT_EQ(r.out, kKeepalive + "\n");
}

TEST(DecodeToolTest, RawInputIsSplitIntoMessages) {
  std::vector<std::string> hex = {kKeepalive, kUpdate, Open2Octet(3)};
  std::string raw;
  for (const std::string& h : hex) {
    std::vector<uint8_t> b = FromHex(h);
    raw.append(b.begin(), b.end());
  }
  std::string path = TempFile("stream.raw", raw);
  Result r = RunDecode(absl::StrCat("--input=raw --format=hex ", path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrJoin(hex, "\n") + "\n");

  // A stream cut inside the last message: the whole ones decode, then one
  // error line.
  std::string cut = TempFile("cut.raw", raw.substr(0, raw.size() - 5));
  r = RunDecode(absl::StrCat("--input=raw --format=json ", cut));
  EXPECT_EQ(r.exit_code, 3);
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(Str(Json(lines[1]), "type"), "UPDATE");
  EXPECT_THAT(Str(Json(lines[2]), "error"), HasSubstr("message 3 at offset"));
}

TEST(DecodeToolTest, FourOctetAsFromOpens) {
  // No OPEN: the 4-octet AS_PATH is inferred and decodes cleanly.
  std::string alone = TempFile("alone.hex", kUpdate + "\n");
  Result r = RunDecode(absl::StrCat("--format=json ", alone));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  JsonValue v = Json(Lines(r.out).at(0));
  EXPECT_EQ(v.Get("verdict"), nullptr) << r.out;

  // Both OPENs lack capability 65: the session is 2-octet (RFC 6793 §4),
  // so the same AS_PATH is malformed and the UPDATE is treat-as-withdraw.
  std::string with_opens =
      TempFile("opens.hex",
               absl::StrJoin({Open2Octet(1), Open2Octet(2), kUpdate}, "\n"));
  r = RunDecode(absl::StrCat("--format=json ", with_opens));
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(Str(Json(lines[2]), "verdict"), "treat-as-withdraw") << lines[2];

  // An explicit flag wins over inference.
  r = RunDecode(absl::StrCat("--format=json --four-octet-as=false ", alone));
  EXPECT_EQ(Str(Json(Lines(r.out).at(0)), "verdict"), "treat-as-withdraw");
}

TEST(DecodeToolTest, AddPathFromOpensAndFlag) {
  // Path id 1, 10.0.0.0/24. Without path ids the same octets read as
  // 0.0.0.0/0 three times, 0.0.0.0/1 and 0.0.0.0/10.
  std::string update = Update("", kAttrs4, "00000001180a0000");
  std::string with_opens = TempFile(
      "ap.hex", absl::StrJoin({OpenAddPath(1), OpenAddPath(2), update}, "\n"));
  Result r = RunDecode(absl::StrCat("--format=json ", with_opens));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  JsonValue v = Json(lines[2]);
  const JsonValue* routes =
      v.Get("announce") ? v.Get("announce")->Get("ipv4-unicast") : nullptr;
  ASSERT_NE(routes, nullptr) << lines[2];
  ASSERT_EQ(routes->items().size(), 1u) << lines[2];
  EXPECT_EQ(Str(routes->items()[0], "prefix"), "10.0.0.0/24");
  EXPECT_EQ(Str(routes->items()[0], "path_id"), "1");

  std::string alone = TempFile("ap_alone.hex", update + "\n");
  r = RunDecode(absl::StrCat("--format=json --add-path=none ", alone));
  v = Json(Lines(r.out).at(0));
  routes = v.Get("announce") ? v.Get("announce")->Get("ipv4-unicast") : nullptr;
  ASSERT_NE(routes, nullptr) << r.out;
  EXPECT_EQ(routes->items().size(), 5u) << r.out;

  r = RunDecode(absl::StrCat("--format=json --add-path=ipv4-unicast ", alone));
  v = Json(Lines(r.out).at(0));
  routes = v.Get("announce") ? v.Get("announce")->Get("ipv4-unicast") : nullptr;
  ASSERT_NE(routes, nullptr) << r.out;
  EXPECT_EQ(routes->items().size(), 1u) << r.out;

  // Inferred without OPENs: the reading without path ids gives default
  // routes, so the ADD-PATH reading is preferred.
  r = RunDecode(absl::StrCat("--format=json ", alone));
  v = Json(Lines(r.out).at(0));
  routes = v.Get("announce") ? v.Get("announce")->Get("ipv4-unicast") : nullptr;
  ASSERT_NE(routes, nullptr) << r.out;
  ASSERT_EQ(routes->items().size(), 1u) << r.out;
  EXPECT_EQ(Str(routes->items()[0], "path_id"), "1");
}

// --- MRT input (the line-for-line comparison of every corpus file is
// tests/mrt_bgpdump_test.cc; these check the tool's wiring) ---------------

std::optional<std::string> MrtCorpus() {
  std::optional<std::string> shared = testing::FindSharedDir();
  if (!shared) return std::nullopt;
  return *shared + "/corpus";
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST(DecodeToolTest, MrtBgpdumpEqualsBgpdumpOutput) {
  std::optional<std::string> corpus = MrtCorpus();
  if (!corpus) GTEST_SKIP() << "no shared corpus";
  // Raw, gzip and bzip2 inputs; RIB dumps and updates files.
  for (const char* file :
       {"mrtparse_quagga_rib", "mrtparse_quagga_bgp",
        "bgpdump_updates.20020722.2238.gz", "bgpkit_local_only_updates.bz2",
        "bgpdump_bview.ipv4_unicast_add_path.gz"}) {
    SCOPED_TRACE(file);
    Result r = RunDecode(
        absl::StrCat("--input=mrt --format=bgpdump ", *corpus, "/mrt/", file));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string expected =
        ReadText(absl::StrCat(*corpus, "/expected/", file, ".bgpdump.txt"));
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(r.out, expected);
  }
  // Standard input works too.
  Result r = RunDecode(absl::StrCat("--input=mrt --format=bgpdump - < ",
                                    *corpus, "/mrt/mrtparse_quagga_rib"));
  EXPECT_EQ(r.out, ReadText(absl::StrCat(
                       *corpus, "/expected/mrtparse_quagga_rib.bgpdump.txt")));
}

// --threads changes how fast, never what: every corpus file, and a copy cut
// short in the middle of a record (a read error after output), gives the
// same stdout, stderr and exit status on one thread as on three (batches
// of records written in file order; the bgpdump format's error lines on
// stderr in their place).
TEST(DecodeToolTest, MrtThreadsGiveTheSameOutput) {
  std::optional<std::string> corpus = MrtCorpus();
  if (!corpus) GTEST_SKIP() << "no shared corpus";
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(absl::StrCat(*corpus, "/mrt"))) {
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 30u);
  // A RIB dump cut at 60 %: records, then a record cut short.
  const std::string rib = absl::StrCat(*corpus, "/mrt/mrtparse_quagga_rib");
  const std::string whole = ReadText(rib);
  ASSERT_GT(whole.size(), 1000u);
  const std::string cut = absl::StrCat(::testing::TempDir(), "/cut.mrt");
  {
    std::ofstream f(cut, std::ios::binary);
    f << whole.substr(0, whole.size() * 3 / 5);
  }
  files.push_back(cut);
  int compared = 0, failing = 0;
  for (const std::string& file : files) {
    for (const char* format : {"bgpdump", "json"}) {
      SCOPED_TRACE(absl::StrCat(file, " --format=", format));
      const std::string args =
          absl::StrCat("--input=mrt --format=", format, " ", file);
      const Result one = RunDecode(absl::StrCat("--threads=1 ", args));
      const Result three = RunDecode(absl::StrCat("--threads=3 ", args));
      // The default: one worker per core.
      const Result cores = RunDecode(args);
      EXPECT_EQ(one.exit_code, three.exit_code);
      EXPECT_EQ(one.out, three.out);
      EXPECT_EQ(one.err, three.err);
      EXPECT_EQ(one.exit_code, cores.exit_code);
      EXPECT_EQ(one.out, cores.out);
      EXPECT_EQ(one.err, cores.err);
      ++compared;
      failing += one.exit_code != 0;
    }
  }
  EXPECT_EQ(compared, 2 * static_cast<int>(files.size()));
  EXPECT_GE(failing, 2);  // the cut copy fails in both formats
}

TEST(DecodeToolTest, MrtJsonIsOneLinePerRecord) {
  std::optional<std::string> corpus = MrtCorpus();
  if (!corpus) GTEST_SKIP() << "no shared corpus";
  Result r = RunDecode(absl::StrCat("--input=mrt --format=json ", *corpus,
                                    "/mrt/mrtparse_quagga_bgp"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_EQ(lines.size(), 67u);  // records in the file (mrt_corpus_test)
  uint64_t previous_offset = 0;
  int updates = 0, states = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    JsonValue v = Json(lines[i]);
    const JsonValue* mrt = v.Get("mrt");
    ASSERT_NE(mrt, nullptr) << lines[i];
    ASSERT_NE(v.Get("time"), nullptr);
    ASSERT_NE(v.Get("type"), nullptr);
    const uint64_t offset = std::stoull(Str(*mrt, "offset"));
    if (i > 0) {
      EXPECT_GT(offset, previous_offset);
    }
    previous_offset = offset;
    if (Str(v, "type") == "UPDATE") ++updates;
    if (Str(v, "type") == "STATE_CHANGE") {
      ++states;
      EXPECT_FALSE(Str(v, "new_state").empty());
    }
  }
  EXPECT_GT(updates, 0);
  EXPECT_GT(states, 0);

  // A RIB dump: the table first, then one line per prefix with its entries.
  r = RunDecode(absl::StrCat("--input=mrt --format=json ", *corpus,
                             "/mrt/mrtparse_quagga_rib"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> rib = Lines(r.out);
  ASSERT_GE(rib.size(), 2u);
  EXPECT_EQ(Str(Json(rib[0]), "type"), "PEER_INDEX_TABLE");
  JsonValue first = Json(rib[1]);
  EXPECT_EQ(Str(first, "type"), "RIB");
  ASSERT_NE(first.Get("entries"), nullptr);
  EXPECT_FALSE(first.Get("entries")->items().empty()) << rib[1];
}

TEST(DecodeToolTest, MrtDamagedFileNamesTheOffsets) {
  std::optional<std::string> corpus = MrtCorpus();
  if (!corpus) GTEST_SKIP() << "no shared corpus";
  Result r =
      RunDecode(absl::StrCat("--input=mrt --format=bgpdump ", *corpus,
                             "/mrt/bgpkit_rrc00_updates.20000325.0345.gz"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(Lines(r.out).size(), 4u) << r.out;
  EXPECT_THAT(r.err, HasSubstr("offset 188 (BGP/UPDATE)"));
  EXPECT_THAT(r.err, HasSubstr("offset 15024"));
  EXPECT_EQ(Lines(r.err).size(), 2u) << r.err;
}

}  // namespace
}  // namespace bgpy
