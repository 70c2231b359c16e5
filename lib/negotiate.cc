// Copyright 2026 The bgpy Authors.
//
// SessionConfig validation, the OPEN we send, and OPEN negotiation.
#include "bgpy/negotiate.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bgpy/errors.h"

namespace bgpy {
namespace {

// RFC 4271 §6.2: the data of 2/1 is the largest version we support.
constexpr uint8_t kVersionData[2] = {0, kBgpVersion};

bool OfferedFamily(const SessionConfig& c, Family f) {
  return std::find(c.families.begin(), c.families.end(), f) != c.families.end();
}

// RFC 9234 §4.2 Table 2: the pairs of roles that agree.
bool RolesPair(Role local, Role remote) {
  switch (local) {
    case Role::kProvider:
      return remote == Role::kCustomer;
    case Role::kCustomer:
      return remote == Role::kProvider;
    case Role::kRouteServer:
      return remote == Role::kRouteServerClient;
    case Role::kRouteServerClient:
      return remote == Role::kRouteServer;
    case Role::kPeer:
      return remote == Role::kPeer;
  }
  return false;
}

bool IsIbgp(const SessionConfig& c) {
  return c.peer_as != 0 && c.peer_as == c.local_as;
}

}  // namespace

absl::Status SessionConfig::Validate() const {
  if (local_as == 0)
    return absl::InvalidArgumentError("local_as: must not be 0 (RFC 7607)");
  if (router_id == 0)
    return absl::InvalidArgumentError(
        "router_id: must not be 0 (RFC 6286 §2.2)");
  if (hold_time != 0 && hold_time < kMinHoldTime)
    return absl::InvalidArgumentError(absl::StrCat(
        "hold_time: ", hold_time, " is not 0 or at least 3 (RFC 4271 §4.2)"));
  if (keepalive_time != 0 && hold_time != 0 && keepalive_time > hold_time)
    return absl::InvalidArgumentError(absl::StrCat(
        "keepalive_time: ", keepalive_time, " exceeds hold_time ", hold_time));
  if (connect_retry.count() <= 0)
    return absl::InvalidArgumentError("connect_retry: must be positive");
  if (connect_retry_max < connect_retry)
    return absl::InvalidArgumentError("connect_retry_max: below connect_retry");
  if (idle_hold.count() < 0 || idle_hold_max < idle_hold)
    return absl::InvalidArgumentError(
        "idle_hold/idle_hold_max: negative or max below base");
  if (delay_open.count() < 0)
    return absl::InvalidArgumentError("delay_open: negative");
  if (open_hold_time.count() <= 0)
    return absl::InvalidArgumentError("open_hold_time: must be positive");
  if (families.empty())
    return absl::InvalidArgumentError("families: at least one is needed");
  for (const AddPathConfig& a : add_path) {
    if (!OfferedFamily(*this, a.family))
      return absl::InvalidArgumentError(absl::StrCat(
          "add_path: family ", FamilyName(a.family), " is not offered"));
  }
  if (software_version.size() > kMaxSoftwareVersionLength)
    return absl::InvalidArgumentError(
        absl::StrCat("software_version: longer than ",
                     kMaxSoftwareVersionLength, " octets"));
  if (max_output_backlog == 0)
    return absl::InvalidArgumentError("max_output_backlog: must not be 0");
  return absl::OkStatus();
}

bool Negotiated::HasFamily(Family f) const {
  return std::find(families.begin(), families.end(), f) != families.end();
}

bool Negotiated::AddPathSend(Family f) const {
  for (const AddPathNegotiated& a : add_path)
    if (a.family == f) return a.send;
  return false;
}

bool Negotiated::AddPathReceive(Family f) const {
  for (const AddPathNegotiated& a : add_path)
    if (a.family == f) return a.receive;
  return false;
}

Open BuildOpen(const SessionConfig& config) {
  std::vector<Capability> caps;
  for (Family f : config.families)
    caps.push_back(MultiprotocolCapability{.family = f});
  if (config.route_refresh) caps.push_back(RouteRefreshCapability{});
  if (config.enhanced_route_refresh)
    caps.push_back(EnhancedRouteRefreshCapability{});
  if (config.extended_message) caps.push_back(ExtendedMessageCapability{});
  if (!config.extended_next_hop.empty())
    caps.push_back(
        ExtendedNextHopCapability{.entries = config.extended_next_hop});
  // RFC 9234 §4.1: the role is for eBGP sessions only.
  if (config.role && !IsIbgp(config))
    caps.push_back(RoleCapability{.role = *config.role});
  if (config.graceful_restart) caps.push_back(*config.graceful_restart);
  caps.push_back(FourOctetAsCapability{.asn = config.local_as});
  if (!config.add_path.empty()) {
    AddPathCapability ap;
    for (const AddPathConfig& a : config.add_path) {
      if (!a.send && !a.receive) continue;
      AddPathMode mode = a.send && a.receive ? AddPathMode::kBoth
                         : a.send            ? AddPathMode::kSend
                                             : AddPathMode::kReceive;
      ap.entries.push_back({.family = a.family, .mode = mode});
    }
    if (!ap.entries.empty()) caps.push_back(std::move(ap));
  }
  if (!config.software_version.empty())
    caps.push_back(
        SoftwareVersionCapability{.version = config.software_version});
  return Open::Make(config.local_as, config.hold_time, config.router_id,
                    std::move(caps));
}

std::vector<Family> OfferedFamilies(const Open& open) {
  std::vector<Family> out;
  for (const Capability* c : open.Capabilities()) {
    if (const auto* mp = std::get_if<MultiprotocolCapability>(c)) {
      if (std::find(out.begin(), out.end(), mp->family) == out.end())
        out.push_back(mp->family);
    }
  }
  if (out.empty()) out.push_back(kIpv4Unicast);  // RFC 4760 §8
  return out;
}

SessionParams ParamsFromOpens(const Open& sender, const Open& receiver) {
  SessionParams p;
  p.four_octet_as = sender.Find<FourOctetAsCapability>() != nullptr &&
                    receiver.Find<FourOctetAsCapability>() != nullptr;
  p.extended_message = sender.Find<ExtendedMessageCapability>() != nullptr &&
                       receiver.Find<ExtendedMessageCapability>() != nullptr;
  const AddPathCapability* send = sender.Find<AddPathCapability>();
  const AddPathCapability* recv = receiver.Find<AddPathCapability>();
  if (send == nullptr || recv == nullptr) return p;
  const std::vector<Family> a = OfferedFamilies(sender);
  const std::vector<Family> b = OfferedFamilies(receiver);
  auto offered = [](const std::vector<Family>& v, Family f) {
    return std::find(v.begin(), v.end(), f) != v.end();
  };
  auto mode_of = [](const AddPathCapability& ap,
                    Family f) -> std::optional<AddPathMode> {
    for (const AddPathCapability::Entry& e : ap.entries)
      if (e.family == f) return e.mode;  // RFC 7911 §4: the first counts
    return std::nullopt;
  };
  for (const AddPathCapability::Entry& e : send->entries) {
    if (!offered(a, e.family) || !offered(b, e.family)) continue;
    std::optional<AddPathMode> s = mode_of(*send, e.family);
    std::optional<AddPathMode> r = mode_of(*recv, e.family);
    if (s != e.mode || !r) continue;  // a later duplicate entry
    const bool can_send = (static_cast<uint8_t>(*s) & 2) != 0;     // Send
    const bool can_receive = (static_cast<uint8_t>(*r) & 1) != 0;  // Receive
    if (can_send && can_receive) p.SetAddPath(e.family, true);
  }
  return p;
}

absl::StatusOr<Negotiated> Negotiate(const SessionConfig& config,
                                     const Open& local, const Open& peer) {
  // RFC 4271 §6.2: version.
  if (peer.version != kBgpVersion)
    return OpenError(OpenSubcode::kUnsupportedVersionNumber, kVersionData,
                     absl::StrCat("peer bids BGP version ", peer.version));

  // RFC 6793 §4.1 / RFC 7607 §3: the peer's AS.
  const FourOctetAsCapability* as4 = peer.Find<FourOctetAsCapability>();
  if (peer.my_as == 0)
    return OpenError(OpenSubcode::kBadPeerAs, {}, "My AS is 0 (RFC 7607)");
  if (as4 == nullptr && peer.my_as == kAsTrans)
    return OpenError(OpenSubcode::kBadPeerAs, {},
                     "My AS is AS_TRANS without the 4-octet AS capability");
  if (as4 != nullptr && as4->asn == 0)
    return OpenError(OpenSubcode::kBadPeerAs, {},
                     "4-octet AS capability carries AS 0 (RFC 7607)");
  uint32_t peer_as = as4 != nullptr ? as4->asn : peer.my_as;
  if (config.peer_as != 0 && peer_as != config.peer_as)
    return OpenError(
        OpenSubcode::kBadPeerAs, {},
        absl::StrCat("peer AS ", peer_as, ", expected ", config.peer_as));
  bool ibgp = peer_as == config.local_as;

  // RFC 6286 §2.2: non-zero; §2.1: distinct from ours within an AS.
  if (peer.bgp_id == 0)
    return OpenError(OpenSubcode::kBadBgpIdentifier, {}, "BGP Identifier is 0");
  if (ibgp && peer.bgp_id == config.router_id)
    return OpenError(OpenSubcode::kBadBgpIdentifier, {},
                     absl::StrCat("iBGP peer uses our BGP Identifier ",
                                  FormatIpv4(peer.bgp_id)));

  // RFC 4271 §4.2 / §6.2: hold time 0 or at least 3.
  if (peer.hold_time != 0 && peer.hold_time < kMinHoldTime)
    return OpenError(OpenSubcode::kUnacceptableHoldTime, {},
                     absl::StrCat("hold time ", peer.hold_time));

  Negotiated n;
  n.local_as = config.local_as;
  n.peer_as = peer_as;
  n.peer_id = peer.bgp_id;
  n.ibgp = ibgp;

  // Walk the peer's capabilities once.
  bool peer_mp = false, peer_rr = false, peer_err = false, peer_ext = false;
  bool peer_gr = false;
  std::vector<Family> peer_families;
  std::optional<Role> peer_role;
  bool role_conflict = false;
  const ExtendedNextHopCapability* peer_enh = nullptr;
  for (const Capability* c : peer.Capabilities()) {
    if (const auto* mp = std::get_if<MultiprotocolCapability>(c)) {
      peer_mp = true;
      peer_families.push_back(mp->family);
    } else if (std::holds_alternative<RouteRefreshCapability>(*c)) {
      peer_rr = true;
    } else if (std::holds_alternative<EnhancedRouteRefreshCapability>(*c)) {
      peer_err = true;
    } else if (std::holds_alternative<ExtendedMessageCapability>(*c)) {
      peer_ext = true;
    } else if (const auto* r = std::get_if<RoleCapability>(c)) {
      if (peer_role && *peer_role != r->role) role_conflict = true;
      peer_role = r->role;
    } else if (const auto* gr = std::get_if<GracefulRestartCapability>(c)) {
      if (!peer_gr) n.peer_graceful_restart = *gr;
      peer_gr = true;
    } else if (const auto* enh = std::get_if<ExtendedNextHopCapability>(c)) {
      if (peer_enh == nullptr) peer_enh = enh;
    } else if (const auto* sv = std::get_if<SoftwareVersionCapability>(c)) {
      if (!n.peer_software_version) n.peer_software_version = sv->version;
    }
  }
  // RFC 4760 §8: no Multiprotocol capability means IPv4 unicast only.
  if (!peer_mp) peer_families.push_back(kIpv4Unicast);

  // RFC 9234 §4.2: role checks (eBGP only; ignored on iBGP).
  std::optional<Role> local_role;
  if (!ibgp && config.role) {
    local_role = *config.role;
    if (role_conflict)
      return OpenError(OpenSubcode::kRoleMismatch, {},
                       "peer sent differing BGP Roles");
    if (peer_role && !RolesPair(*local_role, *peer_role))
      return OpenError(OpenSubcode::kRoleMismatch, {},
                       absl::StrCat("local role ", RoleName(*local_role),
                                    ", peer role ", RoleName(*peer_role)));
    if (!peer_role && config.strict_role)
      return OpenError(OpenSubcode::kRoleMismatch, {},
                       "peer sent no BGP Role (strict mode)");
  }
  n.local_role = local_role;
  n.peer_role = ibgp ? std::nullopt : peer_role;

  n.four_octet_as =
      as4 != nullptr && local.Find<FourOctetAsCapability>() != nullptr;
  for (Family f : config.families) {
    if (std::find(peer_families.begin(), peer_families.end(), f) !=
            peer_families.end() &&
        !n.HasFamily(f))
      n.families.push_back(f);
  }
  n.extended_message = config.extended_message && peer_ext;
  n.route_refresh = config.route_refresh && peer_rr;
  n.enhanced_route_refresh = config.enhanced_route_refresh && peer_err;
  n.graceful_restart = config.graceful_restart.has_value() && peer_gr;

  if (peer_enh != nullptr) {
    for (const auto& mine : config.extended_next_hop)
      for (const auto& theirs : peer_enh->entries)
        if (mine == theirs) n.extended_next_hop.push_back(mine);
  }

  // RFC 4271 §4.2: the smaller hold time; keepalive a third unless set.
  n.local_hold_time = local.hold_time;
  n.peer_hold_time = peer.hold_time;
  n.hold_time = std::min(local.hold_time, peer.hold_time);
  if (n.hold_time == 0) {
    n.keepalive_time = 0;
  } else if (config.keepalive_time != 0) {
    n.keepalive_time = std::min(config.keepalive_time, n.hold_time);
  } else {
    n.keepalive_time = static_cast<uint16_t>(n.hold_time / 3);
  }

  n.local_open = local;
  n.peer_open = peer;

  n.send_params = ParamsFromOpens(local, peer);
  n.recv_params = ParamsFromOpens(peer, local);
  // RFC 8654 §3: having advertised it we accept large messages; we send them
  // only when both did.
  n.recv_params.extended_message = config.extended_message;
  n.send_params.extended_message = n.extended_message;
  // RFC 7606 §7.5, §7.9, §7.10: what an external peer sends is read with
  // LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST discarded. External means the
  // peer's AS (capability 65, else My AS) is not our local AS; confederations
  // (RFC 5065) are not modelled, so a confederation-external peer is eBGP
  // here too. Only the receive side: encoding does not read the flag.
  n.recv_params.external = !ibgp;
  // RFC 7911 §5, per configured family in order: send when we want to and
  // the peer can receive, and vice versa (both OPENs carry the wishes).
  for (const AddPathConfig& a : config.add_path) {
    if (!n.HasFamily(a.family)) continue;
    AddPathNegotiated r{.family = a.family,
                        .send = n.send_params.HasAddPath(a.family),
                        .receive = n.recv_params.HasAddPath(a.family)};
    if (r.send || r.receive) n.add_path.push_back(r);
  }
  return n;
}

}  // namespace bgpy
