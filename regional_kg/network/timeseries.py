"""Centrality through the years: one score per node, measure and year, as tidy rows.

:func:`centrality_by_year` answers "who was central in which year" (``rkg centrality --by-year``,
the report's "The region through the years", the network page's year slider). It projects the
store **once** over the whole span and cuts the projection per year in Python, so nine years cost
one set of SPARQL queries, not nine.

Two choices, and why:

* **One scale for every year.** Edge weights are divided by the largest single edge of their layer
  over the *whole span* (as ``--compare`` does for its two periods), not per year: per-year maxima
  would give the top trade tie of a lean year the same weight 1 as that of a rich year, and a
  line would then show the ranking inside each year rather than change over the years. Measures
  that ignore weights (degree) or are scale-free (pagerank, eigenvector) are unaffected, so they
  equal ``rkg centrality --year Y``; strength, betweenness and closeness are on the common scale.
* **Every node in every year.** A node absent in a year scores 0 there (it had no relation), so
  each line is continuous and a year of silence shows as a dip, not a gap.

A relation with a span (a membership 2017–2018) counts in every year it covers; undated relations
are left out, since nothing says which year they belong to (``docs/centrality.md``).
``cumulative=True`` scores "up to and including year Y" instead of "in year Y", counting from
the first dated relation even when ``since`` starts the series later (``since``/``until`` pick
the years shown).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

import networkx as nx

from regional_kg.errors import ParameterError
from regional_kg.network import evidence as ev
from regional_kg.network.measures import check_measures, layer_maxima, parse_layer_weights
from regional_kg.network.projection import Period, check_view, make_period, project
from regional_kg.network.ranking import Rows, _columns, split_layers
from regional_kg.stores.base import Store

#: The columns of every row, in order (the CSV and the table follow it).
COLUMNS: tuple[str, ...] = (
    "year",
    "node",
    "label",
    "iso",
    "kind",
    "measure",
    "score",
    "rank",
    "edges",
    "relations",
    "trade_usd_million",
    "documents",
    "facts",
    "sources",
)
#: What ``--by-year`` ranks by when no ``--measure`` is given: one measure keeps the series legible.
DEFAULT_MEASURES: tuple[str, ...] = ("strength",)


def period_subgraph(graph: nx.MultiGraph, period: Period) -> nx.MultiGraph:
    """The edges of ``graph`` that ``period`` covers (with their nodes), keeping ``graph.graph``.

    Cutting an already projected graph gives the same edges as projecting with that period,
    because :func:`~regional_kg.network.projection.project` filters with the same
    :meth:`Period.covers`.
    """
    cut = nx.MultiGraph(**{**graph.graph, "period": period})
    for u, v, key, data in graph.edges(keys=True, data=True):
        if period.covers(data.get("year"), data.get("end_year")):
            for node in (u, v):
                if node not in cut:
                    cut.add_node(node, **graph.nodes[node])
            cut.add_edge(u, v, key=key, **data)
    return cut


def span_years(
    graph: nx.MultiGraph, since: int | None = None, until: int | None = None
) -> list[int]:
    """Every year from the first dated relation to the last (ends of spans included, but never
    past the current year), clipped to ``[since, until]``; consecutive, so silent years show."""
    years: set[int] = set()
    this_year = _dt.date.today().year
    for _, _, data in graph.edges(data=True):
        start, end = data.get("year"), data.get("end_year")
        if start is None:
            continue
        years.add(int(start))
        if end is not None and end > start:
            years.add(min(int(end), max(this_year, int(start))))
    if not years:
        return []
    first, last = min(years), max(years)
    if since is not None:
        first = max(first, since)
    if until is not None:
        last = min(last, until)
    return list(range(first, last + 1))


def centrality_by_year(
    store: Store,
    layers: Iterable[str] | None = None,
    measures: Iterable[str] | None = None,
    view: str = "partners",
    *,
    cumulative: bool = False,
    since: int | None = None,
    until: int | None = None,
    layer_weights: Mapping[str, float] | Iterable[str] | None = None,
    top: int | None = None,
    backend: str = "auto",
    k: int | None = None,
    graph: nx.MultiGraph | None = None,
    exact: bool = False,
) -> Rows:
    """Tidy rows ``year, node, label, iso, kind, measure, score, rank`` + the evidence columns.

    One row per year × node × measure. ``rank`` is the node's place in that year for that
    measure; the evidence (``edges``, ``relations``, ``trade_usd_million``, ``documents``,
    ``facts``, ``sources``) is that of the node's relations in that year (or up to it, with
    ``cumulative``). ``top`` keeps the N nodes with the highest score of the first measure summed
    over the years. ``graph``: an already projected graph over all years (the page reuses it).
    ``rows.meta`` has ``years``, ``measures``, ``layers``, ``view``, ``cumulative``, ``samples``
    (``{"<year>:<measure>:<layer>": sources}``; a row whose measure was estimated in its year
    has ``sample``, as in :func:`~regional_kg.network.ranking.centrality`).
    """
    base, include_all = split_layers(layers)
    check_view(view)
    chosen = check_measures(measures) if measures else list(DEFAULT_MEASURES)
    weights = parse_layer_weights(layer_weights)
    make_period(since=since, until=until)  # a reversed range is an error
    if top is not None and top < 1:
        raise ParameterError(f"--top {top}: must be at least 1")
    full = graph if graph is not None else project(store, base, view)
    years = span_years(full, since, until)
    # cumulative: "up to year Y" counts from the first dated relation, even before --since
    dated = span_years(full, None, until) if cumulative else []
    first = dated[0] if dated else None
    span = (
        period_subgraph(full, Period(first if cumulative else years[0], years[-1]))
        if years
        else nx.MultiGraph()
    )
    maxima = layer_maxima(span)
    rows: list[dict[str, object]] = []
    samples: dict[str, int] = {}
    for year in years:
        period = Period(first if cumulative else year, year)
        cut = period_subgraph(full, period)
        result = _columns(
            cut, base, include_all, chosen, weights, maxima, None, backend, k, exact
        )
        columns: dict[str, dict[str, float]] = result["columns"]
        samples.update({f"{year}:{name}": size for name, size in result["samples"].items()})
        evidence = {node: ev.node_evidence(cut, node) for node in cut.nodes}
        for measure in chosen:
            values = columns.get(measure, {})

            def order(n: str, v: dict[str, float] = values) -> tuple[float, str, str]:
                return (-round(v.get(n, 0.0), 12), _label(span, n), n)

            ordered = sorted(span.nodes, key=order)
            for rank, node in enumerate(ordered, start=1):
                attrs = span.nodes[node]
                row: dict[str, object] = {
                    "year": year,
                    "node": node,
                    "label": attrs.get("label"),
                    "iso": attrs.get("iso"),
                    "kind": attrs.get("kind"),
                    "measure": measure,
                    "score": float(values.get(node, 0.0)),
                    "rank": rank,
                }
                row.update(evidence.get(node) or ev.no_evidence())
                sizes = [v for n, v in result["samples"].items() if n.split(":")[0] == measure]
                if sizes:
                    row["sample"] = max(sizes)
                rows.append(row)
    if top is not None:
        totals: dict[str, float] = {}
        for row in rows:
            if row["measure"] == chosen[0]:
                node = str(row["node"])
                totals[node] = totals.get(node, 0.0) + float(row["score"])  # type: ignore[arg-type]
        keep = set(sorted(totals, key=lambda n: (-totals[n], _label(span, n), n))[:top])
        rows = [r for r in rows if r["node"] in keep]
    rows.sort(key=lambda r: (r["year"], chosen.index(str(r["measure"])), r["rank"]))
    meta = {
        "score": chosen[0],
        "measures": chosen,
        "years": years,
        "layers": base + (["all"] if include_all else []),
        "layer_weights": {layer: weights.get(layer, 1.0) for layer in base},
        "view": view,
        "cumulative": cumulative,
        "period": f"{years[0]}–{years[-1]}" if years else "no dated relations",
        "by_year": True,
        "samples": samples,
    }
    return Rows(rows, meta)


def series(rows: Iterable[Mapping[str, object]], measure: str | None = None) -> dict[str, dict]:
    """``{node: {"label", "iso", "years": {year: score}}}`` of one measure (the chart's lines)."""
    out: dict[str, dict] = {}
    for row in rows:
        if measure is not None and row["measure"] != measure:
            continue
        entry = out.setdefault(
            str(row["node"]), {"label": row.get("label"), "iso": row.get("iso"), "years": {}}
        )
        entry["years"][int(cast(Any, row["year"]))] = float(cast(Any, row["score"]))
    return out


def _label(graph: nx.MultiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node) if node in graph else node
