# Rust side of the test suite (tests/wasmtime): sourced by scripts/setup-tests.sh with $repo,
# $cache, $PYTHON and log(). Idempotent: when everything is built, cargo only checks fingerprints.
#
# The generated crates pin wasmtime =48.0.8 by default, which builds on stable rustc >= 1.95
# (plus clippy and rustfmt); the tests also check the corpus on every other supported major
# (witgen/wasmtime/versions.py: 49 needs rustc 1.96, 50 needs 1.97).
# Toolchains cannot be downloaded here: tests/support/rust.py picks, per major, the first
# installed rustup toolchain that is new enough (the default one, or e.g. a nightly beside it).
# This script generates the test workspace (~/.cache/witgen/wasmtime-ws: every
# corpus/conformance world in both modes, the option variants, the runtime hosts), fetches its
# crates and runs the cargo commands the tests run, then `cargo check`s one workspace per major
# (~/.cache/witgen/wasmtime-ws-<major>), so that the first test run (and CI) finds wasmtime and
# the generated crates built in ~/.cache/witgen/cargo-target. A cold build takes tens of
# minutes on 2 cores (see docs/wasmtime.md for the measured figures).
# WITGEN_SETUP_RUST=0 skips it.

setup_rust() {
  [ "${WITGEN_SETUP_RUST:-1}" = "1" ] || return 0
  local cargo_bin
  cargo_bin=$(command -v cargo || true)
  [ -z "$cargo_bin" ] && [ -x "$HOME/.cargo/bin/cargo" ] && cargo_bin="$HOME/.cargo/bin/cargo"
  if [ -z "$cargo_bin" ]; then
    log "no cargo: the wasmtime target's build tests will skip (fail under CI=true)"
    return 0
  fi
  case ":$PATH:" in *":$(dirname "$cargo_bin"):"*) ;; *) export PATH="$(dirname "$cargo_bin"):$PATH" ;; esac
  local tool
  for tool in clippy-driver rustfmt; do
    command -v "$tool" >/dev/null 2>&1 || log "warning: $tool not found (tests/wasmtime needs it)"
  done
  local why
  why=$(cd "$repo/tests" && "$PYTHON" -c 'from support.rust import unusable; print(unusable())' 2>&1)
  if [ -n "$why" ]; then
    log "wasmtime: $why; the wasmtime target's build tests will skip (fail under CI=true)"
    return 0
  fi
  log "wasmtime: Rust toolchain: $(cd "$repo/tests" && "$PYTHON" -m support.rust)"
  if [ ! -d "$repo/../shared" ]; then
    log "no ../shared: skipping the wasmtime workspace prebuild"
    return 0
  fi
  log "wasmtime: generating the test workspace and building it (cold: several minutes)"
  WITGEN_CACHE="$cache" "$PYTHON" "$repo/tests/wasmtime/wasmtime_setup.py" --prebuild >&2 ||
    log "warning: the wasmtime prebuild failed; the tests will report why"
  # tests/python/test_python_vs_rust.py: the Rust side of the python target's differential
  log "python target: building the differential host pydiff (own target dir; cold: a wasmtime build)"
  WITGEN_CACHE="$cache" "$PYTHON" "$repo/tests/python/diff_setup.py" --prebuild >&2 ||
    log "warning: the pydiff prebuild failed; tests/python/test_python_vs_rust.py will report why"
}

setup_rust
