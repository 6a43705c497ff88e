"""The SPARQL servers ``benchmarks.anchored --servers`` loads and queries through the remote
store: ``oxigraph serve`` (union default graph) and Virtuoso (Debian's ``virtuoso-opensource``,
started like the tests start it: ``tests/support/virtuoso.py``), each on free loopback ports."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmarks.common import Server


def server_specs(log: Callable[[str], None]) -> Iterator[tuple[str, str, Callable[[], None]]]:
    """``(name, sparql: spec, stop)`` for each server that can be started here."""
    folder = Path(tempfile.mkdtemp(prefix="rkg-bench-server-"))
    oxigraph = Server(folder / "oxigraph").__enter__()
    yield "oxigraph-server", oxigraph.spec, oxigraph.__exit__
    from tests.support import virtuoso
    if not virtuoso.available():
        log("  virtuoso-t is not installed: no Virtuoso figures")
        return
    server = virtuoso.start_virtuoso(buffers=60000)
    os.environ["RKG_SPARQL_PASSWORD"] = virtuoso.PASSWORD  # the worker inherits it
    yield "virtuoso", server.spec, server.stop
