"""The optional guest build step of a binding (`guest-build` in its config, see `witgen.config`).

Before a binding is generated, `run_guest_build` runs the configured command (an argument
array, no shell, in the project root) when it is *stale*: when the files its `inputs` patterns
match, their contents, the command itself, or the output's bytes differ from what a stamp file
recorded the last time it succeeded. A fresh step costs one glob and one hash per input file;
the command is not started.

The stamp (`build/witgen/guest-build/<id>.json`, `<id>` from the output path) is written only
after the command succeeded and produced its output, so a failed or killed run is retried by
the next build. The inputs are hashed *before* the command runs: an edit made while it runs is
caught by the next build. The output itself is never an input (a pattern such as `guest/**`
would otherwise make every run stale the next one). Concurrent builds of the same output take
a lock around the check and the run, so the command runs once.

Every failure is a `WitError` made by the caller's `fail(key, message)` (pointing at the
`guest-build` key of the config) and is raised before any binding is generated, so the
previous outputs stay as they were: a command that cannot be started, a non-zero exit (with
the end of its stderr), an output that is missing afterwards, a pattern matching no file.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from witgen import inputfiles
from witgen.config import GuestBuild
from witgen.engine.hashing import canonical_json, sha256_file
from witgen.engine.lock import OutputLock
from witgen.engine.publish import atomic_write
from witgen.errors import WitError

#: how much of a failed command's output an error shows (its last lines)
TAIL_LINES = 40

Fail = Callable[[str, str], WitError]


def stamp_path(build_dir: Path, gb: GuestBuild) -> Path:
    """Where the stamp of `gb` (one per output file) lives."""
    name = hashlib.sha256(gb.output_rel.encode("utf-8")).hexdigest()[:16]
    return build_dir / "guest-build" / f"{name}.json"


def input_files(root: Path, gb: GuestBuild, fail: Fail) -> dict[str, str]:
    """`{root-relative POSIX path: sha256}` of the files the `inputs` patterns match, sorted;
    a pattern that matches no file is an error (a typo would otherwise never rebuild)."""
    found: dict[str, str] = {}
    for i, pattern in enumerate(gb.inputs):
        hits = [
            Path(rel).as_posix()
            for rel in glob.glob(pattern, root_dir=root, recursive=True)
            if os.path.isfile(root / rel)
        ]
        hits = [rel for rel in hits if rel != gb.output_rel]
        if not hits:
            raise fail(f"{gb.key}.inputs[{i}]", f"`{pattern}` matches no file")
        for rel in hits:
            found.setdefault(rel, "")
    return {rel: sha256_file(root / rel) for rel in sorted(found)}


def _record(gb: GuestBuild, inputs: dict[str, str]) -> dict[str, object]:
    output = sha256_file(gb.output) if gb.output.is_file() else None
    return {"command": list(gb.command), "inputs": inputs, "output": output}


def _read_stamp(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_guest_build(
    root: Path, build_dir: Path, gb: GuestBuild, fail: Fail, log: Callable[[str], None]
) -> bool:
    """Run `gb`'s command if its inputs, command or output changed; True if it ran."""
    start = time.perf_counter()
    stamp = stamp_path(build_dir, gb)
    what = f"witgen: guest-build `{shlex.join(gb.command)}` -> {gb.output_rel}"
    if _read_stamp(stamp) == _record(gb, input_files(root, gb, fail)):
        log(f"{what}: up to date")
        return False
    with OutputLock(stamp):
        inputs = input_files(root, gb, fail)  # another build may have run it meanwhile
        if _read_stamp(stamp) == _record(gb, inputs):
            log(f"{what}: up to date")
            return False
        _run(root, gb, fail)
        problem = inputfiles.file_problem(gb.output)
        if problem is not None:
            raise fail(
                f"{gb.key}.output",
                f"{gb.output_rel} {problem} after `{shlex.join(gb.command)}` succeeded",
            )
        stamp.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(stamp, (canonical_json(_record(gb, inputs)) + "\n").encode("utf-8"))
    log(f"{what}: ran ({time.perf_counter() - start:.1f} s)")
    return True


def _run(root: Path, gb: GuestBuild, fail: Fail) -> None:
    shown = shlex.join(gb.command)
    try:
        proc = subprocess.run(
            gb.command,
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
        )
    except FileNotFoundError:
        raise fail(
            f"{gb.key}.command[0]", f"`{gb.command[0]}` not found (is it installed and on PATH?)"
        ) from None
    except OSError as e:
        raise fail(f"{gb.key}.command[0]", f"cannot run `{gb.command[0]}`: {e.strerror}") from None
    if proc.returncode == 0:
        return
    how = (
        f"was killed by signal {-proc.returncode}"
        if proc.returncode < 0
        else f"failed with exit status {proc.returncode}"
    )
    tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-TAIL_LINES:]
    shown_tail = "\n".join(f"  | {line}" for line in tail) if tail else "  (no output)"
    raise fail(
        f"{gb.key}.command",
        f"`{shown}` {how}; the bindings were not generated (previous outputs kept):\n{shown_tail}",
    )
