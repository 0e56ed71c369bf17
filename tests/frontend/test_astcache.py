"""The content-keyed parse cache: shared across processes, never changes results or errors, and
never trusts what it finds on disk (nothing there can run code)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import witgen
from witgen.wit import astcache, jsonout

GOOD = """package a:b;

interface i {
  record r { x: u32, y: list<string> }
  f: func(a: r) -> option<r>;
}

world w { export i; }
"""

OTHER = """package a:b;

interface j {
  variant v { a, b(string) }
}
"""

PROBE = """
import json, sys
import witgen, witgen.wit.jsonout
r = witgen.load(sys.argv[1])
print(json.dumps({"lark": "lark" in sys.modules, "json": witgen.wit.jsonout.dumps(r)}))
"""


def _run(path: Path, cache: Path) -> dict[str, object]:
    """Load `path` in a fresh process with the disk cache in `cache`; fails on a traceback."""
    env = dict(os.environ, WITGEN_CACHE_DIR=str(cache))
    env.pop("WITGEN_NO_CACHE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and not out.stderr, out.stderr
    result: dict[str, object] = json.loads(out.stdout)
    return result


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "ast-json").rglob("*.json"))


def _entry_for(cache: Path, text: str) -> Path:
    digest = hashlib.sha256(text.encode()).hexdigest()
    [entry] = [e for e in _entries(cache) if e.stem == digest]
    return entry


def test_second_process_loads_from_disk_without_lark(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(GOOD)
    cache = tmp_path / "cache"
    first = _run(wit, cache)
    second = _run(wit, cache)
    assert first["lark"] is True  # parsed
    assert second["lark"] is False  # served from the disk cache
    assert first["json"] == second["json"]
    assert len(_entries(cache)) == 1
    assert not list(cache.rglob("*.pickle")) and not list(cache.rglob("*.cache"))


class _Plant:
    """A pickle that creates `marker` when it is unpickled: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_planted_pickles_are_never_loaded(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(GOOD)
    cache = tmp_path / "cache"
    expected = _run(wit, cache)["json"]
    payload = pickle.dumps(_Plant(tmp_path / "pwned"))
    # the payload is live: unpickling it does create its marker
    pickle.loads(pickle.dumps(_Plant(tmp_path / "live")))
    assert (tmp_path / "live").exists()
    # plant it everywhere a cache file of this or an earlier witgen lives for this text
    digest = hashlib.sha256(GOOD.encode()).hexdigest()
    grammar = Path(witgen.__file__).parent / "wit" / "grammar.lark"
    old_tables = f"lark-wit-{hashlib.sha256(grammar.read_bytes()).hexdigest()[:16]}.cache"
    planted = [
        _entry_for(cache, GOOD),  # the syntax-tree entry itself
        *cache.glob("lark-wit-*.json"),  # the parse tables
        cache / old_tables,  # where the lark tables used to be pickled
        cache / "ast" / "0123456789abcdef" / digest[:2] / f"{digest}.pickle",  # old tree cache
    ]
    assert len(planted) == 4
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
    again = _run(wit, cache)
    assert not (tmp_path / "pwned").exists()
    assert again["json"] == expected and again["lark"] is True  # parsed afresh
    # and the bad entries were replaced by good ones
    assert _run(wit, cache) == {"lark": False, "json": expected}


@pytest.mark.parametrize(
    "garble",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"\xff\xfe not json", id="not-utf8"),
        pytest.param(lambda data: b"[" * 100_000, id="deeply-nested"),
        pytest.param(lambda data: data.replace(b'"list"', b'"lisp"'), id="unknown-node"),
        pytest.param(lambda data: data.replace(b'"r"', b'"q"'), id="renamed-identifier"),
        pytest.param(lambda data: data.replace(b'"format": "', b'"format": "x'), id="format"),
    ],
)
def test_garbled_entry_is_ignored_and_replaced(
    tmp_path: Path, garble: Callable[[bytes], bytes]
) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(GOOD)
    cache = tmp_path / "cache"
    expected = _run(wit, cache)["json"]
    entry = _entry_for(cache, GOOD)
    bad = garble(entry.read_bytes())
    assert bad != entry.read_bytes()
    entry.write_bytes(bad)
    again = _run(wit, cache)
    assert again["lark"] is True and again["json"] == expected
    assert _run(wit, cache)["lark"] is False  # rewritten


def test_entry_of_another_text_is_not_trusted(tmp_path: Path) -> None:
    # a well-formed entry, but made for other text: the digest it names differs, and even
    # with the digest rewritten, its identifiers are not where this text has them
    wit = tmp_path / "w.wit"
    other = tmp_path / "o.wit"
    wit.write_text(GOOD)
    other.write_text(OTHER)
    cache = tmp_path / "cache"
    expected = _run(wit, cache)["json"]
    _run(other, cache)
    target = _entry_for(cache, GOOD)
    source = _entry_for(cache, OTHER)
    target.write_bytes(source.read_bytes())
    assert _run(wit, cache) == {"lark": True, "json": expected}
    doc = json.loads(source.read_text())
    doc["source"] = target.stem
    target.write_text(json.dumps(doc))
    assert _run(wit, cache) == {"lark": True, "json": expected}


def test_deeply_nested_type_is_an_error_with_the_cache_on(tmp_path: Path) -> None:
    # writing this tree to the old pickle cache overflowed the stack: an internal error
    n = 900
    wit = tmp_path / "deep.wit"
    wit.write_text("package a:b;\ninterface i {\n  type t = " + "list<" * n + "u8" + ">" * n + ";\n}\n")
    env = dict(os.environ, WITGEN_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("WITGEN_NO_CACHE", None)
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-m", "witgen", "check", str(wit)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 1, out.stderr
        assert out.stderr.startswith("error: type nesting too deep"), out.stderr[:200]


def test_cached_tree_reports_errors_at_the_new_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same bytes under two paths: the second load hits the cache, and a resolve error must
    # name the second file, not the one that filled the cache.
    monkeypatch.setenv("WITGEN_CACHE_DIR", str(tmp_path / "cache"))
    bad = "package a:b;\n\ninterface i {\n  f: func(a: nope);\n}\n"
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "x.wit").write_text(bad)
    (tmp_path / "two" / "y.wit").write_text(bad)
    for folder, name in (("one", "x.wit"), ("two", "y.wit")):
        with pytest.raises(witgen.WitError) as info:
            witgen.load(tmp_path / folder)
        assert info.value.file is not None and info.value.file.endswith(name)
        assert (info.value.line, info.value.col) == (4, 14)


def test_memory_cache_gives_identical_results(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(GOOD)
    first = jsonout.dumps(witgen.load(wit))
    astcache._memory.clear()
    assert jsonout.dumps(witgen.load(wit)) == first
