"""Where witgen keeps its caches: `$WITGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/witgen`, else
`~/.cache/witgen`. Shared by the front end (syntax trees, parse tables) and the generators."""

from __future__ import annotations

import os


def cache_root() -> str:
    base = os.environ.get("WITGEN_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "witgen")
    return base
