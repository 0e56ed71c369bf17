"""Fixtures for the engine tests: a WIT tree on disk and a binding spec for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from witgen.engine import BindingSpec

from .helpers import write


@pytest.fixture
def wit(tmp_path: Path) -> Path:
    """A WIT root: two root files and a dependency folder plus a single-file dependency."""
    root = tmp_path / "wit"
    write(root / "world.wit", "package my:pkg;\nworld w { import wasi:io/streams; }\n" * 20)
    write(root / "types.wit", "package my:pkg;\ninterface types { type t = u32; }\n")
    write(root / "deps" / "io" / "streams.wit", "package wasi:io;\ninterface streams {}\n")
    write(root / "deps" / "clocks.wit", "package wasi:clocks;\ninterface clock {}\n")
    write(root / "README.md", "not wit\n")
    return root


@pytest.fixture
def used(wit: Path) -> list[Path]:
    """The files the fake resolver 'used' (clocks.wit is not needed by the world)."""
    return [wit / "world.wit", wit / "types.wit", wit / "deps" / "io" / "streams.wit"]


@pytest.fixture
def spec(tmp_path: Path, wit: Path) -> BindingSpec:
    return BindingSpec(
        wit_path=wit,
        target="js",
        out_dir=tmp_path / "build" / "js",
        world="w",
        options={"instantiation": "async", "map": {"b": 1, "a": [1, 2]}},
        features=("beta",),
    )
