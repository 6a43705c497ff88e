"""The inference rules at their edges, in both engines: the Python rules (rdflib builds) and the
SPARQL updates Oxigraph runs (native builds) derive the same triples, and ignore the same
malformed or out-of-scope axioms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from regional_kg.build.inference import materialise, read_axioms
from regional_kg.build.native import materialise_store
from regional_kg.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, RKGG
from regional_kg.stores.oxigraph import to_rdflib

EX = "http://example.org/"


def e(name: str) -> URIRef:
    return URIRef(EX + name)


def _rdf_list(graph, items: list[URIRef]) -> BNode:
    head = node = BNode()
    for i, item in enumerate(items):
        graph.add((node, RDF.first, item))
        following = BNode() if i < len(items) - 1 else RDF.nil
        graph.add((node, RDF.rest, following))
        node = following  # type: ignore[assignment]
    return head


def _dataset() -> Dataset:
    ds = Dataset()
    onto = ds.graph(ONTOLOGY_GRAPH)
    onto.add((e("Capital"), RDFS.subClassOf, e("Capital")))  # a loop: nothing to derive
    onto.add((e("Capital"), RDFS.subClassOf, Literal("City")))  # a literal: not a class
    onto.add((e("mother"), RDFS.subPropertyOf, e("parent")))
    onto.add((e("mother"), RDFS.subPropertyOf, e("mother")))
    onto.add((e("grandparent"), OWL.propertyChainAxiom, _rdf_list(onto, [e("parent")] * 2)))
    # a three-step chain and a malformed list are out of scope: nothing comes of them
    onto.add((e("ancestor3"), OWL.propertyChainAxiom, _rdf_list(onto, [e("parent")] * 3)))
    broken = BNode()
    onto.add((e("broken"), OWL.propertyChainAxiom, broken))
    onto.add((broken, RDF.rest, RDF.nil))
    onto.add((e("hostedBy"), OWL.inverseOf, e("hosts")))  # declared on the second property
    onto.add((e("hostedBy"), OWL.inverseOf, Literal("hosts")))
    onto.add((e("near"), RDF.type, OWL.SymmetricProperty))
    data = ds.graph(RKGG["source/x"])
    data.add((e("astana"), RDF.type, e("Capital")))
    data.add((e("x"), e("parent"), e("y")))
    data.add((e("y"), e("mother"), e("z")))  # parent only after a round: the chain joins later
    data.add((e("kz"), e("hosts"), e("summit")))
    data.add((e("kz"), e("hosts"), Literal("a summit")))  # a literal has no inverse
    data.add((e("a"), e("near"), e("b")))
    data.add((e("b"), e("near"), e("a")))  # already stated: not repeated as inferred
    return ds


EXPECTED = {
    (e("y"), e("parent"), e("z")),
    (e("x"), e("grandparent"), e("z")),
    (e("summit"), e("hostedBy"), e("kz")),
}


def test_axioms_leave_out_loops_literals_and_long_or_broken_chains() -> None:
    ds = _dataset()
    axioms = read_axioms((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None)))
    assert axioms.superclasses == {}
    assert axioms.superproperties == {e("mother"): {e("parent")}}
    assert axioms.inverses == {e("hostedBy"): {e("hosts")}, e("hosts"): {e("hostedBy")}}
    assert axioms.symmetric == {e("near")}
    assert [chain[2] for chain in axioms.chains][1:] == [e("grandparent")]  # after the fixed one


def test_python_rules_reach_the_fixpoint() -> None:
    ds = _dataset()
    assert materialise(ds) == len(EXPECTED)
    assert set(ds.graph(INFERRED_GRAPH)) == EXPECTED


@pytest.mark.parametrize("rerun", [False, True])
def test_oxigraph_rules_derive_the_same(rerun: bool) -> None:
    store = ox.Store()
    data = _dataset().serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS)
    if rerun:  # a second run replaces the inferred graph, never adds to it
        materialise_store(store)
    assert materialise_store(store) == len(EXPECTED)
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    got = {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for q in store.quads_for_pattern(None, None, None, inferred)
    }
    assert got == EXPECTED


def test_oxigraph_rules_follow_derivations_over_several_rounds() -> None:
    """Semi-naive rounds: a triple derived in one round feeds the rules in the next (sub-property
    -> chain -> inverse -> symmetric is four rounds), the same as the Python rules, and the graphs
    of the rounds' new triples are gone afterwards."""
    ds = _dataset()
    onto = ds.graph(ONTOLOGY_GRAPH)
    onto.add((e("grandchildOf"), OWL.inverseOf, e("grandparent")))
    onto.add((e("grandchildOf"), RDFS.subPropertyOf, e("kin")))
    onto.add((e("kin"), RDF.type, OWL.SymmetricProperty))
    expected = EXPECTED | {
        (e("z"), e("grandchildOf"), e("x")),
        (e("z"), e("kin"), e("x")),
        (e("x"), e("kin"), e("z")),
    }
    reference = _dataset()
    for triple in onto:
        reference.graph(ONTOLOGY_GRAPH).add(triple)
    assert materialise(reference) == len(expected)
    store = ox.Store()
    store.load(ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    assert materialise_store(store) == len(expected)
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    got = {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for q in store.quads_for_pattern(None, None, None, inferred)
    }
    assert got == expected == set(reference.graph(INFERRED_GRAPH))
    assert not [g for g in store.named_graphs() if "delta" in g.value]
