// Loads each core module of a list through a generated package in every way `load()` /
// `instantiate()` accept it, and prints, per module and way, "ok" or the problems the thrown
// LinkError lists. Usage: node linkcheck.mjs <package index.js> <cases.json>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pkgPath, casesPath] = process.argv.slice(2);
const pkg = await import(pathToFileURL(pkgPath).href);
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
// a stand-in WASI: these modules are only instantiated, never run
const wasi = { wasiImport: { fd_write() { return 0; } }, initialize() {} };
const imports = { log() {}, tick() {} };

const ways = {
  buffer: (b) => pkg.instantiate(b, imports, { wasi }),
  arraybuffer: (b) => pkg.instantiate(b.buffer.slice(b.byteOffset, b.byteOffset + b.length), imports, { wasi }),
  promise: (b) => pkg.instantiate(Promise.resolve(new Uint8Array(b)), imports, { wasi }),
  streamed: (b) => pkg.instantiate(new Response(b, { headers: { "content-type": "application/wasm" } }), imports, { wasi }),
  response: (b) => pkg.instantiate(new Response(b), imports, { wasi }),
  sync: async (b) => pkg.instantiateSync(b, imports, { wasi }),
  module: (b) => pkg.instantiate(new WebAssembly.Module(b), imports, { wasi }),
};

const HEAD = /^the core module does not fit world `([^`]*)` \((\d+) problems?\):\n {2}- /;
const out = {};
for (const { id, wasm } of cases) {
  const bytes = readFileSync(wasm);
  out[id] = {};
  for (const [way, run] of Object.entries(ways)) {
    try {
      await run(bytes);
      out[id][way] = "ok";
    } catch (e) {
      const m = HEAD.exec(e.message);
      if (!(e instanceof WebAssembly.LinkError) || !m) {
        out[id][way] = "unexpected: " + (e && e.stack || e);
        continue;
      }
      const problems = e.message.slice(m[0].length).split("\n  - ");
      out[id][way] = Number(m[2]) === problems.length ? { world: m[1], problems } : "bad count: " + e.message;
    }
  }
}
console.log(JSON.stringify(out));
