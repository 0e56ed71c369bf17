"""Type definitions of an interface or the world: records (structs), variants and enums, flags,
type aliases, and the `Display`/`Error` impls of error types. Resources are in
`resources.py`. Methods of `CrateGen` (a mixin).
"""

from __future__ import annotations

from witgen import model as m
from witgen.abi.layout import discriminant_size

from .names import ident, shouty, type_name
from .rustfmt import Writer, derive, group, type_node
from .type_exprs import OWNED


class TypeDefs:
    """Writes the Rust item of each WIT type definition."""

    def define_types(
        self, w: Writer, types: dict[str, int], key, *, export: bool, shared_from: str | None
    ) -> None:
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
                        w.line(
                            [f"pub {ident(fld.name)}: ", type_node(self.ty(fld.type, mode)), ","]
                        )
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
                        w.line(
                            [
                                type_name(c.name),
                                group("(", [type_node(self.ty(c.type, mode))], ")"),
                                ",",
                            ]
                        )
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
                    # a named option/result/tuple/...: its structure, not its name
                    rhs = self.kind_ty(k, mode)
                w.let(f"pub type {name}{gen}", type_node(rhs))
                if not isinstance(k, (m.Alias, m.Handle)) or not self._is_resource(k):
                    if not info.has_future_or_stream and not self._has_err_ctx(tid):
                        self.assert_layout(w, tid, name, bool(lt))

    def _is_resource(self, k) -> bool:
        if isinstance(k, m.Handle):
            return True
        if isinstance(k, m.Alias) and not isinstance(k.type, m.Prim):
            t = self.r.unalias(k.type)
            return not isinstance(t, m.Prim) and isinstance(
                self.r.types[t].kind, (m.Resource, m.Handle)
            )
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
        # the canonical ABI's discriminant, as bindgen! picks the repr
        w.line(f"#[repr(u{8 * discriminant_size(len(k.cases))})]")
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
            w.line("let mut set = f.debug_set();")
            for fl in k.flags:
                w.open(f"if self.contains(Self::{shouty(fl.name)})")
                w.line(f'set.entry(&"{fl.name}");')
                w.close()
            w.line("set.finish()")
            w.close()
            w.close()
        self.assert_layout(w, tid, name, False)
