// Copyright 2026 The bgpy Authors.
//
// as_path.cc: AS_PATH (RFC 4271 §4.3 b, §5.1.2; RFC 5065 §3) and AS4_PATH
// (RFC 6793), the text form, and the RFC 6793 §4.2.3 merge.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attributes/internal.h"
#include "bgpy/attributes.h"

namespace bgpy {
namespace {

constexpr size_t kMaxSegmentAsns = 255;  // RFC 4271 §4.3 b: 1-octet count

bool IsConfed(AsSegmentType t) {
  return t == AsSegmentType::kConfedSequence || t == AsSegmentType::kConfedSet;
}

absl::Status PathError(absl::string_view message) {
  // RFC 4271 §6.3: Malformed AS_PATH carries no data.
  return UpdateError(UpdateSubcode::kMalformedAsPath, message);
}

// Text brackets per segment type: sequence none, {set}, (confed seq),
// [confed set].
char OpenBracket(AsSegmentType t) {
  switch (t) {
    case AsSegmentType::kSet:
      return '{';
    case AsSegmentType::kConfedSequence:
      return '(';
    case AsSegmentType::kConfedSet:
      return '[';
    case AsSegmentType::kSequence:
      break;
  }
  return 0;
}

// Walks the segments without building them (UPDATE parsing calls this for
// every message). Errors: 3/11 naming the segment.
absl::Status CheckAsPath(wire::Bytes value, bool four_octet) {
  const size_t asn_size = four_octet ? 4 : 2;
  wire::Reader r(value);
  for (int index = 1; !r.empty(); ++index) {
    uint8_t type, count;
    if (!r.ReadU8(type) || !r.ReadU8(count)) {
      return PathError(absl::StrCat("AS_PATH segment ", index,
                                    " header truncated at offset ",
                                    r.offset()));
    }
    if (type < 1 || type > 4) {  // RFC 4271 §4.3 b, RFC 5065 §3
      return PathError(absl::StrCat("AS_PATH segment ", index, " type ", type));
    }
    if (count == 0) {  // RFC 7606 §7.2
      return PathError(absl::StrCat("AS_PATH segment ", index, " is empty"));
    }
    if (!r.Skip(count * asn_size)) {
      return PathError(absl::StrCat("AS_PATH segment ", index, " of ", count,
                                    " AS numbers overruns the attribute"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAsPath(wire::Bytes value, const AttrContext& ctx) {
  return CheckAsPath(value, internal::FourOctetAs(ctx));
}

const char* SegmentTypeName(AsSegmentType t) {
  switch (t) {
    case AsSegmentType::kSet:
      return "AS_SET";
    case AsSegmentType::kSequence:
      return "AS_SEQUENCE";
    case AsSegmentType::kConfedSequence:
      return "AS_CONFED_SEQUENCE";
    case AsSegmentType::kConfedSet:
      return "AS_CONFED_SET";
  }
  return "AS_SEGMENT_UNKNOWN";
}

// "65000 65001 {3 4}", "(empty)" for no segments.
void PathText(wire::Bytes value, bool four_octet, std::string& out) {
  auto p = DecodeAsPath(value, four_octet);
  if (!p.ok()) {
    AppendHex(&out, value);
  } else if (p->segments.empty()) {
    out += "(empty)";
  } else {
    out += p->ToString();
  }
}

// [{"type":"AS_SEQUENCE","asns":[65000,65001]},...]
void PathJson(wire::Bytes value, bool four_octet, JsonWriter& j) {
  auto p = DecodeAsPath(value, four_octet);
  j.BeginArray();
  if (p.ok()) {
    for (const AsPathSegment& seg : p->segments) {
      j.BeginObject().Field("type", SegmentTypeName(seg.type)).Key("asns");
      j.BeginArray();
      for (uint32_t asn : seg.asns) j.Uint(asn);
      j.EndArray().EndObject();
    }
  }
  j.EndArray();
}

bool NeedsAs4(const AsPath& p) {
  for (const AsPathSegment& s : p.segments) {
    for (uint32_t asn : s.asns) {
      if (asn > 0xffff) return true;
    }
  }
  return false;
}

bool DecodeAsPathHook(wire::Bytes value, const AttrContext& ctx,
                      PathAttributes& out) {
  if (out.as_path) return false;
  auto p = DecodeAsPath(value, internal::FourOctetAs(ctx));
  if (!p.ok()) return false;
  out.as_path = *std::move(p);
  return true;
}

bool EncodeAsPathHook(const PathAttributes& a, const AttrContext& ctx,
                      wire::Writer& w) {
  if (!a.as_path) return true;
  const bool four = internal::FourOctetAs(ctx);
  return internal::WriteAttribute(
      AttrCode::kAsPath,
      [&](wire::Writer& v) { return EncodeAsPath(*a.as_path, four, v); }, w);
}

void TextAsPath(wire::Bytes value, const AttrContext& ctx, std::string& out) {
  PathText(value, internal::FourOctetAs(ctx), out);
}

void JsonAsPath(wire::Bytes value, const AttrContext& ctx, JsonWriter& j) {
  PathJson(value, internal::FourOctetAs(ctx), j);
}

// RFC 6793 §6: AS4_PATH is malformed if shorter than 6 octets (one ASN) or
// its segments are; the codec otherwise decodes it as a 4-octet path.
absl::Status ValidateAs4Path(wire::Bytes value, const AttrContext&) {
  if (value.size() < 6) {
    return internal::AttrError(UpdateSubcode::kOptionalAttributeError,
                               AttrCode::kAs4Path, value,
                               absl::StrCat("AS4_PATH length ", value.size(),
                                            " cannot carry an AS number"));
  }
  auto p = DecodeAsPath(value, /*four_octet=*/true);
  if (!p.ok()) {
    return internal::AttrError(
        UpdateSubcode::kOptionalAttributeError, AttrCode::kAs4Path, value,
        absl::StrCat("AS4_PATH: ", p.status().message()));
  }
  return absl::OkStatus();
}

bool DecodeAs4PathHook(wire::Bytes value, const AttrContext&,
                       PathAttributes& out) {
  if (out.as4_path) return false;
  auto p = DecodeAsPath(value, /*four_octet=*/true);
  if (!p.ok()) return false;
  out.as4_path = *std::move(p);
  return true;
}

// Writes `as4_path` when set. Otherwise, RFC 6793 §4.2.2: a NEW speaker
// talking to an OLD one (2-octet session) whose AS_PATH has ASNs above
// 65535 sends the real path in AS4_PATH, without confederation segments.
bool EncodeAs4PathHook(const PathAttributes& a, const AttrContext& ctx,
                       wire::Writer& w) {
  const AsPath* path = a.as4_path ? &*a.as4_path : nullptr;
  AsPath as4;
  if (path == nullptr && !internal::FourOctetAs(ctx) && a.as_path &&
      NeedsAs4(*a.as_path)) {
    for (const AsPathSegment& s : a.as_path->segments) {
      if (!IsConfed(s.type)) as4.segments.push_back(s);
    }
    path = &as4;
  }
  if (path == nullptr) return true;
  return internal::WriteAttribute(
      AttrCode::kAs4Path,
      [&](wire::Writer& v) {
        return EncodeAsPath(*path, /*four_octet=*/true, v);
      },
      w);
}

void TextAs4Path(wire::Bytes value, const AttrContext&, std::string& out) {
  PathText(value, /*four_octet=*/true, out);
}

void JsonAs4Path(wire::Bytes value, const AttrContext&, JsonWriter& j) {
  PathJson(value, /*four_octet=*/true, j);
}

}  // namespace

size_t AsPath::Length() const {
  size_t n = 0;
  for (const AsPathSegment& s : segments) {
    if (s.type == AsSegmentType::kSequence) n += s.asns.size();
    if (s.type == AsSegmentType::kSet) n += 1;  // RFC 4271 §9.1.2.2 a)
  }
  return n;
}

std::string AsPath::ToString() const {
  std::string out;
  for (const AsPathSegment& s : segments) {
    if (!out.empty()) out.push_back(' ');
    char open = OpenBracket(s.type);
    if (open != 0) out.push_back(open);
    for (size_t i = 0; i < s.asns.size(); ++i) {
      if (i > 0) out.push_back(' ');
      absl::StrAppend(&out, s.asns[i]);
    }
    switch (s.type) {
      case AsSegmentType::kSet:
        out.push_back('}');
        break;
      case AsSegmentType::kConfedSequence:
        out.push_back(')');
        break;
      case AsSegmentType::kConfedSet:
        out.push_back(']');
        break;
      case AsSegmentType::kSequence:
        break;
    }
  }
  return out;
}

absl::StatusOr<AsPath> AsPath::Parse(absl::string_view text) {
  AsPath path;
  size_t i = 0;
  // The open bracketed segment, if any.
  std::optional<AsSegmentType> group;
  char close = 0;
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("AS path \"", text, "\": ", why, " at offset ", i));
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == ',' || c == '\t') {
      ++i;
      continue;
    }
    if (c == '{' || c == '(' || c == '[') {
      if (group) return bad("nested bracket");
      group = c == '{'   ? AsSegmentType::kSet
              : c == '(' ? AsSegmentType::kConfedSequence
                         : AsSegmentType::kConfedSet;
      close = c == '{' ? '}' : c == '(' ? ')' : ']';
      path.segments.push_back(AsPathSegment{*group, {}});
      ++i;
      continue;
    }
    if (c == '}' || c == ')' || c == ']') {
      if (!group || c != close) return bad("unmatched bracket");
      if (path.segments.back().asns.empty()) return bad("empty segment");
      group.reset();
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (start == i) return bad("unexpected character");
    uint64_t asn;
    if (!internal::ParseUint(text.substr(start, i - start), 0xffffffff, asn)) {
      return bad("AS number out of range");
    }
    if (!group && (path.segments.empty() ||
                   path.segments.back().type != AsSegmentType::kSequence)) {
      path.segments.push_back(AsPathSegment{AsSegmentType::kSequence, {}});
    }
    path.segments.back().asns.push_back(static_cast<uint32_t>(asn));
  }
  if (group) return bad("unclosed bracket");
  return path;
}

absl::StatusOr<AsPath> DecodeAsPath(wire::Bytes value, bool four_octet) {
  BGPY_RETURN_IF_ERROR(CheckAsPath(value, four_octet));
  wire::Reader r(value);
  AsPath path;
  while (!r.empty()) {
    uint8_t type = 0, count = 0;
    r.ReadU8(type);
    r.ReadU8(count);
    AsPathSegment seg;
    seg.type = static_cast<AsSegmentType>(type);
    seg.asns.resize(count);
    for (uint8_t k = 0; k < count; ++k) {
      if (four_octet) {
        r.ReadU32(seg.asns[k]);
      } else {
        uint16_t v = 0;
        r.ReadU16(v);
        seg.asns[k] = v;
      }
    }
    path.segments.push_back(std::move(seg));
  }
  return path;
}

bool EncodeAsPath(const AsPath& path, bool four_octet, wire::Writer& w) {
  for (const AsPathSegment& s : path.segments) {
    for (size_t at = 0; at < s.asns.size(); at += kMaxSegmentAsns) {
      size_t n = std::min(kMaxSegmentAsns, s.asns.size() - at);
      if (!w.WriteU8(static_cast<uint8_t>(s.type)) ||
          !w.WriteU8(static_cast<uint8_t>(n))) {
        return false;
      }
      for (size_t k = at; k < at + n; ++k) {
        uint32_t asn = s.asns[k];
        bool ok = four_octet
                      ? w.WriteU32(asn)
                      : w.WriteU16(asn > 0xffff ? kAsTrans  // RFC 6793 §4.2.2
                                                : static_cast<uint16_t>(asn));
        if (!ok) return false;
      }
    }
  }
  return w.ok();
}

AsPath MergeAs4Path(const AsPath& as_path, const AsPath& as4_path) {
  // RFC 6793 §6: confederation segments in AS4_PATH are discarded.
  AsPath as4;
  for (const AsPathSegment& s : as4_path.segments) {
    if (!IsConfed(s.type) && !s.asns.empty()) as4.segments.push_back(s);
  }
  const size_t n = as_path.Length();
  const size_t m = as4.Length();
  if (n < m) return as_path;  // RFC 6793 §4.2.3: ignore AS4_PATH
  // Take the leading n - m AS numbers of AS_PATH, and the confederation
  // segments that lead or sit next to what is taken, then AS4_PATH.
  size_t need = n - m;
  AsPath out;
  bool leading = true;  // only confederation segments seen so far
  for (const AsPathSegment& s : as_path.segments) {
    if (IsConfed(s.type)) {
      if (leading || need > 0) out.segments.push_back(s);
      continue;
    }
    leading = false;
    if (need == 0) break;
    if (s.type == AsSegmentType::kSet) {
      out.segments.push_back(s);
      need -= 1;
      continue;
    }
    size_t take = std::min(need, s.asns.size());
    out.segments.push_back(AsPathSegment{
        s.type, std::vector<uint32_t>(s.asns.begin(), s.asns.begin() + take)});
    need -= take;
  }
  for (const AsPathSegment& s : as4.segments) {
    if (!out.segments.empty() &&
        out.segments.back().type == AsSegmentType::kSequence &&
        s.type == AsSegmentType::kSequence) {
      auto& dst = out.segments.back().asns;
      dst.insert(dst.end(), s.asns.begin(), s.asns.end());
    } else {
      out.segments.push_back(s);
    }
  }
  return out;
}

namespace internal {
// RFC 4271 §5.1.2 well-known mandatory; RFC 7606 §7.2 treat-as-withdraw.
extern const AttributeDesc kAsPathDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAsPath),
    .name = "AS_PATH",
    .json_key = "as_path",
    .flags = kAttrTransitive,
    .on_malformed = Verdict::kTreatAsWithdraw,
    .validate = &ValidateAsPath,
    .decode = &DecodeAsPathHook,
    .encode = &EncodeAsPathHook,
    .text = &TextAsPath,
    .json = &JsonAsPath,
};
// RFC 6793 §3 optional transitive; §6 attribute discard.
extern const AttributeDesc kAs4PathDesc = {
    .code = static_cast<uint8_t>(AttrCode::kAs4Path),
    .name = "AS4_PATH",
    .json_key = "as4_path",
    .flags = kAttrOptional | kAttrTransitive,
    .on_malformed = Verdict::kAttributeDiscard,
    .validate = &ValidateAs4Path,
    .decode = &DecodeAs4PathHook,
    .encode = &EncodeAs4PathHook,
    .text = &TextAs4Path,
    .json = &JsonAs4Path,
};
}  // namespace internal
}  // namespace bgpy
