"""Where interfaces and types live in the generated crate, and how the code names them.

Module paths of imported/exported interfaces (`src/<ns>/<pkg>/<iface>.rs`,
`src/exports/...`), the `with` option's remapping of interfaces and types to other crates,
the Rust path of a WIT type from the module being written, and the `WIT_INTERFACE` constant
that names the interface in error contexts. Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from witgen import model as m

from .names import ident, snake


class Paths:
    """Module paths, `with` lookups and paths to types (state: `CrateGen.__init__`)."""

    def _pkg_module(self, pid: int) -> str:
        pkg = self.r.packages[pid].name
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

    def _iface_path(self, iid: int, key: m.WorldKey) -> list[str]:
        if isinstance(key, str):
            name = ident(key)
            # a plain-named interface must not clash with a namespace module
            return [name + "_" if name in self._namespaces else name]
        iface = self.r.interfaces[iid]
        pkg = self.r.packages[iface.package]
        return [snake(pkg.name.namespace), self._pkg_module(iface.package), ident(iface.name)]

    def key_name(self, key: m.WorldKey) -> str:
        return self.r.world_key_name(key)

    def _with_lookup(self, key: m.WorldKey, item: str | None = None) -> str | None:
        """The `with` path for an interface (item None) or a type of it."""
        if isinstance(key, str):
            names = [key]
        else:
            full = self.key_name(key)
            iface = self.r.interfaces[key]
            pkg = self.r.packages[iface.package].name
            names = [full, f"{pkg.namespace}:{pkg.name}/{iface.name}"]
        for n in names:
            k = n if item is None else f"{n}.{item}"
            if k in self.o.with_:
                self.used_with.add(k)
                return self.o.with_[k]
        if item is None and not isinstance(key, str):
            iface = self.r.interfaces[key]
            pkg = self.r.packages[iface.package].name
            for pk in (str(pkg), f"{pkg.namespace}:{pkg.name}"):
                if pk in self.o.with_:
                    self.used_with.add(pk)
                    return f"{self.o.with_[pk]}::{ident(iface.name)}"
            if pkg.namespace in self.o.with_:
                self.used_with.add(pkg.namespace)
                module = self._pkg_module(iface.package)
                return f"{self.o.with_[pkg.namespace]}::{module}::{ident(iface.name)}"
        return None

    def _name_interfaces(self) -> None:
        self._namespaces = {
            snake(self.r.packages[self.r.interfaces[k].package].name.namespace)
            for items in (self.world.imports, self.world.exports)
            for k, it in items.items()
            if isinstance(it, m.InterfaceItem) and not isinstance(k, str)
        }
        for key, item in self.world.imports.items():
            if isinstance(item, m.InterfaceItem):
                self.import_paths[item.id] = self._iface_path(item.id, key)
                w = self._with_lookup(key)
                if w is not None:
                    self.remapped[item.id] = w
        for key, item in self.world.exports.items():
            if isinstance(item, m.InterfaceItem):
                self.export_paths[item.id] = ["exports", *self._iface_path(item.id, key)]

    def iface_mod(self, iid: int) -> str:
        cur_iid, cur_export = self.cur
        if iid in self.remapped and not (cur_export and iid == cur_iid):
            return self.remapped[iid]
        if (
            cur_export
            and iid in self.export_paths
            and (iid == cur_iid or iid not in self.import_paths)
        ):
            path = self.export_paths[iid]
        elif iid in self.import_paths:
            path = self.import_paths[iid]
        else:
            path = self.export_paths[iid]
        return "crate::" + "::".join(path)

    def type_ref(self, tid: int, name: str) -> str:
        td = self.r.types[tid]
        if td.owner is not None and td.owner.kind == "interface":
            if td.owner.id == self.cur[0] and (self.cur[1] or td.owner.id not in self.remapped):
                return name
            return f"{self.iface_mod(td.owner.id)}::{name}"
        if td.owner is not None and td.owner.kind == "world":
            return name if self.cur[0] is None else f"crate::{name}"
        return name

    def site(self, key) -> str:
        """The expression naming the interface in error contexts."""
        if key is None:
            return '""'
        self.used_site = True
        return "WIT_INTERFACE"

    def site_const(self, key, body: str) -> str:
        if not self.used_site:
            return body
        cfg = '#[cfg(feature = "wasmtime")]\n' if self.tonly else ""
        return f'{cfg}const WIT_INTERFACE: &str = "{self.key_name(key)}";\n\n' + body
