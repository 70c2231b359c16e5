// Copyright 2026 The bgpy Authors.
#include "perf/bench.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bgpy/attributes.h"
#include "bgpy/errors.h"
#include "bgpy/nlri.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/update.h"
#include "common/route_gen.h"

namespace bgpy::tools::perf {
namespace {

using Clock = std::chrono::steady_clock;
using U128 = unsigned __int128;

// The session's unsent output is kept under this: each injector's feed is
// pulled whenever the socket takes some.
constexpr size_t kBacklogBytes = size_t{256} << 10;
// Documentation AS numbers (RFC 5398) that lengthen peer 0's path in the
// best-path scenario; a path holding kMarkerAs is the long one.
constexpr uint32_t kPadding[] = {64496, 64497, 64498, 64499};
constexpr uint32_t kMarkerAs = 64499;

U128 ToInt(const IpAddress& a) {
  U128 v = 0;
  for (int i = 0; i < a.byte_length(); ++i) v = (v << 8) | a.bytes()[i];
  return v;
}

absl::StatusOr<IpAddress> AddressPlus(const IpAddress& a, uint64_t i) {
  BGPY_ASSIGN_OR_RETURN(Prefix p, Prefix::Make(a, a.bit_length()));
  BGPY_ASSIGN_OR_RETURN(Prefix q, p.Advance(i));
  return q.address();
}

int64_t Ns(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

// A zero-filled array of T on a mapping of its own: the kernel hands out
// zeroed pages (no memset), and is asked for transparent huge pages (a
// page fault per 2 MiB, not per 4 KiB: first touches of fresh memory are
// a notable part of a run's CPU time). Every page is touched when the
// array is made, so that no fault falls inside a timed phase.
template <typename T>
class ZeroedArray {
 public:
  ZeroedArray() = default;
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ~ZeroedArray() { Release(); }

  // `n` zeros, the old contents dropped. kResourceExhausted without the
  // memory.
  absl::Status Reset(size_t n) {
    Release();
    if (n == 0) return absl::OkStatus();
    constexpr uintptr_t kHuge = uintptr_t{2} << 20;
    constexpr uintptr_t kPage = 4096;
    const size_t bytes = n * sizeof(T);
    // Whole huge pages, and one more so that the array can start on a
    // boundary.
    const size_t huge_bytes = (bytes + kHuge - 1) & ~(kHuge - 1);
    void* m = mmap(nullptr, huge_bytes + kHuge, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      return absl::ResourceExhaustedError(
          absl::StrCat("no memory for ", n, " routes"));
    map_ = m;
    map_len_ = huge_bytes + kHuge;
    const uintptr_t start =
        (reinterpret_cast<uintptr_t>(m) + kHuge - 1) & ~(kHuge - 1);
    (void)madvise(reinterpret_cast<void*>(start), huge_bytes, MADV_HUGEPAGE);
    data_ = reinterpret_cast<T*>(start);
    size_ = n;
    char* c = reinterpret_cast<char*>(data_);
    for (size_t off = 0; off < bytes; off += kPage) c[off] = 0;
    return absl::OkStatus();
  }
  void Clear() { std::fill(data_, data_ + size_, T{}); }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* data() { return data_; }
  absl::Span<const T> span() const { return absl::Span<const T>(data_, size_); }

 private:
  void Release() {
    if (map_ != nullptr) munmap(map_, map_len_);
    map_ = nullptr;
    map_len_ = 0;
    data_ = nullptr;
    size_ = 0;
  }
  void* map_ = nullptr;
  size_t map_len_ = 0;
  T* data_ = nullptr;
  size_t size_ = 0;
};

// What the monitor waits for in a phase.
enum class Expect { kAnnounce, kWithdraw, kShortPath };

// The per-route stamps of the current phase and the counts of the run.
struct Recorder {
  Clock::time_point run_start;
  Clock::time_point phase_start;
  // Which write and which decode at the monitor of this phase stamped
  // each route (the times in ns since phase_start, once per event).
  ZeroedArray<uint32_t> sent_event;
  ZeroedArray<uint32_t> received_event;
  PhaseStamps stamps;  // views of the two
  bool clean = false;  // no route stamped since Init()
  // A bit per route: announced at the monitor now.
  ZeroedArray<uint64_t> present;
  uint64_t received_count = 0;
  uint64_t unexpected = 0;
  Expect expect = Expect::kAnnounce;
  Clock::time_point last_progress;
  std::vector<uint32_t> written_per_ms;
  std::vector<uint32_t> received_per_ms;
  // Change of the number of routes at the monitor (announced and not
  // withdrawn) per millisecond, and that number now.
  std::vector<int32_t> at_monitor_delta_per_ms;
  uint64_t at_monitor = 0;
  // --scenario=canary: the canaries are the routes after the load's
  // (indices count .. count + canaries - 1), each announced then withdrawn:
  // event 2c announces canary c, event 2c + 1 withdraws it.
  uint64_t canaries = 0;
  struct CanaryEvent {
    int64_t sent = -1;      // ns since phase_start
    int64_t received = -1;  // ns since phase_start
  };
  std::vector<CanaryEvent> canary_events;

  // The generator's arithmetic backwards.
  int length = 0;
  U128 first = 0;
  int host_bits = 0;
  uint64_t count = 0;

  absl::Status Init(const Prefix& p, uint64_t n) {
    length = p.length();
    first = ToInt(p.address());
    host_bits = p.address().bit_length() - length;
    count = n;
    BGPY_RETURN_IF_ERROR(sent_event.Reset(n));
    BGPY_RETURN_IF_ERROR(received_event.Reset(n));
    BGPY_RETURN_IF_ERROR(present.Reset((n + 63) / 64));
    stamps.sent_event = sent_event.span();
    stamps.received_event = received_event.span();
    clean = true;
    return absl::OkStatus();
  }
  void InitCanaries(uint64_t c) {
    canaries = c;
    canary_events.assign(2 * c, CanaryEvent());
  }
  void StartPhase(Expect e, Clock::time_point now) {
    expect = e;
    phase_start = now;
    last_progress = now;
    received_count = 0;
    unexpected = 0;
    if (!clean) {  // Init() cleared them for the first phase
      sent_event.Clear();
      received_event.Clear();
    }
    clean = false;
    stamps.sent_ns.assign(1, -1);
    stamps.received_ns.assign(1, -1);
    std::fill(canary_events.begin(), canary_events.end(), CanaryEvent());
  }
  // The route of prefix `len` at address `a` (right-aligned) of the run's
  // family.
  std::optional<uint64_t> Index(int len, U128 a) const {
    if (len != length) return std::nullopt;
    if (a < first) return std::nullopt;
    const U128 i = host_bits >= 128 ? 0 : (a - first) >> host_bits;
    if (i >= count + canaries) return std::nullopt;
    return static_cast<uint64_t>(i);
  }
  template <typename T>
  static void Bump(std::vector<T>& v, Clock::duration since, T n) {
    const size_t ms = static_cast<size_t>(std::max<int64_t>(
        0,
        std::chrono::duration_cast<std::chrono::milliseconds>(since).count()));
    if (ms >= v.size()) v.resize(std::max(ms + 1, v.size() * 2), 0);
    v[ms] += n;
  }
  // A new event at `t` in `times`; its number. (More events than 2^32 - 1
  // cannot happen short of that many UPDATEs; they would share the last.)
  static uint32_t NewEvent(std::vector<int64_t>& times, int64_t t) {
    if (times.size() >= UINT32_MAX) return UINT32_MAX - 1;
    times.push_back(t);
    return static_cast<uint32_t>(times.size() - 1);
  }
  void Written(uint64_t from, uint32_t n, Clock::time_point now) {
    uint32_t e = 0;
    for (uint64_t i = from; i < from + n && i < count; ++i) {
      if (sent_event[i] != 0) continue;
      if (e == 0) e = NewEvent(stamps.sent_ns, Ns(now - phase_start));
      sent_event[i] = e;
    }
    Bump<uint32_t>(written_per_ms, now - run_start, n);
  }
};

// One injector's routes of a phase, pulled by its session as the socket
// drains, UPDATE by UPDATE. Each UPDATE leaves a mark (its routes, a
// contiguous range of indices) whose end offset in the session's output
// stream is known once the session has appended it.
class Feed : public RouteSource {
 public:
  Feed(Recorder* rec, posix::EventLoop* loop) : rec_(rec), loop_(loop) {}
  void set_id(posix::PeerId id) { id_ = id; }

  absl::Status Start(const Prefix& first, uint64_t lo, uint64_t hi,
                     PathAttributes attrs, Family family, MpNextHop nh,
                     bool withdraw) {
    marks_.clear();
    // The generator checks the range (no route past the address space);
    // the routes themselves are made below, a batch at a time.
    BGPY_RETURN_IF_ERROR(RouteGenerator::Make(first, hi - lo, lo).status());
    v6_ = first.address().is_v6();
    length_ = first.length();
    first_ = ToInt(first.address());
    host_bits_ = first.address().bit_length() - length_;
    next_ = lo;
    hi_ = hi;
    attrs_ = std::move(attrs);
    family_ = family;
    nh_ = std::move(nh);
    withdraw_ = withdraw;
    if (!v6_) batch_.fill(PrefixInternal::Unchecked(IpAddress::V4(0), length_));
    attrs_set_ = false;
    finished_ = false;
    active_ = true;
    return absl::OkStatus();
  }

  Fill FillUpdate(UpdateBuilder& b) override {
    const Clock::time_point now = Clock::now();
    Settle();
    Written(now);
    if (!active_) return Fill::kDone;
    if (!attrs_set_) {
      status_ = b.SetAttributes(attrs_, family_, nh_);
      if (!status_.ok()) return Finish();
      attrs_set_ = true;
    }
    const uint64_t from = next_;
    uint32_t added = 0;
    // In batches (the builder works out its room once per batch), small
    // enough that few routes are made in vain when a message fills.
    while (next_ < hi_) {
      const size_t n =
          static_cast<size_t>(std::min<uint64_t>(batch_.size(), hi_ - next_));
      if (v6_) {
        for (size_t k = 0; k < n; ++k) batch_[k] = Route6(next_ + k);
      } else {
        // Only the address changes: written in place (see SetV4Address).
        const uint64_t base = static_cast<uint64_t>(first_);
        for (size_t k = 0; k < n; ++k)
          PrefixInternal::SetV4Address(
              batch_[k],
              static_cast<uint32_t>(base + ((next_ + k) << host_bits_)));
      }
      const absl::Span<const Prefix> batch(batch_.data(), n);
      const size_t took =
          withdraw_ ? b.WithdrawAll(batch) : b.AnnounceAll(batch);
      added += static_cast<uint32_t>(took);
      next_ += took;
      if (took < n) break;
    }
    if (added > 0) marks_.push_back(Mark{0, from, added, false});
    if (next_ >= hi_) return Finish();
    return Fill::kMore;
  }

  // Brings the stamps up to date: the last UPDATE handed over gets its end
  // offset while the session still holds its output, then every UPDATE
  // within the bytes written is stamped `now`.
  void Account(Clock::time_point now) {
    const Session* s = std::as_const(*loop_).session(id_);
    if (s != nullptr && s->connected() &&
        s->state() == SessionState::kEstablished)
      Settle();
    Written(now);
  }

  // Every route handed over and written.
  bool idle() const { return (!active_ || finished_) && marks_.empty(); }
  const absl::Status& status() const { return status_; }

 private:
  // Route i of an IPv6 run (an IPv4 batch has its addresses rewritten in
  // place instead).
  Prefix Route6(uint64_t i) const {
    const U128 a =
        first_ + (host_bits_ >= 128 ? U128{0} : U128{i} << host_bits_);
    uint8_t bytes[16];
    for (int k = 0; k < 16; ++k)
      bytes[k] = static_cast<uint8_t>(a >> (8 * (15 - k)));
    return PrefixInternal::Unchecked(IpAddress::V6Bytes(bytes), length_);
  }
  struct Mark {
    uint64_t end = 0;
    uint64_t first = 0;
    uint32_t routes = 0;
    bool settled = false;
  };
  Fill Finish() {
    finished_ = true;
    return Fill::kDone;
  }
  uint64_t Position() const {
    const posix::PeerStats* st = loop_->stats(id_);
    const Session* s = std::as_const(*loop_).session(id_);
    return (st != nullptr ? st->bytes_sent : 0) +
           (s != nullptr ? s->PendingOutput().size() : 0);
  }
  void Settle() {
    if (marks_.empty() || marks_.back().settled) return;
    marks_.back().end = Position();
    marks_.back().settled = true;
  }
  void Written(Clock::time_point now) {
    const posix::PeerStats* st = loop_->stats(id_);
    if (st == nullptr) return;
    while (!marks_.empty() && marks_.front().settled &&
           marks_.front().end <= st->bytes_sent) {
      rec_->Written(marks_.front().first, marks_.front().routes, now);
      marks_.pop_front();
    }
  }

  Recorder* rec_;
  posix::EventLoop* loop_;
  posix::PeerId id_ = 0;
  // Route i is the i-th block of 2^host_bits_ addresses from first_ (as
  // RouteGenerator makes them); next_ .. hi_ - 1 are still to go.
  bool v6_ = false;
  int length_ = 0;
  int host_bits_ = 0;
  U128 first_ = 0;
  uint64_t next_ = 0;
  uint64_t hi_ = 0;
  PathAttributes attrs_;
  Family family_ = kIpv4Unicast;
  MpNextHop nh_;
  bool withdraw_ = false;
  bool attrs_set_ = false;
  bool finished_ = false;
  bool active_ = false;
  absl::Status status_;
  std::deque<Mark> marks_;
  std::array<Prefix, 32> batch_;
};

struct Injector {
  Injector(Recorder* rec, posix::EventLoop* loop) : feed(rec, loop) {}
  int index = 0;
  IpAddress local;
  posix::PeerId id = 0;
  bool established = false;
  Feed feed;
};

// One phase: which injectors send which routes.
struct PhasePlan {
  std::string name;
  Expect expect = Expect::kAnnounce;
  bool withdraw = false;
  bool long_path = false;
  // Empty: the routes are split between every injector in contiguous
  // ranges; else only injector `only` sends every route.
  std::optional<int> only;
  // The last injector sends only the canaries; the others share the load.
  bool canary = false;
};

class Bench {
 public:
  // `scenario`: what this run does (the floor before a real run only
  // announces).
  Bench(const Options& o, bool floor, Scenario scenario)
      : o_(o), floor_(floor), skip_canaries_(scenario != Scenario::kCanary) {}

  absl::Status Setup() {
    BGPY_RETURN_IF_ERROR(loop_.init_status());
    BGPY_RETURN_IF_ERROR(rec_.Init(o_.prefix, o_.count));
    if (!skip_canaries_) rec_.InitCanaries(o_.canaries);
    family_ = o_.prefix.address().is_v6() ? kIpv6Unicast : kIpv4Unicast;
    loop_.on_event = [this](posix::PeerId id, const SessionEvent& ev) {
      OnEvent(id, ev);
    };
    loop_.on_error = [this](posix::PeerId id, const absl::Status& st) {
      // Before Established a failed connect is retried; after, the
      // StateChanged event ends the run.
      last_error_ = absl::StrCat(Name(id), ": ", st.message());
    };
    loop_.on_accept = [this](posix::PeerId id, const IpAddress&, uint16_t) {
      monitors_.push_back(id);
    };

    IpAddress target = o_.router;
    uint16_t target_port = o_.port;
    const uint32_t peer_as = floor_ ? o_.monitor_as : o_.router_as;
    SessionConfig mon;
    mon.local_as = o_.monitor_as;
    mon.peer_as = floor_ ? o_.inject_as : o_.router_as;
    mon.router_id = o_.monitor_address.is_v4() && o_.monitor_address.v4() != 0
                        ? o_.monitor_address.v4()
                        : 0x02020202;
    if (floor_) mon.router_id = 0x02020202;
    mon.hold_time = o_.hold_time;
    mon.families.assign(1, family_);
    mon.connect_retry = std::chrono::seconds(1);
    if (floor_) {
      posix::ListenConfig lc;
      lc.address = IpAddress::V4(0x7f000001);
      lc.port = 0;
      lc.accept_any = true;
      mon.passive = true;
      lc.factory = [mon](const IpAddress& addr,
                         uint16_t) -> std::optional<posix::PeerConfig> {
        posix::PeerConfig pc;
        pc.address = addr;
        pc.session = mon;
        return pc;
      };
      BGPY_ASSIGN_OR_RETURN(target_port, loop_.Listen(lc));
      target = lc.address;
    } else {
      posix::PeerConfig pc;
      pc.address = o_.router;
      pc.port = o_.port;
      pc.local_address = o_.monitor_address;
      mon.passive = o_.monitor_passive;
      if (o_.monitor_passive) {
        posix::ListenConfig lc;
        lc.address = o_.monitor_address;
        lc.port = o_.monitor_port == 0 ? posix::kBgpPort : o_.monitor_port;
        absl::StatusOr<uint16_t> port = loop_.Listen(lc);
        if (!port.ok())
          return absl::InvalidArgumentError(
              absl::StrCat("--monitor-at: ", port.status().message()));
      } else {
        pc.local_port = o_.monitor_port;
      }
      pc.session = mon;
      absl::StatusOr<posix::PeerId> id = loop_.AddPeer(std::move(pc));
      if (!id.ok())
        return absl::InvalidArgumentError(
            absl::StrCat("--monitor-at: ", id.status().message()));
      monitors_.push_back(*id);
    }

    const size_t n =
        floor_ && o_.inject_from.empty() ? 2 : o_.inject_from.size();
    for (size_t k = 0; k < n; ++k) {
      auto inj = std::make_unique<Injector>(&rec_, &loop_);
      inj->index = static_cast<int>(k);
      if (floor_) {
        // Loopback sources of their own: one peer per address.
        BGPY_ASSIGN_OR_RETURN(inj->local,
                              AddressPlus(IpAddress::V4(0x7f010001), k));
      } else {
        inj->local = o_.inject_from[k];
      }
      posix::PeerConfig pc;
      pc.address = target;
      pc.port = target_port;
      pc.local_address = inj->local;
      SessionConfig& c = pc.session;
      c.local_as = o_.inject_as;
      c.peer_as = peer_as;
      c.router_id = inj->local.is_v4() ? inj->local.v4()
                                       : 0x01000001 + static_cast<uint32_t>(k);
      c.hold_time = o_.hold_time;
      c.families.assign(1, family_);
      c.connect_retry = std::chrono::seconds(1);
      c.seed = k + 1;
      c.max_output_backlog = kBacklogBytes;
      absl::StatusOr<posix::PeerId> id = loop_.AddPeer(std::move(pc));
      if (!id.ok())
        return absl::InvalidArgumentError(
            absl::StrCat("--inject-from: ", id.status().message()));
      inj->id = *id;
      inj->feed.set_id(*id);
      if (by_id_.size() <= *id) by_id_.resize(*id + 1, -1);
      by_id_[*id] = static_cast<int>(k);
      injectors_.push_back(std::move(inj));
    }
    return absl::OkStatus();
  }

  // Until every session is Established.
  absl::Status Establish(Clock::time_point deadline) {
    rec_.run_start = Clock::now();
    const size_t want_monitors = floor_ ? injectors_.size() : 1;
    while (true) {
      size_t up = 0;
      for (const auto& i : injectors_) up += i->established ? 1 : 0;
      if (up == injectors_.size() && monitors_up_ >= want_monitors) break;
      const Clock::time_point now = Clock::now();
      if (now >= deadline) {
        std::string who;
        for (const auto& i : injectors_)
          if (!i->established) who = Name(i->id);
        if (who.empty()) who = "the monitor";
        return absl::DeadlineExceededError(absl::StrCat(
            floor_ ? "floor run: " : "", who,
            " not Established before --timeout",
            last_error_.empty() ? "" : absl::StrCat(" (", last_error_, ")")));
      }
      BGPY_RETURN_IF_ERROR(Step(deadline));
    }
    rec_.run_start = Clock::now();
    return absl::OkStatus();
  }

  // Runs one phase to its end: every route at the monitor, or nothing new
  // for --settle once all is written, or the deadline, or a session down.
  PhaseResult RunPhase(const PhasePlan& plan, Clock::time_point deadline,
                       bool keep_delays) {
    const Clock::time_point start = Clock::now();
    rec_.StartPhase(plan.expect, start);
    const size_t p = injectors_.size() - (plan.canary ? 1 : 0);
    canary_ = plan.canary ? injectors_.back().get() : nullptr;
    next_canary_ = 0;
    canary_pending_.clear();
    next_canary_at_ = start + absl::ToChronoNanoseconds(o_.canary_interval);
    canary_wake_ = next_canary_at_;
    last_canary_progress_ = start;
    for (size_t k = 0; k < p; ++k) {
      Injector& inj = *injectors_[k];
      uint64_t lo = 0, hi = o_.count;
      if (plan.only) {
        if (static_cast<int>(k) != *plan.only) continue;
      } else {
        lo = o_.count * k / p;
        hi = o_.count * (k + 1) / p;
      }
      if (hi <= lo) continue;
      absl::Status st = inj.feed.Start(o_.prefix, lo, hi, Attributes(inj, plan),
                                       family_, NextHop(inj), plan.withdraw);
      if (st.ok()) st = loop_.SetRouteSource(inj.id, &inj.feed);
      if (!st.ok() && failure_.empty())
        failure_ = absl::StrCat(Name(inj.id), ": routes: ", st.message());
    }
    std::optional<Clock::time_point> written_at;
    while (failure_.empty()) {
      const Clock::time_point now = Clock::now();
      AccountAll(now);
      if (canary_ != nullptr) SendCanaries(now);
      const bool canaries_done = CanariesDone(now);
      if ((rec_.received_count == o_.count && canaries_done) || now >= deadline)
        break;
      bool idle = true;
      for (const auto& i : injectors_) idle = idle && i->feed.idle();
      if (idle && !written_at) written_at = now;
      // --settle counts only once something arrived: a router may hold
      // back its first UPDATEs for seconds (FRR does under load); until
      // then only --timeout ends the phase.
      if (written_at && canaries_done && rec_.received_count > 0 &&
          now - std::max(*written_at, rec_.last_progress) >=
              absl::ToChronoNanoseconds(o_.settle))
        break;
      if (!Step(deadline).ok()) break;
    }
    for (const auto& i : injectors_)
      if (!i->feed.status().ok() && failure_.empty())
        failure_ = absl::StrCat(Name(i->id), ": ", i->feed.status().message());
    canary_ = nullptr;
    return Summarize(plan.name, rec_.stamps, rec_.unexpected, keep_delays);
  }

  // The canary events of the last phase, in order.
  std::vector<CanaryResult> Canaries() const {
    std::vector<CanaryResult> out;
    for (size_t e = 0; e < rec_.canary_events.size(); ++e) {
      const Recorder::CanaryEvent& ev = rec_.canary_events[e];
      CanaryResult c;
      c.prefix =
          o_.prefix.Advance(o_.count + e / 2).value_or(o_.prefix).ToString();
      c.withdraw = e % 2 == 1;
      if (ev.sent >= 0) c.sent_s = static_cast<double>(ev.sent) / 1e9;
      if (ev.sent >= 0 && ev.received >= 0)
        c.delay_ms = static_cast<double>(ev.received - ev.sent) / 1e6;
      out.push_back(std::move(c));
    }
    return out;
  }

  void Stop() { loop_.Shutdown(); }

  const std::string& failure() const { return failure_; }
  Recorder& recorder() { return rec_; }

 private:
  absl::Status Step(Clock::time_point deadline) {
    const Clock::time_point now = Clock::now();
    Clock::time_point until =
        std::min(deadline, now + std::chrono::milliseconds(50));
    if (canary_ != nullptr && next_canary_ < rec_.canary_events.size())
      until = std::min(until, canary_wake_);
    const Clock::duration wait = std::max(Clock::duration::zero(), until - now);
    absl::Status st = loop_.RunOnce(wait);
    if (!st.ok() && failure_.empty()) failure_ = std::string(st.message());
    return st;
  }

  void AccountAll(Clock::time_point now) {
    for (const auto& i : injectors_) i->feed.Account(now);
    // Canaries: each written once the socket took its UPDATE whole.
    if (canary_ == nullptr) return;
    const posix::PeerStats* st = loop_.stats(canary_->id);
    while (st != nullptr && !canary_pending_.empty() &&
           canary_pending_.front().first <= st->bytes_sent) {
      rec_.canary_events[canary_pending_.front().second].sent =
          Ns(now - rec_.phase_start);
      canary_pending_.pop_front();
    }
  }

  // Sends the canary events that are due, one UPDATE each, on the
  // canary's own session (so no load queues before them here).
  void SendCanaries(Clock::time_point now) {
    const Session* s = std::as_const(loop_).session(canary_->id);
    while (next_canary_ < rec_.canary_events.size() && now >= next_canary_at_ &&
           s != nullptr && s->state() == SessionState::kEstablished) {
      const size_t e = next_canary_;
      // One canary in flight: its withdrawal goes once its announcement
      // reached the monitor (or --settle after it was sent), else a router
      // may fold the two into nothing and neither can be timed.
      const Recorder::CanaryEvent& announced = rec_.canary_events[e - e % 2];
      if (e % 2 == 1 && announced.received < 0 &&
          now - last_canary_progress_ < absl::ToChronoNanoseconds(o_.settle)) {
        canary_wake_ =
            last_canary_progress_ + absl::ToChronoNanoseconds(o_.settle);
        return;
      }
      UpdateBuilder b(s->send_params());
      absl::Status st = b.SetAttributes(Attributes(*canary_, PhasePlan()),
                                        family_, NextHop(*canary_));
      absl::StatusOr<Prefix> p = o_.prefix.Advance(o_.count + e / 2);
      if (st.ok() && !p.ok()) st = p.status();
      std::vector<uint8_t> bytes;
      if (st.ok()) {
        if (e % 2 == 0) {
          b.Announce(*p);
        } else {
          b.Withdraw(*p);
        }
        b.Flush(bytes);
        st = loop_.QueueUpdate(canary_->id, bytes);
      }
      if (!st.ok()) {
        if (failure_.empty())
          failure_ =
              absl::StrCat(Name(canary_->id), ": canary: ", st.message());
        return;
      }
      const posix::PeerStats* ps = loop_.stats(canary_->id);
      const Session* after = std::as_const(loop_).session(canary_->id);
      canary_pending_.emplace_back(
          (ps != nullptr ? ps->bytes_sent : 0) +
              (after != nullptr ? after->PendingOutput().size() : 0),
          e);
      ++next_canary_;
      next_canary_at_ = std::max(next_canary_at_, now) +
                        absl::ToChronoNanoseconds(o_.canary_interval);
      last_canary_progress_ = now;
      canary_wake_ = next_canary_at_;
      AccountAll(Clock::now());
    }
  }

  // Every canary event sent, and each seen at the monitor or given up on
  // after --settle.
  bool CanariesDone(Clock::time_point now) const {
    if (canary_ == nullptr) return true;
    if (next_canary_ < rec_.canary_events.size()) return false;
    bool all = true;
    for (const Recorder::CanaryEvent& ev : rec_.canary_events)
      all = all && ev.received >= 0;
    return all ||
           now - last_canary_progress_ >= absl::ToChronoNanoseconds(o_.settle);
  }

  std::string Name(posix::PeerId id) const {
    if (id < by_id_.size() && by_id_[id] >= 0)
      return absl::StrCat("injector ",
                          injectors_[by_id_[id]]->local.ToString());
    return "monitor";
  }

  bool IsMonitor(posix::PeerId id) const {
    return std::find(monitors_.begin(), monitors_.end(), id) != monitors_.end();
  }

  PathAttributes Attributes(const Injector& inj, const PhasePlan& plan) const {
    PathAttributes a;
    a.origin = Origin::kIgp;
    AsPath path;
    AsPathSegment seg;
    seg.type = AsSegmentType::kSequence;
    const uint32_t peer_as = floor_ ? o_.monitor_as : o_.router_as;
    if (o_.inject_as != peer_as) seg.asns.push_back(o_.inject_as);
    if (plan.long_path)
      for (uint32_t as : kPadding) seg.asns.push_back(as);
    if (!seg.asns.empty()) path.segments.push_back(seg);
    a.as_path = path;
    if (o_.inject_as == peer_as) a.local_pref = 100;  // RFC 4271 §5.1.5
    if (family_ == kIpv4Unicast) a.next_hop = o_.next_hop.value_or(inj.local);
    return a;
  }

  MpNextHop NextHop(const Injector& inj) const {
    MpNextHop nh;
    if (family_ == kIpv4Unicast) return nh;
    if (o_.next_hop) {
      nh.address = *o_.next_hop;
    } else if (inj.local.is_v6()) {
      nh.address = inj.local;
    } else {
      // The IPv4-mapped form of the injector's address.
      std::array<uint8_t, 16> b{};
      b[10] = 0xff;
      b[11] = 0xff;
      std::copy(inj.local.bytes(), inj.local.bytes() + 4, b.begin() + 12);
      nh.address = IpAddress::V6(b);
    }
    return nh;
  }

  void OnEvent(posix::PeerId id, const SessionEvent& ev) {
    if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      if (m->type == MessageType::kUpdate && IsMonitor(id)) OnMonitor(*m);
      return;
    }
    if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      const bool up = sc->to == SessionState::kEstablished;
      const bool down = sc->from == SessionState::kEstablished;
      if (!up && !down) return;
      if (id < by_id_.size() && by_id_[id] >= 0) {
        injectors_[by_id_[id]]->established = up;
      } else if (up) {
        ++monitors_up_;
      } else if (monitors_up_ > 0) {
        --monitors_up_;
      }
      if (down && !loop_.stop_requested() && failure_.empty())
        failure_ = absl::StrCat(Name(id), ": session down: ", sc->reason);
      return;
    }
    if (const auto* nr = std::get_if<NotificationReceived>(&ev)) {
      if (failure_.empty() && !loop_.stop_requested())
        failure_ =
            absl::StrCat(Name(id), ": NOTIFICATION received ",
                         nr->notification.code, "/", nr->notification.subcode);
    }
  }

  void OnMonitor(const MessageReceived& m) {
    std::optional<UpdateView> u = m.update();
    if (!u) return;
    // Whatever reached the monitor was written before: stamp the writes
    // first.
    AccountAll(Clock::now());
    const Clock::time_point now = Clock::now();
    const int64_t t = Ns(now - rec_.phase_start);
    bool short_path = true;
    if (rec_.expect == Expect::kShortPath) {
      std::optional<AsPath> path = u->as_path();
      if (path) {
        for (const AsPathSegment& s : path->segments)
          for (uint32_t as : s.asns)
            if (as == kMarkerAs) short_path = false;
      }
    }
    uint32_t got = 0;
    int32_t delta = 0;
    uint32_t event = 0;  // this UPDATE's, once a route counts
    // The routes in the order UpdateView::routes() gives them (withdrawn,
    // MP_UNREACH, NLRI, MP_REACH), each NLRI field walked as numbers: no
    // Prefix is built per route.
    auto walk = [&](const NlriView& nlri, bool withdraw) {
      if (nlri.empty()) return;
      if (nlri.family() != family_) {
        rec_.unexpected += nlri.size();
        return;
      }
      const bool match =
          rec_.expect == Expect::kWithdraw
              ? withdraw
              : !withdraw && (rec_.expect != Expect::kShortPath || short_path);
      // The arrays and counts in locals for the loops below (the compiler
      // cannot keep rec_'s fields in registers across the stores).
      uint64_t* const present = rec_.present.data();
      const uint32_t* const sent = rec_.sent_event.data();
      uint32_t* const received = rec_.received_event.data();
      const uint64_t count = o_.count;
      const bool announced = !withdraw;
      // Route `i` (an index by the generator's arithmetic) seen.
      auto take = [&](uint64_t i) ABSL_ATTRIBUTE_ALWAYS_INLINE {
        if (i >= count) {
          // A canary: its announcement or its withdrawal, once sent.
          Recorder::CanaryEvent& ev =
              rec_.canary_events[2 * (i - count) + (withdraw ? 1 : 0)];
          if (ev.sent >= 0 && ev.received < 0) {
            ev.received = t;
            last_canary_progress_ = now;
          }
          return;
        }
        // The route's bit flips to `announced`: one more or one fewer at
        // the monitor.
        uint64_t& word = present[i / 64];
        const uint64_t bit = uint64_t{1} << (i % 64);
        if (((word & bit) != 0) != announced) {
          word ^= bit;
          delta += announced ? 1 : -1;
        }
        // Only routes written in this phase: a late message of an earlier
        // phase does not count.
        if (match && sent[i] != 0 && received[i] == 0) {
          if (event == 0)
            event = Recorder::NewEvent(rec_.stamps.received_ns, t);
          received[i] = event;
          ++got;
        }
      };
      if (family_ == kIpv4Unicast) {
        // IPv4 in 64-bit arithmetic (host_bits <= 32, so the shift is
        // defined), the bounds read once per field.
        const int length = rec_.length;
        const uint32_t first = static_cast<uint32_t>(rec_.first);
        const int host_bits = rec_.host_bits;
        const uint64_t limit = rec_.count + rec_.canaries;
        for (const NlriEntryView& e : nlri) {
          const uint32_t a = Ipv4PrefixAddress(e.bytes);
          const uint64_t i = uint64_t{a - first} >> host_bits;
          if (IpPrefixLength(e.bytes) != length || a < first || i >= limit) {
            ++rec_.unexpected;
            continue;
          }
          take(i);
        }
        return;
      }
      for (const NlriEntryView& e : nlri) {
        const Ipv6Halves h = Ipv6PrefixAddress(e.bytes);
        const std::optional<uint64_t> i =
            rec_.Index(IpPrefixLength(e.bytes), (U128{h.hi} << 64) | h.lo);
        if (!i) {
          ++rec_.unexpected;
          continue;
        }
        take(*i);
      }
    };
    walk(u->withdrawn(), true);
    if (std::optional<NlriView> v = u->mp_unreach_nlri()) walk(*v, true);
    walk(u->nlri(), false);
    if (std::optional<NlriView> v = u->mp_reach_nlri()) walk(*v, false);
    if (got > 0) {
      rec_.received_count += got;
      rec_.last_progress = now;
      Recorder::Bump<uint32_t>(rec_.received_per_ms, now - rec_.run_start, got);
    }
    if (delta != 0) {
      rec_.at_monitor =
          static_cast<uint64_t>(static_cast<int64_t>(rec_.at_monitor) + delta);
      Recorder::Bump<int32_t>(rec_.at_monitor_delta_per_ms,
                              now - rec_.run_start, delta);
    }
  }

  const Options& o_;
  bool floor_;
  bool skip_canaries_;
  Family family_ = kIpv4Unicast;
  posix::EventLoop loop_;
  Recorder rec_;
  std::vector<std::unique_ptr<Injector>> injectors_;
  std::vector<int> by_id_;
  std::vector<posix::PeerId> monitors_;
  size_t monitors_up_ = 0;
  // --scenario=canary, during the phase that sends them.
  Injector* canary_ = nullptr;
  size_t next_canary_ = 0;
  Clock::time_point next_canary_at_;
  Clock::time_point canary_wake_;  // when SendCanaries() has work again
  Clock::time_point last_canary_progress_;
  std::deque<std::pair<uint64_t, size_t>> canary_pending_;  // end, event
  std::string failure_;
  std::string last_error_;
};

std::vector<PhasePlan> Plans(const Options& o, Scenario s) {
  std::vector<PhasePlan> plans;
  auto add = [&plans](std::string name, Expect e, bool withdraw) {
    PhasePlan p;
    p.name = std::move(name);
    p.expect = e;
    p.withdraw = withdraw;
    plans.push_back(p);
  };
  switch (s) {
    case Scenario::kAnnounce:
      add("announce", Expect::kAnnounce, false);
      break;
    case Scenario::kWithdraw:
      add("announce", Expect::kAnnounce, false);
      add("withdraw", Expect::kWithdraw, true);
      break;
    case Scenario::kFlap:
      add("announce", Expect::kAnnounce, false);
      for (int c = 1; c <= o.cycles; ++c) {
        add(absl::StrCat("flap", c, "-withdraw"), Expect::kWithdraw, true);
        add(absl::StrCat("flap", c, "-announce"), Expect::kAnnounce, false);
      }
      break;
    case Scenario::kCanary:
      add("announce", Expect::kAnnounce, false);
      plans.back().canary = true;
      break;
    case Scenario::kBestPath:
      add("announce-long-path", Expect::kAnnounce, false);
      plans.back().long_path = true;
      plans.back().only = 0;
      add("best-path", Expect::kShortPath, false);
      plans.back().only = 1;
      break;
  }
  return plans;
}

// utime + stime (seconds) of a process, from /proc/PID/stat.
std::optional<double> CpuSeconds(int pid) {
  std::ifstream f(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(f, line)) return std::nullopt;
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::vector<std::string> fields =
      absl::StrSplit(line.substr(close + 2), ' ', absl::SkipEmpty());
  // Fields after the name start at field 3 (state): utime is 14, stime 15.
  if (fields.size() < 13) return std::nullopt;
  uint64_t ut = 0, st = 0;
  if (!absl::SimpleAtoi(fields[11], &ut) || !absl::SimpleAtoi(fields[12], &st))
    return std::nullopt;
  return static_cast<double>(ut + st) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// VmHWM (peak resident set) in MB, from /proc/PID/status.
std::optional<double> PeakRssMb(int pid) {
  std::ifstream f(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) != 0) continue;
    std::vector<std::string> parts = absl::StrSplit(
        line.substr(6), absl::ByAnyChar(" \t"), absl::SkipEmpty());
    uint64_t kb = 0;
    if (!parts.empty() && absl::SimpleAtoi(parts[0], &kb))
      return static_cast<double>(kb) / 1024.0;
  }
  return std::nullopt;
}

// This process's user + system CPU time.
std::optional<double> SelfCpuSeconds() {
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return std::nullopt;
  auto sec = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) +
           static_cast<double>(tv.tv_usec) / 1e6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// One run (floor or real): `phases` gets every phase; false when a session
// failed (the message in `*failure`).
absl::Status RunOne(const Options& o, bool floor, Scenario scenario,
                    Clock::time_point deadline,
                    std::vector<PhaseResult>* phases, Report* timeline) {
  Bench bench(o, floor, scenario);
  BGPY_RETURN_IF_ERROR(bench.Setup());
  BGPY_RETURN_IF_ERROR(bench.Establish(deadline));
  std::optional<double> cpu0;
  if (!floor && o.router_pid) cpu0 = CpuSeconds(*o.router_pid);
  const std::vector<PhasePlan> plans = Plans(o, scenario);
  for (size_t i = 0; i < plans.size(); ++i) {
    phases->push_back(bench.RunPhase(plans[i], deadline,
                                     /*keep_delays=*/i + 1 == plans.size()));
    if (!bench.failure().empty() || Clock::now() >= deadline) break;
  }
  if (!floor && o.router_pid && timeline != nullptr) {
    std::optional<double> cpu1 = CpuSeconds(*o.router_pid);
    if (cpu0 && cpu1) timeline->router_cpu_s = *cpu1 - *cpu0;
    timeline->router_rss_mb = PeakRssMb(*o.router_pid);
  }
  if (timeline != nullptr) {
    timeline->written_per_ms = bench.recorder().written_per_ms;
    timeline->received_per_ms = bench.recorder().received_per_ms;
    timeline->at_monitor_delta_per_ms =
        bench.recorder().at_monitor_delta_per_ms;
    timeline->at_monitor_end = bench.recorder().at_monitor;
    // The counters grow by doubling: drop the milliseconds never reached.
    auto used = [](const auto& v) {
      size_t n = v.size();
      while (n > 0 && v[n - 1] == 0) --n;
      return n;
    };
    const size_t n = std::max({used(timeline->written_per_ms),
                               used(timeline->received_per_ms),
                               used(timeline->at_monitor_delta_per_ms)});
    timeline->written_per_ms.resize(n);
    timeline->received_per_ms.resize(n);
    timeline->at_monitor_delta_per_ms.resize(n);
    if (scenario == Scenario::kCanary) timeline->canary = bench.Canaries();
  }
  std::string failure = bench.failure();
  bench.Stop();
  if (!failure.empty())
    return absl::AbortedError(
        absl::StrCat(floor ? "floor run: " : "", failure));
  return absl::OkStatus();
}

}  // namespace

const char* ScenarioName(Scenario s) {
  switch (s) {
    case Scenario::kAnnounce:
      return "announce";
    case Scenario::kWithdraw:
      return "withdraw";
    case Scenario::kFlap:
      return "flap";
    case Scenario::kBestPath:
      return "best-path";
    case Scenario::kCanary:
      return "canary";
  }
  return "?";
}

absl::Status RunBench(const Options& o, Report* report) {
  report->scenario = ScenarioName(o.scenario);
  // --timeout bounds the whole run, the floor included.
  const Clock::time_point deadline =
      Clock::now() + absl::ToChronoNanoseconds(o.timeout);
  absl::Status result;
  if (!o.floor_only && o.with_floor) {
    std::vector<PhaseResult> floor;
    absl::Status st = RunOne(o, /*floor=*/true, Scenario::kAnnounce, deadline,
                             &floor, nullptr);
    if (!floor.empty()) report->floor = floor.back();
    if (!st.ok()) return st;
  }
  const std::optional<double> self0 = SelfCpuSeconds();
  result =
      RunOne(o, o.floor_only, o.scenario, deadline, &report->phases, report);
  const std::optional<double> self1 = SelfCpuSeconds();
  if (self0 && self1) report->self_cpu_s = *self1 - *self0;
  if (!report->phases.empty()) report->main = report->phases.back();
  return result;
}

}  // namespace bgpy::tools::perf
