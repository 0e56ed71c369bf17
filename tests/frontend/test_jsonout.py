"""`jsonout.dumps` writes exactly what `json.dumps(..., indent=2, ensure_ascii=False)` would."""

from __future__ import annotations

import json
from pathlib import Path

import witgen
from witgen.wit import jsonout

ODD_DOCS = """package a:b;

/// quotes " and \\ backslash, a tab\there, unicode: \u00e9\u4e2d\U0001f600
/// a closing tag </script> and a lone slash /
interface i {
  /** empty next */
  record r { x: u32 }
}
"""


def test_matches_the_standard_encoder_on_odd_text(tmp_path: Path) -> None:
    wit = tmp_path / "odd.wit"
    wit.write_text(ODD_DOCS, encoding="utf-8")
    r = witgen.load(wit)
    assert jsonout.dumps(r) == json.dumps(jsonout.to_data(r), indent=2, ensure_ascii=False)
    assert '\\"' in jsonout.dumps(r) and "\\t" in jsonout.dumps(r)


def test_matches_the_standard_encoder_on_the_corpus(corpus_dir: Path) -> None:
    for case in sorted(p for p in corpus_dir.iterdir() if p.is_dir()):
        r = witgen.load(case)
        assert jsonout.dumps(r) == json.dumps(jsonout.to_data(r), indent=2, ensure_ascii=False)


def test_dump_in_pieces_writes_the_same_text(corpus_dir: Path) -> None:
    for case in sorted(p for p in corpus_dir.iterdir() if p.is_dir()):
        r = witgen.load(case)
        pieces: list[str] = []
        jsonout.dump(r, pieces.append)
        assert "".join(pieces) == json.dumps(jsonout.to_data(r), indent=2, ensure_ascii=False)
        assert len(pieces) > 1  # the corpus is big enough to be written in several pieces
