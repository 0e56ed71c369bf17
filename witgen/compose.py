"""A WIT root joined with extra dependency packages: a folder of symlinks the loader reads.

`deps = [...]` (config) and `--deps` (CLI) name packages that live outside `<wit>/deps/`. The
loader only knows one layout (root `*.wit` files plus `deps/`), so witgen builds that layout
in a folder of its own: links to the root's `.wit` files, to each entry of its `deps/`, and to
each extra dependency. The engine hashes files through the links, so edits to the real files
are seen; `real_path` maps a file reported inside the folder back to the user's file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path


def compose_wit_root(wit: Path, deps: Sequence[Path], folder: Path) -> Path:
    """Make `folder` the root package of `wit` plus its `deps/` plus `deps`; returns it."""
    wanted: dict[str, Path] = {}
    with os.scandir(wit) as it:
        for e in it:
            if e.name.endswith(".wit") and e.is_file():
                wanted[e.name] = Path(e.path)
    deps_dir = wit / "deps"
    if deps_dir.is_dir():
        with os.scandir(deps_dir) as it:
            for e in it:
                wanted[f"deps/{e.name}"] = Path(e.path)
    for d in deps:
        wanted[f"deps/{d.name}"] = d
    _sync_links(folder, wanted)
    return folder


def real_path(path: Path, composed: Path) -> Path:
    """The user's file behind `path` when it lies inside the `composed` folder."""
    p = Path(os.path.abspath(path))
    with contextlib.suppress(ValueError):
        p.relative_to(os.path.abspath(composed))
        return Path(os.path.realpath(p))
    return p


def _sync_links(folder: Path, wanted: Mapping[str, Path]) -> None:
    """Make `folder` hold exactly `wanted` (relative name -> target) as symlinks.

    Cheap when already right (a directory listing and a readlink per entry). Each link is
    created under a temporary name and renamed, so concurrent builds never see a missing
    entry. Falls back to copies where symlinks are not allowed.
    """
    for sub in {"", "deps"}:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    present: dict[str, str | None] = {}
    for sub in ("", "deps"):
        with os.scandir(folder / sub) as it:
            for e in it:
                if e.name == "deps" and not sub:
                    continue
                rel = f"{sub}/{e.name}" if sub else e.name
                present[rel] = os.readlink(e.path) if e.is_symlink() else None
    for rel, target in wanted.items():
        dest = folder / rel
        want = os.path.abspath(target)
        if present.get(rel) == want:
            continue
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        try:
            os.symlink(want, tmp, target_is_directory=Path(want).is_dir())
            os.replace(tmp, dest)
        except OSError:
            _copy_into(Path(want), dest)
    for rel in present.keys() - wanted.keys():
        p = folder / rel
        with contextlib.suppress(OSError):
            if p.is_symlink() or p.is_file():
                p.unlink()
            else:
                shutil.rmtree(p)


def _copy_into(src: Path, dest: Path) -> None:  # pragma: no cover - no-symlink platforms
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.is_dir():
        shutil.rmtree(dest)
    if src.is_dir():
        shutil.copytree(src, dest)
    else:
        shutil.copy2(src, dest)
