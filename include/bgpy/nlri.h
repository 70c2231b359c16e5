// Copyright 2026 The bgpy Authors.
//
// nlri.h: NLRI per address family, table-driven.
//
// Each family is one FamilyDesc row (lib/families/<name>.cc) listed in
// lib/families/registry.inc. A row splits one NLRI entry off the wire, checks
// it, decodes it into its typed value (NlriValue), encodes it back, parses
// and renders operator text and JSON, and checks, decodes and encodes its
// MP_REACH next hop. Family names come from the rows. Families without a
// row, and rows marked opaque, keep their whole NLRI field as one entry of
// bytes, re-encoded as found.
#ifndef BGPY_NLRI_H_
#define BGPY_NLRI_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bgpy/evpn.h"
#include "bgpy/flowspec.h"
#include "bgpy/params.h"
#include "bgpy/route_distinguisher.h"
#include "bgpy/rtc.h"
#include "bgpy/types.h"
#include "bgpy/vpn.h"
#include "bgpy/wire.h"

namespace bgpy {

class JsonWriter;
struct MpNextHop;  // attributes.h

// The NLRI of a family bgpy names but does not decode (yet): the entry's
// bytes, kept and re-encoded as found.
struct OpaqueNlri {
  std::vector<uint8_t> bytes;
  bool operator==(const OpaqueNlri&) const = default;
};

// The typed value of one NLRI entry, without its ADD-PATH path id. One
// alternative per value type the family rows use: an IP prefix (unicast,
// multicast), a labelled prefix (RFC 8277 labelled unicast, vpn.h), a VPN
// prefix (labels + RD + prefix, RFC 4364 / RFC 4659 L3VPN, vpn.h), an EVPN
// route (RFC 7432 / RFC 9136, evpn.h), a FlowSpec rule (RFC 8955 / RFC 8956,
// flowspec.h), a route-target membership route (RFC 4684, rtc.h). A new
// value type is one more alternative here.
using NlriValue = std::variant<OpaqueNlri, Prefix, LabelledPrefix, VpnPrefix,
                               EvpnRoute, FlowspecRule, RtcRoute>;

// What a route generator varies, route by route: the input of
// FamilyDesc::generate (bgpy-inject's --prefix, --rd, --label, --mac, ...
// flags). Each family reads the fields it has and ignores the others; route
// `i` of a run is generate(template, i), computed directly (no state).
struct RouteTemplate {
  // The first prefix; route i carries the i-th next block of its length
  // (10.0.0.0/24, 10.0.1.0/24, ...).
  Prefix prefix;
  // VPN families: route i's RD has the assigned number of `rd` plus
  // i * rd_step (0: every route in the same VRF).
  std::optional<RouteDistinguisher> rd;
  uint64_t rd_step = 0;
  // Labelled and VPN families: route i's label is label + i * label_step
  // (modulo the 20-bit label space above the reserved 0–15); the family's
  // default when unset.
  std::optional<uint32_t> label;
  uint32_t label_step = 0;
  // EVPN (RFC 7432, RFC 9136): route type 1–5; MAC of route 0, stepped by
  // one per route for type 2; ESI (10 octets), Ethernet tag, and the VNI
  // that takes the label's place under VXLAN (RFC 8365).
  uint8_t evpn_route_type = 2;
  MacAddress mac;
  Esi esi;
  uint32_t ethernet_tag = 0;
  std::optional<uint32_t> vni;
  // FlowSpec: a rule in operator text with "{prefix}" where route i's
  // prefix goes ("destination {prefix} protocol =6 action discard").
  std::string flowspec;
  // RTC (RFC 4684): the origin AS of the membership routes; route i's route
  // target is route_target with its local number advanced by i.
  uint32_t origin_as = 0;
  std::optional<uint64_t> route_target;  // 8 octets, big-endian
};

// One row of the family table: everything bgpy does with a family's NLRI
// and next hop. Every hook is set on every row (tests walk the registry).
struct FamilyDesc {
  Family family;
  const char* name;  // GoBGP CLI name, e.g. "ipv4-unicast"
  // True for a family bgpy names but does not decode yet: its whole NLRI
  // field is one OpaqueNlri entry, re-encoded as found.
  bool opaque;
  // For plain IP-prefix families (RFC 4271 §4.3 encoding: a length octet and
  // the fewest octets holding that many bits): the address size in bits, 32
  // or 128. The generic code then splits entries inline, without calling
  // split_entry. 0 for every other family.
  uint8_t prefix_bits;
  // Splits one entry (after any ADD-PATH path id) off `r` into `entry`.
  // On malformed input returns false, leaves `r` where it was and says why
  // in `*why` (the caller picks the NOTIFICATION: 3/10, or 3/9 inside MP
  // attributes). Called per route: no allocation on success.
  bool (*split_entry)(wire::Reader& r, wire::Bytes& entry, std::string* why);
  // Decodes an entry that split_entry produced into its typed value.
  // kInvalidArgument naming the field when the value is not well-formed.
  absl::Status (*decode)(wire::Bytes entry, NlriValue& out);
  // Writes the entry (no path id). False if `w` is full or `v` is not this
  // family's value type.
  bool (*encode)(const NlriValue& v, wire::Writer& w);
  // Octets `encode` writes.
  size_t (*encoded_size)(const NlriValue& v);
  // Parses operator text ("10.0.0.0/24"), the form `text` writes and the
  // tools' flags take. kInvalidArgument with a message naming the problem.
  absl::StatusOr<NlriValue> (*parse)(absl::string_view text);
  // The value `n` routes after `v` in the family's natural order (the next
  // block of the same length for prefixes): how route generators step.
  // kOutOfRange past the end; kUnimplemented where a family has no order.
  absl::StatusOr<NlriValue> (*advance)(const NlriValue& v, uint64_t n);
  // Route `i` of a generated run (see RouteTemplate). kInvalidArgument when
  // the template lacks what the family needs, naming the flag's field;
  // kOutOfRange past the end of the family's space; kUnimplemented for
  // families that cannot be generated (opaque rows).
  absl::StatusOr<NlriValue> (*generate)(const RouteTemplate& t, uint64_t i);
  // Appends operator text of the value.
  void (*text)(const NlriValue& v, std::string& out);
  // Writes the value's fields into an open JSON object ("prefix": ...).
  void (*json)(const NlriValue& v, JsonWriter& j);
  // MP_REACH next hop (RFC 4760 §3): checks its length and form for this
  // family, decodes it, encodes it.
  absl::Status (*check_next_hop)(wire::Bytes next_hop);
  absl::StatusOr<MpNextHop> (*decode_next_hop)(wire::Bytes next_hop);
  bool (*encode_next_hop)(const MpNextHop& nh, wire::Writer& w);
};

// The row for `f`, or nullptr when bgpy does not know the family at all.
const FamilyDesc* FindFamily(Family f);
// The row named `name` ("ipv4-unicast"), or nullptr.
const FamilyDesc* FindFamilyByName(absl::string_view name);
// Every registered row, in registry order.
absl::Span<const FamilyDesc* const> RegisteredFamilies();
// True if `f` has a row that decodes its NLRI (not opaque).
inline bool IsKnownFamily(Family f) {
  const FamilyDesc* d = FindFamily(f);
  return d != nullptr && !d->opaque;
}
// The families bgpy decodes, in registry order (what a listener offers).
std::vector<Family> DecodedFamilies();

// Typed value of an entry of family `f` (opaque bytes when the family has
// no row). Errors as the row's decode.
absl::Status DecodeNlri(Family f, wire::Bytes entry, NlriValue& out);
// Operator text of a value of family `f` (hex for opaque values).
std::string NlriText(Family f, const NlriValue& v);
// Parses operator text of family `f`. kInvalidArgument for opaque families.
absl::StatusOr<NlriValue> ParseNlri(Family f, absl::string_view text);
// Writes the entry (no path id) of family `f`. False if `w` is full or the
// value does not belong to the family.
bool EncodeNlri(Family f, const NlriValue& v, wire::Writer& w);
// Writes an MP_REACH next hop: [RD] address [[RD] link-local] (RFC 2545 §3,
// RFC 4659 §3.2.1). False if `w` is full.
bool EncodeMpNextHop(const MpNextHop& nh, wire::Writer& w);

// One NLRI entry as found on the wire: the optional path id (RFC 7911) and
// the family-specific bytes (for IP families: length octet + prefix bytes).
struct NlriEntryView {
  std::optional<uint32_t> path_id;
  wire::Bytes bytes;
};

// The NLRI of one family in one place (withdrawn routes, NLRI field,
// MP_REACH or MP_UNREACH). Iterating never allocates; the field was checked
// when the message was parsed, so iteration cannot fail.
class NlriView {
 public:
  NlriView() = default;
  NlriView(Family family, wire::Bytes data, bool add_path)
      : family_(family), data_(data), add_path_(add_path) {}

  Family family() const { return family_; }
  wire::Bytes bytes() const { return data_; }
  bool add_path() const { return add_path_; }
  bool empty() const { return data_.empty(); }

  class Iterator {
   public:
    using value_type = NlriEntryView;
    Iterator() = default;
    Iterator(const FamilyDesc* desc, wire::Bytes rest, bool add_path)
        : prefix_bits_(desc != nullptr ? desc->prefix_bits : 0),
          desc_(desc),
          r_(rest),
          add_path_(add_path),
          done_(false) {
      Advance();
    }
    const NlriEntryView& operator*() const { return cur_; }
    const NlriEntryView* operator->() const { return &cur_; }
    Iterator& operator++() {
      Advance();
      return *this;
    }
    bool operator==(const Iterator& o) const {
      return done_ == o.done_ && (done_ || r_.offset() == o.r_.offset());
    }

   private:
    void Advance() {
      if (r_.empty()) {
        done_ = true;
        return;
      }
      if (add_path_) {
        uint32_t id;
        if (!r_.ReadU32(id)) {
          done_ = true;
          return;
        }
        cur_.path_id = id;
      }
      if (prefix_bits_ != 0) {
        // Already checked by NlriView::Validate; stay in bounds regardless.
        const wire::Bytes rest = r_.rest();
        if (rest.empty()) {
          done_ = true;
          return;
        }
        const size_t n = 1 + (rest[0] + 7u) / 8u;
        if (!r_.ReadBytes(n, cur_.bytes)) done_ = true;
        return;
      }
      AdvanceSlow();
    }
    void AdvanceSlow();
    uint8_t prefix_bits_ = 0;
    const FamilyDesc* desc_ = nullptr;
    wire::Reader r_;
    bool add_path_ = false;
    bool done_ = true;
    NlriEntryView cur_;
  };
  Iterator begin() const;
  Iterator end() const { return Iterator(); }
  // Number of entries (walks the field).
  size_t size() const;

  // Checks the whole field: every entry splits cleanly. Returns the UPDATE
  // error (3/10, or `subcode` for MP attributes) naming the entry.
  static absl::Status Validate(Family family, wire::Bytes data, bool add_path,
                               uint8_t subcode);

 private:
  Family family_;
  wire::Bytes data_;
  bool add_path_ = false;
};

// --- IP prefixes (ipv4/ipv6 unicast and multicast) -------------------------

// The address (host order, host bits cleared) of an IPv4 prefix entry that
// came out of a checked NlriView. The cheapest way to read IPv4 NLRI.
inline uint32_t Ipv4PrefixAddress(wire::Bytes entry) {
  const unsigned len = entry[0];
  uint32_t a = 0;
  switch (entry.size()) {
    case 5:
      a |= entry[4];
      [[fallthrough]];
    case 4:
      a |= uint32_t{entry[3]} << 8;
      [[fallthrough]];
    case 3:
      a |= uint32_t{entry[2]} << 16;
      [[fallthrough]];
    case 2:
      a |= uint32_t{entry[1]} << 24;
      break;
    default:
      break;
  }
  return len == 0 ? 0 : len >= 32 ? a : a & ~(0xffffffffu >> len);
}

// The prefix length (the length octet) of an IP prefix entry that came out
// of a checked NlriView.
inline int IpPrefixLength(wire::Bytes entry) {
  return entry.empty() ? 0 : entry[0];
}

// The address of an IPv6 prefix entry that came out of a checked NlriView,
// host bits cleared, as two host-order halves: `hi` is its first 8 octets,
// `lo` its last 8. With Ipv4PrefixAddress and IpPrefixLength, the cheapest
// way to read IP NLRI: no IpAddress or Prefix is built.
struct Ipv6Halves {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const Ipv6Halves&) const = default;
};
inline Ipv6Halves Ipv6PrefixAddress(wire::Bytes entry) {
  Ipv6Halves h;
  if (entry.empty()) return h;
  const unsigned len = entry[0] < 128 ? entry[0] : 128;
  const size_t n = entry.size() - 1 < 16 ? entry.size() - 1 : 16;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t b = entry[1 + i];
    if (i < 8) {
      h.hi |= b << (56 - 8 * i);
    } else {
      h.lo |= b << (56 - 8 * (i - 8));
    }
  }
  if (len < 64) {
    h.lo = 0;
    h.hi = len == 0 ? 0 : h.hi & ~(~uint64_t{0} >> len);
  } else if (len < 128) {
    h.lo = len == 64 ? 0 : h.lo & ~(~uint64_t{0} >> (len - 64));
  }
  return h;
}

// The prefix of an entry that came out of a checked NlriView of an IP
// family (so its length octet and size agree). Host bits are cleared.
inline Prefix IpPrefixOf(Afi afi, wire::Bytes entry) {
  if (afi == Afi::kIpv4) {
    return PrefixInternal::Unchecked(IpAddress::V4(Ipv4PrefixAddress(entry)),
                                     entry[0]);
  }
  uint8_t bytes[16] = {};
  const int len = entry[0];
  const size_t n = entry.size() - 1;
  for (size_t i = 0; i < n && i < 16; ++i) bytes[i] = entry[1 + i];
  if ((len & 7) && n > 0 && n <= 16) {
    bytes[n - 1] &= static_cast<uint8_t>(0xff << (8 - (len & 7)));
  }
  return PrefixInternal::Unchecked(
      afi == Afi::kIpv6 ? IpAddress::V6Bytes(bytes) : IpAddress::V4Bytes(bytes),
      len);
}

// Decodes an IP prefix entry (length octet + ceil(len/8) bytes). Host bits
// beyond the length are cleared (RFC 4271 §4.3 says they are irrelevant).
// kInvalidArgument if the length exceeds the family or the bytes don't match.
absl::StatusOr<Prefix> DecodeIpPrefix(Afi afi, wire::Bytes entry);
// Writes length octet + prefix bytes. Returns false if `w` is full.
bool EncodeIpPrefix(const Prefix& p, wire::Writer& w);
// Bytes EncodeIpPrefix writes.
inline size_t IpPrefixEncodedSize(const Prefix& p) {
  return 1 + p.nlri_bytes();
}

// Operator text of an entry of family `f` (as the family's format_entry).
std::string FormatNlriEntry(Family f, wire::Bytes entry);

// An owned NLRI entry: path id and family bytes.
struct NlriEntry {
  std::optional<uint32_t> path_id;
  absl::InlinedVector<uint8_t, 20> bytes;

  static NlriEntry FromPrefix(const Prefix& p,
                              std::optional<uint32_t> path_id = std::nullopt);
  static NlriEntry FromView(const NlriEntryView& v);
  // The entry of a typed value of family `f`. kInvalidArgument when the
  // value does not belong to the family.
  static absl::StatusOr<NlriEntry> FromValue(
      Family f, const NlriValue& v,
      std::optional<uint32_t> path_id = std::nullopt);
  bool operator==(const NlriEntry&) const = default;
};

// Encodes entries (path id when `add_path`). False if `w` is full.
bool EncodeNlriEntries(absl::Span<const NlriEntry> entries, bool add_path,
                       wire::Writer& w);
size_t NlriEntriesEncodedSize(absl::Span<const NlriEntry> entries,
                              bool add_path);

}  // namespace bgpy

#endif  // BGPY_NLRI_H_
