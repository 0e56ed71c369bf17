"""lark's parse tables cached as JSON: read back when intact, rebuilt when anything is off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from witgen.wit import parser, tables
from witgen.wit.treebuilder import TreeBuilder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WITGEN_CACHE_DIR", str(tmp_path))
    return tmp_path


def _entry(cache: Path) -> Path:
    [entry] = cache.glob("lark-wit-*.json")
    return entry


def test_tables_are_written_once_and_read_back(cache: Path) -> None:
    tables.build_parser(TreeBuilder(), parser._TokenList)
    entry = _entry(cache)
    written = entry.stat().st_mtime_ns
    loaded = tables._read(entry.as_posix(), entry.stem.removeprefix("lark-wit-"), TreeBuilder(), parser._TokenList)
    assert loaded is not None
    assert [str(r) for r in loaded.rules] == [
        str(r) for r in tables.build_parser(TreeBuilder(), parser._TokenList).rules
    ]
    assert entry.stat().st_mtime_ns == written  # read, not rebuilt


@pytest.mark.parametrize(
    "callback",
    ["transform", "_gate", "__init__"],
    ids=["lark-transformer-method", "builder-helper", "dunder"],
)
def test_tables_calling_other_methods_are_rejected(cache: Path, callback: str) -> None:
    tables.build_parser(TreeBuilder(), parser._TokenList)
    entry = _entry(cache)
    key = entry.stem.removeprefix("lark-wit-")
    doc = json.loads(entry.read_text())
    rules = doc["memo"]["#d"]
    rules[0][1]["alias"] = callback  # not one of the grammar's rule callbacks
    entry.write_text(json.dumps(doc))
    assert tables._read(entry.as_posix(), key, TreeBuilder(), parser._TokenList) is None
    rules[0][1]["alias"] = None
    entry.write_text(json.dumps(doc))
    assert tables._read(entry.as_posix(), key, TreeBuilder(), parser._TokenList) is not None


@pytest.mark.parametrize(
    "bad",
    [b"", b"{", b'{"format": "witgen-lark-json-1"}', b'{"#t": [1]}', b"[" * 100_000],
    ids=["empty", "truncated", "no-tables", "not-an-entry", "deeply-nested"],
)
def test_bad_tables_are_ignored_and_rewritten(cache: Path, bad: bytes) -> None:
    tables.build_parser(TreeBuilder(), parser._TokenList)
    entry = _entry(cache)
    entry.write_bytes(bad)
    key = entry.stem.removeprefix("lark-wit-")
    assert tables._read(entry.as_posix(), key, TreeBuilder(), parser._TokenList) is None
    tables.build_parser(TreeBuilder(), parser._TokenList)  # rebuilds and rewrites
    assert tables._read(entry.as_posix(), key, TreeBuilder(), parser._TokenList) is not None
