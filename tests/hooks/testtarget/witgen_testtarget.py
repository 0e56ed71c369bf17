"""`echo`: a tiny witgen target for tests. Deterministic; one file per world item.

Writes `world.txt` (the world's name and its imports/exports), `items/<name>.txt` per
import/export (the functions it has), `options.json` (the options, paths reduced to their
file names), and copies the file named by the `wasm` option, if any, to `guest.wasm`.
"""

from __future__ import annotations

import json
from pathlib import Path


def _key(resolve, key) -> str:
    if isinstance(key, int):
        return resolve.interface_name(key) or f"interface-{key}"
    return str(key)


def _describe(resolve, item) -> list[str]:
    iid = getattr(item, "id", None)
    if isinstance(iid, int) and iid < len(resolve.interfaces):
        iface = resolve.interfaces[iid]
        return [f"func {name}" for name in sorted(iface.functions)]
    fn = getattr(item, "function", None)
    if fn is not None:
        return [f"func {fn.name}({', '.join(p.name for p in fn.params)})"]
    return ["type"]


def generate(resolve, world: int, options: dict) -> dict[str, bytes]:
    w = resolve.worlds[world]
    lines = [f"world {w.name}"]
    files: dict[str, bytes] = {}
    for direction, items in (("import", w.imports), ("export", w.exports)):
        for key, item in items.items():
            name = _key(resolve, key)
            lines.append(f"{direction} {name}")
            safe = name.replace(":", "_").replace("/", "_").replace("@", "_")
            body = "\n".join(_describe(resolve, item)) + "\n"
            files[f"items/{safe}.txt"] = body.encode()
    files["world.txt"] = ("\n".join(lines) + "\n").encode()
    shown = dict(options)
    if "wasm" in shown:
        files["guest.wasm"] = Path(str(shown["wasm"])).read_bytes()
        shown["wasm"] = Path(str(shown["wasm"])).name
    files["options.json"] = (json.dumps(shown, sort_keys=True, indent=2) + "\n").encode()
    return files
