// bgpy-drain: the receiving side's ceiling for bench/listen_bench.py. A
// passive BGP speaker reduced to what the sender needs: it accepts one
// connection, answers the peer's OPEN with a fixed OPEN (4-octet AS,
// MP ipv4-unicast, extended message) and a KEEPALIVE, and once the peer's
// KEEPALIVE arrives it read()s the stream into one buffer, looking only at
// each message's header to find the IPv4 unicast End-of-RIB (an UPDATE of
// 23 octets). No bgpy code and no decoding: what is left is the kernel's
// cost of moving the bytes.
//
//   bgpy-drain --listen=127.0.12.1 [--port=0] [--local-as=65000]
//              [--no-extended] [--lifetime=120]
//
// Prints on stdout, flushed at once:
//   listening PORT
//   established
//   eor BYTES UPDATES      (bytes and UPDATEs after Established, EoR included)
// then keeps draining until the peer closes, SIGTERM, or --lifetime seconds.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

bool Flag(const char* arg, const char* name, std::string* value) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "bgpy-drain: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

void WriteAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      Die("write");
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// Reads one whole message into `msg`; false at EOF.
bool ReadMessage(int fd, std::vector<uint8_t>& msg) {
  auto exact = [fd](uint8_t* p, size_t n) {
    while (n > 0) {
      const ssize_t r = read(fd, p, n);
      if (r == 0) return false;
      if (r < 0) {
        if (errno == EINTR) continue;
        Die("read");
      }
      p += r;
      n -= static_cast<size_t>(r);
    }
    return true;
  };
  msg.resize(19);
  if (!exact(msg.data(), 19)) return false;
  const size_t len = static_cast<size_t>(msg[16]) << 8 | msg[17];
  if (len < 19) {
    std::fprintf(stderr, "bgpy-drain: bad message length %zu\n", len);
    std::exit(1);
  }
  msg.resize(len);
  return exact(msg.data() + 19, len - 19);
}

std::vector<uint8_t> Message(uint8_t type, const std::vector<uint8_t>& body) {
  std::vector<uint8_t> m(16, 0xff);
  const size_t len = 19 + body.size();
  m.push_back(static_cast<uint8_t>(len >> 8));
  m.push_back(static_cast<uint8_t>(len));
  m.push_back(type);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

std::vector<uint8_t> OpenMessage(uint32_t asn, bool extended) {
  std::vector<uint8_t> caps = {1,
                               4,
                               0,
                               1,
                               0,
                               1,  // MP: ipv4 unicast
                               65,
                               4,  // 4-octet AS (RFC 6793)
                               static_cast<uint8_t>(asn >> 24),
                               static_cast<uint8_t>(asn >> 16),
                               static_cast<uint8_t>(asn >> 8),
                               static_cast<uint8_t>(asn)};
  if (extended) caps.insert(caps.end(), {6, 0});  // RFC 8654
  const uint16_t my_as = asn > 0xffff ? 23456 : static_cast<uint16_t>(asn);
  std::vector<uint8_t> body = {4,
                               static_cast<uint8_t>(my_as >> 8),
                               static_cast<uint8_t>(my_as),
                               0,
                               240,  // hold time
                               192,
                               0,
                               2,
                               253,  // router id
                               static_cast<uint8_t>(caps.size() + 2),
                               2,
                               static_cast<uint8_t>(caps.size())};
  body.insert(body.end(), caps.begin(), caps.end());
  return Message(1, body);
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen_addr = "127.0.12.1", value;
  unsigned long port = 0, local_as = 65000, lifetime = 120;
  bool extended = true;
  for (int i = 1; i < argc; ++i) {
    if (Flag(argv[i], "--listen", &value)) {
      listen_addr = value;
    } else if (Flag(argv[i], "--port", &value)) {
      port = std::strtoul(value.c_str(), nullptr, 10);
    } else if (Flag(argv[i], "--local-as", &value)) {
      local_as = std::strtoul(value.c_str(), nullptr, 10);
    } else if (Flag(argv[i], "--lifetime", &value)) {
      lifetime = std::strtoul(value.c_str(), nullptr, 10);
    } else if (std::strcmp(argv[i], "--no-extended") == 0) {
      extended = false;
    } else {
      std::fprintf(stderr,
                   "usage: bgpy-drain [--listen=ADDR] [--port=N] "
                   "[--local-as=ASN] [--no-extended] [--lifetime=S]\n");
      return 1;
    }
  }
  alarm(static_cast<unsigned>(lifetime));  // bounded, whatever happens

  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, listen_addr.c_str(), &sa.sin_addr) != 1) {
    std::fprintf(stderr, "bgpy-drain: bad --listen address\n");
    return 1;
  }
  const int ls = socket(AF_INET, SOCK_STREAM, 0);
  if (ls < 0) Die("socket");
  const int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(ls, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) Die("bind");
  if (listen(ls, 1) < 0) Die("listen");
  socklen_t salen = sizeof sa;
  getsockname(ls, reinterpret_cast<sockaddr*>(&sa), &salen);
  std::printf("listening %u\n", ntohs(sa.sin_port));
  std::fflush(stdout);

  const int fd = accept(ls, nullptr, nullptr);
  if (fd < 0) Die("accept");
  close(ls);

  // OPEN / KEEPALIVE exchange; the peer's OPEN is not checked.
  std::vector<uint8_t> msg;
  if (!ReadMessage(fd, msg) || msg[18] != 1) {
    std::fprintf(stderr, "bgpy-drain: expected OPEN\n");
    return 1;
  }
  const std::vector<uint8_t> open =
      OpenMessage(static_cast<uint32_t>(local_as), extended);
  const std::vector<uint8_t> keepalive = Message(4, {});
  WriteAll(fd, open.data(), open.size());
  WriteAll(fd, keepalive.data(), keepalive.size());
  for (;;) {
    if (!ReadMessage(fd, msg)) return 1;
    if (msg[18] == 4) break;
    if (msg[18] == 3) {
      std::fprintf(stderr, "bgpy-drain: NOTIFICATION received\n");
      return 1;
    }
  }
  std::printf("established\n");
  std::fflush(stdout);

  // The drain: one buffer; a header (or a possible End-of-RIB) cut by a
  // read is moved to the front, a body cut by a read is skipped.
  constexpr size_t kBuf = 1 << 20;
  std::vector<uint8_t> buf(kBuf);
  size_t have = 0, skip = 0;
  uint64_t bytes = 0, updates = 0;
  bool eor = false;
  for (;;) {
    const ssize_t r = read(fd, buf.data() + have, kBuf - have);
    if (r == 0) break;
    if (r < 0) {
      if (errno == EINTR) continue;
      Die("read");
    }
    bytes += static_cast<uint64_t>(r);
    if (eor) continue;
    const uint8_t* p = buf.data();
    const uint8_t* end = p + have + r;
    const size_t d = skip < static_cast<size_t>(end - p) ? skip : end - p;
    p += d;
    skip -= d;
    while (end - p >= 19) {
      const size_t len = static_cast<size_t>(p[16]) << 8 | p[17];
      if (len < 19) {
        std::fprintf(stderr, "bgpy-drain: bad message length %zu\n", len);
        return 1;
      }
      if (p[18] == 2) {
        if (len == 23) {
          if (end - p < 23) break;  // a possible End-of-RIB, cut
          if ((p[19] | p[20] | p[21] | p[22]) == 0) {
            eor = true;
            ++updates;
            std::printf("eor %llu %llu\n",
                        static_cast<unsigned long long>(bytes),
                        static_cast<unsigned long long>(updates));
            std::fflush(stdout);
            break;
          }
        }
        ++updates;
      }
      if (static_cast<size_t>(end - p) >= len) {
        p += len;
      } else {
        skip = len - (end - p);
        p = end;
      }
    }
    have = eor ? 0 : end - p;
    if (have) std::memmove(buf.data(), p, have);
  }
  close(fd);
  return 0;
}
