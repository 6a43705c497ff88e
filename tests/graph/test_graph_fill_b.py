"""Spot checks of the "fill-b" batch: headline facts an independent check found missing.

Each figure is stated by the document it cites in graph/sources/ (see the derivations there).
"""

from __future__ import annotations

from rdflib import URIRef

from regional_kg.catalogue import run_query

D = "https://w3id.org/regional-kg/id/"
PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
CLASH = URIRef("https://w3id.org/regional-kg/concept/event-type/armed-clash")


def _one(store, query: str, **bind):
    rows = store.select(PREFIXES + query, {k: URIRef(v) for k, v in bind.items()})
    return [{k: str(v) for k, v in r.items()} for r in rows]


def _docs(store, node: str) -> set[str]:
    rows = _one(
        store,
        "SELECT DISTINCT ?doc WHERE { ?n prov:qualifiedDerivation/prov:entity ?doc }",
        n=D + node,
    )
    return {r["doc"].rsplit("/", 1)[1] for r in rows}


def test_turkmen_presidential_election_2017(full_graph_store):
    rows = _one(
        full_graph_store,
        """SELECT ?date ?turnout ?share ?who WHERE {
          ?e schema:startDate ?date ; rkg:turnout ?turnout ; rkg:result ?r .
          ?r rkg:voteShare ?share ; rkg:candidate ?who ; rkg:elected true }""",
        e=D + "election/2017-02-12-tm-presidential",
    )
    assert rows == [
        {
            "date": "2017-02-12",
            "turnout": "97.27",
            "share": "97.69",
            "who": D + "person/gurbanguly-berdimuhamedow",
        }
    ]
    assert "trtworld-2017-02-13-turkmenistan-president-wins-third-term" in _docs(
        full_graph_store, "result/2017-02-12-tm-presidential-gurbanguly-berdimuhamedow"
    )


def test_tokayev_inauguration_2019(full_graph_store):
    rows = _one(
        full_graph_store,
        """SELECT ?date ?who WHERE { ?e rkg:eventType ?t ; schema:startDate ?date ; rkg:involves ?who }""",
        e=D + "event/2019-06-12-kz-presidential-inauguration",
    )
    assert rows == [{"date": "2019-06-12", "who": D + "person/kassym-jomart-tokayev"}]
    assert _docs(full_graph_store, "event/2019-06-12-kz-presidential-inauguration") == {
        "tass-2019-06-10-inauguration-planned-june-12"
    }


def test_tokayev_2019_share_stays_the_final_figure_with_the_new_claim(full_graph_store):
    node = D + "result/2019-06-09-kz-presidential-kassym-jomart-tokayev"
    shares = _one(full_graph_store, "SELECT ?v WHERE { ?r rkg:voteShare ?v }", r=node)
    assert shares == [{"v": "70.96"}]
    claims = _one(
        full_graph_store,
        """SELECT ?v ?doc WHERE { ?r rkg:contested true ; rkg:claim ?c .
           ?c rkg:claimValue ?v ; prov:qualifiedDerivation/prov:entity ?doc }""",
        r=node,
    )
    got = {(c["v"], c["doc"].rsplit("/", 1)[1]) for c in claims}
    assert ("70.76", "tass-2019-06-10-inauguration-planned-june-12") in got
    assert ("70.96", "tass-2019-06-10-tokayev-wins-presidential-election") in got


def test_kyrgyz_tajik_border_clashes(full_graph_store):
    rows = _one(
        full_graph_store,
        """SELECT ?e ?date ?place WHERE {
          ?e rkg:eventType ?clash ; schema:startDate ?date ; schema:location ?place ;
             rkg:involves <https://w3id.org/regional-kg/id/state/KG> , <https://w3id.org/regional-kg/id/state/TJ> }
          ORDER BY ?date""",
        clash=str(CLASH),
    )
    assert [(r["e"].rsplit("/", 1)[1], r["date"], r["place"].rsplit("/", 1)[1]) for r in rows] == [
        ("2021-04-28-kg-tj-border-clash", "2021-04-28", "kok-tash"),
        ("2022-09-14-kg-tj-border-clash", "2022-09-14", "batken-region"),
    ]
    note = _one(
        full_graph_store,
        "SELECT ?n WHERE { ?e skos:note ?n }",
        e=D + "event/2022-09-14-kg-tj-border-clash",
    )
    assert "59 dead" in note[0]["n"] and "144 wounded" in note[0]["n"]


def test_trade_observations(full_graph_store):
    q = """SELECT ?v ?rep ?par ?prec ?ds WHERE { ?o rkg:value ?v ; rkg:reporter ?rep ; rkg:partner ?par ;
                 rkg:precision ?prec ; <http://purl.org/linked-data/cube#dataSet> ?ds }"""
    tj = _one(full_graph_store, q, o=D + "obs/kz-turnover-tj-2022")
    assert tj == [
        {
            "v": "1400",
            "rep": D + "state/KZ",
            "par": D + "state/TJ",
            "prec": "50",
            "ds": D + "dataset/kz-ca-turnover",
        }
    ]
    ca = _one(full_graph_store, q, o=D + "obs/ca-intraregional-turnover-2018")
    assert ca == [
        {
            "v": "12200",
            "rep": D + "region/central-asia",
            "par": D + "region/central-asia",
            "prec": "50",
            "ds": D + "dataset/ca-intraregional-trade",
        }
    ]
    assert "uz-line-2019-03-20-maiden-central-asian-economic-forum" in _docs(
        full_graph_store, "obs/ca-intraregional-turnover-2018"
    )
    assert "inform-2023-05-05-kazakh-tajik-leaders-meeting-outcomes" in _docs(
        full_graph_store, "obs/kz-turnover-tj-2022"
    )


def test_clashes_reach_the_timeline(full_graph_store):
    rows = run_query(full_graph_store, "timeline", {"state": "KG"})
    assert any("2022-09-14-kg-tj-border-clash" in str(v) for r in rows for v in r.values())


def test_jeenbekov_2017_share_is_contested_and_the_manual_count_preferred(full_graph_store):
    node = D + "result/2017-10-15-kg-presidential-sooronbay-jeenbekov"
    shares = _one(full_graph_store, "SELECT ?v WHERE { ?r rkg:voteShare ?v }", r=node)
    assert shares == [{"v": "54.74"}]
    claims = _one(
        full_graph_store,
        """SELECT ?v ?p ?doc WHERE { ?r rkg:contested true ; rkg:claim ?c .
           ?c rkg:claimValue ?v ; rkg:preferred ?p ; prov:qualifiedDerivation/prov:entity ?doc }""",
        r=node,
    )
    got = {(c["v"], c["p"], c["doc"].rsplit("/", 1)[1]) for c in claims}
    assert got == {
        ("54.74", "true", "stanradar-2017-10-19-cec-counted-ballots-jeenbekov"),
        ("54.22", "false", "aljazeera-2017-10-15-jeenbekov-set-to-win-kyrgyz-poll"),
        ("54", "false", "rferl-2017-11-24-kyrgyzstan-inaugurates-new-president"),
    }


def test_kazakhstan_trade_with_central_asia_from_the_2022_speech(full_graph_store):
    rows = _one(
        full_graph_store,
        """SELECT ?v ?rep ?par ?y WHERE { ?o rkg:value ?v ; rkg:reporter ?rep ; rkg:partner ?par ; rkg:refPeriod ?y }""",
        o=D + "obs/kz-turnover-ca-2021",
    )
    assert rows == [
        {"v": "6300", "rep": D + "state/KZ", "par": D + "region/central-asia", "y": "2021"}
    ]
    assert _docs(full_graph_store, "obs/kz-turnover-ca-2021") == {"inform-2022-07-21-kazakhstan-ca-trade-15bln"}
