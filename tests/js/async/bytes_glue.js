// FIXTURE: the glue the JS generator will emit for world `bytes-guest` (bytes.wit), written by
// hand until the generator is wired to the async runtime. The test prepends the runtime.
const T_u8 = { size: 1, align: 1, u8: true, num: true };
const T_u32 = { size: 4, align: 4, num: true, lift: (st, p) => st.dv.getUint32(p, true), lower: (st, v, p) => st.dv.setUint32(p, u32(v), true) };

function prepare(imports) {
  const st = { dead: null, x: null, mem: null, dv: null, u8: null, ra: null, n: 0, lent: [] };
  aInit(st);
  const S = aStreamOps(st, T_u8, "produce"), F = aFutureOps(st, T_u32, "bump-future");
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
  };
  return [st, { "$root": root, "[export]$root": xroot }];
}

function finish(st, instance) {
  const x = instance.exports, A = st.A;
  st.x = x; st.mem = x.memory; st.dv = new DataView(st.mem.buffer); st.u8 = new Uint8Array(st.mem.buffer); st.ra = x.cabi_realloc;
  x._initialize();
  const lifted = (name) => [core(x, "[async-lift]" + name), core(x, "[callback][async-lift]" + name)];
  return {
    produce: (n, chunk) => A.call("produce", () => [u32(n), u32(chunk)], ...lifted("produce")),
    produced: () => A.sync("produced", () => x.produced() >>> 0),
    incBytes: (s) => A.call("inc-bytes", () => [aStreamOut(st, T_u8, s, "inc-bytes")], ...lifted("inc-bytes")),
    bumpFuture: (f, opts) => A.call("bump-future", () => [aFutureOut(st, T_u32, f, "bump-future")], ...lifted("bump-future"), opts?.signal),
    gate: (closed) => A.sync("gate", () => { core(x, "gate")(closed ? 1 : 0); }),
    ticket: (opts) => A.call("ticket", () => [], ...lifted("ticket"), opts?.signal),
    spin: (n) => A.call("spin", () => [u32(n)], ...lifted("spin")),
    loopback: (n) => A.call("loopback", () => [u32(n)], ...lifted("loopback")),
    stats: () => A.stats(),
  };
}

export async function instantiate(bytes, imports) {
  const [st, io] = prepare(imports);
  const { instance } = await WebAssembly.instantiate(bytes, io);
  return finish(st, instance);
}
