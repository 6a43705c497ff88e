"""Ranked rows: who is central, on which layer, in which period, and why (the evidence).

:func:`centrality` is what ``rkg centrality`` and the Python API call. It projects the store
(:mod:`~regional_kg.network.projection`), scores every layer (:mod:`~regional_kg.network.measures`),
aggregates over layers with the user's layer weights, and attaches the evidence of each row
(:mod:`~regional_kg.network.evidence`). With ``ego`` it ranks that node's partners by the strength
of their tie instead; with ``compare`` it scores two periods on one common scale and adds the
change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from regional_kg.errors import ParameterError
from regional_kg.network import evidence as ev
from regional_kg.network.measures import (
    aggregate,
    check_measures,
    layer_maxima,
    layer_scores,
    parse_layer_weights,
)
from regional_kg.network.projection import (
    ALL,
    LAYERS,
    Period,
    check_layers,
    make_period,
    project,
    split_names,
)
from regional_kg.stores.base import Store

TIE = "tie"


class Rows(list):
    """A list of plain ``dict`` rows, with :meth:`to_pandas` when pandas is installed."""

    #: What the rows rank by, and over which layers/period (for titles and charts).
    meta: dict[str, object]

    def __init__(self, rows: Iterable[dict] = (), meta: dict[str, object] | None = None):
        super().__init__(rows)
        self.meta = meta or {}

    def to_pandas(self):
        """The rows as a ``pandas.DataFrame`` (``relations`` stays a dict column)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas() needs pandas: pip install pandas") from None
        return pd.DataFrame(list(self))


def split_layers(layers: Iterable[str] | None) -> tuple[list[str], bool]:
    """``(base layers, wants the combined 'all' graph)``; ``all`` alone means all four."""
    raw = split_names(layers)
    include_all = ALL in raw
    base = check_layers([r for r in raw if r != ALL] or (LAYERS if include_all else None))
    return base, include_all


def parse_period(text: str) -> Period:
    """``2017`` or ``2015-2016`` (also ``2015..2016``) → :class:`Period`."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:(?:-|\.\.|–)\s*(\d{4}))?\s*", text)
    if not match:
        raise ParameterError(f"period {text!r}: expected YEAR or YEAR-YEAR, e.g. 2016 or 2015-2016")
    since = int(match.group(1))
    until = int(match.group(2)) if match.group(2) else since
    return make_period(since=since, until=until)


def parse_compare(text: str | Sequence[Period]) -> tuple[Period, Period]:
    """``"2016:2017"`` or ``"2015-2016:2017"`` → two periods (before, after)."""
    if not isinstance(text, str):
        before, after = text
        return before, after
    if ":" not in text:
        raise ParameterError(f"--compare {text!r}: expected BEFORE:AFTER, e.g. 2016:2017")
    left, right = text.split(":", 1)
    return parse_period(left), parse_period(right)


def resolve_node(graph: nx.MultiGraph, name: str) -> str:
    """A state (or, failing that, another actor) by ISO code, label, IRI or slug."""
    known: Mapping[str, Mapping[str, object]] = graph.graph.get("known", {})
    wanted = name.strip().casefold()
    states = {n: a for n, a in known.items() if a.get("kind") == "State"}
    for pool in (states, known):
        for node, attrs in pool.items():
            keys = {
                node.casefold(),
                node.rstrip("/").rsplit("/", 1)[-1].casefold(),
                str(attrs.get("label") or "").casefold(),
                str(attrs.get("iso") or "").casefold(),
            }
            if wanted in keys:
                return node
    names = sorted(
        {str(a.get("label")) for a in states.values() if a.get("label")}
        | {str(a.get("iso")) for a in states.values() if a.get("iso")}
    )
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    if not close:
        close = [n for n in names if n.casefold().startswith(wanted[:3])][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return_states = ", ".join(n for n in names if len(n) == 2) or "none in the store"
    raise ParameterError(f"unknown state {name!r}{hint} (known ISO codes: {return_states})")


def centrality(
    store: Store,
    layers: Iterable[str] | None = None,
    measures: Iterable[str] | None = None,
    view: str = "partners",
    *,
    year: int | None = None,
    since: int | None = None,
    until: int | None = None,
    layer_weights: Mapping[str, float] | Iterable[str] | None = None,
    ego: str | None = None,
    top: int | None = None,
    compare: str | Sequence[Period] | None = None,
    backend: str = "auto",
    k: int | None = None,
    exact: bool = False,
) -> Rows:
    """Ranked rows for the chosen layers, measures, view and period (see the module docstring).

    Each row: ``rank``, ``node`` (IRI), ``label``, ``iso``, ``kind``, ``score`` (what the rank is
    by), one column per measure (the aggregate over layers, or the ``all`` graph's score when
    ``all`` is among the layers), ``<measure>:<layer>`` per layer when there are several, and the
    evidence columns of :mod:`~regional_kg.network.evidence`. With ``ego``: the partners of
    ``ego``, ranked by ``tie`` (the weighted mean over layers of the normalised weight of their
    edges with ``ego``). With ``compare``: ``<column>:before``, ``<column>:change`` added, the
    main columns being the later period's.

    Betweenness and closeness are estimated from sampled sources on graphs above
    :data:`~regional_kg.network.measures.SAMPLE_ABOVE` nodes (``k`` sets the sample, ``exact``
    turns it off); then every row has ``sample`` (the number of sources) and ``rows.meta``
    ``samples`` (``{"<measure>:<layer>": sources}``).
    """
    base, include_all = split_layers(layers)
    weights = parse_layer_weights(layer_weights)
    if top is not None and top < 1:
        raise ParameterError(f"--top {top}: must be at least 1")
    if compare is not None:
        if year is not None or since is not None or until is not None:
            raise ParameterError("give either --compare or --year/--since/--until, not both")
        before, after = parse_compare(compare)
        graphs = [project(store, base, view, period=p) for p in (before, after)]
        maxima = _common_maxima(graphs)
        ego_node = resolve_node(graphs[1], ego) if ego else None
        old = _columns(
            graphs[0], base, include_all, measures, weights, maxima, ego_node, backend, k, exact
        )
        new = _columns(
            graphs[1], base, include_all, measures, weights, maxima, ego_node, backend, k, exact
        )
        new["samples"] = {**old["samples"], **new["samples"]}
        rows = _rows(graphs[1], new, ego_node, before=(graphs[0], old), top=top)
        store_graph = graphs[1]
        periods = f"{before.label()} → {after.label()}"
    else:
        period = make_period(year, since, until)
        graph = project(store, base, view, period=period)
        ego_node = resolve_node(graph, ego) if ego else None
        maxima = layer_maxima(graph)
        new = _columns(
            graph, base, include_all, measures, weights, maxima, ego_node, backend, k, exact
        )
        rows = _rows(graph, new, ego_node, top=top)
        store_graph = graph
        periods = period.label()
    meta = {
        "score": new["score_name"],
        "layers": base + ([ALL] if include_all else []),
        "layer_weights": {layer: weights.get(layer, 1.0) for layer in base},
        "view": view,
        "period": periods,
        "ego": ego_node,
        "ego_label": _label_of(store_graph, ego_node) if ego_node else None,
        "measures": new["measures"],
        "per_layer": new["per_layer"],
        "samples": new["samples"],
    }
    if new["samples"]:
        size = max(new["samples"].values())
        for row in rows:
            row["sample"] = size
    return Rows(rows, meta)


def _label_of(graph: nx.MultiGraph, node: str) -> str:
    return str(graph.graph.get("known", {}).get(node, {}).get("label") or node)


def _common_maxima(graphs: Sequence[nx.MultiGraph]) -> dict[str, float]:
    maxima: dict[str, float] = {}
    for graph in graphs:
        for layer, value in layer_maxima(graph).items():
            maxima[layer] = max(value, maxima.get(layer, 0.0))
    return maxima


def _columns(
    graph: nx.MultiGraph,
    base: list[str],
    include_all: bool,
    measures: Iterable[str] | None,
    weights: Mapping[str, float],
    maxima: Mapping[str, float],
    ego: str | None,
    backend: str,
    k: int | None,
    exact: bool = False,
) -> dict:
    """Every score column ``{name: {node: value}}`` and which one ranks."""
    columns: dict[str, dict[str, float]] = {}
    samples: dict[str, int] = {}
    per_layer = len(base) > 1 or include_all
    if ego is not None:
        columns.update(_tie_columns(graph, ego, base, include_all, weights, maxima))
        chosen = check_measures(measures) if measures else []
        score_name = TIE
    else:
        chosen = check_measures(measures)
        score_name = chosen[0]
    if chosen:
        scores = layer_scores(
            graph,
            base,
            chosen,
            layer_weights=weights,
            maxima=maxima,
            backend=backend,
            k=k,
            include_all=include_all,
            exact=exact,
            samples=samples,
        )
        columns.update(_measure_columns(scores, base, chosen, include_all, weights))
    return {
        "columns": columns,
        "score_name": score_name,
        "measures": chosen,
        "per_layer": per_layer,
        "samples": samples,
    }


def _tie_columns(
    graph: nx.MultiGraph,
    ego: str,
    base: list[str],
    include_all: bool,
    weights: Mapping[str, float],
    maxima: Mapping[str, float],
) -> dict[str, dict[str, float]]:
    """``tie`` (the weighted mean over layers), ``tie:all`` and ``tie:<layer>`` columns."""
    ties = _ties(graph, ego, base, maxima)
    columns = {TIE: aggregate(ties, base, TIE, weights)}
    if include_all:
        columns[f"{TIE}:{ALL}"] = {
            n: sum(weights.get(la, 1.0) * ties[la][TIE].get(n, 0.0) for la in base)
            for n in columns[TIE]
        }
    if len(base) > 1 or include_all:
        for layer in base:
            columns[f"{TIE}:{layer}"] = ties[layer][TIE]
    return columns


def _measure_columns(
    scores: Mapping[str, Mapping[str, dict[str, float]]],
    base: list[str],
    chosen: list[str],
    include_all: bool,
    weights: Mapping[str, float],
) -> dict[str, dict[str, float]]:
    """Per measure: the ranking column (the ``all`` graph's, else the aggregate over layers),
    ``<m>:aggregate`` next to an ``all`` score, and ``<m>:<layer>`` when there are layers."""
    columns: dict[str, dict[str, float]] = {}
    for m in chosen:
        agg = aggregate(scores, base, m, weights)
        if include_all:
            columns[m] = scores[ALL][m]
            if len(base) > 1:
                columns[f"{m}:aggregate"] = agg
        else:
            columns[m] = agg
        if len(base) > 1:
            for layer in base:
                columns[f"{m}:{layer}"] = scores[layer][m]
    return columns


def _ties(
    graph: nx.MultiGraph, ego: str, base: list[str], maxima: Mapping[str, float]
) -> dict[str, dict[str, dict[str, float]]]:
    """``{layer: {"tie": {partner: Σ normalised weight of the edges ego–partner}}}``."""
    ties: dict[str, dict[str, dict[str, float]]] = {layer: {TIE: {}} for layer in base}
    if ego not in graph:
        return ties
    for _, other, data in graph.edges(ego, data=True):
        layer = data["layer"]
        if layer not in ties:
            continue
        share = float(data.get("weight", 1.0)) / (maxima.get(layer) or 1.0)
        ties[layer][TIE][other] = ties[layer][TIE].get(other, 0.0) + share
    return ties


def _rows(
    graph: nx.MultiGraph,
    result: dict,
    ego: str | None,
    before: tuple[nx.MultiGraph, dict] | None = None,
    top: int | None = None,
) -> list[dict]:
    """The ranked rows (the first ``top`` of them when given), evidence attached. The evidence
    is read only for the rows kept: at 26k nodes it costs more than ranking them."""
    columns: dict[str, dict[str, float]] = result["columns"]
    old_columns = before[1]["columns"] if before else None
    rows = [
        _score_row(graph, node, columns, result["score_name"], before, old_columns)
        for node in _candidates(graph, ego, before[0] if before else None)
    ]
    rows.sort(key=lambda r: (-round(float(r["score"]), 12), str(r["label"]), r["node"]))
    rows = rows[:top] if top else rows
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
        row.update(_evidence(graph, ego, row["node"]))
    return rows


def _candidates(graph: nx.MultiGraph, ego: str | None, old: nx.MultiGraph | None) -> set[str]:
    """The nodes to rank: every node, or the ego's partners (of either period with ``old``)."""
    if ego is None:
        nodes = set(graph.nodes) | (set(old.nodes) if old is not None else set())
    else:
        nodes = set(graph.neighbors(ego)) if ego in graph else set()
        if old is not None and ego in old:
            nodes |= set(old.neighbors(ego))
    nodes.discard(ego)  # type: ignore[arg-type]
    return nodes


def _score_row(
    graph: nx.MultiGraph,
    node: str,
    columns: Mapping[str, Mapping[str, float]],
    score_name: str,
    before: tuple[nx.MultiGraph, dict] | None,
    old_columns: Mapping[str, Mapping[str, float]] | None,
) -> dict[str, Any]:
    """A node's row without its evidence: names, score, every column (and its change)."""
    holder = graph if node in graph or before is None else before[0]
    attrs = holder.nodes[node]
    row: dict[str, Any] = {
        "rank": 0,
        "node": node,
        "label": attrs.get("label"),
        "iso": attrs.get("iso"),
        "kind": attrs.get("kind"),
        "score": columns[score_name].get(node, 0.0),
    }
    for name, values in columns.items():
        row[name] = values.get(node, 0.0)
        if old_columns is not None:
            old = old_columns.get(name, {}).get(node, 0.0)
            row[f"{name}:before"] = old
            row[f"{name}:change"] = row[name] - old
    return row


def _evidence(graph: nx.MultiGraph, ego: str | None, node: str) -> dict[str, object]:
    if node not in graph:
        return ev.no_evidence()
    return ev.node_evidence(graph, node) if ego is None else ev.pair_evidence(graph, ego, node)
