// Drives the `c/wasi-print` guest (WASI preview 1 through wasi-libc) through a generated
// package's load(); shared by the Node test and the Chromium page of tests/js/test_js_wasi.py.
export async function run(pkg, options) {
  const logs = [];
  const r = {};
  const ex = await pkg.load({ log: (m) => logs.push(m) }, undefined, options);
  r.greet = [ex.greet("you"), ex.greet("again")];
  const [wall1, mono1] = ex.clocks();
  const [, mono2] = ex.clocks();
  r.wallSkewMs = Math.abs(Number(wall1 / 1000000n) - Date.now());
  r.monoNonDecreasing = mono2 >= mono1 && mono1 > 0n;
  const bytes = ex.random(64);
  r.random = [bytes.length, bytes.some((b) => b !== 0), ex.random(1000).length];
  r.env = [ex.env("GREETING") ?? null, ex.env("NOPE") ?? null];
  r.args = ex.args();
  r.check = ex.check(21);
  try {
    ex.check(-1);
    r.assert = "returned";
  } catch (e) {
    r.assert = [e.name, e.message];
  }
  const ex2 = await pkg.load({ log: (m) => logs.push(m) }, undefined, options);
  try {
    ex2.quit(3);
    r.exit = "returned";
  } catch (e) {
    r.exit = [e.name, e.code, e instanceof pkg.WitExitError, e.message];
  }
  try {
    ex2.greet("late");
    r.after = "returned";
  } catch (e) {
    r.after = e.name;
  }
  r.logs = logs;
  return r;
}
