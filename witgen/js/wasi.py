"""WASI preview 1 in the JS package, for guests built with wasi-libc (`printf`, `assert`,
`exit`, clocks, random, environment, arguments): they import `wasi_snapshot_preview1` beside
the world's functions.

A package has it when the `wasi` option is true, or (option unset) when its bundled core module
imports WASI preview 1 (`uses_wasi`). Then:

- `bindings.js` exports `WitExitError` (the guest called `proc_exit`, e.g. C `exit(3)`; it has
  the `code`) and `wasiShim(options)`, a small preview 1 implementation in plain JS (`SHIM`):
  `fd_write` to stdout/stderr as lines to `console` or to callbacks, the realtime and monotonic
  clocks, `random_get` through `crypto.getRandomValues`, `args`/`environ`, `proc_exit` throwing
  `WitExitError`; stdio reports itself a character device (so C stdout is line-buffered);
  every other call returns `ENOSYS`, and there are no preopened directories;
- `load(imports, source, { wasi })` provides it unless `wasi` is false: the Node entry with
  `node:wasi` (imported when first needed, `NODE`), unless a `stdout`/`stderr` callback asks for
  the shim; the browser entry with the shim. `wasi` may also be a ready implementation (an
  object with `wasiImport` and `initialize(instance)`, as node:wasi's `WASI` is).
"""

from __future__ import annotations

from witgen.guest.check import WASI_PREVIEW1_MODULES
from witgen.guest.reader import WasmFormatError, parse_module


def uses_wasi(data: bytes) -> bool:
    """Whether core module `data` imports WASI preview 1."""
    try:
        return any(i.module in WASI_PREVIEW1_MODULES for i in parse_module(data).imports)
    except WasmFormatError:
        return False


#: the bindings' part: `WitExitError` and the shim
SHIM = r"""
/** The guest called WASI `proc_exit` (C `exit(code)`); the instance is unusable. */
export class WitExitError extends Error {
  name = "WitExitError";
  constructor(code) { super("the guest exited with code " + code); this.code = code; }
}
/** A small WASI preview 1 for any JS engine: stdio lines, clocks, random, args/env, exit. */
export function wasiShim(options = {}) {
  const te = new TextEncoder();
  const args = Array.from(options.args ?? [], String);
  const env = Object.entries(options.env ?? {}).map(([k, v]) => k + "=" + v);
  const sinks = [options.stdout ?? ((l) => console.log(l)), options.stderr ?? ((l) => console.error(l))];
  const dec = [0, 1].map(() => new TextDecoder("utf-8", { ignoreBOM: true })), rest = ["", ""];  // keep a leading U+FEFF
  let mem = null;
  const dv = () => new DataView(mem.buffer), u8 = () => new Uint8Array(mem.buffer);
  const put = (list, ptrs, buf) => {
    for (const s of list) {
      const b = te.encode(s + "\0");
      dv().setUint32(ptrs, buf, true); u8().set(b, buf);
      ptrs += 4; buf += b.length;
    }
    return 0;
  };
  const sizes = (list, pc, ps) => {
    dv().setUint32(pc, list.length, true);
    dv().setUint32(ps, list.reduce((n, s) => n + te.encode(s).length + 1, 0), true);
    return 0;
  };
  const flush = (i, all) => {
    const lines = rest[i].split("\n");
    rest[i] = lines.pop();
    if (all && rest[i] !== "") { lines.push(rest[i]); rest[i] = ""; }
    for (const l of lines) sinks[i](l);
  };
  const ns = (id) => (id === 0 ? BigInt(Date.now()) * 1000000n : id <= 3 ? BigInt(Math.round(performance.now() * 1e6)) : null);
  const own = {
    args_get: (a, b) => put(args, a, b),
    args_sizes_get: (c, s) => sizes(args, c, s),
    environ_get: (a, b) => put(env, a, b),
    environ_sizes_get: (c, s) => sizes(env, c, s),
    clock_res_get: (id, p) => { if (ns(id) === null) return 28; dv().setBigUint64(p, 1000n, true); return 0; },
    clock_time_get: (id, _precision, p) => { const t = ns(id); if (t === null) return 28; dv().setBigUint64(p, t, true); return 0; },
    random_get: (p, n) => { for (let i = 0; i < n; i += 65536) crypto.getRandomValues(u8().subarray(p + i, p + Math.min(n, i + 65536))); return 0; },
    fd_write: (fd, iovs, n, written) => {
      if (fd !== 1 && fd !== 2) return 8;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = dv().getUint32(iovs + 8 * i, true), len = dv().getUint32(iovs + 8 * i + 4, true);
        rest[fd - 1] += dec[fd - 1].decode(u8().subarray(p, p + len), { stream: true });
        total += len;
      }
      flush(fd - 1, false);
      dv().setUint32(written, total, true);
      return 0;
    },
    fd_fdstat_get: (fd, p) => {
      if (fd > 2) return 8;
      const d = dv();
      d.setUint8(p, 2); d.setUint16(p + 2, 0, true); d.setBigUint64(p + 8, 0n, true); d.setBigUint64(p + 16, 0n, true);
      return 0;
    },
    fd_close: (fd) => (fd > 2 ? 8 : 0),
    fd_seek: (fd) => (fd > 2 ? 8 : 70),
    fd_prestat_get: () => 8,
    fd_prestat_dir_name: () => 8,
    sched_yield: () => 0,
    proc_exit: (code) => {
      flush(0, true); flush(1, true);
      throw new WitExitError(code);
    },
  };
  const ENOSYS = () => 52;
  const wasiImport = new Proxy(own, { get: (t, k) => (Object.hasOwn(t, k) ? t[k] : ENOSYS) });
  return {
    wasiImport,
    initialize(instance) {
      mem = instance.exports.memory;
      if (!(mem instanceof WebAssembly.Memory)) throw new TypeError("WASI: the core module does not export `memory`");
      if (typeof instance.exports._initialize === "function") instance.exports._initialize();
    },
  };
}
"""

#: the entries' part: `options.wasi` made into an implementation (`make` builds the default)
WITH_WASI = r"""
/** `options` with `wasi` made into an implementation, unless it is false or one already. */
async function withWasi(options, make) {
  const w = options?.wasi;
  if (w === false || (w !== null && typeof w === "object" && "wasiImport" in w)) return options;
  if (w !== undefined && w !== true && (w === null || typeof w !== "object")) throw new TypeError("options.wasi must be true, false, WASI options ({ args, env, stdout, stderr }) or a WASI implementation");
  return { ...options, wasi: await make(w === true || w === undefined ? {} : w) };
}
"""

#: the Node entry's default: node:wasi (imported on first use), exit as `WitExitError`
NODE = r"""
async function nodeWasi(o) {
  if (o.stdout || o.stderr) return wasiShim(o);
  const { WASI } = await import("node:wasi");
  const w = new WASI({ version: "preview1", args: Array.from(o.args ?? [], String), env: o.env ?? {}, returnOnExit: true });
  const wasiImport = { ...w.wasiImport, proc_exit(code) { throw new WitExitError(code); } };
  return { wasiImport, initialize: (instance) => w.initialize(instance) };
}
"""
