// Copyright 2026 The bgpy Authors.
//
// Label stacks, labelled prefixes and VPN prefixes as operator text and as
// the label field of NLRI (RFC 8277 §2, RFC 3107 §3, RFC 4364 §4.3.4).
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bgpy/vpn.h"

namespace bgpy {
namespace {

bool ParseDecimal(absl::string_view text, uint64_t max, uint64_t& out) {
  if (text.empty() || text.size() > 10) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, &out) && out <= max;
}

// Splits "PREFIX label STACK" into its parts; `labels` is empty when there
// is no " label " part.
absl::Status SplitLabelled(absl::string_view text, absl::string_view& prefix,
                           absl::string_view& labels) {
  text = absl::StripAsciiWhitespace(text);
  const size_t at = text.find(' ');
  if (at == absl::string_view::npos) {
    prefix = text;
    labels = {};
    return absl::OkStatus();
  }
  prefix = text.substr(0, at);
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(text.substr(at));
  if (!absl::ConsumePrefix(&rest, "label ")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\": expected \"label N[,N...]\" after the ", "prefix"));
  }
  labels = absl::StripAsciiWhitespace(rest);
  if (labels.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\": no label after \"label\""));
  }
  return absl::OkStatus();
}

}  // namespace

LabelStack LabelStack::Of(std::initializer_list<uint32_t> labels) {
  LabelStack s;
  for (uint32_t l : labels) s.entries.push_back(MplsLabel{l, 0, false});
  if (!s.entries.empty()) s.entries.back().bottom = true;
  return s;
}

bool LabelStack::canonical() const {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].tc != 0) return false;
    if (entries[i].bottom != (i + 1 == entries.size())) return false;
  }
  return true;
}

absl::StatusOr<LabelStack> LabelStack::Parse(absl::string_view text) {
  LabelStack s;
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  for (size_t i = 0; i < parts.size(); ++i) {
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          "label ", i + 1, " \"", parts[i], "\" of \"", text, "\": ", why));
    };
    std::vector<absl::string_view> fields = absl::StrSplit(parts[i], '/');
    MplsLabel e;
    uint64_t n;
    if (!ParseDecimal(fields[0], MplsLabel::kMaxLabel, n)) {
      return bad("not a label number 0-1048575");
    }
    e.label = static_cast<uint32_t>(n);
    e.bottom = i + 1 == parts.size();
    for (size_t k = 1; k < fields.size(); ++k) {
      absl::string_view f = fields[k];
      if (absl::ConsumePrefix(&f, "tc")) {
        if (!ParseDecimal(f, 7, n)) return bad("traffic class is not 0-7");
        e.tc = static_cast<uint8_t>(n);
      } else if (f == "nobos") {
        e.bottom = false;
      } else {
        return bad("unknown suffix (want /tcN or /nobos)");
      }
    }
    // Without the bit the entry is only the 0x000000 withdrawal field
    // (RFC 8277 §2.4); anything else would not read back from the wire.
    if (i + 1 == parts.size() && !e.bottom &&
        (parts.size() != 1 || e.raw() != 0)) {
      return bad("\"/nobos\" is only for a lone label 0 (withdrawal form)");
    }
    s.entries.push_back(e);
  }
  return s;
}

void LabelStack::AppendTo(std::string& out) const {
  for (size_t i = 0; i < entries.size(); ++i) {
    const MplsLabel& e = entries[i];
    if (i > 0) out += ',';
    absl::StrAppend(&out, e.label);
    if (e.tc != 0) absl::StrAppend(&out, "/tc", e.tc);
    // Parse puts the bit on the last entry only; say where it is not.
    if (!e.bottom && i + 1 == entries.size()) out += "/nobos";
  }
}

std::string LabelStack::ToString() const {
  std::string out;
  AppendTo(out);
  return out;
}

absl::StatusOr<LabelStack> LabelStack::Read(const uint8_t* data, size_t size,
                                            size_t* used) {
  LabelStack s;
  size_t at = 0;
  while (at + 3 <= size) {
    const uint32_t raw =
        uint32_t{data[at]} << 16 | uint32_t{data[at + 1]} << 8 | data[at + 2];
    at += 3;
    if (at == 3 && raw == MplsLabel::kWithdrawRaw) break;  // empty stack
    const MplsLabel e = MplsLabel::FromRaw(raw);
    s.entries.push_back(e);
    // RFC 8277 §2.4: a withdrawal's 3-octet field may be 0x000000.
    if (e.bottom || (at == 3 && raw == 0)) {
      *used = at;
      return s;
    }
  }
  if (at == 3 && s.entries.empty()) {
    *used = at;
    return s;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("label stack: no bottom-of-stack bit within ", size,
                   " octets (", s.entries.size(), " labels read)"));
}

void LabelStack::Write(uint8_t* out) const {
  if (entries.empty()) {
    out[0] = 0x80;
    out[1] = 0;
    out[2] = 0;
    return;
  }
  for (const MplsLabel& e : entries) {
    const uint32_t raw = e.raw();
    *out++ = static_cast<uint8_t>(raw >> 16);
    *out++ = static_cast<uint8_t>(raw >> 8);
    *out++ = static_cast<uint8_t>(raw);
  }
}

absl::StatusOr<LabelledPrefix> LabelledPrefix::Parse(absl::string_view text) {
  absl::string_view prefix, labels;
  if (absl::Status st = SplitLabelled(text, prefix, labels); !st.ok()) {
    return st;
  }
  LabelledPrefix out;
  absl::StatusOr<Prefix> p = Prefix::Parse(prefix);
  if (!p.ok()) return p.status();
  out.prefix = *p;
  if (!labels.empty()) {
    absl::StatusOr<LabelStack> s = LabelStack::Parse(labels);
    if (!s.ok()) return s.status();
    out.labels = *std::move(s);
  }
  return out;
}

std::string LabelledPrefix::ToString() const {
  std::string out = prefix.ToString();
  if (!labels.empty()) {
    out += " label ";
    labels.AppendTo(out);
  }
  return out;
}

absl::StatusOr<VpnPrefix> VpnPrefix::Parse(absl::string_view text) {
  absl::string_view route, labels;
  if (absl::Status st = SplitLabelled(text, route, labels); !st.ok()) {
    return st;
  }
  // The RD holds exactly one ':'; the prefix starts after the second.
  const size_t first = route.find(':');
  const size_t second = first == absl::string_view::npos
                            ? absl::string_view::npos
                            : route.find(':', first + 1);
  if (second == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text,
                     "\": a VPN route is written RD:PREFIX, e.g. "
                     "65000:1:10.0.0.0/24"));
  }
  VpnPrefix out;
  absl::StatusOr<RouteDistinguisher> rd =
      RouteDistinguisher::Parse(route.substr(0, second));
  if (!rd.ok()) return rd.status();
  out.rd = *rd;
  absl::StatusOr<Prefix> p = Prefix::Parse(route.substr(second + 1));
  if (!p.ok()) return p.status();
  out.prefix = *p;
  if (!labels.empty()) {
    absl::StatusOr<LabelStack> s = LabelStack::Parse(labels);
    if (!s.ok()) return s.status();
    out.labels = *std::move(s);
  }
  return out;
}

std::string VpnPrefix::ToString() const {
  std::string out;
  rd.AppendTo(out);
  out += ':';
  out += prefix.ToString();
  if (!labels.empty()) {
    out += " label ";
    labels.AppendTo(out);
  }
  return out;
}

}  // namespace bgpy
