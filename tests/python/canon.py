"""The canonical rendering of WIT values that tests/python/diffhost/canon.rs prints, for the
values of a python-target package, driven by the WIT type (witgen's model).

Integers in decimal, floats as `f:` and the 16 hex digits of their bits as f64 (an f32 widened,
exactly as Rust's `as f64`), strings and chars quoted with `\\u{..}` for anything outside
printable ASCII, `[..]` lists, `(..)` tuples, `{name: value, ..}` records, `case(payload)`
variants, `some(..)`/`none`, `ok(..)`/`err(..)`, `flags(a, c)`, and "" for no value. Handles are
rendered by the scenario (they have no value of their own).
"""

from __future__ import annotations

import struct
from typing import Any

from witgen import model as M


def quote(s: str) -> str:
    out = ['"']
    for c in s:
        if " " <= c <= "~" and c not in '"\\':
            out.append(c)
        else:
            out.append(f"\\u{{{ord(c):x}}}")
    out.append('"')
    return "".join(out)


def f64_bits(x: float) -> str:
    return f"f:{struct.unpack('<Q', struct.pack('<d', x))[0]:016x}"


def _snake(name: str) -> str:
    return name.replace("-", "_")


class Canon:
    """Renders values of `resolve`'s types; `m` is the generated package (for its `Some`)."""

    def __init__(self, resolve: M.Resolve, m: Any) -> None:
        self.resolve = resolve
        self.m = m

    def _def(self, t: M.Type) -> M.TypeDefKind | M.Prim:
        while isinstance(t, int):
            kind = self.resolve.types[t].kind
            if not isinstance(kind, M.Alias):
                return kind
            t = kind.type
        return t

    def render(self, t: M.Type | None, v: Any) -> str:
        if t is None:
            assert v is None, v
            return ""
        k = self._def(t)
        if isinstance(k, M.Prim):
            return self._prim(k, v)
        match k:
            case M.Record(fields=fields):
                items = [f"{f.name}: {self.render(f.type, self._field(v, f.name))}" for f in fields]
                return "{" + ", ".join(items) + "}"
            case M.Tuple(types=types):
                assert isinstance(v, tuple) and len(v) == len(types), v
                return "(" + ", ".join(self.render(a, x) for a, x in zip(types, v, strict=True)) + ")"
            case M.List(type=elem):
                return "[" + ", ".join(self.render(elem, x) for x in v) + "]"
            case M.Option_(type=inner):
                if v is None:
                    return "none"
                if isinstance(self._def(inner), M.Option_):
                    assert isinstance(v, self.m.Some), v
                    v = v.value
                return f"some({self.render(inner, v)})"
            case M.Result_(ok=ok, err=err):
                if isinstance(v, self.m.Ok):
                    return f"ok({self.render(ok, v.value)})"
                assert isinstance(v, self.m.Err), v
                return f"err({self.render(err, v.value)})"
            case M.Enum_():
                return str(v.value)
            case M.Flags(flags=flags):
                on = [f.name for f in flags if type(v)[_snake(f.name).upper()] in v]
                return f"flags({', '.join(on)})"
            case M.Variant(cases=cases):
                return self._variant(cases, v)
            case _:
                raise TypeError(f"no canonical rendering for {k!r}")

    def _prim(self, p: M.Prim, v: Any) -> str:
        if p is M.Prim.BOOL:
            assert isinstance(v, bool), v
            return "true" if v else "false"
        if p in (M.Prim.F32, M.Prim.F64):
            assert isinstance(v, float), v
            return f64_bits(v)
        if p in (M.Prim.CHAR, M.Prim.STRING):
            assert isinstance(v, str), v
            return quote(v)
        assert isinstance(v, int) and not isinstance(v, bool), v
        return str(v)

    def _field(self, v: Any, name: str) -> Any:
        attr = _snake(name)
        return getattr(v, attr) if hasattr(v, attr) else getattr(v, attr + "_")

    def _variant(self, cases: list[M.Case], v: Any) -> str:
        cls = type(v).__name__.lower()
        # the case whose PascalCase name ends the class name (the longest, for `go`/`ago`)
        found = [c for c in cases if cls.endswith(c.name.replace("-", ""))]
        assert found, (cls, [c.name for c in cases])
        c = max(found, key=lambda c: len(c.name))
        if c.type is None:
            return c.name
        return f"{c.name}({self.render(c.type, v.value)})"


def function(resolve: M.Resolve, world: str, name: str, interface: str | None = None) -> M.Function:
    """The function `name` of the world's export `interface` (or of the world itself)."""
    w = resolve.worlds[resolve.select_world(world)]
    if interface is None:
        item = w.exports[name]
        assert isinstance(item, M.FunctionItem)
        return item.function
    for key in w.exports:
        if isinstance(key, int) and resolve.interfaces[key].name == interface:
            return resolve.interfaces[key].functions[name]
    raise KeyError(interface)
