"""Stores: one SPARQL interface (:class:`~regional_kg.stores.base.Store`) over three engines.

:func:`open_store` turns a spec into a store: ``memory`` (rdflib), ``oxigraph`` (in memory),
``oxigraph:DIR`` (on disk), ``sparql:QUERY_URL`` (a remote endpoint).
"""

from __future__ import annotations

from regional_kg.stores.base import QueryError, SelectResult, Store, StoreError
from regional_kg.stores.memory import MemoryStore
from regional_kg.stores.oxigraph import OxigraphStore
from regional_kg.stores.remote import open_remote
from regional_kg.stores.spec import SPEC_HELP, BadStoreSpec, Kind, StoreSpec

__all__ = [
    "open_store",
    "kind_of",
    "Store",
    "StoreSpec",
    "SelectResult",
    "StoreError",
    "QueryError",
    "BadStoreSpec",
    "SPEC_HELP",
]


def open_store(spec: str | StoreSpec | Store = "oxigraph", *, read_only: bool = False) -> Store:
    """The store for ``spec``; a :class:`Store` passes through unchanged.

    >>> open_store("memory").spec
    'memory'
    >>> len(open_store("oxigraph"))
    0
    """
    if isinstance(spec, Store):
        return spec
    parsed = StoreSpec.parse(spec)
    if parsed.kind == "memory":
        return MemoryStore()
    if parsed.kind == "oxigraph":
        return OxigraphStore()
    if parsed.kind == "oxigraph-disk":
        return OxigraphStore(parsed.path, read_only=read_only)
    return open_remote(parsed.text)


def kind_of(spec: str | StoreSpec | Store) -> Kind:
    """``memory``, ``oxigraph``, ``oxigraph-disk`` or ``sparql`` for a spec (no store opened)."""
    if isinstance(spec, Store):
        return spec.kind
    return StoreSpec.parse(spec).kind
