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


def futures_and_streams(resolve: Resolve, func: Function) -> list[TypeId]:
    """Type ids of every `future`/`stream` in `func`'s params then result, in intrinsic order."""
    found: list[TypeId] = []
    for p in func.params:
        _walk(resolve, p.type, found)
    if func.result is not None:
        _walk(resolve, func.result, found)
    return found


def _walk(resolve: Resolve, t: Type | None, found: list[TypeId]) -> None:
    if t is None or isinstance(t, Prim):
        return
    kind = resolve.types[t].kind
    if isinstance(kind, Record):
        for f in kind.fields:
            _walk(resolve, f.type, found)
    elif isinstance(kind, Tuple):
        for ty in kind.types:
            _walk(resolve, ty, found)
    elif isinstance(kind, Variant):
        for c in kind.cases:
            _walk(resolve, c.type, found)
    elif isinstance(kind, (Option_, List, FixedList, Alias)):
        _walk(resolve, kind.type, found)
    elif isinstance(kind, Map):
        _walk(resolve, kind.key, found)
        _walk(resolve, kind.value, found)
    elif isinstance(kind, Result_):
        _walk(resolve, kind.ok, found)
        _walk(resolve, kind.err, found)
    elif isinstance(kind, (Future, Stream)):
        _walk(resolve, kind.type, found)
        found.append(t)
