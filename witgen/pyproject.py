"""A project as `witgen build` sees it without running its build backend: which hook table
configures it and where its packages live, read the way the hooks read them.

* the table: `[tool.witgen]` (setuptools); else hatch's, in the order the `wit` hook looks:
  `[tool.hatch.build.targets.wheel.hooks.wit]`, `[tool.hatch.build.hooks.wit]`, then
  `[build.hooks.wit]` of a `hatch.toml`;
* the packages (top-level name in the wheel -> source folder): hatch's
  `[tool.hatch.build.targets.wheel] packages`, setuptools' `[tool.setuptools] packages` and
  `package-dir`, else the project's name at `<name>/` or `src/<name>/`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from witgen.config import (
    HATCH_RESERVED_KEYS,
    HATCH_TABLE,
    SETUPTOOLS_TABLE,
    get_table,
    read_toml,
)
from witgen.errors import WitError


def normalize(name: str) -> str:
    """A distribution name as a package name (`my-pkg` -> `my_pkg`)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def hatch_table(root: Path, data: Mapping[str, Any], target: str = "wheel") -> tuple[str, Path]:
    """(table, file) the hatch `wit` hook reads for build target `target`."""
    pyproject = root / "pyproject.toml"
    target_table = f"tool.hatch.build.targets.{target}.hooks.wit"
    if get_table(data, target_table) is not None:
        return target_table, pyproject
    if get_table(data, HATCH_TABLE) is None and (root / "hatch.toml").is_file():
        return "build.hooks.wit", root / "hatch.toml"
    return HATCH_TABLE, pyproject


@dataclass(frozen=True)
class Layout:
    root: Path
    table: str
    file: Path
    reserved: frozenset[str]
    #: the project's own package name (normalized project name)
    name: str
    #: top-level package name in the wheel -> its source folder
    packages: Mapping[str, Path]

    def default_package(self) -> str | None:
        if self.name in self.packages:
            return self.name
        return min(self.packages) if self.packages else None

    def in_tree(self, wheel_dir: str) -> Path | None:
        first, _, rest = wheel_dir.partition("/")
        base = self.packages.get(first)
        if base is None or not base.is_dir():
            return None
        return base / rest if rest else base


def read_layout(root: Path) -> Layout:
    """The layout of the project at `root`; `WitError` when it configures no bindings."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise WitError(f"no pyproject.toml in {root}")
    data = read_toml(pyproject)
    if get_table(data, SETUPTOOLS_TABLE) is not None:
        table, file, reserved = SETUPTOOLS_TABLE, pyproject, frozenset[str]()
    else:
        table, file = hatch_table(root, data)
        reserved = HATCH_RESERVED_KEYS
        hatch = read_toml(file) if file != pyproject else data
        if get_table(hatch, table) is None:
            raise WitError(
                f"{pyproject} configures no bindings: add a `[{SETUPTOOLS_TABLE}]` or "
                f"`[{HATCH_TABLE}]` table (see docs/config.md)"
            )
    name = normalize(str(get_table(data, "project.name") or root.name))
    return Layout(root, table, file, reserved, name, _packages(root, data, name))


def _packages(root: Path, data: Mapping[str, Any], name: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    hatch = get_table(data, "tool.hatch.build.targets.wheel.packages")
    if isinstance(hatch, list):
        for p in hatch:
            if isinstance(p, str) and p:
                found[Path(p).name] = root / p
    listed = get_table(data, "tool.setuptools.packages")
    dirs = get_table(data, "tool.setuptools.package-dir")
    dirs = dirs if isinstance(dirs, Mapping) else {}
    if isinstance(listed, list):
        for p in listed:
            if isinstance(p, str) and p and "." not in p:
                folder = dirs.get(p)
                base = root / str(dirs.get("", "")) if folder is None else None
                found[p] = root / str(folder) if folder is not None else (base or root) / p
    if not found:
        for base in (root / name, root / "src" / name):
            if base.is_dir():
                found[name] = base
                break
    return found
