"""Core wasm import/export names in wit-component's *legacy* naming scheme.

This is the scheme `wasm-tools component new` understands for a core module (and that
`wasm-tools component embed --dummy-names legacy` produces):

- imports of world-level functions/types come from module `$root`; those of an imported
  interface from the interface's world-key name (`ns:pkg/iface@1.0.0`, or a plain name);
- intrinsics for *exported* items come from `[export]$root` / `[export]<iface>`;
- exported functions are `name` (world level) or `<iface>#name`, with `cabi_post_<export>`
  post-return functions, `[async-lift]` / `[async-lift-stackful]` prefixes for async lifts,
  `[callback][async-lift]...` callbacks, and `[async-lower]` on async imports;
- resources: `[resource-drop]R`, `[resource-new]R`, `[resource-rep]R` imports and
  `<iface>#[dtor]R` exports;
- `memory`, `cabi_realloc` and `_initialize` exports.
"""

from __future__ import annotations

from witgen.model import Function, Resolve, WorldKey

ROOT_MODULE = "$root"
EXPORT_MODULE_PREFIX = "[export]"
MEMORY = "memory"
REALLOC = "cabi_realloc"
INITIALIZE = "_initialize"
POST_RETURN_PREFIX = "cabi_post_"
ASYNC_LOWER_PREFIX = "[async-lower]"
ASYNC_LIFT_PREFIX = "[async-lift]"
ASYNC_LIFT_STACKFUL_PREFIX = "[async-lift-stackful]"
CALLBACK_PREFIX = "[callback]"
TASK_RETURN_PREFIX = "[task-return]"
RESOURCE_DROP = "[resource-drop]"
RESOURCE_NEW = "[resource-new]"
RESOURCE_REP = "[resource-rep]"
DTOR = "[dtor]"

#: Per-type intrinsics of a `future<T>`/`stream<T>` in a function signature, as
#: (operation, params, results, async_lowered). The name is `[<op>-<i>]<func>`, with an
#: `[async-lower]` prefix when `async_lowered`; `i` indexes the function's futures/streams in
#: depth-first order (params, then result; inner types first). This is the set wasm-tools 1.262
#: generates: read/write only in their async-lowered form, plus `forward`.
FUTURE_INTRINSICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("future-new", (), ("i64",), False),
    ("future-cancel-read", ("i32",), ("i32",), False),
    ("future-cancel-write", ("i32",), ("i32",), False),
    ("future-drop-readable", ("i32",), (), False),
    ("future-drop-writable", ("i32",), (), False),
    ("future-forward", ("i32", "i32"), (), False),
    ("future-read", ("i32", "i32"), ("i32",), True),
    ("future-write", ("i32", "i32"), ("i32",), True),
)
STREAM_INTRINSICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("stream-new", (), ("i64",), False),
    ("stream-cancel-read", ("i32",), ("i32",), False),
    ("stream-cancel-write", ("i32",), ("i32",), False),
    ("stream-drop-readable", ("i32",), (), False),
    ("stream-drop-writable", ("i32",), (), False),
    ("stream-forward", ("i32", "i32"), (), False),
    ("stream-read", ("i32", "i32", "i32"), ("i32",), True),
    ("stream-write", ("i32", "i32", "i32"), ("i32",), True),
)

#: Task/waitable built-ins a module using the async ABI may import: (module, name, params,
#: results). `[task-cancel]` comes from `[export]$root`, the rest from `$root`.
ASYNC_BUILTINS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("[export]$root", "[task-cancel]", (), ()),
    ("$root", "[backpressure-inc]", (), ()),
    ("$root", "[backpressure-dec]", (), ()),
    ("$root", "[waitable-set-new]", (), ("i32",)),
    ("$root", "[waitable-set-wait]", ("i32", "i32"), ("i32",)),
    ("$root", "[waitable-set-poll]", ("i32", "i32"), ("i32",)),
    ("$root", "[waitable-set-drop]", ("i32",), ()),
    ("$root", "[waitable-join]", ("i32", "i32"), ()),
    ("$root", "[thread-yield]", (), ("i32",)),
    ("$root", "[subtask-drop]", ("i32",), ()),
    ("$root", "[subtask-cancel]", ("i32",), ("i32",)),
    ("$root", "[context-get-0]", (), ("i32",)),
    ("$root", "[context-set-0]", ("i32",), ()),
)


#: Built-ins wit-component 0.262 also accepts that its dummy module does not import: the
#: cancellable subtask.cancel, context slot 1, error-context (its messages in each string
#: encoding, whatever the world's), and names with an explicit i32
#: (memory32). Optional in a contract: a guest may import them.
OPTIONAL_BUILTINS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("$root", "[async-lower][subtask-cancel]", ("i32",), ("i32",)),
    ("$root", "[context-get-1]", (), ("i32",)),
    ("$root", "[context-set-1]", ("i32",), ()),
    ("$root", "[error-context-new-utf8]", ("i32", "i32"), ("i32",)),
    ("$root", "[error-context-new-utf16]", ("i32", "i32"), ("i32",)),
    ("$root", "[error-context-new-latin1+utf16]", ("i32", "i32"), ("i32",)),
    ("$root", "[error-context-debug-message-utf8]", ("i32", "i32"), ()),
    ("$root", "[error-context-debug-message-utf16]", ("i32", "i32"), ()),
    ("$root", "[error-context-debug-message-latin1+utf16]", ("i32", "i32"), ()),
    ("$root", "[error-context-drop]", ("i32",), ()),
    ("$root", "[waitable-set-wait-i32]", ("i32", "i32"), ("i32",)),
    ("$root", "[waitable-set-poll-i32]", ("i32", "i32"), ("i32",)),
    ("$root", "[context-get-i32-0]", (), ("i32",)),
    ("$root", "[context-set-i32-0]", ("i32",), ()),
    ("$root", "[context-get-i32-1]", (), ("i32",)),
    ("$root", "[context-set-i32-1]", ("i32",), ()),
)


def key_name(resolve: Resolve, key: WorldKey | None) -> str:
    """Name of a world key for core names; `None` (world-level items) is `$root`."""
    return ROOT_MODULE if key is None else resolve.world_key_name(key)


def import_module(resolve: Resolve, key: WorldKey | None) -> str:
    """Module that imports of a world import (an interface, or world-level items) come from."""
    return key_name(resolve, key)


def exported_intrinsic_module(resolve: Resolve, key: WorldKey | None) -> str:
    """Module of intrinsics for an exported interface (`[export]<iface>`) or `[export]$root`."""
    return EXPORT_MODULE_PREFIX + key_name(resolve, key)


def import_func_name(func: Function, async_: bool) -> str:
    """Field name of an imported function: its ABI name, `[async-lower]`-prefixed if async."""
    return (ASYNC_LOWER_PREFIX if async_ else "") + func.name


def export_base_name(resolve: Resolve, key: WorldKey | None, func: Function) -> str:
    """`name` for a world-level function, `<iface>#name` for an interface's function."""
    if key is None:
        return func.name
    return f"{resolve.world_key_name(key)}#{func.name}"


def export_func_name(
    resolve: Resolve, key: WorldKey | None, func: Function, lift: str = "sync"
) -> str:
    """Export name of a lifted function; `lift` is "sync", "callback" or "stackful"."""
    base = export_base_name(resolve, key, func)
    if lift == "callback":
        return ASYNC_LIFT_PREFIX + base
    if lift == "stackful":
        return ASYNC_LIFT_STACKFUL_PREFIX + base
    return base


def post_return_name(resolve: Resolve, key: WorldKey | None, func: Function) -> str:
    """`cabi_post_<export>` of a sync export."""
    return POST_RETURN_PREFIX + export_base_name(resolve, key, func)


def callback_name(resolve: Resolve, key: WorldKey | None, func: Function) -> str:
    """`[callback][async-lift]<export>` of an async export lifted with a callback."""
    return CALLBACK_PREFIX + ASYNC_LIFT_PREFIX + export_base_name(resolve, key, func)


def task_return_name(func: Function) -> str:
    """`[task-return]<func>`, imported from `[export]<iface>` / `[export]$root`."""
    return TASK_RETURN_PREFIX + func.name


def resource_drop_name(resource: str) -> str:
    return RESOURCE_DROP + resource


def resource_new_name(resource: str) -> str:
    return RESOURCE_NEW + resource


def resource_rep_name(resource: str) -> str:
    return RESOURCE_REP + resource


def dtor_export_name(
    resolve: Resolve, key: WorldKey | None, resource: str, lift: str = "sync"
) -> str:
    """`<iface>#[dtor]R`: the destructor of an exported resource.

    A module built for an async ABI (`lift` "callback"/"stackful") names it with the same
    `[async-lift]`/`[async-lift-stackful]` prefix as its async exports (as wasm-tools 1.262 does).
    """
    base = f"{key_name(resolve, key)}#{DTOR}{resource}"
    if lift == "callback":
        return ASYNC_LIFT_PREFIX + base
    if lift == "stackful":
        return ASYNC_LIFT_STACKFUL_PREFIX + base
    return base


def future_stream_intrinsic_name(op: str, index: int, func: Function, async_: bool = False) -> str:
    """`[future-read-0]f`, or `[async-lower][future-read-0]f` when `async_`."""
    return (ASYNC_LOWER_PREFIX if async_ else "") + f"[{op}-{index}]{func.name}"
