// UPDATE decode and encode benchmarks (Google Benchmark).
//
// BM_BaselineNlriParse is a hand-written tight loop over the same NLRI bytes
// (no checks beyond bounds) that the view-based decode is compared with in
// the same run: see bench/README.md for the targets and numbers.
#include <cstring>
#include <vector>

#include "benchmark/benchmark.h"
#include "bgpy/bgpy.h"

namespace bgpy {
namespace {

PathAttributes SimpleAttrs() {
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{{AsPathSegment{AsSegmentType::kSequence, {65000}}}};
  a.next_hop = *IpAddress::Parse("192.0.2.1");
  return a;
}

// A full-attribute UPDATE as a transit router sends it.
PathAttributes RealisticAttrs() {
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{{AsPathSegment{AsSegmentType::kSequence,
                                    {65000, 3356, 1299, 174, 4200000001}}}};
  a.next_hop = *IpAddress::Parse("192.0.2.1");
  a.med = 100;
  a.local_pref = 200;
  a.communities = {65000u << 16 | 1, 65000u << 16 | 2, 3356u << 16 | 100,
                   kCommunityNoExport};
  a.large_communities = {{65000, 1, 2}, {65000, 3, 4}};
  a.ext_communities = {ExtendedCommunity::RouteTarget(65000, 1),
                       ExtendedCommunity::RouteTarget(65000, 2)};
  a.aggregator = Aggregator{65000, 0xc0000201};
  return a;
}

// Messages holding `count` prefixes of length `len` each (one message per
// call when they fit).
std::vector<uint8_t> BuildUpdates(const PathAttributes& attrs, int count,
                                  int len) {
  SessionParams p;
  UpdateBuilder b(p);
  if (!b.SetAttributes(attrs, kIpv4Unicast).ok()) std::abort();
  std::vector<uint8_t> out;
  auto start = *Prefix::Make(*IpAddress::Parse("10.0.0.0"), len);
  for (int i = 0; i < count; ++i) {
    auto pfx = *start.Advance(i);
    if (!b.Announce(pfx)) {
      b.Flush(out);
      b.Announce(pfx);
    }
  }
  b.Flush(out);
  return out;
}

// Max prefixes of /32 in one 4096-octet UPDATE with the simple attributes.
int FullCount() {
  SessionParams p;
  UpdateBuilder b(p);
  (void)b.SetAttributes(SimpleAttrs(), kIpv4Unicast);
  auto start = *Prefix::Parse("10.0.0.0/32");
  int n = 0;
  while (b.Announce(*start.Advance(n))) ++n;
  return n;
}

int Arg(benchmark::State& state) {
  return state.range(0) < 0 ? FullCount() : static_cast<int>(state.range(0));
}

void BM_BaselineNlriParse(benchmark::State& state) {
  const int n = Arg(state);
  const auto msg = BuildUpdates(SimpleAttrs(), n, 32);
  // NLRI starts after the header, both lengths and the attributes.
  const size_t wlen = msg[19] << 8 | msg[20];
  const size_t alen = msg[21 + wlen] << 8 | msg[22 + wlen];
  const size_t off = 23 + wlen + alen;
  for (auto _ : state) {
    const uint8_t* p = msg.data() + off;
    const uint8_t* end = msg.data() + msg.size();
    uint64_t sum = 0;
    while (p < end) {
      const int len = *p++;
      const int bytes = (len + 7) / 8;
      if (len > 32 || end - p < bytes) break;
      uint8_t a[4] = {0, 0, 0, 0};
      std::memcpy(a, p, bytes);
      p += bytes;
      uint32_t addr;
      std::memcpy(&addr, a, 4);
      sum += addr + len;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * msg.size());
}
BENCHMARK(BM_BaselineNlriParse)->Arg(1)->Arg(100)->Arg(-1);

void BM_UpdateViewParse(benchmark::State& state) {
  const int n = Arg(state);
  const auto msg = BuildUpdates(SimpleAttrs(), n, 32);
  SessionParams p;
  for (auto _ : state) {
    auto v = UpdateView::Parse(msg, p);
    uint64_t sum = 0;
    for (const auto& e : v->nlri()) {
      const Prefix pfx = IpPrefixOf(Afi::kIpv4, e.bytes);
      sum += pfx.address().v4() + pfx.length();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * msg.size());
}
BENCHMARK(BM_UpdateViewParse)->Arg(1)->Arg(100)->Arg(-1);

void BM_UpdateToOwned(benchmark::State& state) {
  const int n = Arg(state);
  const auto msg = BuildUpdates(SimpleAttrs(), n, 32);
  SessionParams p;
  for (auto _ : state) {
    auto u = DecodeUpdate(msg, p);
    benchmark::DoNotOptimize(u->nlri.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * msg.size());
}
BENCHMARK(BM_UpdateToOwned)->Arg(1)->Arg(100)->Arg(-1);

void BM_UpdateBuilderPack(benchmark::State& state) {
  const int n = Arg(state);
  SessionParams p;
  UpdateBuilder b(p);
  (void)b.SetAttributes(SimpleAttrs(), kIpv4Unicast);
  std::vector<uint8_t> out;
  out.reserve(8192);
  auto start = *Prefix::Parse("10.0.0.0/32");
  std::vector<Prefix> prefixes;
  for (int i = 0; i < n; ++i) prefixes.push_back(*start.Advance(i));
  size_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    for (const auto& pfx : prefixes) {
      if (!b.Announce(pfx)) {
        b.Flush(out);
        b.Announce(pfx);
      }
    }
    b.Flush(out);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_UpdateBuilderPack)->Arg(1)->Arg(100)->Arg(-1);

void BM_OwnedUpdateEncode(benchmark::State& state) {
  const int n = Arg(state);
  const auto msg = BuildUpdates(SimpleAttrs(), n, 32);
  SessionParams p;
  auto u = *DecodeUpdate(msg, p);
  std::vector<uint8_t> out(8192);
  for (auto _ : state) {
    wire::Writer w(absl::MakeSpan(out));
    benchmark::DoNotOptimize(EncodeUpdate(u, p, w).ok());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * msg.size());
}
BENCHMARK(BM_OwnedUpdateEncode)->Arg(1)->Arg(100)->Arg(-1);

// A stream of realistic UPDATEs: full attributes (ORIGIN, a 5-AS path with
// a 4-octet ASN, NEXT_HOP, MED, LOCAL_PREF, AGGREGATOR, 4 communities, 2
// route targets, 2 large communities) and 100 /24s each; 1,000 messages.
std::vector<uint8_t> RealisticStream() {
  std::vector<uint8_t> stream;
  for (int i = 0; i < 1000; ++i) {
    auto m = BuildUpdates(RealisticAttrs(), 100, 24);
    stream.insert(stream.end(), m.begin(), m.end());
  }
  return stream;
}

// Splits and fully checks every message (every attribute's flags, length
// and value, every prefix), then reads the attributes a collector reads
// first. This is the decode cost a session pays per received UPDATE.
void BM_RealisticUpdateStream(benchmark::State& state) {
  const auto stream = RealisticStream();
  SessionParams p;
  size_t messages = 0;
  for (auto _ : state) {
    wire::Reader r(stream);
    uint64_t sum = 0;
    while (!r.empty()) {
      auto h = ParseHeader(r.rest(), p.max_message_size());
      wire::Bytes msg;
      r.ReadBytes(h->length, msg);
      auto v = UpdateView::Parse(msg, p);
      sum += v->local_pref().value_or(0) + v->med().value_or(0) +
             static_cast<int>(v->origin().value_or(Origin::kIgp)) +
             v->nlri().bytes().size();
      ++messages;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(messages);
  state.SetBytesProcessed(state.iterations() * stream.size());
}
BENCHMARK(BM_RealisticUpdateStream);

// The same, also turning every announced prefix into a bgpy::Prefix.
void BM_RealisticUpdateStreamWithPrefixes(benchmark::State& state) {
  const auto stream = RealisticStream();
  SessionParams p;
  size_t routes = 0;
  for (auto _ : state) {
    wire::Reader r(stream);
    uint64_t sum = 0;
    while (!r.empty()) {
      auto h = ParseHeader(r.rest(), p.max_message_size());
      wire::Bytes msg;
      r.ReadBytes(h->length, msg);
      auto v = UpdateView::Parse(msg, p);
      sum += v->local_pref().value_or(0);
      for (const auto& e : v->nlri()) {
        const Prefix pfx = IpPrefixOf(Afi::kIpv4, e.bytes);
        sum += pfx.address().v4();
        ++routes;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(routes);
  state.SetBytesProcessed(state.iterations() * stream.size());
}
BENCHMARK(BM_RealisticUpdateStreamWithPrefixes);

}  // namespace
}  // namespace bgpy
