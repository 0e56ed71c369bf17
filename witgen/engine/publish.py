"""Moving freshly generated files from a staging folder into the output folder.

What "atomic publish" means here
--------------------------------
The output folder cannot be swapped wholesale: it may hold the user's own files (only files
the manifest lists belong to witgen), it may be a mount point, and POSIX has no portable
atomic directory exchange. So the guarantees are these:

0. **Only witgen's own files are touched** (`witgen.engine.ownership`): before anything is
   written, every file the publish would overwrite or delete is checked against the previous
   manifest; a hand-written or edited file, or a symlink, in the way is a `WitError`.
1. **A failed generation changes nothing.** Generators write into a staging folder next to
   the output folder (`witgen.engine.orchestrate`); if they raise, the staging folder is
   deleted and the output folder has not been touched at all, byte for byte.
2. **Each file is replaced atomically.** A changed file is written to a temp file in its
   destination directory and moved over the old one with `os.replace`, so any reader sees
   either the complete old bytes or the complete new bytes. Files whose bytes did not change
   are not written at all (their mtime and inode stay the same, so watchers and incremental
   compilers downstream see nothing).
3. **The folder as a whole is published with a journal, not atomically.** Before touching
   any output, the manifest is rewritten as `complete: false`, listing every file the
   publish may create, overwrite or remove (old outputs plus new ones). Then orphans (files
   the old manifest lists that are no longer produced) are removed, changed files are
   replaced, empty folders witgen created are pruned, and finally the complete manifest is
   written (itself with `os.replace`). When no file changes and none is orphaned (a forced
   rebuild with identical output), nothing is written at all, not even the manifest if its
   bytes are the same. A concurrent reader may see a mix of old and new files mid-publish,
   but never a manifest claiming that mix is fresh. If the process dies midway the next
   build finds the incomplete manifest, treats the output as stale and redoes the publish;
   because the journal lists every file it may have written, none becomes an untracked
   leftover. Concurrent builds are serialized by `witgen.engine.lock`.
   The journal also records the hash each replaced file had before (`superseded`), so after
   a crash either version of such a file still counts as witgen's own.
4. **No fsync.** Outputs are reproducible, so durability across power loss is traded for
   speed: a file torn by a power loss no longer matches its manifest hash, and the next
   build reports it (delete it to regenerate). (If the manifest itself is torn it is
   ignored; files whose bytes are what the build produces are taken over, others reported.)

A process killed between creating a per-file temp file and renaming it leaves a
`.<name>.*.witgen-tmp` file behind; the next build removes it (`witgen.engine.leftovers`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from witgen.engine.hashing import sha256_file
from witgen.engine.leftovers import TMP_SUFFIX
from witgen.engine.manifest import MANIFEST_NAME, Manifest, manifest_path
from witgen.engine.ownership import Ownership, check_real_folder


def _read_umask() -> int:
    # os.umask can only be read by setting it; do that once, at import, not mid-build
    # where another thread could create files under the temporary value.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


@dataclass(frozen=True)
class PublishStats:
    written: int
    unchanged: int
    removed: int


def atomic_write(dest: Path, data: bytes, *, mode_from: Path | None = None) -> None:
    """Replace `dest` with `data` via a temp file in the same directory and `os.replace`.

    The file gets the permission bits of `mode_from` if given, else the usual umask default.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=TMP_SUFFIX, dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode_from is not None:
            shutil.copymode(mode_from, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def staged_files(staging: Path) -> dict[str, Path]:
    """Every file under `staging`, by POSIX path relative to it (empty folders are ignored)."""
    files: dict[str, Path] = {}
    for dirpath, _dirnames, filenames in os.walk(staging):
        for name in filenames:
            p = Path(dirpath, name)
            files[p.relative_to(staging).as_posix()] = p
    return files


def hash_outputs(staged: dict[str, Path]) -> dict[str, str]:
    """sha256 of each staged file; rejects a file that would clobber the manifest."""
    if MANIFEST_NAME in staged:
        raise ValueError(f"a generator may not produce {MANIFEST_NAME}")
    return {rel: sha256_file(p) for rel, p in staged.items()}


def _missing_dirs(out_dir: Path, rel_file: str) -> list[str]:
    """Parent folders of `rel_file` (relative to `out_dir`) that are not folders yet."""
    parts = rel_file.split("/")[:-1]
    missing: list[str] = []
    for i in range(1, len(parts) + 1):
        rel = "/".join(parts[:i])
        if missing or not (out_dir / rel).is_dir():
            missing.append(rel)
    return missing


def prune_empty_dirs(out_dir: Path, dirs: set[str]) -> set[str]:
    """rmdir each of `dirs` (relative, deepest first) that is empty; returns those still there.

    `.` (the output folder itself) is left alone here; only `clean` removes it.
    """
    remaining = set()
    for rel in sorted(dirs, key=lambda d: (-d.count("/"), d)):
        p = out_dir / rel
        if not p.is_dir() or p.is_symlink():
            continue
        if rel != ".":
            with contextlib.suppress(OSError):  # not empty (or not ours to remove after all)
                p.rmdir()
                continue
        remaining.add(rel)
    return remaining


@dataclass
class _Plan:
    """What a publish will do, worked out (and checked) before anything is touched."""

    changed: list[str]
    #: existing orphans -> the hash they have now (witgen's own, checked)
    orphans: dict[str, str]
    #: existing files `changed` replaces -> the hash they have now (witgen's own, checked)
    replaced: dict[str, str]


def _plan(new: dict[str, str], out_dir: Path, previous: Manifest | None) -> _Plan:
    """Compare the staged output with `out_dir`; raise `WitError` before touching anything
    if the publish would overwrite or delete a file witgen did not write (see `ownership`)."""
    check_real_folder(out_dir)
    owner = Ownership(out_dir, previous)
    old = previous.outputs if previous is not None else {}
    orphans: dict[str, str] = {}
    for rel in sorted(old.keys() - new.keys()):
        digest = owner.existing(rel, "delete")
        if digest is not None:
            orphans[rel] = digest
    changed: list[str] = []
    replaced: dict[str, str] = {}
    for rel in sorted(new):
        owner.check_parents(rel, orphans)
        digest = owner.existing(rel, "overwrite", wanted=new[rel])
        if digest == new[rel]:
            continue
        changed.append(rel)
        if digest is not None:
            replaced[rel] = digest
    owner.raise_conflicts()
    return _Plan(changed, orphans, replaced)


def publish(
    staging: Path,
    out_dir: Path,
    template: Manifest,
    previous: Manifest | None,
    outputs: dict[str, str] | None = None,
) -> tuple[Manifest, PublishStats]:
    """Bring `out_dir` to the contents of `staging` (see the module docstring).

    `template` carries the key, config, inputs and candidates of the new manifest; its
    `outputs` and `created_dirs` are filled in here. `previous` is the manifest found in
    `out_dir` (None if there was none or it was invalid: then nothing is removed).
    `outputs` may pass precomputed hashes of the staged files.
    """
    staged = staged_files(staging)
    new = outputs if outputs is not None else hash_outputs(staged)
    plan = _plan(new, out_dir, previous)
    created = set(previous.created_dirs) if previous is not None else set()
    mpath = manifest_path(out_dir)
    if not out_dir.is_dir():
        out_dir.mkdir(parents=True)
        created.add(".")

    if not plan.changed and not plan.orphans:
        # Nothing to do on disk (e.g. a forced rebuild): keep even the manifest untouched
        # when its bytes come out the same.
        created = prune_empty_dirs(out_dir, created)
        final = replace(template, outputs=dict(new), created_dirs=sorted(created), complete=True)
        data = final.to_json()
        try:
            same = mpath.read_bytes() == data
        except OSError:
            same = False
        if not same:
            atomic_write(mpath, data)
        return final, PublishStats(written=0, unchanged=len(new), removed=0)

    # 1. journal: everything this publish may touch, marked incomplete.
    may_create = {d for rel in plan.changed for d in _missing_dirs(out_dir, rel)}
    journal = replace(
        template,
        outputs={**plan.orphans, **new},
        created_dirs=sorted(created | may_create),
        complete=False,
        superseded=dict(plan.replaced),
    )
    atomic_write(mpath, journal.to_json())

    # 2. orphans: listed before, not produced now.
    for rel in plan.orphans:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / rel).unlink()
    created = prune_empty_dirs(out_dir, created)

    # 3. changed files, each replaced atomically; unchanged ones are not touched.
    for rel in plan.changed:
        for d in _missing_dirs(out_dir, rel):
            (out_dir / d).mkdir()
            created.add(d)
        src = staged[rel]
        atomic_write(out_dir / rel, src.read_bytes(), mode_from=src)
    created = prune_empty_dirs(out_dir, created)

    # 4. the manifest, last.
    final = replace(template, outputs=dict(new), created_dirs=sorted(created), complete=True)
    atomic_write(mpath, final.to_json())
    stats = PublishStats(
        written=len(plan.changed),
        unchanged=len(new) - len(plan.changed),
        removed=len(plan.orphans),
    )
    return final, stats
