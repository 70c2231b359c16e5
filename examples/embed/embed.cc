// Copyright 2026 The bgpy Authors.
//
// embed.cc: drive a bgpy::Session from your own poll() loop, without
// bgpy::posix. The pattern a tool builder copies: the session does no I/O;
// this loop owns the socket and the clock, feeds the session bytes and time,
// and writes what it asks to send.
//
//   bgpy-embed-example PEER_IPV4 PORT LOCAL_AS [COUNT]
//
// Connects, announces COUNT (default 10) /32s from 10.0.0.0, prints every
// message received as one line, stops after 3 seconds with Cease.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <variant>
#include <vector>

#include "bgpy/bgpy.h"

namespace {

using Clock = std::chrono::steady_clock;

int Fail(const char* what) {
  std::perror(what);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s PEER_IPV4 PORT LOCAL_AS [COUNT]\n",
                 argv[0]);
    return 1;
  }
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &peer.sin_addr) != 1) return 1;
  const int count = argc > 4 ? std::atoi(argv[4]) : 10;

  bgpy::SessionConfig config;
  config.local_as = static_cast<uint32_t>(std::strtoul(argv[3], nullptr, 10));
  config.router_id = 0xc0000201;  // 192.0.2.1
  bgpy::Session session(config);
  if (!session.Start(Clock::now()).ok()) return 1;

  // One blocking connect keeps the example short; a real loop would connect
  // without blocking and call OnConnected() when the socket is writable.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Fail("socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) != 0) {
    session.OnConnectFailed(Clock::now());
    return Fail("connect");
  }
  if (!session.OnConnected(Clock::now()).ok()) return 1;

  const auto stop_at = Clock::now() + std::chrono::seconds(3);
  bool announced = false, stopped = false;
  std::vector<uint8_t> buf(65536);
  while (true) {
    // 1. Write what the session wants sent.
    auto out = session.PendingOutput();
    if (!out.empty()) {
      ssize_t n = send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n > 0) session.ConsumeOutput(static_cast<size_t>(n), Clock::now());
    }
    if (session.WantsClose() && session.PendingOutput().empty()) break;
    // 2. Handle what happened.
    while (auto ev = session.PollEvent()) {
      if (auto* m = std::get_if<bgpy::MessageReceived>(&*ev)) {
        std::printf(
            "received %s, %zu octets\n",
            bgpy::MessageTypeName(static_cast<uint8_t>(m->type)).c_str(),
            m->bytes.size());
      } else if (auto* s = std::get_if<bgpy::StateChanged>(&*ev)) {
        std::printf("state %s -> %s\n", bgpy::SessionStateName(s->from),
                    bgpy::SessionStateName(s->to));
      }
    }
    // 3. Once Established, announce the routes (one packed batch).
    if (!announced && session.state() == bgpy::SessionState::kEstablished) {
      bgpy::UpdateBuilder builder(session.send_params());
      bgpy::PathAttributes attrs;
      attrs.origin = bgpy::Origin::kIgp;
      attrs.as_path =
          bgpy::AsPath{{{bgpy::AsSegmentType::kSequence, {config.local_as}}}};
      attrs.next_hop = bgpy::IpAddress::V4(0xc0000201);
      if (!builder.SetAttributes(attrs, bgpy::kIpv4Unicast).ok()) return 1;
      std::vector<uint8_t> msgs;
      const bgpy::Prefix first = *bgpy::Prefix::Parse("10.0.0.0/32");
      for (int i = 0; i < count; ++i) {
        const bgpy::Prefix p = *first.Advance(i);
        if (!builder.Announce(p)) {
          builder.Flush(msgs);
          builder.Announce(p);
        }
      }
      builder.Flush(msgs);
      if (!session.QueueUpdate(msgs, Clock::now()).ok()) return 1;
      (void)session.QueueEndOfRib(bgpy::kIpv4Unicast, Clock::now());
      announced = true;
      std::printf("announced %d routes\n", count);
    }
    if (!stopped && Clock::now() >= stop_at) {
      session.Stop(Clock::now(), bgpy::CeaseSubcode::kAdministrativeShutdown,
                   "embed example done");
      stopped = true;
      continue;
    }
    // 4. Wait for input or the next timer, whichever comes first.
    auto deadline = session.NextDeadline().value_or(stop_at);
    if (!stopped && stop_at < deadline) deadline = stop_at;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    if (!session.PendingOutput().empty()) p.events |= POLLOUT;
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(0, wait.count()))) < 0) {
      return Fail("poll");
    }
    const auto now = Clock::now();
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(fd, buf.data(), buf.size(), 0);
      if (n <= 0) {
        session.OnClosed(now);
        break;
      }
      absl::Status st = session.Receive(
          absl::MakeConstSpan(buf.data(), static_cast<size_t>(n)), now);
      if (!st.ok())
        std::printf("error: %s\n", std::string(st.message()).c_str());
    }
    session.OnTimer(now);  // fires whatever is due; early calls are no-ops
  }
  close(fd);
  if (session.connected()) session.OnClosed(Clock::now());
  std::printf("done: %s\n", bgpy::SessionStateName(session.state()));
  return announced ? 0 : 2;
}
