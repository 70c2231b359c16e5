// Copyright 2026 The bgpy Authors.
//
// nlri_fuzzer: one family's NLRI decoder and next-hop hooks, driven through
// its FamilyDesc row (nlri.h) the way an MP_REACH_NLRI attribute reaches
// them. The same source serves every family:
//  - compiled with -DBGPY_FUZZ_FAMILY="l2vpn-evpn" it fuzzes that family;
//    the per-family libFuzzer binaries nlri_<name>_fuzzer share one
//    compilation (-DBGPY_FUZZ_FAMILY_LINKED) and each link a generated
//    bgpy_fuzz_family[] = "<name>";
//  - otherwise the family is the one named by the environment variable
//    BGPY_FUZZ_FAMILY (how ctest runs nlri_fuzzer_replay per family), or,
//    when that is unset, RegisteredFamilies()[octet 0 >> 1] (modulo the
//    count): one binary that reaches every registered row.
//
// Input: octet 0 bit 0 = ADD-PATH (a 4-octet path id before each entry);
// octet 1 = next hop length n (cut to what is left); then n octets of next
// hop, then the NLRI field (the rest), as in MP_REACH_NLRI after its
// AFI/SAFI (RFC 4760 §3, without the reserved octet).
//
// Properties (abort on violation):
//  - NlriView::Validate never crashes; when it accepts the field, iteration
//    yields entries with a path id iff ADD-PATH, size() agrees, and the
//    entries cover the field exactly;
//  - decode fails only with kInvalidArgument; for a decoded value:
//      encode writes exactly encoded_size octets, fails into a buffer one
//        octet short and succeeds into one of exactly that size;
//      encode(decode(entry)) == entry, except that decode may clear low bits
//        of octets (host bits after a prefix, RFC 4271 §4.3 "irrelevant"):
//        then the re-encoding has the entry's length, differs only by
//        cleared low-order runs (for FlowSpec also by cleared reserved
//        operator bits, RFC 8955 "ignored", and a length below 240 sent in
//        the 2-octet form comes back in one octet), and is a fixed point
//        (BGPY_FUZZ_STRICT=1 in the environment turns this allowance off);
//      text -> parse succeeds, gives the same text and the same encoding;
//      json writes one valid JSON object (a strict RFC 8259 syntax check);
//      advance(v, 1), when it succeeds, gives an encodable value;
//  - check_next_hop / decode_next_hop / encode_next_hop never crash; a
//    decoded next hop re-encodes to the input's length (to the same octets
//    except the link-local's RD of the 48-octet VPN form, which MpNextHop
//    does not keep), decodes again to the same text, and passes the
//    family's check when the input did (FlowSpec: an all-zero address, the
//    rows' "no next hop", may come back empty).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bgpy/attributes.h"
#include "bgpy/json.h"
#include "bgpy/nlri.h"
#include "fuzz_check.h"

#ifdef BGPY_FUZZ_FAMILY_LINKED
// Defined by a one-line source per binary (tests/fuzz/CMakeLists.txt): the
// family's name, or "" for the environment / octet 0.
extern "C" const char bgpy_fuzz_family[];
#endif

namespace bgpy::fuzz {
namespace {

// The family under test, or nullptr to pick it from octet 0.
const FamilyDesc* FixedFamily() {
#ifdef BGPY_FUZZ_FAMILY
  static const FamilyDesc* const d = [] {
    const FamilyDesc* f = FindFamilyByName(BGPY_FUZZ_FAMILY);
    if (f == nullptr) {
      std::fprintf(stderr, "nlri_fuzzer: no family named %s\n",
                   BGPY_FUZZ_FAMILY);
      std::abort();
    }
    return f;
  }();
  return d;
#else
  static const FamilyDesc* const d = []() -> const FamilyDesc* {
    const char* name = nullptr;
#ifdef BGPY_FUZZ_FAMILY_LINKED
    if (bgpy_fuzz_family[0] != '\0') name = bgpy_fuzz_family;
#endif
    if (name == nullptr) name = std::getenv("BGPY_FUZZ_FAMILY");
    if (name == nullptr || *name == '\0') return nullptr;
    const FamilyDesc* f = FindFamilyByName(name);
    if (f == nullptr) {
      std::fprintf(stderr, "nlri_fuzzer: no family named %s\n", name);
      std::abort();
    }
    return f;
  }();
  return d;
#endif
}

bool Strict() {
  static const bool strict = [] {
    const char* s = std::getenv("BGPY_FUZZ_STRICT");
    return s != nullptr && *s == '1';
  }();
  return strict;
}

std::vector<uint8_t> Encode(const FamilyDesc& d, const NlriValue& v) {
  std::vector<uint8_t> out;
  bool ok;
  {
    wire::Writer w(&out);
    ok = d.encode(v, w);
  }
  FUZZ_CHECK(ok, "encode of a value of the family failed");
  FUZZ_CHECK(out.size() == d.encoded_size(v),
             "encoded_size differs from what encode wrote");
  return out;
}

std::string Text(const FamilyDesc& d, const NlriValue& v) {
  std::string s;
  d.text(v, s);
  return s;
}

// True when `got` is `want` with some low-order bits of some octets cleared
// (each differing octet keeps a non-empty high part and zeroes all below).
// For FlowSpec (`flowspec` true) an octet may instead lose only reserved
// operator bits (0x08 of a numeric operator, 0x0c of a bitmask operator),
// which RFC 8955 §4.2.1.1/§4.2.1.2 says are ignored on receipt.
bool OnlyLowBitsCleared(wire::Bytes want, wire::Bytes got, bool flowspec) {
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == got[i]) continue;
    const uint8_t lost = static_cast<uint8_t>(want[i] & ~got[i]);
    if (flowspec && (got[i] & ~want[i]) == 0 && (lost & ~0x0c) == 0) continue;
    bool ok = false;
    for (int k = 1; k < 8 && !ok; ++k) {
      const uint8_t mask = static_cast<uint8_t>(0xff << k);
      ok = got[i] == (want[i] & mask);
    }
    if (!ok) return false;
  }
  return true;
}

void CheckValue(const FamilyDesc& d, wire::Bytes entry, const NlriValue& v) {
  // Sizes and the writer's bounds.
  const std::vector<uint8_t> re = Encode(d, v);
  {
    std::vector<uint8_t> exact(re.size() + 1, 0xa5);
    wire::Writer w(absl::Span<uint8_t>(exact.data(), re.size()));
    FUZZ_CHECK(d.encode(v, w), "encode into a buffer of encoded_size failed");
    FUZZ_CHECK_BYTES(wire::Bytes(re.data(), re.size()),
                     wire::Bytes(exact.data(), re.size()),
                     "encode into a buffer differs from into a vector");
    FUZZ_CHECK(exact[re.size()] == 0xa5, "encode wrote past its buffer");
    if (!re.empty()) {
      wire::Writer s(absl::Span<uint8_t>(exact.data(), re.size() - 1));
      FUZZ_CHECK(!d.encode(v, s), "encode into a short buffer succeeded");
    }
  }
  // Wire round trip.
  const wire::Bytes reb(re.data(), re.size());
  if (reb != entry) {
    const bool flowspec =
        d.family.safi == Safi::kFlowSpec || d.family.safi == Safi::kFlowSpecVpn;
    // FlowSpec: a length below 240 sent in the 2-octet form (0xf0 0xNN,
    // allowed by RFC 8955 §4.1) comes back in the 1-octet form.
    wire::Bytes want = entry;
    wire::Bytes got = reb;
    if (flowspec && entry.size() >= 2 && entry[0] == 0xf0 && entry[1] < 0xf0 &&
        reb.size() + 1 == entry.size() && reb[0] == entry[1]) {
      want = entry.subspan(2);
      got = reb.subspan(1);
    }
    if (Strict() || !OnlyLowBitsCleared(want, got, flowspec)) {
      FUZZ_CHECK_BYTES(entry, reb, "encode(decode(entry)) differs");
    }
    NlriValue again;
    FUZZ_CHECK(d.decode(reb, again).ok(), "a re-encoded entry does not decode");
    const std::vector<uint8_t> re2 = Encode(d, again);
    FUZZ_CHECK_BYTES(reb, wire::Bytes(re2.data(), re2.size()),
                     "a canonical re-encoding is not a fixed point");
    FUZZ_CHECK(Text(d, again) == Text(d, v),
               "re-decoding the re-encoding changed the text");
  }
  // Operator text.
  const std::string text = Text(d, v);
  absl::StatusOr<NlriValue> parsed = d.parse(text);
  if (!parsed.ok()) {
    std::fprintf(stderr, "text: %s\nparse: %s\n", text.c_str(),
                 parsed.status().ToString().c_str());
  }
  FUZZ_CHECK(parsed.ok(), "parse(text(v)) failed");
  FUZZ_CHECK(Text(d, *parsed) == text, "text(parse(text(v))) differs");
  const std::vector<uint8_t> re3 = Encode(d, *parsed);
  FUZZ_CHECK_BYTES(reb, wire::Bytes(re3.data(), re3.size()),
                   "parse(text(v)) encodes differently from v");
  // JSON.
  std::string json;
  {
    JsonWriter j(&json);
    j.BeginObject();
    d.json(v, j);
    j.EndObject();
  }
  if (!JsonSyntax::Valid(json)) {
    std::fprintf(stderr, "json: %s\n", json.c_str());
    FUZZ_CHECK(false, "json hook wrote invalid JSON");
  }
  // The generator's step.
  absl::StatusOr<NlriValue> next = d.advance(v, 1);
  if (next.ok()) (void)Encode(d, *next);
}

void CheckField(const FamilyDesc& d, wire::Bytes field, bool add_path) {
  const absl::Status valid = NlriView::Validate(d.family, field, add_path, 9);
  if (!valid.ok()) return;
  const NlriView view(d.family, field, add_path);
  size_t n = 0;
  size_t covered = 0;
  for (const NlriEntryView& e : view) {
    ++n;
    FUZZ_CHECK(e.path_id.has_value() == add_path,
               "path id presence differs from the ADD-PATH setting");
    covered += (add_path ? 4 : 0) + e.bytes.size();
    NlriValue v;
    const absl::Status s = d.decode(e.bytes, v);
    if (!s.ok()) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument,
                 "decode failed with a code other than kInvalidArgument");
      continue;
    }
    CheckValue(d, e.bytes, v);
  }
  FUZZ_CHECK(n == view.size(), "NlriView::size() disagrees with iteration");
  FUZZ_CHECK(covered == field.size(),
             "the entries of a valid field do not cover it");
}

void CheckNextHop(const FamilyDesc& d, wire::Bytes nh) {
  const bool checked = d.check_next_hop(nh).ok();
  absl::StatusOr<MpNextHop> dec = d.decode_next_hop(nh);
  if (!dec.ok()) return;
  std::vector<uint8_t> out;
  bool ok;
  {
    wire::Writer w(&out);
    ok = d.encode_next_hop(*dec, w);
  }
  FUZZ_CHECK(ok, "a decoded next hop does not encode");
  const wire::Bytes outb(out.data(), out.size());
  // A next hop the family refuses may come back in the family's own form
  // (an L3VPN row writes an RD before a bare address); one it accepts must
  // come back exactly.
  if (!checked) return;
  // FlowSpec rows take the unspecified address for "no next hop" both ways
  // (empty decodes to 0.0.0.0 / ::, and those encode as empty, RFC 8955's
  // usual length 0), so an explicit all-zero address comes back empty.
  const bool flowspec =
      d.family.safi == Safi::kFlowSpec || d.family.safi == Safi::kFlowSpecVpn;
  if (flowspec && out.empty() && !nh.empty() &&
      std::all_of(nh.begin(), nh.end(), [](uint8_t b) { return b == 0; })) {
    FUZZ_CHECK(d.decode_next_hop(outb).ok() && d.check_next_hop(outb).ok(),
               "an empty FlowSpec next hop is refused");
    return;
  }
  if (nh.size() == 48) {
    FUZZ_CHECK(out.size() == 48, "48-octet next hop changed length");
    FUZZ_CHECK_BYTES(nh.subspan(0, 24), outb.subspan(0, 24),
                     "next hop re-encoding differs");
    FUZZ_CHECK_BYTES(nh.subspan(32), outb.subspan(32),
                     "next hop re-encoding differs");
  } else {
    FUZZ_CHECK_BYTES(nh, outb, "next hop re-encoding differs");
  }
  absl::StatusOr<MpNextHop> again = d.decode_next_hop(outb);
  FUZZ_CHECK(again.ok(), "a re-encoded next hop does not decode");
  FUZZ_CHECK(again->ToString() == dec->ToString(),
             "a re-encoded next hop decodes differently");
  FUZZ_CHECK(d.check_next_hop(outb).ok(),
             "a re-encoded next hop fails the family's check");
}

}  // namespace
}  // namespace bgpy::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bgpy;
  const uint8_t flags = size > 0 ? data[0] : 0;
  const FamilyDesc* d = fuzz::FixedFamily();
  if (d == nullptr) {
    const absl::Span<const FamilyDesc* const> all = RegisteredFamilies();
    if (all.empty()) return 0;
    d = all[(flags >> 1) % all.size()];
  }
  const bool add_path = (flags & 0x01) != 0;
  size_t pos = size > 0 ? 1 : 0;
  size_t nh_len = 0;
  if (pos < size) {
    nh_len = data[pos++];
    if (nh_len > size - pos) nh_len = size - pos;
  }
  const wire::Bytes nh(data + pos, nh_len);
  const wire::Bytes field(data + pos + nh_len, size - pos - nh_len);
  fuzz::CheckNextHop(*d, nh);
  fuzz::CheckField(*d, field, add_path);
  return 0;
}
