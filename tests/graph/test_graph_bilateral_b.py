"""Spot checks of batch "bilateral-b": visits, meetings, treaties and trade between Uzbekistan,
Tajikistan, Kyrgyzstan, Turkmenistan and Kazakhstan (2017-2025), and every conflict between sources."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from regional_kg.catalogue import run_query

D = "https://w3id.org/regional-kg/id/"
VT = "https://w3id.org/regional-kg/concept/visit-type/"
RKG = "https://w3id.org/regional-kg/ontology#"

PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""


# (visit slug, start, end or None, type, visiting, host, location label)
VISITS = [
    ("2017-11-tm-tj-official", "2017-11", None, "official", "TM", "TJ", "Dushanbe"),
    ("2018-03-09-uz-tj-state", "2018-03-09", "2018-03-10", "state", "UZ", "TJ", "Tajikistan"),
    ("2018-08-17-tj-uz-state", "2018-08-17", "2018-08-18", "state", "TJ", "UZ", "Tashkent"),
    ("2021-06-uz-tj-official", "2021-06", None, "official", "UZ", "TJ", "Tajikistan"),
    ("2022-06-02-tj-uz-official", "2022-06-02", "2022-06-03", "official", "TJ", "UZ", "Tashkent"),
    ("2022-07-14-tm-uz-state", "2022-07-14", "2022-07-15", "state", "TM", "UZ", "Tashkent"),
    ("2022-10-20-uz-tm-official", "2022-10-20", "2022-10-21", "official", "UZ", "TM", "Ashgabat"),
    ("2023-05-04-tj-kz-state", "2023-05-04", "2023-05-05", "state", "TJ", "KZ", "Astana"),
    ("2023-05-10-tm-tj-state", "2023-05-10", "2023-05-11", "state", "TM", "TJ", "Tajikistan"),
    ("2024-04-04-tm-tj-official", "2024-04-04", None, "official", "TM", "TJ", "Dushanbe"),
    ("2024-04-18-uz-tj-state", "2024-04-18", "2024-04-19", "state", "UZ", "TJ", "Dushanbe"),
    ("2024-08-22-kz-tj-state", "2024-08-22", None, "state", "KZ", "TJ", "Dushanbe"),
    ("2025-03-12-tj-kg-state", "2025-03-12", None, "state", "TJ", "KG", "Bishkek"),
    ("2025-03-31-uz-tj-working", "2025-03-31", "2025-03-31", "working", "UZ", "TJ", "Khujand"),
    ("2025-11-16-tm-uz-state", "2025-11-16", "2025-11-17", "state", "TM", "UZ", "Tashkent"),
    ("2025-12-11-uz-tm-working", "2025-12-11", None, "working", "UZ", "TM", "Ashgabat"),
]


@pytest.mark.parametrize("slug,start,end,kind,visiting,host,location", VISITS)
def test_visit(full_graph_store, slug, start, end, kind, visiting, host, location):
    rows = [r for r in run_query(full_graph_store, "visits", {"state": host})
            if str(r["visit"]) == D + "visit/" + slug]
    assert rows, slug
    assert {str(r["start"]) for r in rows} == {start}
    assert {str(r["end"]) if r.get("end") is not None else None for r in rows} == {end}
    assert {str(r["type"]) for r in rows} == {VT + kind}
    assert {str(r["visitingState"]) for r in rows} == {D + "state/" + visiting}
    assert location in {str(r["locationName"]) for r in rows}


def test_visitors(full_graph_store):
    visitors = {str(r["visit"]).rsplit("/", 1)[1]: str(r["visitorName"])
                for r in run_query(full_graph_store, "visits", {"state": "TJ"})}
    assert visitors["2024-04-04-tm-tj-official"] == "Gurbanguly Berdimuhamedow"
    assert visitors["2023-05-10-tm-tj-state"] == "Serdar Berdimuhamedov"
    assert visitors["2024-08-22-kz-tj-state"] == "Kassym-Jomart Tokayev"
    assert visitors["2025-03-12-tj-kg-state"] == "Emomali Rahmon"


def test_khujand_trilateral_summit(full_graph_store):
    meeting = D + "event/2025-03-31-kg-tj-uz-khujand-meeting"
    rows = [r for r in run_query(full_graph_store, "meetings", {"state": "KG"}) if str(r["meeting"]) == meeting]
    assert {str(r["start"]) for r in rows} == {"2025-03-31"}
    assert {str(r["locationName"]) for r in rows} == {"Khujand"}
    assert {(str(r["participantName"]), str(r["representing"]).rsplit("/", 1)[1]) for r in rows} == {
        ("Sadyr Japarov", "KG"), ("Emomali Rahmon", "TJ"), ("Shavkat Mirziyoyev", "UZ")}


def _agreements(store, state, partner=None):
    params = {"state": state} if partner is None else {"state": state, "partner": partner}
    return {str(r["agreement"]).removeprefix(D + "agreement/"): r for r in run_query(store, "agreements", params)}


def test_khujand_documents(full_graph_store):
    rows = _agreements(full_graph_store, "UZ", "KG")
    junction = rows["2025-03-31-kg-tj-uz-junction-point"]
    assert str(junction["name"]) == "Treaty on the Junction Point of State Borders"
    assert str(junction["signedOn"]) == "2025-03-31"
    assert set(str(junction["parties"]).split("; ")) == {"Kyrgyzstan", "Tajikistan", "Uzbekistan"}
    assert set(str(junction["signatories"]).split("; ")) == {"Sadyr Japarov", "Emomali Rahmon", "Shavkat Mirziyoyev"}
    assert str(rows["2025-03-31-kg-tj-uz-khujand-declaration"]["name"]) == "Khujand Declaration on Eternal Friendship"


def test_kg_tj_border_treaty_and_documents(full_graph_store):
    rows = _agreements(full_graph_store, "KG", "TJ")
    treaty = rows["2025-03-13-kg-tj-state-border"]
    assert str(treaty["name"]) == "Agreement on the State Border between the Kyrgyz Republic and the Republic of Tajikistan"
    assert str(treaty["signedOn"]) == "2025-03-13"
    assert str(treaty["occasion"]) == D + "visit/2025-03-12-tj-kg-state"
    assert int(rows["2025-03-13-kg-tj-visit-documents"]["documents"]) == 16
    assert str(rows["2025-03-13-kg-tj-joint-statement"]["name"]) == (
        "Joint Statement on further strengthening friendship and good neighborliness")
    assert "2025-03-13-kg-tj-customs-information-protocol" in rows


def test_uz_tj_treaties_and_declarations(full_graph_store):
    rows = _agreements(full_graph_store, "UZ", "TJ")
    assert str(rows["2018-08-17-tj-uz-strategic-partnership"]["name"]) == (
        "Strategic Partnership Agreement between Tajikistan and Uzbekistan")
    assert str(rows["2018-08-17-tj-uz-strategic-partnership"]["signedOn"]) == "2018-08-17"
    assert str(rows["2018-03-uz-tj-border-certain-areas"]["name"]) == "Agreement on certain areas of Uzbek-Tajik State border"
    assert int(rows["2018-03-uz-tj-visit-documents"]["documents"]) == 27
    assert str(rows["2022-06-tj-uz-eternal-friendship-alliance-declaration"]["name"]) == (
        "Declaration on strengthening eternal friendship and alliance")
    assert str(rows["2022-06-tj-uz-eternal-friendship-alliance-declaration"]["signedOn"]) == "2022-06"
    assert int(rows["2021-06-uz-tj-visit-documents"]["documents"]) == 30
    allied = rows["2024-04-18-uz-tj-allied-relations"]
    assert str(allied["name"]) == "Treaty on Allied Relations between Uzbekistan and Tajikistan"
    assert str(allied["occasion"]) == D + "visit/2024-04-18-uz-tj-state"
    assert str(rows["2025-03-31-uz-tj-allied-relations-ratification-protocol"]["signedOn"]) == "2025-03-31"


def test_other_treaties(full_graph_store):
    kz = _agreements(full_graph_store, "KZ", "TJ")
    assert str(kz["2024-08-22-kz-tj-allied-relations"]["name"]) == "Treaty on Allied Relations between Kazakhstan and Tajikistan"
    assert str(kz["2024-08-22-kz-tj-allied-relations"]["signedOn"]) == "2024-08-22"
    tm = _agreements(full_graph_store, "TM", "TJ")
    assert str(tm["2017-11-tm-tj-strategic-partnership"]["name"]) == (
        "Agreement on Strategic Partnership between Turkmenistan and the Republic of Tajikistan")
    assert str(tm["2023-05-tm-tj-deepening-strategic-cooperation-declaration"]["signedOn"]) == "2023-05"


def test_uz_tm_documents_of_november_2025(full_graph_store):
    rows = _agreements(full_graph_store, "UZ", "TM")
    zone = rows["2025-11-17-uz-tm-border-trade-zone"]
    assert str(zone["name"]) == "Treaty on the functioning of the Uzbek-Turkmen border trade zone"
    assert str(zone["signedOn"]) == "2025-11-17"
    assert str(zone["occasion"]) == D + "visit/2025-11-16-tm-uz-state"
    assert int(rows["2025-11-17-uz-tm-visit-documents"]["documents"]) == 15
    assert str(rows["2025-11-17-uz-tm-joint-statement"]["signedOn"]) == "2025-11-17"


def test_kz_tj_trade_target(full_graph_store):
    result = full_graph_store.select(PREFIXES + """
        SELECT ?value ?deadline WHERE { ?t rkg:targetValue ?value ; rkg:deadline ?deadline }""",
        {"t": URIRef(D + "target/kz-tj-trade-2027")})
    assert {(float(r["value"]), str(r["deadline"])) for r in result} == {(2000.0, "2027")}


def test_uz_tj_turnover_series(full_graph_store):
    rows = run_query(full_graph_store, "trade-turnover", {"reporter": "UZ", "partner": "TJ"})
    values = {}
    for r in rows:
        if str(r["partner"]) == D + "state/TJ":
            values.setdefault(str(r["period"]), set()).add(float(r["value"]))
    assert values["2019"] == {480.5}
    assert values["2020"] == {493.1}
    assert values["2021"] == {605.6}
    assert values["2023"] == {756.8}


# ------------------------------------------------------------------------------- conflicts

def _claims(store, fact, prop):
    result = store.select(PREFIXES + """
        SELECT ?value ?doc ?preferred ?contested WHERE {
          ?f rkg:claim ?c ; rkg:contested ?contested .
          ?c rkg:claimProperty ?p ; rkg:claimValue ?value ; prov:qualifiedDerivation/prov:entity ?doc .
          OPTIONAL { ?c rkg:preferred ?preferred } }""",
        {"f": URIRef(D + fact), "p": URIRef(prop)})
    rows = list(result)
    assert rows and {str(r["contested"]).lower() for r in rows} == {"true"}
    return {(str(r["value"]), str(r["doc"]).removeprefix(D + "doc/"),
             str(r["preferred"]).lower() == "true") for r in rows}


def _value(store, fact, prop):
    return {str(r["v"]) for r in store.select("SELECT ?v WHERE { ?f ?p ?v }",
                                              {"f": URIRef(D + fact), "p": URIRef(prop)})}


def test_conflict_uz_tj_allied_treaty_signing_year(full_graph_store):
    fact = "agreement/2024-04-18-uz-tj-allied-relations"
    assert _claims(full_graph_store, fact, RKG + "signedOn") == {
        ("2024-04-18", "qazinform-2025-03-31-uz-tj-allied-relations-treaty-in-force", True),
        ("2023-04-18", "astanatimes-2025-04-01-junction-treaty-khujand-declaration", False),
    }
    assert _value(full_graph_store, fact, RKG + "signedOn") == {"2024-04-18"}


def test_conflict_kg_tj_border_treaty_signing_day(full_graph_store):
    fact = "agreement/2025-03-13-kg-tj-state-border"
    assert _claims(full_graph_store, fact, RKG + "signedOn") == {
        ("2025-03-13", "interfax-2025-03-13-kyrgyzstan-tajikistan-sign-border-treaty", True),
        ("2025-03-12", "trt-2025-03-11-kyrgyz-tajik-presidents-to-sign-border-agreement", False),
    }
    assert _value(full_graph_store, fact, RKG + "signedOn") == {"2025-03-13"}


@pytest.mark.parametrize("fact,preferred,other", [
    ("visit/2018-08-17-tj-uz-state",
     ("state", "trend-2018-08-17-tajikistan-uzbekistan-strategic-partnership-agreement"),
     ("official", "kazinform-cn-2018-08-17-uz-tj-strategic-partnership-treaty")),
    ("visit/2024-04-18-uz-tj-state",
     ("state", "turkicworld-2024-04-18-uzbekistan-tajikistan-treaty-allied-relations"),
     ("official", "report-2024-04-15-president-of-uzbekistan-to-visit-tajikistan")),
    ("visit/2022-10-20-uz-tm-official",
     ("official", "tmembassy-belgium-2022-10-20-mirziyoyev-arrived-ashgabat"),
     ("state", "tdi-2022-10-21-president-of-uzbekistan-visits-turkmenistan")),
    ("visit/2025-11-16-tm-uz-state",
     ("state", "trend-2025-11-17-mirziyoyev-berdimuhamedov-talks-kuksaroy"),
     ("official", "fergana-2025-11-17-shavat-dashoguz-trade-zone-launched")),
])
def test_conflict_visit_type(full_graph_store, fact, preferred, other):
    assert _claims(full_graph_store, fact, RKG + "visitType") == {
        (VT + preferred[0], preferred[1], True), (VT + other[0], other[1], False)}
    assert _value(full_graph_store, fact, RKG + "visitType") == {VT + preferred[0]}


@pytest.mark.parametrize("fact,preferred,other", [
    ("agreement/2018-08-tj-uz-visit-documents",
     ("27", "trend-2018-08-17-tajikistan-uzbekistan-strategic-partnership-agreement"),
     ("26", "kazinform-cn-2018-08-17-uz-tj-strategic-partnership-treaty")),
    ("agreement/2022-06-tj-uz-visit-documents",
     ("11", "tashkenttimes-2022-06-03-uzbekistan-tajikistan-sign-accords"),
     ("15", "einpresswire-2022-06-03-completion-official-visit-uzbekistan")),
])
def test_conflict_document_count(full_graph_store, fact, preferred, other):
    assert _claims(full_graph_store, fact, RKG + "documentCount") == {
        (preferred[0], preferred[1], True), (other[0], other[1], False)}
    assert _value(full_graph_store, fact, RKG + "documentCount") == {preferred[0]}


def test_tajik_and_uzbek_statistics_differ_for_2019(full_graph_store):
    """Not a claims conflict (two reporters, two facts), but the mirror figures disagree."""
    tj = {str(r["period"]): float(r["value"]) for r in run_query(
        full_graph_store, "trade-turnover", {"reporter": "TJ", "partner": "UZ"})
        if str(r["reporter"]) == D + "state/TJ" and str(r["partner"]) == D + "state/UZ"}
    assert tj["2014"] == 13.0 and tj["2018"] == 287.0 and tj["2019"] == 362.0
    uz = {str(r["period"]): float(r["value"]) for r in run_query(
        full_graph_store, "trade-turnover", {"reporter": "UZ", "partner": "TJ"})
        if str(r["reporter"]) == D + "state/UZ" and str(r["partner"]) == D + "state/TJ"}
    assert uz["2019"] == 480.5 and uz["2019"] > tj["2019"] + 100


def test_conflict_uz_tj_turnover_2022_one_node_with_claims(full_graph_store):
    # Trend (674.4, January 2023) and AzerNews (676.7, June 2024) differ on Uzbekistan's 2022 figure:
    # one observation, contested, one claim per source
    rows = run_query(full_graph_store, "trade-turnover", {"reporter": "UZ", "partner": "TJ", "year": "2022"})
    got = {(str(r["observation"]).removeprefix(D + "obs/"), float(r["value"])) for r in rows
           if str(r["partner"]) == D + "state/TJ" and str(r["period"]) == "2022"}
    assert got == {("uz-turnover-tj-2022", 674.4)}
    claims = full_graph_store.select(
        """SELECT ?v ?doc ?pref WHERE { ?o <https://w3id.org/regional-kg/ontology#contested> true ;
             <https://w3id.org/regional-kg/ontology#claim> ?c .
           ?c <https://w3id.org/regional-kg/ontology#claimValue> ?v ; <https://w3id.org/regional-kg/ontology#preferred> ?pref ;
              <http://www.w3.org/ns/prov#qualifiedDerivation>/<http://www.w3.org/ns/prov#entity> ?doc }""",
        {"o": URIRef(D + "obs/uz-turnover-tj-2022")})
    assert {(float(r["v"]), str(r["doc"]).removeprefix(D + "doc/"), r["pref"].toPython()) for r in claims} == {
        (674.4, "trend-2023-01-24-tajikistan-uzbekistan-trade-2022", True),
        (676.7, "azernews-2024-06-16-uzbekistan-tajikistan-trade-turnover", False),
    }


# ------------------------------------------------------------------ every document supports a checked fact

DOCUMENT_FACTS = {
    "24kg-2025-03-12-tajik-president-arrives-kyrgyzstan": "visit/2025-03-12-tj-kg-state",
    "24kg-2025-03-13-borders-junction-point": "agreement/2025-03-13-kg-tj-state-border",
    "interfax-2025-03-13-kyrgyzstan-tajikistan-sign-border-treaty": "agreement/2025-03-13-kg-tj-visit-documents",
    "trend-2025-03-13-tajikistan-kyrgyzstan-sign-state-border-treaty": "agreement/2025-03-13-kg-tj-joint-statement",
    "trt-2025-03-11-kyrgyz-tajik-presidents-to-sign-border-agreement": "agreement/2025-03-13-kg-tj-state-border",
    "astanatimes-2025-04-01-junction-treaty-khujand-declaration": "event/2025-03-31-kg-tj-uz-khujand-meeting",
    "24kg-2025-05-24-tajik-parliament-ratifies-junction-treaty": "agreement/2025-03-31-kg-tj-uz-junction-point",
    "asiaplus-2025-04-01-trilateral-treaty-junction-point": "agreement/2025-03-31-kg-tj-uz-khujand-declaration",
    "qazinform-2025-03-31-uz-tj-allied-relations-treaty-in-force": "agreement/2024-04-18-uz-tj-allied-relations",
    "trend-2025-03-31-uz-tj-complete-ratification-allied-treaty": "agreement/2024-04-18-uz-tj-allied-relations",
    "trend-2025-03-30-mirziyoyev-working-visit-tajikistan": "visit/2025-03-31-uz-tj-working",
    "govuz-2018-03-09-documents-signed-historic-visit": "agreement/2018-03-uz-tj-border-certain-areas",
    "trend-2018-03-14-uzbek-tajik-presidents-joint-statement": "visit/2018-03-09-uz-tj-state",
    "trend-2018-08-17-tajikistan-uzbekistan-strategic-partnership-agreement": "agreement/2018-08-17-tj-uz-strategic-partnership",
    "asiaplus-2018-08-22-visit-to-uzbekistan-golden-letters": "visit/2018-08-17-tj-uz-state",
    "kazinform-cn-2018-08-17-uz-tj-strategic-partnership-treaty": "agreement/2018-08-17-tj-uz-strategic-partnership",
    "tashkenttimes-2022-06-03-uzbekistan-tajikistan-sign-accords": "agreement/2022-06-tj-uz-eternal-friendship-alliance-declaration",
    "einpresswire-2022-06-03-completion-official-visit-uzbekistan": "visit/2022-06-02-tj-uz-official",
    "turkicworld-2024-04-18-uzbekistan-tajikistan-treaty-allied-relations": "visit/2024-04-18-uz-tj-state",
    "kunuz-2024-04-17-mirziyoyev-state-visit-tajikistan": "visit/2024-04-18-uz-tj-state",
    "report-2024-04-15-president-of-uzbekistan-to-visit-tajikistan": "visit/2024-04-18-uz-tj-state",
    "newstn-2024-04-18-tass-tajikistan-uzbekistan-allied-relations": "agreement/2021-06-uz-tj-visit-documents",
    "mfagovtm-2022-07-15-state-visit-turkmenistan-president-uzbekistan": "visit/2022-07-14-tm-uz-state",
    "nca-2022-07-13-turkmen-president-visit-uzbekistan": "visit/2022-07-14-tm-uz-state",
    "tmembassy-belgium-2022-10-20-mirziyoyev-arrived-ashgabat": "visit/2022-10-20-uz-tm-official",
    "tdi-2022-10-21-president-of-uzbekistan-visits-turkmenistan": "visit/2022-10-20-uz-tm-official",
    "kazinform-2023-05-05-kazakh-tajik-leaders-meeting-outcomes": "visit/2023-05-04-tj-kz-state",
    "kazinform-2024-08-22-tokayev-rahmon-talks-extended-composition": "visit/2024-08-22-kz-tj-state",
    "astanatimes-2024-08-23-kazakhstan-tajikistan-allied-cooperation": "target/kz-tj-trade-2027",
    "saylav-2023-05-12-new-page-turkmenistan-tajikistan-relations": "agreement/2023-05-tm-tj-deepening-strategic-cooperation-declaration",
    "turkmenportal-2024-04-04-gurbanguly-berdimuhamedov-official-visit-tajikistan": "visit/2024-04-04-tm-tj-official",
    "ecocci-2017-11-03-turkmen-tajik-summit-talks-dushanbe": "agreement/2017-11-tm-tj-strategic-partnership",
    "azernews-2024-06-16-uzbekistan-tajikistan-trade-turnover": "obs/uz-turnover-tj-2019",
    "trend-2023-01-24-tajikistan-uzbekistan-trade-2022": "obs/uz-turnover-tj-2021",
    "yuz-2025-11-15-turkmen-president-state-visit-uzbekistan": "visit/2025-11-16-tm-uz-state",
    "trend-2025-11-17-mirziyoyev-berdimuhamedov-talks-kuksaroy": "visit/2025-11-16-tm-uz-state",
    "trend-2025-11-17-uzbekistan-turkmenistan-documents-signed": "agreement/2025-11-17-uz-tm-border-trade-zone",
    "nca-2025-11-18-outcomes-state-visit-turkmenistan-president-uzbekistan": "agreement/2025-11-17-uz-tm-visit-documents",
    "fergana-2025-11-17-shavat-dashoguz-trade-zone-launched": "visit/2025-11-16-tm-uz-state",
    "presidentuz-2025-12-11-mirziyoyev-meets-gurbanguly-berdimuhamedov-ashgabat": "visit/2025-12-11-uz-tm-working",
    "uza-2025-12-11-mirziyoyev-ashgabat-international-forum": "visit/2025-12-11-uz-tm-working",
    "khovar-2022-06-01-president-tajikistan-official-visit-uzbekistan": "visit/2022-06-02-tj-uz-official",
    "docslib-2018-05-07-un-a-72-796-tj-uz-joint-statement": "agreement/2018-03-uz-tj-joint-statement",
    "fergana-2025-03-13-kyrgyz-tajik-state-border-treaty": "agreement/2025-03-13-kg-tj-state-border",
    "todayaz-2019-03-16-tajik-uzbek-trade-recovers": "obs/tj-turnover-uz-2018",
    "tajikistannewsgazette-2020-tajik-uzbek-trade-statistics-differ": "obs/tj-turnover-uz-2019",
}


@pytest.mark.parametrize("doc,fact", sorted(DOCUMENT_FACTS.items()))
def test_each_document_supports_a_checked_fact(full_graph_store, doc, fact):
    result = full_graph_store.select(PREFIXES + """
        SELECT ?n WHERE { ?f prov:qualifiedDerivation [ prov:entity ?d ; rkg:paragraph ?n ] .
                          ?d rkg:paragraphCount ?count ; rkg:documentKind ?kind . }""",
        {"f": URIRef(D + fact), "d": URIRef(D + "doc/" + doc)})
    assert list(result), (doc, fact)


def test_the_batch_has_at_least_fifteen_visits_and_meetings_from_twelve_documents(full_graph_store):
    slugs = {slug for slug, *_ in VISITS} | {"2025-03-31-kg-tj-uz-khujand-meeting"}
    assert len(slugs) >= 15
    assert len(DOCUMENT_FACTS) >= 12
