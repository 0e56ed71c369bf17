"""Running the Rust host programs of tests/wasmtime on real guest components.

`guest_component(kind, name)` builds (or finds cached) a guest's component; a missing tool
skips, or fails under CI=true. `run_host(binary, *args)` runs a host program, requires exit
status 0 and returns the `name = value` lines it printed as a dict, with all its stdout lines;
`host_values` returns the dict alone.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.missing import missing


def guest_component(kind: str, name: str) -> Path:
    from support import guests as g

    try:
        return g.build_py_guest(name) if kind == "py" else g.c_guest_component(name)
    except g.ToolMissing as e:
        missing(str(e))
        raise  # unreachable: missing() skips or fails


def run_host(
    binary: Path, *args: Path | str, timeout: int = 900
) -> tuple[dict[str, str], list[str]]:
    proc = subprocess.run(
        [str(binary), *map(str, args)], capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"{binary.name} failed:\n{proc.stdout}\n{proc.stderr}"
    lines = proc.stdout.splitlines()
    values = {}
    for line in lines:
        if " = " in line:
            k, _, v = line.partition(" = ")
            values[k] = v
    return values, lines


def host_values(binary: Path, *args: Path | str, timeout: int = 900) -> dict[str, str]:
    return run_host(binary, *args, timeout=timeout)[0]
