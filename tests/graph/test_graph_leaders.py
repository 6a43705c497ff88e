"""Spot checks of the "leaders" batch: presidents' terms 2017-2025, elections, successions.

Every figure checked here is stated by a document in graph/sources/ (see each file's derivations);
the conflicts are the ones the batch found between documents (graph/README.md, "Conflicts").
"""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal, URIRef

from regional_kg.catalogue import run_query

D = "https://w3id.org/regional-kg/id/"
PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

PRESIDENTIAL_ROLES = {"president", "acting-president"}


def _terms(store, iso: str) -> list[dict]:
    rows = run_query(store, "leaders", {"organisation": iso})
    out = []
    for r in rows:
        role = str(r["role"]).rsplit("/", 1)[1]
        if role not in PRESIDENTIAL_ROLES:
            continue
        out.append(
            {
                "term": str(r["term"]).rsplit("/", 1)[1],
                "name": str(r["name"]),
                "role": role,
                "begin": str(r["begin"]) if r.get("begin") is not None else None,
                "end": str(r["end"]) if r.get("end") is not None else None,
            }
        )
    return sorted(out, key=lambda t: (t["begin"] or "", t["term"]))


# ----------------------------------------------------------------------------- successions

EXPECTED_SUCCESSION = {
    "KZ": [
        ("Nursultan Nazarbayev", "president", "1991", "2019-03-19"),
        ("Kassym-Jomart Tokayev", "president", "2019-03-20", None),
    ],
    "KG": [
        ("Almazbek Atambayev", "president", "2011-12-01", "2017-11-24"),
        ("Sooronbay Jeenbekov", "president", "2017-11-24", "2020-10-15"),
        ("Sadyr Japarov", "acting-president", "2020-10-16", "2020-11-14"),
        ("Talant Mamytov", "acting-president", "2020-11-14", "2021-01-28"),
        ("Sadyr Japarov", "president", "2021-01-28", None),
    ],
    "TJ": [("Emomali Rahmon", "president", "1994", None)],
    "UZ": [
        ("Shavkat Mirziyoyev", "acting-president", "2016-09-08", None),
        ("Shavkat Mirziyoyev", "president", "2016-12-14", None),
    ],
    "TM": [
        ("Gurbanguly Berdimuhamedow", "acting-president", "2006-12-21", "2007-02-14"),
        ("Gurbanguly Berdimuhamedow", "president", "2007-02-14", "2022-03-19"),
        ("Serdar Berdimuhamedov", "president", "2022-03-19", None),
    ],
}


@pytest.mark.parametrize("iso", sorted(EXPECTED_SUCCESSION))
def test_succession_of_presidents_with_dates(full_graph_store, iso):
    got = [(t["name"], t["role"], t["begin"], t["end"]) for t in _terms(full_graph_store, iso)]
    assert got == EXPECTED_SUCCESSION[iso]


@pytest.mark.parametrize(
    "iso,name,dates",
    [
        (
            "TJ",
            "Emomali Rahmon",
            {"2018-03-15", "2020-10-12", "2020-10-14", "2020-10-15", "2020-10-30"},
        ),
        (
            "UZ",
            "Shavkat Mirziyoyev",
            {"2018-03-15", "2021-10-25", "2021-10-29", "2021-11-06", "2023-07-10"},
        ),
    ],
)
def test_one_president_attested_throughout(full_graph_store, iso, name, dates):
    """Tajikistan and Uzbekistan kept their presidents: the office is attested on these days."""
    rows = [
        r
        for r in run_query(full_graph_store, "leaders", {"organisation": iso})
        if str(r["role"]).endswith("/president")
    ]
    assert {str(r["name"]) for r in rows} == {name}
    assert set(str(rows[0].get("attestedOn", "")).split("; ")) == dates


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if len(value) == 10 else None


@pytest.mark.parametrize("iso", ["KZ", "KG", "TJ", "TM", "UZ"])
def test_presidential_terms_neither_overlap_nor_leave_a_gap(full_graph_store, iso):
    """Consecutive terms: the next begins on the day the last ends or the day after (ends known)."""
    terms = [t for t in _terms(full_graph_store, iso) if t["begin"]]
    checked = 0
    for prev, nxt in zip(terms, terms[1:], strict=False):
        end, begin = _day(prev["end"] or ""), _day(nxt["begin"])
        if end is None or begin is None:
            continue
        checked += 1
        assert begin >= end, f"{nxt['term']} begins before {prev['term']} ends (overlap)"
        assert begin - end <= dt.timedelta(days=1), f"gap between {prev['term']} and {nxt['term']}"
    # open-ended terms: only the last one may lack an end
    if iso in {"KZ", "KG", "TM"}:
        assert all(t["end"] for t in terms[:-1])
    assert checked == {"KZ": 1, "KG": 4, "TM": 2}.get(iso, 0)


def test_the_seed_terms_are_extended_not_duplicated(full_graph_store):
    """The 2018 seed's term nodes carry the web sources' dates; no second node for one tenure."""
    rows = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?person (COUNT(DISTINCT ?term) AS ?n) WHERE {
          ?term a rkg:TermOfOffice ; org:role ?president ;
                org:member ?person .
        } GROUP BY ?person""",
        {"president": URIRef("https://w3id.org/regional-kg/concept/role/president")},
    )
    assert len(rows) == 9 and all(int(r["n"]) == 1 for r in rows)
    begin = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?b WHERE { ?t org:memberDuring/time:hasBeginning/time:inXSDDate ?b }""",
        {"t": URIRef(D + "term/jeenbekov-kg-president")},
    )
    assert [str(r["b"]) for r in begin] == ["2017-11-24"]


# ----------------------------------------------------------------------------- elections

ELECTIONS = {
    # election slug: (state, date, turnout, {candidate slug: (vote share, elected)})
    "2016-12-04-uz-presidential": (
        "UZ",
        "2016-12-04",
        "87.73",
        {"shavkat-mirziyoyev": ("88.61", True)},
    ),
    "2017-10-15-kg-presidential": (
        "KG",
        "2017-10-15",
        None,
        {"sooronbay-jeenbekov": ("54.74", True), "omurbek-babanov": (None, False)},
    ),
    "2019-06-09-kz-presidential": (
        "KZ",
        "2019-06-09",
        "77.4",
        {"kassym-jomart-tokayev": ("70.96", True), "amirzhan-kossanov": ("16.02", False)},
    ),
    "2020-10-11-tj-presidential": (
        "TJ",
        "2020-10-11",
        "85.44",
        {"emomali-rahmon": ("90.92", True), "rustam-latifzoda": ("3.02", False)},
    ),
    "2021-01-10-kg-presidential": ("KG", "2021-01-10", "39.16", {"sadyr-japarov": ("79.2", True)}),
    "2021-10-24-uz-presidential": (
        "UZ",
        "2021-10-24",
        "80.8",
        {"shavkat-mirziyoyev": ("80.1", True), "maksuda-vorisova": ("6.63", False)},
    ),
    "2022-03-12-tm-presidential": (
        "TM",
        "2022-03-12",
        "97.17",
        {"serdar-berdimuhamedov": ("72.97", True)},
    ),
    "2022-11-20-kz-presidential": (
        "KZ",
        "2022-11-20",
        "69.44",
        {"kassym-jomart-tokayev": ("81.31", True), "zhiguli-dairabayev": ("3.42", False)},
    ),
    "2023-07-09-uz-presidential": (
        "UZ",
        "2023-07-09",
        "79.88",
        {"shavkat-mirziyoyev": ("87.05", True), "robakhon-makhmudova": ("4.43", False)},
    ),
}


@pytest.mark.parametrize("slug", sorted(ELECTIONS))
def test_election_figures(full_graph_store, slug):
    iso, date, turnout, results = ELECTIONS[slug]
    e = URIRef(D + "election/" + slug)
    head = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?state ?date ?turnout ?office WHERE {
          ?e a rkg:Election ; rkg:electionFor ?state ; schema:startDate ?date ; rkg:office ?office .
          OPTIONAL { ?e rkg:turnout ?turnout } }""",
        {"e": e},
    )
    assert len(head) == 1
    row = head.rows[0]
    assert str(row["state"]) == D + "state/" + iso
    assert str(row["date"]) == date
    assert str(row["office"]).endswith("/role/president")
    assert (str(row["turnout"]) if "turnout" in row else None) == (
        str(Literal(turnout, datatype="http://www.w3.org/2001/XMLSchema#decimal"))
        if turnout
        else None
    )
    rows = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?candidate ?share ?elected WHERE {
          ?e rkg:result ?r . ?r rkg:candidate ?candidate .
          OPTIONAL { ?r rkg:voteShare ?share } OPTIONAL { ?r rkg:elected ?elected } }""",
        {"e": e},
    )
    got = {
        str(r["candidate"]).rsplit("/", 1)[1]: (
            float(r["share"].toPython()) if "share" in r else None,
            bool(r["elected"].toPython()) if "elected" in r else None,
        )
        for r in rows
    }
    assert got == {k: (float(v[0]) if v[0] else None, v[1]) for k, v in results.items()}


@pytest.mark.parametrize(
    "event,etype,date,who",
    [
        (
            "2016-12-14-uz-presidential-inauguration",
            "inauguration",
            "2016-12-14",
            "shavkat-mirziyoyev",
        ),
        (
            "2021-11-06-uz-presidential-inauguration",
            "inauguration",
            "2021-11-06",
            "shavkat-mirziyoyev",
        ),
        (
            "2019-03-19-kz-presidential-resignation",
            "resignation",
            "2019-03-19",
            "nursultan-nazarbayev",
        ),
        (
            "2019-03-20-kz-presidential-inauguration",
            "inauguration",
            "2019-03-20",
            "kassym-jomart-tokayev",
        ),
        (
            "2017-11-24-kg-presidential-inauguration",
            "inauguration",
            "2017-11-24",
            "sooronbay-jeenbekov",
        ),
        (
            "2020-10-15-kg-presidential-resignation",
            "resignation",
            "2020-10-15",
            "sooronbay-jeenbekov",
        ),
        (
            "2020-11-14-kg-acting-president-resignation",
            "resignation",
            "2020-11-14",
            "sadyr-japarov",
        ),
        ("2021-01-28-kg-presidential-inauguration", "inauguration", "2021-01-28", "sadyr-japarov"),
        (
            "2022-03-19-tm-presidential-inauguration",
            "inauguration",
            "2022-03-19",
            "serdar-berdimuhamedov",
        ),
    ],
)
def test_inaugurations_and_resignations(full_graph_store, event, etype, date, who):
    rows = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?type ?date WHERE {
          ?e rkg:eventType ?type ; schema:startDate ?date ; rkg:involves ?who }""",
        {"e": URIRef(D + "event/" + event), "who": URIRef(D + "person/" + who)},
    )
    assert [(str(r["type"]).rsplit("/", 1)[1], str(r["date"])) for r in rows] == [(etype, date)]


def test_prime_minister_terms(full_graph_store):
    rows = run_query(full_graph_store, "leaders", {"organisation": "KG"})
    pm = {
        (
            str(r["name"]),
            str(r["begin"]) if r.get("begin") else None,
            str(r["end"]) if r.get("end") else None,
            str(r["attestedOn"]) if r.get("attestedOn") else None,
        )
        for r in rows
        if str(r["role"]).endswith("/prime-minister")
    }
    assert pm == {
        ("Sooronbay Jeenbekov", "2016-04", "2017-08", None),
        ("Sadyr Japarov", None, None, "2020-11-14"),
    }


# ----------------------------------------------------------------------------- conflicts

CONFLICTS = [
    # (fact node, property, [(value, document slug, preferred)])
    (
        "result/2019-06-09-kz-presidential-kassym-jomart-tokayev",
        "rkg:voteShare",
        [
            ("70.96", "tass-2019-06-10-tokayev-wins-presidential-election", True),
            ("70.76", "deccanchronicle-2019-06-11-tokayev-wins-preliminary-results", False),
            ("70.76", "tass-2019-06-10-inauguration-planned-june-12", False),
        ],
    ),
    (
        "result/2022-11-20-kz-presidential-kassym-jomart-tokayev",
        "rkg:voteShare",
        [
            ("81.31", "inform-kz-2022-11-22-cec-final-results-presidential-election", True),
            ("85.52", "pledgetimes-2022-11-21-tokayev-wins-with-85-52", False),
        ],
    ),
    (
        "result/2021-01-10-kg-presidential-sadyr-japarov",
        "rkg:voteShare",
        [
            ("79.2", "mfa-gov-kg-2021-01-10-zhaparov-recognized-president-elect", True),
            ("79.23", "bigasia-2021-01-17-final-results-presidential-elections-kyrgyzstan", False),
        ],
    ),
    (
        "election/2021-01-10-kg-presidential",
        "rkg:turnout",
        [
            ("39.16", "mfa-gov-kg-2021-01-10-zhaparov-recognized-president-elect", True),
            ("39.33", "bigasia-2021-01-17-final-results-presidential-elections-kyrgyzstan", False),
        ],
    ),
    (
        "election/2020-10-11-tj-presidential",
        "rkg:turnout",
        [
            ("85.44", "khovar-2020-10-15-final-results-presidential-election", True),
            ("85.44", "tass-2020-10-14-tajikistan-final-results-presidential-election", False),
            ("85.39", "24kg-2020-10-12-emomali-rahmon-wins-presidential-elections", False),
            ("85.39", "urdupoint-2020-10-30-tajikistan-president-dismisses-government", False),
        ],
    ),
    (
        "result/2021-10-24-uz-presidential-shavkat-mirziyoyev",
        "rkg:voteShare",
        [
            ("80.1", "tass-2021-10-25-mirziyoyev-wins-presidential-election", True),
            ("80.12", "thegoaspotlight-2021-10-29-cec-uzbekistan-final-results", False),
        ],
    ),
    (
        "election/2021-10-24-uz-presidential",
        "rkg:turnout",
        [
            ("80.8", "tass-2021-10-25-mirziyoyev-wins-presidential-election", True),
            ("80.4", "thegoaspotlight-2021-10-29-cec-uzbekistan-final-results", False),
        ],
    ),
    (
        "election/2023-07-09-uz-presidential",
        "rkg:turnout",
        [
            ("79.88", "xs-uz-2023-07-10-mirziyoyev-re-elected-president", True),
            ("79.8", "azernews-2023-07-10-mirziyoyev-re-elected", False),
        ],
    ),
    (
        "event/2017-11-24-kg-presidential-inauguration",
        "schema:startDate",
        [
            ("2017-11-24", "kgzembind-2017-11-24-zheenbekov-takes-oath", True),
            ("2017-11-23", "e-cis-2017-11-23-jeenbekov-sworn-in", False),
        ],
    ),
    (
        "instant/sadyr-japarov-kg-acting-president-begin",
        "time:inXSDDate",
        [
            ("2020-10-16", "enciclopedia-cat-2020-10-15-dimiteix-president-kirguizistan", True),
            ("2020-10-15", "pakistaneconomicnet-2020-10-15-pm-declares-acting-president", False),
        ],
    ),
    (
        "instant/talant-mamytov-kg-acting-president-end",
        "time:inXSDDate",
        [
            ("2021-01-28", "kiwix-2021-09-talant-mamytov", True),
            ("2021-01-10", "abcdef-wiki-undated-talant-mamytov", False),
        ],
    ),
    (
        "instant/nazarbayev-kz-president-begin",
        "time:inXSDgYear",
        [
            ("1991", "irishexaminer-2019-03-20-new-kazakh-president-sworn-in", True),
            ("1992", "deccanchronicle-2019-06-11-tokayev-wins-preliminary-results", False),
        ],
    ),
    (
        "instant/nazarbayev-kz-president-end",
        "time:inXSDDate",
        [
            ("2019-03-19", "irishexaminer-2019-03-20-new-kazakh-president-sworn-in", True),
            ("2019-03-20", "vestnikkavkaza-2019-03-20-tokayev-sworn-in-second-president", False),
        ],
    ),
]


def _expand(prop: str) -> str:
    prefix, local = prop.split(":")
    return {
        "rkg": "https://w3id.org/regional-kg/ontology#",
        "schema": "https://schema.org/",
        "time": "http://www.w3.org/2006/time#",
    }[prefix] + local


def _norm(value: str) -> str:
    try:
        return str(float(value))
    except ValueError:
        return value


@pytest.mark.parametrize(
    "node,prop,claims", CONFLICTS, ids=[c[0].split("/", 1)[1] + "-" + c[1] for c in CONFLICTS]
)
def test_conflict_keeps_both_claims_with_their_sources(full_graph_store, node, prop, claims):
    fact = URIRef(D + node)
    rows = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?value ?doc ?preferred WHERE {
          ?fact rkg:contested true ; rkg:claim ?c .
          ?c rkg:claimProperty ?p ; rkg:claimValue ?value ;
             prov:qualifiedDerivation/prov:entity ?doc .
          OPTIONAL { ?c rkg:preferred ?preferred } }""",
        {"fact": fact, "p": URIRef(_expand(prop))},
    )
    got = {
        (
            _norm(str(r["value"])),
            str(r["doc"]).rsplit("/", 1)[1],
            bool(r["preferred"].toPython()) if "preferred" in r else False,
        )
        for r in rows
    }
    assert got == {(_norm(v), doc, pref) for v, doc, pref in claims}
    # the fact itself shows only the preferred value
    shown = full_graph_store.select(
        PREFIXES + "SELECT ?v WHERE { ?fact ?p ?v }", {"fact": fact, "p": URIRef(_expand(prop))}
    )
    preferred = [v for v, _, pref in claims if pref]
    assert [_norm(str(r["v"])) for r in shown] == [_norm(v) for v in preferred]


# -------------------------------------------------------------------- every document is used

DOCS = [
    "irishexaminer-2019-03-20-new-kazakh-president-sworn-in",
    "tass-2019-06-10-tokayev-wins-presidential-election",
    "deccanchronicle-2019-06-11-tokayev-wins-preliminary-results",
    "inform-kz-2022-11-22-cec-final-results-presidential-election",
    "pledgetimes-2022-11-21-tokayev-wins-with-85-52",
    "kgzembind-2017-11-24-zheenbekov-takes-oath",
    "e-cis-2017-11-23-jeenbekov-sworn-in",
    "rferl-2017-11-24-kyrgyzstan-inaugurates-new-president",
    "pakistaneconomicnet-2020-10-15-pm-declares-acting-president",
    "enciclopedia-cat-2020-10-15-dimiteix-president-kirguizistan",
    "tass-2020-11-14-japarov-resigns-acting-president",
    "kiwix-2021-09-talant-mamytov",
    "abcdef-wiki-undated-talant-mamytov",
    "mfa-gov-kg-2021-01-10-zhaparov-recognized-president-elect",
    "bigasia-2021-01-17-final-results-presidential-elections-kyrgyzstan",
    "inform-kz-2021-01-28-presidential-inauguration-kyrgyzstan",
    "khovar-2020-10-15-final-results-presidential-election",
    "24kg-2020-10-12-emomali-rahmon-wins-presidential-elections",
    "trend-2022-03-19-turkmenistan-inauguration-new-president",
    "trt-2022-03-19-son-takes-reins-from-father",
    "turkmenmetbugat-2022-03-25-inauguration-president",
    "wikipedia-undated-gurbanguly-berdimuhamedow",
    "tass-2021-10-25-mirziyoyev-wins-presidential-election",
    "thegoaspotlight-2021-10-29-cec-uzbekistan-final-results",
    "xs-uz-2023-07-10-mirziyoyev-re-elected-president",
    "azernews-2023-07-10-mirziyoyev-re-elected",
    "tass-2020-10-14-tajikistan-final-results-presidential-election",
    "asiaplus-2016-12-14-mirziyoyev-sworn-in",
    "indianeconomicobserver-2021-11-06-re-elected-uzbek-president-sworn-in",
    "vestnikkavkaza-2019-03-20-tokayev-sworn-in-second-president",
    "glavpost-2022-11-26-tokayev-sworn-in",
    "kabar-2020-10-30-inauguration-president-rahmon",
    "urdupoint-2020-10-30-tajikistan-president-dismisses-government",
]


@pytest.mark.parametrize("slug", DOCS)
def test_each_document_supports_a_term_or_election(full_graph_store, slug):
    rows = full_graph_store.select(
        PREFIXES
        + """
        SELECT DISTINCT ?fact WHERE {
          ?fact prov:qualifiedDerivation/prov:entity ?doc .
          { ?fact a rkg:TermOfOffice } UNION { ?fact a rkg:Election }
          UNION { ?fact a rkg:ElectionResult }
          UNION { ?fact a rkg:Event } }""",
        {"doc": URIRef(D + "doc/" + slug)},
    )
    assert len(rows) >= 1
    kind = full_graph_store.select(
        PREFIXES + "SELECT ?k ?n WHERE { ?doc rkg:documentKind ?k ; rkg:paragraphCount ?n }",
        {"doc": URIRef(D + "doc/" + slug)},
    )
    assert len(kind) == 1 and int(kind.rows[0]["n"]) >= 1


@pytest.mark.parametrize(
    "term,doc,paragraph",
    [
        (
            "kassym-jomart-tokayev-kz-president",
            "irishexaminer-2019-03-20-new-kazakh-president-sworn-in",
            5,
        ),
        ("almazbek-atambayev-kg-president", "e-cis-2017-11-23-jeenbekov-sworn-in", 7),
        (
            "talant-mamytov-kg-acting-president",
            "tass-2020-11-14-japarov-resigns-acting-president",
            5,
        ),
        (
            "sadyr-japarov-kg-president",
            "inform-kz-2021-01-28-presidential-inauguration-kyrgyzstan",
            3,
        ),
        (
            "serdar-berdimuhamedov-tm-president",
            "trend-2022-03-19-turkmenistan-inauguration-new-president",
            7,
        ),
        ("berdimuhamedow-tm-president", "wikipedia-undated-gurbanguly-berdimuhamedow", 11),
    ],
)
def test_term_cites_its_paragraph(full_graph_store, term, doc, paragraph):
    rows = full_graph_store.select(
        PREFIXES
        + """
        SELECT ?p WHERE {
          ?t prov:qualifiedDerivation ?d . ?d prov:entity ?doc ; rkg:paragraph ?p }""",
        {"t": URIRef(D + "term/" + term), "doc": URIRef(D + "doc/" + doc)},
    )
    assert paragraph in {int(r["p"]) for r in rows}


@pytest.mark.parametrize(
    ("on", "presidents"),
    [
        ("2018-06-08", {"KZ": "Nursultan Nazarbayev", "KG": "Sooronbay Jeenbekov",
                        "TJ": "Emomali Rahmon", "TM": "Gurbanguly Berdimuhamedow",
                        "UZ": "Shavkat Mirziyoyev"}),
        ("2020-06-01", {"KZ": "Kassym-Jomart Tokayev", "KG": "Sooronbay Jeenbekov",
                        "TJ": "Emomali Rahmon", "TM": "Gurbanguly Berdimuhamedow",
                        "UZ": "Shavkat Mirziyoyev"}),
        ("2022-06-01", {"KZ": "Kassym-Jomart Tokayev", "KG": "Sadyr Japarov",
                        "TJ": "Emomali Rahmon", "TM": "Serdar Berdimuhamedov",
                        "UZ": "Shavkat Mirziyoyev"}),
    ],
)
def test_leaders_on_a_date_are_the_five_presidents_of_that_day(full_graph_store, on, presidents):
    rows = run_query(full_graph_store, "leaders", {"on": on, "office": "president"})
    got = {str(r["organisation"]).rsplit("/", 1)[1]: str(r["name"]) for r in rows}
    assert got == presidents
    assert len(rows) == 5  # one term each: no overlap on that day
