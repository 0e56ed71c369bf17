#!/usr/bin/env bash
# The main job on the bundled example (testprojects/hello-wit): install witgen, check the WIT,
# print its resolved graph (the schema of `wasm-tools component wit --json`) and the core-module
# contract a guest must implement, then confirm both against wasm-tools when it is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python -m pip install -q -e . >/dev/null 2>&1 || python -m pip install -e .
wit=testprojects/hello-wit/wit
out=build/example
mkdir -p "$out"

echo "== witgen check $wit"
witgen check "$wit"

echo "== witgen resolve $wit --json  (first lines; full output in $out/resolved.json)"
witgen resolve "$wit" --json >"$out/resolved.json"
head -n 20 "$out/resolved.json"

echo "== witgen abi $wit --world hello"
witgen abi "$wit" --world hello | tee "$out/abi.txt"

if command -v wasm-tools >/dev/null 2>&1; then
  echo "== cross-check with wasm-tools"
  wasm-tools component wit --json "$wit" >"$out/wasm-tools.json"
  if cmp -s <(python -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' "$out/resolved.json") \
            <(python -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' "$out/wasm-tools.json"); then
    echo "resolved graph: identical to wasm-tools component wit --json"
  else
    echo "resolved graph: DIFFERS from wasm-tools (see $out/)" >&2
    exit 1
  fi
fi
