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
    "cancel-read": (h) => aGuestCancel(st, h, "fr", T, what + ": future.cancel-read"),
    "cancel-write": (h) => aGuestCancel(st, h, "fw", T, what + ": future.cancel-write"),
    "drop-readable": (h) => aGuestDrop(st, h, "fr", T, what + ": future.drop-readable"),
    "drop-writable": (h) => aGuestDrop(st, h, "fw", T, what + ": future.drop-writable"),
  };
}
// lift: the guest's readable end `h` becomes a Promise of the value (read at once)
function aFutureIn(st, T, h, what) {
  const rt = st.A, sh = aTakeReadable(st, h, "fr", T, what);
  return new Promise((res, rej) => {
    const item = { fail: (err, st) => rej(new WitTrapError(what + ": the instance is unusable: " + st.dead, { cause: err })) };
    rt.live.add(item);
    const buf = new AHBuf(T, null, 1);
    sh.read(buf, () => { rt.live.delete(item); res(T === null ? undefined : buf.parts[0][0]); });
  });
}
// lower: a Promise (or a plain value) becomes a readable end in the guest; its value is
// written when it settles. A rejected Promise cannot be told to the guest (a future has no
// error channel): the instance becomes unusable.
function aFutureOut(st, T, v, what) {
  const rt = st.A, sh = new AFuture(T), h = rt.t.add(aEnd("fr", sh));
  Promise.resolve(v).then((x) => {
    rt.guard(what, () => sh.write(new AHBuf(T, T === null ? 1 : [x], 1), () => {}));
  }, (e) => {
    if (st.dead === null) rt.die(new WitTrapError(what + ": the Promise given as a future rejected (" + (e?.message ?? e) + "); the instance is now unusable", { cause: e }), what);
  });
  return h;
}
