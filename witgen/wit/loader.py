"""Finding and parsing WIT files: a `.wit` file, or a directory with an optional `deps/` folder.

Produces `PackageUnit`s (one per package: its name and the file bodies that make it up) and
orders them so every package comes after the packages it refers to, the way wit-parser does:
sorted by `(namespace, name, version)`, then a depth-first walk that puts dependencies first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from witgen.errors import WitError
from witgen.wit import ast
from witgen.wit.astcache import parse


@dataclass
class PackageUnit:
    name: ast.PackageName
    bodies: list[ast.PackageBody] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.name.key


@dataclass
class Loaded:
    units: list[PackageUnit]  # in dependency order
    main: tuple[str, str, str | None] | None  # key of the package the user pointed at
    files: list[Path]  # every file read


def _display(path: Path, root: Path | None) -> str:
    """How a file is named in errors: the path as the user gave it, joined with the file name."""
    return str(path)


def _read(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WitError(f"cannot read {shown}: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WitError(f"{shown} is not valid UTF-8 (byte offset {e.start})") from None


def _group(files: list[tuple[Path, str]]) -> list[PackageUnit]:
    """Parse the files of one package (in path order): the main package plus nested ones."""
    main: PackageUnit | None = None
    header_file: str | None = None
    nested: list[PackageUnit] = []
    bodies: list[ast.PackageBody] = []
    for path, shown in sorted(files, key=lambda f: str(f[0]).encode()):
        body = parse(_read(path, shown), shown)
        for sub in body.nested:
            if sub.nested:
                raise sub.file.error(  # type: ignore[union-attr]
                    "nested packages must be placed at the top-level",
                    sub.nested[0].name.pos,  # type: ignore[union-attr]
                )
            nested.append(PackageUnit(sub.name, [sub]))  # type: ignore[arg-type]
        if body.name is not None:
            if main is None:
                main = PackageUnit(body.name)
                header_file = shown
            elif body.name.key != main.name.key:
                raise body.file.error(  # type: ignore[union-attr]
                    f"package identifier `{body.name}` does not match previous package name "
                    f"of `{main.name}` (in {header_file})",
                    body.name.pos,
                )
        bodies.append(body)
    docs_seen: ast.PackageBody | None = None
    for body in bodies:
        if body.docs is not None and body.name is not None:
            if docs_seen is not None:
                text = body.file.text  # type: ignore[union-attr]
                start = len(text) - len(text.lstrip())
                raise body.file.error(  # type: ignore[union-attr]
                    "found doc comments on multiple 'package' items", start
                )
            docs_seen = body
    has_items = any(b.items for b in bodies)
    if main is None:
        if has_items:
            first = next(b for b in bodies if b.items)
            raise first.file.error(  # type: ignore[union-attr]
                "no `package` header was found in any WIT file for this package",
                first.items[0].pos,
            )
        return nested
    main.bodies = bodies
    return nested + [main]


def load_units(path: Path) -> Loaded:
    path = Path(path)
    if not path.exists():
        raise WitError(f"no such file or directory: {path}")
    files_read: list[Path] = []
    if path.is_file():
        shown = str(path)
        files_read.append(path)
        groups = [_group([(path, shown)])]
    else:
        main_files = [(p, _display(p, path)) for p in _wit_files(path)]
        files_read += [p for p, _ in main_files]
        groups = [_group(main_files)]
        deps = path / "deps"
        if deps.is_dir():
            for entry in sorted(os.listdir(deps), key=lambda s: s.encode()):
                full = deps / entry
                if full.is_dir():
                    dep_files = [(p, _display(p, path)) for p in _wit_files(full)]
                    files_read += [p for p, _ in dep_files]
                    if dep_files:
                        groups.append(_group(dep_files))
                elif entry.endswith(".wit") and full.is_file():
                    files_read.append(full)
                    groups.append(_group([(full, _display(full, path))]))
    if not groups[0]:
        first = path if path.is_file() else next(iter(_wit_files(path)), None)
        msg = "no `package` header was found in any WIT file for this package"
        if first is None:
            raise WitError(f"{msg}: no `.wit` files in {path}")
        text = _read(first, str(first))
        raise WitError(msg, str(first), 1, 1, text)
    main_key = groups[0][-1].key
    units: dict[tuple, PackageUnit] = {}
    for group in groups:
        for unit in group:
            if unit.key in units:
                other = units[unit.key]
                first = other.bodies[0].file.path if other.bodies and other.bodies[0].file else "?"
                body = unit.bodies[0]
                raise body.file.error(  # type: ignore[union-attr]
                    f"package `{unit.name}` is defined in two different locations:\n"
                    f"  * {first}\n  * {body.file.path}",  # type: ignore[union-attr]
                    unit.name.pos,
                )
            units[unit.key] = unit
    return Loaded(_order(units), main_key, files_read)


def _wit_files(folder: Path) -> list[Path]:
    return [
        folder / name
        for name in sorted(os.listdir(folder), key=lambda s: s.encode())
        if name.endswith(".wit") and (folder / name).is_file()
    ]


def _version_key(v: str | None) -> tuple:
    if v is None:
        return (0,)
    core, _, build = v.partition("+")
    main, dash, pre = core.partition("-")
    nums = tuple(int(x) if x.isdigit() else 0 for x in main.split("."))
    if not dash:
        pre_key: tuple = (1,)
    else:
        pre_key = (0,) + tuple(
            (0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")
        )
    return (1, nums, pre_key, build)


def _foreign_deps(unit: PackageUnit) -> list[tuple[str, str, str | None]]:
    """Packages a unit refers to, in order of first reference."""
    seen: dict[tuple, None] = {}

    def path(p: ast.UsePath) -> None:
        if p.package is not None:
            seen.setdefault(p.package.key, None)

    def iface_items(items: list) -> None:
        for it in items:
            if isinstance(it, ast.Use):
                path(it.path)

    for body in unit.bodies:
        for item in body.items:
            if isinstance(item, ast.Interface):
                iface_items(item.items)
            elif isinstance(item, ast.World):
                for wi in item.items:
                    if isinstance(wi, (ast.Use, ast.Include)):
                        path(wi.path)
                for wi in item.items:
                    if isinstance(wi, ast.WorldExtern) and wi.direction == "import":
                        _extern_paths(wi, path, iface_items)
                for wi in item.items:
                    if isinstance(wi, ast.WorldExtern) and wi.direction == "export":
                        _extern_paths(wi, path, iface_items)
            elif isinstance(item, ast.TopUse):
                path(item.path)
    return list(seen)


def _extern_paths(wi: ast.WorldExtern, path, iface_items) -> None:
    if isinstance(wi.item, ast.ExternPath):
        path(wi.item.path)
    elif isinstance(wi.item, ast.ExternInterface):
        iface_items(wi.item.body.items)


def _order(units: dict[tuple, PackageUnit]) -> list[PackageUnit]:
    order: list[PackageUnit] = []
    placed: set[tuple] = set()
    visiting: set[tuple] = set()

    class _Cycle(Exception):
        pass

    def visit(unit: PackageUnit) -> None:
        if unit.key in placed:
            return
        visiting.add(unit.key)
        for dep in _foreign_deps(unit):
            cyclic = dep in visiting
            if not cyclic and dep in units:
                try:
                    visit(units[dep])
                except _Cycle:
                    cyclic = True
            if cyclic:
                # wit-parser reports the outermost edge of the cycle
                err = unit.bodies[0].file.error(  # type: ignore[union-attr]
                    f"package `{_fmt(dep)}` creates a dependency cycle",
                    _first_ref_pos(unit, dep),
                )
                raise _Cycle(err)
        visiting.discard(unit.key)
        placed.add(unit.key)
        order.append(unit)

    for key in sorted(units, key=lambda k: (k[0].encode(), k[1].encode(), _version_key(k[2]))):
        try:
            visit(units[key])
        except _Cycle as c:
            raise c.args[0] from None
    return order


def _fmt(key: tuple) -> str:
    return f"{key[0]}:{key[1]}" + (f"@{key[2]}" if key[2] else "")


def _first_ref_pos(unit: PackageUnit, dep: tuple) -> int:
    for body in unit.bodies:
        for item in body.items:
            stack: list = [item]
            while stack:
                node = stack.pop()
                p = getattr(node, "path", None)
                if isinstance(p, ast.UsePath) and p.package is not None and p.package.key == dep:
                    return p.package.pos
                for attr in ("items", "item", "body"):
                    sub = getattr(node, attr, None)
                    if isinstance(sub, list):
                        stack.extend(sub)
                    elif sub is not None and not isinstance(sub, (str, int)):
                        stack.append(sub)
    return unit.name.pos
