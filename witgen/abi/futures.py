"""The `future`/`stream` types of a function signature, in Canonical ABI intrinsic order.

Intrinsics such as `[future-read-0]f` or `[stream-new-2]f` refer to a future/stream type by its
position in this list: a depth-first walk over the params and then the result, where a
future/stream comes after the futures/streams nested inside its payload. Handles are not
looked into (a resource is not a container), aliases are followed.
"""

from __future__ import annotations

from witgen.model import (
    Alias,
    FixedList,
    Function,
    Future,
    List,
    Map,
    Option_,
    Prim,
    Record,
    Resolve,
    Result_,
    Stream,
    Tuple,
    Type,
    TypeId,
    Variant,
)

from .typeinfo import TypeInfos, typeinfo_of


def futures_and_streams(resolve: Resolve, func: Function) -> list[TypeId]:
    """Type ids of every `future`/`stream` in `func`'s params then result, in intrinsic order."""
    found: list[TypeId] = []
    info = typeinfo_of(resolve)
    for p in func.params:
        _walk(resolve, info, p.type, found)
    if func.result is not None:
        _walk(resolve, info, func.result, found)
    return found


def _walk(resolve: Resolve, info: TypeInfos, t: Type | None, found: list[TypeId]) -> None:
    # a type without futures/streams is not entered: a type used twice in each of 18 nested
    # records would otherwise be walked 2^18 times
    if t is None or isinstance(t, Prim) or not info.facts(t).has_future_or_stream:
        return
    kind = resolve.types[t].kind
    if isinstance(kind, Record):
        for f in kind.fields:
            _walk(resolve, info, f.type, found)
    elif isinstance(kind, Tuple):
        for ty in kind.types:
            _walk(resolve, info, ty, found)
    elif isinstance(kind, Variant):
        for c in kind.cases:
            _walk(resolve, info, c.type, found)
    elif isinstance(kind, (Option_, List, FixedList, Alias)):
        _walk(resolve, info, kind.type, found)
    elif isinstance(kind, Map):
        _walk(resolve, info, kind.key, found)
        _walk(resolve, info, kind.value, found)
    elif isinstance(kind, Result_):
        _walk(resolve, info, kind.ok, found)
        _walk(resolve, info, kind.err, found)
    elif isinstance(kind, (Future, Stream)):
        _walk(resolve, info, kind.type, found)
        found.append(t)
