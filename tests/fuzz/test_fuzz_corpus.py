"""Replays the fuzzers' findings (`corpus/*.wit`) through every check they face: the front end
fails cleanly or loads; every target writes files or raises a `WitError`; the TypeScript passes
`tsc --strict`, the Rust parses and the Python compiles. A file whose header has `// xfail: <reason>` is an open bug
in code this suite does not own: the test is a strict xfail, so it turns red once fixed (then
drop the line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fuzz_support import Batch, load_text, tool

CORPUS = Path(__file__).resolve().parent / "corpus"


def _params() -> list:
    out = []
    for path in sorted(CORPUS.glob("*.wit")):
        m = re.search(r"^// xfail: (.+)$", path.read_text(encoding="utf-8"), re.M)
        marks = [pytest.mark.xfail(strict=True, reason=m.group(1))] if m else []
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


def test_corpus_is_there():
    assert len(_params()) >= 3


@pytest.mark.parametrize("path", _params())
def test_corpus_case(path: Path, tmp_path: Path):
    tool("tsc"), tool("rustfmt")
    text = path.read_text(encoding="utf-8")
    resolve = load_text(tmp_path / path.name, text)
    if resolve is None:
        return  # rejected with a located WitError: that is the expected outcome
    batch = Batch(tmp_path / "out", strict=True)
    batch.generate(text, resolve)
    batch.check_ts()
    batch.check_python()
    assert not batch.check_rust_strict()
