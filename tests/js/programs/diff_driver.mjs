// Differential driver: runs one call list through witgen's package or jco's transpiled
// component and prints the normalized results as JSON.
//   node diff_driver.mjs witgen|jco BINDING_JS CALLS_JSON
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";

const [kind, binding, callsFile] = process.argv.slice(2);
const { world, calls } = JSON.parse(await readFile(callsFile, "utf8"));
const mod = await import(binding);

const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const id = (x) => x;
const logs = [];
function imports() {
  if (world === "scalars") {
    const numbers = {};
    for (const t of ["bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char", "string"]) numbers[camel(`roundtrip-${t}`)] = id;
    numbers.allScalars = (...a) => a;
    const hostAdd = (a, b) => (a + b) >>> 0;
    const log = (m) => { logs.push(m); };
    return kind === "jco"
      ? { "witgen:scalars/numbers": numbers, "host-add": { default: hostAdd }, log: { default: log } }
      : { "witgen:scalars/numbers": numbers, hostAdd, log };
  }
  if (world === "compound") {
    const api = new Proxy({}, { get: (_, k) => (k === "split3" ? (s) => [s, s, s] : id) });
    return { "witgen:compound/api": api };
  }
  const log = (m) => { logs.push(m); };
  return kind === "jco" ? { log: { default: log } } : { log };
}
function decode(v) {
  if (v !== null && typeof v === "object") {
    if ("big" in v) return BigInt(v.big);
    if ("bytes" in v) return new Uint8Array(v.bytes);
    if (Array.isArray(v)) return v.map(decode);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}
function norm(v) {
  if (typeof v === "bigint") return { big: String(v) };
  if (typeof v === "number" && !Number.isFinite(v)) return { float: String(v) };
  if (v === undefined) return null;
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (ArrayBuffer.isView(v)) return Array.from(v, norm);
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}
let ex;
if (kind === "jco") {
  const dir = dirname(binding.replace("file://", ""));
  ex = await mod.instantiate(async (p) => WebAssembly.compile(await readFile(join(dir, p))), imports());
} else {
  ex = await mod.instantiate(readFile(join(dirname(binding.replace("file://", "")), `${world}.core.wasm`)), imports());
}
const out = [];
for (const [fn, args] of calls) {
  const [iface, name] = fn.includes("#") ? fn.split("#") : [null, fn];
  const target = iface ? ex[iface] : ex;
  try {
    out.push({ ok: norm(target[camel(name)](...args.map(decode))) });
  } catch (e) {
    out.push({ err: e && "payload" in e ? norm(e.payload) : String(e) });
  }
}
console.log(JSON.stringify({ out, logs }));
