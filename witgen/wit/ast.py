"""The syntax tree of one WIT file, as the parser builds it (no names resolved yet).

Every node that can be named in an error carries `pos`, a character offset into its file;
`SourceFile` turns offsets into `file:line:col`.
"""

from __future__ import annotations

from typing import Union

from witgen.errors import WitError, line_col
from witgen.records import field, record


@record
class SourceFile:
    path: str  # as shown in errors
    text: str

    def error(self, msg: str, pos: int) -> WitError:
        line, col = line_col(self.text, pos)
        return WitError(msg, self.path, line, col, self.text)


@record
class Where:
    """A place in a source file: what an error about a resolved item points at. The model
    keeps it as the item's `model.Span`."""

    file: SourceFile
    pos: int

    def error(self, msg: str) -> WitError:
        return self.file.error(msg, self.pos)

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def text(self) -> str:
        return self.file.text

    @property
    def line(self) -> int:
        return line_col(self.file.text, self.pos)[0]

    @property
    def col(self) -> int:
        return line_col(self.file.text, self.pos)[1]


@record
class Id:
    name: str
    pos: int


@record
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


@record
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


@record
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


@record
class TPrim:
    name: str
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)


@record
class TName:
    name: Id
    depth: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def pos(self) -> int:
        return self.name.pos


@record
class TList:
    elem: Ty
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@record
class TFixedList:
    elem: Ty
    size: int
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@record
class TMap:
    key: Ty
    value: Ty
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.key, self.value)


@record
class TOption:
    elem: Ty
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@record
class TResult:
    ok: Ty | None
    err: Ty | None
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.ok is not None or self.err is not None:
            self.depth = _depth(self.ok, self.err)


@record
class TTuple:
    elems: list[Ty]
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(*self.elems)


@record
class TFuture:
    elem: Ty | None
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@record
class TStream:
    elem: Ty | None
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.depth = _depth(self.elem)


@record
class THandle:
    kind: str  # own | borrow
    resource: Id
    pos: int
    depth: int = field(default=0, init=False, repr=False, compare=False)


Ty = Union[
    TPrim, TName, TList, TFixedList, TMap, TOption, TResult, TTuple, TFuture, TStream, THandle
]


# --- items ----------------------------------------------------------------------------------


@record
class Param:
    name: Id
    ty: Ty


@record
class FuncType:
    is_async: bool
    params: list[Param]
    result: Ty | None
    pos: int


@record
class Func:
    name: Id
    ty: FuncType
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None

    @property
    def pos(self) -> int:
        return self.name.pos


@record
class Named:
    """A record field, variant case, enum case or flag."""

    name: Id
    ty: Ty | None = None
    docs: str | None = None


@record
class ResourceFunc:
    kind: str  # constructor | method | static
    name: Id  # the resource's name for a constructor
    ty: FuncType
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None


@record
class TypeDecl:
    kind: str  # alias | record | flags | variant | enum | resource
    name: Id
    ty: Ty | None = None  # alias target
    members: list[Named] = field(default_factory=list)
    funcs: list[ResourceFunc] = field(default_factory=list)
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@record
class Use:
    path: UsePath
    names: list[tuple[Id, Id | None]]  # (name, as-name)
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@record
class Interface:
    name: Id | None
    items: list[Use | TypeDecl | Func]
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@record
class ExternFunc:
    name: Id
    func: FuncType


@record
class ExternInterface:
    name: Id
    body: Interface


@record
class ExternPath:
    path: UsePath
    label: Id | None = None  # `import label: path;`


ExternItem = Union[ExternFunc, ExternInterface, ExternPath]


@record
class WorldExtern:
    direction: str  # import | export
    item: ExternItem
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@record
class Include:
    path: UsePath
    renames: list[tuple[Id, Id]]
    gate: Gate = field(default_factory=Gate)
    pos: int = -1


@record
class World:
    name: Id
    items: list[WorldExtern | Use | TypeDecl | Include]
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@record
class TopUse:
    path: UsePath
    alias: Id | None
    gate: Gate = field(default_factory=Gate)
    pos: int = -1


@record
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
