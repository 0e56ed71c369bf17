"""Fixtures for the build-hook tests: one wheelhouse and one virtualenv per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support.missing import missing

from .projects import TESTTARGET, Env, make_env, missing_wheels, third_party_wheelhouse

_need = missing


@pytest.fixture(scope="session")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    """A virtualenv with witgen (wheel of this clone), the echo target, hatchling, setuptools."""
    missing = missing_wheels(third_party_wheelhouse())
    if missing:
        _need(
            f"build-hook wheelhouse {third_party_wheelhouse()} lacks {', '.join(missing)} "
            "(run scripts/setup-tests.sh)"
        )
    return make_env(tmp_path_factory.mktemp("hooks-env"))


@pytest.fixture
def echo_target(monkeypatch: pytest.MonkeyPatch) -> str:
    """Registers the `echo` test target in this process (as its entry point would)."""
    from witgen import targets

    monkeypatch.syspath_prepend(str(TESTTARGET))
    monkeypatch.setitem(targets.TARGETS, "echo", "witgen_testtarget:generate")
    sys.modules.pop("witgen_testtarget", None)
    return "echo"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
