"""The WASI command guest of tests/wasmtime (guests/command.c) as a component.

clang with wasi-libc builds a preview 1 *command* (`_start` calling `main`, no wit-bindgen); wit-
component's `wasi_snapshot_preview1` command adapter of the wasmtime release the hosts use
(`wasi-preview1-component-adapter-provider`, kept by scripts/setup/20-guests.sh beside the
reactor adapter) makes it a component that imports `wasi:*@0.2` and exports `wasi:cli/run`.
Cached under the guests cache, keyed by the source, the tools' versions and the adapter.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "guests" / "command.c"
COMMAND_ADAPTER = "wasi_snapshot_preview1.command.wasm"


def command_adapter() -> Path:
    from support import guests as g

    kept = g.cache_root() / "wasi-adapter" / g.WASI_ADAPTER_VERSION / COMMAND_ADAPTER
    if kept.is_file():
        return kept
    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    crate = f"{g.WASI_ADAPTER_CRATE}-{g.WASI_ADAPTER_VERSION}"
    for found in sorted((cargo_home / "registry" / "src").glob(f"*/{crate}/artefacts")):
        if (found / COMMAND_ADAPTER).is_file():
            return found / COMMAND_ADAPTER
    raise g.ToolMissing(
        f"the WASI command adapter ({crate}) not found; run scripts/setup/20-guests.sh"
    )


def command_component() -> Path:
    from support import guests as g

    adapter = command_adapter()
    clang, wasm_tools = g.clang(), g.wasm_tools()
    h = hashlib.sha256(b"wasi-command 1\n")
    for part in (
        SOURCE.read_bytes(),
        adapter.read_bytes(),
        g._version((clang, "--version")).encode(),
        g._version((wasm_tools, "--version")).encode(),
    ):
        h.update(hashlib.sha256(part).digest())
    dest = g.guests_cache() / "components" / f"command-{h.hexdigest()}.wasm"
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    core = dest.with_name(f".{os.getpid()}-core.wasm")
    tmp = dest.with_name(f".{os.getpid()}-{dest.name}")
    flags = [f"--target={g.C_TARGET}", "-O2", "-Wall", "-Wl,--strip-debug"]
    g.run([clang, *flags, *g._clang_sysroot_args(), SOURCE, "-o", core])
    g.run(
        [
            wasm_tools,
            "component",
            "new",
            core,
            "--adapt",
            f"wasi_snapshot_preview1={adapter}",
            "-o",
            tmp,
        ]
    )
    core.unlink()
    os.replace(tmp, dest)
    return dest
