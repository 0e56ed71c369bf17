"""One small cargo workspace per supported wasmtime major.

The default release is also built, clippy-checked and run by the main workspace
(wasmtime_setup.py), which has the corpus's WASI 0.2 worlds but not its WASI 0.3 ones. Every major
of `witgen.wasmtime.versions.RELEASES` gets `$WITGEN_CACHE/wasmtime-ws-<major>`:
every world of ../shared/corpus (WASI 0.2 and 0.3, wasi:http) generated with
`wasmtime_version = <major>`, plus the WASI 0.2 worlds with `wasi = "wasmtime-wasi"` where that
major has a wasmtime-wasi, checked by one `cargo check --workspace` with the toolchain that
major needs (stable 1.95 for 48, a 1.97 nightly here for 49 and 50). The target dir is the shared one, so a warm run is a
fingerprint check; scripts/setup/40-rust.sh prebuilds them (`wasmtime_setup.py --prebuild`).
The lock file each workspace starts from is `locks/wasmtime-<major>.lock`, so every run
resolves the same dependency versions.
"""

from __future__ import annotations

from pathlib import Path

from wasmtime_ws import CACHE, Workspace, crate_dir_name

from witgen.wasmtime.versions import Release

HERE = Path(__file__).resolve().parent
LOCKS = HERE / "locks"

#: corpus folders whose worlds every major checks
CORPUS = ("wasi-p2", "wasi-http-p2", "wasi-p3", "wasi-http-p3")
#: (corpus folder, world) generated with `wasi = "wasmtime-wasi"` too
WASI_WORLDS = (("wasi-p2", "wasi:cli/command"), ("wasi-http-p2", "wasi:http/proxy"))


def populate_major(shared: Path, rel: Release) -> Workspace:
    """Generate the corpus crates of wasmtime `rel` into its workspace and write the manifest."""
    import witgen
    from witgen.wasmtime import generate

    ws = Workspace(
        root=CACHE / f"wasmtime-ws-{rel.major}",
        rust=rel.rust,
        lock_seed=LOCKS / f"wasmtime-{rel.major}.lock",
        host_profiles=False,
    )
    for folder in CORPUS:
        r = witgen.load(shared / "corpus" / folder, all_features=True)  # as the target loads WIT
        for wid, w in enumerate(r.worlds):
            pkg = r.packages[w.package].name if w.package is not None else None
            name = crate_dir_name(f"m{rel.major}-{folder}-{pkg.name if pkg else ''}-{w.name}")
            opts: dict[str, object] = {"crate_name": name, "wasmtime_version": rel.major}
            ws.add_files(f"gen/{name}", generate(r, wid, opts))
        for wfolder, world in WASI_WORLDS:
            if folder != wfolder or rel.wasi is None:
                continue
            name = crate_dir_name(f"m{rel.major}-{folder}-{world}-wasi")
            opts = {"crate_name": name, "wasmtime_version": rel.major, "wasi": "wasmtime-wasi"}
            ws.add_files(f"gen/{name}", generate(r, r.select_world(world), opts))
    ws.write_manifest()
    return ws


def check_major(shared: Path, rel: Release):
    """`cargo check --workspace` of the major's workspace (the completed process)."""
    ws = populate_major(shared, rel)
    return ws, ws.cargo("check", "--workspace", "--keep-going")
