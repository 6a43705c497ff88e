"""Measures, normalisation, aggregation, ego ranking and comparison: values worked out by hand.

From tests/fixtures/network/small.trig:

* treaty layer, partner view: KZ–UZ agreement (weight 1) and a group of 27 documents (27),
  KZ–KG agreement (1). Layer max 27, so the collapsed pairs are KZ–UZ 28/27 and KZ–KG 1/27:
  the path UZ – KZ – KG.
* diplomatic 2017: two visits KZ–UZ (1 each, max 1) → pair weight 2.
* trade 2017 (reporter KZ): UZ 1980, TJ 776.3, KG 758.4, TM 99.2 (max 1980).
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from regional_kg.errors import ParameterError
from regional_kg.network import centrality, collapse, compute, layer_maxima, layer_scores, project
from tests.support.network_support import fixture_store, rounded, state

KZ, UZ, KG, TJ, TM = (state(c) for c in ("KZ", "UZ", "KG", "TJ", "TM"))
TRADE_2017 = {UZ: 1980.0, TJ: 776.3, KG: 758.4, TM: 99.2}


@pytest.fixture(scope="module")
def store():
    return fixture_store("oxigraph")


def by_node(rows, column):
    return {row["node"]: row[column] for row in rows}


def test_weights_normalised_per_layer_and_summed_per_pair(store):
    graph = project(store, ["treaty", "trade"], "partners", year=2017)
    assert layer_maxima(graph) == {"treaty": 27.0, "trade": 1980.0}
    treaty = collapse(graph, ["treaty"])
    assert treaty[KZ][UZ]["weight"] == pytest.approx(28 / 27)
    assert treaty[KZ][UZ]["count"] == 2
    assert treaty[KZ][UZ]["distance"] == pytest.approx(27 / 28)
    assert treaty[KZ][KG]["weight"] == pytest.approx(1 / 27)
    trade = collapse(graph, ["trade"])
    assert trade[KZ][TJ]["weight"] == pytest.approx(776.3 / 1980)
    assert max(d["weight"] for _, _, d in trade.edges(data=True)) == 1.0


def test_measures_on_a_path(store):
    rows = centrality(store, ["treaty"], list(("strength", "degree", "betweenness", "closeness")))
    strength, degree = by_node(rows, "strength"), by_node(rows, "degree")
    assert strength == pytest.approx({KZ: 29 / 27, UZ: 28 / 27, KG: 1 / 27})
    assert degree == {KZ: 2.0, UZ: 1.0, KG: 1.0}
    assert by_node(rows, "betweenness") == {KZ: 1.0, UZ: 0.0, KG: 0.0}
    # closeness = (n-1) / Σ distances, distance = 1/weight: KZ→UZ 27/28, KZ→KG 27
    assert by_node(rows, "closeness") == pytest.approx(
        {KZ: 2 / (27 / 28 + 27), UZ: 2 / (27 / 28 + 27 / 28 + 27), KG: 2 / (27 + 27 / 28 + 27)}
    )
    assert [row["iso"] for row in rows] == ["KZ", "UZ", "KG"]
    assert [row["rank"] for row in rows] == [1, 2, 3]


def test_eigenvector_and_pagerank_on_the_star(store):
    rows = centrality(store, ["treaty"], ["eigenvector", "pagerank"])
    a, b = 28 / 27, 1 / 27
    lam = math.hypot(a, b)  # star: λ² = a² + b², centre 1/√2, leaves a/(λ√2), b/(λ√2)
    assert by_node(rows, "eigenvector") == pytest.approx(
        {KZ: 1 / math.sqrt(2), UZ: a / (lam * math.sqrt(2)), KG: b / (lam * math.sqrt(2))},
        abs=1e-6,
    )
    alpha = 0.85  # x_KZ = ((1-α)/3 + α (1 - x_KZ)); x_UZ = (1-α)/3 + α · 28/29 · x_KZ
    centre = ((1 - alpha) / 3 + alpha) / (1 + alpha)
    assert by_node(rows, "pagerank") == pytest.approx(
        {
            KZ: centre,
            UZ: (1 - alpha) / 3 + alpha * 28 / 29 * centre,
            KG: (1 - alpha) / 3 + alpha * 1 / 29 * centre,
        },
        abs=1e-6,
    )


def test_aggregate_with_layer_weights(store):
    rows = centrality(
        store, ["diplomatic", "trade"], ["strength"], year=2017, layer_weights=["trade=2"]
    )
    trade_kz = sum(TRADE_2017.values()) / 1980
    got = by_node(rows, "strength")
    assert got == pytest.approx(
        {
            KZ: (2 + 2 * trade_kz) / 3,
            UZ: (2 + 2 * 1.0) / 3,
            TJ: 2 * 776.3 / 1980 / 3,
            KG: 2 * 758.4 / 1980 / 3,
            TM: 2 * 99.2 / 1980 / 3,
        }
    )
    assert by_node(rows, "strength:diplomatic")[UZ] == pytest.approx(2.0)
    assert by_node(rows, "strength:trade")[UZ] == pytest.approx(1.0)
    assert rows.meta["layer_weights"] == {"diplomatic": 1.0, "trade": 2.0}
    # the same weights on the combined 'all' graph: pair weights add up, no division
    rows = centrality(
        store, ["diplomatic", "trade", "all"], ["strength"], year=2017, layer_weights=["trade=2"]
    )
    assert by_node(rows, "strength")[KZ] == pytest.approx(2 + 2 * trade_kz)
    assert by_node(rows, "strength:aggregate")[KZ] == pytest.approx((2 + 2 * trade_kz) / 3)


def test_a_layer_empty_for_the_year_scores_zero(store):
    # 2017 has no institutional relation: it still counts in the denominator (weight 1)
    rows = centrality(store, ["trade", "institutional"], ["strength"], year=2017)
    assert by_node(rows, "strength:institutional") == {n: 0.0 for n in (KZ, UZ, TJ, KG, TM)}
    assert by_node(rows, "strength")[UZ] == pytest.approx(1.0 / 2)
    assert centrality(store, ["trade"], year=2018) == []


def test_evidence_on_each_row(store):
    rows = centrality(store, None, ["degree"])
    kz = next(row for row in rows if row["iso"] == "KZ")
    assert kz["relations"] == {
        "turnover": 7,
        "meeting": 3,
        "visit": 3,
        "agreement": 2,
        "agreement-group": 1,
        "shared-organisation": 1,
        "tally": 1,
    }
    assert kz["edges"] == 18
    assert kz["trade_usd_million"] == pytest.approx(6372.2)
    assert kz["documents"] == 29
    assert kz["facts"] == 17  # a meeting of four is one fact; two memberships behind SCO
    assert kz["sources"] == 9  # distinct paragraphs: 14 15 28 29 30 36 37 44 45


def test_ego_ranks_partners_by_tie(store):
    rows = centrality(store, ["trade"], ego="Kazakhstan", year=2017)
    assert [row["iso"] for row in rows] == ["UZ", "TJ", "KG", "TM"]
    assert by_node(rows, "tie") == pytest.approx({n: v / 1980 for n, v in TRADE_2017.items()})
    assert by_node(rows, "trade_usd_million") == pytest.approx(TRADE_2017)
    # every layer: KZ–UZ tie = mean of diplomatic (1+1+1+3)/3, treaty 28/27,
    # trade (1500+1980)/1980, institutional 1
    rows = centrality(store, None, ego="kz")
    assert rows[0]["iso"] == "UZ"
    assert rows[0]["tie"] == pytest.approx((2 + 28 / 27 + 3480 / 1980 + 1) / 4)
    assert rows[0]["relations"]["visit"] == 2
    assert rows.meta["ego"] == KZ and rows.meta["ego_label"] == "Kazakhstan"


def test_compare_two_periods_on_one_scale(store):
    rows = centrality(store, ["trade"], ["strength"], compare="2016:2017")
    before = (1500 + 668 + 590.3) / 1980
    after = sum(TRADE_2017.values()) / 1980
    kz = rows[0]
    assert kz["iso"] == "KZ"
    assert kz["strength"] == pytest.approx(after)
    assert kz["strength:before"] == pytest.approx(before)
    assert kz["strength:change"] == pytest.approx(after - before)
    tm = next(row for row in rows if row["iso"] == "TM")
    assert tm["strength:before"] == 0.0 and tm["strength:change"] == pytest.approx(99.2 / 1980)
    with pytest.raises(ParameterError, match="BEFORE:AFTER"):
        centrality(store, ["trade"], compare="2016")


def test_unknown_state_layer_measure(store):
    with pytest.raises(ParameterError, match=r"unknown state 'Kazakstan'.*did you mean Kazakhstan"):
        centrality(store, ["trade"], ego="Kazakstan")
    with pytest.raises(ParameterError, match=r"unknown layer 'tarde'.*did you mean trade"):
        centrality(store, ["tarde"])
    with pytest.raises(ParameterError, match=r"unknown measure 'pagerang'.*did you mean pagerank"):
        centrality(store, None, ["pagerang"])
    with pytest.raises(ParameterError, match="LAYER=NUMBER"):
        centrality(store, None, layer_weights=["trade2"])
    with pytest.raises(ParameterError, match="unknown layer 'money'"):
        centrality(store, None, layer_weights=["money=2"])


def test_igraph_backend_gives_the_same_numbers(store):
    graph = collapse(project(store, None, "partners"), ["diplomatic", "treaty", "trade"])
    measures = ["degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank"]
    ours = compute(graph, measures, backend="networkx")
    theirs = compute(graph, measures, backend="igraph")
    for measure in measures:
        assert theirs[measure] == pytest.approx(ours[measure], abs=1e-6), measure


def test_igraph_backend_on_a_disconnected_graph():
    graph = nx.Graph()
    for u, v, w in (("a", "b", 1.0), ("b", "c", 0.5), ("d", "e", 2.0)):
        graph.add_edge(u, v, weight=w, distance=1 / w)
    for measure in ("betweenness", "closeness"):
        ours = compute(graph, [measure], backend="networkx")[measure]
        assert compute(graph, [measure], backend="igraph")[measure] == pytest.approx(ours)


def test_auto_backend_is_igraph_when_installed_and_agrees_with_networkx(store):
    from regional_kg.network.measures import resolve_backend

    assert resolve_backend("auto") == "igraph"  # the test extra installs python-igraph
    assert resolve_backend("networkx") == "networkx"
    graph = collapse(project(store, None, "partners"), ["diplomatic", "treaty", "trade"])
    sampled = {"k": 3, "seed": 1}  # sampled betweenness: both draw the same sources
    auto = compute(graph, ["betweenness", "pagerank"], **sampled)
    plain = compute(graph, ["betweenness", "pagerank"], backend="networkx", **sampled)
    for measure in ("betweenness", "pagerank"):
        assert auto[measure] == pytest.approx(plain[measure], abs=1e-6), measure
        assert any(v > 0 for v in auto[measure].values()), measure


def test_results_do_not_depend_on_the_store(store):
    memory = fixture_store("memory")
    for kwargs in (
        {"layers": None, "measures": ["pagerank", "betweenness", "closeness", "eigenvector"]},
        {"layers": None, "view": "actors", "measures": ["strength", "degree"]},
        {"layers": ["trade"], "ego": "KZ", "year": 2017},
    ):
        assert rounded(centrality(memory, **kwargs)) == rounded(centrality(store, **kwargs))


def test_rows_are_plain_and_convert_to_a_dataframe(store):
    rows = centrality(store, ["trade"], ["strength"], year=2017)
    assert all(type(row) is dict for row in rows)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            rows.to_pandas()
    else:
        frame = rows.to_pandas()
        assert list(frame["iso"]) == ["KZ", "UZ", "TJ", "KG", "TM"]


def test_layer_scores_measure_the_graphs_collapse_gives(store):
    """``layer_scores`` splits the edges by layer in one pass: the same graphs, the same scores."""
    graph = project(store, None, "actors")
    layers = ["diplomatic", "treaty", "trade", "institutional"]
    weights = {"trade": 2.0, "institutional": 0.0}
    measures = ["strength", "betweenness", "pagerank"]
    scores = layer_scores(
        graph, layers, measures, layer_weights=weights, include_all=True, backend="networkx"
    )
    assert set(scores) == {*layers, "all"}
    for layer in layers:
        alone = compute(collapse(graph, [layer]), measures, backend="networkx")
        assert scores[layer] == alone, layer
    combined = collapse(graph, layers, layer_weights=weights)
    assert scores["all"] == compute(combined, measures, backend="networkx")
    assert max(scores["trade"]["strength"].values()) > 0
