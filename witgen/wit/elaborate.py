"""World `include`s and world elaboration on the resolved model.

`process_includes` merges included worlds (with `with { a as b }` renames), copying the types
the included world owns. `elaborate_world` then makes a world self-contained: every interface
an import or export depends on is imported first, and imports are ordered interfaces, then
types used from interfaces, then other types, then functions, as wit-parser orders them.
"""

from __future__ import annotations

from witgen import model
from witgen.errors import WitError
from witgen.model import Prim
from witgen.wit.kebab import strong_key


def _err(where, msg: str) -> WitError:
    return where.error(msg) if where is not None else WitError(msg)


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
        if isinstance(kind, model.Alias):
            target = kind.type
            owner = None if isinstance(target, Prim) else self.r.types[target].owner
            owned = owner is not None and owner.kind == "world" and owner.id == self.src
            if not isinstance(target, Prim) and (owned or target in self.map):
                kind = model.Alias(self.ty(target))
        elif isinstance(kind, model.Resource):
            pass
        else:
            kind = self._clone_kind(kind)
        owner = td.owner
        if owner is not None and owner.kind == "world" and owner.id == self.src:
            owner = model.Owner("world", self.dst)
        new = model.TypeDef(td.name, kind, owner, td.docs, td.stability, external_id=td.external_id)
        nid = len(self.r.types)
        self.r.types.append(new)
        self.map[t] = nid
        return nid

    def ty(self, t: model.Type) -> model.Type:
        return t if isinstance(t, Prim) else self.type_id(t)

    def _opt(self, t):
        return None if t is None else self.ty(t)

    def _clone_kind(self, k):
        if isinstance(k, model.Handle):
            return model.Handle(k.kind, self.ty(k.resource))  # type: ignore[arg-type]
        return model.map_kind(k, self.ty)

    def function(self, f: model.Function, name: str) -> model.Function:
        resource = self.ty(f.resource) if f.resource is not None else None
        params = [model.Param(p.name, self.ty(p.type)) for p in f.params]
        result = self._opt(f.result)
        return model.Function(
            name,
            f.kind,
            params,
            result,
            resource,
            f.docs,
            f.stability,  # type: ignore[arg-type]
            external_id=f.external_id,
        )

    def interface(self, iid: int, pkg: int | None) -> int:
        src = self.r.interfaces[iid]
        new = model.Interface(src.name, {}, {}, pkg, src.docs, src.stability)
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


def process_includes(r: model.Resolve, wid: int, includes: list) -> None:
    """Apply `include` statements: (world id, ast.Include, file, stability) in source order."""
    world = r.worlds[wid]
    for src_id, inc, file, _stab in includes:
        src = r.worlds[src_id]
        renames = [(a.name, b.name, inc.path.pos) for a, b in inc.renames]
        for old, _new, pos in renames:
            found = any(
                isinstance(k, str) and _rename(k, old, "x") is not None
                for k in list(src.imports) + list(src.exports)
            )
            if not found:
                raise file.error(
                    f"no import or export kebab-name `{old}`. Note that an ID does not support "
                    "renaming",
                    pos,
                )
        cloner = _Cloner(r, src_id, wid)
        external = r.worlds[src_id].package != world.package
        for direction, items, dst in (
            ("import", src.imports, world.imports),
            ("export", src.exports, world.exports),
        ):
            for key, item in items.items():
                if isinstance(key, str):
                    new_key = key
                    for old, new, _pos in renames:
                        renamed = _rename(key, old, new)
                        if renamed is not None:
                            new_key = renamed
                            break
                    if isinstance(item, model.FunctionItem):
                        new_item: model.WorldItem = model.FunctionItem(
                            cloner.function(item.function, new_key)
                        )
                    elif isinstance(item, model.TypeItem):
                        nid = cloner.type_id(item.id)
                        r.types[nid].name = new_key
                        new_item = model.TypeItem(nid)
                    else:
                        iid = item.id
                        if r.interfaces[iid].name is None:
                            iid = cloner.interface(iid, world.package)
                        new_item = model.InterfaceItem(
                            iid, item.stability, item.docs, item.external_id
                        )
                    if new_key in dst:
                        raise file.error(
                            f"{direction} of `{new_key}` shadows previously {direction}ed items",
                            inc.path.pos,
                        )
                    dst[new_key] = new_item
                else:
                    assert isinstance(item, model.InterfaceItem)
                    existing = dst.get(key)
                    if existing is None:
                        existing = model.InterfaceItem(item.id, item.stability)
                        dst[key] = existing
                        if external and item.stability.kind == "stable":
                            existing.stability = model.Stability()
                        continue
                    assert isinstance(existing, model.InterfaceItem)
                    if external and item.stability.kind == "stable":
                        existing.stability = model.Stability()
                    elif not item.stability.is_unknown and item.stability != existing.stability:
                        if existing.stability.is_unknown:
                            existing.stability = item.stability
                        else:
                            raise file.error("mismatch in stability of included item", inc.path.pos)
    if includes:
        for items, what in ((world.imports, "import"), (world.exports, "export")):
            seen: dict[str, str] = {}
            for key in items:
                if not isinstance(key, str):
                    continue
                ck = strong_key(key)
                prev = seen.get(ck)
                if prev is not None and prev != key:
                    raise WitError(
                        f"{what} `{key}` in world `{world.name}` conflicts with {what} `{prev}` "
                        "(names must be strongly unique)"
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
    out = []
    for t in r.interfaces[iid].types.values():
        dep = _type_iface_dep(r, t)
        if dep is not None and dep != iid:
            out.append(dep)
    return out


def _class(r: model.Resolve, item: model.WorldItem) -> int:
    if isinstance(item, model.InterfaceItem):
        return 0
    if isinstance(item, model.TypeItem):
        return 1 if _type_iface_dep(r, item.id) is not None else 2
    assert isinstance(item, model.FunctionItem)
    return 3 if item.function.resource is None else 4


def _sorted(r: model.Resolve, items: dict) -> dict:
    return dict(sorted(items.items(), key=lambda kv: _class(r, kv[1])))


def elaborate_world(r: model.Resolve, wid: int, where=None) -> None:
    world = r.worlds[wid]
    new_imports: dict = {}

    def add_import(key, iid: int, stab: model.Stability, docs=None, external_id=None) -> None:
        if key in new_imports:
            return
        for dep in interface_direct_deps(r, iid):
            add_import(dep, dep, stab)
        new_imports[key] = model.InterfaceItem(iid, stab, docs, external_id)

    for key, item in _sorted(r, world.imports).items():
        if isinstance(item, model.InterfaceItem):
            add_import(key, item.id, item.stability, item.docs, item.external_id)
        elif isinstance(item, model.FunctionItem):
            new_imports[key] = item
        else:
            dep = _type_iface_dep(r, item.id)
            if dep is not None:
                add_import(dep, dep, r.types[item.id].stability)
            new_imports[key] = item

    new_exports: dict = {}
    export_ifaces: dict = {}
    for key, item in world.exports.items():
        if isinstance(item, model.InterfaceItem):
            export_ifaces[key] = item
        else:
            new_exports[key] = item
    required: set[int] = set()

    def add_export(key, item: model.InterfaceItem, is_export: bool) -> bool:
        if key in new_exports:
            return is_export
        if not is_export and item.id in required:
            return True
        for dep in interface_direct_deps(r, item.id):
            dep_is_export = is_export and dep in export_ifaces
            dep_item = model.InterfaceItem(dep, item.stability, None, item.external_id)
            if not add_export(dep, dep_item, dep_is_export):
                return False
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
        if not add_export(key, item, True):
            name = key if isinstance(key, str) else r.interface_name(key)
            raise _err(
                where,
                f"interface `{name}` transitively depends on an interface in incompatible ways",
            )
    world.imports = _sorted(r, new_imports)
    world.exports = new_exports
