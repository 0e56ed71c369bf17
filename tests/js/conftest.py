"""Fixtures of the JS target's tests: real guests built once per session, generated packages
and the typed test programs compiled together by one tsc run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from js_support import PROGRAMS, WAT, build_programs, need, write_pkg

#: program -> (guest kind, guest name, {package folder: generate options}); `wat` guests are
#: hand-written WAT modules in tests/js/wat
ONE = {"pkg": {}}
RUNTIME_PROGRAMS = {
    "scalars": ("c", "scalars", ONE),
    "compound": ("c", "compound", ONE),
    "resources": ("c", "resources", ONE),
    "misbehave": ("c", "misbehave", ONE),
    "fixed_lists": ("c", "fixed-lists", ONE),
    "hello_js": ("js", "hello", ONE),
    "encodings": (
        "wat",
        "strings",
        {
            "pkg": {},
            "pkg16": {"string_encoding": "utf16"},
            "pkgL": {"string_encoding": "latin1+utf16"},
        },
    ),
    "init": ("wat", "init", ONE),
    "versioned": ("wat", "versioned", ONE),
    "maps": ("wat", "maps", ONE),
}


def _guest_core(kind: str, name: str, tmp: Path) -> tuple[Path, Path, str]:
    """(core module, WIT path, world) of a guest."""
    if kind == "wat":
        from support.wasm_tools_json import WasmToolsError, wasm_tools

        try:
            exe = wasm_tools()
        except WasmToolsError:
            need("wasm-tools")
        out = tmp / f"{name}.wasm"
        subprocess.run([exe, "parse", str(WAT / f"{name}.wat"), "-o", str(out)], check=True)
        return out, WAT / f"{name}.wit", name
    from support import guests

    try:
        if kind == "c":
            core = guests.build_c_guest(name)
        else:
            core = guests.build_js_guest(name)[1]
        spec = guests.guest_spec(kind, name)
    except guests.ToolMissing as e:
        need(str(e))
    return core, spec.wit, spec.world


@pytest.fixture(scope="session")
def guest_core(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wat")
    cache: dict = {}

    def get(kind: str, name: str) -> tuple[Path, Path, str]:
        if (kind, name) not in cache:
            cache[(kind, name)] = _guest_core(kind, name, tmp)
        return cache[(kind, name)]

    return get


@pytest.fixture(scope="session")
def programs(tmp_path_factory, guest_core):
    """Every runtime program compiled against its guest's generated package (one tsc run)."""
    work = tmp_path_factory.mktemp("programs")
    specs = {}
    for prog, (kind, name, pkgs) in RUNTIME_PROGRAMS.items():
        core, wit, world = guest_core(kind, name)
        for sub, opts in pkgs.items():
            write_pkg(wit, world, work / prog / sub, wasm=str(core), **opts)
        specs[prog] = PROGRAMS / f"{prog}.ts"
    return build_programs(work, specs)
