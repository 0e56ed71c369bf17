"""Hand-written WIT cases checked against the real `wasm-tools component wit --json`.

Each `cases/X.wit` file or `cases/X/` directory is resolved by witgen and by wasm-tools 1.262
(with the `active` feature enabled) in the same run; the JSON must be byte-identical. The cases
pin down what the conformance suite leaves open: id allocation order, own-handle insertion,
world import ordering and includes, doc-comment text, `@external-id`, package ordering.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support.missing import missing

import witgen
from witgen.wit import jsonout

CASES = Path(__file__).with_name("cases")


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.suffix == ".wit" or p.is_dir())


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_matches_wasm_tools(case: Path) -> None:
    tool = shutil.which("wasm-tools")
    if tool is None:
        missing("wasm-tools is not installed (scripts/setup-tests.sh installs it)")
    expected = subprocess.run(
        [tool, "component", "wit", "--features", "active", "--json", str(case)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = jsonout.dumps(witgen.load(case, features={"active"}))
    assert got == expected.rstrip("\n")
