"""Spot checks of the data-gaps-2 batch (issue #13): the four headline facts the third independent
check still found only in notes, now held as data, and the Kazakh-Turkmen demarcation date at two
precisions.

- B11: the completion of the Kazakh-Turkmen border's legal formalisation (nCa headline, Ashgabat,
  25 October 2021) as a ``rkg:BorderFormalisation`` about the visit's documents, which hold the
  Caspian delimitation agreement (Kazinform, UrduPoint/Sputnik).
- X05: the tungsten venture's 70/30 split as ``rkg:Shareholding``s and its USD 1.1 billion cost as an
  estimate (``rkg:estimatedCost``), distinct from the EXIM pledge; Tau-Ken Samruk as a party.
- X14, X24: growth of China's (+35 % since the 2023 Xi'an summit) and Russia's (doubled in five
  years) trade with Central Asia as interval changes, which the yearly queries do not read.
- The 2017 demarcation agreement: April 2017 and 18 April 2017 as claims, not a conflict.
"""

from __future__ import annotations

from decimal import Decimal

from regional_kg.catalogue import run_query
from tests.support.spot import interval_bounds
from tests.support.spot import paragraphs as _paragraphs
from tests.support.spot import select as _select

D = "https://w3id.org/regional-kg/id/"
C = "https://w3id.org/regional-kg/concept/"
RKG = "https://w3id.org/regional-kg/ontology#"
DOC = D + "doc/"
NCA_2021 = DOC + "nca-2021-10-26-first-state-visit-tokayev-turkmenistan"
INFORM = DOC + "inform-2022-10-05-majilis-approves-ratification-kz-tm-caspian-border-delimitation"
TURKMENPORTAL = (
    DOC
    + "turkmenportal-undated-kazakhstan-ratified-agreement-delimitation-state-borders-turkmenistan"
)
NCA_2025 = DOC + "nca-2025-11-07-c51-washington-summit"
AIJOURN = DOC + "aijourn-2025-11-06-cove-capital-tau-ken-samruk-tungsten-joint-venture"
ASTANATIMES = DOC + "astanatimes-2025-06-18-china-central-asia-sign-treaty"
TASHKENTTIMES = DOC + "tashkenttimes-2022-10-14-putin-outside-attempts-prevent-integration"
NEWSOFTHEWORLD = DOC + "newsoftheworld-2022-10-14-leaders-plenary-russia-central-asia-summit"
ZAKONPRAVO = DOC + "zakonpravo-2018-01-11-ratification-kz-tm-border-demarcation-agreement"
SEED = DOC + "koishybayev-2018"

KZ, TM, CN, RU = (D + "state/" + c for c in ("KZ", "TM", "CN", "RU"))
CA = D + "region/central-asia"
FORMALISATION = D + "event/2021-10-25-kz-tm-border-legal-formalisation-completed"
PACKAGE = D + "agreement/2021-10-25-kz-tm-documents-20"
CASPIAN = D + "agreement/2021-10-25-kz-tm-caspian-border-delimitation"
STATE_VISIT = D + "visit/2021-10-24-kz-tm-state"
TUNGSTEN = D + "agreement/2025-11-06-us-kz-tungsten-partnership"
COST = D + "estimate/2025-11-06-kz-tungsten-projects-1-1bn"
EXIM_PLEDGE = D + "pledge/2025-11-06-us-exim-kz-tungsten-900m"
COVE_STAKE = D + "stake/2025-11-06-severniy-katpar-cove-kaz-70"
TAU_KEN = D + "org/tau-ken-samruk"
CN_CHANGE = D + "obs/cn-turnover-ca-change-2023-2024"
RU_CHANGE = D + "obs/ru-turnover-ca-change-2016-2021"
RU_HALF_YEAR = D + "obs/ru-turnover-ca-change-2022-01-2022-06"
DEMARCATION = D + "agreement/2017-04-kz-tm-border-demarcation"


# --------------------------------------------------------------------------- B11


def test_kz_tm_border_formalisation_is_an_event_about_the_visit_documents(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?date ?place ?visit ?about WHERE { ?e a rkg:BorderFormalisation , rkg:Event ;
             schema:startDate ?date ; schema:location ?place ; schema:superEvent ?visit ;
             schema:about ?about }""",
        e=FORMALISATION,
    )
    assert [tuple(str(r[k]) for k in ("date", "place", "visit", "about")) for r in rows] == [
        ("2021-10-25", D + "place/ashgabat", STATE_VISIT, PACKAGE)
    ]
    states = _select(
        full_graph_store,
        "SELECT ?s WHERE { ?e rkg:involves ?s . ?s a rkg:State }",
        e=FORMALISATION,
    )
    assert sorted(str(r["s"]) for r in states) == [KZ, TM]
    assert _paragraphs(full_graph_store, FORMALISATION, NCA_2021) == [1, 2]


def test_the_caspian_delimitation_agreement_was_signed_at_the_state_visit(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?signed ?at ?occasion WHERE {
             ?a rkg:signedOn ?signed ; rkg:signedAt ?at ; rkg:occasion ?occasion }""",
        a=CASPIAN,
    )
    assert [(str(r["signed"]), str(r["at"]), str(r["occasion"])) for r in rows] == [
        ("2021-10-25", D + "place/ashgabat", STATE_VISIT)
    ]
    assert _paragraphs(full_graph_store, CASPIAN, INFORM) == [3, 4, 5]
    assert _paragraphs(full_graph_store, CASPIAN, TURKMENPORTAL) == [3, 5, 6]
    # the two chambers' votes on its ratification
    votes = _select(
        full_graph_store,
        "SELECT ?date WHERE { ?e a rkg:Event ; schema:about ?a ; schema:startDate ?date }",
        a=CASPIAN,
    )
    assert sorted(str(r["date"]) for r in votes) == ["2022-10-05", "2022-10-20"]
    # both votes as the Turkmenportal report gives them (paragraph 7)
    for event in ("2022-10-05-kz-majilis", "2022-10-20-kz-senate"):
        node = D + f"event/{event}-approves-kz-tm-caspian-border-delimitation"
        assert _paragraphs(full_graph_store, node, TURKMENPORTAL) == [7]


# --------------------------------------------------------------------------- X05


def test_tungsten_venture_shares_are_shareholdings(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?holder ?company ?pct WHERE { ?agreement rkg:stake ?s .
             ?s a rkg:Shareholding ; org:member ?holder ; org:organization ?company ;
                rkg:stakePercent ?pct }""",
        agreement=TUNGSTEN,
    )
    company = D + "org/severniy-katpar-llp"
    assert sorted((str(r["holder"]), str(r["company"]), r["pct"].toPython()) for r in rows) == [
        (D + "org/cove-kaz-capital-group", company, Decimal("70.0")),
        (TAU_KEN, company, Decimal("30.0")),
    ]
    assert _paragraphs(full_graph_store, COVE_STAKE, NCA_2025) == [4]
    assert _paragraphs(full_graph_store, COVE_STAKE, AIJOURN) == [4]


def test_tungsten_cost_is_an_estimate_not_a_pledge(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?currency ?value ?published WHERE { ?agreement rkg:estimatedCost ?m .
             ?m a schema:MonetaryAmount ; schema:currency ?currency ; schema:value ?value ;
                rkg:publishedAs ?published .
             FILTER NOT EXISTS { ?m rkg:pledgedBy ?anyone }
             FILTER NOT EXISTS { ?agreement rkg:pledgedAmount ?m } }""",
        agreement=TUNGSTEN,
        m=COST,
    )
    assert [(str(r["currency"]), r["value"].toPython(), str(r["published"])) for r in rows] == [
        ("USD", Decimal("1100000000.0"), "USD $1.1 billion")
    ]
    pledges = _select(full_graph_store, "SELECT ?p WHERE { ?a rkg:pledgedAmount ?p }", a=TUNGSTEN)
    assert [str(r["p"]) for r in pledges] == [EXIM_PLEDGE]
    assert _paragraphs(full_graph_store, COST, NCA_2025) == [4]
    assert _paragraphs(full_graph_store, COST, AIJOURN) == [7]


def test_tau_ken_samruk_is_named_as_the_kazakh_party(full_graph_store):
    rows = _select(
        full_graph_store,
        "SELECT ?party WHERE { ?a rkg:party ?party }",
        a=TUNGSTEN,
    )
    assert sorted(str(r["party"]) for r in rows) == [D + "org/cove-kaz-capital-group", TAU_KEN]
    assert _paragraphs(full_graph_store, TAU_KEN, AIJOURN) == [3]
    # the page that does not name it does not cite it
    assert _paragraphs(full_graph_store, TAU_KEN, NCA_2025) == []


# --------------------------------------------------------------------------- X14, X24


def _change(store, obs: str) -> list[tuple]:
    rows = _select(
        store,
        """SELECT ?reporter ?partner ?pct ?precision ?attribution ?ref ?base WHERE {
             ?o a rkg:IntervalTradeChangeObservation ; rkg:reporter ?reporter ;
                rkg:partner ?partner ; rkg:changePercent ?pct ; rkg:precision ?precision ;
                rkg:attribution ?attribution ; rkg:refInterval ?ref ; rkg:baseInterval ?base .
             FILTER NOT EXISTS { ?o rkg:refPeriod ?year } }""",
        o=obs,
    )
    return [
        (
            str(r["reporter"]),
            str(r["partner"]),
            r["pct"].toPython(),
            r["precision"].toPython(),
            str(r["attribution"]),
            interval_bounds(store, str(r["ref"])),
            interval_bounds(store, str(r["base"])),
        )
        for r in rows
    ]


def test_china_trade_growth_since_the_xian_summit(full_graph_store):
    assert _change(full_graph_store, CN_CHANGE) == [
        (
            CN,
            CA,
            Decimal("35.0"),
            Decimal("0.5"),
            C + "attribution/inferred",
            [("2024", "2024")],
            [("2023", "2023")],
        )
    ]
    assert _paragraphs(full_graph_store, CN_CHANGE, ASTANATIMES) == [3]


def test_russia_trade_doubled_in_five_years(full_graph_store):
    assert _change(full_graph_store, RU_CHANGE) == [
        (
            RU,
            CA,
            Decimal("100.0"),
            Decimal("5.0"),
            C + "attribution/inferred",
            [("2021", "2021")],
            [("2016", "2016")],
        )
    ]
    assert _paragraphs(full_graph_store, RU_CHANGE, TASHKENTTIMES) == [6]
    assert _paragraphs(full_graph_store, RU_CHANGE, NEWSOFTHEWORLD) == [7]
    assert _change(full_graph_store, RU_HALF_YEAR) == [
        (
            RU,
            CA,
            Decimal("16.0"),
            Decimal("0.5"),
            C + "attribution/inferred",
            [("2022-01", "2022-06")],
            [("2021-01", "2021-06")],
        )
    ]


def test_yearly_turnover_does_not_read_the_interval_changes(full_graph_store):
    expected = {CN: ("2024", Decimal("100000.0")), RU: ("2021", Decimal("37100.0"))}
    for reporter, (year, value) in expected.items():
        rows = run_query(full_graph_store, "trade-turnover", {"reporter": reporter, "partner": CA})
        observations = {str(r["observation"]) for r in rows}
        assert {CN_CHANGE, RU_CHANGE, RU_HALF_YEAR}.isdisjoint(observations)
        assert [r["value"].toPython() for r in rows if str(r["period"]) == year] == [value]


# --------------------------------------------------------------------------- two precisions


def test_demarcation_date_at_two_precisions_is_claimed_not_contested(full_graph_store):
    rows = _select(
        full_graph_store,
        """SELECT ?value ?preferred ?doc ?p WHERE { ?a rkg:contested false ; rkg:claim ?c .
             ?c rkg:claimProperty rkg:signedOn ; rkg:claimValue ?value ;
                prov:qualifiedDerivation [ prov:entity ?doc ; rkg:paragraph ?p ] .
             OPTIONAL { ?c rkg:preferred ?flag } BIND(COALESCE(?flag, false) AS ?preferred) }""",
        a=DEMARCATION,
    )
    assert sorted(
        (str(r["value"]), r["preferred"].toPython(), str(r["doc"]), int(r["p"])) for r in rows
    ) == [("2017-04", True, SEED, 25), ("2017-04-18", False, ZAKONPRAVO, 3)]
    signed = _select(full_graph_store, "SELECT ?d WHERE { ?a rkg:signedOn ?d }", a=DEMARCATION)
    assert [str(r["d"]) for r in signed] == ["2017-04"]
    conflicts = run_query(full_graph_store, "conflicts", {})
    assert DEMARCATION not in {str(r["fact"]) for r in conflicts}
