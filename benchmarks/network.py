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


def _bare_engine(params: dict):
    """``(our store, its pyoxigraph store, union mode)``: the anchor is the very engine object
    our store wraps (``Store.native``), so the ratio is exactly the cost of our Python layer.
    ``store``: an existing ``oxigraph:DIR`` (read-only); ``file``: built in memory;
    ``memory``: copy the ``store`` into memory first (both sides then run in memory)."""
    import pyoxigraph as ox

    import regional_kg as rkg
    from regional_kg.stores import open_store
    from regional_kg.stores.oxigraph import OxigraphStore

    if params.get("store"):
        store = open_store(params["store"], read_only=True)
        if params.get("memory"):
            staged = ox.Store()
            staged.load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
            store = OxigraphStore().adopt(staged)
    else:
        store = rkg.build([params["file"]], store="oxigraph", validate=False).store
    return store, store.native, not store.union_ready


def _timed(fn):
    """``(result, wall seconds, CPU seconds of this process)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def centrality_anchor_task(params: dict) -> None:
    """Issue 11 item 4: the projection against the raw SPARQL of its queries, and the default
    ``rkg centrality`` (sampled) against the exact one and the 30 s goal, on one store.

    The anchor of the projection is the same ``queries/network`` texts for the view (the layers,
    ``nodes``, ``provenance``, ``publishers``) run on the bare pyoxigraph store behind ours
    (:func:`_bare_engine`), every solution's terms read (``tuple(solution)``: what any consumer
    must at least do), twice: ``raw`` as the files are written (the engine sorts by their
    ``ORDER BY``) and ``raw_sent`` as the projection sends them (the text-only ``ORDER BY`` taken
    off and applied in Python, :mod:`regional_kg.network.row_order`), whose ratio is the cost of
    everything the projection does in Python, its sort included. The runs are interleaved so load
    from other work hits them alike, and the ratios are of medians, of wall and of CPU time.
    ``params``: ``file`` (built in memory) or ``store`` (an existing ``oxigraph:DIR``; ``memory``
    copies it into memory), ``view``, ``repeats``, ``exact``.
    """
    import statistics

    from regional_kg.network import centrality, project
    from regional_kg.network.projection import LAYERS, layer_query, network_query
    from regional_kg.network.row_order import split_order

    store, raw, union = _bare_engine(params)
    view = params.get("view", "actors")
    texts = [layer_query(layer, view) for layer in LAYERS]
    texts += [network_query(name) for name in ("nodes", "provenance", "publishers")]
    sent = [split_order(text)[0] for text in texts]

    def run_raw(queries: list[str]) -> int:
        return sum(
            len([tuple(s) for s in raw.query(text, use_default_graph_as_union=union)])
            for text in queries
        )

    times: dict[str, list[tuple[float, float]]] = {"raw": [], "raw_sent": [], "projection": []}
    graph, rows = None, 0
    for _ in range(params.get("repeats", 3)):
        rows, wall, cpu = _timed(lambda: run_raw(texts))
        times["raw"].append((wall, cpu))
        _, wall, cpu = _timed(lambda: run_raw(sent))
        times["raw_sent"].append((wall, cpu))
        graph, wall, cpu = _timed(lambda: project(store, None, view))
        times["projection"].append((wall, cpu))
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for k, v in times.items()
    }
    (raw_s, raw_cpu), (sent_s, sent_cpu), (proj_s, proj_cpu) = (
        med[k] for k in ("raw", "raw_sent", "projection")
    )
    emit(kind="centrality-anchor", phase="projection", view=view, raw=raw_s, seconds=proj_s,
         ratio=proj_s / raw_s, raw_cpu=raw_cpu, cpu=proj_cpu, cpu_ratio=proj_cpu / raw_cpu,
         raw_sent=sent_s, raw_sent_cpu=sent_cpu, sent_ratio=proj_s / sent_s,
         sent_cpu_ratio=proj_cpu / sent_cpu,
         rows=rows, nodes=graph.number_of_nodes() if graph else 0,
         edges=graph.number_of_edges() if graph else 0,
         engine="memory" if store.path is None else "disk")
    runs = ([("exact", True)] if params.get("exact") else []) + [("default", False)]
    for name, exact in runs:
        ranked, wall, cpu = _timed(lambda e=exact: centrality(store, None, None, view, top=10,
                                                              exact=e))
        emit(kind="centrality-anchor", phase=f"centrality-{name}", view=view, seconds=wall,
             cpu=cpu, goal=30.0, samples=ranked.meta.get("samples"),
             top=[r["node"] for r in ranked])


def report(records: list[dict]) -> str:
    """The centrality lines of the anchored table: each figure beside its anchor and the ratio."""
    out = ["| centrality (actor view) | anchor | ours | ratio |", "|---|---|---|---|"]
    exact = {r.get("size"): r for r in records if r.get("phase") == "centrality-exact"}
    for r in records:
        if r.get("kind") != "centrality-anchor":
            continue
        size = f"{r['size']:,} triples, " if r.get("size") else ""
        if r["phase"] == "projection":
            cpu = (f" (CPU {r['raw_cpu']:.2f} s / {r['cpu']:.2f} s: {r['cpu_ratio']:.2f}×)"
                   if "cpu" in r else "")
            out.append(f"| {size}projection, {r.get('engine', '')} ({r['nodes']:,} nodes, "
                       f"{r['edges']:,} edges) | raw SPARQL {r['raw']:.2f} s | "
                       f"{r['seconds']:.2f} s | {r['ratio']:.2f}×{cpu} |")
            if "raw_sent" in r:
                out.append(f"| {size}projection, {r.get('engine', '')}: against the texts as "
                           f"sent (ORDER BY applied in Python) | raw SPARQL {r['raw_sent']:.2f} s"
                           f" | {r['seconds']:.2f} s | {r['sent_ratio']:.2f}× (CPU "
                           f"{r['raw_sent_cpu']:.2f} s / {r['cpu']:.2f} s: "
                           f"{r['sent_cpu_ratio']:.2f}×) |")
        elif r["phase"] == "centrality-default":
            anchor = exact.get(r.get("size"))
            base = f"exact {anchor['seconds']:.1f} s" if anchor else "goal 30 s"
            ratio = r["seconds"] / (anchor["seconds"] if anchor else 30.0)
            cpu = f" (CPU {r['cpu']:.1f} s)" if "cpu" in r else ""
            out.append(f"| {size}`rkg centrality` default (sampled: "
                       f"{len(r.get('samples') or {})} layer measures) | {base} | "
                       f"{r['seconds']:.1f} s{cpu} | {ratio:.2f}× |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.network --store oxigraph:DIR [--exact]``: the table above, once."""
    import argparse
    import io
    import json
    from contextlib import redirect_stdout

    parser = argparse.ArgumentParser(prog="python -m benchmarks.network")
    parser.add_argument("--store", help="an existing on-disk store (oxigraph:DIR)")
    parser.add_argument("--file", help="an RDF file to build in memory instead")
    parser.add_argument("--memory", action="store_true", help="copy --store into memory first")
    parser.add_argument("--view", default="actors")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--exact", action="store_true", help="also time the exact centrality")
    args = parser.parse_args(argv)
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        centrality_anchor_task(vars(args))
    prefix = "RKGBENCH "
    lines = buffer.getvalue().splitlines()
    records = [json.loads(line[len(prefix):]) for line in lines if line.startswith(prefix)]
    print(json.dumps(records, indent=1))
    print(report(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
