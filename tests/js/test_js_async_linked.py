"""Guests linked through the host on an engine without JSPI (Node 20, no flags): a stackful
guest (stackful.wat, blocking.wat, linked.wat; lifted `[async-lift-stackful]`) runs its task as
one plain core call, and when it blocks (waitable-set.wait, a sync-lowered stream/future copy or
call, thread.yield) the runtime runs the other instances' pending work synchronously — callback
steps of bytes-guest and the c/async guest, stream and future copies between the guests, other
stackful instances — until what it waits for comes; when only JS could make progress (a host
Promise, a stream fed by JS), it traps naming JSPI and the pending import. A recursion through
another guest traps as the component model says, in both modes. The same checks
(tests/js/async/nojspi.mjs) run in Node 24 under JSPI, where the blocked tasks suspend instead,
and must give the same results."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from async_support import HERE, bytes_guest_core, wat_guest, write_package
from js_support import node24, node_exe
from support import guests
from support.missing import missing

NAMES = ("blocking", "stackful", "linked", "async", "bytes")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Each guest's package and core module (the WAT guests checked by `wasm-tools component
    new`), and nojspi.mjs."""
    work = tmp_path_factory.mktemp("linked")
    site = work / "site"
    write_package("blocking", wat_guest(work, "blocking", "blocking-guest"), site, bundle=False)
    write_package(
        "stackful", wat_guest(work, "stackful", "stackful-guest"), site, async_abi="stackful"
    )
    # (stackful and callback-ABI exports: no one contract describes it; load() checks it)
    write_package("linked", wat_guest(work, "linked", "linked-runner"), site, bundle=False)
    try:
        write_package("async", guests.build_c_guest("async"), site)
        write_package("bytes", bytes_guest_core(), site)
    except guests.ToolMissing as e:
        missing(str(e))
    (site / "nojspi.mjs").write_bytes((HERE / "nojspi.mjs").read_bytes())
    return site


def _checks(node: list[str], site: Path) -> dict:
    load = "".join(
        f"pkgs[{json.dumps(n)}] = await import({json.dumps((site / n / 'index.js').as_uri())});"
        f"wasms[{json.dumps(n)}] = await fs.readFile({json.dumps(str(site / (n + '.wasm')))});"
        for n in NAMES
    )
    script = (
        "const fs = await import('node:fs/promises'); const pkgs = {}, wasms = {};"
        f"{load}"
        f"const m = await import({json.dumps((site / 'nojspi.mjs').as_uri())});"
        "console.log(JSON.stringify(await m.noJspiChecks(pkgs, wasms)));"
    )
    proc = subprocess.run(
        [*node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


EMPTY = [0, 0, 0]  # handles, pending, queued

#: what the linked checks give, from the guests' documented behaviour: bytes-guest's spin(n)
#: yields n times and returns n; the c/async guest's double-plus-one(x) = slow-double(x, x) + 1
#: and triple-future(f) = 3 * f's value; stackful.wat's double-slow(x) = 2 * slow(x) and
#: sum-bytes = the sum of the bytes; blocking.wat's double-blocking(x) = 2 * slow(x) and
#: yield-loop counts steps until `step` says stop; bytes-guest's produce(n, _) writes
#: byte i = i & 255; linked.wit's exports
REENTER = (
    "cannot enter component instance: calling double-slow re-enters its instance, which is on "
    "the call chain of this call already (the component model forbids re-entering an instance, "
    "as wasmtime does)"
)
XS = [0, 1, 2, 5, 40]
BLOCKING_XS = [0, 1, 3, 7]
LINKED = {
    "waits": {
        "spins": [2 * x for x in XS],
        # double-slow(x) over double-plus-one(x) over another double-slow(x) over spin(x)
        "deep": [2 * (2 * x + 1) for x in XS],
        "stats": [EMPTY] * 5,
    },
    "streams": {
        "sums": [
            s
            for n in (10000, 70000, 5, 0)
            for s in [sum(i & 255 for i in range(n))] * 2  # async-lowered reads, then sync
        ],
        "hostChunks": 0,
        "stats": [EMPTY] * 2,
    },
    "blocking": {
        "viaSpin": [2 * x for x in BLOCKING_XS],
        "bothStackful": [4 * x for x in BLOCKING_XS],
        # steps 0..3 say go on, 4 stops; spin(3) (started before) yielded once on its call and
        # takes one step per yield of the loop: it is still running at the first three steps
        "yieldLoop": {"steps": 4, "spinTasksSeen": [1, 1, 1, 0, 0], "spin": 3},
        "stats": [EMPTY] * 5,
    },
    "runner": {
        # spin(0) returns at once (1000 + 0); spin(5) started: subtask.cancel gives 4
        # (CANCELLED_BEFORE_RETURNED) and the guest's task ends with task.cancel
        "cancel": [1000, 4],
        "spinAfterCancel": EMPTY,
        "feed": [21, 0],
        # bytes-guest's bump-future: the future's value, then its import bump (JS, a plain
        # value: x + 1)
        "feedBump": [8, 42],
        "units": [10, 1, 0, 9],
        "hostChunks": [0, 0, 0],
        "stats": [EMPTY] * 5,
    },
    "recursion": {
        # stackful.wat -> c/async -> the same stackful.wat instance: the component model's
        # trap_if_on_stack (wasmtime: "cannot enter component instance"), in the middle
        # instance at its import call, then in the outer one
        "outer": "WitTrapError: double-slow: the instance is unusable: slow: the import's "
        f"Promise rejected (double-plus-one: import slow-double: {REENTER}); the guest cannot "
        "be told, so the instance is now unusable",
        "middle": "WitTrapError: double-plus-one: the instance is unusable: double-plus-one: "
        f"import slow-double: {REENTER}",
        # another instance of the same package is not on the chain: 2 * (2 * 3 + 1)
        "otherInstance": 14,
    },
}

JSPI_HINT = (
    "waiting for it inside the core call needs JSPI (WebAssembly JS Promise Integration: "
    "WebAssembly.Suspending and WebAssembly.promising), which this engine does not have: use "
    "Node >= 24 with --experimental-wasm-jspi or a browser with JSPI, or build the guest with "
    "the callback ABI ([async-lift] + [callback])"
)


def _blocks(label: str, what: str, pending: str) -> str:
    return (
        f"{label}: {what} blocks, and nothing the guests linked through the host can run makes "
        f"progress without the JS event loop ({pending}); {JSPI_HINT}"
    )


HOST_PROMISE = _blocks(
    "double-slow", "waitable-set.wait", "pending: the JS Promise of host import slow"
)


def test_linked_guests_without_jspi(site):
    """Node 20 (no JSPI): every linked check completes with the guests' values, the tables of
    every instance end empty, and no stream element or future value goes through JS; what
    needs a JS Promise to settle traps naming JSPI and the pending import."""
    got = _checks([node_exe()], site)
    assert got.pop("jspi") is False
    needs = got.pop("needsJspi")
    assert got == LINKED
    assert needs == {
        "hostPromise": "WitTrapError: " + HOST_PROMISE,
        "afterwards": "WitTrapError: double-slow: the instance is unusable: " + HOST_PROMISE,
        "linkedHostPromise": "WitTrapError: "
        + _blocks(
            "double-slow", "waitable-set.wait", "pending: the JS Promise of host import slow-double"
        ),
        # the dead caller's import signal cancels the callee's call, which c/async's
        # double-plus-one does not expect (it traps)
        "callee": "WitTrapError: double-plus-one: the instance is unusable: double-plus-one: "
        "the guest trapped (unreachable); the instance is now unusable",
        "jsStream": "WitTrapError: "
        + _blocks(
            "sum-bytes",
            "waitable-set.wait",
            "what it waits for depends on JS (a stream or future of the host, a timer) or on an "
            "instance that is on the stack",
        ),
        "linkedImportPromise": "WitTrapError: "
        + _blocks("feed", "waitable-set.wait", "pending: the JS Promise of host import bump"),
        # spin(x) yields x times: a wait unserved after 100000 rounds of only yields ends
        "onlyYields": [
            2 * 100000,
            "WitTrapError: "
            + _blocks(
                "double-slow",
                "waitable-set.wait",
                "only tasks that yield ran, 100000 rounds in a row",
            ),
        ],
        "syncLowered": "WitTrapError: double-blocking: async import slow, lowered sync, returned "
        "a Promise: waiting for it blocks the task inside a core call, which needs JSPI "
        "(WebAssembly JS Promise Integration), which this engine does not have: use Node >= 24 "
        "with --experimental-wasm-jspi or a browser with JSPI, with a guest lifting its exports "
        "stackful ([async-lift-stackful])",
    }


def test_linked_guests_under_jspi_give_the_same_results(site):
    """Node 24 with JSPI: the blocked tasks suspend instead, with the same results; what needed
    JSPI in Node 20 now completes."""
    got = _checks([node24(), "--experimental-wasm-jspi"], site)
    assert got.pop("jspi") is True
    assert got.pop("needsJspi") == {
        "hostPromise": 2 * 30,
        "afterwards": 0,
        "linkedHostPromise": 2 * (2 * 2 + 1),
        "callee": 2 * 5 + 1,
        "jsStream": 1 + 2,
        "linkedImportPromise": 7 + 1,
        "syncLowered": 2 * 3,
    }
    assert got == LINKED
