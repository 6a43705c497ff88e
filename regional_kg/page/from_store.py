"""From a store to a network page: project, measure, look up evidence, render.

The one place that ties the page to the centrality helper's ``regional_kg.network`` (projection and
measures) and to the store (evidence for tooltips), so ``rkg viz``, the report and notebooks draw
the same picture from the same options.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from regional_kg.page.evidence import fact_evidence
from regional_kg.page.render import Rendered, build_page
from regional_kg.stores.base import Store


@dataclass
class DrawnNetwork:
    """A rendered page plus the projection and centrality rows it was drawn from."""

    rendered: Rendered
    graph: nx.MultiGraph
    rows: list[dict[str, Any]]
    measures: list[str]


def _as_dict(row: Any) -> dict[str, Any]:
    if isinstance(row, Mapping):
        return dict(row)
    if dataclasses.is_dataclass(row):
        return dataclasses.asdict(row)
    if hasattr(row, "_asdict"):
        return dict(row._asdict())
    return dict(vars(row))


def measure_rows(graph: nx.MultiGraph) -> list[dict[str, Any]]:
    """Centrality rows for ``graph`` from ``regional_kg.network.centrality``, as dicts."""
    from regional_kg.network import centrality

    return [_as_dict(r) for r in centrality(graph)]


def network_page(
    store: Store,
    *,
    layers: Sequence[str] | None = None,
    view: str = "partners",
    year: int | None = None,
    size_by: str | None = None,
    top: int | None = 150,
    title: str | None = None,
) -> DrawnNetwork:
    """Project the store's relations, rank the nodes and render the page."""
    from regional_kg.network import project

    graph = project(store, layers=list(layers) if layers else None, view=view, year=year)
    rows = measure_rows(graph)
    measures = [k for k in (rows[0] if rows else {}) if k not in _NOT_MEASURES]
    by_node = {r.get("node"): r for r in rows}
    size_by = size_by or _default_measure(measures)
    if size_by and measures and size_by not in measures:
        from regional_kg.errors import ParameterError

        raise ParameterError(
            f"--size-by: unknown measure {size_by!r}; choose one of {', '.join(measures)}"
        )
    evidence = fact_evidence(store, {d.get("fact") for _, _, d in graph.edges(data=True)})
    what = ", ".join(layers) if layers else "all layers"
    title = title or f"{view.capitalize()} network: {what}" + (f", {year}" if year else "")
    rendered = build_page(
        graph,
        title=title,
        size_by=size_by if measures else None,
        measures={n: {k: r.get(k) for k in measures} for n, r in by_node.items()},
        top=top,
        evidence=evidence,
        subtitle=f"View: {view}; layers: {what}" + (f"; year {year}" if year else "") + ".",
    )
    return DrawnNetwork(rendered=rendered, graph=graph, rows=rows, measures=measures)


_NOT_MEASURES = {"node", "label", "kind", "iso", "rank", "id", "layers", "facts", "evidence"}


def _default_measure(measures: list[str]) -> str | None:
    for name in ("weighted_degree", "strength", "degree", "betweenness", "eigenvector"):
        if name in measures:
            return name
    return measures[0] if measures else None
