"""Helpers for the engine tests: writing files, a fake generator, folder snapshots."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from witgen.engine import BindingSpec, GenerateOutput


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@dataclass
class FakeGen:
    """Writes `files` into the staging dir and reports `used` as the WIT files it read.

    `used=None` reports nothing (the engine then treats every candidate as used).
    """

    files: Mapping[str, bytes | str]
    used: list[Path] | None = None
    world: str | None = "w"
    fail: BaseException | None = None
    calls: int = 0
    seen_dirs: list[Path] = field(default_factory=list)

    def __call__(self, spec: BindingSpec, out: Path) -> GenerateOutput:
        self.calls += 1
        self.seen_dirs.append(out)
        for rel, data in self.files.items():
            write(out / rel, data)
        if self.fail is not None:
            raise self.fail
        return GenerateOutput(wit_files=self.used, world=self.world)


def never_called(spec: BindingSpec, out: Path) -> GenerateOutput:
    raise AssertionError("the generator must not run on a no-op build")


def gen_files() -> dict[str, str]:
    return {
        "package.json": '{"name": "bindings"}\n',
        "src/index.js": "export const x = 1;\n",
        "src/types.d.ts": "export type X = number;\n",
        "src/nested/deep.js": "export {};\n",
    }


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `folder`: (bytes, mtime_ns, inode)."""
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(dirpath, name)
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = (p.read_bytes(), st.st_mtime_ns, st.st_ino)
    return out


def all_entries(folder: Path) -> set[str]:
    """Every file and folder under `folder`, relative."""
    found = set()
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            found.add(Path(dirpath, name).relative_to(folder).as_posix())
    return found
