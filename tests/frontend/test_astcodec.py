"""The parse cache's on-disk form: every syntax tree survives the trip through JSON unchanged,
and a tree only decodes against the text it was made from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import wit_cases as wc
from support.missing import missing

from witgen import WitError
from witgen.wit import ast, astcodec
from witgen.wit.parser import parse

HERE = Path(__file__).parent


def _wit_files() -> list[Path]:
    shared = wc.find_shared()
    if shared is None:
        missing("../shared (conformance suite and corpus) is absent")
    roots = [shared / "corpus", shared / wc.UI_SUBDIR, HERE / "cases"]
    return sorted(p for root in roots for p in root.rglob("*.wit"))


def test_every_tree_round_trips() -> None:
    count = 0
    for path in _wit_files():
        text = path.read_text()
        try:
            tree = parse(text, str(path))
        except WitError:
            continue  # parse-fail cases: errors are never cached
        data = json.loads(json.dumps(astcodec.encode(tree)))
        back = astcodec.decode(data, text)
        _set_file(back, tree.file)
        assert back == tree, path
        count += 1
    assert count > 300


def _set_file(body: ast.PackageBody, file: ast.SourceFile | None) -> None:
    body.file = file
    for sub in body.nested:
        _set_file(sub, file)


def _types_equal_with_depth(a: ast.Ty, b: ast.Ty) -> bool:
    return a == b and a.depth == b.depth


def test_type_depths_survive() -> None:
    # depth is excluded from equality; it is recomputed on decode and must match the parser's:
    # option<u8> 1, list<option<u8>> 2, tuple<u8, list<u8>> 2, the result 3; a bare `result` 0
    text = "package a:b;\ninterface i {\n  type t = result<list<option<u8>>, tuple<u8, list<u8>>>;\n  type u = result;\n}\n"
    tree = parse(text, "t.wit")
    back = astcodec.decode(json.loads(json.dumps(astcodec.encode(tree))), text)
    for a, b in zip(tree.items[0].items, back.items[0].items, strict=True):
        assert isinstance(a, ast.TypeDecl) and isinstance(b, ast.TypeDecl)
        assert a.ty is not None and b.ty is not None
        assert _types_equal_with_depth(a.ty, b.ty)
    assert [d.ty.depth for d in back.items[0].items if isinstance(d, ast.TypeDecl) and d.ty] == [3, 0]


def test_a_tree_does_not_decode_against_other_text() -> None:
    text = "package a:b;\ninterface i { type t = u32; }\n"
    other = "package a:b;\ninterface j { type t = u32; }\n"
    data = json.loads(json.dumps(astcodec.encode(parse(text, "x.wit"))))
    astcodec.decode(data, text)
    with pytest.raises(astcodec.Malformed):
        astcodec.decode(data, other)


@pytest.mark.parametrize(
    "data",
    [None, [], "x", [None, None, [], [], -1, 0, "extra"], [None, None, [["world"]], [], -1, 0]],
    ids=["null", "empty", "string", "too-long", "short-world"],
)
def test_malformed_data_is_rejected(data: object) -> None:
    with pytest.raises(astcodec.Malformed):
        astcodec.decode(data, "package a:b;\n")
