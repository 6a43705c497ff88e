"""Enrichment against a real Oxigraph server holding a small Wikidata-shaped fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, TIME, XSD

from regional_kg.build import build
from regional_kg.build.validation import validate
from regional_kg.cli import main
from regional_kg.enrich import EnrichmentError, enrich
from regional_kg.namespaces import RKG, RKGC, RKGD, SCHEMA, WD
from tests.support.oxigraph_server import free_port, start_oxigraph_server
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "wikidata" / "entities.ttl"
PERSON, STATE, ORGN = (Namespace(f"{RKGD}{kind}/") for kind in ("person", "state", "org"))


@pytest.fixture(scope="module")
def wikidata() -> Iterator:
    server, tmp = start_oxigraph_server()
    try:
        server.load_file(FIXTURE, "text/turtle")
        yield server
    finally:
        server.stop()
        tmp.cleanup()


@pytest.fixture(scope="module")
def enriched(wikidata):
    store = build(store="oxigraph").store
    before = {g: _count(store, g) for g in store.graph_names()}
    result = enrich(store, wikidata.query_url)
    return store, before, result


def _count(store, graph: URIRef) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(store.select(q).rows[0]["n"])


def _graph(store, result):
    ds = Dataset()
    ds.parse(data=store.dump("nquads"), format="nquads")
    return ds.graph(result.graph)


def test_writes_a_new_graph_and_leaves_curated_graphs_alone(enriched) -> None:
    store, before, result = enriched
    assert str(result.graph).startswith("https://w3id.org/regional-kg/graph/enrichment/")
    assert result.graph not in before
    assert set(store.graph_names()) == set(before) | {result.graph}
    assert {g: _count(store, g) for g in before} == before  # nothing curated changed
    assert _count(store, result.graph) == result.triples > 0


def test_heads_of_state_with_terms(enriched) -> None:
    store, _, result = enriched
    g = _graph(store, result)
    terms = {
        (g.value(t, ORG.member), g.value(t, ORG.organization), g.value(t, ORG.role))
        for t in g.subjects(RDF.type, RKG.TermOfOffice)
    }
    head, gov = RKGC["role/head-of-state"], RKGC["role/head-of-government"]
    new_person = PERSON["fixture-head-of-government"]
    assert terms == {
        (PERSON["nursultan-nazarbayev"], STATE["KZ"], head),  # curated person, matched by label
        (new_person, STATE["KZ"], gov),  # unknown to the graph: a new person
        (PERSON["sooronbay-jeenbekov"], STATE["KG"], head),
        (PERSON["shavkat-mirziyoyev"], STATE["UZ"], head),  # via the curated sameAs Q57808
    }  # the undated Kyrgyz statement is skipped
    term = RKGD["term/wikidata-Q99990001-Q232-P35-1991-12-16"]
    interval = g.value(term, ORG.memberDuring)
    start = g.value(g.value(interval, TIME.hasBeginning), TIME.inXSDDate)
    end = g.value(g.value(interval, TIME.hasEnd), TIME.inXSDDate)
    assert (start, end) == (
        Literal("1991-12-16", datatype=XSD.date),
        Literal("2019-03-20", datatype=XSD.date),
    )
    assert (new_person, SCHEMA.sameAs, WD["Q99990002"]) in g
    assert (new_person, RDF.type, RKG.Person) in g
    assert (PERSON["nursultan-nazarbayev"], SCHEMA.sameAs, WD["Q99990001"]) in g
    assert result.added["terms of office"] == 4


def test_memberships_reuse_curated_organisations(enriched) -> None:
    store, _, result = enriched
    g = _graph(store, result)
    memberships = {
        (g.value(m, ORG.member), g.value(m, ORG.organization))
        for m in g.subjects(RDF.type, RKG.Membership)
    }
    assert memberships == {(STATE["KZ"], ORGN["osce"]), (STATE["KZ"], ORGN["fixture-organisation"])}
    assert (ORGN["fixture-organisation"], SCHEMA.sameAs, WD["Q99990010"]) in g
    assert (ORGN["osce"], RDF.type, RKG.Organisation) not in g  # curated node not redescribed


def test_conflicts_and_ambiguities_are_reported_not_written(enriched) -> None:
    store, _, result = enriched
    assert len(result.conflicts) == 1 and "'TM'" in result.conflicts[0]
    assert "'TX'" in result.conflicts[0]
    codes = store.select(
        "PREFIX rkg: <https://w3id.org/regional-kg/ontology#> "
        "SELECT ?c WHERE { <https://w3id.org/regional-kg/id/state/TM> rkg:isoCode ?c }"
    )
    assert [str(c) for c in codes.values("c")] == ["TM"]
    rahmon = PERSON["emomali-rahmon"]
    assert result.ambiguous == {rahmon: ["Q99990005", "Q99990006"]}
    assert not store.ask(
        f"PREFIX schema: <https://schema.org/> ASK {{ <{rahmon}> schema:sameAs ?x }}"
    )


def test_provenance_of_the_run(enriched, wikidata) -> None:
    store, _, result = enriched
    g = _graph(store, result)
    run = g.value(result.graph, PROV.wasGeneratedBy)
    assert (run, RDF.type, PROV.Activity) in g
    assert g.value(run, PROV.used) == URIRef(wikidata.query_url)
    assert g.value(run, PROV.startedAtTime).datatype == XSD.dateTime
    steps = sorted(g.subjects(URIRef("http://purl.org/dc/terms/isPartOf"), run))
    assert len(steps) == result.queries == 4
    texts = [str(g.value(s, SCHEMA.query)) for s in steps]
    assert any("wdt:P297" in t for t in texts) and any("p:P463" in t for t in texts)
    assert all(g.value(s, PROV.endedAtTime) is not None for s in steps)
    term = RKGD["term/wikidata-Q57808-Q265-P35-2016-12-14"]
    derivation = g.value(term, PROV.qualifiedDerivation)
    doc = g.value(derivation, PROV.entity)
    assert doc == g.value(result.graph, PROV.wasDerivedFrom)
    assert (doc, RDF.type, RKG.SourceDocument) in g


def test_enriched_graph_passes_the_shapes(enriched) -> None:
    store, _, _ = enriched
    report = validate(store.to_dataset())
    assert report.conforms, report.text


def test_no_network_fails_cleanly_and_writes_nothing(capsys) -> None:
    store = build(store="oxigraph").store
    size = len(store)
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    with pytest.raises(EnrichmentError, match="cannot reach the SPARQL endpoint"):
        enrich(store, url)
    assert len(store) == size
    assert main(["enrich", "--endpoint", url]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the SPARQL endpoint" in err and "Traceback" not in err


def test_cli_writes_trig(wikidata, tmp_path, capsys) -> None:
    out = tmp_path / "enrichment.trig"
    assert main(["enrich", "--endpoint", wikidata.query_url, "--output", str(out)]) == 0
    ds = Dataset()
    ds.parse(out, format="trig")
    names = [g.identifier for g in ds.graphs() if len(g)]
    assert len(names) == 1 and "/graph/enrichment/" in str(names[0])
    assert "1 conflicts" in capsys.readouterr().err
