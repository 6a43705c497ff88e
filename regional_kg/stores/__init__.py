"""Stores: one SPARQL interface (:class:`~regional_kg.stores.base.Store`) over three engines.

:func:`open_store` turns a spec into a store: ``memory`` (rdflib), ``oxigraph`` (in memory),
``oxigraph:DIR`` (on disk), ``sparql:QUERY_URL`` (a remote endpoint).
"""

from __future__ import annotations

from regional_kg.errors import UserError
from regional_kg.stores.base import QueryError, SelectResult, Store, StoreError

__all__ = ["open_store", "Store", "SelectResult", "StoreError", "QueryError", "BadStoreSpec"]


class BadStoreSpec(UserError):
    """The ``--store`` value names no kind of store we know."""


SPEC_HELP = "memory | oxigraph | oxigraph:DIR | sparql:QUERY_URL"


def open_store(spec: str | Store = "oxigraph", *, read_only: bool = False) -> Store:
    """The store for ``spec``; a :class:`Store` passes through unchanged.

    >>> open_store("memory").spec
    'memory'
    >>> len(open_store("oxigraph"))
    0
    """
    if isinstance(spec, Store):
        return spec
    spec = str(spec).strip()
    if spec == "memory":
        from regional_kg.stores.memory import MemoryStore

        return MemoryStore()
    if spec == "oxigraph":
        from regional_kg.stores.oxigraph import OxigraphStore

        return OxigraphStore()
    if spec.startswith("oxigraph:"):
        path = spec[len("oxigraph:") :]
        if not path:
            raise BadStoreSpec(f"store spec {spec!r} needs a folder: oxigraph:DIR")
        from regional_kg.stores.oxigraph import OxigraphStore

        return OxigraphStore(path, read_only=read_only)
    if spec.startswith("sparql:"):
        from regional_kg.stores.remote import open_remote

        return open_remote(spec)
    raise BadStoreSpec(f"unknown store spec {spec!r}; use {SPEC_HELP}")


def kind_of(spec: str | Store) -> str:
    """``memory``, ``oxigraph``, ``oxigraph-disk`` or ``sparql`` for a spec (no store opened)."""
    if isinstance(spec, Store):
        spec = spec.spec
    if spec == "memory" or spec == "oxigraph":
        return spec
    if spec.startswith("oxigraph:"):
        return "oxigraph-disk"
    if spec.startswith("sparql:"):
        return "sparql"
    raise BadStoreSpec(f"unknown store spec {spec!r}; use {SPEC_HELP}")
