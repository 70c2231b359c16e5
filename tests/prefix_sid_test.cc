// Copyright 2026 The bgpy Authors.
//
// BGP Prefix-SID (RFC 8669; SRv6 service TLVs of RFC 9252): golden
// vectors, re-encoding byte for byte, text, JSON and RFC 8669 §6 malformed
// values (attribute discard).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "bgpy/attributes.h"
#include "bgpy/json.h"
#include "bgpy/update.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

const AttributeDesc& Row() {
  return *LookupAttribute(static_cast<uint8_t>(AttrCode::kPrefixSid));
}

std::string Json(const std::vector<uint8_t>& v) {
  SessionParams params;
  std::string out;
  JsonWriter j(&out);
  Row().json(v, AttrContext{&params}, j);
  return out;
}

std::string Reencoded(const PrefixSid& p) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    EXPECT_TRUE(EncodePrefixSid(p, w));
  }
  return ToHex(out);
}

// RFC 8669 §3.1 Label-Index TLV: type 1, length 7, reserved, flags, index.
constexpr char kLabelIndex30[] = "01 0007 00 0000 0000001e";
// RFC 8669 §3.2 Originator SRGB TLV: type 3, length 8, flags, one SRGB of
// first label 16000 (0x3e80) and 8000 labels (0x1f40).
constexpr char kSrgb[] = "03 0008 0000 003e80 001f40";
// RFC 9252 §2 SRv6 L3 Service TLV: type 5, length 34, reserved, then the
// SRv6 SID Information sub-TLV (§3.1: type 1, length 30: reserved, SID
// 2001:db8::1, SID flags, behavior End.DT4 = 19 (RFC 8986 §10.2), reserved,
// and an SID Structure sub-sub-TLV (§3.2.1: type 1, length 6)).
constexpr char kSrv6L3[] =
    "05 0022 00"
    "01 001e 00 20010db8000000000000000000000001 00 0013 00"
    "01 0006 28 18 10 00 10 40";

struct Golden {
  const char* name;
  std::string hex;
  const char* text;
  const char* json;
};

TEST(PrefixSidTest, GoldenVectors) {
  const Golden goldens[] = {
      {"label index", kLabelIndex30, "label-index 30",
       R"([{"type":1,"name":"label-index","label_index":30,"flags":0}])"},
      {"label index and originator SRGB (labeled unicast, RFC 8669 §4)",
       std::string(kLabelIndex30) + kSrgb, "label-index 30, srgb 16000+8000",
       R"([{"type":1,"name":"label-index","label_index":30,"flags":0},)"
       R"({"type":3,"name":"srgb","flags":0,)"
       R"("srgb":[{"first_label":16000,"count":8000}]}])"},
      {"two SRGB ranges", "03 000e 0000 003e80 001f40 0f4240 000064",
       "srgb 16000+8000 1000000+100", ""},
      {"SRv6 L3 service", kSrv6L3,
       "srv6-l3-service sid 2001:db8::1 behavior 0x0013",
       R"([{"type":5,"name":"srv6-l3-service","sub_tlvs":[{"type":1,)"
       R"("sid":"2001:db8::1","behavior":19,"hex":"0020010db8000000000000)"
       R"(00000000000100001300010006281810001040"}]}])"},
      {"unknown TLV kept as found, between known ones",
       std::string(kLabelIndex30) + "09 0002 abcd" + kSrgb,
       "label-index 30, tlv 9 abcd, srgb 16000+8000", ""},
      {"SRv6 L2 service with an unknown sub-TLV", "06 0006 00 07 0002 beef",
       "srv6-l2-service sub-tlv 7 beef", ""},
      {"no TLVs", "", "(empty)", "[]"},
  };
  SessionParams params;
  for (const Golden& g : goldens) {
    SCOPED_TRACE(g.name);
    std::vector<uint8_t> v = FromHex(g.hex);
    ASSERT_TRUE(Row().validate(v, AttrContext{&params}).ok());
    absl::StatusOr<PrefixSid> p = DecodePrefixSid(v);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(Reencoded(*p), ToHex(v));
    std::string text;
    Row().text(v, AttrContext{&params}, text);
    EXPECT_EQ(text, g.text);
    if (*g.json != '\0') {
      EXPECT_EQ(Json(v), g.json);
    }
  }
}

TEST(PrefixSidTest, TypedFields) {
  absl::StatusOr<PrefixSid> p =
      DecodePrefixSid(FromHex(std::string(kLabelIndex30) + kSrv6L3));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->tlvs.size(), 2u);
  EXPECT_EQ(p->label_index(), 30u);
  const auto* srv6 = std::get_if<PrefixSidSrv6Service>(&p->tlvs[1].value);
  ASSERT_NE(srv6, nullptr);
  ASSERT_EQ(srv6->sub_tlvs.size(), 1u);
  EXPECT_EQ(srv6->sub_tlvs[0].sid()->ToString(), "2001:db8::1");
  EXPECT_EQ(srv6->sub_tlvs[0].behavior(), 19);

  PrefixSid built;
  built.tlvs.push_back(
      PrefixSidTlv{kPrefixSidLabelIndex, PrefixSidLabelIndex{0, 0, 30}});
  EXPECT_EQ(Reencoded(built), ToHex(FromHex(kLabelIndex30)));
}

TEST(PrefixSidTest, MalformedIsAttributeDiscard) {
  SessionParams params;
  const char* bad[] = {
      "01 0006 00 0000 00001e",         // Label-Index length 6 (RFC 8669 §6)
      "01 0008 00 0000 0000001e00",     // Label-Index length 8
      "03 0002 0000",                   // SRGB without a range
      "03 0009 0000 003e80 001f40 00",  // SRGB not 2 + 6n
      "01 0007 00 0000 0000",           // TLV overruns the attribute
      "01 00",                          // TLV header cut
      "05 0000",                        // SRv6 service TLV without reserved
      "05 0004 00 01 0005",             // sub-TLV overruns the TLV
      "05 0006 00 01 0002 0000",        // SID Information shorter than 21
  };
  for (const char* hex : bad) {
    SCOPED_TRACE(hex);
    std::vector<uint8_t> v = FromHex(hex);
    absl::Status st = Row().validate(v, AttrContext{&params});
    ASSERT_FALSE(st.ok());
    auto n = GetNotification(st);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->subcode,
              static_cast<uint8_t>(UpdateSubcode::kOptionalAttributeError));
    EXPECT_EQ(FormatAttributeValue(Row().code, v, params), ToHex(v));
  }
  EXPECT_EQ(Row().on_malformed, Verdict::kAttributeDiscard);
}

TEST(PrefixSidTest, PathAttributesRoundTrip) {
  // ORIGIN IGP, then PREFIX_SID (optional transitive, code 40) with a
  // Label-Index TLV and an Originator SRGB TLV.
  std::vector<uint8_t> attrs = FromHex(
      "40 01 01 00"
      "c0 28 15 01 0007 00 0000 0000001e 03 0008 0000 003e80 001f40");
  SessionParams params;
  PathAttributes a = DecodePathAttributes(attrs, params);
  ASSERT_TRUE(a.prefix_sid.has_value());
  EXPECT_TRUE(a.others.empty());
  EXPECT_EQ(a.prefix_sid->label_index(), 30u);
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodePathAttributes(a, params, w));
  }
  EXPECT_EQ(ToHex(out), ToHex(attrs));
}

}  // namespace
}  // namespace bgpy
