// Copyright 2026 The bgpy Authors.
//
// mrt_file.h: reads MRT records from a file, raw or compressed (gzip,
// bzip2; detected by their magic bytes), in bounded memory. Part of
// bgpy::mrt (the only bgpy target that links zlib and libbz2).
//
//   mrt::FileReader in;
//   BGPY_RETURN_IF_ERROR(in.Open(path));   // "-" reads standard input
//   while (true) {
//     BGPY_ASSIGN_OR_RETURN(std::optional<wire::Bytes> rec, in.Next());
//     if (!rec) break;                     // end of file
//     ... mrt::DecodeRecord(*rec, record) ...
//   }
#ifndef BGPY_MRT_FILE_H_
#define BGPY_MRT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bgpy/wire.h"

namespace bgpy::mrt {

enum class Compression { kNone, kGzip, kBzip2 };

// "none", "gzip", "bzip2".
const char* CompressionName(Compression c);

// Splits a stream of MRT records. Memory stays bounded whatever the file
// size: one buffer that grows only to the largest record (at most
// kMaxRecordSize) plus the decompressor's state.
class FileReader {
 public:
  // A record whose length field asks for more is an error: reading stops
  // there (the stream cannot be resynchronised).
  static constexpr size_t kMaxRecordSize = size_t{16} << 20;

  FileReader();
  ~FileReader();
  FileReader(FileReader&&) noexcept;
  FileReader& operator=(FileReader&&) noexcept;
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Opens `path` ("-": standard input, not closed) and detects its
  // compression from the first octets: 1f 8b gzip, "BZh" bzip2, else raw.
  // Concatenated gzip members and bzip2 streams are read one after
  // another. kNotFound / kPermissionDenied / kInternal from the system.
  absl::Status Open(const std::string& path);

  // The next whole record, header included, or std::nullopt at the end of
  // the input. The bytes are valid until the next call. Errors: an I/O or
  // decompression error, a length field over kMaxRecordSize, or a record
  // cut short by the end of the input; each names the record's offset
  // (and its type where the header was read). Errors are sticky: later
  // calls return the same error.
  absl::StatusOr<std::optional<wire::Bytes>> Next();

  // Offset of the last record Next() returned (uncompressed octets from
  // the start of the input).
  uint64_t offset() const;
  // Octets read from the file so far (compressed), and octets of records
  // produced so far (uncompressed): for a progress line.
  uint64_t compressed_bytes() const;
  uint64_t uncompressed_bytes() const;
  Compression compression() const;
  // The path given to Open().
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bgpy::mrt

#endif  // BGPY_MRT_FILE_H_
