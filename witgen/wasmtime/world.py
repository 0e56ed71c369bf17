"""World-level items of the crate root: world types and resources, the `<W>Imports` trait,
`<W>Pre`, `<W>Indices`, the world struct `<W>` with `instantiate*`, `add_to_linker*`, the
world's exported functions and the accessors of exported interfaces."""

from __future__ import annotations

from dataclasses import dataclass

from witgen import model as m

from .attrs import Attrs
from .exports import ExportFns
from .func_flags import FunctionFlags
from .host_traits import HostTraits
from .link_options import (
    Gates,
    gated,
    interface_features,
    world_features,
    write_from_world,
    write_struct,
)
from .linker import Linker
from .names import disambiguate, type_name, world_name
from .paths import WORLD_METHODS, Paths
from .resources import iface_resources
from .rustfmt import Writer, call, struct_lit, tuple_, type_node
from .type_exprs import TypeExprs
from .typedefs import TypeDefs


@dataclass
class _Field:
    """A field of `<W>` and `<W>Indices`: an exported interface or function."""

    name: str
    type: str
    indices_type: str
    key: m.WorldKey
    item: int | m.Function  # interface id, or the function


class WorldItems:
    """Writes the items of `src/lib.rs` for the world (with the parts of the root scope:
    `types`, `typedefs`, `host_traits` and `linker` for imports, `export_fns` for exports)."""

    def __init__(
        self,
        resolve: m.Resolve,
        world: m.World,
        paths: Paths,
        flags: FunctionFlags,
        attrs: Attrs,
        types: TypeExprs,
        typedefs: TypeDefs,
        host_traits: HostTraits,
        linker: Linker,
        export_fns: ExportFns,
    ) -> None:
        self.r = resolve
        self.world = world
        self.paths = paths
        self.flags = flags
        self.attrs = attrs
        self.types = types
        self.typedefs = typedefs
        self.host_traits = host_traits
        self.linker = linker
        self.export_fns = export_fns
        #: the features gating what the world imports (its `LinkOptions`), and each
        #: imported interface's own
        self.features = world_features(resolve, world)
        self.iface_features = {
            it.id: interface_features(resolve, it.id)
            for it in world.imports.values()
            if isinstance(it, m.InterfaceItem)
        }
        wtypes = {
            type_name(n)
            for n, it in world.imports.items()
            if isinstance(it, m.TypeItem) and isinstance(n, str)
        }
        self.W = world_name(world.name, wtypes)
        # world-level types (and resources) are defined at the root
        self.wtypes = {
            k: it.id
            for k, it in world.imports.items()
            if isinstance(it, m.TypeItem) and isinstance(k, str)
        }
        self.resources = [(tid, n) for n, tid in self.wtypes.items() if self._is_resource(tid)]
        self.imp_funcs = [
            it.function for it in world.imports.values() if isinstance(it, m.FunctionItem)
        ]
        self.has_imports_trait = bool(self.imp_funcs) or bool(self.resources)
        self.exp_funcs = [
            (k, it.function) for k, it in world.exports.items() if isinstance(it, m.FunctionItem)
        ]
        self.imp_ifaces = [
            (k, it.id) for k, it in world.imports.items() if isinstance(it, m.InterfaceItem)
        ]
        self.fields = self._fields()

    def _is_resource(self, tid: int) -> bool:
        return isinstance(self.r.types[tid].kind, m.Resource)

    def _fields(self) -> list[_Field]:
        exp_ifaces = [
            (k, it.id) for k, it in self.world.exports.items() if isinstance(it, m.InterfaceItem)
        ]
        fields = []
        for i, (k, iid) in enumerate(exp_ifaces):
            path = "::".join(self.paths.export_paths[iid])
            fields.append(
                _Field(f"interface{i}", f"{path}::Guest", f"{path}::GuestIndices", k, iid)
            )
        W = self.W
        structs = {W + s for s in ("", "Pre", "Indices", "Imports", "ImportsWithStore")}
        structs |= {f"Host{self.paths.resource_base(t)}" for t, _ in self.resources}
        funcs = [f for _k, f in self.exp_funcs]
        types = self.export_fns.types.own_names | structs
        names = self.export_fns.declare(funcs, {fld.name for fld in fields}, types)
        for (k, f), name in zip(self.exp_funcs, names, strict=True):
            fields.append(
                _Field(
                    name,
                    "::wasmtime::component::Func",
                    "::wasmtime::component::ComponentExportIndex",
                    k,
                    f,
                )
            )
        return fields

    def write(self) -> str:
        w = Writer()
        self._link_options(w)
        for n, tid in self.wtypes.items():
            if self._is_resource(tid):
                self.typedefs.define_resource(w, tid, n, None, export=False)
        plain = {n: tid for n, tid in self.wtypes.items() if not self._is_resource(tid)}
        self.typedefs.define_types(w, plain, None, export=False, shared_from=None)
        if self.has_imports_trait:
            free = [f for f in self.imp_funcs if f.resource is None]
            self.host_traits.host_trait(
                w,
                f"{self.W}Imports",
                free,
                None,
                resources=self.resources,
                docs=f"What world `{self.world.name}` imports directly: implement it.",
            )
            w.line()
        self.export_fns.sig_aliases(w, None, [f for _k, f in self.exp_funcs])
        self._pre(w)
        self._structs(w)
        self._indices_impl(w)
        self.attrs.wt_cfg(w)
        w.open(f"impl {self.W}")
        w.raw(_INSTANTIATE.format(W=self.W))
        self.attrs.async_cfg(w)
        w.raw(_INSTANTIATE_ASYNC.format(W=self.W))
        any_async = self._add_to_linker_imports(w)
        self._add_to_linker(w, any_async)
        self._exports(w)
        w.close()
        return w.text()

    def _link_options(self, w: Writer) -> None:
        """The world's `LinkOptions` and its conversions into each imported interface's."""
        write_struct(w, self.features, self.attrs.wt_cfg)
        for _key, iid in self.imp_ifaces:
            path = self.paths.remapped.get(iid, "::".join(self.paths.import_paths[iid]))
            write_from_world(w, self.iface_features[iid], path, self.attrs.wt_cfg)

    def _options_param(self) -> list[str]:
        return ["options: &LinkOptions"] if self.features else []

    def _pre(self, w: Writer) -> None:
        """`<W>Pre`: a pre-instantiated component with its export indices."""
        W, world = self.W, self.world
        cfg = self.attrs.wt_cfg
        cfg(w)
        w.raw(_PRE_DOC.format(W=W, world=world))
        cfg(w)
        w.open(f"pub struct {W}Pre<T: 'static>")
        w.line("instance_pre: ::wasmtime::component::InstancePre<T>,")
        w.line(f"indices: {W}Indices,")
        w.close()
        w.line()
        cfg(w)
        w.raw(_PRE_CLONE.format(W=W))
        cfg(w)
        w.raw(_PRE_IMPL.format(W=W, world=world))
        self.attrs.async_cfg(w)
        w.raw(_PRE_ASYNC.format(W=W))

    def _structs(self, w: Writer) -> None:
        """`<W>Indices` and `<W>`, a field per exported interface or function."""
        W, world = self.W, self.world
        cfg = self.attrs.wt_cfg
        cfg(w)
        w.raw(_INDICES_DOC.format(W=W, world=world))
        cfg(w)
        w.line("#[derive(Clone)]")
        cfg(w)
        if self.fields:
            w.open(f"pub struct {W}Indices")
            for fld in self.fields:
                w.line(f"{fld.name}: {fld.indices_type},")
            w.close()
        else:
            w.line(f"pub struct {W}Indices {{}}")
        w.line()
        cfg(w)
        w.raw(_WORLD_DOC.format(W=W, world=world))
        if world.docs:
            w.line("///")
            w.docs(world.docs)
        cfg(w)
        if self.fields:
            w.open(f"pub struct {W}")
            for fld in self.fields:
                w.line(f"{fld.name}: {fld.type},")
            w.close()
        else:
            w.line(f"pub struct {W} {{}}")
        w.line()

    def _indices_impl(self, w: Writer) -> None:
        """`<W>Indices::new` (looks the exports up) and `<W>Indices::load` (a `<W>`)."""
        W = self.W
        names = [fld.name for fld in self.fields]
        self.attrs.wt_cfg(w)
        w.open(f"impl {W}Indices")
        w.line("/// Looks up the exports of the world in the component of `_instance_pre`.")
        w.sig(
            "pub fn new<_T>",
            ["_instance_pre: &::wasmtime::component::InstancePre<_T>"],
            " -> ::wasmtime::Result<Self>",
        )
        for fld in self.fields:
            if isinstance(fld.item, m.Function):
                args = ["_instance_pre", f'"{fld.item.name}"']
                w.let(f"let {fld.name}", [call("crate::witgen_rt::world_func_index", args), "?"])
            else:
                w.line(f"let {fld.name} = {fld.indices_type}::new(_instance_pre)?;")
        w.line(["Ok(", struct_lit(f"{W}Indices", names), ")"])
        w.close()
        w.line()
        w.line(
            f"/// Loads the exports of the world from `instance` (type-checking them) as a [`{W}`]."
        )
        w.line("pub fn load(")
        w.level += 1
        w.line("&self,")
        w.line("mut store: impl ::wasmtime::AsContextMut,")
        w.line("instance: &::wasmtime::component::Instance,")
        w.level -= 1
        w.open(f") -> ::wasmtime::Result<{W}>")
        w.line("let _ = (&mut store, instance);")
        for fld in self.fields:
            if isinstance(fld.item, m.Function):
                w.let(
                    f"let {fld.name}: {self.export_fns.sig_alias_ref(None, fld.item)}",
                    call("instance.get_typed_func", ["&mut store", f"self.{fld.name}"]),
                    "?;",
                )
                w.line(f"let {fld.name} = *{fld.name}.func();")
            else:
                w.line(f"let {fld.name} = self.{fld.name}.load(&mut store, instance)?;")
        w.line(["Ok(", struct_lit(W, names), ")"])
        w.close()
        w.close()
        w.line()

    def _add_to_linker_imports(self, w: Writer) -> bool:
        """`add_to_linker_imports` (the world's own functions and resources), if it has any;
        returns whether any of them is async."""
        any_async = False
        for f in self.imp_funcs:
            any_async |= self.flags.import_flags(None, f).async_
        for _tid, n in self.resources:
            any_async |= self.flags.drop_flags(None, n).async_
        if not self.has_imports_trait:
            return any_async
        W = self.W
        tb = "T: 'static" + (" + Send" if any_async else "")
        w.line()
        w.line("/// Adds the functions and resources the world imports directly to `linker`.")
        w.sig(
            "pub fn add_to_linker_imports<T, D>",
            [
                "linker: &mut ::wasmtime::component::Linker<T>",
                *self._options_param(),
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            [f"D: {W}ImportsWithStore<T>", f"for<'a> D::Data<'a>: {W}Imports", tb],
        )
        w.line("let mut linker = linker.root();")
        for i, f in enumerate(self.imp_funcs):
            w.let(f"type Params{i}", tuple_([type_node(self.types.ty(p.type)) for p in f.params]))
        ws = self.world.stability
        stabilities = [f.stability for f in self.imp_funcs]
        stabilities += [self.r.types[tid].stability for tid, _n in self.resources]
        if self.features and not any(gated(ws, s) for s in stabilities):
            w.line("let _ = options;")
        gates = Gates(w)
        for tid, _n in self.resources:
            gates.enter(ws, self.r.types[tid].stability)
            trait = f"Host{self.paths.resource_base(tid)}"
            self.linker.add_resource(w, None, tid, "linker", trait)
        for i, f in enumerate(self.imp_funcs):
            trait = f"{W}Imports"
            if f.resource is not None:
                trait = f"Host{self.paths.resource_base(f.resource)}"
            gates.enter(ws, f.stability)
            self.linker.link_function(w, None, f, trait, "linker", f"Params{i}")
        gates.close()
        w.line("Ok(())")
        w.level -= 1
        w.line("}")
        return any_async

    def _add_to_linker(self, w: Writer, any_async: bool) -> None:
        """`add_to_linker`: every imported interface and the world's own imports."""
        ws_bounds, data_bounds = [], []
        for k, iid in self.imp_ifaces:
            path = self.paths.remapped.get(iid, "::".join(self.paths.import_paths[iid]))
            ws_bounds.append(f"{path}::HostWithStore<T>")
            data_bounds.append(f"{path}::Host")
            for f in self.r.interfaces[iid].functions.values():
                any_async |= self.flags.import_flags(k, f).async_
            for _t, n in iface_resources(self.r, iid):
                any_async |= self.flags.drop_flags(k, n).async_
        if self.has_imports_trait:
            ws_bounds.append(f"{self.W}ImportsWithStore<T>")
            data_bounds.append(f"{self.W}Imports")
        if not ws_bounds:
            return
        send = " + Send" if any_async else ""
        w.line()
        w.line("/// Adds everything the world imports to `linker`.")
        w.sig(
            "pub fn add_to_linker<T, D>",
            [
                "linker: &mut ::wasmtime::component::Linker<T>",
                *self._options_param(),
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            [
                "D: " + " + ".join(ws_bounds) + send,
                "for<'a> D::Data<'a>: " + " + ".join(data_bounds) + send,
                f"T: 'static{send}",
            ],
        )
        gates = Gates(w)
        if self.has_imports_trait:
            gates.enter(self.world.stability)
            args = ["linker", *(["options"] if self.features else []), "host_getter"]
            w.line([call("Self::add_to_linker_imports::<T, D>", args), "?;"])
        for key, iid in self.imp_ifaces:
            path = self.paths.remapped.get(iid, "::".join(self.paths.import_paths[iid]))
            options = ["&options.into()"] if self.iface_features[iid] else []
            item = self.world.imports[key]
            assert isinstance(item, m.InterfaceItem)
            gates.enter(self.world.stability, item.stability)
            w.line(
                [call(f"{path}::add_to_linker::<T, D>", ["linker", *options, "host_getter"]), "?;"]
            )
        gates.close()
        w.line("Ok(())")
        w.level -= 1
        w.line("}")

    def _exports(self, w: Writer) -> None:
        """The world's exported functions and the accessors of its exported interfaces."""
        methods = set(WORLD_METHODS)
        self.export_fns.declare_methods([f for _k, f in self.exp_funcs], methods)
        for _k, f in self.exp_funcs:
            w.line()
            self.export_fns.export_fn(w, None, f, "self")
        ifaces = [fld for fld in self.fields if isinstance(fld.item, int)]
        wanted = [
            self.paths.accessor_name(fld.key, fld.item) for fld in ifaces if isinstance(fld.item, int)
        ]
        for fld, acc in zip(ifaces, disambiguate(wanted, methods), strict=True):
            if isinstance(fld.item, int):
                w.line()
                w.line(f"/// The exports of `{self.paths.key_name(fld.key)}`.")
                w.open(f"pub fn {acc}(&self) -> &{fld.type}")
                w.line(f"&self.{fld.name}")
                w.close()


# --- the fixed text of the world's items (`str.format` templates: `{W}`, `{world.name}`)

_PRE_DOC = """/// Bindings for a pre-instantiated component of world `{world.name}`.
///
/// Created by [`{W}Pre::new`] from an [`InstancePre`](::wasmtime::component::InstancePre) that a
/// [`Linker`](::wasmtime::component::Linker) made. See [`{W}`] as well."""

_PRE_CLONE = """impl<T: 'static> ::core::clone::Clone for {W}Pre<T> {{
    fn clone(&self) -> Self {{
        Self {{
            instance_pre: self.instance_pre.clone(),
            indices: self.indices.clone(),
        }}
    }}
}}
"""


_PRE_IMPL = """impl<_T: 'static> {W}Pre<_T> {{
    /// Looks up the exports of world `{world.name}` in the component of `instance_pre`.
    ///
    /// Fails when the component lacks one of them.
    pub fn new(instance_pre: ::wasmtime::component::InstancePre<_T>) -> ::wasmtime::Result<Self> {{
        let indices = {W}Indices::new(&instance_pre)?;
        Ok(Self {{
            instance_pre,
            indices,
        }})
    }}

    /// The engine of the pre-instantiated component.
    pub fn engine(&self) -> &::wasmtime::Engine {{
        self.instance_pre.engine()
    }}

    /// The pre-instantiated component.
    pub fn instance_pre(&self) -> &::wasmtime::component::InstancePre<_T> {{
        &self.instance_pre
    }}

    /// Instantiates the component in `store` and loads its exports.
    pub fn instantiate(
        &self,
        mut store: impl ::wasmtime::AsContextMut<Data = _T>,
    ) -> ::wasmtime::Result<{W}> {{
        let mut store = store.as_context_mut();
        let instance = self.instance_pre.instantiate(&mut store)?;
        self.indices.load(&mut store, &instance)
    }}
}}
"""


_PRE_ASYNC = """impl<_T: Send + 'static> {W}Pre<_T> {{
    /// Same as [`Self::instantiate`], except with `async`.
    pub async fn instantiate_async(
        &self,
        mut store: impl ::wasmtime::AsContextMut<Data = _T>,
    ) -> ::wasmtime::Result<{W}> {{
        let mut store = store.as_context_mut();
        let instance = self.instance_pre.instantiate_async(&mut store).await?;
        self.indices.load(&mut store, &instance)
    }}
}}
"""


_INDICES_DOC = """/// Indices of the exports of world `{world.name}`, looked up once per component.
///
/// Used by [`{W}Pre`]; can be built on its own as well."""

_WORLD_DOC = """/// An instance of a component of world `{world.name}`.
///
/// Made by [`{W}::instantiate`] (from a [`Store`](::wasmtime::Store), a
/// [`Component`](::wasmtime::component::Component) and a [`Linker`](::wasmtime::component::Linker)),
/// by [`{W}Pre::instantiate`] (export lookups done ahead of time), or by [`{W}::new`] from an
/// instance made by hand."""

_INSTANTIATE = """/// Convenience wrapper around [`{W}Pre::new`] and [`{W}Pre::instantiate`].
pub fn instantiate<_T>(
    store: impl ::wasmtime::AsContextMut<Data = _T>,
    component: &::wasmtime::component::Component,
    linker: &::wasmtime::component::Linker<_T>,
) -> ::wasmtime::Result<{W}> {{
    let pre = linker.instantiate_pre(component)?;
    let pre = {W}Pre::new(pre)?;
    pre.instantiate(store)
}}

/// Convenience wrapper around [`{W}Indices::new`] and [`{W}Indices::load`].
pub fn new(
    mut store: impl ::wasmtime::AsContextMut,
    instance: &::wasmtime::component::Instance,
) -> ::wasmtime::Result<{W}> {{
    let pre = instance.instance_pre(&store);
    let indices = {W}Indices::new(&pre)?;
    indices.load(&mut store, instance)
}}
"""


_INSTANTIATE_ASYNC = """/// Convenience wrapper around [`{W}Pre::new`] and [`{W}Pre::instantiate_async`].
pub async fn instantiate_async<_T>(
    store: impl ::wasmtime::AsContextMut<Data = _T>,
    component: &::wasmtime::component::Component,
    linker: &::wasmtime::component::Linker<_T>,
) -> ::wasmtime::Result<{W}>
where
    _T: Send,
{{
    let pre = linker.instantiate_pre(component)?;
    let pre = {W}Pre::new(pre)?;
    pre.instantiate_async(store).await
}}
"""
