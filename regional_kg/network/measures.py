"""Centrality measures on the projection, per layer and aggregated over layers.

How the multigraph becomes something a centrality measure can read
-------------------------------------------------------------------
1. **Normalise per layer.** Every edge weight is divided by the largest single edge weight of its
   layer (in the projection at hand, or a common maximum given by the caller, as
   :func:`compare` does so that two periods share one scale). The strongest relation of each layer
   counts 1: a $1.98 billion turnover and one visit weigh the same as the top of their layers, so
   trade dollars do not swamp visit counts. Dividing by the layer's *total* instead would make each
   edge's weight shrink as a layer gains edges, so a layer's weight would depend on how much of it
   the source happens to report; the maximum keeps "the strongest tie = 1" whatever the size.
2. **Collapse per layer.** The edges of one layer between the same pair become one edge of a simple
   undirected ``Graph`` whose ``weight`` is the **sum of the normalised weights** (two visits of
   weight 1/3 give 2/3) and ``distance`` is ``1 / weight`` (stronger ties are shorter paths, for
   betweenness and closeness). ``count`` keeps the number of relations merged.
3. **Measures** on each layer's graph:
   ``degree`` (number of distinct neighbours), ``strength`` (sum of ``weight``),
   ``betweenness`` (normalised, shortest paths by ``distance``), ``closeness`` (by ``distance``,
   Wasserman–Faust scaled for disconnected graphs), ``eigenvector`` (by ``weight``, unit length),
   ``pagerank`` (by ``weight``, α = 0.85).
3b. **Sampling.** Betweenness and closeness need one shortest-path search per node, O(n·m): about
   200 s on the 26k-node actor view of a 1M-triple region. Above :data:`SAMPLE_ABOVE` nodes they
   are estimated from :data:`SAMPLE_SIZE` source nodes drawn with a fixed seed (the same graph
   gives the same numbers): betweenness as networkx's ``k=`` estimate, closeness from the mean
   distance of each node to the sampled sources of its component (nodes of a component that no
   source fell in are measured exactly, their component being small). ``k=`` sets the sample size
   on any graph; ``exact=True`` never samples. Which graphs were sampled is reported through
   ``samples`` (``rkg centrality`` shows it in the title and in a ``sample`` column).
4. **Aggregate** over the chosen layers with user weights ``w_l`` (default 1):
   ``aggregate = Σ_l w_l · score_l / Σ_l w_l``; a node absent from a layer scores 0 there, and
   every chosen layer counts in the denominator even when it is empty in the period, so a period
   in which a layer is silent scores lower rather than being rescaled.
   The ``all`` layer is different: one graph whose pair weight is ``Σ_l w_l · weight_l`` (the
   normalised, collapsed weights), measured as a whole, so paths may cross layers.

Backends: ``networkx`` and ``igraph`` (the ``fast`` extra), giving the same numbers on the same
graph (igraph's outputs are rescaled to networkx's conventions; sampled betweenness draws the
same sources). The default, ``auto``, is igraph when python-igraph is importable (40–450× faster
on path- and spectrum-based measures) and networkx otherwise.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from regional_kg.errors import ParameterError
from regional_kg.network.projection import ALL, LAYERS, _unknown, split_names

MEASURES: tuple[str, ...] = (
    "degree",
    "strength",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
)
BACKENDS: tuple[str, ...] = ("auto", "networkx", "igraph")
#: Measures with one shortest-path search per node (super-linear): sampled on large graphs.
SAMPLED: tuple[str, ...] = ("betweenness", "closeness")
#: Above this many nodes, :data:`SAMPLED` measures are estimated unless ``exact`` is asked for.
SAMPLE_ABOVE = 2000
#: How many source nodes they are estimated from (seed 0, so a run is reproducible).
SAMPLE_SIZE = 500
_NX_VERSION = tuple(int(p) for p in nx.__version__.split(".")[:2] if p.isdigit())


def resolve_backend(backend: str = "auto") -> str:
    """``auto`` → ``igraph`` when python-igraph is importable, else ``networkx``."""
    if backend not in BACKENDS:
        raise ParameterError(_unknown("backend", backend, BACKENDS))
    if backend != "auto":
        return backend
    try:
        _import_igraph()
    except ImportError:
        return "networkx"
    return "igraph"


def _import_igraph() -> ModuleType:
    """python-igraph (the optional ``fast`` extra), with OpenMP on one thread unless the caller
    chose otherwise: igraph's PageRank runs OpenMP threads, and on more than one its scores
    change in the last digits (about 1e-15) from one call to the next on the same graph, which
    breaks "the same input gives the same output". The setting must be made before the OpenMP
    runtime starts, so it has no effect if igraph was imported earlier with more threads."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import igraph  # optional: the ``fast`` extra

    return igraph


def check_measures(measures: Iterable[str] | None) -> list[str]:
    chosen: list[str] = []
    for name in split_names(measures):
        if name not in MEASURES:
            raise ParameterError(_unknown("measure", name, MEASURES))
        if name not in chosen:
            chosen.append(name)
    return chosen or ["strength", "degree", "betweenness", "pagerank"]


def parse_layer_weights(items: Iterable[str] | Mapping[str, float] | None) -> dict[str, float]:
    """``["trade=2", "diplomatic=0.5"]`` (or a mapping) → ``{"trade": 2.0, ...}``, checked."""
    pairs: list[tuple[str, object]] = []
    if isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        for item in items or ():
            for part in str(item).split(","):
                if not part.strip():
                    continue
                if "=" not in part:
                    raise ParameterError(
                        f"--layer-weight {part!r}: expected LAYER=NUMBER, e.g. trade=2"
                    )
                key, text = part.split("=", 1)
                pairs.append((key, text))
    weights: dict[str, float] = {}
    for raw_name, value in pairs:
        name = str(raw_name).strip().lower()
        if name not in LAYERS:
            raise ParameterError(_unknown("layer", name, LAYERS))
        try:
            number = float(value)  # type: ignore[arg-type]  # any number-like value
        except (TypeError, ValueError):
            raise ParameterError(f"--layer-weight {name}={value}: not a number") from None
        if number < 0 or not math.isfinite(number):
            raise ParameterError(f"--layer-weight {name}={value}: must be a number ≥ 0")
        weights[name] = number
    return weights


def layer_maxima(graph: nx.MultiGraph) -> dict[str, float]:
    """The largest single edge weight of each layer present in ``graph``."""
    maxima: dict[str, float] = {}
    for _, _, data in graph.edges(data=True):
        layer, weight = data["layer"], float(data.get("weight", 1.0))
        if weight > maxima.get(layer, 0.0):
            maxima[layer] = weight
    return maxima


def collapse(
    graph: nx.MultiGraph,
    layers: Iterable[str],
    *,
    maxima: Mapping[str, float] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> nx.Graph:
    """A simple weighted ``Graph`` of ``layers``: per pair, Σ layer_weight · weight / layer max.

    With one layer (and no layer weight) this is that layer's collapsed graph; with several it is
    the ``all`` graph. Nodes of ``graph`` with no edge in these layers are left out. The result
    does not depend on the projection's order: the order a store returns rows in varies between
    runs (Oxigraph's hash joins) and between engines, and the sampled sources are drawn by
    position, so nodes and pairs come sorted and pair weights are exactly rounded sums; a seed
    then gives the same estimates every time, on every store.
    """
    wanted = set(layers)
    edges = (edge for edge in graph.edges(data=True) if edge[2]["layer"] in wanted)
    maxima = dict(maxima) if maxima is not None else layer_maxima(graph)
    return _collapse(graph, edges, maxima, layer_weights or {})


Edge = tuple[str, str, dict]


def _collapse(
    graph: nx.MultiGraph,
    edges: Iterable[Edge],
    maxima: Mapping[str, float],
    layer_weights: Mapping[str, float],
) -> nx.Graph:
    """:func:`collapse` of the given edges of ``graph`` (node attributes read from ``graph``)."""
    pairs = _pair_weights(edges, maxima, layer_weights)
    simple = nx.Graph()
    simple.add_nodes_from(
        (node, graph.nodes[node]) for node in sorted({node for pair in pairs for node in pair})
    )
    simple.add_edges_from(
        (u, v, {"weight": weight, "count": count, "distance": 1.0 / weight})
        for (u, v), (weight, count) in sorted(pairs.items())
        if weight > 0  # a layer weighted 0 is left out of the paths (its nodes stay)
    )
    return simple


def _pair_weights(
    edges: Iterable[Edge], maxima: Mapping[str, float], layer_weights: Mapping[str, float]
) -> dict[tuple[str, str], tuple[float, int]]:
    """``{(u, v): (Σ normalised weight, relations)}`` over ``edges``; the sum is ``math.fsum``
    (exactly rounded), so it does not depend on the order of the edges."""
    shares: dict[tuple[str, str], list[float]] = {}
    for u, v, data in edges:
        layer = data["layer"]
        share = float(data.get("weight", 1.0)) / (maxima.get(layer) or 1.0)
        pair = (u, v) if u <= v else (v, u)
        shares.setdefault(pair, []).append(share * layer_weights.get(layer, 1.0))
    return {pair: (math.fsum(values), len(values)) for pair, values in shares.items()}


def _collapsed_layers(
    graph: nx.MultiGraph,
    layers: list[str],
    maxima: Mapping[str, float] | None,
    layer_weights: Mapping[str, float] | None,
    include_all: bool,
) -> list[tuple[str, nx.Graph]]:
    """Each layer's collapsed graph (and the ``all`` graph), the edges split by layer in one
    pass: the same graphs as :func:`collapse` per layer, at a quarter of the reading."""
    maxima = dict(maxima) if maxima is not None else layer_maxima(graph)
    by_layer: dict[str, list[Edge]] = {layer: [] for layer in layers}
    for edge in graph.edges(data=True):
        if edge[2]["layer"] in by_layer:
            by_layer[edge[2]["layer"]].append(edge)
    graphs = [(layer, _collapse(graph, by_layer[layer], maxima, {})) for layer in layers]
    if include_all:
        every = (edge for layer in layers for edge in by_layer[layer])
        graphs.append((ALL, _collapse(graph, every, maxima, layer_weights or {})))
    return graphs


def sample_size(nodes: int, k: int | None = None, exact: bool = False) -> int | None:
    """How many sources a :data:`SAMPLED` measure uses on a graph of ``nodes`` (None: all)."""
    if exact:
        return None
    if k is None and nodes > SAMPLE_ABOVE:
        k = SAMPLE_SIZE
    return k if k is not None and k < nodes else None


def compute(
    graph: nx.Graph,
    measures: Iterable[str],
    *,
    backend: str = "auto",
    k: int | None = None,
    seed: int = 0,
    exact: bool = False,
    samples: dict[str, int] | None = None,
) -> dict[str, dict[str, float]]:
    """``{measure: {node: score}}`` on a collapsed ``Graph`` (see the module docstring).

    ``k``: sample that many sources for the :data:`SAMPLED` measures (default: :data:`SAMPLE_SIZE`
    above :data:`SAMPLE_ABOVE` nodes, else exact); ``exact``: never sample. ``samples``, when
    given, receives ``{measure: sources}`` for each measure that was estimated.
    """
    measures = check_measures(measures)
    backend = resolve_backend(backend)
    if graph.number_of_nodes() == 0:
        return {m: {} for m in measures}
    k = sample_size(graph.number_of_nodes(), k, exact)
    if samples is not None and k is not None:
        samples.update({m: k for m in measures if m in SAMPLED})
    if backend == "networkx":
        return {m: _NETWORKX[m](graph, k=k, seed=seed) for m in measures}
    table = _igraph_functions()
    converted = _IgraphGraph(graph)  # one conversion for every measure of this graph
    return {m: table[m](converted, k=k, seed=seed) for m in measures}


def _sources(graph: nx.Graph, k: int, seed: int) -> list[int]:
    """Indices into ``list(graph.nodes)`` of the sampled sources: the ones networkx draws."""
    return random.Random(seed).sample(range(graph.number_of_nodes()), k)


def _sampled_closeness(
    graph: nx.Graph, k: int, seed: int, distances: Callable[[int], Sequence[float]]
) -> dict[str, float]:
    """Closeness estimated from ``k`` sources (``distances(i)``: from node i to every node).

    Per node v of a component of ``r`` nodes, the mean distance to the other nodes is estimated
    by the mean distance to the sampled sources in that component; Wasserman–Faust as networkx:
    ``(r - 1) / (n - 1) / mean``. A component no source fell in is measured exactly.
    """
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    groups = list(nx.connected_components(graph))
    component = _component_of(groups, index)
    sums = _DistanceSums(len(nodes))
    sources = _sources(graph, k, seed)
    for s in sources:
        for i, d in enumerate(distances(s)):
            if i != s and math.isfinite(d) and component[i] == component[s]:
                sums.add(i, d)
    covered = {component[s] for s in sources}
    for c, members in enumerate(groups):
        if c not in covered:  # small (no source fell in it): every member a source
            _add_exact_distances(graph.subgraph(members), index, sums)
    sizes = [len(groups[component[i]]) for i in range(len(nodes))]
    return sums.closeness(nodes, sizes)


def _component_of(groups: Sequence[set[str]], index: Mapping[str, int]) -> list[int]:
    """Per node position, the number of its connected component in ``groups``."""
    component = [0] * len(index)
    for c, members in enumerate(groups):
        for node in members:
            component[index[node]] = c
    return component


class _DistanceSums:
    """Per node position: the sum and count of the distances measured to it."""

    def __init__(self, n: int) -> None:
        self.total = [0.0] * n
        self.count = [0] * n

    def add(self, i: int, distance: float) -> None:
        self.total[i] += distance
        self.count[i] += 1

    def closeness(self, nodes: Sequence[str], sizes: Sequence[int]) -> dict[str, float]:
        """Wasserman–Faust closeness from the mean distances (``sizes``: component sizes)."""
        n = len(nodes)
        out: dict[str, float] = {}
        for i, node in enumerate(nodes):
            if self.count[i] == 0 or self.total[i] <= 0 or n <= 1:
                out[node] = 0.0
            else:
                out[node] = (sizes[i] - 1) / (n - 1) * self.count[i] / self.total[i]
        return out


def _add_exact_distances(sub: nx.Graph, index: Mapping[str, int], sums: _DistanceSums) -> None:
    """Every member of ``sub`` as a source: the exact distances between them into ``sums``."""
    for node in sub:
        lengths = nx.single_source_dijkstra_path_length(sub, node, weight="distance")
        for other, d in lengths.items():
            if other != node:
                sums.add(index[other], float(d))


def _nx_closeness(graph: nx.Graph, k: int | None = None, seed: int = 0) -> dict[str, float]:
    if k is None:
        return nx.closeness_centrality(graph, distance="distance")
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}

    def distances(i: int) -> list[float]:
        found = nx.single_source_dijkstra_path_length(graph, nodes[i], weight="distance")
        row = [math.inf] * len(nodes)
        for node, d in found.items():
            row[index[node]] = float(d)
        return row

    return _sampled_closeness(graph, k, seed, distances)


# --- networkx ---------------------------------------------------------------------------------


def _nx_pagerank(graph: nx.Graph, **_: object) -> dict[str, float]:
    try:
        return nx.pagerank(graph, weight="weight")
    except (ImportError, ModuleNotFoundError):  # networkx's default path needs scipy
        return _pagerank_python(graph, weight="weight")


def _nx_eigenvector(graph: nx.Graph, **_: object) -> dict[str, float]:
    if graph.number_of_edges() == 0:
        return {n: 0.0 for n in graph}
    try:
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=2000, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=20000, tol=1e-6)


_NETWORKX: dict[str, Callable[..., dict[str, float]]] = {
    "degree": lambda g, **_: {n: float(d) for n, d in g.degree()},
    "strength": lambda g, **_: {n: float(d) for n, d in g.degree(weight="weight")},
    "betweenness": lambda g, k=None, seed=0: nx.betweenness_centrality(
        g, weight="distance", normalized=True, k=k, seed=seed
    ),
    "closeness": _nx_closeness,
    "eigenvector": _nx_eigenvector,
    "pagerank": _nx_pagerank,
}


# --- igraph -----------------------------------------------------------------------------------


class _IgraphGraph:
    """A collapsed ``Graph`` and its igraph copy (same node order, ``weight`` and ``distance``
    on the edges), converted once and read by every igraph measure of that graph."""

    def __init__(self, graph: nx.Graph) -> None:
        self.graph = graph
        self.ig, self.nodes = _to_igraph(graph)

    def scores(self, values: Iterable[float]) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.nodes, values, strict=True)}


def _igraph_functions() -> dict[str, Callable[..., dict[str, float]]]:
    try:
        _import_igraph()
    except ImportError:
        raise ParameterError(
            "backend 'igraph' needs python-igraph: pip install 'regional-kg[fast]'"
        ) from None
    return {
        "degree": lambda c, **_: c.scores(c.ig.degree()),
        "strength": lambda c, **_: c.scores(c.ig.strength(weights="weight")),
        "betweenness": _ig_betweenness,
        "closeness": _ig_closeness,
        "eigenvector": _ig_eigenvector,
        "pagerank": lambda c, **_: c.scores(
            c.ig.pagerank(weights="weight", damping=0.85, directed=False)
        ),
    }


def _to_igraph(graph: nx.Graph):
    """``(igraph.Graph, nodes)``: vertex i is ``nodes[i]``; edges keep weight and distance."""
    igraph = _import_igraph()

    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges, weights, distances = [], [], []
    for u, v, data in graph.edges(data=True):
        edges.append((index[u], index[v]))
        weights.append(float(data["weight"]))
        distances.append(float(data["distance"]))
    ig = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    ig.es["weight"] = weights
    ig.es["distance"] = distances
    return ig, nodes


def _ig_betweenness(c: _IgraphGraph, k: int | None = None, seed: int = 0) -> dict[str, float]:
    ig, nodes = c.ig, c.nodes
    n = len(nodes)
    if n < 3:
        return {node: 0.0 for node in nodes}
    if k is None:
        raw = ig.betweenness(directed=False, weights="distance")
        scale = 2.0 / ((n - 1) * (n - 2))  # igraph counts each unordered pair once
        return {node: float(v) * scale for node, v in zip(nodes, raw, strict=True)}
    sources = _sources(c.graph, k, seed)
    raw = ig.betweenness(directed=False, weights="distance", sources=sources, targets=None)
    # networkx ≥ 3.5 rescales sampled betweenness (endpoints excluded) per node: a sampled
    # source shares its paths among k - 1 other sources; igraph counts each pair once, so x2.
    if _NX_VERSION < (3, 5):  # older networkx: one factor n / k for every node
        scale = n / (k * (n - 1) * (n - 2))
        return {node: float(v) * scale for node, v in zip(nodes, raw, strict=True)}
    chosen = set(sources)
    source_scale = 2.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    other_scale = 2.0 / (k * (n - 2))
    return {
        node: float(v) * (source_scale if i in chosen else other_scale)
        for i, (node, v) in enumerate(zip(nodes, raw, strict=True))
    }


def _ig_closeness(c: _IgraphGraph, k: int | None = None, seed: int = 0) -> dict[str, float]:
    ig, nodes = c.ig, c.nodes
    n = len(nodes)
    if k is not None:
        return _sampled_closeness(
            c.graph, k, seed, lambda i: ig.distances(source=[i], weights="distance")[0]
        )
    raw = ig.closeness(weights="distance", normalized=True)
    membership = ig.connected_components().membership
    sizes: dict[int, int] = {}
    for m in membership:
        sizes[m] = sizes.get(m, 0) + 1
    out = {}
    for i, node in enumerate(nodes):
        reach = sizes[membership[i]]
        value = raw[i]
        if value is None or math.isnan(value) or n <= 1:
            out[node] = 0.0
        else:  # networkx's Wasserman–Faust factor for a node reaching ``reach - 1`` others
            out[node] = float(value) * (reach - 1) / (n - 1)
    return out


def _ig_eigenvector(c: _IgraphGraph, **_: object) -> dict[str, float]:
    if c.ig.ecount() == 0:
        return {n: 0.0 for n in c.nodes}
    values = c.ig.eigenvector_centrality(weights="weight", scale=True)
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return {node: float(v) / norm for node, v in zip(c.nodes, values, strict=True)}


# --- per layer and aggregate -------------------------------------------------------------------


def layer_scores(
    graph: nx.MultiGraph,
    layers: Iterable[str],
    measures: Iterable[str],
    *,
    layer_weights: Mapping[str, float] | None = None,
    maxima: Mapping[str, float] | None = None,
    backend: str = "auto",
    k: int | None = None,
    include_all: bool = False,
    exact: bool = False,
    samples: dict[str, int] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """``{layer: {measure: {node: score}}}`` for every chosen layer, plus ``all`` if asked.

    ``samples``, when given, receives ``{"<measure>:<layer>": sources}`` for every estimate.
    """
    layers = list(layers)
    measures = check_measures(measures)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for layer, simple in _collapsed_layers(graph, layers, maxima, layer_weights, include_all):
        sampled: dict[str, int] = {}
        out[layer] = compute(simple, measures, backend=backend, k=k, exact=exact, samples=sampled)
        if samples is not None:
            samples.update({f"{m}:{layer}": size for m, size in sampled.items()})
    return out


def aggregate(
    scores: Mapping[str, Mapping[str, Mapping[str, float]]],
    layers: Iterable[str],
    measure: str,
    layer_weights: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """``Σ_l w_l · score_l / Σ_l w_l`` per node over ``layers`` (absent node → 0 in a layer)."""
    layers = list(layers)
    layer_weights = layer_weights or {}
    total = sum(layer_weights.get(layer, 1.0) for layer in layers)
    if total <= 0:
        raise ParameterError("the layer weights of the chosen layers are all 0")
    nodes: set[str] = set()
    for layer in layers:
        nodes.update(scores.get(layer, {}).get(measure, {}))
    return {
        node: sum(
            layer_weights.get(layer, 1.0) * scores.get(layer, {}).get(measure, {}).get(node, 0.0)
            for layer in layers
        )
        / total
        for node in nodes
    }
