"""Exported functions and interfaces: the module of an exported interface (its types, the
`Guest`/`GuestIndices` structs, the `TypedFunc` aliases) and the `func_*`/`call_*` methods of
exported functions (also used for functions the world exports directly).
"""

from __future__ import annotations

from witgen import model as m

from .attrs import Attrs
from .func_flags import MAX_TYPED_PARAMS, Flags, FunctionFlags
from .names import disambiguate, ident, pascal, snake
from .options import Options
from .paths import Paths, Site
from .resources import iface_resources
from .rustfmt import (
    MAX_WIDTH,
    Node,
    Writer,
    call,
    flat,
    group,
    struct_lit,
    tuple_,
    tuple_expr,
    type_node,
)
from .type_exprs import OWNED, Mode, TypeExprs
from .typedefs import TypeDefs


def field_name(resolve: m.Resolve, f: m.Function) -> str:
    """The field of `Guest` (or the world struct) holding an exported function."""
    kind = {
        "method": "method",
        "async-method": "method",
        "static": "static",
        "async-static": "static",
        "constructor": "constructor",
    }.get(f.kind)
    if kind is None:
        return ident(f.item_name)
    assert f.resource is not None, "methods, statics and constructors belong to a resource"
    return snake(f"{kind}-{resolve.types[f.resource].name}-{f.item_name}")


#: the locals of `GuestIndices::new`/`load` (and the world's): a field may not take their name
_LOCALS = frozenset({"instance", "store", "_instance", "_instance_pre"})


def method_shorts(shorts: list[str], taken: set[str]) -> list[str]:
    """The `<s>` of each function's `func_<s>`/`call_<s>` methods, distinct from each other and
    from the other methods of the same `impl` (`taken`, which gets them added)."""
    out: list[str] = []
    for s in shorts:
        while f"func_{s}" in taken or f"call_{s}" in taken:
            s += "_"
        taken |= {f"func_{s}", f"call_{s}"}
        out.append(s)
    return out


class ExportFns:
    """Writes the typed-function aliases and the `func_*`/`call_*` methods of exports."""

    def __init__(
        self,
        resolve: m.Resolve,
        opts: Options,
        types: TypeExprs,
        flags: FunctionFlags,
        attrs: Attrs,
        site: Site,
    ) -> None:
        self.r = resolve
        self.o = opts
        self.types = types
        self.flags = flags
        self.attrs = attrs
        self.site = site
        # per exported function (by WIT name): its private field, `TypedFunc` alias and the
        # `<s>` of its `func_<s>`/`call_<s>` methods, unique in their namespaces (`declare`)
        self._field: dict[str, str] = {}
        self._alias: dict[str, str] = {}
        self._short: dict[str, str] = {}

    def declare(self, funcs: list[m.Function], fields: set[str], types: set[str]) -> list[str]:
        """Names the fields and aliases of the module's exported `funcs`, apart from the other
        `fields` of their struct and the `types` of the module; returns the fields."""
        wanted = [field_name(self.r, f) for f in funcs]
        names = disambiguate(wanted, fields | _LOCALS)
        aliases = disambiguate(["TypedFunc" + pascal(n) for n in wanted], types)
        for f, name, alias in zip(funcs, names, aliases, strict=True):
            self._field[f.name] = name
            self._alias[f.name] = alias
        return names

    def declare_methods(self, funcs: list[m.Function], taken: set[str]) -> None:
        """Names the `func_*`/`call_*` methods of `funcs`, which one `impl` holds beside the
        methods in `taken` (which gets theirs added)."""
        # the constructor first: it keeps `call_constructor` beside a static `%constructor`
        funcs = sorted(funcs, key=lambda f: f.kind != "constructor")
        shorts = [
            "constructor" if f.kind == "constructor" else snake(f.item_name) for f in funcs
        ]
        for f, s in zip(funcs, method_shorts(shorts, taken), strict=True):
            self._short[f.name] = s

    def field(self, f: m.Function) -> str:
        return self._field[f.name]

    def typedfunc_sig(self, f: m.Function, mode: Mode) -> list[Node]:
        params = tuple_([type_node(self.types.ty(p.type, mode)) for p in f.params])
        results = tuple_([type_node(self.types.ty(f.result))] if f.result is not None else [])
        return [params, results]

    def sig_alias_ref(self, key: m.WorldKey | None, f: m.Function) -> str:
        fl = self.flags.export_flags(key, f)
        return self._alias[f.name] + ("" if fl.concurrent else "<'_>")

    def sig_aliases(self, w: Writer, key: m.WorldKey | None, funcs: list[m.Function]) -> None:
        """Private aliases of the `TypedFunc` types of exported functions (keeps lines short)."""
        for f in funcs:
            if len(f.params) > MAX_TYPED_PARAMS:
                continue
            fl = self.flags.export_flags(key, f)
            mode = OWNED if fl.concurrent else "'a"
            gen = "" if fl.concurrent else "<'a>"
            sig = self.typedfunc_sig(f, mode)
            self.attrs.wt_cfg(w)
            w.let(
                f"type {self._alias[f.name]}{gen}",
                ["::wasmtime::component::TypedFunc", group("<", sig, ">")],
            )

    def export_fn(self, w: Writer, key: m.WorldKey | None, f: m.Function, funcs: str) -> None:
        """`func_<f>` (the typed function) and `call_<f>` of an exported function; `funcs` is
        the expression of the struct holding its `Func`."""
        fl = self.flags.export_flags(key, f)
        short = self._short[f.name]
        if len(f.params) > MAX_TYPED_PARAMS:
            w.line(
                f"/// Not callable: `{f.name}` has more parameters than wasmtime's typed API takes."
            )
            w.open(f"pub fn call_{short}(&self) -> ::wasmtime::Result<()>")
            w.line(f'::wasmtime::bail!("`{f.name}` has more than {MAX_TYPED_PARAMS} parameters")')
            w.close()
            return
        self._typed_func(w, f, fl, short, funcs)
        self._call(w, f, fl, short)

    def _typed_func(self, w: Writer, f: m.Function, fl: Flags, short: str, funcs: str) -> None:
        """`func_<f>`: the `TypedFunc` of the loaded `Func`."""
        alias = self._alias[f.name]
        lt = "" if fl.concurrent else "<'_>"
        w.line(f"/// The typed function of `{f.name}`.")
        w.open(f"pub fn func_{short}(&self) -> {alias}{lt}")
        w.line("// SAFETY: the function was type-checked against this signature when loaded")
        body = call(f"{alias}::new_unchecked", [f"{funcs}.{self._field[f.name]}"])
        if w.col + len(flat(["unsafe { ", body, " }"])) <= MAX_WIDTH:
            w.line(["unsafe { ", body, " }"])
        else:
            w.open("unsafe")
            w.line(body)
            w.close()
        w.close()

    def _call(self, w: Writer, f: m.Function, fl: Flags, short: str) -> None:
        """`call_<f>`: calls the export (sync, async or concurrent), with the function as error
        context unless `error_context` is off."""
        mode = OWNED if fl.concurrent else "'_"
        w.docs(f.docs)
        ret = type_node(f"::wasmtime::Result<{self.types.result_ty(f)}>")
        params = [
            [f"arg{i}: ", type_node(self.types.ty(p.type, mode))] for i, p in enumerate(f.params)
        ]
        if fl.concurrent:
            w.fn(
                f"pub async fn call_{short}<_T, _D>",
                ["&self", "accessor: &::wasmtime::component::Accessor<_T, _D>", *params],
                ret,
                where=["_T: Send", "_D: ::wasmtime::component::HasData"],
            )
        else:
            # bindgen!'s `S`, unless the module has a type `S` the parameter would shadow
            own = self.types.paths.own_type_names(self.types.scope)
            st = "_S" if "S" in own else "S"
            w.fn(
                f"pub {'async ' if fl.async_ else ''}fn call_{short}<{st}: ::wasmtime::AsContextMut>",
                ["&self", f"mut store: {st}", *params],
                ret,
                where=[f"<{st} as ::wasmtime::AsContext>::Data: Send"] if fl.async_ else None,
            )
        w.line(f"let callee = self.func_{short}();")
        args = tuple_expr([f"arg{i}" for i in range(len(f.params))])
        rets = "(ret0,)" if f.result is not None else "()"
        if fl.concurrent:
            c = call("callee.call_concurrent", ["accessor", args])
        else:
            method = "callee.call" + ("_async" if fl.async_ else "")
            c = call(method, ["store.as_context_mut()", args])
        tail = ".await" if fl.async_ else ""
        if self.o.error_context:
            site = self.site.expr()
            if tail:
                w.let_await("let r", c)
            else:
                w.let("let r", c)
            calling = call("crate::witgen_rt::calling", ["r", site, f'"{f.name}"'])
            w.let(f"let {rets}", [calling, "?"])
        else:
            w.let(f"let {rets}", [c, tail, "?"])
        w.line("Ok(ret0)" if f.result is not None else "Ok(())")
        w.close()


class ExportModule:
    """Writes `src/exports/<ns>/<pkg>/<iface>.rs` for an exported interface."""

    def __init__(
        self,
        resolve: m.Resolve,
        paths: Paths,
        attrs: Attrs,
        typedefs: TypeDefs,
        fns: ExportFns,
        site: Site,
    ) -> None:
        self.r = resolve
        self.paths = paths
        self.attrs = attrs
        self.typedefs = typedefs
        self.fns = fns
        self.site = site

    def write(self, key: m.WorldKey, iid: int) -> str:
        iface = self.r.interfaces[iid]
        w = Writer()
        shared = None
        if iid in self.paths.import_paths and iid not in self.paths.remapped:
            shared = "crate::" + "::".join(self.paths.import_paths[iid])
        self.typedefs.define_types(w, iface.types, key, export=True, shared_from=shared)
        funcs = list(iface.functions.values())
        resources = iface_resources(self.r, iid)
        structs = {"Guest", "GuestIndices"} | {f"Guest{self.paths.resource_base(t)}" for t, _ in resources}
        fields = self.fns.declare(funcs, set(), self.fns.types.own_names | structs)
        self.fns.sig_aliases(w, key, funcs)
        self._structs(w, key, funcs, fields)
        self._indices_impl(w, key, funcs, fields)
        self.attrs.wt_cfg(w)
        w.open("impl Guest")
        methods: set[str] = set()
        self.fns.declare_methods([f for f in funcs if f.resource is None], methods)
        for f in funcs:
            if f.resource is None:
                self.fns.export_fn(w, key, f, "self")
        accessors = disambiguate([ident(n) for _, n in resources], methods)
        for (tid, n), acc in zip(resources, accessors, strict=True):
            self.fns.declare_methods([f for f in funcs if f.resource == tid], set())
            w.line(f"/// The functions of resource `{n}`.")
            base = self.paths.resource_base(tid)
            w.open(f"pub fn {acc}(&self) -> Guest{base}<'_>")
            w.line(f"Guest{base} {{ funcs: self }}")
            w.close()
        w.close()
        for tid, _n in resources:
            self.attrs.wt_cfg(w)
            w.open(f"impl Guest{self.paths.resource_base(tid)}<'_>")
            for f in funcs:
                if f.resource == tid:
                    self.fns.export_fn(w, key, f, "self.funcs")
            w.close()
        return self.site.wrap(w.text())

    def _structs(
        self, w: Writer, key: m.WorldKey, funcs: list[m.Function], fields: list[str]
    ) -> None:
        """`Guest` (the loaded functions) and `GuestIndices` (their export indices)."""
        cfg = self.attrs.wt_cfg
        cfg(w)
        w.line(f"/// The functions `{self.paths.key_name(key)}` exports, bound to one instance.")
        cfg(w)
        w.line("#[derive(Clone)]")
        cfg(w)
        if fields:
            w.open("pub struct Guest")
            for f, fn in zip(funcs, fields, strict=True):
                if len(f.params) > MAX_TYPED_PARAMS:
                    w.line("#[allow(dead_code)]")
                w.line(f"{fn}: ::wasmtime::component::Func,")
            w.close()
        else:
            w.line("pub struct Guest {}")
        cfg(w)
        w.line("/// Export indices of `Guest`, looked up once per component.")
        cfg(w)
        w.line("#[derive(Clone)]")
        cfg(w)
        if fields:
            w.open("pub struct GuestIndices")
            for fn in fields:
                w.line(f"{fn}: ::wasmtime::component::ComponentExportIndex,")
            w.close()
        else:
            w.line("pub struct GuestIndices {}")

    def _indices_impl(
        self, w: Writer, key: m.WorldKey, funcs: list[m.Function], fields: list[str]
    ) -> None:
        """`GuestIndices::new` (looks the exports up) and `GuestIndices::load` (a `Guest`)."""
        site = self.site.expr()
        self.attrs.wt_cfg(w)
        w.open("impl GuestIndices")
        w.line("/// Looks up the exports of this interface in the component of `_instance_pre`.")
        w.sig(
            "pub fn new<_T>",
            ["_instance_pre: &::wasmtime::component::InstancePre<_T>"],
            " -> ::wasmtime::Result<GuestIndices>",
        )
        inst_var = "instance" if fields else "_instance"
        w.line(f"let {inst_var} = crate::witgen_rt::instance_index(_instance_pre, {site})?;")
        for f, fn in zip(funcs, fields, strict=True):
            args = ["_instance_pre", "&instance", site, f'"{f.name}"']
            w.let(f"let {fn}", [call("crate::witgen_rt::func_index", args), "?"])
        w.line(["Ok(", struct_lit("GuestIndices", fields), ")"])
        w.close()
        w.line()
        w.line("/// Loads (and type-checks) the exports of this interface from `instance`.")
        w.sig(
            "pub fn load",
            [
                "&self",
                "mut store: impl ::wasmtime::AsContextMut",
                "instance: &::wasmtime::component::Instance",
            ],
            " -> ::wasmtime::Result<Guest>",
        )
        if fields:
            w.line("let mut store = store.as_context_mut();")
        else:
            w.line("let _ = (&mut store, instance);")
        for f, fn in zip(funcs, fields, strict=True):
            if len(f.params) > MAX_TYPED_PARAMS:
                w.let(
                    f"let {fn}",
                    [call("instance.get_func", ["&mut store", f"self.{fn}"]), ".unwrap()"],
                )
                continue
            w.let(
                f"let {fn}: {self.fns.sig_alias_ref(key, f)}",
                call("instance.get_typed_func", ["&mut store", f"self.{fn}"]),
                "?;",
            )
            w.line(f"let {fn} = *{fn}.func();")
        w.line(["Ok(", struct_lit("Guest", fields), ")"])
        w.close()
        w.close()
