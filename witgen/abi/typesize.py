"""The component model's limits on types: their effective size and their nesting depth.

wasmparser (which validates every component `wasm-tools`, wasmtime and jco read) gives each
type a size and a depth, and refuses any type, function, instance, component or component type
whose size reaches `MAX_TYPE_SIZE` ("effective type size exceeds the limit of 1000000") or whose
depth passes `MAX_DEPTH` ("type nesting is too deep"). A type used twice counts twice, so a
chain of types each holding the last one twice doubles per level. A world past either limit
cannot be embedded in a guest (`wasm-tools component embed` fails on it), and generating its
bindings could take time and space exponential in the WIT's size. `check_world` refuses such a
world before a generator starts, at the WIT location of the type or function to change.

As wasmparser counts them (checked against `wasm-tools component embed` + `component new` 1.262
on both sides of each limit by `tests/abi/test_typesize.py`):

- a primitive, `flags`, `enum`, a handle, a resource: size 1, depth 1;
- any other type: size 1 + its members' sizes (record fields, tuple members, variant case
  payloads, the element of `list`/`option`/a fixed-size list/`future`/`stream`, the key and
  value of `map`, the ok and err of `result`; an absent one counts 0), depth 1 + its deepest
  member's depth;
- an alias (`type a = b`, a `use`): the size and depth of what it names;
- a function: 1 + its parameters + its result (depth: 1 + the deepest);
- an interface (an instance type): 1 + each of its types and functions;
- a world (a component type): 1 + each import and export (an interface counts as its instance
  type, a type as itself, a function as its function type), and the metadata wit-component
  wraps it in adds `WRAPPING` (the component type exported as `ns:pkg/world` inside an outer
  component type, exported by the metadata component).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple, assert_never

from witgen.errors import WitError
from witgen.model import (
    Alias,
    Enum_,
    FixedList,
    Flags,
    Function,
    FunctionItem,
    Future,
    Handle,
    InterfaceId,
    InterfaceItem,
    List,
    Map,
    Option_,
    Prim,
    Record,
    Resolve,
    Resource,
    Result_,
    Span,
    Stream,
    Tuple,
    Type,
    TypeId,
    TypeItem,
    Variant,
    WorldId,
    WorldItem,
)

from .memo import per_resolve

#: wasmparser's `MAX_WASM_TYPE_SIZE`: every size must stay strictly below it
MAX_TYPE_SIZE = 1_000_000

#: wasmparser's `MAX_WASM_COMPONENT_TYPE_DEPTH`: no type may nest deeper
MAX_DEPTH = 100

#: the component-type custom section holds the world's component type as the export of an
#: outer component type, which the metadata component exports: two levels of 1 each
WRAPPING = 2


class Measure(NamedTuple):
    """A type's (or function's, interface's, world's) effective size and nesting depth."""

    size: int
    depth: int


_LEAF = Measure(1, 1)
_NONE = Measure(0, 0)  # an absent payload, result or element


def _compound(parts: Iterable[Measure]) -> Measure:
    """1 + the parts' sizes, 1 + their deepest depth."""
    size = depth = 0
    for part in parts:
        size += part.size
        depth = max(depth, part.depth)
    return Measure(1 + size, 1 + depth)


class TypeSizes:
    """Effective sizes and depths of one `Resolve`'s types, functions and interfaces, memoized
    (the walks recurse as deep as the types nest: callers run them on a deep stack)."""

    def __init__(self, resolve: Resolve) -> None:
        self._resolve = resolve
        self._types: dict[TypeId, Measure] = {}
        self._interfaces: dict[InterfaceId, Measure] = {}

    def of(self, t: Type | None) -> int:
        """Size of `t` (0 for `None`, an absent payload or result)."""
        return self.measure(t).size

    def measure(self, t: Type | None) -> Measure:
        if t is None:
            return _NONE
        if isinstance(t, Prim):
            return _LEAF
        m = self._types.get(t)
        if m is None:
            m = self._compute(t)
            self._types[t] = m
        return m

    def _compute(self, tid: TypeId) -> Measure:
        kind = self._resolve.types[tid].kind
        match kind:
            case Alias():
                return self.measure(kind.type)
            case Record():
                return _compound(self.measure(f.type) for f in kind.fields)
            case Tuple():
                return _compound(self.measure(t) for t in kind.types)
            case Variant():
                return _compound(self.measure(c.type) for c in kind.cases)
            case List() | Option_() | FixedList() | Future() | Stream():
                return _compound([self.measure(kind.type)])
            case Map():
                return _compound([self.measure(kind.key), self.measure(kind.value)])
            case Result_():
                return _compound([self.measure(kind.ok), self.measure(kind.err)])
            case Flags() | Enum_() | Handle() | Resource():
                return _LEAF
            case _:
                assert_never(kind)

    def function(self, func: Function) -> Measure:
        return _compound([*(self.measure(p.type) for p in func.params), self.measure(func.result)])

    def interface(self, iid: InterfaceId) -> Measure:
        m = self._interfaces.get(iid)
        if m is None:
            iface = self._resolve.interfaces[iid]
            types = (self.measure(t) for t in iface.types.values())
            m = _compound([*types, *(self.function(f) for f in iface.functions.values())])
            self._interfaces[iid] = m
        return m

    def item(self, item: WorldItem) -> Measure:
        match item:
            case InterfaceItem():
                return self.interface(item.id)
            case FunctionItem():
                return self.function(item.function)
            case TypeItem():
                return self.measure(item.id)
            case _:
                assert_never(item)

    def world(self, wid: WorldId) -> Measure:
        """The world's component type as wit-component embeds it (`WRAPPING` included)."""
        world = self._resolve.worlds[wid]
        m = _compound(self.item(i) for i in [*world.imports.values(), *world.exports.values()])
        return Measure(m.size + WRAPPING, m.depth + WRAPPING)


def typesizes_of(resolve: Resolve) -> TypeSizes:
    """The memoized `TypeSizes` of `resolve`."""
    return per_resolve(resolve, "typesize", TypeSizes)


def check_world(resolve: Resolve, wid: WorldId) -> None:
    """Raise a `WitError` when world `wid` is over either limit.

    Too large: the error points at the first type (else function) too large on its own, or,
    when only the world as a whole is, at its largest type (else function): the one to make
    smaller. Too deep: at the deepest type (else function)."""
    sizes = typesizes_of(resolve)
    total = sizes.world(wid)
    world = resolve.worlds[wid]
    if total.size >= MAX_TYPE_SIZE:
        types, funcs = _largest(resolve, sizes, wid, lambda m: m.size, MAX_TYPE_SIZE)
        limit = (
            f"the component model's limit of {MAX_TYPE_SIZE:,} (wasm-tools: \"effective type "
            'size exceeds the limit"); a type used twice counts twice, so types that each hold '
            "the previous one twice double per level"
        )
        for what, size, span in (types, funcs):
            if size >= MAX_TYPE_SIZE:
                raise _located(f"{what} has an effective type size of {size:,}, over {limit}", span)
        what, size, span = types if types[1] else funcs if funcs[1] else ("", 0, world.span)
        largest = f" (its largest item, {what}, has {size:,})" if size else ""
        raise _located(
            f"world `{world.name}` has an effective type size of {total.size:,}{largest}, "
            f"over {limit}",
            span,
        )
    if total.depth > MAX_DEPTH:
        types, funcs = _largest(resolve, sizes, wid, lambda m: m.depth, MAX_DEPTH + 1)
        what, depth, span = types if types[1] else funcs if funcs[1] else ("", 0, world.span)
        raise _located(
            f"{what or f'world `{world.name}`'} nests {depth} levels deep; in a component (its "
            f"interface and world around it) that is {total.depth}, over the component model's "
            f'limit of {MAX_DEPTH} (wasm-tools: "type nesting is too deep")',
            span,
        )


Located = tuple[str, int, Span | None]


def _largest(
    resolve: Resolve,
    sizes: TypeSizes,
    wid: WorldId,
    key: Callable[[Measure], int],
    limit: int,
) -> tuple[Located, Located]:
    """(description, `key` value, span) of the world's type and function with the largest
    `key`: the first one (in definition order) reaching `limit`, if any; 0 when there is none."""
    world = resolve.worlds[wid]
    best_type: Located = ("", 0, None)
    best_func: Located = ("", 0, None)
    type_ids: list[TypeId] = []
    funcs: list[Function] = []
    for item in [*world.imports.values(), *world.exports.values()]:
        match item:
            case InterfaceItem():
                iface = resolve.interfaces[item.id]
                type_ids += iface.types.values()
                funcs += iface.functions.values()
            case FunctionItem():
                funcs.append(item.function)
            case TypeItem():
                type_ids.append(item.id)
            case _:
                assert_never(item)
    for tid in sorted(set(type_ids)):  # definition order
        value, td = key(sizes.measure(tid)), resolve.types[tid]
        if value > best_type[1] and best_type[1] < limit:
            best_type = (f"type `{td.name}`", value, td.span)
    for func in funcs:
        value = key(sizes.function(func))
        if value > best_func[1] and best_func[1] < limit:
            best_func = (f"function `{func.name}`", value, func.span)
    return best_type, best_func


def _located(message: str, span: Span | None) -> WitError:
    if span is None:
        return WitError(message)
    return WitError(message, span.path, span.line, span.col, span.text)
