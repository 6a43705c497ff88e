"""The union copy a build leaves in the default graph, in memory and on disk: exactly the set
union of the named graphs, a triple two graphs state held once, blank nodes the same nodes as in
their graph (the on-disk build writes each quad and its copy in one bulk load; the in-memory one
copies graph by graph with ``ADD``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from regional_kg.build import build, native
from regional_kg.stores.oxigraph import OxigraphStore, union_update

RKG = "https://w3id.org/regional-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
SOURCE = f"""@prefix rkg: <{RKG}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
rkg:State a owl:Class .
<urn:x:a> <urn:x:p> [ <urn:x:q> "v" ] .
"""


def _triples(store: ox.Store, graph: object) -> set[tuple[object, object, object]]:
    quads = store.quads_for_pattern(None, None, None, graph)  # type: ignore[arg-type]
    return {(q.subject, q.predicate, q.object) for q in quads}


def _check_union(store: ox.Store) -> None:
    union: set[tuple[object, object, object]] = set()
    for graph in store.named_graphs():
        union |= _triples(store, graph)
    default = _triples(store, ox.DefaultGraph())
    assert default == union  # the same terms: blank nodes included
    state = (ox.NamedNode(f"{RKG}State"), ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL_CLASS))
    holding = [g for g in store.named_graphs() if state in _triples(store, g)]
    assert len(holding) == 2  # the ontology's and the source's
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    rows = list(store.query(count))  # type: ignore[arg-type]
    assert int(rows[0]["n"].value) == len(union)  # once, not once per graph
    assert any(isinstance(s, ox.BlankNode) for s, _, _ in default)


@pytest.mark.parametrize("on_disk", [False, True])
def test_build_leaves_the_set_union_in_the_default_graph(
    tmp_path: Path, on_disk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "_BULK_BATCH", 5000)  # on disk: many bulk loads, copies across them
    source = tmp_path / "mine.ttl"
    source.write_text(SOURCE)
    spec = f"oxigraph:{tmp_path / 'kg'}" if on_disk else "oxigraph"
    result = build([source], store=spec, validate=False, use_cache=False)
    store = result.store
    assert isinstance(store, OxigraphStore) and store.union_ready
    _check_union(store.native)
    assert len(store) == sum(result.counts.values())  # the copy is not counted
    if on_disk:
        store.close()
        reopened = OxigraphStore(tmp_path / "kg", read_only=True)
        assert reopened.union_ready
        _check_union(reopened.native)


def test_union_update_replaces_a_stale_default_graph() -> None:
    store = ox.Store()
    a, p = ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p")
    store.add(ox.Quad(a, p, ox.Literal("stale"), ox.DefaultGraph()))
    for name, value in (("urn:g:1", "x"), ("urn:g:2", "x"), ("urn:g:2", "y")):
        store.add(ox.Quad(a, p, ox.Literal(value), ox.NamedNode(name)))
    store.update(union_update(store))
    assert {t[2] for t in _triples(store, ox.DefaultGraph())} == {ox.Literal("x"), ox.Literal("y")}


def test_union_update_with_a_blank_node_graph_name() -> None:
    store = ox.Store()
    a, p, g = ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.BlankNode()
    store.add(ox.Quad(a, p, ox.Literal("x"), g))
    store.update(union_update(store))  # (ADD cannot name a blank node: the INSERT form)
    assert _triples(store, ox.DefaultGraph()) == {(a, p, ox.Literal("x"))}
