"""Step 2 of resolving a package: copying it into the global arenas of the `Resolve`.

Feature-gated items are dropped (they take no id), a resource used by value becomes an
`own<T>` handle, provisional ids become final ones; then world `include`s are applied and
worlds elaborated (`witgen.wit.elaborate`).
"""

from __future__ import annotations

from typing import assert_never

from witgen import model
from witgen.errors import WitError
from witgen.model import Prim
from witgen.wit import ast
from witgen.wit.elaborate import Included, elaborate_world, process_includes
from witgen.wit.loader import PackageUnit
from witgen.wit.local import GATED_OFF, Context, LocalPackage, stability
from witgen.wit.unresolved import resolve_local
from witgen.wit.versions import version_key


def resolve_package(ctx: Context, unit: PackageUnit) -> int:
    """Resolve one package (its dependencies already are) into `ctx.resolve`; its id."""
    local = resolve_local(ctx, unit)
    r = ctx.resolve
    name = model.PackageName(unit.name.namespace.name, unit.name.name.name, unit.name.version)
    docs = next((b.docs for b in unit.bodies if b.docs is not None and b.name is not None), None)
    pid = len(r.packages)
    r.packages.append(model.Package(name, {}, {}, docs))
    ctx.pkg_ids[unit.key] = pid
    _Appender(ctx, local, pid).run()
    return pid


class _Appender:
    def __init__(self, ctx: Context, local: LocalPackage, pid: int) -> None:
        self.ctx = ctx
        self.r = ctx.resolve
        self.local = local
        self.pid = pid
        # final id of each local item, in local order (None: gated off, or not appended yet)
        self.type_ids: list[int | None] = [None] * len(local.types)
        self.iface_ids: list[int | None] = [None] * len(local.interfaces)
        self.world_ids: list[int | None] = [None] * len(local.worlds)
        self.own: dict[int, int] = {}  # resource id -> its `own` handle id
        self.borrows: dict[int, bool] = {}  # type id -> whether it holds a borrow

    def run(self) -> None:
        self._types()
        self._interfaces()
        self._interface_owners()
        new_worlds = self._worlds()
        self._world_owners()
        for i, wid in new_worlds:
            process_includes(self.r, wid, self._includes(i))
            elaborate_world(self.r, wid, self.local.where_of(self.local.worlds[i]))
        pkg = self.r.packages[self.pid]
        for iface, gid in zip(self.local.interfaces, self.iface_ids, strict=True):
            if gid is not None and iface.name is not None:
                pkg.interfaces[iface.name] = gid
        for w, gid in zip(self.local.worlds, self.world_ids, strict=True):
            if gid is not None:
                pkg.worlds[w.name] = gid

    # --- gates and errors -------------------------------------------------------------------

    def enabled(self, s: model.Stability, where: ast.Where | None) -> bool:
        if s.kind == "unknown":
            return True
        if s.kind == "stable":
            pkg = self.r.packages[self.pid].name
            if pkg.version is None:
                msg = (
                    f"package [{pkg}] contains a feature gate with a version specifier, so it "
                    "must have a version"
                )
                raise where.error(msg) if where else WitError(msg)
            if version_key(s.since or "0.0.0") > version_key(pkg.version):
                msg = (
                    f"feature gate cannot reference unreleased version {s.since} of package "
                    f"[{pkg}] (current version {pkg.version})"
                )
                raise where.error(msg) if where else WitError(msg)
            return True
        return self.ctx.active(s)

    def _span(self, obj: object) -> model.Span | None:
        """Where `obj` was written (the model keeps it for later stages' errors)."""
        return self.local.where_of(obj)

    def _err_at(self, obj: object, msg: str) -> WitError:
        w = self.local.where_of(obj)
        return w.error(msg) if w else WitError(msg)

    def excluded(self, what: str, obj: object) -> WitError:
        return self._err_at(
            obj,
            f"found a reference to a {what} which is excluded due to its feature not being "
            "activated",
        )

    # --- references -------------------------------------------------------------------------

    def type_id(self, t: model.TypeId, user: object) -> model.TypeId:
        """The final id of a type: ids below the package's base are final already."""
        base = self.local.type_base
        if 0 <= t < base:
            return t
        gid = self.type_ids[t - base] if t != GATED_OFF else None
        if gid is None:
            raise self.excluded("type", user)
        return gid

    def tref(self, t: model.Type, user: object) -> model.Type:
        return t if isinstance(t, Prim) else self.type_id(t, user)

    def value_ref(self, t: model.Type, user: object) -> model.Type:
        """A reference in a value position: a resource there means `own<resource>`."""
        g = self.tref(t, user)
        if isinstance(g, Prim) or not self._is_resource(g):
            return g
        h = self.own.get(g)
        if h is None:
            h = len(self.r.types)
            self.r.types.append(model.TypeDef(None, model.Handle("own", g), None))
            self.own[g] = h
        return h

    def _is_resource(self, g: model.TypeId) -> bool:
        for _ in range(1000):
            kind = self.r.types[g].kind
            if isinstance(kind, model.Resource):
                return True
            if not isinstance(kind, model.Alias) or isinstance(kind.type, Prim):
                return False
            g = kind.type
        return False

    def iface_ref(self, target: model.InterfaceId, user: object) -> model.InterfaceId:
        base = self.local.iface_base
        if 0 <= target < base:
            return target
        gid = self.iface_ids[target - base] if target != GATED_OFF else None
        if gid is None:
            raise self.excluded("interface", user)
        return gid

    # --- copies ---------------------------------------------------------------------------

    def update_kind(self, kind: model.TypeDefKind, user: object) -> model.TypeDefKind:
        match kind:
            case model.Alias(t):
                return model.Alias(self.tref(t, user))
            case model.Handle(handle, resource):
                return model.Handle(handle, self.type_id(resource, user))
            case model.Record(fields):  # fields locate their own errors
                return model.Record(
                    [model.Field(f.name, self.value_ref(f.type, f), f.docs) for f in fields]
                )
            case _:
                return model.map_kind(kind, lambda t: self.value_ref(t, user))

    def update_func(self, f: model.Function) -> model.Function:
        params = [model.Param(p.name, self.value_ref(p.type, f)) for p in f.params]
        result = self.value_ref(f.result, f) if f.result is not None else None
        resource = self.type_id(f.resource, f) if f.resource is not None else None
        out = model.Function(
            f.name,
            f.kind,
            params,
            result,
            resource,
            f.docs,
            f.stability,
            self._span(f),
            external_id=f.external_id,
        )
        if result is not None and self._has_borrow(result):
            raise self._err_at(
                f,
                f"function `{f.name}` returns a type which contains a `borrow<T>` which is not "
                "supported",
            )
        return out

    def _has_borrow(self, root: model.Type) -> bool:
        """Whether `root` holds a `borrow<T>` outside a future or stream.

        This is front-end validation, not a copy of `witgen.abi.typeinfo`'s `has_borrow` (the
        same question): wit-parser rejects a borrow in a result while it resolves, so the error
        belongs here, at the function's WIT location, before any later stage runs; the front
        end never imports the ABI layer, and the model it walks is still being built.
        Answers are remembered per type (types form a DAG, and a chain of records each holding
        the last would otherwise be walked again for every function), and the walk keeps its
        own stack: named types may nest thousands deep.
        """
        memo = self.borrows
        todo = [root]
        while todo:
            t = todo[-1]
            if isinstance(t, Prim) or t in memo:
                todo.pop()
                continue
            kind = self.r.types[t].kind
            if isinstance(kind, model.Handle):
                memo[t] = kind.kind == "borrow"
            elif isinstance(kind, (model.Future, model.Stream)):
                memo[t] = False
            else:
                refs = [x for x in model.kind_refs(kind) if not isinstance(x, Prim)]
                pending = [x for x in refs if x not in memo]
                if pending:
                    todo.extend(pending)
                    continue
                memo[t] = any(memo[x] for x in refs)
            todo.pop()
        return not isinstance(root, Prim) and memo[root]

    def update_items(
        self, items: dict[model.WorldKey, model.WorldItem], world: model.World
    ) -> dict[model.WorldKey, model.WorldItem]:
        out: dict[model.WorldKey, model.WorldItem] = {}
        for key, item in items.items():
            match item:
                case model.TypeItem(tid):
                    gid = self.type_ids[tid - self.local.type_base]
                    if gid is not None:
                        out[key] = model.TypeItem(gid)
                case model.FunctionItem(f):
                    if self.enabled(f.stability, self.local.where_of(f)):
                        out[key] = model.FunctionItem(self.update_func(f))
                case model.InterfaceItem():
                    if self.enabled(item.stability, self.local.where_of(world)):
                        iid = self.iface_ref(item.id, world)
                        new = model.InterfaceItem(iid, item.stability, item.docs, item.external_id)
                        out[iid if isinstance(key, int) else key] = new
                case _:
                    assert_never(item)
        return out

    # --- the steps of `run` -----------------------------------------------------------------

    def _types(self) -> None:
        for i, td in enumerate(self.local.types):
            if not self.enabled(td.stability, self.local.where_of(td)):
                continue
            kind = self.update_kind(td.kind, td)
            # owners are set once interfaces and worlds have their final ids
            new = model.TypeDef(
                td.name,
                kind,
                None,
                td.docs,
                td.stability,
                self._span(td),
                external_id=td.external_id,
            )
            self.type_ids[i] = len(self.r.types)
            self.r.types.append(new)

    def _interfaces(self) -> None:
        r, local = self.r, self.local
        new_ifaces: list[tuple[model.Interface, model.Interface]] = []
        for i, iface in enumerate(local.interfaces):
            if not self.enabled(iface.stability, local.where_of(iface)):
                continue
            self.iface_ids[i] = len(r.interfaces)
            new = model.Interface(
                iface.name, {}, {}, self.pid, iface.docs, iface.stability, self._span(iface)
            )
            r.interfaces.append(new)
            new_ifaces.append((iface, new))
        for iface, new in new_ifaces:
            for name, t in iface.types.items():
                gid = self.type_ids[t - local.type_base]
                if gid is not None:
                    new.types[name] = gid
            for fname, f in iface.functions.items():
                if self.enabled(f.stability, local.where_of(f)):
                    new.functions[fname] = self.update_func(f)

    def _owned(self, kind: str) -> list[tuple[model.TypeDef, int, int | None]]:
        """Appended local types owned by a `kind` item: (local def, final id, owner's final id)."""
        local = self.local
        base, ids = (
            (local.iface_base, self.iface_ids)
            if kind == "interface"
            else (local.world_base, self.world_ids)
        )
        out = []
        for td, gid in zip(local.types, self.type_ids, strict=True):
            if gid is not None and td.owner is not None and td.owner.kind == kind:
                out.append((td, gid, ids[td.owner.id - base]))
        return out

    def _interface_owners(self) -> None:
        for td, gid, oid in self._owned("interface"):
            if oid is None:
                raise self._err_at(
                    td,
                    "found a reference to a interface which is excluded due to its feature not "
                    "being activated; this type is not gated by a feature but its interface is",
                )
            self.r.types[gid].owner = model.Owner("interface", oid)

    def _worlds(self) -> list[tuple[int, int]]:
        """Append the enabled worlds; (local index, final id) of each."""
        new_worlds: list[tuple[int, int]] = []
        for i, w in enumerate(self.local.worlds):
            if not self.enabled(w.stability, self.local.where_of(w)):
                continue
            imports = self.update_items(w.imports, w)
            exports = self.update_items(w.exports, w)
            wid = len(self.r.worlds)
            self.world_ids[i] = wid
            self.r.worlds.append(
                model.World(
                    w.name, imports, exports, self.pid, w.docs, w.stability, self._span(w)
                )
            )
            new_worlds.append((i, wid))
        return new_worlds

    def _world_owners(self) -> None:
        for td, gid, oid in self._owned("world"):
            if oid is None:
                raise self._err_at(
                    td,
                    "found a reference to a world which is excluded due to its feature not "
                    "being activated; this type is not gated by a feature but its world is",
                )
            self.r.types[gid].owner = model.Owner("world", oid)

    def _includes(self, index: int) -> list[Included]:
        """The enabled `include`s of the local world `index`, with final world ids."""
        local = self.local
        out: list[Included] = []
        for inc in local.includes.get(local.world_base + index, []):
            if not self.enabled(stability(inc.node.gate), ast.Where(inc.file, inc.node.path.pos)):
                continue
            target = inc.target
            if target >= local.world_base:
                final = self.world_ids[target - local.world_base]
                if final is None:
                    raise inc.file.error(
                        "found a reference to a world which is excluded due to its feature "
                        "not being activated",
                        inc.node.path.pos,
                    )
                target = final
            out.append(Included(target, inc.node, inc.file))
        return out
