// Copyright 2026 The bgpy Authors.
//
// Tests for bgpy::format (include/bgpy/format.h): exact text for
// a golden UPDATE, JSON parsed back field by field, errors naming the RFC
// error, hex re-encoding equal to the input, and a JSON escaper that always
// yields valid JSON.
#include "bgpy/format.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bgpy/errors.h"
#include "bgpy/json.h"
#include "bgpy/message.h"
#include "bgpy/params.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"
#include "testlib/json.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::JsonValue;
using ::bgpy::testing::ParseJson;
using ::bgpy::testing::ToHex;
using ::testing::HasSubstr;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";  // RFC 4271 §4.1

// A whole message: marker, 2-octet length, type, body.
std::string Msg(int type, absl::string_view body_hex) {
  return absl::StrFormat("%s%04x%02x%s", kMarker, 19 + body_hex.size() / 2,
                         type, body_hex);
}
// An UPDATE body (RFC 4271 §4.3): withdrawn length + routes, attribute
// length + attributes, NLRI.
std::string Update(absl::string_view withdrawn, absl::string_view attrs,
                   absl::string_view nlri) {
  return Msg(2, absl::StrFormat("%04x%s%04x%s%s", withdrawn.size() / 2,
                                withdrawn, attrs.size() / 2, attrs, nlri));
}

// The golden UPDATE's attributes (4-octet AS session).
const std::string kGoldenAttrs = absl::StrCat(
    "400101"
    "00",  // ORIGIN, well-known transitive, len 1: IGP
    "40020a"
    "02"
    "02"
    "0000fde8"
    "0000fde9",  // AS_PATH, len 10: AS_SEQUENCE of 2: 65000 65001
    "400304"
    "c0000201",  // NEXT_HOP, len 4: 192.0.2.1
    "800404"
    "00000064",  // MULTI_EXIT_DISC, optional, len 4: 100
    "c00808"
    "fde80064"
    "ffffff01");  // COMMUNITIES, optional transitive: 65000:100, NO_EXPORT

const std::string kGoldenUpdate =
    Update("180a0002",  // withdrawn: 10.0.2.0/24
           kGoldenAttrs,
           "180a0000"
           "180a0001");  // NLRI: 10.0.0.0/24, 10.0.1.0/24

// IPv6 through MP_REACH/MP_UNREACH, with extended, large and unknown
// attributes.
const std::string kMpUpdate = Update(
    "",
    absl::StrCat("400101"
                 "02",  // ORIGIN: INCOMPLETE
                 "400206"
                 "0201"
                 "0000fde8",  // AS_PATH: 65000
                 "800e1a"     // MP_REACH_NLRI, optional, len 26
                 "0002"
                 "01"  // AFI 2 SAFI 1: ipv6-unicast
                 "10"
                 "20010db8000000000000000000000001"  // next hop 2001:db8::1
                 "00"                                // reserved
                 "2020010db8",                       // NLRI 2001:db8::/32
                 "800f0a"                            // MP_UNREACH_NLRI, len 10
                 "0002"
                 "01"               // ipv6-unicast
                 "3020010db80001",  // 2001:db8:1::/48
                 "c01008"
                 "0002fde800000001",  // EXTENDED_COMMUNITIES: rt:65000:1
                 "c0200c"
                 "0000fde8"
                 "00000001"
                 "00000002",  // LARGE_COMMUNITIES: 65000:1:2
                 "c06302"
                 "abcd"),  // unknown optional transitive attribute 99
    "");

const std::string kKeepalive = Msg(4, "");
// OPEN: version 4, my AS 65000, hold 90, id 192.0.2.1, one capabilities
// parameter: Multiprotocol ipv4-unicast, Route Refresh, 4-octet AS 65000,
// ADD-PATH ipv4-unicast both.
const std::string kOpen = Msg(1,
                              "04"
                              "fde8"
                              "005a"
                              "c0000201"
                              "16"    // optional parameters length 22
                              "0214"  // type 2 (capabilities), len 20
                              "0104"
                              "00010001"  // Multiprotocol AFI 1 SAFI 1
                              "0200"      // Route Refresh
                              "4104"
                              "0000fde8"  // 4-octet AS 65000
                              "4504"
                              "000101"
                              "03");  // ADD-PATH ipv4-unicast both
// NOTIFICATION Cease / Administrative Shutdown with an RFC 9003 message
// holding a quote and a newline: 'say "bye"\n'.
const std::string kNotification = Msg(
    3, absl::StrCat("0602", "0a",
                    ToHex(std::vector<uint8_t>(
                        {'s', 'a', 'y', ' ', '"', 'b', 'y', 'e', '"', '\n'}))));
// ROUTE-REFRESH ipv6-unicast, subtype 0 (request).
const std::string kRouteRefresh = Msg(5, "00020001");

SessionParams Params() {
  SessionParams p;
  p.four_octet_as = true;
  return p;
}

MessageMeta Meta() {
  MessageMeta m;
  m.time =
      absl::FromUnixMicros(1767323045000123);  // 2026-01-02T03:04:05.000123Z
  m.peer = "192.0.2.9";
  return m;
}

// Null-safe accessors, so a missing member fails the test instead of
// crashing it.
const JsonValue& Or(const JsonValue* v) {
  static const JsonValue* const kNull = new JsonValue();
  return v != nullptr ? *v : *kNull;
}
std::string Str(const JsonValue& v, absl::string_view key) {
  const std::string* t = v.GetText(key);
  return t != nullptr ? *t : absl::StrCat("<no ", key, ">");
}
std::string Str(const JsonValue* v, absl::string_view key) {
  return v != nullptr ? Str(*v, key)
                      : absl::StrCat("<no object for ", key, ">");
}

JsonValue ParseLine(const std::string& out) {
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "more than one line: " << out;
  absl::StatusOr<JsonValue> v = ParseJson(out);
  EXPECT_TRUE(v.ok()) << v.status() << "\n" << out;
  return v.ok() ? *v : JsonValue();
}

std::vector<std::string> Texts(const JsonValue* array) {
  std::vector<std::string> out;
  if (array == nullptr) return out;
  for (const JsonValue& v : array->items()) out.push_back(v.text());
  return out;
}

TEST(RenderTest, GoldenUpdateText) {
  std::vector<uint8_t> msg = FromHex(kGoldenUpdate);
  absl::Status status;
  std::string out =
      RenderMessage(msg, Params(), OutputFormat::kText, Meta(), &status);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(out,
            "2026-01-02T03:04:05.000123Z peer 192.0.2.9\n"
            "UPDATE message, length 77\n"
            "  Withdrawn (ipv4-unicast): 1\n"
            "    10.0.2.0/24\n"
            "  Path attributes: 5 (42 octets)\n"
            "    ORIGIN (1), flags 0x40 [transitive], length 1: IGP\n"
            "    AS_PATH (2), flags 0x40 [transitive], length 10: 65000 65001\n"
            "    NEXT_HOP (3), flags 0x40 [transitive], length 4: 192.0.2.1\n"
            "    MULTI_EXIT_DISC (4), flags 0x80 [optional], length 4: 100\n"
            "    COMMUNITIES (8), flags 0xc0 [optional, transitive], length 8: "
            "65000:100 no-export\n"
            "  Announced (ipv4-unicast, next hop 192.0.2.1): 2\n"
            "    10.0.0.0/24\n"
            "    10.0.1.0/24\n");
}

TEST(RenderTest, GoldenUpdateJson) {
  std::vector<uint8_t> msg = FromHex(kGoldenUpdate);
  JsonValue v =
      ParseLine(RenderMessage(msg, Params(), OutputFormat::kJson, Meta()));
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(Str(v, "time"), "2026-01-02T03:04:05.000123Z");
  EXPECT_EQ(Str(v, "peer"), "192.0.2.9");
  EXPECT_EQ(Str(v, "type"), "UPDATE");
  EXPECT_EQ(Str(v, "length"), "77");
  EXPECT_EQ(Str(v, "next_hop"), "192.0.2.1");

  const JsonValue* announce = v.Get("announce");
  ASSERT_NE(announce, nullptr);
  const JsonValue* v4 = announce->Get("ipv4-unicast");
  ASSERT_NE(v4, nullptr);
  ASSERT_EQ(v4->items().size(), 2u);
  EXPECT_EQ(Str(v4->items()[0], "prefix"), "10.0.0.0/24");
  EXPECT_EQ(Str(v4->items()[1], "prefix"), "10.0.1.0/24");
  EXPECT_EQ(v4->items()[0].Get("path_id"), nullptr);
  const JsonValue* withdraw = Or(v.Get("withdraw")).Get("ipv4-unicast");
  ASSERT_NE(withdraw, nullptr);
  ASSERT_EQ(withdraw->items().size(), 1u);
  EXPECT_EQ(Str(withdraw->items()[0], "prefix"), "10.0.2.0/24");

  const JsonValue* attrs = v.Get("attributes");
  ASSERT_NE(attrs, nullptr);
  EXPECT_EQ(Str(attrs, "origin"), "IGP");
  EXPECT_EQ(Str(attrs, "next_hop"), "192.0.2.1");
  EXPECT_EQ(Str(attrs, "med"), "100");
  EXPECT_THAT(Texts(attrs->Get("communities")),
              ::testing::ElementsAre("65000:100", "65535:65281"));
  const JsonValue* path = attrs->Get("as_path");
  ASSERT_NE(path, nullptr);
  ASSERT_EQ(path->items().size(), 1u);
  EXPECT_EQ(Str(path->items()[0], "type"), "AS_SEQUENCE");
  EXPECT_THAT(Texts(path->items()[0].Get("asns")),
              ::testing::ElementsAre("65000", "65001"));
  EXPECT_EQ(v.Get("verdict"), nullptr);
}

TEST(RenderTest, MpUpdateJson) {
  std::vector<uint8_t> msg = FromHex(kMpUpdate);
  JsonValue v =
      ParseLine(RenderMessage(msg, Params(), OutputFormat::kJson, Meta()));
  const JsonValue* v6 = Or(v.Get("announce")).Get("ipv6-unicast");
  ASSERT_NE(v6, nullptr);
  ASSERT_EQ(v6->items().size(), 1u);
  EXPECT_EQ(Str(v6->items()[0], "prefix"), "2001:db8::/32");
  const JsonValue* w6 = Or(v.Get("withdraw")).Get("ipv6-unicast");
  ASSERT_NE(w6, nullptr);
  ASSERT_EQ(w6->items().size(), 1u);
  EXPECT_EQ(Str(w6->items()[0], "prefix"), "2001:db8:1::/48");
  EXPECT_EQ(Str(v, "next_hop"), "2001:db8::1");

  const JsonValue* attrs = v.Get("attributes");
  ASSERT_NE(attrs, nullptr);
  EXPECT_EQ(Str(attrs, "origin"), "INCOMPLETE");
  EXPECT_THAT(Texts(attrs->Get("ext_communities")),
              ::testing::ElementsAre("rt:65000:1"));
  EXPECT_THAT(Texts(attrs->Get("large_communities")),
              ::testing::ElementsAre("65000:1:2"));
  const JsonValue* reach = attrs->Get("mp_reach_nlri");
  ASSERT_NE(reach, nullptr);
  EXPECT_EQ(Str(reach, "family"), "ipv6-unicast");
  EXPECT_EQ(Str(reach, "next_hop"), "2001:db8::1");
  EXPECT_EQ(Str(attrs->Get("mp_unreach_nlri"), "family"), "ipv6-unicast");
  const JsonValue* unknown = attrs->Get("unknown");
  ASSERT_NE(unknown, nullptr);
  ASSERT_EQ(unknown->items().size(), 1u);
  EXPECT_EQ(Str(unknown->items()[0], "code"), "99");
  EXPECT_EQ(Str(unknown->items()[0], "flags"), "192");
  EXPECT_EQ(Str(unknown->items()[0], "hex"), "abcd");
}

TEST(RenderTest, MpUpdateText) {
  std::vector<uint8_t> msg = FromHex(kMpUpdate);
  std::string out = RenderMessage(msg, Params(), OutputFormat::kText, Meta());
  EXPECT_THAT(out, HasSubstr("  Withdrawn (ipv6-unicast, MP_UNREACH_NLRI): 1\n"
                             "    2001:db8:1::/48\n"));
  EXPECT_THAT(out, HasSubstr("  Announced (ipv6-unicast, MP_REACH_NLRI, next "
                             "hop 2001:db8::1): 1\n"
                             "    2001:db8::/32\n"));
  EXPECT_THAT(out, HasSubstr("EXTENDED_COMMUNITIES (16), flags 0xc0 [optional, "
                             "transitive], length 8: rt:65000:1\n"));
  EXPECT_THAT(out, HasSubstr("LARGE_COMMUNITIES (32), flags 0xc0 [optional, "
                             "transitive], length 12: 65000:1:2\n"));
  EXPECT_THAT(out, HasSubstr("(99), flags 0xc0 [optional, transitive], length "
                             "2: abcd\n"));
}

TEST(RenderTest, AddPathEntriesCarryPathId) {
  SessionParams p = Params();
  p.SetAddPath(kIpv4Unicast, true);
  std::vector<uint8_t> msg = FromHex(Update("", kGoldenAttrs,
                                            "00000007"
                                            "180a0000"));  // id 7 10.0.0.0/24
  JsonValue v = ParseLine(RenderMessage(msg, p, OutputFormat::kJson, Meta()));
  const JsonValue* v4 = Or(v.Get("announce")).Get("ipv4-unicast");
  ASSERT_NE(v4, nullptr);
  ASSERT_EQ(v4->items().size(), 1u);
  EXPECT_EQ(Str(v4->items()[0], "prefix"), "10.0.0.0/24");
  EXPECT_EQ(Str(v4->items()[0], "path_id"), "7");
  EXPECT_THAT(RenderMessage(msg, p, OutputFormat::kText, Meta()),
              HasSubstr("    10.0.0.0/24 path-id 7\n"));
}

TEST(RenderTest, TreatAsWithdrawVerdictIsRendered) {
  // AS_PATH segment claims 3 ASNs but holds 1 (RFC 7606 §7.2).
  std::vector<uint8_t> msg = FromHex(Update("",
                                            "40010100"
                                            "40020602030000fde8"
                                            "400304c0000201",
                                            "180a0000"));
  absl::Status status;
  JsonValue v = ParseLine(
      RenderMessage(msg, Params(), OutputFormat::kJson, Meta(), &status));
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(Str(v, "verdict"), VerdictName(Verdict::kTreatAsWithdraw));
  const JsonValue* path = Or(v.Get("attributes")).Get("as_path");
  ASSERT_NE(path, nullptr) << RenderMessage(msg, Params(), OutputFormat::kJson,
                                            Meta());
  EXPECT_EQ(Str(path, "hex"), "02030000fde8");
  EXPECT_NE(path->Get("error"), nullptr);
  ASSERT_NE(path->Get("discarded"), nullptr);
  EXPECT_TRUE(path->Get("discarded")->boolean());
  ASSERT_NE(v.Get("findings"), nullptr);
  ASSERT_FALSE(v.Get("findings")->items().empty());
  EXPECT_EQ(Str(v.Get("findings")->items()[0], "attr_code"), "2");
  std::string text = RenderMessage(msg, Params(), OutputFormat::kText, Meta());
  EXPECT_THAT(text, HasSubstr(absl::StrCat(
                        "  RFC 7606 verdict: ",
                        VerdictName(Verdict::kTreatAsWithdraw), "\n")));
  EXPECT_THAT(text, HasSubstr("treated as withdrawn per RFC 7606"));
}

TEST(RenderTest, EndOfRib) {
  std::vector<uint8_t> msg = FromHex(Update("", "", ""));
  JsonValue v =
      ParseLine(RenderMessage(msg, Params(), OutputFormat::kJson, Meta()));
  EXPECT_EQ(Str(v, "end_of_rib"), "ipv4-unicast");
  EXPECT_EQ(RenderMessage(msg, Params(), OutputFormat::kText, Meta()),
            "2026-01-02T03:04:05.000123Z peer 192.0.2.9\n"
            "UPDATE message, length 23\n"
            "  End-of-RIB: ipv4-unicast\n");
}

TEST(RenderTest, OpenJsonAndText) {
  std::vector<uint8_t> msg = FromHex(kOpen);
  JsonValue v =
      ParseLine(RenderMessage(msg, Params(), OutputFormat::kJson, Meta()));
  EXPECT_EQ(Str(v, "type"), "OPEN");
  EXPECT_EQ(Str(v, "my_as"), "65000");
  EXPECT_EQ(Str(v, "hold_time"), "90");
  EXPECT_EQ(Str(v, "bgp_id"), "192.0.2.1");
  const JsonValue* caps = v.Get("capabilities");
  ASSERT_NE(caps, nullptr);
  ASSERT_EQ(caps->items().size(), 4u);
  EXPECT_EQ(Str(caps->items()[0], "code"), "1");
  EXPECT_EQ(Str(caps->items()[0], "family"), "ipv4-unicast");
  EXPECT_EQ(Str(caps->items()[1], "code"), "2");
  EXPECT_EQ(Str(caps->items()[2], "asn"), "65000");
  const JsonValue* fams = caps->items()[3].Get("families");
  ASSERT_NE(fams, nullptr);
  ASSERT_EQ(fams->items().size(), 1u);
  EXPECT_EQ(Str(fams->items()[0], "family"), "ipv4-unicast");
  EXPECT_EQ(Str(fams->items()[0], "mode"), "both");

  std::string text =
      RenderMessage(msg, Params(), OutputFormat::kText, MessageMeta());
  EXPECT_THAT(text, HasSubstr("(no timestamp)\nOPEN message, length 51\n"
                              "  Version: 4\n  My AS: 65000\n"
                              "  Hold time: 90\n"
                              "  BGP identifier: 192.0.2.1\n"));
  EXPECT_THAT(text, HasSubstr("(65): 65000\n"));
  EXPECT_THAT(text, HasSubstr("(69): ipv4-unicast both\n"));
}

TEST(RenderTest, NotificationShutdownMessageIsEscaped) {
  std::vector<uint8_t> msg = FromHex(kNotification);
  std::string out = RenderMessage(msg, Params(), OutputFormat::kJson, Meta());
  EXPECT_THAT(out, HasSubstr(R"("shutdown_message":"say \"bye\"\n")"));
  JsonValue v = ParseLine(out);
  EXPECT_EQ(Str(v, "type"), "NOTIFICATION");
  EXPECT_EQ(Str(v, "code"), "6");
  EXPECT_EQ(Str(v, "subcode"), "2");
  EXPECT_EQ(Str(v, "code_name"), ErrorCodeName(6));
  EXPECT_EQ(Str(v, "subcode_name"), ErrorSubcodeName(6, 2));
  EXPECT_EQ(Str(v, "shutdown_message"), "say \"bye\"\n");
  EXPECT_EQ(Str(v, "data"), kNotification.substr(19 * 2 + 4));
  EXPECT_THAT(RenderMessage(msg, Params(), OutputFormat::kText, Meta()),
              HasSubstr(absl::StrCat("  Error: ", ErrorCodeName(6), " / ",
                                     ErrorSubcodeName(6, 2), " (6/2)\n")));
}

TEST(RenderTest, KeepaliveAndRouteRefresh) {
  JsonValue k = ParseLine(RenderMessage(FromHex(kKeepalive), Params(),
                                        OutputFormat::kJson, Meta()));
  EXPECT_EQ(Str(k, "type"), "KEEPALIVE");
  EXPECT_EQ(Str(k, "length"), "19");
  EXPECT_EQ(k.members().size(), 4u);  // time, peer, type, length
  JsonValue r = ParseLine(RenderMessage(FromHex(kRouteRefresh), Params(),
                                        OutputFormat::kJson, Meta()));
  EXPECT_EQ(Str(r, "type"), "ROUTE_REFRESH");
  EXPECT_EQ(Str(r, "family"), "ipv6-unicast");
  EXPECT_EQ(Str(r, "subtype"), "0");
  EXPECT_EQ(RenderMessage(FromHex(kRouteRefresh), Params(), OutputFormat::kText,
                          Meta()),
            "2026-01-02T03:04:05.000123Z peer 192.0.2.9\n"
            "ROUTE_REFRESH message, length 23\n"
            "  Family: ipv6-unicast (afi 2, safi 1)\n"
            "  Subtype: 0 (request)\n");
}

TEST(RenderTest, UnknownTimeAndPeerAreNull) {
  JsonValue v = ParseLine(
      RenderMessage(FromHex(kKeepalive), Params(), OutputFormat::kJson, {}));
  ASSERT_NE(v.Get("time"), nullptr);
  EXPECT_TRUE(v.Get("time")->is_null());
  EXPECT_TRUE(v.Get("peer")->is_null());
}

TEST(RenderTest, HexReencodesToTheInput) {
  for (const std::string& hex :
       {kGoldenUpdate, kMpUpdate, kKeepalive, kOpen, kNotification,
        kRouteRefresh, Update("", "", "")}) {
    SCOPED_TRACE(hex);
    absl::Status status;
    std::string out = RenderMessage(FromHex(hex), Params(), OutputFormat::kHex,
                                    Meta(), &status);
    EXPECT_TRUE(status.ok()) << status;
    EXPECT_EQ(out, hex + "\n");
  }
}

TEST(RenderTest, BadNlriGivesOneErrorLineNamingTheRfcError) {
  // The last NLRI entry, 10.0.1.0/24, is cut one octet short.
  std::string hex = Update("", kGoldenAttrs,
                           "180a0000"
                           "180a00");
  std::vector<uint8_t> msg = FromHex(hex);
  MessageMeta meta = Meta();
  meta.source = "line 3";
  absl::Status status;
  std::string out =
      RenderMessage(msg, Params(), OutputFormat::kJson, meta, &status);
  EXPECT_FALSE(status.ok());
  std::optional<NotificationInfo> n = GetNotification(status);
  ASSERT_TRUE(n.has_value()) << status;
  EXPECT_EQ(n->code, 3);
  EXPECT_EQ(n->subcode, 10);  // Invalid Network Field, RFC 4271 §6.3
  JsonValue v = ParseLine(out);
  ASSERT_EQ(v.members().size(), 2u) << out;
  EXPECT_EQ(Str(v, "hex"), hex);
  EXPECT_THAT(Str(v, "error"),
              HasSubstr("line 3: UPDATE Message Error / Invalid Network Field "
                        "(3/10): "));

  std::string text = RenderMessage(msg, Params(), OutputFormat::kText, meta);
  EXPECT_EQ(text,
            absl::StrCat("error: line 3: ", DescribeStatus(status), "\n"));
}

TEST(RenderTest, EveryTruncationGivesOneValidErrorLine) {
  std::vector<uint8_t> msg = FromHex(kMpUpdate);
  for (size_t n = 0; n < msg.size(); ++n) {
    SCOPED_TRACE(absl::StrCat("truncated to ", n, " octets"));
    std::vector<uint8_t> cut(msg.begin(), msg.begin() + n);
    absl::Status status;
    std::string out =
        RenderMessage(cut, Params(), OutputFormat::kJson, Meta(), &status);
    EXPECT_FALSE(status.ok());
    JsonValue v = ParseLine(out);
    ASSERT_TRUE(v.is_object());
    EXPECT_NE(v.Get("error"), nullptr);
    EXPECT_EQ(Str(v, "hex"), ToHex(cut));
    std::string text =
        RenderMessage(cut, Params(), OutputFormat::kText, Meta());
    EXPECT_EQ(text.find('\n'), text.size() - 1);
  }
}

TEST(RenderTest, HeaderLengthMismatchIsBadMessageLength) {
  // A KEEPALIVE whose header says 19 followed by one stray octet.
  std::vector<uint8_t> msg = FromHex(kKeepalive + "00");
  absl::Status status;
  RenderMessage(msg, Params(), OutputFormat::kJson, Meta(), &status);
  std::optional<NotificationInfo> n = GetNotification(status);
  ASSERT_TRUE(n.has_value()) << status;
  EXPECT_EQ(n->code, 1);
  EXPECT_EQ(n->subcode, 2);  // Bad Message Length, RFC 4271 §6.1
}

TEST(RenderTest, DescribeStatus) {
  absl::Status st = UpdateError(UpdateSubcode::kMalformedAsPath,
                                "segment 2 overruns attribute");
  EXPECT_EQ(DescribeStatus(st),
            absl::StrCat(ErrorCodeName(3), " / ", ErrorSubcodeName(3, 11),
                         " (3/11): segment 2 overruns attribute"));
  EXPECT_EQ(DescribeStatus(absl::InvalidArgumentError("bad")),
            "INVALID_ARGUMENT: bad");
}

TEST(RenderTest, ParseFormat) {
  EXPECT_EQ(*ParseOutputFormat("text"), OutputFormat::kText);
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(*ParseOutputFormat("hex"), OutputFormat::kHex);
  EXPECT_FALSE(ParseOutputFormat("xml").ok());
}

TEST(RenderTest, FormatTimestampHasMicroseconds) {
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMicros(0)),
            "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMicros(1767323045000123)),
            "2026-01-02T03:04:05.000123Z");
}

TEST(JsonEscapeTest, Golden) {
  EXPECT_EQ(JsonEscape("plain"), "plain");
  EXPECT_EQ(JsonEscape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(JsonEscape("\n\r\t\b\f"), "\\n\\r\\t\\b\\f");
  EXPECT_EQ(JsonEscape(absl::string_view("\x00\x01\x1f", 3)),
            "\\u0000\\u0001\\u001f");
  EXPECT_EQ(JsonEscape("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 kept
  EXPECT_EQ(JsonEscape("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");  // U+1F600
  // Invalid UTF-8: lone continuation, truncated sequence, overlong, and a
  // surrogate each become U+FFFD per offending octet.
  EXPECT_EQ(JsonEscape("\x80"), "\xef\xbf\xbd");
  EXPECT_EQ(JsonEscape("a\xc3"), "a\xef\xbf\xbd");
  EXPECT_EQ(JsonEscape("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(JsonEscape("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(JsonString("x"), "\"x\"");
}

TEST(JsonEscapeTest, RandomBytesAlwaysGiveValidJson) {
  const uint32_t seed = 20260102;
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 24, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    std::string json = JsonString(s);
    absl::StatusOr<JsonValue> v = ParseJson(json);
    ASSERT_TRUE(v.ok()) << v.status() << " for " << absl::CHexEscape(s);
    ASSERT_TRUE(v->is_string());
    // Pure ASCII strings come back exactly.
    bool ascii = true;
    for (char c : s) ascii = ascii && static_cast<uint8_t>(c) < 0x80;
    if (ascii) {
      EXPECT_EQ(v->text(), s);
    }
  }
}

}  // namespace
}  // namespace bgpy

namespace bgpy {
namespace {

// The README shows the bgpy::format example that tests/consumer/main.cc
// compiles: the same lines in both.
TEST(FormatReadme, ExampleIsTheCompiledOne) {
  const char* src = std::getenv("BGPY_SOURCE_DIR");
  if (src == nullptr) GTEST_SKIP() << "BGPY_SOURCE_DIR not set";
  auto read = [](const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    std::string out;
    if (f == nullptr) return out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
    return out;
  };
  const std::string main_cc =
      read(std::string(src) + "/tests/consumer/main.cc");
  const std::string readme = read(std::string(src) + "/README.md");
  const std::string begin_marker = "// README format begin\n";
  const size_t b = main_cc.find(begin_marker);
  const size_t e = main_cc.find("  // README format end");
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  std::vector<std::string> lines = absl::StrSplit(
      main_cc.substr(b + begin_marker.size(), e - b - begin_marker.size()),
      '\n', absl::SkipWhitespace());
  ASSERT_EQ(lines.size(), 5u);
  for (std::string& line : lines) {
    ASSERT_EQ(line.substr(0, 2), "  ");
    EXPECT_NE(readme.find(line.substr(2) + "\n"), std::string::npos)
        << "README.md lacks: " << line.substr(2);
  }
}

}  // namespace
}  // namespace bgpy
