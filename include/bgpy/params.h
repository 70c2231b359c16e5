// Copyright 2026 The bgpy Authors.
//
// params.h: the negotiated context every decode and encode takes.
#ifndef BGPY_PARAMS_H_
#define BGPY_PARAMS_H_

#include <cstddef>
#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "bgpy/types.h"

namespace bgpy {

inline constexpr size_t kHeaderSize = 19;                 // RFC 4271 §4.1
inline constexpr size_t kMarkerSize = 16;                 // RFC 4271 §4.1
inline constexpr size_t kMaxMessageSize = 4096;           // RFC 4271 §4.1
inline constexpr size_t kMaxExtendedMessageSize = 65535;  // RFC 8654 §4
inline constexpr uint16_t kAsTrans = 23456;               // RFC 6793 §9

// What a session negotiated, for one direction of messages. Decoding takes
// the receive-side view, encoding the send-side view.
struct SessionParams {
  // RFC 6793: AS numbers in AS_PATH/AGGREGATOR are 4 octets.
  bool four_octet_as = true;
  // RFC 8654: messages up to 65535 octets.
  bool extended_message = false;
  // RFC 7911: families whose NLRI carry a 4-octet path identifier.
  absl::InlinedVector<Family, 4> add_path;

  size_t max_message_size() const {
    return extended_message ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
  bool HasAddPath(Family f) const {
    for (Family x : add_path)
      if (x == f) return true;
    return false;
  }
  void SetAddPath(Family f, bool on) {
    for (size_t i = 0; i < add_path.size(); ++i) {
      if (add_path[i] == f) {
        if (!on) add_path.erase(add_path.begin() + i);
        return;
      }
    }
    if (on) add_path.push_back(f);
  }
  bool operator==(const SessionParams&) const = default;
};

}  // namespace bgpy

#endif  // BGPY_PARAMS_H_
