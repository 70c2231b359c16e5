#include "bgpy/wire.h"

#include <random>

#include "gtest/gtest.h"

namespace bgpy::wire {
namespace {

TEST(ReaderTest, ReadsBigEndian) {
  const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                          0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
  Reader r(data);
  uint8_t u8;
  uint16_t u16;
  uint32_t u24, u32;
  uint64_t u64;
  ASSERT_TRUE(r.ReadU8(u8));
  ASSERT_TRUE(r.ReadU16(u16));
  ASSERT_TRUE(r.ReadU24(u24));
  ASSERT_TRUE(r.ReadU32(u32));
  ASSERT_TRUE(r.ReadU64(u64));
  EXPECT_EQ(u8, 0x01);
  EXPECT_EQ(u16, 0x0203);
  EXPECT_EQ(u24, 0x040506u);
  EXPECT_EQ(u32, 0x0708090au);
  EXPECT_EQ(u64, 0x0b0c0d0e0f101112ull);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.offset(), sizeof(data));
}

TEST(ReaderTest, FailedReadDoesNotMoveTheCursor) {
  const uint8_t data[] = {0xaa, 0xbb, 0xcc};
  Reader r(data);
  uint8_t u8;
  ASSERT_TRUE(r.ReadU8(u8));
  uint32_t u32;
  uint64_t u64;
  Bytes b;
  Reader sub;
  EXPECT_FALSE(r.ReadU32(u32));
  EXPECT_FALSE(r.ReadU24(u32));
  EXPECT_FALSE(r.ReadU64(u64));
  EXPECT_FALSE(r.ReadBytes(3, b));
  EXPECT_FALSE(r.Sub(3, sub));
  EXPECT_FALSE(r.Skip(3));
  EXPECT_EQ(r.offset(), 1u);
  uint16_t u16;
  ASSERT_TRUE(r.ReadU16(u16));
  EXPECT_EQ(u16, 0xbbcc);
  EXPECT_FALSE(r.ReadU8(u8));
  EXPECT_FALSE(r.PeekU8(u8));
}

TEST(ReaderTest, SubReaderIsBounded) {
  const uint8_t data[] = {2, 0x11, 0x22, 0x33};
  Reader r(data);
  uint8_t len;
  ASSERT_TRUE(r.ReadU8(len));
  Reader child;
  ASSERT_TRUE(r.Sub(len, child));
  uint16_t v;
  ASSERT_TRUE(child.ReadU16(v));
  EXPECT_EQ(v, 0x1122);
  uint8_t more;
  EXPECT_FALSE(child.ReadU8(more));  // cannot see the parent's 0x33
  ASSERT_TRUE(r.ReadU8(more));
  EXPECT_EQ(more, 0x33);
}

TEST(WriterTest, FixedBufferFailureIsSticky) {
  uint8_t buf[5];
  Writer w(absl::MakeSpan(buf));
  EXPECT_TRUE(w.WriteU32(0x01020304));
  EXPECT_FALSE(w.WriteU16(0x0506));
  EXPECT_FALSE(w.ok());
  EXPECT_FALSE(w.WriteU8(0x07));  // sticky, even though one octet is free
  EXPECT_EQ(w.size(), 4u);
}

TEST(WriterTest, GrowingVectorAppends) {
  std::vector<uint8_t> out = {0xee};
  {
    Writer w(&out);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(w.WriteU16(i));
  }
  ASSERT_EQ(out.size(), 2001u);
  EXPECT_EQ(out[0], 0xee);
  EXPECT_EQ(out[1999], 0x03);
  EXPECT_EQ(out[2000], 0xe7);
}

TEST(WriterTest, BackPatchedLengths) {
  std::vector<uint8_t> out;
  Writer w(&out);
  size_t l8 = w.ReserveU8();
  w.WriteU16(0xabcd);
  ASSERT_TRUE(w.FillLength8(l8));
  size_t l16 = w.ReserveU16();
  w.WriteZeros(300);
  ASSERT_TRUE(w.FillLength16(l16));
  w.Finish();
  ASSERT_EQ(out.size(), 1u + 2 + 2 + 300);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[3], 0x01);
  EXPECT_EQ(out[4], 0x2c);
}

TEST(WriterTest, LengthThatDoesNotFitFails) {
  std::vector<uint8_t> out;
  Writer w(&out);
  size_t l8 = w.ReserveU8();
  w.WriteZeros(256);
  EXPECT_FALSE(w.FillLength8(l8));
  EXPECT_FALSE(w.ok());
}

TEST(WireRoundTrip, WriterAndReaderStayInSync) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    std::vector<std::pair<int, uint64_t>> ops;
    std::vector<uint8_t> out;
    {
      Writer w(&out);
      for (int i = 0; i < 200; ++i) {
        int kind = rng() % 5;
        uint64_t v = (uint64_t{rng()} << 32) | rng();
        switch (kind) {
          case 0:
            v &= 0xff;
            w.WriteU8(v);
            break;
          case 1:
            v &= 0xffff;
            w.WriteU16(v);
            break;
          case 2:
            v &= 0xffffff;
            w.WriteU24(v);
            break;
          case 3:
            v &= 0xffffffff;
            w.WriteU32(v);
            break;
          case 4:
            w.WriteU64(v);
            break;
        }
        ops.emplace_back(kind, v);
      }
    }
    Reader r(out);
    for (auto [kind, v] : ops) {
      uint64_t got = 0;
      uint8_t a;
      uint16_t b;
      uint32_t c;
      switch (kind) {
        case 0:
          ASSERT_TRUE(r.ReadU8(a));
          got = a;
          break;
        case 1:
          ASSERT_TRUE(r.ReadU16(b));
          got = b;
          break;
        case 2:
          ASSERT_TRUE(r.ReadU24(c));
          got = c;
          break;
        case 3:
          ASSERT_TRUE(r.ReadU32(c));
          got = c;
          break;
        case 4:
          ASSERT_TRUE(r.ReadU64(got));
          break;
      }
      ASSERT_EQ(got, v);
    }
    EXPECT_TRUE(r.empty());
  }
}

}  // namespace
}  // namespace bgpy::wire
