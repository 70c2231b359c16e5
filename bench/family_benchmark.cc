// Copyright 2026 The bgpy Authors.
//
// Per-family NLRI benchmarks (Google Benchmark), registered at startup for
// every registered, non-opaque family (RegisteredFamilies()), so a family
// that lands is measured without a change here. Each family's routes come
// from its generate hook with one template for all families
// (tests/fuzz/family_samples.h); a family whose generate fails is skipped,
// with the reason on stderr.
//
//   BM_Decode/<family>   NlriView iteration + FamilyDesc::decode, routes/s
//   BM_Encode/<family>   FamilyDesc::encode into caller memory, routes/s
//   BM_Text/<family>     FamilyDesc::text (operator text), routes/s
//   BM_Parse/<family>    FamilyDesc::parse of that text, routes/s
//
// The baseline is BM_Decode/ipv4-unicast of the same run (bench/README.md).
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bgpy/nlri.h"
#include "family_samples.h"

namespace bgpy {
namespace {

// Routes per family: one field of this many entries per iteration.
constexpr uint64_t kRoutes = 1000;

struct Fixture {
  const FamilyDesc* desc;
  std::vector<NlriValue> values;
  std::vector<uint8_t> field;
  std::vector<std::string> texts;
};

void BM_Decode(benchmark::State& state, const Fixture* f) {
  const wire::Bytes field(f->field.data(), f->field.size());
  if (!NlriView::Validate(f->desc->family, field, false, 9).ok()) {
    state.SkipWithError("the generated field does not validate");
    return;
  }
  NlriValue v;
  for (auto _ : state) {
    size_t n = 0;
    for (const NlriEntryView& e : NlriView(f->desc->family, field, false)) {
      n += f->desc->decode(e.bytes, v).ok();
      benchmark::DoNotOptimize(v);
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * f->values.size());
  state.SetBytesProcessed(state.iterations() * f->field.size());
}

void BM_Encode(benchmark::State& state, const Fixture* f) {
  std::vector<uint8_t> buf(f->field.size());
  for (auto _ : state) {
    wire::Writer w(absl::Span<uint8_t>(buf.data(), buf.size()));
    for (const NlriValue& v : f->values) f->desc->encode(v, w);
    benchmark::DoNotOptimize(buf.data());
    benchmark::DoNotOptimize(w.size());
  }
  state.SetItemsProcessed(state.iterations() * f->values.size());
  state.SetBytesProcessed(state.iterations() * f->field.size());
}

void BM_Text(benchmark::State& state, const Fixture* f) {
  std::string out;
  for (auto _ : state) {
    for (const NlriValue& v : f->values) {
      out.clear();
      f->desc->text(v, out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * f->values.size());
}

void BM_Parse(benchmark::State& state, const Fixture* f) {
  for (auto _ : state) {
    for (const std::string& t : f->texts) {
      absl::StatusOr<NlriValue> v = f->desc->parse(t);
      benchmark::DoNotOptimize(v);
    }
  }
  state.SetItemsProcessed(state.iterations() * f->texts.size());
}

std::vector<Fixture>& Fixtures() {
  static std::vector<Fixture> fixtures;
  return fixtures;
}

void RegisterFamilies() {
  std::vector<Fixture>& fixtures = Fixtures();
  fixtures.reserve(RegisteredFamilies().size());
  for (const FamilyDesc* d : RegisteredFamilies()) {
    if (d->opaque) continue;
    absl::StatusOr<std::vector<NlriValue>> values =
        fuzz::SampleValues(*d, kRoutes);
    if (!values.ok()) {
      std::fprintf(stderr, "skipping %s: generate failed: %s\n", d->name,
                   values.status().ToString().c_str());
      continue;
    }
    Fixture f;
    f.desc = d;
    f.values = *std::move(values);
    f.field = fuzz::EncodeField(*d, f.values, false);
    for (const NlriValue& v : f.values) {
      std::string t;
      d->text(v, t);
      f.texts.push_back(std::move(t));
    }
    if (f.values.size() < kRoutes) {
      std::fprintf(stderr, "%s: generate gave %zu routes of %llu\n", d->name,
                   f.values.size(), static_cast<unsigned long long>(kRoutes));
    }
    fixtures.push_back(std::move(f));
  }
  for (const Fixture& f : fixtures) {
    const std::string name = f.desc->name;
    benchmark::RegisterBenchmark(absl::StrCat("BM_Decode/", name).c_str(),
                                 BM_Decode, &f);
    benchmark::RegisterBenchmark(absl::StrCat("BM_Encode/", name).c_str(),
                                 BM_Encode, &f);
    benchmark::RegisterBenchmark(absl::StrCat("BM_Text/", name).c_str(),
                                 BM_Text, &f);
    benchmark::RegisterBenchmark(absl::StrCat("BM_Parse/", name).c_str(),
                                 BM_Parse, &f);
  }
}

}  // namespace
}  // namespace bgpy

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bgpy::RegisterFamilies();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
