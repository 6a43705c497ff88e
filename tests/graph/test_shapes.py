"""The SHACL shapes accept a well-formed graph and reject each kind of mistake where it happens.

One valid fixture (tests/fixtures/shapes/valid.ttl) holds an instance of every entity and fact
kind. Each case breaks it with a SPARQL update and asserts the exact set of (focus node, path)
pairs that the validator reports, the shape that reports them and a word of the message, so that
a shape that stops firing, or starts firing elsewhere, fails a test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import PROV, SH

from tests.support.paths import REPO

ROOT = REPO  # the checkout
ONTOLOGY_DIR = ROOT / "ontology"
VALID = ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl"

RKG = "https://w3id.org/regional-kg/ontology#"
RKGD = "https://w3id.org/regional-kg/id/"
RKGSH = "https://w3id.org/regional-kg/shapes#"
PREFIXES = """
PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX rkgd: <https://w3id.org/regional-kg/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX schema: <https://schema.org/>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def d(local: str) -> URIRef:
    """A data IRI (rkgd:)."""
    return URIRef(RKGD + local)


def r(local: str) -> URIRef:
    """An ontology IRI (rkg:)."""
    return URIRef(RKG + local)


def iri(local: str) -> str:
    """A data IRI in SPARQL syntax (slashes rule out prefixed names)."""
    return f"<{RKGD}{local}>"


def concept(local: str) -> str:
    return f"<https://w3id.org/regional-kg/concept/{local}>"


S = URIRef("https://schema.org/")
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
QB = "http://purl.org/linked-data/cube#"
SDMX_UNIT = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure")
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
QUALIFIED = PROV.qualifiedDerivation


def schema(local: str) -> URIRef:
    return URIRef(f"{S}{local}")


@pytest.fixture(scope="module")
def ont_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "regional-kg.ttl")
    g.parse(ONTOLOGY_DIR / "concepts.ttl")
    return g


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


@pytest.fixture(scope="module")
def valid_graph() -> Graph:
    return Graph().parse(VALID)


def _path_key(report: Graph, path):
    """A comparable form of a result path: an IRI, a tuple for a sequence, ('^', p) for inverse."""
    if path is None or isinstance(path, URIRef):
        return path
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return ("^", inverse)
    return tuple(Collection(report, path))


@dataclass(frozen=True)
class Result:
    focus: object
    path: object
    shape: object
    message: str
    severity: URIRef


def validate(data: Graph, shapes: Graph, ont: Graph | None, **kw) -> tuple[bool, list[Result]]:
    """Run pyshacl the way the loader does and flatten the top-level results."""
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ont, advanced=True, **kw
    )
    results = []
    for node in report.objects(None, SH.result):
        source = report.value(node, SH.sourceShape)
        # A property shape is a blank node; name it by the node shape that holds it.
        owner = shapes.value(None, SH.property, source) if isinstance(source, BNode) else None
        results.append(
            Result(
                focus=report.value(node, SH.focusNode),
                path=_path_key(report, report.value(node, SH.resultPath)),
                shape=owner if owner is not None else source,
                message=str(report.value(node, SH.resultMessage) or ""),
                severity=report.value(node, SH.resultSeverity),
            )
        )
    return bool(conforms), results


@dataclass(frozen=True)
class Case:
    id: str
    shape: str
    update: str
    expected: frozenset
    message: str


def case(id, shape, update, *expected, message):
    return pytest.param(Case(id, shape, update, frozenset(expected), message), id=id)


def drop(subject: str, prop: str) -> str:
    return f"DELETE WHERE {{ {subject} {prop} ?o }}"


def replace(subject: str, prop: str, new: str) -> str:
    return (
        f"DELETE {{ {subject} {prop} ?o }} INSERT {{ {subject} {prop} {new} }} "
        f"WHERE {{ {subject} {prop} ?o }}"
    )


def drop_derivation(subject: str) -> str:
    return (
        f"DELETE {{ {subject} prov:qualifiedDerivation ?d . ?d ?p ?o }} "
        f"WHERE {{ {subject} prov:qualifiedDerivation ?d . ?d ?p ?o }}"
    )


def set_in_derivation(subject: str, prop: str, new: str) -> str:
    return (
        f"DELETE {{ ?d {prop} ?o }} INSERT {{ ?d {prop} {new} }} "
        f"WHERE {{ {subject} prov:qualifiedDerivation ?d . ?d {prop} ?o }}"
    )


KZ, UZ = iri("state/KZ"), iri("state/UZ")
ASTANA = iri("place/astana")
LEADER = iri("person/leader-uz")
IGO, COUNCIL = iri("org/test-igo"), iri("org/test-council")
TERM = iri("term/leader-uz-president")
MEMBERSHIP, CHAIR = iri("membership/kz-test-igo"), iri("membership/kz-test-igo-chair")
VISIT = iri("visit/2017-12-25-uz-kz-official")
MEETING = iri("event/2018-03-15-meeting")
PARTICIPATION = iri("event/2018-03-15-meeting/participation/uz")
CULTURE = iri("event/2018-uz-culture-year-in-kz")
FORUM = iri("event/2017-12-forum")
TALLY = iri("tally/uz-kz-visits")
CASUALTY = iri("casualty/2018-03-15-meeting-uz")
AGREEMENT = iri("agreement/2017-12-25-kz-uz-test")
GROUP = iri("agreement/2017-12-25-kz-uz-documents")
INITIATIVE, DECISION = iri("initiative/test"), iri("decision/test")
OBS, CHANGE = iri("obs/kz-turnover-uz-2017"), iri("obs/kz-turnover-change-ca-2017")
TARGET = iri("target/kz-uz-trade-2020")
DATASET, DOC = iri("dataset/test-trade"), iri("doc/test")
REGION = iri("region/central-asia")
INTERVAL_OBS = iri("obs/kz-turnover-uz-2018-01-2018-02")
INTERVAL_CHANGE = iri("obs/kz-turnover-change-uz-2018-01-2018-02")
PERIOD, BASE_PERIOD = iri("period/2018-01-2018-02"), iri("period/2017-01-2017-02")
PLEDGE = iri("pledge/2017-12-25-uz-test")
ESTIMATE = iri("estimate/2017-12-25-kz-uz-test")
STAKE_KZ, STAKE_UZ = iri("stake/test-council-kz-60"), iri("stake/test-council-uz-40")
BORDER = iri("event/2017-12-25-kz-uz-border-formalisation")
WEBDOC = iri("doc/test-web")
ELECTION = iri("election/2019-06-09-uz-presidential")
RESULT = iri("result/2019-06-09-uz-presidential-leader-uz")
CLAIM = iri("claim/2019-06-09-uz-presidential-turnout-test")
CLAIM_WEB = iri("claim/2019-06-09-uz-presidential-turnout-test-web")
POSTPONED = iri("event/2020-meeting")


def u(s: str) -> URIRef:
    return URIRef(s.strip("<>"))


CASES = [
    # ---- entities
    case(
        "state-iso-code-lowercase",
        "StateShape",
        replace(KZ, "rkg:isoCode", '"kz"'),
        (u(KZ), r("isoCode")),
        message="two capital letters",
    ),
    case(
        "state-second-english-name",
        "StateShape",
        f'INSERT DATA {{ {KZ} skos:prefLabel "Qazaqstan"@en }}',
        (u(KZ), SKOS_PREF),
        message="English name",
    ),
    case(
        "region-member-not-a-state",
        "RegionShape",
        f"INSERT DATA {{ {REGION} rkg:memberState {ASTANA} }}",
        (u(REGION), r("memberState")),
        message="rkg:State",
    ),
    case(
        "place-without-name",
        "PlaceShape",
        drop(ASTANA, "rdfs:label"),
        (u(ASTANA), None),
        message="needs a name",
    ),
    case(
        "person-without-english-name",
        "PersonShape",
        drop(LEADER, "skos:prefLabel"),
        (u(LEADER), SKOS_PREF),
        message="English name",
    ),
    case(
        "organisation-status-from-wrong-scheme",
        "OrganisationShape",
        replace(IGO, "rkg:status", concept("visit-type/state")),
        (u(IGO), r("status")),
        message="status scheme",
    ),
    # ---- offices and memberships
    case(
        "term-member-is-a-state",
        "TermOfOfficeShape",
        replace(TERM, "org:member", KZ),
        (u(TERM), URIRef(ORG + "member")),
        message="rkg:Person",
    ),
    case(
        "term-without-time",
        "TermOfOfficeShape",
        drop(TERM, "rkg:attestedOn"),
        (u(TERM), None),
        message="needs a time",
    ),
    case(
        "term-attested-as-string",
        "TermOfOfficeShape",
        replace(TERM, "rkg:attestedOn", '"March 2018"'),
        (u(TERM), r("attestedOn")),
        message="xsd:gYearMonth",
    ),
    case(
        "membership-without-organisation",
        "MembershipShape",
        drop(MEMBERSHIP, "org:organization"),
        (u(MEMBERSHIP), URIRef(ORG + "organization")),
        message="org:organization",
    ),
    case(
        "membership-instant-untyped",
        "MembershipShape",
        'DELETE { ?i time:inXSDgYear ?y } INSERT { ?i time:inXSDgYear "2017" } '
        f"WHERE {{ {MEMBERSHIP} org:memberDuring/time:hasBeginning ?i . ?i time:inXSDgYear ?y }}",
        (u(MEMBERSHIP), URIRef(ORG + "memberDuring")),
        message="time:Interval",
    ),
    case(
        "membership-ends-before-it-begins",
        "MemberDuringOrderShape",
        'DELETE { ?i time:inXSDDate ?y } INSERT { ?i time:inXSDDate "2016-12-31"^^xsd:date } '
        f"WHERE {{ {MEMBERSHIP} org:memberDuring/time:hasEnd ?i . ?i time:inXSDDate ?y }}",
        (u(MEMBERSHIP), URIRef(ORG + "memberDuring")),
        message="ends (2016-12-31)",
    ),
    case(
        "chairmanship-with-member-role",
        "ChairmanshipShape",
        replace(CHAIR, "org:role", concept("role/member")),
        (u(CHAIR), URIRef(ORG + "role")),
        message="rkgc:role/chair",
    ),
    # ---- events
    case(
        "event-start-date-untyped",
        "EventShape",
        replace(MEETING, "schema:startDate", '"15 March 2018"'),
        (u(MEETING), schema("startDate")),
        message="xsd:date",
    ),
    case(
        "visit-ends-before-it-starts",
        "EventShape",
        replace(VISIT, "schema:endDate", '"2017-11"^^xsd:gYearMonth'),
        (u(VISIT), schema("endDate")),
        message="before it starts",
    ),
    case(
        "event-located-at-a-person",
        "EventShape",
        replace(MEETING, "schema:location", LEADER),
        (u(MEETING), schema("location")),
        message="rkg:Place",
    ),
    case(
        "visit-without-host",
        "VisitShape",
        drop(VISIT, "rkg:hostState"),
        (u(VISIT), r("hostState")),
        message="rkg:hostState",
    ),
    case(
        "visit-type-from-wrong-scheme",
        "VisitShape",
        replace(VISIT, "rkg:visitType", concept("format/bilateral")),
        (u(VISIT), r("visitType")),
        message="visit-type",
    ),
    case(
        "visit-without-start",
        "VisitShape",
        drop(VISIT, "schema:startDate"),
        (u(VISIT), schema("startDate")),
        message="schema:startDate",
    ),
    case(
        "meeting-without-participants",
        "MeetingShape",
        drop(MEETING, "rkg:participatingState") + " ; " + drop(MEETING, "rkg:participation"),
        (u(MEETING), None),
        (u(PARTICIPATION), ("^", r("participation"))),
        message="participants",
    ),
    case(
        "participant-is-a-place",
        "ParticipationShape",
        replace(PARTICIPATION, "rkg:participant", ASTANA),
        (u(PARTICIPATION), r("participant")),
        message="rkg:Person or rkg:State",
    ),
    case(
        "cultural-year-untyped-year",
        "CulturalYearShape",
        replace(CULTURE, "rkg:year", '"2018"'),
        (u(CULTURE), r("year")),
        message="xsd:gYear",
    ),
    case(
        "forum-negative-count",
        "BusinessForumShape",
        replace(FORUM, "rkg:participantCount", "-1"),
        (u(FORUM), r("participantCount")),
        message="non-negative",
    ),
    case(
        "tally-count-as-string",
        "EventTallyShape",
        replace(TALLY, "rkg:count", '"five"'),
        (u(TALLY), r("count")),
        message="rkg:count",
    ),
    case(
        "casualty-figure-killed-negative",
        "CasualtyFigureShape",
        replace(CASUALTY, "rkg:killed", "-3"),
        (u(CASUALTY), r("killed")),
        message="rkg:killed",
    ),
    case(
        "casualty-figure-without-occasion",
        "CasualtyFigureShape",
        drop(CASUALTY, "rkg:occasion"),
        (u(CASUALTY), r("occasion")),
        message="exactly one rkg:occasion",
    ),
    # ---- agreements, initiatives, decisions
    case(
        "agreement-without-party",
        "AgreementShape",
        f"{drop(AGREEMENT, 'rkg:party')} ; {drop(AGREEMENT, 'rkg:occasion')}",
        (u(AGREEMENT), r("party")),
        message="at least one rkg:party",
    ),
    case(
        "agreement-without-type",
        "AgreementShape",
        drop(AGREEMENT, "rkg:agreementType"),
        (u(AGREEMENT), r("agreementType")),
        message="agreement-type",
    ),
    case(
        "agreement-without-name",
        "AgreementShape",
        drop(AGREEMENT, "schema:name"),
        (u(AGREEMENT), schema("name")),
        message="schema:name",
    ),
    case(
        "programme-ends-before-it-starts",
        "AgreementShape",
        replace(AGREEMENT, "rkg:validUntil", '"2017"^^xsd:gYear'),
        (u(AGREEMENT), r("validUntil")),
        message="before rkg:validFrom",
    ),
    case(
        "group-of-no-documents",
        "AgreementGroupShape",
        replace(GROUP, "rkg:documentCount", "0"),
        (u(GROUP), r("documentCount")),
        message="at least 1",
    ),
    case(
        "initiative-without-name",
        "InitiativeShape",
        drop(INITIATIVE, "schema:name"),
        (u(INITIATIVE), schema("name")),
        message="schema:name",
    ),
    case(
        "initiative-proposed-by-a-place",
        "InitiativeShape",
        f"INSERT DATA {{ {INITIATIVE} rkg:proposedBy {ASTANA} }}",
        (u(INITIATIVE), r("proposedBy")),
        message="rkg:Person or rkg:State",
    ),
    case(
        "decision-type-from-topic-scheme",
        "DecisionShape",
        replace(DECISION, "rkg:decisionType", concept("topic/trade")),
        (u(DECISION), r("decisionType")),
        message="decision-type",
    ),
    case(
        "decision-by-nobody-nowhere",
        "DecisionShape",
        drop(DECISION, "rkg:decidedBy") + " ; " + drop(DECISION, "rkg:decidedAt"),
        (u(DECISION), None),
        message="rkg:decidedBy",
    ),
    # ---- trade
    case(
        "observation-value-integer",
        "TradeObservationShape",
        replace(OBS, "rkg:value", "1980"),
        (u(OBS), r("value")),
        message="not 1500",
    ),
    case(
        "observation-without-reporter",
        "TradeObservationShape",
        drop(OBS, "rkg:reporter"),
        (u(OBS), r("reporter")),
        message="rkg:reporter",
    ),
    case(
        "observation-two-partners",
        "TradeObservationShape",
        f"INSERT DATA {{ {OBS} rkg:partner {KZ} }}",
        (u(OBS), r("partner")),
        message="exactly one rkg:partner",
    ),
    case(
        "observation-negative-precision",
        "TradeObservationShape",
        replace(OBS, "rkg:precision", '"-5.0"^^xsd:decimal'),
        (u(OBS), r("precision")),
        message="at least 0",
    ),
    case(
        "observation-attribution-wrong-scheme",
        "TradeObservationShape",
        replace(OBS, "rkg:attribution", concept("flow/turnover")),
        (u(OBS), r("attribution")),
        message="rkgc:attribution/inferred",
    ),
    case(
        "observation-without-unit",
        "TradeObservationShape",
        drop(OBS, "sdmx-attribute:unitMeasure"),
        (u(OBS), SDMX_UNIT),
        message="unitMeasure",
    ),
    case(
        "observation-in-change-data-set",
        "TradeObservationShape",
        replace(OBS, "qb:dataSet", iri("dataset/test-trade-change")),
        (u(OBS), (URIRef(QB + "dataSet"), URIRef(QB + "structure"))),
        message="rkg:tradeStructure",
    ),
    case(
        "change-percent-as-string",
        "TradeChangeObservationShape",
        replace(CHANGE, "rkg:changePercent", '"18.4%"'),
        (u(CHANGE), r("changePercent")),
        message="rkg:changePercent",
    ),
    case(
        "change-without-period",
        "TradeChangeObservationShape",
        drop(CHANGE, "rkg:refPeriod"),
        (u(CHANGE), r("refPeriod")),
        message="rkg:refPeriod",
    ),
    case(
        "data-set-without-structure",
        "DataSetShape",
        drop(DATASET, "qb:structure"),
        (u(DATASET), URIRef(QB + "structure")),
        (u(OBS), (URIRef(QB + "dataSet"), URIRef(QB + "structure"))),
        message="qb:structure",
    ),
    case(
        "target-with-one-party",
        "TradeTargetShape",
        f"DELETE DATA {{ {TARGET} rkg:party {UZ} }}",
        (u(TARGET), r("party")),
        message="at least two",
    ),
    case(
        "target-value-zero",
        "TradeTargetShape",
        replace(TARGET, "rkg:targetValue", "0.0"),
        (u(TARGET), r("targetValue")),
        message="positive",
    ),
    case(
        "target-without-time-frame",
        "TradeTargetShape",
        drop(TARGET, "rkg:deadline"),
        (u(TARGET), None),
        message="time frame",
    ),
    # ---- sources and provenance
    case(
        "document-author-is-a-state",
        "SourceDocumentShape",
        replace(DOC, "schema:author", KZ),
        (u(DOC), schema("author")),
        message="rkg:Person",
    ),
    case(
        "decision-without-source",
        "FactProvenanceShape",
        drop_derivation(DECISION),
        (u(DECISION), QUALIFIED),
        message="cites no paragraph",
    ),
    case(
        "visit-without-source",
        "FactProvenanceShape",
        drop_derivation(VISIT),
        (u(VISIT), QUALIFIED),
        message="cites no paragraph",
    ),
    case(
        "fact-cites-a-document-but-no-paragraph",
        "FactProvenanceShape",
        f"DELETE WHERE {{ {OBS} prov:qualifiedDerivation ?d . ?d rkg:paragraph ?p }}",
        (u(OBS), QUALIFIED),
        message="cites no paragraph",
    ),
    case(
        "paragraph-zero",
        "CitationShape",
        set_in_derivation(AGREEMENT, "rkg:paragraph", "0"),
        (u(AGREEMENT), QUALIFIED),
        message="rkg:paragraph",
    ),
    case(
        "paragraph-as-string",
        "CitationShape",
        set_in_derivation(AGREEMENT, "rkg:paragraph", '"12"'),
        (u(AGREEMENT), QUALIFIED),
        message="rkg:paragraph",
    ),
    case(
        "derivation-entity-not-a-document",
        "CitationShape",
        set_in_derivation(TARGET, "prov:entity", KZ),
        (u(TARGET), QUALIFIED),
        message="rkg:SourceDocument",
    ),
    case(
        "paraphrase-without-language",
        "CitationShape",
        set_in_derivation(TERM, "rkg:paraphrase", '"no language tag"'),
        (u(TERM), QUALIFIED),
        message="English text",
    ),
    case(
        "paragraph-beyond-document",
        "CitationShape",
        set_in_derivation(TALLY, "rkg:paragraph", "61"),
        (u(TALLY), QUALIFIED),
        message="only 60 paragraphs",
    ),
    # ---- web sources, claims, elections, event status
    case(
        "web-document-without-publisher",
        "WebDocumentShape",
        drop(WEBDOC, "schema:publisher"),
        (u(WEBDOC), schema("publisher")),
        message="schema:publisher",
    ),
    case(
        "web-document-url-as-iri",
        "WebDocumentShape",
        replace(WEBDOC, "schema:url", "<https://example.org/news/1>"),
        (u(WEBDOC), schema("url")),
        message="xsd:anyURI",
    ),
    case(
        "web-document-kind-outside-scheme",
        "WebDocumentShape",
        replace(WEBDOC, "rkg:documentKind", "<https://w3id.org/regional-kg/concept/role/chair>"),
        (u(WEBDOC), r("documentKind")),
        message="document-kind scheme",
    ),
    case(
        "claim-without-value",
        "ClaimShape",
        drop(CLAIM_WEB, "rkg:claimValue"),
        (u(CLAIM_WEB), r("claimValue")),
        message="rkg:claimValue",
    ),
    case(
        "claim-without-paragraph",
        "ClaimShape",
        drop_derivation(CLAIM_WEB),
        (u(CLAIM_WEB), QUALIFIED),
        message="cites the paragraph",
    ),
    case(
        "contested-fact-with-two-preferred-claims",
        "ContestedFactShape",
        f"INSERT DATA {{ {CLAIM_WEB} rkg:preferred true }}",
        (u(ELECTION), r("claim")),
        message="exactly one preferred claim",
    ),
    case(
        "contested-fact-shows-another-value",
        "ContestedFactShape",
        replace(ELECTION, "rkg:turnout", "77.9"),
        (u(ELECTION), r("claim")),
        message="does not carry that value",
    ),
    case(
        "contested-fact-with-one-claim",
        "ContestedFactShape",
        f"DELETE DATA {{ {ELECTION} rkg:claim {CLAIM_WEB} }}",
        (u(ELECTION), r("claim")),
        message="at least two rkg:claim",
    ),
    case(
        "election-without-state",
        "ElectionShape",
        drop(ELECTION, "rkg:electionFor"),
        (u(ELECTION), r("electionFor")),
        message="rkg:electionFor",
    ),
    case(
        "election-turnout-over-100",
        "ElectionShape",
        f"{replace(ELECTION, 'rkg:turnout', '177.5')} ; "
        f"{replace(CLAIM, 'rkg:claimValue', '177.5')}",
        (u(ELECTION), r("turnout")),
        message="between 0 and 100",
    ),
    case(
        "result-without-candidate",
        "ElectionResultShape",
        drop(RESULT, "rkg:candidate"),
        (u(RESULT), r("candidate")),
        message="exactly one rkg:candidate",
    ),
    case(
        "result-vote-share-as-string",
        "ElectionResultShape",
        replace(RESULT, "rkg:voteShare", '"70.96"'),
        (u(RESULT), r("voteShare")),
        message="rkg:voteShare",
    ),
    case(
        "fulfils-an-event-that-was-not-planned",
        "FulfilmentShape",
        f"INSERT DATA {{ {MEETING} rkg:fulfils {POSTPONED} }}",
        (u(MEETING), (r("fulfils"), r("status"))),  # the sequence path fulfils/status
        message="status is planned",
    ),
    case(
        "interval-observation-with-a-year",
        "IntervalTradeObservationShape",
        f'INSERT DATA {{ {INTERVAL_OBS} rkg:refPeriod "2018"^^xsd:gYear }}',
        (u(INTERVAL_OBS), r("refPeriod")),
        message="no rkg:refPeriod",
    ),
    case(
        "interval-observation-period-as-a-literal",
        "IntervalTradeObservationShape",
        replace(INTERVAL_OBS, "rkg:refInterval", '"2018-01/2018-02"'),
        (u(INTERVAL_OBS), r("refInterval")),
        # ReferenceIntervalShape also reports the literal: it has no dated beginning or end
        (Literal("2018-01/2018-02"), URIRef(TIME + "hasBeginning")),
        (Literal("2018-01/2018-02"), URIRef(TIME + "hasEnd")),
        message="time:ProperInterval",
    ),
    case(
        "interval-change-without-base",
        "IntervalTradeChangeObservationShape",
        drop(INTERVAL_CHANGE, "rkg:baseInterval"),
        (u(INTERVAL_CHANGE), r("baseInterval")),
        message="rkg:baseInterval",
    ),
    case(
        "interval-change-against-a-later-base",
        "IntervalTradeChangeObservationShape",
        replace(INTERVAL_CHANGE, "rkg:baseInterval", PERIOD),
        (u(INTERVAL_CHANGE), r("baseInterval")),
        message="earlier period",
    ),
    case(
        "interval-ends-before-it-begins",
        "ReferenceIntervalShape",
        f"DELETE {{ ?i time:inXSDgYearMonth ?m }} "
        f'INSERT {{ ?i time:inXSDgYearMonth "2017-12"^^xsd:gYearMonth }} '
        f"WHERE {{ {PERIOD} time:hasEnd ?i . ?i time:inXSDgYearMonth ?m }}",
        (u(PERIOD), URIRef(TIME + "hasEnd")),
        message="ends (2017-12) before it begins",
    ),
    case(
        "interval-without-end",
        "ReferenceIntervalShape",
        f"DELETE {{ {BASE_PERIOD} time:hasEnd ?i . ?i ?p ?o }} "
        f"WHERE {{ {BASE_PERIOD} time:hasEnd ?i . ?i ?p ?o }}",
        (u(BASE_PERIOD), URIRef(TIME + "hasEnd")),
        message="exactly one time:hasEnd",
    ),
    case(
        "pledge-currency-as-a-sign",
        "PledgedAmountShape",
        replace(PLEDGE, "schema:currency", '"$"'),
        (u(PLEDGE), schema("currency")),
        message="ISO 4217",
    ),
    case(
        "pledge-without-pledging-party",
        "PledgedAmountShape",
        drop(PLEDGE, "rkg:pledgedBy"),
        (u(PLEDGE), r("pledgedBy")),
        message="rkg:pledgedBy",
    ),
    case(
        "pledge-without-source",
        "PledgedAmountShape",
        drop_derivation(PLEDGE),
        (u(PLEDGE), QUALIFIED),
        message="cites the paragraph",
    ),
    case(
        "estimated-cost-with-a-pledging-party",
        "EstimatedCostShape",
        f"INSERT DATA {{ {ESTIMATE} rkg:pledgedBy {UZ} }}",
        (u(ESTIMATE), r("pledgedBy")),
        message="not a pledge",
    ),
    case(
        "stake-without-percent",
        "ShareholdingShape",
        drop(STAKE_KZ, "rkg:stakePercent"),
        (u(STAKE_KZ), r("stakePercent")),
        message="rkg:stakePercent",
    ),
    case(
        "shares-of-one-company-over-100",
        "ShareholdingShape",
        replace(STAKE_UZ, "rkg:stakePercent", "50.0"),
        (u(STAKE_KZ), URIRef(ORG + "organization")),
        (u(STAKE_UZ), URIRef(ORG + "organization")),
        message="more than 100",
    ),
    case(
        "border-formalisation-without-agreement",
        "BorderFormalisationShape",
        drop(BORDER, "schema:about"),
        (u(BORDER), schema("about")),
        message="schema:about",
    ),
    case(
        "border-formalisation-of-three-states",
        "BorderFormalisationShape",
        f'INSERT DATA {{ {iri("state/TJ")} a rkg:State ; rkg:isoCode "TJ" ; '
        f'skos:prefLabel "Tajikistan"@en . {BORDER} rkg:involves {iri("state/TJ")} }}',
        (u(BORDER), r("involves")),
        message="3 states are involved",
    ),
    case(
        "group-part-not-an-agreement",
        "AgreementGroupShape",
        f"INSERT DATA {{ {GROUP} schema:hasPart {IGO} }}",
        (u(GROUP), schema("hasPart")),
        message="schema:hasPart",
    ),
    case(
        "planned-end-as-text",
        "TermOfOfficeShape",
        replace(TERM, "rkg:plannedEnd", '"until 2030"'),
        (u(TERM), r("plannedEnd")),
        message="rkg:plannedEnd",
    ),
    case(
        "planned-end-before-the-term-began",
        "TermOfOfficeShape",
        f"INSERT DATA {{ {TERM} org:memberDuring [ a time:Interval ; time:hasBeginning "
        f'[ a time:Instant ; time:inXSDgYear "2031"^^xsd:gYear ] ] }}',
        (u(TERM), r("plannedEnd")),
        message="before the term's beginning",
    ),
    case(
        "distance-without-unit",
        "DistanceShape",
        replace(AGREEMENT, "schema:distance", '"302.29"'),
        (u(AGREEMENT), schema("distance")),
        message="a number and km",
    ),
    case(
        "event-status-not-a-schema-status",
        "EventStatusShape",
        replace(POSTPONED, "schema:eventStatus", "schema:Thing"),
        (u(POSTPONED), schema("eventStatus")),
        message="EventPostponed",
    ),
]


def _mutated(valid: Graph, update: str) -> Graph:
    g = Graph()
    for t in valid:
        g.add(t)
    g.update(PREFIXES + update)
    return g


def test_valid_fixture_conforms(valid_graph, shapes_graph, ont_graph):
    conforms, results = validate(valid_graph, shapes_graph, ont_graph, inference="none")
    assert results == [] and conforms


def test_valid_fixture_conforms_with_rdfs_inference(valid_graph, shapes_graph, ont_graph):
    conforms, results = validate(valid_graph, shapes_graph, ont_graph, inference="rdfs")
    assert results == [] and conforms


def test_valid_fixture_conforms_as_one_union_graph(valid_graph, shapes_graph, ont_graph):
    """The loader validates ontology + shapes + data as one graph, without an ont_graph."""
    union = Graph()
    for g in (valid_graph, shapes_graph, ont_graph):
        for t in g:
            union.add(t)
    conforms, results = validate(union, shapes_graph, None, inference="none")
    assert results == [] and conforms


@pytest.mark.parametrize("broken", CASES)
def test_broken_fixture_is_rejected_where_it_breaks(broken, valid_graph, shapes_graph, ont_graph):
    data = _mutated(valid_graph, broken.update)
    conforms, results = validate(data, shapes_graph, ont_graph, inference="none")
    assert not conforms
    assert {(x.focus, x.path) for x in results} == set(broken.expected)
    assert URIRef(RKGSH + broken.shape) in {x.shape for x in results}
    assert all(x.severity == SH.Violation for x in results)
    assert any(broken.message in x.message for x in results), [x.message for x in results]


def test_subclass_instances_are_targeted_without_inference(valid_graph, shapes_graph):
    """Without the ontology the Visit is not known to be an Event, so its bad end date passes;
    with the ontology as ont_graph the EventShape reaches it through rdfs:subClassOf."""
    data = _mutated(valid_graph, replace(VISIT, "schema:endDate", '"2017-11-30"^^xsd:date'))
    ont = Graph().parse(ONTOLOGY_DIR / "regional-kg.ttl").parse(ONTOLOGY_DIR / "concepts.ttl")
    _, with_ont = validate(data, shapes_graph, ont, inference="none")
    assert (u(VISIT), schema("endDate")) in {(x.focus, x.path) for x in with_ont}
    only_concepts = Graph().parse(ONTOLOGY_DIR / "concepts.ttl")
    _, without = validate(data, shapes_graph, only_concepts, inference="none")
    assert (u(VISIT), schema("endDate")) not in {(x.focus, x.path) for x in without}


def test_missing_source_on_a_mention_is_only_a_warning(valid_graph, shapes_graph, ont_graph):
    data = _mutated(valid_graph, drop_derivation(COUNCIL))
    conforms, results = validate(data, shapes_graph, ont_graph, inference="none")
    assert not conforms
    assert [(x.focus, x.path, x.severity) for x in results] == [(u(COUNCIL), QUALIFIED, SH.Warning)]
    assert results[0].shape == URIRef(RKGSH + "MentionProvenanceShape")
    conforms, _ = validate(data, shapes_graph, ont_graph, inference="none", allow_warnings=True)
    assert conforms


def test_every_targeting_shape_has_a_broken_case(shapes_graph):
    targeting = {
        s
        for p in (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode)
        for s in shapes_graph.subjects(p, None)
    }
    tested = {URIRef(RKGSH + c.values[0].shape) for c in CASES}
    tested.add(URIRef(RKGSH + "MentionProvenanceShape"))
    assert targeting - tested == set()


def test_every_targeted_class_has_an_instance_in_the_valid_fixture(
    valid_graph, shapes_graph, ont_graph
):
    """Otherwise 'the valid fixture conforms' would prove nothing for that shape."""
    merged = Graph()
    for g in (valid_graph, ont_graph):
        for t in g:
            merged.add(t)
    for cls in set(shapes_graph.objects(None, SH.targetClass)):
        q = "ASK { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }"
        assert merged.query(q, initBindings={"c": cls}).askAnswer, cls


def test_messages_are_written_for_people(shapes_graph):
    """Every property shape of a targeting node shape carries its own sh:message."""
    for node_shape in set(shapes_graph.subjects(SH.targetClass, None)):
        for prop in shapes_graph.objects(node_shape, SH.property):
            message = shapes_graph.value(prop, SH.message)
            assert isinstance(message, Literal) and len(str(message)) > 15, (node_shape, prop)


def test_reference_entities_may_cite_sources_without_paragraphs(
    valid_graph, shapes_graph, ont_graph
):
    """ISO 3166 or Wikidata have no paragraphs: a state citing them conforms, and several
    attestation dates and several paragraphs per derivation are allowed."""
    data = _mutated(
        valid_graph,
        f"""INSERT DATA {{
            {iri("doc/iso-3166-1")} a rkg:SourceDocument ; schema:name "ISO 3166-1" .
            {KZ} prov:qualifiedDerivation [ prov:entity {iri("doc/iso-3166-1")} ] .
            {TERM} rkg:attestedOn "2018-06-08"^^xsd:date .
        }} ;
        INSERT {{ ?d rkg:paragraph 28, 47 }}
        WHERE {{ {OBS} prov:qualifiedDerivation ?d }}""",
    )
    conforms, results = validate(data, shapes_graph, ont_graph, inference="none")
    assert results == [] and conforms
