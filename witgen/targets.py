"""The generator registry and the bridge from a binding spec to the build engine.

A *target* is a pure function `generate(resolve, world_id, options) -> {path: bytes}`: it reads
the resolved model (never the WIT text) and returns the files of the package it makes, keyed by
POSIX paths relative to the output folder. Same inputs, same bytes. Targets are imported lazily,
so the engine's no-op path and `witgen --help` never load them.

`build_binding(spec)` is what the CLI and both build hooks call: it asks the engine whether the
output is stale and, if so, loads the WIT, runs the target and lets the engine publish.

Third-party targets: a distribution adds one with an entry point in the `witgen.targets` group,
`name = "module:function"`. Built-in names win; entry points are only looked at for a name that
is not built in (and by `target_names`), so built-in targets never pay for the scan.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from witgen.errors import WitError

if TYPE_CHECKING:
    from witgen.engine import BindingSpec, BuildResult, GenerateOutput
    from witgen.model import Resolve

#: target name -> "module:function"; option names each target accepts are validated by it
TARGETS: dict[str, str] = {
    "js": "witgen.js:generate",
    "wasmtime": "witgen.wasmtime:generate",
}

Files = dict[str, bytes]
TargetFn = Callable[..., Files]


#: the entry-point group third-party targets register under
ENTRY_POINT_GROUP = "witgen.targets"


def _plugin_targets() -> dict[str, str]:
    from importlib.metadata import entry_points

    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def target_names() -> list[str]:
    return sorted({**_plugin_targets(), **TARGETS})


def target_spec(name: str) -> str | None:
    """`"module:function"` of target `name` (built-in first, then entry points), or None."""
    spec = TARGETS.get(name)
    if spec is None:
        spec = _plugin_targets().get(name)
    return spec


def get_target(name: str) -> TargetFn:
    spec = target_spec(name)
    if spec is None:
        raise WitError(f"unknown target `{name}`; expected one of: {', '.join(target_names())}")
    module, _, attr = spec.partition(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:
            raise WitError(f"target `{name}` is not available in this version of witgen") from None
        raise
    fn: TargetFn = getattr(mod, attr)
    return fn


def generate_files(
    target: str, resolve: Resolve, world: int, options: Mapping[str, object]
) -> Files:
    files = get_target(target)(resolve, world, dict(options))
    for path in files:
        if path.startswith("/") or ".." in path.split("/") or "\\" in path:
            raise AssertionError(f"target {target} produced an unsafe path: {path}")
    return files


def write_files(files: Files, out_dir: Path) -> None:
    for rel, data in sorted(files.items()):
        dest = out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


def _load(spec: BindingSpec) -> Resolve:
    import witgen

    load: Callable[..., Resolve] = witgen.load  # the front end's entry point (untyped there)
    return load(spec.wit_path, features=spec.features, all_features=spec.all_features)


def _generate(spec: BindingSpec, tmp_dir: Path) -> GenerateOutput:
    from witgen.engine import GenerateOutput

    resolve = _load(spec)
    world = resolve.select_world(spec.world)
    write_files(generate_files(spec.target, resolve, world, spec.options), tmp_dir)
    used = resolve.source_files
    return GenerateOutput(
        wit_files=[Path(p) for p in used] if used else None,
        world=resolve.worlds[world].name,
    )


def build_binding(spec: BindingSpec, *, force: bool = False) -> BuildResult:
    """Generate one binding through the engine (a no-op when its inputs are unchanged)."""
    from witgen.engine import build

    return build(spec, _generate, force=force)
