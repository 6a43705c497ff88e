"""Spot checks of gap batch "b" (issue #13, second pass): trade figures the independent check found missing.

Kazakhstan's 2023 trade with the region (and the 26.8 vs "almost a third" conflict), the
January–October 2022 Kazakhstan–Uzbekistan figure kept out of the 2022 value (a note: no month periods), the Tajik-side 2023 figure
for trade with Uzbekistan, the Kazakh side's +26% with Kyrgyzstan in 2023, the 2030 deadline of the
$10bn Kazakhstan–Uzbekistan target, the intra-regional +35% of 2018 and $10.6bn of Sept 2023, and the
outside powers' totals (China 2024, Russia per Putin in 2022). Exact values, each with its document
and paragraph, so a lost or misread figure fails here.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import URIRef

D = "https://w3id.org/regional-kg/id/"
DOC = D + "doc/"
PREFIXES = """PREFIX rkg: <https://w3id.org/regional-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def _obs(store, obs):
    """(reporter, partner, year, value or change, data set) of one observation."""
    rows = list(
        store.select(
            PREFIXES
            + """SELECT ?reporter ?partner ?year ?v ?ds WHERE {
              ?o rkg:reporter ?reporter ; rkg:partner ?partner ; rkg:refPeriod ?year ; qb:dataSet ?ds .
              { ?o rkg:value ?v } UNION { ?o rkg:changePercent ?v } }""",
            {"o": URIRef(D + "obs/" + obs)},
        )
    )
    assert len(rows) == 1, rows
    r = rows[0]
    short = [str(r[k]).removeprefix(D) for k in ("reporter", "partner", "year")]
    return (*short, Decimal(str(r["v"])), str(r["ds"]).removeprefix(D))


def _paragraphs(store, node, doc):
    rows = store.select(
        PREFIXES
        + "SELECT ?p WHERE { ?n prov:qualifiedDerivation [ prov:entity ?doc ; rkg:paragraph ?p ] }",
        {"n": URIRef(D + node), "doc": URIRef(DOC + doc)},
    )
    return sorted(int(r["p"].toPython()) for r in rows)


def _claims(store, fact):
    rows = store.select(
        PREFIXES
        + """SELECT ?value ?preferred ?doc ?contested WHERE {
          ?fact rkg:contested ?contested ; rkg:claim ?c .
          ?c rkg:claimValue ?value ; rkg:preferred ?preferred ; prov:qualifiedDerivation/prov:entity ?doc }""",
        {"fact": URIRef(D + fact)},
    )
    return {
        (Decimal(str(r["value"])), str(r["doc"]).removeprefix(DOC), str(r["preferred"]) == "true")
        for r in rows
    }, {str(r["contested"]) for r in rows}


INFORM_NEXT_DECADE = "inform-kz-2024-08-08-next-decade-pivotal-central-asia"
SILKWAY = "silkwaytv-2024-08-intra-regional-trade-to-15-billion"


def test_tr06_kazakhstan_trade_with_the_region_2023(full_graph_store):
    assert _obs(full_graph_store, "kz-turnover-ca-2023") == (
        "state/KZ",
        "region/central-asia",
        "2023",
        Decimal("8000.0"),
        "dataset/kz-ca-turnover",
    )
    assert _paragraphs(full_graph_store, "obs/kz-turnover-ca-2023", INFORM_NEXT_DECADE) == [5]
    assert _paragraphs(full_graph_store, "obs/kz-turnover-ca-2023", SILKWAY) == [6, 7]
    assert _obs(full_graph_store, "kz-turnover-ca-change-2023")[3] == Decimal("26.8")


def test_tr06_conflict_growth_26_8_against_almost_a_third(full_graph_store):
    claims, contested = _claims(full_graph_store, "obs/kz-turnover-ca-change-2023")
    assert contested == {"true"}
    assert claims == {
        (Decimal("26.8"), INFORM_NEXT_DECADE, True),
        (Decimal("33.3"), SILKWAY, False),
    }


def test_tr09_january_october_2022_is_not_filed_as_the_2022_value(full_graph_store):
    # rkg:refPeriod is a year: the ten-month figure stays a note on its document, and 2022 keeps one value.
    rows = list(
        full_graph_store.select(
            PREFIXES
            + """SELECT ?v WHERE { ?o rkg:reporter ?r ; rkg:partner ?p ; rkg:refPeriod "2022"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
                 rkg:value ?v }""",
            {"r": URIRef(D + "state/KZ"), "p": URIRef(D + "state/UZ")},
        )
    )
    assert [Decimal(str(r["v"])) for r in rows] == [Decimal("5000.0")]
    notes = list(
        full_graph_store.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?n WHERE { ?d skos:note ?n }",
            {
                "d": URIRef(
                    DOC + "inform-2022-12-21-8bln-agreements-kazakh-president-visit-uzbekistan"
                )
            },
        )
    )
    assert any(
        "4.1 billion" in str(r["n"]) and "January-October 2022" in str(r["n"]) for r in notes
    )


def test_tr10_2030_deadline_and_2024_figure(full_graph_store):
    doc = "urdupoint-2025-03-19-kazakhstan-uzbekistan-leaders-strategic-goals"
    rows = list(
        full_graph_store.select(
            PREFIXES + "SELECT ?d WHERE { ?t rkg:deadline ?d }",
            {"t": URIRef(D + "target/kz-uz-trade-10bn")},
        )
    )
    assert [str(r["d"]) for r in rows] == ["2030"]
    assert _paragraphs(full_graph_store, "target/kz-uz-trade-10bn", doc) == [11]
    assert _obs(full_graph_store, "kz-turnover-uz-2024") == (
        "state/KZ",
        "state/UZ",
        "2024",
        Decimal("4300.0"),
        "dataset/kz-uz-turnover",
    )


def test_tr13_tajik_side_2023_next_to_the_uzbek_side(full_graph_store):
    assert _obs(full_graph_store, "tj-turnover-uz-2023") == (
        "state/TJ",
        "state/UZ",
        "2023",
        Decimal("504.4"),
        "dataset/tj-uz-turnover",
    )
    assert _paragraphs(
        full_graph_store,
        "obs/tj-turnover-uz-2023",
        "trend-az-2024-03-14-uzbekistan-tajikistan-trade-2023",
    ) == [1, 2]
    # Two reporters, two observations: the Uzbek figure is untouched and neither is contested.
    assert _obs(full_graph_store, "uz-turnover-tj-2023")[3] == Decimal("756.8")
    assert _claims(full_graph_store, "obs/tj-turnover-uz-2023") == (set(), set())


def test_tr15_kazakh_side_growth_with_kyrgyzstan_2023(full_graph_store):
    doc = "24-kg-2024-04-19-japarov-tokayev-sign-historic-document"
    assert _obs(full_graph_store, "kz-turnover-kg-change-2023") == (
        "state/KZ",
        "state/KG",
        "2023",
        Decimal("26.0"),
        "dataset/kz-kg-turnover-change",
    )
    assert _paragraphs(full_graph_store, "obs/kz-turnover-kg-change-2023", doc) == [7]
    assert _paragraphs(full_graph_store, "obs/kz-turnover-kg-2023", doc) == [7]
    assert _paragraphs(full_graph_store, "target/kz-kg-trade-2bn", doc) == [7]


def test_tr01_tr04_intraregional_trade(full_graph_store):
    assert _obs(full_graph_store, "ca-intraregional-turnover-change-2018") == (
        "region/central-asia",
        "region/central-asia",
        "2018",
        Decimal("35.0"),
        "dataset/ca-intraregional-trade-change",
    )
    assert _paragraphs(
        full_graph_store,
        "obs/ca-intraregional-turnover-change-2018",
        "uz-line-2019-03-20-maiden-central-asian-economic-forum",
    ) == [1]
    assert _obs(full_graph_store, "ca-intraregional-turnover-2022") == (
        "region/central-asia",
        "region/central-asia",
        "2022",
        Decimal("10600.0"),
        "dataset/ca-intraregional-trade",
    )
    assert _paragraphs(
        full_graph_store,
        "obs/ca-intraregional-turnover-2022",
        "akorda-2023-09-14-tokayev-fifth-consultative-meeting",
    ) == [11]


def test_x14_x24_outside_powers_totals(full_graph_store):
    assert _obs(full_graph_store, "cn-turnover-ca-2024") == (
        "state/CN",
        "region/central-asia",
        "2024",
        Decimal("100000.0"),
        "dataset/cn-ca-turnover",
    )
    assert _paragraphs(
        full_graph_store,
        "obs/cn-turnover-ca-2024",
        "astanatimes-2025-06-18-china-central-asia-sign-treaty",
    ) == [3]
    assert _obs(full_graph_store, "ru-turnover-ca-2021") == (
        "state/RU",
        "region/central-asia",
        "2021",
        Decimal("37100.0"),
        "dataset/ru-ca-turnover",
    )
    assert _paragraphs(
        full_graph_store,
        "obs/ru-turnover-ca-2021",
        "newsoftheworld-2022-10-14-leaders-plenary-russia-central-asia-summit",
    ) == [7]
