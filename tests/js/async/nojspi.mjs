// Guests linked through the host on an engine without JSPI (Node 20, no flags), run by
// tests/js/test_js_async_linked.py: stackful guests (stackful.wat, blocking.wat) block inside
// their core calls on other instances' async exports (bytes-guest, the c/async guest, another
// stackful guest), which run synchronously meanwhile. Each check returns what the test compares.
const tick = () => new Promise((r) => setTimeout(r, 0));
async function later(n, v) { for (let i = 0; i < n; i++) await tick(); return v; }
const failure = (e) => e.name + ": " + e.message;
async function outcome(f) { try { return await f(); } catch (e) { return failure(e); } }
const stats = (pkg, g) => { const s = pkg.asyncStats(g); return [s.handles, s.pending, s.queued]; };
const cHost = (slowDouble) => ({
  "witgen:concurrency/host": { slowDouble, numbers: () => [], valueLater: (x) => x, dropFuture: () => {}, Counter: class {} },
  slowConcat: (a, c) => a + c,
});
const tokens = { "witgen:jsasync/tokens": { Token: class {} } };

// waitable-set.wait on a subtask of a linked callback-ABI export that yields x times (spin),
// and on one that waits for its own host's plain value (the c/async guest)
async function waits(pkgs, wasms) {
  const bytes = await pkgs.bytes.instantiate(wasms.bytes, { ...tokens, bump: (x) => x + 1 });
  const a = await pkgs.stackful.instantiate(wasms.stackful, { slow: bytes.spin });
  const xs = [0, 1, 2, 5, 40];
  const spins = await Promise.all(xs.map((x) => a.doubleSlow(x)));
  // c/async's double-plus-one(x) calls slow-double(x, yields = x), here served by another
  // stackful instance (blocked on bytes-guest's spin): three instances deep
  const mid = await pkgs.stackful.instantiate(wasms.stackful, { slow: bytes.spin });
  const c = await pkgs.async.instantiate(wasms.async, cHost((x, n) => mid.doubleSlow(x)));
  const a2 = await pkgs.stackful.instantiate(wasms.stackful, { slow: c.doublePlusOne });
  const deep = await Promise.all(xs.map((x) => a2.doubleSlow(x)));
  return { spins, deep, stats: [stats(pkgs.stackful, a), stats(pkgs.bytes, bytes), stats(pkgs.stackful, mid), stats(pkgs.async, c), stats(pkgs.stackful, a2)] };
}

// a stream<u8> from bytes-guest's produce read by the stackful guest (async-lowered reads with
// waits, then sync-lowered reads): the producer's writes and the reads meet with no JS per chunk
async function streams(pkgs, wasms) {
  const bytes = await pkgs.bytes.instantiate(wasms.bytes, { ...tokens, bump: (x) => x + 1 });
  const a = await pkgs.stackful.instantiate(wasms.stackful, { slow: (x) => x * 10 });
  const sums = [];
  for (const [n, chunk] of [[10000, 1000], [70000, 3000], [5, 1], [0, 1]]) {
    sums.push(await a.sumBytes(await bytes.produce(n, chunk)));
    sums.push(await a.sumBytesSync(await bytes.produce(n, chunk)));
  }
  return { sums, hostChunks: pkgs.stackful.asyncStats(a).hostChunks + pkgs.bytes.asyncStats(bytes).hostChunks, stats: [stats(pkgs.stackful, a), stats(pkgs.bytes, bytes)] };
}

// sync-lowered calls of async imports (blocking.wat) served by linked exports, and thread.yield
// letting a linked guest's yielding task run
async function blocking(pkgs, wasms) {
  const bytes = await pkgs.bytes.instantiate(wasms.bytes, { ...tokens, bump: (x) => x + 1 });
  const g = await pkgs.blocking.instantiate(wasms.blocking, { slow: bytes.spin, step: () => false });
  const xs = [0, 1, 3, 7];
  const viaSpin = await Promise.all(xs.map((x) => g.doubleBlocking(x)));
  // blocking.wat's task blocked in a sync-lowered call of stackful.wat's export, itself blocked
  // in waitable-set.wait on bytes-guest's spin
  const s = await pkgs.stackful.instantiate(wasms.stackful, { slow: bytes.spin });
  const g2 = await pkgs.blocking.instantiate(wasms.blocking, { slow: s.doubleSlow, step: () => false });
  const bothStackful = await Promise.all(xs.map((x) => g2.doubleBlocking(x)));
  // each step of yield-loop sees how far a spin(3) started before it got (its callback runs)
  const seen = [];
  const g3 = await pkgs.blocking.instantiate(wasms.blocking, { slow: bytes.spin, step: (who, n) => { seen.push(pkgs.bytes.asyncStats(bytes).tasks); return n < 4; } });
  const spin = bytes.spin(3);
  const steps = await g3.yieldLoop(1);
  return { viaSpin, bothStackful, yieldLoop: { steps, spinTasksSeen: seen, spin: await spin },
    stats: [stats(pkgs.blocking, g), stats(pkgs.stackful, s), stats(pkgs.blocking, g2), stats(pkgs.blocking, g3), stats(pkgs.bytes, bytes)] };
}

// linked.wat: cancelling a linked call, a future given to a linked guest, a stream without
// payload between two instances
async function runner(pkgs, wasms) {
  const bytes = await pkgs.bytes.instantiate(wasms.bytes, { ...tokens, bump: (x) => x + 1 });
  const c = await pkgs.async.instantiate(wasms.async, cHost((x) => 2 * x));
  const r = await pkgs.linked.instantiate(wasms.linked, { slow: bytes.spin, eat: c.tripleFuture });
  const p = await pkgs.linked.instantiate(wasms.linked, { slow: bytes.spin, eat: c.tripleFuture });
  // spin(0) returns at once; spin(5) is cancelled after its first step (the guest task.cancels
  // at its next one)
  const cancel = [await r.cancelSlow(0), await r.cancelSlow(5)];
  await later(3);
  const spinAfterCancel = stats(pkgs.bytes, bytes);
  const feed = [await r.feed(7), await r.feed(0)];
  // bytes-guest's bump-future(f) waits for the future, then calls its own import `bump`, which JS
  // answers with a plain value: bump(7) = 8
  const rb = await pkgs.linked.instantiate(wasms.linked, { slow: bytes.spin, eat: bytes.bumpFuture });
  const feedBump = [await rb.feed(7), await rb.feed(41)];
  const units = [];
  for (const n of [10, 1, 0, 9]) units.push(await r.countUnits(await p.makeUnits(n)));
  const hostChunks = [r, p].map((g) => pkgs.linked.asyncStats(g).hostChunks).concat(pkgs.async.asyncStats(c).hostChunks);
  return { cancel, spinAfterCancel, feed, feedBump, units, hostChunks, stats: [stats(pkgs.linked, r), stats(pkgs.linked, p), stats(pkgs.linked, rb), stats(pkgs.async, c), stats(pkgs.bytes, bytes)] };
}

// a recursion through another guest (stackful.wat -> c/async -> the same stackful.wat instance):
// the component model forbids it, the instance in the middle traps at its call, and so does the
// one that called it; another instance of the same package is not on the chain
async function recursion(pkgs, wasms) {
  let a;
  const c = await pkgs.async.instantiate(wasms.async, cHost((x, n, o) => a.doubleSlow(x, o)));
  a = await pkgs.stackful.instantiate(wasms.stackful, { slow: c.doublePlusOne });
  const out = { outer: await outcome(() => a.doubleSlow(1)), middle: await outcome(() => c.doublePlusOne(0)) };
  const b = await pkgs.stackful.instantiate(wasms.stackful, { slow: bytes0 });
  const c2 = await pkgs.async.instantiate(wasms.async, cHost((x, n, o) => b.doubleSlow(x, o)));
  const a2 = await pkgs.stackful.instantiate(wasms.stackful, { slow: c2.doublePlusOne });
  out.otherInstance = await a2.doubleSlow(3);
  return out;
}
const bytes0 = (x) => x;

// what cannot go on without the JS event loop: a trap naming JSPI and what is pending
async function needsJspi(pkgs, wasms) {
  const out = {};
  let a = await pkgs.stackful.instantiate(wasms.stackful, { slow: (x) => later(1, x * 10) });
  out.hostPromise = await outcome(() => a.doubleSlow(3));
  out.afterwards = await outcome(() => a.doubleSlow(0));
  // a linked export whose instance waits for its own host's Promise
  const c = await pkgs.async.instantiate(wasms.async, cHost((x, n) => later(1, 2 * x)));
  a = await pkgs.stackful.instantiate(wasms.stackful, { slow: c.doublePlusOne });
  out.linkedHostPromise = await outcome(() => a.doubleSlow(2));
  // (the dead caller's import signal aborts the callee's call: c/async's double-plus-one does
  // not expect a cancellation and traps)
  await later(3);
  out.callee = await outcome(() => c.doublePlusOne(5));
  // a stream JS feeds
  a = await pkgs.stackful.instantiate(wasms.stackful, { slow: (x) => x });
  out.jsStream = await outcome(() => a.sumBytes((async function* () { await later(1); yield new Uint8Array([1, 2]); })()));
  // a linked task that only yields, longer than the wait allows without JSPI (under JSPI each
  // yield is a macrotask: not run there)
  if (typeof WebAssembly.Suspending !== "function") {
    const bytes = await pkgs.bytes.instantiate(wasms.bytes, { ...tokens, bump: (x) => x + 1 });
    a = await pkgs.stackful.instantiate(wasms.stackful, { slow: bytes.spin });
    out.onlyYields = [await a.doubleSlow(100000), await outcome(() => a.doubleSlow(100001))];
  }
  // the same with `bump` answered by a Promise
  const bytes2 = await pkgs.bytes.instantiate(wasms.bytes, { ...tokens, bump: (x) => later(1, x + 1) });
  const rb = await pkgs.linked.instantiate(wasms.linked, { slow: bytes2.spin, eat: bytes2.bumpFuture });
  out.linkedImportPromise = await outcome(() => rb.feed(7));
  // a sync-lowered call whose host answers with a Promise
  const g = await pkgs.blocking.instantiate(wasms.blocking, { slow: (x) => later(1, x), step: () => false });
  out.syncLowered = await outcome(() => g.doubleBlocking(3));
  return out;
}

export async function noJspiChecks(pkgs, wasms) {
  return {
    jspi: typeof WebAssembly.Suspending === "function",
    waits: await waits(pkgs, wasms),
    streams: await streams(pkgs, wasms),
    blocking: await blocking(pkgs, wasms),
    runner: await runner(pkgs, wasms),
    recursion: await recursion(pkgs, wasms),
    needsJspi: await needsJspi(pkgs, wasms),
  };
}
