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
| `guest-build`  | table         | none                           | builds the guest first (below)       |

`guest-build = { command = [...], inputs = ["guest/**/*.c"], output = "guest/guest.wasm" }`
runs `command` (an argument array, no shell) in the project root before the binding is
generated, whenever the files its `inputs` globs match (inside the project) or the output
changed since it last ran (`witgen.guestbuild`). A `wasm` option naming its `output` need not
exist yet.

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
from typing import Any, Literal

from witgen import inputfiles
from witgen.errors import WitError
from witgen.tomlpos import KeyPath, Position, key_positions, locate

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
    "guest-build",
)
GUEST_BUILD_KEYS = ("command", "inputs", "output")
#: target options that name a file; resolved against the project root, must exist
PATH_OPTIONS = frozenset({"wasm", "component"})
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class ConfigError(WitError):
    """A problem in the hook configuration: names the file, the key and (if found) the line."""


# --- reading --------------------------------------------------------------------------------


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file."""
    import tomllib

    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror}") from None
    except ValueError as e:
        raise ConfigError(f"{_show(path)}: invalid TOML: {e}") from None
    except RecursionError:  # tomllib recurses per nested table or array
        raise ConfigError(f"{_show(path)}: values are nested too deeply") from None


def get_table(data: Mapping[str, Any], dotted: str) -> object:
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
    #: `key` relative to the table (`bindings[1]`, or `""` for the table itself)
    prefix: str = ""
    #: option name (snake case) -> the key as configured (`string-encoding`)
    option_keys: Mapping[str, str] = field(default_factory=dict)
    guest_build: GuestBuild | None = None

    def subkey(self, name: str) -> str:
        """`name` (e.g. `world`) of this binding, relative to the table."""
        return f"{self.prefix}.{name}" if self.prefix else name


@dataclass(frozen=True)
class GuestBuild:
    """A validated `guest-build` table: run `command` in the root when `inputs` changed."""

    command: tuple[str, ...]
    #: glob patterns relative to the project root (POSIX, `**` allowed)
    inputs: tuple[str, ...]
    output: Path
    #: `output` relative to the root (POSIX), as messages show it
    output_rel: str
    #: the `guest-build` key relative to the table (`bindings[0].guest-build`)
    key: str


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    file: Path
    table: str
    bindings: tuple[BindingConfig, ...]


def _show(path: Path) -> str:
    from witgen.engine.spec import display_path

    return display_path(Path(os.path.abspath(path)))


def key_part(name: str) -> str:
    """A key as written in TOML: bare when it can be, else quoted (`"a:b/c"`)."""
    return name if name and all(c in _BARE_KEY for c in name) else json.dumps(name)


def _key_path(table: str, key: str) -> KeyPath:
    """`bindings[1].options."a:b/c"` below `tool.witgen` as a `witgen.tomlpos` key path."""
    path: list[str | int] = list(table.split("."))
    for index, quoted, bare in re.findall(r'\[(\d+)\]|"((?:[^"\\]|\\.)*)"|([^.\["]+)', key):
        path.append(int(index) if index else json.loads(f'"{quoted}"') if quoted else bare)
    return tuple(path)


class _Checker:
    """Validation helpers that raise `ConfigError` naming the file, key and line."""

    def __init__(self, file: Path, table: str) -> None:
        self.file = file
        self.table = table
        self._text: str | None = None
        self._positions: dict[KeyPath, Position] | None = None

    def fail(self, key: str, message: str) -> ConfigError:
        """The error for `key` (relative to the table, `""` for the table itself)."""
        full = f"{self.table}.{key}" if key else self.table
        err = ConfigError(f"{_show(self.file)}: `{full}`: {message}")
        pos = self._locate(key)
        if pos is not None:
            err.file, (err.line, err.col), err.source = _show(self.file), pos, self._text
        return err

    def _locate(self, key: str) -> Position | None:
        """Where `key` (or the closest enclosing key the file spells out) is defined."""
        if self._positions is None:
            try:
                self._text = self.file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._text = ""
            self._positions = key_positions(self._text)
        return locate(self._positions, _key_path(self.table, key), len(self.table.split(".")))

    def unknown(self, key: str, name: str, allowed: Iterable[str]) -> ConfigError:
        allowed = list(allowed)
        return self.fail(
            key,
            f"unknown key{did_you_mean(name, allowed)}; expected one of: "
            f"{', '.join(sorted(allowed))}",
        )

    def expect(self, key: str, value: object, kind: type | tuple[type, ...], what: str) -> None:
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(key, f"expected {what}, got {_type_name(value)} {_short(value)}")


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the closest of `choices`, or `""`."""
    hint = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean `{hint[0]}`?)" if hint else ""


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


def binding_error(config: ProjectConfig, key: str, message: str) -> ConfigError:
    """A `ConfigError` for `key` (relative to the config's table), found after validation
    (a world that does not exist, an option the target rejects)."""
    return _Checker(config.file, config.table).fail(key, message)


def option_error(config: ProjectConfig, b: BindingConfig, message: str) -> ConfigError | None:
    """`message` (a target's complaint) pinned to the option of `b` it names first, with a
    suggestion for an unknown one; None if it names none of `b`'s options."""
    spots = []
    for opt, configured in b.option_keys.items():
        for spelling in {opt, configured}:
            hit = re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", message)
            if hit:
                spots.append((hit.start(), opt))
    if not spots:
        return None
    opt = min(spots)[1]
    configured = b.option_keys[opt]
    if "unknown" in message:
        from witgen.targets import target_options

        known = target_options(b.target)
        if known is None:
            listed = re.search(r"known: ([\w, -]+)", message)
            known = [k.strip() for k in listed.group(1).split(",")] if listed else []
        if "-" in configured:
            known = [k.replace("_", "-") for k in known]
        message += did_you_mean(configured, [k for k in known if k != configured])
    return binding_error(config, b.subkey(f"options.{key_part(configured)}"), message)


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
    data: Mapping[str, Any] | None = None,
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
    found: object = get_table(read_toml(file), table) if data is None else data
    if found is None:
        found = {}
    check.expect("", found, Mapping, "a table")
    assert isinstance(found, Mapping)
    reserved = set(reserved)
    top = {k: v for k, v in found.items() if k not in reserved}
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

    targets = [entry.get("target", "js") for _, entry in entries]
    shared = {t for t in targets if isinstance(t, str) and targets.count(t) > 1}
    bindings = [
        _binding(check, root, prefix, entry, default_package, shared) for prefix, entry in entries
    ]
    _check_unique(check, bindings)
    if check_targets:
        for b in bindings:
            _check_target(check, b)
    return ProjectConfig(root=root, file=file, table=table, bindings=tuple(bindings))


class _Entry:
    """One binding table being read: its keys' full names and the input paths it names."""

    def __init__(self, check: _Checker, root: Path, prefix: str, entry: Mapping[str, object]):
        self.check = check
        self.root = root
        self.prefix = prefix
        self.entry = entry
        #: every input path as configured (relative to the root, POSIX) -> absolute path
        self.inputs: dict[str, Path] = {}

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def get(self, name: str, default: object = None) -> object:
        return self.entry.get(name, default)

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self.entry.get(name, default)
        if value is not None:
            self.check.expect(self.key(name), value, str, "a string")
        return value if isinstance(value, str) else None

    def path(self, key: str, value: object, problem: Callable[[Path], str | None]) -> Path:
        """An input path, checked by `problem` (see `witgen.inputfiles`) and recorded in
        `inputs`; `key` is relative to the entry."""
        self.check.expect(self.key(key), value, str, "a path (string)")
        assert isinstance(value, str)
        if not value:
            raise self.check.fail(self.key(key), "must not be empty")
        rel, full = resolve_input(self.root, value)
        trouble = problem(full)
        if trouble is not None:
            raise self.check.fail(self.key(key), f"{_show(full)} {trouble}")
        self.inputs[rel] = full
        return full


def _binding(
    check: _Checker,
    root: Path,
    prefix: str,
    entry: Mapping[str, object],
    default_package: Callable[[], str | None],
    shared_targets: set[str],
) -> BindingConfig:
    e = _Entry(check, root, prefix, entry)
    for name in entry:
        if name not in BINDING_KEYS:
            raise check.unknown(e.key(name), name, BINDING_KEYS)
    target = e.string("target", "js")
    assert target is not None
    wit = e.path("wit", entry.get("wit", "wit"), inputfiles.wit_problem)
    world = e.string("world")
    features = _string_list(e, "features")
    all_features = entry.get("all-features", False)
    check.expect(e.key("all-features"), all_features, bool, "a boolean")
    deps = _deps(e, wit)
    guest_build = _guest_build(e)
    options, option_keys = _options(e, guest_build.output if guest_build else None)
    source_dir = _source_dir(e)
    name = _name(e, world, target, target in shared_targets)
    wheel_dir = _wheel_dir(e, name, source_dir, default_package)
    return BindingConfig(
        name=name,
        key=f"{check.table}.{prefix}" if prefix else check.table,
        wit=wit,
        world=world,
        target=target,
        options=options,
        features=tuple(sorted(set(features))),
        all_features=bool(all_features),
        deps=tuple(deps),
        wheel_dir=wheel_dir,
        source_dir=source_dir,
        inputs=e.inputs,
        prefix=prefix,
        option_keys=option_keys,
        guest_build=guest_build,
    )


def _string_list(e: _Entry, name: str) -> list[str]:
    raw = e.get(name, [])
    e.check.expect(e.key(name), raw, list, "an array of strings")
    assert isinstance(raw, list)
    for i, item in enumerate(raw):
        e.check.expect(f"{e.key(name)}[{i}]", item, str, "a string")
    return [str(item) for item in raw]


def _deps(e: _Entry, wit: Path) -> list[Path]:
    raw = e.get("deps", [])
    e.check.expect(e.key("deps"), raw, list, "an array of paths")
    assert isinstance(raw, list)
    if raw and not wit.is_dir():
        raise e.check.fail(e.key("deps"), "needs `wit` to be a folder (deps go into its `deps/`)")
    deps: list[Path] = []
    dep_names: dict[str, str] = {}
    for i, d in enumerate(raw):
        key = f"{e.key('deps')}[{i}]"
        p = e.path(f"deps[{i}]", d, lambda p: inputfiles.dep_problem(p, e.root))
        if p.name in dep_names or (wit / "deps" / p.name).exists():
            raise e.check.fail(
                key,
                f"a dependency named `{p.name}` is already in "
                f"{dep_names.get(p.name) or _show(wit / 'deps')}",
            )
        dep_names[p.name] = f"`{e.key('deps')}`"
        deps.append(p)
    return deps


def _options(e: _Entry, built: Path | None) -> tuple[dict[str, object], dict[str, str]]:
    """(options by snake-case name, their keys as configured). A path option naming `built`
    (the guest-build output) may not exist yet."""
    raw = e.get("options", {})
    e.check.expect(e.key("options"), raw, Mapping, "a table")
    assert isinstance(raw, Mapping)
    options: dict[str, object] = {}
    keys: dict[str, str] = {}
    for name, value in raw.items():
        opt = name.replace("-", "_")
        okey = f"{e.key('options')}.{key_part(name)}"
        if opt in options:
            raise e.check.fail(okey, f"given twice (as `{keys[opt]}` and `{name}`)")
        _check_json(e.check, okey, value)
        if opt in PATH_OPTIONS:

            def problem(p: Path) -> str | None:
                if p == built and not os.path.lexists(p):
                    return None  # the guest build makes it
                return inputfiles.file_problem(p)

            value = str(e.path(f"options.{key_part(name)}", value, problem))
        options[opt] = value
        keys[opt] = name
    return options, keys


def _guest_build(e: _Entry) -> GuestBuild | None:
    raw = e.get("guest-build")
    if raw is None:
        return None
    key = e.key("guest-build")
    e.check.expect(key, raw, Mapping, "a table (`{ command = [...], inputs = [...], output = ... }`)")
    assert isinstance(raw, Mapping)
    for name in raw:
        if name not in GUEST_BUILD_KEYS:
            raise e.check.unknown(f"{key}.{key_part(str(name))}", str(name), GUEST_BUILD_KEYS)
    for name in GUEST_BUILD_KEYS:
        if name not in raw:
            raise e.check.fail(key, f"needs `{name}`")
    command = _strings(e, f"{key}.command", raw["command"], "the command and its arguments")
    inputs = _strings(e, f"{key}.inputs", raw["inputs"], "glob patterns")
    for i, pattern in enumerate(inputs):
        pp = PurePosixPath(pattern)
        if pp.is_absolute() or "\\" in pattern or ".." in pp.parts:
            raise e.check.fail(
                f"{key}.inputs[{i}]", f"`{pattern}` must be a relative pattern inside the project"
            )
    output = raw["output"]
    e.check.expect(f"{key}.output", output, str, "a path (string)")
    assert isinstance(output, str)
    rel, full = _normalize(e.root, output)
    if not output or is_outside(rel) or rel == ".":
        raise e.check.fail(f"{key}.output", f"`{output}` must be a file inside the project")
    return GuestBuild(tuple(command), tuple(inputs), full, rel, key)


def _strings(e: _Entry, key: str, raw: object, what: str) -> list[str]:
    """A non-empty array of non-empty strings."""
    e.check.expect(key, raw, list, f"an array of strings ({what})")
    assert isinstance(raw, list)
    if not raw:
        raise e.check.fail(key, f"must not be empty ({what})")
    for i, item in enumerate(raw):
        e.check.expect(f"{key}[{i}]", item, str, "a string")
        if not item:
            raise e.check.fail(f"{key}[{i}]", "must not be empty")
    return [str(item) for item in raw]


def _source_dir(e: _Entry) -> Path | None:
    raw = e.string("source-dir")
    if raw is None:
        return None
    if not raw:
        raise e.check.fail(e.key("source-dir"), "must not be empty")
    _rel, source_dir = _normalize(e.root, raw)
    if source_dir == e.root or e.root.is_relative_to(source_dir):
        raise e.check.fail(e.key("source-dir"), "must be a folder below or beside the project")
    return source_dir


def _name(e: _Entry, world: str | None, target: str, shared: bool) -> str:
    """`name`, by default the target's name; `<world>-<target>` when several bindings share
    the target (so naming the default world explicitly never renames the output)."""
    world_part = world.split("/")[-1].split("@")[0] if world else None
    name = e.string("name", f"{world_part}-{target}" if world_part and shared else target)
    assert name is not None
    if not _NAME_RE.match(name):
        raise e.check.fail(e.key("name"), f"`{name}` must be letters, digits, `.`, `_` or `-`")
    return name


def _wheel_dir(
    e: _Entry, name: str, source_dir: Path | None, default_package: Callable[[], str | None]
) -> str | None:
    wheel_dir = e.get("wheel-dir")
    if wheel_dir is not None:
        e.check.expect(e.key("wheel-dir"), wheel_dir, str, "a POSIX path inside the wheel")
        assert isinstance(wheel_dir, str)
        pp = PurePosixPath(wheel_dir)
        if (
            not wheel_dir
            or pp.is_absolute()
            or "\\" in wheel_dir
            or any(part in ("..", ".") for part in pp.parts)
        ):
            raise e.check.fail(
                e.key("wheel-dir"), f"`{wheel_dir}` must be a relative POSIX path inside the wheel"
            )
        return pp.as_posix()
    if source_dir is not None:
        return None
    package = default_package()
    if package is None:
        raise e.check.fail(
            e.key("wheel-dir") if e.prefix else "",
            "cannot find the project's package to put the bindings in; "
            "set `wheel-dir` (a folder inside the wheel) or `source-dir`",
        )
    return f"{package}/{name}"


def _check_json(check: _Checker, key: str, value: object) -> None:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return
    if isinstance(value, list):
        for i, v in enumerate(value):
            _check_json(check, f"{key}[{i}]", v)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            _check_json(check, f"{key}.{key_part(str(k))}", v)
        return
    raise check.fail(key, f"{_type_name(value)} values are not supported in target options")


def _check_unique(check: _Checker, bindings: list[BindingConfig]) -> None:
    names: dict[str, BindingConfig] = {}
    wheel: dict[str, BindingConfig] = {}
    source: dict[Path, BindingConfig] = {}
    for b in bindings:
        if b.name in names:
            raise check.fail(
                b.subkey("name"),
                f"two bindings are named `{b.name}`; give them distinct `name`s",
            )
        names[b.name] = b
        if b.wheel_dir is not None:
            for other_wheel, other in wheel.items():
                a, c = PurePosixPath(b.wheel_dir), PurePosixPath(other_wheel)
                if a == c or a.is_relative_to(c) or c.is_relative_to(a):
                    raise check.fail(
                        b.subkey("wheel-dir"),
                        f"`{b.wheel_dir}` overlaps the wheel-dir `{other_wheel}` of `{other.name}`",
                    )
            wheel[b.wheel_dir] = b
        if b.source_dir is not None:
            for other_dir, other in source.items():
                if b.source_dir.is_relative_to(other_dir) or other_dir.is_relative_to(b.source_dir):
                    raise check.fail(
                        b.subkey("source-dir"),
                        f"overlaps the source-dir of `{other.name}`",
                    )
            source[b.source_dir] = b


def _check_target(check: _Checker, b: BindingConfig) -> None:
    import importlib.util

    from witgen.targets import target_names, target_spec

    key = b.subkey("target")
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
