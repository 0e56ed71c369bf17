"""Which resources an interface defines and which functions belong to a resource."""

from __future__ import annotations

from witgen import model as m


def resource_funcs(resolve: m.Resolve, world: m.World, tid: int) -> list[m.Function]:
    """The methods, statics and constructor of resource `tid` (of an interface or the world)."""
    owner = resolve.types[tid].owner
    assert owner is not None, "a resource is defined in an interface or a world"
    if owner.kind == "world":
        return [
            it.function
            for it in world.imports.values()
            if isinstance(it, m.FunctionItem) and it.function.resource == tid
        ]
    return [f for f in resolve.interfaces[owner.id].functions.values() if f.resource == tid]


def has_constructor(resolve: m.Resolve, tid: int) -> bool:
    """Whether resource `tid` has a constructor."""
    owner = resolve.types[tid].owner
    name = resolve.types[tid].name
    assert owner is not None and name is not None, "a resource is named and owned"
    ctor = f"[constructor]{name}"
    if owner.kind == "world":
        return ctor in resolve.worlds[owner.id].imports
    return ctor in resolve.interfaces[owner.id].functions


def iface_resources(resolve: m.Resolve, iid: int) -> list[tuple[int, str]]:
    """(type id, WIT name) of each resource interface `iid` defines."""
    return [
        (tid, n)
        for n, tid in resolve.interfaces[iid].types.items()
        if isinstance(resolve.types[tid].kind, m.Resource)
    ]
