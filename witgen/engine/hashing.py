"""Content hashes, the candidate WIT file listing, and the cache key of one binding.

Everything here is cheap and parser-free: the no-op check in `witgen.engine.orchestrate` only
lists directories and hashes bytes, so its cost is linear in the bytes it hashes.

The cache key of a binding is the sha256 of a canonical JSON document holding

* the *config digest* (`config_digest`): witgen's version, the target name, the requested
  world, the target options (canonical JSON), the enabled features (sorted, deduplicated) and
  the `all_features` flag;
* the WIT files the resolved world was built from, as `[path relative to the WIT root,
  sha256 of the contents]` pairs, sorted by path.

The set of *candidate* WIT files (every file a loader could pick up) is not part of the key;
the manifest records it and the freshness check compares it separately, so adding or removing
a `.wit` file anywhere a loader looks forces a rebuild even though the parser never ran.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from witgen.errors import WitError

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of the file's contents, read in chunks (one pass, constant memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def canonical_json(value: object) -> str:
    """Compact JSON with sorted keys; raises `TypeError`/`ValueError` for non-JSON data."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _digest(value: object) -> str:
    return sha256_bytes(canonical_json(value).encode("utf-8"))


def config_digest(
    *,
    version: str,
    target: str,
    world: str | None,
    options: Mapping[str, object],
    features: Iterable[str],
    all_features: bool,
) -> str:
    """sha256 of everything but the WIT inputs that decides what a binding looks like.

    `options` must be JSON-able (dict keys strings; lists/tuples, numbers, strings, booleans,
    None); anything else raises `WitError` since it cannot be hashed reproducibly.
    """
    try:
        opts = json.loads(canonical_json(dict(options)))
    except (TypeError, ValueError) as e:
        raise WitError(f"options for target '{target}' are not JSON-serializable: {e}") from e
    return _digest(
        {
            "witgen": version,
            "target": target,
            "world": world,
            "options": opts,
            "features": sorted(set(features)),
            "all_features": bool(all_features),
        }
    )


def compute_key(config: str, inputs: Mapping[str, str]) -> str:
    """The cache key: the config digest plus `{relative WIT path: sha256}` of the used files."""
    return _digest({"config": config, "inputs": sorted(inputs.items())})


# --- WIT file discovery ------------------------------------------------------------------


def wit_root(wit_path: Path) -> Path:
    """The directory input paths are recorded relative to: the dir itself, or a file's parent."""
    return wit_path if wit_path.is_dir() else wit_path.parent


def candidate_map(wit_path: Path) -> dict[str, str]:
    """`{path relative to the WIT root (POSIX): filesystem path}` of the candidate WIT files.

    Sorted by relative path. Plain `os` string operations on purpose: this runs on every
    no-op check, once per file, and `pathlib` objects would cost more than the hashing.
    """
    top = os.fspath(wit_path)
    if os.path.isfile(top):
        return {os.path.basename(top): top}
    if not os.path.isdir(top):
        return {}
    found = {name: path for name, path in _wit_files(top)}
    deps = os.path.join(top, "deps")
    if os.path.isdir(deps):
        for name, path in _wit_files(deps):
            found[f"deps/{name}"] = path
        with os.scandir(deps) as entries:
            for e in entries:
                if e.is_dir():  # follows a symlinked package folder, one level only
                    for name, path in _wit_files(e.path):
                        found[f"deps/{e.name}/{name}"] = path
    return dict(sorted(found.items()))


def _wit_files(folder: str) -> list[tuple[str, str]]:
    with os.scandir(folder) as entries:
        return [(e.name, e.path) for e in entries if e.name.endswith(".wit") and e.is_file()]


def candidate_wit_files(wit_path: Path) -> list[Path]:
    """Every WIT file a loader pointed at `wit_path` reads, sorted by relative path.

    A `.wit` file path means just that file. A directory means its top-level `*.wit` files
    (the root package), the `deps/*.wit` single-file packages and the `deps/<name>/*.wit`
    package folders: exactly the loader's reach, so a dependency folder with a large tree
    below it costs nothing. Symlinked package folders are followed. A path that does not
    exist has no candidates. Returned paths start with `wit_path` as given.
    """
    return [Path(p) for p in candidate_map(wit_path).values()]


def relative_posix(path: Path, root: Path) -> str:
    """`path` relative to `root` as a POSIX string (`a/b.wit`; `../x.wit` when outside).

    Both are made absolute first (without resolving symlinks, so a symlinked dep keeps its
    name); if that fails to relate them, their resolved forms are tried.
    """
    p, r = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        return p.relative_to(r).as_posix()
    except ValueError:
        pass
    try:
        return p.resolve().relative_to(r.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(p, r)).as_posix()


def is_safe_relpath(rel: object) -> bool:
    """True for a normalized relative POSIX path that stays inside its base dir."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        return False
    pp = PurePosixPath(rel)
    if pp.is_absolute() or pp.as_posix() != rel:
        return False
    if os.name == "nt" and ":" in rel:
        return False
    return all(part not in ("", ".", "..") for part in pp.parts)
