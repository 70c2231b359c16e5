// Copyright 2026 The bgpy Authors.
//
// Tests for the test-only JSON reader (testlib/json.h).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/corpus.h"
#include "testlib/json.h"

namespace bgpy::testing {
namespace {

using ::testing::ElementsAre;

TEST(JsonTest, Scalars) {
  auto v = ParseJson("  null ");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->is_null());

  v = ParseJson("true");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_bool());
  EXPECT_TRUE(v->boolean());

  v = ParseJson("false");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->boolean());

  // Numbers keep their text exactly.
  v = ParseJson("-12.50e+3");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_number());
  EXPECT_EQ(v->text(), "-12.50e+3");

  v = ParseJson("0");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->text(), "0");
}

TEST(JsonTest, StringEscapes) {
  auto v = ParseJson(R"("a\"b\\c\/d\b\f\n\r\t")");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->text(), "a\"b\\c/d\b\f\n\r\t");

  // \u escapes: ASCII, 2-byte, 3-byte UTF-8 and a surrogate pair (U+1F600).
  v = ParseJson(R"("\u0041\u00e9\u20ac\ud83d\ude00")");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->text(), "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");

  // Raw UTF-8 passes through.
  v = ParseJson("\"caf\xC3\xA9\"");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->text(), "caf\xC3\xA9");
}

TEST(JsonTest, ObjectKeepsOrderAndDuplicates) {
  auto v = ParseJson(R"({"b": 1, "a": [true, null, "x"], "b": {"c": "2"}})");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(v->is_object());
  ASSERT_EQ(v->members().size(), 3u);
  EXPECT_EQ(v->members()[0].first, "b");
  EXPECT_EQ(v->members()[1].first, "a");
  EXPECT_EQ(v->members()[2].first, "b");
  ASSERT_NE(v->Get("b"), nullptr);
  EXPECT_EQ(v->Get("b")->text(), "1");  // the first one
  ASSERT_NE(v->GetText("b"), nullptr);
  EXPECT_EQ(*v->GetText("b"), "1");
  EXPECT_EQ(v->Get("zz"), nullptr);
  EXPECT_EQ(v->GetText("a"), nullptr);  // an array has no text
  const JsonValue* a = v->Get("a");
  ASSERT_TRUE(a->is_array());
  ASSERT_EQ(a->items().size(), 3u);
  EXPECT_TRUE(a->items()[0].boolean());
  EXPECT_TRUE(a->items()[1].is_null());
  EXPECT_EQ(a->items()[2].text(), "x");
  // Members() returns both "b" members.
  EXPECT_EQ(Members(*v, "b").size(), 2u);
}

TEST(JsonTest, EmptyContainers) {
  auto v = ParseJson(R"({"o": {}, "a": []})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->Get("o")->is_object());
  EXPECT_TRUE(v->Get("o")->members().empty());
  EXPECT_TRUE(v->Get("a")->is_array());
  EXPECT_TRUE(v->Get("a")->items().empty());
}

// tshark --no-duplicate-keys folds repeated keys into arrays; FindAll
// flattens them back, in document order, at any depth.
TEST(JsonTest, FindAllFlattensAndRecurses) {
  auto v = ParseJson(R"({
    "x": {"k": "1"},
    "y": [{"k": ["2", "3"]}, {"z": {"k": "4"}}],
    "k": {"k": "not searched inside a found value"}
  })");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_THAT(FindAllText(*v, "k"), ElementsAre("1", "2", "3", "4"));
  std::vector<const JsonValue*> all = FindAll(*v, "k");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_TRUE(all[4]->is_object());
  EXPECT_TRUE(FindAll(*v, "absent").empty());

  auto arr = ParseJson(R"({"k": ["a", "b"], "j": "c"})");
  ASSERT_TRUE(arr.ok());
  std::vector<const JsonValue*> m = Members(*arr, "k");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0]->text(), "a");
  EXPECT_EQ(m[1]->text(), "b");
  ASSERT_EQ(Members(*arr, "j").size(), 1u);
  EXPECT_TRUE(Members(JsonValue::String("s"), "k").empty());
}

TEST(JsonTest, RejectsMalformed) {
  const char* kBad[] = {
      "",                    // nothing
      "   ",                 // only space
      "{",                   // unterminated object
      "[1,]",                // trailing comma
      "{\"a\":1,}",          // trailing comma in object
      "{\"a\" 1}",           // missing colon
      "{a:1}",               // unquoted key
      "[1 2]",               // missing comma
      "01",                  // leading zero
      "-",                   // sign only
      "1.",                  // empty fraction
      "1e",                  // empty exponent
      ".5",                  // no integer part
      "tru",                 // truncated literal
      "nul",                 // truncated literal
      "\"abc",               // unterminated string
      "\"a\\x\"",            // bad escape
      "\"\\u12\"",           // short \u
      "\"\\u12g4\"",         // bad hex digit
      "\"\\ud800\"",         // lone high surrogate
      "\"\\udc00\"",         // lone low surrogate
      "\"\\ud800\\u0041\"",  // high surrogate + non-surrogate
      "\"a\nb\"",            // raw control character
      "[1] [2]",             // two documents
      "'a'",                 // single quotes
      "NaN",                 // not JSON
  };
  for (const char* text : kBad) {
    SCOPED_TRACE(text);
    auto v = ParseJson(text);
    EXPECT_FALSE(v.ok());
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(v.status().message()),
                  ::testing::HasSubstr("offset"));
    }
  }
}

TEST(JsonTest, DepthIsBounded) {
  // 100000 nested arrays must fail cleanly, not overflow the stack.
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  auto v = ParseJson(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(std::string(v.status().message()),
              ::testing::HasSubstr("too deep"));
  // 200 levels are fine.
  std::string ok(200, '[');
  ok += std::string(200, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
}

TEST(JsonTest, TruncationAtEveryByteFails) {
  const std::string doc =
      R"({"bgp": {"bgp.type": "2", "a": [1, -2.5e3, true, null, "\u00e9"]}})";
  ASSERT_TRUE(ParseJson(doc).ok());
  for (size_t n = 0; n < doc.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_FALSE(ParseJson(doc.substr(0, n)).ok());
  }
}

TEST(JsonTest, TsharkShapedElement) {
  // The shape of one element of expected/<pcap>.json (hand-written).
  auto v = ParseJson(R"({"frame":5,"msg_in_frame":0,"tcp_stream":0,
    "src":"10.0.0.10:179","dst":"10.0.0.9:14262",
    "bgp":{"bgp.type":"2","bgp.update.nlri":{
      "10.0.0.0/8":{"bgp.prefix_length":"8","bgp.nlri_prefix":"10.0.0.0"},
      "10.1.0.0/16":[{"bgp.prefix_length":"16","bgp.nlri_prefix":"10.1.0.0"},
                     {"bgp.prefix_length":"16","bgp.nlri_prefix":"10.1.0.0"}]}}})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Get("frame")->text(), "5");
  EXPECT_EQ(*v->GetText("src"), "10.0.0.10:179");
  const JsonValue* bgp = v->Get("bgp");
  ASSERT_NE(bgp, nullptr);
  EXPECT_THAT(FindAllText(*bgp, "bgp.nlri_prefix"),
              ElementsAre("10.0.0.0", "10.1.0.0", "10.1.0.0"));
}

// --- Expectation extraction (testlib/corpus.h) on hand-written elements
// shaped like tshark 4.0's -T json --no-duplicate-keys output.

TEST(ExpectationTest, Update) {
  auto v = ParseJson(R"({"bgp.type":"2",
    "bgp.update.withdrawn_routes":{
      "10.9.0.0/16 PathId 7 ":{"bgp.nlri_path_id":"7","bgp.prefix_length":"16",
                               "bgp.withdrawn_prefix":"10.9.0.0"}},
    "bgp.update.path_attributes":{"bgp.update.path_attribute":[
      {"bgp.update.path_attribute.type_code":"1",
       "bgp.update.path_attribute.origin":"2"},
      {"bgp.update.path_attribute.type_code":"2",
       "bgp.update.path_attribute.as_path_segment":[
         {"bgp.update.path_attribute.as_path_segment.type":"2",
          "bgp.update.path_attribute.as_path_segment.as2":"30"},
         {"bgp.update.path_attribute.as_path_segment.type":"1",
          "bgp.update.path_attribute.as_path_segment.as2":["10","20"]}]},
      {"bgp.update.path_attribute.type_code":"17",
       "bgp.update.path_attribute.as_path_segment":
         {"bgp.update.path_attribute.as_path_segment.type":"2",
          "bgp.update.path_attribute.as_path_segment.as4":["1","4294967290"]}},
      {"bgp.update.path_attribute.type_code":"3",
       "bgp.update.path_attribute.next_hop":"10.0.0.9"},
      {"bgp.update.path_attribute.type_code":"4",
       "bgp.update.path_attribute.multi_exit_disc":"0"},
      {"bgp.update.path_attribute.type_code":"5",
       "bgp.update.path_attribute.local_pref":"100"},
      {"bgp.update.path_attribute.type_code":"8",
       "bgp.update.path_attribute.communities":{
         "bgp.update.path_attribute.community_wellknown":"0xffffff02",
         "bgp.update.path_attribute.community":[
           {"bgp.update.path_attribute.community_as":"65511",
            "bgp.update.path_attribute.community_value":"7001"},
           {"bgp.update.path_attribute.community_as":"1",
            "bgp.update.path_attribute.community_value":"2"}]}},
      {"bgp.update.path_attribute.type_code":"32",
       "bgp.large_communities":["[ Null ]"],
       "bgp.large_communities_tree":
         {"bgp.large_communities.ga":"65536","bgp.large_communities.ldp1":"1",
          "bgp.large_communities.ldp2":"2"}},
      {"bgp.update.path_attribute.type_code":"14",
       "bgp.update.path_attribute.mp_reach_nlri.afi":"2",
       "bgp.update.path_attribute.mp_reach_nlri.safi":"1",
       "bgp.update.path_attribute.mp_reach_nlri.next_hop_tree":{
         "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6":"2000:0:0:40:0::1",
         "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local":"FE80::1"},
       "bgp.update.path_attribute.mp_reach_nlri":{
         "2002::1400:0/120":{"bgp.prefix_length":"120",
                             "bgp.mp_reach_nlri_ipv6_prefix":"2002::1400:0"}}},
      {"bgp.update.path_attribute.type_code":"15",
       "bgp.update.path_attribute.mp_unreach_nlri.afi":"1",
       "bgp.update.path_attribute.mp_unreach_nlri.safi":"128"}]},
    "bgp.update.nlri":{
      "172.16.0.0/21":{"bgp.prefix_length":"21","bgp.nlri_prefix":"172.16.0.0"},
      "10.0.0.0/8":[{"bgp.prefix_length":"8","bgp.nlri_prefix":"10.0.0.0"},
                    {"bgp.prefix_length":"8","bgp.nlri_prefix":"10.0.0.0"}]}})");
  ASSERT_TRUE(v.ok()) << v.status();
  auto x = ExtractExpectation(*v);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->type, 2);
  EXPECT_THAT(x->withdrawn, ElementsAre("10.9.0.0/16 id 7"));
  EXPECT_THAT(x->nlri,
              ElementsAre("10.0.0.0/8", "10.0.0.0/8", "172.16.0.0/21"));
  EXPECT_TRUE(x->has_path_id);
  EXPECT_EQ(x->origin, 2);
  ASSERT_TRUE(x->as_path.has_value());
  EXPECT_THAT(*x->as_path, ElementsAre(ExpectedSegment{2, {30}},
                                       ExpectedSegment{1, {10, 20}}));
  EXPECT_EQ(x->as_path_asn_size, 2);
  ASSERT_TRUE(x->as4_path.has_value());
  EXPECT_THAT(*x->as4_path, ElementsAre(ExpectedSegment{2, {1, 4294967290u}}));
  EXPECT_EQ(x->next_hop, "10.0.0.9");
  EXPECT_EQ(x->med, 0u);
  EXPECT_EQ(x->local_pref, 100u);
  ASSERT_TRUE(x->communities.has_value());
  // Both kinds present: order lost, so sorted.
  EXPECT_THAT(*x->communities, ElementsAre("1:2", "65511:7001", "65535:65282"));
  EXPECT_TRUE(x->communities_unordered);
  ASSERT_TRUE(x->large_communities.has_value());
  EXPECT_THAT(*x->large_communities, ElementsAre("65536:1:2"));
  ASSERT_EQ(x->mp_reach.size(), 1u);
  EXPECT_EQ(x->mp_reach[0].afi, 2);
  EXPECT_EQ(x->mp_reach[0].safi, 1);
  EXPECT_EQ(x->mp_reach[0].next_hop, "2000:0:0:40::1");  // canonical
  EXPECT_EQ(x->mp_reach[0].link_local, "fe80::1");
  EXPECT_THAT(x->mp_reach[0].prefixes, ElementsAre("2002::1400:0/120"));
  ASSERT_EQ(x->mp_unreach.size(), 1u);
  EXPECT_EQ(x->mp_unreach[0].afi, 1);
  EXPECT_EQ(x->mp_unreach[0].safi, 128);
  EXPECT_TRUE(x->mp_unreach[0].prefixes.empty());
}

TEST(ExpectationTest, CommunitiesKeepOrderWhenOneKind) {
  auto v = ParseJson(R"({"bgp.type":"2","bgp.update.path_attributes":{
    "bgp.update.path_attribute":[
      {"bgp.update.path_attribute.type_code":"8",
       "bgp.update.path_attribute.communities":{
         "bgp.update.path_attribute.community_wellknown":
           ["0xffffff02","0xffffff01"]}}]}})");
  ASSERT_TRUE(v.ok()) << v.status();
  auto x = ExtractExpectation(*v);
  ASSERT_TRUE(x.ok()) << x.status();
  ASSERT_TRUE(x->communities.has_value());
  EXPECT_THAT(*x->communities, ElementsAre("65535:65282", "65535:65281"));
  EXPECT_FALSE(x->communities_unordered);
}

TEST(ExpectationTest, OpenAndNotification) {
  auto v = ParseJson(R"({"bgp.type":"1","bgp.open.myas":"23456",
    "bgp.open.holdtime":"180","bgp.open.identifier":"40.0.0.1",
    "bgp.open.opt":{"bgp.open.opt.param":[
      {"bgp.cap":{"bgp.cap.type":"1","bgp.cap.mp.afi":"1","bgp.cap.mp.safi":"1"}},
      {"bgp.cap":[{"bgp.cap.type":"128"},{"bgp.cap.type":"2"}]},
      {"bgp.cap":{"bgp.cap.type":"65","bgp.cap.4as":"2621441"}}]}})");
  ASSERT_TRUE(v.ok()) << v.status();
  auto x = ExtractExpectation(*v);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->type, 1);
  EXPECT_EQ(x->my_as, 23456u);
  EXPECT_EQ(x->hold_time, 180u);
  EXPECT_EQ(x->identifier, "40.0.0.1");
  EXPECT_THAT(x->capability_codes, ElementsAre(1, 128, 2, 65));
  EXPECT_THAT(x->mp_families, ElementsAre(std::pair<int, int>(1, 1)));
  EXPECT_EQ(x->four_octet_as, 2621441u);

  v = ParseJson(R"({"bgp.type":"3","bgp.notify.major_error":"6",
                    "bgp.notify.minor_error_cease":"9",
                    "bgp.notify.minor_data":"06:04"})");
  ASSERT_TRUE(v.ok());
  x = ExtractExpectation(*v);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->error_code, 6);
  EXPECT_EQ(x->error_subcode, 9);
}

TEST(ExpectationTest, RejectsOddFields) {
  for (
      const char* text : {
          R"({"bgp.open.myas":"1"})",  // no type
          R"({"bgp.type":"two"})",
          R"({"bgp.type":"1","bgp.open.myas":"x"})",
          R"({"bgp.type":"2","bgp.update.nlri":{"p":{"bgp.nlri_prefix":"1.2.3.0"}}})",
          R"({"bgp.type":"2","bgp.update.nlri":{"p":{"bgp.prefix_length":"8","bgp.nlri_prefix":"nope"}}})",
      }) {
    SCOPED_TRACE(text);
    auto v = ParseJson(text);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_FALSE(ExtractExpectation(*v).ok());
  }
}

TEST(CorpusHelpersTest, LinesAndAddresses) {
  EXPECT_THAT(SplitLines("a\nb\n"), ElementsAre("a", "b"));
  EXPECT_THAT(SplitLines("a\n\nb"), ElementsAre("a", "", "b"));
  EXPECT_TRUE(SplitLines("").empty());
  EXPECT_EQ(CanonicalIp("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(CanonicalIp("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(CanonicalIp("1.2.3"), std::nullopt);
  const uint8_t v4[4] = {192, 0, 2, 1};
  EXPECT_EQ(CanonicalIpBytes(v4, 4), "192.0.2.1");
  EXPECT_EQ(FormatPrefix("10.0.0.0", 8, std::nullopt), "10.0.0.0/8");
  EXPECT_EQ(FormatPrefix("10.0.0.0", 8, 3), "10.0.0.0/8 id 3");
}

}  // namespace
}  // namespace bgpy::testing
