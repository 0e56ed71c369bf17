"""The hooks with `target = "python"`: testprojects/hello-python builds (hatchling, through pip)
into a wheel carrying the generated package at `hello_python/_wit/` with the bundled
component; installed into a fresh virtualenv, it runs the guest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from py_support import REPO
from support.missing import missing


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def sysconfig_paths() -> list[str]:
    import sysconfig

    return sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})


def test_hello_python_wheel_runs_the_guest(tmp_path, component, engine):
    """`engine`: skips (fails under CI=true) without wasmtime-py >= 51, which the wheel needs."""
    try:
        import hatchling  # noqa: F401
    except ImportError:
        missing("hatchling not installed: cannot build testprojects/hello-python")
    project = shutil.copytree(REPO / "testprojects" / "hello-python", tmp_path / "hello-python")
    (project / "guest").mkdir(exist_ok=True)
    shutil.copy(component("hello"), project / "guest" / "hello.wasm")
    # the build backend imports this clone's witgen and hooks (no build isolation)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PIP_NO_INDEX": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
          "-w", dist, project], tmp_path, env)  # fmt: skip
    (whl,) = dist.glob("*.whl")
    names = sorted(n for n in zipfile.ZipFile(whl).namelist() if n.startswith("hello_python/"))
    assert names == [
        "hello_python/__init__.py",
        "hello_python/_wit/__init__.py",
        "hello_python/_wit/_rt.py",
        "hello_python/_wit/hello.wasm",
        "hello_python/_wit/py.typed",
    ]
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp_path, env)
    py = venv / "bin" / "python"
    # wasmtime comes from the interpreter running the tests, also when that is itself a venv
    # (whose --system-site-packages child would see the base interpreter's packages instead)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "outer.pth").write_text("".join(p + "\n" for p in sysconfig_paths()))
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    _run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", whl], tmp_path, clean)
    out = _run(
        [py, "-c", "import hello_python as h; print(h.__file__); print(h.greet('wheel'))"],
        tmp_path, clean,
    )  # fmt: skip
    where, result = out.strip().splitlines()
    assert Path(where).is_relative_to(venv)
    assert result == "('Hello, wheel!', ['Hello, wheel!'])"
