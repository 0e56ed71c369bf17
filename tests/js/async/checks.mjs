// The runtime checks of tests/js/test_js_async_runtime.py, for any JS engine: `runChecks(env)`
// runs every check (each on real guest calls, with a time limit so a hang is a failure) on the
// generated packages of bytes, async, errors and misbehave, and returns {results: {check:
// value}, failures: [{name, error}]}. `env`: `pkgs` (name -> the package's module), `wasm` (name
// -> the core module's bytes), `tick()` (a turn of the event loop), `rss()` (the process's
// resident memory, or null where there is none to read: the 1 GiB soak is then left out).
// checks_node.mjs runs them in Node, checks.html in a browser.
const assert = {
  ok(v, m) { if (!v) throw new Error("assertion failed: " + m); },
  equal(a, b, m) { if (a !== b) throw new Error("expected " + String(b) + ", got " + String(a) + (m ? ": " + m : "")); },
  deepEqual(a, b, m) { const x = JSON.stringify(a), y = JSON.stringify(b); if (x !== y) throw new Error("expected " + y + ", got " + x + (m ? ": " + m : "")); },
};

let tick, bytesPkg, asyncPkg, errorsPkg, misbehavePkg, bytesWasm, asyncWasm, errorsWasm, misbehaveWasm, rss;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// answered after `n` turns of the event loop
async function later(n, v) { for (let i = 0; i < n; i++) await tick(); return v; }
const never = () => new Promise(() => {});

function asyncHost(over = {}) {
  const log = { aborted: 0 };
  return {
    log,
    imports: {
      "witgen:concurrency/host": {
        slowDouble: (x, yields, { signal }) => {
          signal.addEventListener("abort", () => log.aborted++);
          return yields === 0 ? 2 * x : later(yields, 2 * x);
        },
        numbers: (start, n) => (function* () { for (let i = 0; i < n; i++) yield start + i; })(),
        valueLater: (x) => later(1, x * 10),
        dropFuture: (f) => { f.drop(); },
        Counter: class { constructor(v) { this.v = v; } async add(n) { await tick(); return (this.v += n); } },
        ...over,
      },
      slowConcat: async (a, b) => { await tick(); return a + b; },
    },
  };
}
const asyncGuest = async (over) => { const h = asyncHost(over); return [await asyncPkg.instantiate(asyncWasm, h.imports), h.log]; };
// the host's tokens (in the records of drop-tokens): `disposed` counts the guest's drops
const tokens = { disposed: 0 };
class Token { [Symbol.dispose]() { tokens.disposed++; } }
const bytesGuest = (bump = async (x) => { await tick(); return x + 1; }) => bytesPkg.instantiate(bytesWasm, { bump, "witgen:jsasync/tokens": { Token } });

async function readAll(rs, delay = 0) {
  const out = [];
  for await (const x of rs) { out.push(x); if (delay) await sleep(delay); }
  return out;
}
function concat(chunks) {
  const n = chunks.reduce((a, c) => a + c.length, 0), out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) { assert.ok(c instanceof Uint8Array, "chunks of stream<u8> are Uint8Arrays"); out.set(c, o); o += c.length; }
  return out;
}
function bytesOf(n, seed) { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 255; return b; }
async function rejects(p) { try { await p; } catch (e) { return e; } throw new Error("expected a rejection"); }
function empty(g) { const s = g.stats(); assert.deepEqual([s.handles, s.pending, s.queued], [0, 0, 0], "handle table, pending set and queue end empty: " + JSON.stringify(s)); }

const checks = {
  async "async export awaits an async import served by a Promise"() {
    const [g] = await asyncGuest();
    const viaPromise = await g.doublePlusOne(5), plain = await g.doublePlusOne(0), greet = await g.greet("you");
    empty(g);
    return { viaPromise, plain, greet };
  },
  async "many calls in flight finish in any order"() {
    const order = [];
    const [g] = await asyncGuest({ slowDouble: (x, yields) => later(40 - x, 2 * x).then((v) => (order.push(x), v)) });
    const out = await Promise.all(Array.from({ length: 40 }, (_, i) => g.doublePlusOne(i)));
    empty(g);
    return { out, firstDone: order[0], lastDone: order[39] };
  },
  async "stream<u8> guest to host: a slow reader blocks the guest's writes"() {
    const g = await bytesGuest();
    const N = 1 << 20, CHUNK = 4096;
    const rs = await g.produce(N, CHUNK);
    const reader = rs.getReader();
    const seen = [];
    let got = 0;
    const probes = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.push(value); got += value.length;
      if (seen.length % 64 === 1) { await sleep(5); probes.push([got, g.produced()]); }
    }
    const all = concat(seen);
    for (let i = 0; i < N; i++) if (all[i] !== (i & 255)) throw new Error("byte " + i + " is " + all[i]);
    empty(g);
    return { bytes: all.length, maxChunk: Math.max(...seen.map((c) => c.length)), probesAhead: probes.map(([r, p]) => p - r), produced: g.produced() };
  },
  async "stream<u8> host to guest from an iterable of Uint8Array chunks"() {
    const [g] = await asyncGuest();
    const chunks = [bytesOf(10, 1), bytesOf(0, 2), bytesOf(100000, 3), bytesOf(5, 4)];
    const fromIterable = await g.pipes.sumBytes(chunks);
    async function* gen() { for (const c of chunks) { await tick(); yield c; } }
    const fromAsync = await g.pipes.sumBytes(gen());
    const fromStream = await g.pipes.sumBytes(new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } }));
    const fromOne = await g.pipes.sumBytes(bytesOf(70000, 9));
    empty(g);
    const sum = (bs) => bs.reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0);
    const want = [chunks.reduce((a, c) => a + c.length, 0), sum(chunks)];
    for (const got of [fromIterable, fromAsync, fromStream]) assert.deepEqual([got[0], Number(got[1])], want);
    assert.deepEqual([fromOne[0], Number(fromOne[1])], [70000, sum([bytesOf(70000, 9)])]);
    return { count: fromIterable[0], sum: String(fromIterable[1]) };
  },
  async "stream<u8> both ways at once"() {
    const g = await bytesGuest();
    const input = bytesOf(300000, 5);
    async function* src() { for (let o = 0; o < input.length; o += 50000) { await tick(); yield input.subarray(o, o + 50000); } }
    const out = concat(await readAll(await g.incBytes(src()), 1));
    assert.equal(out.length, input.length);
    for (let i = 0; i < out.length; i++) if (out[i] !== ((input[i] + 1) & 255)) throw new Error("byte " + i);
    empty(g);
    return { bytes: out.length };
  },
  async "for await without native ReadableStream iteration"() {
    const [g] = await asyncGuest();
    const native = Object.getOwnPropertyDescriptor(ReadableStream.prototype, Symbol.asyncIterator);
    delete ReadableStream.prototype[Symbol.asyncIterator];
    let all, firstThree = [];
    try {
      all = await readAll(await g.pipes.countUp(5, 7));
      for await (const v of await g.pipes.countUp(0, 1000)) { firstThree.push(v); if (firstThree.length === 3) break; }
    } finally {
      Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, native);
    }
    await later(5);
    empty(g);  // leaving the loop early cancelled the stream: the guest's task ended
    return { all, firstThree };
  },
  async "stream<u32> and stream<string> through ReadableStreams"() {
    const [g] = await asyncGuest();
    const counted = await readAll(await g.pipes.countUp(10, 20), 2);
    const shouted = await readAll(await g.pipes.shout(["hi", "", "there", "a", "b", "c"]));
    const hostNumbers = await g.pipes.sumHostNumbers(3, 1000);
    const early = await g.pipes.countUp(0, 1000);
    const firstTwo = [];
    for await (const v of early) { firstTwo.push(v); if (firstTwo.length === 2) break; }  // cancels the stream
    await later(5);
    empty(g);
    return { counted, shouted, hostNumbers: String(hostNumbers), firstTwo };
  },
  async "futures both ways"() {
    const [g] = await asyncGuest();
    const r = {
      triplePromise: await g.tripleFuture(later(3, 7)),
      triplePlain: await g.tripleFuture(5),
      hostFuture: await g.hostFuturePlusOne(4),
      made: await (await g.makeFuture("hello")),
      dropped: await g.writeToDropped(),
      countWith: await g.countWith(10, 5),
    };
    const b = await bytesGuest();
    r.bumpFuture = await b.bumpFuture(later(2, 41));
    empty(g); empty(b);
    return r;
  },
  async "the guest cancels a host import and a future read"() {
    const [g, log] = await asyncGuest({ slowDouble: (x, yields, { signal }) => {
      signal.addEventListener("abort", () => log.aborted++);
      return yields === 0 ? 2 * x : never();
    } });
    const cancelled = await g.cancelSlowDouble(4, 3), returned = await g.cancelSlowDouble(4, 0);
    const read = await g.cancelFutureRead(never()), ready = await g.cancelFutureRead(5);
    empty(g);
    return { cancelled, returned, aborted: log.aborted, read, ready };
  },
  async "the host cancels an async export call (AbortSignal)"() {
    let aborts = 0;
    const g = await bytesGuest((x, { signal }) => { signal.addEventListener("abort", () => aborts++); return never(); });
    const reading = new AbortController(), calling = new AbortController();
    const p1 = g.bumpFuture(never(), { signal: reading.signal });
    const p2 = g.bumpFuture(5, { signal: calling.signal });
    await later(3);
    reading.abort(); calling.abort(new Error("stop"));
    const e1 = await rejects(p1), e2 = await rejects(p2);
    const e3 = await rejects(g.bumpFuture(1, { signal: AbortSignal.abort() }));
    empty(g);
    return { whileReading: e1.name, whileCalling: e2.message, importAborted: aborts, before: e3.name };
  },
  async "a synchronous export may not block"() {
    const [g] = await asyncGuest();
    const at = g.syncDouble(21, 0);
    const e = (() => { try { g.syncDouble(2, 1); } catch (err) { return err; } })();
    const after = await rejects(g.doublePlusOne(1));
    return { at, error: e.name + ": " + e.message, after: after.name };
  },
  async "a trap mid-call rejects every pending Promise"() {
    const [g] = await asyncGuest({ slowDouble: (x, yields) => (x === 100 ? never() : later(yields, 2 * x)) });
    const pending = g.doublePlusOne(100);
    const stream = await g.pipes.countUp(0, 1000);
    const reader = stream.getReader();
    const first = (await reader.read()).value;
    const fut = await g.makeFuture("abc");
    const trapped = await rejects(g.trapAfterAwait(1));
    const other = await rejects(pending);
    const read = await rejects(reader.read());
    const next = await rejects(g.greet("x"));
    return {
      first, futureStillResolves: await fut,
      trapped: trapped.name + ": " + trapped.message,
      other: other.name + ": " + other.message,
      read: read.name, next: next.name + ": " + next.message,
    };
  },
  async "dropping an unwritten future traps"() {
    const [g] = await asyncGuest();
    const e = (() => { try { g.forgottenFuture(); } catch (err) { return err; } })();
    return { error: e.name + ": " + e.message };
  },
  async "a rejected import Promise makes the instance unusable, settling everything"() {
    const [g] = await asyncGuest({ slowDouble: (x) => (x === 1 ? later(2).then(() => { throw new Error("boom"); }) : never()) });
    const waiting = g.doublePlusOne(2);
    const failed = await rejects(g.doublePlusOne(1));
    const other = await rejects(waiting);
    return { failed: failed.message, other: other.name };
  },
  async "a rejected Promise given as a future closes it and rejects the call only"() {
    const bumped = [];
    const g = await bytesGuest(async (x) => { bumped.push(x); await tick(); return x + 1; });
    const boom = new Error("no value");
    // rejects after the guest started reading (its read is waiting), then before it reads
    const waiting = await rejects(g.bumpFuture(later(3).then(() => { throw boom; })));
    const early = Promise.reject(boom);
    early.catch(() => {});
    const before = await rejects(g.bumpFuture(early));
    // values that do not fit future<u32>: resolved later, and given plain
    const badLater = await rejects(g.bumpFuture(later(2, "x")));
    const badPlain = await rejects(g.bumpFuture(-1));
    const after = await g.bumpFuture(later(1, 41));
    await later(5);  // the guest's tasks saw their futures dropped, called bump, and returned
    empty(g);
    return {
      waiting: waiting === boom, before: before === boom,
      badLater: badLater.name + ": " + badLater.message, badPlain: badPlain.name + ": " + badPlain.message,
      after, bumped,
    };
  },
  async "a bad chunk or a failing source ends the stream and rejects the call"() {
    const [g] = await asyncGuest();
    const badChunk = await rejects(g.pipes.sumBytes([bytesOf(3, 0), "not bytes"]));
    async function* failing() { yield bytesOf(4, 0); await tick(); throw new Error("source broke"); }
    const broken = await rejects(g.pipes.sumBytes(failing()));
    const badValue = await rejects(g.pipes.sumBytes(42));
    const stillWorks = await g.doublePlusOne(1);
    await later(3);  // the guest's tasks see their streams end and return (ignored)
    empty(g);
    return { badChunk: badChunk.name + ": " + badChunk.message, broken: broken.message, badValue: badValue.name + ": " + badValue.message, stillWorks };
  },
  async "backpressure queues calls until the guest opens"() {
    const g = await bytesGuest();
    const first = await g.ticket();
    g.gate(true);
    const settled = [];
    const queued = [1, 2, 3].map((i) => g.ticket().then((v) => (settled.push(i), v)));
    const ac = new AbortController(), abortedCall = rejects(g.ticket({ signal: ac.signal }));
    ac.abort();
    await later(5);
    const whileClosed = { settled: settled.length, queued: g.stats().queued };
    g.gate(false);
    const values = await Promise.all(queued), aborted = await abortedCall, after = await g.ticket();
    empty(g);
    return { first, whileClosed, values, order: settled, aborted: aborted.name, after };
  },
  async "a call made while the guest runs waits its turn"() {
    let g, queuedInside, syncInside;
    g = await bytesGuest((x) => {
      const t = g.ticket();  // called inside the guest's call of `bump`
      queuedInside = g.stats().queued;
      try { g.produced(); } catch (e) { syncInside = e.message; }  // a sync export cannot wait
      return t.then((v) => x + 100 + v);
    });
    const value = await g.bumpFuture(10);
    empty(g);
    return { value, queuedInside, syncInside, syncAfter: g.produced() };
  },
  async "YIELD lets the host run between callbacks"() {
    const g = await bytesGuest();
    let done = false, hostTurns = 0;
    const p = g.spin(50).then((v) => { done = true; return v; });
    while (!done) { await tick(); hostTurns++; }
    const ac = new AbortController(), spinning = rejects(g.spin(1e9, { signal: ac.signal }));
    await later(10);
    ac.abort();
    const cancelled = (await spinning).name;
    empty(g);
    return { callbacks: await p, hostRanBetween: hostTurns >= 25, cancelled };
  },
  async "a stream with both ends in one guest"() {
    const g = await bytesGuest();
    const sum = await g.loopback(4000);
    empty(g);
    return { sum };
  },
  async "nested: a future of a stream, a stream of lists, a stream of streams"() {
    const g = await bytesGuest();
    // an async func returning future<T> resolves, as JS Promises flatten, to the future's value
    const bytes = concat(await readAll(await g.laterBytes(5000), 1));
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== (i & 255)) throw new Error("byte " + i);
    const lists = Array.from({ length: 1000 }, (_, i) => (i % 3 ? bytesOf(i % 50, i) : Array.from(bytesOf(i % 7, i))));
    const [count, sum] = await g.sumLists(lists);
    // a stream of streams: each inner one an iterable of chunks, a Uint8Array, a ReadableStream
    // or a stream another call of the guest returned
    const inner = [[bytesOf(10, 1), bytesOf(5000, 2)], bytesOf(70000, 3), new ReadableStream({ start(c) { c.enqueue(bytesOf(3, 4)); c.close(); } }), [], await g.produce(9000, 1000)];
    async function* outer() { for (const s of inner) { await tick(); yield s; } }
    const [streams, streamSum] = await g.sumStreams(outer());
    // records holding host resources: each token moves to the guest, which drops it
    tokens.disposed = 0;
    const tagged = Array.from({ length: 10 }, (_, i) => ({ name: "t".repeat(i), token: new Token() }));
    const [records, nameBytes] = await g.dropTokens(tagged);
    const badRecord = await rejects(g.dropTokens([{ name: "x", token: {} }]));
    empty(g);
    return {
      bytes: bytes.length, count, sum: String(sum), streams, streamSum: String(streamSum),
      tokens: [records, nameBytes, tokens.disposed], badRecord: badRecord.name + ": " + badRecord.message,
    };
  },
  async "a stream one guest returns, given to another, moves without JS"() {
    const a = await bytesGuest(), b = await bytesGuest();
    const fromA = await a.produce(200000, 4096);
    const out = concat(await readAll(await b.incBytes(fromA)));
    for (let i = 0; i < out.length; i++) if (out[i] !== ((i + 1) & 255)) throw new Error("byte " + i);
    empty(a); empty(b);
    // a stream JS already read from is pumped through JS instead
    const c = await bytesGuest(), d = await bytesGuest(), read = await c.produce(10000, 1000);
    const reader = read.getReader(), first = (await reader.read()).value;
    reader.releaseLock();
    const rest = concat(await readAll(await d.incBytes(read)));
    empty(c); empty(d);
    return {
      bytes: out.length, locked: fromA.locked, hostChunksA: a.stats().hostChunks,
      pumped: [first.length, rest.length, rest[0]], pumpedChunks: d.stats().hostChunks > 0,
    };
  },
  async "a trap in one linked guest ends the other's stream"() {
    const a = await bytesGuest(), b = await bytesGuest();
    const fromA = await a.produce(1 << 20, 4096);
    const out = b.incBytes(fromA).then((rs) => readAll(rs, 1));
    await sleep(20);
    try { a.gate(false); } catch { /* backpressure.dec below zero: a trap in `a` */ }
    const got = await out;  // b saw its input end (dropped) and ended its output
    return { bExitedCleanly: b.stats().handles === 0 && b.stats().pending === 0, bytesBeforeTheTrap: concat(got).length < 1 << 20 };
  },
  async "soak: 10,000 concurrent calls"() {
    const g = await bytesGuest(async (x) => { await tick(); return x + 1; });
    const values = await Promise.all(Array.from({ length: 10000 }, (_, i) => g.bumpFuture(i % 2 ? i : later(1, i))));
    empty(g);
    return { all: values.every((v, i) => v === i + 1), count: values.length };
  },
  async "soak: 1 GiB of stream<u8> into a slow reader"() {
    const g = await bytesGuest();
    const N = 2 ** 30, rss0 = rss();
    let got = 0, chunks = 0, maxRss = rss0;
    for await (const c of await g.produce(N, 65536)) {
      got += c.length;
      if (++chunks % 512 === 0) { await sleep(1); maxRss = Math.max(maxRss, rss()); }
    }
    empty(g);
    return { got, rssGrowthUnder64MiB: maxRss - rss0 < 64 * 2 ** 20 };
  },
  async "a guest breaking the async ABI gets a trap naming what it did"() {
    const fresh = () => misbehavePkg.instantiate(misbehaveWasm);
    const msg = async (f) => { const e = await rejects(f(await fresh())); return e.name + ": " + e.message; };
    const g = await fresh();
    const first = await g.twice();  // the first task.return settles the call...
    const afterTwice = await rejects(g.noReturn());  // ...the second made the instance unusable
    return {
      first, afterTwice: afterTwice.message,
      noReturn: await msg((g) => g.noReturn()),
      badWait: await msg((g) => g.badWait()),
      dropTwice: await msg((g) => g.dropTwice()),
      badCode: await msg((g) => g.badCode()),
      useDropped: await msg((g) => g.useDropped([new Uint8Array(3)])),
      wrongType: await msg((g) => g.wrongType([new Uint8Array(3)], [1, 2])),
    };
  },
  async "error-context values both ways"() {
    const g = await errorsPkg.instantiate(errorsWasm);
    // the err case of the result is thrown (WitResultError), its payload the error-context
    const ok = g.parseU32("1234"), thrown = (() => { try { g.parseU32("x1"); } catch (e) { return e; } })();
    const bad = thrown.payload;
    const back = g.describe(bad), fromHost = g.describe(new Error("made by the host"));
    return {
      ok, thrown: thrown.name, badIsError: bad instanceof Error, badName: bad.name, badMessage: bad.message,
      back, fromHost, fromString: g.describe("just a string"),
      // the guest keeps the handle it made for parse-u32 (lifting copies an error-context)
      handles: g.stats().handles,
    };
  },
};

// a package whose instances have `stats()` (the package's `asyncStats`)
function withStats(p) {
  const instantiate = async (...a) => { const g = await p.instantiate(...a); g.stats = () => p.asyncStats(g); return g; };
  return { ...p, instantiate };
}

export async function runChecks(env) {
  ({ tick, rss } = env);
  [bytesPkg, asyncPkg, errorsPkg, misbehavePkg] = ["bytes", "async", "errors", "misbehave"].map((n) => withStats(env.pkgs[n]));
  ({ bytes: bytesWasm, async: asyncWasm, errors: errorsWasm, misbehave: misbehaveWasm } = env.wasm);
  const results = {}, failures = [];
  for (const [name, f] of Object.entries(checks)) {
    if (rss() === null && name.startsWith("soak: 1 GiB")) continue;
    try {
      let timer;
      const limit = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error("timed out (a Promise never settled)")), 20000); });
      results[name] = await Promise.race([f(), limit]);
      clearTimeout(timer);
    } catch (e) {
      failures.push({ name, error: String(e?.stack ?? e) });
    }
  }
  return { results, failures };
}
