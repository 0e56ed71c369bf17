"""Keeping a project's WIT folders out of setuptools' package auto-discovery.

In a *flat layout* (packages beside `pyproject.toml`, no `src/`), setuptools takes every
top-level folder with an identifier name for a package, unless it is on its list of reserved
names (`tests`, `docs`, `build`, ...). `wit/` is not on that list, so a project with `mypkg/`
and `wit/` fails with "Multiple top-level packages discovered in a flat-layout: ['mypkg',
'wit']". `exclude_wit_folders` adds the top-level folders holding a binding's inputs (the WIT,
its `deps`, a bundled guest, a `guest-build` output) to the reserved names for this build; a
folder with an `__init__.py` is a real package and stays. Projects that list `packages`
themselves, or use a `src/` layout, are unaffected.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

DEFAULT_WIT = "wit"


def input_folders(root: Path, table: str) -> list[str]:
    """Top-level folders of `root` holding the inputs of the bindings in `table`.

    A config that does not load yields just `wit/` (when it exists): `build_wit` reports the
    config error itself, with its location.
    """
    from witgen.config import load_config
    from witgen.errors import WitError

    try:
        # only the inputs matter here: any name serves as the package for the outputs
        config = load_config(root, table=table, check_targets=False, default_package=lambda: "_")
        paths: Iterable[Path] = [p for b in config.bindings for p in b.inputs.values()]
        # a `guest-build` output's folder (`guest/`) holds the guest's sources too
        paths = [*paths, *(b.guest_build.output for b in config.bindings if b.guest_build)]
    except WitError:
        paths = [root / DEFAULT_WIT]
    names = set()
    for path in paths:
        try:
            top = Path(path).resolve().relative_to(root.resolve()).parts[:1]
        except ValueError:  # outside the project
            continue
        if top and (root / top[0]).is_dir() and not (root / top[0] / "__init__.py").exists():
            names.add(top[0])
    return sorted(names)


def exclude_wit_folders(root: Path, table: str) -> None:
    """Add the input folders of `root`'s bindings to flat-layout discovery's reserved names."""
    try:
        from setuptools.discovery import (  # type: ignore[import-untyped, unused-ignore]
            FlatLayoutPackageFinder,
        )
    except ImportError:  # setuptools < 61: no auto-discovery
        return
    patterns = [p for name in input_folders(root, table) for p in (name, f"{name}.*")]
    known = set(FlatLayoutPackageFinder.DEFAULT_EXCLUDE)
    new = tuple(p for p in patterns if p not in known)
    if new:
        FlatLayoutPackageFinder.DEFAULT_EXCLUDE = (*FlatLayoutPackageFinder.DEFAULT_EXCLUDE, *new)
