// part AFutures: the future built-ins of one future type, and a future's host side: a Promise
// for a future the guest gives to JS, a Promise (or plain value) JS gives to the guest.
// needs: ACopy
// uses: WitTrapError
function aFutureOps(st, T, what) {
  const rt = st.A;
  const copy = (k, code, op) => (h, p) => aGuestCopy(rt, aEndOf(st, h, k, T, what + ": future." + op), h >>> 0, code, new AGBuf(st, T, p, 1, what + ": future." + op), true);
  return {
    "new": () => { const sh = new AFuture(T); return BigInt(rt.t.add(aEnd("fr", sh))) | (BigInt(rt.t.add(aEnd("fw", sh))) << 32n); },
    "read": copy("fr", 4, "read"),
    "write": copy("fw", 5, "write"),
    "read-sync": aSyncCopy(st, copy("fr", 4, "read"), what + ": future.read"),
    "write-sync": aSyncCopy(st, copy("fw", 5, "write"), what + ": future.write"),
    "cancel-read": (h) => aGuestCancel(st, h, "fr", T, what + ": future.cancel-read"),
    "cancel-write": (h) => aGuestCancel(st, h, "fw", T, what + ": future.cancel-write"),
    "drop-readable": (h) => aGuestDrop(st, h, "fr", T, what + ": future.drop-readable"),
    "drop-writable": (h) => aGuestDrop(st, h, "fw", T, what + ": future.drop-writable"),
  };
}
// lift: the guest's readable end `h` becomes a Promise of the value, read at once (so a
// future nobody awaits never blocks its writer). `drop()` on it closes the future unread: the
// guest's write then sees it dropped. The Promise is marked handled: dropping it or the
// instance dying does not make an unhandled rejection. Given to a guest (the same one or
// another) before its value came, the future links: that guest's end is this shared future, the
// value moves from one guest's memory to the other's without JS, and this Promise rejects.
const A_FLINK = Symbol.for("witgen.future");
function aFutureIn(st, T, h, what) {
  const rt = st.A, sh = aTakeReadable(st, h, "fr", T, what), buf = new AHBuf(T, null, 1);
  let settle;
  const p = new Promise((res, rej) => {
    settle = (err) => { rt.live.delete(item); if (err) rej(err); else { rt.chunks++; res(T === null ? undefined : buf.parts[0][0]); } };
  });
  const item = { fail: (err, st) => settle(new WitTrapError(what + ": the instance is unusable: " + st.dead, { cause: err })) };
  rt.live.add(item);
  p.catch(() => {});
  sh.read(buf, (r) => settle(r === 0 ? null : new Error(what + ": the future was dropped before its value came")));
  p.drop = () => { if (sh.pb === buf) { sh.cancel(); rt.guard(what, () => sh.drop()); } };
  p[A_FLINK] = {
    T,
    take() {
      if (sh.pb !== buf) return null;
      sh.pb = sh.pd = null;
      settle(new Error(what + ": the future was given to a guest"));
      return sh;
    },
  };
  return p;
}
// lower: a Promise (or a plain value, which is ready at once) becomes a readable end in the
// guest; its value is written when it settles. A future has no error channel: a Promise that
// rejects, or a value that does not fit the type, closes the future (the guest's read sees it
// dropped) and rejects the export call that passed it, if that call is still pending; the
// instance stays usable.
function aFutureOut(st, T, v, what) {
  const rt = st.A, link = v instanceof Object ? v[A_FLINK] : undefined;
  const linked = link !== undefined && aSameType(link.T, T) ? link.take() : null;
  if (linked !== null) return rt.t.add(aEnd("fr", linked));
  const sh = new AFuture(T), h = rt.t.add(aEnd("fr", sh)), owner = rt.cur;
  const write = (x) => {
    rt.chunks++;
    const buf = new AHBuf(T, T === null ? 1 : [x], 1);
    buf.fail = (e) => aFailOwner(rt, owner, new e.constructor(what + ": " + e.message, { cause: e }));
    sh.write(buf, () => {});
  };
  if (!aThenable(v)) { write(v); return h; }
  v.then((x) => rt.guard(what, () => write(x)), (e) => {
    rt.guard(what, () => sh.drop());
    aFailOwner(rt, owner, e);
  });
  return h;
}
