// Copyright 2026 The bgpy Authors.
//
// mrt.cc: MRT record headers, record bodies (RFC 6396, RFC 8050) and the
// route walker. The writer (mrt::Writer, mrt::RibAttributes) is in
// mrt_write.cc.
#include "bgpy/mrt.h"

#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bgpy/attributes.h"
#include "bgpy/decode_context.h"
#include "bgpy/errors.h"
#include "bgpy/nlri.h"

namespace bgpy::mrt {
namespace {

constexpr uint8_t kBgpUpdateType = 2;

absl::Status Truncated(absl::string_view field, size_t offset) {
  return absl::InvalidArgumentError(
      absl::StrCat("MRT ", field, " truncated at offset ", offset));
}

absl::Status Bad(absl::string_view field, size_t offset,
                 absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("MRT ", field, " at offset ", offset, ": ", why));
}

// Reads an address of `afi` (1: 4 octets, 2: 16 octets).
bool ReadAddress(wire::Reader& r, bool v6, IpAddress& out) {
  wire::Bytes b;
  if (!r.ReadBytes(v6 ? 16 : 4, b)) return false;
  out = v6 ? IpAddress::V6Bytes(b.data()) : IpAddress::V4Bytes(b.data());
  return true;
}

// The BGP4MP AFI field: 1 IPv4, 2 IPv6.
absl::Status ReadAfi(wire::Reader& r, bool& v6) {
  const size_t at = r.offset();
  uint16_t afi = 0;
  if (!r.ReadU16(afi)) return Truncated("BGP4MP address family", at);
  if (afi != 1 && afi != 2) {
    return Bad("BGP4MP address family", at,
               absl::StrCat("unknown AFI ", afi, " (want 1 or 2)"));
  }
  v6 = afi == 2;
  return absl::OkStatus();
}

// Peer AS, local AS, interface index, AFI, peer and local address: the
// common start of BGP4MP MESSAGE* and STATE_CHANGE* (RFC 6396 §4.4).
template <typename T>
absl::Status ReadBgp4mpPeers(wire::Reader& r, bool as4, T& out) {
  const size_t at = r.offset();
  if (as4) {
    if (!r.ReadU32(out.peer_as) || !r.ReadU32(out.local_as)) {
      return Truncated("BGP4MP AS numbers", at);
    }
  } else {
    uint16_t p = 0, l = 0;
    if (!r.ReadU16(p) || !r.ReadU16(l)) {
      return Truncated("BGP4MP AS numbers", at);
    }
    out.peer_as = p;
    out.local_as = l;
  }
  if (!r.ReadU16(out.interface_index)) {
    return Truncated("BGP4MP interface index", r.offset());
  }
  bool v6 = false;
  BGPY_RETURN_IF_ERROR(ReadAfi(r, v6));
  if (!ReadAddress(r, v6, out.peer_address)) {
    return Truncated("BGP4MP peer address", r.offset());
  }
  if (!ReadAddress(r, v6, out.local_address)) {
    return Truncated("BGP4MP local address", r.offset());
  }
  return absl::OkStatus();
}

// Checks the BGP message that ends a MESSAGE record: a header, and a
// length field equal to what the record holds.
absl::Status CheckMessage(wire::Bytes msg, size_t at) {
  if (msg.size() < bgpy::kHeaderSize) {
    return Truncated("BGP message header", at);
  }
  const size_t len = (size_t{msg[16]} << 8) | msg[17];
  if (len != msg.size()) {
    return Bad("BGP message length", at + 16,
               absl::StrCat("length field ", len, " but the record holds ",
                            msg.size(), " octets"));
  }
  return absl::OkStatus();
}

// True when a 2-octet-AS MESSAGE has the BGP marker right after its two AS
// numbers (no interface, AFI or addresses: an old Zebra bug).
bool IsZebraShortMessage(const wire::Reader& r, bool as4) {
  if (as4) return false;
  const wire::Bytes b = r.rest();
  if (b.size() < 4 + bgpy::kHeaderSize) return false;
  for (size_t i = 4; i < 4 + kMarkerSize; ++i) {
    if (b[i] != 0xff) return false;
  }
  return true;
}

absl::Status DecodeBgp4mp(const RecordHeader& h, wire::Reader& r, Record& out) {
  const auto st = static_cast<Bgp4mpSubtype>(h.subtype);
  switch (st) {
    case Bgp4mpSubtype::kStateChange:
    case Bgp4mpSubtype::kStateChangeAs4: {
      StateChange& s = out.body.emplace<StateChange>();
      s.four_octet_as = st == Bgp4mpSubtype::kStateChangeAs4;
      if (!s.four_octet_as && r.remaining() == 8) {
        // Old Zebra wrote 8 octets: the AS numbers and the states, without
        // interface, AFI and addresses (bgpdump reads it the same way).
        uint16_t p = 0, l = 0;
        r.ReadU16(p);
        r.ReadU16(l);
        r.ReadU16(s.old_state);
        r.ReadU16(s.new_state);
        s.peer_as = p;
        s.local_as = l;
        return absl::OkStatus();
      }
      BGPY_RETURN_IF_ERROR(ReadBgp4mpPeers(r, s.four_octet_as, s));
      const size_t at = r.offset();
      if (!r.ReadU16(s.old_state) || !r.ReadU16(s.new_state)) {
        return Truncated("BGP4MP state", at);
      }
      if (!r.empty()) {
        return Bad("BGP4MP STATE_CHANGE", r.offset(),
                   absl::StrCat(r.remaining(), " octets after the states"));
      }
      return absl::OkStatus();
    }
    case Bgp4mpSubtype::kMessage:
    case Bgp4mpSubtype::kMessageAs4:
    case Bgp4mpSubtype::kMessageLocal:
    case Bgp4mpSubtype::kMessageAs4Local:
    case Bgp4mpSubtype::kMessageAddPath:
    case Bgp4mpSubtype::kMessageAs4AddPath:
    case Bgp4mpSubtype::kMessageLocalAddPath:
    case Bgp4mpSubtype::kMessageAs4LocalAddPath: {
      Bgp4mpMessage& m = out.body.emplace<Bgp4mpMessage>();
      m.four_octet_as = st == Bgp4mpSubtype::kMessageAs4 ||
                        st == Bgp4mpSubtype::kMessageAs4Local ||
                        st == Bgp4mpSubtype::kMessageAs4AddPath ||
                        st == Bgp4mpSubtype::kMessageAs4LocalAddPath;
      m.local = st == Bgp4mpSubtype::kMessageLocal ||
                st == Bgp4mpSubtype::kMessageAs4Local ||
                st == Bgp4mpSubtype::kMessageLocalAddPath ||
                st == Bgp4mpSubtype::kMessageAs4LocalAddPath;
      m.add_path = h.subtype >= 8;
      if (IsZebraShortMessage(r, m.four_octet_as)) {
        // Old Zebra: the AS numbers, then the BGP message at once.
        uint16_t p = 0, l = 0;
        r.ReadU16(p);
        r.ReadU16(l);
        m.peer_as = p;
        m.local_as = l;
      } else {
        BGPY_RETURN_IF_ERROR(ReadBgp4mpPeers(r, m.four_octet_as, m));
      }
      const size_t at = r.offset();
      m.message = r.rest();
      return CheckMessage(m.message, at);
    }
  }
  out.body.emplace<Unsupported>().body = r.rest();
  return absl::OkStatus();
}

// The deprecated BGP type (RFC 6396 Appendix B.2): 2-octet AS, IPv4, and
// the BGP message stored without its marker, length and type.
absl::Status DecodeBgp(const RecordHeader& h, wire::Reader& r, Record& out) {
  const auto st = static_cast<BgpSubtype>(h.subtype);
  uint8_t msg_type = 0;
  switch (st) {
    case BgpSubtype::kUpdate:
      msg_type = 2;
      break;
    case BgpSubtype::kOpen:
      msg_type = 1;
      break;
    case BgpSubtype::kNotify:
      msg_type = 3;
      break;
    case BgpSubtype::kKeepalive:
      msg_type = 4;
      break;
    case BgpSubtype::kStateChange: {
      StateChange& s = out.body.emplace<StateChange>();
      uint16_t as = 0;
      size_t at = r.offset();
      if (!r.ReadU16(as)) return Truncated("BGP peer AS", at);
      s.peer_as = as;
      if (!ReadAddress(r, false, s.peer_address)) {
        return Truncated("BGP peer address", r.offset());
      }
      at = r.offset();
      if (!r.ReadU16(s.old_state) || !r.ReadU16(s.new_state)) {
        return Truncated("BGP state", at);
      }
      if (!r.empty()) {
        return Bad("BGP STATE_CHANGE", r.offset(),
                   absl::StrCat(r.remaining(), " octets after the states"));
      }
      return absl::OkStatus();
    }
    default:
      out.body.emplace<Unsupported>().body = r.rest();
      return absl::OkStatus();
  }
  Bgp4mpMessage& m = out.body.emplace<Bgp4mpMessage>();
  uint16_t peer_as = 0, local_as = 0;
  size_t at = r.offset();
  if (!r.ReadU16(peer_as)) return Truncated("BGP peer AS", at);
  if (!ReadAddress(r, false, m.peer_address)) {
    return Truncated("BGP peer address", r.offset());
  }
  at = r.offset();
  if (!r.ReadU16(local_as)) return Truncated("BGP local AS", at);
  if (!ReadAddress(r, false, m.local_address)) {
    return Truncated("BGP local address", r.offset());
  }
  m.peer_as = peer_as;
  m.local_as = local_as;
  const wire::Bytes body = r.rest();
  if (body.size() + bgpy::kHeaderSize > kMaxExtendedMessageSize) {
    return Bad("BGP message", r.offset(),
               absl::StrCat(body.size(), " octets do not fit a BGP message"));
  }
  const size_t len = body.size() + bgpy::kHeaderSize;
  out.scratch.resize(len);
  std::memset(out.scratch.data(), 0xff, kMarkerSize);
  out.scratch[16] = static_cast<uint8_t>(len >> 8);
  out.scratch[17] = static_cast<uint8_t>(len);
  out.scratch[18] = msg_type;
  if (!body.empty()) {
    std::memcpy(out.scratch.data() + bgpy::kHeaderSize, body.data(),
                body.size());
  }
  m.message = wire::Bytes(out.scratch.data(), len);
  return absl::OkStatus();
}

absl::Status DecodeTableDump(const RecordHeader& h, wire::Reader& r,
                             Record& out) {
  if (h.subtype != 1 && h.subtype != 2) {
    out.body.emplace<Unsupported>().body = r.rest();
    return absl::OkStatus();
  }
  const bool v6 = h.subtype == 2;
  TableDump& t = out.body.emplace<TableDump>();
  size_t at = r.offset();
  if (!r.ReadU16(t.view) || !r.ReadU16(t.sequence)) {
    return Truncated("TABLE_DUMP view/sequence", at);
  }
  IpAddress addr;
  at = r.offset();
  if (!ReadAddress(r, v6, addr)) return Truncated("TABLE_DUMP prefix", at);
  uint8_t len = 0;
  at = r.offset();
  if (!r.ReadU8(len)) return Truncated("TABLE_DUMP prefix length", at);
  if (len > addr.bit_length()) {
    return Bad("TABLE_DUMP prefix length", at,
               absl::StrCat(len, " exceeds ", addr.bit_length()));
  }
  // Clear host bits past the mask (the record stores a whole address).
  uint8_t* b = addr.mutable_bytes();
  for (int i = 0; i < addr.byte_length(); ++i) {
    const int bits = len - i * 8;
    if (bits <= 0) {
      b[i] = 0;
    } else if (bits < 8) {
      b[i] &= static_cast<uint8_t>(0xff << (8 - bits));
    }
  }
  t.prefix = PrefixInternal::Unchecked(addr, len);
  at = r.offset();
  if (!r.ReadU8(t.status) || !r.ReadU32(t.originated)) {
    return Truncated("TABLE_DUMP status/originated time", at);
  }
  at = r.offset();
  if (!ReadAddress(r, v6, t.peer_address)) {
    return Truncated("TABLE_DUMP peer address", at);
  }
  at = r.offset();
  if (!r.ReadU16(t.peer_as)) return Truncated("TABLE_DUMP peer AS", at);
  uint16_t alen = 0;
  at = r.offset();
  if (!r.ReadU16(alen)) return Truncated("TABLE_DUMP attribute length", at);
  if (!r.ReadBytes(alen, t.attributes)) {
    return Bad("TABLE_DUMP attributes", r.offset(),
               absl::StrCat("length ", alen, " but ", r.remaining(),
                            " octets remain"));
  }
  if (!r.empty()) {
    return Bad("TABLE_DUMP record", r.offset(),
               absl::StrCat(r.remaining(), " octets after the attributes"));
  }
  return absl::OkStatus();
}

absl::Status DecodePeerIndex(wire::Reader& r, Record& out) {
  PeerIndexTable& t = out.body.emplace<PeerIndexTable>();
  size_t at = r.offset();
  if (!r.ReadU32(t.collector_bgp_id)) {
    return Truncated("PEER_INDEX_TABLE collector BGP ID", at);
  }
  uint16_t name_len = 0;
  at = r.offset();
  if (!r.ReadU16(name_len)) {
    return Truncated("PEER_INDEX_TABLE view name length", at);
  }
  wire::Bytes name;
  if (!r.ReadBytes(name_len, name)) {
    return Bad("PEER_INDEX_TABLE view name", r.offset(),
               absl::StrCat("length ", name_len, " but ", r.remaining(),
                            " octets remain"));
  }
  t.view_name.assign(reinterpret_cast<const char*>(name.data()), name.size());
  uint16_t count = 0;
  at = r.offset();
  if (!r.ReadU16(count)) return Truncated("PEER_INDEX_TABLE peer count", at);
  // Each entry takes at least 1 + 4 + 4 + 2 octets: bounds the reserve.
  if (size_t{count} * 11 > r.remaining()) {
    return Bad(
        "PEER_INDEX_TABLE peer count", at,
        absl::StrCat(count, " peers cannot fit in ", r.remaining(), " octets"));
  }
  t.peers.reserve(count);
  for (uint16_t i = 0; i < count; ++i) {
    at = r.offset();
    uint8_t type = 0;
    Peer p;
    if (!r.ReadU8(type) || !r.ReadU32(p.bgp_id) ||
        !ReadAddress(r, (type & 0x01) != 0, p.address)) {
      return Truncated(absl::StrCat("PEER_INDEX_TABLE peer ", i), at);
    }
    if (type & 0x02) {
      if (!r.ReadU32(p.as)) {
        return Truncated(absl::StrCat("PEER_INDEX_TABLE peer ", i, " AS"), at);
      }
    } else {
      uint16_t as = 0;
      if (!r.ReadU16(as)) {
        return Truncated(absl::StrCat("PEER_INDEX_TABLE peer ", i, " AS"), at);
      }
      p.as = as;
    }
    t.peers.push_back(p);
  }
  if (!r.empty()) {
    return Bad("PEER_INDEX_TABLE", r.offset(),
               absl::StrCat(r.remaining(), " octets after the last peer"));
  }
  return absl::OkStatus();
}

absl::Status DecodeRib(const RecordHeader& h, wire::Reader& r, Record& out) {
  const auto st = static_cast<TableDumpV2Subtype>(h.subtype);
  Family family;
  bool generic = false;
  switch (st) {
    case TableDumpV2Subtype::kRibIpv4Unicast:
    case TableDumpV2Subtype::kRibIpv4UnicastAddPath:
      family = Family(Afi::kIpv4, Safi::kUnicast);
      break;
    case TableDumpV2Subtype::kRibIpv4Multicast:
    case TableDumpV2Subtype::kRibIpv4MulticastAddPath:
      family = Family(Afi::kIpv4, Safi::kMulticast);
      break;
    case TableDumpV2Subtype::kRibIpv6Unicast:
    case TableDumpV2Subtype::kRibIpv6UnicastAddPath:
      family = Family(Afi::kIpv6, Safi::kUnicast);
      break;
    case TableDumpV2Subtype::kRibIpv6Multicast:
    case TableDumpV2Subtype::kRibIpv6MulticastAddPath:
      family = Family(Afi::kIpv6, Safi::kMulticast);
      break;
    case TableDumpV2Subtype::kRibGeneric:
    case TableDumpV2Subtype::kRibGenericAddPath:
      generic = true;
      break;
    default:
      out.body.emplace<Unsupported>().body = r.rest();
      return absl::OkStatus();
  }
  const wire::Bytes start = r.rest();
  uint32_t sequence = 0;
  size_t at = r.offset();
  if (!r.ReadU32(sequence)) return Truncated("RIB sequence number", at);
  const FamilyDesc* desc = nullptr;
  if (generic) {
    uint16_t afi = 0;
    uint8_t safi = 0;
    at = r.offset();
    if (!r.ReadU16(afi) || !r.ReadU8(safi)) {
      return Truncated("RIB_GENERIC AFI/SAFI", at);
    }
    family = Family(afi, safi);
    desc = FindFamily(family);
    if (desc == nullptr || desc->opaque) {
      // RFC 6396 §4.3.3: an unrecognised AFI/SAFI discards the rest.
      out.body.emplace<Unsupported>().body = start;
      return absl::OkStatus();
    }
  } else {
    desc = FindFamily(family);
  }
  Rib& rib = out.body.emplace<Rib>();
  rib.sequence = sequence;
  rib.family = family;
  rib.add_path = h.subtype >= 8;
  at = r.offset();
  if (desc != nullptr && desc->prefix_bits != 0) {
    uint8_t len = 0;
    if (!r.PeekU8(len)) return Truncated("RIB prefix length", at);
    if (len > desc->prefix_bits) {
      return Bad("RIB prefix length", at,
                 absl::StrCat(len, " exceeds ", desc->prefix_bits));
    }
    if (!r.ReadBytes(1 + (len + 7) / 8, rib.nlri)) {
      return Truncated("RIB prefix", at);
    }
  } else {
    std::string why;
    if (desc == nullptr || !desc->split_entry(r, rib.nlri, &why)) {
      return Bad("RIB_GENERIC NLRI", at, why.empty() ? "malformed" : why);
    }
  }
  at = r.offset();
  if (!r.ReadU16(rib.entry_count)) return Truncated("RIB entry count", at);
  const size_t entries_at = r.offset();
  for (uint32_t i = 0; i < rib.entry_count; ++i) {
    at = r.offset();
    if (!r.Skip(2 + 4 + (rib.add_path ? 4 : 0))) {
      return Truncated(absl::StrCat("RIB entry ", i), at);
    }
    uint16_t alen = 0;
    const size_t len_at = r.offset();
    if (!r.ReadU16(alen)) {
      return Truncated(absl::StrCat("RIB entry ", i, " attribute length"),
                       len_at);
    }
    if (!r.Skip(alen)) {
      return Bad(absl::StrCat("RIB entry ", i, " attributes"), len_at,
                 absl::StrCat("length ", alen, " but ", r.remaining(),
                              " octets remain"));
    }
  }
  rib.entries = r.all().subspan(entries_at, r.offset() - entries_at);
  if (!r.empty()) {
    return Bad(
        "RIB record", r.offset(),
        absl::StrCat(r.remaining(), " octets after entry ", rib.entry_count));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RecordHeader> ParseRecordHeader(wire::Bytes data) {
  wire::Reader r(data);
  RecordHeader h;
  if (!r.ReadU32(h.timestamp) || !r.ReadU16(h.type) || !r.ReadU16(h.subtype) ||
      !r.ReadU32(h.length)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MRT header truncated: ", data.size(), " of ", kHeaderSize, " octets"));
  }
  if (h.extended_time()) {
    if (h.length < 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("MRT BGP4MP_ET length ", h.length,
                       " at offset 8 is below the 4 octets of microseconds"));
    }
    if (!r.ReadU32(h.microseconds)) {
      return absl::InvalidArgumentError(
          absl::StrCat("MRT BGP4MP_ET header truncated: ", data.size(), " of ",
                       kEtHeaderSize, " octets"));
    }
  }
  return h;
}

std::string TypeName(uint16_t type) {
  switch (type) {
    case 0:
      return "NULL";
    case 1:
      return "START";
    case 2:
      return "DIE";
    case 3:
      return "I_AM_DEAD";
    case 4:
      return "PEER_DOWN";
    case 5:
      return "BGP";
    case 6:
      return "RIP";
    case 7:
      return "IDRP";
    case 8:
      return "RIPNG";
    case 9:
      return "BGP4PLUS";
    case 10:
      return "BGP4PLUS_01";
    case 11:
      return "OSPFv2";
    case 12:
      return "TABLE_DUMP";
    case 13:
      return "TABLE_DUMP_V2";
    case 16:
      return "BGP4MP";
    case 17:
      return "BGP4MP_ET";
    case 32:
      return "ISIS";
    case 33:
      return "ISIS_ET";
    case 48:
      return "OSPFv3";
    case 49:
      return "OSPFv3_ET";
  }
  return absl::StrCat("TYPE_", type);
}

std::string SubtypeName(uint16_t type, uint16_t subtype) {
  static constexpr const char* kTd2[] = {
      nullptr,
      "PEER_INDEX_TABLE",
      "RIB_IPV4_UNICAST",
      "RIB_IPV4_MULTICAST",
      "RIB_IPV6_UNICAST",
      "RIB_IPV6_MULTICAST",
      "RIB_GENERIC",
      nullptr,
      "RIB_IPV4_UNICAST_ADDPATH",
      "RIB_IPV4_MULTICAST_ADDPATH",
      "RIB_IPV6_UNICAST_ADDPATH",
      "RIB_IPV6_MULTICAST_ADDPATH",
      "RIB_GENERIC_ADDPATH",
  };
  static constexpr const char* kBgp4mp[] = {
      "STATE_CHANGE",
      "MESSAGE",
      "ENTRY",
      "SNAPSHOT",
      "MESSAGE_AS4",
      "STATE_CHANGE_AS4",
      "MESSAGE_LOCAL",
      "MESSAGE_AS4_LOCAL",
      "MESSAGE_ADDPATH",
      "MESSAGE_AS4_ADDPATH",
      "MESSAGE_LOCAL_ADDPATH",
      "MESSAGE_AS4_LOCAL_ADDPATH",
  };
  static constexpr const char* kBgp[] = {
      "NULL", "UPDATE", "PREF_UPDATE", "STATE_CHANGE",
      "SYNC", "OPEN",   "NOTIFY",      "KEEPALIVE",
  };
  const char* name = nullptr;
  switch (type) {
    case 5:
      if (subtype < std::size(kBgp)) name = kBgp[subtype];
      break;
    case 12:
      if (subtype == 1) name = "AFI_IPv4";
      if (subtype == 2) name = "AFI_IPv6";
      break;
    case 13:
      if (subtype < std::size(kTd2)) name = kTd2[subtype];
      break;
    case 16:
    case 17:
      if (subtype < std::size(kBgp4mp)) name = kBgp4mp[subtype];
      break;
  }
  if (name != nullptr) return name;
  return absl::StrCat("SUBTYPE_", subtype);
}

std::string StateName(uint16_t state) {
  static constexpr const char* kNames[] = {
      nullptr,    "Idle",        "Connect",     "Active",
      "OpenSent", "OpenConfirm", "Established",
  };
  if (state >= 1 && state < std::size(kNames)) return kNames[state];
  return absl::StrCat("state ", state);
}

absl::Status DecodeRecord(wire::Bytes record, Record& out) {
  BGPY_ASSIGN_OR_RETURN(out.header, ParseRecordHeader(record));
  const RecordHeader& h = out.header;
  if (record.size() != h.record_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("MRT ", TypeName(h.type), " record length field ",
                     h.length, " (offset 8) wants ", h.record_size(),
                     " octets but the record has ", record.size()));
  }
  out.bytes = record;
  out.scratch.clear();
  wire::Reader r(record);
  r.Skip(h.header_size());
  absl::Status st;
  switch (static_cast<Type>(h.type)) {
    case Type::kBgp:
      st = DecodeBgp(h, r, out);
      break;
    case Type::kTableDump:
      st = DecodeTableDump(h, r, out);
      break;
    case Type::kTableDumpV2:
      if (h.subtype ==
          static_cast<uint16_t>(TableDumpV2Subtype::kPeerIndexTable)) {
        st = DecodePeerIndex(r, out);
      } else {
        st = DecodeRib(h, r, out);
      }
      break;
    case Type::kBgp4mp:
    case Type::kBgp4mpEt:
      st = DecodeBgp4mp(h, r, out);
      break;
    default:
      out.body.emplace<Unsupported>().body = r.rest();
      break;
  }
  if (!st.ok()) {
    // Leave no half-filled view behind.
    out.body.emplace<Unsupported>().body = record.subspan(h.header_size());
    return absl::Status(st.code(), absl::StrCat(TypeName(h.type), " ",
                                                SubtypeName(h.type, h.subtype),
                                                ": ", st.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Record> DecodeRecord(wire::Bytes record) {
  Record out;
  BGPY_RETURN_IF_ERROR(DecodeRecord(record, out));
  return out;
}

bool DecodeAfiSafiRib(wire::Bytes rec, RecordHeader& h, Rib& rib) {
  if (rec.size() < kHeaderSize) return false;
  const uint8_t* p = rec.data();
  const uint16_t type = static_cast<uint16_t>((p[4] << 8) | p[5]);
  if (type != static_cast<uint16_t>(Type::kTableDumpV2)) return false;
  const uint16_t subtype = static_cast<uint16_t>((p[6] << 8) | p[7]);
  // Indexed by subtype: the families of RIB_IPV4_UNICAST (2) ..
  // RIB_IPV6_MULTICAST (5) and their ADD-PATH forms (8 .. 11).
  static const Family kFamilies[4] = {
      Family(Afi::kIpv4, Safi::kUnicast), Family(Afi::kIpv4, Safi::kMulticast),
      Family(Afi::kIpv6, Safi::kUnicast), Family(Afi::kIpv6, Safi::kMulticast)};
  static const FamilyDesc* const kDescs[4] = {
      FindFamily(kFamilies[0]), FindFamily(kFamilies[1]),
      FindFamily(kFamilies[2]), FindFamily(kFamilies[3])};
  size_t fi = 0;
  if (subtype >= 2 && subtype <= 5) {
    fi = subtype - 2u;
  } else if (subtype >= 8 && subtype <= 11) {
    fi = subtype - 8u;
  } else {
    return false;
  }
  const FamilyDesc* desc = kDescs[fi];
  if (desc == nullptr || desc->prefix_bits == 0) return false;
  const uint32_t length = (uint32_t{p[8]} << 24) | (uint32_t{p[9]} << 16) |
                          (uint32_t{p[10]} << 8) | p[11];
  if (rec.size() != kHeaderSize + size_t{length}) return false;
  // Plain pointer reads: every one is bounded by `end`.
  const uint8_t* q = p + kHeaderSize;
  const uint8_t* const end = p + rec.size();
  if (end - q < 5) return false;
  const uint32_t sequence = (uint32_t{q[0]} << 24) | (uint32_t{q[1]} << 16) |
                            (uint32_t{q[2]} << 8) | q[3];
  const uint8_t plen = q[4];
  if (plen > desc->prefix_bits) return false;
  const size_t nlri_size = 1 + (size_t{plen} + 7) / 8;
  if (static_cast<size_t>(end - q) - 4 < nlri_size + 2) return false;
  const wire::Bytes nlri(q + 4, nlri_size);
  q += 4 + nlri_size;
  const uint16_t count = static_cast<uint16_t>((q[0] << 8) | q[1]);
  q += 2;
  const bool add_path = subtype >= 8;
  const size_t fixed = add_path ? 10 : 6;  // peer index, time, path id
  const uint8_t* const entries = q;
  for (uint32_t i = 0; i < count; ++i) {
    if (static_cast<size_t>(end - q) < fixed + 2) return false;
    q += fixed;
    const size_t alen = (size_t{q[0]} << 8) | q[1];
    q += 2;
    if (static_cast<size_t>(end - q) < alen) return false;
    q += alen;
  }
  if (q != end) return false;
  h.timestamp = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
                (uint32_t{p[2]} << 8) | p[3];
  h.microseconds = 0;
  h.type = type;
  h.subtype = subtype;
  h.length = length;
  rib.sequence = sequence;
  rib.family = kFamilies[fi];
  rib.add_path = add_path;
  rib.nlri = nlri;
  rib.entry_count = count;
  rib.entries = wire::Bytes(entries, static_cast<size_t>(q - entries));
  return true;
}

// --- Rib::Iterator -------------------------------------------------------

Rib::Iterator::Iterator(wire::Bytes entries, uint16_t count, bool add_path)
    : r_(entries), left_(count), add_path_(add_path) {
  if (left_ > 0) Load();
}

void Rib::Iterator::Load() {
  // The entries were checked by DecodeRecord; a failed read (a Rib built
  // by hand) ends the walk rather than reading past the span.
  uint16_t alen = 0;
  uint32_t path_id = 0;
  if (!r_.ReadU16(cur_.peer_index) || !r_.ReadU32(cur_.originated) ||
      (add_path_ && !r_.ReadU32(path_id)) || !r_.ReadU16(alen) ||
      !r_.ReadBytes(alen, cur_.attributes)) {
    left_ = 0;
    return;
  }
  if (add_path_) {
    cur_.path_id = path_id;
  } else {
    cur_.path_id.reset();
  }
}

Rib::Iterator& Rib::Iterator::operator++() {
  if (left_ > 0 && --left_ > 0) Load();
  return *this;
}

// --- Bgp4mpMessage -------------------------------------------------------

SessionParams Bgp4mpMessage::params() const {
  SessionParams p;
  p.four_octet_as = four_octet_as;
  p.extended_message = true;
  if (add_path) {
    for (const FamilyDesc* d : RegisteredFamilies()) {
      if (!p.SetAddPath(d->family, true)) break;
    }
  }
  return p;
}

// --- RouteWalker ---------------------------------------------------------

namespace {

// One attribute of a list not yet checked: false when it runs past.
bool NextAttribute(wire::Reader& r, AttributeView& a) {
  wire::Reader cur = r;
  uint8_t flags = 0, code = 0;
  if (!cur.ReadU8(flags) || !cur.ReadU8(code)) return false;
  uint16_t len = 0;
  if (flags & kAttrExtendedLength) {
    if (!cur.ReadU16(len)) return false;
  } else {
    uint8_t l8 = 0;
    if (!cur.ReadU8(l8)) return false;
    len = l8;
  }
  if (!cur.ReadBytes(len, a.value)) return false;
  a.flags = flags;
  a.code = code;
  a.raw = r.rest().subspan(0, cur.offset() - r.offset());
  r = cur;
  return true;
}

// Zeros for the next hop of an entry that has none.
constexpr uint8_t kZeros[32] = {};

// An all-zero next hop the family's row accepts (its unspecified
// address), or empty when none of the usual lengths is accepted.
wire::Bytes ZeroNextHop(Family family) {
  const FamilyDesc* d = FindFamily(family);
  if (d == nullptr) return {};
  static constexpr size_t kLengths[] = {4, 16, 12, 24, 32};
  for (size_t n : kLengths) {
    const wire::Bytes nh(kZeros, n);
    if (d->check_next_hop(nh).ok()) return nh;
  }
  return {};
}

// How BuildRibUpdate laid the UPDATE out.
struct RibUpdateShape {
  // The entry had no next hop (Route::next_hop_absent).
  bool next_hop_absent = false;
  // The route is in the UPDATE body (IPv4 unicast with NEXT_HOP), else in
  // the MP_REACH_NLRI, whose next hop is at `mp_next_hop_at` in the
  // message, `mp_next_hop_size` octets.
  bool body = true;
  size_t mp_next_hop_at = 0;
  size_t mp_next_hop_size = 0;
  // The first NEXT_HOP's value in the message, when the attribute list was
  // copied whole (no MP attribute): `next_hop_at` 0 when unknown.
  size_t next_hop_at = 0;
  size_t next_hop_size = 0;
  // Octets of the UPDATE at the start of the output vector.
  size_t size = 0;
};

// The UPDATE's one route, as UpdateView::routes() gives it, without the
// walk: the NLRI entry is the last octets of the message (the body NLRI, or
// the end of the MP_REACH_NLRI, the last attribute). `nlri` must be one
// whole entry of an IP prefix family (`desc`), and `u` the parse of the
// UPDATE BuildRibUpdate made with `shape`.
// Written in place (a RouteView built and copied costs more than its
// fields).
void OnlyRoute(const UpdateView& u, Family family, const FamilyDesc* desc,
               std::optional<uint32_t> path_id, size_t nlri_size,
               const RibUpdateShape& shape, RouteView& r) {
  r.family = family;
  r.desc = desc;
  r.withdraw = false;
  r.mp = !shape.body;
  r.path_id = path_id;
  const wire::Bytes m = u.message();
  r.entry = m.subspan(m.size() - nlri_size);
  r.next_hop_bytes = wire::Bytes();
  if (shape.body && shape.next_hop_at != 0) {
    // Where the walk in BuildRibUpdate found it; what Find() would give.
    if (!u.discarded(static_cast<uint8_t>(AttrCode::kNextHop))) {
      r.next_hop_bytes = m.subspan(shape.next_hop_at, shape.next_hop_size);
    }
  } else if (shape.body) {
    if (std::optional<AttributeView> nh = u.Find(AttrCode::kNextHop)) {
      r.next_hop_bytes = nh->value;
    }
  } else {
    r.next_hop_bytes = m.subspan(shape.mp_next_hop_at, shape.mp_next_hop_size);
  }
}

// True if `nlri` is exactly one entry of an IP prefix family (what
// OnlyRoute needs).
bool OnePrefixEntry(const FamilyDesc* desc, wire::Bytes nlri) {
  return desc != nullptr && desc->prefix_bits != 0 && !nlri.empty() &&
         nlri[0] <= desc->prefix_bits &&
         nlri.size() == 1 + (size_t{nlri[0]} + 7) / 8;
}

absl::Status BuildRibUpdate(Family family, wire::Bytes nlri,
                            std::optional<uint32_t> path_id,
                            wire::Bytes attributes, std::vector<uint8_t>& out,
                            RibUpdateShape& shape) {
  constexpr uint8_t kMpReach = static_cast<uint8_t>(AttrCode::kMpReachNlri);
  constexpr uint8_t kMpUnreach = static_cast<uint8_t>(AttrCode::kMpUnreachNlri);
  constexpr uint8_t kNextHop = static_cast<uint8_t>(AttrCode::kNextHop);
  // One pass: check the list's framing, find MP_REACH and NEXT_HOP, and
  // note whether any MP attribute has to be left out of the copy.
  bool has_next_hop = false;
  bool has_mp_reach = false;
  bool has_mp = false;
  wire::Bytes mp_next_hop;
  size_t next_hop_value_at = 0;  // in `attributes`
  size_t next_hop_value_size = 0;
  const uint8_t* const a0 = attributes.data();
  const size_t an = attributes.size();
  for (size_t at = 0; at < an;) {
    // flags, code, 1- or 2-octet length (RFC 4271 §4.3), value.
    size_t hdr = 3;
    size_t len = 0;
    bool fits = an - at >= 3;
    if (fits) {
      if (a0[at] & kAttrExtendedLength) {
        hdr = 4;
        fits = an - at >= 4;
        if (fits) len = (size_t{a0[at + 2]} << 8) | a0[at + 3];
      } else {
        len = a0[at + 2];
      }
    }
    if (!fits || an - at - hdr < len) {
      return absl::InvalidArgumentError(absl::StrCat(
          "RIB entry attribute at offset ", at, " of the attribute list ",
          "runs past its ", attributes.size(), " octets"));
    }
    const uint8_t code = a0[at + 1];
    if (code == kNextHop && !has_next_hop) {
      has_next_hop = true;
      next_hop_value_at = at + hdr;
      next_hop_value_size = len;
    }
    if (code == kMpReach || code == kMpUnreach) has_mp = true;
    if (code == kMpReach && !has_mp_reach) {
      has_mp_reach = true;
      const wire::Bytes v(a0 + at + hdr, len);
      if (!v.empty() && size_t{v[0]} + 1 == v.size()) {
        // RFC 6396 §4.3.4: next-hop length and next hop only.
        mp_next_hop = v.subspan(1);
      } else if (v.size() >= 5 && size_t{v[3]} + 5 <= v.size()) {
        // A full MP_REACH_NLRI (AFI, SAFI, next hop, reserved, NLRI), as
        // some writers store it: take its next hop.
        mp_next_hop = v.subspan(4, v[3]);
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "RIB entry MP_REACH_NLRI at offset ", at,
            " of the attribute list: next-hop length does not match its ",
            v.size(), " octets"));
      }
    }
    at += hdr + len;
  }
  const bool body = family == kIpv4Unicast && (has_next_hop || !has_mp_reach);
  // Without MP_REACH_NLRI (some writers leave it out when the next hop is
  // unknown) the route goes in an MP_REACH_NLRI with an all-zero next hop
  // of the family's form, and the caller is told.
  shape.next_hop_absent = body ? !has_next_hop : !has_mp_reach;
  shape.body = body;
  if (!body && !has_mp_reach) mp_next_hop = ZeroNextHop(family);

  // The attributes kept: the whole list at once when it has no MP
  // attribute (the usual IPv4 entry), else attribute by attribute.
  size_t kept = an;
  if (has_mp) {
    kept = 0;
    wire::Reader r(attributes);
    AttributeView a;
    while (NextAttribute(r, a)) {
      if (a.code != kMpReach && a.code != kMpUnreach) kept += a.raw.size();
    }
  }
  const size_t path_len = path_id ? 4 : 0;
  size_t mp_len = 0;  // the MP_REACH_NLRI value
  if (!body) {
    mp_len = 2 + 1 + 1 + mp_next_hop.size() + 1 + path_len + nlri.size();
    if (mp_len > 0xffff) {
      return absl::InvalidArgumentError(
          "RIB entry MP_REACH_NLRI does not fit an attribute");
    }
  }
  const size_t attr_len = kept + (body ? 0 : 4 + mp_len);
  const size_t total = bgpy::kHeaderSize + 2 + 2 + attr_len +
                       (body ? path_len + nlri.size() : 0);
  if (attr_len > 0xffff) {
    return absl::InvalidArgumentError(
        "RIB entry attributes do not fit an UPDATE's attribute field");
  }
  if (total > kMaxExtendedMessageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("RIB entry makes a ", total, "-octet UPDATE (over ",
                     kMaxExtendedMessageSize, ")"));
  }
  // `out` only grows (a shrink and regrow would zero-fill): the UPDATE is
  // its first shape.size octets.
  if (out.size() < total) out.resize(total);
  shape.size = total;
  uint8_t* p = out.data();
  auto put16 = [&p](size_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
    p += 2;
  };
  auto put32 = [&p](uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
    p += 4;
  };
  auto put = [&p](wire::Bytes b) {
    if (!b.empty()) std::memcpy(p, b.data(), b.size());
    p += b.size();
  };
  std::memset(p, 0xff, kMarkerSize);
  p += kMarkerSize;
  put16(total);
  *p++ = kBgpUpdateType;
  put16(0);  // withdrawn routes length
  put16(attr_len);
  if (!has_mp) {
    if (has_next_hop) {
      shape.next_hop_at =
          static_cast<size_t>(p - out.data()) + next_hop_value_at;
      shape.next_hop_size = next_hop_value_size;
    }
    put(attributes);
  } else {
    wire::Reader r(attributes);
    AttributeView a;
    while (NextAttribute(r, a)) {
      if (a.code != kMpReach && a.code != kMpUnreach) put(a.raw);
    }
  }
  if (!body) {
    *p++ = kAttrOptional | kAttrExtendedLength;
    *p++ = kMpReach;
    put16(mp_len);
    put16(static_cast<uint16_t>(family.afi));
    *p++ = static_cast<uint8_t>(family.safi);
    *p++ = static_cast<uint8_t>(mp_next_hop.size());
    shape.mp_next_hop_at = static_cast<size_t>(p - out.data());
    shape.mp_next_hop_size = mp_next_hop.size();
    put(mp_next_hop);
    *p++ = 0;
    if (path_id) put32(*path_id);
    put(nlri);
  } else {
    if (path_id) put32(*path_id);
    put(nlri);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RouteWalker::RibUpdate(Family family, wire::Bytes nlri,
                                    std::optional<uint32_t> path_id,
                                    wire::Bytes attributes,
                                    bool /*four_octet_as*/,
                                    std::vector<uint8_t>& out) {
  RibUpdateShape shape;
  BGPY_RETURN_IF_ERROR(
      BuildRibUpdate(family, nlri, path_id, attributes, out, shape));
  out.resize(shape.size);
  return absl::OkStatus();
}

absl::Status RouteWalker::Walk(
    const Record& record, const std::function<void(const Route&)>& user_fn) {
  const auto fn = [&](const Route& r) {
    ++routes_;
    user_fn(r);
  };
  Route route;
  route.header = &record.header;
  if (const auto* t = std::get_if<PeerIndexTable>(&record.body)) {
    table_ = *t;
    return absl::OkStatus();
  }
  if (const auto* m = std::get_if<Bgp4mpMessage>(&record.body)) {
    if (m->message.size() < bgpy::kHeaderSize ||
        m->message[18] != kBgpUpdateType) {
      return absl::OkStatus();
    }
    const SessionParams params = m->params();
    absl::StatusOr<UpdateView> u = UpdateView::Parse(m->message, params);
    if (!u.ok() && !m->add_path) {
      // Some writers (BIRD 2's mrtdump) record ADD-PATH sessions under the
      // plain subtypes. When the subtype's reading fails, the reading with
      // ADD-PATH (chosen as bgpy-decode's auto does, decode_context.h) is
      // used if it parses; its routes then carry their path ids.
      DecodeContext::Fixed fixed;
      fixed.four_octet_as = params.four_octet_as;
      const SessionParams guess = DecodeContext(fixed).For(m->message);
      if (!guess.add_path_families().empty()) {
        absl::StatusOr<UpdateView> again = UpdateView::Parse(m->message, guess);
        if (again.ok()) u = again;
      }
    }
    if (!u.ok()) {
      return absl::Status(
          u.status().code(),
          absl::StrCat("UPDATE in ", TypeName(record.header.type),
                       " record: ", u.status().message()));
    }
    route.peer_address = m->peer_address;
    route.peer_as = m->peer_as;
    route.update = &*u;
    for (const RouteView& rv : u->routes()) {
      route.route = rv;
      fn(route);
    }
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<TableDump>(&record.body)) {
    uint8_t nlri[17];
    nlri[0] = static_cast<uint8_t>(t->prefix.length());
    const int n = t->prefix.nlri_bytes();
    std::memcpy(nlri + 1, t->prefix.address().bytes(), n);
    const wire::Bytes entry(nlri, 1 + n);
    const Family family(t->prefix.afi(), Safi::kUnicast);
    RibUpdateShape shape;
    BGPY_RETURN_IF_ERROR(BuildRibUpdate(family, entry, std::nullopt,
                                        t->attributes, scratch_, shape));
    SessionParams params;
    params.four_octet_as = false;
    params.extended_message = true;
    if (absl::Status st = UpdateView::ParseInto(
            wire::Bytes(scratch_.data(), shape.size), params, view_);
        !st.ok()) {
      return absl::Status(st.code(),
                          absl::StrCat("TABLE_DUMP entry: ", st.message()));
    }
    route.peer_address = t->peer_address;
    route.peer_as = t->peer_as;
    route.originated = t->originated;
    route.rib = true;
    route.next_hop_absent = shape.next_hop_absent;
    route.update = &view_;
    const FamilyDesc* desc = FindFamily(family);
    if (OnePrefixEntry(desc, entry)) {
      OnlyRoute(view_, family, desc, std::nullopt, entry.size(), shape,
                route.route);
      fn(route);
      return absl::OkStatus();
    }
    for (const RouteView& rv : view_.routes()) {
      route.route = rv;
      fn(route);
    }
    return absl::OkStatus();
  }
  if (const auto* rib = std::get_if<Rib>(&record.body)) {
    absl::Status first;
    SessionParams plain;
    plain.four_octet_as = true;
    plain.extended_message = true;
    SessionParams add_path = plain;
    add_path.SetAddPath(rib->family, true);
    route.rib = true;
    // Entries of an IP prefix family give their one route directly.
    const FamilyDesc* desc = FindFamily(rib->family);
    const bool one_prefix = OnePrefixEntry(desc, rib->nlri);
    const bool one_prefix_add_path =
        one_prefix && add_path.HasAddPath(rib->family);
    uint32_t index = 0;
    for (const RibEntry& e : *rib) {
      const uint32_t i = index++;
      absl::Status st;
      RibUpdateShape shape;
      if (!table_ || e.peer_index >= table_->peers.size()) {
        st = absl::InvalidArgumentError(absl::StrCat(
            "peer index ", e.peer_index, " is not in the PEER_INDEX_TABLE",
            table_ ? "" : " (none seen yet)"));
      } else {
        st = BuildRibUpdate(rib->family, rib->nlri, e.path_id, e.attributes,
                            scratch_, shape);
      }
      if (st.ok()) {
        st = UpdateView::ParseInto(wire::Bytes(scratch_.data(), shape.size),
                                   e.path_id ? add_path : plain, view_);
        if (st.ok()) {
          const Peer& p = table_->peers[e.peer_index];
          route.peer_address = p.address;
          route.peer_as = p.as;
          route.peer_index = e.peer_index;
          route.originated = e.originated;
          route.next_hop_absent = shape.next_hop_absent;
          route.update = &view_;
          if (e.path_id ? one_prefix_add_path : one_prefix) {
            OnlyRoute(view_, rib->family, desc, e.path_id, rib->nlri.size(),
                      shape, route.route);
            fn(route);
            continue;
          }
          for (const RouteView& rv : view_.routes()) {
            route.route = rv;
            fn(route);
          }
          continue;
        }
      }
      if (first.ok()) {
        first = absl::Status(
            st.code(),
            absl::StrCat(SubtypeName(record.header.type, record.header.subtype),
                         " entry ", i, ": ", st.message()));
      }
    }
    return first;
  }
  return absl::OkStatus();
}

}  // namespace bgpy::mrt
