"""The JS async runtime on hand-written guests (WAT, each checked by `wasm-tools component new`
against its WIT) and on guests linked through the host: error contexts of a UTF-16 guest
(errors16.wat), a future moving between two instances (futures.wat), one guest's async import
served by another's async export (bytes-guest and the c/async guest, two packages), and a guest
lifting its exports stackful (stackful.wat) through JSPI in Node 24 and headless Chromium, and
its clear error where it blocks on a host Promise without JSPI (Node 20; guests linked through
the host without JSPI: test_js_async_linked.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from async_support import HERE, build_packages, run_page, wat_guest, write_package
from js_support import node24, node_exe
from support import guests
from support.missing import missing

import witgen
from witgen.js import generate


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    return build_packages(tmp_path_factory.mktemp("jsasync-guests"))


#: debug messages for the UTF-16 guest: ASCII, latin1, BMP, astral, NUL, empty
MESSAGES = ["plain", "café", "✓ done", "emoji 😀 here", "nul\0inside", ""]


def test_error_contexts_of_a_utf16_guest(tmp_path):
    """A guest built with string-encoding=utf16 (errors16.wat) makes and reads error contexts
    through the UTF-16 and latin1+UTF-16 built-ins; the expected messages, units and bytes are
    Python's own encodings of the inputs."""
    core = wat_guest(tmp_path, "errors16", "error-guest16", "utf16")
    resolve = witgen.load(HERE / "errors16.wit")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    world = resolve.select_world("error-guest16")
    for rel, data in generate(resolve, world, {"string_encoding": "utf16"}).items():
        (pkg / rel).write_bytes(data)
    script = (
        f"const p = await import({json.dumps((pkg / 'index.js').as_uri())});"
        "const fs = await import('node:fs/promises');"
        f"const g = await p.instantiate(await fs.readFile({json.dumps(str(core))}));"
        f"const ms = {json.dumps(MESSAGES)};"
        "const out = ms.map((m) => { const e = g.make(m), t = g.makeTagged(m);"
        "  const [w, b] = g.describeCompact(new Error(m));"
        "  return [e.name, e.message, t.message, g.describe(m), g.describe(e), w, [...b]]; });"
        "const latin = g.makeLatin1(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0xff])).message;"
        "console.log(JSON.stringify({ out, latin, handles: p.asyncStats(g).handles }));"
    )
    proc = subprocess.run(
        [node_exe(), "--input-type=module", "-e", script], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    for m, row in zip(MESSAGES, got["out"], strict=True):
        latin1 = all(ord(c) < 256 for c in m)
        units = len(m.encode("utf-16-le")) // 2
        word, data = (
            (len(m), m.encode("latin-1")) if latin1 else (units | 1 << 31, m.encode("utf-16-le"))
        )
        assert row == ["WitErrorContext", m, m, m, m, word, list(data)], m
    assert got["latin"] == "café\u00ff"
    # the guest keeps the handles it made and lifted into JS (make, make-tagged, make-latin1)
    # and dropped those JS gave it
    assert got["handles"] == 2 * len(MESSAGES) + 1


def test_a_future_linked_between_two_instances(tmp_path):
    """Two instances of futures.wat: a future one gives JS, passed to the other before its value
    came, links them: the reader waits, the writer's write completes at once into the reader's
    memory (hostChunks 0 on both), the JS Promise rejects, both tables end empty. A future whose
    value JS already has goes as that value (one value through JS on each side)."""
    core = wat_guest(tmp_path, "futures", "future-pair")
    resolve = witgen.load(HERE / "futures.wit")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for rel, data in generate(resolve, resolve.select_world("future-pair"), {}).items():
        (pkg / rel).write_bytes(data)
    script = (
        f"const p = await import({json.dumps((pkg / 'index.js').as_uri())});"
        "const fs = await import('node:fs/promises');"
        f"const wasm = await fs.readFile({json.dumps(str(core))});"
        "const a = await p.instantiate(wasm), b = await p.instantiate(wasm);"
        "const stats = (g) => { const s = p.asyncStats(g); return [s.handles, s.pending, s.hostChunks]; };"
        "const f = a.make(4), r = b.readPlusOne(f);"
        "const linked = { atOnce: a.fulfil(), value: await r, jsPromise: await f.catch((e) => e.message),"
        "  finished: a.finish(), a: stats(a), b: stats(b) };"
        "const g = a.make(5); a.fulfil();"
        "const viaJs = { js: await g, value: await b.readPlusOne(g), finished: a.finish(),"
        "  a: stats(a), b: stats(b) };"
        "console.log(JSON.stringify({ linked, viaJs }));"
    )
    proc = subprocess.run(
        [node_exe(), "--input-type=module", "-e", script], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "linked": {
            "atOnce": 1,  # the reader in the other instance was waiting
            "value": 4 * 10 + 1,
            "jsPromise": "future<u32>: the future was given to a guest",
            "finished": 0,
            "a": [0, 0, 0],
            "b": [0, 0, 0],
        },
        "viaJs": {
            "js": 50,
            "value": 51,
            "finished": 0,  # JS's read was waiting: the write completed at once too
            "a": [0, 0, 1],
            "b": [0, 0, 1],
        },
    }


#: bytes-guest's `bump` import served by the c/async guest's `double-plus-one` export: called
#: directly, plainly wrapped, and answered later (double-plus-one(x) waits for its own import
#: slow-double(x, x), which answers at once only for x = 0); the stats right after each call
DIRECT_CALLS = """
const tick = () => new Promise((r) => setImmediate(r));
async function later(n, v) { for (let i = 0; i < n; i++) await tick(); return v; }
const b = await asyncPkg.instantiate(asyncWasm, {
  "witgen:concurrency/host": {
    slowDouble: (x, yields) => (yields === 0 ? 2 * x : later(yields, 2 * x)),
    numbers: () => [], valueLater: (x) => x, dropFuture: () => {}, Counter: class {},
  },
  slowConcat: (a, c) => a + c,
});
const tokens = { Token: class {} };
const out = {};
for (const [name, bump, x] of [["direct", b.doublePlusOne, 0], ["wrapped", (x) => b.doublePlusOne(x).then((v) => v), 0],
  ["directLater", b.doublePlusOne, 5]]) {
  const g = await bytesPkg.instantiate(bytesWasm, { bump, "witgen:jsasync/tokens": tokens });
  const p = g.bumpFuture(x);
  const during = bytesPkg.asyncStats(g).tasks;
  const value = await p;
  await later(3);
  const [sg, sb] = [bytesPkg.asyncStats(g), asyncPkg.asyncStats(b)];
  out[name] = { during, value, empty: [sg.handles, sg.pending, sb.handles, sb.pending] };
}
// a stream one package's guest returns, given to the other package's guest: linked (no chunk
// through JS), though the two packages each have their own copy of the runtime
const g = await bytesPkg.instantiate(bytesWasm, { bump: b.doublePlusOne, "witgen:jsasync/tokens": tokens });
const rs = await g.produce(100000, 4096);
const [count, sum] = await b.pipes.sumBytes(rs);
await later(3);
out.stream = { count, sum: String(sum), locked: rs.locked, hostChunks: bytesPkg.asyncStats(g).hostChunks,
  handles: bytesPkg.asyncStats(g).handles + asyncPkg.asyncStats(b).handles };
console.log(JSON.stringify(out));
"""


def test_an_async_import_served_by_another_guests_export(packages):
    """A guest's async import given another guest's async export: when the callee's task returns
    before its call does, the caller sees the subtask RETURNED at once (its own task then ends
    within the call: no task left waiting), as composed components would; a plain JS wrapper
    of the same export keeps the Promise path (the caller waits for the subtask); a callee that
    blocks is a subtask like any Promise. Tables end empty on both sides. And a stream from one
    package's guest to the other's links across the two packages' runtimes."""
    head = "".join(
        f"const {n}Pkg = await import({json.dumps((packages / n / 'index.js').as_uri())});"
        f"const {n}Wasm = await (await import('node:fs/promises')).readFile("
        f"{json.dumps(str(packages / (n + '.wasm')))});"
        for n in ("bytes", "async")
    )
    proc = subprocess.run(
        [node_exe(), "--input-type=module", "-e", head + DIRECT_CALLS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "direct": {"during": 0, "value": 2 * 0 + 1, "empty": [0, 0, 0, 0]},
        "wrapped": {"during": 1, "value": 2 * 0 + 1, "empty": [0, 0, 0, 0]},
        "directLater": {"during": 1, "value": 2 * 5 + 1, "empty": [0, 0, 0, 0]},
        "stream": {
            "count": 100000,
            "sum": str(sum(i & 255 for i in range(100000))),
            "locked": True,
            "hostChunks": 0,
            "handles": 0,
        },
    }


# --- stackful guests through JSPI ------------------------------------------------------------


def _expected_stackful() -> dict:
    """What stackful.mjs returns, from the guest's documented behaviour (stackful.wit)."""
    return {
        "single": [2 * 30, 2 * 40],
        "many": [2 * 10 * x for x in range(1, 21)],
        "completedOutOfOrder": True,
        "sums": [5000 * sum(range(1, 6)), 70000 * 3] * 2,  # async-lowered reads, then sync
        "ended": 2 + 20 + 4,
        "stats": [0, 0, 0],
        "trapped": "WitTrapError: no-return: the guest's task exited without task.return",
        "other": "WitTrapError",
    }


@pytest.fixture(scope="module")
def stackful_site(tmp_path_factory) -> Path:
    """The stackful guest's package (checked against the stackful contract) and core module,
    with stackful.mjs and stackful.html."""
    work = tmp_path_factory.mktemp("stackful")
    core = wat_guest(work, "stackful", "stackful-guest")
    site = work / "site"
    write_package("stackful", core, site, async_abi="stackful")
    shutil.copyfile(HERE / "stackful.mjs", site / "stackful.mjs")
    shutil.copyfile(HERE / "stackful.html", site / "index.html")
    return site


def _node_stackful(node: list[str], site: Path) -> subprocess.CompletedProcess[str]:
    script = (
        f"const p = await import({json.dumps((site / 'stackful' / 'index.js').as_uri())});"
        f"const {{ stackfulChecks }} = await import({json.dumps((site / 'stackful.mjs').as_uri())});"
        "const fs = await import('node:fs/promises');"
        f"const wasm = await fs.readFile({json.dumps(str(site / 'stackful.wasm'))});"
        "try { console.log(JSON.stringify(await stackfulChecks(p, wasm))); }"
        " catch (e) { console.log(JSON.stringify(e.name + ': ' + e.message)); }"
    )
    return subprocess.run(
        [*node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=120
    )


def test_stackful_guest_in_node_24_with_jspi(stackful_site):
    """A guest lifting its exports stackful, blocking in waitable-set.wait on subtasks and
    stream reads, runs through JSPI: 20 calls blocked at once, resumed as their imports settle
    (each finds its own context slot), a stream read in blocking reads, tables empty, and a
    task exiting without task.return traps and rejects the blocked one."""
    proc = _node_stackful([node24(), "--experimental-wasm-jspi"], stackful_site)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == _expected_stackful()


def test_stackful_guest_without_jspi_traps_naming_jspi(stackful_site):
    """Node 20 has no JSPI: the stackful guest's task runs as a plain core call; blocked in
    waitable-set.wait on its host's Promise, which only the event loop can settle, it traps,
    naming JSPI, what to do and the pending import (rather than a hang)."""
    proc = _node_stackful([node_exe()], stackful_site)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == (
        "WitTrapError: double-slow: waitable-set.wait blocks, and nothing the guests linked "
        "through the host can run makes progress without the JS event loop (pending: the JS "
        "Promise of host import slow); waiting for it inside the core call needs JSPI "
        "(WebAssembly JS Promise Integration: WebAssembly.Suspending and WebAssembly.promising), "
        "which this engine does not have: use Node >= 24 with --experimental-wasm-jspi or a "
        "browser with JSPI, or build the guest with the callback ABI ([async-lift] + [callback])"
    )


def test_stackful_guest_in_headless_chromium(tmp_path, stackful_site):
    """The same checks in headless Chromium, which has JSPI without flags."""
    text = run_page(tmp_path, stackful_site)
    assert json.loads(text[len("RESULT:") :]) == _expected_stackful()


# --- blocking inside core calls: sync-lowered async imports, thread.yield, linked guests -------


@pytest.fixture(scope="module")
def blocking_site(tmp_path_factory) -> Path:
    """blocking.wat (stackful and callback-ABI exports: given at run time, where load() checks
    it), blockingcb.wat, stackful.wat and the c/async guest, each with its package, and
    blocking.mjs with blocking.html."""
    work = tmp_path_factory.mktemp("blocking")
    site = work / "site"
    write_package("blocking", wat_guest(work, "blocking", "blocking-guest"), site, bundle=False)
    write_package(
        "blockingcb", wat_guest(work, "blockingcb", "blocking-callback", wit="blocking"), site
    )
    write_package(
        "stackful", wat_guest(work, "stackful", "stackful-guest"), site, async_abi="stackful"
    )
    try:
        write_package("async", guests.build_c_guest("async"), site)
    except guests.ToolMissing as e:
        missing(str(e))
    shutil.copyfile(HERE / "blocking.mjs", site / "blocking.mjs")
    shutil.copyfile(HERE / "blocking.html", site / "index.html")
    return site


def _node_blocking(node: list[str], site: Path, call: str) -> object:
    """`call` (a JS expression using `pkgs`, `wasms` and blocking.mjs's exports) run in `node`:
    its JSON value."""
    load = "".join(
        f"pkgs[{json.dumps(n)}] = await import({json.dumps((site / n / 'index.js').as_uri())});"
        f"wasms[{json.dumps(n)}] = await fs.readFile({json.dumps(str(site / (n + '.wasm')))});"
        for n in ("blocking", "blockingcb", "stackful", "async")
    )
    script = (
        "const fs = await import('node:fs/promises'); const pkgs = {}, wasms = {};"
        f"{load}"
        f"const m = await import({json.dumps((site / 'blocking.mjs').as_uri())});"
        f"console.log(JSON.stringify(await {call}));"
    )
    proc = subprocess.run(
        [*node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


#: the trap of a task that may not block calling an async import sync-lowered (the component
#: model's canon_lower: trap_if(not task.may_block() and ft.async_ and not opts.async_))
SYNC_EXPORT_TRAP = (
    "double-sync: called async import slow sync-lowered, which a synchronous task may not do "
    "(the call could block; the component model traps here, as wasmtime does: cannot block a "
    "synchronous task before returning)"
)


def _not_stackful(label: str, what: str) -> str:
    """The trap of a task (`what`: a callback-ABI task or a synchronous call) calling a JSPI
    suspending import in a guest with stackful exports (engines differ in whether the import
    runs first, so the message names no import)."""
    return (
        f"WitTrapError: {label}: a blocking built-in or import (waitable-set.wait, thread.yield, "
        "a sync-lowered stream/future copy or async import) called in a "
        f"{what} of a guest with stackful exports, where these are JSPI suspending imports, "
        "which only a stackful task ([async-lift-stackful]) may call (JSPI suspends only a core "
        "call entered through WebAssembly.promising)"
    )


REJECTED = (
    "slow: the import's Promise rejected (no answer for 7); the guest cannot be told, so the "
    "instance is now unusable"
)


def _jspi_callback_trap(engine_has_jspi: bool) -> str:
    """What blockingcb's double-blocking(3) rejects with: `slow` returned a Promise."""
    head = (
        "WitTrapError: double-blocking: async import slow, lowered sync, returned a Promise: "
        "waiting for it blocks the task inside a core call, which needs JSPI (WebAssembly JS "
        "Promise Integration), "
    )
    if engine_has_jspi:
        return head + (
            "which this runtime uses only in guests with stackful exports "
            "([async-lift-stackful]); lift the export stackful, or import [async-lower]slow and "
            "wait in the callback"
        )
    return head + (
        "which this engine does not have: use Node >= 24 with --experimental-wasm-jspi or a "
        "browser with JSPI, with a guest lifting its exports stackful ([async-lift-stackful])"
    )


def _expected_blocking() -> dict:
    """What blockingChecks returns, from the guests' documented behaviour (blocking.wit,
    stackful.wit, c/async's world.wit) and the component model's rules."""
    return {
        "syncLowered": {
            "single": [2 * 30, 2 * 40],
            "many": [2 * 10 * x for x in range(1, 21)],
            "completedOutOfOrder": True,
            "stats": [0, 0, 0],
        },
        "yields": {
            # each yield lets the other loop take its step: strictly alternating
            "log": [f"{who}:{n}" for n in range(4) for who in (1, 2)],
            "counts": [3, 3],
            "timerFiredDuringLoop": True,
            "otherTaskDuringLoop": True,
            "other": 2 * 50,
            "stats": [0, 0, 0],
        },
        "traps": {
            "syncExport": _not_stackful("double-sync", "synchronous call"),
            "afterwards": "WitTrapError: double-blocking: the instance is unusable: "
            + _not_stackful("double-sync", "synchronous call").removeprefix("WitTrapError: "),
            "waitInCallback": _not_stackful("wait-in-callback", "callback-ABI task"),
            "yieldInCallback": _not_stackful("yield-in-callback", "callback-ABI task"),
            "rejected": "WitTrapError: double-blocking: the instance is unusable: " + REJECTED,
            "blocked": "WitTrapError: double-blocking: the instance is unusable: " + REJECTED,
            "signalsAborted": [True, False],  # the import still waiting; the one that rejected
        },
        "callback": {
            "atOnce": 2 * 40,
            "stats": [0, 0],
            "promise": _jspi_callback_trap(True),
            "syncExport": "WitTrapError: " + SYNC_EXPORT_TRAP,
        },
        "linked": {
            # double-plus-one(x) = slow-double(x, x) + 1 = 2x + 1, doubled by the caller
            "viaWait": [2 * (2 * x + 1) for x in range(6)],
            "viaSyncLower": [2 * (2 * x + 1) for x in range(6)],
            # double-blocking(x) = 2 * double-slow(x) = 2 * (2 * 10x)
            "bothStackful": [2 * 2 * 10 * x for x in range(6)],
            "stats": [[0, 0, 0]] * 5,
        },
    }


def test_blocking_guests_in_node_24_with_jspi(blocking_site):
    """Under JSPI: stackful tasks calling an async import sync-lowered block in the call (20 at
    once, resumed out of order, each with its own context slot); thread.yield suspends (two
    loops alternate, a host timer and another task's Promise run during a loop); a stackful
    guest blocked in waitable-set.wait or a sync-lowered call on another instance's async export
    lets that instance's task run; and what the component model forbids (a sync export calling
    an async import sync-lowered) or JSPI cannot do (blocking or yielding in a callback-ABI
    task of a guest with stackful exports) traps saying why. Tables end empty."""
    got = _node_blocking(
        [node24(), "--experimental-wasm-jspi"], blocking_site, "m.blockingChecks(pkgs, wasms)"
    )
    assert got == _expected_blocking()


def test_blocking_guests_in_headless_chromium(tmp_path, blocking_site):
    """The same checks in headless Chromium (JSPI without flags)."""
    text = run_page(tmp_path, blocking_site)
    assert json.loads(text[len("RESULT:") :]) == _expected_blocking()


def test_sync_lowered_async_import_without_jspi(blocking_site):
    """Node 20 (no JSPI): a callback-ABI task calling an async import sync-lowered gets a value
    the host answers at once; a Promise traps, naming JSPI and how to get it; a synchronous
    export calling it traps at the call, as the component model says."""
    got = _node_blocking(
        [node_exe()], blocking_site, "m.callbackChecks(pkgs.blockingcb, wasms.blockingcb)"
    )
    assert got == {
        "atOnce": 2 * 40,
        "stats": [0, 0],
        "promise": _jspi_callback_trap(False),
        "syncExport": "WitTrapError: " + SYNC_EXPORT_TRAP,
    }


#: c/async instance A's sync export `sync-double`, its `slow-double` import served by instance
#: B's async export `double-plus-one` (itself waiting for its host when x > 0)
SYNC_TASK_ON_LINKED_EXPORT = """
const tick = () => new Promise((r) => setImmediate(r));
async function later(n, v) { for (let i = 0; i < n; i++) await tick(); return v; }
const host = { slowDouble: (x, n) => (n === 0 ? 2 * x : later(n, 2 * x)), numbers: () => [],
  valueLater: (x) => x, dropFuture: () => {}, Counter: class {} };
const b = await p.instantiate(wasm, { "witgen:concurrency/host": host, slowConcat: (a, c) => a + c });
const mk = () => p.instantiate(wasm, { "witgen:concurrency/host": { ...host,
  slowDouble: (x, n) => b.doublePlusOne(x) }, slowConcat: (a, c) => a + c });
const out = {};
let a = await mk();
out.atOnce = a.syncDouble(0, 0);
a = await mk();
out.blocks = (() => { try { return a.syncDouble(3, 0); } catch (e) { return e.name + ": " + e.message; } })();
out.calleeStill = await b.doublePlusOne(4);
await later(8);
const s = p.asyncStats(b);
out.callee = [s.handles, s.pending, s.queued];
console.log(JSON.stringify(out));
"""


def test_sync_task_blocked_on_a_linked_guest_traps_as_the_spec_says(packages):
    """Node 20, no JSPI: a sync export whose async import is another instance's async export
    gets the value when that export returns without blocking (RETURNED at once, as composed
    components do); when it blocks, the caller would have to wait in a synchronous task, which
    the component model forbids (wasmtime: cannot block a synchronous task before returning):
    the caller traps, and the callee instance goes on (its call completes, its table empties)."""
    head = (
        f"const p = await import({json.dumps((packages / 'async' / 'index.js').as_uri())});"
        "const wasm = await (await import('node:fs/promises')).readFile("
        f"{json.dumps(str(packages / 'async.wasm'))});"
    )
    proc = subprocess.run(
        [node_exe(), "--input-type=module", "-e", head + SYNC_TASK_ON_LINKED_EXPORT],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "atOnce": 2 * 0 + 1,
        "blocks": "WitTrapError: sync-double: waitable-set.wait: a synchronous task may not block",
        "calleeStill": 2 * 4 + 1,
        "callee": [0, 0, 0],
    }
