"""Size and alignment of WIT types in linear memory, per the Canonical ABI.

Only the 32-bit memory model (`memory32`) is covered: pointers and lengths are 4 bytes.

- `bool`, `u8`, `s8`: 1/1; `u16`, `s16`: 2/2; `u32`, `s32`, `f32`, `char`: 4/4;
  `u64`, `s64`, `f64`: 8/8; `string`, `list<T>`, `map<K, V>`: 8/4 (pointer + length).
- `list<T, N>` (fixed length) is laid out inline: N elements of T, aligned as T.
- records and tuples lay out their fields in order, each at its own alignment; the total is
  rounded up to the largest alignment (an empty one is 0/1).
- variants, `option`, `result` and `enum` are a discriminant (u8/u16/u32 by case count)
  followed by the largest payload at the payload's alignment.
- flags are a u8 (up to 8), a u16 (up to 16), or enough u32 words.
- handles (`own`, `borrow`), resources, `future`, `stream` and `error-context` are i32 indices.

`layout_of(resolve)` returns the memoized `Layouts` for a `Resolve`; types are arena indices so
the memo is keyed by type id and lives as long as the `Resolve` does.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

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

from .memo import per_resolve

#: (size, alignment) of each primitive.
PRIM_LAYOUT: dict[Prim, tuple[int, int]] = {
    Prim.BOOL: (1, 1),
    Prim.U8: (1, 1),
    Prim.S8: (1, 1),
    Prim.U16: (2, 2),
    Prim.S16: (2, 2),
    Prim.U32: (4, 4),
    Prim.S32: (4, 4),
    Prim.F32: (4, 4),
    Prim.CHAR: (4, 4),
    Prim.U64: (8, 8),
    Prim.S64: (8, 8),
    Prim.F64: (8, 8),
    Prim.STRING: (8, 4),
    Prim.ERROR_CONTEXT: (4, 4),
}

#: A pointer and a length: the in-memory form of `string`, `list<T>` and `map<K, V>`.
PTR_LEN = (8, 4)
#: Size and alignment of an i32 handle/index.
I32 = (4, 4)


@dataclass(frozen=True)
class ElementInfo:
    """The memory layout of one type."""

    size: int
    align: int


def align_to(offset: int, align: int) -> int:
    """Round `offset` up to a multiple of `align`."""
    return -(-offset // align) * align


def discriminant_size(num_cases: int) -> int:
    """Bytes of the discriminant of a variant/enum with `num_cases` cases (1, 2 or 4)."""
    if num_cases <= 1 << 8:
        return 1
    if num_cases <= 1 << 16:
        return 2
    return 4


def flags_word_count(num_flags: int) -> int:
    """Number of i32 words flags occupy when flattened (0 for no flags)."""
    if num_flags == 0:
        return 0
    if num_flags <= 16:
        return 1
    return -(-num_flags // 32)


def flags_layout(num_flags: int) -> tuple[int, int]:
    """(size, align) of a flags type with `num_flags` flags."""
    if num_flags == 0:
        return (0, 1)
    if num_flags <= 8:
        return (1, 1)
    if num_flags <= 16:
        return (2, 2)
    return (4 * (-(-num_flags // 32)), 4)


class Layouts:
    """Sizes and alignments of the types of one `Resolve`, computed on demand and memoized."""

    def __init__(self, resolve: Resolve) -> None:
        # A weak reference, so the module-level memo does not keep the Resolve alive.
        self._resolve = weakref.ref(resolve)
        self._memo: dict[int, tuple[int, int]] = {}

    @property
    def resolve(self) -> Resolve:
        resolve = self._resolve()
        if resolve is None:  # pragma: no cover - only if a caller kept Layouts alone
            raise ReferenceError("the Resolve of these Layouts was garbage collected")
        return resolve

    # --- public ------------------------------------------------------------------------

    def size(self, t: Type) -> int:
        return self._layout(t)[0]

    def align(self, t: Type) -> int:
        return self._layout(t)[1]

    def info(self, t: Type) -> ElementInfo:
        size, align = self._layout(t)
        return ElementInfo(size, align)

    def record_offsets(self, types: list[Type]) -> list[int]:
        """Byte offset of each field of a record/tuple with these field types."""
        offsets: list[int] = []
        offset = 0
        for t in types:
            size, align = self._layout(t)
            offset = align_to(offset, align)
            offsets.append(offset)
            offset += size
        return offsets

    def payload_offset(self, num_cases: int, payloads: list[Type | None]) -> int:
        """Offset of the payload in a variant with `num_cases` cases and these payloads."""
        disc = discriminant_size(num_cases)
        return align_to(disc, self._max_case_align(payloads))

    # --- computation -------------------------------------------------------------------

    def _layout(self, t: Type) -> tuple[int, int]:
        if isinstance(t, Prim):
            return PRIM_LAYOUT[t]
        memo = self._memo.get(t)
        if memo is None:
            memo = self._compute(t)
            self._memo[t] = memo
        return memo

    def _compute(self, tid: int) -> tuple[int, int]:
        kind = self.resolve.types[tid].kind
        if isinstance(kind, Alias):
            return self._layout(kind.type)
        if isinstance(kind, (List, Map)):
            return PTR_LEN
        if isinstance(kind, FixedList):
            size, align = self._layout(kind.type)
            return (size * kind.size, align)
        if isinstance(kind, Record):
            return self._record([f.type for f in kind.fields])
        if isinstance(kind, Tuple):
            return self._record(list(kind.types))
        if isinstance(kind, Flags):
            return flags_layout(len(kind.flags))
        if isinstance(kind, Enum_):
            disc = discriminant_size(len(kind.cases))
            return (disc, disc)
        if isinstance(kind, Variant):
            return self._variant([c.type for c in kind.cases])
        if isinstance(kind, Option_):
            return self._variant([None, kind.type])
        if isinstance(kind, Result_):
            return self._variant([kind.ok, kind.err])
        if isinstance(kind, (Handle, Resource, Future, Stream)):
            return I32
        raise TypeError(f"no canonical ABI layout for {type(kind).__name__}")

    def _record(self, types: list[Type]) -> tuple[int, int]:
        size = 0
        max_align = 1
        for t in types:
            fsize, falign = self._layout(t)
            size = align_to(size, falign) + fsize
            max_align = max(max_align, falign)
        return (align_to(size, max_align), max_align)

    def _max_case_align(self, payloads: list[Type | None]) -> int:
        return max((self._layout(t)[1] for t in payloads if t is not None), default=1)

    def _variant(self, payloads: list[Type | None]) -> tuple[int, int]:
        disc = discriminant_size(len(payloads))
        case_align = self._max_case_align(payloads)
        case_size = max((self._layout(t)[0] for t in payloads if t is not None), default=0)
        align = max(disc, case_align)
        size = align_to(disc, case_align) + case_size
        return (align_to(size, align), align)


def layout_of(resolve: Resolve) -> Layouts:
    """The memoized `Layouts` of `resolve` (dropped when `resolve` is garbage collected)."""
    return per_resolve(resolve, "layout", Layouts)


def size_of(resolve: Resolve, t: Type) -> int:
    """Size in bytes of a value of type `t` in linear memory."""
    return layout_of(resolve).size(t)


def align_of(resolve: Resolve, t: Type) -> int:
    """Alignment in bytes of a value of type `t` in linear memory."""
    return layout_of(resolve).align(t)
