"""The canonical-ABI shape of each WIT type: what a generator needs to read or write a value of it
in linear memory and as flat core values, computed once per type id.

`shapes_of(resolve).of(t)` gives one of:

- `PrimShape`: a primitive (`string` included: a pointer and a length);
- `RecordShape`: a record or tuple, with each member's byte offset and flat range;
- `VariantShape`: a variant, `option` or `result`: its cases with their payloads, the
  discriminant size, the payload offset, the joined flat payload types and, per case, the
  coercion of each of its flat values to the joined type;
- `EnumShape`, `FlagsShape` (names, discriminant size / flat word count);
- `ListShape` (element size/align, and whether its bytes are a canonical numeric array),
  `MapShape` (a list of key/value entries: entry offsets, size, align), `FixedListShape`;
- `HandleShape` (`own`/`borrow` of a resource), `AsyncValueShape` (`future`/`stream`).

Every shape has the type's `size`, `align`, `flat` core types and `facts` (`TypeFacts`).
Aliases are followed: the shape of an alias is its target's, and `tid` is the target's id.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from enum import Enum
from typing import Any, assert_never

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

from .flat import CoreType, flatten_type
from .layout import Layouts, align_to, discriminant_size, flags_word_count, layout_of
from .memo import per_resolve
from .typeinfo import TypeFacts, typeinfo_of

#: element types whose list is a plain array of little-endian numbers in memory
NUMERIC = frozenset(
    {
        Prim.U8,
        Prim.S8,
        Prim.U16,
        Prim.S16,
        Prim.U32,
        Prim.S32,
        Prim.U64,
        Prim.S64,
        Prim.F32,
        Prim.F64,
    }
)


@dataclass(frozen=True)
class _Shape:
    size: int
    align: int
    flat: tuple[CoreType, ...]
    facts: TypeFacts


@dataclass(frozen=True)
class PrimShape(_Shape):
    prim: Prim


@dataclass(frozen=True)
class Member:
    """A record field (`name`) or tuple element (`name` None)."""

    name: str | None
    type: Type
    offset: int
    flat_start: int
    flat_count: int


@dataclass(frozen=True)
class RecordShape(_Shape):
    tid: TypeId
    members: tuple[Member, ...]
    is_tuple: bool


class VariantKind(str, Enum):
    VARIANT = "variant"
    OPTION = "option"
    RESULT = "result"


@dataclass(frozen=True)
class CaseShape:
    """One case of a variant-like type. `coercions` pairs each flat value of the payload with
    the joined flat type it travels as; `padding` are the joined types after the payload."""

    name: str
    type: Type | None
    coercions: tuple[tuple[CoreType, CoreType], ...]
    padding: tuple[CoreType, ...]


@dataclass(frozen=True)
class VariantShape(_Shape):
    tid: TypeId
    kind: VariantKind
    cases: tuple[CaseShape, ...]
    disc_size: int
    payload_offset: int
    #: the flat payload types every case shares (the flat form minus the discriminant)
    joined: tuple[CoreType, ...]
    #: an `option<option<T>>`: the outer case needs a wrapper to be told apart
    nested_option: bool


@dataclass(frozen=True)
class EnumShape(_Shape):
    tid: TypeId
    names: tuple[str, ...]


@dataclass(frozen=True)
class FlagsShape(_Shape):
    tid: TypeId
    names: tuple[str, ...]
    words: int


@dataclass(frozen=True)
class ListShape(_Shape):
    tid: TypeId
    element: Type
    elem_size: int
    elem_align: int
    #: the element is a number: the list's bytes are a little-endian array of it
    numeric: Prim | None


@dataclass(frozen=True)
class MapShape(_Shape):
    tid: TypeId
    key: Type
    value: Type
    key_offset: int
    value_offset: int
    entry_size: int
    entry_align: int


@dataclass(frozen=True)
class FixedListShape(_Shape):
    tid: TypeId
    element: Type
    length: int
    elem_size: int
    elem_flat_count: int


@dataclass(frozen=True)
class HandleShape(_Shape):
    tid: TypeId
    resource: TypeId
    own: bool


@dataclass(frozen=True)
class AsyncValueShape(_Shape):
    tid: TypeId
    is_future: bool
    payload: Type | None


Shape = (
    PrimShape
    | RecordShape
    | VariantShape
    | EnumShape
    | FlagsShape
    | ListShape
    | MapShape
    | FixedListShape
    | HandleShape
    | AsyncValueShape
)


class Shapes:
    """Shapes of the types of one `Resolve`, computed on demand and memoized."""

    def __init__(self, resolve: Resolve) -> None:
        # weak, so the per-Resolve memo does not keep the Resolve alive
        self._ref = weakref.ref(resolve)
        self._lay: Layouts = layout_of(resolve)
        self._info = typeinfo_of(resolve)
        self._memo: dict[Type, Shape] = {}

    @property
    def _resolve(self) -> Resolve:
        resolve = self._ref()
        assert resolve is not None, "the Resolve of these Shapes was garbage collected"
        return resolve

    def of(self, t: Type) -> Shape:
        memo = self._memo.get(t)
        if memo is None:
            memo = self._compute(t)
            self._memo[t] = memo
        return memo

    def _base(self, t: Type) -> _Shape:
        size, align = self._lay.size(t), self._lay.align(t)
        return _Shape(size, align, tuple(flatten_type(self._resolve, t)), self._info.facts(t))

    def _compute(self, t: Type) -> Shape:
        if isinstance(t, Prim):
            return PrimShape(**vars(self._base(t)), prim=t)
        kind = self._resolve.types[t].kind
        if isinstance(kind, Alias):
            return self.of(kind.type)
        b = vars(self._base(t))
        match kind:
            case Record():
                return self._record(t, b, [(f.name, f.type) for f in kind.fields], False)
            case Tuple():
                return self._record(t, b, [(None, ty) for ty in kind.types], True)
            case Variant():
                cases = [(c.name, c.type) for c in kind.cases]
                return self._variant(t, b, VariantKind.VARIANT, cases)
            case Option_():
                return self._variant(
                    t, b, VariantKind.OPTION, [("none", None), ("some", kind.type)]
                )
            case Result_():
                return self._variant(t, b, VariantKind.RESULT, [("ok", kind.ok), ("err", kind.err)])
            case Enum_():
                return EnumShape(**b, tid=t, names=tuple(c.name for c in kind.cases))
            case Flags():
                names = tuple(f.name for f in kind.flags)
                return FlagsShape(**b, tid=t, names=names, words=flags_word_count(len(names)))
            case List():
                e = self._resolve.unalias(kind.type)
                numeric = e if isinstance(e, Prim) and e in NUMERIC else None
                esize, ealign = self._lay.size(kind.type), self._lay.align(kind.type)
                return ListShape(**b, tid=t, element=kind.type, elem_size=esize,
                                 elem_align=ealign, numeric=numeric)  # fmt: skip
            case Map():
                return self._map(t, b, kind)
            case FixedList():
                n = len(flatten_type(self._resolve, kind.type))
                return FixedListShape(**b, tid=t, element=kind.type, length=kind.size,
                                      elem_size=self._lay.size(kind.type), elem_flat_count=n)  # fmt: skip
            case Handle():
                rid = self._resolve.unalias(kind.resource)
                assert not isinstance(rid, Prim)
                return HandleShape(**b, tid=t, resource=rid, own=kind.kind == "own")
            case Future() | Stream():
                return AsyncValueShape(**b, tid=t, is_future=isinstance(kind, Future),
                                       payload=kind.type)  # fmt: skip
            case Resource():
                raise TypeError("a resource is not a value type; its handles are")
            case _:
                assert_never(kind)

    def _record(
        self, t: TypeId, b: dict[str, Any], fields: list[tuple[str | None, Type]], is_tuple: bool
    ) -> RecordShape:
        offsets = self._lay.record_offsets([ty for _, ty in fields])
        members = []
        pos = 0
        for (name, ty), off in zip(fields, offsets, strict=True):
            n = len(flatten_type(self._resolve, ty))
            members.append(Member(name, ty, off, pos, n))
            pos += n
        return RecordShape(**b, tid=t, members=tuple(members), is_tuple=is_tuple)

    def _variant(
        self, t: TypeId, b: dict[str, Any], kind: VariantKind, cases: list[tuple[str, Type | None]]
    ) -> VariantShape:
        flat = flatten_type(self._resolve, t)
        joined = tuple(flat[1:])
        shaped = []
        for name, ty in cases:
            have = [] if ty is None else flatten_type(self._resolve, ty)
            coercions = tuple(zip(have, joined, strict=False))
            shaped.append(CaseShape(name, ty, coercions, joined[len(have) :]))
        payload_offset = self._lay.payload_offset(len(cases), [ty for _, ty in cases])
        nested = False
        if kind is VariantKind.OPTION:
            inner = cases[1][1]
            assert inner is not None
            nested = isinstance(self.of(inner), VariantShape) and (
                self.of(inner).kind is VariantKind.OPTION  # type: ignore[union-attr]
            )
        return VariantShape(**b, tid=t, kind=kind, cases=tuple(shaped),
                            disc_size=discriminant_size(len(cases)), payload_offset=payload_offset,
                            joined=joined, nested_option=nested)  # fmt: skip

    def _map(self, t: TypeId, b: dict[str, Any], kind: Map) -> MapShape:
        koff, voff = self._lay.record_offsets([kind.key, kind.value])
        align = max(self._lay.align(kind.key), self._lay.align(kind.value))
        size = align_to(voff + self._lay.size(kind.value), align)
        return MapShape(**b, tid=t, key=kind.key, value=kind.value, key_offset=koff,
                        value_offset=voff, entry_size=size, entry_align=align)  # fmt: skip


def shapes_of(resolve: Resolve) -> Shapes:
    """The memoized `Shapes` of `resolve`."""
    return per_resolve(resolve, "shapes", Shapes)
