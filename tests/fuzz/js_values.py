"""Random JS values for a WIT type, written as JS source, with what the binding must make of them.

`value_case(draw, resolve, t, root)` draws a value for type `t` following docs/js.md ("what JS
gets" / "also accepted"), and sometimes breaks one node of it. It returns `(input, expected)`:
`expected` is `("ok", output)` for a valid value (the JS value the round trip must give back,
compared with `util.isDeepStrictEqual`) or `("path", p)` for a broken one, where `p` is the path
the error must name (`x.e.y`, `x[2].val`, ...). Values are `Js` trees rendered to JS source.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from hypothesis import strategies as st

from witgen import model
from witgen.model import Prim

TYPED = {
    "u8": "Uint8Array", "s8": "Int8Array", "u16": "Uint16Array", "s16": "Int16Array",
    "u32": "Uint32Array", "s32": "Int32Array", "u64": "BigUint64Array", "s64": "BigInt64Array",
    "f32": "Float32Array", "f64": "Float64Array",
}  # fmt: skip
INT_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "s8": 8, "s16": 16, "s32": 32, "s64": 64}


@dataclass(frozen=True)
class Raw:
    """JS source text used as is (`undefined`, `null`, `5n`, `new Uint8Array([1])`, ...)."""

    src: str


UNDEF = Raw("undefined")
NULL = Raw("null")


def js(v: object) -> str:
    """JS source of a value tree: Raw, bool, int, float, str, list, dict."""
    match v:
        case Raw(src):
            return src
        case bool():
            return "true" if v else "false"
        case int():
            return str(v)
        case float():
            if math.isnan(v):
                return "NaN"
            if math.isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            return "-0" if v == 0 and math.copysign(1, v) < 0 else repr(v)
        case str():
            # json.dumps escapes lone surrogates as \ud800, which JS reads back as one
            return json.dumps(v)
        case list():
            return "[" + ", ".join(js(x) for x in v) + "]"
        case dict():
            return "{" + ", ".join(f"{json.dumps(k)}: {js(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def camel(name: str) -> str:
    """docs/js.md: fragments lower-cased, then camelCase (`GET-user` -> `getUser`)."""
    parts = name.lower().split("-")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def big(n: int) -> Raw:
    return Raw(f"{n}n")


class Values:
    """Draws values of the types of one resolve."""

    def __init__(self, draw: st.DrawFn, resolve: model.Resolve) -> None:
        self.draw = draw
        self.r = resolve
        self.broken: str | None = None  # the path of the node made invalid, once one is
        self.break_chance = 0

    def case(self, t: model.Type, root: str, broken: bool) -> tuple[object, object]:
        self.broken = None
        self.break_chance = 4 if broken else 0
        inp, out = self.value(t, root)
        if broken and self.broken is None:  # nothing was broken on the way down: break the root
            self.break_chance = 1
            inp, out = self.value(t, root)
        return inp, out

    def _break_here(self) -> bool:
        return (
            self.broken is None
            and self.break_chance > 0
            and self.draw(st.integers(0, self.break_chance - 1)) == 0
        )

    def _bad(self, choices: list[tuple[object, str]], path: str, in_option: bool) -> object:
        if in_option:  # an option's payload: undefined and null are `none`, not mistakes
            choices = [c for c in choices if c[0] not in (UNDEF, NULL)]
        bad, suffix = self.draw(st.sampled_from(choices))
        self.broken = path + suffix
        return bad

    def value(self, t: model.Type, path: str, in_option: bool = False) -> tuple[object, object]:
        """(input, expected output) of a value of `t` at `path`."""
        d = self.draw
        if isinstance(t, Prim):
            if self._break_here():
                return self._bad(bad_prim(t), path, in_option), None
            return prim_value(d, t)
        td = self.r.types[t]
        kind = td.kind
        if isinstance(kind, model.Alias):
            return self.value(kind.type, path, in_option)
        if not isinstance(kind, model.Option_) and self._break_here():
            return self._bad(bad_compound(kind), path, in_option), None
        match kind:
            case model.Record(fields):
                pairs = {camel(f.name): self.value(f.type, f"{path}.{camel(f.name)}") for f in fields}
                return {k: v[0] for k, v in pairs.items()}, {k: v[1] for k, v in pairs.items()}
            case model.Tuple(types):
                items = [self.value(x, f"{path}[{i}]") for i, x in enumerate(types)]
                return [i for i, _ in items], [o for _, o in items]
            case model.List(elem):
                n = d(st.integers(0, 4))
                items = [self.value(elem, f"{path}[{i}]") for i in range(n)]
                inp, out = [i for i, _ in items], [o for _, o in items]
                e = self.r.unalias(elem)
                if isinstance(e, Prim) and e.value in TYPED and self.broken is None:
                    arr = TYPED[e.value]
                    out = Raw(f"new {arr}([{', '.join(js(o) for o in out)}])")
                    if d(st.booleans()):
                        inp = out
                return inp, out
            case model.FixedList(elem, size):
                items = [self.value(elem, f"{path}[{i}]") for i in range(size)]
                inp, out = [i for i, _ in items], [o for _, o in items]
                e = self.r.unalias(elem)
                if isinstance(e, Prim) and e.value in TYPED and self.broken is None:
                    if d(st.booleans()):  # docs/js.md: a typed array of length N is accepted
                        inp = Raw(f"new {TYPED[e.value]}([{', '.join(js(o) for o in out)}])")
                return inp, out
            case model.Map(key, val):
                entries, seen = [], set()
                chance, self.break_chance = self.break_chance, 0  # keys are never broken
                for _ in range(d(st.integers(0, 4))):
                    k = self.value(key, "")
                    if js(k[1]) not in seen:
                        seen.add(js(k[1]))
                        entries.append(k)
                self.break_chance = chance
                pairs = [
                    ((ki, ko), self.value(val, f"{path}[{i}][1]"))
                    for i, (ki, ko) in enumerate(entries)
                ]
                inp = Raw("new Map([" + ", ".join(f"[{js(k[0])}, {js(v[0])}]" for k, v in pairs) + "])")
                if self.broken is not None:
                    return inp, None
                out = Raw("new Map([" + ", ".join(f"[{js(k[1])}, {js(v[1])}]" for k, v in pairs) + "])")
                return inp, out
            case model.Option_(inner):
                nested = isinstance(self.r.unalias(inner), int) and isinstance(
                    self.r.types[self.r.unalias(inner)].kind, model.Option_
                )
                if d(st.integers(0, 2)) == 0:
                    return d(st.sampled_from([UNDEF, NULL])), UNDEF
                if nested:
                    i, o = self.value(inner, f"{path}.some")
                    return {"some": i}, {"some": o}
                return self.value(inner, path, in_option=True)
            case model.Result_(ok, err):
                tag = d(st.sampled_from(["ok", "err"]))
                payload = ok if tag == "ok" else err
                if payload is None:
                    return {"tag": tag}, {"tag": tag}
                i, o = self.value(payload, f"{path}.val")
                return {"tag": tag, "val": i}, {"tag": tag, "val": o}
            case model.Variant(cases):
                c = d(st.sampled_from(cases))
                if c.type is None:
                    return {"tag": c.name}, {"tag": c.name}
                i, o = self.value(c.type, f"{path}.val")
                return {"tag": c.name, "val": i}, {"tag": c.name, "val": o}
            case model.Enum_(cases):
                name = d(st.sampled_from(cases)).name
                return name, name
            case model.Flags(flags):
                out = {camel(f.name): d(st.booleans()) for f in flags}
                inp = {k: v for k, v in out.items() if v or d(st.booleans())}
                return inp, out
        raise NotImplementedError(f"no JS values for {type(kind).__name__}")


def prim_value(d: st.DrawFn, t: Prim) -> tuple[object, object]:
    name = t.value
    if name in INT_BITS:
        bits = INT_BITS[name]
        lo, hi = (0, 2**bits - 1) if name[0] == "u" else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        n = d(st.one_of(st.integers(lo, hi), st.sampled_from([lo, hi])))
        if bits < 64:
            return n, n
        if abs(n) < 2**53 and d(st.booleans()):
            return n, big(n)  # docs/js.md: a number is accepted for u64/s64
        return big(n), big(n)
    if t is Prim.F32:
        f = d(st.floats(width=32))
        return f, f
    if t is Prim.F64:
        f = d(st.floats())
        return f, f
    if t is Prim.BOOL:
        b = d(st.booleans())
        return b, b
    if t is Prim.CHAR:
        c = d(st.characters(exclude_categories=["Cs"]))
        return c, c
    if t is Prim.STRING:
        s = d(st.text(st.characters(exclude_categories=["Cs"]), max_size=12))
        return s, s
    raise NotImplementedError(name)


def bad_prim(t: Prim) -> list[tuple[object, str]]:
    """Values JS may not pass for `t`, each with the path suffix its error names."""
    name = t.value
    common: list[tuple[object, str]] = [(NULL, ""), (UNDEF, ""), ({}, "")]
    if name in INT_BITS:
        bits = INT_BITS[name]
        hi = 2**bits if name[0] == "u" else 2 ** (bits - 1)
        out = [*common, (1.5, ""), ("1", ""), (math.nan, ""), (math.inf, "")]
        if bits < 64:
            out += [(hi, ""), (big(1), "")]
        else:
            out += [(big(hi), ""), (big(-hi - 1), "")]
        if name[0] == "u":
            out.append((-1, ""))
        return out
    if t in (Prim.F32, Prim.F64):
        return [*common, ("1", ""), (big(1), "")]
    if t is Prim.BOOL:
        return [*common, (0, ""), ("true", "")]
    if t is Prim.CHAR:
        return [*common, ("ab", ""), ("", ""), (65, ""), ("\ud800", "")]
    if t is Prim.STRING:
        return [*common, (5, ""), (["a"], ""), ("a\udc00b", ""), ("\ud83d", "")]
    raise NotImplementedError(name)


def bad_compound(kind: model.TypeDefKind) -> list[tuple[object, str]]:
    common: list[tuple[object, str]] = [(NULL, ""), (UNDEF, ""), (5, ""), ("x", "")]
    match kind:
        case model.Tuple(types):
            return [*common, ([], ""), ([0] * (len(types) + 1), ""), ({}, "")]
        case model.List():
            return [*common, ({}, ""), ({"length": 1}, "")]
        case model.Result_() | model.Variant():
            return [*common, ({"tag": "nope"}, ".tag"), ({}, ".tag")]
        case model.FixedList(_, size):
            return [*common, ([0] * (size + 1), ""), ({}, "")]
        case model.Map():
            return [*common, ([], ""), ({}, "")]
        case model.Enum_():
            return [*common, ("nope", ""), ({}, "")]
        case model.Flags(flags):
            name = camel(flags[0].name)
            return [*common, ({name: 1}, f".{name}"), ({name: "yes"}, f".{name}")]
    return common
