// Copyright 2026 The bgpy Authors.
//
// mrt::Writer and mrt::RibAttributes: every record form against bytes
// built by hand from the layouts of RFC 6396 (§2, §3, §4.3.1-§4.3.4,
// §4.4.1-§4.4.6) and RFC 8050 (§3, §4); then the same records written to
// files and read by bgpdump (`bgpdump -m`, skipped when it is not
// installed), whose lines must be the ones the records mean.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bgpy/mrt.h"
#include "bgpy/types.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy::mrt {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::ElementsAre;

IpAddress Ip(absl::string_view text) {
  absl::StatusOr<IpAddress> a = IpAddress::Parse(text);
  EXPECT_TRUE(a.ok()) << text;
  return a.ok() ? *a : IpAddress();
}

// 2023-11-14 22:13:20.123456 UTC.
const absl::Time kTime =
    absl::FromUnixSeconds(1700000000) + absl::Microseconds(123456);

// A KEEPALIVE (RFC 4271 §4.4): the marker, length 19, type 4.
const char kKeepalive[] = "ffffffffffffffffffffffffffffffff 0013 04";

// An UPDATE (RFC 4271 §4.3) with 4-octet AS numbers: ORIGIN IGP, AS_PATH
// AS_SEQUENCE 65000 4200000000, NEXT_HOP 10.0.0.1, NLRI 10.1.0.0/16.
const char kUpdateAs4[] =
    "ffffffffffffffffffffffffffffffff 0032 02"
    "0000"                              // withdrawn routes length
    "0018"                              // path attribute length: 4 + 13 + 7
    "40 01 01 00"                       // ORIGIN IGP
    "40 02 0a 02 02 0000fde8 fa56ea00"  // AS_PATH
    "40 03 04 0a000001"                 // NEXT_HOP
    "10 0a01";                          // 10.1.0.0/16

// The same route with 2-octet AS numbers (a session without RFC 6793):
// AS_PATH 65000 23456.
const char kUpdateAs2[] =
    "ffffffffffffffffffffffffffffffff 002e 02"
    "0000 0014"
    "40 01 01 00"
    "40 02 06 02 02 fde8 5ba0"
    "40 03 04 0a000001"
    "10 0a01";

// ADD-PATH (RFC 7911 §3): the NLRI carries path id 7 before 10.2.0.0/16.
const char kUpdateAddPath[] =
    "ffffffffffffffffffffffffffffffff 0036 02"
    "0000 0018"
    "40 01 01 00"
    "40 02 0a 02 02 0000fde8 fa56ea00"
    "40 03 04 0a000001"
    "00000007 10 0a02";

Bgp4mpMessage V4Message(const std::vector<uint8_t>& bytes) {
  Bgp4mpMessage m;
  m.peer_as = 65000;
  m.local_as = 65001;
  m.peer_address = Ip("10.0.0.1");
  m.local_address = Ip("10.0.0.2");
  m.message = bytes;
  m.four_octet_as = true;
  return m;
}

TEST(MrtWriteTest, Bgp4mpMessageAs4) {
  const std::vector<uint8_t> keepalive = FromHex(kKeepalive);
  std::vector<uint8_t> out;
  Writer(out).Bgp4mpMessage(kTime, V4Message(keepalive));
  EXPECT_EQ(ToHex(out), ToHex(FromHex(
                            // RFC 6396 §2/§3: timestamp, type 17
                            // BGP4MP_ET, subtype 4 MESSAGE_AS4, length
                            // (4 microseconds + 20 + 19 = 43), microseconds.
                            "6553f100 0011 0004 0000002b 0001e240"
                            // §4.4.3: peer AS, local AS, interface index,
                            // AFI 1, peer and local address.
                            "0000fde8 0000fde9 0000 0001 0a000001 0a000002"
                            "ffffffffffffffffffffffffffffffff 0013 04")));
}

TEST(MrtWriteTest, Bgp4mpMessageSubtypes) {
  const std::vector<uint8_t> keepalive = FromHex(kKeepalive);
  struct Case {
    bool four_octet_as, local, add_path;
    uint16_t subtype;
  };
  // RFC 6396 §4.4.2-§4.4.6, RFC 8050 §3.
  const Case cases[] = {
      {true, false, false, 4}, {false, false, false, 1},
      {true, true, false, 7},  {false, true, false, 6},
      {true, false, true, 9},  {false, false, true, 8},
      {true, true, true, 11},  {false, true, true, 10},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.subtype);
    Bgp4mpMessage m = V4Message(keepalive);
    m.four_octet_as = c.four_octet_as;
    m.local = c.local;
    m.add_path = c.add_path;
    std::vector<uint8_t> out;
    Writer(out).Bgp4mpMessage(kTime, m);
    ASSERT_GE(out.size(), 16u);
    EXPECT_EQ((out[6] << 8) | out[7], c.subtype);
    // The AS fields are 2 octets in the non-AS4 forms.
    const size_t body = (c.four_octet_as ? 8 : 4) + 2 + 2 + 4 + 4 + 19;
    EXPECT_EQ(out.size(), 16 + body);
    EXPECT_EQ((out[8] << 24) | (out[9] << 16) | (out[10] << 8) | out[11],
              static_cast<int>(4 + body));
  }
}

TEST(MrtWriteTest, Bgp4mpMessageTwoOctetAsIpv6) {
  Bgp4mpMessage m;
  m.peer_as = 4200000000;  // does not fit: AS_TRANS (RFC 6793 §9)
  m.local_as = 65001;
  m.interface_index = 3;
  m.peer_address = Ip("2001:db8::1");
  m.local_address = Ip("2001:db8::2");
  const std::vector<uint8_t> keepalive = FromHex(kKeepalive);
  m.message = keepalive;
  m.four_octet_as = false;
  m.local = true;
  std::vector<uint8_t> out;
  Writer(out).Bgp4mpMessage(absl::FromUnixSeconds(1), m);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex(
                // subtype 6 MESSAGE_LOCAL, length 4 + 4 + 2 + 2 + 32 + 19.
                "00000001 0011 0006 0000003f 00000000"
                // §4.4.2: 2-octet AS fields, interface 3, AFI 2.
                "5ba0 fde9 0003 0002"
                "20010db8000000000000000000000001"
                "20010db8000000000000000000000002"
                "ffffffffffffffffffffffffffffffff 0013 04")));
}

TEST(MrtWriteTest, Bgp4mpMessageLocalAddressOfTheOtherFamily) {
  // One Address Family field covers both addresses: a local address of the
  // other family is written as the peer family's unspecified address.
  Bgp4mpMessage m = V4Message(FromHex(kKeepalive));
  const std::vector<uint8_t> keepalive = FromHex(kKeepalive);
  m.message = keepalive;
  m.local_address = Ip("::1");
  std::vector<uint8_t> out;
  Writer(out).Bgp4mpMessage(kTime, m);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex("6553f100 0011 0004 0000002b 0001e240"
                          "0000fde8 0000fde9 0000 0001 0a000001 00000000"
                          "ffffffffffffffffffffffffffffffff 0013 04")));
}

TEST(MrtWriteTest, StateChangeAs4) {
  StateChange s;
  s.peer_as = 4200000000;
  s.local_as = 65001;
  s.peer_address = Ip("10.0.0.1");
  s.local_address = Ip("10.0.0.2");
  s.old_state = 5;
  s.new_state = 6;
  std::vector<uint8_t> out;
  Writer(out).StateChange(kTime, s);
  EXPECT_EQ(ToHex(out), ToHex(FromHex(
                            // subtype 5 STATE_CHANGE_AS4, length 4 + 24.
                            "6553f100 0011 0005 0000001c 0001e240"
                            // §4.4.4
                            "fa56ea00 0000fde9 0000 0001 0a000001 0a000002"
                            "0005 0006")));
}

TEST(MrtWriteTest, StateChangeIpv6) {
  StateChange s;
  s.peer_as = 65000;
  s.local_as = 65001;
  s.peer_address = Ip("2001:db8::1");
  s.local_address = Ip("2001:db8::2");
  s.old_state = 1;
  s.new_state = 2;
  std::vector<uint8_t> out;
  Writer(out).StateChange(absl::FromUnixSeconds(2), s);
  EXPECT_EQ(ToHex(out), ToHex(FromHex("00000002 0011 0005 00000034 00000000"
                                      "0000fde8 0000fde9 0000 0002"
                                      "20010db8000000000000000000000001"
                                      "20010db8000000000000000000000002"
                                      "0001 0002")));
}

TEST(MrtWriteTest, PeerIndexTable) {
  PeerIndexTable t;
  t.collector_bgp_id = 0x0a0000fe;
  t.view_name = "rib";
  Peer p4;
  p4.bgp_id = 0x0a000001;
  p4.address = Ip("10.0.0.1");
  p4.as = 65000;
  t.peers.push_back(p4);
  Peer p6;
  p6.bgp_id = 0x0a000002;
  p6.address = Ip("2001:db8::2");
  p6.as = 4200000000;
  t.peers.push_back(p6);
  std::vector<uint8_t> out;
  Writer(out).PeerIndex(kTime, t);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex(
                // type 13 TABLE_DUMP_V2, subtype 1, no microseconds
                // (RFC 6396 §2): length 4 + 2 + 3 + 2 + 11 + 25 = 47.
                "6553f100 000d 0001 0000002f"
                // §4.3.1: collector BGP ID, view name length and name,
                // peer count.
                "0a0000fe 0003 726962 0002"
                // peer type 0: IPv4, 2-octet AS.
                "00 0a000001 0a000001 fde8"
                // peer type 3: IPv6 (0x01), 4-octet AS (0x02).
                "03 0a000002 20010db8000000000000000000000002 fa56ea00")));
}

RibEntry Entry(uint16_t peer_index, uint32_t originated,
               const std::vector<uint8_t>& attributes) {
  RibEntry e;
  e.peer_index = peer_index;
  e.originated = originated;
  e.attributes = attributes;
  return e;
}

TEST(MrtWriteTest, RibIpv4Unicast) {
  const std::vector<uint8_t> attrs = FromHex("40010100 400304 0a000001");
  std::vector<RibEntry> entries;
  entries.push_back(Entry(0, 0x65000000, attrs));
  entries.push_back(Entry(1, 0x65000001, attrs));
  const std::vector<uint8_t> nlri = FromHex("10 0a01");
  std::vector<uint8_t> out;
  Writer(out).Rib(kTime, 42, Family(Afi::kIpv4, Safi::kUnicast), nlri,
                  /*add_path=*/false, entries);
  EXPECT_EQ(ToHex(out), ToHex(FromHex(
                            // subtype 2 RIB_IPV4_UNICAST, length
                            // 4 + 3 + 2 + 2 * (8 + 11) = 47.
                            "6553f100 000d 0002 0000002f"
                            // §4.3.2: sequence, prefix length and prefix,
                            // entry count.
                            "0000002a 10 0a01 0002"
                            // §4.3.4: peer index, originated time,
                            // attribute length, attributes.
                            "0000 65000000 000b 40010100 400304 0a000001"
                            "0001 65000001 000b 40010100 400304 0a000001")));
}

TEST(MrtWriteTest, RibAddPathAndSubtypes) {
  const std::vector<uint8_t> attrs = FromHex("40010100");
  std::vector<RibEntry> entries;
  entries.push_back(Entry(0, 1, attrs));
  entries.back().path_id = 7;
  const std::vector<uint8_t> nlri = FromHex("20 20010db8");
  std::vector<uint8_t> out;
  Writer(out).Rib(absl::FromUnixSeconds(3), 1,
                  Family(Afi::kIpv6, Safi::kUnicast), nlri, /*add_path=*/true,
                  entries);
  EXPECT_EQ(ToHex(out), ToHex(FromHex(
                            // subtype 10 RIB_IPV6_UNICAST_ADDPATH (RFC 8050
                            // §4), length 4 + 5 + 2 + 16.
                            "00000003 000d 000a 0000001b"
                            "00000001 20 20010db8 0001"
                            // the path identifier follows the originated
                            // time.
                            "0000 00000001 00000007 0004 40010100")));

  struct Case {
    Family family;
    bool add_path;
    uint16_t subtype;
  };
  const Case cases[] = {
      {Family(Afi::kIpv4, Safi::kUnicast), false, 2},
      {Family(Afi::kIpv4, Safi::kMulticast), false, 3},
      {Family(Afi::kIpv6, Safi::kUnicast), false, 4},
      {Family(Afi::kIpv6, Safi::kMulticast), false, 5},
      {Family(Afi::kIpv4, Safi::kUnicast), true, 8},
      {Family(Afi::kIpv4, Safi::kMulticast), true, 9},
      {Family(Afi::kIpv6, Safi::kUnicast), true, 10},
      {Family(Afi::kIpv6, Safi::kMulticast), true, 11},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.subtype);
    std::vector<uint8_t> o;
    Writer(o).Rib(kTime, 0, c.family, nlri, c.add_path, entries);
    ASSERT_GE(o.size(), 12u);
    EXPECT_EQ((o[6] << 8) | o[7], c.subtype);
  }
}

TEST(MrtWriteTest, RibGeneric) {
  // RFC 6396 §4.3.3: AFI and SAFI, then the NLRI in the family's own
  // encoding (here a VPNv4 route: length 112, label, RD, prefix).
  const std::vector<uint8_t> attrs = FromHex("40010100");
  std::vector<RibEntry> entries;
  entries.push_back(Entry(2, 5, attrs));
  const std::vector<uint8_t> nlri =
      FromHex("70 000641 0000fde800000001 0a0100");
  std::vector<uint8_t> out;
  Writer(out).Rib(kTime, 9, Family(Afi::kIpv4, Safi::kMplsVpn), nlri,
                  /*add_path=*/false, entries);
  EXPECT_EQ(ToHex(out), ToHex(FromHex("6553f100 000d 0006 00000024"
                                      "00000009 0001 80"
                                      "70 000641 0000fde800000001 0a0100"
                                      "0001"
                                      "0002 00000005 0004 40010100")));
  std::vector<uint8_t> ap;
  entries.back().path_id = 0x01020304;
  Writer(ap).Rib(kTime, 9, Family(Afi::kIpv4, Safi::kMplsVpn), nlri,
                 /*add_path=*/true, entries);
  EXPECT_EQ(ToHex(ap), ToHex(FromHex("6553f100 000d 000c 00000028"
                                     "00000009 0001 80"
                                     "70 000641 0000fde800000001 0a0100"
                                     "0001"
                                     "0002 00000005 01020304 0004 40010100")));
}

TEST(MrtWriteTest, RibLeavesOutEntriesWhoseAttributesDoNotFit) {
  const std::vector<uint8_t> big(65536, 0);
  const std::vector<uint8_t> small = FromHex("40010100");
  std::vector<RibEntry> entries;
  entries.push_back(Entry(0, 1, big));
  entries.push_back(Entry(1, 2, small));
  const std::vector<uint8_t> nlri = FromHex("08 0a");
  std::vector<uint8_t> out;
  Writer(out).Rib(kTime, 0, Family(Afi::kIpv4, Safi::kUnicast), nlri, false,
                  entries);
  EXPECT_EQ(ToHex(out), ToHex(FromHex("6553f100 000d 0002 00000014"
                                      "00000000 08 0a 0001"
                                      "0001 00000002 0004 40010100")));
}

TEST(MrtWriteTest, AppendsAndClampsTime) {
  std::vector<uint8_t> out = {0xaa};
  StateChange s;
  s.peer_address = Ip("10.0.0.1");
  s.local_address = Ip("10.0.0.2");
  Writer(out).StateChange(absl::FromUnixSeconds(-5), s);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex("aa 00000000 0011 0005 0000001c 00000000"
                          "00000000 00000000 0000 0001 0a000001 0a000002"
                          "0000 0000")));
}

TEST(MrtWriteTest, RibAttributesAbbreviatesMpReach) {
  const std::vector<uint8_t> attrs = FromHex(
      "40 01 01 00"              // ORIGIN
      "40 02 06 02 01 0000fde8"  // AS_PATH
      // MP_REACH_NLRI (RFC 4760 §3): AFI 2, SAFI 1, next hop 16 octets,
      // reserved, NLRI 2001:db8::/32.
      "80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8"
      // MP_UNREACH_NLRI: dropped.
      "80 0f 08 0002 01 20 20010db9"
      "c0 08 04 fde80001");  // COMMUNITIES
  std::vector<uint8_t> out = {0xff};
  RibAttributes(attrs, out);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex("ff"
                          "40 01 01 00"
                          "40 02 06 02 01 0000fde8"
                          // RFC 6396 §4.3.4: next hop length and next hop.
                          "80 0e 11 10 20010db8000000000000000000000001"
                          "c0 08 04 fde80001")));
}

TEST(MrtWriteTest, RibAttributesKeepsExtendedLength) {
  // An MP_REACH_NLRI with the Extended Length bit: the bit and the
  // 2-octet length stay. IPv6 next hop with link-local (32 octets).
  std::string nh =
      "20010db8000000000000000000000001"
      "fe800000000000000000000000000001";
  const std::vector<uint8_t> attrs = FromHex(absl::StrCat(
      "90 0e 002a 0002 01 20", nh, "00 20 20010db8", "40 01 01 02"));
  std::vector<uint8_t> out;
  RibAttributes(attrs, out);
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex(absl::StrCat("90 0e 0021 20", nh, "40 01 01 02"))));
  // A list cut short stops the copy at the last whole attribute.
  std::vector<uint8_t> cut;
  RibAttributes(FromHex("40 01 01 00 40 02 06 02"), cut);
  EXPECT_EQ(ToHex(cut), "40010100");
}

// --- What bgpdump reads ----------------------------------------------------

constexpr char kBgpdump[] = "/usr/bin/bgpdump";

// Writes `bytes` to a file in the test's temp dir and returns bgpdump -m's
// lines for it.
std::vector<std::string> Bgpdump(const std::vector<uint8_t>& bytes,
                                 absl::string_view name) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/mrt_write_", ::getpid(), "_", name);
  {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  }
  std::vector<std::string> lines;
  const std::string cmd =
      absl::StrCat(kBgpdump, " -m '", path, "' 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  if (p == nullptr) return lines;
  std::string cur;
  for (int c = fgetc(p); c != EOF; c = fgetc(p)) {
    if (c == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(c));
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  EXPECT_EQ(pclose(p), 0) << cmd;
  std::remove(path.c_str());
  return lines;
}

class MrtBgpdumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kBgpdump, X_OK) != 0) GTEST_SKIP() << kBgpdump << " missing";
  }
};

TEST_F(MrtBgpdumpTest, Bgp4mpMessagesAndStateChanges) {
  std::vector<uint8_t> file;
  Writer w(file);
  StateChange s;
  s.peer_as = 65000;
  s.local_as = 65001;
  s.peer_address = Ip("10.0.0.1");
  s.local_address = Ip("10.0.0.2");
  s.old_state = 1;
  s.new_state = 2;
  w.StateChange(kTime, s);
  s.old_state = 5;
  s.new_state = 6;
  w.StateChange(kTime + absl::Microseconds(1), s);

  const std::vector<uint8_t> as4 = FromHex(kUpdateAs4);
  w.Bgp4mpMessage(kTime + absl::Seconds(1), V4Message(as4));
  const std::vector<uint8_t> as2 = FromHex(kUpdateAs2);
  Bgp4mpMessage m2 = V4Message(as2);
  m2.four_octet_as = false;
  w.Bgp4mpMessage(kTime + absl::Seconds(2), m2);

  // IPv6 peer, IPv4 route: the AFI follows the peer.
  Bgp4mpMessage m6 = V4Message(as4);
  m6.peer_address = Ip("2001:db8::1");
  m6.local_address = Ip("2001:db8::2");
  w.Bgp4mpMessage(kTime + absl::Seconds(3), m6);

  EXPECT_THAT(
      Bgpdump(file, "bgp4mp.mrt"),
      ElementsAre("BGP4MP_ET|1700000000.123456|STATE|10.0.0.1|65000|1|2",
                  "BGP4MP_ET|1700000000.123457|STATE|10.0.0.1|65000|5|6",
                  "BGP4MP_ET|1700000001.123456|A|10.0.0.1|65000|10.1.0.0/16|"
                  "65000 4200000000|IGP|10.0.0.1|0|0||NAG||",
                  "BGP4MP_ET|1700000002.123456|A|10.0.0.1|65000|10.1.0.0/16|"
                  "65000 23456|IGP|10.0.0.1|0|0||NAG||",
                  "BGP4MP_ET|1700000003.123456|A|2001:db8::1|65000|10.1.0.0/16|"
                  "65000 4200000000|IGP|10.0.0.1|0|0||NAG||"));
}

TEST_F(MrtBgpdumpTest, Bgp4mpAddPath) {
  std::vector<uint8_t> file;
  const std::vector<uint8_t> ap = FromHex(kUpdateAddPath);
  Bgp4mpMessage m = V4Message(ap);
  m.add_path = true;
  Writer(file).Bgp4mpMessage(kTime, m);
  EXPECT_THAT(Bgpdump(file, "addpath.mrt"),
              ElementsAre("BGP4MP_ET_AP|1700000000.123456|A|10.0.0.1|65000|"
                          "10.2.0.0/16|7|65000 4200000000|IGP|10.0.0.1|0|0||"
                          "NAG||"));
}

TEST_F(MrtBgpdumpTest, TableDumpV2) {
  std::vector<uint8_t> file;
  Writer w(file);
  PeerIndexTable t;
  t.collector_bgp_id = 0x0a0000fe;
  Peer p4;
  p4.bgp_id = 0x0a000001;
  p4.address = Ip("10.0.0.1");
  p4.as = 65000;
  t.peers.push_back(p4);
  Peer p6;
  p6.bgp_id = 0x0a000002;
  p6.address = Ip("2001:db8::2");
  p6.as = 4200000000;
  t.peers.push_back(p6);
  w.PeerIndex(kTime, t);

  // IPv4: ORIGIN, AS_PATH 65000 4200000000 (4-octet in RIB entries,
  // RFC 6396 §4.3.4), NEXT_HOP.
  const std::vector<uint8_t> v4 =
      FromHex("40 01 01 00 40 02 0a 02 02 0000fde8 fa56ea00 40 03 04 0a000001");
  std::vector<RibEntry> e4;
  e4.push_back(Entry(0, 1600000000, v4));
  const std::vector<uint8_t> n4 = FromHex("10 0a01");
  w.Rib(kTime, 0, Family(Afi::kIpv4, Safi::kUnicast), n4, false, e4);

  // IPv6 from a live UPDATE's attribute list through RibAttributes.
  const std::vector<uint8_t> live = FromHex(
      "40 01 01 00 40 02 06 02 01 fa56ea00"
      "80 0e 1a 0002 01 10 20010db8000000000000000000000002 00 20 20010db8");
  std::vector<uint8_t> v6;
  RibAttributes(live, v6);
  std::vector<RibEntry> e6;
  e6.push_back(Entry(1, 1600000001, v6));
  const std::vector<uint8_t> n6 = FromHex("20 20010db8");
  w.Rib(kTime, 1, Family(Afi::kIpv6, Safi::kUnicast), n6, false, e6);

  // ADD-PATH: path id 9.
  e4.back().path_id = 9;
  const std::vector<uint8_t> n4b = FromHex("18 0a0203");
  w.Rib(kTime, 2, Family(Afi::kIpv4, Safi::kUnicast), n4b, true, e4);

  EXPECT_THAT(
      Bgpdump(file, "rib.mrt"),
      ElementsAre("TABLE_DUMP2|1700000000|B|10.0.0.1|65000|10.1.0.0/16|"
                  "65000 4200000000|IGP|10.0.0.1|0|0||NAG||",
                  "TABLE_DUMP2|1700000000|B|2001:db8::2|4200000000|"
                  "2001:db8::/32|4200000000|IGP|2001:db8::2|0|0||NAG||",
                  "TABLE_DUMP2_AP|1700000000|B|10.0.0.1|65000|10.2.3.0/24|9|"
                  "65000 4200000000|IGP|10.0.0.1|0|0||NAG||"));
}

}  // namespace
}  // namespace bgpy::mrt
