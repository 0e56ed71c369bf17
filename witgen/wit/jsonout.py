"""The resolved model as JSON, in the schema of `wasm-tools component wit --json`."""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring as _enc_str
from typing import assert_never

from witgen import model
from witgen.model import Prim

#: a JSON object being built; values are str, int, bool, None, lists and JSON objects
JsonObject = dict[str, object]


def _t(t: model.Type | None) -> object:
    if t is None:
        return None
    return t.value if isinstance(t, Prim) else t


def _docs(out: JsonObject, docs: str | None) -> None:
    if docs is not None:
        out["docs"] = {"contents": docs}


def _stability(s: model.Stability) -> JsonObject | None:
    if s.kind == "stable":
        d: JsonObject = {"since": s.since}
    elif s.kind == "unstable":
        d = {"feature": s.feature}
    else:
        return None
    if s.deprecated is not None:
        d["deprecated"] = s.deprecated
    return {s.kind: d}


def _stab(out: JsonObject, s: model.Stability) -> None:
    v = _stability(s)
    if v is not None:
        out["stability"] = v


def _named(name: str, docs: str | None, **rest: object) -> JsonObject:
    d: JsonObject = {"name": name, **rest}
    _docs(d, docs)
    return d


def _kind(k: model.TypeDefKind) -> object:
    match k:
        case model.Record(fields):
            return {"record": {"fields": [_named(f.name, f.docs, type=_t(f.type)) for f in fields]}}
        case model.Resource():
            return "resource"
        case model.Handle(kind, resource):
            return {"handle": {kind: resource}}
        case model.Flags(flags):
            return {"flags": {"flags": [_named(f.name, f.docs) for f in flags]}}
        case model.Tuple(types):
            return {"tuple": {"types": [_t(t) for t in types]}}
        case model.Variant(cases):
            return {"variant": {"cases": [_named(c.name, c.docs, type=_t(c.type)) for c in cases]}}
        case model.Enum_(enum_cases):
            return {"enum": {"cases": [_named(c.name, c.docs) for c in enum_cases]}}
        case model.Option_(t):
            return {"option": _t(t)}
        case model.Result_(ok, err):
            return {"result": {"ok": _t(ok), "err": _t(err)}}
        case model.List(t):
            return {"list": _t(t)}
        case model.Map(key, value):
            return {"map": [_t(key), _t(value)]}
        case model.FixedList(t, size):
            return {"fixed-length-list": [_t(t), size]}
        case model.Future(t):
            return {"future": _t(t)}
        case model.Stream(t):
            return {"stream": _t(t)}
        case model.Alias(t):
            return {"type": _t(t)}
        case _:
            assert_never(k)


def _function(f: model.Function) -> JsonObject:
    if f.kind in ("freestanding", "async-freestanding"):
        kind: object = f.kind
    else:
        kind = {f.kind: f.resource}
    out: JsonObject = {
        "name": f.name,
        "kind": kind,
        "params": [{"name": p.name, "type": _t(p.type)} for p in f.params],
    }
    if f.result is not None:
        out["result"] = _t(f.result)
    _docs(out, f.docs)
    _stab(out, f.stability)
    if f.external_id is not None:
        out["external_id"] = f.external_id
    return out


def _item(item: model.WorldItem) -> JsonObject:
    match item:
        case model.InterfaceItem():
            d: JsonObject = {"id": item.id}
            _stab(d, item.stability)
            if item.external_id is not None:
                d["external_id"] = item.external_id
            _docs(d, item.docs)
            return {"interface": d}
        case model.FunctionItem(function):
            return {"function": _function(function)}
        case model.TypeItem(tid):
            return {"type": tid}
        case _:
            assert_never(item)


def _items(items: dict[model.WorldKey, model.WorldItem]) -> JsonObject:
    return {(k if isinstance(k, str) else f"interface-{k}"): _item(v) for k, v in items.items()}


def to_data(r: model.Resolve) -> JsonObject:
    worlds = []
    for w in r.worlds:
        d: JsonObject = {
            "name": w.name,
            "imports": _items(w.imports),
            "exports": _items(w.exports),
            "package": w.package,
        }
        _docs(d, w.docs)
        _stab(d, w.stability)
        worlds.append(d)
    interfaces = []
    for i in r.interfaces:
        d = {
            "name": i.name,
            "types": dict(i.types),
            "functions": {n: _function(f) for n, f in i.functions.items()},
        }
        _docs(d, i.docs)
        _stab(d, i.stability)
        d["package"] = i.package
        if i.clone_of is not None:
            d["clone_of"] = i.clone_of
        interfaces.append(d)
    types = []
    for t in r.types:
        d = {"name": t.name, "kind": _kind(t.kind)}
        d["owner"] = None if t.owner is None else {t.owner.kind: t.owner.id}
        _docs(d, t.docs)
        _stab(d, t.stability)
        if t.external_id is not None:
            d["external_id"] = t.external_id
        types.append(d)
    packages = []
    for p in r.packages:
        d = {"name": str(p.name)}
        _docs(d, p.docs)
        d["interfaces"] = dict(p.interfaces)
        d["worlds"] = dict(p.worlds)
        packages.append(d)
    return {"worlds": worlds, "interfaces": interfaces, "types": types, "packages": packages}


def dumps(r: model.Resolve) -> str:
    """2-space indented JSON, byte for byte what `wasm-tools component wit --json` prints.

    The same text as `json.dumps(to_data(r), indent=2, ensure_ascii=False)`, written by a
    small direct encoder: the standard library falls back to its pure-Python encoder whenever
    `indent` is set, which is about three times slower on a large graph.
    """
    out: list[str] = []
    _write(to_data(r), "", out.append)
    return "".join(out)


def dump(r: model.Resolve, write: Callable[[str], object]) -> None:
    """`dumps(r)` handed to `write` in pieces of about 64 KB, so a big model's text is never
    held whole (nor as a list of millions of small strings)."""
    parts: list[str] = []

    def app(s: str) -> None:
        parts.append(s)
        if len(parts) >= 8192:
            write("".join(parts))
            parts.clear()

    _write(to_data(r), "", app)
    write("".join(parts))


def _write(o: object, ind: str, app: Callable[[str], object]) -> None:
    if isinstance(o, str):
        app(_enc_str(o))
    elif isinstance(o, dict):
        if not o:
            app("{}")
            return
        inner = ind + "  "
        sep = "{\n"
        for k, v in o.items():
            app(sep)
            app(inner)
            app(_enc_str(k))
            app(": ")
            _write(v, inner, app)
            sep = ",\n"
        app("\n" + ind + "}")
    elif isinstance(o, list):
        if not o:
            app("[]")
            return
        inner = ind + "  "
        sep = "[\n"
        for v in o:
            app(sep)
            app(inner)
            _write(v, inner, app)
            sep = ",\n"
        app("\n" + ind + "]")
    elif o is None:
        app("null")
    elif o is True:
        app("true")
    elif o is False:
        app("false")
    elif isinstance(o, int):
        app(int.__repr__(o))
    else:
        raise TypeError(f"cannot encode {type(o).__name__} as JSON")
