// Copyright 2026 The bgpy Authors.
//
// bgpy-inject: the route injector. Brings up one or more BGP sessions,
// announces generated routes as fast as the peer takes them (or at --rate),
// then stays up printing what the peer sends. DESIGN.md "bgpy-inject".
// Every session runs on one event loop in one thread (run.cc).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/session_flags.h"
#include "inject/options.h"
#include "inject/run.h"

int main(int argc, char** argv) {
  using namespace bgpy::tools;  // NOLINT(build/namespaces)
  std::vector<std::string> positional = ParseInjectCommandLine(argc, argv);
  auto err = [](const std::string& s) {
    std::fprintf(stderr, "bgpy-inject: %s\n", s.c_str());
  };
  if (positional.size() > 1) {
    err(absl::StrCat("unexpected argument '", positional[1], "'"));
    return kExitUsage;
  }
  absl::StatusOr<Options> options = ParseOptions();
  if (!options.ok()) {
    err(std::string(options.status().message()));
    return kExitUsage;
  }
  StopOnClosedStdout("bgpy-inject");
  return RunInjection(*options);
}
