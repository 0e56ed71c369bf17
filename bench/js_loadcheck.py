"""Benchmark: what the load-time contract check (witgen/js/linkcheck.py) costs `instantiate()`.

    python bench/js_loadcheck.py

For the C guests `hello` (17 KB) and `wasi-print` (37 KB, with the package's WASI shim), in one
Node process: the package's `instantiate(bytes)` and `instantiate(Module)` against the raw
engine work they wrap (`WebAssembly.compile` + `WebAssembly.instantiate` + `_initialize`, imports
as plain functions; V8's compile cache makes the compile of the same bytes cheap in both), and
the check's own parts taken out of the generated file (`coreSigs`, the signature reader;
`checkCore`, the comparison; `probeExports`, the compiled-Module path). Each case alternates with
its baseline; after 2 warm-up rounds, the median of 15 rounds of the process's CPU time, in
microseconds per call.

Writes bench/results/js_loadcheck.json.
"""

from __future__ import annotations

import datetime
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "js_loadcheck.json"
GUESTS = ("hello", "wasi-print")

JS = r"""
import { readFileSync } from "node:fs";
const [pkgJs, wasmPath] = process.argv.slice(2);
const P = await import(pkgJs);
const src = readFileSync(new URL(pkgJs), "utf8");
const parts = new Function(src.slice(src.indexOf("const WASI_MODULES"), src.indexOf("function prepare(")).replace(/^export /gm, "") +
  "\nreturn { coreSigs, checkCore, probeExports };")();
const bytes = new Uint8Array(readFileSync(wasmPath));
const module = new WebAssembly.Module(bytes);
const stub = {};
for (const d of WebAssembly.Module.imports(module)) (stub[d.module] ??= {})[d.name] = () => 0;
const imports = { log() {} };
const usesWasi = WebAssembly.Module.imports(module).some((d) => d.module === "wasi_snapshot_preview1");
const opts = usesWasi ? () => ({ wasi: P.wasiShim({ stdout() {}, stderr() {} }) }) : () => undefined;
async function raw(src) {
  const m = src instanceof WebAssembly.Module ? src : await WebAssembly.compile(src);
  const i = await WebAssembly.instantiate(m, stub);
  i.exports._initialize?.();
  return i;
}
const sigs = parts.coreSigs(bytes);
const inst = await raw(module);
const CASES = {
  "instantiate(bytes)": [() => P.instantiate(bytes, imports, opts()), () => raw(bytes), 200],
  "instantiate(Module)": [() => P.instantiate(module, imports, opts()), () => raw(module), 400],
  "coreSigs": [() => parts.coreSigs(bytes), null, 2000],
  "checkCore": [() => parts.checkCore(module, sigs, undefined, { wasiImport: {} }), null, 2000],
  "probeExports": [() => parts.probeExports(inst.exports), null, 2000],
};
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
async function time(f, n) { const t0 = cpu(); for (let i = 0; i < n; i++) await f(); return (cpu() - t0) / n; }
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = {};
for (const [name, [f, base, n]] of Object.entries(CASES)) {
  const a = [], b = [];
  for (let r = 0; r < 17; r++) {
    const x = await time(f, n), y = base ? await time(base, n) : 0;
    if (r >= 2) { a.push(x); b.push(y); }
  }
  out[name] = { witgen_us: median(a), raw_us: base ? median(b) : null };
}
console.log(JSON.stringify(out));
"""


def main() -> int:
    sys.path.insert(0, str(REPO / "tests"))
    from support import guests

    import witgen
    from witgen.js import generate

    results: dict[str, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        script = t / "bench.mjs"
        script.write_text(JS)
        for name in GUESTS:
            core = guests.build_c_guest(name)
            spec = guests.guest_spec("c", name)
            r = witgen.load(spec.wit)
            pkg = t / name
            pkg.mkdir()
            for rel, data in generate(r, r.select_world(spec.world), {"wasi": True}).items():
                (pkg / rel).write_bytes(data)
            proc = subprocess.run(
                ["node", str(script), (pkg / "index.js").as_uri(), str(core)],
                capture_output=True,
                text=True,
                timeout=900,
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            results[name] = json.loads(proc.stdout.splitlines()[-1])
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{'guest':11} {'case':20} {'witgen us':>10} {'raw us':>8} {'extra us':>9}")
    for name, cases in results.items():
        for case, row in cases.items():
            w, raw = row["witgen_us"], row["raw_us"]
            extra = f"{w - raw:9.1f}" if raw is not None and w is not None else ""
            raw_text = f"{raw:8.1f}" if raw is not None else ""
            print(f"{name:11} {case:20} {w:10.1f} {raw_text:>8} {extra}")
        check = cases["coreSigs"]["witgen_us"] + cases["checkCore"]["witgen_us"]
        probe = cases["checkCore"]["witgen_us"] + cases["probeExports"]["witgen_us"]
        share_b = check / cases["instantiate(bytes)"]["witgen_us"]
        share_m = probe / cases["instantiate(Module)"]["witgen_us"]
        print(
            f"{name:11} the check: {check:.1f} us of instantiate(bytes) ({share_b:.1%}); "
            f"{probe:.1f} us of instantiate(Module) ({share_m:.1%})"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.date.today().isoformat(),
                "node": node,
                "machine": platform.machine(),
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
