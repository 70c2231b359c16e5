// Copyright 2026 The bgpy Authors.
#include "testlib/raw_peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace bgpy::testing {
namespace {

using Clock = std::chrono::steady_clock;

void Put16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

std::vector<uint8_t> BgpMessage(uint8_t type,
                                const std::vector<uint8_t>& body) {
  std::vector<uint8_t> m(16, 0xff);
  Put16(m, static_cast<uint16_t>(19 + body.size()));
  m.push_back(type);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

std::vector<uint8_t> BgpOpen(uint16_t as, uint16_t hold, uint32_t id) {
  std::vector<uint8_t> body = {4};
  Put16(body, as);
  Put16(body, hold);
  for (int shift : {24, 16, 8, 0})
    body.push_back(static_cast<uint8_t>(id >> shift));
  body.push_back(0);
  return BgpMessage(1, body);
}

std::vector<uint8_t> BgpKeepalive() { return BgpMessage(4, {}); }

RawPeer::RawPeer(const std::string& local, int port, const std::string& remote,
                 std::chrono::milliseconds timeout) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) return;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  if (inet_pton(AF_INET, local.c_str(), &a.sin_addr) != 1 ||
      bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0)
    return;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, remote.c_str(), &a.sin_addr) != 1) return;
  if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    if (errno != EINPROGRESS) return;
    pollfd pfd{fd_, POLLOUT, 0};
    if (poll(&pfd, 1, static_cast<int>(timeout.count())) != 1) return;
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
      return;
  }
  ok_ = true;
}

RawPeer::~RawPeer() {
  if (fd_ >= 0) close(fd_);
}

bool RawPeer::Send(const std::vector<uint8_t>& bytes) {
  size_t done = 0;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  while (done < bytes.size()) {
    const ssize_t n =
        send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd pfd{fd_, POLLOUT, 0};
      if (poll(&pfd, 1, MillisLeft(deadline)) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

std::optional<RawMessage> RawPeer::Next(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    if (buf_.size() >= 19) {
      const size_t len = (size_t{buf_[16]} << 8) | buf_[17];
      if (len < 19) return std::nullopt;  // not BGP: the test fails on it
      if (buf_.size() >= len) {
        RawMessage m;
        m.type = buf_[18];
        m.body.assign(buf_.begin() + 19,
                      buf_.begin() + static_cast<ptrdiff_t>(len));
        buf_.erase(buf_.begin(), buf_.begin() + static_cast<ptrdiff_t>(len));
        return m;
      }
    }
    if (closed_) return std::nullopt;
    pollfd pfd{fd_, POLLIN, 0};
    const int r = poll(&pfd, 1, MillisLeft(deadline));
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      return std::nullopt;
    }
    uint8_t tmp[16384];
    const ssize_t n = recv(fd_, tmp, sizeof(tmp), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {
      closed_ = true;
      continue;  // whole messages still buffered come first
    }
    buf_.insert(buf_.end(), tmp, tmp + n);
  }
}

std::optional<RawMessage> RawPeer::NextNonKeepalive(
    std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    std::optional<RawMessage> m =
        Next(std::chrono::milliseconds(std::max(1, MillisLeft(deadline))));
    if (!m || (m->type != 4 && m->type != 2)) return m;
    if (Clock::now() >= deadline) return std::nullopt;
  }
}

bool RawPeer::Establish(uint16_t as, uint16_t hold, uint32_t id) {
  if (!ok_ || !Send(BgpOpen(as, hold, id))) return false;
  std::optional<RawMessage> open = Next(std::chrono::seconds(10));
  if (!open || open->type != 1) return false;
  std::optional<RawMessage> ka = Next(std::chrono::seconds(10));
  if (!ka || ka->type != 4) return false;
  return Send(BgpKeepalive());
}

bool RawPeer::WaitClosed(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!closed_) {
    if (MillisLeft(deadline) == 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    const int r = poll(&pfd, 1, MillisLeft(deadline));
    if (r <= 0) continue;
    uint8_t tmp[16384];
    const ssize_t n = recv(fd_, tmp, sizeof(tmp), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) closed_ = true;
  }
  return true;
}

void RawPeer::Reset() {
  if (fd_ < 0) return;
  linger l{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  close(fd_);
  fd_ = -1;
  closed_ = true;
}

void RawPeer::Close() {
  if (fd_ < 0) return;
  close(fd_);
  fd_ = -1;
  closed_ = true;
}

}  // namespace bgpy::testing
