"""Betweenness and closeness are estimated from sampled sources on large graphs, exact on request.

The estimates are checked against the exact values on graphs above the threshold: the ranking
must agree (Spearman rank correlation and top-k overlap), the sample size must be reported,
``exact`` must give the exact numbers, and the same seed must give the same output.
"""

from __future__ import annotations

import json
import random

import networkx as nx
import pyoxigraph as ox
import pytest

from regional_kg.cli import main
from regional_kg.network import centrality, project
from regional_kg.network.measures import (
    SAMPLE_ABOVE,
    SAMPLE_SIZE,
    compute,
    layer_scores,
    sample_size,
)
from regional_kg.network.projection import ALL, LAYERS
from regional_kg.resources import queries_dir
from regional_kg.stores import open_store
from regional_kg.stores.base import NativeResult
from regional_kg.stores.oxigraph import OxigraphStore
from regional_kg.synth import size_for, write_file

pytest.importorskip("igraph")


def weighted_graph(nodes: int, seed: int = 1) -> nx.Graph:
    """A scale-free graph with mixed tie strengths and a separate pair (a second component)."""
    rng = random.Random(seed)
    graph = nx.Graph()
    for u, v in nx.barabasi_albert_graph(nodes, 2, seed=seed).edges():
        weight = rng.choice([0.25, 0.5, 1.0])
        graph.add_edge(f"n{u}", f"n{v}", weight=weight, distance=1 / weight)
    graph.add_edge("lone-a", "lone-b", weight=1.0, distance=1.0)
    return graph


def spearman(a: dict[str, float], b: dict[str, float]) -> float:
    nodes = sorted(a)

    def ranks(values: dict[str, float]) -> list[float]:
        order = sorted(nodes, key=lambda n: values[n])
        rank = {n: i for i, n in enumerate(order)}
        return [float(rank[n]) for n in nodes]

    x, y = ranks(a), ranks(b)
    mean = (len(nodes) - 1) / 2
    cov = sum((p - mean) * (q - mean) for p, q in zip(x, y, strict=True))
    var = sum((p - mean) ** 2 for p in x)
    return cov / var


def top(values: dict[str, float], n: int) -> set[str]:
    return set(sorted(values, key=lambda node: (-values[node], node))[:n])


@pytest.fixture(scope="module")
def large() -> nx.Graph:
    return weighted_graph(SAMPLE_ABOVE + 400)


def test_sample_size_switches_on_above_the_threshold():
    assert sample_size(SAMPLE_ABOVE) is None
    assert sample_size(SAMPLE_ABOVE + 1) == SAMPLE_SIZE
    assert sample_size(SAMPLE_ABOVE + 1, exact=True) is None
    assert sample_size(100, k=10) == 10
    assert sample_size(10, k=10) is None  # as many sources as nodes: exact


def test_sampled_measures_rank_like_the_exact_ones(large):
    samples: dict[str, int] = {}
    measures = ["betweenness", "closeness", "pagerank"]
    sampled = compute(large, measures, backend="igraph", samples=samples)
    assert samples == {"betweenness": SAMPLE_SIZE, "closeness": SAMPLE_SIZE}
    exact_samples: dict[str, int] = {}
    exact = compute(large, measures, backend="igraph", exact=True, samples=exact_samples)
    assert exact_samples == {}
    assert sampled["pagerank"] == pytest.approx(exact["pagerank"])  # never sampled
    for measure in ("betweenness", "closeness"):
        assert sampled[measure] != exact[measure]
        assert spearman(sampled[measure], exact[measure]) > 0.9, measure
        assert len(top(sampled[measure], 20) & top(exact[measure], 20)) >= 16, measure
    # the small component no source fell in is measured exactly
    assert sampled["closeness"]["lone-a"] == pytest.approx(exact["closeness"]["lone-a"])


def test_exact_is_networkx_exact_and_sampling_is_reproducible(large):
    first = compute(large, ["betweenness", "closeness"], backend="igraph")
    again = compute(large, ["betweenness", "closeness"], backend="igraph")
    assert first == again
    other_seed = compute(large, ["betweenness"], backend="igraph", seed=7)
    assert other_seed["betweenness"] != first["betweenness"]
    exact = compute(large, ["closeness"], backend="igraph", exact=True)["closeness"]
    assert exact == pytest.approx(nx.closeness_centrality(large, distance="distance"))


def test_both_backends_estimate_closeness_from_the_same_sources():
    graph = weighted_graph(300, seed=3)
    ours = compute(graph, ["closeness", "betweenness"], backend="networkx", k=40, seed=2)
    theirs = compute(graph, ["closeness", "betweenness"], backend="igraph", k=40, seed=2)
    for measure in ("closeness", "betweenness"):
        assert theirs[measure] == pytest.approx(ours[measure])


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    """An on-disk synthetic region whose actor view's treaty layer is above the threshold."""
    folder = tmp_path_factory.mktemp("synth")
    write_file(folder / "region.nq", *size_for(140_000))
    spec = f"oxigraph:{folder / 'store'}"
    args = ["build", "--no-validate", "-q", "--store", spec, "--source", str(folder / "region.nq")]
    assert main(args) == 0
    return spec


@pytest.mark.slow
def test_cli_reports_the_sample_and_exact_gives_the_exact_values(synthetic_store, capsys):
    spec = synthetic_store
    base = ["centrality", "--store", spec, "--view", "actors"]
    base += ["--layer", "treaty", "--measure", "betweenness", "--top", "10"]
    assert main([*base, "--format", "json"]) == 0
    sampled = json.loads(capsys.readouterr().out)
    assert {row["sample"] for row in sampled} == {SAMPLE_SIZE}
    assert main([*base, "--format", "json", "--exact"]) == 0
    exact = json.loads(capsys.readouterr().out)
    assert all("sample" not in row for row in exact)
    store = open_store(spec, read_only=True)
    rows = centrality(store, ["treaty"], ["betweenness"], "actors", exact=True, top=10)
    assert [r["betweenness"] for r in exact] == pytest.approx([r["betweenness"] for r in rows])
    assert rows.meta["samples"] == {}
    overlap = {r["node"] for r in sampled} & {r["node"] for r in exact}
    assert len(overlap) >= 7
    assert main([*base, "--format", "csv"]) == 0
    header, first = capsys.readouterr().out.splitlines()[:2]
    assert header.split(",")[-1] == "sample" and first.endswith(f",{SAMPLE_SIZE}")
    assert main(base) == 0
    assert f"sampled sources: betweenness:treaty={SAMPLE_SIZE}" in capsys.readouterr().out


class ReversedRows(OxigraphStore):
    """The same engine answering every query with its rows in reverse order, as Oxigraph may
    between two runs (its hash joins are seeded per process) and another engine may always."""

    def select_native(self, query: str, bindings=None) -> NativeResult:  # type: ignore[no-untyped-def]
        result = super().select_native(query, bindings)
        result.rows.reverse()
        return result


def _reversed_copy(store: OxigraphStore) -> ReversedRows:
    staged = ox.Store()
    staged.load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    return ReversedRows().adopt(staged)


def _edges(graph: nx.MultiGraph) -> list[tuple]:
    return [
        (u, v, key, sorted(data.items())) for u, v, key, data in graph.edges(keys=True, data=True)
    ]


def test_the_projection_puts_the_rows_in_the_order_of_the_queries(curated_oxigraph):
    # the ORDER BY of the network queries is applied in Python (network.row_order): rows that
    # come back in another order give the very same MultiGraph, node and edge order included
    ours = project(curated_oxigraph, None, "actors")
    theirs = project(_reversed_copy(curated_oxigraph), None, "actors")
    assert ours.number_of_nodes() > 40
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert _edges(ours) == _edges(theirs)


def test_sampled_estimates_do_not_depend_on_the_order_of_the_rows(curated_oxigraph, tmp_path):
    # layer files without an ORDER BY (a user may write one so): the rows keep the engine's
    # order, and the collapse still makes the sampled estimates independent of it
    for path in (queries_dir() / "network").glob("*.rq"):
        text = path.read_text(encoding="utf-8")
        cut = text.find("\nORDER BY")
        (tmp_path / path.name).write_text(text if cut < 0 else text[: cut + 1], encoding="utf-8")
    reversed_store = _reversed_copy(curated_oxigraph)
    ours, theirs = (
        project(curated_oxigraph, None, "actors", queries=tmp_path),
        project(reversed_store, None, "actors", queries=tmp_path),
    )
    assert list(ours.nodes) != list(theirs.nodes)  # the projection did see another order
    assert sorted(ours.nodes) == sorted(theirs.nodes)
    assert ours.number_of_nodes() > 40
    measures = ["betweenness", "closeness", "strength"]
    samples: tuple[dict[str, int], dict[str, int]] = ({}, {})
    first, again = (
        layer_scores(graph, LAYERS, measures, k=20, include_all=True, samples=found)
        for graph, found in zip((ours, theirs), samples, strict=True)
    )
    assert samples[0] and samples[0] == samples[1]
    assert max(first[ALL]["betweenness"].values()) > 0
    assert first == again  # same sources, same sums: identical floats
