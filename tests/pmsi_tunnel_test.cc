// Copyright 2026 The bgpy Authors.
//
// PMSI_TUNNEL (RFC 6514 §5): golden vectors for each tunnel identifier
// form, re-encoding byte for byte, text, JSON and malformed values.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "bgpy/attributes.h"
#include "bgpy/json.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

const AttributeDesc& Row() {
  return *LookupAttribute(static_cast<uint8_t>(AttrCode::kPmsiTunnel));
}

std::string Json(const std::vector<uint8_t>& v) {
  SessionParams params;
  std::string out;
  JsonWriter j(&out);
  Row().json(v, AttrContext{&params}, j);
  return out;
}

std::string Reencoded(const PmsiTunnel& t) {
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    EXPECT_TRUE(EncodePmsiTunnel(t, w));
  }
  return ToHex(out);
}

struct Golden {
  const char* name;
  const char* hex;
  const char* text;
  const char* json;
};

// Hand-built from the RFC 6514 §5 layout: flags (1), tunnel type (1), MPLS
// label (3, label in the high 20 bits), tunnel identifier.
const Golden kGoldens[] = {
    {"ingress replication, IPv4 endpoint (RFC 7432 §11.2 IMET route)",
     "00"         // flags
     "06"         // ingress replication
     "000640"     // label 100
     "c0000201",  // endpoint 192.0.2.1
     "ingress-replication label 100 endpoint 192.0.2.1",
     R"({"type":"ingress-replication","type_code":6,"flags":0,)"
     R"("leaf_info_required":false,"label":100,"label_field":1600,)"
     R"("tunnel_id":{"endpoint":"192.0.2.1"}})"},
    {"ingress replication, IPv6 endpoint, VXLAN VNI (RFC 8365 §5.1.3)",
     "00 06 002713 20010db8000000000000000000000001",
     "ingress-replication label-field 10003 endpoint 2001:db8::1",
     R"({"type":"ingress-replication","type_code":6,"flags":0,)"
     R"("leaf_info_required":false,"label":625,"label_field":10003,)"
     R"("tunnel_id":{"endpoint":"2001:db8::1"}})"},
    {"PIM-SSM tree, leaf information required",
     "01 03 000000 c0000201 e8010101",
     "pim-ssm label 0 sender 192.0.2.1 group 232.1.1.1 leaf-info-required",
     R"({"type":"pim-ssm","type_code":3,"flags":1,)"
     R"("leaf_info_required":true,"label":0,"label_field":0,)"
     R"("tunnel_id":{"sender":"192.0.2.1","group":"232.1.1.1"}})"},
    {"RSVP-TE P2MP LSP", "00 01 000000 c0000201 0000 0007 00000009",
     "rsvp-te-p2mp label 0 extended-tunnel-id 192.0.2.1 tunnel-id 7 "
     "p2mp-id 9",
     R"({"type":"rsvp-te-p2mp","type_code":1,"flags":0,)"
     R"("leaf_info_required":false,"label":0,"label_field":0,)"
     R"("tunnel_id":{"extended_tunnel_id":"192.0.2.1","tunnel_id":7,)"
     R"("p2mp_id":9}})"},
    {"mLDP P2MP FEC element (RFC 6388 §2.2)",
     "00 02 000000"
     "06 0001 04 c0000201"   // P2MP, IPv4, root 192.0.2.1
     "0007 01000400000001",  // opaque: generic LSP identifier 1
     "mldp-p2mp label 0 p2mp root 192.0.2.1 opaque 01000400000001",
     R"({"type":"mldp-p2mp","type_code":2,"flags":0,)"
     R"("leaf_info_required":false,"label":0,"label_field":0,)"
     R"("tunnel_id":{"fec_type":6,"root":"192.0.2.1",)"
     R"("opaque":"01000400000001"}})"},
    {"no tunnel information (RFC 6514 §5)", "00 00 000000",
     "no-tunnel-info label 0",
     R"({"type":"no-tunnel-info","type_code":0,"flags":0,)"
     R"("leaf_info_required":false,"label":0,"label_field":0,)"
     R"("tunnel_id":{"hex":""}})"},
    {"unknown type kept as bytes (BIER, RFC 8556)", "00 0b 000000 0102 0304",
     "type 11 label 0 id 01020304",
     R"({"type":"type 11","type_code":11,"flags":0,)"
     R"("leaf_info_required":false,"label":0,"label_field":0,)"
     R"("tunnel_id":{"hex":"01020304"}})"},
    {"RSVP-TE identifier with a non-zero reserved field kept as bytes",
     "00 01 000000 c0000201 0001 0007 00000009",
     "rsvp-te-p2mp label 0 id c00002010001000700000009", ""},
};

TEST(PmsiTunnelTest, GoldenVectors) {
  SessionParams params;
  for (const Golden& g : kGoldens) {
    SCOPED_TRACE(g.name);
    std::vector<uint8_t> v = FromHex(g.hex);
    ASSERT_TRUE(Row().validate(v, AttrContext{&params}).ok());
    absl::StatusOr<PmsiTunnel> t = DecodePmsiTunnel(v);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(Reencoded(*t), ToHex(v));
    EXPECT_EQ(FormatAttributeValue(Row().code, v, params), g.text);
    if (*g.json != '\0') {
      EXPECT_EQ(Json(v), g.json);
    }
  }
}

TEST(PmsiTunnelTest, TypedFields) {
  absl::StatusOr<PmsiTunnel> t =
      DecodePmsiTunnel(FromHex("00 06 000640 c0000201"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->type, PmsiTunnelType::kIngressReplication);
  EXPECT_EQ(t->label(), 100u);
  EXPECT_FALSE(t->leaf_info_required());
  ASSERT_TRUE(std::holds_alternative<IpAddress>(t->tunnel_id));
  EXPECT_EQ(std::get<IpAddress>(t->tunnel_id).ToString(), "192.0.2.1");

  PmsiTunnel built;
  built.type = PmsiTunnelType::kPimSm;
  built.set_label(16);
  built.tunnel_id =
      PmsiPimTree{IpAddress::V4(0xc0000201), IpAddress::V4(0xef010203)};
  EXPECT_EQ(Reencoded(built), "0004000100c0000201ef010203");
  EXPECT_EQ(DecodePmsiTunnel(FromHex(Reencoded(built))).value(), built);
}

TEST(PmsiTunnelTest, MalformedValues) {
  SessionParams params;
  const char* bad[] = {
      "",                     // no flags
      "00 06 0006",           // label cut
      "00 06 000640",         // ingress replication without an endpoint
      "00 06 000640 c00002",  // endpoint of 3 octets
  };
  for (const char* hex : bad) {
    SCOPED_TRACE(hex);
    std::vector<uint8_t> v = FromHex(hex);
    absl::Status st = Row().validate(v, AttrContext{&params});
    ASSERT_FALSE(st.ok());
    auto n = GetNotification(st);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->code, 3);
    EXPECT_EQ(n->subcode,
              static_cast<uint8_t>(UpdateSubcode::kOptionalAttributeError));
    EXPECT_EQ(FormatAttributeValue(Row().code, v, params), ToHex(v));
  }
  EXPECT_EQ(Row().on_malformed, Verdict::kTreatAsWithdraw);
}

TEST(PmsiTunnelTest, PathAttributesRoundTrip) {
  // ORIGIN IGP, then PMSI_TUNNEL (optional transitive) ingress replication.
  std::vector<uint8_t> attrs = FromHex(
      "40 01 01 00"
      "c0 16 09 00 06 000640 c0000201");
  SessionParams params;
  PathAttributes a = DecodePathAttributes(attrs, params);
  ASSERT_TRUE(a.pmsi_tunnel.has_value());
  EXPECT_TRUE(a.others.empty());
  EXPECT_EQ(a.pmsi_tunnel->label(), 100u);
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodePathAttributes(a, params, w));
  }
  EXPECT_EQ(ToHex(out), ToHex(attrs));
}

}  // namespace
}  // namespace bgpy
