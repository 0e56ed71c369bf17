"""Where witgen keeps its caches: `$WITGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/witgen`, else
`~/.cache/witgen`. Shared by the front end (syntax trees, parse tables) and the generators;
`write_atomic` is how a cache file is written."""

from __future__ import annotations

import os


def cache_root() -> str:
    base = os.environ.get("WITGEN_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "witgen")
    return base


def write_atomic(path: str, text: str | bytes) -> None:
    """Write `text` (UTF-8 when a str) to `path` through a temporary file in its folder and a
    rename, so a reader never sees half a file; raises `OSError` (callers treat an unwritable
    cache as a miss)."""
    import time  # (not tempfile: its imports cost a short command more than its work)

    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    # a name no other writer uses: this process's id and the time; created exclusively
    tmp = f"{path}.{os.getpid()}-{time.monotonic_ns()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
