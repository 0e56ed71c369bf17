"""Orchestration: decide whether a binding is fresh, and if not regenerate and publish it.

The no-op path (`is_fresh`, and `build` when nothing changed) never imports or calls a
parser or generator. It reads the manifest, lists the candidate WIT files, hashes the WIT
files the last build recorded as used and the output files the manifest lists, and compares:
its cost is one pass over those bytes plus a directory listing.

What is compared: the manifest's config digest (witgen version, target, world, options,
features) against the spec's; the *set* of candidate WIT files (any file added or removed
where a loader looks means stale); the contents of the WIT files the generator reported as
used; the contents of every output file. An edit to a candidate file the resolved world did
not use is deliberately ignored (the world cannot depend on it). The one thing this misses is
an unused file becoming *invalid* (a loader that parses every dependency would now fail);
the next build that regenerates for another reason reports it.

`build` first runs that check without the lock; if the output is stale it takes the output
folder's lock (`witgen.engine.lock`) and checks again, so of several concurrent builds of the
same binding one generates and the others find it fresh. Generation happens in a staging
folder next to the output folder (same filesystem), which is always deleted afterwards; the
result is published by `witgen.engine.publish` (see there for the atomicity guarantees).
Staging folders and temp files of killed builds are removed by the next build that holds
the lock, even a no-op one (`witgen.engine.leftovers`).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

import witgen
from witgen.engine.hashing import (
    candidate_map,
    compute_key,
    config_digest,
    relative_posix,
    sha256_file,
    wit_root,
)
from witgen.engine.leftovers import find_leftovers, remove_leftovers, staging_prefix
from witgen.engine.lock import OutputLock, lock_path
from witgen.engine.manifest import Manifest, manifest_path, read_manifest
from witgen.engine.ownership import Ownership, check_real_folder
from witgen.engine.publish import hash_outputs, prune_empty_dirs, publish, staged_files
from witgen.engine.spec import BindingSpec, BuildResult, GenerateOutput, Generator


def spec_config(spec: BindingSpec) -> str:
    """The config digest of `spec` under the running witgen version."""
    return config_digest(
        version=witgen.__version__,
        target=spec.target,
        world=spec.world,
        options=spec.options,
        features=spec.features,
        all_features=spec.all_features,
    )


def _set_diff(what: str, now: set[str], before: set[str]) -> str:
    added, gone = sorted(now - before), sorted(before - now)
    if added:
        return f"new {what}: {added[0]}" + (f" (+{len(added) - 1} more)" if len(added) > 1 else "")
    return f"{what} removed: {gone[0]}" + (f" (+{len(gone) - 1} more)" if len(gone) > 1 else "")


def _inspect(spec: BindingSpec) -> tuple[str | None, Manifest | None]:
    """(why `spec`'s output is stale, or None if fresh; the manifest found, if valid)."""
    m = read_manifest(spec.out_dir)
    if m is None:
        exists = manifest_path(spec.out_dir).exists()
        return ("manifest unreadable" if exists else "no previous build"), None
    if not m.complete:
        return "previous publish was interrupted", m
    if m.config != spec_config(spec):
        return "target, world, options, features or witgen version changed", m
    candidates = candidate_map(spec.wit_path)
    if set(candidates) != set(m.candidates):
        return _set_diff("WIT file", set(candidates), set(m.candidates)), m
    root = wit_root(spec.wit_path)
    current: dict[str, str] = {}
    for rel, digest in sorted(m.inputs.items()):
        p = candidates.get(rel) or root / rel
        try:
            current[rel] = sha256_file(p)
        except OSError:
            return f"WIT input missing: {rel}", m
        if current[rel] != digest:
            return f"WIT input changed: {rel}", m
    if compute_key(m.config, current) != m.key:
        return "manifest key does not match its inputs", m
    for rel, digest in sorted(m.outputs.items()):
        try:
            ok = sha256_file(spec.out_dir / rel) == digest
        except OSError:
            return f"output missing: {rel}", m
        if not ok:
            return f"output modified: {rel}", m
    return None, m


def stale_reason(spec: BindingSpec) -> str | None:
    """Why `spec` needs regenerating, or None if its output folder is up to date."""
    return _inspect(spec)[0]


def is_fresh(spec: BindingSpec) -> bool:
    """True if building `spec` now would be a no-op. Never parses or generates."""
    return stale_reason(spec) is None


def _tidy(spec: BindingSpec, m: Manifest | None) -> None:
    """Remove what dead builds left (see `witgen.engine.leftovers`); takes the lock only
    when there is something to remove, so a clean no-op build stays lock-free."""
    if not find_leftovers(spec.out_dir, m):
        return
    with OutputLock(spec.out_dir):
        remove_leftovers(find_leftovers(spec.out_dir, read_manifest(spec.out_dir)))


def _up_to_date(spec: BindingSpec, m: Manifest, start: float) -> BuildResult:
    n = len(m.outputs)
    return BuildResult(
        spec=spec,
        status="up to date",
        world=m.world if m.world is not None else spec.world,
        files=n,
        written=0,
        unchanged=n,
        removed=0,
        elapsed=time.perf_counter() - start,
    )


def build(spec: BindingSpec, generate: Generator, *, force: bool = False) -> BuildResult:
    """Make `spec.out_dir` hold `spec`'s bindings, regenerating only if something changed.

    `generate(spec, staging_dir)` writes the files into `staging_dir` and returns a
    `GenerateOutput`. Its exceptions propagate unchanged after the staging folder is removed;
    the output folder is then untouched. `force` regenerates even when fresh (files whose
    bytes come out the same are still not rewritten).
    """
    start = time.perf_counter()
    if not force:
        reason, m = _inspect(spec)
        if reason is None and m is not None:
            _tidy(spec, m)
            return _up_to_date(spec, m, start)
    with OutputLock(spec.out_dir):
        if force:
            reason, previous = "forced", read_manifest(spec.out_dir)
        else:
            reason, previous = _inspect(spec)  # another process may have built it meanwhile
        remove_leftovers(find_leftovers(spec.out_dir, previous))
        if reason is None and previous is not None:
            return _up_to_date(spec, previous, start)
        check_real_folder(spec.out_dir)

        # Snapshot the inputs *before* generating: if a file is edited while the generator
        # runs, the recorded hash is the old one and the next build catches the edit.
        config = spec_config(spec)
        root = wit_root(spec.wit_path)
        candidates = candidate_map(spec.wit_path)
        before = {rel: sha256_file(p) for rel, p in candidates.items()}

        parent, prefix = staging_prefix(spec.out_dir)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            out = generate(spec, staging)
            if not isinstance(out, GenerateOutput):
                raise TypeError(f"generator returned {type(out).__name__}, not GenerateOutput")
            if out.wit_files is None:
                inputs = before
            else:
                inputs = {}
                for f in out.wit_files:
                    rel = relative_posix(Path(f), root)
                    inputs[rel] = before[rel] if rel in before else sha256_file(Path(f))
            outputs = hash_outputs(staged_files(staging))
            template = Manifest(
                key=compute_key(config, inputs),
                config=config,
                target=spec.target,
                world=out.world if out.world is not None else spec.world,
                witgen_version=witgen.__version__,
                inputs=inputs,
                candidates=sorted(candidates),
                outputs={},
            )
            final, stats = publish(staging, spec.out_dir, template, previous, outputs)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    return BuildResult(
        spec=spec,
        status="generated",
        world=final.world,
        files=len(final.outputs),
        written=stats.written,
        unchanged=stats.unchanged,
        removed=stats.removed,
        elapsed=time.perf_counter() - start,
        reason=reason,
    )


def clean(out_dir: Path) -> list[Path]:
    """Remove what witgen put in `out_dir`; return the removed paths.

    That is exactly the files the manifest lists, the manifest itself, and the folders the
    builds created once they are empty (the output folder included, if witgen created it).
    Other files are never touched; without a valid manifest nothing is removed. A listed
    file that was edited since witgen wrote it (or is now a symlink) is a `WitError` raised
    before anything is removed (`witgen.engine.ownership`). The output folder's lock file is
    deleted too (it is not included in the returned list).
    """
    out_dir = Path(out_dir)
    removed: list[Path] = []
    if not out_dir.is_dir() and not lock_path(out_dir).exists():
        return removed  # nothing to clean; do not create the parent just to lock it
    lock = OutputLock(out_dir)
    lock.acquire()
    try:
        m = read_manifest(out_dir)
        remove_leftovers(find_leftovers(out_dir, m))
        if m is None:
            return removed
        check_real_folder(out_dir)
        owner = Ownership(out_dir, m)
        present = []
        for rel in sorted(m.outputs):
            owner.check_parents(rel, {})
            if owner.existing(rel, "delete") is not None:
                present.append(out_dir / rel)
        owner.raise_conflicts()
        for p in present:
            p.unlink()
            removed.append(p)
        manifest_path(out_dir).unlink()
        removed.append(manifest_path(out_dir))
        created = {d for d in m.created_dirs if d != "." and (out_dir / d).is_dir()}
        remaining = prune_empty_dirs(out_dir, created)
        for rel in sorted(created - remaining, key=lambda d: (-d.count("/"), d)):
            removed.append(out_dir / rel)
        if "." in m.created_dirs:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
                removed.append(out_dir)
    finally:
        lock.release(remove=True)
    return removed
