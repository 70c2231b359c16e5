// Copyright 2026 The bgpy Authors.
//
// decode_context.h: the codec context of messages read offline (captures,
// hex dumps), where no Session negotiated one. bgpy-decode's "auto" and the
// corpus test use it.
#ifndef BGPY_DECODE_CONTEXT_H_
#define BGPY_DECODE_CONTEXT_H_

#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "bgpy/message.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "bgpy/wire.h"

namespace bgpy {

// Picks the SessionParams to decode each message with. The order, one for
// every tool and test:
//  1. What the caller fixed (`Fixed`) is used as given.
//  2. Otherwise, once two OPENs were seen (the last two given to OnOpen),
//     the params follow from them (ParamsFromOpens, negotiate.h). Which
//     speaker sent a message is unknown, so both directions are candidates,
//     first to second OPEN before second to first.
//  3. Otherwise each UPDATE is read every way (4-octet AS before 2-octet, no
//     ADD-PATH before ADD-PATH on every family bgpy decodes) and the reading
//     that parses consistently wins, as tshark infers it: the first that
//     parses with verdict kOk and is plausible, else the first that parses
//     with kOk, else the first that parses, else the first candidate.
//     A reading is implausible when an IP prefix carries bits set beyond its
//     length, or when, without ADD-PATH, an IP NLRI field holds a /0 (the
//     zero octets of a small path id read as a prefix length) — tshark's
//     detect_add_path_prefix tests.
// Messages are accepted up to 65535 octets (RFC 8654) whatever the OPENs
// say: the input is what it is.
class DecodeContext {
 public:
  struct Fixed {
    std::optional<bool> four_octet_as;            // nullopt: auto
    std::optional<std::vector<Family>> add_path;  // nullopt: auto
  };

  DecodeContext() = default;
  explicit DecodeContext(Fixed fixed) : fixed_(std::move(fixed)) {}

  // Records an OPEN read from the input.
  void OnOpen(const Open& open);

  // Every reading of a message under the rules above, in order of
  // preference (one when the context is known).
  std::vector<SessionParams> Candidates() const;
  // The params to decode `message` with. Messages other than UPDATE do not
  // depend on the context and get the first candidate.
  SessionParams For(wire::Bytes message) const;

 private:
  Fixed fixed_;
  std::deque<Open> opens_;
};

// True if, read under `view`'s params, an IP NLRI field of the UPDATE looks
// like a misreading (rule 3 above).
bool ImplausibleReading(const UpdateView& view);

}  // namespace bgpy

#endif  // BGPY_DECODE_CONTEXT_H_
