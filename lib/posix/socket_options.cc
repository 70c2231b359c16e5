// Copyright 2026 The bgpy Authors.
//
// Socket addresses and options of the POSIX transport: source binding, TTL
// and GTSM (RFC 5082), TCP MD5 (RFC 2385), buffer sizes, graceful close.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "posix/internal.h"

namespace bgpy {
namespace posix {

std::string FormatEndpoint(const IpAddress& address, uint16_t port) {
  if (address.is_v6()) return absl::StrCat("[", address.ToString(), "]:", port);
  return absl::StrCat(address.ToString(), ":", port);
}

namespace internal {

socklen_t ToSockaddr(const IpAddress& a, uint16_t port, bool as_v6,
                     sockaddr_storage* ss) {
  std::memset(ss, 0, sizeof(*ss));
  if (a.is_v4() && !as_v6) {
    auto* sin = reinterpret_cast<sockaddr_in*>(ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, a.bytes(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(ss);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  if (a.is_v4()) {
    sin6->sin6_addr.s6_addr[10] = 0xff;
    sin6->sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&sin6->sin6_addr.s6_addr[12], a.bytes(), 4);
  } else {
    std::memcpy(&sin6->sin6_addr, a.bytes(), 16);
  }
  return sizeof(sockaddr_in6);
}

IpAddress FromSockaddr(const sockaddr_storage& ss, uint16_t* port) {
  if (ss.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    *port = ntohs(sin->sin_port);
    return IpAddress::V4Bytes(reinterpret_cast<const uint8_t*>(&sin->sin_addr));
  }
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  *port = ntohs(sin6->sin6_port);
  const uint8_t* b = sin6->sin6_addr.s6_addr;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMappedPrefix, sizeof(kMappedPrefix)) == 0)
    return IpAddress::V4Bytes(b + 12);
  return IpAddress::V6Bytes(b);
}

std::optional<IpAddress> LocalAddress(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
    return std::nullopt;
  uint16_t port = 0;
  return FromSockaddr(ss, &port);
}

absl::Status SetInt(int fd, int level, int name, int value,
                    absl::string_view what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
    return absl::ErrnoToStatus(errno, what);
  return absl::OkStatus();
}

absl::Status SetMd5Key(int fd, bool fd_v6, const IpAddress& peer,
                       absl::string_view key) {
  tcp_md5sig sig;
  std::memset(&sig, 0, sizeof(sig));
  ToSockaddr(peer, 0, fd_v6, &sig.tcpm_addr);
  sig.tcpm_keylen = static_cast<uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) < 0)
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("TCP_MD5SIG on ", peer.ToString()));
  return absl::OkStatus();
}

absl::Status SetMd5PrefixKey(int fd, bool fd_v6, const Prefix& prefix,
                             absl::string_view key) {
  tcp_md5sig sig;
  std::memset(&sig, 0, sizeof(sig));
  ToSockaddr(prefix.address(), 0, fd_v6, &sig.tcpm_addr);
  // For a v4-mapped address the kernel takes the IPv4 prefix length.
  sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
  sig.tcpm_prefixlen = static_cast<uint8_t>(prefix.length());
  sig.tcpm_keylen = static_cast<uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG_EXT, &sig, sizeof(sig)) < 0)
    return absl::ErrnoToStatus(
        errno, absl::StrCat("TCP_MD5SIG_EXT on ", prefix.ToString()));
  return absl::OkStatus();
}

absl::Status SetListenerTtl(int fd, bool v6, int ttl, int min_ttl) {
  static const IpAddress kV4 = IpAddress::V4(0);
  static const IpAddress kV6 = IpAddress::V6(std::array<uint8_t, 16>{});
  BGPY_RETURN_IF_ERROR(SetTtl(fd, kV4, ttl, min_ttl));
  if (v6) BGPY_RETURN_IF_ERROR(SetTtl(fd, kV6, ttl, min_ttl));
  return absl::OkStatus();
}

bool PrefixContains(const Prefix& p, const IpAddress& a) {
  if (p.address().is_v6() != a.is_v6()) return false;
  const uint8_t* x = p.address().bytes();
  const uint8_t* y = a.bytes();
  int bits = p.length();
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask =
        bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((x[i] & mask) != (y[i] & mask)) return false;
  }
  return true;
}

absl::Status SetTtl(int fd, const IpAddress& peer, int ttl, int min_ttl) {
  const std::string who = peer.ToString();
  if (ttl > 0) {
    if (peer.is_v4()) {
      BGPY_RETURN_IF_ERROR(
          SetInt(fd, IPPROTO_IP, IP_TTL, ttl, absl::StrCat("IP_TTL on ", who)));
    } else {
      BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl,
                                  absl::StrCat("IPV6_UNICAST_HOPS on ", who)));
    }
  }
  if (min_ttl > 0) {
    if (peer.is_v4()) {
      BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_IP, IP_MINTTL, min_ttl,
                                  absl::StrCat("IP_MINTTL on ", who)));
    } else {
      BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, min_ttl,
                                  absl::StrCat("IPV6_MINHOPCOUNT on ", who)));
    }
  }
  return absl::OkStatus();
}

absl::Status ConfigureConnection(int fd, const PeerConfig& c) {
  const std::string who = c.address.ToString();
  BGPY_RETURN_IF_ERROR(SetInt(fd, IPPROTO_TCP, TCP_NODELAY, 1,
                              absl::StrCat("TCP_NODELAY on ", who)));
  BGPY_RETURN_IF_ERROR(SetTtl(fd, c.address, c.ttl, c.min_ttl));
  if (c.send_buffer_size > 0)
    BGPY_RETURN_IF_ERROR(SetInt(fd, SOL_SOCKET, SO_SNDBUF, c.send_buffer_size,
                                absl::StrCat("SO_SNDBUF on ", who)));
  if (c.receive_buffer_size > 0)
    BGPY_RETURN_IF_ERROR(SetInt(fd, SOL_SOCKET, SO_RCVBUF,
                                c.receive_buffer_size,
                                absl::StrCat("SO_RCVBUF on ", who)));
  return absl::OkStatus();
}

void CloseGracefully(int fd) {
  shutdown(fd, SHUT_WR);
  uint8_t sink[4096];
  for (int i = 0; i < 64; ++i) {
    ssize_t n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
    if (n <= 0) break;
  }
  close(fd);
}

PeerKey KeyOf(const PeerConfig& c) {
  IpAddress local = c.local_address.value_or(
      c.address.is_v4() ? IpAddress::V4(0)
                        : IpAddress::V6(std::array<uint8_t, 16>{}));
  return PeerKey(c.address, c.port, local);
}

}  // namespace internal
}  // namespace posix
}  // namespace bgpy
