"""Benchmark: per-call cost of witgen's JS bindings, side by side with `jco transpile` of the
same guest (the `scalars` C guest of tests/guests), against hand-written raw core-wasm calls.

    python bench/js_calls.py

One run in one Node process. Each case is timed as a user would time it: a plain loop
`for (let i = 0; i < N; i++) r = f(i, 7)`, one loop per function (raw core export, the witgen
package's export, jco's), the three alternated within each round; after 2 warm-up rounds, the
median of 15 rounds of the process's CPU time (so other load on a shared machine does not count),
in ns per call, with the ratio to the raw baseline:

- add(u32, u32): raw `instance.exports.add(a, b)` (target: witgen <= 2x raw);
- echo of a 12-char string: raw = `cabi_realloc` + `TextEncoder.encodeInto` + the core call +
  reading the return area + `TextDecoder.decode` + `cabi_post_echo` (target <= 1.5x);
- list<u8> of 100 KB into `sum`: raw = `cabi_realloc` + `Uint8Array.set` + the core call
  (target <= 2x);
- add-via-host (an export calling one host import): raw = the core export with the import given
  as a plain JS function (target <= 3x).

Writes bench/results/js_calls.json.
"""

from __future__ import annotations

import datetime
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "js_calls.json"
TARGETS = {"add": 2.0, "echo12": 1.5, "list_u8_100k": 2.0, "export_calls_import": 3.0}

JS = r"""
import { readFile } from "node:fs/promises";
import { join, dirname } from "node:path";
const [pkgJs, jcoJs, wasmPath] = process.argv.slice(2);
const wasm = await readFile(wasmPath);
const hostAdd = (a, b) => (a + b) >>> 0;
const id = (x) => x;
const numbers = {};
for (const t of ["Bool", "U8", "S8", "U16", "S16", "U32", "S32", "U64", "S64", "F32", "F64", "Char", "String"]) numbers["roundtrip" + t] = id;
numbers.allScalars = (...a) => a;

// raw core instance: the host-add import as a plain function, everything else a stub
const module = await WebAssembly.compile(wasm);
const rawImports = {};
for (const d of WebAssembly.Module.imports(module)) {
  (rawImports[d.module] ??= {})[d.name] = d.name === "host-add" ? hostAdd : () => 0;
}
const raw = (await WebAssembly.instantiate(module, rawImports)).exports;
raw._initialize?.();

const W = await import(pkgJs);
const ours = await W.instantiate(wasm, { "witgen:scalars/numbers": numbers, hostAdd, log() {} });
const J = await import(jcoJs);
const jdir = dirname(new URL(jcoJs).pathname);
const theirs = await J.instantiate(async (p) => WebAssembly.compile(await readFile(join(jdir, p))),
  { "witgen:scalars/numbers": numbers, "host-add": { default: hostAdd }, log: { default() {} } });

const enc = new TextEncoder(), dec = new TextDecoder();
const s12 = "hello, world";
const rawEcho = raw.echo, rawPost = raw.cabi_post_echo, realloc = raw.cabi_realloc, memory = raw.memory;
function rawEchoCall(s) {
  const cap = s.length * 3;
  const p = realloc(0, 0, 1, cap);
  const { written } = enc.encodeInto(s, new Uint8Array(memory.buffer, p, cap));
  const r = rawEcho(p, written);
  const dv = new DataView(memory.buffer);
  const out = dec.decode(new Uint8Array(memory.buffer, dv.getUint32(r, true), dv.getUint32(r + 4, true)));
  if (rawPost) rawPost(r);
  return out;
}
const big = new Uint8Array(100 * 1024).map((_, i) => i);
const rawSum = raw.sum;
function rawSumCall(buf) {
  const p = realloc(0, 0, 1, buf.length);
  new Uint8Array(memory.buffer).set(buf, p);
  return rawSum(p, buf.length);
}
const addRaw = raw.add, addViaRaw = raw["add-via-host"];

// Each case is timed as a user would write it: a plain loop calling the function, one loop per
// function (so each call site sees one callee), iterations per round in [1] and for jco in [2].
const CASES = {
  add: [{
    raw: (n) => { let r = 0; for (let i = 0; i < n; i++) r = addRaw(i, 7); return r; },
    witgen: (n) => { let r = 0; for (let i = 0; i < n; i++) r = ours.add(i, 7); return r; },
    jco: (n) => { let r = 0; for (let i = 0; i < n; i++) r = theirs.add(i, 7); return r; },
  }, 2e6, 1e5],
  echo12: [{
    raw: (n) => { let r; for (let i = 0; i < n; i++) r = rawEchoCall(s12); return r; },
    witgen: (n) => { let r; for (let i = 0; i < n; i++) r = ours.echo(s12); return r; },
    jco: (n) => { let r; for (let i = 0; i < n; i++) r = theirs.echo(s12); return r; },
  }, 2e5, 5e4],
  list_u8_100k: [{
    raw: (n) => { let r = 0; for (let i = 0; i < n; i++) r = rawSumCall(big); return r; },
    witgen: (n) => { let r = 0; for (let i = 0; i < n; i++) r = ours.sum(big); return r; },
    jco: (n) => { let r = 0; for (let i = 0; i < n; i++) r = theirs.sum(big); return r; },
  }, 300, 300],
  export_calls_import: [{
    raw: (n) => { let r = 0; for (let i = 0; i < n; i++) r = addViaRaw(i, 7); return r; },
    witgen: (n) => { let r = 0; for (let i = 0; i < n; i++) r = ours.addViaHost(i, 7); return r; },
    jco: (n) => { let r = 0; for (let i = 0; i < n; i++) r = theirs.addViaHost(i, 7); return r; },
  }, 1e6, 5e4],
};
const ROUNDS = 15, WARMUP = 2;
const keep = [];
// CPU time of this process (user + system, in microseconds): time spent descheduled on a busy
// machine does not count
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
function time(f, n) {
  const t0 = cpu();
  keep.push(f(n));
  return ((cpu() - t0) * 1000) / n;
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const out = {};
for (const [name, [fns, iters, jcoIters]] of Object.entries(CASES)) {
  const ns = { raw: [], witgen: [], jco: [] };
  const order = ["raw", "witgen", "jco"];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    // alternate which side runs first
    for (const k of r % 2 ? [...order].reverse() : order) {
      const t = time(fns[k], k === "jco" ? jcoIters : iters);
      if (r >= WARMUP) ns[k].push(t);
    }
  }
  out[name] = { raw: median(ns.raw), witgen: median(ns.witgen), jco: median(ns.jco) };
}
if (ours.add(2, 3) !== 5 || ours.echo(s12) !== s12 || theirs.echo(s12) !== s12) throw new Error("wrong results");
console.log(JSON.stringify({ out, kept: keep.length }));
"""


def main() -> int:
    sys.path.insert(0, str(REPO / "tests"))
    from support import guests

    import witgen
    from witgen.js import generate

    core = guests.build_c_guest("scalars")
    comp = guests.componentize_core(core)
    spec = guests.guest_spec("c", "scalars")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        r = witgen.load(spec.wit)
        pkg = t / "witgen"
        pkg.mkdir()
        for rel, data in generate(r, r.select_world(spec.world), {"wasm": str(core)}).items():
            (pkg / rel).write_bytes(data)
        jco_js = guests.jco_transpile(comp, t / "jco", "--instantiation", "async", name="scalars")
        script = t / "bench.mjs"
        script.write_text(JS)
        proc = subprocess.run(
            ["node", str(script), (pkg / "index.js").as_uri(), jco_js.as_uri(), str(core)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        out = json.loads(proc.stdout.splitlines()[-1])["out"]
        node_version = subprocess.run(
            ["node", "--version"], capture_output=True, text=True
        ).stdout.strip()

    cases = {}
    print(
        f"{'case':24} {'raw ns':>10} {'witgen ns':>10} {'jco ns':>10} {'witgen/raw':>11} {'jco/raw':>8} target"
    )
    for name, row in out.items():
        ratio = row["witgen"] / row["raw"]
        jratio = row["jco"] / row["raw"]
        met = ratio <= TARGETS[name]
        cases[name] = {
            "raw_ns": round(row["raw"], 1),
            "witgen_ns": round(row["witgen"], 1),
            "jco_ns": round(row["jco"], 1),
            "witgen_over_raw": round(ratio, 2),
            "jco_over_raw": round(jratio, 2),
            "target": f"<= {TARGETS[name]}x",
            "met": met,
        }
        print(
            f"{name:24} {row['raw']:10.1f} {row['witgen']:10.1f} {row['jco']:10.1f} {ratio:10.2f}x {jratio:7.1f}x "
            f"<= {TARGETS[name]}x {'met' if met else 'MISSED'}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": {
                    "cpus": __import__("os").cpu_count(),
                    "node": node_version,
                    "platform": platform.platform(),
                },
                "guest": "tests/guests/c/scalars (wit-bindgen c + clang)",
                "method": (
                    "one node process; a plain loop per function (raw, witgen, jco) "
                    "alternated per round; median of 15 rounds after 2 warm-up rounds; ns of process CPU "
                    "time per call"
                ),
                "cases": cases,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
