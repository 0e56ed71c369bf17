"""The future/stream intrinsics a function's core module imports, with their core names.

Shared by the world contract (which lists them) and the function plans (which hand them to the
async generators): one intrinsic per operation per `future`/`stream` type of the function, in
the order of `futures_and_streams`.
"""

from __future__ import annotations

from dataclasses import dataclass

from witgen.model import Function, Future, Resolve, TypeId

from . import names
from .flat import CoreSignature, CoreType
from .futures import futures_and_streams


@dataclass(frozen=True)
class AsyncIntrinsic:
    """`[<op>-<index>]<func>` (prefixed `[async-lower]` for the async-lowered reads/writes)."""

    op: str
    index: int
    type_id: TypeId
    is_future: bool
    name: str
    signature: CoreSignature


def async_intrinsics(resolve: Resolve, func: Function) -> tuple[AsyncIntrinsic, ...]:
    """Every future/stream intrinsic of `func`, type by type, in the intrinsic table's order."""
    out: list[AsyncIntrinsic] = []
    for index, tid in enumerate(futures_and_streams(resolve, func)):
        is_future = isinstance(resolve.types[tid].kind, Future)
        table = names.FUTURE_INTRINSICS if is_future else names.STREAM_INTRINSICS
        for op, params, results, async_lowered in table:
            sig = CoreSignature(tuple(map(CoreType, params)), tuple(map(CoreType, results)))
            name = names.future_stream_intrinsic_name(op, index, func, async_lowered)
            out.append(AsyncIntrinsic(op, index, tid, is_future, name, sig))
    return tuple(out)
