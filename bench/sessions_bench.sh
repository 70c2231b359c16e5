#!/bin/bash
# Memory per idle session of bgpy-inject (bench/README.md "Many sessions").
#
# Starts bgpy-listen on 127.0.0.1 (a free port), then bgpy-inject with
# --sessions=N from 127.0.1.1 on (loopback only) and --count=1, waits until
# the listener saw N sessions reach Established, and reads the injector's
# VmRSS and thread count from /proc. Runs N=1 and N=$1 (default 1000) and
# prints the difference per session. Every wait is bounded (40 s).
#
#   bench/sessions_bench.sh [N] [BUILD_DIR]
set -euo pipefail
N=${1:-1000}
BUILD=${2:-build}
TMP=$(mktemp -d)
LISTEN_PID=
INJECT_PID=
cleanup() {
  [ -n "$INJECT_PID" ] && kill "$INJECT_PID" 2>/dev/null || true
  [ -n "$LISTEN_PID" ] && kill "$LISTEN_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

measure() {  # $1 = sessions; prints "RSS_KB THREADS SECONDS"
  local n=$1
  "$BUILD/bin/bgpy-listen" --listen=127.0.0.1:0 --local-as=65001 --print=none \
    --duration=60s 2>"$TMP/listen.err" &
  LISTEN_PID=$!
  local port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\),.*/\1/p' "$TMP/listen.err")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "bgpy-listen did not start" >&2; exit 1; }
  local start=$(date +%s.%N)
  "$BUILD/bin/bgpy-inject" --peer=127.0.0.1 --port="$port" \
    --local-address=127.0.1.1 --local-as=65500 --prefix=10.0.0.0/32 --count=1 \
    --sessions="$n" --print=none --duration=50s 2>"$TMP/inject.err" &
  INJECT_PID=$!
  local up=0
  for _ in $(seq 400); do
    up=$(grep -c -- "-> Established" "$TMP/listen.err" || true)
    [ "$up" -ge "$n" ] && break
    sleep 0.1
  done
  local secs=$(echo "$(date +%s.%N) - $start" | bc)
  [ "$up" -ge "$n" ] || { echo "only $up of $n sessions Established" >&2; exit 1; }
  sleep 1  # idle: only KEEPALIVEs from now on
  local rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$INJECT_PID/status")
  local threads=$(awk '/^Threads:/ {print $2}' "/proc/$INJECT_PID/status")
  kill "$INJECT_PID"; wait "$INJECT_PID" 2>/dev/null || true; INJECT_PID=
  kill "$LISTEN_PID"; wait "$LISTEN_PID" 2>/dev/null || true; LISTEN_PID=
  echo "$rss $threads $secs"
}

read -r rss1 thr1 s1 <<<"$(measure 1)"
read -r rssn thrn sn <<<"$(measure "$N")"
echo "sessions=1:  RSS ${rss1} kB, ${thr1} thread(s)"
printf 'sessions=%d: RSS %s kB, %s thread(s), all Established after %.2f s\n' \
  "$N" "$rssn" "$thrn" "$sn"
echo "per idle session: $(( (rssn - rss1) * 1024 / (N - 1) )) bytes"
