// Differential driver: runs one call list through witgen's package or jco's transpiled
// component and prints the results as JSON (one line), in the "JS JSON form" that
// tests/js/test_js_differential.py compares and canonicalizes.
//   node diff_driver.mjs witgen|jco BINDING_JS CALLS_JSON
//
// Calls are [fn, args]: fn is `f` (world export), `iface#f` (an exported interface's function),
// or `iface#[constructor]r`, `iface#[method]r.m`, `iface#[static]r.m`, `iface#[drop]r` (exported
// resources; `[drop]` is `[Symbol.dispose]()`, the JS way to drop an own handle).
//
// Argument encoding (JSON cannot carry every JS value; no WIT record in the test worlds has a
// field named like one of these markers):
//   {big: "123"} -> 123n        {bytes: [..]} -> Uint8Array     {float: "NaN"} -> NaN / ±Infinity
//   {ref: [i, ...path]} -> the raw result of call i (path: array indexes / camelCase fields),
//                          so later calls can pass resources (and records holding them) back
//   {counter: v} -> new Counter(v), a fresh host-implemented counter
//   {option2: []} / {option2: [x]} -> none / some(x) of an option<option<T>>, in each host's own
//                          form (witgen: undefined / {some: x}; jco: {tag: "none"} / {tag: "some", val: x})
//
// Output: {out: [{ok: V, logs} | {err: E, logs}], logs}: `ok` is the normalized return value,
// `err` the normalized `payload` of a thrown result error (or the message of any other throw),
// `logs` what host imports logged during that call (log lines, host counter drops).
// Normalized: bigint -> {big}, non-finite -> {float}, undefined -> null, Uint8Array -> {bytes},
// other typed arrays -> arrays, an exported Blob -> {blob: [its bytes]} (read with `bytes()`, not
// dropped: the object stays in the result table for later `ref`s), a host Counter -> {counter: v}.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [kind, binding, callsFile] = process.argv.slice(2);
const { world, calls } = JSON.parse(await readFile(callsFile, "utf8"));
const mod = await import(binding);

const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^./, (c) => c.toUpperCase());
const id = (x) => x;
let logs = [];
const log = (m) => { logs.push(m); };

// How a host import reports `err` of a `result` it returns: witgen catches only its
// WitResultError (docs/js.md decision 3); jco takes the `payload` own property of what is thrown.
class JcoResultError extends Error {
  constructor(payload) { super(String(payload)); this.payload = payload; }
}
const resultErr = (payload) => (kind === "jco" ? new JcoResultError(payload) : new mod.WitResultError(payload));

// The host-implemented counter of the `resources` world; the same behaviour as the wasmtime-py
// host in test_js_differential.py: a value, `incr`, `merge` = sum, and a log line when dropped.
class Counter {
  constructor(v) { this.v = v; }
  get() { return this.v; }
  incr(by) { this.v += by; }
  static merge(a, b) { return new Counter(a.v + b.v); }
  [Symbol.dispose]() { logs.push(`drop counter ${this.v}`); }
}

function imports() {
  if (world === "scalars") {
    const numbers = {};
    for (const t of ["bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "string"]) numbers[camel(`roundtrip-${t}`)] = id;
    numbers.allScalars = (...a) => a;
    const hostAdd = (a, b) => (a + b) >>> 0;
    return kind === "jco"
      ? { "witgen:scalars/numbers": numbers, "host-add": { default: hostAdd }, log: { default: log } }
      : { "witgen:scalars/numbers": numbers, hostAdd, log };
  }
  if (world === "compound") {
    // every roundtrip-* import returns its argument; a top-level `result` is returned as its
    // ok payload or thrown as err (both hosts' convention for imports returning a result)
    const unwrap = (r) => { if (r.tag === "ok") return r.val; throw resultErr(r.val); };
    const special = {
      split3: (s) => [s, s, s],
      manyParams: (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r) =>
        ({ a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r }),
    };
    const api = new Proxy({}, {
      get: (_, k) => special[k] ?? (typeof k === "string" && k.startsWith("roundtripResult") ? unwrap : id),
    });
    return { "witgen:compound/api": api };
  }
  if (world === "resources") {
    const hostRes = {
      Counter,
      makeCounters: (n) => Array.from({ length: n }, (_, i) => new Counter(i)),
      // the host owns the counters it is given: it sums them and drops them
      consumeCounters: (cs) => {
        const total = cs.reduce((s, c) => s + c.get(), 0);
        for (const c of cs) c[Symbol.dispose]();
        return total;
      },
      tagCounter: (tag, c) => ({ tag, c }),
      maybeCounter: (s) => { if (s === undefined || s === null) throw resultErr("no start"); return new Counter(s); },
    };
    return { "witgen:resources/host-res": hostRes };
  }
  return kind === "jco" ? { log: { default: log } } : { log };
}

const refs = [];
function decode(v) {
  if (v !== null && typeof v === "object") {
    if ("big" in v) return BigInt(v.big);
    if ("bytes" in v) return new Uint8Array(v.bytes);
    if ("float" in v) return Number(v.float);
    if ("counter" in v) return new Counter(v.counter);
    if ("option2" in v) {
      const some = v.option2.length === 1;
      if (kind === "jco") return some ? { tag: "some", val: decode(v.option2[0]) } : { tag: "none" };
      return some ? { some: decode(v.option2[0]) } : undefined;
    }
    if ("ref" in v) {
      const [i, ...path] = v.ref;
      return path.reduce((x, k) => x[typeof k === "string" ? camel(k) : k], refs[i]);
    }
    if (Array.isArray(v)) return v.map(decode);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

let ex;
let Blob = null; // the exported resource class of the `resources` world, to recognize its objects
function norm(v) {
  if (typeof v === "bigint") return { big: String(v) };
  if (typeof v === "number" && !Number.isFinite(v)) return { float: String(v) };
  if (v === undefined) return null;
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (ArrayBuffer.isView(v)) return Array.from(v, norm);
  if (Array.isArray(v)) return v.map(norm);
  if (Blob !== null && v instanceof Blob) return { blob: Array.from(v.bytes()) };
  if (v instanceof Counter) return { counter: v.v };
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}

const dir = dirname(fileURLToPath(binding));
if (kind === "jco") {
  ex = await mod.instantiate(async (p) => WebAssembly.compile(await readFile(join(dir, p))), imports());
} else {
  ex = await mod.instantiate(readFile(join(dir, `${world}.core.wasm`)), imports());
}
Blob = ex.guestRes?.Blob ?? null;

function invoke(fn, args) {
  const [iface, name] = fn.includes("#") ? fn.split("#") : [null, fn];
  const target = iface ? ex[camel(iface)] : ex;
  const m = /^\[(constructor|method|static|drop)\]([a-z0-9-]+)(?:\.([a-z0-9-]+))?$/.exec(name);
  if (m === null) return target[camel(name)](...args);
  const [, what, res, member] = m;
  if (what === "constructor") return new target[pascal(res)](...args);
  if (what === "static") return target[pascal(res)][camel(member)](...args);
  if (what === "drop") return args[0][Symbol.dispose]();
  return args[0][camel(member)](...args.slice(1));
}

const out = [];
const allLogs = [];
for (const [fn, args] of calls) {
  logs = [];
  let entry;
  try {
    const r = invoke(fn, args.map(decode));
    refs.push(r);
    entry = { ok: norm(r) };
  } catch (e) {
    refs.push(undefined);
    entry = { err: e && typeof e === "object" && "payload" in e ? norm(e.payload) : String(e) };
  }
  entry.logs = logs;
  allLogs.push(...logs);
  out.push(entry);
}
console.log(JSON.stringify({ out, logs: allLogs }));
