// Copyright 2026 The bgpy Authors.
//
// collision.h: one peer's BGP connections and their collision (RFC 4271
// §6.8), sans I/O.
//
// One Session is one TCP connection. When both speakers connect at the same
// time, a peer has two connections for a while, so two Sessions, until one
// of them is closed with Cease/Connection Collision Resolution (6/7).
// PeerConnections holds both, in two slots, decides which incoming
// connection goes where, and resolves the collision. It never touches a
// socket or a clock: the owner (bgpy::posix::EventLoop, or an embedder's
// own loop) runs the TCP connection of each slot exactly as it would run a
// lone Session, and calls Resolve(now) after handling any input:
//
//   PeerConnections peer(config);
//   peer.Start(now);                         // slot 0 (ManualStart)
//   // An outgoing connection runs on slot peer.primary() while its Session
//   // WantsConnect(). A connection accepted from the peer's address:
//   if (auto slot = peer.Accept(connect_in_flight, now)) Run(*slot, fd);
//   else close(fd);                          // refused (RFC 4271 §6.8)
//   // For every slot with has(slot): events, output, WantsClose() as for
//   // any Session, then:
//   peer.Resolve(now);                       // stops the loser, if any
//   // A slot no longer has(slot): close its socket if one is left.
//
// The owner reports on and queues UPDATEs to session() (the primary slot);
// the loser of a collision lives on, lost(slot), until its NOTIFICATION is
// flushed and its connection closed, then the slot is freed.
//
// The rules, in the order Resolve() applies them:
// - The primary's connection is gone (its connect failed, it closed) while
//   the other slot has one: the other becomes primary, and the old one is
//   stopped (no connection: nothing sent).
// - A finished non-primary slot (no connection, no events left) is freed.
// - Once one Session knows the peer's BGP identifier (OpenConfirm, or
//   Established reached within one read) and the other has sent its OPEN
//   (OpenSent/OpenConfirm), ResolveCollision() below names the connection
//   to keep; the other is stopped with Cease/7 (event 23).
// - A Session that reaches Established while the other connection is
//   still connecting wins over it.
// - The incoming connection that won and later ended left a passive
//   Session (as every incoming one is): the primary is then replaced by a
//   fresh Session from the configuration, so an active peer connects again.
// An incoming connection is taken by the primary slot when its Session
// waits (Connect/Active) with no connection and no connect in flight; it
// goes to the second slot (a passive Session of the same configuration)
// when the primary has its own outgoing connection, still connecting or
// in OpenSent/OpenConfirm; otherwise it is refused: Established (the
// established connection wins, CollisionDetectEstablishedState off),
// stopped, or already two connections.
#ifndef BGPY_COLLISION_H_
#define BGPY_COLLISION_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bgpy/errors.h"
#include "bgpy/negotiate.h"
#include "bgpy/session.h"

namespace bgpy {

enum class CollisionWinner : uint8_t {
  kLocallyInitiated,   // keep the connection we opened
  kRemotelyInitiated,  // keep the connection the peer opened
};
// RFC 4271 §6.8: the connection opened by the speaker with the higher BGP
// identifier (compared as host-order integers) is kept. Equal identifiers
// (allowed on eBGP, RFC 6286 §2.3) are broken by the larger AS number.
CollisionWinner ResolveCollision(uint32_t local_id, uint32_t remote_id,
                                 uint32_t local_as = 0, uint32_t remote_as = 0);

class PeerConnections {
 public:
  static constexpr int kSlots = 2;

  // Slot 0 holds a Session of `config` (not started).
  explicit PeerConnections(SessionConfig config);

  PeerConnections(PeerConnections&&) = default;
  PeerConnections& operator=(PeerConnections&&) = default;

  const SessionConfig& config() const { return config_; }

  // Session::Start() of the primary: kInvalidArgument if `config` does not
  // validate.
  absl::Status Start(Instant now);
  // Session::Stop() of every slot (ManualStop, event 2).
  void Stop(Instant now,
            CeaseSubcode subcode = CeaseSubcode::kAdministrativeShutdown,
            absl::string_view text = "");

  // The slot of the peer's Session: the one to report on and to queue
  // UPDATEs to. Changes only in Accept() and Resolve().
  int primary() const { return primary_; }
  Session& session() { return *slots_[primary_].session; }
  const Session& session() const { return *slots_[primary_].session; }

  // Whether `slot` (0 or 1) holds a Session; session(slot) needs it.
  bool has(int slot) const { return slots_[slot].session.has_value(); }
  Session& session(int slot) { return *slots_[slot].session; }
  const Session& session(int slot) const { return *slots_[slot].session; }
  // The slot's connection was accepted (the peer opened it).
  bool inbound(int slot) const { return slots_[slot].inbound; }
  // The slot lost a collision: its Session is stopped; the owner flushes
  // its NOTIFICATION and closes, and never connects it again.
  bool lost(int slot) const { return slots_[slot].lost; }
  // Slots holding a Session that is connected or wants to connect.
  int live_count() const;

  // A TCP connection from the peer was accepted. `connect_in_flight`: the
  // owner's outgoing connect on the primary slot has not completed yet.
  // Returns the slot that takes it, whose Session has already been told
  // OnConnected(now) (events 16/17), or std::nullopt: close it without a
  // message.
  std::optional<int> Accept(bool connect_in_flight, Instant now);

  // Applies the rules above after any input to either Session. Returns true
  // if it changed a Session or a slot (the owner services both again).
  bool Resolve(Instant now);

  // Collisions resolved by stopping one connection.
  uint64_t collisions() const { return collisions_; }

 private:
  struct Slot {
    std::optional<Session> session;
    bool inbound = false;
    bool lost = false;
  };
  bool Live(int slot) const;
  // Stops `slot` with Cease/7 and marks it lost.
  void Lose(int slot, Instant now);

  SessionConfig config_;
  Slot slots_[kSlots];
  int primary_ = 0;
  uint64_t collisions_ = 0;
};

}  // namespace bgpy

#endif  // BGPY_COLLISION_H_
