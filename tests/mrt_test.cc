// Copyright 2026 The bgpy Authors.
//
// mrt_test.cc: MRT records hand-built per RFC 6396 (and RFC 8050 for the
// ADD-PATH subtypes, RFC 6396 Appendix B.2 for the deprecated BGP type),
// decoded field by field and walked route by route; every truncation and
// an over-long variant of each give an error, never a crash. Also
// mrt::FileReader over raw, gzip and bzip2 files written by the test.
#include "bgpy/mrt.h"

#include <bzlib.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/mrt_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy::mrt {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::HasSubstr;

// A record: 12-octet header (timestamp 0x5f5e1000) + body. For
// BGP4MP_ET the body starts with the microseconds, as on the wire.
std::vector<uint8_t> Rec(uint16_t type, uint16_t subtype,
                         const std::string& body_hex) {
  const std::vector<uint8_t> body = FromHex(body_hex);
  std::vector<uint8_t> out = FromHex("5f5e1000");
  out.push_back(static_cast<uint8_t>(type >> 8));
  out.push_back(static_cast<uint8_t>(type));
  out.push_back(static_cast<uint8_t>(subtype >> 8));
  out.push_back(static_cast<uint8_t>(subtype));
  const uint32_t n = static_cast<uint32_t>(body.size());
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(n >> s));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// Path attributes. 4-octet AS numbers unless named _2.
const char kOrigin[] = "40 01 01 00";
const char kPath4[] = "40 02 0a 02 02 0000fde9 0000fdea";  // 65001 65002
const char kPath2[] = "40 02 06 02 02 fde9 fdea";          // 65001 65002
const char kPath4Big[] = "40 02 06 02 01 00010000";        // 65536
const char kNh1[] = "40 03 04 c0000201";                   // 192.0.2.1
const char kNh2[] = "40 03 04 c0000202";                   // 192.0.2.2
// RFC 6396 §4.3.4 abbreviated MP_REACH_NLRI: next-hop length + next hop.
const char kMpAbbrev6[] = "80 0e 11 10 20010db8000000000000000000000001";
const char kMpAbbrev4[] = "80 0e 05 04 c0000201";
// A full MP_REACH_NLRI (AFI 2, SAFI 1, next hop 2001:db8::1, 2001:db8::/32).
const char kMpFull6[] =
    "80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8";
const char kV6a[] = "20010db8000000000000000000000001";
const char kV6b[] = "20010db8000000000000000000000002";
const char kMarker[] = "ffffffffffffffffffffffffffffffff";

std::string Attrs4() { return absl::StrCat(kOrigin, kPath4, kNh1); }  // 24
std::string Attrs2() { return absl::StrCat(kOrigin, kPath2, kNh1); }  // 20

// PEER_INDEX_TABLE (RFC 6396 §4.3.1): collector 10.0.0.1, view "test",
// peer 0 IPv4 192.0.2.1 AS 65001 (2 octets), peer 1 IPv6 2001:db8::2
// AS 65536 (4 octets).
std::vector<uint8_t> PeerIndex() {
  return Rec(13, 1,
             absl::StrCat("0a000001 0004 74657374 0002",
                          "00 01010101 c0000201 fde9",  // type 0: v4, AS2
                          "03 02020202 ", kV6b, " 00010000"));  // v6, AS4
}

std::vector<uint8_t> RibIpv4() {
  return Rec(13, 2,
             absl::StrCat("00000005 18 cb0071 0002",  // 203.0.113.0/24
                          "0000 5f5e1000 0018", Attrs4(), "0001 5f5e1001 0014",
                          kOrigin, kPath4Big, kNh2));
}

struct Seen {
  std::string kind;  // A, W or B
  std::string prefix;
  std::string next_hop;
  std::optional<uint32_t> path_id;
  std::string as_path;
  std::string peer;
  uint32_t peer_as = 0;
  Family family;
};

std::vector<Seen> WalkAll(RouteWalker& w, const Record& rec,
                          absl::Status* status = nullptr) {
  std::vector<Seen> out;
  absl::Status st = w.Walk(rec, [&](const Route& r) {
    Seen s;
    s.kind = r.rib ? "B" : r.route.withdraw ? "W" : "A";
    s.prefix = r.route.prefix().ToString();
    if (auto nh = r.route.next_hop()) s.next_hop = nh->address.ToString();
    s.path_id = r.route.path_id;
    if (auto p = r.update->as_path()) s.as_path = p->ToString();
    s.peer = r.peer_address.ToString();
    s.peer_as = r.peer_as;
    s.family = r.route.family;
    EXPECT_EQ(r.header, &rec.header);
    out.push_back(s);
  });
  if (status != nullptr) {
    *status = st;
  } else {
    EXPECT_TRUE(st.ok()) << st;
  }
  return out;
}

// Decodes a copy of `bytes` kept for the rest of the test binary, since a
// Record's views point into the bytes (and callers pass temporaries).
Record MustDecode(const std::vector<uint8_t>& bytes) {
  static std::deque<std::vector<uint8_t>>* kept =
      new std::deque<std::vector<uint8_t>>;
  kept->push_back(bytes);
  Record rec;
  absl::Status st = DecodeRecord(kept->back(), rec);
  EXPECT_TRUE(st.ok()) << st;
  return rec;
}

// --- Header ---------------------------------------------------------------

TEST(MrtHeader, Parses) {
  // RFC 6396 §2: timestamp, type, subtype, length.
  const auto h = ParseRecordHeader(FromHex("5f5e1000 000d 0002 00000024"));
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->timestamp, 0x5f5e1000u);
  EXPECT_EQ(h->type, 13);
  EXPECT_EQ(h->subtype, 2);
  EXPECT_EQ(h->length, 0x24u);
  EXPECT_EQ(h->microseconds, 0u);
  EXPECT_FALSE(h->extended_time());
  EXPECT_EQ(h->header_size(), 12u);
  EXPECT_EQ(h->record_size(), 12u + 0x24);
  EXPECT_EQ(h->time(), absl::FromUnixSeconds(0x5f5e1000));
}

TEST(MrtHeader, ExtendedTime) {
  // RFC 6396 §3: the microseconds follow and count in the length.
  const auto h =
      ParseRecordHeader(FromHex("5f5e1000 0011 0004 00000010 0007a120"));
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TRUE(h->extended_time());
  EXPECT_EQ(h->microseconds, 500000u);
  EXPECT_EQ(h->header_size(), 16u);
  EXPECT_EQ(h->record_size(), 12u + 16);
  EXPECT_EQ(h->time(),
            absl::FromUnixSeconds(0x5f5e1000) + absl::Microseconds(500000));
}

TEST(MrtHeader, Errors) {
  EXPECT_THAT(ParseRecordHeader(FromHex("5f5e1000 000d 0002 000000"))
                  .status()
                  .message(),
              HasSubstr("truncated"));
  EXPECT_THAT(ParseRecordHeader(FromHex("5f5e1000 0011 0004 00000003 0000"))
                  .status()
                  .message(),
              HasSubstr("below the 4 octets"));
  EXPECT_THAT(ParseRecordHeader(FromHex("5f5e1000 0011 0004 00000008 0007"))
                  .status()
                  .message(),
              HasSubstr("BGP4MP_ET header truncated"));
}

TEST(MrtNames, TypesSubtypesStates) {
  EXPECT_EQ(TypeName(13), "TABLE_DUMP_V2");
  EXPECT_EQ(TypeName(17), "BGP4MP_ET");
  EXPECT_EQ(TypeName(5), "BGP");
  EXPECT_EQ(TypeName(999), "TYPE_999");
  EXPECT_EQ(SubtypeName(13, 2), "RIB_IPV4_UNICAST");
  EXPECT_EQ(SubtypeName(13, 12), "RIB_GENERIC_ADDPATH");
  EXPECT_EQ(SubtypeName(13, 7), "SUBTYPE_7");
  EXPECT_EQ(SubtypeName(16, 4), "MESSAGE_AS4");
  EXPECT_EQ(SubtypeName(17, 11), "MESSAGE_AS4_LOCAL_ADDPATH");
  EXPECT_EQ(SubtypeName(12, 2), "AFI_IPv6");
  EXPECT_EQ(SubtypeName(5, 6), "NOTIFY");
  EXPECT_EQ(StateName(1), "Idle");
  EXPECT_EQ(StateName(6), "Established");
  EXPECT_EQ(StateName(9), "state 9");
}

// --- TABLE_DUMP_V2 --------------------------------------------------------

TEST(MrtTableDumpV2, PeerIndexTable) {
  const Record rec = MustDecode(PeerIndex());
  const auto* t = std::get_if<PeerIndexTable>(&rec.body);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->collector_bgp_id, 0x0a000001u);
  EXPECT_EQ(t->view_name, "test");
  ASSERT_EQ(t->peers.size(), 2u);
  EXPECT_EQ(t->peers[0].bgp_id, 0x01010101u);
  EXPECT_EQ(t->peers[0].address.ToString(), "192.0.2.1");
  EXPECT_EQ(t->peers[0].as, 65001u);
  EXPECT_EQ(t->peers[1].bgp_id, 0x02020202u);
  EXPECT_EQ(t->peers[1].address.ToString(), "2001:db8::2");
  EXPECT_EQ(t->peers[1].as, 65536u);
  RouteWalker w;
  EXPECT_EQ(w.peer_index_table(), nullptr);
  EXPECT_TRUE(WalkAll(w, rec).empty());  // no routes
  ASSERT_NE(w.peer_index_table(), nullptr);
  EXPECT_EQ(*w.peer_index_table(), *t);
}

TEST(MrtTableDumpV2, AfiSafiRibFastPathAgreesAndRefusesDamage) {
  const std::vector<uint8_t> bytes = RibIpv4();
  const Record rec = MustDecode(bytes);
  const auto* full = std::get_if<Rib>(&rec.body);
  ASSERT_NE(full, nullptr);
  RecordHeader h;
  Rib rib;
  ASSERT_TRUE(DecodeAfiSafiRib(bytes, h, rib));
  EXPECT_EQ(h.type, 13);
  EXPECT_EQ(h.subtype, 2);
  EXPECT_EQ(h.length, bytes.size() - kHeaderSize);
  EXPECT_EQ(rib.sequence, 5u);
  EXPECT_EQ(rib.family, kIpv4Unicast);
  EXPECT_FALSE(rib.add_path);
  EXPECT_EQ(ToHex(rib.nlri), "18cb0071");
  EXPECT_EQ(rib.entry_count, 2);
  EXPECT_EQ(ToHex(rib.entries), ToHex(full->entries));
  // Other records: false (DecodeRecord reads them).
  EXPECT_FALSE(DecodeAfiSafiRib(PeerIndex(), h, rib));
  // Damage DecodeRecord also refuses: a record cut short, an entry count
  // one too high, a prefix length past 32, an attribute length past the
  // end. Each is false here and an error there.
  std::vector<std::vector<uint8_t>> bad;
  bad.push_back(std::vector<uint8_t>(bytes.begin(), bytes.end() - 1));
  std::vector<uint8_t> b = bytes;
  b[kHeaderSize + 9] = 3;  // entry count 2 -> 3
  bad.push_back(b);
  b = bytes;
  b[kHeaderSize + 4] = 33;  // prefix length
  bad.push_back(b);
  b = bytes;
  b[kHeaderSize + 10 + 7] = 0xff;  // first entry's attribute length
  bad.push_back(b);
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_FALSE(DecodeAfiSafiRib(bad[i], h, rib));
    EXPECT_FALSE(DecodeRecord(bad[i]).ok());
  }
}

TEST(MrtTableDumpV2, RibIpv4UnicastTwoEntries) {
  const Record rec = MustDecode(RibIpv4());
  const auto* rib = std::get_if<Rib>(&rec.body);
  ASSERT_NE(rib, nullptr);
  EXPECT_EQ(rib->sequence, 5u);
  EXPECT_EQ(rib->family, kIpv4Unicast);
  EXPECT_FALSE(rib->add_path);
  EXPECT_EQ(ToHex(rib->nlri), "18cb0071");
  ASSERT_EQ(rib->entry_count, 2);
  std::vector<RibEntry> entries(rib->begin(), rib->end());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].peer_index, 0);
  EXPECT_EQ(entries[0].originated, 0x5f5e1000u);
  EXPECT_FALSE(entries[0].path_id.has_value());
  EXPECT_EQ(ToHex(entries[0].attributes), ToHex(FromHex(Attrs4())));
  EXPECT_EQ(entries[1].peer_index, 1);
  EXPECT_EQ(entries[1].originated, 0x5f5e1001u);
  EXPECT_EQ(entries[1].attributes.size(), 0x14u);

  RouteWalker w;
  // Without a PEER_INDEX_TABLE the entries cannot name their peer.
  absl::Status st;
  EXPECT_TRUE(WalkAll(w, rec, &st).empty());
  EXPECT_THAT(st.message(), HasSubstr("entry 0: peer index 0"));
  WalkAll(w, MustDecode(PeerIndex()));
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, "B");
  EXPECT_EQ(seen[0].prefix, "203.0.113.0/24");
  EXPECT_EQ(seen[0].next_hop, "192.0.2.1");
  EXPECT_EQ(seen[0].as_path, "65001 65002");
  EXPECT_EQ(seen[0].peer, "192.0.2.1");
  EXPECT_EQ(seen[0].peer_as, 65001u);
  EXPECT_FALSE(seen[0].path_id.has_value());
  EXPECT_EQ(seen[1].prefix, "203.0.113.0/24");
  EXPECT_EQ(seen[1].next_hop, "192.0.2.2");
  EXPECT_EQ(seen[1].as_path, "65536");
  EXPECT_EQ(seen[1].peer, "2001:db8::2");
  EXPECT_EQ(seen[1].peer_as, 65536u);
}

TEST(MrtTableDumpV2, RibFieldsOfRoute) {
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  const Record rec = MustDecode(RibIpv4());
  std::vector<uint32_t> originated;
  std::vector<uint16_t> index;
  ASSERT_TRUE(w.Walk(rec, [&](const Route& r) {
                 originated.push_back(r.originated);
                 index.push_back(r.peer_index);
                 EXPECT_TRUE(r.rib);
                 EXPECT_FALSE(r.next_hop_absent);
                 EXPECT_EQ(r.update->verdict(), Verdict::kOk);
               }).ok());
  EXPECT_EQ(originated, (std::vector<uint32_t>{0x5f5e1000, 0x5f5e1001}));
  EXPECT_EQ(index, (std::vector<uint16_t>{0, 1}));
}

TEST(MrtTableDumpV2, RibIpv6UnicastAbbreviatedMpReach) {
  const Record rec = MustDecode(
      Rec(13, 4,
          absl::StrCat("00000006 20 20010db8 0001", "0001 5f5e1002 0021",
                       kOrigin, kPath4Big, kMpAbbrev6)));
  const auto* rib = std::get_if<Rib>(&rec.body);
  ASSERT_NE(rib, nullptr);
  EXPECT_EQ(rib->family, kIpv6Unicast);
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "B");
  EXPECT_EQ(seen[0].family, kIpv6Unicast);
  EXPECT_EQ(seen[0].prefix, "2001:db8::/32");
  EXPECT_EQ(seen[0].next_hop, "2001:db8::1");
  EXPECT_EQ(seen[0].as_path, "65536");
  EXPECT_EQ(seen[0].peer, "2001:db8::2");
}

TEST(MrtTableDumpV2, RibIpv6UnicastFullMpReach) {
  // Some writers store the whole MP_REACH_NLRI: its next hop is used.
  const Record rec = MustDecode(
      Rec(13, 4,
          absl::StrCat("00000006 20 20010db8 0001", "0000 5f5e1002 002a",
                       kOrigin, kPath4Big, kMpFull6)));
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].prefix, "2001:db8::/32");
  EXPECT_EQ(seen[0].next_hop, "2001:db8::1");
}

TEST(MrtTableDumpV2, RibWithoutNextHop) {
  // An IPv6 entry without MP_REACH_NLRI still walks, flagged.
  const Record rec =
      MustDecode(Rec(13, 4,
                     absl::StrCat("00000006 20 20010db8 0001",
                                  "0000 5f5e1002 0004", kOrigin)));
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  int n = 0;
  ASSERT_TRUE(w.Walk(rec, [&](const Route& r) {
                 ++n;
                 EXPECT_TRUE(r.next_hop_absent);
                 EXPECT_EQ(r.route.prefix().ToString(), "2001:db8::/32");
               }).ok());
  EXPECT_EQ(n, 1);
}

TEST(MrtTableDumpV2, RibGeneric) {
  // RFC 6396 §4.3.3: AFI 1, SAFI 2 (IPv4 multicast), 10.1.0.0/16.
  const Record rec = MustDecode(
      Rec(13, 6,
          absl::StrCat("00000007 0001 02 10 0a01 0001", "0000 5f5e1003 0015",
                       kOrigin, "40 02 06 02 01 0000fde9", kMpAbbrev4)));
  const auto* rib = std::get_if<Rib>(&rec.body);
  ASSERT_NE(rib, nullptr);
  EXPECT_EQ(rib->sequence, 7u);
  EXPECT_EQ(rib->family, Family(Afi::kIpv4, Safi::kMulticast));
  EXPECT_EQ(ToHex(rib->nlri), "100a01");
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].family, Family(Afi::kIpv4, Safi::kMulticast));
  EXPECT_EQ(seen[0].prefix, "10.1.0.0/16");
  EXPECT_EQ(seen[0].next_hop, "192.0.2.1");
  EXPECT_EQ(seen[0].as_path, "65001");
}

TEST(MrtTableDumpV2, RibGenericUnknownFamilyIsUnsupported) {
  // RFC 6396 §4.3.3: an unrecognised AFI/SAFI discards the record.
  const Record rec = MustDecode(Rec(13, 6, "00000007 4001 99 00 0000"));
  EXPECT_TRUE(std::holds_alternative<Unsupported>(rec.body));
}

TEST(MrtTableDumpV2, AddPathSubtypes) {
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  {
    // RFC 8050 §4: RIB_IPV4_UNICAST_ADDPATH, path id 7.
    const Record rec =
        MustDecode(Rec(13, 8,
                       absl::StrCat("00000008 18 cb0071 0001",
                                    "0000 5f5e1004 00000007 0018", Attrs4())));
    const auto* rib = std::get_if<Rib>(&rec.body);
    ASSERT_NE(rib, nullptr);
    EXPECT_TRUE(rib->add_path);
    EXPECT_EQ(rib->begin()->path_id, 7u);
    const std::vector<Seen> seen = WalkAll(w, rec);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].prefix, "203.0.113.0/24");
    EXPECT_EQ(seen[0].path_id, 7u);
    EXPECT_EQ(seen[0].next_hop, "192.0.2.1");
    EXPECT_EQ(seen[0].as_path, "65001 65002");
  }
  {
    // RIB_IPV6_UNICAST_ADDPATH, path id 9; two entries.
    const Record rec = MustDecode(
        Rec(13, 10,
            absl::StrCat("00000009 20 20010db8 0002",
                         "0001 5f5e1005 00000009 0021", kOrigin, kPath4Big,
                         kMpAbbrev6, "0000 5f5e1006 0000000a 0021", kOrigin,
                         kPath4Big, kMpAbbrev6)));
    const std::vector<Seen> seen = WalkAll(w, rec);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].family, kIpv6Unicast);
    EXPECT_EQ(seen[0].path_id, 9u);
    EXPECT_EQ(seen[0].peer, "2001:db8::2");
    EXPECT_EQ(seen[1].path_id, 10u);
    EXPECT_EQ(seen[1].peer, "192.0.2.1");
    EXPECT_EQ(seen[1].next_hop, "2001:db8::1");
  }
  {
    // RIB_IPV4_MULTICAST_ADDPATH (9) and RIB_IPV6_MULTICAST_ADDPATH (11).
    const Record v4 = MustDecode(
        Rec(13, 9,
            absl::StrCat("0000000a 10 0a01 0001", "0000 5f5e1004 00000003 0015",
                         kOrigin, "40 02 06 02 01 0000fde9", kMpAbbrev4)));
    const std::vector<Seen> s4 = WalkAll(w, v4);
    ASSERT_EQ(s4.size(), 1u);
    EXPECT_EQ(s4[0].family, Family(Afi::kIpv4, Safi::kMulticast));
    EXPECT_EQ(s4[0].path_id, 3u);
    EXPECT_EQ(s4[0].next_hop, "192.0.2.1");
    const Record v6 = MustDecode(Rec(
        13, 11,
        absl::StrCat("0000000b 20 20010db8 0001", "0000 5f5e1004 00000004 0021",
                     kOrigin, kPath4Big, kMpAbbrev6)));
    const std::vector<Seen> s6 = WalkAll(w, v6);
    ASSERT_EQ(s6.size(), 1u);
    EXPECT_EQ(s6[0].family, Family(Afi::kIpv6, Safi::kMulticast));
    EXPECT_EQ(s6[0].path_id, 4u);
  }
  {
    // RIB_GENERIC_ADDPATH (12): IPv4 unicast through the generic form.
    const Record rec =
        MustDecode(Rec(13, 12,
                       absl::StrCat("0000000c 0001 01 18 cb0071 0001",
                                    "0000 5f5e1004 00000005 0018", Attrs4())));
    const std::vector<Seen> seen = WalkAll(w, rec);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].prefix, "203.0.113.0/24");
    EXPECT_EQ(seen[0].path_id, 5u);
    EXPECT_EQ(seen[0].next_hop, "192.0.2.1");
  }
}

TEST(MrtTableDumpV2, RibUpdateBytes) {
  // The one-route UPDATE of an IPv6 entry: the attributes but MP_REACH,
  // then MP_REACH_NLRI (extended length) with AFI/SAFI, the entry's next
  // hop, the reserved octet and the NLRI.
  std::vector<uint8_t> out;
  ASSERT_TRUE(RouteWalker::RibUpdate(
                  kIpv6Unicast, FromHex("20 20010db8"), std::nullopt,
                  FromHex(absl::StrCat(kOrigin, kMpAbbrev6, kPath4Big)), true,
                  out)
                  .ok());
  EXPECT_EQ(ToHex(out), ToHex(FromHex(absl::StrCat(
                            kMarker, "0042 02 0000 002b", kOrigin, kPath4Big,
                            "90 0e 001a 0002 01 10", kV6a, "00 20 20010db8"))));
  // IPv4 unicast with a path id: body NLRI, NEXT_HOP kept.
  ASSERT_TRUE(RouteWalker::RibUpdate(kIpv4Unicast, FromHex("18 cb0071"), 7,
                                     FromHex(Attrs4()), true, out)
                  .ok());
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex(absl::StrCat(kMarker, "0037 02 0000 0018", Attrs4(),
                                       "00000007 18 cb0071"))));
  // An attribute that runs past the list.
  EXPECT_THAT(
      RouteWalker::RibUpdate(kIpv4Unicast, FromHex("18 cb0071"), std::nullopt,
                             FromHex("40 01 05 00"), true, out)
          .message(),
      HasSubstr("runs past"));
  // An MP_REACH whose next-hop length fits neither form.
  EXPECT_THAT(
      RouteWalker::RibUpdate(kIpv6Unicast, FromHex("20 20010db8"), std::nullopt,
                             FromHex("80 0e 03 10 0000"), true, out)
          .message(),
      HasSubstr("next-hop length"));
}

TEST(MrtTableDumpV2, RibUpdateDropsMpAttributesOfIpv4Entries) {
  // An IPv4 entry with NEXT_HOP whose list also has an MP_UNREACH_NLRI
  // (AFI 1, SAFI 1, nothing withdrawn) between its attributes: the route
  // goes in the body, the MP attribute is left out, the others keep their
  // order.
  std::vector<uint8_t> out;
  ASSERT_TRUE(
      RouteWalker::RibUpdate(
          kIpv4Unicast, FromHex("18 cb0071"), std::nullopt,
          FromHex(absl::StrCat(kOrigin, "80 0f 03 0001 01", kPath4, kNh1)),
          true, out)
          .ok());
  const std::string want = ToHex(FromHex(
      absl::StrCat(kMarker, "0033 02 0000 0018", Attrs4(), "18 cb0071")));
  EXPECT_EQ(ToHex(out), want);
  // The same with an abbreviated MP_REACH_NLRI after NEXT_HOP: NEXT_HOP
  // wins for IPv4 unicast and MP_REACH is left out.
  ASSERT_TRUE(RouteWalker::RibUpdate(
                  kIpv4Unicast, FromHex("18 cb0071"), std::nullopt,
                  FromHex(absl::StrCat(Attrs4(), kMpAbbrev4)), true, out)
                  .ok());
  EXPECT_EQ(ToHex(out), want);
  // An extended-length attribute header cut after its first length octet:
  // the error names the attribute's offset in the list.
  EXPECT_THAT(
      RouteWalker::RibUpdate(kIpv4Unicast, FromHex("18 cb0071"), std::nullopt,
                             FromHex(absl::StrCat(kOrigin, "90 02 00")), true,
                             out)
          .message(),
      HasSubstr("attribute at offset 4 of the attribute list runs past its 7 "
                "octets"));
}

// --- TABLE_DUMP -----------------------------------------------------------

TEST(MrtTableDump, Ipv4) {
  // RFC 6396 §4.2, subtype 1 (AFI_IPv4): 198.51.100.0/24 from 192.0.2.9.
  const Record rec = MustDecode(
      Rec(12, 1,
          absl::StrCat("0000 0001 c6336400 18 01 3d3c5c00 c0000209 fde9 0014",
                       Attrs2())));
  const auto* t = std::get_if<TableDump>(&rec.body);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->view, 0);
  EXPECT_EQ(t->sequence, 1);
  EXPECT_EQ(t->prefix.ToString(), "198.51.100.0/24");
  EXPECT_EQ(t->status, 1);
  EXPECT_EQ(t->originated, 0x3d3c5c00u);
  EXPECT_EQ(t->peer_address.ToString(), "192.0.2.9");
  EXPECT_EQ(t->peer_as, 65001);
  EXPECT_EQ(t->attributes.size(), 20u);
  RouteWalker w;
  std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "B");
  EXPECT_EQ(seen[0].prefix, "198.51.100.0/24");
  EXPECT_EQ(seen[0].next_hop, "192.0.2.1");
  EXPECT_EQ(seen[0].as_path, "65001 65002");  // 2-octet AS numbers
  EXPECT_EQ(seen[0].peer, "192.0.2.9");
  EXPECT_EQ(seen[0].peer_as, 65001u);
}

TEST(MrtTableDump, Ipv6) {
  const Record rec = MustDecode(Rec(
      12, 2,
      absl::StrCat("0000 0002 20010db8000100000000000000000000 30 01 3d3c5c00 ",
                   kV6b, " fde9 0021", kOrigin, kPath2, kMpAbbrev6)));
  const auto* t = std::get_if<TableDump>(&rec.body);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->prefix.ToString(), "2001:db8:1::/48");
  EXPECT_EQ(t->peer_address.ToString(), "2001:db8::2");
  RouteWalker w;
  std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].prefix, "2001:db8:1::/48");
  EXPECT_EQ(seen[0].next_hop, "2001:db8::1");
  EXPECT_EQ(seen[0].as_path, "65001 65002");
}

// --- BGP4MP ---------------------------------------------------------------

// UPDATE, 2-octet AS: withdraws 198.51.100.0/24, announces 203.0.113.0/24.
std::string Update2() {
  return absl::StrCat(kMarker, "0033 02 0004 18c63364 0014", Attrs2(),
                      "18 cb0071");
}

TEST(MrtBgp4mp, Message) {
  const Record rec = MustDecode(Rec(
      16, 1, absl::StrCat("fde9 fdea 0000 0001 c0000201 c0000202", Update2())));
  const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->peer_as, 65001u);
  EXPECT_EQ(m->local_as, 65002u);
  EXPECT_EQ(m->interface_index, 0);
  EXPECT_EQ(m->peer_address.ToString(), "192.0.2.1");
  EXPECT_EQ(m->local_address.ToString(), "192.0.2.2");
  EXPECT_EQ(ToHex(m->message), ToHex(FromHex(Update2())));
  EXPECT_FALSE(m->four_octet_as);
  EXPECT_FALSE(m->local);
  EXPECT_FALSE(m->add_path);
  const SessionParams p = m->params();
  EXPECT_FALSE(p.four_octet_as);
  EXPECT_TRUE(p.extended_message);
  EXPECT_TRUE(p.add_path_families().empty());
  RouteWalker w;
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, "W");
  EXPECT_EQ(seen[0].prefix, "198.51.100.0/24");
  EXPECT_EQ(seen[1].kind, "A");
  EXPECT_EQ(seen[1].prefix, "203.0.113.0/24");
  EXPECT_EQ(seen[1].next_hop, "192.0.2.1");
  EXPECT_EQ(seen[1].as_path, "65001 65002");
  EXPECT_EQ(seen[1].peer, "192.0.2.1");
  EXPECT_EQ(seen[1].peer_as, 65001u);
}

TEST(MrtBgp4mp, MessageAs4Ipv6) {
  // MESSAGE_AS4 between IPv6 peers: MP_REACH_NLRI 2001:db8::/32.
  const std::string update =
      absl::StrCat(kMarker, "0041 02 0000 002a", kOrigin, kPath4Big, kMpFull6);
  const Record rec = MustDecode(Rec(
      16, 4, absl::StrCat("00010000 0000fdea 0001 0002", kV6a, kV6b, update)));
  const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->peer_as, 65536u);
  EXPECT_EQ(m->local_as, 65002u);
  EXPECT_EQ(m->interface_index, 1);
  EXPECT_EQ(m->peer_address.ToString(), "2001:db8::1");
  EXPECT_EQ(m->local_address.ToString(), "2001:db8::2");
  EXPECT_TRUE(m->four_octet_as);
  EXPECT_TRUE(m->params().four_octet_as);
  RouteWalker w;
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "A");
  EXPECT_EQ(seen[0].family, kIpv6Unicast);
  EXPECT_EQ(seen[0].prefix, "2001:db8::/32");
  EXPECT_EQ(seen[0].next_hop, "2001:db8::1");
  EXPECT_EQ(seen[0].as_path, "65536");
  EXPECT_EQ(seen[0].peer_as, 65536u);
}

TEST(MrtBgp4mp, AddPath) {
  // MESSAGE_AS4_ADDPATH (RFC 8050 §3): path ids in the NLRI.
  const std::string update =
      absl::StrCat(kMarker, "003f 02 0008 00000001 18c63364 0018", Attrs4(),
                   "00000002 18cb0071");
  const Record rec = MustDecode(Rec(
      16, 9,
      absl::StrCat("0000fde9 0000fdea 0000 0001 c0000201 c0000202", update)));
  const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->add_path);
  EXPECT_TRUE(m->four_octet_as);
  EXPECT_TRUE(m->params().HasAddPath(kIpv4Unicast));
  EXPECT_TRUE(m->params().HasAddPath(kIpv6Unicast));
  RouteWalker w;
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, "W");
  EXPECT_EQ(seen[0].path_id, 1u);
  EXPECT_EQ(seen[0].prefix, "198.51.100.0/24");
  EXPECT_EQ(seen[1].kind, "A");
  EXPECT_EQ(seen[1].path_id, 2u);
  EXPECT_EQ(seen[1].prefix, "203.0.113.0/24");
  EXPECT_EQ(seen[1].as_path, "65001 65002");
}

TEST(MrtBgp4mp, SubtypeFlags) {
  const std::string keepalive = absl::StrCat(kMarker, "0013 04");
  struct Case {
    uint16_t subtype;
    bool as4, local, add_path;
  };
  const Case cases[] = {
      {1, false, false, false}, {4, true, false, false},
      {6, false, true, false},  {7, true, true, false},
      {8, false, false, true},  {9, true, false, true},
      {10, false, true, true},  {11, true, true, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.subtype);
    const std::string peers = c.as4 ? "0000fde9 0000fdea" : "fde9 fdea";
    const Record rec = MustDecode(
        Rec(16, c.subtype,
            absl::StrCat(peers, "0000 0001 c0000201 c0000202", keepalive)));
    const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->four_octet_as, c.as4);
    EXPECT_EQ(m->local, c.local);
    EXPECT_EQ(m->add_path, c.add_path);
    EXPECT_EQ(m->peer_as, 65001u);
    EXPECT_EQ(ToHex(m->message), ToHex(FromHex(keepalive)));
    RouteWalker w;
    EXPECT_TRUE(WalkAll(w, rec).empty());  // a KEEPALIVE has no routes
  }
}

TEST(MrtBgp4mp, ExtendedTimestamp) {
  const Record rec = MustDecode(
      Rec(17, 4,
          absl::StrCat("0007a120 0000fde9 0000fdea 0000 0001 c0000201 c0000202",
                       kMarker, "0033 02 0000 0018", Attrs4(), "18cb0071")));
  EXPECT_EQ(rec.header.microseconds, 500000u);
  EXPECT_EQ(rec.header.header_size(), 16u);
  const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->peer_as, 65001u);
  RouteWalker w;
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].prefix, "203.0.113.0/24");
  EXPECT_EQ(seen[0].as_path, "65001 65002");
}

TEST(MrtBgp4mp, StateChanges) {
  {
    const Record rec = MustDecode(
        Rec(16, 0, "fde9 fdea 0000 0001 c0000201 c0000202 0001 0002"));
    const auto* s = std::get_if<StateChange>(&rec.body);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->peer_as, 65001u);
    EXPECT_EQ(s->local_as, 65002u);
    EXPECT_EQ(s->peer_address.ToString(), "192.0.2.1");
    EXPECT_EQ(s->local_address.ToString(), "192.0.2.2");
    EXPECT_EQ(s->old_state, 1);
    EXPECT_EQ(s->new_state, 2);
    EXPECT_FALSE(s->four_octet_as);
    RouteWalker w;
    EXPECT_TRUE(WalkAll(w, rec).empty());
  }
  {
    const Record rec = MustDecode(Rec(
        16, 5,
        absl::StrCat("00010000 0000fdea 0003 0002", kV6a, kV6b, "0005 0006")));
    const auto* s = std::get_if<StateChange>(&rec.body);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->peer_as, 65536u);
    EXPECT_EQ(s->interface_index, 3);
    EXPECT_EQ(s->peer_address.ToString(), "2001:db8::1");
    EXPECT_EQ(s->new_state, 6);
    EXPECT_TRUE(s->four_octet_as);
  }
  {
    // Old Zebra's 8-octet STATE_CHANGE: AS numbers and states only.
    const Record rec = MustDecode(Rec(16, 0, "011e 316e 0003 0004"));
    const auto* s = std::get_if<StateChange>(&rec.body);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->peer_as, 286u);
    EXPECT_EQ(s->old_state, 3);
    EXPECT_EQ(s->new_state, 4);
  }
}

TEST(MrtBgp4mp, ZebraShortMessage) {
  // Old Zebra: the AS numbers, then the BGP message (no addresses).
  const std::string open =
      absl::StrCat(kMarker, "001d 01 04 fde9 00b4 c0000201 00");
  const Record rec = MustDecode(Rec(16, 1, absl::StrCat("0000 0000", open)));
  const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(ToHex(m->message), ToHex(FromHex(open)));
}

TEST(MrtBgp4mp, UnknownAfiAndUnsupportedSubtype) {
  Record rec;
  EXPECT_THAT(DecodeRecord(Rec(16, 1,
                               absl::StrCat("fde9 fdea 0000 0003 c0000201 "
                                            "c0000202",
                                            kMarker, "0013 04")),
                           rec)
                  .message(),
              HasSubstr("unknown AFI 3"));
  // BGP4MP_ENTRY (subtype 2, pre-RFC): kept as bytes.
  rec = MustDecode(Rec(16, 2, "0102"));
  ASSERT_TRUE(std::holds_alternative<Unsupported>(rec.body));
  EXPECT_EQ(ToHex(std::get<Unsupported>(rec.body).body), "0102");
  // Another type altogether (OSPFv2).
  rec = MustDecode(Rec(11, 0, "0102"));
  EXPECT_TRUE(std::holds_alternative<Unsupported>(rec.body));
  RouteWalker w;
  EXPECT_TRUE(WalkAll(w, rec).empty());
}

TEST(MrtBgp4mp, BadUpdateIsAnError) {
  // An UPDATE whose attribute length runs past the message.
  const Record rec =
      MustDecode(Rec(16, 1,
                     absl::StrCat("fde9 fdea 0000 0001 c0000201 c0000202",
                                  kMarker, "0017 02 0000 00ff")));
  RouteWalker w;
  absl::Status st;
  EXPECT_TRUE(WalkAll(w, rec, &st).empty());
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("UPDATE in BGP4MP record"));
}

// --- The deprecated BGP type (RFC 6396 Appendix B.2) -----------------------

TEST(MrtBgpType, UpdateRebuildsTheHeader) {
  // The message is stored without marker, length and type.
  const std::string body =
      absl::StrCat("0000 0014", Attrs2(), "18 cb0071");  // 28 octets
  const Record rec =
      MustDecode(Rec(5, 1, absl::StrCat("fde9 c0000201 fdea c0000202", body)));
  const auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->peer_as, 65001u);
  EXPECT_EQ(m->local_as, 65002u);
  EXPECT_EQ(m->peer_address.ToString(), "192.0.2.1");
  EXPECT_EQ(m->local_address.ToString(), "192.0.2.2");
  EXPECT_FALSE(m->four_octet_as);
  EXPECT_EQ(ToHex(m->message),
            ToHex(FromHex(absl::StrCat(kMarker, "002f 02", body))));
  EXPECT_EQ(m->message.data(), rec.scratch.data());
  RouteWalker w;
  const std::vector<Seen> seen = WalkAll(w, rec);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "A");
  EXPECT_EQ(seen[0].prefix, "203.0.113.0/24");
  EXPECT_EQ(seen[0].as_path, "65001 65002");
  EXPECT_EQ(seen[0].next_hop, "192.0.2.1");
  EXPECT_EQ(seen[0].peer, "192.0.2.1");
}

TEST(MrtBgpType, OpenKeepaliveNotifyStateChange) {
  Record rec = MustDecode(
      Rec(5, 5, "fde9 c0000201 fdea c0000202 04 fde9 00b4 c0000201 00"));
  auto* m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(ToHex(m->message),
            ToHex(FromHex(
                absl::StrCat(kMarker, "001d 01 04 fde9 00b4 c0000201 00"))));
  rec = MustDecode(Rec(5, 7, "fde9 c0000201 fdea c0000202"));
  m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(ToHex(m->message),
            ToHex(FromHex(absl::StrCat(kMarker, "0013 04"))));
  rec = MustDecode(Rec(5, 6, "fde9 c0000201 fdea c0000202 06 02"));
  m = std::get_if<Bgp4mpMessage>(&rec.body);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(ToHex(m->message),
            ToHex(FromHex(absl::StrCat(kMarker, "0015 03 06 02"))));
  rec = MustDecode(Rec(5, 3, "fde9 c0000201 0001 0002"));
  const auto* s = std::get_if<StateChange>(&rec.body);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->peer_as, 65001u);
  EXPECT_EQ(s->peer_address.ToString(), "192.0.2.1");
  EXPECT_EQ(s->old_state, 1);
  EXPECT_EQ(s->new_state, 2);
  rec = MustDecode(Rec(5, 4, "00"));  // SYNC
  EXPECT_TRUE(std::holds_alternative<Unsupported>(rec.body));
}

// --- Every record, cut short and over-long -----------------------------------

struct Golden {
  std::string name;
  std::vector<uint8_t> bytes;
  // Every truncation of the body is a decode error (the BGP type's message
  // has no length of its own, so its cuts may decode).
  bool cuts_fail = true;
};

std::vector<Golden> Goldens() {
  std::vector<Golden> g;
  auto add = [&](std::string name, std::vector<uint8_t> bytes,
                 bool cuts_fail = true) {
    Golden x;
    x.name = std::move(name);
    x.bytes = std::move(bytes);
    x.cuts_fail = cuts_fail;
    g.push_back(std::move(x));
  };
  add("peer_index", PeerIndex());
  add("rib_ipv4", RibIpv4());
  add("rib_ipv6",
      Rec(13, 4,
          absl::StrCat("00000006 20 20010db8 0001", "0001 5f5e1002 0021",
                       kOrigin, kPath4Big, kMpAbbrev6)));
  add("rib_generic",
      Rec(13, 6,
          absl::StrCat("00000007 0001 02 10 0a01 0001", "0000 5f5e1003 0015",
                       kOrigin, "40 02 06 02 01 0000fde9", kMpAbbrev4)));
  add("rib_ipv4_addpath",
      Rec(13, 8,
          absl::StrCat("00000008 18 cb0071 0001", "0000 5f5e1004 00000007 0018",
                       Attrs4())));
  add("table_dump",
      Rec(12, 1,
          absl::StrCat("0000 0001 c6336400 18 01 3d3c5c00 c0000209 fde9 0014",
                       Attrs2())));
  add("bgp4mp_message",
      Rec(16, 1,
          absl::StrCat("fde9 fdea 0000 0001 c0000201 c0000202", Update2())));
  add("bgp4mp_et",
      Rec(17, 4,
          absl::StrCat("0007a120 0000fde9 0000fdea 0000 0001 c0000201 c0000202",
                       kMarker, "0013 04")));
  add("state_change_as4", Rec(16, 5,
                              absl::StrCat("00010000 0000fdea 0003 0002", kV6a,
                                           kV6b, "0005 0006")));
  add("bgp_update",
      Rec(5, 1,
          absl::StrCat("fde9 c0000201 fdea c0000202 0000 0014", Attrs2(),
                       "18 cb0071")),
      false);
  add("bgp_state_change", Rec(5, 3, "fde9 c0000201 0001 0002"));
  return g;
}

// Sets the header's length field to what follows the 12-octet header.
void FixLength(std::vector<uint8_t>& rec) {
  const uint32_t n = static_cast<uint32_t>(rec.size() - 12);
  for (int i = 0; i < 4; ++i)
    rec[8 + i] = static_cast<uint8_t>(n >> (24 - 8 * i));
}

TEST(MrtErrors, EveryTruncationFails) {
  RouteWalker w;
  WalkAll(w, MustDecode(PeerIndex()));
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.name);
    // The golden itself decodes.
    Record rec = MustDecode(g.bytes);
    for (size_t cut = 0; cut < g.bytes.size(); ++cut) {
      SCOPED_TRACE(cut);
      // The header kept as is: the length no longer matches.
      std::vector<uint8_t> b(g.bytes.begin(), g.bytes.begin() + cut);
      absl::Status st = DecodeRecord(b, rec);
      EXPECT_FALSE(st.ok());
      if (cut < 12) continue;
      // The length fixed to the cut: the body is truncated.
      FixLength(b);
      st = DecodeRecord(b, rec);
      if (g.cuts_fail && cut >= 16) {
        EXPECT_FALSE(st.ok());
        EXPECT_THAT(st.message(), HasSubstr("offset"));
      }
      if (st.ok()) w.Walk(rec, [](const Route&) {}).IgnoreError();
    }
  }
}

TEST(MrtErrors, OverLongFails) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.name);
    Record rec;
    // Length field one more than the bytes.
    std::vector<uint8_t> b = g.bytes;
    b[11]++;
    absl::Status st = DecodeRecord(b, rec);
    EXPECT_THAT(st.message(), HasSubstr("record length field"));
    // One trailing octet, counted by the length.
    b = g.bytes;
    b.push_back(0);
    FixLength(b);
    st = DecodeRecord(b, rec);
    if (g.cuts_fail) {
      EXPECT_FALSE(st.ok());
    } else if (st.ok()) {
      RouteWalker w;
      w.Walk(rec, [](const Route&) {}).IgnoreError();
    }
  }
}

TEST(MrtErrors, LengthsInsideRecords) {
  Record rec;
  // PEER_INDEX_TABLE: a view name longer than the record.
  EXPECT_THAT(DecodeRecord(Rec(13, 1, "0a000001 00ff 7465"), rec).message(),
              HasSubstr("view name at offset 18"));
  // A peer count that cannot fit.
  EXPECT_THAT(DecodeRecord(Rec(13, 1, "0a000001 0000 ffff 00"), rec).message(),
              HasSubstr("peer count"));
  // RIB: prefix length over 32.
  EXPECT_THAT(
      DecodeRecord(Rec(13, 2, "00000001 21 00000000 0000"), rec).message(),
      HasSubstr("prefix length at offset 16: 33 exceeds 32"));
  // RIB: an entry's attribute length past the record.
  EXPECT_THAT(DecodeRecord(Rec(13, 2,
                               "00000001 08 0a 0001 0000 00000000 0009 "
                               "40010100"),
                           rec)
                  .message(),
              HasSubstr("RIB entry 0 attributes"));
  // RIB: octets after the last entry.
  EXPECT_THAT(DecodeRecord(Rec(13, 2, "00000001 08 0a 0000 00"), rec).message(),
              HasSubstr("1 octets after entry 0"));
  // BGP4MP: the BGP length field disagrees with the record.
  EXPECT_THAT(DecodeRecord(Rec(16, 1,
                               absl::StrCat("fde9 fdea 0000 0001 c0000201 "
                                            "c0000202",
                                            kMarker, "0014 04")),
                           rec)
                  .message(),
              HasSubstr("BGP message length at offset 44"));
  // TABLE_DUMP: prefix length over 32.
  EXPECT_THAT(DecodeRecord(Rec(12, 1,
                               "0000 0001 c6336400 21 01 3d3c5c00 "
                               "c0000209 fde9 0000"),
                           rec)
                  .message(),
              HasSubstr("33 exceeds 32"));
}

TEST(MrtErrors, RibIteratorOnBadBytesStops) {
  // A Rib built by hand with entries that do not parse: iteration ends.
  Rib rib;
  rib.entry_count = 3;
  const std::vector<uint8_t> junk = FromHex("0000 00000000 0009 40");
  rib.entries = junk;
  size_t n = 0;
  for (const RibEntry& e : rib) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, 0u);
}

// --- FileReader -----------------------------------------------------------

class TempFile {
 public:
  explicit TempFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               absl::StrCat("bgpy_mrt_test_", ::getpid(), "_", name))
                  .string()) {}
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  void Write(const std::vector<uint8_t>& b) const {
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()),
              static_cast<std::streamsize>(b.size()));
  }

 private:
  std::string path_;
};

std::vector<uint8_t> Gzip(const std::vector<uint8_t>& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::vector<uint8_t> out(deflateBound(&zs, in.size()) + 64);
  zs.next_in = const_cast<uint8_t*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<uint8_t> Bzip2(const std::vector<uint8_t>& in) {
  std::vector<uint8_t> out(in.size() + in.size() / 100 + 700);
  unsigned int n = static_cast<unsigned int>(out.size());
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(
                reinterpret_cast<char*>(out.data()), &n,
                const_cast<char*>(reinterpret_cast<const char*>(in.data())),
                static_cast<unsigned int>(in.size()), 9, 0, 0),
            BZ_OK);
  out.resize(n);
  return out;
}

std::vector<uint8_t> Concat(std::vector<uint8_t> a,
                            const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Many records: the peer index, then RIB records (about 1.5 MB, so the
// reader's buffers refill and compact several times).
std::vector<uint8_t> ManyRecords(size_t n) {
  std::vector<uint8_t> out = PeerIndex();
  const std::vector<uint8_t> rib = RibIpv4();
  for (size_t i = 0; i < n; ++i) out.insert(out.end(), rib.begin(), rib.end());
  return out;
}

// Reads all records; returns their count and checks each decodes.
size_t ReadAll(FileReader& in, absl::Status* end_status = nullptr) {
  size_t n = 0;
  Record rec;
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> r = in.Next();
    if (!r.ok()) {
      if (end_status != nullptr) *end_status = r.status();
      return n;
    }
    if (!r->has_value()) break;
    EXPECT_TRUE(DecodeRecord(**r, rec).ok());
    ++n;
  }
  if (end_status != nullptr) *end_status = absl::OkStatus();
  return n;
}

TEST(MrtFileReader, RawGzipBzip2AndConcatenated) {
  const size_t kRibs = 20000;
  const std::vector<uint8_t> raw = ManyRecords(kRibs);
  const std::vector<uint8_t> half1 = ManyRecords(kRibs / 2);
  struct Case {
    const char* name;
    std::vector<uint8_t> file;
    Compression compression;
    size_t records;
  };
  std::vector<Case> cases;
  cases.push_back({"raw", raw, Compression::kNone, kRibs + 1});
  cases.push_back({"gz", Gzip(raw), Compression::kGzip, kRibs + 1});
  cases.push_back({"bz2", Bzip2(raw), Compression::kBzip2, kRibs + 1});
  cases.push_back(
      {"gz2", Concat(Gzip(half1), Gzip(half1)), Compression::kGzip, kRibs + 2});
  cases.push_back({"bz22", Concat(Bzip2(half1), Bzip2(half1)),
                   Compression::kBzip2, kRibs + 2});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TempFile f(c.name);
    f.Write(c.file);
    FileReader in;
    ASSERT_TRUE(in.Open(f.path()).ok());
    EXPECT_EQ(in.compression(), c.compression);
    absl::Status st;
    EXPECT_EQ(ReadAll(in, &st), c.records);
    EXPECT_TRUE(st.ok()) << st;
    EXPECT_EQ(in.compressed_bytes(), c.file.size());
    const size_t total = c.records == kRibs + 1 ? raw.size() : 2 * half1.size();
    EXPECT_EQ(in.uncompressed_bytes(), total);
    EXPECT_EQ(in.offset(), total - RibIpv4().size());
    // Past the end: still the end.
    auto again = in.Next();
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->has_value());
  }
}

TEST(MrtFileReader, EmptyAndMissing) {
  TempFile f("empty");
  f.Write({});
  FileReader in;
  ASSERT_TRUE(in.Open(f.path()).ok());
  auto r = in.Next();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(in.Open("/nonexistent/bgpy.mrt").code(),
            absl::StatusCode::kNotFound);
  FileReader unopened;
  EXPECT_FALSE(unopened.Next().ok());
}

TEST(MrtFileReader, RecordCutShortByEof) {
  for (const bool gz : {false, true}) {
    SCOPED_TRACE(gz);
    std::vector<uint8_t> b = PeerIndex();
    const size_t second = b.size();
    const std::vector<uint8_t> rib = RibIpv4();
    b.insert(b.end(), rib.begin(), rib.end() - 3);
    TempFile f(gz ? "cut.gz" : "cut");
    f.Write(gz ? Gzip(b) : b);
    FileReader in;
    ASSERT_TRUE(in.Open(f.path()).ok());
    absl::Status st;
    EXPECT_EQ(ReadAll(in, &st), 1u);
    EXPECT_THAT(st.message(),
                HasSubstr(absl::StrCat("record at offset ", second,
                                       " (TABLE_DUMP_V2 RIB_IPV4_UNICAST) cut "
                                       "short")));
    // Sticky.
    EXPECT_EQ(in.Next().status(), st);
  }
  // A header cut short.
  std::vector<uint8_t> b = PeerIndex();
  b.insert(b.end(), {0x5f, 0x5e, 0x10});
  TempFile f("cuthdr");
  f.Write(b);
  FileReader in;
  ASSERT_TRUE(in.Open(f.path()).ok());
  absl::Status st;
  EXPECT_EQ(ReadAll(in, &st), 1u);
  EXPECT_THAT(st.message(), HasSubstr("record header at offset"));
}

TEST(MrtFileReader, OversizedRecordStops) {
  std::vector<uint8_t> b = PeerIndex();
  const size_t second = b.size();
  const std::vector<uint8_t> huge = FromHex("5f5e1000 000d 0002 7fffffff");
  b.insert(b.end(), huge.begin(), huge.end());
  b.resize(b.size() + 1000);
  TempFile f("huge");
  f.Write(b);
  FileReader in;
  ASSERT_TRUE(in.Open(f.path()).ok());
  absl::Status st;
  EXPECT_EQ(ReadAll(in, &st), 1u);
  EXPECT_THAT(st.message(),
              HasSubstr(absl::StrCat("record at offset ", second,
                                     " (TABLE_DUMP_V2 RIB_IPV4_UNICAST) has "
                                     "length 2147483647")));
}

TEST(MrtFileReader, CorruptGzip) {
  std::vector<uint8_t> gz = Gzip(ManyRecords(100));
  gz.resize(gz.size() / 2);  // a member cut short
  TempFile f("corrupt.gz");
  f.Write(gz);
  FileReader in;
  ASSERT_TRUE(in.Open(f.path()).ok());
  absl::Status st;
  ReadAll(in, &st);
  EXPECT_FALSE(st.ok());
  // Garbage after the magic.
  std::vector<uint8_t> bad = FromHex("1f8b 0800 0000 0000 00ff ffff ffff");
  f.Write(bad);
  ASSERT_TRUE(in.Open(f.path()).ok());
  ReadAll(in, &st);
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace bgpy::mrt
