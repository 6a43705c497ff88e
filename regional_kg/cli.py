"""The ``rkg`` command: parse options, call the API, print. No logic of its own.

Each sub-command lives in ``regional_kg/commands/<name>.py`` and exposes ``register(subparsers)``
which adds its parser and sets ``func``; every sub-command takes the shared ``--source`` and
``--store`` options (:func:`add_store_options`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from regional_kg.errors import UserError

#: Sub-command modules, in the order ``rkg --help`` lists them.
COMMANDS = (
    "build",
    "query",
    "export",
    "info",
    "sources",
    "centrality",
    "viz",
    "timeline-page",
    "report",
    "serve",
    "enrich",
    "synth",
    "sheet",
    "demo",
)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a command, only that command's module is imported (so
    ``rkg query`` starts without importing networkx, the page renderer or the server)."""
    parser = argparse.ArgumentParser(
        prog="rkg",
        description="regional-kg: a knowledge graph of international relations in Central Asia.",
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="show program's version number and exit"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _command_in(argv)
    for name in COMMANDS if chosen is None else (chosen,):
        module_name = f"regional_kg.commands.{name.replace('-', '_')}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # not built yet in this checkout
            raise
        module.register(subparsers)
    return parser


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The command ``argv`` names (its first word, when it is one of :data:`COMMANDS`)."""
    if argv is None:
        return None
    for word in argv:
        if word.startswith("-"):
            return None  # options before the command (--version, --help): the full parser
        return word if word in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"rkg {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("rkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading the installed distribution's metadata
    cost every command 30 ms of start-up (a tenth of ``rkg query``)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[no-untyped-def]
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regional-kg")
    except PackageNotFoundError:
        return "0+unknown"


if __name__ == "__main__":
    sys.exit(main())
