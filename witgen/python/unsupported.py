"""What wasmtime-py 51 cannot run, refused before any code is made.

Its `wasmtime.component` API has no async call path (`Func.__call__` only; the engine config
exposes no component-model-async switch), and its value conversions raise or fail for
`future`, `stream` and `error-context` values and know no `map` or fixed-length list type
(`valtype_from_ptr` has no case for them). A world whose functions use any of these is refused
with a `WitError` naming the function and the limit; types that no function uses are fine.
"""

from __future__ import annotations

from witgen.errors import WitError
from witgen.model import FixedList, Function, Map, Resolve, Type

from . import names as N

_LIMIT = "wasmtime-py 51 (the runtime of the python target)"


def _first_unsupported(resolve: Resolve, t: Type, seen: set[int]) -> str | None:
    from witgen.abi.typeinfo import typeinfo_of
    from witgen.model import walk_types

    found = typeinfo_of(resolve).facts(t).first_async_value
    if found:
        return f"`{found}` values"
    for x in walk_types(resolve.types, [t], seen):
        kind = resolve.types[x].kind
        if isinstance(kind, Map):
            return "`map` values"
        if isinstance(kind, FixedList):
            return "fixed-length lists"
    return None


def _label(resolve: Resolve, func: Function) -> str:
    res = resolve.types[func.resource].name if func.resource is not None else None
    return N.func_label(func, res)


def reject_unsupported(resolve: Resolve, world_id: int) -> None:

    for _, func in resolve.world_functions(world_id):
        what = "async functions" if func.is_async else None
        if what is None:
            for t in func.types:
                what = _first_unsupported(resolve, t, set())
                if what:
                    break
        if what:
            raise WitError(
                f"python target: function `{_label(resolve, func)}` uses {what}, which "
                f"{_LIMIT} cannot pass between Python and a component"
            )
