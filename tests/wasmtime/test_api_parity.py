"""The generated crate's public API is `bindgen!`'s, item for item, for every world of the corpus.

Both sides are read from rustdoc JSON (nightly `-Z unstable-options --output-format json`): the
compiler's own view after macro expansion, so `bindgen!`'s expansion (the `api-bindgen` crate:
one module per world, parity_setup.py) and the generated crate (the `-full` crate of the same
world) go through the same reader (api_surface.py). Every public item, signature, field,
variant, trait method, bound and impl (derives included) is compared, `LinkOptions` with them.
What differs on purpose is listed in `ALLOWED` below, each with why; anything else fails.

Also: the Debug/Display output of the same values through both (hosts/debug_parity.rs).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from api_surface import Surface
from parity_setup import api_doc_command, api_module, api_worlds, nightly_toolchain
from support.missing import missing
from wasmtime_ws import TARGET

#: (side, pattern): API lines only the generated crate has ("extra") or only bindgen! has
#: ("missing") that are deliberate. Keep this short; each entry says why.
ALLOWED: list[tuple[str, str, str]] = []


@pytest.fixture(scope="module")
def api_docs(workspace, cargo, shared_dir) -> dict[str, Path]:
    """crate -> its rustdoc JSON, for api-bindgen and every corpus world's generated crate."""
    nightly = nightly_toolchain()
    if nightly is None:
        missing("a nightly Rust toolchain (rustdoc JSON output) is not installed")
    args, env = api_doc_command(shared_dir, nightly)
    proc = workspace.ws.cargo(*args, env=env)
    assert proc.returncode == 0, proc.stderr[-6000:]
    crates = [a for i, a in enumerate(args) if i and args[i - 1] == "-p"]
    return {c: TARGET / "doc" / f"{c.replace('-', '_')}.json" for c in crates}


def _allowed(side: str, line: str) -> bool:
    return any(s == side and re.search(p, line) for s, p, _why in ALLOWED)


def test_public_api_matches_bindgen(api_docs, shared_dir):
    """For every world: the generated crate's API lines == bindgen!'s, but for `ALLOWED`."""
    macro = api_docs["api-bindgen"]
    problems = []
    compared = 0
    for crate, case, wid in api_worlds(shared_dir):
        want = Surface.load(macro, (api_module(case, wid),)).lines
        have = Surface.load(api_docs[crate]).lines
        assert len(want) > 10, f"{case}#{wid}: bindgen!'s module read as nearly empty"
        compared += len(want)
        missing_ = sorted(x for x in want - have if not _allowed("missing", x))
        extra = sorted(x for x in have - want if not _allowed("extra", x))
        if missing_ or extra:
            problems.append(
                f"--- {crate} ({case} world {wid}): {len(missing_)} only in bindgen!, "
                f"{len(extra)} only generated\n"
                + "".join(f"  - {x}\n" for x in missing_[:15])
                + "".join(f"  + {x}\n" for x in extra[:15])
            )
    assert compared > 1000
    assert not problems, f"{len(problems)} world(s) differ:\n" + "\n".join(problems[:6])


def test_link_options_gate_unstable_items(api_docs, shared_dir):
    """`@unstable` items are there and `LinkOptions` enables them, as bindgen! has it (a
    non-vacuous check of what the diff above compares: wasi:cli/command of WASI 0.2)."""
    crate = next(
        c for c, case, wid in api_worlds(shared_dir) if case == "wasi-p2" and "cli-command" in c
    )
    have = Surface.load(api_docs[crate]).lines
    for line in (
        "struct crate::LinkOptions",
        "method impl crate::LinkOptions::clocks_timezone(self: &mut Self, enabled: bool) -> &mut Self",
        "struct crate::wasi::sockets::network::LinkOptions",
        "trait crate::wasi::clocks::timezone::Host",
    ):
        assert line in have, line
    linker = next(x for x in have if x.startswith("method impl crate::Command::add_to_linker<"))
    assert "options: &crate::LinkOptions" in linker


def test_debug_and_display_match_bindgen(host_binaries):
    """The same values printed through the generated crate and bindgen! (bindgen!'s strings
    are the expected ones): enums `DescriptorType::Directory`, variants `IpAddress::Ipv4(..)`,
    records with WIT field names, error enums' `name (error N)`, error variants' Display."""
    proc = subprocess.run(
        [str(host_binaries["host-debug_parity"])], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.count("\nok ") + out.startswith("ok ") >= 25, out
    for s in ('"DescriptorType::SymbolicLink"', "IpAddress::Ipv4((10, 0, 0, 1))", "link-count"):
        assert s in out, s
    assert "MISMATCH" not in out


def test_missing_docs_flags_only_what_the_wit_leaves_undocumented(workspace):
    """`-D missing_docs` on a crate of a fully documented WIT passes (every item witgen adds
    has a doc), and on one with a single undocumented record field fails naming only it."""
    full = workspace.ws.cargo("clippy", "-p", "docs-all", "--", "-D", "missing_docs")
    assert full.returncode == 0, full.stderr[-4000:]
    partial = workspace.ws.cargo("clippy", "-p", "docs-partial", "--", "-D", "missing_docs")
    assert partial.returncode != 0
    flagged = re.findall(r"error: missing documentation for (.*)\n\s*--> ([^\n]*)", partial.stderr)
    assert len(flagged) == 1, partial.stderr[-4000:]
    assert flagged[0][0] == "a struct field" and "partly.rs" in flagged[0][1], flagged
