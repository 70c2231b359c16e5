// Copyright 2026 The bgpy Authors.
//
// The NLRI entry shared by labelled unicast (RFC 8277 §2, SAFI 4) and
// L3VPN (RFC 4364 §4.3.4, RFC 4659 §3.2, SAFI 128):
//
//   length (1 octet, in bits, covering everything after it)
//   label stack (3 octets per entry, up to the bottom-of-stack entry)
//   [route distinguisher (8 octets), L3VPN only]
//   prefix (the fewest octets holding length - labels - RD bits)
//
// One template for both: kRd says whether the RD is there. Not installed.
#ifndef BGPY_LIB_FAMILIES_MPLS_NLRI_H_
#define BGPY_LIB_FAMILIES_MPLS_NLRI_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/json.h"
#include "bgpy/vpn.h"
#include "families/registry.h"

namespace bgpy::internal {

// Counts the octets of the label stack at the front of `p` (`n` octets),
// as LabelStack::Read, without allocating. False, saying why, when no
// entry within `n` octets has the bottom-of-stack bit.
inline bool ScanLabels(const uint8_t* p, size_t n, size_t* used,
                       std::string* why) {
  for (size_t at = 0; at + 3 <= n; at += 3) {
    const uint32_t raw =
        uint32_t{p[at]} << 16 | uint32_t{p[at + 1]} << 8 | p[at + 2];
    // RFC 8277 §2.4 withdrawal forms end the stack; else bottom-of-stack.
    if ((at == 0 && (raw == MplsLabel::kWithdrawRaw || raw == 0)) ||
        (raw & 1) != 0) {
      *used = at + 3;
      return true;
    }
  }
  if (why) {
    *why = absl::StrFormat(
        "label stack: no bottom-of-stack bit within the entry's %d octets", n);
  }
  return false;
}

template <Afi kAfi, bool kRd>
struct MplsRow {
  static constexpr int kMaxBits = kAfi == Afi::kIpv4 ? 32 : 128;
  static constexpr size_t kRdOctets = kRd ? 8 : 0;
  using Value = std::conditional_t<kRd, VpnPrefix, LabelledPrefix>;

  static const char* AfiName() { return kAfi == Afi::kIpv4 ? "IPv4" : "IPv6"; }

  // Checks the entry at the front of `rest` and returns its size (length
  // octet included) and the prefix length in bits; false, saying why.
  static bool Check(wire::Bytes rest, size_t* size, int* prefix_bits,
                    std::string* why) {
    if (rest.empty()) {
      if (why) *why = "empty entry";
      return false;
    }
    const int len = rest[0];
    const size_t nbytes = (len + 7u) / 8u;
    if (rest.size() - 1 < nbytes) {
      if (why) {
        *why = absl::StrFormat("length %d bits needs %d octets, %d left", len,
                               nbytes, rest.size() - 1);
      }
      return false;
    }
    const int min_bits = 24 + 8 * static_cast<int>(kRdOctets);
    if (len < min_bits) {
      if (why) {
        *why = absl::StrFormat(
            "length %d bits does not cover a label%s (%d bits)", len,
            kRd ? " and the route distinguisher" : "", min_bits);
      }
      return false;
    }
    size_t label_octets;
    if (!ScanLabels(rest.data() + 1, nbytes, &label_octets, why)) return false;
    const int pbits = len - 8 * static_cast<int>(label_octets + kRdOctets);
    if (pbits < 0) {
      if (why) {
        *why = absl::StrFormat(
            "length %d bits does not cover %d label octets%s", len,
            label_octets, kRd ? " and the route distinguisher" : "");
      }
      return false;
    }
    if (pbits > kMaxBits) {
      if (why) {
        *why = absl::StrFormat(
            "prefix length %d (after %d label octets%s) exceeds %d", pbits,
            label_octets, kRd ? " and the route distinguisher" : "", kMaxBits);
      }
      return false;
    }
    *size = 1 + nbytes;
    *prefix_bits = pbits;
    return true;
  }

  static bool Split(wire::Reader& r, wire::Bytes& entry, std::string* why) {
    size_t size;
    int pbits;
    if (!Check(r.rest(), &size, &pbits, why)) return false;
    return r.ReadBytes(size, entry);
  }

  static absl::Status Decode(wire::Bytes entry, NlriValue& out) {
    std::string why;
    size_t size;
    int pbits;
    if (!Check(entry, &size, &pbits, &why)) {
      return absl::InvalidArgumentError(why);
    }
    if (size != entry.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("length %d bits needs %d octets, entry has %d",
                          entry[0], size - 1, entry.size() - 1));
    }
    Value v;
    size_t used;
    absl::StatusOr<LabelStack> labels =
        LabelStack::Read(entry.data() + 1, entry.size() - 1, &used);
    if (!labels.ok()) return labels.status();
    v.labels = *std::move(labels);
    const uint8_t* p = entry.data() + 1 + used;
    if constexpr (kRd) {
      v.rd = RouteDistinguisher::FromBytes(p);
      p += 8;
    }
    // The prefix as an IP prefix entry: length octet + bytes.
    uint8_t ip[17] = {};
    ip[0] = static_cast<uint8_t>(pbits);
    const size_t pbytes = (pbits + 7u) / 8u;
    if (pbytes) std::memcpy(ip + 1, p, pbytes);
    absl::StatusOr<Prefix> prefix =
        DecodeIpPrefix(kAfi, wire::Bytes(ip, 1 + pbytes));
    if (!prefix.ok()) return prefix.status();
    v.prefix = *prefix;
    out = std::move(v);
    return absl::OkStatus();
  }

  static const Value* Get(const NlriValue& v) {
    const Value* x = std::get_if<Value>(&v);
    return x != nullptr && x->prefix.afi() == kAfi ? x : nullptr;
  }

  // Bits the length octet counts; > 255 does not encode.
  static size_t Bits(const Value& v) {
    return 8 * (v.labels.wire_size() + kRdOctets) + v.prefix.length();
  }

  static bool Encode(const NlriValue& nv, wire::Writer& w) {
    const Value* v = Get(nv);
    if (v == nullptr || Bits(*v) > 255) return false;
    // Bits() <= 255: at most 32 octets after the length octet.
    uint8_t buf[48];
    const size_t label_octets = v->labels.wire_size();
    if (label_octets > 32) return false;
    size_t n = 0;
    buf[n++] = static_cast<uint8_t>(Bits(*v));
    v->labels.Write(buf + n);
    n += label_octets;
    if constexpr (kRd) {
      v->rd.ToBytes(buf + n);
      n += 8;
    }
    const size_t pbytes = v->prefix.nlri_bytes();
    std::memcpy(buf + n, v->prefix.address().bytes(), pbytes);
    n += pbytes;
    return w.WriteBytes(wire::Bytes(buf, n));
  }

  static size_t Size(const NlriValue& nv) {
    const Value* v = Get(nv);
    if (v == nullptr) return 0;
    return 1 + v->labels.wire_size() + kRdOctets + v->prefix.nlri_bytes();
  }

  static absl::Status CheckFits(const Value& v, absl::string_view text) {
    if (v.prefix.afi() != kAfi) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", text, "\": the prefix is not an ", AfiName(), " prefix"));
    }
    if (Bits(v) > 255) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", text, "\": ", v.labels.size(),
          " labels and the prefix do not fit the entry's 255-bit length"));
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<NlriValue> Parse(absl::string_view text) {
    absl::StatusOr<Value> v = Value::Parse(text);
    if (!v.ok()) return v.status();
    if (absl::Status st = CheckFits(*v, text); !st.ok()) return st;
    return NlriValue(*std::move(v));
  }

  static absl::StatusOr<NlriValue> Advance(const NlriValue& nv, uint64_t n) {
    const Value* v = Get(nv);
    if (v == nullptr) {
      return absl::InvalidArgumentError(kRd ? "not a VPN prefix"
                                            : "not a labelled prefix");
    }
    absl::StatusOr<Prefix> q = v->prefix.Advance(n);
    if (!q.ok()) return q.status();
    Value out = *v;
    out.prefix = *q;
    return NlriValue(std::move(out));
  }

  // Route i's label: t.label (16 when unset) + i * t.label_step, wrapping
  // within 16..1048575 (0-15 are reserved, RFC 3032 §2.1).
  static absl::StatusOr<uint32_t> GenerateLabel(const RouteTemplate& t,
                                                uint64_t i) {
    constexpr uint64_t kFirst = 16;
    constexpr uint64_t kSpan = MplsLabel::kMaxLabel - kFirst + 1;
    const uint64_t base = t.label.value_or(kFirst);
    if (base > MplsLabel::kMaxLabel) {
      return absl::InvalidArgumentError(absl::StrCat(
          "label ", base, " (--label) exceeds ", MplsLabel::kMaxLabel));
    }
    const uint64_t step = (i % kSpan) * (t.label_step % kSpan) % kSpan;
    if (step == 0) return static_cast<uint32_t>(base);
    if (base < kFirst) {
      return absl::InvalidArgumentError(absl::StrCat(
          "label ", base,
          " (--label) is reserved (0-15); stepped labels start at 16 or "
          "above"));
    }
    return static_cast<uint32_t>(kFirst + (base - kFirst + step) % kSpan);
  }

  static absl::StatusOr<NlriValue> Generate(const RouteTemplate& t,
                                            uint64_t i) {
    if (t.prefix.afi() != kAfi) {
      return absl::InvalidArgumentError(
          absl::StrCat("the first prefix ", t.prefix.ToString(), " is not an ",
                       AfiName(), " prefix"));
    }
    Value v;
    absl::StatusOr<Prefix> q = t.prefix.Advance(i);
    if (!q.ok()) return q.status();
    v.prefix = *q;
    if constexpr (kRd) {
      if (!t.rd) {
        return absl::InvalidArgumentError(
            "a route distinguisher (--rd) is needed");
      }
      if (t.rd_step != 0 && i > UINT64_MAX / t.rd_step) {
        return absl::OutOfRangeError(absl::StrCat(
            "route ", i, " steps the route distinguisher past its field"));
      }
      absl::StatusOr<RouteDistinguisher> rd = t.rd->Advance(i * t.rd_step);
      if (!rd.ok()) return rd.status();
      v.rd = *rd;
    }
    absl::StatusOr<uint32_t> label = GenerateLabel(t, i);
    if (!label.ok()) return label.status();
    v.labels = LabelStack::Of({*label});
    return NlriValue(std::move(v));
  }

  static void Text(const NlriValue& nv, std::string& out) {
    if (const Value* v = std::get_if<Value>(&nv)) {
      out += v->ToString();
    } else {
      OpaqueText(nv, out);
    }
  }

  // {"rd":"65000:1","prefix":"10.0.0.0/24","labels":[100]}; a stack with
  // TC bits or an odd bottom-of-stack bit adds "label_stack" as text.
  static void Json(const NlriValue& nv, JsonWriter& j) {
    const Value* v = std::get_if<Value>(&nv);
    if (v == nullptr) {
      OpaqueJson(nv, j);
      return;
    }
    if constexpr (kRd) j.Field("rd", v->rd.ToString());
    j.Field("prefix", v->prefix.ToString());
    j.Key("labels").BeginArray();
    for (const MplsLabel& e : v->labels.entries) j.Uint(e.label);
    j.EndArray();
    if (!v->labels.canonical()) {
      j.Field("label_stack", v->labels.ToString());
    }
  }
};

template <Afi kAfi, bool kRd>
constexpr FamilyDesc MplsFamily(
    Family family, const char* name,
    absl::Status (*check_next_hop)(wire::Bytes),
    absl::StatusOr<MpNextHop> (*decode_next_hop)(wire::Bytes),
    bool (*encode_next_hop)(const MpNextHop&, wire::Writer&)) {
  using Row = MplsRow<kAfi, kRd>;
  return FamilyDesc{
      .family = family,
      .name = name,
      .opaque = false,
      .prefix_bits = 0,
      .split_entry = &Row::Split,
      .decode = &Row::Decode,
      .encode = &Row::Encode,
      .encoded_size = &Row::Size,
      .parse = &Row::Parse,
      .advance = &Row::Advance,
      .generate = &Row::Generate,
      .text = &Row::Text,
      .json = &Row::Json,
      .check_next_hop = check_next_hop,
      .decode_next_hop = decode_next_hop,
      .encode_next_hop = encode_next_hop,
  };
}

}  // namespace bgpy::internal

#endif  // BGPY_LIB_FAMILIES_MPLS_NLRI_H_
