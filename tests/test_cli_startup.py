"""A short `witgen` command loads only what it needs (issue #13, cold CLI).

A `witgen check` or `witgen resolve --json` in a fresh process, with a warm parse cache, must not
import the generators, the parser (lark), jinja2, or the standard modules the front end was
made to avoid (dataclasses and inspect: `witgen.records`; shutil: the help width; difflib: only
for a misspelt name's hint). bench/resolve_corpus.py measures the time this saves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "wasi-http-p2"

AVOIDED = {"dataclasses", "inspect", "shutil", "difflib", "lark", "jinja2", "witgen.js",
           "witgen.abi", "witgen.wasmtime", "witgen.python", "witgen.engine", "witgen.wit.parser"}  # fmt: skip

#: prints the exit status and the modules the command added (a site `.pth` may import some
#: of these before witgen starts; those are not witgen's)
SCRIPT = """
import sys
before = set(sys.modules)
from witgen.cli import main
import contextlib, io, json
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps([code, sorted(set(sys.modules) - before)]))
"""


def _modules(*argv: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", SCRIPT, *argv], capture_output=True, text=True, env=env, cwd="/"
    )
    run()  # the first run may fill the parse cache (and import lark for it)
    out = run()
    assert out.returncode == 0, out.stderr
    code, modules = json.loads(out.stdout)
    assert code == 0
    return set(modules)


@pytest.mark.parametrize("argv", [["check"], ["resolve", "--json"]])
def test_short_commands_import_only_the_front_end(argv: list[str]) -> None:
    modules = _modules(argv[0], str(CORPUS), *argv[1:])
    assert "witgen.wit.resolve" in modules
    assert not {m for m in modules if m in AVOIDED or m.split(".")[0] in AVOIDED}


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
