"""The interfaces and worlds of one package by name, their order, and what a path names.

`PackageItems` declares every interface and world of a package, records the names each file's
top-level `use` adds, checks foreign names, and orders the package's items by their
`use`/`include` edges (wit-parser's order, so ids match). It then resolves paths
(`iface`, `ns:pkg/iface@1.0.0`) to interface and world ids.
"""

from __future__ import annotations

from typing import Literal

from witgen import model
from witgen.errors import WitError
from witgen.records import record
from witgen.wit import ast
from witgen.wit.local import GATED_OFF, Context, LocalPackage, stability
from witgen.wit.toposort import toposort

ItemKind = Literal["interface", "world"]


@record(slots=False)
class Declared:
    """An interface or world of this package as written, and its provisional id."""

    name: ast.Id
    node: ast.Interface | ast.World
    file: ast.SourceFile
    id: int = -1

    @property
    def kind(self) -> ItemKind:
        return "interface" if isinstance(self.node, ast.Interface) else "world"


class PackageItems:
    def __init__(self, ctx: Context, local: LocalPackage) -> None:
        self.ctx = ctx
        self.local = local
        self.items: dict[str, Declared] = {}
        self.file_scope: dict[int, dict[str, ast.UsePath]] = {}  # id(file) -> top-level uses

    def declare(self) -> list[Declared]:
        """Declare every item, check the file scopes and foreign names; items in id order."""
        local = self.local
        decls: list[Declared] = []
        for body in local.unit.bodies:
            local.file = body.source
            for item in body.items:
                if isinstance(item, (ast.Interface, ast.World)):
                    assert item.name is not None
                    name = item.name
                    if name.name in self.items:
                        raise local.err(f"duplicate item named `{name.name}`", name.pos)
                    self.items[name.name] = Declared(name, item, body.source)
                    decls.append(self.items[name.name])
        for body in local.unit.bodies:
            local.file = body.source
            self.file_scope[id(body.source)] = self._file_scope(body)
        self._check_foreign_kinds()
        order = toposort(len(decls), self._edges(decls), lambda j, _w: _cycle_error(decls[j]))
        out = [decls[i] for i in order]
        for d in out:
            local.file = d.file
            if d.kind == "interface":
                d.id = local.new_interface(model.Interface(d.name.name, {}, {}, None), d.name.pos)
            else:
                d.id = local.new_world(model.World(d.name.name, {}, {}, None), d.name.pos)
        return out

    def _file_scope(self, body: ast.PackageBody) -> dict[str, ast.UsePath]:
        """The names a file's top-level `use`s add; a name may appear once per file."""
        scope: dict[str, ast.UsePath] = {}
        seen: set[str] = set()
        for item in body.items:
            if isinstance(item, ast.TopUse):
                if item.gate.pos != -1:
                    raise self.local.err("attributes not allowed on top-level use", item.gate.pos)
                ident = item.alias or item.path.name
                if item.path.package is None and item.path.name.name not in self.items:
                    raise self.local.err(
                        f"interface or world `{item.path.name.name}` does not exist",
                        item.path.name.pos,
                    )
                scope[ident.name] = item.path
            else:
                assert item.name is not None
                ident = item.name
            if ident.name in seen:
                raise self.local.err(f"duplicate name `{ident.name}` in this file", ident.pos)
            seen.add(ident.name)
        return scope

    def _edges(self, decls: list[Declared]) -> list[list[tuple[int, None]]]:
        """Item i depends on item j when it uses (or, for a world, includes) j."""
        index = {d.name.name: i for i, d in enumerate(decls)}
        edges: list[list[tuple[int, None]]] = [[] for _ in decls]
        for i, d in enumerate(decls):
            self.local.file = d.file
            for p, is_include in _local_paths(d.node):
                if p.package is not None:
                    continue
                alias = self.file_alias(p.name.name, d.file)
                if alias is not None and alias.package is not None:
                    continue
                target = alias.name.name if alias is not None else p.name.name
                if target not in index:
                    raise self.local.err(
                        f"interface or world `{p.name.name}` does not exist", p.name.pos
                    )
                j = index[target]
                if (decls[j].kind == "world") == is_include:
                    edges[i].append((j, None))
                # else: reported as a kind mismatch when the path is resolved
        return edges

    def _check_foreign_kinds(self) -> None:
        """A foreign name is an interface or a world for the whole package, never both."""
        kinds: dict[tuple[ast.PackageKey, str], ItemKind] = {}
        lookups: list[tuple[ast.UsePath, model.Stability, ast.SourceFile]] = []

        def see(p: ast.UsePath, kind: ItemKind, stab: model.Stability) -> None:
            if p.package is None:
                return
            prev = kinds.setdefault((p.package.key, p.name.name), kind)
            if prev != kind:
                was = "an interface" if prev == "interface" else "a world"
                now = "a world" if kind == "world" else "an interface"
                raise self.local.err(f"name `{p.name.name}` is defined as {was}, not {now}", p.name.pos)
            if kind == "interface":
                lookups.append((p, stab, self.local.file))

        for body in self.local.unit.bodies:
            self.local.file = body.source
            for item in body.items:
                for p, kind, gate in _foreign_candidates(item):
                    see(p, kind, stability(gate) if gate is not None else model.Stability())
        for p, stab, file in lookups:
            self.local.file = file
            self.foreign(p, "interface", stab)

    def file_alias(self, name: str, file: ast.SourceFile) -> ast.UsePath | None:
        return self.file_scope.get(id(file), {}).get(name)

    def _local_item(self, name: ast.Id, aliased: bool) -> Declared | ast.UsePath:
        """The item a package-local name refers to, or the path a top-level `use` gave it.

        The path of such a `use` names a package item directly (`aliased`), never another
        `use` of the file.
        """
        alias = None if aliased else self.file_alias(name.name, self.local.file)
        if alias is not None:
            return alias
        item = self.items.get(name.name)
        if item is None:
            raise self.local.err(f"interface or world `{name.name}` does not exist", name.pos)
        return item

    def interface(
        self, p: ast.UsePath, stab: model.Stability, aliased: bool = False
    ) -> model.InterfaceId:
        """A `use`/`import` path to an interface id (provisional, global or `GATED_OFF`)."""
        if p.package is not None:
            return self.foreign(p, "interface", stab)
        item = self._local_item(p.name, aliased)
        if isinstance(item, ast.UsePath):
            return self.interface(item, stab, aliased=True)
        if item.kind == "world":
            raise self.local.err(
                f"name `{p.name.name}` is defined as a world, not an interface", p.name.pos
            )
        return item.id

    def world(self, p: ast.UsePath, aliased: bool = False) -> model.WorldId:
        """An `include` path to a world id (provisional or global)."""
        if p.package is not None:
            return self.foreign(p, "world", model.Stability())
        item = self._local_item(p.name, aliased)
        if isinstance(item, ast.UsePath):
            return self.world(item, aliased=True)
        if item.kind == "interface":
            raise self.local.err(
                f"name `{p.name.name}` is defined as an interface, not a world", p.name.pos
            )
        return item.id

    def foreign(self, p: ast.UsePath, kind: ItemKind, stab: model.Stability) -> int:
        """The id of an item of an earlier package (`GATED_OFF` if gated off and missing)."""
        assert p.package is not None
        r = self.ctx.resolve
        pid = self.ctx.pkg_ids.get(p.package.key)
        if pid is None:
            known = sorted(str(pkg.name) for pkg in r.packages)
            msg = f"package '{p.package}' not found"
            if known:
                msg += ". known packages:\n" + "\n".join(f"    {k}" for k in known)
            raise self.local.err(msg, p.package.pos)
        pkg = r.packages[pid]
        table = pkg.interfaces if kind == "interface" else pkg.worlds
        if p.name.name not in table:
            if not self.ctx.active(stab):
                return GATED_OFF
            raise self.local.err(
                f"{kind} '{p.name.name}' not found in package '{p.package}'", p.name.pos
            )
        return table[p.name.name]


def _cycle_error(d: Declared) -> WitError:
    return d.file.error(f"interface or world `{d.name.name}` depends on itself", d.name.pos)


def _local_paths(node: ast.Interface | ast.World) -> list[tuple[ast.UsePath, bool]]:
    """The paths an item's ordering depends on: (path, whether it is an `include`)."""
    match node:
        case ast.Interface():
            return [(u.path, False) for u in node.items if isinstance(u, ast.Use)]
        case ast.World():
            paths: list[tuple[ast.UsePath, bool]] = []
            for wi in node.items:
                if isinstance(wi, ast.WorldExtern) and isinstance(wi.item, ast.ExternInterface):
                    paths += [(u.path, False) for u in wi.item.body.items if isinstance(u, ast.Use)]
                elif isinstance(wi, ast.Include):
                    paths.append((wi.path, True))
            return paths


def _foreign_candidates(
    item: ast.Interface | ast.World | ast.TopUse,
) -> list[tuple[ast.UsePath, ItemKind, ast.Gate | None]]:
    """Paths of a top-level item that may name foreign items, in wit-parser's checking order."""
    match item:
        case ast.Interface():
            return [(u.path, "interface", u.gate) for u in item.items if isinstance(u, ast.Use)]
        case ast.World():
            out: list[tuple[ast.UsePath, ItemKind, ast.Gate | None]] = []
            for wi in item.items:
                if isinstance(wi, ast.Use):
                    out.append((wi.path, "interface", wi.gate))
                elif isinstance(wi, ast.Include):
                    out.append((wi.path, "world", wi.gate))
            for direction in ("import", "export"):
                for wi in item.items:
                    if isinstance(wi, ast.WorldExtern) and wi.direction == direction:
                        if isinstance(wi.item, ast.ExternPath):
                            out.append((wi.item.path, "interface", wi.gate))
            return out
        case ast.TopUse():
            return [(item.path, "interface", None)]
