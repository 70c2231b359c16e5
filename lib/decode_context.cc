// Copyright 2026 The bgpy Authors.
#include "bgpy/decode_context.h"

#include <utility>

#include "bgpy/negotiate.h"
#include "bgpy/nlri.h"
#include "bgpy/update.h"

namespace bgpy {
namespace {

bool IsIpFamily(Family f) {
  return (f.afi == Afi::kIpv4 || f.afi == Afi::kIpv6) &&
         (f.safi == Safi::kUnicast || f.safi == Safi::kMulticast);
}

// An IP NLRI field that reads oddly: a prefix with bits set beyond its
// length, or, without path ids, a /0 entry (the zero octets of a small path
// id).
bool ImplausibleField(const NlriView& v) {
  if (!IsIpFamily(v.family())) return false;
  for (const NlriEntryView& e : v) {
    if (e.bytes.empty()) continue;
    const uint8_t length = e.bytes[0];
    if (length == 0 && !v.add_path()) return true;
    if (length % 8 != 0 && e.bytes.size() > 1 &&
        (e.bytes.back() & (0xff >> (length % 8))) != 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ImplausibleReading(const UpdateView& view) {
  if (ImplausibleField(view.withdrawn()) || ImplausibleField(view.nlri()))
    return true;
  if (auto v = view.mp_reach_nlri(); v && ImplausibleField(*v)) return true;
  if (auto v = view.mp_unreach_nlri(); v && ImplausibleField(*v)) return true;
  return false;
}

void DecodeContext::OnOpen(const Open& open) {
  opens_.push_back(open);
  if (opens_.size() > 2) opens_.pop_front();
}

std::vector<SessionParams> DecodeContext::Candidates() const {
  std::vector<SessionParams> readings;
  if (opens_.size() == 2) {
    readings.push_back(ParamsFromOpens(opens_[0], opens_[1]));
    SessionParams back = ParamsFromOpens(opens_[1], opens_[0]);
    if (!(back == readings[0])) readings.push_back(back);
  } else {
    std::vector<Family> all = {kIpv4Unicast};
    for (Family f : DecodedFamilies())
      if (f != kIpv4Unicast) all.push_back(f);
    for (bool four : {true, false}) {
      for (bool add_path : {false, true}) {
        SessionParams p;
        p.four_octet_as = four;
        if (add_path)
          for (Family f : all) p.SetAddPath(f, true);
        readings.push_back(p);
      }
    }
  }
  std::vector<SessionParams> out;
  for (SessionParams p : readings) {
    p.extended_message = true;
    if (fixed_.four_octet_as) p.four_octet_as = *fixed_.four_octet_as;
    if (fixed_.add_path) {
      for (Family f : std::vector<Family>(p.add_path_families().begin(),
                                          p.add_path_families().end()))
        p.SetAddPath(f, false);
      for (Family f : *fixed_.add_path) p.SetAddPath(f, true);
    }
    bool seen = false;
    for (const SessionParams& q : out) seen = seen || q == p;
    if (!seen) out.push_back(p);
  }
  return out;
}

SessionParams DecodeContext::For(wire::Bytes message) const {
  const std::vector<SessionParams> candidates = Candidates();
  const bool is_update =
      message.size() >= kHeaderSize &&
      message[kHeaderSize - 1] == static_cast<uint8_t>(MessageType::kUpdate);
  if (!is_update || candidates.size() == 1) return candidates[0];
  std::optional<size_t> implausible, parsed;
  for (size_t i = 0; i < candidates.size(); ++i) {
    absl::StatusOr<UpdateView> view = UpdateView::Parse(message, candidates[i]);
    if (!view.ok()) continue;
    if (!parsed) parsed = i;
    if (view->verdict() != Verdict::kOk) continue;
    if (ImplausibleReading(*view)) {
      if (!implausible) implausible = i;
      continue;
    }
    return candidates[i];
  }
  if (implausible) return candidates[*implausible];
  if (parsed) return candidates[*parsed];
  return candidates[0];
}

}  // namespace bgpy
