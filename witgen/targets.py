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

import difflib
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from witgen.deepstack import call_shallow_first
from witgen.errors import WitError

if TYPE_CHECKING:
    from witgen.engine import BindingSpec, BuildResult, GenerateOutput
    from witgen.model import Resolve

#: target name -> "module:function"; option names each target accepts are validated by it
TARGETS: dict[str, str] = {
    "js": "witgen.js:generate",
    "wasmtime": "witgen.wasmtime:generate",
    "python": "witgen.python:generate",
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


class TargetError(WitError):
    """A target rejected its input (typically an option) without pointing at WIT source."""

    def __init__(self, target: str, message: str) -> None:
        super().__init__(message)
        self.target = target


class WorldError(WitError):
    """The requested world is not there (or none was requested and the choice is open).

    `choices` are the worlds one could ask for: the main package's by name, others as
    `ns:pkg/world`. The message is for the CLI; `describe(how)` says how to choose elsewhere.
    """

    def __init__(self, requested: str | None, choices: list[str], reason: str) -> None:
        self.requested = requested
        self.choices = choices
        self.reason = reason
        super().__init__(self.describe("--world"))

    def describe(self, how: str) -> str:
        listed = ", ".join(f'"{c}"' for c in self.choices) or "none"
        if self.requested is None:
            return f"{self.reason}; choose one with {how}: {listed}"
        hint = difflib.get_close_matches(self.requested, self.choices, n=1)
        mean = f'; did you mean "{hint[0]}"?' if hint else ""
        return f"{self.reason}{mean} (worlds: {listed})"


def select_world(resolve: Resolve, name: str | None) -> int:
    """`resolve.select_world(name)`, failing with a `WorldError` that lists the choices."""
    try:
        return resolve.select_world(name)
    except WitError as err:
        main = resolve.main_package
        choices = []
        for pid, pkg in enumerate(resolve.packages):
            base = f"{pkg.name.namespace}:{pkg.name.name}/"
            choices += [w if pid == main else base + w for w in sorted(pkg.worlds)]
        raise WorldError(name, choices, err.message.split("; pick one")[0]) from None


def target_options(name: str) -> list[str] | None:
    """The option names target `name` declares (an `OPTIONS` sequence next to its function),
    for suggestions; None when it declares none or cannot be imported."""
    spec = target_spec(name)
    if spec is None:
        return None
    try:
        declared = getattr(importlib.import_module(spec.partition(":")[0]), "OPTIONS", None)
    except ImportError:
        return None
    if isinstance(declared, (list, tuple, set, frozenset)):
        return sorted(str(o) for o in declared)
    return None


def generate_files(
    target: str, resolve: Resolve, world: int, options: Mapping[str, object]
) -> Files:
    from witgen.abi.typesize import check_world

    fn = get_target(target)

    def run() -> Files:
        check_world(resolve, world)  # the type size and depth limits, before any target walks
        return fn(resolve, world, dict(options))

    try:
        # generators are pure, so one that ran out of stack can simply run again on a deep one
        files = call_shallow_first(run)
    except WitError as err:
        if err.file is not None or isinstance(err, TargetError):
            raise
        raise TargetError(target, err.message) from None
    for path in files:
        if path.startswith("/") or ".." in path.split("/") or "\\" in path:
            raise AssertionError(f"target {target} produced an unsafe path: {path}")
    return files


def write_files(files: Files, out_dir: Path) -> None:
    for rel, data in sorted(files.items()):
        dest = out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


#: targets that generate every `@unstable` item and gate it themselves (wasmtime: at link time,
#: with bindgen!'s `LinkOptions`, as bindgen! loads WIT with all features), so they always get
#: the WIT loaded with all features and take no `features` list
ALL_FEATURES_TARGETS = frozenset({"wasmtime"})


def _load(spec: BindingSpec) -> Resolve:
    import witgen

    every = spec.target in ALL_FEATURES_TARGETS
    if every and spec.features:
        raise TargetError(
            spec.target,
            f"`features` does not apply to the {spec.target} target: every @unstable item is "
            "generated, and a host enables it at link time with `LinkOptions` (as bindgen!)",
        )
    load: Callable[..., Resolve] = witgen.load  # the front end's entry point (untyped there)
    return load(spec.wit_path, features=spec.features, all_features=spec.all_features or every)


def _generate(spec: BindingSpec, tmp_dir: Path) -> GenerateOutput:
    from witgen.engine import GenerateOutput

    resolve = _load(spec)
    world = select_world(resolve, spec.world)
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
