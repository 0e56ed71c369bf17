"""TypeScript type expressions of WIT types (`TsNamer.ts`, in/out shapes) and the naming of the TS
namespaces that hold interface types; `doc_comment` renders WIT docs as JSDoc.

A side `ctx` is "i" (the types as the world imports them) or "e" (as it exports them): an
interface both imported and exported has one namespace per side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from witgen.errors import WitError
from witgen.model import (
    Alias,
    Enum_,
    FixedList,
    Flags,
    Future,
    Handle,
    InterfaceItem,
    List,
    Map,
    Option_,
    Prim,
    Record,
    Resolve,
    Resource,
    Result_,
    Stream,
    Tuple,
    Type,
    TypeDefKind,
    TypeItem,
    Variant,
    World,
    kind_refs,
)

from . import names as N
from . import runtime


def doc_comment(docs: str | None, indent: str = "", extra: list[str] | None = None) -> str:
    lines = (docs or "").strip("\n").splitlines() if docs else []
    lines = [ln.rstrip().replace("*/", "*\\/") for ln in lines]
    if extra:
        if lines:
            lines.append("")
        lines.extend(extra)
    if not lines:
        return ""
    if len(lines) == 1:
        return f"{indent}/** {lines[0]} */\n"
    body = "".join(f"{indent} *{(' ' + ln) if ln else ''}\n" for ln in lines)
    return f"{indent}/**\n{body}{indent} */\n"


@dataclass
class Ns:
    name: str
    iface: int
    side: str  # "i" | "e"
    types: list[int] = field(default_factory=list)


class TsNamer:
    """TS namespaces of the world's interfaces and TS types of WIT types."""

    def __init__(self, resolve: Resolve, world: World) -> None:
        self.r = resolve
        self.world = world
        self.ns: dict[tuple[int, str], Ns] = {}
        self._differs: dict[int, bool] = {}
        self._name_namespaces()

    def _kind(self, t: Type) -> Prim | TypeDefKind:
        t = self.r.unalias(t)
        return t if isinstance(t, Prim) else self.r.types[t].kind

    def _wanted(self) -> list[tuple[int, str]]:
        wanted: list[tuple[int, str]] = []
        for item in self.world.imports.values():
            if isinstance(item, InterfaceItem):
                wanted.append((item.id, "i"))
        for item in self.world.exports.values():
            if isinstance(item, InterfaceItem):
                wanted.append((item.id, "e"))
        return wanted

    def _name_namespaces(self) -> None:
        wanted = self._wanted()
        taken: set[str] = set()
        for iid, _ in wanted:
            for name in self.r.interfaces[iid].types:
                taken.add(N.type_name(name))
        # world-level type names share the top level with the namespaces
        for item in self.world.imports.values():
            if isinstance(item, TypeItem):
                taken.add(N.type_name(self.r.types[item.id].name or ""))
        for iid, side in wanted:
            iface = self.r.interfaces[iid]
            if iface.name is not None and iface.package is not None:
                pkg = self.r.packages[iface.package].name
                base = N.type_name(f"{pkg.namespace}-{pkg.name}-{iface.name}")
            else:
                items = list(self.world.imports.items()) + list(self.world.exports.items())
                key = next(k for k, v in items if isinstance(v, InterfaceItem) and v.id == iid)
                base = N.type_name(str(key))
            if side == "e" and (iid, "i") in wanted:
                base += "Exports"
            name = base
            while name in taken:
                name += "_"
            taken.add(name)
            self.ns[(iid, side)] = Ns(name, iid, side, list(iface.types.values()))

    def ns_of(self, tid: int, ctx: str) -> str | None:
        """TS namespace holding the named type `tid` in context `ctx` (None: top level)."""
        td = self.r.types[tid]
        if td.owner is None or td.owner.kind != "interface":
            return None
        iid = td.owner.id
        side = "e" if ctx == "e" and (iid, "e") in self.ns else "i"
        if (iid, side) not in self.ns:
            side = "e" if (iid, "e") in self.ns else "i"
        return self.ns[(iid, side)].name

    def tref(self, tid: int, ctx: str) -> str:
        td = self.r.types[tid]
        name = N.type_name(td.name or "")
        ns = self.ns_of(tid, ctx)
        return name if ns is None else f"{ns}.{name}"

    def differs(self, t: Type) -> bool:
        """Whether the input shape (JS -> WIT) of `t` differs from its output shape: it holds a
        64-bit integer (`number | bigint` in), a numeric list (an array or a typed array in)
        or a map (`ReadonlyMap` in)."""
        if isinstance(t, Prim):
            return t in (Prim.U64, Prim.S64, Prim.ERROR_CONTEXT)
        memo = self._differs.get(t)
        if memo is None:
            k = self.r.types[t].kind
            if isinstance(k, (Handle, Resource, Enum_, Flags)):
                memo = False
            elif isinstance(k, (Future, Stream)):
                memo = True
            elif isinstance(k, Map) or (
                isinstance(k, List) and self._numeric_array(k.type) is not None
            ):
                memo = True
            else:
                memo = any(self.differs(x) for x in kind_refs(k))
            self._differs[t] = memo
        return memo

    def _numeric_array(self, elem: Type) -> str | None:
        """The typed array a list of `elem` is (None: a plain array)."""
        e = self._kind(elem)
        return runtime.NUMERIC_ARRAYS.get(e.value) if isinstance(e, Prim) else None

    def ts(self, t: Type | None, mode: str, ctx: str) -> str:
        """TS type of `t`; mode "in" (a value JS gives) or "out" (a value JS receives)."""
        if t is None:
            return "void"
        if isinstance(t, Prim):
            if t in (Prim.U64, Prim.S64):
                return "number | bigint" if mode == "in" else "bigint"
            if t in (Prim.CHAR, Prim.STRING):
                return "string"
            if t is Prim.BOOL:
                return "boolean"
            if t is Prim.ERROR_CONTEXT:
                return "WitErrorContext | Error | string" if mode == "in" else "WitErrorContext"
            return "number"
        td = self.r.types[t]
        k = td.kind
        if td.name is not None and not isinstance(k, Handle):
            if isinstance(k, Alias) and td.owner is None:
                return self.ts(k.type, mode, ctx)
            ref = self.tref(t, ctx)
            if mode == "in" and self.differs(t):
                return ref + ".In"
            return ref
        return self.ts_kind(k, mode, ctx)

    def ts_kind(self, k: TypeDefKind, mode: str, ctx: str) -> str:
        if isinstance(k, Alias):
            return self.ts(k.type, mode, ctx)
        if isinstance(k, Handle):
            rid = self.r.unalias(k.resource)
            assert not isinstance(rid, Prim)
            return self.tref(rid, ctx)
        if isinstance(k, Resource):
            raise AssertionError("resource types are named")
        if isinstance(k, Record):
            if not k.fields:
                return "{}"
            parts = []
            for f in k.fields:
                opt = "?" if isinstance(self._kind(f.type), Option_) else ""
                parts.append(
                    doc_comment(f.docs, "  ")
                    + f"  {N.prop(N.camel(f.name))}{opt}: {self.ts(f.type, mode, ctx)};\n"
                )
            return "{\n" + "".join(parts) + "}"
        if isinstance(k, Tuple):
            return "[" + ", ".join(self.ts(x, mode, ctx) for x in k.types) + "]"
        if isinstance(k, Flags):
            if not k.flags:
                return "{}"
            return "{ " + " ".join(f"{N.prop(N.camel(f.name))}?: boolean;" for f in k.flags) + " }"
        if isinstance(k, Enum_):
            return " | ".join(json.dumps(c.name) for c in k.cases) or "never"
        if isinstance(k, Variant):
            alts = []
            for c in k.cases:
                if c.type is None:
                    alts.append(f"{{ tag: {json.dumps(c.name)} }}")
                else:
                    alts.append(
                        f"{{ tag: {json.dumps(c.name)}; val: {self.ts(c.type, mode, ctx)} }}"
                    )
            return " | ".join(alts)
        if isinstance(k, Option_):
            inner = self.ts(k.type, mode, ctx)
            if isinstance(self._kind(k.type), Option_):
                return f"{{ some: {inner} }} | undefined"
            return f"{self.paren(inner)} | undefined"
        if isinstance(k, Result_):
            ok = (
                '{ tag: "ok" }'
                if k.ok is None
                else f'{{ tag: "ok"; val: {self.ts(k.ok, mode, ctx)} }}'
            )
            err = (
                '{ tag: "err" }'
                if k.err is None
                else f'{{ tag: "err"; val: {self.ts(k.err, mode, ctx)} }}'
            )
            return f"{ok} | {err}"
        if isinstance(k, List):
            arr = self._numeric_array(k.type)
            if arr is not None:
                if mode == "in":
                    return f"{arr} | Array<{self.ts(k.type, mode, ctx)}>"
                return arr
            return f"Array<{self.ts(k.type, mode, ctx)}>"
        if isinstance(k, FixedList):
            inner = self.ts(k.type, mode, ctx)
            if k.size <= 16:
                return "[" + ", ".join([inner] * k.size) + "]"
            return f"Array<{inner}>"
        if isinstance(k, Map):
            kk, vv = self.ts(k.key, mode, ctx), self.ts(k.value, mode, ctx)
            return f"ReadonlyMap<{kk}, {vv}>" if mode == "in" else f"Map<{kk}, {vv}>"
        if isinstance(k, (Future, Stream)):
            return self.ts_async(k, mode, ctx)
        raise WitError(f"js target: unsupported type {type(k).__name__}")

    def ts_async(self, k: Future | Stream, mode: str, ctx: str) -> str:
        """A future is a Promise (JS gives a value or a PromiseLike); a stream a ReadableStream
        (JS gives a ReadableStream or an (async) iterable; for stream<u8>, Uint8Array chunks)."""
        if k.type is None:
            elem = "unknown" if mode == "in" else "undefined"
        elif self._kind(k.type) is Prim.U8:
            elem = "Uint8Array"
        else:
            elem = self.ts(k.type, mode, ctx)
        if isinstance(k, Future):
            if mode == "in":
                return f"WitFutureSource<{'void' if k.type is None else elem}>"
            return f"WitFuture<{'void' if k.type is None else elem}>"
        if mode == "in":
            src = f"WitStreamSource<{elem}>"
            return f"{src} | Uint8Array | ArrayBuffer" if elem == "Uint8Array" else src
        return f"WitStream<{elem}>"

    @staticmethod
    def paren(s: str) -> str:
        return f"({s})" if "|" in s or "=>" in s else s
