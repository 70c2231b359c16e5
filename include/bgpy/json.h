// Copyright 2026 The bgpy Authors.
//
// json.h: the one JSON writer of the library. Attribute and family rows
// render their values through it (attributes.h, nlri.h) and bgpy::format
// builds whole messages with it. Compact output (no spaces), so a message
// stays on one line; escaping happens here and nowhere else (RFC 8259 §7:
// '"', '\\' and control characters escaped, invalid UTF-8 replaced with
// U+FFFD).
//
//   std::string line;
//   JsonWriter j(&line);
//   j.BeginObject().Field("type", "UPDATE").Field("length", 23).EndObject();
#ifndef BGPY_JSON_H_
#define BGPY_JSON_H_

#include <cstdint>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace bgpy {

// Appends the JSON string contents of `s` (without quotes) to `*out`.
void AppendJsonEscaped(std::string* out, absl::string_view s);
// The contents of a JSON string (without the quotes).
std::string JsonEscape(absl::string_view s);
// The same, quoted.
std::string JsonString(absl::string_view s);

// Appends JSON tokens to a caller's string, with commas where needed. The
// caller keeps objects and arrays balanced.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(absl::string_view k);
  JsonWriter& String(absl::string_view v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // An already-rendered JSON value, written as is.
  JsonWriter& Raw(absl::string_view v);

  // Key and value in one call.
  JsonWriter& Field(absl::string_view k, absl::string_view v) {
    return Key(k).String(v);
  }
  JsonWriter& Field(absl::string_view k, const char* v) {
    return Key(k).String(v);
  }
  JsonWriter& Field(absl::string_view k, const std::string& v) {
    return Key(k).String(v);
  }
  JsonWriter& Field(absl::string_view k, bool v) { return Key(k).Bool(v); }
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T> &&
                                                    !std::is_same_v<T, bool>>>
  JsonWriter& Field(absl::string_view k, T v) {
    Key(k);
    if constexpr (std::is_signed_v<T>) {
      return Int(v);
    } else {
      return Uint(v);
    }
  }

  std::string& out() { return *out_; }
  // Nesting depth (0 when every object and array is closed).
  size_t depth() const { return first_.size(); }

 private:
  JsonWriter& Open(char c) {
    Separate();
    out_->push_back(c);
    first_.push_back(true);
    return *this;
  }
  JsonWriter& Close(char c) {
    out_->push_back(c);
    if (!first_.empty()) first_.pop_back();
    return *this;
  }
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_->push_back(',');
    first_.back() = false;
  }

  std::string* out_;
  absl::InlinedVector<bool, 16> first_;
  bool after_key_ = false;
};

}  // namespace bgpy

#endif  // BGPY_JSON_H_
