// FIXTURE: the glue the JS generator will emit for world `misbehave-async` (misbehave.wit),
// written by hand. The test prepends the runtime.
const T_u8 = { size: 1, align: 1, u8: true, num: true };
const T_u32 = { size: 4, align: 4, num: true, lift: (st, p) => st.dv.getUint32(p, true), lower: (st, v, p) => st.dv.setUint32(p, u32(v), true) };

export async function instantiate(bytes) {
  const st = { dead: null, x: null, mem: null, dv: null, u8: null, ra: null, n: 0, lent: [] };
  aInit(st);
  const root = {};
  for (const k in A_ROOT) root[k] = A_ROOT[k](st);
  const U8 = aStreamOps(st, T_u8, "use-dropped: stream<u8>"), U32 = aStreamOps(st, T_u32, "wrong-type: stream<u32>");
  const xroot = {
    "[task-return]twice": aTaskReturn(st, "twice", (v) => v >>> 0),
    "[stream-drop-readable-0]use-dropped": U8["drop-readable"],
    "[async-lower][stream-read-0]use-dropped": U8.read,
    "[async-lower][stream-read-1]wrong-type": U32.read,
  };
  const { instance } = await WebAssembly.instantiate(bytes, { "$root": root, "[export]$root": xroot });
  const x = instance.exports, A = st.A;
  st.x = x; st.mem = x.memory; st.dv = new DataView(st.mem.buffer); st.u8 = new Uint8Array(st.mem.buffer); st.ra = x.cabi_realloc;
  const call = (name, lower) => A.call(name, lower, core(x, "[async-lift]" + name), core(x, "[callback][async-lift]" + name));
  return {
    twice: () => call("twice", () => []),
    noReturn: () => call("no-return", () => []),
    badWait: () => call("bad-wait", () => []),
    dropTwice: () => call("drop-twice", () => []),
    badCode: () => call("bad-code", () => []),
    useDropped: (s) => call("use-dropped", () => [aStreamOut(st, T_u8, s, "use-dropped")]),
    wrongType: (a, b) => call("wrong-type", () => [aStreamOut(st, T_u8, a, "wrong-type"), aStreamOut(st, T_u32, b, "wrong-type")]),
  };
}
