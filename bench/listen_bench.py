#!/usr/bin/env python3
"""bgpy-listen's ingest of N IPv4 /32 routes over loopback, against the
receiving side's ceiling (a plain read() loop), in one run (bench/README.md).

Receivers, each started fresh on 127.0.12.1 (a free port) for every run:
  drain  bgpy-drain (bench/drain_receiver.cc): OPEN/KEEPALIVE, then read()
         into one buffer, looking only at message headers for the End-of-RIB.
         The ceiling.
  none   bgpy-listen --print=none (stderr piped here, stdout to /dev/null).
  json   bgpy-listen --print=json, stdout to /dev/null.
  text   bgpy-listen --print=text, stdout to /dev/null (not by default).

Senders (from 127.0.12.10, AS 65500, to AS 65000):
  inject  bgpy-inject --count=N --prefix=10.0.0.0/32 --print=none, which
          ends the routes with an End-of-RIB.
  stream  inject_bench.py's minimal Python speaker sendall()ing a stream
          pre-encoded by bgpy-encode-stream (N routes and an End-of-RIB): a
          sender that costs almost nothing, so the receiver is the limit.

What is timed, per run (the receiver is already listening):
  wall  from the start until the receiver's
        End-of-RIB line arrives on the pipe this script reads: bgpy-drain
        prints "eor BYTES UPDATES", bgpy-listen prints "PEER: End-of-RIB
        ipv4-unicast (N announced)" on stderr, after every route before it
        was counted (and printed). The start: for bgpy-inject, its launch
        (just before the fork: its start-up, handshake and route generation
        are in it, alike for every receiver); for the stream speaker, the
        CLOCK_MONOTONIC it prints just before its sendall(). The time after
        the receiver's "Established" line is logged too.
  CPU   the receiver's CPU time between its Established line and its
        End-of-RIB line (so without its start-up), from /proc/PID/schedstat
        (ns; rusage counts clock ticks), read as soon as each line arrives. On loopback part of the receive path runs in the
        sender's send() and is charged to the sender.
routes/s = N / wall. Then receiver and sender get SIGTERM. Every wait is
bounded by --timeout.

  bench/listen_bench.py --build=build-rel
  bench/listen_bench.py --build=build-rel --senders=inject --sizes=4096

Python 3 standard library only; needs no root (loopback, ports > 1024).
"""

import argparse
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inject_bench as ib  # noqa: E402  (free_port, listening, the speaker)

RECV_ADDR = '127.0.12.1'
SEND_ADDR = '127.0.12.10'
RECV_AS = 65000


def receiver_cmd(a, kind, port, size):
    if kind == 'drain':
        cmd = [a.drain, '--listen=' + RECV_ADDR, '--port=%d' % port,
               '--local-as=%d' % RECV_AS, '--lifetime=%d' % (a.timeout + 30)]
        if size <= 4096:
            cmd.append('--no-extended')
        return cmd
    cmd = [a.listen, '--listen=%s:%d' % (RECV_ADDR, port),
           '--local-as=%d' % RECV_AS, '--print=' + kind,
           '--duration=%ds' % (a.timeout + 30), '--hold-time=240']
    return cmd


def sender_cmd(a, kind, port, size):
    if kind == 'inject':
        return [a.inject, '--peer=' + RECV_ADDR, '--port=%d' % port,
                '--local-address=' + SEND_ADDR, '--local-as=%d' % ib.LOCAL_AS,
                '--peer-as=%d' % RECV_AS, '--prefix=10.0.0.0/32',
                '--count=%d' % a.count, '--next-hop=' + ib.NEXT_HOP,
                '--max-message-size=%d' % size, '--hold-time=240',
                '--duration=%ds' % (a.timeout + 30), '--print=none']
    cmd = [sys.executable, '-S', os.path.join(a.here, 'inject_bench.py'),
           '--speaker', '--peer', RECV_ADDR, '--port', str(port),
           '--local-address', SEND_ADDR, '--lifetime', str(a.timeout + 30)]
    if size > 4096:
        cmd += ['--stream', a.streams[4096], '--stream-extended',
                a.streams[size]]
    else:
        cmd += ['--stream', a.streams[size]]
    return cmd


def one_run(a, receiver, sender, size):
    """Returns (seconds from the sender's launch, seconds from Established,
    the receiver's CPU ms until End-of-RIB, note)."""
    port = ib.free_port(RECV_ADDR)
    is_drain = receiver == 'drain'
    rproc = subprocess.Popen(
        receiver_cmd(a, receiver, port, size),
        stdout=subprocess.PIPE if is_drain else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if is_drain else subprocess.PIPE)
    pipe = rproc.stdout if is_drain else rproc.stderr
    sproc = None
    t_est = t_eor = cpu_ms = cpu_est = None
    note = ''
    lines = []
    try:
        ib.wait_for(lambda: ib.listening(RECV_ADDR, port), 10,
                    'the receiver to listen on %s:%d' % (RECV_ADDR, port))
        t0 = time.monotonic()
        sproc = subprocess.Popen(sender_cmd(a, sender, port, size),
                                 stdout=subprocess.PIPE
                                 if sender == 'stream' else
                                 subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + a.timeout
        buf = b''
        fd = pipe.fileno()
        while t_eor is None and time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 0.25)
            if not r:
                if rproc.poll() is not None:
                    note = 'receiver exited %d' % rproc.returncode
                    break
                continue
            chunk = os.read(fd, 65536)
            now = time.monotonic()
            if not chunk:
                note = 'receiver closed its output'
                break
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                line = line.decode(errors='replace')
                lines.append(line)
                if t_est is None and (line == 'established' or
                                      '-> Established' in line):
                    t_est = now
                    cpu_est = schedstat_ms(rproc.pid)
                elif line.startswith('eor ') or 'End-of-RIB' in line:
                    t_eor = now
                    cpu_ms = schedstat_ms(rproc.pid)
                    if cpu_ms is not None and cpu_est is not None:
                        cpu_ms -= cpu_est
                    if not is_drain and ('(%d announced)' % a.count) \
                            not in line:
                        note = 'wrong count: ' + line
        if t_eor is None and not note:
            note = 'timed out after %.0f s' % a.timeout
    finally:
        ib.stop_process(rproc)
        ib.stop_process(sproc)
    if sender == 'stream' and sproc is not None:
        # The speaker's "sending at T" (CLOCK_MONOTONIC, as time.monotonic
        # here): the start, without Python's start-up.
        out = sproc.stdout.read().decode(errors='replace').split()
        sproc.stdout.close()
        if len(out) >= 3 and out[0] == 'sending':
            t0 = float(out[2])
        else:
            note = note or 'no "sending at" line from the speaker'
    if t_est is None or t_eor is None:
        return None, None, cpu_ms, note or 'no Established line'
    return t_eor - t0, t_eor - t_est, cpu_ms, note


def schedstat_ms(pid):
    """CPU time of a (single-threaded) process so far, in ms, from
    /proc/PID/schedstat: nanoseconds, unlike rusage's clock ticks."""
    try:
        with open('/proc/%d/schedstat' % pid) as f:
            return int(f.read().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(os.path.dirname(here),
                                                    'build'))
    ap.add_argument('--count', type=lambda s: int(float(s)), default=1000000)
    ap.add_argument('--receivers', default='drain,none,json')
    ap.add_argument('--senders', default='inject,stream')
    ap.add_argument('--sizes', default='65535,4096',
                    help='maximum message sizes (65535: extended message)')
    ap.add_argument('--repeat', type=int, default=5,
                    help='runs per row; rows interleave (median reported)')
    ap.add_argument('--timeout', type=float, default=60)
    a = ap.parse_args()
    a.here = here
    a.inject = os.path.join(a.build, 'bin', 'bgpy-inject')
    a.listen = os.path.join(a.build, 'bin', 'bgpy-listen')
    a.drain = os.path.join(a.build, 'bin', 'bgpy-drain')
    encoder = os.path.join(a.build, 'bin', 'bgpy-encode-stream')
    for path in (a.inject, a.listen, a.drain, encoder):
        if not os.access(path, os.X_OK):
            sys.exit('%s not found (build it, or pass --build)' % path)
    receivers = a.receivers.split(',')
    senders = a.senders.split(',')
    sizes = [int(s) for s in a.sizes.split(',')]

    tmp = tempfile.mkdtemp(prefix='listen-bench-')
    a.streams = {}
    rows = {}  # (sender, size, receiver) -> [(secs, cpu)]
    try:
        if 'stream' in senders:
            for size in sorted(set(sizes) | {4096}):
                path = os.path.join(tmp, 'stream%d.bin' % size)
                subprocess.run(
                    [encoder, '--out=' + path, '--count=%d' % a.count,
                     '--prefix=10.0.0.0/32', '--local-as=%d' % ib.LOCAL_AS,
                     '--next-hop=' + ib.NEXT_HOP,
                     '--max-message-size=%d' % size],
                    check=True, capture_output=True)
                # The End-of-RIB that bgpy-inject sends after its routes.
                with open(path, 'ab') as f:
                    f.write(ib.bgp_msg(2, b'\0\0\0\0'))
                a.streams[size] = path
        # Interleaved: run 1 of every row, then run 2, ..., so that a change
        # of the machine's load hits every row alike.
        for rep in range(a.repeat):
            for sender in senders:
                for size in sizes:
                    for receiver in receivers:
                        secs, est, cpu, note = one_run(a, receiver, sender,
                                                       size)
                        print('%s -> %s, %d-octet messages, run %d: %s '
                              '(%s after Established), receiver CPU %s ms '
                              '%s' % (
                                  sender, receiver, size, rep + 1,
                                  '%.4f s' % secs if secs else '-',
                                  '%.4f s' % est if est is not None else '-',
                                  '%.1f' % cpu if cpu is not None else '-',
                                  note), file=sys.stderr)
                        rows.setdefault((sender, size, receiver), []).append(
                            (secs, cpu, note))
    finally:
        for path in a.streams.values():
            os.unlink(path)
        os.rmdir(tmp)

    print('\n%d IPv4 /32 routes; wall = sender launch / first send -> receiver\'s '
          'End-of-RIB (median of %d runs); CPU = receiver process from '
          'Established to End-of-RIB (median)' % (a.count, a.repeat))
    print('| sender | message size | receiver | wall s | M routes/s | '
          'wall / ceiling | CPU ms | CPU / ceiling | runs (s) |')
    print('|---|---|---|---|---|---|---|---|---|')
    for sender in senders:
        for size in sizes:
            ceil = ceil_cpu = None
            for receiver in receivers:
                runs = rows[(sender, size, receiver)]
                secs = [s for s, _, _ in runs if s]
                cpus = [c for s, c, _ in runs if s and c is not None]
                med = statistics.median(secs) if secs else None
                cpu = statistics.median(cpus) if cpus else None
                if receiver == 'drain':
                    ceil, ceil_cpu = med, cpu
                print('| %s | %d | %s | %s | %s | %s | %s | %s | %s |' % (
                    sender, size, receiver,
                    '%.4f' % med if med else '-',
                    '%.2f' % (a.count / med / 1e6) if med else '-',
                    '%.2f' % (med / ceil) if med and ceil else '-',
                    '%.1f' % cpu if cpu is not None else '-',
                    '%.2f' % (cpu / ceil_cpu) if cpu and ceil_cpu else '-',
                    ' '.join('%.3f' % s if s else 'fail(%s)' % n
                             for s, _, n in runs)))


if __name__ == '__main__':
    sys.exit(main())
