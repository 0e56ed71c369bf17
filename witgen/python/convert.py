"""The converters between the generated Python types and wasmtime-py's dynamic values.

`lower(t, v)` is an expression turning the Python value `v` into what wasmtime-py accepts for
`t`, checking it on the way (type, range, case, handle); a failed check raises `_rt.Bad`, whose
path the enclosing converters extend (`[2]`, `.field`, `.value`) as it unwinds. `lift(t, v)`
turns what wasmtime-py returns into the Python type (wasmtime checked those values already).
Compound types get one helper function each (`_lo12`, `_li12`), emitted on first use; the
helpers take the instance context `c` (handle tables, store) and the value.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import assert_never

from witgen.model import (
    Alias,
    Enum_,
    FixedList,
    Flags,
    Future,
    Handle,
    List,
    Map,
    Option_,
    Prim,
    Record,
    Resolve,
    Resource,
    Result_,
    Stream,
    Tuple,
    Type,
    TypeId,
    Variant,
)

from . import names as N
from .dynrepr import NONE, Cases, DynRepr
from .pytypes import PyTypes

_LOWER_PRIM = {
    Prim.BOOL: "_rt.lo_bool",
    Prim.U8: "_rt.lo_u8",
    Prim.U16: "_rt.lo_u16",
    Prim.U32: "_rt.lo_u32",
    Prim.U64: "_rt.lo_u64",
    Prim.S8: "_rt.lo_s8",
    Prim.S16: "_rt.lo_s16",
    Prim.S32: "_rt.lo_s32",
    Prim.S64: "_rt.lo_s64",
    Prim.F32: "_rt.lo_float",
    Prim.F64: "_rt.lo_float",
    Prim.CHAR: "_rt.lo_char",
    Prim.STRING: "_rt.lo_string",
}

#: wasmtime-py's class names (see dynrepr) as expressions of the generated code
_CLASS_EXPR = {
    "bool": "bool",
    "int": "int",
    "float": "float",
    "str": "str",
    "bytes": "bytes",
    "list": "list",
    "tuple": "tuple",
    "set": "set",
    "Record": "_rt.Record",
    "Variant": "_rt.Variant",
    "ResourceAny": "_rt.ResourceAny",
    "ResourceHost": "_rt.ResourceHost",
}


@dataclass
class Converters:
    """Emits converter helpers on demand; `helpers` holds their code in creation order."""

    resolve: Resolve
    types: PyTypes
    #: resources the guest implements (their class wraps a handle)
    guest_resources: frozenset[TypeId]
    #: host-implemented resources -> the index of their table in the instance context
    host_tables: dict[TypeId, int]
    helpers: dict[str, str] = field(default_factory=dict)
    #: the export side of a world with an interface both ways (sides.py): helpers of the types
    #: `sided` says have two roles get this suffix
    side: str = ""
    sided: Callable[[Type], bool] = field(default=lambda t: False)

    def __post_init__(self) -> None:
        self.dyn = DynRepr(self.resolve)

    # --- lowering ---------------------------------------------------------------------------

    def lower(self, t: Type, v: str) -> str:
        t = self.resolve.unalias(t)
        if isinstance(t, Prim):
            return f"{_LOWER_PRIM[t]}({v})"
        kind = self.resolve.types[t].kind
        if isinstance(kind, List) and self.resolve.unalias(kind.type) == Prim.U8:
            return f"_rt.lo_bytes({v})"
        name = f"_lo{t}{self.side if self.sided(t) else ''}"
        if name not in self.helpers:
            self.helpers[name] = ""  # reserve the slot (order) before recursing
            body = self._lower_body(t)
            self.helpers[name] = f"def {name}(c: _rt.Ctx, v: object) -> _t.Any:\n{body}\n\n\n"
        return f"{name}(c, {v})"

    def _lower_body(self, t: TypeId) -> str:
        kind = self.resolve.types[t].kind
        match kind:
            case Record(fields):
                cls = self.types.names[t]
                parts = [
                    (f".{N.snake(f.name)}", f.name, self.lower(f.type, f"r.{N.snake(f.name)}"))
                    for f in fields
                ]
                pairs = ", ".join(f"{wit!r}: x{i}" for i, (_, wit, _) in enumerate(parts))
                return _guarded(f"    r = _rt.lo_record(v, {cls})", parts, f"_rt.record({{{pairs}}})")
            case Tuple(types):
                parts = [(f"[{i}]", str(i), self.lower(x, f"r[{i}]")) for i, x in enumerate(types)]
                items = "".join(f"x{i}, " for i in range(len(parts)))
                return _guarded(f"    r = _rt.lo_tuple(v, {len(types)})", parts, f"({items})")
            case List(elem):
                return f"    return _rt.lo_list(v, lambda x: {self.lower(elem, 'x')})"
            case Enum_():
                cls = self.types.names[t]
                check = f"    if not isinstance(v, {cls}):\n        _rt.bad_type('a {cls}', v)\n"
                return check + "    return v.value"
            case Flags(flags):
                cls = self.types.names[t]
                check = f"    if not isinstance(v, {cls}):\n        _rt.bad_type('a {cls}', v)\n"
                pairs = "".join(f"({cls}.{N.upper(f.name)}, {f.name!r}), " for f in flags)
                return check + f"    return {{n for m, n in ({pairs}) if m in v}}"
            case Variant(cases):
                dyn = self.dyn.cases(t)
                arms = [
                    (self.types.case_names[(t, c.name)], c.name, c.type, ".value")
                    for c in cases
                ]
                return self._lower_cases(dyn, arms, f"a {self.types.names[t]}")
            case Option_(inner):
                return self._lower_option(t, inner)
            case Result_(ok, err):
                dyn = self.dyn.cases(t)
                arms = [("_rt.Ok", "ok", ok, ".value"), ("_rt.Err", "err", err, ".value")]
                return self._lower_cases(dyn, arms, "an Ok or Err")
            case Handle(own, res):
                rid = self.resolve.unalias(res)
                assert not isinstance(rid, Prim)
                if rid in self.guest_resources:
                    cls = self.types.names[rid]
                    return f"    return _rt.lo_guest(c, v, {cls}, {own == 'own'})"
                return f"    return _rt.lo_host(c, v, c.tables[{self.host_tables[rid]}], {own == 'own'})"
            case FixedList() | Map() | Future() | Stream() | Resource() | Alias():
                raise AssertionError(f"no lowering of {kind}")  # refused by unsupported.py
            case _:
                assert_never(kind)

    def _lower_cases(
        self, dyn: Cases, arms: list[tuple[str, str, Type | None, str]], what: str
    ) -> str:
        lines = []
        for n, (cls, wit, payload, seg) in enumerate(arms):
            lines.append(f"    if isinstance(v, {cls}):")
            if wit in dyn.misrouted:
                lines.append(
                    f"        raise _rt.Bad('wasmtime-py cannot pass case `{wit}` of this type "
                    "to the guest (its untagged value mapping sends it to an earlier case)', "
                    "NotImplementedError)"
                )
                continue
            if payload is None:
                val = "None"
            else:
                inner = self.lower(payload, "v.value" if cls[0] != "_" else "_rt.payload(v)")
                lines += ["        try:", f"            p{n} = {inner}", "        except _rt.Bad as e:",
                          f"            raise e.at({seg!r}) from None"]  # fmt: skip
                val = f"p{n}"
            if dyn.tagged:
                val = f"_rt.Variant({wit!r})" if payload is None else f"_rt.Variant({wit!r}, {val})"
            lines.append(f"        return {val}")
        lines.append(f"    _rt.bad_type({what!r}, v)")
        return "\n".join(lines)

    def _lower_option(self, t: TypeId, inner: Type) -> str:
        dyn = self.dyn.cases(t)
        nested = self.types.is_nested_option(inner)
        none = "_rt.Variant('none')" if dyn.tagged else "None"
        lines = ["    if v is None:", f"        return {none}"]
        src = "v"
        if nested:
            lines += ["    if not isinstance(v, _rt.Some):", "        _rt.bad_type('Some(...) or None', v)"]
            src = "_rt.payload(v)"
        lines += ["    try:", f"        p = {self.lower(inner, src)}", "    except _rt.Bad as e:",
                  f"        raise e.at({'.value' if nested else ''!r}) from None"]  # fmt: skip
        lines.append("    return _rt.Variant('some', p)" if dyn.tagged else "    return p")
        return "\n".join(lines)

    # --- lifting ----------------------------------------------------------------------------

    def lift(self, t: Type, v: str) -> str:
        """An expression for the Python value of wasmtime-py's `v`; `v` itself when they are
        the same (scalars, strings, bytes, lists of those)."""
        t = self.resolve.unalias(t)
        if isinstance(t, Prim):
            return v
        kind = self.resolve.types[t].kind
        if isinstance(kind, List):
            elem = self.lift(kind.type, "x")
            return v if elem == "x" else f"[{elem} for x in {v}]"
        if isinstance(kind, Handle):
            return self._lift_handle(kind, v)
        name = f"_li{t}{self.side if self.sided(t) else ''}"
        if name not in self.helpers:
            self.helpers[name] = ""
            body = self._lift_body(t)
            ann = self.types.annot(t)
            self.helpers[name] = f"def {name}(c: _rt.Ctx, v: _t.Any) -> {ann}:\n{body}\n\n\n"
        return f"{name}(c, {v})"

    def lift_typed(self, t: Type, v: str) -> str:
        """`lift(t, v)`, cast to `t`'s annotation where it is `v` itself (typed `Any`)."""
        out = self.lift(t, v)
        return f"_t.cast({self.types.annot(t)!r}, {v})" if out == v else out

    def _lift_handle(self, kind: Handle, v: str) -> str:
        rid = self.resolve.unalias(kind.resource)
        assert not isinstance(rid, Prim)
        if rid in self.guest_resources:
            return f"{self.types.names[rid]}(c, {v})"
        op = "take" if kind.kind == "own" else "get"
        cls = self.types.names[rid]
        return f"_t.cast({cls!r}, c.tables[{self.host_tables[rid]}].{op}(c.host_rep({v})))"

    def _lift_body(self, t: TypeId) -> str:
        kind = self.resolve.types[t].kind
        match kind:
            case Record(fields):
                args = ", ".join(
                    f"{N.snake(f.name)}={self.lift(f.type, _attr(f.name))}" for f in fields
                )
                return f"    return {self.types.names[t]}({args})"
            case Tuple(types):
                items = "".join(f"{self.lift(x, f'v[{i}]')}, " for i, x in enumerate(types))
                return f"    return ({items})"
            case Enum_():
                return f"    return {self.types.names[t]}(v)"
            case Flags(flags):
                cls = self.types.names[t]
                if not flags:
                    return f"    return {cls}(0)"
                table = ", ".join(f"{f.name!r}: {1 << i}" for i, f in enumerate(flags))
                return f"    m = {{{table}}}\n    return {cls}(sum(m[n] for n in v))"
            case Variant(cases):
                arms = [
                    (c.name, c.type, self.types.case_names[(t, c.name)] + ("({})" if c.type is not None else "()"))
                    for c in cases
                ]
                return self._lift_cases(self.dyn.cases(t), arms)
            case Option_(inner):
                some = "_rt.Some({})" if self.types.is_nested_option(inner) else "{}"
                return self._lift_cases(self.dyn.cases(t), [("none", None, "None"), ("some", inner, some)])
            case Result_(ok, err):
                return self._lift_cases(
                    self.dyn.cases(t), [("ok", ok, "_rt.Ok({})"), ("err", err, "_rt.Err({})")]
                )
            case Handle() | FixedList() | Map() | Future() | Stream() | Resource() | List() | Alias():
                raise AssertionError(f"no lift helper for {kind}")
            case _:
                assert_never(kind)

    def _lift_cases(self, dyn: Cases, arms: list[tuple[str, Type | None, str]]) -> str:
        def make(payload: Type | None, shape: str, src: str) -> str:
            if "{}" not in shape:
                return shape
            return shape.format("None" if payload is None else self.lift_typed(payload, src))

        lines = []
        if dyn.tagged:
            lines.append("    t = v.tag")
            for wit, payload, shape in arms:
                lines += [f"    if t == {wit!r}:", f"        return {make(payload, shape, 'v.payload')}"]
            lines.append("    raise AssertionError(t)")
            return "\n".join(lines)
        none_arm = None
        for (_wit, payload, shape), classes in zip(arms, dyn.classes, strict=True):
            if NONE in classes:
                none_arm = (payload, shape)
        if none_arm is not None:
            lines += ["    if v is None:", f"        return {make(none_arm[0], none_arm[1], 'v')}"]
        lines.append("    k: object = v.__class__")
        for (_wit, payload, shape), classes in zip(arms, dyn.classes, strict=True):
            exprs = sorted(_CLASS_EXPR[c] for c in classes if c != NONE)
            if not exprs:
                continue
            test = " or ".join(f"k is {e}" for e in exprs)
            lines += [f"    if {test}:", f"        return {make(payload, shape, 'v')}"]
        lines.append("    raise AssertionError(k)")
        return "\n".join(lines)


def _attr(wit: str) -> str:
    """`v`'s attribute named `wit` (wasmtime-py names a record's attributes by WIT field)."""
    plain = wit.isidentifier() and not keyword.iskeyword(wit)
    return f"v.{wit}" if plain else f"getattr(v, {wit!r})"


def _guarded(pre: str, parts: list[tuple[str, str, str]], result: str) -> str:
    """Lines converting `parts` (path segment, key, expression) into `x0`, `x1`, ... one by
    one, so a failure names its segment, then returning `result` (built from them)."""
    lines = [pre]
    if parts:
        lines.append(f"    s = {parts[0][0]!r}")
        lines.append("    try:")
        for i, (seg, _key, expr) in enumerate(parts):
            if i:
                lines.append(f"        s = {seg!r}")
            lines.append(f"        x{i} = {expr}")
        lines += ["    except _rt.Bad as e:", "        raise e.at(s) from None"]
    lines.append(f"    return {result}")
    return "\n".join(lines)
