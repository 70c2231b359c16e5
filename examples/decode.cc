// Copyright 2026 The bgpy Authors.
//
// bgpy-decode: the offline decoder. Reads BGP messages (hex lines or a raw
// byte stream) and prints them as text, JSON lines or re-encoded hex.
// DESIGN.md "bgpy-decode".
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bgpy/decode_context.h"
#include "bgpy/format.h"
#include "bgpy/hex.h"
#include "bgpy/message.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "common/tool_flags.h"
#ifdef BGPY_HAVE_MRT
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bgpy/mrt.h"
#include "bgpy/mrt_file.h"
#endif

ABSL_FLAG(std::string, input, "hex",
          "hex: one BGP message per line, marker included (blank lines and "
          "lines starting with # are skipped); raw: a byte stream of "
          "messages; mrt: an MRT file (RFC 6396), raw, gzip or bzip2");
ABSL_FLAG(std::string, format, "text",
          "text: every field by name; json: one JSON object per message per "
          "line; hex: each message re-encoded (equals the input for "
          "well-formed messages); bgpdump (with --input=mrt): one line per "
          "route and state change as `bgpdump -m` prints them");
ABSL_FLAG(std::string, four_octet_as, "auto",
          "auto|true|false: whether AS numbers in AS_PATH/AGGREGATOR are 4 "
          "octets (RFC 6793). auto: from the OPENs in the input, else "
          "inferred per UPDATE. Also spelled --four-octet-as");
ABSL_FLAG(int, threads, 0,
          "with --input=mrt and --format=bgpdump or json: records are "
          "rendered on this many worker threads, written in file order (the "
          "output is the same); 0: one per core, at most 8; 1: no worker "
          "thread");
ABSL_FLAG(std::string, add_path, "auto",
          "auto|none|FAMILY,...: families whose NLRI carry ADD-PATH path "
          "identifiers (RFC 7911), e.g. ipv4-unicast,ipv6-unicast. auto: from "
          "the OPENs in the input, else inferred per UPDATE. Also spelled "
          "--add-path");

namespace bgpy::tools {
namespace {

constexpr char kUsage[] =
    "Decodes BGP messages offline.\n"
    "\n"
    "  bgpy-decode [--input=hex|raw|mrt] [--format=text|json|hex|bgpdump]\n"
    "              [--four-octet-as=auto|true|false] "
    "[--add-path=auto|none|FAMILY,...]\n"
    "              [--threads=N] [FILE|-]\n"
    "\n"
    "Reads FILE (or standard input when FILE is - or absent). A message that\n"
    "fails to decode gives one error line naming the message, the field and\n"
    "the RFC error, and decoding goes on with the next message.\n"
    "\n"
    "With --input=mrt, the record subtypes give the session context (4-octet\n"
    "AS, ADD-PATH), so --four-octet-as and --add-path are not used. A damaged\n"
    "record gives an error line naming its offset and type, and reading goes\n"
    "on at the next record when its length allows. --format=bgpdump prints\n"
    "the families bgpdump prints (IPv4/IPv6 unicast and multicast); the\n"
    "others are counted on stderr (--format=json shows them). In the\n"
    "bgpdump and json formats, records are rendered on one worker thread\n"
    "per core (--threads=N: N of them; 1: none) and written in file order.\n"
    "\n"
    "Exit codes: 0 every message decoded; 1 usage error (the message names\n"
    "the flag) or unreadable input; 3 at least one message failed to "
    "decode.\n";

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitDecodeError = 3;

enum class Input { kHex, kRaw, kMrt };

struct Options {
  Input input = Input::kHex;
  OutputFormat format = OutputFormat::kText;
  bool bgpdump = false;               // --format=bgpdump (MRT input only)
  std::optional<bool> four_octet_as;  // nullopt: auto
  std::optional<std::vector<Family>> add_path;  // nullopt: auto
  int threads = 0;  // --threads (MRT input); 0: one per core
  std::string file = "-";
};

absl::StatusOr<Options> ParseOptions(
    const std::vector<std::string>& positional) {
  Options o;
  std::string input = absl::GetFlag(FLAGS_input);
  if (input == "hex") {
    o.input = Input::kHex;
  } else if (input == "raw") {
    o.input = Input::kRaw;
  } else if (input == "mrt") {
#ifdef BGPY_HAVE_MRT
    o.input = Input::kMrt;
#else
    return absl::UnimplementedError(
        "--input=mrt: this build has no MRT support (bgpy::mrt was not "
        "built: BGPY_BUILD_MRT=OFF or zlib/libbz2 missing)");
#endif
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--input: unknown value '", input, "' (hex, raw or mrt)"));
  }

  std::string format = absl::GetFlag(FLAGS_format);
  if (format == "bgpdump") {
    if (o.input != Input::kMrt) {
      return absl::InvalidArgumentError(
          "--format=bgpdump needs --input=mrt (bgpdump prints MRT records)");
    }
    o.bgpdump = true;
  } else {
    absl::StatusOr<OutputFormat> f = ParseOutputFormat(format);
    if (!f.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--format: unknown value '", format,
                       "' (text, json, hex or bgpdump)"));
    }
    o.format = *f;
  }

  std::string four = absl::GetFlag(FLAGS_four_octet_as);
  if (four == "true") {
    o.four_octet_as = true;
  } else if (four == "false") {
    o.four_octet_as = false;
  } else if (four != "auto") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--four-octet-as: unknown value '", four, "' (auto, true or false)"));
  }

  std::string add_path = absl::GetFlag(FLAGS_add_path);
  if (add_path == "none") {
    o.add_path.emplace();
  } else if (add_path != "auto") {
    o.add_path.emplace();
    for (absl::string_view name : absl::StrSplit(add_path, ',')) {
      absl::StatusOr<Family> fam =
          ParseFamily(absl::StripAsciiWhitespace(name));
      if (!fam.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--add-path: unknown family '", name,
                         "' (auto, none, or family names such as "
                         "ipv4-unicast,ipv6-unicast)"));
      }
      o.add_path->push_back(*fam);
    }
  }

  o.threads = absl::GetFlag(FLAGS_threads);
  if (o.threads < 0 || o.threads > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads: ", o.threads,
                     " is out of range (0 to 64; 0: one per core)"));
  }

  // positional[0] is the program name.
  if (positional.size() > 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected at most one FILE, got ", positional.size() - 1,
                     " (first extra: '", positional[2], "')"));
  }
  if (positional.size() == 2) o.file = positional[1];
  return o;
}

// --- Decoding loop
// --------------------------------------------------------------

class Decoder {
 public:
  explicit Decoder(const Options& o)
      : options_(o),
        context_(DecodeContext::Fixed{o.four_octet_as, o.add_path}) {}

  // Decodes and prints one message; `source` names it for error lines.
  void Message(wire::Bytes message, std::string source) {
    SessionParams params = context_.For(message);
    MessageMeta meta;
    meta.source = source;
    absl::Status status;
    std::string out =
        RenderMessage(message, params, options_.format, meta, &status);
    if (!status.ok()) {
      failed_ = true;
      Print(out, /*error=*/true);
      return;
    }
    Print(out, /*error=*/false);
    if (message.size() > kHeaderSize - 1 &&
        message[kHeaderSize - 1] == static_cast<uint8_t>(MessageType::kOpen)) {
      if (absl::StatusOr<Open> open = DecodeOpen(message); open.ok())
        context_.OnOpen(*open);
    }
  }

  // An input problem that is not a message (bad hex, stream error).
  void InputError(wire::Bytes bytes, const absl::Status& status,
                  std::string source) {
    failed_ = true;
    MessageMeta meta;
    meta.source = source;
    Print(RenderError(bytes, status, options_.format, meta), /*error=*/true);
  }

  bool failed() const { return failed_; }

 private:
  void Print(const std::string& s, bool error) {
    // In hex format, stdout carries only re-encoded messages.
    FILE* f = error && options_.format == OutputFormat::kHex ? stderr : stdout;
    if (options_.format == OutputFormat::kText && !error && printed_)
      std::fputc('\n', f);
    std::fwrite(s.data(), 1, s.size(), f);
    if (!error) printed_ = true;
  }

  const Options& options_;
  DecodeContext context_;
  bool failed_ = false;
  bool printed_ = false;
};

// One hex line to bytes (bgpy::ParseHex); ':' separators are ignored like
// whitespace, a leading "0x" too.
absl::StatusOr<std::vector<uint8_t>> ParseHexLine(absl::string_view line) {
  std::string text(absl::StripAsciiWhitespace(line));
  for (char& c : text) {
    if (c == ':') c = ' ';
  }
  absl::StatusOr<std::vector<uint8_t>> bytes = ParseHex(text);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not hex: ", bytes.status().message()));
  }
  return bytes;
}

bool ReadLine(FILE* in, std::string& line) {
  line.clear();
  int c;
  while ((c = std::fgetc(in)) != EOF) {
    if (c == '\n') return true;
    line += static_cast<char>(c);
  }
  return !line.empty();
}

void DecodeHex(FILE* in, Decoder& d) {
  std::string line;
  for (uint64_t number = 1; ReadLine(in, line); ++number) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::string source = absl::StrCat("line ", number);
    absl::StatusOr<std::vector<uint8_t>> bytes = ParseHexLine(trimmed);
    if (!bytes.ok()) {
      d.InputError({}, bytes.status(), source);
      continue;
    }
    d.Message(*bytes, source);
  }
}

void DecodeRaw(FILE* in, Decoder& d) {
  MessageSplitter splitter(kMaxExtendedMessageSize);
  std::vector<uint8_t> chunk(1 << 16);
  uint64_t number = 0, offset = 0;
  bool eof = false;
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = splitter.Next();
    if (!next.ok()) {
      // A header error cannot be resynchronised (RFC 4271 §6.1): stop.
      d.InputError({}, next.status(),
                   absl::StrCat("message ", number + 1, " at offset ", offset,
                                " (decoding stops: the stream cannot be "
                                "resynchronised)"));
      return;
    }
    if (next->has_value()) {
      wire::Bytes m = **next;
      ++number;
      // Copy: the view is valid only until the next Feed()/Next().
      std::vector<uint8_t> copy(m.begin(), m.end());
      d.Message(copy, absl::StrCat("message ", number, " at offset ", offset));
      offset += copy.size();
      continue;
    }
    if (eof) break;
    size_t n = std::fread(chunk.data(), 1, chunk.size(), in);
    if (n == 0) {
      eof = true;
      continue;
    }
    splitter.Feed(wire::Bytes(chunk.data(), n));
  }
  if (splitter.buffered() > 0) {
    d.InputError({},
                 absl::DataLossError(absl::StrCat("truncated: input ends ",
                                                  splitter.buffered(),
                                                  " octets into a message")),
                 absl::StrCat("message ", number + 1, " at offset ", offset));
  }
}

#ifdef BGPY_HAVE_MRT
// --- MRT input -------------------------------------------------------------

// A progress line on stderr, when it is a terminal, about once a second.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) == 1), start_(absl::Now()) {}
  void Tick(uint64_t records, uint64_t routes, uint64_t bytes) {
    if (!tty_ || (records & 1023) != 0) return;
    const absl::Time now = absl::Now();
    if (now - last_ < absl::Seconds(1)) return;
    last_ = now;
    Print(records, routes, bytes, now, '\r');
  }
  void Finish(uint64_t records, uint64_t routes, uint64_t bytes) {
    if (tty_ && last_ != absl::InfinitePast())
      Print(records, routes, bytes, absl::Now(), '\n');
  }

 private:
  void Print(uint64_t records, uint64_t routes, uint64_t bytes, absl::Time now,
             char end) {
    const double s = absl::ToDoubleSeconds(now - start_);
    std::fprintf(stderr, "bgpy-decode: %llu records, %llu routes, %.1f MB/s%c",
                 static_cast<unsigned long long>(records),
                 static_cast<unsigned long long>(routes),
                 s > 0 ? static_cast<double>(bytes) / 1e6 / s : 0.0, end);
  }
  bool tty_;
  absl::Time start_;
  absl::Time last_ = absl::InfinitePast();
};

// One stretch of output: text for stdout, and the stderr lines of the
// bgpdump and hex formats at their place in it (stdout carries only their
// lines; json and text carry errors in line).
struct RecordOutput {
  std::string out;
  std::vector<std::pair<size_t, std::string>> errs;  // (position in out, line)
  bool failed = false;
  uint64_t skipped = 0;  // routes of families bgpdump does not print

  // Writes it all in order and empties it (keeps `failed`, `skipped`).
  void Emit() {
    size_t from = 0;
    for (const auto& [at, line] : errs) {
      std::fwrite(out.data() + from, 1, at - from, stdout);
      std::fwrite(line.data(), 1, line.size(), stderr);
      from = at;
    }
    std::fwrite(out.data() + from, 1, out.size() - from, stdout);
    out.clear();
    errs.clear();
  }
};

// Renders the record `bytes` (at meta.offset) into `ro`, through `walker`
// (whose PEER_INDEX_TABLE it may replace). `printed`: a text record was
// written before (text records are separated by a blank line).
void RenderRecord(const Options& o, wire::Bytes bytes, MrtRecordMeta meta,
                  mrt::RouteWalker& walker, mrt::Record& record, bool& printed,
                  RecordOutput& ro) {
  auto error = [&](const absl::Status& st) {
    ro.failed = true;
    const OutputFormat f = o.bgpdump ? OutputFormat::kText : o.format;
    std::string line = RenderMrtError(bytes, st, f, meta);
    if (o.bgpdump || o.format == OutputFormat::kHex) {
      ro.errs.emplace_back(ro.out.size(), std::move(line));
    } else {
      ro.out += line;
    }
  };
  std::string type_name;
  absl::Status st = mrt::DecodeRecord(bytes, record);
  if (!st.ok()) {
    // The type and subtype from the header alone (the body did not
    // decode; the header may still parse).
    if (absl::StatusOr<mrt::RecordHeader> h = mrt::ParseRecordHeader(bytes);
        h.ok()) {
      type_name = absl::StrCat(mrt::TypeName(h->type), "/",
                               mrt::SubtypeName(h->type, h->subtype));
    }
    meta.type_name = type_name;
    error(st);
    return;
  }
  if (o.bgpdump) {
    BgpdumpOptions bgpdump_options;
    bgpdump_options.only_bgpdump_families = true;
    bgpdump_options.skipped_routes = &ro.skipped;
    st = AppendBgpdump(&ro.out, record, walker, bgpdump_options);
  } else {
    if (o.format == OutputFormat::kText && printed) ro.out.push_back('\n');
    st = AppendMrtRecord(&ro.out, record, walker, o.format, meta);
    printed = true;
  }
  if (!st.ok()) {
    type_name = absl::StrCat(
        mrt::TypeName(record.header.type), "/",
        mrt::SubtypeName(record.header.type, record.header.subtype));
    meta.type_name = type_name;
    // JSON and text already carry the error in the record's rendering.
    if (o.bgpdump || o.format == OutputFormat::kHex) {
      error(st);
    } else {
      ro.failed = true;
    }
  }
}

// The end of a run: the skipped-families note and the exit code.
int FinishMrt(const RecordOutput& ro) {
  if (ro.skipped > 0) {
    std::fprintf(stderr,
                 "bgpy-decode: %llu routes of families bgpdump does not print "
                 "were left out (--format=json shows them)\n",
                 static_cast<unsigned long long>(ro.skipped));
  }
  return ro.failed ? kExitDecodeError : kExitOk;
}

// A run of consecutive records rendered on a worker thread.
struct Batch {
  std::vector<uint8_t> bytes;  // the records back to back
  // Per record: its end in `bytes` and its offset in the file.
  std::vector<std::pair<size_t, uint64_t>> records;
  // The PEER_INDEX_TABLE record in force where the batch starts, if any.
  std::shared_ptr<const std::vector<uint8_t>> table;
  RecordOutput result;
  uint64_t routes = 0;
  bool done = false;
};

// Records rendered on `threads` worker threads, written in file order: the
// output is the same as one thread's. Only for the bgpdump and json formats
// (no state passes from one record's text to the next). Memory stays
// bounded: at most 2 batches per thread are read ahead.
int DecodeMrtParallel(const Options& o, mrt::FileReader& reader,
                      const std::string& source, int threads) {
  // Small enough that a batch's records and their text stay in the cache
  // of the core that renders them (1 MB batches took 25 % more CPU and
  // wall time on the bench dump: the text went cold between the worker's
  // writing and the reader's output).
  constexpr size_t kBatchBytes = size_t{1} << 17;
  constexpr size_t kBatchRecords = 8192;
  const size_t max_inflight = 2 * static_cast<size_t>(threads);
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<Batch*> pending;                   // not yet taken by a worker
  std::deque<std::unique_ptr<Batch>> inflight;  // in file order
  bool stop = false;

  auto work = [&] {
    mrt::Record record;
    while (true) {
      Batch* b = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu);
        work_cv.wait(lock, [&] { return stop || !pending.empty(); });
        if (pending.empty()) return;
        b = pending.front();
        pending.pop_front();
      }
      mrt::RouteWalker walker;
      if (b->table != nullptr && mrt::DecodeRecord(*b->table, record).ok()) {
        // Gives the walker the peers (a table yields no routes).
        (void)walker.Walk(record, [](const mrt::Route&) {});
      }
      bool printed = false;
      size_t begin = 0;
      for (const auto& [end, offset] : b->records) {
        MrtRecordMeta meta;
        meta.source = source;
        meta.offset = offset;
        RenderRecord(o, wire::Bytes(b->bytes.data() + begin, end - begin), meta,
                     walker, record, printed, b->result);
        begin = end;
      }
      std::lock_guard<std::mutex> lock(mu);
      b->routes = walker.routes();
      b->done = true;
      done_cv.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) workers.emplace_back(work);

  RecordOutput total;
  uint64_t records = 0, routes = 0;
  std::vector<std::unique_ptr<Batch>> spare;  // written batches, for reuse
  Progress progress;
  // Writes the finished batches at the front; with `wait`, waits for the
  // front one first.
  auto drain = [&](bool wait) {
    std::unique_lock<std::mutex> lock(mu);
    while (!inflight.empty()) {
      Batch& front = *inflight.front();
      if (!front.done) {
        if (!wait) return;
        done_cv.wait(lock, [&] { return front.done; });
      }
      std::unique_ptr<Batch> b = std::move(inflight.front());
      inflight.pop_front();
      lock.unlock();
      b->result.Emit();
      total.failed |= b->result.failed;
      total.skipped += b->result.skipped;
      routes += b->routes;
      progress.Tick(records, routes, reader.compressed_bytes());
      // Reused, memory and all (no allocation and page faults per batch).
      b->bytes.clear();
      b->records.clear();
      b->table.reset();
      b->result.failed = false;
      b->result.skipped = 0;
      b->routes = 0;
      b->done = false;
      spare.push_back(std::move(b));
      lock.lock();
      wait = false;
    }
  };
  std::shared_ptr<const std::vector<uint8_t>> table;
  std::unique_ptr<Batch> batch;
  auto submit = [&] {
    if (batch == nullptr || batch->records.empty()) return;
    {
      std::lock_guard<std::mutex> lock(mu);
      pending.push_back(batch.get());
      inflight.push_back(std::move(batch));
    }
    work_cv.notify_one();
    drain(false);
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (inflight.size() < max_inflight) break;
      }
      drain(true);
    }
  };
  absl::Status read_error;
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = reader.Next();
    if (!next.ok()) {
      read_error = next.status();
      break;
    }
    if (!next->has_value()) break;
    ++records;
    const wire::Bytes bytes = **next;
    if (batch == nullptr) {
      if (spare.empty()) {
        batch = std::make_unique<Batch>();
        batch->bytes.reserve(kBatchBytes + (size_t{1} << 16));
      } else {
        batch = std::move(spare.back());
        spare.pop_back();
      }
      batch->table = table;
    }
    batch->bytes.insert(batch->bytes.end(), bytes.begin(), bytes.end());
    batch->records.emplace_back(batch->bytes.size(), reader.offset());
    // A PEER_INDEX_TABLE serves the records after it, in later batches too.
    if (absl::StatusOr<mrt::RecordHeader> h = mrt::ParseRecordHeader(bytes);
        h.ok() && h->type == static_cast<uint16_t>(mrt::Type::kTableDumpV2) &&
        h->subtype ==
            static_cast<uint16_t>(mrt::TableDumpV2Subtype::kPeerIndexTable)) {
      table = std::make_shared<const std::vector<uint8_t>>(bytes.begin(),
                                                           bytes.end());
    }
    if (batch->bytes.size() >= kBatchBytes ||
        batch->records.size() >= kBatchRecords) {
      submit();
    }
  }
  submit();
  drain(true);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (inflight.empty()) break;
    }
    drain(true);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
  }
  work_cv.notify_all();
  for (std::thread& t : workers) t.join();
  if (!read_error.ok()) {
    // The reader cannot go on past a damaged length (its errors are
    // final); it already skips what it can. The message names the offset
    // and type itself.
    total.failed = true;
    std::fflush(stdout);
    std::fprintf(stderr, "bgpy-decode: %s\n",
                 std::string(read_error.message()).c_str());
  }
  progress.Finish(records, routes, reader.compressed_bytes());
  return FinishMrt(total);
}

// The worker threads --threads asks for (0: one per core, at most 8).
int MrtThreads(const Options& o) {
  if (!o.bgpdump && o.format != OutputFormat::kJson) return 1;
  if (o.threads > 0) return o.threads;
  const unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(cores, 1u, 8u));
}

// Reads every record of `file`; the exit code.
int DecodeMrt(const Options& o) {
  mrt::FileReader reader;
  if (absl::Status st = reader.Open(o.file); !st.ok()) {
    std::fprintf(stderr, "bgpy-decode: %s\n",
                 std::string(st.message()).c_str());
    return kExitUsage;
  }
  const std::string source = o.file == "-" ? "stdin" : o.file;
  if (const int threads = MrtThreads(o); threads > 1) {
    return DecodeMrtParallel(o, reader, source, threads);
  }
  mrt::RouteWalker walker;
  mrt::Record record;
  RecordOutput ro;
  ro.out.reserve(1 << 20);
  bool printed = false;
  uint64_t records = 0;
  Progress progress;
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = reader.Next();
    if (!next.ok()) {
      // The reader cannot go on past a damaged length (its errors are
      // final); it already skips what it can. The message names the
      // offset and type itself.
      ro.failed = true;
      ro.Emit();
      std::fprintf(stderr, "bgpy-decode: %s\n",
                   std::string(next.status().message()).c_str());
      break;
    }
    if (!next->has_value()) break;
    ++records;
    MrtRecordMeta meta;
    meta.source = source;
    meta.offset = reader.offset();
    RenderRecord(o, **next, meta, walker, record, printed, ro);
    if (ro.out.size() >= (1 << 20) || !ro.errs.empty()) ro.Emit();
    progress.Tick(records, walker.routes(), reader.compressed_bytes());
  }
  ro.Emit();
  progress.Finish(records, walker.routes(), reader.compressed_bytes());
  return FinishMrt(ro);
}
#endif  // BGPY_HAVE_MRT

int Main(int argc, char** argv) {
  const std::vector<std::string> positional =
      ParseToolCommandLine(argc, argv, kUsage, "decode.cc");
  absl::StatusOr<Options> options = ParseOptions(positional);
  if (!options.ok()) {
    std::fprintf(stderr, "bgpy-decode: %s\n",
                 std::string(options.status().message()).c_str());
    return kExitUsage;
  }

#ifdef BGPY_HAVE_MRT
  if (options->input == Input::kMrt) {
    const int rc = DecodeMrt(*options);
    std::fflush(stdout);
    return rc;
  }
#endif
  FILE* in = stdin;
  if (options->file != "-") {
    in = std::fopen(options->file.c_str(), "rb");
    if (in == nullptr) {
      std::fprintf(stderr, "bgpy-decode: cannot open %s: %s\n",
                   options->file.c_str(), std::strerror(errno));
      return kExitUsage;
    }
  }
  Decoder decoder(*options);
  if (options->input == Input::kHex) {
    DecodeHex(in, decoder);
  } else {
    DecodeRaw(in, decoder);
  }
  bool read_error = std::ferror(in);
  if (in != stdin) std::fclose(in);
  std::fflush(stdout);
  if (read_error) {
    std::fprintf(stderr, "bgpy-decode: error reading %s\n",
                 options->file.c_str());
    return kExitUsage;
  }
  return decoder.failed() ? kExitDecodeError : kExitOk;
}

}  // namespace
}  // namespace bgpy::tools

int main(int argc, char** argv) { return bgpy::tools::Main(argc, argv); }
