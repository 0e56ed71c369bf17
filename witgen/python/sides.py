"""Types with two Python roles: those of an interface the world both imports and exports.

The imported copy of such an interface is the host's (its resources are Protocols the host
implements, their handles index the host's tables); the exported copy is the guest's (its
resources are classes wrapping guest handles). One WIT type that holds a handle of such a
resource (the resource itself, a record or variant with one inside, ...) is therefore two Python
types: the import side keeps the plain name, the export side gets a `Guest` prefix
(`Cell` / `GuestCell`), with converters of its own. Types without such handles are one Python
type used by both sides.

An exported function outside those interfaces that reaches one of these types (a world-level
export, another exported interface `use`-ing it) is refused: which copy it means is left to
`use` resolution rules the package does not model.
"""

from __future__ import annotations

from witgen.errors import WitError
from witgen.model import (
    Function,
    FunctionItem,
    InterfaceItem,
    Prim,
    Resolve,
    Resource,
    Type,
    TypeId,
    World,
    kind_refs,
)

from . import names as N


def dual_interfaces(world: World) -> frozenset[int]:
    """Interfaces the world both imports and exports."""
    imported = {i.id for i in world.imports.values() if isinstance(i, InterfaceItem)}
    return frozenset(
        i.id for i in world.exports.values() if isinstance(i, InterfaceItem) and i.id in imported
    )


def dual_resources(resolve: Resolve, world: World) -> frozenset[TypeId]:
    return frozenset(
        t
        for iid in dual_interfaces(world)
        for t in resolve.interfaces[iid].types.values()
        if isinstance(resolve.types[t].kind, Resource)
    )


class Sides:
    """Which types are sided (reach a handle of a dual resource), and the named ones the
    export side declares again."""

    def __init__(self, resolve: Resolve, world: World) -> None:
        self.r = resolve
        self.world = world
        self.dual = dual_interfaces(world)
        self.resources = dual_resources(resolve, world)
        self._memo: dict[TypeId, bool] = {t: True for t in self.resources}

    def sided(self, t: Type) -> bool:
        """Whether `t` reaches a handle of a dual resource (iterative: types nest deeply)."""
        if not self.resources or isinstance(t, Prim):
            return False
        stack: list[tuple[TypeId, bool]] = [(t, False)]
        while stack:
            x, expanded = stack.pop()
            if x in self._memo:
                continue
            refs = [y for y in kind_refs(self.r.types[x].kind) if not isinstance(y, Prim)]
            if expanded:
                self._memo[x] = any(self._memo[y] for y in refs)
                continue
            stack.append((x, True))
            stack += [(y, False) for y in refs if y not in self._memo]
        return self._memo[t]

    def export_named(self, named: list[TypeId]) -> list[TypeId]:
        """The named types (of `named`, in order) the export side declares under its own name:
        the sided ones the exported dual interfaces reach."""
        if not self.resources:
            return []
        reach: set[TypeId] = set()
        todo: list[Type] = []
        for iid in sorted(self.dual):
            iface = self.r.interfaces[iid]
            todo += list(iface.types.values())
            for f in iface.functions.values():
                todo += f.types
        while todo:
            t = todo.pop()
            if isinstance(t, Prim) or t in reach or not self.sided(t):
                continue
            reach.add(t)
            todo += kind_refs(self.r.types[t].kind)
        return [t for t in named if t in reach]

    def refuse_mixed(self) -> None:
        """Refuse exported functions outside the dual interfaces that reach a sided type."""
        if not self.resources:
            return
        for key, item in self.world.exports.items():
            if isinstance(item, InterfaceItem):
                if item.id in self.dual:
                    continue
                funcs = list(self.r.interfaces[item.id].functions.values())
            elif isinstance(item, FunctionItem):
                funcs = [item.function]
            else:
                continue
            where = f"`{self.r.world_key_name(key)}`" if isinstance(item, InterfaceItem) else None
            for f in funcs:
                if any(self.sided(t) for t in f.types):
                    self._refuse(where, f)

    def _refuse(self, where: str | None, f: Function) -> None:
        res = self.r.types[f.resource].name if f.resource is not None else None
        names = ", ".join(f"`{self.r.interface_name(i)}`" for i in sorted(self.dual))
        raise WitError(
            f"python target: exported function `{N.func_label(f, res)}` of "
            f"{where or 'the world'} uses a resource of {names}, which the world both "
            "imports and exports; the python target supports that only in the functions of "
            "the interface itself"
        )
