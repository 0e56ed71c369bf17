"""Checks on the files and folders a user names as inputs (config paths, CLI arguments).

A path that names a device, a FIFO or a socket would hang or exhaust memory when read
(`wasm = "/dev/zero"`), and a dependency folder that is not a WIT package (`deps = ["/"]`)
would be walked, hashed and copied into sdists whole. So inputs are checked by kind before
anything reads them:

* a *file* input (`wasm`, `--wasm`) must be a regular file of at most `MAX_FILE_BYTES`
  (256 MiB: far beyond any core module, far below what a build machine can hold);
* a WIT input (`wit`, a CLI `PATH`) must be a folder or a regular `.wit` file;
* a *dependency* (`deps`, `--deps`) must be a regular `.wit` file, or a folder holding
  `.wit` files directly (a WIT package) that does not contain the project.

Each function returns a problem (a phrase to put after the path) or None.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 256 * 1024 * 1024


def _kind(path: Path) -> str | None:
    """`folder`, `file`, a description of anything else, or None if it does not exist."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def file_problem(path: Path, max_bytes: int | None = None) -> str | None:
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    kind = _kind(path)
    if kind is None:
        return "does not exist"
    if kind == "folder":
        return "is a folder, not a file"
    if kind != "file":
        return f"is {kind}, not a regular file"
    size = os.stat(path).st_size
    if size > max_bytes:
        return f"is {size} bytes, more than the {max_bytes} witgen reads from one input file"
    return None


def wit_problem(path: Path) -> str | None:
    kind = _kind(path)
    if kind is None:
        return "does not exist"
    if kind == "folder" or (kind == "file" and path.suffix == ".wit"):
        return None
    if kind == "file":
        return "is neither a folder nor a `.wit` file"
    return f"is {kind}, not a folder or a `.wit` file"


def dep_problem(path: Path, project: Path | None = None) -> str | None:
    problem = wit_problem(path)
    if problem is not None or _kind(path) == "file":
        return problem
    full = Path(os.path.abspath(path))
    if project is not None and Path(os.path.abspath(project)).is_relative_to(full):
        return "contains the project itself; name the WIT package folder (or `.wit` file)"
    try:
        with os.scandir(full) as entries:
            if any(e.name.endswith(".wit") and e.is_file() for e in entries):
                return None
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    return "holds no `.wit` files, so it is not a WIT package folder"


def read_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a checked input file; raises `ValueError` with the problem otherwise."""
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    problem = file_problem(path, max_bytes)
    if problem is not None:
        raise ValueError(problem)
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew since the check
        raise ValueError(f"is more than the {max_bytes} bytes witgen reads from one input file")
    return data
