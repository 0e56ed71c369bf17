"""The resolved model as JSON, in the schema of `wasm-tools component wit --json`."""

from __future__ import annotations

from json.encoder import encode_basestring as _enc_str

from witgen import model
from witgen.model import Prim


def _t(t: model.Type | None):
    if t is None:
        return None
    return t.value if isinstance(t, Prim) else t


def _docs(out: dict, docs: str | None) -> None:
    if docs is not None:
        out["docs"] = {"contents": docs}


def _stability(s: model.Stability) -> dict | None:
    if s.kind == "stable":
        d: dict = {"since": s.since}
    elif s.kind == "unstable":
        d = {"feature": s.feature}
    else:
        return None
    if s.deprecated is not None:
        d["deprecated"] = s.deprecated
    return {s.kind: d}


def _stab(out: dict, s: model.Stability) -> None:
    v = _stability(s)
    if v is not None:
        out["stability"] = v


def _kind(k) -> object:
    if isinstance(k, model.Record):
        fields = []
        for f in k.fields:
            d = {"name": f.name, "type": _t(f.type)}
            _docs(d, f.docs)
            fields.append(d)
        return {"record": {"fields": fields}}
    if isinstance(k, model.Resource):
        return "resource"
    if isinstance(k, model.Handle):
        return {"handle": {k.kind: k.resource}}
    if isinstance(k, model.Flags):
        flags = []
        for f in k.flags:
            d = {"name": f.name}
            _docs(d, f.docs)
            flags.append(d)
        return {"flags": {"flags": flags}}
    if isinstance(k, model.Tuple):
        return {"tuple": {"types": [_t(t) for t in k.types]}}
    if isinstance(k, model.Variant):
        cases = []
        for c in k.cases:
            d = {"name": c.name, "type": _t(c.type)}
            _docs(d, c.docs)
            cases.append(d)
        return {"variant": {"cases": cases}}
    if isinstance(k, model.Enum_):
        cases = []
        for c in k.cases:
            d = {"name": c.name}
            _docs(d, c.docs)
            cases.append(d)
        return {"enum": {"cases": cases}}
    if isinstance(k, model.Option_):
        return {"option": _t(k.type)}
    if isinstance(k, model.Result_):
        return {"result": {"ok": _t(k.ok), "err": _t(k.err)}}
    if isinstance(k, model.List):
        return {"list": _t(k.type)}
    if isinstance(k, model.Map):
        return {"map": [_t(k.key), _t(k.value)]}
    if isinstance(k, model.FixedList):
        return {"fixed-length-list": [_t(k.type), k.size]}
    if isinstance(k, model.Future):
        return {"future": _t(k.type)}
    if isinstance(k, model.Stream):
        return {"stream": _t(k.type)}
    if isinstance(k, model.Alias):
        return {"type": _t(k.type)}
    raise AssertionError(k)


def _function(f: model.Function) -> dict:
    if f.kind in ("freestanding", "async-freestanding"):
        kind: object = f.kind
    else:
        kind = {f.kind: f.resource}
    out: dict = {
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


def _item(item: model.WorldItem) -> dict:
    if isinstance(item, model.InterfaceItem):
        d: dict = {"id": item.id}
        _stab(d, item.stability)
        if item.external_id is not None:
            d["external_id"] = item.external_id
        _docs(d, item.docs)
        return {"interface": d}
    if isinstance(item, model.FunctionItem):
        return {"function": _function(item.function)}
    return {"type": item.id}


def _items(items: dict) -> dict:
    return {(k if isinstance(k, str) else f"interface-{k}"): _item(v) for k, v in items.items()}


def to_data(r: model.Resolve) -> dict:
    worlds = []
    for w in r.worlds:
        d: dict = {
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


def _write(o, ind: str, app) -> None:
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
