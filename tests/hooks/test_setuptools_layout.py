"""setuptools' flat layout (packages beside pyproject.toml) with `wit/` and `guest/` folders:
auto-discovery must not take them for packages (setuptools_wit/discovery.py)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from .conftest import write
from .projects import Env, target_available, wheel_names

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=64", "witgen"]
build-backend = "setuptools.build_meta"

[project]
name = "flatpkg"
version = "0.1.0"

[tool.witgen]
options = { wasm = "guest/flat.wasm" }
"""

WIT = """\
package t:flat;
world flat {
  export add: func(a: u32, b: u32) -> u32;
}
"""

GUEST_WAT = """\
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
"""


def flat_project(base: Path) -> Path:
    project = base / "flatpkg"
    write(project / "pyproject.toml", PYPROJECT)
    write(project / "flatpkg" / "__init__.py", "")
    write(project / "wit" / "flat.wit", WIT)
    return project


@pytest.mark.skipif(not target_available("js"), reason="target `js` not available")
def test_flat_layout_with_wit_and_guest_folders(hook_env: Env, tmp_path: Path) -> None:
    project = flat_project(tmp_path)
    wat = write(tmp_path / "flat.wat", GUEST_WAT)
    (project / "guest").mkdir()
    hook_env.run("wasm-tools", "parse", wat, "-o", project / "guest" / "flat.wasm")
    want = [
        "flatpkg/__init__.py",
        "flatpkg/js/bindings.js",
        "flatpkg/js/browser.d.ts",
        "flatpkg/js/browser.js",
        "flatpkg/js/flat.core.wasm",
        "flatpkg/js/index.d.ts",
        "flatpkg/js/index.js",
        "flatpkg/js/package.json",
    ]

    whl = hook_env.wheel(project, tmp_path / "direct")
    assert [n for n in wheel_names(whl) if ".dist-info/" not in n] == want

    # isolated: the sdist, then a wheel from the unpacked sdist
    out = tmp_path / "dist"
    hook_env.run(hook_env.python, "-m", "build", "-o", out, project, cwd=tmp_path)
    (sdist,) = out.glob("*.tar.gz")
    with tarfile.open(sdist) as t:
        names = t.getnames()
    assert "flatpkg-0.1.0/wit/flat.wit" in names and "flatpkg-0.1.0/guest/flat.wasm" in names
    (whl,) = out.glob("*.whl")
    assert [n for n in wheel_names(whl) if ".dist-info/" not in n] == want
