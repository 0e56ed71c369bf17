"""How one world's functions use each named type: the facts a host binding needs to choose
between owned and borrowed forms of a type and to make an error type an error.

- `owned`: reaches the host by value (an import's parameter, or any function's result);
- `borrowed`: only lent to an export as a parameter (a host may pass it borrowed);
- `error`: the `E` of a function's `result<_, E>`.

Types reached through a handle are not uses (a handle is an index); types in a future/stream
payload are. What a type *contains* is `typeinfo.py`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

from witgen.model import (
    Function,
    Prim,
    Resolve,
    Result_,
    Type,
    TypeId,
    walk_types,
)


@dataclass
class TypeUse:
    """How the world's functions use one type."""

    borrowed: bool = False
    owned: bool = False
    error: bool = False


_UNUSED = TypeUse()


class TypeUses:
    """The `TypeUse` of every named type of one world, computed once."""

    def __init__(self, resolve: Resolve, world_id: int) -> None:
        self._types = resolve.types
        self._resolve = resolve
        self._uses: dict[TypeId, TypeUse] = {}
        for is_import, f in resolve.world_functions(world_id):
            self._func(f, is_import)

    def use(self, tid: TypeId) -> TypeUse:
        """How `tid` is used (all false for a type no function reaches)."""
        return self._uses.get(tid, _UNUSED)

    def _at(self, tid: TypeId) -> TypeUse:
        found = self._uses.get(tid)
        if found is None:
            found = self._uses[tid] = TypeUse()
        return found

    def _live(self, root: Type) -> set[TypeId]:
        """The types a value of `root` holds (a handle's resource is not one of them)."""
        return set(walk_types(self._types, [root], into_handles=False))

    def _named(self, live: set[TypeId]) -> list[TypeId]:
        return [t for t in live if self._types[t].name is not None]

    def _func(self, f: Function, is_import: bool) -> None:
        live: set[TypeId] = set()
        for p in f.params:
            live |= self._live(p.type)
        for t in self._named(live):
            if is_import:
                self._at(t).owned = True
            else:
                self._at(t).borrowed = True
        r = f.result
        if r is None:
            return
        for t in self._named(self._live(r)):
            self._at(t).owned = True
        if not isinstance(r, Prim):
            k = self._types[r].kind
            if isinstance(k, Result_) and k.err is not None:
                err = self._resolve.unalias(k.err)
                if not isinstance(err, Prim):
                    self._at(err).error = True
