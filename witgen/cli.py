"""The `witgen` command line (also `python -m witgen`).

Imports stay inside the commands, so `witgen --help` does not load the parser.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from witgen.errors import WitError

EXIT_OK, EXIT_WIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EPILOG = """\
exit status:
  0  success
  1  the WIT is invalid (or cannot be read); the error is printed as
     `error: ...`, then ` --> file:line:col`, the source line and a caret
  2  usage error (bad arguments, PATH does not exist)
  3  internal error in witgen (a bug: please report it; WITGEN_DEBUG=1 shows the traceback)
"""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _existing_path(value: str) -> str:
    if not os.path.exists(value):
        raise argparse.ArgumentTypeError(f"{value}: no such file or directory")
    return value


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path",
        metavar="PATH",
        type=_existing_path,
        help="a .wit file, or a WIT directory (root package + deps/)",
    )
    p.add_argument(
        "--features",
        action="append",
        default=[],
        metavar="A,B",
        help="enable these @unstable features (comma-separated; may be repeated)",
    )
    p.add_argument("--all-features", action="store_true", help="enable every @unstable feature")


def build_parser() -> argparse.ArgumentParser:
    from witgen import __version__

    parser = argparse.ArgumentParser(
        prog="witgen",
        description="Parse and resolve WebAssembly Interface Types (WIT); generate host bindings.",
        epilog=EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"witgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name, help=help, description=description, epilog=EPILOG, formatter_class=_formatter
        )

    p = command(
        "check",
        "check that WIT parses and resolves",
        "Parse and resolve PATH; print `ok: N packages, M worlds` or the first error.",
    )
    _add_input(p)
    p.set_defaults(run=_cmd_check)

    p = command(
        "resolve",
        "print the resolved WIT",
        "Print the resolved WIT of PATH as JSON, in the schema of `wasm-tools component wit --json`.",
    )
    _add_input(p)
    p.add_argument(
        "--json", action="store_true", required=True, help="print JSON (the only format so far)"
    )
    p.set_defaults(run=_cmd_resolve)

    p = command(
        "abi",
        "print a world's core-wasm contract",
        "Print the core WebAssembly imports and exports (canonical ABI) of a world, as WAT.",
    )
    _add_input(p)
    p.add_argument(
        "--world",
        metavar="W",
        help="`w` or `ns:pkg/w`; may be left out when the main package has one world",
    )
    p.set_defaults(run=_cmd_abi)

    p = command(
        "generate",
        "generate bindings for a world",
        "Generate host bindings for a world of PATH into --out, through the incremental engine: "
        "nothing is rewritten when the WIT, the target and its options are unchanged.",
    )
    _add_input(p)
    p.add_argument("--world", metavar="W", help="the world (default: the main package's only one)")
    p.add_argument("--target", required=True, help="js | wasmtime")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument("--name", help="js: npm package name (default: derived from the world)")
    p.add_argument("--wasm", type=Path, metavar="FILE", help="js: core module to bundle")
    p.add_argument("--crate-name", help="wasmtime: crate name")
    p.add_argument(
        "--traits-only", action="store_true", help="wasmtime: types and Host traits only"
    )
    p.add_argument(
        "--opt",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a target option (repeatable); VALUE is parsed as JSON when it can be",
    )
    p.add_argument("--force", action="store_true", help="regenerate even when up to date")
    p.set_defaults(run=_cmd_generate)

    p = command(
        "build",
        "generate a project's configured bindings",
        "Generate every binding a project configures in pyproject.toml (`[tool.witgen]`, or "
        "`[tool.hatch.build.hooks.wit]`) into its source tree, as an editable install would: "
        "outputs go to each binding's `source-dir`, or into the project's package. Bindings "
        "whose inputs are unchanged are left alone.",
    )
    p.add_argument(
        "project", nargs="?", type=Path, default=Path("."), help="project folder (default: .)"
    )
    p.add_argument("--force", action="store_true", help="regenerate even when up to date")
    p.add_argument("--clean", action="store_true", help="remove generated outputs instead")
    p.set_defaults(run=_cmd_build)
    return parser


def _cmd_build(args: argparse.Namespace) -> int:
    import re

    from witgen.config import (
        HATCH_RESERVED_KEYS,
        HATCH_TABLE,
        SETUPTOOLS_TABLE,
        get_table,
        read_toml,
    )
    from witgen.project import load_project

    root = args.project.resolve()
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise WitError(f"no pyproject.toml in {args.project}")
    data = read_toml(pyproject)
    table = next(
        (t for t in (SETUPTOOLS_TABLE, HATCH_TABLE) if get_table(data, t) is not None), None
    )
    if table is None:
        raise WitError(
            f"{pyproject} configures no bindings: add a `[{SETUPTOOLS_TABLE}]` or "
            f"`[{HATCH_TABLE}]` table (see docs/config.md)"
        )
    name = str(get_table(data, "project.name") or root.name)
    package = re.sub(r"[-_.]+", "_", name).lower()

    def default_package() -> str | None:
        for base in (root / package, root / "src" / package):
            if base.is_dir():
                return package
        return None

    def in_tree(wheel_dir: str) -> Path | None:
        first, _, rest = wheel_dir.partition("/")
        for base in (root / first, root / "src" / first):
            if base.is_dir():
                return base / rest if rest else base
        return None

    project = load_project(
        root,
        table=table,
        default_package=default_package,
        in_tree=in_tree,
        reserved=HATCH_RESERVED_KEYS if table == HATCH_TABLE else (),
    )
    if args.clean:
        project.clean()
    else:
        project.build("editable", force=args.force)
    return EXIT_OK


def _options(args: argparse.Namespace) -> dict[str, object]:
    import hashlib
    import json

    opts: dict[str, object] = {}
    for item in args.opt:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise WitError(f"--opt expects KEY=VALUE, got `{item}`")
        try:
            opts[key] = json.loads(value)
        except ValueError:
            opts[key] = value
    if args.name:
        opts["name"] = args.name
    if args.wasm:
        try:
            data = args.wasm.read_bytes()
        except OSError as e:
            raise WitError(f"cannot read --wasm {args.wasm}: {e.strerror}") from None
        opts["wasm"] = str(args.wasm.resolve())
        # the module's bytes, not its path, decide whether the output is fresh
        opts["wasm_sha256"] = hashlib.sha256(data).hexdigest()
    if args.crate_name:
        opts["crate_name"] = args.crate_name
    if args.traits_only:
        opts["traits_only"] = True
    return opts


def _cmd_generate(args: argparse.Namespace) -> int:
    from witgen.engine import BindingSpec
    from witgen.targets import build_binding, get_target

    get_target(args.target)  # unknown or unavailable targets fail before any work
    spec = BindingSpec(
        wit_path=args.path,
        target=args.target,
        out_dir=args.out,
        world=args.world,
        options=_options(args),
        features=tuple(sorted(_features(args))),
        all_features=args.all_features,
    )
    result = build_binding(spec, force=args.force)
    print(result.summary())
    return EXIT_OK


def _features(args: argparse.Namespace) -> set[str]:
    return {f for arg in args.features for f in arg.replace(",", " ").split()}


def _load(args: argparse.Namespace):
    import witgen

    return witgen.load(args.path, features=_features(args), all_features=args.all_features)


def _cmd_check(args: argparse.Namespace) -> int:
    resolve = _load(args)
    print(f"ok: {len(resolve.packages)} packages, {len(resolve.worlds)} worlds")
    return EXIT_OK


def _cmd_resolve(args: argparse.Namespace) -> int:
    from witgen.wit import jsonout

    text = jsonout.dumps(_load(args))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _cmd_abi(args: argparse.Namespace) -> int:
    from witgen.abi.contract import world_contract

    resolve = _load(args)
    world = resolve.select_world(args.world)
    for line in world_contract(resolve, world).to_wat_lines():
        print(line)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with status 2 on a usage error
    try:
        return args.run(args)
    except WitError as err:
        print(err.render(), file=sys.stderr)
        return EXIT_WIT_ERROR
    except OSError as err:
        if isinstance(err, BrokenPipeError):  # `witgen resolve ... | head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        print(f"error: {err}", file=sys.stderr)
        return EXIT_WIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - a bug: say so, in one line unless asked
        if os.environ.get("WITGEN_DEBUG"):
            raise
        print(
            f"internal error: {type(err).__name__}: {err}\n"
            "this is a bug in witgen; rerun with WITGEN_DEBUG=1 for the traceback and report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
