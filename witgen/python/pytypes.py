"""Python types of WIT types: the names of the generated classes, the annotation of any type,
and the declarations of named types (records, enums, flags, variants).

| WIT | Python |
| --- | --- |
| `bool`, integers, `f32`/`f64` | `bool`, `int`, `float` |
| `char`, `string` | `str` |
| `list<u8>` / `list<T>` | `bytes` / `list[T]` |
| `list<T, N>` / `map<K, V>` | `tuple[T, ...]` / `dict[K, V]` (types only; see unsupported.py) |
| `tuple<A, B>` | `tuple[A, B]` |
| `record` | an immutable class with `__slots__`, `==`, `hash`, `repr` and `match` support |
| `enum` / `flags` | an `enum.Enum` (values: the WIT names) / an `enum.Flag` |
| `variant` | one such class per case (`value` holds the payload) and a union alias |
| `option<T>` | `T \\| None`; `Some[T] \\| None` when `T` is itself an option |
| `result<T, E>` | `Ok[T] \\| Err[E]`; a function's result returns `T`, raises `WitResultError[E]` |
| `own<R>`, `borrow<R>` | the resource's class (guest) or Protocol (host) |
"""

from __future__ import annotations

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

_PRIM = {
    Prim.BOOL: "bool",
    Prim.F32: "float",
    Prim.F64: "float",
    Prim.CHAR: "str",
    Prim.STRING: "str",
    Prim.ERROR_CONTEXT: "object",
}


def doc_lines(docs: str | None, indent: str) -> str:
    """A docstring line (or block) from WIT docs, or ""."""
    if not docs:
        return ""
    text = docs.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.startswith('"'):
        text = " " + text
    if text.endswith('"'):
        text += " "
    if "\n" not in text:
        return f'{indent}"""{text}"""\n'
    body = "\n".join(f"{indent}{line}" if line else "" for line in text.splitlines())
    return f'{indent}"""\n{body}\n{indent}"""\n'


def _comment(docs: str | None) -> str:
    """WIT docs as `#:` comment lines above a field."""
    if not docs:
        return ""
    return "".join(f"    #: {line}".rstrip() + "\n" for line in docs.strip().splitlines())


def value_class(
    name: str, doc: str, members: list[tuple[str, str, str | None]], kw_only: bool = False
) -> str:
    """A `_rt.Value` class: slots, annotations and a typed `__init__` (`members`: Python name,
    annotation, docs)."""
    names = [repr(n) for n, _, _ in members]
    tup = f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"
    head = f"class {name}(_rt.Value):\n{doc}"
    if doc:
        head += "\n"
    lines = [f"    __slots__ = {tup}\n"]
    if not kw_only:
        lines.append(f"    __match_args__ = {tup}\n")
    lines += [_comment(d) + f"    {n}: {a}\n" for n, a, d in members]
    if members:
        star = "*, " if kw_only else ""
        params = ", ".join(f"{n}: {a}" for n, a, _ in members)
        sets = "".join(f"        _rt.setfield(self, {n!r}, {n})\n" for n, _, _ in members)
        lines.append(f"\n    def __init__(self, {star}{params}) -> None:\n{sets}")
    return head + "".join(lines)


class PyTypes:
    """Class names of the named types of a world and annotations of any type."""

    def __init__(self, resolve: Resolve, named: list[TypeId], reserved: set[str]) -> None:
        self.r = resolve
        self.names: dict[TypeId, str] = {}
        self._annots: dict[TypeId, str] = {}
        taken = set(reserved) | N.RESERVED_TYPES
        self._taken = taken
        counts: dict[str, int] = {}
        for tid in named:
            base = N.pascal(self.r.types[tid].name or "")
            counts[base] = counts.get(base, 0) + 1
        for tid in named:
            td = self.r.types[tid]
            base = N.pascal(td.name or "")
            if counts[base] > 1 and td.owner is not None and td.owner.kind == "interface":
                iface = self.r.interfaces[td.owner.id].name or ""
                base = N.pascal(iface) + base
            self.names[tid] = N.unique(base, taken)
        #: variant case class names, by (variant id, case name)
        self.case_names: dict[tuple[TypeId, str], str] = {}
        for tid in named:
            kind = self.r.types[tid].kind
            if isinstance(kind, Variant):
                for case in kind.cases:
                    cname = N.unique(self.names[tid] + N.pascal(case.name), taken)
                    self.case_names[(tid, case.name)] = cname

    def guest_view(self, named: list[TypeId]) -> PyTypes:
        """The export side's types of a world exporting an interface it also imports
        (sides.py): the types of `named` get `Guest`-prefixed names of their own, the rest are
        shared with this view."""
        view = PyTypes(self.r, [], set())
        view._taken = self._taken
        view.names = dict(self.names)
        view.case_names = dict(self.case_names)
        for tid in named:
            view.names[tid] = N.unique("Guest" + self.names[tid], self._taken)
        for tid in named:
            kind = self.r.types[tid].kind
            if isinstance(kind, Variant):
                for case in kind.cases:
                    cname = N.unique(view.names[tid] + N.pascal(case.name), self._taken)
                    view.case_names[(tid, case.name)] = cname
        return view

    def is_nested_option(self, inner: Type) -> bool:
        u = self.r.unalias(inner)
        return not isinstance(u, Prim) and isinstance(self.r.types[u].kind, Option_)

    def annot(self, t: Type) -> str:
        """The annotation of a value of type `t`."""
        t = self.r.unalias(t)
        if isinstance(t, Prim):
            return _PRIM.get(t, "int")
        # memoized: the annotation of `option<option<...>>` spells out every inner level
        if t not in self._annots:
            self._annots[t] = self._type_annot(t)
        return self._annots[t]

    def _type_annot(self, t: TypeId) -> str:
        kind = self.r.types[t].kind
        match kind:
            case Record() | Enum_() | Flags() | Variant() | Resource():
                return self.names[t]
            case Handle(_, res):
                return self.annot(res)
            case Tuple(types):
                return f"tuple[{', '.join(self.annot(x) for x in types) or '()'}]"
            case List(elem):
                return "bytes" if self.r.unalias(elem) == Prim.U8 else f"list[{self.annot(elem)}]"
            case FixedList(elem, _):
                return f"tuple[{self.annot(elem)}, ...]"
            case Map(key, value):
                return f"dict[{self.annot(key)}, {self.annot(value)}]"
            case Option_(inner):
                if self.is_nested_option(inner):
                    return f"_rt.Some[{self.annot(inner)}] | None"
                return f"{self.annot(inner)} | None"
            case Result_(ok, err):
                return f"_rt.Ok[{self.opt(ok)}] | _rt.Err[{self.opt(err)}]"
            case Future() | Stream():
                return "object"
            case Alias():  # pragma: no cover - unaliased above
                raise AssertionError("alias")
            case _:
                assert_never(kind)

    def opt(self, t: Type | None) -> str:
        return "None" if t is None else self.annot(t)

    # --- declarations -----------------------------------------------------------------------

    def declare(self, tid: TypeId) -> str:
        """The Python declaration of named type `tid` (resources are declared elsewhere)."""
        td = self.r.types[tid]
        name = self.names[tid]
        doc = doc_lines(td.docs, "    ")
        kind = td.kind
        match kind:
            case Record(fields):
                members = [(N.snake(f.name), self.annot(f.type), f.docs) for f in fields]
                return value_class(name, doc, members)
            case Enum_(cases):
                body = "".join(f"    {N.upper(c.name)} = {c.name!r}\n" for c in cases)
                return f"class {name}(_enum.Enum):\n{doc}{body}"
            case Flags(flags):
                body = "".join(f"    {N.upper(f.name)} = {1 << i}\n" for i, f in enumerate(flags))
                return f"class {name}(_enum.Flag):\n{doc}{body or '    pass' + chr(10)}"
            case Variant(cases):
                out = []
                for case in cases:
                    cname = self.case_names[(tid, case.name)]
                    members = [] if case.type is None else [("value", self.annot(case.type), None)]
                    out.append(value_class(cname, doc_lines(case.docs, "    "), members) + "\n\n")
                union = " | ".join(self.case_names[(tid, c.name)] for c in cases)
                return "".join(out) + f"{name}: _t.TypeAlias = {union}\n"
            case _:
                raise AssertionError(f"no declaration for {kind}")


def imports_class(fields: list[tuple[str, str, str | None]]) -> str:
    """`Imports`: the world's imported functions (callables) and interfaces (objects); an
    interface under `wasi:` may be None (then `load(wasi=...)` links wasmtime's)."""
    doc = (
        '    """Everything the world imports: functions, and objects implementing the '
        'interfaces."""\n'
    )
    text = value_class("Imports", doc, fields, kw_only=True)
    for name, ann, _ in fields:
        if ann.endswith(" | None"):
            text = text.replace(f"{name}: {ann},", f"{name}: {ann} = None,").replace(
                f"{name}: {ann})", f"{name}: {ann} = None)"
            )
    return text
