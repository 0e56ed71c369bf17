"""The generated package in the JS toolchains a user has, on the real tools (installed by
scripts/setup/30-js.sh into `$WITGEN_CACHE/js-toolchains`): every bundler builds a tiny app
that is served on 127.0.0.1 and run in headless Chromium; Node runs it as ESM, through
`require()` and as a `.ts` file; tsc checks it under the nine lib x moduleResolution setups;
publint, attw and `npm pack` judge it as an npm package.

Two packages go through every case side by side: `hello-hatch` (a sync world) and `bytes-guest`
(an async world: async functions, `stream<u8>`, `future<u32>`; tests/js/async/guest), each with
its core module as a file, and inlined. An app calls both: hello's `greet` and `add`, and
bytes-guest's stream (100000 bytes read with `for await`) and future (`bumpFuture`).
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from js_support import (
    BYTES_GUEST_IMPORTS_JS,
    async_pkg,
    cache_root,
    chromium_exe,
    hello_pkg,
    need,
    node24,
    node_exe,
)

TOOLS = cache_root() / "js-toolchains" / "node_modules"
NAME = "hello-hatch"
ASYNC_NAME = "bytes-guest"
#: hello's answer, then bytes-guest's: the bytes of `produce(100000, 4096)`, `bumpFuture(41)`
ANSWER = "Hello, browser!|5|100000|42"

#: the async package's part of an app: `bytesAnswer()` is "|<bytes read>|<future's answer>"
ASYNC_JS = f"""import {{ load as loadBytes }} from "bytes-guest";
async function bytesAnswer() {{
  const b = await loadBytes({BYTES_GUEST_IMPORTS_JS});
  let n = 0;
  for await (const chunk of await b.produce(100000, 4096)) n += chunk.length;
  return "|" + n + "|" + (await b.bumpFuture(Promise.resolve(41)));
}}
"""

MAIN_JS = (
    """import { load } from "hello-hatch";
"""
    + ASYNC_JS
    + """const out = document.getElementById("out");
load().then(async (g) => g.greet("browser") + "|" + g.add(2, 3) + (await bytesAnswer())).then(
  (t) => { out.textContent = "RESULT:" + t; },
  (e) => { out.textContent = "ERROR:" + ((e && e.stack) || e); },
);
"""
)

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>witgen</title>
<div id="out">pending</div>
<script {attrs}src="{src}"></script>
"""

# No bundler: the page imports the browser entry by path, and also asks for a module that is
# not there and for one that is an HTML page: the errors must name the URL and the status.
PLAIN_PAGE = """<!doctype html>
<meta charset="utf-8">
<div id="out">pending</div>
<script type="module">
import { load, instantiate } from "./node_modules/hello-hatch/browser.js";
import { load as loadBytes } from "./node_modules/bytes-guest/browser.js";
const out = document.getElementById("out");
const r = [];
try {
  const g = await load();
  const b = await loadBytes(BYTES_IMPORTS);
  let n = 0;
  for await (const chunk of await b.produce(100000, 4096)) n += chunk.length;
  r.push(g.greet("browser") + "|" + g.add(2, 3) + "|" + n + "|" + (await b.bumpFuture(41)));
  for (const src of ["./missing.wasm", "./index.html"]) {
    try { await load(undefined, src); r.push("loaded"); } catch (e) { r.push(e.message); }
  }
  try { await instantiate(fetch("./missing.wasm")); r.push("loaded"); } catch (e) { r.push(e.message); }
  out.textContent = "RESULT:" + JSON.stringify(r);
} catch (e) {
  out.textContent = "ERROR:" + ((e && e.stack) || e);
}
</script>
""".replace("BYTES_IMPORTS", BYTES_GUEST_IMPORTS_JS)


def tool(rel: str) -> Path:
    path = TOOLS / rel
    if not path.exists():
        need(f"{path} (npm toolchains of scripts/setup/30-js.sh)")
    return path


def run(cmd: list[str | Path], cwd: Path, timeout: float = 180) -> str:
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def pkgs(tmp_path_factory) -> dict[str, Path]:
    """The packages with their core modules as files (`file`) and inlined (`inline`), each a
    folder holding `hello-hatch` and `bytes-guest`."""
    tmp = tmp_path_factory.mktemp("pkgs")
    inline = {"inline_wasm_max": 65536}
    for kind, opts in (("file", {}), ("inline", inline)):
        hello_pkg(tmp / kind / NAME, license="MIT", **opts)
        async_pkg(tmp / kind / ASYNC_NAME, license="MIT", **opts)
    return {"file": tmp / "file", "inline": tmp / "inline"}


def app(root: Path, pkgs: Path, files: dict[str, str]) -> Path:
    """A folder with `files` and the packages in `pkgs` installed in `node_modules/`."""
    for name in (NAME, ASYNC_NAME):
        shutil.copytree(pkgs / name, root / "node_modules" / name)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


# --- serving and reading a page ------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def log_message(self, *args):  # keep the test output quiet
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def dev_server(vite: Path, root: Path) -> Iterator[str]:
    """`vite` (the dev server) on a free port of 127.0.0.1, until the block ends."""
    port = free_port()
    log = (root / "vite.log").open("w")
    proc = subprocess.Popen(
        [node_exe(), str(vite), "--host", "127.0.0.1", "--port", str(port), "--strictPort"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if proc.poll() is not None:
                raise AssertionError(f"vite exited:\n{(root / 'vite.log').read_text()}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def page_text(url: str, profile: Path) -> str:
    """The text of `#out` once the page has run (headless Chromium)."""
    cmd = [
        chromium_exe(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=20000",
        "--dump-dom",
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    m = re.search(r'<div id="out">(.*?)</div>', proc.stdout, re.S)
    assert m, (
        f"no output div (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    )
    return html.unescape(m.group(1))


def no_node_imports(dist: Path) -> None:
    """A browser build must not contain a `node:` import."""
    for f in dist.rglob("*.js"):
        assert "node:" not in f.read_text(), f"{f} mentions node: built-ins"


# --- bundlers ------------------------------------------------------------------------------------


def module_page(src: str) -> str:
    return PAGE.format(attrs='type="module" ', src=src)


def build_esbuild(root: Path, pkg: Path, copy_wasm: bool) -> Path:
    app(root, pkg, {"main.js": MAIN_JS, "dist/index.html": module_page("./main.js")})
    esbuild = tool("esbuild/bin/esbuild")
    run([esbuild, "main.js", "--bundle", "--format=esm", "--outfile=dist/main.js"], root)
    if copy_wasm:  # esbuild leaves new URL("./x.wasm", import.meta.url) alone: copy the file
        for wasm in (root / "node_modules").glob("*/*.wasm"):
            shutil.copy(wasm, root / "dist")
    return root / "dist"


def build_webpack(root: Path, pkg: Path) -> Path:
    app(root, pkg, {"main.js": MAIN_JS, "dist/index.html": PAGE.format(attrs="", src="./main.js")})
    cli = tool("webpack-cli/bin/cli.js")
    run([node_exe(), cli, "build", "--mode=production", "--entry=./main.js", "-o", "dist"], root)
    return root / "dist"


ROLLUP_CONFIG = """import resolve from {resolve};
export default {{
  input: "main.js",
  output: {{ dir: "dist", format: "es" }},
  plugins: [resolve({{ browser: true }})],
}};
"""


def build_rollup(root: Path, pkg: Path) -> Path:
    plugin = tool("@rollup/plugin-node-resolve/dist/es/index.js")
    config = ROLLUP_CONFIG.format(resolve=json.dumps(plugin.as_uri()))
    app(
        root,
        pkg,
        {
            "main.js": MAIN_JS,
            "rollup.config.mjs": config,
            "dist/index.html": module_page("./main.js"),
        },
    )
    run([node_exe(), tool("rollup/dist/bin/rollup"), "-c"], root)
    for wasm in (root / "node_modules").glob("*/*.wasm"):  # as for esbuild
        shutil.copy(wasm, root / "dist")
    return root / "dist"


VITES = {"vite8": "vite", "vite7": "vite7", "vite5": "vite5"}


def vite_app(root: Path, pkg: Path, config: str = "") -> None:
    files = {"main.js": MAIN_JS, "index.html": module_page("/main.js")}
    if config:
        files["vite.config.mjs"] = config
    app(root, pkg, files)


def build_vite(root: Path, pkg: Path, vite: str) -> Path:
    vite_app(root, pkg)
    run([node_exe(), tool(f"{VITES[vite]}/bin/vite.js"), "build"], root)
    return root / "dist"


BUILDS = {
    "esbuild": lambda root, pkgs: build_esbuild(root, pkgs["file"], copy_wasm=True),
    "esbuild-inline": lambda root, pkgs: build_esbuild(root, pkgs["inline"], copy_wasm=False),
    "webpack": lambda root, pkgs: build_webpack(root, pkgs["file"]),
    "rollup": lambda root, pkgs: build_rollup(root, pkgs["file"]),
    **{
        f"{v}-build": functools.partial(
            lambda root, pkgs, v: build_vite(root, pkgs["file"], v), v=v
        )
        for v in VITES
    },
}


@pytest.mark.parametrize("bundler", list(BUILDS))
def test_bundled_app_runs_in_chromium(bundler, pkgs, tmp_path):
    dist = BUILDS[bundler](tmp_path / "app", pkgs)
    no_node_imports(dist)
    with static_server(dist) as url:
        assert page_text(url + "index.html", tmp_path / "profile") == "RESULT:" + ANSWER


#: Vite 7 and earlier pre-bundle dependencies in the dev server into `.vite/deps/`, where
#: `new URL("./x.wasm", import.meta.url)` no longer finds the file (Vite 8 copes); docs/js.md says
#: to exclude the package from `optimizeDeps` there, or to inline the module.
EXCLUDE = 'export default { optimizeDeps: { exclude: ["hello-hatch", "bytes-guest"] } };\n'
DEV_CASES = {
    "vite8": ("vite8", "file", ""),
    "vite7-exclude": ("vite7", "file", EXCLUDE),
    "vite5-exclude": ("vite5", "file", EXCLUDE),
    "vite5-inline": ("vite5", "inline", ""),
}


@pytest.mark.parametrize("case", list(DEV_CASES))
def test_vite_dev_server(case, pkgs, tmp_path):
    vite, kind, config = DEV_CASES[case]
    root = tmp_path / "app"
    vite_app(root, pkgs[kind], config)
    with dev_server(tool(f"{VITES[vite]}/bin/vite.js"), root) as url:
        assert page_text(url, tmp_path / "profile") == "RESULT:" + ANSWER


def test_vite5_dev_server_prebundled_names_the_url(pkgs, tmp_path):
    """Without the exclusion the fetch gets Vite's HTML page: the error says so, with the URL."""
    root = tmp_path / "app"
    vite_app(root, pkgs["file"])
    with dev_server(tool("vite5/bin/vite.js"), root) as url:
        text = page_text(url, tmp_path / "profile")
    first = text.splitlines()[0]
    assert first.startswith(f"ERROR:Error: {url}.vite/deps/hello.core.wasm is not a WebAssembly")
    assert "HTTP 200, content type text/html" in first, first


def test_plain_page_and_load_errors(pkgs, tmp_path):
    root = app(tmp_path / "site", pkgs["file"], {"index.html": PLAIN_PAGE})
    with static_server(root) as url:
        text = page_text(url + "index.html", tmp_path / "profile")
    assert text.startswith("RESULT:"), text
    answer, missing, html_page, given = json.loads(text[len("RESULT:") :])
    assert answer == ANSWER
    assert f"{url}missing.wasm" in missing and "HTTP 404" in missing, missing
    assert f"{url}index.html" in html_page and "text/html" in html_page, html_page
    assert given == f"cannot load the core module {url}missing.wasm: HTTP 404 File not found"


# --- Node ----------------------------------------------------------------------------------------

NODE_CONSUMERS = {
    "main.mjs": 'import { load } from "hello-hatch";\n'
    + ASYNC_JS
    + 'const g = await load();\nconsole.log(g.greet("node") + "|" + g.add(2, 3) + (await bytesAnswer()));\n',
    # ESM only: require() works through require(esm), Node >= 20.19 / 22.12 (package.json engines)
    "main.cjs": 'const { load } = require("hello-hatch");\n'
    'const { load: loadBytes } = require("bytes-guest");\n'
    f"const bytes = loadBytes({BYTES_GUEST_IMPORTS_JS}).then((b) => b.bumpFuture(41));\n"
    'load().then(async (g) => console.log(g.greet("node") + "|" + g.add(2, 3) + "|100000|" + (await bytes)));\n',
    "main.ts": 'import { load, type Exports } from "hello-hatch";\n'
    'import { load as loadBytes, type Exports as BytesExports, type WitStream } from "bytes-guest";\n'
    "const g: Exports = await load();\nconst n: number = g.add(2, 3);\n"
    f"const b: BytesExports = await loadBytes({BYTES_GUEST_IMPORTS_JS});\n"
    "const s: WitStream<Uint8Array> = await b.produce(100000, 4096);\nlet m = 0;\n"
    "for await (const chunk of s) m += chunk.length;\n"
    'console.log(g.greet("node") + "|" + n + "|" + m + "|" + (await b.bumpFuture(41)));\n',
}


@pytest.mark.parametrize("consumer", list(NODE_CONSUMERS))
@pytest.mark.parametrize("kind", ["file", "inline"])
def test_node_consumers(consumer, kind, pkgs, tmp_path):
    root = app(tmp_path, pkgs[kind], {consumer: NODE_CONSUMERS[consumer]})
    (root / "package.json").write_text('{"type": "module"}\n')
    if consumer.endswith(".ts"):
        cmd = [node24(), "--experimental-strip-types", "--no-warnings", consumer]
    else:
        cmd = [node_exe(), consumer]
    assert run(cmd, root).strip() == "Hello, node!|5|100000|42"


LOAD_FORMS = """import { load } from "hello-hatch";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
const path = "node_modules/hello-hatch/hello.core.wasm";
const bytes = await readFile(path);
const sources = [path, pathToFileURL(path), bytes, bytes.buffer, await WebAssembly.compile(bytes),
  new Response(bytes, { headers: { "content-type": "application/wasm" } }), Promise.resolve(bytes)];
const out = [];
for (const s of sources) out.push((await load(undefined, s)).add(2, 3));
for (const s of ["missing.wasm", new URL(process.argv[2] + "missing.wasm")]) {
  try { await load(undefined, s); out.push("loaded"); } catch (e) { out.push(e.message); }
}
console.log(JSON.stringify(out));
"""


def test_node_load_sources(pkgs, tmp_path):
    """`load()` in Node takes a path, a file: URL, bytes, a Module, a Response or a Promise; a
    missing file and an HTTP 404 say which file / URL and status."""
    root = app(tmp_path / "app", pkgs["file"], {"main.mjs": LOAD_FORMS})
    (tmp_path / "site").mkdir()
    with static_server(tmp_path / "site") as url:
        out = json.loads(run([node_exe(), "main.mjs", url], root))
    assert out[:7] == [5] * 7
    assert "ENOENT" in out[7] and "missing.wasm" in out[7], out[7]
    assert f"{url}missing.wasm: HTTP 404" in out[8], out[8]


# --- TypeScript ----------------------------------------------------------------------------------

TS_MAIN = """import { load, instantiate, type Exports } from "hello-hatch";
import { load as loadBytes, asyncStats, type WitStream } from "bytes-guest";
const g: Exports = await load();
const text: string = g.greet("ts") + g.add(1, 2);
await instantiate(new Uint8Array([0, 97, 115, 109]));
export { text };
await load(42);
const b = await loadBytes({ bump: async (x: number) => x + 1, "witgen:jsasync/tokens": { Token: class {} } });
const s: WitStream<Uint8Array> = await b.produce(10, 5, { signal: undefined });
for await (const chunk of s) { const n: number = chunk.length; void n; }
const v: number = await b.bumpFuture(Promise.resolve(41));
const handles: number = asyncStats(b).handles + v;
export { handles };
"""

#: lib setups: (lib, @types/node folder or None); @types/node 22 and 24 are installed under the
#: names `node22` and `node24`, each is linked as `node` into a type root of its own
TS_LIBS = {
    "es2022": (["es2022"], None),
    "dom": (["es2022", "dom"], None),
    "node20": (["es2022"], "node"),
    "node22": (["es2022"], "node22"),
    "node24": (["es2022"], "node24"),
}
TS_RESOLUTION = {"node16": "node16", "nodenext": "nodenext", "bundler": "esnext"}


@pytest.fixture(scope="module")
def ts_projects(pkgs, tmp_path_factory) -> dict[tuple[str, str], str]:
    """tsc's output per (lib, moduleResolution), all checked by one tsc `-b` run."""
    from js_support import tsc_exe, types_root

    work = tmp_path_factory.mktemp("ts")
    app(work, pkgs["file"], {"package.json": '{"type": "module"}\n'})
    out = {}
    for lib, (libs, types) in TS_LIBS.items():
        roots = []
        if types:
            roots.append(work / f"types-{lib}")
            roots[0].mkdir()
            real = types_root() / "node" if types == "node" else tool(f"@types/{types}")
            (roots[0] / "node").symlink_to(real, target_is_directory=True)
        for res, module in TS_RESOLUTION.items():
            d = work / f"{lib}-{res}"
            d.mkdir()
            (d / "main.ts").write_text(TS_MAIN)
            opts = {
                "strict": True,
                "target": "es2022",
                "module": module,
                "moduleResolution": res,
                "lib": libs,
                "types": ["node"] if types else [],
                "typeRoots": [str(r) for r in roots],
                "noEmit": True,
                "skipLibCheck": False,
            }
            (d / "tsconfig.json").write_text(
                json.dumps({"compilerOptions": opts, "include": ["main.ts"]})
            )
            proc = subprocess.run(
                [tsc_exe(), "-p", ".", "--pretty", "false"], cwd=d, capture_output=True, text=True
            )
            out[(lib, res)] = proc.stdout + proc.stderr
    return out


@pytest.mark.parametrize("res", list(TS_RESOLUTION))
@pytest.mark.parametrize("lib", list(TS_LIBS))
def test_typescript_setups(lib, res, ts_projects):
    """Both packages type-check, and the one deliberate error (`load(42)`: hello's world has no
    imports) is the only one reported."""
    errors = [ln for ln in ts_projects[(lib, res)].splitlines() if ": error TS" in ln]
    assert len(errors) == 1 and errors[0].startswith("main.ts(7,12): error TS2345"), errors


# --- npm -----------------------------------------------------------------------------------------


#: what `npm pack` ships besides the core module: the same for both packages
SHIPPED = ["bindings.js", "browser.d.ts", "browser.js", "index.d.ts", "index.js", "package.json"]


#: the async package as a file only: inlined, it ships the same files as hello's inlined
#: package (checked), and each case costs ~15 s of attw
@pytest.mark.parametrize("kind, name", [("file", NAME), ("inline", NAME), ("file", ASYNC_NAME)])
def test_npm_package_quality(kind, name, pkgs, tmp_path):
    pkg = shutil.copytree(pkgs[kind] / name, tmp_path / "pkg")
    core = "hello.core.wasm" if name == NAME else "bytes-guest.core.wasm"
    run([node_exe(), tool("publint/src/cli.js"), "--strict"], pkg)
    # the package is ESM only (see docs/js.md), hence attw's esm-only profile
    wasm = ["--exclude-entrypoints", f"./{core}"] if kind == "file" else []
    run(
        [
            node_exe(),
            tool("@arethetypeswrong/cli/dist/index.js"),
            "--pack",
            ".",
            "--profile",
            "esm-only",
            *wasm,
        ],
        pkg,
    )
    proc = run(["npm", "pack", "--dry-run", "--json"], pkg)
    shipped = sorted(f["path"] for f in json.loads(proc[proc.index("[") :])[0]["files"])
    assert shipped == sorted([*SHIPPED, core if kind == "file" else core + ".js"])
