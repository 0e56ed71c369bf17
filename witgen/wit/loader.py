"""Finding and parsing WIT files: a `.wit` file, or a directory with an optional `deps/` folder.

Produces `PackageUnit`s (one per package: its name and the file bodies that make it up) and
orders them so every package comes after the packages it refers to, the way wit-parser does:
sorted by `(namespace, name, version)`, then a depth-first walk that puts dependencies first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import assert_never

from witgen.errors import WitError
from witgen.inputlog import InputLog
from witgen.records import field, record
from witgen.wit import ast
from witgen.wit.astcache import parse
from witgen.wit.versions import VersionKey, version_key


@record(slots=False)
class PackageUnit:
    name: ast.PackageName
    bodies: list[ast.PackageBody] = field(default_factory=list)

    @property
    def key(self) -> ast.PackageKey:
        return self.name.key


@record(slots=False)
class Loaded:
    units: list[PackageUnit]  # in dependency order
    main: ast.PackageKey | None  # key of the package the user pointed at
    files: list[Path]  # every file read
    log: InputLog  # what the result depends on: files read and folders listed


def _display(path: Path, root: Path | None) -> str:
    """How a file is named in errors: the path as the user gave it, joined with the file name."""
    return str(path)


def _read(path: Path, shown: str, log: InputLog) -> str:
    try:
        data = log.read_file(str(path))
    except OSError as e:
        raise WitError(f"cannot read {shown}: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        shown_text = data.decode("utf-8", errors="replace")
        raise WitError(
            f"input was not valid UTF-8 (byte 0x{data[e.start]:02x})", shown, line, col, shown_text
        ) from None


def _group(files: list[tuple[Path, str]], log: InputLog) -> list[PackageUnit]:
    """Parse the files of one package (in path order): the main package plus nested ones."""
    main: PackageUnit | None = None
    header_file: str | None = None
    nested: list[PackageUnit] = []
    bodies: list[ast.PackageBody] = []
    for path, shown in sorted(files, key=lambda f: str(f[0]).encode()):
        body = parse(_read(path, shown, log), shown)
        for sub in body.nested:
            if sub.nested:
                inner = sub.nested[0].name
                assert inner is not None
                raise sub.source.error("nested packages must be placed at the top-level", inner.pos)
            assert sub.name is not None
            nested.append(PackageUnit(sub.name, [sub]))
        if body.name is not None:
            if main is None:
                main = PackageUnit(body.name)
                header_file = shown
            elif body.name.key != main.name.key:
                raise body.source.error(
                    f"package identifier `{body.name}` does not match previous package name "
                    f"of `{main.name}` (in {header_file})",
                    body.name.pos,
                )
        bodies.append(body)
    _check_package_docs(bodies)
    if main is None:
        first = next((b for b in bodies if b.items), None)
        if first is not None:
            raise first.source.error(
                "no `package` header was found in any WIT file for this package",
                first.items[0].pos,
            )
        return nested
    main.bodies = bodies
    return nested + [main]


def _check_package_docs(bodies: list[ast.PackageBody]) -> None:
    """Only one file of a package may document its `package` header."""
    documented = [b for b in bodies if b.docs is not None and b.name is not None]
    if len(documented) > 1:
        text = documented[1].source.text
        start = len(text) - len(text.lstrip())
        raise documented[1].source.error("found doc comments on multiple 'package' items", start)


def load_units(path: Path) -> Loaded:
    path = Path(path)
    if not path.exists():
        raise WitError(f"no such file or directory: {path}")
    files_read: list[Path] = []
    log = InputLog()
    if path.is_file():
        files_read.append(path)
        groups = [_group([(path, str(path))], log)]
    else:
        groups = _folder_groups(path, files_read, log)
    if not groups[0]:
        first = path if path.is_file() else next(iter(_wit_files(path, log)), None)
        msg = "no `package` header was found in any WIT file for this package"
        if first is None:
            raise WitError(f"{msg}: no `.wit` files in {path}")
        text = _read(first, str(first), log)
        raise WitError(msg, str(first), 1, 1, text)
    main_key = groups[0][-1].key
    units: dict[ast.PackageKey, PackageUnit] = {}
    for group in groups:
        for unit in group:
            if unit.key in units:
                first_path = units[unit.key].bodies[0].source.path
                body = unit.bodies[0]
                raise body.source.error(
                    f"package `{unit.name}` is defined in two different locations:\n"
                    f"  * {first_path}\n  * {body.source.path}",
                    unit.name.pos,
                )
            units[unit.key] = unit
    return Loaded(_order(units), main_key, files_read, log)


def _folder_groups(path: Path, files_read: list[Path], log: InputLog) -> list[list[PackageUnit]]:
    """The root package of a WIT folder first, then each entry of its `deps/`."""
    main_files = [(p, _display(p, path)) for p in _wit_files(path, log)]
    files_read += [p for p, _ in main_files]
    groups = [_group(main_files, log)]
    deps = path / "deps"
    if deps.is_dir():
        for entry, kind in log.list_folder(str(deps)):
            full = deps / entry
            if kind == "d":
                dep_files = [(p, _display(p, path)) for p in _wit_files(full, log)]
                files_read += [p for p, _ in dep_files]
                if dep_files:
                    groups.append(_group(dep_files, log))
            elif entry.endswith(".wit") and kind == "f":
                files_read.append(full)
                groups.append(_group([(full, _display(full, path))], log))
    return groups


def _wit_files(folder: Path, log: InputLog) -> list[Path]:
    return [
        folder / name
        for name, kind in log.list_folder(str(folder))
        if name.endswith(".wit") and kind == "f"
    ]


def _foreign_deps(unit: PackageUnit) -> list[ast.PackageKey]:
    """Packages a unit refers to, in order of first reference."""
    return list(dict.fromkeys(p.package.key for p in _paths(unit) if p.package is not None))


def _paths(unit: PackageUnit) -> list[ast.UsePath]:
    """Every path in a unit, in the order wit-parser looks at them for dependencies."""
    out: list[ast.UsePath] = []
    path = out.append

    def uses(items: list[ast.Use | ast.TypeDecl | ast.Func]) -> None:
        for it in items:
            if isinstance(it, ast.Use):
                path(it.path)

    def externs(world: ast.World, direction: str) -> None:
        for wi in world.items:
            if isinstance(wi, ast.WorldExtern) and wi.direction == direction:
                match wi.item:
                    case ast.ExternPath(p):
                        path(p)
                    case ast.ExternInterface(_, body):
                        uses(body.items)
                    case ast.ExternFunc():
                        pass
                    case _:
                        assert_never(wi.item)

    for body in unit.bodies:
        for item in body.items:
            match item:
                case ast.Interface():
                    uses(item.items)
                case ast.World():
                    for wi in item.items:
                        if isinstance(wi, (ast.Use, ast.Include)):
                            path(wi.path)
                    externs(item, "import")
                    externs(item, "export")
                case ast.TopUse():
                    path(item.path)
                case _:
                    assert_never(item)
    return out


def _order(units: dict[ast.PackageKey, PackageUnit]) -> list[PackageUnit]:
    """Dependencies first: sorted by name and version, then a depth-first walk.

    As in wit-parser, the walk remembers the dependency *edges* on its path (not the packages):
    a package that names a dependency already on the path is where the cycle is reported. The
    walk keeps its own stack, since a `deps` chain may be thousands of packages long.
    """
    order: list[PackageUnit] = []
    placed: set[ast.PackageKey] = set()
    on_path: set[ast.PackageKey] = set()  # dependencies named by the frames on the stack

    def sort_key(k: ast.PackageKey) -> tuple[bytes, bytes, VersionKey]:
        return (k[0].encode(), k[1].encode(), version_key(k[2]))

    for key in sorted(units, key=sort_key):
        if key in placed:
            continue
        # a frame: the unit, its remaining dependencies, the dependency being visited
        stack: list[tuple[PackageUnit, Iterator[ast.PackageKey], list[ast.PackageKey]]] = [
            (units[key], iter(_foreign_deps(units[key])), [])
        ]
        while stack:
            unit, deps, current = stack[-1]
            if current:
                on_path.discard(current.pop())
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                placed.add(unit.key)
                order.append(unit)
                continue
            if dep in on_path:
                raise unit.bodies[0].source.error(
                    f"package `{_fmt(dep)}` creates a dependency cycle",
                    _first_ref_pos(unit, dep),
                )
            on_path.add(dep)
            current.append(dep)
            if dep in units and dep not in placed:
                stack.append((units[dep], iter(_foreign_deps(units[dep])), []))
    return order


def _fmt(key: ast.PackageKey) -> str:
    return f"{key[0]}:{key[1]}" + (f"@{key[2]}" if key[2] else "")


_Node = (
    ast.Interface
    | ast.World
    | ast.TopUse
    | ast.Use
    | ast.TypeDecl
    | ast.Func
    | ast.WorldExtern
    | ast.Include
    | ast.ExternItem
)


def _first_ref_pos(unit: PackageUnit, dep: ast.PackageKey) -> int:
    """Where a unit refers to package `dep`: the reference a last-child-first walk of each
    top-level item meets first (where wit-parser reports a cycle)."""
    for body in unit.bodies:
        for item in body.items:
            stack: list[_Node] = [item]
            while stack:
                node = stack.pop()
                match node:
                    case ast.TopUse(p) | ast.Use(p) | ast.Include(p) | ast.ExternPath(p):
                        if p.package is not None and p.package.key == dep:
                            return p.package.pos
                    case ast.Interface(_, items):
                        stack.extend(items)
                    case ast.World(_, world_items):
                        stack.extend(world_items)
                    case ast.WorldExtern(_, extern):
                        stack.append(extern)
                    case ast.ExternInterface(_, iface):
                        stack.append(iface)
                    case ast.TypeDecl() | ast.Func() | ast.ExternFunc():
                        pass
                    case _:
                        assert_never(node)
    return unit.name.pos
