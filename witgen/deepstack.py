"""Running work that recurses over type structure with a deep stack.

The ABI planner and the generators walk types recursively, and valid WIT nests named types
without limit (a record holding a record, 500 deep). `call_deep` runs such work on a thread
with a large stack and a raised recursion limit, so nesting up to about `DEPTH` levels works;
beyond that a `WitError` says the input is nested too deeply instead of a traceback.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from witgen.errors import WitError

T = TypeVar("T")

#: Python frames allowed on the deep thread; a type nesting level takes a few of them
FRAMES = 40_000
#: the nesting depth documented as supported (docs/frontend.md)
DEPTH = 2_000
_STACK_BYTES = 1 << 30  # address space only: pages are committed as the stack grows
_NAME = "witgen-deep"
_lock = threading.Lock()
_active = [0, 0]  # deep calls running, the recursion limit before the first of them


def call_shallow_first(fn: Callable[[], T]) -> T:
    """`fn()` on this thread, and again on a deep-stack thread only if it ran out of stack.

    For pure work (a generator): almost every input is shallow, and starting the deep thread
    costs milliseconds per call, more than generating a small world."""
    try:
        return fn()
    except RecursionError:
        pass
    return call_deep(fn)


def call_deep(fn: Callable[[], T]) -> T:
    """`fn()` on a thread with a deep stack (directly when already on one)."""
    if threading.current_thread().name == _NAME:
        return fn()
    result: list[T] = []
    error: list[BaseException] = []

    done = threading.Event()

    def run() -> None:
        try:
            result.append(fn())
        except BaseException as e:  # noqa: BLE001 - handed to the calling thread as it is
            error.append(e)
        finally:
            done.set()

    with _lock:
        if _active[0] == 0:
            _active[1] = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_active[1], FRAMES))
        _active[0] += 1
    try:
        _start_and_wait(threading.Thread(target=run, name=_NAME), done)
    finally:
        with _lock:
            _active[0] -= 1
            if _active[0] == 0:
                sys.setrecursionlimit(_active[1])
    if error:
        if isinstance(error[0], RecursionError):
            raise WitError(
                f"the input nests types more deeply than witgen supports (about {DEPTH} levels)"
            ) from None
        raise error[0]
    return result[0]


def _start_and_wait(worker: threading.Thread, done: threading.Event) -> None:
    """Run `worker` until it sets `done`. Ctrl-C reaches only the main thread: it is raised in
    the worker too (so the work stops and its `finally` blocks run), then the wait goes on.
    (`Thread.join` is not used to wait: interrupted, it can mark a running thread as stopped.)"""
    try:
        with _lock:  # the stack size applies to every thread started meanwhile
            old_size = threading.stack_size(_STACK_BYTES)
            try:
                worker.start()
            finally:
                threading.stack_size(old_size)
        while not done.wait(0.1):  # wake up now and then: a signal may land on another thread
            pass
    except KeyboardInterrupt:
        import ctypes

        if worker.ident is not None and not done.is_set():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(worker.ident), ctypes.py_object(KeyboardInterrupt)
            )
            done.wait()
        raise
