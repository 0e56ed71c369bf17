"""sdist -> wheel for both hooks, after a wheel build has filled `build/witgen/`, with and
without git and a `.gitignore`: the sdist carries inputs only (no build outputs, no symlinks),
and the wheel built from it has the same bindings as the direct one."""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
from pathlib import Path

import pytest

from .projects import Env, copy_project, target_available, wheel_names, wheel_read

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: (hook, monorepo package, its importable name): both bind WIT with `deps` from outside the
#: project, which makes witgen compose symlink folders below `build/witgen/wit/`
PROJECTS = {"hatch": ("app", "mono_app"), "setuptools": ("events", "mono_events")}


def _generated(whl: Path, prefix: str) -> dict[str, str]:
    return {
        n: hashlib.sha256(wheel_read(whl, n)).hexdigest()
        for n in wheel_names(whl)
        if n.startswith(prefix) and n.count("/") > 1  # below the package: generated folders
    }


@pytest.mark.skipif(
    not (target_available("js") and target_available("wasmtime")), reason="targets missing"
)
@pytest.mark.parametrize("vcs", ["none", "git"])
@pytest.mark.parametrize("hook", sorted(PROJECTS))
def test_sdist_carries_no_build_outputs(hook_env: Env, tmp_path: Path, hook: str, vcs: str) -> None:
    package, module = PROJECTS[hook]
    mono = copy_project("monorepo", tmp_path, echo=False)
    if vcs == "none":
        (mono / ".gitignore").unlink()
    else:
        subprocess.run(["git", "init", "-q", str(mono)], check=True)
    project = mono / "packages" / package
    direct = hook_env.wheel(project, tmp_path / "direct")
    assert list((project / "build" / "witgen").rglob("*.wit")), "no composed WIT folder"

    out = tmp_path / "dist"
    hook_env.run(hook_env.python, "-m", "build", "--no-isolation", "-o", out, project)
    (sdist,) = out.glob("*.tar.gz")
    with tarfile.open(sdist) as t:
        members = t.getmembers()
    root = sdist.name.removesuffix(".tar.gz")
    assert not [m.name for m in members if m.name.startswith(f"{root}/build/")]
    assert not [m.name for m in members if m.issym() or m.islnk()]
    assert f"{root}/_wit_external/_up_/_up_/wit-shared/types/types.wit" in {m.name for m in members}

    (whl,) = out.glob("*.whl")  # built by `build` from the unpacked sdist
    assert _generated(whl, f"{module}/") == _generated(direct, f"{module}/")
    assert _generated(whl, f"{module}/")
