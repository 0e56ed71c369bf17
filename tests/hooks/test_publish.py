"""witgen as a published distribution: its own sdist and wheel, and the documented ways an
isolated build of a user's project gets witgen before it is on an index (README, "Getting
witgen into an isolated build").

Every build here is isolated and reaches no index: the third-party wheels come from the test
wheelhouse (scripts/setup/50-hooks.sh), witgen from a wheel or a copy of this clone.
"""

from __future__ import annotations

import email
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from support.missing import missing

import witgen

from .projects import REPO, Env, copy_project, third_party_wheelhouse, wheel_names

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: what a working clone accumulates and an sdist must never carry (relative to the clone)
JUNK = [
    "build/example/venv/lib/site.py",
    "dist/witgen-0.0.0.tar.gz",
    "witgen/__pycache__/model.cpython-311.pyc",
    "witgen.egg-info/PKG-INFO",
    ".pytest_cache/v/cache/nodeids",
    ".mypy_cache/3.11/witgen/model.meta.json",
    "testprojects/hello-hatch/build/witgen/out/js/index.js",
    "testprojects/hello-hatch/guest/hello.wasm",
    "tests/js/node_modules/typescript/package.json",
    "tests/wasmtime/target/debug/host",
]
JUNK_PARTS = {"build", "dist", "__pycache__", "node_modules", "target", "witgen.egg-info"}
JUNK_PARTS |= {".pytest_cache", ".mypy_cache"}


def witgen_copy(dest: Path) -> Path:
    """A copy of this clone's sources, without VCS data or build leftovers, and no .gitignore."""
    out = dest / "witgen"
    shutil.copytree(
        REPO,
        out,
        ignore=shutil.ignore_patterns(
            ".git",
            "build",
            "dist",
            "__pycache__",
            "node_modules",
            "target",
            "*.egg-info",
            ".*_cache",
        ),
    )
    (out / ".gitignore").unlink(missing_ok=True)
    return out


def _metadata(text: str) -> email.message.Message:
    return email.message_from_string(text)


def test_witgen_sdist_and_wheel_are_publishable(hook_env: Env, tmp_path: Path) -> None:
    twine = shutil.which("twine")
    if twine is None:
        missing("twine not installed (scripts/setup-tests.sh installs it)")
    src = witgen_copy(tmp_path)
    for rel in JUNK:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text("junk\n")
    out = tmp_path / "dist"
    # isolated: hatchling comes from the wheelhouse; the wheel is built from the sdist
    hook_env.run(hook_env.python, "-m", "build", "-o", out, src, cwd=tmp_path)
    (sdist,) = out.glob("*.tar.gz")
    (whl,) = out.glob("*.whl")
    assert sdist.name == f"witgen-{witgen.__version__}.tar.gz"
    assert whl.name == f"witgen-{witgen.__version__}-py3-none-any.whl"
    hook_env.run(twine, "check", "--strict", sdist, whl)

    root = f"witgen-{witgen.__version__}"
    with tarfile.open(sdist) as t:
        names = {n.removeprefix(root + "/") for n in t.getnames()}
        pkg_info = _metadata(t.extractfile(f"{root}/PKG-INFO").read().decode())
    assert {"LICENSE", "README.md", "pyproject.toml", "witgen/__init__.py"} <= names
    assert "tests/hooks/test_publish.py" in names
    junk = [
        n
        for n in names
        if set(n.split("/")) & JUNK_PARTS or n.endswith((".pyc", ".wasm", ".tar.gz"))
    ]
    assert not junk, "build outputs or caches in the sdist"

    with zipfile.ZipFile(whl) as z:
        meta = _metadata(z.read(f"{root}.dist-info/METADATA").decode())
    assert f"{root}.dist-info/licenses/LICENSE" in wheel_names(whl)
    assert not [n for n in wheel_names(whl) if n.startswith(("tests/", "testprojects/"))]
    for m in (pkg_info, meta):
        assert m["Name"] == "witgen"
        assert m["Version"] == witgen.__version__
        assert m["License-Expression"] == "Apache-2.0"
        assert m["Requires-Python"] == ">=3.11"
        assert "Programming Language :: Python :: 3.11" in m.get_all("Classifier", [])
        assert m["Description-Content-Type"] == "text/markdown"
        assert m.get_payload().startswith("# witgen\n")


def _js_files(whl: Path) -> list[str]:
    return [n for n in wheel_names(whl) if n.startswith("hello_hatch/js/")]


HELLO_JS = ["hello_hatch/js/index.d.ts", "hello_hatch/js/index.js", "hello_hatch/js/package.json"]


def test_isolated_build_finds_witgen_in_a_wheelhouse(hook_env: Env, tmp_path: Path) -> None:
    """`PIP_FIND_LINKS=wheelhouse python -m build`: the wheelhouse holds witgen's wheel."""
    project = copy_project("hello-hatch", tmp_path, echo=False)
    _drop_guest(project)
    assert list(hook_env.wheelhouse.glob("witgen-*.whl")), "the wheelhouse lacks witgen"
    out = tmp_path / "dist"
    hook_env.run(
        hook_env.python,
        "-m",
        "build",
        "--wheel",
        "-o",
        out,
        project,
        cwd=tmp_path,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(hook_env.wheelhouse),
    )
    (whl,) = out.glob("*.whl")
    assert _js_files(whl) == HELLO_JS


def test_isolated_uv_build_takes_witgen_from_a_relative_uv_source(
    hook_env: Env, tmp_path: Path
) -> None:
    """`[tool.uv.sources] witgen = { path = "../witgen" }`, as in a monorepo; no witgen wheel
    anywhere uv may look."""
    uv = shutil.which("uv", path=hook_env.env["PATH"])
    if uv is None:
        missing("uv not installed (scripts/setup-tests.sh installs it)")
    witgen_copy(tmp_path)
    project = copy_project("hello-hatch", tmp_path, echo=False)
    _drop_guest(project)
    with (project / "pyproject.toml").open("a") as f:
        f.write('\n[tool.uv.sources]\nwitgen = { path = "../witgen" }\n')
    third_party = third_party_wheelhouse()
    assert not list(third_party.glob("witgen-*.whl"))
    out = tmp_path / "dist"
    hook_env.run(
        uv,
        "build",
        "--wheel",
        "-o",
        out,
        project,
        cwd=tmp_path,
        UV_NO_INDEX="1",
        UV_FIND_LINKS=str(third_party),
        UV_CACHE_DIR=str(tmp_path / "uv-cache"),
    )
    (whl,) = out.glob("*.whl")
    assert _js_files(whl) == HELLO_JS


def _drop_guest(project: Path) -> None:
    """Build hello-hatch without its guest (no wasm-tools needed for these tests)."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    assert ', wasm = "guest/hello.wasm"' in text
    pyproject.write_text(text.replace(', wasm = "guest/hello.wasm"', ""))
