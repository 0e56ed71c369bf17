# shellcheck shell=bash
# The JS target's tests (tests/js/, docs/js.md). Sourced by scripts/setup-tests.sh with $repo,
# $cache, $PYTHON and log() set; idempotent, and only a few file checks when all is installed.
#
#   Debian  chromium       the headless-browser test (a guest call in a real browser)
#   npm     @types/node    the typed .ts test programs use node:assert, node:fs, process
#
# typescript and jco come from the base script ($cache/node). WITGEN_SETUP_JS=0 skips this.

JS_APT_PACKAGES=(chromium)
JS_NPM_PACKAGES=("@types/node@20")

js_setup_apt() {
  apt_ensure js "${JS_APT_PACKAGES[@]}"
}

js_setup_npm() {
  command -v npm >/dev/null 2>&1 || { log "js: no npm: skipping npm packages"; return 0; }
  local dir="$cache/node" spec name missing=()
  for spec in "${JS_NPM_PACKAGES[@]}"; do
    name=${spec%@*}
    [ -f "$dir/node_modules/$name/package.json" ] || missing+=("$spec")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "js: installing npm packages into $dir: ${missing[*]}"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || printf '{"private": true}\n' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${missing[@]}" >/dev/null
}

if [ "${WITGEN_SETUP_JS:-1}" != "0" ]; then
  js_setup_apt
  js_setup_npm
fi
