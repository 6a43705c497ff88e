"""Sheets compile to exact triples, kind by kind; every malformed sheet fails on its YAML line.

The sheets are written inline so each test shows the YAML next to the RDF it must give. They are
resolved against the whole shipped graph (Tokayev and Japarov are in the 2023 web source), so
the module runs inside :func:`conftest.full_graph_env`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from regional_kg.namespaces import RKG, RKGC, RKGD, RKGG, SCHEMA, SDMX_ATTRIBUTE
from regional_kg.sheets import SheetError, compile_text
from regional_kg.sheets.values import date_literal, parse_amount, parse_percent
from tests.support.graphs import REPO, full_graph_env

DOC = RKGD["doc/test-2024-01-01-sheet"]
HEADER = """\
document:
  id: test-2024-01-01-sheet
  title: A test release
  url: https://example.org/release
  publisher: newscentralasia.net
  published: 2024-01-01
  kind: news
  paragraphs: 9
"""


@pytest.fixture(autouse=True, scope="module")
def _full_graph():
    with full_graph_env():
        yield


def sheet(facts: str, entities: str = "") -> str:
    return HEADER + (f"entities:\n{entities}" if entities else "") + "facts:\n" + facts


def compiled(facts: str, entities: str = ""):
    result = compile_text(sheet(facts, entities), "t.yaml")
    return result, result.dataset.graph(result.graph)


def props(graph, node) -> set[tuple[URIRef, object]]:
    """The node's (property, value) pairs, derivations and other blank nodes left out."""
    return {(p, o) for p, o in graph.predicate_objects(node) if not isinstance(o, BNode)}


def cited(graph, node) -> list[tuple[int, str | None]]:
    """(paragraph, paraphrase) of each derivation of ``node``, all citing the test document."""
    out = []
    for derivation in graph.objects(node, PROV.qualifiedDerivation):
        assert (derivation, RDF.type, PROV.Derivation) in graph
        assert graph.value(derivation, PROV.entity) == DOC
        paraphrase = graph.value(derivation, RKG.paraphrase)
        out.append((int(graph.value(derivation, RKG.paragraph)), paraphrase and str(paraphrase)))
    return sorted(out)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def state(code: str) -> URIRef:
    return RKGD[f"state/{code}"]


def person(name: str) -> URIRef:
    return RKGD[f"person/{name}"]


def d(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


# --- the document ------------------------------------------------------------------------------


def test_document_and_graph():
    result, g = compiled("  []\n")
    assert result.graph == RKGG["test-2024-01-01-sheet"]
    assert (result.graph, PROV.wasDerivedFrom, DOC) in g
    assert props(g, DOC) == {
        (RDF.type, RKG.SourceDocument),
        (SCHEMA.name, Literal("A test release")),
        (SCHEMA.url, Literal("https://example.org/release", datatype=XSD.anyURI)),
        (SCHEMA.publisher, RKGD["org/pub-newscentralasia-net"]),
        (SCHEMA.datePublished, d("2024-01-01")),
        (SCHEMA.inLanguage, Literal("en")),
        (RKG.documentKind, RKGC["document-kind/news"]),
        (RKG.paragraphCount, Literal(9)),
    }


# --- every kind ---------------------------------------------------------------------------------


def test_visit_with_agreement_signed_during_it():
    result, g = compiled(
        """\
  - kind: visit
    visitor: Sadyr Japarov
    from: KG
    to: Kazakhstan
    type: state
    start: 2024-01-02
    end: 2024-01-03
    place: Astana
    paragraphs: [2, 3]
    paraphrase: Japarov came to Astana for two days.
    agreements:
      - title: Treaty on Allied Relations
        type: treaty
        parties: [KZ, KG]
        signatories: [Tokayev, Sadyr Japarov]
        paragraphs: [4]
"""
    )
    visit = RKGD["visit/2024-01-02-kg-kz-state"]
    assert props(g, visit) == {
        (RDF.type, RKG.Visit),
        (RKG.eventType, RKGC["event-type/visit"]),
        (RKG.visitType, RKGC["visit-type/state"]),
        (RKG.visitor, person("sadyr-japarov")),
        (RKG.visitingState, state("KG")),
        (RKG.hostState, state("KZ")),
        (SCHEMA.location, RKGD["place/astana"]),
        (SCHEMA.startDate, d("2024-01-02")),
        (SCHEMA.endDate, d("2024-01-03")),
    }
    assert cited(g, visit) == [(2, "Japarov came to Astana for two days."), (3, None)]
    treaty = RKGD["agreement/2024-01-kz-kg-treaty-allied-relations"]
    assert props(g, treaty) == {
        (RDF.type, RKG.Agreement),
        (SCHEMA.name, Literal("Treaty on Allied Relations")),
        (RKG.agreementType, RKGC["agreement-type/treaty"]),
        (RKG.party, state("KZ")),
        (RKG.party, state("KG")),
        (RKG.signatory, person("kassym-jomart-tokayev")),
        (RKG.signatory, person("sadyr-japarov")),
        # a two-day visit dates the signing to its month (graph/README.md)
        (RKG.signedOn, Literal("2024-01", datatype=XSD.gYearMonth)),
        (RKG.signedAt, RKGD["place/astana"]),
        (RKG.occasion, visit),
    }
    assert cited(g, treaty) == [(4, None)]
    assert [f.iri for f in result.facts] == [visit]


def test_meeting_with_participants():
    _, g = compiled(
        """\
  - kind: meeting
    id: event/2024-01-05-ca-summit
    date: 2024-01-05
    place: Dushanbe
    format: pentalateral
    type: summit
    name: Summit of Central Asia
    participants:
      - {who: Rahmon, for: TJ, role: chair}
      - who: Nurberdiyeva
        for: Turkmenistan
        role: representative
        on_behalf_of: Serdar Berdimuhamedov
        paragraphs: [6]
    paragraphs: [5]
"""
    )
    meeting = RKGD["event/2024-01-05-ca-summit"]
    tj, tm = (
        RKGD["participation/2024-01-05-ca-summit-tj"],
        RKGD["participation/2024-01-05-ca-summit-tm"],
    )
    assert props(g, meeting) == {
        (RDF.type, RKG.Meeting),
        (SCHEMA.name, Literal("Summit of Central Asia")),
        (RKG.eventType, RKGC["event-type/summit"]),
        (RKG.meetingFormat, RKGC["format/pentalateral"]),
        (SCHEMA.location, RKGD["place/dushanbe"]),
        (SCHEMA.startDate, d("2024-01-05")),
        (RKG.participatingState, state("TJ")),
        (RKG.participatingState, state("TM")),
        (RKG.participation, tj),
        (RKG.participation, tm),
    }
    assert props(g, tm) == {
        (RDF.type, RKG.Participation),
        (RKG.participant, person("akja-nurberdiyeva")),
        (RKG.representing, state("TM")),
        (RKG.onBehalfOf, person("serdar-berdimuhamedov")),
        (ORG.role, RKGC["role/representative"]),
    }
    assert cited(g, tm) == [(6, None)]
    assert cited(g, tj) == [(5, None)]  # a participant without paragraphs: the meeting's first


def test_agreement_group_counted_not_named():
    _, g = compiled(
        """\
  - kind: agreement
    title: seven interagency documents
    type: interagency-document
    count: 7
    parties: [KZ, TJ]
    signed: 2024-01
    paragraphs: [7]
"""
    )
    node = RKGD["agreement/2024-01-kz-tj-seven-interagency-documents"]
    assert props(g, node) == {
        (RDF.type, RKG.AgreementGroup),
        (SCHEMA.name, Literal("seven interagency documents")),
        (RKG.agreementType, RKGC["agreement-type/interagency-document"]),
        (RKG.documentCount, Literal(7)),
        (RKG.party, state("KZ")),
        (RKG.party, state("TJ")),
        (RKG.signedOn, Literal("2024-01", datatype=XSD.gYearMonth)),
    }


def test_term_attested_on_the_document_date_by_default():
    _, g = compiled(
        """\
  - kind: term
    person: Tokayev
    office: president
    of: Kazakhstan
    paragraphs: [1]
"""
    )
    node = RKGD["term/tokayev-kz-president"]
    assert props(g, node) == {
        (RDF.type, RKG.TermOfOffice),
        (ORG.member, person("kassym-jomart-tokayev")),
        (ORG.organization, state("KZ")),
        (ORG.role, RKGC["role/president"]),
        (RKG.attestedOn, d("2024-01-01")),
    }


def test_membership_and_chairmanship():
    _, g = compiled(
        """\
  - kind: membership
    member: Kazakhstan
    organisation: EAEU
    attested: 2024
    paragraphs: [2]
  - kind: chairmanship
    member: KZ
    organisation: OSCE
    from: 2010
    paragraphs: [3]
"""
    )
    assert props(g, RKGD["membership/kz-eaeu"]) == {
        (RDF.type, RKG.Membership),
        (ORG.member, state("KZ")),
        (ORG.organization, RKGD["org/eaeu"]),
        (ORG.role, RKGC["role/member"]),
        (RKG.attestedOn, Literal("2024", datatype=XSD.gYear)),
    }
    chair = RKGD["membership/kz-osce-chair-2010"]
    assert props(g, chair) == {
        (RDF.type, RKG.Chairmanship),
        (ORG.member, state("KZ")),
        (ORG.organization, RKGD["org/osce"]),
        (ORG.role, RKGC["role/chair"]),
        (RKG.attestedOn, Literal("2010", datatype=XSD.gYear)),
    }
    interval = g.value(chair, ORG.memberDuring)
    assert (interval, RDF.type, TIME.Interval) in g
    for end in (TIME.hasBeginning, TIME.hasEnd):
        instant = g.value(interval, end)
        assert g.value(instant, TIME.inXSDgYear) == Literal("2010", datatype=XSD.gYear)


def test_decision_at_a_meeting_of_the_sheet_and_initiative():
    _, g = compiled(
        """\
  - kind: meeting
    id: event/2024-01-05-ca-summit
    date: 2024-01-05
    states: [KZ, KG, TJ, TM, UZ]
    paragraphs: [5]
  - kind: decision
    label: Hold the next summit in Tashkent
    type: hold-event
    by: [KZ, KG, TJ, TM, UZ]
    at: event/2024-01-05-ca-summit
    paragraphs: [6]
  - kind: initiative
    name: Central Asian Zone Free from Nuclear Weapons
    by: Kazakhstan
    stage: implemented
    topics: [nuclear-weapon-free-zone]
    paragraphs: [7]
"""
    )
    decision = RKGD["decision/hold-next-summit-tashkent"]
    assert props(g, decision) == {
        (RDF.type, RKG.Decision),
        (SKOS.prefLabel, Literal("Hold the next summit in Tashkent", lang="en")),
        (RKG.decisionType, RKGC["decision-type/hold-event"]),
        (RKG.decidedAt, RKGD["event/2024-01-05-ca-summit"]),
        *((RKG.decidedBy, state(c)) for c in ("KZ", "KG", "TJ", "TM", "UZ")),
    }
    initiative = RKGD["initiative/central-asian-zone-free-nuclear-weapons"]
    assert props(g, initiative) == {
        (RDF.type, RKG.Initiative),
        (SCHEMA.name, Literal("Central Asian Zone Free from Nuclear Weapons")),
        (RKG.proposedBy, state("KZ")),
        (RKG.status, RKGC["status/implemented"]),
        (RKG.topic, RKGC["topic/nuclear-weapon-free-zone"]),
    }


def test_trade_value_and_change():
    _, g = compiled(
        """\
  - kind: trade
    reporter: KZ
    partner: Central Asia
    year: 2023
    value: $1.5 billion
    paragraphs: [8]
  - kind: trade
    reporter: KZ
    partner: Central Asia
    year: 2023
    change: 19 percent
    paragraphs: [8]
"""
    )
    obs = RKGD["obs/kz-turnover-ca-2023"]
    dataset = RKGD["dataset/test-2024-01-01-sheet-trade"]
    assert props(g, obs) == {
        (RDF.type, RKG.TradeObservation),
        (QB.dataSet, dataset),
        (RKG.reporter, state("KZ")),
        (RKG.partner, RKGD["region/central-asia"]),
        (RKG.refPeriod, Literal("2023", datatype=XSD.gYear)),
        (RKG.flow, RKGC["flow/turnover"]),
        (RKG.value, Literal(Decimal("1500.0"))),
        (SDMX_ATTRIBUTE.unitMeasure, RKGC["unit/usd-million"]),
        (RKG.publishedAs, Literal("$1.5 billion")),
        (RKG.precision, Literal(Decimal("50.0"))),
        (RKG.attribution, RKGC["attribution/stated"]),
    }
    assert (dataset, QB.structure, RKG.tradeStructure) in g
    change = RKGD["obs/kz-turnover-ca-change-2023"]
    assert (change, RDF.type, RKG.TradeChangeObservation) in g
    assert (change, RKG.changePercent, Literal(Decimal("19.0"))) in g
    assert (change, RKG.precision, Literal(Decimal("0.5"))) in g
    assert (change, QB.dataSet, RKGD["dataset/test-2024-01-01-sheet-trade-change"]) in g


def test_target():
    _, g = compiled(
        """\
  - kind: target
    parties: [Kazakhstan, Uzbekistan]
    value: $10 billion
    deadline: 2030
    set_by: [Tokayev, Mirziyoyev]
    paragraphs: [9]
"""
    )
    assert props(g, RKGD["target/kz-uz-trade-2030"]) == {
        (RDF.type, RKG.TradeTarget),
        (RKG.party, state("KZ")),
        (RKG.party, state("UZ")),
        (RKG.targetValue, Literal(Decimal("10000.0"))),
        (SDMX_ATTRIBUTE.unitMeasure, RKGC["unit/usd-million"]),
        (RKG.publishedAs, Literal("$10 billion")),
        (RKG.deadline, Literal("2030", datatype=XSD.gYear)),
        (RKG.setBy, person("kassym-jomart-tokayev")),
        (RKG.setBy, person("shavkat-mirziyoyev")),
    }


def test_cultural_year():
    _, g = compiled(
        """\
  - kind: cultural-year
    featured: Kyrgyzstan
    host: Tajikistan
    year: 2024
    name: Year of Kyrgyzstan in Tajikistan
    planned: true
    paragraphs: [3]
"""
    )
    assert props(g, RKGD["event/2024-year-of-kyrgyzstan-in-tajikistan"]) == {
        (RDF.type, RKG.CulturalYear),
        (SCHEMA.name, Literal("Year of Kyrgyzstan in Tajikistan")),
        (RKG.eventType, RKGC["event-type/cultural-year"]),
        (RKG.featuredState, state("KG")),
        (RKG.hostState, state("TJ")),
        (RKG.year, Literal("2024", datatype=XSD.gYear)),
        (SCHEMA.location, state("TJ")),
        (RKG.status, RKGC["status/planned"]),
    }


def test_election_with_results_and_a_declared_candidate():
    _, g = compiled(
        """\
  - kind: election
    state: KZ
    date: 2022-11-20
    turnout: 69.44%
    results:
      - {candidate: Tokayev, share: 81.31, elected: true}
      - {candidate: Jiguli Dayrabayev, share: "3.42", paragraphs: [4]}
    paragraphs: [3]
""",
        entities="""\
  Jiguli Dayrabayev:
    type: person
    nationality: Kazakhstan
    paragraphs: [4]
""",
    )
    election = RKGD["election/2022-11-20-kz-president"]
    winner = RKGD["result/2022-11-20-kz-president-tokayev"]
    other = RKGD["result/2022-11-20-kz-president-dayrabayev"]
    assert props(g, election) == {
        (RDF.type, RKG.Election),
        (RKG.eventType, RKGC["event-type/election"]),
        (RKG.electionFor, state("KZ")),
        (RKG.office, RKGC["role/president"]),
        (SCHEMA.startDate, d("2022-11-20")),
        (SCHEMA.location, state("KZ")),
        (RKG.turnout, Literal(Decimal("69.44"))),
        (RKG.result, winner),
        (RKG.result, other),
    }
    assert props(g, winner) == {
        (RDF.type, RKG.ElectionResult),
        (RKG.candidate, person("kassym-jomart-tokayev")),
        (RKG.voteShare, Literal(Decimal("81.31"))),
        (RKG.elected, Literal(True)),
    }
    assert cited(g, other) == [(4, None)]
    assert props(g, person("jiguli-dayrabayev")) == {
        (RDF.type, RKG.Person),
        (SKOS.prefLabel, Literal("Jiguli Dayrabayev", lang="en")),
        (SCHEMA.name, Literal("Jiguli Dayrabayev")),
        (SCHEMA.nationality, state("KZ")),
    }


def test_declared_place_and_publisher():
    _, g = compiled(
        """\
  - kind: visit
    visitor: Tokayev
    from: KZ
    to: KG
    type: working
    start: 2024-01
    place: Cholpon-Ata
    paragraphs: [2]
""",
        entities="""\
  Cholpon-Ata:
    type: place
    in: Kyrgyzstan
    paragraphs: [2]
""",
    )
    place = RKGD["place/cholpon-ata"]
    assert props(g, place) == {
        (RDF.type, RKG.Place),
        (SKOS.prefLabel, Literal("Cholpon-Ata", lang="en")),
        (RDFS.label, Literal("Cholpon-Ata", lang="en")),
        (SCHEMA.containedInPlace, state("KG")),
    }
    visit = RKGD["visit/2024-01-kz-kg-working"]
    assert (visit, SCHEMA.startDate, Literal("2024-01", datatype=XSD.gYearMonth)) in g
    assert (visit, SCHEMA.location, place) in g


# --- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "value", "precision"),
    [
        ("$1.5 billion", "1500.0", "50.0"),
        ("$700.5 million", "700.5", "0.05"),
        ("$1.98 billion", "1980.0", "5.0"),
        ("$668.0 million", "668.0", "0.05"),
        ("USD 3.6 billion", "3600.0", "50.0"),
    ],
)
def test_amounts_as_published(printed, value, precision):
    assert parse_amount(printed) == (Decimal(value), Decimal(precision), printed)


def test_percentages_and_dates():
    assert parse_percent("79.8%")[:2] == (Decimal("79.8"), Decimal("0.05"))
    assert parse_percent("-27.7 percent")[:2] == (Decimal("-27.7"), Decimal("0.05"))
    assert date_literal(2019) == Literal("2019", datatype=XSD.gYear)
    assert date_literal("2019-11") == Literal("2019-11", datatype=XSD.gYearMonth)
    assert date_literal("2019-11-29") == Literal("2019-11-29", datatype=XSD.date)


# --- malformed sheets: each error names the sheet, the line and the field -----------------------

VISIT = """\
  - kind: visit
    visitor: Tokayev
    from: KZ
    to: KG
    type: state
    start: 2024-01-02
    paragraphs: [2]
"""


def fails(text: str) -> SheetError:
    with pytest.raises(SheetError) as info:
        compile_text(text, "bad.yaml")
    return info.value


def test_unknown_field():
    text = sheet(VISIT.replace("    type: state\n", "    type: state\n    vistor: Tokayev\n"))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "vistor:"), "facts[0].vistor")
    assert str(error).startswith(f"bad.yaml:{error.line}: facts[0].vistor: unknown field")
    assert "visitor" in str(error)  # the allowed fields are listed


def test_unknown_entity_suggests_close_matches():
    text = sheet(VISIT.replace("visitor: Tokayev", "visitor: Kassym-Jomart Tokaev"))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "visitor:"), "facts[0].visitor")
    assert "no entity called 'Kassym-Jomart Tokaev'" in str(error)
    assert "close matches: Kassym-Jomart Tokayev" in str(error)
    assert "declare it under entities:" in str(error)


def test_ambiguous_entity():
    text = sheet(VISIT.replace("visitor: Tokayev", "visitor: Berdimuhamedov"))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "visitor:"), "facts[0].visitor")
    assert "'Berdimuhamedov' is ambiguous" in str(error)
    assert "person/gurbanguly-berdimuhamedow" in str(error)
    assert "person/serdar-berdimuhamedov" in str(error)


def test_entity_of_the_wrong_type():
    error = fails(sheet(VISIT.replace("visitor: Tokayev", "visitor: Kazakhstan")))
    assert error.field == "facts[0].visitor"
    assert "'Kazakhstan' is state/KZ, which is not a person" in str(error)


def test_declared_entity_wins_over_a_missing_one():
    text = sheet(
        VISIT.replace("visitor: Tokayev", "visitor: Berdimuhamedov"),
        entities="  Berdimuhamedov:\n    type: person\n    id: person/serdar-berdimuhamedov\n"
        "    name: Serdar Berdimuhamedov\n",
    )
    result = compile_text(text, "ok.yaml")
    g = result.dataset.graph(result.graph)
    visit = RKGD["visit/2024-01-02-kz-kg-state"]
    assert (visit, RKG.visitor, person("serdar-berdimuhamedov")) in g


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2024-13-02", "'2024-13-02' is not a real date"),
        ("2024-02-30", "'2024-02-30' is not a real date"),
        ("02.01.2024", "does not match"),
    ],
)
def test_bad_date(bad, message):
    text = sheet(VISIT.replace("start: 2024-01-02", f"start: {bad}"))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "start:"), "facts[0].start")
    assert message in str(error)


def test_paragraph_outside_the_document():
    text = sheet(VISIT.replace("paragraphs: [2]", "paragraphs: [2, 12]"))
    error = fails(text)
    assert (error.line, error.field) == (
        line_of(text, "paragraphs: [2, 12]"),
        "facts[0].paragraphs[1]",
    )
    assert "paragraph 12 is outside the document, which has 9 paragraphs" in str(error)


def test_duplicate_fact():
    text = sheet(VISIT + VISIT.replace("visitor: Tokayev", "visitor: Kassym-Jomart Tokayev"))
    error = fails(text)
    second = [i for i, line in enumerate(text.splitlines(), 1) if "kind: visit" in line][1]
    first = line_of(text, "kind: visit")
    assert (error.line, error.field) == (second, "facts[1]")
    assert (
        f"duplicate fact: it compiles to visit/2024-01-02-kz-kg-state, as the fact on line {first}"
        in str(error)
    )


def test_draft_facts_are_refused():
    text = sheet(
        VISIT.replace(
            "    paragraphs: [2]\n", "    paragraphs: [2]\n    status: draft\n    cue: visit\n"
        )
    )
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "status: draft"), "facts[0].status")
    assert "a draft visit fact (drafted from 'visit')" in str(error)
    compile_text(text, "draft.yaml", allow_drafts=True)  # rkg sheet check --allow-drafts


def test_missing_required_field_and_bad_vocabulary():
    text = sheet(VISIT.replace("    type: state\n", ""))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "kind: visit"), "facts[0]")
    assert "'type' is required here" in str(error)
    text = sheet(VISIT.replace("type: state", "type: royal"))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "type: royal"), "facts[0].type")
    assert "'royal' is not one of: state, official, working" in str(error)


def test_bad_yaml_and_repeated_key():
    error = fails(HEADER + "facts:\n  - kind: visit\n    visitor: [Tokayev\n")
    assert error.line is not None and "not valid YAML" in str(error)
    text = sheet(VISIT.replace("    to: KG\n", "    to: KG\n    to: TJ\n"))
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "to: TJ"), "facts[0].to")
    assert "given twice" in str(error)


def test_bad_amount():
    text = sheet(
        "  - kind: trade\n    reporter: KZ\n    partner: KG\n    year: 2023\n"
        "    value: a lot\n    paragraphs: [8]\n"
    )
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "value: a lot"), "facts[0].value")
    assert "'a lot' is not an amount as published" in str(error)


def test_schema_file_is_generated_from_the_vocabulary():
    import json

    from regional_kg.sheets.vocabulary import SCHEMA_PATH, json_schema

    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json_schema()


def test_compiler_files_exist_for_the_validation_cache_key():
    """loader.validation_key hashes these for builds with sheets: a changed compiler revalidates."""
    from regional_kg.sheets import compiler_files

    files = compiler_files()
    assert [p.name for p in files if p.is_file()] == [
        "compile.py", "reader.py", "resolve.py", "statements.py", "values.py", "vocabulary.py",
        "schema.json",
    ]  # fmt: skip


def test_print_document_with_citation_and_a_repost():
    text = """\
document:
  id: scholar-2020-ca
  title: Regional cooperation in Central Asia
  citation: "Doe, J. (2020). Regional cooperation. Journal of Eurasian Studies 11(2)."
  author: Koishybayev
  published: 2020-05
  paragraphs: 3
facts: []
"""
    result = compile_text(text, "print.yaml")
    g = result.dataset.graph(result.graph)
    doc = RKGD["doc/scholar-2020-ca"]
    assert props(g, doc) == {
        (RDF.type, RKG.SourceDocument),
        (SCHEMA.name, Literal("Regional cooperation in Central Asia")),
        (
            URIRef("http://purl.org/dc/terms/bibliographicCitation"),
            Literal("Doe, J. (2020). Regional cooperation. Journal of Eurasian Studies 11(2)."),
        ),
        (SCHEMA.author, person("galymzhan-koishybayev")),
        (SCHEMA.dateCreated, Literal("2020-05", datatype=XSD.gYearMonth)),
        (SCHEMA.inLanguage, Literal("en")),
        (RKG.paragraphCount, Literal(3)),
    }  # no rkg:documentKind: the web-document shape would ask for a url
    repost = HEADER.replace("  kind: news\n", "  kind: mirror\n  original_publisher: nCa\n")
    result = compile_text(repost + "facts: []\n", "repost.yaml")
    g = result.dataset.graph(result.graph)
    assert (DOC, RKG.originalPublisher, RKGD["org/pub-newscentralasia-net"]) in g
    assert (DOC, RKG.documentKind, RKGC["document-kind/mirror"]) in g


def test_reference_to_an_unknown_fact():
    text = sheet(
        "  - kind: decision\n    label: Meet again\n    type: hold-event\n"
        "    at: event/2099-01-01-nowhere\n    paragraphs: [2]\n"
    )
    error = fails(text)
    assert (error.line, error.field) == (line_of(text, "at: event/"), "facts[0].at")
    assert "'event/2099-01-01-nowhere' is neither a fact id of this sheet nor in the graph" in str(
        error
    )


def test_sheet_vocabulary_matches_the_ontology_concepts():
    """Every concept scheme the sheets name holds exactly the ontology's concepts of that scheme
    (a concept added to ``ontology/concepts.ttl`` must reach the sheet schema too); event
    statuses are schema.org's, not the project's."""
    import re

    from regional_kg.sheets.vocabulary import SCHEMES

    text = (REPO / "ontology" / "concepts.ttl").read_text()
    ontology: dict[str, set[str]] = {}
    pattern = r"<https://w3id.org/regional-kg/concept/([a-z-]+)/([a-z0-9-]+)> a skos:Concept"
    for scheme, word in re.findall(pattern, text):
        ontology.setdefault(scheme, set()).add(word)
    for scheme, words in SCHEMES.items():
        if scheme == "event-status":
            continue
        assert set(words) == ontology[scheme], scheme
    assert "armed-clash" in SCHEMES["event-type"]
