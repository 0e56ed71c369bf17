"""The syntax tree of one WIT file, as the parser builds it (no names resolved yet).

Every node that can be named in an error carries `pos`, a character offset into its file;
`SourceFile` turns offsets into `file:line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from witgen.errors import WitError, line_col


@dataclass
class SourceFile:
    path: str  # as shown in errors
    text: str

    def error(self, msg: str, pos: int) -> WitError:
        line, col = line_col(self.text, pos)
        return WitError(msg, self.path, line, col, self.text)


@dataclass
class Id:
    name: str
    pos: int


@dataclass
class Gate:
    """An `@since`/`@unstable`/`@deprecated` attribute set; kind "unknown" when absent."""

    kind: str = "unknown"
    since: str | None = None
    feature: str | None = None
    deprecated: str | None = None
    external_id: str | None = None
    pos: int = -1


NO_GATE = Gate()


@dataclass
class PackageName:
    namespace: Id
    name: Id
    version: str | None
    pos: int

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.namespace.name, self.name.name, self.version)

    def __str__(self) -> str:
        s = f"{self.namespace.name}:{self.name.name}"
        return f"{s}@{self.version}" if self.version else s


@dataclass
class UsePath:
    """`iface` (same package), or `ns:pkg/iface[@ver]`."""

    name: Id
    package: PackageName | None = None

    @property
    def pos(self) -> int:
        return self.package.pos if self.package else self.name.pos


# --- types ----------------------------------------------------------------------------------


@dataclass
class TPrim:
    name: str
    pos: int


@dataclass
class TName:
    name: Id


@dataclass
class TList:
    elem: Ty
    pos: int


@dataclass
class TFixedList:
    elem: Ty
    size: int
    pos: int


@dataclass
class TMap:
    key: Ty
    value: Ty
    pos: int


@dataclass
class TOption:
    elem: Ty
    pos: int


@dataclass
class TResult:
    ok: Ty | None
    err: Ty | None
    pos: int


@dataclass
class TTuple:
    elems: list[Ty]
    pos: int


@dataclass
class TFuture:
    elem: Ty | None
    pos: int


@dataclass
class TStream:
    elem: Ty | None
    pos: int


@dataclass
class THandle:
    kind: str  # own | borrow
    resource: Id
    pos: int


Ty = Union[
    TPrim, TName, TList, TFixedList, TMap, TOption, TResult, TTuple, TFuture, TStream, THandle
]


# --- items ----------------------------------------------------------------------------------


@dataclass
class Param:
    name: Id
    ty: Ty


@dataclass
class FuncType:
    is_async: bool
    params: list[Param]
    result: Ty | None
    pos: int


@dataclass
class Func:
    name: Id
    ty: FuncType
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None

    @property
    def pos(self) -> int:
        return self.name.pos


@dataclass
class Named:
    """A record field, variant case, enum case or flag."""

    name: Id
    ty: Ty | None = None
    docs: str | None = None


@dataclass
class ResourceFunc:
    kind: str  # constructor | method | static
    name: Id  # the resource's name for a constructor
    ty: FuncType
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None


@dataclass
class TypeDecl:
    kind: str  # alias | record | flags | variant | enum | resource
    name: Id
    ty: Ty | None = None  # alias target
    members: list[Named] = field(default_factory=list)
    funcs: list[ResourceFunc] = field(default_factory=list)
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass
class Use:
    path: UsePath
    names: list[tuple[Id, Id | None]]  # (name, as-name)
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass
class Interface:
    name: Id | None
    items: list[Use | TypeDecl | Func]
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass
class ExternFunc:
    name: Id
    func: FuncType


@dataclass
class ExternInterface:
    name: Id
    body: Interface


@dataclass
class ExternPath:
    path: UsePath
    label: Id | None = None  # `import label: path;`


@dataclass
class WorldExtern:
    direction: str  # import | export
    item: ExternFunc | ExternInterface | ExternPath
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass
class Include:
    path: UsePath
    renames: list[tuple[Id, Id]]
    gate: Gate = field(default_factory=Gate)
    pos: int = -1


@dataclass
class World:
    name: Id
    items: list[WorldExtern | Use | TypeDecl | Include]
    gate: Gate = field(default_factory=Gate)
    docs: str | None = None
    pos: int = -1


@dataclass
class TopUse:
    path: UsePath
    alias: Id | None
    gate: Gate = field(default_factory=Gate)
    pos: int = -1


@dataclass
class PackageBody:
    """A package header plus its items: a whole file, or one `package a:b { ... }` block."""

    name: PackageName | None
    docs: str | None
    items: list[Interface | World | TopUse]
    nested: list[PackageBody] = field(default_factory=list)
    file: SourceFile | None = None
