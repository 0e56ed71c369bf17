"""The build-hook configuration: one schema for `hatch_wit` and `setuptools_wit`, and applying it.

The schema (documented for users in `docs/config.md`) lives in one table: hatch reads
`[tool.hatch.build.hooks.wit]`, setuptools `[tool.witgen]`. The table either *is* one binding
(its keys are binding keys; an empty table is the zero-config binding) or holds
`bindings = [...]`, an array of binding tables:

| key            | type          | default                        | meaning                              |
| -------------- | ------------- | ------------------------------ | ------------------------------------ |
| `name`         | string        | world-target, or the target    | names the binding (messages, cache)  |
| `wit`          | path          | `wit`                          | `.wit` file or WIT folder (+ `deps/`) |
| `world`        | string        | the main package's only world  |                                      |
| `target`       | string        | `js`                           | `js`, `wasmtime`, or a plugin target |
| `options`      | table         | `{}`                           | target options (kebab or snake keys) |
| `features`     | string array  | `[]`                           | enabled `@unstable` features         |
| `all-features` | bool          | false                          |                                      |
| `deps`         | path array    | `[]`                           | extra dependency packages (`deps/x`) |
| `wheel-dir`    | string        | `<package>/<name>`             | POSIX folder inside the wheel        |
| `source-dir`   | path          | none                           | folder of the source tree            |

Paths are relative to the project root and may lead outside it (shared WIT in a monorepo).
`load_config` validates everything (types, unknown keys, paths that must exist, targets)
before anything is generated; a problem raises `ConfigError`, a `WitError` that names the
file, the key and, when it can find it, the line.

`witgen.project` applies a validated config.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from witgen.errors import WitError

Mode = Literal["standard", "editable", "sdist"]

HATCH_TABLE = "tool.hatch.build.hooks.wit"
SETUPTOOLS_TABLE = "tool.witgen"
#: keys hatch itself reads from every build-hook table
HATCH_RESERVED_KEYS = frozenset(
    {
        "dependencies",
        "require-runtime-dependencies",
        "require-runtime-features",
        "enable-by-default",
    }
)
#: where copies of WIT (and other inputs) from outside the project root live in an sdist
EXTERNAL_DIR = "_wit_external"
#: scratch space below the project root: cached outputs, composed WIT roots, state
BUILD_DIR = "build/witgen"

BINDING_KEYS = (
    "name",
    "wit",
    "world",
    "target",
    "options",
    "features",
    "all-features",
    "deps",
    "wheel-dir",
    "source-dir",
)
#: target options that name a file; resolved against the project root, must exist
PATH_OPTIONS = frozenset({"wasm"})
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class ConfigError(WitError):
    """A problem in the hook configuration: names the file, the key and (if found) the line."""


# --- reading --------------------------------------------------------------------------------


def read_toml(path: Path) -> dict:
    """Parse a TOML file (tomllib, or tomli / setuptools' vendored copy on Python 3.10)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            from setuptools.extern import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror}") from None
    except ValueError as e:
        raise ConfigError(f"{_show(path)}: invalid TOML: {e}") from None


def get_table(data: Mapping, dotted: str) -> object:
    """`data["a"]["b"]...` for `dotted = "a.b..."`, or None when any part is missing."""
    node: object = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


# --- the validated model --------------------------------------------------------------------


@dataclass(frozen=True)
class BindingConfig:
    """One validated binding. Paths are absolute (sdist copies of outside paths substituted)."""

    name: str
    key: str  # where it was configured, e.g. `tool.witgen.bindings[1]`
    wit: Path
    world: str | None
    target: str
    options: Mapping[str, object]
    features: tuple[str, ...]
    all_features: bool
    deps: tuple[Path, ...]
    wheel_dir: str | None
    source_dir: Path | None
    #: every input path as configured (relative to the root, POSIX) -> absolute path
    inputs: Mapping[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    file: Path
    table: str
    bindings: tuple[BindingConfig, ...]


def _show(path: Path) -> str:
    from witgen.engine.spec import display_path

    return display_path(Path(os.path.abspath(path)))


class _Checker:
    """Validation helpers that raise `ConfigError` naming the file, key and line."""

    def __init__(self, file: Path, table: str) -> None:
        self.file = file
        self.table = table
        self._text: str | None = None

    def fail(self, key: str, message: str) -> ConfigError:
        full = f"{self.table}.{key}" if key else self.table
        line, col = self._locate(key)
        err = ConfigError(f"{_show(self.file)}: `{full}`: {message}")
        if line is not None:
            err.file, err.line, err.col, err.source = _show(self.file), line, col, self._text
        return err

    def _locate(self, key: str) -> tuple[int | None, int]:
        """Best effort: the line of `key` (e.g. `bindings[1].target`) in the file."""
        try:
            if self._text is None:
                self._text = self.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None, 1
        lines = self._text.splitlines()
        m = re.match(r"^bindings\[(\d+)\]\.?(.*)$", key)
        start, end = self._section(lines, self.table)
        if m:
            index, key = int(m.group(1)), m.group(2)
            header = re.compile(r"^\s*\[\[\s*" + re.escape(self.table) + r"\s*\.\s*bindings\s*\]\]")
            seen = -1
            for i, text in enumerate(lines):
                if header.match(text):
                    seen += 1
                    if seen == index:
                        start, end = i, self._section_end(lines, i)
                        break
            else:
                return None, 1
            if not key:
                return start + 1, 1
        if start is None:
            return None, 1
        first = key.split(".")[0].split("[")[0]
        pat = re.compile(r"^(\s*)(\"?" + re.escape(first) + r"\"?)\s*[=.]")
        for i in range(start + 1, end):
            hit = pat.match(lines[i])
            if hit:
                return i + 1, len(hit.group(1)) + 1
        return (start + 1, 1) if not key else (None, 1)

    @staticmethod
    def _section_end(lines: list[str], start: int) -> int:
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("["):
                return i
        return len(lines)

    def _section(self, lines: list[str], table: str) -> tuple[int | None, int]:
        header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]")
        for i, text in enumerate(lines):
            if header.match(text):
                return i, self._section_end(lines, i)
        return None, 0

    def unknown(self, key: str, name: str, allowed: Iterable[str]) -> ConfigError:
        hint = difflib.get_close_matches(name, list(allowed), n=1)
        extra = f" (did you mean `{hint[0]}`?)" if hint else ""
        return self.fail(key, f"unknown key{extra}; expected one of: {', '.join(sorted(allowed))}")

    def expect(self, key: str, value: object, kind: type | tuple[type, ...], what: str) -> None:
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(key, f"expected {what}, got {_type_name(value)} {_short(value)}")


def _type_name(value: object) -> str:
    return {
        bool: "boolean",
        int: "integer",
        float: "float",
        str: "string",
        list: "array",
        dict: "table",
    }.get(type(value), type(value).__name__)


def _short(value: object) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


# --- paths ----------------------------------------------------------------------------------


def external_name(rel: str) -> str:
    """Where a root-relative path leading outside the root (`../x`) is copied in an sdist."""
    parts = ["_up_" if p == ".." else p for p in PurePosixPath(rel).parts]
    return "/".join([EXTERNAL_DIR, *parts])


def _normalize(root: Path, value: str) -> tuple[str, Path]:
    """(root-relative POSIX path, absolute path) of a configured path."""
    full = Path(os.path.normpath(root / value))
    rel = Path(os.path.relpath(full, root)).as_posix()
    return rel, full


def is_outside(rel: str) -> bool:
    return rel == ".." or rel.startswith("../")


def resolve_input(root: Path, value: str) -> tuple[str, Path]:
    """Like `_normalize`, but an outside path is read from the sdist's copy when there is one."""
    rel, full = _normalize(root, value)
    if is_outside(rel):
        copy = root / external_name(rel)
        if copy.exists():
            return rel, copy
    return rel, full


# --- validation -----------------------------------------------------------------------------


def load_config(
    root: Path,
    *,
    table: str,
    data: Mapping | None = None,
    file: Path | None = None,
    default_package: Callable[[], str | None] = lambda: None,
    reserved: Iterable[str] = (),
    check_targets: bool = True,
) -> ProjectConfig:
    """Validate the hook table `table` of `file` (default `root/pyproject.toml`).

    `data` is the table itself when the caller already has it (hatch passes it); otherwise it
    is read from the file. `default_package()` names the wheel's main package (POSIX path
    inside the wheel) for bindings with neither `wheel-dir` nor `source-dir`. `reserved`
    keys are accepted and ignored (hatch's own hook keys). Raises `ConfigError`.
    """
    root = Path(os.path.abspath(root))
    file = Path(file) if file is not None else root / "pyproject.toml"
    check = _Checker(file, table)
    if data is None:
        data = get_table(read_toml(file), table)
        if data is None:
            data = {}
    check.expect("", data, Mapping, "a table")
    reserved = set(reserved)
    top = {k: v for k, v in data.items() if k not in reserved}
    if "bindings" in top:
        extra = sorted(set(top) - {"bindings"})
        if extra:
            raise check.fail(
                extra[0], "binding keys go inside `bindings = [...]` entries when that is used"
            )
        raw = top["bindings"]
        check.expect("bindings", raw, list, "an array of tables")
        if not raw:
            raise check.fail("bindings", "is empty; remove it to get the default binding")
        entries = []
        for i, entry in enumerate(raw):
            check.expect(f"bindings[{i}]", entry, Mapping, "a table")
            entries.append((f"bindings[{i}]", entry))
    else:
        entries = [("", top)]

    bindings = [_binding(check, root, prefix, entry, default_package) for prefix, entry in entries]
    _check_unique(check, bindings)
    if check_targets:
        for b in bindings:
            _check_target(check, b)
    return ProjectConfig(root=root, file=file, table=table, bindings=tuple(bindings))


def _binding(
    check: _Checker,
    root: Path,
    prefix: str,
    entry: Mapping,
    default_package: Callable[[], str | None],
) -> BindingConfig:
    def key(name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    for name in entry:
        if name not in BINDING_KEYS:
            raise check.unknown(key(name), name, BINDING_KEYS)
    inputs: dict[str, Path] = {}

    def path_value(name: str, value: object, *, must_exist: bool = True) -> Path:
        check.expect(key(name), value, str, "a path (string)")
        if not value:
            raise check.fail(key(name), "must not be empty")
        rel, full = resolve_input(root, value)  # type: ignore[arg-type]
        if must_exist and not full.exists():
            raise check.fail(key(name), f"{_show(full)} does not exist")
        inputs[rel] = full
        return full

    target = entry.get("target", "js")
    check.expect(key("target"), target, str, "a string")

    wit = path_value("wit", entry.get("wit", "wit"))
    if wit.is_file() and wit.suffix != ".wit":
        raise check.fail(key("wit"), f"{_show(wit)} is neither a folder nor a `.wit` file")

    world = entry.get("world")
    if world is not None:
        check.expect(key("world"), world, str, "a string")

    features_raw = entry.get("features", [])
    check.expect(key("features"), features_raw, list, "an array of strings")
    for i, f in enumerate(features_raw):
        check.expect(f"{key('features')}[{i}]", f, str, "a string")
    all_features = entry.get("all-features", False)
    check.expect(key("all-features"), all_features, bool, "a boolean")

    deps_raw = entry.get("deps", [])
    check.expect(key("deps"), deps_raw, list, "an array of paths")
    deps: list[Path] = []
    dep_names: dict[str, str] = {}
    if deps_raw and not wit.is_dir():
        raise check.fail(key("deps"), "needs `wit` to be a folder (deps go into its `deps/`)")
    for i, d in enumerate(deps_raw):
        p = path_value(f"deps[{i}]", d)
        if p.is_file() and p.suffix != ".wit":
            raise check.fail(f"{key('deps')}[{i}]", f"{_show(p)} is not a `.wit` file or a folder")
        if p.name in dep_names or (wit / "deps" / p.name).exists():
            raise check.fail(
                f"{key('deps')}[{i}]",
                f"a dependency named `{p.name}` is already in "
                f"{dep_names.get(p.name) or _show(wit / 'deps')}",
            )
        dep_names[p.name] = f"`{key('deps')}`"
        deps.append(p)

    options_raw = entry.get("options", {})
    check.expect(key("options"), options_raw, Mapping, "a table")
    options: dict[str, object] = {}
    for name, value in options_raw.items():
        opt = name.replace("-", "_")
        okey = f"{key('options')}.{name}"
        if opt in options:
            raise check.fail(okey, f"given twice (as `{opt}` and `{name}`)")
        _check_json(check, okey, value)
        if opt in PATH_OPTIONS:
            value = str(path_value(f"options.{name}", value))
        options[opt] = value

    wheel_dir = entry.get("wheel-dir")
    source_raw = entry.get("source-dir")
    source_dir: Path | None = None
    if source_raw is not None:
        check.expect(key("source-dir"), source_raw, str, "a path (string)")
        if not source_raw:
            raise check.fail(key("source-dir"), "must not be empty")
        _rel, source_dir = _normalize(root, source_raw)
        if source_dir == root or root.is_relative_to(source_dir):
            raise check.fail(key("source-dir"), "must be a folder below or beside the project")

    world_part = world.split("/")[-1].split("@")[0] if world else None
    name = entry.get("name")
    if name is None:
        name = f"{world_part}-{target}" if world_part else target
    check.expect(key("name"), name, str, "a string")
    if not _NAME_RE.match(name):
        raise check.fail(key("name"), f"`{name}` must be letters, digits, `.`, `_` or `-`")

    if wheel_dir is not None:
        check.expect(key("wheel-dir"), wheel_dir, str, "a POSIX path inside the wheel")
        pp = PurePosixPath(wheel_dir)
        if (
            not wheel_dir
            or pp.is_absolute()
            or "\\" in wheel_dir
            or any(part in ("..", ".") for part in pp.parts)
        ):
            raise check.fail(
                key("wheel-dir"), f"`{wheel_dir}` must be a relative POSIX path inside the wheel"
            )
        wheel_dir = pp.as_posix()
    elif source_dir is None:
        package = default_package()
        if package is None:
            raise check.fail(
                key("wheel-dir") if prefix else "",
                "cannot find the project's package to put the bindings in; "
                "set `wheel-dir` (a folder inside the wheel) or `source-dir`",
            )
        wheel_dir = f"{package}/{name}"

    return BindingConfig(
        name=name,
        key=f"{check.table}.{prefix}" if prefix else check.table,
        wit=wit,
        world=world,
        target=target,
        options=options,
        features=tuple(sorted(set(features_raw))),
        all_features=all_features,
        deps=tuple(deps),
        wheel_dir=wheel_dir,
        source_dir=source_dir,
        inputs=inputs,
    )


def _check_json(check: _Checker, key: str, value: object) -> None:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return
    if isinstance(value, list):
        for i, v in enumerate(value):
            _check_json(check, f"{key}[{i}]", v)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            _check_json(check, f"{key}.{k}", v)
        return
    raise check.fail(key, f"{_type_name(value)} values are not supported in target options")


def _check_unique(check: _Checker, bindings: list[BindingConfig]) -> None:
    def sub(b: BindingConfig, name: str) -> str:
        return (b.key[len(check.table) + 1 :] + "." if b.key != check.table else "") + name

    names: dict[str, BindingConfig] = {}
    wheel: dict[str, BindingConfig] = {}
    source: dict[Path, BindingConfig] = {}
    for b in bindings:
        if b.name in names:
            raise check.fail(
                sub(b, "name"),
                f"two bindings are named `{b.name}`; give them distinct `name`s",
            )
        names[b.name] = b
        if b.wheel_dir is not None:
            for other_dir, other in wheel.items():
                a, c = PurePosixPath(b.wheel_dir), PurePosixPath(other_dir)
                if a == c or a.is_relative_to(c) or c.is_relative_to(a):
                    raise check.fail(
                        sub(b, "wheel-dir"),
                        f"`{b.wheel_dir}` overlaps the wheel-dir `{other_dir}` of `{other.name}`",
                    )
            wheel[b.wheel_dir] = b
        if b.source_dir is not None:
            for other_dir, other in source.items():
                if b.source_dir.is_relative_to(other_dir) or other_dir.is_relative_to(b.source_dir):
                    raise check.fail(
                        sub(b, "source-dir"),
                        f"overlaps the source-dir of `{other.name}`",
                    )
            source[b.source_dir] = b


def _check_target(check: _Checker, b: BindingConfig) -> None:
    import importlib.util

    from witgen.targets import target_names, target_spec

    key = (b.key[len(check.table) + 1 :] + "." if b.key != check.table else "") + "target"
    spec = target_spec(b.target)
    if spec is None:
        raise check.fail(
            key, f"unknown target `{b.target}`; expected one of: {', '.join(target_names())}"
        )
    module = spec.partition(":")[0]
    try:
        found_spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        found_spec = None
    # a folder without __init__.py (a target still being written) is a namespace package
    found = found_spec is not None and found_spec.origin is not None
    if not found:
        raise check.fail(key, f"target `{b.target}` is not available in this version of witgen")
