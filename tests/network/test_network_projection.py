"""Projection: every relation its own edge, per layer and view, filtered by year.

Expected counts are worked out by hand from tests/fixtures/network/small.trig (its header says
what it holds).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from regional_kg.catalogue import parse_query
from regional_kg.errors import ParameterError
from regional_kg.network import project
from regional_kg.resources import queries_dir
from tests.support.network_support import fixture_store, state

KZ, UZ, KG, TJ, TM = (state(c) for c in ("KZ", "UZ", "KG", "TJ", "TM"))
SCO = "https://w3id.org/regional-kg/id/org/sco"


@pytest.fixture(scope="module")
def store():
    return fixture_store("oxigraph")


def kinds_between(graph, a, b) -> Counter:
    return Counter(d["kind"] for d in (graph.get_edge_data(a, b) or {}).values())


def test_every_network_query_has_a_catalogue_header():
    files = sorted((queries_dir() / "network").glob("*.rq"))
    names = {p.stem for p in files}
    for layer in ("diplomatic", "treaty", "trade", "institutional"):
        assert {f"{layer}-partners", f"{layer}-actors"} <= names
    for path in files:
        spec = parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        assert spec.title and spec.description


def test_two_states_linked_on_every_layer_keep_every_edge(store):
    graph = project(store, None, "partners")
    assert graph.number_of_edges() == 21  # 10 diplomatic, 3 treaty, 7 trade, 1 institutional
    assert Counter(d["layer"] for _, _, d in graph.edges(data=True)) == {
        "diplomatic": 10,
        "treaty": 3,
        "trade": 7,
        "institutional": 1,
    }
    assert kinds_between(graph, KZ, UZ) == {
        "visit": 2,
        "meeting": 1,
        "tally": 1,
        "agreement": 1,
        "agreement-group": 1,
        "turnover": 2,
        "shared-organisation": 1,
    }
    edges = graph.get_edge_data(KZ, UZ)
    group = edges[
        "treaty/agreement-group/https://w3id.org/regional-kg/id/agreement/2017-kz-uz-documents"
    ]
    assert group["weight"] == 27.0 and group["year"] == 2017 and group["date"] == "2017"
    trade = [d for d in edges.values() if d["kind"] == "turnover"]
    assert sorted(d["weight"] for d in trade) == [1500.0, 1980.0]
    meeting = next(d for d in edges.values() if d["kind"] == "meeting")
    assert meeting["paragraphs"] == 2 and meeting["fact"].endswith("2018-03-15-ca-meeting")
    assert graph.nodes[KZ] == {"label": "Kazakhstan", "kind": "State", "iso": "KZ"}


def test_region_totals_stay_out_of_the_trade_layer(store):
    graph = project(store, ["trade"], "partners")
    assert set(graph.nodes) == {KZ, UZ, KG, TJ, TM}
    assert sum(d["weight"] for _, _, d in graph.edges(data=True)) == pytest.approx(
        1500 + 1980 + 668 + 758.4 + 590.3 + 776.3 + 99.2
    )


def test_year_filter_reads_dates_of_any_precision(store):
    graph = project(store, None, "partners", year=2017)
    # the 2017-09 (gYearMonth) and 2017-03-22 (date) visits, 3 agreements, 4 trade figures
    assert Counter(d["layer"] for _, _, d in graph.edges(data=True)) == {
        "diplomatic": 2,
        "treaty": 3,
        "trade": 4,
    }
    assert kinds_between(graph, KZ, UZ) == {
        "visit": 2,
        "agreement": 1,
        "agreement-group": 1,
        "turnover": 1,
    }


def test_a_layer_empty_for_a_year(store):
    graph = project(store, ["trade", "institutional"], "partners", year=2017)
    assert {d["layer"] for _, _, d in graph.edges(data=True)} == {"trade"}
    graph = project(store, ["trade"], "partners", year=2018)
    assert graph.number_of_edges() == 0 and graph.number_of_nodes() == 0


def test_since_until_and_spans(store):
    graph = project(store, ["diplomatic"], "partners", since=2016, until=2018)
    # undated tally left out; 3 visits + 6 meeting pairs
    assert Counter(d["kind"] for _, _, d in graph.edges(data=True)) == {"visit": 3, "meeting": 6}
    # UNSC membership spans 2017-2018: in both years; the 2017 SCO chairmanship only in 2017
    for year, expected in ((2017, {"chairmanship": 1, "membership": 1}), (2018, None)):
        graph = project(store, ["institutional"], "actors", year=year)
        kz_kinds = Counter(d["kind"] for _, _, d in graph.edges(KZ, data=True))
        if expected:
            assert kz_kinds == expected
        else:
            assert kz_kinds == {"membership": 2, "office": 1}


def test_actor_view(store):
    graph = project(store, None, "actors")
    assert Counter(d["layer"] for _, _, d in graph.edges(data=True)) == {
        "diplomatic": 14,
        "treaty": 9,
        "trade": 7,
        "institutional": 5,
    }
    # membership and chairmanship of the same organisation: two edges, not one
    assert kinds_between(graph, KZ, SCO) == {"membership": 1, "chairmanship": 1}
    nazarbayev = "https://w3id.org/regional-kg/id/person/nursultan-nazarbayev"
    assert graph.nodes[nazarbayev]["kind"] == "Person"
    assert Counter(d["kind"] for _, _, d in graph.edges(nazarbayev, data=True)) == {
        "visitor": 1,
        "participant": 1,
        "tally": 1,
        "signatory": 1,
        "office": 1,
    }
    visit = "https://w3id.org/regional-kg/id/visit/2017-03-22-uz-kz-state"
    assert graph.nodes[visit]["kind"] == "Visit"
    group = "https://w3id.org/regional-kg/id/agreement/2017-kz-uz-documents"
    assert graph.nodes[group]["kind"] == "AgreementGroup"


def test_bad_parameters(store):
    with pytest.raises(ParameterError, match="unknown layer 'trde'.*did you mean trade"):
        project(store, ["trde"])
    with pytest.raises(ParameterError, match="unknown view 'partner'.*partners"):
        project(store, None, "partner")
    with pytest.raises(ParameterError, match="after --until"):
        project(store, None, since=2018, until=2016)


def test_a_user_can_change_a_layer_query(store, tmp_path: Path):
    # layers are plain .rq files: a copy without visits changes the layer, no Python involved
    for path in (queries_dir() / "network").glob("*.rq"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "diplomatic-partners":
            text = text.replace("?fact a rkg:Visit ;", "?fact a rkg:NoSuchClass ;")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    graph = project(store, ["diplomatic"], "partners", queries=tmp_path)
    assert Counter(d["kind"] for _, _, d in graph.edges(data=True)) == {"meeting": 6, "tally": 1}
