// Copyright 2026 The bgpy Authors.
//
// attributes.h: BGP path attributes (RFC 4271 §4.3, §5 and later RFCs).
//
// Three forms:
//  - AttributeView: one attribute as found in an UPDATE (flags, code, value).
//  - PathAttribute: the same, owned; re-encodes byte for byte (the
//    Extended-Length flag is honoured as found).
//  - Typed values (AsPath, Communities, ExtendedCommunity, ...) with
//    Decode*/Encode* functions, and PathAttributes, the typed bundle tools
//    build UPDATEs from.
// One AttributeDesc row per known code (lib/attributes/<name>.cc, listed in
// lib/attributes/registry.inc) holds its name, JSON key, flags, RFC 7606
// action and its hooks: check, decode into PathAttributes, encode from
// PathAttributes, text and JSON.
#ifndef BGPY_ATTRIBUTES_H_
#define BGPY_ATTRIBUTES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bgpy/errors.h"
#include "bgpy/params.h"
#include "bgpy/types.h"
#include "bgpy/wire.h"

namespace bgpy {

// IANA path attribute type codes.
enum class AttrCode : uint8_t {
  kOrigin = 1,
  kAsPath = 2,
  kNextHop = 3,
  kMultiExitDisc = 4,
  kLocalPref = 5,
  kAtomicAggregate = 6,
  kAggregator = 7,
  kCommunities = 8,               // RFC 1997
  kOriginatorId = 9,              // RFC 4456
  kClusterList = 10,              // RFC 4456
  kMpReachNlri = 14,              // RFC 4760
  kMpUnreachNlri = 15,            // RFC 4760
  kExtendedCommunities = 16,      // RFC 4360
  kAs4Path = 17,                  // RFC 6793
  kAs4Aggregator = 18,            // RFC 6793
  kPmsiTunnel = 22,               // RFC 6514
  kTunnelEncapsulation = 23,      // RFC 9012
  kIpv6ExtendedCommunities = 25,  // RFC 5701
  kAigp = 26,                     // RFC 7311
  kLargeCommunities = 32,         // RFC 8092
  kBgpsecPath = 33,               // RFC 8205
  kOtc = 35,                      // RFC 9234
  kPrefixSid = 40,                // RFC 8669
  kAttrSet = 128,                 // RFC 6368
};

// Attribute flag bits. RFC 4271 §4.3.
inline constexpr uint8_t kAttrOptional = 0x80;
inline constexpr uint8_t kAttrTransitive = 0x40;
inline constexpr uint8_t kAttrPartial = 0x20;
inline constexpr uint8_t kAttrExtendedLength = 0x10;

// One attribute in an UPDATE.
struct AttributeView {
  uint8_t flags = 0;
  uint8_t code = 0;
  wire::Bytes value;  // the value only
  wire::Bytes raw;    // flags, code, length and value
};

// Iterates a path-attribute field that UpdateView::Parse already checked.
// Never allocates, never fails.
class AttributeIterator {
 public:
  AttributeIterator() = default;
  explicit AttributeIterator(wire::Bytes attrs) : r_(attrs) { Advance(); }
  const AttributeView& operator*() const { return cur_; }
  const AttributeView* operator->() const { return &cur_; }
  AttributeIterator& operator++() {
    Advance();
    return *this;
  }
  bool operator==(const AttributeIterator& o) const {
    return done_ == o.done_ && (done_ || r_.offset() == o.r_.offset());
  }

 private:
  void Advance();
  wire::Reader r_;
  bool done_ = true;
  AttributeView cur_;
};

// Reads one attribute header and value off `r`. On failure returns 3/1
// Malformed Attribute List (the RFC 7606 §4 "attribute length overrun"
// case; the caller decides how hard) and leaves `r` where it was.
absl::Status ReadAttribute(wire::Reader& r, AttributeView& out);

// --- Table rows -------------------------------------------------------------

// Context handed to a row's hooks.
struct AttrContext {
  const SessionParams* params = nullptr;
};

struct PathAttributes;
class JsonWriter;

// One row per known attribute code: everything bgpy does with the attribute
// (check, decode, encode, text, JSON) is here, so a new attribute is its row
// file, its value type, one line in lib/attributes/registry.inc and its
// golden vectors. Every hook is set on every row (a test walks the registry);
// attributes without a typed value use the shared "raw" hooks, which keep
// the value in PathAttributes::others.
struct AttributeDesc {
  uint8_t code;
  const char* name;      // "AS_PATH"
  const char* json_key;  // key under "attributes" in JSON: "as_path"
  // Expected Optional and Transitive bits (kAttrOptional|kAttrTransitive).
  uint8_t flags;
  // RFC 7606 §7 action when the value is malformed (or flags are wrong).
  Verdict on_malformed;
  // Checks the value (length, contents). Returns a Status whose message
  // names what is wrong; the NOTIFICATION payload, if any, is the RFC 4271
  // §6.3 one used when the verdict is kSessionReset.
  absl::Status (*validate)(wire::Bytes value, const AttrContext& ctx);
  // Decodes a value that passed `validate` into its typed field of `out`.
  // False when the attribute has no typed field (it then goes to `others`)
  // or the field is already set.
  bool (*decode)(wire::Bytes value, const AttrContext& ctx,
                 PathAttributes& out);
  // Writes the whole attribute (flags, code, length, value) when `a` holds
  // it, nothing otherwise. False if `w` is full.
  bool (*encode)(const PathAttributes& a, const AttrContext& ctx,
                 wire::Writer& w);
  // Appends the operator text of a value that passed `validate`
  // ("65000 65001 {3 4}").
  void (*text)(wire::Bytes value, const AttrContext& ctx, std::string& out);
  // Writes the JSON value of a value that passed `validate` (one JSON value:
  // a string, number, array or object).
  void (*json)(wire::Bytes value, const AttrContext& ctx, JsonWriter& j);
};

// The row for `code`, or nullptr if the code is not known.
const AttributeDesc* LookupAttribute(uint8_t code);
absl::Span<const AttributeDesc* const> RegisteredAttributes();
// "AS_PATH", or "attribute N".
std::string AttributeName(uint8_t code);
// Operator text of a value via its row (hex when unknown or malformed).
std::string FormatAttributeValue(uint8_t code, wire::Bytes value,
                                 const SessionParams& params);
// The key under "attributes" in JSON ("as_path"); empty for unknown codes.
const char* AttributeJsonKey(uint8_t code);

// --- Owned attribute --------------------------------------------------------

struct PathAttribute {
  uint8_t flags = 0;
  uint8_t code = 0;
  std::vector<uint8_t> value;

  static PathAttribute FromView(const AttributeView& v);
  // Flags with Extended-Length set exactly when the value needs it or the
  // caller asked for it.
  bool operator==(const PathAttribute&) const = default;
};

// Writes flags, code, length (2 octets if kAttrExtendedLength is set or the
// value is longer than 255) and value. False if `w` is full.
bool EncodeAttribute(const PathAttribute& a, wire::Writer& w);
bool EncodeAttribute(uint8_t flags, uint8_t code, wire::Bytes value,
                     wire::Writer& w);
size_t AttributeEncodedSize(const PathAttribute& a);

// --- Typed values ----------------------------------------------------------

enum class Origin : uint8_t { kIgp = 0, kEgp = 1, kIncomplete = 2 };
const char* OriginName(Origin o);  // "IGP", "EGP", "INCOMPLETE"
absl::StatusOr<Origin> ParseOrigin(
    absl::string_view text);  // igp|egp|incomplete

// RFC 4271 §4.3, RFC 5065 §3.
enum class AsSegmentType : uint8_t {
  kSet = 1,
  kSequence = 2,
  kConfedSequence = 3,
  kConfedSet = 4,
};

struct AsPathSegment {
  AsSegmentType type = AsSegmentType::kSequence;
  std::vector<uint32_t> asns;
  bool operator==(const AsPathSegment&) const = default;
};

struct AsPath {
  std::vector<AsPathSegment> segments;
  // RFC 4271 §9.1.2.2 a): a SET counts 1, confederation segments 0.
  size_t Length() const;
  // "65000 65001 {3 4} (65010)". Empty path: "".
  std::string ToString() const;
  // Parses "65000 65001 {3,4} (65010) [65011]" ([] is a confed set).
  static absl::StatusOr<AsPath> Parse(absl::string_view text);
  bool operator==(const AsPath&) const = default;
};

// AS_PATH or AS4_PATH value. `four_octet` picks 2- or 4-octet ASNs.
// Errors: 3/11 Malformed AS_PATH naming the segment.
absl::StatusOr<AsPath> DecodeAsPath(wire::Bytes value, bool four_octet);
// Segments longer than 255 ASNs are split. ASNs above 65535 written as
// 2 octets become AS_TRANS (RFC 6793 §4.2.2).
bool EncodeAsPath(const AsPath& path, bool four_octet, wire::Writer& w);
// RFC 6793 §4.2.3: reconstructs the path from a 2-octet AS_PATH and an
// AS4_PATH. If AS4_PATH is longer than AS_PATH, AS_PATH is returned.
AsPath MergeAs4Path(const AsPath& as_path, const AsPath& as4_path);

struct Aggregator {  // AGGREGATOR (2 or 4 octet AS) and AS4_AGGREGATOR
  uint32_t asn = 0;
  uint32_t address = 0;  // IPv4, host order
  bool operator==(const Aggregator&) const = default;
};
absl::StatusOr<Aggregator> DecodeAggregator(wire::Bytes value, bool four_octet);
bool EncodeAggregator(const Aggregator& a, bool four_octet, wire::Writer& w);

// COMMUNITIES (RFC 1997). Well-known values.
inline constexpr uint32_t kCommunityNoExport = 0xFFFFFF01;
inline constexpr uint32_t kCommunityNoAdvertise = 0xFFFFFF02;
inline constexpr uint32_t kCommunityNoExportSubconfed = 0xFFFFFF03;
inline constexpr uint32_t kCommunityNoPeer = 0xFFFFFF04;            // RFC 3765
inline constexpr uint32_t kCommunityBlackhole = 0xFFFF029A;         // RFC 7999
inline constexpr uint32_t kCommunityGracefulShutdown = 0xFFFF0000;  // RFC 8326
inline constexpr uint32_t kCommunityLlgrStale = 0xFFFF0006;         // RFC 9494
inline constexpr uint32_t kCommunityNoLlgr = 0xFFFF0007;            // RFC 9494
// "65000:100"; well-known values by name when `names` ("no-export").
std::string FormatCommunity(uint32_t c, bool names = false);
// Accepts "65000:100", well-known names, or a plain 32-bit number.
absl::StatusOr<uint32_t> ParseCommunity(absl::string_view text);
// A list of 4-octet values (COMMUNITIES, CLUSTER_LIST). Length must be a
// multiple of 4.
absl::StatusOr<std::vector<uint32_t>> DecodeU32List(wire::Bytes value);

// EXTENDED_COMMUNITIES entry (RFC 4360), 8 octets.
struct ExtendedCommunity {
  std::array<uint8_t, 8> bytes{};

  uint8_t type() const { return bytes[0]; }
  uint8_t subtype() const { return bytes[1]; }
  bool transitive() const { return !(bytes[0] & 0x40); }
  // Route target / route origin: subtype 0x02 / 0x03 of types 0x00 (2-octet
  // AS), 0x01 (IPv4), 0x02 (4-octet AS). RFC 4360 §4, RFC 5668.
  bool IsRouteTarget() const;
  bool IsRouteOrigin() const;
  static ExtendedCommunity RouteTarget(uint32_t global, uint32_t local,
                                       bool ipv4_global = false);
  static ExtendedCommunity RouteOrigin(uint32_t global, uint32_t local,
                                       bool ipv4_global = false);
  // "rt:65000:1", "ro:192.0.2.1:7", otherwise
  // "0x43:0x00:000000000002" style (type:subtype:value hex).
  std::string ToString() const;
  // Parses "rt:ASN:N", "rt:A.B.C.D:N", "ro:..." or "0xTT:0xSS:HEX12".
  static absl::StatusOr<ExtendedCommunity> Parse(absl::string_view text);
  bool operator==(const ExtendedCommunity&) const = default;
};

// IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY entry (RFC 5701), 20 octets.
struct Ipv6ExtendedCommunity {
  std::array<uint8_t, 20> bytes{};
  uint8_t type() const { return bytes[0]; }
  uint8_t subtype() const { return bytes[1]; }
  // "rt:2001:db8::1:100" for route targets, else "0xTT:0xSS:ADDR:N".
  std::string ToString() const;
  bool operator==(const Ipv6ExtendedCommunity&) const = default;
};

// LARGE_COMMUNITIES entry (RFC 8092).
struct LargeCommunity {
  uint32_t global = 0;
  uint32_t local1 = 0;
  uint32_t local2 = 0;
  std::string ToString() const;  // "65000:1:2"
  static absl::StatusOr<LargeCommunity> Parse(absl::string_view text);
  bool operator==(const LargeCommunity&) const = default;
};

// AIGP (RFC 7311): TLVs; type 1 holds the 8-octet metric.
struct AigpTlv {
  uint8_t type = 1;
  std::vector<uint8_t> value;
  bool operator==(const AigpTlv&) const = default;
};
struct Aigp {
  std::vector<AigpTlv> tlvs;
  std::optional<uint64_t> metric() const;
  static Aigp FromMetric(uint64_t metric);
  bool operator==(const Aigp&) const = default;
};

// PMSI_TUNNEL (RFC 6514 §5): flags, tunnel type, MPLS label and a tunnel
// identifier whose form depends on the type.
enum class PmsiTunnelType : uint8_t {
  kNoTunnelInfo = 0,        // RFC 6514 §5
  kRsvpTeP2mp = 1,          // RFC 6514 §5
  kMldpP2mp = 2,            // RFC 6514 §5
  kPimSsm = 3,              // RFC 6514 §5
  kPimSm = 4,               // RFC 6514 §5
  kBidirPim = 5,            // RFC 6514 §5
  kIngressReplication = 6,  // RFC 6514 §5
  kMldpMp2mp = 7,           // RFC 6514 §5
};
// "ingress-replication", or "type N" for other values.
std::string PmsiTunnelTypeName(PmsiTunnelType t);
inline constexpr uint8_t kPmsiLeafInfoRequired = 0x01;  // RFC 6514 §5 L flag

// <Extended Tunnel ID, Reserved (0), Tunnel ID, P2MP ID> of the RSVP-TE
// P2MP SESSION object (RFC 4875 §19.1.1), 12 octets.
struct PmsiRsvpTeP2mp {
  uint32_t extended_tunnel_id = 0;  // usually an IPv4 address
  uint16_t tunnel_id = 0;
  uint32_t p2mp_id = 0;
  bool operator==(const PmsiRsvpTeP2mp&) const = default;
};
// <Sender Address, P-Multicast Group> of a PIM tree (types 3, 4, 5), both
// IPv4 or both IPv6.
struct PmsiPimTree {
  IpAddress sender;
  IpAddress group;
  bool operator==(const PmsiPimTree&) const = default;
};
// The mLDP P2MP / MP2MP FEC element (RFC 6388 §2.2, §3.2): FEC type, root
// node address (IPv4 or IPv6) and opaque value.
struct PmsiMldpFec {
  uint8_t fec_type = 6;  // RFC 6388: 6 P2MP, 8 MP2MP
  IpAddress root;
  std::vector<uint8_t> opaque;
  bool operator==(const PmsiMldpFec&) const = default;
};

struct PmsiTunnel {
  uint8_t flags = 0;
  PmsiTunnelType type = PmsiTunnelType::kNoTunnelInfo;
  // The 3-octet MPLS Label field as found: the label is in its high 20 bits
  // (RFC 6514 §5); EVPN over VXLAN puts a 24-bit VNI there (RFC 8365 §5.1.3).
  uint32_t label_field = 0;
  // The Tunnel Identifier: the typed form its type calls for (an IpAddress
  // is the ingress-replication endpoint, type 6), or the bytes as found for
  // other types and for identifiers that do not fit that form.
  std::variant<std::vector<uint8_t>, IpAddress, PmsiPimTree, PmsiRsvpTeP2mp,
               PmsiMldpFec>
      tunnel_id;

  uint32_t label() const { return label_field >> 4; }
  void set_label(uint32_t label) { label_field = (label & 0xfffff) << 4; }
  bool leaf_info_required() const { return flags & kPmsiLeafInfoRequired; }
  // "ingress-replication label 100 endpoint 192.0.2.1".
  std::string ToString() const;
  bool operator==(const PmsiTunnel&) const = default;
};
// Errors: 3/9 Optional Attribute Error when shorter than 5 octets or an
// ingress-replication endpoint is not 4 or 16 octets.
absl::StatusOr<PmsiTunnel> DecodePmsiTunnel(wire::Bytes value);
bool EncodePmsiTunnel(const PmsiTunnel& t, wire::Writer& w);

// BGP Prefix-SID (RFC 8669 §3): TLVs, kept in order. Known TLVs are typed;
// others keep their bytes and re-encode as found.
struct PrefixSidLabelIndex {  // TLV 1, RFC 8669 §3.1
  uint8_t reserved = 0;
  uint16_t flags = 0;
  uint32_t label_index = 0;
  bool operator==(const PrefixSidLabelIndex&) const = default;
};
struct SrgbRange {           // RFC 8669 §3.2
  uint32_t first_label = 0;  // 3 octets
  uint32_t count = 0;        // 3 octets
  bool operator==(const SrgbRange&) const = default;
};
struct PrefixSidOriginatorSrgb {  // TLV 3, RFC 8669 §3.2
  uint16_t flags = 0;
  std::vector<SrgbRange> ranges;  // at least one
  bool operator==(const PrefixSidOriginatorSrgb&) const = default;
};
// A sub-TLV of an SRv6 service TLV (RFC 9252 §3.1); type 1 is the SRv6 SID
// Information sub-TLV, kept as bytes (sid() reads it).
struct Srv6ServiceSubTlv {
  uint8_t type = 1;
  std::vector<uint8_t> value;
  // Type 1 with at least 21 octets: the SID (RFC 9252 §3.1).
  std::optional<IpAddress> sid() const;
  // Type 1: the SRv6 Endpoint Behavior (RFC 8986 §10.2).
  std::optional<uint16_t> behavior() const;
  bool operator==(const Srv6ServiceSubTlv&) const = default;
};
struct PrefixSidSrv6Service {  // TLVs 5 (L3) and 6 (L2), RFC 9252 §2
  uint8_t reserved = 0;
  std::vector<Srv6ServiceSubTlv> sub_tlvs;
  bool operator==(const PrefixSidSrv6Service&) const = default;
};
inline constexpr uint8_t kPrefixSidLabelIndex = 1;      // RFC 8669 §3.1
inline constexpr uint8_t kPrefixSidOriginatorSrgb = 3;  // RFC 8669 §3.2
inline constexpr uint8_t kPrefixSidSrv6L3Service = 5;   // RFC 9252 §2
inline constexpr uint8_t kPrefixSidSrv6L2Service = 6;   // RFC 9252 §2
struct PrefixSidTlv {
  uint8_t type = kPrefixSidLabelIndex;
  // The typed value for types 1, 3, 5 and 6; the bytes for other types.
  std::variant<std::vector<uint8_t>, PrefixSidLabelIndex,
               PrefixSidOriginatorSrgb, PrefixSidSrv6Service>
      value;
  bool operator==(const PrefixSidTlv&) const = default;
};
struct PrefixSid {
  std::vector<PrefixSidTlv> tlvs;
  // The first Label-Index TLV's index (RFC 8669 §3.1).
  std::optional<uint32_t> label_index() const;
  // "label-index 30, srgb 16000+8000".
  std::string ToString() const;
  bool operator==(const PrefixSid&) const = default;
};
// Errors (RFC 8669 §6, RFC 9252 §8: the attribute is malformed; 3/9): a TLV
// or sub-TLV overruns its container, a Label-Index TLV is not 7 octets, an
// Originator SRGB TLV is not 2 plus a positive multiple of 6, an SRv6
// service TLV has no reserved octet.
absl::StatusOr<PrefixSid> DecodePrefixSid(wire::Bytes value);
bool EncodePrefixSid(const PrefixSid& p, wire::Writer& w);

// Decoders for list-valued attributes. Each checks the length is a multiple
// of the entry size (RFC 7606 §7) and returns kInvalidArgument otherwise.
absl::StatusOr<std::vector<ExtendedCommunity>> DecodeExtendedCommunities(
    wire::Bytes value);
absl::StatusOr<std::vector<Ipv6ExtendedCommunity>>
DecodeIpv6ExtendedCommunities(wire::Bytes value);
absl::StatusOr<std::vector<LargeCommunity>> DecodeLargeCommunities(
    wire::Bytes value);
absl::StatusOr<Aigp> DecodeAigp(wire::Bytes value);
bool EncodeAigp(const Aigp& a, wire::Writer& w);

// --- MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760) ------------------------------

struct MpReachView {
  Family family;
  wire::Bytes next_hop;
  uint8_t reserved = 0;
  wire::Bytes nlri;  // entries; iterate with NlriView
};
struct MpUnreachView {
  Family family;
  wire::Bytes withdrawn;
};
// Framing only (AFI, SAFI, next-hop length, reserved octet).
// Errors: 3/9 Optional Attribute Error.
absl::StatusOr<MpReachView> DecodeMpReach(wire::Bytes value);
absl::StatusOr<MpUnreachView> DecodeMpUnreach(wire::Bytes value);

// Next hop(s) of an MP_REACH for IP families: one address, or global +
// link-local (32 octets), with an RD of zeros first for VPN families.
struct MpNextHop {
  std::optional<uint64_t> rd;  // present for 12/24/48-octet VPN forms
  IpAddress address;
  std::optional<IpAddress> link_local;
  std::string ToString() const;
};
absl::StatusOr<MpNextHop> DecodeMpNextHop(wire::Bytes next_hop);

// --- Typed bundle ------------------------------------------------------------

// The attributes of a route, typed. Used to build UPDATEs and by tools to
// print them. MP_REACH/MP_UNREACH are not here (they carry NLRI).
struct PathAttributes {
  std::optional<Origin> origin;
  std::optional<AsPath> as_path;
  std::optional<IpAddress> next_hop;  // NEXT_HOP (IPv4)
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;
  std::vector<uint32_t> communities;
  std::optional<uint32_t> originator_id;
  std::vector<uint32_t> cluster_list;
  std::vector<ExtendedCommunity> ext_communities;
  std::optional<AsPath> as4_path;
  std::optional<Aggregator> as4_aggregator;
  std::optional<PmsiTunnel> pmsi_tunnel;
  std::vector<Ipv6ExtendedCommunity> ipv6_ext_communities;
  std::optional<Aigp> aigp;
  std::vector<LargeCommunity> large_communities;
  std::optional<uint32_t> otc;
  std::optional<PrefixSid> prefix_sid;
  // Anything else, kept as found (and re-encoded as found).
  std::vector<PathAttribute> others;

  bool operator==(const PathAttributes&) const = default;
};

// Decodes every attribute of an already-checked attribute field (from
// UpdateView::attributes_bytes()). Attributes that fail their typed decode
// go to `others` unchanged. MP_REACH/MP_UNREACH are skipped.
PathAttributes DecodePathAttributes(wire::Bytes attrs,
                                    const SessionParams& params);
// Writes the attributes in type-code order with canonical flags. When the
// session is 2-octet AS and the path has ASNs above 65535, AS4_PATH (and
// AS4_AGGREGATOR) are added per RFC 6793 §4.2.2 unless already set.
// False if `w` is full.
bool EncodePathAttributes(const PathAttributes& a, const SessionParams& params,
                          wire::Writer& w);

}  // namespace bgpy

#endif  // BGPY_ATTRIBUTES_H_
