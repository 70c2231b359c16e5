// Copyright 2026 The bgpy Authors.
//
// mrt_write.cc: encoding MRT records (RFC 6396, RFC 8050): mrt::Writer and
// mrt::RibAttributes. The reading half is in mrt.cc.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/time/time.h"
#include "bgpy/mrt.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/wire.h"

namespace bgpy::mrt {
namespace {

// RFC 4760 §3, §4.
constexpr uint8_t kMpReachNlri = 14;
constexpr uint8_t kMpUnreachNlri = 15;
// RFC 4271 §4.3: the Extended Length bit of the attribute flags.
constexpr uint8_t kExtendedLength = 0x10;

// RFC 6396 §4.3.1: Peer Type bits of a PEER_INDEX_TABLE entry.
constexpr uint8_t kPeerTypeIpv6 = 0x01;
constexpr uint8_t kPeerTypeAs4 = 0x02;

constexpr size_t kMaxU16 = std::numeric_limits<uint16_t>::max();

struct UnixTime {
  uint32_t seconds = 0;
  uint32_t microseconds = 0;
};

// Unix seconds and microseconds; clamped to what the 32-bit field holds.
UnixTime Split(absl::Time t) {
  int64_t us = absl::ToUnixMicros(t);
  if (us < 0) us = 0;
  constexpr int64_t kMaxMicros =
      (int64_t{std::numeric_limits<uint32_t>::max()} + 1) * 1000000 - 1;
  if (us > kMaxMicros) us = kMaxMicros;
  return {static_cast<uint32_t>(us / 1000000),
          static_cast<uint32_t>(us % 1000000)};
}

// Writes the common header (RFC 6396 §2; §3 adds the microseconds for the
// _ET types) with a zero length; returns where the record starts.
size_t BeginRecord(std::vector<uint8_t>& out, absl::Time time, Type type,
                   uint16_t subtype) {
  const size_t start = out.size();
  const UnixTime ut = Split(time);
  wire::Writer w(&out);
  w.WriteU32(ut.seconds);
  w.WriteU16(static_cast<uint16_t>(type));
  w.WriteU16(subtype);
  w.WriteU32(0);  // length, set by EndRecord
  if (type == Type::kBgp4mpEt) w.WriteU32(ut.microseconds);
  return start;
}

// Sets the length of the record that starts at `start`: everything after
// the 12-octet header, the _ET microseconds included (RFC 6396 §3).
void EndRecord(std::vector<uint8_t>& out, size_t start) {
  const size_t length = out.size() - start - kHeaderSize;
  const uint32_t v = length > std::numeric_limits<uint32_t>::max()
                         ? std::numeric_limits<uint32_t>::max()
                         : static_cast<uint32_t>(length);
  uint8_t* p = out.data() + start + 8;
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

void WriteAddress(wire::Writer& w, const IpAddress& a) {
  w.WriteBytes(wire::Bytes(a.bytes(), static_cast<size_t>(a.byte_length())));
}

// A 2-octet AS field: AS_TRANS for numbers that do not fit (RFC 6793 §9).
uint16_t As2(uint32_t as) {
  return as > kMaxU16 ? kAsTrans : static_cast<uint16_t>(as);
}

// The fields BGP4MP MESSAGE* and STATE_CHANGE* start with (RFC 6396
// §4.4.1-4.4.6): Peer AS, Local AS (2 or 4 octets), Interface Index,
// Address Family and the two addresses. The AFI is the peer address's; a
// local address of the other family is written as the unspecified address
// of the peer's (the record has one Address Family field for both).
void WriteBgp4mpPeer(wire::Writer& w, uint32_t peer_as, uint32_t local_as,
                     uint16_t interface_index, const IpAddress& peer,
                     const IpAddress& local, bool four_octet_as) {
  if (four_octet_as) {
    w.WriteU32(peer_as);
    w.WriteU32(local_as);
  } else {
    w.WriteU16(As2(peer_as));
    w.WriteU16(As2(local_as));
  }
  w.WriteU16(interface_index);
  w.WriteU16(static_cast<uint16_t>(peer.afi()));
  WriteAddress(w, peer);
  if (local.afi() == peer.afi()) {
    WriteAddress(w, local);
  } else {
    w.WriteZeros(static_cast<size_t>(peer.byte_length()));
  }
}

Bgp4mpSubtype MessageSubtype(const mrt::Bgp4mpMessage& m) {
  if (m.add_path) {
    if (m.local) {
      return m.four_octet_as ? Bgp4mpSubtype::kMessageAs4LocalAddPath
                             : Bgp4mpSubtype::kMessageLocalAddPath;
    }
    return m.four_octet_as ? Bgp4mpSubtype::kMessageAs4AddPath
                           : Bgp4mpSubtype::kMessageAddPath;
  }
  if (m.local) {
    return m.four_octet_as ? Bgp4mpSubtype::kMessageAs4Local
                           : Bgp4mpSubtype::kMessageLocal;
  }
  return m.four_octet_as ? Bgp4mpSubtype::kMessageAs4 : Bgp4mpSubtype::kMessage;
}

// The AFI/SAFI-specific RIB subtype of `family` (RFC 6396 §4.3.2, RFC 8050
// §4), or RIB_GENERIC(_ADDPATH) (§4.3.3) for every other family.
TableDumpV2Subtype RibSubtype(Family family, bool add_path, bool* generic) {
  *generic = false;
  if (family == Family(Afi::kIpv4, Safi::kUnicast)) {
    return add_path ? TableDumpV2Subtype::kRibIpv4UnicastAddPath
                    : TableDumpV2Subtype::kRibIpv4Unicast;
  }
  if (family == Family(Afi::kIpv4, Safi::kMulticast)) {
    return add_path ? TableDumpV2Subtype::kRibIpv4MulticastAddPath
                    : TableDumpV2Subtype::kRibIpv4Multicast;
  }
  if (family == Family(Afi::kIpv6, Safi::kUnicast)) {
    return add_path ? TableDumpV2Subtype::kRibIpv6UnicastAddPath
                    : TableDumpV2Subtype::kRibIpv6Unicast;
  }
  if (family == Family(Afi::kIpv6, Safi::kMulticast)) {
    return add_path ? TableDumpV2Subtype::kRibIpv6MulticastAddPath
                    : TableDumpV2Subtype::kRibIpv6Multicast;
  }
  *generic = true;
  return add_path ? TableDumpV2Subtype::kRibGenericAddPath
                  : TableDumpV2Subtype::kRibGeneric;
}

}  // namespace

void Writer::Bgp4mpMessage(absl::Time time, const mrt::Bgp4mpMessage& m) {
  const size_t start = BeginRecord(out_, time, Type::kBgp4mpEt,
                                   static_cast<uint16_t>(MessageSubtype(m)));
  {
    wire::Writer w(&out_);
    WriteBgp4mpPeer(w, m.peer_as, m.local_as, m.interface_index, m.peer_address,
                    m.local_address, m.four_octet_as);
    w.WriteBytes(m.message);
  }
  EndRecord(out_, start);
}

void Writer::StateChange(absl::Time time, const mrt::StateChange& s) {
  // Always the _AS4 form: it carries any AS number, and a state change has
  // no AS_PATH whose encoding the subtype would have to announce.
  const size_t start =
      BeginRecord(out_, time, Type::kBgp4mpEt,
                  static_cast<uint16_t>(Bgp4mpSubtype::kStateChangeAs4));
  {
    wire::Writer w(&out_);
    WriteBgp4mpPeer(w, s.peer_as, s.local_as, s.interface_index, s.peer_address,
                    s.local_address, /*four_octet_as=*/true);
    w.WriteU16(s.old_state);
    w.WriteU16(s.new_state);
  }
  EndRecord(out_, start);
}

void Writer::PeerIndex(absl::Time time, const PeerIndexTable& t) {
  const size_t start =
      BeginRecord(out_, time, Type::kTableDumpV2,
                  static_cast<uint16_t>(TableDumpV2Subtype::kPeerIndexTable));
  {
    wire::Writer w(&out_);
    w.WriteU32(t.collector_bgp_id);
    // The 2-octet length fields bound the name and the peer count.
    const size_t name_size = std::min(t.view_name.size(), kMaxU16);
    w.WriteU16(static_cast<uint16_t>(name_size));
    w.WriteBytes(wire::Bytes(
        reinterpret_cast<const uint8_t*>(t.view_name.data()), name_size));
    const size_t count = std::min(t.peers.size(), kMaxU16);
    w.WriteU16(static_cast<uint16_t>(count));
    for (size_t i = 0; i < count; ++i) {
      const Peer& p = t.peers[i];
      const bool as4 = p.as > kMaxU16;
      w.WriteU8(static_cast<uint8_t>((p.address.is_v6() ? kPeerTypeIpv6 : 0) |
                                     (as4 ? kPeerTypeAs4 : 0)));
      w.WriteU32(p.bgp_id);
      WriteAddress(w, p.address);
      if (as4) {
        w.WriteU32(p.as);
      } else {
        w.WriteU16(static_cast<uint16_t>(p.as));
      }
    }
  }
  EndRecord(out_, start);
}

void Writer::Rib(absl::Time time, uint32_t sequence, Family family,
                 wire::Bytes nlri, bool add_path,
                 const std::vector<RibEntry>& entries) {
  bool generic = false;
  const TableDumpV2Subtype subtype = RibSubtype(family, add_path, &generic);
  const size_t start = BeginRecord(out_, time, Type::kTableDumpV2,
                                   static_cast<uint16_t>(subtype));
  {
    wire::Writer w(&out_);
    w.WriteU32(sequence);
    if (generic) {
      w.WriteU16(static_cast<uint16_t>(family.afi));
      w.WriteU8(static_cast<uint8_t>(family.safi));
    }
    w.WriteBytes(nlri);
    // Entries whose attribute list does not fit the 2-octet Attribute
    // Length are left out, and at most 65535 are written (Entry Count).
    const size_t count_at = w.ReserveU16();
    size_t count = 0;
    for (const RibEntry& e : entries) {
      if (count == kMaxU16) break;
      if (e.attributes.size() > kMaxU16) continue;
      w.WriteU16(e.peer_index);
      w.WriteU32(e.originated);
      if (add_path) w.WriteU32(e.path_id.value_or(0));  // RFC 8050 §4
      w.WriteU16(static_cast<uint16_t>(e.attributes.size()));
      w.WriteBytes(e.attributes);
      ++count;
    }
    w.PatchU16(count_at, static_cast<uint16_t>(count));
  }
  EndRecord(out_, start);
}

void RibAttributes(wire::Bytes attributes, std::vector<uint8_t>& out) {
  wire::Writer w(&out);
  size_t pos = 0;
  // Flags, type, then a 1- or 2-octet length (RFC 4271 §4.3). A list cut
  // short ends the copy (the list is a checked one; this only guards).
  while (pos + 3 <= attributes.size()) {
    const uint8_t flags = attributes[pos];
    const uint8_t type = attributes[pos + 1];
    const bool extended = (flags & kExtendedLength) != 0;
    const size_t header = extended ? 4 : 3;
    if (pos + header > attributes.size()) break;
    const size_t length =
        extended ? (size_t{attributes[pos + 2]} << 8) | attributes[pos + 3]
                 : attributes[pos + 2];
    if (pos + header + length > attributes.size()) break;
    const wire::Bytes value = attributes.subspan(pos + header, length);
    if (type == kMpUnreachNlri) {
      // Dropped: a RIB entry withdraws nothing.
    } else if (type == kMpReachNlri) {
      // RFC 6396 §4.3.4: only Next Hop Length and Next Hop are kept (AFI
      // and SAFI are the record's, the NLRI is the record's prefix).
      // AFI (2), SAFI (1), Next Hop Length (1), Next Hop.
      if (value.size() >= 4 && size_t{4} + value[3] <= value.size()) {
        const size_t nh_size = value[3];
        // A 255-octet next hop needs the 2-octet length.
        const bool ext = extended || nh_size == 255;
        w.WriteU8(ext ? flags | kExtendedLength : flags);
        w.WriteU8(type);
        if (ext) {
          w.WriteU16(static_cast<uint16_t>(1 + nh_size));
        } else {
          w.WriteU8(static_cast<uint8_t>(1 + nh_size));
        }
        w.WriteU8(static_cast<uint8_t>(nh_size));
        w.WriteBytes(value.subspan(4, nh_size));
      }
    } else {
      w.WriteBytes(attributes.subspan(pos, header + length));
    }
    pos += header + length;
  }
}

}  // namespace bgpy::mrt
