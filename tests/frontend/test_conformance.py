"""witgen's front end against the reference: wit-parser's UI suite and real-world WASI WIT.

Every case is its own test id, so pytest's summary is the conformance rate
(`scripts/conformance_rate.py` prints it as two fractions).

- Pass cases resolve to the JSON wit-parser gives (`X.wit.json`), compared as parsed objects.
- Parse-fail cases raise `witgen.WitError` at the file/line/col of `X.wit.result`.
- Known divergences: witgen follows wasm-tools 1.262 (users' WIT must also pass
  `wasm-tools component new`), which is newer than the suite's snapshot; see
  `support.wit_cases.EMPTY_RECORD_DIVERGENCES` and `LOCATION_DIVERGENCES`. `TestReferenceData`
  checks those tables (and the suite itself) against the real wasm-tools 1.262.
- Corpus: the JSON of each `corpus/*/` directory equals `wasm-tools component wit --json DIR`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from support import wit_cases as wc

import witgen

SHARED = wc.find_shared()
PASS = wc.pass_cases(SHARED) if SHARED else []
FAIL = wc.fail_cases(SHARED) if SHARED else []
CORPUS = sorted(p for p in (SHARED / "corpus").iterdir() if p.is_dir()) if SHARED else []

MATCH = [c for c in PASS if c.name not in wc.EMPTY_RECORD_DIVERGENCES]
EMPTY_RECORD = [c for c in PASS if c.name in wc.EMPTY_RECORD_DIVERGENCES]


def _params(cases, name=lambda c: c.name):
    # Without ../shared there are no cases; one placeholder runs so the fixture can skip (or fail
    # under CI) with a message instead of pytest reporting an empty parameter set.
    if not cases:
        return [pytest.param(None, id="no-shared")]
    return [pytest.param(c, id=name(c)) for c in cases]


def _features() -> set[str]:
    return set(wc.FEATURES)


def dumps(resolve) -> str:
    from witgen.wit import jsonout

    return jsonout.dumps(resolve)


def first_difference(got, want, path="$"):
    """A readable pointer to the first place two JSON values differ (None when equal)."""
    if type(got) is not type(want):
        return f"{path}: got {type(got).__name__} {_short(got)}, want {type(want).__name__} {_short(want)}"
    if isinstance(want, dict):
        for key in want.keys() | got.keys():
            if key not in got:
                return f"{path}.{key}: missing, want {_short(want[key])}"
            if key not in want:
                return f"{path}.{key}: unexpected {_short(got[key])}"
            diff = first_difference(got[key], want[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(want, list):
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            diff = first_difference(g, w, f"{path}[{i}]")
            if diff:
                return diff
        if len(got) != len(want):
            return f"{path}: got {len(got)} items, want {len(want)}"
        return None
    return None if got == want else f"{path}: got {_short(got)}, want {_short(want)}"


def _short(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= 200 else text[:200] + "..."


def assert_same_json(got_text: str, want, what: str) -> None:
    got = json.loads(got_text)
    if got != want:
        pytest.fail(f"{what}: JSON differs from the reference at {first_difference(got, want)}")


# --- wit-parser UI suite: pass cases --------------------------------------------------------


@pytest.mark.parametrize("case", _params(MATCH))
def test_pass_case_resolves_like_wit_parser(case: wc.PassCase, conformance_dir: Path):
    resolve = witgen.load(case.path, features=_features())
    assert_same_json(dumps(resolve), json.loads(case.expected.read_text()), case.name)


@pytest.mark.parametrize("case", _params(EMPTY_RECORD))
def test_known_divergence_empty_record_rejected(case: wc.PassCase, conformance_dir: Path):
    """Known divergence: the snapshot accepts `record r {}`; wasm-tools 1.262 (and witgen)
    reject it with "empty record", so this pass case of the snapshot must fail."""
    where = wc.EMPTY_RECORD_DIVERGENCES[case.name]
    with pytest.raises(witgen.WitError) as info:
        witgen.load(case.path, features=_features())
    err = info.value
    assert "empty record" in err.message.lower(), err.render()
    assert wc.location_matches(err, case.path.parent, [where]), (
        f"want the error at {where} (as wasm-tools 1.262 reports it), got:\n{err.render()}"
    )


# --- wit-parser UI suite: parse-fail cases --------------------------------------------------


@pytest.mark.parametrize("case", _params(FAIL))
def test_parse_fail_case_rejected_at_location(case: wc.FailCase, conformance_dir: Path):
    expected, why = wc.expected_fail_locations(case)
    with pytest.raises(witgen.WitError) as info:
        witgen.load(case.path, features=_features())
    err = info.value
    if not expected:
        return  # the reference names no location for this error: being rejected is the test
    source = f"wasm-tools 1.262 ({why})" if why else case.result.name
    assert wc.location_matches(err, case.path.parent, expected), (
        f"want the error at {' or '.join(map(str, expected))} per {source}; got:\n{err.render()}"
    )


# --- real-world corpus ----------------------------------------------------------------------


@functools.cache
def _wasm_tools_text(exe: str, path: Path) -> str:
    proc = wc.wasm_tools_wit(exe, path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@functools.cache
def _witgen_text(path: Path) -> str:
    return dumps(witgen.load(path))


@pytest.mark.parametrize("corpus", _params(CORPUS, name=lambda p: p.name))
def test_corpus_resolves_like_wasm_tools(corpus: Path, corpus_dir: Path, wasm_tools: str):
    want = json.loads(_wasm_tools_text(wasm_tools, corpus))
    assert_same_json(_witgen_text(corpus), want, corpus.name)


@pytest.mark.parametrize("corpus", _params(CORPUS, name=lambda p: p.name))
def test_corpus_json_text_is_byte_identical(corpus: Path, corpus_dir: Path, wasm_tools: str):
    """Not only the same data: the same text (2-space indent, key order, no ASCII escaping:
    `json.dumps(obj, indent=2, ensure_ascii=False)` reproduces wasm-tools' output), so a plain
    `diff` of the two tools' output is empty."""
    want = _wasm_tools_text(wasm_tools, corpus).rstrip("\n")
    got = _witgen_text(corpus).rstrip("\n")
    if got != want:
        at = next(
            (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
            min(len(got), len(want)),
        )
        line = want.count("\n", 0, at) + 1
        pytest.fail(
            f"{corpus.name}: output text differs from wasm-tools' from line {line}:\n"
            f"witgen:     {got[at - 40 : at + 40]!r}\nwasm-tools: {want[at - 40 : at + 40]!r}"
        )


# --- the reference data itself, against wasm-tools 1.262 ------------------------------------


@pytest.fixture(scope="session")
def wasm_tools_1262(wasm_tools: str) -> str:
    version = wc.wasm_tools_version(wasm_tools)
    assert version.startswith(wc.WASM_TOOLS_VERSION + "."), (
        f"the divergence tables describe wasm-tools {wc.WASM_TOOLS_VERSION}, found {version}"
    )
    return wasm_tools


class TestReferenceData:
    """Checks the suite and the divergence tables against the real wasm-tools (not witgen), so
    a new wasm-tools or a new snapshot in ../shared shows up as a clear failure here."""

    @pytest.mark.parametrize("case", _params(PASS))
    def test_pass_case(self, case: wc.PassCase, conformance_dir: Path, wasm_tools_1262: str):
        wasm_tools = wasm_tools_1262
        proc = wc.wasm_tools_wit(wasm_tools, case.path, features=wc.FEATURES)
        if case.name in wc.EMPTY_RECORD_DIVERGENCES:
            assert proc.returncode != 0 and "empty record" in proc.stderr
            where = wc.EMPTY_RECORD_DIVERGENCES[case.name]
            got = wc.wasm_tools_wit(
                wasm_tools,
                Path(case.path.name),
                json_out=False,
                features=wc.FEATURES,
                cwd=case.path.parent,
            )
            assert wc.error_locations(got.stderr) == [where]
        else:
            assert proc.returncode == 0, proc.stderr
            assert_same_json(proc.stdout, json.loads(case.expected.read_text()), case.name)

    @pytest.mark.parametrize("case", _params(FAIL))
    def test_parse_fail_case(self, case: wc.FailCase, conformance_dir: Path, wasm_tools_1262: str):
        got = wc.wasm_tools_error_location(wasm_tools_1262, case)
        expected, _ = wc.expected_fail_locations(case)
        assert got[:1] == expected[:1] or (got and got[0] in expected), (
            f"wasm-tools reports {got}, the test expects {expected}"
        )
