"""The SPARQL servers ``benchmarks.anchored --servers`` loads and queries through the remote
store, each on free loopback ports, with the store's default ``union=copy`` (the de-duplicated
union written by the load, read as the default graph: ``regional_kg.stores.remote``):
``oxigraph serve`` with its default settings (no ``--union-default-graph``, whose union repeats a
triple once per graph) and Virtuoso (Debian's ``virtuoso-opensource``, started like the tests
start it: ``tests/support/virtuoso.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from tests.support import virtuoso
from tests.support.oxigraph_server import start_oxigraph_server


def server_specs(log: Callable[[str], None]) -> Iterator[tuple[str, str, Callable[[], None]]]:
    """``(name, sparql: spec, stop)`` for each server that can be started here."""
    oxigraph, folder = start_oxigraph_server()

    def stop_oxigraph() -> None:
        oxigraph.stop()
        folder.cleanup()

    yield "oxigraph-server", oxigraph.spec(store=True), stop_oxigraph
    if not virtuoso.available():
        log("  virtuoso-t is not installed: no Virtuoso figures")
        return
    server = virtuoso.start_virtuoso(buffers=60000)
    os.environ["RKG_SPARQL_PASSWORD"] = virtuoso.PASSWORD  # the worker inherits it
    yield "virtuoso", server.spec, server.stop
