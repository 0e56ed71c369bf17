from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@pytest.fixture(scope="session")
def pkgdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pypkgs")


@pytest.fixture(scope="session")
def component():
    """`component(name)`: the component of C guest `name` (skips when a tool is missing)."""
    from support import guests as g
    from support.missing import missing

    def get(name: str) -> Path:
        try:
            return g.c_guest_component(name)
        except g.ToolMissing as e:
            missing(str(e))

    return get


@pytest.fixture(scope="session")
def engine():
    wasmtime = pytest.importorskip("wasmtime")
    return wasmtime.Engine()
