"""The JS/TS target: an npm package of host bindings for a canonical-ABI core module.

`generate(resolve, world_id, options) -> {path: bytes}` writes `package.json`, `index.js` (an ES
module) and `index.d.ts`, plus the core module itself when the `wasm` option names one. Options:

- `name`: npm package name (default: derived from the world's package and name);
- `version`: package version (default: the WIT package version, else 0.0.0);
- `wasm`: path of a core module to bundle as `<world>.core.wasm`, loaded by `load()`;
  `wasm_sha256` (passed by the CLI for freshness) is ignored;
- `string_encoding`: the guest's string encoding, `utf8` (default), `utf16` or `latin1+utf16`;
- `async_abi`: `callback` (default; `stackful` needs JSPI and is refused).

Pure and deterministic: same model and options, same bytes. See docs/js.md for the design.
"""

from __future__ import annotations

from pathlib import Path

from witgen.errors import WitError
from witgen.model import Resolve

__all__ = ["generate"]


def _env():
    from witgen.render import environment

    return environment()


def generate(resolve: Resolve, world_id: int, options: dict) -> dict[str, bytes]:
    from witgen.guest.check import require_guest

    from . import names as N
    from .gen import Gen, doc_comment

    g = Gen(resolve, world_id, dict(options))
    parts = g.build()
    body = g.dts()
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
        # a stale or wrong guest fails here
        require_guest(resolve, world_id, data, str(wasm), g.plan.contract.async_abi)
        wasm_name = f"{world.name}.core.wasm"
        files[wasm_name] = data
    if wasm_name:
        g.out.use("toModule")
    g.out.use("toModule", "core")

    name = options.get("name") or N.npm_name(
        pkg.namespace if pkg else None, pkg.name if pkg else None, world.name
    )
    version = options.get("version") or (pkg.version if pkg and pkg.version else "0.0.0")
    env = _env()
    consts = "".join(g.out.consts.values())
    typefns = "".join(g.out.helpers.values())
    js = env.get_template("js/index.js.j2").render(
        world=world.name,
        encoding=g.opts.encoding,
        helpers=g.runtime_code(),
        consts=consts,
        typefns=typefns,
        tramps="".join(parts["tramps"]),
        factories="".join(parts["factories"]),
        bind=[(m, list(items.items())) for m, items in parts["bind"].items()],
        exports_pre=parts["exports_pre"],
        exports_obj="".join(parts["exports_obj"]),
        tables=parts["tables"],
        dtors=parts["dtors"],
        needs_memory=g.plan.needs_memory,
        needs_realloc=g.plan.needs_realloc,
        wasm=wasm_name,
    )
    has_imports = any(True for _ in world.imports.values() if not _is_type_item(_))
    dts = env.get_template("js/index.d.ts.j2").render(
        world=world.name,
        world_doc=doc_comment(world.docs),
        body=body,
        result_error="WitResultError" in g.out.used,
        imports_optional=not has_imports,
        wasm=wasm_name,
    )
    listed = ["index.js", "index.d.ts"] + ([wasm_name] if wasm_name else [])
    pj = env.get_template("js/package.json.j2").render(
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
