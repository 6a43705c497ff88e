"""Centrality: projection of the store onto a graph, and the measures, on both views."""

from __future__ import annotations

import time

from benchmarks.common import emit


def network_task(params: dict) -> None:
    import regional_kg as rkg
    from regional_kg.network import project
    from regional_kg.network.measures import layer_maxima, parse_layer_weights
    from regional_kg.network.ranking import _columns, split_layers

    store = rkg.build([params["file"]], store="oxigraph", validate=False).store
    for view in params.get("views", ["partners", "actors"]):
        start = time.perf_counter()
        graph = project(store, None, view)
        projection = time.perf_counter() - start
        emit(
            kind="network",
            view=view,
            phase="projection",
            seconds=projection,
            nodes=graph.number_of_nodes(),
            edges=graph.number_of_edges(),
        )
        for backend in params.get("backends", ["networkx", "igraph"]):
            # what rkg.network.centrality does after projecting: every default measure on
            # every layer and on their union, with the same weights and maxima
            base, include_all = split_layers(None)
            start = time.perf_counter()
            try:
                columns = _columns(
                    graph,
                    base,
                    include_all,
                    None,
                    parse_layer_weights(None),
                    layer_maxima(graph),
                    None,
                    backend,
                    None,
                )
            except Exception as exc:  # noqa: BLE001 - a missing backend is a finding, not a crash
                emit(kind="network", view=view, phase=f"measures-{backend}", error=str(exc))
                continue
            emit(
                kind="network",
                view=view,
                phase=f"measures-{backend}",
                seconds=time.perf_counter() - start,
                ranked=graph.number_of_nodes(),
                measures=sorted(columns.get("measures", [])) if isinstance(columns, dict) else [],
            )
