"""The module of an imported interface: its types, its `Host` trait and its
`add_to_linker_instance`/`add_to_linker` functions. Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from .func_flags import MAX_TYPED_PARAMS
from .names import type_name
from .rustfmt import Writer, tuple_, type_node


class Imports:
    """Writes `src/<ns>/<pkg>/<iface>.rs` for an imported interface."""

    def import_module(self, key, iid: int) -> str:
        self.cur = (iid, False)
        self.used_site = False
        iface = self.r.interfaces[iid]
        w = Writer()
        self.define_types(w, iface.types, key, export=False, shared_from=None)
        resources = self.iface_resources(iid)
        funcs = [f for f in iface.functions.values() if f.resource is None]
        # trappable error conversions this interface owns
        converts = []
        for tid in iface.types.values():
            if tid in self.trappable_errors:
                td = self.r.types[tid]
                converts.append((td.name, type_name(td.name), self.trappable_errors[tid]))
        required = set()
        for f in iface.functions.values():
            fl = self.import_flags(key, f)
            te = self.trappable_error(f) if fl.trappable else None
            if te is not None:
                owner = self.r.types[te[1]].owner.id
                if owner != iid:
                    required.add(f"{self.iface_mod(owner)}::Host")
        w.docs("The host side of this interface: implement it and the resource traits.")
        self.host_trait(w, "Host", funcs, key, resources=resources, extra_convert=converts)
        w.line()
        self.linker_fns(w, key, iid, resources, sorted(required))
        return self.site_const(key, w.text())

    def linker_fns(self, w: Writer, key, iid: int, resources, required: list[str]) -> None:
        funcs = list(self.r.interfaces[iid].functions.values())
        any_async = any(self.import_flags(key, f).async_ for f in funcs) or any(
            self.drop_flags(key, n).async_ for _, n in resources
        )
        tbound = "T: 'static" + (" + Send" if any_async else "")
        data_bound = " + ".join(["Host", *required])
        self.wt_cfg(w)
        w.line("/// Adds this interface's functions and resources to `inst`.")
        self.wt_cfg(w)
        w.sig(
            "pub fn add_to_linker_instance<T, D>",
            [
                "inst: &mut ::wasmtime::component::LinkerInstance<'_, T>",
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            ["D: HostWithStore<T>", f"for<'a> D::Data<'a>: {data_bound}", tbound],
        )
        if not funcs and not resources:
            w.line("let _ = (inst, host_getter);")
        self.params_aliases = {}
        for i, f in enumerate(funcs):
            if len(f.params) > MAX_TYPED_PARAMS:
                continue
            alias = f"Params{i}"
            self.params_aliases[f.name] = alias
            w.let(f"type {alias}", tuple_([type_node(self.ty(p.type)) for p in f.params]))
        for tid, n in resources:
            self.add_resource(w, key, tid, n, "inst", f"Host{type_name(n)}")
        for f in funcs:
            trait = (
                f"Host{type_name(self.r.types[f.resource].name)}"
                if f.resource is not None
                else "Host"
            )
            self.link_function(w, key, f, trait, "inst")
        w.line("Ok(())")
        w.level -= 1
        w.line("}")
        w.line()
        self.wt_cfg(w)
        w.line(f"/// Adds this interface (`{self.key_name(key)}`) to `linker`.")
        self.wt_cfg(w)
        w.sig(
            "pub fn add_to_linker<T, D>",
            [
                "linker: &mut ::wasmtime::component::Linker<T>",
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            ["D: HostWithStore<T>", f"for<'a> D::Data<'a>: {data_bound}", tbound],
        )
        w.line(f'let mut inst = linker.instance("{self.key_name(key)}")?;')
        w.line("add_to_linker_instance::<T, D>(&mut inst, host_getter)")
        w.level -= 1
        w.line("}")
