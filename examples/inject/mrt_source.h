// Copyright 2026 The bgpy Authors.
//
// mrt_source.h: bgpy-inject --mrt (DESIGN.md "bgpy-inject"): replays the
// routes of an MRT file into a session. TABLE_DUMP and TABLE_DUMP_V2 RIB
// dumps give announcements; BGP4MP / BGP4MP_ET updates files give the
// announcements and withdrawals of the received UPDATEs, in order (with
// --speed, at their original pace).
//
// The file is streamed (mrt::FileReader + mrt::RouteWalker): memory stays
// bounded whatever its size. A first pass (ScanMrt) counts the routes of
// each peer, so the default peer (the one with the most routes) can be
// chosen and the families found offered; MrtRoutes then reads the file
// again for each session and phase, and packs routes that end up with the
// same attributes into one UPDATE (a bounded set of pending groups,
// flushed when full, when too many, and at each BGP4MP record).
//
// Attributes: by default as an eBGP speaker passes a route on (RFC 4271
// §5.1): NEXT_HOP / the MP_REACH next hop become ours, our AS is prepended
// (not with --sessions=mrt-peers, where our AS is the peer's own), and on
// eBGP LOCAL_PREF (§5.1.5), MULTI_EXIT_DISC (§5.1.4), ORIGINATOR_ID and
// CLUSTER_LIST (RFC 4456 §8) and unrecognised non-transitive attributes
// (§5) are dropped; unrecognised transitive ones get the Partial bit.
// --mrt-keep-attributes sends them as found. Tools' code.
#ifndef BGPY_EXAMPLES_INJECT_MRT_SOURCE_H_
#define BGPY_EXAMPLES_INJECT_MRT_SOURCE_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/mrt.h"
#include "bgpy/mrt_file.h"
#include "bgpy/negotiate.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "inject/generate.h"
#include "inject/options.h"

namespace bgpy::tools {

// One peer of a dump. TABLE_DUMP_V2: its PEER_INDEX_TABLE index; other
// types (no index table): numbered 0, 1, ... in order of first appearance.
struct MrtPeer {
  uint32_t index = 0;
  IpAddress address;
  uint32_t as = 0;
  uint64_t announcements = 0;
  uint64_t withdrawals = 0;
  // Families of its routes, in order of first appearance, and those whose
  // routes carry ADD-PATH path ids.
  std::vector<Family> families;
  std::vector<Family> path_id_families;
};

// The first pass over a file.
struct MrtScan {
  std::vector<MrtPeer> peers;
  bool table_dump_v2 = false;  // peers are PEER_INDEX_TABLE indices
  bool messages = false;       // BGP4MP/BGP message records seen
  uint64_t records = 0;
  uint64_t routes = 0;
  uint64_t bytes = 0;  // uncompressed
  double seconds = 0;
};

// Reads the whole file once (a progress line on stderr when it is a
// terminal and the file is large). Errors name the file and the record.
absl::StatusOr<MrtScan> ScanMrt(const std::string& path);

// The peers --mrt-peers selects (indices into scan.peers): each item
// matches by index, AS or address; none given: the peer with the most
// announcements (`all_by_default`: every peer with routes). kInvalidArgument
// naming the item that matches no peer.
absl::StatusOr<std::vector<size_t>> SelectMrtPeers(
    const MrtScan& scan, const std::vector<MrtPeerSelector>& selectors,
    bool all_by_default);

// "#3 AS65001 192.0.2.1 (120345 routes)".
std::string DescribePeer(const MrtPeer& p);

// One family a session replays, with the next hop it rewrites to.
struct MrtFamilyOut {
  Family family;
  const FamilyDesc* desc = nullptr;
  IpAddress next_hop;
};

// What the replay of one session needs to know of it, set when it is
// Established.
struct MrtReplayContext {
  const Negotiated* negotiated = nullptr;  // ibgp, ADD-PATH, send params
  uint32_t local_as = 0;
  bool prepend = true;  // false with --sessions=mrt-peers
  std::vector<MrtFamilyOut> families;
};

class MrtRoutes : public RouteProducer {
 public:
  // `peers`: the selected peers of `scan` (copied).
  MrtRoutes(const MrtOptions& options, const MrtScan& scan,
            const std::vector<size_t>& peers);

  // Starts reading the file from its beginning (a phase): announcing (and
  // withdrawing what an updates file withdraws), or withdrawing every route
  // it would announce.
  void Begin(MrtReplayContext context, bool withdraw);

  uint64_t Fill(UpdateBuilder& b, uint64_t budget, bool* withdraw) override;
  bool done() const override { return done_; }
  std::optional<Clock::time_point> wait_until() const override {
    return wait_until_;
  }
  const absl::Status& status() const override { return status_; }

  // Progress: records read, routes replayed (handed to the session) or
  // skipped (another peer, family, or filtered out), uncompressed octets.
  uint64_t records() const { return records_; }
  uint64_t skipped() const { return skipped_; }
  uint64_t bytes() const { return reader_.uncompressed_bytes(); }

 private:
  // One outgoing attribute list of a family (or a family's withdrawals),
  // shared by the groups that carry it.
  struct OutAttrs {
    std::vector<uint8_t> attrs;  // encoded for the session
    std::vector<uint8_t> mp_next_hop;
  };
  struct Out {
    Family family;
    bool withdraw = false;
    std::shared_ptr<const OutAttrs> attrs;
    int64_t pending = -1;  // its group in pending_, if any
  };
  struct Group {
    Family family;
    bool withdraw = false;
    uint32_t out = 0;
    std::shared_ptr<const OutAttrs> attrs;
    std::vector<NlriEntry> entries;
    size_t next = 0;         // entries already handed over
    size_t entry_bytes = 0;  // for "a message's worth"
    size_t room = 0;         // entry octets that make one
  };
  // What a route becomes, decided from its attributes alone: for a RIB
  // entry of a selected peer and a replayed family, the same for every
  // entry with the same attribute list.
  struct Decision {
    bool replay = false;
    uint32_t out = 0;  // outs_ index
  };
  // RIB entries' decisions of one family, keyed by the entry's attribute
  // list as found.
  struct FamilyCache {
    Family family;
    absl::flat_hash_map<std::string, Decision> decisions;
  };

  // Reads records until routes are ready to hand over, the file ends, or a
  // BGP4MP record is not due yet (--speed).
  void ReadMore();
  void ProcessRecord();
  // TABLE_DUMP_V2 RIB records of an IP family: each distinct attribute
  // list goes through RouteWalker and Decide() once, later entries with
  // the same list take the decision. False: not such a record (the
  // caller walks it).
  bool ProcessRib(const mrt::Rib& rib);
  void OnRoute(const mrt::Route& r);
  // The route's decision, with everything but the prefix filter checked;
  // nullopt (counted as skipped) when it is not replayed.
  std::optional<Decision> Decide(const mrt::Route& r);
  bool Selected(const mrt::Route& r) const;
  bool Filtered(const mrt::Route& r) const;
  bool PrefixFiltered(Afi afi, wire::Bytes entry) const;
  // The outs_ index of the rewritten attributes of one source list.
  uint32_t Rewrite(const mrt::Route& r, const MrtFamilyOut& fam);
  // The outs_ index for `attrs`, added if new (`key`: family, withdraw,
  // next hop and attributes).
  uint32_t Intern(const std::string& key, Family family, bool withdraw,
                  OutAttrs attrs);
  uint32_t WithdrawOut(Family family);
  void Add(uint32_t out, std::optional<uint32_t> path_id, wire::Bytes bytes);
  // Moves every pending group to the ready queue.
  void FlushPending();
  // Bounds the caches: over their limits, every pending group is flushed
  // and they start again empty.
  void BoundCaches();

  MrtOptions options_;
  std::vector<MrtPeer> peers_;
  bool table_dump_v2_ = false;
  MrtReplayContext context_;
  bool ebgp_ = false;
  SessionParams send_;
  bool withdraw_phase_ = false;

  mrt::FileReader reader_;
  mrt::RouteWalker walker_;
  mrt::Record record_;
  mrt::Record one_;       // a RIB record cut to one entry (ProcessRib)
  mrt::Rib fast_rib_;     // mrt::DecodeAfiSafiRib
  bool holding_ = false;  // record_ is read and not processed yet
  bool eof_ = false;
  std::optional<uint32_t> first_time_;  // of the first BGP4MP record
  Clock::time_point started_;

  // The outgoing attribute lists, by key.
  std::vector<Out> outs_;
  absl::flat_hash_map<std::string, uint32_t> out_index_;
  size_t out_bytes_ = 0;
  // Pending groups (Out::pending points here) and the entries they hold
  // (family, path id, entry), to flush before a route that would overtake
  // an earlier one of the same prefix.
  std::vector<Group> pending_;
  absl::flat_hash_set<std::string> pending_entries_;
  // A RIB dump replayed for one peer holds each route once: no route can
  // overtake another of the same prefix, so pending_entries_ is not kept.
  bool unique_entries_ = false;
  size_t pending_routes_ = 0;
  std::deque<Group> ready_;
  // With --mrt-as on an updates file: the routes announced, so that only
  // their withdrawals pass.
  absl::flat_hash_set<std::string> announced_;
  // Source attribute list (and next hop) -> outs_ index.
  absl::flat_hash_map<std::string, uint32_t> cache_;
  std::vector<FamilyCache> rib_cache_;
  size_t cache_bytes_ = 0;
  // The last RIB entry's attribute list and decision (ProcessRib).
  bool last_valid_ = false;
  Family last_family_;
  std::string last_attrs_;
  Decision last_decision_;
  std::string key_;  // scratch

  bool done_ = false;
  std::optional<Clock::time_point> wait_until_;
  absl::Status status_;
  uint64_t records_ = 0;
  uint64_t skipped_ = 0;
};

}  // namespace bgpy::tools

#endif  // BGPY_EXAMPLES_INJECT_MRT_SOURCE_H_
