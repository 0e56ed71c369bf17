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

from dataclasses import dataclass
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
    problems = _check_exports(module, export_rules(contract, needs_memory, needs_realloc))
    problems.extend(_check_imports(module, import_rules(contract)))
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


@dataclass(frozen=True)
class ExportRule:
    """What a guest must (or may) export under one name: the rule both checkers apply, the
    build-time one here and the run-time one of the generated JS (`load()`)."""

    name: str
    aliases: tuple[str, ...]
    #: "func" or "memory"
    kind: str
    #: the core signature (rendered) of a "func"
    signature: str | None
    #: a guest without it does not work (optional ones are checked only when present)
    required: bool
    #: why it is required, where that is not obvious (memory, cabi_realloc)
    why: str

    def missing(self) -> str:
        if self.kind == "memory":
            return f'missing export "{self.name}" (a memory): {self.why}'
        text = f'missing export "{self.name}": expected {self.signature}'
        return f"{text} ({self.why})" if self.why else text


def export_rules(
    contract: CoreContract, needs_memory: bool, needs_realloc: bool
) -> list[ExportRule]:
    """One rule per export of `contract`, given what the world needs of memory and realloc."""
    rules = []
    for want in contract.exports:
        if want.kind == "memory":
            required, why = needs_memory, "the world passes data through memory"
        elif want.origin.role == "realloc":
            required, why = needs_realloc, "the host allocates in guest memory"
        else:
            # post-returns only free memory: a guest without one leaks, and still works
            required, why = want.required and want.origin.role != "post-return", ""
        sig = render_signature(*_wanted(want)) if want.kind == "func" else None
        rules.append(ExportRule(want.name, want.aliases, want.kind, sig, required, why))
    return rules


def import_rules(contract: CoreContract) -> dict[tuple[str, str], str]:
    """The rendered core signature of every function the guest may import, by (module, name)."""
    return {(i.module, i.name): render_signature(*_wanted(i)) for i in contract.imports}


def _check_exports(module: Module, rules: list[ExportRule]) -> list[str]:
    have = {e.name: e for e in module.exports}
    problems: list[str] = []
    for rule in rules:
        found = next((have[n] for n in (rule.name, *rule.aliases) if n in have), None)
        if found is None:
            if rule.required:
                problems.append(rule.missing())
            continue
        if found.kind != rule.kind:
            problems.append(f'export "{found.name}" is a {found.kind}, the world needs a {rule.kind}')
        elif rule.kind == "func":
            assert found.type is not None
            sig = render_signature(*found.type)
            if sig != rule.signature:
                problems.append(
                    f'export "{found.name}" has {sig} but the world needs {rule.signature}'
                )
    return problems


def _check_imports(module: Module, rules: dict[tuple[str, str], str]) -> list[str]:
    problems: list[str] = []
    for imp in module.imports:
        if imp.module in WASI_PREVIEW1_MODULES:
            continue
        label = imp.name if imp.module == ROOT_MODULE else f"{imp.module}#{imp.name}"
        want = rules.get((imp.module, imp.name))
        if want is None:
            what = "" if imp.kind == "func" else f" (a {imp.kind})"
            problems.append(f'import "{label}"{what} is not in the world')
        elif imp.kind != "func":
            problems.append(f'import "{label}" is a {imp.kind}, the world has a function')
        else:
            assert imp.type is not None
            sig = render_signature(*imp.type)
            if sig != want:
                problems.append(f'import "{label}" has {sig} but the world needs {want}')
    return problems
