// FIXTURE: the glue the JS generator will emit for world `bytes-guest` (bytes.wit), written by
// hand until the generator is wired to the async runtime. The test prepends the runtime.
const T_u8 = { size: 1, align: 1, u8: true, num: true };
// elements that hold a handle or a pointer: a stream (in a future), a list (in a stream)
const T_stream_u8 = {
  size: 4, align: 4, num: false,
  lift: (st, p) => aStreamIn(st, T_u8, st.dv.getUint32(p, true), "later-bytes"),
  lower: (st, v, p) => st.dv.setUint32(p, aStreamOut(st, T_u8, v, "later-bytes"), true),
};
const T_list_u8 = {
  size: 8, align: 4, num: false,
  lift: (st, p) => rnum(st, st.dv.getUint32(p, true), st.dv.getUint32(p + 4, true), K_u8),
  lower: (st, v, p) => { const q = lnum(st, v, K_u8); st.dv.setUint32(p, q, true); st.dv.setUint32(p + 4, st.n, true); },
};
const T_u32 = { size: 4, align: 4, num: true, lift: (st, p) => st.dv.getUint32(p, true), lower: (st, v, p) => st.dv.setUint32(p, u32(v), true) };

function prepare(imports) {
  const st = { dead: null, x: null, mem: null, dv: null, u8: null, ra: null, n: 0, lent: [] };
  aInit(st);
  const S = aStreamOps(st, T_u8, "produce"), F = aFutureOps(st, T_u32, "bump-future");
  const FS = aFutureOps(st, T_stream_u8, "later-bytes"), SL = aStreamOps(st, T_list_u8, "sum-lists");
  const root = {};
  for (const k in A_ROOT) root[k] = A_ROOT[k](st);
  root["[async-lower]bump"] = (x, rp) => aImport(st, "bump", (o) => imports.bump(x >>> 0, o), (v) => { mem(st); st.dv.setUint32(rp, u32(v), true); });
  const xroot = {
    "[task-return]produce": aTaskReturn(st, "produce", (h) => aStreamIn(st, T_u8, h, "produce")),
    "[stream-new-0]produce": S.new,
    "[async-lower][stream-read-0]produce": S.read,
    "[async-lower][stream-write-0]produce": S.write,
    "[stream-drop-readable-0]produce": S["drop-readable"],
    "[stream-drop-writable-0]produce": S["drop-writable"],
    "[task-return]inc-bytes": aTaskReturn(st, "inc-bytes", (h) => aStreamIn(st, T_u8, h, "inc-bytes")),
    "[task-return]bump-future": aTaskReturn(st, "bump-future", (v) => v >>> 0),
    "[async-lower][future-read-0]bump-future": F.read,
    "[future-cancel-read-0]bump-future": F["cancel-read"],
    "[future-drop-readable-0]bump-future": F["drop-readable"],
    "[task-cancel]": A_ROOT["[task-cancel]"](st),
    "[task-return]ticket": aTaskReturn(st, "ticket", (v) => v >>> 0),
    "[task-return]spin": aTaskReturn(st, "spin", (v) => v >>> 0),
    "[task-return]loopback": aTaskReturn(st, "loopback", (v) => v >>> 0),
    "[task-return]later-bytes": aTaskReturn(st, "later-bytes", (h) => aFutureIn(st, T_stream_u8, h, "later-bytes")),
    "[future-new-1]later-bytes": FS.new,
    "[async-lower][future-write-1]later-bytes": FS.write,
    "[future-drop-writable-1]later-bytes": FS["drop-writable"],
    "[task-return]sum-lists": aTaskReturn(st, "sum-lists", (n, s) => [n >>> 0, BigInt.asUintN(64, s)]),
    "[async-lower][stream-read-0]sum-lists": SL.read,
    "[stream-drop-readable-0]sum-lists": SL["drop-readable"],
  };
  return [st, { "$root": root, "[export]$root": xroot }];
}

function finish(st, instance) {
  const x = instance.exports, A = st.A;
  st.x = x; st.mem = x.memory; st.dv = new DataView(st.mem.buffer); st.u8 = new Uint8Array(st.mem.buffer); st.ra = x.cabi_realloc;
  x._initialize();
  const L = {};
  for (const name of ["produce", "inc-bytes", "bump-future", "ticket", "spin", "loopback", "later-bytes", "sum-lists"]) L[name] = [core(x, "[async-lift]" + name), core(x, "[callback][async-lift]" + name)];
  const lifted = (name) => L[name];
  return {
    produce: (n, chunk) => A.call("produce", () => [u32(n), u32(chunk)], ...lifted("produce")),
    produced: () => A.sync("produced", () => x.produced() >>> 0),
    incBytes: (s) => A.call("inc-bytes", () => [aStreamOut(st, T_u8, s, "inc-bytes")], ...lifted("inc-bytes")),
    bumpFuture: (f, opts) => A.call("bump-future", () => [aFutureOut(st, T_u32, f, "bump-future")], ...lifted("bump-future"), opts?.signal),
    gate: (closed) => A.sync("gate", () => { core(x, "gate")(closed ? 1 : 0); }),
    ticket: (opts) => A.call("ticket", () => [], ...lifted("ticket"), opts?.signal),
    spin: (n, opts) => A.call("spin", () => [u32(n)], ...lifted("spin"), opts?.signal),
    loopback: (n) => A.call("loopback", () => [u32(n)], ...lifted("loopback")),
    laterBytes: (n) => A.call("later-bytes", () => [u32(n)], ...lifted("later-bytes")),
    sumLists: (s) => A.call("sum-lists", () => [aStreamOut(st, T_list_u8, s, "sum-lists")], ...lifted("sum-lists")),
    stats: () => A.stats(),
  };
}

export async function instantiate(bytes, imports) {
  const [st, io] = prepare(imports);
  const { instance } = await WebAssembly.instantiate(bytes, io);
  return finish(st, instance);
}
