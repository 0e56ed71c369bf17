"""Generated WIT through the front end: valid packages load, edited ones fail with a located
`WitError`; nothing else ever escapes `witgen.load`."""

from __future__ import annotations

from pathlib import Path

from fuzz_support import fuzz_settings, load_text
from hypothesis import given
from witgen_strategies import WitCase, mutated, wit_packages


def test_generated_packages_load(tmp_path: Path):
    outcomes: list[bool] = []

    @fuzz_settings(150)
    @given(case=wit_packages())
    def run(case: WitCase) -> None:
        outcomes.append(load_text(tmp_path / "fuzz.wit", case.text) is not None)

    run()
    # the strategy writes valid WIT nearly always; if it stops doing so, the fuzzers go blind
    assert sum(outcomes) >= 0.9 * len(outcomes), f"{outcomes.count(False)} of {len(outcomes)} rejected"


def test_mutated_packages_fail_cleanly(tmp_path: Path):
    @fuzz_settings(200)
    @given(text=mutated())
    def run(text: str) -> None:
        load_text(tmp_path / "fuzz.wit", text)

    run()
