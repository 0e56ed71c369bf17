// The `resources` C guest: a host-implemented `counter` (constructor, methods, static, drops
// seen by the host) and a guest-implemented `blob` (own/borrow, in records, lists, variants,
// options, results; Symbol.dispose, FinalizationRegistry, use after drop).
import assert from "node:assert/strict";
import { load, WitResultError, type Exports } from "./pkg/index.js";
import type { WitgenResourcesHostRes as H } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

const dropped: number[] = [];
class Counter implements H.Counter {
  constructor(public v: number) {}
  get(): number { return this.v; }
  incr(by: number): void { this.v += by; }
  static merge(a: Counter, b: Counter): Counter { return new Counter(a.v + b.v); }
  [Symbol.dispose](): void { dropped.push(this.v); }
}
const ex: Exports = await load({
  "witgen:resources/host-res": {
    Counter: Counter as unknown as { new (start: number): H.Counter; merge(a: H.Counter, b: H.Counter): H.Counter },
    makeCounters: (n) => Array.from({ length: n }, (_, i) => new Counter(i)),
    consumeCounters: (cs) => cs.reduce((s, c) => s + c.get(), 0),
    tagCounter: (tag, c) => ({ tag, c }),
    maybeCounter: (s) => { if (s === undefined) throw new WitResultError("no start"); return new Counter(s); },
  },
});
const g = ex.guestRes;
const { Blob } = g;

await check("blob-basics", () => {
  const b = new Blob([1, 2, 3]);
  assert.ok(b instanceof Blob);
  b.append(new Uint8Array([4]));
  const c = b.cloneBlob();
  const d = Blob.concat(b, c);
  const r = [b.len(), b.bytes(), c.len(), d.bytes()];
  b[Symbol.dispose]();
  b[Symbol.dispose](); // idempotent
  c[Symbol.dispose]();
  return r;
});
await check("live-count-and-dtor", () => {
  const before = g.liveCount();
  const b = new Blob([1]);
  assert.equal(g.liveCount(), before + 1);
  b[Symbol.dispose]();
  assert.equal(g.liveCount(), before);
  return before;
});
await check("using-declaration-style", () => {
  const before = g.liveCount();
  {
    const b = new Blob([9]);
    try { assert.equal(b.len(), 1); } finally { b[Symbol.dispose](); }
  }
  return g.liveCount() - before;
});
await check("own-param-moves", () => {
  const d = new Blob([5, 6]);
  const bytes = Blob.intoBytes(d);
  return [bytes, throws(() => d.len(), TypeError, "blob.len: self: this Blob was already dropped"),
    throws(() => Blob.intoBytes(d), TypeError, "blob.into-bytes: b: this Blob was already dropped")];
});
await check("use-after-drop", () => {
  const b = new Blob([1]);
  b[Symbol.dispose]();
  return [throws(() => b.bytes(), TypeError, "blob.bytes: self: this Blob was already dropped"),
    throws(() => g.totalLen([b]), TypeError, "total-len: bs[0]: this Blob was already dropped")];
});
await check("handles-in-compounds", () => {
  const before = g.liveCount();
  const h = g.makeHolder("l", [5, 6]);
  const r: unknown[] = [h.label, h.item.bytes(), g.openHolder(h)];
  assert.throws(() => h.item.len(), TypeError); // moved into the guest
  const bs = g.makeBlobs(3);
  r.push(bs.map((b) => b.len()), g.totalLen(bs));
  bs.forEach((b) => b[Symbol.dispose]());
  for (const k of [0, 1, 2]) {
    const s = g.makeSlot(k);
    r.push([s.tag, g.slotLen(s)]);
  }
  const ok = g.tryBlob(true);
  r.push(ok.len());
  ok[Symbol.dispose]();
  try { g.tryBlob(false); } catch (e) { r.push(e instanceof WitResultError ? e.payload : "?"); }
  r.push(g.maybeBlob(false));
  const m = g.maybeBlob(true);
  r.push(m === undefined ? -1 : m.len());
  m?.[Symbol.dispose]();
  r.push(g.liveCount() - before);
  return r;
});
await check("host-resources", () => {
  dropped.length = 0;
  const r: unknown[] = [g.useCounter(5, 3), g.sumCounters([new Counter(1), new Counter(2)]), g.takeCounter(new Counter(7)),
    g.mergeCounters(2, 3), g.cycleCounters(4), g.tagged("t", 9), g.maybe(4)];
  try { g.maybe(undefined); } catch (e) { r.push(e instanceof WitResultError ? (e.payload as string) : "?"); }
  const c = g.newCounter(11);
  r.push(c.get(), c instanceof Counter);
  r.push([...dropped].sort((x, y) => x - y));
  return r;
});
await check("nominal-types", () => {
  // a structurally identical object is not a Blob (the type is branded)
  // @ts-expect-error Blob is nominal
  const fake: InstanceType<typeof Blob> = { len: () => 0, bytes: () => new Uint8Array(), append: () => {}, cloneBlob: () => fake, [Symbol.dispose]: () => {} };
  return throws(() => g.totalLen([fake]), TypeError, "total-len: bs[0]: expected a Blob of this instance, got an object");
});
await check("wrong-class", () => [
  throws(() => g.totalLen([{} as InstanceType<typeof Blob>]), TypeError, "total-len: bs[0]: expected a Blob of this instance, got an object"),
  throws(() => g.takeCounter(5 as unknown as H.Counter), TypeError, "take-counter: c: expected a Counter object, got 5"),
  throws(() => g.takeCounter({} as H.Counter), TypeError, "take-counter: c: expected a Counter object, got an object"),
  throws(() => new Blob("x" as unknown as number[]), TypeError, "blob.constructor: data: expected a Uint8Array or an array, got \"x\""),
]);
await check("other-instance", async () => {
  const other = await load({ "witgen:resources/host-res": { Counter, makeCounters: () => [], consumeCounters: () => 0, tagCounter: (tag, c) => ({ tag, c }), maybeCounter: () => new Counter(0) } });
  const b = new other.guestRes.Blob([1]);
  return throws(() => g.totalLen([b]), TypeError, "total-len: bs[0]: expected a Blob of this instance, got an object");
});
await check("finalization-registry", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return "no --expose-gc";
  const before = g.liveCount();
  (() => { for (let i = 0; i < 5; i++) new Blob([i]); })();
  assert.equal(g.liveCount(), before + 5);
  // blobs this program leaked earlier may be collected too
  for (let i = 0; i < 20 && g.liveCount() > before; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(g.liveCount() <= before, `live ${g.liveCount()} > ${before}`);
  return "collected";
});
done();
