"""The reference WIT in `../shared`, as test cases: where it is, what each case expects.

Used by tests/frontend/ (as `support.wit_cases`: tests/conftest.py's folder is on `sys.path`)
and by scripts/conformance_rate.py. Knows nothing about pytest.

Layout (see ../shared/README.md):
- `conformance/wit-parser-ui/X.wit` or `X/` outside `parse-fail/`: must resolve to `X.wit.json`.
- `conformance/wit-parser-ui/parse-fail/X.wit` or `X/`: must be rejected where `X.wit.result` says.
- `corpus/*/`: real-world WIT directories; the reference is `wasm-tools component wit --json`.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
UI_SUBDIR = Path("conformance") / "wit-parser-ui"
#: the `@unstable` feature set wit-parser's UI suite resolves with
FEATURES = frozenset({"active"})
WASM_TOOLS_VERSION = "1.262"


def find_shared() -> Path | None:
    """`../shared` beside the clone, or None when it is absent."""
    shared = (REPO_ROOT.parent / "shared").resolve()
    return shared if shared.is_dir() else None


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """`file` is relative to the folder holding the case (posix separators); 1-based line/col."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class PassCase:
    name: str  # `X.wit` or `X` (a directory)
    path: Path
    expected: Path  # X.wit.json


@dataclass(frozen=True)
class FailCase:
    name: str
    path: Path
    result: Path  # X.wit.result


#: Pass cases of the snapshot that wasm-tools 1.262 rejects, and so must witgen: 1.262 forbids
#: empty records (`record r {}`), which the snapshot still allowed. The location is where 1.262
#: reports the first empty record.
EMPTY_RECORD_DIVERGENCES: dict[str, Location] = {
    "multi-file": Location("multi-file/bar.wit", 4, 10),
    "types.wit": Location("types.wit", 24, 10),
    "union-fuzz-2.wit": Location("union-fuzz-2.wit", 11, 12),
    "use-chain.wit": Location("use-chain.wit", 4, 10),
}

#: Parse-fail cases where wasm-tools 1.262 reports another location than the snapshot's
#: `.wit.result`; witgen follows 1.262. Checked against the real wasm-tools when it is installed.
LOCATION_DIVERGENCES: dict[str, tuple[Location, str]] = {
    "async-bad-world3": (
        Location("async-bad-world3.wit", 5, 10),
        "1.262 rejects the empty `record x {}` before it sees the import/type name clash",
    ),
    "bad-resource8": (
        Location("bad-resource8.wit", 5, 5),
        "1.262 reports the clash of `[method]a.a` with the resource's other `a` at the first `a`",
    ),
    "import-and-export5": (
        Location("import-and-export5.wit", 4, 10),
        "1.262 rejects the empty `record x {}` before the transitive-dependency check",
    ),
    "case-insensitive-duplicates": (
        Location("case-insensitive-duplicates.wit", 8, 10),
        "the snapshot's message has no location; 1.262 points at the second `GET-USER`",
    ),
}


def ui_dir(shared: Path) -> Path:
    return shared / UI_SUBDIR


def _case_entries(folder: Path) -> list[tuple[str, Path]]:
    out = []
    for p in sorted(folder.iterdir()):
        if p.is_dir() and p.name != "parse-fail":
            out.append((p.name, p))
        elif p.is_file() and p.suffix == ".wit":
            out.append((p.name, p))
    return out


def _expected_file(case: Path, suffix: str) -> Path:
    base = case.name if case.is_dir() else case.name[: -len(".wit")]
    return case.parent / f"{base}.wit{suffix}"


def pass_cases(shared: Path) -> list[PassCase]:
    return [
        PassCase(name, path, _expected_file(path, ".json"))
        for name, path in _case_entries(ui_dir(shared))
    ]


def fail_cases(shared: Path) -> list[FailCase]:
    return [
        FailCase(name.removesuffix(".wit"), path, _expected_file(path, ".result"))
        for name, path in _case_entries(ui_dir(shared) / "parse-fail")
    ]


# --- locations in error text -----------------------------------------------------------------

_ARROW = re.compile(r"-->\s*(\S+?):(\d+):(\d+)")
_ANY = re.compile(r"(\S+?\.wit):(\d+):(\d+)")


def error_locations(text: str, prefix: str = "") -> list[Location]:
    """Locations an error text names, with `prefix` (e.g. `tests/ui/parse-fail/`) cut off.

    The ` --> file:line:col` line when there is one; else every `file.wit:line:col` (wit-parser
    prints `file:line:col: msg` for some lexer errors, and a `* file:line:col` list when a
    package is defined twice). Empty when the text names no location.
    """
    arrow = _ARROW.search(text)
    found = [arrow] if arrow else list(_ANY.finditer(text))
    out = []
    for m in found:
        file = m.group(1).removeprefix(prefix)
        out.append(Location(file, int(m.group(2)), int(m.group(3))))
    return out


def expected_fail_locations(case: FailCase) -> tuple[list[Location], str | None]:
    """The locations witgen may report for a parse-fail case (any one of them), and the reason
    when they come from wasm-tools 1.262 rather than the snapshot's `.wit.result`."""
    if case.name in LOCATION_DIVERGENCES:
        loc, why = LOCATION_DIVERGENCES[case.name]
        return [loc], why
    return error_locations(case.result.read_text(), "tests/ui/parse-fail/"), None


def same_file(reported: str | None, case_folder: Path, rel: str) -> bool:
    """Does the file witgen reported name `case_folder/rel`?"""
    if reported is None:
        return False
    target = (case_folder / rel).resolve()
    if Path(reported).resolve() == target:
        return True
    posix = Path(reported).as_posix()
    return posix == rel or posix.endswith("/" + rel)


def location_matches(err, case_folder: Path, expected: list[Location]) -> bool:
    return any(
        same_file(err.file, case_folder, loc.file) and err.line == loc.line and err.col == loc.col
        for loc in expected
    )


# --- wasm-tools ------------------------------------------------------------------------------


def wasm_tools_exe() -> str | None:
    """The real wasm-tools binary (not the Python console-script wrapper), None if not installed."""
    from support.wasm_tools_json import WasmToolsError, wasm_tools

    try:
        return wasm_tools()
    except WasmToolsError:
        return None


def wasm_tools_version(exe: str) -> str:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    return out.split()[1]


def wasm_tools_wit(
    exe: str, path: Path, *, json_out: bool = True, features=(), cwd: Path | None = None
) -> subprocess.CompletedProcess:
    cmd = [exe, "component", "wit"]
    if json_out:
        cmd.append("--json")
    if features:
        cmd += ["--features", ",".join(sorted(features))]
    cmd.append(str(path))
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)


def wasm_tools_error_location(exe: str, case: FailCase) -> list[Location]:
    """Where wasm-tools reports the error of a parse-fail case (run from `parse-fail/`)."""
    folder = case.path.parent
    proc = wasm_tools_wit(exe, Path(case.path.name), json_out=False, features=FEATURES, cwd=folder)
    if proc.returncode == 0:
        raise AssertionError(f"wasm-tools accepted parse-fail case {case.name}")
    return error_locations(proc.stderr)
