"""The `wit` hatchling build hook: reads `[tool.hatch.build.hooks.wit]`, runs the engine.

* wheel (standard): each binding is generated into `build/witgen/out/<name>/` (or its
  `source-dir`), and its files enter the wheel at `wheel-dir` through `force_include`.
* wheel (editable): bindings are generated straight into the source tree, at the place the
  editable install serves `wheel-dir` from (e.g. `src/pkg/js/`); nothing is copied into the
  editable wheel, so no stale copy can shadow a later regeneration.
* sdist: nothing is generated; WIT (and other inputs such as a bundled guest) from outside the
  project root is added below `_wit_external/`, where a wheel built from the sdist finds it.
* `clean` (`hatch clean`, `hatch build -c`) removes every generated output.

Generated outputs an editable install left in a package folder are kept out of standard
wheels and sdists (the fresh copy from `build/witgen/` goes in instead).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

from hatch_wit.sdist import keep_out_build_dir

if TYPE_CHECKING:
    from witgen.config import Mode
    from witgen.project import Project


class WitBuildHook(BuildHookInterface[BuilderConfig]):
    PLUGIN_NAME = "wit"

    # -- config

    def _table(self) -> tuple[str, Path]:
        from witgen.config import read_toml
        from witgen.pyproject import hatch_table

        root = Path(self.root)
        pyproject = root / "pyproject.toml"
        data = read_toml(pyproject) if pyproject.is_file() else {}
        return hatch_table(root, data, self.target_name)

    def _packages(self) -> list[str]:
        """Root-relative folders of the wheel's packages (what hatch ships as packages)."""
        try:
            from hatchling.builders.wheel import WheelBuilderConfig

            if isinstance(self.build_config, WheelBuilderConfig):
                return list(self.build_config.packages)
        except Exception:  # noqa: BLE001 - best effort: fall back to the project name
            pass
        return []

    def _default_package(self) -> str | None:
        root = Path(self.root)
        from witgen.pyproject import normalize

        name = normalize(self.metadata.core.name)
        packages = self._packages()
        for p in packages:
            if Path(p).name == name:
                return self._dist_path(p)
        for cand in (name, f"src/{name}"):
            if (root / cand).is_dir():
                return name
        if packages:
            return self._dist_path(packages[0])
        if self.target_name != "wheel":
            return "_"  # an sdist places no output; the wheel built from it reports this
        return None

    def _dist_path(self, path: str) -> str:
        """Where the root-relative `path` lands in the wheel (POSIX)."""
        dist: str = self.build_config.get_distribution_path(path)
        return dist.replace(os.sep, "/")

    def _in_tree(self, wheel_dir: str) -> Path | None:
        """The source folder an editable install serves `wheel_dir` from, if there is one."""
        root = Path(self.root)
        first, _, rest = wheel_dir.partition("/")
        for p in self._packages():
            dist = self._dist_path(p)
            if dist == first or wheel_dir.startswith(dist + "/"):
                tail = wheel_dir[len(dist) :].lstrip("/")
                return root / p / tail if tail else root / p
        for base in (root / first, root / "src" / first):
            if base.is_dir():
                return base / rest if rest else base
        return None

    def _project(self) -> Project:
        from witgen.config import HATCH_RESERVED_KEYS
        from witgen.project import load_project

        table, file = self._table()
        return load_project(
            Path(self.root),
            table=table,
            data=self.config,
            file=file,
            default_package=self._default_package,
            in_tree=self._in_tree,
            reserved=HATCH_RESERVED_KEYS,
        )

    # -- hatch entry points

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "sdist"):
            return
        from witgen.errors import WitError

        try:
            project = self._project()
            if self.target_name == "sdist":
                for src, dest in project.sdist_files().items():
                    build_data["force_include"].setdefault(src, dest)
                self._keep_out_editable_outputs(project)
                keep_out_build_dir(self.build_config, Path(self.root), project.build_dir)
                return
            mode: Mode = "editable" if version == "editable" else "standard"
            result = project.build(mode, log=self._log)
        except WitError as err:
            self.app.display_error(err.render())
            raise SystemExit(1) from None
        for src, dest in result.wheel_files.items():
            build_data["force_include"][src] = dest
        if mode == "standard":
            self._keep_out_editable_outputs(project)

    def clean(self, versions: list[str]) -> None:
        from witgen.errors import WitError

        try:
            self._project().clean(log=self._log)
        except WitError as err:
            self.app.display_error(err.render())
            raise SystemExit(1) from None

    # -- helpers

    def _log(self, line: str) -> None:
        # hatch's own output goes to stdout; pip and build show the backend's stderr too
        self.app.display_info(line)
        sys.stdout.flush()

    def _keep_out_editable_outputs(self, project: Project) -> None:
        """Reserve the paths of outputs an editable build wrote into packages (+ manifests)."""
        from witgen.engine import MANIFEST_NAME, read_manifest
        from witgen.engine.lock import lock_path

        reserved = getattr(self.build_config, "build_reserved_paths", None)
        if not isinstance(reserved, set):
            return
        root = Path(self.root)
        for b in project.config.bindings:
            d = project.editable_dir(b)
            if d is None or d == b.source_dir:
                continue
            m = read_manifest(d)
            if m is None:
                continue
            for p in [*(d / rel for rel in m.outputs), d / MANIFEST_NAME, lock_path(d)]:
                path = os.path.relpath(p, root)
                reserved.add(self.build_config.get_distribution_path(path))
