// map<string, u32> both ways: a JS Map in, a JS Map out.
import assert from "node:assert/strict";
import { load } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

const ex = await load();
await check("roundtrip", () => {
  const m = new Map([["a", 1], ["bé", 2], ["", 4294967295]]);
  const back = ex.echoMap(m);
  assert.ok(back instanceof Map);
  assert.deepEqual(back, m);
  return back;
});
await check("count", () => [ex.count(new Map()), ex.count(new Map([["x", 1], ["y", 2]]))]);
await check("errors", () => [
  throws(() => ex.count(new Map([["x", -1]])), RangeError, "count: m[0][1]: -1 is out of range for u32 (0..4294967295)"),
  throws(() => ex.count(new Map([[5 as unknown as string, 1]])), TypeError, "count: m[0][0]: expected a string, got 5"),
  throws(() => ex.count({} as unknown as Map<string, number>), TypeError, "count: m: expected a Map, got an object"),
]);
done();
