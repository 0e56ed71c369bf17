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
| `wasmtime_version` | the version requirement written to Cargo.toml | |
| `error_context` | bool (default true): name the WIT function in errors | |
| `dependencies` | `{"crate": "1.2" or {"path": "../x"}}` extra `[dependencies]` (crates `with` points into) | |

A function filter is `ns:pkg/iface.func` (also `ns:pkg/iface#func`), `iface.func`, a world-level
function name, or `[method]res.f`-style ABI names in place of `func`.

Every value is checked against its format (`formats.py`) before anything is generated: a bad
one is a `WitError` naming the option, the value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from witgen.errors import WitError

from . import formats
from .cargo_toml import DepSpec, dependency

#: wasmtime major this target is written against (see docs/wasmtime.md)
WASMTIME_VERSION = "50.0.1"
#: the `rust-version` of that wasmtime release, written into generated crates that use it
WASMTIME_RUST_VERSION = "1.97"
#: the newest wasmtime whose generated crates build on an older rustc (`cargo info
#: wasmtime@48.0.8`: rust-version 1.95.0; 49.0.0 needs 1.96), and that rustc: what the
#: generated Cargo.toml tells a user whose rustc is older than `WASMTIME_RUST_VERSION`
OLDER_RUSTC_WASMTIME = ("48.0.8", "1.95")

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


def _version(value: object) -> str:
    # a whole number is a major version (`--opt wasmtime_version=50` reads it as JSON)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    return formats.version_req("wasmtime_version", value)


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
    wasmtime_version: str = WASMTIME_VERSION
    error_context: bool = True
    dependencies: dict[str, DepSpec] = field(default_factory=dict)
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
    o.wasmtime_version = _version(raw.get("wasmtime_version", WASMTIME_VERSION))
    o.error_context = _bool(raw, "error_context", True)
    o.dynamic_linking = _bool(raw, "dynamic_linking", False)
    o.dependencies = _dependencies(raw.get("dependencies"))
    return o
