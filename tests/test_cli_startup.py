"""A short `witgen` command loads only what it needs (issue #13, cold CLI).

A `witgen check` or `witgen resolve --json` in a fresh process, with a warm parse cache, must not
import the generators, the parser (lark), jinja2, or the standard modules the front end was
made to avoid (dataclasses and inspect: `witgen.records`; shutil: the help width; difflib: only
for a misspelt name's hint). When `witgen.clicache` holds the command's output, it imports
nothing but the few witgen modules that check and replay it: no argparse, json, re, typing,
pathlib or hashlib. bench/resolve_corpus.py measures the time this saves.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "wasi-http-p2"

AVOIDED = {"dataclasses", "inspect", "shutil", "difflib", "lark", "jinja2", "witgen.js",
           "witgen.abi", "witgen.wasmtime", "witgen.python", "witgen.engine", "witgen.wit.parser"}  # fmt: skip

#: what a replayed command imports: the package, the command line, the cache and its checks
REPLAY = {"__future__", "witgen", "witgen.errors", "witgen.cli", "witgen.clicache",
          "witgen.inputlog", "witgen.cachedir"}  # fmt: skip

#: runs the command (its output to stdout), then writes the exit status and the modules the
#: command added to stderr (a site `.pth` may import some before witgen starts; those are not
#: witgen's); it imports nothing itself, so none of the command's imports are hidden
SCRIPT = """
import sys
before = set(sys.modules)
from witgen.cli import main
code = main(sys.argv[1:])
sys.stderr.write(repr([code, sorted(set(sys.modules) - before)]))
"""


def _modules(*argv: str, replay: bool = True) -> tuple[str, set[str]]:
    """The output and the imports of the second of two runs of `argv`; without `replay`, each
    run names a feature never named before, so its output was never stored."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("WITGEN_NO_CACHE", None)

    def run() -> subprocess.CompletedProcess[str]:
        unseen = [] if replay else ["--features", f"unseen-{uuid.uuid4().hex}"]
        cmd = [sys.executable, "-c", SCRIPT, *argv, *unseen]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd="/")

    run()  # fills the parse cache (and the command's entry)
    out = run()
    code, modules = ast.literal_eval(out.stderr)
    assert code == 0, out.stderr
    return out.stdout, set(modules)


@pytest.mark.parametrize("argv", [["check"], ["resolve", "--json"]])
def test_short_commands_import_only_the_front_end(argv: list[str]) -> None:
    _, modules = _modules(argv[0], str(CORPUS), *argv[1:], replay=False)
    assert "witgen.wit.resolve" in modules
    assert not {m for m in modules if m in AVOIDED or m.split(".")[0] in AVOIDED}


@pytest.mark.parametrize("argv", [["check"], ["resolve", "--json"]])
def test_a_replayed_command_imports_only_the_cache(argv: list[str]) -> None:
    out, modules = _modules(argv[0], str(CORPUS), *argv[1:])
    assert modules == REPLAY
    plain, _ = _modules(argv[0], str(CORPUS), *argv[1:], replay=False)
    assert out == plain and out


@pytest.mark.parametrize("columns", [None, "77", "0", "x", "500"])
def test_help_width_is_what_argparse_would_use(
    monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    from witgen.cli import _help_width

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _help_width() == shutil.get_terminal_size().columns - 2
