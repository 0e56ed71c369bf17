"""Benchmark: per-call overhead of witgen's Python bindings (the `python` target) against a
hand-written call through `wasmtime.component` for the same function of the same component
(the `scalars` C guest of tests/guests), and the import time of a generated package for the
`wasi:http/proxy` world.

    python3 -m venv --system-site-packages /tmp/venv-py
    /tmp/venv-py/bin/python bench/python_calls.py

Run it with a virtualenv's python, not a pyenv shim (the shim's own startup would count in the
import measurement). One run: each call case is the best of several batches after a warm-up,
in microseconds per call, with the ratio generated / hand-written (target <= 1.5x):

- add(u32, u32): `func(store, 2, 3)` vs `world.add(2, 3)`;
- echo of a 12-char string: `func(store, s)` vs `world.echo(s)`;
- a 100 KB list<u8> into `sum`: `func(store, data)` vs `world.sum(data)`.

Import time: fresh interpreters, `import <package>` timed inside the process (median of 9, .pyc
files already written), with the stdlib modules the package uses (dataclasses, enum, typing)
counted; target < 50 ms. wasmtime itself is not imported until `load()`.

Writes bench/results/python_calls.json.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "python_calls.json"
TARGET = 1.5
IMPORT_TARGET_MS = 50.0
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def best_pair_us(a, b, iters: int, batches: int) -> tuple[float, float]:
    """Best time per call (us) of `a` and of `b`, their batches interleaved so that load on
    the machine hits both alike."""
    a()
    b()
    best = [float("inf"), float("inf")]
    for _ in range(batches):
        for k, fn in enumerate((a, b)):
            t = time.perf_counter()
            for _ in range(iters):
                fn()
            best[k] = min(best[k], (time.perf_counter() - t) / iters)
    return best[0] * 1e6, best[1] * 1e6


def generate(wit: Path, world: str, out: Path) -> None:
    import witgen
    from witgen.targets import generate_files, select_world, write_files

    resolve = witgen.load(wit)
    write_files(generate_files("python", resolve, select_world(resolve, world), {}), out)


def calls(tmp: Path, quick: bool = False) -> dict[str, dict[str, object]]:
    """The three call cases; `quick` (tests/python/test_python_perf.py) runs fewer, shorter
    batches."""
    import wasmtime
    from support.guests import c_guest_component
    from wasmtime.component import Component, Linker

    comp_path = c_guest_component("scalars")
    generate(REPO / "tests/guests/c/scalars/world.wit", "scalars", tmp / "bench_scalars")
    sys.path.insert(0, str(tmp))
    import importlib

    m = importlib.import_module("bench_scalars")

    engine = wasmtime.Engine()
    component = Component(engine, comp_path.read_bytes())

    class Numbers:
        def __getattr__(self, name: str):
            return lambda *a: a[0]

    world = m.Scalars.load(
        engine, component, imports=m.Imports(host_add=lambda a, b: a + b, log=print, numbers=Numbers())
    )
    # the hand-written side: the same component, imports defined directly
    store = wasmtime.Store(engine)
    linker = Linker(engine)
    with linker.root() as root:
        root.add_func("host-add", lambda _s, a, b: a + b)
        root.add_func("log", lambda _s, msg: None)
    linker.define_unknown_imports_as_traps(component)
    inst = linker.instantiate(store, component)
    add, echo, sum_ = (inst.get_func(store, n) for n in ("add", "echo", "sum"))
    s12 = "hello world!"
    data = bytes(range(256)) * 400  # 102,400 bytes
    assert add(store, 2, 3) == world.add(2, 3) == 5
    assert echo(store, s12) == world.echo(s12) == s12
    assert sum_(store, data) == world.sum(data) == sum(data)
    n, k = (500, 7) if quick else (2000, 9)
    cases = {
        "add": (lambda: add(store, 2, 3), lambda: world.add(2, 3), n, k),
        "echo12": (lambda: echo(store, s12), lambda: world.echo(s12), n, k),
        "list_u8_100k": (lambda: sum_(store, data), lambda: world.sum(data), 1, 3 if quick else 5),
    }
    out: dict[str, dict[str, object]] = {}
    for name, (hand, ours, iters, batches) in cases.items():
        h, o = best_pair_us(hand, ours, iters, batches)
        out[name] = {
            "hand_written_us": round(h, 2),
            "witgen_us": round(o, 2),
            "witgen_over_hand_written": round(o / h, 3),
            "target": f"<= {TARGET}x",
            "met": o / h <= TARGET,
        }
    return out


def import_time(tmp: Path) -> dict[str, object]:
    wit = Path(os.environ.get("WITGEN_SHARED", REPO.parent / "shared")) / "corpus" / "wasi-http-p2"
    generate(wit, "wasi:http/proxy", tmp / "bench_proxy")
    src = (tmp / "bench_proxy" / "__init__.py").read_bytes()
    code = (
        "import time; t = time.perf_counter(); import bench_proxy; "
        "print((time.perf_counter() - t) * 1e3); import sys; assert 'wasmtime' not in sys.modules"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tmp)
    runs = []
    for i in range(10):
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        if i:  # the first run writes the .pyc files
            runs.append(float(proc.stdout))
    median = statistics.median(runs)
    return {
        "world": "wasi:http/proxy@0.2.12 (../shared/corpus/wasi-http-p2)",
        "generated_lines": src.count(b"\n"),
        "median_ms": round(median, 1),
        "runs_ms": [round(r, 1) for r in runs],
        "target": f"< {IMPORT_TARGET_MS} ms",
        "met": median < IMPORT_TARGET_MS,
    }


def main() -> int:
    if "pyenv/shims" in sys.executable or ".pyenv" in sys.executable and "venv" not in sys.prefix:
        print("run this with a virtualenv's python (see the docstring)", file=sys.stderr)
        return 2
    from importlib.metadata import version

    import wasmtime  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "date": datetime.date.today().isoformat(),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "wasmtime_py": version("wasmtime"),
                "platform": platform.platform(),
            },
            "guest": "tests/guests/c/scalars (wit-bindgen c + clang), as a component",
            "method": "one process; best of 9 interleaved batches (5 single calls for 100 KB) "
            "after a warm-up; us per call",
            "cases": calls(Path(tmp)),
            "import": import_time(Path(tmp)),
        }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
