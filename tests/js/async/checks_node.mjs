// `node checks_node.mjs DIR`: the checks of checks.mjs in Node, on the generated packages
// DIR/<name>/index.js and core modules DIR/<name>.wasm; prints one JSON line (runChecks's result).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runChecks } from "./checks.mjs";

const dir = process.argv[2];
const names = ["bytes", "async", "errors", "misbehave"];
const pkgs = {}, wasm = {};
for (const n of names) {
  pkgs[n] = await import(pathToFileURL(join(dir, n, "index.js")).href);
  wasm[n] = await readFile(join(dir, n + ".wasm"));
}
const tick = () => new Promise((r) => setImmediate(r));
console.log(JSON.stringify(await runChecks({ pkgs, wasm, tick, rss: () => process.memoryUsage().rss })));
process.exit(0);
