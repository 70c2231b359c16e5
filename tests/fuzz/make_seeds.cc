// Copyright 2026 The bgpy Authors.
//
// make_seeds: writes the seed inputs of every fuzz target, built with the
// library from owned values (no third-party data), as
// OUT/<target>/seed-<n>. README.md shows how they are renamed by SHA-256
// into corpus/<target>/.
//
//   fuzz_make_seeds /tmp/seeds
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bgpy/attributes.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/update.h"

namespace bgpy::fuzz {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Encode(const Message& m, const SessionParams& p = {}) {
  absl::StatusOr<Bytes> b = EncodeMessage(m, p);
  if (!b.ok()) {
    std::fprintf(stderr, "encode failed: %s\n", b.status().ToString().c_str());
    std::abort();
  }
  return *b;
}

Prefix P4(uint32_t a, int len) { return *Prefix::Make(IpAddress::V4(a), len); }

Prefix P6(uint8_t b1, int len) {
  std::array<uint8_t, 16> a{0x20, 0x01, 0x0d, 0xb8, b1};
  return *Prefix::Make(IpAddress::V6(a), len);
}

PathAttributes RichAttributes() {
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{{AsPathSegment{AsSegmentType::kSequence, {65001, 65002}},
                      AsPathSegment{AsSegmentType::kSet, {7, 8}}}};
  a.next_hop = IpAddress::V4(0xc0000201);  // 192.0.2.1
  a.med = 10;
  a.local_pref = 100;
  a.atomic_aggregate = true;
  a.aggregator = Aggregator{65001, 0xc0000202};
  a.communities = {0xfde80064, kCommunityNoExport};
  a.originator_id = 0x0a000001;
  a.cluster_list = {0x0a000002};
  a.ext_communities = {ExtendedCommunity::RouteTarget(65001, 7)};
  a.aigp = Aigp::FromMetric(1234);
  a.large_communities = {LargeCommunity{65001, 1, 2}};
  a.otc = 65001;
  a.others.push_back(
      PathAttribute{kAttrOptional | kAttrTransitive, 99, {1, 2, 3}});
  return a;
}

// UPDATEs built by UpdateBuilder under `p`.
std::vector<Bytes> Updates(const SessionParams& p) {
  std::vector<Bytes> out;
  const bool ap4 = p.HasAddPath(kIpv4Unicast);
  const bool ap6 = p.HasAddPath(kIpv6Unicast);
  auto id = [](bool on, uint32_t v) {
    return on ? std::optional<uint32_t>(v) : std::nullopt;
  };
  {
    UpdateBuilder b(p);
    (void)b.SetAttributes(RichAttributes(), kIpv4Unicast);
    b.Announce(P4(0x0a000000, 8), id(ap4, 1));
    b.Announce(P4(0xc0a80100, 24), id(ap4, 2));
    b.Announce(P4(0xc0a80101, 32), id(ap4, 3));
    b.Withdraw(P4(0xac100000, 12), id(ap4, 4));
    Bytes m;
    b.Flush(m);
    out.push_back(m);
  }
  {
    UpdateBuilder b(p);
    PathAttributes a;
    a.origin = Origin::kIncomplete;
    a.as_path =
        AsPath{{AsPathSegment{AsSegmentType::kSequence, {4200000001u}}}};
    a.local_pref = 200;
    std::vector<uint8_t> nh(16, 0);
    nh[0] = 0x20;
    nh[1] = 0x01;
    nh[15] = 1;
    (void)b.SetAttributes(a, kIpv6Unicast, nh);
    b.Announce(P6(1, 48), id(ap6, 9));
    b.Announce(P6(2, 64), id(ap6, 10));
    Bytes m;
    b.Flush(m);
    out.push_back(m);
  }
  {
    UpdateBuilder b(p);
    (void)b.SetAttributes(PathAttributes{}, kIpv6Unicast);
    b.Withdraw(P6(3, 56), id(ap6, 11));
    Bytes m;
    b.Flush(m);
    out.push_back(m);
  }
  out.push_back(UpdateBuilder::EndOfRib(kIpv4Unicast));
  out.push_back(UpdateBuilder::EndOfRib(kIpv6Unicast));
  return out;
}

std::vector<Bytes> Messages() {
  std::vector<Bytes> out;
  out.push_back(Encode(Keepalive{}));
  SessionConfig c;
  c.local_as = 4200000001u;
  c.router_id = 0x0a000001;
  c.families = {kIpv4Unicast, kIpv6Unicast};
  c.add_path = {{kIpv4Unicast, true, true}};
  c.extended_message = true;
  c.enhanced_route_refresh = true;
  c.role = Role::kCustomer;
  c.software_version = "bgpy-fuzz-seed";
  c.graceful_restart = GracefulRestartCapability{};
  out.push_back(Encode(BuildOpen(c)));
  Open plain = Open::Make(65001, 90, 0x0a000002, {});
  out.push_back(Encode(plain));
  Open ext = BuildOpen(c);
  ext.extended_parameters = true;
  out.push_back(Encode(ext));
  out.push_back(Encode(Notification{3, 1, {}}));
  out.push_back(Encode(Notification::Shutdown(2, "maintenance window")));
  out.push_back(Encode(Notification{6, 9, {3, 11, 0x40, 2, 0}}));  // hard reset
  out.push_back(Encode(Notification{2, 1, {0, 4}}));
  out.push_back(Encode(RouteRefresh{kIpv4Unicast, 0, {}}));
  out.push_back(Encode(RouteRefresh{kIpv6Unicast, 1, {}}));
  out.push_back(Encode(RouteRefresh{kIpv4Unicast, 0, {1, 0x40, 0, 1, 2}}));
  for (Bytes& u : Updates(SessionParams{})) out.push_back(u);
  return out;
}

void Write(const std::filesystem::path& dir, int n, const Bytes& b) {
  std::filesystem::create_directories(dir);
  std::ofstream f(dir / ("seed-" + std::to_string(n)), std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()),
          static_cast<std::streamsize>(b.size()));
}

// A session op stream: Receive(bytes) as chunks of at most 255 octets.
void Feed(Bytes& ops, const Bytes& msg) {
  for (size_t pos = 0; pos < msg.size();) {
    const size_t n = std::min<size_t>(255, msg.size() - pos);
    ops.push_back(0);
    ops.push_back(static_cast<uint8_t>(n));
    ops.insert(ops.end(), msg.begin() + pos, msg.begin() + pos + n);
    pos += n;
  }
}

}  // namespace
}  // namespace bgpy::fuzz

int main(int argc, char** argv) {
  using namespace bgpy;
  using namespace bgpy::fuzz;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out(argv[1]);
  int n = 0;
  for (const Bytes& m : Messages()) {
    Write(out / "message_fuzzer", n++, m);
    for (uint8_t flags : {0x01, 0x03}) {
      Bytes r{flags};
      r.insert(r.end(), m.begin(), m.end());
      Write(out / "roundtrip_fuzzer", n++, r);
    }
  }
  // UPDATEs under each interesting parameter set (octet 0 as in
  // update_fuzzer: four_octet_as, extended, ADD-PATH v4 / v6, external).
  for (uint8_t flags : {0x01, 0x00, 0x05, 0x0d, 0x03, 0x21}) {
    SessionParams p;
    p.four_octet_as = flags & 0x01;
    p.extended_message = flags & 0x02;
    if (flags & 0x04) p.SetAddPath(kIpv4Unicast, true);
    if (flags & 0x08) p.SetAddPath(kIpv6Unicast, true);
    p.external = flags & 0x20;
    for (const Bytes& u : Updates(p)) {
      Bytes in{flags, 0x01};
      in.insert(in.end(), u.begin(), u.end());
      Write(out / "update_fuzzer", n++, in);
      Bytes r{flags};
      r.insert(r.end(), u.begin(), u.end());
      Write(out / "roundtrip_fuzzer", n++, r);
    }
  }
  // Sessions: octet 0 is the configuration; the handshake is automatic
  // unless bit 7 is set.
  const Bytes keepalive = Encode(Keepalive{});
  const Bytes update = Updates(SessionParams{})[0];
  {
    // Established; an UPDATE; keepalive and hold timers; queue; stop.
    Bytes ops{0x00};
    Feed(ops, update);
    ops.insert(ops.end(), {6, 6, 1, 0x80, 0x64, 5, 2, 1, 2, 3, 7, 4, 7, 5});
    Feed(ops, UpdateBuilder::EndOfRib(kIpv4Unicast));
    ops.insert(ops.end(), {6, 6, 6, 4, 2, 3, 7, 0, 2});
    Write(out / "session_fuzzer", n++, ops);
  }
  {
    // Short hold time, delay open, auto restart: let timers run out.
    Bytes ops{0x46};
    ops.insert(ops.end(), {6, 6, 6, 6, 6, 6, 6, 6, 3, 6, 6, 2, 7, 6, 7, 7});
    Write(out / "session_fuzzer", n++, ops);
  }
  {
    // Manual handshake, with a bad message in OpenConfirm.
    Bytes ops{0x80 | 0x08 | 0x10};
    ops.insert(ops.end(), {7, 6, 7, 7});
    Bytes bad = keepalive;
    bad[18] = 9;
    Feed(ops, bad);
    ops.insert(ops.end(), {3, 6, 2});
    Write(out / "session_fuzzer", n++, ops);
  }
  {
    // Passive, stalled output with back-pressure.
    Bytes ops{0x21};
    ops.insert(ops.end(), {7, 2});
    for (int i = 0; i < 40; ++i)
      ops.insert(ops.end(), {5, 7, 1, 2, 3, 4, 5, 6, 7, 8});
    ops.insert(ops.end(), {7, 3, 7, 2, 6, 4, 9});
    Write(out / "session_fuzzer", n++, ops);
  }
  std::fprintf(stderr, "wrote %d seeds under %s\n", n, out.c_str());
  return 0;
}
