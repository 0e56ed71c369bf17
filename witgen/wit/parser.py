"""WIT source text to `witgen.wit.ast` nodes: lark's LALR parser fed by `witgen.wit.lexer`.

The transformer runs during the parse (no lark tree is built), lark's parse tables are cached
on disk so building them is not a per-run cost, and finished ASTs are kept in an in-memory
cache keyed by the file's content hash, so a build that loads the same WASI deps for many
packages parses each file once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from witgen.cachedir import cache_root
from witgen.errors import WitError
from witgen.wit import ast
from witgen.wit.lexer import KEYWORD_TYPES, PUNCT, tokenize

_GRAMMAR = Path(__file__).with_name("grammar.lark")

_DESCRIBE = {v: f"'{k}'" for k, v in PUNCT.items()}
_DESCRIBE.update({v: f"keyword `{k}`" for k, v in KEYWORD_TYPES.items()})
_DESCRIBE.update(
    {
        "ID": "an identifier",
        "INTEGER": "an integer",
        "VERSION": "a version",
        "STRLIT": "a string literal",
        "$END": "eof",
    }
)


class _TokenList(Lexer):
    """A lark 'lexer' that hands over the tokens `witgen.wit.lexer` already made."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: list[Token]):  # type: ignore[override]
        return iter(data)


def _pos(x: object) -> int:
    return x.start_pos if isinstance(x, Token) else x.pos  # type: ignore[attr-defined,return-value]


def _id(tok: Token) -> ast.Id:
    return ast.Id(str(tok), tok.start_pos)


@v_args(inline=True)
class _Build(Transformer):
    """Callbacks named after grammar rules; each returns an `ast` node."""

    def __init__(self) -> None:
        super().__init__()
        self.docs: dict[int, str] = {}
        self.file: ast.SourceFile | None = None

    def _docs(self, pos: int) -> str | None:
        return self.docs.get(pos)

    # --- packages ------------------------------------------------------------------------

    def start(self, *items):
        name = None
        docs = None
        if items and isinstance(items[0], tuple) and items[0][0] == "package":
            _, name, docs = items[0]
            items = items[1:]
        body = ast.PackageBody(name, docs, [], [], self.file)
        for it in items:
            if isinstance(it, ast.PackageBody):
                body.nested.append(it)
            else:
                body.items.append(it)
        return body

    def package_decl(self, kw, name):
        return ("package", name, self._docs(kw.start_pos))

    def package_name(self, ns, name, version=None):
        return ast.PackageName(_id(ns), _id(name), version, ns.start_pos)

    def version(self, at, ver):
        text = str(ver)
        _check_semver(text, ver.start_pos, self.file)
        return text

    def bad_version(self, at, ver):
        raise self.file.error(f"`{ver}` is not a valid semver version", ver.start_pos)

    def nested_package(self, kw, name, *items):
        inner = [i for i in items if isinstance(i, ast.PackageBody)]
        body = ast.PackageBody(
            name,
            self._docs(kw.start_pos),
            [i for i in items if not isinstance(i, ast.PackageBody)],
            inner,
            self.file,
        )
        body.depth = 1 + max((getattr(i, "depth", 0) for i in inner), default=0)  # type: ignore[attr-defined]
        body.pos = kw.start_pos  # type: ignore[attr-defined]
        if body.depth > MAX_PACKAGE_DEPTH:  # type: ignore[attr-defined]
            cur = body
            for _ in range(MAX_PACKAGE_DEPTH):
                cur = max(cur.nested, key=lambda b: b.depth)  # type: ignore[attr-defined]
            raise self.file.error("package nesting too deep", cur.pos)  # type: ignore[attr-defined]
        return body

    # --- gates -----------------------------------------------------------------------------

    def gates(self, *gates):
        return list(gates)

    def gate(self, at, name, *args):
        key, value = args[0]
        want = {"since": "version", "deprecated": "version", "unstable": "feature"}.get(str(name))
        if want is not None and str(key) != want:
            raise self.file.error(f"expected `{want}`, found `{key}`", key.start_pos)
        if len(args) > 1:
            extra = args[1][0]
            raise self.file.error(f"unexpected `{extra}` in `@{name}`", extra.start_pos)
        return (str(name), str(key), str(value), at.start_pos, name.start_pos, key.start_pos)

    def gate_string(self, at, name, value):
        if str(name) != "external-id":
            raise self.file.error(
                "expected `version` or `feature`, found a string", value.start_pos
            )
        return (str(name), "", str(value), at.start_pos, name.start_pos, value.start_pos)

    def gate_arg(self, key, value):
        return (key, value)

    def gated(self, gates, item):
        pos = gates[0][3] if gates else item.pos
        item.gate = self._gate(gates)
        if hasattr(item, "docs") and not isinstance(item, ast.TopUse):
            item.docs = self._docs(pos)
        return item

    def _gate(self, gates) -> ast.Gate:
        if not gates:
            return ast.Gate()
        g = ast.Gate(pos=gates[0][3])
        seen: set[str] = set()
        for name, key, value, _at, name_pos, key_pos in gates:
            if name in seen:
                raise self.file.error(f"cannot specify @{name} twice", name_pos)
            seen.add(name)
            if name == "since":
                if key != "version":
                    raise self.file.error("expected `version`", key_pos)
                g.since = value
                if g.kind == "unknown":
                    g.kind = "stable"
            elif name == "unstable":
                if key != "feature":
                    raise self.file.error("expected `feature`", key_pos)
                g.feature = value
                g.kind = "unstable"
            elif name == "external-id":
                if key:
                    raise self.file.error("expected a string", key_pos)
                g.external_id = value
            elif name == "deprecated":
                if key != "version":
                    raise self.file.error("expected `version`", key_pos)
                g.deprecated = value
            else:
                raise self.file.error(
                    f"unknown attribute `@{name}` (expected `@since`, `@unstable`, `@deprecated` or `@external-id`)",
                    name_pos,
                )
        if g.since is not None and g.feature is not None:
            raise self.file.error("an item cannot be both `@since` and `@unstable`", gates[0][3])
        if g.deprecated is not None and g.kind == "unknown":
            raise self.file.error("`@deprecated` requires `@since` or `@unstable`", gates[0][3])
        return g

    # --- uses ------------------------------------------------------------------------------

    def top_use(self, kw, path, _as, alias):
        return ast.TopUse(path, _id(alias) if alias is not None else None, pos=kw.start_pos)

    def local_path(self, name):
        return ast.UsePath(_id(name))

    def package_path(self, ns, pkg, name, version=None):
        return ast.UsePath(_id(name), ast.PackageName(_id(ns), _id(pkg), version, ns.start_pos))

    def use_stmt(self, kw, path, *names):
        return ast.Use(path, list(names), pos=kw.start_pos)

    def use_name(self, name, _as, alias):
        return (_id(name), _id(alias) if alias is not None else None)

    # --- interfaces and functions ----------------------------------------------------------

    def interface(self, kw, name, *items):
        return ast.Interface(_id(name), list(items), pos=kw.start_pos)

    def func_item(self, name, ty):
        return ast.Func(_id(name), ty)

    def func_type(self, *args):
        is_async = isinstance(args[0], Token) and args[0].type == "ASYNC"
        pos = args[0].start_pos
        rest = args[2:] if is_async else args[1:]
        params = rest[0]
        result = rest[1] if len(rest) > 1 else None
        return ast.FuncType(is_async, params, result, pos)

    def func_result(self, ty):
        return ty

    def params(self, *params):
        return list(params)

    def param(self, name, ty):
        return ast.Param(_id(name), ty)

    # --- type definitions ------------------------------------------------------------------

    def alias(self, kw, name, ty):
        return _decl("alias", kw, name, ty=ty)

    def record(self, kw, name, fields):
        return _decl("record", kw, name, members=fields)

    def flags(self, kw, name, names):
        return _decl("flags", kw, name, members=names)

    def variant(self, kw, name, cases):
        return _decl("variant", kw, name, members=cases)

    def enum(self, kw, name, names):
        return _decl("enum", kw, name, members=names)

    def resource(self, kw, name, *funcs):
        return _decl("resource", kw, name, funcs=list(funcs))

    def fields(self, *fields):
        return list(fields)

    def field(self, name, ty):
        return ast.Named(_id(name), ty, self._docs(name.start_pos))

    def names(self, *names):
        return [ast.Named(_id(n), None, self._docs(n.start_pos)) for n in names]

    def cases(self, *cases):
        return list(cases)

    def case(self, name, ty=None):
        return ast.Named(_id(name), ty, self._docs(name.start_pos))

    def constructor(self, gates, kw, params, result=None):
        ty = ast.FuncType(False, params, result, kw.start_pos)
        f = ast.ResourceFunc("constructor", ast.Id("", kw.start_pos), ty)
        return self._resource_func(gates, f, kw.start_pos)

    def method(self, gates, name, ty):
        return self._resource_func(gates, ast.ResourceFunc("method", _id(name), ty), name.start_pos)

    def static(self, gates, name, _kw, ty):
        return self._resource_func(gates, ast.ResourceFunc("static", _id(name), ty), name.start_pos)

    def _resource_func(self, gates, f: ast.ResourceFunc, pos: int) -> ast.ResourceFunc:
        f.gate = self._gate(gates)
        f.docs = self._docs(gates[0][3] if gates else pos)
        return f

    # --- worlds ------------------------------------------------------------------------------

    def world(self, kw, name, *items):
        return ast.World(_id(name), list(items), pos=kw.start_pos)

    def world_import(self, gates, kw, item):
        return self._extern("import", gates, kw, item)

    def world_export(self, gates, kw, item):
        return self._extern("export", gates, kw, item)

    def _extern(self, direction, gates, kw, item):
        pos = gates[0][3] if gates else kw.start_pos
        return ast.WorldExtern(direction, item, self._gate(gates), self._docs(pos), kw.start_pos)

    def extern_func(self, name, ty):
        return ast.ExternFunc(_id(name), ty)

    def extern_iface(self, name, kw, *items):
        return ast.ExternInterface(_id(name), ast.Interface(None, list(items), pos=kw.start_pos))

    def extern_path(self, path):
        return ast.ExternPath(path)

    def extern_named(self, name, path):
        return ast.ExternPath(path, _id(name))

    def include(self, kw, path, *rest):
        renames = [r for r in rest if isinstance(r, tuple)]
        return ast.Include(path, renames, pos=kw.start_pos)

    def include_name(self, name, _kw, alias):
        return (_id(name), _id(alias))

    # --- types -------------------------------------------------------------------------------

    def prim(self, tok):
        return ast.TPrim(str(tok), tok.start_pos)

    def named(self, tok):
        return ast.TName(_id(tok))

    def list(self, kw, elem):
        return self._nest(ast.TList(elem, kw.start_pos), elem)

    def _nest(self, node, *children):
        node.depth = 1 + max((getattr(c, "depth", 0) for c in children if c is not None), default=0)
        return node

    def fixed_list(self, kw, elem, size):
        n = int(size)
        if n == 0:
            raise self.file.error(
                "invalid fixed-length list size: must be greater than zero", size.start_pos
            )
        if n > 0xFFFFFFFF:
            raise self.file.error(
                f"invalid fixed-length list size: {size} is too large", size.start_pos
            )
        return self._nest(ast.TFixedList(elem, n, kw.start_pos), elem)

    def map(self, kw, key, value):
        return self._nest(ast.TMap(key, value, kw.start_pos), key, value)

    def option(self, kw, elem):
        return self._nest(ast.TOption(elem, kw.start_pos), elem)

    def result_empty(self, kw):
        return ast.TResult(None, None, kw.start_pos)

    def result_ok(self, kw, ok):
        return self._nest(ast.TResult(ok, None, kw.start_pos), ok)

    def result_err(self, kw, _underscore, err):
        return self._nest(ast.TResult(None, err, kw.start_pos), err)

    def result_both(self, kw, ok, err):
        return self._nest(ast.TResult(ok, err, kw.start_pos), ok, err)

    def tuple(self, kw, *elems):
        return self._nest(ast.TTuple(list(elems), kw.start_pos), *elems)

    def future(self, kw, elem=None):
        return self._nest(ast.TFuture(elem, kw.start_pos), elem)

    def stream(self, kw, elem=None):
        return self._nest(ast.TStream(elem, kw.start_pos), elem)

    def own(self, kw, name):
        return ast.THandle("own", _id(name), kw.start_pos)

    def borrow(self, kw, name):
        return ast.THandle("borrow", _id(name), kw.start_pos)


MAX_PACKAGE_DEPTH = 100


def _decl(kind: str, kw: Token, name: Token, **kwargs) -> ast.TypeDecl:
    return ast.TypeDecl(kind, _id(name), pos=kw.start_pos, **kwargs)


def _check_semver(text: str, pos: int, file: ast.SourceFile | None) -> None:
    core = text.split("+", 1)[0].split("-", 1)[0]
    parts = core.split(".")
    ok = len(parts) == 3 and all(p.isdigit() and (p == "0" or not p.startswith("0")) for p in parts)
    if not ok and file is not None:
        raise file.error(
            f"`{text}` is not a valid semver version (expected MAJOR.MINOR.PATCH)", pos
        )


_lock = threading.Lock()
_parser: Lark | None = None
_builder: _Build | None = None


def _cache_dir() -> str:
    base = cache_root()
    try:
        os.makedirs(base, exist_ok=True)
        return base
    except OSError:
        return tempfile.gettempdir()


def _get_parser() -> tuple[Lark, _Build]:
    global _parser, _builder
    if _parser is None or _builder is None:
        grammar = _GRAMMAR.read_text()
        digest = hashlib.sha256(grammar.encode()).hexdigest()[:16]
        builder = _Build()
        cache = os.path.join(_cache_dir(), f"lark-wit-{digest}.cache")
        _parser = Lark(
            grammar,
            parser="lalr",
            lexer=_TokenList,
            transformer=builder,
            cache=cache,
            maybe_placeholders=True,
        )
        _builder = builder
    return _parser, _builder


def parse(text: str, path: str) -> ast.PackageBody:
    """Parse one file (uncached; `witgen.wit.astcache.parse` is the cached entry point)."""
    lexed = tokenize(text, path)
    file = ast.SourceFile(path, text)
    with _lock:
        parser, builder = _get_parser()
        builder.docs = lexed.docs
        builder.file = file
        try:
            tree = parser.parse(lexed.tokens)  # type: ignore[arg-type]
        except WitError:
            raise
        except UnexpectedToken as e:
            raise _syntax_error(e, file) from None
        except (UnexpectedEOF, UnexpectedCharacters, UnexpectedInput) as e:
            raise file.error(f"syntax error: {e}", len(text)) from None
        except Exception as e:  # lark wraps transformer errors in VisitError
            inner = getattr(e, "orig_exc", None)
            if isinstance(inner, WitError):
                raise inner from None
            raise
        finally:
            builder.file = None
            builder.docs = {}
    return tree


def _syntax_error(e: UnexpectedToken, file: ast.SourceFile) -> WitError:
    tok = e.token
    expected = sorted(_DESCRIBE.get(t, t) for t in e.expected if not t.startswith("__"))
    if tok.type == "$END":
        found, pos = "eof", len(file.text)
    else:
        found, pos = _DESCRIBE.get(tok.type, tok.type), tok.start_pos
        if tok.type == "ID":
            found = f"an identifier `{tok}`"
    if len(expected) == 1:
        want = expected[0]
    elif len(expected) <= 6:
        want = ", ".join(expected[:-1]) + " or " + expected[-1]
    else:
        want = "one of " + ", ".join(expected)
    return file.error(f"expected {want}, found {found}", pos)
