"""setuptools_wit: the `build_wit` setuptools command, a sub-command of `build`.

```toml
[build-system]
requires = ["setuptools>=64", "witgen"]
build-backend = "setuptools.build_meta"

[tool.witgen]
target = "wasmtime"
```

With witgen in the build environment, every setuptools project whose `pyproject.toml` has a
`[tool.witgen]` table gets `build_wit` run by `build` (so by `pip install .`, `python -m build`,
`uv build`, `bdist_wheel`), before `build_py`:

* standard builds generate each binding into `build/witgen/out/<name>/` (or its `source-dir`)
  and copy the files into `build_lib` at `wheel-dir`; `get_outputs`/`get_output_mapping` list
  them;
* editable installs (PEP 660: `pip install -e .`) generate straight into the source package
  folder that serves `wheel-dir`, so a re-install after a WIT edit shows the change;
* `get_source_files` lists the WIT (and other inputs) inside the project, so `sdist` ships them;
  inputs from outside the project root are copied below `_wit_external/` in the sdist;
* `setup.py clean` / `build_wit --clean` remove what witgen generated.

The command only reads the config (`witgen.config`, schema in docs/config.md) and calls the
engine through `witgen.targets.build_binding`.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from setuptools import Command

if TYPE_CHECKING:
    from witgen.config import Mode
    from witgen.errors import WitError
    from witgen.project import Project, ProjectBuild

TABLE = "tool.witgen"


def _root(dist: Any) -> Path:
    return Path(os.path.abspath(getattr(dist, "src_root", None) or os.curdir))


def _has_config(root: Path) -> bool:
    """True if `root/pyproject.toml` has a `[tool.witgen]` table (cheap text check first)."""
    pyproject = root / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "witgen" not in text:
        return False
    from witgen.config import get_table, read_toml

    return get_table(read_toml(pyproject), TABLE) is not None


def _fail(err: WitError) -> Exception:
    from distutils.errors import DistutilsError  # setuptools' own copy on 3.12+

    text = err.render()
    # setuptools prints DistutilsError as `error: <message>`: do not say `error:` twice
    return DistutilsError(text[len("error: ") :] if text.startswith("error: ") else text)


class build_wit(Command):  # type: ignore[misc]  # noqa: N801 - setuptools' naming
    description = "generate WIT bindings ([tool.witgen] in pyproject.toml)"
    user_options = [
        ("build-lib=", "d", "directory to put the generated files in (the wheel's root)"),
        ("force", "f", "regenerate even when the bindings are up to date"),
        ("clean", None, "remove every generated output instead of building"),
    ]
    boolean_options = ["force", "clean"]

    def initialize_options(self) -> None:
        self.build_lib: str | None = None
        self.force: bool | None = None
        self.clean: bool = False
        self.editable_mode: bool = False
        self._result: ProjectBuild | None = None

    def finalize_options(self) -> None:
        self.set_undefined_options("build", ("build_lib", "build_lib"), ("force", "force"))

    # -- the project

    def _default_package(self) -> str | None:
        dist = self.distribution
        tops = sorted({p.split(".")[0] for p in (dist.packages or [])})
        from witgen.pyproject import normalize

        name = normalize(dist.get_name() or "")
        if name in tops:
            return name
        return tops[0] if tops else None

    def _in_tree(self, wheel_dir: str) -> Path | None:
        first, _, rest = wheel_dir.partition("/")
        if first not in {p.split(".")[0] for p in (self.distribution.packages or [])}:
            return None
        build_py = self.get_finalized_command("build_py")
        base = _root(self.distribution) / build_py.get_package_dir(first)
        if not base.is_dir():
            return None
        folder: Path = base / rest if rest else base
        return folder

    def project(self) -> Project:
        from witgen.errors import WitError
        from witgen.project import load_project

        try:
            return load_project(
                _root(self.distribution),
                table=TABLE,
                default_package=self._default_package,
                in_tree=self._in_tree,
            )
        except WitError as err:
            raise _fail(err) from None

    # -- setuptools' protocol

    def run(self) -> None:
        from witgen.errors import WitError

        project = self.project()
        mode: Mode = "editable" if self.editable_mode else "standard"
        try:
            if self.clean:
                project.clean(log=self._log)
                return
            self._result = project.build(mode, log=self._log, force=bool(self.force))
        except WitError as err:
            raise _fail(err) from None
        if mode == "standard":
            for dest, src in sorted(self.get_output_mapping().items()):
                Path(dest).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                shutil.copymode(src, dest)

    def _log(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def _wheel_files(self) -> dict[str, str]:
        if self._result is not None:
            return self._result.wheel_files
        if self.editable_mode:
            return {}
        # not run yet (e.g. asked by bdist_wheel or sdist): what the last build produced
        from witgen.project import _outputs

        project = self.project()
        files: dict[str, str] = {}
        for b in project.config.bindings:
            place = project.placement(b, "standard")
            if place.wheel_source is not None and b.wheel_dir is not None:
                for rel in _outputs(place.wheel_source):
                    files[str(place.wheel_source / rel)] = f"{b.wheel_dir}/{rel}"
        return files

    def get_output_mapping(self) -> dict[str, str]:
        """`{file in build_lib: generated file it is copied from}`."""
        if self.editable_mode or self.build_lib is None:
            return {}
        return {
            os.path.join(self.build_lib, *dest.split("/")): src
            for src, dest in sorted(self._wheel_files().items())
        }

    def get_outputs(self) -> list[str]:
        return sorted(self.get_output_mapping())

    def get_source_files(self) -> list[str]:
        """The inputs inside the project (WIT files, a bundled guest), relative POSIX paths."""
        from witgen.config import is_outside
        from witgen.engine import candidate_wit_files

        project = self.project()
        root = project.root
        out: set[str] = set()
        for src in project.sdist_files():
            if is_outside(os.path.relpath(src, root).replace(os.sep, "/")):
                continue  # copied by sdist's make_release_tree (see `wrap_sdist`)
            p = Path(src)
            files = candidate_wit_files(p) if p.is_dir() else [p]
            for f in files:
                rel = os.path.relpath(f, root).replace(os.sep, "/")
                if not rel.startswith("../"):
                    out.add(rel)
        return sorted(out)


def _external_files(project: Project) -> dict[str, str]:
    from witgen.config import EXTERNAL_DIR

    return {
        src: dest for src, dest in project.sdist_files().items() if dest.startswith(EXTERNAL_DIR)
    }


def wrap_sdist(base: type) -> type:
    """`base` (setuptools' sdist) that also copies outside WIT into `_wit_external/`."""

    class sdist_wit(base):  # type: ignore[misc]  # noqa: N801
        _witgen = True

        def make_release_tree(self, base_dir: str, files: list[str]) -> None:
            super().make_release_tree(base_dir, files)
            project = self.get_finalized_command("build_wit").project()
            for src, dest in sorted(_external_files(project).items()):
                target = Path(base_dir, *dest.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                if os.path.isdir(src):
                    shutil.copytree(src, target, dirs_exist_ok=True)
                else:
                    shutil.copyfile(src, target)

    sdist_wit.__name__ = base.__name__
    return sdist_wit


def wrap_clean(base: type) -> type:
    class clean_wit(base):  # type: ignore[misc]  # noqa: N801
        _witgen = True

        def run(self) -> None:
            from witgen.errors import WitError

            super().run()
            try:
                self.get_finalized_command("build_wit").project().clean(log=print)
            except WitError as err:
                raise _fail(err) from None

    clean_wit.__name__ = base.__name__
    return clean_wit


def _enabled(cmd: Any) -> bool:
    return bool(getattr(cmd.distribution, "_witgen_enabled", False))


def finalize_distribution_options(dist: Any) -> None:
    """Entry point `setuptools.finalize_distribution_options`: wire `build_wit` into `build`.

    Does nothing for projects without `[tool.witgen]`.
    """
    try:
        enabled = _has_config(_root(dist))
    except Exception:  # noqa: BLE001 - a broken pyproject.toml: let build_wit report it
        enabled = True
    if not enabled:
        return
    dist._witgen_enabled = True
    from setuptools_wit.discovery import exclude_wit_folders

    exclude_wit_folders(_root(dist), TABLE)  # flat layouts: `wit/` is not a package
    from setuptools.command.build import build

    if not any(name == "build_wit" for name, _ in build.sub_commands):
        build.sub_commands.insert(0, ("build_wit", _enabled))
    dist.cmdclass.setdefault("build_wit", build_wit)
    from distutils.command.clean import clean

    from setuptools.command.sdist import sdist

    base = dist.cmdclass.get("sdist", sdist)
    if not getattr(base, "_witgen", False):
        dist.cmdclass["sdist"] = wrap_sdist(base)
    base = dist.cmdclass.get("clean", clean)
    if not getattr(base, "_witgen", False):
        dist.cmdclass["clean"] = wrap_clean(base)


# run after setuptools' own hooks (which read pyproject.toml and discover packages)
finalize_distribution_options.order = 100  # type: ignore[attr-defined]
