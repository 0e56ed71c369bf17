"""Docs drift: every `js` code block of README.md and docs/*.md runs in Node, and every `ts`
block type-checks strictly, against the package of `testprojects/hello-hatch` (the examples'
world), reachable both as `hello-hatch` and at the wheel path `./mypkg/js/`, and the async
package of `bytes-guest` (tests/js/async/guest; docs/js.md's async examples) as `bytes-guest`.
A block whose info string is `ts sketch` or `js sketch` shows a shape or a package the tests do
not build, and is left out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from js_support import REPO, async_pkg, hello_pkg, node_exe, tsc_exe, types_root

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(js|ts)\n(.*?)^```$", re.S | re.M)


def blocks(lang: str) -> list[tuple[str, str]]:
    """(`file:line`, code) of every `lang` block."""
    out = []
    for doc in DOCS:
        text = doc.read_text()
        for m in BLOCK.finditer(text):
            if m.group(1) == lang:
                line = text.count("\n", 0, m.start()) + 1
                out.append((f"{doc.relative_to(REPO)}:{line}", m.group(2)))
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    work = tmp_path_factory.mktemp("docs")
    pkg = hello_pkg(work / "node_modules" / "hello-hatch")
    async_pkg(work / "node_modules" / "bytes-guest")
    shutil.copytree(pkg, work / "mypkg" / "js")
    (work / "package.json").write_text('{"type": "module"}\n')
    return work


def test_docs_have_the_examples():
    assert len(blocks("js")) >= 1 and len(blocks("ts")) >= 1


@pytest.mark.parametrize("where, code", blocks("js"), ids=[w for w, _ in blocks("js")])
def test_js_block_runs(where, code, project):
    name = "block_" + re.sub(r"\W", "_", where) + ".mjs"
    (project / name).write_text(code)
    proc = subprocess.run([node_exe(), name], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, f"{where}:\n{proc.stdout}\n{proc.stderr}"


def test_ts_blocks_type_check(project):
    names = []
    for where, code in blocks("ts"):
        name = "block_" + re.sub(r"\W", "_", where) + ".ts"
        (project / name).write_text(code + "\nexport {};\n")
        names.append(name)
    opts = {
        "strict": True,
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "lib": ["es2022", "dom"],
        "types": ["node"],
        "typeRoots": [str(types_root())],
        "noEmit": True,
    }
    (project / "tsconfig.json").write_text(json.dumps({"compilerOptions": opts, "files": names}))
    proc = subprocess.run(
        [tsc_exe(), "-p", ".", "--pretty", "false"], cwd=project, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
