// Versioned import keys: the typed Imports object (checked by tsc) is what the runtime reads.
import assert from "node:assert/strict";
import { load, type Imports } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

const imports: Imports = { "witgen-test:versioned/math@1.2.3": { double: (x) => x * 2 } };
const ex = await load(imports);
await check("call", () => ex.twicePlusOne(20));
await check("unversioned-key-is-not-read", async () => {
  const wrong = { "witgen-test:versioned/math": { double: (x: number) => x * 2 } } as unknown as Imports;
  let msg = "";
  try { await load(wrong); } catch (e) { msg = (e as Error).message; }
  assert.match(msg, /imports\["witgen-test:versioned\/math@1\.2\.3"\] must be an object/);
  return msg;
});
await check("host-result-checked", async () => {
  const bad = await load({ "witgen-test:versioned/math@1.2.3": { double: () => -1 } });
  return throws(() => bad.twicePlusOne(1), RangeError, "double: result: -1 is out of range for u32 (0..4294967295) (returned by the host)");
});
done();
