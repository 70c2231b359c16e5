// Copyright 2026 The bgpy Authors.
//
// Running the built tools from a test: where they are, and a child process
// whose stdout and stderr land in temporary files (or stdout in a given
// descriptor), with bounded waits. Every wait has a deadline; a child still
// running when its ToolProcess goes away is killed.
#ifndef BGPY_TESTS_TESTLIB_TOOL_PROCESS_H_
#define BGPY_TESTS_TESTLIB_TOOL_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace bgpy::testing {

// True in a sanitizer build (the tools are built with the tests' flags).
// There ASan's shadow memory and its quarantine of freed blocks (256 MB by
// default) make a process's RSS say nothing about the code's own memory
// use, so tests leave their RSS bounds out; valgrind cannot run the tools.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// The path of a built tool: $BGPY_BINARY_DIR/bin/NAME when ctest sets it,
// else the directory of the running test binary (run by hand).
std::string ToolPath(absl::string_view name);

// The whole content of a file ("" when it can't be read).
std::string ReadWholeFile(const std::string& path);

class ToolProcess {
 public:
  struct Options {
    // >= 0: the child's stdout is this descriptor (dup2) instead of a file.
    int stdout_fd = -1;
    // >= 0: closed in the child (e.g. the other end of a pipe).
    int close_fd = -1;
  };

  ToolProcess(const std::string& binary, const std::vector<std::string>& args)
      : ToolProcess(binary, args, Options()) {}
  ToolProcess(const std::string& binary, const std::vector<std::string>& args,
              const Options& options);
  ~ToolProcess();
  ToolProcess(const ToolProcess&) = delete;
  ToolProcess& operator=(const ToolProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }

  // Waits at most `timeout` for the exit; the exit status, or -1 when the
  // child was killed by a signal or did not exit in time (then it is
  // killed and a test failure is added).
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Sends `sig` while the child runs.
  void Signal(int sig);
  // Polls stderr (WaitFor) or stdout (WaitForStdout) until it contains
  // `text`, at most `timeout`.
  bool WaitFor(absl::string_view text,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool WaitForStdout(absl::string_view text, std::chrono::milliseconds timeout =
                                                 std::chrono::seconds(10));
  // The child's VmRSS in KiB, 0 once it is gone.
  uint64_t RssKib() const;
  // How many descriptors the child has open (/proc/PID/fd), 0 once gone.
  int Descriptors() const;

  std::string out() const { return ReadWholeFile(out_); }
  std::string err() const { return ReadWholeFile(err_); }

 private:
  static constexpr int kRunning = -2;
  pid_t pid_ = -1;
  int exit_code_ = kRunning;
  std::string out_, err_;
};

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_TOOL_PROCESS_H_
