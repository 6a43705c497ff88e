"""rdflib in memory (``memory``): the reference engine, slow but pure Python and always there.

The dataset is an rdflib ``Dataset(default_union=True)``, so a query's default graph is the union
of the named graphs, as in every store. Bindings go in as a ``VALUES`` block at the start of the
first ``WHERE`` group (:meth:`~regional_kg.stores.base.Store.bind`) rather than through
``initBindings``: it is the same text the remote store sends, and it makes rows equal Oxigraph's
substitution for the catalogue's queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.term import Node

from regional_kg.stores.base import Bindings, QueryError, SelectResult, Store, StoreError


def _is_default(name: object) -> bool:
    return name == DATASET_DEFAULT_GRAPH_ID or not isinstance(name, URIRef)


def named_quads(dataset: Dataset) -> list[tuple[Node, Node, Node, URIRef]]:
    """Every quad of ``dataset`` in one pass; raise if triples sit in the default graph.

    (rdflib's in-memory store scans *all* triples to iterate one graph, so going graph by
    graph costs graphs × triples; one pass over the quads does not.)
    """
    quads = list(dataset.quads((None, None, None, None)))
    outside = sum(1 for q in quads if _is_default(q[3]))
    if outside:
        raise StoreError(
            f"{outside} triple(s) are outside any named graph; "
            "the store keeps data in named graphs only"
        )
    return cast(list[tuple[Node, Node, Node, URIRef]], quads)  # (checked above)


def nquads_bytes(quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> bytes:
    """N-Quads text for ``quads`` (rdflib's own row writer: exact escaping)."""
    return "".join(_nq_row((s, p, o), g) for s, p, o, g in quads).encode("utf-8")


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The non-empty named graphs of ``dataset``; raise if triples sit in the default graph."""
    graphs = []
    for graph in dataset.graphs():
        if not len(graph):
            continue
        if _is_default(graph.identifier):
            raise StoreError(
                f"{len(graph)} triple(s) are outside any named graph; "
                "the store keeps data in named graphs only"
            )
        graphs.append(graph)
    return graphs


#: Datatypes Oxigraph stores as values, writing them back in canonical form ("1.50" → "1.5").
CANONICAL_DATATYPES = frozenset(
    XSD[name]
    for name in (
        "decimal integer int long short byte nonNegativeInteger positiveInteger "
        "nonPositiveInteger negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte "
        "double float boolean"
    ).split()
)


def canonical_forms(literals: Iterable[Node]) -> dict[Node, Literal]:
    """Literals whose lexical form Oxigraph would change, mapped to the form it keeps.

    Oxigraph stores numbers and booleans as values, so ``"1.50"^^xsd:decimal`` comes back as
    ``"1.5"``. The rdflib store applies the same forms on load (asking Oxigraph itself, so the
    two can never disagree), which keeps rows and exports equal across engines.
    """
    candidates = [
        lit
        for lit in set(literals)
        if isinstance(lit, Literal) and lit.datatype in CANONICAL_DATATYPES
    ]
    if not candidates:
        return {}
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:x-rkg:canonical")
    quads = []
    for i, lit in enumerate(candidates):
        term = ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))
        quads.append(ox.Quad(ox.NamedNode(f"urn:x-rkg:{i}"), predicate, term))
    scratch.extend(quads)
    mapping: dict[Node, Literal] = {}
    for quad in scratch:
        lit = candidates[int(quad.subject.value[len("urn:x-rkg:") :])]
        if quad.object.value != str(lit):
            mapping[lit] = Literal(quad.object.value, datatype=lit.datatype)
    return mapping


class MemoryStore(Store):
    """An rdflib ``Dataset`` in this process."""

    spec = "memory"
    persistent = False

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)

    @property
    def dataset(self) -> Dataset:
        """The underlying rdflib Dataset (read it, do not write it behind the store's back)."""
        return self._ds

    def _query(self, query: str, bindings: Bindings | None):
        text = self.bind(query, bindings)
        try:
            return self._ds.query(text)
        except Exception as exc:  # pyparsing and evaluation errors come in many kinds
            raise QueryError(f"memory: {type(exc).__name__}: {exc}") from exc

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        result = self._query(query, bindings)
        if result.type != "SELECT":
            raise QueryError(f"memory: expected a SELECT query, got {result.type}")
        variables = [str(v) for v in result.vars or []]
        try:
            rows = [
                {name: row[i] for i, name in enumerate(variables) if row[i] is not None}
                for row in result
            ]
        except Exception as exc:
            raise QueryError(f"memory: {type(exc).__name__}: {exc}") from exc
        return SelectResult(variables, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self._query(query, bindings)
        if result.type != "ASK":
            raise QueryError(f"memory: expected an ASK query, got {result.type}")
        return bool(result.askAnswer)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        result = self._query(query, bindings)
        if result.type not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"memory: expected a CONSTRUCT or DESCRIBE query, got {result.type}")
        graph = Graph()
        for triple in result.graph or ():
            graph.add(triple)
        return graph

    def load(self, dataset: Dataset, *, replace: bool = False) -> None:
        quads = named_quads(dataset)  # checks before touching anything: all-or-nothing
        canonical = canonical_forms(q[2] for q in quads)
        target = Dataset(default_union=True) if replace else self._ds
        graphs: dict[URIRef, Graph] = {}
        for name in {q[3] for q in quads}:
            graphs[name] = target.graph(name)
        target.addN((s, p, canonical.get(o, o), graphs[g]) for s, p, o, g in quads)
        self._ds = target
        self.generation += 1

    def dump(self, format: str = "nquads") -> bytes:
        if format not in ("nquads", "trig"):
            raise StoreError(f"cannot dump as {format!r}: use nquads or trig")
        quads = named_quads(self._ds)
        if format == "nquads":
            return nquads_bytes(quads)
        out = Dataset()
        out.addN((s, p, o, out.graph(g)) for s, p, o, g in quads)
        return out.serialize(format=format, encoding="utf-8")

    def update(self, update: str) -> None:
        self.generation += 1  # (also when the update fails half-way)
        try:
            self._ds.update(update)
        except Exception as exc:
            raise QueryError(f"memory: {type(exc).__name__}: {exc}") from exc

    def graph_names(self) -> list[URIRef]:
        return sorted({q[3] for q in named_quads(self._ds)})

    def __len__(self) -> int:
        return len(named_quads(self._ds))
