// part AImport: async-lowered imports (`[async-lower]<fn>`) served by JS functions that may
// return a Promise, and the subtask built-ins.
// needs: ACore
// uses: WitTrapError
// The options a host import gets: `signal` aborts if the guest cancels the call or the instance
// dies (made on first use: an AbortController costs more than a short call).
class AOpts {
  constructor() { this.ac = null; this.aborted = false; }
  get signal() {
    if (this.ac === null) { this.ac = new AbortController(); if (this.aborted) this.ac.abort(); }
    return this.ac.signal;
  }
  abort() { this.aborted = true; this.ac?.abort(); }
}
// A subtask of the guest: `state` 1 started, 2 returned, 4 cancelled before returning;
// `told` once the guest has seen it resolve (it may then drop it).
class ASub {
  constructor(label, opts) { this.k = "sub"; this.label = label; this.opts = opts; this.state = 1; this.told = false; this.h = 0; this.ev = null; this.set = null; }
  fail() { if (this.state === 1) { this.state = 4; A_SYNC.js.delete(this); this.opts.abort(); } }
}
// the host's function of import `label` called by the current task (`opts` last). Exports it
// calls (another instance's, for guests linked through the host) learn the call chain, and
// calling one of an instance on the chain traps here. (A stackful task resumed through JSPI does
// not count in `busy`: re-entering the instance from the host's function is caught here.)
function aHostCall(st, label, call, opts) {
  const rt = st.A, prev = A_SYNC.up;
  A_SYNC.up = { rt, up: rt.cur?.anc ?? null };
  rt.busy++;
  try { return call(opts); } catch (e) {
    throw e?.[A_REENTER] === true ? aTrap(st, (rt.cur?.label ?? label) + ": import " + label + ": " + e.message) : e;
  } finally { rt.busy--; A_SYNC.up = prev; }
}
// The core function of an async-lowered import. `call(opts)` lifts the arguments and calls the
// host's function with `opts` (an `AOpts`) last; `put(v)` lowers its result (into the guest's
// result pointer). A plain value returns RETURNED, as does the Promise of another guest's export
// call that has returned already (A_DONE); any other Promise starts a subtask whose event comes
// when it settles.
function aImport(st, label, call, put) {
  const rt = st.A;
  const opts = new AOpts();
  const v = aHostCall(st, label, call, opts);
  if (!aThenable(v)) { put(v); return 2; }
  // another guest's export call that has already returned: RETURNED now, no subtask
  if (Object.hasOwn(v, A_DONE)) { put(v[A_DONE]); return 2; }
  // ... or settled by now (a stackful task's result comes once its core call is off the stack),
  // or failed (its instance trapped): this instance traps at the call
  const lt = v[A_TASK], fin = lt?.fin;
  if (fin != null) {
    if (fin[0]) { put(fin[1]); return 2; }
    Promise.resolve(v).catch(() => {});
    throw rt.die(aRejected(label, fin[1]), label);
  }
  const s = new ASub(label, opts);
  s.h = rt.t.add(s);
  rt.live.add(s);
  const ok = (r) => {
    if (s.state !== 1 || st.dead !== null) return;
    rt.live.delete(s); A_SYNC.js.delete(s);
    rt.guard(label, () => {
      put(r);
      s.state = 2;
      aSetEvent(rt, s, () => { s.told = true; return [1, s.h, 2]; });
    });
  };
  const bad = (e) => {
    if (s.state !== 1 || st.dead !== null) return;
    A_SYNC.js.delete(s);
    rt.die(aRejected(label, e), label);
  };
  v.then(ok, bad);
  // another guest's export call still running: while a stackful task blocks without JSPI
  // (aDrive), its end is heard at once, not from a Promise reaction
  if (lt !== undefined && lt.link === null) lt.link = (k, r) => { if (A_SYNC.depth > 0) (k ? ok : bad)(r); };
  else A_SYNC.js.add(s);
  return (1 | (s.h << 4)) >>> 0;
}
function aRejected(label, e) {
  return new WitTrapError(label + ": the import's Promise rejected (" + (e?.message ?? e) + "); the guest cannot be told, so the instance is now unusable", { cause: e });
}
// The core function of a sync-lowered `async func` import (the guest imports `f`, not
// `[async-lower]f`): the call blocks the guest's task until the host's value comes.
// `call(opts)` calls the host as aImport's does; `put(f)` lowers the value `f()` gives (or the
// `err` of a result-typed function `f()` throws) and returns the core result. As in the spec's
// canon_lower, a task that may not block (a synchronous export's) traps at the call, whatever
// the host would answer (wasmtime: "cannot block a synchronous task before returning"). A value
// (or another guest's returned export call, A_DONE) is lowered at once; a Promise suspends a
// stackful task through JSPI until it settles, and traps in a callback-ABI task, whose core call
// JSPI cannot suspend.
function aSyncLower(st, label, call, put) {
  const rt = st.A, t = rt.cur;
  if (rt.stackful && !aIsStackful(t)) throw aNoSuspend(st, t);
  if (!aMayBlock(t)) throw aTrap(st, (t?.label ?? "a synchronous call") + ": called async import " + label + " sync-lowered, which a synchronous task may not do (the call could block; the component model traps here, as wasmtime does: cannot block a synchronous task before returning)");
  const opts = new AOpts();
  let v, thrown = false;
  try { v = aHostCall(st, label, call, opts); } catch (e) { if (e instanceof WitTrapError && st.dead !== null) throw e; v = e; thrown = true; }
  if (!thrown && aThenable(v) && Object.hasOwn(v, A_DONE)) v = v[A_DONE];
  else if (!thrown && aThenable(v) && rt.nojspi && aIsStackful(t) && v[A_TASK]?.link === null) {
    // another guest's export call, without JSPI: its instance runs synchronously until it ends
    const lt = v[A_TASK];
    let end = lt.fin;
    Promise.resolve(v).catch(() => {});
    if (end === null) {
      lt.link = (k, r) => { end = [k, r]; };
      aDrive(rt, t, () => end, "the sync-lowered call of async import " + label);
    }
    thrown = end[0] === 0; v = end[1];
  } else if (!thrown && aThenable(v)) {
    if (!rt.stackful) {
      opts.abort(); Promise.resolve(v).catch(() => {});
      throw aTrap(st, t.label + ": async import " + label + ", lowered sync, returned a Promise: waiting for it blocks the task inside a core call, which needs JSPI (WebAssembly JS Promise Integration), " +
        (A_JSPI ? "which this runtime uses only in guests with stackful exports ([async-lift-stackful]); lift the export stackful, or import [async-lower]" + label + " and wait in the callback"
          : "which this engine does not have: use Node >= 24 with --experimental-wasm-jspi or a browser with JSPI, with a guest lifting its exports stackful ([async-lift-stackful])"));
    }
    return aBlockOn(st, t, label, v, opts, put);
  }
  const r = put(thrown ? () => { throw v; } : () => v);
  return rt.stackful ? rt.ready(t, r) : r;
}
// stackful task `t` blocks on the host's Promise `p` (a sync-lowered call): it resumes in turn
// once `p` settles, with the core result `put` makes of its value; a rejection that `put` does
// not take as a result's `err` traps (the guest cannot be told); the instance dying aborts the
// host's signal
function aBlockOn(st, t, label, p, opts, put) {
  const rt = st.A, s = new ASub(label, opts);
  rt.park(t);
  rt.live.add(s);
  return new Promise((res) => {
    const go = (f, e) => {
      if (s.state !== 1 || st.dead !== null) return;
      s.state = 2; rt.live.delete(s);
      t.resume = () => {
        let r;
        try { r = put(f); } catch (x) {
          throw x !== e ? x : new WitTrapError(label + ": the import's Promise rejected (" + (e?.message ?? e) + "); the guest cannot be told, so the instance is now unusable", { cause: e });
        }
        res(r);
      };
      rt.sq.push(t); rt.next();
    };
    p.then((r) => go(() => r, A_NONE), (e) => go(() => { throw e; }, e));
    t.sus++;
    rt.release(t);
  });
}
// subtask.cancel: a host import is cancelled at once (its signal aborts, a later result is
// dropped), so the call never blocks
function aSubCancel(st) {
  return (h) => {
    const rt = st.A, s = rt.t.get(h, "sub", "subtask.cancel");
    if (s.told) throw aTrap(st, s.label + ": subtask.cancel after the subtask resolved");
    if (s.ev === null && s.state !== 1) throw aTrap(st, s.label + ": subtask.cancel called twice");
    if (s.ev !== null) { const f = s.ev; s.ev = null; return f()[2]; }
    s.state = 4; s.told = true;
    rt.live.delete(s); A_SYNC.js.delete(s);
    s.opts.abort();
    return 4;
  };
}
A_ROOT["[subtask-cancel]"] = aSubCancel;
A_ROOT["[async-lower][subtask-cancel]"] = aSubCancel;
A_ROOT["[subtask-drop]"] = (st) => (h) => {
  const rt = st.A, s = rt.t.get(h, "sub", "subtask.drop");
  if (!s.told) throw aTrap(st, s.label + ": subtask.drop before the subtask resolved");
  aJoin(rt, s, null);
  rt.t.del(h >>> 0);
};
