"""The Rust source of a wasmtime host crate for one world.

`CrateGen(resolve, world_id, options)` writes the Rust source for `src/`: the world items
for `src/lib.rs` (`world_items`) and one file per interface module (`import_module`:
`src/<ns>/<pkg>/<iface>.rs` or `src/<name>.rs` for a world-level `import name: interface {..}`;
`export_module`: `src/exports/<ns>/<pkg>/<iface>.rs`).

The public API follows `wasmtime::component::bindgen!` of the pinned wasmtime (see
docs/wasmtime.md): the same item names, trait shapes and method signatures, using only public
`wasmtime` paths.

This module only wires the parts together. Crate-wide, built once: `Types` (what each WIT type
needs), `Paths` (module paths, `with`), `FunctionFlags` (async/trappable per function),
`Attrs` (derives, cfgs, layout assertions), `Features` (collected needs). Per module, built
for its `Scope`: `TypeExprs` (Rust types), `HostTraits`, `TypeDefs`, `Linker`, `ExportFns`
and the `Site` naming the interface in errors; then `ImportModule`, `ExportModule` or
`WorldItems` writes the module with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from witgen import model as m
from witgen.abi.layout import layout_of
from witgen.abi.typeinfo import typeinfo_of
from witgen.abi.typeuse import TypeUses

from .attrs import Attrs
from .exports import ExportFns, ExportModule
from .features import Features
from .func_flags import FunctionFlags
from .host_traits import HostTraits
from .imports import ImportModule
from .linker import Linker
from .options import Options
from .paths import Paths, RuntimePaths, Scope, Site
from .type_exprs import TypeExprs
from .typedefs import TypeDefs
from .world import WorldItems


@dataclass
class ModuleParts:
    """The writers of one module, all seeing the crate from its scope."""

    types: TypeExprs
    host_traits: HostTraits
    typedefs: TypeDefs
    linker: Linker
    export_fns: ExportFns
    site: Site


class CrateGen:
    """One crate's generation: the crate-wide parts and the modules written with them."""

    def __init__(self, resolve: m.Resolve, world_id: int, opts: Options) -> None:
        self.r = resolve
        self.world = resolve.worlds[world_id]
        self.o = opts
        self.info = typeinfo_of(resolve)
        self.uses = TypeUses(resolve, world_id)
        self.feat = Features()
        self.rt = RuntimePaths.for_crate(opts.traits_only)
        self.paths = Paths(resolve, self.world, opts.with_)
        self.flags = FunctionFlags(resolve, opts, self.feat)
        self.attrs = Attrs(opts.traits_only, opts.additional_derives, self.info, layout_of(resolve))

    def _parts(self, scope: Scope, interface: str | None) -> ModuleParts:
        """The writers for a module of `scope`; `interface` names it in errors (None: root)."""
        r, o = self.r, self.o
        types = TypeExprs(r, self.info, self.uses, o, self.paths, self.rt, self.feat, scope)
        host_traits = HostTraits(r, self.world, types, self.flags, self.attrs, self.rt)
        typedefs = TypeDefs(
            r, self.world, self.info, self.uses, o, types, self.attrs, self.paths, host_traits, self.rt
        )
        site = Site(interface, o.traits_only)
        linker = Linker(r, o, self.flags, self.paths, site, scope)
        export_fns = ExportFns(r, o, types, self.flags, self.attrs, site)
        return ModuleParts(types, host_traits, typedefs, linker, export_fns, site)

    def import_module(self, key: m.WorldKey, iid: int) -> str:
        p = self._parts(Scope(iid, export=False), self.paths.key_name(key))
        module = ImportModule(
            self.r,
            self.paths,
            self.flags,
            self.attrs,
            p.types,
            p.typedefs,
            p.host_traits,
            p.linker,
            p.site,
        )
        return module.write(key, iid)

    def export_module(self, key: m.WorldKey, iid: int) -> str:
        p = self._parts(Scope(iid, export=True), self.paths.key_name(key))
        module = ExportModule(self.r, self.paths, self.attrs, p.typedefs, p.export_fns, p.site)
        return module.write(key, iid)

    def world_items(self) -> str:
        """The Rust items of the crate root (everything but the module declarations)."""
        imports = self._parts(Scope(None, export=False), None)
        exports = self._parts(Scope(None, export=True), None)
        items = WorldItems(
            self.r,
            self.world,
            self.paths,
            self.flags,
            self.attrs,
            imports.types,
            imports.typedefs,
            imports.host_traits,
            imports.linker,
            exports.export_fns,
        )
        return items.write()
