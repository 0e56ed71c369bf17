"""The core-module contract of a world: every core import and export a guest module must have.

`world_contract(resolve, world_id)` lists, in the legacy naming scheme (see `names`), what
`wasm-tools component new` expects of a core module targeting the world, with the same
choices as `wasm-tools component embed --dummy-names legacy` (the oracle of the tests):

- one import per function of each imported interface / world-level function import, plus a
  `[resource-drop]R` for each resource those define;
- one export per function of each exported interface / world-level function export, with its
  `cabi_post_*` post-return export (sync), or its `[callback][async-lift]*` export;
- `[resource-drop|new|rep]R` imports from `[export]<iface>` and a `<iface>#[dtor]R` export for
  each resource an exported interface defines;
- `memory`, `cabi_realloc` and `_initialize`.

`async_abi` picks how *async* functions are lifted/lowered: "sync" (the default of
`--dummy-names legacy`: async functions use the sync ABI), "callback" (`--async-callback`) or
"stackful" (`--async-stackful`). Sync functions always use the sync ABI. With an async choice the
contract also has the task/waitable built-ins, a `[task-return]` import and the future/stream
intrinsics of every export (sync or not), the future/stream intrinsics of every async import,
and exported-resource destructors named with the `[async-lift]`/`[async-lift-stackful]` prefix.

Beyond what `--dummy-names legacy` imports, an async contract lists the imports wit-component
also accepts, marked `optional` (a guest may import them; the dummy module does not): the
built-ins of `names.OPTIONAL_BUILTINS`, the future/stream intrinsics of every *sync* import, and
the sync-lowered import (`f`, beside `[async-lower]f`) of every async import.
Exports a guest may leave out have `required` false.

Every item carries an `Origin` that links it back to the world key and `Function` it serves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from witgen.model import (
    Function,
    FunctionItem,
    InterfaceItem,
    Resolve,
    Resource,
    TypeId,
    TypeItem,
    WorldId,
    WorldKey,
)

from . import names
from .flat import (
    AbiVariant,
    CoreSignature,
    CoreType,
    needs_post_return,
    post_return_signature,
    signature,
    task_return_signature,
)
from .intrinsics import async_intrinsics

ASYNC_ABIS = ("sync", "callback", "stackful")


@dataclass(frozen=True)
class Origin:
    """Which WIT item a core import/export serves.

    `role` is one of: "func" (the lowered import / lifted export of `function`),
    "sync-lower" (an async import's optional sync-lowered import), "post-return", "callback",
    "task-return", "resource-drop", "resource-new", "resource-rep", "dtor", "future-intrinsic",
    "stream-intrinsic", "async-builtin", "memory", "realloc", "initialize".
    `world_key` is the key of the world import/export (None for world-level items and
    module-wide built-ins); `exported` says on which side of the world it is.
    """

    role: str
    world_key: WorldKey | None = None
    exported: bool = False
    function: Function | None = field(default=None, compare=False)
    resource: TypeId | None = None
    #: the `AbiVariant` a "func" item uses
    abi: AbiVariant | None = None
    #: for future/stream intrinsics: the type id and its index in the function
    type_id: TypeId | None = None
    index: int | None = None
    #: the intrinsic/built-in operation, e.g. "stream-read", "[waitable-set-new]"
    op: str | None = None


@dataclass(frozen=True)
class CoreImport:
    module: str
    name: str
    params: tuple[CoreType, ...]
    results: tuple[CoreType, ...]
    origin: Origin
    #: params/results mapping detail for "func" imports
    signature: CoreSignature | None = field(default=None, compare=False)
    #: accepted by wit-component, but not imported by its dummy module (see the module doc)
    optional: bool = False

    @property
    def key(self) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
        return (self.module, self.name, _strs(self.params), _strs(self.results))

    def wat(self) -> str:
        text = f"(import {_q(self.module)} {_q(self.name)} (func{_sig(self.params, self.results)}))"
        return text + (" ;; optional" if self.optional else "")


@dataclass(frozen=True)
class CoreExport:
    name: str
    params: tuple[CoreType, ...]
    results: tuple[CoreType, ...]
    origin: Origin
    signature: CoreSignature | None = field(default=None, compare=False)
    #: whether a guest must provide it for correct behaviour: false for `_initialize` and for
    #: a `cabi_post_*` whose export returns nothing to free (no pointer, string or list), which
    #: wit-component accepts missing; hosts call a post-return only when the guest exports it
    required: bool = True
    #: "func" or "memory"
    kind: str = "func"
    #: other names wit-component accepts for the same export (a module may use any one)
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        return (self.name, _strs(self.params), _strs(self.results))

    @property
    def keys(self) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
        """`key` under the name and under each alias."""
        return tuple((n, *self.key[1:]) for n in (self.name, *self.aliases))

    def wat(self, mark_optional: bool = False) -> str:
        if self.kind == "memory":
            return f"(export {_q(self.name)} (memory 0))"
        text = f"(export {_q(self.name)} (func{_sig(self.params, self.results)}))"
        return text + (" ;; optional" if mark_optional and not self.required else "")


@dataclass
class CoreContract:
    """Imports and exports of a core module implementing one world."""

    world: WorldId
    async_abi: str
    imports: list[CoreImport] = field(default_factory=list)
    exports: list[CoreExport] = field(default_factory=list)

    @property
    def func_exports(self) -> list[CoreExport]:
        return [e for e in self.exports if e.kind == "func"]

    @property
    def memory_export(self) -> CoreExport | None:
        return next((e for e in self.exports if e.kind == "memory"), None)

    def to_wat_lines(self) -> list[str]:
        """One line per import, then `(memory 0)`, then one line per export; an async
        contract marks what a guest may leave out `;; optional`."""
        lines = [imp.wat() for imp in self.imports]
        if self.memory_export is not None:
            lines.append("(memory 0)")
        lines.extend(exp.wat(self.async_abi != "sync") for exp in self.exports)
        return lines


def world_contract(resolve: Resolve, world_id: WorldId, async_abi: str = "sync") -> CoreContract:
    """The core contract of `resolve.worlds[world_id]` (see the module docstring)."""
    if async_abi not in ASYNC_ABIS:
        raise ValueError(f"async_abi must be one of {ASYNC_ABIS}, not {async_abi!r}")
    builder = _Builder(resolve, async_abi)
    builder.build(world_id)
    return CoreContract(world_id, async_abi, builder.imports, builder.exports)


# --- construction ---------------------------------------------------------------------------


def _strs(types: tuple[CoreType, ...]) -> tuple[str, ...]:
    return tuple(t.value for t in types)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sig(params: tuple[CoreType, ...], results: tuple[CoreType, ...]) -> str:
    text = CoreSignature(params, results).wat()
    return " " + text if text else ""


def _types(raw: tuple[str, ...]) -> tuple[CoreType, ...]:
    return tuple(CoreType(t) for t in raw)


class _Builder:
    def __init__(self, resolve: Resolve, async_abi: str) -> None:
        self.resolve = resolve
        self.async_abi = async_abi
        self.imports: list[CoreImport] = []
        self.exports: list[CoreExport] = []

    @property
    def is_async(self) -> bool:
        return self.async_abi != "sync"

    def _import(
        self, module: str, name: str, sig: CoreSignature, origin: Origin, optional: bool = False
    ) -> None:
        self.imports.append(
            CoreImport(module, name, sig.params, sig.results, origin, sig, optional)
        )

    def _export(
        self,
        name: str,
        sig: CoreSignature,
        origin: Origin,
        required: bool = True,
        aliases: tuple[str, ...] = (),
    ) -> None:
        self.exports.append(
            CoreExport(name, sig.params, sig.results, origin, sig, required, aliases=aliases)
        )

    # --- world walk -----------------------------------------------------------------------

    def build(self, world_id: WorldId) -> None:
        world = self.resolve.worlds[world_id]
        for key, item in world.imports.items():
            if isinstance(item, FunctionItem):
                self.import_func(None, item.function)
            elif isinstance(item, InterfaceItem):
                iface = self.resolve.interfaces[item.id]
                for func in iface.functions.values():
                    self.import_func(key, func)
                for tid in iface.types.values():
                    self.imported_resource(key, tid)
            elif isinstance(item, TypeItem):
                self.imported_resource(None, item.id)

        if self.is_async:
            for module, name, params, results in names.ASYNC_BUILTINS:
                sig = CoreSignature(_types(params), _types(results))
                self._import(module, name, sig, Origin("async-builtin", op=name))
            for module, name, params, results in names.OPTIONAL_BUILTINS:
                sig = CoreSignature(_types(params), _types(results))
                self._import(module, name, sig, Origin("async-builtin", op=name), optional=True)

        for ekey, export in self._export_funcs_and_ifaces(world.exports):
            if isinstance(export, Function):
                self.export_intrinsics(ekey, export)
            else:
                self.exported_resource_intrinsics(ekey, export)

        for ekey, export in self._export_funcs_and_ifaces(world.exports):
            if isinstance(export, Function):
                self.export_func(ekey, export)
            else:
                self.exported_resource_dtor(ekey, export)

        self.exports.append(
            CoreExport(names.MEMORY, (), (), Origin("memory"), kind="memory"),
        )
        realloc = CoreSignature((CoreType.I32,) * 4, (CoreType.I32,))
        self._export(names.REALLOC, realloc, Origin("realloc"))
        self._export(names.INITIALIZE, CoreSignature((), ()), Origin("initialize"), False)

    def _export_funcs_and_ifaces(
        self, exports: Mapping[WorldKey, object]
    ) -> Iterator[tuple[WorldKey | None, Function | TypeId]]:
        """World exports as (key, function) and (key, resource type id) pairs, in order."""
        for key, item in exports.items():
            if isinstance(item, FunctionItem):
                yield None, item.function
            elif isinstance(item, InterfaceItem):
                iface = self.resolve.interfaces[item.id]
                for func in iface.functions.values():
                    yield key, func
                for tid in iface.types.values():
                    if isinstance(self.resolve.types[tid].kind, Resource):
                        yield key, tid

    # --- imports --------------------------------------------------------------------------

    def import_func(self, key: WorldKey | None, func: Function) -> None:
        use_async = self.is_async and func.is_async
        variant = AbiVariant.IMPORT_ASYNC if use_async else AbiVariant.IMPORT
        sig = signature(self.resolve, func, variant)
        module = names.import_module(self.resolve, key)
        origin = Origin("func", key, False, func, abi=variant)
        self._import(module, names.import_func_name(func, use_async), sig, origin)
        if use_async:
            # the sync-lowered call of the async function (it blocks the calling task until
            # the callee returns): wit-component accepts it too, the dummy module does not
            sync_sig = signature(self.resolve, func, AbiVariant.IMPORT)
            sync_origin = Origin("sync-lower", key, False, func, abi=AbiVariant.IMPORT)
            self._import(module, names.import_func_name(func, False), sync_sig, sync_origin, True)
        if self.is_async:
            # a sync import's are accepted, not imported by the dummy module
            self.future_stream_intrinsics(module, key, func, False, optional=not use_async)

    def imported_resource(self, key: WorldKey | None, tid: TypeId) -> None:
        typedef = self.resolve.types[tid]
        if not isinstance(typedef.kind, Resource) or typedef.name is None:
            return
        module = names.import_module(self.resolve, key)
        sig = CoreSignature((CoreType.I32,), ())
        origin = Origin("resource-drop", key, False, resource=tid)
        self._import(module, names.resource_drop_name(typedef.name), sig, origin)

    def future_stream_intrinsics(
        self,
        module: str,
        key: WorldKey | None,
        func: Function,
        exported: bool,
        optional: bool = False,
    ) -> None:
        for it in async_intrinsics(self.resolve, func):
            role = "future-intrinsic" if it.is_future else "stream-intrinsic"
            origin = Origin(role, key, exported, func, type_id=it.type_id, index=it.index, op=it.op)
            self._import(module, it.name, it.signature, origin, optional)
            if it.name.startswith(names.ASYNC_LOWER_PREFIX):
                # the sync-lowered read/write (it blocks; wit-component accepts it too)
                sync = it.name.removeprefix(names.ASYNC_LOWER_PREFIX)
                self._import(module, sync, it.signature, origin, optional=True)

    # --- exports --------------------------------------------------------------------------

    def export_intrinsics(self, key: WorldKey | None, func: Function) -> None:
        """Imports an exported function needs: `[task-return]` and future/stream intrinsics."""
        if not self.is_async:
            return
        module = names.exported_intrinsic_module(self.resolve, key)
        sig = task_return_signature(self.resolve, func)
        origin = Origin("task-return", key, True, func)
        self._import(module, names.task_return_name(func), sig, origin)
        self.future_stream_intrinsics(module, key, func, exported=True)

    def exported_resource_intrinsics(self, key: WorldKey | None, tid: TypeId) -> None:
        name = self.resolve.types[tid].name
        assert name is not None
        module = names.exported_intrinsic_module(self.resolve, key)
        i32 = (CoreType.I32,)
        for role, core_name, sig in (
            ("resource-drop", names.resource_drop_name(name), CoreSignature(i32, ())),
            ("resource-new", names.resource_new_name(name), CoreSignature(i32, i32)),
            ("resource-rep", names.resource_rep_name(name), CoreSignature(i32, i32)),
        ):
            self._import(module, core_name, sig, Origin(role, key, True, resource=tid))

    def exported_resource_dtor(self, key: WorldKey | None, tid: TypeId) -> None:
        name = self.resolve.types[tid].name
        assert name is not None
        sig = CoreSignature((CoreType.I32,), ())
        origin = Origin("dtor", key, True, resource=tid)
        core_name = names.dtor_export_name(self.resolve, key, name, self.async_abi)
        # destructors are always lifted synchronously: wit-component also takes the name
        # without the async prefix (as wit-bindgen c 0.63 writes it)
        plain = names.dtor_export_name(self.resolve, key, name)
        aliases = (plain,) if plain != core_name else ()
        self._export(core_name, sig, origin, False, aliases)

    def export_func(self, key: WorldKey | None, func: Function) -> None:
        resolve = self.resolve
        if self.is_async and func.is_async:
            lift = self.async_abi
            variant = (
                AbiVariant.EXPORT_ASYNC_CALLBACK
                if lift == "callback"
                else AbiVariant.EXPORT_ASYNC_STACKFUL
            )
        else:
            lift, variant = "sync", AbiVariant.EXPORT
        sig = signature(resolve, func, variant)
        origin = Origin("func", key, True, func, abi=variant)
        self._export(names.export_func_name(resolve, key, func, lift), sig, origin)
        if lift == "sync":
            post = post_return_signature(resolve, func)
            self._export(
                names.post_return_name(resolve, key, func),
                post,
                Origin("post-return", key, True, func),
                required=needs_post_return(resolve, func),
            )
        elif lift == "callback":
            i32 = CoreType.I32
            cb = CoreSignature((i32, i32, i32), (i32,))
            self._export(
                names.callback_name(resolve, key, func), cb, Origin("callback", key, True, func)
            )


def world_abi_text(resolve: Resolve, world: str | None = None, async_abi: str = "sync") -> str:
    """What `witgen abi PATH --world W` prints: the contract's WAT lines, one per line.

    `world` is resolved with `Resolve.select_world` (None: the main package's only world), so a
    bad choice raises `WitError`.
    """
    world_id = resolve.select_world(world)
    return "\n".join(world_contract(resolve, world_id, async_abi).to_wat_lines()) + "\n"
