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

#include <memory>

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
    "              [FILE|-]\n"
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
    "others are counted on stderr (--format=json shows them).\n"
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

// Reads every record of `file`; the exit code.
int DecodeMrt(const Options& o) {
  mrt::FileReader reader;
  if (absl::Status st = reader.Open(o.file); !st.ok()) {
    std::fprintf(stderr, "bgpy-decode: %s\n",
                 std::string(st.message()).c_str());
    return kExitUsage;
  }
  const std::string source = o.file == "-" ? "stdin" : o.file;
  mrt::RouteWalker walker;
  mrt::Record record;
  std::string out;
  out.reserve(1 << 20);
  bool failed = false;
  bool printed = false;
  uint64_t records = 0, routes_skipped = 0;
  Progress progress;
  BgpdumpOptions bgpdump_options;
  bgpdump_options.only_bgpdump_families = true;
  bgpdump_options.skipped_routes = &routes_skipped;
  auto flush = [&](bool force) {
    if (out.size() >= (1 << 20) || (force && !out.empty())) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  };
  // Errors: stderr in bgpdump and hex formats (stdout carries only their
  // lines), in line in json and text.
  auto error = [&](wire::Bytes bytes, const absl::Status& st,
                   const MrtRecordMeta& meta) {
    failed = true;
    const OutputFormat f = o.bgpdump ? OutputFormat::kText : o.format;
    std::string line = RenderMrtError(bytes, st, f, meta);
    if (o.bgpdump || o.format == OutputFormat::kHex) {
      flush(true);
      std::fwrite(line.data(), 1, line.size(), stderr);
    } else {
      out += line;
    }
  };
  while (true) {
    absl::StatusOr<std::optional<wire::Bytes>> next = reader.Next();
    MrtRecordMeta meta;
    meta.source = source;
    meta.offset = reader.offset();
    if (!next.ok()) {
      // The reader cannot go on past a damaged length (its errors are
      // final); it already skips what it can.
      failed = true;
      flush(true);
      // The message names the offset and type itself.
      std::fprintf(stderr, "bgpy-decode: %s\n",
                   std::string(next.status().message()).c_str());
      break;
    }
    if (!next->has_value()) break;
    ++records;
    const wire::Bytes bytes = **next;
    absl::Status st = mrt::DecodeRecord(bytes, record);
    std::string type_name;
    if (!st.ok()) {
      // The type and subtype from the header alone (the body did not
      // decode; the header may still parse).
      if (absl::StatusOr<mrt::RecordHeader> h = mrt::ParseRecordHeader(bytes);
          h.ok()) {
        type_name = absl::StrCat(mrt::TypeName(h->type), "/",
                                 mrt::SubtypeName(h->type, h->subtype));
      }
      meta.type_name = type_name;
      error(bytes, st, meta);
      continue;
    }
    if (o.bgpdump) {
      st = AppendBgpdump(&out, record, walker, bgpdump_options);
    } else {
      if (o.format == OutputFormat::kText && printed) out.push_back('\n');
      st = AppendMrtRecord(&out, record, walker, o.format, meta);
      printed = true;
    }
    if (!st.ok()) {
      type_name = absl::StrCat(
          mrt::TypeName(record.header.type), "/",
          mrt::SubtypeName(record.header.type, record.header.subtype));
      meta.type_name = type_name;
      // JSON and text already carry the error in the record's rendering.
      if (o.bgpdump || o.format == OutputFormat::kHex) {
        error(bytes, st, meta);
      } else {
        failed = true;
      }
    }
    flush(false);
    progress.Tick(records, walker.routes(), reader.compressed_bytes());
  }
  flush(true);
  progress.Finish(records, walker.routes(), reader.compressed_bytes());
  if (routes_skipped > 0) {
    std::fprintf(stderr,
                 "bgpy-decode: %llu routes of families bgpdump does not print "
                 "were left out (--format=json shows them)\n",
                 static_cast<unsigned long long>(routes_skipped));
  }
  return failed ? kExitDecodeError : kExitOk;
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
