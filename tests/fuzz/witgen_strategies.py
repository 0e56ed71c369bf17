"""Hypothesis strategies that write random WIT packages (valid by construction, most of the time).

`wit_packages()` draws a `WitCase`: the text of one `.wit` file holding a package with a few
interfaces (records, variants, enums, flags, resources with constructors/methods/statics,
handles, `use` between interfaces, async functions, streams, futures, fixed lists, maps) and a
few worlds importing and exporting them, optionally beside a nested dependency package. Names
come from a pool of Rust/JS/Python keywords and std-like names (escaped with `%` where WIT needs
it) mixed with random kebab-case words. Types only refer to types defined before them, so the
text has no cycles; world imports never depend on world exports. `mutated()` then edits a valid
text at random (tokens deleted, duplicated, swapped or replaced), for inputs that are nearly
valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from random import Random

from hypothesis import strategies as st

from witgen.wit.kebab import canon
from witgen.wit.lexer import KEYWORDS

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ALNUM = LETTERS + "0123456789"
INTS = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"]
KEY_PRIMS = [*INTS, "bool", "char", "string"]
PRIMS = [*KEY_PRIMS, "f32", "f64"]

#: names that are keywords or well-known identifiers in the languages the targets write
TRICKY_NAMES = """
self super crate fn if else match loop while for in break continue return type struct enum
impl trait mod use pub ref mut move dyn box where unsafe extern static const async await try
yield true false let macro abstract become do final override priv typeof unsized virtual
union gen raw string vec result option some none ok err std core alloc wasmtime anyhow
guest host store linker instance memory realloc component bindings exports imports
class function new delete void instanceof of var with default export import package private
protected public interface implements arguments eval null undefined prototype constructor
to-string value-of has-own-property is-prototype-of proto tag val length name call apply bind
then catch finally throw symbol map set list tuple flags record variant resource own borrow
stream future char bool float int def lambda pass raise global nonlocal is not and or del
assert from as elif except print exec self-type drop rep handle error error-context u8 s64
with-store indices interface0 interface1 typed-func instantiate add-to-linker load
""".split()

#: how generated Rust names items after a WIT name (`host-r`'s `HostR` is resource r's trait,
#: `call-f` a method of function f): joined to a name already taken, they make clashes
CLASH_AFFIXES = [
    *("host- guest- typed-func- call- func- method- static- constructor-".split()),
    *("-with-store -indices -pre -imports".split()),
]

#: doc comment texts that have broken comment syntax in generated files before
TRICKY_DOCS = [
    "plain words",
    "ends a block comment */ here",
    "opens /* one",
    "a `backtick` and ``` fences",
    "</script> <!-- html",
    "line one\n\nline three",
    "trailing backslash \\",
    "#[attr] and #![inner]",
    "${template} `tick`",
    "unicode é 😀 \u2028 sep",
    "**/",
    "@param x {number}",
]


def ident(name: str, escape: bool = False) -> str:
    """`name` as WIT source: `%`-escaped when it is a keyword (or when asked to)."""
    return "%" + name if name in KEYWORDS or escape else name


@dataclass
class Scope:
    """Names taken in one WIT namespace (strong uniqueness: case and dashes do not count)."""

    taken: set[str] = field(default_factory=set)
    claimed: list[str] = field(default_factory=list)

    def claim(self, name: str) -> str:
        base, n = name, 1
        while canon(name) in self.taken:
            name = f"{base}-n{n}"
            n += 1
        self.taken.add(canon(name))
        self.claimed.append(name)
        return name


@dataclass
class Named:
    """A type visible in the scope being written."""

    name: str
    resource: bool = False


@dataclass
class Iface:
    name: str
    path: str  # how a `use` or world item refers to it (`name` or `ns:pkg/name`)
    types: list[Named]
    deps: set[str]  # paths of interfaces it `use`s, transitively


@dataclass
class WitCase:
    text: str


def names(r: Random, scope: Scope) -> str:
    kind = r.randint(0, 9)
    if kind < 4:
        name = r.choice(TRICKY_NAMES)
    elif kind == 8 and scope.claimed:
        affix, other = r.choice(CLASH_AFFIXES), r.choice(scope.claimed).lower()
        name = affix + other if affix.endswith("-") else other + affix
    else:
        parts = [
            r.choice(LETTERS) + "".join(r.choices(ALNUM, k=r.randint(0, 5)))
            for _ in range(r.randint(1, 3))
        ]
        if kind == 9:
            parts[0] = parts[0].upper()
        name = "-".join(parts)
    return scope.claim(name)


class Writer:
    """Draws the parts of one WIT package; `types` grows as definitions are written."""

    def __init__(self, r: Random, ext: bool, size: int) -> None:
        self.r = r
        self.size = size  # upper bound of items per list (interfaces, types, functions, ...)
        self.versioned = False  # the package has a version (so `@since` gates are allowed)
        self.ext = ext  # async functions, streams, futures, error-context

    def ident(self, name: str) -> str:
        return ident(name, self.r.randint(0, 19) == 0)

    def docs(self, indent: str, gated: bool = True) -> str:
        """Maybe a doc comment, and (for an item that can have them) maybe feature gates."""
        out = ""
        if not self.r.randint(0, 5):
            text = self.r.choice(TRICKY_DOCS)
            if "*" not in text and "/" not in text and self.r.random() < 0.5:
                out = f"{indent}/** {text} */\n"
            else:
                out = "".join(f"{indent}/// {line}\n" for line in text.split("\n"))
        if gated and self.versioned and not self.r.randint(0, 7):
            out += f"{indent}@since(version = 0.1.0)\n"
            if not self.r.randint(0, 3):
                out += f"{indent}@deprecated(version = 0.1.0)\n"
        elif gated and not self.r.randint(0, 80):
            out += f"{indent}@unstable(feature = fz-off)\n"
        return out

    def ty(self, avail: list[Named], depth: int, param: bool = False) -> str:
        r = self.r
        values = [n for n in avail if not n.resource]
        resources = [n for n in avail if n.resource]
        choices = ["prim"] * 4 + (["named"] * 3 if values else [])
        if resources:
            choices += ["own", "bare"] + (["borrow"] * 2 if param else [])
        if depth > 0:
            choices += ["list", "option", "result", "tuple", "fixed", "map"]
            if self.ext:
                choices += ["stream", "future"]
        match r.choice(choices):
            case "prim":
                return r.choice(PRIMS + (["error-context"] if self.ext else []))
            case "named":
                return self.ident(r.choice(values).name)
            case "own":
                return f"own<{self.ident(r.choice(resources).name)}>"
            case "bare":
                return self.ident(r.choice(resources).name)
            case "borrow":
                return f"borrow<{self.ident(r.choice(resources).name)}>"
            case "list":
                return f"list<{self.ty(avail, depth - 1, param)}>"
            case "fixed":
                return f"list<{self.ty(avail, depth - 1, param)}, {r.randint(1, 5)}>"
            case "map":
                key = r.choice(KEY_PRIMS)
                return f"map<{key}, {self.ty(avail, depth - 1, param)}>"
            case "option":
                return f"option<{self.ty(avail, depth - 1, param)}>"
            case "result":
                ok = None if r.randint(0, 3) == 0 else self.ty(avail, depth - 1, param)
                err = None if r.randint(0, 3) == 0 else self.ty(avail, depth - 1, param)
                if ok is None and err is None:
                    return "result"
                if err is None:
                    return f"result<{ok}>"
                return f"result<{ok or '_'}, {err}>"
            case "tuple":
                n = r.randint(1, 3)
                return f"tuple<{', '.join(self.ty(avail, depth - 1, param) for _ in range(n))}>"
            case "stream" | "future" as kw:
                if r.random() < 0.5:
                    return kw
                return f"{kw}<{self.ty(avail, depth - 1, param)}>"
        raise AssertionError("unreachable")

    def signature(self, avail: list[Named], name_hint: str = "") -> str:
        r = self.r
        scope = Scope()
        params = [
            f"{self.ident(names(r, scope))}: {self.ty(avail, r.randint(0, 3), param=True)}"
            for _ in range(r.randint(0, min(4, self.size)))
        ]
        kw = "async func" if self.ext and r.randint(0, 5) == 0 else "func"
        out = f"{kw}({', '.join(params)})"
        if r.randint(0, 3):
            out += f" -> {self.ty(avail, r.randint(0, 3))}"
        return out

    def typedef(self, scope: Scope, avail: list[Named], indent: str) -> tuple[str, Named]:
        r = self.r
        name = names(r, scope)
        kind = r.choice(["record", "variant", "enum", "flags", "resource", "alias"])
        head = self.docs(indent) + indent
        inner = indent + "  "
        if kind == "resource":
            res = Named(name, resource=True)
            mine = [*avail, res]
            items = []
            fscope = Scope()
            if r.random() < 0.5:
                sig = self.signature(mine)
                params = sig[sig.index("(") : sig.index(")") + 1]
                items.append(f"{inner}constructor{params};\n")
            for _ in range(r.randint(0, min(3, self.size))):
                fname = self.ident(names(r, fscope))
                static = "static " if r.randint(0, 2) == 0 else ""
                items.append(f"{self.docs(inner)}{inner}{fname}: {static}{self.signature(mine)};\n")
            if not items and r.random() < 0.5:
                return f"{head}resource {self.ident(name)};\n", res
            return f"{head}resource {self.ident(name)} {{\n{''.join(items)}{indent}}}\n", res
        if kind == "alias":
            return f"{head}type {self.ident(name)} = {self.ty(avail, 3)};\n", Named(name)
        mscope = Scope()
        count = r.randint(1, 33 if kind == "flags" and r.randint(0, 9) == 0 else 5)
        members = []
        for _ in range(count):
            m = self.ident(names(r, mscope))
            if kind == "record":
                m += f": {self.ty(avail, 2)}"
            elif kind == "variant" and r.random() < 0.5:
                m += f"({self.ty(avail, 2)})"
            members.append(f"{inner}{m},\n")
        return f"{head}{kind} {self.ident(name)} {{\n{''.join(members)}{indent}}}\n", Named(name)

    def uses(self, scope: Scope, earlier: list[Iface], indent: str) -> tuple[str, list[Named], set[str]]:
        """`use` lines importing some types of earlier interfaces."""
        r = self.r
        lines, got, deps = [], [], set()
        for src in earlier:
            if not src.types or r.randint(0, 2) == 0:
                continue
            picked = r.sample(src.types, r.randint(1, min(3, len(src.types))))
            parts = []
            for t in picked:
                if r.randint(0, 3) == 0:
                    local = names(r, scope)
                    parts.append(f"{self.ident(t.name)} as {self.ident(local)}")
                else:
                    local = t.name
                    if canon(local) in scope.taken:
                        continue
                    scope.taken.add(canon(local))
                    parts.append(self.ident(local))
                got.append(Named(local, t.resource))
            if parts:
                lines.append(f"{indent}use {src.path}.{{{', '.join(parts)}}};\n")
                deps |= {src.path} | src.deps
        return "".join(lines), got, deps

    def interface_body(self, earlier: list[Iface], indent: str) -> tuple[str, list[Named], set[str]]:
        r = self.r
        scope = Scope()
        text, avail, deps = self.uses(scope, earlier, indent)
        own: list[Named] = []
        for _ in range(r.randint(0, self.size)):
            item, named = self.typedef(scope, avail, indent)
            text += item
            avail.append(named)
            own.append(named)
        for _ in range(r.randint(0, min(4, self.size))):
            fname = self.ident(names(r, scope))
            text += f"{self.docs(indent)}{indent}{fname}: {self.signature(avail)};\n"
        return text, own, deps


def _world(w: Writer, name: str, ifaces: list[Iface], earlier: list[str]) -> str:
    r = w.r
    scope = Scope()
    exported = [i for i in ifaces if r.randint(0, 2) == 0]
    out_paths = {i.path for i in exported}
    by_path = {i.path: i for i in ifaces}
    grew = True
    while grew:  # a dependency of an export that itself uses an export must be exported too
        implicit = {p for i in exported for p in i.deps} - out_paths
        more = [by_path[p] for p in sorted(implicit) if by_path[p].deps & out_paths]
        exported += more
        out_paths |= {i.path for i in more}
        grew = bool(more)
    importable = [i for i in ifaces if not (i.deps & out_paths) and i.path not in out_paths]
    imported = [i for i in importable if r.random() < 0.5]
    lines = [f"world {w.ident(name)} {{\n"]
    if earlier and r.randint(0, 2) == 0:
        lines.append(f"  include {w.ident(r.choice(earlier))};\n")
    # world-level types come from interfaces that are not exported
    text, avail, _deps = w.uses(scope, importable, "  ")
    lines.append(text)
    for _ in range(r.randint(0, 2)):
        item, named = w.typedef(scope, avail, "  ")
        lines.append(item)
        avail.append(named)
    for i in imported:
        lines.append(f"  import {i.path};\n")
    for i in exported:
        lines.append(f"  export {i.path};\n")
    for _ in range(r.randint(0, min(3, w.size))):
        dirn = r.choice(["import", "export"])
        fname = w.ident(names(r, scope))
        if r.randint(0, 3) == 0:
            body, _own, _ = w.interface_body([], "    ")
            lines.append(f"  {dirn} {fname}: interface {{\n{body}  }}\n")
        else:
            lines.append(f"{w.docs('  ')}  {dirn} {fname}: {w.signature(avail)};\n")
    lines.append("}\n")
    return "".join(lines)


@st.composite
def wit_packages(draw: st.DrawFn, ext: bool | None = None) -> WitCase:
    """One `.wit` file: package header, optional nested dependency package, interfaces, worlds."""
    r = Random(draw(st.integers(0, 2**32)))
    size = draw(st.integers(1, 5))
    w = Writer(r, draw(st.booleans()) if ext is None else ext, size)
    top = Scope()
    version = r.choice(["", "", "@0.1.0", "@1.2.3-rc.1"])
    out = [w.docs("", gated=False), f"package fz:main{version};\n\n"]
    ifaces: list[Iface] = []
    if r.randint(0, 3) == 0:
        dep_body, dep_scope = [], Scope()
        for _ in range(r.randint(1, 2)):
            name = names(r, dep_scope)
            body, own, _deps = w.interface_body([], "    ")
            dep_body.append(f"  interface {w.ident(name)} {{\n{body}  }}\n")
            ifaces.append(Iface(name, f"fz:dep/{ident(name)}", own, set()))
        out.append(f"package fz:dep {{\n{''.join(dep_body)}}}\n\n")
    w.versioned = bool(version)  # (the dependency has no version, so no `@since` in it)
    for _ in range(r.randint(1, min(4, size))):
        name = names(r, top)
        body, own, deps = w.interface_body(ifaces, "  ")
        out.append(f"{w.docs('')}interface {w.ident(name)} {{\n{body}}}\n\n")
        ifaces.append(Iface(name, ident(name), own, deps))
    worlds = []
    for _ in range(r.randint(1, 2)):
        name = names(r, top)
        worlds.append(name)
        out.append(_world(w, name, ifaces, worlds[:-1]) + "\n")
    return WitCase("".join(out))


TOKEN_RE = re.compile(r"%?[\w-]+|->|\S")
INSERTS = ["{", "}", "<", ">", ",", ";", ":", "(", ")", "use", "type", "own", "borrow", "_",
           "func", "static", "%self", "list<u8, 0>", "async", "stream", "future", "r", "x"]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A generated package with 1-3 token-level edits."""
    text = draw(wit_packages()).text
    for _ in range(draw(st.integers(1, 3))):
        spans = [m.span() for m in TOKEN_RE.finditer(text)]
        a, b = spans[draw(st.integers(0, len(spans) - 1))]
        c, e = spans[draw(st.integers(0, len(spans) - 1))]
        op = draw(st.sampled_from(["delete", "dup", "replace", "insert", "swap"]))
        if op == "delete":
            text = text[:a] + text[b:]
        elif op == "dup":
            text = text[:a] + text[c:e] + " " + text[a:]
        elif op == "replace":
            text = text[:a] + draw(st.sampled_from(INSERTS)) + text[b:]
        elif op == "insert":
            text = text[:a] + draw(st.sampled_from(INSERTS)) + " " + text[a:]
        elif a < c and b <= c:
            text = text[:a] + text[c:e] + text[b:c] + text[a:b] + text[e:]
    return text
