// Copyright 2026 The bgpy Authors.
#include "interop/tools_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace bgpy {
namespace interop {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::optional<std::string> ToolPath(const std::string& name, std::string* why) {
  std::string dir;
  if (const char* env = std::getenv("BGPY_TOOLS_DIR");
      env != nullptr && *env != '\0') {
    dir = env;
  } else {
    std::error_code ec;
    std::filesystem::path self =
        std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) dir = self.parent_path().string();
  }
  std::string path = absl::StrCat(dir, "/", name);
  if (dir.empty() || access(path.c_str(), X_OK) != 0) {
    if (why != nullptr)
      *why = absl::StrCat(name, " is not built at ", path,
                          " (build the examples, or set BGPY_TOOLS_DIR): "
                          "interop test skipped");
    return std::nullopt;
  }
  return path;
}

absl::StatusOr<std::unique_ptr<ToolProcess>> ToolProcess::Start(
    const std::vector<std::string>& argv) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  std::unique_ptr<ToolProcess> p(new ToolProcess());
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/bgpy-tool-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr)
    return absl::InternalError(
        absl::StrCat("mkdtemp ", templ, ": ", std::strerror(errno)));
  p->dir_ = templ;
  const std::string out_path = p->dir_ + "/stdout";
  const std::string err_path = p->dir_ + "/stderr";
  int out =
      open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err =
      open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) {
    if (out >= 0) close(out);
    if (err >= 0) close(err);
    return absl::InternalError(
        absl::StrCat("open ", p->dir_, ": ", std::strerror(errno)));
  }
  // Everything the child needs is built before fork().
  std::vector<std::string> storage = argv;
  std::vector<char*> args;
  for (std::string& s : storage) args.push_back(s.data());
  args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(out, 1);
    dup2(err, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    close_range(3, ~0U, 0);
    execve(args[0], args.data(), environ);
    _exit(127);
  }
  close(out);
  close(err);
  if (pid < 0)
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  p->pid_ = pid;
  return p;
}

void ToolProcess::Reaped(int status) {
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  kill(-pid_, SIGKILL);  // anything left in its group
  pid_ = -1;
}

bool ToolProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) {
    Reaped(status);
  } else {
    pid_ = -1;  // ECHILD: someone else reaped it
  }
  return false;
}

absl::StatusOr<int> ToolProcess::Wait(Millis timeout) {
  auto deadline = Clock::now() + timeout;
  while (Running()) {
    if (Clock::now() >= deadline)
      return absl::DeadlineExceededError(absl::StrCat(
          "still running after ", timeout.count(), " ms; output:\n", Tail()));
    std::this_thread::sleep_for(Millis(20));
  }
  return exit_code_.value_or(-1);
}

absl::StatusOr<int> ToolProcess::Stop(Millis grace) {
  if (!Running()) return exit_code_.value_or(-1);
  kill(pid_, SIGTERM);
  absl::StatusOr<int> code = Wait(grace);
  if (code.ok()) return code;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  (void)Wait(Millis(5000));
  return absl::DeadlineExceededError(
      absl::StrCat("did not exit within ", grace.count(),
                   " ms of SIGTERM; output:\n", Tail()));
}

std::string ToolProcess::Stdout() const {
  return dir_.empty() ? "" : ReadAll(dir_ + "/stdout");
}
std::string ToolProcess::Stderr() const {
  return dir_.empty() ? "" : ReadAll(dir_ + "/stderr");
}

std::string ToolProcess::Tail(size_t max_bytes) const {
  std::string err = Stderr();
  std::string out = Stdout();
  if (err.size() > max_bytes) err = err.substr(err.size() - max_bytes);
  if (out.size() > max_bytes) out = out.substr(out.size() - max_bytes);
  return absl::StrCat("--- stderr ---\n", err, "--- stdout ---\n", out);
}

ToolProcess::~ToolProcess() {
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
  }
  if (!dir_.empty() && std::getenv("BGPY_INTEROP_KEEP") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::optional<int> PollCount(const std::function<std::optional<int>()>& get,
                             int want, Millis timeout, Millis interval,
                             ToolProcess* tool) {
  std::optional<int> last;
  const auto deadline = Clock::now() + timeout;
  while (true) {
    last = get();
    if (last == want) return last;
    if (Clock::now() >= deadline) return last;
    if (tool != nullptr && !tool->Running()) return last;
    std::this_thread::sleep_for(interval);
  }
}

const testing::JsonValue* GobgpAttr(const testing::JsonValue& path, int type) {
  const testing::JsonValue* attrs = path.Get("attrs");
  if (attrs == nullptr) return nullptr;
  const std::string want = absl::StrCat(type);
  for (const testing::JsonValue& a : attrs->items()) {
    const std::string* t = a.GetText("type");
    if (t != nullptr && *t == want) return &a;
  }
  return nullptr;
}

}  // namespace interop
}  // namespace bgpy
