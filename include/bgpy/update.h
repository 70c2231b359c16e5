// Copyright 2026 The bgpy Authors.
//
// update.h: the zero-copy UPDATE view and the packing UpdateBuilder.
#ifndef BGPY_UPDATE_H_
#define BGPY_UPDATE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/message.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/wire.h"

namespace bgpy {

// A checked, zero-copy view of one UPDATE message. Trivially copyable;
// points into the caller's buffer.
class UpdateView {
 public:
  // Checks all framing of the UPDATE (header included): field lengths,
  // every attribute's header and flags, duplicates, each known attribute's
  // value, every NLRI entry. RFC 4271 §6.3 errors that RFC 7606 softens
  // become a verdict; only kSessionReset fails, with the NOTIFICATION to
  // send. Findings are appended to `findings` when given (allocation only
  // happens for malformed input).
  static absl::StatusOr<UpdateView> Parse(
      wire::Bytes message ABSL_ATTRIBUTE_LIFETIME_BOUND,
      const SessionParams& params, std::vector<Finding>* findings = nullptr);

  wire::Bytes message() const { return msg_; }
  wire::Bytes withdrawn_bytes() const { return withdrawn_; }
  wire::Bytes attributes_bytes() const { return attrs_; }
  wire::Bytes nlri_bytes() const { return nlri_; }

  // Strongest RFC 7606 action found (kOk for a clean message).
  Verdict verdict() const { return verdict_; }

  // IPv4 unicast withdrawn routes and NLRI (the UPDATE body fields).
  NlriView withdrawn() const {
    return NlriView(kIpv4Unicast, withdrawn_, add_path_v4_);
  }
  NlriView nlri() const { return NlriView(kIpv4Unicast, nlri_, add_path_v4_); }

  // Path attributes in order (those discarded per RFC 7606 included; see
  // discarded()).
  AttributeIterator attributes_begin() const {
    return AttributeIterator(attrs_);
  }
  AttributeIterator attributes_end() const { return AttributeIterator(); }
  struct AttributeRange {
    wire::Bytes attrs;
    AttributeIterator begin() const { return AttributeIterator(attrs); }
    AttributeIterator end() const { return AttributeIterator(); }
  };
  AttributeRange attributes() const { return AttributeRange{attrs_}; }

  // The attribute with `code`, unless absent or discarded (RFC 7606).
  std::optional<AttributeView> Find(uint8_t code) const;
  std::optional<AttributeView> Find(AttrCode code) const {
    return Find(static_cast<uint8_t>(code));
  }
  // True if the attribute was present but its value is to be ignored.
  bool discarded(uint8_t code) const;

  // Typed shortcuts (std::nullopt when absent or discarded).
  std::optional<Origin> origin() const;
  std::optional<AsPath> as_path() const;  // with AS4_PATH merged (RFC 6793)
  std::optional<IpAddress> next_hop() const;
  std::optional<uint32_t> med() const;
  std::optional<uint32_t> local_pref() const;
  std::optional<MpReachView> mp_reach() const;
  std::optional<MpUnreachView> mp_unreach() const;
  // The NLRI inside MP_REACH / MP_UNREACH.
  std::optional<NlriView> mp_reach_nlri() const;
  std::optional<NlriView> mp_unreach_nlri() const;

  // End-of-RIB marker (RFC 4724 §2): the family, if this is one.
  std::optional<Family> end_of_rib() const;

  // True if the session reads 4-octet AS numbers (as passed to Parse).
  bool four_octet_as() const { return four_octet_; }
  Update ToOwned() const;

 private:
  wire::Bytes msg_, withdrawn_, attrs_, nlri_;
  bool four_octet_ = true;
  bool add_path_v4_ = false;
  bool add_path_reach_ = false;
  bool add_path_unreach_ = false;
  Verdict verdict_ = Verdict::kOk;
  // Offset (from the start of attrs_) + 1 of each attribute code seen, 0 if
  // absent; codes >= 64 are looked up by walking.
  std::array<uint16_t, 64> where_{};
  uint64_t discarded_ = 0;  // bit per code < 64
};

// Packs routes that share one set of path attributes into as few UPDATEs as
// the negotiated maximum message size allows. Messages are written to a
// caller-supplied vector (appended), never more than max size each.
//
//   UpdateBuilder b(params);
//   b.SetAttributes(attrs, family, next_hop);
//   for (...) if (!b.Announce(entry)) { b.Flush(out); b.Announce(entry); }
//   b.Flush(out);
class UpdateBuilder {
 public:
  explicit UpdateBuilder(const SessionParams& params);

  // Sets the attributes for announcements to come (flushes nothing: call
  // Flush() first if routes are pending). For families other than IPv4
  // unicast, `mp_next_hop` is the MP_REACH next hop (e.g. 16 octets).
  // kInvalidArgument if the attributes alone do not fit a message.
  absl::Status SetAttributes(const PathAttributes& attrs, Family family,
                             std::vector<uint8_t> mp_next_hop = {});
  // Sets pre-encoded attributes (as from UpdateView::attributes_bytes()
  // without MP_REACH).
  absl::Status SetRawAttributes(wire::Bytes attrs, Family family,
                                std::vector<uint8_t> mp_next_hop = {});

  // Adds one route to the pending message. False when it does not fit: the
  // caller calls Flush() and adds it again. Withdrawals and announcements of
  // one family may share a message only for IPv4 unicast.
  bool Announce(const NlriEntry& e);
  bool Announce(const Prefix& p,
                std::optional<uint32_t> path_id = std::nullopt);
  bool Withdraw(const NlriEntry& e);
  bool Withdraw(const Prefix& p,
                std::optional<uint32_t> path_id = std::nullopt);

  // Routes pending in the current message.
  size_t pending() const { return announced_ + withdrawn_count_; }
  // Appends the pending UPDATE (if any) to `out`; returns its size (0 when
  // nothing was pending).
  size_t Flush(std::vector<uint8_t>& out);

  // An End-of-RIB marker for `f` (RFC 4724 §2).
  static std::vector<uint8_t> EndOfRib(Family f);

 private:
  bool Fits(size_t entry_size, bool announce) const;
  void AddEntry(std::vector<uint8_t>& buf, const NlriEntry& e);
  bool AddPrefix(std::vector<uint8_t>& buf, const Prefix& p,
                 std::optional<uint32_t> path_id);

  SessionParams params_;
  Family family_ = kIpv4Unicast;
  bool add_path_ = false;
  std::vector<uint8_t> attrs_;  // encoded attributes (no MP)
  std::vector<uint8_t> mp_next_hop_;
  std::vector<uint8_t> announce_;  // encoded entries
  std::vector<uint8_t> withdraw_;  // encoded entries
  size_t announced_ = 0;
  size_t withdrawn_count_ = 0;
};

}  // namespace bgpy

#endif  // BGPY_UPDATE_H_
