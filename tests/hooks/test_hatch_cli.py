"""`hatch build` and `hatch clean` (the hatch CLI, not just hatchling) on hello-hatch.

hatch makes its own build environment from the session wheelhouse (no index), so this is the
path a hatch user takes: the hook runs inside `hatch build`, and `hatch clean` calls its clean.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.missing import missing

from .projects import Env, build_guest, copy_project, summaries, target_available, wheel_names

pytestmark = pytest.mark.skipif(not target_available("js"), reason="target `js` not available")


def _hatch() -> str:
    exe = shutil.which("hatch")
    if exe is None:
        missing("hatch is not installed (scripts/setup-tests.sh installs it)")
    return exe


def test_hatch_build_and_clean(hook_env: Env, tmp_path: Path) -> None:
    hatch = _hatch()
    project = copy_project("hello-hatch", tmp_path, echo=False)
    build_guest(project)
    env = {
        "HATCH_DATA_DIR": str(tmp_path / "hatch-data"),
        "HATCH_CACHE_DIR": str(tmp_path / "hatch-cache"),
    }
    proc = hook_env.run(hatch, "build", "-t", "wheel", cwd=project, **env)
    assert [s.split(": ")[-1].split(" (")[0] for s in summaries(proc.stdout + proc.stderr)] == [
        "generated"
    ]
    (whl,) = (project / "dist").glob("*.whl")
    assert [n for n in wheel_names(whl) if n.startswith("hello_hatch/js/")] == [
        "hello_hatch/js/bindings.js",
        "hello_hatch/js/browser.d.ts",
        "hello_hatch/js/browser.js",
        "hello_hatch/js/hello.core.wasm",
        "hello_hatch/js/index.d.ts",
        "hello_hatch/js/index.js",
        "hello_hatch/js/package.json",
    ]
    assert (project / "build" / "witgen" / "out" / "js" / "index.js").is_file()

    hook_env.run(hatch, "clean", cwd=project, **env)
    assert not (project / "build").exists()
    assert not list((project / "dist").glob("*.whl"))
