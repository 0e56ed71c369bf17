"""Where interfaces and types live in the generated crate, and how the code names them.

- `Scope`: the module being written (an interface or the crate root, import or export side);
- `RuntimePaths`: the Rust paths of wasmtime's `Resource`, `Result`, ... (or of the crate's
  std-only stand-ins in traits-only mode);
- `Paths`: module paths of imported/exported interfaces (`src/<ns>/<pkg>/<iface>.rs`,
  `src/exports/...`), the `with` option's remapping of interfaces and types to other crates,
  and the Rust path of a WIT type from a given scope;
- `Site`: the `WIT_INTERFACE` constant that names a module's interface in error contexts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from witgen import model as m

from .names import ident, pascal, resource_items, snake, type_name


@dataclass(frozen=True)
class Scope:
    """The module being written: interface `iface` (None: the crate root), export side or not."""

    iface: int | None = None
    export: bool = False


@dataclass(frozen=True)
class RuntimePaths:
    """Rust paths of wasmtime items, or of the crate's stand-ins in traits-only mode."""

    resource: str
    resource_any: str
    result: str
    error_context: str
    future_reader: str
    stream_reader: str

    @classmethod
    def for_crate(cls, traits_only: bool) -> RuntimePaths:
        if traits_only:
            rt = "crate::witgen_rt"
            return cls(*(f"{rt}::{n}" for n in _RUNTIME_ITEMS))
        return cls(
            "::wasmtime::component::Resource",
            "::wasmtime::component::ResourceAny",
            "::wasmtime::Result",
            "::wasmtime::component::ErrorContext",
            "::wasmtime::component::FutureReader",
            "::wasmtime::component::StreamReader",
        )


_RUNTIME_ITEMS = (
    "Resource",
    "ResourceAny",
    "Result",
    "ErrorContext",
    "FutureReader",
    "StreamReader",
)


#: names the generated functions give their generic parameters and local aliases (`T`, `D`,
#: `H`, `Params0`): a module's own type of such a name is written `self::T` there
_GENERIC_NAMES = re.compile(r"[TDH]|Params\d+")


def _local(name: str) -> str:
    """A type of the module being written, as the module's code refers to it."""
    return f"self::{name}" if _GENERIC_NAMES.fullmatch(name) else name


#: the methods of the world struct besides the accessors of exported interfaces
WORLD_METHODS = frozenset(
    {"new", "instantiate", "instantiate_async", "add_to_linker", "add_to_linker_imports"}
)

#: the crate root's own modules
_ROOT_MODULES = frozenset({"exports", "witgen_rt"})


class Paths:
    """Module paths of the world's interfaces, `with` lookups (recording the entries used) and
    Rust paths to types."""

    def __init__(self, resolve: m.Resolve, world: m.World, with_: dict[str, str]) -> None:
        self.r = resolve
        self.world_id = next(i for i, w in enumerate(resolve.worlds) if w is world)
        self.with_ = with_
        self.import_paths: dict[int, list[str]] = {}
        self.export_paths: dict[int, list[str]] = {}
        self.remapped: dict[int, str] = {}  # interface -> rust path given by `with`
        self.used_with: set[str] = set()
        self._generated: dict[tuple[str, int], frozenset[str]] = {}
        self._bases: dict[int, str] = {}
        self._owned: dict[tuple[str, int | None], set[str]] = {}
        self._namespaces = {
            snake(self._package(resolve.interfaces[k].package).name.namespace)
            for items in (world.imports, world.exports)
            for k, it in items.items()
            if isinstance(it, m.InterfaceItem) and not isinstance(k, str)
        }
        for key, item in world.imports.items():
            if isinstance(item, m.InterfaceItem):
                self.import_paths[item.id] = self._iface_path(item.id, key)
                w = self.with_lookup(key)
                if w is not None:
                    self.remapped[item.id] = w
        for key, item in world.exports.items():
            if isinstance(item, m.InterfaceItem):
                self.export_paths[item.id] = ["exports", *self._iface_path(item.id, key)]

    def _package(self, pid: int | None) -> m.Package:
        assert pid is not None, "interfaces of a world belong to a package"
        return self.r.packages[pid]

    def pkg_module(self, pid: int | None) -> str:
        pkg = self._package(pid).name
        same = [
            p
            for p in self.r.packages
            if (p.name.namespace, p.name.name) == (pkg.namespace, pkg.name)
        ]
        base = snake(pkg.name)
        if len(same) == 1 or pkg.version is None:
            return base
        v = pkg.version.replace(".", "_").replace("-", "_").replace("+", "_")
        return base + snake(v).replace("__", "_")

    def _iface_names(self, iid: int) -> tuple[m.Interface, m.PackageName, str]:
        """The interface, its package name and its own name."""
        iface = self.r.interfaces[iid]
        assert iface.name is not None, "a world keys only named interfaces by id"
        return iface, self._package(iface.package).name, iface.name

    def _iface_path(self, iid: int, key: m.WorldKey) -> list[str]:
        if isinstance(key, str):
            name = ident(key)
            # a plain-named interface must not clash with a namespace module or the crate's own
            return [name + "_" if name in self._namespaces | _ROOT_MODULES else name]
        iface, pkg, name = self._iface_names(iid)
        return [snake(pkg.namespace), self.pkg_module(iface.package), ident(name)]

    def key_name(self, key: m.WorldKey) -> str:
        return self.r.world_key_name(key)

    def unversioned_name(self, iid: int) -> str:
        """`ns:pkg/iface`, without the package version."""
        _iface, pkg, name = self._iface_names(iid)
        return f"{pkg.namespace}:{pkg.name}/{name}"

    def _use(self, key: str) -> str:
        self.used_with.add(key)
        return self.with_[key]

    def with_lookup(self, key: m.WorldKey, item: str | None = None) -> str | None:
        """The `with` path for an interface (item None) or a type of it."""
        names = [key] if isinstance(key, str) else [self.key_name(key), self.unversioned_name(key)]
        for n in names:
            k = n if item is None else f"{n}.{item}"
            if k in self.with_:
                return self._use(k)
        if item is None and not isinstance(key, str):
            iface, pkg, name = self._iface_names(key)
            for pk in (str(pkg), f"{pkg.namespace}:{pkg.name}"):
                if pk in self.with_:
                    return f"{self._use(pk)}::{ident(name)}"
            if pkg.namespace in self.with_:
                module = self.pkg_module(iface.package)
                return f"{self._use(pkg.namespace)}::{module}::{ident(name)}"
        return None

    def iface_mod(self, iid: int, scope: Scope) -> str:
        """The Rust path of interface `iid`'s module, seen from `scope`."""
        if iid in self.remapped and not (scope.export and iid == scope.iface):
            return self.remapped[iid]
        if (
            scope.export
            and iid in self.export_paths
            and (iid == scope.iface or iid not in self.import_paths)
        ):
            path = self.export_paths[iid]
        elif iid in self.import_paths:
            path = self.import_paths[iid]
        else:
            path = self.export_paths[iid]
        return "crate::" + "::".join(path)

    def _resource_items(self, owner: m.Owner) -> frozenset[str]:
        """The items a module generates for its resources (`HostR`, `HostRWithStore`,
        `GuestR`), which its WIT types cannot be called; names their resources' bases."""
        key = (owner.kind, owner.id)
        found = self._generated.get(key)
        if found is None:
            if owner.kind == "world":
                items = self.r.worlds[owner.id].imports.values()
                tids = [it.id for it in items if isinstance(it, m.TypeItem)]
            else:
                tids = list(self.r.interfaces[owner.id].types.values())
            resources = [t for t in tids if isinstance(self.r.types[t].kind, m.Resource)]
            bases = _resource_bases([self._type_wit_name(t) for t in resources])
            self._bases.update(zip(resources, bases, strict=True))
            found = frozenset(n for b in bases for n in resource_items(b))
            self._generated[key] = found
        return found

    def _type_wit_name(self, tid: int) -> str:
        name = self.r.types[tid].name
        assert name is not None, "only named types have a name"
        return name

    def resource_base(self, tid: int) -> str:
        """The `R` of resource `tid`'s `HostR`, `HostRWithStore` and `GuestR`: `bindgen!`'s
        UpperCamelCase name, unless one of those would be the module's own `Host`, `Guest`,
        `HostWithStore` or `GuestIndices` or another resource's (`with-store`, `indices`, `r`
        beside `r-with-store`: `bindgen!` fails on these): then `Resource` is appended."""
        owner = self.r.types[tid].owner
        assert owner is not None, "a resource belongs to an interface or a world"
        self._resource_items(owner)
        return self._bases[tid]

    def rust_type_name(self, tid: int) -> str:
        """The Rust name of named type `tid` in its module: `bindgen!`'s (`type_name`), with a
        `_` where that is an item the module generates for a resource (a type `host-r` beside
        a resource `r` is `HostR_`: `bindgen!` fails on it)."""
        td = self.r.types[tid]
        name = type_name(self._type_wit_name(tid))
        if isinstance(td.kind, m.Resource):
            # its own items are named after it: only another resource's can clash
            assert td.owner is not None, "a resource belongs to an interface or a world"
            own = set(resource_items(self.resource_base(tid)))
            if name in self._resource_items(td.owner) - own:
                return name + "_"
            return name
        if td.owner is not None and name in self._resource_items(td.owner):
            return name + "_"
        return name

    def own_type_names(self, scope: Scope) -> set[str]:
        """The Rust names of the types the module of `scope` defines (shadowing std's)."""
        kind, owner = ("world", self.world_id) if scope.iface is None else ("interface", scope.iface)
        found = self._owned.get((kind, owner))
        if found is None:
            found = self._owned[(kind, owner)] = {
                self.rust_type_name(tid)
                for tid, td in enumerate(self.r.types)
                if td.name is not None
                and td.owner is not None
                and (td.owner.kind, td.owner.id) == (kind, owner)
            }
        return found

    def owner_type_names(self, tid: int) -> set[str]:
        """The Rust names of the types the module defining type `tid` defines."""
        owner = self.r.types[tid].owner
        assert owner is not None, "named types belong to an interface or a world"
        return self.own_type_names(Scope(owner.id if owner.kind == "interface" else None))

    def type_ref(self, tid: int, name: str, scope: Scope) -> str:
        """The Rust path of type `tid` (called `name`), seen from `scope`."""
        owner = self.r.types[tid].owner
        if owner is not None and owner.kind == "interface":
            if owner.id == scope.iface and (scope.export or owner.id not in self.remapped):
                return _local(name)
            return f"{self.iface_mod(owner.id, scope)}::{name}"
        if owner is not None and owner.kind == "world":
            return _local(name) if scope.iface is None else f"crate::{name}"
        return name

    def accessor_name(self, key: m.WorldKey, iid: int) -> str:
        """The method of the world struct that returns an exported interface's `Guest`; a `_`
        where a plain name would clash with the struct's own methods (`new`, `call_f`, ...)."""
        if not isinstance(key, str):
            iface, pkg, name = self._iface_names(iid)
            return "_".join([snake(pkg.namespace), self.pkg_module(iface.package), snake(name)])
        acc = ident(key)
        if acc in WORLD_METHODS or acc.startswith(("call_", "func_")):
            return acc + "_"
        return acc


#: the items of every interface module that a resource's traits and struct must not be
_MODULE_ITEMS = frozenset({"Host", "HostWithStore", "Guest", "GuestIndices"})


def _resource_bases(names: list[str]) -> list[str]:
    """The `resource_items` base of each resource of one module (see `Paths.resource_base`):
    those whose items clash with nothing keep bindgen!'s; the others, in order, get `Resource`
    appended until theirs are free."""
    bases = [pascal(n) for n in names]
    count: dict[str, int] = {}
    for b in bases:
        for item in resource_items(b):
            count[item] = count.get(item, 0) + 1

    def clean(b: str) -> bool:
        return all(count[i] == 1 and i not in _MODULE_ITEMS for i in resource_items(b))

    used = set(_MODULE_ITEMS)
    used |= {i for b in bases if clean(b) for i in resource_items(b)}
    out: list[str] = []
    for b in bases:
        if not clean(b):
            while any(i in used for i in resource_items(b)):
                b += "Resource"
            used |= set(resource_items(b))
        out.append(b)
    return out


class Site:
    """How a module names its interface in error contexts: the `WIT_INTERFACE` constant, which
    `wrap` defines when the module used it (the crate root names none)."""

    def __init__(self, interface: str | None, traits_only: bool) -> None:
        self.interface = interface
        self.traits_only = traits_only
        self.used = False

    def expr(self) -> str:
        if self.interface is None:
            return '""'
        self.used = True
        return "WIT_INTERFACE"

    def wrap(self, body: str) -> str:
        if not self.used:
            return body
        cfg = '#[cfg(feature = "wasmtime")]\n' if self.traits_only else ""
        return f'{cfg}const WIT_INTERFACE: &str = "{self.interface}";\n\n' + body
