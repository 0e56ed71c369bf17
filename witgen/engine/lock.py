"""An exclusive inter-process lock per output folder.

The lock file is a hidden sibling of the output folder, `<parent>/.<name>.witgen.lock`, so it
exists before the folder does and never shows up among the outputs. On POSIX it is held with
`fcntl.flock` (released by the kernel if the process dies); on Windows `msvcrt.locking` is
used as a best effort.

The file may be deleted (by `clean`, while holding the lock). To make that safe, `acquire`
checks after locking that the path still names the inode it locked and retries otherwise;
so two processes can never both believe they hold the lock through different inodes.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ~10 s; keep waiting
                time.sleep(0.05)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(out_dir: Path) -> Path:
    """Where the lock file of `out_dir` lives."""
    out = Path(os.path.abspath(out_dir))
    return out.parent / f".{out.name}.witgen.lock"


class OutputLock:
    """`with OutputLock(out_dir): ...` holds the output folder's lock (blocking)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = lock_path(out_dir)
        self._fd: int | None = None

    def acquire(self) -> None:
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this object")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                _lock(fd)
                held = os.fstat(fd)
                try:
                    now = os.stat(self.path)
                except FileNotFoundError:
                    now = None
            except BaseException:
                os.close(fd)
                raise
            if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
                self._fd = fd
                return
            os.close(fd)  # the file was removed or replaced while we waited: lock the new one

    def release(self, *, remove: bool = False) -> None:
        """Release the lock; with `remove`, delete the lock file first (still holding it)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if remove:
                try:
                    os.unlink(self.path)
                except OSError:  # e.g. Windows refuses to delete an open file: keep it
                    pass
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
