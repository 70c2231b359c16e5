// Copyright 2026 The bgpy Authors.
#include "bgpy/nlri.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/errors.h"
#include "bgpy/hex.h"
#include "families/registry.h"

namespace bgpy {
// --- NlriView ------------------------------------------------------------

void NlriView::Iterator::AdvanceSlow() {
  if (desc_ == nullptr || desc_->split_entry == nullptr) {
    r_.ReadBytes(r_.remaining(), cur_.bytes);
    return;
  }
  if (!desc_->split_entry(r_, cur_.bytes, nullptr)) done_ = true;
}

NlriView::Iterator NlriView::begin() const {
  if (data_.empty()) return Iterator();
  return Iterator(FindFamily(family_), data_, add_path_);
}

size_t NlriView::size() const {
  size_t n = 0;
  for (auto it = begin(); it != end(); ++it) ++n;
  return n;
}

absl::Status NlriView::Validate(Family family, wire::Bytes data, bool add_path,
                                uint8_t subcode) {
  if (data.empty())
    return absl::OkStatus();  // no entries (the usual withdrawn field)
  const FamilyDesc* d = FindFamily(family);
  if (d != nullptr && d->prefix_bits != 0) {
    // The hot path: a raw walk for IP-prefix families. Only when it finds
    // something wrong does the loop below run to say what.
    const uint8_t* p = data.data();
    const uint8_t* const end = p + data.size();
    const size_t id_size = add_path ? 4 : 0;
    bool clean = true;
    while (p != end) {
      if (static_cast<size_t>(end - p) < id_size + 1) {
        clean = false;
        break;
      }
      p += id_size;
      const unsigned len = *p;
      const size_t n = (len + 7u) >> 3;
      if (len > d->prefix_bits || static_cast<size_t>(end - p) - 1 < n) {
        clean = false;
        break;
      }
      p += 1 + n;
    }
    if (clean) return absl::OkStatus();
  }
  wire::Reader r(data);
  size_t index = 0;
  while (!r.empty()) {
    size_t at = r.offset();
    if (add_path) {
      uint32_t id;
      if (!r.ReadU32(id)) {
        return NotifyError(
            ErrorCode::kUpdateMessage, subcode, {},
            absl::StrFormat("%s NLRI entry %d at offset %d: path identifier "
                            "truncated (%d octets left)",
                            FamilyName(family), index, at, r.remaining()));
      }
    }
    if (d == nullptr || d->split_entry == nullptr) break;
    wire::Bytes entry;
    std::string why;
    if (!d->split_entry(r, entry, &why)) {
      return NotifyError(ErrorCode::kUpdateMessage, subcode, {},
                         absl::StrFormat("%s NLRI entry %d at offset %d: %s",
                                         FamilyName(family), index, at, why));
    }
    ++index;
  }
  return absl::OkStatus();
}

// --- IP prefixes ------------------------------------------------------------

absl::StatusOr<Prefix> DecodeIpPrefix(Afi afi, wire::Bytes entry) {
  const int max_bits = afi == Afi::kIpv6 ? 128 : 32;
  if (entry.empty()) return absl::InvalidArgumentError("empty prefix");
  const int len = entry[0];
  if (len > max_bits) {
    return absl::InvalidArgumentError(
        absl::StrFormat("prefix length %d exceeds %d", len, max_bits));
  }
  const size_t nbytes = (len + 7) / 8;
  if (entry.size() != 1 + nbytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("prefix length %d needs %d octets, have %d", len,
                        nbytes, entry.size() - 1));
  }
  uint8_t bytes[16] = {};
  if (nbytes) std::memcpy(bytes, entry.data() + 1, nbytes);
  if (len % 8) bytes[nbytes - 1] &= static_cast<uint8_t>(0xff << (8 - len % 8));
  IpAddress a =
      afi == Afi::kIpv6 ? IpAddress::V6Bytes(bytes) : IpAddress::V4Bytes(bytes);
  return PrefixInternal::Unchecked(a, len);
}

bool EncodeIpPrefix(const Prefix& p, wire::Writer& w) {
  return w.WriteU8(static_cast<uint8_t>(p.length())) &&
         w.WriteBytes(wire::Bytes(p.address().bytes(), p.nlri_bytes()));
}

std::string FormatNlriEntry(Family f, wire::Bytes entry) {
  NlriValue v;
  if (!DecodeNlri(f, entry, v).ok()) return HexString(entry);
  return NlriText(f, v);
}

NlriEntry NlriEntry::FromPrefix(const Prefix& p,
                                std::optional<uint32_t> path_id) {
  NlriEntry e;
  e.path_id = path_id;
  e.bytes.push_back(static_cast<uint8_t>(p.length()));
  e.bytes.insert(e.bytes.end(), p.address().bytes(),
                 p.address().bytes() + p.nlri_bytes());
  return e;
}

absl::StatusOr<NlriEntry> NlriEntry::FromValue(
    Family f, const NlriValue& v, std::optional<uint32_t> path_id) {
  NlriEntry e;
  e.path_id = path_id;
  std::vector<uint8_t> buf;
  wire::Writer w(&buf);
  if (!EncodeNlri(f, v, w)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the value is not a ", FamilyName(f), " NLRI"));
  }
  w.Finish();
  e.bytes.assign(buf.begin(), buf.end());
  return e;
}

NlriEntry NlriEntry::FromView(const NlriEntryView& v) {
  NlriEntry e;
  e.path_id = v.path_id;
  e.bytes.assign(v.bytes.begin(), v.bytes.end());
  return e;
}

bool EncodeNlriEntries(absl::Span<const NlriEntry> entries, bool add_path,
                       wire::Writer& w) {
  for (const NlriEntry& e : entries) {
    if (add_path && !w.WriteU32(e.path_id.value_or(0))) return false;
    if (!w.WriteBytes(wire::Bytes(e.bytes.data(), e.bytes.size())))
      return false;
  }
  return w.ok();
}

size_t NlriEntriesEncodedSize(absl::Span<const NlriEntry> entries,
                              bool add_path) {
  size_t n = 0;
  for (const NlriEntry& e : entries) n += e.bytes.size() + (add_path ? 4 : 0);
  return n;
}

}  // namespace bgpy
