"""Host traits of imports: `Host`/`Host<Res>`/`<W>Imports`, their `...WithStore<T>` companions,
method signatures, drop and trappable-error conversion methods, and the `&mut T` forwarding
impls. Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from witgen import model as m

from .func_flags import Flags
from .names import ident, snake, type_name
from .rustfmt import Group, Writer, call, type_node


class HostTraits:
    """Writes the traits a host implements for imported functions and resources."""

    def fn_name(self, f: m.Function) -> str:
        return "new" if f.kind == "constructor" else ident(f.item_name)

    def trait_sig(self, f: m.Function, fl: Flags, key) -> tuple:
        """(head, params, return type node) of a Host trait method."""
        params = [[f"{ident(p.name)}: ", type_node(self.ty(p.type))] for p in f.params]
        recv = (
            ["accessor: &::wasmtime::component::Accessor<T, Self>"]
            if fl.concurrent
            else ["&mut self"]
        )
        r = self.fn_result(f, fl)
        if fl.async_:
            ret = [
                Group("impl ::core::future::Future<", [["Output = ", type_node(r)]], ">"),
                " + Send",
            ]
        else:
            ret = None if r == "()" else type_node(r)
        return f"fn {self.fn_name(f)}", recv + params, ret

    def fn_result(self, f: m.Function, fl: Flags) -> str:
        if not fl.trappable:
            return self.result_ty(f)
        te = self.trappable_error(f)
        if te is not None:
            r, _eid, rust = te
            return f"Result<{self.opt_ty(r.ok)}, {rust}>"
        return f"{self.RESULT}<{self.result_ty(f)}>"

    def host_trait(
        self,
        w: Writer,
        name: str,
        funcs: list[m.Function],
        key,
        *,
        resources,
        drop=None,
        extra_convert=(),
    ):
        flags = [(f, self.import_flags(key, f)) for f in funcs]
        with_store = [(f, fl) for f, fl in flags if fl.concurrent]
        plain = [(f, fl) for f, fl in flags if not fl.concurrent]
        dfl = self.drop_flags(key, drop[0]) if drop else None
        any_async = any(fl.async_ for _, fl in flags) or (dfl is not None and dfl.async_)
        for tid, rn in resources:
            for f in self.resource_funcs(tid):
                any_async |= self.import_flags(key, f).async_
            any_async |= self.drop_flags(key, rn).async_
        send = ["Send"] if any_async else []
        ws_super = (
            ["::wasmtime::component::HasData"]
            + [f"Host{type_name(n)}WithStore<T>" for _, n in resources]
            + send
        )
        plain_super = [f"Host{type_name(n)}" for _, n in resources] + send
        self.wt_cfg(w)
        if with_store:
            w.open_trait(f"pub trait {name}WithStore<T>", ws_super)
            for f, fl in with_store:
                w.docs(f.docs)
                w.fn(*self.trait_sig(f, fl, key), end=";")
            w.close()
        else:
            w.bounded(f"pub trait {name}WithStore<T>", ws_super)
            self.wt_cfg(w)
            w.bounded(f"impl<H: ?Sized, T> {name}WithStore<T> for H", ws_super, "H")
        body_items = plain or drop or extra_convert
        if not body_items:
            if plain_super:
                w.bounded(f"pub trait {name}", plain_super)
            else:
                w.line(f"pub trait {name} {{}}")
        else:
            w.open_trait(f"pub trait {name}", plain_super)
            for f, fl in plain:
                w.docs(f.docs)
                w.fn(*self.trait_sig(f, fl, key), end=";")
            if drop:
                w.line(f"/// Drops a `{drop[0]}` handle owned by the guest.")
                w.fn(*self._drop_sig(drop[1], dfl), end=";")
            for ename, etype, rust in extra_convert:
                w.line(f"/// Converts a trappable `{rust}` into the WIT `{ename}` or a trap.")
                w.fn(
                    f"fn convert_{snake(ename)}",
                    ["&mut self", f"err: {rust}"],
                    type_node(f"{self.RESULT}<{etype}>"),
                    end=";",
                )
            w.close()
        # `&mut T` forwards, as bindgen! provides
        bound = f"_T: {name} + ?Sized" + (" + Send" if any_async else "")
        if not body_items:
            w.line(f"impl<{bound}> {name} for &mut _T {{}}")
            return
        w.open(f"impl<{bound}> {name} for &mut _T")
        for f, fl in plain:
            args = ["*self"] + [ident(p.name) for p in f.params]
            w.fn(*self.trait_sig(f, fl, key))
            if fl.async_:
                w.line(["async move { ", call(f"{name}::{self.fn_name(f)}", args), ".await }"])
            else:
                w.line(call(f"{name}::{self.fn_name(f)}", args))
            w.close()
        if drop:
            w.fn(*self._drop_sig(drop[1], dfl))
            if dfl.async_:
                w.line(f"async move {{ {name}::drop(*self, rep).await }}")
            else:
                w.line(f"{name}::drop(*self, rep)")
            w.close()
        for ename, _etype, rust in extra_convert:
            w.fn(
                f"fn convert_{snake(ename)}",
                ["&mut self", f"err: {rust}"],
                type_node(f"{self.RESULT}<{_etype}>"),
            )
            w.line(f"{name}::convert_{snake(ename)}(*self, err)")
            w.close()
        w.close()

    def _drop_sig(self, cname: str, fl: Flags) -> tuple:
        params = ["&mut self", f"rep: {self.RES}<{cname}>"]
        r = type_node(f"{self.RESULT}<()>")
        if fl.async_:
            return (
                "fn drop",
                params,
                [Group("impl ::core::future::Future<", [["Output = ", r]], ">"), " + Send"],
            )
        return "fn drop", params, r
