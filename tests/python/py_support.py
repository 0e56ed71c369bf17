"""Generating python-target packages for tests and importing them."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from witgen.targets import generate_files, select_world, write_files

REPO = Path(__file__).resolve().parents[2]
GUESTS = REPO / "tests" / "guests" / "c"


def generate_package(wit: Path, world: str | None, out: Path, **options: object) -> Path:
    import witgen

    resolve = witgen.load(wit)
    files = generate_files("python", resolve, select_world(resolve, world), options)
    write_files(files, out)
    return out


def import_package(parent: Path, name: str) -> ModuleType:
    """Import the package `parent/name` (a fresh import each time the name is new)."""
    if str(parent) not in sys.path:
        sys.path.insert(0, str(parent))
    return importlib.import_module(name)


def guest_package(tmp: Path, guest: str) -> ModuleType:
    """The generated package of C guest `guest`'s world, imported as `wit_<guest>`."""
    name = f"wit_{guest}"
    if name in sys.modules:
        return sys.modules[name]
    generate_package(GUESTS / guest / "world.wit", guest, tmp / name)
    return import_package(tmp, name)
