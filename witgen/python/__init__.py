"""The Python target: a typed Python package of host bindings for a component, over
wasmtime-py's `wasmtime.component` API.

`generate(resolve, world_id, options) -> {path: bytes}` writes `__init__.py` (the world's
types, the Protocols of its imports, its exports as a class), `_rt.py` (runtime helpers) and
`py.typed`, plus the component itself when the `wasm` option names one. Options:

- `wasm`: path of a component to bundle as `<world>.wasm`, the default of `load()`;
  `wasm_sha256` (passed by the CLI for freshness) is ignored.

wasmtime-py 50 cannot run async component functions nor convert `future`, `stream`,
`error-context`, `map` and fixed-length list values: worlds using them are refused (see
unsupported.py). Pure and deterministic. See docs/python.md for the design.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from witgen.errors import WitError
from witgen.model import Resolve

__all__ = ["OPTIONS", "generate"]

OPTIONS = ("wasm", "wasm_sha256")


def generate(resolve: Resolve, world_id: int, options: Mapping[str, object]) -> dict[str, bytes]:
    from witgen.render import environment

    from .module import ModuleBuilder
    from .pytypes import doc_lines, imports_class
    from .unsupported import reject_unsupported

    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise WitError(
            f"python target: unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}"
        )
    reject_unsupported(resolve, world_id)
    world = resolve.worlds[world_id]
    files: dict[str, bytes] = {}
    bundled = None
    wasm = options.get("wasm")
    if wasm:
        try:
            files[f"{world.name}.wasm"] = Path(str(wasm)).read_bytes()
        except OSError as e:
            raise WitError(f"python target: cannot read wasm {wasm}: {e.strerror}") from None
        bundled = f"{world.name}.wasm"
    parts = ModuleBuilder(resolve, world_id).build()
    pkg = resolve.packages[world.package].name if world.package is not None else None
    env = environment()
    init = env.get_template("python/__init__.py.j2").render(
        world_name=f"{pkg}/{world.name}" if pkg else world.name,
        world_doc=doc_lines(world.docs, "").strip().strip('"').strip() if world.docs else "",
        world_class=parts.world_class,
        names=parts.names,
        types=parts.types,
        resources=parts.resources,
        protocols=parts.protocols,
        imports_class=imports_class(parts.imports_fields),
        link=parts.link,
        export_classes=parts.export_classes,
        world_members=parts.world_members,
        world_init=parts.world_init,
        exports_lookup=parts.exports_lookup,
        helpers=parts.helpers,
        has_imports=parts.has_imports,
        wasi_http=parts.wasi_http,
        multi_borrow=repr(tuple(parts.multi_borrow)) if parts.multi_borrow else "",
        bundled=bundled,
        uses_wc=parts.ntables > 0,
        uses_enum=any("(_enum." in t for t in parts.types),
    )
    files["__init__.py"] = _tidy(init).encode()
    files["_rt.py"] = env.get_template("python/_rt.py.j2").render().encode()
    files["py.typed"] = b""
    return files


def _tidy(text: str) -> str:
    """At most two blank lines in a row, none before a line that closes a bracket, none at
    the end of a class body before the next top-level item's two."""
    import re

    text = re.sub(r"\n{4,}", "\n\n\n", text)
    text = re.sub(r"\n\n+(\s*[\]\)])", r"\n\1", text)
    return text.rstrip("\n") + "\n"
