"""Options shared by the sub-commands, each group in one place so the commands that take it
spell, check and document it the same way: registering a command, a period of years, an HTML
page to write, text written to a file or stdout. Where the data comes from is in
:mod:`~regional_kg.commands.store_options`, which part of the network in
:mod:`~regional_kg.commands.network_options` (each imports what it needs, which not every
command does)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regional_kg.commands import COMMANDS
from regional_kg.errors import ParameterError

#: What a sub-command runs: the parsed options in, the exit status out.
Runner = Callable[[argparse.Namespace], int]


def add_command(
    subparsers: argparse._SubParsersAction, name: str, run: Runner, **fields: str
) -> argparse.ArgumentParser:
    """The parser of sub-command ``name``, which runs ``run``, with its help and description
    from :data:`~regional_kg.commands.COMMANDS` (``fields`` filled into the description)."""
    command = COMMANDS[name]
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=command.help, description=command.description.format(**fields)
    )
    parser.set_defaults(func=run)
    return parser


def add_repeatable(
    parser: argparse._ActionsContainer, *flags: str, metavar: str, help: str
) -> None:
    """Option ``flags`` given any number of times, each value kept in order (none: ``[]``)."""
    parser.add_argument(*flags, action="append", default=[], metavar=metavar, help=help)


def check_at_least_one(flag: str, value: int | None) -> None:
    """Refuse a count option (``--top``, ``--sample``) below 1; ``None`` is its default."""
    if value is not None and value < 1:
        raise ParameterError(f"{flag} {value}: must be at least 1")


def passed_on(args: argparse.Namespace, *names: str, **renamed: str) -> dict[str, Any]:
    """Options handed on to the API as keywords: ``names`` under their own name, ``renamed``
    as ``keyword="option"`` (so a call lists what it passes on once, not ``x=args.x`` each)."""
    keywords = {name: getattr(args, name) for name in names}
    keywords.update({keyword: getattr(args, option) for keyword, option in renamed.items()})
    return keywords


def add_period(parser: argparse._ActionsContainer, what: str) -> None:
    """``--since Y`` and ``--until Y``: only ``what`` (relations, events) of those years."""
    parser.add_argument("--since", type=int, metavar="Y", help=f"only {what} from year Y on")
    parser.add_argument("--until", type=int, metavar="Y", help=f"only {what} up to year Y")


def add_page_options(parser: argparse.ArgumentParser) -> None:
    """``--title`` and the required ``-o FILE.html`` of a command that writes an HTML page."""
    parser.add_argument("--title", default=None, help="heading of the page")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html")


def page_path(args: argparse.Namespace) -> Path:
    """``-o`` of :func:`add_page_options`, refused unless it names a ``.html`` file."""
    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ParameterError(f"-o {out}: the page must be written to a .html file")
    return out


def add_text_output(parser: argparse.ArgumentParser) -> None:
    """``-o FILE``: where a command that prints its text by default writes it instead."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")


def write_text_output(text: str, output: str | None) -> None:
    """``text`` into ``-o FILE`` of :func:`add_text_output`, else onto stdout."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
