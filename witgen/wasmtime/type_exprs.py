"""Rust type expressions for WIT types: `TypeExprs.ty()` and the names, lifetimes and
ownership modes (`OWNED` or a borrowed lifetime) they depend on.
"""

from __future__ import annotations

from typing import assert_never

from witgen import model as m
from witgen.abi.typeinfo import TypeInfos
from witgen.abi.typeuse import TypeUses

from .features import Features
from .options import Options
from .paths import Paths, RuntimePaths, Scope

#: TypeMode::Owned; a borrowed mode is the lifetime string, e.g. "'a" or "'_"
OWNED = None
Mode = str | None

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


#: the full paths of the std prelude items generated code names
STD_PATHS = {
    "String": "::std::string::String",
    "Vec": "::std::vec::Vec",
    "Option": "::core::option::Option",
    "Result": "::core::result::Result",
    "Box": "::std::boxed::Box",
}


class TypeExprs:
    """How a WIT type is spelled in Rust, owned or borrowed, in the module of `scope`. Notes
    in `feat` what the types need (async, std)."""

    def __init__(
        self,
        resolve: m.Resolve,
        info: TypeInfos,
        uses: TypeUses,
        opts: Options,
        paths: Paths,
        rt: RuntimePaths,
        feat: Features,
        scope: Scope,
    ) -> None:
        self.r = resolve
        self.info = info
        self.uses = uses
        self.o = opts
        self.paths = paths
        self.rt = rt
        self.feat = feat
        self.scope = scope
        self._own = paths.own_type_names(scope)

    @property
    def own_names(self) -> set[str]:
        """The Rust names of the types this module defines."""
        return self._own

    def std(self, name: str) -> str:
        """The std item `name` (`String`, `Vec`, `Option`, `Result`, `Box`) as this module
        writes it: by its prelude name, or by its full path where a WIT type of the module
        takes the name (`record string`)."""
        return STD_PATHS[name] if name in self._own else name

    def lifetime(self, tid: int, mode: Mode) -> str | None:
        if not self.o.borrowing or mode is OWNED:
            return None
        if not self.info.facts(tid).list_anywhere:
            return None
        use = self.uses.use(tid)
        if self.two_names(tid) or (use.borrowed and not use.owned):
            return mode
        return None

    def two_names(self, tid: int) -> bool:
        use = self.uses.use(tid)
        return self.info.facts(tid).list_anywhere and use.borrowed and use.owned and self.o.duplicate

    def _name(self, tid: int) -> str:
        return self.paths.rust_type_name(tid)

    def param_name(self, tid: int) -> str:
        return self._two_name(tid, "Param") if self.two_names(tid) else self._name(tid)

    def result_name(self, tid: int) -> str:
        return self._two_name(tid, "Result") if self.two_names(tid) else self._name(tid)

    def _two_name(self, tid: int, suffix: str) -> str:
        """`<T>Param`/`<T>Result`, with a `_` where the module has a type of that name (a
        record `x-param` beside `x`: `bindgen!` fails on it)."""
        name = self._name(tid) + suffix
        return name + "_" if name in self.paths.owner_type_names(tid) else name

    def modes_of(self, tid: int) -> list[tuple[str, Mode]]:
        use = self.uses.use(tid)
        if not use.owned and not use.borrowed:
            return [(self.param_name(tid), "'a" if self.o.borrowing else OWNED)]
        first: Mode = OWNED if (use.owned or not use.borrowed or not self.o.borrowing) else "'a"
        out = [(self.result_name(tid), first)]
        if self.two_names(tid):
            out.append((self.param_name(tid), "'a"))
        return out

    def ty(self, t: m.Type, mode: Mode = OWNED) -> str:
        if isinstance(t, m.Prim):
            if t == m.Prim.STRING:
                return _borrow(self.std("String"), "str", mode)
            if t == m.Prim.ERROR_CONTEXT:
                self.feat.concurrent = True
                return self.rt.error_context
            return PRIM[t]
        td = self.r.types[t]
        has_list = self.info.facts(t).list_anywhere
        if td.name is not None:
            # resources are named through their handles only
            lt = self.lifetime(t, mode)
            out = ""
            if has_list and lt is None and mode is not OWNED:
                out = "&" if mode == "'_" else f"&{mode} "
            name = self.param_name(t) if lt is not None else self.result_name(t)
            # a `with` mapping of this very type
            out += self.paths.type_ref(t, name, self.scope)
            if has_list and lt is not None and self.needs_generics(td.kind):
                out += f"<{lt}>"
            return out
        return self.kind_ty(td.kind, mode)

    def kind_ty(self, k: m.TypeDefKind, mode: Mode = OWNED) -> str:
        """The Rust type of an anonymous type (or of a named one's structure)."""
        match k:
            case m.List():
                inner = self.ty(k.type, OWNED if not self.o.borrowing else mode)
                return _borrow(f"{self.std('Vec')}<{inner}>", f"[{inner}]", mode)
            case m.Option_():
                return f"{self.std('Option')}<{self.ty(k.type, mode)}>"
            case m.Result_():
                ok, err = self.opt_ty(k.ok, mode), self.opt_ty(k.err, mode)
                return f"{self.std('Result')}<{ok}, {err}>"
            case m.Tuple():
                items = [self.ty(x, mode) for x in k.types]
                return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
            case m.Future():
                self.feat.concurrent = True
                return f"{self.rt.future_reader}<{self.opt_ty(k.type, OWNED)}>"
            case m.Stream():
                self.feat.concurrent = True
                return f"{self.rt.stream_reader}<{self.opt_ty(k.type, OWNED)}>"
            case m.Handle():
                return self.handle(k)
            case m.Alias():
                return self.ty(k.type, mode)
            case m.Map():
                hm = f"::std::collections::HashMap<{self.ty(k.key)}, {self.ty(k.value)}>"
                return _borrow(hm, hm, mode)
            case m.FixedList():
                return f"[{self.ty(k.type, mode)}; {k.size}]"
            case m.Record() | m.Variant() | m.Enum_() | m.Flags() | m.Resource():
                raise AssertionError(f"a {type(k).__name__} is always named")
            case _:
                assert_never(k)

    def needs_generics(self, k: m.TypeDefKind) -> bool:
        """Whether a named type with lists takes a lifetime (an alias of `string` does)."""
        if not isinstance(k, m.Alias):
            return True
        if isinstance(k.type, m.Prim):
            return k.type == m.Prim.STRING
        return self.needs_generics(self.r.types[k.type].kind)

    def opt_ty(self, t: m.Type | None, mode: Mode = OWNED) -> str:
        return "()" if t is None else self.ty(t, mode)

    def handle(self, h: m.Handle) -> str:
        res = h.resource
        defn = self.r.unalias(res)
        assert not isinstance(defn, m.Prim), "a handle refers to a resource"
        owner = self.r.types[defn].owner
        if owner is None or owner.kind == "world":
            host = True
        elif self.scope.export and owner.id == self.scope.iface:
            host = False
        else:
            host = owner.id in self.paths.import_paths
        if host:
            return f"{self.rt.resource}<{self.paths.type_ref(res, self._name(res), self.scope)}>"
        return self.rt.resource_any

    def result_ty(self, f: m.Function, mode: Mode = OWNED) -> str:
        return "()" if f.result is None else self.ty(f.result, mode)


def _borrow(owned: str, borrowed: str, mode: Mode) -> str:
    """`owned` in the owned mode, else a reference to `borrowed` (`&str`, `&'a [T]`)."""
    if mode is OWNED:
        return owned
    return f"&{borrowed}" if mode == "'_" else f"&{mode} {borrowed}"
