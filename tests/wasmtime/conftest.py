"""Fixtures of the wasmtime target tests: one cargo workspace with every generated crate.

`wasmtime_setup.populate` generates, once per session, every crate the tests build (see its
module): every world of ../shared/corpus and of the conformance suite in both modes, the option
variants of tests/wasmtime/wit/options.wit, the runtime guests' crates, the Rust host programs
(tests/wasmtime/hosts) and the same hosts on `bindgen!`. Cargo runs once per kind of check over
the whole workspace, never once per crate; the target dir is `~/.cache/witgen/cargo-target`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.missing import missing
from support.rust import unusable
from wasmtime_setup import GenWorkspace, cargo_steps, populate
from wasmtime_ws import cargo_exe


def need(what: str) -> None:
    missing(f"{what} not found (scripts/setup-tests.sh installs it)")


@pytest.fixture(scope="session")
def cargo() -> str:
    exe = cargo_exe()
    if exe is None:
        need("cargo")
    why = unusable()
    if why:
        missing(why)
    return exe


@pytest.fixture(scope="session")
def workspace(cargo, shared_dir) -> GenWorkspace:
    return populate(shared_dir)


@pytest.fixture(scope="session")
def host_binaries(workspace: GenWorkspace) -> dict[str, Path]:
    key, cmd = next(step for step in cargo_steps(workspace) if step[0] == "build-hosts")
    proc = workspace.cargo_run(key, *cmd)
    if proc.returncode != 0:
        pytest.fail(f"building the host programs failed:\n{proc.stderr[-6000:]}", pytrace=False)
    return {h: workspace.binary(h) for h in workspace.hosts}
