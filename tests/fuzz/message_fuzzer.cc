// Copyright 2026 The bgpy Authors.
//
// message_fuzzer: the input is one whole BGP message (header included).
//
// Properties, under default SessionParams and with RFC 8654 extended
// messages:
//  - DecodeMessage never crashes; on a message of at least a header its
//    errors carry the NOTIFICATION to send;
//  - a decoded message re-encodes to exactly the input bytes (the owned
//    types keep everything needed, message.h);
//  - MessageSplitter returns the same messages whatever the chunking.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/params.h"
#include "fuzz_check.h"

namespace bgpy::fuzz {
namespace {

void CheckDecodeEncode(wire::Bytes in, const SessionParams& params) {
  absl::StatusOr<Message> m = DecodeMessage(in, params);
  if (!m.ok()) {
    if (in.size() >= kHeaderSize) {
      FUZZ_CHECK(GetNotification(m.status()).has_value(),
                 "a decode error of peer input carries no NOTIFICATION");
    }
    return;
  }
  absl::StatusOr<std::vector<uint8_t>> out = EncodeMessage(*m, params);
  FUZZ_CHECK(out.ok(), "a decoded message does not re-encode");
  FUZZ_CHECK_BYTES(in, wire::Bytes(*out), "re-encoding differs from input");
  // The header agrees with what was decoded.
  absl::StatusOr<MessageHeader> h = CheckMessage(in, params.max_message_size());
  FUZZ_CHECK(h.ok() && h->type == TypeOf(*m) && h->length == in.size(),
             "header disagrees with the decoded message");
}

// All messages the splitter returns for `in` fed in chunks of `chunk`
// octets, and its final status.
struct Split {
  std::vector<std::vector<uint8_t>> messages;
  bool failed = false;
  size_t buffered = 0;
  bool operator==(const Split&) const = default;
};

Split SplitStream(wire::Bytes in, size_t chunk, size_t max_size) {
  Split s;
  MessageSplitter splitter(max_size);
  size_t pos = 0;
  while (pos < in.size() && !s.failed) {
    const size_t n = std::min(chunk, in.size() - pos);
    splitter.Feed(in.subspan(pos, n));
    pos += n;
    while (true) {
      absl::StatusOr<std::optional<wire::Bytes>> next = splitter.Next();
      if (!next.ok()) {
        s.failed = true;
        break;
      }
      if (!next->has_value()) break;
      const wire::Bytes msg = **next;
      FUZZ_CHECK(msg.size() >= kHeaderSize && msg.size() <= max_size,
                 "splitter returned a message of impossible size");
      s.messages.emplace_back(msg.begin(), msg.end());
    }
  }
  if (!s.failed) s.buffered = splitter.buffered();
  return s;
}

void CheckSplitter(wire::Bytes in, size_t max_size) {
  const Split whole = SplitStream(in, in.size() + 1, max_size);
  // Bytes accounted for: returned messages plus what is still buffered.
  if (!whole.failed) {
    size_t total = whole.buffered;
    for (const auto& m : whole.messages) total += m.size();
    FUZZ_CHECK(total == in.size(), "splitter lost or invented bytes");
    FUZZ_CHECK(whole.buffered <= max_size, "splitter buffers too much");
  }
  const Split bytewise = SplitStream(in, 1, max_size);
  FUZZ_CHECK(
      whole.messages == bytewise.messages && whole.failed == bytewise.failed,
      "splitter output depends on chunking");
}

}  // namespace
}  // namespace bgpy::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const bgpy::wire::Bytes in(data, size);
  bgpy::SessionParams plain;
  bgpy::fuzz::CheckDecodeEncode(in, plain);
  bgpy::SessionParams extended;
  extended.extended_message = true;
  bgpy::fuzz::CheckDecodeEncode(in, extended);
  bgpy::fuzz::CheckSplitter(in, bgpy::kMaxMessageSize);
  return 0;
}
