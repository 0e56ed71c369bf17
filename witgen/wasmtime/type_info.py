"""What the generator needs to know about each WIT type of a world (cf. bindgen!'s `TypeInfo`).

- `owned`: reaches the host by value (an import's parameter, or any result);
- `borrowed`: only passed to an export as a parameter (may be borrowed in `borrowing` mode);
- `error`: the `E` of a function's `result<_, E>` (gets `Display` + `Error` impls);
- `has_list` (lists, strings, maps), `has_handle`, `has_future_or_stream`: decide `Copy`/`Clone`
  and lifetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from witgen import model as m


@dataclass
class TypeInfo:
    borrowed: bool = False
    owned: bool = False
    error: bool = False
    has_list: bool = False
    has_handle: bool = False
    has_future_or_stream: bool = False

    def __ior__(self, o: TypeInfo) -> TypeInfo:
        self.borrowed |= o.borrowed
        self.owned |= o.owned
        self.error |= o.error
        self.has_list |= o.has_list
        self.has_handle |= o.has_handle
        self.has_future_or_stream |= o.has_future_or_stream
        return self

    @property
    def is_copy(self) -> bool:
        return not (self.has_list or self.has_handle or self.has_future_or_stream)

    @property
    def is_clone(self) -> bool:
        return not (self.has_handle or self.has_future_or_stream)


class Types:
    def __init__(self, resolve: m.Resolve, world_id: int) -> None:
        self.resolve = resolve
        self.info: dict[int, TypeInfo] = {}
        for tid in range(len(resolve.types)):
            self._tid(tid)
        world = resolve.worlds[world_id]
        for is_import, items in ((True, world.imports), (False, world.exports)):
            for item in items.values():
                if isinstance(item, m.FunctionItem):
                    self._func(item.function, is_import)
                elif isinstance(item, m.InterfaceItem):
                    for f in resolve.interfaces[item.id].functions.values():
                        self._func(f, is_import)

    def get(self, tid: int) -> TypeInfo:
        return self.info[tid]

    def _ty(self, t: m.Type) -> TypeInfo:
        if isinstance(t, m.Prim):
            return TypeInfo(has_list=t == m.Prim.STRING)
        return TypeInfo(**vars(self._tid(t)))

    def _refs(self, k: m.TypeDefKind) -> TypeInfo:
        info = TypeInfo()
        for t in m.kind_refs(k):
            info |= self._ty(t)
        return info

    def _tid(self, tid: int) -> TypeInfo:
        if tid in self.info:
            return self.info[tid]
        info = TypeInfo()
        match self.resolve.types[tid].kind:
            case m.Handle():
                info.has_handle = True
            case m.Future() | m.Stream() as k:
                info = self._refs(k)
                info.has_future_or_stream = True
            case m.List() | m.Map() as k:
                info = self._refs(k)
                info.has_list = True
            case m.Resource():
                pass
            case (
                m.Record()
                | m.Variant()
                | m.Enum_()
                | m.Flags()
                | m.Option_()
                | m.Result_()
                | m.Tuple()
                | m.FixedList()
                | m.Alias()
            ) as k:
                info = self._refs(k)
            case k:
                assert_never(k)
        info.borrowed = info.owned = info.error = False
        self.info[tid] = info
        return info

    def _live(self, t: m.Type, out: set[int]) -> None:
        if isinstance(t, m.Prim) or t in out:
            return
        out.add(t)
        k = self.resolve.types[t].kind
        if isinstance(k, m.Handle):
            return  # a handle does not make its resource "live" as a value
        for r in m.kind_refs(k):
            self._live(r, out)

    def _func(self, f: m.Function, is_import: bool) -> None:
        live: set[int] = set()
        for p in f.params:
            self._live(p.type, live)
        for t in live:
            if self.resolve.types[t].name is not None:
                if is_import:
                    self.info[t].owned = True
                else:
                    self.info[t].borrowed = True
        live = set()
        if f.result is not None:
            self._live(f.result, live)
        for t in live:
            if self.resolve.types[t].name is not None:
                self.info[t].owned = True
        r = f.result
        if r is not None and not isinstance(r, m.Prim):
            k = self.resolve.types[r].kind
            if isinstance(k, m.Result_) and k.err is not None:
                err = self.resolve.unalias(k.err)
                if not isinstance(err, m.Prim):
                    self.info[err].error = True
