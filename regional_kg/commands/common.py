"""Options shared by the sub-commands, each group in one place so the commands that take it
spell, check and document it the same way: registering a command, where the data comes from
and which store holds it, which part of the network, a period of years, an HTML page to write,
text written to a file or stdout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from regional_kg.errors import ParameterError
from regional_kg.stores.base import Store

DEFAULT_STORE = "oxigraph"

#: What a sub-command runs: the parsed options in, the exit status out.
Runner = Callable[[argparse.Namespace], int]


def add_command(
    subparsers: argparse._SubParsersAction, name: str, run: Runner, help: str, description: str
) -> argparse.ArgumentParser:
    """The parser of sub-command ``name`` (listed with ``help``), which runs ``run``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help, description=description
    )
    parser.set_defaults(func=run)
    return parser


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="PATH",
        help="extra RDF file or folder (Turtle, TriG, N-Triples, N-Quads, JSON-LD) or sheet "
        "(.yaml, docs/sheets.md); repeatable",
    )
    parser.add_argument(
        "--store",
        default=DEFAULT_STORE,
        metavar="SPEC",
        help="memory | oxigraph | oxigraph:DIR | sparql:QUERY_URL (default: %(default)s)",
    )
    parser.add_argument(
        "--no-validate", action="store_true", help="skip SHACL validation when building on the fly"
    )


def store_from_args(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    """The store a command reads from (``read_only``: a command that never writes to it).

    A persistent store (``oxigraph:DIR``, ``sparql:URL``) is never written here: it must exist
    and hold data (what ``rkg build`` loaded) and is used as it is; with ``--source`` the command
    answers over an in-memory copy of it plus the sources (:func:`regional_kg.build.overlay`).
    ``memory`` and ``oxigraph`` get the curated graph plus the sources built on the fly. An
    on-disk store opened ``read_only`` takes no lock, so it can be read while e.g. ``rkg serve``
    has it open.
    """
    from regional_kg.build import obtain_store

    return obtain_store(
        args.store, sources=args.source, validate=not args.no_validate, read_only=read_only
    )


def add_period(parser: argparse._ActionsContainer, what: str) -> None:
    """``--since Y`` and ``--until Y``: only ``what`` (relations, events) of those years."""
    parser.add_argument("--since", type=int, metavar="Y", help=f"only {what} from year Y on")
    parser.add_argument("--until", type=int, metavar="Y", help=f"only {what} up to year Y")


def add_network_selection(parser: argparse._ActionsContainer, *, layer_default: str) -> None:
    """``--layer``, ``--view``, ``--year``, ``--since``, ``--until``: which part of the network.

    Shared by ``rkg centrality`` and ``rkg export --format graphml|gexf`` so the two select the
    same relations the same way; ``layer_default`` says in the help what no ``--layer`` means.
    """
    from regional_kg.network.projection import LAYERS, VIEWS

    parser.add_argument(
        "--layer",
        action="append",
        metavar="L",
        help=f"layer: {', '.join(LAYERS)}, all (repeatable; default: {layer_default})",
    )
    parser.add_argument("--view", default="partners", metavar="VIEW", help=" | ".join(VIEWS))
    parser.add_argument("--year", type=int, help="only relations of this year")
    add_period(parser, "relations")


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
