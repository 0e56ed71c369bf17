// Preloaded with `node --import` before jco (tests/support/guests.py `jco()` does this).
//
// jco 1.35 runs its bundled wasm-tools on @bytecodealliance/preview2-shim 0.26, whose Node
// filesystem starts with no preopened directories, so every jco command that reads a WIT path
// fails with "failed to get path metadata: No such file or directory". This grants the whole
// host filesystem ("/" -> "/") to each copy of the shim that jco and its helpers resolve.
//
// The npm prefix is $WITGEN_NODE_MODULES, else $WITGEN_CACHE/node/node_modules, else
// ~/.cache/witgen/node/node_modules.
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const nodeModules =
  process.env.WITGEN_NODE_MODULES ||
  join(process.env.WITGEN_CACHE || join(homedir(), ".cache", "witgen"), "node", "node_modules");

const seen = new Set();
for (const pkg of ["jco", "jco-transpile", "componentize-js", "preview2-shim"]) {
  const from = join(nodeModules, "@bytecodealliance", pkg, "package.json");
  let path;
  try {
    path = createRequire(from).resolve("@bytecodealliance/preview2-shim/filesystem");
  } catch {
    continue;
  }
  if (seen.has(path)) continue;
  seen.add(path);
  const fs = await import(pathToFileURL(path).href);
  fs._setPreopens({ "/": "/" });
}
if (seen.size === 0) {
  throw new Error(`preopens.mjs: @bytecodealliance/preview2-shim not found under ${nodeModules}`);
}
