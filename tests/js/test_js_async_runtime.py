"""The JS target on async worlds: generated packages driving the component model's async ABI
runtime (witgen/js/asyncrt, emitted by witgen/js/runtime_async.py) on real guests in Node 20
without flags, and the same checks in headless Chromium.

Each guest's world gets a package from `witgen.js.generate`; the checks of
tests/js/async/checks.mjs run once in Node (`checks_node.mjs`, a JSON summary the tests below
compare with expected values) and once in headless Chromium (`checks.html`, which must give the
same results).

Guests: `tests/guests/c/async` (wit-bindgen c, callback ABI: async imports, futures and streams
both ways, cancellation by the guest, traps), `tests/guests/c/error-context` (hand-written C:
error-context values both ways) and `tests/js/async/guest` (`bytes-guest`, a C guest
of this test: `stream<u8>` both ways in byte-pattern form, a `produced` counter that shows how far
the guest's writes got, a future read then an async import, cancellation by the host,
backpressure, YIELD, a stream within one guest, a `future<stream<u8>>`, a `stream<list<u8>>`, a
`stream<stream<u8>>` and a stream of records holding host resources).
Expected values are computed here from the inputs; tests/wasmtime/test_runtime_async.py runs the
wasmtime host's `c/async` scenarios through the generated package too and requires the same
values (the differential).
Also: a hand-written WAT guest that breaks the async ABI (tests/js/async/misbehave.wat).
test_js_async_guests.py has the other hand-written guests (UTF-16 error contexts, futures and
calls linking guests, stackful guests through JSPI).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from async_support import HERE, build_packages, run_page, write_package
from js_support import bytes_guest_core, node_exe

from witgen.js import runtime, runtime_async


def runtime_code(parts: set[str]) -> str:
    return runtime.emit(runtime_async.helpers(parts)) + runtime_async.emit(parts)


# --- emission --------------------------------------------------------------------------------


def test_parts_come_with_what_they_need_and_nothing_else():
    assert runtime_async.closure({"AFutures"}) == ["ACore", "ACopy", "AFutures"]
    assert runtime_async.closure({"AErrCtx", "AImport"}) == ["ACore", "AImport", "AErrCtx"]
    code = runtime_async.emit({"AFutures"})
    assert "function aFutureOps(" in code and "class AFuture " in code
    assert "function aStreamOps(" not in code and "function aImport(" not in code
    assert "WitErrorContext" not in code
    assert runtime_async.emit({"AFutures"}) == code  # deterministic


def test_helpers_are_those_of_runtime_py():
    assert runtime_async.helpers({"ACore"}) == {"WitTrapError", "trap", "core"}
    strings = {"rstr", "lstr", "rstr16", "lstr16", "rstrL", "lstrL"}
    assert runtime_async.helpers({"AErrCtx"}) == {"WitTrapError", "trap", "core", "mem", *strings}
    assert runtime_async.helpers(set(runtime_async.parts())) <= set(runtime.H)


def test_unknown_part_is_an_error():
    with pytest.raises(KeyError, match="no async runtime part `AThreads`"):
        runtime_async.closure({"AThreads"})


#: the type-independent built-ins wit-component 0.262 accepts (crates/wit-component/src/
#: validation.rs), by core import name, that the runtime provides
ROOT_BUILTINS = {
    "[waitable-set-new]",
    "[waitable-set-wait]",
    "[cancellable][waitable-set-wait]",
    "[waitable-set-poll]",
    "[cancellable][waitable-set-poll]",
    "[waitable-set-drop]",
    "[waitable-join]",
    "[subtask-drop]",
    "[subtask-cancel]",
    "[async-lower][subtask-cancel]",
    "[context-get-0]",
    "[context-set-0]",
    "[context-get-1]",
    "[context-set-1]",
    "[waitable-set-wait-i32]",
    "[waitable-set-poll-i32]",
    "[context-get-i32-0]",
    "[context-set-i32-0]",
    "[context-get-i32-1]",
    "[context-set-i32-1]",
    "[backpressure-inc]",
    "[backpressure-dec]",
    "[thread-yield]",
    "[cancellable][thread-yield]",
    "[task-cancel]",
    "[error-context-new-utf8]",
    "[error-context-new-utf16]",
    "[error-context-new-latin1+utf16]",
    "[error-context-debug-message-utf8]",
    "[error-context-debug-message-utf16]",
    "[error-context-debug-message-latin1+utf16]",
    "[error-context-drop]",
}


def test_the_runtime_loads_and_provides_the_builtins(tmp_path):
    """Every part loads as an ES module (no syntax or top-level reference error), and the
    type-independent built-ins are exactly those above."""
    node = node_exe()
    path = tmp_path / "rt.mjs"
    path.write_text(runtime_code(set(runtime_async.parts())) + "export { A_ROOT };\n")
    script = f"import({json.dumps(path.as_uri())}).then((m) => console.log(JSON.stringify(Object.keys(m.A_ROOT))))"
    proc = subprocess.run([node, "-e", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert set(json.loads(proc.stdout)) == ROOT_BUILTINS


# --- runs on real guests ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def bytes_core() -> Path:
    return bytes_guest_core()


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> Path:
    """A folder with each guest's package (`<name>/`) and core module (`<name>.wasm`)."""
    return build_packages(tmp_path_factory.mktemp("jsasync"))


@pytest.fixture(scope="session")
def summary(packages):
    """The checks of checks.mjs in Node 20 (checks_node.mjs)."""
    runner = HERE / "checks_node.mjs"
    proc = subprocess.run(
        [node_exe(), str(runner), str(packages)], capture_output=True, text=True, timeout=300
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise AssertionError(f"no summary (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(lines[-1])


def result(summary, name: str):
    for f in summary["failures"]:
        if f["name"] == name:
            raise AssertionError(f"{name}:\n{f['error']}")
    return summary["results"][name]


def pattern(n: int, seed: int) -> list[int]:
    """checks.mjs `bytesOf`"""
    return [(i * 7 + seed) & 255 for i in range(n)]


def test_every_check_ran(summary):
    assert len(summary["results"]) + len(summary["failures"]) == 27


def test_async_export_awaits_an_import_served_by_a_promise(summary):
    r = result(summary, "async export awaits an async import served by a Promise")
    assert r == {"viaPromise": 5 * 2 + 1, "plain": 0 * 2 + 1, "greet": "hello, you"}


def test_many_calls_in_flight(summary):
    r = result(summary, "many calls in flight finish in any order")
    assert r["out"] == [2 * i + 1 for i in range(40)]
    # the host answered the last call first: completion order is not call order
    assert (r["firstDone"], r["lastDone"]) == (39, 0)


def test_slow_reader_blocks_the_guests_writes(summary):
    r = result(summary, "stream<u8> guest to host: a slow reader blocks the guest's writes")
    assert r["bytes"] == 1 << 20
    # a pull takes at most what one guest write offers (4096 bytes)...
    assert r["maxChunk"] == 4096
    # ...and while the reader sleeps the guest has had accepted exactly what was read: its next
    # write is blocked, nothing is buffered ahead
    assert r["probesAhead"] and set(r["probesAhead"]) == {0}
    assert r["produced"] == 1 << 20


def test_host_to_guest_bytes(summary):
    r = result(summary, "stream<u8> host to guest from an iterable of Uint8Array chunks")
    chunks = [pattern(10, 1), pattern(0, 2), pattern(100000, 3), pattern(5, 4)]
    assert r == {"count": sum(map(len, chunks)), "sum": str(sum(map(sum, chunks)))}


def test_bytes_both_ways_at_once(summary):
    assert result(summary, "stream<u8> both ways at once") == {"bytes": 300000}


def test_streams_of_numbers_and_strings(summary):
    r = result(summary, "stream<u32> and stream<string> through ReadableStreams")
    assert r["counted"] == list(range(10, 30))
    assert r["shouted"] == [w.upper() + "!" for w in ["hi", "", "there", "a", "b", "c"]]
    assert r["hostNumbers"] == str(sum(range(3, 1003)))
    assert r["firstTwo"] == [0, 1]


def test_for_await_fallback(summary):
    r = result(summary, "for await without native ReadableStream iteration")
    assert r == {"all": list(range(5, 12)), "firstThree": [0, 1, 2]}


def test_futures_both_ways(summary):
    r = result(summary, "futures both ways")
    assert r == {
        "triplePromise": 21,
        "triplePlain": 15,
        "hostFuture": 4 * 10 + 1,
        "made": "hello"[::-1],
        "dropped": "dropped",
        "countWith": 15,
        "bumpFuture": 42,
    }


def test_guest_cancels_an_import_and_a_future_read(summary):
    r = result(summary, "the guest cancels a host import and a future read")
    assert r == {
        "cancelled": "returned-cancelled=0",
        "returned": "returned=8",
        "aborted": 1,
        "read": "cancelled=0",
        "ready": "completed=5",
    }


def test_host_cancels_an_export_call(summary):
    r = result(summary, "the host cancels an async export call (AbortSignal)")
    assert r == {
        "whileReading": "AbortError",
        "whileCalling": "stop",
        "importAborted": 1,
        "before": "AbortError",
    }


def test_sync_export_may_not_block(summary):
    r = result(summary, "a synchronous export may not block")
    assert r["at"] == 42
    assert r["error"] == (
        "WitTrapError: sync-double: waitable-set.wait: a synchronous task may not block"
    )
    assert r["after"] == "WitTrapError"


def test_trap_rejects_every_pending_promise(summary):
    r = result(summary, "a trap mid-call rejects every pending Promise")
    assert r["first"] == 0 and r["futureStillResolves"] == "cba"
    assert r["trapped"].startswith(
        "WitTrapError: trap-after-await: the guest trapped (unreachable)"
    )
    assert r["other"].startswith("WitTrapError: double-plus-one: the instance is unusable: ")
    assert r["read"] == "WitTrapError"
    assert r["next"].startswith("WitTrapError: greet: the instance is unusable: ")


def test_unwritten_future_dropped_traps(summary):
    r = result(summary, "dropping an unwritten future traps")
    assert r["error"] == (
        "WitTrapError: forgotten-future: future<u32>: future.drop-writable: the future's writable"
        " end was dropped before a value was written"
    )


def test_rejected_import_promise_settles_everything(summary):
    r = result(
        summary, "a rejected import Promise makes the instance unusable, settling everything"
    )
    assert "slow-double: the import's Promise rejected (boom)" in r["failed"]
    assert r["other"] == "WitTrapError"


def test_rejected_future_promise_closes_the_future_only(summary):
    """A future has no error channel: a Promise given as a future that rejects (or a value that
    does not fit) closes the future, so the guest's read sees it dropped, and rejects the export
    call that passed it with the Promise's own error; the instance stays usable."""
    r = result(summary, "a rejected Promise given as a future closes it and rejects the call only")
    assert r == {
        "waiting": True,
        "before": True,
        "badLater": 'TypeError: bump-future: expected an integer (u32), got "x"',
        "badPlain": "RangeError: bump-future: -1 is out of range for u32 (0..4294967295)",
        "after": 42,
        # each guest task read nothing (its value stayed 0) and went on to call bump(0)
        "bumped": [0, 0, 0, 0, 41],
    }


def test_bad_host_stream_rejects_the_call_only(summary):
    r = result(summary, "a bad chunk or a failing source ends the stream and rejects the call")
    assert r == {
        "badChunk": "TypeError: sum-bytes: a chunk of stream<u8> must be a Uint8Array, got string",
        "broken": "source broke",
        "badValue": "TypeError: sum-bytes: expected a ReadableStream or an (async) iterable of "
        "Uint8Array chunks, or a Uint8Array, got number",
        "stillWorks": 3,
    }


def test_backpressure_queues_calls(summary):
    r = result(summary, "backpressure queues calls until the guest opens")
    assert r == {
        "first": 0,
        "whileClosed": {"settled": 0, "queued": 3},
        "values": [1, 2, 3],
        "order": [1, 2, 3],
        "aborted": "AbortError",
        "after": 4,  # the aborted call never entered the guest
    }


def test_call_made_inside_an_import_waits(summary):
    r = result(summary, "a call made while the guest runs waits its turn")
    assert r == {
        "value": 10 + 100 + 0,
        "queuedInside": 1,
        "syncInside": "produced: called while the guest is running (from inside one of its "
        "imports); an instance cannot be re-entered",
        "syncAfter": 0,
    }


def test_yield_lets_the_host_run(summary):
    r = result(summary, "YIELD lets the host run between callbacks")
    assert r == {"callbacks": 50, "hostRanBetween": True, "cancelled": "AbortError"}


def test_stream_within_one_guest(summary):
    r = result(summary, "a stream with both ends in one guest")
    assert r == {"sum": sum(i & 255 for i in range(4000))}


def test_nested_buffers(summary):
    r = result(summary, "nested: a future of a stream, a stream of lists, a stream of streams")
    lists = [pattern(i % 50 if i % 3 else i % 7, i) for i in range(1000)]
    inner = [pattern(10, 1) + pattern(5000, 2), pattern(70000, 3), pattern(3, 4), []]
    inner.append([i & 255 for i in range(9000)])  # what `produce(9000, 1000)` writes
    assert r == {
        "bytes": 5000,
        "count": 1000,
        "sum": str(sum(map(sum, lists))),
        "streams": len(inner),
        "streamSum": str(sum(map(sum, inner))),
        # 10 records, names of 0..9 bytes, every token dropped by the guest
        "tokens": [10, sum(range(10)), 10],
        # a record that does not fit: the call rejects naming the function, the element's type
        # and where in it; the instance stays usable (the handle table ends empty)
        "badRecord": "TypeError: drop-tokens: tagged: element.token: expected a Token object, "
        "got an object",
    }


def test_stream_between_guests_moves_without_js(summary):
    r = result(summary, "a stream one guest returns, given to another, moves without JS")
    assert r == {
        "bytes": 200000,
        "locked": True,  # the stream belongs to the second guest: JS can no longer read it
        "hostChunksA": 0,  # (the second guest's output went to JS, through its own chunks)
        "pumped": [1000, 9000, (1000 + 1) & 255],
        "pumpedChunks": True,
    }


def test_trap_in_a_linked_guest(summary):
    r = result(summary, "a trap in one linked guest ends the other's stream")
    assert r == {"bExitedCleanly": True, "bytesBeforeTheTrap": True}


def test_soak_many_calls(summary):
    assert result(summary, "soak: 10,000 concurrent calls") == {"all": True, "count": 10000}


def test_soak_a_gigabyte_into_a_slow_reader(summary):
    r = result(summary, "soak: 1 GiB of stream<u8> into a slow reader")
    assert r == {"got": 2**30, "rssGrowthUnder64MiB": True}


def test_a_misbehaving_guest_traps_with_a_clear_error(summary):
    r = result(summary, "a guest breaking the async ABI gets a trap naming what it did")
    trap = "WitTrapError: "
    assert r == {
        "first": 1,
        "afterTwice": "no-return: the instance is unusable: "
        "twice: task.return called twice or after task.cancel",
        "noReturn": trap + "no-return: the guest's task exited without task.return",
        "badWait": trap + "bad-wait: callback WAIT: 99 is not a handle of a waitable set",
        "dropTwice": trap + "drop-twice: waitable-set.drop: 1 is not a handle of a waitable set",
        "badCode": trap + "bad-code: invalid callback code 5",
        "useDropped": trap + "use-dropped: stream<u8>: stream.read: 1 is not a handle of a "
        "stream's readable end",
        "wrongType": trap + "wrong-type: stream<u32>: stream.read: handle 1 is a stream's "
        "readable end of another element type",
    }


def test_error_contexts_both_ways(summary):
    r = result(summary, "error-context values both ways")
    assert r == {
        "ok": 1234,
        "thrown": "WitResultError",
        "badIsError": True,
        "badName": "WitErrorContext",
        "badMessage": 'not a number: "x1"',
        "back": 'not a number: "x1"',
        "fromHost": "made by the host",
        "fromString": "just a string",
        "handles": 1,
    }


# --- in a browser ----------------------------------------------------------------------------


def test_runtime_in_headless_chromium(tmp_path, bytes_core):
    """bytes-guest in headless Chromium (tests/js/async/page.html): a slow reader, both ways at
    once, YIELD (through a MessageChannel: browsers have no setImmediate), a future, a stream
    within the guest."""
    site = tmp_path / "site"
    write_package("bytes", bytes_core, site)
    shutil.copyfile(HERE / "page.html", site / "index.html")
    text = run_page(tmp_path, site)
    assert json.loads(text[len("RESULT:") :]) == {
        "produce": [300000, True, 300000],
        "inc": [100000, True],
        "spin": 20,
        "bump": 42,
        "loopback": sum(i & 255 for i in range(1000)),
        "stats": {"handles": 0, "tasks": 0, "pending": 0, "queued": 0},  # hostChunks left out
    }


def test_the_checks_in_headless_chromium(tmp_path, packages, summary):
    """Every check of checks.mjs (the c/async guest, bytes-guest, error-context, the
    misbehaving guest) in headless Chromium through the packages' browser entries, with the
    same results as in Node (which the tests above check against expected values); only the
    1 GiB soak, which reads the process's RSS, is Node's alone."""
    site = tmp_path / "site"
    shutil.copytree(packages, site)
    shutil.copyfile(HERE / "checks.mjs", site / "checks.mjs")
    shutil.copyfile(HERE / "checks.html", site / "index.html")
    got = json.loads(run_page(tmp_path, site)[len("RESULT:") :])
    assert got["failures"] == []
    node = {k: v for k, v in summary["results"].items() if not k.startswith("soak: 1 GiB")}
    assert len(node) == 26
    assert got["results"] == node
