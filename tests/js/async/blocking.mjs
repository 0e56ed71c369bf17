// The checks of the blocking guests (blocking.wat, blockingcb.wat; blocking.wit), run by
// tests/js/test_js_async_guests.py in Node 24 (--experimental-wasm-jspi) and headless Chromium
// (blocking.html), and `callbackChecks` in Node 20 too. Each returns what the test compares.
const tick = () => new Promise((r) => setTimeout(r, 0));
async function later(n, v) { for (let i = 0; i < n; i++) await tick(); return v; }
const never = () => new Promise(() => {});
const failure = (e) => e.name + ": " + e.message;
async function outcome(f) { try { return await f(); } catch (e) { return failure(e); } }

// a stackful task calling `slow` sync-lowered blocks in the call until the host's Promise
// settles; others run meanwhile
async function syncLowered(p, wasm) {
  // odd x: answered later (the task blocks in the call), even x: at once
  const slow = (x) => (x % 2 ? later(1 + ((x * 3) % 5), x * 10) : x * 10);
  const g = await p.instantiate(wasm, { slow, step: () => false });
  const single = [await g.doubleBlocking(3), await g.doubleBlocking(4)];
  const xs = Array.from({ length: 20 }, (_, i) => i + 1), order = [];
  const many = await Promise.all(xs.map((x) => g.doubleBlocking(x).then((v) => (order.push(x), v))));
  const s = p.asyncStats(g);
  return { single, many, completedOutOfOrder: order.join() !== xs.join(), stats: [s.handles, s.pending, s.queued] };
}

// thread.yield suspends a stackful task: two loops interleave step by step, and a host timer
// and another task's host Promise get their turn while a loop runs
async function yields(p, wasm) {
  const log = [];
  let g = await p.instantiate(wasm, { slow: (x) => later(2, x * 10), step: (who, n) => { log.push(who + ":" + n); return n < 3; } });
  const counts = await Promise.all([g.yieldLoop(1), g.yieldLoop(2)]);
  // the loop goes on until the timer fired and the other task's call settled (or 100000 steps)
  let fired = false, settled = false, settledAt = -1;
  const step = (who, k) => { if (settled && settledAt < 0) settledAt = k; return !(fired && settled) && k < 100000; };
  g = await p.instantiate(wasm, { slow: (x) => later(2, x * 10), step });
  const timer = setTimeout(() => { fired = true; }, 5);
  const other = g.doubleBlocking(5).then((v) => { settled = true; return v; });
  const steps = await g.yieldLoop(3);
  clearTimeout(timer);
  const s = p.asyncStats(g);
  return { log, counts, timerFiredDuringLoop: fired && steps < 100000, otherTaskDuringLoop: settledAt > 0 && settledAt <= steps, other: await other, stats: [s.handles, s.pending, s.queued] };
}

// what the component model or JSPI does not allow: each a trap, in its own instance
async function traps(p, wasm) {
  const inst = (slow) => p.instantiate(wasm, { slow, step: () => false });
  const out = {};
  let g = await inst((x) => x * 10);
  out.syncExport = await outcome(() => g.doubleSync(4));
  out.afterwards = await outcome(() => g.doubleBlocking(4));
  g = await inst((x) => x * 10);
  out.waitInCallback = await outcome(() => g.waitInCallback());
  g = await inst((x) => x * 10);
  out.yieldInCallback = await outcome(() => g.yieldInCallback());
  // a rejected Promise cannot be told to the guest: the instance dies, and every pending call
  // and import settles (the import still waiting sees its signal abort)
  const signals = [];
  g = await inst((x, o) => { signals.push(o.signal); return x === 1001 ? never() : later(1, 0).then(() => { throw new Error("no answer for " + x); }); });
  const blocked = outcome(() => g.doubleBlocking(1001));
  out.rejected = await outcome(() => g.doubleBlocking(7));
  out.blocked = await blocked;
  out.signalsAborted = signals.map((s) => s.aborted);
  return out;
}

// a guest with no stackful export: a sync-lowered call works when the host answers at once
// and traps, naming JSPI, when it returns a Promise; a synchronous export's traps at once
export async function callbackChecks(p, wasm) {
  const slow = (x) => (x % 2 ? later(1, x * 10) : x * 10);
  let g = await p.instantiate(wasm, { slow });
  const atOnce = await g.doubleBlocking(4);
  const s = p.asyncStats(g);
  const promise = await outcome(() => g.doubleBlocking(3));
  g = await p.instantiate(wasm, { slow });
  return { atOnce, stats: [s.handles, s.pending], promise, syncExport: await outcome(() => g.doubleSync(4)) };
}

// a stackful guest blocked in waitable-set.wait (stackful.wat) or in a sync-lowered call
// (blocking.wat) on another instance's async export (the c/async guest's double-plus-one,
// itself waiting for its host): that instance's task runs from the event loop meanwhile
async function linked(pkgs, wasms) {
  const b = await pkgs.async.instantiate(wasms.async, {
    "witgen:concurrency/host": {
      slowDouble: (x, n) => (n === 0 ? 2 * x : later(n, 2 * x)), numbers: () => [], valueLater: (x) => x, dropFuture: () => {}, Counter: class {},
    },
    slowConcat: (a, c) => a + c,
  });
  const a = await pkgs.stackful.instantiate(wasms.stackful, { slow: b.doublePlusOne });
  const c = await pkgs.blocking.instantiate(wasms.blocking, { slow: b.doublePlusOne, step: () => false });
  const xs = [0, 1, 2, 3, 4, 5];
  const viaWait = await Promise.all(xs.map((x) => a.doubleSlow(x)));
  const viaSyncLower = await Promise.all(xs.map((x) => c.doubleBlocking(x)));
  // both sides stackful: blocking.wat's task blocked in a sync-lowered call on stackful.wat's
  // export, itself blocked in waitable-set.wait on its host
  const a2 = await pkgs.stackful.instantiate(wasms.stackful, { slow: (x) => later(1 + (x % 3), x * 10) });
  const c2 = await pkgs.blocking.instantiate(wasms.blocking, { slow: a2.doubleSlow, step: () => false });
  const bothStackful = await Promise.all(xs.map((x) => c2.doubleBlocking(x)));
  await later(2);
  const st = (pkg, g) => { const s = pkg.asyncStats(g); return [s.handles, s.pending, s.queued]; };
  return { viaWait, viaSyncLower, bothStackful,
    stats: [st(pkgs.stackful, a), st(pkgs.blocking, c), st(pkgs.async, b), st(pkgs.stackful, a2), st(pkgs.blocking, c2)] };
}

export async function blockingChecks(pkgs, wasms) {
  return {
    syncLowered: await syncLowered(pkgs.blocking, wasms.blocking),
    yields: await yields(pkgs.blocking, wasms.blocking),
    traps: await traps(pkgs.blocking, wasms.blocking),
    callback: await callbackChecks(pkgs.blockingcb, wasms.blockingcb),
    linked: await linked(pkgs, wasms),
  };
}
