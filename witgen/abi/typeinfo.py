"""What a WIT type contains, computed once per type id: the one place that walks a type for
facts every generator asks (does it touch linear memory, hold handles, futures, ...).

Facts are about the *value* a type describes: a handle is an index, so the resource behind it is
not looked into; a `future`/`stream` is an index too, so its payload is not part of the value
(its payload moves later, through the future/stream intrinsics). Only the `*_anywhere` facts
also look into future/stream payloads: they answer what a host type owns, not what a value moves.

`typeinfo_of(resolve).facts(t)` gives the `TypeFacts` of any `Type`; aliases are followed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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

from .layout import flags_word_count
from .memo import per_resolve


@dataclass(frozen=True)
class TypeFacts:
    """What a value of one type contains."""

    #: a string, list or map: lowering it allocates in the guest, lifting it reads memory
    touches_memory: bool = False
    #: an `own<R>` handle
    has_own: bool = False
    #: a `borrow<R>` handle
    has_borrow: bool = False
    #: an `error-context`
    has_error_context: bool = False
    #: a `future<T>` or `stream<T>`
    has_future_or_stream: bool = False
    #: the first of `future`, `stream`, `error-context` a depth-first walk meets (for messages)
    first_async_value: str | None = None
    #: the value is exactly one flat core value and not a compound: a primitive other than
    #: `string`, an enum, a handle, a future/stream, or flags of one word
    direct: bool = False
    #: the value is a pointer and a length: `string`, `list<T>`, `map<K, V>`
    ptr_len: bool = False
    #: a string, list or map in the value or in the payload of a future/stream it holds (a
    #: host-language type holding a `stream<string>` still owns strings: Rust's `Copy`/lifetimes)
    list_anywhere: bool = False
    #: a handle in the value or in the payload of a future/stream it holds
    handle_anywhere: bool = False

    @property
    def has_handle(self) -> bool:
        return self.has_own or self.has_borrow

    def joined(self, other: TypeFacts) -> TypeFacts:
        """The facts of a compound holding values with `self`'s and `other`'s facts (a compound
        is neither direct nor a pointer and length)."""
        return TypeFacts(
            touches_memory=self.touches_memory or other.touches_memory,
            has_own=self.has_own or other.has_own,
            has_borrow=self.has_borrow or other.has_borrow,
            has_error_context=self.has_error_context or other.has_error_context,
            has_future_or_stream=self.has_future_or_stream or other.has_future_or_stream,
            first_async_value=self.first_async_value or other.first_async_value,
            list_anywhere=self.list_anywhere or other.list_anywhere,
            handle_anywhere=self.handle_anywhere or other.handle_anywhere,
        )


_PRIM = TypeFacts(direct=True)
_STRING = TypeFacts(touches_memory=True, ptr_len=True, list_anywhere=True)
_ERROR_CONTEXT = TypeFacts(has_error_context=True, first_async_value="error-context", direct=True)


class TypeInfos:
    """`TypeFacts` of the types of one `Resolve`, computed on demand and memoized."""

    def __init__(self, resolve: Resolve) -> None:
        self._types = resolve.types
        self._memo: dict[TypeId, TypeFacts] = {}

    def facts(self, t: Type | None) -> TypeFacts:
        """Facts of `t`; `None` (no type: a missing payload or result) has none."""
        if t is None:
            return TypeFacts()
        if isinstance(t, Prim):
            if t is Prim.STRING:
                return _STRING
            return _ERROR_CONTEXT if t is Prim.ERROR_CONTEXT else _PRIM
        memo = self._memo.get(t)
        if memo is None:
            memo = self._compute(t)
            self._memo[t] = memo
        return memo

    def _all(self, types: list[Type | None]) -> TypeFacts:
        out = TypeFacts()
        for t in types:
            out = out.joined(self.facts(t))
        return out

    def _compute(self, tid: TypeId) -> TypeFacts:
        kind = self._types[tid].kind
        match kind:
            case Alias():
                return self.facts(kind.type)
            case List() | Map():
                inner = self._all([kind.type] if isinstance(kind, List) else [kind.key, kind.value])
                return replace(inner, touches_memory=True, ptr_len=True, list_anywhere=True)
            case FixedList() | Option_():
                return self._all([kind.type])
            case Record():
                return self._all([f.type for f in kind.fields])
            case Tuple():
                return self._all(list(kind.types))
            case Variant():
                return self._all([c.type for c in kind.cases])
            case Result_():
                return self._all([kind.ok, kind.err])
            case Flags():
                return TypeFacts(direct=flags_word_count(len(kind.flags)) == 1)
            case Enum_():
                return TypeFacts(direct=True)
            case Handle():
                own = kind.kind == "own"
                return TypeFacts(has_own=own, has_borrow=not own, direct=True, handle_anywhere=True)
            case Resource():
                return TypeFacts()
            case Future() | Stream():
                payload = self.facts(kind.type)
                return TypeFacts(
                    has_future_or_stream=True,
                    first_async_value="future" if isinstance(kind, Future) else "stream",
                    direct=True,
                    list_anywhere=payload.list_anywhere,
                    handle_anywhere=payload.handle_anywhere,
                )
            case _:
                assert_never(kind)


def typeinfo_of(resolve: Resolve) -> TypeInfos:
    """The memoized `TypeInfos` of `resolve`."""
    return per_resolve(resolve, "typeinfo", TypeInfos)
