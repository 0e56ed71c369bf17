"""Step 2 of resolving a package: copying it into the global arenas of the `Resolve`.

Feature-gated items are dropped (they take no id), a resource used by value becomes an
`own<T>` handle, object references become ids; then world `include`s are applied and worlds
elaborated (`witgen.wit.elaborate`).
"""

from __future__ import annotations

from witgen import model
from witgen.errors import WitError
from witgen.model import Prim
from witgen.wit.elaborate import elaborate_world, process_includes
from witgen.wit.loader import PackageUnit
from witgen.wit.unresolved import Context, IfaceKey, Unresolved, Where


def resolve_package(ctx: Context, unit: PackageUnit) -> int:
    u = Unresolved(ctx, unit)
    u.run()
    return _append(ctx, u)


def _append(ctx: Context, u: Unresolved) -> int:
    r = ctx.resolve
    name = model.PackageName(u.unit.name.namespace.name, u.unit.name.name.name, u.unit.name.version)
    docs = next((b.docs for b in u.unit.bodies if b.docs is not None and b.name is not None), None)
    pid = len(r.packages)
    pkg = model.Package(name, {}, {}, docs)
    r.packages.append(pkg)
    ctx.pkg_ids[u.unit.key] = pid
    ap = _Appender(ctx, u, pid)
    ap.run()
    return pid


class _Appender:
    def __init__(self, ctx: Context, u: Unresolved, pid: int) -> None:
        self.ctx = ctx
        self.r = ctx.resolve
        self.u = u
        self.pid = pid
        self.type_ids: dict[int, int | None] = {}  # id(local TypeDef) -> global id (None: gated)
        self.iface_ids: dict[int, int | None] = {}
        self.world_ids: dict[int, int | None] = {}
        self.own: dict[int, int] = {}  # referenced id -> own handle id

    def enabled(self, s: model.Stability, where: Where | None) -> bool:
        if s.kind == "unknown":
            return True
        if s.kind == "stable":
            ver = self.r.packages[self.pid].name.version
            if ver is None:
                msg = (
                    f"package [{self.r.packages[self.pid].name}] contains a feature gate with a "
                    "version specifier, so it must have a version"
                )
                raise where.error(msg) if where else WitError(msg)
            if _semver(s.since or "0.0.0") > _semver(ver):
                msg = (
                    f"feature gate cannot reference unreleased version {s.since} of package "
                    f"[{self.r.packages[self.pid].name}] (current version {ver})"
                )
                raise where.error(msg) if where else WitError(msg)
            return True
        return self.ctx.all_features or s.feature in self.ctx.features

    def where(self, obj: object) -> Where | None:
        return self.u.where.get(id(obj))

    def excluded(self, what: str, obj: object) -> WitError:
        msg = (
            f"found a reference to a {what} which is excluded due to its feature not being "
            "activated"
        )
        w = self.where(obj)
        return w.error(msg) if w else WitError(msg)

    # references

    def tref(self, t: object, user: object) -> model.Type:
        if isinstance(t, (Prim, int)):
            return t  # type: ignore[return-value]
        gid = self.type_ids.get(id(t))
        if gid is None:
            raise self.excluded("type", user)
        return gid

    def value_ref(self, t: object, user: object) -> model.Type:
        """A reference in a value position: a resource there means `own<resource>`."""
        g = self.tref(t, user)
        if isinstance(g, Prim):
            return g
        if self._is_resource(g):
            h = self.own.get(g)
            if h is None:
                h = len(self.r.types)
                self.r.types.append(model.TypeDef(None, model.Handle("own", g), None))
                self.own[g] = h
            return h
        return g

    def _is_resource(self, g: int) -> bool:
        types = self.r.types
        for _ in range(1000):
            kind = types[g].kind
            if isinstance(kind, model.Resource):
                return True
            if isinstance(kind, model.Alias) and not isinstance(kind.type, Prim):
                g = kind.type
                continue
            return False
        return False

    def update_kind(self, kind, user):
        if isinstance(kind, model.Alias):
            return model.Alias(self.tref(kind.type, user))
        if isinstance(kind, model.Handle):
            return model.Handle(kind.kind, self.tref(kind.resource, user))  # type: ignore[arg-type]
        if isinstance(kind, model.Record):  # fields locate their own errors
            return model.Record(
                [model.Field(f.name, self.value_ref(f.type, f), f.docs) for f in kind.fields]
            )
        return model.map_kind(kind, lambda t: self.value_ref(t, user))

    def update_func(self, f: model.Function) -> model.Function:
        params = [model.Param(p.name, self.value_ref(p.type, f)) for p in f.params]
        result = self.value_ref(f.result, f) if f.result is not None else None
        resource = self.tref(f.resource, f) if f.resource is not None else None
        out = model.Function(
            f.name,
            f.kind,
            params,
            result,
            resource,
            f.docs,
            f.stability,  # type: ignore[arg-type]
            external_id=f.external_id,
        )
        if result is not None and self._has_borrow(result, set()):
            raise self._err_at(
                f,
                f"function `{f.name}` returns a type which contains a `borrow<T>` which is not supported",
            )
        return out

    def _err_at(self, obj: object, msg: str) -> WitError:
        w = self.where(obj)
        return w.error(msg) if w else WitError(msg)

    def _has_borrow(self, t: model.Type, seen: set[int]) -> bool:
        if isinstance(t, Prim) or t in seen:
            return False
        seen.add(t)
        kind = self.r.types[t].kind
        if isinstance(kind, model.Handle):
            return kind.kind == "borrow"
        if isinstance(kind, (model.Future, model.Stream)):
            return False
        return any(self._has_borrow(x, seen) for x in model.kind_refs(kind))

    def iface_ref(self, target: object, user: object) -> int:
        if isinstance(target, int):
            return target
        gid = self.iface_ids.get(id(target))
        if gid is None:
            raise self.excluded("interface", user)
        return gid

    def run(self) -> None:
        r, u = self.r, self.u
        # types
        for td in u.types:
            if not self.enabled(td.stability, self.where(td)):
                self.type_ids[id(td)] = None
                continue
            kind = self.update_kind(td.kind, td)
            new = model.TypeDef(
                td.name, kind, td.owner, td.docs, td.stability, external_id=td.external_id
            )
            self.type_ids[id(td)] = len(r.types)
            r.types.append(new)
        # interfaces
        new_ifaces: list[tuple[model.Interface, model.Interface]] = []
        for iface in u.interfaces:
            if not self.enabled(iface.stability, self.where(iface)):
                self.iface_ids[id(iface)] = None
                continue
            self.iface_ids[id(iface)] = len(r.interfaces)
            new = model.Interface(iface.name, {}, {}, self.pid, iface.docs, iface.stability)
            r.interfaces.append(new)
            new_ifaces.append((iface, new))
        for iface, new in new_ifaces:
            for name, t in iface.types.items():
                gid = self.type_ids.get(id(t))
                if gid is not None:
                    new.types[name] = gid
            for fname, f in iface.functions.items():
                if self.enabled(f.stability, self.where(f)):
                    new.functions[fname] = self.update_func(f)
        # type owners
        for td in u.types:
            gid = self.type_ids.get(id(td))
            if gid is None or td.owner is None:
                continue
            obj = td.owner._obj  # type: ignore[attr-defined]
            if isinstance(obj, model.Interface):
                oid = self.iface_ids.get(id(obj))
                what = "interface"
            else:
                oid = None
                what = "world"
            if isinstance(obj, model.World):
                # worlds are appended below; fix these owners after
                continue
            if oid is None:
                raise self._err_at(
                    td,
                    f"found a reference to a {what} which is excluded due to its feature not "
                    "being activated; this type is not gated by a feature but its "
                    f"{what} is",
                )
            r.types[gid].owner = model.Owner("interface", oid)
        # worlds
        new_worlds: list[tuple[model.World, int]] = []
        for w in u.worlds:
            if not self.enabled(w.stability, self.where(w)):
                self.world_ids[id(w)] = None
                continue
            imports = self.update_items(w.imports, w)
            exports = self.update_items(w.exports, w)
            wid = len(r.worlds)
            self.world_ids[id(w)] = wid
            r.worlds.append(model.World(w.name, imports, exports, self.pid, w.docs, w.stability))
            new_worlds.append((w, wid))
        for td in u.types:
            gid = self.type_ids.get(id(td))
            if gid is None or td.owner is None:
                continue
            obj = td.owner._obj  # type: ignore[attr-defined]
            if isinstance(obj, model.World):
                oid = self.world_ids.get(id(obj))
                if oid is None:
                    raise self._err_at(
                        td,
                        "found a reference to a world which is excluded due to its feature not "
                        "being activated; this type is not gated by a feature but its world is",
                    )
                r.types[gid].owner = model.Owner("world", oid)
        for w, wid in new_worlds:
            includes = []
            for inc, file in u.includes.get(id(w), []):
                stab = u.stability(inc.gate)
                if not self.enabled(stab, Where(file, inc.path.pos)):
                    continue
                target = inc._target  # type: ignore[attr-defined]
                if isinstance(target, int):
                    tid: int | None = target
                else:
                    tid = self.world_ids.get(id(target))
                    if tid is None:
                        raise file.error(
                            "found a reference to a world which is excluded due to its feature "
                            "not being activated",
                            inc.path.pos,
                        )
                includes.append((tid, inc, file, stab))
            process_includes(r, wid, includes)
            elaborate_world(r, wid, self.u.where.get(id(w)))
        pkg = r.packages[self.pid]
        for iface in u.interfaces:
            gid = self.iface_ids.get(id(iface))
            if gid is not None and iface.name is not None:
                pkg.interfaces[iface.name] = gid
        for w in u.worlds:
            gid = self.world_ids.get(id(w))
            if gid is not None:
                pkg.worlds[w.name] = gid

    def update_items(self, items: dict, world: model.World) -> dict:
        out: dict = {}
        for key, item in items.items():
            if isinstance(item, model.TypeItem):
                gid = self.type_ids.get(id(item.id))
                if gid is None:
                    continue
                out[key] = model.TypeItem(gid)
            elif isinstance(item, model.FunctionItem):
                if not self.enabled(item.function.stability, self.where(item.function)):
                    continue
                out[key] = model.FunctionItem(self.update_func(item.function))
            else:
                assert isinstance(item, model.InterfaceItem)
                if not self.enabled(item.stability, self.where(world)):
                    continue
                iid = self.iface_ref(item.id, world)
                new = model.InterfaceItem(iid, item.stability, item.docs, item.external_id)
                out[iid if isinstance(key, IfaceKey) else key] = new
        return out


def _semver(v: str) -> tuple:
    from witgen.wit.loader import _version_key

    return _version_key(v)
