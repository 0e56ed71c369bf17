"""One memo per `Resolve`: analyses of a model computed once and dropped with the model.

A `Resolve` is mutable (so unhashable); memos are keyed by its `id` and by the analysis class,
and a weak finalizer drops them when the `Resolve` is garbage collected.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from witgen.model import Resolve

T = TypeVar("T")

_MEMOS: dict[tuple[int, str], tuple[weakref.ref[Resolve], Any]] = {}


def per_resolve(resolve: Resolve, name: str, build: Callable[[Resolve], T]) -> T:
    """The memoized `build(resolve)`, one per (`resolve`, `name`)."""
    key = (id(resolve), name)
    cached = _MEMOS.get(key)
    if cached is not None and cached[0]() is resolve:
        value: T = cached[1]
        return value
    value = build(resolve)
    _MEMOS[key] = (weakref.ref(resolve), value)
    weakref.finalize(resolve, _MEMOS.pop, key, None)
    return value
