"""Sync worlds that declare future/stream/error-context types no function uses (issue #13).

The JS generator once stopped at such a type with "js target: unsupported type Future"; the
types are declared in index.d.ts (with the async declarations they name): tsc accepts the
package and index.js loads.
"""

from __future__ import annotations

from pathlib import Path

from test_js_generate import _check_dirs, _load_text

from witgen.js import generate

BODIES = {
    "interface-future": "export i: interface { type f = future<u32>; add: func(a: u32) -> u32; }",
    "world-future": "type f = future<u32>;\n  export add: func(a: u32) -> u32;",
    "record-of-future": "export i: interface { type f = future; record r { x: f } }",
    "stream-and-error-context": "type s = stream<string>;\n  type e = list<error-context>;",
}


def test_unused_async_types_in_a_sync_world(tmp_path: Path) -> None:
    dirs = []
    for name, body in sorted(BODIES.items()):
        (tmp_path / f"wit-{name}").mkdir()
        r = _load_text(f"package a:b;\nworld w {{\n  {body}\n}}\n", tmp_path / f"wit-{name}")
        out = tmp_path / name
        out.mkdir()
        files = generate(r, r.select_world("w"), {})
        for rel, data in files.items():
            (out / rel).write_bytes(data)
        if "future" in name:
            assert "export type F = WitFuture<" in files["index.d.ts"].decode(), name
        dirs.append(out)
    _check_dirs(dirs, tmp_path)  # one tsc run over all of them; each index.js loads
