// Copyright 2026 The bgpy Authors.
//
// render.h: text / JSON / hex rendering of any BGP message, shared by the
// tools (bgpy-decode, bgpy-listen, bgpy-inject). Tools' code, not the
// library's: value types carry no output format (STYLE.md §2).
//
// Formats (DESIGN.md "Output formats"):
//  - kText: a timestamp line, the message type and length, then every field
//    by name, indented. Several lines.
//  - kJson: exactly one JSON object on one line per message, with "time"
//    (RFC 3339, microseconds, UTC), "peer", "type" and "length"; a message
//    that fails to decode gives {"error": "...", "hex": "..."}.
//  - kHex: the decoded message re-encoded, in lowercase hex, on one line.
#ifndef BGPY_EXAMPLES_COMMON_RENDER_H_
#define BGPY_EXAMPLES_COMMON_RENDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bgpy/params.h"
#include "bgpy/wire.h"

namespace bgpy::tools {

enum class Format { kText, kJson, kHex };

// "text", "json", "hex". kInvalidArgument otherwise.
absl::StatusOr<Format> ParseFormat(absl::string_view name);

struct MessageMeta {
  // When the message was seen; absl::InfinitePast() when unknown (JSON
  // "time": null, text "(no timestamp)").
  absl::Time time = absl::InfinitePast();
  // Who sent it ("192.0.2.1"); empty if unknown (JSON "peer": null).
  std::string peer;
  // Where it came from in the input ("line 3", "message 7 at offset 120");
  // prefixed to error lines. May be empty.
  std::string source;
};

// Decodes `message` (one whole message, header included) under `params` and
// renders it. The result always ends with a newline; kText gives several
// lines, kJson and kHex exactly one. If the message does not decode, the
// result is the rendered error (RenderError) and `*status` (when given) is
// set to the decoding error; otherwise `*status` is OK. An UPDATE that
// parses with an RFC 7606 verdict other than "ok" counts as decoded (its
// verdict and findings are rendered).
std::string Render(wire::Bytes message, const SessionParams& params, Format f,
                   const MessageMeta& meta, absl::Status* status = nullptr);

// One line for a message that failed to decode: kJson gives
// {"error": "...", "hex": "..."}; kText and kHex give
// "error: <source>: <DescribeStatus(status)>".
std::string RenderError(wire::Bytes message, const absl::Status& status,
                        Format f, const MessageMeta& meta);

// "UPDATE Message Error / Malformed AS_PATH (3/11): segment 2 overruns
// attribute" for a NOTIFICATION-worthy Status; "INVALID_ARGUMENT: ..."
// otherwise.
std::string DescribeStatus(const absl::Status& status);

// RFC 3339 UTC with microseconds: "2026-01-02T03:04:05.000123Z".
std::string FormatTimestamp(absl::Time t);

// The contents of a JSON string (without the quotes): '"', '\\' and control
// characters escaped, invalid UTF-8 replaced with U+FFFD (RFC 8259 §7-8).
std::string JsonEscape(absl::string_view s);
// The same, quoted.
std::string JsonString(absl::string_view s);

// Lowercase hex, no separators.
std::string Hex(wire::Bytes bytes);

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_COMMON_RENDER_H_
