"""Docs drift: every fenced block of README.md and docs/*.md is run or checked, by its info string.

`js`/`ts` (and their `sketch`es) are tests/js/test_docs.py's. Here:

* `toml`: parsed; a block holding a hook table (`[tool.witgen]`, `[tool.hatch.build.hooks.wit]`,
  their `bindings`) is validated by `witgen.config.load_config` in a scratch project, and its
  target options by the target's own option parser;
* `python`: run in a scratch project holding `wit/` (the `hello` world of
  testprojects/hello-python), a package `mypkg` with that world's Python package at
  `mypkg/_wit` and its C guest's component as `hello.wasm`;
* `python api`: shows an API whose real use needs toolchains or data the block does not make:
  its imports run, and every attribute it reads from an imported module must exist;
* `sh synopsis`: every line is a `witgen` command; the sub-command must exist and accept every
  `--option` the line shows (checked against `witgen <sub> --help`);
* `sh no-run: <reason>`: not run, for the reason given (which must be there); every
  `bash <script>` it names must exist;
* `text`: output or a file listing, not code; `html sketch`: a page for a package the tests do
  not build (the `js sketch` beside it).

Any other info string, or none, fails, so a new block cannot slip past unchecked.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Mapping
from pathlib import Path

import pytest
from support.missing import missing

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
#: a fence, also indented (inside a list item)
FENCE = re.compile(r"^( *)```([^\n]*)\n(.*?)^\1```$", re.S | re.M)
#: checked elsewhere (tests/js/test_docs.py) or not code
ELSEWHERE = {"js", "ts", "js sketch", "ts sketch", "html sketch", "text"}
HANDLED = {"toml", "python", "python api", "sh synopsis"}
HOOK_TABLES = ("tool.witgen", "tool.hatch.build.hooks.wit")
HELLO_WIT = REPO / "testprojects" / "hello-python" / "wit"


def _blocks() -> list[tuple[str, str, str]]:
    """(`file:line`, info string, code) of every fenced block."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            code = textwrap.dedent(m.group(3))
            out.append((f"{doc.relative_to(REPO)}:{line}", m.group(2).strip(), code))
    return out


BLOCKS = _blocks()


def _of(*infos: str) -> list[tuple[str, str]]:
    return [(where, code) for where, info, code in BLOCKS if info in infos]


def _ids(blocks: list[tuple[str, str]]) -> list[str]:
    return [where for where, _ in blocks]


def test_every_block_has_a_checked_kind() -> None:
    bad = [
        f"{where}: ```{info}"
        for where, info, _ in BLOCKS
        if info not in ELSEWHERE | HANDLED and not re.fullmatch(r"sh no-run: \S.*", info)
    ]
    assert not bad, (
        "blocks without a checked info string (use toml, python, python api, sh synopsis, "
        f"`sh no-run: <reason>`, text, js, ts, ...; see this test's docstring): {bad}"
    )
    kinds = {info.split(":")[0] for _, info, _ in BLOCKS}
    assert {"toml", "python", "sh synopsis", "sh no-run"} <= kinds


# --- toml -----------------------------------------------------------------------------------

SCRATCH_FILES = {
    "wit/hello.wit": "package t:hello;\nworld hello { export f: func(); }\n",
    "guest/hello.wasm": "",
    "guest/hello.c": "",
    "guest/Makefile": "",
    "src/mypkg/__init__.py": "",
}


def _hook_table(data: Mapping[str, object]) -> str | None:
    for table in HOOK_TABLES:
        node: object = data
        for part in table.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None:
            return table
    return None


def _check_options(target: str, options: Mapping[str, object]) -> None:
    opts = {k: v for k, v in options.items() if k != "wasm_sha256"}
    match target:
        case "js":
            from witgen.js.options import parse_options as js_options

            js_options(opts)
        case "wasmtime":
            from witgen.wasmtime.options import parse_options as wasmtime_options

            wasmtime_options(dict(opts))
        case "python":
            from witgen.python import OPTIONS

            assert set(opts) <= set(OPTIONS), (sorted(opts), OPTIONS)
        case _:
            raise AssertionError(f"a docs block uses target `{target}`, which this test lacks")


@pytest.mark.parametrize("where, code", _of("toml"), ids=_ids(_of("toml")))
def test_toml_block_parses_and_validates(where: str, code: str, tmp_path: Path) -> None:
    from witgen.config import HATCH_RESERVED_KEYS, load_config

    data = tomllib.loads(code)  # a TOMLDecodeError fails the test with its line
    table = _hook_table(data)
    if table is None:
        return
    root = tmp_path / "proj"
    for rel, text in SCRATCH_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    project = "" if "project" in data else '\n[project]\nname = "mypkg"\nversion = "0"\n'
    (root / "pyproject.toml").write_text(code + project)
    config = load_config(
        root,
        table=table,
        default_package=lambda: "mypkg",
        reserved=HATCH_RESERVED_KEYS if table != "tool.witgen" else (),
    )
    for b in config.bindings:
        _check_options(b.target, b.options)


# --- python ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """wit/, mypkg/ (with the Python package of world `hello` at mypkg/_wit), hello.wasm."""
    from support import guests as g

    try:
        component = g.c_guest_component("hello")
    except g.ToolMissing as e:
        missing(str(e))
    root = tmp_path_factory.mktemp("doc-python")
    shutil.copytree(HELLO_WIT, root / "wit")
    (root / "mypkg").mkdir()
    (root / "mypkg" / "__init__.py").write_text("")
    shutil.copy(component, root / "hello.wasm")
    gen = [sys.executable, "-m", "witgen", "generate", "wit", "--target", "python"]
    subprocess.run(
        [*gen, "--out", "mypkg/_wit"], cwd=root, env=_env(root), check=True, capture_output=True
    )
    return root


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{REPO}"}


@pytest.mark.parametrize("where, code", _of("python"), ids=_ids(_of("python")))
def test_python_block_runs(where: str, code: str, scratch: Path) -> None:
    if importlib.util.find_spec("wasmtime") is None:
        missing("wasmtime-py not installed (the python target's tests need it too)")
    name = "block_" + re.sub(r"\W", "_", where) + ".py"
    (scratch / name).write_text(code)
    proc = subprocess.run(
        [sys.executable, name], cwd=scratch, env=_env(scratch), capture_output=True, text=True
    )
    assert proc.returncode == 0, f"{where}:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.parametrize("where, code", _of("python api"), ids=_ids(_of("python api")))
def test_python_api_block_names_what_exists(where: str, code: str) -> None:
    tree = ast.parse(code)
    modules: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                obj = importlib.import_module(node.module)
                if hasattr(obj, alias.name):
                    obj = getattr(obj, alias.name)
                else:
                    obj = importlib.import_module(f"{node.module}.{alias.name}")
                modules[alias.asname or alias.name] = obj
    assert modules, f"{where}: a `python api` block imports nothing to check"
    read = [
        (node.value.id, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
    ]
    gone = [f"{mod}.{attr}" for mod, attr in read if not hasattr(modules[mod], attr)]
    assert read and not gone, f"{where}: names that do not exist: {gone}"


# --- sh -------------------------------------------------------------------------------------


def _help(sub: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "witgen", sub, "--help"],
        env=_env(REPO),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"`witgen {sub}` is not a sub-command: {proc.stderr}"
    return proc.stdout


@pytest.mark.parametrize("where, code", _of("sh synopsis"), ids=_ids(_of("sh synopsis")))
def test_sh_synopsis_names_real_options(where: str, code: str) -> None:
    for n, line in enumerate(code.splitlines()):
        command = line.split("#")[0].split()
        assert command[:1] == ["witgen"] and len(command) > 1, f"{where}+{n}: {line}"
        known = set(re.findall(r"--[\w-]+", _help(command[1])))
        shown = set(re.findall(r"--[\w-]+", line.split("#")[0]))
        assert shown <= known, f"{where}+{n}: `witgen {command[1]}` lacks {shown - known}"


@pytest.mark.parametrize(
    "where, code",
    [(w, c) for w, i, c in BLOCKS if i.startswith("sh no-run:")],
    ids=[w for w, i, _ in BLOCKS if i.startswith("sh no-run:")],
)
def test_sh_no_run_block_names_real_scripts(where: str, code: str) -> None:
    for script in re.findall(r"\bbash\s+(\S+\.sh)\b", code):
        assert (REPO / script).is_file(), f"{where}: {script} does not exist"
    if not shutil.which("bash"):
        missing("bash not found")
    proc = subprocess.run(["bash", "-n"], input=code, capture_output=True, text=True)
    assert proc.returncode == 0, f"{where}: not valid shell: {proc.stderr}"
