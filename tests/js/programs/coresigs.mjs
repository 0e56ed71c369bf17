// Runs the load-time signature reader (`coreSigs`, taken from a generated index.js) on each
// module given, whole and on every prefix (the streaming path reads prefixes), and prints its
// result per module: { imports, exports, prefixes } where prefixes says whether every prefix
// gave either "too short" or the full result.
import { readFileSync } from "node:fs";

const [indexJs, ...wasms] = process.argv.slice(2);
const src = readFileSync(indexJs, "utf8");
const code = src.slice(src.indexOf("function sigText"), src.indexOf("// coreSigs of a streamed"));
const coreSigs = new Function(code + "\nreturn coreSigs;")();
const out = {};
for (const w of wasms) {
  const b = new Uint8Array(readFileSync(w));
  const s = coreSigs(b);
  const full = s && JSON.stringify([[...s.i], [...s.e]]);
  let prefixes = true;
  const step = Math.max(1, Math.floor(b.length / 4000));
  for (let n = 0; n < b.length && prefixes; n += n < 4096 ? 1 : step) {
    const p = coreSigs(b.subarray(0, n), false);
    if (p === undefined) continue;
    prefixes = p !== null && JSON.stringify([[...p.i], [...p.e]]) === full;
  }
  out[w] = s === null ? null : { imports: Object.fromEntries(s.i), exports: Object.fromEntries(s.e), prefixes };
}
console.log(JSON.stringify(out));
