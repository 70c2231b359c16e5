// Tests of the family table (nlri.h): every registered row has every hook,
// and for every row wire -> typed -> wire and text -> typed -> text hold on
// seeded random values; UpdateBuilder builds any registered family and the
// per-route iteration reads it back.
#include "bgpy/nlri.h"

#include <random>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/hex.h"
#include "bgpy/json.h"
#include "bgpy/update.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testlib/flowspec_random.h"
#include "testlib/hex.h"

namespace bgpy {
namespace {

using ::bgpy::testing::FromHex;

// A random value of the row's type: a prefix for IP rows (host bits clear),
// bytes for opaque rows.
NlriValue RandomValue(const FamilyDesc& d, std::mt19937_64& rng) {
  if (d.opaque) {
    OpaqueNlri o;
    const size_t n = 1 + rng() % 40;
    for (size_t i = 0; i < n; ++i)
      o.bytes.push_back(static_cast<uint8_t>(rng()));
    return o;
  }
  if (d.family == Family(Afi::kIpv4, Safi::kRouteTarget)) {  // RFC 4684
    RtcRoute r;
    const int n = static_cast<int>(rng() % 66);  // 65: default, else 32..96
    if (n == 65) return r;
    r.length = static_cast<uint8_t>(32 + n);
    r.origin_as = static_cast<uint32_t>(rng());
    const int rt_bits = r.length - 32;
    r.route_target = rt_bits == 0    ? 0
                     : rt_bits == 64 ? rng()
                                     : rng() & ~(~uint64_t{0} >> rt_bits);
    return r;
  }
  if (d.family == Family(Afi::kL2vpn, Safi::kEvpn)) {
    // An EVPN route of type 1-5, from the row's generator.
    RouteTemplate t;
    t.evpn_route_type = static_cast<uint8_t>(1 + rng() % 5);
    t.rd = RouteDistinguisher::FromRaw(rng() & 0xffffffffffffULL);
    for (uint8_t& b : t.mac.bytes) b = static_cast<uint8_t>(rng() | 1);
    for (uint8_t& b : t.esi.bytes) b = static_cast<uint8_t>(rng());
    t.prefix = *Prefix::Make(IpAddress::V4(static_cast<uint32_t>(rng())), 32);
    t.ethernet_tag = static_cast<uint32_t>(rng() % 1000);
    if (rng() % 2) t.vni = static_cast<uint32_t>(rng() & 0xffffff);
    absl::StatusOr<NlriValue> v = d.generate(t, rng() % 1000);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : NlriValue();
  }
  if (d.family.safi == Safi::kFlowSpec || d.family.safi == Safi::kFlowSpecVpn) {
    return testing::RandomFlowspecRule(
        d.family.afi, d.family.safi == Safi::kFlowSpecVpn, rng);
  }
  // Labelled (SAFI 4) and VPN (SAFI 128) rows: one label, an RD of type 0.
  const bool labelled = d.family.safi == Safi::kLabeledUnicast;
  const bool vpn = d.family.safi == Safi::kMplsVpn;
  uint8_t bytes[16];
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  const int bits =
      labelled || vpn ? (d.family.afi == Afi::kIpv4 ? 32 : 128) : d.prefix_bits;
  const int len = static_cast<int>(rng() % (bits + 1));
  for (int i = 0; i < 16; ++i) {
    const int keep = len - 8 * i;
    if (keep <= 0) {
      bytes[i] = 0;
    } else if (keep < 8) {
      bytes[i] &= static_cast<uint8_t>(0xff << (8 - keep));
    }
  }
  IpAddress a =
      bits == 32 ? IpAddress::V4Bytes(bytes) : IpAddress::V6Bytes(bytes);
  absl::StatusOr<Prefix> p = Prefix::Make(a, len);
  EXPECT_TRUE(p.ok()) << p.status();
  const LabelStack labels =
      LabelStack::Of({16 + static_cast<uint32_t>(rng() % 1000000)});
  if (labelled) return LabelledPrefix{labels, *p};
  if (vpn) {
    return VpnPrefix{labels,
                     RouteDistinguisher::FromRaw(rng() & 0xffffffffffff), *p};
  }
  return *p;
}

TEST(FamilyTable, EveryRowHasEveryHook) {
  ASSERT_FALSE(RegisteredFamilies().empty());
  std::set<std::string> names;
  for (const FamilyDesc* d : RegisteredFamilies()) {
    SCOPED_TRACE(d->name == nullptr ? "(no name)" : d->name);
    ASSERT_NE(d->name, nullptr);
    EXPECT_TRUE(names.insert(d->name).second) << "duplicate name";
    EXPECT_NE(d->split_entry, nullptr);
    EXPECT_NE(d->decode, nullptr);
    EXPECT_NE(d->encode, nullptr);
    EXPECT_NE(d->encoded_size, nullptr);
    EXPECT_NE(d->parse, nullptr);
    EXPECT_NE(d->advance, nullptr);
    EXPECT_NE(d->generate, nullptr);
    EXPECT_NE(d->text, nullptr);
    EXPECT_NE(d->json, nullptr);
    EXPECT_NE(d->check_next_hop, nullptr);
    EXPECT_NE(d->decode_next_hop, nullptr);
    EXPECT_NE(d->encode_next_hop, nullptr);
    // Names come from the rows, both ways.
    EXPECT_EQ(FindFamily(d->family), d);
    EXPECT_EQ(FindFamilyByName(d->name), d);
    EXPECT_EQ(FamilyName(d->family), d->name);
    absl::StatusOr<Family> f = ParseFamily(d->name);
    ASSERT_TRUE(f.ok()) << f.status();
    EXPECT_EQ(*f, d->family);
  }
}

TEST(FamilyTable, DesignFamiliesAreNamed) {
  // DESIGN.md "Families": every name is in the table.
  for (const char* name :
       {"ipv4-unicast", "ipv6-unicast", "ipv4-multicast", "ipv6-multicast",
        "ipv4-labelled-unicast", "ipv6-labelled-unicast", "l3vpn-ipv4-unicast",
        "l3vpn-ipv6-unicast", "l2vpn-evpn", "ipv4-flowspec", "ipv6-flowspec",
        "l3vpn-ipv4-flowspec", "l3vpn-ipv6-flowspec", "rtc"}) {
    EXPECT_NE(FindFamilyByName(name), nullptr) << name;
  }
  EXPECT_EQ(FamilyName(Family(static_cast<uint16_t>(3), 7)), "afi-3-safi-7");
  EXPECT_EQ(*ParseFamily("afi-3-safi-7"), Family(static_cast<uint16_t>(3), 7));
  EXPECT_FALSE(ParseFamily("ipv5-unicast").ok());
  // What a listener offers: the decoded rows only.
  std::vector<Family> decoded = DecodedFamilies();
  EXPECT_THAT(decoded, ::testing::Contains(kIpv4Unicast));
  for (Family f : decoded) EXPECT_TRUE(IsKnownFamily(f));
}

TEST(FamilyTable, WireTypedWireRoundTrip) {
  for (const FamilyDesc* d : RegisteredFamilies()) {
    for (uint64_t seed = 1; seed <= 200; ++seed) {
      SCOPED_TRACE(absl::StrCat(d->name, " seed ", seed));
      std::mt19937_64 rng(seed);
      const NlriValue v = RandomValue(*d, rng);
      std::vector<uint8_t> wire_bytes;
      {
        wire::Writer w(&wire_bytes);
        ASSERT_TRUE(d->encode(v, w));
      }
      EXPECT_EQ(wire_bytes.size(), d->encoded_size(v));
      // Split (as the NLRI walk does) and decode.
      wire::Reader r(wire_bytes);
      wire::Bytes entry;
      std::string why;
      ASSERT_TRUE(d->split_entry(r, entry, &why)) << why;
      EXPECT_TRUE(r.empty());
      EXPECT_TRUE(NlriView::Validate(d->family, wire_bytes, false, 10).ok());
      NlriValue back;
      ASSERT_TRUE(d->decode(entry, back).ok());
      EXPECT_EQ(back, v);
      std::vector<uint8_t> again;
      {
        wire::Writer w(&again);
        ASSERT_TRUE(d->encode(back, w));
      }
      EXPECT_EQ(again, wire_bytes);
    }
  }
}

TEST(FamilyTable, TextTypedTextRoundTrip) {
  for (const FamilyDesc* d : RegisteredFamilies()) {
    for (uint64_t seed = 1; seed <= 200; ++seed) {
      SCOPED_TRACE(absl::StrCat(d->name, " seed ", seed));
      std::mt19937_64 rng(seed);
      const NlriValue v = RandomValue(*d, rng);
      std::string text;
      d->text(v, text);
      ASSERT_FALSE(text.empty());
      absl::StatusOr<NlriValue> parsed = d->parse(text);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(*parsed, v);
      std::string again;
      d->text(*parsed, again);
      EXPECT_EQ(again, text);
      // JSON fields are written into an open object.
      std::string json;
      JsonWriter j(&json);
      j.BeginObject();
      d->json(v, j);
      j.EndObject();
      EXPECT_EQ(json.front(), '{');
      EXPECT_NE(json.find(':'), std::string::npos) << json;
    }
  }
}

TEST(FamilyTable, IpGoldenText) {
  const FamilyDesc* v4 = FindFamily(kIpv4Unicast);
  const FamilyDesc* v6 = FindFamily(kIpv6Unicast);
  NlriValue v;
  ASSERT_TRUE(v4->decode(FromHex("18 0a0001"), v).ok());
  EXPECT_EQ(NlriText(kIpv4Unicast, v), "10.0.1.0/24");
  ASSERT_TRUE(v6->decode(FromHex("20 20010db8"), v).ok());
  EXPECT_EQ(NlriText(kIpv6Unicast, v), "2001:db8::/32");
  std::string json;
  JsonWriter j(&json);
  j.BeginObject();
  v6->json(v, j);
  j.EndObject();
  EXPECT_EQ(json, R"({"prefix":"2001:db8::/32"})");
  // Parsing refuses the other address family and bad text.
  EXPECT_FALSE(v4->parse("2001:db8::/32").ok());
  EXPECT_FALSE(v6->parse("10.0.0.0/8").ok());
  EXPECT_FALSE(v4->parse("10.0.0.1/33").ok());
  EXPECT_FALSE(v4->parse("ten").ok());
  // Stepping: the next block of the same length.
  absl::StatusOr<NlriValue> next = v4->advance(*v4->parse("10.0.0.0/24"), 3);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(NlriText(kIpv4Unicast, *next), "10.0.3.0/24");
  EXPECT_EQ(v4->advance(*v4->parse("255.255.255.0/24"), 1).status().code(),
            absl::StatusCode::kOutOfRange);
  // Generating: route i of a run is the i-th next block after the template.
  RouteTemplate t;
  t.prefix = *Prefix::Parse("10.0.0.0/24");
  absl::StatusOr<NlriValue> gen = v4->generate(t, 258);
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(NlriText(kIpv4Unicast, *gen), "10.1.2.0/24");
  EXPECT_EQ(v6->generate(t, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The value of another family does not encode.
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  EXPECT_FALSE(v4->encode(*v6->parse("2001:db8::/32"), w));
}

TEST(FamilyTable, OpaqueRowsKeepBytes) {
  // VPLS (RFC 4761, AFI 25 SAFI 65) has no row at all: its whole NLRI field
  // is one entry of bytes, shown as hex and re-encoded as found.
  const Family vpls(25, 65);
  EXPECT_EQ(FindFamily(vpls), nullptr);
  EXPECT_FALSE(IsKnownFamily(vpls));
  const std::vector<uint8_t> bytes =
      FromHex("0011 0001c0000201 0001 0001 0008 000641");
  NlriView view(vpls, bytes, false);
  ASSERT_EQ(view.size(), 1u);
  EXPECT_EQ(view.begin()->bytes.size(), bytes.size());
  EXPECT_EQ(FormatNlriEntry(vpls, bytes), HexString(bytes));
  NlriValue v;
  ASSERT_TRUE(DecodeNlri(vpls, bytes, v).ok());
  ASSERT_TRUE(std::holds_alternative<OpaqueNlri>(v));
  EXPECT_EQ(std::get<OpaqueNlri>(v).bytes, bytes);
  std::vector<uint8_t> out;
  {
    wire::Writer w(&out);
    ASSERT_TRUE(EncodeNlri(vpls, v, w));
  }
  EXPECT_EQ(out, bytes);
}

TEST(FamilyTable, NextHopRoundTrip) {
  struct Case {
    Family family;
    const char* hex;
    const char* text;
  };
  const Case cases[] = {
      {kIpv6Unicast, "20010db8000000000000000000000001", "2001:db8::1"},
      {kIpv6Unicast,
       "20010db8000000000000000000000001fe800000000000000000000000000001",
       "2001:db8::1 fe80::1"},
      {kIpv4Unicast, "c0000201", "192.0.2.1"},
      // RFC 8950: IPv4 NLRI with an IPv6 next hop.
      {kIpv4Unicast, "20010db8000000000000000000000001", "2001:db8::1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    const FamilyDesc* d = FindFamily(c.family);
    const std::vector<uint8_t> nh = FromHex(c.hex);
    ASSERT_TRUE(d->check_next_hop(nh).ok());
    absl::StatusOr<MpNextHop> decoded = d->decode_next_hop(nh);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->ToString(), c.text);
    std::vector<uint8_t> out;
    {
      wire::Writer w(&out);
      ASSERT_TRUE(d->encode_next_hop(*decoded, w));
    }
    EXPECT_EQ(HexString(out), c.hex);
  }
  EXPECT_FALSE(
      FindFamily(kIpv6Unicast)->check_next_hop(FromHex("c0000201")).ok());
}

// UpdateBuilder encodes through the row, so every registered family can be
// built; the per-route iteration reads the same values back.
TEST(FamilyTable, BuilderBuildsEveryFamilyAndRoutesReadBack) {
  for (const FamilyDesc* d : RegisteredFamilies()) {
    for (bool add_path : {false, true}) {
      SCOPED_TRACE(absl::StrCat(d->name, add_path ? " add-path" : ""));
      SessionParams params;
      params.SetAddPath(d->family, add_path);
      UpdateBuilder b(params);
      PathAttributes attrs;
      attrs.origin = Origin::kIgp;
      attrs.as_path = AsPath{};
      MpNextHop nh;
      nh.address = *IpAddress::Parse(d->family.afi == Afi::kIpv6 ? "2001:db8::1"
                                                                 : "192.0.2.1");
      if (d->family == kIpv4Unicast) attrs.next_hop = nh.address;
      ASSERT_TRUE(b.SetAttributes(attrs, d->family, nh).ok());
      // Opaque families carry one entry per field.
      const int n = d->opaque ? 1 : 50;
      std::mt19937_64 rng(7);
      std::vector<NlriValue> values;
      std::vector<uint8_t> out;
      for (int i = 0; i < n; ++i) {
        values.push_back(RandomValue(*d, rng));
        absl::Status st = b.AnnounceValue(values.back(), 100 + i);
        if (absl::IsResourceExhausted(st)) {
          b.Flush(out);
          st = b.AnnounceValue(values.back(), 100 + i);
        }
        ASSERT_TRUE(st.ok()) << st;
      }
      b.Flush(out);
      // Read every message back.
      std::vector<NlriValue> seen;
      wire::Reader r(out);
      while (!r.empty()) {
        wire::Bytes hdr = r.rest();
        const size_t len = size_t{hdr[16]} << 8 | hdr[17];
        wire::Bytes msg;
        ASSERT_TRUE(r.ReadBytes(len, msg));
        absl::StatusOr<UpdateView> v = UpdateView::Parse(msg, params);
        ASSERT_TRUE(v.ok()) << v.status();
        for (const RouteView& route : v->routes()) {
          EXPECT_EQ(route.family, d->family);
          EXPECT_FALSE(route.withdraw);
          EXPECT_EQ(route.desc, d);
          ASSERT_EQ(route.path_id.has_value(), add_path);
          if (add_path) {
            EXPECT_EQ(*route.path_id, 100 + seen.size());
          }
          std::optional<MpNextHop> hop = route.next_hop();
          ASSERT_TRUE(hop.has_value());
          EXPECT_EQ(hop->address, nh.address);
          seen.push_back(route.value());
        }
      }
      EXPECT_EQ(seen, values);
    }
  }
}

TEST(RouteIteration, WithdrawalsFirstThenAnnouncements) {
  // IPv4 body withdrawal + NLRI, and an MP_UNREACH for IPv6.
  SessionParams params;
  UpdateBuilder b(params);
  std::vector<uint8_t> out;
  ASSERT_TRUE(b.Withdraw(*Prefix::Parse("10.9.0.0/16")));
  PathAttributes attrs;
  attrs.origin = Origin::kIgp;
  attrs.as_path = AsPath{};
  attrs.next_hop = *IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(b.SetAttributes(attrs, kIpv4Unicast).ok());
  ASSERT_TRUE(b.Announce(*Prefix::Parse("10.0.0.0/24")));
  ASSERT_TRUE(b.Announce(*Prefix::Parse("10.0.1.0/24")));
  b.Flush(out);
  absl::StatusOr<UpdateView> v = UpdateView::Parse(out, params);
  ASSERT_TRUE(v.ok()) << v.status();
  std::vector<std::string> got;
  for (const RouteView& r : v->routes()) {
    got.push_back(absl::StrCat(r.withdraw ? "-" : "+", r.Text(),
                               r.next_hop() ? " via " : "",
                               r.next_hop() ? r.next_hop()->ToString() : ""));
    EXPECT_TRUE(r.is_ip_prefix());
    EXPECT_EQ(r.prefix().ToString(), r.Text());
  }
  EXPECT_THAT(
      got, ::testing::ElementsAre("-10.9.0.0/16", "+10.0.0.0/24 via 192.0.2.1",
                                  "+10.0.1.0/24 via 192.0.2.1"));
  EXPECT_EQ(v->routes().size(), 3u);
  // An UPDATE with no routes iterates nothing.
  std::vector<uint8_t> eor = UpdateBuilder::EndOfRib(kIpv6Unicast);
  absl::StatusOr<UpdateView> e = UpdateView::Parse(eor, params);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->routes().begin(), e->routes().end());
}

}  // namespace
}  // namespace bgpy
