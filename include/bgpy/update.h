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
#include "absl/types/span.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/framing.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/wire.h"

namespace bgpy {

// --- UPDATE, owned (RFC 4271 §4.3) -------------------------------------

struct Update {
  std::vector<NlriEntry> withdrawn;       // IPv4 unicast
  std::vector<PathAttribute> attributes;  // in order, as found
  std::vector<NlriEntry> nlri;            // IPv4 unicast
  // The end of the attribute list from an attribute whose length runs past
  // it (RFC 7606 §4: the UPDATE is treat-as-withdraw), kept as found so the
  // message re-encodes byte for byte. Empty in a well-formed UPDATE.
  std::vector<uint8_t> unparsed_attributes;

  // The first attribute with `code`, if any.
  const PathAttribute* FindAttribute(uint8_t code) const;
  bool operator==(const Update&) const = default;
};
// Decodes through UpdateView::Parse (so the same checks apply).
absl::StatusOr<Update> DecodeUpdate(wire::Bytes message,
                                    const SessionParams& params);
// kOutOfRange if the message exceeds params.max_message_size().
absl::Status EncodeUpdate(const Update& u, const SessionParams& params,
                          wire::Writer& w);

class UpdateView;

// One route of an UPDATE (bgpkit's "BgpElem" without allocation): an
// announcement or a withdrawal, with its family, path id, NLRI entry and
// next hop. Points into the message.
struct RouteView {
  Family family;
  // In the withdrawn-routes field or MP_UNREACH_NLRI. An announcement of an
  // UPDATE whose verdict is treat-as-withdraw (RFC 7606 §2) has this false:
  // see UpdateView::verdict().
  bool withdraw = false;
  // Carried in MP_REACH_NLRI / MP_UNREACH_NLRI rather than the UPDATE body.
  bool mp = false;
  std::optional<uint32_t> path_id;
  // The family's bytes of the entry (no path id).
  wire::Bytes entry;
  // The next hop as on the wire: the NEXT_HOP value for body NLRI, the
  // MP_REACH next hop for MP NLRI; empty for withdrawals.
  wire::Bytes next_hop_bytes;
  // The family's row; nullptr for a family bgpy does not know.
  const FamilyDesc* desc = nullptr;

  // The typed NLRI (an IP prefix, ...). Errors as the row's decode.
  absl::Status Decode(NlriValue& out) const;
  // The same, opaque bytes when it does not decode.
  NlriValue value() const;
  // Operator text of the NLRI ("10.0.0.0/24").
  std::string Text() const;
  // The IP prefix of an IP family's entry (unicast, multicast), without
  // building an NlriValue. Host bits are cleared.
  Prefix prefix() const { return IpPrefixOf(family.afi, entry); }
  bool is_ip_prefix() const { return desc != nullptr && desc->prefix_bits; }
  // The next hop, decoded (std::nullopt for withdrawals and when absent).
  std::optional<MpNextHop> next_hop() const;
};

// The routes of an UPDATE in wire order of processing: withdrawn routes,
// MP_UNREACH_NLRI, NLRI, MP_REACH_NLRI. Iterating never allocates. Holds
// what it iterates, so keep the range alive while iterating (a range-for
// over UpdateView::routes() does).
class RouteRange {
 public:
  class Iterator {
   public:
    using value_type = RouteView;
    Iterator() = default;
    const RouteView& operator*() const { return cur_; }
    const RouteView* operator->() const { return &cur_; }
    Iterator& operator++() {
      Advance();
      return *this;
    }
    bool operator==(const Iterator& o) const {
      return section_ == o.section_ && (section_ == kDone || it_ == o.it_);
    }

   private:
    friend class RouteRange;
    static constexpr int kDone = 4;
    explicit Iterator(const RouteRange* range);
    void Advance();
    void Load();  // cur_ from it_
    const RouteRange* range_ = nullptr;
    int section_ = kDone;
    NlriView::Iterator it_;
    RouteView cur_;
  };

  Iterator begin() const { return Iterator(this); }
  Iterator end() const { return Iterator(); }
  // Number of routes (walks the NLRI).
  size_t size() const;

 private:
  friend class UpdateView;
  struct Section {
    NlriView nlri;
    bool withdraw = false;
    bool mp = false;
    wire::Bytes next_hop;
  };
  Section sections_[4];
};

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
  // The same checks and outcome, into a view the caller keeps and reuses
  // (a loop over many messages avoids constructing and copying a view per
  // message). On error `out` holds no valid parse.
  static absl::Status ParseInto(wire::Bytes message
                                    ABSL_ATTRIBUTE_LIFETIME_BOUND,
                                const SessionParams& params, UpdateView& out,
                                std::vector<Finding>* findings = nullptr);

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
  bool discarded(uint8_t code) const {
    return code < 64 && (discarded_ >> code & 1);
  }

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

  // Every route, withdrawals first (see RouteRange).
  RouteRange routes() const;

  // End-of-RIB marker (RFC 4724 §2): the family, if this is one.
  std::optional<Family> end_of_rib() const;

  // The same view over `same_bytes`: a copy of the message this view was
  // parsed from (same size). Lets a parse travel with a copy of the bytes
  // without checking them again.
  UpdateView Rebase(wire::Bytes same_bytes) const;

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
  // Offset (from the start of attrs_) of the first attribute of each code
  // < 64 whose bit is set in present_ (the others are stale: a reused view
  // is not cleared); codes >= 64 are looked up by walking.
  std::array<uint16_t, 64> where_{};
  uint64_t present_ = 0;    // bit per code < 64
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
  // unicast, `mp_next_hop` is the MP_REACH next hop (e.g. 16 octets). IPv4
  // unicast routes go in the UPDATE body (next hop: the NEXT_HOP attribute)
  // when `mp_next_hop` is empty, else in MP_REACH_NLRI with it (RFC 8950).
  // kInvalidArgument if the attributes alone do not fit a message.
  absl::Status SetAttributes(const PathAttributes& attrs, Family family,
                             std::vector<uint8_t> mp_next_hop = {});
  // The same with a typed MP_REACH next hop, encoded by the family's row.
  // For IPv4 unicast an IPv4 next hop is ignored (the NEXT_HOP attribute
  // carries it); an IPv6 one makes the routes go in MP_REACH_NLRI (RFC
  // 8950 extended next hop, which the session must have negotiated).
  absl::Status SetAttributes(const PathAttributes& attrs, Family family,
                             const MpNextHop& next_hop);
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
  // Adds the routes of `prefixes` in order, as Announce() / Withdraw() of
  // each would, until one does not fit; returns how many were added (the
  // caller calls Flush() and adds the rest again). `path_id` goes with every
  // route. The cheap way to add many routes: the room left in the message
  // is worked out once per call, not once per route.
  size_t AnnounceAll(absl::Span<const Prefix> prefixes,
                     std::optional<uint32_t> path_id = std::nullopt);
  size_t WithdrawAll(absl::Span<const Prefix> prefixes,
                     std::optional<uint32_t> path_id = std::nullopt);
  // Adds a typed route of the builder's family, encoded by the family's row,
  // so any registered family can be built. kResourceExhausted when it does
  // not fit (Flush() and add again); kInvalidArgument when the value is not
  // of the family's type.
  absl::Status AnnounceValue(const NlriValue& v,
                             std::optional<uint32_t> path_id = std::nullopt);
  absl::Status WithdrawValue(const NlriValue& v,
                             std::optional<uint32_t> path_id = std::nullopt);

  // Routes pending in the current message.
  size_t pending() const { return announced_ + withdrawn_count_; }
  // Appends the pending UPDATE (if any) to `out`; returns its size (0 when
  // nothing was pending).
  size_t Flush(std::vector<uint8_t>& out);

  // An End-of-RIB marker for `f` (RFC 4724 §2).
  static std::vector<uint8_t> EndOfRib(Family f);

 private:
  // Encoded NLRI entries of the message being built. Sized once to a whole
  // message, so adding an entry writes through a pointer: no zero-fill (as
  // std::vector::resize would do) and no reallocation.
  class EntryBuffer {
   public:
    void Reserve(size_t n) {
      if (bytes_.size() < n) bytes_.resize(n);
    }
    size_t size() const { return size_; }
    wire::Bytes bytes() const { return wire::Bytes(bytes_.data(), size_); }
    // Room for `n` more octets, to be written by the caller.
    uint8_t* Append(size_t n) {
      if (size_ + n > bytes_.size()) bytes_.resize(size_ + n);
      uint8_t* p = bytes_.data() + size_;
      size_ += n;
      return p;
    }
    // Room for up to `n` more octets, written by the caller, who then
    // says with Commit() how many of them it used.
    uint8_t* Open(size_t n) {
      if (size_ + n > bytes_.size()) bytes_.resize(size_ + n);
      return bytes_.data() + size_;
    }
    void Commit(size_t n) { size_ += n; }
    void Truncate(size_t n) { size_ = n < size_ ? n : size_; }

   private:
    std::vector<uint8_t> bytes_;
    size_t size_ = 0;
  };

  bool Fits(size_t entry_size, bool announce) const;
  void AddEntry(EntryBuffer& buf, const NlriEntry& e);
  bool AddPrefix(EntryBuffer& buf, const Prefix& p,
                 std::optional<uint32_t> path_id);
  // Octets left for entries in the pending message once it holds one of
  // the kind (`announce`): Fits(n, announce) is n <= Room(announce).
  size_t Room(bool announce) const;
  size_t AddPrefixes(EntryBuffer& buf, absl::Span<const Prefix> prefixes,
                     std::optional<uint32_t> path_id);
  absl::Status AddValue(EntryBuffer& buf, const NlriValue& v,
                        std::optional<uint32_t> path_id);

  SessionParams params_;
  Family family_ = kIpv4Unicast;
  // Routes go in the UPDATE body (IPv4 unicast with NEXT_HOP), not in
  // MP_REACH/MP_UNREACH.
  bool body_ = true;
  const FamilyDesc* desc_ = FindFamily(kIpv4Unicast);
  bool add_path_ = false;
  std::vector<uint8_t> attrs_;  // encoded attributes (no MP)
  std::vector<uint8_t> mp_next_hop_;
  EntryBuffer announce_;
  EntryBuffer withdraw_;
  std::vector<uint8_t> value_;  // AddValue's encoding of one entry
  size_t announced_ = 0;
  size_t withdrawn_count_ = 0;
};

}  // namespace bgpy

#endif  // BGPY_UPDATE_H_
