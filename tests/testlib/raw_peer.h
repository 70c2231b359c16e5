// Copyright 2026 The bgpy Authors.
//
// A hand-driven BGP peer for tests that talk to a bgpy tool or session over
// loopback TCP: it builds the few messages it needs by hand from the RFC
// 4271 §4 layouts (never through the library under test), reads whole
// messages back with bounded waits, and can end the connection with a FIN
// or an RST.
#ifndef BGPY_TESTS_TESTLIB_RAW_PEER_H_
#define BGPY_TESTS_TESTLIB_RAW_PEER_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bgpy::testing {

// Header (16 x 0xff marker, length, type) + body (RFC 4271 §4.1).
std::vector<uint8_t> BgpMessage(uint8_t type, const std::vector<uint8_t>& body);
// OPEN (§4.2): version 4, 2-octet AS, hold time, BGP identifier, no
// optional parameters (IPv4 unicast only, RFC 4760 §7).
std::vector<uint8_t> BgpOpen(uint16_t as, uint16_t hold, uint32_t id);
std::vector<uint8_t> BgpKeepalive();

struct RawMessage {
  uint8_t type = 0;
  std::vector<uint8_t> body;  // after the 19-octet header
};

class RawPeer {
 public:
  // Connects from `local` (port 0) to `remote`:`port` (IPv4), waiting at
  // most `timeout` for the connection.
  RawPeer(const std::string& local, int port,
          const std::string& remote = "127.0.0.1",
          std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  bool ok() const { return ok_; }
  int fd() const { return fd_; }

  // Sends every octet (false if the connection refused them).
  bool Send(const std::vector<uint8_t>& bytes);
  // The next whole message, waiting at most `timeout`; nullopt when none
  // came in time or the connection ended (then closed() is true).
  std::optional<RawMessage> Next(std::chrono::milliseconds timeout);
  // The next message that is neither a KEEPALIVE nor an UPDATE (bgpy's
  // tools send End-of-RIB once Established), answering none.
  std::optional<RawMessage> NextNonKeepalive(std::chrono::milliseconds timeout);
  // OPEN with `as` and `hold`, then the peer's OPEN and KEEPALIVE, then
  // our KEEPALIVE: true once Established on both sides.
  bool Establish(uint16_t as, uint16_t hold, uint32_t id);
  // Waits at most `timeout` for the peer to end the connection (FIN or
  // RST), discarding what it sends; true if it did.
  bool WaitClosed(std::chrono::milliseconds timeout);
  bool closed() const { return closed_; }
  // Ends the connection with an RST (SO_LINGER 0), or a FIN (Close).
  void Reset();
  void Close();

 private:
  int fd_ = -1;
  bool ok_ = false;
  bool closed_ = false;
  std::vector<uint8_t> buf_;
};

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_RAW_PEER_H_
