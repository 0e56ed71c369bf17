// The checks of the stackful guest (stackful.wat) through JSPI, run by
// tests/js/test_js_async_runtime.py in Node 24 (--experimental-wasm-jspi) and in headless
// Chromium (stackful.html): `stackfulChecks(pkg, wasm)` with the generated package's module and
// the core module's bytes returns what the test compares.
const tick = () => new Promise((r) => setTimeout(r, 0));
async function later(n, v) { for (let i = 0; i < n; i++) await tick(); return v; }
const never = () => new Promise(() => {});

export async function stackfulChecks(p, wasm) {
  const order = [];
  // odd x: answered later (the task blocks in waitable-set.wait); even x: at once (no wait)
  const slow = (x) => (x === 1001 ? never() : x % 2 ? later(1 + ((x * 3) % 5), x * 10) : x * 10);
  const g = await p.instantiate(wasm, { slow });
  const single = [await g.doubleSlow(3), await g.doubleSlow(4)];
  const xs = Array.from({ length: 20 }, (_, i) => i + 1);
  const many = await Promise.all(xs.map((x) => g.doubleSlow(x).then((v) => (order.push(x), v))));
  async function* chunks() { for (let i = 1; i <= 5; i++) { await tick(); yield new Uint8Array(5000).fill(i); } }
  const sums = [await g.sumBytes(chunks()), await g.sumBytes(new Uint8Array(70000).fill(3)),
    await g.sumBytesSync(chunks()), await g.sumBytesSync(new Uint8Array(70000).fill(3))];
  const s = p.asyncStats(g);
  const ended = g.ended();
  // a trap in one stackful task rejects the others, blocked or not
  const pending = g.doubleSlow(1001);
  const trapped = await g.noReturn(5).catch((e) => e.name + ": " + e.message);
  const other = await pending.catch((e) => e.name);
  return { single, many, completedOutOfOrder: order.join() !== xs.join(), sums, ended, stats: [s.handles, s.pending, s.queued], trapped, other };
}
