"""The ``rkg`` command: parse options, call the API, print. No logic of its own.

Each sub-command lives in the module :data:`regional_kg.commands.COMMANDS` names, which exposes
``register(subparsers)`` to add its parser and set ``func``; only the module of the command that
runs is imported. The commands that read a store take the shared ``--source`` and ``--store``
options (:func:`regional_kg.commands.common.add_store_options`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from regional_kg.commands import COMMANDS, module_name
from regional_kg.errors import UserError
from regional_kg.extras import missing_extra

#: What ``rkg --help`` says last: where the built stores are kept, and how to do without.
CACHE_HELP = (
    "The reading commands build the default store (oxigraph) once per set of inputs and keep it "
    "in $RKG_CACHE_DIR, else $XDG_CACHE_HOME/regional-kg, else ~/.cache/regional-kg; later "
    "commands open it while the ontology, the graph and the --source files are unchanged. "
    "RKG_NO_STORE_CACHE=1 turns that off, RKG_NO_CACHE=1 every cache."
)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a command, only that command's module is imported (so
    ``rkg query`` starts without importing networkx, the page renderer or the server). The other
    commands are listed from :data:`~regional_kg.commands.COMMANDS` with their one-line help,
    which is all ``rkg --help`` shows of them."""
    parser = argparse.ArgumentParser(
        prog="rkg",
        description="regional-kg: a knowledge graph of international relations in Central Asia.",
        epilog=CACHE_HELP,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="show program's version number and exit"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _command_in(argv)
    chosen_module = None if chosen is None else COMMANDS[chosen].module
    for name, command in COMMANDS.items():
        if command.module != chosen_module:
            subparsers.add_parser(name, help=command.help)  # listed, never run
        elif name == _first_of(command.module):
            # the module adds the parsers of all its commands, here in the table's order
            import_module(module_name(name)).register(subparsers)
    return parser


def _first_of(module: str) -> str:
    """The first command of :data:`~regional_kg.commands.COMMANDS` that ``module`` registers."""
    return next(name for name, command in COMMANDS.items() if command.module == module)


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The command ``argv`` names (its first word, when it is one of the commands)."""
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
        return _error(args.command, exc)
    except ModuleNotFoundError as exc:
        missing = missing_extra(exc)  # an optional module an import site does not check for
        if missing is None:
            raise
        return _error(args.command, missing)
    except KeyboardInterrupt:
        print("rkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _error(command: str, exc: UserError) -> int:
    """Say what went wrong in one line; the exit status the error carries."""
    print(f"rkg {command}: error: {exc}", file=sys.stderr)
    return exc.exit_code


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading the installed distribution's metadata
    cost every command 30 ms of start-up (a tenth of ``rkg query``)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[no-untyped-def]
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    try:
        return version("regional-kg")
    except PackageNotFoundError:
        return "0+unknown"


if __name__ == "__main__":
    sys.exit(main())
