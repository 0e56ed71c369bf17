"""The python target and the wasmtime target's Rust host on the same C guests, value for value.

`pydiff SUITE COMPONENT` (tests/python/diffhost, built by diff_setup.py on crates the wasmtime
target generates) and diff_scenarios.py (the python target's package of the same world) run the
same scenarios — the same calls with the same arguments, host imports that behave alike — and
print one line per scenario in one canonical rendering (canon.py, diffhost/canon.rs): values,
resources both ways (the guest's blobs driven by the host, the host's counters driven by the
guest, with the host's table of live counters after each step), results, traps and every ABI
violation of the `misbehave` guest with wasmtime's root cause. The lines must be equal; the one
place wasmtime-py 50 cannot do what the Rust API does is listed in KNOWN with the exact line
the python side prints (a fixed wasmtime-py makes the test fail until it is removed).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from py_support import GUESTS, guest_package

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "wasmtime"))

#: (suite, scenario) -> the python side's line where wasmtime-py cannot do what the Rust API
#: does (test_python_upstream.py reproduces both without witgen)
KNOWN = {
    ("compound", "result-nested err"): (
        "result-nested err = refused: roundtrip-result-nested: x: wasmtime-py cannot pass case "
        "`err` of this type to the guest (its untagged value mapping sends it to an earlier case)"
    ),
}
if int(version("wasmtime").split(".")[0]) < 51:  # fixed in wasmtime-py 51
    KNOWN[("resources", "merge-counters")] = (
        "merge-counters = error: BUG: deferred host scope has no call context"
    )
    # the guest made counters 2 and 5 and trapped before merging and dropping them
    KNOWN[("resources", "merge-counters host live")] = "merge-counters host live = [4, 77, 2, 5]"
    KNOWN[("resources", "merge-counters host dropped")] = "merge-counters host dropped = 8"


#: wasmtime words a bad discriminant differently in its typed lift (the Rust host) and its
#: dynamic `Val` lift (the C API under wasmtime-py): `unexpected discriminant: 7`, `invalid
#: option discriminant` vs `discriminant 7 out of range [0..3)`; both sides must report one
DISCRIMINANT = re.compile(
    r"unexpected discriminant: \d+|invalid (?:option|expected) discriminant"
    r"|discriminant \d+ out of range \[0\.\.\d+\)"
)


def normalized(line: str) -> str:
    return DISCRIMINANT.sub("<bad discriminant>", line) if "= error: " in line else line


@pytest.fixture(scope="module")
def pydiff() -> Path:
    from support.missing import missing
    from support.rust import unusable
    from wasmtime_ws import cargo_exe

    if cargo_exe() is None:
        missing("cargo not found (scripts/setup-tests.sh installs it)")
    why = unusable()
    if why:
        missing(why)
    import diff_setup

    proc = diff_setup.build()
    if proc.returncode != 0:
        pytest.fail(f"building the pydiff host failed:\n{proc.stderr[-6000:]}", pytrace=False)
    return diff_setup.binary()


def rust_lines(binary: Path, suite: str, comp: Path) -> list[str]:
    proc = subprocess.run(
        [str(binary), suite, str(comp)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"pydiff {suite} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout.splitlines()


@pytest.mark.parametrize("suite", ["scalars", "compound", "resources", "misbehave"])
def test_same_values_as_the_rust_host(suite, pydiff, pkgdir, component, engine):
    from diff_scenarios import SUITES

    import witgen

    comp = component(suite)
    rust = rust_lines(pydiff, suite, comp)
    m = guest_package(pkgdir, suite)
    python = SUITES[suite](m, witgen.load(GUESTS / suite / "world.wit"), comp, engine)
    known = {k[1]: line for k, line in KNOWN.items() if k[0] == suite}
    names = [ln.partition(" = ")[0] for ln in rust]
    assert names == [ln.partition(" = ")[0] for ln in python], "the suites ran different scenarios"
    assert len(rust) >= 20
    expected = [known.get(n, normalized(ln)) for n, ln in zip(names, rust, strict=True)]
    python = [normalized(ln) for ln in python]
    diff = "\n".join(difflib.unified_diff(expected, python, "rust", "python", lineterm=""))
    assert python == expected, diff
    for name in known:  # the known difference is still there, and differs from the Rust host
        rust_line = rust[names.index(name)]
        assert rust_line != known[name], f"{name}: same as the Rust host now; remove it from KNOWN"
