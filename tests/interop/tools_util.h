// Copyright 2026 The bgpy Authors.
//
// interop/tools_util.h: runs the built example tools (bgpy-inject,
// bgpy-listen) as child processes in interop tests, in the background, with
// stdout and stderr captured to files so the test can read them while the
// tool runs.
//
//   std::string why;
//   std::optional<std::string> inject = ToolPath("bgpy-inject", &why);
//   auto p = ToolProcess::Start({*inject, "--peer=127.0.20.2", ...});
//   ...
//   absl::StatusOr<int> code = (*p)->Stop();  // SIGTERM, bounded wait
//
// The tool runs in its own process group with PR_SET_PDEATHSIG: it dies with
// the test even if the test crashes. The destructor kills what is left.
#ifndef BGPY_TESTS_INTEROP_TOOLS_UTIL_H_
#define BGPY_TESTS_INTEROP_TOOLS_UTIL_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "interop/daemons.h"
#include "testlib/json.h"

namespace bgpy {
namespace interop {

// The path of tool `name` (e.g. "bgpy-inject"): $BGPY_TOOLS_DIR/name if that
// variable is set, else next to the running test binary (build/bin/). nullopt
// when it is not there (or not executable); `why` then says so.
std::optional<std::string> ToolPath(const std::string& name,
                                    std::string* why = nullptr);

class ToolProcess {
 public:
  // Starts argv[0] (a path) with stdin on /dev/null and stdout/stderr into
  // files of a fresh temporary directory.
  static absl::StatusOr<std::unique_ptr<ToolProcess>> Start(
      const std::vector<std::string>& argv);
  ~ToolProcess();
  ToolProcess(const ToolProcess&) = delete;
  ToolProcess& operator=(const ToolProcess&) = delete;

  // False once the process exited (then exit_code() is set).
  bool Running();
  // Waits at most `timeout` for the process to exit by itself: its exit code
  // (-1 if killed by a signal), or kDeadlineExceeded.
  absl::StatusOr<int> Wait(Millis timeout);
  // SIGTERM, then at most `grace` for it to exit (else SIGKILL and
  // kDeadlineExceeded): the exit code.
  absl::StatusOr<int> Stop(Millis grace = Millis(5000));
  std::optional<int> exit_code() const { return exit_code_; }

  std::string Stdout() const;
  std::string Stderr() const;
  // The last `max_bytes` of stderr and stdout, for failure messages.
  std::string Tail(size_t max_bytes = 3000) const;

 private:
  ToolProcess() = default;
  void Reaped(int status);

  pid_t pid_ = -1;
  std::string dir_;
  std::optional<int> exit_code_;
};

// Calls `get` every `interval` until it returns `want` or `timeout` passes
// (or `tool`, if given, exited); returns the last value.
std::optional<int> PollCount(const std::function<std::optional<int>()>& get,
                             int want, Millis timeout, Millis interval,
                             ToolProcess* tool = nullptr);

// The attribute of `type` in GoBGP's JSON path object (`gobgp ... -j`);
// nullptr if absent.
const testing::JsonValue* GobgpAttr(const testing::JsonValue& path, int type);

}  // namespace interop
}  // namespace bgpy

// Skips the current test when tool `name` was not built next to the test
// (fails under CI=true, where scripts/test builds everything). Declares
// `std::string var` holding its path.
#define BGPY_REQUIRE_TOOL(var, name)                                    \
  std::string var;                                                      \
  do {                                                                  \
    std::string bgpy_why_;                                              \
    std::optional<std::string> bgpy_path_ =                             \
        ::bgpy::interop::ToolPath((name), &bgpy_why_);                  \
    if (!bgpy_path_) {                                                  \
      if (::bgpy::interop::InCi()) FAIL() << bgpy_why_ << " (CI=true)"; \
      GTEST_SKIP() << bgpy_why_;                                        \
    }                                                                   \
    var = *bgpy_path_;                                                  \
  } while (0)

#endif  // BGPY_TESTS_INTEROP_TOOLS_UTIL_H_
