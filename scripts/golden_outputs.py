"""Hash every file every target generates for every world we have, to prove a refactor
changes no output byte.

    python scripts/golden_outputs.py OUT.txt     # then diff two such files

Inputs: each world of `../shared/corpus/*`, of the wit-parser conformance pass cases, and of
every WIT folder/file under `tests/` and `testprojects/`; targets: `js` in each string
encoding, `wasmtime` in several option sets. A refusal (a WitError) is recorded as its message,
so errors must stay identical too. One line per file: `input world target/options path sha256`.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from witgen.model import Resolve

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

TARGETS: list[tuple[str, str, dict[str, object]]] = [
    ("js", "default", {}),
    ("js", "utf16", {"string_encoding": "utf16"}),
    ("js", "latin1", {"string_encoding": "latin1+utf16"}),
    ("wasmtime", "default", {}),
    ("wasmtime", "traits_only", {"traits_only": True}),
    ("wasmtime", "async", {"async": True}),
    ("wasmtime", "trappable", {"trappable_imports": True, "ownership": "borrowing"}),
    ("wasmtime", "dup", {"ownership": "borrowing-duplicate", "error_context": False}),
    ("wasmtime", "dylib", {"dynamic_linking": True, "additional_derives": ["Hash"]}),
]


def inputs() -> list[Path]:
    found: list[Path] = []
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        found += sorted(p for p in corpus.iterdir() if p.is_dir())
    ui = SHARED / "conformance" / "wit-parser-ui"
    if ui.is_dir():
        found += sorted(
            p
            for p in ui.iterdir()
            if not p.name.endswith(".json") and not p.name.startswith("parse-fail")
        )
    seen: set[Path] = set()
    for base in (ROOT / "tests", ROOT / "testprojects"):
        for wit in sorted(base.rglob("*.wit")):
            if any(part in ("node_modules", "target", "build", "deps") for part in wit.parts):
                continue
            folder = wit.parent
            # a folder of .wit files is one package; a lone file in a folder of cases is its own
            unit = folder if folder.name == "wit" or (folder / "deps").is_dir() else wit
            if unit not in seen:
                seen.add(unit)
                found.append(unit)
                if unit.is_dir() and not _loads(unit):  # a folder of unrelated cases
                    found += sorted(unit.glob("*.wit"))
    return found


def _loads(path: Path) -> bool:
    import witgen

    try:
        witgen.load(path)
    except witgen.WitError:
        return False
    return True


def world_lines(rel: Path, resolve: Resolve) -> list[str]:
    """One line per generated file (or refusal) of every world of `resolve`, every target."""
    from witgen.errors import WitError
    from witgen.targets import generate_files

    lines: list[str] = []
    for wid, world in enumerate(resolve.worlds):
        for target, label, opts in TARGETS:
            head = f"{rel} {world.name}#{wid} {target}/{label}"
            try:
                files = generate_files(target, resolve, wid, opts)
            except WitError as e:
                lines.append(f"{head} ERROR {hashlib.sha256(str(e).encode()).hexdigest()}")
                continue
            for name, data in sorted(files.items()):
                lines.append(f"{head} {name} {hashlib.sha256(data).hexdigest()}")
    return lines


def main() -> int:
    import witgen

    lines: list[str] = []
    for path in inputs():
        rel = path.relative_to(ROOT.parent) if path.is_relative_to(ROOT.parent) else path
        try:
            resolve = witgen.load(path)
        except witgen.WitError:
            continue  # not a valid input on its own (a failing case, or a dep of another)
        lines += world_lines(rel, resolve)
    Path(sys.argv[1]).write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
