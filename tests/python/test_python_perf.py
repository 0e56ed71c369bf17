"""The performance targets of the python target (issue #14), measured as bench/python_calls.py
does, in shorter runs: per call, the generated package <= 1.5x a hand-written call through
`wasmtime.component` (`add(u32, u32)`, a 12-char string, a 100 KB `list<u8>`), and the import of
the `wasi:http/proxy` package < 50 ms (median of fresh interpreters).

Timing on a shared machine is noisy in one direction only (load makes a batch slower), so each
case is the best of interleaved batches, and a case over its target is measured again, up to
three runs in all: a real regression stays over it every time.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import python_calls as bench  # noqa: E402


def test_per_call_overhead(tmp_path, component, engine):
    component("scalars")  # skips (fails under CI=true) without the guest toolchain
    ratios: dict[str, list[float]] = {}
    for run in range(3):
        cases = bench.calls(tmp_path / f"run{run}", quick=True)
        for name, case in cases.items():
            ratios.setdefault(name, []).append(float(case["witgen_over_hand_written"]))
        if all(min(r) <= bench.TARGET for r in ratios.values()):
            break
    assert set(ratios) == {"add", "echo12", "list_u8_100k"}
    over = {k: r for k, r in ratios.items() if min(r) > bench.TARGET}
    assert not over, f"generated / hand-written over {bench.TARGET}x in every run: {over}"


def test_wasi_http_import_time(tmp_path, shared_dir):
    result = bench.import_time(tmp_path)
    assert result["generated_lines"] > 3000  # the whole world, not a stub
    assert result["met"], result
