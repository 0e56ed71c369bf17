"""The syntax tree of one WIT file, as the parser builds it (no names resolved yet).

Every node that can be named in an error carries `pos`, a character offset into its file;
`SourceFile` turns offsets into `file:line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from witgen.errors import WitError, line_col


@dataclass(slots=True)
class SourceFile:
    path: str  # as shown in errors
    text: str

    def error(self, msg: str, pos: int) -> WitError:
        line, col = line_col(self.text, pos)
        return WitError(msg, self.path, line, col, self.text)


@dataclass(slots=True)
class Where:
    """A place in a source file: what an error about a resolved item points at."""

    file: SourceFile
    pos: int

    def error(self, msg: str) -> WitError:
        return self.file.error(msg, self.pos)


@dataclass(slots=True)
class Id:
    name: str
    pos: int


@dataclass(slots=True)
class Gate:
    """An `@since`/`@unstable`/`@deprecated` attribute set; kind "unknown" when absent."""

    kind: str = "unknown"
    since: str | None = None
    feature: str | None = None
    deprecated: str | None = None
    external_id: str | None = None
    pos: int = -1


NO_GATE = Gate()


#: a package's identity: namespace, name and version
PackageKey = tuple[str, str, str | None]


@dataclass(slots=True)
class PackageName:
    namespace: Id
    name: Id
    version: str | None
    pos: int

    @property
    def key(self) -> PackageKey:
        return (self.namespace.name, self.name.name, self.version)

    def __str__(self) -> str:
        s = f"{self.namespace.name}:{self.name.name}"
        return f"{s}@{self.version}" if self.version else s


@dataclass(slots=True)
class UsePath:
    """`iface` (same package), or `ns:pkg/iface[@ver]`."""

    name: Id
    package: PackageName | None = None

    @property
    def pos(self) -> int:
        return self.package.pos if self.package else self.name.pos


# --- types ----------------------------------------------------------------------------------


# Each type node knows how deeply it nests (`depth`), so the resolver can enforce wit-parser's
# limit of 100 without walking the tree again. Names and primitives count 0; so do handles and a
# bare `result`, as the parser has always counted them.


def _depth(*children: Ty | None) -> int:
    return 1 + max((c.depth for c in children if c is not None), default=0)


@dataclass(slots=True)
class TPrim:
    name: str
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)


@dataclass(slots=True)
class TName:
    name: Id
    depth: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def pos(self) -> int:
        return self.name.pos


@dataclass(slots=True)
class TList:
    elem: Ty
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@dataclass(slots=True)
class TFixedList:
    elem: Ty
    size: int
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@dataclass(slots=True)
class TMap:
    key: Ty
    value: Ty
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.key, self.value)


@dataclass(slots=True)
class TOption:
    elem: Ty
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@dataclass(slots=True)
class TResult:
    ok: Ty | None
    err: Ty | None
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.ok is not None or self.err is not None:
            self.depth = _depth(self.ok, self.err)


@dataclass(slots=True)
class TTuple:
    elems: list[Ty]
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(*self.elems)


@dataclass(slots=True)
class TFuture:
    elem: Ty | None
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@dataclass(slots=True)
class TStream:
    elem: Ty | None
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@dataclass(slots=True)
class THandle:
    kind: str  # own | borrow
    resource: Id
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)


Ty = Union[
    TPrim, TName, TList, TFixedList, TMap, TOption, TResult, TTuple, TFuture, TStream, THandle
]


# --- items ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Param:
    name: Id
    ty: Ty


@dataclass(slots=True)
class FuncType:
    is_async: bool
    params: list[Param]
    result: Ty | None
    pos: int


@dataclass(slots=True)
class Func:
    name: Id
    ty: FuncType
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None

    @property
    def pos(self) -> int:
        return self.name.pos


@dataclass(slots=True)
class Named:
    """A record field, variant case, enum case or flag."""

    name: Id
    ty: Ty | None = None
    docs: str | None = None


@dataclass(slots=True)
class ResourceFunc:
    kind: str  # constructor | method | static
    name: Id  # the resource's name for a constructor
    ty: FuncType
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None


@dataclass(slots=True)
class TypeDecl:
    kind: str  # alias | record | flags | variant | enum | resource
    name: Id
    ty: Ty | None = None  # alias target
    members: list[Named] = field(default_factory=list)
    funcs: list[ResourceFunc] = field(default_factory=list)
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass(slots=True)
class Use:
    path: UsePath
    names: list[tuple[Id, Id | None]]  # (name, as-name)
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass(slots=True)
class Interface:
    name: Id | None
    items: list[Use | TypeDecl | Func]
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass(slots=True)
class ExternFunc:
    name: Id
    func: FuncType


@dataclass(slots=True)
class ExternInterface:
    name: Id
    body: Interface


@dataclass(slots=True)
class ExternPath:
    path: UsePath
    label: Id | None = None  # `import label: path;`


ExternItem = Union[ExternFunc, ExternInterface, ExternPath]


@dataclass(slots=True)
class WorldExtern:
    direction: str  # import | export
    item: ExternItem
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass(slots=True)
class Include:
    path: UsePath
    renames: list[tuple[Id, Id]]
    gate: Gate = field(default_factory=Gate)
    pos: int = -1


@dataclass(slots=True)
class World:
    name: Id
    items: list[WorldExtern | Use | TypeDecl | Include]
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass(slots=True)
class TopUse:
    path: UsePath
    alias: Id | None
    gate: Gate = field(default_factory=Gate)
    pos: int = -1


@dataclass(slots=True)
class PackageBody:
    """A package header plus its items: a whole file, or one `package a:b { ... }` block."""

    name: PackageName | None
    docs: str | None
    items: list[Interface | World | TopUse]
    nested: list[PackageBody] = field(default_factory=list)
    file: SourceFile | None = None
    pos: int = -1  # of the `package` keyword of a nested block
    depth: int = 0  # how many `package { }` blocks deep this one's nested blocks go

    @property
    def source(self) -> SourceFile:
        """The file this body came from (set by the parser and the cache for every body)."""
        assert self.file is not None
        return self.file
