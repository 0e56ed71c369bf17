"""What the `wit` hook keeps out of a hatch sdist: witgen's build folder.

Without a `.gitignore` that lists `build/`, hatch's sdist takes every file of the project, so
`build/witgen/` (the output cache, the engine's state and the folders of symlinks joining a
binding's WIT with its `deps`, which point at absolute paths) would ship; a wheel built from
that sdist then finds each dependency twice. An sdist carries the inputs, never the outputs.
"""

from __future__ import annotations

import os
from pathlib import Path


def keep_out_build_dir(build_config: object, root: Path, build_dir: Path) -> None:
    """Reserve `build_dir` (inside `root`) so hatch's file walk skips it entirely."""
    reserved = getattr(build_config, "build_reserved_paths", None)
    if isinstance(reserved, set) and build_dir.is_relative_to(root):
        reserved.add(os.path.relpath(build_dir, root))
