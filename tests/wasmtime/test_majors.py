"""Every supported wasmtime major builds the corpus: `cargo check` of each major's workspace
(majors.py) with the toolchain its `rust-version` needs. One test per major, one cargo
invocation each; warm runs are fingerprint checks (scripts/setup/40-rust.sh prebuilds them)."""

from __future__ import annotations

import pytest
from majors import check_major
from support.missing import missing
from support.rust import unusable
from wasmtime_ws import errors_by_crate

from witgen.wasmtime.versions import RELEASES, Release


@pytest.mark.parametrize("rel", RELEASES, ids=lambda r: f"wasmtime-{r.major}")
def test_major_checks_the_corpus(cargo, shared_dir, rel: Release) -> None:
    why = unusable(rel.rust)
    if why:
        missing(f"wasmtime {rel.major}: {why}")
    ws, proc = check_major(shared_dir, rel)
    diags = errors_by_crate(proc.stderr)
    assert not diags, "\n".join(f"--- {k}\n" + "\n".join(v[:2]) for k, v in diags.items())
    assert proc.returncode == 0, proc.stderr[-4000:]
    # each crate was checked against that major's exact release
    lock = (ws.root / "Cargo.lock").read_text()
    assert f'name = "wasmtime"\nversion = "{rel.version}"' in lock
    if rel.wasi is not None:
        assert f'name = "wasmtime-wasi"\nversion = "{rel.wasi}"' in lock
        assert f'name = "wasmtime-wasi-http"\nversion = "{rel.wasi}"' in lock
    assert len(ws.members) >= 19
