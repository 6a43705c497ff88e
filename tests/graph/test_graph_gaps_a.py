"""Spot checks of gap batch "a" (issue #13): facts the independent check found missing or contradicted.

Mirziyoyev's 2016 share and turnout (L15), Uzbekistan's 2023 constitutional referendum (L18), the
Kyrgyz–Tajik ceasefires and tolls of April 2021 and September 2022 as contested casualty figures
(C02–C06), the IFAS founders' council of 15 September 2023 (CM25), the fifth Kazakh–Kyrgyz Supreme
Interstate Council (B06) and the reopening of two Kyrgyz–Tajik checkpoints (B36). Each test reads the
full built graph, so it fails if a value, a source or a paragraph is lost.
"""

from __future__ import annotations

from regional_kg.catalogue import run_query
from tests.support.spot import paragraphs as _paragraphs
from tests.support.spot import select as _select

D = "https://w3id.org/regional-kg/id/"
C = "https://w3id.org/regional-kg/concept/"
RKG = "https://w3id.org/regional-kg/ontology#"
DOC = D + "doc/"
ASIAPLUS = DOC + "asiaplus-2016-12-14-mirziyoyev-sworn-in"
UZDAILY = DOC + "uzdaily-2016-12-cec-final-results-presidential-elections"
ALMAYADEEN = DOC + "almayadeen-2023-07-10-mirziyoyev-landslide-victory"
KG24_2021 = DOC + "24kg-2021-04-30-situation-at-border-13-killed"
TREND_2021 = DOC + "trend-2021-05-01-kyrgyz-death-toll-border-33"
THENEWS = DOC + "thenews-2021-05-07-tajikistan-says-19-dead"
BABEL_46 = DOC + "babel-2022-09-18-losses-fighting-border-named"
BABEL_36 = DOC + "babel-2022-09-18-kyrgyzstan-36-killed-border-tajikistan"
TREND_2022 = DOC + "trend-2022-09-18-death-toll-border-conflict-59"
ARTSAKH = DOC + "artsakh-news-2022-09-18-death-toll-border-conflict-59"
NCA_IFAS = DOC + "nca-2023-09-15-ifas-council-dushanbe-outcomes"
NCA_SRSG = DOC + "nca-2023-09-15-srsg-addresses-ifas-council"
KG24_2019 = DOC + "24kg-2019-11-27-jeenbekov-satisfied-negotiations-kazakhstan"
INFORM_2019 = DOC + "inform-2019-11-27-reliable-strong-bonds-friendship-kyrgyzstan"
NEWSTARAZ = DOC + "newstaraz-2019-11-27-tokayev-arrives-bishkek-state-visit"
INTERFAX = DOC + "interfax-2025-03-13-kyrgyzstan-tajikistan-sign-border-treaty"

CLASH_2021 = D + "event/2021-04-28-kg-tj-border-clash"
CLASH_2022 = D + "event/2022-09-14-kg-tj-border-clash"


def _value(store, node, prop):
    rows = _select(store, "SELECT ?v WHERE { ?n ?p ?v }", n=node, p=prop)
    return sorted(r["v"].toPython() for r in rows)


def _conflicts(store, fact):
    """(property local name, value, preferred, document) for each claim on the fact, via `conflicts`."""
    rows = [r for r in run_query(store, "conflicts", {}) if str(r["fact"]) == fact]
    return sorted(
        (
            str(r["property"]).removeprefix(RKG),
            r["value"].toPython(),
            r["preferred"].toPython(),
            str(r["document"]),
        )
        for r in rows
    )


# --------------------------------------------------------------------------- L15, L18


def test_2016_uzbek_election_final_share_and_turnout_with_the_rounded_share_as_a_claim(
    full_graph_store,
):
    election = D + "election/2016-12-04-uz-presidential"
    result = D + "result/2016-12-04-uz-presidential-shavkat-mirziyoyev"
    assert [float(v) for v in _value(full_graph_store, election, RKG + "turnout")] == [87.73]
    assert [float(v) for v in _value(full_graph_store, result, RKG + "voteShare")] == [88.61]
    claims = [(p, float(v), pref, doc) for p, v, pref, doc in _conflicts(full_graph_store, result)]
    assert claims == [
        ("voteShare", 88.6, False, ASIAPLUS),
        ("voteShare", 88.61, True, UZDAILY),
    ]
    assert _paragraphs(full_graph_store, election, UZDAILY) == [2, 3]


def test_2023_uzbek_constitutional_referendum_lengthens_the_presidential_term(full_graph_store):
    referendum = D + "event/2023-04-30-uz-constitutional-referendum"
    assert [
        str(v) for v in _value(full_graph_store, referendum, "https://schema.org/startDate")
    ] == ["2023-04-30"]
    rows = _select(
        full_graph_store,
        """SELECT ?label ?by WHERE { ?d rkg:decidedAt ?e ; rkg:decidedBy ?by ; skos:prefLabel ?label }""",
        e=referendum,
    )
    assert [(str(r["label"]), str(r["by"])) for r in rows] == [
        (
            "Lengthen the presidential term of Uzbekistan from five to seven years"
            " (constitutional amendments)",
            D + "state/UZ",
        )
    ]
    decision = D + "decision/2023-04-30-uz-presidential-term-seven-years"
    assert _paragraphs(full_graph_store, decision, ALMAYADEEN) == [7, 10]


# --------------------------------------------------------------------------- C02, C03 (April 2021)


def test_april_2021_ceasefire_is_a_sub_event_of_the_clash(full_graph_store):
    ceasefire = D + "event/2021-04-29-kg-tj-ceasefire"
    assert [
        str(v) for v in _value(full_graph_store, ceasefire, "https://schema.org/startDate")
    ] == ["2021-04-29"]
    assert [
        str(v) for v in _value(full_graph_store, ceasefire, "https://schema.org/superEvent")
    ] == [CLASH_2021]
    assert _paragraphs(full_graph_store, ceasefire, KG24_2021) == [6]


def test_april_2021_tolls_per_side_and_in_total(full_graph_store):
    kg = D + "casualty/2021-04-28-kg-tj-border-clash-kg"
    tj = D + "casualty/2021-04-28-kg-tj-border-clash-tj"
    total = D + "casualty/2021-04-28-kg-tj-border-clash-total"
    assert _value(full_graph_store, kg, RKG + "killed") == [33]
    assert _value(full_graph_store, kg, RKG + "injured") == [163]
    assert _conflicts(full_graph_store, kg) == [
        ("injured", 134, False, KG24_2021),
        ("injured", 163, True, TREND_2021),
        ("killed", 13, False, KG24_2021),
        ("killed", 33, True, TREND_2021),
    ]
    assert (
        _value(full_graph_store, tj, RKG + "killed"),
        _value(full_graph_store, tj, RKG + "injured"),
    ) == (
        [19],
        [87],
    )
    assert (
        _value(full_graph_store, total, RKG + "killed"),
        _value(full_graph_store, total, RKG + "injured"),
    ) == ([55], [270])
    assert _paragraphs(full_graph_store, total, THENEWS) == [10]
    for node in (kg, tj, total):
        assert _value(full_graph_store, node, RKG + "occasion") == [CLASH_2021]


# --------------------------------------------------------------------------- C04–C06 (September 2022)


def test_september_2022_fighting_ends_17_september_with_a_16_september_ceasefire(full_graph_store):
    assert [str(v) for v in _value(full_graph_store, CLASH_2022, "https://schema.org/endDate")] == [
        "2022-09-17"
    ]
    assert 5 in _paragraphs(full_graph_store, CLASH_2022, BABEL_46)
    ceasefire = D + "event/2022-09-16-kg-tj-ceasefire"
    assert [
        str(v) for v in _value(full_graph_store, ceasefire, "https://schema.org/startDate")
    ] == ["2022-09-16"]
    assert [
        str(v) for v in _value(full_graph_store, ceasefire, "https://schema.org/superEvent")
    ] == [CLASH_2022]
    assert _paragraphs(full_graph_store, ceasefire, BABEL_36) == [5]


def test_september_2022_kyrgyz_toll_and_evacuees_keep_every_source_figure(full_graph_store):
    kg = D + "casualty/2022-09-14-kg-tj-border-clash-kg"
    assert _value(full_graph_store, kg, RKG + "killed") == [59]
    assert _value(full_graph_store, kg, RKG + "injured") == [144]
    assert _value(full_graph_store, kg, RKG + "evacuated") == [137000]
    assert _conflicts(full_graph_store, kg) == [
        ("evacuated", 137000, True, BABEL_36),
        ("evacuated", 140000, False, ARTSAKH),
        ("injured", 129, False, BABEL_36),
        ("injured", 140, False, BABEL_46),
        ("injured", 144, False, ARTSAKH),
        ("injured", 144, True, TREND_2022),
        ("killed", 36, False, BABEL_36),
        ("killed", 46, False, BABEL_46),
        ("killed", 59, False, ARTSAKH),
        ("killed", 59, True, TREND_2022),
    ]


def test_september_2022_tajik_toll_official_over_unofficial(full_graph_store):
    tj = D + "casualty/2022-09-14-kg-tj-border-clash-tj"
    assert _value(full_graph_store, tj, RKG + "side") == [D + "state/TJ"]
    assert _value(full_graph_store, tj, RKG + "killed") == [38]
    assert _conflicts(full_graph_store, tj) == [
        ("killed", 30, False, BABEL_36),
        ("killed", 38, True, BABEL_46),
    ]


# --------------------------------------------------------------------------- CM25


def test_ifas_founders_council_dushanbe_2023(full_graph_store):
    meeting = D + "event/2023-09-15-ifas-heads-of-state-council"
    rows = [r for r in run_query(full_graph_store, "meetings", {}) if str(r["meeting"]) == meeting]
    assert rows, "the IFAS council is listed by the meetings query"
    assert [str(v) for v in _value(full_graph_store, meeting, "https://schema.org/startDate")] == [
        "2023-09-15"
    ]
    states = _value(full_graph_store, meeting, RKG + "participatingState")
    assert sorted(str(s).rsplit("/", 1)[1] for s in states) == ["KG", "KZ", "TJ", "TM", "UZ"]
    people = _select(
        full_graph_store,
        """SELECT ?who WHERE { ?m rkg:participation/rkg:participant ?who }""",
        m=meeting,
    )
    assert sorted(str(r["who"]).rsplit("/", 1)[1] for r in people) == [
        "adylbek-kasymaliev",
        "emomali-rahmon",
        "kakha-imnadze",
        "kassym-jomart-tokayev",
        "serdar-berdimuhamedov",
        "shavkat-mirziyoyev",
    ]
    statement = D + "agreement/2023-09-15-ifas-dushanbe-statement"
    assert [str(v) for v in _value(full_graph_store, statement, "https://schema.org/name")] == [
        "Dushanbe statement of the Heads of the founding States of the International Fund for Saving the Aral Sea"
    ]
    assert [
        str(v)
        for v in _value(full_graph_store, statement, "http://www.w3.org/2004/02/skos/core#altLabel")
    ] == ["Dushanbe Declaration"]
    chair = D + "decision/2023-09-15-kz-ready-to-chair-ifas-2024-2026"
    assert _value(full_graph_store, chair, RKG + "decidedBy") == [D + "state/KZ"]
    assert _value(full_graph_store, chair, RKG + "concerns") == [D + "org/ifas"]
    assert _paragraphs(full_graph_store, chair, NCA_SRSG) == [4]
    assert _paragraphs(full_graph_store, statement, NCA_IFAS) == [16, 17]


# --------------------------------------------------------------------------- B06, B36


def test_fifth_kazakh_kyrgyz_supreme_interstate_council_is_a_meeting_of_the_2019_visit(
    full_graph_store,
):
    meeting = D + "event/2019-11-27-kz-kg-supreme-interstate-council"
    assert [str(v) for v in _value(full_graph_store, meeting, "https://schema.org/startDate")] == [
        "2019-11-27"
    ]
    assert _value(full_graph_store, meeting, "https://schema.org/location") == [D + "place/bishkek"]
    assert _value(full_graph_store, meeting, "https://schema.org/superEvent") == [
        D + "visit/2019-11-27-kz-kg-state"
    ]
    assert _paragraphs(full_graph_store, meeting, KG24_2019) == [1, 3]
    assert _paragraphs(full_graph_store, meeting, INFORM_2019) == [1, 2]
    assert _paragraphs(full_graph_store, meeting, NEWSTARAZ) == [2]


def test_kyzyl_bel_and_kairagach_checkpoints_reopened_during_rahmons_2025_visit(full_graph_store):
    opening = D + "event/2025-03-13-kg-tj-checkpoints-opening"
    assert [str(v) for v in _value(full_graph_store, opening, "https://schema.org/startDate")] == [
        "2025-03-13"
    ]
    assert _value(full_graph_store, opening, "https://schema.org/superEvent") == [
        D + "visit/2025-03-12-tj-kg-state"
    ]
    assert _value(full_graph_store, opening, "https://schema.org/location") == [
        D + "place/batken-region"
    ]
    assert _paragraphs(full_graph_store, opening, INTERFAX) == [2, 9, 10]
