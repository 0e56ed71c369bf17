"""The shared JS helpers of the generated glue, each emitted only when the generated code uses it.

`HELPERS` maps a helper name to (names it depends on, code). The generator records the names
it uses; `emit` writes exactly those and their dependencies, in this table's order, so the
output is deterministic and a world that never touches (say) UTF-16 has no UTF-16 code.
"""

from __future__ import annotations

H: dict[str, tuple[tuple[str, ...], str]] = {}


def _h(name: str, deps: str, code: str) -> None:
    H[name] = (tuple(deps.split()), code.strip("\n") + "\n")


_h(
    "LE",
    "",
    """
const LE = !globalThis.__witgenForcePortable && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
""",
)
_h(
    "DISPOSE",
    "",
    """
const DISPOSE = Symbol.dispose ?? Symbol.for("nodejs.dispose");
""",
)
_h(
    "REP",
    "",
    """
const REP = Symbol("rep"), BRW = Symbol("borrowed"), FR = Symbol("finalizer");
""",
)
_h(
    "WitTrapError",
    "",
    """
export class WitTrapError extends Error { name = "WitTrapError"; }
""",
)
_h(
    "WitGuestError",
    "",
    """
export class WitGuestError extends Error { name = "WitGuestError"; }
""",
)
_h(
    "WitResultError",
    "",
    """
const RESULT_ERROR = Symbol.for("witgen.result-error");
export class WitResultError extends Error {
  constructor(payload, message) {
    super(message ?? "WIT result error: " + (typeof payload === "string" ? payload : JSON.stringify(payload, (k, x) => typeof x === "bigint" ? x + "n" : x)));
    this.name = "WitResultError";
    this.payload = payload;
  }
}
Object.defineProperty(WitResultError.prototype, RESULT_ERROR, { value: true });
function isResErr(e) { return e !== null && typeof e === "object" && e[RESULT_ERROR] === true; }
""",
)
_h(
    "Fault",
    "",
    """
class Fault { constructor(k, m) { this.k = k; this.m = m; this.p = []; } }
function seg(e, s) { if (e instanceof Fault) e.p.unshift(s); return e; }
function desc(v) {
  const t = typeof v;
  return t === "string" ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v) : t === "bigint" ? v + "n"
    : t === "function" ? "a function" : t === "object" && v !== null ? (Array.isArray(v) ? "an array" : "an object") : String(v);
}
function tyErr(m, v) { return new Fault("T", m + ", got " + desc(v)); }
function gErr(m) { return new Fault("G", m); }
""",
)
_h(
    "fail",
    "Fault WitGuestError trap",
    """
function fail(st, e, fn, root, host) {
  if (!(e instanceof Fault)) return e instanceof WebAssembly.RuntimeError ? trap(st, e, fn) : e;
  let msg = fn + ": " + root + e.p.join("") + ": " + e.m;
  if (e.k === "G") { st.dead ??= msg; return new WitGuestError(msg); }
  if (host) msg += " (returned by the host)";
  return e.k === "R" ? new RangeError(msg) : new TypeError(msg);
}
""",
)
_h(
    "trap",
    "WitTrapError",
    """
function trap(st, e, fn) {
  const t = e instanceof WebAssembly.RuntimeError;
  const m = fn + (t ? ": the guest trapped (" + e.message + "); the instance is now unusable" : ": the call failed and left the guest unfinished (" + (e?.message ?? e) + ")");
  st.dead ??= m;
  return t ? new WitTrapError(m, { cause: e }) : e;
}
function live(st, fn) { if (st.dead !== null) throw new WitTrapError(fn + ": the instance is unusable: " + st.dead); }
""",
)
_h(
    "post",
    "trap",
    """
function post(st, f, r, fn) { try { f(r); } catch (e) { throw trap(st, e, fn); } }
""",
)
_h(
    "mem",
    "",
    """
function mem(st) { const b = st.mem.buffer; if (st.u8.buffer !== b) { st.dv = new DataView(b); st.u8 = new Uint8Array(b); } }
""",
)
_h(
    "alloc",
    "mem Fault",
    """
function realloc(st, old, oldSize, align, size) {
  const p = st.ra(old, oldSize, align, size) >>> 0;
  mem(st);
  if (p % align !== 0 || p + size > st.u8.length) throw gErr("cabi_realloc returned a bad pointer " + p);
  return p;
}
function alloc(st, size, align) {
  if (size >= 2 ** 32) throw new Fault("R", size + " bytes do not fit in a 32-bit memory");
  return realloc(st, 0, 0, align, size);
}
""",
)
_h(
    "rng",
    "Fault",
    """
function rng(st, p, n, align) {
  p >>>= 0;
  if (p % align !== 0) throw gErr("misaligned pointer " + p + " (alignment " + align + ")");
  if (p + n > st.u8.length) throw gErr("out-of-bounds pointer " + p + " (" + n + " bytes; memory has " + st.u8.length + ")");
  return p;
}
""",
)
_h(
    "ints",
    "Fault",
    """
function intErr(v, t, lo, hi, big) {
  const k = typeof v;
  if (k !== "number" && !(big && k === "bigint")) return tyErr("expected " + (k === "bigint" ? "a number" : "an integer") + " (" + t + ")", v);
  if (k === "number" && !Number.isInteger(v)) return new Fault("R", desc(v) + " is not an integer");
  return new Fault("R", desc(v) + " is out of range for " + t + " (" + lo + ".." + hi + ")");
}
""",
)
for _name, _expr, _lo, _hi in (
    ("u8", "v & 255", "0", "255"),
    ("s8", "v << 24 >> 24", "-128", "127"),
    ("u16", "v & 65535", "0", "65535"),
    ("s16", "v << 16 >> 16", "-32768", "32767"),
    ("u32", "v >>> 0", "0", "4294967295"),
    ("s32", "v | 0", "-2147483648", "2147483647"),
):
    _h(
        _name,
        "ints",
        f"""
function {_name}(v) {{ if (typeof v !== "number" || v !== ({_expr})) throw intErr(v, "{_name}", "{_lo}", "{_hi}"); return v; }}
""",
    )
_h(
    "u64",
    "ints",
    """
function u64(v) {
  if (typeof v === "bigint" ? v === BigInt.asUintN(64, v) : Number.isInteger(v) && v >= 0 && v < 18446744073709551616) return BigInt(v);
  throw intErr(v, "u64", "0", "2^64-1", 1);
}
""",
)
_h(
    "s64",
    "ints",
    """
function s64(v) {
  if (typeof v === "bigint" ? v === BigInt.asIntN(64, v) : Number.isInteger(v) && v >= -9223372036854775808 && v < 9223372036854775808) return BigInt(v);
  throw intErr(v, "s64", "-2^63", "2^63-1", 1);
}
""",
)
_h(
    "flt",
    "Fault",
    """
function flt(v) { if (typeof v !== "number") throw tyErr("expected a number", v); return v; }
""",
)
_h(
    "bool",
    "Fault",
    """
function bool(v) { if (typeof v !== "boolean") throw tyErr("expected a boolean", v); return v ? 1 : 0; }
""",
)
_h(
    "chr",
    "Fault",
    """
function chr(v) {
  if (typeof v === "string") { const c = v.codePointAt(0); if (v.length === (c > 0xffff ? 2 : 1) && (c < 0xd800 || c > 0xdfff)) return c; }
  throw tyErr("expected a string of one Unicode scalar value", v);
}
function rchr(c) {
  c >>>= 0;
  if (c >= 0x110000 || (c >= 0xd800 && c < 0xe000)) throw gErr("invalid char " + c);
  return String.fromCodePoint(c);
}
""",
)
_h(
    "str",
    "Fault",
    """
function str(v) {
  if (typeof v !== "string") throw tyErr("expected a string", v);
  if (!v.isWellFormed()) throw new Fault("T", "the string has an unpaired surrogate");
  return v;
}
""",
)
_h(
    "lstr",
    "str alloc",
    """
const ENC = new TextEncoder();
function lstr(st, v) {
  str(v);
  const n = v.length;
  if (n === 0) { st.n = 0; return 1; }
  let p = alloc(st, n, 1), u = st.u8, i = 0;
  if (n <= 64) for (; i < n; i++) { const c = v.charCodeAt(i); if (c > 127) break; u[p + i] = c; }
  if (i === n) { st.n = n; return p; }
  const rest = i ? v.slice(i) : v;
  let cap = n, r = ENC.encodeInto(rest, u.subarray(p + i, p + cap)), w = i + r.written;
  if (r.read < rest.length) {
    const big = w + (rest.length - r.read) * 3;
    p = realloc(st, p, cap, 1, big); cap = big;
    r = ENC.encodeInto(rest.slice(r.read), st.u8.subarray(p + w, p + cap)); w += r.written;
  }
  if (w < cap) p = realloc(st, p, cap, 1, w);
  st.n = w;
  return p;
}
""",
)
_h(
    "rstr",
    "rng",
    """
const DEC = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });  // keep a leading U+FEFF
function rstr(st, p, n) {
  n >>>= 0; p = rng(st, p, n, 1);
  const u = st.u8;
  if (n <= 32) {
    let s = "";
    for (let i = 0; i < n; i++) { const c = u[p + i]; if (c > 127) { s = null; break; } s += String.fromCharCode(c); }
    if (s !== null) return s;
  }
  try { return DEC.decode(u.subarray(p, p + n)); } catch { throw gErr("invalid UTF-8 in a string"); }
}
""",
)
_h(
    "lstr16",
    "str alloc",
    """
function lstr16(st, v) {
  str(v);
  const n = v.length;
  if (n === 0) { st.n = 0; return 2; }
  const p = alloc(st, 2 * n, 2), d = st.dv;
  for (let i = 0; i < n; i++) d.setUint16(p + 2 * i, v.charCodeAt(i), true);
  st.n = n;
  return p;
}
""",
)
_h(
    "rstr16",
    "rng Fault",
    """
function rstr16(st, p, n) {
  n >>>= 0; p = rng(st, p, 2 * n, 2);
  const d = st.dv;
  let s = "";
  for (let i = 0; i < n; i += 4096) {
    const m = Math.min(4096, n - i), a = new Array(m);
    for (let j = 0; j < m; j++) a[j] = d.getUint16(p + 2 * (i + j), true);
    s += String.fromCharCode.apply(null, a);
  }
  if (!s.isWellFormed()) throw gErr("invalid UTF-16 in a string (unpaired surrogate)");
  return s;
}
""",
)
_h(
    "lstrL",
    "lstr16",
    """
function lstrL(st, v) {
  str(v);
  const n = v.length;
  if (n === 0) { st.n = 0; return 2; }
  let i = 0;
  while (i < n && v.charCodeAt(i) < 256) i++;
  if (i < n) { const p = lstr16(st, v); st.n = (n | 0x80000000) >>> 0; return p; }
  const p = alloc(st, n, 2), u = st.u8;
  for (let j = 0; j < n; j++) u[p + j] = v.charCodeAt(j);
  st.n = n;
  return p;
}
""",
)
_h(
    "rstrL",
    "rstr16",
    """
function rstrL(st, p, n) {
  n >>>= 0;
  if (n & 0x80000000) return rstr16(st, p, n & 0x7fffffff);
  p = rng(st, p, n, 2);
  const u = st.u8;
  let s = "";
  for (let i = 0; i < n; i += 4096) s += String.fromCharCode.apply(null, u.subarray(p + i, p + Math.min(n, i + 4096)));
  return s;
}
""",
)
_h(
    "llist",
    "alloc",
    """
function llist(st, v, size, align, put) {
  if (!Array.isArray(v)) throw tyErr("expected an array", v);
  const n = v.length;
  if (n === 0) { st.n = 0; return align; }
  const p = alloc(st, n * size, align);
  for (let i = 0; i < n; i++) { try { put(st, v[i], p + i * size); } catch (e) { throw seg(e, "[" + i + "]"); } }
  st.n = n;
  return p;
}
""",
)
_h(
    "mapIn",
    "Fault",
    """
// a real Map (the intrinsic `size` getter throws for anything else), read by the intrinsic `entries`
const MAP_SIZE = Object.getOwnPropertyDescriptor(Map.prototype, "size").get, MAP_ENTRIES = Map.prototype.entries;
function mapIn(v) {
  try { MAP_SIZE.call(v); } catch { throw tyErr("expected a Map", v); }
  return Array.from(MAP_ENTRIES.call(v));
}
""",
)
_h(
    "rlist",
    "rng",
    """
function rlist(st, p, n, size, align, get) {
  n >>>= 0; p = rng(st, p, n * size, align);
  const out = new Array(n);
  for (let i = 0; i < n; i++) { try { out[i] = get(st, p + i * size); } catch (e) { throw seg(e, "[" + i + "]"); } }
  return out;
}
""",
)
# A typed array is judged by its internal slots (through the intrinsic getters of
# %TypedArray%.prototype, which throw for anything else), never by its `length` property or its
# prototype, which a subclass or a plain object can fake.
_h(
    "ta",
    "",
    """
const TA = Object.getOwnPropertyDescriptors(Object.getPrototypeOf(Int8Array.prototype)), TAG = TA[Symbol.toStringTag].get, LEN = TA.length.get;
""",
)
_h(
    "lnum",
    "alloc LE ta",
    """
function lnum(st, v, K) {
  const z = K.z, t = ArrayBuffer.isView(v) && TAG.call(v) === K.A.name;
  if (!t && !Array.isArray(v)) throw tyErr("expected a " + K.A.name + " or an array", v);
  const n = t ? LEN.call(v) : v.length;
  if (n === 0) { st.n = 0; return z; }
  let x = v;
  if (!t) { x = new Array(n); for (let i = 0; i < n; i++) { try { x[i] = K.c(v[i]); } catch (e) { throw seg(e, "[" + i + "]"); } } }
  const p = alloc(st, n * z, z);
  if (t && z === 1) st.u8.set(v, p);
  else if (t && LE) new K.A(st.mem.buffer, p, n).set(v);
  else { const d = st.dv; for (let i = 0; i < n; i++) K.w(d, p + i * z, x[i]); }
  st.n = n;
  return p;
}
""",
)
_h(
    "rnum",
    "rng LE",
    """
function rnum(st, p, n, K) {
  const z = K.z;
  n >>>= 0; p = rng(st, p, n * z, z);
  let a;
  if (z === 1 || LE) a = new K.A(st.mem.buffer, p, n).slice();
  else { a = new K.A(n); const d = st.dv; for (let i = 0; i < n; i++) a[i] = K.r(d, p + i * z); }
  if (K.f) for (let i = 0; i < n; i++) if (a[i] !== a[i]) a[i] = NaN;
  return a;
}
""",
)
_NUMK = {
    "u8": ("Uint8Array", 1, "Uint8", "u8"),
    "s8": ("Int8Array", 1, "Int8", "s8"),
    "u16": ("Uint16Array", 2, "Uint16", "u16"),
    "s16": ("Int16Array", 2, "Int16", "s16"),
    "u32": ("Uint32Array", 4, "Uint32", "u32"),
    "s32": ("Int32Array", 4, "Int32", "s32"),
    "u64": ("BigUint64Array", 8, "BigUint64", "u64"),
    "s64": ("BigInt64Array", 8, "BigInt64", "s64"),
    "f32": ("Float32Array", 4, "Float32", "flt"),
    "f64": ("Float64Array", 8, "Float64", "flt"),
}
NUMERIC_ARRAYS = {k: v[0] for k, v in _NUMK.items()}
for _k, (_arr, _z, _dv, _chk) in _NUMK.items():
    _f = ", f: true" if _k.startswith("f") else ""
    _le = ", true" if _z > 1 else ""
    _r = (
        f", r: (d, p) => d.get{_dv}(p{_le})" if _z > 1 else ""
    )  # 1-byte lists are always copied whole
    _h(
        f"K_{_k}",
        _chk,
        f"""
const K_{_k} = {{ A: {_arr}, z: {_z}, c: {_chk}, w: (d, p, x) => d.set{_dv}(p, x{_le}){_r}{_f} }};
""",
    )
# Data (records, flags, variants) is read from a value's own properties only: a field a record
# lacks is missing (or none, for an option), whatever Object.prototype holds.
_h(
    "own",
    "Fault",
    """
function own(o, k) { return Object.hasOwn(o, k) ? o[k] : undefined; }
function field(o, k) { if (!Object.hasOwn(o, k)) throw new Fault("T", "missing"); return o[k]; }
""",
)
# Behaviour (import functions, host resource methods and statics) may live on a class, but a
# name that resolves to what every object or function inherits (`toString`, `constructor`,
# `call`, ...) is not the host's.
_h(
    "prop",
    "",
    """
function prop(o, k) { const v = o?.[k]; if (v !== Object.prototype[k] && v !== Function.prototype[k]) return v; }
""",
)
_h(
    "flags",
    "Fault own",
    """
function flagsIn(v, names, w) {
  if (v === null || typeof v !== "object") throw tyErr("expected an object of booleans", v);
  if (w === 0) for (const k of Object.keys(v)) if (!names.includes(k)) throw new Fault("T", "unknown flag `" + k + "`; the flags are " + names.join(", "));
  let bits = 0;
  for (let i = 32 * w, e = Math.min(names.length, i + 32); i < e; i++) {
    const x = own(v, names[i]);
    if (x === true) bits |= 1 << (i - 32 * w);
    else if (x !== false && x !== undefined) throw seg(tyErr("expected a boolean", x), "." + names[i]);
  }
  return bits;
}
function flagsOut(names, words) {
  const o = {};
  for (let w = 0; w < words.length; w++) {
    const bits = words[w] >>> 0, n = Math.min(32, names.length - 32 * w);
    if (n < 32 && bits >>> n) throw gErr("invalid flags bits 0x" + bits.toString(16) + " (" + names.length + " flags)");
    for (let i = 0; i < n; i++) o[names[32 * w + i]] = (bits & (1 << i)) !== 0;
  }
  return o;
}
""",
)
_h(
    "enm",
    "Fault",
    """
function enumIn(v, names) {
  const i = typeof v === "string" ? names.indexOf(v) : -1;
  if (i < 0) throw tyErr("expected one of " + names.map((x) => JSON.stringify(x)).join(", "), v);
  return i;
}
function enumOut(i, names) {
  if (i >>> 0 >= names.length) throw gErr("invalid enum discriminant " + (i >>> 0) + " (" + names.length + " cases)");
  return names[i];
}
""",
)
_h(
    "tagIn",
    "Fault own",
    """
function tagIn(v, tags) {
  if (v === null || typeof v !== "object") throw tyErr("expected an object { tag, val }", v);
  const t = own(v, "tag"), i = typeof t === "string" ? tags.indexOf(t) : -1;
  if (i < 0) throw seg(tyErr("expected one of " + tags.map((x) => JSON.stringify(x)).join(", "), t), ".tag");
  return i;
}
function badTag(d, n) { return gErr("invalid discriminant " + (d >>> 0) + " (" + n + " cases)"); }
""",
)
_h(
    "flat",
    "",
    """
const F32 = new Float32Array(1), I32 = new Int32Array(F32.buffer), F64 = new Float64Array(1), I64 = new BigInt64Array(F64.buffer);
function f2i(x) { F32[0] = x; return I32[0]; }
function i2f(x) { I32[0] = x; return F32[0]; }
function d2l(x) { F64[0] = x; return I64[0]; }
function l2d(x) { I64[0] = x; return F64[0]; }
""",
)
_h(
    "Tbl",
    "Fault",
    """
// A handle table: handle -> value, with 1 = own and 2 = borrow; handle 0 is never valid.
class Tbl {
  constructor(name) { this.name = name; this.v = [undefined]; this.s = [0]; this.free = []; }
  add(v, s) {
    const h = this.free.length ? this.free.pop() : this.v.length;
    this.v[h] = v; this.s[h] = s;
    return h;
  }
  get(h) {
    h >>>= 0;
    if (!this.s[h]) throw gErr("unknown handle " + h + " of resource `" + this.name + "`");
    return this.v[h];
  }
  take(h, own) {
    h >>>= 0;
    const v = this.get(h);
    if (own && this.s[h] !== 1) throw gErr("handle " + h + " of resource `" + this.name + "` is a borrow where an own was expected");
    this.v[h] = undefined; this.s[h] = 0; this.free.push(h);
    return v;
  }
}
""",
)
_h(
    "xres",
    "REP DISPOSE Fault",
    """
function wrapRes(C, rep) {
  const o = Object.create(C.prototype);
  o[REP] = rep;
  C[FR].register(o, rep, o);
  return o;
}
function borrowRes(C, rep) { const o = Object.create(C.prototype); o[REP] = rep; o[BRW] = true; return o; }
function repOf(C, v, move) {
  if (!(v instanceof C)) throw tyErr("expected a " + C.name + " of this instance", v);
  const r = v[REP];
  if (r === undefined) throw new Fault("T", "this " + C.name + " was already dropped");
  if (move) {
    if (v[BRW]) throw new Fault("T", "this " + C.name + " is borrowed and cannot be moved");
    v[REP] = undefined; C[FR].unregister(v);
  }
  return r;
}
function disposeRes(st, C, v, dtor) {
  if (!(v instanceof C)) throw new TypeError(C.name + "[Symbol.dispose]: self: " + tyErr("expected a " + C.name + " of this instance", v).m);
  const r = v[REP];
  if (r === undefined || v[BRW]) return;
  v[REP] = undefined; C[FR].unregister(v);
  if (dtor && st.dead === null) dtor(r);
}
""",
)
_h(
    "ires",
    "Fault prop",
    """
function hostRes(v, C, name) {
  if (v === null || (typeof v !== "object" && typeof v !== "function") || (C && !(v instanceof C))) throw tyErr("expected a " + name + " object", v);
  return v;
}
function hostMethod(o, m, name) {
  const f = prop(o, m);
  if (typeof f !== "function") throw new TypeError(name + ": the host object does not implement `" + m + "`");
  return f;
}
""",
)
_h(
    "need",
    "prop",
    """
function need(obj, key, what, o) {
  const v = prop(obj, key);
  if (typeof v !== "function" && !(o && typeof v === "object" && v !== null)) throw new TypeError("imports: " + what + " must be " + (o ? "an object" : "a function"));
  return v;
}
""",
)
_h(
    "needObj",
    "need",
    """
function needObj(obj, key, what) { return need(obj, key, what, true); }
""",
)
_h(
    "lend",
    "",
    """
function lend(st, t, v) { const h = t.add(v, 2); st.lent.push(t, h); return h; }
function unlend(st) {
  const l = st.lent;
  for (let i = 0; i < l.length; i += 2) { const t = l[i], h = l[i + 1]; if (t.s[h] === 2) { t.v[h] = undefined; t.s[h] = 0; t.free.push(h); } }
  l.length = 0;
}
""",
)
_h(
    "core",
    "",
    """
function core(x, name) {
  const f = x[name];
  if (typeof f !== "function") throw new TypeError("the core module does not export the function `" + name + "`");
  return f;
}
""",
)

def emit(used: set[str]) -> str:
    """The code of the helpers in `used` and everything they depend on, in table order."""
    need: set[str] = set()

    def visit(name: str) -> None:
        if name in need:
            return
        need.add(name)
        for dep in H[name][0]:
            visit(dep)

    for name in used:
        visit(name)
    return "".join(H[name][1] for name in H if name in need)
