"""The `wasmtime` target: a Rust crate that hosts components of one world with `wasmtime`.

`generate(resolve, world_id, options) -> {path: bytes}` writes `Cargo.toml`, `src/lib.rs` (the
world's items, module declarations) and one file per interface module, `src/<ns>/<pkg>/<iface>.rs`
and `src/exports/<ns>/<pkg>/<iface>.rs`. The API is that of `wasmtime::component::bindgen!` of the
chosen wasmtime release (`versions.py`; the default builds on stable Rust), so a host can switch between the two by changing
its `use` lines. See docs/wasmtime.md for the options and the differences.

Jinja2 templates (`templates/`, through `witgen.render`) lay out the files; `crategen.py` (with the modules it lists) and
`world.py` build the Rust items, `rustfmt.py` wraps long lines the way rustfmt does, so the
output is `cargo fmt --check` clean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from witgen import model as m
from witgen.errors import WitError
from witgen.render import environment

from . import versions, wasi_remap
from .cargo_toml import dependency_line, toml_string
from .options import WASMTIME_VERSION, Options, parse_options
from .rustfmt import doc_lines

if TYPE_CHECKING:
    from .crategen import CrateGen

__all__ = ["generate", "WASMTIME_VERSION"]


#: module name -> submodules, None (a file) or the path a `with`-mapped module re-exports
_Tree: TypeAlias = "dict[str, _Tree | str | None]"


def _module_tree(paths: dict[tuple[str, ...], str | None]) -> str:
    """`pub mod a { pub mod b { pub mod i; } }` for every module path. A leaf is a file (None),
    or the `with` path of a remapped interface: an inline module re-exporting it, as bindgen!
    keeps one (`pub mod i { pub use path::*; }`), so the module tree is the same with or
    without `with`."""
    tree: _Tree = {}
    for path, reexport in paths.items():
        node = tree
        for seg in path[:-1]:
            child = node.setdefault(seg, {})
            assert isinstance(child, dict), "a module path is not also a file"
            node = child
        node.setdefault(path[-1], reexport)
    out: list[str] = []

    def emit(node: _Tree, at: tuple[str, ...]) -> None:
        pad = "    " * len(at)
        for name in sorted(node):
            child = node[name]
            if child is None:
                out.append(f"{pad}pub mod {name};")
            elif isinstance(child, str):
                out.append(f"{pad}/// Mapped by `with` onto `{child}`.")
                out.append(f"{pad}pub mod {name} {{")
                out.append(f"{pad}    #[allow(unused_imports)]")
                out.append(f"{pad}    pub use {child}::*;")
                out.append(f"{pad}}}")
            else:
                what = (
                    "exports"
                    if at + (name,) == ("exports",)
                    else "`" + "::".join((*at, name)) + "`"
                )
                out.append(f"{pad}/// The interfaces of {what}.")
                out.append(f"{pad}pub mod {name} {{")
                emit(child, (*at, name))
                out.append(f"{pad}}}")

    emit(tree, ())
    return "\n".join(out) + ("\n" if out else "")


def generate(resolve: m.Resolve, world_id: int, options: dict[str, object]) -> dict[str, bytes]:
    from .crategen import CrateGen

    opts = parse_options(options)
    wasi_remap.apply(opts, resolve, resolve.worlds[world_id])
    g = CrateGen(resolve, world_id, opts)
    files, modules = _interface_modules(g)
    root = g.world_items()
    unused = sorted(set(opts.with_) - g.paths.used_with)
    if unused:
        raise WitError(f"wasmtime option `with`: unused entries: {', '.join(unused)}")
    ctx = _template_context(g, root, _module_tree(modules))
    env = environment()
    files["Cargo.toml"] = env.get_template("wasmtime/Cargo.toml.j2").render(ctx)
    files["src/lib.rs"] = env.get_template("wasmtime/lib.rs.j2").render(ctx)
    files["src/witgen_rt.rs"] = env.get_template("wasmtime/rt.rs.j2").render(ctx)
    if opts.dynamic_linking:
        files["dylib/Cargo.toml"] = env.get_template("wasmtime/dylib_Cargo.toml.j2").render(ctx)
        files["dylib/src/lib.rs"] = env.get_template("wasmtime/dylib_lib.rs.j2").render(ctx)
    return {k: v.encode() for k, v in sorted(files.items())}


def _interface_modules(
    g: CrateGen,
) -> tuple[dict[str, str], dict[tuple[str, ...], str | None]]:
    """The file of each interface module, and the module tree (path -> None for a file, or
    the `with` path a remapped interface's module re-exports)."""
    files: dict[str, str] = {}
    modules: dict[tuple[str, ...], str | None] = {}

    def module_file(path: list[str], body: str, docs: str | None) -> None:
        head = ""
        if docs:
            head = "".join(f"//! {ln}".rstrip() + "\n" for ln in doc_lines(docs)) + "\n"
        files["src/" + "/".join(path) + ".rs"] = head + body
        modules[tuple(path)] = None

    paths = g.paths
    for key, item in g.world.imports.items():
        if isinstance(item, m.InterfaceItem) and item.id in paths.remapped:
            modules[tuple(paths.import_paths[item.id])] = paths.remapped[item.id]
        elif isinstance(item, m.InterfaceItem):
            body = g.import_module(key, item.id)
            module_file(paths.import_paths[item.id], body, g.r.interfaces[item.id].docs)
    for key, item in g.world.exports.items():
        if isinstance(item, m.InterfaceItem):
            body = g.export_module(key, item.id)
            module_file(paths.export_paths[item.id], body, g.r.interfaces[item.id].docs)
    return files, modules


def _template_context(g: CrateGen, world_items: str, modules: str) -> dict[str, object]:
    """What the templates of `Cargo.toml`, `lib.rs` and `witgen_rt.rs` are rendered with."""
    opts, world = g.o, g.world
    pkg = g.r.packages[world.package].name if world.package is not None else None
    world_full = f"{pkg}/{world.name}" if pkg else world.name
    # a valid crate name (cargo's rules) is a TOML bare key and needs no escape in a string
    crate_name = opts.crate_name or f"{world.name}-host"
    # `std`: without it wasmtime needs the embedder's `wasmtime_tls_get`, and a test binary
    # or host whose wasmtime features come only from this crate fails to link
    features = ["component-model", "runtime", "std"]
    if g.feat.async_:
        features.append("async")
    if g.feat.concurrent:
        features.append("component-model-async")
    return {
        "world_full": world_full,
        "crate_name": crate_name,
        "traits_only": opts.traits_only,
        "wasmtime_version": opts.wasmtime_version,
        "wasmtime_major": _major(opts),
        # wasmtime's own minimum; only known for a release of versions.py
        "rust_version": opts.release.rust if opts.release else "",
        "older_rustc": _older_rustc(opts),
        # the crate's wasmtime requirement, also the dylib's (`dynamic_linking`)
        "wasmtime_req": (
            f"version = {toml_string(opts.wasmtime_version)}, default-features = false, "
            f"features = [{', '.join(map(toml_string, features))}]"
        ),
        "world_items": world_items,
        "modules": modules,
        "concurrent": g.feat.concurrent,
        "dependencies": [dependency_line(k, v) for k, v in opts.dependencies.items()],
        "dynamic_linking": opts.dynamic_linking,
        "crate_ident": crate_name.replace("-", "_"),
    }


def _major(opts: Options) -> str:
    if opts.release is not None:
        return str(opts.release.major)
    return opts.wasmtime_version.lstrip("=^~<>* ").split(".")[0].split(",")[0]


def _older_rustc(opts: Options) -> list[tuple[str, int]]:
    """(rustc, major) for each older rustc a known release builds on, newest first: what the
    generated Cargo.toml and crate docs tell a user whose rustc is too old for this release."""
    if opts.release is None:
        return []
    out: list[tuple[str, int]] = []
    for rel in sorted(versions.RELEASES, key=lambda r: -r.major):
        older = versions.release_for_rust(rel.rust)
        if rel.rust == opts.release.rust or older is not rel or rel.major > opts.release.major:
            continue
        out.append((rel.rust, rel.major))
    return out
