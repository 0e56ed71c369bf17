"""Type definitions of an interface or the world: records (structs), variants and enums, flags,
type aliases, resources (an imported one with its `Host<Res>` trait), and the
`Display`/`Error` impls of error types.
"""

from __future__ import annotations

from typing import assert_never

from witgen import model as m
from witgen.abi.layout import discriminant_size
from witgen.abi.typeinfo import TypeInfos
from witgen.abi.typeuse import TypeUses

from .attrs import Attrs
from .host_traits import HostTraits
from .names import case_name, ident, shouty
from .options import Options
from .paths import Paths, RuntimePaths
from .resources import resource_funcs
from .rustfmt import Writer, derive, doc_lines, group, type_node
from .type_exprs import OWNED, Mode, TypeExprs

_FMT = "fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result"


class TypeDefs:
    """Writes the Rust item of each WIT type definition of one module."""

    def __init__(
        self,
        resolve: m.Resolve,
        world: m.World,
        info: TypeInfos,
        uses: TypeUses,
        opts: Options,
        types: TypeExprs,
        attrs: Attrs,
        paths: Paths,
        host_traits: HostTraits,
        rt: RuntimePaths,
    ) -> None:
        self.r = resolve
        self.world = world
        self.info = info
        self.uses = uses
        self.o = opts
        self.types = types
        self.attrs = attrs
        self.paths = paths
        self.host_traits = host_traits
        self.rt = rt

    def define_types(
        self,
        w: Writer,
        types: dict[str, int],
        key: m.WorldKey | None,
        *,
        export: bool,
        shared_from: str | None,
    ) -> None:
        """Every type of `types`; `shared_from` is the import-side module an export module
        takes its (handle-free) types from."""
        for wit_name, tid in types.items():
            td = self.r.types[tid]
            if isinstance(td.kind, m.Resource):
                self.define_resource(w, tid, wit_name, key, export=export)
                continue
            # (a `use` is written again as bindgen! does: an alias of the original type)
            if (
                shared_from is not None
                and not self.info.facts(tid).handle_anywhere
                and not self._is_use(tid)
            ):
                for name, mode in self.types.modes_of(tid):
                    gen = self._generics(tid, mode)
                    w.docs(td.docs or f"`{wit_name}`: the type of the imported interface.")
                    w.line(f"pub type {name}{gen} = {shared_from}::{name}{gen};")
                continue
            if key is not None:
                mapped = self.paths.with_lookup(key, wit_name)
                if mapped is not None:
                    w.docs(td.docs)
                    w.line(f"pub use {mapped} as {self.paths.rust_type_name(tid)};")
                    continue
            self.define_type(w, tid)
            w.line()

    def _generics(self, tid: int, mode: Mode) -> str:
        lt = self.types.lifetime(tid, mode)
        return f"<{lt}>" if lt else ""

    def define_resource(
        self, w: Writer, tid: int, wit_name: str, key: m.WorldKey | None, *, export: bool
    ) -> None:
        """An exported resource is a `ResourceAny` with a `Guest<Res>` of its functions; an
        imported one an empty enum (or its `with` path) with a `Host<Res>` trait."""
        td = self.r.types[tid]
        cname = self.paths.rust_type_name(tid)
        items = self.paths.resource_base(tid)
        w.docs(td.docs)
        if export:
            w.line(f"pub type {cname} = {self.rt.resource_any};")
            w.line()
            self.attrs.wt_cfg(w)
            w.line(
                f"/// The exported functions of resource `{wit_name}`, from [`Guest::{ident(wit_name)}`]."
            )
            self.attrs.wt_cfg(w)
            w.open(f"pub struct Guest{items}<'a>")
            if not resource_funcs(self.r, self.world, tid):
                w.line("#[allow(dead_code)]")  # a resource without functions has no methods
            w.line("funcs: &'a Guest,")
            w.close()
            w.line()
            return
        mapped = (
            self.paths.with_lookup(key, wit_name) if key is not None else self.o.with_.get(wit_name)
        )
        if mapped is not None:
            w.line(f"pub use {mapped} as {cname};")
        else:
            w.line(f"pub enum {cname} {{}}")
        w.line()
        funcs = resource_funcs(self.r, self.world, tid)
        self.host_traits.host_trait(
            w,
            f"Host{items}",
            funcs,
            key,
            resources=[],
            drop=(wit_name, cname),
            docs=f"The host side of resource `{wit_name}`: implement it for the handles' owner.",
        )
        w.line()

    def define_type(self, w: Writer, tid: int) -> None:
        k = self.r.types[tid].kind
        if isinstance(k, m.Flags):
            self.define_flags(w, tid, k)
            return
        for name, mode in self.types.modes_of(tid):
            match k:
                case m.Record():
                    self._record(w, tid, k, name, mode)
                case m.Variant():
                    self._variant(w, tid, k, name, mode)
                case m.Enum_():
                    self.define_enum(w, tid, k, name)
                case (
                    m.List()
                    | m.Alias()
                    | m.Option_()
                    | m.Result_()
                    | m.Tuple()
                    | m.FixedList()
                    | m.Map()
                    | m.Future()
                    | m.Stream()
                    | m.Handle()
                ):
                    self._type_alias(w, tid, k, name, mode)
                case m.Resource():
                    raise AssertionError("resources are defined by define_resource")
                case _:
                    assert_never(k)

    def _preamble(self, w: Writer, tid: int, mode: Mode, kind: str) -> tuple[str | None, str]:
        """Docs and derives of a record or variant; its lifetime and generics in `mode`."""
        lt = self.types.lifetime(tid, mode)
        w.docs(self.r.types[tid].docs)
        self.attrs.derive_component(w, kind, lift=lt is None)
        self.attrs.std_derives(w, tid)
        return lt, self._generics(tid, mode)

    def _record(self, w: Writer, tid: int, k: m.Record, name: str, mode: Mode) -> None:
        lt, gen = self._preamble(w, tid, mode, "record")
        if not k.fields:
            w.line(f"pub struct {name}{gen} {{}}")
        else:
            w.open(f"pub struct {name}{gen}")
            for fld in k.fields:
                w.docs(fld.docs)
                self.attrs.wt_attr(w, f'component(name = "{fld.name}")')
                w.line([f"pub {ident(fld.name)}: ", type_node(self.types.ty(fld.type, mode)), ","])
            w.close()
        self._record_debug(w, k, name, gen)
        self.error_impls(w, tid, name, gen)
        self.attrs.assert_layout(w, tid, name, bool(lt))

    def _record_debug(self, w: Writer, k: m.Record, name: str, gen: str) -> None:
        """`Debug` as bindgen!'s: a struct named `name` with the fields' WIT names."""
        w.open(f"impl{gen} ::core::fmt::Debug for {name}{gen}")
        w.open(_FMT)
        fields = [(".field", [f'"{fld.name}"', f"&self.{ident(fld.name)}"]) for fld in k.fields]
        _chain(w, "", [(".debug_struct", [f'"{name}"']), *fields, (".finish", [])], "")
        w.close()
        w.close()

    def _cases_debug(self, w: Writer, name: str, gen: str, cases: list[tuple[str, bool]]) -> None:
        """`Debug` as bindgen!'s: `Name::Case` or `Name::Case(payload)` for (case, has payload)."""
        w.open(f"impl{gen} ::core::fmt::Debug for {name}{gen}")
        w.open(_FMT)
        w.open("match self")
        for case, payload in cases:
            pat = f"{name}::{case}" + ("(e)" if payload else "")
            field = [(".field", ["e"])] if payload else []
            calls = [(".debug_tuple", [f'"{name}::{case}"']), *field, (".finish", [])]
            _chain(w, f"{pat} => ", calls, ",")
        w.close()
        w.close()
        w.close()

    def _variant(self, w: Writer, tid: int, k: m.Variant, name: str, mode: Mode) -> None:
        lt, gen = self._preamble(w, tid, mode, "variant")
        w.open(f"pub enum {name}{gen}")
        for c in k.cases:
            w.docs(c.docs)
            self.attrs.wt_attr(w, f'component(name = "{c.name}")')
            if c.type is None:
                w.line(f"{case_name(c.name)},")
            else:
                payload = group("(", [type_node(self.types.ty(c.type, mode))], ")")
                w.line([case_name(c.name), payload, ","])
        w.close()
        cases = [(case_name(c.name), c.type is not None) for c in k.cases]
        self._cases_debug(w, name, gen, cases)
        self.error_impls(w, tid, name, gen)
        self.attrs.assert_layout(w, tid, name, bool(lt))

    def _type_alias(self, w: Writer, tid: int, k: m.TypeDefKind, name: str, mode: Mode) -> None:
        """`pub type Name = <Rust type>;` for lists, aliases and named option/result/tuple/...,
        with a layout assertion unless the type has no fixed wasmtime layout (handles,
        futures, streams, error contexts)."""
        w.docs(self.r.types[tid].docs or self._use_docs(tid, k))
        lt = self.types.lifetime(tid, mode)
        match k:
            case m.List():
                inner = self.types.ty(k.type, OWNED if not self.o.borrowing else mode)
                rhs = f"{self.types.std('Vec')}<{inner}>" if mode is OWNED else f"&{mode} [{inner}]"
            case m.Alias():
                rhs = self.types.ty(k.type, mode)
            case _:
                # a named option/result/tuple/...: its structure, not its name
                rhs = self.types.kind_ty(k, mode)
        w.let(f"pub type {name}{self._generics(tid, mode)}", type_node(rhs))
        if self._is_resource(k):
            return
        facts = self.info.facts(tid)
        if not facts.has_future_or_stream and not facts.has_error_context:
            self.attrs.assert_layout(w, tid, name, bool(lt))

    def _is_use(self, tid: int) -> bool:
        """Whether the type is what a `use` brings in: an alias of another interface's type."""
        k = self.r.types[tid].kind
        if not isinstance(k, m.Alias) or isinstance(k.type, m.Prim):
            return False
        there = self.r.types[k.type]
        return there.owner is not None and there.owner != self.r.types[tid].owner

    def _use_docs(self, tid: int, k: m.TypeDefKind) -> str | None:
        """For a type a `use` brings in: where from."""
        if not self._is_use(tid) or not isinstance(k, m.Alias) or isinstance(k.type, m.Prim):
            return None
        there = self.r.types[k.type]
        if there.owner is None or there.name is None or there.owner.kind != "interface":
            return None
        origin = self.r.interface_name(there.owner.id) or "the world"
        return f"`{there.name}` of `{origin}`."

    def _is_resource(self, k: m.TypeDefKind) -> bool:
        """A handle, or an alias of a resource or handle."""
        match k:
            case m.Handle():
                return True
            case m.Alias(type=int(t)):
                target = self.r.unalias(t)
                return not isinstance(target, m.Prim) and isinstance(
                    self.r.types[target].kind, (m.Resource, m.Handle)
                )
            case _:
                return False

    def error_impls(self, w: Writer, tid: int, name: str, gen: str) -> None:
        """`Display` (as `Debug`) and `Error` for the error type of a `result`."""
        if not self.uses.use(tid).error:
            return
        w.open(f"impl{gen} ::core::fmt::Display for {name}{gen}")
        w.open(_FMT)
        w.line('write!(f, "{self:?}")')
        w.close()
        w.close()
        w.line(f"impl{gen} ::core::error::Error for {name}{gen} {{}}")

    def define_enum(self, w: Writer, tid: int, k: m.Enum_, name: str) -> None:
        w.docs(self.r.types[tid].docs)
        self.attrs.derive_component(w, "enum")
        ds = ["Clone", "Copy", "Eq", "PartialEq"]
        extra = [d for d in self.o.additional_derives if d not in ds]
        w.line(derive(ds + extra))
        # the canonical ABI's discriminant, as bindgen! picks the repr
        w.line(f"#[repr(u{8 * discriminant_size(len(k.cases))})]")
        w.open(f"pub enum {name}")
        for c in k.cases:
            w.docs(c.docs)
            self.attrs.wt_attr(w, f'component(name = "{c.name}")')
            w.line(f"{case_name(c.name)},")
        w.close()
        if not self.uses.use(tid).error:
            self._cases_debug(w, name, "", [(case_name(c.name), False) for c in k.cases])
            self.attrs.assert_layout(w, tid, name, False)
            return
        # an error enum: `name()`, `message()`, a struct-like `Debug`, as bindgen! has them
        self._enum_methods(w, k, name)
        w.open(f"impl ::core::fmt::Debug for {name}")
        w.open(_FMT)
        w.line(f'f.debug_struct("{name}")')
        w.level += 1
        w.line('.field("code", &(*self as i32))')
        w.line('.field("name", &self.name())')
        w.line('.field("message", &self.message())')
        w.line(".finish()")
        w.level -= 1
        w.close()
        w.close()
        w.open(f"impl ::core::fmt::Display for {name}")
        w.open(_FMT)
        w.line('write!(f, "{} (error {})", self.name(), *self as i32)')
        w.close()
        w.close()
        w.line(f"impl ::core::error::Error for {name} {{}}")
        self.attrs.assert_layout(w, tid, name, False)

    def _enum_methods(self, w: Writer, k: m.Enum_, name: str) -> None:
        """`name()` and `message()` (the WIT name and docs of a case)."""
        w.open(f"impl {name}")
        w.line("/// The name of this case in WIT.")
        w.open("pub fn name(&self) -> &'static str")
        w.open("match self")
        for c in k.cases:
            w.line(f'{name}::{case_name(c.name)} => "{c.name}",')
        w.close()
        w.close()
        w.line("/// The documentation of this case in WIT.")
        w.open("pub fn message(&self) -> &'static str")
        w.open("match self")
        for c in k.cases:
            doc = (
                (c.docs or "")
                .replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
            w.line([f"{name}::{case_name(c.name)} => ", f'"{doc}"', ","])
        w.close()
        w.close()
        w.close()

    def define_flags(self, w: Writer, tid: int, k: m.Flags) -> None:
        """wasmtime's `flags!`; in traits-only mode also a std-only bit set with its API."""
        td = self.r.types[tid]
        assert td.name is not None, "flags are named"
        name = self.paths.rust_type_name(tid)
        docs = _flags_docs(td.docs, k)
        # `flags!` takes no docs: with some, it goes into a private module and a documented
        # `pub use` of it carries them (rustdoc shows them on the type)
        module = f"__flags_{td.name.replace('-', '_')}" if docs else None
        self.attrs.wt_cfg(w)
        if module:
            # the docs are on the `pub use`; `flags!`'s own items (constants, `empty()`, ...)
            # cannot have any
            w.line("#[allow(missing_docs)]")
            w.open(f"mod {module}")
        w.open("::wasmtime::component::flags!")
        w.open(name)
        for f in k.flags:
            w.line(f'#[component(name = "{f.name}")]')
            w.line(f"const {shouty(f.name)};")
        w.close()
        w.close()
        if module:
            w.close()
            w.docs(docs)
            self.attrs.wt_cfg(w)
            w.line(f"pub use self::{module}::{name};")
        if self.attrs.tonly:
            w.docs(docs)
            self._std_flags(w, k, name)
        self.attrs.assert_layout(w, tid, name, False)

    def _std_flags(self, w: Writer, k: m.Flags, name: str) -> None:
        """The `flags!` API without wasmtime: a bit set with named constants and `|`/`&`."""
        n = len(k.flags)
        bits = 32 if n <= 32 else 64 if n <= 64 else 128
        no_wt = '#[cfg(not(feature = "wasmtime"))]'
        w.line(no_wt)
        w.line(derive(["Clone", "Copy", "PartialEq", "Eq", "Hash", "Default"]))
        # braced like `flags!`'s struct: a tuple struct would also be a value (`Ok`, `Some`)
        w.open(f"pub struct {name}")
        w.line(f"bits: u{bits},")
        w.close()
        w.line(no_wt)
        w.open(f"impl {name}")
        for i, f in enumerate(k.flags):
            w.docs(f.docs)
            w.line(f"pub const {shouty(f.name)}: Self = Self {{ bits: 1 << {i} }};")
        w.line("/// No flag set.")
        w.open("pub fn empty() -> Self")
        w.line("Self { bits: 0 }")
        w.close()
        w.line("/// Every flag set.")
        w.open("pub fn all() -> Self")
        _bits_lit(w, f"u{bits}::MAX >> {bits - n}" if k.flags else "0")
        w.close()
        w.line("/// Whether every flag of `other` is set in `self`.")
        w.open("pub fn contains(&self, other: Self) -> bool")
        w.line("self.bits & other.bits == other.bits")
        w.close()
        w.close()
        for op, tr, meth in (("|", "BitOr", "bitor"), ("&", "BitAnd", "bitand")):
            w.line(no_wt)
            w.open(f"impl ::core::ops::{tr} for {name}")
            w.line("type Output = Self;")
            w.open(f"fn {meth}(self, rhs: Self) -> Self")
            _bits_lit(w, f"self.bits {op} rhs.bits")
            w.close()
            w.close()
        w.line(no_wt)
        w.open(f"impl ::core::fmt::Debug for {name}")
        w.open(_FMT)
        w.line("let mut set = f.debug_set();")
        for fl in k.flags:
            w.open(f"if self.contains(Self::{shouty(fl.name)})")
            w.line(f'set.entry(&"{fl.name}");')
            w.close()
        w.line("set.finish()")
        w.close()
        w.close()


def _flags_docs(docs: str | None, k: m.Flags) -> str | None:
    """The docs of a flags type: its own, then each documented flag (`flags!` drops them)."""
    items = []
    for f in k.flags:
        if f.docs:
            lines = doc_lines(f.docs)
            items.append(
                "\n".join(
                    [
                        f"- `{shouty(f.name)}`: {lines[0]}",
                        *("  " + ln if ln else "" for ln in lines[1:]),
                    ]
                )
            )
    if not items:
        return docs
    head = f"{docs}\n\n" if docs else ""
    return head + "Flags:\n\n" + "\n".join(items)


def _chain(w: Writer, head: str, calls: list[tuple[str, list[str]]], end: str) -> None:
    """`head` + `f.m(args)...` + `end` as rustfmt lays it out. A chain at most 60 wide
    (`chain_width`) stays on one line, else it gets one call per line (a call whose arguments
    are over 60 wide, `fn_call_width`, one argument per line). In a match arm (`head` is
    `pat => `) a one-line chain too long for the arm's line goes into a block."""
    one = "f" + "".join(f"{m}({', '.join(a)})" for m, a in calls)
    if len(one) <= 60 and w.col + len(head) + len(one) + len(end) <= 100:
        w.line(head + one + end)
        return
    if head and len(one) <= 60:
        w.line(head + "{")
        w.level += 1
        w.line(one)
        w.level -= 1
        w.line("}")
        return
    first = 0 if head else 1
    w.line(head + "f" + ("" if head else f"{calls[0][0]}({', '.join(calls[0][1])})"))
    w.level += 1
    for i, (meth, args) in enumerate(calls[first:], first):
        tail = end if i == len(calls) - 1 else ""
        if len(", ".join(args)) <= 60:
            w.line(f"{meth}({', '.join(args)}){tail}")
            continue
        w.line(f"{meth}(")
        w.level += 1
        for a in args:
            w.line(a + ",")
        w.level -= 1
        w.line(")" + tail)
    w.level -= 1


def _bits_lit(w: Writer, expr: str) -> None:
    """`Self { bits: expr }` laid out as rustfmt does (one line only while it is short)."""
    if len(expr) + len("bits: ") <= 18:
        w.line(f"Self {{ bits: {expr} }}")
    else:
        w.open("Self")
        w.line(f"bits: {expr},")
        w.close()
