"""The oracle for `witgen.abi.contract`: wasm-tools' dummy core module of a world.

`wasm-tools component embed --dummy-names legacy [--async-callback|--async-stackful] --world W`
generates a core module with exactly the imports/exports (and core function types) that
wit-component expects in the legacy naming scheme. `dummy_interface` returns them as sets that
compare directly with `contract_interface(world_contract(...))`.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from witgen.abi.contract import CoreContract
from witgen.guest.reader import parse_module

from .wasm_tools_json import WasmToolsError, feature_args, wasm_tools

ASYNC_FLAGS = {"sync": [], "callback": ["--async-callback"], "stackful": ["--async-stackful"]}

ImportKey = tuple[str, str, tuple[str, ...], tuple[str, ...]]
ExportKey = tuple[str, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Interface:
    """A core module's function imports and exports with types, and its exported memories."""

    imports: tuple[ImportKey, ...]  # sorted; duplicates kept
    exports: tuple[ExportKey, ...]  # sorted
    memories: tuple[str, ...]  # names of exported memories
    defines_memory: bool


def dummy_module(
    wit_path: str | Path, world: str, async_abi: str = "sync", features: Iterable[str] = ()
) -> bytes:
    """The binary of wasm-tools' legacy-named dummy module for `world`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dummy.wasm"
        cmd = [
            wasm_tools(),
            "component",
            "embed",
            "--dummy-names",
            "legacy",
            *ASYNC_FLAGS[async_abi],
            *feature_args(features),
            "--world",
            world,
            str(wit_path),
            "-o",
            str(out),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise WasmToolsError(proc.stderr.strip())
        return out.read_bytes()


def dummy_interface(
    wit_path: str | Path, world: str, async_abi: str = "sync", features: Iterable[str] = ()
) -> Interface:
    mod = parse_module(dummy_module(wit_path, world, async_abi, features))
    imports = []
    for imp in mod.imports:
        assert imp.kind == "func" and imp.type is not None, imp
        imports.append((imp.module, imp.name, *imp.type))
    exports = []
    memories = []
    for exp in mod.exports:
        if exp.kind == "memory":
            memories.append(exp.name)
        else:
            assert exp.kind == "func" and exp.type is not None, exp
            exports.append((exp.name, *exp.type))
    return Interface(
        tuple(sorted(imports)), tuple(sorted(exports)), tuple(memories), bool(mod.memories)
    )


def contract_interface(contract: CoreContract) -> Interface:
    """The same view of a witgen contract."""
    memory = contract.memory_export
    return Interface(
        # the optional imports are those wit-component accepts beyond the dummy's
        tuple(sorted(i.key for i in contract.imports if not i.optional)),
        tuple(sorted(e.key for e in contract.func_exports)),
        (memory.name,) if memory is not None else (),
        memory is not None,
    )
