// Copyright 2026 The bgpy Authors.
//
// mrt_fuzzer: MRT records (mrt.h) on arbitrary bytes. The input is a
// stream of records as in a file: each header's length says where the next
// record starts (a length past the end takes what is left, so the decoder
// sees a record shorter than its header says). Every record goes through
// DecodeRecord and then RouteWalker::Walk with one walker for the whole
// input (so a PEER_INDEX_TABLE is used by the RIB records after it), and
// every route the walker yields is read field by field.
//
// Properties checked besides "no crash, no sanitizer report":
//  - a decoded record's views lie inside the record (or its scratch);
//  - a Rib iterates exactly entry_count entries;
//  - each route's UPDATE is the one its RouteView points into.
//
// Seeds: the first records of every file of the shared corpus
// (corpus/mrt/), written into the build tree by fuzz_mrt_seeds.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "bgpy/mrt.h"
#include "fuzz_check.h"

namespace {

using bgpy::wire::Bytes;

bool Inside(Bytes part, Bytes whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() &&
         part.data() + part.size() <= whole.data() + whole.size();
}

void Check(const bgpy::mrt::Record& rec, bgpy::mrt::RouteWalker& walker) {
  namespace mrt = bgpy::mrt;
  const Bytes scratch(rec.scratch.data(), rec.scratch.size());
  if (const auto* rib = std::get_if<mrt::Rib>(&rec.body)) {
    if (!Inside(rib->nlri, rec.bytes) || !Inside(rib->entries, rec.bytes)) {
      bgpy::fuzz::CheckFailed(__FILE__, __LINE__, "Inside", "RIB views");
    }
    size_t n = 0;
    for (const mrt::RibEntry& e : *rib) {
      if (!Inside(e.attributes, rib->entries)) {
        bgpy::fuzz::CheckFailed(__FILE__, __LINE__, "Inside", "entry view");
      }
      ++n;
    }
    if (n != rib->entry_count) {
      bgpy::fuzz::CheckFailed(__FILE__, __LINE__, "n == entry_count",
                              "RIB entry count");
    }
  }
  if (const auto* m = std::get_if<mrt::Bgp4mpMessage>(&rec.body)) {
    if (!Inside(m->message, rec.bytes) && !Inside(m->message, scratch)) {
      bgpy::fuzz::CheckFailed(__FILE__, __LINE__, "Inside", "message view");
    }
    (void)m->params();
  }
  if (const auto* t = std::get_if<mrt::TableDump>(&rec.body)) {
    if (!Inside(t->attributes, rec.bytes)) {
      bgpy::fuzz::CheckFailed(__FILE__, __LINE__, "Inside", "attributes");
    }
  }
  size_t sink = 0;
  walker
      .Walk(rec,
            [&](const mrt::Route& r) {
              const Bytes msg = r.update->message();
              if (!Inside(r.route.entry, msg)) {
                bgpy::fuzz::CheckFailed(__FILE__, __LINE__, "Inside",
                                        "route entry outside its UPDATE");
              }
              if (r.route.is_ip_prefix()) {
                sink += static_cast<size_t>(r.route.prefix().length());
              }
              if (auto nh = r.route.next_hop()) sink += nh->address.is_v6();
              if (auto p = r.update->as_path()) sink += p->segments.size();
              sink += r.peer_as + r.originated;
            })
      .IgnoreError();
  (void)sink;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bgpy::mrt::RouteWalker walker;
  bgpy::mrt::Record rec;
  Bytes in(data, size);
  while (in.size() >= bgpy::mrt::kHeaderSize) {
    size_t n = in.size();
    if (auto h = bgpy::mrt::ParseRecordHeader(in); h.ok()) {
      if (h->record_size() < n) n = h->record_size();
    }
    const Bytes one = in.subspan(0, n);
    in.remove_prefix(n);
    bgpy::mrt::ParseRecordHeader(one).IgnoreError();
    if (!bgpy::mrt::DecodeRecord(one, rec).ok()) continue;
    Check(rec, walker);
  }
  return 0;
}
