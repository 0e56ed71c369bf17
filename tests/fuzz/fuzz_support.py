"""Shared by the fuzz tests: run settings, the tools they call (tsc, rustfmt, node), and the
checks every generated or replayed WIT text goes through.

Runs are derandomized (the same examples on every machine, no example database), so a failure
in CI reproduces locally with the same command; `WITGEN_FUZZ_EXAMPLES=2000` searches longer,
and `WITGEN_FUZZ_RANDOM=1` draws new examples on every run (hypothesis prints the seed of a
failure to replay it with).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, settings
from rust_names import rust_clashes
from support.missing import missing

import witgen
from witgen.targets import generate_files

EXAMPLES = int(os.environ.get("WITGEN_FUZZ_EXAMPLES", "0")) or None


def fuzz_settings(default: int) -> settings:
    """`default` examples in normal runs, `WITGEN_FUZZ_EXAMPLES` when set."""
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        derandomize=not os.environ.get("WITGEN_FUZZ_RANDOM"),
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def cache_root() -> Path:
    return Path(os.environ.get("WITGEN_CACHE") or Path.home() / ".cache" / "witgen")


def tool(name: str) -> str:
    """Path of node, tsc or rustfmt; skips (fails under CI) when it is not installed."""
    if name == "tsc":
        exe: str | None = str(cache_root() / "node" / "node_modules" / ".bin" / "tsc")
        if not Path(exe).exists():
            exe = None
    else:
        exe = shutil.which(name)
    if exe is None:
        missing(f"{name} not found (run scripts/setup-tests.sh)")
    return exe


#: The one front-end error without a location: no file has a `package` line.
UNLOCATED_OK = "no `package` header"


def check_wit_error(err: witgen.WitError, path: Path, text: str) -> None:
    """A WitError from loading `text` (at `path`) must point inside it."""
    rendered = err.render()
    if err.line is None and UNLOCATED_OK in err.message:
        return
    assert err.file is not None and err.line is not None and err.col is not None, (
        f"WitError without a location:\n{rendered}"
    )
    assert Path(err.file).resolve() == path.resolve(), f"error names {err.file!r}:\n{rendered}"
    lines = text.split("\n")
    assert 1 <= err.line <= len(lines), f"line {err.line} outside the file:\n{rendered}"
    assert 1 <= err.col <= len(lines[err.line - 1]) + 1, f"column outside the line:\n{rendered}"
    shown = lines[err.line - 1].expandtabs(4).rstrip("\r")
    assert f" | {shown}\n" in rendered, f"the rendering shows another line than {shown!r}:\n{rendered}"


def load_text(path: Path, text: str) -> witgen.model.Resolve | None:
    """Load `text` written at `path`; None when it is (cleanly) rejected."""
    path.write_text(text, encoding="utf-8")
    try:
        return witgen.load(path)
    except witgen.WitError as err:
        check_wit_error(err, path, text)
        return None


#: (target, exception, message part) of known, open bugs the corpus holds a strict-xfail
#: reproducer of (corpus/js-*-string-alias-*.wit, corpus/wasmtime-import-named-exports.wit);
#: remove an entry when its bug is fixed.
KNOWN_CRASHES: list[tuple[str, type[Exception], str]] = []


def _known_crash(target: str, err: Exception) -> bool:
    return any(t == target and isinstance(err, e) and m in str(err) for t, e, m in KNOWN_CRASHES)

#: tsc errors of known, open bugs with a strict-xfail reproducer in the corpus; remove a
#: pattern when its bug is fixed.
KNOWN_TS: list[str] = []

#: rustfmt errors of a known, open bug (issue #13, "Rust names"): a Rust keyword used as a name.
#: The corpus holds a reproducer (xfail); remove the pattern when that is fixed.
KNOWN_RUST: list[str] = []


#: what each case is generated as (folder: target and options); `wasmtime-opts` (the options
#: that add names and async signatures) is only scanned for name clashes, not run by rustfmt
TARGETS: dict[str, dict[str, object]] = {
    "js": {},
    "wasmtime": {},
    "wasmtime-opts": {"ownership": "borrowing-duplicate", "async": True},
    "python": {},
}


def _rustfmt(libs: list[str]) -> str | None:
    """rustfmt's errors for these crates, or None when they all parse."""
    proc = subprocess.run(
        [tool("rustfmt"), "--edition", "2021", "--emit", "stdout", *libs],
        capture_output=True,
        text=True,
    )
    return None if proc.returncode == 0 else proc.stderr


def main_worlds(resolve: witgen.model.Resolve) -> list[int]:
    assert resolve.main_package is not None
    return sorted(resolve.packages[resolve.main_package].worlds.values())


@dataclass
class Batch:
    """Generated packages collected under `root` to be checked by one tsc and one rustfmt run."""

    root: Path
    wit: dict[str, str] = field(default_factory=dict)  # case folder -> WIT text
    rejected: dict[str, int] = field(default_factory=dict)  # target -> worlds it refused
    strict: bool = False  # no KNOWN_CRASHES allowance (the corpus replay)

    def generate(self, text: str, resolve: witgen.model.Resolve) -> None:
        """Every target for every world of the main package: files, or a clean WitError."""
        for wid in main_worlds(resolve):
            case = f"c{len(self.wit)}"
            self.wit[case] = text + f"\n// world: {resolve.worlds[wid].name}\n"
            for target, opts in TARGETS.items():
                try:
                    files = generate_files(target.split("-")[0], resolve, wid, opts)
                except witgen.WitError as err:
                    err.render()
                    self.rejected[target] = self.rejected.get(target, 0) + 1
                    continue
                except Exception as err:
                    if self.strict or not _known_crash(target, err):
                        raise
                    continue
                for rel, data in files.items():
                    dest = self.root / case / target / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(data)

    def cases(self, target: str, marker: str) -> list[str]:
        return sorted(c for c in self.wit if (self.root / c / target / marker).exists())

    def check_ts(self) -> None:
        """Every `index.d.ts` passes `tsc --strict --noEmit` (one run for the batch)."""
        cases = self.cases("js", "index.d.ts")
        if not cases:
            return
        (self.root / "tsconfig.json").write_text(
            json.dumps(
                {
                    "compilerOptions": {
                        "strict": True,
                        "noEmit": True,
                        "target": "es2022",
                        "module": "nodenext",
                        "moduleResolution": "nodenext",
                        "lib": ["es2022", "dom", "esnext.disposable"],
                        "types": [],
                    },
                    "files": [f"{c}/js/index.d.ts" for c in cases],
                }
            )
        )
        proc = subprocess.run(
            [tool("tsc"), "-p", "tsconfig.json"], cwd=self.root, capture_output=True, text=True
        )
        if proc.returncode != 0:
            output = proc.stdout + proc.stderr
            errors = [ln for ln in output.splitlines() if ": error TS" in ln]
            known = errors and all(any(re.search(p, e) for p in KNOWN_TS) for e in errors)
            if self.strict or not known:
                self._fail("tsc", output, cases)

    def check_python(self) -> None:
        """Every generated Python module compiles (a syntax error or a bad name binding such as
        a duplicate parameter is a `SyntaxError`)."""
        for path in sorted((self.root).glob("*/python/**/*.py")):
            try:
                compile(path.read_bytes(), str(path), "exec")
            except SyntaxError as err:
                self._fail("python", f"{path}: {err}", [path.relative_to(self.root).parts[0]])

    def check_rust(self) -> None:
        """Every generated crate parses (`rustfmt` follows `mod` items from `src/lib.rs`), or
        fails in a known way (`KNOWN_RUST`), and defines no name twice (`rust_names.py`)."""
        unknown: dict[str, str] = {}
        cases = self.cases("wasmtime", "src/lib.rs")
        for i in range(0, len(cases), 50):
            chunk = cases[i : i + 50]
            if _rustfmt(self._libs(chunk)) is None:
                continue
            for case in chunk:  # find the culprits one by one
                err = _rustfmt(self._libs([case]))
                if err is not None and not any(re.search(p, err) for p in KNOWN_RUST):
                    unknown[case] = err
        if unknown:
            self._fail("rustfmt", "\n".join(unknown.values()), sorted(unknown))
        clashes = {c: self._clashes(c) for c in cases}
        clashes = {c: found for c, found in clashes.items() if found}
        if clashes:
            report = "\n".join(f"{c}/{line}" for c, found in clashes.items() for line in found)
            self._fail("the Rust name check", report, sorted(clashes))

    def check_rust_strict(self) -> dict[str, str]:
        """rustfmt's error of each crate that does not parse, known bug or not, or its name
        clashes."""
        cases = self.cases("wasmtime", "src/lib.rs")
        errors = {
            c: _rustfmt(self._libs([c])) or "\n".join(self._clashes(c))
            for c in cases
        }
        return {c: e for c, e in errors.items() if e}

    def _clashes(self, case: str) -> list[str]:
        """The Rust name clashes of `case`'s crates (default options and `wasmtime-opts`)."""
        return [
            f"{folder}/{line}"
            for folder in ("wasmtime", "wasmtime-opts")
            for line in rust_clashes(self.root / case / folder)
        ]

    def _libs(self, cases: list[str]) -> list[str]:
        return [str(self.root / c / "wasmtime" / "src" / "lib.rs") for c in cases]

    def _fail(self, what: str, output: str, cases: list[str]) -> None:
        bad = [c for c in cases if f"{c}/" in output] or cases[:1]
        wit = "\n".join(f"--- {c}:\n{self.wit[c]}" for c in bad[:3])
        raise AssertionError(f"{what} rejected generated code:\n{output[:6000]}\nfrom WIT:\n{wit}")
