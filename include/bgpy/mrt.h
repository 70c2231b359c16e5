// Copyright 2026 The bgpy Authors.
//
// mrt.h: MRT records (RFC 6396, RFC 8050 ADD-PATH subtypes), decoded and
// encoded over byte spans. Part of bgpy::bgpy: no files, no compression
// (those are in bgpy::mrt, <bgpy/mrt_file.h>).
//
// A record is split from a stream with ParseRecordHeader (12 octets, 16 for
// the _ET types), decoded with DecodeRecord into zero-copy views of its
// body, and its routes are walked through the same codec as live messages:
//
//   mrt::RouteWalker walker;                 // keeps the peer index table
//   BGPY_ASSIGN_OR_RETURN(mrt::Record rec, mrt::DecodeRecord(bytes));
//   absl::Status st = walker.Walk(rec, [&](const mrt::Route& r) {
//     // r.update: the UpdateView the route is in (attributes, verdict)
//     // r.route:  the RouteView (family, prefix, path id, next hop)
//   });
//
// RIB entries (TABLE_DUMP, TABLE_DUMP_V2) carry a bare attribute list; the
// walker turns each into a one-route UPDATE in a reused buffer (RFC 6396
// §4.3.4's abbreviated MP_REACH_NLRI expanded), so attributes, AS_PATH,
// families and ADD-PATH are read by exactly the code that reads a session.
#ifndef BGPY_MRT_H_
#define BGPY_MRT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "bgpy/wire.h"

namespace bgpy::mrt {

// MRT types (RFC 6396 §4; 5 is the deprecated Zebra "BGP" type that early
// RIPE RIS and RouteViews archives use, RFC 6396 Appendix B.2).
enum class Type : uint16_t {
  kBgp = 5,
  kTableDump = 12,
  kTableDumpV2 = 13,
  kBgp4mp = 16,
  kBgp4mpEt = 17,
};

// TABLE_DUMP_V2 subtypes (RFC 6396 §4.3, RFC 8050 §4).
enum class TableDumpV2Subtype : uint16_t {
  kPeerIndexTable = 1,
  kRibIpv4Unicast = 2,
  kRibIpv4Multicast = 3,
  kRibIpv6Unicast = 4,
  kRibIpv6Multicast = 5,
  kRibGeneric = 6,
  kRibIpv4UnicastAddPath = 8,
  kRibIpv4MulticastAddPath = 9,
  kRibIpv6UnicastAddPath = 10,
  kRibIpv6MulticastAddPath = 11,
  kRibGenericAddPath = 12,
};

// BGP4MP / BGP4MP_ET subtypes (RFC 6396 §4.4, RFC 8050 §3).
enum class Bgp4mpSubtype : uint16_t {
  kStateChange = 0,
  kMessage = 1,
  kMessageAs4 = 4,
  kStateChangeAs4 = 5,
  kMessageLocal = 6,
  kMessageAs4Local = 7,
  kMessageAddPath = 8,
  kMessageAs4AddPath = 9,
  kMessageLocalAddPath = 10,
  kMessageAs4LocalAddPath = 11,
};

// Deprecated BGP type subtypes (RFC 6396 Appendix B.2.1).
enum class BgpSubtype : uint16_t {
  kNull = 0,
  kUpdate = 1,
  kPrefUpdate = 2,
  kStateChange = 3,
  kSync = 4,
  kOpen = 5,
  kNotify = 6,
  kKeepalive = 7,
};

inline constexpr size_t kHeaderSize = 12;    // RFC 6396 §2
inline constexpr size_t kEtHeaderSize = 16;  // RFC 6396 §3: + microseconds

// The common header (RFC 6396 §2, §3).
struct RecordHeader {
  uint32_t timestamp = 0;
  // The _ET microseconds field; 0 for other types.
  uint32_t microseconds = 0;
  uint16_t type = 0;
  uint16_t subtype = 0;
  // Of the message field: for _ET types it counts the microseconds field
  // too (RFC 6396 §3), so body size = length - 4 there.
  uint32_t length = 0;

  bool extended_time() const {
    return type == static_cast<uint16_t>(Type::kBgp4mpEt);
  }
  // Octets of the header on the wire (12, or 16 for _ET).
  size_t header_size() const {
    return extended_time() ? kEtHeaderSize : kHeaderSize;
  }
  // Octets of the whole record, header included.
  size_t record_size() const { return kHeaderSize + size_t{length}; }
  absl::Time time() const {
    return absl::FromUnixSeconds(timestamp) + absl::Microseconds(microseconds);
  }
};

// Reads the header at the start of `data` (needs 12 octets; the _ET
// microseconds need 16). kInvalidArgument when too short, or when an _ET
// length is below 4; any other length is accepted (the caller bounds it).
absl::StatusOr<RecordHeader> ParseRecordHeader(wire::Bytes data);

// "TABLE_DUMP_V2", "BGP4MP_ET", ..., "TYPE_N"; subtype names likewise
// ("RIB_IPV4_UNICAST", "MESSAGE_AS4", "SUBTYPE_N").
std::string TypeName(uint16_t type);
std::string SubtypeName(uint16_t type, uint16_t subtype);

// --- Record bodies (views into the record's bytes) -----------------------

// One peer of a PEER_INDEX_TABLE (RFC 6396 §4.3.1).
struct Peer {
  uint32_t bgp_id = 0;  // host order
  IpAddress address;
  uint32_t as = 0;
  bool operator==(const Peer&) const = default;
};

// PEER_INDEX_TABLE: owned (it outlives its record: RIB records refer to
// peers by index).
struct PeerIndexTable {
  uint32_t collector_bgp_id = 0;
  std::string view_name;
  std::vector<Peer> peers;
  bool operator==(const PeerIndexTable&) const = default;
};

// One entry of a TABLE_DUMP_V2 RIB record (RFC 6396 §4.3.4; RFC 8050 §4
// adds the path id).
struct RibEntry {
  uint16_t peer_index = 0;
  uint32_t originated = 0;
  std::optional<uint32_t> path_id;
  // The attribute list as found: 4-octet AS numbers; MP_REACH_NLRI in the
  // abbreviated form of §4.3.4 (next hop length and next hop only) or, as
  // some writers do, in full.
  wire::Bytes attributes;
};

// RIB_IPV4_UNICAST ... RIB_GENERIC_ADDPATH (RFC 6396 §4.3.2, §4.3.3). The
// entries are checked by DecodeRecord and walked without allocation.
struct Rib {
  uint32_t sequence = 0;
  Family family;
  bool add_path = false;
  // The NLRI entry without path id: prefix length and prefix for the
  // AFI/SAFI-specific subtypes, the family's own encoding for RIB_GENERIC.
  wire::Bytes nlri;
  uint16_t entry_count = 0;
  wire::Bytes entries;  // entry_count entries, checked

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = RibEntry;
    using difference_type = std::ptrdiff_t;
    using pointer = const RibEntry*;
    using reference = const RibEntry&;
    Iterator() = default;
    const RibEntry& operator*() const { return cur_; }
    const RibEntry* operator->() const { return &cur_; }
    Iterator& operator++();
    bool operator==(const Iterator& o) const { return left_ == o.left_; }

   private:
    friend struct Rib;
    Iterator(wire::Bytes entries, uint16_t count, bool add_path);
    void Load();
    wire::Reader r_;
    uint32_t left_ = 0;  // entries not yet stepped past, cur_ included
    bool add_path_ = false;
    RibEntry cur_;
  };
  Iterator begin() const { return Iterator(entries, entry_count, add_path); }
  Iterator end() const { return Iterator(); }
};

// TABLE_DUMP (RFC 6396 §4.2): one route of one peer, 2-octet AS numbers.
struct TableDump {
  uint16_t view = 0;
  uint16_t sequence = 0;
  Prefix prefix;
  uint8_t status = 0;
  uint32_t originated = 0;
  IpAddress peer_address;
  uint16_t peer_as = 0;
  wire::Bytes attributes;
};

// BGP4MP(_ET) MESSAGE* (RFC 6396 §4.4.2-4.4.6, RFC 8050 §3), and the
// deprecated BGP type's UPDATE/OPEN/NOTIFY/KEEPALIVE (2-octet AS, IPv4).
struct Bgp4mpMessage {
  uint32_t peer_as = 0;
  uint32_t local_as = 0;
  uint16_t interface_index = 0;
  IpAddress peer_address;
  IpAddress local_address;
  // The whole BGP message, header included (for the deprecated BGP type,
  // which stores it without marker and length, a header is rebuilt into
  // the record's scratch: see DecodeRecord).
  wire::Bytes message;
  bool four_octet_as = false;  // *_AS4 subtypes
  bool local = false;          // *_LOCAL: sent by the recorder, not received
  bool add_path = false;       // *_ADDPATH (RFC 8050)

  // The context to decode `message` under: 4-octet AS per subtype,
  // ADD-PATH for every family with the *_ADDPATH subtypes, extended
  // message size always (the record bounds the message).
  SessionParams params() const;
};

// BGP4MP STATE_CHANGE(_AS4) and the BGP type's STATE_CHANGE. Old Zebra's
// 8-octet BGP4MP STATE_CHANGE (AS numbers and states only, as in 2000-era
// RIPE RIS files) decodes too, with the addresses left unset; likewise a
// 2-octet-AS MESSAGE whose BGP marker follows the AS numbers directly. States
// as in RFC 6396 §4.4.1: 1 Idle, 2 Connect, 3 Active, 4 OpenSent, 5
// OpenConfirm, 6 Established.
struct StateChange {
  uint32_t peer_as = 0;
  uint32_t local_as = 0;
  uint16_t interface_index = 0;
  IpAddress peer_address;
  IpAddress local_address;
  uint16_t old_state = 0;
  uint16_t new_state = 0;
  bool four_octet_as = false;
};

// A type or subtype bgpy does not decode (kept as bytes).
struct Unsupported {
  wire::Bytes body;
};

using Body = std::variant<Unsupported, PeerIndexTable, Rib, TableDump,
                          Bgp4mpMessage, StateChange>;

struct Record {
  RecordHeader header;
  // The whole record, header included.
  wire::Bytes bytes;
  Body body;
  // Holds a BGP message header rebuilt for the deprecated BGP type.
  std::vector<uint8_t> scratch;
};

// Decodes one whole record (header included, `record.size()` equal to the
// header's record size). Every length inside is checked against the
// record; an error names the field and the offset within the record. The
// views in the result point into `record` (and Record::scratch: do not copy
// a Record whose message points into scratch — use Decode into a Record
// you keep, or re-decode).
absl::StatusOr<Record> DecodeRecord(wire::Bytes record);
absl::Status DecodeRecord(wire::Bytes record, Record& out);

// The AFI/SAFI-specific RIB records of TABLE_DUMP_V2 (RIB_IPV4_UNICAST ..
// RIB_IPV6_MULTICAST, RFC 6396 §4.3.2, and their RFC 8050 ADD-PATH forms),
// nearly all of a RIB dump, decoded with DecodeRecord's checks but without
// its generality or a Status: true with `header` and `rib` set when
// `record` is one of them and well formed; false for any other record and
// for any fault (DecodeRecord then says what it is or what is wrong).
bool DecodeAfiSafiRib(wire::Bytes record, RecordHeader& header, Rib& rib);

// The name of a BGP FSM state number as bgpdump prints it is the number;
// this gives "Idle", "Connect", ... "Established", or "state N".
std::string StateName(uint16_t state);

// --- Routes ---------------------------------------------------------------

// One route of a record, with where it came from.
struct Route {
  const RecordHeader* header = nullptr;
  // The peer: from the BGP4MP record, the TABLE_DUMP record or the
  // PEER_INDEX_TABLE entry.
  IpAddress peer_address;
  uint32_t peer_as = 0;
  // TABLE_DUMP_V2: the peer's index; TABLE_DUMP_V2 and TABLE_DUMP: when the
  // route was originated (unix seconds). Zero otherwise.
  uint16_t peer_index = 0;
  uint32_t originated = 0;
  // True for TABLE_DUMP/TABLE_DUMP_V2 RIB entries (bgpdump's "B").
  bool rib = false;
  // RIB entries only: the entry had no next hop (no NEXT_HOP for IPv4
  // unicast, no MP_REACH_NLRI for other families). The UPDATE the walker
  // built then carries an all-zero next hop of the family's form (for
  // MP_REACH_NLRI) or none (IPv4 unicast).
  bool next_hop_absent = false;
  // The UPDATE the route was read from (for RIB entries: the one-route
  // UPDATE the walker built), and the route within it.
  const UpdateView* update = nullptr;
  RouteView route;
};

// Walks the routes of records, keeping the last PEER_INDEX_TABLE.
class RouteWalker {
 public:
  // Calls `fn` for every route of `record`: for BGP4MP/BGP messages the
  // routes of an UPDATE (withdrawals, then announcements, as
  // UpdateView::routes()); for RIB records one per entry. Records without
  // routes (OPEN, state changes, PEER_INDEX_TABLE) call nothing; a
  // PEER_INDEX_TABLE is kept for the RIB records after it. Returns the
  // error of an UPDATE or RIB entry that does not decode, naming the entry;
  // the routes before it have been passed to `fn`, and routes of other
  // entries of the same RIB record are still walked (the first error is
  // returned).
  absl::Status Walk(const Record& record,
                    const std::function<void(const Route&)>& fn);

  // The PEER_INDEX_TABLE in force (nullptr before the first).
  const PeerIndexTable* peer_index_table() const {
    return table_ ? &*table_ : nullptr;
  }

  // Routes passed to Walk callbacks so far (for progress lines).
  uint64_t routes() const { return routes_; }

  // Builds the one-route UPDATE for a RIB entry into `out` (exposed for
  // tests and for replaying RIB entries as UPDATEs): body NLRI with
  // NEXT_HOP for IPv4 unicast, else MP_REACH_NLRI with the family, the
  // entry's next hop and `nlri`. `four_octet_as` false for TABLE_DUMP.
  // The entry's MP_REACH_NLRI may be abbreviated (§4.3.4) or full (some
  // writers); without one the MP_REACH_NLRI gets an all-zero next hop.
  static absl::Status RibUpdate(Family family, wire::Bytes nlri,
                                std::optional<uint32_t> path_id,
                                wire::Bytes attributes, bool four_octet_as,
                                std::vector<uint8_t>& out);

 private:
  std::optional<PeerIndexTable> table_;
  std::vector<uint8_t> scratch_;
  UpdateView view_;  // the parse of scratch_, reused entry after entry
  uint64_t routes_ = 0;
};

// --- Writing -------------------------------------------------------------

// Appends whole records to `out`. Times are unix seconds + microseconds.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}

  // A BGP4MP_ET message record; its subtype follows m: MESSAGE_AS4 when
  // m.four_octet_as (else MESSAGE, with larger AS numbers written as
  // AS_TRANS), the _LOCAL forms when m.local, the ADDPATH forms (RFC 8050)
  // when m.add_path. `message` is the whole BGP message, header included.
  void Bgp4mpMessage(absl::Time time, const mrt::Bgp4mpMessage& m);
  // BGP4MP_ET STATE_CHANGE_AS4.
  void StateChange(absl::Time time, const mrt::StateChange& s);
  // TABLE_DUMP_V2 PEER_INDEX_TABLE.
  void PeerIndex(absl::Time time, const PeerIndexTable& t);
  // A TABLE_DUMP_V2 RIB record: RIB_IPV4/IPV6_UNICAST/MULTICAST (or their
  // ADDPATH forms) for those families, RIB_GENERIC(_ADDPATH) otherwise.
  // `nlri` is the entry without path id; each entry's attributes are the
  // bare list (4-octet AS, abbreviated MP_REACH_NLRI for non-IPv4-unicast).
  void Rib(absl::Time time, uint32_t sequence, Family family, wire::Bytes nlri,
           bool add_path, const std::vector<RibEntry>& entries);

 private:
  std::vector<uint8_t>& out_;
};

// The abbreviated MP_REACH_NLRI of a RIB entry (RFC 6396 §4.3.4) from a
// live UPDATE's attribute list: copies every attribute, replacing
// MP_REACH_NLRI with its next-hop length and next hop, dropping
// MP_UNREACH_NLRI. `attributes` must be a checked list (UpdateView's).
void RibAttributes(wire::Bytes attributes, std::vector<uint8_t>& out);

}  // namespace bgpy::mrt

#endif  // BGPY_MRT_H_
