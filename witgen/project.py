"""Applying a validated hook config (`witgen.config`) to a project.

`Project` applies a validated config: it works out each binding's output folders for a
build mode (`standard` wheel, `editable` wheel, `sdist`), runs them through
`witgen.targets.build_binding` (the content-hash engine: a no-op when nothing changed),
removes the outputs of bindings that left the config, and tells the hook which generated
files go where in the wheel and which outside WIT goes into the sdist.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from witgen.compose import compose_wit_root, real_path
from witgen.config import (
    BUILD_DIR,
    PATH_OPTIONS,
    BindingConfig,
    Mode,
    ProjectConfig,
    _show,
    binding_error,
    external_name,
    is_outside,
    load_config,
    option_error,
)
from witgen.errors import WitError

if TYPE_CHECKING:
    from witgen.engine import BindingSpec, BuildResult


@dataclass(frozen=True)
class Placement:
    """Where one binding is generated in a given mode, and what the wheel gets from it."""

    binding: BindingConfig
    out_dirs: tuple[Path, ...]
    #: the folder whose generated files go to `binding.wheel_dir` in the wheel (None: none)
    wheel_source: Path | None


@dataclass
class ProjectBuild:
    """What `Project.build` did: engine results and the wheel's share of generated files."""

    results: list[BuildResult] = field(default_factory=list)
    #: absolute source file -> POSIX path inside the wheel
    wheel_files: dict[str, str] = field(default_factory=dict)
    #: generated files that live in the source tree inside a package (editable outputs)
    in_tree: list[Path] = field(default_factory=list)


class Project:
    """A validated config bound to a project root, ready to build, clean or pack into an sdist.

    `in_tree(wheel_dir)` maps a folder inside the wheel to the folder of the source tree the
    editable install serves it from (None when the wheel path is not in a source package).
    """

    def __init__(
        self, config: ProjectConfig, in_tree: Callable[[str], Path | None] = lambda _: None
    ) -> None:
        self.config = config
        self.root = config.root
        self.build_dir = self.root / BUILD_DIR
        self._in_tree = in_tree
        #: building from an unpacked sdist: never write to `source-dir`s outside the root
        self.in_sdist = (self.root / "PKG-INFO").is_file()

    def source_dir(self, b: BindingConfig) -> Path | None:
        if (
            b.source_dir is not None
            and self.in_sdist
            and not b.source_dir.is_relative_to(self.root)
        ):
            return None
        return b.source_dir

    # -- placement

    def cache_dir(self, b: BindingConfig) -> Path:
        return self.build_dir / "out" / b.name

    def editable_dir(self, b: BindingConfig) -> Path | None:
        return self._in_tree(b.wheel_dir) if b.wheel_dir is not None else None

    def placement(self, b: BindingConfig, mode: Mode) -> Placement:
        dirs: list[Path] = []
        source = self.source_dir(b)
        if source is not None:
            dirs.append(source)
        wheel_source = None
        if mode == "editable" and b.wheel_dir is not None:
            inplace = self.editable_dir(b)
            if inplace is not None:
                dirs.append(inplace)
            else:  # no source folder to serve it from: ship a copy after all
                wheel_source = source or self.cache_dir(b)
                if source is None:
                    dirs.append(wheel_source)
        elif b.wheel_dir is not None:
            wheel_source = source or self.cache_dir(b)
            if source is None:
                dirs.append(wheel_source)
        elif source is None:  # only a source-dir, which an sdist build does not write
            dirs.append(self.cache_dir(b))
        return Placement(b, tuple(dirs), wheel_source)

    def possible_dirs(self, b: BindingConfig) -> set[Path]:
        dirs = {self.cache_dir(b)}
        if b.source_dir is not None:
            dirs.add(b.source_dir)
        inplace = self.editable_dir(b)
        if inplace is not None:
            dirs.add(inplace)
        return dirs

    # -- the WIT the engine sees

    def wit_root(self, b: BindingConfig) -> Path:
        """`b.wit`, or (with `deps`) a folder of symlinks joining it with the extra deps."""
        if not b.deps:
            return b.wit
        return compose_wit_root(b.wit, b.deps, self.build_dir / "wit" / b.name)

    def spec(self, b: BindingConfig, out_dir: Path) -> BindingSpec:
        from witgen.engine import BindingSpec

        options = dict(b.options)
        for opt in sorted(PATH_OPTIONS & options.keys()):
            # the file's bytes, not only its path, decide whether the output is fresh
            options[f"{opt}_sha256"] = _sha256(Path(str(options[opt])))
        return BindingSpec(
            wit_path=self.wit_root(b),
            target=b.target,
            out_dir=out_dir,
            world=b.world,
            options=options,
            features=b.features,
            all_features=b.all_features,
        )

    # -- build / clean

    def build(
        self, mode: Mode, log: Callable[[str], None] = print, *, force: bool = False
    ) -> ProjectBuild:
        """Generate every binding for `mode` (stale ones only) and drop removed bindings' outputs.

        Returns the results and, for wheels, the generated files the wheel must carry.
        A `WitError` propagates (its location mapped back to the user's file) with every
        previous output left as it was (removed bindings are dropped only after success).
        """
        from witgen.targets import build_binding

        out = ProjectBuild()
        self._build_guests(log)
        for b in self.config.bindings:
            place = self.placement(b, mode)
            for out_dir in place.out_dirs:
                spec = self.spec(b, out_dir)
                try:
                    result = build_binding(spec, force=force)
                except WitError as err:
                    raise self._map_error(err, spec.wit_path, b) from None
                log(result.summary())
                out.results.append(result)
                self._remember(b, out_dir)
                if out_dir not in (place.wheel_source, b.source_dir, self.cache_dir(b)):
                    out.in_tree.extend(out_dir / rel for rel in _outputs(out_dir))
            if place.wheel_source is not None and b.wheel_dir is not None:
                for rel in _outputs(place.wheel_source):
                    out.wheel_files[str(place.wheel_source / rel)] = f"{b.wheel_dir}/{rel}"
        # only once every binding built: a failed build (a typo in `world`, ...) keeps the
        # outputs of bindings it renamed or moved
        self._drop_removed(log)
        return out

    def _build_guests(self, log: Callable[[str], None]) -> None:
        """Run the stale `guest-build` steps (each output once), before any generation."""
        from witgen.guestbuild import run_guest_build

        done: set[Path] = set()
        for b in self.config.bindings:
            gb = b.guest_build
            if gb is None or gb.output in done:
                continue
            done.add(gb.output)

            def fail(key: str, message: str) -> WitError:
                return binding_error(self.config, key, message)

            run_guest_build(self.root, self.build_dir, gb, fail, log)

    def clean(self, log: Callable[[str], None] = print) -> list[Path]:
        """Remove every output witgen generated for this project (any mode), and its scratch."""
        from witgen.engine import clean

        removed: list[Path] = []
        dirs: set[Path] = set()
        for b in self.config.bindings:
            dirs |= self.possible_dirs(b)
        for paths in self._state().values():
            dirs |= {self.root / p for p in paths}
        for d in sorted(dirs):
            gone = clean(d)
            if gone:
                log(f"witgen: removed {len(gone)} generated paths from {_show(d)}")
            removed += gone
        import shutil

        if self.build_dir.is_dir():
            shutil.rmtree(self.build_dir, ignore_errors=True)
            removed.append(self.build_dir)
            with contextlib.suppress(OSError):
                self.build_dir.parent.rmdir()  # build/, if witgen was its only user
        return removed

    def sdist_files(self) -> dict[str, str]:
        """Inputs an sdist must carry: `{absolute source file: path in the sdist}`.

        Inside the root a path keeps its place; outside it goes below `_wit_external/`,
        where `load_config` finds it when the sdist is built into a wheel. A folder is
        carried as the WIT files a loader reads from it.
        """
        from witgen.engine.hashing import candidate_map

        files: dict[str, str] = {}
        for b in self.config.bindings:
            for rel, full in sorted(b.inputs.items()):
                dest = external_name(rel) if is_outside(rel) else rel
                if full.is_dir():  # only its WIT files, not whatever else the folder holds
                    for sub, path in candidate_map(full).items():
                        files[path] = f"{dest}/{sub}"
                elif full.exists():
                    files[str(full)] = dest
        return files

    # -- state: which output folders each binding name produced, so removed ones are cleaned

    @property
    def state_path(self) -> Path:
        return self.build_dir / "state.json"

    def _state(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            k: [p for p in v if isinstance(p, str)]
            for k, v in data.get("bindings", {}).items()
            if isinstance(v, list)
        }

    def _write_state(self, state: dict[str, list[str]]) -> None:
        from witgen.engine.publish import atomic_write

        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"bindings": state}, indent=2, sort_keys=True) + "\n"
        try:
            if self.state_path.read_text(encoding="utf-8") == data:
                return
        except (OSError, ValueError):
            pass
        atomic_write(self.state_path, data.encode("utf-8"))

    def _rel(self, p: Path) -> str:
        return Path(os.path.relpath(p, self.root)).as_posix()

    def _remember(self, b: BindingConfig, out_dir: Path) -> None:
        state = self._state()
        rel = self._rel(out_dir)
        if rel not in state.get(b.name, []):
            state[b.name] = sorted({*state.get(b.name, []), rel})
            self._write_state(state)

    def _drop_removed(self, log: Callable[[str], None]) -> None:
        from witgen.engine import clean

        state = self._state()
        if not state:
            return
        current = {b.name: b for b in self.config.bindings}
        keep: set[str] = set()
        for b in self.config.bindings:
            keep |= {self._rel(d) for d in self.possible_dirs(b)}
        changed = False
        for name, paths in sorted(state.items()):
            left = []
            for rel in paths:
                if rel in keep:
                    left.append(rel)
                    continue
                gone = clean(self.root / rel)
                why = "no longer configured" if name not in current else "output moved"
                log(
                    f"witgen: {name} bindings -> {_show(self.root / rel)}: removed "
                    f"({why}; {len(gone)} paths)"
                )
                changed = True
            if left:
                state[name] = left
            else:
                del state[name]
        if changed:
            self._write_state(state)
            composed = self.build_dir / "wit"
            if composed.is_dir():
                import shutil

                for entry in os.scandir(composed):
                    if entry.name not in current:
                        shutil.rmtree(entry.path, ignore_errors=True)

    def _map_error(self, err: WitError, wit_root: Path, b: BindingConfig) -> WitError:
        """Point at what the user wrote: the config key for a missing world or an option a
        target rejects; the real WIT file, through a composed (symlinked) WIT root and
        relative to the current directory when below it (build backends run in the root)."""
        from witgen.targets import TargetError, WorldError

        if isinstance(err, WorldError):
            return binding_error(self.config, b.subkey("world"), err.describe("`world`"))
        if isinstance(err, TargetError):
            return option_error(self.config, b, err.message) or err
        if err.file:
            f = Path(os.path.abspath(err.file))
            err.file = _show(real_path(f, wit_root) if wit_root != b.wit else f)
        return err


def _outputs(out_dir: Path) -> list[str]:
    from witgen.engine import read_manifest

    m = read_manifest(out_dir)
    return sorted(m.outputs) if m is not None else []


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def load_project(
    root: Path,
    *,
    table: str,
    data: Mapping[str, Any] | None = None,
    file: Path | None = None,
    default_package: Callable[[], str | None] = lambda: None,
    in_tree: Callable[[str], Path | None] = lambda _: None,
    reserved: Iterable[str] = (),
) -> Project:
    """`load_config` + `Project` in one call (what the hooks use)."""
    config = load_config(
        root,
        table=table,
        data=data,
        file=file,
        default_package=default_package,
        reserved=reserved,
    )
    return Project(config, in_tree)
