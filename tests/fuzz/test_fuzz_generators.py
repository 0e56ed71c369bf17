"""Generated WIT through every target: they return files or raise a `WitError`, never anything
else; the TypeScript declarations pass `tsc --strict`, the Rust crates parse (`rustfmt`) and
the Python modules compile.
tsc and rustfmt run once per batch, after hypothesis has drawn every example."""

from __future__ import annotations

from pathlib import Path

from fuzz_support import Batch, fuzz_settings, load_text, tool
from hypothesis import given
from witgen_strategies import WitCase, wit_packages


def _run(tmp_path: Path, examples: int, ext: bool) -> Batch:
    batch = Batch(tmp_path / "out")

    @fuzz_settings(examples)
    @given(case=wit_packages(ext=ext))
    def run(case: WitCase) -> None:
        resolve = load_text(tmp_path / "fuzz.wit", case.text)
        if resolve is not None:
            batch.generate(case.text, resolve)

    run()
    return batch


def test_sync_worlds_generate_and_compile(tmp_path: Path):
    tool("tsc"), tool("rustfmt")
    batch = _run(tmp_path, 40, ext=False)
    assert batch.cases("js", "index.d.ts"), "no JS package was generated"
    # js and wasmtime support every synchronous world: none may be refused (python refuses
    # what wasmtime-py cannot carry, docs/python.md)
    assert not {"js", "wasmtime"} & set(batch.rejected), batch.rejected
    batch.check_ts()
    batch.check_rust()
    batch.check_python()


def test_async_worlds_generate_and_compile(tmp_path: Path):
    """Async functions, streams, futures and error-context: the JS target may refuse them
    (with a WitError); the wasmtime target must write a crate that parses."""
    tool("tsc"), tool("rustfmt")
    batch = _run(tmp_path, 30, ext=True)
    assert batch.cases("wasmtime", "src/lib.rs"), "no Rust crate was generated"
    assert not {t for t in batch.rejected if t.startswith("wasmtime")}, batch.rejected
    batch.check_ts()
    batch.check_rust()
    batch.check_python()
