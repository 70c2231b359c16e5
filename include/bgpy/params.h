// Copyright 2026 The bgpy Authors.
//
// params.h: the negotiated context every decode and encode takes.
#ifndef BGPY_PARAMS_H_
#define BGPY_PARAMS_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "bgpy/types.h"

namespace bgpy {

inline constexpr size_t kHeaderSize = 19;                 // RFC 4271 §4.1
inline constexpr size_t kMarkerSize = 16;                 // RFC 4271 §4.1
inline constexpr size_t kMaxMessageSize = 4096;           // RFC 4271 §4.1
inline constexpr size_t kMaxExtendedMessageSize = 65535;  // RFC 8654 §4
inline constexpr uint16_t kAsTrans = 23456;               // RFC 6793 §9

// What a session negotiated, for one direction of messages. Decoding takes
// the receive-side view, encoding the send-side view.
class SessionParams {
 public:
  // RFC 6793: AS numbers in AS_PATH/AGGREGATOR are 4 octets.
  bool four_octet_as = true;
  // RFC 8654: messages up to 65535 octets.
  bool extended_message = false;
  // Receive side only: the peer is in another AS (eBGP). UpdateView::Parse
  // then discards LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST, whatever their
  // value (RFC 7606 §7.5, §7.9, §7.10). Negotiate() sets it on recv_params;
  // offline decoding (no session, MRT) leaves it false and keeps them.
  bool external = false;
  static constexpr size_t kMaxAddPathFamilies = 16;

  size_t max_message_size() const {
    return extended_message ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
  bool HasAddPath(Family f) const {
    for (size_t i = 0; i < add_path_count_; ++i)
      if (add_path_[i] == f) return true;
    return false;
  }
  // Turns ADD-PATH on or off for `f`. False if more than
  // kMaxAddPathFamilies families would be on (a caller mistake).
  bool SetAddPath(Family f, bool on) {
    for (size_t i = 0; i < add_path_count_; ++i) {
      if (add_path_[i] == f) {
        if (!on) {
          add_path_[i] = add_path_[--add_path_count_];
          add_path_[add_path_count_] = Family();
        }
        return true;
      }
    }
    if (!on) return true;
    if (add_path_count_ == kMaxAddPathFamilies) return false;
    add_path_[add_path_count_++] = f;
    return true;
  }
  absl::Span<const Family> add_path_families() const {
    return absl::MakeConstSpan(add_path_.data(), add_path_count_);
  }
  // Same flags (external included) and the same ADD-PATH families, in any
  // order.
  bool operator==(const SessionParams& o) const {
    if (four_octet_as != o.four_octet_as ||
        extended_message != o.extended_message || external != o.external ||
        add_path_count_ != o.add_path_count_) {
      return false;
    }
    for (Family f : add_path_families())
      if (!o.HasAddPath(f)) return false;
    return true;
  }

 private:
  // RFC 7911: families whose NLRI carry a 4-octet path identifier, kept in
  // a fixed array so the params stay trivially copyable (views and builders
  // copy them). Only through HasAddPath/SetAddPath/add_path_families, so
  // the count and the array cannot disagree.
  std::array<Family, kMaxAddPathFamilies> add_path_{};
  uint8_t add_path_count_ = 0;
};

}  // namespace bgpy

#endif  // BGPY_PARAMS_H_
