// Copyright 2026 The bgpy Authors.
//
// Route Target membership (RFC 4684 §4): AFI 1 / SAFI 132. An entry is a
// length octet (bits, 0 or 32..96) and the first ceil(length/8) octets of
// origin AS (4) + route target (8). The typed value is an RtcRoute
// (bgpy/rtc.h, which also fixes the operator text). The next hop is an IPv4
// or IPv6 address, as for unicast.
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/json.h"
#include "families/registry.h"

namespace bgpy {
namespace {

constexpr int kMaxBits = 96;
constexpr int kOriginAsBits = 32;

// The route target's bits kept by a prefix of `length` bits (32..96).
uint64_t RtMask(int length) {
  const int rt_bits = length - kOriginAsBits;
  if (rt_bits <= 0) return 0;
  if (rt_bits >= 64) return ~uint64_t{0};
  return ~(~uint64_t{0} >> rt_bits);
}

ExtendedCommunity ToCommunity(uint64_t rt) {
  ExtendedCommunity c;
  for (int i = 0; i < 8; ++i)
    c.bytes[i] = static_cast<uint8_t>(rt >> (56 - 8 * i));
  return c;
}

absl::Status CheckLength(int length) {
  if (length == 0 || (length >= kOriginAsBits && length <= kMaxBits)) {
    return absl::OkStatus();
  }
  if (length > kMaxBits) {
    return absl::InvalidArgumentError(
        absl::StrFormat("RTC prefix length %d exceeds 96", length));
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "RTC prefix length %d: 0 or 32..96 (RFC 4684 §4: the origin AS is "
      "never a prefix)",
      length));
}

}  // namespace

std::string RtcRoute::ToString() const {
  if (length == 0) return "default";
  std::string out =
      absl::StrCat(origin_as, ":", ToCommunity(route_target).ToString());
  if (length != kMaxBits) absl::StrAppend(&out, "/", length);
  return out;
}

absl::StatusOr<RtcRoute> RtcRoute::Parse(absl::string_view text) {
  RtcRoute r;
  if (text == "default") return r;
  auto bad = [text](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("RTC route \"", text, "\": ", why,
                     " (expected default or ORIGIN-AS:RT[/LEN], e.g. "
                     "65000:rt:65000:100)"));
  };
  absl::string_view body = text;
  int length = kMaxBits;
  if (size_t slash = body.rfind('/'); slash != absl::string_view::npos) {
    absl::string_view len_text = body.substr(slash + 1);
    if (len_text.empty() || len_text[0] == '+' || len_text[0] == '-' ||
        !absl::SimpleAtoi(len_text, &length)) {
      return bad("bad prefix length");
    }
    body = body.substr(0, slash);
    if (length == 0) return bad("a length of 0 is written \"default\"");
  }
  if (absl::Status st = CheckLength(length); !st.ok()) return bad(st.message());
  const size_t colon = body.find(':');
  if (colon == absl::string_view::npos) return bad("missing ':'");
  absl::string_view as_text = body.substr(0, colon);
  uint32_t as = 0;
  if (as_text.empty() || as_text[0] == '+' || as_text[0] == '-' ||
      !absl::SimpleAtoi(as_text, &as)) {
    return bad("bad origin AS");
  }
  absl::StatusOr<ExtendedCommunity> rt =
      ExtendedCommunity::Parse(body.substr(colon + 1));
  if (!rt.ok()) return bad(rt.status().message());
  uint64_t v = 0;
  for (uint8_t b : rt->bytes) v = (v << 8) | b;
  if ((v & ~RtMask(length)) != 0) {
    return bad(
        absl::StrCat("route target bits past /", length, " must be zero"));
  }
  r.origin_as = as;
  r.route_target = v;
  r.length = static_cast<uint8_t>(length);
  return r;
}

namespace internal {
namespace {

bool SplitRtc(wire::Reader& r, wire::Bytes& entry, std::string* why) {
  const wire::Bytes rest = r.rest();
  if (rest.empty()) {
    if (why) *why = "empty RTC entry";
    return false;
  }
  const int len = rest[0];
  if (absl::Status st = CheckLength(len); !st.ok()) {
    if (why) *why = std::string(st.message());
    return false;
  }
  const size_t n = (len + 7u) / 8u;
  if (rest.size() - 1 < n) {
    if (why) {
      *why = absl::StrFormat("RTC prefix length %d needs %d octets, %d left",
                             len, n, rest.size() - 1);
    }
    return false;
  }
  r.ReadBytes(1 + n, entry);
  return true;
}

absl::Status DecodeRtc(wire::Bytes entry, NlriValue& out) {
  if (entry.empty()) return absl::InvalidArgumentError("empty RTC entry");
  const int len = entry[0];
  BGPY_RETURN_IF_ERROR(CheckLength(len));
  const size_t n = (len + 7u) / 8u;
  if (entry.size() != 1 + n) {
    return absl::InvalidArgumentError(
        absl::StrFormat("RTC prefix length %d needs %d octets, entry has %d",
                        len, n, entry.size() - 1));
  }
  uint8_t b[12] = {};
  std::memcpy(b, entry.data() + 1, n);
  RtcRoute r;
  r.length = static_cast<uint8_t>(len);
  for (int i = 0; i < 4; ++i) r.origin_as = (r.origin_as << 8) | b[i];
  uint64_t rt = 0;
  for (int i = 4; i < 12; ++i) rt = (rt << 8) | b[i];
  // Bits past the length are irrelevant (as for IP prefixes): cleared.
  r.route_target = len == 0 ? 0 : rt & RtMask(len);
  if (len == 0) r.origin_as = 0;
  out = r;
  return absl::OkStatus();
}

const RtcRoute* Get(const NlriValue& v) { return std::get_if<RtcRoute>(&v); }

size_t SizeRtc(const NlriValue& v) {
  const RtcRoute* r = Get(v);
  return r != nullptr ? 1 + (r->length + 7u) / 8u : 0;
}

bool EncodeRtc(const NlriValue& v, wire::Writer& w) {
  const RtcRoute* r = Get(v);
  if (r == nullptr || !CheckLength(r->length).ok()) return false;
  uint8_t b[12];
  for (int i = 0; i < 4; ++i)
    b[i] = static_cast<uint8_t>(r->origin_as >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i)
    b[4 + i] = static_cast<uint8_t>(r->route_target >> (56 - 8 * i));
  const size_t n = (r->length + 7u) / 8u;
  // Bits past the length go out as zero.
  if (r->length % 8 != 0)
    b[n - 1] &= static_cast<uint8_t>(0xff << (8 - r->length % 8));
  w.WriteU8(r->length);
  w.WriteBytes(wire::Bytes(b, n));
  return w.ok();
}

absl::StatusOr<NlriValue> ParseRtc(absl::string_view text) {
  absl::StatusOr<RtcRoute> r = RtcRoute::Parse(text);
  if (!r.ok()) return r.status();
  return NlriValue(*r);
}

// The local administrator field of a route target: its offset and width in
// octets (RFC 4360 §3.1, §3.2; RFC 5668 §2). 0 when not a route target.
int LocalOffset(uint64_t rt, int* width) {
  const ExtendedCommunity c = ToCommunity(rt);
  if (!c.IsRouteTarget()) return 0;
  const uint8_t kind = c.type() & 0x3f;
  *width = kind == 0x00 ? 4 : 2;
  return 8 - *width;
}

absl::StatusOr<RtcRoute> Step(const RtcRoute& first, uint64_t n) {
  if (n == 0) return first;
  if (first.length != kMaxBits) {
    return absl::UnimplementedError(
        "only full-length RTC routes (a whole route target) can be stepped");
  }
  int width = 0;
  if (LocalOffset(first.route_target, &width) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToCommunity(first.route_target).ToString(),
                     " is not a route target (rt:...)"));
  }
  const uint64_t max = width == 4 ? 0xffffffffu : 0xffffu;
  const uint64_t local = first.route_target & max;
  if (n > max - local) {
    return absl::OutOfRangeError(absl::StrCat(
        "route target local number ", local, " + ", n, " exceeds ", max));
  }
  RtcRoute r = first;
  r.route_target = (first.route_target & ~max) | (local + n);
  return r;
}

absl::StatusOr<NlriValue> AdvanceRtc(const NlriValue& v, uint64_t n) {
  const RtcRoute* r = Get(v);
  if (r == nullptr) return absl::InvalidArgumentError("not an RTC route");
  absl::StatusOr<RtcRoute> q = Step(*r, n);
  if (!q.ok()) return q.status();
  return NlriValue(*q);
}

absl::StatusOr<NlriValue> GenerateRtc(const RouteTemplate& t, uint64_t i) {
  if (!t.route_target) {
    return absl::InvalidArgumentError(
        "rtc routes need a route target: --route-targets=rt:ASN:N");
  }
  RtcRoute first;
  first.origin_as = t.origin_as;
  first.route_target = *t.route_target;
  first.length = kMaxBits;
  int width = 0;
  if (LocalOffset(first.route_target, &width) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--route-targets: ", ToCommunity(first.route_target).ToString(),
        " is not a route target (rt:...)"));
  }
  absl::StatusOr<RtcRoute> r = Step(first, i);
  if (!r.ok()) return r.status();
  return NlriValue(*r);
}

void TextRtc(const NlriValue& v, std::string& out) {
  if (const RtcRoute* r = Get(v)) {
    out += r->ToString();
  } else {
    OpaqueText(v, out);
  }
}

void JsonRtc(const NlriValue& v, JsonWriter& j) {
  const RtcRoute* r = Get(v);
  if (r == nullptr) {
    OpaqueJson(v, j);
    return;
  }
  j.Field("rtc", r->ToString());
  if (r->is_default()) {
    j.Field("default", true);
  } else {
    j.Field("origin_as", r->origin_as);
    j.Field("route_target", ToCommunity(r->route_target).ToString());
  }
  j.Field("prefix_length", static_cast<unsigned>(r->length));
}

}  // namespace

// RFC 4684.
const FamilyDesc kRtcFamily = {
    .family = Family(Afi::kIpv4, Safi::kRouteTarget),
    .name = "rtc",
    .opaque = false,
    .prefix_bits = 0,
    .split_entry = &SplitRtc,
    .decode = &DecodeRtc,
    .encode = &EncodeRtc,
    .encoded_size = &SizeRtc,
    .parse = &ParseRtc,
    .advance = &AdvanceRtc,
    .generate = &GenerateRtc,
    .text = &TextRtc,
    .json = &JsonRtc,
    .check_next_hop = &CheckV4NextHop,
    .decode_next_hop = &DecodeNextHop,
    .encode_next_hop = &EncodeNextHop,
};

}  // namespace internal
}  // namespace bgpy
