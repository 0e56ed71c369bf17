"""The JS runtime of the component model's async ABI, in parts emitted only when used.

The parts are the JS files in `asyncrt/`: `core.js` (the handle table, waitables and waitable
sets, tasks of async exports driven through the callback ABI, the scheduler, the `$root`
built-ins), `imports.js` (async-lowered imports and subtasks), `copy.js` (stream and future
buffers and copies), `streams.js`, `futures.js` and `errctx.js`. Each file starts with a header
naming the part (`// part NAME: what it holds`), the parts it needs (`// needs: ...`) and the
helpers of `runtime.py` it uses (`// uses: ...`). `emit` writes the parts asked for and those
they need, always in the order of `PARTS`, so the output is deterministic and a world without
(say) futures has no future code. The generator adds `helpers(used)` to the `runtime.py`
helpers it emits. docs/js.md ("Async (in progress)") describes the model and the API.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from witgen.js import runtime

DIR = Path(__file__).with_name("asyncrt")

#: (part name, file) in emission order; a part comes after the parts it needs
PARTS = (
    ("ACore", "core.js"),
    ("AImport", "imports.js"),
    ("ACopy", "copy.js"),
    ("AStreams", "streams.js"),
    ("AFutures", "futures.js"),
    ("AErrCtx", "errctx.js"),
)


@dataclass(frozen=True)
class Part:
    """One runtime part: its name, the parts it needs, the runtime.py helpers it uses, its code."""

    name: str
    needs: tuple[str, ...]
    uses: tuple[str, ...]
    code: str


def _header(path: Path, text: str, key: str) -> tuple[str, ...]:
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        if line.startswith(f"// {key}:"):
            return tuple(line.split(":", 1)[1].split())
    raise ValueError(f"{path}: the header has no `// {key}:` line")


@functools.cache
def parts() -> dict[str, Part]:
    """Every part by name, read from `asyncrt/` and checked against `PARTS` and runtime.py."""
    out: dict[str, Part] = {}
    for name, file in PARTS:
        path = DIR / file
        text = path.read_text(encoding="utf-8")
        if not text.startswith(f"// part {name}:"):
            raise ValueError(f"{path}: must start with `// part {name}: ...`")
        needs, uses = _header(path, text, "needs"), _header(path, text, "uses")
        for dep in needs:
            if dep not in out:
                raise ValueError(f"{path}: needs `{dep}`, which is not an earlier part")
        for helper in uses:
            if helper not in runtime.H:
                raise ValueError(f"{path}: uses `{helper}`, which runtime.py does not define")
        out[name] = Part(name, needs, uses, text)
    return out


def closure(used: set[str]) -> list[str]:
    """The parts `used` and everything they need, in emission order."""
    table = parts()
    need: set[str] = set()

    def visit(name: str) -> None:
        if name not in table:
            raise KeyError(f"no async runtime part `{name}`")
        if name not in need:
            need.add(name)
            for dep in table[name].needs:
                visit(dep)

    for name in used:
        visit(name)
    return [name for name, _ in PARTS if name in need]


def helpers(used: set[str]) -> set[str]:
    """The runtime.py helpers the parts `used` (and those they need) call."""
    table = parts()
    return {h for name in closure(used) for h in table[name].uses}


def emit(used: set[str]) -> str:
    """The code of the parts `used` and those they need, in `PARTS` order."""
    table = parts()
    return "".join(table[name].code for name in closure(used))
