#!/usr/bin/env python3
"""bgpy-perf against a bgperf-style run: how long a router under test takes
to take N routes and pass them on, measured two ways (see bench/README.md,
"Measuring a router: bgpy-perf beside a bgperf-style run").

For each router (BIRD, FRR, GoBGP) and each number of injecting peers P:

  bgpy-perf   a fresh router with P injecting neighbors and one monitor
              neighbor; `bgpy-perf --scenario=withdraw` announces N routes
              (split between the P sessions), waits until the monitor holds
              them all, then withdraws them all and waits until the monitor
              is empty. Its floor run (no router: the injectors straight
              into its own monitor) comes first, in the same process.
              Reported: time until the last route reached the monitor
              (t_all), per-route delay p50/p99, bgpy-perf's CPU, the
              router's CPU (its pid is given).
  exabgp      what bgperf does, on a fresh router: ExaBGP as the tester
              (one process, P neighbors, static routes with `split /32`,
              its fastest bulk path), the router's own counters polled
              (routes received from the P neighbors) until they hold N.
              Withdrawal: ExaBGP's API withdraws every route (the only
              way ExaBGP withdraws routes it announced while staying up),
              polled until the counters are 0. Reported: time from
              ExaBGP's launch, ExaBGP's CPU, the router's CPU.

Every process is stopped after its run; every wait is bounded by
--timeout (a run that does not finish is reported as such, not hidden).
Python 3 standard library only; not a test. Run by hand, as root:

  bench/perf_bench.py --build=build-rel
  bench/perf_bench.py --build=build-rel --routers=bird --peers=1 --count=100000
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inject_bench as ib  # noqa: E402  (helpers: ports, waits, blocks)

ROUTER_AS = 65000
INJECT_AS = 65001
MONITOR_AS = 65002
ROUTER_ADDR = '127.0.13.1'
MONITOR_ADDR = '127.0.13.100'
NEXT_HOP = '192.0.2.1'  # FRR and GoBGP reject 127/8 next hops
FIRST_PREFIX = '10.0.0.0'
TICK = os.sysconf('SC_CLK_TCK')


def inject_addrs(p):
    return ['127.0.13.%d' % (10 + i) for i in range(p)]


def cpu_s(pid):
    """utime+stime of a live process (and its reaped children), seconds."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / TICK
    except (OSError, IndexError, ValueError):
        return None


def rss_mb(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------
# Routers: P injecting neighbors (passive) and one monitor neighbor, on
# ROUTER_ADDR at a free port. count() is the routes received from the
# injecting neighbors, from the router's own counters.


class Bird:
    name = 'BIRD'

    def __init__(self, tmp, peers):
        self.dir = os.path.join(tmp, 'bird')
        os.makedirs(self.dir, exist_ok=True)
        self.peers = peers
        self.port = ib.free_port(ROUTER_ADDR)
        self.sock_path = os.path.join(self.dir, 'bird.ctl')
        self.proc = None
        self.ctl = None

    def start(self):
        conf = os.path.join(self.dir, 'bird.conf')
        c = 'router id 192.0.2.254;\nprotocol device { }\n'
        neighbors = [(a, INJECT_AS) for a in self.peers] + \
            [(MONITOR_ADDR, MONITOR_AS)]
        for i, (a, asn) in enumerate(neighbors):
            c += f'''protocol bgp peer{i} {{
  local {ROUTER_ADDR} port {self.port} as {ROUTER_AS};
  strict bind on;
  neighbor {a} as {asn};
  multihop 2;
  passive on;
  hold time 240;
  ipv4 {{ import all; export all; }};
}}
'''
        with open(conf, 'w') as f:
            f.write(c)
        self.proc = subprocess.Popen(
            ['bird', '-f', '-c', conf, '-s', self.sock_path, '-P',
             os.path.join(self.dir, 'bird.pid')],
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.dir, 'bird.log'), 'w'))
        ib.wait_for(lambda: ib.listening(ROUTER_ADDR, self.port), 10,
                    'BIRD to listen')
        ib.wait_for(self._connect, 10, 'BIRD control socket')

    # birdc's protocol, as inject_bench.py speaks it (self.sock_path).
    _connect = ib.Bird._connect
    _reply = ib.Bird._reply

    def count(self):
        # The import counters of the injecting protocols: O(1) in BIRD,
        # unlike `show route count`, which walks the table.
        total = 0
        for i in range(len(self.peers)):
            self.ctl.sendall(b'show protocols all peer%d\n' % i)
            for line in self._reply():
                w = line[5:].split()
                if len(w) > 2 and w[0] == 'Routes:' and w[2] == 'imported,':
                    total += int(w[1])
        return total

    def stop(self):
        if self.ctl:
            self.ctl.close()
            self.ctl = None
        ib.stop_process(self.proc)


class Frr:
    name = 'FRR'

    def __init__(self, tmp, peers):
        self.dir = os.path.join(tmp, 'frr')
        os.makedirs(self.dir, exist_ok=True)
        self.peers = peers
        self.port = ib.free_port(ROUTER_ADDR)
        self.proc = None
        self.vty = None

    def start(self):
        conf = os.path.join(self.dir, 'bgpd.conf')
        c = (f'frr defaults traditional\nhostname bgpyperf\n!\n'
             f'router bgp {ROUTER_AS}\n bgp router-id 192.0.2.254\n'
             ' no bgp ebgp-requires-policy\n no bgp default ipv4-unicast\n')
        neighbors = [(a, INJECT_AS) for a in self.peers] + \
            [(MONITOR_ADDR, MONITOR_AS)]
        for a, asn in neighbors:
            c += (f' neighbor {a} remote-as {asn}\n neighbor {a} passive\n'
                  f' neighbor {a} update-source {ROUTER_ADDR}\n'
                  f' neighbor {a} ebgp-multihop 2\n'
                  f' neighbor {a} timers 80 240\n')
        c += ' address-family ipv4 unicast\n'
        for a, _ in neighbors:
            c += f'  neighbor {a} activate\n'
        c += ' exit-address-family\n!\n'
        with open(conf, 'w') as f:
            f.write(c)
        self.proc = subprocess.Popen(
            ['/usr/lib/frr/bgpd', '-f', conf, '-S', '-Z', '-l', ROUTER_ADDR,
             '-p', str(self.port), '-P', '0', '--vty_socket', self.dir,
             '-i', os.path.join(self.dir, 'bgpd.pid'),
             '--log', 'file:' + os.path.join(self.dir, 'bgpd.log'),
             '--log-level', 'critical'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ib.wait_for(lambda: ib.listening(ROUTER_ADDR, self.port), 15,
                    'bgpd to listen')
        vty = os.path.join(self.dir, 'bgpd.vty')
        ib.wait_for(lambda: os.path.exists(vty), 10, 'bgpd vty socket')
        self.vty = socket.socket(socket.AF_UNIX)
        self.vty.settimeout(30)
        self.vty.connect(vty)

    # vtysh's protocol, as inject_bench.py speaks it (self.vty).
    _cmd = ib.Frr._cmd

    def count(self):
        try:
            peers = json.loads(self._cmd(
                'show bgp ipv4 unicast summary json')).get('peers', {})
        except ValueError:
            return 0
        return sum(int(peers.get(a, {}).get('pfxRcd', 0)) for a in self.peers)

    def stop(self):
        if self.vty:
            self.vty.close()
            self.vty = None
        ib.stop_process(self.proc)


class Gobgp:
    name = 'GoBGP'

    def __init__(self, tmp, peers):
        self.dir = os.path.join(tmp, 'gobgp')
        os.makedirs(self.dir, exist_ok=True)
        self.peers = peers
        self.port = ib.free_port(ROUTER_ADDR)
        self.api = ib.free_port('127.0.0.1')
        self.proc = None

    def start(self):
        conf = os.path.join(self.dir, 'gobgpd.toml')
        c = (f'[global.config]\n  as = {ROUTER_AS}\n'
             f'  router-id = "192.0.2.254"\n  port = {self.port}\n'
             f'  local-address-list = ["{ROUTER_ADDR}"]\n\n')
        neighbors = [(a, INJECT_AS) for a in self.peers] + \
            [(MONITOR_ADDR, MONITOR_AS)]
        for a, asn in neighbors:
            c += f'''[[neighbors]]
  [neighbors.config]
    neighbor-address = "{a}"
    peer-as = {asn}
  [neighbors.timers.config]
    hold-time = 240
  [neighbors.transport.config]
    local-address = "{ROUTER_ADDR}"
    passive-mode = true
  [neighbors.ebgp-multihop.config]
    enabled = true
    multihop-ttl = 2
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"

'''
        with open(conf, 'w') as f:
            f.write(c)
        self.proc = subprocess.Popen(
            ['gobgpd', '-f', conf, '--api-hosts',
             '127.0.0.1:%d' % self.api, '-l', 'warn'],
            stdout=open(os.path.join(self.dir, 'gobgpd.log'), 'w'),
            stderr=subprocess.STDOUT)
        ib.wait_for(lambda: ib.listening(ROUTER_ADDR, self.port), 15,
                    'gobgpd to listen')

    def count(self):
        try:
            out = subprocess.run(
                ['gobgp', '-p', str(self.api), 'neighbor', '-j'],
                capture_output=True, text=True, timeout=30).stdout
        except subprocess.TimeoutExpired:
            return None  # gobgpd too busy to answer: try again
        try:
            total = 0
            for n in json.loads(out):
                if n['conf']['neighbor_address'] in self.peers:
                    for a in n.get('afi_safis', []):
                        total += int(a.get('state', {}).get('received', 0))
            return total
        except (ValueError, KeyError, TypeError):
            return 0

    def stop(self):
        ib.stop_process(self.proc)


ROUTERS = {'bird': Bird, 'frr': Frr, 'gobgp': Gobgp}


# --------------------------------------------------------------------------
# The runs


def run_bgpy_perf(a, tmp, router, peers):
    out = os.path.join(tmp, 'perf-%s-%d' % (router.name, len(peers)))
    cmd = [a.perf, '--router=' + ROUTER_ADDR, '--port=%d' % router.port,
           '--router-as=%d' % ROUTER_AS, '--inject-from=' + ','.join(peers),
           '--inject-as=%d' % INJECT_AS, '--monitor-at=' + MONITOR_ADDR,
           '--monitor-as=%d' % MONITOR_AS, '--scenario=withdraw',
           '--prefix=%s/32' % FIRST_PREFIX, '--count=%d' % a.count,
           '--next-hop=' + NEXT_HOP, '--router-pid=%d' % router.proc.pid,
           '--settle=3s', '--timeout=%ds' % a.timeout, '--out=' + out]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       timeout=a.timeout + 60)
    try:
        with open(os.path.join(out, 'result.json')) as f:
            r = json.load(f)
    except (OSError, ValueError):
        print(p.stderr, file=sys.stderr)
        raise RuntimeError('bgpy-perf wrote no result (exit %d)' %
                           p.returncode)
    if a.save:
        dest = os.path.join(a.save, '%s-%dpeer' % (router.name.lower(),
                                                   len(peers)))
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(out, dest)
    r['exit'] = p.returncode
    r['stderr_tail'] = p.stderr.strip().splitlines()[-1:]
    return r


def exabgp_conf(path, peers, count, router_port, api_script):
    first = ib.ip_int(FIRST_PREFIX)
    per = count // len(peers)
    c = (f'process withdrawer {{\n  run {sys.executable} -S {api_script};\n'
         '  encoder text;\n}\n')
    for i, addr in enumerate(peers):
        n = per if i < len(peers) - 1 else count - per * (len(peers) - 1)
        statics = ''.join(
            '    route %s/%d next-hop %s split /32;\n' %
            (ib.ip_str(net), plen, NEXT_HOP)
            for net, plen in ib.blocks(first + i * per, n))
        c += f'''neighbor {ROUTER_ADDR} {{
  router-id 192.0.2.{10 + i};
  local-address {addr};
  local-as {INJECT_AS};
  peer-as {ROUTER_AS};
  hold-time 240;
  group-updates true;
  family {{ ipv4 unicast; }}
  api {{ processes [ withdrawer ]; }}
  static {{
{statics}  }}
}}
'''
    with open(path, 'w') as f:
        f.write(c)


# The API process: once the trigger file exists, one `withdraw route` per
# route, each addressed to its neighbor, then it idles until stopped.
API_SCRIPT = r'''
import os, sys, time
trigger, router, peers, first, per, count, nh = \
    open(os.environ['BGPY_API_ARGS']).read().split()
peers = peers.split(',')
first, per, count = int(first), int(per), int(count)
while not os.path.exists(trigger):
    time.sleep(0.02)
w = sys.stdout.write
for i in range(count):
    v = first + i
    w('neighbor %s local-ip %s withdraw route %d.%d.%d.%d/32 next-hop %s\n' %
      (router, peers[min(i // per, len(peers) - 1)], v >> 24,
       (v >> 16) & 255, (v >> 8) & 255, v & 255, nh))
sys.stdout.flush()
while True:
    time.sleep(1)
'''


def poll_until(router, want, deadline, interval):
    last = None
    while time.monotonic() < deadline:
        last = router.count()
        if last == want:
            return True, last
        time.sleep(interval)
    return False, last


def run_exabgp(a, tmp, router, peers):
    d = os.path.join(tmp, 'exabgp-%s-%d' % (router.name, len(peers)))
    os.makedirs(d, exist_ok=True)
    trigger = os.path.join(d, 'withdraw-now')
    args_file = os.path.join(d, 'api.args')
    per = a.count // len(peers)
    with open(args_file, 'w') as f:
        f.write('%s %s %s %d %d %d %s\n' % (
            trigger, ROUTER_ADDR, ','.join(peers), ib.ip_int(FIRST_PREFIX),
            per, a.count, NEXT_HOP))
    script = os.path.join(d, 'api.py')
    with open(script, 'w') as f:
        f.write(API_SCRIPT)
    conf = os.path.join(d, 'exabgp.conf')
    exabgp_conf(conf, peers, a.count, router.port, script)
    env = dict(os.environ)
    env.update({'exabgp.tcp.port': str(router.port),
                'exabgp.daemon.user': 'root',
                'exabgp.daemon.drop': 'false',
                'exabgp.log.level': 'WARNING',
                'exabgp.log.destination': os.path.join(d, 'exabgp.log'),
                'exabgp.api.ack': 'false',
                'BGPY_API_ARGS': args_file})
    interval = 0.05 if router.name != 'GoBGP' else 0.25
    r = {}
    cpu0 = cpu_s(router.proc.pid)
    t0 = time.monotonic()
    exa = subprocess.Popen(['exabgp', conf], env=env,
                           stdout=open(os.path.join(d, 'out.log'), 'w'),
                           stderr=subprocess.STDOUT)
    try:
        deadline = t0 + a.timeout
        ok, last = poll_until(router, a.count, deadline, interval)
        r['announce_s'] = time.monotonic() - t0 if ok else None
        r['announce_seen'] = last
        r['exabgp_cpu_announce_s'] = cpu_s(exa.pid)
        if ok:
            t1 = time.monotonic()
            open(trigger, 'w').close()
            ok, last = poll_until(router, 0, t1 + a.exabgp_withdraw_timeout,
                                  interval)
            r['withdraw_timeout_s'] = a.exabgp_withdraw_timeout
            r['withdraw_s'] = time.monotonic() - t1 if ok else None
            r['withdraw_left'] = last
        r['exabgp_cpu_s'] = cpu_s(exa.pid)
        r['exabgp_rss_mb'] = rss_mb(exa.pid)
        cpu1 = cpu_s(router.proc.pid)
        r['router_cpu_s'] = (cpu1 - cpu0) if cpu0 is not None and \
            cpu1 is not None else None
    finally:
        # ExaBGP's API child is in its process group.
        ib.stop_process(exa, grace=5.0)
    return r


def fmt(v, unit='s', digits=3):
    if v is None:
        return 'n/a'
    return '%.*f%s' % (digits, v, unit)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build-rel')
    ap.add_argument('--routers', default='bird,frr,gobgp')
    ap.add_argument('--peers', default='1,10')
    ap.add_argument('--count', type=int, default=1000000)
    ap.add_argument('--gobgp-count', type=int, default=100000,
                    help='routes when GoBGP is the router (it needs about '
                    '160 s of CPU and 3 GB for 1M here)')
    ap.add_argument('--timeout', type=int, default=300,
                    help='bound on each phase of each run, seconds')
    ap.add_argument('--no-exabgp', action='store_true')
    ap.add_argument('--exabgp-withdraw-timeout', type=int, default=120,
                    help='bound on ExaBGP\'s API withdrawal (it withdraws '
                    'about 2,000 routes/s here), seconds')
    ap.add_argument('--json', help='also write every result here')
    ap.add_argument('--save', help='DIR: keep each bgpy-perf --out '
                    'directory (result.json, timeline.csv, chart.svg) as '
                    'DIR/<router>-<P>peer')
    a = ap.parse_args()
    a.all_count = a.count
    a.perf = os.path.abspath(os.path.join(a.build, 'bin', 'bgpy-perf'))
    if not os.access(a.perf, os.X_OK):
        ap.error('no %s: build it first (ninja -C %s bgpy-perf)' %
                 (a.perf, a.build))
    needs = {'bird': ['bird'], 'frr': ['/usr/lib/frr/bgpd'],
             'gobgp': ['gobgpd', 'gobgp']}
    for r in a.routers.split(','):
        for tool in needs[r] + ([] if a.no_exabgp else ['exabgp']):
            if not shutil.which(tool):
                ap.error('%s not installed' % tool)
    print('bgpy-perf vs ExaBGP-as-tester, %d routes, load average %.2f' %
          (a.count, os.getloadavg()[0]), flush=True)
    results = []
    tmp = tempfile.mkdtemp(prefix='bgpy-perf-bench-')
    try:
        for rname in a.routers.split(','):
            for p in [int(x) for x in a.peers.split(',')]:
                peers = inject_addrs(p)
                a.count = a.gobgp_count if rname == 'gobgp' else a.all_count
                row = {'router': ROUTERS[rname].name, 'peers': p,
                       'routes': a.count}
                router = ROUTERS[rname](tmp, peers)
                router.start()
                try:
                    row['bgpy'] = run_bgpy_perf(a, tmp, router, peers)
                finally:
                    router.stop()
                if not a.no_exabgp:
                    router = ROUTERS[rname](tmp, peers)
                    router.start()
                    try:
                        row['exabgp'] = run_exabgp(a, tmp, router, peers)
                    finally:
                        router.stop()
                results.append(row)
                report(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('load average at the end: %.2f' % os.getloadavg()[0])
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(results, f, indent=1)


def phase(r, name):
    for ph in r.get('phases', []):
        if ph.get('name') == name:
            return ph
    return {}


def report(row):
    b = row['bgpy']
    ann, wd = phase(b, 'announce'), phase(b, 'withdraw')
    print('%s, %d peer(s), %d routes:' % (row['router'], row['peers'],
                                          row['routes']))
    print('  bgpy-perf  announce t_all %s (p50 %s, p99 %s, missing %s)'
          '  withdraw t_all %s  floor t_all %s  bgpy-perf cpu %s'
          '  router cpu %s  router rss %s' % (
              fmt(ann.get('t_all_s')), fmt(ann.get('delay_p50_ms'), 'ms', 1),
              fmt(ann.get('delay_p99_ms'), 'ms', 1), ann.get('missing'),
              fmt(wd.get('t_all_s')), fmt(b.get('floor_t_all_s')),
              fmt(b.get('self_cpu_s')), fmt(b.get('router_cpu_s')),
              fmt(b.get('router_rss_mb'), ' MB', 0)))
    e = row.get('exabgp')
    if e and e.get('withdraw_s') is None and e.get('withdraw_left'):
        e['withdraw_text'] = '>%ds (%d of %d still held)' % (
            e['withdraw_timeout_s'], e['withdraw_left'], row['routes'])
    if e:
        print('  exabgp     announce %s (router counters; %s seen)'
              '  withdraw %s  exabgp cpu %s (announce %s)  router cpu %s'
              '  exabgp rss %s' % (
                  fmt(e.get('announce_s')), e.get('announce_seen'),
                  e.get('withdraw_text') or fmt(e.get('withdraw_s')),
                  fmt(e.get('exabgp_cpu_s')),
                  fmt(e.get('exabgp_cpu_announce_s')),
                  fmt(e.get('router_cpu_s')), fmt(e.get('exabgp_rss_mb'),
                                                  ' MB', 0)), flush=True)


if __name__ == '__main__':
    main()
