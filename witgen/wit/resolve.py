"""Name resolution: parsed packages to the typed `witgen.model.Resolve`.

Each package (in dependency order, see `witgen.wit.loader`) is resolved in two steps that mirror
wit-parser, so that the ids in the resolved graph (and `witgen resolve --json`) match
`wasm-tools component wit --json`: `witgen.wit.unresolved` builds local model objects from the
syntax trees, `witgen.wit.append` copies them into the global arenas.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from os import PathLike
from pathlib import Path

from witgen import model
from witgen.inputlog import InputLog
from witgen.wit import ast
from witgen.wit.append import resolve_package
from witgen.wit.loader import load_units
from witgen.wit.local import Context


def load(
    path: str | PathLike[str], features: Iterable[str] = (), all_features: bool = False
) -> model.Resolve:
    """Parse and resolve a `.wit` file or a WIT directory (root package plus `deps/`).

    The cyclic garbage collector is paused meanwhile: loading allocates millions of objects
    and frees few, and each full collection would scan all of them, which made time grow
    faster than the input (a 10 MB file).
    """
    return load_logged(path, features, all_features)[0]


def load_logged(
    path: str | PathLike[str], features: Iterable[str] = (), all_features: bool = False
) -> tuple[model.Resolve, InputLog]:
    """`load`, and what the result depends on: the files read and the folders listed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(path), features, all_features)
    finally:
        if was_enabled:
            gc.enable()


def _load(
    path: Path, features: Iterable[str], all_features: bool
) -> tuple[model.Resolve, InputLog]:
    loaded = load_units(path)
    ctx = Context(model.Resolve(), frozenset(features), all_features)
    ids: dict[ast.PackageKey, int] = {}
    for unit in loaded.units:
        pid = resolve_package(ctx, unit)
        ids[unit.key] = pid
    if loaded.main is not None:
        ctx.resolve.main_package = ids.get(loaded.main)
    ctx.resolve.source_files = [str(p) for p in loaded.files]
    return ctx.resolve, loaded.log
