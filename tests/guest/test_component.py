"""`witgen.guest.component`: the guest's core module taken out of a component made by
wit-component, checked against `wasm-tools component unbundle` (the oracle); components of other
shapes are refused, saying what they hold."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import guests as g
from support.missing import missing

from witgen.errors import WitError
from witgen.guest.component import core_modules, main_core_module


def _need(fn, *args):
    try:
        return fn(*args)
    except g.ToolMissing as e:
        missing(str(e))


def _unbundled_main(component: Path, tmp: Path) -> bytes:
    """The module `wasm-tools component unbundle` writes first: the guest's (wit-component
    embeds it before the adapter and its own shims)."""
    mods = g.extract_core_modules(component, tmp / "unbundled")
    return mods[0].read_bytes()


@pytest.mark.parametrize("guest", ["wasi-print", "hello"])
def test_the_core_module_is_the_one_wasm_tools_finds(guest: str, tmp_path: Path) -> None:
    core = _need(g.build_c_guest, guest)
    comp = _need(g.componentize_core, core)
    got = main_core_module(comp.read_bytes(), str(comp))
    assert got == _unbundled_main(comp, tmp_path)
    names = [m.name for m in core_modules(comp.read_bytes())]
    if guest == "wasi-print":
        assert "wit-component:adapter:wasi_snapshot_preview1" in names
    else:
        assert not any(n and n.startswith("wit-component:adapter:") for n in names)


def _component(wat: str, tmp: Path) -> bytes:
    exe = _need(g.wasm_tools)
    (tmp / "c.wat").write_text(wat)
    subprocess.run([exe, "parse", tmp / "c.wat", "-o", tmp / "c.wasm"], check=True)
    return (tmp / "c.wasm").read_bytes()


@pytest.mark.parametrize(
    "wat, message",
    [
        (
            "(component (core module) (core module))",
            "component c.wasm: it holds 2 core modules besides wit-component's own (adapters: "
            "none); only one core module, with or without the WASI preview 1 adapter, can be "
            "taken out of a component",
        ),
        (
            "(component (core module $main) (core module $wit-component:adapter:env))",
            "component c.wasm: it has the adapter of `env`; only the WASI preview 1 adapter "
            "(wasi_snapshot_preview1) can be replaced by the JS package's WASI",
        ),
        (
            "(component (core module) (component))",
            "component c.wasm: a nested component (at byte",
        ),
        ("(module)", "component c.wasm: a core module, not a component (give it as `wasm`)"),
    ],
    ids=["two-modules", "other-adapter", "nested", "core-module"],
)
def test_other_shapes_are_refused(wat: str, message: str, tmp_path: Path) -> None:
    data = _component(wat, tmp_path)
    with pytest.raises(WitError) as e:
        main_core_module(data, "c.wasm")
    assert e.value.message.startswith(message)
