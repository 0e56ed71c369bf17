"""`wasmtime_version` and `wasi`: the release table against the crates.io index, the default
against the installed stable Rust, option values and their errors, and what they write.

Whether each major's crates build is test_majors.py; running a WASI guest through
`wasi = "wasmtime-wasi"` is test_runtime_wasi.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from support.missing import missing
from wasmtime_ws import cargo_exe

import witgen
from witgen.errors import WitError
from witgen.wasmtime import generate
from witgen.wasmtime.versions import BY_MAJOR, DEFAULT, RELEASES, STABLE_RUST, Release

HERE = Path(__file__).resolve().parent
OPTIONS_WIT = HERE / "wit" / "options.wit"
SHARED = HERE.parents[2] / "shared"


def gen(options=None, wit=OPTIONS_WIT, world="opts") -> dict[str, str]:
    r = witgen.load(wit)
    return {k: v.decode() for k, v in generate(r, r.select_world(world), options or {}).items()}


def corpus_gen(folder: str, world: str, options: dict) -> dict[str, str]:
    r = witgen.load(SHARED / "corpus" / folder, all_features=True)  # as the target loads WIT
    return {k: v.decode() for k, v in generate(r, r.select_world(world), options).items()}


def _cargo_info(crate: str, version: str) -> dict[str, str]:
    exe = cargo_exe()
    if exe is None:
        missing("cargo not found")
    p = subprocess.run(
        [exe, "info", f"{crate}@{version}", "--offline"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
    )
    if p.returncode != 0:
        missing(f"cargo info {crate}@{version} --offline: {p.stderr.strip()[-300:]}")
    return dict(re.findall(r"^([\w-]+): (\S+)", p.stdout, re.M))


@pytest.mark.parametrize("rel", RELEASES, ids=lambda r: f"wasmtime-{r.major}")
def test_release_table_matches_the_crates_io_index(rel: Release) -> None:
    """The exact version and `rust-version` of each release, as the registry index has them
    (`cargo info --offline` reads the index cargo fetched when building them)."""
    info = _cargo_info("wasmtime", rel.version)
    assert info["version"] == rel.version
    assert info["rust-version"] == f"{rel.rust}.0"
    if rel.wasi is not None:
        for crate in ("wasmtime-wasi", "wasmtime-wasi-http"):
            info = _cargo_info(crate, rel.wasi)
            assert info["rust-version"] == f"{rel.rust}.0", crate


def test_default_builds_on_the_installed_stable_rust() -> None:
    """The default is the newest release whose `rust-version` stable Rust meets: stable
    (rustup's `stable`, else the default rustc) is at least its rust-version, and every newer
    major needs more than `STABLE_RUST`."""
    p = subprocess.run(["rustc", "+stable", "--version"], capture_output=True, text=True)
    if p.returncode != 0:
        p = subprocess.run(["rustc", "--version"], capture_output=True, text=True)
    m = re.match(r"rustc (\d+)\.(\d+)", p.stdout)
    if m is None:
        missing("no rustc")
    stable = (int(m.group(1)), int(m.group(2)))
    assert tuple(map(int, DEFAULT.rust.split("."))) <= stable
    assert tuple(map(int, STABLE_RUST.split("."))) <= stable
    assert DEFAULT.major == 48 and DEFAULT.version == "48.0.8"
    for rel in RELEASES:
        if rel.major > DEFAULT.major:
            assert tuple(map(int, rel.rust.split("."))) > tuple(map(int, STABLE_RUST.split(".")))


def test_default_is_an_exact_pin_with_rust_version() -> None:
    doc = tomllib.loads(gen()["Cargo.toml"])
    assert doc["dependencies"]["wasmtime"]["version"] == "=48.0.8"
    assert doc["package"]["rust-version"] == "1.95"


@pytest.mark.parametrize(
    ("value", "requirement", "rust"),
    [
        (48, "=48.0.8", "1.95"),
        ("49", "=49.0.5", "1.96"),
        (50, "=50.0.1", "1.97"),
        # an exact version is pinned: cargo reads a bare `50.0.1` as `^50.0.1` (issue #17)
        ("50.0.1", "=50.0.1", "1.97"),
        ("=50.0.3", "=50.0.3", "1.97"),
        # any other requirement is written as given, and no rust-version is claimed
        (">=48, <51", ">=48, <51", None),
        ("^50.0.1", "^50.0.1", None),
    ],
)
def test_wasmtime_version_values(value, requirement, rust) -> None:
    doc = tomllib.loads(gen({"wasmtime_version": value})["Cargo.toml"])
    assert doc["dependencies"]["wasmtime"]["version"] == requirement
    assert doc["package"].get("rust-version") == rust


@pytest.mark.parametrize("value", [47, 51, "52", "=51.0.0", "47.0.1", "0"])
def test_unsupported_majors_list_the_supported_ones(value) -> None:
    with pytest.raises(WitError) as e:
        gen({"wasmtime_version": value})
    msg = str(e.value)
    assert msg.startswith(f"error: wasmtime option `wasmtime_version`: {json.dumps(value)} is not ")
    assert "supported: 48 (=48.0.8, rustc >= 1.95), 49 (=49.0.5, rustc >= 1.96), " in msg
    assert msg.endswith("50 (=50.0.1, rustc >= 1.97)")


def test_cargo_toml_and_crate_docs_name_the_value_for_an_older_rustc() -> None:
    files = gen({"wasmtime_version": 50})
    toml, lib = files["Cargo.toml"], files["src/lib.rs"]
    assert (
        "# wasmtime =50.0.1 needs rustc >= 1.97.\n"
        "# With rustc 1.96, generate with the witgen option `wasmtime_version = 49`\n"
        "#   or, with rustc 1.95, generate with the witgen option `wasmtime_version = 48`.\n"
        'rust-version = "1.97"\n'
    ) in toml
    assert "//! Needs rustc >= 1.97 (wasmtime `=50.0.1`); with rustc 1.96, generate\n" in lib
    # each named value is a release that rustc builds
    for rustc, major in [("1.96", 49), ("1.95", 48)]:
        assert BY_MAJOR[major].rust == rustc
    # the default needs only the oldest supported rustc: nothing older to offer
    assert "# wasmtime =48.0.8 needs rustc >= 1.95.\nrust-version" in gen()["Cargo.toml"]


def test_wasi_option_maps_wasi_onto_wasmtime_wasi() -> None:
    files = corpus_gen("wasi-p2", "wasi:cli/command", {"wasi": "wasmtime-wasi"})
    doc = tomllib.loads(files["Cargo.toml"])
    assert doc["dependencies"]["wasmtime-wasi"] == {
        "version": "=48.0.8",
        "default-features": False,
        "features": ["p2"],
    }
    assert "wasmtime-wasi-http" not in doc["dependencies"]
    assert [f for f in files if f.startswith("src/wasi/")] == []  # nothing generated for WASI
    lib = files["src/lib.rs"]
    assert "pub use wasmtime_wasi::p2::bindings::sync::cli::environment::*;" in lib
    # the interface with @unstable items gets the world's `LinkOptions`, converted (as bindgen!)
    assert re.search(
        r"sockets::network::add_to_linker::<T, D>\(\s*linker,\s*&options.into\(\),", lib
    )
    assert re.search(r"sockets::tcp::add_to_linker::<T, D>\(\s*linker,\s*host_getter,?\s*\)", lib)
    asy = corpus_gen("wasi-p2", "wasi:cli/command", {"wasi": "wasmtime-wasi", "async": True})
    assert "pub use wasmtime_wasi::p2::bindings::cli::environment::*;" in asy["src/lib.rs"]


def test_wasi_option_maps_wasi_http_onto_wasmtime_wasi_http() -> None:
    files = corpus_gen("wasi-http-p2", "wasi:http/proxy", {"wasi": "wasmtime-wasi"})
    deps = tomllib.loads(files["Cargo.toml"])["dependencies"]
    assert deps["wasmtime-wasi-http"]["version"] == deps["wasmtime-wasi"]["version"] == "=48.0.8"
    lib = files["src/lib.rs"]
    assert "pub use wasmtime_wasi_http::p2::bindings::http::types::*;" in lib
    assert re.search(r"http::types::add_to_linker::<T, D>\(\s*linker,\s*&options.into\(\)", lib)
    v50 = corpus_gen(
        "wasi-http-p2", "wasi:http/proxy", {"wasi": "wasmtime-wasi", "wasmtime_version": 50}
    )
    assert tomllib.loads(v50["Cargo.toml"])["dependencies"]["wasmtime-wasi-http"]["version"] == (
        "=50.0.1"
    )


def test_wasi_option_leaves_the_users_entries() -> None:
    opts = {
        "wasi": "wasmtime-wasi",
        "with": {"wasi:cli": "my_cli"},
        "dependencies": {"wasmtime-wasi": "48.0.8", "my_cli": {"path": "../cli"}},
    }
    files = corpus_gen("wasi-p2", "wasi:cli/command", opts)
    doc = tomllib.loads(files["Cargo.toml"])
    # a version given as a string is written as a TOML string (issue #17: it was a bare float)
    assert doc["dependencies"]["wasmtime-wasi"] == "48.0.8"
    assert 'wasmtime-wasi = "48.0.8"\n' in files["Cargo.toml"]
    assert "pub use my_cli::environment::*;" in files["src/lib.rs"]
    assert "pub use wasmtime_wasi::p2::bindings::sync::io::streams::*;" in files["src/lib.rs"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"wasi": "wasmtime_wasi"},
            'wasmtime option `wasi`: "wasmtime_wasi" is not one of "wasmtime-wasi"; '
            'did you mean "wasmtime-wasi"?',
        ),
        ({"wasi": True}, 'option `wasi`: true is not one of "wasmtime-wasi"'),
        ({"wasi": "wasmtime-wasi", "wasmtime_version": ">=48"}, "has none"),
        ({"wasi": "wasmtime-wasi", "traits_only": True}, "not available with `traits_only`"),
    ],
)
def test_wasi_option_errors(options, message) -> None:
    with pytest.raises(WitError, match=re.escape(message)):
        corpus_gen("wasi-p2", "wasi:cli/command", options)


def test_wasi_option_refuses_wasi_0_3() -> None:
    r = witgen.load(SHARED / "corpus" / "wasi-p3")
    with pytest.raises(WitError, match=r"is WASI 0\.3\.\S+; .* maps WASI 0\.2 interfaces only"):
        generate(r, r.select_world("wasi:cli/command"), {"wasi": "wasmtime-wasi"})
