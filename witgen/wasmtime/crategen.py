"""The Rust source of a wasmtime host crate for one world.

`CrateGen(resolve, world_id, options)` writes the Rust source for `src/`: the world items
for `src/lib.rs` (with `world.world_items`) and one file per interface module
(`src/<ns>/<pkg>/<iface>.rs`, `src/exports/<ns>/<pkg>/<iface>.rs`, `src/<name>.rs` for a
world-level `import name: interface { ... }`).

The public API follows `wasmtime::component::bindgen!` of the pinned wasmtime (see
docs/wasmtime.md): the same item names, trait shapes and method signatures, using only public
`wasmtime` paths.

This module holds the generator's state; its methods are mixed in from modules named for
what they write:

- `paths`: module paths, `with` remapping, paths to types, the `WIT_INTERFACE` constant;
- `type_exprs`: Rust type expressions (`ty`), ownership modes and lifetimes;
- `func_flags`: async/trappable/concurrent flags of functions, trappable error types;
- `attrs`: derives, `#[component]` and traits-only `cfg`s, layout assertions;
- `typedefs`: records, variants, enums, flags and aliases; `resources`: resource types;
- `host_traits`: the `Host` traits of imports; `linker`: `func_wrap*`/`resource*` glue;
- `imports`/`exports`: the modules of imported/exported interfaces (`Guest`, `call_*`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from witgen import model as m
from witgen.abi.layout import layout_of

from .attrs import Attrs
from .exports import Exports
from .func_flags import FuncFlags
from .host_traits import HostTraits
from .imports import Imports
from .linker import Linker
from .names import type_name
from .options import Options
from .paths import Paths
from .resources import Resources
from .type_exprs import TypeExprs
from .typedefs import TypeDefs
from .types import Types


@dataclass
class Features:
    """What the generated code needs from wasmtime / the crate."""

    async_: bool = False
    concurrent: bool = False
    names: set[str] = field(default_factory=set)


class CrateGen(
    Paths,
    TypeExprs,
    FuncFlags,
    Attrs,
    TypeDefs,
    Resources,
    HostTraits,
    Linker,
    Imports,
    Exports,
):
    """The state of one crate's generation: options, type info, module paths, features."""

    def __init__(self, resolve: m.Resolve, world_id: int, opts: Options) -> None:
        self.r = resolve
        self.wid = world_id
        self.world = resolve.worlds[world_id]
        self.o = opts
        self.types = Types(resolve, world_id)
        self.layouts = layout_of(resolve)
        self.tonly = opts.traits_only
        self.feat = Features()
        self.wname = type_name(self.world.name)
        # rust paths of wasmtime items, or of the crate's stand-ins in traits-only mode
        if self.tonly:
            self.RES = "crate::witgen_rt::Resource"
            self.ANY = "crate::witgen_rt::ResourceAny"
            self.RESULT = "crate::witgen_rt::Result"
            self.ECX = "crate::witgen_rt::ErrorContext"
            self.FUT = "crate::witgen_rt::FutureReader"
            self.STR = "crate::witgen_rt::StreamReader"
        else:
            self.RES = "::wasmtime::component::Resource"
            self.ANY = "::wasmtime::component::ResourceAny"
            self.RESULT = "::wasmtime::Result"
            self.ECX = "::wasmtime::component::ErrorContext"
            self.FUT = "::wasmtime::component::FutureReader"
            self.STR = "::wasmtime::component::StreamReader"
        self.import_paths: dict[int, list[str]] = {}
        self.export_paths: dict[int, list[str]] = {}
        self.remapped: dict[int, str] = {}  # interface -> rust path given by `with`
        self.used_with: set[str] = set()
        self.trappable_errors: dict[int, str] = {}  # type id -> rust path
        self.cur: tuple[int | None, bool] = (None, False)  # (interface, is export) being written
        self._name_interfaces()
        self._find_trappable_errors()
