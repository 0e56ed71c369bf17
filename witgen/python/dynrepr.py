"""How wasmtime-py 51's dynamic `wasmtime.component` API represents each WIT value, computed
from the model (mirroring `ValType.add_classes` and `VariantLikeType._tagged` in its
`component/_types.py`), so the generated code converts to and from it without looking at types
at run time.

- scalars are `bool`/`int`/`float`/`str` (`char` too), `list<u8>` is `bytes`, other lists
  `list`, tuples `tuple`, records `wasmtime.component.Record` objects with the WIT field names
  as attributes, flags a `set` of names, enums the case name, handles `ResourceAny`
  (`ResourceHost` accepted);
- a variant, option or result is *untagged* (the bare payload, `None` for a case without one)
  when no two of its cases can produce a value of the same Python class, else *tagged*
  (`Variant(tag, payload)`).

wasmtime-py lowers an untagged value to the first case whose classes accept it (`isinstance`),
so a later case whose value an earlier case also accepts cannot be passed to the guest at all:
`misrouted` names those cases, and the generated code refuses them with a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    Variant,
)

#: the class wasmtime-py maps a payload-less case to (it accepts only `None` there)
NONE = "object"

#: subclass relation among the classes below, for `isinstance` (everything is an `object`)
_SUBCLASS = {"bool": "int"}


@dataclass(frozen=True)
class Cases:
    """The dynamic representation of a variant-like type: its cases in order, each with the
    set of classes its payload produces (`{NONE}` for none), and whether it is tagged."""

    names: tuple[str, ...]
    classes: tuple[frozenset[str], ...]
    #: whether each case has a payload
    payload: tuple[bool, ...]
    tagged: bool

    @property
    def misrouted(self) -> frozenset[str]:
        """Cases wasmtime-py lowers as an earlier case (untagged only): a payload-less case
        takes only `None`; a case with a payload takes what `isinstance(v, classes)` accepts
        (anything, when its classes hold `object`)."""
        if self.tagged:
            return frozenset()
        bad = set()
        for k, mine in enumerate(self.classes):
            for earlier, payload in zip(self.classes[:k], self.payload[:k], strict=True):
                if any(_accepts(earlier, payload, c) for c in mine):
                    bad.add(self.names[k])
        return frozenset(bad)


def _accepts(classes: frozenset[str], payload: bool, cls: str) -> bool:
    """Whether a case with `classes` takes a value of class `cls` (`NONE`: the value None)."""
    if not payload:
        return cls == NONE
    if NONE in classes:
        return True
    return cls in classes or _SUBCLASS.get(cls) in classes


class DynRepr:
    """`classes(t)` and `cases(t)` of the types of one `Resolve`."""

    def __init__(self, resolve: Resolve) -> None:
        self.r = resolve
        # memoized per type: `option<option<...>>` asks about each inner level from each outer
        self._classes: dict[int, frozenset[str]] = {}
        self._cases: dict[int, Cases] = {}

    def classes(self, t: Type) -> frozenset[str]:
        t = self.r.unalias(t)
        if isinstance(t, Prim):
            return frozenset({_PRIM_CLASS[t]})
        if t not in self._classes:
            self._classes[t] = self._type_classes(t)
        return self._classes[t]

    def _type_classes(self, t: int) -> frozenset[str]:
        kind = self.r.types[t].kind
        match kind:
            case Record():
                return frozenset({"Record"})
            case Tuple():
                return frozenset({"tuple"})
            case Flags():
                return frozenset({"set"})
            case Enum_():
                return frozenset({"str"})
            case List(elem):
                return frozenset({"bytes" if self.r.unalias(elem) == Prim.U8 else "list"})
            case Handle():
                return frozenset({"ResourceAny", "ResourceHost"})
            case Variant() | Option_() | Result_():
                cases = self.cases(t)
                if cases.tagged:
                    return frozenset({"Variant"})
                return frozenset().union(*cases.classes)
            case FixedList() | Map() | Future() | Stream() | Resource() | Alias():
                # refused before generation (FixedList, Map, Future, Stream); never a value
                # (Resource); followed above (Alias)
                return frozenset({NONE})
            case _:
                assert_never(kind)

    def cases(self, t: Type) -> Cases:
        t = self.r.unalias(t)
        assert not isinstance(t, Prim)
        if t not in self._cases:
            self._cases[t] = self._type_cases(t)
        return self._cases[t]

    def _type_cases(self, t: int) -> Cases:
        kind = self.r.types[t].kind
        payloads: list[tuple[str, Type | None]]
        match kind:
            case Variant(cs):
                payloads = [(c.name, c.type) for c in cs]
            case Option_(inner):
                payloads = [("none", None), ("some", inner)]
            case Result_(ok, err):
                payloads = [("ok", ok), ("err", err)]
            case _:
                raise AssertionError(f"not a variant-like type: {kind}")
        classes = tuple(frozenset({NONE}) if p is None else self.classes(p) for _, p in payloads)
        seen: set[str] = set()
        tagged = False
        for cl in classes:
            if cl & seen:
                tagged = True
            seen |= cl
        has = tuple(p is not None for _, p in payloads)
        return Cases(tuple(n for n, _ in payloads), classes, has, tagged)


_PRIM_CLASS = {
    Prim.BOOL: "bool",
    Prim.U8: "int",
    Prim.U16: "int",
    Prim.U32: "int",
    Prim.U64: "int",
    Prim.S8: "int",
    Prim.S16: "int",
    Prim.S32: "int",
    Prim.S64: "int",
    Prim.F32: "float",
    Prim.F64: "float",
    Prim.CHAR: "str",
    Prim.STRING: "str",
    Prim.ERROR_CONTEXT: NONE,  # refused before generation
}
