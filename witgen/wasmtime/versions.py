"""The wasmtime releases the `wasmtime` target generates for, and how `wasmtime_version` picks one.

A table, not a probe: generation never looks at the user's rustc, so the same inputs give the
same crate on every machine. Per major, the exact release a crate pins (`=X.Y.Z`, never a caret
requirement cargo would move) and that release's `rust-version`, both read from the crates.io
index (`cargo info wasmtime@X.Y.Z`). The release of a major is the newest one for which
`wasmtime`, `wasmtime-wasi` and `wasmtime-wasi-http` are all published, so a host that maps
WASI onto wasmtime-wasi (`wasi = "wasmtime-wasi"`) uses one version throughout; a major whose
WASI crates are not published has no `wasi` version and refuses that option.

Measured in the crates.io index (2026-12): wasmtime 48.0.0–48.0.11 need rustc 1.95, 49.0.0–49.0.5
1.96, 50.0.0–50.0.3 and 51.0.0 1.97; wasmtime-wasi and wasmtime-wasi-http are published up to
48.0.8, 49.0.5 and 50.0.1. 51.0.0 is not offered: the registry serves its index entry but not
its own dependency `wasmtime-internal-wit-bindgen = "=51.0.0"`, so no crate on it resolves and
nothing generated for it can be checked.

The default is the newest major whose `rust-version` the current stable Rust meets
(`STABLE_RUST`, the stable release when this table was last updated): a generated crate builds
on stable Rust out of the box, and a newer major is one option value away.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formats


@dataclass(frozen=True)
class Release:
    """One wasmtime release the generator knows."""

    major: int
    #: the exact wasmtime version (written as `=version`)
    version: str
    #: its `rust-version` (the oldest rustc that builds it)
    rust: str
    #: the wasmtime-wasi / wasmtime-wasi-http version of the same release, if published
    wasi: str | None

    @property
    def pin(self) -> str:
        return f"={self.version}"


#: every supported major, oldest first
RELEASES = (
    Release(48, "48.0.8", "1.95", "48.0.8"),
    Release(49, "49.0.5", "1.96", "49.0.5"),
    Release(50, "50.0.1", "1.97", "50.0.1"),
)
BY_MAJOR = {r.major: r for r in RELEASES}

#: the newest stable Rust when this table was last updated
STABLE_RUST = "1.95"


def _rust_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


#: the newest release the stable Rust builds: the default
DEFAULT = max(
    (r for r in RELEASES if _rust_key(r.rust) <= _rust_key(STABLE_RUST)), key=lambda r: r.major
)


def oldest_rust() -> str:
    return min((r.rust for r in RELEASES), key=_rust_key)


def release_for_rust(rust: str) -> Release | None:
    """The newest release that rustc `rust` builds (what an older rustc should pick)."""
    fits = [r for r in RELEASES if _rust_key(r.rust) <= _rust_key(rust)]
    return max(fits, key=lambda r: r.major) if fits else None


def supported() -> str:
    return ", ".join(f"{r.major} (={r.version}, rustc >= {r.rust})" for r in RELEASES)


@dataclass(frozen=True)
class Choice:
    """What `wasmtime_version` resolved to: the requirement written to Cargo.toml and the
    release it selects (None for a custom requirement, such as `">=48, <51"`)."""

    requirement: str
    release: Release | None


def choose(value: object) -> Choice:
    """`wasmtime_version`: a major (`50` or `"50"`) is that major's release, pinned; an exact
    version of a supported major (`"=50.0.3"`, or `"50.0.3"`, which is read as exact too) pins
    that version; any other version requirement (`">=48, <51"`, `"^50.0.1"`) is written as
    given, and the crate then names no `rust-version`."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        rel = _release(value, value)
        return Choice(rel.pin, rel)
    if isinstance(value, str) and value.strip().isdigit():
        rel = _release(value, int(value.strip()))
        return Choice(rel.pin, rel)
    req = formats.version_req("wasmtime_version", value)
    exact = req.strip().removeprefix("=").strip()
    parts = exact.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return Choice(f"={exact}", _release(value, int(parts[0])))
    return Choice(req, None)


def _release(value: object, major: int) -> Release:
    if major not in BY_MAJOR:
        raise formats.fail(
            "wasmtime_version",
            value,
            f"a version of a supported wasmtime major; supported: {supported()}",
        )
    return BY_MAJOR[major]
