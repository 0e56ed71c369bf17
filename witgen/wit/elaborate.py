"""World `include`s and world elaboration on the resolved model.

`process_includes` merges included worlds (with `with { a as b }` renames), copying the types
the included world owns. `elaborate_world` then makes a world self-contained: every interface
an import or export depends on is imported first, and imports are ordered interfaces, then
types used from interfaces, then other types, then functions, as wit-parser orders them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import assert_never

from witgen import model
from witgen.errors import WitError
from witgen.model import Prim
from witgen.records import record
from witgen.wit import ast
from witgen.wit.kebab import strong_key


def _err(where: ast.Where | None, msg: str) -> WitError:
    return where.error(msg) if where is not None else WitError(msg)


@record(slots=False)
class Included:
    """One `include` statement of a world, its target resolved to a world id."""

    world: model.WorldId
    node: ast.Include
    file: ast.SourceFile


def _rename(orig: str, name: str, new: str) -> str | None:
    prefix = ""
    rest = orig
    while rest.startswith("["):
        tag, _, rest = rest.partition("]")
        prefix += tag + "]"
    if "." in rest:
        res, _, fn = rest.partition(".")
        if res == name:
            return f"{prefix}{new}.{fn}"
    if rest == name:
        return prefix + new
    return None


class _Cloner:
    """Copies the types an included world owns (and anonymous types) into the including world."""

    def __init__(self, r: model.Resolve, src_world: int, dst_world: int) -> None:
        self.r = r
        self.src = src_world
        self.dst = dst_world
        self.map: dict[int, int] = {}

    def type_id(self, t: int) -> int:
        if t in self.map:
            return self.map[t]
        td = self.r.types[t]
        kind = td.kind
        match kind:
            case model.Alias(target) if not isinstance(target, Prim):
                # an alias of a type the included world owns points at that type's copy
                target_owner = self.r.types[target].owner
                owned = (
                    target_owner is not None
                    and target_owner.kind == "world"
                    and target_owner.id == self.src
                )
                if owned or target in self.map:
                    kind = model.Alias(self.ty(target))
            case model.Alias() | model.Resource():
                pass
            case model.Handle(handle, resource):
                kind = model.Handle(handle, self.type_id(resource))
            case _:
                kind = model.map_kind(kind, self.ty)
        owner = td.owner
        if owner is not None and owner.kind == "world" and owner.id == self.src:
            owner = model.Owner("world", self.dst)
        new = model.TypeDef(
            td.name, kind, owner, td.docs, td.stability, td.span, external_id=td.external_id
        )
        nid = len(self.r.types)
        self.r.types.append(new)
        self.map[t] = nid
        return nid

    def ty(self, t: model.Type) -> model.Type:
        return t if isinstance(t, Prim) else self.type_id(t)

    def function(self, f: model.Function, name: str) -> model.Function:
        resource = self.type_id(f.resource) if f.resource is not None else None
        params = [model.Param(p.name, self.ty(p.type)) for p in f.params]
        result = None if f.result is None else self.ty(f.result)
        return model.Function(
            name,
            f.kind,
            params,
            result,
            resource,
            f.docs,
            f.stability,
            f.span,
            external_id=f.external_id,
        )

    def interface(self, iid: int, pkg: int | None) -> int:
        src = self.r.interfaces[iid]
        new = model.Interface(src.name, {}, {}, pkg, src.docs, src.stability, src.span)
        new.clone_of = iid
        for name, t in src.types.items():
            new.types[name] = self.type_id(t)
        for name, f in src.functions.items():
            new.functions[name] = self.function(f, f.name)
        nid = len(self.r.interfaces)
        self.r.interfaces.append(new)
        for t in new.types.values():
            td = self.r.types[t]
            if td.owner is not None and td.owner.kind == "interface" and td.owner.id == iid:
                td.owner = model.Owner("interface", nid)
        return nid


def process_includes(r: model.Resolve, wid: int, includes: list[Included]) -> None:
    """Apply a world's `include` statements, in source order."""
    world = r.worlds[wid]
    came_from: dict[str, Included] = {}  # item name -> the include that brought it in
    for inc in includes:
        renames = _renames(r.worlds[inc.world], inc)
        cloner = _Cloner(r, inc.world, wid)
        src = r.worlds[inc.world]
        external = src.package != world.package
        for direction, items, dst in (
            ("import", src.imports, world.imports),
            ("export", src.exports, world.exports),
        ):
            for key, item in items.items():
                if isinstance(key, str):
                    new_key = _renamed(key, renames)
                    if new_key in dst:
                        raise inc.file.error(
                            f"{direction} of `{new_key}` shadows previously {direction}ed items",
                            inc.node.path.pos,
                        )
                    dst[new_key] = _copy_named(r, cloner, item, new_key, world.package)
                    came_from[new_key] = inc
                else:
                    assert isinstance(item, model.InterfaceItem)
                    _merge_interface(dst, key, item, external, inc)
    if includes:
        _check_strongly_unique(world, came_from, includes[0])


def _renames(src: model.World, inc: Included) -> list[tuple[str, str]]:
    """The `with { a as b }` pairs of an include; each `a` must name an item of `src`."""
    renames = [(a.name, b.name) for a, b in inc.node.renames]
    for old, _new in renames:
        found = any(
            isinstance(k, str) and _rename(k, old, "x") is not None
            for k in list(src.imports) + list(src.exports)
        )
        if not found:
            raise inc.file.error(
                f"no import or export kebab-name `{old}`. Note that an ID does not support "
                "renaming",
                inc.node.path.pos,
            )
    return renames


def _renamed(key: str, renames: list[tuple[str, str]]) -> str:
    for old, new in renames:
        renamed = _rename(key, old, new)
        if renamed is not None:
            return renamed
    return key


def _copy_named(
    r: model.Resolve,
    cloner: _Cloner,
    item: model.WorldItem,
    new_key: str,
    package: model.PackageId | None,
) -> model.WorldItem:
    """An included item under a plain name: functions and types are copied into the world."""
    match item:
        case model.FunctionItem(function):
            return model.FunctionItem(cloner.function(function, new_key))
        case model.TypeItem(tid):
            nid = cloner.type_id(tid)
            r.types[nid].name = new_key
            return model.TypeItem(nid)
        case model.InterfaceItem():
            iid = item.id
            if r.interfaces[iid].name is None:
                iid = cloner.interface(iid, package)
            return model.InterfaceItem(iid, item.stability, item.docs, item.external_id)
        case _:
            assert_never(item)


def _merge_interface(
    dst: dict[model.WorldKey, model.WorldItem],
    key: model.InterfaceId,
    item: model.InterfaceItem,
    external: bool,
    inc: Included,
) -> None:
    """An included `import ns:pkg/iface;`: added once; stability from another package drops."""
    existing = dst.get(key)
    if existing is None:
        existing = model.InterfaceItem(item.id, item.stability)
        dst[key] = existing
        if external and item.stability.kind == "stable":
            existing.stability = model.Stability()
        return
    assert isinstance(existing, model.InterfaceItem)
    if external and item.stability.kind == "stable":
        existing.stability = model.Stability()
    elif not item.stability.is_unknown and item.stability != existing.stability:
        if existing.stability.is_unknown:
            existing.stability = item.stability
        else:
            raise inc.file.error("mismatch in stability of included item", inc.node.path.pos)


def _check_strongly_unique(
    world: model.World, came_from: dict[str, Included], first: Included
) -> None:
    """Names differing only in case clash (wit-parser's message, which has no location; this
    one points at the include that brought in one of the two)."""
    for items, what in ((world.imports, "import"), (world.exports, "export")):
        seen: dict[str, str] = {}
        for key in items:
            if not isinstance(key, str):
                continue
            ck = strong_key(key)
            prev = seen.get(ck)
            if prev is not None and prev != key:
                inc = came_from.get(key) or came_from.get(prev) or first
                raise inc.file.error(
                    f"{what} `{key}` in world `{world.name}` conflicts with {what} `{prev}` "
                    "(names must be strongly unique)",
                    inc.node.path.pos,
                )
            seen[ck] = key


def _type_iface_dep(r: model.Resolve, t: int) -> int | None:
    td = r.types[t]
    if not isinstance(td.kind, model.Alias) or isinstance(td.kind.type, Prim):
        return None
    other = r.types[td.kind.type]
    if other.owner is None or other.owner.kind != "interface":
        return None
    if td.owner is not None and td.owner.kind == other.owner.kind and td.owner.id == other.owner.id:
        return None
    return other.owner.id


def interface_direct_deps(r: model.Resolve, iid: int) -> list[int]:
    """Interfaces whose types `iid` uses, in order (repeats possible)."""
    out: list[int] = []
    for t in r.interfaces[iid].types.values():
        dep = _type_iface_dep(r, t)
        if dep is not None and dep != iid:
            out.append(dep)
    return out


def _class(r: model.Resolve, item: model.WorldItem) -> int:
    match item:
        case model.InterfaceItem():
            return 0
        case model.TypeItem(tid):
            return 1 if _type_iface_dep(r, tid) is not None else 2
        case model.FunctionItem(function):
            return 3 if function.resource is None else 4
        case _:
            assert_never(item)


WorldItems = dict[model.WorldKey, model.WorldItem]


def _sorted(r: model.Resolve, items: WorldItems) -> WorldItems:
    return dict(sorted(items.items(), key=lambda kv: _class(r, kv[1])))


def elaborate_world(r: model.Resolve, wid: int, where: ast.Where | None = None) -> None:
    """Make a world self-contained: each interface an item depends on is imported first."""
    world = r.worlds[wid]
    imports = _elaborated_imports(r, world)
    world.exports = _elaborated_exports(r, world, imports, where)
    world.imports = _sorted(r, imports)


def _elaborated_imports(r: model.Resolve, world: model.World) -> WorldItems:
    new_imports: WorldItems = {}

    def add_import(
        key: model.WorldKey,
        iid: int,
        stab: model.Stability,
        docs: str | None = None,
        external_id: str | None = None,
    ) -> None:
        # depth-first, dependencies first; a `use` chain may be thousands of interfaces long
        if key in new_imports:
            return
        stack = [
            (
                key,
                model.InterfaceItem(iid, stab, docs, external_id),
                iter(interface_direct_deps(r, iid)),
            )
        ]
        while stack:
            top_key, top_item, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                new_imports[top_key] = top_item
            elif dep not in new_imports:
                item = model.InterfaceItem(dep, stab, None, None)
                stack.append((dep, item, iter(interface_direct_deps(r, dep))))

    for key, item in _sorted(r, world.imports).items():
        match item:
            case model.InterfaceItem():
                add_import(key, item.id, item.stability, item.docs, item.external_id)
            case model.FunctionItem():
                new_imports[key] = item
            case model.TypeItem(tid):
                dep = _type_iface_dep(r, tid)
                if dep is not None:
                    add_import(dep, dep, r.types[tid].stability)
                new_imports[key] = item
            case _:
                assert_never(item)
    return new_imports


def _elaborated_exports(
    r: model.Resolve, world: model.World, new_imports: WorldItems, where: ast.Where | None
) -> WorldItems:
    """The exports, each after the exported interfaces it depends on; other dependencies of
    exported interfaces are added to `new_imports`."""
    new_exports: WorldItems = {}
    export_ifaces: dict[model.WorldKey, model.InterfaceItem] = {}
    for key, item in world.exports.items():
        if isinstance(item, model.InterfaceItem):
            export_ifaces[key] = item
        else:
            new_exports[key] = item
    required: set[int] = set()

    def add_export(key: model.WorldKey, item: model.InterfaceItem) -> bool:
        """Place an exported interface after its dependencies; False on a conflict. Walked on
        an explicit stack: a `use` chain may be thousands of interfaces long."""
        stack: list[tuple[model.WorldKey, model.InterfaceItem, bool, Iterator[int]]] = []

        def enter(key: model.WorldKey, item: model.InterfaceItem, is_export: bool) -> bool:
            """Start on an interface; False when it is already settled (nothing to push)."""
            if key in new_exports or (not is_export and item.id in required):
                return False
            stack.append((key, item, is_export, iter(interface_direct_deps(r, item.id))))
            return True

        enter(key, item, True)
        while stack:
            key, item, is_export, deps = stack[-1]
            dep = next(deps, None)
            if dep is not None:
                dep_is_export = is_export and dep in export_ifaces
                if dep in new_exports and not dep_is_export:
                    return False  # an import needs what is already an export
                enter(
                    dep,
                    model.InterfaceItem(dep, item.stability, None, item.external_id),
                    dep_is_export,
                )
                continue
            stack.pop()
            if is_export:
                if item.id in required:
                    return False
                new_exports[key] = item
            else:
                required.add(item.id)
                if key not in new_imports:
                    new_imports[key] = item
        return True

    for key, item in export_ifaces.items():
        if not add_export(key, item):
            name = key if isinstance(key, str) else r.interface_name(key)
            raise _err(
                where,
                f"interface `{name}` transitively depends on an interface in incompatible ways",
            )
    return new_exports
