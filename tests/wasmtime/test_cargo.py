"""Every generated crate builds against the real `wasmtime` crate: clippy-clean in both modes,
`cargo fmt --check` clean; traits-only crates also without the `wasmtime` feature.

One cargo invocation per kind of check over the whole workspace (conftest.py): a warm run with
nothing changed is a fingerprint check, and a cold one builds wasmtime once.
"""

from __future__ import annotations

import re

import pytest

from witgen.wasmtime.versions import DEFAULT


def _fail_report(diags: dict[str, list[str]], limit: int = 8) -> str:
    lines = [f"{len(diags)} crate(s) with diagnostics:"]
    for crate, blocks in sorted(diags.items())[:limit]:
        lines.append(f"--- {crate}")
        lines.extend(blocks[:3])
    return "\n".join(lines)


def test_workspace_has_every_world(workspace):
    # (the name-clash crates of wit/name-clashes.wit have a `-full` crate but no `-traits` one)
    full = [c for c in workspace.crates if c.endswith("-full") and not c.startswith("kw-clash-")]
    traits = [c for c in workspace.crates if c.endswith("-traits")]
    # 69 conformance worlds + 19 corpus worlds (WASI 0.2 and wasi:http), each in both modes
    assert len(full) >= 100 and len(traits) == len(full)


def test_clippy_default_features(workspace):
    """`cargo clippy --workspace`: every crate (traits-only ones without the `wasmtime`
    feature, so with std alone), the host programs and the bindgen! compatibility hosts."""
    proc = workspace.cargo_run("clippy", "clippy", "--workspace", "--keep-going")
    diags = {k: v for k, v in workspace.diagnostics("clippy").items()}
    assert not diags, _fail_report(diags)
    assert proc.returncode == 0, proc.stderr[-4000:]


def test_clippy_all_features(workspace):
    """Traits-only crates with the `wasmtime` feature (derives and linker glue on) and `async`."""
    proc = workspace.cargo_run(
        "clippy-all", "clippy", "--workspace", "--keep-going", "--all-features"
    )
    diags = workspace.diagnostics("clippy-all")
    assert not diags, _fail_report(diags)
    assert proc.returncode == 0, proc.stderr[-4000:]


def test_cargo_fmt_check(workspace):
    proc = workspace.cargo_run("fmt", "fmt", "--all", "--check")
    if "rustfmt" in proc.stderr and "not installed" in proc.stderr:
        pytest.skip("rustfmt is not installed")
    files = re.findall(r"^Diff in (\S+?):\d+:", proc.stdout, re.M)
    assert proc.returncode == 0, (
        f"{len(set(files))} file(s) not rustfmt-clean, e.g. {sorted(set(files))[:5]}"
    )


def test_traits_only_default_build_has_no_wasmtime(workspace):
    crate = sorted(c for c in workspace.traits_only if c.startswith("wasi-http-p2"))[0]
    tree = workspace.ws.cargo("tree", "-p", crate, "-e", "normal", "--prefix", "none")
    assert tree.returncode == 0, tree.stderr
    assert "wasmtime v" not in tree.stdout
    with_feature = workspace.ws.cargo(
        "tree", "-p", crate, "-e", "normal", "--prefix", "none", "--features", "wasmtime"
    )
    assert f"wasmtime v{DEFAULT.version}" in with_feature.stdout


def test_keyword_names_compile(workspace):
    """Every Rust keyword (strict, reserved, weak; all editions) and std name in every WIT
    naming position (keywords.py) gives crates that check clippy-clean, in both modes."""
    from wasmtime_setup import keyword_crates

    names = [c for c, _ in keyword_crates()]
    assert set(names) <= set(workspace.crates) and len(names) > 20
    for key, args in (
        ("clippy", ("clippy", "--workspace", "--keep-going")),
        ("clippy-all", ("clippy", "--workspace", "--keep-going", "--all-features")),
    ):
        proc = workspace.cargo_run(key, *args)
        diags = {k: v for k, v in workspace.diagnostics(key).items() if "/kw-" in f"/{k}"}
        assert not diags, _fail_report(diags)
        failed = re.findall(r"could not compile `(kw-[\w-]+)`", proc.stderr)
        assert not failed, failed


def test_cargo_package_leaves_out_the_witgen_manifest(cargo, tmp_path):
    """`witgen generate` writes `.witgen-manifest.json` into the crate folder; `cargo package`
    must not ship it, also when the folder is committed to git (issue #17 item 7)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from support.rust import cargo_env

    repo = Path(__file__).resolve().parents[2]
    wit = repo / "tests" / "guests" / "c" / "hello" / "world.wit"
    out = tmp_path / "crate"
    cli = [sys.executable, "-m", "witgen", "generate", str(wit), "--world", "hello"]
    gen = subprocess.run([*cli, "--target", "wasmtime", "--out", str(out)], capture_output=True)
    assert gen.returncode == 0, gen.stderr
    assert (out / ".witgen-manifest.json").is_file()
    # in a git repository cargo ships every tracked file, dotfiles included
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "crate"]):
        assert subprocess.run([*git, *args], cwd=out, capture_output=True).returncode == 0
    env = {**os.environ, **cargo_env()}
    proc = subprocess.run(
        [cargo, "package", "--list", "--allow-dirty", "--offline"],
        cwd=out,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    shipped = set(proc.stdout.split())
    assert {"Cargo.toml", "src/lib.rs", "src/witgen_rt.rs"} <= shipped
    assert ".witgen-manifest.json" not in shipped


def test_cargo_test_in_a_generated_crate_links(workspace):
    """`cargo test` in the crate builds a binary whose wasmtime features come only from the
    crate: without wasmtime's `std` it fails to link (`undefined symbol: wasmtime_tls_get`,
    issue #17 item 4)."""
    from wasmtime_setup import cargo_steps

    key, cmd = next(step for step in cargo_steps(workspace) if step[0] == "test-crate")
    proc = workspace.cargo_run(key, *cmd)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "test result: ok." in proc.stdout
