"""The module of an imported interface: its types, its `Host` trait and its
`add_to_linker_instance`/`add_to_linker` functions.
"""

from __future__ import annotations

from witgen import model as m

from .attrs import Attrs
from .func_flags import MAX_TYPED_PARAMS, FunctionFlags
from .host_traits import HostTraits, convert_name
from .link_options import Gates, gated, interface_features, write_struct
from .linker import Linker
from .paths import Paths, Scope, Site
from .resources import iface_resources
from .rustfmt import Writer, call, tuple_, type_node
from .type_exprs import TypeExprs
from .typedefs import TypeDefs


class ImportModule:
    """Writes `src/<ns>/<pkg>/<iface>.rs` for an imported interface."""

    def __init__(
        self,
        resolve: m.Resolve,
        paths: Paths,
        flags: FunctionFlags,
        attrs: Attrs,
        types: TypeExprs,
        typedefs: TypeDefs,
        host_traits: HostTraits,
        linker: Linker,
        site: Site,
    ) -> None:
        self.r = resolve
        self.paths = paths
        self.flags = flags
        self.attrs = attrs
        self.types = types
        self.typedefs = typedefs
        self.host_traits = host_traits
        self.linker = linker
        self.site = site

    def write(self, key: m.WorldKey, iid: int) -> str:
        iface = self.r.interfaces[iid]
        w = Writer()
        features = interface_features(self.r, iid)
        write_struct(w, features, self.attrs.wt_cfg)
        self.typedefs.define_types(w, iface.types, key, export=False, shared_from=None)
        resources = iface_resources(self.r, iid)
        funcs = [f for f in iface.functions.values() if f.resource is None]
        # trappable error conversions this interface owns
        converts = []
        for tid in iface.types.values():
            if tid in self.flags.trappable_errors:
                name = self.r.types[tid].name
                assert name is not None
                rust = self.paths.rust_type_name(tid)
                method = convert_name(self.r, tid)
                converts.append((name, rust, self.flags.trappable_errors[tid], method))
        self.host_traits.host_trait(
            w,
            "Host",
            funcs,
            key,
            resources=resources,
            extra_convert=converts,
            docs="The host side of this interface: implement it and the resource traits.",
        )
        w.line()
        self._linker_fns(w, key, iid, resources, self._required_hosts(key, iid), bool(features))
        return self.site.wrap(w.text())

    def _required_hosts(self, key: m.WorldKey, iid: int) -> list[str]:
        """The `Host` traits of other interfaces whose trappable errors this one converts."""
        required = set()
        for f in self.r.interfaces[iid].functions.values():
            fl = self.flags.import_flags(key, f)
            te = self.flags.trappable_error(f) if fl.trappable else None
            if te is not None:
                owner = self.r.types[te[1]].owner
                assert owner is not None
                if owner.id != iid:
                    required.add(f"{self.paths.iface_mod(owner.id, Scope(iid))}::Host")
        return sorted(required)

    def _linker_fns(
        self,
        w: Writer,
        key: m.WorldKey,
        iid: int,
        resources: list[tuple[int, str]],
        required: list[str],
        has_options: bool,
    ) -> None:
        """`add_to_linker_instance` and `add_to_linker`; `has_options`: they take `&LinkOptions`."""
        iface = self.r.interfaces[iid]
        funcs = list(iface.functions.values())
        any_async = any(self.flags.import_flags(key, f).async_ for f in funcs) or any(
            self.flags.drop_flags(key, n).async_ for _, n in resources
        )
        tbound = "T: 'static" + (" + Send" if any_async else "")
        bounds = ["D: HostWithStore<T>", f"for<'a> D::Data<'a>: {' + '.join(['Host', *required])}"]
        self.attrs.wt_cfg(w)
        w.line("/// Adds this interface's functions and resources to `inst`.")
        self.attrs.wt_cfg(w)
        options = ["options: &LinkOptions"] if has_options else []
        w.sig(
            "pub fn add_to_linker_instance<T, D>",
            [
                "inst: &mut ::wasmtime::component::LinkerInstance<'_, T>",
                *options,
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            [*bounds, tbound],
        )
        if not funcs and not resources:
            w.line(
                "let _ = (inst, options, host_getter);" if has_options else "let _ = (inst, host_getter);"
            )
        aliases = {}
        for i, f in enumerate(funcs):
            if len(f.params) > MAX_TYPED_PARAMS:
                continue
            aliases[f.name] = f"Params{i}"
            params = tuple_([type_node(self.types.ty(p.type)) for p in f.params])
            w.let(f"type {aliases[f.name]}", params)
        stabilities = [f.stability for f in funcs]
        stabilities += [self.r.types[tid].stability for tid, _n in resources]
        if has_options and (funcs or resources) and not any(gated(iface.stability, s) for s in stabilities):
            w.line("let _ = options;")
        gates = Gates(w)
        for tid, _n in resources:
            gates.enter(iface.stability, self.r.types[tid].stability)
            trait = f"Host{self.paths.resource_base(tid)}"
            self.linker.add_resource(w, key, tid, "inst", trait)
        for f in funcs:
            trait = "Host"
            if f.resource is not None:
                trait = f"Host{self.paths.resource_base(f.resource)}"
            gates.enter(iface.stability, f.stability)
            self.linker.link_function(w, key, f, trait, "inst", aliases.get(f.name, ""))
        gates.close()
        w.line("Ok(())")
        w.level -= 1
        w.line("}")
        w.line()
        self._add_to_linker(w, self.paths.key_name(key), [*bounds, tbound], has_options)

    def _add_to_linker(self, w: Writer, name: str, where: list[str], has_options: bool) -> None:
        """`add_to_linker`: `add_to_linker_instance` on the instance `name` of `linker`."""
        self.attrs.wt_cfg(w)
        w.line(f"/// Adds this interface (`{name}`) to `linker`.")
        self.attrs.wt_cfg(w)
        w.sig(
            "pub fn add_to_linker<T, D>",
            [
                "linker: &mut ::wasmtime::component::Linker<T>",
                *(["options: &LinkOptions"] if has_options else []),
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            where,
        )
        w.line(f'let mut inst = linker.instance("{name}")?;')
        args = ["&mut inst", *(["options"] if has_options else []), "host_getter"]
        w.line(call("add_to_linker_instance::<T, D>", args))
        w.level -= 1
        w.line("}")

    def _name(self, tid: int) -> str:
        name = self.r.types[tid].name
        assert name is not None
        return name
