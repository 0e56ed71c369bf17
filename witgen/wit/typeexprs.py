"""Types of one interface or world: `use`d names, type definitions and type expressions.

`TypeResolver` turns a scope's `use` statements into local alias types, orders its type
definitions by their references (wit-parser's order, so ids match), and resolves every type
expression to a model `Type`: anonymous types (`list<u8>`, `option<t>`, ...) are interned
package-wide, `own<r>` outside a definition is just `r`.
"""

from __future__ import annotations

from typing import assert_never

from witgen import model
from witgen.model import Prim
from witgen.records import field, record
from witgen.wit import ast
from witgen.wit.kebab import canon
from witgen.wit.local import GATED_OFF, AnonKey, LocalPackage, stability
from witgen.wit.paths import PackageItems
from witgen.wit.toposort import toposort

PRIMS = {p.value: p for p in Prim}
MAX_TYPE_DEPTH = 100


@record(slots=False)
class Scope:
    """The type names visible inside one interface or world, each a local type id."""

    types: dict[str, model.TypeId] = field(default_factory=dict)


class TypeResolver:
    def __init__(self, local: LocalPackage, items: PackageItems) -> None:
        self.local = local
        self.items = items

    # --- the types of a scope ---------------------------------------------------------------

    def resolve_types(
        self, owner: model.Owner, scope: Scope, uses: list[ast.Use], decls: list[ast.TypeDecl]
    ) -> None:
        """Fill `scope` with the aliases `uses` create, then `decls` in dependency order."""
        entries = self._use_aliases(owner, scope, uses)
        by_name: dict[str, ast.TypeDecl] = {}
        for d in decls:
            if d.name.name in by_name:
                raise self.local.err(f"name `{d.name.name}` is defined more than once", d.name.pos)
            if d.name.name in entries:
                # a typedef written before a `use` of the same name is dropped (wit-parser quirk);
                # one written after it is a duplicate
                if self.local.pos_of(self.local.typedef(entries[d.name.name])) < d.name.pos:
                    raise self.local.err(
                        f"name `{d.name.name}` is defined more than once", d.name.pos
                    )
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
                    raise self.local.err(f"type `{dep.name}` does not exist{hint}", dep.pos)
        order = toposort(
            len(names),
            edges,
            lambda j, pos: self.local.err(f"type `{names[j]}` depends on itself", pos),
        )
        for i in order:
            d = by_name[names[i]]
            stab = stability(d.gate)
            kind = self.typedef_kind(d, scope, stab)
            td = model.TypeDef(
                d.name.name,
                kind,
                model.Owner(owner.kind, owner.id),
                d.docs,
                stab,
                external_id=d.gate.external_id,
            )
            scope.types[d.name.name] = self.local.new_type(td, d.name.pos)

    def _use_aliases(
        self, owner: model.Owner, scope: Scope, uses: list[ast.Use]
    ) -> dict[str, model.TypeId]:
        """`use iface.{a, b as c};`: each name becomes a local alias of the interface's type."""
        entries: dict[str, model.TypeId] = {}
        for u in uses:
            stab = stability(u.gate)
            target = self.items.interface(u.path, stab)
            for name, alias in u.names:
                local = alias or name
                src = self.iface_type(target, name, stab)
                td = model.TypeDef(
                    local.name,
                    model.Alias(src),
                    model.Owner(owner.kind, owner.id),
                    None,
                    stab,
                    external_id=u.gate.external_id,
                )
                tid = self.local.new_type(td, local.pos)
                if local.name in entries:
                    raise self.local.err(
                        f"name `{local.name}` is defined more than once", local.pos
                    )
                entries[local.name] = tid
                scope.types[local.name] = tid
        return entries

    def iface_type(
        self, target: model.InterfaceId, name: ast.Id, stab: model.Stability
    ) -> model.TypeId:
        """The type `name` of interface `target` (for `use target.{name}`)."""
        err = self.local.err
        if target == GATED_OFF:
            return GATED_OFF
        if target < self.local.iface_base:
            iface = self.local.ctx.resolve.interfaces[target]
            if name.name in iface.types:
                return iface.types[name.name]
            if not self.local.ctx.active(stab):
                return GATED_OFF
            if any(
                f.item_name == name.name and f.kind == "freestanding"
                for f in iface.functions.values()
            ):
                raise err(f"cannot import function `{name.name}`", name.pos)
            raise err(f"type `{name.name}` not defined in interface", name.pos)
        local = self.local.interface(target)
        if name.name in local.types:
            return local.types[name.name]
        if name.name in local.functions:
            raise err(f"cannot import function `{name.name}`", name.pos)
        raise err(f"name `{name.name}` does not exist", name.pos)

    # --- type definitions -------------------------------------------------------------------

    def typedef_kind(
        self, d: ast.TypeDecl, scope: Scope, stab: model.Stability
    ) -> model.TypeDefKind:
        match d.kind:
            case "alias":
                assert d.ty is not None
                return self.type_kind(d.ty, scope, stab, named=True)
            case "resource":
                return model.Resource()
        if not d.members:
            raise self.local.err(f"empty {d.kind}", d.name.pos)
        match d.kind:
            case "record":
                self._members_unique(d.members, "field")
                fields = []
                for m in d.members:
                    assert m.ty is not None
                    f = model.Field(m.name.name, self.ty(m.ty, scope, stab), m.docs)
                    self.local.note(f, m.name.pos)
                    fields.append(f)
                return model.Record(fields)
            case "flags":
                self._members_unique(d.members, "flag")
                return model.Flags([model.Flag(m.name.name, m.docs) for m in d.members])
            case "variant":
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
            case "enum":
                self._members_unique(d.members, "case")
                return model.Enum_([model.EnumCase(m.name.name, m.docs) for m in d.members])
        raise AssertionError(d.kind)

    def _members_unique(self, members: list[ast.Named], what: str) -> None:
        seen: dict[str, str] = {}
        for m in members:
            key = canon(m.name.name)
            prev = seen.get(key)
            if prev is not None:
                if prev == m.name.name:
                    raise self.local.err(f"duplicate {what} `{m.name.name}`", m.name.pos)
                raise self.local.err(
                    f"{what} `{m.name.name}` conflicts with previous {what} `{prev}`", m.name.pos
                )
            seen[key] = m.name.name

    # --- type expressions -------------------------------------------------------------------

    def ty(self, t: ast.Ty, scope: Scope, ctx: model.Stability) -> model.Type:
        """A type expression in a value position (anonymous types interned)."""
        if t.depth > MAX_TYPE_DEPTH:
            self._too_deep(t)
        match t:
            case ast.TPrim(name):
                return PRIMS[name]
            case ast.TName(name):
                return self.lookup(name, scope)
        kind = self.type_kind(t, scope, ctx, named=False)
        if isinstance(kind, model.Alias):  # anonymous own<T> is just T
            return kind.type
        return self.anon_type(kind, ctx, t.pos)

    def _too_deep(self, t: ast.Ty) -> None:
        cur = t
        for _ in range(MAX_TYPE_DEPTH):
            cur = max(
                (c for c in _ty_children(cur) if c is not None),
                key=lambda c: c.depth,
            )
        raise self.local.err("type nesting too deep", cur.pos)

    def lookup(self, name: ast.Id, scope: Scope) -> model.TypeId:
        if name.name in scope.types:
            return scope.types[name.name]
        known = list(scope.types) + list(PRIMS)
        import difflib  # only for this error's hint: not imported by loads that succeed

        close = difflib.get_close_matches(name.name, known, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise self.local.err(f"name `{name.name}` does not exist{hint}", name.pos)

    def type_kind(
        self, t: ast.Ty, scope: Scope, ctx: model.Stability, named: bool
    ) -> model.TypeDefKind:
        """The kind a type expression defines (`named`: the right side of `type x = ...`)."""
        if named and t.depth > MAX_TYPE_DEPTH:
            self._too_deep(t)

        def ty(e: ast.Ty) -> model.Type:
            return self.ty(e, scope, ctx)

        def opt(e: ast.Ty | None) -> model.Type | None:
            return None if e is None else self.ty(e, scope, ctx)

        match t:
            case ast.TPrim() | ast.TName():
                return model.Alias(ty(t))
            case ast.TList(elem):
                return model.List(ty(elem))
            case ast.TFixedList(elem, size):
                return model.FixedList(ty(elem), size)
            case ast.TMap(key_ty, value_ty):
                key = ty(key_ty)
                if not isinstance(key, Prim) or key in (Prim.F32, Prim.F64, Prim.ERROR_CONTEXT):
                    raise self.local.err(
                        "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, "
                        "s16, s32, s64, char, or string",
                        t.pos,
                    )
                return model.Map(key, ty(value_ty))
            case ast.TOption(elem):
                return model.Option_(ty(elem))
            case ast.TResult(ok, err):
                return model.Result_(opt(ok), opt(err))
            case ast.TTuple(elems):
                if not elems:
                    raise self.local.err("empty tuple", t.pos)
                return model.Tuple([ty(e) for e in elems])
            case ast.TFuture(elem):
                return model.Future(opt(elem))
            case ast.TStream(elem):
                return model.Stream(opt(elem))
            case ast.THandle(kind, resource):
                res = self.lookup(resource, scope)
                if not self.is_resource(res):
                    raise self.local.err(
                        f"type `{resource.name}` used in a handle must be a resource",
                        resource.pos,
                    )
                if kind == "own" and not named:
                    return model.Alias(res)
                return model.Handle(kind, res)
            case _:
                assert_never(t)

    def is_resource(self, t: model.Type) -> bool:
        for _ in range(1000):
            if isinstance(t, Prim):
                return False
            kind = self.local.typedef(t).kind
            if isinstance(kind, model.Resource):
                return True
            if not isinstance(kind, model.Alias):
                return False
            t = kind.type
        return False

    def anon_type(
        self, kind: model.TypeDefKind, ctx: model.Stability, pos: int
    ) -> model.TypeId:
        key = _anon_key(kind)
        hit = self.local.anon.get(key)
        if hit is not None:
            return hit
        stab = ctx if not ctx.is_unknown else self._find_stability(kind)
        tid = self.local.new_type(model.TypeDef(None, kind, None, None, stab), pos)
        self.local.anon[key] = tid
        return tid

    def _find_stability(self, kind: model.TypeDefKind) -> model.Stability:
        for ref in model.kind_refs(kind):
            if isinstance(ref, Prim):
                continue
            td = self.local.typedef(ref)
            if not td.stability.is_unknown:
                return td.stability
        return model.Stability()


def _ty_children(t: ast.Ty) -> list[ast.Ty | None]:
    match t:
        case ast.TMap(key, value):
            return [key, value]
        case ast.TResult(ok, err):
            return [ok, err]
        case ast.TTuple(elems):
            return list(elems)
        case ast.TList(elem) | ast.TFixedList(elem) | ast.TOption(elem):
            return [elem]
        case ast.TFuture(elem) | ast.TStream(elem):
            return [elem]
        case ast.TPrim() | ast.TName() | ast.THandle():
            return []
        case _:
            assert_never(t)


def _type_deps(d: ast.TypeDecl) -> list[ast.Id]:
    """The names a type definition refers to, in order (without recursion: a type may nest
    far deeper than the limit before that limit is checked)."""
    out: list[ast.Id] = []
    if d.kind == "alias":
        roots = [d.ty]
    elif d.kind in ("record", "variant"):
        roots = [m.ty for m in d.members]
    else:
        roots = []
    stack = roots[::-1]
    while stack:
        t = stack.pop()
        match t:
            case None | ast.TPrim():
                pass
            case ast.TName(name):
                out.append(name)
            case ast.THandle(_, resource):
                out.append(resource)
            case _:
                stack.extend(_ty_children(t)[::-1])
    return out


def _ref_key(t: model.Type | None) -> object:
    return t.value if isinstance(t, Prim) else t


def _anon_key(kind: model.TypeDefKind) -> AnonKey:
    k = _ref_key
    match kind:
        case model.List(t):
            return ("list", k(t))
        case model.FixedList(t, size):
            return ("fixed", k(t), size)
        case model.Map(key, value):
            return ("map", k(key), k(value))
        case model.Option_(t):
            return ("option", k(t))
        case model.Result_(ok, err):
            return ("result", k(ok), k(err))
        case model.Tuple(types):
            return ("tuple", tuple(k(t) for t in types))
        case model.Future(t):
            return ("future", k(t))
        case model.Stream(t):
            return ("stream", k(t))
        case model.Handle(handle, resource):
            return ("handle", handle, k(resource))
        case model.Record() | model.Resource() | model.Flags() | model.Variant() | model.Enum_():
            raise AssertionError(f"{kind} is never anonymous")
        case model.Alias():
            raise AssertionError(f"{kind} is never anonymous")
        case _:
            assert_never(kind)
