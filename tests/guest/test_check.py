"""`witgen.guest.check`: good guests pass, stale or wrong ones fail with every problem listed.

Good guests: wasm-tools' dummy modules (the oracle of the core contract), the WAT guests of the
JS tests and of testprojects/hello-hatch, and real C guests (wit-bindgen c + clang). Wrong ones:
WAT modules with one mistake each; the expected messages follow the core signatures the
Canonical ABI gives the WIT written beside them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import guests as g
from support.dummy_oracle import dummy_module
from support.missing import missing
from support.wit_cases import FEATURES, find_shared

import witgen
from witgen.errors import WitError
from witgen.guest.check import check_guest, memory_needs, require_guest
from witgen.js import generate

from .test_reader import assemble

REPO = Path(__file__).resolve().parents[2]
WAT_DIR = REPO / "tests" / "js" / "wat"
STRESS = REPO / "tests" / "abi" / "data" / "abi-stress.wit"

CALC = """
package t:calc;
world calc {
  import log: func(msg: string);
  import tick: func();
  export add: func(a: u32, b: u32) -> u32;
  export name: func() -> string;
  export take: func(s: string);
}
"""

#: a guest of CALC with everything right
GOOD = """
(module
  (import "$root" "log" (func (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 8))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "name") (result i32) (i32.const 0))
  (func (export "cabi_post_name") (param i32))
  (func (export "take") (param i32 i32))
  (func (export "_initialize"))
  (func (export "extra-export"))
)
"""


def _resolve(tmp: Path, wit: str = CALC) -> tuple[witgen.model.Resolve, int]:
    path = tmp / "world.wit"
    path.write_text(wit)
    resolve = witgen.load(path)
    return resolve, resolve.select_world(None)


def _problems(tmp: Path, wat: str, wit: str = CALC) -> list[str]:
    resolve, world = _resolve(tmp, wit)
    return check_guest(resolve, world, assemble(wat, tmp))


def test_good_guest_passes(tmp_path: Path) -> None:
    # `tick` is not imported (a guest need not import what it does not call), the post-return
    # of `name` and `_initialize` are there, `extra-export` is beyond the world: all fine
    assert _problems(tmp_path, GOOD) == []


#: one edit of GOOD each, and the problems it makes (the JS `load()` check lists the same ones:
#: tests/js/test_js_linkcheck.py)
ONE_MISTAKES = [
    pytest.param(
        (
            '(func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))',
            "",
        ),
        ['missing export "add": expected (i32, i32) -> i32'],
        id="missing-export",
    ),
    pytest.param(
        (
            '(export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))',
            '(export "add") (param i32) (result i32) (local.get 0)',
        ),
        ['export "add" has (i32) -> i32 but the world needs (i32, i32) -> i32'],
        id="export-signature",
    ),
    pytest.param(
        (
            '(import "$root" "log" (func (param i32 i32)))',
            '(import "$root" "log" (func (param i32)))',
        ),
        ['import "log" has (i32) but the world needs (i32, i32)'],
        id="import-signature",
    ),
    pytest.param(
        ('(memory (export "memory") 1)', "(memory 1)"),
        ['missing export "memory" (a memory): the world passes data through memory'],
        id="missing-memory",
    ),
    pytest.param(
        (
            '(func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 8))',
            "",
        ),
        [
            'missing export "cabi_realloc": expected (i32, i32, i32, i32) -> i32 '
            "(the host allocates in guest memory)"
        ],
        id="missing-realloc",
    ),
    pytest.param(
        ('(func (export "cabi_post_name") (param i32))', '(func (export "cabi_post_name"))'),
        ['export "cabi_post_name" has () but the world needs (i32)'],
        id="post-return-signature",
    ),
    pytest.param(
        ('(func (export "cabi_post_name") (param i32))', ""),
        [],
        id="post-return-optional",
    ),
    pytest.param(
        ('(func (export "_initialize"))', '(func (export "_initialize") (param i32))'),
        ['export "_initialize" has (i32) but the world needs ()'],
        id="initialize-signature",
    ),
    pytest.param(
        ('(memory (export "memory") 1)', '(memory 1) (func (export "memory"))'),
        ['export "memory" is a func, the world needs a memory'],
        id="memory-kind",
    ),
    pytest.param(
        (
            '(import "$root" "log" (func (param i32 i32)))',
            '(import "$root" "log" (func (param i32 i32))) (import "$root" "gone" (func)) (import "t:calc/x" "y" (func)) (import "env" "g" (global i32))',
        ),
        [
            'import "gone" is not in the world',
            'import "t:calc/x#y" is not in the world',
            'import "env#g" (a global) is not in the world',
        ],
        id="unknown-imports",
    ),
    pytest.param(
        (
            '(import "$root" "log" (func (param i32 i32)))',
            '(import "$root" "log" (func (param i32 i32))) (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))',
        ),
        [],
        id="wasi-preview1-is-the-hosts",
    ),
]


@pytest.mark.parametrize("edit, problems", ONE_MISTAKES)
def test_one_mistake(tmp_path: Path, edit: tuple[str, str], problems: list[str]) -> None:
    old, new = edit
    assert GOOD.count(old) == 1
    assert _problems(tmp_path, GOOD.replace(old, new)) == problems


def test_every_problem_is_listed_in_one_error(tmp_path: Path) -> None:
    resolve, world = _resolve(tmp_path)
    stale = '(module (import "$root" "log" (func (param i32))) (func (export "add") (param i32) (result i32) (local.get 0)))'
    with pytest.raises(WitError) as e:
        require_guest(resolve, world, assemble(stale, tmp_path), "guest/calc.wasm")
    assert e.value.message == (
        "guest guest/calc.wasm does not fit world `calc` (6 problems):\n"
        '  - export "add" has (i32) -> i32 but the world needs (i32, i32) -> i32\n'
        '  - missing export "name": expected () -> i32\n'
        '  - missing export "take": expected (i32, i32)\n'
        '  - missing export "memory" (a memory): the world passes data through memory\n'
        '  - missing export "cabi_realloc": expected (i32, i32, i32, i32) -> i32 '
        "(the host allocates in guest memory)\n"
        '  - import "log" has (i32) but the world needs (i32, i32)'
    )


def test_not_a_module(tmp_path: Path) -> None:
    resolve, world = _resolve(tmp_path)
    assert check_guest(resolve, world, b"\0asm\x0d\0\x01\0") == [
        "not a core wasm module: a component, not a core module"
    ]


@pytest.mark.parametrize(
    "wit_funcs, needs",
    [
        ("export f: func(a: u32, b: f64) -> s64;", (False, False)),
        ("import f: func(a: u32) -> u64;", (False, False)),
        # the guest's string is read by the host; the host allocates nothing
        ("export f: func() -> string;", (True, False)),
        ("import f: func(s: string);", (True, False)),
        # the host copies a string into the guest: it allocates there
        ("export f: func(s: string);", (True, True)),
        ("import f: func() -> list<u8>;", (True, True)),
        ("import f: func() -> option<string>;", (True, True)),
        # two flat results: the import writes them through a guest pointer, no allocation
        ("import f: func() -> tuple<u32, u32>;", (True, False)),
        ("export f: func() -> tuple<u32, u32>;", (True, False)),
        # 17 flat params: spilled to memory the host allocates for an export ...
        (
            "export f: func(a: tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64>);",
            (True, True),
        ),
        # ... and the guest allocates for an import
        (
            "import f: func(a: tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64>);",
            (True, False),
        ),
    ],
)
def test_memory_needs(tmp_path: Path, wit_funcs: str, needs: tuple[bool, bool]) -> None:
    from witgen.abi import world_contract

    resolve, world = _resolve(tmp_path, f"package t:m;\nworld w {{\n  {wit_funcs}\n}}\n")
    assert memory_needs(world_contract(resolve, world), resolve) == needs


# --- good guests from elsewhere ------------------------------------------------------------


@pytest.mark.parametrize("name", ["init", "maps", "strings", "versioned"])
def test_js_wat_guests_pass(tmp_path: Path, name: str) -> None:
    resolve = witgen.load(WAT_DIR / f"{name}.wit")
    data = assemble((WAT_DIR / f"{name}.wat").read_text(), tmp_path)
    assert check_guest(resolve, resolve.select_world(None), data) == []


def test_hello_hatch_guest_passes(tmp_path: Path) -> None:
    project = REPO / "testprojects" / "hello-hatch"
    resolve = witgen.load(project / "wit")
    data = assemble((project / "guest" / "hello.wat").read_text(), tmp_path)
    assert check_guest(resolve, resolve.select_world(None), data) == []


def _corpus() -> list[Path]:
    out = [STRESS]
    shared = find_shared()
    if shared is not None:
        out += [shared / "corpus" / d for d in ("wasi-p2", "wasi-http-p2")]
    return [p for p in out if p.exists()]


def _world_spec(resolve: witgen.model.Resolve, world_id: int) -> str:
    """`--world` for wasm-tools, naming the world exactly."""
    world = resolve.worlds[world_id]
    assert world.package is not None
    pkg = resolve.packages[world.package].name
    spec = f"%{pkg.namespace}:%{pkg.name}/%{world.name}"
    return f"{spec}@{pkg.version}" if pkg.version else spec


@pytest.mark.parametrize("async_abi", ["sync", "callback", "stackful"])
def test_wasm_tools_dummy_modules_pass(async_abi: str) -> None:
    """wasm-tools' dummy module of a world is what wit-component accepts for it."""
    checked = 0
    for path in _corpus():
        resolve = witgen.load(path, features=set(FEATURES))
        for world_id in range(len(resolve.worlds)):
            spec = _world_spec(resolve, world_id)
            data = dummy_module(path, spec, async_abi, FEATURES)
            assert check_guest(resolve, world_id, data, async_abi) == [], (path, spec)
            checked += 1
    assert checked >= 3


C_GUESTS = [n for n in g.guest_names("c") if n != "error-context"]


@pytest.mark.parametrize("name", C_GUESTS)
def test_real_c_guests_pass(name: str) -> None:
    """wit-bindgen c + clang guests (error-context's imports are built-ins the contract leaves
    out, see tests/guests_infra)."""
    spec = g.guest_spec("c", name)
    try:
        core = g.build_c_guest(name)
    except g.ToolMissing as e:
        missing(str(e))
    resolve = witgen.load(spec.wit)
    abi = spec.config.get("async_abi", "sync")
    assert check_guest(resolve, resolve.select_world(spec.world), core.read_bytes(), abi) == []


# --- where the check runs --------------------------------------------------------------------


def test_js_target_refuses_a_wrong_guest(tmp_path: Path) -> None:
    resolve, world = _resolve(tmp_path)
    wasm = tmp_path / "calc.wasm"
    wasm.write_bytes(assemble(GOOD.replace('(export "take")', ""), tmp_path))
    with pytest.raises(WitError, match='missing export "take": expected \\(i32, i32\\)'):
        generate(resolve, world, {"wasm": str(wasm)})
    wasm.write_bytes(assemble(GOOD, tmp_path))
    assert "calc.core.wasm" in generate(resolve, world, {"wasm": str(wasm)})


def test_cli_abi_check(tmp_path: Path) -> None:
    _resolve(tmp_path)
    good, bad = tmp_path / "good.wasm", tmp_path / "bad.wasm"
    good.write_bytes(assemble(GOOD, tmp_path))
    bad.write_bytes(assemble(GOOD.replace('(memory (export "memory") 1)', "(memory 1)"), tmp_path))

    def run(guest: Path) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "witgen", "abi", tmp_path / "world.wit", "--check", guest]
        return subprocess.run(cmd, capture_output=True, text=True)

    ok = run(good)
    assert (ok.returncode, ok.stdout) == (0, f"ok: {good} fits world `calc`\n")
    fail = run(bad)
    assert fail.returncode == 1
    assert fail.stderr == (
        f"error: guest {bad} does not fit world `calc` (1 problem):\n"
        '  - missing export "memory" (a memory): the world passes data through memory\n'
    )
