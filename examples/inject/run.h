// Copyright 2026 The bgpy Authors.
//
// run.h: bgpy-inject's sessions, all on one bgpy::posix::EventLoop in the
// calling thread: connect (or listen), announce through a RouteFeed, End-of-
// RIB, withdraw / flap, print what the peer sends, summary. Tools' code.
#ifndef BGPY_EXAMPLES_INJECT_RUN_H_
#define BGPY_EXAMPLES_INJECT_RUN_H_

#include "inject/options.h"

namespace bgpy::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitSessionFailed = 2;

// Runs every session until --duration passes, SIGINT/SIGTERM arrives or
// every session failed; prints the summary. Returns the exit code.
int RunInjection(const Options& o);

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_INJECT_RUN_H_
