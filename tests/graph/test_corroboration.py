"""One node per fact whatever the number of documents; conflicts kept as claims, one preferred.

The fixture has two made-up pages reporting one visit (the same triples in two named graphs) and
disagreeing on an election's turnout; the second page is a mirror of a third publisher's text.
"""

from __future__ import annotations

import pytest

from regional_kg.build import build
from regional_kg.catalogue import run_query
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "corroboration" / "two-pages.trig"
D = "https://w3id.org/regional-kg/id/"
VISIT = D + "visit/2021-03-11-kg-uz-test"
ELECTION = D + "election/2021-01-10-kg-test"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def store(request):  # type: ignore[no-untyped-def]
    return build([FIXTURE], store=request.param, validate=True).store


def test_a_fact_reported_twice_is_one_row_with_two_documents(store):
    rows = {str(r["fact"]): r for r in run_query(store, "corroboration")}
    visit = rows[VISIT]
    counts = (str(visit["kind"]), int(visit["documents"]), int(visit["publishers"]))
    assert counts == ("visit", 2, 2)
    # the mirror counts for its original publisher, not for the site that reposted it
    assert str(visit["publisherNames"]) == "example.com; example.org"
    seed_fact = rows[D + "visit/2017-12-25-kg-kz-official"]
    assert (int(seed_fact["documents"]), int(seed_fact["publishers"])) == (1, 1)


def test_same_triples_in_two_graphs_do_not_duplicate_rows(store):
    visits = [r for r in run_query(store, "visits", {"state": "KG"}) if str(r["visit"]) == VISIT]
    assert len(visits) == 1
    assert str(visits[0]["start"]) == "2021-03-11"


def test_conflicts_list_each_claim_with_its_source(store):
    rows = [
        (str(r["value"]), str(r["preferred"]), str(r["document"]).rsplit("/", 1)[1],
         int(r["paragraph"]), str(r["publisher"]))
        for r in run_query(store, "conflicts", {"fact": ELECTION})
    ]
    assert rows == [
        ("39.2", "true", "test-page-a", 3, "example.org"),
        ("39.16", "false", "test-page-b", 5, "example.net"),
    ]


def test_a_contested_fact_shows_only_its_preferred_value(store):
    result = store.select(
        "SELECT ?t WHERE { <" + ELECTION + "> <https://w3id.org/regional-kg/ontology#turnout> ?t }"
    )
    assert [str(r["t"]) for r in result] == ["39.2"]


def test_leaders_as_of_a_date(store):
    on_summit = run_query(store, "leaders", {"on": "2018-03-15", "office": "president"})
    assert sorted(str(r["organisationName"]) for r in on_summit) == [
        "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan",
    ]
    on_article = run_query(store, "leaders", {"on": "2018-06-08", "office": "president"})
    assert [str(r["name"]) for r in on_article] == ["Nursultan Nazarbayev"]
    assert len(run_query(store, "leaders", {"on": "2016", "office": "president"})) == 0


@pytest.mark.parametrize(
    ("on", "held"),
    [("2020-10-15", False), ("2020-10-16", True), ("2020-11", True), ("2021-06-30", True),
     ("2022-01-01", False), ("2020", True)],
)
def test_leaders_on_a_date_compare_at_the_coarser_precision(store, on, held):
    names = {str(r["name"]) for r in run_query(store, "leaders", {"on": on, "office": "president"})}
    assert ("Test Visitor" in names) is held



def test_centrality_evidence_counts_independent_publishers(store):
    from regional_kg.network.ranking import centrality

    rows = {str(r["iso"]): r for r in centrality(store, ["diplomatic"], year=2021)}
    # 2021: only the made-up visit (two pages: example.org, and example.net reposting example.com)
    assert (rows["KG"]["facts"], rows["KG"]["sources"], rows["KG"]["publishers"]) == (1, 2, 2)
    everything = {str(r["iso"]): r for r in centrality(store, ["diplomatic"])}
    assert everything["KG"]["publishers"] == 3  # the seed article as well
