"""The grammar's rule callbacks: each turns the tokens and children of one rule into `ast` nodes.

lark calls them during the LALR parse (`witgen.wit.parser`), so no parse tree is built. They
also check what the grammar cannot: valid semver, attribute (`@since`, ...) rules, fixed-list
sizes and the package nesting limit.
"""

from __future__ import annotations

from typing import NamedTuple

from lark import Token, Transformer, v_args

from witgen.records import record
from witgen.wit import ast
from witgen.wit.versions import is_semver

MAX_PACKAGE_DEPTH = 100
MAX_FLAGS = 32  # wit-parser 1.262 rejects the 33rd flag

#: what can stand at the top of a file or inside a nested package block
TopItem = ast.PackageBody | ast.Interface | ast.World | ast.TopUse
#: what an `@attribute` list can precede (besides world imports/exports and resource functions)
GatedItem = ast.Interface | ast.World | ast.TopUse | ast.Use | ast.TypeDecl | ast.Func | ast.Include
WorldItem = ast.WorldExtern | ast.Use | ast.TypeDecl | ast.Include
InterfaceItem = ast.Use | ast.TypeDecl | ast.Func


class GateArg(NamedTuple):
    """One `@name(key = value)` (or `@name("value")`) as written."""

    name: str
    key: str
    value: str
    at_pos: int
    name_pos: int
    key_pos: int


@record(slots=False)
class _Header:
    """`package ns:name@ver;` with the doc comment before it."""

    name: ast.PackageName
    docs: str | None


def _id(tok: Token) -> ast.Id:
    return ast.Id(str(tok), tok.start_pos or 0)


def _pos(tok: Token) -> int:
    return tok.start_pos or 0


@v_args(inline=True)
class TreeBuilder(Transformer[Token, ast.PackageBody]):
    """Callbacks named after grammar rules; `docs` and `file` are set per parse."""

    def __init__(self) -> None:
        super().__init__()
        self.docs: dict[int, str] = {}
        self.file = ast.SourceFile("", "")

    def _docs(self, pos: int) -> str | None:
        return self.docs.get(pos)

    # --- packages ------------------------------------------------------------------------

    def start(self, *items: _Header | TopItem) -> ast.PackageBody:
        header = items[0] if items and isinstance(items[0], _Header) else None
        body = ast.PackageBody(
            header.name if header else None, header.docs if header else None, [], [], self.file
        )
        for it in items[1:] if header else items:
            match it:
                case ast.PackageBody():
                    body.nested.append(it)
                case _Header():
                    raise AssertionError("a package header only comes first")
                case _:
                    body.items.append(it)
        return body

    def package_decl(self, kw: Token, name: ast.PackageName) -> _Header:
        return _Header(name, self._docs(_pos(kw)))

    def package_name(self, ns: Token, name: Token, version: str | None = None) -> ast.PackageName:
        return ast.PackageName(_id(ns), _id(name), version, _pos(ns))

    def version(self, at: Token, ver: Token) -> str:
        text = str(ver)
        if not is_semver(text):
            raise self.file.error(
                f"`{text}` is not a valid semver version (expected MAJOR.MINOR.PATCH)", _pos(ver)
            )
        return text

    def bad_version(self, at: Token, ver: Token) -> str:
        raise self.file.error(f"`{ver}` is not a valid semver version", _pos(ver))

    def nested_package(
        self, kw: Token, name: ast.PackageName, *items: ast.PackageBody | ast.Interface | ast.World
    ) -> ast.PackageBody:
        inner = [i for i in items if isinstance(i, ast.PackageBody)]
        body = ast.PackageBody(
            name,
            self._docs(_pos(kw)),
            [i for i in items if not isinstance(i, ast.PackageBody)],
            inner,
            self.file,
            pos=_pos(kw),
            depth=1 + max((i.depth for i in inner), default=0),
        )
        if body.depth > MAX_PACKAGE_DEPTH:
            cur = body
            for _ in range(MAX_PACKAGE_DEPTH):
                cur = max(cur.nested, key=lambda b: b.depth)
            raise self.file.error("package nesting too deep", cur.pos)
        return body

    # --- attributes ------------------------------------------------------------------------

    def gates(self, *gates: GateArg) -> list[GateArg]:
        return list(gates)

    def gate(self, at: Token, name: Token, *args: tuple[Token, Token]) -> GateArg:
        key, value = args[0]
        want = {"since": "version", "deprecated": "version", "unstable": "feature"}.get(str(name))
        if want is not None and str(key) != want:
            raise self.file.error(f"expected `{want}`, found `{key}`", _pos(key))
        if len(args) > 1:
            extra = args[1][0]
            raise self.file.error(f"unexpected `{extra}` in `@{name}`", _pos(extra))
        return GateArg(str(name), str(key), str(value), _pos(at), _pos(name), _pos(key))

    def gate_string(self, at: Token, name: Token, value: Token) -> GateArg:
        if str(name) != "external-id":
            raise self.file.error("expected `version` or `feature`, found a string", _pos(value))
        return GateArg(str(name), "", str(value), _pos(at), _pos(name), _pos(value))

    def gate_arg(self, key: Token, value: Token) -> tuple[Token, Token]:
        return (key, value)

    def gated(self, gates: list[GateArg], item: GatedItem) -> GatedItem:
        pos = gates[0].at_pos if gates else item.pos
        item.gate = self._gate(gates)
        match item:
            case ast.TopUse() | ast.Include():
                pass
            case _:
                item.docs = self._docs(pos)
        return item

    def _gate(self, gates: list[GateArg]) -> ast.Gate:
        if not gates:
            return ast.Gate()
        g = ast.Gate(pos=gates[0].at_pos)
        seen: set[str] = set()
        for arg in gates:
            if arg.name in seen:
                raise self.file.error(f"cannot specify @{arg.name} twice", arg.name_pos)
            seen.add(arg.name)
            self._apply_gate(g, arg)
        if g.since is not None and g.feature is not None:
            raise self.file.error(
                "an item cannot be both `@since` and `@unstable`", gates[0].at_pos
            )
        if g.deprecated is not None and g.kind == "unknown":
            raise self.file.error("`@deprecated` requires `@since` or `@unstable`", gates[0].at_pos)
        return g

    def _apply_gate(self, g: ast.Gate, arg: GateArg) -> None:
        # `gate` already checked the key of `@since`, `@unstable` and `@deprecated`
        match arg.name:
            case "since":
                g.since = arg.value
                if g.kind == "unknown":
                    g.kind = "stable"
            case "unstable":
                g.feature = arg.value
                g.kind = "unstable"
            case "deprecated":
                g.deprecated = arg.value
            case "external-id":
                if arg.key:
                    raise self.file.error("expected a string", arg.key_pos)
                g.external_id = arg.value
            case _:
                raise self.file.error(
                    f"unknown attribute `@{arg.name}` (expected `@since`, `@unstable`, "
                    "`@deprecated` or `@external-id`)",
                    arg.name_pos,
                )

    # --- uses ------------------------------------------------------------------------------

    def top_use(
        self, kw: Token, path: ast.UsePath, _as: Token | None, alias: Token | None
    ) -> ast.TopUse:
        return ast.TopUse(path, _id(alias) if alias is not None else None, pos=_pos(kw))

    def local_path(self, name: Token) -> ast.UsePath:
        return ast.UsePath(_id(name))

    def package_path(
        self, ns: Token, pkg: Token, name: Token, version: str | None = None
    ) -> ast.UsePath:
        return ast.UsePath(_id(name), ast.PackageName(_id(ns), _id(pkg), version, _pos(ns)))

    def use_stmt(
        self, kw: Token, path: ast.UsePath, *names: tuple[ast.Id, ast.Id | None]
    ) -> ast.Use:
        return ast.Use(path, list(names), pos=_pos(kw))

    def use_name(
        self, name: Token, _as: Token | None, alias: Token | None
    ) -> tuple[ast.Id, ast.Id | None]:
        return (_id(name), _id(alias) if alias is not None else None)

    # --- interfaces and functions ----------------------------------------------------------

    def interface(self, kw: Token, name: Token, *items: InterfaceItem) -> ast.Interface:
        return ast.Interface(_id(name), list(items), pos=_pos(kw))

    def func_item(self, name: Token, ty: ast.FuncType) -> ast.Func:
        return ast.Func(_id(name), ty)

    def func_type(self, *args: Token | list[ast.Param] | ast.Ty) -> ast.FuncType:
        first = args[0]
        assert isinstance(first, Token)
        is_async = first.type == "ASYNC"
        params, *result = args[2:] if is_async else args[1:]
        assert isinstance(params, list)
        ty = result[0] if result else None
        assert not isinstance(ty, (Token, list))
        return ast.FuncType(is_async, params, ty, _pos(first))

    def func_result(self, ty: ast.Ty) -> ast.Ty:
        return ty

    def params(self, *params: ast.Param) -> list[ast.Param]:
        return list(params)

    def param(self, name: Token, ty: ast.Ty) -> ast.Param:
        return ast.Param(_id(name), ty)

    # --- type definitions ------------------------------------------------------------------

    def alias(self, kw: Token, name: Token, ty: ast.Ty) -> ast.TypeDecl:
        return ast.TypeDecl("alias", _id(name), ty=ty, pos=_pos(kw))

    def record(self, kw: Token, name: Token, fields: list[ast.Named]) -> ast.TypeDecl:
        return ast.TypeDecl("record", _id(name), members=fields, pos=_pos(kw))

    def flags(self, kw: Token, name: Token, names: list[ast.Named]) -> ast.TypeDecl:
        if len(names) > MAX_FLAGS:
            raise self.file.error(
                f"cannot have more than {MAX_FLAGS} flags", names[MAX_FLAGS].name.pos
            )
        return ast.TypeDecl("flags", _id(name), members=names, pos=_pos(kw))

    def variant(self, kw: Token, name: Token, cases: list[ast.Named]) -> ast.TypeDecl:
        return ast.TypeDecl("variant", _id(name), members=cases, pos=_pos(kw))

    def enum(self, kw: Token, name: Token, names: list[ast.Named]) -> ast.TypeDecl:
        return ast.TypeDecl("enum", _id(name), members=names, pos=_pos(kw))

    def resource(self, kw: Token, name: Token, *funcs: ast.ResourceFunc) -> ast.TypeDecl:
        return ast.TypeDecl("resource", _id(name), funcs=list(funcs), pos=_pos(kw))

    def fields(self, *fields: ast.Named) -> list[ast.Named]:
        return list(fields)

    def field(self, name: Token, ty: ast.Ty) -> ast.Named:
        return ast.Named(_id(name), ty, self._docs(_pos(name)))

    def names(self, *names: Token) -> list[ast.Named]:
        return [ast.Named(_id(n), None, self._docs(_pos(n))) for n in names]

    def cases(self, *cases: ast.Named) -> list[ast.Named]:
        return list(cases)

    def case(self, name: Token, ty: ast.Ty | None = None) -> ast.Named:
        return ast.Named(_id(name), ty, self._docs(_pos(name)))

    def constructor(
        self, gates: list[GateArg], kw: Token, params: list[ast.Param], result: ast.Ty | None = None
    ) -> ast.ResourceFunc:
        ty = ast.FuncType(False, params, result, _pos(kw))
        f = ast.ResourceFunc("constructor", ast.Id("", _pos(kw)), ty)
        return self._resource_func(gates, f, _pos(kw))

    def method(self, gates: list[GateArg], name: Token, ty: ast.FuncType) -> ast.ResourceFunc:
        return self._resource_func(gates, ast.ResourceFunc("method", _id(name), ty), _pos(name))

    def static(
        self, gates: list[GateArg], name: Token, _kw: Token, ty: ast.FuncType
    ) -> ast.ResourceFunc:
        return self._resource_func(gates, ast.ResourceFunc("static", _id(name), ty), _pos(name))

    def _resource_func(
        self, gates: list[GateArg], f: ast.ResourceFunc, pos: int
    ) -> ast.ResourceFunc:
        f.gate = self._gate(gates)
        f.docs = self._docs(gates[0].at_pos if gates else pos)
        return f

    # --- worlds ------------------------------------------------------------------------------

    def world(self, kw: Token, name: Token, *items: WorldItem) -> ast.World:
        return ast.World(_id(name), list(items), pos=_pos(kw))

    def world_import(
        self, gates: list[GateArg], kw: Token, item: ast.ExternItem
    ) -> ast.WorldExtern:
        return self._extern("import", gates, kw, item)

    def world_export(
        self, gates: list[GateArg], kw: Token, item: ast.ExternItem
    ) -> ast.WorldExtern:
        return self._extern("export", gates, kw, item)

    def _extern(
        self, direction: str, gates: list[GateArg], kw: Token, item: ast.ExternItem
    ) -> ast.WorldExtern:
        pos = gates[0].at_pos if gates else _pos(kw)
        return ast.WorldExtern(direction, item, self._gate(gates), self._docs(pos), _pos(kw))

    def extern_func(self, name: Token, ty: ast.FuncType) -> ast.ExternFunc:
        return ast.ExternFunc(_id(name), ty)

    def extern_iface(self, name: Token, kw: Token, *items: InterfaceItem) -> ast.ExternInterface:
        return ast.ExternInterface(_id(name), ast.Interface(None, list(items), pos=_pos(kw)))

    def extern_path(self, path: ast.UsePath) -> ast.ExternPath:
        return ast.ExternPath(path)

    def extern_named(self, name: Token, path: ast.UsePath) -> ast.ExternPath:
        return ast.ExternPath(path, _id(name))

    def include(
        self, kw: Token, path: ast.UsePath, *rest: Token | tuple[ast.Id, ast.Id]
    ) -> ast.Include:
        renames = [r for r in rest if isinstance(r, tuple)]
        return ast.Include(path, renames, pos=_pos(kw))

    def include_name(self, name: Token, _kw: Token, alias: Token) -> tuple[ast.Id, ast.Id]:
        return (_id(name), _id(alias))

    # --- types -------------------------------------------------------------------------------

    def prim(self, tok: Token) -> ast.TPrim:
        return ast.TPrim(str(tok), _pos(tok))

    def named(self, tok: Token) -> ast.TName:
        return ast.TName(_id(tok))

    def list(self, kw: Token, elem: ast.Ty) -> ast.TList:
        return ast.TList(elem, _pos(kw))

    def fixed_list(self, kw: Token, elem: ast.Ty, size: Token) -> ast.TFixedList:
        n = int(size)
        if n == 0:
            raise self.file.error(
                "invalid fixed-length list size: must be greater than zero", _pos(size)
            )
        if n > 0xFFFFFFFF:
            raise self.file.error(
                f"invalid fixed-length list size: {size} is too large", _pos(size)
            )
        return ast.TFixedList(elem, n, _pos(kw))

    def map(self, kw: Token, key: ast.Ty, value: ast.Ty) -> ast.TMap:
        return ast.TMap(key, value, _pos(kw))

    def option(self, kw: Token, elem: ast.Ty) -> ast.TOption:
        return ast.TOption(elem, _pos(kw))

    def result_empty(self, kw: Token) -> ast.TResult:
        return ast.TResult(None, None, _pos(kw))

    def result_ok(self, kw: Token, ok: ast.Ty) -> ast.TResult:
        return ast.TResult(ok, None, _pos(kw))

    def result_err(self, kw: Token, _underscore: Token, err: ast.Ty) -> ast.TResult:
        return ast.TResult(None, err, _pos(kw))

    def result_both(self, kw: Token, ok: ast.Ty, err: ast.Ty) -> ast.TResult:
        return ast.TResult(ok, err, _pos(kw))

    def tuple(self, kw: Token, *elems: ast.Ty) -> ast.TTuple:
        return ast.TTuple(list(elems), _pos(kw))

    def future(self, kw: Token, elem: ast.Ty | None = None) -> ast.TFuture:
        return ast.TFuture(elem, _pos(kw))

    def stream(self, kw: Token, elem: ast.Ty | None = None) -> ast.TStream:
        return ast.TStream(elem, _pos(kw))

    def own(self, kw: Token, name: Token) -> ast.THandle:
        return ast.THandle("own", _id(name), _pos(kw))

    def borrow(self, kw: Token, name: Token) -> ast.THandle:
        return ast.THandle("borrow", _id(name), _pos(kw))
