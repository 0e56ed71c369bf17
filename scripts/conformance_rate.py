"""Conformance rate of witgen's front end on wit-parser's UI suite, in one process.

    python scripts/conformance_rate.py [-v] [--shared ../shared]

Prints `pass cases: N/M match JSON, parse-fail cases: N/M rejected at the right location`,
with the same rules as tests/frontend/test_conformance.py (known divergences from the suite's
snapshot follow wasm-tools 1.262). `-v` lists each case that misses and why.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import wit_cases as wc  # noqa: E402

import witgen  # noqa: E402


def _load(path: Path):
    return witgen.load(path, features=set(wc.FEATURES))


def check_pass(case: wc.PassCase) -> str | None:
    """None when witgen does what the reference does, else what went wrong."""
    where = wc.EMPTY_RECORD_DIVERGENCES.get(case.name)
    try:
        resolve = _load(case.path)
    except witgen.WitError as err:
        if where and "empty record" in err.message.lower():
            if wc.location_matches(err, case.path.parent, [where]):
                return None
            return f"empty record reported at {err.location}, want {where}"
        return f"rejected: {err.message} at {err.location}"
    except Exception as err:  # noqa: BLE001 - a crash is a miss, not the end of the run
        return f"crashed: {type(err).__name__}: {err}"
    if where:
        return f"accepted; wasm-tools 1.262 rejects the empty record at {where}"
    try:
        from witgen.wit import jsonout

        got = json.loads(jsonout.dumps(resolve))
    except Exception as err:  # noqa: BLE001
        return f"jsonout crashed: {type(err).__name__}: {err}"
    return None if got == json.loads(case.expected.read_text()) else "JSON differs"


def check_fail(case: wc.FailCase) -> str | None:
    expected, _ = wc.expected_fail_locations(case)
    try:
        _load(case.path)
    except witgen.WitError as err:
        if not expected or wc.location_matches(err, case.path.parent, expected):
            return None
        return f"rejected at {err.location}, want {' or '.join(map(str, expected))}"
    except Exception as err:  # noqa: BLE001
        return f"crashed: {type(err).__name__}: {err}"
    return "accepted"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    ap.add_argument(
        "--shared", type=Path, default=None, help="the shared/ folder (default ../shared)"
    )
    args = ap.parse_args(argv)
    shared = args.shared.resolve() if args.shared else wc.find_shared()
    if shared is None or not wc.ui_dir(shared).is_dir():
        print("conformance suite not found (expected ../shared/conformance/wit-parser-ui)")
        return 2

    results = []
    for label, cases, check in (
        ("pass cases", wc.pass_cases(shared), check_pass),
        ("parse-fail cases", wc.fail_cases(shared), check_fail),
    ):
        misses = [(c.name, why) for c in cases if (why := check(c)) is not None]
        results.append((label, len(cases) - len(misses), len(cases), misses))

    if args.verbose:
        for label, _, _, misses in results:
            for name, why in misses:
                print(f"{label[:-6]}  {name}: {why}")
    (_, p_ok, p_all, _), (_, f_ok, f_all, _) = results
    print(
        f"pass cases: {p_ok}/{p_all} match JSON, "
        f"parse-fail cases: {f_ok}/{f_all} rejected at the right location"
    )
    return 0 if p_ok == p_all and f_ok == f_all else 1


if __name__ == "__main__":
    sys.exit(main())
