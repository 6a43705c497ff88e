"""Triples stated in several graphs cannot change a catalogue query's rows.

Oxigraph's own union default graph yields a triple once per graph holding it (rdflib merges
the graphs); the Oxigraph store reads a de-duplicated copy instead (see
``regional_kg.stores.oxigraph`` for why), and the queries are written so that repeats could not
change their rows anyway. The data repeats triples often: web-source graphs
restate a state's type and label, several documents report one fact (the corroboration
fixture). Here every quad of the curated seed graph plus the corroboration fixture is stated a
second time in one more named graph; every catalogue query, with its examples' parameters and
with none, must give exactly the same rows (same order) with and without that graph, on the
Oxigraph store and on the rdflib store.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from regional_kg.catalogue import catalogue, run_query
from regional_kg.stores.memory import MemoryStore
from regional_kg.stores.oxigraph import OxigraphStore
from tests.graph.test_queries_curated import CASES, comparable, examples_store

DUPLICATE = "https://w3id.org/regional-kg/graph/source/duplicate-of-everything"


def _with_duplicate(export: bytes) -> bytes:
    raw = ox.Store()
    raw.load(export, format=ox.RdfFormat.N_QUADS)
    copy = ox.NamedNode(DUPLICATE)
    raw.extend([ox.Quad(q.subject, q.predicate, q.object, copy) for q in raw])
    return raw.dump(format=ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def stores() -> dict[str, object]:
    base = examples_store("oxigraph")
    export = base.dump("nquads")
    doubled = _with_duplicate(export)
    result: dict[str, object] = {"oxigraph": base}
    for name, data in (("oxigraph+duplicate", doubled), ("memory+duplicate", doubled)):
        store = OxigraphStore() if name.startswith("oxigraph") else MemoryStore()
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=data, format="nquads")
        store.load(dataset)
        result[name] = store
    return result


def test_the_duplicate_graph_repeats_every_triple(stores):
    base, doubled = stores["oxigraph"], stores["oxigraph+duplicate"]
    distinct = int(base.select("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o "
                               "{ GRAPH ?g { ?s ?p ?o } } }").rows[0]["n"])
    assert len(doubled) == len(base) + distinct > 1000
    plain = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    # the default graph merges the graphs (as SPARQL's RDF merge and rdflib do): no repeats
    for store in (base, doubled, stores["memory+duplicate"]):
        assert int(store.select(plain).rows[0]["n"]) == distinct


def _cases():
    cases = [(spec, params) for spec, params in CASES]
    cases += [(spec, {}) for spec in catalogue() if not any(p.required for p in spec.params)]
    return cases


@pytest.mark.parametrize(
    "spec,params", _cases(), ids=[f"{s.name}-{i}" for i, (s, _) in enumerate(_cases())]
)
def test_same_rows_with_and_without_a_duplicate_graph(stores, spec, params):
    expected = comparable(run_query(stores["oxigraph"], spec.name, params))
    assert expected, f"{spec.name} {params}: no rows to compare"
    for name in ("oxigraph+duplicate", "memory+duplicate"):
        got = comparable(run_query(stores[name], spec.name, params))
        assert got == expected, f"{spec.name} {params}: {name} differs"


def test_corroboration_counts_documents_not_graphs(stores):
    """The visit reported by two pages: two documents, whatever the number of graphs."""
    visit = "https://w3id.org/regional-kg/id/visit/2021-03-11-kg-uz-test"
    for name in ("oxigraph", "oxigraph+duplicate", "memory+duplicate"):
        rows = {str(r["fact"]): r for r in run_query(stores[name], "corroboration")}
        assert (int(rows[visit]["documents"]), int(rows[visit]["publishers"])) == (2, 2), name
