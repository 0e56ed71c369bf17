"""WIT async at run time: a Rust host on the generated crate runs the C guest `async`
(tests/guests/c/async: `async func` exports and imports, `future<T>` and `stream<T>` both
ways, component-model async with the callback ABI) through wasmtime's concurrent API
(`Store::run_concurrent`, `call_concurrent`, `func_wrap_concurrent` host functions taking an
`&Accessor`, `FutureReader`/`StreamReader` made with producers and read through consumers),
including cancellation by the guest; and `error-context` values with the C guest
`error-context` (hand-written canonical ABI) and hosts/error_context.rs.

Reference hosts:

- wasmtime-py 50.0.1 cannot run this guest: its component API defines only synchronous host
  functions (`LinkerInstance.add_func`; wasmtime rejects them for an `async func` import,
  "this import is declared `async func` in WIT, but was satisfied with a sync-style host
  function") and has no values for futures and streams.
- `jco transpile` (1.35) can, but only with JSPI (`WebAssembly.Suspending`), which Node 20
  lacks: it runs here in headless Chromium. It agrees on every value of the comparable
  scenarios. Where it differs, by jco's limits, not this crate's: the items of a
  `stream<u32>` the guest writes arrive as `{"0": n}` (compared as `n`); a sync export
  calling an async import fails ("trying to suspend without WebAssembly.promising", even
  when the import could answer at once; wasmtime runs it then); and `write-to-dropped`
  traps (a JS host cannot close a future it was given, so the guest's write stays blocked
  and dropping the writer traps). The last two are left out of the comparison.

So every value is also checked against what the test computes from the guest's documented
behaviour (never against output of the code under test), and the bindgen! twin of the host
(`compat-async`) must print the same.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from hostrun import guest_component, host_values
from support.missing import missing

#: the stream inputs hosts/async.rs writes (`shout`, `sum-bytes`)
WORDS = ["hi", "wörld", "", "async", "streams", "of", "strings"]
BYTES = [(i * 7) % 256 for i in range(300)]


def _guests():
    from support import guests

    return guests


@pytest.fixture(scope="module")
def component() -> Path:
    return guest_component("c", "async")


@pytest.fixture(scope="module")
def ours(host_binaries, component) -> dict[str, str]:
    return host_values(host_binaries["host-async"], component, timeout=300)


def rs(v) -> str:
    """A Python value in Rust `Debug` form (ints, strings, lists, tuples, None)."""
    if v is None:
        return "None"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(rs(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(rs(x) for x in v) + ")"
    raise TypeError(v)


def shout(word: str) -> str:
    """What the guest's `shout` makes of a word: ASCII letters upper-cased, `!` appended."""
    return "".join(c.upper() if "a" <= c <= "z" else c for c in word) + "!"


#: every value the host prints, as the guest's documented behaviour makes it
EXPECTED = {
    "double-plus-one": rs(5 * 2 + 1),
    "concurrent double-plus-one": rs([x * 2 + 1 for x in (3, 1, 2)]),
    "greet": rs("hello, wörld"),
    "greet log": rs([f"slow-concat({rs('hello, ')}, {rs('wörld')})"]),
    "triple-future": rs(3 * 7),
    "host-future-plus-one": rs(3 * 10 + 1),
    "make-future": f"Some({rs('stressed'[::-1])})",
    "sum-bytes": rs((len(BYTES), sum(BYTES))),
    "count-up": rs(list(range(10, 17))),
    "shout": rs([shout(w) for w in WORDS]),
    "sum-host-numbers": rs(sum(range(1, 101))),
    "count-with": rs(40 + 2),
    "tally add": rs([5 * 2, 5 * 2 + 7 * 2]),
    "tallies alive": rs([1, 0]),
    "sync-double now": rs(8),
}


def test_values_match_the_guests_behaviour(ours):
    for key, want in EXPECTED.items():
        assert ours.get(key) == want, f"{key}: {ours.get(key)!r} != {want!r}"


def test_concurrent_calls_are_in_flight_together(ours):
    """Three `double-plus-one` calls at once: the guest starts all three host calls before
    any answers (each task suspended in its import), and each call gets its own answer."""
    log = json.loads(ours["concurrent log"])
    starts = [e for e in log if e.endswith(" start")]
    ends = [e for e in log if e.endswith(" end")]
    assert sorted(starts) == [f"slow-double({x}) start" for x in (1, 2, 3)]
    assert sorted(ends) == [f"slow-double({x}) end" for x in (1, 2, 3)]
    assert max(log.index(s) for s in starts) < min(log.index(e) for e in ends), log
    # slow-double(x) yields x times: the one that yields least answers first
    assert ends[0] == "slow-double(1) end", log


def test_resources_with_async_methods(ours):
    """The guest awaits a method of the host's `counter` and then drops it (the host's
    destructor runs after the method returned); the host awaits the guest's `tally.add`
    (which itself awaits the host) twice on one handle, then drops it (the guest's
    destructor runs)."""
    assert ours["resources log"] == rs(
        [
            "counter 1 new",
            "counter 1 add 2",
            "counter 1 dropped",
            "slow-double(5) start",
            "slow-double(5) end",
            "slow-double(7) start",
            "slow-double(7) end",
        ]
    )


def test_stream_written_in_chunks(ours):
    """The guest writes at most 3 items per `stream.write`: 7 items reach the host's consumer
    in at least 3 writes."""
    assert int(ours["count-up writes"]) >= 3


def test_write_to_a_closed_future_reports_dropped(ours):
    """The host closes the future the guest hands it (`FutureReader::close`); the guest's
    write then completes at once with DROPPED, and dropping the writer afterwards is fine."""
    assert ours["write-to-dropped log"] == rs(["drop-future closed"])
    assert ours["write-to-dropped"] == rs("dropped")


def test_sync_export_cannot_wait_for_an_async_import(ours):
    """`sync-double(4, 1)`: the host yields before answering, so the synchronous export would
    have to block in `waitable-set.wait`, which the component model forbids: a trap."""
    assert ours["sync-double later"].startswith("Some(CannotBlockSyncTask)"), ours
    assert ours["sync-double later from"] == "run_concurrent"


def test_sync_wrappers_need_the_async_entry_points(ours):
    """A sync export's `call_*` (bindgen!'s shape: `TypedFunc::call`) fails in a store whose
    linker has concurrent host functions; its `func_*().call_concurrent` works (`sync-double
    now` above)."""
    assert ours["call_sync_double"] == rs(
        "store configuration requires that `*_async` functions are used instead"
    )


def test_trap_after_await_fails_the_call(ours):
    """The guest traps in its callback after the awaited import returned. The trap happens
    while the store's event loop runs the guest, so it fails `run_concurrent` itself (not the
    `call_*` future: no export context can be added); the instance is then poisoned, and the
    next call fails in `call_*`, with the export named."""
    assert ours["trap-after-await"].startswith("Some(UnreachableCodeReached)")
    assert ours["trap-after-await from"] == "run_concurrent"
    assert ours["trap-after-await log"] == rs(["slow-double(4) start", "slow-double(4) end"])
    assert ours["after trap"].startswith("Some(CannotEnterComponent)")
    assert ours["after trap from"] == "call"
    assert ours["context after trap"] == "error calling the guest's export `double-plus-one`"


def test_dropping_an_unwritten_future_traps(ours):
    """A future's writer dropped before writing: wasmtime rejects it (the component model
    traps), and the call of `forgotten-future` fails."""
    msg = "cannot drop future write end without first writing a value"
    assert msg in ours["forgotten-future"]
    assert ours["forgotten-future from"] == "run_concurrent"


def test_guest_cancels_a_subtask(ours):
    """`cancel-slow-double(x, yields)`: when the host answers at once there is nothing to
    cancel (`returned`, with the value); when it yields first (1000 times), the guest's
    `subtask.cancel` makes wasmtime drop the host function's future before it finished (the
    host's drop guard notes it, and its `end` line never comes), and the subtask ends
    `returned-cancelled` without writing a value."""
    assert ours["cancel-slow-double at once"] == rs(f"returned={6 * 2}")
    assert ours["cancel-slow-double later"] == rs("returned-cancelled=0")
    assert ours["cancel log"] == rs(
        ["slow-double(6) start", "slow-double(6) end", "slow-double(9) start"]
    )
    assert ours["cancel dropped early"] == rs(["slow-double(9)"])


def test_guest_cancels_a_future_read(ours):
    """`cancel-future-read`: the host's future never resolves (`std::future::pending`), so the
    guest's read blocks and its `future.cancel-read` reports `cancelled` with nothing read; a
    future with a value ready (an `async` block answering at once) is read: `completed`."""
    assert ours["cancel-future-read pending"] == rs("cancelled=0")
    assert ours["cancel-future-read ready"] == rs("completed=5")


def test_same_host_source_on_bindgen(host_binaries, component, ours):
    """hosts/async.rs compiles unchanged against `bindgen!` of the same wasmtime and prints
    the same (but the outermost error message: bindgen! adds no error context)."""
    theirs = host_values(host_binaries["compat-async"], component, timeout=300)
    strip = lambda d: {k: v for k, v in d.items() if not k.startswith("context ")}  # noqa: E731
    assert strip(theirs) == strip(ours)
    assert len(strip(ours)) >= 30
    assert theirs["context after trap"] == "wasm trap: cannot enter component instance"


# --- error-context (the C guest `error-context`, hand-written canonical ABI) -------------------


def parse_u32(s: str) -> str:
    """What the host prints for the guest's `parse-u32(s)`: `Ok(n)` for 1 to 9 ASCII digits,
    else `Err(message)` with the debug message of the guest's error-context, which the host
    hands back to the guest's `describe` (it cannot read it itself)."""
    if 1 <= len(s) <= 9 and all("0" <= c <= "9" for c in s):
        return f"Ok({int(s)})"
    return f"Err({rs(f'not a number: {chr(34)}{s}{chr(34)}')})"


@pytest.fixture(scope="module")
def errors(host_binaries) -> dict[str, str]:
    comp = guest_component("c", "error-context")
    return host_values(host_binaries["host-error_context"], comp, timeout=300)


def test_error_context_round_trip(errors):
    """The guest makes an `error-context` as the error of a `result<u32, error-context>`; the
    host receives it (`Err(ErrorContext)`) and passes it back to the guest's `describe`, which
    reads its debug message (UTF-8 intact). Three alive at once keep their own messages."""
    for s in ["1234", "12x", "", "wörld", "4294967295", "007"]:
        assert errors[f"parse-u32 {rs(s)}"] == parse_u32(s), s
    assert errors["describe in reverse"] == rs([f'not a number: "{c}"' for c in "cba"])


def test_error_context_needs_its_feature(errors):
    """wasmtime 50 rejects the component unless `Config::wasm_component_model_error_context`
    (the 📝 feature) is on."""
    msg = "requires the component model error-context feature"
    assert msg in errors["without error-context"], errors["without error-context"]


def test_error_context_host_on_bindgen(host_binaries, errors):
    """hosts/error_context.rs compiles unchanged against `bindgen!` and prints the same."""
    comp = guest_component("c", "error-context")
    theirs = host_values(host_binaries["compat-error_context"], comp, timeout=300)
    assert theirs == errors


def test_trappable_concurrent_import_error(host_binaries, component):
    """`trappable_imports`: a concurrent host function that fails (`slow-double(13)`) fails
    `run_concurrent`; the error names the import (not the export: the guest was running in
    the event loop) and still downcasts to the host's own error type."""
    got = host_values(host_binaries["host-async_trap"], component, timeout=300)
    assert got["double-plus-one 2"] == "5"
    assert got["double-plus-one 13 from"] == "run_concurrent"
    assert got["double-plus-one 13 outermost"] == rs(
        "error in the host's import `witgen:concurrency/host#slow-double`"
    ).join(["Some(", ")"])
    assert got["double-plus-one 13 names import"] == "true"
    assert got["double-plus-one 13 names export"] == "false"
    assert got["double-plus-one 13 is Unlucky"] == "Some(13)"


def test_rest_of_the_async_api_on_both(host_binaries):
    """tests/wasmtime/wit/async-api.wit (async methods and statics of imported and exported
    resources, futures and streams of every shape, `error-context`): hosts/async_api.rs
    implements every host trait and calls every export; it compiles unchanged against the
    generated crate and against bindgen! (the build of `host_binaries`), and both define
    every import on one linker without a clash. The trappable and `async` variants of the
    crate are checked by test_cargo.py (clippy, rustfmt)."""
    for name in ("host-async_api", "compat-async_api"):
        proc = subprocess.run(
            [str(host_binaries[name])], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, f"{name}:\n{proc.stdout}\n{proc.stderr}"
        assert proc.stdout.strip() == "linked = true", proc.stdout


# --- jco transpile in headless Chromium ------------------------------------------------------

PAGE = """<!doctype html>
<meta charset="utf-8">
<div id="out">pending</div>
<script type="module">
import { instantiate } from "./guest/guest.js";
const out = document.getElementById("out");
const res = {};
const tick = () => new Promise((r) => setTimeout(r, 0));
async function ticks(n) { for (let i = 0; i < n; i++) await tick(); }
// the same host as hosts/async.rs
function imports(log) {
  let counters = 0;
  return {
    "slow-concat": { default: async (a, b) => {
      await ticks(1); log.push(`slow-concat(${JSON.stringify(a)}, ${JSON.stringify(b)})`); return a + b;
    } },
    "witgen:concurrency/host": {
      slowDouble: async (x, y) => {
        log.push(`slow-double(${x}) start`); await ticks(y); log.push(`slow-double(${x}) end`);
        return (x * 2) >>> 0;
      },
      numbers: async (start, n) => (async function* () {
        for (let i = 0; i < n; i++) yield (start + i) >>> 0;
      })(),
      valueLater: async (x) => (async () => { await ticks(1); return (x * 10) >>> 0; })(),
      dropFuture: async (f) => { log.push("drop-future closed"); },
      Counter: class Counter {
        constructor(start) { this.v = start; this.id = ++counters; log.push(`counter ${this.id} new`); }
        async add(n) {
          await ticks(1); this.v = (this.v + n) >>> 0; log.push(`counter ${this.id} add ${n}`);
          return this.v;
        }
        [Symbol.dispose]() { log.push(`counter ${this.id} dropped`); }
      },
    },
  };
}
async function* items(xs) { for (const x of xs) yield x; }
async function collect(s) { const o = []; for await (const x of s) o.push(x); return o; }
// one fresh instance per scenario (a trap poisons an instance)
async function scenario(name, f) {
  const log = [];
  const timeout = new Promise((r) => setTimeout(() => r({ timeout: true }), 5000));
  try {
    const g = await instantiate(undefined, imports(log));
    res[name] = { value: await Promise.race([f(g), timeout]), log };
  } catch (e) {
    res[name] = { error: String((e && e.message) || e), log };
  }
}
await scenario("double-plus-one", (g) => g.doublePlusOne(5));
await scenario("concurrent double-plus-one", (g) => Promise.all([3, 1, 2].map((x) => g.doublePlusOne(x))));
await scenario("greet", (g) => g.greet("wörld"));
await scenario("triple-future", (g) => g.tripleFuture(Promise.resolve(7)));
await scenario("host-future-plus-one", (g) => g.hostFuturePlusOne(3));
await scenario("make-future", async (g) => await (await g.makeFuture("stressed")));
await scenario("sum-bytes", async (g) => {
  const [n, sum] = await g.pipes.sumBytes(items(BYTES)); return [n, String(sum)];
});
await scenario("count-up", async (g) => collect(await g.pipes.countUp(10, 7)));
await scenario("shout", async (g) => collect(await g.pipes.shout(items(WORDS))));
await scenario("sum-host-numbers", async (g) => String(await g.pipes.sumHostNumbers(1, 100)));
await scenario("count-with", (g) => g.countWith(40, 2));
await scenario("tally", async (g) => {
  const t = new g.pipes.Tally();
  const totals = [await t.add(5), await t.add(7)];
  const alive = [g.pipes.talliesAlive()];
  t[Symbol.dispose]();
  alive.push(g.pipes.talliesAlive());
  return [totals, alive];
});
await scenario("trap-after-await", (g) => g.trapAfterAwait(4));
await scenario("forgotten-future", async (g) => await g.forgottenFuture());
out.textContent = "RESULT:" + JSON.stringify(res);
</script>
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def log_message(self, *args):
        pass


def _jco_in_chromium(component: Path, site: Path) -> dict:
    g = _guests()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        missing("chromium not found (Debian package chromium): the JSPI host for jco")
    try:
        g.jco_transpile(component, site / "guest", "--instantiation", "async")
    except g.ToolMissing as e:
        missing(str(e))
    (site / "guest" / "node_modules").unlink(missing_ok=True)  # the guest imports no shims
    page = PAGE.replace("BYTES", json.dumps(BYTES)).replace("WORDS", json.dumps(WORDS))
    (site / "index.html").write_text(page, encoding="utf-8")
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={site / 'profile'}",
            "--virtual-time-budget=60000",
            "--dump-dom",
            f"http://127.0.0.1:{server.server_address[1]}/index.html",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if '<div id="out">pending</div>' in proc.stdout:
            # Chromium dumped the page before the guest finished (its virtual-time budget ran
            # out on a busy machine): once more, with a fresh profile
            cmd[cmd.index(f"--user-data-dir={site / 'profile'}")] = (
                f"--user-data-dir={site / 'profile2'}"
            )
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    m = re.search(r'<div id="out">(.*?)</div>', proc.stdout, re.S)
    assert m, f"no output (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    text = html.unescape(m.group(1))
    assert text.startswith("RESULT:"), text
    return json.loads(text[len("RESULT:") :])


def test_jco_in_chromium_agrees(ours, component, tmp_path):
    """The same component under jco's JS host (JSPI, headless Chromium), with the same host
    imports in JS: the same values, the same order of host events."""
    js = _jco_in_chromium(component, tmp_path)

    def value(name):
        r = js[name]
        assert "error" not in r and r["value"] != {"timeout": True}, (name, r)
        return r["value"]

    for name in ("double-plus-one", "triple-future", "host-future-plus-one"):
        assert rs(value(name)) == ours[name], name
    assert rs(value("concurrent double-plus-one")) == ours["concurrent double-plus-one"]
    assert rs(value("greet")) == ours["greet"]
    assert rs(js["greet"]["log"]) == ours["greet log"]
    assert f"Some({rs(value('make-future'))})" == ours["make-future"]
    n, total = value("sum-bytes")
    assert rs((n, int(total))) == ours["sum-bytes"]
    # jco 1.35 hands each item of a guest-written stream<u32> over as {"0": n}
    items = [x["0"] if isinstance(x, dict) else x for x in value("count-up")]
    assert rs(items) == ours["count-up"]
    assert rs(int(value("sum-host-numbers"))) == ours["sum-host-numbers"]
    assert rs(value("shout")) == ours["shout"]
    # resources with async methods, and the order of constructor, method and destructor
    assert rs(value("count-with")) == ours["count-with"]
    totals, alive = value("tally")
    assert (rs(totals), rs(alive)) == (ours["tally add"], ours["tallies alive"])
    assert rs(js["count-with"]["log"] + js["tally"]["log"]) == ours["resources log"]
    # the concurrent calls: all three host calls started before the first answer
    log = js["concurrent double-plus-one"]["log"]
    starts = [i for i, e in enumerate(log) if e.endswith(" start")]
    ends = [i for i, e in enumerate(log) if e.endswith(" end")]
    assert len(starts) == len(ends) == 3 and max(starts) < min(ends), log
    # errors: the same trap after the same awaited import, the same rejected writer drop
    assert js["trap-after-await"]["error"] == "unreachable"
    assert rs(js["trap-after-await"]["log"]) == ours["trap-after-await log"]
    msg = "cannot drop future write end without first writing a value"
    assert msg in js["forgotten-future"]["error"] and msg in ours["forgotten-future"]


#: the values the JS twin (tests/js/async/wasmtime_twin.mjs) must print exactly as the Rust host
TWIN_KEYS = [*EXPECTED, "write-to-dropped", "write-to-dropped log", "resources log"]
TWIN_KEYS += ["cancel-slow-double at once", "cancel-slow-double later"]
TWIN_KEYS += ["cancel-future-read pending", "cancel-future-read ready"]


def test_the_js_package_gives_the_same_results(ours, tmp_path):
    """Differential: the JS target's generated package runs the host's scenarios on the same
    guest (in Node 20, no flags) and prints every comparable value exactly as the wasmtime host
    does; the trap of a sync export that would block is the same trap."""
    import witgen
    from witgen.js import generate

    node = shutil.which("node")
    if node is None:
        missing("node")
    try:
        core = _guests().build_c_guest("async")
    except _guests().ToolMissing as e:
        missing(str(e))
    here = Path(__file__).resolve().parent.parent
    resolve = witgen.load(here / "guests" / "c" / "async" / "world.wit")
    for rel, data in generate(resolve, resolve.select_world("async-guest"), {}).items():
        (tmp_path / rel).write_bytes(data)
    twin = here / "js" / "async" / "wasmtime_twin.mjs"
    proc = subprocess.run(
        [node, str(twin), str(tmp_path), str(core)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    js = dict(ln.split(" = ", 1) for ln in proc.stdout.splitlines() if " = " in ln)
    for key in TWIN_KEYS:
        assert js.get(key) == ours[key], f"{key}: js {js.get(key)!r} != wasmtime {ours[key]!r}"
    assert ours["sync-double later"].startswith("Some(CannotBlockSyncTask)")
    assert js["sync-double later"] == (
        "WitTrapError: sync-double: waitable-set.wait: a synchronous task may not block"
    )

