// part AStreams: the stream built-ins of one stream type, and a stream's host side: a
// ReadableStream (also async iterable) for a stream the guest gives to JS, and a pump from a
// ReadableStream / (async) iterable / Uint8Array for a stream JS gives to the guest.
// needs: ACopy
// uses: WitTrapError
// Bounds: a host reader takes at most A_CHUNK_BYTES bytes of elements (at least one element) per
// pull and pulls only when its consumer asks; a host writer holds one chunk of its source at a
// time and takes the next only when the guest has read all of it.
const A_CHUNK_BYTES = 65536;
const A_LINK = Symbol.for("witgen.stream");
// the built-ins of `stream<T>` for one function (`what` names them in errors), keyed like the
// core import names without their `-<index>]<fn>` suffix
function aStreamOps(st, T, what) {
  const rt = st.A;
  const copy = (k, code, op) => (h, p, n) => aGuestCopy(rt, aEndOf(st, h, k, T, what + ": stream." + op), h >>> 0, code, new AGBuf(st, T, p, n, what + ": stream." + op), false);
  return {
    "new": () => { const sh = new AStream(T); return BigInt(rt.t.add(aEnd("sr", sh))) | (BigInt(rt.t.add(aEnd("sw", sh))) << 32n); },
    "read": copy("sr", 2, "read"),
    "write": copy("sw", 3, "write"),
    "read-sync": aSyncCopy(st, copy("sr", 2, "read"), what + ": stream.read"),
    "write-sync": aSyncCopy(st, copy("sw", 3, "write"), what + ": stream.write"),
    "cancel-read": (h) => aGuestCancel(st, h, "sr", T, what + ": stream.cancel-read"),
    "cancel-write": (h) => aGuestCancel(st, h, "sw", T, what + ": stream.cancel-write"),
    "drop-readable": (h) => aGuestDrop(st, h, "sr", T, what + ": stream.drop-readable"),
    "drop-writable": (h) => aGuestDrop(st, h, "sw", T, what + ": stream.drop-writable"),
  };
}
// lift: the guest's readable end `h` becomes a ReadableStream of JS
function aStreamIn(st, T, h, what) { return aReader(st.A, aTakeReadable(st, h, "sr", T, what), what); }
function aReader(rt, sh, what) {
  const T = sh.T, cap = T === null ? 1024 : Math.max(1, Math.floor(A_CHUNK_BYTES / T.size));
  let ctl = null, ended = false;
  const item = { fail: (err, st) => { if (!ended) { ended = true; ctl.error(new WitTrapError(what + ": the instance is unusable: " + st.dead, { cause: err })); } } };
  const end = () => { ended = true; rt.live.delete(item); };
  rt.live.add(item);
  const rs = new ReadableStream({
    start(c) { ctl = c; },
    pull(c) {
      if (rt.st.dead !== null) { item.fail(null, rt.st); return; }
      return new Promise((res) => {
        const buf = new AHBuf(T, null, cap);
        rt.chunks++;
        const flush = () => {
          if (ended) return;
          for (const r of buf.parts) {
            if (T === null) for (let i = 0; i < r; i++) c.enqueue(undefined);
            else if (T.u8) c.enqueue(r);
            else for (const v of r) c.enqueue(v);
          }
          buf.parts.length = 0;
        };
        rt.guard(what, () => sh.read(buf, (reclaim) => { reclaim(); flush(); res(); }, (r) => {
          flush();
          if (r === 1 && !ended) { end(); c.close(); }
          res();
        }));
        if (rt.st.dead !== null) res();
      });
    },
    cancel() { if (!ended) { end(); rt.guard(what, () => sh.drop()); } },
  }, { highWaterMark: 0 });
  if (!rs[Symbol.asyncIterator]) rs[Symbol.asyncIterator] = aIterate;
  // another guest given this stream before JS read from it takes its end directly
  rs[A_LINK] = {
    T,
    take() {
      if (ended || rs.locked || sh.pb instanceof AHBuf) return null;
      rs.getReader();  // the stream belongs to the other guest now: JS can no longer read it
      end();
      return sh;
    },
  };
  return rs;
}
// `for await` where ReadableStream is not async iterable yet; leaving the loop early cancels
// the stream, as the native iterator does
async function* aIterate() {
  const r = this.getReader();
  let done = false;
  try {
    for (;;) { const x = await r.read(); if (x.done) { done = true; return; } yield x.value; }
  } finally {
    if (!done) await r.cancel().catch(() => {});
    r.releaseLock();
  }
}
// lower: a stream JS gives to the guest becomes a readable end in the guest. `v`: a
// ReadableStream, an async iterable or an iterable of elements (for stream<u8>: of Uint8Array
// chunks), or for stream<u8> one Uint8Array / ArrayBuffer. A source that throws or a chunk of
// the wrong type ends the stream (the guest sees it dropped) and rejects the export call that
// passed it, if that call is still pending. A stream a guest gave JS, not read yet, links the
// two guests: elements then move from one's memory to the other's without JS.
function aStreamOut(st, T, v, what) {
  const rt = st.A;
  const link = v instanceof Object ? v[A_LINK] : undefined, linked = link !== undefined && aSameType(link.T, T) ? link.take() : null;
  if (linked !== null) return rt.t.add(aEnd("sr", linked));
  let next, stop = () => {}, sync = false;
  if (T !== null && T.u8 && (ArrayBuffer.isView(v) || v instanceof ArrayBuffer)) {
    let once = false;
    next = () => (once ? { done: true } : (once = true, { done: false, value: v }));
    sync = true;
  } else if (typeof ReadableStream === "function" && v instanceof ReadableStream) {
    const r = v.getReader();
    next = () => r.read(); stop = () => r.cancel();
  } else if (v != null && typeof v[Symbol.asyncIterator] === "function") {
    const it = v[Symbol.asyncIterator]();
    next = () => it.next(); stop = () => it.return?.();
  } else if (v != null && typeof v[Symbol.iterator] === "function" && typeof v !== "string") {
    const it = v[Symbol.iterator]();
    next = () => it.next(); stop = () => it.return?.(); sync = true;
  } else throw new TypeError(what + ": expected a ReadableStream or an (async) iterable" + (T?.u8 ? " of Uint8Array chunks, or a Uint8Array" : "") + ", got " + (v === null ? "null" : typeof v));
  const sh = new AStream(T);
  const h = rt.t.add(aEnd("sr", sh));
  aPump(rt, sh, next, stop, sync, what, rt.cur);
  return h;
}
function aChunk(T, x, what) {
  if (T === null) return 1;
  if (!T.u8) return [x];
  if (x instanceof Uint8Array) return x;
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  throw new TypeError(what + ": a chunk of stream<u8> must be a Uint8Array, got " + (x === null ? "null" : typeof x));
}
async function aPump(rt, sh, next, stop, sync, what, owner) {
  const T = sh.T, cap = T === null ? 1024 : Math.max(1, Math.floor(A_CHUNK_BYTES / T.size));
  try {
    for (;;) {
      let r = sync ? next() : await next(), c;
      if (r.done) break;
      c = aChunk(T, r.value, what);
      // elements of a sync iterable go in batches of up to `cap`
      if (sync && !T?.u8) while (aRunLen(T, c) < cap && !(r = next()).done) c = T === null ? c + 1 : (c.push(r.value), c);
      if (aRunLen(T, c) > 0 && (await aOffer(rt, sh, c, what, owner)) === 1) { stop(); return; }
      if (r.done) break;
    }
  } catch (e) {
    aFailOwner(rt, owner, e);
    try { stop(); } catch { /* the source is already failing */ }
  }
  if (rt.st.dead === null) rt.guard(what, () => sh.drop());
}
// offer one run to the guest; resolves with 0 once all of it was read, 1 if the guest dropped
// its end. An element that does not fit its type (a TypeError or RangeError from lowering it)
// rejects: the guest gets the elements before it, then sees the stream end.
function aOffer(rt, sh, c, what, owner) {
  rt.chunks++;
  return new Promise((res, rej) => {
    const buf = new AHBuf(sh.T, c, aRunLen(sh.T, c));
    // (the call is rejected at once: the guest may return before the pump sees the rejection)
    buf.fail = (e) => { const err = new e.constructor(what + ": " + e.message, { cause: e }); aFailOwner(rt, owner, err); rej(err); };
    const go = () => {
      if (rt.st.dead !== null) return;
      try {
        rt.enter(null, () => sh.write(buf, (reclaim) => { reclaim(); if (buf.remain() > 0) go(); else res(0); },
          (r) => { if (r === 0 && buf.remain() > 0) go(); else res(r === 1 ? 1 : 0); }));
      } catch (e) {
        const m = aMisfit(e);
        if (m !== null && rt.st.dead === null) buf.fail(m); else rt.die(e, what);
      }
    };
    go();
    if (rt.st.dead !== null) res(1);
  });
}
