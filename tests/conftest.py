"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # test helper modules (browser, ...)


# --- a real Oxigraph server (remote store, enrichment tests) -----------------------------------


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator:
    """``oxigraph serve --location TMP --bind 127.0.0.1:FREEPORT`` for the session, then stopped.

    Tests that share it clear it first (``oxigraph_server.clear()``); use
    :func:`sparql_store_spec` for a ``sparql:`` spec with the update URL.
    """
    from oxigraph_server import start_oxigraph_server

    server, tmp = start_oxigraph_server()
    try:
        yield server
    finally:
        server.stop()
        tmp.cleanup()


def sparql_store_spec(server, *, update: bool = True, store: bool = False) -> str:
    """The ``sparql:QUERY_URL#update=...`` store spec for an Oxigraph test server."""
    return server.spec(update=update, store=store)
