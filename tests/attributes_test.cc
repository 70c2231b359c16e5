// Copyright 2026 The bgpy Authors.
//
// Tests for attribute framing, the attribute table, per-attribute values and
// the typed PathAttributes bundle.
#include "bgpy/attributes.h"

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"
#include "testlib/json.h"

namespace bgpy {

// Readable failures: the attributes as the text of each encoded attribute.
void PrintTo(const PathAttributes& a, std::ostream* os) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    EncodePathAttributes(a, SessionParams{}, w);
  }
  for (AttributeIterator it(out), end; it != end; ++it) {
    *os << "\n  " << AttributeName(it->code) << " flags "
        << static_cast<int>(it->flags) << ": "
        << FormatAttributeValue(it->code, it->value, SessionParams{});
  }
}

namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;
using ::testing::HasSubstr;

SessionParams FourOctet() { return SessionParams{}; }
SessionParams TwoOctet() {
  SessionParams p;
  p.four_octet_as = false;
  return p;
}

// Expects `st` to carry NOTIFICATION 3/`sub`.
void ExpectUpdateError(const absl::Status& st, UpdateSubcode sub) {
  ASSERT_FALSE(st.ok());
  auto n = GetNotification(st);
  ASSERT_TRUE(n.has_value()) << st;
  EXPECT_EQ(n->code, 3) << st;
  EXPECT_EQ(n->subcode, static_cast<uint8_t>(sub)) << st;
}

// --- Framing -----------------------------------------------------------------

TEST(ReadAttributeTest, GoldenOrigin) {
  std::vector<uint8_t> b = FromHex(
      "40"    // flags: well-known transitive
      "01"    // ORIGIN
      "01"    // length 1
      "02");  // INCOMPLETE
  wire::Reader r(b);
  AttributeView v;
  ASSERT_TRUE(ReadAttribute(r, v).ok());
  EXPECT_EQ(v.flags, 0x40);
  EXPECT_EQ(v.code, 1);
  EXPECT_EQ(ToHex(v.value), "02");
  EXPECT_EQ(ToHex(v.raw), "40010102");
  EXPECT_TRUE(r.empty());
}

TEST(ReadAttributeTest, GoldenExtendedLength) {
  std::vector<uint8_t> b = FromHex(
      "50"             // flags: transitive + Extended-Length
      "02"             // AS_PATH
      "0005"           // 2-octet length 5
      "0201 0000fd");  // 5 value bytes (framing does not look inside)
  wire::Reader r(b);
  AttributeView v;
  ASSERT_TRUE(ReadAttribute(r, v).ok());
  EXPECT_EQ(v.flags, 0x50);
  EXPECT_EQ(v.value.size(), 5u);
  // Extended-Length is honoured as found: same bytes back.
  PathAttribute a = PathAttribute::FromView(v);
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodeAttribute(a, w));
  }
  EXPECT_EQ(ToHex(out), ToHex(b));
  EXPECT_EQ(AttributeEncodedSize(a), b.size());
}

TEST(ReadAttributeTest, TruncationAtEveryByteIsMalformedAttributeList) {
  for (const char* hex :
       {"40010100", "5002000602010000fde8", "c0080cfde80001ffffff01ffff029a"}) {
    std::vector<uint8_t> b = FromHex(hex);
    for (size_t n = 0; n < b.size(); ++n) {
      SCOPED_TRACE(absl::StrCat(hex, " cut at ", n));
      wire::Reader r(wire::Bytes(b.data(), n));
      AttributeView v;
      absl::Status st = ReadAttribute(r, v);
      ExpectUpdateError(st, UpdateSubcode::kMalformedAttributeList);
      EXPECT_EQ(r.offset(), 0u) << "reader moved on failure";
    }
  }
}

TEST(ReadAttributeTest, OverrunNamesTheAttribute) {
  std::vector<uint8_t> b = FromHex("400203 0201");  // AS_PATH length 3, 2 left
  wire::Reader r(b);
  AttributeView v;
  absl::Status st = ReadAttribute(r, v);
  ExpectUpdateError(st, UpdateSubcode::kMalformedAttributeList);
  EXPECT_THAT(std::string(st.message()), HasSubstr("AS_PATH"));
}

TEST(AttributeIteratorTest, WalksAllThenStops) {
  std::vector<uint8_t> b = FromHex(
      "400101 00"        // ORIGIN IGP
      "400200"           // AS_PATH empty
      "400304 c0000201"  // NEXT_HOP 192.0.2.1
      "d0 63 0001 aa");  // unknown 99, ext length, 1 byte
  std::vector<std::pair<int, std::string>> seen;
  for (AttributeIterator it(b), end; it != end; ++it) {
    seen.emplace_back(it->code, ToHex(it->value));
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int, std::string>>{
                      {1, "00"}, {2, ""}, {3, "c0000201"}, {99, "aa"}}));
  // A truncated tail ends the walk without a crash.
  std::vector<uint8_t> cut(b.begin(), b.end() - 1);
  int count = 0;
  for (AttributeIterator it(cut), end; it != end; ++it) ++count;
  EXPECT_EQ(count, 3);
  EXPECT_TRUE(AttributeIterator(wire::Bytes()) == AttributeIterator());
}

TEST(EncodeAttributeTest, LongValueGetsExtendedLength) {
  std::vector<uint8_t> value(300, 0xab);
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodeAttribute(0xc0, 8, value, w));
  }
  ASSERT_EQ(out.size(), 304u);
  EXPECT_EQ(ToHex(wire::Bytes(out.data(), 4)), "d008012c");
  PathAttribute a{0xc0, 8, value};
  EXPECT_EQ(AttributeEncodedSize(a), 304u);
  // Short value, no flag: 1-octet length.
  PathAttribute s{0x40, 1, {0}};
  EXPECT_EQ(AttributeEncodedSize(s), 4u);
}

TEST(EncodeAttributeTest, FullWriterFails) {
  uint8_t buf[3];
  wire::Writer w(absl::MakeSpan(buf));
  PathAttribute a{0x40, 1, {0}};
  EXPECT_FALSE(EncodeAttribute(a, w));
  std::vector<uint8_t> huge(70000);
  std::vector<uint8_t> out;
  wire::Writer w2(&out);
  EXPECT_FALSE(EncodeAttribute(0x80, 99, huge, w2));
}

// --- The table ---------------------------------------------------------------

// One valid value per registered row, with its expected text (empty: only
// non-empty is checked), in 4-octet AS context.
struct Sample {
  AttrCode code;
  const char* value_hex;
  const char* text;
};
const Sample kSamples[] = {
    {AttrCode::kOrigin, "00", "IGP"},
    {AttrCode::kAsPath,
     "02 02 0000fde8 0000fde9"   // AS_SEQUENCE 65000 65001
     "01 02 00000003 00000004",  // AS_SET {3 4}
     "65000 65001 {3 4}"},
    {AttrCode::kNextHop, "c0000201", "192.0.2.1"},
    {AttrCode::kMultiExitDisc, "00000064", "100"},
    {AttrCode::kLocalPref, "000000c8", "200"},
    {AttrCode::kAtomicAggregate, "", "present"},
    {AttrCode::kAggregator, "0000fde8 c0000201", "AS 65000, 192.0.2.1"},
    {AttrCode::kCommunities, "fde80001 ffffff01", "65000:1 no-export"},
    {AttrCode::kOriginatorId, "0a000001", "10.0.0.1"},
    {AttrCode::kClusterList, "0a000001 0a000002", "10.0.0.1 10.0.0.2"},
    {AttrCode::kMpReachNlri,
     "0002 01"                              // AFI IPv6, SAFI unicast
     "10 20010db8000000000000000000000001"  // next hop length 16, 2001:db8::1
     "00"                                   // reserved
     "20 20010db8",                         // 2001:db8::/32
     "ipv6-unicast (afi 2, safi 1), next hop 2001:db8::1"},
    {AttrCode::kMpUnreachNlri, "0002 01 20 20010db8",
     "ipv6-unicast (afi 2, safi 1)"},
    {AttrCode::kExtendedCommunities, "0002fde800000001", "rt:65000:1"},
    {AttrCode::kAs4Path, "02 01 fa56ea00", "4200000000"},
    {AttrCode::kAs4Aggregator, "fa56ea00 c0000201", "AS 4200000000, 192.0.2.1"},
    {AttrCode::kPmsiTunnel, "00 06 000640 c0000201",
     "ingress-replication label 100 endpoint 192.0.2.1"},
    {AttrCode::kTunnelEncapsulation, "00080000", "00080000"},
    {AttrCode::kIpv6ExtendedCommunities,
     "0002 20010db8000000000000000000000001 0064", "rt:2001:db8::1:100"},
    {AttrCode::kAigp, "01 000b 0000000000000064", "metric 100"},
    {AttrCode::kLargeCommunities, "0000fde8 00000001 00000002", "65000:1:2"},
    {AttrCode::kBgpsecPath, "0000", "0000"},
    {AttrCode::kOtc, "0000fde8", "65000"},
    {AttrCode::kPrefixSid, "01 0007 00 0000 0000001e", "label-index 30"},
    {AttrCode::kAttrSet, "0000fde8", "0000fde8"},
};

TEST(RegistryTest, EveryRowIsWellFormedAndFormatsItsSample) {
  std::set<uint8_t> codes;
  uint8_t prev = 0;
  SessionParams params = FourOctet();
  AttrContext ctx{&params};
  for (const AttributeDesc* d : RegisteredAttributes()) {
    SCOPED_TRACE(absl::StrCat("code ", d->code));
    ASSERT_NE(d, nullptr);
    EXPECT_NE(std::string(d->name), "");
    EXPECT_TRUE(codes.insert(d->code).second) << "duplicate row";
    EXPECT_GT(d->code, prev) << "registry.inc is in code order";
    prev = d->code;
    EXPECT_EQ(LookupAttribute(d->code), d);
    EXPECT_EQ(AttributeName(d->code), d->name);
    EXPECT_EQ(d->flags & ~(kAttrOptional | kAttrTransitive), 0);
    const Sample* sample = nullptr;
    for (const Sample& s : kSamples) {
      if (static_cast<uint8_t>(s.code) == d->code) sample = &s;
    }
    ASSERT_NE(sample, nullptr) << d->name << " has no sample";
    std::vector<uint8_t> v = FromHex(sample->value_hex);
    if (d->validate != nullptr) {
      EXPECT_TRUE(d->validate(v, ctx).ok()) << d->validate(v, ctx);
    }
    std::string text = FormatAttributeValue(d->code, v, params);
    EXPECT_NE(text, "") << d->name;
    if (*sample->text != '\0') {
      EXPECT_EQ(text, sample->text) << d->name;
    }
  }
  EXPECT_EQ(codes.size(), sizeof(kSamples) / sizeof(kSamples[0]));
}

// Every row carries every hook (the generic loops and bgpy::format call them
// unguarded), and each typed row round-trips its sample: decode into
// PathAttributes, encode back to the attribute with its canonical flags,
// and renders non-empty text and valid JSON.
TEST(RegistryTest, EveryRowHasEveryHookAndTypedRowsRoundTrip) {
  SessionParams params = FourOctet();
  AttrContext ctx{&params};
  std::set<std::string> keys;
  for (const AttributeDesc* d : RegisteredAttributes()) {
    ASSERT_NE(d, nullptr);
    SCOPED_TRACE(absl::StrCat("code ", d->code));
    ASSERT_NE(d->name, nullptr);
    ASSERT_NE(d->json_key, nullptr);
    EXPECT_NE(std::string(d->name), "");
    EXPECT_NE(std::string(d->json_key), "");
    EXPECT_TRUE(keys.insert(d->json_key).second) << "duplicate JSON key";
    EXPECT_STREQ(AttributeJsonKey(d->code), d->json_key);
    ASSERT_NE(d->validate, nullptr) << d->name;
    ASSERT_NE(d->decode, nullptr) << d->name;
    ASSERT_NE(d->encode, nullptr) << d->name;
    ASSERT_NE(d->text, nullptr) << d->name;
    ASSERT_NE(d->json, nullptr) << d->name;

    const Sample* sample = nullptr;
    for (const Sample& s : kSamples) {
      if (static_cast<uint8_t>(s.code) == d->code) sample = &s;
    }
    ASSERT_NE(sample, nullptr) << d->name << " has no sample";
    std::vector<uint8_t> v = FromHex(sample->value_hex);
    ASSERT_TRUE(d->validate(v, ctx).ok()) << d->name;

    std::string text;
    d->text(v, ctx, text);
    EXPECT_NE(text, "") << d->name;
    std::string json;
    JsonWriter j(&json);
    d->json(v, ctx, j);
    EXPECT_EQ(j.depth(), 0u) << d->name << ": " << json;
    EXPECT_TRUE(::bgpy::testing::ParseJson(json).ok())
        << d->name << ": " << json;

    PathAttributes a;
    const bool typed = d->decode(v, ctx, a);
    EXPECT_FALSE(d->decode(v, ctx, a)) << d->name << " decoded twice";
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      ASSERT_TRUE(d->encode(a, ctx, w)) << d->name;
    }
    if (!typed) {  // untyped, MP_REACH/MP_UNREACH: kept elsewhere
      EXPECT_TRUE(out.empty()) << d->name;
      continue;
    }
    std::vector<uint8_t> want;
    {
      wire::Writer w(&want);
      ASSERT_TRUE(EncodeAttribute(d->flags, d->code, v, w));
    }
    EXPECT_EQ(ToHex(out), ToHex(want)) << d->name;
    // And the generic loops agree.
    EXPECT_EQ(DecodePathAttributes(want, params), a) << d->name;
  }
  EXPECT_STREQ(AttributeJsonKey(99), "");
}

// The JSON of each sample: the forms examples/common/render.cc wrote.
TEST(RegistryTest, JsonOfTheSamples) {
  const std::pair<AttrCode, const char*> want[] = {
      {AttrCode::kOrigin, R"("IGP")"},
      {AttrCode::kAsPath, R"([{"type":"AS_SEQUENCE","asns":[65000,65001]},)"
                          R"({"type":"AS_SET","asns":[3,4]}])"},
      {AttrCode::kNextHop, R"("192.0.2.1")"},
      {AttrCode::kMultiExitDisc, "100"},
      {AttrCode::kLocalPref, "200"},
      {AttrCode::kAtomicAggregate, "true"},
      {AttrCode::kAggregator, R"({"asn":65000,"address":"192.0.2.1"})"},
      {AttrCode::kCommunities, R"(["65000:1","65535:65281"])"},
      {AttrCode::kOriginatorId, R"("10.0.0.1")"},
      {AttrCode::kClusterList, R"(["10.0.0.1","10.0.0.2"])"},
      {AttrCode::kMpReachNlri, R"({"family":"ipv6-unicast","afi":2,"safi":1,)"
                               R"("next_hop":"2001:db8::1"})"},
      {AttrCode::kMpUnreachNlri,
       R"({"family":"ipv6-unicast","afi":2,"safi":1})"},
      {AttrCode::kExtendedCommunities, R"(["rt:65000:1"])"},
      {AttrCode::kAs4Path, R"([{"type":"AS_SEQUENCE","asns":[4200000000]}])"},
      {AttrCode::kAs4Aggregator, R"({"asn":4200000000,"address":"192.0.2.1"})"},
      {AttrCode::kTunnelEncapsulation, R"({"hex":"00080000"})"},
      {AttrCode::kIpv6ExtendedCommunities, R"(["rt:2001:db8::1:100"])"},
      {AttrCode::kAigp, "100"},
      {AttrCode::kLargeCommunities, R"(["65000:1:2"])"},
      {AttrCode::kBgpsecPath, R"({"hex":"0000"})"},
      {AttrCode::kOtc, "65000"},
      {AttrCode::kAttrSet, R"({"hex":"0000fde8"})"},
  };
  SessionParams params = FourOctet();
  for (const auto& [code, json] : want) {
    const AttributeDesc* d = LookupAttribute(static_cast<uint8_t>(code));
    ASSERT_NE(d, nullptr);
    const Sample* sample = nullptr;
    for (const Sample& s : kSamples) {
      if (s.code == code) sample = &s;
    }
    ASSERT_NE(sample, nullptr);
    std::string out;
    JsonWriter j(&out);
    d->json(FromHex(sample->value_hex), AttrContext{&params}, j);
    EXPECT_EQ(out, json) << d->name;
  }
  // An empty AS_PATH (iBGP) reads "(empty)".
  std::string text;
  LookupAttribute(2)->text({}, AttrContext{&params}, text);
  EXPECT_EQ(text, "(empty)");
}

TEST(RegistryTest, NamesFlagsAndVerdicts) {
  struct Row {
    AttrCode code;
    const char* name;
    uint8_t flags;
    Verdict verdict;
  };
  const uint8_t kWk = kAttrTransitive, kOt = kAttrOptional | kAttrTransitive,
                kOn = kAttrOptional;
  const Row rows[] = {
      {AttrCode::kOrigin, "ORIGIN", kWk, Verdict::kTreatAsWithdraw},
      {AttrCode::kAsPath, "AS_PATH", kWk, Verdict::kTreatAsWithdraw},
      {AttrCode::kNextHop, "NEXT_HOP", kWk, Verdict::kTreatAsWithdraw},
      {AttrCode::kMultiExitDisc, "MULTI_EXIT_DISC", kOn,
       Verdict::kTreatAsWithdraw},
      {AttrCode::kLocalPref, "LOCAL_PREF", kWk, Verdict::kTreatAsWithdraw},
      {AttrCode::kAtomicAggregate, "ATOMIC_AGGREGATE", kWk,
       Verdict::kAttributeDiscard},
      {AttrCode::kAggregator, "AGGREGATOR", kOt, Verdict::kAttributeDiscard},
      {AttrCode::kCommunities, "COMMUNITIES", kOt, Verdict::kTreatAsWithdraw},
      {AttrCode::kOriginatorId, "ORIGINATOR_ID", kOn,
       Verdict::kTreatAsWithdraw},
      {AttrCode::kClusterList, "CLUSTER_LIST", kOn, Verdict::kTreatAsWithdraw},
      {AttrCode::kMpReachNlri, "MP_REACH_NLRI", kOn, Verdict::kSessionReset},
      {AttrCode::kMpUnreachNlri, "MP_UNREACH_NLRI", kOn,
       Verdict::kSessionReset},
      {AttrCode::kExtendedCommunities, "EXTENDED_COMMUNITIES", kOt,
       Verdict::kTreatAsWithdraw},
      {AttrCode::kAs4Path, "AS4_PATH", kOt, Verdict::kAttributeDiscard},
      {AttrCode::kAs4Aggregator, "AS4_AGGREGATOR", kOt,
       Verdict::kAttributeDiscard},
      {AttrCode::kIpv6ExtendedCommunities, "IPV6_EXT_COMMUNITIES", kOt,
       Verdict::kTreatAsWithdraw},
      {AttrCode::kAigp, "AIGP", kOn, Verdict::kAttributeDiscard},
      {AttrCode::kLargeCommunities, "LARGE_COMMUNITIES", kOt,
       Verdict::kTreatAsWithdraw},
      {AttrCode::kOtc, "OTC", kOt, Verdict::kTreatAsWithdraw},
      {AttrCode::kPmsiTunnel, "PMSI_TUNNEL", kOt, Verdict::kTreatAsWithdraw},
      {AttrCode::kPrefixSid, "PREFIX_SID", kOt, Verdict::kAttributeDiscard},
  };
  for (const Row& row : rows) {
    const AttributeDesc* d = LookupAttribute(static_cast<uint8_t>(row.code));
    ASSERT_NE(d, nullptr) << row.name;
    EXPECT_STREQ(d->name, row.name);
    EXPECT_EQ(d->flags, row.flags) << row.name;
    EXPECT_EQ(d->on_malformed, row.verdict) << row.name;
  }
  EXPECT_EQ(LookupAttribute(99), nullptr);
  EXPECT_EQ(AttributeName(99), "attribute 99");
  EXPECT_EQ(FormatAttributeValue(99, FromHex("abcd"), FourOctet()), "abcd");
  // Malformed values of known attributes are shown as hex.
  EXPECT_EQ(FormatAttributeValue(1, FromHex("07"), FourOctet()), "07");
}

TEST(RegistryTest, AsPathAndAggregatorFollowTheSessionAsSize) {
  std::vector<uint8_t> two = FromHex("02 02 fde8 fde9");
  EXPECT_EQ(FormatAttributeValue(2, two, TwoOctet()), "65000 65001");
  // Read as 4-octet ASNs the same bytes overrun: shown as hex.
  EXPECT_EQ(FormatAttributeValue(2, two, FourOctet()), ToHex(two));
  EXPECT_EQ(FormatAttributeValue(7, FromHex("fde8 c0000201"), TwoOctet()),
            "AS 65000, 192.0.2.1");
}

// --- Malformed values
// ----------------------------------------------------------

struct BadValue {
  AttrCode code;
  bool four_octet;
  const char* value_hex;
  UpdateSubcode subcode;
  const char* message;  // a substring of the Status message
};
const BadValue kBadValues[] = {
    {AttrCode::kOrigin, true, "03", UpdateSubcode::kInvalidOriginAttribute,
     "ORIGIN value 3"},
    {AttrCode::kOrigin, true, "0000", UpdateSubcode::kAttributeLengthError,
     "ORIGIN length 2"},
    {AttrCode::kAsPath, true, "0200", UpdateSubcode::kMalformedAsPath, "empty"},
    {AttrCode::kAsPath, true, "0501 00000001", UpdateSubcode::kMalformedAsPath,
     "type 5"},
    {AttrCode::kAsPath, true, "0202 00000001", UpdateSubcode::kMalformedAsPath,
     "overruns"},
    {AttrCode::kAsPath, false, "0201 00000001", UpdateSubcode::kMalformedAsPath,
     "segment 2"},
    {AttrCode::kNextHop, true, "c000020101",
     UpdateSubcode::kAttributeLengthError, "NEXT_HOP length 5"},
    {AttrCode::kNextHop, true, "00000000",
     UpdateSubcode::kInvalidNextHopAttribute, "0.0.0.0"},
    {AttrCode::kNextHop, true, "e0000001",
     UpdateSubcode::kInvalidNextHopAttribute, "224.0.0.1"},
    {AttrCode::kMultiExitDisc, true, "000064",
     UpdateSubcode::kAttributeLengthError, "MULTI_EXIT_DISC length 3"},
    {AttrCode::kLocalPref, true, "", UpdateSubcode::kAttributeLengthError,
     "LOCAL_PREF length 0"},
    {AttrCode::kAtomicAggregate, true, "00",
     UpdateSubcode::kAttributeLengthError, "ATOMIC_AGGREGATE length 1"},
    {AttrCode::kAggregator, true, "fde8c0000201",
     UpdateSubcode::kAttributeLengthError, "AGGREGATOR length 6"},
    {AttrCode::kAggregator, false, "0000fde8c0000201",
     UpdateSubcode::kAttributeLengthError, "AGGREGATOR length 8"},
    {AttrCode::kCommunities, true, "", UpdateSubcode::kAttributeLengthError,
     "COMMUNITIES length 0"},
    {AttrCode::kCommunities, true, "fde8000100",
     UpdateSubcode::kAttributeLengthError, "COMMUNITIES length 5"},
    {AttrCode::kOriginatorId, true, "0a00",
     UpdateSubcode::kAttributeLengthError, "ORIGINATOR_ID"},
    {AttrCode::kClusterList, true, "0a0000",
     UpdateSubcode::kAttributeLengthError, "CLUSTER_LIST"},
    {AttrCode::kMpReachNlri, true, "000201",
     UpdateSubcode::kOptionalAttributeError, "MP_REACH_NLRI"},
    {AttrCode::kMpReachNlri, true, "00020110 2001",
     UpdateSubcode::kOptionalAttributeError, "next hop length 16"},
    {AttrCode::kMpReachNlri, true, "00010104 0a000001",
     UpdateSubcode::kOptionalAttributeError, "reserved"},
    {AttrCode::kMpUnreachNlri, true, "0002",
     UpdateSubcode::kOptionalAttributeError, "MP_UNREACH_NLRI"},
    {AttrCode::kExtendedCommunities, true, "0002fde8000000",
     UpdateSubcode::kAttributeLengthError, "EXTENDED_COMMUNITIES length 7"},
    {AttrCode::kAs4Path, true, "0201fde8",
     UpdateSubcode::kOptionalAttributeError, "AS4_PATH length 4"},
    {AttrCode::kAs4Path, true, "0200 0201fde8fde9",
     UpdateSubcode::kOptionalAttributeError, "AS4_PATH"},
    {AttrCode::kAs4Aggregator, true, "fde8c0000201",
     UpdateSubcode::kAttributeLengthError, "AS4_AGGREGATOR length 6"},
    {AttrCode::kIpv6ExtendedCommunities, true, "0002",
     UpdateSubcode::kAttributeLengthError, "IPV6_EXT_COMMUNITIES"},
    {AttrCode::kAigp, true, "01000a00000000000000",
     UpdateSubcode::kOptionalAttributeError, "length 10"},
    {AttrCode::kAigp, true, "01000b000000",
     UpdateSubcode::kOptionalAttributeError, "overruns"},
    {AttrCode::kAigp, true, "0200", UpdateSubcode::kOptionalAttributeError,
     "truncated"},
    {AttrCode::kLargeCommunities, true, "0000fde80000000100000002ff",
     UpdateSubcode::kAttributeLengthError, "LARGE_COMMUNITIES length 13"},
    {AttrCode::kOtc, true, "0000fde800", UpdateSubcode::kAttributeLengthError,
     "OTC length 5"},
};

TEST(ValidateTest, MalformedValuesGetTheRfc4271Notification) {
  for (const BadValue& b : kBadValues) {
    const AttributeDesc* d = LookupAttribute(static_cast<uint8_t>(b.code));
    ASSERT_NE(d, nullptr);
    SCOPED_TRACE(absl::StrCat(d->name, " ", b.value_hex));
    SessionParams params = b.four_octet ? FourOctet() : TwoOctet();
    std::vector<uint8_t> v = FromHex(b.value_hex);
    absl::Status st = d->validate(v, AttrContext{&params});
    ExpectUpdateError(st, b.subcode);
    EXPECT_THAT(std::string(st.message()), HasSubstr(b.message));
  }
}

TEST(ValidateTest, ErrorDataIsTheAttribute) {
  // RFC 4271 §6.3: Invalid ORIGIN carries the attribute as data.
  SessionParams params;
  absl::Status st =
      LookupAttribute(1)->validate(FromHex("03"), AttrContext{&params});
  auto n = GetNotification(st);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(ToHex(n->data), "40010103");
  // Malformed AS_PATH carries none.
  st = LookupAttribute(2)->validate(FromHex("0200"), AttrContext{&params});
  n = GetNotification(st);
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->data.empty());
}

TEST(ValidateTest, FixedLengthTruncatedAtEveryByte) {
  SessionParams params;
  AttrContext ctx{&params};
  for (const Sample& s : kSamples) {
    const AttributeDesc* d = LookupAttribute(static_cast<uint8_t>(s.code));
    std::vector<uint8_t> v = FromHex(s.value_hex);
    if (v.empty()) continue;
    for (size_t n = 0; n < v.size(); ++n) {
      SCOPED_TRACE(absl::StrCat(d->name, " cut at ", n));
      absl::Status st = d->validate(wire::Bytes(v.data(), n), ctx);
      switch (s.code) {
        case AttrCode::kAsPath:  // a cut at a segment boundary is a path
          if (n == 0 || n == 10) {
            EXPECT_TRUE(st.ok());
          } else {
            ExpectUpdateError(st, UpdateSubcode::kMalformedAsPath);
          }
          break;
        case AttrCode::kMpReachNlri:
          if (n >= 21) {  // inside the NLRI: framing is intact
            EXPECT_TRUE(st.ok());
          } else {
            ExpectUpdateError(st, UpdateSubcode::kOptionalAttributeError);
          }
          break;
        case AttrCode::kMpUnreachNlri:
          if (n >= 3) {
            EXPECT_TRUE(st.ok());
          } else {
            ExpectUpdateError(st, UpdateSubcode::kOptionalAttributeError);
          }
          break;
        case AttrCode::kAigp:  // no TLV at all is an empty AIGP
          if (n == 0) {
            EXPECT_TRUE(st.ok());
          } else {
            ExpectUpdateError(st, UpdateSubcode::kOptionalAttributeError);
          }
          break;
        case AttrCode::kAs4Path:
          ExpectUpdateError(st, UpdateSubcode::kOptionalAttributeError);
          break;
        case AttrCode::kPmsiTunnel:  // 5 fixed octets, then the endpoint
          ExpectUpdateError(st, UpdateSubcode::kOptionalAttributeError);
          break;
        case AttrCode::kPrefixSid:  // RFC 8669 §6: a cut TLV; none is empty
          if (n == 0) {
            EXPECT_TRUE(st.ok()) << st;
          } else {
            ExpectUpdateError(st, UpdateSubcode::kOptionalAttributeError);
          }
          break;
        case AttrCode::kTunnelEncapsulation:  // untyped: any value
        case AttrCode::kBgpsecPath:
        case AttrCode::kAttrSet:
          EXPECT_TRUE(st.ok());
          break;
        case AttrCode::kClusterList:
        case AttrCode::kCommunities:
          if (n == 4) {
            EXPECT_TRUE(st.ok());
          } else {
            ExpectUpdateError(st, UpdateSubcode::kAttributeLengthError);
          }
          break;
        default:
          ExpectUpdateError(st, UpdateSubcode::kAttributeLengthError);
      }
    }
  }
}

// --- MP_REACH / MP_UNREACH
// ----------------------------------------------------

TEST(MpReachTest, GoldenFraming) {
  std::vector<uint8_t> b = FromHex(
      "0002"                              // AFI IPv6
      "01"                                // SAFI unicast
      "20"                                // next hop length 32
      "20010db8000000000000000000000001"  // global 2001:db8::1
      "fe800000000000000000000000000001"  // link-local fe80::1
      "00"                                // reserved
      "30 20010db80001");                 // 2001:db8:1::/48
  auto mp = DecodeMpReach(b);
  ASSERT_TRUE(mp.ok()) << mp.status();
  EXPECT_EQ(mp->family, kIpv6Unicast);
  EXPECT_EQ(mp->next_hop.size(), 32u);
  EXPECT_EQ(mp->reserved, 0);
  EXPECT_EQ(ToHex(mp->nlri), "3020010db80001");
  auto nh = DecodeMpNextHop(mp->next_hop);
  ASSERT_TRUE(nh.ok());
  EXPECT_EQ(nh->ToString(), "2001:db8::1 fe80::1");
  EXPECT_FALSE(nh->rd.has_value());

  std::vector<uint8_t> unreach = FromHex("0001 01 18 0a0000");
  auto un = DecodeMpUnreach(unreach);
  ASSERT_TRUE(un.ok());
  EXPECT_EQ(un->family, kIpv4Unicast);
  EXPECT_EQ(ToHex(un->withdrawn), "180a0000");
}

TEST(MpReachTest, NextHopForms) {
  struct Case {
    const char* hex;
    const char* text;
    bool rd;
    bool ll;
  };
  const Case cases[] = {
      {"c0000201", "192.0.2.1", false, false},
      {"20010db8000000000000000000000001", "2001:db8::1", false, false},
      {"0000000000000000 c0000201", "0:0 192.0.2.1", true, false},
      {"0000000000000000 20010db8000000000000000000000001", "0:0 2001:db8::1",
       true, false},
      {"0000000000000000 20010db8000000000000000000000001"
       "0000000000000000 fe800000000000000000000000000001",
       "0:0 2001:db8::1 fe80::1", true, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    auto nh = DecodeMpNextHop(FromHex(c.hex));
    ASSERT_TRUE(nh.ok()) << nh.status();
    EXPECT_EQ(nh->ToString(), c.text);
    EXPECT_EQ(nh->rd.has_value(), c.rd);
    EXPECT_EQ(nh->link_local.has_value(), c.ll);
  }
  for (size_t len : {0, 1, 5, 8, 15, 17, 31, 33, 47, 49}) {
    std::vector<uint8_t> v(len);
    ExpectUpdateError(DecodeMpNextHop(v).status(),
                      UpdateSubcode::kOptionalAttributeError);
  }
}

// --- PathAttributes ----------------------------------------------------------

TEST(PathAttributesTest, GoldenEncodeInCodeOrderWithCanonicalFlags) {
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{{{AsSegmentType::kSequence, {65000, 65001}}}};
  a.next_hop = IpAddress::V4(0xc0000201);
  a.med = 100;
  a.communities = {0xfde80001};
  a.large_communities = {{65000, 1, 2}};
  a.others.push_back(PathAttribute{0xc0, 99, {0xaa}});  // unknown, kept
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodePathAttributes(a, FourOctet(), w));
  }
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex("40 01 01 00"                          // ORIGIN IGP
                          "40 02 0a 02 02 0000fde8 0000fde9"     // AS_PATH
                          "40 03 04 c0000201"                    // NEXT_HOP
                          "80 04 04 00000064"                    // MED 100
                          "c0 08 04 fde80001"                    // COMMUNITIES
                          "c0 20 0c 0000fde8 00000001 00000002"  // LARGE
                          "c0 63 01 aa")));                      // unknown 99
  EXPECT_EQ(DecodePathAttributes(out, FourOctet()), a);
}

TEST(PathAttributesTest, TwoOctetSessionAddsAs4PathAndAs4Aggregator) {
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{{{AsSegmentType::kSequence, {65000, 4200000000u}}}};
  a.aggregator = Aggregator{4200000000u, 0xc0000201};
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodePathAttributes(a, TwoOctet(), w));
  }
  // RFC 6793 §4.2.2.
  EXPECT_EQ(ToHex(out),
            ToHex(FromHex("40 01 01 00"               // ORIGIN
                          "40 02 06 02 02 fde8 5ba0"  // AS_PATH, AS_TRANS
                          "c0 07 06 5ba0 c0000201"    // AGGREGATOR
                          "c0 11 0a 02 02 0000fde8 fa56ea00"  // AS4_PATH
                          "c0 12 08 fa56ea00 c0000201")));    // AS4_AGGREGATOR
  PathAttributes d = DecodePathAttributes(out, TwoOctet());
  ASSERT_TRUE(d.as_path && d.as4_path);
  EXPECT_EQ(MergeAs4Path(*d.as_path, *d.as4_path), *a.as_path);
  EXPECT_EQ(d.as4_aggregator->asn, 4200000000u);
  // Re-encoding what was decoded gives the same bytes.
  std::vector<uint8_t> again;
  {
    wire::Writer w(&again);
    ASSERT_TRUE(EncodePathAttributes(d, TwoOctet(), w));
  }
  EXPECT_EQ(ToHex(again), ToHex(out));
}

TEST(PathAttributesTest, MalformedAndDuplicateGoToOthers) {
  std::vector<uint8_t> b = FromHex(
      "40 01 01 07"        // ORIGIN 7: malformed
      "80 04 04 00000001"  // MED 1
      "80 04 04 00000002"  // MED again
      "80 0e 03 000201"    // MP_REACH (skipped)
      "c0 08 00");         // empty COMMUNITIES: malformed
  PathAttributes a = DecodePathAttributes(b, FourOctet());
  EXPECT_FALSE(a.origin.has_value());
  EXPECT_EQ(a.med, 1u);
  ASSERT_EQ(a.others.size(), 3u);
  EXPECT_EQ(a.others[0], (PathAttribute{0x40, 1, {7}}));
  EXPECT_EQ(a.others[1], (PathAttribute{0x80, 4, {0, 0, 0, 2}}));
  EXPECT_EQ(a.others[2], (PathAttribute{0xc0, 8, {}}));
}

TEST(PathAttributesTest, OthersKeepTheirExtendedLengthFlag) {
  std::vector<uint8_t> b = FromHex("d0 63 0002 abcd");
  PathAttributes a = DecodePathAttributes(b, FourOctet());
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodePathAttributes(a, FourOctet(), w));
  }
  EXPECT_EQ(ToHex(out), ToHex(b));
}

// Random typed values.
class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  uint32_t U32() { return static_cast<uint32_t>(rng_()); }
  uint32_t Below(uint32_t n) { return U32() % n; }
  bool Coin() { return Below(2) == 0; }
  uint32_t Asn(bool two_octet) {
    return two_octet ? Below(65536) : (Coin() ? Below(65536) : U32());
  }
  AsPath Path(bool four_octet, int min_segments = 0) {
    AsPath p;
    int segments = min_segments + static_cast<int>(Below(4));
    for (int i = 0; i < segments; ++i) {
      AsPathSegment s;
      s.type = static_cast<AsSegmentType>(1 + Below(4));
      int n = 1 + static_cast<int>(Below(Coin() ? 5 : 255));
      for (int k = 0; k < n; ++k) s.asns.push_back(Asn(!four_octet));
      p.segments.push_back(std::move(s));
    }
    return p;
  }
  PathAttributes Attrs(bool four_octet) {
    PathAttributes a;
    if (Coin()) a.origin = static_cast<Origin>(Below(3));
    if (Coin()) a.as_path = Path(four_octet);
    if (Coin()) a.next_hop = IpAddress::V4(0x0a000000 | Below(1 << 24));
    if (Coin()) a.med = U32();
    if (Coin()) a.local_pref = U32();
    a.atomic_aggregate = Coin();
    if (Coin()) a.aggregator = Aggregator{Asn(!four_octet), U32()};
    for (uint32_t n = Below(80); n > 0; --n) a.communities.push_back(U32());
    if (Coin()) a.originator_id = U32();
    for (uint32_t n = Below(4); n > 0; --n) a.cluster_list.push_back(U32());
    for (uint32_t n = Below(40); n > 0; --n) {
      ExtendedCommunity e;
      for (auto& x : e.bytes) x = static_cast<uint8_t>(U32());
      a.ext_communities.push_back(e);
    }
    if (Coin()) a.as4_path = Path(true, 1);  // RFC 6793 §6: >= 1 ASN
    if (Coin()) a.as4_aggregator = Aggregator{U32(), U32()};
    for (uint32_t n = Below(3); n > 0; --n) {
      Ipv6ExtendedCommunity e;
      for (auto& x : e.bytes) x = static_cast<uint8_t>(U32());
      a.ipv6_ext_communities.push_back(e);
    }
    if (Coin()) a.aigp = Aigp::FromMetric(uint64_t{U32()} << 32 | U32());
    for (uint32_t n = Below(30); n > 0; --n) {
      a.large_communities.push_back({U32(), U32(), U32()});
    }
    if (Coin()) a.otc = U32();
    for (uint32_t n = Below(3); n > 0; --n) {
      PathAttribute o;
      o.code = static_cast<uint8_t>(200 + Below(50));  // unregistered codes
      o.flags = kAttrOptional | (Coin() ? kAttrTransitive : 0) |
                (Coin() ? kAttrPartial : 0) |
                (Coin() ? kAttrExtendedLength : 0);
      o.value.resize(Below(300));
      for (auto& x : o.value) x = static_cast<uint8_t>(U32());
      // What a decoder sees: a long value always has Extended-Length.
      if (o.value.size() > 255) o.flags |= kAttrExtendedLength;
      a.others.push_back(std::move(o));
    }
    // Decoding returns unknowns in code order (they are written sorted).
    std::stable_sort(a.others.begin(), a.others.end(),
                     [](const PathAttribute& x, const PathAttribute& y) {
                       return x.code < y.code;
                     });
    return a;
  }

 private:
  std::mt19937 rng_;
};

TEST(PathAttributesTest, RandomRoundTrip) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Gen g(seed);
    bool four = seed % 2 == 0;
    SessionParams params = four ? FourOctet() : TwoOctet();
    PathAttributes a = g.Attrs(four);
    // On a 2-octet session with no explicit AS4 attributes, large ASNs are
    // carried by the ones the encoder adds.
    if (!four) {
      a.as4_path.reset();
      a.as4_aggregator.reset();
    }
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      ASSERT_TRUE(EncodePathAttributes(a, params, w));
    }
    PathAttributes d = DecodePathAttributes(out, params);
    if (four) {
      EXPECT_EQ(d, a);
    } else {
      // Compare without the added AS4 attributes.
      PathAttributes expect = a;
      expect.as4_path = d.as4_path;
      expect.as4_aggregator = d.as4_aggregator;
      if (d.as_path && d.as4_path) {
        EXPECT_EQ(MergeAs4Path(*d.as_path, *d.as4_path).Length(),
                  a.as_path->Length());
      }
      expect.as_path = d.as_path;  // AS_TRANS in place of large ASNs
      if (d.aggregator && d.as4_aggregator) {
        EXPECT_EQ(d.as4_aggregator->asn, a.aggregator->asn);
      }
      expect.aggregator = d.aggregator;
      EXPECT_EQ(d, expect);
    }
    // Every attribute the encoder wrote passes its row's check.
    for (AttributeIterator it(out), end; it != end; ++it) {
      const AttributeDesc* desc = LookupAttribute(it->code);
      if (desc == nullptr || desc->validate == nullptr) continue;
      EXPECT_TRUE(desc->validate(it->value, AttrContext{&params}).ok())
          << desc->name;
      EXPECT_EQ(it->flags & ~kAttrExtendedLength, desc->flags) << desc->name;
      EXPECT_EQ((it->flags & kAttrExtendedLength) != 0, it->value.size() > 255)
          << desc->name;
    }
  }
}

TEST(TypedValuesTest, AggregatorRoundTrip) {
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Gen g(seed);
    for (bool four : {false, true}) {
      Aggregator a{g.Asn(!four), g.U32()};
      std::vector<uint8_t> out;
      {
        wire::Writer w(&out);
        ASSERT_TRUE(EncodeAggregator(a, four, w));
      }
      EXPECT_EQ(out.size(), four ? 8u : 6u);
      auto d = DecodeAggregator(out, four);
      ASSERT_TRUE(d.ok());
      EXPECT_EQ(*d, a);
    }
  }
  ExpectUpdateError(DecodeAggregator(FromHex("0001"), true).status(),
                    UpdateSubcode::kAttributeLengthError);
}

TEST(TypedValuesTest, AigpGoldenAndRoundTrip) {
  std::vector<uint8_t> golden = FromHex(
      "01"                  // type 1: AIGP TLV
      "000b"                // length 11 (includes type and length)
      "0000000000000064");  // metric 100
  auto a = DecodeAigp(golden);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->metric(), 100u);
  EXPECT_EQ(*a, Aigp::FromMetric(100));
  for (size_t n = 1; n < golden.size(); ++n) {
    SCOPED_TRACE(n);
    ExpectUpdateError(DecodeAigp(wire::Bytes(golden.data(), n)).status(),
                      UpdateSubcode::kOptionalAttributeError);
  }
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Gen g(seed);
    Aigp x = Aigp::FromMetric(uint64_t{g.U32()} << 32 | g.U32());
    x.tlvs.push_back(AigpTlv{static_cast<uint8_t>(2 + g.Below(200)),
                             std::vector<uint8_t>(g.Below(20), 7)});
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      ASSERT_TRUE(EncodeAigp(x, w));
    }
    auto d = DecodeAigp(out);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, x);
  }
  EXPECT_FALSE(Aigp{}.metric().has_value());
}

TEST(TypedValuesTest, OriginNamesAndParse) {
  EXPECT_STREQ(OriginName(Origin::kIgp), "IGP");
  EXPECT_STREQ(OriginName(Origin::kEgp), "EGP");
  EXPECT_STREQ(OriginName(Origin::kIncomplete), "INCOMPLETE");
  EXPECT_EQ(*ParseOrigin("igp"), Origin::kIgp);
  EXPECT_EQ(*ParseOrigin("EGP"), Origin::kEgp);
  EXPECT_EQ(*ParseOrigin("incomplete"), Origin::kIncomplete);
  EXPECT_FALSE(ParseOrigin("bgp").ok());
}

}  // namespace
}  // namespace bgpy
