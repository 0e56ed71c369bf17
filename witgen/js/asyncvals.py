"""`stream<T>`, `future<T>` and `error-context` values in the JS glue: the element descriptor of
each payload type (`T<id>`: size, alignment, how one element is loaded and stored; see
asyncrt/copy.js) and the expressions lifting and lowering such a value, which call the async
runtime (`aStreamIn`/`aStreamOut`, `aFutureIn`/`aFutureOut`, `aErrIn`/`aErrOut`).

`what` names the value in errors: the WIT function's label where the value is a param or
result, else the WIT spelling of its type (`stream<u8>`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from witgen.abi.plan import Direction, WorldPlan
from witgen.abi.shapes import AsyncValueShape, PrimShape
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
    Resource,
    Result_,
    Stream,
    Tuple,
    Type,
    Variant,
)

from .emitted import Emitted

if TYPE_CHECKING:
    from .lift import Lifter
    from .lower import Lowerer


def spell(plan: WorldPlan, t: Type | None) -> str:
    """The WIT spelling of `t` (named types by name)."""
    if t is None:
        return "_"
    if isinstance(t, Prim):
        return t.value
    td = plan.resolve.types[t]
    k = td.kind
    if td.name is not None and not isinstance(k, Alias | Handle):
        return td.name
    match k:
        case Alias():
            return spell(plan, k.type)
        case Handle():
            inner = spell(plan, k.resource)
            return inner if k.kind == "own" else f"borrow<{inner}>"
        case List():
            return f"list<{spell(plan, k.type)}>"
        case FixedList():
            return f"list<{spell(plan, k.type)}, {k.size}>"
        case Option_():
            return f"option<{spell(plan, k.type)}>"
        case Result_():
            return f"result<{spell(plan, k.ok)}, {spell(plan, k.err)}>"
        case Tuple():
            return "tuple<" + ", ".join(spell(plan, x) for x in k.types) + ">"
        case Map():
            return f"map<{spell(plan, k.key)}, {spell(plan, k.value)}>"
        case Future() | Stream():
            kw = "future" if isinstance(k, Future) else "stream"
            return kw if k.type is None else f"{kw}<{spell(plan, k.type)}>"
        case Record() | Variant() | Enum_() | Flags() | Resource():
            return td.name or "_"
    raise AssertionError(k)


class AsyncValues:
    """Element descriptors and the lift/lower expressions of async values."""

    def __init__(self, plan: WorldPlan, out: Emitted) -> None:
        self.plan = plan
        self.out = out
        #: set once both exist (they call each other through the descriptors)
        self.lift: Lifter | None = None
        self.lower: Lowerer | None = None

    def elem(self, payload: Type | None, d: Direction) -> str:
        """The name of the element descriptor of `payload` (`null` without a payload)."""
        if payload is None:
            return "null"
        shape = self.plan.shape(payload)
        facts = shape.facts
        if isinstance(shape, PrimShape):
            name = f"T_{shape.prim.value.replace('-', '_')}"
        else:
            name = "T" + self.out.helper_suffix(shape.tid, facts.has_handle, d)
        return self.out.helper(name, lambda: self._descriptor(name, payload, d), reserve=False)

    def _descriptor(self, name: str, t: Type, d: Direction) -> str:
        assert self.lift is not None and self.lower is not None
        shape = self.plan.shape(t)
        f = shape.facts
        num = not (
            f.touches_memory or f.has_handle or f.has_future_or_stream or f.has_error_context
        )
        u8 = t is Prim.U8 or self.plan.resolve.unalias(t) is Prim.U8
        load = self.lift.load(t, "p", d)
        store = self.lower.store(t, "v", "p", d)
        key = json.dumps(spell(self.plan, t))
        if not (isinstance(shape, PrimShape) and shape.prim is not Prim.STRING):
            # an error names the element's type and where in the element it is
            catch = f'catch (e) {{ throw fail(st, e, {key}, "element"); }}'
            lift = f"{{ try {{ return {load}; }} {catch} }}"
            lower = f"{{ try {{ {store} }} {catch} }}"
        else:
            lift, lower = load, f"{{ {store} }}"
        return (
            f"const {name} = {{ size: {shape.size}, align: {shape.align}, "
            f"u8: {'true' if u8 else 'false'}, num: {'true' if num else 'false'}, key: {key},\n"
            f"  lift: (st, p) => {lift},\n  lower: (st, v, p) => {lower} }};\n"
        )

    def lift_expr(self, shape: AsyncValueShape | PrimShape, x: str, d: Direction, what: str | None) -> str:
        """The JS value of the async value with handle `x` the guest gives."""
        if isinstance(shape, PrimShape):
            self.out.async_parts.add("AErrCtx")
            return f"aErrIn(st, {x}, {json.dumps(what or 'error-context')})"
        w = json.dumps(what or spell(self.plan, shape.tid))
        elem = self.elem(shape.payload, d)
        if shape.is_future:
            self.out.async_parts.add("AFutures")
            return f"aFutureIn(st, {elem}, {x}, {w})"
        self.out.async_parts.add("AStreams")
        return f"aStreamIn(st, {elem}, {x}, {w})"

    def lower_expr(self, shape: AsyncValueShape | PrimShape, v: str, d: Direction, what: str | None) -> str:
        """The handle given to the guest for the JS value `v`."""
        if isinstance(shape, PrimShape):
            self.out.async_parts.add("AErrCtx")
            return f"aErrOut(st, {v})"
        w = json.dumps(what or spell(self.plan, shape.tid))
        elem = self.elem(shape.payload, d)
        if shape.is_future:
            self.out.async_parts.add("AFutures")
            return f"aFutureOut(st, {elem}, {v}, {w})"
        self.out.async_parts.add("AStreams")
        return f"aStreamOut(st, {elem}, {v}, {w})"
