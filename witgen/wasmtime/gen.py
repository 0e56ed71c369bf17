"""The Rust source of a wasmtime host crate for one world.

`CrateGen(resolve, world_id, options).files()` returns `{relative path: text}` for `src/`: the
world items for `src/lib.rs` (rendered by the template) and one file per interface module
(`src/<ns>/<pkg>/<iface>.rs`, `src/exports/<ns>/<pkg>/<iface>.rs`, `src/<name>.rs` for a
world-level `import name: interface { ... }`).

The public API follows `wasmtime::component::bindgen!` of the pinned wasmtime (see
docs/wasmtime.md): the same item names, trait shapes and method signatures, using only public
`wasmtime` paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from witgen import model as m
from witgen.abi.layout import layout_of

from .layout import (
    Group,
    Writer,
    call,
    derive,
    group,
    struct_lit,
    tuple_,
    tuple_expr,
    tuple_pat,
    type_node,
)
from .names import camel, ident, shouty, snake, type_name
from .options import Options
from .types import Types

#: wasmtime's typed component functions take at most this many parameters
MAX_TYPED_PARAMS = 17

OWNED = None  # TypeMode::Owned; a borrowed mode is the lifetime string, e.g. "'a" or "'_"

PRIM = {
    m.Prim.BOOL: "bool",
    m.Prim.U8: "u8",
    m.Prim.U16: "u16",
    m.Prim.U32: "u32",
    m.Prim.U64: "u64",
    m.Prim.S8: "i8",
    m.Prim.S16: "i16",
    m.Prim.S32: "i32",
    m.Prim.S64: "i64",
    m.Prim.F32: "f32",
    m.Prim.F64: "f64",
    m.Prim.CHAR: "char",
}


@dataclass
class Flags:
    async_: bool = False
    trappable: bool = False
    concurrent: bool = False  # a WIT `async func`: Accessor-based (component-model-async)


@dataclass
class Features:
    """What the generated code needs from wasmtime / the crate."""

    async_: bool = False
    concurrent: bool = False
    names: set[str] = field(default_factory=set)


class CrateGen:
    def __init__(self, resolve: m.Resolve, world_id: int, opts: Options) -> None:
        self.r = resolve
        self.wid = world_id
        self.world = resolve.worlds[world_id]
        self.o = opts
        self.types = Types(resolve, world_id)
        self.layouts = layout_of(resolve)
        self.tonly = opts.traits_only
        self.feat = Features()
        self.wname = type_name(self.world.name)
        # rust paths of wasmtime items, or of the crate's stand-ins in traits-only mode
        if self.tonly:
            self.RES = "crate::witgen_rt::Resource"
            self.ANY = "crate::witgen_rt::ResourceAny"
            self.RESULT = "crate::witgen_rt::Result"
            self.ECX = "crate::witgen_rt::ErrorContext"
            self.FUT = "crate::witgen_rt::FutureReader"
            self.STR = "crate::witgen_rt::StreamReader"
        else:
            self.RES = "::wasmtime::component::Resource"
            self.ANY = "::wasmtime::component::ResourceAny"
            self.RESULT = "::wasmtime::Result"
            self.ECX = "::wasmtime::component::ErrorContext"
            self.FUT = "::wasmtime::component::FutureReader"
            self.STR = "::wasmtime::component::StreamReader"
        self.import_paths: dict[int, list[str]] = {}
        self.export_paths: dict[int, list[str]] = {}
        self.remapped: dict[int, str] = {}  # interface -> rust path given by `with`
        self.used_with: set[str] = set()
        self.trappable_errors: dict[int, str] = {}  # type id -> rust path
        self.cur: tuple[int | None, bool] = (None, False)  # (interface, is export) being written
        self._name_interfaces()
        self._find_trappable_errors()

    # --- naming ---------------------------------------------------------------------------

    def _pkg_module(self, pid: int) -> str:
        pkg = self.r.packages[pid].name
        same = [p for p in self.r.packages if (p.name.namespace, p.name.name) == (pkg.namespace, pkg.name)]
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

    def _find_trappable_errors(self) -> None:
        from witgen.errors import WitError

        for wit_path, rust in sorted(self.o.trappable_error_type.items()):
            found = False
            for iid, iface in enumerate(self.r.interfaces):
                name = self.r.interface_name(iid)
                if name is None:
                    continue
                pkg = self.r.packages[iface.package].name
                for k in (name, f"{pkg.namespace}:{pkg.name}/{iface.name}"):
                    norm = wit_path
                    if wit_path.startswith(k + "/"):
                        norm = k + "." + wit_path[len(k) + 1 :]
                    if norm.startswith(k + ".") and norm[len(k) + 1 :] in iface.types:
                        tid = self.r.unalias(iface.types[norm[len(k) + 1 :]])
                        self.trappable_errors[tid] = rust
                        found = True
            if not found:
                raise WitError(f"trappable_error_type: no WIT type `{wit_path}`")

    # --- paths to types -------------------------------------------------------------------

    def iface_mod(self, iid: int) -> str:
        cur_iid, cur_export = self.cur
        if iid in self.remapped and not (cur_export and iid == cur_iid):
            return self.remapped[iid]
        if cur_export and iid in self.export_paths and (iid == cur_iid or iid not in self.import_paths):
            path = self.export_paths[iid]
        elif iid in self.import_paths:
            path = self.import_paths[iid]
        else:
            path = self.export_paths[iid]
        return "crate::" + "::".join(path)

    def type_ref(self, tid: int, name: str) -> str:
        td = self.r.types[tid]
        if td.owner is not None and td.owner.kind == "interface":
            if td.owner.id == self.cur[0] and (
                self.cur[1] or td.owner.id not in self.remapped
            ):
                return name
            return f"{self.iface_mod(td.owner.id)}::{name}"
        if td.owner is not None and td.owner.kind == "world":
            return name if self.cur[0] is None else f"crate::{name}"
        return name

    # --- type expressions -----------------------------------------------------------------

    def _lifetime(self, tid: int, mode) -> str | None:
        if not self.o.borrowing or mode is OWNED:
            return None
        info = self.types.get(tid)
        if not info.has_list:
            return None
        if self._two_names(tid) or (info.borrowed and not info.owned):
            return mode
        return None

    def _two_names(self, tid: int) -> bool:
        info = self.types.get(tid)
        return info.has_list and info.borrowed and info.owned and self.o.duplicate

    def param_name(self, tid: int) -> str:
        n = type_name(self.r.types[tid].name)
        return n + "Param" if self._two_names(tid) else n

    def result_name(self, tid: int) -> str:
        n = type_name(self.r.types[tid].name)
        return n + "Result" if self._two_names(tid) else n

    def modes_of(self, tid: int) -> list[tuple[str, object]]:
        info = self.types.get(tid)
        if not info.owned and not info.borrowed:
            return [(self.param_name(tid), "'a" if self.o.borrowing else OWNED)]
        first = OWNED if (info.owned or not info.borrowed or not self.o.borrowing) else "'a"
        out = [(self.result_name(tid), first)]
        if self._two_names(tid):
            out.append((self.param_name(tid), "'a"))
        return out

    def ty(self, t, mode=OWNED) -> str:
        if isinstance(t, m.Prim):
            if t == m.Prim.STRING:
                if mode is OWNED:
                    return "String"
                return "&str" if mode == "'_" else f"&{mode} str"
            if t == m.Prim.ERROR_CONTEXT:
                self.feat.concurrent = True
                return self.ECX
            return PRIM[t]
        td = self.r.types[t]
        info = self.types.get(t)
        if td.name is not None:
            # resources are named through their handles only
            lt = self._lifetime(t, mode)
            out = ""
            if info.has_list and lt is None and mode is not OWNED:
                out = "&" if mode == "'_" else f"&{mode} "
            name = self.param_name(t) if lt is not None else self.result_name(t)
            # a `with` mapping of this very type
            out += self.type_ref(t, name)
            if info.has_list and lt is not None and self._needs_generics(td.kind):
                out += f"<{lt}>"
            return out
        k = td.kind
        if isinstance(k, m.List):
            inner = self.ty(k.type, OWNED if not self.o.borrowing else mode)
            if mode is OWNED:
                return f"Vec<{inner}>"
            return f"&[{inner}]" if mode == "'_" else f"&{mode} [{inner}]"
        if isinstance(k, m.Option_):
            return f"Option<{self.ty(k.type, mode)}>"
        if isinstance(k, m.Result_):
            return f"Result<{self.opt_ty(k.ok, mode)}, {self.opt_ty(k.err, mode)}>"
        if isinstance(k, m.Tuple):
            items = [self.ty(x, mode) for x in k.types]
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if isinstance(k, m.Future):
            self.feat.concurrent = True
            return f"{self.FUT}<{self.opt_ty(k.type, OWNED)}>"
        if isinstance(k, m.Stream):
            self.feat.concurrent = True
            return f"{self.STR}<{self.opt_ty(k.type, OWNED)}>"
        if isinstance(k, m.Handle):
            return self.handle(k)
        if isinstance(k, m.Alias):
            return self.ty(k.type, mode)
        if isinstance(k, m.Map):
            self.feat.names.add("std")
            hm = f"std::collections::HashMap<{self.ty(k.key)}, {self.ty(k.value)}>"
            if mode is OWNED:
                return hm
            return f"&{hm}" if mode == "'_" else f"&{mode} {hm}"
        if isinstance(k, m.FixedList):
            return f"[{self.ty(k.type, mode)}; {k.size}]"
        raise AssertionError(f"anonymous {type(k).__name__}")

    def _needs_generics(self, k) -> bool:
        if isinstance(k, m.Alias):
            if isinstance(k.type, m.Prim):
                return k.type == m.Prim.STRING
            return self._needs_generics(self.r.types[k.type].kind)
        return True

    def opt_ty(self, t, mode=OWNED) -> str:
        return "()" if t is None else self.ty(t, mode)

    def handle(self, h: m.Handle) -> str:
        res = h.resource
        defn = self.r.unalias(res)
        owner = self.r.types[defn].owner
        if owner is None or owner.kind == "world":
            host = True
        elif self.cur[1] and owner.id == self.cur[0]:
            host = False
        else:
            host = owner.id in self.import_paths
        if host:
            return f"{self.RES}<{self.type_ref(res, type_name(self.r.types[res].name))}>"
        return self.ANY

    def result_ty(self, f: m.Function, mode=OWNED) -> str:
        return "()" if f.result is None else self.ty(f.result, mode)

    # --- function flags -------------------------------------------------------------------

    def _filter_keys(self, key: m.WorldKey | None, f: m.Function) -> list[str]:
        if key is None:
            return [f.name, f.item_name]
        out = []
        if isinstance(key, str):
            out = [f"{key}.{f.name}"]
        else:
            iface = self.r.interfaces[key]
            pkg = self.r.packages[iface.package].name
            for base in (self.key_name(key), f"{pkg.namespace}:{pkg.name}/{iface.name}", iface.name):
                out.append(f"{base}.{f.name}")
        return out

    def import_flags(self, key, f: m.Function) -> Flags:
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

    def drop_flags(self, key, res_name: str) -> Flags:
        keys = [f"{k.rsplit('.', 1)[0]}.[drop]{res_name}" for k in self._filter_keys(key, m.Function("x", "freestanding", []))]
        if key is None:
            keys = [f"[drop]{res_name}"]
        fl = Flags(async_=self.o.async_imports.matches(keys))
        if fl.async_:
            self.feat.async_ = True
        return fl

    def export_flags(self, key, f: m.Function) -> Flags:
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
        if eid not in self.trappable_errors:
            return None
        return k, eid, self.trappable_errors[eid]

    # --- attributes -----------------------------------------------------------------------

    def wt_attr(self, w: Writer, attr: str) -> None:
        """An attribute that only exists with wasmtime (`cfg_attr` in traits-only mode)."""
        if self.tonly:
            inner = f'feature = "wasmtime", {attr}'
            if len(inner) <= 70 and w.col + len(inner) + 13 <= 100:
                w.line(f"#[cfg_attr({inner})]")
            else:
                w.line("#[cfg_attr(")
                w.level += 1
                w.line('feature = "wasmtime",')
                w.line(attr)
                w.level -= 1
                w.line(")]")
        else:
            w.line(f"#[{attr}]")

    def async_cfg(self, w: Writer) -> None:
        if self.tonly:
            w.line('#[cfg(all(feature = "wasmtime", feature = "async"))]')
        else:
            w.line('#[cfg(feature = "async")]')

    def wt_cfg(self, w: Writer) -> None:
        if self.tonly:
            w.line('#[cfg(feature = "wasmtime")]')

    def derive_component(self, w: Writer, kind: str, lift: bool = True) -> None:
        ds = ["::wasmtime::component::ComponentType"]
        if lift:
            ds.append("::wasmtime::component::Lift")
        ds.append("::wasmtime::component::Lower")
        if self.tonly:
            for d in ds:
                self.wt_attr(w, f"derive({d})")
        else:
            w.line(derive(ds))
        self.wt_attr(w, f"component({kind})")

    def std_derives(self, w: Writer, tid: int, extra: tuple[str, ...] = ()) -> None:
        info = self.types.get(tid)
        ds = ["Debug"]
        if info.is_copy:
            ds += ["Clone", "Copy"]
        elif info.is_clone:
            ds.append("Clone")
        ds += list(extra)
        ds += [d for d in self.o.additional_derives if d not in ds]
        w.line(derive(ds))

    def assert_layout(self, w: Writer, tid: int, name: str, generic: bool) -> None:
        if generic:
            return
        size = self.layouts.size(tid)
        align = self.layouts.align(tid)
        self.wt_cfg(w)
        w.open("const _: () =")
        w.line(f"assert!({size} == <{name} as ::wasmtime::component::ComponentType>::SIZE32);")
        w.line(f"assert!({align} == <{name} as ::wasmtime::component::ComponentType>::ALIGN32);")
        w.close(";")

    # --- type definitions -----------------------------------------------------------------

    def define_types(self, w: Writer, types: dict[str, int], key, *, export: bool, shared_from: str | None) -> None:
        for wit_name, tid in types.items():
            td = self.r.types[tid]
            k = td.kind
            if isinstance(k, m.Resource):
                self.define_resource(w, tid, wit_name, key, export=export)
                continue
            if shared_from is not None and not self.types.get(tid).has_handle:
                for name, mode in self.modes_of(tid):
                    lt = self._lifetime(tid, mode)
                    gen = f"<{lt}>" if lt else ""
                    w.line(f"pub type {name}{gen} = {shared_from}::{name}{gen};")
                continue
            if key is not None:
                mapped = self._with_lookup(key, wit_name)
                if mapped is not None:
                    w.docs(td.docs)
                    w.line(f"pub use {mapped} as {type_name(wit_name)};")
                    continue
            self.define_type(w, tid)
            w.line()

    def define_type(self, w: Writer, tid: int) -> None:
        td = self.r.types[tid]
        k = td.kind
        info = self.types.get(tid)
        if isinstance(k, m.Flags):
            self.define_flags(w, tid)
            return
        for name, mode in self.modes_of(tid):
            lt = self._lifetime(tid, mode)
            gen = f"<{lt}>" if lt else ""
            if isinstance(k, m.Record):
                w.docs(td.docs)
                self.derive_component(w, "record", lift=lt is None)
                self.std_derives(w, tid)
                if not k.fields:
                    w.line(f"pub struct {name}{gen} {{}}")
                else:
                    w.open(f"pub struct {name}{gen}")
                    for fld in k.fields:
                        w.docs(fld.docs)
                        self.wt_attr(w, f'component(name = "{fld.name}")')
                        w.line([f"pub {ident(fld.name)}: ", type_node(self.ty(fld.type, mode)), ","])
                    w.close()
                self.error_impls(w, tid, name, gen, debug_display=True)
                self.assert_layout(w, tid, name, bool(lt))
            elif isinstance(k, m.Variant):
                w.docs(td.docs)
                self.derive_component(w, "variant", lift=lt is None)
                self.std_derives(w, tid)
                w.open(f"pub enum {name}{gen}")
                for c in k.cases:
                    w.docs(c.docs)
                    self.wt_attr(w, f'component(name = "{c.name}")')
                    if c.type is None:
                        w.line(f"{type_name(c.name)},")
                    else:
                        w.line([type_name(c.name), group("(", [type_node(self.ty(c.type, mode))], ")"), ","])
                w.close()
                self.error_impls(w, tid, name, gen, debug_display=True)
                self.assert_layout(w, tid, name, bool(lt))
            elif isinstance(k, m.Enum_):
                self.define_enum(w, tid, name)
            else:
                w.docs(td.docs)
                if isinstance(k, m.List):
                    inner = self.ty(k.type, OWNED if not self.o.borrowing else mode)
                    if mode is OWNED:
                        rhs = f"Vec<{inner}>"
                    else:
                        rhs = f"&{mode} [{inner}]"
                elif isinstance(k, m.Alias):
                    rhs = self.ty(k.type, mode)
                else:
                    rhs = self._anon_rhs(tid, mode)
                w.let(f"pub type {name}{gen}", type_node(rhs))
                if not isinstance(k, (m.Alias, m.Handle)) or not self._is_resource(k):
                    if not info.has_future_or_stream and not self._has_err_ctx(tid):
                        self.assert_layout(w, tid, name, bool(lt))

    def _is_resource(self, k) -> bool:
        if isinstance(k, m.Handle):
            return True
        if isinstance(k, m.Alias) and not isinstance(k.type, m.Prim):
            t = self.r.unalias(k.type)
            return not isinstance(t, m.Prim) and isinstance(self.r.types[t].kind, (m.Resource, m.Handle))
        return False

    def _has_err_ctx(self, tid: int) -> bool:
        seen: set[int] = set()

        def walk(t) -> bool:
            if isinstance(t, m.Prim):
                return t == m.Prim.ERROR_CONTEXT
            if t in seen:
                return False
            seen.add(t)
            k = self.r.types[t].kind
            if isinstance(k, (m.Future, m.Stream, m.Handle)):
                return isinstance(k, (m.Future, m.Stream))
            return any(walk(x) for x in m.kind_refs(k))

        return walk(tid)

    def _anon_rhs(self, tid: int, mode) -> str:
        # a named option/result/tuple/... : print the structure, not the name
        td = self.r.types[tid]
        saved, td.name = td.name, None
        try:
            return self.ty(tid, mode)
        finally:
            td.name = saved

    def error_impls(self, w: Writer, tid: int, name: str, gen: str, debug_display: bool) -> None:
        if not self.types.get(tid).error:
            return
        w.open(f"impl{gen} core::fmt::Display for {name}{gen}")
        w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result")
        w.line('write!(f, "{self:?}")')
        w.close()
        w.close()
        w.line(f"impl{gen} core::error::Error for {name}{gen} {{}}")

    def define_enum(self, w: Writer, tid: int, name: str) -> None:
        td = self.r.types[tid]
        k: m.Enum_ = td.kind
        w.docs(td.docs)
        self.derive_component(w, "enum")
        ds = ["Clone", "Copy", "Eq", "PartialEq"]
        extra = [d for d in self.o.additional_derives if d not in ds]
        w.line(derive(ds + extra))
        n = len(k.cases)
        repr_ = "u8" if n <= 256 else ("u16" if n <= 65536 else "u32")
        w.line(f"#[repr({repr_})]")
        w.open(f"pub enum {name}")
        for c in k.cases:
            w.docs(c.docs)
            self.wt_attr(w, f'component(name = "{c.name}")')
            w.line(f"{type_name(c.name)},")
        w.close()
        w.open(f"impl {name}")
        w.line("/// The name of this case in WIT.")
        w.open("pub fn name(&self) -> &'static str")
        w.open("match self")
        for c in k.cases:
            w.line(f'{name}::{type_name(c.name)} => "{c.name}",')
        w.close()
        w.close()
        w.line("/// The documentation of this case in WIT.")
        w.open("pub fn message(&self) -> &'static str")
        w.open("match self")
        for c in k.cases:
            doc = (c.docs or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            w.line([f"{name}::{type_name(c.name)} => ", f'"{doc}"', ","])
        w.close()
        w.close()
        w.close()
        w.open(f"impl core::fmt::Debug for {name}")
        w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result")
        w.line(f'f.debug_struct("{name}")')
        w.level += 1
        w.line('.field("code", &(*self as i32))')
        w.line('.field("name", &self.name())')
        w.line('.field("message", &self.message())')
        w.line(".finish()")
        w.level -= 1
        w.close()
        w.close()
        if self.types.get(tid).error:
            w.open(f"impl core::fmt::Display for {name}")
            w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result")
            w.line('write!(f, "{} (error {})", self.name(), *self as i32)')
            w.close()
            w.close()
            w.line(f"impl core::error::Error for {name} {{}}")
        self.assert_layout(w, tid, name, False)

    def define_flags(self, w: Writer, tid: int) -> None:
        td = self.r.types[tid]
        k: m.Flags = td.kind
        name = type_name(td.name)
        if td.docs:
            # `flags!` does not take docs; keep them as comments
            for ln in td.docs.split("\n"):
                w.line(f"// {ln}".rstrip())
        if self.tonly:
            w.line('#[cfg(feature = "wasmtime")]')
        w.open("::wasmtime::component::flags!")
        w.open(name)
        for f in k.flags:
            w.line(f'#[component(name = "{f.name}")]')
            w.line(f"const {shouty(f.name)};")
        w.close()
        w.close()
        if self.tonly:
            # the same API without wasmtime: a bit set with named constants and `|`/`&`/`!`
            bits = "u32" if len(k.flags) <= 32 else "u64" if len(k.flags) <= 64 else "u128"
            w.line('#[cfg(not(feature = "wasmtime"))]')
            w.line(derive(["Clone", "Copy", "PartialEq", "Eq", "Hash", "Default"]))
            w.line(f"pub struct {name}({bits});")
            w.line('#[cfg(not(feature = "wasmtime"))]')
            w.open(f"impl {name}")
            for i, f in enumerate(k.flags):
                w.docs(f.docs)
                w.line(f"pub const {shouty(f.name)}: Self = Self(1 << {i});")
            w.line("/// No flag set.")
            w.open("pub fn empty() -> Self")
            w.line("Self(0)")
            w.close()
            w.line("/// Every flag set.")
            w.open("pub fn all() -> Self")
            nbits = {"u32": 32, "u64": 64, "u128": 128}[bits]
            w.line(f"Self({bits}::MAX >> {nbits - len(k.flags)})" if k.flags else "Self(0)")
            w.close()
            w.line("/// Whether every flag of `other` is set in `self`.")
            w.open("pub fn contains(&self, other: Self) -> bool")
            w.line("self.0 & other.0 == other.0")
            w.close()
            w.close()
            for op, tr, meth in (("|", "BitOr", "bitor"), ("&", "BitAnd", "bitand")):
                w.line('#[cfg(not(feature = "wasmtime"))]')
                w.open(f"impl core::ops::{tr} for {name}")
                w.line("type Output = Self;")
                w.open(f"fn {meth}(self, rhs: Self) -> Self")
                w.line(f"Self(self.0 {op} rhs.0)")
                w.close()
                w.close()
            w.line('#[cfg(not(feature = "wasmtime"))]')
            w.open(f"impl core::fmt::Debug for {name}")
            w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result")
            w.line('let mut set = f.debug_set();')
            for fl in k.flags:
                w.open(f"if self.contains(Self::{shouty(fl.name)})")
                w.line(f'set.entry(&"{fl.name}");')
                w.close()
            w.line("set.finish()")
            w.close()
            w.close()
        self.assert_layout(w, tid, name, False)

    # --- resources ------------------------------------------------------------------------

    def define_resource(self, w: Writer, tid: int, wit_name: str, key, *, export: bool) -> None:
        td = self.r.types[tid]
        cname = type_name(wit_name)
        w.docs(td.docs)
        if export:
            w.line(f"pub type {cname} = {self.ANY};")
            w.line()
            self.wt_cfg(w)
            w.line(f"/// The exported functions of resource `{wit_name}`, from [`Guest::{ident(wit_name)}`].")
            self.wt_cfg(w)
            w.open(f"pub struct Guest{cname}<'a>")
            w.line("funcs: &'a Guest,")
            w.close()
            w.line()
            return
        mapped = self._with_lookup(key, wit_name) if key is not None else self.o.with_.get(wit_name)
        if mapped is not None:
            w.line(f"pub use {mapped} as {cname};")
        else:
            w.line(f"pub enum {cname} {{}}")
        w.line()
        funcs = self.resource_funcs(tid)
        self.host_trait(w, f"Host{cname}", funcs, key, resources=[], drop=(wit_name, cname))
        w.line()

    def resource_funcs(self, tid: int) -> list[m.Function]:
        owner = self.r.types[tid].owner
        if owner.kind == "world":
            return [
                it.function
                for it in self.world.imports.values()
                if isinstance(it, m.FunctionItem) and it.function.resource == tid
            ]
        return [f for f in self.r.interfaces[owner.id].functions.values() if f.resource == tid]

    def iface_resources(self, iid: int) -> list[tuple[int, str]]:
        return [
            (tid, n)
            for n, tid in self.r.interfaces[iid].types.items()
            if isinstance(self.r.types[tid].kind, m.Resource)
        ]

    # --- host traits ----------------------------------------------------------------------

    def fn_name(self, f: m.Function) -> str:
        return "new" if f.kind == "constructor" else ident(f.item_name)

    def trait_sig(self, f: m.Function, fl: Flags, key) -> tuple:
        """(head, params, return type node) of a Host trait method."""
        params = [[f"{ident(p.name)}: ", type_node(self.ty(p.type))] for p in f.params]
        recv = ["accessor: &::wasmtime::component::Accessor<T, Self>"] if fl.concurrent else ["&mut self"]
        r = self.fn_result(f, fl)
        if fl.async_:
            ret = [Group("impl ::core::future::Future<", [["Output = ", type_node(r)]], ">"), " + Send"]
        else:
            ret = None if r == "()" else type_node(r)
        return f"fn {self.fn_name(f)}", recv + params, ret

    def _ret(self, f: m.Function, fl: Flags) -> str:
        """` -> T` of a trait method, empty for `()`."""
        r = self.fn_result(f, fl)
        return "" if r == "()" else f" -> {r}"

    def fn_result(self, f: m.Function, fl: Flags) -> str:
        if not fl.trappable:
            return self.result_ty(f)
        te = self.trappable_error(f)
        if te is not None:
            r, _eid, rust = te
            return f"Result<{self.opt_ty(r.ok)}, {rust}>"
        return f"{self.RESULT}<{self.result_ty(f)}>"

    def host_trait(self, w: Writer, name: str, funcs: list[m.Function], key, *, resources, drop=None, extra_convert=()):
        flags = [(f, self.import_flags(key, f)) for f in funcs]
        with_store = [(f, fl) for f, fl in flags if fl.concurrent]
        plain = [(f, fl) for f, fl in flags if not fl.concurrent]
        dfl = self.drop_flags(key, drop[0]) if drop else None
        any_async = any(fl.async_ for _, fl in flags) or (dfl is not None and dfl.async_)
        for tid, rn in resources:
            for f in self.resource_funcs(tid):
                any_async |= self.import_flags(key, f).async_
            any_async |= self.drop_flags(key, rn).async_
        send = ["Send"] if any_async else []
        ws_super = ["::wasmtime::component::HasData"] + [f"Host{type_name(n)}WithStore<T>" for _, n in resources] + send
        plain_super = [f"Host{type_name(n)}" for _, n in resources] + send
        self.wt_cfg(w)
        if with_store:
            w.open([f"pub trait {name}WithStore<T>: ", " + ".join(ws_super)])
            for f, fl in with_store:
                w.docs(f.docs)
                w.fn(*self.trait_sig(f, fl, key), end=";")
            w.close()
        else:
            w.bounded(f"pub trait {name}WithStore<T>", ws_super)
            self.wt_cfg(w)
            w.bounded(f"impl<H: ?Sized, T> {name}WithStore<T> for H", ws_super, "H")
        body_items = plain or drop or extra_convert
        if not body_items:
            if plain_super:
                w.bounded(f"pub trait {name}", plain_super)
            else:
                w.line(f"pub trait {name} {{}}")
        else:
            w.open_trait(f"pub trait {name}", plain_super)
            for f, fl in plain:
                w.docs(f.docs)
                w.fn(*self.trait_sig(f, fl, key), end=";")
            if drop:
                w.line(f"/// Drops a `{drop[0]}` handle owned by the guest.")
                w.fn(*self._drop_sig(drop[1], dfl), end=";")
            for ename, etype, rust in extra_convert:
                w.line(f"/// Converts a trappable `{rust}` into the WIT `{ename}` or a trap.")
                w.fn(f"fn convert_{snake(ename)}", ["&mut self", f"err: {rust}"], type_node(f"{self.RESULT}<{etype}>"), end=";")
            w.close()
        # `&mut T` forwards, as bindgen! provides
        bound = f"_T: {name} + ?Sized" + (" + Send" if any_async else "")
        if not body_items:
            w.line(f"impl<{bound}> {name} for &mut _T {{}}")
            return
        w.open(f"impl<{bound}> {name} for &mut _T")
        for f, fl in plain:
            args = ["*self"] + [ident(p.name) for p in f.params]
            w.fn(*self.trait_sig(f, fl, key))
            if fl.async_:
                w.line(["async move { ", call(f"{name}::{self.fn_name(f)}", args), ".await }"])
            else:
                w.line(call(f"{name}::{self.fn_name(f)}", args))
            w.close()
        if drop:
            w.fn(*self._drop_sig(drop[1], dfl))
            if dfl.async_:
                w.line(f"async move {{ {name}::drop(*self, rep).await }}")
            else:
                w.line(f"{name}::drop(*self, rep)")
            w.close()
        for ename, _etype, rust in extra_convert:
            w.fn(f"fn convert_{snake(ename)}", ["&mut self", f"err: {rust}"], type_node(f"{self.RESULT}<{_etype}>"))
            w.line(f"{name}::convert_{snake(ename)}(*self, err)")
            w.close()
        w.close()

    def _drop_sig(self, cname: str, fl: Flags) -> tuple:
        params = ["&mut self", f"rep: {self.RES}<{cname}>"]
        r = type_node(f"{self.RESULT}<()>")
        if fl.async_:
            return "fn drop", params, [Group("impl ::core::future::Future<", [["Output = ", r]], ">"), " + Send"]
        return "fn drop", params, r

    # --- linker glue ----------------------------------------------------------------------

    def _closure(self, w: Writer, inst: str, method: str, name: str, head: str) -> None:
        """`inst.method(\n"name",\nhead` as rustfmt lays it out (the body follows)."""
        w.line(f"{inst}.{method}(")
        w.level += 1
        w.line(f'"{name}",')
        w.line(head)
        w.level += 1
        return None

    def _closure_end(self, w: Writer, short: str | None) -> None:
        w.level -= 1
        if short is not None:
            w.line(short)
            return
        w.line("},")
        w.level -= 1
        w.line(")?;")

    def site(self, key) -> str:
        """The expression naming the interface in error contexts."""
        if key is None:
            return '""'
        self.used_site = True
        return "WIT_INTERFACE"

    def link_function(self, w: Writer, key, f: m.Function, trait_of, inst: str) -> None:
        fl = self.import_flags(key, f)
        if len(f.params) > MAX_TYPED_PARAMS:
            # wasmtime's typed API stops at 17 parameters (bindgen! fails to compile here)
            w.line(f'{inst}.func_new("{f.name}", |_, _, _, _| {{')
            w.level += 1
            w.line(f'::wasmtime::bail!("`{f.name}` has more than {MAX_TYPED_PARAMS} parameters")')
            w.level -= 1
            w.line("})?;")
            return
        args = [f"arg{i}" for i in range(len(f.params))]
        method = "func_wrap_concurrent" if fl.concurrent else "func_wrap_async" if fl.async_ else "func_wrap"
        alias = self.params_aliases[f.name]
        if fl.concurrent:
            head = f"move |caller: &::wasmtime::component::Accessor<T>, params: {alias}| {{"
        else:
            head = f"move |mut caller: ::wasmtime::StoreContextMut<'_, T>, params: {alias}| {{"
        short = self._closure(w, inst, method, f.name, head)
        w.line(["let ", tuple_pat(args), " = params;"] if args else "let () = params;")
        if fl.async_:
            w.line("Box::" + ("pin" if fl.concurrent else "new") + "(async move {")
            w.level += 1
        if fl.concurrent:
            w.line("let host = &caller.with_getter::<D>(host_getter);")
            callee = f"<D as {trait_of}WithStore<T>>::{self.fn_name(f)}"
        else:
            w.line("let host = &mut host_getter(caller.data_mut());")
            callee = f"{trait_of}::{self.fn_name(f)}"
        te = self.trappable_error(f) if fl.trappable else None
        if not fl.trappable and f.result is None:
            if fl.async_:
                w.let_await("", call(callee, ["host", *args]))
            else:
                w.line([call(callee, ["host", *args]), ";"])
            w.line("Ok(())")
            if fl.async_:
                w.level -= 1
                w.line("})")
            self._closure_end(w, None)
            return
        if fl.async_:
            w.let_await("let r", call(callee, ["host", *args]))
        else:
            w.let("let r", call(callee, ["host", *args]))
        site = self.site(key) if self.o.error_context and fl.trappable else None
        if not fl.trappable:
            w.line("Ok((r,))" if f.result is not None else "Ok(r)")
        elif te is not None:
            _r, eid, _rust = te
            owner = self.r.types[eid].owner
            conv_trait = "Host" if owner.id == self.cur[0] else f"{self.iface_mod(owner.id)}::Host"
            ename = snake(self.r.types[eid].name)
            w.open("let r = match r")
            w.line("Ok(a) => Ok(a),")
            w.open("Err(e) =>")
            if fl.concurrent:
                w.let("let e", call("caller.with", [f"|mut h| {conv_trait}::convert_{ename}(&mut host_getter(h.get()), e)"]))
            else:
                w.let("let e", call(f"{conv_trait}::convert_{ename}", ["host", "e"]))
            if site:
                w.let("let e", [call("crate::witgen_rt::serving", ["e", site, f'"{f.name}"']), "?"])
                w.line("Err(e)")
            else:
                w.line("Err(e?)")
            w.close()
            w.close(";")
            w.line("Ok((r,))")
        elif f.result is None:
            w.line(call("crate::witgen_rt::serving", ["r", site, f'"{f.name}"']) if site else "r")
        else:
            if site:
                w.let("let r", [call("crate::witgen_rt::serving", ["r", site, f'"{f.name}"']), "?"])
            else:
                w.line("let r = r?;")
            w.line("Ok((r,))")
        if fl.async_:
            w.level -= 1
            w.line("})")
        self._closure_end(w, short)

    def add_resource(self, w: Writer, key, tid: int, wit_name: str, inst: str, trait_path: str) -> None:
        cname = type_name(wit_name)
        dfl = self.drop_flags(key, wit_name)
        site = self.site(key) if self.o.error_context else None
        method = "resource_async" if dfl.async_ else "resource"
        w.line(f"{inst}.{method}(")
        w.level += 1
        w.line(f'"{wit_name}",')
        w.line(f"::wasmtime::component::ResourceType::host::<{cname}>(),")
        w.line("move |mut store, rep| {")
        w.level += 1
        if dfl.async_:
            w.line("Box::new(async move {")
            w.level += 1
        w.line("let resource = ::wasmtime::component::Resource::new_own(rep);")
        w.line("let host = &mut host_getter(store.data_mut());")
        if site:
            if dfl.async_:
                w.let_await("let r", call(f"{trait_path}::drop", ["host", "resource"]))
            else:
                w.let("let r", call(f"{trait_path}::drop", ["host", "resource"]))
            w.line(call("crate::witgen_rt::serving", ["r", site, f'"[resource-drop]{wit_name}"']))
        else:
            if dfl.async_:
                w.let_await("", call(f"{trait_path}::drop", ["host", "resource"]), "")
            else:
                w.line(call(f"{trait_path}::drop", ["host", "resource"]))
        if dfl.async_:
            w.level -= 1
            w.line("})")
        w.level -= 1
        w.line("},")
        w.level -= 1
        w.line(")?;")

    # --- interfaces -----------------------------------------------------------------------

    def site_const(self, key, body: str) -> str:
        if not self.used_site:
            return body
        cfg = '#[cfg(feature = "wasmtime")]\n' if self.tonly else ""
        return f'{cfg}const WIT_INTERFACE: &str = "{self.key_name(key)}";\n\n' + body

    def import_module(self, key, iid: int) -> str:
        self.cur = (iid, False)
        self.used_site = False
        iface = self.r.interfaces[iid]
        w = Writer()
        self.define_types(w, iface.types, key, export=False, shared_from=None)
        resources = self.iface_resources(iid)
        funcs = [f for f in iface.functions.values() if f.resource is None]
        # trappable error conversions this interface owns
        converts = []
        for tid in iface.types.values():
            if tid in self.trappable_errors:
                td = self.r.types[tid]
                converts.append((td.name, type_name(td.name), self.trappable_errors[tid]))
        required = set()
        for f in iface.functions.values():
            fl = self.import_flags(key, f)
            te = self.trappable_error(f) if fl.trappable else None
            if te is not None:
                owner = self.r.types[te[1]].owner.id
                if owner != iid:
                    required.add(f"{self.iface_mod(owner)}::Host")
        w.docs("The host side of this interface: implement it and the resource traits.")
        self.host_trait(w, "Host", funcs, key, resources=resources, extra_convert=converts)
        w.line()
        self.linker_fns(w, key, iid, resources, sorted(required))
        return self.site_const(key, w.text())

    def _all_import_funcs(self, iid: int) -> list[m.Function]:
        return list(self.r.interfaces[iid].functions.values())

    def linker_fns(self, w: Writer, key, iid: int, resources, required: list[str]) -> None:
        funcs = self._all_import_funcs(iid)
        any_async = any(self.import_flags(key, f).async_ for f in funcs) or any(
            self.drop_flags(key, n).async_ for _, n in resources
        )
        tbound = "T: 'static" + (" + Send" if any_async else "")
        data_bound = " + ".join(["Host", *required])
        self.wt_cfg(w)
        w.line("/// Adds this interface's functions and resources to `inst`.")
        self.wt_cfg(w)
        w.sig(
            "pub fn add_to_linker_instance<T, D>",
            ["inst: &mut ::wasmtime::component::LinkerInstance<'_, T>", "host_getter: fn(&mut T) -> D::Data<'_>"],
            " -> ::wasmtime::Result<()>",
            ["D: HostWithStore<T>", f"for<'a> D::Data<'a>: {data_bound}", tbound],
        )
        if not funcs and not resources:
            w.line("let _ = (inst, host_getter);")
        self.params_aliases = {}
        for i, f in enumerate(funcs):
            if len(f.params) > MAX_TYPED_PARAMS:
                continue
            alias = f"Params{i}"
            self.params_aliases[f.name] = alias
            w.let(f"type {alias}", tuple_([type_node(self.ty(p.type)) for p in f.params]))
        for tid, n in resources:
            self.add_resource(w, key, tid, n, "inst", f"Host{type_name(n)}")
        for f in funcs:
            trait = f"Host{type_name(self.r.types[f.resource].name)}" if f.resource is not None else "Host"
            self.link_function(w, key, f, trait, "inst")
        w.line("Ok(())")
        w.level -= 1
        w.line("}")
        w.line()
        self.wt_cfg(w)
        w.line(f"/// Adds this interface (`{self.key_name(key)}`) to `linker`.")
        self.wt_cfg(w)
        w.sig(
            "pub fn add_to_linker<T, D>",
            ["linker: &mut ::wasmtime::component::Linker<T>", "host_getter: fn(&mut T) -> D::Data<'_>"],
            " -> ::wasmtime::Result<()>",
            ["D: HostWithStore<T>", f"for<'a> D::Data<'a>: {data_bound}", tbound],
        )
        w.line(f'let mut inst = linker.instance("{self.key_name(key)}")?;')
        w.line("add_to_linker_instance::<T, D>(&mut inst, host_getter)")
        w.level -= 1
        w.line("}")

    def field_name(self, f: m.Function) -> str:
        if f.kind in ("method", "async-method"):
            return snake(f"method-{self.r.types[f.resource].name}-{f.item_name}")
        if f.kind in ("static", "async-static"):
            return snake(f"static-{self.r.types[f.resource].name}-{f.item_name}")
        if f.kind == "constructor":
            return snake(f"constructor-{self.r.types[f.resource].name}-{f.item_name}")
        return snake(f.item_name)

    def typedfunc_sig(self, f: m.Function, mode) -> list:
        params = tuple_([type_node(self.ty(p.type, mode)) for p in f.params])
        results = tuple_([type_node(self.ty(f.result))] if f.result is not None else [])
        return [params, results]

    def export_module(self, key, iid: int) -> str:
        self.cur = (iid, True)
        self.used_site = False
        iface = self.r.interfaces[iid]
        w = Writer()
        shared = None
        if iid in self.import_paths and iid not in self.remapped:
            shared = "crate::" + "::".join(self.import_paths[iid])
        self.define_types(w, iface.types, key, export=True, shared_from=shared)
        funcs = list(iface.functions.values())
        self.sig_aliases(w, key, funcs)
        fields = [self.field_name(f) for f in funcs]
        self.wt_cfg(w)
        w.line(f"/// The functions `{self.key_name(key)}` exports, bound to one instance.")
        self.wt_cfg(w)
        w.line("#[derive(Clone)]")
        self.wt_cfg(w)
        if fields:
            w.open("pub struct Guest")
            for f, fn in zip(funcs, fields, strict=True):
                if len(f.params) > MAX_TYPED_PARAMS:
                    w.line("#[allow(dead_code)]")
                w.line(f"{fn}: ::wasmtime::component::Func,")
            w.close()
        else:
            w.line("pub struct Guest {}")
        self.wt_cfg(w)
        w.line("/// Export indices of `Guest`, looked up once per component.")
        self.wt_cfg(w)
        w.line("#[derive(Clone)]")
        self.wt_cfg(w)
        if fields:
            w.open("pub struct GuestIndices")
            for fn in fields:
                w.line(f"{fn}: ::wasmtime::component::ComponentExportIndex,")
            w.close()
        else:
            w.line("pub struct GuestIndices {}")
        self.used_site = True
        self.wt_cfg(w)
        w.open("impl GuestIndices")
        w.line("/// Looks up the exports of this interface in the component of `_instance_pre`.")
        w.sig("pub fn new<_T>", ["_instance_pre: &::wasmtime::component::InstancePre<_T>"], " -> ::wasmtime::Result<GuestIndices>")
        inst_var = "instance" if fields else "_instance"
        w.line(f"let {inst_var} = crate::witgen_rt::instance_index(_instance_pre, WIT_INTERFACE)?;")
        for f, fn in zip(funcs, fields, strict=True):
            w.let(f"let {fn}", [call("crate::witgen_rt::func_index", ["_instance_pre", "&instance", "WIT_INTERFACE", f'"{f.name}"']), "?"])
        w.line(["Ok(", struct_lit("GuestIndices", fields), ")"])
        w.close()
        w.line()
        w.line("/// Loads (and type-checks) the exports of this interface from `instance`.")
        w.sig("pub fn load", ["&self", "mut store: impl ::wasmtime::AsContextMut", "instance: &::wasmtime::component::Instance"], " -> ::wasmtime::Result<Guest>")
        if fields:
            w.line("let mut store = store.as_context_mut();")
        else:
            w.line("let _ = (&mut store, instance);")
        for f, fn in zip(funcs, fields, strict=True):
            if len(f.params) > MAX_TYPED_PARAMS:
                w.let(f"let {fn}", [call("instance.get_func", ["&mut store", f"self.{fn}"]), ".unwrap()"])
                continue
            w.let(f"let {fn}: {self.sig_alias_ref(key, f)}", call("instance.get_typed_func", ["&mut store", f"self.{fn}"]), "?;")
            w.line(f"let {fn} = *{fn}.func();")
        w.line(["Ok(", struct_lit("Guest", fields), ")"])
        w.close()
        w.close()
        # impl Guest
        self.wt_cfg(w)
        w.open("impl Guest")
        for f in funcs:
            if f.resource is None:
                self.export_fn(w, key, f, "self")
        for _tid, n in self.iface_resources(iid):
            w.line(f"/// The functions of resource `{n}`.")
            w.open(f"pub fn {ident(n)}(&self) -> Guest{type_name(n)}<'_>")
            w.line(f"Guest{type_name(n)} {{ funcs: self }}")
            w.close()
        w.close()
        for tid, n in self.iface_resources(iid):
            rfuncs = [f for f in funcs if f.resource == tid]
            self.wt_cfg(w)
            w.open(f"impl Guest{type_name(n)}<'_>")
            for f in rfuncs:
                self.export_fn(w, key, f, "self.funcs")
            w.close()
        return self.site_const(key, w.text())

    def sig_alias(self, f: m.Function) -> str:
        return "TypedFunc" + camel(self.field_name(f))

    def sig_alias_ref(self, key, f: m.Function) -> str:
        fl = self.export_flags(key, f)
        return self.sig_alias(f) + ("" if fl.concurrent else "<'_>")

    def sig_aliases(self, w: Writer, key, funcs: list[m.Function]) -> None:
        """Private aliases of the `TypedFunc` types of exported functions (keeps lines short)."""
        for f in funcs:
            if len(f.params) > MAX_TYPED_PARAMS:
                continue
            fl = self.export_flags(key, f)
            mode = OWNED if fl.concurrent else "'a"
            gen = "" if fl.concurrent else "<'a>"
            sig = self.typedfunc_sig(f, mode)
            self.wt_cfg(w)
            w.let(f"type {self.sig_alias(f)}{gen}", ["::wasmtime::component::TypedFunc", group("<", sig, ">")])

    def export_fn(self, w: Writer, key, f: m.Function, funcs: str) -> None:
        fl = self.export_flags(key, f)
        if len(f.params) > MAX_TYPED_PARAMS:
            short = snake(f.item_name)
            w.line(f"/// Not callable: `{f.name}` has more parameters than wasmtime's typed API takes.")
            w.open(f"pub fn call_{short}(&self) -> ::wasmtime::Result<()>")
            w.line(f'::wasmtime::bail!("`{f.name}` has more than {MAX_TYPED_PARAMS} parameters")')
            w.close()
            return
        mode = OWNED if fl.concurrent else "'_"
        short = "constructor" if f.kind == "constructor" else snake(f.item_name)
        alias = self.sig_alias(f)
        lt = "" if fl.concurrent else "<'_>"
        w.line(f"/// The typed function of `{f.name}`.")
        w.open(f"pub fn func_{short}(&self) -> {alias}{lt}")
        w.line("// SAFETY: the function was type-checked against this signature when loaded")
        w.line(f"unsafe {{ {alias}::new_unchecked({funcs}.{self.field_name(f)}) }}")
        w.close()
        w.docs(f.docs)
        ret = type_node(f"::wasmtime::Result<{self.result_ty(f)}>")
        params = [[f"arg{i}: ", type_node(self.ty(p.type, mode))] for i, p in enumerate(f.params)]
        if fl.concurrent:
            w.fn(f"pub async fn call_{short}<_T, _D>", ["&self", "accessor: &::wasmtime::component::Accessor<_T, _D>", *params], ret,
                 where=["_T: Send", "_D: ::wasmtime::component::HasData"])
        elif fl.async_:
            w.fn(f"pub async fn call_{short}<_S: ::wasmtime::AsContextMut>", ["&self", "mut store: _S", *params], ret,
                 where=["<_S as ::wasmtime::AsContext>::Data: Send"])
        else:
            w.fn(f"pub fn call_{short}<_S: ::wasmtime::AsContextMut>", ["&self", "mut store: _S", *params], ret)
        w.line(f"let callee = self.func_{short}();")
        args = tuple_expr([f"arg{i}" for i in range(len(f.params))])
        rets = "(ret0,)" if f.result is not None else "()"
        if fl.concurrent:
            c = call("callee.call_concurrent", ["accessor", args])
        else:
            c = call("callee.call" + ("_async" if fl.async_ else ""), ["store.as_context_mut()", args])
        tail = ".await" if fl.async_ else ""
        if self.o.error_context:
            site = self.site(key)
            if tail:
                w.let_await("let r", c)
            else:
                w.let("let r", c)
            w.let(f"let {rets}", [call("crate::witgen_rt::calling", ["r", site, f'"{f.name}"']), "?"])
        else:
            w.let(f"let {rets}", [c, tail, "?"])
        w.line("Ok(ret0)" if f.result is not None else "Ok(())")
        w.close()
