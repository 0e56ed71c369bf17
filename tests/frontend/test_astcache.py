"""The content-keyed parse cache: shared across processes, never changes results or errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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

PROBE = """
import json, sys
import witgen, witgen.wit.jsonout
r = witgen.load(sys.argv[1])
print(json.dumps({"lark": "lark" in sys.modules, "json": witgen.wit.jsonout.dumps(r)}))
"""


def _run(path: Path, cache: Path) -> dict:
    env = dict(os.environ, WITGEN_CACHE_DIR=str(cache))
    env.pop("WITGEN_NO_CACHE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_second_process_loads_from_disk_without_lark(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(GOOD)
    cache = tmp_path / "cache"
    first = _run(wit, cache)
    second = _run(wit, cache)
    assert first["lark"] is True  # parsed
    assert second["lark"] is False  # served from the disk cache
    assert first["json"] == second["json"]
    assert list((cache / "ast").rglob("*.pickle"))


def test_damaged_cache_entry_is_ignored(tmp_path: Path) -> None:
    wit = tmp_path / "w.wit"
    wit.write_text(GOOD)
    cache = tmp_path / "cache"
    expected = _run(wit, cache)["json"]
    for entry in (cache / "ast").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = _run(wit, cache)
    assert again["lark"] is True and again["json"] == expected


def test_cached_tree_reports_errors_at_the_new_path(tmp_path: Path, monkeypatch) -> None:
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
