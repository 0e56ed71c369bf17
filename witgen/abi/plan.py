"""The ABI plan of a world: for each function, how its values cross the boundary.

A generator renders the plan; it never flattens, lays out or classifies a type itself.
`world_plan(resolve, world_id)` walks the world's core contract once and gives a `WorldPlan`:

- one `FuncPlan` per function, in contract order (imports, then exports), with its
  `Direction` (the host calls a guest *export*, or the guest calls a host *import*), its core
  names, its sync core `signature`, its params (each with its flat slots, or its offset in the
  param block when the params go through memory), its result and how the result travels
  (`ResultPassing`), whether it needs memory / the guest's `cabi_realloc`, its post-return,
  and for an `async func` the async contract (`AsyncPlan`);
- the shape of every value (`witgen.abi.shapes`) reached through `shape`;
- which side defines a resource (`guest_defines`).

Allocation in the guest happens in exactly two places, both decided here (`needs_realloc`):
the host lowering an export's params (a string/list, or the param block), and the host
lowering an import's result (a string/list the guest will own).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from witgen.model import (
    Function,
    InterfaceId,
    InterfaceItem,
    Resolve,
    Type,
    TypeId,
    WorldId,
    WorldKey,
)

from . import names
from .contract import CoreContract, world_contract
from .flat import AbiVariant, CoreSignature, signature, task_return_signature
from .intrinsics import AsyncIntrinsic, async_intrinsics
from .layout import align_to, layout_of
from .shapes import Shape, shapes_of


class Direction(str, Enum):
    #: the host calls a function the guest exports: the host lowers params, lifts the result
    EXPORT = "export"
    #: the guest calls a function the host provides: the host lifts params, lowers the result
    IMPORT = "import"


class ResultPassing(str, Enum):
    #: the core function returns the one flat value
    FLAT = "flat"
    #: (import) the caller passes a trailing pointer; the callee stores the result there
    RETURN_POINTER = "return-pointer"
    #: (export) the core function returns a pointer to the stored result
    RETURNED_POINTER = "returned-pointer"


@dataclass(frozen=True)
class ParamPlan:
    """One WIT param: flat (`flat_start`, its `shape.flat` core params) or at `offset` in the
    param block."""

    name: str
    type: Type
    shape: Shape
    flat_start: int | None
    offset: int | None


@dataclass(frozen=True)
class ParamBlock:
    """The params stored as one record in memory, passed as a single pointer."""

    size: int
    align: int


@dataclass(frozen=True)
class ResultPlan:
    type: Type
    shape: Shape
    passing: ResultPassing


@dataclass(frozen=True)
class AsyncPlan:
    """The async contract of an `async func` (data for the async generators).

    For an import: `core_name`/`signature` are its `[async-lower]` core import. For an export:
    they are its `[async-lift]` (callback) export, `stackful_name`/`stackful_signature` its
    `[async-lift-stackful]` one, `task_return*` the `[task-return]` import and `callback` the
    `[callback]` export's name. `intrinsics` (imported from `intrinsics_module`) are the
    future/stream intrinsics of the function's types.
    """

    core_name: str
    signature: CoreSignature
    intrinsics: tuple[AsyncIntrinsic, ...]
    intrinsics_module: str
    stackful_name: str | None = None
    stackful_signature: CoreSignature | None = None
    task_return_module: str | None = None
    task_return_name: str | None = None
    task_return: CoreSignature | None = None
    callback: str | None = None
    #: (import) the param block of the `[async-lower]` call, when its params go through memory
    #: (more than 4 flat values), with each param's offset in it
    block: ParamBlock | None = None
    block_offsets: tuple[int, ...] = ()


@dataclass(frozen=True)
class FuncPlan:
    func: Function
    key: WorldKey | None
    direction: Direction
    #: the core import field (imports) or export name (exports)
    core_name: str
    #: the core import module (imports)
    module: str | None
    #: the `cabi_post_*` export (exports); `post_return_required`: the result owns memory
    post_return: str | None
    post_return_required: bool
    signature: CoreSignature
    params: tuple[ParamPlan, ...]
    block: ParamBlock | None
    result: ResultPlan | None
    async_: AsyncPlan | None
    #: the future/stream intrinsics of the function's types (a guest of an async world may
    #: import them for sync functions too), imported from `intrinsics_module`
    intrinsics: tuple[AsyncIntrinsic, ...] = ()
    intrinsics_module: str = ""
    #: (exports) the `[task-return]` signature, in the contract of every export
    task_return: CoreSignature | None = None

    @property
    def needs_realloc(self) -> bool:
        """The host allocates in the guest: export params with a string/list or in a block;
        an import result with a string/list."""
        if self.direction is Direction.EXPORT:
            return self.block is not None or any(p.shape.facts.touches_memory for p in self.params)
        return self.result is not None and self.result.shape.facts.touches_memory

    @property
    def needs_memory(self) -> bool:
        """Any value of the call is read from or written to linear memory."""
        return (
            self.block is not None
            or any(p.shape.facts.touches_memory for p in self.params)
            or (
                self.result is not None
                and (
                    self.result.passing is not ResultPassing.FLAT
                    or self.result.shape.facts.touches_memory
                )
            )
        )

    @property
    def lends_handles(self) -> bool:
        """Params carry handles (borrows lent for the call's duration must be returned)."""
        return any(p.shape.facts.has_handle for p in self.params)


@dataclass(frozen=True)
class WorldPlan:
    world: WorldId
    contract: CoreContract
    functions: tuple[FuncPlan, ...]
    exported_interfaces: frozenset[InterfaceId]
    imported_interfaces: frozenset[InterfaceId]
    resolve: Resolve

    def shape(self, t: Type) -> Shape:
        return shapes_of(self.resolve).of(t)

    def guest_defines(self, resource: TypeId, direction: Direction) -> bool:
        """Whether the guest implements `resource` as seen by a function of `direction`: it is
        defined by an interface the world exports (an import's resources are the host's)."""
        owner = self.resolve.types[resource].owner
        return (
            direction is Direction.EXPORT
            and owner is not None
            and owner.kind == "interface"
            and owner.id in self.exported_interfaces
        )

    @property
    def imports(self) -> tuple[FuncPlan, ...]:
        """The plans of the world's imported functions, in contract order."""
        return tuple(f for f in self.functions if f.direction is Direction.IMPORT)

    @property
    def exports(self) -> tuple[FuncPlan, ...]:
        """The plans of the world's exported functions, in contract order."""
        return tuple(f for f in self.functions if f.direction is Direction.EXPORT)

    @property
    def needs_memory(self) -> bool:
        return any(f.needs_memory for f in self.functions)

    @property
    def needs_realloc(self) -> bool:
        return any(f.needs_realloc for f in self.functions)


def plan_function(
    resolve: Resolve,
    func: Function,
    key: WorldKey | None,
    direction: Direction,
    core_name: str,
    module: str | None = None,
    post_return: tuple[str, bool] | None = None,
) -> FuncPlan:
    """The plan of `func` called in `direction` (sync ABI; `async_` holds the async one)."""
    variant = AbiVariant.EXPORT if direction is Direction.EXPORT else AbiVariant.IMPORT
    sig = signature(resolve, func, variant)
    shapes = shapes_of(resolve)
    params: list[ParamPlan] = []
    block = None
    if sig.indirect_params:
        block, offsets = _param_block(resolve, func)
        for p, off in zip(func.params, offsets, strict=True):
            params.append(ParamPlan(p.name, p.type, shapes.of(p.type), None, off))
    else:
        pos = 0
        for p in func.params:
            shape = shapes.of(p.type)
            params.append(ParamPlan(p.name, p.type, shape, pos, None))
            pos += len(shape.flat)
    result = None
    if func.result is not None:
        passing = ResultPassing.FLAT
        if sig.retptr:
            exported = direction is Direction.EXPORT
            passing = ResultPassing.RETURNED_POINTER if exported else ResultPassing.RETURN_POINTER
        result = ResultPlan(func.result, shapes.of(func.result), passing)
    post, required = post_return if post_return is not None else (None, False)
    async_ = _async_plan(resolve, func, key, direction) if func.is_async else None
    exported = direction is Direction.EXPORT
    return FuncPlan(
        func, key, direction, core_name, module, post, required, sig, tuple(params), block,
        result, async_, async_intrinsics(resolve, func),
        names.exported_intrinsic_module(resolve, key) if exported
        else names.import_module(resolve, key),
        task_return_signature(resolve, func) if exported else None,
    )  # fmt: skip


def _param_block(resolve: Resolve, func: Function) -> tuple[ParamBlock, list[int]]:
    """The block holding `func`'s params in memory, and each param's offset in it."""
    lay = layout_of(resolve)
    types = [p.type for p in func.params]
    offsets = lay.record_offsets(types)
    align = max(lay.align(t) for t in types)
    return ParamBlock(align_to(offsets[-1] + lay.size(types[-1]), align), align), offsets


def _async_plan(
    resolve: Resolve, func: Function, key: WorldKey | None, direction: Direction
) -> AsyncPlan:
    intrinsics = async_intrinsics(resolve, func)
    if direction is Direction.IMPORT:
        sig = signature(resolve, func, AbiVariant.IMPORT_ASYNC)
        name = names.import_func_name(func, True)
        block, offsets = _param_block(resolve, func) if sig.indirect_params else (None, [])
        return AsyncPlan(
            name, sig, intrinsics, names.import_module(resolve, key),
            block=block, block_offsets=tuple(offsets),
        )  # fmt: skip
    module = names.exported_intrinsic_module(resolve, key)
    return AsyncPlan(
        names.export_func_name(resolve, key, func, "callback"),
        signature(resolve, func, AbiVariant.EXPORT_ASYNC_CALLBACK),
        intrinsics,
        module,
        stackful_name=names.export_func_name(resolve, key, func, "stackful"),
        stackful_signature=signature(resolve, func, AbiVariant.EXPORT_ASYNC_STACKFUL),
        task_return_module=module,
        task_return_name=names.task_return_name(func),
        task_return=task_return_signature(resolve, func),
        callback=names.callback_name(resolve, key, func),
    )


def world_plan(resolve: Resolve, world_id: WorldId, async_abi: str = "sync") -> WorldPlan:
    """The plan of every function of `resolve.worlds[world_id]` (see the module docstring);
    `async_abi` is the contract's (`world_contract`)."""
    contract = world_contract(resolve, world_id, async_abi)
    world = resolve.worlds[world_id]
    funcs: list[FuncPlan] = []
    for imp in contract.imports:
        o = imp.origin
        if o.role == "func" and o.function is not None:
            funcs.append(
                plan_function(
                    resolve, o.function, o.world_key, Direction.IMPORT, imp.name, imp.module
                )
            )
    posts = {
        (e.origin.function.name, e.origin.world_key): (e.name, e.required)
        for e in contract.exports
        if e.origin.role == "post-return" and e.origin.function is not None
    }
    for exp in contract.exports:
        o = exp.origin
        if o.role == "func" and o.function is not None:
            post = posts.get((o.function.name, o.world_key))
            funcs.append(
                plan_function(
                    resolve, o.function, o.world_key, Direction.EXPORT, exp.name, None, post
                )
            )

    def ifaces(items: dict[WorldKey, object]) -> frozenset[InterfaceId]:
        return frozenset(i.id for i in items.values() if isinstance(i, InterfaceItem))

    return WorldPlan(
        world_id,
        contract,
        tuple(funcs),
        ifaces(dict(world.exports)),
        ifaces(dict(world.imports)),
        resolve,
    )
