"""The compiled checks that count values (``sh:maxCount``, ``sh:uniqueLang``, qualified
counts), the nested ``sh:node`` and the class checks (``MINUS``) still catch what they must,
over named graphs that restate the same triples (Oxigraph's union mode yields such a triple once
per graph: a value stated twice is still one value), with the exact focus node and path pySHACL
reports."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SKOS

from regional_kg.build import fastvalidate
from regional_kg.build.validation import validate

EX = "http://example.org/"

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:StateShape a sh:NodeShape ; sh:targetClass ex:State ;
    sh:property [ sh:path skos:prefLabel ; sh:qualifiedValueShape [ sh:languageIn ( "en" ) ] ;
                  sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ;
                  sh:message "one English name" ] ,
                [ sh:path skos:prefLabel ; sh:uniqueLang true ;
                  sh:message "one name per language" ] ,
                [ sh:path ex:capital ; sh:maxCount 1 ; sh:message "one capital" ] ,
                [ sh:path ex:cites ; sh:node ex:DerivationShape ; sh:message "a sound citation" ] ,
                [ sh:path ex:partner ; sh:or ( [ sh:class ex:State ] [ sh:class ex:Region ] ) ;
                  sh:message "a state or region" ] ,
                [ sh:path ex:capital ; sh:class ex:City ; sh:message "a city" ] .
ex:DerivationShape a sh:NodeShape ;
    sh:property [ sh:path ex:entity ; sh:minCount 1 ; sh:maxCount 1 ] .
"""

# Every state is typed, named and given its capital in both graphs; only the ones named for a
# fault have one.
DATA = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix ex: <http://example.org/> .
ex:g1 {
    ex:good a ex:State ; skos:prefLabel "Good"@en ; ex:capital ex:c1 ; ex:cites ex:d1 ;
        ex:partner ex:twoEnglish, ex:region .
    ex:region a ex:Region .
    ex:c1 a ex:City .
    ex:twoEnglish a ex:State ; skos:prefLabel "A"@en .
    ex:twoCapitals a ex:State ; skos:prefLabel "T"@en ; ex:capital ex:c1 .
    ex:noEnglish a ex:State ; skos:prefLabel "X"@de .
    ex:badCitation a ex:State ; skos:prefLabel "B"@en ; ex:cites ex:d2 .
    ex:noEntity a ex:State ; skos:prefLabel "N"@en ; ex:cites ex:d3 .
    ex:d1 ex:entity ex:doc1 .
    ex:d2 ex:entity ex:doc1 .
}
ex:g2 {
    ex:good a ex:State ; skos:prefLabel "Good"@en, "Gut"@de ; ex:capital ex:c1 ; ex:cites ex:d1 .
    ex:twoEnglish a ex:State ; skos:prefLabel "B"@en .
    ex:twoCapitals a ex:State ; skos:prefLabel "T"@en ; ex:capital ex:c2 .
    ex:c2 a ex:City .
    ex:noEnglish a ex:State ; skos:prefLabel "X"@de ; ex:partner ex:c1 ; ex:capital ex:region .
    ex:badCitation a ex:State ; skos:prefLabel "B"@en .
    ex:d1 ex:entity ex:doc1 .
    ex:d2 ex:entity ex:doc2 .
}
"""

CITES, CAPITAL = URIRef(EX + "cites"), URIRef(EX + "capital")
EXPECTED = {
    (EX + "twoEnglish", SKOS.prefLabel, "one English name"),
    (EX + "twoEnglish", SKOS.prefLabel, "one name per language"),
    (EX + "noEnglish", SKOS.prefLabel, "one English name"),
    (EX + "twoCapitals", CAPITAL, "one capital"),
    (EX + "badCitation", CITES, "a sound citation"),  # d2 has two entities
    (EX + "noEntity", CITES, "a sound citation"),  # d3 has none
    (EX + "noEnglish", URIRef(EX + "partner"), "a state or region"),  # a city
    (EX + "noEnglish", CAPITAL, "a city"),  # a region
}


def _store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    return store


def test_counted_checks_report_each_fault_once_with_focus_and_path():
    report = fastvalidate.validate_store(_store(), Graph().parse(data=SHAPES, format="turtle"))
    found = [(str(r.focus), r.path, r.message) for r in report.results]
    assert sorted(found) == sorted(EXPECTED)  # one result per focus node and property shape
    assert not report.conforms
    assert {r.severity for r in report.results} == {"violation"}


def test_a_value_restated_in_another_graph_is_one_value():
    store = _store()
    store.update(  # the faults repaired: now every value is stated once, or restated
        "DELETE DATA { GRAPH <http://example.org/g2> { <http://example.org/twoEnglish> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "B"@en } }'
    )
    report = fastvalidate.validate_store(store, Graph().parse(data=SHAPES, format="turtle"))
    assert EX + "twoEnglish" not in {str(r.focus) for r in report.results}
    assert EX + "good" not in {str(r.focus) for r in report.results}
    assert len(report.results) == len(EXPECTED) - 2


def test_pyshacl_reports_the_same_focus_nodes_and_paths():
    dataset = Dataset()
    dataset.parse(data=DATA, format="trig")
    report = validate(dataset, Graph().parse(data=SHAPES, format="turtle"))
    # pySHACL also lists the nested sh:node results (focus: the derivation); SHACL's outer
    # result, which both give, is the state and ex:cites
    nested = {(EX + "d2", URIRef(EX + "entity")), (EX + "d3", URIRef(EX + "entity"))}
    found = {(str(r.focus), r.path) for r in report.results}
    assert found - nested == {(f, p) for f, p, _ in EXPECTED}
