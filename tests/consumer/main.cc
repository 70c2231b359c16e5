// Copyright 2026 The bgpy Authors.
//
// A consumer of the installed (or fetched) bgpy: builds an UPDATE with
// UpdateBuilder, parses it back with UpdateView::Parse, and exits 0 iff the
// prefixes (and the attributes it set) come back unchanged.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bgpy/bgpy.h"
#include "bgpy/format.h"
#ifdef CONSUMER_HAVE_MRT
#include "bgpy/mrt_file.h"
#endif

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "consumer: FAIL: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main() {
  const bgpy::SessionParams params;  // 4-octet AS, 4096-octet messages

  std::vector<bgpy::Prefix> sent;
  for (const char* text :
       {"10.0.0.0/24", "10.0.1.0/24", "172.16.0.0/16", "198.51.100.128/25"}) {
    absl::StatusOr<bgpy::Prefix> p = bgpy::Prefix::Parse(text);
    if (!p.ok()) return Fail(std::string(p.status().message()));
    sent.push_back(*p);
  }

  bgpy::PathAttributes attrs;
  attrs.origin = bgpy::Origin::kIgp;
  attrs.as_path = bgpy::AsPath{
      {bgpy::AsPathSegment{bgpy::AsSegmentType::kSequence, {65001, 65002}}}};
  attrs.next_hop = bgpy::IpAddress::V4(0xC0000201);  // 192.0.2.1
  attrs.med = 100;

  bgpy::UpdateBuilder builder(params);
  if (absl::Status st = builder.SetAttributes(attrs, bgpy::kIpv4Unicast);
      !st.ok()) {
    return Fail(std::string(st.message()));
  }
  for (const bgpy::Prefix& p : sent) {
    if (!builder.Announce(p)) return Fail("Announce " + p.ToString());
  }
  std::vector<uint8_t> wire;
  const size_t size = builder.Flush(wire);
  if (size == 0 || size != wire.size()) return Fail("Flush");

  absl::StatusOr<bgpy::UpdateView> view = bgpy::UpdateView::Parse(wire, params);
  if (!view.ok()) return Fail(std::string(view.status().message()));

  std::vector<bgpy::Prefix> received;
  for (const bgpy::NlriEntryView& e : view->nlri()) {
    absl::StatusOr<bgpy::Prefix> p =
        bgpy::DecodeIpPrefix(bgpy::Afi::kIpv4, e.bytes);
    if (!p.ok()) return Fail(std::string(p.status().message()));
    received.push_back(*p);
  }
  if (received != sent) return Fail("prefixes differ");
  if (view->origin() != bgpy::Origin::kIgp) return Fail("origin");
  if (view->as_path() != attrs.as_path) return Fail("as_path");
  if (view->next_hop() != attrs.next_hop) return Fail("next_hop");
  if (view->med() != attrs.med) return Fail("med");

  // The README's bgpy::format example, verbatim (tests/format_test.cc checks
  // that the README still shows these lines).
  // README format begin
  bgpy::MessageMeta meta;
  meta.peer = "192.0.2.1";
  std::string json = bgpy::JsonLine(wire, params, meta);  // as bgpy-listen
  std::string text =
      bgpy::RenderMessage(wire, params, bgpy::OutputFormat::kText, meta);
  // README format end
  if (json.find("\"172.16.0.0/16\"") == std::string::npos ||
      json.find("\"peer\":\"192.0.2.1\"") == std::string::npos) {
    return Fail("JsonLine: " + json);
  }
  if (text.find("UPDATE message") == std::string::npos) {
    return Fail("RenderMessage: " + text);
  }

  std::printf(
      "consumer: bgpy %s: %zu-octet UPDATE, %zu prefixes round-tripped\n",
      BGPY_VERSION_STRING, wire.size(), received.size());
#ifdef CONSUMER_HAVE_MRT
  // bgpy::mrt: a missing file is a clear error, not a crash.
  bgpy::mrt::FileReader reader;
  if (reader.Open("/nonexistent/consumer.mrt").ok())
    return Fail("FileReader opened a missing file");
#endif
  return 0;
}
