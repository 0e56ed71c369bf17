"""Broken WIT never crashes witgen: `witgen.load` either succeeds or raises `witgen.WitError`
that points into the input (file, line and column set, inside the text).

Inputs are real WIT (the WASI corpus and the wit-parser suite) with random edits: characters
and WIT tokens deleted, inserted or replaced, lines duplicated or swapped, the text truncated.
The runs are derandomized (the same examples on every machine, no example database), so a CI
failure reproduces locally with the same command. WITGEN_FUZZ_EXAMPLES=5000 searches longer.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import wit_cases as wc

import witgen

SHARED = wc.find_shared()
EXAMPLES = int(os.environ.get("WITGEN_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _seed_files() -> list[tuple[str, str]]:
    """(name, text) of single-file WIT: every corpus file, and the suite's single-file cases."""
    if SHARED is None:
        return []
    paths = sorted((SHARED / "corpus").rglob("*.wit"))
    paths += sorted(p for p in wc.ui_dir(SHARED).glob("*.wit"))
    paths += sorted(p for p in (wc.ui_dir(SHARED) / "parse-fail").glob("*.wit") if p.is_file())
    return [(str(p.relative_to(SHARED)), p.read_text(encoding="utf-8")) for p in paths]


SEEDS = _seed_files()

TOKENS = [
    # keywords and names
    "package", "interface", "world", "use", "type", "record", "variant", "enum", "flags",
    "resource", "func", "import", "export", "include", "with", "as", "static", "constructor",
    "async", "own", "borrow", "list", "option", "result", "tuple", "future", "stream",
    "string", "u32", "s64", "f64", "char", "bool", "error-context", "_", "x", "a-b", "%record",
    "wasi:io/streams@0.2.12", "foo:bar", "0.2.0", "1.0.0-rc.1", "-", "--", "a--b", "9a",
    # punctuation
    "{", "}", "(", ")", "<", ">", ",", ";", ":", "=", "->", "/", "@", "*", ".", "%",
    # gates, comments, odd text
    "@since(version = 0.2.0)", "@unstable(feature = active)", "@deprecated(version = 1.0.0)",
    "@since(", "///", "//", "/*", "*/", "/**", '"', "\n", " ", "\t", "\r", "\r\n", "é", "\x00",
    "\u200b", "\ufeff", "\U0001f600", "\x7f",
]  # fmt: skip
TOKEN_RE = re.compile(r"[\w%@:.-]+|\S")


@st.composite
def _edit(draw, text: str) -> str:
    op = draw(
        st.sampled_from(
            ["delete", "insert", "replace", "token-delete", "token-replace", "token-insert",
             "truncate", "dup-line", "swap-lines"]
        )
    )  # fmt: skip
    n = len(text)
    if op == "truncate":
        return text[: draw(st.integers(0, n))]
    if op in ("dup-line", "swap-lines"):
        lines = text.splitlines(keepends=True)
        if len(lines) < 2:
            return text
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "dup-line":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines)
    if op.startswith("token-"):
        spans = [m.span() for m in TOKEN_RE.finditer(text)]
        if not spans:
            return text
        a, b = spans[draw(st.integers(0, len(spans) - 1))]
        new = "" if op == "token-delete" else draw(st.sampled_from(TOKENS))
        if op == "token-insert":
            return text[:a] + new + " " + text[a:]
        return text[:a] + new + text[b:]
    i = draw(st.integers(0, n))
    if op == "delete":
        return text[:i] + text[i + draw(st.integers(1, 8)) :]
    char = draw(st.one_of(st.sampled_from(TOKENS), st.characters(codec="utf-8")))
    if op == "insert":
        return text[:i] + char + text[i:]
    return text[:i] + char + text[i + 1 :]


@st.composite
def mutated(draw, seeds: list[tuple[str, str]]) -> tuple[str, str]:
    name, text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        text = draw(_edit(text))
    return name, text


#: The one error wasm-tools itself reports without a location: no file has a `package` line, so
#: there is no single place to point at. The random tests let it pass without one, so that it
#: does not hide every other finding; test_degenerate_inputs still asks for a location.
UNLOCATED_OK = "no `package` header"


def check_outcome(path: Path, files: dict[Path, str], strict: bool = False) -> None:
    """Load `path`; a failure must be a WitError located inside one of `files`."""
    try:
        witgen.load(path)
    except witgen.WitError as err:
        rendered = err.render()  # must not raise either
        if not strict and err.line is None and UNLOCATED_OK in err.message:
            return
        assert err.file is not None and err.line is not None and err.col is not None, (
            f"WitError without a location:\n{rendered}"
        )
        matches = [f for f in files if Path(err.file).resolve() == f.resolve()]
        assert matches, f"error names {err.file!r}, not one of the input files:\n{rendered}"
        lines = files[matches[0]].split("\n")
        assert 1 <= err.line <= len(lines), f"line {err.line} outside the file:\n{rendered}"
        assert 1 <= err.col <= len(lines[err.line - 1]) + 1, f"column outside the line:\n{rendered}"
        assert err.location in rendered


def _need_seeds(shared_dir: Path) -> None:
    assert SEEDS, f"no .wit files found under {shared_dir}"


def test_mutated_single_files_fail_cleanly(shared_dir: Path):
    _need_seeds(shared_dir)
    with tempfile.TemporaryDirectory(prefix="witgen-fuzz-") as tmp:
        path = Path(tmp) / "input.wit"

        @FUZZ
        @given(case=mutated(SEEDS))
        def run(case: tuple[str, str]) -> None:
            _name, text = case
            path.write_text(text, encoding="utf-8")
            check_outcome(path, {path: text})

        run()


def test_mutated_package_directory_fails_cleanly(corpus_dir: Path):
    """One file of a whole WASI package directory (root + deps/) edited: errors found while
    resolving across files must still point into the right file."""
    src = corpus_dir / "wasi-p2"
    originals = {p.relative_to(src): p.read_text(encoding="utf-8") for p in src.rglob("*.wit")}
    seeds = sorted((str(rel), text) for rel, text in originals.items())
    with tempfile.TemporaryDirectory(prefix="witgen-fuzz-dir-") as tmp:
        root = Path(tmp) / "wasi-p2"
        files = {root / rel: text for rel, text in originals.items()}
        for path, text in files.items():  # a copy with write bits (../shared has none under CI)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

        @settings(FUZZ, max_examples=max(1, EXAMPLES // 5))
        @given(case=mutated(seeds))
        def run(case: tuple[str, str]) -> None:
            rel, text = case
            target = root / rel
            target.write_text(text, encoding="utf-8")
            try:
                check_outcome(root, {**files, target: text})
            finally:
                target.write_text(originals[Path(rel)], encoding="utf-8")

        run()


@pytest.mark.parametrize("text", ["", "\n", "package", "package a:b;\nworld w {", "\ufeff"])
def test_degenerate_inputs(tmp_path: Path, text: str):
    """Even "there is no package here" points at the file (line 1, column 1 will do)."""
    path = tmp_path / "input.wit"
    path.write_text(text, encoding="utf-8")
    check_outcome(path, {path: text}, strict=True)
