// A componentize-js guest (the core module jco transpile would emit) through witgen's package.
import assert from "node:assert/strict";
import { load, WitResultError } from "./pkg/index.js";
import { check, done } from "./harness.js";

const logs: string[] = [];
const ex = await load({ log: (m) => { logs.push(m); } });
await check("greet", () => {
  const r = ex.greet("wörld");
  assert.deepEqual(logs, ["Hello, wörld!"]);
  return r;
});
await check("describe", () => ex.describe({ name: "Ann", age: 42 }));
await check("sum-list", () => ex.sumList(new Int32Array([1, -2, 2147483647])));
await check("parse-age", () => {
  const r: unknown[] = [ex.parseAge("42")];
  try { ex.parseAge("x"); } catch (e) { r.push(e instanceof WitResultError ? e.payload : String(e)); }
  return r;
});
await check("oldest", () => [ex.oldest([{ name: "a", age: 1 }, { name: "b", age: 9 }]), ex.oldest([])]);
done();
