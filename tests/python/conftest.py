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
    """A wasmtime Engine; skips (fails under CI=true) without wasmtime-py >= 51, the version
    the generated packages need (scripts/setup/20-guests.sh installs it)."""
    from importlib.metadata import version

    from support.missing import missing

    wasmtime = pytest.importorskip("wasmtime")
    if int(version("wasmtime").split(".")[0]) < 51:
        missing(f"wasmtime-py {version('wasmtime')} is installed; the python target needs >= 51")
    return wasmtime.Engine()
