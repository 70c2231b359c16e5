// Copyright 2026 The bgpy Authors.
//
// format.h: text and JSON of every BGP message, exactly as the bgpy tools
// print them (target bgpy::format; depends on bgpy::bgpy and Abseil only).
// Attribute values and NLRI are rendered by their rows (attributes.h,
// nlri.h); this layer lays out whole messages.
//
//   #include "bgpy/format.h"
//   std::string line = bgpy::JsonLine(message_bytes, params, {.peer = "peer"});
//
// Formats (DESIGN.md "Output formats"):
//  - kText: a timestamp line, the message type and length, then every field
//    by name, indented. Several lines.
//  - kJson: exactly one JSON object on one line per message, with "time"
//    (RFC 3339, microseconds, UTC), "peer", "type" and "length"; a message
//    that fails to decode gives {"error": "...", "hex": "..."}.
//  - kHex: the decoded message re-encoded, in lowercase hex, on one line.
#ifndef BGPY_FORMAT_H_
#define BGPY_FORMAT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bgpy/errors.h"
#include "bgpy/params.h"
#include "bgpy/update.h"
#include "bgpy/wire.h"

namespace bgpy {

enum class OutputFormat { kText, kJson, kHex };

// "text", "json", "hex". kInvalidArgument otherwise.
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name);

// Where a message came from. The strings are borrowed for the call.
struct MessageMeta {
  // When the message was seen; absl::InfinitePast() when unknown (JSON
  // "time": null, text "(no timestamp)").
  absl::Time time = absl::InfinitePast();
  // Who sent it ("192.0.2.1"); empty if unknown (JSON "peer": null).
  absl::string_view peer;
  // Where it came from in the input ("line 3"); prefixed to error lines.
  absl::string_view source;
};

// Decodes `message` (one whole message, header included) under `params` and
// appends its rendering to `*out`. kText gives several lines, kJson and
// kHex exactly one; the output always ends with a newline. If the message
// does not decode, the rendered error (RenderError) is appended and the
// decoding error returned; otherwise OK. An UPDATE that parses with an
// RFC 7606 verdict other than "ok" counts as decoded (its verdict and
// findings are rendered).
absl::Status AppendMessage(std::string* out, wire::Bytes message,
                           const SessionParams& params, OutputFormat f,
                           const MessageMeta& meta);
// The same, returned. `*status` (when given) gets the decoding status.
std::string RenderMessage(wire::Bytes message, const SessionParams& params,
                          OutputFormat f, const MessageMeta& meta,
                          absl::Status* status = nullptr);
// bgpy-listen's JSON line for a message (RenderMessage with kJson).
std::string JsonLine(wire::Bytes message, const SessionParams& params,
                     const MessageMeta& meta = {});

// Appends an UPDATE the caller has already parsed (kText or kJson; kHex
// re-encodes it), with the findings Parse reported.
void AppendUpdate(std::string* out, const UpdateView& view,
                  absl::Span<const Finding> findings, OutputFormat f,
                  const MessageMeta& meta);

// One line for a message that failed to decode: kJson gives
// {"error": "...", "hex": "..."}; kText and kHex give
// "error: <source>: <DescribeStatus(status)>".
std::string RenderError(wire::Bytes message, const absl::Status& status,
                        OutputFormat f, const MessageMeta& meta);

// "UPDATE Message Error / Malformed AS_PATH (3/11): segment 2 overruns
// attribute" for a NOTIFICATION-worthy Status; "INVALID_ARGUMENT: ..."
// otherwise.
std::string DescribeStatus(const absl::Status& status);

// RFC 3339 UTC with microseconds: "2026-01-02T03:04:05.000123Z".
std::string FormatTimestamp(absl::Time t);

}  // namespace bgpy

#endif  // BGPY_FORMAT_H_
