"""The resolved WIT model: one set of typed dataclasses that every later stage consumes.

The shape mirrors wit-parser's `Resolve`: four arenas (`worlds`, `interfaces`, `types`,
`packages`) whose items refer to each other by index. A `Type` is either a `Prim` (a primitive
such as `u32` or `string`) or an `int`, the index of a `TypeDef` in `Resolve.types`.

Nothing in here parses or validates; `witgen.wit` builds it, `witgen.wit.jsonout` prints it,
`witgen.abi` computes the canonical ABI of it and the generators read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import Protocol, Union, assert_never

from witgen.records import field, record


class Prim(str, Enum):
    BOOL = "bool"
    U8 = "u8"
    U16 = "u16"
    U32 = "u32"
    U64 = "u64"
    S8 = "s8"
    S16 = "s16"
    S32 = "s32"
    S64 = "s64"
    F32 = "f32"
    F64 = "f64"
    CHAR = "char"
    STRING = "string"
    ERROR_CONTEXT = "error-context"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.value


TypeId = int
InterfaceId = int
WorldId = int
PackageId = int

#: A WIT type: a primitive, or the index of a `TypeDef` in `Resolve.types`.
Type = Union[Prim, TypeId]


class Span(Protocol):
    """Where an item was written (the front end's `wit.ast.Where` is one): its file's path as
    given to the loader and text, and the 1-based line and column (the column in UTF-8 bytes,
    as wasm-tools counts) worked out when an error asks, so loading pays nothing for them."""

    @property
    def path(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def line(self) -> int: ...

    @property
    def col(self) -> int: ...


# --- stability ------------------------------------------------------------------------------


@record
class Stability:
    """`@since`/`@unstable`/`@deprecated` of an item. `kind` is "unknown" when none was given."""

    kind: str = "unknown"  # "unknown" | "stable" | "unstable"
    since: str | None = None  # for stable
    feature: str | None = None  # for unstable
    deprecated: str | None = None

    @property
    def is_unknown(self) -> bool:
        return self.kind == "unknown"


# --- type definitions -----------------------------------------------------------------------


@record
class Field:
    name: str
    type: Type
    docs: str | None = None


@record
class Record:
    fields: list[Field]


@record
class Resource:
    pass


@record
class Handle:
    kind: str  # "own" | "borrow"
    resource: TypeId


@record
class Flag:
    name: str
    docs: str | None = None


@record
class Flags:
    flags: list[Flag]


@record
class Tuple:
    types: list[Type]


@record
class Case:
    name: str
    type: Type | None
    docs: str | None = None


@record
class Variant:
    cases: list[Case]


@record
class EnumCase:
    name: str
    docs: str | None = None


@record
class Enum_:
    cases: list[EnumCase]


@record
class Option_:
    type: Type


@record
class Result_:
    ok: Type | None
    err: Type | None


@record
class List:
    type: Type


@record
class FixedList:
    type: Type
    size: int


@record
class Map:
    key: Type
    value: Type


@record
class Future:
    type: Type | None


@record
class Stream:
    type: Type | None


@record
class Alias:
    """`type x = y`, and the local name a `use` introduces."""

    type: Type


TypeDefKind = Union[
    Record,
    Resource,
    Handle,
    Flags,
    Tuple,
    Variant,
    Enum_,
    Option_,
    Result_,
    List,
    FixedList,
    Map,
    Future,
    Stream,
    Alias,
]


def map_kind(kind: TypeDefKind, f: Callable[[Type], Type]) -> TypeDefKind:
    """A copy of `kind` with every contained `Type` replaced by `f(type)`.

    Only value positions are mapped: `Alias`, `Handle`, and kinds without references come
    back unchanged, since callers treat those references differently.
    """

    def opt(t: Type | None) -> Type | None:
        return None if t is None else f(t)

    match kind:
        case Record(fields):
            return Record([Field(x.name, f(x.type), x.docs) for x in fields])
        case Variant(cases):
            return Variant([Case(c.name, opt(c.type), c.docs) for c in cases])
        case List(t):
            return List(f(t))
        case FixedList(t, size):
            return FixedList(f(t), size)
        case Map(key, value):
            return Map(f(key), f(value))
        case Option_(t):
            return Option_(f(t))
        case Result_(ok, err):
            return Result_(opt(ok), opt(err))
        case Tuple(types):
            return Tuple([f(t) for t in types])
        case Future(t):
            return Future(opt(t))
        case Stream(t):
            return Stream(opt(t))
        case Resource() | Handle() | Flags() | Enum_() | Alias():
            return kind
        case _:
            assert_never(kind)


def walk_types(
    types: list[TypeDef],
    roots: Iterable[Type],
    seen: set[TypeId] | None = None,
    *,
    into_handles: bool = True,
) -> Iterator[TypeId]:
    """Every type id a value of one of `roots` refers to, each once (ids already in `seen` are
    skipped; `seen` is updated as the walk goes, so a caller may stop early and walk on later).
    With `into_handles=False` a handle's resource is not followed."""
    seen = set() if seen is None else seen
    todo = list(roots)
    while todo:
        t = todo.pop()
        if isinstance(t, Prim) or t in seen:
            continue
        seen.add(t)
        yield t
        kind = types[t].kind
        if into_handles or not isinstance(kind, Handle):
            todo += kind_refs(kind)


def kind_refs(kind: TypeDefKind) -> list[Type]:
    """Every `Type` a kind refers to, in order (alias and handle targets included)."""
    match kind:
        case List(t) | FixedList(t) | Option_(t) | Alias(t):
            return [t]
        case Map(key, value):
            return [key, value]
        case Result_(ok, err):
            return [t for t in (ok, err) if t is not None]
        case Tuple(types):
            return list(types)
        case Future(t) | Stream(t):
            return [t] if t is not None else []
        case Handle(_, resource):
            return [resource]
        case Record(fields):
            return [x.type for x in fields]
        case Variant(cases):
            return [c.type for c in cases if c.type is not None]
        case Resource() | Flags() | Enum_():
            return []
        case _:
            assert_never(kind)


@record
class Owner:
    kind: str  # "interface" | "world"
    id: int


@record
class TypeDef:
    name: str | None
    kind: TypeDefKind
    owner: Owner | None
    docs: str | None = None
    stability: Stability = field(default_factory=Stability)
    span: Span | None = None
    external_id: str | None = None  # `@external-id("...")`


# --- functions ------------------------------------------------------------------------------

FUNC_KINDS = (
    "freestanding",
    "async-freestanding",
    "method",
    "async-method",
    "static",
    "async-static",
    "constructor",
)


@record
class Param:
    name: str
    type: Type


@record
class Function:
    """A function. `name` is the ABI name: `f`, `[method]r.f`, `[static]r.f`, `[constructor]r`."""

    name: str
    kind: str  # one of FUNC_KINDS
    params: list[Param]
    result: Type | None = None
    resource: TypeId | None = None  # for method/static/constructor kinds
    docs: str | None = None
    stability: Stability = field(default_factory=Stability)
    span: Span | None = None
    external_id: str | None = None

    @property
    def is_async(self) -> bool:
        return self.kind.startswith("async")

    @property
    def base_kind(self) -> str:
        """The kind without `async-`: freestanding, method, static or constructor."""
        return self.kind.removeprefix("async-")

    @property
    def item_name(self) -> str:
        """The name as written in WIT (`f` for `[method]r.f`, the resource for a constructor)."""
        if self.name.startswith("["):
            rest = self.name.split("]", 1)[1]
            return rest.split(".", 1)[1] if "." in rest else rest
        return self.name

    @property
    def types(self) -> list[Type]:
        """The parameter types, then the result type if any."""
        return [p.type for p in self.params] + ([self.result] if self.result is not None else [])


# --- interfaces, worlds, packages -----------------------------------------------------------


@record(slots=False)
class Interface:
    name: str | None  # None for an anonymous interface inlined in a world
    types: dict[str, TypeId]
    functions: dict[str, Function]
    package: PackageId | None
    docs: str | None = None
    stability: Stability = field(default_factory=Stability)
    span: Span | None = None
    clone_of: InterfaceId | None = None  # set on copies made by a world `include`


@record
class InterfaceItem:
    id: InterfaceId
    stability: Stability = field(default_factory=Stability)
    docs: str | None = None
    external_id: str | None = None


@record
class FunctionItem:
    function: Function


@record
class TypeItem:
    id: TypeId


WorldItem = Union[InterfaceItem, FunctionItem, TypeItem]

#: Key of a world import/export: a plain name (`str`), or an interface id (`int`) for
#: `import ns:pkg/iface;`-style items.
WorldKey = Union[str, InterfaceId]


@record(slots=False)
class World:
    name: str
    imports: dict[WorldKey, WorldItem]
    exports: dict[WorldKey, WorldItem]
    package: PackageId | None
    docs: str | None = None
    stability: Stability = field(default_factory=Stability)
    span: Span | None = None


@record(frozen=True, slots=False)
class PackageName:
    namespace: str
    name: str
    version: str | None = None

    def __str__(self) -> str:
        base = f"{self.namespace}:{self.name}"
        return f"{base}@{self.version}" if self.version else base


@record(slots=False)
class Package:
    name: PackageName
    interfaces: dict[str, InterfaceId]
    worlds: dict[str, WorldId]
    docs: str | None = None


@record(slots=False)
class Resolve:
    """All packages loaded together, with every name resolved."""

    worlds: list[World] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    types: list[TypeDef] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    #: the package the user pointed at (the root of a directory load, or the file's package)
    main_package: PackageId | None = None
    #: every WIT file that was read, as the loader named them
    source_files: list[str] = field(default_factory=list)

    # --- navigation helpers shared by every consumer -----------------------------------

    def typedef(self, t: Type) -> TypeDef | None:
        return None if isinstance(t, Prim) else self.types[t]

    def unalias(self, t: Type) -> Type:
        """Follow `type x = y` aliases (and `use`) to the underlying type."""
        while not isinstance(t, Prim):
            kind = self.types[t].kind
            if not isinstance(kind, Alias):
                break
            t = kind.type
        return t

    def interface_name(self, iid: InterfaceId) -> str | None:
        """`ns:pkg/iface@ver` for a named interface in a package, else None."""
        iface = self.interfaces[iid]
        if iface.name is None or iface.package is None:
            return None
        pkg = self.packages[iface.package].name
        base = f"{pkg.namespace}:{pkg.name}/{iface.name}"
        return f"{base}@{pkg.version}" if pkg.version else base

    def world_functions(self, world_id: WorldId) -> Iterator[tuple[bool, Function]]:
        """`(is_import, function)` for every function the world imports, then exports: its
        own functions and those of its interfaces, in declaration order."""
        world = self.worlds[world_id]
        for is_import, items in ((True, world.imports), (False, world.exports)):
            for item in items.values():
                if isinstance(item, FunctionItem):
                    yield is_import, item.function
                elif isinstance(item, InterfaceItem):
                    for f in self.interfaces[item.id].functions.values():
                        yield is_import, f

    def world_key_name(self, key: WorldKey) -> str:
        """The component-level name of a world import/export key."""
        if isinstance(key, str):
            return key
        name = self.interface_name(key)
        assert name is not None
        return name

    def select_world(self, name: str | None = None, package: PackageId | None = None) -> WorldId:
        """Find a world by `name` (`w`, or `ns:pkg/w`); None means the main package's only world.

        Raises `WitError` (without a location) when the choice is missing or ambiguous.
        """
        from witgen.errors import WitError

        pkg_id = self.main_package if package is None else package
        if name is None:
            if pkg_id is None:
                raise WitError("no package was loaded, so there is no world to pick")
            worlds = self.packages[pkg_id].worlds
            if len(worlds) != 1:
                names = ", ".join(sorted(worlds)) or "none"
                raise WitError(
                    f"package `{self.packages[pkg_id].name}` has {len(worlds)} worlds "
                    f"({names}); pick one with --world"
                )
            return next(iter(worlds.values()))
        if "/" in name:
            # `ns:pkg/w`, or as wit-parser writes a versioned one, `ns:pkg/w@1.0.0`
            pkg_part, world_part = name.split("/", 1)
            world_part, _, version = world_part.partition("@")
            for pkg in self.packages:
                base = f"{pkg.name.namespace}:{pkg.name.name}"
                if version and (pkg_part != base or pkg.name.version != version):
                    continue
                if pkg_part in (base, str(pkg.name)) and world_part in pkg.worlds:
                    return pkg.worlds[world_part]
            raise WitError(f"world `{name}` not found")
        if pkg_id is not None and name in self.packages[pkg_id].worlds:
            return self.packages[pkg_id].worlds[name]
        found = [pkg.worlds[name] for pkg in self.packages if name in pkg.worlds]
        if len(found) == 1:
            return found[0]
        if not found:
            raise WitError(f"world `{name}` not found")
        raise WitError(f"world name `{name}` is ambiguous; qualify it as `ns:pkg/{name}`")
