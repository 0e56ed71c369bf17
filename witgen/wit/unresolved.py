"""Step 1 of resolving a package: its syntax trees to local model objects.

Local items are model objects that refer to each other directly (a `TypeDef` object stands for
a type of this package, an `int` for a type of an earlier package). Interfaces and worlds are
ordered by their `use`/`include` edges, types by their references, and anonymous types are
interned package-wide, all in wit-parser's order so that ids come out the same.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from witgen import model
from witgen.errors import WitError
from witgen.model import Prim
from witgen.wit import ast
from witgen.wit.kebab import canon, strong_key
from witgen.wit.loader import PackageUnit
from witgen.wit.toposort import toposort

PRIMS = {p.value: p for p in Prim}


@dataclass
class Context:
    resolve: model.Resolve
    features: frozenset[str]
    all_features: bool
    pkg_ids: dict[tuple, int] = field(default_factory=dict)


# A type reference during resolution: a primitive, a global id (earlier package) or a local
# TypeDef object (this package).
URef = object


@dataclass
class Where:
    file: ast.SourceFile
    pos: int

    def error(self, msg: str) -> WitError:
        return self.file.error(msg, self.pos)


class _Scope:
    """Names visible inside one interface or world: types (and, for worlds, other items)."""

    def __init__(self) -> None:
        self.types: dict[str, URef] = {}


class Unresolved:
    """Step 1: the AST of one package to local model objects."""

    def __init__(self, ctx: Context, unit: PackageUnit) -> None:
        self.ctx = ctx
        self.unit = unit
        self.types: list[model.TypeDef] = []  # local types in creation order
        self.interfaces: list[model.Interface] = []  # local interfaces in creation order
        self.worlds: list[model.World] = []
        self.where: dict[int, Where] = {}  # id(obj) -> where it was written
        self.anon: dict[tuple, model.TypeDef] = {}
        self.file: ast.SourceFile | None = None
        # name -> local Interface/World object, per package; per-file aliases from top-level use
        self.items: dict[str, object] = {}
        self.file_scope: dict[int, dict[str, object]] = {}
        self.includes: dict[int, list[tuple[ast.Include, ast.SourceFile]]] = {}
        self.foreign_refs: list[tuple[object, list[model.Stability]]] = []

    # --- helpers --------------------------------------------------------------------------

    def err(self, msg: str, pos: int) -> WitError:
        assert self.file is not None
        return self.file.error(msg, pos)

    def note(self, obj: object, pos: int) -> None:
        assert self.file is not None
        self.where[id(obj)] = Where(self.file, pos)

    def new_type(self, td: model.TypeDef, pos: int) -> model.TypeDef:
        self.types.append(td)
        self.note(td, pos)
        return td

    # --- top level ----------------------------------------------------------------------

    def run(self) -> None:
        order = self.populate_items()
        for obj, node, file in order:
            self.file = file
            if isinstance(obj, model.Interface):
                self.resolve_interface(obj, node)
        for obj, node, file in order:
            self.file = file
            if isinstance(obj, model.World):
                self.resolve_world(obj, node)

    def populate_items(self) -> list[tuple[object, object, ast.SourceFile]]:
        decls: list[tuple[str, object, ast.SourceFile, ast.Id]] = []
        for body in self.unit.bodies:
            assert body.file is not None
            self.file = body.file
            for item in body.items:
                if isinstance(item, (ast.Interface, ast.World)):
                    name = item.name
                    assert name is not None
                    if name.name in self.items:
                        raise self.err(f"duplicate item named `{name.name}`", name.pos)
                    self.items[name.name] = (item, body.file)
                    decls.append((name.name, item, body.file, name))
        # file scopes: top-level `use` aliases; a name may appear once per file
        for body in self.unit.bodies:
            assert body.file is not None
            self.file = body.file
            scope: dict[str, object] = {}
            seen: set[str] = set()
            for item in body.items:
                if isinstance(item, ast.TopUse):
                    if item.gate.pos != -1:
                        raise self.err("attributes not allowed on top-level use", item.gate.pos)
                    ident = item.alias or item.path.name
                    if item.path.package is None and item.path.name.name not in self.items:
                        raise self.err(
                            f"interface or world `{item.path.name.name}` does not exist",
                            item.path.name.pos,
                        )
                    scope[ident.name] = item.path
                else:
                    ident = item.name
                if ident.name in seen:
                    raise self.err(f"duplicate name `{ident.name}` in this file", ident.pos)
                seen.add(ident.name)
            self.file_scope[id(body.file)] = scope
        self.check_foreign_kinds()
        # dependency edges between local interfaces and worlds
        index = {name: i for i, (name, *_rest) in enumerate(decls)}
        edges: list[list[tuple[int, object]]] = [[] for _ in decls]
        for i, (_name, node, file, _id) in enumerate(decls):
            self.file = file
            paths: list[tuple[ast.UsePath, bool]] = []  # (path, is include)
            if isinstance(node, ast.Interface):
                paths = [(u.path, False) for u in node.items if isinstance(u, ast.Use)]
            else:
                assert isinstance(node, ast.World)
                for wi in node.items:
                    if isinstance(wi, ast.WorldExtern) and isinstance(wi.item, ast.ExternInterface):
                        paths += [
                            (u.path, False) for u in wi.item.body.items if isinstance(u, ast.Use)
                        ]
                    elif isinstance(wi, ast.Include):
                        paths.append((wi.path, True))
            for p, is_include in paths:
                if p.package is not None:
                    continue
                target = self.local_name(p.name.name, file)
                if isinstance(target, ast.UsePath):
                    if target.package is not None:
                        continue
                    target_name = target.name.name
                else:
                    target_name = p.name.name
                if target_name not in index:
                    raise self.err(f"interface or world `{p.name.name}` does not exist", p.name.pos)
                j = index[target_name]
                if isinstance(decls[j][1], ast.World) != is_include:
                    continue  # reported as a kind mismatch when the path is resolved
                edges[i].append((j, None))
        order = toposort(
            len(decls), edges, lambda j, _w: self._cycle_error(decls[j][3], decls[j][2])
        )
        out = []
        for i in order:
            name, node, file, ident = decls[i]
            self.file = file
            if isinstance(node, ast.Interface):
                obj: object = model.Interface(name, {}, {}, None)
                self.interfaces.append(obj)  # type: ignore[arg-type]
            else:
                obj = model.World(name, {}, {}, None)
                self.worlds.append(obj)  # type: ignore[arg-type]
            self.note(obj, ident.pos)
            self.items[name] = obj
            out.append((obj, node, file))
        return out

    def check_foreign_kinds(self) -> None:
        """A foreign name is an interface or a world for the whole package, never both."""
        kinds: dict[tuple, str] = {}
        lookups: list[tuple[ast.UsePath, model.Stability, ast.SourceFile | None]] = []

        def see(p: ast.UsePath, kind: str, stab: model.Stability) -> None:
            if p.package is None:
                return
            key = (p.package.key, p.name.name)
            prev = kinds.setdefault(key, kind)
            if prev != kind:
                other = "an interface" if prev == "interface" else "a world"
                raise self.err(
                    f"name `{p.name.name}` is defined as {other}, not {'a world' if kind == 'world' else 'an interface'}",
                    p.name.pos,
                )
            if kind == "interface":
                lookups.append((p, stab, self.file))  # type: ignore[arg-type]

        for body in self.unit.bodies:
            assert body.file is not None
            self.file = body.file
            for item in body.items:
                if isinstance(item, ast.Interface):
                    for u in item.items:
                        if isinstance(u, ast.Use):
                            see(u.path, "interface", self.stability(u.gate))
                elif isinstance(item, ast.World):
                    for wi in item.items:
                        if isinstance(wi, ast.Use):
                            see(wi.path, "interface", self.stability(wi.gate))
                        elif isinstance(wi, ast.Include):
                            see(wi.path, "world", self.stability(wi.gate))
                    for direction in ("import", "export"):
                        for wi in item.items:
                            if isinstance(wi, ast.WorldExtern) and wi.direction == direction:
                                if isinstance(wi.item, ast.ExternPath):
                                    see(wi.item.path, "interface", self.stability(wi.gate))
                elif isinstance(item, ast.TopUse):
                    see(item.path, "interface", model.Stability())
        for p, stab, file in lookups:
            self.file = file
            self.foreign(p, "interface", stab)

    def _cycle_error(self, ident: ast.Id, file: ast.SourceFile) -> WitError:
        return file.error(f"interface or world `{ident.name}` depends on itself", ident.pos)

    def local_name(self, name: str, file: ast.SourceFile) -> object:
        scope = self.file_scope.get(id(file), {})
        if name in scope:
            return scope[name]
        return self.items.get(name)

    # --- paths ----------------------------------------------------------------------------

    def resolve_iface_path(self, p: ast.UsePath, stab: model.Stability) -> object:
        """A `use`/`import` path to a local Interface object or a global interface id."""
        assert self.file is not None
        if p.package is None:
            target = self.local_name(p.name.name, self.file)
            if isinstance(target, ast.UsePath):
                return self.resolve_iface_path(target, stab)
            if target is None:
                raise self.err(f"interface or world `{p.name.name}` does not exist", p.name.pos)
            if isinstance(target, tuple):  # not yet allocated (cannot happen after toposort)
                target = self.items[p.name.name]
            if isinstance(target, model.World):
                raise self.err(
                    f"name `{p.name.name}` is defined as a world, not an interface", p.name.pos
                )
            return target
        return self.foreign(p, "interface", stab)

    def resolve_world_path(self, p: ast.UsePath) -> object:
        assert self.file is not None
        if p.package is None:
            target = self.local_name(p.name.name, self.file)
            if isinstance(target, ast.UsePath):
                return self.resolve_world_path(target)
            if target is None:
                raise self.err(f"interface or world `{p.name.name}` does not exist", p.name.pos)
            if isinstance(target, model.Interface):
                raise self.err(
                    f"name `{p.name.name}` is defined as an interface, not a world", p.name.pos
                )
            return target
        return self.foreign(p, "world", model.Stability())

    def foreign(self, p: ast.UsePath, kind: str, stab: model.Stability) -> int:
        assert p.package is not None
        r = self.ctx.resolve
        pid = self.ctx.pkg_ids.get(p.package.key)
        if pid is None:
            known = sorted(str(pkg.name) for pkg in r.packages)
            msg = f"package '{p.package}' not found"
            if known:
                msg += ". known packages:\n" + "\n".join(f"    {k}" for k in known)
            raise self.err(msg, p.package.pos)
        pkg = r.packages[pid]
        table = pkg.interfaces if kind == "interface" else pkg.worlds
        if p.name.name not in table:
            if not self.active(stab):
                return _GATED_OFF  # type: ignore[return-value]
            raise self.err(f"{kind} '{p.name.name}' not found in package '{p.package}'", p.name.pos)
        return table[p.name.name]

    # --- stability ------------------------------------------------------------------------

    def active(self, s: model.Stability) -> bool:
        return s.kind != "unstable" or self.ctx.all_features or s.feature in self.ctx.features

    def stability(self, gate: ast.Gate) -> model.Stability:
        if gate.kind == "unknown":
            return model.Stability()
        return model.Stability(gate.kind, gate.since, gate.feature, gate.deprecated)

    # --- interfaces -----------------------------------------------------------------------

    def resolve_interface(
        self, iface: model.Interface, node: ast.Interface, inline: bool = False
    ) -> None:
        if not inline:
            iface.docs = node.docs
            iface.stability = self.stability(node.gate)
        scope = _Scope()
        owner = iface
        uses = [u for u in node.items if isinstance(u, ast.Use)]
        decls = [d for d in node.items if isinstance(d, ast.TypeDecl)]
        self.resolve_types(owner, scope, uses, decls)
        iface.types = {name: t for name, t in scope.types.items()}  # type: ignore[misc]
        names: dict[str, str] = {}
        for name in iface.types:
            self._unique(names, name, self._pos_of(iface.types[name]))
        for item in node.items:
            if isinstance(item, ast.Func):
                f = self.resolve_func(
                    item.name,
                    item.ty,
                    "async-freestanding" if item.ty.is_async else "freestanding",
                    None,
                    scope,
                )
                f.docs, f.stability = item.docs, self.stability(item.gate)
                f.external_id = item.gate.external_id
                self._add_func(iface.functions, f, names, item.name.pos)
            elif isinstance(item, ast.TypeDecl) and item.kind == "resource":
                res = scope.types.get(item.name.name)
                for rf in item.funcs:
                    f = self.resource_func(rf, item.name.name, res, scope)
                    self._add_func(iface.functions, f, names, rf.name.pos)

    def _pos_of(self, obj: object) -> int:
        w = self.where.get(id(obj))
        return w.pos if w else 0

    def _unique(self, names: dict[str, str], name: str, pos: int) -> None:
        """Strong uniqueness of the names in one scope (component-model name rules)."""
        key = strong_key(name)
        prev = names.get(key)
        if prev is not None:
            if prev == name:
                raise self.err(f"duplicate name `{name}`", pos)
            raise self.err(f"name `{name}` conflicts with previous name `{prev}`", pos)
        names[key] = name

    def _add_func(
        self, funcs: dict[str, model.Function], f: model.Function, names: dict[str, str], pos: int
    ) -> None:
        if f.name in funcs:
            raise self.err(f"name `{f.item_name}` is defined more than once", pos)
        self._unique(names, f.name, pos)
        funcs[f.name] = f

    def resolve_types(
        self,
        owner: object,
        scope: _Scope,
        uses: list[ast.Use],
        decls: list[ast.TypeDecl],
    ) -> None:
        # `use` statements first: each creates a local alias type
        entries: dict[str, object] = {}
        for u in uses:
            stab = self.stability(u.gate)
            target = self.resolve_iface_path(u.path, stab)
            for name, alias in u.names:
                local = alias or name
                src = self.iface_type(target, name, stab)
                td = self.new_type(
                    model.TypeDef(
                        local.name,
                        model.Alias(src),
                        self._owner(owner),
                        None,
                        stab,
                        external_id=u.gate.external_id,
                    ),
                    local.pos,
                )
                if local.name in entries:
                    raise self.err(f"name `{local.name}` is defined more than once", local.pos)
                entries[local.name] = td
                scope.types[local.name] = td
        by_name: dict[str, ast.TypeDecl] = {}
        for d in decls:
            if d.name.name in by_name:
                raise self.err(f"name `{d.name.name}` is defined more than once", d.name.pos)
            if d.name.name in entries:
                # a typedef written before a `use` of the same name is dropped (wit-parser quirk);
                # one written after it is a duplicate
                if self._pos_of(entries[d.name.name]) < d.name.pos:
                    raise self.err(f"name `{d.name.name}` is defined more than once", d.name.pos)
                continue
            by_name[d.name.name] = d
        names = list(by_name)
        index = {n: i for i, n in enumerate(names)}
        edges = [
            [(index[dep.name], dep.pos) for dep in _type_deps(by_name[n]) if dep.name in index]
            for n in names
        ]
        for n in names:
            for dep in _type_deps(by_name[n]):
                if dep.name not in index and dep.name not in scope.types:
                    hint = ""
                    if dep.name in ("float32", "float64"):
                        hint = f" (did you mean `f{dep.name[5:]}`?)"
                    raise self.err(f"type `{dep.name}` does not exist{hint}", dep.pos)
        order = toposort(
            len(names),
            edges,
            lambda j, pos: self.err(f"type `{names[j]}` depends on itself", pos),
        )
        for i in order:
            d = by_name[names[i]]
            stab = self.stability(d.gate)
            kind = self.typedef_kind(d, scope, stab)
            td = self.new_type(
                model.TypeDef(
                    d.name.name,
                    kind,
                    self._owner(owner),
                    d.docs,
                    stab,
                    external_id=d.gate.external_id,
                ),
                d.name.pos,
            )
            scope.types[d.name.name] = td

    def _owner(self, owner: object) -> model.Owner:
        # resolved to a real id in `_append`; keep the object for now
        o = model.Owner("interface" if isinstance(owner, model.Interface) else "world", -1)
        o._obj = owner  # type: ignore[attr-defined]
        return o

    def iface_type(self, target: object, name: ast.Id, stab: model.Stability) -> URef:
        if target is _GATED_OFF:
            return _GATED_OFF_TYPE
        if isinstance(target, int):
            iface = self.ctx.resolve.interfaces[target]
            if name.name in iface.types:
                return iface.types[name.name]
            if not self.active(stab):
                return _GATED_OFF_TYPE
            if any(
                f.item_name == name.name and f.kind == "freestanding"
                for f in iface.functions.values()
            ):
                raise self.err(f"cannot import function `{name.name}`", name.pos)
            raise self.err(f"type `{name.name}` not defined in interface", name.pos)
        assert isinstance(target, model.Interface)
        if name.name in target.types:
            return target.types[name.name]
        if name.name in target.functions:
            raise self.err(f"cannot import function `{name.name}`", name.pos)
        raise self.err(f"name `{name.name}` does not exist", name.pos)

    # --- type expressions -------------------------------------------------------------------

    def typedef_kind(self, d: ast.TypeDecl, scope: _Scope, stab: model.Stability):
        k = d.kind
        if k == "alias":
            assert d.ty is not None
            return self.type_kind(d.ty, scope, stab, named=True)
        if k == "resource":
            return model.Resource()
        if k == "record":
            if not d.members:
                raise self.err("empty record", d.name.pos)
            self._members_unique(d.members, "field")
            fields = []
            for m in d.members:
                f = model.Field(m.name.name, self.ty(m.ty, scope, stab), m.docs)  # type: ignore[arg-type]
                self.note(f, m.name.pos)
                fields.append(f)
            return model.Record(fields)
        if k == "flags":
            if not d.members:
                raise self.err("empty flags", d.name.pos)
            self._members_unique(d.members, "flag")
            return model.Flags([model.Flag(m.name.name, m.docs) for m in d.members])
        if k == "variant":
            if not d.members:
                raise self.err("empty variant", d.name.pos)
            self._members_unique(d.members, "case")
            return model.Variant(
                [
                    model.Case(
                        m.name.name,
                        self.ty(m.ty, scope, stab) if m.ty is not None else None,
                        m.docs,
                    )
                    for m in d.members
                ]
            )
        if k == "enum":
            if not d.members:
                raise self.err("empty enum", d.name.pos)
            self._members_unique(d.members, "case")
            return model.Enum_([model.EnumCase(m.name.name, m.docs) for m in d.members])
        raise AssertionError(k)

    def _members_unique(self, members: list[ast.Named], what: str) -> None:
        seen: dict[str, str] = {}
        for m in members:
            key = canon(m.name.name)
            prev = seen.get(key)
            if prev is not None:
                if prev == m.name.name:
                    raise self.err(f"duplicate {what} `{m.name.name}`", m.name.pos)
                raise self.err(
                    f"{what} `{m.name.name}` conflicts with previous {what} `{prev}`", m.name.pos
                )
            seen[key] = m.name.name

    def ty(self, t: ast.Ty, scope: _Scope, ctx: model.Stability) -> URef:
        """A type expression in a value position: a Type reference (anonymous types interned)."""
        if getattr(t, "depth", 0) > MAX_TYPE_DEPTH:
            self._too_deep(t)
        if isinstance(t, ast.TPrim):
            return PRIMS[t.name]
        if isinstance(t, ast.TName):
            return self.lookup(t.name, scope)
        kind = self.type_kind(t, scope, ctx, named=False)
        if isinstance(kind, model.Alias):  # anonymous own<T> is just T
            return kind.type
        return self.anon_type(kind, ctx, t.pos)

    def _too_deep(self, t: ast.Ty) -> None:
        cur = t
        for _ in range(MAX_TYPE_DEPTH):
            cur = max(
                (c for c in _ty_children(cur) if c is not None),
                key=lambda c: getattr(c, "depth", 0),
            )
        raise self.err("type nesting too deep", _ty_pos(cur))

    def lookup(self, name: ast.Id, scope: _Scope) -> URef:
        if name.name in scope.types:
            return scope.types[name.name]
        known = list(scope.types) + list(PRIMS)
        close = difflib.get_close_matches(name.name, known, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise self.err(f"name `{name.name}` does not exist{hint}", name.pos)

    def type_kind(self, t: ast.Ty, scope: _Scope, ctx: model.Stability, named: bool):
        if named and getattr(t, "depth", 0) > MAX_TYPE_DEPTH:
            self._too_deep(t)
        if isinstance(t, (ast.TPrim, ast.TName)):
            return model.Alias(self.ty(t, scope, ctx))
        if isinstance(t, ast.TList):
            return model.List(self.ty(t.elem, scope, ctx))
        if isinstance(t, ast.TFixedList):
            return model.FixedList(self.ty(t.elem, scope, ctx), t.size)
        if isinstance(t, ast.TMap):
            key = self.ty(t.key, scope, ctx)
            if not isinstance(key, Prim) or key in (Prim.F32, Prim.F64, Prim.ERROR_CONTEXT):
                raise self.err(
                    "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, "
                    "s32, s64, char, or string",
                    t.pos,
                )
            return model.Map(key, self.ty(t.value, scope, ctx))
        if isinstance(t, ast.TOption):
            return model.Option_(self.ty(t.elem, scope, ctx))
        if isinstance(t, ast.TResult):
            ok = self.ty(t.ok, scope, ctx) if t.ok is not None else None
            err = self.ty(t.err, scope, ctx) if t.err is not None else None
            return model.Result_(ok, err)
        if isinstance(t, ast.TTuple):
            if not t.elems:
                raise self.err("empty tuple", t.pos)
            return model.Tuple([self.ty(e, scope, ctx) for e in t.elems])
        if isinstance(t, ast.TFuture):
            return model.Future(self.ty(t.elem, scope, ctx) if t.elem is not None else None)
        if isinstance(t, ast.TStream):
            return model.Stream(self.ty(t.elem, scope, ctx) if t.elem is not None else None)
        if isinstance(t, ast.THandle):
            res = self.lookup(t.resource, scope)
            if not self.is_resource(res):
                raise self.err(
                    f"type `{t.resource.name}` used in a handle must be a resource", t.resource.pos
                )
            if t.kind == "own" and not named:
                return model.Alias(res)
            return model.Handle(t.kind, res)  # type: ignore[arg-type]
        raise AssertionError(t)

    def is_resource(self, t: URef) -> bool:
        seen = 0
        while seen < 1000:
            seen += 1
            if isinstance(t, Prim):
                return False
            td = self.ctx.resolve.types[t] if isinstance(t, int) else t
            assert isinstance(td, model.TypeDef)
            if isinstance(td.kind, model.Resource):
                return True
            if isinstance(td.kind, model.Alias):
                t = td.kind.type
                continue
            return False
        return False

    def anon_type(self, kind, ctx: model.Stability, pos: int) -> model.TypeDef:
        key = _anon_key(kind)
        hit = self.anon.get(key)
        if hit is not None:
            return hit
        stab = ctx if not ctx.is_unknown else self._find_stability(kind)
        td = self.new_type(model.TypeDef(None, kind, None, None, stab), pos)
        self.anon[key] = td
        return td

    def _find_stability(self, kind) -> model.Stability:
        for ref in model.kind_refs(kind):
            if isinstance(ref, Prim):
                continue
            td = self.ctx.resolve.types[ref] if isinstance(ref, int) else ref
            if not td.stability.is_unknown:  # type: ignore[union-attr]
                return td.stability  # type: ignore[union-attr]
        return model.Stability()

    # --- functions --------------------------------------------------------------------------

    def resolve_func(
        self,
        name: ast.Id,
        ft: ast.FuncType,
        kind: str,
        resource: object,
        scope: _Scope,
        abi_name: str | None = None,
    ) -> model.Function:
        none = model.Stability()
        params: list[model.Param] = []
        seen: dict[str, str] = {}
        if kind in ("method", "async-method"):
            params.append(
                model.Param(
                    "self", self.anon_type(model.Handle("borrow", resource), none, name.pos)
                )
            )  # type: ignore[arg-type]
            seen["self"] = "self"
        for p in ft.params:
            key = canon(p.name.name)
            if key in seen:
                raise self.err(f"param `{p.name.name}` is defined more than once", p.name.pos)
            seen[key] = p.name.name
            params.append(model.Param(p.name.name, self.ty(p.ty, scope, none)))
        result = self.ty(ft.result, scope, none) if ft.result is not None else None
        f = model.Function(abi_name or name.name, kind, params, result, resource)  # type: ignore[arg-type]
        self.note(f, name.pos)
        return f

    def resource_func(
        self, rf: ast.ResourceFunc, res_name: str, res: object, scope: _Scope
    ) -> model.Function:
        if rf.kind == "constructor":
            f = self.resolve_func(
                rf.name, rf.ty, "constructor", res, scope, f"[constructor]{res_name}"
            )
            if rf.ty.result is None:
                f.result = res  # type: ignore[assignment]
            else:
                self._check_ctor_result(rf, res, f.result)
        else:
            is_async = rf.ty.is_async
            kind = ("async-" if is_async else "") + rf.kind
            f = self.resolve_func(
                rf.name, rf.ty, kind, res, scope, f"[{rf.kind}]{res_name}.{rf.name.name}"
            )
        f.docs, f.stability = rf.docs, self.stability(rf.gate)
        f.external_id = rf.gate.external_id
        return f

    def _check_ctor_result(self, rf: ast.ResourceFunc, res: object, result: object) -> None:
        ok = False
        if isinstance(result, model.TypeDef) and isinstance(result.kind, model.Result_):
            ok_t = result.kind.ok
            if ok_t is not res:
                ok_ast = rf.ty.result.ok if isinstance(rf.ty.result, ast.TResult) else None
                raise self.err(
                    "the `ok` type must be the resource being constructed",
                    _ty_pos(ok_ast or rf.ty.result),
                )
            ok = True
        if not ok:
            raise self.err(
                "if a constructor return type is declared it must be a `result`",
                _ty_pos(rf.ty.result),
            )

    # --- worlds -----------------------------------------------------------------------------

    def resolve_world(self, world: model.World, node: ast.World) -> None:
        world.docs = node.docs
        world.stability = self.stability(node.gate)
        scope = _Scope()
        uses = [u for u in node.items if isinstance(u, ast.Use)]
        decls = [d for d in node.items if isinstance(d, ast.TypeDecl)]
        self.resolve_types(world, scope, uses, decls)
        assert self.file is not None
        self.includes[id(world)] = [
            (inc, self.file) for inc in node.items if isinstance(inc, ast.Include)
        ]
        for inc in self.includes[id(world)]:
            inc[0]._target = self.resolve_world_path(inc[0].path)  # type: ignore[attr-defined]
        imports: dict[object, model.WorldItem] = {}
        exports: dict[object, model.WorldItem] = {}
        kinds: dict[str, str] = {}  # import name -> "type"/"func"/"interface"
        for name, t in scope.types.items():
            imports[name] = model.TypeItem(t)  # type: ignore[arg-type]
            kinds[name] = "type"
        ekinds: dict[str, str] = {}
        for item in node.items:
            if isinstance(item, ast.WorldExtern):
                self._world_extern(world, item, scope, imports, exports, kinds, ekinds)
            elif isinstance(item, ast.TypeDecl) and item.kind == "resource":
                res = scope.types.get(item.name.name)
                for rf in item.funcs:
                    f = self.resource_func(rf, item.name.name, res, scope)
                    if f.name in imports:
                        raise self.err(
                            f"import `{f.name}` conflicts with prior func of same name", rf.name.pos
                        )
                    imports[f.name] = model.FunctionItem(f)
        for items, what in ((imports, "import"), (exports, "export")):
            seen: dict[str, str] = {}
            for key in items:
                if isinstance(key, str):
                    ck = strong_key(key)
                    prev = seen.get(ck)
                    if prev is not None and prev != key:
                        raise self.err(
                            f"{what} `{key}` in world `{world.name}` conflicts with {what} "
                            f"`{prev}` (kebab-case identifiers are case-insensitive)",
                            self._pos_of(items[key]),
                        )
                    seen[ck] = key
        world.imports = imports  # type: ignore[assignment]
        world.exports = exports  # type: ignore[assignment]

    def _world_extern(self, world, item: ast.WorldExtern, scope, imports, exports, kinds, ekinds):
        table = imports if item.direction == "import" else exports
        names = kinds if item.direction == "import" else ekinds
        stab = self.stability(item.gate)
        x = item.item
        if isinstance(x, ast.ExternPath) and x.label is not None:
            label = x.label
            if label.name in names:
                prev = names[label.name]
                raise self.err(
                    f"{item.direction} `{label.name}` conflicts with prior {prev} of same name",
                    label.pos,
                )
            target = self.resolve_iface_path(x.path, stab)
            wi = model.InterfaceItem(target, stab, item.docs, item.gate.external_id)  # type: ignore[arg-type]
            table[label.name] = wi
            names[label.name] = "interface"
            return
        if isinstance(x, ast.ExternPath):
            target = self.resolve_iface_path(x.path, stab)
            if IfaceKey(target) in table:
                raise self.err(f"interface cannot be {item.direction}ed more than once", x.path.pos)
            wi = model.InterfaceItem(target, stab, item.docs, item.gate.external_id)  # type: ignore[arg-type]
            table[IfaceKey(target)] = wi
            return
        name = x.name
        if name.name in names:
            prev = names[name.name]
            raise self.err(
                f"{item.direction} `{name.name}` conflicts with prior {prev} of same name", name.pos
            )
        if isinstance(x, ast.ExternFunc):
            kind = "async-freestanding" if x.func.is_async else "freestanding"
            f = self.resolve_func(name, x.func, kind, None, scope)
            f.docs, f.stability = item.docs, stab
            f.external_id = item.gate.external_id
            table[name.name] = model.FunctionItem(f)
            self.note(table[name.name], name.pos)
            names[name.name] = "func"
        else:
            iface = model.Interface(None, {}, {}, None)
            self.interfaces.append(iface)
            self.note(iface, name.pos)
            iface.stability = stab
            self.resolve_interface(iface, x.body, inline=True)
            iface.docs = item.docs
            table[name.name] = model.InterfaceItem(  # type: ignore[arg-type]
                iface, stab, external_id=item.gate.external_id
            )
            self.note(table[name.name], name.pos)
            names[name.name] = "interface"


#: stand-ins for foreign items that only feature-gated-off statements refer to
_GATED_OFF = model.Interface(None, {}, {}, None)
_GATED_OFF_TYPE = model.TypeDef(None, model.Resource(), None)


class IfaceKey:
    """A world key that names an interface during resolution (an object or a global id)."""

    __slots__ = ("target",)

    def __init__(self, target: object) -> None:
        self.target = target

    def __hash__(self) -> int:
        return hash(id(self.target)) if not isinstance(self.target, int) else hash(self.target)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IfaceKey):
            return False
        if isinstance(self.target, int) or isinstance(other.target, int):
            return self.target == other.target
        return self.target is other.target


MAX_TYPE_DEPTH = 100


def _ty_children(t) -> list:
    if isinstance(t, ast.TMap):
        return [t.key, t.value]
    if isinstance(t, ast.TResult):
        return [t.ok, t.err]
    if isinstance(t, ast.TTuple):
        return list(t.elems)
    return [getattr(t, "elem", None)]


def _ty_pos(t: ast.Ty | None) -> int:
    if t is None:
        return 0
    if isinstance(t, ast.TName):
        return t.name.pos
    return t.pos  # type: ignore[union-attr]


def _type_deps(d: ast.TypeDecl) -> list[ast.Id]:
    out: list[ast.Id] = []

    def walk(t: ast.Ty | None) -> None:
        if t is None or isinstance(t, ast.TPrim):
            return
        if isinstance(t, ast.TName):
            out.append(t.name)
        elif isinstance(t, ast.THandle):
            out.append(t.resource)
        elif isinstance(t, ast.TMap):
            walk(t.key)
            walk(t.value)
        elif isinstance(t, ast.TResult):
            walk(t.ok)
            walk(t.err)
        elif isinstance(t, ast.TTuple):
            for e in t.elems:
                walk(e)
        else:
            walk(t.elem)  # type: ignore[union-attr]

    if d.kind == "alias":
        walk(d.ty)
    elif d.kind in ("record", "variant"):
        for m in d.members:
            walk(m.ty)
    return out


def _ref_key(t: object) -> object:
    if isinstance(t, Prim):
        return t.value
    if isinstance(t, int):
        return ("g", t)
    return ("l", id(t))


def _anon_key(kind) -> tuple:
    k = _ref_key
    if isinstance(kind, model.List):
        return ("list", k(kind.type))
    if isinstance(kind, model.FixedList):
        return ("fixed", k(kind.type), kind.size)
    if isinstance(kind, model.Map):
        return ("map", k(kind.key), k(kind.value))
    if isinstance(kind, model.Option_):
        return ("option", k(kind.type))
    if isinstance(kind, model.Result_):
        return (
            "result",
            None if kind.ok is None else k(kind.ok),
            None if kind.err is None else k(kind.err),
        )
    if isinstance(kind, model.Tuple):
        return ("tuple", tuple(k(t) for t in kind.types))
    if isinstance(kind, model.Future):
        return ("future", None if kind.type is None else k(kind.type))
    if isinstance(kind, model.Stream):
        return ("stream", None if kind.type is None else k(kind.type))
    if isinstance(kind, model.Handle):
        return ("handle", kind.kind, k(kind.resource))
    raise AssertionError(kind)
