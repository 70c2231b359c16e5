# shellcheck shell=bash
# scripts/lib.sh: shared by scripts/test and scripts/demo (source it, don't run it).
#
# Installs missing Debian packages (as root on Debian 12) and configures and
# builds bgpy. Callers set `set -euo pipefail` themselves.

# The repository root, wherever it is cloned.
BGPY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shared/ beside the checkout (third-party corpus, read in place by tests).
BGPY_SHARED_DIR="$(cd "${BGPY_ROOT}/.." && pwd)/shared"

# Every Debian package the build, the tests and the demo need: add new ones
# here (one place). Toolchain and libraries first, then the real BGP daemons
# the interop tests run as peers.
BGPY_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev git
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev clang-format
  zlib1g-dev libbz2-dev valgrind
  bird2 frr gobgpd exabgp bgpdump
)

# At most this many parallel jobs (the machines have 2 cores).
BGPY_JOBS="${BGPY_JOBS:-2}"

bgpy_log() { printf '\n==> %s\n' "$*"; }

# Installs the packages of BGPY_PACKAGES that dpkg does not report as
# installed. Runs `apt-get update` once, only when something is missing.
bgpy_install_packages() {
  if ! command -v dpkg >/dev/null 2>&1; then
    bgpy_log "no dpkg: not Debian, skipping package installation"
    return 0
  fi
  local missing=() p
  for p in "${BGPY_PACKAGES[@]}"; do
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    bgpy_log "packages: all ${#BGPY_PACKAGES[@]} present"
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "error: missing packages: ${missing[*]} (run as root, or: apt-get install ${missing[*]})" >&2
    return 1
  fi
  bgpy_log "installing: ${missing[*]}"
  # Keep the daemons' packages from starting system services while they are
  # installed (tests start their own instances on loopback).
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    added_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
  if ((rc == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" || rc=$?
  fi
  if ((added_policy)); then rm -f "$policy"; fi
  if ((rc != 0)); then
    echo "error: apt-get failed (exit $rc) installing: ${missing[*]}" >&2
  fi
  return "$rc"
}

# bgpy_configure BUILD_DIR [cmake args...]: configures with Ninja.
bgpy_configure() {
  local dir="$1"
  shift
  bgpy_log "configure ${dir#"${BGPY_ROOT}"/}"
  cmake -G Ninja -S "${BGPY_ROOT}" -B "$dir" \
    -DBGPY_SHARED_DIR="${BGPY_SHARED_DIR}" "$@"
}

# bgpy_build BUILD_DIR [targets...]: builds (all targets when none given).
bgpy_build() {
  local dir="$1"
  shift
  local targets=()
  if (($# > 0)); then targets=(--target "$@"); fi
  bgpy_log "build ${dir#"${BGPY_ROOT}"/} ${*:-(all)}"
  cmake --build "$dir" --parallel "${BGPY_JOBS}" "${targets[@]}"
}

# The main build: g++, RelWithDebInfo, build/ (tools in build/bin/), and the
# sanitizer build of scripts/test. Both can be moved with these variables.
BGPY_BUILD_DIR="${BGPY_BUILD_DIR:-${BGPY_ROOT}/build}"
BGPY_ASAN_BUILD_DIR="${BGPY_ASAN_BUILD_DIR:-${BGPY_ROOT}/build-asan}"
# shellcheck disable=SC2120  # extra cmake arguments are optional
bgpy_configure_main() {
  # CXX only matters for a fresh build dir; an existing cache keeps its own.
  CXX="${BGPY_CXX:-g++}" bgpy_configure "${BGPY_BUILD_DIR}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
}
