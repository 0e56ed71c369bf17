"""The guest's core module inside a component made by wit-component (`wasm-tools component new`)
from one core module and, for a guest built with wasi-libc, the WASI preview 1 adapter.

`main_core_module(data, source)` returns that core module's bytes, as the component embeds it:
the JS package then runs it with its own WASI preview 1 (`wasi_snapshot_preview1` is what the
adapter provided inside the component). The component's top-level core modules are told apart
by the module name wit-component gives its own ones in the `name` section:
`wit-component:adapter:<import module>` (an adapter), `wit-component:shim` and
`wit-component:fixups` (the indirect-call tables that tie the adapter in). Exactly one other
core module must remain, and the only adapter accepted is `wasi_snapshot_preview1`'s; other
shapes (several guest modules, nested components, other adapters) are refused with a
`WitError` saying what the component holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from witgen.errors import WitError

from .check import WASI_PREVIEW1_MODULES
from .reader import WasmFormatError, _Reader

_COMPONENT_VERSION = b"\x0d\0\x01\0"
_SEC_CORE_MODULE, _SEC_COMPONENT = 1, 4
_ADAPTER = "wit-component:adapter:"
_OWN = ("wit-component:shim", "wit-component:fixups")


@dataclass(frozen=True)
class CoreModule:
    data: bytes
    #: the module name of its `name` section, if it has one
    name: str | None


def core_modules(data: bytes) -> list[CoreModule]:
    """The top-level core modules of component `data`, in order; `WasmFormatError` for
    anything that is not a component, or one with nested components."""
    if data[:4] == b"\0asm" and data[4:8] == b"\x01\0\0\0":
        raise WasmFormatError("a core module, not a component (give it as `wasm`)")
    if data[:4] != b"\0asm" or data[4:8] != _COMPONENT_VERSION:
        raise WasmFormatError("not a component binary")
    out = []
    r = _Reader(data, 8)
    while not r.at_end():
        sid = r.byte()
        size = r.uleb()
        if r.pos + size > len(data):
            raise r.fail(f"section {sid} runs past the end of the component")
        if sid == _SEC_COMPONENT:
            raise r.fail("a nested component")
        if sid == _SEC_CORE_MODULE:
            body = data[r.pos : r.pos + size]
            out.append(CoreModule(body, module_name(body)))
        r.pos += size
    return out


def module_name(data: bytes) -> str | None:
    """The module name (subsection 0 of the `name` custom section) of core module `data`."""
    r = _Reader(data, 8)
    while not r.at_end():
        sid = r.byte()
        size = r.uleb()
        end = r.pos + size
        if sid == 0:
            sec = _Reader(data, r.pos, end)
            if sec.name() == "name" and not sec.at_end() and sec.byte() == 0:
                sec.uleb()
                return sec.name()
        r.pos = end
    return None


def main_core_module(data: bytes, source: str) -> bytes:
    """The guest's core module in component `data` (read from `source`); see the module doc."""
    try:
        modules = core_modules(data)
    except WasmFormatError as e:
        raise WitError(f"component {source}: {e}") from None
    adapters = [m.name[len(_ADAPTER) :] for m in modules if m.name and m.name.startswith(_ADAPTER)]
    unsupported = [a for a in adapters if a not in WASI_PREVIEW1_MODULES]
    if unsupported:
        raise WitError(
            f"component {source}: it has the adapter of `{unsupported[0]}`; only the WASI "
            "preview 1 adapter (wasi_snapshot_preview1) can be replaced by the JS package's WASI"
        )
    own = [
        m for m in modules if not (m.name and (m.name.startswith(_ADAPTER) or m.name in _OWN))
    ]
    if len(own) != 1:
        raise WitError(
            f"component {source}: it holds {len(own)} core modules besides wit-component's own "
            f"(adapters: {', '.join(adapters) or 'none'}); only one core module, with or without "
            "the WASI preview 1 adapter, can be taken out of a component"
        )
    return own[0].data
