// Copyright 2026 The bgpy Authors.
#include "bgpy/json.h"

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace bgpy {

namespace {

// Octets copied as they are: printable ASCII but '"' and '\\'.
struct PlainTable {
  bool plain[256] = {};
  constexpr PlainTable() {
    for (int c = 0x20; c < 0x7f; ++c) plain[c] = c != '"' && c != '\\';
  }
};
constexpr PlainTable kPlain;

// Length of the run of plain octets at the start of `s`.
size_t PlainRun(const char* s, size_t n) {
  size_t i = 0;
  while (i < n && kPlain.plain[static_cast<uint8_t>(s[i])]) ++i;
  return i;
}

// Keys and strings up to this long go through a stack buffer: one append.
constexpr size_t kShort = 64;

}  // namespace

void AppendJsonEscaped(std::string* out, absl::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  size_t i = 0;
  while (i < s.size()) {
    // Runs of plain printable ASCII are copied in one go.
    const size_t j = i + PlainRun(s.data() + i, s.size() - i);
    if (j != i) {
      out->append(s.data() + i, j - i);
      i = j;
      continue;
    }
    const uint8_t c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          *out += "\\\"";
          break;
        case '\\':
          *out += "\\\\";
          break;
        case '\n':
          *out += "\\n";
          break;
        case '\r':
          *out += "\\r";
          break;
        case '\t':
          *out += "\\t";
          break;
        case '\b':
          *out += "\\b";
          break;
        case '\f':
          *out += "\\f";
          break;
        default:  // other controls and DEL
          *out += "\\u00";
          out->push_back(kDigits[c >> 4]);
          out->push_back(kDigits[c & 0xf]);
      }
      ++i;
      continue;
    }
    // A multi-octet UTF-8 sequence (RFC 3629 §4): the continuation count and
    // the range allowed for the second octet (no overlongs, no surrogates,
    // nothing above U+10FFFF).
    size_t more = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c == 0xE0) {
      more = 2, lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC) {
      more = 2;
    } else if (c == 0xED) {
      more = 2, hi = 0x9F;
    } else if (c >= 0xEE && c <= 0xEF) {
      more = 2;
    } else if (c == 0xF0) {
      more = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      more = 3;
    } else if (c == 0xF4) {
      more = 3, hi = 0x8F;
    }
    bool valid = more > 0 && more <= s.size() - i - 1;
    if (valid) {
      const uint8_t c1 = static_cast<uint8_t>(s[i + 1]);
      valid = c1 >= lo && c1 <= hi;
      for (size_t k = 2; valid && k <= more; ++k) {
        const uint8_t ck = static_cast<uint8_t>(s[i + k]);
        valid = ck >= 0x80 && ck <= 0xBF;
      }
    }
    if (valid) {
      out->append(s.data() + i, more + 1);
      i += more + 1;
    } else {
      *out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    }
  }
}

std::string JsonEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendJsonEscaped(&out, s);
  return out;
}

std::string JsonString(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  AppendJsonEscaped(&out, s);
  out.push_back('"');
  return out;
}

JsonWriter& JsonWriter::Key(absl::string_view k) {
  Separate();
  after_key_ = true;
  const size_t n = k.size();
  if (n <= kShort && PlainRun(k.data(), n) == n) {
    char buf[kShort + 3];
    buf[0] = '"';
    std::memcpy(buf + 1, k.data(), n);
    buf[n + 1] = '"';
    buf[n + 2] = ':';
    out_->append(buf, n + 3);
    return *this;
  }
  out_->push_back('"');
  AppendJsonEscaped(out_, k);
  out_->append("\":");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(absl::string_view v) {
  Separate();
  const size_t n = v.size();
  if (n <= kShort && PlainRun(v.data(), n) == n) {
    char buf[kShort + 2];
    buf[0] = '"';
    std::memcpy(buf + 1, v.data(), n);
    buf[n + 1] = '"';
    out_->append(buf, n + 2);
    return *this;
  }
  out_->push_back('"');
  AppendJsonEscaped(out_, v);
  out_->push_back('"');
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  Separate();
  char buf[absl::numbers_internal::kFastToBufferSize];
  char* end = absl::numbers_internal::FastIntToBuffer(v, buf);
  out_->append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  char buf[absl::numbers_internal::kFastToBufferSize];
  char* end = absl::numbers_internal::FastIntToBuffer(v, buf);
  out_->append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(absl::string_view v) {
  Separate();
  out_->append(v.data(), v.size());
  return *this;
}

}  // namespace bgpy
