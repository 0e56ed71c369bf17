"""The module of an exported interface: its types, the `Guest`/`GuestIndices` structs, the
`TypedFunc` aliases, and the `func_*`/`call_*` methods of exported functions (also used for
functions the world exports directly). Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from witgen import model as m

from .func_flags import MAX_TYPED_PARAMS
from .layout import (
    MAX_WIDTH,
    Writer,
    call,
    flat,
    group,
    struct_lit,
    tuple_,
    tuple_expr,
    type_node,
)
from .names import ident, pascal, snake, type_name
from .type_exprs import OWNED


class Exports:
    """Writes `src/exports/<ns>/<pkg>/<iface>.rs` and the calls of exported functions."""

    def field_name(self, f: m.Function) -> str:
        if f.kind in ("method", "async-method"):
            return snake(f"method-{self.r.types[f.resource].name}-{f.item_name}")
        if f.kind in ("static", "async-static"):
            return snake(f"static-{self.r.types[f.resource].name}-{f.item_name}")
        if f.kind == "constructor":
            return snake(f"constructor-{self.r.types[f.resource].name}-{f.item_name}")
        return snake(f.item_name)

    def typedfunc_sig(self, f: m.Function, mode) -> list:
        params = tuple_([type_node(self.ty(p.type, mode)) for p in f.params])
        results = tuple_([type_node(self.ty(f.result))] if f.result is not None else [])
        return [params, results]

    def export_module(self, key, iid: int) -> str:
        self.cur = (iid, True)
        self.used_site = False
        iface = self.r.interfaces[iid]
        w = Writer()
        shared = None
        if iid in self.import_paths and iid not in self.remapped:
            shared = "crate::" + "::".join(self.import_paths[iid])
        self.define_types(w, iface.types, key, export=True, shared_from=shared)
        funcs = list(iface.functions.values())
        self.sig_aliases(w, key, funcs)
        fields = [self.field_name(f) for f in funcs]
        self.wt_cfg(w)
        w.line(f"/// The functions `{self.key_name(key)}` exports, bound to one instance.")
        self.wt_cfg(w)
        w.line("#[derive(Clone)]")
        self.wt_cfg(w)
        if fields:
            w.open("pub struct Guest")
            for f, fn in zip(funcs, fields, strict=True):
                if len(f.params) > MAX_TYPED_PARAMS:
                    w.line("#[allow(dead_code)]")
                w.line(f"{fn}: ::wasmtime::component::Func,")
            w.close()
        else:
            w.line("pub struct Guest {}")
        self.wt_cfg(w)
        w.line("/// Export indices of `Guest`, looked up once per component.")
        self.wt_cfg(w)
        w.line("#[derive(Clone)]")
        self.wt_cfg(w)
        if fields:
            w.open("pub struct GuestIndices")
            for fn in fields:
                w.line(f"{fn}: ::wasmtime::component::ComponentExportIndex,")
            w.close()
        else:
            w.line("pub struct GuestIndices {}")
        self.used_site = True
        self.wt_cfg(w)
        w.open("impl GuestIndices")
        w.line("/// Looks up the exports of this interface in the component of `_instance_pre`.")
        w.sig(
            "pub fn new<_T>",
            ["_instance_pre: &::wasmtime::component::InstancePre<_T>"],
            " -> ::wasmtime::Result<GuestIndices>",
        )
        inst_var = "instance" if fields else "_instance"
        w.line(f"let {inst_var} = crate::witgen_rt::instance_index(_instance_pre, WIT_INTERFACE)?;")
        for f, fn in zip(funcs, fields, strict=True):
            w.let(
                f"let {fn}",
                [
                    call(
                        "crate::witgen_rt::func_index",
                        ["_instance_pre", "&instance", "WIT_INTERFACE", f'"{f.name}"'],
                    ),
                    "?",
                ],
            )
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
                f"let {fn}: {self.sig_alias_ref(key, f)}",
                call("instance.get_typed_func", ["&mut store", f"self.{fn}"]),
                "?;",
            )
            w.line(f"let {fn} = *{fn}.func();")
        w.line(["Ok(", struct_lit("Guest", fields), ")"])
        w.close()
        w.close()
        # impl Guest
        self.wt_cfg(w)
        w.open("impl Guest")
        for f in funcs:
            if f.resource is None:
                self.export_fn(w, key, f, "self")
        for _tid, n in self.iface_resources(iid):
            w.line(f"/// The functions of resource `{n}`.")
            w.open(f"pub fn {ident(n)}(&self) -> Guest{type_name(n)}<'_>")
            w.line(f"Guest{type_name(n)} {{ funcs: self }}")
            w.close()
        w.close()
        for tid, n in self.iface_resources(iid):
            rfuncs = [f for f in funcs if f.resource == tid]
            self.wt_cfg(w)
            w.open(f"impl Guest{type_name(n)}<'_>")
            for f in rfuncs:
                self.export_fn(w, key, f, "self.funcs")
            w.close()
        return self.site_const(key, w.text())

    def sig_alias(self, f: m.Function) -> str:
        return "TypedFunc" + pascal(self.field_name(f))

    def sig_alias_ref(self, key, f: m.Function) -> str:
        fl = self.export_flags(key, f)
        return self.sig_alias(f) + ("" if fl.concurrent else "<'_>")

    def sig_aliases(self, w: Writer, key, funcs: list[m.Function]) -> None:
        """Private aliases of the `TypedFunc` types of exported functions (keeps lines short)."""
        for f in funcs:
            if len(f.params) > MAX_TYPED_PARAMS:
                continue
            fl = self.export_flags(key, f)
            mode = OWNED if fl.concurrent else "'a"
            gen = "" if fl.concurrent else "<'a>"
            sig = self.typedfunc_sig(f, mode)
            self.wt_cfg(w)
            w.let(
                f"type {self.sig_alias(f)}{gen}",
                ["::wasmtime::component::TypedFunc", group("<", sig, ">")],
            )

    def export_fn(self, w: Writer, key, f: m.Function, funcs: str) -> None:
        fl = self.export_flags(key, f)
        if len(f.params) > MAX_TYPED_PARAMS:
            short = snake(f.item_name)
            w.line(
                f"/// Not callable: `{f.name}` has more parameters than wasmtime's typed API takes."
            )
            w.open(f"pub fn call_{short}(&self) -> ::wasmtime::Result<()>")
            w.line(f'::wasmtime::bail!("`{f.name}` has more than {MAX_TYPED_PARAMS} parameters")')
            w.close()
            return
        mode = OWNED if fl.concurrent else "'_"
        short = "constructor" if f.kind == "constructor" else snake(f.item_name)
        alias = self.sig_alias(f)
        lt = "" if fl.concurrent else "<'_>"
        w.line(f"/// The typed function of `{f.name}`.")
        w.open(f"pub fn func_{short}(&self) -> {alias}{lt}")
        w.line("// SAFETY: the function was type-checked against this signature when loaded")
        body = call(f"{alias}::new_unchecked", [f"{funcs}.{self.field_name(f)}"])
        if w.col + len(flat(["unsafe { ", body, " }"])) <= MAX_WIDTH:
            w.line(["unsafe { ", body, " }"])
        else:
            w.open("unsafe")
            w.line(body)
            w.close()
        w.close()
        w.docs(f.docs)
        ret = type_node(f"::wasmtime::Result<{self.result_ty(f)}>")
        params = [[f"arg{i}: ", type_node(self.ty(p.type, mode))] for i, p in enumerate(f.params)]
        if fl.concurrent:
            w.fn(
                f"pub async fn call_{short}<_T, _D>",
                ["&self", "accessor: &::wasmtime::component::Accessor<_T, _D>", *params],
                ret,
                where=["_T: Send", "_D: ::wasmtime::component::HasData"],
            )
        elif fl.async_:
            w.fn(
                f"pub async fn call_{short}<_S: ::wasmtime::AsContextMut>",
                ["&self", "mut store: _S", *params],
                ret,
                where=["<_S as ::wasmtime::AsContext>::Data: Send"],
            )
        else:
            w.fn(
                f"pub fn call_{short}<_S: ::wasmtime::AsContextMut>",
                ["&self", "mut store: _S", *params],
                ret,
            )
        w.line(f"let callee = self.func_{short}();")
        args = tuple_expr([f"arg{i}" for i in range(len(f.params))])
        rets = "(ret0,)" if f.result is not None else "()"
        if fl.concurrent:
            c = call("callee.call_concurrent", ["accessor", args])
        else:
            c = call(
                "callee.call" + ("_async" if fl.async_ else ""), ["store.as_context_mut()", args]
            )
        tail = ".await" if fl.async_ else ""
        if self.o.error_context:
            site = self.site(key)
            if tail:
                w.let_await("let r", c)
            else:
                w.let("let r", c)
            w.let(
                f"let {rets}", [call("crate::witgen_rt::calling", ["r", site, f'"{f.name}"']), "?"]
            )
        else:
            w.let(f"let {rets}", [c, tail, "?"])
        w.line("Ok(ret0)" if f.result is not None else "Ok(())")
        w.close()
