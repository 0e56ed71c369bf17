"""The `guest-build` step (witgen.guestbuild): a command with declared inputs that makes the
guest before the bindings are generated, run only when its inputs, command or output changed.

In-process tests count the command's runs through a script that appends to a log (the oracle
is that log, not witgen's messages). The end-to-end test installs `testprojects/guest-build`
(a C guest, `make -C guest` with clang + wasi-libc) with `pip install .` into the session's
virtualenv, with `make` behind a shim on PATH that logs each call, and runs the installed JS
package in Node.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from support.missing import missing

from witgen.config import ConfigError, load_config
from witgen.errors import WitError
from witgen.project import Project

from .conftest import write
from .projects import Env, copy_project, summaries, target_available, wheel_read

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HELLO = "package t:hello;\nworld hello {\n  export greet: func(name: string) -> string;\n}\n"

#: the "guest build": logs its run, then writes the concatenated inputs to the output
BUILD_PY = """\
import pathlib, sys
root = pathlib.Path(__file__).parent
with open(root / "runs.log", "a") as log:
    log.write("run\\n")
if (root / "fail").exists():
    sys.stderr.write("guest.c:3:1: error: expected ';'\\n")
    sys.exit(2)
if not (root / "skip-output").exists():
    text = "".join(p.read_text() for p in sorted(root.glob("*.c")))
    (root / "out.wasm").write_text(text)
"""


def _config(extra: str = "") -> str:
    return (
        '[tool.witgen]\ntarget = "echo"\n'
        'options = { wasm = "guest/out.wasm" }\n'
        f'guest-build = {{ command = ["{sys.executable}", "guest/build.py"], '
        f'inputs = ["guest/**/*.c"], output = "guest/out.wasm"{extra} }}\n'
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root / "wit" / "hello.wit", HELLO)
    write(root / "src" / "proj" / "__init__.py", "")
    write(root / "guest" / "build.py", BUILD_PY)
    write(root / "guest" / "a.c", "int a;\n")
    write(root / "guest" / "sub" / "b.c", "int b;\n")
    write(root / "pyproject.toml", _config())
    return root


def _project(root: Path) -> Project:
    cfg = load_config(root, table="tool.witgen", default_package=lambda: "proj")
    return Project(cfg)


def _runs(root: Path) -> int:
    log = root / "guest" / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def _build(root: Path) -> list[str]:
    lines: list[str] = []
    _project(root).build("standard", log=lines.append)
    return lines


def _outputs(root: Path) -> dict[str, bytes]:
    out = root / "build" / "witgen" / "out"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_runs_only_when_inputs_command_or_output_change(project: Path, echo_target: str) -> None:
    lines = _build(project)
    assert _runs(project) == 1
    assert (project / "guest" / "out.wasm").read_text() == "int a;\n"  # sub/ sorts after a.c
    assert lines[0].startswith(
        f"witgen: guest-build `{sys.executable} guest/build.py` -> guest/out.wasm: ran ("
    )
    assert lines[1].startswith("witgen: echo bindings") and lines[1].endswith(")")

    lines = _build(project)
    assert _runs(project) == 1, "unchanged inputs: the command must not run"
    assert lines[0].endswith("-> guest/out.wasm: up to date")

    edits = [
        lambda: (project / "guest" / "sub" / "b.c").write_text("int b2;\n"),  # matched by **
        lambda: write(project / "guest" / "sub" / "c.c", "int c;\n"),  # a new input file
        lambda: (project / "guest" / "sub" / "c.c").unlink(),  # an input removed
        lambda: (project / "guest" / "out.wasm").write_text("edited by hand"),
        lambda: (project / "guest" / "out.wasm").unlink(),
        lambda: (project / "pyproject.toml").write_text(
            _config().replace('"guest/build.py"', '"guest/build.py", "-v"')
        ),
    ]
    for n, edit in enumerate(edits, start=2):
        edit()
        _build(project)
        assert _runs(project) == n, f"edit {n - 2} did not rerun the guest build"
        _build(project)
        assert _runs(project) == n, f"edit {n - 2}: the next build ran it again"

    # files no pattern matches are not inputs
    write(project / "guest" / "notes.txt", "x")
    _build(project)
    assert _runs(project) == len(edits) + 1


def test_the_bundled_guest_is_the_fresh_one(project: Path, echo_target: str) -> None:
    """The binding sees the bytes the step just wrote (the engine hashes the `wasm` option)."""
    _build(project)
    first = _outputs(project)
    (project / "guest" / "a.c").write_text("int changed;\n")
    lines = _build(project)
    assert "guest-build" in lines[0] and ": ran (" in lines[0]
    assert ": generated (" in lines[1], lines
    assert _outputs(project) != first


def test_failures_are_clear_and_keep_the_outputs(project: Path, echo_target: str) -> None:
    _build(project)
    before = _outputs(project)
    (project / "guest" / "a.c").write_text("int a = ;\n")

    (project / "guest" / "fail").write_text("")
    with pytest.raises(WitError) as info:
        _build(project)
    text = str(info.value)
    assert "`tool.witgen.guest-build.command`" in text
    assert "failed with exit status 2" in text and "previous outputs kept" in text
    assert "guest.c:3:1: error: expected ';'" in text  # the command's stderr
    assert info.value.line == 4 and str(info.value.file).endswith("pyproject.toml")
    assert _outputs(project) == before
    (project / "guest" / "fail").unlink()

    (project / "guest" / "skip-output").write_text("")
    (project / "guest" / "out.wasm").unlink()
    with pytest.raises(WitError) as info:
        _build(project)
    assert "`tool.witgen.guest-build.output`" in str(info.value)
    assert "guest/out.wasm does not exist after" in str(info.value)
    assert _outputs(project) == before
    (project / "guest" / "skip-output").unlink()

    runs = _runs(project)
    _build(project)  # a failed run left no stamp: the next build runs it
    assert _runs(project) == runs + 1
    before = _outputs(project)

    (project / "pyproject.toml").write_text(
        _config().replace(sys.executable, "witgen-no-such-tool")
    )
    with pytest.raises(WitError) as info:
        _build(project)
    assert "`tool.witgen.guest-build.command[0]`" in str(info.value)
    assert "`witgen-no-such-tool` not found (is it installed and on PATH?)" in str(info.value)
    assert _outputs(project) == before


@pytest.mark.parametrize(
    "value, key, words",
    [
        ('"make"', "guest-build", "expected a table"),
        ('{ command = ["make"], inputs = ["x"] }', "guest-build", "needs `output`"),
        (
            '{ command = ["make"], inputs = ["x"], output = "o", imputs = [] }',
            "guest-build.imputs",
            "unknown key (did you mean `inputs`?)",
        ),
        ('{ command = "make", inputs = ["x"], output = "o" }', "guest-build.command", "array"),
        ('{ command = [], inputs = ["x"], output = "o" }', "guest-build.command", "not be empty"),
        ('{ command = ["make", 1], inputs = ["x"], output = "o" }', "guest-build.command[1]", "a string"),
        (
            '{ command = ["make"], inputs = ["../other/*.c"], output = "o" }',
            "guest-build.inputs[0]",
            "must be a relative pattern inside the project",
        ),
        (
            '{ command = ["make"], inputs = ["x"], output = "../o.wasm" }',
            "guest-build.output",
            "must be a file inside the project",
        ),
    ],
)
def test_bad_config_names_the_key_and_line(project: Path, value: str, key: str, words: str) -> None:
    (project / "pyproject.toml").write_text(f'[tool.witgen]\n\nguest-build = {value}\n')
    with pytest.raises(ConfigError) as info:
        _project(project)
    assert f"`tool.witgen.{key}`" in str(info.value) and words in str(info.value)
    assert info.value.line == 3


def test_a_pattern_matching_nothing_is_an_error(project: Path, echo_target: str) -> None:
    (project / "pyproject.toml").write_text(_config().replace("guest/**/*.c", "guest/*.cc"))
    with pytest.raises(WitError) as info:
        _build(project)
    assert "`tool.witgen.guest-build.inputs[0]`: `guest/*.cc` matches no file" in str(info.value)
    assert _runs(project) == 0


def test_wasm_may_not_exist_only_when_the_step_makes_it(project: Path) -> None:
    assert not (project / "guest" / "out.wasm").exists()
    load_config(project, table="tool.witgen", default_package=lambda: "proj", check_targets=False)
    (project / "pyproject.toml").write_text(
        _config().replace('wasm = "guest/out.wasm"', 'wasm = "guest/other.wasm"')
    )
    with pytest.raises(ConfigError, match="other.wasm does not exist"):
        _project(project)


# --- end to end: pip install . of testprojects/guest-build ----------------------------------

RUN_GUEST = """
const [pkg] = process.argv.slice(2);
const m = await import(pkg + "/index.js");
const g = await m.load();
console.log(g.greet("witgen"), g.add(2, 3));
"""


def _make_shim(folder: Path, log: Path) -> Path:
    """A `make` that logs each call, then runs the real one."""
    real = shutil.which("make")
    if real is None:
        missing("make not found (Debian package make)")
    folder.mkdir()
    shim = folder / "make"
    shim.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.mark.skipif(not target_available("js"), reason="target `js` not available")
def test_pip_install_builds_the_c_guest_and_the_bindings(hook_env: Env, tmp_path: Path) -> None:
    from support.guests import ToolMissing, clang

    try:
        clang()
    except ToolMissing as e:
        missing(str(e))
    node = shutil.which("node")
    if node is None:
        missing("node not found: cannot run the installed JS package")
    project = copy_project("guest-build", tmp_path, echo=False)
    assert not (project / "guest" / "hello.wasm").exists()
    calls = tmp_path / "make-calls.log"
    path = f"{_make_shim(tmp_path / 'shim', calls)}{os.pathsep}{hook_env.env['PATH']}"
    script = tmp_path / "run.mjs"
    script.write_text(RUN_GUEST)

    def install() -> list[str]:
        proc = hook_env.pip("install", "-v", "--no-deps", ".", cwd=project, PATH=path)
        return summaries(proc.stdout + proc.stderr)

    def run() -> str:
        where = "import guest_build; print(guest_build.js_package())"
        pkg = hook_env.run(hook_env.python, "-c", where, cwd=tmp_path).stdout.strip()
        return subprocess.run(
            [node, script, pkg], capture_output=True, text=True, timeout=60, check=True
        ).stdout.strip()

    def made() -> int:
        return len(calls.read_text().splitlines()) if calls.exists() else 0

    try:
        lines = install()
        assert made() == 1 and lines[0].startswith(
            "witgen: guest-build `make -C guest` -> guest/hello.wasm: ran ("
        ), lines
        assert run() == "Hello, witgen! 5"

        lines = install()
        assert made() == 1, "unchanged guest sources: make must not run"
        assert lines[0].endswith(": up to date") and ": up to date (" in lines[1], lines

        c = project / "guest" / "hello.c"
        c.write_text(c.read_text().replace('"Hello, "', '"Hi, "'))
        lines = install()
        assert made() == 2 and ": ran (" in lines[0] and ": generated (" in lines[1], lines
        assert run() == "Hi, witgen! 5"

        # a C error fails the install with clang's message; the cached bindings stay
        cache = project / "build" / "witgen" / "out" / "js"
        before = {p.name: p.read_bytes() for p in cache.iterdir() if p.is_file()}
        c.write_text(c.read_text().replace("return a + b;", "return a + ;"))
        proc = hook_env.pip("install", "--no-deps", ".", cwd=project, PATH=path, check=False)
        log = proc.stdout + proc.stderr
        assert proc.returncode != 0 and made() == 3
        assert "`tool.hatch.build.hooks.wit.guest-build.command`" in log, log[-3000:]
        assert "`make -C guest` failed with exit status 2" in log
        assert "hello.c" in log and "error:" in log  # clang's diagnostic
        assert {p.name: p.read_bytes() for p in cache.iterdir() if p.is_file()} == before
        assert run() == "Hi, witgen! 5"  # the installed package is untouched
    finally:
        hook_env.pip("uninstall", "-y", "guest-build", check=False)


@pytest.mark.skipif(not target_available("js"), reason="target `js` not available")
def test_sdist_carries_the_guest_sources_and_the_wheel_builds_the_guest(
    hook_env: Env, tmp_path: Path
) -> None:
    """`python -m build`: the sdist has the C sources and the Makefile (no guest, no
    build/witgen/); the wheel built from the unpacked sdist runs the step there and bundles
    the guest it made."""
    from support.guests import ToolMissing, clang

    try:
        clang()
    except ToolMissing as e:
        missing(str(e))
    project = copy_project("guest-build", tmp_path, echo=False)
    out = tmp_path / "dist"
    proc = hook_env.run(hook_env.python, "-m", "build", "-o", out, project, cwd=tmp_path)
    (sdist,) = out.glob("*.tar.gz")
    (whl,) = out.glob("*.whl")
    with tarfile.open(sdist) as t:
        names = {n.partition("/")[2] for n in t.getnames()}
    assert {"guest/hello.c", "guest/Makefile", "wit/hello.wit"} <= names, sorted(names)
    assert not [n for n in names if n.endswith(".wasm") or n.startswith("build/")], sorted(names)
    assert not (project / "guest" / "hello.wasm").exists()  # built inside the unpacked sdist
    lines = summaries(proc.stdout + proc.stderr)
    assert lines[0].startswith("witgen: guest-build `make -C guest` -> guest/hello.wasm: ran ("), lines
    core = wheel_read(whl, "guest_build/js/hello.core.wasm")
    assert core.startswith(b"\0asm") and b"cabi_post_greet" in core


def test_setuptools_flat_layout_leaves_the_guest_folder_out(project: Path) -> None:
    """The folder of a `guest-build` output is no package for setuptools' discovery, also
    when no `wasm` option names it (setuptools_wit/discovery.py)."""
    from setuptools_wit.discovery import input_folders

    (project / "pyproject.toml").write_text(
        '[tool.witgen]\ntarget = "wasmtime"\n'
        'guest-build = { command = ["make"], inputs = ["native/*.c"], output = "native/g.wasm" }\n'
    )
    write(project / "native" / "g.c", "")
    assert input_folders(project, "tool.witgen") == ["native", "wit"]


@pytest.mark.skipif(not target_available("js"), reason="target `js` not available")
def test_the_built_guest_goes_through_the_contract_check(tmp_path: Path) -> None:
    """testprojects/guest-build in-process (`witgen build`'s path): a C guest that lost an
    export is built by the step and then refused by the contract check, listing the export."""
    from support.guests import ToolMissing, clang

    from witgen.pyproject import read_layout

    try:
        clang()
    except ToolMissing as e:
        missing(str(e))
    project = copy_project("guest-build", tmp_path, echo=False)
    c = project / "guest" / "hello.c"
    c.write_text(c.read_text().replace('export_name("add")', 'export_name("sum")'))
    layout = read_layout(project)
    cfg = load_config(project, table=layout.table, default_package=layout.default_package)
    lines: list[str] = []
    with pytest.raises(WitError) as info:
        Project(cfg).build("standard", log=lines.append)
    assert ": ran (" in lines[0], lines
    assert "does not fit world `hello`" in str(info.value)
    assert 'missing export "add": expected (i32, i32) -> i32' in str(info.value)
