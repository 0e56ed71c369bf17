"""Benchmark: the JS target's async path, side by side with its sync path, on the `bytes-guest`
C guest of tests/js/async (callback ABI), and jco on the same guest where it runs.

    python bench/js_async.py

One run in one Node process (20, no flags). Each case is the best of 15 batches after a
warm-up:

- async noop: `await g.ticket()` (an `async func` export that calls task.return at once) vs
  the same package's sync export `g.produced()` followed by one `await` of a resolved Promise
  (target: async <= 3x);
- stream<u8> 64 KiB chunks (best of 9 runs, interleaved with the baseline's): 64 MiB the guest
  writes (`produce(n, 65536)`, from a prepared
  buffer) read by JS through the ReadableStream, vs `Uint8Array.set` of the same bytes in
  64 KiB chunks out of the guest's memory into fresh JS buffers (target: >= 50% of its
  throughput);
- jco (`jco transpile` of the component): Node 20 has no JSPI, which jco's async support needs;
  the error is recorded.

Writes bench/results/js_async.json.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "js_async.json"
GUEST = REPO / "tests" / "js" / "async" / "guest"

JS = r"""
import { readFile } from "node:fs/promises";
const [pkgJs, jcoJs, wasmPath] = process.argv.slice(2);
const wasm = await readFile(wasmPath);
const W = await import(pkgJs);
const g = await W.instantiate(wasm, { bump: (x) => x + 1 });

async function bench(fn, iters) {
  for (let i = 0; i < Math.max(100, iters / 5); i++) await fn(i);
  let best = Infinity;
  for (let r = 0; r < 15; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) await fn(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / iters);
  }
  return best;
}
const resolved = Promise.resolve(0);
const sync = await bench(() => { g.produced(); return resolved; }, 2e5);
const asyncCall = await bench(() => g.ticket(), 2e5);

// stream<u8>: MiB per second through the stream vs Uint8Array.set of the same chunks
const N = 64 << 20, CHUNK = 65536;
async function streamOnce() {
  let got = 0;
  for await (const c of await g.produce(N, CHUNK)) got += c.length;
  if (got !== N) throw new Error("short stream " + got);
}
const src = new Uint8Array(N);
for (let i = 0; i < N; i++) src[i] = i & 255;
function setOnce() {
  let got = 0;
  for (let o = 0; o < N; o += CHUNK) { const d = new Uint8Array(CHUNK); d.set(src.subarray(o, o + CHUNK)); got += d.length; }
  if (got !== N) throw new Error("short");
}
// interleaved, so that a busy machine slows both alike; the best run of each
async function time(fn) { const t0 = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - t0); }
await streamOnce(); setOnce();
let streamNs = Infinity, setNs = Infinity;
for (let r = 0; r < 9; r++) { streamNs = Math.min(streamNs, await time(streamOnce)); setNs = Math.min(setNs, await time(setOnce)); }
const mib = (ns) => (N / 2 ** 20) / (ns / 1e9);

let jco;
try {
  const J = await import(jcoJs);
  const { dirname, join } = await import("node:path");
  const jdir = dirname(new URL(jcoJs).pathname);
  const t = await J.instantiate(async (p) => WebAssembly.compile(await readFile(join(jdir, p))), { bump: { default: (x) => x + 1 } });
  jco = { ran: true, ticket: await t.ticket() };
  jco.async_ns = await bench(() => t.ticket(), 2e4);
} catch (e) {
  jco = { ran: false, error: String(e?.message ?? e).split("\n")[0] };
}
console.log(JSON.stringify({
  noop: { sync_plus_await_ns: sync, async_ns: asyncCall },
  stream: { stream_mib_s: mib(streamNs), set_mib_s: mib(setNs) },
  jco,
}));
"""


def main() -> int:
    sys.path.insert(0, str(REPO / "tests"))
    from support import guests

    import witgen
    from witgen.js import generate

    spec = guests.GuestSpec("c", "js-async-bytes", GUEST, GUEST / "world.wit", "bytes-guest")
    core = guests.build_c_spec(spec)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        r = witgen.load(spec.wit)
        pkg = t / "witgen"
        pkg.mkdir()
        for rel, data in generate(r, r.select_world(spec.world), {"wasm": str(core)}).items():
            (pkg / rel).write_bytes(data)
        jco_js: Path | str = "file:///nonexistent"
        jco_error = None
        try:
            comp = guests.componentize_core(core)
            jco_js = guests.jco_transpile(
                comp, t / "jco", "--instantiation", "async", name="bytes"
            ).as_uri()
        except Exception as e:  # noqa: BLE001 - record why jco could not transpile it
            jco_error = f"jco transpile failed: {str(e).splitlines()[0] if str(e) else e!r}"
        script = t / "bench.mjs"
        script.write_text(JS)
        proc = subprocess.run(
            ["node", str(script), (pkg / "index.js").as_uri(), str(jco_js), str(core)],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        out = json.loads(proc.stdout.splitlines()[-1])
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    if jco_error is not None:
        out["jco"] = {"ran": False, "error": jco_error}
    noop, stream = out["noop"], out["stream"]
    ratio = noop["async_ns"] / noop["sync_plus_await_ns"]
    share = stream["stream_mib_s"] / stream["set_mib_s"]
    cases = {
        "async_noop": {
            "sync_plus_await_ns": round(noop["sync_plus_await_ns"], 1),
            "async_ns": round(noop["async_ns"], 1),
            "async_over_sync": round(ratio, 2),
            "target": "<= 3.0x",
            "met": ratio <= 3.0,
        },
        "stream_u8_64k": {
            "stream_mib_s": round(stream["stream_mib_s"]),
            "uint8array_set_mib_s": round(stream["set_mib_s"]),
            "stream_share": round(share, 2),
            "target": ">= 0.5",
            "met": share >= 0.5,
        },
    }
    for name, row in cases.items():
        print(name, json.dumps(row))
    print("jco", json.dumps(out["jco"]))
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.date.today().isoformat(),
                "machine": {
                    "cpus": os.cpu_count(),
                    "node": node.strip(),
                    "platform": platform.platform(),
                },
                "guest": "tests/js/async/guest (bytes-guest: wit-bindgen c + clang, callback ABI)",
                "method": "one node process; best of 15 batches (calls) / 9 interleaved runs (64 MiB) after "
                "a warm-up",
                "cases": cases,
                "jco": out["jco"],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
