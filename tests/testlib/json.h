// Copyright 2026 The bgpy Authors.
//
// json.h: a small, strict JSON reader for tests (RFC 8259).
//
// Reads tshark's `-T json` output into a tree. Numbers are kept as their
// text (tshark prints every leaf as a string anyway); object members keep
// their order and duplicates. Not for production use: it allocates freely.
#ifndef BGPY_TESTS_TESTLIB_JSON_H_
#define BGPY_TESTS_TESTLIB_JSON_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bgpy::testing {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue Null() { return JsonValue(); }
  static JsonValue Bool(bool b);
  static JsonValue Number(std::string text);
  static JsonValue String(std::string s);
  static JsonValue Array(std::vector<JsonValue> items);
  static JsonValue Object(std::vector<Member> members);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool boolean() const { return bool_; }
  // The string value (kString) or the number's text (kNumber).
  const std::string& text() const { return text_; }
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }

  // The first member named `key` of an object; nullptr if absent or not an
  // object.
  const JsonValue* Get(absl::string_view key) const;
  // The first member named `key` if it is a string (or number): its text.
  const std::string* GetText(absl::string_view key) const;

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

// Parses one JSON text (surrounding whitespace allowed, nothing else).
// kInvalidArgument naming the byte offset on any syntax error: trailing
// commas, leading zeros, unescaped control characters, bad escapes, lone
// surrogates and nesting deeper than 512 are all rejected.
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

// Members named `key` of object `v`, with an array value flattened into its
// elements (tshark --no-duplicate-keys folds repeated keys into an array).
std::vector<const JsonValue*> Members(const JsonValue& v,
                                      absl::string_view key);

// Every value of `key` anywhere inside `v` (depth first, document order),
// arrays flattened as in Members(). The search does not descend into a
// found value.
std::vector<const JsonValue*> FindAll(const JsonValue& v,
                                      absl::string_view key);

// Texts of FindAll(v, key) that are strings or numbers.
std::vector<std::string> FindAllText(const JsonValue& v, absl::string_view key);

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_JSON_H_
