#!/usr/bin/env python3
"""Decoding a 1M-route MRT RIB dump: bgpy-decode vs bgpdump (bench/README.md).

Writes an uncompressed TABLE_DUMP_V2 RIB dump (RFC 6396 §4.3) of N routes
(default 1,000,000): a PEER_INDEX_TABLE of P peers (default 10, IPv4,
4-octet AS) and N/P RIB_IPV4_UNICAST records, one per prefix, each with an
entry per peer. Every entry has ORIGIN, a 4-octet AS_PATH of 2 to 8 ASes
(prepends and an AS_SET now and then), NEXT_HOP, and some MED, LOCAL_PREF,
COMMUNITIES (well-known ones too) and AGGREGATOR/ATOMIC_AGGREGATE: what a
collector's table looks like. Seeded, so every run writes the same file.

Then, in the same run, whole processes with output to /dev/null, each
--repeat times (median reported):
  bgpdump -m FILE                                  (the baseline)
  bgpy-decode --input=mrt --format=bgpdump FILE
  bgpy-decode --input=mrt --format=json FILE
(the two bgpy-decode runs also with --threads=1: the default renders on
one worker thread per core, --threads=1 on the reading thread alone)
(and the same two from --baseline=DIR, another build, if given) and prints wall and CPU seconds (user+sys from wait4) and the ratios
against bgpdump. It also checks once that bgpy's bgpdump lines equal
bgpdump's, line for line (--no-check skips it).

Python 3 standard library only. Not a test: run by hand, e.g.
  bench/mrt_bench.py --build=build-rel
"""

import argparse
import itertools
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack('!BBH', flags | 0x10, code, len(value)) + value
    return struct.pack('!BBB', flags, code, len(value)) + value


def entry_attributes(rng, peer_as, peer_ip):
    out = attr(0x40, 1, bytes([rng.choice((0, 0, 0, 2))]))  # ORIGIN
    path = [peer_as] + [rng.randrange(1, 400000) for _ in range(rng.randrange(1, 7))]
    if rng.random() < 0.1:
        path.insert(1, path[0])  # a prepend
    seg = struct.pack('!BB', 2, len(path)) + b''.join(struct.pack('!I', a) for a in path)
    if rng.random() < 0.02:
        aset = [rng.randrange(1, 65000) for _ in range(rng.randrange(1, 4))]
        seg += struct.pack('!BB', 1, len(aset)) + b''.join(struct.pack('!I', a) for a in aset)
    out += attr(0x40, 2, seg)  # AS_PATH
    out += attr(0x40, 3, peer_ip)  # NEXT_HOP
    if rng.random() < 0.3:
        out += attr(0x80, 4, struct.pack('!I', rng.randrange(0, 1000)))  # MED
    if rng.random() < 0.2:
        out += attr(0x40, 5, struct.pack('!I', rng.choice((100, 200, 80))))
    if rng.random() < 0.05:
        out += attr(0x40, 6, b'')  # ATOMIC_AGGREGATE
        out += attr(0xc0, 7, struct.pack('!I', path[-1]) + bytes([10, 0, 0, 1]))
    if rng.random() < 0.5:
        comms = [struct.pack('!HH', peer_as & 0xffff, rng.randrange(1, 5000))
                 for _ in range(rng.randrange(1, 6))]
        if rng.random() < 0.1:
            comms.append(struct.pack('!I', 0xFFFFFF01))  # no-export
        out += attr(0xc0, 8, b''.join(comms))
    return out


def write_rib(path, routes, peers, seed=1):
    rng = random.Random(seed)
    t = 1700000000

    def record(subtype, body):
        return struct.pack('!IHHI', t, 13, subtype, len(body)) + body

    peer_list = []
    for i in range(peers):
        ip = bytes([198, 51, 100 + i // 250, 1 + i % 250])
        asn = 64500 + i * 1000 + 200000  # 4-octet
        peer_list.append((ip, asn))
    body = struct.pack('!I', 0x0a000001) + struct.pack('!H', 4) + b'test'
    body += struct.pack('!H', peers)
    for ip, asn in peer_list:
        body += bytes([0x02]) + ip + ip + struct.pack('!I', asn)
    prefixes = routes // peers
    with open(path, 'wb') as f:
        f.write(record(1, body))
        for seq in range(prefixes):
            # /24s from 1.0.0.0 upward, some /16s and /22s
            length = rng.choice((24, 24, 24, 24, 22, 23, 20, 16))
            a = (1 << 24) + seq * 256
            pfx = struct.pack('!I', a)[: (length + 7) // 8]
            rib = struct.pack('!IB', seq, length) + pfx + struct.pack('!H', peers)
            for idx, (ip, asn) in enumerate(peer_list):
                attrs = entry_attributes(rng, asn, ip)
                rib += struct.pack('!HIH', idx, t - 3600, len(attrs)) + attrs
            f.write(record(2, rib))
    return prefixes * peers


def run(cmd, out=subprocess.DEVNULL):
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors='replace')
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f'{cmd[0]} exited {proc.returncode}: {err.strip()}')
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build', help='build directory (bin/bgpy-decode)')
    ap.add_argument('--routes', type=int, default=1000000)
    ap.add_argument('--peers', type=int, default=10)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--no-check', action='store_true')
    ap.add_argument('--keep', help='write the dump here and keep it')
    ap.add_argument('--baseline', metavar='DIR',
                    help='another build directory (e.g. of an older commit) '
                         'whose bgpy-decode runs in the same rounds')
    args = ap.parse_args()

    decode = os.path.join(args.build, 'bin', 'bgpy-decode')
    if not os.access(decode, os.X_OK):
        sys.exit(f'no {decode}: build first (cmake --build {args.build})')
    bgpdump = shutil.which('bgpdump')
    if bgpdump is None:
        sys.exit('bgpdump is not installed (apt-get install bgpdump)')

    tmp = tempfile.mkdtemp(prefix='bgpy-mrt-bench-')
    try:
        path = args.keep or os.path.join(tmp, 'rib.mrt')
        t0 = time.monotonic()
        n = write_rib(path, args.routes, args.peers)
        size = os.path.getsize(path)
        print(f'dump: {n} routes, {args.peers} peers, {size / 1e6:.1f} MB '
              f'(written in {time.monotonic() - t0:.1f} s)')

        if not args.no_check:
            with open(os.path.join(tmp, 'a.txt'), 'wb') as a, \
                    open(os.path.join(tmp, 'b.txt'), 'wb') as b:
                run([bgpdump, '-m', path], out=a)
                run([decode, '--input=mrt', '--format=bgpdump', path], out=b)
            # Line by line from the files: the lists of a million lines
            # would swell this process, and the children forked from it
            # report its peak RSS as theirs.
            na = nb = diff = 0
            first = None
            with open(os.path.join(tmp, 'a.txt'), 'rb') as a, \
                    open(os.path.join(tmp, 'b.txt'), 'rb') as b:
                for x, y in itertools.zip_longest(a, b):
                    na += x is not None
                    nb += y is not None
                    if x != y:
                        diff += 1
                        if first is None:
                            first = (x or b'').rstrip(b'\n'), (y or b'').rstrip(b'\n')
            os.remove(os.path.join(tmp, 'a.txt'))
            os.remove(os.path.join(tmp, 'b.txt'))
            print(f'check: bgpdump {na} lines, bgpy {nb} lines, {diff} differ')
            if diff:
                print(f'  bgpdump: {first[0].decode()}\n  bgpy:    {first[1].decode()}')
                sys.exit('outputs differ')

        # The default (one thread) and --threads=0 (a worker per core).
        cases = [
            ('bgpdump -m', [bgpdump, '-m', path]),
            ('bgpy-decode --format=bgpdump',
             [decode, '--input=mrt', '--format=bgpdump', path]),
            ('  --format=bgpdump --threads=1',
             [decode, '--threads=1', '--input=mrt', '--format=bgpdump', path]),
            ('bgpy-decode --format=json',
             [decode, '--input=mrt', '--format=json', path]),
            ('  --format=json --threads=1',
             [decode, '--threads=1', '--input=mrt', '--format=json', path]),
        ]
        if args.baseline:
            base = os.path.join(args.baseline, 'bin', 'bgpy-decode')
            if not os.access(base, os.X_OK):
                sys.exit(f'no {base}')
            cases += [
                ('baseline --format=bgpdump',
                 [base, '--input=mrt', '--format=bgpdump', path]),
                ('baseline --format=json',
                 [base, '--input=mrt', '--format=json', path]),
            ]
        results = {}
        for _ in range(args.repeat):  # interleaved, so load hits all alike
            for name, cmd in cases:
                results.setdefault(name, []).append(run(cmd))
        base_wall = statistics.median(r[0] for r in results['bgpdump -m'])
        base_cpu = statistics.median(r[1] for r in results['bgpdump -m'])
        print(f'{"":32} {"wall s":>8} {"cpu s":>8} {"MB/s":>8} {"RSS MB":>7}'
              f' {"wall vs bgpdump":>16} {"cpu vs bgpdump":>15}')
        for name, _ in cases:
            wall = statistics.median(r[0] for r in results[name])
            cpu = statistics.median(r[1] for r in results[name])
            rss = max(r[2] for r in results[name]) / 1024
            print(f'{name:32} {wall:8.3f} {cpu:8.3f} {size / 1e6 / wall:8.1f}'
                  f' {rss:7.1f} {base_wall / wall:15.1f}x {base_cpu / cpu:14.1f}x')
        print(f'load average: {os.getloadavg()[0]:.2f} (2 cores shared)')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
