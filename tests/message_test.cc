#include "bgpy/message.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;
using ::bgpy::testing::ToHex;

constexpr char kMarker[] = "ffffffffffffffffffffffffffffffff";

std::vector<uint8_t> Msg(const std::string& len_type_body) {
  return FromHex(std::string(kMarker) + len_type_body);
}

void ExpectNotify(const absl::Status& st, uint8_t code, uint8_t subcode,
                  const std::string& data_hex = "") {
  ASSERT_FALSE(st.ok());
  auto n = GetNotification(st);
  ASSERT_TRUE(n.has_value()) << st;
  EXPECT_EQ(n->code, code) << st;
  EXPECT_EQ(n->subcode, subcode) << st;
  if (!data_hex.empty()) {
    EXPECT_EQ(ToHex(n->data), data_hex) << st;
  }
}

TEST(HeaderTest, Keepalive) {
  auto m =
      Msg("0013"
          "04");
  auto h = ParseHeader(m, kMaxMessageSize);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->length, 19);
  EXPECT_EQ(h->type, MessageType::kKeepalive);
}

TEST(HeaderTest, BadMarkerIsConnectionNotSynchronized) {
  auto m =
      Msg("0013"
          "04");
  m[3] = 0xfe;
  ExpectNotify(ParseHeader(m, kMaxMessageSize).status(), 1, 1);
}

TEST(HeaderTest, BadLengthCarriesTheLengthField) {
  // KEEPALIVE must be exactly 19 (RFC 4271 §4.4).
  ExpectNotify(ParseHeader(Msg("0014"
                               "04"
                               "00"),
                           4096)
                   .status(),
               1, 2, "0014");
  // Shorter than a header.
  ExpectNotify(ParseHeader(Msg("0012"
                               "02"),
                           4096)
                   .status(),
               1, 2, "0012");
  // Longer than 4096 without RFC 8654.
  ExpectNotify(ParseHeader(Msg("1001"
                               "02"),
                           4096)
                   .status(),
               1, 2, "1001");
  EXPECT_TRUE(ParseHeader(Msg("1001"
                              "02"),
                          65535)
                  .ok());
  // OPEN stays within 4096 even with extended messages (RFC 8654 §4).
  ExpectNotify(ParseHeader(Msg("1001"
                               "01"),
                           65535)
                   .status(),
               1, 2, "1001");
  // Minimum sizes per type.
  ExpectNotify(ParseHeader(Msg("001c"
                               "01"),
                           4096)
                   .status(),
               1, 2, "001c");
  ExpectNotify(ParseHeader(Msg("0016"
                               "02"),
                           4096)
                   .status(),
               1, 2, "0016");
  ExpectNotify(ParseHeader(Msg("0014"
                               "03"),
                           4096)
                   .status(),
               1, 2, "0014");
  ExpectNotify(ParseHeader(Msg("0016"
                               "05"),
                           4096)
                   .status(),
               1, 2, "0016");
}

TEST(HeaderTest, BadTypeCarriesTheType) {
  ExpectNotify(ParseHeader(Msg("0013"
                               "06"),
                           4096)
                   .status(),
               1, 3, "06");
  ExpectNotify(ParseHeader(Msg("0013"
                               "00"),
                           4096)
                   .status(),
               1, 3, "00");
}

TEST(HeaderTest, ShortInputIsACallerError) {
  auto st = ParseHeader(FromHex(kMarker), 4096).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(GetNotification(st).has_value());
}

// Three messages back to back, fed in every possible two-way split and one
// byte at a time, always come out whole and in order.
std::vector<uint8_t> ThreeMessages() {
  std::vector<uint8_t> s;
  for (auto part : {Msg("0013"
                        "04"),
                    Msg("0017"
                        "02"
                        "0000"
                        "0000"),
                    Msg("0015"
                        "03"
                        "0602")}) {
    s.insert(s.end(), part.begin(), part.end());
  }
  return s;
}

std::vector<std::string> Drain(MessageSplitter& s) {
  std::vector<std::string> out;
  for (;;) {
    auto next = s.Next();
    EXPECT_TRUE(next.ok()) << next.status();
    if (!next.ok() || !next->has_value()) break;
    out.push_back(ToHex(**next));
  }
  return out;
}

TEST(SplitterTest, AnyChunking) {
  const auto stream = ThreeMessages();
  const std::vector<std::string> want = {ToHex(Msg("0013"
                                                   "04")),
                                         ToHex(Msg("0017"
                                                   "02"
                                                   "0000"
                                                   "0000")),
                                         ToHex(Msg("0015"
                                                   "03"
                                                   "0602"))};
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SCOPED_TRACE(cut);
    MessageSplitter s;
    std::vector<std::string> got;
    s.Feed(absl::MakeConstSpan(stream).subspan(0, cut));
    auto a = Drain(s);
    got.insert(got.end(), a.begin(), a.end());
    s.Feed(absl::MakeConstSpan(stream).subspan(cut));
    auto b = Drain(s);
    got.insert(got.end(), b.begin(), b.end());
    EXPECT_EQ(got, want);
    EXPECT_EQ(s.buffered(), 0u);
  }
  MessageSplitter s;
  std::vector<std::string> got;
  for (uint8_t byte : stream) {
    s.Feed(absl::MakeConstSpan(&byte, 1));
    auto a = Drain(s);
    got.insert(got.end(), a.begin(), a.end());
  }
  EXPECT_EQ(got, want);
}

TEST(SplitterTest, RandomChunks) {
  std::vector<uint8_t> stream;
  for (int i = 0; i < 50; ++i) {
    auto t = ThreeMessages();
    stream.insert(stream.end(), t.begin(), t.end());
  }
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    MessageSplitter s;
    size_t count = 0, pos = 0;
    while (pos < stream.size()) {
      size_t n = std::min<size_t>(stream.size() - pos, rng() % 64);
      s.Feed(absl::MakeConstSpan(stream).subspan(pos, n));
      pos += n;
      count += Drain(s).size();
    }
    EXPECT_EQ(count, 150u);
  }
}

TEST(SplitterTest, HeaderErrorIsFinal) {
  MessageSplitter s;
  auto bad =
      Msg("0013"
          "09");
  s.Feed(bad);
  auto r = s.Next();
  ExpectNotify(r.status(), 1, 3, "09");
  s.Feed(
      Msg("0013"
          "04"));
  EXPECT_FALSE(s.Next().ok());
}

TEST(SplitterTest, BuffersAtMostOneMessage) {
  MessageSplitter s;
  auto big =
      Msg("1000"
          "02" +
          std::string(2 * (4096 - 19), '0'));
  // The header says 4096; the splitter waits for the rest.
  s.Feed(absl::MakeConstSpan(big).subspan(0, 100));
  auto r = s.Next();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // A hostile header is rejected before buffering its body.
  MessageSplitter t;
  t.Feed(
      Msg("ffff"
          "02"));
  EXPECT_FALSE(t.Next().ok());
}

TEST(MessageTest, KeepaliveRoundTrip) {
  auto m =
      Msg("0013"
          "04");
  auto d = DecodeMessage(m, SessionParams{});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(TypeOf(*d), MessageType::kKeepalive);
  auto e = EncodeMessage(*d, SessionParams{});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ToHex(*e), ToHex(m));
}

TEST(MessageTest, LengthFieldMustMatchTheSpan) {
  auto m =
      Msg("0014"
          "02"
          "0000"
          "0000");  // says 20, has 23
  ExpectNotify(DecodeMessage(m, SessionParams{}).status(), 1, 2, "0014");
}

TEST(MessageTest, EncodeRejectsOversizeUpdate) {
  Update u;
  PathAttribute big;
  big.flags = kAttrOptional | kAttrTransitive;
  big.code = 99;
  big.value.assign(5000, 0);
  u.attributes.push_back(big);
  auto e = EncodeMessage(Message(u), SessionParams{});
  EXPECT_EQ(e.status().code(), absl::StatusCode::kOutOfRange);
  SessionParams ext;
  ext.extended_message = true;
  EXPECT_TRUE(EncodeMessage(Message(u), ext).ok());
}

TEST(MessageTest, TypeNames) {
  EXPECT_EQ(MessageTypeName(1), "OPEN");
  EXPECT_EQ(MessageTypeName(5), "ROUTE_REFRESH");
  EXPECT_EQ(MessageTypeName(77), "TYPE_77");
}

}  // namespace
}  // namespace bgpy
