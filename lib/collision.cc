// Copyright 2026 The bgpy Authors.
//
// A peer's two connections and their collision (RFC 4271 §6.8), sans I/O.
#include "bgpy/collision.h"

#include <utility>

namespace bgpy {

CollisionWinner ResolveCollision(uint32_t local_id, uint32_t remote_id,
                                 uint32_t local_as, uint32_t remote_as) {
  // RFC 4271 §6.8: "If the value of the local BGP Identifier is less than
  // the remote one, the local system closes the BGP connection that already
  // exists (the one that is already in the OpenConfirm state), and accepts
  // the BGP connection initiated by the remote system."
  if (local_id != remote_id)
    return local_id > remote_id ? CollisionWinner::kLocallyInitiated
                                : CollisionWinner::kRemotelyInitiated;
  // RFC 6286 §2.3: equal identifiers: the larger AS number wins.
  return local_as > remote_as ? CollisionWinner::kLocallyInitiated
                              : CollisionWinner::kRemotelyInitiated;
}

PeerConnections::PeerConnections(SessionConfig config)
    : config_(std::move(config)) {
  slots_[0].session.emplace(config_);
}

absl::Status PeerConnections::Start(Instant now) {
  return session().Start(now);
}

void PeerConnections::Stop(Instant now, CeaseSubcode subcode,
                           absl::string_view text) {
  for (Slot& s : slots_)
    if (s.session) s.session->Stop(now, subcode, text);
}

bool PeerConnections::Live(int slot) const {
  const Slot& s = slots_[slot];
  return s.session &&
         (s.session->connected() || (!s.lost && s.session->WantsConnect()));
}

int PeerConnections::live_count() const {
  return (Live(0) ? 1 : 0) + (Live(1) ? 1 : 0);
}

void PeerConnections::Lose(int slot, Instant now) {
  slots_[slot].lost = true;
  slots_[slot].session->Stop(now, CeaseSubcode::kConnectionCollisionResolution);
}

std::optional<int> PeerConnections::Accept(bool connect_in_flight,
                                           Instant now) {
  const int p = primary_;
  const int o = 1 - p;
  Session& s = session();
  const SessionState state = s.state();
  int slot;
  if (!s.connected() && !connect_in_flight &&
      (state == SessionState::kConnect || state == SessionState::kActive)) {
    slot = p;  // the Session waits for a connection
  } else if (!slots_[p].inbound && !has(o) &&
             (connect_in_flight || s.CanCollide())) {
    // A collision (RFC 4271 §6.8): the same configuration, passive, so the
    // Session waits in Active and takes this connection (§8.1.1
    // PassiveTcpEstablishment).
    SessionConfig config = config_;
    config.passive = true;
    Slot& second = slots_[o];
    second.session.emplace(std::move(config));
    second.lost = false;
    if (!second.session->Start(now).ok()) {
      second.session.reset();
      return std::nullopt;
    }
    slot = o;
  } else {
    // Established (the established connection wins), stopped, or already
    // two connections: refused without a message.
    return std::nullopt;
  }
  if (!slots_[slot].session->OnConnected(now).ok()) {
    if (slot != p) slots_[slot].session.reset();
    return std::nullopt;
  }
  slots_[slot].inbound = true;
  return slot;
}

bool PeerConnections::Resolve(Instant now) {
  int p = primary_;
  int o = 1 - p;
  if (!has(o)) {
    // An incoming connection that won and ended: its Session is passive;
    // an active peer gets a fresh Session from its configuration, which
    // connects.
    Session& s = session();
    if (!Live(p) && !s.HasEvents() && s.config().passive != config_.passive &&
        (s.state() == SessionState::kActive ||
         s.state() == SessionState::kConnect)) {
      slots_[p].session.emplace(config_);
      slots_[p].inbound = false;
      slots_[p].lost = false;
      (void)slots_[p].session->Start(now);  // Start() validated `config_`
      return true;
    }
    return false;
  }
  bool changed = false;
  // The primary's connection is gone (connect failed, closed): the other
  // one carries on as the peer's.
  if (!Live(p) && Live(o) && !slots_[o].lost) {
    primary_ = o;
    std::swap(p, o);
    Lose(o, now);
    changed = true;
  }
  if (!Live(o) && !slots_[o].session->HasEvents()) {
    slots_[o] = Slot();  // finished: forgotten
    return true;
  }
  if (slots_[o].lost || !Live(o) || !Live(p) ||
      slots_[p].inbound == slots_[o].inbound)
    return changed;
  // RFC 4271 §6.8: resolved once one side knows the peer's BGP identifier
  // (OpenConfirm, or a jump to Established within one read) and the other
  // has sent its OPEN.
  auto knows_id = [](const Session& s) {
    return s.negotiated() != nullptr &&
           (s.state() == SessionState::kOpenConfirm ||
            s.state() == SessionState::kEstablished);
  };
  auto open_sent = [&](const Session& s) {
    return s.CanCollide() || knows_id(s);
  };
  const Session& sp = session(p);
  const Session& so = session(o);
  const Negotiated* n = nullptr;
  if (knows_id(sp) && open_sent(so)) {
    n = sp.negotiated();
  } else if (knows_id(so) && open_sent(sp)) {
    n = so.negotiated();
  }
  int loser = -1;
  if (n != nullptr) {
    const CollisionWinner w = ResolveCollision(config_.router_id, n->peer_id,
                                               n->local_as, n->peer_as);
    const bool keep_inbound = w == CollisionWinner::kRemotelyInitiated;
    loser = slots_[p].inbound == keep_inbound ? o : p;
  } else if (so.state() == SessionState::kEstablished && !sp.connected()) {
    loser = p;  // ours is still connecting: the established one wins
  } else if (sp.state() == SessionState::kEstablished && !so.connected()) {
    loser = o;
  }
  if (loser < 0) return changed;
  if (loser == p) primary_ = o;
  Lose(loser, now);
  ++collisions_;
  return true;
}

}  // namespace bgpy
