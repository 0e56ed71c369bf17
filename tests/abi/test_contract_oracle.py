"""witgen's core contract of every world must equal wasm-tools' dummy module for it.

For each world of the WASI corpus, of every pass case of wit-parser's UI suite and of
`data/abi-stress.wit`, and for each ABI choice ("sync" = `--dummy-names legacy`, "callback" =
`--async-callback`, "stackful" = `--async-stackful`), the function imports (module, name, core
type), function exports (name, core type) and the exported memory of
`witgen.abi.world_contract` must equal those of `wasm-tools component embed --dummy-names legacy`.

The model is built by each available *model source*: `wasm_tools_json` (wasm-tools' own
resolution converted to `witgen.model`) always, and witgen's parser (`witgen.load`) once
`witgen.wit.resolve` can be imported.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import Path

import pytest
from support.dummy_oracle import contract_interface, dummy_interface
from support.wasm_tools_json import resolve_from_wasm_tools
from support.wit_cases import EMPTY_RECORD_DIVERGENCES, FEATURES, find_shared, pass_cases

from witgen.abi import world_contract
from witgen.model import Resolve

ASYNC_ABIS = ("sync", "callback", "stackful")
STRESS = Path(__file__).resolve().parent / "data" / "abi-stress.wit"
CORPUS_DIRS = ("wasi-p2", "wasi-http-p2", "wasi-p3", "wasi-http-p3")


def _has_witgen_resolve() -> bool:
    """Whether witgen's own parser/resolver can be imported yet (it is written separately)."""
    try:
        importlib.import_module("witgen.wit.resolve")
    except Exception:  # noqa: BLE001 - missing or half-written: use the wasm-tools model only
        return False
    return True


def _load_witgen(path: Path) -> Resolve:
    import witgen

    return witgen.load(path, features=set(FEATURES))


MODEL_SOURCES: dict[str, Callable[[Path], Resolve]] = {
    "wasm_tools_json": lambda path: resolve_from_wasm_tools(path, FEATURES),
}
if _has_witgen_resolve():
    MODEL_SOURCES["witgen"] = _load_witgen


def _shared_case_ids() -> list[str]:
    shared = find_shared()
    if shared is None:
        return ["<shared missing>"]
    ids = [f"corpus/{d}" for d in CORPUS_DIRS]
    ids += [f"ui/{case.name}" for case in pass_cases(shared)]
    return ids


def _case_path(shared: Path, case_id: str) -> Path:
    group, name = case_id.split("/", 1)
    if group == "corpus":
        return shared / "corpus" / name
    return shared / "conformance" / "wit-parser-ui" / name


def _world_spec(resolve: Resolve, world_id: int) -> str:
    """A `--world` argument naming the world exactly (`%` escapes keyword-like names)."""
    world = resolve.worlds[world_id]
    assert world.package is not None
    pkg = resolve.packages[world.package].name
    spec = f"%{pkg.namespace}:%{pkg.name}/%{world.name}"
    return f"{spec}@{pkg.version}" if pkg.version else spec


@pytest.fixture(params=sorted(MODEL_SOURCES))
def model_source(request: pytest.FixtureRequest) -> str:
    return request.param


@functools.cache
def _dummy(path: Path, world: str, async_abi: str):
    return dummy_interface(path, world, async_abi, FEATURES)


def _mismatches(path: Path, resolve: Resolve) -> tuple[list[str], int]:
    """Describe every (world, ABI) whose contract differs from the dummy; and how many ran."""
    problems = []
    count = 0
    for world_id in range(len(resolve.worlds)):
        spec = _world_spec(resolve, world_id)
        for async_abi in ASYNC_ABIS:
            count += 1
            expected = _dummy(path, spec, async_abi)
            got = contract_interface(world_contract(resolve, world_id, async_abi))
            if got == expected:
                continue
            lines = [f"{spec} [{async_abi}]:"]
            for label, mine, theirs in (
                ("import", got.imports, expected.imports),
                ("export", got.exports, expected.exports),
            ):
                lines += [f"  extra {label} {x}" for x in sorted(set(mine) - set(theirs))]
                lines += [f"  missing {label} {x}" for x in sorted(set(theirs) - set(mine))]
                if sorted(set(mine)) == sorted(set(theirs)) and mine != theirs:
                    lines.append(f"  {label}s differ in duplicates")
            if (got.memories, got.defines_memory) != (expected.memories, expected.defines_memory):
                lines.append(f"  memory: got {got.memories}, expected {expected.memories}")
            problems.append("\n".join(lines))
    return problems, count


def _load(model_source: str, path: Path, name: str) -> Resolve:
    try:
        return MODEL_SOURCES[model_source](path)
    except Exception as e:  # noqa: BLE001 - wasm-tools and witgen raise different errors
        if name in EMPTY_RECORD_DIVERGENCES:
            pytest.skip(
                f"{name}: wasm-tools 1.262 rejects empty records, which the UI snapshot still "
                f"allowed, so there is no dummy module to compare with ({e})"
            )
        raise


@pytest.mark.parametrize("case_id", _shared_case_ids())
def test_shared_worlds_match_dummy(
    case_id: str, model_source: str, shared_dir: Path, wasm_tools: str
) -> None:
    path = _case_path(shared_dir, case_id)
    name = case_id.split("/", 1)[1]
    resolve = _load(model_source, path, name)
    problems, _ = _mismatches(path, resolve)
    assert not problems, "\n".join(problems)


def test_stress_worlds_match_dummy(model_source: str, wasm_tools: str) -> None:
    resolve = MODEL_SOURCES[model_source](STRESS)
    problems, count = _mismatches(STRESS, resolve)
    assert count == 4 * len(ASYNC_ABIS)
    assert not problems, "\n".join(problems)


def test_async_mode_really_differs(wasm_tools: str) -> None:
    """Guard against a vacuous oracle: the async ABIs must change the stress contract."""
    resolve = resolve_from_wasm_tools(STRESS, FEATURES)
    world_id = resolve.select_world("both")
    sync = contract_interface(world_contract(resolve, world_id, "sync"))
    callback = contract_interface(world_contract(resolve, world_id, "callback"))
    assert sync != callback
    assert any(name.startswith("[async-lower]") for _, name, *_ in callback.imports)


def _module_of(contract_lines: list[str]) -> str:
    """A core module (WAT) with every import and export of a contract's WAT lines; the
    exported functions trap."""
    body = []
    for line in contract_lines:
        line = line.removesuffix(" ;; optional")
        if line == "(memory 0)":
            continue
        if line.startswith("(export") and "(func" in line:
            name, sig = line[len("(export ") :].split(" (func", 1)
            line = f"(func (export {name}){sig.removesuffix('))')} unreachable)"
        body.append("  " + line)
    return "(module\n" + "\n".join(body) + "\n  (memory 1))\n"


@pytest.mark.parametrize("async_abi", ["callback", "stackful"])
def test_optional_imports_are_accepted_by_wit_component(
    async_abi: str, wasm_tools: str, tmp_path: Path
) -> None:
    """What an async contract marks optional is not in the dummy module (the test above), yet
    `wasm-tools component new` accepts a module importing all of it: the future/stream
    intrinsics of sync imports, the extra built-ins, and async imports lowered sync."""
    import subprocess

    resolve = resolve_from_wasm_tools(STRESS, FEATURES)
    for world_id in range(len(resolve.worlds)):
        contract = world_contract(resolve, world_id, async_abi)
        optional = [i for i in contract.imports if i.optional]
        assert any(i.origin.role == "stream-intrinsic" for i in optional) or world_id != 0
        # the sync-lowered import (`f`) of every async import (`[async-lower]f`)
        lowered = {
            i.name.removeprefix("[async-lower]")
            for i in contract.imports
            if i.origin.role == "func" and i.name.startswith("[async-lower]")
        }
        assert {i.name for i in optional if i.origin.role == "sync-lower"} == lowered
        assert {i.name for i in optional} >= {"[error-context-new-utf8]", "[context-get-1]"}
        wat, core = tmp_path / f"w{world_id}.wat", tmp_path / f"w{world_id}.wasm"
        wat.write_text(_module_of(contract.to_wat_lines()))
        spec = _world_spec(resolve, world_id)
        for cmd in (
            [wasm_tools, "parse", str(wat), "-o", str(core)],
            [wasm_tools, "component", "embed", str(STRESS), str(core), "--world", spec,
             "-o", str(core)] + [f"--features={f}" for f in FEATURES],
            [wasm_tools, "component", "new", str(core), "-o", str(tmp_path / "c.wasm")],
        ):  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, text=True)
            assert proc.returncode == 0, f"{spec} [{async_abi}]: {proc.stderr}"
