"""The world walk: the parts of the generated `__init__.py` (types, the guest's resource
classes, the import Protocols and `Imports`, the export classes and the world class), as
strings the template joins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from witgen.model import (
    Enum_,
    Flags,
    InterfaceItem,
    Record,
    Resolve,
    Resource,
    Type,
    TypeId,
    TypeItem,
    Variant,
    World,
    walk_types,
)

from . import names as N
from .calls import Calls
from .convert import Converters
from .pytypes import PyTypes, doc_lines
from .scopes import Member, Scope, guest_resources, scopes
from .sides import Sides


@dataclass
class Parts:
    world_class: str
    types: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    protocols: list[str] = field(default_factory=list)
    #: (name, annotation, docs) of the fields of `Imports`
    imports_fields: list[tuple[str, str, str | None]] = field(default_factory=list)
    link: list[str] = field(default_factory=list)
    export_classes: list[str] = field(default_factory=list)
    world_members: list[str] = field(default_factory=list)
    world_init: list[str] = field(default_factory=list)
    exports_lookup: list[str] = field(default_factory=list)
    helpers: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ntables: int = 0
    has_imports: bool = False
    #: the world imports `wasi:http` interfaces (wasmtime-py can link its own)
    wasi_http: bool = False


def named_types(resolve: Resolve, world: World) -> list[TypeId]:
    """Named records, enums, flags, variants and resources the world's items reach, by id."""
    todo: list[Type] = []
    for items in (world.imports, world.exports):
        for item in items.values():
            if isinstance(item, InterfaceItem):
                iface = resolve.interfaces[item.id]
                todo += list(iface.types.values())
                for f in iface.functions.values():
                    todo += f.types
            elif isinstance(item, TypeItem):
                todo.append(item.id)
            else:
                todo += item.function.types
    seen = set(walk_types(resolve.types, todo))
    keep = (Record, Enum_, Flags, Variant, Resource)
    return sorted(t for t in seen if resolve.types[t].name and isinstance(resolve.types[t].kind, keep))


class ModuleBuilder:
    def __init__(self, resolve: Resolve, world_id: int) -> None:
        self.r = resolve
        self.world = resolve.worlds[world_id]
        self.sides = Sides(resolve, self.world)
        self.sides.refuse_mixed()
        self.guest_res = guest_resources(resolve, self.world)
        self.world_class = N.pascal(self.world.name) or "World"
        if self.world_class in N.RESERVED_TYPES:
            self.world_class += "World"
        reserved = {self.world_class, "Imports"}
        self.imp = scopes(resolve, self.world, False, {"drop"})
        self.exp = scopes(resolve, self.world, True, {"load", "drop", "store", "instance"})
        reserved |= {s.cls for s in self.imp + self.exp if s.cls}
        named = named_types(resolve, self.world)
        self.types = PyTypes(resolve, named, reserved)
        #: the export side's named types that differ from the import side's (sides.py)
        self.guest_named = self.sides.export_named(named)
        self.gtypes = self.types.guest_view(self.guest_named) if self.guest_named else self.types
        host_only = self.guest_res - self.sides.resources
        host = [t for t in self.types.names if isinstance(resolve.types[t].kind, Resource)
                and t not in host_only]  # fmt: skip
        self.tables = {t: i for i, t in enumerate(host)}
        self.conv = Converters(resolve, self.types, host_only, self.tables)
        self.calls = Calls(resolve, self.types, self.conv)
        self.gconv, self.gcalls = self.conv, self.calls
        if self.sides.resources:
            self.gconv = Converters(
                resolve, self.gtypes, self.guest_res, self.tables, self.conv.helpers, "g",
                self.sides.sided,
            )  # fmt: skip
            self.gconv.dyn = self.conv.dyn
            self.gcalls = Calls(resolve, self.gtypes, self.gconv)
        self.nfx = 0

    def build(self) -> Parts:
        p = Parts(self.world_class, ntables=len(self.tables))
        for tid in self.types.names:
            if not isinstance(self.r.types[tid].kind, Resource):
                p.types.append(self.types.declare(tid))
        for tid in self.guest_named:
            if not isinstance(self.r.types[tid].kind, Resource):
                p.types.append(self.gtypes.declare(tid))
        self._imports(p)
        self._exports(p)
        p.helpers = [h for h in self.conv.helpers.values()]
        p.names = sorted(
            [self.world_class, "Imports"]
            + [s.cls for s in self.imp + self.exp if s.cls and (s.members or s.resources)]
            + list(self.types.names.values())
            + list(self.types.case_names.values())
            + [self.gtypes.names[t] for t in self.guest_named]
            + [n for k, n in self.gtypes.case_names.items() if k[0] in self.guest_named]
        )
        return p

    # --- imports ----------------------------------------------------------------------------

    def _imports(self, p: Parts) -> None:
        n = 0
        for sc in self.imp:
            for rid in sc.resources:
                p.protocols.append(self._host_resource(rid, sc))
            block: list[str] = []
            if sc.key is not None and not (sc.members or sc.resources):
                continue
            if sc.key is None:
                for m in sc.members:
                    if m.func.kind not in ("method", "async-method"):
                        p.imports_fields.append((m.name, self._callable(m), m.func.docs))
                target = "imp"
                block.append("i = root\n")
            else:
                p.protocols.append(self._protocol(sc))
                optional = (sc.wit_name or "").startswith("wasi:")
                p.wasi_http = p.wasi_http or (sc.wit_name or "").startswith("wasi:http/")
                p.imports_fields.append((sc.attr, sc.cls + (" | None" if optional else ""), None))
                block.append(f"i = root.add_instance({sc.wit_name!r})\n")
                if any(m.func.kind not in ("method", "async-method") for m in sc.members):
                    block.append(f"o{n} = imp.{sc.attr}\n")
                target = f"o{n}"
            p.has_imports = p.has_imports or bool(sc.members or sc.resources)
            for rid in sc.resources:
                name = self.r.types[rid].name
                block.append(f"c.tables[{self.tables[rid]}] = tb = _rt.HostTable({name!r})\n")
                block.append(
                    f"i.add_resource({name!r}, wc.ResourceType.host(tb.type_id), tb.dtor)\n"
                )
            for m in sc.members:
                block.append(self.calls.trampoline(m, n, f"{target}.{m.name}", ""))
                block.append(f"i.add_func({m.func.name!r}, f{n})\n")
                n += 1
            if sc.key is not None:
                block.append("i.close()\n")
            if not (sc.members or sc.resources):
                continue
            ind = "    "
            if sc.key is not None and (sc.wit_name or "").startswith("wasi:"):
                p.link.append(f"    if imp.{sc.attr} is not None:\n")
                ind = "        "
            text = "".join(block)
            lines = text.splitlines(keepends=True)
            p.link.append("".join(ind + line if line.strip() else line for line in lines))
            if ind != "    " and sc.resources:  # left to wasmtime: its resources are refused
                p.link.append("    else:\n")
                for rid in sc.resources:
                    name = self.r.types[rid].name
                    p.link.append(
                        f"        c.tables[{self.tables[rid]}] = _rt.HostTable({name!r}, {sc.attr!r})\n"
                    )

    def _callable(self, m: Member) -> str:
        params = [self.types.annot(t) for _, _, t in self.calls.params(m, False)]
        return f"_t.Callable[[{', '.join(params)}], {self.calls.returns(m)}]"

    def _protocol(self, sc: Scope) -> str:
        lines = [f"class {sc.cls}(_t.Protocol):\n"]
        lines.append(doc_lines(sc.docs, "    ") or f'    """Imports of `{sc.wit_name}`."""\n')
        for m in sc.members:
            if m.func.kind in ("method", "async-method"):
                continue
            lines.append(f"\n    {self.calls.signature(m, False)}\n")
            lines.append(self.calls.doc(m, False, "        "))
            lines.append("        ...\n")
        return "".join(lines)

    def _host_resource(self, rid: TypeId, sc: Scope) -> str:
        td = self.r.types[rid]
        name = self.types.names[rid]
        lines = [f"class {name}(_t.Protocol):\n"]
        lines.append(
            doc_lines(td.docs, "    ")
            or f'    """The host implements resource `{td.name}`: any object with these methods."""\n'
        )
        for m in sc.members:
            if m.resource == rid and m.func.kind in ("method", "async-method"):
                lines.append(f"\n    {self.calls.signature(m, True)}\n")
                lines.append(self.calls.doc(m, False, "        "))
                lines.append("        ...\n")
        return "".join(lines)

    # --- exports ----------------------------------------------------------------------------

    def _exports(self, p: Parts) -> None:
        for sc in self.exp:
            for rid in sc.resources:
                p.resources.append(self._guest_resource(rid, sc, p))
            funcs = [m for m in sc.members if m.func.kind not in ("method", "async-method")]
            body = []
            for m in funcs:
                fx = self._lookup(p, sc, m.func.name)
                body.append(f"\n    {self.gcalls.signature(m, False)}\n")
                body.append(self.gcalls.doc(m, True, "        "))
                body.append("        c = self._c\n")
                body.append(self.gcalls.export_body(m, fx, None, "        "))
            if sc.key is None:
                p.world_members += body
                continue
            if not (sc.members or sc.resources):
                continue
            doc = doc_lines(sc.docs, "    ") or f'    """Exports of `{sc.wit_name}`."""\n'
            p.export_classes.append(
                f"class {sc.cls}:\n{doc}\n    __slots__ = ('_c',)\n\n"
                "    def __init__(self, c: _rt.Ctx) -> None:\n        self._c = c\n"
                + "".join(body)
            )
            p.world_init.append(f"        self.{sc.attr} = {sc.cls}(c)\n")
            p.world_members.insert(0, f"    {sc.attr}: {sc.cls}\n")

    def _lookup(self, p: Parts, sc: Scope, name: str) -> int:
        fx = self.nfx
        self.nfx += 1
        p.exports_lookup.append(f"        _rt.export_func(inst, store, {sc.wit_name!r}, {name!r}),\n")
        return fx

    def _guest_resource(self, rid: TypeId, sc: Scope, p: Parts) -> str:
        td = self.r.types[rid]
        name = self.gtypes.names[rid]
        doc = doc_lines(td.docs, "    ") or f'    """Resource `{td.name}`, implemented by the guest."""\n'
        lines = [f"class {name}(_rt.GuestResource):\n{doc}\n    __slots__ = ()\n"]
        for m in sc.members:
            if m.resource == rid and m.func.kind in ("method", "async-method"):
                fx = self._lookup(p, sc, m.func.name)
                lines.append(f"\n    {self.gcalls.signature(m, True)}\n")
                lines.append(self.gcalls.doc(m, True, "        "))
                lines.append("        c = self._c\n")
                lines.append(self.gcalls.export_body(m, fx, "self", "        "))
        return "".join(lines)
