"""Sheet fields each compile to their triples: declared entities of every type, the document's
source rules, and a meeting's optional fields and participants.

These pin the branches :mod:`regional_kg.sheets.compile` splits into helpers (declared IRIs by
type, the document's web/print source, one participation at a time), so a refactoring that drops
or reorders one of them fails here with the field named.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD

from regional_kg.namespaces import RKG, RKGC, RKGD, SCHEMA
from regional_kg.sheets import SheetError, compile_text
from tests.support.graphs import full_graph_env

DOCUMENT = """\
document:
  id: test-2024-02-01-branches
  title: Branches
  url: https://example.org/branches
  publisher: newscentralasia.net
  published: 2024-02-01
  kind: news
  paragraphs: 9
"""
DOC = RKGD["doc/test-2024-02-01-branches"]


@pytest.fixture(autouse=True, scope="module")
def _full_graph():
    with full_graph_env():
        yield


def compiled(text: str):  # type: ignore[no-untyped-def]
    result = compile_text(text, "b.yaml")
    return result.dataset.graph(result.graph)


def props(graph, node) -> set[tuple[URIRef, object]]:  # type: ignore[no-untyped-def]
    return {(p, o) for p, o in graph.predicate_objects(node) if not isinstance(o, BNode)}


def paragraphs(graph, node) -> list[int]:  # type: ignore[no-untyped-def]
    """The paragraphs ``node`` cites (one derivation each)."""
    return sorted(
        int(graph.value(d, RKG.paragraph)) for d in graph.objects(node, PROV.qualifiedDerivation)
    )


ENTITIES = """\
entities:
  Ruritania:
    type: state
    code: rt
    also: [Republic of Ruritania]
    paragraphs: [1]
  Strelsau:
    type: place
    in: Ruritania
    paragraphs: [1]
  Rudolf Rassendyll:
    type: person
    nationality: Ruritania
    also: [Rassendyll]
    paragraphs: [2]
  Ruritanian Water Council:
    type: working-group
    name: Water Council of Ruritania
    in: Ruritania
    note: Set up in 2023.
    stage: established
    topics: [water-energy]
    paragraphs: [2]
  The Strelsau Gazette:
    type: publisher
    paragraphs: [3]
  Zenda Forum:
    type: forum
    id: org/zenda
facts:
  - kind: visit
    visitor: Rassendyll
    from: Ruritania
    to: KZ
    type: working
    start: 2024-01-20
    place: Astana
    paragraphs: [4]
"""


def test_declared_entities_of_each_type() -> None:
    g = compiled(DOCUMENT + ENTITIES)
    rt = RKGD["state/RT"]
    assert props(g, rt) == {
        (RDF.type, RKG.State),
        (SKOS.prefLabel, Literal("Ruritania", lang="en")),
        (SKOS.altLabel, Literal("Republic of Ruritania", lang="en")),
        (RKG.isoCode, Literal("RT")),
    }
    assert props(g, RKGD["place/strelsau"]) == {
        (RDF.type, RKG.Place),
        (SKOS.prefLabel, Literal("Strelsau", lang="en")),
        (RDFS.label, Literal("Strelsau", lang="en")),
        (SCHEMA.containedInPlace, rt),
    }
    assert props(g, RKGD["person/rudolf-rassendyll"]) == {
        (RDF.type, RKG.Person),
        (SKOS.prefLabel, Literal("Rudolf Rassendyll", lang="en")),
        (SKOS.altLabel, Literal("Rassendyll", lang="en")),
        (SCHEMA.name, Literal("Rudolf Rassendyll")),
        (SCHEMA.nationality, rt),
    }
    council = RKGD["org/water-council-of-ruritania"]  # the slug of name:, not of the key
    assert props(g, council) == {
        (RDF.type, RKG.WorkingGroup),
        (SKOS.prefLabel, Literal("Water Council of Ruritania", lang="en")),
        (SKOS.altLabel, Literal("Ruritanian Water Council", lang="en")),
        (RKG.basedIn, rt),
        (SKOS.note, Literal("Set up in 2023.", lang="en")),
        (RKG.status, RKGC["status/established"]),
        (RKG.topic, RKGC["topic/water-energy"]),
    }
    assert props(g, RKGD["org/pub-the-strelsau-gazette"]) == {
        (RDF.type, RKG.Organisation),
        (SKOS.prefLabel, Literal("The Strelsau Gazette", lang="en")),
    }
    assert props(g, RKGD["org/zenda"]) == {
        (RDF.type, RKG.Forum),
        (SKOS.prefLabel, Literal("Zenda Forum", lang="en")),
    }
    assert paragraphs(g, rt) == [1] and paragraphs(g, council) == [2]
    assert paragraphs(g, RKGD["org/zenda"]) == []  # no paragraphs: no derivation
    visit = RKGD["visit/2024-01-20-rt-kz-working"]
    assert (visit, RKG.visitor, RKGD["person/rudolf-rassendyll"]) in g
    assert (visit, RKG.visitingState, rt) in g


def test_a_declared_state_needs_its_code() -> None:
    text = DOCUMENT + "entities:\n  Ruritania:\n    type: state\nfacts: []\n"
    with pytest.raises(SheetError) as info:
        compile_text(text, "b.yaml")
    assert str(info.value) == (
        "b.yaml:10: entities.Ruritania: a declared state needs code: (its ISO 3166-1 alpha-2)"
    )


@pytest.mark.parametrize(
    "document,message",
    [
        ("document:\n  id: t\n  title: T\n  published: 2024-01-01\n  paragraphs: 2\n",
         "b.yaml:1: document: give the document's url: (a web page), or citation: or author: "
         "(print)"),
        ("document:\n  id: t\n  title: T\n  url: ftp://x\n  publisher: akorda.kz\n  kind: news\n"
         "  published: 2024-01-01\n  paragraphs: 2\n",
         "b.yaml:4: document.url: 'ftp://x' is not an http(s) address"),
        ("document:\n  id: t\n  title: T\n  url: https://x.org/\n  kind: news\n"
         "  published: 2024-01-01\n  paragraphs: 2\n",
         "b.yaml:1: document: publisher: is required for a document with a url"),
        ("document:\n  id: t\n  title: T\n  url: https://x.org/\n  publisher: akorda.kz\n"
         "  published: 2024-01-01\n  paragraphs: 2\n",
         "b.yaml:1: document: kind: is required for a document with a url"),
    ],
)  # fmt: skip
def test_document_source_rules(document: str, message: str) -> None:
    with pytest.raises(SheetError) as info:
        compile_text(document + "facts: []\n", "b.yaml")
    assert str(info.value) == message


def test_print_document_by_its_author_and_a_web_document_with_its_original_publisher() -> None:
    text = (
        "document:\n  id: t\n  title: T\n  author: Tokayev\n  published: 2024-01-01\n"
        "  paragraphs: 2\nfacts: []\n"
    )
    g = compiled(text)
    doc = RKGD["doc/t"]
    assert (doc, SCHEMA.dateCreated, Literal("2024-01-01", datatype=XSD.date)) in g
    assert (doc, SCHEMA.author, RKGD["person/kassym-jomart-tokayev"]) in g
    assert not list(g.objects(doc, SCHEMA.url)) and not list(g.objects(doc, SCHEMA.publisher))
    g = compiled(
        DOCUMENT.replace("  kind: news\n", "  kind: news\n  original_publisher: akorda.kz\n")
        + "facts: []\n"
    )
    assert (DOC, SCHEMA.publisher, RKGD["org/pub-newscentralasia-net"]) in g
    assert (DOC, RKG.originalPublisher, RKGD["org/pub-akorda-kz"]) in g
    assert (DOC, SCHEMA.datePublished, Literal("2024-02-01", datatype=XSD.date)) in g
    assert (DOC, SCHEMA.url, Literal("https://example.org/branches", datatype=XSD.anyURI)) in g
    assert (DOC, RKG.documentKind, RKGC["document-kind/news"]) in g


MEETING = """\
facts:
  - kind: meeting
    id: event/2024-01-10-summit
    date: 2024-01-10
    place: Astana
    type: summit
    paragraphs: [5]
  - kind: meeting
    id: event/2024-01-11-side-meeting
    date: 2024-01-11
    first_of_its_kind: false
    planned: true
    organizer: OSCE
    part_of: event/2024-01-10-summit
    participants:
      - who: Tokayev
        id: participation/side-tokayev
        label: Tokayev at the side meeting
        note: He chaired it.
        role: chair
        paragraphs: [7]
      - for: UZ
    paragraphs: [6]
"""


def test_meeting_optional_fields_and_participants() -> None:
    g = compiled(DOCUMENT + MEETING)
    side = RKGD["event/2024-01-11-side-meeting"]
    assert props(g, side) >= {
        (RKG.firstOfItsKind, Literal(False)),
        (RKG.status, RKGC["status/planned"]),
        (SCHEMA.superEvent, RKGD["event/2024-01-10-summit"]),
        (RKG.participatingState, RKGD["state/UZ"]),
        (RKG.participation, RKGD["participation/side-tokayev"]),
        (RKG.participation, RKGD["participation/2024-01-11-side-meeting-uz"]),
    }
    assert (side, SCHEMA.organizer, RKGD["org/osce"]) in g
    assert props(g, RKGD["participation/side-tokayev"]) == {
        (RDF.type, RKG.Participation),
        (SKOS.prefLabel, Literal("Tokayev at the side meeting", lang="en")),
        (SKOS.note, Literal("He chaired it.", lang="en")),
        (RKG.participant, RKGD["person/kassym-jomart-tokayev"]),
        (ORG.role, RKGC["role/chair"]),
    }
    assert props(g, RKGD["participation/2024-01-11-side-meeting-uz"]) == {
        (RDF.type, RKG.Participation),
        (RKG.participant, RKGD["state/UZ"]),
    }
    assert paragraphs(g, RKGD["participation/side-tokayev"]) == [7]
    assert paragraphs(g, RKGD["participation/2024-01-11-side-meeting-uz"]) == [6]


def test_a_participant_needs_who_or_for() -> None:
    text = DOCUMENT + MEETING.replace("      - for: UZ\n", "      - role: chair\n")
    with pytest.raises(SheetError) as info:
        compile_text(text, "b.yaml")
    assert (
        str(info.value) == "b.yaml:30: facts[1].participants[1]: a participant needs who: or for:"
    )
