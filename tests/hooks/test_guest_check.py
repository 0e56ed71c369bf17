"""A pip build of a project whose bundled guest no longer fits its WIT fails, listing why."""

from __future__ import annotations

from pathlib import Path

import pytest

from .projects import Env, build_guest, copy_project, target_available

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.skipif(not target_available("js"), reason="target `js` not available")
def test_stale_guest_fails_the_build(hook_env: Env, tmp_path: Path) -> None:
    project = copy_project("hello-hatch", tmp_path, echo=False)
    build_guest(project)
    assert hook_env.wheel(project, tmp_path / "ok").is_file()  # the guest fits: builds

    # the WIT moves on, the guest is not rebuilt
    wit = project / "wit" / "hello.wit"
    text = wit.read_text()
    wit.write_text(
        text.replace("export add:", "export sub: func(a: u32, b: u32) -> u32;\n  export add:")
    )
    proc = hook_env.pip(
        "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "stale", project, check=False
    )
    assert proc.returncode != 0
    log = proc.stdout + proc.stderr
    assert "does not fit world `hello` (1 problem)" in log, log[-3000:]
    assert 'missing export "sub": expected (i32, i32) -> i32' in log
    assert not list((tmp_path / "stale").glob("*.whl"))
