// part ACopy: the buffers and shared state of streams and futures, and the copies between
// them (guest memory <-> JS, following the spec's SharedStreamImpl / SharedFutureImpl).
// needs: ACore
// uses: mem Fault
// An element type `T` comes from the generated glue: { size, align, u8, num, key, lift(st, p),
// lower(st, v, p) }; `u8` for stream<u8>, `num` when an element holds no pointer or handle,
// `key` (optional) a canonical spelling of the type; `null` for a stream or future without
// payload.
// Two descriptors are the same type if they are one object, or (for glue of different
// packages) have the same `key`, a canonical spelling of the WIT type.
// A run of `m` elements is an Array, or the number m (no payload); stream<u8> bytes move with
// one `Uint8Array.set` from the source's view (`bytes(m)`) into the destination's (`sink(m)`).
//
// A guest buffer: `n` elements at `p` in the guest's memory, `k` copied so far.
class AGBuf {
  constructor(st, T, p, n, what) {
    p >>>= 0; n >>>= 0;
    if (n > 0xfffffff) throw aTrap(st, what + ": length " + n + " is too large");
    if (T !== null && n > 0) {
      if (p % T.align !== 0) throw aTrap(st, what + ": misaligned buffer " + p + " (alignment " + T.align + ")");
      if (p + n * T.size > st.mem.buffer.byteLength) throw aTrap(st, what + ": buffer " + p + " (" + n + " elements) is out of bounds");
    }
    this.st = st; this.T = T; this.p = p; this.n = n; this.k = 0;
  }
  remain() { return this.n - this.k; }
  take(m) {
    const st = this.st, T = this.T;
    this.k += m;
    if (T === null) return m;
    mem(st);
    const p = this.p;
    this.p += m * T.size;
    const out = new Array(m);
    for (let i = 0; i < m; i++) out[i] = T.lift(st, p + i * T.size);
    return out;
  }
  put(run, m) {
    const st = this.st, T = this.T;
    this.k += m;
    if (T === null) return;
    mem(st);
    const p = this.p;
    this.p += m * T.size;
    let i = 0;
    // an element JS gave that does not fit its type: the ones before it were copied
    try { for (; i < m; i++) T.lower(st, run[i], p + i * T.size); } catch (e) { this.k -= m - i; this.p -= (m - i) * T.size; throw e; }
  }
  bytes(m) { const st = this.st, p = this.p; mem(st); this.p += m; this.k += m; return st.u8.subarray(p, p + m); }
  sink(m) { return this.bytes(m); }
}
// Bytes for JS come from 1 MiB slabs (one allocation per many chunks: a fresh ArrayBuffer per
// chunk costs more than the copy); a chunk is a view into a slab, which lives while any of its
// chunks does. Runs over a quarter slab get their own buffer.
const A_SLAB_SIZE = 1 << 20;
let aSlab = null, aSlabAt = 0;
function aBytes(m) {
  if (m > A_SLAB_SIZE >> 2) return new Uint8Array(m);
  if (aSlab === null || aSlabAt + m > A_SLAB_SIZE) { aSlab = new Uint8Array(A_SLAB_SIZE); aSlabAt = 0; }
  const v = aSlab.subarray(aSlabAt, aSlabAt + m);
  aSlabAt += (m + 7) & ~7;
  return v;
}
// A host buffer: the source `c` (a run) of a host writer, or `n` free places of a host reader,
// which keeps what it receives in `parts`. `fail(e)`: a writer's element did not fit its type.
class AHBuf {
  constructor(T, c, n) { this.st = null; this.T = T; this.c = c; this.n = n; this.k = 0; this.parts = []; this.fail = null; }
  remain() { return this.n - this.k; }
  take(m) {
    const o = this.k, c = this.c;
    this.k += m;
    if (this.T === null) return m;
    return o === 0 && m === c.length ? c : c.slice(o, o + m);
  }
  put(run, m) { this.k += m; this.parts.push(run); }
  bytes(m) { const o = this.k; this.k += m; return this.c.subarray(o, o + m); }
  sink(m) { this.k += m; const v = aBytes(m); this.parts.push(v); return v; }
}
// the export call that passed a failing stream or future (the task that lowered it) rejects
// with the source's error, if it is still pending
function aFailOwner(rt, owner, e) {
  if (owner !== null && owner.async && !owner.settled && rt.st.dead === null) { rt.settle(owner); owner.rej(e); }
}
// the error of an element JS gave that does not fit its type (a TypeError or RangeError, or
// the runtime's Fault of a primitive), or null for any other failure
function aMisfit(e) {
  if (e instanceof TypeError || e instanceof RangeError) return e;
  if (!(e instanceof Fault) || e.k === "G") return null;
  const m = (e.p.length ? "element" + e.p.join("") + ": " : "") + e.m;
  return e.k === "R" ? new RangeError(m) : new TypeError(m);
}
function aSameType(a, b) { return a === b || (a !== null && b !== null && a.key !== undefined && a.key === b.key); }
function aRunLen(T, run) { return T === null ? run : run.length; }
function aCopy(src, dst, m) {
  const T = src.T;
  if (src.st !== null && src.st === dst.st && !(T === null || T.num)) throw aTrap(src.st, "a copy within one instance of elements that hold pointers or handles");
  if (T !== null && T.u8) dst.sink(m).set(src.bytes(m));
  else dst.put(src.take(m), m);
}
// The shared state of one stream: at most one side (`pb`, a buffer) waits for the other.
// `onCopy(reclaim)` tells the waiting side that some elements moved (it stays waiting until
// it calls reclaim); `onDone(r)` that its copy ended: 0 completed, 1 dropped, 2 cancelled.
class AStream {
  constructor(T) { this.T = T; this.dropped = false; this.pb = null; this.pc = null; this.pd = null; }
  wait(b, c, d) { this.pb = b; this.pc = c; this.pd = d; }
  notify(r) { const d = this.pd; this.wait(null, null, null); d(r); }
  cancel() { this.notify(2); }
  drop() { if (!this.dropped) { this.dropped = true; if (this.pb !== null) this.notify(1); } }
  reclaim() { this.wait(null, null, null); }
  read(dst, onCopy, onDone) {
    if (this.dropped) onDone(1);
    else if (this.pb === null) this.wait(dst, onCopy, onDone);
    else if (this.pb.remain() > 0) {
      if (dst.remain() > 0) {
        if (this.misfit(this.pb, dst)) { onDone(1); return; }
        this.pc(() => this.reclaim());
      }
      onDone(0);
    } else { this.notify(0); this.wait(dst, onCopy, onDone); }
  }
  // copy from a waiting host writer; an element that does not fit its type ends the stream
  // (the reader keeps the elements before it) and fails the writer: true then
  misfit(src, dst) {
    try { aCopy(src, dst, Math.min(dst.remain(), src.remain())); return false; } catch (e) {
      const m = src.fail === null ? null : aMisfit(e);
      if (m === null) throw e;
      const fail = src.fail;
      this.wait(null, null, null); this.dropped = true;
      fail(m);
      return true;
    }
  }
  write(src, onCopy, onDone) {
    if (this.dropped) onDone(1);
    else if (this.pb === null) this.wait(src, onCopy, onDone);
    else if (this.pb.remain() > 0) {
      if (src.remain() > 0) { aCopy(src, this.pb, Math.min(src.remain(), this.pb.remain())); this.pc(() => this.reclaim()); }
      onDone(0);
    } else if (src.n === 0 && this.pb.n === 0) onDone(0);
    else { this.notify(0); this.wait(src, onCopy, onDone); }
  }
}
// The shared state of one future: one value moves once. A host writer's value that does not
// fit its type (a TypeError or RangeError lowering it) closes the future: the reader sees it
// dropped, the writer's `fail` gets the error.
class AFuture {
  constructor(T) { this.T = T; this.dropped = false; this.pb = null; this.pd = null; }
  notify(r) { const d = this.pd; this.pb = this.pd = null; d(r); }
  cancel() { this.notify(2); }
  drop() { if (!this.dropped) { this.dropped = true; if (this.pb !== null) this.notify(1); } }
  read(dst, onDone) {
    if (this.pb === null) { if (this.dropped) onDone(1); else { this.pb = dst; this.pd = onDone; } return; }
    const r = this.move(this.pb, dst);
    this.notify(r); onDone(r);
  }
  write(src, onDone) {
    if (this.dropped) onDone(1);
    else if (this.pb === null) { this.pb = src; this.pd = onDone; }
    else { const r = this.move(src, this.pb); this.notify(r); onDone(r); }
  }
  move(src, dst) {
    try { aCopy(src, dst, 1); return 0; } catch (e) {
      const m = src.fail == null ? null : aMisfit(e);
      if (m === null) throw e;
      this.dropped = true;
      src.fail(m);
      return 1;
    }
  }
}
// A guest's end of a stream or future: `s` 0 idle, 2 copying (async), 3 cancelling, 4 done.
function aEnd(k, sh) { return { k, sh, s: 0, ev: null, set: null }; }
// the end `h` of kind `k` whose element type must be `T`, idle
function aEndOf(st, h, k, T, what) {
  const e = st.A.t.get(h, k, what);
  if (!aSameType(e.sh.T, T)) throw aTrap(st, what + ": handle " + (h >>> 0) + " is " + A_KIND[k] + " of another element type");
  if (e.s !== 0) throw aTrap(st, what + ": " + (e.s === 4 ? "the copy has ended" : "a copy is in progress"));
  return e;
}
// a guest's copy on end `e` (handle h): the status now, or BLOCKED and an event later
function aGuestCopy(rt, e, h, code, buf, future) {
  const payload = (r) => (future ? r : r | (buf.k << 4)) >>> 0;
  const onCopy = (reclaim) => aSetEvent(rt, e, () => { reclaim(); e.s = 0; return [code, h, payload(0)]; });
  const onDone = (r) => aSetEvent(rt, e, () => { e.s = r === 1 || (future && r === 0) ? 4 : 0; return [code, h, payload(r)]; });
  if (future) e.k === "fr" ? e.sh.read(buf, onDone) : e.sh.write(buf, onDone);
  else e.k === "sr" ? e.sh.read(buf, onCopy, onDone) : e.sh.write(buf, onCopy, onDone);
  if (e.ev === null) { e.s = 2; return A_BLOCKED; }
  const f = e.ev; e.ev = null;
  return f()[2];
}
// a sync-lowered copy (`[stream-read-N]f`, ...): `copy` (the async-lowered one) started; if it
// is BLOCKED, the task waits for the end's event and the copy returns its status then. Only a
// stackful task can wait: under JSPI (a WebAssembly.Suspending import), or without it through
// aDrive; elsewhere a copy that would block traps.
function aSyncCopy(st, copy, what) {
  const f = (h, p, n) => {
    const rt = st.A, t = rt.cur;
    if (rt.stackful && !aIsStackful(t)) throw aNoSuspend(st, t);
    const r = copy(h, p, n);
    if (r !== A_BLOCKED) return rt.stackful ? rt.ready(t, r) : r;
    if (rt.nojspi && aIsStackful(t)) {
      const e = rt.t.v[h >>> 0], prev = e.set, s = { k: "set", el: new Set(), w: [] };
      aJoin(rt, e, s);
      const ev = aDrive(rt, t, () => aTakeEvent(s), what + " (sync-lowered)");
      aJoin(rt, e, prev);
      return ev[2];
    }
    if (!rt.stackful) throw aTrap(st, (t?.label ?? "a synchronous call") + ": " + what + " (sync-lowered) would block; only a stackful task can wait, through JSPI");
    const e = rt.t.v[h >>> 0], prev = e.set, s = { k: "set", el: new Set(), w: [] };
    aJoin(rt, e, s);
    return rt.suspend(t, s, false, (ev) => { aJoin(rt, e, prev); return ev[2]; });
  };
  return aSuspending(st, f);
}
function aGuestCancel(st, h, k, T, what) {
  const e = st.A.t.get(h, k, what);
  if (!aSameType(e.sh.T, T)) throw aTrap(st, what + ": handle " + (h >>> 0) + " is " + A_KIND[k] + " of another element type");
  if (e.s !== 2) throw aTrap(st, what + ": no copy is in progress");
  e.s = 3;
  if (e.ev === null) e.sh.cancel();
  const f = e.ev; e.ev = null;
  return f()[2];
}
function aGuestDrop(st, h, k, T, what) {
  const rt = st.A, e = rt.t.get(h, k, what);
  if (!aSameType(e.sh.T, T)) throw aTrap(st, what + ": handle " + (h >>> 0) + " is " + A_KIND[k] + " of another element type");
  if (e.s === 2 || e.s === 3) throw aTrap(st, what + ": a copy is in progress");
  if (k === "fw" && e.s !== 4) throw aTrap(st, what + ": the future's writable end was dropped before a value was written");
  aJoin(rt, e, null);
  rt.t.del(h >>> 0);
  e.sh.drop();
}
// take the readable end `h` out of the guest (it moves to the host or another guest)
function aTakeReadable(st, h, k, T, what) {
  const e = aEndOf(st, h, k, T, what);
  aJoin(st.A, e, null);
  st.A.t.del(h >>> 0);
  return e.sh;
}
