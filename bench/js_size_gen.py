"""Benchmark: size of witgen's JS glue and time to generate it, side by side with jco.

    python bench/js_size_gen.py [--runs 5]

- Glue size (bytes of generated JavaScript, unminified): a 4-function world (three exports and
  one import; target < 10 KB); the `hello` and `scalars` C guests of tests/guests (witgen's
  `index.js` vs the `.js` `jco transpile` writes for the same guest as a component); and the
  `wasi:http/proxy` world (a `--dummy` core module made into a component for jco).
- Generation time: a fresh `witgen generate ../shared/corpus/wasi-http-p2 --target js --force`
  process vs a fresh `jco types` process on the same WIT (world `bindings`); median wall time
  of `--runs` interleaved runs (target: witgen <= 0.5x jco).

Writes bench/results/js_size_gen.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "js_size_gen.json"
CORPUS = REPO.parent / "shared" / "corpus" / "wasi-http-p2"
FOUR = """
package bench:four;
world four {
  export add: func(a: u32, b: u32) -> u32;
  export echo: func(s: string) -> string;
  export bytes: func(b: list<u8>) -> list<u8>;
  import host-add: func(a: u32, b: u32) -> u32;
}
"""


def _witgen_js(wit: Path, world: str, wasm: Path | None = None) -> int:
    import witgen
    from witgen.js import generate

    r = witgen.load(wit)
    opts = {"wasm": str(wasm)} if wasm else {}
    return len(generate(r, r.select_world(world), opts)["index.js"])


def _jco_js(guests, component: Path, out: Path, name: str) -> int:
    js = guests.jco_transpile(component, out, "--instantiation", "async", name=name)
    return js.stat().st_size


#: a normal installation: bytecode is written and used (this workplace's shell sets
#: PYTHONDONTWRITEBYTECODE, which would make every run compile witgen from source)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "tests"))
    from support import guests

    sizes: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        four = t / "four.wit"
        four.write_text(FOUR)
        sizes["four-function world"] = {"witgen": _witgen_js(four, "four"), "target": "< 10240"}
        for name in ("hello", "scalars"):
            core = guests.build_c_guest(name)
            spec = guests.guest_spec("c", name)
            sizes[f"{name} guest"] = {
                "witgen": _witgen_js(spec.wit, spec.world, core),
                "jco": _jco_js(guests, guests.componentize_core(core), t / f"jco-{name}", name),
            }
        # wasi:http/proxy: a dummy core module, made a component for jco
        wt = guests.wasm_tools()
        core = t / "proxy-core.wasm"
        comp = t / "proxy.wasm"
        subprocess.run(
            [
                wt,
                "component",
                "embed",
                str(CORPUS),
                "--world",
                "wasi:http/proxy",
                "--dummy",
                "-o",
                str(core),
            ],
            check=True,
        )
        subprocess.run([wt, "component", "new", str(core), "-o", str(comp)], check=True)
        import witgen
        from witgen.js import generate

        r = witgen.load(CORPUS)
        proxy = generate(r, r.select_world("wasi:http/proxy"), {})
        sizes["wasi:http/proxy"] = {
            "witgen": len(proxy["index.js"]),
            "witgen_dts": len(proxy["index.d.ts"]),
            "jco": _jco_js(guests, comp, t / "jco-proxy", "proxy"),
        }

        # generation time, fresh processes, interleaved
        witgen_cmd = [
            sys.executable,
            "-m",
            "witgen",
            "generate",
            str(CORPUS),
            "--world",
            "bindings",
            "--target",
            "js",
            "--out",
            str(t / "gen-witgen"),
            "--force",
        ]
        jco_cmd = [
            "node",
            "--import",
            guests.preopens_preload().as_uri(),
            guests.jco_script(),
            "types",
            str(CORPUS),
            "--world-name",
            "bindings",
            "-o",
            str(t / "gen-jco"),
            "--quiet",
        ]
        _time(witgen_cmd), _time(jco_cmd)  # warm the disk caches of both
        w_times, j_times = [], []
        for _ in range(args.runs):
            w_times.append(_time(witgen_cmd))
            j_times.append(_time(jco_cmd))

    w_med, j_med = statistics.median(w_times), statistics.median(j_times)
    gen = {
        "witgen_ms": round(w_med * 1000, 1),
        "jco_types_ms": round(j_med * 1000, 1),
        "ratio": round(w_med / j_med, 3),
        "target": "<= 0.5",
        "met": w_med / j_med <= 0.5,
    }
    for row in sizes.values():
        if "jco" in row:
            row["witgen_over_jco"] = round(row["witgen"] / row["jco"], 3)
    sizes["four-function world"]["met"] = sizes["four-function world"]["witgen"] < 10240

    print(f"{'glue':22} {'witgen B':>10} {'jco B':>10} {'ratio':>7}")
    for name, row in sizes.items():
        print(
            f"{name:22} {row['witgen']:10} {row.get('jco', ''):>10} {row.get('witgen_over_jco', ''):>7}"
        )
    print(
        f"generate wasi-http-p2: witgen {gen['witgen_ms']} ms, jco types {gen['jco_types_ms']} ms, "
        f"ratio {gen['ratio']} (target <= 0.5: {'met' if gen['met'] else 'MISSED'})"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.date.today().isoformat(),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "glue_bytes": sizes,
                "generation": gen,
                "runs": args.runs,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
