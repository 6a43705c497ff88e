"""Spot checks of gap batch "c": headline facts an independent check found missing or partial.

EU–Central Asia leaders' meetings (Astana 2022, Cholpon-Ata 2023), the planned Central Asia + Japan
summit (Astana, August 2024), the five presidents at the Washington C5+1 summit and Uzbekistan's
deal there, the C5+1 Secretariat, the article count of the 2025 China–Central Asia treaty, the
EU–Central Asia Joint Roadmap and the Ashgabat ministerial, the 29 points of the Dushanbe
communiqué, the document counts of three state visits, the Kazakh Senate's vote on the allied
treaty with Uzbekistan and the opening of the International Center for Industrial Cooperation.
Every check names the document and paragraph the fact is cited to, so a lost citation fails too.
"""

from __future__ import annotations

from tests.support.spot import paragraphs as _paragraphs
from tests.support.spot import select as _select

D = "https://w3id.org/regional-kg/id/"
C = "https://w3id.org/regional-kg/concept/"
DOC = D + "doc/"

def _one(store, node, prop):
    rows = _select(store, f"SELECT ?v WHERE {{ ?n {prop} ?v }}", n=node)
    return sorted(str(r["v"]) for r in rows)


def _opt(row, key):
    """An OPTIONAL variable of a result row, or None when it is unbound."""
    try:
        value = row[key]
    except KeyError:
        return None
    return str(value) if value is not None else None


def _participants(store, event):
    rows = _select(
        store,
        """SELECT ?who ?state ?role ?for WHERE { ?e rkg:participation ?p . ?p rkg:participant ?who .
          OPTIONAL { ?p rkg:representing ?state } OPTIONAL { ?p org:role ?role }
          OPTIONAL { ?p rkg:onBehalfOf ?for } }""",
        e=event,
    )
    return sorted(
        (
            str(r["who"]).removeprefix(D),
            (_opt(r, "state") or "").removeprefix(D) or None,
            (_opt(r, "role") or "").removeprefix(C + "role/") or None,
            (_opt(r, "for") or "").removeprefix(D) or None,
        )
        for r in rows
    )


# --------------------------------------------------------------------------- X19, X20


def test_first_eu_ca_leaders_meeting_astana_27_october_2022(full_graph_store):
    e = D + "event/2022-10-27-eu-ca-meeting"
    doc = DOC + "akorda-2022-10-27-joint-press-statement-central-asia-european-council"
    assert _one(full_graph_store, e, "schema:startDate") == ["2022-10-27"]
    assert _one(full_graph_store, e, "schema:location") == [D + "place/astana"]
    assert _participants(full_graph_store, e) == [
        ("person/charles-michel", None, "council-president", None),
        ("person/emomali-rahmon", "state/TJ", "president", None),
        ("person/kassym-jomart-tokayev", "state/KZ", "president", None),
        ("person/sadyr-japarov", "state/KG", "president", None),
        ("person/shavkat-mirziyoyev", "state/UZ", "president", None),
        ("state/TM", None, "vice-prime-minister", "person/serdar-berdimuhamedov"),
    ]
    assert _paragraphs(full_graph_store, e, doc) == [1, 3]


def test_second_eu_ca_leaders_meeting_cholpon_ata_2_june_2023(full_graph_store):
    e = D + "event/2023-06-02-eu-ca-meeting"
    doc = DOC + "ieu-monitoring-2023-06-02-cholpon-ata-joint-press-release"
    assert _one(full_graph_store, e, "schema:startDate") == ["2023-06-02"]
    assert _one(full_graph_store, e, "schema:location") == [D + "place/cholpon-ata"]
    assert (
        "person/nurmuhammet-amannepesov",
        "state/TM",
        "vice-prime-minister",
        "person/serdar-berdimuhamedov",
    ) in _participants(full_graph_store, e)
    assert _paragraphs(full_graph_store, e, doc) == [3, 5]
    # The same page calls the Astana meeting the inaugural one.
    assert _paragraphs(full_graph_store, D + "event/2022-10-27-eu-ca-meeting", doc) == [4]


# --------------------------------------------------------------------------- X28


def test_central_asia_japan_summit_astana_august_2024_is_planned_only(full_graph_store):
    e = D + "event/2024-08-japan-ca-summit"
    assert _one(full_graph_store, e, "rkg:status") == [C + "status/planned"]
    assert _one(full_graph_store, e, "schema:startDate") == ["2024-08"]
    assert _one(full_graph_store, e, "schema:location") == [D + "place/astana"]
    assert _participants(full_graph_store, e) == [
        ("person/fumio-kishida", "state/JP", "prime-minister", None)
    ]
    assert _paragraphs(
        full_graph_store, e, DOC + "astanatimes-2024-08-07-central-asian-leaders-gather-astana"
    ) == [6]


# --------------------------------------------------------------------------- X04, X06, X03


def test_washington_c5_1_summit_has_all_six_presidents(full_graph_store):
    e = D + "event/2025-11-06-c5-us-summit"
    people = {p[0]: p[1] for p in _participants(full_graph_store, e)}
    assert people == {
        "person/donald-trump": "state/US",
        "person/kassym-jomart-tokayev": "state/KZ",
        "person/shavkat-mirziyoyev": "state/UZ",
        "person/emomali-rahmon": "state/TJ",
        "person/sadyr-japarov": "state/KG",
        "person/serdar-berdimuhamedov": "state/TM",
    }
    doc = DOC + "epochtimes-it-2025-11-trump-summit-five-central-asian-presidents"
    for iso in ("kg", "tj", "tm"):
        assert _paragraphs(
            full_graph_store, D + f"participation/2025-11-06-c5-us-summit-{iso}", doc
        ) == [1]


def test_us_uzbekistan_trade_and_economic_deal_at_the_washington_summit(full_graph_store):
    a = D + "agreement/2025-11-06-us-uz-trade-and-economic-deal"
    assert _one(full_graph_store, a, "schema:name") == ["Trade and Economic Deal"]
    assert _one(full_graph_store, a, "rkg:party") == [D + "state/US", D + "state/UZ"]
    assert _one(full_graph_store, a, "rkg:occasion") == [D + "event/2025-11-06-c5-us-summit"]
    note = _one(full_graph_store, a, "skos:note")[0]
    assert "35 billion" in note and "100 billion" in note
    assert _paragraphs(
        full_graph_store,
        a,
        DOC + "tag24-2025-11-06-trump-hails-central-asia-unbelievable-potential",
    ) == [6]


def test_c5_1_secretariat_established_2022(full_graph_store):
    d = D + "decision/2022-c5-1-establish-secretariat"
    assert _one(full_graph_store, d, "rkg:decisionType") == [C + "decision-type/establish-body"]
    assert _one(full_graph_store, d, "rkg:concerns") == [D + "org/c5-1-secretariat"]
    assert len(_one(full_graph_store, d, "rkg:decidedBy")) == 6
    assert _paragraphs(
        full_graph_store, d, DOC + "doourbest-2023-09-new-york-declaration-c5-1"
    ) == [5]


# --------------------------------------------------------------------------- X13, X26


def test_china_ca_treaty_has_15_articles(full_graph_store):
    a = D + "agreement/2025-06-17-china-ca-good-neighbourliness-treaty"
    assert _one(full_graph_store, a, "rkg:itemCount") == ["15"]
    assert 3 in _paragraphs(
        full_graph_store,
        a,
        DOC + "socialistchina-2025-06-22-china-signs-landmark-treaty-central-asia",
    )


def test_dushanbe_communique_has_29_points_and_six_signatories(full_graph_store):
    a = D + "agreement/2025-10-09-russia-ca-final-communique"
    doc = DOC + "news-pravda-2025-10-09-communique-second-russia-central-asia-summit"
    assert _one(full_graph_store, a, "rkg:itemCount") == ["29"]
    assert len(_one(full_graph_store, a, "rkg:signatory")) == 6
    assert D + "person/vladimir-putin" in _one(full_graph_store, a, "rkg:signatory")
    assert 11 in _paragraphs(full_graph_store, a, doc)


# --------------------------------------------------------------------------- X18


def test_eu_ca_joint_roadmap_luxembourg_and_ashgabat_ministerial(full_graph_store):
    doc = DOC + "commonspace-2025-03-27-ministers-meet-ashgabat-eu-central-asia"
    road = D + "agreement/2023-10-23-eu-ca-joint-roadmap"
    assert _one(full_graph_store, road, "schema:name") == [
        "Joint Roadmap for Deepening Ties between the EU and Central Asia"
    ]
    assert _one(full_graph_store, road, "rkg:signedOn") == ["2023-10-23"]
    assert _one(full_graph_store, road, "rkg:signedAt") == [D + "place/luxembourg"]
    assert _one(full_graph_store, road, "rkg:itemCount") == ["5"]
    assert _paragraphs(full_graph_store, road, doc) == [3, 4]
    m = D + "event/2025-03-27-eu-ca-ministerial"
    assert _one(full_graph_store, m, "schema:startDate") == ["2025-03-27"]
    assert _one(full_graph_store, m, "schema:location") == [D + "place/ashgabat"]
    roles = {p[0]: p[2] for p in _participants(full_graph_store, m)}
    assert roles == {
        "state/TJ": "foreign-minister",
        "state/TM": "foreign-minister",
        "state/UZ": "foreign-minister",
        "state/KZ": "deputy-foreign-minister",
        "state/KG": "deputy-foreign-minister",
        "person/kaja-kallas": "representative",
    }


# --------------------------------------------------------------------------- B11, B15, B28


def _group(store, iri):
    rows = _select(
        store,
        "SELECT ?n ?occ WHERE { ?g a rkg:AgreementGroup ; rkg:documentCount ?n ; rkg:occasion ?occ }",
        g=iri,
    )
    return [(int(r["n"].toPython()), str(r["occ"]).removeprefix(D)) for r in rows]


def test_document_counts_of_three_state_visits(full_graph_store):
    s = full_graph_store
    assert _group(s, D + "agreement/2021-10-25-kz-tm-documents-20") == [
        (20, "visit/2021-10-24-kz-tm-state")
    ]
    assert _group(s, D + "agreement/2022-07-14-tm-uz-agreements-19") == [
        (19, "visit/2022-07-14-tm-uz-state")
    ]
    assert _group(s, D + "agreement/2024-04-18-uz-tj-documents-28") == [
        (28, "visit/2024-04-18-uz-tj-state")
    ]
    assert _paragraphs(
        s,
        D + "agreement/2024-04-18-uz-tj-documents-28",
        DOC + "einpresswire-2024-04-18-exchange-signed-documents-tajikistan-uzbekistan",
    ) == [1, 2, 5, 6]
    assert _one(s, D + "agreement/2021-10-25-kz-tm-documents-20", "rkg:signedOn") == ["2021-10-25"]


# --------------------------------------------------------------------------- B24, B38


def test_kazakh_senate_ratified_the_allied_treaty_on_25_april_2024(full_graph_store):
    e = D + "event/2024-04-25-kz-senate-ratifies-kz-uz-treaty-allied-relations"
    assert _one(full_graph_store, e, "schema:startDate") == ["2024-04-25"]
    assert _one(full_graph_store, e, "schema:about") == [
        D + "agreement/2022-12-22-kz-uz-treaty-allied-relations"
    ]
    assert _paragraphs(
        full_graph_store,
        e,
        DOC + "astanatimes-2024-05-21-kazakh-president-ratifies-treaty-allied-relations",
    ) == [2]


def test_international_center_for_industrial_cooperation_opened_during_the_visit(full_graph_store):
    e = D + "event/2025-11-international-center-industrial-cooperation-opening"
    assert _one(full_graph_store, e, "schema:superEvent") == [D + "visit/2025-11-14-kz-uz-state"]
    assert _one(full_graph_store, e, "schema:about") == [
        D + "org/international-center-for-industrial-cooperation"
    ]
    assert _one(full_graph_store, e, "schema:startDate") == ["2025-11"]
    assert _paragraphs(
        full_graph_store,
        e,
        DOC + "menafn-2025-11-15-uzbek-president-highlights-regional-integration",
    ) == [7]
