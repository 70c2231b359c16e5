// Copyright 2026 The bgpy Authors.
//
// file_reader.cc: mrt::FileReader. Raw input, gzip (zlib inflate with
// automatic header detection, concatenated members) and bzip2
// (BZ2_bzDecompress, concatenated streams), split into whole records in one
// bounded buffer.
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/errors.h"
#include "bgpy/mrt.h"
#include "bgpy/mrt_file.h"

namespace bgpy::mrt {
namespace {

constexpr size_t kInputChunk = size_t{256} << 10;
constexpr size_t kInitialBuffer = size_t{1} << 20;

}  // namespace

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kBzip2:
      return "bzip2";
  }
  return "?";
}

struct FileReader::Impl {
  std::string path;
  int fd = -1;
  bool own_fd = false;
  Compression compression = Compression::kNone;

  // Compressed (or raw) input not yet consumed: in[in_pos, in_end).
  std::vector<uint8_t> in;
  size_t in_pos = 0, in_end = 0;
  bool in_eof = false;

  // Decompressor state.
  z_stream zs{};
  bool zs_init = false;
  bz_stream bz{};
  bool bz_init = false;
  // A compressed stream (member) has started and not yet ended.
  bool in_stream = false;

  // Uncompressed octets not yet returned: buf[begin, end).
  std::vector<uint8_t> buf;
  size_t begin = 0, end = 0;
  bool out_eof = false;

  uint64_t compressed = 0;
  uint64_t uncompressed = 0;  // octets returned as records
  uint64_t produced = 0;      // uncompressed octets produced so far
  uint64_t last_offset = 0;
  absl::Status error;

  ~Impl() {
    if (zs_init) inflateEnd(&zs);
    if (bz_init) BZ2_bzDecompressEnd(&bz);
    if (own_fd && fd >= 0) ::close(fd);
  }

  // Reads more input into `in` (after compacting). False at EOF.
  absl::Status ReadInput() {
    if (in_pos > 0) {
      std::memmove(in.data(), in.data() + in_pos, in_end - in_pos);
      in_end -= in_pos;
      in_pos = 0;
    }
    if (in_end < in.size()) {
      // One read per call keeps latency low on pipes.
      absl::StatusOr<size_t> n =
          ReadSome(in.data() + in_end, in.size() - in_end);
      if (!n.ok()) return n.status();
      in_end += *n;
    }
    return absl::OkStatus();
  }

  // One read(2) of up to `cap` octets at `dst` (retried on EINTR): the
  // octets read, 0 at the end of the input (then in_eof is set).
  absl::StatusOr<size_t> ReadSome(uint8_t* dst, size_t cap) {
    while (!in_eof) {
      const ssize_t n = ::read(fd, dst, cap);
      if (n < 0) {
        if (errno == EINTR) continue;
        return absl::InternalError(
            absl::StrCat(path, ": read: ", std::strerror(errno)));
      }
      if (n == 0) {
        in_eof = true;
        break;
      }
      compressed += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
    return size_t{0};
  }

  // Produces up to `cap` uncompressed octets at `dst`; 0 at the end.
  absl::StatusOr<size_t> Produce(uint8_t* dst, size_t cap) {
    // Uncompressed input goes straight into `dst` once the octets read
    // at Open() are used up (one copy fewer).
    if (compression == Compression::kNone && in_pos == in_end) {
      return ReadSome(dst, cap);
    }
    while (true) {
      if (in_pos == in_end && !in_eof) {
        absl::Status st = ReadInput();
        if (!st.ok()) return st;
        continue;
      }
      switch (compression) {
        case Compression::kNone: {
          const size_t n = std::min(cap, in_end - in_pos);
          std::memcpy(dst, in.data() + in_pos, n);
          in_pos += n;
          if (n == 0 && !in_eof) continue;
          return n;
        }
        case Compression::kGzip: {
          if (in_pos == in_end && in_eof) {
            if (in_stream) {
              return absl::DataLossError(absl::StrCat(
                  path, ": gzip stream cut short at uncompressed offset ",
                  produced));
            }
            return size_t{0};
          }
          if (!in_stream) {
            if (inflateReset(&zs) != Z_OK) {
              return absl::InternalError("inflateReset failed");
            }
            in_stream = true;
          }
          zs.next_in = in.data() + in_pos;
          zs.avail_in = static_cast<uInt>(in_end - in_pos);
          zs.next_out = dst;
          zs.avail_out = static_cast<uInt>(cap);
          const int rc = inflate(&zs, Z_NO_FLUSH);
          in_pos = in_end - zs.avail_in;
          const size_t n = cap - zs.avail_out;
          if (rc == Z_STREAM_END) {
            in_stream = false;  // a next member may follow
          } else if (rc == Z_BUF_ERROR) {
            if (n == 0 && in_eof && in_pos == in_end) {
              return absl::DataLossError(absl::StrCat(
                  path, ": gzip stream cut short at uncompressed offset ",
                  produced));
            }
          } else if (rc != Z_OK) {
            return absl::DataLossError(
                absl::StrCat(path, ": gzip data error at compressed offset ",
                             compressed - (in_end - in_pos), ": ",
                             zs.msg != nullptr ? zs.msg : "inflate failed"));
          }
          if (n > 0) return n;
          continue;
        }
        case Compression::kBzip2: {
          if (in_pos == in_end && in_eof) {
            if (in_stream) {
              return absl::DataLossError(absl::StrCat(
                  path, ": bzip2 stream cut short at uncompressed offset ",
                  produced));
            }
            return size_t{0};
          }
          if (!in_stream) {
            if (bz_init) {
              BZ2_bzDecompressEnd(&bz);
              bz_init = false;
            }
            std::memset(&bz, 0, sizeof(bz));
            if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK) {
              return absl::InternalError("BZ2_bzDecompressInit failed");
            }
            bz_init = true;
            in_stream = true;
          }
          bz.next_in = reinterpret_cast<char*>(in.data() + in_pos);
          bz.avail_in = static_cast<unsigned>(in_end - in_pos);
          bz.next_out = reinterpret_cast<char*>(dst);
          bz.avail_out = static_cast<unsigned>(cap);
          const int rc = BZ2_bzDecompress(&bz);
          in_pos = in_end - bz.avail_in;
          const size_t n = cap - bz.avail_out;
          if (rc == BZ_STREAM_END) {
            in_stream = false;
          } else if (rc != BZ_OK) {
            return absl::DataLossError(absl::StrCat(
                path, ": bzip2 data error ", rc, " at compressed offset ",
                compressed - (in_end - in_pos)));
          }
          if (n > 0) return n;
          continue;
        }
      }
    }
  }

  // Makes at least `want` octets available at buf[begin]; fewer only at
  // the end of the input.
  absl::Status Fill(size_t want) {
    if (end - begin >= want) return absl::OkStatus();
    if (buf.size() - begin < want) {
      // Compact, then grow to fit the record.
      if (begin > 0) {
        std::memmove(buf.data(), buf.data() + begin, end - begin);
        end -= begin;
        begin = 0;
      }
      if (buf.size() < want) buf.resize(want);
    }
    while (end - begin < want && !out_eof) {
      absl::StatusOr<size_t> n = Produce(buf.data() + end, buf.size() - end);
      if (!n.ok()) return n.status();
      if (*n == 0) {
        out_eof = true;
        break;
      }
      end += *n;
      produced += *n;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<wire::Bytes>> Next() {
    if (!error.ok()) return error;
    if (fd < 0) {
      return absl::FailedPreconditionError("mrt::FileReader: not open");
    }
    const uint64_t at = uncompressed;
    absl::Status st = Fill(kHeaderSize);
    if (!st.ok()) return error = st;
    const size_t have = end - begin;
    if (have == 0) return std::optional<wire::Bytes>();
    if (have < kHeaderSize) {
      return error = absl::DataLossError(absl::StrCat(
                 path, ": record header at offset ", at, " cut short: ", have,
                 " of ", kHeaderSize, " octets before the end of the input"));
    }
    const uint8_t* h = buf.data() + begin;
    const uint16_t type = static_cast<uint16_t>((h[4] << 8) | h[5]);
    const uint16_t subtype = static_cast<uint16_t>((h[6] << 8) | h[7]);
    const uint32_t length = (uint32_t{h[8]} << 24) | (uint32_t{h[9]} << 16) |
                            (uint32_t{h[10]} << 8) | h[11];
    if (length > kMaxRecordSize - kHeaderSize) {
      return error = absl::DataLossError(absl::StrCat(
                 path, ": record at offset ", at, " (", TypeName(type), " ",
                 SubtypeName(type, subtype), ") has length ", length,
                 ", over the ", kMaxRecordSize,
                 "-octet limit; reading stops (cannot resynchronise)"));
    }
    const size_t size = kHeaderSize + size_t{length};
    st = Fill(size);
    if (!st.ok()) return error = st;
    if (end - begin < size) {
      return error = absl::DataLossError(absl::StrCat(
                 path, ": record at offset ", at, " (", TypeName(type), " ",
                 SubtypeName(type, subtype), ") cut short: ", end - begin,
                 " of ", size, " octets before the end of the input"));
    }
    const wire::Bytes rec(buf.data() + begin, size);
    begin += size;
    uncompressed += size;
    last_offset = at;
    return std::optional<wire::Bytes>(rec);
  }
};

FileReader::FileReader() : impl_(std::make_unique<Impl>()) {}
FileReader::~FileReader() = default;
FileReader::FileReader(FileReader&&) noexcept = default;
FileReader& FileReader::operator=(FileReader&&) noexcept = default;

absl::Status FileReader::Open(const std::string& path) {
  impl_ = std::make_unique<Impl>();
  Impl& m = *impl_;
  m.path = path;
  if (path == "-") {
    m.fd = STDIN_FILENO;
  } else {
    m.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m.fd < 0) {
      const int e = errno;
      const std::string msg = absl::StrCat(path, ": ", std::strerror(e));
      if (e == ENOENT) return absl::NotFoundError(msg);
      if (e == EACCES) return absl::PermissionDeniedError(msg);
      return absl::InternalError(msg);
    }
    m.own_fd = true;
  }
  m.in.resize(kInputChunk);
  m.buf.resize(kInitialBuffer);
  // Enough octets for the magic (short reads from pipes included).
  while (m.in_end < 3 && !m.in_eof) {
    BGPY_RETURN_IF_ERROR(m.ReadInput());
  }
  const uint8_t* p = m.in.data();
  if (m.in_end >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
    m.compression = Compression::kGzip;
    // 15 + 32: a window of 2^15 and automatic gzip/zlib header detection.
    if (inflateInit2(&m.zs, 15 + 32) != Z_OK) {
      return absl::InternalError("inflateInit2 failed");
    }
    m.zs_init = true;
  } else if (m.in_end >= 3 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h') {
    m.compression = Compression::kBzip2;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<wire::Bytes>> FileReader::Next() {
  return impl_->Next();
}
uint64_t FileReader::offset() const { return impl_->last_offset; }
uint64_t FileReader::compressed_bytes() const { return impl_->compressed; }
uint64_t FileReader::uncompressed_bytes() const { return impl_->uncompressed; }
Compression FileReader::compression() const { return impl_->compression; }
const std::string& FileReader::path() const { return impl_->path; }

}  // namespace bgpy::mrt
