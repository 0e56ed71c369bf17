"""The JS/TS target: an npm package of host bindings for a canonical-ABI core module.

`generate(resolve, world_id, options) -> {path: bytes}` writes `package.json`, `index.js` (an ES
module) and `index.d.ts`; when the `wasm` option names a core module, the module itself and the
per-environment entries of `package.py`. Options:

- `name`: npm package name (default: derived from the world's package and name);
- `version`: package version (default: the WIT package version, else 0.0.0);
- `wasm`: path of a core module to bundle as `<world>.core.wasm`, loaded by `load()`;
  `wasm_sha256` (passed by the CLI for freshness) is ignored;
- `component`: instead of `wasm`, a component holding one core module (plus, for a wasi-libc
  guest, the WASI preview 1 adapter): that core module is bundled (`witgen.guest.component`);
- `inline_wasm_max`: inline a module of at most this many bytes as base64 (default 0: never);
- `string_encoding`: the guest's string encoding, `utf8` (default), `utf16` or `latin1+utf16`;
- npm metadata: `description`, `license`, `repository`, `keywords`, `author`, `engines`.
- `async_abi`: the contract a bundled guest is checked against: `callback` (default) or
  `stackful` (suspends through JSPI where the engine has it; without JSPI it blocks only on
  guests linked through the host); the package runs either kind of guest.
- `wasi`: WASI preview 1 support in `load()` (see `wasi.py`); default: whether the bundled core
  module imports `wasi_snapshot_preview1`.

Pure and deterministic: same model and options, same bytes. See docs/js.md for the design.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from witgen.errors import WitError
from witgen.model import Resolve

from . import package as P
from .options import OPTIONS

if TYPE_CHECKING:
    import jinja2

__all__ = ["OPTIONS", "generate"]


def _env() -> jinja2.Environment:
    from witgen.render import environment

    return environment()


def generate(resolve: Resolve, world_id: int, options: dict[str, object]) -> dict[str, bytes]:
    from . import names as N
    from . import wasi as W
    from .gen import Gen, doc_comment
    from .linkcheck import RUNTIME as LINKCHECK
    from .linkcheck import contract_js

    g = Gen(resolve, world_id, dict(options))
    parts = g.build()
    body = g.dts()
    world = g.world
    pkg = resolve.packages[world.package].name if world.package is not None else None

    files: dict[str, bytes] = {}
    abi = g.opts.async_abi if g.plan.contract.async_abi != "sync" else "sync"
    layout, guest_wasi = _layout(resolve, world_id, options, files, abi)
    wasi = guest_wasi if g.opts.wasi is None else g.opts.wasi
    wasm_name = layout.wasm
    g.out.use("core")

    name = options.get("name") or N.npm_name(
        pkg.namespace if pkg else None, pkg.name if pkg else None, world.name
    )
    version = options.get("version") or (pkg.version if pkg and pkg.version else "0.0.0")
    meta = P.parse_metadata(
        options,
        f"JS bindings for the WIT world {pkg}/{world.name}"
        if pkg
        else f"JS bindings for {world.name}",
    )
    env = _env()
    consts = "".join(g.out.consts.values())
    typefns = "".join(g.out.helpers.values())
    js = env.get_template("js/index.js.j2").render(
        world=world.name,
        encoding=g.opts.encoding,
        helpers=g.runtime_code(),
        contract=contract_js(g.plan, world.name),
        linkcheck=LINKCHECK,
        wasi=wasi,
        wasi_shim=W.SHIM.strip("\n"),
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
    )
    has_imports = any(True for _ in world.imports.values() if not _is_type_item(_))
    dts = env.get_template("js/index.d.ts.j2").render(
        world=world.name,
        world_doc=doc_comment(world.docs),
        body=body,
        result_error="WitResultError" in g.out.used,
        imports_optional=not has_imports,
        wasm=wasm_name,
        inline=layout.inline,
        wasi=wasi,
    )
    files["package.json"] = P.manifest(str(name), str(version), meta, layout).encode()
    files[layout.bindings] = js.encode()
    files["index.d.ts"] = dts.encode()
    if wasm_name:
        files.update(_entries(env, world.name, layout, wasi))
    return files


def _entries(env: jinja2.Environment, world: str, layout: P.Layout, wasi: bool) -> dict[str, bytes]:
    """The per-environment entries of a package with a bundled module (see `package.py`)."""
    from . import wasi as W

    entry = {
        "world": world,
        "wasm": layout.wasm,
        "inline": layout.inline_module,
        "wasi": wasi,
        "with_wasi": W.WITH_WASI.strip("\n"),
        "node_wasi": W.NODE.strip("\n"),
    }
    files = {}
    for out, template in (("index.js", "node"), ("browser.js", "browser")):
        files[out] = env.get_template(f"js/{template}.js.j2").render(**entry).encode()
    files["browser.d.ts"] = env.get_template("js/browser.d.ts.j2").render(**entry).encode()
    return files


def _layout(
    resolve: Resolve, world_id: int, options: dict[str, object], files: dict[str, bytes], async_abi: str
) -> tuple[P.Layout, bool]:
    """The package's layout, and whether its core module imports WASI preview 1; puts the
    checked core module (file or inlined) into `files`."""
    from witgen.guest.check import require_guest

    from .wasi import uses_wasi

    world = resolve.worlds[world_id].name
    limit = P.inline_limit(options)
    found = _guest(options)
    if found is None:
        return P.Layout(world, None, False), False
    data, source = found
    # a stale or wrong guest fails here
    require_guest(resolve, world_id, data, source, async_abi)
    layout = P.Layout(world, f"{world}.core.wasm", len(data) <= limit)
    if layout.inline_module:
        text = _env().get_template("js/inline.js.j2").render(
            wasm=layout.wasm, size=len(data), data=base64.b64encode(data).decode()
        )
        files[layout.inline_module] = text.encode()
    else:
        files[f"{world}.core.wasm"] = data
    return layout, uses_wasi(data)


def _guest(options: dict[str, object]) -> tuple[bytes, str] | None:
    """The core module to bundle and where it is from: the `wasm` file, or the one inside the
    `component` file (one core module plus the WASI preview 1 adapter)."""
    from witgen.guest.component import main_core_module

    wasm, component = options.get("wasm"), options.get("component")
    if wasm and component:
        raise WitError("js target: give `wasm` (a core module) or `component`, not both")
    path = wasm or component
    if not path:
        return None
    what = "wasm" if wasm else "component"
    try:
        data = Path(str(path)).read_bytes()
    except OSError as e:
        raise WitError(f"js target: cannot read {what} {path}: {e.strerror}") from None
    if component:
        return main_core_module(data, str(path)), f"{path} (its core module)"
    return data, str(path)


def _is_type_item(item: object) -> bool:
    from witgen.model import TypeItem

    return isinstance(item, TypeItem)
