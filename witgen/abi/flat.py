"""Flattening WIT types to core wasm value types, and the core signature of a function.

A WIT value is passed to/from core wasm as a sequence of `i32`/`i64`/`f32`/`f64` values
("flat" types). Variants flatten to their discriminant followed by the position-wise *join* of
their cases' flat types (`i32`+`f32` -> `i32`, anything with a 64-bit type -> `i64`).

`signature(resolve, func, variant)` applies the Canonical ABI's limits:

- sync: more than `MAX_FLAT_PARAMS` (16) params go through one pointer; more than
  `MAX_FLAT_RESULTS` (1) results go through memory: an import (lower) gets an extra trailing
  return-pointer param and returns nothing, an export (lift) returns a pointer.
- async import (lower): more than `MAX_FLAT_ASYNC_PARAMS` (4) params go through a pointer, any
  result is written through a trailing results pointer, and the import returns an i32 status.
- async export (lift): params as for sync; results are delivered through `task.return`, so the
  export returns an i32 status with a callback ("async-callback") or nothing ("stackful").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import assert_never

from witgen.model import (
    Alias,
    Enum_,
    FixedList,
    Flags,
    Function,
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
    TypeDefKind,
    TypeId,
    Variant,
)

from .layout import flags_word_count
from .memo import per_resolve
from .typeinfo import typeinfo_of

MAX_FLAT_PARAMS = 16
MAX_FLAT_RESULTS = 1
MAX_FLAT_ASYNC_PARAMS = 4


class CoreType(str, Enum):
    """A core wasm value type."""

    I32 = "i32"
    I64 = "i64"
    F32 = "f32"
    F64 = "f64"

    def __str__(self) -> str:
        return self.value


I32, I64, F32, F64 = CoreType.I32, CoreType.I64, CoreType.F32, CoreType.F64

_PRIM_FLAT: dict[Prim, tuple[CoreType, ...]] = {
    Prim.BOOL: (I32,),
    Prim.U8: (I32,),
    Prim.S8: (I32,),
    Prim.U16: (I32,),
    Prim.S16: (I32,),
    Prim.U32: (I32,),
    Prim.S32: (I32,),
    Prim.CHAR: (I32,),
    Prim.U64: (I64,),
    Prim.S64: (I64,),
    Prim.F32: (F32,),
    Prim.F64: (F64,),
    Prim.STRING: (I32, I32),
    Prim.ERROR_CONTEXT: (I32,),
}


class AbiVariant(str, Enum):
    """Which side of the boundary a core function sits on, and which ABI it uses.

    "import" lowers a component-level function into a core import (the module calls it);
    "export" lifts a core export into a component-level function (the host calls it).
    """

    IMPORT = "import"
    EXPORT = "export"
    IMPORT_ASYNC = "import-async"
    EXPORT_ASYNC_CALLBACK = "export-async-callback"
    EXPORT_ASYNC_STACKFUL = "export-async-stackful"

    @property
    def is_import(self) -> bool:
        return self in (AbiVariant.IMPORT, AbiVariant.IMPORT_ASYNC)

    @property
    def is_async(self) -> bool:
        return self not in (AbiVariant.IMPORT, AbiVariant.EXPORT)


@dataclass(frozen=True)
class CoreSignature:
    """A core function type plus how the WIT params/results map onto it."""

    params: tuple[CoreType, ...]
    results: tuple[CoreType, ...]
    #: all WIT params are passed through a single pointer (the first core param)
    indirect_params: bool = False
    #: results go through memory: a trailing pointer param for imports, a returned pointer
    #: for sync exports
    retptr: bool = False

    def wat(self) -> str:
        """`(param ...) (result ...)` in the text format; empty groups are left out."""
        parts = []
        if self.params:
            parts.append("(param " + " ".join(t.value for t in self.params) + ")")
        if self.results:
            parts.append("(result " + " ".join(t.value for t in self.results) + ")")
        return " ".join(parts)


def join(a: CoreType, b: CoreType) -> CoreType:
    """The core type that can hold either `a` or `b` (for overlapping variant payloads)."""
    if a == b:
        return a
    if {a, b} == {I32, F32}:
        return I32
    return I64


def flatten_type(resolve: Resolve, t: Type) -> list[CoreType]:
    """The flat core types of one WIT type."""
    out: list[CoreType] = []
    _flatten_into(resolve, t, out)
    return out


def flatten_types(resolve: Resolve, types: list[Type]) -> list[CoreType]:
    """The flat core types of a sequence of WIT types, concatenated."""
    out: list[CoreType] = []
    for t in types:
        _flatten_into(resolve, t, out)
    return out


def _flatten_into(resolve: Resolve, t: Type, out: list[CoreType]) -> None:
    if isinstance(t, Prim):
        out.extend(_PRIM_FLAT[t])
        return
    # memoized per type: each level of `option<option<...>>` would otherwise flatten every
    # level below it again (cubic time in the nesting depth)
    memo = per_resolve(resolve, "flat", _new_memo)
    flat = memo.get(t)
    if flat is None:
        flat = memo[t] = tuple(_flatten_kind(resolve, resolve.types[t].kind))
    out.extend(flat)


def _new_memo(_: Resolve) -> dict[TypeId, tuple[CoreType, ...]]:
    return {}


def _flatten_kind(resolve: Resolve, kind: TypeDefKind) -> list[CoreType]:
    match kind:
        case Alias(t):
            return flatten_type(resolve, t)
        case List() | Map():
            return [I32, I32]
        case FixedList(t, size):
            return flatten_type(resolve, t) * size
        case Record(fields):
            return flatten_types(resolve, [f.type for f in fields])
        case Tuple(types):
            return flatten_types(resolve, types)
        case Flags(flags):
            return [I32] * flags_word_count(len(flags))
        case Enum_() | Handle() | Resource() | Future() | Stream():
            return [I32]
        case Variant(cases):
            return _flatten_variant(resolve, [c.type for c in cases])
        case Option_(t):
            return _flatten_variant(resolve, [None, t])
        case Result_(ok, err):
            return _flatten_variant(resolve, [ok, err])
        case _:
            assert_never(kind)


def _flatten_variant(resolve: Resolve, payloads: list[Type | None]) -> list[CoreType]:
    present = [flatten_type(resolve, p) for p in payloads if p is not None]
    if len(present) == 1:  # an option, or a result with one side: nothing to join
        return [I32, *present[0]]
    joined: list[CoreType] = []
    for flat in present:
        for i, ft in enumerate(flat):
            if i < len(joined):
                joined[i] = join(joined[i], ft)
            else:
                joined.append(ft)
    return [I32, *joined]


def flat_params(resolve: Resolve, func: Function) -> list[CoreType]:
    """All params of `func` flattened, before any limit is applied."""
    return flatten_types(resolve, [p.type for p in func.params])


def flat_results(resolve: Resolve, func: Function) -> list[CoreType]:
    """The result of `func` flattened, before any limit is applied."""
    return [] if func.result is None else flatten_type(resolve, func.result)


def signature(resolve: Resolve, func: Function, variant: AbiVariant) -> CoreSignature:
    """The core function type of `func` lowered (import) or lifted (export) with `variant`."""
    params = flat_params(resolve, func)
    results = flat_results(resolve, func)
    indirect = False
    retptr = False

    if variant is AbiVariant.IMPORT_ASYNC:
        if len(params) > MAX_FLAT_ASYNC_PARAMS:
            params, indirect = [I32], True
        if func.result is not None:
            params.append(I32)
            retptr = True
        return CoreSignature(tuple(params), (I32,), indirect, retptr)

    if len(params) > MAX_FLAT_PARAMS:
        params, indirect = [I32], True

    if variant is AbiVariant.EXPORT_ASYNC_CALLBACK:
        return CoreSignature(tuple(params), (I32,), indirect, False)
    if variant is AbiVariant.EXPORT_ASYNC_STACKFUL:
        return CoreSignature(tuple(params), (), indirect, False)

    if len(results) > MAX_FLAT_RESULTS:
        retptr = True
        if variant is AbiVariant.IMPORT:
            params.append(I32)
            results = []
        else:
            results = [I32]
    return CoreSignature(tuple(params), tuple(results), indirect, retptr)


def import_signature(resolve: Resolve, func: Function, async_: bool | None = None) -> CoreSignature:
    """Signature of `func` as a core import; async by default iff `func` is async."""
    use_async = func.is_async if async_ is None else async_
    return signature(resolve, func, AbiVariant.IMPORT_ASYNC if use_async else AbiVariant.IMPORT)


def export_signature(
    resolve: Resolve, func: Function, async_: bool | None = None, callback: bool = True
) -> CoreSignature:
    """Signature of `func` as a core export; async by default iff `func` is async."""
    use_async = func.is_async if async_ is None else async_
    if not use_async:
        return signature(resolve, func, AbiVariant.EXPORT)
    if callback:
        return signature(resolve, func, AbiVariant.EXPORT_ASYNC_CALLBACK)
    return signature(resolve, func, AbiVariant.EXPORT_ASYNC_STACKFUL)


def post_return_signature(resolve: Resolve, func: Function) -> CoreSignature:
    """`cabi_post_*` of a sync export: takes the export's core results, returns nothing."""
    return CoreSignature(signature(resolve, func, AbiVariant.EXPORT).results, ())


def task_return_signature(resolve: Resolve, func: Function) -> CoreSignature:
    """`task.return` of an async export: the result lowered as if it were one import param."""
    params = flat_results(resolve, func)
    if len(params) > MAX_FLAT_PARAMS:
        return CoreSignature((I32,), (), indirect_params=True)
    return CoreSignature(tuple(params), ())


def needs_post_return(resolve: Resolve, func: Function) -> bool:
    """Whether a sync export's results own memory the callee must free after the call.

    True when the result is returned through a pointer or contains a string/list/map.
    (wit-component accepts a `cabi_post_*` export for any function; this says when one is
    actually useful.)
    """
    if func.result is None:
        return False
    if signature(resolve, func, AbiVariant.EXPORT).retptr:
        return True
    return typeinfo_of(resolve).facts(func.result).touches_memory


def has_heap_data(resolve: Resolve, t: Type) -> bool:
    """Whether a value of `t` owns memory: it contains a string, list or map."""
    return typeinfo_of(resolve).facts(t).touches_memory
