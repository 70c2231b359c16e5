// Copyright 2026 The bgpy Authors.
//
// tool_flags.h: command-line helpers shared by the tools (bgpy-decode,
// bgpy-inject, bgpy-listen). Tools' code, not the library's.
#ifndef BGPY_EXAMPLES_COMMON_TOOL_FLAGS_H_
#define BGPY_EXAMPLES_COMMON_TOOL_FLAGS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bgpy/types.h"

namespace bgpy::tools {

// Abseil flag names cannot hold '-': rewrites the name part of every
// "--x-y[=v]" / "-x-y[=v]" argument to "--x_y[=v]" (values untouched), up
// to a lone "--". argv[0] is kept as is.
std::vector<std::string> NormalizeFlagNames(int argc, char** argv);

// Normalizes the flag names, restricts --help to the flags defined in files
// whose path ends with `flags_file` (e.g. "inject.cc"), sets the usage
// message and parses the command line. Returns the positional arguments
// (argv[0] first). Unknown flags make Abseil print one line naming the flag
// and exit(1).
std::vector<std::string> ParseToolCommandLine(int argc, char** argv,
                                              absl::string_view usage,
                                              absl::string_view flags_file);
// The same for a tool whose flags are defined in several files (paths
// ending with one of `flags_files`). `duration_flags` (names with '_') are
// absl::Duration flags that also accept a bare number of seconds: "5" and
// "1.5" are read as "5s" and "1.5s".
std::vector<std::string> ParseToolCommandLine(
    int argc, char** argv, absl::string_view usage,
    std::initializer_list<absl::string_view> flags_files,
    std::initializer_list<absl::string_view> duration_flags);

// The one usage error of the tools: kInvalidArgument "--<flag>: <what>"
// (`flag` spelled with '-', as the user types it). Tools print its message
// and exit 1.
absl::Status UsageError(absl::string_view flag, absl::string_view what);
// UsageError "must be positive" unless 0 < d < infinity.
absl::Status CheckPositive(absl::string_view flag, absl::Duration d);

// A decimal number in [min, max]; kInvalidArgument "--<flag>: ..." otherwise.
absl::StatusOr<uint64_t> ParseUintFlag(absl::string_view flag,
                                       absl::string_view text, uint64_t min,
                                       uint64_t max);
// An AS number: "65000", "4200000000" or asdot "1.10" (RFC 5396), 1..2^32-1.
absl::StatusOr<uint32_t> ParseAsnFlag(absl::string_view flag,
                                      absl::string_view text);
// A duration such as "90s", "1.5s", "250ms", "2m", "1h"; a bare number means
// seconds. Must be positive.
absl::StatusOr<absl::Duration> ParseDurationFlag(absl::string_view flag,
                                                 absl::string_view text);

// Help text of a family flag: `what`, then the names of the families bgpy
// decodes, from the family table ("...: one or more of ipv4-unicast, ...").
std::string FamilyFlagHelp(absl::string_view what);

// A comma list of family names (--family, --families, --receive-families):
// every name must be in the family table and decoded. kInvalidArgument
// "--<flag>: ..." otherwise, or when the list is empty.
absl::StatusOr<std::vector<Family>> ParseFamilyListFlag(absl::string_view flag,
                                                        absl::string_view text);

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_COMMON_TOOL_FLAGS_H_
