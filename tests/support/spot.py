"""Spot-check helpers for the curated graph's tests (tests/graph/test_graph_*.py): a SELECT with
the prefixes those checks use, the paragraphs a node cites from one document, and the bounds of
a period."""

from __future__ import annotations

from rdflib import URIRef

PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def select(store, query: str, **bindings: str) -> list:
    """The rows of ``query`` (after :data:`PREFIXES`), each keyword bound to that IRI."""
    return list(store.select(PREFIXES + query, {k: URIRef(v) for k, v in bindings.items()}))


def paragraphs(store, node: str, doc: str) -> list[int]:
    """The paragraph numbers ``node`` cites from the document ``doc``, sorted."""
    rows = select(
        store,
        "SELECT ?p WHERE { ?n prov:qualifiedDerivation [ prov:entity ?doc ; rkg:paragraph ?p ] }",
        n=node,
        doc=doc,
    )
    return sorted(int(r["p"].toPython()) for r in rows)


def interval_bounds(store, period: str) -> list[tuple[str, str]]:
    """``(beginning, end)`` of the OWL-Time interval ``period``, each a year, a month or a day."""
    rows = select(
        store,
        """SELECT ?b ?e WHERE { ?i a time:ProperInterval ;
             time:hasBeginning/(time:inXSDgYear|time:inXSDgYearMonth|time:inXSDDate) ?b ;
             time:hasEnd/(time:inXSDgYear|time:inXSDgYearMonth|time:inXSDDate) ?e }""",
        i=period,
    )
    return [(str(r["b"]), str(r["e"])) for r in rows]
