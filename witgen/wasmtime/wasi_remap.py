"""The `wasi` option: a world's WASI 0.2 imports served by wasmtime-wasi (and wasmtime-wasi-http).

`wasi = "wasmtime-wasi"` turns into what a `bindgen!` user writes by hand for the same host:
- a `with` entry per imported WASI package onto wasmtime-wasi's bindings of the chosen wasmtime
  release (`wasmtime_wasi::p2::bindings::sync::<pkg>`, or `wasmtime_wasi::p2::bindings::<pkg>`
  when the crate's imports are async), and `wasi:http` onto
  `wasmtime_wasi_http::p2::bindings::http` (the same module in both modes);
- `wasmtime-wasi` (and `wasmtime-wasi-http`) in `[dependencies]`, pinned to the release's exact
  version, default features off, `p2` on.

Entries the user gives in `with` or `dependencies` win. Interfaces wasmtime-wasi does not provide
(`wasi:keyvalue`, say) keep generated bindings; WASI 0.3 imports are refused (wasmtime-wasi's
p3 bindings are not mapped by this option).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from witgen import model as m
from witgen.errors import WitError

from . import formats

if TYPE_CHECKING:
    from .options import Options

#: the values of the `wasi` option (None, the default, maps nothing)
VALUES = ("wasmtime-wasi",)

#: WASI packages wasmtime-wasi's p2 bindings provide (module name = package name)
_WASI_PACKAGES = frozenset({"cli", "clocks", "filesystem", "io", "random", "sockets"})
_SYNC = "wasmtime_wasi::p2::bindings::sync"
_ASYNC = "wasmtime_wasi::p2::bindings"
_HTTP = "wasmtime_wasi_http::p2::bindings::http"


def value(raw: object) -> str | None:
    """The validated `wasi` option value."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw in VALUES:
        return raw
    close = difflib.get_close_matches(str(raw), VALUES, n=1, cutoff=0.4)
    hint = f"; did you mean {formats.show(close[0])}?" if close else ""
    raise WitError(
        f"wasmtime option `wasi`: {formats.show(raw)} is not one of "
        f"{', '.join(map(formats.show, VALUES))}{hint}"
    )


def apply(opts: Options, resolve: m.Resolve, world: m.World) -> None:
    """Add the `with` and dependency entries of `opts.wasi` for `world`."""
    if opts.wasi is None:
        return
    rel = opts.release
    if rel is None or rel.wasi is None:
        raise WitError(
            f"wasmtime option `wasi`: {opts.wasi} needs a wasmtime release whose "
            f"wasmtime-wasi is published; `wasmtime_version` {formats.show(opts.wasmtime_version)} "
            "has none (use a major such as 50)"
        )
    if opts.traits_only:
        raise WitError(
            "wasmtime option `wasi`: the mapped interfaces are wasmtime-wasi's, which need "
            "wasmtime: not available with `traits_only`"
        )
    base = _ASYNC if opts.async_imports.all else _SYNC
    crates: set[str] = set()
    given = set(opts.with_)
    for key, item in world.imports.items():
        if isinstance(key, str) or not isinstance(item, m.InterfaceItem):
            continue
        iface = resolve.interfaces[item.id]
        assert iface.package is not None and iface.name is not None
        pkg = resolve.packages[iface.package].name
        if pkg.namespace != "wasi":
            continue
        if pkg.version is not None and not pkg.version.startswith("0.2."):
            raise WitError(
                f"wasmtime option `wasi`: {resolve.world_key_name(key)} is WASI "
                f"{pkg.version}; `wasi = {formats.show(opts.wasi)}` maps WASI 0.2 interfaces only"
            )
        if {"wasi", f"wasi:{pkg.name}", str(pkg)} & given:
            continue
        if pkg.name == "http":
            target, crate = _HTTP, "wasmtime-wasi-http"
        elif pkg.name in _WASI_PACKAGES:
            target, crate = f"{base}::{pkg.name}", "wasmtime-wasi"
        else:
            continue
        opts.with_.setdefault(f"wasi:{pkg.name}", target)
        crates.add(crate)
    dep: dict[str, object] = {
        "version": f"={rel.wasi}",
        "default-features": False,
        "features": ["p2"],
    }
    for crate in sorted(crates):
        opts.dependencies.setdefault(crate, dict(dep))
    opts.dependencies = dict(sorted(opts.dependencies.items()))
