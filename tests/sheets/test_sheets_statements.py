"""The sheet vocabulary for what the older kinds could not say, and the completer's guarantees.

``kind: node`` statements (values in general form), ``kind: claim``, facts with an ``id:`` that
state less than their kind requires, a result's paraphrase, a declared region, the document's
note, title language and absent graph label; and ``rkg sheet from-rdf``'s promise that what it
cannot say is an error naming the document, node and predicate, never a silent loss.
"""

from __future__ import annotations

import pytest
import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from regional_kg.errors import UserError
from regional_kg.namespaces import RKG, RKGC, RKGD, RKGG, SCHEMA
from regional_kg.sheets import SheetError, compile_text
from regional_kg.sheets.lossless import canonical, complete
from regional_kg.sheets.statements import (
    StatementProblem,
    decode_value,
    encode_value,
    expand,
    shorten,
)
from tests.support.graphs import full_graph_env

DOCUMENT = """\
document:
  id: test-2024-03-01-statements
  title: Statements
  url: https://example.org/statements
  publisher: newscentralasia.net
  published: 2024-03-01
  kind: news
  paragraphs: 9
"""
SLUG = "test-2024-03-01-statements"
DOC = RKGD[f"doc/{SLUG}"]


@pytest.fixture(autouse=True, scope="module")
def _full_graph():
    with full_graph_env():
        yield


def compiled(text: str) -> Graph:
    result = compile_text(text, "s.yaml")
    graph = Graph()
    for triple in result.dataset.graph(result.graph):
        graph.add(triple)
    return graph


@pytest.mark.parametrize(
    ("term", "written"),
    [
        (Literal("Golovnoy"), "Golovnoy"),
        (Literal(13), 13),
        (Literal(True), True),
        (Literal("Central Asia", lang="en"), {"text": "Central Asia", "lang": "en"}),
        (Literal("2021-04-28", datatype=XSD.date), {"value": "2021-04-28", "type": "xsd:date"}),
        (Literal("5.0", datatype=XSD.decimal), {"value": "5.0", "type": "xsd:decimal"}),
        (RKGD["state/KG"], {"ref": "state/KG"}),
        (RKG.Event, {"ref": "rkg:Event"}),
        (
            RKGC["visit-type/state"],
            {"ref": "https://w3id.org/regional-kg/concept/visit-type/state"},
        ),
        (URIRef("https://example.org/x"), {"ref": "https://example.org/x"}),
    ],
)
def test_values_encode_and_decode_to_the_same_term(term, written):
    graph = Graph()
    assert encode_value(term, graph) == written
    again = decode_value(written, graph)
    assert again == term and type(again) is type(term)
    if isinstance(term, Literal):
        assert (again.datatype, again.language, str(again)) == (
            term.datatype,
            term.language,
            str(term),
        )


def test_a_blank_node_is_written_with_what_it_says():
    graph = Graph()
    node = BNode()
    graph.add((node, RDF.type, PROV.Derivation))
    graph.add((node, RKG.paragraph, Literal(4)))
    written = encode_value(node, graph)
    assert written == {"node": {"rdf:type": {"ref": "prov:Derivation"}, "rkg:paragraph": 4}}
    out = Graph()
    again = decode_value(written, out)
    assert isinstance(again, BNode)
    assert set(out.predicate_objects(again)) == {
        (RDF.type, PROV.Derivation),
        (RKG.paragraph, Literal(4)),
    }


def test_names_expand_and_shorten():
    assert (
        expand("event/2021-04-28-kg-tj-border-clash") == RKGD["event/2021-04-28-kg-tj-border-clash"]
    )
    assert expand("schema:name") == SCHEMA.name
    assert shorten(RKGG[SLUG]) == f"rkgg:{SLUG}"
    with pytest.raises(StatementProblem, match="not an IRI"):
        expand("nosuchprefix:x")


def test_node_statements_compile_to_their_triples():
    graph = compiled(
        DOCUMENT
        + """\
facts:
  - kind: node
    id: event/2021-04-28-kg-tj-border-clash
    statements:
      rdf:type: {ref: rkg:Event}
      schema:name: Border clash
      rkg:involves: [{ref: state/KG}, {ref: state/TJ}]
      schema:startDate: {value: "2021-04-28", type: xsd:date}
    paragraphs: [2]
    paraphrase: The clash began on 28 April.
"""
    )
    clash = RKGD["event/2021-04-28-kg-tj-border-clash"]
    said = {(p, o) for p, o in graph.predicate_objects(clash) if not isinstance(o, BNode)}
    assert said == {
        (RDF.type, RKG.Event),
        (SCHEMA.name, Literal("Border clash")),
        (RKG.involves, RKGD["state/KG"]),
        (RKG.involves, RKGD["state/TJ"]),
        (SCHEMA.startDate, Literal("2021-04-28", datatype=XSD.date)),
    }
    (derivation,) = graph.objects(clash, PROV.qualifiedDerivation)
    assert graph.value(derivation, RKG.paragraph) == Literal(2)
    assert graph.value(derivation, RKG.paraphrase) == Literal(
        "The clash began on 28 April.", lang="en"
    )


def test_a_bad_statement_is_an_error_at_its_field():
    with pytest.raises(SheetError, match=r"facts\[0\]\.statements: .*is not a value"):
        compiled(
            DOCUMENT
            + """\
facts:
  - kind: node
    id: event/x
    statements:
      schema:name: [[nested list]]
"""
        )


def test_a_fact_with_an_id_states_only_what_it_gives():
    """Another document describes the visit; this one only reports it."""
    graph = compiled(
        DOCUMENT
        + """\
facts:
  - kind: visit
    id: visit/2018-03-09-uz-tj-state
    visitor: Mirziyoyev
    paragraphs: [3]
"""
    )
    visit = RKGD["visit/2018-03-09-uz-tj-state"]
    assert graph.value(visit, RKG.visitor) == RKGD["person/shavkat-mirziyoyev"]
    assert graph.value(visit, SCHEMA.startDate) is None
    assert graph.value(visit, RKG.visitType) is None
    # without an id the kind's fields are required, as before
    with pytest.raises(SheetError, match="facts\\[0\\]: '(from|to|type|start)' is required here"):
        compiled(DOCUMENT + "facts:\n  - {kind: visit, visitor: Mirziyoyev, paragraphs: [3]}\n")


def test_claim_kind_marks_the_fact_contested():
    graph = compiled(
        DOCUMENT
        + """\
facts:
  - kind: claim
    about: visit/2018-03-09-uz-tj-state
    property: rkg:visitType
    value: {ref: "https://w3id.org/regional-kg/concept/visit-type/official"}
    preferred: false
    note: The page calls it official.
    paragraphs: [2]
  - kind: claim
    id: claim/other
    about: visit/2018-03-09-uz-tj-state
    property: schema:endDate
    value: {value: "2018-03-10", type: xsd:date}
    contested: false
    paragraphs: [3]
"""
    )
    visit = RKGD["visit/2018-03-09-uz-tj-state"]
    claim = RKGD[f"claim/visit-2018-03-09-uz-tj-state-visittype-{SLUG}"]
    assert set(graph.objects(visit, RKG.claim)) == {claim, RKGD["claim/other"]}
    assert graph.value(visit, RKG.contested) == Literal(True)  # from the first claim only
    assert graph.value(claim, RKG.claimProperty) == RKG.visitType
    assert graph.value(claim, RKG.claimValue) == RKGC["visit-type/official"]
    assert graph.value(claim, RKG.preferred) == Literal(False)
    assert graph.value(claim, SKOS.note) == Literal("The page calls it official.", lang="en")
    assert (claim, RDF.type, RKG.Claim) in graph


def test_document_note_title_language_no_graph_label_result_paraphrase_and_region():
    graph = compiled(
        DOCUMENT.replace("title: Statements", "title: Саммит\n  title_language: ru")
        + """\
  note: No date in the stored text.
  graph_label: false
entities:
  Central Asian five:
    type: region
    id: region/ca-five-test
    paragraphs: [1]
facts:
  - kind: election
    state: KG
    date: 2021-01-10
    results:
      - candidate: Sadyr Japarov
        share: 79.2
        paragraphs: [4]
        paraphrase: {4: Japarov won."}
    paragraphs: [4]
""".replace('{4: Japarov won."}', '{4: "Japarov won."}')
    )
    assert graph.value(DOC, SCHEMA.name) == Literal("Саммит", lang="ru")
    assert graph.value(DOC, SKOS.note) == Literal("No date in the stored text.", lang="en")
    assert graph.value(RKGG[SLUG], RDFS.label) is None
    assert (RKGD["region/ca-five-test"], RDF.type, RKG.Region) in graph
    result = next(graph.subjects(RDF.type, RKG.ElectionResult))
    (derivation,) = graph.objects(result, PROV.qualifiedDerivation)
    assert graph.value(derivation, RKG.paraphrase) == Literal("Japarov won.", lang="en")


def _own_graph(text: str) -> Graph:
    return compiled(text)


def _empty_sheet() -> dict:
    """The sheet of the test document with no facts yet, as the completer receives it."""
    return {
        "document": {
            "id": SLUG,
            "title": "Statements",
            "url": "https://example.org/statements",
            "publisher": "newscentralasia.net",
            "published": "2024-03-01",
            "kind": "news",
            "paragraphs": 9,
            "graph_label": "Facts compiled from the sheet for Statements",
        },
        "facts": [],
    }


def test_what_a_sheet_cannot_say_is_an_error_naming_document_node_and_predicate():
    """A document graph without schema:inLanguage: the compiler always states one (default en),
    so no sheet compiles to that graph, and the completer says so rather than add a triple."""
    own = _own_graph(DOCUMENT + "facts: []\n")
    own.remove((DOC, SCHEMA.inLanguage, None))
    data = _empty_sheet()
    with pytest.raises(UserError, match=rf"doc/{SLUG}: .*doc/{SLUG} schema:inLanguage"):
        complete(data, own, DOC)


def test_the_completer_says_the_rest_as_statements():
    """A triple no field has (a visit's rkg:contested) comes back as a kind: node item."""
    own = _own_graph(DOCUMENT + "facts: []\n")
    visit = RKGD["visit/2018-03-09-uz-tj-state"]
    own.add((visit, RKG.contested, Literal(True)))
    data = _empty_sheet()
    out, written = complete(data, own, DOC)
    assert written == ["visit/2018-03-09-uz-tj-state"]
    assert out["facts"] == [
        {
            "kind": "node",
            "id": "visit/2018-03-09-uz-tj-state",
            "statements": {"rkg:contested": True},
        }
    ]
    assert canonical(own) == canonical(compiled(_yaml(out)))


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_a_blank_node_no_named_node_leads_to_is_an_error():
    own = _own_graph(DOCUMENT + "facts: []\n")
    orphan = BNode()
    own.add((orphan, SKOS.note, Literal("loose")))
    data = {"document": {"id": SLUG, "paragraphs": 9}, "facts": []}
    with pytest.raises(UserError, match=rf"doc/{SLUG}: the graph has blank nodes.*skos:note"):
        complete(data, own, DOC)


def test_agreement_distance_and_term_planned_end():
    graph = compiled(
        DOCUMENT
        + """\
facts:
  - kind: agreement
    id: agreement/2025-03-13-kg-tj-state-border-treaty
    title: Treaty on the State Border
    distance: 1006.84 km
    paragraphs: [2]
  - kind: term
    person: Shavkat Mirziyoyev
    office: president
    of: UZ
    planned_end: 2030
    paragraphs: [1]
"""
    )
    treaty = RKGD["agreement/2025-03-13-kg-tj-state-border-treaty"]
    assert graph.value(treaty, SCHEMA.distance) == Literal("1006.84 km")
    term = RKGD["term/mirziyoyev-uz-president"]
    assert graph.value(term, RKG.plannedEnd) == Literal("2030", datatype=XSD.gYear)


def test_a_figure_states_its_number_and_precision_when_not_read_off_the_print():
    graph = compiled(
        DOCUMENT
        + """\
facts:
  - kind: trade
    reporter: UZ
    partner: KZ
    year: 2022
    value: nearly $5 billion
    number: "5000.0"
    precision: "0.5"
    paragraphs: [2]
  - kind: trade
    reporter: KZ
    partner: UZ
    year: 2021
    value: $3.1 billion
    precision: 10
    paragraphs: [3]
"""
    )
    nearly = RKGD["obs/uz-turnover-kz-2022"]
    assert graph.value(nearly, RKG.value) == Literal("5000.0", datatype=XSD.decimal)
    assert graph.value(nearly, RKG.precision) == Literal("0.5", datatype=XSD.decimal)
    assert graph.value(nearly, RKG.publishedAs) == Literal("nearly $5 billion")
    read = RKGD["obs/kz-turnover-uz-2021"]
    assert graph.value(read, RKG.value) == Literal("3100.0", datatype=XSD.decimal)
    assert graph.value(read, RKG.precision) == Literal("10", datatype=XSD.decimal)
    # without number: the printed text must read as an amount, as before
    with pytest.raises(SheetError, match="is not an amount as published"):
        compiled(
            DOCUMENT + "facts:\n  - {kind: trade, reporter: UZ, partner: KZ, year: 2022, "
            "value: nearly $5 billion, paragraphs: [2]}\n"
        )
