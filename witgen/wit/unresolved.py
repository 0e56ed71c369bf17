"""Step 1 of resolving a package: its syntax trees to local model objects.

`resolve_local` declares and orders the package's interfaces and worlds (`witgen.wit.paths`),
then resolves each one: its types (`witgen.wit.typeexprs`), functions and, for worlds, imports,
exports and includes. The result is a `LocalPackage` whose objects carry provisional ids (see
`witgen.wit.local`); `witgen.wit.append` then copies it into the global arenas.
"""

from __future__ import annotations

from typing import assert_never

from witgen import model
from witgen.wit import ast
from witgen.wit.kebab import canon, strong_key
from witgen.wit.loader import PackageUnit
from witgen.wit.local import Context, IncludeRef, LocalPackage, stability
from witgen.wit.paths import PackageItems
from witgen.wit.typeexprs import Scope, TypeResolver

WorldItems = dict[model.WorldKey, model.WorldItem]


def resolve_local(ctx: Context, unit: PackageUnit) -> LocalPackage:
    local = LocalPackage(ctx, unit)
    items = PackageItems(ctx, local)
    order = items.declare()
    resolver = _Resolver(local, items)
    for d in order:
        local.file = d.file
        if isinstance(d.node, ast.Interface):
            resolver.interface(d.id, d.node)
    for d in order:
        local.file = d.file
        if isinstance(d.node, ast.World):
            resolver.world(d.id, d.node)
    return local


class _Resolver:
    """Resolves the interfaces and worlds of one package, in the order `declare` gave."""

    def __init__(self, local: LocalPackage, items: PackageItems) -> None:
        self.local = local
        self.items = items
        self.types = TypeResolver(local, items)

    # --- interfaces -----------------------------------------------------------------------

    def interface(self, iid: model.InterfaceId, node: ast.Interface, inline: bool = False) -> None:
        iface = self.local.interface(iid)
        if not inline:
            iface.docs = node.docs
            iface.stability = stability(node.gate)
        scope = Scope()
        uses = [u for u in node.items if isinstance(u, ast.Use)]
        decls = [d for d in node.items if isinstance(d, ast.TypeDecl)]
        self.types.resolve_types(model.Owner("interface", iid), scope, uses, decls)
        iface.types = dict(scope.types)
        names: dict[str, str] = {}
        for type_name, t in iface.types.items():
            self._unique(names, type_name, self.local.pos_of(self.local.typedef(t)))
        for item in node.items:
            match item:
                case ast.Func(name, ty):
                    kind = "async-freestanding" if ty.is_async else "freestanding"
                    f = self.function(name, ty, kind, None, scope)
                    f.docs, f.stability = item.docs, stability(item.gate)
                    f.external_id = item.gate.external_id
                    self._add_func(iface.functions, f, names, name.pos)
                case ast.TypeDecl(kind="resource"):
                    res = scope.types.get(item.name.name)
                    for rf in item.funcs:
                        f = self.resource_function(rf, item.name.name, res, scope)
                        self._add_func(iface.functions, f, names, rf.name.pos)
                case ast.Use() | ast.TypeDecl():
                    pass
                case _:
                    assert_never(item)

    def _unique(self, names: dict[str, str], name: str, pos: int) -> None:
        """Strong uniqueness of the names in one scope (component-model name rules)."""
        key = strong_key(name)
        prev = names.get(key)
        if prev is not None:
            if prev == name:
                raise self.local.err(f"duplicate name `{name}`", pos)
            raise self.local.err(f"name `{name}` conflicts with previous name `{prev}`", pos)
        names[key] = name

    def _add_func(
        self, funcs: dict[str, model.Function], f: model.Function, names: dict[str, str], pos: int
    ) -> None:
        if f.name in funcs:
            raise self.local.err(f"name `{f.item_name}` is defined more than once", pos)
        self._unique(names, f.name, pos)
        funcs[f.name] = f

    # --- functions --------------------------------------------------------------------------

    def function(
        self,
        name: ast.Id,
        ft: ast.FuncType,
        kind: str,
        resource: model.TypeId | None,
        scope: Scope,
        abi_name: str | None = None,
    ) -> model.Function:
        none = model.Stability()
        params: list[model.Param] = []
        seen: dict[str, str] = {}
        if kind in ("method", "async-method"):
            assert resource is not None
            handle = self.types.anon_type(model.Handle("borrow", resource), none, name.pos)
            params.append(model.Param("self", handle))
            seen["self"] = "self"
        for p in ft.params:
            key = canon(p.name.name)
            if key in seen:
                raise self.local.err(f"param `{p.name.name}` is defined more than once", p.name.pos)
            seen[key] = p.name.name
            params.append(model.Param(p.name.name, self.types.ty(p.ty, scope, none)))
        result = self.types.ty(ft.result, scope, none) if ft.result is not None else None
        f = model.Function(abi_name or name.name, kind, params, result, resource)
        self.local.note(f, name.pos)
        return f

    def resource_function(
        self, rf: ast.ResourceFunc, res_name: str, res: model.TypeId | None, scope: Scope
    ) -> model.Function:
        if rf.kind == "constructor":
            abi = f"[constructor]{res_name}"
            f = self.function(rf.name, rf.ty, "constructor", res, scope, abi)
            if rf.ty.result is None:
                f.result = res
            else:
                self._check_ctor_result(rf.ty.result, res, f.result)
        else:
            kind = ("async-" if rf.ty.is_async else "") + rf.kind
            abi = f"[{rf.kind}]{res_name}.{rf.name.name}"
            f = self.function(rf.name, rf.ty, kind, res, scope, abi)
        f.docs, f.stability = rf.docs, stability(rf.gate)
        f.external_id = rf.gate.external_id
        return f

    def _check_ctor_result(
        self, written: ast.Ty, res: model.TypeId | None, result: model.Type | None
    ) -> None:
        td = self.local.local_typedef(result)
        if td is None or not isinstance(td.kind, model.Result_):
            raise self.local.err(
                "if a constructor return type is declared it must be a `result`", written.pos
            )
        if td.kind.ok != res:
            ok_ast = written.ok if isinstance(written, ast.TResult) else None
            raise self.local.err(
                "the `ok` type must be the resource being constructed", (ok_ast or written).pos
            )

    # --- worlds -----------------------------------------------------------------------------

    def world(self, wid: model.WorldId, node: ast.World) -> None:
        world = self.local.worlds[wid - self.local.world_base]
        world.docs = node.docs
        world.stability = stability(node.gate)
        scope = Scope()
        uses = [u for u in node.items if isinstance(u, ast.Use)]
        decls = [d for d in node.items if isinstance(d, ast.TypeDecl)]
        self.types.resolve_types(model.Owner("world", wid), scope, uses, decls)
        file = self.local.file
        includes = [inc for inc in node.items if isinstance(inc, ast.Include)]
        self.local.includes[wid] = [
            IncludeRef(inc, file, self.items.world(inc.path)) for inc in includes
        ]
        imports: WorldItems = {name: model.TypeItem(t) for name, t in scope.types.items()}
        exports: WorldItems = {}
        externs = _Externs(imports, exports, dict.fromkeys(scope.types, "type"))
        for item in node.items:
            match item:
                case ast.WorldExtern():
                    self._extern(item, scope, externs)
                case ast.TypeDecl(kind="resource"):
                    res = scope.types.get(item.name.name)
                    for rf in item.funcs:
                        f = self.resource_function(rf, item.name.name, res, scope)
                        if f.name in imports:
                            raise self.local.err(
                                f"import `{f.name}` conflicts with prior func of same name",
                                rf.name.pos,
                            )
                        imports[f.name] = model.FunctionItem(f)
        for items, what in ((imports, "import"), (exports, "export")):
            self._check_world_names(world, items, what)
        world.imports = imports
        world.exports = exports

    def _check_world_names(self, world: model.World, items: WorldItems, what: str) -> None:
        seen: dict[str, str] = {}
        for key in items:
            if isinstance(key, str):
                ck = strong_key(key)
                prev = seen.get(ck)
                if prev is not None and prev != key:
                    raise self.local.err(
                        f"{what} `{key}` in world `{world.name}` conflicts with {what} "
                        f"`{prev}` (kebab-case identifiers are case-insensitive)",
                        self.local.pos_of(items[key]),
                    )
                seen[ck] = key

    def _extern(self, item: ast.WorldExtern, scope: Scope, externs: _Externs) -> None:
        """One `import ...;` or `export ...;` of a world."""
        table, names = externs.of(item.direction)
        stab = stability(item.gate)
        x = item.item
        if isinstance(x, ast.ExternPath) and x.label is None:
            target = self.items.interface(x.path, stab)
            if target in table:
                raise self.local.err(
                    f"interface cannot be {item.direction}ed more than once", x.path.pos
                )
            table[target] = model.InterfaceItem(target, stab, item.docs, item.gate.external_id)
            return
        name = x.label if isinstance(x, ast.ExternPath) else x.name
        assert name is not None
        if name.name in names:
            raise self.local.err(
                f"{item.direction} `{name.name}` conflicts with prior {names[name.name]} of "
                "same name",
                name.pos,
            )
        match x:
            case ast.ExternPath(path):
                target = self.items.interface(path, stab)
                table[name.name] = model.InterfaceItem(
                    target, stab, item.docs, item.gate.external_id
                )
                names[name.name] = "interface"
                return
            case ast.ExternFunc(_, func):
                kind = "async-freestanding" if func.is_async else "freestanding"
                f = self.function(name, func, kind, None, scope)
                f.docs, f.stability = item.docs, stab
                f.external_id = item.gate.external_id
                table[name.name] = model.FunctionItem(f)
                names[name.name] = "func"
            case ast.ExternInterface(_, body):
                iface = model.Interface(None, {}, {}, None)
                iid = self.local.new_interface(iface, name.pos)
                iface.stability = stab
                self.interface(iid, body, inline=True)
                iface.docs = item.docs
                table[name.name] = model.InterfaceItem(
                    iid, stab, external_id=item.gate.external_id
                )
                names[name.name] = "interface"
            case _:
                assert_never(x)
        self.local.note(table[name.name], name.pos)


class _Externs:
    """A world's imports and exports while they are collected, with what each name is."""

    def __init__(self, imports: WorldItems, exports: WorldItems, kinds: dict[str, str]) -> None:
        self.imports = imports
        self.exports = exports
        self.import_kinds = kinds  # name -> "type" | "func" | "interface"
        self.export_kinds: dict[str, str] = {}

    def of(self, direction: str) -> tuple[WorldItems, dict[str, str]]:
        if direction == "import":
            return self.imports, self.import_kinds
        return self.exports, self.export_kinds
