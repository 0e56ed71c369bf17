"""The JS/TS target: an npm package of host bindings for a canonical-ABI core module.

`generate(resolve, world_id, options) -> {path: bytes}` writes `package.json`, `index.js` (an ES
module) and `index.d.ts`, plus the core module itself when the `wasm` option names one. Options:

- `name`: npm package name (default: derived from the world's package and name);
- `version`: package version (default: the WIT package version, else 0.0.0);
- `wasm`: path of a core module to bundle as `<world>.core.wasm`, loaded by `load()`;
  `wasm_sha256` (passed by the CLI for freshness) is ignored;
- `string_encoding`: the guest's string encoding, `utf8` (default), `utf16` or `latin1+utf16`.

Pure and deterministic: same model and options, same bytes. See docs/js.md for the design.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from witgen.errors import WitError
from witgen.model import Resolve

__all__ = ["generate"]


@lru_cache(maxsize=1)
def _env():
    import os

    import jinja2

    from witgen.cachedir import cache_root

    # compiled templates are kept beside the parse cache (off with WITGEN_NO_CACHE=1)
    bcc = None
    if not os.environ.get("WITGEN_NO_CACHE"):
        folder = os.path.join(cache_root(), "jinja")
        try:
            os.makedirs(folder, exist_ok=True)
            bcc = jinja2.FileSystemBytecodeCache(folder)
        except OSError:
            bcc = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bcc,
    )
    env.filters["js"] = lambda s: json.dumps(s, ensure_ascii=True)
    return env


def generate(resolve: Resolve, world_id: int, options: dict) -> dict[str, bytes]:
    from . import names as N
    from . import runtime
    from .gen import Gen, doc_comment

    g = Gen(resolve, world_id, dict(options))
    parts = g.build()
    body = g.dts([])
    world = g.world
    pkg = resolve.packages[world.package].name if world.package is not None else None

    wasm_name = None
    files: dict[str, bytes] = {}
    wasm = options.get("wasm")
    if wasm:
        try:
            data = Path(str(wasm)).read_bytes()
        except OSError as e:
            raise WitError(f"js target: cannot read wasm {wasm}: {e.strerror}") from None
        wasm_name = f"{world.name}.core.wasm"
        files[wasm_name] = data
    if wasm_name:
        g.use("toModule")
    g.use("toModule", "core")

    name = options.get("name") or N.npm_name(
        pkg.namespace if pkg else None, pkg.name if pkg else None, world.name
    )
    version = options.get("version") or (pkg.version if pkg and pkg.version else "0.0.0")
    env = _env()
    consts = "".join(g.consts[k] for k in g.consts)
    typefns = "".join(v for v in g.helpers.values())
    js = env.get_template("index.js.j2").render(
        world=world.name,
        encoding=g.enc,
        helpers=runtime.emit(g.used),
        consts=consts,
        typefns=typefns,
        tramps="".join(parts["tramps"]),
        factories="".join(parts["factories"]),
        bind=[(m, list(items.items())) for m, items in parts["bind"].items()],
        exports_pre=parts["exports_pre"],
        exports_obj="".join(parts["exports_obj"]),
        tables=parts["tables"],
        dtors=parts["dtors"],
        needs_memory=g.needs_memory,
        needs_realloc=g.needs_realloc,
        wasm=wasm_name,
    )
    has_imports = any(True for _ in world.imports.values() if not _is_type_item(_))
    dts = env.get_template("index.d.ts.j2").render(
        world=world.name,
        world_doc=doc_comment(world.docs),
        body=body,
        result_error="WitResultError" in g.used,
        imports_optional=not has_imports,
        wasm=wasm_name,
    )
    listed = ["index.js", "index.d.ts"] + ([wasm_name] if wasm_name else [])
    pj = env.get_template("package.json.j2").render(
        name=name,
        version=version,
        description=f"JS bindings for the WIT world {pkg}/{world.name}"
        if pkg
        else f"JS bindings for {world.name}",
        wasm=wasm_name,
        files=listed,
    )
    files["package.json"] = pj.encode()
    files["index.js"] = js.encode()
    files["index.d.ts"] = dts.encode()
    return files


def _is_type_item(item) -> bool:
    from witgen.model import TypeItem

    return isinstance(item, TypeItem)
