"""testprojects/rust-ext: a setuptools-rust + PyO3 extension built on the wasmtime target's crate.

`pip install .` (isolated: build requirements from the test wheelhouse) runs witgen's
`build_wit` (the bindings crate into `build/greeter-bindings/`) and then setuptools-rust's cargo
build of the extension, which depends on that crate by path; the installed module runs a guest
component. A second `pip install .` with the WIT unchanged regenerates nothing and cargo
compiles nothing.

cargo builds into the shared target dir outside the clone (`cargo_target()`, passed as
`CARGO_TARGET_DIR`), with the dev profile (`SETUPTOOLS_RUST_CARGO_PROFILE`) and the toolchain
tests/support/rust.py picks, so wasmtime and pyo3 are compiled once per machine, not per run.
"""

from __future__ import annotations

import ast
import re
import tarfile
import time
import tomllib
from pathlib import Path

import pytest
from support.missing import missing
from support.rust import cargo_env

from witgen.wasmtime.options import WASMTIME_VERSION

from .projects import (
    TESTPROJECTS,
    Env,
    cargo_ready,
    cargo_target,
    copy_project,
    summaries,
    wat_component,
    wheel_names,
)

#: non-ASCII on purpose: `greet` returns the name's length in UTF-8 bytes
NAME = "wítgen ✓"


def _build_env() -> dict[str, str | None]:
    return {
        # build scripts (cc's) rerun when SOURCE_DATE_EPOCH changes, and other builds of the
        # same units in the shared target dir (tests/wasmtime, the hello-setuptools host) do
        # not set it: with it, each would rebuild wasmtime after the other
        "SOURCE_DATE_EPOCH": None,
        "CARGO_TARGET_DIR": str(cargo_target()),
        "CARGO_TERM_COLOR": "never",
        "SETUPTOOLS_RUST_CARGO_PROFILE": "dev",
        # pyo3's build script reruns when PYO3_PYTHON changes: the base interpreter, not the
        # session's virtualenv (a new path each session), keeps pyo3 built across sessions
        "SETUPTOOLS_RUST_PEP517_USE_BASE_PYTHON": "1",
        **cargo_env(),
    }


def _compiled(log: str) -> list[str]:
    """The crates cargo compiled, from its `Compiling <crate> v<version>` lines."""
    return sorted(re.findall(r"^\s*Compiling (\S+) v", log, re.M))


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _install(env: Env, project: Path) -> tuple[str, float]:
    start = time.monotonic()
    proc = env.pip("install", "-v", ".", cwd=project, timeout=3600, **_build_env())
    return proc.stdout + proc.stderr, time.monotonic() - start


def test_pip_install_runs_a_component_and_rebuild_changes_nothing(
    hook_env: Env, tmp_path: Path
) -> None:
    cargo, why = cargo_ready()
    if cargo is None:
        missing(why)
    if not any(hook_env.wheelhouse.glob("setuptools_rust-*.whl")):
        missing("the test wheelhouse lacks setuptools-rust (scripts/setup/50-hooks.sh gets it)")
    project = copy_project("rust-ext", tmp_path, echo=False)
    component = wat_component(project / "guest" / "greeter.wat", project / "wit", tmp_path)
    crate = project / "build" / "greeter-bindings"
    call = f"import rust_ext; print(rust_ext.run({str(component)!r}, {NAME!r}))"
    # greet(name) logs "greeting <name>" at level info and returns len(name) in UTF-8 bytes
    expected = (len(NAME.encode()), [("info", f"greeting {NAME}")])
    try:
        log, cold = _install(hook_env, project)
        compiled = _compiled(log)
        (line,) = summaries(log)
        assert line.startswith(
            "witgen: wasmtime bindings for world 'greeter' -> build/greeter-bindings: generated ("
        ), line
        assert {"greeter-bindings", "rust-ext"} <= set(compiled), log[-4000:]
        out = hook_env.run(hook_env.python, "-c", call, cwd=tmp_path).stdout
        assert ast.literal_eval(out.strip()) == expected
        where = "import rust_ext._native as m; print(m.__file__)"
        native = Path(hook_env.run(hook_env.python, "-c", where, cwd=tmp_path).stdout.strip())
        assert not native.is_relative_to(project), native  # the installed extension

        before = _snapshot(crate)
        assert "Cargo.toml" in before and ".witgen-manifest.json" in before
        log, warm = _install(hook_env, project)
        (line,) = summaries(log)
        assert line.startswith(
            "witgen: wasmtime bindings for world 'greeter' -> build/greeter-bindings: up to date ("
        ), line
        assert _snapshot(crate) == before  # same bytes, same mtimes: cargo sees no change
        assert "Finished" in log and _compiled(log) == [], log[-4000:]
        out = hook_env.run(hook_env.python, "-c", call, cwd=tmp_path).stdout
        assert ast.literal_eval(out.strip()) == expected
        print(
            f"rust-ext: first pip install {cold:.1f} s ({len(compiled)} crates compiled: "
            f"{' '.join(compiled[:8])}{' ...' if len(compiled) > 8 else ''}), second {warm:.1f} s"
        )
    finally:
        hook_env.pip("uninstall", "-y", "rust-ext", check=False)


@pytest.mark.parametrize(
    "manifest", ["rust-ext/Cargo.toml", "hello-setuptools/host/Cargo.toml"], ids=str
)
def test_host_manifests_ask_for_the_pinned_wasmtime(manifest: str) -> None:
    """A host names wasmtime itself: it must be the release the generated crate pins (another
    major would be a second wasmtime whose types do not match the bindings')."""
    deps = tomllib.loads((TESTPROJECTS / manifest).read_text())["dependencies"]
    assert deps["wasmtime"]["version"] == WASMTIME_VERSION, (
        f"testprojects/{manifest}: wasmtime {deps['wasmtime']['version']} but the wasmtime "
        f"target pins {WASMTIME_VERSION} (witgen/wasmtime/options.py)"
    )


def _ready(env: Env) -> None:
    cargo, why = cargo_ready()
    if cargo is None:
        missing(why)
    if not any(env.wheelhouse.glob("setuptools_rust-*.whl")):
        missing("the test wheelhouse lacks setuptools-rust (scripts/setup/50-hooks.sh gets it)")


def test_editable_install_builds_in_place_and_reinstall_compiles_nothing(
    hook_env: Env, tmp_path: Path
) -> None:
    """`pip install -e .`: the extension is built into the source tree (`rust_ext/`), the
    bindings crate into `build/greeter-bindings/`; the package imports from the project."""
    _ready(hook_env)
    project = copy_project("rust-ext", tmp_path, echo=False)
    component = wat_component(project / "guest" / "greeter.wat", project / "wit", tmp_path)
    call = (
        "import rust_ext, rust_ext._native as m\n"
        f"print(rust_ext.__file__)\nprint(m.__file__)\n"
        f"print(rust_ext.run({str(component)!r}, {NAME!r}))"
    )
    expected = (len(NAME.encode()), [("info", f"greeting {NAME}")])
    try:
        proc = hook_env.pip("install", "-v", "-e", ".", cwd=project, timeout=3600, **_build_env())
        log = proc.stdout + proc.stderr
        (line,) = summaries(log)
        assert line.startswith(
            "witgen: wasmtime bindings for world 'greeter' -> build/greeter-bindings: generated ("
        ), line
        assert "rust-ext" in _compiled(log), log[-4000:]
        init, native, result = hook_env.run(
            hook_env.python, "-c", call, cwd=tmp_path
        ).stdout.splitlines()
        assert Path(init) == project / "rust_ext" / "__init__.py"
        assert Path(native).parent == project / "rust_ext", native  # built in place
        assert ast.literal_eval(result) == expected

        crate = project / "build" / "greeter-bindings"
        before = _snapshot(crate)
        proc = hook_env.pip("install", "-v", "-e", ".", cwd=project, timeout=3600, **_build_env())
        log = proc.stdout + proc.stderr
        (line,) = summaries(log)
        assert ": up to date (" in line, line
        assert _snapshot(crate) == before and _compiled(log) == [], log[-4000:]
    finally:
        hook_env.pip("uninstall", "-y", "rust-ext", check=False)


def test_sdist_then_wheel_from_it_runs_the_component(hook_env: Env, tmp_path: Path) -> None:
    """`python -m build`: the sdist carries the WIT, the Rust sources and Cargo.lock but no
    build output; the wheel built from the unpacked sdist generates the crate there, carries
    the extension and not the crate, and its module runs the guest once installed."""
    _ready(hook_env)
    project = copy_project("rust-ext", tmp_path, echo=False)
    component = wat_component(project / "guest" / "greeter.wat", project / "wit", tmp_path)
    out = tmp_path / "dist"
    proc = hook_env.run(
        hook_env.python, "-m", "build", "-o", out, project, cwd=tmp_path, timeout=3600,
        **_build_env(),
    )
    log = proc.stdout + proc.stderr
    (sdist,) = out.glob("*.tar.gz")
    (whl,) = out.glob("*.whl")
    with tarfile.open(sdist) as t:
        names = {n.partition("/")[2] for n in t.getnames()}
    assert {"wit/greeter.wit", "Cargo.toml", "Cargo.lock", "src/lib.rs", "guest/greeter.wat"} <= names
    assert not [n for n in names if n.startswith(("build/", "target/"))], sorted(names)
    assert not (project / "build" / "greeter-bindings").exists()  # the wheel came from the sdist
    (line,) = summaries(log)
    assert "-> build/greeter-bindings: generated (" in line, line

    files = wheel_names(whl)
    assert [n for n in files if re.fullmatch(r"rust_ext/_native\..*\.so", n)], files
    assert not [n for n in files if "greeter" in n or n.endswith(".rs")], files
    call = f"import rust_ext; print(rust_ext.run({str(component)!r}, {NAME!r}))"
    try:
        hook_env.pip("install", "--no-deps", whl)
        out_text = hook_env.run(hook_env.python, "-c", call, cwd=tmp_path).stdout
        assert ast.literal_eval(out_text.strip()) == (
            len(NAME.encode()),
            [("info", f"greeting {NAME}")],
        )
    finally:
        hook_env.pip("uninstall", "-y", "rust-ext", check=False)
