"""Real builds of the testprojects through hatchling and setuptools (pip, build, uv).

One virtualenv and one wheelhouse for the whole module (see conftest.py); most builds run
without build isolation (fast), and one test per front end builds isolated from the
wheelhouse (`--no-index`). Projects are copies under tmp_path, rewritten to the `echo` test
target; the tests against the real `js`/`wasmtime` targets skip until those exist.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.missing import missing
from support.rust import cargo_env

from .projects import (
    REPO,
    Env,
    build_guest,
    cargo_ready,
    cargo_target,
    copy_project,
    summaries,
    target_available,
    wat_component,
    wheel_names,
    wheel_read,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HELLO_ECHO = [
    "hello_hatch/echo/guest.wasm",
    "hello_hatch/echo/items/add.txt",
    "hello_hatch/echo/items/greet.txt",
    "hello_hatch/echo/options.json",
    "hello_hatch/echo/world.txt",
]


def _log(whl: Path) -> str:
    return whl.with_suffix(".log").read_text()


def _generated(whl: Path, prefix: str) -> dict[str, str]:
    return {
        n: hashlib.sha256(wheel_read(whl, n)).hexdigest()
        for n in wheel_names(whl)
        if n.startswith(prefix)
    }


def _site_packages(env: Env) -> Path:
    out = env.run(env.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    return Path(out.stdout.strip())


@pytest.fixture
def hello_hatch(tmp_path: Path) -> Path:
    project = copy_project("hello-hatch", tmp_path)
    build_guest(project)
    return project


# --- hatchling --------------------------------------------------------------------------------


def test_hatch_wheel_contents_noop_and_reproducible(
    hook_env: Env, hello_hatch: Path, tmp_path: Path
) -> None:
    whl = hook_env.wheel(hello_hatch, tmp_path / "w1")
    names = wheel_names(whl)
    assert [n for n in names if n.startswith("hello_hatch/echo/")] == HELLO_ECHO
    assert not [n for n in names if "witgen" in n], names  # no manifest, no lock
    assert wheel_read(whl, "hello_hatch/echo/world.txt").decode().startswith("world hello\n")
    guest = (hello_hatch / "guest" / "hello.wasm").read_bytes()
    assert wheel_read(whl, "hello_hatch/echo/guest.wasm") == guest
    (line,) = summaries(_log(whl))
    assert re.match(
        r"witgen: echo bindings for world 'hello' -> build/witgen/out/echo: generated \(5 files, \d+ ms\)",
        line,
    )

    # second build of the unchanged project: nothing generated, same wheel bytes
    again = hook_env.wheel(hello_hatch, tmp_path / "w2")
    assert [s.split(": ")[-1].split(" (")[0] for s in summaries(_log(again))] == ["up to date"]
    assert again.read_bytes() == whl.read_bytes()

    # the same project elsewhere (other paths, fresh generation): byte-identical wheel
    other = copy_project("hello-hatch", tmp_path / "elsewhere")
    shutil.copy(hello_hatch / "guest" / "hello.wasm", other / "guest" / "hello.wasm")
    third = hook_env.wheel(other, tmp_path / "w3")
    assert "generated" in summaries(_log(third))[0]
    assert third.read_bytes() == whl.read_bytes()


def test_hatch_hook_plugin_name_and_clean(hook_env: Env, hello_hatch: Path, tmp_path: Path) -> None:
    pyproject = hello_hatch / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "enable-by-default = false\n")
    whl = hook_env.wheel(hello_hatch, tmp_path / "off")
    assert not [n for n in wheel_names(whl) if "/echo/" in n]
    whl = hook_env.wheel(hello_hatch, tmp_path / "on", HATCH_BUILD_HOOK_ENABLE_WIT="true")
    assert [n for n in wheel_names(whl) if "/echo/" in n] == HELLO_ECHO
    assert (hello_hatch / "build" / "witgen" / "out" / "echo" / "world.txt").is_file()

    # hatch's clean (`hatch clean` / `hatch build -c`) calls the hook's clean
    script = (
        "from hatchling.builders.wheel import WheelBuilder\n"
        "WheelBuilder('.').get_build_hooks('dist')['wit'].clean(['standard'])\n"
    )
    hook_env.run(hook_env.python, "-c", script, cwd=hello_hatch, HATCH_BUILD_HOOK_ENABLE_WIT="true")
    assert not (hello_hatch / "build").exists()


def test_hatch_editable_wit_edit_reinstall(
    hook_env: Env, hello_hatch: Path, tmp_path: Path
) -> None:
    read = (
        "from importlib.resources import files\n"
        "print((files('hello_hatch') / 'echo' / 'world.txt').read_text())"
    )
    try:
        hook_env.pip("install", "-v", "--no-build-isolation", "--no-deps", "-e", hello_hatch)
        in_tree = hello_hatch / "src" / "hello_hatch" / "echo"
        assert (in_tree / "world.txt").is_file()
        assert "export shout" not in hook_env.run(hook_env.python, "-c", read, cwd=tmp_path).stdout
        site = _site_packages(hook_env)
        assert not (site / "hello_hatch").exists()  # no copy that could go stale

        wit = hello_hatch / "wit" / "hello.wit"
        wit.write_text(
            wit.read_text().replace("}\n", "  export shout: func(s: string) -> string;\n}\n")
        )
        hook_env.pip("install", "-v", "--no-build-isolation", "--no-deps", "-e", hello_hatch)
        assert "export shout" in hook_env.run(hook_env.python, "-c", read, cwd=tmp_path).stdout
        assert (in_tree / "items" / "shout.txt").is_file()
        assert not (site / "hello_hatch").exists()

        # a standard wheel and an sdist built afterwards carry no editable leftovers
        whl = hook_env.wheel(hello_hatch, tmp_path / "w")
        names = wheel_names(whl)
        assert len(names) == len(set(names))
        assert [n for n in names if "/echo/" in n] == sorted(
            [*HELLO_ECHO, "hello_hatch/echo/items/shout.txt"]
        )
        assert not [n for n in names if "witgen" in n]
        hook_env.run(
            hook_env.python,
            "-m",
            "build",
            "--no-isolation",
            "--sdist",
            "-o",
            tmp_path / "sd",
            hello_hatch,
        )
        (sdist,) = (tmp_path / "sd").glob("*.tar.gz")
        with tarfile.open(sdist) as t:
            members = t.getnames()
        assert not [m for m in members if "/src/hello_hatch/echo" in m or "witgen" in m], members
        assert "hello_hatch-0.1.0/guest/hello.wasm" in members  # inputs ride along (git-ignored)
    finally:
        hook_env.pip("uninstall", "-y", "hello-hatch", check=False)


def test_wit_error_fails_with_location_and_keeps_outputs(
    hook_env: Env, hello_hatch: Path, tmp_path: Path
) -> None:
    hook_env.wheel(hello_hatch, tmp_path / "ok")
    out = hello_hatch / "build" / "witgen" / "out" / "echo"
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    wit = hello_hatch / "wit" / "hello.wit"
    source = wit.read_text()
    line = source[: source.index("name: string")].count("\n") + 1
    wit.write_text(source.replace("name: string", "name: strin"))
    proc = hook_env.wheel(hello_hatch, tmp_path / "bad", check=False)
    assert isinstance(proc, subprocess.CompletedProcess) and proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert f"wit/hello.wit:{line}:" in text, text[-3000:]
    assert "strin" in text
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_parallel_builds_both_succeed(hook_env: Env, hello_hatch: Path, tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as pool:
        wheels = list(pool.map(lambda i: hook_env.wheel(hello_hatch, tmp_path / f"p{i}"), range(2)))
    assert wheels[0].read_bytes() == wheels[1].read_bytes()
    statuses = sorted(summaries(_log(w))[0].split(": ")[-1].split(" (")[0] for w in wheels)
    assert statuses in (["generated", "up to date"], ["generated", "generated"])
    assert [n for n in wheel_names(wheels[0]) if "/echo/" in n] == HELLO_ECHO


# --- setuptools -------------------------------------------------------------------------------


def test_setuptools_wheel_sdist_editable(hook_env: Env, tmp_path: Path) -> None:
    project = copy_project("hello-setuptools", tmp_path)
    whl = hook_env.wheel(project, tmp_path / "w1")
    crate = [n for n in wheel_names(whl) if n.startswith("hello_setuptools/crate/")]
    assert crate == [
        "hello_setuptools/crate/items/greet.txt",
        "hello_setuptools/crate/items/witgen-test_greeter_host-log.txt",
        "hello_setuptools/crate/options.json",
        "hello_setuptools/crate/world.txt",
    ]
    assert (project / "crates" / "hello-bindings" / "world.txt").read_bytes() == wheel_read(
        whl, "hello_setuptools/crate/world.txt"
    )
    assert json.loads(wheel_read(whl, "hello_setuptools/crate/options.json")) == {
        "crate_name": "hello-bindings"
    }
    (line,) = summaries(_log(whl))
    assert "-> crates/hello-bindings: generated (4 files" in line
    again = hook_env.wheel(project, tmp_path / "w2")
    assert "up to date" in summaries(_log(again))[0]
    assert again.read_bytes() == whl.read_bytes()  # SOURCE_DATE_EPOCH is set: reproducible

    hook_env.run(
        hook_env.python, "-m", "build", "--no-isolation", "--sdist", "-o", tmp_path / "sd", project
    )
    (sdist,) = (tmp_path / "sd").glob("*.tar.gz")
    with tarfile.open(sdist) as t:
        assert "hello_setuptools-0.1.0/wit/greeter.wit" in t.getnames()

    read = (
        "from importlib.resources import files\n"
        "print((files('hello_setuptools') / 'crate' / 'world.txt').read_text())"
    )
    try:
        hook_env.pip("install", "--no-build-isolation", "--no-deps", "-e", project)
        assert "export greet" in hook_env.run(hook_env.python, "-c", read, cwd=tmp_path).stdout
        wit = project / "wit" / "greeter.wit"
        greet = "export greet: func(name: string) -> u32;\n"
        wit.write_text(wit.read_text().replace(greet, greet + "  export wave: func();\n"))
        hook_env.pip("install", "--no-build-isolation", "--no-deps", "-e", project)
        assert "export wave" in hook_env.run(hook_env.python, "-c", read, cwd=tmp_path).stdout
    finally:
        hook_env.pip("uninstall", "-y", "hello-setuptools", check=False)

    # build_wit --clean removes every output: cache, source-dir, editable in-tree copy
    assert (project / "src" / "hello_setuptools" / "crate" / "world.txt").is_file()
    setup = "from setuptools import setup; setup()"
    hook_env.run(hook_env.python, "-c", setup, "build_wit", "--clean", cwd=project)
    assert not (project / "crates" / "hello-bindings").exists()
    assert not (project / "src" / "hello_setuptools" / "crate").exists()
    assert not (project / "build" / "witgen").exists()


def test_setuptools_project_without_config_is_untouched(hook_env: Env, tmp_path: Path) -> None:
    project = tmp_path / "plain"
    (project / "src" / "plain").mkdir(parents=True)
    (project / "src" / "plain" / "__init__.py").write_text("")
    (project / "wit").mkdir()
    (project / "wit" / "x.wit").write_text("package a:b;\nworld w {}\n")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "plain"\nversion = "1"\n'
    )
    whl = hook_env.wheel(project, tmp_path / "w")
    assert "build_wit" not in _log(whl) and not summaries(_log(whl))
    assert "plain/__init__.py" in wheel_names(whl)
    assert not (project / "build" / "witgen").exists()


@pytest.mark.parametrize("backend", ["hatch", "setuptools"])
def test_config_error_names_key_and_file_before_generating(
    hook_env: Env, tmp_path: Path, backend: str
) -> None:
    name = "hello-hatch" if backend == "hatch" else "hello-setuptools"
    project = copy_project(name, tmp_path)
    if backend == "hatch":
        build_guest(project)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'wrold = "hello"\n')
    proc = hook_env.wheel(project, tmp_path / "w", check=False)
    assert isinstance(proc, subprocess.CompletedProcess) and proc.returncode != 0
    text = proc.stdout + proc.stderr
    table = "tool.hatch.build.hooks.wit" if backend == "hatch" else "tool.witgen"
    assert (
        f"`{table}.wrold`" in text and "pyproject.toml" in text and "did you mean `world`" in text
    )
    assert not (project / "build" / "witgen").exists()
    assert not (project / "crates").exists()


# --- the monorepo -------------------------------------------------------------------------------

PACKAGES = ("shapes", "events", "app")


def _build_all(env: Env, mono: Path, out: Path) -> dict[str, tuple[Path, list[str]]]:
    result = {}
    for p in PACKAGES:
        whl = env.wheel(mono / "packages" / p, out / p)
        result[p] = (whl, summaries(_log(whl)))
    return result


def _status(lines: list[str]) -> list[str]:
    return [line.split(": ")[-1].split(" (")[0] for line in lines]


def test_monorepo_incremental(hook_env: Env, tmp_path: Path) -> None:
    mono = copy_project("monorepo", tmp_path)
    first = _build_all(hook_env, mono, tmp_path / "b1")
    assert {p: _status(lines) for p, (_, lines) in first.items()} == {
        "shapes": ["generated"],
        "events": ["generated", "generated"],
        "app": ["generated", "generated", "generated"],
    }
    app_names = wheel_names(first["app"][0])
    for prefix in ("mono_app/app-echo/", "mono_app/plugin-echo/", "mono_app/plugin_js/"):
        assert any(n.startswith(prefix) for n in app_names), (prefix, app_names)
    assert (mono / "js" / "plugin" / "world.txt").is_file()
    assert (mono / "crates" / "events-bindings" / "world.txt").is_file()
    options = json.loads(wheel_read(first["app"][0], "mono_app/plugin-echo/options.json"))
    assert options == {"crate_name": "mono-app-plugin", "traits_only": True}
    # `features` reach the binding that names them, and only that one
    def storage_items(binding: str) -> str:
        return wheel_read(first["app"][0], f"{binding}/items/mono_app_storage.txt").decode()

    assert "func put-many" in storage_items("mono_app/plugin_js")
    assert "func put-many" not in storage_items("mono_app/plugin-echo")

    second = _build_all(hook_env, mono, tmp_path / "b2")
    assert {s for _, lines in second.values() for s in _status(lines)} == {"up to date"}

    # editing the shared logging package regenerates exactly the bindings that use it
    log = mono / "wit-shared" / "logging" / "logging.wit"
    sig = "log: func(level: level, message: string);\n"
    log.write_text(log.read_text().replace(sig, sig + "  flush: func();\n"))
    third = _build_all(hook_env, mono, tmp_path / "b3")
    assert {p: _status(lines) for p, (_, lines) in third.items()} == {
        "shapes": ["up to date"],
        "events": ["generated", "generated"],
        "app": ["generated", "generated", "generated"],
    }

    # removing a binding from the config removes its outputs
    pyproject = mono / "packages" / "app" / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(
        text[: text.index('[[tool.hatch.build.hooks.wit.bindings]]\nname = "plugin-js"')]
    )
    whl = hook_env.wheel(mono / "packages" / "app", tmp_path / "b4")
    assert not (mono / "js" / "plugin").exists()
    assert not [n for n in wheel_names(whl) if "plugin_js" in n]
    assert any(
        "plugin-js bindings" in s and "no longer configured" in s for s in summaries(_log(whl))
    )


@pytest.mark.skipif(
    not (target_available("js") and target_available("wasmtime")),
    reason="targets `js`/`wasmtime` not available yet",
)
def test_monorepo_sdists_pip_build_uv(hook_env: Env, tmp_path: Path) -> None:
    """The real targets, isolated builds from the wheelhouse only."""
    mono = copy_project("monorepo", tmp_path, echo=False)
    direct = {
        p: hook_env.wheel(mono / "packages" / p, tmp_path / "direct" / p) for p in ("events", "app")
    }

    # python -m build (isolated): sdist, then a wheel from the unpacked sdist
    out = tmp_path / "pybuild"
    hook_env.run(hook_env.python, "-m", "build", "-o", out, mono / "packages" / "events")
    (sdist,) = out.glob("*.tar.gz")
    with tarfile.open(sdist) as t:
        names = t.getnames()
    root = "mono_events-0.1.0/_wit_external/_up_/_up_/wit-shared"
    assert f"{root}/types/types.wit" in names and f"{root}/logging/logging.wit" in names
    (whl,) = out.glob("*.whl")
    assert _generated(whl, "mono_events/") == _generated(direct["events"], "mono_events/")

    # uv build (isolated, hatchling)
    uv = shutil.which("uv", path=hook_env.env["PATH"])
    assert uv, "uv not installed (scripts/setup-tests.sh installs it)"
    out = tmp_path / "uvbuild"
    hook_env.run(uv, "build", "-q", "-o", out, mono / "packages" / "app", cwd=tmp_path)
    (sdist,) = out.glob("*.tar.gz")
    with tarfile.open(sdist) as t:
        names = t.getnames()
    assert "mono_app-0.1.0/_wit_external/_up_/_up_/wit-shared/logging/logging.wit" in names
    (whl,) = out.glob("*.whl")
    assert _generated(whl, "mono_app/") == _generated(direct["app"], "mono_app/")
    # the wheel built from the sdist did not write outside its temporary tree
    assert set(_generated(whl, "mono_app/plugin_js/")) and (mono / "js" / "plugin").is_dir()

    # pip install (isolated) of the third package, and the plugin target is an entry point
    try:
        hook_env.pip("install", "--no-deps", mono / "packages" / "shapes")
        check = (
            "import mono_shapes, witgen.targets as t\n"
            "from importlib.resources import files\n"
            "print('echo' in t.target_names())\n"
            "print((files('mono_shapes') / 'js' / 'package.json').read_text())"
        )
        text = hook_env.run(hook_env.python, "-c", check, cwd=tmp_path).stdout
        assert text.startswith("True\n")
        assert json.loads(text.split("\n", 1)[1])["name"] == "@mono/shapes"
    finally:
        hook_env.pip("uninstall", "-y", "mono-shapes", check=False)


# --- the real targets (skipped until they land) ------------------------------------------------

RUN_GUEST = """
const [pkg] = process.argv.slice(2);
const m = await import(pkg + "/index.js");
const g = await m.load();
console.log(g.greet("witgen"), g.add(2, 3));
"""


@pytest.mark.skipif(
    not target_available("js"), reason="target `js` not available yet (witgen/js/__init__.py)"
)
def test_hello_hatch_real_js_target_runs_the_guest(hook_env: Env, tmp_path: Path) -> None:
    project = copy_project("hello-hatch", tmp_path, echo=False)
    build_guest(project)
    uv = shutil.which("uv", path=hook_env.env["PATH"])
    assert uv, "uv not installed (scripts/setup-tests.sh installs it)"
    hook_env.run(uv, "build", "-q", "-o", tmp_path / "dist", project, cwd=tmp_path)
    (whl,) = (tmp_path / "dist").glob("*.whl")
    js = [n for n in wheel_names(whl) if n.startswith("hello_hatch/js/")]
    assert js == [
        "hello_hatch/js/bindings.js",
        "hello_hatch/js/browser.d.ts",
        "hello_hatch/js/browser.js",
        "hello_hatch/js/hello.core.wasm",
        "hello_hatch/js/index.d.ts",
        "hello_hatch/js/index.js",
        "hello_hatch/js/package.json",
    ]
    assert json.loads(wheel_read(whl, "hello_hatch/js/package.json"))["name"] == "hello-hatch"
    node = shutil.which("node")
    if node is None:
        missing("node not found: cannot run the installed JS package")
    try:
        hook_env.pip("install", "--no-deps", whl)
        where = "import hello_hatch; print(hello_hatch.js_package())"
        pkg = hook_env.run(hook_env.python, "-c", where, cwd=tmp_path).stdout.strip()
        assert Path(pkg).is_relative_to(_site_packages(hook_env))
        script = tmp_path / "run.mjs"
        script.write_text(RUN_GUEST)
        out = subprocess.run(
            [node, script, pkg], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        assert out.strip() == "Hello, witgen! 5"
    finally:
        hook_env.pip("uninstall", "-y", "hello-hatch", check=False)


@pytest.mark.skipif(
    not target_available("wasmtime"),
    reason="target `wasmtime` not available yet (witgen/wasmtime/__init__.py)",
)
def test_hello_setuptools_real_wasmtime_target(hook_env: Env, tmp_path: Path) -> None:
    project = copy_project("hello-setuptools", tmp_path, echo=False)
    whl = hook_env.wheel(project, tmp_path / "w")
    crate = [n for n in wheel_names(whl) if n.startswith("hello_setuptools/crate/")]
    assert (
        "hello_setuptools/crate/Cargo.toml" in crate
        and "hello_setuptools/crate/src/lib.rs" in crate
    )
    source = project / "crates" / "hello-bindings"
    for name in crate:
        rel = name.removeprefix("hello_setuptools/crate/")
        assert (source / rel).read_bytes() == wheel_read(whl, name)
    assert 'name = "hello-bindings"' in (source / "Cargo.toml").read_text()


@pytest.mark.skipif(
    not target_available("js"), reason="target `js` not available yet (witgen/js/__init__.py)"
)
def test_zero_config_hatch_project(hook_env: Env, tmp_path: Path) -> None:
    """The two lines of the quick start: `witgen` in requires and an empty hook table."""
    project = tmp_path / "zero"
    (project / "zero").mkdir(parents=True)
    (project / "zero" / "__init__.py").write_text("")
    (project / "wit").mkdir()
    (project / "wit" / "w.wit").write_text(
        "package demo:zero;\nworld zero {\n  export hi: func() -> string;\n}\n"
    )
    (project / "pyproject.toml").write_text(
        "[build-system]\n"
        'requires = ["hatchling", "witgen"]\n'
        'build-backend = "hatchling.build"\n\n'
        '[project]\nname = "zero"\nversion = "1.0"\n\n'
        "[tool.hatch.build.hooks.wit]\n"
    )
    whl = hook_env.wheel(project, tmp_path / "w")
    names = [n for n in wheel_names(whl) if n.startswith("zero/js/")]
    assert names == ["zero/js/index.d.ts", "zero/js/index.js", "zero/js/package.json"]
    (line,) = summaries(_log(whl))
    assert line.startswith("witgen: js bindings for world 'zero' -> build/witgen/out/js: generated")


@pytest.mark.skipif(
    not target_available("wasmtime"),
    reason="target `wasmtime` not available yet (witgen/wasmtime/__init__.py)",
)
def test_hello_setuptools_crate_from_wheel_runs_a_component(hook_env: Env, tmp_path: Path) -> None:
    """The crate shipped in the installed wheel builds with cargo and hosts the guest."""
    cargo, why = cargo_ready()
    if cargo is None:
        missing(why)
    project = copy_project("hello-setuptools", tmp_path, echo=False)
    component = wat_component(project / "guest" / "greeter.wat", project / "wit", tmp_path)
    whl = hook_env.wheel(project, tmp_path / "w")
    try:
        hook_env.pip("install", "--no-deps", whl)
        where = "import hello_setuptools; print(hello_setuptools.crate_dir())"
        crate = hook_env.run(hook_env.python, "-c", where, cwd=tmp_path).stdout.strip()
        assert Path(crate).is_relative_to(_site_packages(hook_env))
        host = tmp_path / "host"
        shutil.copytree(project / "host", host)
        manifest = host / "Cargo.toml"
        manifest.write_text(
            manifest.read_text().replace(
                'path = "../crates/hello-bindings"', f"path = {json.dumps(crate)}"
            )
        )
        # offline, cargo may only pick crates already downloaded: start from the lock file of
        # the tests' wasmtime workspace (which setup fetched) rather than the newest versions
        # the registry index lists (e.g. a wasmtime 50.0.2 nothing has downloaded)
        shutil.copyfile(REPO / "tests" / "wasmtime" / "Cargo.lock.seed", host / "Cargo.lock")
        env = {
            **os.environ,
            "CARGO_TARGET_DIR": str(cargo_target()),
            "CARGO_TERM_COLOR": "never",
            **cargo_env(),
        }
        built = subprocess.run(
            [cargo, "build", "--offline", "-q"],
            cwd=host,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if built.returncode != 0 and "--offline" in built.stderr and "failed to" in built.stderr:
            missing(f"cargo cannot resolve offline: {built.stderr.strip().splitlines()[-1]}")
        assert built.returncode == 0, built.stderr[-4000:]
        run = subprocess.run(
            [str(cargo_target() / "debug" / "hello-host"), str(component), "witgen"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert run.stdout.splitlines() == ["info: greeting witgen", "greet returned 6"]
    finally:
        hook_env.pip("uninstall", "-y", "hello-setuptools", check=False)
