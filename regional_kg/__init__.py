"""regional-kg: a curated knowledge graph and toolkit for international relations in Central Asia.

The Python API (the ``rkg`` command is a thin layer over them)::

    >>> import regional_kg as rkg
    >>> result = rkg.build()                      # ontology + curated graph, validated
    >>> result.report.conforms
    True
    >>> rows = rkg.run_query(result.store, "visits", {"state": "KZ"})
    >>> turtle = rkg.export(result.store, "ttl", inferred=False)

    >>> store = rkg.open_store("oxigraph:/tmp/kg")  # what `rkg build --store oxigraph:/tmp/kg` kept
    >>> ranking = rkg.centrality(result.store, ["trade"], year=2017, ego="KZ")
    >>> [row["label"] for row in ranking]
    ['Uzbekistan', 'Tajikistan', 'Kyrgyzstan', 'Turkmenistan']
    >>> by_year = rkg.centrality_by_year(result.store, since=2017)  # tidy rows per year
    >>> graph = rkg.project(result.store, ["treaty", "diplomatic"])   # networkx MultiGraph
    >>> html = rkg.render_network(graph)       # an offline page; rkg.show(graph) in Jupyter

Names are imported lazily (PEP 562 ``__getattr__`` over :data:`_WHERE`), the one place in the
package that defers imports on purpose: ``import regional_kg`` runs for every ``rkg`` command,
and eager re-exports would make each of them import the build, the network measures (networkx)
and the page renderer (pyvis) before it starts, ``rkg --help`` included. The names stay
discoverable: type checkers and IDEs read the ``TYPE_CHECKING`` imports, ``dir()`` lists them.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from regional_kg.build import BuildResult, build, obtain_store
    from regional_kg.catalogue import run_query
    from regional_kg.errors import (
        ParameterError,
        SourceSyntaxError,
        UserError,
        ValidationFailed,
    )
    from regional_kg.export import export
    from regional_kg.network import centrality, centrality_by_year, export_network, project
    from regional_kg.page import render_network, show
    from regional_kg.stores import open_store
    from regional_kg.stores.base import QueryError, SelectResult, Store, StoreError

__all__ = [
    "build",
    "open_store",
    "run_query",
    "export",
    "obtain_store",
    "centrality",
    "centrality_by_year",
    "project",
    "export_network",
    "render_network",
    "show",
    "BuildResult",
    "Store",
    "SelectResult",
    "StoreError",
    "QueryError",
    "UserError",
    "SourceSyntaxError",
    "ValidationFailed",
    "ParameterError",
]

_WHERE = {
    "build": "regional_kg.build",
    "obtain_store": "regional_kg.build",
    "BuildResult": "regional_kg.build",
    "open_store": "regional_kg.stores",
    "run_query": "regional_kg.catalogue",
    "export": "regional_kg.export",
    "centrality": "regional_kg.network",
    "centrality_by_year": "regional_kg.network",
    "project": "regional_kg.network",
    "export_network": "regional_kg.network",
    "render_network": "regional_kg.page",
    "show": "regional_kg.page",
    "Store": "regional_kg.stores.base",
    "SelectResult": "regional_kg.stores.base",
    "StoreError": "regional_kg.stores.base",
    "QueryError": "regional_kg.stores.base",
    "UserError": "regional_kg.errors",
    "SourceSyntaxError": "regional_kg.errors",
    "ValidationFailed": "regional_kg.errors",
    "ParameterError": "regional_kg.errors",
}


def __getattr__(name: str) -> Any:
    """Import an API name on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'regional_kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _DropConversionFailures(logging.Filter):
    """Drop the traceback rdflib logs for each literal whose text does not fit its datatype.

    rdflib logs "Failed to convert Literal lexical form to value" *with a full traceback* for
    every ``"yesterday"^^xsd:date`` it reads, so ``--store memory`` printed tracebacks for bad
    data. Such a literal is the data's problem, not the program's: the loader names it (file,
    line, node; :func:`regional_kg.build.sources.read_quads`) and the shapes reject it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_DropConversionFailures())
