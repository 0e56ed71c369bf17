"""Checking a guest's core module against the core contract of the world it implements.

`check_guest(resolve, world_id, data)` returns one line per problem (an empty list: the guest
fits); `require_guest(...)` raises a `WitError` listing them all. What a guest must have:

- every function export of the contract (under its name or one of its aliases) with the
  contract's core signature; the optional ones (`_initialize`, the `cabi_post_*` post-returns,
  resource destructors) may be absent but must have the right signature when present;
- `memory` when any function passes data through memory (strings, lists, maps, or values
  spilled to a pointer), and `cabi_realloc` when the host allocates in the guest (an export
  taking such data or spilled parameters, an import returning owned data);
- no function import the world does not have, and the world's signature for each one it has.
  A guest need not import everything: imports it does not use are absent. Imports from
  WASI preview 1 (`wasi_snapshot_preview1`) are provided by the host's WASI support, not by
  the world, and are not checked here.

Exports beyond the contract are fine (a guest may export more than the world needs).
"""

from __future__ import annotations

from pathlib import Path

from witgen.abi.contract import CoreContract, CoreExport, CoreImport, world_contract
from witgen.abi.flat import CoreType, has_heap_data
from witgen.errors import WitError
from witgen.model import Resolve, WorldId

from .reader import FuncType, Module, WasmFormatError, parse_module

#: core import modules a WASI preview 1 host provides beside the world's imports
WASI_PREVIEW1_MODULES = frozenset({"wasi_snapshot_preview1", "wasi_unstable"})

ROOT_MODULE = "$root"


def check_guest(
    resolve: Resolve, world_id: WorldId, data: bytes, async_abi: str = "sync"
) -> list[str]:
    """The problems of core module `data` as a guest of `resolve.worlds[world_id]`.

    `async_abi` is how the guest lifts/lowers async functions (see `world_contract`).
    """
    try:
        module = parse_module(data)
    except WasmFormatError as e:
        return [f"not a core wasm module: {e}"]
    return check_module(module, world_contract(resolve, world_id, async_abi), resolve)


def require_guest(
    resolve: Resolve, world_id: WorldId, data: bytes, source: str, async_abi: str = "sync"
) -> None:
    """Raise a `WitError` listing every problem of `data` (read from `source`), if any."""
    problems = check_guest(resolve, world_id, data, async_abi)
    if problems:
        world = resolve.worlds[world_id].name
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        lines = "".join(f"\n  - {p}" for p in problems)
        raise WitError(f"guest {source} does not fit world `{world}` ({count}):{lines}")


def require_guest_file(
    resolve: Resolve, world_id: WorldId, path: str | Path, async_abi: str = "sync"
) -> None:
    """`require_guest` on the file at `path`; an unreadable file is a `WitError` too."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise WitError(f"cannot read guest {path}: {e.strerror}") from None
    require_guest(resolve, world_id, data, str(path), async_abi)


def check_module(module: Module, contract: CoreContract, resolve: Resolve) -> list[str]:
    """The problems of `module` against `contract` (see the module docstring)."""
    needs_memory, needs_realloc = memory_needs(contract, resolve)
    problems = _check_exports(module, contract, needs_memory, needs_realloc)
    problems.extend(_check_imports(module, contract))
    return problems


def memory_needs(contract: CoreContract, resolve: Resolve) -> tuple[bool, bool]:
    """(the host reads or writes guest memory, the host allocates in the guest)."""
    memory = realloc = False
    items: list[CoreImport | CoreExport] = [*contract.imports, *contract.exports]
    for item in items:
        func, sig = item.origin.function, item.signature
        if item.origin.role != "func" or func is None or sig is None:
            continue
        params = any(has_heap_data(resolve, p.type) for p in func.params)
        result = func.result is not None and has_heap_data(resolve, func.result)
        spilled = sig.indirect_params or sig.retptr
        memory = memory or params or result or spilled
        if item.origin.exported:
            realloc = realloc or params or sig.indirect_params
        else:
            realloc = realloc or result
    return memory, realloc


def render_signature(params: tuple[str, ...], results: tuple[str, ...]) -> str:
    """`(i32, i32) -> i32`, `(i32)` (no results), `() -> (i32, i64)`."""
    text = f"({', '.join(params)})"
    if len(results) == 1:
        return f"{text} -> {results[0]}"
    if results:
        return f"{text} -> ({', '.join(results)})"
    return text


def _strs(types: tuple[CoreType, ...]) -> tuple[str, ...]:
    return tuple(t.value for t in types)


def _wanted(item: CoreImport | CoreExport) -> FuncType:
    return (_strs(item.params), _strs(item.results))


def _check_exports(
    module: Module, contract: CoreContract, needs_memory: bool, needs_realloc: bool
) -> list[str]:
    have = {e.name: e for e in module.exports}
    problems: list[str] = []
    for want in contract.exports:
        found = next((have[n] for n in (want.name, *want.aliases) if n in have), None)
        if want.kind == "memory":
            required = needs_memory
            why = "the world passes data through memory"
        elif want.origin.role == "realloc":
            required = needs_realloc
            why = "the host allocates in guest memory"
        else:
            # post-returns only free memory: a guest without one leaks, and still works
            required, why = want.required and want.origin.role != "post-return", ""
        if found is None:
            if required:
                problems.append(_missing_export(want, why))
            continue
        if found.kind != want.kind:
            problems.append(f'export "{found.name}" is a {found.kind}, the world needs a {want.kind}')
        elif want.kind == "func" and found.type != _wanted(want):
            assert found.type is not None
            problems.append(
                f'export "{found.name}" has {render_signature(*found.type)} but the world needs '
                f"{render_signature(*_wanted(want))}"
            )
    return problems


def _missing_export(want: CoreExport, why: str) -> str:
    if want.kind == "memory":
        return f'missing export "{want.name}" (a memory): {why}'
    text = f'missing export "{want.name}": expected {render_signature(*_wanted(want))}'
    return f"{text} ({why})" if why else text


def _check_imports(module: Module, contract: CoreContract) -> list[str]:
    known = {(i.module, i.name): i for i in contract.imports}
    problems: list[str] = []
    for imp in module.imports:
        if imp.module in WASI_PREVIEW1_MODULES:
            continue
        label = imp.name if imp.module == ROOT_MODULE else f"{imp.module}#{imp.name}"
        want = known.get((imp.module, imp.name))
        if want is None:
            what = "" if imp.kind == "func" else f" (a {imp.kind})"
            problems.append(f'import "{label}"{what} is not in the world')
        elif imp.kind != "func":
            problems.append(f'import "{label}" is a {imp.kind}, the world has a function')
        elif imp.type != _wanted(want):
            assert imp.type is not None
            problems.append(
                f'import "{label}" has {render_signature(*imp.type)} but the world needs '
                f"{render_signature(*_wanted(want))}"
            )
    return problems
