#!/usr/bin/env python3
"""Injecting 1M IPv4 /32 routes into BIRD and FRR: bgpy-inject vs the
ingestion ceiling vs ExaBGP vs GoBGP (see bench/README.md).

--family=l3vpn-ipv4-unicast sends the same /32s as VPN-IPv4 routes (RD
--rd, label 16, the family's default) instead, into BIRD's vpn4 channel;
only the ceiling and bgpy injectors and the BIRD daemon support it.

For each target daemon (BIRD first, FRR second) and each injector, a fresh
daemon is started on loopback with its own config in a temp dir, the injector
is launched, and the wall time from the injector's launch until the daemon
holds all N routes is measured by polling the daemon's CLI socket every
~25 ms. Every daemon and injector is stopped at the end of its measurement;
every wait is bounded by --timeout.

Injectors:
  ceiling  a minimal Python BGP speaker (this file, --speaker mode): OPEN /
           KEEPALIVE to Established, then sendall() of a pre-encoded stream
           of maximum-size UPDATEs made by bgpy-encode-stream.
  bgpy     bgpy-inject (its own CPU time and peak RSS come from wait4()).
  exabgp   static routes with `split /32`, blocks chosen to give exactly N.
  gobgp    gobgpd peered with the daemon + `gobgp mrt inject global FILE`
           (a TABLE_DUMP_V2 RIB file written here, not timed).

--mrt-routes=N replays a real-looking table instead (issue 9): a
TABLE_DUMP_V2 RIB dump of one peer and N distinct /24s with collector-like
attributes (AS paths of 2-8 ASes, MED, communities, some AGGREGATOR) is
written here, `bgpy-inject --mrt` replays it (eBGP: our AS prepended, our
next hop), and the ceiling sends the very UPDATEs bgpy-inject produced,
recorded beforehand by this file's --recorder peer (one stream without and
one with extended messages); injectors ceiling and bgpy only.

Python 3 standard library only. Not a test: run by hand, as root, e.g.
  bench/inject_bench.py --build=build-rel
  bench/inject_bench.py --build=build-rel --mrt-routes=1000000 --daemons=bird
"""

import argparse
import json
import os
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

DAEMON_AS = 65000
LOCAL_AS = 65500
LOCAL_ADDR = '127.0.11.10'  # every injector's source address
DAEMON_ADDR = {'bird': '127.0.11.1', 'frr': '127.0.11.2'}
NEXT_HOP = '192.0.2.1'  # FRR and GoBGP reject 127/8 next hops as martians
# --family: (AFI, SAFI) for the OPEN's multiprotocol capability, BIRD's
# channel (and the table it needs), and what the output calls the routes.
FAMILIES = {
    'ipv4-unicast': {'mp': (1, 1), 'bird_table': '',
                     'bird_channel': 'ipv4 { import all; export none; };',
                     'what': 'IPv4 /32 routes'},
    'l3vpn-ipv4-unicast': {
        'mp': (1, 128), 'bird_table': 'vpn4 table vpntab;',
        'bird_channel':
            'vpn4 mpls { table vpntab; import all; export none; };',
        'what': 'VPN-IPv4 /32 routes (RFC 4364, one RD)'},
}
POLL_S = 0.025


# --------------------------------------------------------------------------
# Helpers


def free_port(addr):
    s = socket.socket()
    s.bind((addr, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening(addr, port):
    """True if something LISTENs on addr:port (from /proc/net/tcp)."""
    want = '%08X:%04X' % (struct.unpack('<I', socket.inet_aton(addr))[0],
                          port)
    try:
        with open('/proc/net/tcp') as f:
            for line in f:
                parts = line.split()
                if len(parts) > 3 and parts[1] == want and parts[3] == '0A':
                    return True
    except OSError:
        pass
    return False


def wait_for(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.02)
    raise RuntimeError('timed out after %.0f s waiting for %s' %
                       (timeout, what))


def stop_process(proc, sig=signal.SIGTERM, grace=5.0):
    """Stops a Popen started by us (by its pid only)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    except ProcessLookupError:
        pass


def blocks(first, count):
    """Aligned CIDR blocks covering [first, first + count) (integers)."""
    out = []
    a, end = first, first + count
    while a < end:
        size = a & -a if a else 1 << 32
        while size > end - a:
            size >>= 1
        out.append((a, 32 - size.bit_length() + 1))
        a += size
    return out


def ip_str(v):
    return socket.inet_ntoa(struct.pack('!I', v))


def ip_int(s):
    return struct.unpack('!I', socket.inet_aton(s))[0]


# --------------------------------------------------------------------------
# Target daemons


class Bird:
    name = 'BIRD'

    def __init__(self, tmp, addr, family='ipv4-unicast'):
        self.family = FAMILIES[family]
        self.dir = os.path.join(tmp, 'bird')
        os.makedirs(self.dir, exist_ok=True)
        self.addr = addr
        self.port = free_port(addr)
        self.sock_path = os.path.join(self.dir, 'bird.ctl')
        self.proc = None
        self.ctl = None

    def start(self):
        conf = os.path.join(self.dir, 'bird.conf')
        with open(conf, 'w') as f:
            f.write(f'''
router id 192.0.2.254;
{self.family['bird_table']}
protocol device {{ }}
protocol bgp inj {{
  local {self.addr} port {self.port} as {DAEMON_AS};
  strict bind on;
  neighbor {LOCAL_ADDR} as {LOCAL_AS};
  multihop;
  passive on;
  hold time 240;
  {self.family['bird_channel']}
}}
''')
        self.proc = subprocess.Popen(
            ['bird', '-f', '-c', conf, '-s', self.sock_path, '-P',
             os.path.join(self.dir, 'bird.pid')],
            stdout=subprocess.DEVNULL, stderr=open(
                os.path.join(self.dir, 'bird.log'), 'w'))
        wait_for(lambda: listening(self.addr, self.port), 10,
                 'BIRD to listen on %s:%d' % (self.addr, self.port))
        wait_for(self._connect, 10, 'BIRD control socket')

    def _connect(self):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(5)
            s.connect(self.sock_path)
            self.ctl = s
            self.buf = b''
            self._reply()  # greeting "0001 BIRD ... ready."
            return True
        except OSError:
            return False

    def _reply(self):
        lines = []
        while True:
            while b'\n' not in self.buf:
                chunk = self.ctl.recv(65536)
                if not chunk:
                    raise RuntimeError('BIRD control socket closed')
                self.buf += chunk
            line, self.buf = self.buf.split(b'\n', 1)
            lines.append(line.decode(errors='replace'))
            if len(line) >= 5 and line[:4].isdigit() and line[4:5] == b' ':
                return lines

    def count(self):
        # The protocol's import counter: O(1) for BIRD. `show route count`
        # walks the table (~0.35 s at 1M routes on BIRD's only thread), so
        # polling it would slow the very ingestion being measured; it is
        # used once, by verify(), after the counter reached N.
        self.ctl.sendall(b'show protocols all inj\n')
        for line in self._reply():
            words = line[5:].split()
            if len(words) > 2 and words[0] == 'Routes:' and \
                    words[2] == 'imported,':
                return int(words[1])
        return 0

    def verify(self):
        table = self.family['bird_table'].split()[2:3]  # ['vpntab;']
        cmd = 'show route table %s count' % table[0].rstrip(';') if table \
            else 'show route count'
        self.ctl.sendall(cmd.encode() + b'\n')
        for line in self._reply():
            words = line[5:].split()
            if len(words) > 2 and words[1] == 'of' and words[0].isdigit():
                return int(words[0])
        return 0

    def stop(self):
        if self.ctl:
            self.ctl.close()
            self.ctl = None
        stop_process(self.proc)


class Frr:
    name = 'FRR'

    def __init__(self, tmp, addr, family='ipv4-unicast'):
        if family != 'ipv4-unicast':
            raise ValueError('FRR: only ipv4-unicast is set up here')
        self.dir = os.path.join(tmp, 'frr')
        os.makedirs(self.dir, exist_ok=True)
        self.addr = addr
        self.port = free_port(addr)
        self.proc = None

    def start(self):
        conf = os.path.join(self.dir, 'bgpd.conf')
        n = LOCAL_ADDR
        with open(conf, 'w') as f:
            f.write(f'''frr defaults traditional
hostname h11bench
!
router bgp {DAEMON_AS}
 bgp router-id 192.0.2.254
 no bgp ebgp-requires-policy
 neighbor {n} remote-as {LOCAL_AS}
 neighbor {n} passive
 neighbor {n} ebgp-multihop 2
 neighbor {n} timers 80 240
 address-family ipv4 unicast
  neighbor {n} activate
 exit-address-family
!
''')
        for stale in ('bgpd.vty', 'bgpd.pid'):
            try:
                os.unlink(os.path.join(self.dir, stale))
            except FileNotFoundError:
                pass
        self.proc = subprocess.Popen(
            ['/usr/lib/frr/bgpd', '-f', conf, '-S', '-Z', '-l', self.addr,
             '-p', str(self.port), '-P', '0', '--vty_socket', self.dir,
             '-i', os.path.join(self.dir, 'bgpd.pid'),
             '--log', 'file:' + os.path.join(self.dir, 'bgpd.log'),
             '--log-level', 'critical'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: listening(self.addr, self.port), 15,
                 'bgpd to listen on %s:%d' % (self.addr, self.port))
        wait_for(lambda: os.path.exists(os.path.join(self.dir, 'bgpd.vty')),
                 10, 'bgpd vty socket')
        self.vty = socket.socket(socket.AF_UNIX)
        self.vty.settimeout(10)
        self.vty.connect(os.path.join(self.dir, 'bgpd.vty'))

    def _cmd(self, cmd):
        # vtysh's protocol: the command NUL-terminated; the reply ends with
        # three NULs and a status octet.
        self.vty.sendall(cmd.encode() + b'\0')
        buf = b''
        while True:
            chunk = self.vty.recv(1 << 16)
            if not chunk:
                raise RuntimeError('bgpd vty closed')
            buf += chunk
            if len(buf) >= 4 and buf[-4:-1] == b'\0\0\0':
                return buf[:-4].decode(errors='replace')

    def count(self):
        out = self._cmd('show bgp ipv4 unicast summary json')
        try:
            peers = json.loads(out).get('peers', {})
        except ValueError:
            return 0
        return int(peers.get(LOCAL_ADDR, {}).get('pfxRcd', 0))

    def verify(self):
        out = self._cmd('show bgp ipv4 unicast statistics json')
        try:
            for fam in json.loads(out).values():
                if isinstance(fam, dict) and 'totalPrefixes' in fam:
                    return int(fam['totalPrefixes'])
        except (ValueError, AttributeError):
            pass
        return self.count()

    def stop(self):
        try:
            self.vty.close()
        except Exception:  # noqa: BLE001 - best effort
            pass
        stop_process(self.proc)


# --------------------------------------------------------------------------
# The ceiling speaker (runs as its own process: `inject_bench.py --speaker`)


def bgp_msg(msg_type, body=b''):
    return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), msg_type) + body


def open_msg(asn, router_id, hold, extended, mp=(1, 1)):
    caps = b'\x01\x04' + struct.pack('!HBB', mp[0], 0, mp[1])  # RFC 4760
    caps += b'\x41\x04' + struct.pack('!I', asn)  # 4-octet AS (RFC 6793)
    if extended:
        caps += b'\x06\x00'  # extended message (RFC 8654)
    params = b'\x02' + bytes([len(caps)]) + caps
    my_as = asn if asn <= 0xffff else 23456
    body = struct.pack('!BHH4sB', 4, my_as, hold, socket.inet_aton(router_id),
                       len(params)) + params
    return bgp_msg(1, body)


def read_msg(sock):
    def exact(n):
        buf = b''
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise EOFError('peer closed the connection')
            buf += chunk
        return buf
    hdr = exact(19)
    length, mtype = struct.unpack('!HB', hdr[16:19])
    return mtype, exact(length - 19)


def peer_caps(body):
    """Capability codes in an OPEN body."""
    caps = set()
    plen = body[9]
    p = body[10:10 + plen]
    i = 0
    while i + 2 <= len(p):
        ptype, l = p[i], p[i + 1]
        if ptype == 2:
            c = p[i + 2:i + 2 + l]
            j = 0
            while j + 2 <= len(c):
                caps.add(c[j])
                j += 2 + c[j + 1]
        i += 2 + l
    return caps


def speaker_main(argv):
    ap = argparse.ArgumentParser(prog='inject_bench.py --speaker')
    ap.add_argument('--peer')
    ap.add_argument('--port', type=int)
    ap.add_argument('--local-address')
    ap.add_argument('--stream')
    ap.add_argument('--stream-extended', default='')
    ap.add_argument('--lifetime', type=float, default=300)
    ap.add_argument('--family', default='ipv4-unicast',
                    choices=sorted(FAMILIES))
    a = ap.parse_args(argv)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    deadline = time.monotonic() + a.lifetime
    s = socket.socket()
    s.bind((a.local_address, 0))
    s.settimeout(30)
    s.connect((a.peer, a.port))
    s.sendall(open_msg(LOCAL_AS, '192.0.2.10', 240, bool(a.stream_extended),
                       FAMILIES[a.family]['mp']))
    mtype, body = read_msg(s)
    if mtype != 1:
        sys.exit('speaker: expected OPEN, got type %d %s' % (mtype, body.hex()))
    extended = 6 in peer_caps(body) and a.stream_extended
    s.sendall(bgp_msg(4))
    while True:
        mtype, body = read_msg(s)
        if mtype == 4:
            break
        if mtype == 3:
            sys.exit('speaker: NOTIFICATION %s' % body.hex())
    with open(a.stream_extended if extended else a.stream, 'rb') as f:
        data = f.read()
    # For listen_bench.py: when the first byte goes (CLOCK_MONOTONIC).
    print('sending at %.6f' % time.monotonic(), flush=True)
    s.sendall(data)  # Established: the whole pre-encoded stream at once
    s.setblocking(False)
    last_ka = time.monotonic()
    while not stop and time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 0.5)
        if r:
            try:
                if not s.recv(1 << 16):
                    sys.exit('speaker: peer closed the session')
            except BlockingIOError:
                pass
        if time.monotonic() - last_ka > 60:
            s.sendall(bgp_msg(4))
            last_ka = time.monotonic()
    s.setblocking(True)
    s.sendall(bgp_msg(3, b'\x06\x02'))  # Cease / Administrative Shutdown
    s.close()


# --------------------------------------------------------------------------
# Injectors: each returns (popen-like objects to stop, extra info)


def write_mrt(path, first, count):
    """TABLE_DUMP_V2 (RFC 6396 §4.3): a PEER_INDEX_TABLE then one
    RIB_IPV4_UNICAST per /32, each with ORIGIN IGP, an empty AS_PATH (gobgpd
    prepends its AS on eBGP) and NEXT_HOP. A tail repeating the first 4000
    routes works around `gobgp mrt inject` dropping a file's last ~64 KB."""
    now = int(time.time())

    def mrt(subtype, body):
        return struct.pack('!IHHI', now, 13, subtype, len(body)) + body
    peer = struct.pack('!B4s4sI', 0x02, socket.inet_aton('192.0.2.10'),
                       socket.inet_aton(LOCAL_ADDR), LOCAL_AS)
    pit = struct.pack('!4sH', socket.inet_aton('192.0.2.10'), 0) + \
        struct.pack('!H', 1) + peer
    attrs = (b'\x40\x01\x01\x00' + b'\x40\x02\x00' + b'\x40\x03\x04' +
             socket.inet_aton(NEXT_HOP))
    entry = struct.pack('!HIH', 0, now, len(attrs)) + attrs
    tail = struct.pack('!H', 1) + entry
    hdr = struct.pack('!IHHI', now, 13, 2, 4 + 1 + 4 + len(tail))
    with open(path, 'wb') as f:
        f.write(mrt(1, pit))
        seq = 0
        chunk = []
        for i in list(range(count)) + list(range(min(count, 4000))):
            chunk.append(hdr + struct.pack('!IBI', seq, 32, first + i) + tail)
            seq += 1
            if len(chunk) >= 65536:
                f.write(b''.join(chunk))
                chunk = []
        f.write(b''.join(chunk))


def write_mrt_table(path, count, seed=7):
    """TABLE_DUMP_V2 of one peer (198.51.100.1, AS 64999) holding `count`
    distinct /24s from 1.0.0.0: a collector's table of one peer. As in real
    tables, neighbouring prefixes often share a path: runs of 1-40 prefixes
    take one of count/20 attribute sets, each with ORIGIN, a 4-octet AS_PATH
    of 2-8 ASes starting with the peer's, NEXT_HOP and (seeded) MED,
    COMMUNITIES, ATOMIC_AGGREGATE/AGGREGATOR. No AS of the path is BIRD's,
    the injector's or AS_TRANS, so every route is accepted."""
    import random
    rng = random.Random(seed)
    now = int(time.time())
    peer_ip, peer_as = socket.inet_aton('198.51.100.1'), 64999
    avoid = {DAEMON_AS, LOCAL_AS, 23456}

    def attr(flags, code, value):
        return struct.pack('!BBB', flags, code, len(value)) + value

    def asn():
        while True:
            a = rng.randrange(1, 400000)
            if a not in avoid:
                return a

    def attribute_set():
        path_asns = [peer_as] + [asn() for _ in range(rng.randrange(1, 8))]
        a = attr(0x40, 1, bytes([rng.choice((0, 0, 2))]))
        a += attr(0x40, 2, struct.pack('!BB', 2, len(path_asns)) +
                  b''.join(struct.pack('!I', x) for x in path_asns))
        a += attr(0x40, 3, peer_ip)
        if rng.random() < 0.3:
            a += attr(0x80, 4, struct.pack('!I', rng.randrange(1000)))
        if rng.random() < 0.5:
            a += attr(0xc0, 8, b''.join(
                struct.pack('!HH', 64999, rng.randrange(1, 3000))
                for _ in range(rng.randrange(1, 5))))
        if rng.random() < 0.03:
            a += attr(0x40, 6, b'') + attr(
                0xc0, 7, struct.pack('!I', path_asns[-1]) +
                socket.inet_aton('10.0.0.1'))
        return struct.pack('!HIH', 0, now, len(a)) + a
    pool = [attribute_set() for _ in range(max(1, count // 20))]

    def mrt(subtype, body):
        return struct.pack('!IHHI', now, 13, subtype, len(body)) + body
    pit = struct.pack('!4sH', socket.inet_aton('192.0.2.10'), 0) + \
        struct.pack('!HB4s4sI', 1, 0x02, peer_ip, peer_ip, peer_as)
    with open(path, 'wb') as f:
        f.write(mrt(1, pit))
        chunk = []
        i = 0
        while i < count:
            entry = b'\x00\x01' + rng.choice(pool)  # entry count 1
            for _ in range(min(rng.randrange(1, 41), count - i)):
                net = (1 << 24) + i * 256
                chunk.append(mrt(2, struct.pack('!IB', i, 24) +
                                 struct.pack('!I', net)[:3] + entry))
                i += 1
            if len(chunk) >= 65536:
                f.write(b''.join(chunk))
                chunk = []
        f.write(b''.join(chunk))


def recorder_main(argv):
    """A peer that bgpy-inject connects to: OPEN (with or without extended
    messages), KEEPALIVE, then every UPDATE it receives is written to --out
    until the End-of-RIB marker (an UPDATE with nothing in it)."""
    ap = argparse.ArgumentParser(prog='inject_bench.py --recorder')
    ap.add_argument('--listen')
    ap.add_argument('--port', type=int)
    ap.add_argument('--out')
    ap.add_argument('--extended', action='store_true')
    ap.add_argument('--timeout', type=float, default=300)
    a = ap.parse_args(argv)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((a.listen, a.port))
    srv.listen(1)
    srv.settimeout(a.timeout)
    s, _ = srv.accept()
    s.settimeout(a.timeout)
    mtype, body = read_msg(s)
    if mtype != 1:
        sys.exit('recorder: expected OPEN, got type %d' % mtype)
    s.sendall(open_msg(DAEMON_AS, '192.0.2.1', 240, a.extended))
    s.sendall(bgp_msg(4))
    n = 0
    with open(a.out, 'wb') as f:
        while True:
            mtype, body = read_msg(s)
            if mtype == 2:
                if len(body) == 4 and body == b'\x00' * 4:
                    break  # End-of-RIB (RFC 4724 §2)
                f.write(bgp_msg(2, body))
                n += 1
            elif mtype == 3:
                sys.exit('recorder: NOTIFICATION %s' % body.hex())
    s.sendall(bgp_msg(3, b'\x06\x02'))
    s.close()
    print('recorded %d UPDATEs' % n)


def record_stream(a, path, extended):
    """Runs bgpy-inject --mrt against the recorder (not timed)."""
    port = free_port('127.0.11.99')
    rec = subprocess.Popen([sys.executable, '-S', os.path.abspath(__file__),
                            '--recorder', '--listen', '127.0.11.99',
                            '--port', str(port), '--out', path] +
                           (['--extended'] if extended else []),
                           stdout=subprocess.PIPE, text=True)
    wait_for(lambda: listening('127.0.11.99', port), 10, 'recorder')
    inj = subprocess.run(
        [a.inject, '--peer=127.0.11.99', '--port=%d' % port,
         '--local-address=' + LOCAL_ADDR, '--local-as=%d' % LOCAL_AS,
         '--peer-as=%d' % DAEMON_AS, '--mrt=' + a.mrt_table,
         '--next-hop=' + NEXT_HOP, '--duration=%ds' % (a.timeout + 30),
         '--print=none'], capture_output=True, text=True,
        timeout=a.timeout + 60)
    out, _ = rec.communicate(timeout=60)
    if rec.returncode != 0:
        sys.exit('recording failed: %s\n%s' % (out, inj.stderr))
    return out.strip()


class Run:
    """One measurement: an injector against one fresh daemon."""

    def __init__(self, args, tmp, daemon, target):
        self.args, self.tmp, self.daemon, self.target = args, tmp, daemon, \
            target
        self.procs = []
        self.cpu_ms = self.rss_mb = None
        self.note = ''

    def spawn(self, cmd, env=None, log=None):
        out = open(log, 'w') if log else subprocess.DEVNULL
        p = subprocess.Popen(cmd, env=env, stdout=out,
                             stderr=subprocess.STDOUT if log else out)
        self.procs.append(p)
        return p

    def launch(self):
        a, d, t = self.args, self.daemon, self.target
        logdir = os.path.join(self.tmp, 'logs')
        os.makedirs(logdir, exist_ok=True)
        log = os.path.join(logdir, '%s-%s.log' % (d.name, t))
        self.log = log
        if t == 'ceiling':
            self.spawn([sys.executable, '-S', os.path.abspath(__file__),
                        '--speaker', '--peer', d.addr, '--port', str(d.port),
                        '--local-address', LOCAL_ADDR,
                        '--stream', a.stream4k,
                        '--stream-extended', a.stream64k,
                        '--family', a.family,
                        '--lifetime', str(a.timeout + 30)], log=log)
        elif t == 'bgpy':
            routes = (['--mrt=' + a.mrt_table] if a.mrt_routes else
                      ['--prefix=' + a.prefix, '--count=%d' % a.count])
            self.bgpy = self.spawn(
                [a.inject, '--peer=' + d.addr, '--port=%d' % d.port,
                 '--local-address=' + LOCAL_ADDR,
                 '--local-as=%d' % LOCAL_AS, '--peer-as=%d' % DAEMON_AS] +
                routes +
                ['--next-hop=' + NEXT_HOP, '--duration=%ds' % (a.timeout + 30),
                 '--print=none'] + a.family_flags, log=log)
        elif t == 'exabgp':
            conf = os.path.join(self.tmp, 'exabgp.conf')
            statics = ''.join(
                '    route %s/%d next-hop %s split /32;\n' %
                (ip_str(net), plen, NEXT_HOP)
                for net, plen in blocks(ip_int(a.prefix.split('/')[0]),
                                        a.count))
            with open(conf, 'w') as f:
                f.write(f'''neighbor {d.addr} {{
  router-id 192.0.2.10;
  local-address {LOCAL_ADDR};
  local-as {LOCAL_AS};
  peer-as {DAEMON_AS};
  hold-time 240;
  group-updates true;
  family {{ ipv4 unicast; }}
  static {{
{statics}  }}
}}
''')
            env = dict(os.environ)
            env.update({'exabgp.tcp.port': str(d.port),
                        'exabgp.daemon.user': 'root',
                        'exabgp.daemon.drop': 'false',
                        'exabgp.log.level': 'WARNING',
                        'exabgp.log.destination': log + '.exa'})
            self.spawn(['exabgp', conf], env=env, log=log)
        elif t == 'gobgp':
            api = free_port('127.0.0.1')
            self.api = api
            conf = os.path.join(self.tmp, 'gobgpd.toml')
            with open(conf, 'w') as f:
                f.write(f'''[global.config]
  as = {LOCAL_AS}
  router-id = "192.0.2.10"
  port = -1
[global.apply-policy.config]
  export-policy-list = ["nh"]
  default-export-policy = "accept-route"
[[policy-definitions]]
  name = "nh"
  [[policy-definitions.statements]]
    name = "nh"
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
    [policy-definitions.statements.actions.bgp-actions]
      set-next-hop = "{NEXT_HOP}"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "{d.addr}"
    peer-as = {DAEMON_AS}
  [neighbors.transport.config]
    local-address = "{LOCAL_ADDR}"
    remote-port = {d.port}
  [neighbors.ebgp-multihop.config]
    enabled = true
    multihop-ttl = 2
  [neighbors.timers.config]
    hold-time = 240
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
''')
            self.spawn(['gobgpd', '-f', conf, '-t', 'toml', '--api-hosts',
                        '127.0.0.1:%d' % api, '--pprof-disable', '-l', 'warn'],
                       log=log)
            self.gobgp_started = False

    def step(self):
        """Called every poll; drives multi-step injectors."""
        if self.target == 'gobgp' and not self.gobgp_started:
            if listening('127.0.0.1', self.api):
                self.spawn(['gobgp', '-p', str(self.api), 'mrt', 'inject',
                            'global', self.args.mrt_file],
                           log=self.log + '.inject')
                self.gobgp_started = True
                self.t_inject = time.monotonic()

    def measure(self):
        d, a = self.daemon, self.args
        t0 = time.monotonic()
        self.launch()
        deadline = t0 + a.timeout
        n = 0
        result = None
        while time.monotonic() < deadline:
            self.step()
            n = d.count()
            if n >= a.count:
                now = time.monotonic()
                result = now - t0
                held = d.verify()
                if held != n:
                    self.note += 'table holds %d routes; ' % held
                if self.target == 'gobgp' and self.gobgp_started:
                    self.note += '%.3f s of it after `gobgp mrt inject` ' \
                        'launch' % (now - self.t_inject)
                break
            if self.target == 'bgpy' and self.bgpy.poll() is not None:
                self.note = 'bgpy-inject exited %d early' % \
                    self.bgpy.returncode
                break
            if self.target in ('ceiling', 'exabgp') and \
                    self.procs[0].poll() is not None:
                self.note = '%s exited %d early' % (self.target,
                                                     self.procs[0].returncode)
                break
            time.sleep(POLL_S)
        if result is None and not self.note:
            self.note = 'timed out after %.0f s with %d of %d routes' % (
                a.timeout, n, a.count)
        self.finish()
        return result

    def finish(self):
        for p in reversed(self.procs):
            if self.target == 'bgpy' and p is self.bgpy:
                if p.poll() is None:
                    # Peak RSS from the process's own VmHWM: wait4's
                    # ru_maxrss is no good here, Linux carries it across
                    # exec, so it starts at this (vforking) Python's RSS.
                    try:
                        with open('/proc/%d/status' % p.pid) as f:
                            for line in f:
                                if line.startswith('VmHWM:'):
                                    self.rss_mb = int(line.split()[1]) / 1024
                    except OSError:
                        pass
                    p.send_signal(signal.SIGTERM)
                    # wait4 gives the child's own rusage.
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:
                        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                        if pid:
                            p.returncode = os.waitstatus_to_exitcode(status)
                            self.cpu_ms = (ru.ru_utime + ru.ru_stime) * 1e3
                            if self.rss_mb is None:  # upper bound only
                                self.rss_mb = ru.ru_maxrss / 1024.0
                            break
                        time.sleep(0.01)
                stop_process(p, signal.SIGKILL)
            else:
                stop_process(p)


# --------------------------------------------------------------------------


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--speaker':
        return speaker_main(sys.argv[2:])
    if len(sys.argv) > 1 and sys.argv[1] == '--recorder':
        return recorder_main(sys.argv[2:])
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--count', type=lambda s: int(float(s)),
                    default=1000000)
    ap.add_argument('--prefix', default='10.0.0.0/32')
    ap.add_argument('--family', default='ipv4-unicast',
                    choices=sorted(FAMILIES),
                    help='l3vpn-ipv4-unicast: VPN-IPv4 routes into BIRD\'s '
                         'vpn4 channel (ceiling and bgpy only)')
    ap.add_argument('--rd', default='65000:1',
                    help='route distinguisher of the VPN routes')
    ap.add_argument('--daemons', default='bird,frr')
    ap.add_argument('--injectors', default='ceiling,bgpy,exabgp,gobgp')
    ap.add_argument('--build', default=os.path.join(root, 'build'),
                    help='build dir holding bin/bgpy-inject and '
                         'bin/bgpy-encode-stream')
    ap.add_argument('--repeat', type=int, default=3,
                    help='runs of ceiling and bgpy (median reported)')
    ap.add_argument('--timeout', type=float, default=180,
                    help='seconds per measurement')
    ap.add_argument('--keep', action='store_true',
                    help='keep the temp dir (configs, logs)')
    ap.add_argument('--mrt-routes', type=lambda s: int(float(s)), default=0,
                    help='replay an MRT table of this many routes (see above)')
    a = ap.parse_args()
    if a.mrt_routes:
        a.count = a.mrt_routes
        if set(a.injectors.split(',')) - {'ceiling', 'bgpy'}:
            a.injectors = 'ceiling,bgpy'
            print('--mrt-routes: injectors ceiling,bgpy', file=sys.stderr)
    if not a.prefix.endswith('/32'):
        ap.error('--prefix must be a /32')
    # What bgpy-inject and bgpy-encode-stream are told besides the prefix.
    a.family_flags = [] if a.family == 'ipv4-unicast' else [
        '--family=' + a.family, '--rd=' + a.rd]
    if a.family != 'ipv4-unicast' and (
            set(a.injectors.split(',')) - {'ceiling', 'bgpy'} or
            a.daemons != 'bird'):
        ap.error('--family=%s: only --daemons=bird and --injectors='
                 'ceiling,bgpy' % a.family)
    a.inject = os.path.join(a.build, 'bin', 'bgpy-inject')
    encoder = os.path.join(a.build, 'bin', 'bgpy-encode-stream')
    injectors = a.injectors.split(',')
    for name, path in (('bgpy-inject', a.inject),
                       ('bgpy-encode-stream', encoder)):
        if not os.access(path, os.X_OK) and (
                name == 'bgpy-encode-stream' or 'bgpy' in injectors):
            sys.exit('%s not found at %s (build it, or pass --build)' %
                     (name, path))
    for tool in ('bird', 'birdc', 'exabgp', 'gobgpd', 'gobgp'):
        if shutil.which(tool) is None:
            print('warning: %s not installed' % tool, file=sys.stderr)

    tmp = tempfile.mkdtemp(prefix='inject-bench-')
    results = []  # (daemon, target, seconds or None, note, cpu, rss)
    try:
        a.stream4k = os.path.join(tmp, 'stream4k.bin')
        a.stream64k = os.path.join(tmp, 'stream64k.bin')
        if a.mrt_routes:
            a.mrt_table = os.path.join(tmp, 'table.mrt')
            write_mrt_table(a.mrt_table, a.mrt_routes)
            print('table: %d routes, %.1f MB' % (
                a.mrt_routes, os.path.getsize(a.mrt_table) / 1e6),
                file=sys.stderr)
            for path, ext in ((a.stream4k, False), (a.stream64k, True)):
                print('stream %s: %s' % ('65535' if ext else '4096',
                                         record_stream(a, path, ext)),
                      file=sys.stderr)
        for path, size in ((a.stream4k, 4096), (a.stream64k, 65535)):
            if a.mrt_routes:
                break
            out = subprocess.run(
                [encoder, '--out=' + path, '--count=%d' % a.count,
                 '--prefix=' + a.prefix, '--local-as=%d' % LOCAL_AS,
                 '--next-hop=' + NEXT_HOP, '--max-message-size=%d' % size] +
                a.family_flags,
                check=True, capture_output=True, text=True).stdout.split()
            print('stream %d: %s routes in %s UPDATEs, %s bytes' %
                  (size, out[0], out[1], out[2]), file=sys.stderr)
        if 'gobgp' in injectors:
            a.mrt_file = os.path.join(tmp, 'rib.mrt')
            write_mrt(a.mrt_file, ip_int(a.prefix.split('/')[0]), a.count)
        for dname in a.daemons.split(','):
            cls = {'bird': Bird, 'frr': Frr}[dname]
            for target in injectors:
                reps = a.repeat if target in ('ceiling', 'bgpy') else 1
                times, cpus, rsss, notes = [], [], [], []
                for rep in range(reps):
                    daemon = cls(tmp, DAEMON_ADDR[dname], a.family)
                    try:
                        daemon.start()
                        run = Run(a, tmp, daemon, target)
                        secs = run.measure()
                    finally:
                        daemon.stop()
                    print('%s %s run %d: %s %s' % (
                        daemon.name, target, rep + 1,
                        '%.3f s' % secs if secs else '-', run.note),
                        file=sys.stderr)
                    if secs is not None:
                        times.append(secs)
                    if run.cpu_ms is not None:
                        cpus.append(run.cpu_ms)
                        rsss.append(run.rss_mb)
                    if run.note:
                        notes.append(run.note)
                results.append((cls.name, target,
                                statistics.median(times) if times else None,
                                '; '.join(sorted(set(notes))),
                                statistics.median(cpus) if cpus else None,
                                max(rsss) if rsss else None, times))
    finally:
        if a.keep:
            print('kept', tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    what = ('routes of an MRT table (one peer, distinct /24s) replayed by '
            'bgpy-inject --mrt' if a.mrt_routes else FAMILIES[a.family]['what'])
    print('\n%d %s; seconds from injector launch until the '
          'daemon holds all of them (median of %d runs for ceiling and bgpy)'
          % (a.count, what, a.repeat))
    print('| target | injector | seconds | ratio to ceiling | '
          'bgpy-inject CPU ms | peak RSS MB | runs / note |')
    print('|---|---|---|---|---|---|---|')
    for dname, target, secs, note, cpu, rss, times in results:
        ceil = next((r[2] for r in results
                     if r[0] == dname and r[1] == 'ceiling'), None)
        ratio = '%.2f' % (secs / ceil) if secs and ceil else '-'
        print('| %s | %s | %s | %s | %s | %s | %s |' % (
            dname, target, '%.3f' % secs if secs else 'not measured', ratio,
            '%.0f' % cpu if cpu is not None else '',
            '%.1f' % rss if rss is not None else '',
            note or ' '.join('%.3f' % t for t in times)))
    for dname in sorted({r[0] for r in results}):
        row = {r[1]: r[2] for r in results if r[0] == dname}
        b, c = row.get('bgpy'), row.get('ceiling')
        others = [row[k] for k in ('exabgp', 'gobgp') if row.get(k)]
        if b and c:
            # Issue 7's target for generated /32s; a replayed MRT table
            # (issue 9) has 1.2.
            print('%s: bgpy/ceiling %.2f (target <= %s)' % (
                dname, b / c, '1.2' if a.mrt_routes else '1.10'))
        if b and others:
            print('%s: fastest of ExaBGP/GoBGP / bgpy = %.1fx (target >= 10)'
                  % (dname, min(others) / b))


if __name__ == '__main__':
    sys.exit(main())
