"""One cargo workspace for every crate the wasmtime tests generate, built with one target dir.

The workspace lives outside the clone (`$WITGEN_CACHE/wasmtime-ws`, default
`~/.cache/witgen/wasmtime-ws`) and so does the target dir (`$WITGEN_CACHE/cargo-target`, shared
with bench/ and scripts/setup/40-rust.sh), so a warm run only re-checks what changed. Files are
written only when their bytes change: cargo's fingerprints look at mtimes, and regenerating
identical crates must not make cargo redo them.

Each test session registers its members, writes the workspace `Cargo.toml` once, and runs
`cargo check --workspace` (one invocation for all crates) — not one cargo run per crate.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from support.rust import cargo_env

from witgen.wasmtime.versions import DEFAULT

CACHE = Path(os.environ.get("WITGEN_CACHE", Path.home() / ".cache" / "witgen"))
WS = CACHE / "wasmtime-ws"
TARGET = CACHE / "cargo-target"
#: the lock file the setup script resolved, so all runs use the same dependency versions
LOCK_SEED = Path(__file__).resolve().parent / "Cargo.lock.seed"


def cargo_exe() -> str | None:
    return shutil.which("cargo") or (
        str(Path.home() / ".cargo/bin/cargo")
        if (Path.home() / ".cargo/bin/cargo").exists()
        else None
    )


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def crate_dir_name(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")


@dataclass
class Workspace:
    root: Path = WS
    members: dict[str, Path] = field(default_factory=dict)
    #: the rustc the crates need (their wasmtime's `rust-version`): picks the toolchain
    rust: str = DEFAULT.rust
    #: the lock file a new workspace starts from (None: cargo resolves)
    lock_seed: Path | None = LOCK_SEED
    #: optimize cranelift for the host programs (a workspace without them: off, or cargo warns
    #: that the profile names packages it does not have)
    host_profiles: bool = True

    def add_files(self, rel: str, files: dict[str, bytes]) -> Path:
        """Write a generated crate (files relative to its folder) as member `rel`."""
        d = self.root / rel
        for name, data in files.items():
            write_if_changed(d / name, data)
        # drop files a previous generation wrote that this one no longer has
        if d.is_dir():
            keep = {(d / n).resolve() for n in files}
            for p in sorted(d.rglob("*.rs")):
                if p.resolve() not in keep and "src" in p.relative_to(d).parts:
                    p.unlink()
        self.members[rel] = d
        return d

    def write_manifest(self) -> None:
        members = "\n".join(f'    "{m}",' for m in sorted(self.members))
        # the host programs compile components with cranelift: optimize it (and the parser),
        # or a componentize-py guest takes minutes to compile in a debug build
        opt = "".join(
            f"\n[profile.dev.package.{p}]\nopt-level = 2\n"
            for p in ("cranelift-codegen", "regalloc2", "wasmparser", "wasmtime-internal-cranelift")
            if self.host_profiles
        )
        # each crate is checked once per change: incremental caches would only cost disk
        text = (
            "# Written by tests/wasmtime: every generated crate and host program.\n"
            "[workspace]\n"
            'resolver = "2"\n'
            f"members = [\n{members}\n]\n"
            "\n[profile.dev]\nincremental = false\n" + opt
        )
        write_if_changed(self.root / "Cargo.toml", text.encode())
        lock = self.root / "Cargo.lock"
        if not lock.exists() and self.lock_seed is not None and self.lock_seed.exists():
            shutil.copyfile(self.lock_seed, lock)

    def cargo(
        self, *args: str, timeout: int = 3600, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        exe = cargo_exe()
        assert exe is not None
        e = dict(os.environ)
        e["CARGO_TARGET_DIR"] = str(TARGET)
        e.setdefault("CARGO_TERM_COLOR", "never")
        e.update(cargo_env(self.rust))
        if env:
            e.update(env)
        return subprocess.run(
            [exe, *args], cwd=self.root, capture_output=True, text=True, timeout=timeout, env=e
        )


def errors_by_crate(stderr: str) -> dict[str, list[str]]:
    """Group cargo's diagnostics (`error`/`warning` blocks) by the member folder they point at."""
    out: dict[str, list[str]] = {}
    blocks = re.split(r"\n(?=(?:error|warning)(?:\[\w+\])?: )", "\n" + stderr)
    for b in blocks:
        b = b.strip()
        if not b.startswith(("error", "warning")):
            continue
        if b.startswith(("warning: `", "error: could not compile", "warning: build failed")):
            continue
        m = re.search(r"--> ([^:\s]+)", b)
        key = m.group(1).split("/src/")[0] if m else "?"
        out.setdefault(key, []).append(b)
    return out
