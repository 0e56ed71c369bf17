// FIXTURE: the glue the JS generator will emit for world `async-guest`
// (tests/guests/c/async/world.wit), written by hand until the generator is wired to the async
// runtime. The test prepends the runtime. Host imports get the runtime's options (`{ signal }`) last.
const T_u8 = { size: 1, align: 1, u8: true, num: true };
const T_u32 = { size: 4, align: 4, num: true, lift: (st, p) => st.dv.getUint32(p, true), lower: (st, v, p) => st.dv.setUint32(p, u32(v), true) };
const T_str = {
  size: 8, align: 4, num: false,
  lift: (st, p) => rstr(st, st.dv.getUint32(p, true), st.dv.getUint32(p + 4, true)),
  lower: (st, v, p) => { const q = lstr(st, v); st.dv.setUint32(p, q, true); st.dv.setUint32(p + 4, st.n, true); },
};
const HOST = "witgen:concurrency/host", PIPES = "witgen:concurrency/pipes";

function ops(prefix, O) {
  const out = {};
  for (const [op, f] of Object.entries(O)) out[prefix(op)] = f;
  return out;
}
// the core imports of stream/future type `[kind-…-0]fn`
function typed(kind, fn, O) {
  return ops((op) => (op === "read" || op === "write" ? "[async-lower]" : "") + "[" + kind + "-" + op + "-0]" + fn, O);
}
function putU32(st, rp) { return (v) => { mem(st); st.dv.setUint32(rp, u32(v), true); }; }
function retStr(st) { return (p, n) => { mem(st); return rstr(st, p, n); }; }

function prepare(imports) {
  const st = { dead: null, x: null, mem: null, dv: null, u8: null, ra: null, n: 0, lent: [] };
  aInit(st);
  const H = imports[HOST], counters = new Tbl("counter"), tallies = new Tbl("tally");
  const root = {};
  for (const k in A_ROOT) root[k] = A_ROOT[k](st);
  root["[async-lower]slow-concat"] = (a, al, b, bl, rp) => {
    mem(st);
    const x0 = rstr(st, a, al), x1 = rstr(st, b, bl);
    return aImport(st, "slow-concat", (o) => imports.slowConcat(x0, x1, o), (v) => {
      const q = lstr(st, v); st.dv.setUint32(rp, q, true); st.dv.setUint32(rp + 4, st.n, true);
    });
  };
  const host = {
    "[async-lower]slow-double": (x, y, rp) => aImport(st, "slow-double", (o) => H.slowDouble(x >>> 0, y >>> 0, o), putU32(st, rp)),
    "[async-lower]numbers": (s, n, rp) => aImport(st, "numbers", (o) => H.numbers(s >>> 0, n >>> 0, o),
      (v) => { const h = aStreamOut(st, T_u32, v, "numbers"); st.dv.setUint32(rp, h, true); }),
    "[async-lower]value-later": (x, rp) => aImport(st, "value-later", (o) => H.valueLater(x >>> 0, o),
      (v) => { const h = aFutureOut(st, T_u32, v, "value-later"); st.dv.setUint32(rp, h, true); }),
    "[async-lower]drop-future": (f) => aImport(st, "drop-future", (o) => H.dropFuture(aFutureIn(st, T_u32, f, "drop-future"), o), () => {}),
    "[constructor]counter": (start) => counters.add(new H.Counter(start >>> 0), 1),
    "[async-lower][method]counter.add": (self, n, rp) => aImport(st, "counter.add", (o) => counters.get(self).add(n >>> 0, o), putU32(st, rp)),
    "[resource-drop]counter": (h) => { counters.take(h, false); },
    ...typed("stream", "numbers", aStreamOps(st, T_u32, "stream<u32>")),
    ...typed("future", "value-later", aFutureOps(st, T_u32, "future<u32>")),
  };
  const xroot = {
    "[task-return]double-plus-one": aTaskReturn(st, "double-plus-one", (v) => v >>> 0),
    "[task-return]greet": aTaskReturn(st, "greet", retStr(st)),
    "[task-return]triple-future": aTaskReturn(st, "triple-future", (v) => v >>> 0),
    "[task-return]host-future-plus-one": aTaskReturn(st, "host-future-plus-one", (v) => v >>> 0),
    "[task-return]make-future": aTaskReturn(st, "make-future", (h) => aFutureIn(st, T_str, h, "make-future")),
    "[task-return]write-to-dropped": aTaskReturn(st, "write-to-dropped", retStr(st)),
    "[task-return]count-with": aTaskReturn(st, "count-with", (v) => v >>> 0),
    "[task-return]cancel-slow-double": aTaskReturn(st, "cancel-slow-double", retStr(st)),
    "[task-return]cancel-future-read": aTaskReturn(st, "cancel-future-read", retStr(st)),
    "[task-cancel]": A_ROOT["[task-cancel]"](st),
    ...typed("future", "make-future", aFutureOps(st, T_str, "future<string>")),
  };
  const pipes = {
    "[resource-new]tally": (rep) => tallies.add(rep, 1),
    "[task-return]sum-bytes": aTaskReturn(st, "sum-bytes", (n, s) => [n >>> 0, BigInt.asUintN(64, s)]),
    "[task-return]count-up": aTaskReturn(st, "count-up", (h) => aStreamIn(st, T_u32, h, "count-up")),
    "[task-return]shout": aTaskReturn(st, "shout", (h) => aStreamIn(st, T_str, h, "shout")),
    "[task-return]sum-host-numbers": aTaskReturn(st, "sum-host-numbers", (v) => BigInt.asUintN(64, v)),
    "[task-return][method]tally.add": aTaskReturn(st, "tally.add", (v) => v >>> 0),
    ...typed("stream", "sum-bytes", aStreamOps(st, T_u8, "stream<u8>")),
    ...typed("stream", "shout", aStreamOps(st, T_str, "stream<string>")),
  };
  return [st, { "$root": root, [HOST]: host, "[export]$root": xroot, ["[export]" + PIPES]: pipes }];
}

function finish(st, instance) {
  const x = instance.exports, A = st.A;
  st.x = x; st.mem = x.memory; st.dv = new DataView(st.mem.buffer); st.u8 = new Uint8Array(st.mem.buffer); st.ra = x.cabi_realloc;
  x._initialize();
  const call = (label, name, lower, signal) => A.call(label, lower, core(x, "[async-lift]" + name), core(x, "[callback][async-lift]" + name), signal);
  const str = (s) => () => { const p = lstr(st, s); return [p, st.n]; };
  return {
    doublePlusOne: (v) => call("double-plus-one", "double-plus-one", () => [u32(v)]),
    greet: (name) => call("greet", "greet", str(name)),
    syncDouble: (v, y) => A.sync("sync-double", () => core(x, "sync-double")(u32(v), u32(y)) >>> 0),
    tripleFuture: (f) => call("triple-future", "triple-future", () => [aFutureOut(st, T_u32, f, "triple-future")]),
    hostFuturePlusOne: (v) => call("host-future-plus-one", "host-future-plus-one", () => [u32(v)]),
    makeFuture: (s) => call("make-future", "make-future", str(s)),
    writeToDropped: () => call("write-to-dropped", "write-to-dropped", () => []),
    forgottenFuture: () => A.sync("forgotten-future", () => aFutureIn(st, T_u32, core(x, "forgotten-future")(), "forgotten-future")),
    trapAfterAwait: (v) => call("trap-after-await", "trap-after-await", () => [u32(v)]),
    countWith: (s, n) => call("count-with", "count-with", () => [u32(s), u32(n)]),
    cancelSlowDouble: (v, y) => call("cancel-slow-double", "cancel-slow-double", () => [u32(v), u32(y)]),
    cancelFutureRead: (f) => call("cancel-future-read", "cancel-future-read", () => [aFutureOut(st, T_u32, f, "cancel-future-read")]),
    pipes: {
      sumBytes: (s) => call("sum-bytes", PIPES + "#sum-bytes", () => [aStreamOut(st, T_u8, s, "sum-bytes")]),
      countUp: (s, n) => call("count-up", PIPES + "#count-up", () => [u32(s), u32(n)]),
      shout: (w) => call("shout", PIPES + "#shout", () => [aStreamOut(st, T_str, w, "shout")]),
      sumHostNumbers: (s, n) => call("sum-host-numbers", PIPES + "#sum-host-numbers", () => [u32(s), u32(n)]),
    },
    stats: () => A.stats(),
  };
}

export async function instantiate(bytes, imports) {
  const [st, io] = prepare(imports);
  const { instance } = await WebAssembly.instantiate(bytes, io);
  return finish(st, instance);
}
