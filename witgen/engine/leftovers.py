"""Debris of builds that were killed (SIGKILL, power loss): found by name, removed under lock.

A build leaves two kinds of temporary entries, both named so that nothing else matches:

* the staging folder, a sibling of the output folder: `.<out name>.witgen-staging-<random>`;
* per-file temp files during a publish: `.<file name>.<random>.witgen-tmp`, next to the file
  they replace (in the output folder and the folders of its outputs).

Both only exist while a build holds the output folder's lock (`witgen.engine.lock`). So
whoever holds the lock and still finds one knows its owner is dead, and removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from witgen.engine.manifest import Manifest

TMP_SUFFIX = ".witgen-tmp"


def staging_prefix(out_dir: Path) -> tuple[Path, str]:
    """(folder, name prefix) of `out_dir`'s staging folders."""
    out = Path(os.path.abspath(out_dir))
    return out.parent, f".{out.name}.witgen-staging-"


def _folders(out_dir: Path, manifest: Manifest | None) -> set[Path]:
    """The output folder and every folder an output of `manifest` lives in."""
    rels = {"."}
    if manifest is not None:
        rels |= set(manifest.created_dirs)
        rels |= {rel.rpartition("/")[0] or "." for rel in manifest.outputs}
    return {out_dir / rel for rel in rels}


def find_leftovers(out_dir: Path, manifest: Manifest | None) -> list[Path]:
    """Staging folders and temp files of dead builds for `out_dir` (only valid under lock)."""
    found: list[Path] = []
    parent, prefix = staging_prefix(out_dir)
    with contextlib.suppress(OSError), os.scandir(parent) as entries:
        for e in entries:
            if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False):
                found.append(Path(e.path))
    for folder in sorted(_folders(out_dir, manifest)):
        if folder.is_symlink():
            continue
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for e in entries:
                if _is_tmp(e.name) and e.is_file(follow_symlinks=False):
                    found.append(Path(e.path))
    return found


def _is_tmp(name: str) -> bool:
    # `.{name}.{random}.witgen-tmp`, as tempfile.mkstemp names them in `atomic_write`
    return name.startswith(".") and name.endswith(TMP_SUFFIX) and name.count(".") >= 3


def remove_leftovers(paths: list[Path]) -> None:
    """Delete what `find_leftovers` found (call only while holding the output's lock)."""
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
