"""Which Rust toolchain builds the generated wasmtime crates here.

Each wasmtime release the `wasmtime` target generates for (`witgen.wasmtime.versions`)
declares a minimum rustc; the default release builds on stable Rust, newer majors may need a
newer rustc. The machine's default toolchain may be older than that while rustup has a newer one
installed beside it (a nightly, say); toolchains cannot be downloaded here. `cargo_env(rust)`
gives the environment that makes rustup's `cargo` use the first installed toolchain that is new
enough for rustc `rust` (default: the default release's): nothing when the default one is,
`RUSTUP_TOOLCHAIN` when another is. Used by tests/wasmtime, tests/hooks, bench/ and scripts/setup/40-rust.sh (through
tests/wasmtime/wasmtime_setup.py).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

from witgen.wasmtime.versions import DEFAULT


def _version(out: str) -> tuple[int, int] | None:
    m = re.search(r"rustc (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _run(*cmd: str) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return p.stdout if p.returncode == 0 else ""


def needed(rust: str) -> tuple[int, int]:
    major, minor = rust.split(".")[:2]
    return int(major), int(minor)


def _rustup() -> str | None:
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    return shutil.which("rustup") or (
        str(home / "bin" / "rustup") if (home / "bin" / "rustup").exists() else None
    )


@functools.lru_cache(maxsize=8)
def toolchain(rust: str = DEFAULT.rust) -> tuple[str | None, str]:
    """(name, why): the toolchain to select (None = the default), or (None, reason) if none fits.

    The reason is empty when a toolchain fits.
    """
    want = needed(rust)
    rustc = shutil.which("rustc")
    default = _version(_run(rustc, "--version")) if rustc else None
    if default is not None and default >= want:
        return None, ""
    rustup = _rustup()
    if rustup is None:
        return None, f"rustc {default} is older than {want} and there is no rustup"
    names = [ln.split()[0] for ln in _run(rustup, "toolchain", "list").splitlines() if ln.strip()]
    # prefer released toolchains over nightlies when both fit
    for name in sorted(names, key=lambda n: ("nightly" in n, "beta" in n, n)):
        v = _version(_run(rustup, "run", name, "rustc", "--version"))
        if v is not None and v >= want:
            return name, ""
    found = ", ".join(names) or "none"
    return None, (
        f"no installed Rust toolchain has rustc >= {want[0]}.{want[1]} "
        f"(wasmtime's minimum); installed: {found}"
    )


def cargo_env(rust: str = DEFAULT.rust) -> dict[str, str]:
    """Environment additions for running `cargo` on crates needing rustc `rust`."""
    name, _ = toolchain(rust)
    return {"RUSTUP_TOOLCHAIN": name} if name else {}


def unusable(rust: str = DEFAULT.rust) -> str:
    """Why crates needing rustc `rust` cannot be built here ('' when they can)."""
    return toolchain(rust)[1]


if __name__ == "__main__":
    name, why = toolchain()
    print(why or name or "default")
