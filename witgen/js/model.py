"""What the JS generator asks of the model: the world's functions as the glue sees them (`Fn`),
type kinds, resource sides, handle reachability and the canonical-ABI shape of a type (direct,
pointer+length, touching memory, cases of variant-like types); DataView accessors of primitives.
Also rejects what the JS target does not support yet (async functions, futures, streams).
"""

from __future__ import annotations

from dataclasses import dataclass

from witgen.abi.layout import flags_word_count
from witgen.errors import WitError
from witgen.model import (
    Enum_,
    Flags,
    Function,
    Future,
    Handle,
    List,
    Map,
    Option_,
    Prim,
    Resource,
    Result_,
    Stream,
    Type,
    Variant,
)

DV = {
    Prim.BOOL: ("Uint8", 1),
    Prim.U8: ("Uint8", 1),
    Prim.S8: ("Int8", 1),
    Prim.U16: ("Uint16", 2),
    Prim.S16: ("Int16", 2),
    Prim.U32: ("Uint32", 4),
    Prim.S32: ("Int32", 4),
    Prim.U64: ("BigUint64", 8),
    Prim.S64: ("BigInt64", 8),
    Prim.F32: ("Float32", 4),
    Prim.F64: ("Float64", 8),
    Prim.CHAR: ("Uint32", 4),
}


@dataclass
class Fn:
    """One WIT function as seen by the glue."""

    func: Function
    key: object  # world key, or None for world-level
    exported: bool
    label: str  # the WIT name used in error messages
    core: str  # core import field / export name
    post: str | None = None
    module: str | None = None  # core import module


class ModelQueries:
    """Queries on the resolved model shared by every part of `Gen`."""

    def kind(self, t: Type):
        t = self.r.unalias(t)
        return t if isinstance(t, Prim) else self.r.types[t].kind

    def uid(self, t: Type) -> Type:
        return self.r.unalias(t)

    def _check_async(self) -> None:
        def bad_type(t, seen) -> str | None:
            if t is None:
                return None
            if isinstance(t, Prim):
                return "error-context" if t is Prim.ERROR_CONTEXT else None
            if t in seen:
                return None
            seen.add(t)
            k = self.r.types[t].kind
            if isinstance(k, Future):
                return "future"
            if isinstance(k, Stream):
                return "stream"
            if isinstance(k, Handle):
                return None
            from witgen.model import kind_refs

            for x in kind_refs(k):
                found = bad_type(x, seen)
                if found:
                    return found
            return None

        for fn in self.all_funcs():
            what = None
            if fn.func.is_async:
                what = "async functions"
            else:
                for t in [p.type for p in fn.func.params] + [fn.func.result]:
                    found = bad_type(t, set())
                    if found:
                        what = f"`{found}` types"
                        break
            if what:
                raise WitError(
                    f"js target: function `{fn.label}` uses {what}, which the JS target does "
                    "not support yet (async support comes later)"
                )

    def func_label(self, key, func: Function) -> str:
        base = func.item_name
        if func.kind in ("method", "async-method", "static", "async-static"):
            res = self.r.types[func.resource].name
            base = f"{res}.{base}"
        elif func.kind == "constructor":
            base = f"{func.item_name}.constructor"
        return base

    def all_funcs(self) -> list[Fn]:
        out = []
        for item in self.contract.imports:
            o = item.origin
            if o.role == "func":
                out.append(
                    Fn(
                        o.function,
                        o.world_key,
                        False,
                        self.func_label(o.world_key, o.function),
                        item.name,
                        module=item.module,
                    )
                )
        posts = {
            e.origin.function.name + "\0" + str(e.origin.world_key): e.name
            for e in self.contract.exports
            if e.origin.role == "post-return"
        }
        for item in self.contract.exports:
            o = item.origin
            if o.role == "func":
                post = posts.get(o.function.name + "\0" + str(o.world_key))
                out.append(
                    Fn(
                        o.function,
                        o.world_key,
                        True,
                        self.func_label(o.world_key, o.function),
                        item.name,
                        post=post,
                    )
                )
        return out

    def res_side(self, rid: int, ctx: str) -> str:
        td = self.r.types[rid]
        if (
            ctx == "e"
            and td.owner is not None
            and td.owner.kind == "interface"
            and td.owner.id in self.exported_ifaces
        ):
            return "e"
        return "i"

    def has_handle(self, t: Type | None, seen=None) -> bool:
        if t is None or isinstance(t, Prim):
            return False
        seen = seen or set()
        if t in seen:
            return False
        seen.add(t)
        k = self.r.types[t].kind
        if isinstance(k, (Handle, Resource)):
            return True
        from witgen.model import kind_refs

        return any(self.has_handle(x, seen) for x in kind_refs(k))

    def hkey(self, t: Type, ctx: str) -> str:
        """Suffix for per-type helper names: the type id, plus the side when handles matter."""
        t = self.uid(t)
        return f"{t}{ctx}" if self.has_handle(t) else f"{t}"

    # variants, options and results share one shape: cases of (tag, payload type)
    def cases(self, t: int) -> list[tuple[str, Type | None]]:
        k = self.r.types[t].kind
        if isinstance(k, Variant):
            return [(c.name, c.type) for c in k.cases]
        if isinstance(k, Option_):
            return [("none", None), ("some", k.type)]
        if isinstance(k, Result_):
            return [("ok", k.ok), ("err", k.err)]
        raise AssertionError(k)

    def nested_option(self, t: int) -> bool:
        k = self.r.types[t].kind
        return isinstance(k, Option_) and isinstance(self.kind(k.type), Option_)

    def payload_seg(self, t: int, i: int) -> str:
        k = self.r.types[t].kind
        if isinstance(k, Option_):
            return ".some" if self.nested_option(t) else ""
        return ".val"

    def is_direct(self, t: Type) -> bool:
        """Types lowered to exactly one flat value by an expression (no statements)."""
        t = self.uid(t)
        if isinstance(t, Prim):
            return t is not Prim.STRING
        k = self.r.types[t].kind
        if isinstance(k, Flags):
            return flags_word_count(len(k.flags)) == 1
        return isinstance(k, (Enum_, Handle))

    def is_ptr_len(self, t: Type) -> bool:
        t = self.uid(t)
        if isinstance(t, Prim):
            return t is Prim.STRING
        return isinstance(self.r.types[t].kind, (List, Map))

    def touches_mem(self, t: Type | None, seen=None) -> bool:
        if t is None:
            return False
        t = self.uid(t)
        if isinstance(t, Prim):
            return t is Prim.STRING
        seen = seen or set()
        if t in seen:
            return False
        seen.add(t)
        k = self.r.types[t].kind
        if isinstance(k, (List, Map)):
            return True
        from witgen.model import kind_refs

        return any(self.touches_mem(x, seen) for x in kind_refs(k) if not isinstance(k, Handle))

    def result_type(self, func: Function):
        """(`Result_` kind, or None) of the function's top-level result."""
        if func.result is None:
            return None
        k = self.kind(func.result)
        return k if isinstance(k, Result_) else None
