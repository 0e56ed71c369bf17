"""The local model of one package while it is resolved, before it joins the global arenas.

Step 1 (`witgen.wit.unresolved`) builds model objects for one package and keeps them here, in
local arenas. A local item gets a provisional id: the id it would have if nothing were
feature-gated, i.e. its arena's length in the `Resolve` when the package started plus its local
index. Ids below that base are items of earlier packages. So references are plain model ids
throughout, and step 2 (`witgen.wit.append`) renumbers the local ones when it copies them.
"""

from __future__ import annotations

from witgen import model
from witgen.errors import WitError
from witgen.records import field, record
from witgen.wit import ast
from witgen.wit.loader import PackageUnit

#: the id that stands for a foreign interface or type which only feature-gated-off statements
#: refer to: it resolves to nothing, and is an error if something enabled ends up using it
GATED_OFF = -1
#: what `GATED_OFF` means as a type while resolving: a resource no one can see
GATED_OFF_TYPE = model.TypeDef(None, model.Resource(), None)

#: an anonymous type's identity: its kind with every reference replaced by an id
AnonKey = tuple[object, ...]


@record(slots=False)
class Context:
    """What every package of one load shares: the growing `Resolve` and the enabled features."""

    resolve: model.Resolve
    features: frozenset[str]
    all_features: bool
    pkg_ids: dict[ast.PackageKey, int] = field(default_factory=dict)

    def active(self, s: model.Stability) -> bool:
        """Whether an item with this stability exists in this load (version gates always do)."""
        return s.kind != "unstable" or self.all_features or s.feature in self.features


def stability(gate: ast.Gate) -> model.Stability:
    if gate.kind == "unknown":
        return model.Stability()
    return model.Stability(gate.kind, gate.since, gate.feature, gate.deprecated)


@record(slots=False)
class IncludeRef:
    """A world's `include`, with the world it names (a provisional or global world id)."""

    node: ast.Include
    file: ast.SourceFile
    target: model.WorldId


class LocalPackage:
    """Local arenas of one package, where each item was written, and the file being read."""

    def __init__(self, ctx: Context, unit: PackageUnit) -> None:
        self.ctx = ctx
        self.unit = unit
        r = ctx.resolve
        self.type_base = len(r.types)
        self.iface_base = len(r.interfaces)
        self.world_base = len(r.worlds)
        self.types: list[model.TypeDef] = []  # in creation order, which is id order
        self.interfaces: list[model.Interface] = []
        self.worlds: list[model.World] = []
        self.where: dict[int, ast.Where] = {}  # id(model object) -> where it was written
        self.includes: dict[model.WorldId, list[IncludeRef]] = {}
        self.anon: dict[AnonKey, model.TypeId] = {}
        #: the file whose items are being resolved: errors point into it
        self.file = unit.bodies[0].source

    # --- errors and locations -------------------------------------------------------------

    def err(self, msg: str, pos: int) -> WitError:
        return self.file.error(msg, pos)

    def note(self, obj: object, pos: int) -> None:
        self.where[id(obj)] = ast.Where(self.file, pos)

    def where_of(self, obj: object) -> ast.Where | None:
        return self.where.get(id(obj))

    def pos_of(self, obj: object) -> int:
        w = self.where.get(id(obj))
        return w.pos if w else 0

    # --- arenas -------------------------------------------------------------------------

    def new_type(self, td: model.TypeDef, pos: int) -> model.TypeId:
        self.types.append(td)
        self.note(td, pos)
        return self.type_base + len(self.types) - 1

    def new_interface(self, iface: model.Interface, pos: int) -> model.InterfaceId:
        self.interfaces.append(iface)
        self.note(iface, pos)
        return self.iface_base + len(self.interfaces) - 1

    def new_world(self, world: model.World, pos: int) -> model.WorldId:
        self.worlds.append(world)
        self.note(world, pos)
        return self.world_base + len(self.worlds) - 1

    def typedef(self, t: model.TypeId) -> model.TypeDef:
        """The definition behind a type id: local, of an earlier package, or `GATED_OFF`."""
        if t == GATED_OFF:
            return GATED_OFF_TYPE
        if t >= self.type_base:
            return self.types[t - self.type_base]
        return self.ctx.resolve.types[t]

    def local_typedef(self, t: model.Type | None) -> model.TypeDef | None:
        """The definition of `t` when it is a type of this package, else None."""
        if isinstance(t, int) and t >= self.type_base:
            return self.types[t - self.type_base]
        return None

    def interface(self, i: model.InterfaceId) -> model.Interface:
        return self.interfaces[i - self.iface_base]
