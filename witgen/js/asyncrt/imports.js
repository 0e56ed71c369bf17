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
  fail() { if (this.state === 1) { this.state = 4; this.opts.abort(); } }
}
// The core function of an async-lowered import. `call(opts)` lifts the arguments and calls the
// host's function with `opts` (an `AOpts`) last; `put(v)` lowers its result (into the guest's
// result pointer). A plain value returns RETURNED, as does the Promise of another guest's export
// call that has returned already (A_DONE); any other Promise starts a subtask whose event comes
// when it settles.
function aImport(st, label, call, put) {
  const rt = st.A;
  const opts = new AOpts();
  let v;
  // (a stackful task resumed through JSPI does not count in `busy`: re-entering the instance
  // from the host's function is caught here)
  rt.busy++;
  try { v = call(opts); } finally { rt.busy--; }
  if (!aThenable(v)) { put(v); return 2; }
  // another guest's export call that has already returned: RETURNED now, no subtask
  if (Object.hasOwn(v, A_DONE)) { put(v[A_DONE]); return 2; }
  const s = new ASub(label, opts);
  s.h = rt.t.add(s);
  rt.live.add(s);
  v.then((r) => {
    if (s.state !== 1 || st.dead !== null) return;
    rt.live.delete(s);
    rt.guard(label, () => {
      put(r);
      s.state = 2;
      aSetEvent(rt, s, () => { s.told = true; return [1, s.h, 2]; });
    });
  }, (e) => {
    if (s.state !== 1 || st.dead !== null) return;
    rt.die(new WitTrapError(label + ": the import's Promise rejected (" + (e?.message ?? e) + "); the guest cannot be told, so the instance is now unusable", { cause: e }), label);
  });
  return (1 | (s.h << 4)) >>> 0;
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
    rt.live.delete(s);
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
