"""Resource types: the Rust type of an imported (host) or exported (guest) resource, its
`Host<Res>` trait, the `Guest<Res>` accessor of exports, and which functions and resources
an interface has. Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from witgen import model as m

from .names import ident, type_name
from .rustfmt import Writer


class Resources:
    """Defines resources and lists them with their functions."""

    def define_resource(self, w: Writer, tid: int, wit_name: str, key, *, export: bool) -> None:
        td = self.r.types[tid]
        cname = type_name(wit_name)
        w.docs(td.docs)
        if export:
            w.line(f"pub type {cname} = {self.ANY};")
            w.line()
            self.wt_cfg(w)
            w.line(
                f"/// The exported functions of resource `{wit_name}`, from [`Guest::{ident(wit_name)}`]."
            )
            self.wt_cfg(w)
            w.open(f"pub struct Guest{cname}<'a>")
            w.line("funcs: &'a Guest,")
            w.close()
            w.line()
            return
        mapped = self._with_lookup(key, wit_name) if key is not None else self.o.with_.get(wit_name)
        if mapped is not None:
            w.line(f"pub use {mapped} as {cname};")
        else:
            w.line(f"pub enum {cname} {{}}")
        w.line()
        funcs = self.resource_funcs(tid)
        self.host_trait(w, f"Host{cname}", funcs, key, resources=[], drop=(wit_name, cname))
        w.line()

    def resource_funcs(self, tid: int) -> list[m.Function]:
        owner = self.r.types[tid].owner
        if owner.kind == "world":
            return [
                it.function
                for it in self.world.imports.values()
                if isinstance(it, m.FunctionItem) and it.function.resource == tid
            ]
        return [f for f in self.r.interfaces[owner.id].functions.values() if f.resource == tid]

    def iface_resources(self, iid: int) -> list[tuple[int, str]]:
        return [
            (tid, n)
            for n, tid in self.r.interfaces[iid].types.items()
            if isinstance(self.r.types[tid].kind, m.Resource)
        ]
