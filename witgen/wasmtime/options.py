"""Options of the wasmtime target, mirroring those of `wasmtime::component::bindgen!`.

| option | values | bindgen! equivalent |
| --- | --- | --- |
| `crate_name` | a crate name (default: `<world>-host`) | |
| `traits_only` | bool | (none: types + Host traits, wasmtime behind a cargo feature) |
| `async` | bool, or a list of function filters | `imports`/`exports: { default: async }` / per name |
| `async_imports`, `async_exports` | as `async`, one side only | |
| `trappable_imports` | bool, or a list of function filters | `imports: { default: trappable }` |
| `trappable_error_type` | `{"ns:pkg/iface.type": "rust::Path"}` | `trappable_error_type` |
| `with` | `{"ns:pkg/iface": "rust::path", "ns:pkg/iface.type": "rust::Path"}` | `with` |
| `additional_derives` | list of derive paths | `additional_derives` |
| `ownership` | `owning` \\| `borrowing` \\| `borrowing-duplicate` | `ownership` |
| `wasmtime_version` | a supported major (`50`: witgen's exact release of it, see `versions.py`), an exact version (pinned), or any version requirement (written as given) | |
| `error_context` | bool (default true): name the WIT function in errors | |
| `dependencies` | `{"crate": "1.2" or {"path": "../x"}}` extra `[dependencies]` (crates `with` points into) | |
| `wasi` | `"wasmtime-wasi"`: every WASI 0.2 import served by wasmtime-wasi / wasmtime-wasi-http of the chosen release (`with`, link options and dependencies, see `wasi_remap.py`) | `with: { "wasi": wasmtime_wasi::p2::bindings::sync }` and the dependency by hand |

A function filter is `ns:pkg/iface.func` (also `ns:pkg/iface#func`), `iface.func`, a world-level
function name, or `[method]res.f`-style ABI names in place of `func`.

Every value is checked against its format (`formats.py`) before anything is generated: a bad
one is a `WitError` naming the option, the value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from witgen.errors import WitError

from . import formats, versions, wasi_remap
from .cargo_toml import DepSpec, dependency

#: the default `wasmtime_version`: the newest release stable Rust builds (versions.py)
WASMTIME_VERSION = versions.DEFAULT.pin

KNOWN = {
    "crate_name",
    "traits_only",
    "async",
    "async_imports",
    "async_exports",
    "trappable_imports",
    "trappable_error_type",
    "with",
    "additional_derives",
    "ownership",
    "wasmtime_version",
    "error_context",
    "dependencies",
    "dynamic_linking",
    "wasi",
}


@dataclass
class Filter:
    """`True` matches every function; otherwise the set of names that match."""

    all: bool = False
    names: frozenset[str] = frozenset()

    def matches(self, keys: list[str]) -> bool:
        return self.all or any(k in self.names for k in keys)


def _filter(value: object, name: str) -> Filter:
    if value is None or value is False:
        return Filter()
    if value is True:
        return Filter(all=True)
    if isinstance(value, str):
        value = [v for v in value.split(",") if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return Filter(names=frozenset(v.replace("#", ".") for v in value))
    raise WitError(f"wasmtime option `{name}` expects true/false or a list of function names")


def _mapping(value: object, name: str) -> dict[str, str]:
    """`{"wit.name": "rust::Path"}`: keys with `#` read as `.`, values Rust paths."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise WitError(f"wasmtime option `{name}` expects an object of strings")
    return {k.replace("#", "."): formats.rust_path(name, v) for k, v in value.items()}


def _bool(raw: dict[str, object], name: str, default: bool) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise formats.fail(name, value, "true or false")
    return value


def _derives(value: object) -> list[str]:
    if isinstance(value, str):
        value = [d for d in value.split(",") if d]
    if not isinstance(value, list):
        raise WitError("wasmtime option `additional_derives` expects a list of paths")
    return sorted({formats.rust_path("additional_derives", d) for d in value})


def _dependencies(value: object) -> dict[str, DepSpec]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise WitError("wasmtime option `dependencies` expects an object (crate name: spec)")
    return dict(sorted(dependency(k, v) for k, v in value.items()))


@dataclass
class Options:
    crate_name: str | None = None
    traits_only: bool = False
    async_imports: Filter = field(default_factory=Filter)
    async_exports: Filter = field(default_factory=Filter)
    trappable_imports: Filter = field(default_factory=Filter)
    trappable_error_type: dict[str, str] = field(default_factory=dict)
    with_: dict[str, str] = field(default_factory=dict)
    additional_derives: list[str] = field(default_factory=list)
    ownership: str = "owning"
    #: the requirement written to Cargo.toml, and the known release it selects (if any)
    wasmtime_version: str = WASMTIME_VERSION
    release: versions.Release | None = versions.DEFAULT
    error_context: bool = True
    dependencies: dict[str, DepSpec] = field(default_factory=dict)
    #: `"wasmtime-wasi"`: WASI 0.2 imports mapped onto wasmtime-wasi (wasi_remap.py)
    wasi: str | None = None
    #: also write `dylib/`, a dylib crate holding wasmtime, and a `dynamic-linking` feature
    dynamic_linking: bool = False

    @property
    def borrowing(self) -> bool:
        return self.ownership != "owning"

    @property
    def duplicate(self) -> bool:
        return self.ownership == "borrowing-duplicate"


def parse_options(raw: dict[str, object]) -> Options:
    unknown = sorted(set(raw) - KNOWN)
    if unknown:
        raise WitError(
            f"unknown wasmtime option(s): {', '.join(unknown)}; known: {', '.join(sorted(KNOWN))}"
        )
    o = Options()
    name = raw.get("crate_name")
    o.crate_name = None if name is None else formats.crate_name("crate_name", name)
    o.traits_only = _bool(raw, "traits_only", False)
    both = _filter(raw.get("async"), "async")
    o.async_imports = (
        _filter(raw.get("async_imports"), "async_imports") if "async_imports" in raw else both
    )
    o.async_exports = (
        _filter(raw.get("async_exports"), "async_exports") if "async_exports" in raw else both
    )
    o.trappable_imports = _filter(raw.get("trappable_imports"), "trappable_imports")
    o.trappable_error_type = _mapping(raw.get("trappable_error_type"), "trappable_error_type")
    o.with_ = _mapping(raw.get("with"), "with")
    o.additional_derives = _derives(raw.get("additional_derives", []))
    own = raw.get("ownership", "owning")
    if own not in ("owning", "borrowing", "borrowing-duplicate"):
        raise WitError(
            "wasmtime option `ownership` expects owning, borrowing or borrowing-duplicate"
        )
    o.ownership = str(own)
    choice = versions.choose(raw.get("wasmtime_version", versions.DEFAULT.major))
    o.wasmtime_version, o.release = choice.requirement, choice.release
    o.error_context = _bool(raw, "error_context", True)
    o.dynamic_linking = _bool(raw, "dynamic_linking", False)
    o.dependencies = _dependencies(raw.get("dependencies"))
    o.wasi = wasi_remap.value(raw.get("wasi"))
    return o
