"""Tooltip evidence read from a store: names, asserted types, dates and derivations per fact."""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from regional_kg.namespaces import INFERRED_GRAPH, RKG, RKGG
from regional_kg.page import FactInfo
from regional_kg.page.evidence import fact_evidence
from regional_kg.stores.memory import MemoryStore
from regional_kg.stores.oxigraph import OxigraphStore

SCHEMA = "https://schema.org/"
EX = "http://example.org/"
DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def _dataset() -> Dataset:
    ds = Dataset()
    onto = ds.graph(RKGG["ontology"])
    onto.add((URIRef(EX + "Visit"), RDFS.label, Literal("State visit", lang="en")))
    onto.add((URIRef(EX + "Visit"), RDFS.label, Literal("Госвизит", lang="ru")))
    onto.add((URIRef(EX + "Event"), RDFS.label, Literal("Event")))
    data = ds.graph(RKGG["source/x"])
    fact = URIRef(EX + "visit")
    data.add((fact, RDF.type, URIRef(EX + "Visit")))
    data.add((fact, URIRef(SCHEMA + "name"), Literal("Визит", lang="ru")))
    data.add((fact, SKOS.prefLabel, Literal("Visit to Tashkent", lang="en")))
    data.add((fact, URIRef(SCHEMA + "startDate"), Literal("2018-03-15", datatype=DATE)))
    data.add((fact, URIRef(SCHEMA + "startDate"), Literal("2018-03-14", datatype=DATE)))
    for doc, paragraph, paraphrase in (
        ("doc-b", Literal(7), Literal("Arrived on the 15th", lang="en")),
        ("doc-a", Literal(3), None),
        ("doc-a", Literal("third"), None),  # not a number: no paragraph
    ):
        derivation = BNode()
        data.add((fact, PROV.qualifiedDerivation, derivation))
        data.add((derivation, PROV.entity, URIRef(EX + doc)))
        data.add((derivation, RKG.paragraph, paragraph))
        if paraphrase is not None:
            data.add((derivation, RKG.paraphrase, paraphrase))
    data.add((URIRef(EX + "doc-a"), URIRef(SCHEMA + "name"), Literal("Document A")))
    # an inferred type is not what the source says: left out of the tooltip
    ds.graph(INFERRED_GRAPH).add((fact, RDF.type, URIRef(EX + "Event")))
    data.add((URIRef(EX + "bare"), SKOS.prefLabel, Literal("Only a name")))
    return ds


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_fact_evidence_per_fact(kind: str) -> None:
    store = MemoryStore() if kind == "memory" else OxigraphStore()
    store.load(_dataset())
    facts = [EX + "visit", EX + "visit", EX + "bare", EX + "unknown", "not an iri <>", ""]
    got = fact_evidence(store, facts)
    assert list(got) == [EX + "bare", EX + "visit"]  # sorted, unknown and bad IRIs left out
    assert got[EX + "visit"] == FactInfo(
        label="Visit to Tashkent",  # English first
        type="State visit",  # the asserted type's English label only
        date="2018-03-14",  # the earliest
        paraphrase="Arrived on the 15th",
        document="Document A",  # a named document before a bare IRI
        paragraphs=(3, 7),
    )
    assert got[EX + "bare"] == FactInfo(
        label="Only a name", type=None, date=None, paraphrase=None, document=None, paragraphs=()
    )
