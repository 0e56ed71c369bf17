"""World-level items: `<W>Pre`, `<W>Indices`, `<W>`, `<W>Imports`, world types and functions."""

from __future__ import annotations

from witgen import model as m

from .crategen import CrateGen
from .names import ident, snake, type_name
from .rustfmt import Writer, call, struct_lit, tuple_, type_node


def world_items(g: CrateGen) -> str:
    """The Rust items of the crate root (everything but the module declarations)."""
    g.cur = (None, False)
    W = g.wname
    w = Writer()
    world = g.world
    # world-level types (and resources) are defined at the root
    wtypes = {
        k: it.id
        for k, it in world.imports.items()
        if isinstance(it, m.TypeItem) and isinstance(k, str)
    }
    wresources = [
        (tid, n) for n, tid in wtypes.items() if isinstance(g.r.types[tid].kind, m.Resource)
    ]
    plain_types = {
        n: tid for n, tid in wtypes.items() if not isinstance(g.r.types[tid].kind, m.Resource)
    }
    for n, tid in wtypes.items():
        if isinstance(g.r.types[tid].kind, m.Resource):
            g.define_resource(w, tid, n, None, export=False)
    g.define_types(w, plain_types, None, export=False, shared_from=None)

    imp_funcs = [it.function for it in world.imports.values() if isinstance(it, m.FunctionItem)]
    free_imports = [f for f in imp_funcs if f.resource is None]
    has_imports_trait = bool(imp_funcs) or bool(wresources)
    exp_funcs = [
        (k, it.function) for k, it in world.exports.items() if isinstance(it, m.FunctionItem)
    ]
    exp_ifaces = [(k, it.id) for k, it in world.exports.items() if isinstance(it, m.InterfaceItem)]
    imp_ifaces = [(k, it.id) for k, it in world.imports.items() if isinstance(it, m.InterfaceItem)]

    fields = []  # (field, type, indices type, accessor name, key, kind)
    for i, (k, iid) in enumerate(exp_ifaces):
        path = "::".join(g.export_paths[iid])
        fields.append((f"interface{i}", f"{path}::Guest", f"{path}::GuestIndices", k, iid))
    for k, f in exp_funcs:
        fields.append(
            (
                g.field_name(f),
                "::wasmtime::component::Func",
                "::wasmtime::component::ComponentExportIndex",
                k,
                f,
            )
        )

    if has_imports_trait:
        g.host_trait(w, f"{W}Imports", free_imports, None, resources=wresources)
        w.line()

    cfg = g.wt_cfg
    g.cur = (None, True)
    g.sig_aliases(w, None, [f for _k, f in exp_funcs])
    g.cur = (None, False)
    # --- Pre
    cfg(w)
    w.raw(
        f"""/// Bindings for a pre-instantiated component of world `{world.name}`.
///
/// Created by [`{W}Pre::new`] from an [`InstancePre`](::wasmtime::component::InstancePre) that a
/// [`Linker`](::wasmtime::component::Linker) made. See [`{W}`] as well."""
    )
    cfg(w)
    w.open(f"pub struct {W}Pre<T: 'static>")
    w.line("instance_pre: ::wasmtime::component::InstancePre<T>,")
    w.line(f"indices: {W}Indices,")
    w.close()
    w.line()
    cfg(w)
    w.raw(
        f"""impl<T: 'static> Clone for {W}Pre<T> {{
    fn clone(&self) -> Self {{
        Self {{
            instance_pre: self.instance_pre.clone(),
            indices: self.indices.clone(),
        }}
    }}
}}
"""
    )
    cfg(w)
    w.raw(
        f"""impl<_T: 'static> {W}Pre<_T> {{
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
    )
    g.async_cfg(w)
    w.raw(
        f"""impl<_T: Send + 'static> {W}Pre<_T> {{
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
    )
    # --- Indices
    cfg(w)
    w.raw(
        f"""/// Indices of the exports of world `{world.name}`, looked up once per component.
///
/// Used by [`{W}Pre`]; can be built on its own as well."""
    )
    cfg(w)
    w.line("#[derive(Clone)]")
    cfg(w)
    if fields:
        w.open(f"pub struct {W}Indices")
        for fname, _ty, ity, _k, _x in fields:
            w.line(f"{fname}: {ity},")
        w.close()
    else:
        w.line(f"pub struct {W}Indices {{}}")
    w.line()
    # --- World struct
    cfg(w)
    w.raw(
        f"""/// An instance of a component of world `{world.name}`.
///
/// Made by [`{W}::instantiate`] (from a [`Store`](::wasmtime::Store), a
/// [`Component`](::wasmtime::component::Component) and a [`Linker`](::wasmtime::component::Linker)),
/// by [`{W}Pre::instantiate`] (export lookups done ahead of time), or by [`{W}::new`] from an
/// instance made by hand."""
    )
    cfg(w)
    if fields:
        w.open(f"pub struct {W}")
        for fname, ty, _ity, _k, _x in fields:
            w.line(f"{fname}: {ty},")
        w.close()
    else:
        w.line(f"pub struct {W} {{}}")
    w.line()
    # --- impl Indices
    cfg(w)
    w.open(f"impl {W}Indices")
    w.line("/// Looks up the exports of the world in the component of `_instance_pre`.")
    w.sig(
        "pub fn new<_T>",
        ["_instance_pre: &::wasmtime::component::InstancePre<_T>"],
        " -> ::wasmtime::Result<Self>",
    )
    for fname, _ty, ity, _k, x in fields:
        if isinstance(x, m.Function):
            w.let(
                f"let {fname}",
                [call("crate::witgen_rt::world_func_index", ["_instance_pre", f'"{x.name}"']), "?"],
            )
        else:
            w.line(f"let {fname} = {ity}::new(_instance_pre)?;")
    w.line(["Ok(", struct_lit(f"{W}Indices", [f[0] for f in fields]), ")"])
    w.close()
    w.line()
    w.line(f"/// Loads the exports of the world from `instance` (type-checking them) as a [`{W}`].")
    w.line("pub fn load(")
    w.level += 1
    w.line("&self,")
    w.line("mut store: impl ::wasmtime::AsContextMut,")
    w.line("instance: &::wasmtime::component::Instance,")
    w.level -= 1
    w.open(f") -> ::wasmtime::Result<{W}>")
    w.line("let _ = (&mut store, instance);")
    for fname, _ty, _ity, _k, x in fields:
        if isinstance(x, m.Function):
            w.let(
                f"let {fname}: {g.sig_alias_ref(None, x)}",
                call("instance.get_typed_func", ["&mut store", f"self.{fname}"]),
                "?;",
            )
            w.line(f"let {fname} = *{fname}.func();")
        else:
            w.line(f"let {fname} = self.{fname}.load(&mut store, instance)?;")
    w.line(["Ok(", struct_lit(W, [f[0] for f in fields]), ")"])
    w.close()
    w.close()
    w.line()
    # --- impl World
    cfg(w)
    w.open(f"impl {W}")
    w.raw(
        f"""/// Convenience wrapper around [`{W}Pre::new`] and [`{W}Pre::instantiate`].
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
    )
    g.async_cfg(w)
    w.raw(
        f"""/// Convenience wrapper around [`{W}Pre::new`] and [`{W}Pre::instantiate_async`].
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
    )
    # add_to_linker_imports
    any_async = False
    for f in imp_funcs:
        any_async |= g.import_flags(None, f).async_
    for _tid, n in wresources:
        any_async |= g.drop_flags(None, n).async_
    if has_imports_trait:
        tb = "T: 'static" + (" + Send" if any_async else "")
        w.line()
        w.line("/// Adds the functions and resources the world imports directly to `linker`.")
        w.sig(
            "pub fn add_to_linker_imports<T, D>",
            [
                "linker: &mut ::wasmtime::component::Linker<T>",
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            [f"D: {W}ImportsWithStore<T>", f"for<'a> D::Data<'a>: {W}Imports", tb],
        )
        w.line("let mut linker = linker.root();")
        g.params_aliases = {}
        for i, f in enumerate(imp_funcs):
            g.params_aliases[f.name] = f"Params{i}"
            w.let(f"type Params{i}", tuple_([type_node(g.ty(p.type)) for p in f.params]))
        for tid, n in wresources:
            g.add_resource(w, None, tid, n, "linker", f"Host{type_name(n)}")
        for f in imp_funcs:
            trait = (
                f"Host{type_name(g.r.types[f.resource].name)}"
                if f.resource is not None
                else f"{W}Imports"
            )
            g.link_function(w, None, f, trait, "linker")
        w.line("Ok(())")
        w.level -= 1
        w.line("}")
    # add_to_linker
    linked = [(k, iid) for k, iid in imp_ifaces]
    ws_bounds, data_bounds = [], []
    for k, iid in linked:
        path = g.remapped.get(iid, "::".join(g.import_paths[iid]))
        ws_bounds.append(f"{path}::HostWithStore<T>")
        data_bounds.append(f"{path}::Host")
        for f in g.r.interfaces[iid].functions.values():
            any_async |= g.import_flags(k, f).async_
        for _t, n in g.iface_resources(iid):
            any_async |= g.drop_flags(k, n).async_
    if has_imports_trait:
        ws_bounds.append(f"{W}ImportsWithStore<T>")
        data_bounds.append(f"{W}Imports")
    if ws_bounds:
        send = " + Send" if any_async else ""
        w.line()
        w.line("/// Adds everything the world imports to `linker`.")
        w.sig(
            "pub fn add_to_linker<T, D>",
            [
                "linker: &mut ::wasmtime::component::Linker<T>",
                "host_getter: fn(&mut T) -> D::Data<'_>",
            ],
            " -> ::wasmtime::Result<()>",
            [
                "D: " + " + ".join(ws_bounds) + send,
                "for<'a> D::Data<'a>: " + " + ".join(data_bounds) + send,
                f"T: 'static{send}",
            ],
        )
        if has_imports_trait:
            w.line("Self::add_to_linker_imports::<T, D>(linker, host_getter)?;")
        for key_, iid in linked:
            path = g.remapped.get(iid, "::".join(g.import_paths[iid]))
            args = ["linker", "host_getter"]
            if iid in g.remapped:
                iface = g.r.interfaces[iid]
                pkg = g.r.packages[iface.package].name
                names = {g.key_name(key_), f"{pkg.namespace}:{pkg.name}/{iface.name}"}
                if names & g.o.with_link_options:
                    args = ["linker", "&Default::default()", "host_getter"]
            w.line([call(f"{path}::add_to_linker::<T, D>", args), "?;"])
        w.line("Ok(())")
        w.level -= 1
        w.line("}")
    # exported functions and interface accessors
    g.cur = (None, True)
    for _k, f in exp_funcs:
        w.line()
        g.export_fn(w, None, f, "self")
    for fname, ty, _ity, k, x in fields:
        if isinstance(x, int):
            acc = _accessor_name(g, k, x)
            w.line()
            w.line(f"/// The exports of `{g.key_name(k)}`.")
            w.open(f"pub fn {acc}(&self) -> &{ty}")
            w.line(f"&self.{fname}")
            w.close()
    w.close()
    g.cur = (None, False)
    return w.text()


def _accessor_name(g: CrateGen, key, iid: int) -> str:
    if isinstance(key, str):
        return ident(key)
    iface = g.r.interfaces[iid]
    pkg = g.r.packages[iface.package]
    return "_".join([snake(pkg.name.namespace), g._pkg_module(iface.package), snake(iface.name)])

