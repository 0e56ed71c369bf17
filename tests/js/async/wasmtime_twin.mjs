// The scenarios of tests/wasmtime/hosts/async.rs (the wasmtime host of the C guest `async`),
// run through the generated JS package: `node wasmtime_twin.mjs PKG_DIR GUEST.wasm` prints
// `name = value` lines in the Rust host's form (Rust `Debug`), for the comparison in
// tests/wasmtime/test_runtime_async.py.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

const [dir, wasm] = process.argv.slice(2);
const pkg = await import(join(dir, "index.js"));
const tick = () => new Promise((r) => setImmediate(r));
async function yieldTimes(n) { for (let i = 0; i < n; i++) await tick(); }
const log = [];
let counters = 0;
// a host function that does not suspend answers with a plain value (an async JS function
// always returns a Promise: the guest would see the call as started, not returned)
const imports = {
  "witgen:concurrency/host": {
    slowDouble(x, yields) {
      log.push(`slow-double(${x}) start`);
      if (yields === 0) { log.push(`slow-double(${x}) end`); return 2 * x; }
      return yieldTimes(yields).then(() => { log.push(`slow-double(${x}) end`); return 2 * x; });
    },
    numbers: (start, n) => (function* () { for (let i = 0; i < n; i++) yield start + i; })(),
    valueLater: (x) => yieldTimes(1).then(() => x * 10),
    dropFuture(f) { f.drop(); log.push("drop-future closed"); },
    Counter: class {
      constructor(v) { this.id = ++counters; this.v = v; log.push(`counter ${this.id} new`); }
      async add(n) { log.push(`counter ${this.id} add ${n}`); await yieldTimes(1); return (this.v += n); }
      [Symbol.dispose]() { log.push(`counter ${this.id} dropped`); }
    },
  },
  async slowConcat(a, b) { log.push(`slow-concat(${rs(a)}, ${rs(b)})`); await yieldTimes(1); return a + b; },
};
// Rust `Debug` of the values these scenarios give
function rs(v) {
  if (typeof v === "string") return JSON.stringify(v).replace(/\\u([0-9a-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  if (typeof v === "bigint" || typeof v === "number") return String(v);
  if (Array.isArray(v)) return "[" + v.map(rs).join(", ") + "]";
  throw new TypeError("rs: " + v);
}
const tuple = (xs) => "(" + xs.map(rs).join(", ") + ")";
const out = (k, v) => console.log(`${k} = ${v}`);
const all = async (rs) => { const a = []; for await (const x of rs) a.push(x); return a; };
const fresh = async () => { log.length = 0; return pkg.instantiate(await readFile(wasm), imports); };

let g = await fresh();
out("double-plus-one", rs(await g.doublePlusOne(5)));
out("concurrent double-plus-one", rs(await Promise.all([3, 1, 2].map((x) => g.doublePlusOne(x)))));
const concurrent = log.slice();
out("greet", rs(await g.greet("wörld")));
out("greet log", rs(log.slice(concurrent.length)));
g = await fresh();
out("triple-future", rs(await g.tripleFuture(yieldTimes(2).then(() => 7))));
out("host-future-plus-one", rs(await g.hostFuturePlusOne(3)));
out("make-future", `Some(${rs(await g.makeFuture("stressed"))})`);
out("write-to-dropped", rs(await g.writeToDropped()));
out("write-to-dropped log", rs(log));
g = await fresh();
const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
out("sum-bytes", tuple(await g.pipes.sumBytes(bytes)));
out("count-up", rs(await all(await g.pipes.countUp(10, 7))));
out("shout", rs(await all(await g.pipes.shout(["hi", "wörld", "", "async", "streams", "of", "strings"]))));
out("sum-host-numbers", rs(await g.pipes.sumHostNumbers(1, 100)));
g = await fresh();
out("count-with", rs(await g.countWith(40, 2)));
const t = new g.pipes.Tally();
const totals = [await t.add(5), await t.add(7)];
const before = g.pipes.talliesAlive();
t[Symbol.dispose]();
out("resources log", rs(log));
out("tally add", rs(totals));
out("tallies alive", rs([before, g.pipes.talliesAlive()]));
g = await fresh();
out("cancel-slow-double at once", rs(await g.cancelSlowDouble(6, 0)));
out("cancel-slow-double later", rs(await g.cancelSlowDouble(9, 1000)));
out("cancel-future-read pending", rs(await g.cancelFutureRead(new Promise(() => {}))));
out("cancel-future-read ready", rs(await g.cancelFutureRead(5)));
out("sync-double now", rs(g.syncDouble(4, 0)));
try { g.syncDouble(4, 1); out("sync-double later", "returned"); } catch (e) { out("sync-double later", e.name + ": " + e.message); }
