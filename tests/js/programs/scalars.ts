// The `scalars` C guest: every scalar both ways (exports relay to the host's imports), strings,
// byte lists, float bits, input checks with paths, instantiation from every kind of source.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { instantiate, instantiateSync, load, WitTrapError, type Exports, type Imports } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

const wasm = await readFile(new URL("./pkg/scalars.core.wasm", import.meta.url));
const logs: string[] = [];
let hostReturn: unknown = undefined; // when set, the numbers imports return this instead
let hostThrow: Error | undefined = undefined;
function id<T>(x: T): T {
  if (hostThrow !== undefined) throw hostThrow;
  return (hostReturn === undefined ? x : hostReturn) as T;
}
function makeImports(add: (a: number, b: number) => number): Imports {
  return {
    "witgen:scalars/numbers": {
      roundtripBool: id, roundtripU8: id, roundtripS8: id, roundtripU16: id, roundtripS16: id,
      roundtripU32: id, roundtripS32: id, roundtripU64: id, roundtripS64: id, roundtripF32: id,
      roundtripF64: id, roundtripChar: id, roundtripString: id,
      allScalars: (a, b, c, d, e, f, g, h, i, j, k, l) => [a, b, c, d, e, f, g, h, i, j, k, l],
    },
    hostAdd: add,
    log: (msg: string) => { logs.push(msg); },
  };
}
const imports = makeImports((a, b) => (a + b) >>> 0);
const ex: Exports = await load(imports);
const n = ex.numbers;
assert.equal(ex["witgen:scalars/numbers"], n);

await check("bool", () => [n.roundtripBool(true), n.roundtripBool(false)]);
await check("u8", () => [n.roundtripU8(0), n.roundtripU8(255)]);
await check("s8", () => [n.roundtripS8(-128), n.roundtripS8(127)]);
await check("u16", () => [n.roundtripU16(0), n.roundtripU16(65535)]);
await check("s16", () => [n.roundtripS16(-32768), n.roundtripS16(32767)]);
await check("u32", () => [n.roundtripU32(0), n.roundtripU32(4294967295)]);
await check("s32", () => [n.roundtripS32(-2147483648), n.roundtripS32(2147483647)]);
await check("u64", () => {
  const r = [n.roundtripU64(0n), n.roundtripU64(2n ** 64n - 1n), n.roundtripU64(5), n.roundtripU64(2 ** 60)];
  for (const x of r) assert.equal(typeof x, "bigint");
  return r;
});
await check("u64-typed-as-bigint", () => {
  // @ts-expect-error u64 results are bigint, not number
  const x: number = n.roundtripU64(1);
  return typeof x;
});
await check("s64", () => [n.roundtripS64(-(2n ** 63n)), n.roundtripS64(2n ** 63n - 1n), n.roundtripS64(-7)]);
await check("f32", () => [n.roundtripF32(1.5), n.roundtripF32(0.1), n.roundtripF32(NaN), n.roundtripF32(-0), n.roundtripF32(-Infinity)]);
await check("f64", () => [n.roundtripF64(0.1), n.roundtripF64(NaN), n.roundtripF64(-0), n.roundtripF64(Number.MAX_VALUE)]);
await check("char", () => ["a", "é", "€", "😀", "\u{10ffff}", "\0"].map((c) => n.roundtripChar(c)));
const strings = ["", "a", "héllo", "€", "😀 emoji", "x".repeat(1000), "é".repeat(100) + "😀", "a\0b"];
await check("string", () => {
  const r = strings.map((s) => n.roundtripString(s));
  assert.deepEqual(r, strings);
  return r;
});
await check("all-scalars", () => n.allScalars(true, 1, -1, 2, -2, 3, -3, 4n, -4n, 1.5, 2.5, "z"));
await check("world-level", () => {
  const r = [ex.add(1, 2), ex.add(4294967295, 1), ex.addViaHost(3, 4), ex.echo("héllo wörld €😀"), ex.concat("ab", "€"),
    ex.byteLen("€"), ex.byteLen("😀"), ex.charCount("😀a"), ex.sum(new Uint8Array([1, 2, 3])), ex.sum([250, 250, 250])];
  ex.logMessage("hi there");
  assert.equal(ex.noop(), undefined);
  assert.deepEqual(logs, ["hi there"]);
  return r;
});
await check("bytes-100k", () => {
  const big = new Uint8Array(100 * 1024).map((_, i) => i * 7);
  const back = ex.bytesRoundtrip(big);
  assert.ok(back instanceof Uint8Array);
  assert.deepEqual(back, big);
  assert.deepEqual(ex.bytesRoundtrip([1, 2, 3]), new Uint8Array([1, 2, 3]));
  return back.length;
});
await check("float-bits", () => {
  assert.equal(ex.f32ToBits(NaN), 0x7fc00000);
  assert.ok(Number.isNaN(ex.f32FromBits(0x7fc00001)));
  assert.ok(Number.isNaN(ex.f64FromBits(0x7ff8000000000001n)));
  return [ex.f32ToBits(1.5), ex.f32ToBits(-0), ex.f32FromBits(0x3fc00000), ex.f64ToBits(-0), ex.f64ToBits(1), ex.f64FromBits(0x3ff0000000000000n)];
});
await check("input-errors", () => [
  throws(() => n.roundtripU8(256), RangeError, "roundtrip-u8: x: 256 is out of range for u8 (0..255)"),
  throws(() => n.roundtripU8(1.5), RangeError, "roundtrip-u8: x: 1.5 is not an integer"),
  throws(() => n.roundtripS8(-129), RangeError, /s8/),
  throws(() => n.roundtripU16(-1), RangeError, /u16/),
  throws(() => n.roundtripS16(40000), RangeError, /s16/),
  throws(() => n.roundtripU32(2 ** 32), RangeError, /u32/),
  throws(() => n.roundtripS32(2 ** 31), RangeError, /s32/),
  throws(() => n.roundtripU32("1" as unknown as number), TypeError, "roundtrip-u32: x: expected an integer (u32), got \"1\""),
  throws(() => n.roundtripU64(-1n), RangeError, /u64 \(0\.\.2\^64-1\)/),
  throws(() => n.roundtripU64(2 ** 64), RangeError, /out of range for u64/),
  throws(() => n.roundtripU64(0.5), RangeError, /not an integer/),
  throws(() => n.roundtripS64(2n ** 63n), RangeError, /s64/),
  throws(() => n.roundtripBool(1 as unknown as boolean), TypeError, "roundtrip-bool: x: expected a boolean, got 1"),
  throws(() => n.roundtripF32("1" as unknown as number), TypeError, /expected a number/),
  throws(() => n.roundtripF64(1n as unknown as number), TypeError, /expected a number, got 1n/),
  throws(() => n.roundtripChar("ab"), TypeError, /one Unicode scalar value, got "ab"/),
  throws(() => n.roundtripChar(""), TypeError, /one Unicode scalar value/),
  throws(() => n.roundtripChar("\ud800"), TypeError, /one Unicode scalar value/),
  throws(() => n.roundtripString(5 as unknown as string), TypeError, "roundtrip-string: x: expected a string, got 5"),
  throws(() => ex.echo("a\ud800b"), TypeError, "echo: s: the string has an unpaired surrogate"),
  throws(() => ex.sum([1, 300]), RangeError, "sum: xs[1]: 300 is out of range for u8 (0..255)"),
  throws(() => ex.sum("abc" as unknown as number[]), TypeError, /sum: xs: expected a Uint8Array or an array/),
  throws(() => ex.concat("a", null as unknown as string), TypeError, "concat: b: expected a string, got null"),
  ex.add(1, 2), // input errors do not poison the instance
]);
await check("host-result-errors", async () => {
  hostReturn = 256;
  const e1 = await load(imports);
  const m1 = throws(() => e1.numbers.roundtripU8(1), RangeError, "roundtrip-u8: result: 256 is out of range for u8 (0..255) (returned by the host)");
  const m2 = throws(() => e1.add(1, 2), WitTrapError, /^add: the instance is unusable: roundtrip-u8: /);
  hostReturn = 5;
  const e2 = await load(imports);
  const m3 = throws(() => e2.numbers.roundtripString("x"), TypeError, "roundtrip-string: result: expected a string, got 5 (returned by the host)");
  hostReturn = undefined;
  hostThrow = new Error("host failed");
  const e3 = await load(imports);
  const m4 = throws(() => e3.numbers.roundtripU32(1), Error, "host failed");
  const m5 = throws(() => e3.noop(), WitTrapError, /unusable: roundtrip-u32: the call failed .*host failed/);
  hostThrow = undefined;
  return [m1, m2, m3, m4, m5];
});
await check("instantiate-sources", async () => {
  const mod = await WebAssembly.compile(wasm);
  const viaBytes = await instantiate(wasm, imports);
  const viaPromise = await instantiate(Promise.resolve(mod), imports);
  const viaResponse = await instantiate(new Response(wasm, { headers: { "content-type": "application/wasm" } }), imports);
  const viaPlainResponse = await instantiate(Promise.resolve(new Response(wasm)), imports);
  const viaSync = instantiateSync(mod, imports);
  const viaSyncBytes = instantiateSync(wasm, imports);
  return [viaBytes, viaPromise, viaResponse, viaPlainResponse, viaSync, viaSyncBytes].map((e) => e.add(2, 3));
});
await check("instances-are-independent", () => {
  // the bindings reach their instance without closures over module state: two instances with
  // different imports each call their own
  const a = instantiateSync(wasm, makeImports((x, y) => x + y));
  const b = instantiateSync(wasm, makeImports((x, y) => x * y));
  return [a.addViaHost(3, 4), b.addViaHost(3, 4), a.addViaHost(5, 5)];
});
await check("missing-imports", () => [
  throws(() => instantiateSync(wasm, { ...imports, hostAdd: undefined } as unknown as Imports), TypeError, "imports: imports.hostAdd must be a function"),
  throws(() => instantiateSync(wasm, { hostAdd: imports.hostAdd, log: imports.log } as unknown as Imports), TypeError, /imports\["witgen:scalars\/numbers"\] must be an object/),
]);
done();
