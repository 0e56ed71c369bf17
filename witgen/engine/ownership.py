"""What the engine may touch in an output folder: only what it wrote.

The rule: witgen overwrites or deletes a file only if its manifest records that path with
the hash of the bytes now on disk (during an interrupted publish, the hash it was replacing
counts too: `Manifest.owns`). Anything else in the way is an error, raised before anything
is touched, naming each file and saying what to do:

* a file witgen would overwrite that it never wrote (a hand-written `index.js`), or one
  that was edited since witgen wrote it;
* an orphan (an output the new build no longer produces) that was edited since;
* a symlink where an output or one of its folders goes, or an output folder that is itself
  a symlink: witgen never writes or deletes through a link.

One exception keeps a lost manifest from locking the user out: a file whose bytes are
already exactly what witgen would write is taken over as is (nothing is written).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from witgen.engine.hashing import sha256_file
from witgen.engine.manifest import Manifest
from witgen.engine.spec import display_path
from witgen.errors import WitError

Action = str  # "overwrite" | "delete"


def check_real_folder(out_dir: Path) -> None:
    """Raise `WitError` if `out_dir` is a symlink or not a folder (it may be missing)."""
    shown = display_path(Path(out_dir))
    if os.path.islink(out_dir):
        raise WitError(
            f"output folder {shown} is a symlink; witgen does not write through links: "
            "replace it with a real folder (or point the output at the link's target)"
        )
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        raise WitError(f"output folder {shown} is not a folder: move it away or delete it")


class Ownership:
    """Checks paths below `out_dir` against `manifest`, collecting the conflicts."""

    def __init__(self, out_dir: Path, manifest: Manifest | None) -> None:
        self.out_dir = out_dir
        self.manifest = manifest
        self.conflicts: dict[str, str] = {}
        self._created = set(manifest.created_dirs) if manifest is not None else set()
        self._parents_ok: set[str] = set()

    def _conflict(self, rel: str, why: str) -> None:
        self.conflicts.setdefault(rel, why)

    def existing(self, rel: str, action: Action, wanted: str | None = None) -> str | None:
        """The hash of the file at `rel`, or None when there is none to `action`.

        A file witgen may not `action` is recorded as a conflict. `wanted` is the hash a
        write would give it: a file that already has it is fine (nothing will be written).
        """
        try:
            st = os.lstat(self.out_dir / rel)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.S_ISDIR(st.st_mode):
            # a real folder where an orphan was is not ours: left alone; one where a file
            # goes must be a folder witgen created (emptied by the orphans' removal)
            if action == "overwrite" and rel not in self._created:
                self._conflict(rel, "is a folder where witgen writes a file")
            return None
        if not stat.S_ISREG(st.st_mode):
            kind = "a symlink" if stat.S_ISLNK(st.st_mode) else "not a regular file"
            self._conflict(rel, f"is {kind}; witgen does not {action} it")
            return None
        digest = sha256_file(self.out_dir / rel)
        if digest == wanted:
            return digest
        m = self.manifest
        if m is not None and m.owns(rel, digest):
            return digest
        if m is not None and rel in m.outputs:
            self._conflict(rel, f"was changed since witgen wrote it; witgen will not {action} it")
        else:
            self._conflict(rel, f"was not written by witgen; witgen will not {action} it")
        return digest

    def check_parents(self, rel: str, orphans: dict[str, str]) -> None:
        """The folders leading to `rel` must be real folders (or missing, or orphans)."""
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folder = "/".join(parts[:i])
            if folder in self._parents_ok:
                continue
            try:
                st = os.lstat(self.out_dir / folder)
            except (FileNotFoundError, NotADirectoryError):
                return
            if stat.S_ISLNK(st.st_mode):
                self._conflict(folder, "is a symlink; witgen does not write through links")
                return
            if not stat.S_ISDIR(st.st_mode) and folder not in orphans:
                self._conflict(folder, "is a file where witgen needs a folder")
                return
            self._parents_ok.add(folder)

    def raise_conflicts(self) -> None:
        if not self.conflicts:
            return
        lines = [f"  {rel} {why}" for rel, why in sorted(self.conflicts.items())]
        them = "it" if len(lines) == 1 else "them"
        raise WitError(
            f"in {display_path(self.out_dir)}, witgen only replaces or removes files it wrote "
            "itself:\n" + "\n".join(lines) + f"\nmove {them} away or "
            f"delete {them}, then run witgen again"
        )
