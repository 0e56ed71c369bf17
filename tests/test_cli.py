"""The `witgen` command, run as a user runs it: a subprocess on WIT written to a temp folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

VALID = """\
package demo:app@0.1.0;

interface types {
  record point { x: s32, y: s32 }
  move: func(p: point, dx: s32) -> point;
}

world app {
  import types;
  import log: func(msg: string);
  export run: func(args: list<string>) -> result<u32, string>;
}
"""

# wasm-tools 1.262 reports these errors at exactly these places.
UNDEFINED_TYPE = """\
package a:b;

interface i {
  f: func(x: u32) -> nope;
}
"""
SYNTAX_ERROR = """\
package a:b;

world w {
  import f: func(x: u32) -> ;
}
"""

GATED = """\
package a:b;

@unstable(feature = shiny)
interface new-stuff {
  f: func();
}

interface old-stuff {
  g: func();
}
"""


def run(*args: str | Path, module: bool = True) -> subprocess.CompletedProcess[str]:
    exe = [sys.executable, "-m", "witgen"] if module else [str(console_script())]
    return subprocess.run([*exe, *map(str, args)], capture_output=True, text=True, timeout=120)


def console_script() -> Path:
    return Path(sysconfig.get_path("scripts")) / "witgen"


def write(tmp_path: Path, text: str, name: str = "input.wit") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_wit_error(proc: subprocess.CompletedProcess[str], where: str, source_line: str) -> None:
    """Exit 1; stderr is `error: ...`, ` --> where`, the source line and a caret; no traceback."""
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    err = proc.stderr
    assert err.startswith("error: "), err
    assert "Traceback" not in err, err
    assert f"--> {where}" in err, err
    lines = err.splitlines()
    shown = next(i for i, line in enumerate(lines) if line.endswith(source_line))
    src, caret = lines[shown], lines[shown + 1]
    col = int(where.rsplit(":", 1)[1])
    assert caret.rstrip().endswith("^"), err
    # the caret sits under column `col` of the source text (both lines are drawn from a `|`)
    text_start = src.index(source_line) - src.index("|")
    assert caret.index("^") - caret.index("|") == text_start + col - 1, err


# --- help and usage ------------------------------------------------------------------------


def test_help_lists_commands_and_exit_codes():
    proc = run("--help")
    assert proc.returncode == 0, proc.stderr
    for word in ("check", "resolve", "abi", "exit status", "usage error"):
        assert word in proc.stdout


@pytest.mark.parametrize("command", ["check", "resolve", "abi"])
def test_each_command_has_help(command: str):
    proc = run(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert f"usage: witgen {command}" in proc.stdout
    assert "exit status" in proc.stdout and "--features" in proc.stdout


def test_help_does_not_load_the_front_end():
    code = (
        "import sys\n"
        "from witgen.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('lark', 'jinja2', 'witgen.wit.parser', 'witgen.wit.resolve', 'witgen.abi')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "args",
    [[], ["frobnicate"], ["check"], ["check", "/no/such/file.wit"], ["resolve", "{valid}"]],
    ids=["no-command", "unknown-command", "no-path", "missing-path", "resolve-without-json"],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]):
    valid = write(tmp_path, VALID)
    proc = run(*[a.replace("{valid}", str(valid)) for a in args])
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "usage: witgen" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_console_script_installed():
    script = console_script()
    assert script.exists(), f"{script} missing: run scripts/setup-tests.sh (pip install -e .)"
    proc = run("--version", module=False)
    assert proc.returncode == 0 and proc.stdout.startswith("witgen "), proc


# --- check ---------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [True, False], ids=["python-m", "console-script"])
def test_check_valid(tmp_path: Path, module: bool):
    proc = run("check", write(tmp_path, VALID), module=module)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok: 1 packages, 1 worlds"
    assert proc.stderr == ""


def test_check_reports_undefined_type_with_location(tmp_path: Path):
    path = write(tmp_path, UNDEFINED_TYPE)
    proc = run("check", path)
    assert_wit_error(proc, f"{path}:4:22", "  f: func(x: u32) -> nope;")
    assert "nope" in proc.stderr


def test_check_reports_syntax_error_with_location(tmp_path: Path):
    path = write(tmp_path, SYNTAX_ERROR)
    proc = run("check", path)
    assert_wit_error(proc, f"{path}:4:29", "  import f: func(x: u32) -> ;")


def test_check_directory_error_names_the_dep_file(tmp_path: Path):
    root = tmp_path / "pkg"
    write(root, "package a:root;\n\nworld w {\n  import a:dep/api;\n}\n", "root.wit")
    dep = write(
        root, "package a:dep;\n\ninterface api {\n  f: func() -> nope;\n}\n", "deps/api.wit"
    )
    proc = run("check", root)
    assert_wit_error(proc, f"{dep}:4:16", "  f: func() -> nope;")


def test_check_directory_valid(tmp_path: Path):
    root = tmp_path / "pkg"
    write(root, "package a:root;\n\nworld w {\n  import a:dep/api;\n}\n", "root.wit")
    write(root, "package a:dep;\n\ninterface api {\n  f: func() -> u8;\n}\n", "deps/api.wit")
    proc = run("check", root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok: 2 packages, 1 worlds"


# --- resolve -------------------------------------------------------------------------------


def _interface_names(stdout: str) -> list[str]:
    return sorted(i["name"] for i in json.loads(stdout)["interfaces"] if i["name"])


def test_resolve_json(tmp_path: Path):
    proc = run("resolve", write(tmp_path, VALID), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"worlds", "interfaces", "types", "packages"}
    assert [p["name"] for p in data["packages"]] == ["demo:app@0.1.0"]
    assert [w["name"] for w in data["worlds"]] == ["app"]
    assert proc.stdout.startswith("{\n  ")  # 2-space indented, like wasm-tools


def test_resolve_json_matches_wasm_tools(tmp_path: Path, wasm_tools: str):
    path = write(tmp_path, VALID)
    proc = run("resolve", path, "--json")
    assert proc.returncode == 0, proc.stderr
    want = subprocess.run(
        [wasm_tools, "component", "wit", "--json", str(path)], capture_output=True, text=True
    )
    assert want.returncode == 0, want.stderr
    assert json.loads(proc.stdout) == json.loads(want.stdout)


def test_resolve_features(tmp_path: Path):
    path = write(tmp_path, GATED)
    assert _interface_names(run("resolve", path, "--json").stdout) == ["old-stuff"]
    for flags in (["--features", "shiny"], ["--features", "other,shiny"], ["--all-features"]):
        proc = run("resolve", path, "--json", *flags)
        assert proc.returncode == 0, proc.stderr
        assert _interface_names(proc.stdout) == ["new-stuff", "old-stuff"], flags


def test_resolve_error(tmp_path: Path):
    path = write(tmp_path, SYNTAX_ERROR)
    proc = run("resolve", path, "--json")
    assert_wit_error(proc, f"{path}:4:29", "  import f: func(x: u32) -> ;")


# --- abi -----------------------------------------------------------------------------------

ABI_WORLD = """\
package a:b;

world w {
  import g: func(x: u64);
  export f: func(s: string) -> u32;
}

world other {
}
"""


def test_abi_prints_core_contract(tmp_path: Path):
    proc = run("abi", write(tmp_path, ABI_WORLD), "--world", "w")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # the canonical ABI: u64 -> i64; string -> (ptr, len); u32 -> i32; plus the exports
    # wit-component expects from a module that returns a string-carrying export
    for line in [
        '(import "$root" "g" (func (param i64)))',
        '(export "f" (func (param i32 i32) (result i32)))',
        '(export "cabi_post_f" (func (param i32)))',
        '(export "memory" (memory 0))',
        '(export "cabi_realloc" (func (param i32 i32 i32 i32) (result i32)))',
    ]:
        assert line in lines, proc.stdout


ASYNC_ABI_WORLD = """\
package a:b;

interface i {
  f: func(x: future<u32>);
}

world w {
  import i;
  export g: async func(x: future<u32>) -> string;
}
"""


def test_abi_lists_the_async_contract_with_what_is_optional(tmp_path: Path):
    proc = run("abi", write(tmp_path, ASYNC_ABI_WORLD), "--async-abi", "callback")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for line in [
        # as `wasm-tools component embed --dummy-names legacy --async-callback` has them
        '(import "$root" "[waitable-set-new]" (func (result i32)))',
        '(import "[export]$root" "[task-return]g" (func (param i32 i32)))',
        '(import "[export]$root" "[async-lower][future-read-0]g" (func (param i32 i32) (result i32)))',
        '(export "[async-lift]g" (func (param i32) (result i32)))',
        '(export "[callback][async-lift]g" (func (param i32 i32 i32) (result i32)))',
        # accepted by `wasm-tools component new`, not imported by the dummy module: the future
        # intrinsics of a sync import, the error-context built-ins
        '(import "a:b/i" "[future-new-0]f" (func (result i64))) ;; optional',
        '(import "a:b/i" "[future-drop-readable-0]f" (func (param i32))) ;; optional',
        '(import "$root" "[error-context-drop]" (func (param i32))) ;; optional',
        '(export "_initialize" (func)) ;; optional',
    ]:
        assert line in lines, proc.stdout
    # the default stays the sync ABI, with no marks
    sync = run("abi", write(tmp_path, ASYNC_ABI_WORLD)).stdout
    assert "optional" not in sync and "[future-new-0]f" not in sync


def test_abi_world_must_be_chosen_when_ambiguous(tmp_path: Path):
    proc = run("abi", write(tmp_path, ABI_WORLD))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("error: ") and "--world" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_abi_unknown_world(tmp_path: Path):
    proc = run("abi", write(tmp_path, ABI_WORLD), "--world", "nope")
    assert proc.returncode == 1
    assert "world `nope` not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src" / "proj").mkdir(parents=True)
    (root / "src" / "proj" / "__init__.py").write_text("")
    shutil.copytree(REPO / "testprojects" / "hello-wit" / "wit", root / "wit")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "proj"\nversion = "0"\n\n[tool.witgen]\ntarget = "js"\n'
    )
    return root


def test_build_generates_into_the_source_tree_then_is_a_noop(tmp_path: Path):
    pytest.importorskip("witgen.js", reason="the js target is not in this checkout")
    root = _project(tmp_path)
    first = run("build", str(root))
    assert first.returncode == 0, first.stderr
    assert "generated" in first.stdout
    out = root / "src" / "proj" / "js"
    assert (out / "package.json").is_file() and (out / "index.d.ts").is_file()
    second = run("build", str(root))
    assert second.returncode == 0, second.stderr
    assert "up to date" in second.stdout
    cleaned = run("build", str(root), "--clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert not (out / "package.json").exists()


def test_build_reports_config_errors_with_the_file(tmp_path: Path):
    root = _project(tmp_path)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "proj"\nversion = "0"\n\n[tool.witgen]\ntraget = "js"\n'
    )
    proc = run("build", str(root))
    assert proc.returncode == 1
    assert "pyproject.toml" in proc.stderr and "traget" in proc.stderr


def test_build_without_config_says_what_to_add(tmp_path: Path):
    root = tmp_path / "bare"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "bare"\nversion = "0"\n')
    proc = run("build", str(root))
    assert proc.returncode == 1
    assert "[tool.witgen]" in proc.stderr


# --- generate: inputs that must not hang, exhaust memory or guess (#13, #15) ----------------


@pytest.mark.parametrize(
    ("wasm", "words"),
    [("/dev/zero", "is a device, not a regular file"), (".", "is a folder, not a file")],
)
def test_generate_refuses_a_wasm_that_is_not_a_regular_file(
    tmp_path: Path, wasm: str, words: str
) -> None:
    wit = write(tmp_path, VALID)
    proc = run("generate", wit, "--target", "js", "--out", tmp_path / "out", "--wasm", wasm)
    assert proc.returncode == 1, proc.stderr
    assert f"error: --wasm {wasm} {words}" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_path_is_a_usage_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.wit")
    proc = run("check", tmp_path / "pipe.wit")
    assert proc.returncode == 2
    assert "is a FIFO" in proc.stderr


def test_generate_world_typo_suggests_the_closest(tmp_path: Path) -> None:
    pytest.importorskip("witgen.js", reason="the js target is not in this checkout")
    wit = write(tmp_path, VALID)
    proc = run("generate", wit, "--target", "js", "--out", tmp_path / "out", "--world", "ap")
    assert proc.returncode == 1, proc.stderr
    assert 'world `ap` not found; did you mean "app"? (worlds: "app")' in proc.stderr


# --- generate --deps and build's project layout (#15) ------------------------------------------

USES_DEP = """\
package demo:app;

world app {
  import demo:types/log;
}
"""
DEP = """\
package demo:types;

interface log {
  log: func(msg: string);
}
"""


def test_generate_with_deps_then_noop_and_errors_name_the_real_file(tmp_path: Path) -> None:
    pytest.importorskip("witgen.js", reason="the js target is not in this checkout")
    wit = write(tmp_path, USES_DEP, "wit/app.wit").parent
    dep = write(tmp_path, DEP, "shared/types/types.wit").parent
    out = tmp_path / "out"
    args = ["generate", wit, "--target", "js", "--out", out, "--deps", dep]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    assert "generated" in first.stdout and (out / "index.d.ts").is_file()
    again = run(*args)
    assert again.returncode == 0 and "up to date" in again.stdout, again.stdout
    (dep / "types.wit").write_text(DEP.replace("string", "strin"))
    broken = run(*args)
    assert broken.returncode == 1
    assert f"--> {dep / 'types.wit'}:4:" in broken.stderr, broken.stderr
    without = run("generate", wit, "--target", "js", "--out", tmp_path / "o2")
    assert without.returncode == 1 and "demo:types" in without.stderr


def test_generate_deps_must_be_packages(tmp_path: Path) -> None:
    wit = write(tmp_path, USES_DEP, "wit/app.wit").parent
    proc = run("generate", wit, "--target", "js", "--out", tmp_path / "out", "--deps", "/")
    assert proc.returncode == 1
    assert "--deps / holds no `.wit` files" in proc.stderr
    proc = run("generate", wit / "app.wit", "--target", "js", "--out", "o", "--deps", wit)
    assert proc.returncode == 1 and "needs PATH to be a WIT folder" in proc.stderr


def test_build_finds_hatch_packages_where_the_hook_does(tmp_path: Path) -> None:
    pytest.importorskip("witgen.js", reason="the js target is not in this checkout")
    root = _project(tmp_path)
    shutil.move(root / "src", root / "lib")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "proj"\nversion = "0"\n\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["lib/proj"]\n'
    )
    (root / "hatch.toml").write_text("[build.hooks.wit]\n")
    proc = run("build", root)
    assert proc.returncode == 0, proc.stderr
    assert (root / "lib" / "proj" / "js" / "package.json").is_file()
