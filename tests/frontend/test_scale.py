"""The front end on big input: work per item must not grow with the size of the package.

Timings are machine-dependent, so these tests count instead: how often a type's structure is
visited while checking functions for borrows, and whether the lexer hands tokens over lazily.
The time and memory figures themselves are in bench/frontend_scale.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import witgen
from witgen import model
from witgen.wit import lexer


def test_borrow_check_visits_each_type_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 300 records, each holding the previous one, each returned by a function: walking every
    # result from scratch visits 300 * 301 / 2 types; remembering answers visits each once
    n = 300
    wit = tmp_path / "a.wit"
    wit.write_text(
        "package a:b;\ninterface i {\n  record r0 { x: u8 }\n"
        + "".join(
            f"  record r{k} {{ x: r{k - 1} }}\n  get{k}: func() -> r{k};\n" for k in range(1, n)
        )
        + "}\n"
    )
    calls = 0
    real = model.kind_refs

    def counting(kind: model.TypeDefKind) -> list[model.Type]:
        nonlocal calls
        calls += 1
        return real(kind)

    monkeypatch.setattr(model, "kind_refs", counting)
    witgen.load(wit)
    assert calls < 5 * n  # without the memo: over 45,000


def test_tokens_are_made_on_demand() -> None:
    lexed = lexer.tokenize("package a:b;\ninterface i {}\n$", "a.wit")
    first = next(lexed.tokens)  # the bad character at the end is not reached yet
    assert first.type == "PACKAGE"


def test_a_syntax_error_before_a_bad_character_is_reported_first(tmp_path: Path) -> None:
    # wasm-tools 1.262: "expected a type, found ';'" at 2:24 (its tokenizer is lazy too)
    (tmp_path / "a.wit").write_text("package a:b;\ninterface i { type t = ; }\n$\n")
    with pytest.raises(witgen.WitError) as info:
        witgen.load(tmp_path)
    assert (info.value.line, info.value.col) == (2, 24)
    assert "found ';'" in info.value.message
