"""Semantic versions as WIT uses them: which texts are valid, and the order packages sort in."""

from __future__ import annotations

from functools import cache

#: how a version sorts: no version first, then by numbers, a pre-release before its release
VersionKey = tuple[int, tuple[int, ...], tuple[int, tuple[tuple[int, int, str], ...]], str]


def is_semver(text: str) -> bool:
    """`MAJOR.MINOR.PATCH` (numbers without leading zeros), optionally `-pre` and `+build`."""
    core = text.split("+", 1)[0].split("-", 1)[0]
    parts = core.split(".")
    return len(parts) == 3 and all(
        p.isdigit() and (p == "0" or not p.startswith("0")) for p in parts
    )


@cache  # a load compares the same few versions thousands of times (every gated item)
def version_key(v: str | None) -> VersionKey:
    if v is None:
        return (0, (), (0, ()), "")
    core, _, build = v.partition("+")
    main, dash, pre = core.partition("-")
    nums = tuple(int(x) if x.isdigit() else 0 for x in main.split("."))
    if not dash:
        return (1, nums, (1, ()), build)
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (1, nums, (0, parts), build)
