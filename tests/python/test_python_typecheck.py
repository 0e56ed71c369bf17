"""`mypy --strict` (and pyright in strict mode, when installed) pass on the generated package
of every world of the corpus and of the conformance suite; every package imports without
wasmtime. Worlds are checked in one batch per suite."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support.missing import missing
from support.wit_cases import EMPTY_RECORD_DIVERGENCES, FEATURES, pass_cases

import witgen
from witgen.python import generate

#: what a refusal may say: the wasmtime-py limits, or the both-sides resource case
REFUSALS = ("which wasmtime-py 51", "which the world both imports and exports")


def _gen_all(worlds: list[tuple[str, Path, frozenset[str] | tuple[()]]], out: Path):
    names, rejected = [], []
    for name, path, feats in worlds:
        resolve = witgen.load(path, features=feats)
        for wid, world in enumerate(resolve.worlds):
            try:
                files = generate(resolve, wid, {})
            except witgen.WitError as e:
                rejected.append(f"{name}/{world.name}: {e.message}")
                continue
            pkg = re.sub(r"\W", "_", f"w_{name}_{wid}_{world.name}")
            for rel, data in files.items():
                (out / pkg / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / pkg / rel).write_bytes(data)
            names.append(pkg)
    return names, rejected


def _check(names: list[str], out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(out)}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         *(f"-p{n}" for n in names)],
        cwd=out, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-6000:]
    pyright = shutil.which("pyright")
    if pyright is None:
        missing("pyright not found (npm install -g pyright); mypy --strict passed")
    (out / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}\n')
    proc = subprocess.run([pyright, *names], cwd=out, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout[-6000:]


def _imports(names: list[str], out: Path) -> None:
    """Every package imports (class bodies, aliases, annotations) and wasmtime stays unloaded."""
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "assert 'wasmtime' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]


def test_corpus_worlds(corpus_dir, tmp_path):
    worlds = [(d.name, d, ()) for d in sorted(corpus_dir.iterdir()) if d.is_dir()]
    names, rejected = _gen_all(worlds, tmp_path)
    for msg in rejected:
        assert any(r in msg for r in REFUSALS), msg
    assert len(names) >= 10
    _imports(names, tmp_path)
    _check(names, tmp_path)


def test_conformance_worlds(conformance_dir, shared_dir, tmp_path):
    cases = [c for c in pass_cases(shared_dir) if c.name not in EMPTY_RECORD_DIVERGENCES]
    names, rejected = _gen_all([(c.name, c.path, FEATURES) for c in cases], tmp_path)
    assert len(names) >= 80
    for msg in rejected:
        assert any(r in msg for r in REFUSALS) and "function `" in msg or "resource `" in msg, msg
    _imports(names, tmp_path)
    _check(names, tmp_path)
