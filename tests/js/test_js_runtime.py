"""Runtime tests in Node: each typed program (programs/*.ts) runs many checks against a real
guest through its generated package and prints one summary; tsc --strict compiled it first."""

from __future__ import annotations

import pytest
from js_support import assert_ok, write_portable_preload

#: extra node flags per program (resources checks the FinalizationRegistry with a forced GC)
NODE_ARGS = {"resources": ["--expose-gc"]}
ALL = [
    "scalars",
    "compound",
    "resources",
    "misbehave",
    "fixed_lists",
    "hello_js",
    "encodings",
    "init",
    "versioned",
    "maps",
]


@pytest.mark.parametrize("name", ALL)
def test_program(programs, name):
    results = assert_ok(programs[name].run(*NODE_ARGS.get(name, [])))
    assert results


@pytest.mark.parametrize("name", ["scalars", "compound", "resources", "encodings", "fixed_lists"])
def test_portable_path_gives_the_same_results(programs, name, tmp_path):
    """Big-endian hosts take the DataView path everywhere; force it here and compare."""
    preload = write_portable_preload(tmp_path)
    args = NODE_ARGS.get(name, [])
    fast = assert_ok(programs[name].run(*args))
    portable = assert_ok(programs[name].run(*args, "--import", preload.as_uri()))
    assert portable == fast


def test_portable_path_is_taken(programs, tmp_path):
    """The hook really disables the typed-array fast paths (the generated code reads it)."""
    text = (programs["compound"].dir / "pkg" / "bindings.js").read_text()
    assert "globalThis.__witgenForcePortable" in text
    assert "if (z === 1 || LE)" in text or "else if (LE)" in text
