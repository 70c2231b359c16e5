// Copyright 2026 The bgpy Authors.
#include "testlib/tool_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

extern char** environ;

namespace bgpy::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<int> sequence{0};

bool PollFor(const std::string& path, absl::string_view text,
             std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    if (absl::StrContains(ReadWholeFile(path), text)) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::string ToolPath(absl::string_view name) {
  if (const char* dir = std::getenv("BGPY_BINARY_DIR"))
    return absl::StrCat(dir, "/bin/", name);
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : "";
  dir = dir.substr(0, dir.rfind('/'));
  return absl::StrCat(dir, "/", name);
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

ToolProcess::ToolProcess(const std::string& binary,
                         const std::vector<std::string>& args,
                         const Options& options) {
  const std::string base =
      absl::StrCat(::testing::TempDir(), "/tool_", ::getpid(), "_", ++sequence);
  out_ = base + ".out";
  err_ = base + ".err";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (options.stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&fa, options.stdout_fd, 1);
    posix_spawn_file_actions_addclose(&fa, options.stdout_fd);
  } else {
    posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (options.close_fd >= 0)
    posix_spawn_file_actions_addclose(&fa, options.close_fd);
  posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all = {binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc =
      posix_spawn(&pid_, binary.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  EXPECT_EQ(rc, 0) << "spawn " << binary;
  if (rc != 0) pid_ = -1;
}

ToolProcess::~ToolProcess() {
  if (pid_ > 0 && exit_code_ == kRunning) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::remove(out_.c_str());
  std::remove(err_.c_str());
}

int ToolProcess::Wait(std::chrono::milliseconds timeout) {
  if (exit_code_ != kRunning || pid_ <= 0) return exit_code_;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return exit_code_;
    }
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "process did not exit in time; stderr:\n" << err();
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      exit_code_ = -1;
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void ToolProcess::Signal(int sig) {
  if (pid_ > 0 && exit_code_ == kRunning) kill(pid_, sig);
}

bool ToolProcess::WaitFor(absl::string_view text,
                          std::chrono::milliseconds timeout) {
  return PollFor(err_, text, timeout);
}

bool ToolProcess::WaitForStdout(absl::string_view text,
                                std::chrono::milliseconds timeout) {
  return PollFor(out_, text, timeout);
}

uint64_t ToolProcess::RssKib() const {
  if (pid_ <= 0) return 0;
  const std::string s = ReadWholeFile(absl::StrCat("/proc/", pid_, "/status"));
  const size_t at = s.find("VmRSS:");
  if (at == std::string::npos) return 0;
  const size_t end = s.find('\n', at);
  std::string v(absl::StripAsciiWhitespace(
      s.substr(at + 6, end == std::string::npos ? end : end - at - 6)));
  if (absl::EndsWith(v, "kB")) v.resize(v.size() - 2);
  uint64_t kib = 0;
  (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &kib);
  return kib;
}

int ToolProcess::Descriptors() const {
  if (pid_ <= 0) return 0;
  std::error_code ec;
  int n = 0;
  for (std::filesystem::directory_iterator
           it(absl::StrCat("/proc/", pid_, "/fd"), ec),
       end;
       !ec && it != end; it.increment(ec))
    ++n;
  return n;
}

}  // namespace bgpy::testing
