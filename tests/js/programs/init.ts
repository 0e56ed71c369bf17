// `_initialize` runs once per instance; every cabi_post_* export runs; no memory is needed.
import { instantiate, instantiateSync, load } from "./pkg/index.js";
import { readFile } from "node:fs/promises";
import assert from "node:assert/strict";
import { check, done } from "./harness.js";

const wasm = await readFile(new URL("./pkg/init.core.wasm", import.meta.url));
await check("initialize-once-per-instance", async () => {
  const a = await load();
  const b = instantiateSync(wasm);
  const c = await instantiate(wasm);
  const counts = [a.initCount(), a.initCount(), b.initCount(), c.initCount()];
  assert.deepEqual(counts, [1, 1, 1, 1]);
  return counts;
});
await check("post-return-called", () => {
  const a = instantiateSync(wasm);
  a.initCount(); a.initCount(); a.initCount();
  assert.equal(a.postCount(), 3);
  return a.postCount();
});
done();
