"""The `witgen` command line (also `python -m witgen`).

Imports stay inside the commands, so `witgen --help` does not load the parser, and a `check` or
`resolve` whose output `witgen.clicache` holds replays it before argparse is even imported.
"""

from __future__ import annotations

import os
import sys

from witgen import clicache
from witgen.errors import WitError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    from witgen.model import Resolve

EXIT_OK, EXIT_WIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EPILOG = """\
exit status:
  0  success
  1  the WIT is invalid (or cannot be read); the error is printed as
     `error: ...`, then ` --> file:line:col`, the source line and a caret
  2  usage error (bad arguments, PATH does not exist)
  3  internal error in witgen (a bug: please report it; WITGEN_DEBUG=1 shows the traceback)
"""


def _formatter_class(width: int) -> Callable[..., argparse.HelpFormatter]:
    """Help formatters of one width: argparse makes a formatter for every argument added, and
    each would ask the terminal for its size again (a tenth of a short command's time)."""
    import argparse

    def formatter(prog: str) -> argparse.HelpFormatter:
        return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32, width=width)

    return formatter


def _existing_path(value: str) -> str:
    import argparse
    from pathlib import Path

    from witgen.inputfiles import wit_problem

    if not os.path.exists(value):
        raise argparse.ArgumentTypeError(f"{value}: no such file or directory")
    problem = wit_problem(Path(value))
    if problem is not None and not os.path.isfile(value):  # a device, FIFO, socket
        raise argparse.ArgumentTypeError(f"{value} {problem}")
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


def _help_width() -> int:
    """The width argparse would use, as `shutil.get_terminal_size` finds it (`$COLUMNS`, the
    terminal of stdout, else 80), less 2; shutil itself is not imported for it (it imports
    the compression modules: 2% of a `witgen check`)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0 and sys.__stdout__ is not None:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def build_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from witgen import __version__

    _formatter = _formatter_class(_help_width())
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

    _add_abi(
        command(
            "abi",
            "print a world's core-wasm contract",
            "Print the core WebAssembly imports and exports (canonical ABI) of a world, as WAT.",
        )
    )

    _add_generate(
        command(
            "generate",
            "generate bindings for a world",
            "Generate host bindings for a world of PATH into --out, through the incremental "
            "engine: nothing is rewritten when the WIT, the target and its options are unchanged.",
        )
    )

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


def _add_abi(p: argparse.ArgumentParser) -> None:
    _add_input(p)
    p.add_argument(
        "--world",
        metavar="W",
        help="`w`, `ns:pkg/w` or `ns:pkg/w@1.0.0`; may be left out when the main package has "
        "one world",
    )
    p.add_argument(
        "--check",
        metavar="GUEST",
        help="instead of printing: check core module GUEST against the contract (exit 1 with "
        "every problem listed)",
    )
    p.add_argument(
        "--async-abi",
        choices=("sync", "callback", "stackful"),
        default="sync",
        help="how async functions are lifted/lowered: the sync ABI (the default, as "
        "`wasm-tools component embed --dummy-names legacy`), `callback` (--async-callback) or "
        "`stackful` (--async-stackful); an async contract marks what a guest may leave out "
        "`;; optional`",
    )
    p.set_defaults(run=_cmd_abi)


def _add_generate(p: argparse.ArgumentParser) -> None:
    from pathlib import Path

    _add_input(p)
    p.add_argument(
        "--world",
        metavar="W",
        help="`w`, `ns:pkg/w` or `ns:pkg/w@1.0.0` (default: the main package's only world)",
    )
    p.add_argument("--target", required=True, help="js | wasmtime | python")
    p.add_argument(
        "--deps",
        action="append",
        default=[],
        type=Path,
        metavar="DEP",
        help="an extra dependency package (a package folder or a .wit file), read as if it "
        "were in PATH/deps/ (repeatable; PATH must be a folder)",
    )
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument("--name", help="js: npm package name (default: derived from the world)")
    p.add_argument(
        "--wasm", type=Path, metavar="FILE", help="js: core module, python: component to bundle"
    )
    p.add_argument(
        "--component",
        type=Path,
        metavar="FILE",
        help="js: a component of one core module (plus the WASI preview 1 adapter): bundle "
        "that core module",
    )
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


def _cmd_build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from witgen.project import load_project
    from witgen.pyproject import read_layout

    layout = read_layout(Path(args.project).resolve())
    project = load_project(
        layout.root,
        table=layout.table,
        file=layout.file,
        default_package=layout.default_package,
        in_tree=layout.in_tree,
        reserved=layout.reserved,
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
    for key in ("wasm", "component"):
        path = getattr(args, key)
        if not path:
            continue
        from witgen.inputfiles import read_file

        try:
            data = read_file(path)
        except ValueError as e:
            raise WitError(f"--{key} {path} {e}") from None
        except OSError as e:
            raise WitError(f"cannot read --{key} {path}: {e.strerror}") from None
        opts[key] = str(path.resolve())
        # the module's bytes, not its path, decide whether the output is fresh
        opts[f"{key}_sha256"] = hashlib.sha256(data).hexdigest()
    if args.crate_name:
        opts["crate_name"] = args.crate_name
    if args.traits_only:
        opts["traits_only"] = True
    return opts


def _cmd_generate(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from witgen.compose import compose_wit_root, real_path
    from witgen.engine import BindingSpec
    from witgen.targets import build_binding, get_target

    get_target(args.target)  # unknown or unavailable targets fail before any work
    deps = _checked_deps(Path(args.path), args.deps)
    with tempfile.TemporaryDirectory(prefix="witgen-deps-") as scratch:
        wit = compose_wit_root(Path(args.path), deps, Path(scratch)) if deps else args.path
        spec = BindingSpec(
            wit_path=wit,
            target=args.target,
            out_dir=args.out,
            world=args.world,
            options=_options(args),
            features=tuple(sorted(_features(args))),
            all_features=args.all_features,
        )
        try:
            result = build_binding(spec, force=args.force)
        except WitError as err:
            if err.file and deps:  # name the user's file, not its link in the scratch folder
                err.file = str(real_path(Path(err.file), Path(scratch)))
            raise
    print(result.summary())
    return EXIT_OK


def _checked_deps(wit: Path, deps: list[Path]) -> list[Path]:
    from pathlib import Path

    from witgen.inputfiles import dep_problem

    if deps and not wit.is_dir():
        raise WitError(
            f"--deps needs PATH to be a WIT folder (deps go into its deps/); {wit} is not"
        )
    names: dict[str, Path] = {}
    for d in deps:
        problem = dep_problem(d)
        if problem is not None:
            raise WitError(f"--deps {d} {problem}")
        full = Path(os.path.abspath(d))
        if full.name in names or (wit / "deps" / full.name).exists():
            other = names.get(full.name, wit / "deps" / full.name)
            raise WitError(f"--deps {d}: a dependency named `{full.name}` is already at {other}")
        names[full.name] = full
    return list(names.values())


def _features(args: argparse.Namespace) -> list[str]:
    return clicache.feature_set(args.features)


def _load(args: argparse.Namespace) -> Resolve:
    import witgen

    load: Callable[..., Resolve] = witgen.load  # the front end's entry point (untyped there)
    return load(args.path, features=_features(args), all_features=args.all_features)


def _cmd_check(args: argparse.Namespace) -> int:
    def render(resolve: Resolve, write: Callable[[str], None]) -> None:
        write(f"ok: {len(resolve.packages)} packages, {len(resolve.worlds)} worlds\n")

    return _cached(args, render)


def _cmd_resolve(args: argparse.Namespace) -> int:
    from witgen.wit import jsonout

    def render(resolve: Resolve, write: Callable[[str], None]) -> None:
        jsonout.dump(resolve, write)
        write("\n")

    return _cached(args, render)


def _cached(
    args: argparse.Namespace, render: Callable[[Resolve, Callable[[str], None]], None]
) -> int:
    """Load, print through `render`, and store the output for `clicache.replay`."""
    from witgen.wit.resolve import load_logged

    resolve, log = load_logged(args.path, _features(args), args.all_features)
    out = clicache.Capture()
    render(resolve, out.write)
    out.store(clicache.key(args.command, args.path, args.features, args.all_features), log)
    return EXIT_OK


def _cmd_abi(args: argparse.Namespace) -> int:
    from witgen.abi.contract import world_contract
    from witgen.targets import select_world

    resolve = _load(args)
    world = select_world(resolve, args.world)
    if args.check:
        from witgen.guest.check import require_guest_file

        require_guest_file(resolve, world, args.check, args.async_abi)
        print(f"ok: {args.check} fits world `{resolve.worlds[world].name}`")
        return EXIT_OK
    for line in world_contract(resolve, world, args.async_abi).to_wat_lines():
        print(line)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    replayed = _guarded(lambda: clicache.replay(argv))
    return _main(argv) if replayed is None else replayed


def _main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with status 2 on a usage error
    from witgen.deepstack import call_deep

    run: Callable[[argparse.Namespace], int] = args.run
    code = _guarded(lambda: call_deep(lambda: run(args)))
    assert code is not None
    return code


def _guarded(fn: Callable[[], int | None]) -> int | None:
    """`fn()`, with every error turned into a message and an exit status."""
    try:
        return fn()
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
