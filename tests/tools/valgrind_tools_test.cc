// Copyright 2026 The bgpy Authors.
//
// Issue 10: "valgrind shows no leak in a short injector and listener run".
// bgpy-listen and bgpy-inject both run under valgrind's memcheck: the
// injector sends 2,000 routes with attributes and withdraws them, the
// listener prints them as JSON, SIGTERM ends the listener (Cease to the
// peer). Each must exit 0 with no memcheck error and no definite, indirect
// or possible leak (memcheck's exit status 9 says otherwise). Skipped when
// valgrind is not installed (scripts/test installs it) and in sanitizer
// builds, whose tools valgrind cannot run.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "testlib/tool_process.h"

namespace bgpy {
namespace {

using ::bgpy::testing::kSanitizedBuild;
using ::bgpy::testing::ToolPath;
using ::bgpy::testing::ToolProcess;

constexpr int kLeakExit = 9;

std::string Valgrind() {
  for (const char* p : {"/usr/bin/valgrind", "/usr/local/bin/valgrind"})
    if (access(p, X_OK) == 0) return p;
  return "";
}

std::vector<std::string> Memcheck(const std::string& tool,
                                  std::vector<std::string> args) {
  std::vector<std::string> v = {
      "--tool=memcheck",
      "--leak-check=full",
      "--show-leak-kinds=definite,indirect,possible",
      "--errors-for-leak-kinds=definite,indirect,possible",
      absl::StrCat("--error-exitcode=", kLeakExit),
      ToolPath(tool)};
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

TEST(ValgrindTools, ListenerAndInjectorLeakNothing) {
  if (kSanitizedBuild)
    GTEST_SKIP() << "sanitizer build: valgrind cannot run it";
  const std::string valgrind = Valgrind();
  if (valgrind.empty()) GTEST_SKIP() << "valgrind is not installed";

  ToolProcess listen(
      valgrind,
      Memcheck("bgpy-listen", {"--listen=127.0.0.1:0", "--local-as=65001",
                               "--print=json", "--duration=120s"}));
  ASSERT_TRUE(
      listen.WaitFor("listening on 127.0.0.1:", std::chrono::seconds(60)))
      << listen.err();
  int port = 0;
  {
    const std::string err = listen.err();
    const std::string key = "listening on 127.0.0.1:";
    const size_t at = err.find(key) + key.size();
    const size_t end = err.find(',', at);
    ASSERT_TRUE(absl::SimpleAtoi(err.substr(at, end - at), &port)) << err;
  }

  ToolProcess inject(
      valgrind, Memcheck("bgpy-inject",
                         {"--peer=127.0.0.1", absl::StrCat("--port=", port),
                          "--local-address=127.0.0.2", "--local-as=65500",
                          "--prefix=10.0.0.0/32", "--count=2000", "--med=50",
                          "--communities=65500:1", "--withdraw-after=1s",
                          "--duration=3s", "--print=json"}));
  EXPECT_EQ(inject.Wait(std::chrono::seconds(120)), 0) << inject.err();
  EXPECT_TRUE(absl::StrContains(inject.err(), "ERROR SUMMARY: 0 errors"))
      << inject.err();

  // Every route and its withdrawal reached the listener before it stops.
  EXPECT_TRUE(listen.WaitForStdout("10.0.7.207/32", std::chrono::seconds(30)));
  EXPECT_TRUE(listen.WaitForStdout("\"withdraw\":{\"ipv4-unicast\"",
                                   std::chrono::seconds(30)));
  listen.Signal(SIGTERM);
  EXPECT_EQ(listen.Wait(std::chrono::seconds(60)), 0) << listen.err();
  EXPECT_TRUE(absl::StrContains(listen.err(), "ERROR SUMMARY: 0 errors"))
      << listen.err();
}

}  // namespace
}  // namespace bgpy
