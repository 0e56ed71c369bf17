"""The `.witgen-manifest.json` file an output folder carries.

It is deterministic JSON (sorted keys, two-space indent, trailing newline, no timestamps, no
absolute paths), so identical builds produce byte-identical manifests:

```json
{
  "candidates": ["deps/io/streams.wit", "world.wit"],
  "complete": true,
  "config": "<sha256 of version, target, world, options, features>",
  "created_dirs": [".", "src"],
  "format": 1,
  "inputs": {"world.wit": "<sha256>"},
  "key": "<sha256 of config + inputs>",
  "outputs": {"package.json": "<sha256>", "src/index.js": "<sha256>"},
  "target": "js",
  "witgen_version": "0.1.0",
  "world": "my-world"
}
```

* `candidates`: every WIT file a loader could have read (relative to the WIT root);
* `inputs`: the WIT files the resolved world was actually built from, with content hashes;
* `outputs`: every file witgen owns in the output folder, with content hashes; nothing else
  in the folder is ever touched;
* `created_dirs`: folders (relative to the output folder, `.` being the folder itself)
  witgen created, which `clean` may remove once empty;
* `complete`: false while a publish is in progress (see `witgen.engine.publish`); such a
  manifest is never fresh, but its `outputs` still say which files witgen owns;
* `superseded` (only while `complete` is false): the hashes the files being replaced had
  before, so that after a crash either version still counts as witgen's own;
* `world`: the world that was generated (resolved name), for messages only.

A manifest that cannot be read or fails validation is treated as absent: the build
regenerates, and (not knowing what it owns) removes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from witgen.engine.hashing import is_safe_relpath

MANIFEST_NAME = ".witgen-manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    key: str
    config: str
    target: str
    world: str | None
    witgen_version: str
    inputs: dict[str, str]
    candidates: list[str]
    outputs: dict[str, str]
    created_dirs: list[str] = field(default_factory=list)
    complete: bool = True
    #: journal only: `{path: hash of the bytes it had before this publish}` for the files
    #: the publish replaces, so either version counts as witgen's after a crash
    superseded: dict[str, str] = field(default_factory=dict)

    def owns(self, rel: str, digest: str) -> bool:
        """True if witgen wrote `rel` with these bytes (the hash it recorded, or the one it
        was replacing when a publish was interrupted)."""
        return digest in (self.outputs.get(rel), self.superseded.get(rel))

    def to_json(self) -> bytes:
        """Deterministic bytes for this manifest."""
        doc = {
            "format": FORMAT,
            "key": self.key,
            "config": self.config,
            "target": self.target,
            "world": self.world,
            "witgen_version": self.witgen_version,
            "inputs": dict(sorted(self.inputs.items())),
            "candidates": sorted(self.candidates),
            "outputs": dict(sorted(self.outputs.items())),
            "created_dirs": sorted(set(self.created_dirs)),
            "complete": self.complete,
        }
        if self.superseded:
            doc["superseded"] = dict(sorted(self.superseded.items()))
        text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        return text.encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest | None:
        """Parse and validate; None if the bytes are not a well-formed manifest."""
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            return None
        strs = ("key", "config", "target", "witgen_version")
        if not all(isinstance(doc.get(k), str) for k in strs):
            return None
        world = doc.get("world")
        if world is not None and not isinstance(world, str):
            return None
        inputs, outputs = doc.get("inputs"), doc.get("outputs")
        candidates, created = doc.get("candidates"), doc.get("created_dirs", [])
        complete = doc.get("complete")
        superseded = doc.get("superseded", {})
        if not _str_map(inputs) or not _str_map(outputs) or not isinstance(complete, bool):
            return None
        if not _str_map(superseded) or not set(superseded) <= set(outputs):
            return None
        if not _str_list(candidates) or not _str_list(created):
            return None
        # Output paths and created dirs are deleted by `clean`: they must stay inside the folder.
        if not all(is_safe_relpath(p) and p != MANIFEST_NAME for p in outputs):
            return None
        if not all(d == "." or is_safe_relpath(d) for d in created):
            return None
        return cls(
            key=doc["key"],
            config=doc["config"],
            target=doc["target"],
            world=world,
            witgen_version=doc["witgen_version"],
            inputs=dict(inputs),
            candidates=list(candidates),
            outputs=dict(outputs),
            created_dirs=list(created),
            complete=complete,
            superseded=dict(superseded),
        )


def _str_map(v: object) -> TypeGuard[dict[str, str]]:
    return isinstance(v, dict) and all(
        isinstance(k, str) and isinstance(x, str) for k, x in v.items()
    )


def _str_list(v: object) -> TypeGuard[list[str]]:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def manifest_path(out_dir: Path) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of `out_dir`, or None if it is missing, unreadable or invalid."""
    try:
        data = manifest_path(out_dir).read_bytes()
    except OSError:
        return None
    return Manifest.from_json(data)
