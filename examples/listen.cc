// Copyright 2026 The bgpy Authors.
//
// bgpy-listen: a passive BGP speaker / collector. Accepts sessions from any
// number of peers, offers every family it decodes, prints every message it
// receives (and, with --mrt-out, records it as MRT), and prints a per-peer
// summary on exit. DESIGN.md "bgpy-listen".
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bgpy/errors.h"
#include "bgpy/format.h"
#include "bgpy/message.h"
#include "bgpy/mrt.h"
#include "bgpy/negotiate.h"
#include "bgpy/nlri.h"
#include "bgpy/posix/transport.h"
#include "bgpy/session.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "common/session_flags.h"
#include "common/tool_flags.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:179",
          "ADDR:PORT to listen on ([::]:179 for IPv6, which takes IPv4 too); "
          "a bare ADDR means port 179, :PORT means 0.0.0.0");
ABSL_FLAG(std::string, families, "all",
          bgpy::tools::FamilyFlagHelp(
              "families offered: all (every family bgpy decodes) or a list "
              "such as ipv4-unicast,ipv6-unicast"));
ABSL_FLAG(std::string, mrt_out, "",
          "records every received message and every session state change "
          "to FILE as MRT BGP4MP_ET (RFC 6396; bgpdump reads it). FILE may "
          "hold strftime conversions (UTC), e.g. updates.%Y%m%d.%H%M, "
          "expanded when each file is opened (%% for a literal %); a name "
          "this run already used gets .1, .2, ... appended");
ABSL_FLAG(std::string, mrt_rotate, "",
          "with --mrt-out: start the next file before one would grow past "
          "SIZE (e.g. 100MB, 64KB, 1GB; K/M/G = 1024^1..3, a bare number is "
          "octets)");
ABSL_FLAG(std::string, mrt_rotate_interval, "",
          "with --mrt-out: start the next file every DURATION (e.g. 15m, "
          "1h), on multiples of DURATION since the epoch; a file's name "
          "is expanded with the start of its interval, so FILE such as "
          "updates.%Y%m%d.%H%M names files as RIPE RIS does");

ABSL_FLAG(std::string, output_buffer, "4MB",
          "stdout back-pressure: at most SIZE octets of printed output wait "
          "for a slow stdout; above it the peers whose UPDATEs fill it are "
          "no longer read until half of it is written (e.g. 4MB, 256KB)");

// Access control.
ABSL_FLAG(std::string, allow, "",
          "accept connections only from these sources: a comma list of "
          "prefixes or addresses (10.0.0.0/8,2001:db8::/32,192.0.2.1); "
          "others are closed at once, before any BGP message. Default: any");
ABSL_FLAG(std::string, md5_password, "",
          "TCP MD5 signature key (RFC 2385): KEY alone for every --allow "
          "prefix (every source without --allow), or PREFIX=KEY,... for one "
          "key per prefix (the longest match applies; sources outside every "
          "PREFIX need none). Needs Linux 4.13 or later");
ABSL_FLAG(int32_t, max_connections_per_source, 0,
          "connections at once from one source address; more are closed at "
          "accept, before any BGP message. 0 = no limit");
ABSL_FLAG(std::string, open_timeout, "4m",
          "a connection whose peer sends no OPEN within DURATION gets "
          "NOTIFICATION Hold Timer Expired and is closed (RFC 4271 §8.2.2: "
          "the OpenSent hold time, 4 minutes suggested)");

namespace bgpy::tools {
namespace {

constexpr char kUsage[] =
    "Accepts BGP sessions and prints what peers send.\n"
    "\n"
    "  bgpy-listen [--listen=ADDR:PORT] --local-as=ASN [--peer-as=ASN]\n"
    "              [--router-id=A.B.C.D] [--hold-time=90] [--families=all]\n"
    "              [--print=text|json|none] [--duration=DURATION]\n"
    "              [--allow=PREFIX,...] [--md5-password=KEY|PREFIX=KEY,...]\n"
    "              [--ttl-security=HOPS] [--max-connections-per-source=N]\n"
    "              [--open-timeout=4m] [--output-buffer=4MB]\n"
    "              [--mrt-out=FILE [--mrt-rotate=SIZE]\n"
    "               [--mrt-rotate-interval=DURATION]]\n"
    "\n"
    "Passive: any number of peers may connect. Offers every family it\n"
    "decodes, 4-octet AS, route refresh, ADD-PATH receive and extended\n"
    "message. It announces nothing: once Established it sends End-of-RIB\n"
    "for every negotiated family (peers that wait for it, such as RTC\n"
    "speakers (RFC 4684 §6), then send their routes). Every received\n"
    "message goes to stdout (json: exactly one line each); session\n"
    "changes, End-of-RIB (with the count of routes announced so far) and,\n"
    "on exit, a per-peer summary go to stderr.\n"
    "\n"
    "Stdout never blocks the sessions. It is written after each message on\n"
    "a terminal, otherwise whenever 64 KiB wait and at the end of each\n"
    "loop step (once what was ready has been handled). What stdout does\n"
    "not take yet waits in a buffer; once it holds --output-buffer octets,\n"
    "a peer whose UPDATE is printed is no longer read (TCP flow control\n"
    "slows it down) until half the buffer is written. Timers, KEEPALIVEs,\n"
    "new sessions and the other peers go on; a paused peer's Hold timer is\n"
    "kept alive by reading one message whenever one of its timers falls\n"
    "due. The summary says for how long output throttled intake. On exit\n"
    "stdout gets at most 10 s to take what is buffered.\n"
    "\n"
    "--mrt-out records every received message (header included) as\n"
    "BGP4MP_ET MESSAGE_AS4 (MESSAGE for a session without 4-octet AS,\n"
    "the _ADDPATH form for one that negotiated ADD-PATH receive) and\n"
    "every session state change as STATE_CHANGE_AS4 (1 Idle ...\n"
    "6 Established), stamped with the time of receipt; written at the\n"
    "end of each loop step and on exit.\n"
    "\n"
    "Access: --allow, --md5-password and --ttl-security (GTSM, RFC 5082)\n"
    "act on the listening socket: a SYN without the right MD5 signature or\n"
    "TTL is dropped by the kernel (the peer's connect times out); a source\n"
    "outside --allow or over --max-connections-per-source is closed right\n"
    "after accept, without a BGP message. Each refused source gets one\n"
    "line on stderr (the first 20 sources; then only the summary counts).\n"
    "A peer that sends no OPEN within --open-timeout gets NOTIFICATION\n"
    "Hold Timer Expired (4/0) and is closed.\n"
    "\n"
    "SIGINT/SIGTERM stop it: Cease / Administrative Shutdown to every peer,\n"
    "then the summary. A stdout whose reader went away (broken pipe, e.g.\n"
    "| head -1) stops it the same way, with one line on stderr.\n"
    "\n"
    "Exit codes: 0 done (a signal, --duration, or stdout closed); 1 usage\n"
    "or configuration error (the message names the flag, or the address\n"
    "that cannot be bound).\n";

constexpr int kExitOk = 0;
// Stdout is written whenever this much output waits (and after each step).
constexpr size_t kWriteChunk = size_t{1} << 16;
constexpr int kExitUsage = 1;

struct Options {
  IpAddress address;
  uint16_t port = posix::kBgpPort;
  uint32_t local_as = 0;
  uint32_t peer_as = 0;
  uint32_t router_id = 0;
  uint16_t hold_time = kDefaultHoldTime;
  std::vector<Family> families;
  std::optional<OutputFormat> print;
  std::optional<absl::Duration> duration;
  uint64_t output_buffer = uint64_t{4} << 20;
  std::string mrt_out;
  uint64_t mrt_rotate = 0;  // octets; 0 = no size rotation
  std::optional<absl::Duration> mrt_rotate_interval;
  std::vector<Prefix> allow;  // empty: any source
  std::vector<std::pair<Prefix, std::string>> md5_keys;
  int ttl_security = 0;  // hops; 0 = off
  int min_ttl = 0;
  int max_connections_per_source = 0;
  absl::Duration open_timeout = absl::Minutes(4);
};

// --allow: prefixes or bare addresses (host prefixes), comma-separated.
absl::StatusOr<std::vector<Prefix>> ParseAllowFlag(absl::string_view text) {
  std::vector<Prefix> out;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    absl::StatusOr<Prefix> p = Prefix::Parse(item);
    if (item.empty() || !p.ok())
      return UsageError(
          "allow",
          absl::StrCat("'", item,
                       "' is not a prefix or address (e.g. "
                       "10.0.0.0/8, 2001:db8::/32, 192.0.2.1)",
                       p.ok() || item.empty()
                           ? ""
                           : absl::StrCat(": ", p.status().message())));
    out.push_back(*p);
  }
  return out;
}

// The PREFIX of a "PREFIX=KEY" item: std::nullopt when the text before the
// first '=' is not meant as one (it must hold a '.' or ':' and only the
// characters of an address), an error when it is meant but invalid.
absl::StatusOr<std::optional<Prefix>> Md5ItemPrefix(absl::string_view item) {
  const size_t eq = item.find('=');
  if (eq == absl::string_view::npos || eq == 0) return std::nullopt;
  const absl::string_view head = item.substr(0, eq);
  if (head.find_first_not_of("0123456789abcdefABCDEF.:/") !=
          absl::string_view::npos ||
      head.find_first_of(".:") == absl::string_view::npos)
    return std::nullopt;
  absl::StatusOr<Prefix> p = Prefix::Parse(head);
  if (!p.ok())
    return UsageError("md5-password",
                      absl::StrCat("'", head, "' is not a prefix (",
                                   p.status().message(), ")"));
  return std::optional<Prefix>(*p);
}

// --md5-password: KEY (for every --allow prefix, or every source), or
// PREFIX=KEY,PREFIX=KEY,... A comma followed by something that is not
// PREFIX= belongs to the key before it, so keys may hold commas.
absl::StatusOr<std::vector<std::pair<Prefix, std::string>>> ParseMd5Flag(
    absl::string_view text, const std::vector<Prefix>& allow) {
  std::vector<std::pair<Prefix, std::string>> out;
  if (text.empty()) return out;
  std::vector<absl::string_view> items = absl::StrSplit(text, ',');
  BGPY_ASSIGN_OR_RETURN(std::optional<Prefix> first, Md5ItemPrefix(items[0]));
  auto check_key = [](absl::string_view key) -> absl::Status {
    if (key.empty()) return UsageError("md5-password", "empty key");
    if (key.size() > posix::kMaxMd5KeyLength)
      return UsageError("md5-password",
                        absl::StrCat("a key is longer than ",
                                     posix::kMaxMd5KeyLength, " octets"));
    return absl::OkStatus();
  };
  if (!first) {  // one key for everyone
    for (size_t i = 1; i < items.size(); ++i) {
      BGPY_ASSIGN_OR_RETURN(std::optional<Prefix> p, Md5ItemPrefix(items[i]));
      if (p)
        return UsageError("md5-password",
                          "mixes a KEY for every source with PREFIX=KEY "
                          "items; give 0.0.0.0/0=KEY,::/0=KEY for the rest");
    }
    BGPY_RETURN_IF_ERROR(check_key(text));
    if (allow.empty()) {
      out.emplace_back(*Prefix::Parse("0.0.0.0/0"), std::string(text));
      out.emplace_back(*Prefix::Parse("::/0"), std::string(text));
    } else {
      for (const Prefix& p : allow) out.emplace_back(p, std::string(text));
    }
    return out;
  }
  for (absl::string_view item : items) {
    BGPY_ASSIGN_OR_RETURN(std::optional<Prefix> p, Md5ItemPrefix(item));
    if (!p) {  // a comma inside the previous key
      absl::StrAppend(&out.back().second, ",", item);
      continue;
    }
    for (const auto& [q, k] : out)
      if (q == *p)
        return UsageError("md5-password",
                          absl::StrCat(p->ToString(), " is given twice"));
    out.emplace_back(*p, std::string(item.substr(item.find('=') + 1)));
  }
  for (const auto& [p, k] : out) BGPY_RETURN_IF_ERROR(check_key(k));
  return out;
}

// "100MB", "64K", "1GiB", "4096": octets (K, M, G: powers of 1024).
absl::StatusOr<uint64_t> ParseSizeFlag(absl::string_view flag,
                                       absl::string_view text) {
  std::string t = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  uint64_t unit = 1;
  for (absl::string_view suffix : {"IB", "B"}) {
    if (absl::EndsWith(t, suffix)) {
      t.resize(t.size() - suffix.size());
      break;
    }
  }
  if (!t.empty()) {
    const char last = t.back();
    const int shift = last == 'K'   ? 10
                      : last == 'M' ? 20
                      : last == 'G' ? 30
                                    : 0;
    if (shift != 0) {
      unit = uint64_t{1} << shift;
      t.pop_back();
    }
  }
  uint64_t n = 0;
  if (t.empty() || !absl::SimpleAtoi(t, &n) || n == 0 ||
      n > (uint64_t{1} << 50) / unit) {
    return UsageError(flag, absl::StrCat("'", text,
                                         "' is not a size (e.g. 100MB, "
                                         "64KB, 1GB)"));
  }
  return n * unit;
}

absl::StatusOr<Options> ParseOptions() {
  Options o;
  BGPY_ASSIGN_OR_RETURN(
      o.output_buffer,
      ParseSizeFlag("output-buffer", absl::GetFlag(FLAGS_output_buffer)));
  o.mrt_out = absl::GetFlag(FLAGS_mrt_out);
  const std::string rotate = absl::GetFlag(FLAGS_mrt_rotate);
  const std::string interval = absl::GetFlag(FLAGS_mrt_rotate_interval);
  if (!rotate.empty()) {
    if (o.mrt_out.empty()) return UsageError("mrt-rotate", "needs --mrt-out");
    BGPY_ASSIGN_OR_RETURN(o.mrt_rotate, ParseSizeFlag("mrt-rotate", rotate));
  }
  if (!interval.empty()) {
    if (o.mrt_out.empty())
      return UsageError("mrt-rotate-interval", "needs --mrt-out");
    BGPY_ASSIGN_OR_RETURN(absl::Duration d,
                          ParseDurationFlag("mrt-rotate-interval", interval));
    if (d < absl::Seconds(1) || d % absl::Seconds(1) != absl::ZeroDuration())
      return UsageError(
          "mrt-rotate-interval",
          absl::StrCat("'", interval, "' must be a whole number of seconds"));
    o.mrt_rotate_interval = d;
  }

  // ADDR:PORT, [V6]:PORT, ADDR, :PORT.
  std::string listen = absl::GetFlag(FLAGS_listen);
  std::string addr = listen, port = "179";
  if (!listen.empty() && listen[0] == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos)
      return UsageError("listen", absl::StrCat("'", listen, "': missing ']'"));
    addr = listen.substr(1, close - 1);
    if (close + 1 < listen.size()) {
      if (listen[close + 1] != ':')
        return UsageError("listen",
                          absl::StrCat("'", listen, "': expected ':'"));
      port = listen.substr(close + 2);
    }
  } else if (size_t colon = listen.rfind(':');
             colon != std::string::npos &&
             listen.find(':') == colon) {  // one colon: IPv4 with a port
    addr = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (addr.empty()) addr = "0.0.0.0";
  absl::StatusOr<IpAddress> a = IpAddress::Parse(addr);
  if (!a.ok())
    return UsageError("listen",
                      absl::StrCat("'", addr, "' is not an IP address"));
  o.address = *a;
  absl::StatusOr<uint64_t> p = ParseUintFlag("listen", port, 0, 65535);
  if (!p.ok()) return p.status();
  o.port = static_cast<uint16_t>(*p);

  BGPY_ASSIGN_OR_RETURN(SessionFlags f, ParseSessionFlags());
  o.local_as = f.local_as;
  o.peer_as = f.peer_as;
  if (f.router_id) {
    o.router_id = *f.router_id;
  } else if (o.address.is_v4() && o.address.v4() != 0) {
    o.router_id = o.address.v4();
  } else {
    o.router_id = 0x01010101;  // 1.1.1.1
  }
  o.hold_time = f.hold_time;
  if (f.print == PrintMode::kText) o.print = OutputFormat::kText;
  if (f.print == PrintMode::kJson) o.print = OutputFormat::kJson;
  o.duration = f.duration;

  if (const std::string allow = absl::GetFlag(FLAGS_allow); !allow.empty()) {
    BGPY_ASSIGN_OR_RETURN(o.allow, ParseAllowFlag(allow));
  }
  BGPY_ASSIGN_OR_RETURN(
      o.md5_keys, ParseMd5Flag(absl::GetFlag(FLAGS_md5_password), o.allow));
  o.ttl_security = f.ttl_security;
  o.min_ttl = f.gtsm_min_ttl();
  const int32_t per_source = absl::GetFlag(FLAGS_max_connections_per_source);
  if (per_source < 0)
    return UsageError("max-connections-per-source",
                      absl::StrCat(per_source, " is negative"));
  o.max_connections_per_source = per_source;
  BGPY_ASSIGN_OR_RETURN(
      o.open_timeout,
      ParseDurationFlag("open-timeout", absl::GetFlag(FLAGS_open_timeout)));
  if (o.open_timeout < absl::Milliseconds(1))
    return UsageError("open-timeout", "must be at least 1ms");

  const std::string families = absl::GetFlag(FLAGS_families);
  if (families == "all") {
    o.families = DecodedFamilies();
  } else {
    BGPY_ASSIGN_OR_RETURN(o.families,
                          ParseFamilyListFlag("families", families));
  }

  return o;
}

void Err(absl::string_view s) {
  std::fprintf(stderr, "bgpy-listen: %.*s\n", static_cast<int>(s.size()),
               s.data());
  std::fflush(stderr);
}

// --mrt-out: MRT records built into a buffer during a loop step and
// written (fwrite + fflush) after it, and on exit; files rotated by size
// and by interval. A write error is reported once and ends the recording
// (the sessions go on).
class MrtOutput {
 public:
  MrtOutput(std::string pattern, uint64_t rotate_size,
            std::optional<absl::Duration> interval)
      : pattern_(std::move(pattern)),
        rotate_size_(rotate_size),
        interval_(interval) {}
  ~MrtOutput() { Close(); }
  MrtOutput(const MrtOutput&) = delete;
  MrtOutput& operator=(const MrtOutput&) = delete;

  // Opens the first file.
  absl::Status Start(absl::Time now) { return OpenNext(now); }

  // Records go here: mrt::Writer(buffer()) ..., then Committed(start).
  std::vector<uint8_t>& buffer() { return buf_; }
  bool active() const { return file_ != nullptr; }
  // The record that begins at buffer()[start] is complete: with size
  // rotation, it goes to the next file if it would take this one past the
  // limit (a file holds at least one record).
  void Committed(size_t start, absl::Time now) {
    if (rotate_size_ == 0 || file_ == nullptr) return;
    if (file_bytes_ + buf_.size() <= rotate_size_) return;
    if (file_bytes_ + start == 0) return;
    WriteOut(start);
    Rotate(now);
  }
  // Writes what the buffer holds and flushes the file.
  void Flush() {
    if (file_ == nullptr) {
      buf_.clear();
      return;
    }
    WriteOut(buf_.size());
    if (file_ != nullptr && std::fflush(file_) != 0) Fail("write");
  }
  // Interval rotation: when `now` is past the current interval, flushes and
  // starts the file of the interval `now` is in.
  void Tick(absl::Time now) {
    if (!interval_ || file_ == nullptr || now < period_end_) return;
    Flush();
    Rotate(now);
  }
  // When Tick next has work (std::nullopt: never).
  std::optional<absl::Time> next_rotation() const {
    if (!interval_ || file_ == nullptr) return std::nullopt;
    return period_end_;
  }
  void Close() {
    Flush();
    if (file_ != nullptr && std::fclose(file_) != 0) {
      file_ = nullptr;
      Fail("close");
    }
    file_ = nullptr;
  }

 private:
  // Writes buf_[0, n) to the file and drops it from the buffer.
  void WriteOut(size_t n) {
    if (n == 0) return;
    if (file_ == nullptr) {
      buf_.clear();  // recording stopped
      return;
    }
    if (std::fwrite(buf_.data(), 1, n, file_) != n) {
      Fail("write");  // drops the whole buffer
      return;
    }
    file_bytes_ += n;
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<ptrdiff_t>(n));
  }
  void Rotate(absl::Time now) {
    if (file_ != nullptr && std::fclose(file_) != 0) {
      file_ = nullptr;
      Fail("close");
      return;
    }
    file_ = nullptr;
    absl::Status st = OpenNext(now);
    if (!st.ok()) {
      Err(absl::StrCat("--mrt-out: ", st.message(), "; recording stopped"));
      buf_.clear();
    }
  }
  absl::Status OpenNext(absl::Time now) {
    absl::Time named = now;
    if (interval_) {
      // The interval `now` is in: [k * interval, (k + 1) * interval)
      // (whole seconds, checked by ParseOptions).
      const int64_t secs = absl::ToInt64Seconds(*interval_);
      const int64_t t = absl::ToUnixSeconds(now);
      named = absl::FromUnixSeconds(t - ((t % secs) + secs) % secs);
      period_end_ = named + *interval_;
    }
    std::string name = absl::FormatTime(pattern_, named, absl::UTCTimeZone());
    if (used_.contains(name)) {
      for (int i = 1;; ++i) {
        std::string n = absl::StrCat(name, ".", i);
        if (!used_.contains(n)) {
          name = std::move(n);
          break;
        }
      }
    }
    used_.insert(name);
    file_ = std::fopen(name.c_str(), "wb");
    if (file_ == nullptr)
      return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", name));
    path_ = name;
    file_bytes_ = 0;
    return absl::OkStatus();
  }
  void Fail(absl::string_view what) {
    const int e = errno;
    Err(absl::StrCat("--mrt-out: ", what, " ", path_, ": ", std::strerror(e),
                     "; recording stopped"));
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
    buf_.clear();
  }

  const std::string pattern_;
  const uint64_t rotate_size_;
  const std::optional<absl::Duration> interval_;
  std::FILE* file_ = nullptr;
  std::string path_;
  uint64_t file_bytes_ = 0;  // written to the current file
  absl::Time period_end_ = absl::InfiniteFuture();
  std::set<std::string> used_;
  std::vector<uint8_t> buf_;
};

// Stdout, written so that it never blocks the event loop (issue 10).
//
// The descriptor's flags are left alone: O_NONBLOCK belongs to the open
// file description, which a pipe or terminal shares with the shell and the
// other processes of the pipeline, and setting it on stdout would leave them
// with a non-blocking descriptor (and EAGAIN errors) too. Instead:
//  - a pipe, FIFO or terminal is opened again through /proc/self/fd/1,
//    which gives this process its own description of the same pipe or
//    device; that one is O_NONBLOCK, and a full pipe answers EAGAIN;
//  - a socket is written with send(MSG_DONTWAIT);
//  - a regular file or another device (/dev/null) is written as usual:
//    it does not wait for a reader;
//  - a pipe or terminal that cannot be opened again (no /proc) is written
//    PIPE_BUF octets at a time, each after poll() said it is writable, which
//    a pipe then takes without blocking.
// When stdout would block, the loop watches it for EPOLLOUT and writes on.
class StdoutWriter {
 public:
  enum class Mode { kPlain, kNonBlocking, kSocket, kPollGated };

  StdoutWriter() {
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0) return;  // writes will report it
    tty_ = isatty(STDOUT_FILENO) != 0;
    if (S_ISSOCK(st.st_mode)) {
      mode_ = Mode::kSocket;
    } else if (S_ISFIFO(st.st_mode) || tty_) {
      const int fd =
          open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (fd >= 0) {
        fd_ = fd;
        own_fd_ = true;
        mode_ = Mode::kNonBlocking;
      } else {
        mode_ = Mode::kPollGated;
      }
    }
  }
  ~StdoutWriter() {
    if (loop_ != nullptr) loop_->UnwatchFd(fd_);
    if (own_fd_) close(fd_);
  }
  StdoutWriter(const StdoutWriter&) = delete;
  StdoutWriter& operator=(const StdoutWriter&) = delete;

  // Writes resume from the loop when stdout becomes writable;
  // `on_written` runs after every write.
  void Attach(posix::EventLoop* loop, std::function<void()> on_written) {
    loop_ = loop;
    on_written_ = std::move(on_written);
  }

  // Appends to what waits (dropped once a write failed).
  std::string& buffer() { return buf_; }
  // Octets not yet written.
  size_t pending() const { return buf_.size() - pos_; }
  bool tty() const { return tty_; }

  // Writes what stdout takes now, without waiting.
  void Write() {
    if (failed_) {
      buf_.clear();
      pos_ = 0;
    }
    if (waiting_ || failed_) return;
    while (pending() > 0) {
      const ssize_t n = WriteSome();
      if (n > 0) {
        pos_ += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        WaitWritable();
        break;
      }
      Fail();
      break;
    }
    Compact();
    if (on_written_) on_written_();
  }

  // On exit: waits at most `timeout` for stdout to take what is buffered;
  // reports what it did not.
  void Drain(absl::Duration timeout) {
    if (loop_ != nullptr) loop_->UnwatchFd(fd_);
    loop_ = nullptr;
    waiting_ = false;
    const absl::Time deadline = absl::Now() + timeout;
    while (pending() > 0 && !failed_) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) break;
      pollfd pfd{fd_, POLLOUT, 0};
      const int r = poll(&pfd, 1,
                         static_cast<int>(std::min<int64_t>(
                             absl::ToInt64Milliseconds(left) + 1, 1000)));
      if (r < 0 && errno != EINTR) break;
      if (r > 0) Write();
      waiting_ = false;
    }
    if (pending() > 0 && !failed_)
      Err(absl::StrCat("stdout: ", pending(),
                       " octets of output not written (stdout took nothing "
                       "more within ",
                       absl::FormatDuration(timeout), ")"));
  }

 private:
  ssize_t WriteSome() {
    const char* p = buf_.data() + pos_;
    const size_t n = pending();
    switch (mode_) {
      case Mode::kSocket:
        return send(fd_, p, n, MSG_DONTWAIT);
      case Mode::kPollGated: {
        pollfd pfd{fd_, POLLOUT, 0};
        const int r = poll(&pfd, 1, 0);
        if (r < 0) return -1;
        if (r == 0 || (pfd.revents & POLLOUT) == 0) {
          if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) break;
          errno = EAGAIN;
          return -1;
        }
        return write(fd_, p, std::min<size_t>(n, PIPE_BUF));
      }
      case Mode::kPlain:
      case Mode::kNonBlocking:
        break;
    }
    return write(fd_, p, n);
  }
  void WaitWritable() {
    if (loop_ == nullptr) return;  // Drain() polls by itself
    waiting_ = true;
    absl::Status st = loop_->WatchFd(fd_, EPOLLOUT, [this](uint32_t) {
      waiting_ = false;
      (void)loop_->SetWatchEvents(fd_, 0);
      Write();
    });
    if (!st.ok()) {
      // epoll refused the descriptor: write on at the end of each step.
      waiting_ = false;
    }
  }
  void Fail() {
    if (errno == EPIPE) {
      ReportClosedStdout();  // once; the loop then stops as on SIGTERM
    } else {
      Err(absl::StrCat("stdout: write: ", std::strerror(errno),
                       "; output dropped from now on"));
    }
    failed_ = true;
    buf_.clear();
    pos_ = 0;
  }
  // Drops what was written once it is most of the buffer.
  void Compact() {
    if (pos_ == buf_.size()) {
      buf_.clear();
      pos_ = 0;
    } else if (pos_ >= (size_t{1} << 16) && pos_ * 2 >= buf_.size()) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
  }

  Mode mode_ = Mode::kPlain;
  int fd_ = STDOUT_FILENO;
  bool own_fd_ = false;
  bool tty_ = false;
  bool waiting_ = false;  // for EPOLLOUT
  bool failed_ = false;
  posix::EventLoop* loop_ = nullptr;
  std::function<void()> on_written_;
  std::string buf_;
  size_t pos_ = 0;  // buf_[0, pos_) is written
};

// Counters of one accepted connection.
struct PeerCounters {
  std::string name;  // "127.0.0.2:40123"
  std::string address;
  std::map<MessageType, uint64_t> messages;
  // Per family: routes announced, withdrawn.
  std::map<Family, std::pair<uint64_t, uint64_t>> routes;
  std::string last_state = "Idle";
  std::string end;  // why the session ended, if it did
  // For MRT records: the two ends of the connection.
  IpAddress peer_ip;
  IpAddress local_ip;
};

// The RFC 6396 §4.4.1 number of a state: 1 Idle ... 6 Established.
uint16_t MrtState(SessionState s) { return static_cast<uint16_t>(s) + 1; }

const char* TypeName(MessageType t) {
  switch (t) {
    case MessageType::kOpen:
      return "OPEN";
    case MessageType::kUpdate:
      return "UPDATE";
    case MessageType::kNotification:
      return "NOTIFICATION";
    case MessageType::kKeepalive:
      return "KEEPALIVE";
    case MessageType::kRouteRefresh:
      return "ROUTE_REFRESH";
  }
  return "unknown";
}

// Counts the routes of an UPDATE the session parsed (no second parse).
void CountUpdate(const UpdateView& v, PeerCounters& c) {
  if (v.end_of_rib()) return;
  // One map lookup per run of routes of one family, not one per route.
  std::pair<uint64_t, uint64_t>* counts = nullptr;
  Family family;
  for (const RouteView& r : v.routes()) {
    if (counts == nullptr || r.family != family) {
      family = r.family;
      counts = &c.routes[family];
    }
    ++(r.withdraw ? counts->second : counts->first);
  }
}

std::string DescribeNotification(const Notification& n) {
  return absl::StrFormat("%s / %s (%d/%d)%s", ErrorCodeName(n.code),
                         ErrorSubcodeName(n.code, n.subcode), n.code, n.subcode,
                         n.ShutdownMessage()
                             ? absl::StrCat(": \"", *n.ShutdownMessage(), "\"")
                             : std::string());
}

int Main(int argc, char** argv) {
  std::vector<std::string> positional =
      ParseToolCommandLine(argc, argv, kUsage, {"listen.cc", kSessionFlagsFile},
                           {"duration", "open_timeout"});
  if (positional.size() > 1) {
    Err(absl::StrCat("unexpected argument '", positional[1], "'"));
    return kExitUsage;
  }
  absl::StatusOr<Options> options = ParseOptions();
  if (!options.ok()) {
    Err(options.status().message());
    return kExitUsage;
  }
  const Options& o = *options;
  RaiseDescriptorLimit();
  StopOnClosedStdout("bgpy-listen");

  SessionConfig session;
  session.local_as = o.local_as;
  session.peer_as = o.peer_as;
  session.router_id = o.router_id;
  session.hold_time = o.hold_time;
  session.passive = true;
  session.families = o.families;
  for (Family f : o.families) {
    session.add_path.push_back({f, false, true});
    // RFC 8950: IPv4 routes (unicast, multicast, VPN) may come with an IPv6
    // next hop.
    if (f.afi == Afi::kIpv4 &&
        (f.safi == Safi::kUnicast || f.safi == Safi::kMulticast ||
         f.safi == Safi::kMplsVpn)) {
      session.extended_next_hop.push_back(
          {Afi::kIpv4, static_cast<uint16_t>(f.safi), Afi::kIpv6});
    }
  }
  session.extended_message = true;
  session.route_refresh = true;
  session.open_hold_time =
      std::chrono::milliseconds(absl::ToInt64Milliseconds(o.open_timeout));
  if (absl::Status st = session.Validate(); !st.ok()) {
    Err(st.message());
    return kExitUsage;
  }

  std::unique_ptr<MrtOutput> mrt;
  if (!o.mrt_out.empty()) {
    mrt = std::make_unique<MrtOutput>(o.mrt_out, o.mrt_rotate,
                                      o.mrt_rotate_interval);
    if (absl::Status st = mrt->Start(absl::Now()); !st.ok()) {
      Err(absl::StrCat("--mrt-out: ", st.message()));
      return kExitUsage;
    }
  }

  // One read (64 KiB) per readable peer per step: the output of one step
  // stays small against --output-buffer, so that pausing a peer takes hold
  // at once (each step ends with a write of stdout).
  posix::LoopOptions loop_options;
  loop_options.reads_per_wakeup = 1;
  posix::EventLoop loop(loop_options);
  if (!loop.init_status().ok()) {
    Err(loop.init_status().message());
    return kExitUsage;
  }
  std::map<posix::PeerId, PeerCounters> peers;  // ordered by arrival

  // Stdout back-pressure: peers paused while the output buffer is full.
  StdoutWriter writer;
  const size_t high_water = static_cast<size_t>(o.output_buffer);
  std::set<posix::PeerId> paused;
  uint64_t throttle_episodes = 0;
  std::optional<absl::Time> throttled_since;
  absl::Duration throttled;  // in all, while some peer was paused
  auto resume_all = [&] {
    for (posix::PeerId id : paused) (void)loop.SetReadPaused(id, false);
    paused.clear();
    if (throttled_since) throttled += absl::Now() - *throttled_since;
    throttled_since.reset();
  };
  writer.Attach(&loop, [&] {
    if (!paused.empty() && writer.pending() <= high_water / 2) resume_all();
  });

  posix::ListenConfig lc;
  lc.address = o.address;
  lc.port = o.port;
  lc.accept_any = true;
  lc.allow = o.allow;
  lc.md5_prefix_keys = o.md5_keys;
  if (o.ttl_security > 0) {  // GTSM, RFC 5082 §3
    lc.ttl = 255;
    lc.min_ttl = o.min_ttl;
  }
  lc.max_connections_per_source = o.max_connections_per_source;
  // Refused connections: one line per source (the first kRefusalLines
  // sources), every one counted for the summary.
  constexpr size_t kRefusalLines = 20;
  std::map<posix::Refusal, uint64_t> refused;
  std::set<IpAddress> refused_shown;
  loop.on_refused = [&](const IpAddress& addr, uint16_t port,
                        posix::Refusal why) {
    ++refused[why];
    if (refused_shown.contains(addr)) return;
    if (refused_shown.size() == kRefusalLines) {
      refused_shown.insert(addr);
      Err(absl::StrCat("refused more sources; the summary counts them"));
      return;
    }
    if (refused_shown.size() > kRefusalLines) return;
    refused_shown.insert(addr);
    const char* flag = why == posix::Refusal::kNotAllowed ? " (--allow)"
                       : why == posix::Refusal::kSourceLimit
                           ? " (--max-connections-per-source)"
                           : "";
    Err(absl::StrCat(posix::FormatEndpoint(addr, port), ": refused, ",
                     posix::RefusalName(why), flag,
                     "; further refusals of this source are only counted"));
  };
  uint64_t open_timeouts = 0;
  lc.factory = [&session](const IpAddress& addr,
                          uint16_t) -> std::optional<posix::PeerConfig> {
    posix::PeerConfig pc;
    pc.address = addr;
    pc.session = session;
    return pc;
  };
  loop.on_accept = [&peers, &loop](posix::PeerId id, const IpAddress& addr,
                                   uint16_t port) {
    PeerCounters& c = peers[id];
    c.address = addr.ToString();
    c.name = posix::FormatEndpoint(addr, port);
    c.peer_ip = addr;
    c.local_ip = addr.is_v4() ? IpAddress::V4(0)
                              : IpAddress::V6(std::array<uint8_t, 16>{});
    if (std::optional<posix::ConnectionInfo> ci = loop.connection(id))
      c.local_ip = ci->local_address;
    Err(absl::StrCat(c.name, ": connected"));
  };
  loop.on_error = [&peers](posix::PeerId id, const absl::Status& st) {
    auto it = peers.find(id);
    if (it == peers.end()) return;
    it->second.end = std::string(st.message());
    Err(absl::StrCat(it->second.name, ": ", st.message()));
  };
  // The AS of the peer in MRT records: the one it negotiated, else the
  // configured --peer-as (0 = any) until its OPEN arrives.
  auto mrt_peer_as = [&o](const Session* s) {
    return s != nullptr && s->negotiated() != nullptr ? s->negotiated()->peer_as
                                                      : o.peer_as;
  };
  loop.on_event = [&](posix::PeerId id, const SessionEvent& ev) {
    PeerCounters& c = peers[id];
    Session* s = loop.session(id);
    if (const auto* m = std::get_if<MessageReceived>(&ev)) {
      ++c.messages[m->type];
      if (mrt != nullptr && mrt->active()) {
        // The subtype tells readers how to decode the message: 4-octet AS
        // and ADD-PATH as this session receives them.
        const SessionParams params =
            s != nullptr ? s->recv_params() : SessionParams();
        mrt::Bgp4mpMessage r;
        r.peer_as = mrt_peer_as(s);
        r.local_as = o.local_as;
        r.peer_address = c.peer_ip;
        r.local_address = c.local_ip;
        r.message = m->bytes;
        r.four_octet_as = params.four_octet_as;
        r.add_path = !params.add_path_families().empty();
        const absl::Time now = absl::Now();
        const size_t start = mrt->buffer().size();
        mrt::Writer(mrt->buffer()).Bgp4mpMessage(now, r);
        mrt->Committed(start, now);
      }
      if (s == nullptr) return;
      // The session parsed the UPDATE once; counting and printing use that
      // parse.
      const std::optional<UpdateView> update = m->update();
      if (update) CountUpdate(*update, c);
      if (o.print) {
        MessageMeta meta;
        meta.time = absl::Now();
        meta.peer = c.address;
        std::string& out = writer.buffer();
        if (update && *o.print != OutputFormat::kHex) {
          AppendUpdate(&out, *update, m->findings, *o.print, meta);
        } else {
          out += RenderMessage(m->bytes, s->recv_params(), *o.print, meta);
        }
        if (writer.tty() || writer.pending() >= kWriteChunk) writer.Write();
        // Over the mark, stop reading the peers whose UPDATEs fill the
        // buffer; the other messages (OPEN, KEEPALIVE, ...) come at the pace
        // the protocol sets, unless they alone fill twice the mark.
        if (writer.pending() >= high_water &&
            (m->type == MessageType::kUpdate ||
             writer.pending() >= 2 * high_water) &&
            !paused.contains(id)) {
          if (loop.SetReadPaused(id, true).ok()) paused.insert(id);
          if (!throttled_since) {
            throttled_since = absl::Now();
            ++throttle_episodes;
          }
        }
      }
    } else if (const auto* eor = std::get_if<EndOfRib>(&ev)) {
      // Every route before it has been counted (and printed).
      const auto it = c.routes.find(eor->family);
      Err(absl::StrCat(c.name, ": End-of-RIB ", FamilyName(eor->family), " (",
                       it == c.routes.end() ? 0 : it->second.first,
                       " announced)"));
    } else if (const auto* sc = std::get_if<StateChanged>(&ev)) {
      c.last_state = SessionStateName(sc->to);
      if (mrt != nullptr && mrt->active()) {
        mrt::StateChange r;
        r.peer_as = mrt_peer_as(s);
        r.local_as = o.local_as;
        r.peer_address = c.peer_ip;
        r.local_address = c.local_ip;
        r.old_state = MrtState(sc->from);
        r.new_state = MrtState(sc->to);
        r.four_octet_as = true;
        const absl::Time now = absl::Now();
        const size_t start = mrt->buffer().size();
        mrt::Writer(mrt->buffer()).StateChange(now, r);
        mrt->Committed(start, now);
      }
      Err(absl::StrCat(c.name, ": ", SessionStateName(sc->from), " -> ",
                       SessionStateName(sc->to), " (", sc->reason, ")"));
      // Our initial update is empty, so it is complete at once: End-of-RIB
      // for every negotiated family (RFC 4724 §2). A speaker that
      // negotiated RTC defers its VPN routes (GoBGP: every route) until
      // the RT membership End-of-RIB arrives (RFC 4684 §6).
      if (sc->to == SessionState::kEstablished && s != nullptr &&
          s->state() == SessionState::kEstablished &&
          s->negotiated() != nullptr) {
        for (Family f : s->negotiated()->families) {
          absl::Status st = loop.QueueEndOfRib(id, f);
          if (!st.ok())
            Err(absl::StrCat(c.name, ": End-of-RIB ", FamilyName(f), ": ",
                             st.message()));
        }
      }
    } else if (const auto* nr = std::get_if<NotificationReceived>(&ev)) {
      c.end = absl::StrCat("NOTIFICATION received: ",
                           DescribeNotification(nr->notification));
      Err(absl::StrCat(c.name, ": ", c.end));
    } else if (const auto* ns = std::get_if<NotificationSent>(&ev)) {
      if (ns->notification.code == 4 &&
          !c.messages.contains(MessageType::kOpen))
        ++open_timeouts;  // Hold Timer Expired in OpenSent: --open-timeout
      c.end = absl::StrCat(
          "NOTIFICATION sent: ", DescribeNotification(ns->notification), " (",
          ns->reason, ")");
      Err(absl::StrCat(c.name, ": ", c.end));
    }
  };

  absl::StatusOr<uint16_t> port = loop.Listen(lc);
  if (!port.ok()) {
    Err(absl::StrCat("--listen: ", port.status().message()));
    return kExitUsage;
  }
  if (absl::Status st = loop.CatchSignals({SIGINT, SIGTERM}); !st.ok()) {
    Err(st.message());
    return kExitUsage;
  }
  Err(absl::StrCat("listening on ", posix::FormatEndpoint(o.address, *port),
                   ", AS ", o.local_as, ", router id ",
                   FormatIpv4(o.router_id)));

  std::optional<Instant> until;
  if (o.duration)
    until = posix::EventLoop::Now() + absl::ToChronoNanoseconds(*o.duration);
  absl::Status st;
  // EventLoop::Run, one step at a time: the output (stdout, MRT records) of
  // each step is written after it, and the interval rotation wakes the
  // loop.
  while (true) {
    Duration timeout = std::chrono::hours(1);
    const Instant now = posix::EventLoop::Now();
    if (until) {
      if (now >= *until) break;
      timeout = std::min<Duration>(timeout, *until - now);
    }
    if (mrt != nullptr) {
      if (std::optional<absl::Time> r = mrt->next_rotation()) {
        const absl::Duration left =
            std::max(*r - absl::Now(), absl::ZeroDuration());
        timeout =
            std::min<Duration>(timeout, std::chrono::duration_cast<Duration>(
                                            absl::ToChronoNanoseconds(left)) +
                                            std::chrono::milliseconds(1));
      }
    }
    st = loop.RunOnce(timeout);
    writer.Write();
    if (mrt != nullptr) {
      mrt->Flush();
      mrt->Tick(absl::Now());
    }
    if (absl::IsCancelled(st)) {
      st = absl::OkStatus();
      break;
    }
    if (!st.ok()) break;
  }
  loop.Shutdown();                   // no-op if a signal already shut it down
  if (mrt != nullptr) mrt->Close();  // the records of the shutdown too
  if (!st.ok()) Err(st.message());
  if (throttled_since) throttled += absl::Now() - *throttled_since;
  writer.Drain(absl::Seconds(10));

  // Per-peer summary.
  for (const auto& [id, c] : peers) {
    std::vector<std::string> msgs;
    for (const auto& [t, n] : c.messages)
      msgs.push_back(absl::StrCat(n, " ", TypeName(t)));
    std::vector<std::string> routes;
    for (const auto& [f, aw] : c.routes) {
      routes.push_back(absl::StrCat(FamilyName(f), " ", aw.first, " announced ",
                                    aw.second, " withdrawn"));
    }
    Err(absl::StrCat("summary ", c.name, ": ",
                     msgs.empty() ? "no messages" : absl::StrJoin(msgs, ", "),
                     "; ",
                     routes.empty() ? "no routes" : absl::StrJoin(routes, "; "),
                     c.end.empty() ? "" : absl::StrCat("; ended: ", c.end)));
  }
  uint64_t refused_total = 0;
  for (const auto& [why, n] : refused) refused_total += n;
  if (refused_total > 0) {
    std::vector<std::string> parts;
    for (const auto& [why, n] : refused)
      parts.push_back(absl::StrCat(n, " ", posix::RefusalName(why)));
    Err(absl::StrCat("summary: ", refused_total, " connections refused (",
                     absl::StrJoin(parts, ", "), ")"));
  }
  if (open_timeouts > 0)
    Err(absl::StrCat("summary: ", open_timeouts,
                     " connections closed for sending no OPEN within "
                     "--open-timeout=",
                     absl::FormatDuration(o.open_timeout)));
  if (throttle_episodes > 0)
    Err(absl::StrFormat(
        "summary: output throttled intake for %.1f s (stdout fell "
        "--output-buffer=%d octets behind %d times; the peers sending "
        "UPDATEs were not read meanwhile)",
        absl::ToDoubleSeconds(throttled), high_water, throttle_episodes));
  return kExitOk;
}

}  // namespace
}  // namespace bgpy::tools

int main(int argc, char** argv) { return bgpy::tools::Main(argc, argv); }
