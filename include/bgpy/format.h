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
#include "bgpy/mrt.h"
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

// --- MRT records (RFC 6396) ------------------------------------------------

// Where a record came from in its file.
struct MrtRecordMeta {
  uint64_t offset = 0;          // of the record, in the uncompressed stream
  absl::string_view source;     // prefixed to error lines ("file.mrt")
  absl::string_view type_name;  // for error lines ("BGP4MP_ET/MESSAGE_AS4")
};

struct BgpdumpOptions {
  // Print only the families bgpdump prints (IPv4/IPv6 unicast and
  // multicast). Off: routes of other families get lines of the same layout
  // with the family's operator text as the prefix.
  bool only_bgpdump_families = false;
  // When set, counts the routes left out by only_bgpdump_families.
  uint64_t* skipped_routes = nullptr;
};

// `bgpdump -m` lines for `record`: one per route (A, W, or B for RIB
// entries) and per state change, with bgpdump 1.6's fields, order and
// notation. Records without routes print nothing. The walker keeps the
// PEER_INDEX_TABLE across records. Returns the walker's error for a route
// that does not decode (the other routes are printed).
absl::Status AppendBgpdump(std::string* out, const mrt::Record& record,
                           mrt::RouteWalker& walker,
                           const BgpdumpOptions& options = {});

// One record as JSON (exactly one line: "time", "peer", "type" and an "mrt"
// object with type, subtype, offset and length; a BGP4MP message is the
// message's own JSON line with the MRT fields added, a RIB record lists its
// entries each as the JSON of a one-route UPDATE) or as text (a header line
// and the decoded message or entries). kHex gives the record's bytes.
absl::Status AppendMrtRecord(std::string* out, const mrt::Record& record,
                             mrt::RouteWalker& walker, OutputFormat f,
                             const MrtRecordMeta& meta);

// One line for a record that could not be read or decoded: kJson gives
// {"error": "MRT record at offset N (TYPE): ...", "offset": N, "hex": ...};
// the others "error: MRT record at offset N (TYPE): ...".
std::string RenderMrtError(wire::Bytes bytes, const absl::Status& status,
                           OutputFormat f, const MrtRecordMeta& meta);

}  // namespace bgpy

#endif  // BGPY_FORMAT_H_
