"""From a store to a network page: project, rank, look up evidence, render.

The one place that ties the page to ``regional_kg.network`` (projection and centrality) and to the
store (evidence for tooltips), so ``rkg viz``, the report and notebooks draw the same picture from
the same options.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx

from regional_kg.network import Rows, centrality, centrality_by_year, project
from regional_kg.network.measures import check_measures
from regional_kg.page.evidence import fact_evidence
from regional_kg.page.render import Rendered, build_page
from regional_kg.stores.base import Store

#: Ranked-row columns that are not measures (identity and evidence columns).
_NOT_MEASURES = {"rank", "node", "label", "iso", "kind", "score"}


@dataclass
class DrawnNetwork:
    """A rendered page plus the projection and centrality rows it was drawn from."""

    rendered: Rendered
    graph: nx.MultiGraph
    rows: Rows  # dict rows with .meta
    measures: list[str]
    meta: dict[str, Any]


def network_page(
    store: Store,
    *,
    layers: Sequence[str] | None = None,
    view: str = "partners",
    year: int | None = None,
    size_by: str | None = None,
    top: int | None = 150,
    title: str | None = None,
    by_year: bool = False,
    collapse: bool | None = None,
) -> DrawnNetwork:
    """Project the store's relations, rank the nodes and render the page.

    ``size_by`` is a centrality measure of :data:`regional_kg.network.MEASURES` (default: the
    ranking's first, strength); unknown layers, views and measures raise ``ParameterError``.

    When the relations span several years the page gets a year control; the node sizes of each
    period ("in year Y" and "up to year Y") are that period's centrality
    (:func:`regional_kg.network.centrality_by_year`, computed here and embedded, so the page
    needs no engine). ``by_year`` opens the page on the first year instead of on all years.
    ``collapse`` (default: on for the partners view, where pairs have dozens of relations)
    draws the relations of a layer between one pair as one edge with their count.
    """
    defaults = check_measures(None)
    # the measure that sizes the nodes goes first: it is what the rows rank by
    measures = check_measures([size_by] + defaults) if size_by else defaults
    chosen = list(layers) if layers else None
    graph = project(store, chosen, view, year=year)
    rows = centrality(store, chosen, measures, view, year=year)
    meta = dict(rows.meta)
    main: list[str] = list(cast(list[str], meta.get("measures") or []))
    by_node = {r["node"]: r for r in rows}
    evidence = fact_evidence(store, {d.get("fact") for _, _, d in graph.edges(data=True)})
    period_sizes: dict[str, dict[str, float]] = {}
    start: dict[str, Any] = {"mode": "all"}
    if year is None:
        for cumulative, prefix in ((False, "year"), (True, "upto")):
            series = centrality_by_year(
                store, chosen, main[:1], view, cumulative=cumulative, graph=graph
            )
            for r in series:
                period_sizes.setdefault(f"{prefix}:{r['year']}", {})[str(r["node"])] = float(
                    r["score"]
                )
            if by_year and series.meta["years"]:
                start = {"mode": "year", "year": cast(list[int], series.meta["years"])[0]}
    what = ", ".join(chosen) if chosen else "all layers"
    when = f", {year}" if year else ""
    rendered = build_page(
        graph,
        title=title or f"{view.capitalize()} network: {what}{when}",
        size_by=main[0] if main else None,
        measures={
            n: {
                "rank": r.get("rank"),
                **{m: r.get(m) for m in main},
                "facts": r.get("facts"),
                "sources": r.get("sources"),
            }
            for n, r in by_node.items()
        },
        top=top,
        evidence=evidence,
        subtitle=f"View: {view}; layers: {what}{when}.",
        collapse=(view == "partners") if collapse is None else collapse,
        period_sizes=period_sizes,
        start=start,
    )
    return DrawnNetwork(rendered=rendered, graph=graph, rows=rows, measures=main, meta=meta)
