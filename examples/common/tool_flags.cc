// Copyright 2026 The bgpy Authors.
#include "common/tool_flags.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bgpy/nlri.h"

namespace bgpy::tools {

std::vector<std::string> NormalizeFlagNames(int argc, char** argv) {
  std::vector<std::string> out;
  bool flags_done = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && !flags_done && arg == "--") flags_done = true;
    if (i > 0 && !flags_done && arg.size() > 2 && arg[0] == '-') {
      size_t start = arg[1] == '-' ? 2 : 1;
      size_t end = arg.find('=');
      if (end == std::string::npos) end = arg.size();
      for (size_t k = start; k < end; ++k)
        if (arg[k] == '-') arg[k] = '_';
    }
    out.push_back(std::move(arg));
  }
  return out;
}

namespace {

std::vector<std::string>& FlagsFiles() {
  static auto* files = new std::vector<std::string>;
  return *files;
}

bool IsNumber(absl::string_view v) {
  double d = 0;
  return !v.empty() && absl::SimpleAtod(v, &d);
}

std::vector<std::string> Parse(
    int argc, char** argv, absl::string_view usage,
    std::vector<std::string> files,
    std::initializer_list<absl::string_view> duration_flags) {
  absl::SetProgramUsageMessage(usage);
  // --help lists the flags of the tool's own files (by default Abseil looks
  // for a file named after the binary).
  FlagsFiles() = std::move(files);
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    for (const std::string& f : FlagsFiles())
      if (absl::EndsWith(path, f)) return true;
    return false;
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  absl::SetFlagsUsageConfig(usage_config);
  std::vector<std::string> normalized = NormalizeFlagNames(argc, argv);
  // A bare number given to a duration flag means seconds.
  for (size_t i = 1; i < normalized.size(); ++i) {
    std::string& arg = normalized[i];
    if (arg == "--") break;
    for (absl::string_view name : duration_flags) {
      for (absl::string_view dashes : {"--", "-"}) {
        const std::string eq = absl::StrCat(dashes, name, "=");
        if (absl::StartsWith(arg, eq) && IsNumber(arg.substr(eq.size()))) {
          arg += "s";
        } else if (arg == absl::StrCat(dashes, name) &&
                   i + 1 < normalized.size() && IsNumber(normalized[i + 1])) {
          normalized[i + 1] += "s";
        }
      }
    }
  }
  std::vector<char*> args;
  for (std::string& s : normalized) args.push_back(s.data());
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  return std::vector<std::string>(positional.begin(), positional.end());
}

}  // namespace

std::vector<std::string> ParseToolCommandLine(int argc, char** argv,
                                              absl::string_view usage,
                                              absl::string_view flags_file) {
  return Parse(argc, argv, usage, {std::string(flags_file)}, {});
}

std::vector<std::string> ParseToolCommandLine(
    int argc, char** argv, absl::string_view usage,
    std::initializer_list<absl::string_view> flags_files,
    std::initializer_list<absl::string_view> duration_flags) {
  std::vector<std::string> files(flags_files.begin(), flags_files.end());
  return Parse(argc, argv, usage, std::move(files), duration_flags);
}

absl::Status UsageError(absl::string_view flag, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", what));
}

absl::Status CheckPositive(absl::string_view flag, absl::Duration d) {
  if (d <= absl::ZeroDuration() || d == absl::InfiniteDuration())
    return UsageError(
        flag, absl::StrCat("'", absl::FormatDuration(d), "' must be positive"));
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ParseUintFlag(absl::string_view flag,
                                       absl::string_view text, uint64_t min,
                                       uint64_t max) {
  uint64_t v = 0;
  if (!absl::SimpleAtoi(text, &v) || text.empty() || text[0] == '-' ||
      text[0] == '+') {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": '", text, "' is not a number"));
  }
  if (v < min || v > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", v, " is outside ", min, "..", max));
  }
  return v;
}

absl::StatusOr<uint32_t> ParseAsnFlag(absl::string_view flag,
                                      absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  uint64_t v = 0;
  if (parts.size() == 2) {  // asdot, RFC 5396 §1
    uint32_t hi = 0, lo = 0;
    if (!absl::SimpleAtoi(parts[0], &hi) || !absl::SimpleAtoi(parts[1], &lo) ||
        hi > 0xffff || lo > 0xffff) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": '", text, "' is not an AS number"));
    }
    v = (uint64_t{hi} << 16) | lo;
  } else if (!absl::SimpleAtoi(text, &v) || text.empty() || text[0] == '-' ||
             text[0] == '+' || v > 0xffffffffu) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": '", text, "' is not an AS number"));
  }
  if (v == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": AS 0 is reserved (RFC 7607)"));
  }
  return static_cast<uint32_t>(v);
}

absl::StatusOr<absl::Duration> ParseDurationFlag(absl::string_view flag,
                                                 absl::string_view text) {
  absl::Duration d;
  double secs = 0;
  if (absl::SimpleAtod(text, &secs) && !text.empty()) {
    d = absl::Seconds(secs);
  } else if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": '", text, "' is not a duration (e.g. 30s, 250ms, 5m)"));
  }
  if (d <= absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": '", text, "' must be positive"));
  }
  return d;
}

std::string FamilyFlagHelp(absl::string_view what) {
  std::string names;
  for (const FamilyDesc* d : RegisteredFamilies()) {
    if (d->opaque) continue;
    absl::StrAppend(&names, names.empty() ? "" : ", ", d->name);
  }
  return absl::StrCat(what, "; one or more of: ", names);
}

absl::StatusOr<std::vector<Family>> ParseFamilyListFlag(
    absl::string_view flag, absl::string_view text) {
  std::vector<Family> out;
  for (absl::string_view name :
       absl::StrSplit(text, absl::ByAnyChar(", "), absl::SkipEmpty())) {
    const FamilyDesc* d = FindFamilyByName(name);
    if (d == nullptr) {
      return UsageError(
          flag, absl::StrCat("unknown family '", name, "' (",
                             FamilyFlagHelp("families are named by the family "
                                            "table"),
                             ")"));
    }
    if (d->opaque)
      return UsageError(flag, absl::StrCat(name, " is not available yet"));
    for (Family f : out)
      if (f == d->family)
        return UsageError(flag, absl::StrCat(name, " is given twice"));
    out.push_back(d->family);
  }
  if (out.empty()) return UsageError(flag, "no family given");
  return out;
}

}  // namespace bgpy::tools
