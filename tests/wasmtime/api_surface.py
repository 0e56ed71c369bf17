"""The public API of a crate (or of one module of it) as a set of lines, read from rustdoc JSON.

rustdoc's JSON output (`-Z unstable-options --output-format json`, format version 57 here) is
the compiler's own view of a crate after macro expansion, so `bindgen!`'s expansion and a
generated crate are read the same way. Each public item becomes one line naming its path and
its shape: structs with their public fields, enums with their variants, traits with their
methods, free functions and methods with their full signatures, type aliases with their
targets, every non-synthetic, non-blanket `impl` (derives included) with its generics and
where-clauses. Paths of the crate's own items are written from the module walked
(`crate::...`), paths of other crates by their definition (`wasmtime::runtime::...`), so
`super::super::x::Y`, `crate::x::Y` and `::core::result::Result` / `Result` compare equal.
Bounds are normalized (parameter bounds and where-clauses merged, sorted); docs, attributes
and the order of items are not compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Json = Any


class Surface:
    """The API lines of module `root` (a path of module names below the crate root)."""

    def __init__(self, doc: Json, root: tuple[str, ...] = ()) -> None:
        self.doc = doc
        self.index: dict[str, Json] = doc["index"]
        self.paths: dict[str, Json] = doc["paths"]
        self.public: dict[int, str] = {}
        self.lines: set[str] = set()
        start = self._module_at(root)
        # twice: the first walk finds every item's public path, the second writes the lines
        # (an alias may name an item the walk reaches later)
        self._walk(start, "crate")
        self.lines.clear()
        self._walk(start, "crate")
        for item in self.index.values():
            if "impl" in item["inner"] and item["crate_id"] == 0:
                for line in self._impl(item):
                    # an impl of this module's items (not another world's, not a hidden one's)
                    if "crate::" in line and "crate(private)::" not in line:
                        self.lines.add(line)

    @classmethod
    def load(cls, path: Path, root: tuple[str, ...] = ()) -> Surface:
        return cls(json.loads(path.read_text()), root)

    def _module_at(self, root: tuple[str, ...]) -> Json:
        item = self.index[str(self.doc["root"])]
        for name in root:
            ids = item["inner"]["module"]["items"]
            item = next(self.index[str(i)] for i in ids if self.index[str(i)]["name"] == name)
        return item

    # --- the walk over public items

    def _walk(self, module: Json, at: str) -> None:
        for iid in module["inner"]["module"]["items"]:
            item = self.index[str(iid)]
            inner = item["inner"]
            if "use" in inner:
                self._use(inner["use"], at)
                continue
            self._item(item, f"{at}::{item['name']}")

    def _use(self, use: Json, at: str) -> None:
        target = use["id"]
        if use["is_glob"]:
            if target is not None and str(target) in self.index:
                self._walk(self.index[str(target)], at)
            else:
                self.lines.add(f"use {at}::* = {use['source']}")
            return
        path = f"{at}::{use['name']}"
        if target is not None and str(target) in self.index:
            self._item(self.index[str(target)], path)
        else:
            ext = self.paths.get(str(target)) if target is not None else None
            src = "::".join(ext["path"]) if ext else use["source"]
            self.lines.add(f"use {path} = {src}")

    def _item(self, item: Json, path: str) -> None:
        self.public.setdefault(item["id"], path)
        kind, body = next(iter(item["inner"].items()))
        match kind:
            case "module":
                self.lines.add(f"mod {path}")
                self._walk(item, path)
            case "struct":
                self.lines.add(f"struct {path}{self._generics(body['generics'])}")
                self._struct_kind(body["kind"], path)
            case "enum":
                self.lines.add(f"enum {path}{self._generics(body['generics'])}")
                for vid in body["variants"]:
                    self._variant(self.index[str(vid)], path)
            case "trait":
                self._trait(body, path)
            case "function":
                self.lines.add(f"fn {self._fn(path, body)}")
            case "type_alias":
                self.lines.add(
                    f"type {path}{self._generics(body['generics'])} = {self.ty(body['type'])}"
                )
            case "constant":
                self.lines.add(f"const {path}: {self.ty(body['type'])}")
            case "static":
                self.lines.add(f"static {path}: {self.ty(body['type'])}")
            case _:
                self.lines.add(f"{kind} {path}")

    def _struct_kind(self, kind: Json, path: str) -> None:
        if kind == "unit":
            self.lines.add(f"unit-struct {path}")
            return
        if "tuple" in kind:
            fields = [self._field_ty(f) for f in kind["tuple"]]
            self.lines.add(f"tuple-struct {path}({', '.join(fields)})")
            return
        plain = kind["plain"]
        for fid in plain["fields"]:
            field = self.index[str(fid)]
            if field["visibility"] == "public":
                self.lines.add(
                    f"field {path}.{field['name']}: {self.ty(field['inner']['struct_field'])}"
                )
        if plain["has_stripped_fields"]:
            self.lines.add(f"private-fields {path}")

    def _field_ty(self, fid: int | None) -> str:
        if fid is None:
            return "_"
        return self.ty(self.index[str(fid)]["inner"]["struct_field"])

    def _variant(self, item: Json, enum_path: str) -> None:
        kind = item["inner"]["variant"]["kind"]
        path = f"{enum_path}::{item['name']}"
        if kind == "plain":
            self.lines.add(f"variant {path}")
        elif "tuple" in kind:
            self.lines.add(f"variant {path}({', '.join(self._field_ty(f) for f in kind['tuple'])})")
        else:
            fields = kind["struct"]["fields"]
            names = [self.index[str(f)]["name"] for f in fields]
            tys = [self._field_ty(f) for f in fields]
            self.lines.add(
                f"variant {path} {{ {', '.join(f'{n}: {t}' for n, t in zip(names, tys, strict=True))} }}"
            )

    def _trait(self, body: Json, path: str) -> None:
        supers = sorted(self.bound(b) for b in body["bounds"])
        head = f"trait {path}{self._generics(body['generics'])}"
        self.lines.add(head + (f": {' + '.join(supers)}" if supers else ""))
        for mid in body["items"]:
            item = self.index[str(mid)]
            kind, inner = next(iter(item["inner"].items()))
            if kind == "function":
                self.lines.add(f"trait-fn {path}::{self._fn(item['name'], inner)}")
            elif kind == "assoc_type":
                bounds = " + ".join(sorted(self.bound(b) for b in inner["bounds"]))
                self.lines.add(f"trait-type {path}::{item['name']}: {bounds}")
            else:
                self.lines.add(f"trait-{kind} {path}::{item['name']}")

    def _impl(self, item: Json) -> list[str]:
        body = item["inner"]["impl"]
        if body["is_synthetic"] or body["blanket_impl"] is not None:
            return []
        generics = self._generics(body["generics"])
        target = self.ty(body["for"])
        unsafe = "unsafe " if body["is_unsafe"] else ""
        neg = "!" if body["is_negative"] else ""
        if body["trait"] is None:
            lines = []
            for mid in body["items"]:
                m = self.index[str(mid)]
                if "function" in m["inner"] and m["visibility"] == "public":
                    sig = self._fn(m["name"], m["inner"]["function"])
                    lines.append(f"method impl{generics} {target}::{sig}")
            return lines
        trait = self.path(body["trait"])
        return [f"{unsafe}impl{generics} {neg}{trait} for {target}"]

    # --- signatures and types

    def _fn(self, name: str, f: Json) -> str:
        h = f["header"]
        quals = "".join(
            q
            for q, on in (
                ("const ", h["is_const"]),
                ("async ", h["is_async"]),
                ("unsafe ", h["is_unsafe"]),
            )
            if on
        )
        params = ", ".join(f"{n}: {self.ty(t)}" for n, t in f["sig"]["inputs"])
        out = f["sig"]["output"]
        ret = f" -> {self.ty(out)}" if out is not None else ""
        return f"{quals}{name}{self._generics(f['generics'])}({params}){ret}"

    def _generics(self, g: Json) -> str:
        """`<params> where preds`, with every bound moved into the sorted where-clause."""
        names: list[str] = []
        preds: dict[str, set[str]] = {}
        for p in g["params"]:
            kind = p["kind"]
            if "lifetime" in kind:
                names.append(p["name"])
                if kind["lifetime"]["outlives"]:
                    preds.setdefault(p["name"], set()).update(kind["lifetime"]["outlives"])
            elif "type" in kind:
                if kind["type"]["is_synthetic"]:
                    continue
                names.append(p["name"])
                preds.setdefault(p["name"], set()).update(
                    self.bound(b) for b in kind["type"]["bounds"]
                )
            else:
                names.append(f"const {p['name']}: {self.ty(kind['const']['type'])}")
        for wp in g["where_predicates"]:
            if "bound_predicate" in wp:
                bp = wp["bound_predicate"]
                hrtb = self._hrtb(bp["generic_params"])
                key = hrtb + self.ty(bp["type"])
                preds.setdefault(key, set()).update(self.bound(b) for b in bp["bounds"])
            elif "lifetime_predicate" in wp:
                lp = wp["lifetime_predicate"]
                preds.setdefault(lp["lifetime"], set()).update(lp["outlives"])
            else:
                eq = wp["eq_predicate"]
                preds.setdefault(self.ty(eq["lhs"]), set()).add(f"= {self.term(eq['rhs'])}")
        text = f"<{', '.join(names)}>" if names else ""
        clauses = sorted(f"{k}: {' + '.join(sorted(v))}" for k, v in preds.items() if v)
        return text + (f" where {', '.join(clauses)}" if clauses else "")

    def _hrtb(self, params: list[Json]) -> str:
        return f"for<{', '.join(p['name'] for p in params)}> " if params else ""

    def bound(self, b: Json) -> str:
        if "outlives" in b:
            return str(b["outlives"])
        if "use" in b:
            return "use<..>"
        tb = b["trait_bound"]
        mod = {"none": "", "maybe": "?", "maybe_const": "~const "}.get(tb["modifier"], "")
        return f"{self._hrtb(tb['generic_params'])}{mod}{self.path(tb['trait'])}"

    def term(self, t: Json) -> str:
        return self.ty(t["type"]) if "type" in t else str(t.get("constant"))

    def path(self, p: Json) -> str:
        ident = p["id"]
        if ident in self.public:
            name = self.public[ident]
        else:
            info = self.paths.get(str(ident))
            if info is None:
                name = p["path"]
            elif info["crate_id"] == 0:
                name = "crate(private)::" + "::".join(info["path"][1:])
            else:
                name = "::".join(info["path"])
        return name + self._args(p["args"])

    def _args(self, args: Json) -> str:
        if args is None:
            return ""
        if "parenthesized" in args:
            par = args["parenthesized"]
            out = f" -> {self.ty(par['output'])}" if par["output"] is not None else ""
            return f"({', '.join(self.ty(t) for t in par['inputs'])}){out}"
        if "angle_bracketed" not in args:
            return "(..)"
        ab = args["angle_bracketed"]
        parts = []
        for a in ab["args"]:
            if "type" in a:
                parts.append(self.ty(a["type"]))
            elif "lifetime" in a:
                parts.append(a["lifetime"])
            elif "const" in a:
                parts.append(str(a["const"].get("expr")))
            else:
                parts.append("_")
        for c in ab["constraints"]:
            binding = c["binding"]
            cargs = self._args(c["args"])
            if "equality" in binding:
                parts.append(f"{c['name']}{cargs} = {self.term(binding['equality'])}")
            else:
                bounds = " + ".join(sorted(self.bound(b) for b in binding["constraint"]))
                parts.append(f"{c['name']}{cargs}: {bounds}")
        return f"<{', '.join(parts)}>" if parts else ""

    def ty(self, t: Json) -> str:  # noqa: PLR0911 - one case per rustdoc type kind
        if t is None:
            return "()"
        if isinstance(t, str):
            return t  # "infer"
        kind, v = next(iter(t.items()))
        match kind:
            case "resolved_path":
                return self.path(v)
            case "generic" | "primitive":
                return str(v)
            case "tuple":
                inner = [self.ty(x) for x in v]
                return f"({inner[0]},)" if len(inner) == 1 else f"({', '.join(inner)})"
            case "slice":
                return f"[{self.ty(v)}]"
            case "array":
                return f"[{self.ty(v['type'])}; {v['len']}]"
            case "borrowed_ref":
                # `&'_ T` is `&T` spelled out
                lt = f"{v['lifetime']} " if v["lifetime"] not in (None, "'_") else ""
                return f"&{lt}{'mut ' if v['is_mutable'] else ''}{self.ty(v['type'])}"
            case "raw_pointer":
                return f"*{'mut' if v['is_mutable'] else 'const'} {self.ty(v['type'])}"
            case "impl_trait":
                return "impl " + " + ".join(sorted(self.bound(b) for b in v))
            case "dyn_trait":
                traits = [
                    self._hrtb(pt["generic_params"]) + self.path(pt["trait"]) for pt in v["traits"]
                ]
                lt = [v["lifetime"]] if v["lifetime"] else []
                return "dyn " + " + ".join(traits + lt)
            case "qualified_path":
                trait = f" as {self.path(v['trait'])}" if v["trait"] is not None else ""
                return f"<{self.ty(v['self_type'])}{trait}>::{v['name']}{self._args(v['args'])}"
            case "function_pointer":
                sig = v["sig"]
                params = ", ".join(self.ty(x) for _n, x in sig["inputs"])
                out = f" -> {self.ty(sig['output'])}" if sig["output"] is not None else ""
                return f"{self._hrtb(v['generic_params'])}fn({params}){out}"
            case _:
                return f"<{kind}>"
