"""Where a command's data comes from and which store holds it: ``--source``, ``--store`` and
``--no-validate``, and the store they name. Apart from :mod:`~regional_kg.commands.common`
because it imports the build, which the commands that read no store (``synth``, ``sheet``) do
without."""

from __future__ import annotations

import argparse

from regional_kg.build import obtain_store
from regional_kg.commands.common import Runner, add_command, add_repeatable
from regional_kg.stores.base import Store

DEFAULT_STORE = "oxigraph"


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--source``, ``--store`` and ``--no-validate``: what :func:`store_from_args` reads."""
    add_repeatable(
        parser,
        "--source",
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
    return obtain_store(
        args.store, sources=args.source, validate=not args.no_validate, read_only=read_only
    )


def add_store_command(
    subparsers: argparse._SubParsersAction, name: str, run: Runner
) -> argparse.ArgumentParser:
    """The parser of a command that reads a store (:func:`add_command`), its store options
    first."""
    parser = add_command(subparsers, name, run)
    add_store_options(parser)
    return parser
