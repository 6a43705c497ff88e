"""Spot checks of batch "outside": summits of the five Central Asian states with outside powers
(C5+1, China, EU, Russia) and intraregional / bilateral trade figures and targets, 2017-2025."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from regional_kg.catalogue import run_query

D = "https://w3id.org/regional-kg/id/"
PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _meeting_rows(store, state, event):
    return [
        r
        for r in run_query(store, "meetings", {"state": state})
        if str(r["meeting"]) == D + "event/" + event
    ]


def _roles(rows):
    return {
        (str(r["participantName"]), str(r["role"]).rsplit("/", 1)[1] if r.get("role") else None)
        for r in rows
    }


def _turnover(store, reporter, partner):
    return {
        (str(r["period"]), str(r["observation"]).rsplit("/", 1)[1]): (
            float(r["value"]),
            str(r["publishedAs"]),
        )
        for r in run_query(store, "trade-turnover", {"reporter": reporter, "partner": partner})
    }


def _targets(store, state):
    return {
        str(r["target"]).rsplit("/", 1)[1]: r
        for r in run_query(store, "trade-targets", {"state": state})
    }


def _claims(store, fact):
    result = store.select(
        PREFIXES
        + """SELECT ?value ?preferred ?doc ?contested WHERE {
          ?fact rkg:contested ?contested ; rkg:claim ?c .
          ?c rkg:claimValue ?value ; prov:qualifiedDerivation/prov:entity ?doc .
          OPTIONAL { ?c rkg:preferred ?preferred } }""",
        {"fact": URIRef(D + fact)},
    )
    return {
        (float(r["value"]), str(r["doc"]).rsplit("/", 1)[1], str(r["preferred"]) == "true")
        for r in result
    }, {str(r["contested"]) for r in result}


# ------------------------------------------------------------------------------------------ summits


def test_new_york_c5_1_summit_2023(full_graph_store):
    rows = _meeting_rows(full_graph_store, "US", "2023-09-19-c5-us-summit")
    assert {str(r["start"]) for r in rows} == {"2023-09-19"}
    assert {str(r["locationName"]) for r in rows} == {"New York"}
    assert _roles(rows) == {
        ("Joe Biden", "president"),
        ("Serdar Berdimuhamedov", "president"),
        ("Kassym-Jomart Tokayev", "president"),
        ("Sadyr Japarov", "president"),
        ("Emomali Rahmon", "president"),
        ("Shavkat Mirziyoyev", "president"),
    }


def test_new_york_declaration_title_and_parties(full_graph_store):
    rows = [
        r
        for r in run_query(full_graph_store, "agreements", {"state": "US"})
        if str(r["agreement"]) == D + "agreement/2023-09-19-c5-us-new-york-declaration"
    ]
    assert len(rows) == 1
    assert str(rows[0]["name"]) == (
        "The New York Declaration: C5+1 Resilience through Security, Economic, "
        "and Energy Partnership"
    )
    assert str(rows[0]["signedOn"]) == "2023-09-19"
    assert str(rows[0]["parties"]).count(";") == 5


def test_washington_c5_1_summit_2025(full_graph_store):
    rows = _meeting_rows(full_graph_store, "US", "2025-11-06-c5-us-summit")
    assert {str(r["start"]) for r in rows} == {"2025-11-06"}
    assert {str(r["locationName"]) for r in rows} == {"Washington"}
    assert {("Donald Trump", "president"), ("Shavkat Mirziyoyev", "president")} <= _roles(rows)
    proposal = full_graph_store.select(
        PREFIXES
        + "SELECT ?name WHERE { ?i rkg:occasion ?m ; rkg:proposedBy ?p ; schema:name ?name }",
        {"m": URIRef(D + "event/2025-11-06-c5-us-summit")},
    )
    assert {str(r["name"]) for r in proposal} == {"next C5+1 summit in 2026 in Samarkand"}
    result = full_graph_store.select(
        PREFIXES
        + "SELECT ?name ?n WHERE { ?a a rkg:Agreement ; rkg:occasion ?m ; schema:name ?name .\n"
        "OPTIONAL { ?a rkg:itemCount ?n } }",
        {"m": URIRef(D + "event/2025-11-06-c5-us-summit")},
    )
    deals = {str(r["name"]): r.get("n") for r in result}
    assert set(deals) == {
        "Joint partnership for tungsten development in Kazakhstan",
        "Boeing aircraft deal",
        "Trade and Economic Deal",  # United States-Uzbekistan, added by gap batch c (TAG24)
        "Starlink integration with Veon networks",  # added by data-gaps (nCa para 6)
    }
    assert int(deals["Boeing aircraft deal"]) == 37


def test_xian_summit_dates_and_xian_declaration(full_graph_store):
    rows = _meeting_rows(full_graph_store, "CN", "2023-05-18-china-ca-summit")
    assert {str(r["start"]) for r in rows} == {"2023-05-18"}
    assert {str(r["locationName"]) for r in rows} == {"Xi'an"}
    assert ("Xi Jinping", "president") in _roles(rows) and len(rows) == 6
    agreements = {
        str(r["agreement"]).rsplit("/", 1)[1]: r
        for r in run_query(full_graph_store, "agreements", {"state": "CN"})
    }
    decl = agreements["2023-05-19-china-ca-xian-declaration"]
    assert str(decl["name"]) == "China-Central Asia Summit Xi'an Declaration"
    assert str(decl["signedOn"]) == "2023-05-19"
    assert str(decl["signatories"]).count(";") == 5


def test_xian_memoranda_named_verbatim(full_graph_store):
    result = full_graph_store.select(
        PREFIXES + "SELECT ?name WHERE { ?a rkg:occasion ?m ; schema:name ?name .\n"
        "FILTER NOT EXISTS { ?a rkg:party ?p } }",
        {"m": URIRef(D + "event/2023-05-18-china-ca-summit")},
    )
    names = {str(r["name"]) for r in result}
    assert len(names) == 7
    assert (
        "Memorandum of Understanding between the states of Central Asia and China on cooperation "
        "in the field of digital trade" in names
    )
    assert (
        "Regulations on the work of the mechanism for the meeting of the heads of customs services "
        "in the format "
        "“Central Asia – China”"
    ) in names


def test_xian_decisions_mechanism_and_next_summit(full_graph_store):
    result = full_graph_store.select(
        PREFIXES + "SELECT ?d ?planned WHERE { ?d rkg:decidedAt ?m .\n"
        "OPTIONAL { ?d rkg:plannedEvent ?planned } }",
        {"m": URIRef(D + "event/2023-05-18-china-ca-summit")},
    )
    found = {
        str(r["d"]).rsplit("/", 1)[1]: (str(r["planned"]) if r.get("planned") else None)
        for r in result
    }
    assert found == {
        "2023-05-19-china-ca-summit-mechanism": None,
        "2023-05-19-next-china-ca-summit-in-kazakhstan": D + "event/2025-06-17-china-ca-summit",
    }


def test_astana_china_summit_2025_declaration_and_treaty(full_graph_store):
    rows = _meeting_rows(full_graph_store, "CN", "2025-06-17-china-ca-summit")
    assert {str(r["start"]) for r in rows} == {"2025-06-17"}
    assert {str(r["locationName"]) for r in rows} == {"Astana"}
    assert len(rows) == 6
    agreements = {
        str(r["agreement"]).rsplit("/", 1)[1]: r
        for r in run_query(full_graph_store, "agreements", {"state": "CN"})
    }
    assert (
        str(agreements["2025-06-17-china-ca-astana-declaration"]["name"])
        == "Astana Declaration of the Second Central Asia-China Summit"
    )
    treaty = agreements["2025-06-17-china-ca-good-neighbourliness-treaty"]
    assert (
        str(treaty["name"]) == "Treaty on Eternal Good-Neighborliness, Friendship, and Cooperation"
    )
    assert str(treaty["type"]).endswith("/treaty") and str(treaty["signedOn"]) == "2025-06-17"
    # the agency's wording is an alternative label, not a conflict
    alt = full_graph_store.select(
        PREFIXES + "SELECT ?l WHERE { ?t skos:altLabel ?l }", {"t": URIRef(treaty["agreement"])}
    )
    assert {str(r["l"]) for r in alt} == {
        "Treaty on external good-neighborliness and cooperation",
        # socialistchina.org's wording, added by gap batch c
        "Treaty of Permanent Good-Neighborliness, Friendship and Cooperation",
    }


def test_samarkand_eu_summit_2025_eu_presidents_without_state(full_graph_store):
    rows = _meeting_rows(full_graph_store, "UZ", "2025-04-04-eu-ca-summit")
    assert {str(r["start"]) for r in rows} == {"2025-04-04"}
    assert {str(r["locationName"]) for r in rows} == {"Samarkand"}
    roles = _roles(rows)
    assert ("Shavkat Mirziyoyev", "chair") in roles
    assert {("António Costa", None), ("Ursula von der Leyen", None)} <= roles
    eu = {str(r["participantName"]): r.get("representing") for r in rows}
    assert eu["António Costa"] is None and eu["Ursula von der Leyen"] is None
    agreements = {
        str(r["agreement"]).rsplit("/", 1)[1]: r
        for r in run_query(full_graph_store, "agreements", {"state": "KZ"})
    }
    decl = agreements["2025-04-04-eu-ca-joint-declaration"]
    assert str(decl["name"]) == "Joint Declaration" and "European Union" in str(decl["parties"])


def test_astana_russia_summit_2022(full_graph_store):
    rows = _meeting_rows(full_graph_store, "RU", "2022-10-14-russia-ca-summit")
    assert {str(r["start"]) for r in rows} == {"2022-10-14"}
    assert {str(r["locationName"]) for r in rows} == {"Astana"}
    assert ("Vladimir Putin", "president") in _roles(rows) and len(rows) == 6
    agreements = {
        str(r["agreement"]).rsplit("/", 1)[1]: r
        for r in run_query(full_graph_store, "agreements", {"state": "RU"})
    }
    assert str(agreements["2022-10-14-russia-ca-joint-statement"]["name"]) == "Joint Statement"


def test_dushanbe_russia_summit_2025_chair_and_documents(full_graph_store):
    rows = _meeting_rows(full_graph_store, "RU", "2025-10-09-russia-ca-summit")
    assert {str(r["start"]) for r in rows} == {"2025-10-09"}
    assert {str(r["locationName"]) for r in rows} == {"Dushanbe"}
    assert ("Emomali Rahmon", "chair") in _roles(rows) and len(rows) == 6
    agreements = {
        str(r["agreement"]).rsplit("/", 1)[1]: r
        for r in run_query(full_graph_store, "agreements", {"state": "RU"})
    }
    assert (
        str(agreements["2025-10-09-russia-ca-final-communique"]["name"])
        == "Final Communiqué of the Summit"
    )
    assert (
        str(agreements["2025-10-09-russia-ca-joint-action-plan-2025-2027"]["name"])
        == "Joint Action Plan for 2025–2027"
    )


# -------------------------------------------------------------------------------------------- trade


def test_intraregional_trade_series(full_graph_store):
    # totals of the trade among the five, reported for the region as a whole
    series = _turnover(full_graph_store, "Central Asia", "Central Asia")
    assert series[("2021", "ca-intraregional-turnover-2021")] == (
        8000.0,
        "exceeding 8 billion dollars",
    )
    assert series[("2023", "ca-intraregional-turnover-2023")] == (11000.0, "$11 billion")
    assert series[("2024", "ca-intraregional-turnover-2024")] == (11500.0, "$11.5 billion")


def test_conflict_intraregional_trade_2021(full_graph_store):
    claims, contested = _claims(full_graph_store, "obs/ca-intraregional-turnover-2021")
    assert contested == {"true"}
    assert claims == {
        (8000.0, "akorda-2022-07-21-speech-fourth-consultative-meeting", True),
        (6000.0, "inform-2022-10-14-ca-countries-increased-trade", False),
    }
    claims, contested = _claims(full_graph_store, "obs/ca-intraregional-turnover-change-2021")
    assert contested == {"true"}
    assert claims == {
        (27.0, "akorda-2022-07-21-speech-fourth-consultative-meeting", True),
        (34.0, "inform-2022-10-14-ca-countries-increased-trade", False),
    }


def test_conflict_kz_uz_trade_2022(full_graph_store):
    claims, contested = _claims(full_graph_store, "obs/kz-turnover-uz-2022")
    assert contested == {"true"}
    assert claims == {
        (5000.0, "inform-2023-05-22-kazakhstan-uzbekistan-moderate-growth", True),
        (5000.0, "inform-2024-08-07-kazakhstan-uzbekistan-raise-mutual-trade-10bln", False),
        (4600.0, "menafn-2023-09-23-kazakhstan-uzbekistan-expanding-co-op", False),
    }
    series = _turnover(full_graph_store, "KZ", "UZ")
    assert series[("2022", "kz-turnover-uz-2022")] == (5000.0, "$5 billion")
    assert series[("2021", "kz-turnover-uz-2021")] == (3900.0, "$3.9 billion")


def test_conflict_uz_tm_trade_2021(full_graph_store):
    claims, contested = _claims(full_graph_store, "obs/uz-turnover-tm-2021")
    assert contested == {"true"}
    assert claims == {
        (881.9, "commonspace-2023-uzbekistan-foreign-trade-turkmenistan-gains", True),
        (902.0, "nca-2022-07-15-cerr-data-on-turkmen-uzbek-trade", False),
    }
    claims, _ = _claims(full_graph_store, "obs/uz-turnover-tm-change-2021")
    assert {(v, p) for v, _, p in claims} == {(61.0, True), (67.6, False)}
    series = _turnover(full_graph_store, "UZ", "TM")
    assert series[("2022", "uz-turnover-tm-2022")] == (926.3, "$926.3m")


def test_conflict_uz_tj_trade_2022_and_tajik_figures_apart(full_graph_store):
    claims, contested = _claims(full_graph_store, "obs/uz-turnover-tj-2022")
    assert contested == {"true"}
    assert claims == {
        (674.4, "trend-2023-01-24-tajikistan-uzbekistan-trade-2022", True),
        (676.7, "azernews-2024-06-16-uzbekistan-tajikistan-trade-turnover", False),
    }
    uz = _turnover(full_graph_store, "UZ", "TJ")
    assert {k[0]: v[0] for k, v in uz.items()} == {
        "2019": 480.5,
        "2020": 493.1,
        "2021": 605.6,
        "2022": 674.4,
        "2023": 756.8,
    }
    tj = _turnover(full_graph_store, "TJ", "UZ")
    assert tj[("2019", "tj-turnover-uz-2019")] == (362.0, "$ 362 million")
    assert set(tj) == {
        ("2014", "tj-turnover-uz-2014"),
        ("2018", "tj-turnover-uz-2018"),
        ("2019", "tj-turnover-uz-2019"),
        ("2023", "tj-turnover-uz-2023"),
    }


def test_kz_kg_trade_each_side_own_figures_no_conflict(full_graph_store):
    kz = _turnover(full_graph_store, "KZ", "KG")
    kg = _turnover(full_graph_store, "KG", "KZ")
    assert kz[("2022", "kz-turnover-kg-2022")] == (1300.0, "$1.3 billion")
    assert kz[("2023", "kz-turnover-kg-2023")] == (1500.0, "$1.5 billion")
    assert kg[("2022", "kg-turnover-kz-2022")] == (1181.0, "$1.181 billion")
    assert kg[("2023", "kg-turnover-kz-2023")] == (1317.0, "$1.317 billion")
    result = full_graph_store.select(
        PREFIXES
        + f"""SELECT ?o WHERE {{ ?o rkg:contested ?x .
          FILTER(?o IN (<{D}obs/kz-turnover-kg-2022>, <{D}obs/kz-turnover-kg-2023>,
                        <{D}obs/kg-turnover-kz-2022>, <{D}obs/kg-turnover-kz-2023>)) }}"""
    )
    assert list(result) == []


def test_kz_tm_trade_2021(full_graph_store):
    series = _turnover(full_graph_store, "KZ", "TM")
    assert series[("2021", "kz-turnover-tm-2021")] == (250.0, "surpassing US$250 million")


def test_trade_targets(full_graph_store):
    kz = _targets(full_graph_store, "KZ")
    assert float(kz["ca-intraregional-trade-15bn"]["targetValue"]) == 15000.0
    assert "Kassym-Jomart Tokayev" in str(kz["ca-intraregional-trade-15bn"]["setBy"])
    assert str(kz["ca-intraregional-trade-15bn"]["parties"]).count(";") == 4
    assert float(kz["ca-intraregional-trade-20bn"]["targetValue"]) == 20000.0
    assert float(kz["kz-uz-trade-10bn"]["targetValue"]) == 10000.0
    assert str(kz["kz-uz-trade-10bn"]["horizon"]) == "in the medium term"
    assert str(kz["kz-uz-trade-10bn"]["latestPeriod"]) == "2024"  # the UrduPoint 2024 figure
    assert float(kz["kz-tm-trade-1bn"]["targetValue"]) == 1000.0
    assert "Serdar Berdimuhamedov" in str(kz["kz-tm-trade-1bn"]["setBy"])
    kg = _targets(full_graph_store, "KG")
    assert float(kg["kz-kg-trade-2bn"]["targetValue"]) == 2000.0


# ------------------------------------------------------------------- every document cites its facts

CITED = [
    ("nca-2023-09-20-first-central-asia-usa-summit", "event/2023-09-19-c5-us-summit", 8),
    (
        "doourbest-2023-09-new-york-declaration-c5-1",
        "agreement/2023-09-19-c5-us-new-york-declaration",
        2,
    ),
    (
        "theasian-2023-05-21-xian-declaration-adopted",
        "agreement/2023-05-19-china-ca-xian-declaration",
        4,
    ),
    ("cnkz-edu-2023-05-xian-declaration-full-text", "event/2023-05-18-china-ca-summit", 3),
    (
        "inform-2023-05-19-next-central-asia-china-summit-2025",
        "decision/2023-05-19-next-china-ca-summit-in-kazakhstan",
        3,
    ),
    (
        "nca-2025-06-20-astana-declaration-second-summit",
        "agreement/2025-06-17-china-ca-astana-declaration",
        2,
    ),
    (
        "astanatimes-2025-06-18-china-central-asia-sign-treaty",
        "agreement/2025-06-17-china-ca-good-neighbourliness-treaty",
        1,
    ),
    (
        "qazinform-2025-06-17-summit-adopts-astana-declaration",
        "agreement/2025-06-17-china-ca-good-neighbourliness-treaty",
        5,
    ),
    (
        "ieu-monitoring-2025-04-first-eu-central-asia-summit",
        "participation/2025-04-04-eu-ca-summit-eu-council",
        1,
    ),
    (
        "auspol-2025-04-eu-central-asia-joint-declaration",
        "agreement/2025-04-04-eu-ca-joint-declaration",
        5,
    ),
    (
        "kremlin-2022-10-14-first-russia-central-asia-summit",
        "agreement/2022-10-14-russia-ca-joint-statement",
        8,
    ),
    (
        "inform-2022-10-14-central-asia-russia-summit-astana",
        "participation/2022-10-14-russia-ca-summit-kz",
        3,
    ),
    ("inform-2022-10-14-ca-countries-increased-trade", "event/2022-10-14-russia-ca-summit", 3),
    (
        "nca-2025-10-09-communique-of-the-dushanbe-summit",
        "agreement/2025-10-09-russia-ca-joint-action-plan-2025-2027",
        5,
    ),
    (
        "asiaplustj-2025-10-10-central-asia-russia-dushanbe-summit",
        "event/2022-10-14-russia-ca-summit",
        9,
    ),
    ("nca-2025-11-07-c51-washington-summit", "agreement/2025-11-06-us-ca-boeing-aircraft-deal", 5),
    (
        "centralasianlight-2025-11-historic-c5-1-summit-washington",
        "event/2025-11-06-c5-us-summit",
        1,
    ),
    (
        "akorda-2022-07-21-speech-fourth-consultative-meeting",
        "obs/ca-intraregional-turnover-2021",
        10,
    ),
    (
        "akorda-2023-09-14-tokayev-fifth-consultative-meeting",
        "target/ca-intraregional-trade-15bn",
        15,
    ),
    ("inform-kz-2024-08-09-building-strong-economic-base-crucial-task", "target/ca-intraregional-trade-15bn", 4),
    (
        "silkwaytv-2024-08-intra-regional-trade-to-15-billion",
        "obs/ca-intraregional-turnover-2023",
        5,
    ),
    (
        "silkwaytv-2025-11-16-tokayev-seventh-consultative-meeting",
        "target/ca-intraregional-trade-20bn",
        22,
    ),
    ("inform-2023-05-22-kazakhstan-uzbekistan-moderate-growth", "target/kz-uz-trade-10bn", 11),
    ("inform-2024-08-07-kazakhstan-uzbekistan-raise-mutual-trade-10bln", "target/kz-uz-trade-10bn", 2),
    ("menafn-2023-09-23-kazakhstan-uzbekistan-expanding-co-op", "obs/kz-turnover-uz-2021", 5),
    ("astanatimes-2022-10-15-serdar-berdymukhamedov-first-state-visit-kazakhstan", "target/kz-tm-trade-1bn", 5),
    ("nca-2022-07-15-cerr-data-on-turkmen-uzbek-trade", "obs/uz-turnover-tm-2021", 2),
    ("commonspace-2023-uzbekistan-foreign-trade-turkmenistan-gains", "obs/uz-turnover-tm-2022", 5),
    ("trend-2024-04-09-kyrgyzstan-kazakhstan-trade-2bn", "obs/kg-turnover-kz-2023", 5),
    ("interfax-2023-09-25-kazakhstan-kyrgyzstan-trade-growth", "target/kz-kg-trade-2bn", 8),
    ("nca-2024-04-20-kazakhstan-and-kyrgyzstan-forge-stronger-alliance", "obs/kz-turnover-kg-2023", 6),
    ("trend-2023-01-24-tajikistan-uzbekistan-trade-2022", "obs/uz-turnover-tj-2021", 2),
    ("azernews-2024-06-16-uzbekistan-tajikistan-trade-turnover", "obs/uz-turnover-tj-2023", 2),
    (
        "tajikistannewsgazette-2020-tajik-uzbek-trade-statistics-differ",
        "obs/tj-turnover-uz-2019",
        9,
    ),
    (
        "trend-2025-11-07-mirziyoyev-c5-1-summit-samarkand-2026",
        "participation/2025-11-06-c5-us-summit-uz",
        1,
    ),
    ("qalampir-2025-10-27-trump-invites-central-asian-leaders", "event/2023-09-19-c5-us-summit", 8),
]


@pytest.mark.parametrize(("doc", "fact", "paragraph"), CITED, ids=[c[0] for c in CITED])
def test_document_supports_fact(full_graph_store, doc, fact, paragraph):
    result = full_graph_store.select(
        PREFIXES
        + """SELECT ?n ?count WHERE {
          ?fact prov:qualifiedDerivation [ prov:entity ?doc ; rkg:paragraph ?n ] .
                  ?doc rkg:paragraphCount ?count }""",
        {"fact": URIRef(D + fact), "doc": URIRef(D + "doc/" + doc)},
    )
    rows = list(result)
    assert paragraph in {int(r["n"]) for r in rows}
    assert all(int(r["n"]) <= int(r["count"]) for r in rows)
