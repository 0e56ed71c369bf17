// Fixed-length lists (`list<T, N>`) both ways, flat and spilled.
import assert from "node:assert/strict";
import { load } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

const seen: unknown[] = [];
const ex = await load({ roundtripBytes: (x) => { seen.push(x); return x; } });
await check("reverse", () => ex.reverseBytes([1, 2, 3, 4]));
await check("typed-array-input", () => ex.reverseBytes(new Uint8Array([5, 6, 7, 8]) as unknown as [number, number, number, number]));
await check("tuples", () => ex.sumPairs([[1, 2], [3, -4]]));
await check("relay", () => {
  const r = ex.relayBytes([9, 8, 7, 6]);
  assert.deepEqual(seen.at(-1), [9, 8, 7, 6]);
  return r;
});
await check("strings", () => ex.names());
await check("length-errors", () => [
  throws(() => ex.reverseBytes([1, 2, 3] as unknown as [number, number, number, number]), TypeError, "reverse-bytes: x: expected an array of length 4, got an array"),
  throws(() => ex.reverseBytes([1, 2, 3, 256]), RangeError, "reverse-bytes: x[3]: 256 is out of range for u8 (0..255)"),
  throws(() => ex.sumPairs([[1, 2], [3]] as unknown as [[number, number], [number, number]]), TypeError, "sum-pairs: x[1]: expected an array of length 2, got an array"),
]);
done();
