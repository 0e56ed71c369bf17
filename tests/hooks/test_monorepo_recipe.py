"""README's monorepo recipe, run the way a user runs it: witgen as a folder of the repository
(`tools/witgen`), a fresh virtualenv, the recipe's `pip install` lines verbatim (taken from the
README block, so the two cannot drift), two packages sharing WIT through `deps` built without
build isolation. The only package source is the test wheelhouse (no index).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .projects import REPO, Env, copy_project, summaries, target_available
from .test_publish import witgen_copy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CHECK = """
from importlib.resources import files
for pkg, rel in [("mono_app", "app-js/package.json"), ("mono_app", "plugin_js/package.json"),
                 ("mono_events", "js/package.json")]:
    print(pkg, rel, (files(pkg) / rel).is_file())
"""


def _recipe() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^ *```sh no-run: tests/hooks/test_monorepo_recipe\.py.*?\n(.*?)^ *```", text, re.S | re.M)
    assert m, "README.md lost the monorepo recipe block this test runs"
    lines = [line.strip() for line in m.group(1).splitlines() if line.strip()]
    assert any("--no-build-isolation" in line for line in lines), lines
    return lines


@pytest.mark.skipif(
    not (target_available("js") and target_available("wasmtime")),
    reason="targets `js`/`wasmtime` not available",
)
def test_readme_monorepo_recipe_without_build_isolation(hook_env: Env, tmp_path: Path) -> None:
    mono = copy_project("monorepo", tmp_path, echo=False)
    witgen_copy(mono / "tools")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True)
    env = {
        **hook_env.env,
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{hook_env.env['PATH'].split(os.pathsep, 1)[1]}",
    }

    def run(line: str) -> str:
        proc = subprocess.run(
            ["bash", "-ec", line.replace("pip install", "pip install -v", 1)],
            cwd=mono,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return proc.stdout + proc.stderr

    setup, *builds = _recipe()
    run(setup)
    python = venv / "bin" / "python"
    where = subprocess.run(
        [python, "-c", "import witgen; print(witgen.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # installed, not this clone
    first = [s for line in builds for s in summaries(run(line))]
    assert len(first) == 5 and all(": generated (" in s for s in first), first
    out = subprocess.run(
        [python, "-c", CHECK], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert out.split("\n")[:3] == [
        "mono_app app-js/package.json True",
        "mono_app plugin_js/package.json True",
        "mono_events js/package.json True",
    ], out
    assert (mono / "crates" / "events-bindings" / "Cargo.toml").is_file()

    # both packages use the shared logging package: an edit there regenerates both
    log = mono / "wit-shared" / "logging" / "logging.wit"
    sig = "log: func(level: level, message: string);\n"
    log.write_text(log.read_text().replace(sig, sig + "  flush: func();\n"))
    again = [s for line in builds for s in summaries(run(line))]
    assert len(again) == 5 and all(": generated (" in s for s in again), again
    rust = (mono / "crates" / "events-bindings").rglob("*.rs")
    assert any("fn flush" in p.read_text() for p in rust)
