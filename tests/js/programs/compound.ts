// The `compound` C guest: records, tuples, options, results, variants, enums, flags, lists and
// spilled params/results, both ways (the `api` exports relay to the host's `api` imports).
import assert from "node:assert/strict";
import { load, WitResultError, type Exports, type Imports } from "./pkg/index.js";
import type { WitgenCompoundTypes as T } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

type Api = Imports["witgen:compound/api"];

function id<X>(x: X): X { return x; }
type Res = { tag: "ok"; val: unknown } | { tag: "err"; val: unknown };
function unwrap<R extends Res>(r: R): Extract<R, { tag: "ok" }>["val"] {
  if (r.tag === "ok") return r.val;
  throw new WitResultError(r.val);
}
const api: Api = {
  roundtripPoint: id, roundtripMixed: id, roundtripNested: id, roundtripTuple: id, roundtripColor: id,
  roundtripSmallFlags: id, roundtripMediumFlags: id, roundtripLargeFlags: id, roundtripShape: id,
  roundtripSignal: id, roundtripOption: id, roundtripOptionString: id, roundtripNestedOption: id,
  roundtripOptionPoint: id, roundtripListU32: id, roundtripListF64: id, roundtripListPoints: id,
  roundtripListStrings: id, roundtripListLists: id, roundtripListShapes: id, roundtripListOptions: id,
  roundtripResultUnit: (r) => { if (r.tag === "err") throw new WitResultError(undefined); },
  roundtripResultOk: (r) => { if (r.tag === "err") throw new WitResultError(undefined); return r.val; },
  roundtripResultErr: (r) => { if (r.tag === "err") throw new WitResultError(r.val); },

  roundtripResultNested: (r) => unwrap(r),
  roundtripResultBoth: (r) => unwrap(r),
  manyParams: (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r) => ({ a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r }),
  roundtripMany: id,
  split3: (s) => [s, s.toUpperCase(), s + s],
};
const ex: Exports = await load({ "witgen:compound/api": api });
const a = ex.api;
function same<X>(f: (x: X) => unknown, x: X, ...expected: unknown[]): unknown {
  const expect = expected.length ? expected[0] : x;
  const r = f(x);
  assert.deepEqual(r, expect);
  return r;
}
const mixed: T.Mixed.In = { a: 1, b: 2n, c: "str", d: new Uint16Array([1, 65535]), e: { x: 1, y: -2 }, f: 1.5, g: true, h: "é" };
const mixedOut: T.Mixed = { ...mixed, b: 2n, d: new Uint16Array([1, 65535]) };

await check("record", () => same(a.roundtripPoint, { x: 1, y: -1 }));
await check("record-padding", () => same(a.roundtripMixed, mixed, mixedOut));
await check("record-option-none", () => same(a.roundtripMixed, { ...mixed, e: undefined }, { ...mixedOut, e: undefined }));
await check("record-u64-as-number", () => a.roundtripMixed({ ...mixed, b: 7 }).b);
await check("nested-record", () => same(a.roundtripNested, { label: "l", origin: { x: 0, y: 0 }, path: [{ x: 1, y: 2 }, { x: 3, y: 4 }], extra: mixed },
  { label: "l", origin: { x: 0, y: 0 }, path: [{ x: 1, y: 2 }, { x: 3, y: 4 }], extra: mixedOut }));
await check("tuple", () => same(a.roundtripTuple, [1, "s", 2.5, { x: 3, y: 4 }]));
await check("enum", () => ["red", "green", "blue"].map((c) => same(a.roundtripColor, c as T.Color)));
await check("flags", () => [
  same(a.roundtripSmallFlags, { a: true, c: true }, { a: true, b: false, c: true }),
  a.roundtripMediumFlags({ m15: true, m0: true, m7: false }),
  a.roundtripLargeFlags({ l31: true, l0: true, l16: true }),
  same(a.roundtripSmallFlags, {}, { a: false, b: false, c: false }),
]);
const shapes: T.Shape.In[] = [{ tag: "circle", val: 1.5 }, { tag: "rect", val: [1.5, 2.5] }, { tag: "at", val: { x: 1, y: 2 } },
  { tag: "nothing" }, { tag: "label", val: "x" }, { tag: "count", val: 2n ** 64n - 1n }, { tag: "color", val: "blue" }];
await check("variant", () => shapes.map((s) => same(a.roundtripShape, s)));
await check("variant-narrowing", () => {
  const s = a.roundtripShape({ tag: "count", val: 5 });
  // the TS type narrows on the tag
  if (s.tag === "count") return s.val + 1n;
  throw new Error("wrong tag");
});
await check("ts-rejects-bad-values", () => {
  // @ts-expect-error not an enum case
  const c: T.Color = "pink";
  // @ts-expect-error `val` does not exist on a payload-less case
  const n = ((s: T.Shape) => (s.tag === "nothing" ? s.val : 0))({ tag: "nothing" });
  // @ts-expect-error unknown flag
  const f: T.SmallFlags = { d: true };
  return [c, n, f].length;
});
await check("host-throw-is-not-err", async () => {
  // only WitResultError becomes `err`; any other throw propagates and the instance is unusable
  const ex2 = await load({ "witgen:compound/api": { ...api, roundtripResultBoth: () => { throw new RangeError("boom"); } } });
  const m = throws(() => ex2.api.roundtripResultBoth({ tag: "ok", val: "x" }), RangeError, "boom");
  throws(() => ex2.makePoint(1, 2), Error, /unusable: roundtrip-result-both: the call failed .*boom/);
  return m;
});
await check("result-error-of-another-package", async () => {
  // the brand is Symbol.for("witgen.result-error"): another witgen package's class works too
  class Other extends Error { payload = "blue"; }
  Object.defineProperty(Other.prototype, Symbol.for("witgen.result-error"), { value: true });
  const ex3 = await load({ "witgen:compound/api": { ...api, roundtripResultBoth: () => { throw new Other(); } } });
  let payload: unknown;
  try { ex3.api.roundtripResultBoth({ tag: "ok", val: "x" }); } catch (e) { payload = e instanceof WitResultError ? e.payload : e; }
  assert.equal(payload, "blue");
  return payload;
});
await check("variant-no-payloads", () => ["go", "stop", "wait"].map((t) => same(a.roundtripSignal, { tag: t } as T.Signal)));
await check("option", () => [same(a.roundtripOption, 5), same(a.roundtripOption, undefined), a.roundtripOption(null as unknown as undefined),
  same(a.roundtripOptionString, "s"), same(a.roundtripOptionString, undefined),
  same(a.roundtripOptionPoint, { x: 1, y: 1 }), same(a.roundtripOptionPoint, undefined)]);
await check("nested-option", () => [same(a.roundtripNestedOption, undefined), same(a.roundtripNestedOption, { some: undefined }),
  same(a.roundtripNestedOption, { some: 3 })]);
function err(f: () => unknown): unknown {
  try { f(); } catch (e) { if (e instanceof WitResultError) return { thrown: e.payload }; throw e; }
  throw new Error("no WitResultError");
}
await check("result", () => [
  // an exported function returning result<T, E> returns T and throws WitResultError<E>
  same(a.roundtripResultUnit, { tag: "ok" }, undefined), err(() => a.roundtripResultUnit({ tag: "err" })),
  same(a.roundtripResultOk, { tag: "ok", val: 3 }, 3), err(() => a.roundtripResultOk({ tag: "err" })),
  same(a.roundtripResultErr, { tag: "ok" }, undefined), err(() => a.roundtripResultErr({ tag: "err", val: "e" })),
  same(a.roundtripResultBoth, { tag: "ok", val: "fine" }, "fine"), err(() => a.roundtripResultBoth({ tag: "err", val: "red" })),
  same(a.roundtripResultNested, { tag: "ok", val: { x: 1, y: 1 } }, { x: 1, y: 1 }), same(a.roundtripResultNested, { tag: "ok", val: undefined }, undefined),
  err(() => a.roundtripResultNested({ tag: "err", val: ["a", "b"] })),
]);
await check("lists", () => [
  same(a.roundtripListU32, [1, 2, 4294967295], new Uint32Array([1, 2, 4294967295])),
  same(a.roundtripListU32, new Uint32Array([7, 8])),
  same(a.roundtripListF64, new Float64Array([1.5, -0, Infinity])),
  Number.isNaN(a.roundtripListF64([NaN])[0]),
  same(a.roundtripListPoints, [{ x: 1, y: 2 }, { x: -3, y: 4 }]),
  same(a.roundtripListStrings, ["a", "bé", "", "😀"]),
  same(a.roundtripListLists, [[1], [], [2, 3]], [new Uint32Array([1]), new Uint32Array([]), new Uint32Array([2, 3])]),
  same(a.roundtripListShapes, shapes, shapes.map((s) => (s.tag === "count" ? { tag: "count", val: BigInt(s.val) } : s))),
  same(a.roundtripListOptions, ["a", undefined, "c"]),
  same(a.roundtripListPoints, []),
]);
await check("spilled-params", () => a.manyParams(1, -1, 2, -2, 3, -3, 4n, -4n, 1.5, 2.5, "c", true, "m", { x: 1, y: 2 }, 7, ["p"], "red", { b: true }));
await check("spilled-record", () => a.roundtripMany({ a: 1, b: -1, c: 2, d: -2, e: 3, f: -3, g: 4n, h: -4n, i: 1.5, j: 2.5, k: "c", l: true,
  m: "m", n: { x: 1, y: 2 }, o: undefined, p: ["p", "q"], q: "blue", r: {} }));
await check("spilled-result", () => same(a.split3, "ab", ["ab", "AB", "abab"]));
await check("world-level", () => [ex.makePoint(1, 2), ex.colorIndex("blue"), [0, 1, 2, 3, 4, 5, 6].map((i) => ex.makeShape(i)),
  ex.sumPoints([{ x: 1, y: 2 }, { x: 3, y: 4 }]), ex.parseNumber("12")]);
await check("result-throws-typed-error", () => {
  let payload: unknown = undefined;
  try { ex.parseNumber("zz"); } catch (e) {
    assert.ok(e instanceof WitResultError);
    payload = e.payload;
  }
  assert.equal(payload, "zz");
  return payload;
});
await check("input-errors", () => [
  throws(() => a.roundtripPoint({ x: 1 } as T.Point), TypeError, "roundtrip-point: x.y: missing"),
  throws(() => a.roundtripPoint(null as unknown as T.Point), TypeError, "roundtrip-point: x: expected an object, got null"),
  throws(() => a.roundtripColor("pink" as T.Color), TypeError, "roundtrip-color: x: expected one of \"red\", \"green\", \"blue\", got \"pink\""),
  throws(() => a.roundtripShape({ tag: "circle", val: "x" } as unknown as T.Shape), TypeError, "roundtrip-shape: x.val: expected a number, got \"x\""),
  throws(() => a.roundtripShape({ tag: "square" } as unknown as T.Shape), TypeError, /roundtrip-shape: x\.tag: expected one of "circle", .*got "square"/),
  throws(() => a.roundtripSmallFlags({ d: true } as T.SmallFlags), TypeError, "roundtrip-small-flags: x: unknown flag `d`; the flags are a, b, c"),
  throws(() => a.roundtripSmallFlags({ a: 1 } as unknown as T.SmallFlags), TypeError, "roundtrip-small-flags: x.a: expected a boolean, got 1"),
  throws(() => a.roundtripListPoints([{ x: 1, y: 1 }, { x: 1, y: 2 ** 40 }]), RangeError, "roundtrip-list-points: x[1].y: 1099511627776 is out of range for s32 (-2147483648..2147483647)"),
  throws(() => a.roundtripNested({ label: "l", origin: { x: 0, y: 0 }, path: [], extra: { ...mixed, h: "ab" } }), TypeError, "roundtrip-nested: x.extra.h: expected a string of one Unicode scalar value, got \"ab\""),
  throws(() => a.roundtripTuple([1, "s", 2.5] as unknown as [number, string, number, T.Point]), TypeError, "roundtrip-tuple: x: expected an array of length 4, got an array"),
  throws(() => a.roundtripNestedOption(3 as unknown as { some: number | undefined }), TypeError, /roundtrip-nested-option: x: expected undefined or \{ some: value \}/),
  throws(() => a.roundtripListShapes([{ tag: "nothing" }, { tag: "rect", val: [1, "2"] } as unknown as T.Shape]), TypeError, "roundtrip-list-shapes: x[1].val[1]: expected a number, got \"2\""),
  throws(() => a.manyParams(1, -1, 2, -2, 3, -3, 4n, -4n, 1.5, 2.5, "c", true, "m", { x: 1, y: 2 }, 7, ["p", 5 as unknown as string], "red", {}), TypeError, "many-params: p[1]: expected a string, got 5"),
  throws(() => a.roundtripListU32(new Int32Array([1]) as unknown as Uint32Array), TypeError, /roundtrip-list-u32: x: expected a Uint32Array or an array/),
  ex.makePoint(0, 0), // still usable
]);
await check("host-result-error-path", async () => {
  const bad = await load({ "witgen:compound/api": { ...api, roundtripNested: (x) => ({ ...x, path: [{ x: 1, y: "no" as unknown as number }] }) } });
  return throws(() => bad.api.roundtripNested({ label: "l", origin: { x: 0, y: 0 }, path: [], extra: undefined }), TypeError,
    "roundtrip-nested: result.path[0].y: expected an integer (s32), got \"no\" (returned by the host)");
});
done();
