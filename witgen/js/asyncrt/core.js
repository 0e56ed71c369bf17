// part ACore: the per-instance async state: one handle table (waitable sets, subtasks, stream
// and future ends, error contexts), waitables and their events, tasks of async exports driven
// through the callback ABI or run stackful through JSPI, the scheduler, and the end of
// everything when the guest traps.
// needs:
// uses: WitTrapError trap core
const A_BLOCKED = 0xffffffff;
const A_MAX_HANDLE = 0xfffffff;
// the guest broke a rule of the canonical ABI: the instance is unusable from now on (the message
// names the export whose task was running, if it does not already)
function aTrap(st, m) {
  const t = st.A?.cur;
  if (t != null && !m.startsWith(t.label + ":")) m = t.label + ": " + m;
  if (st.dead === null) st.dead = m;
  return new WitTrapError(m);
}
class ATable {
  constructor(st) { this.st = st; this.v = [null]; this.free = []; this.n = 0; }
  add(e) {
    const h = this.free.length ? this.free.pop() : this.v.length;
    if (h > A_MAX_HANDLE) throw aTrap(this.st, "the async handle table is full");
    this.v[h] = e; this.n++;
    return h;
  }
  // the entry of handle `h`, which must be one of the kinds in `ks` ("set sub sr sw fr fw err")
  get(h, ks, what) {
    const e = this.v[h >>> 0];
    if (e == null || !ks.includes(e.k)) throw aTrap(this.st, what + ": " + (h >>> 0) + " is not a handle of " + ks.split(" ").map((k) => A_KIND[k]).join(" or "));
    return e;
  }
  del(h) { this.v[h] = null; this.free.push(h); this.n--; }
}
const A_KIND = { set: "a waitable set", sub: "a subtask", sr: "a stream's readable end", sw: "a stream's writable end",
  fr: "a future's readable end", fw: "a future's writable end", err: "an error context" };
const A_WAITABLE = "sub sr sw fr fw";
// a waitable: `ev` is its pending event (a function making [code, handle, payload] when it is
// delivered), `set` the waitable set it has joined
function aSetEvent(rt, w, f) { w.ev = f; if (w.set !== null) rt.wake(w.set); }
function aJoin(rt, w, s) {
  if (w.set !== null) w.set.el.delete(w);
  w.set = s;
  if (s !== null) { s.el.add(w); if (w.ev !== null) rt.wake(s); }
}
function aHasEvent(s) { for (const w of s.el) if (w.ev !== null) return true; return false; }
function aTakeEvent(s) {
  for (const w of s.el) {
    if (w.ev !== null) { const f = w.ev; w.ev = null; s.el.delete(w); s.el.add(w); return f(); }
  }
  return null;
}
function aThenable(v) { return v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function"; }
const A_MACRO = typeof setImmediate === "function" ? setImmediate : (f) => {
  const c = new MessageChannel();
  c.port1.onmessage = () => { c.port1.close(); f(); };
  c.port2.postMessage(0);
};
// the Promise of an export call whose task returned before the call did carries the result
// under A_DONE: a guest whose async import that call serves (guests linked through the host)
// then sees the subtask returned at once, as a composed component would
const A_DONE = Symbol.for("witgen.async.done");
// ... and that of any other call made from an import's host function carries its task, whose
// `link(ok, value)` (one listener, set by the import it serves) hears it settle synchronously
// while aDrive runs
const A_TASK = Symbol.for("witgen.async.task");
// Guests linked through the host on an engine without JSPI: a stackful task blocked inside its
// core call (aDrive) runs the other instances' pending work synchronously. `pend`: the runtimes
// of this JS realm (every package's) with work queued (a pump, a task that yielded); `js`: the
// subtasks waiting for a JS Promise (named when nothing else can progress); `depth`: drives on
// the stack; `up`: while an import's host function runs, the call chain of the task calling it
// ({ rt, up } nodes: that instance's runtime, then its callers').
const A_SYNC = (globalThis[Symbol.for("witgen.async.sync.1")] ??= { pend: new Set(), js: new Set(), depth: 0, up: null });
// A call of an export of an instance on the call chain of the import making it, above the
// instance that imports it: a recursion through another guest (a -> b -> a), which the component
// model forbids (wasmtime: "cannot enter component instance"); the import that made the call
// traps (aHostCall). (The host's function of an import calling back into the instance that
// called it is the host's own call: it waits its turn.)
const A_REENTER = Symbol.for("witgen.async.reenter");
function aOnChain(rt, label) {
  const up = A_SYNC.up;
  if (up !== null && up.rt !== rt) for (let c = up.up; c !== null; c = c.up) {
    if (c.rt === rt) {
      const e = new Error("cannot enter component instance: calling " + label + " re-enters its instance, which is on the call chain of this call already (the component model forbids re-entering an instance, as wasmtime does)");
      e[A_REENTER] = true;
      throw e;
    }
  }
  return up;
}
const A_NONE = Symbol("witgen.async.none");
// A call of an export: `async` for `async func`s (callback ABI), or the synchronous task of a sync
// export. `state`: 0 running, 1 resolved (the guest did task.return or task.cancel); `settled`
// once its Promise is (a failing stream source may reject it before the guest returns).
// `cancel`: 0, 1 requested by the host, 2 delivered to the guest. `live` once the task waits
// (then `ARt.live` holds it, so that a trap settles it). A stackful task (`cb` null) blocked in
// waitable-set.wait has `wake(event)`, `cwait` if the wait is cancellable, and once its event
// came `resume()`, which lets its core call go on; `sus` counts its suspensions; `late` settles
// its call once the core call is off the stack. Every field is set here (one shape).
class ATask {
  constructor(label, async, res, rej) {
    this.label = label; this.async = async; this.pres = res; this.prej = rej; this.settled = false;
    this.state = 0; this.ctx = [0, 0]; this.ws = null; this.rq = false; this.cancel = 0; this.live = false;
    this.lower = null; this.lift = null; this.cb = null; this.sig = null; this.onAbort = null;
    this.wake = null; this.cwait = false; this.resume = null; this.late = null; this.out = A_NONE; this.sus = 0;
    this.link = null; this.fin = null; this.anc = null;
  }
  // the call's Promise settles; the linked import it serves (if any) hears it, or finds it in
  // `fin` (a call that settled before it returned to its caller)
  res(v) { this.pres(v); this.tell(1, v); }
  rej(e) { this.prej(e); this.tell(0, e); }
  tell(ok, v) { const f = this.link; if (f !== null) { this.link = null; f(ok, v); } else this.fin = [ok, v]; }
  fail(err, st) {
    if (this.settled) return;
    this.settled = true;
    this.rej(String(err?.message).startsWith(this.label + ":") ? err : new WitTrapError(this.label + ": the instance is unusable: " + st.dead, { cause: err }));
  }
}
class ARt {
  constructor(st) {
    this.st = st; this.t = new ATable(st);
    this.cur = null; this.root = new ATask("(no task)", false, null, null); this.busy = 0;
    this.rdy = []; this.sched = false; this.bp = 0; this.q = [];
    this.live = new Set();  // what settles when the instance dies: tasks, host readers, pending imports
    this.chunks = 0;
    // stackful tasks (JSPI): `stackful` if the guest has any, `srun` the one whose core call
    // runs (or is about to resume), `sq` those whose event came, resumed one at a time so that
    // `cur` is right when each runs
    this.stackful = false; this.srun = null; this.sq = [];
    // `nojspi`: the guest has stackful exports and the engine no JSPI: they run as plain calls,
    // blocking through aDrive; `yq`: callback-ABI tasks that yielded, stepped from a macrotask
    // (or by aDrive)
    this.nojspi = false; this.yq = [];
  }
  // run `f` (which calls into the guest) as task `t`
  enter(t, f) {
    const prev = this.cur;
    this.cur = t; this.busy++;
    try { return f(); } finally { this.busy--; this.cur = prev; }
  }
  // run host-side work that touches the guest (a copy into its memory, a realloc); a failure kills
  guard(label, f) {
    if (this.st.dead !== null) return;
    try { this.enter(null, f); } catch (e) { this.die(e, label); }
  }
  // the instance is unusable: settle everything still pending
  die(e, label, culprit = null) {
    const st = this.st;
    const err = e instanceof WitTrapError ? e : trap(st, e, label);
    if (st.dead === null) st.dead = err?.message ?? String(err);
    const all = [...this.live];
    this.live.clear(); this.rdy.length = 0; this.yq.length = 0;
    A_SYNC.pend.delete(this);
    for (const t of this.q) t.fail(err, st);
    this.q.length = 0;
    for (const x of all) x.fail(err, st);
    culprit?.fail(err, st);
    // the other ends of this instance's streams and futures (in JS or another instance) see
    // them dropped rather than wait for ever
    for (const e of this.t.v) if (e !== null && e.sh !== undefined) try { e.sh.drop(); } catch { /* a peer's failure is its own */ }
    return err;
  }
  wake(s) {
    for (const t of s.w) if (!t.rq) { t.rq = true; this.rdy.push(t); }
    this.kick();
  }
  kick() { if (!this.sched) { this.sched = true; A_SYNC.pend.add(this); queueMicrotask(() => this.pump()); } }
  pump() {
    this.sched = false;
    while (this.st.dead === null) {
      if (this.rdy.length) {
        const batch = this.rdy;
        this.rdy = [];
        for (const t of batch) {
          t.rq = false;
          if (this.st.dead !== null) return;
          if (t.cancel === 1 && (t.cb !== null || t.cwait)) { t.cancel = 2; this.unwait(t); this.deliver(t, [6, 0, 0]); continue; }
          const s = t.ws;
          if (s === null) continue;
          const ev = aTakeEvent(s);
          if (ev === null) continue;
          this.unwait(t);
          this.deliver(t, ev);
        }
      } else if (this.q.length && this.bp === 0 && this.busy === 0 && this.srun === null) this.start(this.q.shift());
      else break;
    }
    if (!this.yq.length && !this.sched) A_SYNC.pend.delete(this);
  }
  // what aDrive runs of this instance, which must not be on the stack: its ready tasks and the
  // calls that may start (1), else one task that yielded (2), else nothing (0)
  syncRun() {
    if (this.st.dead !== null || this.busy || this.srun !== null) return 0;
    if (this.rdy.length || (this.q.length && this.bp === 0)) { this.pump(); return 1; }
    if (this.yq.length) { this.unyield(this.yq[0]); return 2; }
    A_SYNC.pend.delete(this);
    return 0;
  }
  // task `t`, which yielded, runs its next step (unless it ran already)
  unyield(t) {
    const i = this.yq.indexOf(t);
    if (i < 0 || this.st.dead !== null) return;
    this.yq.splice(i, 1);
    if (!this.yq.length && !this.sched) A_SYNC.pend.delete(this);
    if (t.cancel === 1) { t.cancel = 2; this.step(t, 6, 0, 0); } else this.step(t, 0, 0, 0);
  }
  unwait(t) { const s = t.ws; if (s !== null) { s.w.splice(s.w.indexOf(t), 1); t.ws = null; } }
  deliver(t, ev) { if (t.cb === null) t.wake(ev); else this.step(t, ev[0], ev[1], ev[2]); }
  // an `async func` export call: `lower()` lowers the arguments (in the task, so a realloc or
  // a stream argument belongs to it) and returns the flat values; `lift` is the `[async-lift]`
  // export, `cb` its `[callback]`
  call(label, lower, lift, cb, signal) {
    const st = this.st;
    if (st.dead !== null) return Promise.reject(new WitTrapError(label + ": the instance is unusable: " + st.dead));
    const anc = aOnChain(this, label);
    let t;
    const pr = new Promise((res, rej) => {
      t = new ATask(label, true, res, rej);
      t.lower = lower; t.lift = lift; t.cb = cb; t.anc = anc;
      if (signal != null) {
        if (signal.aborted) { t.rej(signal.reason); return; }
        t.sig = signal;
        t.onAbort = () => this.abort(t);
        signal.addEventListener("abort", t.onAbort, { once: true });
      }
      // entering waits for backpressure, earlier waiting calls, and a guest that is running
      if (this.bp > 0 || this.q.length || this.busy || this.srun !== null) { this.q.push(t); this.kick(); } else this.start(t);
    });
    if (t.out !== A_NONE) pr[A_DONE] = t.out;
    // (a call made by an import's host function: maybe another guest's, linked through the host)
    else if (anc !== null) pr[A_TASK] = t;
    return pr;
  }
  start(t) {
    const st = this, prev = this.cur;
    let flat, code;
    this.cur = t; this.busy++;
    try { flat = t.lower(); } catch (e) {
      this.busy--; this.cur = prev;
      if (st.st.dead === null) { t.state = 1; this.settle(t); t.rej(e); } else this.die(e, t.label, t);
      return;
    }
    this.busy--; this.cur = prev;
    if (t.cb === null) { this.runStackful(t, flat); return; }
    this.cur = t; this.busy++;
    try { code = t.lift.apply(null, flat); } catch (e) { this.busy--; this.cur = prev; this.die(aSuspendTrap(this.st, e, t), t.label, t); return; }
    this.busy--; this.cur = prev;
    this.after(t, code);
  }
  // a stackful task: its `[async-lift-stackful]` export through WebAssembly.promising; the core
  // call returns (a Promise) when it first blocks in waitable-set.wait or when it ends
  runStackful(t, flat) {
    const prev = this.cur;
    let p;
    if (this.nojspi) { this.runPlain(t, flat); return; }
    this.srun = t; this.cur = t; this.busy++;
    try { p = t.lift.apply(null, flat); } catch (e) { this.busy--; this.cur = prev; this.release(t); this.die(e, t.label, t); return; }
    this.busy--;
    // it ended without calling a JSPI import (one that it called released it: it resumes in
    // turn, and `cur` is already what it must be)
    if (t.sus === 0) { this.release(t); this.cur = prev; }
    p.then(() => {
      this.release(t);
      if (this.st.dead !== null) return;
      if (t.state === 0) this.die(aTrap(this.st, t.label + ": the guest's task exited without task.return"), t.label, t);
    }, (e) => { this.release(t); this.die(e, t.label, t); });
  }
  // a stackful task without JSPI: one synchronous core call, which blocks through aDrive
  runPlain(t, flat) {
    const prev = this.cur;
    this.cur = t; this.busy++;
    try { t.lift.apply(null, flat); } catch (e) { this.busy--; this.cur = prev; this.die(e, t.label, t); return; }
    this.busy--; this.cur = prev;
    if (t.state === 0) this.die(aTrap(this.st, t.label + ": the guest's task exited without task.return"), t.label, t);
    else if (this.q.length) this.kick();
  }
  // stackful task `t` blocks until set `s` has an event; `put(event)` writes it for the guest
  // (the value waitable-set.wait returns)
  suspend(t, s, cancellable, put) {
    this.park(t);
    t.ws = s; s.w.push(t); t.cwait = cancellable;
    return new Promise((res) => {
      t.wake = (ev) => { t.wake = null; t.resume = () => res(put(ev)); this.sq.push(t); this.next(); };
      t.sus++;
      this.release(t);
    });
  }
  // the value `v` of a JSPI import a stackful task called that did not block: JSPI suspends the
  // core call anyway (a Suspending import's result is always awaited), so `t` resumes in turn
  ready(t, v) {
    return new Promise((res) => { t.resume = () => res(v); this.sq.push(t); t.sus++; this.release(t); });
  }
  // stackful task `t` yields: it resumes in turn from a macrotask, after JS (timers, I/O, host
  // Promises) and the guest's other tasks have run; the value of thread.yield (1: a
  // cancellation came meanwhile and `cancellable`)
  pause(t, cancellable) {
    this.park(t);
    return new Promise((res) => {
      A_MACRO(() => {
        if (this.st.dead !== null) return;
        t.resume = () => res(aCancelled(t, cancellable) ? 1 : 0); this.sq.push(t); this.next();
      });
      t.sus++;
      this.release(t);
    });
  }
  // `t`'s core call is off the stack (it blocked, or ended): its result (task.return) reaches
  // the caller now, the next stackful task may resume, calls waiting for the guest may start.
  // (A resumed task does not count in `busy`: JSPI does not say when its core call goes on or
  // ends, and JS may run in between; `srun` keeps other stackful tasks from starting.)
  release(t) {
    if (this.srun !== t) return;
    this.srun = null; this.cur = null;
    const f = t.late;
    if (f !== null) { t.late = null; f(); }
    this.next();
    if (this.srun === null && this.q.length) this.kick();
  }
  next() {
    if (this.srun !== null || !this.sq.length || this.st.dead !== null) return;
    const t = this.sq.shift(), r = t.resume;
    t.resume = null;
    this.srun = t; this.cur = t;
    try { r(); } catch (e) { this.release(t); this.die(e, t.label, t); }
  }
  step(t, e, p1, p2) {
    let code;
    try { code = this.enter(t, () => t.cb(e, p1, p2)); } catch (err) { this.die(aSuspendTrap(this.st, err, t), t.label, t); return; }
    this.after(t, code);
  }
  // the task waits (for an event or after a YIELD): a trap from now on must settle it
  park(t) { if (!t.live && !t.settled) { t.live = true; this.live.add(t); } }
  // what the packed callback code says: EXIT, YIELD, or WAIT on a waitable set
  after(t, code) {
    const c = code & 15;
    if (c === 0) {
      if (t.state === 0) { this.die(aTrap(this.st, t.label + ": the guest's task exited without task.return"), t.label, t); return; }
      if (this.q.length) this.kick();
    } else if (c === 1) {
      if (t.cancel === 1) { t.cancel = 2; this.step(t, 6, 0, 0); return; }
      this.park(t);
      this.yq.push(t); A_SYNC.pend.add(this);
      A_MACRO(() => this.unyield(t));
    } else if (c === 2) {
      let s;
      try { s = this.t.get(code >>> 4, "set", t.label + ": callback WAIT"); } catch (e) { this.die(e, t.label, t); return; }
      this.park(t);
      t.ws = s; s.w.push(t);
      if (t.cancel === 1 || aHasEvent(s)) this.wake(s);
    } else this.die(aTrap(this.st, t.label + ": invalid callback code " + (code >>> 0)), t.label, t);
  }
  // the task's Promise settles now (the caller then settles it)
  settle(t) {
    t.settled = true;
    if (t.live) { t.live = false; this.live.delete(t); }
    if (t.sig !== null) t.sig.removeEventListener("abort", t.onAbort);
  }
  // task.return: `v` is the lifted result (a stackful task's caller gets it once the core call
  // is off the stack, see `release`)
  ret(t, v) {
    t.state = 1;
    if (t.settled) return;
    if (this.srun === t) t.late = () => { if (!t.settled) { this.settle(t); t.res(v); } };
    else { this.settle(t); t.out = v; t.res(v); }
  }
  // task.cancel
  cancelled(t) { t.state = 1; if (!t.settled) { this.settle(t); t.rej(t.sig.reason); } }
  // the host aborted an export call: not started yet, it never starts; waiting, the guest gets
  // TASK_CANCELLED now; running or yielding, at its next WAIT or YIELD
  abort(t) {
    if (t.state !== 0 || t.cancel !== 0) return;
    const i = this.q.indexOf(t);
    if (i >= 0) { this.q.splice(i, 1); this.cancelled(t); return; }
    t.cancel = 1;
    if (t.ws !== null && !t.rq) { t.rq = true; this.rdy.push(t); this.kick(); }
  }
  // a synchronous export of an async world: `f` calls the core export. It cannot wait for a
  // guest that is running (a call from inside one of its imports): that is an error, as the
  // component model forbids re-entering an instance.
  sync(label, f) {
    const st = this.st;
    if (st.dead !== null) throw new WitTrapError(label + ": the instance is unusable: " + st.dead);
    const anc = aOnChain(this, label);
    if (this.busy) throw new Error(label + ": called while the guest is running (from inside one of its imports); an instance cannot be re-entered");
    const t = new ATask(label, false, null, null);
    t.anc = anc;
    // a bad argument or a thrown `err` result leaves the instance usable; a trap does not
    try { return this.enter(t, f); } catch (x) {
      const e = aSuspendTrap(st, x, t);
      if (st.dead === null && !(e instanceof WebAssembly.RuntimeError)) throw e;
      throw this.die(e, label);  // no Promise to settle
    }
  }
  // `hostChunks`: runs of stream elements and future values that went through JS (a stream or
  // future linked from another guest moves none)
  stats() { return { handles: this.t.n, tasks: [...this.live].filter((x) => x instanceof ATask).length, pending: this.live.size, queued: this.q.length, hostChunks: this.chunks }; }
}
// whether this engine has JSPI (WebAssembly JS Promise Integration)
const A_JSPI = typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
// the async runtime of an instance of core module `module`: a guest lifting an export stackful
// runs through JSPI; where the engine has none, its stackful tasks are plain calls that block
// through aDrive
function aInit(st, module) {
  st.A = new ARt(st);
  if (WebAssembly.Module.exports(module).some((d) => d.name.startsWith("[async-lift-stackful]"))) {
    if (A_JSPI) st.A.stackful = true; else st.A.nojspi = true;
  }
  return st.A;
}
// how a stackful task blocked without JSPI ends when nothing can progress
const A_NEEDS_JSPI = "waiting for it inside the core call needs JSPI (WebAssembly JS Promise Integration: WebAssembly.Suspending and WebAssembly.promising), which this engine does not have: use Node >= 24 with --experimental-wasm-jspi or a browser with JSPI, or build the guest with the callback ABI ([async-lift] + [callback])";
// the runtimes with work pending run once each, none that is on the stack: 1 if one made
// progress, 2 if only tasks that yielded ran, 0 if nothing could run
function aDriveRound() {
  let r = 0;
  for (const o of [...A_SYNC.pend]) { const k = o.syncRun(); if (k === 1 || (k === 2 && r === 0)) r = k; }
  return r;
}
// stackful task `t` of runtime `rt`, on an engine without JSPI, blocks inside its core call in
// `what` until `got()` gives what it waits for (not null): the other instances' pending work
// (guests linked through the host) runs synchronously meanwhile; rounds where only yielding
// tasks ran count as idle, and a wait still unserved after A_IDLE_ROUNDS of them in a row ends. When nothing more
// can progress without the JS event loop (a host Promise, a stream fed by JS, a timer, an
// instance on the stack), a trap naming JSPI and the host imports whose Promises are pending.
const A_IDLE_ROUNDS = 100000;
function aDrive(rt, t, got, what) {
  A_SYNC.depth++;
  try {
    for (let v = got(), idle = 0; ; v = got()) {
      if (v !== null) return v;
      if (rt.st.dead !== null) throw new WitTrapError(t.label + ": the instance is unusable: " + rt.st.dead);
      const r = aDriveRound();
      idle = r === 2 ? idle + 1 : 0;
      if (r !== 0 && idle < A_IDLE_ROUNDS) continue;
      if ((v = got()) !== null) return v;
      const js = [...new Set([...A_SYNC.js].map((s) => s.label))];
      const why = js.length ? "pending: the JS Promise of host import " + js.join(", ")
        : r !== 0 ? "only tasks that yield ran, " + A_IDLE_ROUNDS + " rounds in a row"
          : "what it waits for depends on JS (a stream or future of the host, a timer) or on an instance that is on the stack";
      throw aTrap(rt.st, t.label + ": " + what + " blocks, and nothing the guests linked through the host can run makes progress without the JS event loop (" + why + "); " + A_NEEDS_JSPI);
    }
  } finally { A_SYNC.depth--; }
}
// the exports object of an async package carries its runtime's stats under this key
const A_STATS = Symbol("witgen.async.stats");
// what the async runtime of an instance holds now: handles in its table, tasks waiting, what
// settles if it dies, calls queued, runs of stream elements and future values that went
// through JS
export function asyncStats(exports) {
  const f = exports?.[A_STATS];
  if (typeof f !== "function") throw new TypeError("asyncStats: expected the exports of a package with async functions, streams or futures");
  return f();
}
// the core exports of `async func` `name`: [`[async-lift]`, its `[callback]`] (callback ABI), or
// [`[async-lift-stackful]` through WebAssembly.promising (or a plain call without JSPI), null]
function aLift(x, name) {
  const f = x["[async-lift]" + name];
  if (typeof f === "function") return [f, core(x, "[callback][async-lift]" + name)];
  const g = x["[async-lift-stackful]" + name];
  if (typeof g === "function") return [A_JSPI ? WebAssembly.promising(g) : g, null];
  throw new TypeError("the core module does not export the function `[async-lift]" + name + "` (or `[async-lift-stackful]" + name + "`)");
}
// `[task-return]<fn>`: `lift` makes the JS result from the flat values
function aTaskReturn(st, label, lift) {
  return (...flat) => {
    const rt = st.A, t = rt.cur;
    if (t === null || t.label !== label || !t.async) throw aTrap(st, label + ": task.return called outside a task of " + label);
    if (t.state !== 0) throw aTrap(st, label + ": task.return called twice or after task.cancel");
    let v;
    try { v = lift(...flat); } catch (e) { throw e instanceof WitTrapError ? e : aTrap(st, label + ": task.return: " + (e?.message ?? e)); }
    rt.ret(t, v);
  };
}
// the `$root` and `[export]$root` built-ins that do not depend on a type, by core import name
const A_ROOT = {
  "[waitable-set-new]": (st) => () => st.A.t.add({ k: "set", el: new Set(), w: [] }),
  "[waitable-set-wait]": (st) => aWait(st, false),
  "[cancellable][waitable-set-wait]": (st) => aWait(st, true),
  "[waitable-set-poll]": (st) => aPoll(st, false),
  "[cancellable][waitable-set-poll]": (st) => aPoll(st, true),
  "[waitable-set-drop]": (st) => (h) => {
    const W = st.A.t, s = W.get(h, "set", "waitable-set.drop");
    if (s.el.size) throw aTrap(st, "waitable-set.drop: the set still has " + s.el.size + " waitable(s)");
    if (s.w.length) throw aTrap(st, "waitable-set.drop: a task is waiting on the set");
    W.del(h >>> 0);
  },
  "[waitable-join]": (st) => (wh, sh) => {
    const rt = st.A, w = rt.t.get(wh, A_WAITABLE, "waitable.join");
    aJoin(rt, w, sh === 0 ? null : rt.t.get(sh, "set", "waitable.join"));
  },
  "[context-get-0]": (st) => () => (st.A.cur ?? st.A.root).ctx[0],
  "[context-set-0]": (st) => (v) => { (st.A.cur ?? st.A.root).ctx[0] = v; },
  "[context-get-1]": (st) => () => (st.A.cur ?? st.A.root).ctx[1],
  "[context-set-1]": (st) => (v) => { (st.A.cur ?? st.A.root).ctx[1] = v; },
  "[backpressure-inc]": (st) => () => { const rt = st.A; if (rt.bp === 0xffff) throw aTrap(st, "backpressure.inc: overflow"); rt.bp++; },
  "[backpressure-dec]": (st) => () => { const rt = st.A; if (rt.bp === 0) throw aTrap(st, "backpressure.dec: below zero"); if (--rt.bp === 0 && rt.q.length) rt.kick(); },
  "[thread-yield]": (st) => aYield(st, false),
  "[cancellable][thread-yield]": (st) => aYield(st, true),
  "[task-cancel]": (st) => () => {
    const rt = st.A, t = rt.cur;
    if (t === null || !t.async) throw aTrap(st, "task.cancel called outside an async task");
    if (t.cancel !== 2 || t.state !== 0) throw aTrap(st, t.label + ": task.cancel without a delivered cancellation");
    rt.cancelled(t);
  },
};
// the same built-ins under the names wit-component also accepts with an explicit i32 (memory32)
for (const [alias, name] of [["[waitable-set-wait-i32]", "[waitable-set-wait]"], ["[waitable-set-poll-i32]", "[waitable-set-poll]"],
  ["[context-get-i32-0]", "[context-get-0]"], ["[context-set-i32-0]", "[context-set-0]"],
  ["[context-get-i32-1]", "[context-get-1]"], ["[context-set-i32-1]", "[context-set-1]"]]) A_ROOT[alias] = A_ROOT[name];
function aMayBlock(t) { return t !== null && (t.async || t.state === 1); }
// whether `t` is a stackful task (its core call entered through WebAssembly.promising)
function aIsStackful(t) { return t !== null && t.async && t.cb === null; }
function aPutEvent(st, p, ev) {
  p >>>= 0;
  if (p % 4 !== 0 || p + 8 > st.mem.buffer.byteLength) throw aTrap(st, "waitable-set: bad event pointer " + p);
  const d = new DataView(st.mem.buffer);
  d.setUint32(p, ev[1], true); d.setUint32(p + 4, ev[2], true);
  return ev[0];
}
function aCancelled(t, cancellable) { if (cancellable && t && t.cancel === 1) { t.cancel = 2; return true; } return false; }
// a built-in (or import) `f` that may block: in a guest with stackful exports, a JSPI import
// (WebAssembly.Suspending), which suspends the stackful task calling it while it waits
function aSuspending(st, f) { return st.A.stackful ? new WebAssembly.Suspending(f) : f; }
// the trap of task `t` (not a stackful one) calling a suspending import in a guest with
// stackful exports: only a core call entered through WebAssembly.promising (a stackful
// export's) may call one, even one that answers at once. (Some engines throw a SuspendError
// before the import runs, so the message cannot name the import: `aSuspendTrap`.)
function aNoSuspend(st, t) {
  return aTrap(st, (t?.label ?? "a synchronous call") + ": a blocking built-in or import (waitable-set.wait, thread.yield, a sync-lowered stream/future copy or async import) called in a " +
    (t?.cb != null ? "callback-ABI task" : "synchronous call") + " of a guest with stackful exports, where these are JSPI suspending imports, which only a stackful task ([async-lift-stackful]) may call (JSPI suspends only a core call entered through WebAssembly.promising)");
}
// `e`, or aNoSuspend's trap if `e` is the engine's SuspendError for task `t`'s core call (whose
// glue may have recorded the SuspendError as why the instance is unusable)
function aSuspendTrap(st, e, t) {
  if (typeof WebAssembly.SuspendError !== "function" || !(e instanceof WebAssembly.SuspendError)) return e;
  st.dead = null;
  return aNoSuspend(st, t);
}
// waitable-set.wait: in a guest with stackful exports, a JSPI import that suspends the
// stackful task until the set has an event (aNoSuspend: no other task may call it there)
function aWait(st, cancellable) {
  const f = (sh, p) => {
    const rt = st.A, t = rt.cur, s = rt.t.get(sh, "set", "waitable-set.wait");
    if (rt.stackful && !aIsStackful(t)) throw aNoSuspend(st, t);
    if (!aMayBlock(t)) throw aTrap(st, (t?.label ?? "a synchronous call") + ": waitable-set.wait: a synchronous task may not block");
    const done = (r) => (rt.stackful ? rt.ready(t, r) : r);
    if (aCancelled(t, cancellable)) return done(aPutEvent(st, p, [6, 0, 0]));
    aPutEvent(st, p, [0, 0, 0]);  // (checks the pointer before the task blocks)
    const ev = aTakeEvent(s);
    if (ev !== null) return done(aPutEvent(st, p, ev));
    if (rt.nojspi && aIsStackful(t)) return aPutEvent(st, p, aDrive(rt, t, () => (aCancelled(t, cancellable) ? [6, 0, 0] : aTakeEvent(s)), "waitable-set.wait"));
    if (rt.stackful) return rt.suspend(t, s, cancellable, (e) => aPutEvent(st, p, e));
    throw aTrap(st, t.label + ": waitable-set.wait would block; a callback-ABI task blocking inside a core call needs JSPI, which this runtime uses only for stackful tasks (return WAIT to the callback instead)");
  };
  return aSuspending(st, f);
}
// thread.yield: a stackful task (JSPI) suspends until a macrotask, letting JS and the guest's
// other tasks run; without JSPI it lets the other instances' pending work run once; elsewhere
// it returns at once (the spec's behaviour for a task that may not
// block, and one it allows for the others: a callback-ABI task yields by returning YIELD)
function aYield(st, cancellable) {
  const f = () => {
    const rt = st.A, t = rt.cur;
    // without JSPI, a stackful task lets the other instances' pending work run once (aDrive)
    if (rt.nojspi && aIsStackful(t)) { A_SYNC.depth++; try { aDriveRound(); } finally { A_SYNC.depth--; } }
    if (!rt.stackful) return aCancelled(t, cancellable) ? 1 : 0;
    if (!aIsStackful(t)) throw aNoSuspend(st, t);
    return rt.pause(t, cancellable);
  };
  return aSuspending(st, f);
}
function aPoll(st, cancellable) {
  return (sh, p) => {
    const rt = st.A, t = rt.cur, s = rt.t.get(sh, "set", "waitable-set.poll");
    if (aCancelled(t, cancellable)) return aPutEvent(st, p, [6, 0, 0]);
    return aPutEvent(st, p, aTakeEvent(s) ?? [0, 0, 0]);
  };
}
