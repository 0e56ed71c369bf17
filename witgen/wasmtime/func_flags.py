"""What the options make of each function: async, trappable, concurrent (`Flags`), its
trappable error type, and the limit of wasmtime's typed API (`MAX_TYPED_PARAMS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from witgen import model as m
from witgen.errors import WitError

from .features import Features
from .options import Options

#: wasmtime's typed component functions take at most this many parameters
MAX_TYPED_PARAMS = 17


@dataclass
class Flags:
    async_: bool = False
    trappable: bool = False
    concurrent: bool = False  # a WIT `async func`: Accessor-based (component-model-async)


class FunctionFlags:
    """Matches functions against the `async*`/`trappable*` options, noting in `feat` what
    they need; knows the `trappable_error_type` mapping (type id -> Rust path)."""

    def __init__(self, resolve: m.Resolve, opts: Options, feat: Features) -> None:
        self.r = resolve
        self.o = opts
        self.feat = feat
        self.trappable_errors: dict[int, str] = {}
        self._find_trappable_errors()

    def _find_trappable_errors(self) -> None:
        for wit_path, rust in sorted(self.o.trappable_error_type.items()):
            found = False
            for iid, iface in enumerate(self.r.interfaces):
                name = self.r.interface_name(iid)
                if name is None:
                    continue
                assert iface.package is not None
                pkg = self.r.packages[iface.package].name
                for k in (name, f"{pkg.namespace}:{pkg.name}/{iface.name}"):
                    norm = wit_path
                    if wit_path.startswith(k + "/"):
                        norm = k + "." + wit_path[len(k) + 1 :]
                    if norm.startswith(k + ".") and norm[len(k) + 1 :] in iface.types:
                        tid = self.r.unalias(iface.types[norm[len(k) + 1 :]])
                        if isinstance(tid, m.Prim):
                            raise WitError(
                                f"trappable_error_type: `{wit_path}` is the primitive type "
                                f"`{tid.value}`; a trappable error type must be a defined type"
                            )
                        self.trappable_errors[tid] = rust
                        found = True
            if not found:
                raise WitError(f"trappable_error_type: no WIT type `{wit_path}`")

    def _filter_bases(self, key: m.WorldKey) -> list[str]:
        """The names a filter may give an interface's functions under (`base.func`)."""
        if isinstance(key, str):
            return [key]
        iface = self.r.interfaces[key]
        assert iface.package is not None and iface.name is not None
        pkg = self.r.packages[iface.package].name
        return [self.r.world_key_name(key), f"{pkg.namespace}:{pkg.name}/{iface.name}", iface.name]

    def _filter_keys(self, key: m.WorldKey | None, f: m.Function) -> list[str]:
        if key is None:
            return [f.name, f.item_name]
        return [f"{base}.{f.name}" for base in self._filter_bases(key)]

    def import_flags(self, key: m.WorldKey | None, f: m.Function) -> Flags:
        keys = self._filter_keys(key, f)
        fl = Flags()
        fl.concurrent = f.is_async
        fl.async_ = f.is_async or self.o.async_imports.matches(keys)
        fl.trappable = self.o.trappable_imports.matches(keys)
        if fl.async_:
            self.feat.async_ = True
        if fl.concurrent:
            self.feat.concurrent = True
        return fl

    def drop_flags(self, key: m.WorldKey | None, res_name: str) -> Flags:
        drop = f"[drop]{res_name}"
        keys = [drop] if key is None else [f"{base}.{drop}" for base in self._filter_bases(key)]
        fl = Flags(async_=self.o.async_imports.matches(keys))
        if fl.async_:
            self.feat.async_ = True
        return fl

    def export_flags(self, key: m.WorldKey | None, f: m.Function) -> Flags:
        keys = self._filter_keys(key, f)
        fl = Flags(concurrent=f.is_async)
        fl.async_ = f.is_async or self.o.async_exports.matches(keys)
        if fl.async_:
            self.feat.async_ = True
        if fl.concurrent:
            self.feat.concurrent = True
        return fl

    def trappable_error(self, f: m.Function) -> tuple[m.Result_, int, str] | None:
        if f.result is None or isinstance(f.result, m.Prim):
            return None
        k = self.r.types[f.result].kind
        if not isinstance(k, m.Result_) or k.err is None or isinstance(k.err, m.Prim):
            return None
        eid = self.r.unalias(k.err)
        if isinstance(eid, m.Prim) or eid not in self.trappable_errors:
            return None
        return k, eid, self.trappable_errors[eid]
