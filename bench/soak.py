#!/usr/bin/env python3
"""Soak (issue 10): long runs of flapping routes, memory sampled every
second, sessions watched.

  bird    bgpy-inject into BIRD 2: --count routes (default 100,000), every
          one withdrawn and re-announced every --flap (default 10 s), for
          --minutes (default 10). Hold time 9 s on both sides, so a
          KEEPALIVE late by more than 9 s would drop the session.
  listen  bgpy-listen taking --sessions sessions (default 1,000) from one
          bgpy-inject, each flapping --session-routes routes (default 100)
          every --flap, for --minutes. Hold time 9 s.

Every second: VmRSS of bgpy-inject, bgpy-listen and BIRD. At the end:
min/max RSS of each process over the run, the mean of the first and the
last minute (flat means the last is not above the first beyond noise),
whether any session went down before the planned end (BIRD's protocol state
and its "since" time, polled every 5 s; bgpy-listen's per-peer summary
lines: every session must end with our own Cease at the end), and the
KEEPALIVEs each bgpy-listen peer sent (min/max over the peers).

Exit status 0 when every check holds, 1 otherwise. Every wait is bounded.
Python 3 standard library only; run by hand, as root:

  bench/soak.py --build=build-rel                  # both parts, 10 min each
  bench/soak.py --build=build-rel --part=bird --minutes=1
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inject_bench as ib  # noqa: E402  (helpers: ports, waits)

HOLD = 9
BIRD_ADDR = '127.0.14.1'
INJECT_ADDR = '127.0.14.10'
LISTEN_ADDR = '127.0.15.1'
SESSIONS_FROM = '127.0.16.10'


def rss_kib(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Sampler:
    """VmRSS of named processes, once a second."""

    def __init__(self, procs):
        self.procs = procs  # name -> pid
        self.samples = {n: [] for n in procs}  # name -> [(t, kib)]
        self.t0 = time.monotonic()

    def sample(self):
        t = time.monotonic() - self.t0
        if t < 2:  # the processes are still starting (exec, first table)
            return
        for n, pid in self.procs.items():
            v = rss_kib(pid)
            if v is not None:
                self.samples[n].append((t, v))

    def report(self, minutes):
        ok = True
        for n, s in self.samples.items():
            if not s:
                print('  %-12s no samples' % n)
                ok = False
                continue
            vals = [v for _, v in s]
            end = s[-1][0]
            first = [v for t, v in s if t <= 60]
            last = [v for t, v in s if t >= end - 60]
            mf = sum(first) / len(first) / 1024
            ml = sum(last) / len(last) / 1024
            # Flat: the last minute's mean within 10% (or 2 MB) of the
            # first's. Growth beyond that over the run is reported as a
            # failure.
            flat = ml <= max(mf * 1.10, mf + 2.0)
            ok = ok and flat
            print('  %-12s RSS min %.1f MB, max %.1f MB; first minute %.1f '
                  'MB, last minute %.1f MB (%d samples): %s' %
                  (n, min(vals) / 1024, max(vals) / 1024, mf, ml, len(s),
                   'flat' if flat else 'GROWING'))
        return ok


def run_bird(a, tmp):
    d = os.path.join(tmp, 'bird')
    os.makedirs(d, exist_ok=True)
    port = ib.free_port(BIRD_ADDR)
    conf = os.path.join(d, 'bird.conf')
    sock = os.path.join(d, 'bird.ctl')
    with open(conf, 'w') as f:
        f.write(f'''router id 192.0.2.254;
protocol device {{ }}
protocol bgp inj {{
  local {BIRD_ADDR} port {port} as 65000;
  strict bind on;
  neighbor {INJECT_ADDR} as 65001;
  multihop 2;
  passive on;
  hold time {HOLD};
  ipv4 {{ import all; export none; }};
}}
''')
    bird = subprocess.Popen(['bird', '-f', '-c', conf, '-s', sock, '-P',
                             os.path.join(d, 'bird.pid')],
                            stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(d, 'bird.log'), 'w'))
    inject = None
    ok = True
    try:
        ib.wait_for(lambda: ib.listening(BIRD_ADDR, port), 10,
                    'BIRD to listen')
        seconds = int(a.minutes * 60)
        inject_err = os.path.join(d, 'inject.err')
        inject = subprocess.Popen(
            [a.inject, '--peer=' + BIRD_ADDR, '--port=%d' % port,
             '--local-address=' + INJECT_ADDR, '--local-as=65001',
             '--peer-as=65000', '--prefix=10.0.0.0/32',
             '--count=%d' % a.count, '--next-hop=192.0.2.1',
             '--flap=' + a.flap, '--hold-time=%d' % HOLD,
             '--duration=%ds' % seconds, '--print=none'],
            stdout=subprocess.DEVNULL, stderr=open(inject_err, 'w'))
        sampler = Sampler({'bgpy-inject': inject.pid, 'bird': bird.pid})
        states = []  # (t, state line)
        deadline = time.monotonic() + seconds + 60
        next_state = 0.0
        while inject.poll() is None and time.monotonic() < deadline:
            sampler.sample()
            t = time.monotonic() - sampler.t0
            if t >= next_state:
                next_state = t + 5
                out = subprocess.run(['birdc', '-s', sock, 'show',
                                      'protocols', 'inj'],
                                     capture_output=True, text=True,
                                     timeout=10).stdout
                line = [x for x in out.splitlines() if x.startswith('inj')]
                states.append((t, line[0] if line else '(none)'))
            time.sleep(1)
        if inject.poll() is None:
            print('  bgpy-inject did not end in time')
            ok = False
            inject.kill()
        rc = inject.wait()
        print('bird: %d routes flapping every %s for %.1f min, hold time '
              '%d s' % (a.count, a.flap, a.minutes, HOLD))
        ok = sampler.report(a.minutes) and ok
        # Established at every poll from the first one after it came up to
        # the end. (BIRD's "since" column also moves without a session
        # drop, so it is shown, not judged; a drop would also end
        # bgpy-inject with exit status 2.)
        first_up = next((i for i, (_, s) in enumerate(states)
                         if 'Established' in s), None)
        after = [s for _, s in states[first_up:]] if first_up is not None \
            else []
        drops = sum(1 for s in after if 'Established' not in s)
        since = sorted({' '.join(s.split()[3:5]) for s in after})
        print('  BIRD protocol polled %d times: %d Established after it came '
              'up; "since" values: %s' % (len(states), len(after) - drops,
                                          ', '.join(since)))
        err = open(inject_err).read()
        print('  bgpy-inject exit %d; last line: %s' %
              (rc, (err.strip().splitlines() or [''])[-1]))
        if rc != 0 or drops != 0 or first_up is None:
            ok = False
        print('  session drops: %d -> %s' % (drops, 'ok' if ok else 'FAIL'))
    finally:
        if inject is not None and inject.poll() is None:
            inject.kill()
        ib.stop_process(bird)
    return ok


def run_listen(a, tmp):
    d = os.path.join(tmp, 'listen')
    os.makedirs(d, exist_ok=True)
    port = ib.free_port(LISTEN_ADDR)
    seconds = int(a.minutes * 60)
    listen_err = os.path.join(d, 'listen.err')
    listen = subprocess.Popen(
        [a.listen, '--listen=%s:%d' % (LISTEN_ADDR, port), '--local-as=65000',
         '--hold-time=%d' % HOLD, '--print=none',
         '--duration=%ds' % (seconds + 60)],
        stdout=subprocess.DEVNULL, stderr=open(listen_err, 'w'))
    inject = None
    ok = True
    try:
        ib.wait_for(lambda: ib.listening(LISTEN_ADDR, port), 10,
                    'bgpy-listen to listen')
        inject_err = os.path.join(d, 'inject.err')
        inject = subprocess.Popen(
            [a.inject, '--peer=' + LISTEN_ADDR, '--port=%d' % port,
             '--local-address=' + SESSIONS_FROM,
             '--sessions=%d' % a.sessions, '--local-as=65001',
             '--prefix=10.0.0.0/32', '--count=%d' % a.session_routes,
             '--flap=' + a.flap, '--hold-time=%d' % HOLD,
             '--duration=%ds' % seconds, '--print=none'],
            stdout=subprocess.DEVNULL, stderr=open(inject_err, 'w'))
        sampler = Sampler({'bgpy-listen': listen.pid,
                           'bgpy-inject': inject.pid})
        deadline = time.monotonic() + seconds + 90
        while inject.poll() is None and time.monotonic() < deadline:
            sampler.sample()
            time.sleep(1)
        if inject.poll() is None:
            print('  bgpy-inject did not end in time')
            ok = False
            inject.kill()
        rc = inject.wait()
        listen.terminate()
        lrc = listen.wait(timeout=60)
        print('listen: %d sessions x %d routes flapping every %s for %.1f '
              'min, hold time %d s' % (a.sessions, a.session_routes, a.flap,
                                       a.minutes, HOLD))
        ok = sampler.report(a.minutes) and ok
        err = open(listen_err).read()
        summaries = [x for x in err.splitlines()
                     if x.startswith('bgpy-listen: summary ')]
        clean = [x for x in summaries
                 if 'ended: NOTIFICATION received: Cease / Administrative '
                    'Shutdown' in x]
        kas = [int(m.group(1)) for m in
               (re.search(r'(\d+) KEEPALIVE', x) for x in summaries) if m]
        hold_expired = err.count('Hold Timer Expired')
        print('  bgpy-listen: %d peer summaries, %d ended by the injector\'s '
              'Cease at the end, %d hold-timer expiries; KEEPALIVEs per peer '
              'min %s max %s (one per %d s expected: about %d)' %
              (len(summaries), len(clean), hold_expired,
               min(kas) if kas else '-', max(kas) if kas else '-', HOLD // 3,
               seconds // (HOLD // 3)))
        ierr = open(inject_err).read()
        print('  bgpy-inject exit %d, bgpy-listen exit %d; inject: %s' %
              (rc, lrc, (ierr.strip().splitlines() or [''])[-1]))
        if rc != 0 or lrc != 0 or len(summaries) != a.sessions or \
                len(clean) != a.sessions or hold_expired:
            ok = False
        print('  sessions: %s' % ('ok' if ok else 'FAIL'))
    finally:
        if inject is not None and inject.poll() is None:
            inject.kill()
        ib.stop_process(listen)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build-rel')
    ap.add_argument('--part', default='bird,listen')
    ap.add_argument('--minutes', type=float, default=10)
    ap.add_argument('--count', type=int, default=100000)
    ap.add_argument('--flap', default='10s')
    ap.add_argument('--sessions', type=int, default=1000)
    ap.add_argument('--session-routes', type=int, default=100)
    a = ap.parse_args()
    a.inject = os.path.abspath(os.path.join(a.build, 'bin', 'bgpy-inject'))
    a.listen = os.path.abspath(os.path.join(a.build, 'bin', 'bgpy-listen'))
    for b in (a.inject, a.listen):
        if not os.access(b, os.X_OK):
            ap.error('no %s: build the tools first' % b)
    print('soak, load average %.2f' % os.getloadavg()[0], flush=True)
    ok = True
    with tempfile.TemporaryDirectory(prefix='bgpy-soak-') as tmp:
        for part in a.part.split(','):
            ok = {'bird': run_bird, 'listen': run_listen}[part](a, tmp) and ok
            sys.stdout.flush()
    print('load average at the end: %.2f' % os.getloadavg()[0])
    print('PASSED' if ok else 'FAILED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
