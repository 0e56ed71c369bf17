"""The one Jinja2 environment of the generators' templates.

Templates are named by target: `js/index.js.j2` is `witgen/js/templates/index.js.j2`,
`wasmtime/lib.rs.j2` is `witgen/wasmtime/templates/lib.rs.j2`. Nothing is escaped (the
templates write code, not HTML), an undefined variable is an error, trailing newlines are kept,
and the `js` filter writes a JSON/JS string literal. Compiled templates are cached beside the
parse cache (`<cache>/jinja`, off with WITGEN_NO_CACHE=1).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

#: template prefix -> folder of that target's templates
TEMPLATE_DIRS = {
    "js": Path(__file__).parent / "js" / "templates",
    "wasmtime": Path(__file__).parent / "wasmtime" / "templates",
    "python": Path(__file__).parent / "python" / "templates",
}


def _js_literal(value: object) -> str:
    return json.dumps(value, ensure_ascii=True)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    import jinja2

    from witgen.cachedir import cache_root

    if os.environ.get("WITGEN_NO_CACHE"):
        return None
    folder = os.path.join(cache_root(), "jinja")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(folder)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared environment (built once per process; jinja2 is imported only then)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PrefixLoader(
            {prefix: jinja2.FileSystemLoader(str(path)) for prefix, path in TEMPLATE_DIRS.items()}
        ),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["js"] = _js_literal
    return env
