"""Host traits of imports: `Host`/`Host<Res>`/`<W>Imports`, their `...WithStore<T>` companions,
method signatures, drop and trappable-error conversion methods, and the `&mut T` forwarding
impls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from witgen import model as m

from .attrs import Attrs
from .func_flags import Flags, FunctionFlags
from .names import ident, snake
from .paths import RuntimePaths
from .resources import has_constructor, resource_funcs
from .rustfmt import Group, Node, Writer, call, type_node
from .type_exprs import TypeExprs

#: (head, parameters, return type) of a function signature, as `Writer.fn` takes them
Signature: TypeAlias = "tuple[str, list[Node], Node | None]"


def fn_name(resolve: m.Resolve, f: m.Function) -> str:
    """The Rust name of a host trait method: `drop` (and a method's `new`, or a static `new`
    beside a constructor) would clash with the destructor (and the constructor) of the
    resource's `Host<R>` trait."""
    if f.kind == "constructor":
        return "new"
    name = ident(f.item_name)
    if f.resource is None:
        return name
    if name == "drop" or (
        name == "new" and ("method" in f.kind or has_constructor(resolve, f.resource))
    ):
        return name + "_"
    return name


def convert_name(resolve: m.Resolve, eid: int) -> str:
    """The `Host` method converting trappable error type `eid`: `convert_<e>`, with a `_` where
    a function of its interface has that name (`bindgen!` fails on `convert-e` beside `e`)."""
    td = resolve.types[eid]
    assert td.owner is not None and td.name is not None, "error types are named"
    funcs: set[str] = set()
    if td.owner.kind == "interface":
        iface = resolve.interfaces[td.owner.id]
        funcs = {fn_name(resolve, f) for f in iface.functions.values() if f.resource is None}
    name = f"convert_{snake(td.name)}"
    while name in funcs:
        name += "_"
    return name


@dataclass
class _TraitBody:
    """What `trait {name}` declares (and its `&mut T` impl forwards)."""

    name: str
    plain: list[tuple[m.Function, Flags]]
    #: ((WIT name, Rust name) of the trait's resource, its drop's flags)
    drop: tuple[tuple[str, str], Flags] | None
    #: (WIT name, Rust name, trappable Rust path, method) of each error type converted
    converts: list[tuple[str, str, str, str]]

    @property
    def empty(self) -> bool:
        return not (self.plain or self.drop or self.converts)


class HostTraits:
    """Writes the traits a host implements for imported functions and resources."""

    def __init__(
        self,
        resolve: m.Resolve,
        world: m.World,
        types: TypeExprs,
        flags: FunctionFlags,
        attrs: Attrs,
        rt: RuntimePaths,
    ) -> None:
        self.r = resolve
        self.world = world
        self.types = types
        self.flags = flags
        self.attrs = attrs
        self.rt = rt

    def trait_sig(self, f: m.Function, fl: Flags) -> Signature:
        """(head, params, return type node) of a Host trait method."""
        params: list[Node] = [
            [f"{ident(p.name)}: ", type_node(self.types.ty(p.type))] for p in f.params
        ]
        recv = (
            "accessor: &::wasmtime::component::Accessor<T, Self>" if fl.concurrent else "&mut self"
        )
        r = self.fn_result(f, fl)
        ret: Node | None
        if fl.async_:
            ret = _future(type_node(r))
        else:
            ret = None if r == "()" else type_node(r)
        return f"fn {fn_name(self.r, f)}", [recv, *params], ret

    def fn_result(self, f: m.Function, fl: Flags) -> str:
        if not fl.trappable:
            return self.types.result_ty(f)
        te = self.flags.trappable_error(f)
        if te is not None:
            r, _eid, rust = te
            return f"{self.types.std('Result')}<{self.types.opt_ty(r.ok)}, {rust}>"
        return f"{self.rt.result}<{self.types.result_ty(f)}>"

    def host_trait(
        self,
        w: Writer,
        name: str,
        funcs: list[m.Function],
        key: m.WorldKey | None,
        *,
        resources: list[tuple[int, str]],
        drop: tuple[str, str] | None = None,
        extra_convert: list[tuple[str, str, str, str]] | None = None,
        docs: str,
    ) -> None:
        """`trait {name}WithStore<T>`, `trait {name}` and its `&mut T` forwarding impl.

        `resources` are (type id, WIT name) of the resources whose traits are supertraits,
        `drop` is (WIT name, Rust name) of the resource the trait is for, `extra_convert` the
        (WIT name, Rust name, trappable Rust path, method) of error types the trait converts;
        `docs` go on `{name}`, the trait a host implements."""
        flags = [(f, self.flags.import_flags(key, f)) for f in funcs]
        with_store = [(f, fl) for f, fl in flags if fl.concurrent]
        body = _TraitBody(
            name,
            [(f, fl) for f, fl in flags if not fl.concurrent],
            None if drop is None else (drop, self.flags.drop_flags(key, drop[0])),
            extra_convert or [],
        )
        any_async = any(fl.async_ for _, fl in flags) or (
            body.drop is not None and body.drop[1].async_
        )
        for tid, rn in resources:
            for f in resource_funcs(self.r, self.world, tid):
                any_async |= self.flags.import_flags(key, f).async_
            any_async |= self.flags.drop_flags(key, rn).async_
        send = ["Send"] if any_async else []
        ws_super = (
            ["::wasmtime::component::HasData"]
            + [f"Host{self.types.paths.resource_base(t)}WithStore<T>" for t, _ in resources]
            + send
        )
        if with_store:
            w.line(f"/// The `async func`s of [`{name}`]: their methods get the store's `Accessor`.")
        else:
            w.line(f"/// The store-aware part of [`{name}`] (empty: every type implements it).")
        self.attrs.wt_cfg(w)
        if with_store:
            w.open_trait(f"pub trait {name}WithStore<T>", ws_super)
            for f, fl in with_store:
                w.docs(f.docs)
                w.fn(*self.trait_sig(f, fl), end=";")
            w.close()
        else:
            w.bounded(f"pub trait {name}WithStore<T>", ws_super)
            self.attrs.wt_cfg(w)
            w.bounded(f"impl<H: ?Sized, T> {name}WithStore<T> for H", ws_super, "H")
        traits = [f"Host{self.types.paths.resource_base(t)}" for t, _ in resources]
        w.docs(docs)
        self._plain_trait(w, body, traits + send)
        # `&mut T` forwards, as bindgen! provides
        bound = f"_T: {name} + ?Sized" + (" + Send" if any_async else "")
        if body.empty:
            w.line(f"impl<{bound}> {name} for &mut _T {{}}")
        else:
            w.open(f"impl<{bound}> {name} for &mut _T")
            self._forwards(w, body)
            w.close()

    def _plain_trait(self, w: Writer, body: _TraitBody, supers: list[str]) -> None:
        """`trait {name}`: the methods of the functions that are not `async func`."""
        name = body.name
        if body.empty:
            if supers:
                w.bounded(f"pub trait {name}", supers)
            else:
                w.line(f"pub trait {name} {{}}")
            return
        w.open_trait(f"pub trait {name}", supers)
        for f, fl in body.plain:
            w.docs(f.docs)
            w.fn(*self.trait_sig(f, fl), end=";")
        if body.drop is not None:
            (wit_name, cname), dfl = body.drop
            w.line(f"/// Drops a `{wit_name}` handle owned by the guest.")
            w.fn(*self._drop_sig(cname, dfl), end=";")
        for ename, etype, rust, method in body.converts:
            w.line(f"/// Converts a trappable `{rust}` into the WIT `{ename}` or a trap.")
            w.fn(*self._convert_sig(method, etype, rust), end=";")
        w.close()

    def _forwards(self, w: Writer, body: _TraitBody) -> None:
        """The methods of `impl {name} for &mut _T`, each calling `_T`'s."""
        name = body.name
        for f, fl in body.plain:
            args = ["*self"] + [ident(p.name) for p in f.params]
            w.fn(*self.trait_sig(f, fl))
            if fl.async_:
                w.line(["async move { ", call(f"{name}::{fn_name(self.r, f)}", args), ".await }"])
            else:
                w.line(call(f"{name}::{fn_name(self.r, f)}", args))
            w.close()
        if body.drop is not None:
            (_wit_name, cname), dfl = body.drop
            w.fn(*self._drop_sig(cname, dfl))
            if dfl.async_:
                w.line(f"async move {{ {name}::drop(*self, rep).await }}")
            else:
                w.line(f"{name}::drop(*self, rep)")
            w.close()
        for _ename, etype, rust, method in body.converts:
            w.fn(*self._convert_sig(method, etype, rust))
            w.line(f"{name}::{method}(*self, err)")
            w.close()

    def _convert_sig(self, method: str, etype: str, rust: str) -> Signature:
        params: list[Node] = ["&mut self", f"err: {rust}"]
        return f"fn {method}", params, type_node(f"{self.rt.result}<{etype}>")

    def _drop_sig(self, cname: str, fl: Flags) -> Signature:
        params: list[Node] = ["&mut self", f"rep: {self.rt.resource}<{cname}>"]
        r = type_node(f"{self.rt.result}<()>")
        return "fn drop", params, _future(r) if fl.async_ else r


def _future(output: Node) -> list[Node]:
    """`impl Future<Output = T> + Send`, the return type of an async trait method."""
    return [Group("impl ::core::future::Future<", [["Output = ", output]], ">"), " + Send"]
