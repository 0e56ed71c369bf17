# Build-hook tests (tests/hooks/): a local wheelhouse of everything an isolated build of the
# testprojects needs (build backends and witgen's own dependencies), so those builds never
# reach an index. Sourced by scripts/setup-tests.sh with $repo, $cache, $PYTHON and log().
# Idempotent: downloads only when a wanted distribution is missing from the wheelhouse.
# witgen itself is built from the clone once per test session (tests/hooks/conftest.py).

HOOKS_WHEELHOUSE="$cache/hooks-wheelhouse"
# hatchling + editables (hatch editable installs), setuptools + wheel, witgen's dependencies,
# pip (for the test virtualenvs), build, and setuptools-rust (testprojects/rust-ext).
HOOKS_WHEELS=(hatchling editables setuptools wheel lark jinja2 pip build setuptools-rust)

setup_hooks() {
  local missing=() name norm
  mkdir -p "$HOOKS_WHEELHOUSE"
  for name in "${HOOKS_WHEELS[@]}"; do
    norm=$(printf '%s' "$name" | tr '[:upper:]-.' '[:lower:]__')
    compgen -G "$HOOKS_WHEELHOUSE/${norm}-*.whl" >/dev/null || missing+=("$name")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "downloading wheels for the build-hook tests into $HOOKS_WHEELHOUSE: ${missing[*]}"
  # the full set each time something is missing, so dependencies stay consistent
  "$PYTHON" -m pip download -q --only-binary=:all: -d "$HOOKS_WHEELHOUSE" "${HOOKS_WHEELS[@]}" \
    || log "could not download the build-hook wheels; tests/hooks will fail under CI"
}

setup_hooks
