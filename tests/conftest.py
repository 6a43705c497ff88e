"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# Importing graphs points every build of this session at the seed graph (RKG_GRAPH_DIR) first.
from tests.support.graphs import REPO, SHIPPED_GRAPH_DIR, full_graph_env

__all__ = ["REPO", "SHIPPED_GRAPH_DIR", "full_graph_env"]

# --- a real Oxigraph server (remote store, enrichment tests) -----------------------------------


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator:
    """``oxigraph serve --location TMP --bind 127.0.0.1:FREEPORT`` for the session, then stopped.

    Tests that share it clear it first (``oxigraph_server.clear()``); use
    :func:`sparql_store_spec` for a ``sparql:`` spec with the update URL.
    """
    from tests.support.oxigraph_server import start_oxigraph_server

    server, tmp = start_oxigraph_server()
    try:
        yield server
    finally:
        server.stop()
        tmp.cleanup()


def sparql_store_spec(server, *, update: bool = True, store: bool = False) -> str:
    """The ``sparql:QUERY_URL#update=...`` store spec for an Oxigraph test server."""
    return server.spec(update=update, store=store)


# --- the curated graph, built once per store kind (core) ----------------------------------------

#: Store kinds the parametrised ``store_kind`` / ``curated_store`` fixtures run over. Tests that
#: need one store only use ``curated_oxigraph``. (The remote-store tests may add ``"sparql"``.)
STORE_KINDS = ["memory", "oxigraph", "sparql"]

_CURATED_BUILDS: dict[str, object] = {}


def build_curated(kind: str, request=None):  # type: ignore[no-untyped-def]
    """The curated graph (ontology + graph/, not validated: test_loader validates) in ``kind``.

    Built once per session and kind; ``request`` lets a ``sparql`` kind reach a server fixture.
    """
    if kind not in _CURATED_BUILDS:
        from regional_kg.build import build

        store: str = kind
        if kind == "sparql":
            if request is None:
                raise RuntimeError("the sparql kind needs the pytest request")
            store = sparql_store_spec(request.getfixturevalue("oxigraph_server"))
        _CURATED_BUILDS[kind] = build(store=store, validate=False)
    return _CURATED_BUILDS[kind]


@pytest.fixture(scope="session", params=STORE_KINDS)
def store_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def curated_build(store_kind, request):  # type: ignore[no-untyped-def]
    """A :class:`~regional_kg.build.BuildResult` of the curated graph, per store kind."""
    return build_curated(store_kind, request)


@pytest.fixture(scope="session")
def curated_store(curated_build):  # type: ignore[no-untyped-def]
    """The curated graph in each kind of store (read it, do not write it)."""
    return curated_build.store


@pytest.fixture(scope="session")
def curated_oxigraph():  # type: ignore[no-untyped-def]
    """The curated graph in an in-memory Oxigraph store (read it, do not write it)."""
    return build_curated("oxigraph").store


@pytest.fixture(scope="session")
def curated_memory():  # type: ignore[no-untyped-def]
    """The curated graph in an rdflib store (read it, do not write it)."""
    return build_curated("memory").store


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    """A fresh folder for files a test writes (sources, exports, on-disk stores)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session", autouse=True)
def _validation_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the loader's validation cache out of the user's home during tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RKG_CACHE_DIR", str(tmp_path_factory.mktemp("rkg-cache")))
        yield


# --- the whole shipped graph (2017-2025), built once per session -------------------------------

_FULL_BUILD: list[object] = []


def build_full_graph():  # type: ignore[no-untyped-def]
    """The whole shipped ``graph/`` (seed plus every web source), validated, in Oxigraph."""
    if not _FULL_BUILD:
        from regional_kg.build import build

        with full_graph_env():
            _FULL_BUILD.append(build(store="oxigraph", validate=True))
    return _FULL_BUILD[0]


@pytest.fixture(scope="session")
def full_graph_store():  # type: ignore[no-untyped-def]
    """The 2017-2025 graph in an in-memory Oxigraph store (read it, do not write it)."""
    return build_full_graph().store  # type: ignore[attr-defined]
