"""Syntax trees as plain JSON data (nested lists of str, int, bool and null) and back.

This is the on-disk form of the parse cache (`witgen.wit.astcache`). Nothing in it can run
code: `decode` only accepts the exact shapes `encode` writes and builds the `ast` dataclasses
itself, and every identifier must stand at its recorded position in the source text the tree
is decoded for, so a tree cannot be attached to another file. Anything else raises `Malformed`.
"""

from __future__ import annotations

from typing import assert_never

from witgen.model import Prim
from witgen.wit import ast

_PRIMS = frozenset(p.value for p in Prim)
_GATE_KINDS = frozenset({"unknown", "stable", "unstable"})
_DECL_KINDS = frozenset({"alias", "record", "flags", "variant", "enum", "resource"})
_FUNC_KINDS = frozenset({"constructor", "method", "static"})


class Malformed(ValueError):
    """Data that is not a syntax tree `encode` wrote for this text."""


# --- encoding -------------------------------------------------------------------------------


def encode(body: ast.PackageBody) -> list[object]:
    return [
        _package_name(body.name) if body.name is not None else None,
        body.docs,
        [_top_item(i) for i in body.items],
        [encode(b) for b in body.nested],
        body.pos,
        body.depth,
    ]


def _id(i: ast.Id) -> list[object]:
    return [i.name, i.pos]


def _opt_id(i: ast.Id | None) -> list[object] | None:
    return None if i is None else _id(i)


def _gate(g: ast.Gate) -> list[object] | None:
    if g == ast.NO_GATE:
        return None
    return [g.kind, g.since, g.feature, g.deprecated, g.external_id, g.pos]


def _package_name(n: ast.PackageName) -> list[object]:
    return [_id(n.namespace), _id(n.name), n.version, n.pos]


def _path(p: ast.UsePath) -> list[object]:
    return [_id(p.name), _package_name(p.package) if p.package is not None else None]


def _ty(t: ast.Ty | None) -> list[object] | None:
    match t:
        case None:
            return None
        case ast.TPrim(name, pos):
            return ["prim", name, pos]
        case ast.TName(name):
            return ["name", _id(name)]
        case ast.TList(elem, pos):
            return ["list", _ty(elem), pos]
        case ast.TFixedList(elem, size, pos):
            return ["fixed", _ty(elem), size, pos]
        case ast.TMap(key, value, pos):
            return ["map", _ty(key), _ty(value), pos]
        case ast.TOption(elem, pos):
            return ["option", _ty(elem), pos]
        case ast.TResult(ok, err, pos):
            return ["result", _ty(ok), _ty(err), pos]
        case ast.TTuple(elems, pos):
            return ["tuple", [_ty(e) for e in elems], pos]
        case ast.TFuture(elem, pos):
            return ["future", _ty(elem), pos]
        case ast.TStream(elem, pos):
            return ["stream", _ty(elem), pos]
        case ast.THandle(kind, resource, pos):
            return ["handle", kind, _id(resource), pos]
        case _:
            assert_never(t)


def _func_type(f: ast.FuncType) -> list[object]:
    return [f.is_async, [[_id(p.name), _ty(p.ty)] for p in f.params], _ty(f.result), f.pos]


def _named(m: ast.Named) -> list[object]:
    return [_id(m.name), _ty(m.ty), m.docs]


def _resource_func(f: ast.ResourceFunc) -> list[object]:
    return [f.kind, _id(f.name), _func_type(f.ty), _gate(f.gate), f.docs]


def _use(u: ast.Use) -> list[object]:
    names = [[_id(a), _opt_id(b)] for a, b in u.names]
    return ["use", _path(u.path), names, _gate(u.gate), u.docs, u.pos]


def _decl(d: ast.TypeDecl) -> list[object]:
    members = [_named(m) for m in d.members]
    funcs = [_resource_func(f) for f in d.funcs]
    return ["type", d.kind, _id(d.name), _ty(d.ty), members, funcs, _gate(d.gate), d.docs, d.pos]


def _iface_item(item: ast.Use | ast.TypeDecl | ast.Func) -> list[object]:
    match item:
        case ast.Use():
            return _use(item)
        case ast.TypeDecl():
            return _decl(item)
        case ast.Func(name, ty, gate, docs):
            return ["func", _id(name), _func_type(ty), _gate(gate), docs]
        case _:
            assert_never(item)


def _interface(i: ast.Interface) -> list[object]:
    items = [_iface_item(x) for x in i.items]
    return ["interface", _opt_id(i.name), items, _gate(i.gate), i.docs, i.pos]


def _extern_item(x: ast.ExternItem) -> list[object]:
    match x:
        case ast.ExternFunc(name, func):
            return ["efunc", _id(name), _func_type(func)]
        case ast.ExternInterface(name, body):
            return ["eiface", _id(name), _interface(body)]
        case ast.ExternPath(path, label):
            return ["epath", _path(path), _opt_id(label)]
        case _:
            assert_never(x)


def _world_item(item: ast.WorldExtern | ast.Use | ast.TypeDecl | ast.Include) -> list[object]:
    match item:
        case ast.WorldExtern(direction, x, gate, docs, pos):
            return ["extern", direction, _extern_item(x), _gate(gate), docs, pos]
        case ast.Use():
            return _use(item)
        case ast.TypeDecl():
            return _decl(item)
        case ast.Include(path, renames, gate, pos):
            pairs = [[_id(a), _id(b)] for a, b in renames]
            return ["include", _path(path), pairs, _gate(gate), pos]
        case _:
            assert_never(item)


def _top_item(item: ast.Interface | ast.World | ast.TopUse) -> list[object]:
    match item:
        case ast.Interface():
            return _interface(item)
        case ast.World(name, items, gate, docs, pos):
            return ["world", _id(name), [_world_item(x) for x in items], _gate(gate), docs, pos]
        case ast.TopUse(path, alias, gate, pos):
            return ["topuse", _path(path), _opt_id(alias), _gate(gate), pos]
        case _:
            assert_never(item)


# --- decoding -------------------------------------------------------------------------------
# This runs for every cached file a build loads, so it checks types with `type(x) is ...` and
# unpacks lists directly: structural `match` on lists is several times slower here.


def decode(data: object, text: str) -> ast.PackageBody:
    """The tree `encode` made for `text` (its `file` is left for the caller to set)."""
    return _Decoder(text).body(data)


def _fields(d: object, n: int) -> list[object]:
    if type(d) is not list or len(d) != n:
        raise Malformed(d)
    return d


def _int(d: object) -> int:
    if type(d) is not int:
        raise Malformed(d)
    return d


def _str(d: object) -> str:
    if type(d) is not str:
        raise Malformed(d)
    return d


def _opt_str(d: object) -> str | None:
    if d is None or type(d) is str:
        return d
    raise Malformed(d)


def _list(d: object) -> list[object]:
    if type(d) is not list:
        raise Malformed(d)
    return d


def _tag(d: object) -> str:
    if type(d) is not list or not d or type(d[0]) is not str:
        raise Malformed(d)
    return d[0]


class _Decoder:
    def __init__(self, text: str) -> None:
        self.text = text

    def id(self, d: object) -> ast.Id:
        if type(d) is list and len(d) == 2:
            name, pos = d
            if (
                type(name) is str
                and type(pos) is int
                and pos >= 0
                and (self.text.startswith(name, pos) or self.text.startswith("%" + name, pos))
            ):
                return ast.Id(name, pos)
        raise Malformed(d)

    def opt_id(self, d: object) -> ast.Id | None:
        return None if d is None else self.id(d)

    def body(self, d: object) -> ast.PackageBody:
        name, docs, items, nested, pos, depth = _fields(d, 6)
        return ast.PackageBody(
            None if name is None else self.package_name(name),
            _opt_str(docs),
            [self.top_item(i) for i in _list(items)],
            [self.body(b) for b in _list(nested)],
            pos=_int(pos),
            depth=_int(depth),
        )

    def gate(self, d: object) -> ast.Gate:
        if d is None:
            return ast.Gate()
        kind, since, feature, deprecated, external_id, pos = _fields(d, 6)
        if kind not in _GATE_KINDS:
            raise Malformed(d)
        return ast.Gate(
            _str(kind),
            _opt_str(since),
            _opt_str(feature),
            _opt_str(deprecated),
            _opt_str(external_id),
            _int(pos),
        )

    def package_name(self, d: object) -> ast.PackageName:
        ns, name, version, pos = _fields(d, 4)
        return ast.PackageName(self.id(ns), self.id(name), _opt_str(version), _int(pos))

    def path(self, d: object) -> ast.UsePath:
        name, package = _fields(d, 2)
        pkg = None if package is None else self.package_name(package)
        return ast.UsePath(self.id(name), pkg)

    def opt_ty(self, d: object) -> ast.Ty | None:
        return None if d is None else self.ty(d)

    def ty(self, d: object) -> ast.Ty:
        tag = _tag(d)
        if tag == "prim":
            _, name, pos = _fields(d, 3)
            if name not in _PRIMS:
                raise Malformed(d)
            return ast.TPrim(_str(name), _int(pos))
        if tag == "name":
            return ast.TName(self.id(_fields(d, 2)[1]))
        if tag in ("list", "option"):
            _, elem, pos = _fields(d, 3)
            cls = ast.TList if tag == "list" else ast.TOption
            return cls(self.ty(elem), _int(pos))
        if tag in ("future", "stream"):
            _, elem, pos = _fields(d, 3)
            opt = ast.TFuture if tag == "future" else ast.TStream
            return opt(self.opt_ty(elem), _int(pos))
        if tag == "fixed":
            _, elem, size, pos = _fields(d, 4)
            return ast.TFixedList(self.ty(elem), _int(size), _int(pos))
        if tag == "map":
            _, key, value, pos = _fields(d, 4)
            return ast.TMap(self.ty(key), self.ty(value), _int(pos))
        if tag == "result":
            _, ok, err, pos = _fields(d, 4)
            return ast.TResult(self.opt_ty(ok), self.opt_ty(err), _int(pos))
        if tag == "tuple":
            _, elems, pos = _fields(d, 3)
            return ast.TTuple([self.ty(e) for e in _list(elems)], _int(pos))
        if tag == "handle":
            _, kind, resource, pos = _fields(d, 4)
            if kind not in ("own", "borrow"):
                raise Malformed(d)
            return ast.THandle(_str(kind), self.id(resource), _int(pos))
        raise Malformed(d)

    def func_type(self, d: object) -> ast.FuncType:
        is_async, params, result, pos = _fields(d, 4)
        if type(is_async) is not bool:
            raise Malformed(d)
        return ast.FuncType(
            is_async, [self.param(p) for p in _list(params)], self.opt_ty(result), _int(pos)
        )

    def param(self, d: object) -> ast.Param:
        name, ty = _fields(d, 2)
        return ast.Param(self.id(name), self.ty(ty))

    def named(self, d: object) -> ast.Named:
        name, ty, docs = _fields(d, 3)
        return ast.Named(self.id(name), self.opt_ty(ty), _opt_str(docs))

    def resource_func(self, d: object) -> ast.ResourceFunc:
        kind, name, ty, gate, docs = _fields(d, 5)
        if kind not in _FUNC_KINDS:
            raise Malformed(d)
        return ast.ResourceFunc(
            _str(kind), self.id(name), self.func_type(ty), self.gate(gate), _opt_str(docs)
        )

    def use(self, d: object) -> ast.Use:
        _, path, names, gate, docs, pos = _fields(d, 6)
        pairs = [self.use_name(n) for n in _list(names)]
        return ast.Use(self.path(path), pairs, self.gate(gate), _opt_str(docs), _int(pos))

    def use_name(self, d: object) -> tuple[ast.Id, ast.Id | None]:
        name, alias = _fields(d, 2)
        return (self.id(name), self.opt_id(alias))

    def rename(self, d: object) -> tuple[ast.Id, ast.Id]:
        name, alias = _fields(d, 2)
        return (self.id(name), self.id(alias))

    def decl(self, d: object) -> ast.TypeDecl:
        _, kind, name, ty, members, funcs, gate, docs, pos = _fields(d, 9)
        if kind not in _DECL_KINDS:
            raise Malformed(d)
        return ast.TypeDecl(
            _str(kind),
            self.id(name),
            self.opt_ty(ty),
            [self.named(m) for m in _list(members)],
            [self.resource_func(f) for f in _list(funcs)],
            self.gate(gate),
            _opt_str(docs),
            _int(pos),
        )

    def iface_item(self, d: object) -> ast.Use | ast.TypeDecl | ast.Func:
        tag = _tag(d)
        if tag == "use":
            return self.use(d)
        if tag == "type":
            return self.decl(d)
        if tag == "func":
            _, name, ty, gate, docs = _fields(d, 5)
            return ast.Func(self.id(name), self.func_type(ty), self.gate(gate), _opt_str(docs))
        raise Malformed(d)

    def interface(self, d: object) -> ast.Interface:
        tag, name, items, gate, docs, pos = _fields(d, 6)
        if tag != "interface":
            raise Malformed(d)
        return ast.Interface(
            self.opt_id(name),
            [self.iface_item(i) for i in _list(items)],
            self.gate(gate),
            _opt_str(docs),
            _int(pos),
        )

    def extern_item(self, d: object) -> ast.ExternItem:
        tag, name_or_path, rest = _fields(d, 3)
        if tag == "efunc":
            return ast.ExternFunc(self.id(name_or_path), self.func_type(rest))
        if tag == "eiface":
            return ast.ExternInterface(self.id(name_or_path), self.interface(rest))
        if tag == "epath":
            return ast.ExternPath(self.path(name_or_path), self.opt_id(rest))
        raise Malformed(d)

    def world_item(self, d: object) -> ast.WorldExtern | ast.Use | ast.TypeDecl | ast.Include:
        tag = _tag(d)
        if tag == "extern":
            _, direction, x, gate, docs, pos = _fields(d, 6)
            if direction not in ("import", "export"):
                raise Malformed(d)
            return ast.WorldExtern(
                _str(direction), self.extern_item(x), self.gate(gate), _opt_str(docs), _int(pos)
            )
        if tag == "use":
            return self.use(d)
        if tag == "type":
            return self.decl(d)
        if tag == "include":
            _, path, renames, gate, pos = _fields(d, 5)
            pairs = [self.rename(r) for r in _list(renames)]
            return ast.Include(self.path(path), pairs, self.gate(gate), _int(pos))
        raise Malformed(d)

    def top_item(self, d: object) -> ast.Interface | ast.World | ast.TopUse:
        tag = _tag(d)
        if tag == "interface":
            return self.interface(d)
        if tag == "world":
            _, name, items, gate, docs, pos = _fields(d, 6)
            return ast.World(
                self.id(name),
                [self.world_item(i) for i in _list(items)],
                self.gate(gate),
                _opt_str(docs),
                _int(pos),
            )
        if tag == "topuse":
            _, path, alias, gate, pos = _fields(d, 5)
            return ast.TopUse(self.path(path), self.opt_id(alias), self.gate(gate), _int(pos))
        raise Malformed(d)
