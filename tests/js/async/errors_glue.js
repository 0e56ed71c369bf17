// FIXTURE: the glue the JS generator will emit for world `error-guest`
// (tests/guests/c/error-context/world.wit), written by hand until the generator is wired to the
// async runtime. The test prepends the runtime.
function finish(st, instance) {
  const x = instance.exports, A = st.A;
  st.x = x; st.mem = x.memory; st.dv = new DataView(st.mem.buffer); st.u8 = new Uint8Array(st.mem.buffer); st.ra = x.cabi_realloc;
  x._initialize?.();
  return {
    parseU32: (s) => A.sync("parse-u32", () => {
      const p = lstr(st, s), r = core(x, "parse-u32")(p, st.n) >>> 0;
      mem(st);
      const tag = st.dv.getUint8(r), v = st.dv.getUint32(r + 4, true);
      return tag === 0 ? { tag: "ok", val: v } : { tag: "err", val: aErrIn(st, v, "parse-u32") };
    }),
    describe: (e) => A.sync("describe", () => {
      const r = core(x, "describe")(aErrOut(st, e)) >>> 0;
      mem(st);
      const s = rstr(st, st.dv.getUint32(r, true), st.dv.getUint32(r + 4, true));
      core(x, "cabi_post_describe")(r);
      return s;
    }),
    stats: () => A.stats(),
  };
}

export async function instantiate(bytes) {
  const st = { dead: null, x: null, mem: null, dv: null, u8: null, ra: null, n: 0, lent: [] };
  aInit(st);
  const root = {};
  for (const k in A_ROOT) root[k] = A_ROOT[k](st);
  const { instance } = await WebAssembly.instantiate(bytes, { "$root": root });
  return finish(st, instance);
}
