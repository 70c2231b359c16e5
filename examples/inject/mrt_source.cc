// Copyright 2026 The bgpy Authors.
#include "inject/mrt_source.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/nlri.h"

namespace bgpy::tools {
namespace {

using Clock = std::chrono::steady_clock;

// Pending groups before every one is flushed, and pending routes.
constexpr size_t kMaxGroups = 4096;
constexpr size_t kMaxPendingRoutes = 50000;
// Source attribute lists remembered (with what they become), and their
// octets: over either, the caches start again empty.
constexpr size_t kMaxCache = size_t{1} << 17;
constexpr size_t kMaxCacheBytes = size_t{32} << 20;
// Files smaller than this get no progress line.
constexpr uint64_t kProgressBytes = uint64_t{8} << 20;

// A line on stderr rewritten in place (a terminal only), at most 4 a second.
class Progress {
 public:
  explicit Progress(std::string what)
      : what_(std::move(what)), tty_(isatty(2) != 0), start_(Clock::now()) {}
  void Update(uint64_t records, uint64_t routes, uint64_t bytes) {
    if (!tty_ || bytes < kProgressBytes) return;
    const Clock::time_point now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr,
                 "\r\033[Kbgpy-inject: %s: %llu records, %llu routes, %.1f "
                 "MB/s",
                 what_.c_str(), static_cast<unsigned long long>(records),
                 static_cast<unsigned long long>(routes),
                 s > 0 ? static_cast<double>(bytes) / 1e6 / s : 0.0);
    std::fflush(stderr);
    shown_ = true;
  }
  ~Progress() {
    if (shown_) {
      std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
    }
  }

 private:
  std::string what_;
  bool tty_;
  bool shown_ = false;
  Clock::time_point start_;
  Clock::time_point last_;
};

bool IsBgp4mp(const mrt::Record& r) {
  return r.header.type == static_cast<uint16_t>(mrt::Type::kBgp4mp) ||
         r.header.type == static_cast<uint16_t>(mrt::Type::kBgp4mpEt) ||
         r.header.type == static_cast<uint16_t>(mrt::Type::kBgp);
}

// A message the recorder sent itself (BGP4MP *_LOCAL): not a peer's route.
bool IsLocal(const mrt::Record& r) {
  const auto* m = std::get_if<mrt::Bgp4mpMessage>(&r.body);
  return m != nullptr && m->local;
}

// Whether the route withdraws (an announcement of an UPDATE that RFC 7606
// treats as withdrawn counts as one).
bool Withdraws(const mrt::Route& r) {
  return r.route.withdraw || r.update->verdict() == Verdict::kTreatAsWithdraw;
}

// A RIB entry whose attributes do not make a valid announcement (RFC 7606
// treat-as-withdraw: a mandatory attribute missing or malformed, such as a
// collector's own entries without AS_PATH): not replayed.
bool Unusable(const mrt::Route& r) { return r.rib && Withdraws(r); }

bool Inside(const Prefix& p, const Prefix& filter) {
  if (p.afi() != filter.afi() || p.length() < filter.length()) return false;
  const uint8_t* a = p.address().bytes();
  const uint8_t* f = filter.address().bytes();
  int bits = filter.length();
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask =
        bits >= 8 ? 0xff : static_cast<uint8_t>(0xff00 >> bits);
    if ((a[i] & mask) != (f[i] & mask)) return false;
  }
  return true;
}

bool PathContains(const AsPath& path, const std::vector<uint32_t>& asns) {
  for (const AsPathSegment& s : path.segments)
    for (uint32_t a : s.asns)
      if (std::find(asns.begin(), asns.end(), a) != asns.end()) return true;
  return false;
}

void PrependAs(AsPath& path, uint32_t as) {
  if (path.segments.empty() ||
      path.segments[0].type != AsSegmentType::kSequence ||
      path.segments[0].asns.size() >= 255) {
    path.segments.insert(path.segments.begin(),
                         AsPathSegment{AsSegmentType::kSequence, {}});
  }
  path.segments[0].asns.insert(path.segments[0].asns.begin(), as);
}

void AppendFamily(std::string& key, Family f) {
  const uint16_t afi = static_cast<uint16_t>(f.afi);
  const uint8_t safi = static_cast<uint8_t>(f.safi);
  key.push_back(static_cast<char>(afi >> 8));
  key.push_back(static_cast<char>(afi & 0xff));
  key.push_back(static_cast<char>(safi));
}

// Whether a RIB entry's attribute list has what an announcement needs
// (RFC 4271 §5.1: ORIGIN, AS_PATH, and a next hop), read from the attribute
// headers alone: the scan's stand-in for Unusable() on RIB entries.
bool RibEntryUsable(Family family, wire::Bytes attrs) {
  bool origin = false, as_path = false, next_hop = false;
  wire::Reader r(attrs);
  while (!r.empty()) {
    uint8_t flags = 0, code = 0;
    uint16_t len = 0;
    if (!r.ReadU8(flags) || !r.ReadU8(code)) return false;
    if (flags & 0x10) {
      if (!r.ReadU16(len)) return false;
    } else {
      uint8_t l8 = 0;
      if (!r.ReadU8(l8)) return false;
      len = l8;
    }
    wire::Bytes value;
    if (!r.ReadBytes(len, value)) return false;
    origin |= code == 1;
    as_path |= code == 2;
    next_hop |= code == 3 || code == 14;
  }
  return origin && as_path && (next_hop || family != kIpv4Unicast);
}

void AddOnce(std::vector<Family>& list, Family f) {
  if (!list.empty() && list.back() == f) return;  // the usual case
  if (std::find(list.begin(), list.end(), f) == list.end()) list.push_back(f);
}

}  // namespace

std::string DescribePeer(const MrtPeer& p) {
  return absl::StrCat("#", p.index, " AS", p.as, " ", p.address.ToString(),
                      " (", p.announcements, " routes",
                      p.withdrawals > 0
                          ? absl::StrCat(", ", p.withdrawals, " withdrawals")
                          : std::string(),
                      ")");
}

absl::StatusOr<MrtScan> ScanMrt(const std::string& path) {
  MrtScan scan;
  mrt::FileReader reader;
  if (absl::Status st = reader.Open(path); !st.ok())
    return absl::Status(st.code(), absl::StrCat(path, ": ", st.message()));
  mrt::RouteWalker walker;
  mrt::Record record;
  mrt::RecordHeader fast_header;
  mrt::Rib fast_rib;
  Progress progress(absl::StrCat("reading ", path));
  const Clock::time_point start = Clock::now();
  // Peers of types without an index table: by (address, AS).
  absl::flat_hash_map<std::pair<IpAddress, uint32_t>, size_t> by_address;
  auto peer_at = [&](const mrt::Route& r) -> MrtPeer& {
    if (r.header->type == static_cast<uint16_t>(mrt::Type::kTableDumpV2)) {
      scan.table_dump_v2 = true;
      if (scan.peers.size() <= r.peer_index) {
        const size_t from = scan.peers.size();
        scan.peers.resize(size_t{r.peer_index} + 1);
        for (size_t i = from; i < scan.peers.size(); ++i)
          scan.peers[i].index = static_cast<uint32_t>(i);
      }
      MrtPeer& p = scan.peers[r.peer_index];
      p.address = r.peer_address;
      p.as = r.peer_as;
      return p;
    }
    auto [it, fresh] =
        by_address.try_emplace({r.peer_address, r.peer_as}, scan.peers.size());
    if (fresh) {
      MrtPeer p;
      p.index = static_cast<uint32_t>(scan.peers.size());
      p.address = r.peer_address;
      p.as = r.peer_as;
      scan.peers.push_back(p);
    }
    return scan.peers[it->second];
  };
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = reader.Next();
    if (!next.ok())
      return absl::Status(next.status().code(),
                          absl::StrCat(path, ": ", next.status().message()));
    if (!*next) break;
    ++scan.records;
    // TABLE_DUMP_V2 RIB entries are counted from the record alone (peer
    // index, family, path id): the replay parses them anyway, and this pass
    // is timed from launch. Unusable entries are told by their attribute
    // headers (RibEntryUsable).
    const mrt::PeerIndexTable* table = walker.peer_index_table();
    const mrt::Rib* rib = nullptr;
    if (table != nullptr &&
        mrt::DecodeAfiSafiRib(**next, fast_header, fast_rib)) {
      rib = &fast_rib;
    } else {
      if (absl::Status st = mrt::DecodeRecord(**next, record); !st.ok())
        continue;  // counted, skipped (the replay skips it too)
      if (IsLocal(record)) continue;
      if (std::holds_alternative<mrt::Bgp4mpMessage>(record.body))
        scan.messages = true;
      rib = std::get_if<mrt::Rib>(&record.body);
    }
    if (rib != nullptr && table != nullptr &&
        FindFamily(rib->family) != nullptr) {
      scan.table_dump_v2 = true;
      for (const mrt::RibEntry& e : *rib) {
        if (e.peer_index >= table->peers.size() ||
            !RibEntryUsable(rib->family, e.attributes)) {
          continue;
        }
        ++scan.routes;
        if (scan.peers.size() <= e.peer_index) {
          const size_t from = scan.peers.size();
          scan.peers.resize(size_t{e.peer_index} + 1);
          for (size_t i = from; i < scan.peers.size(); ++i)
            scan.peers[i].index = static_cast<uint32_t>(i);
        }
        MrtPeer& p = scan.peers[e.peer_index];
        p.address = table->peers[e.peer_index].address;
        p.as = table->peers[e.peer_index].as;
        ++p.announcements;
        AddOnce(p.families, rib->family);
        if (e.path_id) AddOnce(p.path_id_families, rib->family);
      }
      progress.Update(scan.records, scan.routes, reader.uncompressed_bytes());
      continue;
    }
    // A record whose routes do not all decode: those that do still count.
    (void)walker.Walk(record, [&](const mrt::Route& r) {
      if (r.route.desc == nullptr || Unusable(r)) return;
      ++scan.routes;
      MrtPeer& p = peer_at(r);
      if (Withdraws(r)) {
        ++p.withdrawals;
      } else {
        ++p.announcements;
      }
      AddOnce(p.families, r.route.family);
      if (r.route.path_id) AddOnce(p.path_id_families, r.route.family);
    });
    progress.Update(scan.records, scan.routes, reader.uncompressed_bytes());
  }
  scan.bytes = reader.uncompressed_bytes();
  scan.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return scan;
}

absl::StatusOr<std::vector<size_t>> SelectMrtPeers(
    const MrtScan& scan, const std::vector<MrtPeerSelector>& selectors,
    bool all_by_default) {
  std::vector<size_t> out;
  auto has_routes = [&](size_t i) {
    return scan.peers[i].announcements + scan.peers[i].withdrawals > 0;
  };
  // A session takes the peer's AS (--sessions=mrt-peers): not AS 0.
  auto can_speak = [&](size_t i) {
    return scan.peers[i].announcements > 0 && scan.peers[i].as != 0;
  };
  if (selectors.empty()) {
    if (all_by_default) {
      for (size_t i = 0; i < scan.peers.size(); ++i)
        if (can_speak(i)) out.push_back(i);
    } else {
      std::optional<size_t> best;
      for (size_t i = 0; i < scan.peers.size(); ++i) {
        if (!has_routes(i)) continue;
        if (!best ||
            scan.peers[i].announcements > scan.peers[*best].announcements)
          best = i;
      }
      if (best) out.push_back(*best);
    }
    if (out.empty())
      return absl::InvalidArgumentError("the file has no routes to replay");
    return out;
  }
  for (const MrtPeerSelector& s : selectors) {
    bool found = false;
    for (size_t i = 0; i < scan.peers.size(); ++i) {
      const MrtPeer& p = scan.peers[i];
      bool match = false;
      switch (s.kind) {
        case MrtPeerSelector::Kind::kIndex:
          match = p.index == s.number;
          break;
        case MrtPeerSelector::Kind::kAs:
          match = p.as == s.number && has_routes(i);
          break;
        case MrtPeerSelector::Kind::kAddress:
          match = p.address == s.address && has_routes(i);
          break;
      }
      if (!match) continue;
      found = true;
      if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    }
    if (!found)
      return absl::InvalidArgumentError(
          absl::StrCat("'", s.text,
                       "' matches no peer with routes in the "
                       "file (",
                       scan.peers.size(), " peers)"));
  }
  return out;
}

MrtRoutes::MrtRoutes(const MrtOptions& options, const MrtScan& scan,
                     const std::vector<size_t>& peers)
    : options_(options), table_dump_v2_(scan.table_dump_v2) {
  for (size_t i : peers) peers_.push_back(scan.peers[i]);
  unique_entries_ = !scan.messages && peers.size() == 1;
}

void MrtRoutes::Begin(MrtReplayContext context, bool withdraw) {
  context_ = std::move(context);
  ebgp_ = context_.negotiated != nullptr && !context_.negotiated->ibgp;
  if (context_.negotiated != nullptr) send_ = context_.negotiated->send_params;
  withdraw_phase_ = withdraw;
  reader_ = mrt::FileReader();
  walker_ = mrt::RouteWalker();
  holding_ = false;
  eof_ = false;
  first_time_.reset();
  started_ = Clock::now();
  pending_.clear();
  pending_entries_.clear();
  pending_routes_ = 0;
  ready_.clear();
  outs_.clear();
  out_index_.clear();
  out_bytes_ = 0;
  cache_.clear();
  rib_cache_.clear();
  cache_bytes_ = 0;
  last_valid_ = false;
  done_ = false;
  wait_until_.reset();
  records_ = 0;
  skipped_ = 0;
  status_ = reader_.Open(options_.path);
  if (!status_.ok()) done_ = true;
}

bool MrtRoutes::Selected(const mrt::Route& r) const {
  const bool v2 =
      r.header->type == static_cast<uint16_t>(mrt::Type::kTableDumpV2);
  for (const MrtPeer& p : peers_) {
    if (v2 && table_dump_v2_) {
      if (p.index == r.peer_index) return true;
    } else if (p.address == r.peer_address && p.as == r.peer_as) {
      return true;
    }
  }
  return false;
}

bool MrtRoutes::PrefixFiltered(Afi afi, wire::Bytes entry) const {
  if (options_.prefixes.empty()) return false;
  const Prefix p = IpPrefixOf(afi, entry);
  for (const Prefix& f : options_.prefixes)
    if (Inside(p, f)) return false;
  return true;
}

bool MrtRoutes::Filtered(const mrt::Route& r) const {
  if (options_.prefixes.empty()) return false;
  if (!r.route.is_ip_prefix()) return true;
  return PrefixFiltered(r.route.family.afi, r.route.entry);
}

void MrtRoutes::BoundCaches() {
  size_t entries = cache_.size();
  for (const FamilyCache& c : rib_cache_) entries += c.decisions.size();
  if (entries < kMaxCache && cache_bytes_ + out_bytes_ < kMaxCacheBytes) return;
  // Pending groups point into outs_: they go first.
  FlushPending();
  last_valid_ = false;
  outs_.clear();
  out_index_.clear();
  out_bytes_ = 0;
  cache_.clear();
  for (FamilyCache& c : rib_cache_) c.decisions.clear();
  cache_bytes_ = 0;
}

uint32_t MrtRoutes::Intern(const std::string& key, Family family, bool withdraw,
                           OutAttrs attrs) {
  auto [it, fresh] =
      out_index_.try_emplace(key, static_cast<uint32_t>(outs_.size()));
  if (fresh) {
    out_bytes_ += key.size() + attrs.attrs.size() + attrs.mp_next_hop.size();
    Out o;
    o.family = family;
    o.withdraw = withdraw;
    o.attrs = std::make_shared<const OutAttrs>(std::move(attrs));
    outs_.push_back(std::move(o));
  }
  return it->second;
}

uint32_t MrtRoutes::WithdrawOut(Family family) {
  std::string key = "W";
  AppendFamily(key, family);
  return Intern(key, family, true, OutAttrs());
}

uint32_t MrtRoutes::Rewrite(const mrt::Route& r, const MrtFamilyOut& fam) {
  const UpdateView& u = *r.update;
  const bool keep = options_.keep_attributes;
  // The key: the family, the source attributes but MP_REACH/MP_UNREACH,
  // their AS width and (kept next hops) the next hop.
  key_.clear();
  AppendFamily(key_, fam.family);
  key_.push_back(u.four_octet_as() ? '4' : '2');
  if (keep) {  // else the next hop is ours
    key_.push_back(static_cast<char>(r.route.next_hop_bytes.size()));
    key_.append(reinterpret_cast<const char*>(r.route.next_hop_bytes.data()),
                r.route.next_hop_bytes.size());
  }
  for (const AttributeView& a : u.attributes()) {
    if (a.code == static_cast<uint8_t>(AttrCode::kMpReachNlri) ||
        a.code == static_cast<uint8_t>(AttrCode::kMpUnreachNlri))
      continue;
    key_.append(reinterpret_cast<const char*>(a.raw.data()), a.raw.size());
  }
  if (auto it = cache_.find(key_); it != cache_.end()) return it->second;
  BoundCaches();

  SessionParams source;
  source.four_octet_as = u.four_octet_as();
  PathAttributes a = DecodePathAttributes(u.attributes_bytes(), source);
  // One 4-octet path (RFC 6793 §4.2.3): the encoder writes AS4_PATH again
  // where the session needs it.
  a.as_path = u.as_path();
  a.as4_path.reset();
  if (a.as4_aggregator) {
    if (!a.aggregator || a.aggregator->asn == kAsTrans)
      a.aggregator = a.as4_aggregator;
    a.as4_aggregator.reset();
  }
  std::optional<IpAddress> source_next_hop = a.next_hop;
  if (!keep) {
    if (ebgp_) {
      if (context_.prepend) {
        if (!a.as_path) a.as_path = AsPath();
        PrependAs(*a.as_path, context_.local_as);
      }
      a.local_pref.reset();     // RFC 4271 §5.1.5
      a.med.reset();            // §5.1.4
      a.originator_id.reset();  // RFC 4456 §8
      a.cluster_list.clear();
      a.aigp.reset();  // RFC 7311 §3: not across AS borders by default
    } else if (!a.local_pref) {
      a.local_pref = 100;
    }
    // RFC 4271 §5: an unrecognised optional non-transitive attribute is
    // not passed on; a transitive one is, with the Partial bit.
    std::vector<PathAttribute> others;
    for (PathAttribute& o : a.others) {
      const bool known = LookupAttribute(o.code) != nullptr;
      if (!known && (o.flags & kAttrOptional) && !(o.flags & kAttrTransitive))
        continue;
      if (!known && (o.flags & kAttrOptional)) o.flags |= kAttrPartial;
      others.push_back(std::move(o));
    }
    a.others = std::move(others);
  }
  OutAttrs rw;
  if (fam.family == kIpv4Unicast) {
    if (keep && source_next_hop) {
      a.next_hop = source_next_hop;
    } else if (keep && r.route.next_hop_bytes.size() == 4) {
      a.next_hop = IpAddress::V4Bytes(r.route.next_hop_bytes.data());
    } else {
      a.next_hop = fam.next_hop;
    }
    if (!a.next_hop->is_v4()) a.next_hop = fam.next_hop;
  } else {
    if (!keep) a.next_hop.reset();
    if (keep && !r.next_hop_absent) {
      rw.mp_next_hop.assign(r.route.next_hop_bytes.begin(),
                            r.route.next_hop_bytes.end());
    } else {
      MpNextHop nh;
      nh.address = fam.next_hop;
      wire::Writer w(&rw.mp_next_hop);
      fam.desc->encode_next_hop(nh, w);
    }
  }
  {
    wire::Writer w(&rw.attrs);
    EncodePathAttributes(a, send_, w);
  }
  // Source lists that end up the same share their groups.
  std::string group_key;
  AppendFamily(group_key, fam.family);
  group_key.push_back(static_cast<char>(rw.mp_next_hop.size()));
  group_key.append(reinterpret_cast<const char*>(rw.mp_next_hop.data()),
                   rw.mp_next_hop.size());
  group_key.append(reinterpret_cast<const char*>(rw.attrs.data()),
                   rw.attrs.size());
  const uint32_t out = Intern(group_key, fam.family, false, std::move(rw));
  cache_bytes_ += key_.size();
  cache_.emplace(key_, out);
  return out;
}

void MrtRoutes::FlushPending() {
  for (Group& g : pending_) {
    outs_[g.out].pending = -1;
    if (!g.entries.empty()) ready_.push_back(std::move(g));
  }
  pending_.clear();
  pending_entries_.clear();
  pending_routes_ = 0;
}

void MrtRoutes::Add(uint32_t out, std::optional<uint32_t> path_id,
                    wire::Bytes bytes) {
  const Family family = outs_[out].family;
  // A route of a prefix already pending in another group would overtake
  // it: what was pending goes first.
  std::string ekey;
  if (!unique_entries_) {
    AppendFamily(ekey, family);
    if (path_id) {
      ekey.push_back('p');
      ekey.append(reinterpret_cast<const char*>(&*path_id), 4);
    }
    ekey.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (pending_entries_.contains(ekey)) FlushPending();
  }
  if (pending_.size() >= kMaxGroups || pending_routes_ >= kMaxPendingRoutes)
    FlushPending();
  Out& o = outs_[out];
  if (o.pending < 0) {
    o.pending = static_cast<int64_t>(pending_.size());
    Group g;
    g.family = o.family;
    g.withdraw = o.withdraw;
    g.out = out;
    g.attrs = o.attrs;
    g.room = send_.max_message_size() - kHeaderSize - 64 -
             std::min(g.attrs->attrs.size(), send_.max_message_size() / 2);
    pending_.push_back(std::move(g));
  }
  Group& g = pending_[static_cast<size_t>(o.pending)];
  g.entry_bytes += bytes.size() + (path_id ? 4 : 0);
  NlriEntry& e = g.entries.emplace_back();
  e.path_id = path_id;
  e.bytes.assign(bytes.begin(), bytes.end());
  if (!unique_entries_) pending_entries_.insert(std::move(ekey));
  ++pending_routes_;
  // A message's worth: its routes are handed over now; the group stays
  // (empty) under its key for the routes to come.
  if (g.entry_bytes >= g.room) {
    Group full;
    full.family = g.family;
    full.withdraw = g.withdraw;
    full.out = g.out;
    full.attrs = g.attrs;
    full.entries.swap(g.entries);
    g.entries.reserve(full.entries.size());
    ready_.push_back(std::move(full));
    g.entry_bytes = 0;
    // Its entries stay in pending_entries_ (and pending_routes_) until the
    // next FlushPending(): a later route of one of them flushes early,
    // which keeps the order and costs nothing else.
  }
}

std::optional<MrtRoutes::Decision> MrtRoutes::Decide(const mrt::Route& r) {
  if (r.route.desc == nullptr || r.route.desc->opaque || Unusable(r) ||
      !Selected(r)) {
    return std::nullopt;
  }
  const MrtFamilyOut* fam = nullptr;
  for (const MrtFamilyOut& f : context_.families)
    if (f.family == r.route.family) fam = &f;
  if (fam == nullptr) return std::nullopt;
  const bool withdraw = Withdraws(r);
  if (!withdraw && !options_.as_filter.empty()) {
    std::optional<AsPath> path = r.update->as_path();
    if (!path || !PathContains(*path, options_.as_filter)) return std::nullopt;
  }
  Decision d;
  d.replay = true;
  // Announcements of an updates file are tracked (OnRoute) before
  // anything goes out: the attributes are rewritten there.
  if (withdraw || withdraw_phase_) {
    d.out = WithdrawOut(fam->family);
  } else if (r.rib) {
    d.out = Rewrite(r, *fam);
  }
  return d;
}

void MrtRoutes::OnRoute(const mrt::Route& r) {
  std::optional<Decision> d = Decide(r);
  if (!d || Filtered(r)) {
    ++skipped_;
    return;
  }
  const Negotiated* n = context_.negotiated;
  const bool add_path = n != nullptr && n->AddPathSend(r.route.family);
  std::optional<uint32_t> path_id;
  if (add_path) path_id = r.route.path_id.value_or(1);
  const bool withdraw = Withdraws(r);
  const bool track = !options_.as_filter.empty() && !r.rib;
  if (track) {
    std::string tkey;
    AppendFamily(tkey, r.route.family);
    tkey.append(reinterpret_cast<const char*>(r.route.entry.data()),
                r.route.entry.size());
    if (r.route.path_id)
      tkey.append(reinterpret_cast<const char*>(&*r.route.path_id), 4);
    if (withdraw) {
      // Only the withdrawals of routes that were announced.
      if (!withdraw_phase_ && announced_.erase(tkey) == 0) {
        ++skipped_;
        return;
      }
    } else {
      announced_.insert(std::move(tkey));
    }
  }
  // The withdrawal phase withdraws announcements only.
  if (withdraw && withdraw_phase_) {
    ++skipped_;
    return;
  }
  if (!withdraw && !withdraw_phase_ && !r.rib) {
    const MrtFamilyOut* fam = nullptr;
    for (const MrtFamilyOut& f : context_.families)
      if (f.family == r.route.family) fam = &f;
    d->out = Rewrite(r, *fam);
  }
  Add(d->out, path_id, r.route.entry);
}

bool MrtRoutes::ProcessRib(const mrt::Rib& rib) {
  // The AFI/SAFI-specific subtypes (one IP prefix), a replayed family, a
  // PEER_INDEX_TABLE in force and peers chosen by index.
  const uint16_t st = record_.header.subtype;
  using Sub = mrt::TableDumpV2Subtype;
  const bool specific =
      (st >= static_cast<uint16_t>(Sub::kRibIpv4Unicast) &&
       st <= static_cast<uint16_t>(Sub::kRibIpv6Multicast)) ||
      (st >= static_cast<uint16_t>(Sub::kRibIpv4UnicastAddPath) &&
       st <= static_cast<uint16_t>(Sub::kRibIpv6MulticastAddPath));
  const mrt::PeerIndexTable* table = walker_.peer_index_table();
  if (!specific || !table_dump_v2_ || table == nullptr) return false;
  const FamilyDesc* desc = FindFamily(rib.family);
  if (desc == nullptr || desc->opaque || !desc->prefix_bits) return false;
  const MrtFamilyOut* fam = nullptr;
  for (const MrtFamilyOut& f : context_.families)
    if (f.family == rib.family) fam = &f;
  if (fam == nullptr) {  // not replayed: as Decide() says of each entry
    skipped_ += rib.entry_count;
    return true;
  }
  // The prefix as the walker's UPDATE would check it (NlriView::Validate):
  // else the walker reports it. (DecodeRecord and DecodeSpecificRib have
  // checked it already: a Rib built otherwise is walked.)
  if (rib.nlri.empty() || rib.nlri[0] > desc->prefix_bits ||
      rib.nlri.size() != 1 + (size_t{rib.nlri[0]} + 7) / 8) {
    return false;
  }
  const bool filtered = PrefixFiltered(rib.family.afi, rib.nlri);
  const Negotiated* n = context_.negotiated;
  const bool add_path = n != nullptr && n->AddPathSend(rib.family);
  size_t ci = 0;
  while (ci < rib_cache_.size() && !(rib_cache_[ci].family == rib.family)) ++ci;
  if (ci == rib_cache_.size()) rib_cache_.push_back({rib.family, {}});
  const size_t fixed = 8 + (rib.add_path ? 4 : 0);  // before the attributes
  // The entries (checked when the record was decoded; a Rib built
  // otherwise ends at its first short entry, as Rib::Iterator does).
  for (const mrt::RibEntry& e : rib) {
    const uint16_t peer_index = e.peer_index;
    const wire::Bytes attr_bytes = e.attributes;
    bool selected = false;
    for (const MrtPeer& p : peers_)
      selected = selected || p.index == peer_index;
    if (!selected || peer_index >= table->peers.size() || filtered) {
      ++skipped_;
      continue;
    }
    const absl::string_view attrs(
        reinterpret_cast<const char*>(attr_bytes.data()), attr_bytes.size());
    std::optional<Decision> d;
    auto& decisions = rib_cache_[ci].decisions;
    if (last_valid_ && last_family_ == rib.family && attrs == last_attrs_) {
      // Neighbouring prefixes often share their attributes.
      d = last_decision_;
    } else {
      if (auto it = decisions.find(attrs); it != decisions.end()) {
        d = it->second;
      } else {
        // The walker's reading of this one entry. (The caches are bounded
        // first: Decide() hands out an outs_ index.)
        BoundCaches();
        mrt::Rib single = rib;
        single.entry_count = 1;
        single.entries =
            wire::Bytes(attr_bytes.data() - fixed, fixed + attr_bytes.size());
        one_.header = record_.header;
        one_.bytes = record_.bytes;
        one_.body = single;
        bool walked = false;
        (void)walker_.Walk(one_, [&](const mrt::Route& r) {
          walked = true;
          d = Decide(r);
        });
        if (!walked) continue;  // does not decode: as the walker's error
        const Decision stored = d.value_or(Decision());
        cache_bytes_ += attrs.size();
        rib_cache_[ci].decisions.emplace(attrs, stored);
      }
      last_valid_ = true;
      last_family_ = rib.family;
      last_attrs_.assign(attrs.data(), attrs.size());
      last_decision_ = d.value_or(Decision());
    }
    if (!d || !d->replay) {
      ++skipped_;
      continue;
    }
    std::optional<uint32_t> id;
    if (add_path) id = e.path_id.value_or(1);
    Add(d->out, id, rib.nlri);
  }
  return true;
}

void MrtRoutes::ProcessRecord() {
  holding_ = false;
  if (IsLocal(record_)) return;
  if (const auto* rib = std::get_if<mrt::Rib>(&record_.body)) {
    if (ProcessRib(*rib)) return;
  }
  // A record that does not decode whole: the routes that do are replayed.
  (void)walker_.Walk(record_, [this](const mrt::Route& r) { OnRoute(r); });
  // An UPDATE's routes go before the next one's.
  if (IsBgp4mp(record_)) FlushPending();
}

void MrtRoutes::ReadMore() {
  wait_until_.reset();
  while (ready_.empty() && status_.ok()) {
    if (holding_) {
      // --speed: a BGP4MP record at its time since the first one.
      if (options_.speed > 0 && IsBgp4mp(record_) && !withdraw_phase_) {
        const uint32_t t = record_.header.timestamp;
        if (!first_time_) first_time_ = t;
        const double since =
            t >= *first_time_ ? static_cast<double>(t - *first_time_) : 0.0;
        const Clock::time_point due =
            started_ + std::chrono::microseconds(
                           static_cast<int64_t>(since / options_.speed * 1e6));
        if (Clock::now() < due) {
          FlushPending();
          if (!ready_.empty()) return;
          wait_until_ = due;
          return;
        }
      }
      ProcessRecord();
      continue;
    }
    if (eof_) {
      FlushPending();
      return;
    }
    absl::StatusOr<std::optional<wire::Bytes>> next = reader_.Next();
    if (!next.ok()) {
      status_ = absl::Status(
          next.status().code(),
          absl::StrCat(options_.path, ": ", next.status().message()));
      return;
    }
    if (!*next) {
      eof_ = true;
      continue;
    }
    ++records_;
    if (walker_.peer_index_table() != nullptr &&
        mrt::DecodeAfiSafiRib(**next, record_.header, fast_rib_)) {
      record_.bytes = **next;
      record_.body = fast_rib_;
      record_.scratch.clear();
    } else if (!mrt::DecodeRecord(**next, record_).ok()) {
      continue;
    }
    holding_ = true;
  }
}

uint64_t MrtRoutes::Fill(UpdateBuilder& b, uint64_t budget, bool* withdraw) {
  *withdraw = false;
  // Until a route is added, or none is ready: a source that adds nothing
  // is not asked again until the session's output drains.
  while (!done_) {
    if (ready_.empty()) ReadMore();
    if (!status_.ok()) {
      done_ = true;
      return 0;
    }
    if (ready_.empty()) {
      if (eof_ && !holding_) done_ = true;
      return 0;
    }
    Group& g = ready_.front();
    *withdraw = g.withdraw;
    if (!b.SetRawAttributes(g.attrs->attrs, g.family, g.attrs->mp_next_hop)
             .ok()) {
      // Attributes that leave no room for a route: skipped.
      skipped_ += g.entries.size() - g.next;
      ready_.pop_front();
      continue;
    }
    uint64_t added = 0;
    while (added < budget && g.next < g.entries.size()) {
      const NlriEntry& e = g.entries[g.next];
      const bool ok = g.withdraw ? b.Withdraw(e) : b.Announce(e);
      if (!ok) {
        if (added > 0) break;  // the message is full
        ++skipped_;            // not even alone in a message
      } else {
        ++added;
      }
      ++g.next;
    }
    if (g.next >= g.entries.size()) ready_.pop_front();
    if (ready_.empty() && eof_ && !holding_ && pending_.empty()) done_ = true;
    if (added > 0) return added;
  }
  return 0;
}

}  // namespace bgpy::tools
