"""Spot checks of the "summits" batch: the Consultative Meetings of the Heads of State of Central
Asia, 2018-2025, with the 2020 postponement and the 2025 Awaza preparatory meeting."""

from __future__ import annotations

import pytest

from regional_kg.catalogue import run_query
from tests.support.spot import select as _select

D = "https://w3id.org/regional-kg/id/"
EV = D + "event/"
DOC = D + "doc/"
M18 = EV + "2018-03-15-ca-heads-of-state-meeting"
M19 = EV + "2019-11-29-ca-heads-of-state-meeting"
M20 = EV + "2020-ca-heads-of-state-meeting-bishkek"
M21 = EV + "2021-08-06-ca-heads-of-state-meeting"
M22 = EV + "2022-07-21-ca-heads-of-state-meeting"
M23 = EV + "2023-09-14-ca-heads-of-state-meeting"
M24 = EV + "2024-08-09-ca-heads-of-state-meeting"
MA25 = EV + "2025-08-05-ca-heads-of-state-meeting"
M25 = EV + "2025-11-16-ca-heads-of-state-meeting"

C5 = {"KZ", "KG", "TJ", "TM", "UZ"}

# meeting -> (start date, place label, participating states)
SUMMITS = {
    M18: ("2018-03-15", "Astana", C5),
    M19: ("2019-11-29", "Tashkent", C5),
    M20: ("2020-08", "Bishkek", C5),
    M21: ("2021-08-06", "Awaza", C5),
    M22: ("2022-07-21", "Cholpon-Ata", C5),
    M23: ("2023-09-14", "Dushanbe", C5 | {"AZ"}),
    M24: ("2024-08-09", "Astana", C5 | {"AZ"}),
    MA25: ("2025-08-05", "Awaza", C5 | {"AZ"}),
    M25: ("2025-11-16", "Tashkent", C5 | {"AZ"}),
}


@pytest.mark.parametrize("meeting", sorted(SUMMITS))
def test_every_summit_has_one_date_one_place_and_its_states(full_graph_store, meeting):
    start, place, states = SUMMITS[meeting]
    rows = _select(
        full_graph_store,
        """SELECT ?start ?place WHERE {
        ?m a rkg:Meeting ; schema:startDate ?start ; schema:location/skos:prefLabel ?place }""",
        m=meeting,
    )
    assert {(str(r["start"]), str(r["place"])) for r in rows} == {(start, place)}
    rows = _select(full_graph_store, "SELECT ?s WHERE { ?m rkg:participatingState ?s }", m=meeting)
    assert {str(r["s"]).rsplit("/", 1)[1] for r in rows} == states


def _roles(store, meeting, state):
    rows = [
        r for r in run_query(store, "meetings", {"state": state}) if str(r["meeting"]) == meeting
    ]
    return {
        (str(r["participantName"]), str(r["role"]).rsplit("/", 1)[1])
        for r in rows
        if r.get("participant")
    }


def test_2018_astana_participants_from_the_seed_and_the_new_sources(full_graph_store):
    assert _roles(full_graph_store, M18, "KZ") == {
        ("Nursultan Nazarbayev", "president"),
        ("Sooronbay Jeenbekov", "president"),
        ("Emomali Rahmon", "president"),
        ("Shavkat Mirziyoyev", "president"),
        ("Akja Nurberdiyeva", "representative"),
    }
    docs = _select(
        full_graph_store,
        """SELECT DISTINCT ?doc WHERE {
        ?p prov:qualifiedDerivation/prov:entity ?doc }""",
        p=D + "participation/2018-03-15-ca-summit-tm",
    )
    assert {str(r["doc"]).rsplit("/", 1)[1] for r in docs} >= {
        "asiaplustj-2018-03-16-kazakh-president-transboundary-water",
        "euractiv-2018-03-16-astana-hosts-central-asia-summit",
    }


def test_2019_tashkent_participants_documents_and_decisions(full_graph_store):
    assert _roles(full_graph_store, M19, "UZ") == {
        ("Shavkat Mirziyoyev", "president"),
        ("Nursultan Nazarbayev", "first-president"),
        ("Sooronbay Jeenbekov", "president"),
        ("Emomali Rahmon", "president"),
        ("Gurbanguly Berdimuhamedow", "president"),
    }
    names = _select(
        full_graph_store, """SELECT ?name WHERE { ?a rkg:occasion ?m ; schema:name ?name }""", m=M19
    )
    assert sorted(str(r["name"]) for r in names) == [
        "Joint Statement of the Consultative meeting of the heads of states of Central Asia",
        "Procedures for holding of consultative meetings",
    ]
    rows = _select(
        full_graph_store,
        """SELECT ?d ?type ?planned WHERE { ?d rkg:decidedAt ?m ; rkg:decisionType ?type .
        OPTIONAL { ?d rkg:plannedEvent ?planned } }""",
        m=M19,
    )
    got = {
        (
            str(r["d"]).rsplit("/", 1)[1],
            str(r["type"]).rsplit("/", 1)[1],
            str(r.get("planned") or ""),
        )
        for r in rows
    }
    assert got == {
        ("2019-11-29-ifas-chairmanship-tm-to-tj", "adopt-document", ""),
        ("2019-11-29-next-meeting-bishkek-2020", "hold-event", M20),
    }


def test_2020_meeting_postponed_for_the_pandemic(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?status ?note WHERE { ?m schema:eventStatus ?status ; skos:note ?note }""",
        m=M20,
    )
    assert [str(r["status"]) for r in rows] == ["https://schema.org/EventPostponed"]
    assert "COVID-19" in str(rows[0]["note"])


def test_2021_awaza_chair_and_un_representative(full_graph_store):
    assert _roles(full_graph_store, M21, "TM") == {
        ("Gurbanguly Berdimuhamedow", "chair"),
        ("Kassym-Jomart Tokayev", "president"),
        ("Sadyr Japarov", "president"),
        ("Emomali Rahmon", "president"),
        ("Shavkat Mirziyoyev", "president"),
        ("Natalia Gherman", "representative"),
    }


def test_2021_awaza_decisions(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?d ?type WHERE { ?d rkg:decidedAt ?m ; rkg:decisionType ?type }""",
        m=M21,
    )
    assert {(str(r["d"]).rsplit("/", 1)[1], str(r["type"]).rsplit("/", 1)[1]) for r in rows} == {
        ("2021-08-06-finalise-regional-cooperation-roadmap", "intend"),
        ("2021-08-06-prepare-friendship-treaty", "intend"),
        ("2021-08-06-regular-foreign-ministers-meetings", "hold-event"),
        ("2021-08-06-diversify-mutual-trade", "intend"),
    }
    planned = _select(
        full_graph_store,
        "SELECT ?e WHERE { ?d rkg:plannedEvent ?e }",
        d=D + "decision/2021-08-06-prepare-friendship-treaty",
    )
    assert [str(r["e"]) for r in planned] == [M22]


def test_2022_cholpon_ata_chair_and_documents(full_graph_store):
    assert _roles(full_graph_store, M22, "KG") == {
        ("Sadyr Japarov", "chair"),
        ("Kassym-Jomart Tokayev", "president"),
        ("Emomali Rahmon", "president"),
        ("Serdar Berdimuhamedov", "president"),
        ("Shavkat Mirziyoyev", "president"),
    }
    rows = _select(
        full_graph_store,
        """SELECT ?a ?type WHERE { ?a rkg:occasion ?m ; rkg:agreementType ?type }""",
        m=M22,
    )
    assert {(str(r["a"]).rsplit("/", 1)[1], str(r["type"]).rsplit("/", 1)[1]) for r in rows} == {
        ("2022-07-21-ca-friendship-good-neighbourliness-treaty", "treaty"),
        ("2022-07-21-ca-joint-statement", "joint-statement"),
        ("2022-07-21-ca-multilateral-formats-concept", "agreement"),
        ("2022-07-21-ca-green-agenda-programme", "programme-of-cooperation"),
        ("2022-07-21-ca-regional-cooperation-roadmap-2022-2024", "roadmap"),
        ("2022-07-21-ifas-president-powers-extension", "agreement"),
    }


def test_2022_treaty_signed_by_three_presidents(full_graph_store):
    treaty = D + "agreement/2022-07-21-ca-friendship-good-neighbourliness-treaty"
    parties = _select(full_graph_store, "SELECT ?p WHERE { ?t rkg:party ?p }", t=treaty)
    assert {str(r["p"]).rsplit("/", 1)[1] for r in parties} == {"KZ", "KG", "UZ"}
    signers = _select(
        full_graph_store, "SELECT ?n WHERE { ?t rkg:signatory/schema:name ?n }", t=treaty
    )
    assert {str(r["n"]) for r in signers} == {
        "Sadyr Japarov",
        "Kassym-Jomart Tokayev",
        "Shavkat Mirziyoyev",
    }
    names = _select(full_graph_store, "SELECT ?n WHERE { ?t schema:name ?n }", t=treaty)
    assert [str(r["n"]) for r in names] == [
        "Treaty on Friendship, Good-Neighborliness and Cooperation for the Development of Central Asia in the XXI century"
    ]


def test_2023_dushanbe_more_sources(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT DISTINCT ?doc WHERE { ?m prov:qualifiedDerivation/prov:entity ?doc }""",
        m=M23,
    )
    assert {str(r["doc"]).rsplit("/", 1)[1] for r in rows} == {
        "nca-2023-09-15-fifth-consultative-meeting",
        "daryo-uz-2023-09-15-mirziyoyev-initiatives-central-asian-cooperation",
        "akorda-2023-09-14-tokayev-fifth-consultative-meeting",
        "menafn-2023-09-14-turkmenistan-to-sign-deeds-central-asian-nations",
    }


def test_2024_astana_chair_guests_and_documents(full_graph_store):
    assert _roles(full_graph_store, M24, "KZ") == {
        ("Kassym-Jomart Tokayev", "chair"),
        ("Sadyr Japarov", "president"),
        ("Emomali Rahmon", "president"),
        ("Serdar Berdimuhamedov", "president"),
        ("Shavkat Mirziyoyev", "president"),
        ("Ilham Aliyev", "president"),
        ("Kakha Imnadze", "representative"),
    }
    rows = _select(
        full_graph_store, """SELECT ?name WHERE { ?a rkg:occasion ?m ; schema:name ?name }""", m=M24
    )
    assert sorted(str(r["name"]) for r in rows) == [
        "Decision of the VI Consultative Meeting of the Heads of Central Asian States “On awarding the President of "
        "the Republic of Uzbekistan Mirziyoyev Shavkat Miromonovich with the Badge of Honor of the Heads of Central "
        "Asian States”",
        "Joint Statement of the Heads of State of Central Asia on the results of the VI Consultative Meeting of the "
        "Heads of State of Central Asia",
        "Roadmap for the development of regional cooperation for 2025-2027",
        "The Concept of development of regional cooperation “Central Asia – 2040”",
    ]


def test_2025_tashkent_documents(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?a ?name WHERE { ?a a rkg:Agreement ; rkg:occasion ?m ; schema:name ?name }""",
        m=M25,
    )
    assert {str(r["a"]).rsplit("/", 1)[1]: str(r["name"]) for r in rows} == {
        "2025-11-16-ca-joint-statement": "совместное заявление по итогам седьмой Консультативной встречи глав государств Центральной Азии",
        "2025-11-16-ca-appeal-kyrgyzstan-unsc-candidacy": "Обращение к государствам-членам ООН по кандидатуре Кыргызской Республики в непостоянные члены "
        "Совета Безопасности ООН на период 2027-2028 годы",
        "2025-11-16-ca-badge-of-honour-tokayev-decision": "решение о награждении президента Республики Казахстан Касым-Жомарта Токаева почетным знаком глав "
        "государств Центральной Азии",
        "2025-11-16-ca-azerbaijan-full-participation-decision": "решение о полноправном участии Азербайджанской Республики в Консультативной встрече глав государств "
        "Центральной Азии",
        "2025-11-16-ca-regional-security-concept": "концепция региональной безопасности, стабильности и устойчивого развития в Центральной Азии",
        "2025-11-16-ca-security-risks-catalogue-2026-2028": "каталог рисков безопасности Центральной Азии и меры по их предупреждению на 2026-2028 годы",
    }


def test_2025_awaza_preparatory_meeting(full_graph_store):
    assert _roles(full_graph_store, MA25, "TM") == {
        ("Gurbanguly Berdimuhamedow", "chair"),
        ("Kassym-Jomart Tokayev", "president"),
        ("Emomali Rahmon", "president"),
        ("Shavkat Mirziyoyev", "president"),
        ("Adylbek Kasymaliev", "head-of-government"),
        ("Ali Asadov", "prime-minister"),
    }


def test_2025_tashkent_azerbaijan_joins_as_full_participant(full_graph_store):
    assert _roles(full_graph_store, M25, "AZ") == {
        ("Shavkat Mirziyoyev", "chair"),
        ("Kassym-Jomart Tokayev", "president"),
        ("Sadyr Japarov", "president"),
        ("Emomali Rahmon", "president"),
        ("Serdar Berdimuhamedov", "president"),
        ("Ilham Aliyev", "president"),
        ("Kakha Imnadze", "representative"),
    }
    rows = _select(
        full_graph_store,
        """SELECT ?state ?role ?begin WHERE {
        ?mem org:member ?state ; org:organization ?org ; org:role ?role ;
             org:memberDuring/time:hasBeginning/time:inXSDDate ?begin }""",
        mem=D + "membership/az-ca-heads-of-state-consultative-meeting",
    )
    assert [
        (str(r["state"]).rsplit("/", 1)[1], str(r["role"]).rsplit("/", 1)[1], str(r["begin"]))
        for r in rows
    ] == [("AZ", "member", "2025-11-16")]


@pytest.mark.parametrize(
    "target, value, published",
    [
        ("ca-intraregional-trade-15bn", "15000.0", "15 billion dollars"),
        ("ca-intraregional-trade-20bn", "20000.0", "$20 billion"),
    ],
)
def test_intraregional_trade_targets(full_graph_store, target, value, published):
    rows = _select(
        full_graph_store,
        """SELECT ?v ?pub (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?t a rkg:TradeTarget ; rkg:targetValue ?v ; rkg:publishedAs ?pub ; rkg:party ?p } GROUP BY ?v ?pub""",
        t=D + "target/" + target,
    )
    assert [(str(float(r["v"])), str(r["pub"]), int(r["n"])) for r in rows] == [
        (value, published, 5)
    ]


# every document of the batch, with one fact it supports and the paragraph it is cited at
DOC_FACTS = [
    ("asiaplustj-2018-03-16-kazakh-president-transboundary-water", M18, 3),
    (
        "euractiv-2018-03-16-astana-hosts-central-asia-summit",
        D + "decision/2018-03-15-annual-meetings",
        4,
    ),
    (
        "inform-kz-2019-11-29-nazarbayev-attends-consultative-meeting-tashkent",
        D + "participation/2019-11-29-ca-summit-kz",
        4,
    ),
    (
        "nca-2019-12-02-tashkent-summit-regional-integration",
        D + "decision/2019-11-29-ifas-chairmanship-tm-to-tj",
        11,
    ),
    (
        "uzbekembassy-in-2019-11-30-joint-statement-consultative-meeting",
        D + "agreement/2019-11-29-ca-joint-statement",
        7,
    ),
    ("kabar-kg-2021-07-16-summit-6-august-turkmenistan", M20, 4),
    (
        "isrs-uz-2021-08-06-president-addresses-consultative-meeting",
        D + "participation/2021-08-06-ca-summit-unrcca",
        4,
    ),
    (
        "turkmenistan-ru-2021-08-07-third-consultative-meeting",
        D + "participation/2021-08-06-ca-summit-tm",
        1,
    ),
    ("gazzettadiroma-2021-08-05-strengthening-cooperation-central-asia", M21, 2),
    ("akorda-2022-07-21-speech-fourth-consultative-meeting", M22, 7),
    (
        "uza-uz-2022-07-21-president-ouzbek-cooperation-multilaterale",
        D + "participation/2022-07-21-ca-summit-kg",
        2,
    ),
    (
        "nca-2022-07-26-treaty-friendship-good-neighborliness-key-points",
        D + "agreement/2022-07-21-ca-friendship-good-neighbourliness-treaty",
        1,
    ),
    (
        "kaktus-media-2022-07-21-treaty-three-central-asian-countries",
        D + "agreement/2022-07-21-ca-green-agenda-programme",
        6,
    ),
    (
        "ittiloot-2022-07-22-central-asian-leaders-vow-boost-cooperation",
        D + "agreement/2022-07-21-ifas-president-powers-extension",
        10,
    ),
    (
        "asianews-2022-07-21-central-asian-nations-agree-greater-cooperation",
        D + "agreement/2022-07-21-ca-friendship-good-neighbourliness-treaty",
        3,
    ),
    (
        "daryo-uz-2023-09-15-mirziyoyev-initiatives-central-asian-cooperation",
        D + "participation/2023-09-14-ca-summit-az",
        2,
    ),
    (
        "akorda-2023-09-14-tokayev-fifth-consultative-meeting",
        D + "target/ca-intraregional-trade-15bn",
        15,
    ),
    (
        "menafn-2023-09-14-turkmenistan-to-sign-deeds-central-asian-nations",
        D + "agreement/2023-09-14-ca-documents",
        1,
    ),
    (
        "nca-2024-08-09-sixth-consultative-meeting-astana",
        D + "agreement/2024-08-09-ca-central-asia-2040-concept",
        12,
    ),
    (
        "inform-kz-2024-08-09-building-strong-economic-base-crucial-task",
        D + "target/ca-intraregional-trade-15bn",
        4,
    ),
    (
        "nca-2025-08-06-meeting-in-awaza-preparations-consultative-summit",
        D + "participation/2025-08-05-ca-meeting-az",
        3,
    ),
    ("trend-az-2025-08-05-central-asian-leaders-informal-meeting-awaza", MA25, 1),
    (
        "president-uz-2025-11-16-mirziyoyev-address-seventh-consultative-meeting",
        D + "membership/az-ca-heads-of-state-consultative-meeting",
        40,
    ),
    (
        "trend-az-2025-11-16-seventh-consultative-meeting-central-asia-azerbaijan",
        D + "participation/2025-11-16-ca-summit-uz",
        4,
    ),
    (
        "yuz-uz-2025-11-16-president-priority-areas-regional-cooperation-new-format",
        D + "participation/2025-11-16-ca-summit-unrcca",
        4,
    ),
    ("azernews-2025-11-14-multilateral-documents-seventh-consultative-meeting", M25, 3),
    (
        "silkwaytv-2025-11-16-tokayev-seventh-consultative-meeting",
        D + "target/ca-intraregional-trade-20bn",
        22,
    ),
    (
        "orient-tm-2022-07-08-central-asian-leaders-meet-july-21",
        D + "decision/2021-08-06-prepare-friendship-treaty",
        8,
    ),
    (
        "bigasia-2021-08-07-results-consultative-meeting-turkmenistan",
        D + "decision/2021-08-06-regular-foreign-ministers-meetings",
        5,
    ),
    (
        "24-kg-2025-11-16-consultative-meeting-documents-signed",
        D + "agreement/2025-11-16-ca-azerbaijan-full-participation-decision",
        7,
    ),
    (
        "sputniknews-uz-2025-11-16-seventh-consultative-meeting-documents",
        D + "agreement/2025-11-16-ca-appeal-kyrgyzstan-unsc-candidacy",
        5,
    ),
]


@pytest.mark.parametrize("slug, fact, paragraph", DOC_FACTS, ids=[s for s, _, _ in DOC_FACTS])
def test_each_document_supports_a_checked_fact(full_graph_store, slug, fact, paragraph):
    rows = _select(
        full_graph_store,
        """SELECT ?para ?count ?kind WHERE {
        ?fact prov:qualifiedDerivation [ prov:entity ?doc ; rkg:paragraph ?para ] .
        ?doc rkg:paragraphCount ?count ; rkg:documentKind ?kind }""",
        fact=fact,
        doc=DOC + slug,
    )
    assert paragraph in {int(r["para"]) for r in rows}
    assert all(int(r["para"]) <= int(r["count"]) for r in rows)


# every conflict: fact, property, {doc: values}, preferred doc, value on the fact
CONFLICTS = [
    (
        M21,
        "https://schema.org/startDate",
        {
            "isrs-uz-2021-08-06-president-addresses-consultative-meeting": {"2021-08-06"},
            "kabar-kg-2021-07-16-summit-6-august-turkmenistan": {"2021-08-06"},
            "gazzettadiroma-2021-08-05-strengthening-cooperation-central-asia": {"2021-08-05"},
        },
        "isrs-uz-2021-08-06-president-addresses-consultative-meeting",
        {"2021-08-06"},
    ),
    (
        M21,
        "https://schema.org/location",
        {
            "isrs-uz-2021-08-06-president-addresses-consultative-meeting": {D + "place/awaza"},
            "kabar-kg-2021-07-16-summit-6-august-turkmenistan": {D + "place/awaza"},
            "turkmenistan-ru-2021-08-07-third-consultative-meeting": {D + "place/awaza"},
            "gazzettadiroma-2021-08-05-strengthening-cooperation-central-asia": {
                D + "place/turkmenbashi"
            },
        },
        "isrs-uz-2021-08-06-president-addresses-consultative-meeting",
        {D + "place/awaza"},
    ),
    (
        D + "agreement/2022-07-21-ca-friendship-good-neighbourliness-treaty",
        "https://w3id.org/regional-kg/ontology#party",
        {
            "nca-2022-07-26-treaty-friendship-good-neighborliness-key-points": {
                D + "state/KZ",
                D + "state/KG",
                D + "state/UZ",
            },
            "kaktus-media-2022-07-21-treaty-three-central-asian-countries": {
                D + "state/KZ",
                D + "state/KG",
                D + "state/UZ",
            },
            "ittiloot-2022-07-22-central-asian-leaders-vow-boost-cooperation": {
                D + "state/KZ",
                D + "state/KG",
                D + "state/UZ",
            },
            "asianews-2022-07-21-central-asian-nations-agree-greater-cooperation": {
                D + "state/KZ",
                D + "state/KG",
                D + "state/UZ",
                D + "state/TJ",
            },
        },
        "nca-2022-07-26-treaty-friendship-good-neighborliness-key-points",
        {D + "state/KZ", D + "state/KG", D + "state/UZ"},
    ),
    (
        M23,
        "https://schema.org/endDate",
        {
            "nca-2023-09-15-fifth-consultative-meeting": {"2023-09-14"},
            "menafn-2023-09-14-turkmenistan-to-sign-deeds-central-asian-nations": {"2023-09-15"},
        },
        "nca-2023-09-15-fifth-consultative-meeting",
        {"2023-09-14"},
    ),
    (
        D + "agreement/2023-09-14-ca-health-roadmap",
        "https://w3id.org/regional-kg/ontology#validFrom",
        {
            "nca-2023-09-15-fifth-consultative-meeting": {"2022"},
            "menafn-2023-09-14-turkmenistan-to-sign-deeds-central-asian-nations": {"2023"},
        },
        "nca-2023-09-15-fifth-consultative-meeting",
        {"2022"},
    ),
    (
        M25,
        "https://schema.org/startDate",
        {
            "president-uz-2025-11-16-mirziyoyev-address-seventh-consultative-meeting": {
                "2025-11-16"
            },
            "trend-az-2025-11-16-seventh-consultative-meeting-central-asia-azerbaijan": {
                "2025-11-16"
            },
            "yuz-uz-2025-11-16-president-priority-areas-regional-cooperation-new-format": {
                "2025-11-16"
            },
            "azernews-2025-11-14-multilateral-documents-seventh-consultative-meeting": {
                "2025-11-15"
            },
            "sputniknews-uz-2025-11-16-seventh-consultative-meeting-documents": {"2025-11-16"},
            "iica-uz-2025-11-16-seventh-consultative-meeting-community-of-central-asia": {
                "2025-11-16"
            },
        },
        "president-uz-2025-11-16-mirziyoyev-address-seventh-consultative-meeting",
        {"2025-11-16"},
    ),
]


@pytest.mark.parametrize(
    "fact, prop, claims, preferred_doc, fact_values",
    CONFLICTS,
    ids=[
        f"{f.rsplit('/', 1)[1]}-{p.rsplit('/', 1)[1].rsplit('#', 1)[-1]}" for f, p, *_ in CONFLICTS
    ],
)
def test_each_conflict_keeps_both_claims_and_one_preferred(
    full_graph_store, fact, prop, claims, preferred_doc, fact_values
):
    rows = _select(
        full_graph_store,
        """SELECT ?claim ?value ?doc ?preferred WHERE {
        ?fact rkg:contested true ; rkg:claim ?claim .
        ?claim rkg:claimProperty ?prop ; rkg:claimValue ?value ; prov:qualifiedDerivation/prov:entity ?doc .
        OPTIONAL { ?claim rkg:preferred ?preferred } }""",
        fact=fact,
        prop=prop,
    )
    got: dict[str, set[str]] = {}
    preferred = set()
    for r in rows:
        doc = str(r["doc"]).rsplit("/", 1)[1]
        got.setdefault(doc, set()).add(str(r["value"]))
        if str(r.get("preferred")) == "true":
            preferred.add(doc)
    assert got == claims
    assert preferred == {preferred_doc}
    on_fact = _select(full_graph_store, "SELECT ?v WHERE { ?fact ?prop ?v }", fact=fact, prop=prop)
    assert {str(r["v"]) for r in on_fact} == fact_values
