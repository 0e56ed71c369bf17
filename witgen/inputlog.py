"""What a WIT load depended on: every file it read (with the SHA-256 of the bytes read) and
every folder it listed (with the names and kinds it saw).

The front end's loader fills an `InputLog` as it reads; `witgen.clicache` stores the log beside
a command's output and checks it again before replaying that output. Both sides describe a
folder with `listing`, so what is recorded and what is checked cannot drift apart.

A file's stat (`FileStat`) lets a later check skip hashing when nothing about the file changed.
It is kept only when the file had been left alone for `SETTLED_NS` when it was read: a file
written within the filesystem's timestamp granularity of the read could change again with an
identical stat (the "racily clean" case of git), so such a file is always hashed.

Only `os`, `stat` and `time` are imported (all loaded by the interpreter at startup): the
check runs on `witgen`'s fast path.
"""

from __future__ import annotations

import os
import stat
import time

#: how long a file must have been untouched before its stat may stand in for its content
SETTLED_NS = 2_000_000_000

#: size, mtime_ns, ctime_ns, inode, device
FileStat = tuple[int, int, int, int, int]


def file_stat(st: os.stat_result) -> FileStat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def settled(st: os.stat_result, now_ns: int) -> bool:
    """True when the file was last written or changed long enough before `now_ns`."""
    return now_ns - max(st.st_mtime_ns, st.st_ctime_ns) >= SETTLED_NS


def listing(folder: str) -> list[tuple[str, str]]:
    """The entries of `folder` as (name, kind) sorted by the name's bytes; kind is `d` for a
    folder, `f` for a regular file (both through symlinks, as the loader looks at them), `o`
    for anything else. Raises `OSError`."""
    out = []
    with os.scandir(folder) as entries:
        for e in entries:
            try:
                kind = "d" if e.is_dir() else "f" if e.is_file() else "o"
            except OSError:
                kind = "o"
            out.append((e.name, kind))
    out.sort(key=lambda item: os.fsencode(item[0]))
    return out


def encode_listing(entries: list[tuple[str, str]]) -> str:
    """A listing as one string: each entry is its kind letter then its name, joined by `/`
    (which no file name contains)."""
    return "/".join(kind + name for name, kind in entries)


class InputLog:
    """Files read (path, digest, stat or None when not settled) and folders listed (path,
    encoded listing), in the order the loader met them."""

    def __init__(self) -> None:
        self.files: list[tuple[str, str, FileStat | None]] = []
        self.folders: list[tuple[str, str]] = []

    def list_folder(self, folder: str) -> list[tuple[str, str]]:
        entries = listing(folder)
        self.folders.append((folder, encode_listing(entries)))
        return entries

    def read_file(self, path: str) -> bytes:
        """The bytes of `path`, logged with their digest; raises `OSError`."""
        import hashlib  # the loader's parse cache has imported it already

        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise OSError(0, "not a regular file")
            data = f.read()
        kept = file_stat(st) if settled(st, time.time_ns()) else None
        self.files.append((path, hashlib.sha256(data).hexdigest(), kept))
        return data
