// Copyright 2026 The bgpy Authors.
//
// bgpy-listen --mrt-out: runs the built bgpy-listen and bgpy-inject on
// loopback, then reads what the listener recorded with `bgpdump -m`
// (skipped when bgpdump is not installed): every route with its prefix, AS
// path and next hop, the session's state changes, ADD-PATH sessions, a
// session without 4-octet AS (a hand-driven peer), and rotation by size
// and by interval into files that bgpdump each reads whole. Every wait is
// bounded.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::ReadWholeFile;
using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr char kBgpdump[] = "/usr/bin/bgpdump";

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out = absl::StrSplit(s, '\n', absl::SkipEmpty());
  return out;
}

int seq = 0;

// A fresh directory under the test's temp dir, removed with its files.
class TempDir {
 public:
  TempDir() {
    path_ = absl::StrCat(::testing::TempDir(), "/listen_mrt_", ::getpid(), "_",
                         ++seq);
    EXPECT_EQ(mkdir(path_.c_str(), 0755), 0) << path_;
  }
  ~TempDir() {
    for (const std::string& f : Files()) std::remove(Path(f).c_str());
    rmdir(path_.c_str());
  }
  std::string Path(absl::string_view name) const {
    return absl::StrCat(path_, "/", name);
  }
  // The names of the files in it, sorted.
  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    if (DIR* d = opendir(path_.c_str())) {
      while (dirent* e = readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") out.push_back(n);
      }
      closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::string path_;
};

// bgpy-listen on 127.0.0.1 (a port the kernel picks), recording.
class Listener {
 public:
  explicit Listener(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--local-as=65001",
                                     "--print=none", "--duration=30s"};
    args.insert(args.end(), extra.begin(), extra.end());
    proc_ = std::make_unique<ToolProcess>(ToolPath("bgpy-listen"), args);
    EXPECT_TRUE(proc_->WaitFor("listening on 127.0.0.1:")) << proc_->err();
    const std::string err = proc_->err();
    const std::string key = "listening on 127.0.0.1:";
    size_t at = err.find(key);
    if (at != std::string::npos) {
      size_t start = at + key.size();
      size_t end = err.find(',', start);
      EXPECT_TRUE(absl::SimpleAtoi(err.substr(start, end - start), &port_));
    }
  }
  ToolProcess& proc() { return *proc_; }
  int port() const { return port_; }
  void Stop() {
    proc_->Signal(SIGTERM);
    EXPECT_EQ(proc_->Wait(), 0) << proc_->err();
  }

 private:
  std::unique_ptr<ToolProcess> proc_;
  int port_ = 0;
};

std::vector<std::string> InjectArgs(int port, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--peer=127.0.0.1",
                                   absl::StrCat("--port=", port),
                                   "--local-address=127.0.0.2",
                                   "--local-as=65500",
                                   "--prefix=10.0.0.0/32",
                                   "--print=none",
                                   "--duration=2s"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// `bgpdump -m path`: its lines; *ok false when it did not exit 0.
std::vector<std::string> Bgpdump(const std::string& path, bool* ok = nullptr) {
  const std::string cmd = absl::StrCat(kBgpdump, " -m '", path, "' 2>&1");
  std::string text;
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  if (p == nullptr) return {};
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) text.append(buf, n);
  const int rc = pclose(p);
  if (ok != nullptr) *ok = rc == 0;
  // bgpdump says where it logs on stderr ("... [info] logging to syslog").
  std::vector<std::string> out;
  for (std::string& l : Lines(text))
    if (!absl::StrContains(l, "logging to syslog")) out.push_back(l);
  return out;
}

// The fields of a bgpdump -m line without the time ("BGP4MP_ET|A|...").
std::string WithoutTime(absl::string_view line) {
  std::vector<std::string> f = absl::StrSplit(line, '|');
  if (f.size() > 1) f.erase(f.begin() + 1);
  return absl::StrJoin(f, "|");
}

std::vector<std::string> Select(const std::vector<std::string>& lines,
                                absl::string_view what) {
  std::vector<std::string> out;
  for (const std::string& l : lines)
    if (absl::StrContains(l, what)) out.push_back(WithoutTime(l));
  return out;
}

// "10.0.0.0/32" ... for n consecutive addresses from `first`.
std::vector<std::string> V4Range(uint32_t first, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    uint32_t a = first + i;
    out.push_back(absl::StrCat(a >> 24, ".", (a >> 16) & 255, ".",
                               (a >> 8) & 255, ".", a & 255, "/32"));
  }
  return out;
}

// The MRT records of a file, by their common header (RFC 6396 §2): the
// number of whole records, or -1 when the file does not end on a record
// boundary.
int CountRecords(const std::string& bytes) {
  size_t pos = 0;
  int n = 0;
  while (pos + 12 <= bytes.size()) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + pos;
    const size_t len = (size_t{p[8]} << 24) | (size_t{p[9]} << 16) |
                       (size_t{p[10]} << 8) | p[11];
    pos += 12 + len;
    ++n;
  }
  return pos == bytes.size() ? n : -1;
}

class ListenMrtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kBgpdump, X_OK) != 0) GTEST_SKIP() << kBgpdump << " missing";
  }
};

TEST_F(ListenMrtTest, RecordsEveryRouteAndTheSessionStates) {
  TempDir dir;
  const std::string file = dir.Path("updates.mrt");
  const int64_t start = absl::ToUnixSeconds(absl::Now());
  Listener listen({absl::StrCat("--mrt-out=", file)});
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      InjectArgs(listen.port(), {"--count=1000", "--as-path=65500 65010",
                                 "--next-hop=192.0.2.1", "--med=7"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  // inject closed its session (Cease) after --duration: the listener has
  // seen it go to Idle.
  ASSERT_TRUE(listen.proc().WaitFor("Established -> Idle"))
      << listen.proc().err();
  listen.Stop();
  const int64_t end = absl::ToUnixSeconds(absl::Now());

  bool ok = false;
  const std::vector<std::string> lines = Bgpdump(file, &ok);
  ASSERT_TRUE(ok) << absl::StrJoin(lines, "\n");
  std::vector<std::string> want;
  for (const std::string& p : V4Range(0x0a000000, 1000)) {
    want.push_back(absl::StrCat("BGP4MP_ET|A|127.0.0.2|65500|", p,
                                "|65500 65010|IGP|192.0.2.1|0|7||NAG||"));
  }
  EXPECT_THAT(Select(lines, "|A|"), ElementsAreArray(want));
  // RFC 6396 §4.4.1 numbers: the passive session goes Idle -> Active ->
  // OpenSent -> OpenConfirm -> Established, then back to Idle when the
  // peer leaves. The peer's AS is known from its OPEN on.
  EXPECT_THAT(Select(lines, "|STATE|"),
              ElementsAreArray({
                  "BGP4MP_ET|STATE|127.0.0.2|0|1|3",
                  "BGP4MP_ET|STATE|127.0.0.2|0|3|4",
                  "BGP4MP_ET|STATE|127.0.0.2|65500|4|5",
                  "BGP4MP_ET|STATE|127.0.0.2|65500|5|6",
                  "BGP4MP_ET|STATE|127.0.0.2|65500|6|1",
              }));
  EXPECT_EQ(lines.size(), 1005u);
  // Times: wall clock of receipt, in order.
  double last = 0;
  for (const std::string& l : lines) {
    std::vector<std::string> f = absl::StrSplit(l, '|');
    ASSERT_GE(f.size(), 2u) << l;
    double t = 0;
    ASSERT_TRUE(absl::SimpleAtod(f[1], &t)) << l;
    EXPECT_GE(t, static_cast<double>(start - 1)) << l;
    EXPECT_LE(t, static_cast<double>(end + 1)) << l;
    EXPECT_GE(t, last) << l;
    last = t;
  }
  // Every received message is a record (OPEN, KEEPALIVE, UPDATEs,
  // End-of-RIB) besides the five state changes; the file is whole.
  const std::string bytes = ReadWholeFile(file);
  EXPECT_GT(CountRecords(bytes), 5 + 3);
}

TEST_F(ListenMrtTest, AddPathSessionsUseTheAddPathSubtype) {
  TempDir dir;
  const std::string file = dir.Path("ap.mrt");
  Listener listen({absl::StrCat("--mrt-out=", file)});
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(ToolPath("bgpy-inject"),
                     InjectArgs(listen.port(), {"--count=3", "--add-path=2",
                                                "--next-hop=192.0.2.1"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  ASSERT_TRUE(listen.proc().WaitFor("Established -> Idle"));
  listen.Stop();
  std::vector<std::string> got = Select(Bgpdump(file), "|A|");
  std::sort(got.begin(), got.end());
  // Path k has path id 1 + k and next hop + k.
  std::vector<std::string> want;
  for (const std::string& p : V4Range(0x0a000000, 3)) {
    want.push_back(absl::StrCat("BGP4MP_ET_AP|A|127.0.0.2|65500|", p,
                                "|1|65500|IGP|192.0.2.1|0|0||NAG||"));
    want.push_back(absl::StrCat("BGP4MP_ET_AP|A|127.0.0.2|65500|", p,
                                "|2|65500|IGP|192.0.2.2|0|0||NAG||"));
  }
  std::sort(want.begin(), want.end());
  EXPECT_THAT(got, ElementsAreArray(want));
}

// A peer that does not offer 4-octet AS (RFC 6793) sends 2-octet AS_PATHs:
// its messages are recorded as MESSAGE, not MESSAGE_AS4, so that bgpdump
// reads the path right.
TEST_F(ListenMrtTest, TwoOctetAsSessionIsRecordedAsMessage) {
  TempDir dir;
  const std::string file = dir.Path("as2.mrt");
  Listener listen({absl::StrCat("--mrt-out=", file)});
  ASSERT_NE(listen.port(), 0);

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(0x7f000003);  // 127.0.0.3
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(0x7f000001);
  to.sin_port = htons(static_cast<uint16_t>(listen.port()));
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
  auto send_hex = [fd](absl::string_view hex) {
    const std::vector<uint8_t> b = testing::FromHex(hex);
    EXPECT_EQ(send(fd, b.data(), b.size(), 0), static_cast<ssize_t>(b.size()));
  };
  const std::string marker = "ffffffffffffffffffffffffffffffff";
  // OPEN (RFC 4271 §4.2): version 4, AS 65500, hold 90, id 127.0.0.3, no
  // optional parameters (so IPv4 unicast and 2-octet AS).
  send_hex(absl::StrCat(marker, "001d 01 04 ffdc 005a 7f000003 00"));
  ASSERT_TRUE(listen.proc().WaitFor("OpenSent -> OpenConfirm"))
      << listen.proc().err();
  send_hex(absl::StrCat(marker, "0013 04"));  // KEEPALIVE
  ASSERT_TRUE(listen.proc().WaitFor("-> Established")) << listen.proc().err();
  // UPDATE: ORIGIN IGP, AS_PATH AS_SEQUENCE 65500 65010 in 2 octets,
  // NEXT_HOP 192.0.2.1, NLRI 198.51.1.0/24.
  send_hex(absl::StrCat(marker,
                        "002f 02 0000 0014 40010100 4002060202ffdcfdf2"
                        "400304c0000201 18c63301"));
  // Withdraw it again: the message after it is recorded in order.
  send_hex(absl::StrCat(marker, "001b 02 0004 18c63301 0000"));
  // End-of-RIB (RFC 4724 §2): an empty UPDATE; the listener says so once
  // the messages before it are handled.
  send_hex(absl::StrCat(marker, "0017 02 0000 0000"));
  ASSERT_TRUE(listen.proc().WaitFor("End-of-RIB ipv4-unicast (1 announced)"))
      << listen.proc().err();
  close(fd);
  ASSERT_TRUE(listen.proc().WaitFor("Established -> Idle"));
  listen.Stop();
  const std::vector<std::string> lines = Bgpdump(file);
  EXPECT_THAT(Select(lines, "|A|"),
              ElementsAreArray({"BGP4MP_ET|A|127.0.0.3|65500|198.51.1.0/24|"
                                "65500 65010|IGP|192.0.2.1|0|0||NAG||"}));
  EXPECT_THAT(Select(lines, "|W|"),
              ElementsAreArray({"BGP4MP_ET|W|127.0.0.3|65500|198.51.1.0/24"}));
  // The record's subtype: BGP4MP_ET (17) MESSAGE (1) for the UPDATEs.
  const std::string bytes = ReadWholeFile(file);
  ASSERT_GT(CountRecords(bytes), 0);
  int messages = 0, as4 = 0;
  for (size_t pos = 0; pos + 12 <= bytes.size();) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + pos;
    const int type = (p[4] << 8) | p[5], subtype = (p[6] << 8) | p[7];
    EXPECT_EQ(type, 17);
    if (subtype == 1) ++messages;
    if (subtype == 4) ++as4;
    pos += 12 + ((size_t{p[8]} << 24) | (size_t{p[9]} << 16) |
                 (size_t{p[10]} << 8) | p[11]);
  }
  EXPECT_GE(messages, 5);  // OPEN, KEEPALIVE, three UPDATEs
  EXPECT_EQ(as4, 0);
}

TEST_F(ListenMrtTest, RotatesBySizeIntoWholeFiles) {
  TempDir dir;
  Listener listen(
      {absl::StrCat("--mrt-out=", dir.Path("rib.mrt")), "--mrt-rotate=1KB"});
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      InjectArgs(listen.port(), {"--count=1000", "--max-message-size=4096",
                                 "--next-hop=192.0.2.1"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  ASSERT_TRUE(listen.proc().WaitFor("Established -> Idle"));
  listen.Stop();

  // rib.mrt, rib.mrt.1, rib.mrt.2, ...: in the order written.
  std::vector<std::string> files = dir.Files();
  ASSERT_GE(files.size(), 3u) << absl::StrJoin(files, " ");
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  EXPECT_EQ(files[0], "rib.mrt");
  std::vector<std::string> routes;
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i]);
    if (i > 0) {
      EXPECT_EQ(files[i], absl::StrCat("rib.mrt.", i));
    }
    const std::string bytes = ReadWholeFile(dir.Path(files[i]));
    const int records = CountRecords(bytes);
    EXPECT_GE(records, 1);
    // Over the limit only when one record alone is.
    if (records > 1) {
      EXPECT_LE(bytes.size(), 1024u);
    }
    bool ok = false;
    for (const std::string& l : Bgpdump(dir.Path(files[i]), &ok)) {
      std::vector<std::string> f = absl::StrSplit(l, '|');
      if (f.size() > 5 && f[2] == "A") routes.push_back(f[5]);
    }
    EXPECT_TRUE(ok);
  }
  EXPECT_EQ(routes, V4Range(0x0a000000, 1000));
}

TEST_F(ListenMrtTest, RotatesByIntervalWithStrftimeNames) {
  TempDir dir;
  Listener listen(
      {absl::StrCat("--mrt-out=", dir.Path("updates.%Y%m%d.%H%M%S")),
       "--mrt-rotate-interval=1s"});
  ASSERT_NE(listen.port(), 0);
  ToolProcess inject(
      ToolPath("bgpy-inject"),
      InjectArgs(listen.port(), {"--count=100", "--duration=2.5s"}));
  ASSERT_EQ(inject.Wait(), 0) << inject.err();
  ASSERT_TRUE(listen.proc().WaitFor("Established -> Idle"));
  listen.Stop();

  const std::vector<std::string> files = dir.Files();
  // At least the 2.5 s of the session: three one-second files.
  ASSERT_GE(files.size(), 3u) << absl::StrJoin(files, " ");
  int64_t last = 0;
  int routes = 0, states = 0;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    // updates.YYYYmmdd.HHMMSS, a second apart at least.
    ASSERT_EQ(f.size(), 23u);
    ASSERT_TRUE(absl::StartsWith(f, "updates.")) << f;
    const std::string d = f.substr(8, 8), h = f.substr(17, 6);
    absl::Time t;
    std::string err;
    ASSERT_TRUE(
        absl::ParseTime("%Y-%m-%d %H:%M:%S",
                        absl::StrCat(d.substr(0, 4), "-", d.substr(4, 2), "-",
                                     d.substr(6, 2), " ", h.substr(0, 2), ":",
                                     h.substr(2, 2), ":", h.substr(4, 2)),
                        absl::UTCTimeZone(), &t, &err))
        << err;
    EXPECT_GT(absl::ToUnixSeconds(t), last);
    last = absl::ToUnixSeconds(t);
    const std::string bytes = ReadWholeFile(dir.Path(f));
    EXPECT_GE(CountRecords(bytes), 0);
    bool ok = false;
    for (const std::string& l : Bgpdump(dir.Path(f), &ok)) {
      std::vector<std::string> fields = absl::StrSplit(l, '|');
      ASSERT_GE(fields.size(), 3u) << l;
      // Each record lies in its file's second.
      double at = 0;
      ASSERT_TRUE(absl::SimpleAtod(fields[1], &at)) << l;
      EXPECT_GE(at, static_cast<double>(last)) << l;
      EXPECT_LT(at, static_cast<double>(last + 1)) << l;
      if (fields[2] == "A") ++routes;
      if (fields[2] == "STATE") ++states;
    }
    EXPECT_TRUE(ok);
  }
  EXPECT_EQ(routes, 100);
  EXPECT_EQ(states, 5);
}

TEST(ListenMrtUsageTest, BadFlagsExitOneNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string want;
  };
  const std::vector<Case> cases = {
      {{"--mrt-rotate=1MB"}, "--mrt-rotate: needs --mrt-out"},
      {{"--mrt-rotate-interval=15m"}, "--mrt-rotate-interval: needs --mrt-out"},
      {{"--mrt-out=x.mrt", "--mrt-rotate=lots"}, "--mrt-rotate: 'lots'"},
      {{"--mrt-out=x.mrt", "--mrt-rotate=0"}, "--mrt-rotate: '0'"},
      {{"--mrt-out=x.mrt", "--mrt-rotate-interval=1.5s"},
       "--mrt-rotate-interval: '1.5s' must be a whole number of seconds"},
      {{"--mrt-out=/nonexistent-dir/x.mrt"}, "--mrt-out: cannot open"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.back());
    std::vector<std::string> args = {"--listen=127.0.0.1:0",
                                     "--local-as=65001"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    ToolProcess listen(ToolPath("bgpy-listen"), args);
    EXPECT_EQ(listen.Wait(), 1);
    EXPECT_THAT(listen.err(), HasSubstr(c.want));
    EXPECT_EQ(Lines(listen.err()).size(), 1u) << listen.err();
  }
}

}  // namespace
}  // namespace bgpy
