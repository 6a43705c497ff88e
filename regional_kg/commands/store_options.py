"""Where a command's data comes from and which store holds it: ``--source``, ``--store`` and
``--no-validate``, and the store they name. Apart from :mod:`~regional_kg.commands.common`
because it reaches the build, which the commands that read no store (``synth``, ``sheet``) do
without.

A reading command on the default store answers from the store an earlier command built for the
same inputs when there is one (:mod:`regional_kg.store_cache`), and only otherwise builds --
which is why the build is imported where it runs, in :func:`_obtain`, not at the top: importing
it (rdflib's SPARQL engine, the sheet compiler, the shape compiler) took 0.17 s, more than a
whole ``rkg query`` answered from the cache.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from typing import Any, TextIO

from regional_kg import store_cache
from regional_kg.commands.common import Runner, add_command, add_repeatable
from regional_kg.stores.base import Store
from regional_kg.stores.spec import StoreSpec

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
    ``memory`` and ``oxigraph`` get the curated graph plus the sources built on the fly -- for a
    reading command on ``oxigraph``, once: the built store is cached on disk and opened
    read-only by the next command with the same inputs (:mod:`regional_kg.store_cache`). An
    on-disk store opened ``read_only`` takes no lock, so it can be read while e.g. ``rkg serve``
    has it open.
    """
    validate = not args.no_validate
    if read_only and StoreSpec.parse(args.store).kind == "oxigraph":
        return cached_store(args.source, validate=validate)
    return _obtain(args.store, args.source, validate=validate, read_only=read_only)


def cached_store(sources: Sequence[str], *, validate: bool) -> Store:
    """The curated graph plus ``sources`` on the default store, from the cache when it holds
    this build (what the build said on stderr is said again), else built and then cached."""
    entry = store_cache.entry_for(sources, validate=validate)
    hit = entry.open() if entry is not None else None
    if hit is not None:
        sys.stderr.write(hit.messages)
        return hit.store
    with _recording_stderr() as said:
        store = _obtain(DEFAULT_STORE, sources, validate=validate, read_only=True)
    if entry is not None and store.native is not None:
        entry.save(store.native, said.getvalue())
    return store


def _obtain(spec: str, sources: Sequence[str], **options: Any) -> Store:
    """:func:`regional_kg.build.obtain_store`, imported here: see the module notes."""
    from regional_kg.build import obtain_store

    return obtain_store(spec, sources=sources, **options)


class _Tee(io.StringIO):
    """Text written to it is kept and passed on to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(text)
        return super().write(text)

    def flush(self) -> None:
        self.stream.flush()


@contextmanager
def _recording_stderr() -> Iterator[io.StringIO]:
    """stderr as it is, with a copy of what is written to it in the block."""
    tee = _Tee(sys.stderr)
    with redirect_stderr(tee):
        yield tee


def add_store_command(
    subparsers: argparse._SubParsersAction, name: str, run: Runner
) -> argparse.ArgumentParser:
    """The parser of a command that reads a store (:func:`add_command`), its store options
    first."""
    parser = add_command(subparsers, name, run)
    add_store_options(parser)
    return parser
