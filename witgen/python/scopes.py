"""The world as the generated package sees it: import and export *scopes* (the world itself
and each interface), the functions and resources of each with their Python names, and which
resources the guest implements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from witgen.model import (
    Function,
    FunctionItem,
    InterfaceItem,
    Prim,
    Resolve,
    Resource,
    TypeId,
    TypeItem,
    World,
    WorldKey,
)

from . import names as N


@dataclass
class Member:
    """A function of a scope and its Python name (on the scope, or on its resource's class for
    a method)."""

    func: Function
    name: str
    label: str
    #: the resource of a method, static or constructor
    resource: TypeId | None = None


@dataclass
class Scope:
    key: WorldKey | None
    #: the component-level name (`ns:pkg/iface@1.0.0`), None for the world itself
    wit_name: str | None
    #: attribute of `Imports` / the world object (interfaces)
    attr: str
    #: Python class name of the scope (interfaces)
    cls: str
    docs: str | None
    members: list[Member] = field(default_factory=list)
    resources: list[TypeId] = field(default_factory=list)


def resource_of(resolve: Resolve, func: Function) -> TypeId:
    assert func.resource is not None
    rid = resolve.unalias(func.resource)
    assert not isinstance(rid, Prim)
    return rid


def _members(resolve: Resolve, funcs: list[Function], taken: set[str]) -> list[Member]:
    out = []
    per_class: dict[TypeId, set[str]] = {}
    for func in funcs:
        res = resource_of(resolve, func) if func.resource is not None else None
        rname = resolve.types[res].name if res is not None else None
        label = N.func_label(func, rname)
        item = N.snake(func.item_name)
        if func.kind == "constructor":
            name = N.unique(f"new_{N.snake(rname or '')}", taken)
        elif func.kind in ("static", "async-static"):
            name = N.unique(f"{N.snake(rname or '')}_{item}", taken)
        elif func.kind in ("method", "async-method"):
            assert res is not None
            name = N.unique(item, per_class.setdefault(res, {"drop", "wit_handle", "wit_release"}))
        else:
            name = N.unique(item, taken)
        out.append(Member(func, name, label, res))
    return out


def scopes(resolve: Resolve, world: World, exported: bool, reserved: set[str]) -> list[Scope]:
    """The scopes of the world's imports (or exports); the world's own first."""
    items = world.exports if exported else world.imports
    taken = set(reserved)
    root = Scope(None, None, "", "", world.docs)
    out = [root]
    root_funcs = [i.function for i in items.values() if isinstance(i, FunctionItem)]
    for item in items.values():
        if isinstance(item, TypeItem) and isinstance(resolve.types[item.id].kind, Resource):
            root.resources.append(item.id)
    short: dict[str, int] = {}
    for key, item in items.items():
        if isinstance(item, InterfaceItem):
            iface = resolve.interfaces[item.id]
            s = N.snake(iface.name if iface.name is not None else str(key))
            short[s] = short.get(s, 0) + 1
    ifaces: list[tuple[WorldKey, InterfaceItem]] = [
        (k, i) for k, i in items.items() if isinstance(i, InterfaceItem)
    ]
    for key, item in ifaces:
        iface = resolve.interfaces[item.id]
        wit_name = resolve.world_key_name(key)
        base = N.snake(iface.name if iface.name is not None else str(key))
        if short[base] > 1:
            base = N.snake(wit_name.split("@")[0].replace(":", "-").replace("/", "-"))
        attr = N.unique(base, taken)
        cls = N.pascal(attr.replace("_", "-")) + ("Exports" if exported else "Imports")
        sc = Scope(key, wit_name, attr, cls, iface.docs or item.docs)
        sc.resources = [t for t in iface.types.values() if isinstance(resolve.types[t].kind, Resource)]
        sc.members = _members(resolve, list(iface.functions.values()), set())
        out.append(sc)
    root.members = _members(resolve, root_funcs, taken)
    return out


def guest_resources(resolve: Resolve, world: World) -> frozenset[TypeId]:
    """Resources of exported interfaces (those of an interface the world also imports are the
    host's too: sides.py)."""
    out = set()
    for item in world.exports.values():
        if not isinstance(item, InterfaceItem):
            continue
        for tid in resolve.interfaces[item.id].types.values():
            if isinstance(resolve.types[tid].kind, Resource):
                out.add(tid)
    return frozenset(out)
