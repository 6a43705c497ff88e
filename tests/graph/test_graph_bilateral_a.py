"""Spot checks of batch bilateral-a: Kazakhstan-Uzbekistan, Kyrgyzstan-Uzbekistan, Kazakhstan-Turkmenistan and
Kazakhstan-Kyrgyzstan visits, treaties and trade, 2017-2025 (graph/sources/*, one file per web document)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from regional_kg.catalogue import run_query
from tests.support.paths import REPO

D = "https://w3id.org/regional-kg/id/"
VT = "https://w3id.org/regional-kg/concept/visit-type/"
RKG = "https://w3id.org/regional-kg/ontology#"
SCHEMA = "https://schema.org/"

PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def iri(path: str) -> URIRef:
    return URIRef(D + path)


def visits(store, state):
    return {str(r["visit"]).rsplit("/", 1)[1]: r for r in run_query(store, "visits", {"state": state})}


def cited_paragraphs(store, fact: str, doc: str) -> set[int]:
    result = store.select(
        PREFIXES + """SELECT ?p WHERE { ?fact prov:qualifiedDerivation ?d .
            ?d prov:entity ?doc ; rkg:paragraph ?p }""",
        {"fact": iri(fact), "doc": iri("doc/" + doc)},
    )
    return {int(r["p"]) for r in result}


def claims(store, fact: str):
    """{(claimed value, document slug, preferred)} for the claims on a fact."""
    result = store.select(
        PREFIXES + """SELECT ?value ?doc ?pref WHERE { ?fact rkg:claim ?c .
            ?c rkg:claimValue ?value ; prov:qualifiedDerivation/prov:entity ?doc .
            OPTIONAL { ?c rkg:preferred ?pref } }""",
        {"fact": iri(fact)},
    )
    return {(r["value"], str(r["doc"]).rsplit("/", 1)[1], bool(r.get("pref") and r["pref"].toPython()))
            for r in result}


def value_of(store, fact: str, prop: str):
    result = store.select("SELECT ?v WHERE { ?fact ?p ?v }", {"fact": iri(fact), "p": URIRef(prop)})
    return {r["v"] for r in result}


def contested(store, fact: str) -> bool:
    return Literal(True) in value_of(store, fact, RKG + "contested")


def date(s: str) -> Literal:
    return Literal(s, datatype=XSD.date)


# ------------------------------------------------------------------------------------------ visits

EXPECTED_VISITS = {
    # visit slug: (start, end, type, location)
    "2021-12-06-uz-kz-state": ("2021-12-06", None, "state", "Astana"),
    "2022-12-21-kz-uz-state": ("2022-12-21", None, "state", "Tashkent"),
    "2022-10-12-uz-kz-working": ("2022-10-12", "2022-10-14", "working", "Astana"),
    "2024-08-07-uz-kz-state": ("2024-08-07", None, "state", "Astana"),
    "2025-11-14-kz-uz-state": ("2025-11-14", None, "state", "Tashkent"),
    "2017-09-05-uz-kg-state": ("2017-09-05", None, "state", "Bishkek"),
    # contested: the Uzbek government portal (official, preferred) says state, Interfax and TCA
    # official; the IRI keeps its first slug (tests/graph/test_graph_gaps_model.py)
    "2017-10-kg-uz-official": ("2017-10-05", "2017-10", "state", "Uzbekistan"),
    "2021-03-11-kg-uz-official": ("2021-03-11", "2021-03-12", "official", "Tashkent"),
    "2022-11-03-uz-kg-official": ("2022-11-03", None, "official", "Bishkek"),
    "2023-01-26-uz-kg-state": ("2023-01-26", "2023-01-27", "state", "Bishkek"),
    "2021-10-24-kz-tm-state": ("2021-10-24", "2021-10-25", "state", "Ashgabat"),
    "2022-10-14-tm-kz-state": ("2022-10-14", None, "state", "Kazakhstan"),
    "2024-10-10-kz-tm-official": ("2024-10-10", None, "official", "Ashgabat"),
    "2021-03-02-kg-kz-state": ("2021-03-02", "2021-03-03", "state", "Astana"),
    "2022-05-26-kz-kg-official": ("2022-05-26", None, "official", "Bishkek"),
    "2024-04-18-kg-kz-official": ("2024-04-18", "2024-04-19", "official", "Astana"),
    "2025-08-21-kz-kg-official": ("2025-08-21", None, "official", "Bishkek"),
}


@pytest.mark.parametrize("slug", sorted(EXPECTED_VISITS))
def test_visit_dates_type_and_place(full_graph_store, slug):
    start, end, vtype, place = EXPECTED_VISITS[slug]
    visitor_iso, host_iso = slug.split("-")[-3:-1]
    rows = visits(full_graph_store, host_iso.upper())
    assert slug in rows, slug
    row = rows[slug]
    assert str(row["start"]) == start
    assert (str(row["end"]) if row.get("end") is not None else None) == end
    assert str(row["type"]) == VT + vtype
    assert str(row["locationName"]) == place
    assert str(row["visitingState"]).endswith("/" + visitor_iso.upper())


def test_visitors(full_graph_store):
    names = {slug: str(r["visitorName"]) for slug, r in visits(full_graph_store, "UZ").items()}
    assert names["2021-12-06-uz-kz-state"] == "Shavkat Mirziyoyev"
    assert names["2022-11-03-uz-kg-official"] == "Vladimir Norov"
    assert names["2017-10-kg-uz-official"] == "Almazbek Atambayev"
    assert names["2021-03-11-kg-uz-official"] == "Sadyr Japarov"
    tm = {slug: str(r["visitorName"]) for slug, r in visits(full_graph_store, "TM").items()}
    assert tm["2022-10-14-tm-kz-state"] == "Serdar Berdimuhamedov"
    assert tm["2024-10-10-kz-tm-official"] == "Kassym-Jomart Tokayev"


def test_seed_visit_gets_the_kabar_derivation_not_a_second_node(full_graph_store):
    rows = [s for s in visits(full_graph_store, "KG") if s.startswith("2017-12")]
    assert rows == ["2017-12-25-kg-kz-official"]
    assert cited_paragraphs(full_graph_store, "visit/2017-12-25-kg-kz-official",
                            "kabar-2017-12-25-presidents-kyrgyzstan-kazakhstan-sign-treaty-demarcation") == {3}


# ------------------------------------------------------------------------------------------ agreements

def agreements(store, state, partner):
    return {str(r["agreement"]).rsplit("/", 1)[1]: r
            for r in run_query(store, "agreements", {"state": state, "partner": partner})}


def test_kz_uz_treaties_and_programme(full_graph_store):
    rows = agreements(full_graph_store, "KZ", "UZ")
    treaty = rows["2022-12-22-kz-uz-treaty-allied-relations"]
    assert str(treaty["name"]) == "Treaty on Allied Relations"
    assert str(treaty["signedOn"]) == "2022-12-22"
    assert str(treaty["signatories"]) == "Kassym-Jomart Tokayev; Shavkat Mirziyoyev"
    border = rows["2022-12-21-kz-uz-border-demarcation"]
    assert (str(border["name"]), str(border["signedOn"])) == (
        "Agreement on the demarcation of the state border", "2022-12-21")
    decl = rows["2021-12-06-kz-uz-declaration-allied-relations"]
    assert (str(decl["name"]), str(decl["signedOn"])) == ("Declaration on allied relations", "2021-12-06")
    prog = rows["2024-08-08-kz-uz-strategic-partnership-alliance-programme"]
    assert str(prog["name"]) == "Strategic Partnership and Alliance Program for 2024-2034"
    assert str(rows["2025-11-15-kz-uz-joint-military-exercises"]["name"]).endswith("on holding joint military exercises")


def test_kg_uz_border_treaties(full_graph_store):
    rows = agreements(full_graph_store, "KG", "UZ")
    t22 = rows["2022-11-03-kg-uz-border-treaty"]
    assert str(t22["name"]) == ("Agreement on separate sections of the state border between the Republic of "
                                "Uzbekistan and the Kyrgyz Republic")
    assert str(t22["signedOn"]) == "2022-11-03"
    assert str(t22["signatories"]) == "Jeenbek Kulubayev; Vladimir Norov"
    t17 = rows["2017-09-05-kg-uz-border-treaty"]
    assert (str(t17["name"]), str(t17["signedOn"])) == ("Treaty on the Uzbek-Kyrgyz State Border", "2017-09-05")
    assert value_of(full_graph_store, "agreement/2017-09-05-kg-uz-border-treaty", SCHEMA + "distance") == {
        Literal("1170.53 km")}
    decl = rows["2023-01-kg-uz-comprehensive-strategic-partnership-declaration"]
    assert str(decl["name"]) == "Declaration on Comprehensive Strategic Partnership"
    assert int(rows["2023-01-kg-uz-documents-25"]["documents"]) == 25
    assert int(rows["2021-03-kg-uz-documents-22"]["documents"]) == 22
    assert str(rows["2023-01-kg-uz-ratification-instruments-protocol"]["occasionName"]) == (
        "State visit of President Shavkat Mirziyoyev to Kyrgyzstan")


def test_ratifications_of_the_kg_uz_treaty(full_graph_store):
    assert value_of(full_graph_store, "event/2022-11-30-uz-ratifies-kg-uz-border-treaty",
                    SCHEMA + "startDate") == {date("2022-11-30")}
    assert value_of(full_graph_store, "event/2022-11-29-kg-ratifies-kg-uz-border-treaty",
                    SCHEMA + "startDate") == {date("2022-11-29")}
    assert value_of(full_graph_store, "event/2024-05-20-kz-ratifies-kz-uz-treaty-allied-relations",
                    SCHEMA + "about") == {iri("agreement/2022-12-22-kz-uz-treaty-allied-relations")}


def test_kz_kg_and_kz_tm_agreements(full_graph_store):
    kg = agreements(full_graph_store, "KZ", "KG")
    treaty = kg["2024-04-19-kz-kg-treaty-deepening-allied-relations"]
    assert (str(treaty["name"]), str(treaty["signedOn"])) == (
        "Treaty on Deepening and Expanding Allied Relations", "2024-04-19")
    assert str(kg["2021-03-02-kz-kg-presidents-joint-statement"]["signedOn"]) == "2021-03-02"
    assert "Agreement on Mutual Protection of Investments" in {str(r["name"]) for r in kg.values()}
    tm = agreements(full_graph_store, "KZ", "TM")
    assert int(tm["2024-10-10-kz-tm-documents-20"]["documents"]) == 20
    assert str(tm["2024-10-10-kz-tm-declaration-friendship-strategic-partnership"]["name"]) == (
        "Declaration on Strengthening Friendship and Deepening Multifaceted Strategic Partnership between "
        "Kazakhstan and Turkmenistan")


def test_supreme_interstate_councils(full_graph_store):
    for slug, day in [("2024-08-08-kz-uz-supreme-interstate-council", "2024-08-08"),
                      ("2025-11-15-kz-uz-supreme-interstate-council", "2025-11-15"),
                      ("2024-04-19-kz-kg-supreme-interstate-council", "2024-04-19"),
                      ("2025-08-22-kz-kg-supreme-interstate-council", "2025-08-22")]:
        assert value_of(full_graph_store, "event/" + slug, SCHEMA + "startDate") == {date(day)}, slug
    rows = [r for r in run_query(full_graph_store, "meetings", {"state": "KG"})
            if str(r["meeting"]).endswith("2024-04-19-kz-kg-supreme-interstate-council")]
    assert {(str(r["participantName"]), str(r["role"]).rsplit("/", 1)[1]) for r in rows} == {
        ("Kassym-Jomart Tokayev", "chair"), ("Sadyr Japarov", "chair")}


# ------------------------------------------------------------------------------------------ trade

def turnover(store, reporter, partner, year):
    return {(float(r["value"]), str(r["publishedAs"]))
            for r in run_query(store, "trade-turnover", {"reporter": reporter, "partner": partner, "year": year})}


def test_trade_turnover(full_graph_store):
    assert turnover(full_graph_store, "KZ", "UZ", "2023") == {(4400.0, "4.4 billion US dollars")}
    assert turnover(full_graph_store, "KZ", "KG", "2023") == {(1500.0, "$1.5 billion")}
    assert turnover(full_graph_store, "UZ", "KG", "2022") == {(1300.0, "$1.3 billion")}
    assert turnover(full_graph_store, "KZ", "TM", "2021") == {(250.0, "surpassing US$250 million")}


def test_trade_targets(full_graph_store):
    rows = {str(r["target"]).rsplit("/", 1)[1]: r for r in run_query(full_graph_store, "trade-targets", {"state": "UZ"})}
    assert float(rows["kz-uz-trade-3bn"]["targetValue"]) == 3000.0
    assert float(rows["kz-uz-trade-5bn"]["targetValue"]) == 5000.0
    assert float(rows["kz-uz-trade-10bn"]["targetValue"]) == 10000.0
    assert float(rows["kg-uz-trade-2bn"]["targetValue"]) == 2000.0
    kz = {str(r["target"]).rsplit("/", 1)[1]: r for r in run_query(full_graph_store, "trade-targets", {"state": "TM"})}
    assert float(kz["kz-tm-trade-1bn"]["targetValue"]) == 1000.0
    kg = {str(r["target"]).rsplit("/", 1)[1]: r for r in run_query(full_graph_store, "trade-targets", {"state": "KG"})}
    assert float(kg["kz-kg-trade-2bn"]["targetValue"]) == 2000.0
    # one node for the $10bn goal, restated by five documents
    docs = full_graph_store.select(
        PREFIXES + "SELECT DISTINCT ?doc WHERE { ?t prov:qualifiedDerivation/prov:entity ?doc }",
        {"t": iri("target/kz-uz-trade-10bn")})
    assert len(list(docs)) >= 6


# ------------------------------------------------------------------------------------------ conflicts

def test_conflict_visit_type_2021_state_or_official(full_graph_store):
    fact = "visit/2021-12-06-uz-kz-state"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (URIRef(VT + "state"), "inform-2021-12-06-presidents-private-talks", True),
        (URIRef(VT + "official"), "theasiatoday-2021-12-06-kazakhstan-uzbekistan-alliance-declaration", False)}
    assert value_of(full_graph_store, fact, RKG + "visitType") == {URIRef(VT + "state")}


def test_conflict_visit_type_2022_state_or_official(full_graph_store):
    # agency reports (Kazinform) say state visit, so state is preferred over the news and AA's "official"
    fact = "visit/2022-12-21-kz-uz-state"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (URIRef(VT + "state"), "inform-2022-12-21-8bln-agreements-kazakh-president-visit-uzbekistan", True),
        (URIRef(VT + "state"), "inform-2023-06-23-senate-uzbekistan-ratifies-border-demarcation-agreement", False),
        (URIRef(VT + "state"), "newsline-2022-12-22-tokayev-state-visit-uzbekistan", False),
        (URIRef(VT + "state"), "qalampir-2023-06-30-agreement-demarcation-uzbekistan-kazakhstan-border-ratified", False),
        (URIRef(VT + "official"), "centralasianlight-2022-12-22-treaty-of-alliance", False),
        (URIRef(VT + "official"), "usmuslims-2022-12-22-uzbekistan-kazakhstan-discuss-bilateral-relations", False)}
    assert value_of(full_graph_store, fact, RKG + "visitType") == {URIRef(VT + "state")}


def test_conflict_signing_day_of_the_kz_uz_demarcation_agreement(full_graph_store):
    fact = "agreement/2022-12-21-kz-uz-border-demarcation"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (date("2022-12-21"), "inform-2023-06-23-senate-uzbekistan-ratifies-border-demarcation-agreement", True),
        (date("2022-12-21"), "qalampir-2023-06-30-agreement-demarcation-uzbekistan-kazakhstan-border-ratified", False),
        (date("2022-12-22"), "centralasianlight-2022-12-22-treaty-of-alliance", False),
        (date("2022-12-02"), "inform-2023-07-10-demarcation-kazakh-uzbek-border-fully-completed", False)}
    assert value_of(full_graph_store, fact, RKG + "signedOn") == {date("2022-12-21")}
    for slug, day in [("2023-03-28-kz-ratifies-kz-uz-border-demarcation", "2023-03-28"),
                      ("2023-06-30-uz-ratifies-kz-uz-border-demarcation", "2023-06-30"),
                      ("2023-07-04-kz-uz-border-demarcation-in-force", "2023-07-04")]:
        assert value_of(full_graph_store, "event/" + slug, SCHEMA + "startDate") == {date(day)}


def test_conflict_visit_type_2021_kg_uz(full_graph_store):
    fact = "visit/2021-03-11-kg-uz-official"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (URIRef(VT + "official"), "tashkenttimes-2021-03-11-mirziyoyev-japarov-tete-a-tete-talks", True),
        (URIRef(VT + "state"), "mediaplov-2021-03-11-tashkent-welcomes-sadyr-japarov", False)}


def test_conflict_visit_type_2021_kg_kz(full_graph_store):
    fact = "visit/2021-03-02-kg-kz-state"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (URIRef(VT + "state"), "24kg-2021-03-03-president-sadyr-japarov-completes-state-visit-kazakhstan", True),
        (URIRef(VT + "official"), "astanatimes-2021-03-02-kyrgyz-president-japarov-visits-kazakhstan", False)}


def test_conflict_start_of_the_2024_state_visit(full_graph_store):
    fact = "visit/2024-08-07-uz-kz-state"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (date("2024-08-07"), "inform-2024-08-08-kazakhstan-uzbekistan-strategic-partnership-program", True),
        (date("2024-08-08"), "astanatimes-2024-08-08-kazakhstan-uzbekistan-forge-stronger-ties", False)}
    assert value_of(full_graph_store, fact, SCHEMA + "startDate") == {date("2024-08-07")}


def test_conflict_year_of_the_treaty_on_allied_relations(full_graph_store):
    fact = "agreement/2022-12-22-kz-uz-treaty-allied-relations"
    assert contested(full_graph_store, fact)
    got = claims(full_graph_store, fact)
    assert got == {
        (date("2022-12-22"), "astanatimes-2024-05-21-kazakh-president-ratifies-treaty-allied-relations", False),
        (date("2022-12-22"), "centralasianlight-2022-12-22-treaty-of-alliance", False),
        # agencies (the first rank of the rule that the two dates share): Kazinform and Trend
        # give 2022-12-22, one Kazinform reading of "last year" gives 2023 (fidelity review)
        (date("2022-12-22"), "inform-2024-04-25-kazakh-senate-passes-law-allied-relations-uzbekistan", True),
        (date("2022-12-22"), "trend-2024-02-28-kazakhstan-parliament-ratifies-treaty-allied-relations-uzbekistan", False),
        (Literal("2023", datatype=XSD.gYear), "astanatimes-2024-08-08-kazakhstan-uzbekistan-forge-stronger-ties", False),
        (Literal("2023", datatype=XSD.gYear),
         "inform-2024-08-08-kazakhstan-uzbekistan-strategic-partnership-program", False)}
    assert value_of(full_graph_store, fact, RKG + "signedOn") == {date("2022-12-22")}


def test_conflict_end_year_of_the_alliance_programme(full_graph_store):
    fact = "agreement/2024-08-08-kz-uz-strategic-partnership-alliance-programme"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (Literal("2034", datatype=XSD.gYear), "uzdaily-2024-08-08-first-meeting-supreme-interstate-council", True),
        (Literal("2024", datatype=XSD.gYear), "gazeta-2024-08-08-uzbekistan-kazakhstan-high-level-interstate-council",
         False)}
    assert value_of(full_graph_store, fact, RKG + "validUntil") == {Literal("2034", datatype=XSD.gYear)}


def test_conflict_length_of_the_2022_kg_uz_border_line(full_graph_store):
    fact = "agreement/2022-11-03-kg-uz-border-treaty"
    assert contested(full_graph_store, fact)
    assert claims(full_graph_store, fact) == {
        (Literal("302.29 km"), "kun-2022-11-30-mirziyoyev-signs-agreements-border-kyrgyzstan", True),
        (Literal("302.2 km"), "muslimnetwork-2022-11-30-uzbek-president-signs-laws-ratifying-border-accords", False)}
    assert value_of(full_graph_store, fact, SCHEMA + "distance") == {Literal("302.29 km")}


def test_compatible_figures_merged_kz_tm_trade_2023(full_graph_store):
    # "exceeding half a billion dollars" (Astana Times) and "$563 million" (Trend) agree within their
    # precision: one node with the more precise figure and both documents' derivations
    assert turnover(full_graph_store, "KZ", "TM", "2023") == {(563.0, "$563 million")}
    assert cited_paragraphs(full_graph_store, "obs/kz-turnover-tm-2023", "trend-2025-04-22-turkmenistan-kazakhstan-trade-1bn") == {6}
    assert cited_paragraphs(full_graph_store, "obs/kz-turnover-tm-2023",
                      "astanatimes-2024-10-11-kazakh-turkmen-presidents-set-priorities") == {3}
    assert not contested(full_graph_store, "obs/kz-turnover-tm-2023")


def test_conflict_kz_uz_trade_2022_one_node(full_graph_store):
    # one node for Kazakhstan's 2022 figure; the 4.6 billion of MENAFN/Trend is a claim, not a second node
    assert turnover(full_graph_store, "KZ", "UZ", "2022") == {(5000.0, "$5 billion")}
    assert contested(full_graph_store, "obs/kz-turnover-uz-2022")
    assert {(float(v), d, p) for v, d, p in claims(full_graph_store, "obs/kz-turnover-uz-2022")} == {
        (5000.0, "inform-2023-05-22-kazakhstan-uzbekistan-moderate-growth", True),
        (5000.0, "inform-2024-08-07-kazakhstan-uzbekistan-raise-mutual-trade-10bln", False),
        (4600.0, "menafn-2023-09-23-kazakhstan-uzbekistan-expanding-co-op", False),
    }
    assert turnover(full_graph_store, "UZ", "KZ", "2022") == {(5000.0, "nearly $5 billion")}


# ------------------------------------------------------------------------------------------ every document

SUPPORTED = {
    # document slug: (fact it supports, paragraph)
    "inform-2021-12-06-presidents-private-talks": ("target/kz-uz-trade-3bn", 6),
    "inform-2021-12-06-elbasy-uzbek-president-meet": ("agreement/2021-12-06-kz-uz-declaration-allied-relations", 6),
    "theasiatoday-2021-12-06-kazakhstan-uzbekistan-alliance-declaration": ("visit/2021-12-06-uz-kz-state", 4),
    "centralasianlight-2022-12-22-treaty-of-alliance": ("agreement/2022-12-21-kz-uz-border-demarcation", 5),
    "usmuslims-2022-12-22-uzbekistan-kazakhstan-discuss-bilateral-relations": ("agreement/2022-12-22-kz-uz-treaty-allied-relations", 7),
    "inform-2023-06-23-senate-uzbekistan-ratifies-border-demarcation-agreement":
        ("event/2023-06-23-uz-senate-approves-kz-uz-border-demarcation", 4),
    "inform-2023-07-10-demarcation-kazakh-uzbek-border-fully-completed": ("event/2023-07-04-kz-uz-border-demarcation-in-force", 3),
    "qalampir-2023-06-30-agreement-demarcation-uzbekistan-kazakhstan-border-ratified":
        ("event/2023-03-28-kz-ratifies-kz-uz-border-demarcation", 6),
    "president-uz-2022-10-14-mirziyoyev-working-visit-astana": ("visit/2022-10-12-uz-kz-working", 2),
    "rferl-2017-04-18-turkmenistan-berdymukhammedov-visits-kazakhstan": ("visit/2017-04-18-tm-kz-state", 2),
    "zakonpravo-2018-01-11-ratification-kz-tm-border-demarcation-agreement":
        ("event/2018-01-11-kz-ratifies-kz-tm-border-demarcation", 2),
    "newsline-2022-12-22-tokayev-state-visit-uzbekistan": ("visit/2022-12-21-kz-uz-state", 3),
    "inform-2022-12-21-8bln-agreements-kazakh-president-visit-uzbekistan": ("visit/2022-12-21-kz-uz-state", 6),
    "astanatimes-2024-05-21-kazakh-president-ratifies-treaty-allied-relations":
        ("event/2024-05-20-kz-ratifies-kz-uz-treaty-allied-relations", 1),
    "astanatimes-2024-08-08-kazakhstan-uzbekistan-forge-stronger-ties":
        ("event/2024-08-08-kz-uz-supreme-interstate-council", 8),
    "inform-2024-08-08-kazakhstan-uzbekistan-strategic-partnership-program": ("visit/2024-08-07-uz-kz-state", 4),
    "inform-2024-08-08-kazakhstan-ready-to-increase-exports-uzbekistan": ("obs/kz-turnover-uz-2023", 7),
    "uzdaily-2024-08-08-first-meeting-supreme-interstate-council":
        ("agreement/2024-08-08-kz-uz-strategic-partnership-alliance-programme", 6),
    "gazeta-2024-08-08-uzbekistan-kazakhstan-high-level-interstate-council":
        ("event/2024-08-08-kz-uz-supreme-interstate-council", 1),
    "inform-2024-08-07-kazakhstan-uzbekistan-raise-mutual-trade-10bln": ("event/2024-08-07-kz-uz-business-forum", 1),
    "inform-2023-05-22-kazakhstan-uzbekistan-moderate-growth":
        ("obs/kz-turnover-uz-2022", 11),
    "astanatimes-2023-07-20-kazakhstan-emerges-uzbekistans-third-largest-trade-partner":
        ("obs/uz-turnover-kz-2022", 2),
    "trend-2025-11-14-mirziyoyev-tokayev-strategic-partnership-alliance":
        ("event/2025-11-15-kz-uz-supreme-interstate-council", 3),
    "qazinform-2025-11-15-state-visit-tokayev-uzbekistan-key-agreements":
        ("agreement/2025-11-15-kz-uz-transboundary-water-bodies", 8),
    "interfax-2022-11-03-kyrgyzstan-uzbekistan-border-treaty-kempir-abad": ("visit/2022-11-03-uz-kg-official", 4),
    "kun-2022-11-30-mirziyoyev-signs-agreements-border-kyrgyzstan": ("event/2022-11-30-uz-ratifies-kg-uz-border-treaty", 1),
    "muslimnetwork-2022-11-30-uzbek-president-signs-laws-ratifying-border-accords":
        ("event/2022-11-29-kg-ratifies-kg-uz-border-treaty", 7),
    "einpresswire-2023-01-26-uzbekistan-kyrgyzstan-signed-documents": ("agreement/2023-01-kg-uz-documents-25", 4),
    "centralasianlight-2023-01-27-mirziyoyev-satisfaction-visit-kyrgyzstan": ("target/kg-uz-trade-2bn", 3),
    "legalviews-2023-01-27-uzbekistan-kyrgyzstan-comprehensive-strategic-partnership": ("obs/uz-turnover-kg-2022", 14),
    "perild-2023-01-27-kyrgyzstan-uzbekistan-complete-border-delimitation":
        ("agreement/2023-01-kg-uz-comprehensive-strategic-partnership-declaration", 5),
    "interfax-2017-10-05-uzbekistan-ratifies-border-treaty-kyrgyzstan": ("visit/2017-10-kg-uz-official", 3),
    "barometr-2017-09-05-kyrgyzstan-uzbekistan-border-treaty-85-percent": ("visit/2017-09-05-uz-kg-state", 8),
    "tashkenttimes-2021-03-11-mirziyoyev-japarov-tete-a-tete-talks": ("agreement/2017-09-05-kg-uz-border-treaty", 6),
    "tashkenttimes-2021-03-11-uzbek-kyrgyz-leaders-oversee-handing-over-documents":
        ("agreement/2021-03-11-kg-uz-development-fund", 6),
    "mediaplov-2021-03-11-tashkent-welcomes-sadyr-japarov": ("visit/2021-03-11-kg-uz-official", 2),
    "rambler-2021-03-11-kyrgyz-leader-visit-tashkent-22-documents": ("visit/2021-03-11-kg-uz-official", 5),
    "nca-2021-10-26-first-state-visit-tokayev-turkmenistan": ("visit/2021-10-24-kz-tm-state", 8),
    "shepherdgazette-2021-10-25-president-tokayev-visits-turkmenistan": ("visit/2021-10-24-kz-tm-state", 1),
    "astanatimes-2022-10-15-serdar-berdymukhamedov-first-state-visit-kazakhstan": ("target/kz-tm-trade-1bn", 5),
    "nca-2024-10-11-turkmen-kazakh-summit-talks-20-documents-signed": ("agreement/2024-10-10-kz-tm-documents-20", 4),
    "astanatimes-2024-10-11-kazakh-turkmen-presidents-set-priorities": ("obs/kz-turnover-tm-change-2023", 3),
    "trend-2025-04-22-turkmenistan-kazakhstan-trade-1bn":
        ("obs/kz-turnover-tm-2023", 6),
    "24kg-2021-03-03-president-sadyr-japarov-completes-state-visit-kazakhstan":
        ("agreement/2021-03-02-kz-kg-presidents-joint-statement", 3),
    "astanatimes-2021-03-02-kyrgyz-president-japarov-visits-kazakhstan":
        ("agreement/2021-03-02-kz-kg-presidents-joint-statement", 6),
    "nca-2024-04-20-kazakhstan-and-kyrgyzstan-forge-stronger-alliance": ("obs/kz-turnover-kg-2023", 6),
    "astanatimes-2024-04-19-kazakh-kyrgyz-presidents-chair-supreme-interstate-council":
        ("event/2024-04-19-kz-kg-supreme-interstate-council", 1),
    "eurasianstar-2024-04-19-kazakhstan-kyrgyzstan-deepen-multifaceted-cooperation":
        ("agreement/2024-04-19-kz-kg-mutual-protection-investments", 12),
    "24kg-2025-08-20-presidents-kyrgyzstan-kazakhstan-golden-bridge-of-friendship": ("visit/2022-05-26-kz-kg-official", 7),
    "24kg-2022-05-26-ala-archa-ready-to-welcome-tokayev": ("visit/2022-05-26-kz-kg-official", 3),
    "astanatimes-2025-08-22-kazakhstan-to-open-university-branch-in-osh":
        ("agreement/2025-08-22-kz-kg-comprehensive-cooperation-plan", 7),
    "kabar-2017-12-25-presidents-kyrgyzstan-kazakhstan-sign-treaty-demarcation":
        ("agreement/2017-12-25-kz-kg-border-demarcation", 3),
}


@pytest.mark.parametrize("doc", sorted(SUPPORTED))
def test_each_document_supports_a_fact(full_graph_store, doc):
    fact, paragraph = SUPPORTED[doc]
    assert paragraph in cited_paragraphs(full_graph_store, fact, doc)


def test_every_batch_document_is_checked():
    here = REPO / "graph" / "sources"
    mine = {p.stem for p in here.glob("*.trig") if "Batch bilateral-a" in p.read_text(encoding="utf-8")}
    assert mine == set(SUPPORTED)
