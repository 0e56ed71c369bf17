"""The engine's data types: what to build (`BindingSpec`), what a generator reports back
(`GenerateOutput`), and what a build did (`BuildResult`, with its one-line summary)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["generated", "up to date"]


@dataclass(frozen=True, kw_only=True)
class BindingSpec:
    """One binding to build: a WIT input, a target and its options, and an output folder.

    `wit_path` is a `.wit` file or a WIT root directory (root package plus `deps/`).
    `options` must be JSON-able; it is canonicalized (sorted keys) for the cache key.
    `features` order and duplicates do not matter.
    """

    wit_path: Path
    target: str
    out_dir: Path
    world: str | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    features: tuple[str, ...] = ()
    all_features: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "wit_path", Path(self.wit_path))
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        object.__setattr__(self, "features", tuple(self.features))


@dataclass(frozen=True)
class GenerateOutput:
    """What a generator reports after writing its files.

    `wit_files`: the WIT files the resolved world was built from (absolute, or relative to
    the current directory, as the loader reports them). They become the cache key's inputs;
    None means "all candidate files" (see `witgen.engine.hashing.candidate_wit_files`).
    `world`: the resolved world's name, shown in summaries (useful when `spec.world` is None).
    """

    wit_files: Sequence[Path | str] | None = None
    world: str | None = None


#: Writes the binding's files into the given (empty, temporary) folder and reports back.
#: Exceptions (normally `witgen.errors.WitError`) propagate out of `build` unchanged.
Generator = Callable[[BindingSpec, Path], GenerateOutput]


@dataclass(frozen=True)
class BuildResult:
    """What `build` did for one binding.

    `files` is the number of files the output consists of; `written` of those were
    (re)written, `unchanged` were left alone because their bytes were already right, and
    `removed` orphans were deleted. `reason` says why a build regenerated (None when up to
    date). `elapsed` is wall time in seconds.
    """

    spec: BindingSpec
    status: Status
    world: str | None
    files: int
    written: int
    unchanged: int
    removed: int
    elapsed: float
    reason: str | None = None

    def summary(self) -> str:
        """`witgen: js bindings for world 'w' -> build/js: generated (12 files, 34 ms)`."""
        what = f"{self.spec.target} bindings"
        world = self.world if self.world is not None else self.spec.world
        if world is not None:
            what += f" for world '{world}'"
        ms = f"{self.elapsed * 1000:.0f} ms"
        if self.status == "up to date":
            detail = ms
        elif self.written == self.files and self.removed == 0:
            detail = f"{_count(self.files, 'file')}, {ms}"
        else:
            parts = [f"{self.written} of {_count(self.files, 'file')} written"]
            if self.removed:
                parts.append(f"{self.removed} removed")
            detail = ", ".join([*parts, ms])
        return f"witgen: {what} -> {display_path(self.spec.out_dir)}: {self.status} ({detail})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def display_path(p: Path) -> str:
    """`p` relative to the current directory when it lies below it, else as given."""
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix() or "."
        except ValueError:
            return str(p)
    return p.as_posix()
