// Copyright 2026 The bgpy Authors.
//
// UpdateView::Parse: the checks of RFC 4271 §6.3 with the outcomes of
// RFC 7606, driven by the attribute and family tables.
#include "bgpy/update.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bgpy/hex.h"

namespace bgpy {
namespace {

// Collects findings and the strongest verdict.
class Verdicts {
 public:
  explicit Verdicts(std::vector<Finding>* out) : out_(out) {}
  void Add(Verdict v, uint8_t code, std::string detail) {
    if (v > strongest_) strongest_ = v;
    if (out_ != nullptr) out_->push_back(Finding{v, code, std::move(detail)});
  }
  Verdict strongest() const { return strongest_; }

 private:
  std::vector<Finding>* out_;
  Verdict strongest_ = Verdict::kOk;
};

// One attribute's framing (RFC 4271 §4.3), inline: false (and `r` not
// moved) when it runs past the list; ReadAttribute then names the error.
inline bool ReadAttributeFast(wire::Reader& r, AttributeView& out) {
  const wire::Bytes b = r.rest();
  const size_t n = b.size();
  if (n < 3) return false;
  size_t hdr = 3;
  size_t len = b[2];
  if (b[0] & kAttrExtendedLength) {
    if (n < 4) return false;
    hdr = 4;
    len = (size_t{b[2]} << 8) | b[3];
  }
  if (n - hdr < len) return false;
  out.flags = b[0];
  out.code = b[1];
  out.value = b.subspan(hdr, len);
  out.raw = b.subspan(0, hdr + len);
  r.Skip(hdr + len);
  return true;
}

// RFC 4271 §6.3: an Optional Attribute Error carries the attribute (type,
// length and value) as its data; NLRI errors inside MP_REACH_NLRI and
// MP_UNREACH_NLRI are found without it, so it is added here.
absl::Status WithAttributeData(absl::Status st, wire::Bytes attribute) {
  if (st.ok()) return st;
  return UpdateError(UpdateSubcode::kOptionalAttributeError, attribute,
                     st.message());
}

// RFC 7606 §7.5, §7.9, §7.10: the attributes discarded whatever their value
// when the peer is external (SessionParams::external), one bit per code.
constexpr uint64_t kExternalDiscard =
    uint64_t{1} << static_cast<uint8_t>(AttrCode::kLocalPref) |
    uint64_t{1} << static_cast<uint8_t>(AttrCode::kOriginatorId) |
    uint64_t{1} << static_cast<uint8_t>(AttrCode::kClusterList);

const char* ExternalDiscardSection(uint8_t code) {
  switch (static_cast<AttrCode>(code)) {
    case AttrCode::kLocalPref:
      return "7.5";
    case AttrCode::kOriginatorId:
      return "7.9";
    default:
      return "7.10";
  }
}

// LookupAttribute's answers for every code, in a table of this file (the
// lookup runs for every attribute of every UPDATE parsed).
const AttributeDesc* const* AttributeRows() {
  static const std::array<const AttributeDesc*, 256>* const rows = [] {
    auto* t = new std::array<const AttributeDesc*, 256>();
    for (size_t code = 0; code < t->size(); ++code) {
      (*t)[code] = LookupAttribute(static_cast<uint8_t>(code));
    }
    return t;
  }();
  return rows->data();
}

}  // namespace

absl::StatusOr<UpdateView> UpdateView::Parse(wire::Bytes message,
                                             const SessionParams& params,
                                             std::vector<Finding>* findings) {
  UpdateView v;
  BGPY_RETURN_IF_ERROR(ParseInto(message, params, v, findings));
  return v;
}

absl::Status UpdateView::ParseInto(wire::Bytes message,
                                   const SessionParams& params, UpdateView& v,
                                   std::vector<Finding>* findings) {
  BGPY_RETURN_IF_ERROR(
      CheckMessage(message, params.max_message_size(), MessageType::kUpdate)
          .status());
  // Back to a default view. (The spans are all set below before any use;
  // a failed parse leaves no valid view.)
  v.present_ = 0;
  v.discarded_ = 0;
  v.verdict_ = Verdict::kOk;
  v.add_path_reach_ = false;
  v.add_path_unreach_ = false;
  v.msg_ = message;
  v.four_octet_ = params.four_octet_as;
  v.add_path_v4_ = params.HasAddPath(kIpv4Unicast);

  // RFC 4271 §6.3: lengths that overrun the message are Malformed
  // Attribute List.
  wire::Reader r(message.subspan(kHeaderSize));
  uint16_t wlen = 0, alen = 0;
  if (!r.ReadU16(wlen) || !r.ReadBytes(wlen, v.withdrawn_)) {
    return UpdateError(UpdateSubcode::kMalformedAttributeList,
                       absl::StrFormat("withdrawn routes length %d exceeds the "
                                       "%d octets left",
                                       wlen, r.remaining()));
  }
  if (!r.ReadU16(alen) || !r.ReadBytes(alen, v.attrs_)) {
    return UpdateError(
        UpdateSubcode::kMalformedAttributeList,
        absl::StrFormat("total path attribute length %d exceeds the %d octets "
                        "left",
                        alen, r.remaining()));
  }
  v.nlri_ = r.rest();

  // RFC 7606 §5.3: a syntactically incorrect IPv4 prefix is a session reset
  // (3/10 Invalid Network Field, RFC 4271 §6.3).
  // (Called with the fields' pointers and sizes as locals, and not at all
  // for an empty field: the usual UPDATE has no withdrawn routes.)
  for (const wire::Bytes field : {v.withdrawn_, v.nlri_}) {
    if (field.empty()) continue;
    BGPY_RETURN_IF_ERROR(NlriView::Validate(
        kIpv4Unicast, wire::Bytes(field.data(), field.size()), v.add_path_v4_,
        static_cast<uint8_t>(UpdateSubcode::kInvalidNetworkField)));
  }

  Verdicts verdicts(findings);
  const AttributeDesc* const* const attribute_rows = AttributeRows();
  std::bitset<256> seen;
  AttrContext ctx{&params};
  const uint64_t external_discard = params.external ? kExternalDiscard : 0;
  wire::Reader ar_reader(v.attrs_);
  while (!ar_reader.empty()) {
    const size_t at = ar_reader.offset();
    AttributeView a;
    if (!ReadAttributeFast(ar_reader, a)) {
      const absl::Status st = ReadAttribute(ar_reader, a);
      // RFC 7606 §4: an attribute whose length runs past the end of the
      // list, or too few octets left for an attribute header (its second
      // case), is treat-as-withdraw (the total attribute length still
      // locates the NLRI), unless it is MP_REACH or MP_UNREACH, whose NLRI
      // would be lost (§3, last paragraph: session reset), or a lone octet
      // leaves even its type unknown. Nothing after it can be parsed.
      const wire::Bytes rest = ar_reader.rest();
      if (rest.size() < 2 ||
          rest[1] == static_cast<uint8_t>(AttrCode::kMpReachNlri) ||
          rest[1] == static_cast<uint8_t>(AttrCode::kMpUnreachNlri)) {
        return st;
      }
      verdicts.Add(Verdict::kTreatAsWithdraw, rest[1],
                   absl::StrCat(st.message(), " (RFC 7606 §4)"));
      if (rest[1] < 64) v.discarded_ |= uint64_t{1} << rest[1];
      break;
    }
    const AttributeDesc* desc = attribute_rows[a.code];
    // RFC 7606 §3(g): MP_REACH/MP_UNREACH twice is a session reset; any
    // other repeat is discarded (all but the first occurrence).
    if (seen[a.code]) {
      if (a.code == static_cast<uint8_t>(AttrCode::kMpReachNlri) ||
          a.code == static_cast<uint8_t>(AttrCode::kMpUnreachNlri)) {
        return UpdateError(UpdateSubcode::kMalformedAttributeList,
                           absl::StrFormat("%s appears more than once",
                                           AttributeName(a.code)));
      }
      verdicts.Add(Verdict::kAttributeDiscard, a.code,
                   absl::StrFormat("repeated %s discarded (RFC 7606 §3(g))",
                                   AttributeName(a.code)));
      continue;
    }
    seen[a.code] = true;
    if (a.code < 64) {
      v.where_[a.code] = static_cast<uint16_t>(at);
      v.present_ |= uint64_t{1} << a.code;
    }

    // RFC 7606 §7.5, §7.9, §7.10 (and RFC 4271 §5.1.5): from an external
    // peer these are attribute discard, before and instead of any check of
    // their flags or value, so a malformed one is never treat-as-withdraw.
    if (a.code < 64 && (external_discard >> a.code & 1)) {
      verdicts.Add(Verdict::kAttributeDiscard, a.code,
                   absl::StrFormat("%s from an external peer discarded "
                                   "(RFC 7606 §%s)",
                                   AttributeName(a.code),
                                   ExternalDiscardSection(a.code)));
      v.discarded_ |= uint64_t{1} << a.code;
      continue;
    }

    if (desc == nullptr) {
      // RFC 4271 §6.3: an unrecognized well-known attribute.
      if (!(a.flags & kAttrOptional)) {
        return UpdateError(UpdateSubcode::kUnrecognizedWellKnownAttribute,
                           a.raw,
                           absl::StrFormat("unrecognized well-known attribute "
                                           "%d",
                                           a.code));
      }
      continue;  // unknown optional: kept as found
    }

    // RFC 7606 §3(c): Optional/Transitive bits in conflict with the
    // attribute's definition make it malformed.
    absl::Status bad;
    const bool flags_conflict =
        (a.flags & (kAttrOptional | kAttrTransitive)) != desc->flags;
    if (flags_conflict) {
      bad =
          UpdateError(UpdateSubcode::kAttributeFlagsError, a.raw,
                      absl::StrFormat("%s flags 0x%02x, expected 0x%02x",
                                      desc->name, a.flags & 0xf0, desc->flags));
    } else if (desc->validate != nullptr) {
      bad = desc->validate(a.value, ctx);
    }
    if (bad.ok()) continue;
    // RFC 4760 §3: without IPv4 NLRI in the body, NEXT_HOP is ignored, and
    // so is anything wrong with it.
    if (a.code == static_cast<uint8_t>(AttrCode::kNextHop) && v.nlri_.empty()) {
      if (findings != nullptr) {
        findings->push_back(Finding{Verdict::kOk, a.code,
                                    absl::StrCat("NEXT_HOP ignored (no IPv4 "
                                                 "NLRI): ",
                                                 bad.message())});
      }
      continue;
    }

    Verdict action = desc->on_malformed;
    // RFC 7606 §3(c): a flags conflict is treat-as-withdraw unless the
    // attribute's specification mandates other handling for its flags; the
    // attribute-discard rows (§7.6, §7.7, RFC 6793 §6, ...) are about their
    // values only.
    if (flags_conflict && action < Verdict::kTreatAsWithdraw) {
      action = Verdict::kTreatAsWithdraw;
    }
    if (action == Verdict::kSessionReset) {
      if (GetNotification(bad).has_value()) return bad;
      return UpdateError(UpdateSubcode::kMalformedAttributeList, a.raw,
                         bad.message());
    }
    verdicts.Add(action, a.code,
                 absl::StrFormat("%s: %s", desc->name, bad.message()));
    // A malformed attribute's value is never handed out (discard), and
    // with treat-as-withdraw its routes are withdrawn anyway.
    if (a.code < 64) v.discarded_ |= uint64_t{1} << a.code;
  }

  // MP_REACH / MP_UNREACH contents (RFC 4760 §7, RFC 7606 §7.11: framing
  // errors reset the session).
  if (auto a = v.Find(AttrCode::kMpReachNlri)) {
    BGPY_ASSIGN_OR_RETURN(MpReachView mp, DecodeMpReach(a->value));
    const FamilyDesc* fd = FindFamily(mp.family);
    if (fd != nullptr && fd->check_next_hop != nullptr) {
      absl::Status st = fd->check_next_hop(mp.next_hop);
      if (!st.ok()) {
        return UpdateError(
            UpdateSubcode::kOptionalAttributeError, a->raw,
            absl::StrFormat("MP_REACH_NLRI %s: %s", FamilyName(mp.family),
                            st.message()));
      }
    }
    v.add_path_reach_ = params.HasAddPath(mp.family);
    BGPY_RETURN_IF_ERROR(WithAttributeData(
        NlriView::Validate(
            mp.family, mp.nlri, v.add_path_reach_,
            static_cast<uint8_t>(UpdateSubcode::kOptionalAttributeError)),
        a->raw));
  }
  if (auto a = v.Find(AttrCode::kMpUnreachNlri)) {
    BGPY_ASSIGN_OR_RETURN(MpUnreachView mp, DecodeMpUnreach(a->value));
    v.add_path_unreach_ = params.HasAddPath(mp.family);
    BGPY_RETURN_IF_ERROR(WithAttributeData(
        NlriView::Validate(
            mp.family, mp.withdrawn, v.add_path_unreach_,
            static_cast<uint8_t>(UpdateSubcode::kOptionalAttributeError)),
        a->raw));
  }

  // RFC 4271 §6.3 / RFC 7606 §3(d): missing well-known mandatory
  // attributes when routes are announced: treat-as-withdraw.
  const bool has_mp_reach = seen[static_cast<uint8_t>(AttrCode::kMpReachNlri)];
  const bool announces = !v.nlri_.empty() || has_mp_reach;
  // (The usual UPDATE has them all: checked at once first.)
  const bool all_mandatory =
      seen[static_cast<uint8_t>(AttrCode::kOrigin)] &&
      seen[static_cast<uint8_t>(AttrCode::kAsPath)] &&
      (v.nlri_.empty() || seen[static_cast<uint8_t>(AttrCode::kNextHop)]);
  if (announces && !all_mandatory) {
    auto require = [&](AttrCode code) {
      if (!seen[static_cast<uint8_t>(code)]) {
        verdicts.Add(
            Verdict::kTreatAsWithdraw, static_cast<uint8_t>(code),
            absl::StrFormat("missing well-known attribute %s",
                            AttributeName(static_cast<uint8_t>(code))));
      }
    };
    require(AttrCode::kOrigin);
    // RFC 8205 §4.1: BGPsec_PATH stands in for AS_PATH.
    if (!seen[static_cast<uint8_t>(AttrCode::kBgpsecPath)]) {
      require(AttrCode::kAsPath);
    }
    if (!v.nlri_.empty()) require(AttrCode::kNextHop);
  }

  v.verdict_ = verdicts.strongest();
  // STYLE §6 / RFC 7606 §5.2: treat-as-withdraw needs routes to withdraw.
  if (v.verdict_ == Verdict::kTreatAsWithdraw && !announces &&
      v.withdrawn_.empty() &&
      !seen[static_cast<uint8_t>(AttrCode::kMpUnreachNlri)]) {
    return UpdateError(UpdateSubcode::kMalformedAttributeList,
                       "malformed attribute in an UPDATE without NLRI "
                       "(treat-as-withdraw impossible, RFC 7606 §5.2)");
  }
  return absl::OkStatus();
}

std::optional<AttributeView> UpdateView::Find(uint8_t code) const {
  if (code < 64) {
    if (!(present_ >> code & 1) || (discarded_ >> code & 1)) {
      return std::nullopt;
    }
    wire::Reader r(attrs_);
    r.Skip(where_[code]);
    AttributeView a;
    if (!ReadAttributeFast(r, a)) return std::nullopt;
    return a;
  }
  for (const AttributeView& a : attributes()) {
    if (a.code == code) return a;
  }
  return std::nullopt;
}

std::optional<Origin> UpdateView::origin() const {
  auto a = Find(AttrCode::kOrigin);
  if (!a || a->value.size() != 1 || a->value[0] > 2) return std::nullopt;
  return static_cast<Origin>(a->value[0]);
}

std::optional<AsPath> UpdateView::as_path() const {
  auto a = Find(AttrCode::kAsPath);
  if (!a) return std::nullopt;
  auto path = DecodeAsPath(a->value, four_octet_);
  if (!path.ok()) return std::nullopt;
  if (!four_octet_) {
    // RFC 6793 §4.2.3: a NEW speaker talking to an OLD one merges AS4_PATH,
    // unless AGGREGATOR names an AS other than AS_TRANS: then AS4_PATH is
    // ignored and AS_PATH alone is the path.
    auto agg = Find(AttrCode::kAggregator);
    const bool old_aggregator =
        agg && agg->value.size() == 6 &&
        (agg->value[0] << 8 | agg->value[1]) != kAsTrans;
    auto a4 = old_aggregator ? std::nullopt : Find(AttrCode::kAs4Path);
    if (a4) {
      auto p4 = DecodeAsPath(a4->value, true);
      if (p4.ok()) return MergeAs4Path(*path, *p4);
    }
  }
  return *std::move(path);
}

std::optional<IpAddress> UpdateView::next_hop() const {
  auto a = Find(AttrCode::kNextHop);
  if (!a || a->value.size() != 4) return std::nullopt;
  return IpAddress::V4Bytes(a->value.data());
}

namespace {
std::optional<uint32_t> U32Attr(const std::optional<AttributeView>& a) {
  if (!a || a->value.size() != 4) return std::nullopt;
  return uint32_t{a->value[0]} << 24 | uint32_t{a->value[1]} << 16 |
         uint32_t{a->value[2]} << 8 | a->value[3];
}
}  // namespace

std::optional<uint32_t> UpdateView::med() const {
  return U32Attr(Find(AttrCode::kMultiExitDisc));
}
std::optional<uint32_t> UpdateView::local_pref() const {
  return U32Attr(Find(AttrCode::kLocalPref));
}

std::optional<MpReachView> UpdateView::mp_reach() const {
  auto a = Find(AttrCode::kMpReachNlri);
  if (!a) return std::nullopt;
  auto mp = DecodeMpReach(a->value);
  if (!mp.ok()) return std::nullopt;
  return *mp;
}

std::optional<MpUnreachView> UpdateView::mp_unreach() const {
  auto a = Find(AttrCode::kMpUnreachNlri);
  if (!a) return std::nullopt;
  auto mp = DecodeMpUnreach(a->value);
  if (!mp.ok()) return std::nullopt;
  return *mp;
}

std::optional<NlriView> UpdateView::mp_reach_nlri() const {
  auto mp = mp_reach();
  if (!mp) return std::nullopt;
  return NlriView(mp->family, mp->nlri, add_path_reach_);
}

std::optional<NlriView> UpdateView::mp_unreach_nlri() const {
  auto mp = mp_unreach();
  if (!mp) return std::nullopt;
  return NlriView(mp->family, mp->withdrawn, add_path_unreach_);
}

UpdateView UpdateView::Rebase(wire::Bytes same_bytes) const {
  UpdateView v = *this;
  // Offsets are taken as integers: the old buffer may be gone.
  const uintptr_t base = reinterpret_cast<uintptr_t>(msg_.data());
  auto move = [&](wire::Bytes field) {
    if (field.empty()) return wire::Bytes(same_bytes.data(), 0);
    const size_t off = reinterpret_cast<uintptr_t>(field.data()) - base;
    return wire::Bytes(same_bytes.data() + off, field.size());
  };
  v.withdrawn_ = move(withdrawn_);
  v.attrs_ = move(attrs_);
  v.nlri_ = move(nlri_);
  v.msg_ = wire::Bytes(same_bytes.data(), msg_.size());
  return v;
}

// --- Per-route iteration
// ------------------------------------------------------

RouteRange UpdateView::routes() const {
  RouteRange r;
  r.sections_[0] = {withdrawn(), /*withdraw=*/true, /*mp=*/false, {}};
  if (auto mp = mp_unreach()) {
    r.sections_[1] = {
        NlriView(mp->family, mp->withdrawn, add_path_unreach_), true, true, {}};
  }
  wire::Bytes nh;
  if (!nlri_.empty()) {
    if (auto a = Find(AttrCode::kNextHop)) nh = a->value;
  }
  r.sections_[2] = {nlri(), false, false, nh};
  if (auto mp = mp_reach()) {
    r.sections_[3] = {NlriView(mp->family, mp->nlri, add_path_reach_), false,
                      true, mp->next_hop};
  }
  return r;
}

RouteRange::Iterator::Iterator(const RouteRange* range)
    : range_(range), section_(-1) {
  Advance();
}

void RouteRange::Iterator::Load() {
  // What a section shares: set once per section, not per route.
  const Section& s = range_->sections_[section_];
  if (cur_.family != s.nlri.family() || cur_.desc == nullptr) {
    cur_.family = s.nlri.family();
    cur_.desc = FindFamily(cur_.family);
  }
  cur_.withdraw = s.withdraw;
  cur_.mp = s.mp;
  cur_.next_hop_bytes = s.next_hop;
  cur_.path_id = it_->path_id;
  cur_.entry = it_->bytes;
}

void RouteRange::Iterator::Advance() {
  if (section_ >= 0 && section_ < kDone) {
    ++it_;
    if (it_ != NlriView::Iterator()) {
      // The same section: only the entry changes.
      cur_.path_id = it_->path_id;
      cur_.entry = it_->bytes;
      return;
    }
  }
  while (++section_ < kDone) {
    const Section& s = range_->sections_[section_];
    if (s.nlri.empty()) continue;
    it_ = s.nlri.begin();
    if (it_ != NlriView::Iterator()) {
      cur_.desc = nullptr;
      Load();
      return;
    }
  }
  it_ = NlriView::Iterator();
}

size_t RouteRange::size() const {
  size_t n = 0;
  for (const Section& s : sections_) n += s.nlri.empty() ? 0 : s.nlri.size();
  return n;
}

absl::Status RouteView::Decode(NlriValue& out) const {
  return DecodeNlri(family, entry, out);
}

NlriValue RouteView::value() const {
  NlriValue v;
  if (!Decode(v).ok()) {
    OpaqueNlri o;
    o.bytes.assign(entry.begin(), entry.end());
    v = std::move(o);
  }
  return v;
}

std::string RouteView::Text() const {
  std::string out;
  NlriValue v;
  if (desc != nullptr && desc->decode(entry, v).ok()) {
    desc->text(v, out);
  } else {
    AppendHex(&out, entry);
  }
  return out;
}

std::optional<MpNextHop> RouteView::next_hop() const {
  if (withdraw || next_hop_bytes.empty()) return std::nullopt;
  absl::StatusOr<MpNextHop> nh = desc != nullptr
                                     ? desc->decode_next_hop(next_hop_bytes)
                                     : DecodeMpNextHop(next_hop_bytes);
  if (!nh.ok()) return std::nullopt;
  return *std::move(nh);
}

std::optional<Family> UpdateView::end_of_rib() const {
  // RFC 4724 §2: IPv4 unicast EoR is an UPDATE with nothing in it; other
  // families send only an empty MP_UNREACH_NLRI.
  if (!withdrawn_.empty() || !nlri_.empty()) return std::nullopt;
  if (attrs_.empty()) return kIpv4Unicast;
  AttributeIterator it(attrs_);
  if (it == AttributeIterator()) return std::nullopt;
  const AttributeView& a = *it;
  if (a.code != static_cast<uint8_t>(AttrCode::kMpUnreachNlri)) {
    return std::nullopt;
  }
  if (a.raw.size() != attrs_.size()) return std::nullopt;
  auto mp = DecodeMpUnreach(a.value);
  if (!mp.ok() || !mp->withdrawn.empty()) return std::nullopt;
  return mp->family;
}

Update UpdateView::ToOwned() const {
  Update u;
  for (const NlriEntryView& e : withdrawn()) {
    u.withdrawn.push_back(NlriEntry::FromView(e));
  }
  size_t parsed = 0;
  for (const AttributeView& a : attributes()) {
    u.attributes.push_back(PathAttribute::FromView(a));
    parsed += a.raw.size();
  }
  if (parsed < attrs_.size()) {
    u.unparsed_attributes.assign(attrs_.begin() + parsed, attrs_.end());
  }
  for (const NlriEntryView& e : nlri()) {
    u.nlri.push_back(NlriEntry::FromView(e));
  }
  return u;
}

// --- UpdateBuilder -----------------------------------------------------------

namespace {
// flags(1) code(1) length(2, extended) afi(2) safi(1)
constexpr size_t kMpUnreachOverhead = 4 + 3;
// ... plus next-hop length(1) next hop reserved(1)
constexpr size_t kMpReachOverhead = 4 + 3 + 1 + 1;
}  // namespace

UpdateBuilder::UpdateBuilder(const SessionParams& params) : params_(params) {
  add_path_ = params_.HasAddPath(family_);
  announce_.Reserve(params_.max_message_size());
  withdraw_.Reserve(params_.max_message_size());
}

absl::Status UpdateBuilder::SetAttributes(const PathAttributes& attrs,
                                          Family family,
                                          std::vector<uint8_t> mp_next_hop) {
  std::vector<uint8_t> enc;
  {
    wire::Writer w(&enc);
    if (!EncodePathAttributes(attrs, params_, w)) {
      return absl::InvalidArgumentError("path attributes do not encode");
    }
  }
  return SetRawAttributes(enc, family, std::move(mp_next_hop));
}

absl::Status UpdateBuilder::SetRawAttributes(wire::Bytes attrs, Family family,
                                             std::vector<uint8_t> mp_next_hop) {
  if (mp_next_hop.size() > 255) {
    return absl::InvalidArgumentError("MP next hop longer than 255 octets");
  }
  // IPv4 unicast goes in the UPDATE body with NEXT_HOP, unless it has an
  // MP next hop (RFC 8950: an IPv6 one), which needs MP_REACH_NLRI.
  const bool body = family == kIpv4Unicast && mp_next_hop.empty();
  const size_t fixed = kHeaderSize + 4 + attrs.size() +
                       (body ? 0 : kMpReachOverhead + mp_next_hop.size());
  if (fixed + 40 > params_.max_message_size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "path attributes take %d octets: no room for routes in a %d-octet "
        "message",
        attrs.size(), params_.max_message_size()));
  }
  attrs_.assign(attrs.begin(), attrs.end());
  announce_.Reserve(params_.max_message_size());
  withdraw_.Reserve(params_.max_message_size());
  family_ = family;
  body_ = body;
  desc_ = FindFamily(family);
  mp_next_hop_ = std::move(mp_next_hop);
  add_path_ = params_.HasAddPath(family_);
  return absl::OkStatus();
}

bool UpdateBuilder::Fits(size_t entry_size, bool announce) const {
  const bool v4 = body_;
  const bool with_announce = announce || announced_ > 0;
  const bool with_withdraw = !announce || withdrawn_count_ > 0;
  size_t size =
      kHeaderSize + 4 + announce_.size() + withdraw_.size() + entry_size;
  // Attributes go only into messages that announce.
  if (with_announce) {
    size += attrs_.size();
    if (!v4) size += kMpReachOverhead + mp_next_hop_.size();
  }
  if (with_withdraw && !v4) size += kMpUnreachOverhead;
  return size <= params_.max_message_size();
}

bool UpdateBuilder::AddPrefix(EntryBuffer& buf, const Prefix& p,
                              std::optional<uint32_t> path_id) {
  const size_t n = p.nlri_bytes();
  const size_t need = (add_path_ ? 4 : 0) + 1 + n;
  if (!Fits(need, &buf == &announce_)) return false;
  // Written in place: the buffers hold a whole message (EntryBuffer), so
  // this neither zero-fills nor reallocates.
  uint8_t* d = buf.Append(need);
  if (add_path_) {
    const uint32_t id = path_id.value_or(0);
    d[0] = static_cast<uint8_t>(id >> 24);
    d[1] = static_cast<uint8_t>(id >> 16);
    d[2] = static_cast<uint8_t>(id >> 8);
    d[3] = static_cast<uint8_t>(id);
    d += 4;
  }
  *d++ = static_cast<uint8_t>(p.length());
  std::memcpy(d, p.address().bytes(), n);
  return true;
}

void UpdateBuilder::AddEntry(EntryBuffer& buf, const NlriEntry& e) {
  uint8_t* d = buf.Append((add_path_ ? 4 : 0) + e.bytes.size());
  if (add_path_) {
    const uint32_t id = e.path_id.value_or(0);
    d[0] = static_cast<uint8_t>(id >> 24);
    d[1] = static_cast<uint8_t>(id >> 16);
    d[2] = static_cast<uint8_t>(id >> 8);
    d[3] = static_cast<uint8_t>(id);
    d += 4;
  }
  if (!e.bytes.empty()) std::memcpy(d, e.bytes.data(), e.bytes.size());
}

bool UpdateBuilder::Announce(const NlriEntry& e) {
  if (!Fits((add_path_ ? 4 : 0) + e.bytes.size(), true)) return false;
  AddEntry(announce_, e);
  ++announced_;
  return true;
}

bool UpdateBuilder::Announce(const Prefix& p, std::optional<uint32_t> path_id) {
  if (!AddPrefix(announce_, p, path_id)) return false;
  ++announced_;
  return true;
}

size_t UpdateBuilder::Room(bool announce) const {
  // The sum of Fits() without the entry.
  size_t size = kHeaderSize + 4 + announce_.size() + withdraw_.size();
  if (announce || announced_ > 0) {
    size += attrs_.size();
    if (!body_) size += kMpReachOverhead + mp_next_hop_.size();
  }
  if ((!announce || withdrawn_count_ > 0) && !body_) size += kMpUnreachOverhead;
  const size_t max = params_.max_message_size();
  return size < max ? max - size : 0;
}

size_t UpdateBuilder::AddPrefixes(EntryBuffer& buf,
                                  absl::Span<const Prefix> prefixes,
                                  std::optional<uint32_t> path_id) {
  // The first route through AddPrefix(): the message's fixed part (the
  // attributes, the MP_REACH/MP_UNREACH headers) is in after it, so each
  // further route takes only its own octets from the room left.
  if (prefixes.empty() || !AddPrefix(buf, prefixes[0], path_id)) return 0;
  size_t room = Room(&buf == &announce_);
  const uint32_t id = path_id.value_or(0);
  const size_t id_size = add_path_ ? 4 : 0;
  // Written straight into room opened once for the batch: at most `room`
  // octets, plus 16 of slack so that every address is copied as 16 octets
  // (one fixed-size copy; the octets past the prefix's are overwritten by
  // the next entry or left outside the buffer's size).
  const size_t most = std::min(room, (prefixes.size() - 1) * (id_size + 17));
  uint8_t* const start = buf.Open(most + 16);
  uint8_t* d = start;
  size_t added = 1;
  for (; added < prefixes.size(); ++added) {
    const Prefix& p = prefixes[added];
    const size_t n = static_cast<size_t>(p.nlri_bytes());
    const size_t need = id_size + 1 + n;
    if (need > room) break;
    room -= need;
    if (add_path_) {
      d[0] = static_cast<uint8_t>(id >> 24);
      d[1] = static_cast<uint8_t>(id >> 16);
      d[2] = static_cast<uint8_t>(id >> 8);
      d[3] = static_cast<uint8_t>(id);
      d += 4;
    }
    *d++ = static_cast<uint8_t>(p.length());
    std::memcpy(d, p.address().bytes(), 16);
    d += n;
  }
  buf.Commit(static_cast<size_t>(d - start));
  return added;
}

size_t UpdateBuilder::AnnounceAll(absl::Span<const Prefix> prefixes,
                                  std::optional<uint32_t> path_id) {
  const size_t n = AddPrefixes(announce_, prefixes, path_id);
  announced_ += n;
  return n;
}

size_t UpdateBuilder::WithdrawAll(absl::Span<const Prefix> prefixes,
                                  std::optional<uint32_t> path_id) {
  const size_t n = AddPrefixes(withdraw_, prefixes, path_id);
  withdrawn_count_ += n;
  return n;
}

bool UpdateBuilder::Withdraw(const NlriEntry& e) {
  if (!Fits((add_path_ ? 4 : 0) + e.bytes.size(), false)) return false;
  AddEntry(withdraw_, e);
  ++withdrawn_count_;
  return true;
}

bool UpdateBuilder::Withdraw(const Prefix& p, std::optional<uint32_t> path_id) {
  if (!AddPrefix(withdraw_, p, path_id)) return false;
  ++withdrawn_count_;
  return true;
}

absl::Status UpdateBuilder::AddValue(EntryBuffer& buf, const NlriValue& v,
                                     std::optional<uint32_t> path_id) {
  if (desc_ == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no family row for ", FamilyName(family_)));
  }
  const size_t size = desc_->encoded_size(v);
  if (size == 0 && !std::holds_alternative<OpaqueNlri>(v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the value is not a ", desc_->name, " NLRI"));
  }
  if (!Fits((add_path_ ? 4 : 0) + size, &buf == &announce_)) {
    return absl::ResourceExhaustedError("message full");
  }
  value_.clear();
  {
    wire::Writer w(&value_);
    if (add_path_) w.WriteU32(path_id.value_or(0));
    if (!desc_->encode(v, w)) {
      w.Finish();
      return absl::InvalidArgumentError(
          absl::StrCat("the value is not a ", desc_->name, " NLRI"));
    }
  }
  if (!value_.empty()) {
    std::memcpy(buf.Append(value_.size()), value_.data(), value_.size());
  }
  return absl::OkStatus();
}

absl::Status UpdateBuilder::AnnounceValue(const NlriValue& v,
                                          std::optional<uint32_t> path_id) {
  const size_t before = announce_.size();
  absl::Status st = AddValue(announce_, v, path_id);
  if (st.ok()) {
    ++announced_;
  } else {
    announce_.Truncate(before);
  }
  return st;
}

absl::Status UpdateBuilder::WithdrawValue(const NlriValue& v,
                                          std::optional<uint32_t> path_id) {
  const size_t before = withdraw_.size();
  absl::Status st = AddValue(withdraw_, v, path_id);
  if (st.ok()) {
    ++withdrawn_count_;
  } else {
    withdraw_.Truncate(before);
  }
  return st;
}

absl::Status UpdateBuilder::SetAttributes(const PathAttributes& attrs,
                                          Family family,
                                          const MpNextHop& next_hop) {
  std::vector<uint8_t> nh;
  // RFC 8950: an IPv4 unicast route with an IPv6 next hop is carried in
  // MP_REACH_NLRI; with an IPv4 one, in the body with NEXT_HOP.
  if (family != kIpv4Unicast || next_hop.address.is_v6()) {
    const FamilyDesc* d = FindFamily(family);
    wire::Writer w(&nh);
    if (!(d != nullptr ? d->encode_next_hop(next_hop, w)
                       : EncodeMpNextHop(next_hop, w))) {
      return absl::InvalidArgumentError("next hop does not encode");
    }
  }
  return SetAttributes(attrs, family, std::move(nh));
}

size_t UpdateBuilder::Flush(std::vector<uint8_t>& out) {
  if (pending() == 0) return 0;
  const size_t before = out.size();
  {
    wire::Writer w(&out);
    const size_t start = BeginMessage(MessageType::kUpdate, w);
    const bool v4 = body_;
    const bool announcing = announced_ > 0;
    // Withdrawn routes field (IPv4 unicast only).
    w.WriteU16(v4 ? static_cast<uint16_t>(withdraw_.size()) : 0);
    if (v4) w.WriteBytes(withdraw_.bytes());
    const size_t alen_at = w.ReserveU16();
    const uint16_t afi = static_cast<uint16_t>(family_.afi);
    const uint8_t safi = static_cast<uint8_t>(family_.safi);
    // RFC 7606 §5.1: MP_REACH / MP_UNREACH go first.
    if (!v4 && withdrawn_count_ > 0) {
      w.WriteU8(kAttrOptional | kAttrExtendedLength);
      w.WriteU8(static_cast<uint8_t>(AttrCode::kMpUnreachNlri));
      const size_t at = w.ReserveU16();
      w.WriteU16(afi);
      w.WriteU8(safi);
      w.WriteBytes(withdraw_.bytes());
      w.FillLength16(at);
    }
    if (!v4 && announcing) {
      w.WriteU8(kAttrOptional | kAttrExtendedLength);
      w.WriteU8(static_cast<uint8_t>(AttrCode::kMpReachNlri));
      const size_t at = w.ReserveU16();
      w.WriteU16(afi);
      w.WriteU8(safi);
      w.WriteU8(static_cast<uint8_t>(mp_next_hop_.size()));
      w.WriteBytes(mp_next_hop_);
      w.WriteU8(0);  // reserved
      w.WriteBytes(announce_.bytes());
      w.FillLength16(at);
    }
    if (announcing) w.WriteBytes(attrs_);
    w.FillLength16(alen_at);
    if (v4) w.WriteBytes(announce_.bytes());
    w.PatchU16(start + kMarkerSize, static_cast<uint16_t>(w.size() - start));
  }
  announce_.Truncate(0);
  withdraw_.Truncate(0);
  announced_ = 0;
  withdrawn_count_ = 0;
  return out.size() - before;
}

std::vector<uint8_t> UpdateBuilder::EndOfRib(Family f) {
  std::vector<uint8_t> out;
  wire::Writer w(&out);
  const size_t start = BeginMessage(MessageType::kUpdate, w);
  w.WriteU16(0);
  if (f == kIpv4Unicast) {
    w.WriteU16(0);
  } else {
    w.WriteU16(6);
    w.WriteU8(kAttrOptional);
    w.WriteU8(static_cast<uint8_t>(AttrCode::kMpUnreachNlri));
    w.WriteU8(3);
    w.WriteU16(static_cast<uint16_t>(f.afi));
    w.WriteU8(static_cast<uint8_t>(f.safi));
  }
  w.PatchU16(start + kMarkerSize, static_cast<uint16_t>(w.size() - start));
  w.Finish();
  return out;
}

// --- UPDATE (owned)
// ------------------------------------------------------------

const PathAttribute* Update::FindAttribute(uint8_t code) const {
  for (const auto& a : attributes) {
    if (a.code == code) return &a;
  }
  return nullptr;
}

absl::StatusOr<Update> DecodeUpdate(wire::Bytes message,
                                    const SessionParams& params) {
  BGPY_ASSIGN_OR_RETURN(UpdateView v, UpdateView::Parse(message, params));
  return v.ToOwned();
}

absl::Status EncodeUpdate(const Update& u, const SessionParams& params,
                          wire::Writer& w) {
  const bool add_path = params.HasAddPath(kIpv4Unicast);
  const size_t start = BeginMessage(MessageType::kUpdate, w);
  size_t at = w.ReserveU16();
  EncodeNlriEntries(u.withdrawn, add_path, w);
  if (w.ok() && !w.FillLength16(at)) {
    return absl::OutOfRangeError("withdrawn routes exceed 65535 octets");
  }
  at = w.ReserveU16();
  for (const auto& a : u.attributes) EncodeAttribute(a, w);
  w.WriteBytes(
      wire::Bytes(u.unparsed_attributes.data(), u.unparsed_attributes.size()));
  if (w.ok() && !w.FillLength16(at)) {
    return absl::OutOfRangeError("path attributes exceed 65535 octets");
  }
  EncodeNlriEntries(u.nlri, add_path, w);
  return FinishMessage(start, params.max_message_size(), w);
}

}  // namespace bgpy
